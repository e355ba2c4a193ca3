//! Checking entries (cases or contestants).
//!
//! Checking and writing overlap: `crate::app::import` runs the checks here ([`check_table`], or
//! [`stream_csv`] on a `.csv` read as it streams) on a second thread, which hands the checked rows
//! over in [`Batch`]es through a [`Handoff`], while the caller's thread writes each batch into one
//! open transaction. A problem anywhere stops the hand-over and the transaction is rolled back, so
//! an import is still all or nothing, and its errors are the same as when the whole file was read
//! first.
//!
//! A `.csv` file is streamed from disk (no size limit, memory bounded by a few batches); other
//! files, and CSV that is not UTF-8, are read whole into a [`Table`] first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender};

use super::table::{ImportErrors, MAX_ROWS, Problem, Problems, SourceKind, Table, check_cell};
use super::{ColumnMap, Field, FileDigest, accepted_headers, map_columns, map_columns_with};
use crate::core::rubric::{Rubric, Section};
use crate::error::{Error, Result};

const ID: usize = 0;
const TITLE: usize = 1;
const GROUP: usize = 2;
const ORGANIZATION: usize = 3;
const COUNTY: usize = 4;
const SUBMITTER: usize = 5;
const NAME: usize = 6;
const SUBMITTER_TYPE: usize = 7;
const PERSPECTIVE: usize = 8;
const ORDER: usize = 9;
const BACKGROUND: usize = 10;
/// The document an entry came from (`jury export entries` writes it; documents imports set it).
const SOURCE: usize = 14;

pub(crate) const FIELDS: &[Field] = &[
    Field {
        key: "id",
        aliases: &["编号", "案例编号", "选手编号", "作品编号", "entry"],
    },
    Field {
        key: "title",
        aliases: &["标题", "案例名称", "案例标题", "题目", "作品名称", "故事题目"],
    },
    Field {
        key: "group",
        aliases: &["组别", "类别", "主题类别", "主题", "topic", "category"],
    },
    Field {
        key: "organization",
        aliases: &["单位", "工作单位", "申报单位", "所在单位", "organisation", "org"],
    },
    Field {
        key: "county",
        aliases: &["县市区", "县(市,区)", "县(市区)", "地区", "区县"],
    },
    Field {
        key: "submitter",
        aliases: &["申报人", "作者", "报送人"],
    },
    Field {
        key: "name",
        aliases: &["姓名", "选手姓名", "选手"],
    },
    Field {
        key: "submitter_type",
        aliases: &["申报主体", "主体类型", "submittertype"],
    },
    Field {
        key: "perspective",
        aliases: &["角度", "视角"],
    },
    Field {
        key: "order",
        aliases: &["出场顺序", "顺序", "出场序号", "running_order"],
    },
    Field {
        key: "background",
        aliases: &["背景介绍", "背景"],
    },
    Field {
        key: "problem",
        aliases: &["问题描述", "问题"],
    },
    Field {
        key: "strategy",
        aliases: &["解决策略", "策略"],
    },
    Field {
        key: "outcome",
        aliases: &["结果评估", "结果", "成效"],
    },
    Field {
        key: "source",
        aliases: &["来源文件", "源文件"],
    },
];

/// Where the columns of an entries file are; refuses a file without an id column, without a
/// title or name column, or without rows.
pub fn entry_columns(table: &Table) -> Result<ColumnMap, ImportErrors> {
    let columns = map_columns(table, FIELDS)?;
    check_header(table, &columns)?;
    if table.rows.is_empty() {
        return Err(ImportErrors::whole_file(
            &table.file,
            crate::core::problems::Problem::NothingBelowHeader {
                what: crate::core::problems::Rows::Entries,
            },
        ));
    }
    Ok(columns)
}

