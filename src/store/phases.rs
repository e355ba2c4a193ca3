//! Selection in phases (评审阶段): the live tables hold the current phase; an earlier phase's
//! sheets, scores, comments, shortlist, locks, panels and assignments are kept in the `phase_*`
//! archive (schema: the phases migration), read-only. [`Store::open_phase`] reads an earlier phase
//! through the very same queries: TEMP tables named like the live ones, filled from the archive,
//! come first in SQLite's name resolution on that connection only.

use std::collections::HashSet;
use std::path::Path;

use rusqlite::{OptionalExtension, params};

use super::{Store, Tx, now_text};
use crate::core::phase::{FIRST_PHASE, Phase};
use crate::core::rubric::parse_rubric;
use crate::core::shortlist::Status;
use crate::error::Result;

/// The per-phase tables and their columns (after `phase` in the archive).
const PER_PHASE: [(&str, &str); 7] = [
    (
        "sheets",
        "entry, round, judge, status, updated_at, submitted_at, total, criteria",
    ),
    ("scores", "entry, round, judge, criterion, value, updated_at"),
    ("comments", "judge, entry, text, updated_at"),
    ("shortlist", "entry, status, batch, updated_at"),
    ("locks", "grp, round, reason, locked_at"),
    ("panels", "grp, judge"),
    ("assignments", "judge, entry"),
];

/// The archive table of a live per-phase table.
fn archive_of(table: &str) -> String {
    format!("phase_{table}")
}

