//! The bad-input catalogue: every class of bad file and value the importers meet gives a clear
//! message naming the file, the row and the column, and leaves the database exactly as it was.

mod common;

use common::{Workspace, fixture, refused, refused_in};

const ENTRY_HEADER: &str = "id,title,group,name,organization,county,order\n";

#[test]
fn garbage_bytes() {
    let err = refused("entries", "garbage.csv", b"id,title\n\xff\xfe\xfd\x80\x81,\xc0\xc1\n");
    assert!(err.contains("neither UTF-8 nor GBK/GB18030"), "{err}");
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn binary_file() {
    let err = refused("entries", "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    assert!(err.contains("binary"), "{err}");
}

#[test]
fn empty_file() {
    let err = refused("entries", "empty.csv", b"");
    assert!(err.contains("the file is empty"), "{err}");
}

#[test]
fn header_only() {
    let err = refused("entries", "header.csv", ENTRY_HEADER.as_bytes());
    assert!(err.contains("no entries below it"), "{err}");
}

#[test]
fn broken_xlsx() {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    let err = refused("entries", "broken.xlsx", &bytes);
    assert!(err.contains("is not a readable Excel workbook (.xlsx)"), "{err}");
}

#[test]
fn old_xls() {
    let err = refused("entries", "old.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    assert!(err.contains(".xls"), "{err}");
}

#[test]
fn broken_json() {
    let err = refused("entries", "entries.json", b"[{\"id\": \"X1\", \"title\": ");
    assert!(err.contains("is not valid JSON"), "{err}");
    let err = refused(
        "entries",
        "nested.json",
        "[{\"id\": \"X1\", \"title\": {\"a\": 1}, \"group\": \"教师组\"}]".as_bytes(),
    );
    assert!(err.contains("element 1, field \"title\""), "{err}");
}

#[test]
fn ragged_row() {
    let content = format!("{ENTRY_HEADER}X1,标题,教师组,张三,单位,县,1\nX2,标题,教师组,李四,单位\n");
    let err = refused("entries", "ragged.csv", content.as_bytes());
    assert!(err.contains("row 3 has 5 cells but the header has 7"), "{err}");
}

#[test]
fn no_id_column() {
    let err = refused("entries", "noid.csv", "标题,组别\n好故事,教师组\n".as_bytes());
    assert!(err.contains("has no id column"), "{err}");
}

#[test]
fn missing_id() {
    let content = format!("{ENTRY_HEADER}X1,标题,教师组,张三,单位,县,1\n,标题二,教师组,李四,单位,县,2\n");
    let err = refused("entries", "missing-id.csv", content.as_bytes());
    assert!(err.contains("row 3, column A (id): the id (编号) is empty"), "{err}");
}

#[test]
fn duplicate_id_in_the_file() {
    let content = format!(
        "{ENTRY_HEADER}X1,标题,教师组,张三,单位,县,1\nX2,标题,教师组,李四,单位,县,2\nX1,标题,家长组,王五,单位,县,3\n"
    );
    let err = refused("entries", "dup.csv", content.as_bytes());
    assert!(
        err.contains("row 4, column A (id): the id \"X1\" appears twice in this file (first at row 2)"),
        "{err}"
    );
}

#[test]
fn id_already_stored_needs_update() {
    let w = Workspace::loaded("competition");
    let content = format!("{ENTRY_HEADER}JS001,新标题,教师组,邓涵,单位,县,1\n");
    let err = refused_in(&w, "entries", "again.csv", content.as_bytes());
    assert!(
        err.contains("row 2, column A (id): the id \"JS001\" is already in the workspace; use --update"),
        "{err}"
    );
    // With --update it replaces the stored entry.
    let path = w.path("again.csv");
    let out = w.ok(&["import", "entries", path.to_str().unwrap(), "--update"]);
    assert!(out.contains("0 new, 1 updated"), "{out}");
    let store = jury::store::Store::open(&w.db).unwrap();
    assert_eq!(store.entry("JS001").unwrap().unwrap().title, "新标题");
}

#[test]
fn unknown_group() {
    let content = format!("{ENTRY_HEADER}X1,标题,学生组,张三,单位,县,1\n");
    let err = refused("entries", "group.csv", content.as_bytes());
    assert!(
        err.contains(
            "row 2, column C (group): unknown group \"学生组\"; the contest's groups are: 教师组, 家长组, 社会工作者组"
        ),
        "{err}"
    );
}

#[test]
fn bad_running_order() {
    let content = format!("{ENTRY_HEADER}X1,标题,教师组,张三,单位,县,第一\n");
    let err = refused("entries", "order.csv", content.as_bytes());
    assert!(
        err.contains("row 2, column G (order): the running order \"第一\" must be a whole number"),
        "{err}"
    );
}

#[test]
fn control_characters() {
    let content = format!("{ENTRY_HEADER}X1,标题\u{7},教师组,张三,单位,县,1\n");
    let err = refused("entries", "ctrl.csv", content.as_bytes());
    assert!(err.contains("row 2, column B"), "{err}");
    assert!(err.contains("U+0007"), "{err}");
}

#[test]
fn several_problems_are_listed_together() {
    let content =
        format!("{ENTRY_HEADER}X1,标题,学生组,张三,单位,县,1\n,标题,教师组,李四,单位,县,2\nX3,,教师组,,单位,县,x\n");
    let err = refused("entries", "many.csv", content.as_bytes());
    for needle in [
        "row 2, column C",
        "row 3, column A",
        "row 4, column B",
        "row 4, column G",
    ] {
        assert!(err.contains(needle), "missing {needle}:\n{err}");
    }
}

const SCORE_HEADER: &str = "judge,entry,round,criterion,score\n";

fn bad_score(line: &str) -> String {
    refused(
        "scores",
        "scores.csv",
        format!("{SCORE_HEADER}PW01,JS001,lesson,content,20\n{line}\n").as_bytes(),
    )
}

#[test]
fn score_over_the_max() {
    let err = bad_score("PW01,JS001,lesson,method,30.5");
    assert!(
        err.contains("row 3, column E (score): the score 30.5 is above the maximum 30 of method (方法策略)"),
        "{err}"
    );
}

#[test]
fn score_below_zero() {
    let err = bad_score("PW01,JS001,lesson,method,-1");
    assert!(
        err.contains("row 3, column E (score): the score -1 is below 0"),
        "{err}"
    );
}

#[test]
fn score_off_the_step() {
    let err = bad_score("PW01,JS001,lesson,method,18.25");
    assert!(
        err.contains("row 3, column E (score): the score 18.25 is not a multiple of the step 0.5"),
        "{err}"
    );
}

#[test]
fn score_not_a_number() {
    let err = bad_score("PW01,JS001,lesson,method,十八");
    assert!(
        err.contains("row 3, column E (score): the score \"十八\" is not a number"),
        "{err}"
    );
    let err = bad_score("PW01,JS001,lesson,method,");
    assert!(err.contains("row 3, column E (score): the score is empty"), "{err}");
}

/// The judges' screen and the importer read a score by the same rule (src/core/scoring.rs):
/// nothing is dropped, so a decimal comma or an inner space is refused, never read as 25 or 15.
#[test]
fn score_with_a_comma_a_space_or_a_sign() {
    for (cell, message) in [
        (
            "\"2,5\"",
            "row 3, column E (score): the score \"2,5\" is not a number (use . for the decimal point)",
        ),
        ("1 5", "row 3, column E (score): the score \"1 5\" is not a number"),
        ("50%", "row 3, column E (score): the score \"50%\" is not a number"),
        ("+3", "row 3, column E (score): the score \"+3\" is not a number"),
    ] {
        let err = bad_score(&format!("PW01,JS001,lesson,method,{cell}"));
        assert!(err.contains(message), "{cell}: {err}");
    }
}

#[test]
fn unknown_judge_entry_round_criterion() {
    let err = bad_score("PW42,JS001,lesson,method,20");
    assert!(err.contains("row 3, column A (judge): unknown judge \"PW42\""), "{err}");
    let err = bad_score("PW01,JS999,lesson,method,20");
    assert!(
        err.contains("row 3, column B (entry): unknown entry \"JS999\""),
        "{err}"
    );
    let err = bad_score("PW01,JS001,final,method,20");
    assert!(
        err.contains("row 3, column C (round): unknown round \"final\"; the rounds are: lesson (现场说课)"),
        "{err}"
    );
    let err = bad_score("PW01,JS001,lesson,charm,20");
    assert!(
        err.contains("row 3, column D (criterion): unknown criterion \"charm\" in round lesson"),
        "{err}"
    );
}

#[test]
fn conflicted_judge() {
    let w = Workspace::loaded("competition");
    w.ok(&["conflict", "add", "PW03", "JS002", "--reason", "同事"]);
    let err = refused_in(
        &w,
        "scores",
        "conflict.csv",
        format!("{SCORE_HEADER}PW03,JS002,lesson,content,20\n").as_bytes(),
    );
    assert!(
        err.contains("row 2, column A (judge): judge PW03 has a conflict of interest with JS002 (同事)"),
        "{err}"
    );
}

#[test]
fn conflicted_by_organisation_in_cases() {
    let w = Workspace::loaded("cases");
    // PW01 works where AL20250059 comes from.
    let err = refused_in(
        &w,
        "scores",
        "conflict.csv",
        format!("{SCORE_HEADER}PW01,AL20250059,review,background,10\n").as_bytes(),
    );
    assert!(
        err.contains("judge PW01 has a conflict of interest with AL20250059 (same organisation)"),
        "{err}"
    );
}

#[test]
fn duplicate_score_in_one_file() {
    let err = bad_score("PW01,JS001,现场说课,内容设计,21");
    assert!(
        err.contains(
            "row 3, column E (score): a second score for PW01/JS001/lesson/content in this file (first at row 2)"
        ),
        "{err}"
    );
}

#[test]
fn scores_file_missing_columns() {
    let err = refused("scores", "short.csv", "judge,entry,score\nPW01,JS001,20\n".as_bytes());
    assert!(err.contains("lacks the column(s) round, criterion"), "{err}");
}

#[test]
fn judges_without_pin_or_with_short_pin() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    let err = refused_in(
        &w,
        "judges",
        "judges.csv",
        "id,name,organization\nPW01,张三,单位\n".as_bytes(),
    );
    assert!(err.contains("needs a pin (密码) column"), "{err}");
    let err = refused_in(&w, "judges", "judges2.csv", "id,name,pin\nPW01,张三,12\n".as_bytes());
    assert!(
        err.contains("row 2, column C (pin): the PIN must have at least 4 characters"),
        "{err}"
    );
}

#[test]
fn xlsx_errors_name_the_sheet_row_and_column() {
    let w = Workspace::loaded("competition");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["评委", "编号", "轮次", "评分项", "分数"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "PW01").unwrap();
    sheet.write_string(1, 1, "JS001").unwrap();
    sheet.write_string(1, 2, "lesson").unwrap();
    sheet.write_string(1, 3, "content").unwrap();
    sheet.write_number(1, 4, 31.0).unwrap();
    let path = w.path("scores.xlsx");
    book.save(&path).unwrap();
    let before = w.digest();
    let err = w.fails(&["import", "scores", path.to_str().unwrap()]);
    assert_eq!(before, w.digest());
    assert!(
        err.contains("row 2, column E (分数): the score 31 is above the maximum 30"),
        "{err}"
    );
    let err = w.fails(&["import", "scores", path.to_str().unwrap(), "--sheet", "评分"]);
    assert!(
        err.contains("has no sheet named \"评分\"; its sheets are: Sheet1"),
        "{err}"
    );
}

#[test]
fn a_valid_import_after_refusals_still_works() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    let _ = refused_in(&w, "entries", "bad.csv", b"id,title\n\xff\n");
    let out = w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    assert!(out.contains("36 new"), "{out}");
}
