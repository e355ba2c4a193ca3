//! The tally's read of the scores, fast at any size: each sheet keeps the sum and the count of its
//! scores (kept by triggers, schema migration 6), so the tally reads one row per submitted sheet in
//! primary-key order (700k rows for 100k cases × 7 judges) and never the 3.5M scores.

use std::collections::HashSet;
use std::sync::Arc;

use super::Store;
use super::two_cores::worth_splitting;
use crate::core::Points;
use crate::core::tally::SheetTotal;
use crate::error::Result;

/// One shared copy of each round and judge id: a contest has a handful of each, and the scan
/// meets them on every row. Looked up by the column's bytes (the last one found first), so a
/// known id is neither checked as UTF-8 nor copied again.
fn intern(pool: &mut Vec<Arc<str>>, last: &mut usize, row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Arc<str>> {
    let bytes = bytes(row, i)?;
    if let Some(id) = pool.get(*last)
        && id.as_bytes() == bytes
    {
        return Ok(Arc::clone(id));
    }
    if let Some(at) = pool.iter().position(|id| id.as_bytes() == bytes) {
        *last = at;
        return Ok(Arc::clone(&pool[at]));
    }
    let id: Arc<str> = Arc::from(text(row, i)?);
    *last = pool.len();
    pool.push(Arc::clone(&id));
    Ok(id)
}

/// Column `i` of `row` as the bytes of its text, borrowed from the row (not yet checked as UTF-8).
fn bytes<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r [u8]> {
    row.get_ref(i)?
        .as_bytes()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// Column `i` of `row` as text borrowed from the row (no allocation).
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

impl Store {
    /// Totals of every submitted sheet (calibration samples left out), in key order: what
    /// `SELECT … FROM scores JOIN sheets … WHERE status = 'submitted' GROUP BY entry, round, judge`
    /// gives. Call inside [`Store::read`] for one snapshot. On large workspaces the second half of
    /// the entries is read on another core ([`Store::read_beside`]).
    pub fn submitted_sheet_totals(&self) -> Result<Vec<SheetTotal>> {
        let entries = self.entry_count()?;
        if !worth_splitting(entries) {
            return self.scan_sheet_totals(None, None);
        }
        let middle: String = self.conn().query_row(
            "SELECT id FROM entries ORDER BY id LIMIT 1 OFFSET ?1",
            [entries / 2],
            |r| r.get(0),
        )?;
        let (mut totals, rest) = self.read_beside(
            |s| s.scan_sheet_totals(None, Some(&middle)),
            |s| s.scan_sheet_totals(Some(&middle), None),
        )?;
        totals.extend(rest);
        Ok(totals)
    }

    /// The submitted sheets' totals of the entries with `from <= id < to` (either end open).
    fn scan_sheet_totals(&self, from: Option<&str>, to: Option<&str>) -> Result<Vec<SheetTotal>> {
        let conn = self.conn();
        let range = match (from, to) {
            (Some(_), Some(_)) => "entry >= ?1 AND entry < ?2",
            (Some(_), None) => "entry >= ?1 AND ?2 IS NULL",
            (None, Some(_)) => "?1 IS NULL AND entry < ?2",
            (None, None) => "(?1 IS NULL OR ?2 IS NULL)",
        };
        let calibration: HashSet<String> = conn
            .prepare_cached("SELECT entry FROM calibration")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        // A submitted sheet without scores has nothing to count, as in a JOIN with `scores`.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT entry, round, judge, total, criteria FROM sheets
             WHERE status = 'submitted' AND criteria > 0 AND {range} ORDER BY entry, round, judge"
        ))?;
        let mut rows = stmt.query(rusqlite::params![from, to])?;
        let mut totals: Vec<SheetTotal> = Vec::new();
        let (mut rounds, mut judges): (Vec<Arc<str>>, Vec<Arc<str>>) = (Vec::new(), Vec::new());
        let (mut last_round, mut last_judge) = (0, 0);
        // The rows come by entry: the entry's id is checked, looked up among the calibration
        // samples and copied out once per run of its sheets, then cloned.
        let mut entry = String::new();
        let mut skip = true;
        let mut first = true;
        while let Some(row) = rows.next()? {
            let id = bytes(row, 0)?;
            if first || id != entry.as_bytes() {
                first = false;
                entry = text(row, 0)?.to_string();
                skip = calibration.contains(&entry);
            }
            if skip {
                continue;
            }
            totals.push(SheetTotal {
                entry: entry.clone(),
                round: intern(&mut rounds, &mut last_round, row, 1)?,
                judge: intern(&mut judges, &mut last_judge, row, 2)?,
                total: Points(row.get(3)?),
                criteria: row.get::<_, i64>(4)? as usize,
            });
        }
        Ok(totals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::template_source;
    use crate::store::{ScoreInput, SheetStatus};

    /// The JOIN + GROUP BY the scan replaces, as the oracle.
    fn by_sql(store: &Store) -> Vec<SheetTotal> {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT s.entry, s.round, s.judge, SUM(s.value), COUNT(*)
                 FROM scores s JOIN sheets h ON h.entry = s.entry AND h.round = s.round AND h.judge = s.judge
                 WHERE h.status = 'submitted' AND s.entry NOT IN (SELECT entry FROM calibration)
                 GROUP BY s.entry, s.round, s.judge ORDER BY s.entry, s.round, s.judge",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok(SheetTotal {
                entry: r.get(0)?,
                round: r.get::<_, String>(1)?.into(),
                judge: r.get::<_, String>(2)?.into(),
                total: Points(r.get(3)?),
                criteria: r.get::<_, i64>(4)? as usize,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    #[test]
    fn the_scan_gives_what_the_join_gives_with_drafts_and_calibration() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let (f, src) = template_source("cases").unwrap();
        store.init(f, src, None).unwrap();
        let entries: Vec<crate::core::Entry> = ["A1", "A2", "B1", "中1"]
            .iter()
            .map(|id| crate::core::Entry {
                id: id.to_string(),
                title: format!("案例{id}"),
                ..Default::default()
            })
            .collect();
        let score = |judge: &str, entry: &str, criterion: &str, units: i64| ScoreInput {
            judge: judge.into(),
            entry: entry.into(),
            round: "review".into(),
            criterion: criterion.into(),
            value: Points(units),
        };
        store
            .write(|s| {
                s.put_entries(&entries)?;
                for j in ["J1", "J2", "J10"] {
                    s.conn()
                        .execute("INSERT INTO judges(id, name, pin_hash) VALUES (?1, ?1, 'x')", [j])?;
                }
                let mut all = Vec::new();
                for e in ["A1", "A2", "B1", "中1"] {
                    for j in ["J1", "J10", "J2"] {
                        all.push(score(j, e, "background", 120_000));
                        all.push(score(j, e, "problem", 155_000));
                    }
                }
                all.sort_by(|a, b| (&a.entry, &a.round, &a.judge).cmp(&(&b.entry, &b.round, &b.judge)));
                s.put_imported_scores(&all)?;
                // A draft sheet: its scores must not count.
                s.set_sheet_status("J2", "A2", "review", SheetStatus::Draft)?;
                s.conn()
                    .execute("INSERT INTO calibration(entry, added_at) VALUES ('B1', 'now')", [])?;
                Ok(())
            })
            .unwrap();
        let fast = store.read(|s| s.submitted_sheet_totals()).unwrap();
        let oracle = by_sql(&store);
        assert_eq!(fast, oracle);
        assert_eq!(
            fast.len(),
            3 * 3 - 1,
            "4 entries x 3 judges, less a draft and the calibration sample's 3"
        );
        assert!(fast.iter().all(|t| t.total == Points(275_000) && t.criteria == 2));

        // The stored totals follow every kind of change: a value replaced, a score cleared, a
        // score added, and a sheet submitted again.
        store
            .write(|s| {
                s.put_draft_score("J2", "A2", "review", "background", Some(Points(80_000)))?;
                s.put_draft_score("J2", "A2", "review", "problem", None)?;
                s.put_draft_score("J2", "A2", "review", "strategy", Some(Points(35_000)))?;
                s.set_sheet_status("J2", "A2", "review", SheetStatus::Submitted)?;
                s.put_imported_scores(&[score("J1", "A1", "problem", 100_000)])?;
                Ok(())
            })
            .unwrap();
        let fast = store.read(|s| s.submitted_sheet_totals()).unwrap();
        assert_eq!(fast, by_sql(&store));
        let total_of = |entry: &str, judge: &str| {
            fast.iter()
                .find(|t| t.entry == entry && &*t.judge == judge)
                .map(|t| (t.total, t.criteria))
        };
        assert_eq!(total_of("A2", "J2"), Some((Points(115_000), 2)));
        assert_eq!(total_of("A1", "J1"), Some((Points(220_000), 2)));
        assert_eq!(fast.len(), 3 * 3);
    }
}
