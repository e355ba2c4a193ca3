//! Replays the committed fuzz corpus (fuzz/corpus/<target>/) with the same checks as the
//! `cargo fuzz` targets, on stable Rust: no importer panics on any seed or on any input the fuzzer
//! once found interesting, and a refused import leaves the workspace as it was.

use std::path::Path;

use jury::app::fuzz::{FuzzWorkspace, fuzz_check_docx, fuzz_check_rubric, fuzz_check_table};

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.display().to_string(), std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn replay_tables(target: &str, extension: &str, at_least: usize) {
    let workspace = FuzzWorkspace::new().unwrap();
    let files = corpus(target);
    assert!(files.len() >= at_least, "{target}: only {} corpus files", files.len());
    for (name, bytes) in &files {
        // The fuzz target names every input by its format's extension, whatever the corpus file is called.
        let as_named = format!("{name}.{extension}");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            fuzz_check_table(&workspace, &as_named, bytes)
        }));
        assert!(outcome.is_ok(), "{target}: {name} failed the fuzz checks");
    }
    workspace.store.integrity_check().unwrap();
}

#[test]
fn csv_corpus_replays() {
    replay_tables("import_csv", "csv", 15);
}

#[test]
fn xlsx_corpus_replays() {
    replay_tables("import_xlsx", "xlsx", 3);
}

#[test]
fn json_corpus_replays() {
    replay_tables("import_json", "json", 8);
}

#[test]
fn docx_corpus_replays() {
    let files = corpus("import_docx");
    assert!(files.len() >= 7, "import_docx: only {} corpus files", files.len());
    for (name, bytes) in &files {
        let outcome = std::panic::catch_unwind(|| fuzz_check_docx(bytes));
        assert!(outcome.is_ok(), "import_docx: {name} failed the fuzz checks");
    }
    // The seeds are what they say: two fixture documents read, the .doc and the PDF refused.
    let read = |name: &str| {
        let (_, bytes) = files.iter().find(|(n, _)| n.ends_with(name)).unwrap();
        jury::import::docx::read_case(bytes)
    };
    assert!(read("bold.docx").unwrap().parts.iter().all(|p| !p.is_empty()));
    assert!(read("cfb.doc").unwrap_err().to_string().contains("请另存为 .docx"));
    assert!(read("scan.pdf").unwrap_err().to_string().contains("请转换为 .docx"));
}

#[test]
fn rubric_corpus_replays() {
    let files = corpus("rubric");
    assert!(files.len() >= 4);
    for (name, bytes) in &files {
        let outcome = std::panic::catch_unwind(|| fuzz_check_rubric(bytes));
        assert!(outcome.is_ok(), "rubric: {name} failed the fuzz checks");
    }
    // The two templates are valid rubrics.
    for template in ["cases.toml", "competition.toml"] {
        let (_, source) = files.iter().find(|(n, _)| n.ends_with(template)).unwrap();
        jury::core::rubric::parse_rubric(template, std::str::from_utf8(source).unwrap()).unwrap();
    }
}

/// Found by `cargo fuzz run import_xlsx` (debug assertions on): calamine 0.38 multiplied a cell
/// reference's row out of range and panicked. jury now refuses the file with a message.
#[test]
fn the_xlsx_that_crashed_calamine_is_refused_with_a_message() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/import_xlsx/regression-row-overflow.xlsx");
    let bytes = std::fs::read(path).unwrap();
    let err = jury::import::read_table_bytes("scores.xlsx", &bytes, None).expect_err("a malformed sheet");
    // With overflow checks (debug builds, as `cargo test` runs) calamine panics and jury contains
    // the panic; without them (release) the wrapped row number makes calamine report a parse error.
    // Either way the file is refused with a message that names it.
    let text = err.to_string();
    let contained = text.starts_with(
        "scores.xlsx: cannot be read as an Excel workbook (.xlsx): its sheet data is malformed; open it in \
         Excel and save it again, or save it as CSV UTF-8",
    );
    let parse_error = text.starts_with("scores.xlsx: sheet \"Sheet1\" cannot be read:");
    assert!(
        if cfg!(debug_assertions) {
            contained
        } else {
            contained || parse_error
        },
        "{err}"
    );
}

/// One stray cell far away would make calamine lay out billions of cells: refused before that.
#[test]
fn an_xlsx_with_a_stray_cell_at_xfd1048576_is_refused_not_allocated() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "id").unwrap();
    sheet.write_string(1, 0, "A1").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let err = jury::import::read_table_bytes("stray.xlsx", &bytes, None).expect_err("too wide");
    assert!(
        err.to_string()
            .contains("uses columns A to XFD; more than 1000 columns are refused"),
        "{err}"
    );
}