/// Check every row of `table` (its columns as [`entry_columns`] found them), handing the good ones
/// over in batches. `stored` are the entry ids stored now: one of them is refused unless `update`.
pub fn check_table(
    table: &Table,
    columns: &ColumnMap,
    rubric: &Rubric,
    stored: &HashSet<String>,
    update: bool,
    handoff: &mut Handoff,
) -> Result<Checked> {
    let mut checker = Checker::new(table, columns, rubric, stored, update);
    let mut cells: Vec<&str> = Vec::new();
    for row in &table.rows {
        cells.clear();
        cells.extend(row.cells.iter().map(String::as_str));
        checker.row(row.number, &cells, handoff.batch());
        handoff.pass_on();
    }
    handoff.finish();
    Ok(checker.finish()?)
}

/// How an entries file is read: whole into a [`Table`], or (a UTF-8 `.csv` on disk) streamed.
pub enum EntriesInput {
    Table(Table),
    /// Read with [`stream_csv`]; should it say [`is_not_streamable`], read the file whole.
    Stream(Utf8Gate<io::Chain<io::Cursor<Vec<u8>>, std::fs::File>>),
}

/// Open the entries file at `path` (CSV, XLSX or JSON, as [`super::read_table`] reads): a UTF-8
/// `.csv` on disk is streamed, whatever its size; a pipe or any other file is read whole.
pub fn open_entries(path: &Path, sheet: Option<&str>) -> Result<EntriesInput, ImportErrors> {
    let whole = || Ok(EntriesInput::Table(super::read_table(path, sheet)?));
    let file = path.display().to_string();
    if !file.to_lowercase().ends_with(".csv") {
        return whole();
    }
    let input = super::open_input(path)?;
    if !input.regular {
        // A pipe is read whole, up to the cap like any file that is not streamed.
        let bytes = super::read_bounded(&file, input)?;
        return Ok(EntriesInput::Table(super::read_table_bytes(&file, &bytes, sheet)?));
    }
    let mut source = input.file;
    let mut head = Vec::with_capacity(4);
    (&mut source).take(4).read_to_end(&mut head).map_err(|e| {
        ImportErrors::whole_file(
            &file,
            crate::core::problems::Problem::CannotRead { error: e.to_string() },
        )
    })?;
    // A ZIP named .csv and UTF-16 text take the whole-file path, which refuses or decodes them.
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return whole();
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).to_vec();
    Ok(EntriesInput::Stream(Utf8Gate {
        inner: io::Cursor::new(head).chain(source),
        after_quote: false,
        quotes: super::csv::QuoteTracker::default(),
    }))
}

/// The id and title/name columns every entries file needs.
fn check_header(table: &Table, columns: &ColumnMap) -> Result<(), ImportErrors> {
    let col = |f: usize| columns.known[f];
    if col(ID).is_none() {
        return Err(ImportErrors::whole_file(
            &table.file,
            Problem::MissingIdColumn {
                accepted: accepted_headers(FIELDS),
            },
        ));
    }
    if col(TITLE).is_none() && col(NAME).is_none() {
        return Err(ImportErrors::whole_file(&table.file, Problem::MissingTitleColumn));
    }
    Ok(())
}

/// What the checking thread found; the rows themselves went to the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub added: usize,
    pub updated: usize,
    /// The content digest of the file, for the audit trail.
    pub digest: String,
}

/// A UTF-8 CSV file up to this size is read and checked whole before the write lock is taken
/// (its checked rows are held in memory, about the file's size), then written in one short
/// transaction. A larger file, or one that is not a regular file, is checked and written as it
/// streams, holding the write lock all along: [`streams_under_lock`] says so before it starts.
pub const CHECK_FIRST_BYTES: u64 = 128 << 20;

/// Whether importing the entries file at `path` keeps the workspace's write lock while it reads
/// (a `.csv` too large to hold in memory, or not a regular file): judges' screens then wait.
pub fn streams_under_lock(path: &Path) -> bool {
    path.display().to_string().to_lowercase().ends_with(".csv")
        && !std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= CHECK_FIRST_BYTES)
}

/// A batch is handed over at this many rows or this much text, whichever comes first.
const BATCH_ROWS: usize = 512;
const BATCH_BYTES: usize = 4 << 20;

