//! The tally's read of the scores, fast at any size: one pass over `scores` (summed per sheet by a
//! GROUP BY that follows the primary key, so it needs no sort) and one over the submitted `sheets`,
//! both in primary-key order, merged in Rust. A JOIN looks every score's sheet up in the sheets
//! index (3.5M B-tree searches for 100k cases × 7 judges × 5 criteria); two sequential scans read
//! each page once.

use std::collections::HashSet;

use super::Store;
use crate::core::Points;
use crate::core::tally::SheetTotal;
use crate::error::Result;

/// A sheet's key as borrowed from the current row, compared bytewise: SQLite's BINARY collation,
/// the order both primary keys are stored in, is the byte order of the UTF-8 text, as `str`'s.
type Key<'a> = (&'a str, &'a str, &'a str);

/// Column `i` of `row` as text borrowed from the row (no allocation).
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// The submitted sheets' keys, read forward in key order alongside the scores.
struct SubmittedCursor<'s> {
    rows: rusqlite::Rows<'s>,
    /// The current sheet's key, kept in reused buffers; `None` once the scan is over.
    current: Option<(String, String, String)>,
}

impl SubmittedCursor<'_> {
    fn advance(&mut self) -> Result<()> {
        match self.rows.next()? {
            Some(row) => {
                let (entry, round, judge) = (text(row, 0)?, text(row, 1)?, text(row, 2)?);
                let slot = self.current.get_or_insert_with(Default::default);
                for (buffer, text) in [(&mut slot.0, entry), (&mut slot.1, round), (&mut slot.2, judge)] {
                    buffer.clear();
                    buffer.push_str(text);
                }
            }
            None => self.current = None,
        }
        Ok(())
    }

    /// Whether the sheet `key` is submitted. Keys must be asked in ascending order.
    fn contains(&mut self, key: Key<'_>) -> Result<bool> {
        loop {
            let Some((e, r, j)) = &self.current else {
                return Ok(false);
            };
            match (e.as_str(), r.as_str(), j.as_str()).cmp(&key) {
                std::cmp::Ordering::Less => self.advance()?,
                std::cmp::Ordering::Equal => return Ok(true),
                std::cmp::Ordering::Greater => return Ok(false),
            }
        }
    }
}

/// Below this many entries one scan is quick enough; above, each half of the entries is scanned on
/// its own connection and thread.
const PARALLEL_ENTRIES: i64 = 20_000;

impl Store {
    /// Totals of every submitted sheet (calibration samples left out), in key order: what
    /// `SELECT … FROM scores JOIN sheets … WHERE status = 'submitted' GROUP BY entry, round, judge`
    /// gives, computed with sequential scans. Call inside [`Store::read`] for one snapshot.
    ///
    /// On large workspaces the second half of the entries is scanned by a second connection on
    /// another thread. Its snapshot is used only if it ends at the same audit row as this
    /// connection's (every change appends one, in the same transaction); otherwise this
    /// connection scans that half too, so the result is always one consistent snapshot.
    pub fn submitted_sheet_totals(&self) -> Result<Vec<SheetTotal>> {
        let entries = self.entry_count()?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if entries < PARALLEL_ENTRIES || threads < 2 {
            return self.scan_sheet_totals(None, None);
        }
        let middle: String = self.conn().query_row(
            "SELECT id FROM entries ORDER BY id LIMIT 1 OFFSET ?1",
            [entries / 2],
            |r| r.get(0),
        )?;
        let head = self.audit_head()?;
        let path = self.path().to_path_buf();
        let (first, second) = std::thread::scope(|scope| {
            let middle = middle.as_str();
            let other = scope.spawn(move || -> Result<_> {
                let store = Store::open(&path)?;
                store.read(|s| Ok((s.audit_head()?, s.scan_sheet_totals(Some(middle), None)?)))
            });
            let first = self.scan_sheet_totals(None, Some(middle));
            let second = match other.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            (first, second)
        });
        let mut totals = first?;
        match second {
            Ok((other_head, rest)) if other_head == head => totals.extend(rest),
            // Another snapshot (a commit came between the two), or no second connection.
            _ => totals.extend(self.scan_sheet_totals(Some(&middle), None)?),
        }
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
        let mut sheets_stmt = conn.prepare_cached(&format!(
            "SELECT entry, round, judge FROM sheets WHERE status = 'submitted' AND {range} ORDER BY entry, round, judge"
        ))?;
        let mut submitted = SubmittedCursor {
            rows: sheets_stmt.query(rusqlite::params![from, to])?,
            current: None,
        };
        submitted.advance()?;
        // SQLite sums each sheet's scores itself: the GROUP BY follows the primary key, so it needs
        // no sorting, and 700k rows cross into Rust instead of 3.5M (100k cases).
        let mut sheet_stmt = conn.prepare_cached(&format!(
            "SELECT entry, round, judge, SUM(value), COUNT(*) FROM scores WHERE {range}
             GROUP BY entry, round, judge ORDER BY entry, round, judge"
        ))?;
        let mut sheets = sheet_stmt.query(rusqlite::params![from, to])?;
        let mut totals: Vec<SheetTotal> = Vec::new();
        while let Some(row) = sheets.next()? {
            let key: Key<'_> = (text(row, 0)?, text(row, 1)?, text(row, 2)?);
            if submitted.contains(key)? && !calibration.contains(key.0) {
                totals.push(SheetTotal {
                    entry: key.0.to_string(),
                    round: key.1.to_string(),
                    judge: key.2.to_string(),
                    total: Points(row.get(3)?),
                    criteria: row.get::<_, i64>(4)? as usize,
                });
            }
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
                round: r.get(1)?,
                judge: r.get(2)?,
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
        let store = Store::open(&dir.path().join("w.jury")).unwrap();
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
    }
}
