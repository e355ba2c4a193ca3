//! Imports: entries, judges and typed-in score sheets from CSV, XLSX or JSON.
//!
//! Every import is all or nothing: the whole file is read and checked first, then written in one
//! transaction. Any problem names the file, the row as a spreadsheet counts it, the column, and
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

pub use entries::{EntryImport, import_entries};
pub use judges::import_judges;
pub use scores::import_scores;
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
    let mut known = vec![None; fields.len()];
    let mut unknown: Vec<usize> = Vec::new();
    let mut problems = table::Problems::new(table);
    for (col, header) in table.headers.iter().enumerate() {
        let h = normalise_header(header);
        if h.is_empty() {
            if table
                .rows
                .iter()
                .any(|r| r.cells.get(col).is_some_and(|c| !c.is_empty()))
            {
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
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for header in &table.headers {
        h.update(header.as_bytes());
        h.update([0]);
    }
    for row in &table.rows {
        for c in &row.cells {
            h.update(c.as_bytes());
            h.update([0]);
        }
        h.update([1]);
    }
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}