/// The checker's end of the hand-over: fills a batch, passes it on when full.
pub struct Handoff {
    full: SyncSender<Batch>,
    spares: Receiver<Batch>,
    batch: Batch,
    /// False once the writer has stopped (a write failed).
    open: bool,
}

impl Handoff {
    /// Full batches go to `full`; emptied ones come back through `spares` to be filled again.
    pub fn new(full: SyncSender<Batch>, spares: Receiver<Batch>) -> Self {
        Handoff {
            full,
            spares,
            batch: Batch::default(),
            open: true,
        }
    }

    /// Where the next checked row goes; `None` once the writer has stopped. The file is still read
    /// to its end then: a problem in it is reported before the write error, as when all rows were
    /// checked before any was written.
    fn batch(&mut self) -> Option<&mut Batch> {
        self.open.then_some(&mut self.batch)
    }

    /// Pass the batch on if it is full.
    fn pass_on(&mut self) {
        if self.batch.rows.len() >= BATCH_ROWS || self.batch.text.len() >= BATCH_BYTES {
            self.send();
        }
    }

    fn finish(&mut self) {
        if !self.batch.rows.is_empty() {
            self.send();
        }
    }

    fn send(&mut self) {
        let next = self.spares.try_recv().unwrap_or_default();
        let batch = std::mem::replace(&mut self.batch, next);
        if self.open && self.full.send(batch).is_err() {
            self.open = false;
        }
    }
}

/// Checked rows laid out for the writer: all their text in one buffer, each field a range of it.
#[derive(Default)]
pub struct Batch {
    text: String,
    rows: Vec<BatchRow>,
}

/// A checked entry, its fields as the store takes them.
pub use crate::core::entry::EntryFields as EntryRow;

/// Field ranges by the `FIELDS` index, except that `ORDER`'s slot holds the extra columns' JSON.
struct BatchRow {
    fields: [(usize, usize); 15],
    group: bool,
    order: Option<i64>,
    texts: bool,
}

const EXTRA: usize = ORDER;

impl Batch {
    /// The batch's entries, in the order they were checked.
    pub fn entries(&self) -> impl Iterator<Item = EntryRow<'_>> {
        self.rows.iter().map(|row| self.fields(row))
    }

    /// The source document of each entry that names one: (entry id, file).
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rows.iter().filter_map(|row| {
            let f = |i: usize| {
                let (a, b) = row.fields[i];
                self.text.get(a..b).unwrap_or("")
            };
            let source = f(SOURCE);
            (!source.is_empty()).then(|| (f(ID), source))
        })
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.rows.clear();
    }

    fn push(&mut self, s: &str) -> (usize, usize) {
        let start = self.text.len();
        self.text.push_str(s);
        (start, self.text.len())
    }

    /// Multi-line sections keep their paragraphs; CRLF from Excel becomes LF.
    fn push_lf(&mut self, s: &str) -> (usize, usize) {
        if !s.as_bytes().contains(&b'\r') {
            return self.push(s); // The usual case, found by memchr without a substring search.
        }
        let start = self.text.len();
        let mut pieces = s.split("\r\n");
        if let Some(first) = pieces.next() {
            self.text.push_str(first);
        }
        for piece in pieces {
            self.text.push('\n');
            self.text.push_str(piece);
        }
        (start, self.text.len())
    }

    fn fields<'b>(&'b self, row: &BatchRow) -> EntryRow<'b> {
        // The ranges were made by `push` on this very text, so `get` always finds them.
        let f = |i: usize| {
            let (a, b) = row.fields[i];
            self.text.get(a..b).unwrap_or("")
        };
        EntryRow {
            id: f(ID),
            group: row.group.then(|| f(GROUP)),
            title: f(TITLE),
            name: f(NAME),
            organization: f(ORGANIZATION),
            county: f(COUNTY),
            submitter: f(SUBMITTER),
            submitter_type: f(SUBMITTER_TYPE),
            perspective: f(PERSPECTIVE),
            order: row.order,
            extra: f(EXTRA),
            sections: row.texts.then(|| std::array::from_fn(|i| f(BACKGROUND + i))),
        }
    }
}

