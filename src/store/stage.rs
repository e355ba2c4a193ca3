//! What the live stage and the projector read: submitted round totals in submission order.

use rusqlite::params;

use super::Store;
use crate::core::Points;
use crate::error::Result;

/// One judge's submitted round total, as the projector reveals it (亮分).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedTotal {
    pub judge: String,
    pub total: Points,
    /// How many criteria the sheet has values for (the tally counts only complete sheets).
    pub criteria: usize,
    pub submitted_at: String,
}

impl Store {
    /// The submitted sheets of one entry and round with their totals, earliest submission first
    /// (ties by judge id, so the order is stable between polls).
    pub fn submitted_totals(&self, entry: &str, round: &str) -> Result<Vec<SubmittedTotal>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT h.judge, COALESCE(SUM(s.value), 0), COUNT(s.value), COALESCE(h.submitted_at, h.updated_at)
             FROM sheets h LEFT JOIN scores s ON s.entry = h.entry AND s.round = h.round AND s.judge = h.judge
             WHERE h.entry = ?1 AND h.round = ?2 AND h.status = 'submitted'
             GROUP BY h.judge
             ORDER BY 4, 1",
        )?;
        let rows = stmt
            .query_map(params![entry, round], |r| {
                Ok(SubmittedTotal {
                    judge: r.get(0)?,
                    total: Points(r.get(1)?),
                    criteria: r.get::<_, i64>(2)? as usize,
                    submitted_at: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Sheets the organiser reopened that are not submitted again yet, as (entry, round, judge):
    /// a draft with a `reopen` row in the audit trail.
    pub fn reopened_sheets(&self) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT h.entry, h.round, h.judge FROM sheets h
             WHERE h.status = 'draft' AND EXISTS (
               SELECT 1 FROM audit a
               WHERE a.action = 'reopen' AND a.entry = h.entry AND a.judge = h.judge AND a.detail = h.round)
             ORDER BY 1, 2, 3",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
