//! XLSX workbooks (the first sheet, or one named), read with calamine.

use std::io::Cursor;

use calamine::{Cell, Data, DataRef, Range, Reader, Xlsx};

use super::ImportErrors;
use super::table::{MAX_ROWS, SourceKind, Table, TableRow, check_cell, column_letters};

/// Most columns a sheet may use (the used area from its first to its last column).
const MAX_COLUMNS: u32 = 1_000;
/// Most cells in a sheet's used area: calamine lays the area out densely in memory, and one stray
/// cell at XFD1048576 would otherwise ask for 17 billion of them.
const MAX_AREA_CELLS: u64 = 40_000_000;

pub fn read_xlsx(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportErrors> {
    // calamine 0.38 panics on some malformed sheets (found by fuzzing: a cell reference whose row
    // overflows when multiplied out). A damaged file must be refused, not crash the program.
    std::panic::catch_unwind(|| read_xlsx_unguarded(file, bytes, sheet)).unwrap_or_else(|_| {
        Err(ImportErrors::whole_file(
            file,
            "cannot be read as an Excel workbook (.xlsx): its sheet data is malformed; open it in Excel and save \
             it again, or save it as CSV UTF-8",
        ))
    })
}

/// The sheet's cells, refused before calamine builds a dense area too large to hold.
fn bounded_range(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Range<Data>, String> {
    let unreadable = |e: calamine::XlsxError| format!("sheet \"{name}\" cannot be read: {e}");
    let mut reader = book.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let (mut min_row, mut max_row, mut min_col, mut max_col) = (u32::MAX, 0u32, u32::MAX, 0u32);
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, col) = cell.get_position();
        if row as usize > MAX_ROWS + 1 {
            return Err(format!(
                "sheet \"{name}\" has a cell in row {}; files over {MAX_ROWS} rows are refused",
                row as u64 + 1
            ));
        }
        (min_row, max_row) = (min_row.min(row), max_row.max(row));
        (min_col, max_col) = (min_col.min(col), max_col.max(col));
        if max_col - min_col >= MAX_COLUMNS {
            return Err(format!(
                "sheet \"{name}\" uses columns {} to {}; more than {MAX_COLUMNS} columns are refused",
                column_letters(min_col as usize),
                column_letters(max_col as usize)
            ));
        }
        let area = (max_row - min_row + 1) as u64 * (max_col - min_col + 1) as u64;
        if area > MAX_AREA_CELLS {
            return Err(format!(
                "sheet \"{name}\" spans {} rows by {} columns; split the file",
                max_row - min_row + 1,
                max_col - min_col + 1
            ));
        }
        let value = Data::from(cell.get_value().clone());
        cells.push(Cell::new((row, col), value));
    }
    Ok(Range::from_sparse(cells))
}

fn read_xlsx_unguarded(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportErrors> {
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
    let range = bounded_range(&mut book, &name).map_err(whole)?;
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