/// The checks on each row, wherever the rows come from.
struct Checker<'a> {
    table: &'a Table,
    columns: &'a ColumnMap,
    rubric: &'a Rubric,
    stored: &'a HashSet<String>,
    update: bool,
    problems: Problems<'a>,
    seen: HashMap<String, usize>,
    added: usize,
    updated: usize,
    digest: FileDigest,
    zeros: super::LostZeros,
}

impl<'a> Checker<'a> {
    /// `table` gives the file name and headers; its rows are not read.
    fn new(
        table: &'a Table,
        columns: &'a ColumnMap,
        rubric: &'a Rubric,
        stored: &'a HashSet<String>,
        update: bool,
    ) -> Self {
        let mut digest = FileDigest::default();
        digest.row(table.headers.iter().map(String::as_str), false);
        Checker {
            table,
            columns,
            rubric,
            stored,
            update,
            problems: Problems::new(table),
            seen: HashMap::new(),
            added: 0,
            updated: 0,
            digest,
            zeros: super::LostZeros::default(),
        }
    }

    /// Check one data row (cells trimmed); while nothing is wrong, lay it out in `batch`.
    fn row(&mut self, number: usize, cells: &[&str], batch: Option<&mut Batch>) {
        self.digest.row(cells.iter().copied(), true);
        let col = |f: usize| self.columns.known[f];
        let cell = |f: usize| -> &str { col(f).and_then(|c| cells.get(c)).copied().unwrap_or("") };
        let problems = &mut self.problems;
        if let Some(problem) = crate::core::text::id_problem(cell(ID)) {
            problems.at(number, col(ID), problem);
            return;
        }
        // Ids are compared (and stored) in NFKC: `ＪＳ００１` is JS001.
        let id_nfkc = crate::core::text::nfkc(cell(ID));
        let id: &str = &id_nfkc;
        self.zeros.see(number, id);
        if id.is_empty() {
            problems.at(number, col(ID), crate::core::problems::Problem::EmptyEntryId);
            return;
        }
        if let Some(first) = self.seen.insert(id.to_string(), number) {
            problems.at(
                number,
                col(ID),
                Problem::DuplicateEntry {
                    id: id.to_string(),
                    first: self.table.place(first),
                },
            );
            return;
        }
        if self.stored.contains(id) {
            if self.update {
                self.updated += 1;
            } else {
                problems.at(number, col(ID), Problem::EntryStored { id: id.to_string() });
                return;
            }
        } else {
            self.added += 1;
        }
        // A group is the rubric's own spelling of it, compared in NFKC.
        let group = match cell(GROUP) {
            g if g.is_empty() || self.rubric.has_group(g) => g,
            g => {
                let key = crate::core::text::nfkc(g);
                self.rubric
                    .groups
                    .iter()
                    .find(|name| crate::core::text::nfkc(name) == key)
                    .map_or(g, String::as_str)
            }
        };
        if !group.is_empty() && !self.rubric.has_group(group) {
            problems.at(
                number,
                col(GROUP),
                Problem::UnknownGroup {
                    group: group.to_string(),
                    groups: self.rubric.groups.clone(),
                },
            );
        }
        if cell(TITLE).is_empty() && cell(NAME).is_empty() {
            let c = col(TITLE).or(col(NAME));
            problems.at(number, c, crate::core::problems::Problem::NoTitleNorName);
        }
        let order = match cell(ORDER) {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    problems.at(number, col(ORDER), Problem::BadOrder { text: text.to_string() });
                    None
                }
            },
        };
        // Once something is wrong nothing is written: checking goes on only to list the problems.
        let Some(batch) = batch.filter(|_| problems.is_empty()) else {
            return;
        };
        let mut fields = [(0, 0); 15];
        fields[SOURCE] = batch.push(cell(SOURCE));
        for f in [
            ID,
            TITLE,
            GROUP,
            ORGANIZATION,
            COUNTY,
            SUBMITTER,
            NAME,
            SUBMITTER_TYPE,
            PERSPECTIVE,
        ] {
            fields[f] = batch.push(match f {
                ID => id,
                GROUP => group,
                _ => cell(f),
            });
        }
        let mut extra = BTreeMap::new();
        for &c in &self.columns.unknown {
            let value = cells.get(c).copied().unwrap_or("");
            if !value.is_empty() {
                extra.insert(self.table.headers[c].trim(), value);
            }
        }
        fields[EXTRA] = batch.push(&serde_json::to_string(&extra).unwrap_or_else(|_| "{}".into()));
        let mut texts = false;
        for (i, _) in Section::ALL.iter().enumerate() {
            let text = cell(BACKGROUND + i);
            texts |= !text.trim().is_empty();
            fields[BACKGROUND + i] = batch.push_lf(text);
        }
        batch.rows.push(BatchRow {
            fields,
            group: !group.is_empty(),
            order,
            texts,
        });
    }

    fn finish(self) -> Result<Checked, ImportErrors> {
        // Reported alone, before the rows' problems, as a whole-table import reports them.
        if let Some(col) = self.columns.known[ID] {
            let mut zeros = Problems::new(self.table);
            self.zeros.report(col, &mut zeros);
            zeros.into_result()?;
        }
        self.problems.into_result()?;
        Ok(Checked {
            added: self.added,
            updated: self.updated,
            digest: self.digest.finish(),
        })
    }
}

