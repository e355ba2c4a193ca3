//! What is wrong with an imported file, as typed values: the file, where in it (row, column) and
//! the problem. The English text of each problem is its `Display`; a translation can match on the
//! variants instead.

use std::fmt;

use crate::core::Points;
use crate::core::scoring::ScoreError;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A row as a spreadsheet counts it (the header is row 1).
    Row(usize),
    /// An element of a JSON array (1-based).
    Element(usize),
    /// Any other place, as text (`sheet "Sheet1", cells A2:B3`).
    Text(String),
}

impl Place {
    /// The row (or element) number, if the place is one.
    pub fn row(&self) -> Option<usize> {
        match self {
            Place::Row(n) | Place::Element(n) => Some(*n),
            Place::Text(_) => None,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Row(n) => write!(f, "row {n}"),
            Place::Element(n) => write!(f, "element {n}"),
            Place::Text(t) => f.write_str(t),
        }
    }
}

/// The column of a problem: its index (0-based) when known, and how messages name it
/// (`column C (group)`, `field "group"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub index: Option<usize>,
    pub label: String,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// One thing wrong with an input file. The common cases are variants of their own; the rest
/// keep their English text in [`Problem::Other`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// A score cell that is not a number (a comma, a letter, too many decimals, too large).
    #[error("the score {error}; a number like 18 or 18.5 is expected")]
    NotANumber { text: String, error: ScoreError },
    #[error("the score is empty; every row needs one, a number like 18 or 18.5")]
    EmptyScore,
    #[error("the score {value} is below 0")]
    BelowZero { value: Points },
    /// Over the criterion's maximum.
    #[error("the score {value} is above the maximum {max} of {criterion} ({name})")]
    OverMax {
        value: Points,
        max: Points,
        criterion: String,
        name: String,
    },
    #[error("the score {value} is not a multiple of the step {step}")]
    OffStep { value: Points, step: Points },
    /// A running order that is not a whole number from 1 up.
    #[error("the running order \"{text}\" must be a whole number from 1 up")]
    BadOrder { text: String },
    /// A column the import needs is missing (`what`: "an id (编号)").
    #[error("needs {what} column. Accepted headers: {accepted}")]
    MissingColumn { what: &'static str, accepted: String },
    /// An entries file without an id column.
    #[error("has no id column (编号); the header row must name the columns. Accepted headers: {accepted}")]
    MissingIdColumn { accepted: String },
    #[error("needs a title (标题) or a name (姓名) column")]
    MissingTitleColumn,
    /// A score file without some of the long format's columns.
    #[error(
        "lacks the column(s) {}; the long format is judge,entry,round,criterion,score (accepted headers: {accepted})",
        missing.join(", ")
    )]
    MissingColumns {
        missing: Vec<&'static str>,
        accepted: String,
    },
    #[error("unknown judge \"{judge}\"; import the judges first")]
    UnknownJudge { judge: String },
    #[error("unknown entry \"{entry}\"")]
    UnknownEntry { entry: String },
    /// `known`: the rubric's rounds as `id (name)`.
    #[error("unknown round \"{round}\"; the rounds are: {}", known.join(", "))]
    UnknownRound { round: String, known: Vec<String> },
    #[error("unknown criterion \"{criterion}\" in round {round}; its criteria are: {}", known.join(", "))]
    UnknownCriterion {
        criterion: String,
        round: String,
        known: Vec<String>,
    },
    #[error("unknown group \"{group}\"; the contest's groups are: {}", groups.join(", "))]
    UnknownGroup { group: String, groups: Vec<String> },
    /// An entry id twice in one file; `first` is where it came first.
    #[error("the id \"{id}\" appears twice in this file (first at {first})")]
    DuplicateEntry { id: String, first: Place },
    #[error("the id \"{id}\" appears twice (first at row {first})")]
    DuplicateJudge { id: String, first: usize },
    /// A second score for one judge, entry, round and criterion.
    #[error("a second score for {judge}/{entry}/{round}/{criterion} in this file (first at row {first}); keep one")]
    DuplicateScore {
        judge: String,
        entry: String,
        round: String,
        criterion: String,
        first: usize,
    },
    /// A header that names a known field again (`already`: the first column's label).
    #[error("the header names \"{field}\" again (already {already})")]
    DuplicateField { field: &'static str, already: String },
    #[error("duplicate header (also {also})")]
    DuplicateHeader { also: String },
    #[error("the id \"{id}\" is already in the workspace; use --update to replace stored entries")]
    EntryStored { id: String },
    #[error(
        "the judge \"{id}\" is already in the workspace; use --update to replace stored judges (their sheets are kept)"
    )]
    JudgeStored { id: String },
    /// Bytes that are neither UTF-8 nor GBK/GB18030.
    #[error(
        "the text is neither UTF-8 nor GBK/GB18030 (byte 0x{byte:02X} at line {line} cannot be read); save it again \
         as \"CSV UTF-8\" or as an Excel workbook"
    )]
    NotText { byte: u8, line: usize },
    /// A byte-order mark whose encoding the rest of the file does not hold to.
    #[error("the file starts with a {encoding} byte-order mark but is not valid {encoding}")]
    BadByteOrderMark { encoding: &'static str },
    /// A judge scoring an entry of their own organisation (or another conflict the organiser set).
    #[error("judge {judge} has a conflict of interest with {entry} ({reason}) and may not score it")]
    Conflict {
        judge: String,
        entry: String,
        reason: String,
    },
    #[error("judge {judge} is not assigned to {entry}; the organiser assigns reviewers (jury assign)")]
    NotAssigned { judge: String, entry: String },
    /// Results made final for the entry's group (`None`: no group) and the round.
    #[error(
        "the results for {} / {round} are locked ({reason}); the organiser must unlock them first",
        group.as_deref().unwrap_or("*")
    )]
    Locked {
        group: Option<String>,
        round: String,
        reason: String,
    },
    /// A score file's status cell that is neither draft nor submitted.
    #[error("the status \"{status}\" is neither draft nor submitted (draft or submitted, or empty for submitted)")]
    BadStatus { status: String },
    #[error("the PIN must have at least 4 characters and no spaces (a 4-digit number is usual)")]
    BadPin,
    /// Any other problem, in English.
    #[error("{0}")]
    Other(String),
    // Issue 17 (helper zhmsg): problems that were free text, typed so they can be translated.
    /// A filled-in form's sheet is by a judge removed from the contest.
    #[error("the judge {judge} was removed from the contest ({reason}) and gets no more scores")]
    JudgeRemoved { judge: String, reason: String },
    /// A workbook gives two scores for one box; `first` is where the first is, as the English
    /// message names it (place, column).
    #[error(
        "a second score for {judge}/{entry}/{round}/{criterion} in this workbook{}; keep one",
        first_at(first)
    )]
    DuplicateScoreInWorkbook {
        judge: String,
        entry: String,
        round: String,
        criterion: String,
        /// Boxed: a problem stays small.
        first: Option<Box<(Place, Option<Column>)>>,
    },
    #[error(
        "the cell has a formula (={formula}) but no saved result, so there is no value to import; open the file in \
         Excel or LibreOffice, let it calculate, and save it again"
    )]
    FormulaWithoutValue { formula: String },
    #[error(
        "these cells are merged; a merged cell keeps its value only in its first cell ({first}) and the others read \
         as empty; unmerge them and fill in every cell"
    )]
    MergedCells { first: String },
    #[error("the file is empty: it needs a header row and data rows")]
    EmptyFile,
    #[error("has a header but no {what} below it")]
    NothingBelowHeader { what: Rows },
    #[error("more than {most} rows; split the file")]
    TooManyRows { most: usize },
    #[error("cannot be read: {error}")]
    CannotRead { error: String },
    #[error("is an old Excel 97-2003 workbook (.xls); save it as .xlsx or as CSV UTF-8")]
    OldExcel,
    #[error("is a ZIP or Excel file, not CSV text; name it .xlsx, or save it from Excel as CSV UTF-8")]
    ZipNotCsv,
    #[error("looks like a binary file, not CSV text; accepted are CSV, XLSX and JSON")]
    Binary,
    #[error("the id (编号) is empty; every entry needs one")]
    EmptyEntryId,
    #[error("the id (编号) is empty")]
    EmptyJudgeId,
    #[error("the name (姓名) is empty")]
    EmptyName,
    #[error("the entry has neither a title (标题) nor a name (姓名)")]
    NoTitleNorName,
    #[error("this column has data but no header")]
    DataWithoutHeader,
    #[error(
        "row {row} has {cells} cells but the header has {header}; every row needs the same columns (a comma inside \
         a cell must be quoted)"
    )]
    UnequalRow { row: usize, cells: u64, header: u64 },
}

