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

/// One thing wrong with an input file, each kind a variant of its own (translated in
/// `i18n::cli::problem`), a damaged .docx package's too ([`DocxPackage`]).
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
    /// A column the import needs is missing (`what`: the id, the name, the PIN).
    #[error("needs {what} column. Accepted headers: {accepted}")]
    MissingColumn { what: Needed, accepted: String },
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
    // Issue 17 (helper zhrest): the rarer problems that were free text.
    /// An id with an invisible character (`at`: 1-based character; `name`: the character's name).
    #[error("the id holds an invisible character (U+{code:04X} {name}) at character {at}; retype the id without it")]
    InvisibleInId { code: u32, name: &'static str, at: usize },
    #[error("is not valid JSON: {error} (line {line}, column {column})")]
    JsonInvalid { error: String, line: usize, column: usize },
    /// A part of a JSON file of the wrong shape (`error`: serde_json's text).
    #[error("is not valid JSON: {error}")]
    JsonPart { error: String },
    #[error("has the key \"{key}\" at the top; {JSON_SHAPE} (with no other keys)")]
    JsonTopKey { key: String },
    #[error("has more than one array at the top (\"{key}\" and another); import one kind of data from one file")]
    JsonTwoArrays { key: String },
    #[error("\"{key}\" must hold an array of objects")]
    JsonNotArray { key: String },
    #[error("is an empty object; {JSON_SHAPE}")]
    JsonEmptyObject,
    #[error("{JSON_SHAPE}")]
    JsonShape,
    #[error("more than {most} elements; split the file")]
    TooManyElements { most: usize },
    /// Placed at no element: the English names it (`element 3 is not an object`).
    #[error("element {element} is not an object")]
    JsonNotObject { element: usize },
    #[error("nested arrays and objects are not accepted; use text")]
    JsonNested,
    #[error("\"{name}\" is given twice, in \"sections\" and beside it; keep one")]
    JsonGivenTwice { name: String },
    #[error("the key \"{key}\" appears twice in this object; keep one")]
    JsonKeyTwice { key: String },
    #[error("cannot be read as a folder: {error}")]
    FolderUnreadable { error: String },
    #[error("holds more than {most} documents; import it in parts")]
    TooManyDocuments { most: usize },
    #[error(
        "is a folder, not a file, and holds no .docx documents (subfolders included); import a CSV, XLSX or JSON \
         file, or a folder of .docx case documents"
    )]
    NoDocuments,
    /// A file in a folder of cases that is not a .docx (`ext`: doc, wps, pdf, rtf ...).
    #[error("{}", not_docx(ext))]
    NotDocx { ext: String },
    /// `named`: the summary's file name for the row, or empty.
    #[error("no document for this row: {}", no_document(named))]
    NoDocumentForRow { named: String },
    #[error("several documents fit this row: {}; name its file in a column \"file\" (文件名)", listed.join(", "))]
    SeveralDocuments { listed: Vec<String> },
    #[error("the document {document} matches no row of the summary")]
    DocumentMatchesNoRow { document: String },
    #[error(
        "the document {document} matches several rows: {}",
        rows.iter().map(|r| format!("row {r}")).collect::<Vec<_>>().join(", ")
    )]
    DocumentMatchesRows { document: String, rows: Vec<usize> },
    #[error(
        "changed, but entry {id} already has {submitted} submitted sheets: the judges scored the text stored; give \
         --force to replace it all the same (the audit trail records it)"
    )]
    DocumentChangedSubmitted { id: String, submitted: usize },
    #[error("is {mb} MB; documents over {most_mb} MB are refused (remove large pictures, or save it again)")]
    DocumentTooBig { mb: u64, most_mb: u64 },
    /// `csv`: the message adds ", or save it as CSV UTF-8" (a table, not a paper form).
    #[error(
        "cannot be read as an Excel workbook (.xlsx): its sheet data is malformed; open it in Excel and save it \
         again{}",
        if *csv { ", or save it as CSV UTF-8" } else { "" }
    )]
    MalformedWorkbook { csv: bool },
    #[error(
        "the form's table has no header: a row with {entry_header} in column A, then a column per criterion, is \
         expected below the title rows"
    )]
    FormNoHeader { entry_header: &'static str },
    #[error("the judge's id is missing: write it in this cell (B2), as the blank form had it")]
    FormNoJudge,
    #[error("a second column for the criterion {criterion} (the first is column {first}); keep one")]
    FormSecondColumn { criterion: String, first: String },
    #[error("this row has scores but no entry id in column A")]
    FormNoEntryId,
    #[error("more than {most} filled-in boxes; split the file")]
    TooManyBoxes { most: usize },
    #[error("could not be read (the reader stopped)")]
    ReaderStopped,
    #[error(
        "is a paper score form, but its sheet \"{sheet}\" is not one (A2 must say {judge_label}, A3 {round_label}): its \
         cells would not be read. Remove the sheet, or import one sheet with --sheet NAME"
    )]
    FormSheetNotForm {
        sheet: String,
        judge_label: &'static str,
        round_label: &'static str,
    },
    #[error("sheet \"{sheet}\" cannot be read: {error}")]
    FormSheetUnreadable { sheet: String, error: String },
    #[error("sheet \"{sheet}\" cannot be found in the workbook's parts; open it in Excel and save it again")]
    FormSheetMissing { sheet: String },
    #[error("is a paper score form with {sheets} sheets, but no box of it is filled in: nothing to import")]
    FormNothingFilled { sheets: usize },
    #[error(
        "the id \"{id}\" is reserved (the organiser's and the projector's logins to `jury serve`, in any case); give \
         the judge another id"
    )]
    ReservedJudgeId { id: String },
    #[error(
        "the id \"{id}\" is the id \"{other}\" of row {first} in other letter case; judges log in without regard to \
         case, so give each judge an id of their own"
    )]
    JudgeIdCase { id: String, other: String, first: usize },
    #[error(
        "the id \"{id}\" is the stored judge \"{other}\" in other letter case; judges log in without regard to case: \
         write it as \"{other}\" (with --update to change that judge) or choose another id"
    )]
    StoredJudgeIdCase { id: String, other: String },
    /// `what`: "a folder", "a socket", "a device (a disk)" ...
    #[error("is {what}, not a file; save the data as a CSV, XLSX or JSON file and import that")]
    NotAFile { what: &'static str },
    #[error("cannot be opened: {error}")]
    CannotOpen { error: String },
    /// `over`: a pipe that went on past the cap (its size is not known).
    #[error("is {}{mb} MB; files over {most_mb} MB are refused", if *over { "more than " } else { "" })]
    FileTooBig { mb: u64, over: bool, most_mb: u64 },
    #[error(
        "a date ({date}), not a score; Excel shows numbers in a date format as dates: format the column as Number \
         and type the score again"
    )]
    DateNotScore { date: String },
    #[error("a date ({date}), not an id; format the column as Text in Excel and type the id again")]
    DateNotId { date: String },
    /// `score`: in a score column (else an id column).
    #[error("a duration ({duration}), not {}; format the column as Number or Text in Excel", if *score { "a score" } else { "an id" })]
    DurationNotValue { duration: String, score: bool },
    #[error("the id {text} is a number that is not a whole number; write ids as text (\"A001\") or as whole numbers")]
    FractionalId { text: String },
    /// `like`: some other ids, quoted and joined.
    #[error(
        "the id \"{id}\" looks like \"{id:0>width$}\" without its leading zeros (other ids are like {like}); Excel \
         drops them from numbers: format the column as Text and type the id again"
    )]
    LostLeadingZeros { id: String, width: usize, like: String },
    /// `sheet`: `judge / entry / round`.
    #[error("{sheet} is {here} here but {there} at row {first}; a sheet is a draft or submitted as a whole")]
    MixedStatus {
        sheet: String,
        here: &'static str,
        there: &'static str,
        first: usize,
    },
    #[error(
        "{sheet} lacks {}: an incomplete sheet does not count. Add the missing scores, or give --partial to store \
         such sheets as drafts",
        missing.join(", ")
    )]
    IncompleteSheet { sheet: String, missing: Vec<String> },
    #[error(
        "{} already submitted (on screen or by an earlier import) and this file would change {}; a signed sheet \
         changes only by the organiser's decision: give --replace-submitted --reason TEXT (the reason and the old \
         values go into the audit trail)",
        if *count == 1 { "1 sheet is".to_string() } else { format!("{count} sheets are") },
        if *count == 1 { "it" } else { "them" }
    )]
    SignedSheets { count: usize },
    /// `changes`: `criterion old -> new`; `to_draft`: and back to a draft.
    #[error(
        "{sheet} is submitted: {}{}",
        changes.join(", "),
        if *to_draft { if changes.is_empty() { "submitted -> draft" } else { ", submitted -> draft" } } else { "" }
    )]
    SignedSheetChanged {
        sheet: String,
        changes: Vec<String>,
        to_draft: bool,
    },
    #[error(
        "{count} sheets would now be scored by a judge of the entry's own organisation; give --force to keep them \
         (each is recorded in the audit trail), or correct the organisation"
    )]
    NowConflicting { count: usize },
    #[error("{judge} / {entry} / {round} ({status}) conflicts with the new organisation \"{organisation}\"")]
    ConflictsWithOrganisation {
        judge: String,
        entry: String,
        round: String,
        status: &'static str,
        organisation: String,
    },
    /// A cell's text that cannot be stored; `value`: a JSON value (else a cell).
    #[error("the {} {what}", if *value { "value" } else { "cell" })]
    BadCell { what: CellProblem, value: bool },
    #[error("the cell shows the Excel error {error}; correct the formula or clear the cell")]
    ExcelError { error: String },
    #[error(
        "the cell opens with a quote (\") that is never closed, so everything after it to the end of the file was read \
         into this one cell; close the quote, and write a quote inside a cell as two (\"\")"
    )]
    UnclosedQuote,
    /// `error`: the csv reader's text.
    #[error("cannot be read as CSV: {error}")]
    NotCsv { error: String },
    /// A check that could not run (a bug, refused rather than committed).
    #[error("could not be checked")]
    NotChecked,
    /// `error`: calamine's text.
    #[error("cannot be read as an Excel workbook (.xlsx): {error}")]
    NotAWorkbook { error: String },
    #[error("has no sheet named \"{sheet}\"; its sheets are: {}", sheets.join(", "))]
    NoSuchSheet { sheet: String, sheets: Vec<String> },
    #[error("the workbook has no sheets")]
    NoSheets,
    #[error("sheet \"{sheet}\" is empty: it needs a header row and data rows")]
    SheetEmpty { sheet: String },
    #[error("sheet \"{sheet}\" has a cell in row {row}; files over {most} rows are refused")]
    SheetTooLong { sheet: String, row: u64, most: usize },
    #[error("sheet \"{sheet}\" uses columns {from} to {to}; more than {most} columns are refused")]
    SheetTooWide {
        sheet: String,
        from: String,
        to: String,
        most: u32,
    },
    #[error("sheet \"{sheet}\" spans {rows} rows by {columns} columns; split the file")]
    SheetTooLarge { sheet: String, rows: u32, columns: u32 },
    #[error(
        "is not a readable Excel workbook (.xlsx): it is not a complete ZIP archive, as every .xlsx is (the file is \
         damaged or cut short, or is another kind of file with an .xlsx name); open it in Excel and save it again, \
         or save it as CSV UTF-8"
    )]
    NotZip,
    #[error("is a ZIP archive of {parts} parts; an Excel workbook has a few dozen (at most {most} are read)")]
    TooManyParts { parts: usize, most: usize },
    #[error("is not a readable Excel workbook (.xlsx): its ZIP directory is damaged ({error})")]
    ZipDirectoryDamaged { error: String },
    #[error(
        "unpacks to more than {most_mb} MB (an Excel workbook is a ZIP archive); such a file is refused before it is \
         unpacked. Split the data, or save it as CSV UTF-8"
    )]
    UnpacksTooLarge { most_mb: u64 },
    #[error(
        "is refused before it is unpacked: its part {part} would unpack to {mb} MB from {kb} KB, over {ratio} times \
         its packed size, as a zip bomb does; no workbook of real data packs that tightly"
    )]
    ZipBomb { part: String, mb: u64, kb: u64, ratio: u64 },
    #[error(
        "is a damaged Excel workbook (.xlsx): its part {part} claims {count} texts in {kb} KB, more than it can hold; \
         open it in Excel and save it again, or save it as CSV UTF-8"
    )]
    TooManySharedStrings { part: String, count: u64, kb: u64 },
    #[error("is a ZIP archive but not an Excel workbook (.xlsx): it has no workbook in it; it is {holds}")]
    NoWorkbookInZip { holds: ZipHolds },
    #[error("is not a readable .docx: its contents are malformed; open it in Word and save it again")]
    DocxMalformed,
    #[error(
        "is protected by a password (an encrypted document cannot be read); open it in Word, remove the password \
         (File, Info, Protect Document, Encrypt with Password: empty) and save it again"
    )]
    DocxProtected,
    #[error("is a Word 97-2003 (.doc) or WPS (.wps) document, whatever its name says; {SAVE_AS_DOCX}")]
    DocxIsDoc,
    #[error("is a PDF, whatever its name says; {CONVERT_TO_DOCX}")]
    DocxIsPdf,
    #[error("is an RTF document, whatever its name says; {SAVE_AS_DOCX}")]
    DocxIsRtf,
    #[error(
        "is not a .docx (not a ZIP package as every .docx is: the file is damaged, cut short, or another kind of file \
         named .docx); open it in Word and save it again as .docx"
    )]
    DocxNotZip,
    #[error("is a ZIP package but not a Word document: it has no word/document.xml")]
    DocxNoDocument,
    #[error(
        "is not a readable .docx: its word/document.xml holds the control character U+{code:04X}, which no document \
         holds (the file is damaged); open it in Word and save it again"
    )]
    DocxControl { code: u32 },
    #[error(
        "none of the four parts was found: no paragraph is a heading such as 背景介绍, 问题描述, 解决策略 or 结果评估 \
         (see docs/import.md for the names read); write each part under its own heading"
    )]
    DocxNoParts,
    /// `part`: the part's Chinese name.
    #[error(
        "paragraph {again}: the part {part} was already found at paragraph {first}; a document has each part once \
         (rename or remove one of the two headings)"
    )]
    DocxPartTwice {
        part: &'static str,
        first: usize,
        again: usize,
    },
    // Issue 17 (helper zhlast): a damaged .docx package, typed (was free English text).
    /// The .docx's ZIP package, its parts or its XML cannot be read.
    #[error("{0}")]
    DocxPackage(DocxPackage),
}

