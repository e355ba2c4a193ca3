//! Importing entries (cases or contestants).
//!
//! Checking and writing overlap: a second thread reads and checks the rows and hands them over
//! in batches, while the caller's thread writes each batch into one open transaction. A problem
//! anywhere stops the hand-over and the transaction is rolled back, so an import is still all or
//! nothing, and its errors are the same as when the whole file was read first.
//!
//! A `.csv` file is streamed from disk (no size limit, memory bounded by a few batches); other
//! files, and CSV that is not UTF-8, are read whole into a [`Table`] first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read};
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use super::table::{ImportErrors, MAX_ROWS, Problems, SourceKind, Table, check_cell};
use super::{ColumnMap, Field, FileDigest, accepted_headers, map_columns, map_columns_with};
use crate::core::rubric::{Rubric, Section};
use crate::error::{Error, Result};
use crate::store::{Actor, AuditEvent, EntryFields, Store, Tx};

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
];

/// What an entries import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryImport {
    pub added: usize,
    pub updated: usize,
    /// What the reader says about the file (which sheet was read, hidden rows), to show.
    pub notes: Vec<String>,
}

/// Check every row of `table` and, if all is well, store the entries in one transaction.
/// With `update`, ids already stored are replaced; without it they are errors.
pub fn import_entries(store: &Store, table: &Table, update: bool) -> Result<EntryImport> {
    let rubric = store.rubric()?.clone();
    let columns = map_columns(table, FIELDS)?;
    check_header(table, &columns)?;
    if table.rows.is_empty() {
        return Err(ImportErrors::whole_file(&table.file, "has a header but no entries below it").into());
    }
    checked_write(store, &table.file, true, |stored, handoff| {
        let mut checker = Checker::new(table, &columns, &rubric, stored, update);
        let mut cells: Vec<&str> = Vec::new();
        for row in &table.rows {
            cells.clear();
            cells.extend(row.cells.iter().map(String::as_str));
            checker.row(row.number, &cells, handoff.batch());
            handoff.pass_on();
        }
        handoff.finish();
        Ok(checker.finish()?)
    })
    .map(|done| EntryImport {
        notes: table.info.notes.clone(),
        ..done
    })
}

/// Import the entries in the file at `path` (CSV, XLSX or JSON, as [`super::read_table`] reads).
/// A UTF-8 `.csv` is streamed: read, checked and written at once, whatever its size.
pub fn import_entries_file(store: &Store, path: &Path, sheet: Option<&str>, update: bool) -> Result<EntryImport> {
    let whole = || import_entries(store, &super::read_table(path, sheet)?, update);
    let file = path.display().to_string();
    if !file.to_lowercase().ends_with(".csv") {
        return whole();
    }
    let input = super::open_input(path)?;
    if !input.regular {
        // A pipe is read whole, up to the cap like any file that is not streamed.
        let bytes = super::read_bounded(&file, input)?;
        return import_entries(store, &super::read_table_bytes(&file, &bytes, sheet)?, update);
    }
    let mut source = input.file;
    let mut head = Vec::with_capacity(4);
    (&mut source)
        .take(4)
        .read_to_end(&mut head)
        .map_err(|e| ImportErrors::whole_file(&file, format!("cannot be read: {e}")))?;
    // A ZIP named .csv and UTF-16 text take the whole-file path, which refuses or decodes them.
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return whole();
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).to_vec();
    let rubric = store.rubric()?.clone();
    let gate = Utf8Gate {
        inner: io::Cursor::new(head).chain(source),
        after_quote: false,
        quotes: super::csv::QuoteTracker::default(),
    };
    match checked_write(store, &file, !streams_under_lock(path), |stored, handoff| {
        stream_csv(&file, gate, &rubric, stored, update, handoff)
    }) {
        // Not UTF-8 (GBK from Excel, say), or a NUL byte: nothing was kept; decode the whole file.
        Err(Error::Io(e)) if is_not_streamable(&e) => whole(),
        other => other,
    }
}

