//! CSV: UTF-8 (with or without BOM) or GBK/GB18030, CRLF or LF, quoted multi-line fields.
//! Ragged rows are errors, never padded.

use super::ImportErrors;
use super::table::{SourceKind, Table, TableRow, check_cell};
use super::text::{decode, unescape_cell};
use crate::core::problems::{CellProblem, Column, Located, Place, Problem};

pub fn read_csv(file: &str, bytes: &[u8]) -> Result<Table, ImportErrors> {
    let (text, _encoding) = decode(bytes).map_err(|m| ImportErrors::whole_file(file, m))?;
    let mut quotes = QuoteTracker::default();
    quotes.feed(text.as_bytes());
    let unclosed = quotes.unclosed();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut records = reader.records().enumerate().peekable();
    while let Some((index, record)) = records.next() {
        let number = index + 1;
        let last = records.peek().is_none();
        let record = match record {
            Ok(record) if last && unclosed => return Err(unclosed_quote(file, number, record.len())),
            Ok(record) => record,
            Err(e) => {
                return Err(match e.kind() {
                    csv::ErrorKind::UnequalLengths { len, .. } if last && unclosed => {
                        unclosed_quote(file, number, *len as usize)
                    }
                    _ => record_error(file, number, &e),
                });
            }
        };
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
                crate::core::problems::Problem::TooManyRows {
                    most: super::table::MAX_ROWS,
                },
            ));
        }
        rows.push(TableRow { number, cells });
    }
    let Some(headers) = headers else {
        return Err(ImportErrors::whole_file(
            file,
            crate::core::problems::Problem::EmptyFile,
        ));
    };
    Ok(Table {
        file: file.to_string(),
        kind: SourceKind::Csv,
        headers,
        rows,
        info: Default::default(),
    })
}

/// A record the csv reader refused: a ragged row, or bytes that are not CSV.
pub(super) fn record_error(file: &str, number: usize, e: &csv::Error) -> ImportErrors {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => ImportErrors::whole_file(
            file,
            crate::core::problems::Problem::UnequalRow {
                row: number,
                cells: *len,
                header: *expected_len,
            },
        ),
        _ => at_cell(file, number, None, Problem::NotCsv { error: e.to_string() }),
    }
}

/// The file ended inside a quoted cell: the last record, `number`, with `len` cells, took in
/// everything from the cell's opening quote to the end of the file.
pub(super) fn unclosed_quote(file: &str, number: usize, len: usize) -> ImportErrors {
    at_cell(file, number, Some(len.saturating_sub(1)), Problem::UnclosedQuote)
}

/// Follows CSV's quoting as the csv crate reads it (a quote opens a quoted cell only at the start
/// of a cell; inside one, `""` is a quote and `"` closes it), to tell at the end of a file whether
/// it ended inside a quoted cell, which the csv crate silently accepts.
///
/// Fed in pieces, it looks closely only at 64-byte blocks holding a quote; elsewhere the last
/// byte of a block is all that matters.
#[derive(Debug, Clone, Copy)]
pub(super) struct QuoteTracker {
    quoted: bool,
    /// Inside a quoted cell, the last byte was a quote: a closing one, or the first of `""`.
    pending: bool,
    /// The next byte starts a cell.
    at_start: bool,
}

impl Default for QuoteTracker {
    fn default() -> Self {
        QuoteTracker {
            quoted: false,
            pending: false,
            at_start: true,
        }
    }
}

impl QuoteTracker {
    pub fn feed(&mut self, data: &[u8]) {
        for block in data.chunks(64) {
            if block.contains(&b'"') {
                for &b in block {
                    self.byte(b);
                }
            } else if let Some(&last) = block.last() {
                if self.quoted && !self.pending {
                    continue;
                }
                // Unquoted, or the quote before this block closed the cell.
                self.quoted = false;
                self.pending = false;
                self.at_start = matches!(last, b',' | b'\n' | b'\r');
            }
        }
    }

    fn byte(&mut self, b: u8) {
        if self.quoted {
            if self.pending {
                self.pending = false;
                if b == b'"' {
                    return; // `""`: a quote inside the cell.
                }
                self.quoted = false; // The quote before closed the cell.
            } else {
                self.pending = b == b'"';
                return;
            }
        }
        if b == b'"' && self.at_start {
            self.quoted = true;
            self.at_start = false;
            return;
        }
        self.at_start = matches!(b, b',' | b'\n' | b'\r');
    }

    /// At the end of the file: it ended inside a quoted cell.
    pub fn unclosed(&self) -> bool {
        self.quoted && !self.pending
    }
}

/// A cell [`check_cell`] refused.
pub(super) fn cell_error(file: &str, number: usize, col: usize, what: &CellProblem) -> ImportErrors {
    at_cell(
        file,
        number,
        Some(col),
        Problem::BadCell {
            what: what.clone(),
            value: false,
        },
    )
}

/// A problem at row `number`, in column `col` (0-based, named by its letters) if one.
fn at_cell(file: &str, number: usize, col: Option<usize>, problem: Problem) -> ImportErrors {
    ImportErrors {
        file: file.to_string(),
        problems: vec![Located {
            place: Some(Place::Row(number)),
            column: col.map(|c| Column {
                index: Some(c),
                label: format!("column {}", super::table::column_letters(c)),
            }),
            problem,
        }],
        more: 0,
    }
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
    fn an_unclosed_quote_names_the_row_and_cell_where_it_opens() {
        // The quote in row 3, column B swallows the rest: the last record has 2 cells, as many as
        // the header, so the csv crate alone would accept it.
        let e = read_csv("a.csv", b"id,title\nA1,x\nA2,\"open\nA3,y\nA4,z\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("a.csv: row 3, column B: the cell opens with a quote (\") that is never closed"),
            "{e}"
        );
        // With fewer cells than the header: the quote, not a ragged row, is reported.
        let e = read_csv("a.csv", b"id,title,group\nA1,\"x\"\"y\",g\nA2,\"open,g\nA3,y,g\n").unwrap_err();
        assert!(
            e.to_string().contains("row 3, column B: the cell opens with a quote"),
            "{e}"
        );
        // A quote inside a cell, doubled quotes, a quoted cell ending the file: all fine.
        for ok in [
            &b"id,title\nA1,ab\"c\nA2,\"x\"\"\"\n"[..],
            b"id,title\nA1,\"x\"",
            b"id,title\r\nA1,\"\"\r\n",
        ] {
            assert!(read_csv("a.csv", ok).is_ok(), "{}", String::from_utf8_lossy(ok));
        }
        // A ragged row before the unclosed quote is reported as it was.
        let e = read_csv("a.csv", b"id,title\nA1,x,y\nA2,\"open\n").unwrap_err();
        assert!(e.to_string().contains("row 2 has 3 cells"), "{e}");
    }

    #[test]
    fn the_tracker_reads_pieces_as_it_reads_the_whole() {
        let text = format!(
            "id,title\n{}A1,\"{}\"\"\n{}",
            "x,y\n".repeat(40),
            "中".repeat(30),
            "z,".repeat(50)
        );
        for cut in 0..text.len() {
            let mut whole = QuoteTracker::default();
            whole.feed(text.as_bytes());
            let mut pieces = QuoteTracker::default();
            pieces.feed(&text.as_bytes()[..cut]);
            pieces.feed(&text.as_bytes()[cut..]);
            assert_eq!(pieces.unclosed(), whole.unclosed(), "cut at {cut}");
            assert!(whole.unclosed());
        }
    }

    #[test]
    fn empty_file_is_an_error() {
        let e = read_csv("a.csv", b"").unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
    }
}
