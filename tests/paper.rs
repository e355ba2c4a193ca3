//! Paper judging: blank score sheets (`jury export sheets --blank`) and the filled-in XLSX form
//! imported back with `jury import scores`, on the real binary.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Workspace, fixture};

/// Rounds and their criteria in the competition template, in order.
const ROUNDS: [(&str, &str, &[&str]); 3] = [
    ("lesson", "现场说课", &["content", "method", "expression", "effect"]),
    ("analysis", "案例分析", &["diagnosis", "solution", "expression"]),
    ("story", "育人故事分享", &["theme", "content", "delivery"]),
];

/// A competition workspace with contestants and judges, nothing scored, panels per group,
/// JS002 withdrawn and PW01 in conflict with JS003.
fn unscored() -> Workspace {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&["assign", "--group", "教师组", "--judges", "PW01,PW02,PW03,PW04,PW05"]);
    w.ok(&["assign", "--group", "家长组", "--judges", "PW03,PW04,PW05,PW06,PW07"]);
    w.ok(&[
        "assign",
        "--group",
        "社会工作者组",
        "--judges",
        "PW05,PW06,PW07,PW08,PW09",
    ]);
    w.ok(&["entry", "withdraw", "JS002", "--reason", "选手弃权"]);
    w.ok(&["conflict", "add", "PW01", "JS003", "--reason", "同一单位"]);
    w
}

/// Contestants by group, from the fixture.
fn contestants() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(fixture("contestants.csv")).unwrap();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        out.entry(cells[2].to_string()).or_default().push(cells[0].to_string());
    }
    out
}

/// (judge, group, round, entry) of every row of a blank HTML, and whether every box is empty.
fn html_rows(html: &str) -> (BTreeSet<(String, String, String, String)>, bool) {
    let attr = |text: &str, name: &str| -> String {
        let key = format!("{name}=\"");
        let at = text.find(&key).map(|i| i + key.len()).unwrap();
        text[at..].split('"').next().unwrap().to_string()
    };
    let mut rows = BTreeSet::new();
    let mut empty = true;
    for section in html.split("<section class=\"page sheet blank\"").skip(1) {
        let (judge, group) = (attr(section, "data-judge"), attr(section, "data-group"));
        for table in section.split("<table class=\"scores blank\"").skip(1) {
            let round = attr(table, "data-round");
            for row in table.split("<tr data-entry=").skip(1) {
                let entry = row.split('"').nth(1).unwrap().to_string();
                let row = row.split("</tr>").next().unwrap();
                empty &= row.matches("<td class=\"box").count() == row.matches("\"></td>").count();
                rows.insert((judge.clone(), group.clone(), round.clone(), entry));
            }
        }
    }
    (rows, empty)
}

