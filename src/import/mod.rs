//! Imports: entries, judges and typed-in score sheets from CSV, XLSX or JSON.
//!
//! Every import is all or nothing: every row is checked and written in one transaction, which is
//! committed only if no row has a problem (entries are written while later rows are still being
//! checked, see `entries.rs`; the other importers read and check the whole file first). Any problem names the file, the row as a spreadsheet counts it, the column, and
//! what is wrong; the workspace is then exactly as it was.

mod csv;
mod entries;
#[doc(hidden)]
pub mod fuzz;
mod json;
mod judges;
mod scores;
pub mod table;
pub mod text;
mod xlsx;

use std::path::Path;

pub use entries::{EntryImport, import_entries, import_entries_file};
pub use judges::{JudgeImport, JudgeImportOptions, import_judges, import_judges_with};
pub use scores::{ScoreImport, ScoreImportOptions, import_scores, import_scores_with};
pub use table::{ImportErrors, Problem, SourceKind, Table};

/// Read any supported file into a [`Table`]. The format comes from the extension, or from the
/// content when the extension says nothing (an XLSX is a ZIP; JSON starts with `[`).
pub fn read_table(path: &Path, sheet: Option<&str>) -> Result<Table, ImportErrors> {
    let file = path.display().to_string();
    let meta =
        std::fs::metadata(path).map_err(|e| ImportErrors::whole_file(&file, format!("cannot be opened: {e}")))?;
    if meta.len() > table::MAX_FILE_BYTES {
        return Err(ImportErrors::whole_file(
            &file,
            format!(
                "is {} MB; files over {} MB are refused",
                meta.len() / (1024 * 1024),
                table::MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| ImportErrors::whole_file(&file, format!("cannot be read: {e}")))?;
    read_table_bytes(&file, &bytes, sheet)
}

/// [`read_table`] on bytes already in memory; `file` names them in messages.
pub fn read_table_bytes(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportErrors> {
    let lower = file.to_lowercase();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") || (is_zip && !lower.ends_with(".csv")) {
        return xlsx::read_xlsx(file, bytes, sheet);
    }
    if lower.ends_with(".xls") {
        return Err(ImportErrors::whole_file(
            file,
            "is an old Excel 97-2003 workbook (.xls); save it as .xlsx or as CSV UTF-8",
        ));
    }
    if is_zip {
        return Err(ImportErrors::whole_file(
            file,
            "is a ZIP or Excel file, not CSV text; name it .xlsx, or save it from Excel as CSV UTF-8",
        ));
    }
    let first = bytes
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .copied()
        .next();
    if lower.ends_with(".json") || (!lower.ends_with(".csv") && first == Some(b'[')) {
        return json::read_json(file, bytes);
    }
    if bytes.contains(&0) && !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF") {
        return Err(ImportErrors::whole_file(
            file,
            "looks like a binary file, not CSV text; accepted are CSV, XLSX and JSON",
        ));
    }
    csv::read_csv(file, bytes)
}

/// A column a importer knows, with the headers that name it (English and Chinese).
pub(crate) struct Field {
    pub key: &'static str,
    pub aliases: &'static [&'static str],
}

/// Headers compared without case, spaces, or full-width/half-width differences.
pub(crate) fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '、' => ',',
            other => other,
        })
        .collect::<String>()
        .to_lowercase()
}

/// Where each known field sits in the table (`None`: absent), and the unknown columns.
pub(crate) struct ColumnMap {
    pub known: Vec<Option<usize>>,
    pub unknown: Vec<usize>,
}

pub(crate) fn map_columns(table: &Table, fields: &[Field]) -> Result<ColumnMap, ImportErrors> {
    map_columns_with(table, fields, |col| {
        table
            .rows
            .iter()
            .any(|r| r.cells.get(col).is_some_and(|c| !c.is_empty()))
    })
}

/// [`map_columns`] on `table`'s headers only; `has_data(col)` says whether a column has any data
/// (a streamed import knows that only once every row has been read).
pub(crate) fn map_columns_with(
    table: &Table,
    fields: &[Field],
    has_data: impl Fn(usize) -> bool,
) -> Result<ColumnMap, ImportErrors> {
    let mut known = vec![None; fields.len()];
    let mut unknown: Vec<usize> = Vec::new();
    let mut problems = table::Problems::new(table);
    for (col, header) in table.headers.iter().enumerate() {
        let h = normalise_header(header);
        if h.is_empty() {
            if has_data(col) {
                problems.at(1, Some(col), "this column has data but no header");
            }
            continue;
        }
        match fields
            .iter()
            .position(|f| f.key == h || f.aliases.iter().any(|a| normalise_header(a) == h))
        {
            Some(i) => {
                if let Some(prev) = known[i] {
                    problems.at(
                        1,
                        Some(col),
                        format!(
                            "the header names \"{}\" again (already {})",
                            fields[i].key,
                            table.column_label(prev)
                        ),
                    );
                } else {
                    known[i] = Some(col);
                }
            }
            None => {
                if let Some(prev) = unknown
                    .iter()
                    .find(|&&u: &&usize| normalise_header(&table.headers[u]) == h)
                {
                    problems.at(
                        1,
                        Some(col),
                        format!("duplicate header (also {})", table.column_label(*prev)),
                    );
                } else {
                    unknown.push(col);
                }
            }
        }
    }
    problems.into_result()?;
    Ok(ColumnMap { known, unknown })
}

/// The list of accepted headers for a message.
pub(crate) fn accepted_headers(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| match f.aliases.first() {
            Some(a) => format!("{}/{a}", f.key),
            None => f.key.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A short content hash of an imported file, recorded in the audit trail.
pub(crate) fn file_digest(table: &Table) -> String {
    let mut digest = FileDigest::default();
    digest.row(table.headers.iter().map(String::as_str), false);
    for row in &table.rows {
        digest.row(row.cells.iter().map(String::as_str), true);
    }
    digest.finish()
}

/// [`file_digest`] built row by row, for imports that never hold the whole table.
#[derive(Default)]
pub(crate) struct FileDigest(sha2::Sha256);

impl FileDigest {
    /// Every cell ends in a 0 byte; a data row (not the header) also ends in a 1 byte.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>, data: bool) {
        use sha2::Digest;
        for c in cells {
            self.0.update(c.as_bytes());
            self.0.update([0]);
        }
        if data {
            self.0.update([1]);
        }
    }

    pub fn finish(self) -> String {
        use sha2::Digest;
        self.0.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}
