//! The audit trail: an append-only, hash-chained record of every change, written in the same
//! transaction as the change itself.

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Actor, AuditEvent, Store, Tx, now_text};
use crate::error::Result;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entry: Option<String>,
    pub judge: Option<String>,
    pub detail: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: String,
    pub prev_hash: String,
    pub hash: String,
}

/// [`AuditRow::from_sql`], for the other modules of the store.
pub(crate) fn row_from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    AuditRow::from_sql(r)
}

impl AuditRow {
    /// A row read with the columns in table order (`SELECT seq, at, ..., prev_hash, hash`).
    fn from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
        Ok(AuditRow {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entry: r.get(4)?,
            judge: r.get(5)?,
            detail: r.get(6)?,
            old_value: r.get(7)?,
            new_value: r.get(8)?,
            reason: r.get(9)?,
            prev_hash: r.get(10)?,
            hash: r.get(11)?,
        })
    }

    /// The canonical content hashed: every field but the hash, as a JSON array.
    fn canonical(&self) -> String {
        serde_json::json!([
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.entry,
            self.judge,
            self.detail,
            self.old_value,
            self.new_value,
            self.reason,
            self.prev_hash
        ])
        .to_string()
    }

    fn compute_hash(&self) -> String {
        let digest = Sha256::digest(self.canonical().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    Intact {
        rows: i64,
        head: String,
    },
    Broken {
        seq: i64,
        problem: String,
    },
    /// The chain itself is whole, but a current score or sheet is not what its audit rows say
    /// (changed outside jury). `seq`: the last audit row about it, if there is one.
    ValueMismatch {
        seq: Option<i64>,
        problem: String,
    },
}

impl Tx<'_> {
    /// Append the audit row recording `event`, in this transaction (the change it records is
    /// written in the same one).
    pub fn audit(&self, actor: &Actor, event: &AuditEvent) -> Result<()> {
        let r = event.row();
        // Every reason, whoever takes it, is one line (`audit log` prints one row per line).
        crate::core::reason::check(&r.reason)?;
        // Cached statements: an import appends one row per score, millions at a time.
        let last: Option<(i64, String)> = self
            .conn()
            .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (seq, prev_hash) = match last {
            Some((s, h)) => (s + 1, h),
            None => (1, GENESIS.to_string()),
        };
        let mut row = AuditRow {
            seq,
            at: now_text(),
            actor: actor.label(),
            action: r.action.to_string(),
            entry: r.entry,
            judge: r.judge,
            detail: r.detail,
            old_value: r.old_value,
            new_value: r.new_value,
            reason: r.reason,
            prev_hash,
            hash: String::new(),
        };
        row.hash = row.compute_hash();
        self.conn()
            .prepare_cached(
                "INSERT INTO audit(seq, at, actor, action, entry, judge, detail, old_value, new_value, reason, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                row.seq,
                row.at,
                row.actor,
                row.action,
                row.entry,
                row.judge,
                row.detail,
                row.old_value,
                row.new_value,
                row.reason,
                row.prev_hash,
                row.hash
            ],
        )?;
        Ok(())
    }
}

/// See [`Store::list_changes_of`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListChanges {
    None,
    /// Only these entries' sheets of the judge changed (in the order first changed).
    Sheets(Vec<String>),
    All,
}

/// More own sheet changes than this since the last look: the whole list is read again (one read
/// of the list costs about as much as this many single-entry reads).
pub const SHEET_CHANGES_MAX: usize = 64;

