//! The import log (issue 16): `jury import list` and `jury import undo N --reason R`.
//!
//! Every import that changes anything gets a number and a record of exactly what it changed,
//! written in its own transaction (`Tx::import_capture_begin` .. `import_capture_end`). An undo
//! takes back exactly that, in one transaction with its audit rows, unless something later
//! depends on it (a later import of the same rows, a later change the audit trail records about
//! them, a stored row referring to what it added) or a lock covers the rows.

use std::collections::{BTreeSet, HashMap};
use std::io::Read as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::core::import_log::{DEPENDANTS_SHOWN, Dependant, ImportKind, UndoRefusal};
use crate::error::Result;
use crate::import::table::Table;
use crate::store::{Actor, AuditEvent, ImportChange, ImportRecord, Restored, Store};

/// Where an import's rows came from, for its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Origin {
    pub kind: ImportKind,
    pub sha256: String,
    /// Who imports: the command line on this computer, or one forwarded to `jury serve`
    /// (`cli@local`); named in the import's audit rows and its record.
    pub actor: Actor,
}

impl Origin {
    /// The file at `path`: the SHA-256 of its bytes (read in pieces; a file that cannot be read
    /// again falls back to `table`'s cells).
    pub fn file(kind: ImportKind, path: &Path, table: Option<&Table>) -> Origin {
        let sha256 = sha256_file(path)
            .ok()
            .unwrap_or_else(|| table.map(sha256_table).unwrap_or_default());
        Origin {
            kind,
            sha256,
            actor: Actor::Cli,
        }
    }

    /// The same origin, imported by `actor`.
    pub fn by(self, actor: &Actor) -> Origin {
        Origin {
            actor: actor.clone(),
            ..self
        }
    }

    /// A table given in memory: the SHA-256 of its header and cells.
    pub fn table(kind: ImportKind, table: &Table) -> Origin {
        Origin {
            kind,
            sha256: sha256_table(table),
            actor: Actor::Cli,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of the file's bytes (a folder: of its documents, by [`sha256_documents`]).
pub(super) fn sha256_file(path: &Path) -> std::io::Result<String> {
    // Asked before opening: opening a FIFO waits for a writer, and the import has read it already
    // (its digest is then the table's).
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("not a file"));
    }
    let mut file = std::fs::File::open(path)?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    Ok(hex(&hash.finalize()))
}

/// The SHA-256 of a table's header and cells (each cell ends in a 0 byte, each row in a 1).
pub(super) fn sha256_table(table: &Table) -> String {
    let mut hash = Sha256::new();
    for h in &table.headers {
        hash.update(h.as_bytes());
        hash.update([0]);
    }
    for row in &table.rows {
        hash.update([1]);
        for c in &row.cells {
            hash.update(c.as_bytes());
            hash.update([0]);
        }
    }
    hex(&hash.finalize())
}

/// The SHA-256 of documents named by their path in the folder and their own SHA-256, sorted.
pub(super) fn sha256_documents<'a>(docs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut list: Vec<(&str, &str)> = docs.collect();
    list.sort_unstable();
    let mut hash = Sha256::new();
    for (file, sha) in list {
        hash.update(file.as_bytes());
        hash.update([0]);
        hash.update(sha.as_bytes());
        hash.update([1]);
    }
    hex(&hash.finalize())
}

