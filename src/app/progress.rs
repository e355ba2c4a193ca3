//! What the organiser's console shows, read from the workspace in one snapshot ([`RoomData`]),
//! and the views computed from it as plain values (the progress matrix, lock targets, shortlist
//! rows and counts): the console only draws them. Nothing here draws.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::core::assign::Eligibility;
use crate::core::rubric::Rubric;
use crate::core::shortlist::{Marks, Status, Targets};
use crate::core::stats::{GroupRoundStats, group_round_stats};
use crate::core::tally::Tally;
use crate::core::{Entry, Judge};
use crate::error::Result;
use crate::store::Store;
pub use crate::store::{AuditRow, LockRow, SheetStatus};

/// Where the console keeps the shortlist targets last used, so a restart shows the same bars.
const TARGETS_META: &str = "console_shortlist_targets";

/// The contest a console opens on: its name and kind (before the passphrase, so nothing else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contest {
    pub name: String,
    pub kind: crate::core::Kind,
}

/// The contest in the workspace.
pub fn contest(store: &Store) -> Result<Contest> {
    let rubric = store.rubric()?;
    Ok(Contest {
        name: rubric.name.clone(),
        kind: rubric.kind,
    })
}

/// Everything the console needs, read in one consistent snapshot.
pub struct RoomData {
    pub rubric: Rubric,
    pub judges: Vec<Judge>,
    /// In import order.
    pub entries: Vec<Entry>,
    /// (entry, round, judge) → status.
    pub statuses: HashMap<(String, String, String), SheetStatus>,
    /// (judge, entry) → reason.
    pub conflicts: HashMap<(String, String), String>,
    pub eligibility: Eligibility,
    pub tally: Tally,
    pub stats: Vec<GroupRoundStats>,
    /// The calibration report (试评), when the workspace has samples.
    pub calibration: Option<crate::app::calibration::Report>,
    pub locks: Vec<LockRow>,
    pub shortlist: HashMap<String, (Status, Option<i64>)>,
    pub targets: Option<Targets>,
    /// The latest room actions, newest first (only loaded when asked for: the trail grows long).
    pub audit: Vec<AuditRow>,
    /// Cases only: the formal check's marks on the shortlist (形式审查未通过, 疑似重复).
    pub marks: HashMap<String, Marks>,
    /// The formal check's findings and the entries' version they were found at: read again
    /// (with every case's texts) only when the entries change, not on every judge's commit.
    pub findings: Findings,
    /// The entries under discussion (`jury discuss open`), in import order.
    pub discussed: Vec<String>,
}

/// The formal check's findings and the entries' version they were found at.
pub type Findings = (Option<String>, Vec<crate::core::check::Finding>);

impl RoomData {
    pub fn load(store: &Store, with_audit: bool) -> Result<RoomData> {
        RoomData::load_keeping(store, with_audit, None)
    }

    /// [`RoomData::load`], keeping from `previous` what has not changed since (the formal check).
    pub fn load_after(store: &Store, with_audit: bool, previous: Option<&RoomData>) -> Result<RoomData> {
        RoomData::load_keeping(store, with_audit, previous.map(|p| &p.findings))
    }

