//! The audit trail covers current values, not only its own rows: replaying the score and sheet
//! rows gives what every score and every sheet's status must be now, and `audit verify` compares
//! that with the `scores` and `sheets` tables. A score edited with the sqlite3 shell is therefore
//! named, although no audit row was touched.
//!
//! The rows replayed (each written in the same transaction as the change it records):
//! - `score` (a judge's draft value, `detail` = `round/criterion`, `new_value` = the value or
//!   none when cleared): the sheet exists, as a draft unless it already had a status;
//! - `import-score` (one per score of a typed-in paper sheet, same fields): the sheet is submitted;
//! - `import-draft-score` (an imported draft value, same fields): as `score`;
//! - `submit` (`detail` = round): the sheet is submitted; `reopen` (`detail` = round): a draft;
//! - `score-remove` (`detail` = `round/criterion`, or `round/*` for the whole sheet): the score
//!   (or every score of the sheet) is gone and the sheet is a draft;
//! - `judge-remove`: the judge's draft sheets (every sheet with `drop_submitted`) and their scores
//!   are gone, and the judge is in `judges_removed`;
//! - `entry-withdraw` / `entry-restore`: the entry is (no longer) in `withdrawals`, of that kind.
//! - `import-undo-score` / `import-undo-sheet` (`jury import undo`): the score is put back (or
//!   gone), the sheet's status put back (or the sheet gone);
//! - `import-record` / `import-undo`: the import's stored record of what it changed has the digest
//!   the row holds, and the import is undone exactly when an `import-undo` row says so.
//! - `rubric-apply` (`old_value`, `new_value`: the SHA-256 of the rubric before and after): the
//!   stored rubric is the one the last such row applied, and a copy of both rubrics is kept in
//!   `rubric_history` (each copy hashed again here, so a copy edited outside jury is found).
//! - `discussion-open` / `discussion-close`: the entry is (no longer) in `discussions`.
//!
//! - `phase-start` (`old_value` = the phase before): every score and sheet so far is that
//!   phase's, in its archive (`phase_scores`, `phase_sheets`); the live tables start empty;
//!   `phase-drop` (`new_value` = the phase current again): its archive is live again.
//!
//! So every code path that writes `scores` or `sheets` must append the matching row.

use std::collections::HashMap;

use super::audit::AuditRow;
use super::{AuditEvent, EventProblem, SheetStatus, Store};
use crate::core::Points;
use crate::core::withdrawal::WithdrawalKind;
use crate::error::Result;

/// (judge, entry, round, criterion)
type ScoreKey = (String, String, String, String);
/// (judge, entry, round)
type SheetKey = (String, String, String);

/// A current value the audit trail does not account for: the last audit row about it (if any)
/// and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    pub seq: Option<i64>,
    pub problem: String,
}

/// What the audit rows say every score and sheet must be now.
#[derive(Default)]
struct Replayed {
    scores: HashMap<ScoreKey, (i64, Option<Points>)>,
    sheets: HashMap<SheetKey, (i64, SheetStatus)>,
    /// entry -> the last withdraw or restore row, and the kind it left (`None`: restored).
    withdrawn: HashMap<String, (i64, Option<WithdrawalKind>)>,
    /// judge -> the row that removed them.
    removed: HashMap<String, i64>,
    /// import number -> the row recording it and the digest of its record.
    imports: HashMap<i64, (i64, String)>,
    /// import number -> the row undoing it.
    undone: HashMap<i64, i64>,
    /// Each `rubric-apply` row: (seq, old hash, new hash).
    rubrics: Vec<(i64, String, String)>,
    /// entry -> the last discussion-open or -close row, and whether it is under discussion.
    discussed: HashMap<String, (i64, bool)>,
    /// An earlier phase's name -> its scores and sheets, archived when the next phase started.
    archived: HashMap<String, Archived>,
}

/// The scores and sheets of an archived phase, as replayed.
type Archived = (
    HashMap<ScoreKey, (i64, Option<Points>)>,
    HashMap<SheetKey, (i64, SheetStatus)>,
);

/// The round of an archived phase's score or sheet as `audit verify` names it: `lesson@初评`.
fn archived_round(round: &str, phase: &str) -> String {
    format!("{round}@{phase}")
}

/// The phase rows: they name no entry and no judge.
const PHASE_ROWS: [&str; 2] = ["phase-start", "phase-drop"];