#[test]
fn blank_html_has_every_panel_judge_round_and_contestant_and_no_values() {
    let w = unscored();
    // The sheets of today's `export sheets` need scores; blank ones do not.
    let out = w.path("blank.html");
    let said = w.ok(&[
        "export",
        "sheets",
        "--blank",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(said.contains("Wrote the blank score sheets (3 groups"), "{said}");
    let html = std::fs::read_to_string(&out).unwrap();
    let (rows, empty) = html_rows(&html);
    let panels = [
        ("教师组", ["PW01", "PW02", "PW03", "PW04", "PW05"]),
        ("家长组", ["PW03", "PW04", "PW05", "PW06", "PW07"]),
        ("社会工作者组", ["PW05", "PW06", "PW07", "PW08", "PW09"]),
    ];
    let groups = contestants();
    let mut expected = BTreeSet::new();
    for (group, judges) in panels {
        for judge in judges {
            for (round, _, _) in ROUNDS {
                for entry in &groups[group] {
                    if entry == "JS002" || (judge == "PW01" && entry == "JS003") {
                        continue; // withdrawn; in conflict with PW01
                    }
                    expected.insert((judge.to_string(), group.to_string(), round.to_string(), entry.clone()));
                }
            }
        }
    }
    assert_eq!(rows, expected);
    assert!(empty, "every box is empty");
    // A section per judge and group, with the criteria's maxima and the step, and a signature.
    assert_eq!(html.matches("<section class=\"page sheet blank\"").count(), 15);
    assert!(
        html.contains("内容设计<br>（满分 30，步长 0.5）"),
        "the maximum and the step"
    );
    assert_eq!(html.matches("评委签字（").count(), 15);
    assert!(html.contains("评委签字（PW02 郑鹏远）"));
    assert_eq!(html.matches("日期：").count(), 15);
}

#[test]
fn blank_sheets_follow_judge_and_group_and_refuse_what_has_no_entry() {
    let w = unscored();
    let out = w.path("pw03.html");
    w.ok(&[
        "export",
        "sheets",
        "--blank",
        "--format",
        "html",
        "--judge",
        "PW03",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (rows, _) = html_rows(&std::fs::read_to_string(&out).unwrap());
    let groups: BTreeSet<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(groups, BTreeSet::from(["家长组", "教师组"]));
    assert!(rows.iter().all(|r| r.0 == "PW03"));
    // 11 teachers (JS002 withdrawn) and 12 parents, three rounds each.
    assert_eq!(rows.len(), (11 + 12) * 3);

    let out = w.path("pw03-parents.html");
    w.ok(&[
        "export",
        "sheets",
        "--blank",
        "--format",
        "html",
        "--judge",
        "PW03",
        "--group",
        "家长组",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (rows, _) = html_rows(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows.len(), 12 * 3);
    assert!(rows.iter().all(|r| r.1 == "家长组"));

    let err = w.fails(&[
        "export",
        "sheets",
        "--blank",
        "--format",
        "html",
        "--judge",
        "PW08",
        "--group",
        "教师组",
    ]);
    assert!(
        err.contains("the judge PW08 has no entry to score in the group 教师组"),
        "{err}"
    );
    let err = w.fails(&["export", "sheets", "--blank", "--format", "html", "--judge", "PW99"]);
    assert!(err.contains("unknown judge \"PW99\""), "{err}");
    let err = w.fails(&["export", "sheets", "--blank", "--format", "html", "--group", "无此组"]);
    assert!(err.contains("unknown group"), "{err}");
    // In Chinese.
    let out = w.run_with(
        &["export", "sheets", "--blank", "--format", "html", "--judge", "PW99"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有评委“PW99”"));
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn the_blank_xlsx_form_has_the_fixed_cells_a_row_per_entry_and_a_column_per_criterion() {
    let w = unscored();
    let out = w.path("form.xlsx");
    w.ok(&[
        "export",
        "sheets",
        "--blank",
        "--format",
        "xlsx",
        "--judge",
        "PW01",
        "--out",
        out.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    // PW01 sits on the teachers' panel only: one sheet per round.
    assert_eq!(
        book.sheet_names(),
        [
            "PW01 教师组 现场说课",
            "PW01 教师组 案例分析",
            "PW01 教师组 育人故事分享"
        ]
    );
    let range = book.worksheet_range("PW01 教师组 现场说课").unwrap();
    let cell = |r: u32, c: u32| text(range.get_value((r, c)).unwrap_or(&Data::Empty));
    assert_eq!(
        (cell(0, 0), cell(0, 1)),
        ("赛事".into(), "家庭教育与心理健康教育专业技能大赛".into())
    );
    assert_eq!(
        (cell(1, 0), cell(1, 1), cell(1, 2)),
        ("评委".into(), "PW01".into(), "尹霞".into())
    );
    assert_eq!(
        (cell(2, 0), cell(2, 1), cell(2, 2)),
        ("轮次".into(), "lesson".into(), "现场说课".into())
    );
    assert_eq!((cell(3, 0), cell(3, 1)), ("组别".into(), "教师组".into()));
    let header: Vec<String> = (0..9).map(|c| cell(5, c)).collect();
    assert_eq!(
        header,
        [
            "编号",
            "标题",
            "选手",
            "内容设计 (content)",
            "方法策略 (method)",
            "语言表达 (expression)",
            "现场效果 (effect)",
            "合计",
            ""
        ]
    );
    assert_eq!(cell(4, 3), "满分 30，步长 0.5");
    // Teachers less JS002 (withdrawn) and JS003 (PW01's conflict), in running order.
    let entries: Vec<String> = (6..).map(|r| cell(r, 0)).take_while(|e| e.starts_with("JS")).collect();
    let mut expected = contestants()["教师组"].clone();
    expected.retain(|e| e != "JS002" && e != "JS003");
    assert_eq!(entries, expected);
    for r in 6..6 + entries.len() as u32 {
        for c in 3..7 {
            assert_eq!(cell(r, c), "", "box {r},{c} is empty");
        }
    }
}

/// The fixture's scores: (judge, entry, round) → criterion → score text.
fn fixture_scores() -> BTreeMap<(String, String, String), BTreeMap<String, String>> {
    let text = std::fs::read_to_string(fixture("scores-competition.csv")).unwrap();
    let mut out: BTreeMap<_, BTreeMap<String, String>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        out.entry((c[0].to_string(), c[1].to_string(), c[2].to_string()))
            .or_default()
            .insert(c[3].to_string(), c[4].to_string());
    }
    out
}

/// Write a filled-in form as a judge's office would: the form's cells, one sheet per judge,
/// group and round; scores as numbers, or as text when `as_text` says so for the cell.
fn write_form(
    path: &std::path::Path,
    sheets: &[(String, String, String)],
    value: &dyn Fn(&str, &str, &str, &str) -> Option<String>,
    as_text: &dyn Fn(&str, &str) -> bool,
) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let groups = contestants();
    for (n, (judge, group, round)) in sheets.iter().enumerate() {
        let (_, name, criteria) = ROUNDS.iter().find(|r| r.0 == round).unwrap();
        let sheet = book.add_worksheet();
        sheet.set_name(format!("S{n} {judge} {name}")).unwrap();
        for (r, (label, v)) in [
            ("赛事", "大赛"),
            ("评委", judge.as_str()),
            ("轮次", name),
            ("组别", group.as_str()),
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(r as u32, 0, *label).unwrap();
            sheet.write_string(r as u32, 1, *v).unwrap();
        }
        sheet.write_string(5, 0, "编号").unwrap();
        sheet.write_string(5, 1, "标题").unwrap();
        for (i, c) in criteria.iter().enumerate() {
            sheet.write_string(5, 2 + i as u16, format!("项 ({c})")).unwrap();
        }
        sheet.write_string(5, 2 + criteria.len() as u16, "合计").unwrap();
        for (i, entry) in groups[group].iter().enumerate() {
            let row = 6 + i as u32;
            sheet.write_string(row, 0, entry).unwrap();
            sheet.write_string(row, 1, "标题").unwrap();
            for (k, c) in criteria.iter().enumerate() {
                let Some(v) = value(judge, entry, round, c) else {
                    continue;
                };
                if as_text(entry, c) {
                    sheet.write_string(row, 2 + k as u16, &v).unwrap();
                } else {
                    sheet
                        .write_number(row, 2 + k as u16, v.parse::<f64>().unwrap())
                        .unwrap();
                }
            }
        }
        sheet
            .write_string(6 + groups[group].len() as u32 + 1, 0, "评委签字：")
            .unwrap();
    }
    book.save(path).unwrap();
}

/// Every judge, group and round the fixture scores, as form sheets.
fn all_sheets() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for j in 1..=7 {
        for group in contestants().keys() {
            for (round, _, _) in ROUNDS {
                out.push((format!("PW0{j}"), group.clone(), round.to_string()));
            }
        }
    }
    out
}

fn loaded_without_scores() -> Workspace {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w
}

#[test]
fn a_filled_form_imports_to_the_tally_of_the_long_format() {
    let scores = fixture_scores();
    let w = loaded_without_scores();
    let path = w.path("filled.xlsx");
    let value = |j: &str, e: &str, r: &str, c: &str| {
        scores
            .get(&(j.to_string(), e.to_string(), r.to_string()))
            .and_then(|m| m.get(c))
            .cloned()
    };
    // Some scores typed as text, as a spreadsheet keeps "18.5" typed after a quote.
    write_form(&path, &all_sheets(), &value, &|e, c| e == "JS005" && c == "content");
    let said = w.ok(&["import", "scores", path.to_str().unwrap()]);
    let boxes: usize = scores.values().map(BTreeMap::len).sum();
    assert!(said.contains(&format!("Imported {boxes} scores")), "{said}");
    assert!(said.contains("Read the paper score form: 63 sheets"), "{said}");
    // The same tally as the long format's, and the fixture's expected one.
    let long = Workspace::loaded("competition");
    assert_eq!(w.tally_json(), long.tally_json());
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("expected/tally-competition.json")).unwrap()).unwrap();
    let tally = w.tally_json();
    let finals: BTreeMap<String, String> = tally["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["entries"].as_array().unwrap().iter())
        .map(|e| (e["id"].as_str().unwrap().to_string(), e["final"].to_string()))
        .collect();
    let mut checked = 0;
    for g in expected["groups"].as_array().unwrap() {
        for e in g["entries"].as_array().unwrap() {
            let id = e["id"].as_str().unwrap();
            assert_eq!(finals[id], e["final"].to_string(), "{id}");
            checked += 1;
        }
    }
    assert_eq!(checked, 36);
    // Imported as signed: every sheet submitted; the same file again changes nothing.
    let again = w.ok(&["import", "scores", path.to_str().unwrap()]);
    assert!(again.contains("Nothing changed"), "{again}");
    assert!(w.run(&["audit", "verify"]).status.success());
}

#[test]
fn a_form_with_a_problem_is_refused_naming_the_sheet_row_and_column_and_changes_nothing() {
    let scores = fixture_scores();
    let w = loaded_without_scores();
    let one = vec![("PW01".to_string(), "教师组".to_string(), "lesson".to_string())];
    let path = w.path("bad.xlsx");
    let value = |j: &str, e: &str, r: &str, c: &str| -> Option<String> {
        match (e, c) {
            ("JS001", "content") => Some("31".into()),  // over the maximum 30
            ("JS004", "method") => Some("18.3".into()), // off the 0.5 step
            _ => scores
                .get(&(j.to_string(), e.to_string(), r.to_string()))
                .and_then(|m| m.get(c))
                .cloned(),
        }
    };
    write_form(&path, &one, &value, &|_, _| false);
    let before = w.digest();
    let err = w.fails(&["import", "scores", path.to_str().unwrap()]);
    assert_eq!(before, w.digest(), "nothing stored");
    // JS001 is row 7 (the header is row 6), content column C; JS004 row 10, method column D.
    assert!(
        err.contains(
            "sheet \"S0 PW01 现场说课\", row 7, column C (项 (content)): the score 31 is above the maximum 30"
        ),
        "{err}"
    );
    assert!(
        err.contains("sheet \"S0 PW01 现场说课\", row 10, column D (项 (method)):"),
        "{err}"
    );
    assert!(
        err.contains("Nothing was imported; the workspace is unchanged."),
        "{err}"
    );

    // An unknown judge is named once, at B2; a box left empty makes the sheet incomplete.
    let path = w.path("partial.xlsx");
    let partial = |j: &str, e: &str, r: &str, c: &str| -> Option<String> {
        if e == "JS006" && c == "effect" {
            return None;
        }
        scores
            .get(&(j.to_string(), e.to_string(), r.to_string()))
            .and_then(|m| m.get(c))
            .cloned()
    };
    write_form(&path, &one, &partial, &|_, _| false);
    let err = w.fails(&["import", "scores", path.to_str().unwrap()]);
    assert!(
        err.contains("sheet \"S0 PW01 现场说课\", row 12: PW01 / JS006 / lesson lacks effect"),
        "{err}"
    );
    let done = w.ok(&["import", "scores", path.to_str().unwrap(), "--partial"]);
    assert!(done.contains("1 sheet stored as a draft"), "{done}");

    let path = w.path("nobody.xlsx");
    let nobody = vec![("PW99".to_string(), "教师组".to_string(), "lesson".to_string())];
    write_form(&path, &nobody, &|_, _, _, _| Some("10".into()), &|_, _| false);
    let err = w.fails(&["import", "scores", path.to_str().unwrap()]);
    assert_eq!(err.matches("unknown judge \"PW99\"").count(), 1, "{err}");
    assert!(
        err.contains("sheet \"S0 PW99 现场说课\", row 2, column B (评委): unknown judge"),
        "{err}"
    );

    // A box filled in for an entry in conflict with the judge (回避): refused at the entry's row.
    w.ok(&["conflict", "add", "PW02", "JS003", "--reason", "亲属"]);
    let path = w.path("conflict.xlsx");
    let pw02 = vec![("PW02".to_string(), "教师组".to_string(), "lesson".to_string())];
    write_form(
        &path,
        &pw02,
        &|_, e, _, _| (e == "JS003").then(|| "10".to_string()),
        &|_, _| false,
    );
    let before = w.digest();
    let err = w.fails(&["import", "scores", path.to_str().unwrap()]);
    assert_eq!(before, w.digest());
    assert!(
        err.contains("sheet \"S0 PW02 现场说课\", row 9, column A (编号):"),
        "{err}"
    );
    assert!(err.contains("亲属"), "{err}");
}

#[test]
fn blank_sheets_of_cases_hold_each_judges_assignments_only() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    w.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&["assign", "--per-entry", "3"]);
    let assigned: BTreeSet<String> = {
        let conn = rusqlite::Connection::open(&w.db).unwrap();
        let mut stmt = conn
            .prepare("SELECT entry FROM assignments WHERE judge = 'PW01'")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert!(!assigned.is_empty());
    let out = w.path("pw01.html");
    w.ok(&[
        "export",
        "sheets",
        "--blank",
        "--format",
        "html",
        "--judge",
        "PW01",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (rows, empty) = html_rows(&std::fs::read_to_string(&out).unwrap());
    assert!(empty);
    let entries: BTreeSet<String> = rows.iter().map(|r| r.3.clone()).collect();
    assert_eq!(entries, assigned);
    // PW01's organisation's cases (conflicts found by organisation) are never on the sheet.
    assert!(!entries.contains("AL20250059") && !entries.contains("AL20250102"));
}

#[test]
fn a_blank_form_exported_then_filled_imports_back() {
    // The exported form itself is read back: nothing filled in is refused, plainly.
    let w = unscored();
    let out = w.path("form.xlsx");
    w.ok(&[
        "export",
        "sheets",
        "--blank",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = w.fails(&["import", "scores", out.to_str().unwrap()]);
    assert!(err.contains("no box of it is filled in"), "{err}");
}

#[test]
fn a_form_with_a_sheet_that_is_not_a_form_or_cut_short_is_refused_without_a_crash() {
    let scores = fixture_scores();
    let w = loaded_without_scores();
    let value = |j: &str, e: &str, r: &str, c: &str| {
        scores
            .get(&(j.to_string(), e.to_string(), r.to_string()))
            .and_then(|m| m.get(c))
            .cloned()
    };
    let one = vec![("PW01".to_string(), "教师组".to_string(), "lesson".to_string())];
    let path = w.path("form.xlsx");
    write_form(&path, &one, &value, &|_, _| false);
    let bytes = std::fs::read(&path).unwrap();
    // Cut short: a plain refusal (exit code 1), never a panic.
    let cut = w.path("cut.xlsx");
    for len in [bytes.len() / 2, bytes.len() - 30, 100] {
        std::fs::write(&cut, &bytes[..len]).unwrap();
        let out = w.run(&["import", "scores", cut.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // A second sheet with data that is not a form: its scores would be left behind, so refused.
    let mixed = w.path("mixed.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("表").unwrap();
    for (r, (label, v)) in [
        ("赛事", "大赛"),
        ("评委", "PW01"),
        ("轮次", "lesson"),
        ("组别", "教师组"),
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(r as u32, 0, *label).unwrap();
        sheet.write_string(r as u32, 1, *v).unwrap();
    }
    sheet.write_string(5, 0, "编号").unwrap();
    sheet.write_string(5, 1, "content").unwrap();
    sheet.write_string(6, 0, "JS001").unwrap();
    sheet.write_number(6, 1, 20).unwrap();
    let notes = book.add_worksheet();
    notes.set_name("备注").unwrap();
    notes.write_string(0, 0, "PW02 JS001 content 21").unwrap();
    book.save(&mixed).unwrap();
    let before = w.digest();
    let err = w.fails(&["import", "scores", mixed.to_str().unwrap()]);
    assert_eq!(before, w.digest());
    assert!(err.contains("its sheet \"备注\" is not one"), "{err}");
    // With --sheet, only that worksheet is read: one box, an incomplete sheet, as a draft.
    let done = w.ok(&[
        "import",
        "scores",
        mixed.to_str().unwrap(),
        "--sheet",
        "表",
        "--partial",
    ]);
    assert!(
        done.contains("Imported 1 scores") && done.contains("1 sheet stored as a draft"),
        "{done}"
    );
}
