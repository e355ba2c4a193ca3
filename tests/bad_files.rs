//! Files that do not mean what they seem to (issue 12, items 2, 7 and 9): XLSX dates, formulas
//! without results, merged cells, hidden sheets and rows; JSON duplicate keys and numbers; CSV
//! open quotes and NUL bytes; devices, pipes and zip bombs. Every refusal names the file, the
//! place and the problem, and leaves the workspace exactly as it was.

mod common;

use std::io::{Read, Write};

use common::{Workspace, refused, refused_in};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

fn imported(w: &Workspace, kind: &str, file_name: &str, content: &[u8]) -> String {
    let path = w.path(file_name);
    std::fs::write(&path, content).unwrap();
    let path = path.to_str().unwrap();
    if kind == "scores" {
        // The loaded fixture's sheets are submitted: these files correct them, by decision.
        w.ok(&[
            "import",
            kind,
            path,
            "--replace-submitted",
            "--reason",
            "corrected sheet",
        ])
    } else {
        w.ok(&["import", kind, path])
    }
}

fn stored_score(w: &Workspace, judge: &str, entry: &str, criterion: &str) -> Option<String> {
    let store = jury::store::Store::open(&w.db).unwrap();
    store
        .score(judge, entry, "lesson", criterion)
        .unwrap()
        .map(|p| p.to_string())
}