/// What is wrong with a .docx's package ([`Problem::DocxPackage`]): its ZIP directory, a part, its
/// XML. `detail` is the ZIP or XML reader's own text, quoted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxPackage {
    #[error(
        "is not a readable .docx: it is not a complete ZIP package (the file is damaged or cut short); open it in \
         Word and save it again"
    )]
    NotComplete,
    #[error("is a ZIP package of {parts} parts; a Word document has a few dozen (at most {most} are read)")]
    TooManyParts { parts: usize, most: usize },
    #[error("is not a readable .docx: its ZIP directory is damaged ({detail})")]
    DirectoryDamaged { detail: String },
    #[error(
        "unpacks to more than {most_mb} MB; such a file is refused before it is unpacked (a ZIP bomb, or pictures \
         far too large: remove them and save it again)"
    )]
    UnpacksTooLarge { most_mb: u64 },
    #[error(
        "is refused before it is unpacked: its part {part} would unpack to {mb} MB from {kb} KB, over {ratio} \
         times its packed size, as a ZIP bomb does; no real document packs that tightly"
    )]
    ZipBomb { part: String, mb: u64, kb: u64, ratio: u64 },
    #[error("is not a readable .docx: its part {part} cannot be unpacked ({detail})")]
    PartNotUnpacked { part: String, detail: String },
    #[error("is refused: its part {part} unpacks to {mb} MB, over the {most_mb} MB read from a document")]
    PartTooLarge { part: String, mb: u64, most_mb: u64 },
    #[error("is not a readable .docx: its part {part} is damaged ({detail})")]
    PartDamaged { part: String, detail: String },
    #[error("is refused: its part {part} unpacks to more than {most_mb} MB")]
    PartOverCap { part: String, most_mb: u64 },
    #[error("is not a readable .docx: its part {part} is not UTF-8 text; open it in Word and save it again")]
    PartNotUtf8 { part: String },
    #[error("is not a readable .docx: its word/document.xml is damaged ({detail}); open it in Word and save it again")]
    XmlDamaged { detail: String },
    #[error("has more than {most} paragraphs; it is not one case")]
    TooManyParagraphs { most: usize },
}

