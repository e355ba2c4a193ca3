//! The import log: what each import changed, captured in its own write transaction, and the
//! SQL that takes it back.
//!
//! While an import writes, TEMP triggers (on this connection only, created at
//! [`Tx::import_capture_begin`] and dropped at [`Tx::import_capture_end`], so no other write pays
//! for them) note every row of the tables an import writes: the key of a row inserted, the whole
//! old row of one updated or deleted (the first time the row is met). The end of the import
//! copies them into `import_changes` under the import's number, with the `imports` row and an
//! `import-record` audit row holding a digest of the record (`audit verify` checks it).

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Actor, AuditEvent, AuditRow, SheetStatus, Store, Tx, now_text};
use crate::core::Points;
use crate::core::import_log::ImportKind;
use crate::core::refusal::StoreRefusal;
use crate::error::{Error, Result};

/// A table an import writes: its key columns and the others.
pub(crate) struct Captured {
    pub name: &'static str,
    key: &'static [&'static str],
    cols: &'static [&'static str],
}

/// In the order rows are put back; deletions go the other way.
const CAPTURED: [Captured; 6] = [
    Captured {
        name: "judges",
        key: &["id"],
        cols: &["seq", "name", "organization", "county", "pin_hash"],
    },
    Captured {
        name: "entries",
        key: &["id"],
        cols: &[
            "seq",
            "grp",
            "title",
            "name",
            "organization",
            "county",
            "submitter",
            "submitter_type",
            "perspective",
            "run_order",
            "extra",
        ],
    },
    Captured {
        name: "entry_texts",
        key: &["entry"],
        cols: &["background", "problem", "strategy", "outcome"],
    },
    Captured {
        name: "entry_sources",
        key: &["entry"],
        cols: &["file", "sha256"],
    },
    // Scores before sheets: a sheet's stored total is put back last, exactly as it was.
    Captured {
        name: "scores",
        key: &["entry", "round", "judge", "criterion"],
        cols: &["value", "updated_at"],
    },
    Captured {
        name: "sheets",
        key: &["entry", "round", "judge"],
        cols: &["status", "updated_at", "submitted_at", "total", "criteria"],
    },
];

/// The `tbl` of the range form of the rows an entries import added (one `import_changes` row
/// for all of them, instead of two a row: the entry, its texts). Its `key` is
/// `[first seq, last seq, entries, texts]` and its `old` is
/// `{"ids": [...], "without_texts": [...]}`: every id added, in import order, and those of them
/// the import gave no texts. [`Store::import_changes`] reads it back as the per-row form
/// (`entries` rows, then `entry_texts` rows, the inserted keys with no old row), so an undo and
/// its checks read both forms alike; the record's digest is over the stored rows, either form.
/// Workspaces written before keep the per-row form. The range is exact: an entry's `seq` is
/// fixed when it is inserted, above every `seq` before it, and only an undo deletes entries.
pub(crate) const ENTRIES_ADDED: &str = "entries-added";

/// The `old` of an [`ENTRIES_ADDED`] row.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EntriesAdded {
    ids: Vec<String>,
    without_texts: Vec<String>,
}