    /// [`RoomData::load`], keeping the formal check's `findings` of an earlier read when the
    /// entries have not changed since.
    pub fn load_keeping(store: &Store, with_audit: bool, findings: Option<&Findings>) -> Result<RoomData> {
        let rubric = store.rubric()?.clone();
        let snapshot = store.read(|s| {
            let statuses = s
                .all_sheet_statuses()?
                .into_iter()
                .map(|(entry, round, judge, status)| ((entry, round, judge), status))
                .collect();
            let conflicts = s
                .conflicts()?
                .into_iter()
                .map(|c| ((c.judge, c.entry), c.reason))
                .collect();
            let audit = if with_audit {
                let mut rows: Vec<AuditRow> = s
                    .audit_log(None, None)?
                    .into_iter()
                    .filter(|r| r.event().is_ok_and(|e| e.is_room_change()))
                    .collect();
                rows.reverse();
                rows.truncate(50);
                rows
            } else {
                Vec::new()
            };
            // Cases: the formal check's findings for the shortlist's marks, from the texts, unless
            // the entries are as they were when last checked.
            let version = s.meta("entries_version")?;
            let kept = findings.filter(|(v, _)| v.is_some() && *v == version).cloned();
            let (entries, findings) = match kept {
                Some(findings) => (s.entries()?, findings),
                None if rubric.kind == crate::core::Kind::Cases => {
                    let mut entries = s.entries_with_texts()?;
                    let findings = crate::core::check::formal_check(&rubric, &entries);
                    for e in &mut entries {
                        e.sections = Default::default();
                    }
                    (entries, (version, findings))
                }
                None => (s.entries()?, (version, Vec::new())),
            };
            Ok((
                (s.judges()?, findings),
                entries,
                statuses,
                conflicts,
                s.eligibility()?,
                (crate::app::tally::read_inputs(s)?, s.withdrawals()?),
                s.locks()?,
                s.shortlist()?,
                s.meta(TARGETS_META)?,
                audit,
                s.calibration_entries()?,
                s.calibration_sheet_totals()?,
            ))
        })?;
        let (
            (judges, findings),
            entries,
            statuses,
            conflicts,
            eligibility,
            ((tally_entries, sheets), withdrawn),
            locks,
            shortlist,
            targets,
            audit,
            samples,
            sample_sheets,
        ) = snapshot;
        let mut tally = crate::app::tally::compute(&rubric, &tally_entries, &sheets, None);
        tally.withdrawn = withdrawn;
        let marks =
            crate::core::shortlist::marks_of_findings(&findings.1, &crate::app::organiser::ranked_finals(&tally));
        let stats = group_round_stats(&rubric, &tally, &judges);
        let calibration = (!samples.is_empty()).then(|| {
            // Samples in import order, as `jury calibration report` lists them.
            let ordered: Vec<String> = entries
                .iter()
                .filter(|e| samples.contains(&e.id))
                .map(|e| e.id.clone())
                .collect();
            let names: Vec<(String, String)> = judges.iter().map(|j| (j.id.clone(), j.name.clone())).collect();
            crate::app::calibration::report_of(&rubric, &ordered, &sample_sheets, &names)
        });
        // Read after the snapshot: a discussion opened meanwhile changes no figure shown.
        let discussed = store.discussions()?;
        Ok(RoomData {
            judges,
            entries,
            statuses,
            conflicts,
            eligibility,
            tally,
            stats,
            calibration,
            locks,
            shortlist,
            targets: targets.as_deref().and_then(parse_targets),
            audit,
            rubric,
            marks,
            findings,
            discussed,
        })
    }

    pub fn judge_name(&self, id: &str) -> &str {
        self.judges.iter().find(|j| j.id == id).map_or("", |j| j.name.as_str())
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The entries of a group in running order, then id.
    pub fn group_entries(&self, group: &str) -> Vec<&Entry> {
        let mut list: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.group.as_deref() == Some(group))
            .collect();
        list.sort_by(|a, b| (a.order.unwrap_or(i64::MAX), &a.id).cmp(&(b.order.unwrap_or(i64::MAX), &b.id)));
        list
    }
}

/// Keep the shortlist targets the organiser entered, so a restart shows the same bars.
pub fn save_targets(store: &Store, targets: &Targets) -> Result<()> {
    let text = format!(
        "total={};min={};max={}",
        targets.total,
        targets.min_per_group,
        targets.max_per_county.map(|m| m.to_string()).unwrap_or_default()
    );
    store.write(|s| s.set_meta(TARGETS_META, &text))
}

fn parse_targets(text: &str) -> Option<Targets> {
    let mut targets = Targets::default();
    for part in text.split(';') {
        let (key, value) = part.split_once('=')?;
        match key {
            "total" => targets.total = value.parse().ok()?,
            "min" => targets.min_per_group = value.parse().ok()?,
            "max" => {
                targets.max_per_county = if value.is_empty() {
                    None
                } else {
                    Some(value.parse().ok()?)
                }
            }
            _ => {}
        }
    }
    Some(targets)
}

// ---- the progress matrix ----

