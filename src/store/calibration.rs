//! Calibration samples (试评): entries every judge scores before real scoring, to compare judges'
//! severity. They never enter results: [`Store::tally_entries`] and [`Store::sheet_totals`] leave
//! them out, so every tally, export and statistic skips them.

use std::collections::HashSet;

use rusqlite::params;

use super::{Store, Tx, now_text};
use crate::core::Points;
use crate::core::tally::SheetTotal;
use crate::error::Result;

impl Store {
    /// The calibration samples' ids.
    pub fn calibration_entries(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn().prepare_cached("SELECT entry FROM calibration")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// Totals of every submitted sheet on calibration samples (the same shape as the tally's).
    pub fn calibration_sheet_totals(&self) -> Result<Vec<SheetTotal>> {
        let mut stmt = self.conn().prepare(
            "SELECT s.entry, s.round, s.judge, SUM(s.value), COUNT(*)
             FROM scores s JOIN sheets h ON h.entry = s.entry AND h.round = s.round AND h.judge = s.judge
             WHERE h.status = 'submitted' AND s.entry IN (SELECT entry FROM calibration)
             GROUP BY s.entry, s.round, s.judge
             ORDER BY s.entry, s.round, s.judge",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SheetTotal {
                    entry: r.get(0)?,
                    round: r.get::<_, String>(1)?.into(),
                    judge: r.get::<_, String>(2)?.into(),
                    total: Points(r.get(3)?),
                    criteria: r.get::<_, i64>(4)? as usize,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

impl Tx<'_> {
    /// Mark (or unmark) an entry as a calibration sample; `true` when something changed.
    /// Call inside [`Store::write`].
    pub fn set_calibration(&self, entry: &str, sample: bool) -> Result<bool> {
        let n = if sample {
            self.conn().execute(
                "INSERT OR IGNORE INTO calibration(entry, added_at) VALUES (?1, ?2)",
                params![entry, now_text()],
            )?
        } else {
            self.conn()
                .execute("DELETE FROM calibration WHERE entry = ?1", [entry])?
        };
        Ok(n > 0)
    }
}
