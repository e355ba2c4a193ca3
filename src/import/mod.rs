//! Reading and checking imports: entries, judges and typed-in score sheets from CSV, XLSX or
//! JSON, file -> validated rows. No store here: `crate::app::import` checks the rows against the
//! workspace and writes them.
//!
//! Every import is all or nothing: every row is checked and written in one transaction, which is
//! committed only if no row has a problem (entries are written while later rows are still being
//! checked, see `entries.rs`; the other importers read and check the whole file first). Any
//! problem names the file, the row as a spreadsheet counts it, the column, and what is wrong (a
//! typed [`Problem`]); the workspace is then exactly as it was.

mod csv;
pub mod documents;
pub mod docx;
pub mod entries;
pub mod form;
mod json;
pub mod judges;
pub mod parts;
pub mod scores;
pub mod table;
pub mod text;
mod xlsx;

use std::path::Path;

use crate::core::header::normalise as normalise_header;

pub use entries::{CHECK_FIRST_BYTES, streams_under_lock};
pub use table::{Column, ImportErrors, Located, Place, Problem, SourceKind, Table};

/// Read any supported file into a [`Table`]. The format comes from the extension, or from the
/// content when the extension says nothing (an XLSX is a ZIP; JSON starts with `[` or `{`).
pub fn read_table(path: &Path, sheet: Option<&str>) -> Result<Table, ImportErrors> {
    let file = path.display().to_string();
    let source = open_input(path)?;
    let bytes = read_bounded(&file, source)?;
    read_table_bytes(&file, &bytes, sheet)
}

/// A score file: the long format, or the paper score form (an XLSX made by `jury export sheets
/// --blank --format xlsx`, filled in), told apart by the form's labels.
#[derive(Debug)]
pub enum ScoreFile {
    Long(Table),
    Form(form::ScoreForm),
}

/// Read a score file (see [`ScoreFile`]); `rubric` names the form's rounds and criteria.
pub fn read_score_file(
    path: &Path,
    sheet: Option<&str>,
    rubric: &crate::core::rubric::Rubric,
) -> Result<ScoreFile, ImportErrors> {
    let file = path.display().to_string();
    let source = open_input(path)?;
    let bytes = read_bounded(&file, source)?;
    let lower = file.to_lowercase();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if (lower.ends_with(".xlsx") || lower.ends_with(".xlsm") || (is_zip && !lower.ends_with(".csv")))
        && let Some(form) = form::read_form(&file, &bytes, sheet, rubric)?
    {
        return Ok(ScoreFile::Form(form));
    }
    Ok(ScoreFile::Long(read_table_bytes(&file, &bytes, sheet)?))
}

/// An input file opened for reading: a regular file or a pipe. A device (`/dev/zero` never
/// ends), a folder or a socket is refused here, before anything is read.
pub(crate) struct Input {
    pub file: std::fs::File,
    /// A regular file (its size is known); otherwise a pipe or FIFO, read up to the cap.
    pub regular: bool,
}

pub(crate) fn open_input(path: &Path) -> Result<Input, ImportErrors> {
    let name = path.display().to_string();
    let refuse = |m: crate::core::problems::Problem| ImportErrors::whole_file(&name, m);
    // A folder opens on Unix; its metadata says what it is before any read fails.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
        && let Some(what) = not_a_file(&meta)
    {
        return Err(refuse(crate::core::problems::Problem::NotAFile { what }));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| refuse(crate::core::problems::Problem::CannotOpen { error: e.to_string() }))?;
    let meta = file
        .metadata()
        .map_err(|e| refuse(crate::core::problems::Problem::CannotRead { error: e.to_string() }))?;
    if meta.is_file() {
        return Ok(Input { file, regular: true });
    }
    if let Some(what) = not_a_file(&meta) {
        return Err(refuse(crate::core::problems::Problem::NotAFile { what }));
    }
    Ok(Input { file, regular: false })
}

/// What a non-regular file is, if it is not a pipe (which is read, up to the cap).
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return Some("a device (a character device such as /dev/zero or a terminal)");
        }
        if kind.is_block_device() {
            return Some("a device (a disk)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_fifo() {
            return None;
        }
    }
    if kind.is_file() {
        None
    } else {
        Some("not a regular file")
    }
}

