//! Corrections after the fact (issue 16): withdrawn entries and removed judges. The rows are kept
//! in their own tables (sealed, and replayed by `audit verify`); the scores stay where they are.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{Store, Tx, now_text};
use crate::core::withdrawal::{WithdrawalKind, Withdrawn};
use crate::error::Result;

fn kind_of(text: &str) -> WithdrawalKind {
    WithdrawalKind::parse(text).unwrap_or(WithdrawalKind::Withdrawn)
}

impl Store {
    /// Every withdrawn or disqualified entry, in import order, with its title and group.
    pub fn withdrawals(&self) -> Result<Vec<Withdrawn>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT w.entry, COALESCE(CASE WHEN e.title <> '' THEN e.title ELSE e.name END, ''), e.grp, w.kind,
                    w.reason, w.withdrawn_at
             FROM withdrawals w LEFT JOIN entries e ON e.id = w.entry ORDER BY e.seq, w.entry",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let kind: String = r.get(3)?;
                Ok(Withdrawn {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    group: r.get(2)?,
                    kind: kind_of(&kind),
                    reason: r.get(4)?,
                    at: r.get(5)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    /// The entry's withdrawal (kind and reason), if it is withdrawn.
    pub fn withdrawal(&self, entry: &str) -> Result<Option<(WithdrawalKind, String)>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT kind, reason FROM withdrawals WHERE entry = ?1")?
            .query_row([entry], |r| Ok((kind_of(&r.get::<_, String>(0)?), r.get(1)?)))
            .optional()?)
    }

    /// Judge id -> the reason they were removed.
    pub fn removed_judges(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self.conn().prepare_cached("SELECT judge, reason FROM judges_removed")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    /// Why the judge was removed, if they were.
    pub fn judge_removed(&self, judge: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT reason FROM judges_removed WHERE judge = ?1")?
            .query_row([judge], |r| r.get(0))
            .optional()?)
    }

    /// The open work (entries, groups) a removed judge left, not yet handed over.
    pub fn left_work(&self, judge: &str) -> Result<Option<(Vec<String>, Vec<String>)>> {
        let split = |t: String| -> Vec<String> { t.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect() };
        Ok(self
            .conn()
            .prepare_cached("SELECT entries, groups FROM judges_removed WHERE judge = ?1")?
            .query_row([judge], |r| Ok((split(r.get(0)?), split(r.get(1)?))))
            .optional()?)
    }

    /// The withdrawn entries and the removed judges as `audit verify` compares them: entry ->
    /// kind, and the removed judges' ids.
    pub(crate) fn current_corrections(&self) -> Result<(HashMap<String, WithdrawalKind>, Vec<String>)> {
        let mut stmt = self.conn().prepare("SELECT entry, kind FROM withdrawals")?;
        let withdrawn = stmt
            .query_map([], |r| Ok((r.get(0)?, kind_of(&r.get::<_, String>(1)?))))?
            .collect::<std::result::Result<_, _>>()?;
        let mut stmt = self.conn().prepare("SELECT judge FROM judges_removed ORDER BY judge")?;
        let removed = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        Ok((withdrawn, removed))
    }
}

impl Tx<'_> {
    /// Mark an entry withdrawn or disqualified. Call inside [`Store::write`].
    pub fn put_withdrawal(&self, entry: &str, kind: WithdrawalKind, reason: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO withdrawals(entry, kind, reason, withdrawn_at) VALUES (?1, ?2, ?3, ?4)",
            params![entry, kind.as_str(), reason, now_text()],
        )?;
        Ok(())
    }

    /// Bring a withdrawn entry back; false when it was not withdrawn. Call inside [`Store::write`].
    pub fn delete_withdrawal(&self, entry: &str) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM withdrawals WHERE entry = ?1", [entry])?
            > 0)
    }

    /// Record a judge as removed, with the open work they left (entries, groups). Call inside
    /// [`Store::write`].
    pub fn put_judge_removed(&self, judge: &str, reason: &str, entries: &[String], groups: &[String]) -> Result<()> {
        self.conn().execute(
            "INSERT INTO judges_removed(judge, reason, removed_at, entries, groups) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![judge, reason, now_text(), entries.join(","), groups.join(",")],
        )?;
        Ok(())
    }

    /// A removed judge's open work is handed over: forget it. Call inside [`Store::write`].
    pub fn clear_left_work(&self, judge: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE judges_removed SET entries = '', groups = '' WHERE judge = ?1",
            [judge],
        )?;
        Ok(())
    }

    /// Delete a judge's draft sheets (and, with `submitted`, the submitted ones too) with their
    /// scores: (sheets, scores) deleted. Call inside [`Store::write`].
    pub fn drop_judge_sheets(&self, judge: &str, submitted: bool) -> Result<(usize, usize)> {
        let which = if submitted { "" } else { " AND h.status = 'draft'" };
        let scores = self.conn().execute(
            &format!(
                "DELETE FROM scores WHERE judge = ?1 AND EXISTS (SELECT 1 FROM sheets h WHERE h.judge = scores.judge
                 AND h.entry = scores.entry AND h.round = scores.round{which})"
            ),
            [judge],
        )?;
        let which = if submitted { "" } else { " AND status = 'draft'" };
        let sheets = self
            .conn()
            .execute(&format!("DELETE FROM sheets WHERE judge = ?1{which}"), [judge])?;
        Ok((sheets, scores))
    }

    /// Take a judge off every panel and assignment: (panels, assignments) left. Call inside
    /// [`Store::write`].
    pub fn drop_judge_work(&self, judge: &str) -> Result<(usize, usize)> {
        let panels = self.conn().execute("DELETE FROM panels WHERE judge = ?1", [judge])?;
        let assignments = self
            .conn()
            .execute("DELETE FROM assignments WHERE judge = ?1", [judge])?;
        Ok((panels, assignments))
    }

    /// Delete one score, or every score of the sheet with `None`: how many. Call inside
    /// [`Store::write`].
    pub fn delete_scores(&self, judge: &str, entry: &str, round: &str, criterion: Option<&str>) -> Result<usize> {
        Ok(match criterion {
            Some(c) => self.conn().execute(
                "DELETE FROM scores WHERE judge = ?1 AND entry = ?2 AND round = ?3 AND criterion = ?4",
                params![judge, entry, round, c],
            )?,
            None => self.conn().execute(
                "DELETE FROM scores WHERE judge = ?1 AND entry = ?2 AND round = ?3",
                params![judge, entry, round],
            )?,
        })
    }

    /// Put `new` in `old`'s place on a group's panel. Call inside [`Store::write`].
    pub fn replace_on_panel(&self, group: &str, old: &str, new: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM panels WHERE grp = ?1 AND judge = ?2", params![group, old])?;
        self.conn().execute(
            "INSERT OR IGNORE INTO panels(grp, judge) VALUES (?1, ?2)",
            params![group, new],
        )?;
        Ok(())
    }
}