fn replay(rows: &[AuditRow]) -> std::result::Result<Replayed, Mismatch> {
    let mut state = Replayed::default();
    for row in rows {
        if row.action == "rubric-apply" {
            match row.event() {
                Ok(AuditEvent::RubricApply { old, new, .. }) => state.rubrics.push((row.seq, old, new)),
                Err(EventProblem::Malformed { seq, problem, .. }) => {
                    return Err(Mismatch {
                        seq: Some(seq),
                        problem,
                    });
                }
                _ => {}
            }
            continue;
        }
        if (row.entry.is_none() || row.judge.is_none())
            && !CORRECTIONS.contains(&row.action.as_str())
            && !PHASE_ROWS.contains(&row.action.as_str())
        {
            continue;
        }
        let event = match row.event() {
            Ok(event) => event,
            // A score or sheet row that does not read is a mismatch; any other row (an action
            // this jury does not know among them) changes no score.
            Err(EventProblem::Malformed { seq, action, problem }) if REPLAYED.contains(&action.as_str()) => {
                return Err(Mismatch {
                    seq: Some(seq),
                    problem,
                });
            }
            Err(_) => continue,
        };
        let event = match event {
            AuditEvent::PhaseStart { previous, .. } => {
                let scores = std::mem::take(&mut state.scores);
                let sheets = std::mem::take(&mut state.sheets);
                state.archived.insert(previous, (scores, sheets));
                continue;
            }
            AuditEvent::PhaseDrop { back_to, .. } => {
                let (scores, sheets) = state.archived.remove(&back_to).unwrap_or_default();
                state.scores = scores;
                state.sheets = sheets;
                continue;
            }
            AuditEvent::EntryWithdraw { entry, kind, .. } => {
                state.withdrawn.insert(entry, (row.seq, Some(kind)));
                continue;
            }
            AuditEvent::EntryRestore { entry, .. } => {
                state.withdrawn.insert(entry, (row.seq, None));
                continue;
            }
            AuditEvent::ImportRecord { number, digest, .. } => {
                state.imports.insert(number, (row.seq, digest));
                continue;
            }
            AuditEvent::ImportUndo { number, .. } => {
                state.undone.insert(number, row.seq);
                continue;
            }
            AuditEvent::ImportUndoScore {
                entry,
                judge,
                round,
                criterion,
                new,
                ..
            } => {
                state.scores.insert((judge, entry, round, criterion), (row.seq, new));
                continue;
            }
            AuditEvent::ImportUndoSheet {
                entry,
                judge,
                round,
                new,
                ..
            } => {
                let key = (judge, entry, round);
                match new {
                    Some(status) => {
                        state.sheets.insert(key, (row.seq, SheetStatus::parse(&status)));
                    }
                    None => {
                        state.sheets.remove(&key);
                    }
                }
                continue;
            }
            AuditEvent::DiscussionOpen { entry } => {
                state.discussed.insert(entry, (row.seq, true));
                continue;
            }
            AuditEvent::DiscussionClose { entry } => {
                state.discussed.insert(entry, (row.seq, false));
                continue;
            }
            AuditEvent::JudgeRemove {
                judge, drop_submitted, ..
            } => {
                let gone = |status: SheetStatus| drop_submitted || status == SheetStatus::Draft;
                let dropped: std::collections::HashSet<SheetKey> = state
                    .sheets
                    .iter()
                    .filter(|(k, (_, status))| k.0 == judge && gone(*status))
                    .map(|(k, _)| k.clone())
                    .collect();
                state.sheets.retain(|k, _| !dropped.contains(k));
                state
                    .scores
                    .retain(|k, _| !dropped.contains(&(k.0.clone(), k.1.clone(), k.2.clone())));
                state.removed.insert(judge, row.seq);
                continue;
            }
            AuditEvent::ScoreRemove {
                entry,
                judge,
                round,
                criterion,
                ..
            } => {
                for (key, value) in state.scores.iter_mut() {
                    if key.0 == judge
                        && key.1 == entry
                        && key.2 == round
                        && criterion.as_ref().is_none_or(|c| *c == key.3)
                    {
                        *value = (row.seq, None);
                    }
                }
                state
                    .sheets
                    .insert((judge, entry, round), (row.seq, SheetStatus::Draft));
                continue;
            }
            other => other,
        };
        let (entry, judge, round, criterion, value, submitted) = match event {
            AuditEvent::Score {
                entry,
                judge,
                round,
                criterion,
                new,
                ..
            } => (entry, judge, round, Some(criterion), new, false),
            AuditEvent::ImportDraftScore {
                entry,
                judge,
                round,
                criterion,
                new,
                ..
            } => (entry, judge, round, Some(criterion), Some(new), false),
            AuditEvent::ImportScore {
                entry,
                judge,
                round,
                criterion,
                new,
                ..
            } => (entry, judge, round, Some(criterion), Some(new), true),
            AuditEvent::Submit {
                entry, judge, round, ..
            } => (entry, judge, round, None, None, true),
            AuditEvent::Reopen {
                entry, judge, round, ..
            } => (entry, judge, round, None, None, false),
            _ => continue,
        };
        let sheet = (judge.clone(), entry.clone(), round.clone());
        match criterion {
            Some(criterion) => {
                state.scores.insert((judge, entry, round, criterion), (row.seq, value));
                if submitted {
                    state.sheets.insert(sheet, (row.seq, SheetStatus::Submitted));
                } else {
                    state.sheets.entry(sheet).or_insert((row.seq, SheetStatus::Draft));
                }
            }
            None => {
                let status = if submitted {
                    SheetStatus::Submitted
                } else {
                    SheetStatus::Draft
                };
                state.sheets.insert(sheet, (row.seq, status));
            }
        }
    }
    Ok(state)
}

