//! The meeting room's tables: panels, assignments, locks and the shortlist.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{Store, Tx, now_text};
use crate::core::assign::Eligibility;
use crate::core::shortlist::Status;
use crate::error::Result;

/// A lock on a group and/or round; `None` means every group (or round).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockRow {
    pub group: Option<String>,
    pub round: Option<String>,
    pub reason: String,
    pub locked_at: String,
}

impl Store {
    /// Panels and assignments, for checking who may score what.
    pub fn eligibility(&self) -> Result<Eligibility> {
        let mut el = Eligibility::default();
        let mut stmt = self.conn().prepare_cached("SELECT entry, judge FROM assignments")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (entry, judge) = row?;
            el.per_entry.entry(entry).or_default().insert(judge);
        }
        let mut stmt = self.conn().prepare_cached("SELECT grp, judge FROM panels")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (group, judge) = row?;
            el.panels.entry(group).or_default().insert(judge);
        }
        Ok(el)
    }

    pub fn locks(&self) -> Result<Vec<LockRow>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT grp, round, reason, locked_at FROM locks ORDER BY grp, round")?;
        let rows = stmt
            .query_map([], |r| {
                let g: String = r.get(0)?;
                let rd: String = r.get(1)?;
                Ok(LockRow {
                    group: (!g.is_empty()).then_some(g),
                    round: (!rd.is_empty()).then_some(rd),
                    reason: r.get(2)?,
                    locked_at: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The lock that covers this group and round, if any.
    pub fn lock_covering(&self, group: Option<&str>, round: &str) -> Result<Option<LockRow>> {
        Ok(self.locks()?.into_iter().find(|l| {
            l.group.as_deref().is_none_or(|g| Some(g) == group) && l.round.as_deref().is_none_or(|r| r == round)
        }))
    }

    /// Entry → (status, batch); entries without a row are pending.
    pub fn shortlist(&self) -> Result<HashMap<String, (Status, Option<i64>)>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT entry, status, batch FROM shortlist")?;
        let rows = stmt
            .query_map([], |r| {
                let status: String = r.get(1)?;
                Ok((
                    r.get(0)?,
                    (Status::parse(&status).unwrap_or(Status::Pending), r.get(2)?),
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn shortlist_status(&self, entry: &str) -> Result<Option<(Status, Option<i64>)>> {
        let row: Option<(String, Option<i64>)> = self
            .conn()
            .query_row("SELECT status, batch FROM shortlist WHERE entry = ?1", [entry], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        Ok(row.map(|(s, b)| (Status::parse(&s).unwrap_or(Status::Pending), b)))
    }
}

impl Tx<'_> {
    /// Replace a group's panel. Call inside [`Store::write`].
    pub fn put_panel(&self, group: &str, judges: &[String]) -> Result<()> {
        self.conn().execute("DELETE FROM panels WHERE grp = ?1", [group])?;
        let mut stmt = self
            .conn()
            .prepare_cached("INSERT INTO panels(grp, judge) VALUES (?1, ?2)")?;
        for j in judges {
            stmt.execute(params![group, j])?;
        }
        Ok(())
    }

    /// Replace every per-entry assignment. Call inside [`Store::write`].
    pub fn put_assignments(&self, pairs: &[(String, String)]) -> Result<()> {
        self.conn().execute("DELETE FROM assignments", [])?;
        let mut stmt = self
            .conn()
            .prepare_cached("INSERT OR IGNORE INTO assignments(judge, entry) VALUES (?1, ?2)")?;
        for (entry, judge) in pairs {
            stmt.execute(params![judge, entry])?;
        }
        Ok(())
    }

    /// Add or remove one assignment by hand. Call inside [`Store::write`].
    pub fn set_assignment(&self, judge: &str, entry: &str, assigned: bool) -> Result<bool> {
        let n = if assigned {
            self.conn().execute(
                "INSERT OR IGNORE INTO assignments(judge, entry) VALUES (?1, ?2)",
                params![judge, entry],
            )?
        } else {
            self.conn().execute(
                "DELETE FROM assignments WHERE judge = ?1 AND entry = ?2",
                params![judge, entry],
            )?
        };
        Ok(n > 0)
    }

    /// Lock a group and/or round. Call inside [`Store::write`].
    pub fn put_lock(&self, group: Option<&str>, round: Option<&str>, reason: &str) -> Result<()> {
        crate::core::reason::check(reason)?;
        self.conn().execute(
            "INSERT INTO locks(grp, round, reason, locked_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(grp, round) DO UPDATE SET reason = excluded.reason, locked_at = excluded.locked_at",
            params![group.unwrap_or(""), round.unwrap_or(""), reason, now_text()],
        )?;
        Ok(())
    }

    /// Remove exactly this lock; `false` when there was none. Call inside [`Store::write`].
    pub fn delete_lock(&self, group: Option<&str>, round: Option<&str>) -> Result<bool> {
        let n = self.conn().execute(
            "DELETE FROM locks WHERE grp = ?1 AND round = ?2",
            params![group.unwrap_or(""), round.unwrap_or("")],
        )?;
        Ok(n > 0)
    }

    /// Set entries' shortlist status (and batch, when given). Call inside [`Store::write`].
    pub fn put_shortlist(&self, entry: &str, status: Status, batch: Option<i64>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO shortlist(entry, status, batch, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(entry) DO UPDATE SET status = excluded.status,
               batch = COALESCE(excluded.batch, shortlist.batch), updated_at = excluded.updated_at",
            params![entry, status.as_str(), batch, now_text()],
        )?;
        Ok(())
    }
}