impl Store {
    /// Whether an audit row after `seen` is other than another judge's score, submission or
    /// comment: a change that can alter `judge`'s list (entries, conflicts, assignments, locks,
    /// the stage, or their own sheets).
    /// What the audit rows after `seen` changed of `judge`'s list: nothing; only the judge's own
    /// sheets of a few entries (their scores, comments, submits: the entries named); or more
    /// (anything else, or more rows than [`SHEET_CHANGES_MAX`]), which means the list is read again.
    pub fn list_changes_of(&self, seen: i64, judge: &str) -> Result<ListChanges> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT action IN ('score', 'submit', 'comment') AND judge = ?2 AND entry IS NOT NULL, entry
             FROM audit WHERE seq > ?1
               AND (action NOT IN ('score', 'submit', 'comment') OR judge IS NULL OR judge = ?2)
             ORDER BY seq LIMIT ?3",
        )?;
        let mut rows = stmt.query(params![seen, judge, SHEET_CHANGES_MAX as i64 + 1])?;
        let mut entries: Vec<String> = Vec::new();
        let mut count = 0;
        while let Some(row) = rows.next()? {
            count += 1;
            let own_sheet: bool = row.get(0)?;
            if !own_sheet || count > SHEET_CHANGES_MAX {
                return Ok(ListChanges::All);
            }
            let entry: String = row.get(1)?;
            if !entries.contains(&entry) {
                entries.push(entry);
            }
        }
        Ok(if entries.is_empty() {
            ListChanges::None
        } else {
            ListChanges::Sheets(entries)
        })
    }

    /// Audit rows, oldest first, optionally only those about one entry and/or judge.
    pub fn audit_log(&self, entry: Option<&str>, judge: Option<&str>) -> Result<Vec<AuditRow>> {
        self.audit_log_after(entry, judge, 0)
    }

    /// [`Store::audit_log`] of the rows after `seen`. One statement per filter, so that each is
    /// answered from its index (`?1 IS NULL OR entry = ?1` would read the whole trail: millions of
    /// rows once the scores of a large contest are imported, on every case a judge opens).
    pub fn audit_log_after(&self, entry: Option<&str>, judge: Option<&str>, seen: i64) -> Result<Vec<AuditRow>> {
        const COLUMNS: &str = "SELECT seq, at, actor, action, entry, judge, detail, old_value, new_value, reason, prev_hash, hash FROM audit";
        // An entry has a few dozen rows, a judge hundreds of thousands after an import of their
        // scores: with both, the entry's index (which the planner, with no statistics, would not
        // pick over the judge's).
        let filter = match (entry.is_some(), judge.is_some()) {
            (true, true) => "INDEXED BY audit_entry WHERE entry = ?1 AND judge = ?2 AND seq > ?3",
            (true, false) => "INDEXED BY audit_entry WHERE entry = ?1 AND seq > ?3 AND ?2 IS NULL",
            (false, true) => "WHERE judge = ?2 AND seq > ?3 AND ?1 IS NULL",
            (false, false) => "WHERE seq > ?3 AND ?1 IS NULL AND ?2 IS NULL",
        };
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("{COLUMNS} {filter} ORDER BY seq"))?;
        let rows = stmt
            .query_map(params![entry, judge, seen], AuditRow::from_sql)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Recompute the chain and name the first row that does not fit.
    /// Then replay the score and sheet rows and compare them with the current values (one
    /// snapshot for both, so a judge scoring meanwhile cannot cause a false alarm).
    /// A damaged file (the full `quick_check`, which opening leaves out) is refused first.
    pub fn audit_verify(&self) -> Result<ChainCheck> {
        self.full_check()?;
        let (rows, current, seal) =
            self.read(|s| Ok((s.audit_log(None, None)?, s.current_values()?, s.check_seal()?)))?;
        let mut prev = GENESIS.to_string();
        for (expected_seq, row) in (1_i64..).zip(rows.iter()) {
            if row.seq != expected_seq {
                return Ok(ChainCheck::Broken {
                    seq: row.seq,
                    problem: format!("row {expected_seq} is missing (the next row is {})", row.seq),
                });
            }
            if row.prev_hash != prev {
                return Ok(ChainCheck::Broken {
                    seq: row.seq,
                    problem: "its link to the previous row does not match: a row before it was changed or removed"
                        .into(),
                });
            }
            if row.compute_hash() != row.hash {
                return Ok(ChainCheck::Broken {
                    seq: row.seq,
                    problem: "its content does not match its hash: the row was edited".into(),
                });
            }
            prev = row.hash.clone();
        }
        if let Some(mismatch) = super::audit_replay::check_current(&rows, current) {
            return Ok(ChainCheck::ValueMismatch {
                seq: mismatch.seq,
                problem: mismatch.problem,
            });
        }
        // What the rows do not replay (the rubric, groups, organisations, conflicts, stored
        // totals) is covered by the seal kept with the head (src/store/seal.rs).
        if let super::SealCheck::Changed { seq, changed } = seal {
            return Ok(ChainCheck::ValueMismatch {
                seq,
                problem: format!("changed outside jury: {}", changed.join("; ")),
            });
        }
        Ok(ChainCheck::Intact {
            rows: rows.len() as i64,
            head: prev,
        })
    }

    /// Whether the newest row's stored hash is the hash of its content (the check before an
    /// export reads only this row of the chain; `audit verify` reads them all).
    pub(crate) fn audit_last_row_intact(&self) -> Result<bool> {
        let row: Option<AuditRow> = self
            .conn()
            .query_row(
                "SELECT seq, at, actor, action, entry, judge, detail, old_value, new_value, reason, prev_hash, hash
                 FROM audit ORDER BY seq DESC LIMIT 1",
                [],
                AuditRow::from_sql,
            )
            .optional()?;
        Ok(row.is_none_or(|r| r.compute_hash() == r.hash))
    }

    /// Count and hash of the newest row: printed on results so paper can be compared later.
    pub fn audit_head(&self) -> Result<(i64, String)> {
        let head: Option<(i64, String)> = self
            .conn()
            .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        Ok(head.unwrap_or((0, GENESIS.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_changes_name_the_judges_own_sheets_and_fall_back_to_the_whole_list() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("a.jury")).unwrap();
        let score = |entry: &str, judge: &str| AuditEvent::Score {
            entry: entry.to_string(),
            judge: judge.to_string(),
            round: "r".to_string(),
            criterion: "c".to_string(),
            old: None,
            new: Some(crate::core::Points::from_int(1)),
        };
        let write = |events: Vec<AuditEvent>| {
            store
                .write(|s| {
                    for e in &events {
                        s.audit(&Actor::Cli, e)?;
                    }
                    Ok(())
                })
                .unwrap()
        };
        // Other judges' scores change nothing of PW01's list.
        write(vec![score("A1", "PW02"), score("A2", "PW03")]);
        assert_eq!(store.list_changes_of(0, "PW01").unwrap(), ListChanges::None);
        // PW01's own: those entries, once each, in order.
        write(vec![score("A2", "PW01"), score("A1", "PW01"), score("A2", "PW01")]);
        assert_eq!(
            store.list_changes_of(0, "PW01").unwrap(),
            ListChanges::Sheets(vec!["A2".to_string(), "A1".to_string()])
        );
        assert_eq!(store.list_changes_of(5, "PW01").unwrap(), ListChanges::None);
        // Anything else reads the list again.
        write(vec![AuditEvent::AssignPerEntry { per_entry: 1, pairs: 1 }]);
        assert_eq!(store.list_changes_of(0, "PW01").unwrap(), ListChanges::All);
        assert_eq!(store.list_changes_of(0, "PW02").unwrap(), ListChanges::All);
        // More own rows than are worth reading one by one: the whole list.
        write(
            (0..=SHEET_CHANGES_MAX)
                .map(|i| score(&format!("B{i}"), "PW09"))
                .collect(),
        );
        assert_eq!(store.list_changes_of(6, "PW09").unwrap(), ListChanges::All);
        let (head, _) = store.audit_head().unwrap();
        assert_eq!(
            store.list_changes_of(head - 2, "PW09").unwrap(),
            ListChanges::Sheets(vec![
                format!("B{}", SHEET_CHANGES_MAX - 1),
                format!("B{SHEET_CHANGES_MAX}")
            ])
        );
    }

    #[test]
    fn chain_detects_edits_and_deletions() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("a.jury")).unwrap();
        store
            .write(|s| {
                for per_entry in 0..4 {
                    s.audit(&Actor::Cli, &AuditEvent::AssignPerEntry { per_entry, pairs: 1 })?;
                }
                Ok(())
            })
            .unwrap();
        assert!(matches!(
            store.audit_verify().unwrap(),
            ChainCheck::Intact { rows: 4, .. }
        ));
        store
            .conn()
            .execute("UPDATE audit SET new_value = '2' WHERE seq = 2", [])
            .unwrap();
        assert_eq!(
            store.audit_verify().unwrap(),
            ChainCheck::Broken {
                seq: 2,
                problem: "its content does not match its hash: the row was edited".into()
            }
        );
        store
            .conn()
            .execute("UPDATE audit SET new_value = '1' WHERE seq = 2", [])
            .unwrap();
        store.conn().execute("DELETE FROM audit WHERE seq = 3", []).unwrap();
        assert!(matches!(
            store.audit_verify().unwrap(),
            ChainCheck::Broken { seq: 4, .. }
        ));
    }
}