/// The first 12 hex digits of a hash, for messages.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// The actions whose rows are replayed: one of them that does not read is a mismatch.
const REPLAYED: [&str; 15] = [
    "score",
    "import-score",
    "import-draft-score",
    "submit",
    "reopen",
    "score-remove",
    "judge-remove",
    "entry-withdraw",
    "entry-restore",
    "import-record",
    "import-undo",
    "import-undo-score",
    "import-undo-sheet",
    "discussion-open",
    "discussion-close",
];

/// The replayed rows that name no judge or no entry.
const CORRECTIONS: [&str; 7] = [
    "judge-remove",
    "entry-withdraw",
    "entry-restore",
    "import-record",
    "import-undo",
    "discussion-open",
    "discussion-close",
];

/// The current scores and sheets, read in the same snapshot as the audit rows.
pub(crate) struct Current {
    scores: HashMap<ScoreKey, Points>,
    sheets: Vec<(String, String, String, SheetStatus)>,
    /// Sheets whose stored sum or count (what the tally reads) differs from their scores.
    wrong_totals: Vec<WrongTotal>,
    /// entry -> kind, from `withdrawals`.
    withdrawn: HashMap<String, WithdrawalKind>,
    /// The ids in `judges_removed`.
    removed: Vec<String>,
    /// Every import: its number, the digest of its stored record, and whether it is undone.
    imports: Vec<(i64, String, bool)>,
    /// The SHA-256 of the stored rubric (meta `rubric`).
    rubric: Option<String>,
    /// The SHA-256 of each copy in `rubric_history`.
    rubric_copies: Vec<String>,
    /// The entries in `discussions`.
    discussed: Vec<String>,
}

/// A sheet whose stored total is not the sum of its scores.
pub(crate) struct WrongTotal {
    key: SheetKey,
    stored: (Points, i64),
    actual: (Points, i64),
}