/// What a ZIP archive without a workbook is, for [`Problem::NoWorkbookInZip`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipHolds {
    Word,
    PowerPoint,
    OpenDocument,
    /// Its first parts' names (`…` when there are more).
    Parts(Vec<String>),
}

impl fmt::Display for ZipHolds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZipHolds::Word => f.write_str(
                "a Word document (.docx); cases written in Word are imported from their folder: jury import entries \
                 FOLDER (docs/import.md)",
            ),
            ZipHolds::PowerPoint => f.write_str("a PowerPoint file (.pptx)"),
            ZipHolds::OpenDocument => {
                f.write_str("an OpenDocument file (.ods or .odt); save it from LibreOffice as .xlsx or CSV UTF-8")
            }
            ZipHolds::Parts(parts) => write!(f, "a ZIP archive holding {}", parts.join(", ")),
        }
    }
}

/// What is wrong with a cell's text, for [`Problem::BadCell`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellProblem {
    #[error(
        "contains a NUL byte (U+0000), which no text holds; remove it (the file may be damaged, or was written by a \
         program that mixed in binary data)"
    )]
    Nul,
    #[error("contains the control character U+{code:04X}; remove it (it is invisible and breaks printouts)")]
    Control { code: u32 },
    #[error("is {chars} characters long; at most {most} are accepted")]
    TooLong { chars: usize, most: usize },
}

