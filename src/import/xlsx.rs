//! XLSX workbooks (the first sheet, or one named), read with calamine.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::ImportErrors;
use super::table::{MAX_ROWS, SourceKind, Table, TableRow, check_cell, column_letters};

pub fn read_xlsx(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportErrors> {
    let whole = |m: String| ImportErrors::whole_file(file, m);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| whole(format!("cannot be read as an Excel workbook (.xlsx): {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(whole(format!(
                    "has no sheet named \"{s}\"; its sheets are: {}",
                    names.join(", ")
                )));
            }
            s.to_string()
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| whole("the workbook has no sheets".into()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| whole(format!("sheet \"{name}\" cannot be read: {e}")))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let number = first_row as usize + i + 1;
        let mut cells = Vec::with_capacity(row.len());
        for (c, cell) in row.iter().enumerate() {
            let text = match cell {
                Data::Empty => String::new(),
                Data::String(s) => s.trim().to_string(),
                Data::Int(n) => n.to_string(),
                Data::Float(f) => format!("{f}"),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => d.to_string(),
                Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Error(e) => {
                    return Err(whole(format!(
                        "sheet \"{name}\", row {number}, column {}: the cell holds the Excel error {e:?}; fix the formula",
                        column_letters(first_col as usize + c)
                    )));
                }
            };
            if let Err(m) = check_cell(&text) {
                return Err(whole(format!(
                    "sheet \"{name}\", row {number}, column {}: the cell {m}",
                    column_letters(first_col as usize + c)
                )));
            }
            cells.push(text);
        }
        if headers.is_none() {
            if cells.iter().all(String::is_empty) {
                continue;
            }
            // Keep column letters true to the sheet when the data does not start in column A.
            let mut h = vec![String::new(); first_col as usize];
            h.extend(cells);
            headers = Some(h);
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(whole(format!("more than {MAX_ROWS} rows; split the file")));
        }
        let mut full = vec![String::new(); first_col as usize];
        full.extend(cells);
        rows.push(TableRow { number, cells: full });
    }
    let Some(headers) = headers else {
        return Err(whole(format!(
            "sheet \"{name}\" is empty: it needs a header row and data rows"
        )));
    };
    Ok(Table {
        file: file.to_string(),
        kind: SourceKind::Xlsx,
        headers,
        rows,
    })
}