/// Compare the current scores and sheets with the replayed audit rows; the mismatch whose last
/// audit row is oldest comes first, then values no row accounts for at all.
pub(crate) fn check_current(rows: &[AuditRow], current: Current) -> Option<Mismatch> {
    let mut state = match replay(rows) {
        Ok(state) => state,
        Err(m) => return Some(m),
    };
    // The earlier phases' scores and sheets are compared with the archive under their own names.
    for (phase, (scores, sheets)) in std::mem::take(&mut state.archived) {
        for ((judge, entry, round, criterion), value) in scores {
            state
                .scores
                .insert((judge, entry, archived_round(&round, &phase), criterion), value);
        }
        for ((judge, entry, round), value) in sheets {
            state
                .sheets
                .insert((judge, entry, archived_round(&round, &phase)), value);
        }
    }
    let Current {
        scores,
        sheets,
        wrong_totals,
        withdrawn,
        removed,
        imports,
        rubric,
        rubric_copies,
        discussed,
    } = current;
    let mut found: Vec<Mismatch> = Vec::new();
    for (seq, old, new) in &state.rubrics {
        for (which, hash) in [("replaced", old), ("applied", new)] {
            if !rubric_copies.contains(hash) {
                found.push(Mismatch {
                    seq: Some(*seq),
                    problem: format!(
                        "the copy of the rubric row {seq} {which} (sha256 {}) is missing from rubric_history or was \
                         changed: it was changed outside jury",
                        short(hash)
                    ),
                });
            }
        }
    }
    if let Some((seq, _, new)) = state.rubrics.last()
        && rubric.as_ref() != Some(new)
    {
        found.push(Mismatch {
            seq: Some(*seq),
            problem: format!(
                "the rubric in the database (sha256 {}) is not the one row {seq} applied (sha256 {}): it was changed \
                 outside jury",
                rubric.as_deref().map_or("none", short),
                short(new)
            ),
        });
    }
    for (entry, kind) in &withdrawn {
        match state.withdrawn.get(entry) {
            Some((_, Some(expected))) if expected == kind => {}
            Some((seq, _)) => found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the entry {entry} is {} in the database, but row {seq} (its last recorded withdrawal or restore) \
                     says otherwise: it was changed outside jury",
                    kind.as_str()
                ),
            }),
            None => found.push(Mismatch {
                seq: None,
                problem: format!(
                    "the entry {entry} is {} in the database, but no audit row records it: it was changed outside jury",
                    kind.as_str()
                ),
            }),
        }
    }
    for (entry, (seq, kind)) in &state.withdrawn {
        if let Some(kind) = kind
            && !withdrawn.contains_key(entry)
        {
            found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the entry {entry} is not withdrawn in the database, but row {seq} made it {}: it was changed \
                     outside jury",
                    kind.as_str()
                ),
            });
        }
    }
    for judge in &removed {
        if !state.removed.contains_key(judge) {
            found.push(Mismatch {
                seq: None,
                problem: format!(
                    "the judge {judge} is removed in the database, but no audit row records it: it was changed outside \
                     jury"
                ),
            });
        }
    }
    for (judge, seq) in &state.removed {
        if !removed.contains(judge) {
            found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the judge {judge} is not removed in the database, but row {seq} removed them: it was changed \
                     outside jury"
                ),
            });
        }
    }
    for (number, digest, undone) in &imports {
        match state.imports.get(number) {
            Some((_, recorded)) if recorded == digest => {}
            Some((seq, _)) => found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the record of what import {number} changed does not match row {seq}, which recorded it: it was \
                     changed outside jury"
                ),
            }),
            None => found.push(Mismatch {
                seq: None,
                problem: format!(
                    "import {number} is in the database, but no audit row records it: it was added outside jury"
                ),
            }),
        }
        match (state.undone.get(number), undone) {
            (Some(_), true) | (None, false) => {}
            (Some(seq), false) => found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "import {number} is not undone in the database, but row {seq} undid it: it was changed outside jury"
                ),
            }),
            (None, true) => found.push(Mismatch {
                seq: state.imports.get(number).map(|(seq, _)| *seq),
                problem: format!(
                    "import {number} is undone in the database, but no audit row records the undo: it was changed \
                     outside jury"
                ),
            }),
        }
    }
    for (number, (seq, _)) in &state.imports {
        if !imports.iter().any(|(n, _, _)| n == number) {
            found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "import {number} is missing from the database, but row {seq} recorded it: it was deleted outside jury"
                ),
            });
        }
    }
    for entry in &discussed {
        match state.discussed.get(entry) {
            Some((_, true)) => {}
            Some((seq, false)) => found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the entry {entry} is under discussion in the database, but row {seq} closed its discussion: it \
                     was changed outside jury"
                ),
            }),
            None => found.push(Mismatch {
                seq: None,
                problem: format!(
                    "the entry {entry} is under discussion in the database, but no audit row records it: it was \
                     changed outside jury"
                ),
            }),
        }
    }
    for (entry, (seq, open)) in &state.discussed {
        if *open && !discussed.contains(entry) {
            found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the entry {entry} is not under discussion in the database, but row {seq} opened its \
                     discussion: it was changed outside jury"
                ),
            });
        }
    }
    let mut seen: HashMap<&ScoreKey, ()> = HashMap::new();
    for (key, value) in &scores {
        let name = format!("{}/{}/{}/{}", key.0, key.1, key.2, key.3);
        match state.scores.get(key) {
            Some((_, Some(expected))) if expected == value => {}
            Some((seq, Some(expected))) => found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the score {name} is {value} in the database, but row {seq} (its last recorded change) \
                         set it to {expected}: it was changed outside jury"
                ),
            }),
            Some((seq, None)) => found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the score {name} is {value} in the database, but row {seq} (its last recorded change) \
                         cleared it: it was changed outside jury"
                ),
            }),
            None => found.push(Mismatch {
                seq: None,
                problem: format!(
                    "the score {name} is {value} in the database, but no audit row records it: it was \
                         added outside jury"
                ),
            }),
        }
        seen.insert(key, ());
    }
    for (key, (seq, value)) in &state.scores {
        if let Some(value) = value
            && !seen.contains_key(key)
        {
            found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the score {}/{}/{}/{} is missing from the database, but row {seq} set it to {value}: it \
                         was deleted outside jury",
                    key.0, key.1, key.2, key.3
                ),
            });
        }
    }
    let mut sheet_seen: HashMap<SheetKey, ()> = HashMap::new();
    for (entry, round, judge, status) in sheets {
        let key = (judge, entry, round);
        let name = format!("{}/{}/{}", key.0, key.1, key.2);
        match state.sheets.get(&key) {
            Some((_, expected)) if *expected == status => {}
            Some((seq, expected)) => found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the sheet {name} is {} in the database, but row {seq} (its last recorded change) made it \
                         {}: it was changed outside jury",
                    status.as_str(),
                    expected.as_str()
                ),
            }),
            None => found.push(Mismatch {
                seq: None,
                problem: format!(
                    "the sheet {name} ({}) has no audit row: it was added outside jury",
                    status.as_str()
                ),
            }),
        }
        sheet_seen.insert(key, ());
    }
    for (key, (seq, _)) in &state.sheets {
        if !sheet_seen.contains_key(key) {
            found.push(Mismatch {
                seq: Some(*seq),
                problem: format!(
                    "the sheet {}/{}/{} is missing from the database, but row {seq} recorded it: it was deleted \
                         outside jury",
                    key.0, key.1, key.2
                ),
            });
        }
    }
    for wrong in wrong_totals {
        let (judge, entry, round) = &wrong.key;
        found.push(Mismatch {
            seq: state.sheets.get(&wrong.key).map(|(seq, _)| *seq),
            problem: format!(
                "the sheet {judge}/{entry}/{round} stores a total of {} over {} scores, but its scores add up to \
                 {} over {}: it was changed outside jury",
                wrong.stored.0, wrong.stored.1, wrong.actual.0, wrong.actual.1
            ),
        });
    }
    found.sort_by_key(|m| (m.seq.is_none(), m.seq, m.problem.clone()));
    found.into_iter().next()
}

