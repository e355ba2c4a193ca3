//! `jury export selected`: the selected cases by batch and topic, for publication.

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::Workspace;

fn selected_workspace() -> Workspace {
    let w = Workspace::loaded("cases");
    w.ok(&[
        "shortlist",
        "set",
        "AL20250001",
        "AL20250002",
        "AL20250005",
        "--status",
        "selected",
        "--batch",
        "1",
    ]);
    w.ok(&["shortlist", "set", "AL20250050", "--status", "selected", "--batch", "2"]);
    w.ok(&[
        "shortlist",
        "set",
        "AL20250003",
        "--status",
        "shortlisted",
        "--batch",
        "1",
    ]);
    w.ok(&["shortlist", "set", "AL20250004", "--status", "rejected"]);
    w
}

/// (batch, topic index, final) must never decrease in batch and topic, and finals fall within one.
fn assert_publication_order(rows: &[Vec<String>], groups: &[&str]) {
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let key = |r: &Vec<String>| (r[1].clone(), groups.iter().position(|g| *g == r[2]).unwrap());
        assert!(key(a) <= key(b), "{a:?} then {b:?}");
        if key(a) == key(b) {
            assert!(
                a[9].parse::<f64>().unwrap() >= b[9].parse::<f64>().unwrap(),
                "{a:?} then {b:?}"
            );
        }
    }
}