/// One cell of the progress matrix: a judge's sheet for an entry in the chosen round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The judge is not on this entry (panel or per-entry assignment).
    NotAssigned,
    /// 回避: the judge may not score this entry.
    Conflict,
    NotStarted,
    Draft,
    Submitted,
}

impl Cell {
    /// Still to be done by this judge.
    pub fn outstanding(self) -> bool {
        matches!(self, Cell::NotStarted | Cell::Draft)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    pub entry: String,
    pub label: String,
    pub cells: Vec<Cell>,
    pub submitted: usize,
    /// Judges who may and should score it (assigned, not in conflict).
    pub expected: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matrix {
    /// Column judges: those who may score at least one entry of the group, or have a sheet in it.
    pub judges: Vec<String>,
    pub rows: Vec<MatrixRow>,
    /// Per column judge: (submitted, outstanding).
    pub per_judge: Vec<(usize, usize)>,
}

impl Matrix {
    /// The most sheets any judge still owes (0 when everyone is done).
    pub fn most_outstanding(&self) -> usize {
        self.per_judge.iter().map(|(_, o)| *o).max().unwrap_or(0)
    }

    pub fn total(&self) -> (usize, usize) {
        let submitted = self.rows.iter().map(|r| r.submitted).sum();
        let expected = self.rows.iter().map(|r| r.expected).sum();
        (submitted, expected)
    }
}

/// The progress of `group` in `round`.
pub fn matrix(data: &RoomData, group: &str, round: &str) -> Matrix {
    let entries = data.group_entries(group);
    let cell = |judge: &str, entry: &Entry| -> Cell {
        let status = data
            .statuses
            .get(&(entry.id.clone(), round.to_string(), judge.to_string()))
            .copied();
        if data.conflicts.contains_key(&(judge.to_string(), entry.id.clone())) {
            return Cell::Conflict;
        }
        match status {
            Some(SheetStatus::Submitted) => Cell::Submitted,
            Some(SheetStatus::Draft) => Cell::Draft,
            None if data.eligibility.allows(judge, &entry.id, entry.group.as_deref()) => Cell::NotStarted,
            None => Cell::NotAssigned,
        }
    };
    let judges: Vec<String> = data
        .judges
        .iter()
        .filter(|j| entries.iter().any(|e| cell(&j.id, e) != Cell::NotAssigned))
        .map(|j| j.id.clone())
        .collect();
    let mut per_judge = vec![(0usize, 0usize); judges.len()];
    let rows = entries
        .iter()
        .map(|e| {
            let cells: Vec<Cell> = judges.iter().map(|j| cell(j, e)).collect();
            for (i, c) in cells.iter().enumerate() {
                if *c == Cell::Submitted {
                    per_judge[i].0 += 1;
                } else if c.outstanding() {
                    per_judge[i].1 += 1;
                }
            }
            MatrixRow {
                entry: e.id.clone(),
                label: e.label().to_string(),
                submitted: cells.iter().filter(|c| **c == Cell::Submitted).count(),
                expected: cells
                    .iter()
                    .filter(|c| matches!(c, Cell::Submitted | Cell::Draft | Cell::NotStarted))
                    .count(),
                cells,
            }
        })
        .collect();
    Matrix {
        judges,
        rows,
        per_judge,
    }
}

// ---- locks ----

/// Something that can be locked: every group and/or every round when `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockTarget {
    pub group: Option<String>,
    pub round: Option<String>,
}

/// Every lock target: the whole contest, each round, each group, each group and round.
pub fn lock_targets(rubric: &Rubric) -> Vec<LockTarget> {
    let mut out = vec![LockTarget {
        group: None,
        round: None,
    }];
    for r in &rubric.rounds {
        out.push(LockTarget {
            group: None,
            round: Some(r.id.clone()),
        });
    }
    for g in &rubric.groups {
        out.push(LockTarget {
            group: Some(g.clone()),
            round: None,
        });
        if rubric.rounds.len() > 1 {
            for r in &rubric.rounds {
                out.push(LockTarget {
                    group: Some(g.clone()),
                    round: Some(r.id.clone()),
                });
            }
        }
    }
    out
}

/// The lock set exactly on `target`, if any.
pub fn exact_lock<'a>(locks: &'a [LockRow], target: &LockTarget) -> Option<&'a LockRow> {
    locks
        .iter()
        .find(|l| l.group == target.group && l.round == target.round)
}