/// The per-row form of an [`ENTRIES_ADDED`] row (`key`, `old`), in the order the per-row form
/// was written: each entry, then each one's texts.
fn expand_entries_added(key: &str, old: Option<&str>, into: &mut Vec<ImportChange>) -> Result<()> {
    let unreadable = |what: &str| Error::from(StoreRefusal::RecordUnreadable(format!("{ENTRIES_ADDED}: {what}")));
    let counts = values_of(key)?;
    let [_, _, Value::Integer(entries), Value::Integer(texts)] = counts.as_slice() else {
        return Err(StoreRefusal::RecordColumns(ENTRIES_ADDED.to_string()).into());
    };
    let added: EntriesAdded = serde_json::from_str(old.unwrap_or_default()).map_err(|e| unreadable(&e.to_string()))?;
    let without: std::collections::HashSet<&str> = added.without_texts.iter().map(String::as_str).collect();
    let listed = added.ids.iter().filter(|id| without.contains(id.as_str())).count();
    if added.ids.len() as i64 != *entries
        || without.len() != added.without_texts.len()
        || listed != without.len()
        || (added.ids.len() - listed) as i64 != *texts
    {
        return Err(unreadable("the counts do not match the ids"));
    }
    let change = |table: &str, id: &str| ImportChange {
        table: table.to_string(),
        key: vec![Value::Text(id.to_string())],
        old: None,
    };
    into.reserve(added.ids.len() * 2);
    into.extend(added.ids.iter().map(|id| change("entries", id)));
    into.extend(
        added
            .ids
            .iter()
            .filter(|id| !without.contains(id.as_str()))
            .map(|id| change("entry_texts", id)),
    );
    Ok(())
}

/// The tables an entries import notes itself (see [`Tx::import_capture_begin_entries`]).
const NOTED_BY_ENTRIES: [&str; 2] = ["entries", "entry_texts"];

/// The SQL that notes the stored row of `table` (of `entries` or `entry_texts`) whose key is `?1`
/// before an entries import replaces it, as its update trigger would: the whole old row; for
/// `entry_texts` with no row yet, the key alone (the import adds it). A row noted already keeps
/// its note.
pub(super) fn note_stored_sql(table: &str) -> String {
    let Some(c) = spec(table) else { return String::new() };
    let cols = c.cols.join(", ");
    let key = c.key.first().copied().unwrap_or("id");
    format!(
        "INSERT OR IGNORE INTO temp.jury_capture(tbl, key, old)
         VALUES ('{t}', json_array(?1), (SELECT json_array({cols}) FROM main.{t} WHERE {key} = ?1))",
        t = c.name
    )
}

/// Notes the id `?1` of an entry an entries import adds without texts (rare: the record of the
/// entries added lists them, [`ENTRIES_ADDED`]).
pub(super) const NOTE_BARE_SQL: &str = "INSERT INTO temp.jury_capture_bare(id) VALUES (?1)";

fn spec(name: &str) -> Option<&'static Captured> {
    CAPTURED.iter().find(|c| c.name == name)
}

/// One import, as `jury import list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    pub number: i64,
    pub at: String,
    pub kind: ImportKind,
    pub file: String,
    pub sha256: String,
    pub rows: i64,
    pub actor: String,
    /// How many stored rows it changed (inserted or replaced).
    pub changes: i64,
    pub first_seq: i64,
    pub last_seq: i64,
    pub undone: Option<Undone>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    pub at: String,
    pub by: String,
    pub reason: String,
}

/// One row an import changed: `old` is `None` when it inserted the row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportChange {
    pub table: String,
    pub key: Vec<Value>,
    pub old: Option<Vec<Value>>,
}

impl ImportChange {
    /// The key's text values (ids, rounds, criteria).
    pub fn key_text(&self, i: usize) -> &str {
        match self.key.get(i) {
            Some(Value::Text(t)) => t,
            _ => "",
        }
    }
}

/// What putting a score or a sheet back did, for its audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    Score {
        entry: String,
        round: String,
        judge: String,
        criterion: String,
        old: Option<Points>,
        new: Option<Points>,
    },
    Sheet {
        entry: String,
        round: String,
        judge: String,
        old: Option<SheetStatus>,
        new: Option<SheetStatus>,
    },
}

