//! Importing entries (cases or contestants): `crate::import::entries` checks the rows on a second
//! thread and hands them over in batches; this thread writes them into one transaction with the
//! import's audit row. A problem anywhere stops the hand-over and the transaction is rolled back.

use std::collections::HashSet;
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};

use crate::error::{Error, Result};
use crate::import::entries::{
    Batch, Checked, EntriesInput, Handoff, check_table, entry_columns, is_not_streamable, open_entries, stream_csv,
    streams_under_lock,
};
use crate::import::read_table;
use crate::import::table::Table;
use crate::store::{Actor, AuditEvent, Store, Tx};

use super::log::Origin;
use crate::core::import_log::ImportKind;

/// What an entries import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryImport {
    pub added: usize,
    pub updated: usize,
    /// What the reader says about the file (which sheet was read, hidden rows), to show.
    pub notes: Vec<crate::core::problems::ReadNote>,
}

/// Check every row of `table` and, if all is well, store the entries in one transaction.
/// With `update`, ids already stored are replaced; without it they are errors.
pub fn import_entries(store: &Store, table: &Table, update: bool) -> Result<EntryImport> {
    import_entries_from(store, table, update, Origin::table(ImportKind::Entries, table))
}

fn import_entries_from(store: &Store, table: &Table, update: bool, origin: Origin) -> Result<EntryImport> {
    let rubric = store.rubric()?.clone();
    let columns = entry_columns(table)?;
    checked_write(
        store,
        &table.file,
        true,
        move || origin,
        |stored, handoff| check_table(table, &columns, &rubric, stored, update, handoff),
    )
    .map(|done| EntryImport {
        notes: table.info.notes.clone(),
        ..done
    })
}

