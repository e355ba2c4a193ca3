//! Issue 17, results: every format shows 单位 and 县市区 (and the contestant's name), provisional
//! results say so until a lock makes them final, the fingerprint and `verify-print` tell which,
//! the public copy leaves out the judges, and results also come as .docx.

mod common;

use std::collections::HashMap;
use std::io::Read;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Workspace, fixture};

const PUBLICITY: &str = "公示期为2026年12月1日至12月7日，如有异议请联系区教育局 010-12345678";
const ORGANISER: &str = "江城市家庭教育指导中心";

/// The competition on the shared fixtures with a rubric whose small deviation flags marks
/// (分差过大) and which has a publicity text and names the organiser.
fn flagged_competition() -> Workspace {
    let w = Workspace::new();
    let source = include_str!("../data/rubrics/competition.toml");
    let deviation = source
        .lines()
        .find(|l| l.starts_with("deviation ="))
        .expect("the template sets a deviation");
    let rubric = source.replacen(
        deviation,
        &format!("deviation = 2\npublicity = \"{PUBLICITY}\"\norganiser = \"{ORGANISER}\""),
        1,
    );
    let path = w.path("rubric.toml");
    std::fs::write(&path, rubric).unwrap();
    w.ok(&["init", "--rubric", path.to_str().unwrap()]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&["import", "scores", fixture("scores-competition.csv").to_str().unwrap()]);
    w
}

fn fingerprint_from(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("Fingerprint: "))
        .expect("the export reports a fingerprint")
        .trim()
        .to_string()
}

