//! CSV: UTF-8 (with or without BOM) or GBK/GB18030, CRLF or LF, quoted multi-line fields.
//! Ragged rows are errors, never padded.

use super::ImportErrors;
use super::table::{SourceKind, Table, TableRow, check_cell};
use super::text::{decode, unescape_cell};

pub fn read_csv(file: &str, bytes: &[u8]) -> Result<Table, ImportErrors> {
    let (text, _encoding) = decode(bytes).map_err(|m| ImportErrors::whole_file(file, m))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let number = index + 1;
        let record = record.map_err(|e| record_error(file, number, &e))?;
        let cells: Vec<String> = record.iter().map(|c| unescape_cell(c.trim()).to_string()).collect();
        for (col, cell) in cells.iter().enumerate() {
            check_cell(cell).map_err(|m| cell_error(file, number, col, &m))?;
        }
        if headers.is_none() {
            headers = Some(cells);
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue; // Excel leaves blank rows below the data.
        }
        if rows.len() >= super::table::MAX_ROWS {
            return Err(ImportErrors::whole_file(
                file,
                format!("more than {} rows; split the file", super::table::MAX_ROWS),
            ));
        }
        rows.push(TableRow { number, cells });
    }
    let Some(headers) = headers else {
        return Err(ImportErrors::whole_file(
            file,
            "the file is empty: it needs a header row and data rows",
        ));
    };
    Ok(Table {
        file: file.to_string(),
        kind: SourceKind::Csv,
        headers,
        rows,
    })
}

/// A record the csv reader refused: a ragged row, or bytes that are not CSV.
pub(super) fn record_error(file: &str, number: usize, e: &csv::Error) -> ImportErrors {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => ImportErrors::whole_file(
            file,
            format!(
                "row {number} has {len} cells but the header has {expected_len}; every row needs the same columns \
                 (a comma inside a cell must be quoted)"
            ),
        ),
        _ => ImportErrors::whole_file(file, format!("row {number}: cannot be read as CSV: {e}")),
    }
}

/// A cell [`check_cell`] refused.
pub(super) fn cell_error(file: &str, number: usize, col: usize, message: &str) -> ImportErrors {
    ImportErrors::whole_file(
        file,
        format!(
            "row {number}, column {}: the cell {message}",
            super::table::column_letters(col)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_multiline_crlf() {
        let t = read_csv(
            "a.csv",
            b"id,text\r\nA1,\"line one\r\nline two, with comma\"\r\n,\r\nA2,x\r\n",
        )
        .unwrap();
        assert_eq!(t.headers, vec!["id", "text"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[1], "line one\r\nline two, with comma");
        assert_eq!(t.rows[1].number, 4, "the blank row 3 is skipped but still counted");
    }

    #[test]
    fn ragged_rows_are_errors() {
        let e = read_csv("a.csv", b"id,title\nA1,x\nA2,y,z\n").unwrap_err();
        assert!(e.to_string().contains("row 3 has 3 cells but the header has 2"), "{e}");
    }

    #[test]
    fn empty_file_is_an_error() {
        let e = read_csv("a.csv", b"").unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
    }
}