/// Read a CSV file record by record (as `super::csv::read_csv` reads it), checking and handing
/// over rows as they come. Errors come in the order a whole-file import reports them: the CSV
/// itself, then the header, then the rows.
pub fn stream_csv(
    file: &str,
    source: Utf8Gate<impl Read>,
    rubric: &Rubric,
    stored: &HashSet<String>,
    update: bool,
    handoff: &mut Handoff,
) -> Result<Checked> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .buffer_capacity(1 << 20)
        .from_reader(source);
    // Bytes, checked as UTF-8 field by field here (as a `StringRecord` would, with a vectorised
    // check: std's was a fifth of this thread at 100k realistic cases).
    let mut record = csv::ByteRecord::new();
    let mut number = 0;
    let mut last_len = 0;
    // The next record, its cells trimmed and checked; `None` at the end of the file.
    let mut next = |record: &mut csv::ByteRecord| -> Result<Option<usize>> {
        number += 1;
        let mut unequal = None;
        let refused = match reader.read_byte_record(record) {
            // Not UTF-8: GBK, say. The whole-file path decodes it, or says where it is broken.
            Ok(true) if utf8_fields(record).is_none() => {
                return Err(not_streamable().into());
            }
            Ok(true) => {
                last_len = record.len();
                utf8_fields(record)
                    .into_iter()
                    .flatten()
                    .map(str::trim)
                    .enumerate()
                    .find_map(|(col, cell)| check_cell(cell).err().map(|m| (col, m)))
                    .map(|(col, m)| super::csv::cell_error(file, number, col, &m))
            }
            // The file ended inside a quoted cell: the last record took in the rest of the file.
            Ok(false) if reader.get_ref().quotes.unclosed() && number > 1 => {
                return Err(super::csv::unclosed_quote(file, number - 1, last_len).into());
            }
            Ok(false) => return Ok(None),
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(io) if is_not_streamable(io) => return Err(not_streamable().into()),
                csv::ErrorKind::Io(io) => {
                    return Err(ImportErrors::whole_file(
                        file,
                        crate::core::problems::Problem::CannotRead { error: io.to_string() },
                    )
                    .into());
                }
                // Not UTF-8: GBK, say. The whole-file path decodes it, or says where it is broken.
                csv::ErrorKind::Utf8 { .. } => return Err(not_streamable().into()),
                _ => {
                    if let csv::ErrorKind::UnequalLengths { len, .. } = e.kind() {
                        unequal = Some(*len as usize);
                    }
                    Some(super::csv::record_error(file, number, &e))
                }
            },
        };
        match refused {
            None => Ok(Some(number)),
            // A whole-file import decodes the file before it reads CSV: if the rest is not UTF-8,
            // that is what it reports, so the rest is read (and checked by the gate) first.
            Some(problem) => Err(match rest_is_text(&mut reader) {
                Err(e) => e,
                // The ragged record was the last and the file ended inside one of its quoted cells.
                Ok(0) if reader.get_ref().quotes.unclosed() => {
                    super::csv::unclosed_quote(file, number, unequal.unwrap_or(last_len)).into()
                }
                Ok(_) => problem.into(),
            }),
        }
    };
    if next(&mut record)?.is_none() {
        return Err(ImportErrors::whole_file(file, crate::core::problems::Problem::EmptyFile).into());
    }
    let table = Table {
        file: file.to_string(),
        kind: SourceKind::Csv,
        headers: utf8_fields(&record)
            .into_iter()
            .flatten()
            .map(|c| c.trim().to_string())
            .collect(),
        rows: Vec::new(),
        info: Default::default(),
    };
    // Errors in the header are reported once the whole file is known to be CSV, as a whole-file
    // import would; meanwhile rows are only read, not checked.
    let columns = map_columns_with(&table, FIELDS, |_| false)
        .ok()
        .filter(|c| check_header(&table, c).is_ok());
    let mut checker = columns
        .as_ref()
        .map(|columns| Checker::new(&table, columns, rubric, stored, update));
    let mut has_data = vec![false; table.headers.len()];
    let mut rows = 0;
    while let Some(number) = next(&mut record)? {
        let cells: Vec<&str> = utf8_fields(&record)
            .into_iter()
            .flatten()
            .map(|c| super::text::unescape_cell(c.trim()))
            .collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue; // Excel leaves blank rows below the data.
        }
        if rows >= MAX_ROWS {
            return Err(
                ImportErrors::whole_file(file, crate::core::problems::Problem::TooManyRows { most: MAX_ROWS }).into(),
            );
        }
        rows += 1;
        for (d, cell) in has_data.iter_mut().zip(&cells) {
            *d |= !cell.is_empty();
        }
        if let Some(checker) = &mut checker {
            checker.row(number, &cells, handoff.batch());
            handoff.pass_on();
        }
    }
    handoff.finish();
    let mapped = map_columns_with(&table, FIELDS, |col| has_data.get(col).copied().unwrap_or(false))?;
    check_header(&table, &mapped)?;
    if rows == 0 {
        return Err(ImportErrors::whole_file(
            file,
            crate::core::problems::Problem::NothingBelowHeader {
                what: crate::core::problems::Rows::Entries,
            },
        )
        .into());
    }
    match checker {
        Some(checker) => Ok(checker.finish()?),
        // Unreachable: with a good header there is a checker. Refuse rather than commit.
        None => Err(ImportErrors::whole_file(file, Problem::NotChecked).into()),
    }
}