/// How a JSON file must look, as its problems say.
pub const JSON_SHAPE: &str = "must be a JSON array of objects, like [{\"id\": \"A1\", …}], or such an array as \
                              {\"entries\": […]} or {\"scores\": […]}";

/// Refused: save as .docx.
pub const SAVE_AS_DOCX: &str = "请另存为 .docx 后再导入 (save it as .docx in Word or WPS and import that)";
/// Refused: a PDF.
pub const CONVERT_TO_DOCX: &str = "请转换为 .docx (convert it to .docx; the parts cannot be read from a PDF)";

/// Word's own and other document formats, as [`Problem::NotDocx`] says.
fn not_docx(ext: &str) -> String {
    match ext {
        "doc" => format!("is a Word 97-2003 document (.doc); {SAVE_AS_DOCX}"),
        "wps" => format!("is a WPS document (.wps); {SAVE_AS_DOCX}"),
        "pdf" => format!("is a PDF; {CONVERT_TO_DOCX}"),
        _ => format!("is a .{ext} file; {SAVE_AS_DOCX}"),
    }
}

fn no_document(named: &str) -> String {
    if named.is_empty() {
        "no document's name starts with its id or holds its title's first eight characters and its organisation; \
         name the file in a column \"file\" (文件名)"
            .to_string()
    } else {
        format!("its document \"{named}\" is not in the folder")
    }
}