/// Read all of `input`, refusing it once it passes [`table::MAX_FILE_BYTES`]: a regular file by
/// its size before anything is read, a pipe as soon as more than that has come through it.
pub(crate) fn read_bounded(file: &str, input: Input) -> Result<Vec<u8>, ImportErrors> {
    use std::io::Read;
    let cap = table::MAX_FILE_BYTES;
    let too_big = |mb: u64, over: bool| {
        ImportErrors::whole_file(
            file,
            crate::core::problems::Problem::FileTooBig {
                mb,
                over,
                most_mb: cap / (1024 * 1024),
            },
        )
    };
    let mut capacity = 64 * 1024;
    if input.regular {
        let len = input
            .file
            .metadata()
            .map_err(|e| {
                ImportErrors::whole_file(
                    file,
                    crate::core::problems::Problem::CannotRead { error: e.to_string() },
                )
            })?
            .len();
        if len > cap {
            return Err(too_big(len / (1024 * 1024), false));
        }
        capacity = len as usize;
    }
    let mut bytes = Vec::with_capacity(capacity);
    // One byte more than the cap tells a file that grew, or a pipe that goes on, from one that fits.
    input.file.take(cap + 1).read_to_end(&mut bytes).map_err(|e| {
        ImportErrors::whole_file(
            file,
            crate::core::problems::Problem::CannotRead { error: e.to_string() },
        )
    })?;
    if bytes.len() as u64 > cap {
        return Err(too_big(cap / (1024 * 1024), true));
    }
    Ok(bytes)
}

/// [`read_table`] on bytes already in memory; `file` names them in messages.
pub fn read_table_bytes(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportErrors> {
    let lower = file.to_lowercase();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") || (is_zip && !lower.ends_with(".csv")) {
        return xlsx::read_xlsx(file, bytes, sheet);
    }
    if lower.ends_with(".xls") {
        return Err(ImportErrors::whole_file(file, crate::core::problems::Problem::OldExcel));
    }
    if is_zip {
        return Err(ImportErrors::whole_file(
            file,
            crate::core::problems::Problem::ZipNotCsv,
        ));
    }
    let first = bytes
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .copied()
        .next();
    if lower.ends_with(".json") || (!lower.ends_with(".csv") && matches!(first, Some(b'[' | b'{'))) {
        return json::read_json(file, bytes);
    }
    if looks_binary(bytes) {
        return Err(ImportErrors::whole_file(file, crate::core::problems::Problem::Binary));
    }
    csv::read_csv(file, bytes)
}

/// A file with NUL bytes is binary unless it is UTF-16 (with a byte-order mark), or text with
/// only a stray NUL or control byte here and there (under 1 in 100 bytes, and readable as UTF-8 or
/// GB18030): that one is read as CSV, and the cell holding the NUL is named by row and column.
fn looks_binary(bytes: &[u8]) -> bool {
    if !bytes.contains(&0) || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return false;
    }
    let odd = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        .count();
    odd * 100 > bytes.len() || text::decode(bytes).is_err()
}

/// A column a importer knows, with the headers that name it (English and Chinese).
pub(crate) struct Field {
    pub key: &'static str,
    pub aliases: &'static [&'static str],
}

/// Where each known field sits in the table (`None`: absent), and the unknown columns.
pub struct ColumnMap {
    pub known: Vec<Option<usize>>,
    pub unknown: Vec<usize>,
}

pub(crate) fn map_columns(table: &Table, fields: &[Field]) -> Result<ColumnMap, ImportErrors> {
    let columns = map_columns_with(table, fields, |col| {
        table
            .rows
            .iter()
            .any(|r| r.cells.get(col).is_some_and(|c| !c.is_empty()))
    })?;
    check_typed_columns(table, fields, &columns)?;
    Ok(columns)
}

/// Fields that hold ids (of an entry or a judge) and scores: a date, a fraction or a number that
/// lost its leading zeros in them means something else than it seems.
const ID_FIELDS: &[&str] = &["id", "judge", "entry"];
const SCORE_FIELDS: &[&str] = &["score"];