/// Export the results in `format` (with extra arguments); the file's path and the fingerprint.
fn export(w: &Workspace, format: &str, name: &str, extra: &[&str]) -> (std::path::PathBuf, String) {
    let out = w.path(name);
    let mut args = vec![
        "export",
        "results",
        "--format",
        format,
        "--out",
        out.to_str().unwrap(),
        "--force",
    ];
    args.extend_from_slice(extra);
    let stdout = w.ok(&args);
    (out, fingerprint_from(&stdout))
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// word/document.xml of a .docx file.
fn document_xml(path: &std::path::Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The text of a document.xml: every `<w:t>` element's text, joined.
fn xml_text(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<w:t") {
        let after = &rest[start + 4..];
        // `<w:t>` or `<w:t xml:space=...>`, not `<w:tbl>`, `<w:tr>`, `<w:tc>`, ...
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let Some(open_end) = after.find('>') else { break };
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</w:t>") else { break };
        out.push_str(&body[..close]);
        rest = &body[close..];
    }
    out
}

#[test]
fn html_shows_organisation_and_county_and_stays_provisional_until_locked() {
    let w = flagged_competition();
    let (out, fingerprint) = export(&w, "html", "results.html", &[]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(fingerprint.ends_with("-P"), "{fingerprint}");
    assert!(
        html.contains("<th>选手</th><th>单位</th><th>县市区</th>"),
        "the new columns"
    );
    // JS001: 邓涵, 靖安县实验小学, 靖安县 in the contestants fixture.
    let row_at = html.find("<tr class=\"main\" id=\"JS001\">").expect("JS001's row");
    let row = &html[row_at..row_at + html[row_at..].find("</tr>").unwrap()];
    assert!(
        row.contains("<td>邓涵</td><td>靖安县实验小学</td><td>靖安县</td>"),
        "{row}"
    );
    // Every group's heading says provisional, the watermark crosses every page (fixed).
    let sections: Vec<&str> = html.split("<section class=\"page group\">").skip(1).collect();
    assert_eq!(sections.len(), 3);
    for (section, group) in sections.iter().zip(["教师组", "家长组", "社会工作者组"]) {
        assert!(
            section.contains(&format!(
                "<h2>{group} 评审结果<span class=\"standing provisional\">暂定结果（未锁定）</span></h2>"
            )),
            "{group}"
        );
        // The repeated table header names the group on every page.
        assert!(section.contains(&format!(
            "<thead><tr class=\"caption\"><th colspan=\"12\">家庭教育与心理健康教育专业技能大赛 {group} 评审结果　暂定结果（未锁定）</th></tr>"
        )));
        // The signatures sit in the closing part with the last two rows, kept together.
        let closing = &section[section.find("<tbody class=\"closing\">").expect("closing part")..];
        assert_eq!(closing.matches("<tr class=\"main\"").count(), 2, "{group}");
        assert!(closing.contains("评审组长签字："));
        assert!(closing.contains("评委签字（PW0"));
    }
    assert!(html.contains("<div class=\"watermark\" aria-hidden=\"true\"><span>暂定结果（未锁定）</span></div>"));
    assert!(html.contains(".watermark { position: fixed;"));
    assert!(html.contains("tbody.closing { break-inside: avoid; }"));
    assert!(!html.contains("正式结果"));
    let said = w.ok(&["verify-print", &fingerprint]);
    assert!(said.starts_with("MATCH"), "{said}");
    assert!(said.contains("printed as: provisional results (暂定结果"), "{said}");

    // One group locked: that group final, the others still provisional (no fixed mark then).
    w.ok(&["lock", "--group", "教师组", "--reason", "结果已核对"]);
    let (out, fingerprint) = export(&w, "html", "results.html", &[]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(fingerprint.ends_with("-P"), "{fingerprint}");
    assert!(!html.contains("<div class=\"watermark\""));
    assert_eq!(
        html.matches("<section class=\"page group provisional-only\">").count(),
        2
    );
    assert!(html.contains("<span class=\"standing final\">正式结果（"));

    // Every round of the remaining groups locked: all final, with the lock's time.
    for round in ["lesson", "analysis", "story"] {
        w.ok(&["lock", "--round", round, "--reason", "结果已核对"]);
    }
    let (out, fingerprint) = export(&w, "html", "results.html", &[]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(fingerprint.ends_with("-F"), "{fingerprint}");
    assert!(!html.contains("暂定结果（未锁定）</span>"));
    assert!(!html.contains("<div class=\"watermark\""));
    assert!(!html.contains("provisional-only\">"));
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(
        html.matches(&format!("<span class=\"standing final\">正式结果（{today} "))
            .count(),
        3,
        "every group final, dated"
    );
    let said = w.ok(&["verify-print", &fingerprint]);
    assert!(said.starts_with("MATCH"), "{said}");
    assert!(said.contains("printed as: final results (正式结果"), "{said}");
}

#[test]
fn the_public_copy_leaves_out_judges_marks_and_flags_and_adds_the_publicity_text() {
    let w = flagged_competition();
    let (out, _) = export(&w, "html", "panel.html", &[]);
    let panel = std::fs::read_to_string(&out).unwrap();
    // The panel's copy has them all (the deviation of 2 flags marks).
    for kept in ["分差过大", "PW01", "评委签字（", "评审组长签字", "尹霞"] {
        assert!(panel.contains(kept), "the panel's copy keeps {kept}");
    }
    assert!(!panel.contains(PUBLICITY));

    let (out, _) = export(&w, "html", "public.html", &["--public"]);
    let public = std::fs::read_to_string(&out).unwrap();
    for gone in [
        "分差过大",
        "PW0",
        "评委签字",
        "评审组长签字",
        "尹霞",
        "class=\"marks\"",
        "评委总分",
    ] {
        assert!(!public.contains(gone), "the public copy leaves out {gone}");
    }
    assert_eq!(public.matches(PUBLICITY).count(), 3, "under every group");
    assert_eq!(public.matches(&format!("主办单位（盖章）：{ORGANISER}")).count(), 3);
    assert!(public.contains("<td>邓涵</td><td>靖安县实验小学</td><td>靖安县</td>"));

    // The other formats leave them out too.
    let (out, _) = export(&w, "md", "public.md", &["--public"]);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(!md.contains("分差过大") && !md.contains("PW0"), "{md}");
    assert!(md.contains(PUBLICITY) && md.contains(&format!("主办单位（盖章）：{ORGANISER}")));
    let (out, _) = export(&w, "md", "panel.md", &[]);
    assert!(std::fs::read_to_string(&out).unwrap().contains("分差过大"));

    let (out, _) = export(&w, "csv", "public.csv", &["--public"]);
    let csv_text = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
    assert!(!csv_text.contains("flags") && !csv_text.contains("PW0"), "{csv_text}");
    let (out, _) = export(&w, "csv", "panel.csv", &[]);
    assert!(
        String::from_utf8(std::fs::read(&out).unwrap())
            .unwrap()
            .contains(":PW0")
    );

    let (out, _) = export(&w, "xlsx", "public.xlsx", &["--public"]);
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names(), ["教师组", "家长组", "社会工作者组"], "no 评分明细");
    let range = book.worksheet_range("教师组").unwrap();
    let all: String = range.rows().flat_map(|r| r.iter().map(text)).collect();
    assert!(!all.contains("分差过大") && !all.contains("PW0"), "{all}");
    assert!(all.contains(PUBLICITY) && all.contains(&format!("主办单位（盖章）：{ORGANISER}")));

    let (out, _) = export(&w, "docx", "public.docx", &["--public"]);
    let words = xml_text(&document_xml(&out));
    assert!(
        !words.contains("分差过大") && !words.contains("PW0") && !words.contains("评委签字"),
        "{words}"
    );
    assert!(words.contains(PUBLICITY) && words.contains(&format!("主办单位（盖章）：{ORGANISER}")));
    let (out, _) = export(&w, "docx", "panel.docx", &[]);
    let words = xml_text(&document_xml(&out));
    assert!(
        words.contains("分差过大") && words.contains("评委签字（PW01"),
        "{words}"
    );
}

#[test]
fn csv_markdown_and_docx_show_name_organisation_and_county() {
    let w = Workspace::loaded("competition");
    let (out, _) = export(&w, "csv", "results.csv", &[]);
    let bytes = std::fs::read(&out).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..10],
        [
            "group",
            "rank",
            "id",
            "title",
            "name",
            "organization",
            "county",
            "final",
            "award",
            "complete"
        ]
    );
    let rows: HashMap<String, Vec<String>> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[2].to_string(), r.iter().map(String::from).collect())
        })
        .collect();
    assert_eq!(rows["JS001"][4..7], ["邓涵", "靖安县实验小学", "靖安县"]);

    let (out, _) = export(&w, "md", "results.md", &[]);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("## 教师组　暂定结果（未锁定）"), "{md}");
    let header = md.lines().find(|l| l.starts_with("| 名次")).unwrap();
    let cells: Vec<&str> = header.split('|').map(str::trim).collect();
    assert_eq!(cells[4..7], ["选手", "单位", "县市区"], "{header}");
    let row = md.lines().find(|l| l.contains("JS001")).unwrap();
    assert!(
        row.contains("邓涵") && row.contains("靖安县实验小学") && row.contains("靖安县 "),
        "{row}"
    );

    let (out, fingerprint) = export(&w, "docx", "results.docx", &[]);
    let xml = document_xml(&out);
    let words = xml_text(&xml);
    for want in [
        "名次",
        "编号",
        "标题",
        "选手",
        "单位",
        "县市区",
        "现场说课",
        "最终得分",
        "奖项",
        "备注",
    ] {
        assert!(words.contains(want), "docx header {want}");
    }
    assert!(words.contains("邓涵靖安县实验小学靖安县"), "JS001's cells in a row");
    assert_eq!(
        words.matches("暂定结果（未锁定）").count(),
        3,
        "under every group's title"
    );
    assert!(words.contains(&fingerprint));
    assert!(
        xml.contains("w:eastAsia=\"宋体\"") && xml.contains("w:eastAsia=\"黑体\""),
        "CJK fonts set"
    );
    // Thirteen columns do not fit a portrait page.
    assert!(xml.contains("w:orient=\"landscape\""), "A4 landscape");
    assert!(xml.contains("w:w=\"16838\""), "A4 landscape width");
    // Each group's header row repeats on every page its table runs onto.
    assert_eq!(
        xml.matches("<w:tblHeader />").count(),
        3,
        "a repeated header row per group"
    );
    w.ok(&["lock", "--reason", "结果已核对"]);
    let (out, fingerprint) = export(&w, "docx", "results.docx", &[]);
    let words = xml_text(&document_xml(&out));
    assert!(fingerprint.ends_with("-F"));
    assert_eq!(words.matches("正式结果（").count(), 3);
    assert!(!words.contains("暂定结果"));
}