/// A column a judges file must have, for [`Problem::MissingColumn`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    Id,
    Name,
    Pin,
}

impl fmt::Display for Needed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Needed::Id => "an id (编号)",
            Needed::Name => "a name (姓名)",
            Needed::Pin => "a pin (密码)",
        })
    }
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

/// What a reader tells the person importing once the import succeeds (which sheet was read, how
/// many hidden rows were imported), typed so that it is said in their language (issue 17, helper
/// zhlast). The English is each variant's `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadNote {
    /// `--sheet` named the sheet read (`hidden`: a hidden sheet).
    SheetAsked { sheet: String, hidden: bool },
    /// The first visible worksheet was read: `all_hidden` when every sheet is hidden (the first
    /// then); the hidden sheets before it; how many sheets the workbook has.
    SheetChosen {
        sheet: String,
        all_hidden: bool,
        hidden_before: Vec<String>,
        sheets: usize,
    },
    /// Rows hidden in Excel that were imported (their numbers; at most ten listed).
    HiddenRows { rows: Vec<usize> },
    /// A paper score form: its sheets, its filled-in boxes, the empty sheets skipped.
    PaperForm {
        sheets: usize,
        boxes: usize,
        skipped: Vec<String>,
    },
    /// A sheet of a paper form with rows hidden in Excel.
    FormHiddenRows { sheet: String, hidden: usize },
}