/// What a file's data rows are, for [`Problem::NothingBelowHeader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    Entries,
    Judges,
    Scores,
}

impl fmt::Display for Rows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rows::Entries => "entries",
            Rows::Judges => "judges",
            Rows::Scores => "scores",
        })
    }
}

/// ` (first at PLACE, COLUMN)`, or nothing.
fn first_at(first: &Option<Box<(Place, Option<Column>)>>) -> String {
    match first.as_deref() {
        None => String::new(),
        Some((place, column)) => format!(
            " (first at {place}{})",
            column.as_ref().map_or(String::new(), |c| format!(", {}", c.label))
        ),
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Self {
        Problem::Other(message)
    }
}

impl From<&str> for Problem {
    fn from(message: &str) -> Self {
        Problem::Other(message.to_string())
    }
}

/// A problem and where it is; no place means the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub place: Option<Place>,
    pub column: Option<Column>,
    pub problem: Problem,
}

/// Everything wrong with an import; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors {
    pub file: String,
    pub problems: Vec<Located>,
    /// Problems found beyond those listed.
    pub more: usize,
}

impl ImportErrors {
    pub fn whole_file(file: &str, problem: impl Into<Problem>) -> Self {
        ImportErrors {
            file: file.to_string(),
            problems: vec![Located {
                place: None,
                column: None,
                problem: problem.into(),
            }],
            more: 0,
        }
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            write!(f, "{}", self.file)?;
            if let Some(place) = &p.place {
                write!(f, ": {place}")?;
            }
            if let Some(column) = &p.column {
                write!(f, ", {column}")?;
            }
            writeln!(f, ": {}", p.problem)?;
        }
        if self.more > 0 {
            writeln!(f, "{}: … and {} more problems", self.file, self.more)?;
        }
        write!(f, "Nothing was imported; the workspace is unchanged.")
    }
}

impl std::error::Error for ImportErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_problem_reads_as_before() {
        let errors = ImportErrors {
            file: "s.csv".into(),
            problems: vec![Located {
                place: Some(Place::Row(2)),
                column: Some(Column {
                    index: Some(4),
                    label: "column E (score)".into(),
                }),
                problem: Problem::NotANumber {
                    text: "2,5".into(),
                    error: ScoreError::NotANumber("2,5".into()),
                },
            }],
            more: 0,
        };
        assert_eq!(
            errors.to_string(),
            "s.csv: row 2, column E (score): the score \"2,5\" is not a number (use . for the decimal point); a \
             number like 18 or 18.5 is expected\nNothing was imported; the workspace is unchanged."
        );
    }
}