fn json_of(values: &[Value]) -> String {
    let list: Vec<serde_json::Value> = values
        .iter()
        .map(|v| match v {
            Value::Null => serde_json::Value::Null,
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Real(f) => serde_json::Value::from(*f),
            Value::Text(t) => serde_json::Value::from(t.as_str()),
            Value::Blob(b) => serde_json::Value::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

fn values_of(json: &str) -> Result<Vec<Value>> {
    let parsed: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::from(StoreRefusal::RecordUnreadable(e.to_string())))?;
    let serde_json::Value::Array(list) = parsed else {
        return Err(StoreRefusal::RecordNotList.into());
    };
    list.into_iter()
        .map(|v| match v {
            serde_json::Value::Null => Ok(Value::Null),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(Value::Integer)
                .ok_or_else(|| StoreRefusal::RecordNotWhole.into()),
            serde_json::Value::String(s) => Ok(Value::Text(s)),
            _ => Err(StoreRefusal::RecordUnknownType.into()),
        })
        .collect()
}

impl Tx<'_> {
    /// Start noting what this transaction writes to the tables an import writes.
    pub fn import_capture_begin(&self) -> Result<()> {
        self.capture_begin(false)
    }

    /// [`Tx::import_capture_begin`] for an entries import, which notes what it writes to
    /// `entries` and `entry_texts` itself instead of through a trigger a row (about half of the
    /// import's SQLite time at 100k): a stored row is noted by [`super::EntryWriter::put_noting`]
    /// before it is replaced, and the rows the import added at [`Tx::import_capture_end`], in
    /// import order (every row added has a `seq` above the largest before the import). The other
    /// tables keep their triggers.
    pub fn import_capture_begin_entries(&self) -> Result<()> {
        self.capture_begin(true)
    }

    fn capture_begin(&self, entries_noted: bool) -> Result<()> {
        let conn = self.conn();
        // `entries_seq`: the largest entry `seq` before the import, when the entries import
        // notes its own rows (NULL otherwise: the triggers note them).
        let entries_seq = match entries_noted {
            true => "(SELECT COALESCE(MAX(seq), 0) FROM main.entries)",
            false => "NULL",
        };
        let mut sql = format!(
            "DROP TABLE IF EXISTS temp.jury_capture;
             CREATE TEMP TABLE jury_capture (n INTEGER PRIMARY KEY, tbl TEXT NOT NULL, key TEXT NOT NULL, old TEXT,
                                             UNIQUE (tbl, key));
             DROP TABLE IF EXISTS temp.jury_capture_head;
             CREATE TEMP TABLE jury_capture_head (seq INTEGER NOT NULL, entries_seq INTEGER);
             DROP TABLE IF EXISTS temp.jury_capture_bare;
             CREATE TEMP TABLE jury_capture_bare (n INTEGER PRIMARY KEY, id TEXT NOT NULL);
             INSERT INTO jury_capture_head SELECT COALESCE(MAX(seq), 0), {entries_seq} FROM main.audit;",
        );
        for c in &CAPTURED {
            let key = |row: &str| {
                let k: Vec<String> = c.key.iter().map(|k| format!("{row}.{k}")).collect();
                format!("json_array({})", k.join(", "))
            };
            let old: Vec<String> = c.cols.iter().map(|k| format!("OLD.{k}")).collect();
            let old = format!("json_array({})", old.join(", "));
            for (what, event) in [("i", "INSERT"), ("u", "UPDATE"), ("d", "DELETE")] {
                sql.push_str(&format!(
                    "DROP TRIGGER IF EXISTS temp.jury_capture_{t}_{what};",
                    t = c.name
                ));
                if entries_noted && NOTED_BY_ENTRIES.contains(&c.name) {
                    continue;
                }
                let (k, o) = match what {
                    "i" => (key("NEW"), "NULL".to_string()),
                    _ => (key("OLD"), old.clone()),
                };
                sql.push_str(&format!(
                    "CREATE TEMP TRIGGER jury_capture_{t}_{what} AFTER {event} ON main.{t} BEGIN
                       INSERT INTO temp.jury_capture(tbl, key, old) SELECT '{t}', {k}, {o}
                       WHERE NOT EXISTS (SELECT 1 FROM temp.jury_capture WHERE tbl = '{t}' AND key = {k});
                     END;",
                    t = c.name
                ));
            }
        }
        conn.execute_batch(&sql)?;
        // Into no entries at all, the organisation index is built once after the rows (a sort)
        // instead of taking them one by one; `import_capture_end` builds it again, in the
        // same transaction, so a rollback keeps it too.
        if entries_noted {
            let empty: bool = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM main.entries)", [], |r| r.get(0))?;
            if empty {
                conn.execute_batch("DROP INDEX IF EXISTS main.entries_organization")?;
            }
        }
        Ok(())
    }

    /// The organisation index an entries import into an empty workspace left out (see
    /// `capture_begin`), built from the rows.
    fn entries_index_back(&self) -> Result<()> {
        self.conn()
            .execute_batch("CREATE INDEX IF NOT EXISTS main.entries_organization ON entries(organization)")?;
        Ok(())
    }

    /// How many entries an entries import that notes its own rows added (see
    /// [`Tx::import_capture_begin_entries`]): those with a `seq` above the largest before it.
    /// None of them is in `jury_capture` (only stored rows are noted there). 0 otherwise.
    fn entries_added(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM main.entries WHERE seq > (SELECT entries_seq FROM temp.jury_capture_head)",
            [],
            |r| r.get(0),
        )?)
    }

    /// The rows an entries import added, written into `import_changes` of import `number` after
    /// the `after` rows noted before, as one row of the range form ([`ENTRIES_ADDED`]): the seq
    /// range, the counts, and the ids in import order with those that got no texts. Returns how
    /// many rows it stands for (each entry, and each one's texts), as the per-row form counted.
    fn record_entries_added(&self, number: i64, after: i64) -> Result<i64> {
        let conn = self.conn();
        // One pass over the rows added (a range of the rowid, read in its order: import order),
        // the JSON built by SQLite.
        let (first, last, entries, ids): (Option<i64>, Option<i64>, i64, String) = conn.query_row(
            "SELECT MIN(seq), MAX(seq), COUNT(*), json_group_array(id) FROM main.entries
             WHERE seq > (SELECT entries_seq FROM temp.jury_capture_head)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(0);
        };
        // Those added without texts, as the writer noted them (`NOTE_BARE_SQL`).
        let (without, without_texts): (i64, String) = conn.query_row(
            "SELECT COUNT(*), json_group_array(id) FROM (SELECT id FROM temp.jury_capture_bare ORDER BY n)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let texts = entries - without;
        conn.execute(
            "INSERT INTO import_changes(import, n, tbl, key, old) VALUES (?1, ?2, ?3, json_array(?4, ?5, ?6, ?7), ?8)",
            params![
                number,
                after + 1,
                ENTRIES_ADDED,
                first,
                last,
                entries,
                texts,
                format!("{{\"ids\":{ids},\"without_texts\":{without_texts}}}")
            ],
        )?;
        Ok(entries + texts)
    }

    fn import_capture_drop(&self) -> Result<()> {
        let mut sql = String::new();
        for c in &CAPTURED {
            for what in ["i", "u", "d"] {
                sql.push_str(&format!("DROP TRIGGER IF EXISTS temp.jury_capture_{}_{what};", c.name));
            }
        }
        sql.push_str(
            "DROP TABLE IF EXISTS temp.jury_capture; DROP TABLE IF EXISTS temp.jury_capture_head;
             DROP TABLE IF EXISTS temp.jury_capture_bare;",
        );
        self.conn().execute_batch(&sql)?;
        Ok(())
    }

    /// End the capture: when the import changed anything, record it under the next number (with
    /// its `import-record` audit row) and return the number; `None` when it changed nothing.
    pub fn import_capture_end(
        &self,
        kind: ImportKind,
        file: &str,
        sha256: &str,
        rows: usize,
        actor: &Actor,
    ) -> Result<Option<i64>> {
        let conn = self.conn();
        self.entries_index_back()?;
        // A row written as it was (an upsert of the same values) was not changed.
        for c in &CAPTURED {
            let same: Vec<String> = c
                .key
                .iter()
                .enumerate()
                .map(|(i, k)| format!("t.{k} = json_extract(jury_capture.key, '$[{i}]')"))
                .collect();
            let cols: Vec<String> = c.cols.iter().map(|k| format!("t.{k}")).collect();
            conn.execute(
                &format!(
                    "DELETE FROM temp.jury_capture WHERE tbl = '{t}' AND old IS NOT NULL
                     AND old = (SELECT json_array({cols}) FROM main.{t} t WHERE {same})",
                    t = c.name,
                    cols = cols.join(", "),
                    same = same.join(" AND ")
                ),
                [],
            )?;
        }
        let captured: i64 = conn.query_row("SELECT COUNT(*) FROM temp.jury_capture", [], |r| r.get(0))?;
        let head: i64 = conn.query_row("SELECT seq FROM temp.jury_capture_head", [], |r| r.get(0))?;
        // Dropped first: what is written below is no import's.
        if captured == 0 && self.entries_added()? == 0 {
            self.import_capture_drop()?;
            return Ok(None);
        }
        let number: i64 = conn.query_row("SELECT COALESCE(MAX(number), 0) + 1 FROM imports", [], |r| r.get(0))?;
        conn.execute(
            "INSERT INTO imports(number, at, kind, file, sha256, rows, actor, first_seq, last_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                number,
                now_text(),
                kind.as_str(),
                file,
                sha256,
                rows as i64,
                actor.label(),
                head + 1
            ],
        )?;
        conn.execute(
            "INSERT INTO import_changes(import, n, tbl, key, old)
             SELECT ?1, ROW_NUMBER() OVER (ORDER BY n), tbl, key, old FROM temp.jury_capture ORDER BY n",
            [number],
        )?;
        let captured = captured + self.record_entries_added(number, captured)?;
        self.import_capture_drop()?;
        let digest = self.import_record_digest(number)?;
        self.audit(
            actor,
            &AuditEvent::ImportRecord {
                number,
                kind: kind.as_str().to_string(),
                file: file.to_string(),
                sha256: sha256.to_string(),
                rows,
                changes: captured as usize,
                digest,
            },
        )?;
        let (last, _) = self.audit_head()?;
        conn.execute(
            "UPDATE imports SET last_seq = ?2 WHERE number = ?1",
            params![number, last],
        )?;
        Ok(Some(number))
    }

    /// Put back what import `changes` changed: delete what it inserted, restore what it
    /// replaced. Returns what happened to each score and sheet (for their audit rows).
    pub fn import_restore(&self, changes: &[ImportChange]) -> Result<Vec<Restored>> {
        let conn = self.conn();
        let mut restored = Vec::new();
        let touches_entries = changes
            .iter()
            .any(|c| matches!(c.table.as_str(), "entries" | "entry_texts" | "entry_sources"));
        if touches_entries {
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('entries_version', '1')
                 ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
                [],
            )?;
            conn.execute("DELETE FROM search_keys", [])?;
        }
        let sheet_before = |c: &ImportChange| -> Result<Option<SheetStatus>> {
            Ok(conn
                .query_row(
                    "SELECT status FROM sheets WHERE entry = ?1 AND round = ?2 AND judge = ?3",
                    params![c.key_text(0), c.key_text(1), c.key_text(2)],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
                .map(|s| SheetStatus::parse(&s)))
        };
        let score_before = |c: &ImportChange| -> Result<Option<Points>> {
            Ok(conn
                .query_row(
                    "SELECT value FROM scores WHERE entry = ?1 AND round = ?2 AND judge = ?3 AND criterion = ?4",
                    params![c.key_text(0), c.key_text(1), c.key_text(2), c.key_text(3)],
                    |r| r.get::<_, i64>(0),
                )
                .optional()?
                .map(Points))
        };
        let note = |c: &ImportChange, restored: &mut Vec<Restored>, before: Option<Value>| -> Result<()> {
            match c.table.as_str() {
                "scores" => {
                    let old = match before {
                        Some(Value::Integer(v)) => Some(Points(v)),
                        _ => None,
                    };
                    let new = score_before(c)?;
                    if old != new {
                        restored.push(Restored::Score {
                            entry: c.key_text(0).into(),
                            round: c.key_text(1).into(),
                            judge: c.key_text(2).into(),
                            criterion: c.key_text(3).into(),
                            old,
                            new,
                        });
                    }
                }
                "sheets" => {
                    let old = match before {
                        Some(Value::Text(s)) => Some(SheetStatus::parse(&s)),
                        _ => None,
                    };
                    let new = sheet_before(c)?;
                    if old != new {
                        restored.push(Restored::Sheet {
                            entry: c.key_text(0).into(),
                            round: c.key_text(1).into(),
                            judge: c.key_text(2).into(),
                            old,
                            new,
                        });
                    }
                }
                _ => {}
            }
            Ok(())
        };
        let current = |c: &ImportChange| -> Result<Option<Value>> {
            Ok(match c.table.as_str() {
                "scores" => score_before(c)?.map(|p| Value::Integer(p.0)),
                "sheets" => sheet_before(c)?.map(|s| Value::Text(s.as_str().to_string())),
                _ => None,
            })
        };
        // What the import inserted goes, children first.
        for name in ["scores", "sheets", "entry_sources", "entry_texts", "entries", "judges"] {
            let Some(spec) = spec(name) else { continue };
            let conds: Vec<String> = spec
                .key
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k} = ?{}", i + 1))
                .collect();
            let sql = format!("DELETE FROM {} WHERE {}", spec.name, conds.join(" AND "));
            for c in changes.iter().filter(|c| c.table == spec.name && c.old.is_none()) {
                let before = current(c)?;
                conn.prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(c.key.iter()))?;
                note(c, &mut restored, before)?;
            }
        }
        // What it replaced comes back, parents first, sheets last.
        for spec in &CAPTURED {
            let columns: Vec<&str> = spec.key.iter().chain(spec.cols.iter()).copied().collect();
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let set: Vec<String> = spec
                .cols
                .iter()
                .filter(|c| **c != "seq")
                .map(|c| format!("{c} = excluded.{c}"))
                .collect();
            let sql = format!(
                "INSERT INTO {t}({cols}) VALUES ({marks}) ON CONFLICT({key}) DO UPDATE SET {set}",
                t = spec.name,
                cols = columns.join(", "),
                marks = marks.join(", "),
                key = spec.key.join(", "),
                set = set.join(", ")
            );
            for c in changes.iter().filter(|c| c.table == spec.name) {
                let Some(old) = &c.old else { continue };
                if old.len() != spec.cols.len() || c.key.len() != spec.key.len() {
                    return Err(StoreRefusal::RecordColumns(spec.name.to_string()).into());
                }
                let before = current(c)?;
                conn.prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(c.key.iter().chain(old.iter())))?;
                note(c, &mut restored, before)?;
            }
        }
        Ok(restored)
    }

    /// Mark import `number` undone.
    pub fn set_import_undone(&self, number: i64, actor: &Actor, reason: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE imports SET undone_at = ?2, undone_by = ?3, undo_reason = ?4 WHERE number = ?1",
            params![number, now_text(), actor.label(), reason],
        )?;
        Ok(())
    }
}

