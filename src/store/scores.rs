//! Scores and sheets.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{OptionalExtension, params};

use super::{Store, Tx, now_text};
use crate::core::Points;
use crate::core::tally::SheetTotal;
use crate::error::Result;

pub use crate::core::sheet::{ScoreInput, SheetStatus};

/// A judge's sheet for one entry and round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetState {
    pub entry: String,
    pub round: String,
    pub judge: String,
    pub status: SheetStatus,
    pub values: BTreeMap<String, Points>,
}

impl Store {
    /// The stored value of one score, if any.
    pub fn score(&self, judge: &str, entry: &str, round: &str, criterion: &str) -> Result<Option<Points>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT value FROM scores WHERE entry = ?1 AND round = ?2 AND judge = ?3 AND criterion = ?4",
            )?
            .query_row(params![entry, round, judge, criterion], |r| r.get::<_, i64>(0))
            .optional()?
            .map(Points))
    }

    /// One judge's sheet for an entry and round (`None` before the first score).
    pub fn sheet(&self, judge: &str, entry: &str, round: &str) -> Result<Option<SheetState>> {
        let status: Option<String> = self
            .conn()
            .prepare_cached("SELECT status FROM sheets WHERE entry = ?1 AND round = ?2 AND judge = ?3")?
            .query_row(params![entry, round, judge], |r| r.get(0))
            .optional()?;
        let Some(status) = status else { return Ok(None) };
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT criterion, value FROM scores WHERE entry = ?1 AND round = ?2 AND judge = ?3")?;
        let values = stmt
            .query_map(params![entry, round, judge], |r| Ok((r.get(0)?, Points(r.get(1)?))))?
            .collect::<Result<_, _>>()?;
        Ok(Some(SheetState {
            entry: entry.into(),
            round: round.into(),
            judge: judge.into(),
            status: SheetStatus::parse(&status),
            values,
        }))
    }

    /// Every sheet of one judge: (entry, round) → status. For the judge's list.
    pub fn judge_sheet_statuses(&self, judge: &str) -> Result<HashMap<(String, String), SheetStatus>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT entry, round, status FROM sheets WHERE judge = ?1")?;
        let rows = stmt
            .query_map([judge], |r| {
                Ok(((r.get(0)?, r.get(1)?), SheetStatus::parse(&r.get::<_, String>(2)?)))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every sheet of one judge as (entry, round, status), sorted by entry then round: one scan of
    /// the covering index `sheets_judge_status`, and a binary search finds an entry's sheets.
    pub fn judge_sheets(&self, judge: &str) -> Result<Vec<(String, String, SheetStatus)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT entry, round, status = 'submitted' FROM sheets WHERE judge = ?1 ORDER BY entry, round",
        )?;
        let rows = stmt
            .query_map([judge], |r| {
                let status = if r.get::<_, bool>(2)? {
                    SheetStatus::Submitted
                } else {
                    SheetStatus::Draft
                };
                Ok((r.get(0)?, r.get(1)?, status))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// One judge's sheets, as [`Store::judge_sheets`] has them (by entry, then round), handed to
    /// `f` as borrowed text: the judges' list reads 100k of them at start-up without a `String`
    /// each.
    pub fn for_each_judge_sheet(&self, judge: &str, mut f: impl FnMut(&str, &str, SheetStatus)) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT entry, round, status = 'submitted' FROM sheets WHERE judge = ?1 ORDER BY entry, round",
        )?;
        let mut rows = stmt.query([judge])?;
        while let Some(r) = rows.next()? {
            let status = if r.get::<_, bool>(2)? {
                SheetStatus::Submitted
            } else {
                SheetStatus::Draft
            };
            let text = |i: usize| -> rusqlite::Result<&str> {
                r.get_ref(i)?
                    .as_str()
                    .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
            };
            f(text(0)?, text(1)?, status);
        }
        Ok(())
    }

    /// One judge's sheets of one entry: (round, status), by round.
    pub fn judge_sheets_of(&self, judge: &str, entry: &str) -> Result<Vec<(String, SheetStatus)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT round, status = 'submitted' FROM sheets WHERE judge = ?1 AND entry = ?2 ORDER BY round",
        )?;
        let rows = stmt
            .query_map([judge, entry], |r| {
                let status = if r.get::<_, bool>(1)? {
                    SheetStatus::Submitted
                } else {
                    SheetStatus::Draft
                };
                Ok((r.get(0)?, status))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every sheet's status: (entry, round, judge) → status. For the organiser's progress view.
    pub fn all_sheet_statuses(&self) -> Result<Vec<(String, String, String, SheetStatus)>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT entry, round, judge, status FROM sheets")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    SheetStatus::parse(&r.get::<_, String>(3)?),
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Totals of every submitted sheet, for the tally (calibration samples left out).
    pub fn sheet_totals(&self) -> Result<Vec<SheetTotal>> {
        // One scan of the sheets' stored totals (src/store/tally_scan.rs).
        self.submitted_sheet_totals()
    }

    /// How many scores [`Store::all_scores`] gives, from the sheets' stored counts (one row per
    /// sheet, not per score).
    pub fn submitted_score_count(&self) -> Result<usize> {
        let n: i64 = self.conn().query_row(
            "SELECT COALESCE(SUM(criteria), 0) FROM sheets
             WHERE status = 'submitted' AND entry NOT IN (SELECT entry FROM calibration)",
            [],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// Every stored score of submitted sheets, for exports of the raw data (calibration samples
    /// left out: they are not part of the results).
    pub fn all_scores(&self) -> Result<Vec<ScoreInput>> {
        let mut stmt = self.conn().prepare(
            "SELECT s.judge, s.entry, s.round, s.criterion, s.value FROM scores s
             JOIN sheets h ON h.entry = s.entry AND h.round = s.round AND h.judge = s.judge
             WHERE h.status = 'submitted' AND s.entry NOT IN (SELECT entry FROM calibration) ORDER BY s.entry, s.round, s.judge, s.criterion",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ScoreInput {
                    judge: r.get(0)?,
                    entry: r.get(1)?,
                    round: r.get(2)?,
                    criterion: r.get(3)?,
                    value: Points(r.get(4)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// One sheet's status and values in one cached query (an import reads every sheet it touches).
    pub fn stored_sheet(
        &self,
        judge: &str,
        entry: &str,
        round: &str,
    ) -> Result<Option<(SheetStatus, BTreeMap<String, Points>)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT h.status, s.criterion, s.value FROM sheets h
             LEFT JOIN scores s ON s.entry = h.entry AND s.round = h.round AND s.judge = h.judge
             WHERE h.entry = ?1 AND h.round = ?2 AND h.judge = ?3",
        )?;
        let mut rows = stmt.query(params![entry, round, judge])?;
        let mut sheet: Option<(SheetStatus, BTreeMap<String, Points>)> = None;
        while let Some(r) = rows.next()? {
            let (_, values) = sheet.get_or_insert_with(|| (SheetStatus::Draft, BTreeMap::new()));
            if let (Some(c), Some(v)) = (r.get::<_, Option<String>>(1)?, r.get::<_, Option<i64>>(2)?) {
                values.insert(c, Points(v));
            }
            if let Some(s) = sheet.as_mut() {
                s.0 = SheetStatus::parse(&r.get::<_, String>(0)?);
            }
        }
        Ok(sheet)
    }

    /// Every stored score, drafts included, with its sheet's status, for `jury export scores`
    /// (in key order: entry, round, judge, criterion).
    pub fn every_score(&self) -> Result<Vec<(ScoreInput, SheetStatus)>> {
        let mut stmt = self.conn().prepare(
            "SELECT s.judge, s.entry, s.round, s.criterion, s.value, h.status FROM scores s
             JOIN sheets h ON h.entry = s.entry AND h.round = s.round AND h.judge = s.judge
             ORDER BY s.entry, s.round, s.judge, s.criterion",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    ScoreInput {
                        judge: r.get(0)?,
                        entry: r.get(1)?,
                        round: r.get(2)?,
                        criterion: r.get(3)?,
                        value: Points(r.get(4)?),
                    },
                    SheetStatus::parse(&r.get::<_, String>(5)?),
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn comment(&self, judge: &str, entry: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT text FROM comments WHERE judge = ?1 AND entry = ?2",
                params![judge, entry],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// One judge's sheets of some entries (round, status by round, per entry), in one query:
    /// the judges' first page (100 rows) without a query per row, which SQLite compiled again
    /// at each use (the plan depends on the values bound: the workspace's statistics).
    pub fn judge_sheets_among(
        &self,
        judge: &str,
        entries: &[&str],
    ) -> Result<HashMap<String, Vec<(String, SheetStatus)>>> {
        let mut out: HashMap<String, Vec<(String, SheetStatus)>> = HashMap::new();
        // Bounded by SQLite's limit of bound values, a chunk at a time.
        for chunk in entries.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut stmt = self.conn().prepare(&format!(
                "SELECT entry, round, status = 'submitted' FROM sheets WHERE judge = ? AND entry IN ({marks}) ORDER BY entry, round"
            ))?;
            let values = std::iter::once(judge).chain(chunk.iter().copied());
            let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
            while let Some(r) = rows.next()? {
                let status = if r.get::<_, bool>(2)? {
                    SheetStatus::Submitted
                } else {
                    SheetStatus::Draft
                };
                out.entry(r.get(0)?).or_default().push((r.get(1)?, status));
            }
        }
        Ok(out)
    }
}

impl Tx<'_> {
    /// Store imported scores: each touched sheet counts as submitted (it is a signed paper sheet).
    /// Call inside [`Store::write`].
    pub fn put_imported_scores<'a>(&self, scores: impl IntoIterator<Item = &'a ScoreInput>) -> Result<()> {
        let now = now_text();
        let conn = self.conn();
        let mut sheet = conn.prepare_cached(
            "INSERT INTO sheets(entry, round, judge, status, updated_at, submitted_at) VALUES (?1, ?2, ?3, 'submitted', ?4, ?4)
             ON CONFLICT(entry, round, judge) DO UPDATE SET status = 'submitted', updated_at = excluded.updated_at,
               submitted_at = COALESCE(sheets.submitted_at, excluded.submitted_at)",
        )?;
        let mut score = conn.prepare_cached(
            "INSERT INTO scores(entry, round, judge, criterion, value, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(entry, round, judge, criterion) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )?;
        let mut last_sheet: Option<(&str, &str, &str)> = None;
        for s in scores {
            let key = (s.entry.as_str(), s.round.as_str(), s.judge.as_str());
            if last_sheet != Some(key) {
                sheet.execute(params![s.entry, s.round, s.judge, now])?;
                last_sheet = Some(key);
            }
            score.execute(params![s.entry, s.round, s.judge, s.criterion, s.value.units(), now])?;
        }
        Ok(())
    }

    /// Write one draft score (or clear it with `None`), creating the draft sheet if needed.
    /// The caller has checked the value and the sheet's status. Call inside [`Store::write`].
    pub fn put_draft_score(
        &self,
        judge: &str,
        entry: &str,
        round: &str,
        criterion: &str,
        value: Option<Points>,
    ) -> Result<()> {
        let now = now_text();
        // Cached statements: the server's writer runs these for every save (each statement
        // compiles the seal's triggers with it; compiling was a third of the writer's time).
        self.conn()
            .prepare_cached(
                "INSERT INTO sheets(entry, round, judge, status, updated_at) VALUES (?1, ?2, ?3, 'draft', ?4)
             ON CONFLICT(entry, round, judge) DO UPDATE SET updated_at = excluded.updated_at",
            )?
            .execute(params![entry, round, judge, now])?;
        match value {
            Some(v) => self
                .conn()
                .prepare_cached(
                    "INSERT INTO scores(entry, round, judge, criterion, value, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(entry, round, judge, criterion) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                )?
                .execute(params![entry, round, judge, criterion, v.units(), now])?,
            None => self
                .conn()
                .prepare_cached(
                    "DELETE FROM scores WHERE entry = ?1 AND round = ?2 AND judge = ?3 AND criterion = ?4",
                )?
                .execute(params![entry, round, judge, criterion])?,
        };
        Ok(())
    }

    /// Set a sheet's status. Call inside [`Store::write`].
    pub fn set_sheet_status(&self, judge: &str, entry: &str, round: &str, status: SheetStatus) -> Result<()> {
        let now = now_text();
        let submitted_at = (status == SheetStatus::Submitted).then_some(now.as_str());
        self.conn()
            .prepare_cached(
                "INSERT INTO sheets(entry, round, judge, status, updated_at, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(entry, round, judge) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
               submitted_at = excluded.submitted_at",
            )?
            .execute(params![entry, round, judge, status.as_str(), now, submitted_at])?;
        Ok(())
    }

    /// Set or clear (empty text) a judge's comment on an entry. Call inside [`Store::write`].
    pub fn put_comment(&self, judge: &str, entry: &str, text: &str) -> Result<()> {
        if text.trim().is_empty() {
            self.conn().execute(
                "DELETE FROM comments WHERE judge = ?1 AND entry = ?2",
                params![judge, entry],
            )?;
        } else {
            self.conn().execute(
                "INSERT INTO comments(judge, entry, text, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(judge, entry) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                params![judge, entry, text, now_text()],
            )?;
        }
        Ok(())
    }
}
