//! A file read into rows of text cells, whatever its format, with positions a spreadsheet user
//! recognises (the header is row 1), and the errors that point back into it.

/// Largest file read whole into memory. A UTF-8 CSV of entries is streamed and has no such limit.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// Most data rows in one file.
pub const MAX_ROWS: usize = 2_000_000;
/// Longest cell, in characters (a case section is a few thousand at most).
pub const MAX_CELL_CHARS: usize = 100_000;
/// Errors listed before the rest are summarised.
pub const MAX_LISTED_PROBLEMS: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// Row as a spreadsheet counts it (header = 1), or element number (1-based) for JSON.
    pub number: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub file: String,
    pub kind: SourceKind,
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
    /// What the reader learnt beyond the text of the cells.
    pub info: ReadInfo,
}

/// What a reader learnt about a file beyond the text of its cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadInfo {
    /// Things the person importing should be told when the import succeeds: which sheet was
    /// read, how many hidden rows were imported.
    pub notes: Vec<crate::core::problems::ReadNote>,
    /// Cells whose value was not plain text in the file; the importers refuse them in the
    /// columns where they cannot mean what they seem to (see `super::check_marks`).
    pub marks: Vec<CellMark>,
}

/// A cell that was not plain text in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellMark {
    /// [`TableRow::number`] of the row.
    pub row: usize,
    pub col: usize,
    pub kind: MarkKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkKind {
    /// An XLSX cell formatted as a date or a time; the text is the date as Excel shows it.
    Date(String),
    /// An XLSX cell formatted as a duration (`[h]:mm`).
    Duration(String),
    /// A JSON number with a fraction or an exponent (`1.5`, `1e3`).
    Fraction,
}

impl Table {
    /// How a column is named in messages: `column C (group)` or `field "group"`.
    pub fn column_label(&self, index: usize) -> String {
        let header = self.headers.get(index).map(String::as_str).unwrap_or("");
        match self.kind {
            SourceKind::Json => format!("field \"{header}\""),
            _ => format!("column {} ({header})", column_letters(index)),
        }
    }

    /// A row of this table as a place in messages: `row 12`, or `element 3` in JSON.
    pub fn place(&self, number: usize) -> Place {
        match self.kind {
            SourceKind::Json => Place::Element(number),
            _ => Place::Row(number),
        }
    }

    pub fn row_word(&self) -> &'static str {
        match self.kind {
            SourceKind::Json => "element",
            _ => "row",
        }
    }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

pub use crate::core::problems::{Column, ImportErrors, Located, Place, Problem};

/// Collects problems while a table is checked, keeping the first few in full.
pub struct Problems<'a> {
    table: &'a Table,
    list: Vec<Located>,
    more: usize,
}

impl<'a> Problems<'a> {
    pub fn new(table: &'a Table) -> Self {
        Problems {
            table,
            list: Vec::new(),
            more: 0,
        }
    }

    pub fn at(&mut self, row: usize, column: Option<usize>, problem: impl Into<Problem>) {
        if self.list.len() >= MAX_LISTED_PROBLEMS {
            self.more += 1;
            return;
        }
        self.list.push(Located {
            place: Some(self.table.place(row)),
            column: column.map(|c| Column {
                index: Some(c),
                label: self.table.column_label(c),
            }),
            problem: problem.into(),
        });
    }

    pub fn whole(&mut self, problem: impl Into<Problem>) {
        self.list.push(Located {
            place: None,
            column: None,
            problem: problem.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn into_result(self) -> Result<(), ImportErrors> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(ImportErrors {
                file: self.table.file.clone(),
                problems: self.list,
                more: self.more,
            })
        }
    }
}

/// Refuse control characters other than tab and line breaks, and over-long cells.
pub fn check_cell(text: &str) -> Result<(), crate::core::problems::CellProblem> {
    use crate::core::problems::CellProblem;
    if let Some(c) = first_control(text) {
        if c == '\0' {
            return Err(CellProblem::Nul);
        }
        return Err(CellProblem::Control { code: c as u32 });
    }
    // A character takes at least one byte: only a cell longer in bytes can be too long in characters.
    if text.len() > MAX_CELL_CHARS {
        let n = text.chars().count();
        if n > MAX_CELL_CHARS {
            return Err(CellProblem::TooLong {
                chars: n,
                most: MAX_CELL_CHARS,
            });
        }
    }
    Ok(())
}

/// The first control character (Unicode Cc) other than `\n`, `\r` and `\t`.
///
/// Every cell of an import passes here (400 MB for 100k cases), so the bytes are screened first:
/// in UTF-8 a Cc character (U+0000–U+001F, U+007F–U+009F) starts with a byte below 0x20, 0x7F or
/// 0xC2, and Chinese text has none of those. Only a 64-byte block holding such a byte (a line
/// break, say) is decoded char by char. The block test has no early exit so it vectorises.
fn first_control(text: &str) -> Option<char> {
    let suspect = |b: u8| b < 0x20 || b == 0x7F || b == 0xC2;
    let is_refused = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    let mut start = 0;
    for block in text.as_bytes().chunks(64) {
        if block.iter().fold(0u8, |any, &b| any | u8::from(suspect(b))) != 0 {
            // The block may begin or end inside a character: decode from the character holding
            // its first byte to the end of the character holding its last.
            let mut from = start;
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (start + block.len()).min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            if let Some(c) = text.get(from..to).and_then(|s| s.chars().find(|&c| is_refused(c))) {
                return Some(c);
            }
        }
        start += block.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn cells_with_control_characters_are_refused() {
        assert!(check_cell("正常的文字\n第二行\t制表").is_ok());
        assert!(check_cell("bell\u{7}").unwrap_err().to_string().contains("U+0007"));
    }

    #[test]
    fn control_characters_are_found_in_any_block() {
        // Cc characters of one, two bytes, at block edges, after long Chinese text.
        for c in ['\u{0}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}'] {
            for pad in [0, 1, 21, 62, 63, 64, 65, 200] {
                let text = format!("{}{c}中文", "文".repeat(pad / 3) + &"a".repeat(pad % 3));
                let e = check_cell(&text).unwrap_err().to_string();
                assert!(e.contains(&format!("U+{:04X}", c as u32)), "{pad}: {e}");
            }
        }
        // Not Cc, though near: U+00A0 (C2 A0), U+0100 (C4 80), and allowed whitespace.
        let fine = format!("{}\u{a0}\u{100}\r\n\t{}", "文".repeat(30), "字".repeat(30));
        assert!(check_cell(&fine).is_ok());
        assert!(
            check_cell(&"文".repeat(MAX_CELL_CHARS)).is_ok(),
            "counted in characters, not bytes"
        );
        assert!(check_cell(&"a".repeat(MAX_CELL_CHARS + 1)).is_err());
    }
}