/// [`import_entries`], running `after` in the import's transaction once the entries are written.
pub(super) fn import_entries_then(
    store: &Store,
    table: &Table,
    update: bool,
    origin: Origin,
    after: impl FnOnce(&Tx<'_>) -> Result<()>,
) -> Result<EntryImport> {
    let rubric = store.rubric()?.clone();
    let columns = entry_columns(table)?;
    checked_write_with(
        store,
        &table.file,
        true,
        move || origin,
        |stored, handoff| check_table(table, &columns, &rubric, stored, update, handoff),
        after,
    )
}

/// Import the entries in the file at `path` (CSV, XLSX or JSON, as [`crate::import::read_table`]
/// reads). A UTF-8 `.csv` is streamed: read, checked and written at once, whatever its size.
pub fn import_entries_file(
    store: &Store,
    actor: &Actor,
    path: &Path,
    sheet: Option<&str>,
    update: bool,
) -> Result<EntryImport> {
    let origin = |table: Option<&Table>| Origin::file(ImportKind::Entries, path, table).by(actor);
    let whole = || {
        let table = read_table(path, sheet)?;
        import_entries_from(store, &table, update, origin(Some(&table)))
    };
    let gate = match open_entries(path, sheet)? {
        EntriesInput::Table(table) => return import_entries_from(store, &table, update, origin(Some(&table))),
        EntriesInput::Stream(gate) => gate,
    };
    let file = path.display().to_string();
    let rubric = store.rubric()?.clone();
    // The file's digest for the import log is read on a thread of its own, beside the import,
    // and only waited for when the import is recorded.
    let written = std::thread::scope(|scope| {
        let digest = scope.spawn(|| origin(None));
        let origin = move || digest.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        checked_write(store, &file, !streams_under_lock(path), origin, |stored, handoff| {
            stream_csv(&file, gate, &rubric, stored, update, handoff)
        })
    });
    match written {
        // Not UTF-8 (GBK from Excel, say), or a NUL byte: nothing was kept; decode the whole file.
        Err(Error::Io(e)) if is_not_streamable(&e) => whole(),
        other => other,
    }
}

/// Run `produce` (which reads, checks and hands over rows) on a second thread, all in one
/// transaction that is committed only if both succeed.
///
/// With `check_first`, every row is read and checked before the write lock is taken (so a slow
/// or stopped reader never holds the judges up) and the lock is held only to write; should another
/// process change the stored ids meanwhile, nothing is written and the import is refused. When
/// nobody else has the workspace open ([`Store::write_alone`]) there is nobody to hold up, and
/// the rows are written as they are checked, as they always are without `check_first`.
/// Otherwise the rows are written while later ones are still being checked, under the lock.
fn checked_write<F>(
    store: &Store,
    file: &str,
    check_first: bool,
    origin: impl FnOnce() -> Origin,
    produce: F,
) -> Result<EntryImport>
where
    F: FnOnce(&HashSet<String>, &mut Handoff) -> Result<Checked> + Send,
{
    checked_write_with(store, file, check_first, origin, produce, |_| Ok(()))
}

/// [`checked_write`], running `after` in the same transaction once the entries are written
/// (before the import's audit row).
fn checked_write_with<F>(
    store: &Store,
    file: &str,
    check_first: bool,
    origin: impl FnOnce() -> Origin,
    produce: F,
    after: impl FnOnce(&Tx<'_>) -> Result<()>,
) -> Result<EntryImport>
where
    F: FnOnce(&HashSet<String>, &mut Handoff) -> Result<Checked> + Send,
{
    let _cache = store.larger_cache(IMPORT_CACHE_KIB)?;
    if !check_first {
        return store.write_bulk(|s| write_as_checked(s, file, origin, produce, after));
    }
    // Alone with the workspace, nobody waits for the reader: check and write at once.
    let (origin, produce, after) = match store.write_alone((origin, produce, after), |s, (origin, produce, after)| {
        write_as_checked(s, file, origin, produce, after)
    }) {
        Ok(done) => return done,
        Err(state) => state,
    };
    let stored = store.read(|s| s.entry_ids())?;
    let (full, batches) = sync_channel(QUEUED_BATCHES);
    // No buffer comes back: every checked batch is kept until the write.
    let (_no_spares, spares) = channel();
    let (kept, checked) = std::thread::scope(|scope| {
        let stored = &stored;
        let checker = scope.spawn(move || {
            let mut handoff = Handoff::new(full, spares);
            produce(stored, &mut handoff)
        });
        let kept: Vec<Batch> = batches.iter().collect();
        let checked = checker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (kept, checked)
    });
    let checked = checked?;
    store.write_bulk(|s| {
        if s.entry_ids()? != stored {
            return Err(crate::core::refusal::WorkspaceRefusal::EntriesChanged(file.to_string()).into());
        }
        s.import_capture_begin_entries()?;
        let mut writer = s.entry_writer_noting()?;
        for batch in &kept {
            for row in batch.entries() {
                writer.put_noting(&row, stored.contains(row.id))?;
            }
        }
        drop(writer);
        for batch in &kept {
            write_sources(s, batch)?;
        }
        after(s)?;
        record_import(s, file, checked, &origin())
    })
}

/// The rows checked on a second thread and written here as they come, in the transaction `s`.
fn write_as_checked<F>(
    s: &Tx<'_>,
    file: &str,
    origin: impl FnOnce() -> Origin,
    produce: F,
    after: impl FnOnce(&Tx<'_>) -> Result<()>,
) -> Result<EntryImport>
where
    F: FnOnce(&HashSet<String>, &mut Handoff) -> Result<Checked> + Send,
{
    s.import_capture_begin_entries()?;
    let stored = s.entry_ids()?;
    let (full, batches) = sync_channel(QUEUED_BATCHES);
    let (spare, spares) = channel();
    let checked = std::thread::scope(|scope| {
        let stored = &stored;
        let checker = scope.spawn(move || {
            let mut handoff = Handoff::new(full, spares);
            produce(stored, &mut handoff)
        });
        // Returns when the checker is done (or fails), or at the first write error; either
        // way `batches` is dropped here, so a checker still handing over stops too.
        let written = write_batches(s, stored, batches, spare);
        let checked = checker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // A problem in the file explains everything after it; report it before a write error.
        let checked = checked?;
        written.map(|()| checked)
    })?;
    after(s)?;
    record_import(s, file, checked, &origin())
}

/// The import's audit row (its file, content digest and counts), inside its write transaction.
fn record_import(s: &Tx<'_>, file: &str, checked: Checked, origin: &Origin) -> Result<EntryImport> {
    let Checked { added, updated, digest } = checked;
    s.audit(
        &origin.actor,
        &AuditEvent::ImportEntries {
            file: file.to_string(),
            digest: digest.to_string(),
            added,
            updated,
        },
    )?;
    // The import log: its number and exactly what it changed, for `jury import undo`.
    s.import_capture_end(origin.kind, file, &origin.sha256, added + updated, &origin.actor)?;
    Ok(EntryImport {
        added,
        updated,
        notes: Vec::new(),
    })
}

fn write_batches(
    store: &Tx<'_>,
    stored: &HashSet<String>,
    batches: Receiver<Batch>,
    spare: Sender<Batch>,
) -> Result<()> {
    let mut writer = store.entry_writer_noting()?;
    for mut batch in batches {
        for row in batch.entries() {
            writer.put_noting(&row, stored.contains(row.id))?;
        }
        write_sources(store, &batch)?;
        batch.clear();
        // The checker may have finished already and need no more buffers.
        let _ = spare.send(batch);
    }
    Ok(())
}

/// The `source` column of a file (as `jury export entries` writes it), kept without a digest.
fn write_sources(tx: &Tx<'_>, batch: &Batch) -> Result<()> {
    for (id, file) in batch.sources() {
        tx.put_entry_source(
            id,
            &crate::store::EntrySource {
                file: file.to_string(),
                sha256: String::new(),
            },
        )?;
    }
    Ok(())
}

/// SQLite's page cache while entries are written. With the usual 2 MB, pages are spilled into the
/// WAL one by one in mid-transaction and some are read back for the next row. Measured at 100k
/// cases: 3.79 s instead of 3.90 s, 0.2 s less system time; 256 MB or 1 GB were no faster.
const IMPORT_CACHE_KIB: i64 = 32 * 1024;

/// Batches waiting for the writer: enough to ride out an uneven row, few enough to bound memory.
const QUEUED_BATCHES: usize = 4;

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
            // The import's own row (the import log's `import-record` row comes after it).
            log.iter()
                .rev()
                .find(|r| r.action == "import-entries")
                .map(|r| r.detail.clone())
                .unwrap_or_default()
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
        let done = import_entries_file(&streamed.store, &crate::store::Actor::Cli, &path, None, false).unwrap();
        assert_eq!(
            done,
            EntryImport {
                added: 1500,
                updated: 0,
                notes: Vec::new()
            }
        );
        let whole = workspace();
        let table = crate::import::read_table_bytes(&path.display().to_string(), &csv, None).unwrap();
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
        let done = import_entries_file(&streamed.store, &crate::store::Actor::Cli, &path, None, true).unwrap();
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
    fn an_import_keeps_the_seal_and_a_later_write_still_updates_it() {
        let w = workspace();
        let sealed = |w: &Workspace| {
            matches!(
                w.store.read(|s| s.check_seal()).unwrap(),
                crate::store::SealCheck::Matches { .. }
            ) && matches!(w.store.audit_verify().unwrap(), crate::store::ChainCheck::Intact { .. })
        };
        let first = w.file("first.csv", cases_csv(300, None).as_bytes());
        import_entries_file(&w.store, &crate::store::Actor::Cli, &first, None, false).unwrap();
        assert!(sealed(&w));
        // 300 stored and replaced, 1200 added, in one import.
        let more = w.file("more.csv", cases_csv(1500, None).as_bytes());
        let done = import_entries_file(&w.store, &crate::store::Actor::Cli, &more, None, true).unwrap();
        assert_eq!((done.added, done.updated), (1200, 300));
        assert!(sealed(&w));
        // One that fails half way changes neither the seal nor the rows.
        let seal = || w.store.read(|s| s.meta("seal")).unwrap();
        let (before, seal_before) = (w.state(), seal());
        let bad = w.file("bad.csv", cases_csv(3000, Some(2800)).as_bytes());
        import_entries_file(&w.store, &crate::store::Actor::Cli, &bad, None, true).unwrap_err();
        assert_eq!((w.state(), seal()), (before, seal_before.clone()));
        // A later ordinary write of an added entry changes the seal, through the trigger.
        let mut entry = w.store.read(|s| s.entry("C01400")).unwrap().unwrap();
        entry.organization = "另一单位".into();
        w.store.write(|s| s.put_entries(&[entry])).unwrap();
        assert_ne!(seal(), seal_before);
        assert!(sealed(&w));
    }

    #[test]
    fn a_bad_row_in_a_later_batch_leaves_the_workspace_unchanged() {
        let w = workspace();
        let good = w.file("good.csv", cases_csv(10, None).replace(",案例", "G,案例").as_bytes());
        import_entries_file(&w.store, &crate::store::Actor::Cli, &good, None, false).unwrap();
        let before = w.state();
        // Row 1302 in the sheet: the first 1300 rows were written in earlier batches.
        let csv = cases_csv(2000, Some(1301));
        let path = w.file("cases.csv", csv.as_bytes());
        let e = import_entries_file(&w.store, &crate::store::Actor::Cli, &path, None, false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("cases.csv: row 1302, column C (出场顺序): the running order \"-1\" must be a whole number"),
            "{e}"
        );
        assert_eq!(w.state(), before);
        let table = crate::import::read_table_bytes(&path.display().to_string(), csv.as_bytes(), None).unwrap();
        let whole = import_entries(&w.store, &table, false).unwrap_err().to_string();
        assert_eq!(e, whole, "streamed and whole-table imports report the same");
        assert_eq!(w.state(), before);
        // Ids already stored are listed in full, in row order, with the bad row after them.
        let csv = csv.replace("C00002,", "C00002G,").replace("C00005,", "C00005G,");
        let path = w.file("again.csv", csv.as_bytes());
        let e = import_entries_file(&w.store, &crate::store::Actor::Cli, &path, None, false)
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
        let e = import_entries_file(&w.store, &crate::store::Actor::Cli, &path, None, false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("refused by test"), "{e}");
        assert_eq!(w.state(), before);
        // A bad row found after the write failed is still what is reported.
        let path = w.file("bad.csv", cases_csv(2000, Some(1900)).as_bytes());
        let e = import_entries_file(&w.store, &crate::store::Actor::Cli, &path, None, false)
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
        let done = import_entries_file(&w.store, &crate::store::Actor::Cli, &path, None, false).unwrap();
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
            let (streamed, whole) = refused_streamed_and_whole(&w, name, bytes);
            assert_eq!(streamed, whole, "{name}");
            assert_eq!(w.state(), before, "{name}");
        }
    }

    /// The refusal of `bytes` imported as the streamed file and as a table read whole.
    fn refused_streamed_and_whole(w: &Workspace, name: &str, bytes: &[u8]) -> (String, String) {
        let path = w.file(name, bytes);
        let streamed = import_entries_file(&w.store, &crate::store::Actor::Cli, &path, None, false)
            .unwrap_err()
            .to_string();
        let whole = match crate::import::read_table_bytes(&path.display().to_string(), bytes, None) {
            Ok(table) => import_entries(&w.store, &table, false).unwrap_err().to_string(),
            Err(e) => e.to_string(),
        };
        (streamed, whole)
    }

    #[test]
    fn a_character_cut_by_a_comma_is_refused_streamed_as_whole() {
        // "中" (E4 B8 AD) cut by the comma: each cell is broken, the two joined are not. Every
        // field is checked on its own (as the CSV reader's own check did), so the streamed
        // import starts over on the whole file, which says where the bytes are broken.
        let w = workspace();
        let before = w.state();
        let bytes = &b"id,title,group\nA1,x\xE4,\xB8\xAD\n"[..];
        let (streamed, whole) = refused_streamed_and_whole(&w, "cut-comma.csv", bytes);
        assert_eq!(streamed, whole);
        assert!(streamed.contains("cut-comma.csv"), "{streamed}");
        assert_eq!(w.state(), before);
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
            let streamed = import_entries_file(&w.store, &crate::store::Actor::Cli, &path, None, false)
                .unwrap_err()
                .to_string();
            let whole = match crate::import::read_table_bytes(&path.display().to_string(), text.as_bytes(), None) {
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

    /// A plain connection that never waits for a lock: a reader's view, told at once when the
    /// workspace is locked.
    fn reader(path: &Path) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.busy_timeout(std::time::Duration::ZERO).unwrap();
        conn
    }

    fn count(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
        conn.query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
    }

    /// The rule of the import's journal: it leaves WAL only while nobody else has the workspace
    /// open. Another connection open when it starts (a judge's screen, the console) keeps it in
    /// WAL, so that reader reads alongside it, never waits, and sees all of it once committed.
    #[test]
    fn an_import_with_another_connection_open_stays_in_wal_and_the_other_reads_alongside() {
        let ws = workspace();
        let path = ws.store.path().to_path_buf();
        let other = reader(&path);
        assert_eq!(count(&other).unwrap(), 0);
        let table = crate::import::read_table_bytes("c.csv", cases_csv(300, None).as_bytes(), None).unwrap();
        let mut during = None;
        let done = import_entries_then(
            &ws.store,
            &table,
            false,
            Origin::table(ImportKind::Entries, &table),
            |s| {
                let mode: String = s.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                // Read by the other connection in the middle of the import's transaction.
                during = Some((mode, count(&other).map_err(|e| e.to_string())));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(done.added, 300);
        assert_eq!(
            during,
            Some(("wal".to_string(), Ok(0))),
            "the other read the snapshot before it"
        );
        assert_eq!(count(&other).unwrap(), 300);
    }

    /// Alone, the import writes with a rollback journal under an exclusive lock it holds from
    /// leaving WAL to coming back: a connection opened meanwhile is told the workspace is locked
    /// (and a judge's screen waits), never reads a half-written import; afterwards the workspace is
    /// in WAL again with synchronous=FULL, and others read while the importing session stays open.
    #[test]
    fn an_import_alone_holds_the_workspace_and_comes_back_to_wal() {
        let ws = workspace();
        let path = ws.store.path().to_path_buf();
        let table = crate::import::read_table_bytes("c.csv", cases_csv(300, None).as_bytes(), None).unwrap();
        let mut during = None;
        let done = import_entries_then(
            &ws.store,
            &table,
            false,
            Origin::table(ImportKind::Entries, &table),
            |s| {
                let mode: String = s.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                let late = reader(&path);
                let read = count(&late).map_err(|e| e.sqlite_error_code());
                during = Some((mode, read));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(done.added, 300);
        assert_eq!(
            during,
            Some(("delete".to_string(), Err(Some(rusqlite::ErrorCode::DatabaseBusy)))),
            "alone: a rollback journal, and nobody reads until it is done"
        );
        let conn = ws.store.conn();
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        let locking: String = conn.query_row("PRAGMA locking_mode", [], |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), sync, locking.as_str()), ("wal", 2, "normal"));
        // The importing session is still open: another reads, and writes, at once.
        let other = reader(&path);
        assert_eq!(count(&other).unwrap(), 300);
        let mode: String = other.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        other
            .execute("UPDATE meta SET value = value WHERE key = 'contest_name'", [])
            .unwrap();
        // And the importing session writes again in WAL, alongside a reader.
        let table = crate::import::read_table_bytes("d.csv", "编号,标题\r\nD1,另一个\r\n".as_bytes(), None).unwrap();
        let mut read_alongside = None;
        import_entries_then(
            &ws.store,
            &table,
            false,
            Origin::table(ImportKind::Entries, &table),
            |_| {
                read_alongside = Some(count(&other).map_err(|e| e.to_string()));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(read_alongside, Some(Ok(300)));
        assert_eq!(count(&other).unwrap(), 301);
    }

    /// importfast: an import into no entries builds the organisation index after the rows; it is
    /// there after the import, after a failed one, and it holds every row.
    #[test]
    fn the_organisation_index_is_there_after_an_import_into_no_entries() {
        let indexed = |path: &Path| -> Vec<String> {
            let conn = reader(path);
            let plan: Vec<String> = conn
                .prepare("EXPLAIN QUERY PLAN SELECT id FROM entries WHERE organization = 'x'")
                .unwrap()
                .query_map([], |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let found: Vec<String> = conn
                .prepare(
                    "SELECT id FROM entries INDEXED BY entries_organization WHERE organization = '单位3' ORDER BY id",
                )
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(plan.iter().any(|p| p.contains("entries_organization")), "{plan:?}");
            found
        };
        let w = workspace();
        let db = w.dir.path().join("w.jury");
        let bad = w.file("bad.csv", cases_csv(1500, Some(1400)).as_bytes());
        assert!(import_entries_file(&w.store, &crate::store::Actor::Cli, &bad, None, false).is_err());
        assert!(indexed(&db).is_empty());
        let mut csv = String::from("编号,标题,申报单位,背景介绍\r\n");
        for i in 1..=1500 {
            writeln!(csv, "C{i:05},案例 {i},单位{},背景{i}\r", i % 7).unwrap();
        }
        let good = w.file("good.csv", csv.as_bytes());
        import_entries_file(&w.store, &crate::store::Actor::Cli, &good, None, false).unwrap();
        let found = indexed(&db);
        let of_3 = (1..=1500).filter(|i| i % 7 == 3).count();
        assert_eq!(found.len(), of_3);
        assert_eq!(found.first().map(String::as_str), Some("C00003"));
        // Into stored entries the index is kept as it is, and takes the new rows.
        let more = w.file("more.csv", csv.replace(",案例", "M,案例").as_bytes());
        import_entries_file(&w.store, &crate::store::Actor::Cli, &more, None, false).unwrap();
        assert_eq!(indexed(&db).len(), 2 * of_3);
    }
}