/// A wider lock that covers all of `target` (e.g. the whole contest covers a group).
pub fn covering_lock<'a>(locks: &'a [LockRow], target: &LockTarget) -> Option<&'a LockRow> {
    locks.iter().find(|l| {
        (l.group != target.group || l.round != target.round)
            && l.group.as_ref().is_none_or(|g| target.group.as_ref() == Some(g))
            && l.round.as_ref().is_none_or(|r| target.round.as_ref() == Some(r))
    })
}

// ---- the shortlist ----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortRow {
    pub entry: String,
    pub title: String,
    pub group: String,
    pub county: String,
    /// The final as shown (rounded), `None` for incomplete entries.
    pub final_text: Option<String>,
    pub status: Status,
    pub batch: Option<i64>,
    /// The formal check's marks (empty when it has none).
    pub marks: Marks,
}

/// Every entry of every group: ranked ones by final (highest first), then incomplete ones.
pub fn shortlist_rows(data: &RoomData) -> Vec<ShortRow> {
    let mut ranked = Vec::new();
    let mut incomplete = Vec::new();
    for g in &data.tally.groups {
        for e in &g.entries {
            let (status, batch) = data.shortlist.get(&e.id).copied().unwrap_or((Status::Pending, None));
            let row = ShortRow {
                entry: e.id.clone(),
                title: e.title.clone(),
                group: e.group.clone(),
                county: data.entry(&e.id).map(|x| x.county.clone()).unwrap_or_default(),
                final_text: e.final_score.map(|f| data.tally.fmt(f)),
                status,
                batch,
                marks: data.marks.get(&e.id).cloned().unwrap_or_default(),
            };
            match e.final_score {
                Some(f) if e.complete => ranked.push((f, row)),
                _ => incomplete.push(row),
            }
        }
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.entry.cmp(&b.1.entry)));
    ranked.into_iter().map(|(_, r)| r).chain(incomplete).collect()
}

/// Chosen (shortlisted or selected) entries counted by group and by county.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChosenCounts {
    pub total: usize,
    /// In rubric group order, every group.
    pub by_group: Vec<(String, usize)>,
    /// Counties with at least one chosen entry, most first.
    pub by_county: Vec<(String, usize)>,
    /// Per status, in `Status::ALL` order.
    pub by_status: Vec<(Status, usize)>,
}

pub fn chosen_counts(data: &RoomData, rows: &[ShortRow]) -> ChosenCounts {
    let chosen = |r: &&ShortRow| matches!(r.status, Status::Shortlisted | Status::Selected);
    let by_group = data
        .rubric
        .groups
        .iter()
        .map(|g| (g.clone(), rows.iter().filter(chosen).filter(|r| &r.group == g).count()))
        .collect();
    let mut counties: BTreeMap<String, usize> = BTreeMap::new();
    for r in rows.iter().filter(chosen) {
        *counties.entry(r.county.clone()).or_default() += 1;
    }
    let mut by_county: Vec<(String, usize)> = counties.into_iter().collect();
    by_county.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ChosenCounts {
        total: rows.iter().filter(chosen).count(),
        by_group,
        by_county,
        by_status: Status::ALL
            .iter()
            .map(|s| (*s, rows.iter().filter(|r| r.status == *s).count()))
            .collect(),
    }
}

/// The judges who may score `entry` now (for turning an open entry into an explicit list).
pub fn allowed_judges(data: &RoomData, entry: &Entry) -> HashSet<String> {
    data.judges
        .iter()
        .filter(|j| data.eligibility.allows(&j.id, &entry.id, entry.group.as_deref()))
        .filter(|j| !data.conflicts.contains_key(&(j.id.clone(), entry.id.clone())))
        .map(|j| j.id.clone())
        .collect()
}

// ---- what a lock would leave unscored ----

/// An entry a lock would close with sheets still to come: its group, the round (id and name) and
/// the judges who may score it and have not submitted (a draft, or not started).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unscored {
    pub entry: String,
    pub group: String,
    pub round: String,
    pub round_name: String,
    pub missing: Vec<String>,
}

