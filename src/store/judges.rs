//! Judges, PINs and conflicts of interest (回避).

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::core::Judge;
use crate::error::Result;
use crate::secret::verify_secret;

/// A conflict of interest between a judge and an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub judge: String,
    pub entry: String,
    pub reason: String,
    /// Found from the judge's and the entry's organisation, not declared.
    pub automatic: bool,
}

/// The reason recorded for conflicts found by organisation.
pub const SAME_ORGANISATION: &str = "same organisation";

impl Store {
    /// Insert judges (with their PIN hashes) or replace stored ones. Call inside [`Store::write`].
    pub fn put_judges(&self, judges: &[(Judge, String)]) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO judges(id, name, organization, county, pin_hash) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, organization = excluded.organization,
               county = excluded.county, pin_hash = excluded.pin_hash",
        )?;
        for (j, hash) in judges {
            stmt.execute(params![j.id, j.name, j.organization, j.county, hash])?;
        }
        Ok(())
    }

    pub fn judges(&self) -> Result<Vec<Judge>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, name, organization, county FROM judges ORDER BY seq")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Judge {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    organization: r.get(2)?,
                    county: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn judge(&self, id: &str) -> Result<Option<Judge>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, name, organization, county FROM judges WHERE id = ?1",
                [id],
                |r| {
                    Ok(Judge {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        organization: r.get(2)?,
                        county: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// A judge's stored PIN hash (never shown; an update that keeps the PIN writes it back).
    pub fn judge_pin_hash(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT pin_hash FROM judges WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    /// Check a judge's PIN against the stored hash.
    pub fn verify_pin(&self, judge: &str, pin: &str) -> Result<bool> {
        let hash: Option<String> = self
            .conn()
            .query_row("SELECT pin_hash FROM judges WHERE id = ?1", [judge], |r| r.get(0))
            .optional()?;
        Ok(hash.is_some_and(|h| verify_secret(pin.trim(), &h)))
    }

    /// Declare a conflict. Call inside [`Store::write`].
    pub fn put_conflict(&self, judge: &str, entry: &str, reason: &str) -> Result<bool> {
        let n = self.conn().execute(
            "INSERT INTO conflicts(judge, entry, reason) VALUES (?1, ?2, ?3)
             ON CONFLICT(judge, entry) DO UPDATE SET reason = excluded.reason",
            params![judge, entry, reason],
        )?;
        Ok(n > 0)
    }

    /// Remove a declared conflict; `false` when there was none. Call inside [`Store::write`].
    pub fn delete_conflict(&self, judge: &str, entry: &str) -> Result<bool> {
        let n = self.conn().execute(
            "DELETE FROM conflicts WHERE judge = ?1 AND entry = ?2",
            params![judge, entry],
        )?;
        Ok(n > 0)
    }

    /// Every conflict, declared and automatic, by judge then entry.
    pub fn conflicts(&self) -> Result<Vec<ConflictRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT judge, entry, reason, 0 FROM conflicts
             UNION ALL
             SELECT j.id, e.id, ?1, 1 FROM judges j JOIN entries e
               ON e.organization = j.organization AND j.organization <> ''
               WHERE NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.judge = j.id AND c.entry = e.id)
             ORDER BY 1, 2",
        )?;
        let rows = stmt
            .query_map([SAME_ORGANISATION], |r| {
                Ok(ConflictRow {
                    judge: r.get(0)?,
                    entry: r.get(1)?,
                    reason: r.get(2)?,
                    automatic: r.get::<_, i64>(3)? == 1,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The conflict between a judge and an entry, if any (declared first, then organisation).
    pub fn conflict(&self, judge: &str, entry: &str) -> Result<Option<ConflictRow>> {
        let declared: Option<String> = self
            .conn()
            .query_row(
                "SELECT reason FROM conflicts WHERE judge = ?1 AND entry = ?2",
                params![judge, entry],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(reason) = declared {
            return Ok(Some(ConflictRow {
                judge: judge.into(),
                entry: entry.into(),
                reason,
                automatic: false,
            }));
        }
        let same_org: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM judges j JOIN entries e ON e.organization = j.organization
               WHERE j.id = ?1 AND e.id = ?2 AND j.organization <> '')",
            params![judge, entry],
            |r| r.get(0),
        )?;
        Ok(same_org.then(|| ConflictRow {
            judge: judge.into(),
            entry: entry.into(),
            reason: SAME_ORGANISATION.into(),
            automatic: true,
        }))
    }
}