/// Refuse, in id and score columns, the cells the reader marked (an XLSX date, a JSON fraction)
/// and ids that look like numbers which lost their leading zeros (`12` among `0011`, `0013`).
fn check_typed_columns(table: &Table, fields: &[Field], columns: &ColumnMap) -> Result<(), ImportErrors> {
    let mut problems = table::Problems::new(table);
    let role = |col: usize| {
        let field = columns.known.iter().position(|&c| c == Some(col))?;
        let key = fields.get(field)?.key;
        if ID_FIELDS.contains(&key) {
            Some("an id")
        } else if SCORE_FIELDS.contains(&key) {
            Some("a score")
        } else {
            None
        }
    };
    for mark in &table.info.marks {
        let Some(what) = role(mark.col) else { continue };
        use crate::core::problems::Problem;
        let message = match (&mark.kind, what) {
            (table::MarkKind::Date(d), "a score") => Problem::DateNotScore { date: d.to_string() },
            (table::MarkKind::Date(d), _) => Problem::DateNotId { date: d.to_string() },
            (table::MarkKind::Duration(d), _) => Problem::DurationNotValue {
                duration: d.to_string(),
                score: what == "a score",
            },
            (table::MarkKind::Fraction, "a score") => continue, // Read from its literal text, like CSV.
            (table::MarkKind::Fraction, _) => {
                let text = table
                    .rows
                    .iter()
                    .find(|r| r.number == mark.row)
                    .and_then(|r| r.cells.get(mark.col))
                    .map_or("", String::as_str);
                Problem::FractionalId { text: text.to_string() }
            }
        };
        problems.at(mark.row, Some(mark.col), message);
    }
    for (field, col) in fields.iter().zip(&columns.known) {
        if let (true, Some(col)) = (ID_FIELDS.contains(&field.key), *col) {
            lost_leading_zeros(table, col, &mut problems);
        }
    }
    problems.into_result()
}

/// Ids made of digits, some written with leading zeros to one width (`0011`, `0013`): a shorter
/// one without them (`12`) is most likely `0012` after Excel read it as a number. Refused: as it
/// is, it names an entry or judge that does not exist, and scores typed for `0012` would not find it.
fn lost_leading_zeros(table: &Table, col: usize, problems: &mut table::Problems<'_>) {
    let mut zeros = LostZeros::default();
    for row in &table.rows {
        zeros.see(row.number, row.cells.get(col).map_or("", String::as_str));
    }
    zeros.report(col, problems);
}

/// [`lost_leading_zeros`] row by row, for an import that never holds the whole table.
#[derive(Debug, Default)]
pub(crate) struct LostZeros {
    /// The width of the ids written with leading zeros, while they all have one.
    width: Option<usize>,
    widths_differ: bool,
    examples: Vec<String>,
    /// Ids of digits without a leading zero, and their rows.
    bare: Vec<(usize, String)>,
}

impl LostZeros {
    pub fn see(&mut self, row: usize, id: &str) {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        if id.starts_with('0') {
            if id.len() > 1 {
                match self.width {
                    None => self.width = Some(id.len()),
                    Some(w) if w != id.len() => self.widths_differ = true,
                    Some(_) => {}
                }
                if self.examples.len() < 2 {
                    self.examples.push(id.to_string());
                }
            }
        } else if self.width.is_none_or(|w| id.len() < w) {
            self.bare.push((row, id.to_string()));
        }
    }

    pub fn report(&self, col: usize, problems: &mut table::Problems<'_>) {
        let Some(width) = self.width.filter(|_| !self.widths_differ) else {
            return; // No padding, or padded to different widths: no pattern to hold to.
        };
        let like = self
            .examples
            .iter()
            .map(|e| format!("\"{e}\""))
            .collect::<Vec<_>>()
            .join(", ");
        for (row, id) in self.bare.iter().filter(|(_, id)| id.len() < width) {
            problems.at(
                *row,
                Some(col),
                crate::core::problems::Problem::LostLeadingZeros {
                    id: id.to_string(),
                    width,
                    like: like.clone(),
                },
            );
        }
    }
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
                problems.at(1, Some(col), crate::core::problems::Problem::DataWithoutHeader);
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
                        Problem::DuplicateField {
                            field: fields[i].key,
                            already: table.column_label(prev),
                        },
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
                        Problem::DuplicateHeader {
                            also: table.column_label(*prev),
                        },
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