/// The id and title/name columns every entries file needs.
fn check_header(table: &Table, columns: &ColumnMap) -> Result<(), ImportErrors> {
    let col = |f: usize| columns.known[f];
    if col(ID).is_none() {
        return Err(ImportErrors::whole_file(
            &table.file,
            format!(
                "has no id column (编号); the header row must name the columns. Accepted headers: {}",
                accepted_headers(FIELDS)
            ),
        ));
    }
    if col(TITLE).is_none() && col(NAME).is_none() {
        return Err(ImportErrors::whole_file(
            &table.file,
            "needs a title (标题) or a name (姓名) column",
        ));
    }
    Ok(())
}

/// What the checking thread found; the rows themselves went to the writer.
struct Checked {
    added: usize,
    updated: usize,
    digest: String,
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

/// Run `produce` (which reads, checks and hands over rows) on a second thread, all in one
/// transaction that is committed only if both succeed.
///
/// With `check_first`, every row is read and checked before the write lock is taken (so a slow
/// or stopped reader never holds the judges up) and the lock is held only to write; should another
/// process change the stored ids meanwhile, nothing is written and the import is refused.
/// Otherwise the rows are written while later ones are still being checked, under the lock.
fn checked_write<F>(store: &Store, file: &str, check_first: bool, produce: F) -> Result<EntryImport>
where
    F: FnOnce(&HashSet<String>, &mut Handoff) -> Result<Checked> + Send,
{
    let _cache = store.larger_cache(IMPORT_CACHE_KIB)?;
    if check_first {
        let stored = store.read(|s| s.entry_ids())?;
        let (full, batches) = sync_channel(QUEUED_BATCHES);
        // No buffer comes back: every checked batch is kept until the write.
        let (_no_spares, spares) = channel();
        let (kept, checked) = std::thread::scope(|scope| {
            let stored = &stored;
            let checker = scope.spawn(move || {
                let mut handoff = Handoff {
                    full,
                    spares,
                    batch: Batch::default(),
                    open: true,
                };
                produce(stored, &mut handoff)
            });
            let kept: Vec<Batch> = batches.iter().collect();
            let checked = checker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (kept, checked)
        });
        let checked = checked?;
        return store.write(|s| {
            if s.entry_ids()? != stored {
                return Err(Error::refused(format!(
                    "{file}: the workspace's entries were changed by another process while the file was being \
                     checked; nothing was stored. Run the import again"
                )));
            }
            let mut writer = s.entry_writer()?;
            for batch in &kept {
                for row in &batch.rows {
                    writer.put(&batch.fields(row))?;
                }
            }
            drop(writer);
            record_import(s, file, checked)
        });
    }
    store.write(|s| {
        let stored = s.entry_ids()?;
        let (full, batches) = sync_channel(QUEUED_BATCHES);
        let (spare, spares) = channel();
        let checked = std::thread::scope(|scope| {
            let stored = &stored;
            let checker = scope.spawn(move || {
                let mut handoff = Handoff {
                    full,
                    spares,
                    batch: Batch::default(),
                    open: true,
                };
                produce(stored, &mut handoff)
            });
            // Returns when the checker is done (or fails), or at the first write error; either
            // way `batches` is dropped here, so a checker still handing over stops too.
            let written = write_batches(s, batches, spare);
            let checked = checker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            // A problem in the file explains everything after it; report it before a write error.
            let checked = checked?;
            written.map(|()| checked)
        })?;
        record_import(s, file, checked)
    })
}

/// The import's audit row (its file, content digest and counts), inside its write transaction.
fn record_import(s: &Tx<'_>, file: &str, checked: Checked) -> Result<EntryImport> {
    let Checked { added, updated, digest } = checked;
    s.audit(
        &Actor::Cli,
        &AuditEvent::ImportEntries {
            file: file.to_string(),
            digest: digest.to_string(),
            added,
            updated,
        },
    )?;
    Ok(EntryImport {
        added,
        updated,
        notes: Vec::new(),
    })
}

fn write_batches(store: &Tx<'_>, batches: Receiver<Batch>, spare: Sender<Batch>) -> Result<()> {
    let mut writer = store.entry_writer()?;
    for mut batch in batches {
        for row in &batch.rows {
            writer.put(&batch.fields(row))?;
        }
        batch.clear();
        // The checker may have finished already and need no more buffers.
        let _ = spare.send(batch);
    }
    Ok(())
}

/// SQLite's page cache while entries are written. With the usual 2 MB, pages are spilled into the
/// WAL one by one in mid-transaction and some are read back for the next row. Measured at 100k
/// cases: 3.79 s instead of 3.90 s, 0.2 s less system time; 256 MB or 1 GB were no faster.
const IMPORT_CACHE_KIB: i64 = 32 * 1024;

/// Batches waiting for the writer: enough to ride out an uneven row, few enough to bound memory.
const QUEUED_BATCHES: usize = 4;
/// A batch is handed over at this many rows or this much text, whichever comes first.
const BATCH_ROWS: usize = 512;
const BATCH_BYTES: usize = 4 << 20;

/// The checker's end of the hand-over: fills a batch, passes it on when full.
struct Handoff {
    full: SyncSender<Batch>,
    spares: Receiver<Batch>,
    batch: Batch,
    /// False once the writer has stopped (a write failed).
    open: bool,
}

impl Handoff {
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
struct Batch {
    text: String,
    rows: Vec<BatchRow>,
}

/// Field ranges by the `FIELDS` index, except that `ORDER`'s slot holds the extra columns' JSON.
struct BatchRow {
    fields: [(usize, usize); 14],
    group: bool,
    order: Option<i64>,
    texts: bool,
}

const EXTRA: usize = ORDER;

impl Batch {
    fn clear(&mut self) {
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

    fn fields<'b>(&'b self, row: &BatchRow) -> EntryFields<'b> {
        // The ranges were made by `push` on this very text, so `get` always finds them.
        let f = |i: usize| {
            let (a, b) = row.fields[i];
            self.text.get(a..b).unwrap_or("")
        };
        EntryFields {
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
            problems.at(number, col(ID), "the id (编号) is empty; every entry needs one");
            return;
        }
        if let Some(first) = self.seen.insert(id.to_string(), number) {
            problems.at(
                number,
                col(ID),
                format!(
                    "the id \"{id}\" appears twice in this file (first at {} {first})",
                    self.table.row_word()
                ),
            );
            return;
        }
        if self.stored.contains(id) {
            if self.update {
                self.updated += 1;
            } else {
                problems.at(
                    number,
                    col(ID),
                    format!("the id \"{id}\" is already in the workspace; use --update to replace stored entries"),
                );
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
                format!(
                    "unknown group \"{group}\"; the contest's groups are: {}",
                    self.rubric.groups.join(", ")
                ),
            );
        }
        if cell(TITLE).is_empty() && cell(NAME).is_empty() {
            let c = col(TITLE).or(col(NAME));
            problems.at(number, c, "the entry has neither a title (标题) nor a name (姓名)");
        }
        let order = match cell(ORDER) {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    problems.at(
                        number,
                        col(ORDER),
                        format!("the running order \"{text}\" must be a whole number from 1 up"),
                    );
                    None
                }
            },
        };
        // Once something is wrong nothing is written: checking goes on only to list the problems.
        let Some(batch) = batch.filter(|_| problems.is_empty()) else {
            return;
        };
        let mut fields = [(0, 0); 14];
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
fn stream_csv(
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
    let mut record = csv::StringRecord::new();
    let mut number = 0;
    let mut last_len = 0;
    // The next record, its cells trimmed and checked; `None` at the end of the file.
    let mut next = |record: &mut csv::StringRecord| -> Result<Option<usize>> {
        number += 1;
        let mut unequal = None;
        let refused = match reader.read_record(record) {
            Ok(true) => {
                last_len = record.len();
                record
                    .iter()
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
                    return Err(ImportErrors::whole_file(file, format!("cannot be read: {io}")).into());
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
        return Err(ImportErrors::whole_file(file, "the file is empty: it needs a header row and data rows").into());
    }
    let table = Table {
        file: file.to_string(),
        kind: SourceKind::Csv,
        headers: record.iter().map(|c| c.trim().to_string()).collect(),
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
        let cells: Vec<&str> = record.iter().map(|c| super::text::unescape_cell(c.trim())).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue; // Excel leaves blank rows below the data.
        }
        if rows >= MAX_ROWS {
            return Err(ImportErrors::whole_file(file, format!("more than {MAX_ROWS} rows; split the file")).into());
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
        return Err(ImportErrors::whole_file(file, "has a header but no entries below it").into());
    }
    match checker {
        Some(checker) => Ok(checker.finish()?),
        // Unreachable: with a good header there is a checker. Refuse rather than commit.
        None => Err(ImportErrors::whole_file(file, "could not be checked").into()),
    }
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

fn is_not_streamable(e: &io::Error) -> bool {
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
struct Utf8Gate<R> {
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
    use std::fmt::Write as _;

    use super::*;
    use crate::core::rubric::template_source;

    struct Workspace {
        dir: tempfile::TempDir,
        store: Store,
    }

    fn workspace() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let (file, source) = template_source("cases").unwrap();
        store.init(file, source, None).unwrap();
        Workspace { dir, store }
    }

    impl Workspace {
        fn file(&self, name: &str, bytes: &[u8]) -> std::path::PathBuf {
            let path = self.dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        }

        /// Everything an import can change: the entries with their texts, and the audit head.
        fn state(&self) -> (Vec<crate::core::Entry>, (i64, String)) {
            (
                self.store.entries_with_texts().unwrap(),
                self.store.audit_head().unwrap(),
            )
        }

        fn last_audit_detail(&self) -> String {
            let log = self.store.audit_log(None, None).unwrap();
            log.last().map(|r| r.detail.clone()).unwrap_or_default()
        }
    }

    /// `n` cases; `bad` (1-based data row) gets a running order that is refused.
    fn cases_csv(n: usize, bad: Option<usize>) -> String {
        let mut csv = String::from("编号,标题,出场顺序,背景介绍,问题描述,备注\r\n");
        for i in 1..=n {
            let order = if Some(i) == bad {
                "-1".to_string()
            } else {
                i.to_string()
            };
            writeln!(
                csv,
                "C{i:05},案例 {i},{order},\"第一段，{i}\r\n第二段 \"\"引号\"\"\",问题{i},{}\r",
                if i % 3 == 0 { "备注" } else { "" }
            )
            .unwrap();
        }
        csv
    }

    #[test]
    fn streamed_csv_stores_what_a_whole_table_import_stores() {
        let mut csv = b"\xEF\xBB\xBF".to_vec();
        csv.extend_from_slice(cases_csv(1500, None).as_bytes());
        csv.extend_from_slice(b",,,,,\r\n\r\n");
        let streamed = workspace();
        let path = streamed.file("cases.csv", &csv);
        let done = import_entries_file(&streamed.store, &path, None, false).unwrap();
        assert_eq!(
            done,
            EntryImport {
                added: 1500,
                updated: 0,
                notes: Vec::new()
            }
        );
        let whole = workspace();
        let table = super::super::read_table_bytes(&path.display().to_string(), &csv, None).unwrap();
        import_entries(&whole.store, &table, false).unwrap();
        let (entries, _) = streamed.state();
        assert_eq!(entries, whole.state().0);
        assert_eq!(streamed.last_audit_detail(), whole.last_audit_detail(), "same digest");
        let e = &entries[1499];
        assert_eq!(
            e.sections.background, "第一段，1500\n第二段 \"引号\"",
            "CRLF became LF, quotes unescaped"
        );
        assert_eq!(e.order, Some(1500));
        assert_eq!(entries[2].extra.get("备注").map(String::as_str), Some("备注"));
        assert!(entries[0].extra.is_empty());

        // Again with --update: every entry is replaced, none added.
        let done = import_entries_file(&streamed.store, &path, None, true).unwrap();
        assert_eq!(
            done,
            EntryImport {
                added: 0,
                updated: 1500,
                notes: Vec::new()
            }
        );
    }

    #[test]
    fn a_bad_row_in_a_later_batch_leaves_the_workspace_unchanged() {
        let w = workspace();
        let good = w.file("good.csv", cases_csv(10, None).replace(",案例", "G,案例").as_bytes());
        import_entries_file(&w.store, &good, None, false).unwrap();
        let before = w.state();
        // Row 1302 in the sheet: the first 1300 rows were written in earlier batches.
        let csv = cases_csv(2000, Some(1301));
        let path = w.file("cases.csv", csv.as_bytes());
        let e = import_entries_file(&w.store, &path, None, false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("cases.csv: row 1302, column C (出场顺序): the running order \"-1\" must be a whole number"),
            "{e}"
        );
        assert_eq!(w.state(), before);
        let table = super::super::read_table_bytes(&path.display().to_string(), csv.as_bytes(), None).unwrap();
        let whole = import_entries(&w.store, &table, false).unwrap_err().to_string();
        assert_eq!(e, whole, "streamed and whole-table imports report the same");
        assert_eq!(w.state(), before);
        // Ids already stored are listed in full, in row order, with the bad row after them.
        let csv = csv.replace("C00002,", "C00002G,").replace("C00005,", "C00005G,");
        let path = w.file("again.csv", csv.as_bytes());
        let e = import_entries_file(&w.store, &path, None, false)
            .unwrap_err()
            .to_string();
        let rows: Vec<&str> = e.lines().map(|l| l.split(", column").next().unwrap_or("")).collect();
        assert!(
            rows[0].ends_with("again.csv: row 3") && rows[1].ends_with("again.csv: row 6"),
            "{e}"
        );
        assert!(rows[2].ends_with("again.csv: row 1302"), "{e}");
        assert_eq!(w.state(), before);
    }

    #[test]
    fn a_failed_write_stops_the_checker_and_rolls_back() {
        let w = workspace();
        w.store
            .conn()
            .execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON entries WHEN NEW.id = 'C01700'
                 BEGIN SELECT RAISE(ABORT, 'refused by test'); END;",
            )
            .unwrap();
        let before = w.state();
        let path = w.file("cases.csv", cases_csv(2000, None).as_bytes());
        let e = import_entries_file(&w.store, &path, None, false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("refused by test"), "{e}");
        assert_eq!(w.state(), before);
        // A bad row found after the write failed is still what is reported.
        let path = w.file("bad.csv", cases_csv(2000, Some(1900)).as_bytes());
        let e = import_entries_file(&w.store, &path, None, false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 1901"), "{e}");
        assert_eq!(w.state(), before);
    }

    #[test]
    fn gbk_found_late_starts_over_on_the_whole_file() {
        let w = workspace();
        // ASCII for the first batches; the first Chinese text (GBK) comes at row 1202.
        let mut csv = String::from("id,title\n");
        for i in 1..=1200 {
            writeln!(csv, "A{i},t{i}").unwrap();
        }
        csv.push_str("B1,亲子沟通\n");
        let (gbk, _, _) = encoding_rs::GB18030.encode(&csv);
        let path = w.file("gbk.csv", &gbk);
        let done = import_entries_file(&w.store, &path, None, false).unwrap();
        assert_eq!(done.added, 1201);
        let entries = w.store.entries().unwrap();
        assert_eq!(
            entries.len(),
            1201,
            "the rows written before the GBK was seen were rolled back"
        );
        assert_eq!(entries[1200].title, "亲子沟通");
    }

    #[test]
    fn bytes_that_are_not_text_are_refused_as_before() {
        let w = workspace();
        let before = w.state();
        // A quote inside a character: the CSV reader would join "中" back together.
        for (name, bytes) in [
            ("cut.csv", &b"id,title\nA1,\"x\xE4\"\xB8\xAD\n"[..]),
            ("nul.csv", &b"id,title\nA1,x\0y\n"[..]),
            ("bad.csv", &b"id,title\nA1,\xFF\xFE\n"[..]),
            // A ragged row or a bad cell before the bad bytes: the bytes are still reported.
            ("ragged.csv", &b"id,title\nA1,x,y\nA2,z\nA3,\xFF\xFE\n"[..]),
            ("cell.csv", &b"id,title\nA1,x\x07\nA2,z\nA3,\xFF\xFE\n"[..]),
            ("ragged-gbk.csv", &b"id,title\nA1,x,y\nA3,\xC7\xD7\n"[..]),
        ] {
            let path = w.file(name, bytes);
            let streamed = import_entries_file(&w.store, &path, None, false)
                .unwrap_err()
                .to_string();
            let whole = match super::super::read_table_bytes(&path.display().to_string(), bytes, None) {
                Ok(table) => import_entries(&w.store, &table, false).unwrap_err().to_string(),
                Err(e) => e.to_string(),
            };
            assert_eq!(streamed, whole, "{name}");
            assert_eq!(w.state(), before, "{name}");
        }
    }

    #[test]
    fn errors_keep_their_order_csv_then_header_then_rows() {
        let w = workspace();
        let cases = [
            // A ragged row after a header problem: the CSV error alone.
            ("a.csv", "id,id,title\nA1,A1,x\nA2,y\n"),
            // Data under an empty header, found on the last row, beats row problems.
            ("b.csv", "id,title,\nA1,,\nA1,x,\nA3,y,z\n"),
            // No id column, and a control character in a later cell: the cell first.
            ("c.csv", "title\nx\ny\u{7}\n"),
            ("d.csv", "id,title\n"),
            ("e.csv", ""),
            // A quote never closed, with as many cells as the header or fewer, after a bad cell
            // or with one inside: the same report streamed or whole.
            ("f.csv", "id,title\nA1,x\nA2,\"open\nA3,y\n"),
            ("g.csv", "id,title,group\nA1,x,g\nA2,\"open,g\n"),
            ("h.csv", "id,title\nA1,x\u{7}\nA2,\"open\n"),
            ("i.csv", "id,title\nA2,\"o\u{7}pen\n"),
            // An id that lost its leading zeros, and a row problem: the id alone.
            ("j.csv", "id,title\n0011,x\n12,y\n0013,\n"),
        ];
        for (name, text) in cases {
            let path = w.file(name, text.as_bytes());
            let streamed = import_entries_file(&w.store, &path, None, false)
                .unwrap_err()
                .to_string();
            let whole = match super::super::read_table_bytes(&path.display().to_string(), text.as_bytes(), None) {
                Ok(table) => import_entries(&w.store, &table, false).unwrap_err().to_string(),
                Err(e) => e.to_string(),
            };
            assert_eq!(streamed, whole, "{name}");
            let expected = match name {
                "f.csv" | "g.csv" => Some("row 3, column B: the cell opens with a quote"),
                "h.csv" => Some("row 2, column B: the cell contains the control character U+0007"),
                "i.csv" => Some("row 2, column B: the cell opens with a quote"),
                "j.csv" => Some("row 3, column A (id): the id \"12\" looks like \"0012\""),
                _ => None,
            };
            if let Some(expected) = expected {
                assert!(streamed.contains(expected), "{name}: {streamed}");
            }
        }
    }

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