/// The fields of `record` as text, when every one is UTF-8 (what a `StringRecord` checks), else
/// `None`. One vectorised check of the record's bytes, then each field boundary must start a
/// character (a field cannot begin with a continuation byte): std's check field by field was a
/// fifth of the checking thread on the realistic file, and each record is looked at three times.
fn utf8_fields(record: &csv::ByteRecord) -> Option<impl Iterator<Item = &str>> {
    let bytes = record.as_slice();
    simdutf8::basic::from_utf8(bytes).ok()?;
    let starts = record.iter().scan(0usize, |at, field| {
        let start = *at;
        *at += field.len();
        Some(start)
    });
    for start in starts {
        if bytes.get(start).is_some_and(|&b| (0x80..=0xBF).contains(&b)) {
            return None;
        }
    }
    Some(record.iter().map(|field| {
        // SAFETY: `field` is a range of `bytes`, which was just checked to be valid UTF-8
        // (simdutf8 accepts exactly what `std::str::from_utf8` accepts), and it starts on a
        // character boundary (checked above); it ends where the next field starts, or at the
        // end of `bytes`, a character boundary too. Nothing changes `record` in between.
        unsafe { std::str::from_utf8_unchecked(field) }
    }))
}

/// Read the rest of a CSV file, only to learn whether it is all UTF-8: `Err(NotStreamable)` if not.
/// Returns how many records were left.
fn rest_is_text(reader: &mut csv::Reader<impl Read>) -> Result<usize, Error> {
    let mut record = csv::ByteRecord::new();
    let mut left = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(left),
            Ok(true) => {
                if record.iter().any(|field| std::str::from_utf8(field).is_err()) {
                    return Err(not_streamable().into());
                }
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(io) if is_not_streamable(io) => return Err(not_streamable().into()),
                // Another read error: the problem already found is the one to report.
                csv::ErrorKind::Io(_) => return Ok(left + 1),
                _ => {} // Ragged rows do not matter here.
            },
        }
        left += 1;
    }
}