#[test]
fn csv_lists_only_selected_cases_by_batch_and_topic() {
    let w = selected_workspace();
    let out = w.path("selected.csv");
    let printed = w.ok(&["export", "selected", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert!(printed.contains("Fingerprint: JURY2-3035-"), "{printed}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "序号",
            "批次",
            "主题",
            "编号",
            "案例名称",
            "申报人",
            "申报主体",
            "单位",
            "县市区",
            "得分"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(ids.len(), 4);
    let mut batch1: Vec<&str> = ids[..3].to_vec();
    batch1.sort_unstable();
    assert_eq!(batch1, ["AL20250001", "AL20250002", "AL20250005"]);
    assert_eq!(ids[3], "AL20250050");
    assert_eq!(rows[3][1], "第2批");
    assert_eq!(
        rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        ["1", "2", "3", "4"]
    );
    assert_publication_order(&rows, &["亲子沟通", "习惯培养", "情感教育", "学习焦虑"]);
    // The published score is the tally's shown final.
    let tally = w.tally_json();
    for r in &rows {
        let e = tally["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["entries"].as_array().unwrap())
            .find(|e| e["id"] == r[3].as_str())
            .unwrap();
        assert_eq!(e["final"].as_str().unwrap(), r[9]);
    }
    // The submitter, organisation and county come from the entry.
    let store = jury::store::Store::open(&w.db).unwrap();
    let e = store.entry("AL20250050").unwrap().unwrap();
    assert_eq!(
        (rows[3][5].as_str(), rows[3][7].as_str(), rows[3][8].as_str()),
        (e.submitter.as_str(), e.organization.as_str(), e.county.as_str())
    );
}

#[test]
fn xlsx_and_html_carry_the_same_list() {
    let w = selected_workspace();
    let xlsx = w.path("selected.xlsx");
    w.ok(&[
        "export",
        "selected",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("入选名单").unwrap();
    let ids: Vec<String> = range.rows().skip(1).map(|r| r[3].to_string()).collect();
    assert_eq!(ids.len(), 4);
    assert_eq!(ids[3], "AL20250050");
    assert!(
        matches!(range.rows().nth(1).unwrap()[9], calamine::Data::Float(_)),
        "the score is a number"
    );

    let html = w.path("selected.html");
    w.ok(&[
        "export",
        "selected",
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("入选案例名单"));
    assert!(
        text.contains("第1批（3 个）") && text.contains("第2批（1 个）"),
        "{text}"
    );
    let positions: Vec<usize> = ids.iter().map(|id| text.find(id.as_str()).unwrap()).collect();
    assert!(positions.windows(2).all(|p| p[0] < p[1]));
    assert!(!text.contains("AL20250003"), "a shortlisted case is not published");
    assert!(text.contains("JURY2-3035-"));
}

#[test]
fn nothing_selected_says_so() {
    let w = Workspace::loaded("cases");
    let html = w.path("none.html");
    w.ok(&[
        "export",
        "selected",
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&html).unwrap().contains("尚无入选案例"));
}

#[test]
fn a_flagged_selected_case_is_refused_unless_included_and_never_marked() {
    let w = Workspace::loaded("cases");
    // AL20250047 misses a required section; AL20250008 is the lower-ranked of a likely duplicate
    // pair whose higher-ranked case AL20250074 may be published.
    w.ok(&[
        "shortlist",
        "set",
        "AL20250047",
        "AL20250008",
        "AL20250074",
        "AL20250001",
        "--status",
        "selected",
        "--batch",
        "1",
    ]);
    let out = w.path("selected.csv");
    let before = w.digest();
    let err = w.fails(&["export", "selected", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert!(err.contains("2 selected cases are flagged"), "{err}");
    assert!(err.contains("AL20250047 fails the formal check"), "{err}");
    assert!(
        err.contains("AL20250008 is a likely duplicate of AL20250074, which ranks higher"),
        "{err}"
    );
    assert!(err.contains("--include-flagged"), "{err}");
    assert!(
        !err.contains("AL20250074 "),
        "the higher-ranked case is not flagged: {err}"
    );
    assert!(!out.exists(), "nothing is written");
    assert_eq!(w.digest(), before);

    w.ok(&[
        "export",
        "selected",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
        "--include-flagged",
    ]);
    let text = String::from_utf8(std::fs::read(&out).unwrap()[3..].to_vec()).unwrap();
    for id in ["AL20250047", "AL20250008", "AL20250074", "AL20250001"] {
        assert!(text.contains(id), "{id} published:\n{text}");
    }
    for mark in ["形式审查", "疑似重复", "formal check", "duplicate"] {
        assert!(!text.contains(mark), "the publication prints no marks: {text}");
    }

    // Without the two flagged ones the list is published as it is, the kept duplicate with it.
    w.ok(&["shortlist", "set", "AL20250047", "AL20250008", "--status", "rejected"]);
    let html = w.path("selected.html");
    w.ok(&[
        "export",
        "selected",
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("AL20250074") && text.contains("AL20250001"), "{text}");
    assert!(!text.contains("疑似重复") && !text.contains("形式审查"), "{text}");
}

/// The number format (its code) of a cell in the first sheet, read from the file's styles.
fn number_format_of(xlsx: &std::path::Path, cell: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    let at = sheet.find(&format!("<c r=\"{cell}\"")).unwrap();
    let tag = &sheet[at..at + sheet[at..].find('>').unwrap()];
    let s: usize = tag
        .split("s=\"")
        .nth(1)
        .map_or(0, |rest| rest[..rest.find('"').unwrap()].parse().unwrap());
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs.split("<xf ").nth(s + 1).unwrap();
    let id = xf.split("numFmtId=\"").nth(1).unwrap();
    let id = &id[..id.find('"').unwrap()];
    match id {
        "0" => "General".into(),
        "1" => "0".into(),
        "2" => "0.00".into(),
        _ => {
            let at = styles
                .find(&format!("<numFmt numFmtId=\"{id}\" formatCode=\""))
                .unwrap();
            let code = &styles[at..].split("formatCode=\"").nth(1).unwrap();
            code[..code.find('"').unwrap()].to_string()
        }
    }
}

#[test]
fn the_xlsx_numbers_rows_with_whole_numbers_and_the_html_sizes_its_columns() {
    let w = selected_workspace();
    let xlsx = w.path("selected.xlsx");
    w.ok(&[
        "export",
        "selected",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("入选名单").unwrap();
    let numbers: Vec<String> = range.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(numbers, ["1", "2", "3", "4"]);
    // 序号 (A2) is shown as a whole number; 得分 (J2) keeps the rubric's two decimals.
    assert_eq!(number_format_of(&xlsx, "A2"), "0", "序号 is a whole number");
    assert_eq!(number_format_of(&xlsx, "J2"), "0.00", "得分 keeps two decimals");

    let html = w.path("selected.html");
    w.ok(&[
        "export",
        "selected",
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&html).unwrap();
    // Every table sizes its columns: a colgroup with the 单位 column wide enough for a school's
    // name, and the short columns never wrap.
    let tables = text.matches("<table").count();
    assert_eq!(text.matches("<colgroup>").count(), tables, "{text}");
    assert!(text.contains("<col class=\"org\""), "{text}");
    assert!(text.contains("col.org { width: 48mm; }"), "{text}");
    assert!(text.contains("size: A4 landscape"), "{text}");
    assert!(text.contains("td.nowrap { white-space: nowrap; }"), "{text}");
    let row = &text[text.find("<td class=\"num\">1</td>").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    // 主题, 申报主体, 县市区 do not wrap; the title, the submitter and the organisation may.
    assert_eq!(row.matches("<td class=\"nowrap\">").count(), 3, "{row}");
}

/// The paragraphs of a .docx's `word/document.xml`, each as its text (runs joined, a soft break
/// as a newline), in document order.
fn docx_paragraphs(path: &std::path::Path) -> Vec<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let unescape = |t: &str| {
        t.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..=end];
        rest = &rest[end + 1..];
        if tag.starts_with("<w:t>") || tag.starts_with("<w:t ") {
            let close = rest.find("</w:t>").unwrap();
            text.push_str(&unescape(&rest[..close]));
            rest = &rest[close..];
        } else if tag.starts_with("<w:br") {
            text.push('\n');
        } else if tag == "</w:p>" {
            out.push(std::mem::take(&mut text));
        }
    }
    out
}

#[test]
fn docx_is_the_case_collection_by_topic_with_the_four_parts() {
    let w = selected_workspace();
    let out = w.path("selected.docx");
    let printed = w.ok(&["export", "selected", "--format", "docx", "--out", out.to_str().unwrap()]);
    assert!(printed.contains("Wrote the selected cases"), "{printed}");
    let paragraphs = docx_paragraphs(&out);
    let find = |text: &str, from: usize| -> usize {
        from + paragraphs[from..]
            .iter()
            .position(|p| p == text)
            .unwrap_or_else(|| panic!("{text:?} after paragraph {from} in {paragraphs:#?}"))
    };
    let store = jury::store::Store::open(&w.db).unwrap();
    let entries = store.entries_with_texts().unwrap();
    let entry = |id: &str| entries.iter().find(|e| e.id == id).unwrap();
    let rubric = store.rubric().unwrap().clone();
    let selected = ["AL20250001", "AL20250002", "AL20250005", "AL20250050"];
    // The topics of the selected cases in the rubric's order.
    let mut topics: Vec<&str> = selected.iter().map(|id| entry(id).group.as_deref().unwrap()).collect();
    topics.sort_by_key(|t| rubric.groups.iter().position(|g| g == t).unwrap());
    topics.dedup();
    assert!(topics.len() >= 2, "{topics:?}");
    let ordinals = ["一", "二", "三", "四"];

    // First the list (目录): every topic with its cases' titles, before any case's parts.
    let list = find("目录", 0);
    let first_part = find("背景介绍", 0);
    assert!(list < first_part);
    let mut at = list;
    let mut numbered: Vec<&str> = Vec::new();
    for (i, topic) in topics.iter().enumerate() {
        let count = selected
            .iter()
            .filter(|id| entry(id).group.as_deref() == Some(*topic))
            .count();
        at = find(&format!("{}、{topic}（{count} 个）", ordinals[i]), at);
        for id in selected.iter().filter(|id| entry(id).group.as_deref() == Some(*topic)) {
            let e = entry(id);
            let line = format!("{}. {}（{}）", numbered.len() + 1, e.title, e.organization);
            let here = paragraphs[at..].iter().position(|p| p.trim_start_matches('　') == line);
            assert!(here.is_some(), "{line:?} listed under {topic}: {paragraphs:#?}");
            at += here.unwrap();
            assert!(at < first_part);
            numbered.push(id);
        }
    }
    assert_eq!(numbered.len(), 4);

    // Then each topic, its cases in the list's order, each with its organisation and its four
    // parts under their own headings, in order, with the stored text.
    at += 1;
    for (i, topic) in topics.iter().enumerate() {
        at = find(&format!("{}、{topic}", ordinals[i]), at);
        for id in numbered.iter().filter(|id| entry(id).group.as_deref() == Some(*topic)) {
            let e = entry(id);
            let n = numbered.iter().position(|x| x == id).unwrap() + 1;
            at = find(&format!("{n}. {}", e.title), at);
            assert!(
                paragraphs[at + 1].contains(&format!("单位：{}", e.organization)),
                "{}",
                paragraphs[at + 1]
            );
            for (heading, text) in [
                ("背景介绍", &e.sections.background),
                ("问题描述", &e.sections.problem),
                ("解决策略", &e.sections.strategy),
                ("结果评估", &e.sections.outcome),
            ] {
                at = find(heading, at);
                let first_line = text.lines().next().unwrap().trim();
                at = find(first_line, at);
            }
        }
    }
    let all = paragraphs.join("\n");
    // A shortlisted or rejected case is not in the collection.
    for id in ["AL20250003", "AL20250004"] {
        let e = entry(id);
        assert!(!all.contains(&e.title), "{id} is not selected");
        assert!(!all.contains(e.sections.background.lines().next().unwrap()), "{id}");
    }
    assert!(all.contains("数据指纹 JURY2-"), "{all}");

    // Chinese fonts, A4, page numbers in the footer.
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("w:eastAsia=\"宋体\"") && xml.contains("w:eastAsia=\"黑体\""));
    assert!(xml.contains("w:w=\"11906\"") && xml.contains("w:h=\"16838\""), "A4");
    let mut footer = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().starts_with("word/footer") {
            f.read_to_string(&mut footer).unwrap();
        }
    }
    assert!(footer.contains("PAGE") && footer.contains("NUMPAGES"), "{footer}");

    // python-docx, where installed, reads the same headings.
    let python = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, docx\nd = docx.Document(sys.argv[1])\nprint('\\n'.join(p.text for p in d.paragraphs if p.style.name.startswith('Heading')))",
            out.to_str().unwrap(),
        ])
        .output();
    if let Ok(o) = python
        && o.status.success()
    {
        let headings = String::from_utf8(o.stdout).unwrap();
        assert!(
            headings.contains("背景介绍") && headings.contains(&entry("AL20250050").title),
            "{headings}"
        );
    }
}