/// Names as the notes quote them: `"a", "b"`.
pub fn quoted_names(names: &[String]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

/// The rows a [`ReadNote::HiddenRows`] lists: the first ten, then `…`.
pub fn listed_rows(rows: &[usize]) -> String {
    let mut listed: Vec<String> = rows.iter().take(10).map(usize::to_string).collect();
    if rows.len() > 10 {
        listed.push("…".into());
    }
    listed.join(", ")
}

impl fmt::Display for ReadNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadNote::SheetAsked { sheet, hidden } => {
                let hidden = if *hidden { ", a hidden sheet" } else { "" };
                write!(f, "Read sheet \"{sheet}\" (as --sheet asked{hidden}).")
            }
            ReadNote::SheetChosen {
                sheet,
                all_hidden,
                hidden_before,
                sheets,
            } => {
                let mut why = Vec::new();
                if *all_hidden {
                    why.push("every sheet is hidden; this is the first".to_string());
                } else if !hidden_before.is_empty() {
                    why.push(format!(
                        "the first visible sheet; hidden before it: {}",
                        quoted_names(hidden_before)
                    ));
                }
                if *sheets > 1 {
                    why.push(format!("the workbook has {sheets} sheets; --sheet NAME reads another"));
                }
                let why = if why.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", why.join("; "))
                };
                write!(f, "Read sheet \"{sheet}\"{why}.")
            }
            ReadNote::HiddenRows { rows } => {
                let one = rows.len() == 1;
                write!(
                    f,
                    "{} {} hidden in Excel (by hand or by a filter) {} imported like the others: {} {}.",
                    rows.len(),
                    if one { "row" } else { "rows" },
                    if one { "was" } else { "were" },
                    if one { "row" } else { "rows" },
                    listed_rows(rows)
                )
            }
            ReadNote::PaperForm { sheets, boxes, skipped } => {
                write!(
                    f,
                    "Read the paper score form: {sheets} sheets, {boxes} filled-in boxes (an empty box is not scored; a \
                     form sheet counts as signed, so a complete one is stored as submitted)."
                )?;
                if !skipped.is_empty() {
                    write!(f, " Empty sheets skipped: {}.", quoted_names(skipped))?;
                }
                Ok(())
            }
            ReadNote::FormHiddenRows { sheet, hidden } => {
                write!(
                    f,
                    "Sheet \"{sheet}\": {hidden} rows hidden in Excel were read like the others."
                )
            }
        }
    }
}