impl Store {
    /// Every phase, first to newest (the newest is the current one), with its entries and scores
    /// counted. A workspace from before phases has its one row from the migration.
    pub fn phases(&self) -> Result<Vec<Phase>> {
        let conn = self.conn();
        let all_entries: i64 = conn.query_row("SELECT count(*) FROM entries", [], |r| r.get(0))?;
        let mut stmt = conn.prepare_cached("SELECT seq, name, take, started_at, locked_at FROM phases ORDER BY seq")?;
        let rows: Vec<(i64, String, String, String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let newest = rows.last().map(|r| r.0);
        let mut phases = Vec::with_capacity(rows.len());
        for (seq, name, take, started_at, locked_at) in rows {
            let (left, scores): (i64, i64) = if Some(seq) == newest {
                (
                    conn.query_row("SELECT count(*) FROM main.phase_left", [], |r| r.get(0))?,
                    conn.query_row("SELECT count(*) FROM main.scores", [], |r| r.get(0))?,
                )
            } else {
                (
                    conn.query_row("SELECT count(*) FROM phase_archive_left WHERE phase = ?1", [seq], |r| {
                        r.get(0)
                    })?,
                    conn.query_row("SELECT count(*) FROM phase_scores WHERE phase = ?1", [seq], |r| {
                        r.get(0)
                    })?,
                )
            };
            phases.push(Phase {
                seq,
                name,
                take: Status::parse(&take),
                started_at,
                locked_at,
                entries: usize::try_from(all_entries - left).unwrap_or(0),
                scores: usize::try_from(scores).unwrap_or(0),
            });
        }
        if phases.is_empty() {
            phases.push(Phase {
                seq: 1,
                name: FIRST_PHASE.to_string(),
                take: None,
                started_at: String::new(),
                locked_at: None,
                entries: usize::try_from(all_entries).unwrap_or(0),
                scores: 0,
            });
        }
        Ok(phases)
    }

    /// Whether the entry is part of the current phase (every entry is, until a phase is started
    /// that did not take it).
    pub fn in_current_phase(&self, entry: &str) -> Result<bool> {
        let left: Option<i64> = self
            .conn()
            .prepare_cached("SELECT 1 FROM phase_left WHERE entry = ?1")?
            .query_row([entry], |r| r.get(0))
            .optional()?;
        Ok(left.is_none())
    }

    /// The current phase's entries with this shortlist status (no row is pending), in import order.
    pub fn phase_entries_with_status(&self, status: Status) -> Result<Vec<(String, Option<String>)>> {
        let mut stmt = self.conn().prepare(
            "SELECT e.id, e.grp FROM entries e LEFT JOIN shortlist s ON s.entry = e.id
             WHERE e.id NOT IN (SELECT entry FROM phase_left) AND COALESCE(s.status, 'pending') = ?1
             ORDER BY e.seq",
        )?;
        let rows = stmt
            .query_map([status.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    /// Whether this connection reads an earlier phase ([`Store::open_phase`]).
    pub(crate) fn is_phase_view(&self) -> bool {
        self.conn()
            .query_row(
                "SELECT count(*) FROM temp.sqlite_master WHERE type = 'table' AND name = 'phase_view'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .is_ok_and(|n| n > 0)
    }

    /// The earlier phase this connection reads ([`Store::open_phase`]), if it reads one.
    pub fn phase_view_name(&self) -> Result<Option<String>> {
        if !self.is_phase_view() {
            return Ok(None);
        }
        Ok(self
            .conn()
            .query_row("SELECT name FROM temp.phase_view", [], |r| r.get(0))
            .optional()?)
    }

    /// The workspace at `path` as it was in the earlier phase `seq`, read-only: every read of the
    /// sheets, scores, comments, shortlist, locks, panels, assignments and the phase's entries
    /// gives that phase's (from the archive), and the rubric is the one it was scored on. Never
    /// write through it.
    pub fn open_phase(path: &Path, seq: i64) -> Result<Store> {
        let store = Store::open(path)?;
        let rubric: Option<(Option<String>, Option<String>)> = store
            .conn()
            .query_row(
                "SELECT rubric_file, rubric FROM phases WHERE seq = ?1 AND locked_at IS NOT NULL",
                [seq],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let mut sql = String::new();
        for (table, columns) in PER_PHASE {
            sql.push_str(&format!(
                "CREATE TEMP TABLE {table} AS SELECT {columns} FROM main.{} WHERE phase = {seq};\n",
                archive_of(table)
            ));
        }
        sql.push_str(&format!(
            "CREATE TEMP TABLE phase_left AS SELECT entry, since FROM main.phase_archive_left WHERE phase = {seq};
             CREATE TEMP TABLE phase_view AS SELECT name FROM main.phases WHERE seq = {seq};"
        ));
        store.conn().execute_batch(&sql)?;
        if let Some((Some(file), Some(source))) = rubric {
            let mut parsed = parse_rubric(&file, &source)?;
            if let Some(name) = store.meta("contest_name")? {
                parsed.name = name;
            }
            // The phase's own rubric, before anything reads the workspace's.
            let version = store.rubric_version()?;
            let _ = store.rubric.set(Box::new(super::RubricSlot {
                version,
                rubric: parsed,
                next: std::cell::OnceCell::new(),
            }));
        }
        Ok(store)
    }
}

impl Tx<'_> {
    /// Moves the entries' version on: the judges' lists (cached by it) are read again.
    fn entries_changed(&self) -> Result<()> {
        self.conn().execute(
            "INSERT INTO meta(key, value) VALUES ('entries_version', '1')
             ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
            [],
        )?;
        Ok(())
    }

    /// Name the first phase (`jury init --phase NAME`).
    pub fn name_first_phase(&self, name: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO phases(seq, name, started_at) VALUES (1, ?1, ?2)
             ON CONFLICT(seq) DO UPDATE SET name = excluded.name, started_at = excluded.started_at",
            params![name, now_text()],
        )?;
        Ok(())
    }

    /// Start the phase `name` after the current one (`current`): archive the current phase, lock
    /// it, and leave in the live tables what the new phase starts with: no sheets, scores,
    /// comments, statuses or locks; the panels; the assignments of the `taken` entries. The other
    /// entries leave the phase.
    pub fn start_phase(&self, current: i64, name: &str, take: Status, taken: &HashSet<String>) -> Result<()> {
        let conn = self.conn();
        for (table, columns) in PER_PHASE {
            conn.execute(
                &format!(
                    "INSERT INTO {}(phase, {columns}) SELECT ?1, {columns} FROM {table}",
                    archive_of(table)
                ),
                [current],
            )?;
        }
        conn.execute(
            "INSERT INTO phase_archive_left(phase, entry, since) SELECT ?1, entry, since FROM phase_left",
            [current],
        )?;
        let now = now_text();
        conn.execute(
            "UPDATE phases SET locked_at = ?2,
                 rubric_file = (SELECT value FROM meta WHERE key = 'rubric_file'),
                 rubric = (SELECT value FROM meta WHERE key = 'rubric')
             WHERE seq = ?1",
            params![current, now],
        )?;
        conn.execute_batch(
            "DELETE FROM scores; DELETE FROM sheets; DELETE FROM comments; DELETE FROM shortlist; DELETE FROM locks;",
        )?;
        let assigned: Vec<String> = conn
            .prepare("SELECT DISTINCT entry FROM assignments")?
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        for entry in assigned.iter().filter(|e| !taken.contains(*e)) {
            conn.execute("DELETE FROM assignments WHERE entry = ?1", [entry])?;
        }
        let ids: Vec<String> = conn
            .prepare("SELECT id FROM entries WHERE id NOT IN (SELECT entry FROM phase_left)")?
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        let mut leave = conn.prepare("INSERT OR IGNORE INTO phase_left(entry, since) VALUES (?1, ?2)")?;
        for id in ids.iter().filter(|id| !taken.contains(*id)) {
            leave.execute(params![id, current + 1])?;
        }
        conn.execute(
            "INSERT INTO phases(seq, name, take, started_at) VALUES (?1, ?2, ?3, ?4)",
            params![current + 1, name, take.as_str(), now],
        )?;
        self.entries_changed()
    }

    /// The current phase's rubric becomes `source` (from `file`), as `jury rubric apply` stores
    /// one: a copy kept, the version moved on so every open handle reads it again. Returns the
    /// SHA-256 of the old and new sources when it changed, for the caller's `rubric-apply` row.
    pub fn phase_rubric(&self, file: &str, source: &str) -> Result<Option<(String, String)>> {
        let old = self.meta("rubric")?.unwrap_or_default();
        if old == source && self.meta("rubric_file")?.as_deref() == Some(file) {
            return Ok(None);
        }
        let name = self.meta("contest_name")?.unwrap_or_default();
        self.put_rubric(file, source, &name)?;
        Ok(Some((
            super::rubric_change::rubric_sha256(&old),
            super::rubric_change::rubric_sha256(source),
        )))
    }

    /// Drop the newest phase (`newest`, with no scores: the caller checks) and make the one
    /// before it current again, unlocked, as it was archived.
    pub fn drop_phase(&self, newest: i64) -> Result<Option<(String, String)>> {
        let conn = self.conn();
        let back = newest - 1;
        conn.execute_batch(
            "DELETE FROM scores; DELETE FROM sheets; DELETE FROM comments; DELETE FROM shortlist; DELETE FROM locks;
             DELETE FROM panels; DELETE FROM assignments; DELETE FROM phase_left;",
        )?;
        for (table, columns) in PER_PHASE {
            // The sheets come back with no total: the scores' trigger adds them up again.
            let select = if table == "sheets" {
                "entry, round, judge, status, updated_at, submitted_at, 0, 0".to_string()
            } else {
                columns.to_string()
            };
            conn.execute(
                &format!(
                    "INSERT INTO {table}({columns}) SELECT {select} FROM {} WHERE phase = ?1",
                    archive_of(table)
                ),
                [back],
            )?;
            conn.execute(&format!("DELETE FROM {} WHERE phase = ?1", archive_of(table)), [back])?;
        }
        conn.execute(
            "INSERT INTO phase_left(entry, since) SELECT entry, since FROM phase_archive_left WHERE phase = ?1",
            [back],
        )?;
        conn.execute("DELETE FROM phase_archive_left WHERE phase = ?1", [back])?;
        let rubric: (Option<String>, Option<String>) =
            conn.query_row("SELECT rubric_file, rubric FROM phases WHERE seq = ?1", [back], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        conn.execute("DELETE FROM phases WHERE seq = ?1", [newest])?;
        conn.execute(
            "UPDATE phases SET locked_at = NULL, rubric_file = NULL, rubric = NULL WHERE seq = ?1",
            [back],
        )?;
        self.entries_changed()?;
        // The rubric the phase before was scored on comes back.
        match rubric {
            (Some(file), Some(source)) => self.phase_rubric(&file, &source),
            _ => Ok(None),
        }
    }
}