/// The entries that `jury lock` on `group` / `round` (every group / round when `None`) would close
/// while some of their judges (assigned, not in conflict) have not submitted the round's sheet;
/// withdrawn entries do not count. Groups in the rubric's order, then the running order, then the
/// rounds. A read: the command line asks before it locks (here or, under `jury serve`, before it
/// forwards the lock).
pub fn unscored_for_lock(store: &Store, group: Option<&str>, round: Option<&str>) -> Result<Vec<Unscored>> {
    let rubric = store.rubric()?;
    if let Some(g) = group
        && !rubric.has_group(g)
    {
        return Err(crate::core::organiser::OrganiserRefusal::UnknownGroup {
            group: g.to_string(),
            known: Vec::new(),
        }
        .into());
    }
    let round_id = match round {
        Some(r) => Some(
            rubric
                .round(r)
                .ok_or_else(|| crate::core::organiser::OrganiserRefusal::UnknownRound { round: r.to_string() })?
                .id
                .clone(),
        ),
        None => None,
    };
    let data = RoomData::load(store, false)?;
    Ok(unscored_in(&data, group, round_id.as_deref()))
}

/// The pure part of [`unscored_for_lock`], on data read before.
pub fn unscored_in(data: &RoomData, group: Option<&str>, round: Option<&str>) -> Vec<Unscored> {
    let withdrawn: HashSet<&str> = data.tally.withdrawn.iter().map(|w| w.id.as_str()).collect();
    let mut out = Vec::new();
    for g in data
        .rubric
        .groups
        .iter()
        .filter(|g| group.is_none_or(|x| x == g.as_str()))
    {
        let rounds: Vec<_> = data
            .rubric
            .rounds
            .iter()
            .filter(|r| round.is_none_or(|x| x == r.id))
            .collect();
        let matrices: Vec<Matrix> = rounds.iter().map(|r| matrix(data, g, &r.id)).collect();
        let Some(first) = matrices.first() else { continue };
        for i in 0..first.rows.len() {
            for (r, m) in rounds.iter().zip(&matrices) {
                let Some(row) = m.rows.get(i) else { continue };
                if withdrawn.contains(row.entry.as_str()) {
                    continue;
                }
                let missing: Vec<String> = row
                    .cells
                    .iter()
                    .zip(&m.judges)
                    .filter(|(c, _)| c.outstanding())
                    .map(|(_, j)| j.clone())
                    .collect();
                if !missing.is_empty() {
                    out.push(Unscored {
                        entry: row.entry.clone(),
                        group: g.clone(),
                        round: r.id.clone(),
                        round_name: r.name.clone(),
                        missing,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod unscored_tests {
    use super::*;
    use crate::app::demo::create_demo_workspace;

    #[test]
    fn the_entries_a_lock_would_close_unscored_are_the_library_s_rule() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&create_demo_workspace(dir.path()).unwrap()).unwrap();
        let data = RoomData::load(&store, false).unwrap();
        // The demo: every sheet of 教师组 is in but PW07's (the demo judge) and a few others.
        let all = unscored_in(&data, None, None);
        let expected: usize = data
            .rubric
            .groups
            .iter()
            .flat_map(|g| data.rubric.rounds.iter().map(move |r| (g, r)))
            .map(|(g, r)| {
                matrix(&data, g, &r.id)
                    .rows
                    .iter()
                    .filter(|row| row.cells.iter().any(|c| c.outstanding()))
                    .count()
            })
            .sum();
        assert!(expected > 0);
        assert_eq!(all.len(), expected);
        let one = unscored_for_lock(&store, Some("教师组"), Some("现场说课")).unwrap();
        assert!(
            one.iter()
                .all(|u| u.group == "教师组" && u.round == "lesson" && u.round_name == "现场说课")
        );
        let m = matrix(&data, "教师组", "lesson");
        for u in &one {
            let row = m.rows.iter().find(|r| r.entry == u.entry).unwrap();
            assert_eq!(u.missing.len(), row.expected - row.submitted, "{u:?}");
        }
        assert!(unscored_for_lock(&store, Some("无此组"), None).is_err());
        assert!(unscored_for_lock(&store, None, Some("nope")).is_err());
    }
}