/// Why a streamed CSV import starts over on the whole file: the bytes are not UTF-8 (or hold a NUL).
#[derive(Debug)]
struct NotStreamable;

impl std::fmt::Display for NotStreamable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not UTF-8 text")
    }
}

impl std::error::Error for NotStreamable {}

fn not_streamable() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, NotStreamable)
}

pub fn is_not_streamable(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<NotStreamable>())
}

/// Passes a file through while making sure that, read as CSV, it is the UTF-8 text without NUL
/// bytes a whole-file import would accept; anything else fails the read with [`NotStreamable`].
///
/// The csv reader checks that every field is UTF-8, and the bytes it takes out (delimiters, line
/// ends, quotes) are ASCII, so a file whose fields all pass is UTF-8, with one exception: a quote
/// taken out of the middle of a character (`"a\xE4"\xB8\xAD`, a closing quote with more text after
/// it) would join the two halves. In UTF-8 a continuation byte (0x80–0xBF) never follows an ASCII
/// byte, so a quote followed by one is refused here. The file is thus scanned once for quotes
/// and NULs (a fast, vectorised test), not decoded twice.
pub struct Utf8Gate<R> {
    inner: R,
    /// The last byte passed on was a quote.
    after_quote: bool,
    /// Whether the bytes passed on so far end inside a quoted cell.
    quotes: super::csv::QuoteTracker,
}

fn is_continuation(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

impl<R: Read> Read for Utf8Gate<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let Some(data) = buf.get(..n) else {
            return Err(not_streamable()); // Only a broken reader claims more than it was given.
        };
        let Some(&last) = data.last() else {
            return Ok(0);
        };
        if self.after_quote && is_continuation(data[0]) {
            return Err(not_streamable());
        }
        self.quotes.feed(data);
        self.after_quote = last == b'"';
        let mut start = 0;
        for block in data.chunks(64) {
            // No early exit in the test, so it vectorises; blocks with a quote are looked at closely.
            if block
                .iter()
                .fold(0u8, |any, &b| any | u8::from(b == 0) | u8::from(b == b'"'))
                != 0
            {
                for (i, &b) in block.iter().enumerate() {
                    let next = data.get(start + i + 1).copied();
                    if b == 0 || (b == b'"' && next.is_some_and(is_continuation)) {
                        return Err(not_streamable());
                    }
                }
            }
            start += block.len();
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_sees_a_quote_and_a_character_cut_between_reads() {
        /// Hands out one byte per read.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let Some((&b, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = b;
                self.0 = rest;
                Ok(1)
            }
        }
        let read_all = |bytes: &[u8]| {
            let mut gate = Utf8Gate {
                inner: Trickle(bytes),
                after_quote: false,
                quotes: super::super::csv::QuoteTracker::default(),
            };
            let mut out = Vec::new();
            gate.read_to_end(&mut out).map(|_| out)
        };
        assert!(read_all("\"中\",\"文\"\"\"\n".as_bytes()).is_ok());
        assert!(read_all(b"\"x\xE4\"\xB8\xAD\n").is_err_and(|e| is_not_streamable(&e)));
        assert!(read_all(b"a\0b").is_err_and(|e| is_not_streamable(&e)));
    }
}