#[test]
fn cases_results_drop_the_empty_award_column_and_the_round_that_repeats_the_final() {
    let w = Workspace::loaded("cases");
    let (out, _) = export(&w, "html", "results.html", &[]);
    let html = std::fs::read_to_string(&out).unwrap();
    let thead = &html[html.find("<table class=\"results\">").unwrap()..];
    let thead = &thead[..thead.find("</thead>").unwrap()];
    assert!(!thead.contains("奖项"), "{thead}");
    assert!(!thead.contains("案例评审"), "the single round's column: {thead}");
    assert!(
        thead.contains("<th>单位</th>") && thead.contains("<th>县市区</th>"),
        "{thead}"
    );
    assert!(
        thead.contains("<th class=\"num\">最终得分</th><th>备注</th>"),
        "{thead}"
    );
    let (out, _) = export(&w, "xlsx", "results.xlsx", &[]);
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    let header: Vec<String> = range.rows().nth(4).unwrap().iter().map(text).collect();
    assert!(
        !header.iter().any(|h| h == "奖项" || h.starts_with("案例评审")),
        "{header:?}"
    );
    assert!(
        header.iter().any(|h| h == "单位") && header.iter().any(|h| h == "县市区"),
        "{header:?}"
    );
}

/// Pages of a PDF printed from `html` by headless Chromium, when Chromium and pdfinfo are
/// installed (scripts/render-pdf.sh needs the same); `None` otherwise.
fn printed_pages(html: &std::path::Path) -> Option<usize> {
    let found = |tool: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !found("chromium") || !found("pdfinfo") {
        return None;
    }
    let profile = tempfile::tempdir().ok()?;
    let pdf = html.with_extension("pdf");
    let mut chromium = std::process::Command::new("chromium");
    chromium.args([
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--no-pdf-header-footer",
    ]);
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } == 0 {
        chromium.arg("--no-sandbox");
    }
    let status = chromium
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    assert!(status.success(), "chromium failed to print {}", html.display());
    let info = std::process::Command::new("pdfinfo").arg(&pdf).output().ok()?;
    String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
}

#[test]
fn a_judges_sheet_for_a_group_fits_one_page() {
    let w = Workspace::loaded("competition");
    let out = w.path("sheets.html");
    w.ok(&["export", "sheets", "--format", "html", "--out", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(&out).unwrap();
    // Seven judges, three groups: 21 sheets. With the results' spacing each ran a third of a
    // page over (42 pages printed); the sheets' own tighter rows keep each on its page.
    assert_eq!(html.matches("<section class=\"page sheet\">").count(), 21);
    assert!(
        html.contains(
            "section.sheet th, section.sheet td { font-size: 8.5pt; line-height: 1.15; padding: 0.4mm 1.2mm; }"
        )
    );
    assert!(html.contains("section.sheet .signatures { margin-top: 3mm; }"));
    match printed_pages(&out) {
        Some(pages) => assert_eq!(pages, 21, "one printed page per judge and group"),
        None => eprintln!("chromium or pdfinfo not installed: the page count was not measured"),
    }
}