impl Store {
    /// Every stored score (drafts included) and every sheet's status. Call inside [`Store::read`].
    pub(crate) fn current_values(&self) -> Result<Current> {
        let mut stmt = self
            .conn()
            .prepare("SELECT judge, entry, round, criterion, value FROM scores")?;
        let mut scores: HashMap<ScoreKey, Points> = stmt
            .query_map([], |r| {
                Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), Points(r.get(4)?)))
            })?
            .collect::<std::result::Result<_, _>>()?;
        let mut stmt = self.conn().prepare(
            "SELECT s.judge, s.entry, s.round, p.name, s.criterion, s.value
             FROM phase_scores s JOIN phases p ON p.seq = s.phase",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (round, phase): (String, String) = (r.get(2)?, r.get(3)?);
            scores.insert(
                (r.get(0)?, r.get(1)?, archived_round(&round, &phase), r.get(4)?),
                Points(r.get(5)?),
            );
        }
        let mut sheets = self.all_sheet_statuses()?;
        let mut stmt = self.conn().prepare(
            "SELECT s.entry, s.round, p.name, s.judge, s.status FROM phase_sheets s JOIN phases p ON p.seq = s.phase",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (round, phase, status): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(4)?);
            let status = SheetStatus::parse(&status);
            sheets.push((r.get(0)?, archived_round(&round, &phase), r.get(3)?, status));
        }
        let mut stmt = self.conn().prepare(
            "SELECT h.judge, h.entry, h.round, h.total, h.criteria, COALESCE(SUM(s.value), 0), COUNT(s.value)
             FROM sheets h LEFT JOIN scores s ON s.entry = h.entry AND s.round = h.round AND s.judge = h.judge
             GROUP BY h.entry, h.round, h.judge
             HAVING h.total != COALESCE(SUM(s.value), 0) OR h.criteria != COUNT(s.value)",
        )?;
        let wrong_totals = stmt
            .query_map([], |r| {
                Ok(WrongTotal {
                    key: (r.get(0)?, r.get(1)?, r.get(2)?),
                    stored: (Points(r.get(3)?), r.get(4)?),
                    actual: (Points(r.get(5)?), r.get(6)?),
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        let (withdrawn, removed) = self.current_corrections()?;
        let rubric = self.rubric_source_sha256()?;
        let rubric_copies = self.rubric_copies()?;
        Ok(Current {
            rubric,
            rubric_copies,
            scores,
            sheets,
            wrong_totals,
            withdrawn,
            removed,
            imports: self.import_digests()?,
            discussed: self.discussions()?,
        })
    }
}