/// Every import, oldest first (`jury import list`, the console's imports).
pub fn list_imports(store: &Store) -> Result<Vec<ImportRecord>> {
    store.read(|s| s.imports())
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoneImport {
    pub number: i64,
    pub kind: ImportKind,
    pub file: String,
    /// Rows removed (the import had added them).
    pub removed: usize,
    /// Rows put back as they were before the import.
    pub restored: usize,
}

/// The audit actions that change a score or a sheet.
const SHEET_ACTIONS: [&str; 9] = [
    "score",
    "import-score",
    "import-draft-score",
    "submit",
    "reopen",
    "score-remove",
    "judge-remove",
    "import-undo-score",
    "import-undo-sheet",
];

/// Undo import `number`: remove what it added, put back what it replaced, in one transaction,
/// audited with `reason`. Refused ([`UndoRefusal`]) when it was undone already, when something
/// later depends on it, or under a lock covering its rows.
pub fn undo_import(store: &Store, actor: &Actor, number: i64, reason: &str) -> Result<UndoneImport> {
    crate::core::reason::require(reason)?;
    let reason = reason.trim();
    store.write(|s| {
        let Some(record) = s.import_record(number)? else {
            return Err(UndoRefusal::NoSuchImport { number }.into());
        };
        if let Some(undone) = &record.undone {
            return Err(UndoRefusal::AlreadyUndone {
                number,
                at: undone.at.clone(),
            }
            .into());
        }
        // The record must be the one its audit row describes.
        let recorded = s.import_recorded_digest(number)?;
        if recorded.as_deref() != Some(s.import_record_digest(number)?.as_str()) {
            return Err(UndoRefusal::RecordChanged { number }.into());
        }
        let changes = s.import_changes(number)?;
        let dependants = dependants(s, &record, &changes)?;
        if !dependants.is_empty() {
            let total = dependants.len();
            return Err(UndoRefusal::Depends {
                number,
                dependants: dependants.into_iter().take(DEPENDANTS_SHOWN).collect(),
                total,
            }
            .into());
        }
        refuse_locked(s, number, &changes)?;
        let restored = s.import_restore(&changes)?;
        for r in &restored {
            let event = match r.clone() {
                Restored::Score {
                    entry,
                    round,
                    judge,
                    criterion,
                    old,
                    new,
                } => AuditEvent::ImportUndoScore {
                    entry,
                    judge,
                    round,
                    criterion,
                    old,
                    new,
                    number,
                },
                Restored::Sheet {
                    entry,
                    round,
                    judge,
                    old,
                    new,
                } => AuditEvent::ImportUndoSheet {
                    entry,
                    judge,
                    round,
                    old: old.map(|s| s.as_str().to_string()),
                    new: new.map(|s| s.as_str().to_string()),
                    number,
                },
            };
            s.audit(actor, &event)?;
        }
        s.set_import_undone(number, actor, reason)?;
        s.audit(
            actor,
            &AuditEvent::ImportUndo {
                number,
                kind: record.kind.as_str().to_string(),
                file: record.file.clone(),
                changes: changes.len(),
                reason: reason.to_string(),
            },
        )?;
        let removed = changes.iter().filter(|c| c.old.is_none()).count();
        Ok(UndoneImport {
            number,
            kind: record.kind,
            file: record.file,
            removed,
            restored: changes.len() - removed,
        })
    })
}

/// What depends on import `record`'s changes, oldest first.
fn dependants(s: &Store, record: &ImportRecord, changes: &[ImportChange]) -> Result<Vec<Dependant>> {
    // Audit rows of imports undone since, and of undos, are no later change to depend on.
    let undone: Vec<(i64, i64)> = s
        .imports()?
        .into_iter()
        .filter(|i| i.undone.is_some() && i.number != record.number)
        .map(|i| (i.first_seq, i.last_seq))
        .collect();
    let counts = |row: &crate::store::AuditRow| {
        !row.action.starts_with("import-undo") && !undone.iter().any(|(a, b)| (*a..=*b).contains(&row.seq))
    };
    let mut found: Vec<Dependant> = Vec::new();
    let mut later: BTreeSet<(i64, String)> = BTreeSet::new();
    let mut seen_rows: BTreeSet<i64> = BTreeSet::new();
    let mut later_row = |found: &mut Vec<Dependant>, row: crate::store::AuditRow| {
        if seen_rows.insert(row.seq) {
            let what = [row.judge.as_deref(), row.entry.as_deref(), Some(row.detail.as_str())]
                .into_iter()
                .flatten()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" / ");
            found.push(Dependant::LaterChange {
                seq: row.seq,
                action: row.action,
                what,
            });
        }
    };
    // Sheets: any later change to one of them (scores change their sheet's total too).
    let mut sheets: HashMap<(String, String), BTreeSet<String>> = HashMap::new();
    // id -> whether the import added it.
    let mut entries: std::collections::BTreeMap<String, bool> = Default::default();
    let mut judges: std::collections::BTreeMap<String, bool> = Default::default();
    for c in changes {
        for n in s.later_imports_of(record.number, &c.table, &c.key)? {
            let what = c
                .key
                .iter()
                .map(|v| match v {
                    rusqlite::types::Value::Text(t) => t.clone(),
                    other => format!("{other:?}"),
                })
                .collect::<Vec<_>>()
                .join(" / ");
            later.insert((n, what));
        }
        match c.table.as_str() {
            "sheets" | "scores" => {
                sheets
                    .entry((c.key_text(0).to_string(), c.key_text(2).to_string()))
                    .or_default()
                    .insert(c.key_text(1).to_string());
            }
            "entries" | "entry_texts" | "entry_sources" => {
                let added = entries.entry(c.key_text(0).to_string()).or_default();
                *added |= c.old.is_none() && c.table == "entries";
            }
            "judges" => {
                let added = judges.entry(c.key_text(0).to_string()).or_default();
                *added |= c.old.is_none();
            }
            _ => {}
        }
    }
    for (n, what) in later {
        found.push(Dependant::LaterImport { number: n, what });
    }
    for ((entry, judge), rounds) in &sheets {
        for row in s.audit_rows_after(record.last_seq, Some(entry), Some(judge))? {
            let round = row.detail.split_once('/').map_or(row.detail.as_str(), |(r, _)| r);
            let whole_judge = row.action == "judge-remove";
            if counts(&row) && SHEET_ACTIONS.contains(&row.action.as_str()) && (whole_judge || rounds.contains(round)) {
                later_row(&mut found, row);
            }
        }
    }
    // Entries and judges: any later change the audit trail records about them; for those the
    // import added, any stored row that refers to them.
    let mut added_entries: Vec<&str> = Vec::new();
    for (entry, added) in &entries {
        for row in s.audit_rows_after(record.last_seq, Some(entry), None)? {
            if counts(&row) {
                later_row(&mut found, row);
            }
        }
        if *added {
            added_entries.push(entry);
        }
    }
    for (judge, added) in &judges {
        for row in s.audit_rows_after(record.last_seq, None, Some(judge))? {
            if counts(&row) {
                later_row(&mut found, row);
            }
        }
        if *added {
            for what in s.judge_references(judge)? {
                found.push(Dependant::Reference { what });
            }
        }
    }
    for entry in added_entries {
        for what in s.entry_references(entry)? {
            found.push(Dependant::Reference { what });
        }
    }
    Ok(found)
}

