//! The checks run on every fuzzer input: shared by the `cargo fuzz` targets in `fuzz/` and by
//! `tests/fuzz_corpus.rs`, which replays the committed corpus on stable Rust in CI.
//!
//! A check panics (that is how a fuzzer reports) when an importer panics, or when an import that
//! returned an error left anything behind (imports are all or nothing).

use std::path::Path;

use crate::app::import::{import_entries, import_scores};
use crate::core::rubric::parse_rubric;
use crate::error::Result;
use crate::import::read_table_bytes;
use crate::store::Store;

/// A throw-away workspace to import into: the built-in demo (a competition with 36 contestants,
/// 9 judges and scores), so that plausible score files find their judges and entries.
pub struct FuzzWorkspace {
    // Kept alive for the store's sake: the folder is deleted on drop.
    _dir: tempfile::TempDir,
    pub store: Store,
}

impl FuzzWorkspace {
    /// Create the workspace in memory-backed `/dev/shm` when there is one: every successful import
    /// is an fsync'd commit, and the fuzzer runs millions of inputs.
    pub fn new() -> Result<FuzzWorkspace> {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::Builder::new().prefix("jury-fuzz-").tempdir_in(shm)?
        } else {
            tempfile::Builder::new().prefix("jury-fuzz-").tempdir()?
        };
        let path = crate::app::demo::create_demo_workspace(dir.path())?;
        let store = Store::open(&path)?;
        Ok(FuzzWorkspace { _dir: dir, store })
    }

    /// What an import must leave untouched when it fails: the entry count and the audit head
    /// (every successful import appends an audit row in its own transaction).
    fn state(&self) -> (i64, (i64, String)) {
        let state = self.store.read(|s| Ok((s.entry_count()?, s.audit_head()?)));
        match state {
            Ok(state) => state,
            Err(e) => panic!("the fuzz workspace cannot be read: {e}"),
        }
    }
}

/// Read `bytes` as the file `name` (its extension picks CSV, XLSX or JSON), then offer the table
/// to the entries and the scores importers. Panics if an import fails but changes the workspace.
pub fn fuzz_check_table(workspace: &FuzzWorkspace, name: &str, bytes: &[u8]) {
    let Ok(table) = read_table_bytes(name, bytes, None) else {
        return;
    };
    // Every cell the reader returns is text a person could see: no NUL sneaks through.
    for row in &table.rows {
        for cell in &row.cells {
            assert!(!cell.contains('\0'), "{name}: a NUL character reached a cell");
        }
    }
    // What the reader marked (an XLSX date, a JSON fraction) is a cell of the table.
    for mark in &table.info.marks {
        assert!(
            table.rows.iter().any(|r| r.number == mark.row) && mark.col < table.headers.len(),
            "{name}: a mark outside the table: {mark:?}"
        );
    }
    let before = workspace.state();
    if import_entries(&workspace.store, &table, false).is_err() {
        assert_eq!(
            workspace.state(),
            before,
            "{name}: a refused entries import changed the workspace"
        );
    }
    let before = workspace.state();
    if import_scores(&workspace.store, &table).is_err() {
        assert_eq!(
            workspace.state(),
            before,
            "{name}: a refused scores import changed the workspace"
        );
    }
}

/// Parse `bytes` as a rubric file (TOML); only UTF-8 text can be one.
pub fn fuzz_check_rubric(bytes: &[u8]) {
    let Ok(source) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(rubric) = parse_rubric("fuzz.toml", source) {
        assert!(!rubric.rounds.is_empty(), "a rubric without rounds was accepted");
    }
}

/// Read `bytes` as a .docx, and again with `bytes` as the `word/document.xml` of a package (so
/// that the XML reader and the part splitter see mutated XML, not only mutated ZIP bytes). Never
/// a panic; what is read holds no NUL and no part longer than the document's text.
pub fn fuzz_check_docx(bytes: &[u8]) {
    check_case(bytes, crate::import::docx::read_case(bytes));
    let package = crate::import::docx::package_of_document_xml(bytes);
    check_case(bytes, crate::import::docx::read_case(&package));
}

fn check_case(input: &[u8], case: std::result::Result<crate::import::docx::Case, crate::core::problems::Problem>) {
    let Ok(case) = case else { return };
    for text in case.parts.iter().chain([&case.title]) {
        assert!(!text.contains('\0'), "a NUL character reached an entry");
        // Text comes out of the input (an entity may expand 4 bytes to 3, never more than that).
        assert!(text.len() <= input.len() * 2 + 64, "more text than the input holds");
    }
}
