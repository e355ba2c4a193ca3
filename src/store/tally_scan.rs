//! The tally's read of the scores, fast at any size: each sheet keeps the sum and the count of its
//! scores (kept by triggers, schema migration 6), so the tally reads one row per submitted sheet in
//! primary-key order (700k rows for 100k cases × 7 judges) and never the 3.5M scores.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::Store;
use super::two_cores::worth_splitting;
use crate::core::Points;
use crate::core::tally::{SheetRow, SheetRows, SheetTotal, TallyEntry};
use crate::error::Result;

/// From this many entries on, [`Store::submitted_sheet_rows`] reads the second half of the sheets
/// on another core. Lower than for other reads: a second connection costs a few milliseconds, the
/// sheets of 5,000 entries (35,000 rows) take longer than that to read.
const SPLIT_ENTRIES: usize = 5_000;

/// Whether two short ids are the same bytes, compared in the loop here: `==` on slices calls
/// `memcmp` through the C library, and the scan compares three ids of a few bytes on each of its
/// 700k rows at 100k entries (4 % of a tally's CPU went to `memcmp`).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The place of the id in column `i` of `row` in `pool` (added when new), found by the column's
/// bytes (the last one found tried first).
fn intern_at(pool: &mut Vec<Arc<str>>, last: &mut usize, row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u32> {
    let bytes = bytes(row, i)?;
    if let Some(id) = pool.get(*last)
        && same(id.as_bytes(), bytes)
    {
        return Ok(*last as u32);
    }
    if let Some(at) = pool.iter().position(|id| same(id.as_bytes(), bytes)) {
        *last = at;
        return Ok(at as u32);
    }
    *last = pool.len();
    pool.push(Arc::from(text(row, i)?));
    Ok(*last as u32)
}

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

/// Sheets as one part of the scan reads them: each entry numbered by the order the scan meets it
/// in (its id is `ids[ends[k]..ends[k + 1]]`, all ids in one buffer), made the tally's entry
/// numbers once every part and the entries are read ([`ScannedRows::resolve`]).
struct ScannedRows {
    rows: SheetRows,
    ids: Vec<u8>,
    ends: Vec<usize>,
}

impl ScannedRows {
    /// The rows with the tally's entry numbers (`index`: entry id to number); rows of entries
    /// not in it (calibration samples, withdrawn entries) are left out.
    fn resolve(self, index: &HashMap<&[u8], u32>) -> SheetRows {
        let numbers: Vec<Option<u32>> = self
            .ends
            .windows(2)
            .map(|w| index.get(&self.ids[w[0]..w[1]]).copied())
            .collect();
        let mut rows = self.rows;
        rows.rows
            .retain_mut(|r| match numbers.get(r.entry as usize).copied().flatten() {
                Some(e) => {
                    r.entry = e;
                    true
                }
                None => false,
            });
        rows
    }
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

    /// What the tally is computed from, by numbers: the tally's entries ([`Store::tally_entries`])
    /// and every submitted sheet's total of them, the entry by its index in those entries, the
    /// round by its index in `rounds` (the rubric's round ids; sheets of other rounds and of
    /// entries left out of the tally are left out), the judge by its index in the rows' `judges`.
    /// Call inside [`Store::read`] for one snapshot. On large workspaces the sheets of the last
    /// entries (by id) are read on another core while this one reads the entries and the first
    /// sheets ([`Store::read_beside`]: the other half is kept only if it was read in the same
    /// state of the workspace, else read again here).
    pub fn tally_inputs_by_numbers(&self, rounds: &[&str]) -> Result<(Vec<TallyEntry>, SheetRows)> {
        let count = self.entry_count()?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (entries, parts) = if count < SPLIT_ENTRIES as i64 || cores < 2 {
            let entries = self.tally_entries()?;
            let rows = self.scan_sheet_rows(rounds, None, None)?;
            (entries, vec![rows])
        } else {
            // This core also reads the entries: it takes the smaller share of the sheets.
            let middle: String = self.conn().query_row(
                "SELECT id FROM entries ORDER BY id LIMIT 1 OFFSET ?1",
                [count * 2 / 5],
                |r| r.get(0),
            )?;
            let ((entries, first), rest) = self.read_beside(
                |s| Ok((s.tally_entries()?, s.scan_sheet_rows(rounds, None, Some(&middle))?)),
                |s| s.scan_sheet_rows(rounds, Some(&middle), None),
            )?;
            (entries, vec![first, rest])
        };
        let index: HashMap<&[u8], u32> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_bytes(), i as u32))
            .collect();
        let mut rows = SheetRows::default();
        for part in parts {
            rows.append(part.resolve(&index));
        }
        drop(index);
        Ok((entries, rows))
    }

    /// The submitted sheets with `from <= entry < to` (either end open), each entry numbered by
    /// the order the scan meets it in (see [`ScannedRows`]).
    fn scan_sheet_rows(&self, rounds: &[&str], from: Option<&str>, to: Option<&str>) -> Result<ScannedRows> {
        let range = match (from, to) {
            (Some(_), Some(_)) => "entry >= ?1 AND entry < ?2",
            (Some(_), None) => "entry >= ?1 AND ?2 IS NULL",
            (None, Some(_)) => "?1 IS NULL AND entry < ?2",
            (None, None) => "(?1 IS NULL OR ?2 IS NULL)",
        };
        // A submitted sheet without scores has nothing to count, as in a JOIN with `scores`.
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT entry, round, judge, total, criteria FROM sheets
             WHERE status = 'submitted' AND criteria > 0 AND {range} ORDER BY entry, round, judge"
        ))?;
        let mut rows = stmt.query(rusqlite::params![from, to])?;
        let mut out = ScannedRows {
            rows: SheetRows::default(),
            ids: Vec::new(),
            ends: vec![0],
        };
        let mut last_judge = 0;
        let mut last_round = 0;
        // The rows come by entry: a new entry's id is appended to `ids` once per run of its sheets.
        let mut entry: u32 = 0;
        let mut last = 0..0;
        let mut first = true;
        while let Some(row) = rows.next()? {
            let id = bytes(row, 0)?;
            if first || !same(id, &out.ids[last.clone()]) {
                first = false;
                let start = out.ids.len();
                out.ids.extend_from_slice(id);
                out.ends.push(out.ids.len());
                last = start..out.ids.len();
                entry = (out.ends.len() - 2) as u32;
            }
            let round = bytes(row, 1)?;
            let round = if rounds.get(last_round).is_some_and(|r| same(r.as_bytes(), round)) {
                last_round
            } else {
                match rounds.iter().position(|r| same(r.as_bytes(), round)) {
                    Some(at) => {
                        last_round = at;
                        at
                    }
                    None => continue,
                }
            };
            out.rows.rows.push(SheetRow {
                entry,
                round: round as u32,
                judge: intern_at(&mut out.rows.judges, &mut last_judge, row, 2)?,
                total: Points(row.get(3)?),
                criteria: u32::try_from(row.get::<_, i64>(4)?).unwrap_or(u32::MAX),
            });
        }
        Ok(out)
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

    #[test]
    fn ids_are_the_same_only_byte_for_byte() {
        assert!(same(b"PW01", b"PW01"));
        assert!(same(b"", b""));
        assert!(!same(b"PW01", b"PW02"));
        assert!(!same(b"PW01", b"PW010"));
        assert!(!same(b"PW010", b"PW01"));
        assert!(!same(b"", b"P"));
        assert!(same("评委一".as_bytes(), "评委一".as_bytes()));
        assert!(!same("评委一".as_bytes(), "评委二".as_bytes()));
    }
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

    /// A workspace large enough for the scan by numbers to read on two cores, with every kind of
    /// sheet: complete, short of a criterion, a draft, a calibration sample's, a withdrawn
    /// entry's, and judges met in another order in each half.
    fn two_core_workspace(path: &std::path::Path) -> (Store, Vec<crate::core::Entry>) {
        let store = Store::create(path).unwrap();
        let (f, src) = template_source("cases").unwrap();
        store.init(f, src, None).unwrap();
        let groups = ["亲子沟通", "习惯培养", "情感教育", "学习焦虑"];
        let count = SPLIT_ENTRIES + 37;
        let entries: Vec<crate::core::Entry> = (0..count)
            .map(|i| crate::core::Entry {
                id: format!("E{:05}", (i * 7919) % count),
                title: format!("案例{i}"),
                group: Some(groups[i % 4].to_string()),
                ..Default::default()
            })
            .collect();
        let criteria = ["background", "problem", "strategy", "outcome", "value"];
        let judges = ["J1", "J10", "J2", "J3", "J4", "Z9"];
        store
            .write(|s| {
                s.put_entries(&entries)?;
                for j in judges {
                    s.conn()
                        .execute("INSERT INTO judges(id, name, pin_hash) VALUES (?1, ?1, 'x')", [j])?;
                }
                let mut all = Vec::new();
                for (i, e) in entries.iter().enumerate() {
                    // Between 2 and 6 judges, the later half of the ids with the judges reversed.
                    let n = 2 + i % 5;
                    let mut mine: Vec<&str> = judges[..n].to_vec();
                    if e.id.as_str() > "E02500" {
                        mine.reverse();
                    }
                    for (k, j) in mine.iter().enumerate() {
                        // One sheet in 11 is short of a criterion: it does not count.
                        let short = (i + k) % 11 == 0;
                        for (c, criterion) in criteria.iter().enumerate() {
                            if short && c == 4 {
                                continue;
                            }
                            all.push(ScoreInput {
                                judge: j.to_string(),
                                entry: e.id.clone(),
                                round: "review".into(),
                                criterion: criterion.to_string(),
                                value: Points(((i * 31 + k * 17 + c * 7) % 200) as i64 * 500),
                            });
                        }
                    }
                }
                all.sort_by(|a, b| (&a.entry, &a.round, &a.judge).cmp(&(&b.entry, &b.round, &b.judge)));
                s.put_imported_scores(&all)?;
                s.set_sheet_status("J1", "E00003", "review", SheetStatus::Draft)?;
                s.conn()
                    .execute("INSERT INTO calibration(entry, added_at) VALUES ('E00004', 'now')", [])?;
                s.conn().execute(
                    "INSERT INTO withdrawals(entry, kind, reason, withdrawn_at) VALUES ('E04000', 'withdrawn', 'r', 'now')",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        (store, entries)
    }

    /// The tally read by numbers on two cores is the tally of the totals read as text.
    #[test]
    fn the_tally_by_numbers_is_the_tally_of_the_totals() {
        let dir = tempfile::tempdir().unwrap();
        let (store, entries) = two_core_workspace(&dir.path().join("w.jury"));
        let count = entries.len();
        let judges = ["J1", "J10", "J2", "J3", "J4", "Z9"];
        let rubric = store.rubric().unwrap();
        let rounds: Vec<&str> = rubric.rounds.iter().map(|r| r.id.as_str()).collect();
        let (tally_entries, rows, totals) = store
            .read(|s| {
                let (e, rows) = s.tally_inputs_by_numbers(&rounds)?;
                assert_eq!(e, s.tally_entries()?);
                Ok((e, rows, s.sheet_totals()?))
            })
            .unwrap();
        assert_eq!(
            tally_entries.len(),
            count - 2,
            "the calibration sample and the withdrawn entry left out"
        );
        // Every submitted sheet with scores, less those of the two entries left out.
        let of_left_out = totals.iter().filter(|t| t.entry == "E04000").count();
        assert_eq!(rows.rows.len(), totals.len() - of_left_out);
        assert_eq!(rows.judges.len(), judges.len());
        let by_numbers = crate::core::tally::tally_rows(rubric, &tally_entries, &rows);
        let by_text = crate::core::tally::tally(rubric, &tally_entries, &totals);
        assert_eq!(by_numbers, by_text);
        let ranked: usize = by_numbers.groups.iter().map(|g| g.ranked().count()).sum();
        let incomplete: usize = by_numbers.groups.iter().map(|g| g.incomplete().count()).sum();
        assert!(
            ranked > count / 2 && incomplete > count / 10,
            "{ranked} ranked, {incomplete} incomplete"
        );
        // The marks are in judge order (by id) whichever order each half met the judges in.
        let mut six = 0;
        for e in by_numbers.groups.iter().flat_map(|g| &g.entries) {
            let ids: Vec<&str> = e.rounds[0].marks.iter().map(|m| &*m.judge).collect();
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{}: {ids:?}", e.id);
            six += usize::from(ids == ["J1", "J10", "J2", "J3", "J4", "Z9"]);
        }
        assert!(six > 100, "{six}");
    }

    /// The two halves are one state of the workspace: a change committed by another connection
    /// after this read began (and before the second connection starts) is in neither half. The
    /// second connection's snapshot ends at another audit row, so its half is read again here.
    #[test]
    fn a_change_between_the_halves_is_in_neither() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.jury");
        let (store, _) = two_core_workspace(&path);
        let rubric = store.rubric().unwrap();
        let rounds: Vec<&str> = rubric.rounds.iter().map(|r| r.id.as_str()).collect();
        let read = |s: &crate::store::Read<'_>| -> Result<SheetRows> { Ok(s.tally_inputs_by_numbers(&rounds)?.1) };
        let before = store.read(read).unwrap();
        let middle: String = store
            .read(|s| {
                Ok(s.conn().query_row(
                    "SELECT id FROM entries ORDER BY id LIMIT 1 OFFSET ?1",
                    [s.entry_count()? / 2],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert!(middle.as_str() > "E00010" && middle.as_str() < "E05000", "{middle}");
        let during = store
            .read(|s| {
                let entries = s.tally_entries()?;
                // A sheet of each half reopened (audited) on another connection.
                Store::open(&path)?.write(|w| {
                    for entry in ["E00010", "E05000"] {
                        w.set_sheet_status("J1", entry, "review", SheetStatus::Draft)?;
                        w.audit(
                            &crate::store::Actor::Organiser,
                            &crate::store::AuditEvent::Reopen {
                                entry: entry.into(),
                                judge: "J1".into(),
                                round: "review".into(),
                                reason: "test".into(),
                            },
                        )?;
                    }
                    Ok(())
                })?;
                assert_eq!(entries.len(), s.entry_count()? as usize - 2);
                Ok(s.tally_inputs_by_numbers(&rounds)?.1)
            })
            .unwrap();
        assert_eq!(during, before);
        let after = store.read(read).unwrap();
        assert_eq!(after.rows.len(), before.rows.len() - 2);
    }
}