/// A lock covering a sheet the undo changes (its entry's group and its round), or an entry it
/// changes (its group, any round).
fn refuse_locked(s: &Store, number: i64, changes: &[ImportChange]) -> Result<()> {
    let locks = s.locks()?;
    if locks.is_empty() {
        return Ok(());
    }
    let groups: HashMap<String, Option<String>> = s.entries()?.into_iter().map(|e| (e.id, e.group)).collect();
    let group_of = |c: &ImportChange| -> Vec<Option<String>> {
        let mut g = vec![groups.get(c.key_text(0)).cloned().flatten()];
        // An entry the undo puts back in its old group: that group's results change too.
        if c.table == "entries"
            && let Some(old) = &c.old
            && let Some(rusqlite::types::Value::Text(old_group)) = old.get(1)
        {
            g.push(Some(old_group.clone()));
        }
        g
    };
    for c in changes {
        let (round, is_entry) = match c.table.as_str() {
            "sheets" | "scores" => (Some(c.key_text(1)), false),
            "entries" | "entry_texts" => (None, true),
            _ => continue,
        };
        for group in group_of(c) {
            for lock in &locks {
                let group_ok = lock.group.is_none() || lock.group == group;
                let round_ok = is_entry || lock.round.is_none() || lock.round.as_deref() == round;
                if group_ok && round_ok {
                    return Err(UndoRefusal::Locked {
                        number,
                        group: lock.group.clone(),
                        round: lock.round.clone(),
                        reason: lock.reason.clone(),
                    }
                    .into());
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::import::{
        JudgeImportOptions, ScoreImportOptions, import_entries, import_judges, import_judges_with, import_scores,
        import_scores_with,
    };
    use crate::core::rubric::template_source;
    use crate::error::Error;
    use crate::import::{read_table, read_table_bytes};
    use crate::store::ChainCheck;

    fn fixtures() -> std::path::PathBuf {
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures")).to_path_buf()
    }

    fn empty() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let (file, source) = template_source("cases").unwrap();
        store.init(file, source, None).unwrap();
        (dir, store)
    }

    /// The cases fixture: entries (import 1), judges (2) and their scores (3).
    fn cases() -> (tempfile::TempDir, Store) {
        let (dir, store) = empty();
        import_entries(&store, &read_table(&fixtures().join("cases.csv"), None).unwrap(), false).unwrap();
        import_judges(&store, &read_table(&fixtures().join("judges.csv"), None).unwrap()).unwrap();
        import_scores(&store, &read_table(&fixtures().join("scores-cases.csv"), None).unwrap()).unwrap();
        (dir, store)
    }

    fn csv(name: &str, text: &str) -> Table {
        read_table_bytes(name, text.as_bytes(), None).unwrap()
    }

    fn org() -> Actor {
        Actor::Organiser
    }

    fn refusal(e: Error) -> UndoRefusal {
        match e {
            Error::ImportUndo(r) => r,
            other => panic!("not an undo refusal: {other}"),
        }
    }

    /// Every score and sheet, as stored.
    type Rows = (Vec<(String, String, String, String)>, Vec<(String, String, i64)>);

    fn sheets_and_scores(store: &Store) -> Rows {
        let conn = store.conn();
        let sheets = conn
            .prepare("SELECT entry, round, judge, status || ' ' || total || ' ' || criteria || ' ' || updated_at || ' ' || COALESCE(submitted_at, '-') FROM sheets ORDER BY 1, 2, 3")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let scores = conn
            .prepare("SELECT entry || '/' || round || '/' || judge, criterion || ' ' || updated_at, value FROM scores ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (sheets, scores)
    }

    fn judges_rows(store: &Store) -> Vec<(String, String, String, String)> {
        store
            .conn()
            .prepare("SELECT id, name, organization, pin_hash FROM judges ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn intact(store: &Store) {
        let check = store.audit_verify().unwrap();
        assert!(matches!(check, ChainCheck::Intact { .. }), "{check:?}");
    }

    #[test]
    fn every_import_is_listed_with_its_number_kind_file_sha_rows_and_changes() {
        let (_dir, store) = cases();
        let list = list_imports(&store).unwrap();
        let shown: Vec<(i64, ImportKind, i64, i64, &str, bool)> = list
            .iter()
            .map(|i| {
                (
                    i.number,
                    i.kind,
                    i.rows,
                    i.changes,
                    i.actor.as_str(),
                    i.undone.is_some(),
                )
            })
            .collect();
        // 160 entries (a row and a text each), 9 judges, 3035 scores on their sheets.
        let sheets: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM sheets", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            shown,
            vec![
                (1, ImportKind::Entries, 160, 320, "cli", false),
                (2, ImportKind::Judges, 9, 9, "cli", false),
                (3, ImportKind::Scores, 3035, 3035 + sheets, "cli", false),
            ]
        );
        assert!(list[0].file.ends_with("cases.csv"), "{}", list[0].file);
        let table = read_table(&fixtures().join("judges.csv"), None).unwrap();
        assert_eq!(list[1].sha256, sha256_table(&table));
        assert_eq!(list[1].sha256.len(), 64);
        assert!(list.iter().all(|i| i.first_seq <= i.last_seq));
        // The same file again changes nothing and gets no number.
        import_judges_with(
            &store,
            &table,
            JudgeImportOptions {
                update: true,
                force: false,
            },
        )
        .unwrap();
        assert_eq!(list_imports(&store).unwrap().len(), 3);
        intact(&store);
    }

    #[test]
    fn undoing_an_entries_import_removes_exactly_its_entries() {
        let (_dir, store) = empty();
        import_entries(&store, &csv("a.csv", "id,title\nA1,甲\nA2,乙\n"), false).unwrap();
        let before = store.entries_with_texts().unwrap();
        import_entries(&store, &csv("b.csv", "id,title,备注\nB1,丙,x\nB2,丁,y\n"), false).unwrap();
        assert_eq!(store.entries().unwrap().len(), 4);
        let done = undo_import(&store, &org(), 2, "导错文件").unwrap();
        assert_eq!(
            (done.number, done.kind, done.removed, done.restored),
            (2, ImportKind::Entries, 2, 0)
        );
        assert_eq!(store.entries_with_texts().unwrap(), before);
        let list = list_imports(&store).unwrap();
        let undone = list[1].undone.as_ref().unwrap();
        assert_eq!((undone.by.as_str(), undone.reason.as_str()), ("organiser", "导错文件"));
        let last = store.audit_log(None, None).unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.detail.as_str(), last.reason.as_str()),
            ("import-undo", "import 2: entries b.csv", "导错文件")
        );
        intact(&store);
    }

    #[test]
    fn undoing_a_judges_import_removes_its_judges_and_an_update_puts_back_the_old_rows() {
        let (_dir, store) = empty();
        import_judges(
            &store,
            &csv("j.csv", "id,name,organization,pin\nJ1,甲,一中,1234\nJ2,乙,二中,2345\n"),
        )
        .unwrap();
        let before = judges_rows(&store);
        let update = JudgeImportOptions {
            update: true,
            force: false,
        };
        import_judges_with(
            &store,
            &csv(
                "u.csv",
                "id,name,organization,pin\nJ1,甲甲,三中,9999\nJ3,丙,四中,3456\n",
            ),
            update,
        )
        .unwrap();
        assert_ne!(judges_rows(&store), before);
        let done = undo_import(&store, &org(), 2, "误更新").unwrap();
        assert_eq!((done.removed, done.restored), (1, 1));
        assert_eq!(
            judges_rows(&store),
            before,
            "J1's name, organisation and PIN hash back, J3 gone"
        );
        assert!(store.verify_pin("J1", "1234").unwrap());
        undo_import(&store, &org(), 1, "换名单").unwrap();
        assert!(judges_rows(&store).is_empty());
        intact(&store);
    }

    #[test]
    fn undoing_a_scores_import_removes_its_scores_and_sheets() {
        let (_dir, store) = cases();
        assert!(!sheets_and_scores(&store).0.is_empty());
        let ranked = |store: &Store| {
            let tally = crate::app::tally::compute_tally(store, None).unwrap();
            tally.groups.iter().map(|g| g.ranked().count()).sum::<usize>()
        };
        assert!(ranked(&store) > 100);
        undo_import(&store, &org(), 3, "导错文件").unwrap();
        assert_eq!(sheets_and_scores(&store), (vec![], vec![]));
        assert_eq!(ranked(&store), 0);
        intact(&store);
        // Now nothing depends on the judges or the entries any more.
        undo_import(&store, &org(), 2, "换名单").unwrap();
        undo_import(&store, &org(), 1, "换文件").unwrap();
        assert!(store.entries().unwrap().is_empty());
        intact(&store);
    }

    #[test]
    fn undoing_an_update_import_puts_back_the_rows_it_replaced_exactly() {
        let (_dir, store) = cases();
        // Entries: new titles, texts and kept columns for two cases.
        let entries = store.entries_with_texts().unwrap();
        let update = csv(
            "fix.csv",
            "id,title,group,background,batch\nAL20250001,新标题,习惯培养,新背景,9\nAL20250002,另一个,情感教育,,9\n",
        );
        import_entries(&store, &update, true).unwrap();
        assert_ne!(store.entries_with_texts().unwrap(), entries);
        // Scores: a submitted sheet replaced with other values.
        let scores = sheets_and_scores(&store);
        let tally = crate::app::tally::compute_tally(&store, None).unwrap();
        let replace = ScoreImportOptions {
            replace_submitted: Some("纸质更正".into()),
            ..ScoreImportOptions::default()
        };
        let file = csv(
            "more.csv",
            "judge,entry,round,criterion,score\nPW05,AL20250001,review,background,10\nPW05,AL20250001,review,problem,10\n\
             PW05,AL20250001,review,strategy,10\nPW05,AL20250001,review,outcome,10\n",
        );
        let done = import_scores_with(&store, &file, &replace).unwrap();
        assert_eq!(done.replaced, 1);
        assert_ne!(sheets_and_scores(&store), scores);
        undo_import(&store, &org(), 5, "更正错了").unwrap();
        assert_eq!(
            sheets_and_scores(&store),
            scores,
            "values, totals, statuses and times as they were"
        );
        assert_eq!(crate::app::tally::compute_tally(&store, None).unwrap(), tally);
        // Entries: nothing scored them since the update, so it can go back too.
        undo_import(&store, &org(), 4, "更正错了").unwrap();
        assert_eq!(store.entries_with_texts().unwrap(), entries);
        intact(&store);
    }

    #[test]
    fn an_undo_is_refused_naming_what_depends_on_it() {
        let (_dir, store) = cases();
        // The entries and the judges have been scored since (import 3).
        let r = refusal(undo_import(&store, &org(), 1, "x").unwrap_err());
        let UndoRefusal::Depends {
            number: 1,
            dependants,
            total,
        } = &r
        else {
            panic!("{r:?}")
        };
        assert!(*total > 3000, "{total}");
        assert!(
            dependants
                .iter()
                .any(|d| matches!(d, Dependant::LaterChange { action, .. } if action == "import-score")),
            "{r}"
        );
        assert!(r.to_string().starts_with("import 1 cannot be undone: "), "{r}");
        let r = refusal(undo_import(&store, &org(), 2, "x").unwrap_err());
        assert!(matches!(r, UndoRefusal::Depends { number: 2, .. }), "{r}");
        // The organiser reopens a sheet import 3 submitted, and the judge changes a value on screen.
        let rows = store.audit_log(None, None).unwrap().len();
        crate::app::organiser::reopen(&store, &org(), "PW05", "AL20250001", "review", "漏评").unwrap();
        let session = crate::app::judging::JudgeSession::trusted(&store, "PW05").unwrap();
        session.set_score("AL20250001", "review", "background", "12").unwrap();
        let r = refusal(undo_import(&store, &org(), 3, "x").unwrap_err());
        let text = r.to_string();
        assert!(
            text.contains(&format!("audit row {} (reopen: PW05 / AL20250001 / review)", rows + 1)),
            "{text}"
        );
        // A later import of the same rows.
        let file = csv(
            "again.csv",
            "judge,entry,round,criterion,score\nPW05,AL20250001,review,background,10\n",
        );
        import_scores_with(
            &store,
            &file,
            &ScoreImportOptions {
                partial: true,
                ..ScoreImportOptions::default()
            },
        )
        .unwrap();
        let text = refusal(undo_import(&store, &org(), 3, "x").unwrap_err()).to_string();
        assert!(text.contains("import 4 changed AL20250001 / review / PW05"), "{text}");
        assert_eq!(
            list_imports(&store)
                .unwrap()
                .iter()
                .filter(|i| i.undone.is_some())
                .count(),
            0
        );
    }

    #[test]
    fn an_import_is_undone_once_and_never_under_a_lock() {
        let (_dir, store) = cases();
        crate::app::organiser::lock(&store, &org(), Some("习惯培养"), None, "公布").unwrap();
        let r = refusal(undo_import(&store, &org(), 3, "x").unwrap_err());
        assert!(
            matches!(&r, UndoRefusal::Locked { group: Some(g), .. } if g == "习惯培养"),
            "{r}"
        );
        crate::app::organiser::unlock(&store, &org(), Some("习惯培养"), None, "更正").unwrap();
        undo_import(&store, &org(), 3, "导错").unwrap();
        let r = refusal(undo_import(&store, &org(), 3, "再来").unwrap_err());
        assert!(matches!(r, UndoRefusal::AlreadyUndone { number: 3, .. }), "{r}");
        let r = refusal(undo_import(&store, &org(), 9, "x").unwrap_err());
        assert_eq!(r, UndoRefusal::NoSuchImport { number: 9 });
        assert!(undo_import(&store, &org(), 2, " ").is_err(), "a reason is needed");
    }

    #[test]
    fn audit_verify_catches_a_tampered_undo() {
        let (_dir, store) = cases();
        undo_import(&store, &org(), 3, "导错").unwrap();
        intact(&store);
        // The undo's audit rows: editing one breaks the chain.
        let seq: i64 = store
            .conn()
            .query_row(
                "SELECT MAX(seq) FROM audit WHERE action = 'import-undo-sheet'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        store
            .conn()
            .execute("UPDATE audit SET new_value = 'draft' WHERE seq = ?1", [seq])
            .unwrap();
        assert!(matches!(store.audit_verify().unwrap(), ChainCheck::Broken { seq: s, .. } if s == seq));
        store
            .conn()
            .execute("UPDATE audit SET new_value = NULL WHERE seq = ?1", [seq])
            .unwrap();
        intact(&store);
        // An import marked as not undone outside jury.
        store
            .conn()
            .execute("UPDATE imports SET undone_at = NULL WHERE number = 3", [])
            .unwrap();
        let check = store.audit_verify().unwrap();
        assert!(
            matches!(&check, ChainCheck::ValueMismatch { problem, .. } if problem.contains("import 3 is not undone in the database")),
            "{check:?}"
        );
        // The record of what import 2 changed, edited to put back another judge: verify names it,
        // and the undo refuses to use it.
        store
            .conn()
            .execute("UPDATE imports SET undone_at = 'x' WHERE number = 3", [])
            .unwrap();
        store
            .conn()
            .execute(
                "UPDATE import_changes SET key = '[\"PW99\"]' WHERE import = 2 AND n = 1",
                [],
            )
            .unwrap();
        let check = store.audit_verify().unwrap();
        assert!(
            matches!(&check, ChainCheck::ValueMismatch { problem, .. } if problem.contains("the record of what import 2 changed")),
            "{check:?}"
        );
        let r = refusal(undo_import(&store, &org(), 2, "x").unwrap_err());
        assert_eq!(r, UndoRefusal::RecordChanged { number: 2 });
    }

    #[test]
    fn a_refused_import_leaves_no_capture_behind() {
        let (_dir, store) = empty();
        let bad = csv("e.csv", "id,name,group,order\nNEW1,甲,,1\nNEW2,乙,,x\n");
        assert!(import_entries(&store, &bad, false).is_err());
        let temp: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM sqlite_temp_master WHERE name LIKE 'jury_capture%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(temp, 0);
        assert!(list_imports(&store).unwrap().is_empty());
    }

    /// What import `number` changed, read as the per-row form (an entries import stores the rows
    /// it added as one range), sorted: (table, key, old row).
    fn changes_of(store: &Store, number: i64) -> Vec<(String, String, Option<String>)> {
        let mut rows: Vec<(String, String, Option<String>)> = store
            .read(|s| s.import_changes(number))
            .unwrap()
            .into_iter()
            .map(|c| (c.table, format!("{:?}", c.key), c.old.map(|o| format!("{o:?}"))))
            .collect();
        rows.sort();
        rows
    }

    #[test]
    fn an_entries_import_notes_exactly_what_the_row_triggers_would() {
        // Two equal workspaces, one stored entry without texts in each.
        let (_a, noted) = cases();
        let (_b, triggered) = cases();
        let bare = csv("bare.csv", "id,title,group\nAL20259001,无文的案例,习惯培养\n");
        import_entries(&noted, &bare, false).unwrap();
        import_entries(&triggered, &bare, false).unwrap();
        // Replaced (title and texts), given texts for the first time, written as it was, added
        // with texts, added without.
        let same = noted
            .entries_with_texts()
            .unwrap()
            .into_iter()
            .find(|e| e.id == "AL20250003")
            .unwrap();
        let file = csv(
            "update.csv",
            &format!(
                "id,title,group,organization,county,submitter,submitter_type,perspective,batch,background,problem,strategy,outcome\n\
                 AL20250001,新标题,习惯培养,,,,,,9,新背景,问题,策略,成效\n\
                 AL20259001,无文的案例,习惯培养,,,,,,,有了背景,,,\n\
                 {},{},{},{},{},{},{},{},{},{},{},{},{}\n\
                 AL20259002,新的,情感教育,,,,,,,背景,问题,策略,成效\n\
                 AL20259003,没有文字,情感教育,,,,,,,,,,\n",
                same.id,
                same.title,
                same.group.as_deref().unwrap_or(""),
                same.organization,
                same.county,
                same.submitter,
                same.submitter_type,
                same.perspective,
                same.extra.get("batch").map(String::as_str).unwrap_or(""),
                same.sections.background,
                same.sections.problem,
                same.sections.strategy,
                same.sections.outcome,
            ),
        );
        import_entries(&noted, &file, true).unwrap();
        // The same rows written through `put_entries` under the row triggers of every table.
        let written: Vec<_> = noted
            .entries_with_texts()
            .unwrap()
            .into_iter()
            .filter(|e| file.rows.iter().any(|r| r.cells.first().is_some_and(|id| *id == e.id)))
            .collect();
        assert_eq!(written.len(), 5);
        triggered
            .write(|s| {
                s.import_capture_begin()?;
                s.put_entries(&written)?;
                s.import_capture_end(ImportKind::Entries, "update.csv", "", written.len(), &Actor::Cli)
            })
            .unwrap();
        let changes = changes_of(&noted, 5);
        assert_eq!(changes, changes_of(&triggered, 5));
        // Sorted by table and key: AL20250001 replaced (entry and texts, old rows kept);
        // AL20259001's entry row written as it was (not a change), its texts new; AL20259002 and
        // AL20259003 added, only the first with texts; AL20250003 written as it was.
        let olds: Vec<(&str, bool)> = changes.iter().map(|(t, _, o)| (t.as_str(), o.is_some())).collect();
        assert_eq!(
            olds,
            [
                ("entries", true),
                ("entries", false),
                ("entries", false),
                ("entry_texts", true),
                ("entry_texts", false),
                ("entry_texts", false),
            ]
        );
        assert!(changes.iter().all(|(_, k, _)| !k.contains("AL20250003")), "{changes:?}");
        // Undone, both workspaces hold what they held before.
        undo_import(&noted, &org(), 5, "试").unwrap();
        undo_import(&triggered, &org(), 5, "试").unwrap();
        assert_eq!(
            noted.entries_with_texts().unwrap(),
            triggered.entries_with_texts().unwrap()
        );
        intact(&noted);
    }

    #[test]
    fn an_entries_import_puts_no_row_trigger_on_the_entries() {
        let (_dir, store) = cases();
        let triggers = |store: &Store| -> Vec<String> {
            store
                .conn()
                .prepare("SELECT name FROM sqlite_temp_master WHERE type = 'trigger' AND name LIKE 'jury_capture%' ORDER BY name")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let seen = store
            .write(|s| {
                s.import_capture_begin_entries()?;
                let seen = triggers(&store);
                s.import_capture_end(ImportKind::Entries, "x.csv", "", 0, &Actor::Cli)?;
                Ok(seen)
            })
            .unwrap();
        assert!(!seen.is_empty());
        assert!(
            seen.iter()
                .all(|t| !t.starts_with("jury_capture_entries_") && !t.starts_with("jury_capture_entry_texts_")),
            "{seen:?}"
        );
        assert!(
            seen.iter().any(|t| t.starts_with("jury_capture_entry_sources_")),
            "{seen:?}"
        );
    }

    /// The raw `import_changes` rows of import `number`, in order: (table, key, old).
    fn stored_rows_of(store: &Store, number: i64) -> Vec<(String, String, Option<String>)> {
        store
            .conn()
            .prepare("SELECT tbl, key, old FROM import_changes WHERE import = ?1 ORDER BY n")
            .unwrap()
            .query_map([number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// Every row of the entries and their texts, as stored (seq included).
    fn entry_tables(store: &Store) -> Vec<String> {
        let mut rows = Vec::new();
        for sql in [
            "SELECT * FROM entries ORDER BY seq",
            "SELECT * FROM entry_texts ORDER BY entry",
        ] {
            let conn = store.conn();
            let mut stmt = conn.prepare(sql).unwrap();
            let columns = stmt.column_count();
            let mut q = stmt.query([]).unwrap();
            while let Some(r) = q.next().unwrap() {
                let values: Vec<rusqlite::types::Value> = (0..columns).map(|c| r.get(c).unwrap()).collect();
                rows.push(format!("{values:?}"));
            }
        }
        rows
    }

    /// A second import into the cases fixture: one stored entry replaced, three added (two with
    /// texts, one without).
    fn second_entries() -> Table {
        csv(
            "more.csv",
            "id,title,group,background,problem,strategy,outcome\n\
             AL20250001,新标题,习惯培养,新背景,问题,策略,成效\n\
             AL20259002,新的,情感教育,背景,问题,策略,成效\n\
             AL20259003,没有文字,情感教育,,,,\n\
             AL20259004,又一个,情感教育,背景二,问题二,策略二,成效二\n",
        )
    }

    #[test]
    fn an_entries_import_records_the_entries_it_added_as_one_range_and_undoes_them() {
        let (_dir, store) = cases();
        // The first import (into no entries) added 160 entries with texts: one row for all.
        let first = stored_rows_of(&store, 1);
        assert_eq!(first.len(), 1, "{:?}", &first[..first.len().min(3)]);
        assert_eq!(first[0].0, "entries-added");
        assert_eq!(first[0].1, "[1,160,160,160]");
        let before = entry_tables(&store);
        import_entries(&store, &second_entries(), true).unwrap();
        assert_eq!(entry_tables(&store).len(), before.len() + 3 + 2);
        // The entry replaced, its texts replaced (old rows kept), then the range of those added.
        let rows = stored_rows_of(&store, 4);
        let tables: Vec<&str> = rows.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(tables, ["entries", "entry_texts", "entries-added"]);
        assert!(rows[0].2.is_some() && rows[1].2.is_some());
        assert_eq!(rows[2].1, "[161,163,3,2]");
        assert_eq!(
            rows[2].2.as_deref(),
            Some(r#"{"ids":["AL20259002","AL20259003","AL20259004"],"without_texts":["AL20259003"]}"#)
        );
        // Read back as the per-row form, and counted as it: 2 replaced, 3 entries, 2 texts.
        let changes = store.read(|s| s.import_changes(4)).unwrap();
        let read: Vec<(&str, &str, bool)> = changes
            .iter()
            .map(|c| (c.table.as_str(), c.key_text(0), c.old.is_some()))
            .collect();
        assert_eq!(
            read,
            [
                ("entries", "AL20250001", true),
                ("entry_texts", "AL20250001", true),
                ("entries", "AL20259002", false),
                ("entries", "AL20259003", false),
                ("entries", "AL20259004", false),
                ("entry_texts", "AL20259002", false),
                ("entry_texts", "AL20259004", false),
            ]
        );
        assert_eq!(list_imports(&store).unwrap()[3].changes, 7);
        assert_eq!(list_imports(&store).unwrap()[0].changes, 320);
        intact(&store);
        let undone = undo_import(&store, &org(), 4, "试").unwrap();
        assert_eq!((undone.removed, undone.restored), (5, 2));
        assert_eq!(entry_tables(&store), before);
        intact(&store);
        // The first import undoes too (its scores and judges first), down to no entries.
        undo_import(&store, &org(), 3, "试").unwrap();
        undo_import(&store, &org(), 2, "试").unwrap();
        let undone = undo_import(&store, &org(), 1, "试").unwrap();
        assert_eq!((undone.removed, undone.restored), (320, 0));
        assert!(entry_tables(&store).is_empty());
        intact(&store);
    }

    #[test]
    fn an_entries_import_recorded_row_by_row_still_undoes() {
        // The record as workspaces written before hold it: one row per entry and per text, here
        // written by the row triggers (`import_capture_begin`).
        let (_dir, store) = cases();
        let before = entry_tables(&store);
        let added: Vec<crate::core::Entry> = {
            let (_d, other) = cases();
            import_entries(&other, &second_entries(), true).unwrap();
            other
                .entries_with_texts()
                .unwrap()
                .into_iter()
                .filter(|e| e.id.starts_with("AL202590") || e.id == "AL20250001")
                .collect()
        };
        assert_eq!(added.len(), 4);
        store
            .write(|s| {
                s.import_capture_begin()?;
                s.put_entries(&added)?;
                s.import_capture_end(ImportKind::Entries, "more.csv", "", added.len(), &Actor::Cli)
            })
            .unwrap();
        let rows = stored_rows_of(&store, 4);
        assert!(rows.iter().all(|(t, _, _)| t != "entries-added"), "{rows:?}");
        assert_eq!(rows.len(), 7, "{rows:?}");
        assert_eq!(list_imports(&store).unwrap()[3].changes, 7);
        intact(&store);
        let undone = undo_import(&store, &org(), 4, "试").unwrap();
        assert_eq!((undone.removed, undone.restored), (5, 2));
        assert_eq!(entry_tables(&store), before);
        intact(&store);
    }

    #[test]
    fn a_range_record_changed_afterwards_is_refused_and_seen_by_verify() {
        let (_dir, store) = cases();
        import_entries(&store, &second_entries(), true).unwrap();
        store
            .conn()
            .execute(
                "UPDATE import_changes SET old = replace(old, 'AL20259004', 'AL20250002')
                 WHERE import = 4 AND tbl = 'entries-added'",
                [],
            )
            .unwrap();
        assert!(matches!(
            refusal(undo_import(&store, &org(), 4, "试").unwrap_err()),
            UndoRefusal::RecordChanged { number: 4 }
        ));
        assert!(!matches!(store.audit_verify().unwrap(), ChainCheck::Intact { .. }));
        // A range whose counts do not match its ids does not read.
        store
            .conn()
            .execute(
                "UPDATE import_changes SET key = '[161,163,3,3]' WHERE import = 4 AND tbl = 'entries-added'",
                [],
            )
            .unwrap();
        assert!(store.read(|s| s.import_changes(4)).is_err());
    }
}