const RECORD_COLUMNS: &str = "i.number, i.at, i.kind, i.file, i.sha256, i.rows, i.actor, i.first_seq, i.last_seq,
     i.undone_at, i.undone_by, i.undo_reason,
     (SELECT COALESCE(SUM(CASE WHEN c.tbl = 'entries-added' THEN json_extract(c.key, '$[2]') + json_extract(c.key, '$[3]')
                               ELSE 1 END), 0)
      FROM import_changes c WHERE c.import = i.number)";

fn record_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportRecord> {
    let kind: String = r.get(2)?;
    let undone_at: Option<String> = r.get(9)?;
    Ok(ImportRecord {
        number: r.get(0)?,
        at: r.get(1)?,
        kind: ImportKind::parse(&kind).unwrap_or(ImportKind::Entries),
        file: r.get(3)?,
        sha256: r.get(4)?,
        rows: r.get(5)?,
        actor: r.get(6)?,
        first_seq: r.get(7)?,
        last_seq: r.get(8)?,
        undone: match undone_at {
            Some(at) => Some(Undone {
                at,
                by: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                reason: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            }),
            None => None,
        },
        changes: r.get(12)?,
    })
}

impl Store {
    /// Every import, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportRecord>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {RECORD_COLUMNS} FROM imports i ORDER BY i.number"))?;
        let rows = stmt.query_map([], record_from)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn import_record(&self, number: i64) -> Result<Option<ImportRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {RECORD_COLUMNS} FROM imports i WHERE i.number = ?1"),
                [number],
                record_from,
            )
            .optional()?)
    }

    /// What import `number` changed, in the order it changed it.
    pub fn import_changes(&self, number: i64) -> Result<Vec<ImportChange>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT tbl, key, old FROM import_changes WHERE import = ?1 ORDER BY n")?;
        let raw: Vec<(String, String, Option<String>)> = stmt
            .query_map([number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut changes = Vec::with_capacity(raw.len());
        for (table, key, old) in raw {
            if table == ENTRIES_ADDED {
                expand_entries_added(&key, old.as_deref(), &mut changes)?;
                continue;
            }
            if spec(&table).is_none() {
                return Err(StoreRefusal::RecordTable(table).into());
            }
            changes.push(ImportChange {
                table,
                key: values_of(&key)?,
                old: old.as_deref().map(values_of).transpose()?,
            });
        }
        Ok(changes)
    }

    /// The SHA-256 of import `number`'s record of changes (its `import-record` audit row holds it).
    pub fn import_record_digest(&self, number: i64) -> Result<String> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT n, tbl, key, old FROM import_changes WHERE import = ?1 ORDER BY n")?;
        let mut rows = stmt.query([number])?;
        let mut hash = Sha256::new();
        // One buffer for every line, and the text read in place: the same bytes as
        // `json!([n, tbl, key, old]).to_string()`, without a `Value` and four `String`s a row.
        let mut line = Vec::with_capacity(256);
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> Result<Option<&str>> {
                r.get_ref(i)?.as_str_or_null().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)).into()
                })
            };
            let (n, tbl, key, old): (i64, &str, &str, Option<&str>) = (
                r.get(0)?,
                text(1)?.unwrap_or_default(),
                text(2)?.unwrap_or_default(),
                text(3)?,
            );
            line.clear();
            serde_json::to_writer(&mut line, &(n, tbl, key, old)).map_err(std::io::Error::from)?;
            line.push(b'\n');
            hash.update(&line);
        }
        Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The digest the `import-record` audit row of import `number` holds.
    pub fn import_recorded_digest(&self, number: i64) -> Result<Option<String>> {
        let mut stmt = self.conn().prepare(
            "SELECT seq, at, actor, action, entry, judge, detail, old_value, new_value, reason, prev_hash, hash
             FROM audit WHERE action = 'import-record' AND detail LIKE ?1 ORDER BY seq",
        )?;
        let rows: Vec<AuditRow> = stmt
            .query_map([format!("import {number}: %")], super::audit::row_from_sql)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.into_iter().find_map(|r| match r.event() {
            Ok(AuditEvent::ImportRecord { number: n, digest, .. }) if n == number => Some(digest),
            _ => None,
        }))
    }

    /// Every import's number, record digest and whether it is undone (for `audit verify`).
    pub(crate) fn import_digests(&self) -> Result<Vec<(i64, String, bool)>> {
        let numbers: Vec<(i64, bool)> = self
            .conn()
            .prepare("SELECT number, undone_at IS NOT NULL FROM imports ORDER BY number")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        numbers
            .into_iter()
            .map(|(n, undone)| Ok((n, self.import_record_digest(n)?, undone)))
            .collect()
    }

    /// Later imports (after `number`, not undone) that changed the row `table`/`key` too.
    pub fn later_imports_of(&self, number: i64, table: &str, key: &[Value]) -> Result<Vec<i64>> {
        // An entry (or its texts) a later import added in the range form: the entry's `seq` is
        // in that import's range (see [`ENTRIES_ADDED`]).
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.import FROM import_changes c JOIN imports i ON i.number = c.import
             WHERE c.tbl = ?1 AND c.key = ?2 AND c.import > ?3 AND i.undone_at IS NULL
             UNION
             SELECT c.import FROM import_changes c JOIN imports i ON i.number = c.import
             WHERE c.tbl = 'entries-added' AND ?1 IN ('entries', 'entry_texts') AND c.import > ?3
               AND i.undone_at IS NULL
               AND (SELECT seq FROM entries WHERE id = json_extract(?2, '$[0]'))
                   BETWEEN json_extract(c.key, '$[0]') AND json_extract(c.key, '$[1]')
             ORDER BY 1",
        )?;
        let rows = stmt
            .query_map(params![table, json_of(key), number], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Audit rows after `seq` naming `entry` and/or `judge` (`None`: any).
    pub fn audit_rows_after(&self, seq: i64, entry: Option<&str>, judge: Option<&str>) -> Result<Vec<AuditRow>> {
        Ok(self
            .audit_log(entry, judge)?
            .into_iter()
            .filter(|r| r.seq > seq)
            .collect())
    }

    /// Stored rows that refer to the entry `id` (what deleting it would break), described.
    pub fn entry_references(&self, id: &str) -> Result<Vec<String>> {
        self.references(
            id,
            &[
                (
                    "SELECT judge || ' / ' || round FROM sheets WHERE entry = ?1",
                    "has a sheet",
                ),
                ("SELECT judge FROM assignments WHERE entry = ?1", "is assigned to"),
                (
                    "SELECT judge FROM conflicts WHERE entry = ?1",
                    "has a declared conflict with",
                ),
                (
                    "SELECT status FROM shortlist WHERE entry = ?1",
                    "has the shortlist status",
                ),
                ("SELECT 'sample' FROM calibration WHERE entry = ?1", "is a calibration"),
                ("SELECT kind FROM withdrawals WHERE entry = ?1", "is"),
                ("SELECT judge FROM comments WHERE entry = ?1", "has a comment by"),
            ],
        )
    }

    /// Stored rows that refer to the judge `id`, described.
    pub fn judge_references(&self, id: &str) -> Result<Vec<String>> {
        self.references(
            id,
            &[
                (
                    "SELECT entry || ' / ' || round FROM sheets WHERE judge = ?1",
                    "has a sheet",
                ),
                ("SELECT entry FROM assignments WHERE judge = ?1", "is assigned"),
                ("SELECT grp FROM panels WHERE judge = ?1", "is on the panel of"),
                (
                    "SELECT entry FROM conflicts WHERE judge = ?1",
                    "has a declared conflict with",
                ),
                ("SELECT entry FROM comments WHERE judge = ?1", "has a comment on"),
                (
                    "SELECT 'the contest' FROM judges_removed WHERE judge = ?1",
                    "was removed from",
                ),
            ],
        )
    }

    fn references(&self, id: &str, queries: &[(&str, &str)]) -> Result<Vec<String>> {
        let mut found = Vec::new();
        for (sql, what) in queries {
            let mut stmt = self.conn().prepare_cached(&format!("{sql} LIMIT 3"))?;
            let values: Vec<String> = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            for v in values {
                found.push(format!("{id} {what} {v}"));
            }
        }
        Ok(found)
    }
}