/// A one-sheet workbook of scores: the header, then `rows` written by `write`.
fn scores_book(write: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["judge", "entry", "round", "criterion", "score"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    write(sheet);
    book.save_to_buffer().unwrap()
}

fn score_row(sheet: &mut Worksheet, row: u32, judge: &str, entry: &str, criterion: &str) {
    sheet.write_string(row, 0, judge).unwrap();
    sheet.write_string(row, 1, entry).unwrap();
    sheet.write_string(row, 2, "lesson").unwrap();
    sheet.write_string(row, 3, criterion).unwrap();
}

/// The workbook `bytes` with `edit` applied to the text of each part.
fn rezip(bytes: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(edit(&name, text).as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_date_in_a_score_or_id_column_is_refused() {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let book = scores_book(|s| {
        score_row(s, 1, "PW01", "JS001", "content");
        s.write_number(1, 4, 20.0).unwrap();
        score_row(s, 4, "PW01", "JS001", "method");
        s.write_number_with_format(4, 4, 25.0, &date).unwrap();
    });
    let err = refused("scores", "dates.xlsx", &book);
    assert!(
        err.contains("row 5, column E (score): a date (1900-01-25), not a score"),
        "{err}"
    );
    // An id typed as a date (Excel turns 3-1 into a date).
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "id").unwrap();
    s.write_string(0, 1, "title").unwrap();
    s.write_number_with_format(1, 0, 45717.0, &date).unwrap();
    s.write_string(1, 1, "标题").unwrap();
    let err = refused("entries", "ids.xlsx", &book.save_to_buffer().unwrap());
    assert!(
        err.contains("row 2, column A (id): a date (2025-03-01), not an id"),
        "{err}"
    );
}

#[test]
fn a_formula_without_a_saved_result_is_refused() {
    let book = scores_book(|s| {
        score_row(s, 1, "PW01", "JS001", "content");
        s.write_formula(1, 4, "=10+10").unwrap();
    });
    // rust_xlsxwriter saves 0 as the result; a file no program calculated has none.
    let book = rezip(&book, |name, text| {
        if name.ends_with("sheet1.xml") {
            text.replace("</f><v>0</v>", "</f>")
        } else {
            text
        }
    });
    let err = refused("scores", "formula.xlsx", &book);
    assert!(
        err.contains("row 2, column E: the cell has a formula (=10+10) but no saved result"),
        "{err}"
    );
}

#[test]
fn an_excel_error_is_named_as_excel_shows_it() {
    let book = scores_book(|s| {
        score_row(s, 1, "PW01", "JS001", "content");
        s.write_formula(1, 4, rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
    });
    let err = refused("scores", "div0.xlsx", &book);
    assert!(
        err.contains("row 2, column E: the cell shows the Excel error #DIV/0!"),
        "{err}"
    );
}

#[test]
fn merged_cells_in_the_table_are_refused() {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in ["id", "title", "group", "name"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    for (r, id) in ["X1", "X2", "X3"].iter().enumerate() {
        s.write_string(r as u32 + 1, 0, *id).unwrap();
        s.write_string(r as u32 + 1, 1, "标题").unwrap();
        s.write_string(r as u32 + 1, 3, "张三").unwrap();
    }
    // One group typed once for three rows.
    s.merge_range(1, 2, 3, 2, "教师组", &Format::new()).unwrap();
    let err = refused("entries", "merged.xlsx", &book.save_to_buffer().unwrap());
    assert!(
        err.contains("sheet \"Sheet1\", cells C2:C4: these cells are merged; a merged cell keeps its value only in its first cell (C2)"),
        "{err}"
    );
}

#[test]
fn the_first_visible_sheet_is_read_and_hidden_rows_are_counted() {
    let w = Workspace::loaded("competition");
    let mut book = Workbook::new();
    let old = book.add_worksheet().set_name("旧数据").unwrap();
    old.write_string(0, 0, "nothing to see").unwrap();
    old.set_hidden(true);
    let s = book.add_worksheet().set_name("评分").unwrap().set_active(true);
    for (c, h) in ["judge", "entry", "round", "criterion", "score"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    score_row(s, 1, "PW01", "JS001", "content");
    s.write_number(1, 4, 21.0).unwrap();
    score_row(s, 2, "PW01", "JS001", "method");
    // A number stored as text, where a score is expected.
    s.write_string(2, 4, "22.5").unwrap();
    s.set_row_hidden(2).unwrap();
    let out = imported(&w, "scores", "sheets.xlsx", &book.save_to_buffer().unwrap());
    assert!(out.contains("Imported 2 scores"), "{out}");
    assert!(
        out.contains("Read sheet \"评分\" (the first visible sheet; hidden before it: \"旧数据\"; the workbook has 2 sheets; --sheet NAME reads another)."),
        "{out}"
    );
    assert!(
        out.contains("1 row hidden in Excel (by hand or by a filter) was imported like the others: row 3."),
        "{out}"
    );
    assert_eq!(stored_score(&w, "PW01", "JS001", "content").as_deref(), Some("21"));
    assert_eq!(stored_score(&w, "PW01", "JS001", "method").as_deref(), Some("22.5"));
}

#[test]
fn ids_that_lost_their_leading_zeros_are_refused() {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "id").unwrap();
    s.write_string(0, 1, "title").unwrap();
    s.write_string(1, 0, "0011").unwrap();
    s.write_number(2, 0, 12.0).unwrap();
    s.write_string(3, 0, "0013").unwrap();
    for r in 1..=3 {
        s.write_string(r, 1, "标题").unwrap();
    }
    let err = refused("entries", "zeros.xlsx", &book.save_to_buffer().unwrap());
    assert!(
        err.contains("row 3, column A (id): the id \"12\" looks like \"0012\" without its leading zeros"),
        "{err}"
    );
}

#[test]
fn full_width_headers_are_recognised() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    let out = imported(
        &w,
        "entries",
        "wide.csv",
        "ＩＤ,ｔｉｔｌｅ,组别\nX1,标题,教师组\n".as_bytes(),
    );
    assert!(out.contains("1 new"), "{out}");
    let store = jury::store::Store::open(&w.db).unwrap();
    assert_eq!(store.entry("X1").unwrap().unwrap().title, "标题");
}

#[test]
fn json_duplicate_keys_are_refused() {
    let err = refused(
        "entries",
        "dup.json",
        "[{\"id\": \"X1\", \"title\": \"一\", \"title\": \"二\"}]".as_bytes(),
    );
    assert!(
        err.contains("element 1: the key \"title\" appears twice in this object"),
        "{err}"
    );
}

#[test]
fn json_numbers_are_their_literal_text() {
    let w = Workspace::loaded("competition");
    // A 30-digit id stays those 30 digits.
    let out = imported(
        &w,
        "entries",
        "long.json",
        b"[{\"id\": 123456789012345678901234567890, \"title\": \"t\", \"group\": \"\\u6559\\u5e08\\u7ec4\"}]",
    );
    assert!(out.contains("1 new"), "{out}");
    let store = jury::store::Store::open(&w.db).unwrap();
    assert!(store.entry("123456789012345678901234567890").unwrap().is_some());
    // An id that is not a whole number is refused.
    let err = refused_in(&w, "entries", "frac.json", b"[{\"id\": 1.5, \"title\": \"t\"}]");
    assert!(
        err.contains("element 1, field \"id\": the id 1.5 is a number that is not a whole number"),
        "{err}"
    );
    // A score too precise for CSV is too precise in JSON: never rounded through a float.
    let err = refused_in(
        &w,
        "scores",
        "precise.json",
        b"[{\"judge\": \"PW01\", \"entry\": \"JS001\", \"round\": \"lesson\", \"criterion\": \"content\", \"score\": 24.5000000000000001}]",
    );
    assert!(
        err.contains("element 1, field \"score\": the score \"24.5000000000000001\" has more than 4 decimal places"),
        "{err}"
    );
}

#[test]
fn json_wrapped_shapes_are_read() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let out = imported(
        &w,
        "entries",
        "entries.json",
        "{\"entries\": [{\"id\": \"A1\", \"title\": \"标题\", \"sections\": {\"background\": \"背景\", \"problem\": \"问题\", \"strategy\": \"策略\", \"outcome\": \"结果\"}}]}"
            .as_bytes(),
    );
    assert!(out.contains("1 new"), "{out}");
    let store = jury::store::Store::open(&w.db).unwrap();
    let entry = store
        .entries_with_texts()
        .unwrap()
        .into_iter()
        .find(|e| e.id == "A1")
        .unwrap();
    assert_eq!(entry.sections.background, "背景");
    assert_eq!(entry.sections.outcome, "结果");

    let w = Workspace::loaded("competition");
    let out = imported(
        &w,
        "scores",
        "scores.json",
        b"{\"scores\": [{\"judge\": \"PW01\", \"entry\": \"JS001\", \"round\": \"lesson\", \"criterion\": \"content\", \"score\": \"23.5\", \"status\": \"submitted\"}]}",
    );
    assert!(out.contains("Imported 1 scores"), "{out}");
    assert_eq!(stored_score(&w, "PW01", "JS001", "content").as_deref(), Some("23.5"));
}

#[test]
fn an_open_quote_names_the_row_where_it_starts() {
    // Entries from a .csv are streamed; scores are read whole: both say the same.
    let err = refused(
        "entries",
        "quote.csv",
        "id,title,group\nX1,标题,教师组\nX2,\"未闭合的标题,教师组\nX3,标题,教师组\n".as_bytes(),
    );
    assert!(
        err.contains("row 3, column B: the cell opens with a quote (\") that is never closed"),
        "{err}"
    );
    let err = refused(
        "scores",
        "quote.csv",
        b"judge,entry,round,criterion,score\nPW01,JS001,lesson,content,20\nPW01,\"JS001,lesson,method,20\n",
    );
    assert!(
        err.contains("row 3, column B: the cell opens with a quote (\") that is never closed"),
        "{err}"
    );
}

#[test]
fn a_nul_byte_names_its_row_and_column() {
    let mut content = String::from("id,title,group\n");
    for i in 1..=20 {
        content.push_str(&format!("X{i},标题{i},教师组\n"));
    }
    content.push_str("X21,坏\0标题,教师组\n");
    let err = refused("entries", "nul.csv", content.as_bytes());
    assert!(
        err.contains("row 22, column B: the cell contains a NUL byte (U+0000)"),
        "{err}"
    );
}

#[test]
fn an_empty_score_says_so() {
    let err = refused(
        "scores",
        "empty.csv",
        b"judge,entry,round,criterion,score\nPW01,JS001,lesson,content,\n",
    );
    assert!(
        err.contains("row 2, column E (score): the score is empty; every row needs one"),
        "{err}"
    );
}

#[test]
fn a_zip_that_is_not_a_workbook_says_so() {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    out.start_file("word/document.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    out.write_all(b"<w:document/>").unwrap();
    let docx = out.finish().unwrap().into_inner();
    let err = refused("entries", "letter.xlsx", &docx);
    assert!(
        err.contains("is a ZIP archive but not an Excel workbook (.xlsx): it has no workbook in it; it is a Word document (.docx)"),
        "{err}"
    );
    let mut cut = b"PK\x03\x04".to_vec();
    cut.extend_from_slice(&[0u8; 64]);
    let err = refused("entries", "cut.xlsx", &cut);
    assert!(
        err.contains("is not a readable Excel workbook (.xlsx): it is not a complete ZIP archive"),
        "{err}"
    );
    assert!(!err.contains("EOCD"), "{err}");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let book = scores_book(|s| score_row(s, 1, "PW01", "JS001", "content"));
    // 40 MB of one repeated character packs into about 40 KB.
    let bomb = rezip(&book, |name, text| {
        if name.ends_with("sheet1.xml") {
            text.replace("<sheetData>", &format!("<sheetData>{}", " ".repeat(40 << 20)))
        } else {
            text
        }
    });
    assert!(bomb.len() < 1 << 20);
    let err = refused("scores", "bomb.xlsx", &bomb);
    assert!(
        err.contains("its part xl/worksheets/sheet1.xml would unpack to 40 MB from"),
        "{err}"
    );
    assert!(err.contains("as a zip bomb does"), "{err}");
    // A directory that claims more than the cap is refused by what it claims.
    let mut big = book.clone();
    let mut at = 0;
    while let Some(i) = big[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let header = at + i;
        big[header + 24..header + 28].copy_from_slice(&(300u32 << 20).to_le_bytes());
        at = header + 4;
    }
    let err = refused("scores", "claims.xlsx", &big);
    assert!(err.contains("unpacks to more than 256 MB"), "{err}");
}

/// A few bytes claiming 4 billion shared strings made calamine reserve 96 GB and abort.
#[test]
fn a_workbook_that_claims_billions_of_texts_is_refused() {
    let book = scores_book(|s| {
        score_row(s, 1, "PW01", "JS001", "content");
        s.write_number(1, 4, 20.0).unwrap();
    });
    let claims = rezip(&book, |name, text| {
        if name.ends_with("sharedStrings.xml") {
            let at = text.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = at + text[at..].find('"').unwrap();
            format!("{}4000000000{}", &text[..at], &text[end..])
        } else {
            text
        }
    });
    let err = refused("scores", "claims-texts.xlsx", &claims);
    assert!(
        err.contains("is a damaged Excel workbook (.xlsx): its part xl/sharedStrings.xml claims 4000000000 texts"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_device_is_refused_and_a_pipe_is_read() {
    let w = Workspace::loaded("competition");
    let before = w.digest();
    let started = std::time::Instant::now();
    for kind in ["entries", "judges", "scores"] {
        let err = w.fails(&["import", kind, "/dev/zero"]);
        assert!(
            err.contains("/dev/zero: is a device (a character device such as /dev/zero or a terminal), not a file"),
            "{err}"
        );
    }
    assert!(started.elapsed().as_secs() < 20, "refused before reading");
    let folder = w.path("folder.csv");
    std::fs::create_dir(&folder).unwrap();
    let err = w.fails(&["import", "entries", folder.to_str().unwrap()]);
    assert!(err.contains("is a folder, not a file"), "{err}");
    assert_eq!(before, w.digest());

    // A FIFO named .csv is read whole (it cannot be streamed twice), up to the same cap.
    let fifo = w.path("pipe.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::fs::write(fifo, "id,title,group\nP1,管道,教师组\n".as_bytes()).unwrap();
        })
    };
    let out = w.ok(&["import", "entries", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert!(out.contains("1 new"), "{out}");
}
