//! What an audit row records, typed: one [`AuditEvent`] variant per action jury writes, with its
//! fields. [`AuditEvent::row`] gives the stored columns (the action string and the entry, judge,
//! detail, old value, new value and reason columns, byte for byte as they were written before
//! the enum existed, so old workspaces, `audit verify` and the seal still check), and
//! [`AuditRow::event`] reads a stored row back. A row whose action this jury does not know (or
//! whose fields do not fit its action) is reported as an [`EventProblem`], never a panic.

use std::fmt;

use super::audit::AuditRow;
use super::seal::SEALED_MARK;
use crate::core::Points;
use crate::core::shortlist::Status;
use crate::core::withdrawal::WithdrawalKind;

/// One change, as the audit trail records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditEvent {
    /// `jury init`: the rubric stored (`sealed`: the workspace was sealed from its first row).
    Init {
        rubric_file: String,
        sealed: bool,
        contest_name: String,
    },
    /// The organiser's passphrase was set or changed (it is not recorded).
    OrganiserPassphrase,
    /// A forgotten organiser passphrase reset by the owner of the workspace file (`who`: the
    /// owner, as the reset names them).
    OrganiserPassphraseReset {
        who: String,
    },
    /// A group's panel of judges.
    AssignPanel {
        group: String,
        judges: Vec<String>,
    },
    /// Reviewers spread over the entries: `pairs` (judge, entry) assignments made.
    AssignPerEntry {
        per_entry: usize,
        pairs: usize,
    },
    /// One judge assigned to (or taken off) one entry.
    AssignEntry {
        entry: String,
        judge: String,
        assigned: bool,
    },
    /// Results locked for a group and/or round (`None`: every group, or every round).
    Lock {
        group: Option<String>,
        round: Option<String>,
        reason: String,
    },
    Unlock {
        group: Option<String>,
        round: Option<String>,
        reason: String,
    },
    /// A submitted sheet back to a draft, by the organiser or a replacing import.
    Reopen {
        entry: String,
        judge: String,
        round: String,
        reason: String,
    },
    /// An entry's shortlist status (and batch).
    Shortlist {
        entry: String,
        batch: Option<i64>,
        old: Status,
        new: Status,
    },
    /// A judge's draft value (`new: None`: cleared).
    Score {
        entry: String,
        judge: String,
        round: String,
        criterion: String,
        old: Option<Points>,
        new: Option<Points>,
    },
    /// A sheet submitted, with its total.
    Submit {
        entry: String,
        judge: String,
        round: String,
        total: Points,
        reason: String,
    },
    /// A judge's comment on an entry (`None`: none).
    Comment {
        entry: String,
        judge: String,
        old: Option<String>,
        new: Option<String>,
    },
    /// What the stage shows (`old`, `new`: the stage described).
    Stage {
        entry: String,
        round: String,
        old: Option<String>,
        new: String,
    },
    /// The stage's result shown (`reason`: why when it is provisional).
    StageReveal {
        entry: String,
        round: String,
        old: String,
        new: String,
        reason: String,
    },
    StageHide {
        entry: String,
        round: String,
        old: String,
        new: String,
        reason: String,
    },
    CalibrationAdd {
        entry: String,
    },
    CalibrationRemove {
        entry: String,
    },
    /// A judge declared (or was found) conflicted with an entry.
    ConflictAdd {
        entry: String,
        judge: String,
        reason: String,
    },
    ConflictRemove {
        entry: String,
        judge: String,
    },
    /// A sheet kept although a changed organisation now conflicts with it (`import judges
    /// --force`); `reason` is the import's, the stored reason adds what happened.
    ConflictKept {
        entry: String,
        judge: String,
        round: String,
        status: String,
        reason: String,
    },
    /// One field of a stored judge changed by an import.
    JudgeUpdate {
        judge: String,
        field: String,
        was: String,
        now: String,
        reason: String,
    },
    /// A judge's PIN changed by an import (the PIN is not recorded).
    JudgePin {
        judge: String,
        reason: String,
    },
    /// The summary row of `import entries`.
    ImportEntries {
        file: String,
        digest: String,
        added: usize,
        updated: usize,
    },
    /// The summary row of `import judges`: `changed` judges added or updated.
    ImportJudges {
        file: String,
        digest: String,
        changed: usize,
    },
    /// One score of a typed-in paper sheet (the sheet is submitted).
    ImportScore {
        entry: String,
        judge: String,
        round: String,
        criterion: String,
        old: Option<Points>,
        new: Points,
        reason: String,
    },
    /// An imported draft value.
    ImportDraftScore {
        entry: String,
        judge: String,
        round: String,
        criterion: String,
        old: Option<Points>,
        new: Points,
        reason: String,
    },
    /// The summary row of `import scores`: `changed` scores; `reason` when sheets were replaced.
    ImportScores {
        file: String,
        digest: String,
        changed: usize,
        reason: String,
    },
    /// A judge's login pause (three wrong PINs) lifted by the organiser before it ran out.
    LoginPauseLifted {
        judge: String,
    },
    /// An entry out of the ranking (弃权 or 取消资格); its record and scores are kept.
    EntryWithdraw {
        entry: String,
        kind: WithdrawalKind,
        reason: String,
    },
    /// A withdrawn entry back in the ranking (`kind`: what it was).
    EntryRestore {
        entry: String,
        kind: WithdrawalKind,
        reason: String,
    },
    /// A judge removed from the contest: off every panel and assignment, their drafts deleted
    /// (and their submitted sheets with `drop_submitted`); `sheets`: how many were deleted.
    JudgeRemove {
        judge: String,
        drop_submitted: bool,
        sheets: usize,
        reason: String,
    },
    /// `new` takes `old`'s open work: the entries moved (and the panels of `groups`).
    AssignReplace {
        old: String,
        new: String,
        entries: Vec<String>,
        groups: Vec<String>,
        reason: String,
    },
    /// A stored score removed by the organiser (`criterion: None`: every score of the sheet);
    /// the sheet is a draft afterwards. `old`: the value (or the sum) removed.
    ScoreRemove {
        entry: String,
        judge: String,
        round: String,
        criterion: Option<String>,
        old: Points,
        reason: String,
    },
    /// `import entries 案例/ --update --force`: an entry's document changed after `submitted`
    /// sheets were submitted for it; its text was replaced (the judges scored another text).
    EntryTextReplaced {
        entry: String,
        file: String,
        sha256: String,
        submitted: usize,
    },
    /// The import log (issue 16): import `number` recorded what it changed (`changes` rows, the
    /// record's SHA-256 `digest`); `rows`: the rows of its file.
    ImportRecord {
        number: i64,
        kind: String,
        file: String,
        sha256: String,
        rows: usize,
        changes: usize,
        digest: String,
    },
    /// `jury import undo N`: import `number` undone (`changes`: the rows put back or removed).
    ImportUndo {
        number: i64,
        kind: String,
        file: String,
        changes: usize,
        reason: String,
    },
    /// One score put back by an undo (`new: None`: removed, the import had added it).
    ImportUndoScore {
        entry: String,
        judge: String,
        round: String,
        criterion: String,
        old: Option<Points>,
        new: Option<Points>,
        number: i64,
    },
    /// One sheet's status put back by an undo (`old`/`new: None`: no sheet).
    ImportUndoSheet {
        entry: String,
        judge: String,
        round: String,
        old: Option<String>,
        new: Option<String>,
        number: i64,
    },
    /// `jury rubric apply` (rubricapply, issue 16): the rubric replaced by the one in `file`.
    /// `old` and `new`: the SHA-256 of the two sources, whose copies are kept in `rubric_history`;
    /// `renamed`: the groups renamed (old, new), their entries, panels and locks carried;
    /// `reopened`: submitted sheets a new criterion left incomplete, drafts again.
    RubricApply {
        file: String,
        old: String,
        new: String,
        renamed: Vec<(String, String)>,
        reopened: usize,
        reason: String,
    },
    /// `jury discuss open`: the entry is under discussion (the judges who submitted it see the
    /// panel's marks, as the rubric's `discussion` says).
    DiscussionOpen {
        entry: String,
    },
    /// `jury discuss close`: the entry's discussion ended.
    DiscussionClose {
        entry: String,
    },
    /// Selection in phases: the phase `phase` started after `previous` (now locked) with the
    /// `taken` entries of status `take`; `rubric_file`: its own rubric, when one was given.
    PhaseStart {
        phase: String,
        previous: String,
        take: crate::core::shortlist::Status,
        taken: usize,
        rubric_file: Option<String>,
    },
    /// The newest phase dropped (it had no scores); `back_to` is current again. `reason`: why
    /// (empty in rows from before it was asked).
    PhaseDrop {
        phase: String,
        back_to: String,
        reason: String,
    },
    /// `jury init --phase NAME`: the first phase's name.
    PhaseName {
        name: String,
    },
}

/// The stored columns of one audit row, as [`AuditEvent::row`] gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub action: &'static str,
    pub entry: Option<String>,
    pub judge: Option<String>,
    pub detail: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: String,
}

/// Why a stored audit row could not be read back as an [`AuditEvent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventProblem {
    /// An action this jury does not write (a newer jury's, or a row not written by jury).
    UnknownAction { seq: i64, action: String },
    /// A known action whose fields do not have the form it is written with.
    Malformed { seq: i64, action: String, problem: String },
}

impl fmt::Display for EventProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventProblem::UnknownAction { seq, action } => {
                write!(f, "audit row {seq}: unknown action \"{action}\"")
            }
            EventProblem::Malformed { seq, action, problem } => {
                write!(f, "audit row {seq} ({action}): {problem}")
            }
        }
    }
}

impl EventProblem {
    /// The row's sequence number.
    pub fn seq(&self) -> i64 {
        match self {
            EventProblem::UnknownAction { seq, .. } | EventProblem::Malformed { seq, .. } => *seq,
        }
    }
}

/// Every action string jury writes, one per variant (the tests check each round-trips).
#[cfg(test)]
pub const ACTIONS: &[&str] = &[
    "init",
    "organiser-passphrase",
    "organiser-passphrase-reset",
    "assign-panel",
    "assign-per-entry",
    "assign-entry",
    "lock",
    "unlock",
    "reopen",
    "shortlist",
    "score",
    "submit",
    "comment",
    "stage",
    "stage-reveal",
    "stage-hide",
    "calibration-add",
    "calibration-remove",
    "conflict-add",
    "conflict-remove",
    "conflict-kept",
    "judge-update",
    "judge-pin",
    "import-entries",
    "import-judges",
    "import-score",
    "import-draft-score",
    "import-scores",
    "login-pause-lifted",
    "entry-withdraw",
    "entry-restore",
    "judge-remove",
    "assign-replace",
    "score-remove",
    "entry-text-replaced",
    "import-record",
    "import-undo",
    "import-undo-score",
    "import-undo-sheet",
    "rubric-apply",
    "discussion-open",
    "discussion-close",
    "phase-start",
    "phase-drop",
    "phase-name",
];

const PIN_CHANGED: &str = "PIN changed (the PIN is not recorded)";
const KEPT_SUFFIX: &str = ": a changed organisation; kept with --force";
const SUBMITTED_TOTAL: &str = "submitted total ";
const PAUSE_LIFTED: &str = "login pause lifted";
const ENTERED: &str = "entered";
const DRAFTS_DROPPED: &str = "drafts dropped";
const ALL_DROPPED: &str = "drafts and submitted sheets dropped";
const WHOLE_SHEET: &str = "*";
const UNDO_OF: &str = "undo of import ";
const UNDONE: &str = "undone, ";
const DISCUSSED: &str = "under discussion";
const PHASE_RUBRIC: &str = " rubric ";
const PHASE_DROPPED: &str = "newest phase dropped";
const PHASE_NAMED: &str = "first phase";
const TEXT_REPLACED: &str = ": the document changed after sheets were submitted; its text was replaced with --force";

fn any_or_star(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("*")
}

fn star_is_none(v: &str) -> Option<String> {
    (v != "*").then(|| v.to_string())
}

impl AuditEvent {
    /// The action string stored for this event.
    pub fn action(&self) -> &'static str {
        use AuditEvent as E;
        match self {
            E::Init { .. } => "init",
            E::OrganiserPassphrase => "organiser-passphrase",
            E::OrganiserPassphraseReset { .. } => "organiser-passphrase-reset",
            E::AssignPanel { .. } => "assign-panel",
            E::AssignPerEntry { .. } => "assign-per-entry",
            E::AssignEntry { .. } => "assign-entry",
            E::Lock { .. } => "lock",
            E::Unlock { .. } => "unlock",
            E::Reopen { .. } => "reopen",
            E::Shortlist { .. } => "shortlist",
            E::Score { .. } => "score",
            E::Submit { .. } => "submit",
            E::Comment { .. } => "comment",
            E::Stage { .. } => "stage",
            E::StageReveal { .. } => "stage-reveal",
            E::StageHide { .. } => "stage-hide",
            E::CalibrationAdd { .. } => "calibration-add",
            E::CalibrationRemove { .. } => "calibration-remove",
            E::ConflictAdd { .. } => "conflict-add",
            E::ConflictRemove { .. } => "conflict-remove",
            E::ConflictKept { .. } => "conflict-kept",
            E::JudgeUpdate { .. } => "judge-update",
            E::JudgePin { .. } => "judge-pin",
            E::ImportEntries { .. } => "import-entries",
            E::ImportJudges { .. } => "import-judges",
            E::ImportScore { .. } => "import-score",
            E::ImportDraftScore { .. } => "import-draft-score",
            E::ImportScores { .. } => "import-scores",
            E::LoginPauseLifted { .. } => "login-pause-lifted",
            E::EntryWithdraw { .. } => "entry-withdraw",
            E::EntryRestore { .. } => "entry-restore",
            E::JudgeRemove { .. } => "judge-remove",
            E::AssignReplace { .. } => "assign-replace",
            E::ScoreRemove { .. } => "score-remove",
            E::EntryTextReplaced { .. } => "entry-text-replaced",
            E::ImportRecord { .. } => "import-record",
            E::ImportUndo { .. } => "import-undo",
            E::ImportUndoScore { .. } => "import-undo-score",
            E::ImportUndoSheet { .. } => "import-undo-sheet",
            E::RubricApply { .. } => "rubric-apply",
            E::DiscussionOpen { .. } => "discussion-open",
            E::DiscussionClose { .. } => "discussion-close",
            E::PhaseStart { .. } => "phase-start",
            E::PhaseDrop { .. } => "phase-drop",
            E::PhaseName { .. } => "phase-name",
        }
    }

    /// Whether this is a change the console's locks tab lists (locks, reopenings, assignments).
    pub fn is_room_change(&self) -> bool {
        use AuditEvent as E;
        matches!(
            self,
            E::Lock { .. }
                | E::Unlock { .. }
                | E::Reopen { .. }
                | E::AssignPanel { .. }
                | E::AssignPerEntry { .. }
                | E::AssignEntry { .. }
                | E::AssignReplace { .. }
                | E::JudgeRemove { .. }
                | E::EntryWithdraw { .. }
                | E::EntryRestore { .. }
                | E::ScoreRemove { .. }
                | E::ImportUndo { .. }
                | E::RubricApply { .. }
        )
    }

    /// The stored columns: exactly what jury wrote for this action before the enum.
    pub fn row(&self) -> EventRow {
        use AuditEvent as E;
        let s = |v: &str| Some(v.to_string());
        let (entry, judge, detail, old_value, new_value, reason): (
            Option<String>,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            String,
        ) = match self {
            E::Init {
                rubric_file,
                sealed,
                contest_name,
            } => (
                None,
                None,
                format!("rubric {rubric_file}{}", if *sealed { SEALED_MARK } else { "" }),
                None,
                s(contest_name),
                String::new(),
            ),
            E::OrganiserPassphrase => (None, None, String::new(), None, None, String::new()),
            E::OrganiserPassphraseReset { who } => (None, None, who.clone(), None, None, String::new()),
            E::AssignPanel { group, judges } => {
                (None, None, group.clone(), None, Some(judges.join(",")), String::new())
            }
            E::AssignPerEntry { per_entry, pairs } => (
                None,
                None,
                format!("{per_entry} reviewers per entry"),
                None,
                Some(pairs.to_string()),
                String::new(),
            ),
            E::AssignEntry { entry, judge, assigned } => {
                let (was, now) = if *assigned {
                    ("not assigned", "assigned")
                } else {
                    ("assigned", "not assigned")
                };
                (s(entry), s(judge), String::new(), s(was), s(now), String::new())
            }
            E::Lock { group, round, reason } => (
                None,
                None,
                format!("{} / {}", any_or_star(group), any_or_star(round)),
                None,
                s("locked"),
                reason.clone(),
            ),
            E::Unlock { group, round, reason } => (
                None,
                None,
                format!("{} / {}", any_or_star(group), any_or_star(round)),
                s("locked"),
                None,
                reason.clone(),
            ),
            E::Reopen {
                entry,
                judge,
                round,
                reason,
            } => (
                s(entry),
                s(judge),
                round.clone(),
                s("submitted"),
                s("draft"),
                reason.clone(),
            ),
            E::Shortlist { entry, batch, old, new } => (
                s(entry),
                None,
                batch.map(|b| format!("batch {b}")).unwrap_or_default(),
                s(old.as_str()),
                s(new.as_str()),
                String::new(),
            ),
            E::Score {
                entry,
                judge,
                round,
                criterion,
                old,
                new,
            } => (
                s(entry),
                s(judge),
                format!("{round}/{criterion}"),
                old.map(|v| v.to_string()),
                new.map(|v| v.to_string()),
                String::new(),
            ),
            E::Submit {
                entry,
                judge,
                round,
                total,
                reason,
            } => (
                s(entry),
                s(judge),
                round.clone(),
                s("draft"),
                Some(format!("{SUBMITTED_TOTAL}{total}")),
                reason.clone(),
            ),
            E::Comment { entry, judge, old, new } => (
                s(entry),
                s(judge),
                String::new(),
                old.clone(),
                new.clone(),
                String::new(),
            ),
            E::Stage { entry, round, old, new } => (s(entry), None, round.clone(), old.clone(), s(new), String::new()),
            E::StageReveal {
                entry,
                round,
                old,
                new,
                reason,
            }
            | E::StageHide {
                entry,
                round,
                old,
                new,
                reason,
            } => (s(entry), None, round.clone(), s(old), s(new), reason.clone()),
            E::CalibrationAdd { entry } | E::CalibrationRemove { entry } => {
                (s(entry), None, String::new(), None, None, String::new())
            }
            E::ConflictAdd { entry, judge, reason } => {
                (s(entry), s(judge), String::new(), None, s(reason), reason.clone())
            }
            E::ConflictRemove { entry, judge } => (s(entry), s(judge), String::new(), None, None, String::new()),
            E::ConflictKept {
                entry,
                judge,
                round,
                status,
                reason,
            } => (
                s(entry),
                s(judge),
                round.clone(),
                None,
                s(status),
                format!("{reason}{KEPT_SUFFIX}"),
            ),
            E::JudgeUpdate {
                judge,
                field,
                was,
                now,
                reason,
            } => (None, s(judge), field.clone(), s(was), s(now), reason.clone()),
            E::JudgePin { judge, reason } => (None, s(judge), PIN_CHANGED.to_string(), None, None, reason.clone()),
            E::ImportEntries {
                file,
                digest,
                added,
                updated,
            } => (
                None,
                None,
                format!("{file} (content {digest}): {added} added, {updated} updated"),
                None,
                Some((added + updated).to_string()),
                String::new(),
            ),
            E::ImportJudges { file, digest, changed } => (
                None,
                None,
                format!("{file} (content {digest})"),
                None,
                Some(changed.to_string()),
                String::new(),
            ),
            E::ImportScore {
                entry,
                judge,
                round,
                criterion,
                old,
                new,
                reason,
            }
            | E::ImportDraftScore {
                entry,
                judge,
                round,
                criterion,
                old,
                new,
                reason,
            } => (
                s(entry),
                s(judge),
                format!("{round}/{criterion}"),
                old.map(|v| v.to_string()),
                Some(new.to_string()),
                reason.clone(),
            ),
            E::ImportScores {
                file,
                digest,
                changed,
                reason,
            } => (
                None,
                None,
                format!("{file} (content {digest})"),
                None,
                Some(changed.to_string()),
                reason.clone(),
            ),
            E::LoginPauseLifted { judge } => (None, s(judge), PAUSE_LIFTED.to_string(), None, None, String::new()),
            E::EntryWithdraw { entry, kind, reason } => (
                s(entry),
                None,
                String::new(),
                s(ENTERED),
                s(kind.as_str()),
                reason.clone(),
            ),
            E::EntryRestore { entry, kind, reason } => (
                s(entry),
                None,
                String::new(),
                s(kind.as_str()),
                s(ENTERED),
                reason.clone(),
            ),
            E::JudgeRemove {
                judge,
                drop_submitted,
                sheets,
                reason,
            } => (
                None,
                s(judge),
                if *drop_submitted { ALL_DROPPED } else { DRAFTS_DROPPED }.to_string(),
                None,
                Some(sheets.to_string()),
                reason.clone(),
            ),
            E::AssignReplace {
                old,
                new,
                entries,
                groups,
                reason,
            } => (
                None,
                s(old),
                format!("replaced by {new}; panels: {}", groups.join(",")),
                None,
                Some(entries.join(",")),
                reason.clone(),
            ),
            E::ScoreRemove {
                entry,
                judge,
                round,
                criterion,
                old,
                reason,
            } => (
                s(entry),
                s(judge),
                format!("{round}/{}", criterion.as_deref().unwrap_or(WHOLE_SHEET)),
                Some(old.to_string()),
                None,
                reason.clone(),
            ),
            E::EntryTextReplaced {
                entry,
                file,
                sha256,
                submitted,
            } => (
                s(entry),
                None,
                format!("{file} (sha256 {sha256}){TEXT_REPLACED}"),
                None,
                Some(submitted.to_string()),
                String::new(),
            ),
            E::ImportRecord {
                number,
                kind,
                file,
                sha256,
                rows,
                changes,
                digest,
            } => (
                None,
                None,
                format!("import {number}: {kind} {file} (sha256 {sha256})"),
                None,
                Some(format!("{rows} rows, {changes} changes, record {digest}")),
                String::new(),
            ),
            E::ImportUndo {
                number,
                kind,
                file,
                changes,
                reason,
            } => (
                None,
                None,
                format!("import {number}: {kind} {file}"),
                s("imported"),
                Some(format!("{UNDONE}{changes} changes")),
                reason.clone(),
            ),
            E::ImportUndoScore {
                entry,
                judge,
                round,
                criterion,
                old,
                new,
                number,
            } => (
                s(entry),
                s(judge),
                format!("{round}/{criterion}"),
                old.map(|v| v.to_string()),
                new.map(|v| v.to_string()),
                format!("{UNDO_OF}{number}"),
            ),
            E::ImportUndoSheet {
                entry,
                judge,
                round,
                old,
                new,
                number,
            } => (
                s(entry),
                s(judge),
                round.clone(),
                old.clone(),
                new.clone(),
                format!("{UNDO_OF}{number}"),
            ),
            E::RubricApply {
                file,
                old,
                new,
                renamed,
                reopened,
                reason,
            } => (
                None,
                None,
                serde_json::json!({ "file": file, "renamed": renamed, "reopened": reopened }).to_string(),
                s(old),
                s(new),
                reason.clone(),
            ),
            E::DiscussionOpen { entry } => (s(entry), None, String::new(), None, s(DISCUSSED), String::new()),
            E::DiscussionClose { entry } => (s(entry), None, String::new(), s(DISCUSSED), None, String::new()),
            E::PhaseStart {
                phase,
                previous,
                take,
                taken,
                rubric_file,
            } => (
                None,
                None,
                match rubric_file {
                    Some(file) => format!("take {} {taken}{PHASE_RUBRIC}{file}", take.as_str()),
                    None => format!("take {} {taken}", take.as_str()),
                },
                s(previous),
                s(phase),
                String::new(),
            ),
            E::PhaseDrop { phase, back_to, reason } => (
                None,
                None,
                PHASE_DROPPED.to_string(),
                s(phase),
                s(back_to),
                reason.clone(),
            ),
            E::PhaseName { name } => (None, None, PHASE_NAMED.to_string(), None, s(name), String::new()),
        };
        EventRow {
            action: self.action(),
            entry,
            judge,
            detail,
            old_value,
            new_value,
            reason,
        }
    }
}

/// Reads the fields of one stored row, naming what does not fit.
struct Fields<'r> {
    row: &'r AuditRow,
}

impl<'r> Fields<'r> {
    fn bad(&self, problem: impl Into<String>) -> EventProblem {
        EventProblem::Malformed {
            seq: self.row.seq,
            action: self.row.action.clone(),
            problem: problem.into(),
        }
    }
    fn entry(&self) -> Result<String, EventProblem> {
        self.row.entry.clone().ok_or_else(|| self.bad("no entry"))
    }
    fn judge(&self) -> Result<String, EventProblem> {
        self.row.judge.clone().ok_or_else(|| self.bad("no judge"))
    }
    fn detail(&self) -> String {
        self.row.detail.clone()
    }
    fn reason(&self) -> String {
        self.row.reason.clone()
    }
    fn old_value(&self) -> Option<String> {
        self.row.old_value.clone()
    }
    fn new_value(&self) -> Option<String> {
        self.row.new_value.clone()
    }
    fn new_text(&self) -> String {
        self.row.new_value.clone().unwrap_or_default()
    }
    fn old_text(&self) -> String {
        self.row.old_value.clone().unwrap_or_default()
    }
    fn count(&self, text: &str, what: &str) -> Result<usize, EventProblem> {
        text.trim()
            .parse()
            .map_err(|_| self.bad(format!("{what} is not a count (\"{text}\")")))
    }
    fn points(&self, text: &str, which: &str) -> Result<Points, EventProblem> {
        Points::parse(text).map_err(|_| self.bad(format!("a score row whose {which} value is not a number")))
    }
    fn round_criterion(&self) -> Result<(String, String), EventProblem> {
        let (round, criterion) = self
            .row
            .detail
            .split_once('/')
            .ok_or_else(|| self.bad(format!("a score row without round/criterion (\"{}\")", self.row.detail)))?;
        Ok((round.to_string(), criterion.to_string()))
    }
    fn old_points(&self) -> Result<Option<Points>, EventProblem> {
        self.row.old_value.as_deref().map(|v| self.points(v, "old")).transpose()
    }
    fn new_points(&self) -> Result<Option<Points>, EventProblem> {
        self.row.new_value.as_deref().map(|v| self.points(v, "new")).transpose()
    }
    fn scope(&self) -> Result<(Option<String>, Option<String>), EventProblem> {
        let (g, r) = self
            .row
            .detail
            .rsplit_once(" / ")
            .ok_or_else(|| self.bad(format!("no group / round (\"{}\")", self.row.detail)))?;
        Ok((star_is_none(g), star_is_none(r)))
    }
    fn status(&self, text: Option<&str>) -> Result<Status, EventProblem> {
        let text = text.unwrap_or("");
        Status::parse(text).ok_or_else(|| self.bad(format!("unknown shortlist status \"{text}\"")))
    }
    /// `import N: KIND FILE`.
    fn import_head(&self, head: &str) -> Result<(i64, String, String), EventProblem> {
        let bad = || self.bad(format!("no import number, kind and file (\"{head}\")"));
        let (number, rest) = head
            .strip_prefix("import ")
            .and_then(|t| t.split_once(": "))
            .ok_or_else(bad)?;
        let (kind, file) = rest.split_once(' ').ok_or_else(bad)?;
        let number = number.parse().map_err(|_| bad())?;
        Ok((number, kind.to_string(), file.to_string()))
    }
    /// The number of `undo of import N`.
    fn undo_of(&self) -> Result<i64, EventProblem> {
        self.row
            .reason
            .strip_prefix(UNDO_OF)
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| self.bad(format!("no undone import (\"{}\")", self.row.reason)))
    }
    /// `FILE (content DIGEST)` and what follows it.
    fn file_digest(&self) -> Result<(String, String, String), EventProblem> {
        let no = || self.bad(format!("no file and content digest (\"{}\")", self.row.detail));
        let (file, rest) = self.row.detail.rsplit_once(" (content ").ok_or_else(no)?;
        let (digest, tail) = rest.split_once(')').ok_or_else(no)?;
        Ok((file.to_string(), digest.to_string(), tail.to_string()))
    }
}

impl AuditRow {
    /// The event this row records; a row with an unknown action, or fields that do not fit its
    /// action, gives the problem.
    pub fn event(&self) -> Result<AuditEvent, EventProblem> {
        use AuditEvent as E;
        let f = Fields { row: self };
        Ok(match self.action.as_str() {
            "init" => {
                let rest = self
                    .detail
                    .strip_prefix("rubric ")
                    .ok_or_else(|| f.bad(format!("no rubric (\"{}\")", self.detail)))?;
                let (rubric_file, sealed) = match rest.strip_suffix(SEALED_MARK) {
                    Some(file) => (file.to_string(), true),
                    None => (rest.to_string(), false),
                };
                E::Init {
                    rubric_file,
                    sealed,
                    contest_name: f.new_text(),
                }
            }
            "organiser-passphrase" => E::OrganiserPassphrase,
            "organiser-passphrase-reset" => E::OrganiserPassphraseReset { who: f.detail() },
            "assign-panel" => E::AssignPanel {
                group: f.detail(),
                judges: match self.new_value.as_deref() {
                    None | Some("") => Vec::new(),
                    Some(list) => list.split(',').map(str::to_string).collect(),
                },
            },
            "assign-per-entry" => {
                let n = self
                    .detail
                    .strip_suffix(" reviewers per entry")
                    .ok_or_else(|| f.bad(format!("no reviewers per entry (\"{}\")", self.detail)))?;
                E::AssignPerEntry {
                    per_entry: f.count(n, "the reviewers per entry")?,
                    pairs: f.count(&f.new_text(), "the assignments made")?,
                }
            }
            "assign-entry" => E::AssignEntry {
                entry: f.entry()?,
                judge: f.judge()?,
                assigned: match self.new_value.as_deref() {
                    Some("assigned") => true,
                    Some("not assigned") => false,
                    other => return Err(f.bad(format!("neither assigned nor not assigned ({other:?})"))),
                },
            },
            "lock" | "unlock" => {
                let (group, round) = f.scope()?;
                let reason = f.reason();
                if self.action == "lock" {
                    E::Lock { group, round, reason }
                } else {
                    E::Unlock { group, round, reason }
                }
            }
            "reopen" => E::Reopen {
                entry: f.entry()?,
                judge: f.judge()?,
                round: f.detail(),
                reason: f.reason(),
            },
            "shortlist" => E::Shortlist {
                entry: f.entry()?,
                batch: match self.detail.as_str() {
                    "" => None,
                    d => Some(
                        d.strip_prefix("batch ")
                            .and_then(|b| b.parse().ok())
                            .ok_or_else(|| f.bad(format!("no batch number (\"{d}\")")))?,
                    ),
                },
                old: f.status(self.old_value.as_deref())?,
                new: f.status(self.new_value.as_deref())?,
            },
            "score" => {
                let (round, criterion) = f.round_criterion()?;
                E::Score {
                    entry: f.entry()?,
                    judge: f.judge()?,
                    round,
                    criterion,
                    new: f.new_points()?,
                    old: f.old_points()?,
                }
            }
            "import-score" | "import-draft-score" => {
                let (round, criterion) = f.round_criterion()?;
                let (entry, judge) = (f.entry()?, f.judge()?);
                let new = f
                    .new_points()?
                    .ok_or_else(|| f.bad("a score row without a new value"))?;
                let old = f.old_points()?;
                let reason = f.reason();
                if self.action == "import-score" {
                    E::ImportScore {
                        entry,
                        judge,
                        round,
                        criterion,
                        old,
                        new,
                        reason,
                    }
                } else {
                    E::ImportDraftScore {
                        entry,
                        judge,
                        round,
                        criterion,
                        old,
                        new,
                        reason,
                    }
                }
            }
            "submit" => {
                let new = f.new_text();
                let total = new
                    .strip_prefix(SUBMITTED_TOTAL)
                    .ok_or_else(|| f.bad(format!("no submitted total (\"{new}\")")))?;
                E::Submit {
                    entry: f.entry()?,
                    judge: f.judge()?,
                    round: f.detail(),
                    total: Points::parse(total)
                        .map_err(|_| f.bad(format!("the total is not a number (\"{total}\")")))?,
                    reason: f.reason(),
                }
            }
            "comment" => E::Comment {
                entry: f.entry()?,
                judge: f.judge()?,
                old: f.old_value(),
                new: f.new_value(),
            },
            "stage" => E::Stage {
                entry: f.entry()?,
                round: f.detail(),
                old: f.old_value(),
                new: f.new_text(),
            },
            "stage-reveal" => E::StageReveal {
                entry: f.entry()?,
                round: f.detail(),
                old: f.old_text(),
                new: f.new_text(),
                reason: f.reason(),
            },
            "stage-hide" => E::StageHide {
                entry: f.entry()?,
                round: f.detail(),
                old: f.old_text(),
                new: f.new_text(),
                reason: f.reason(),
            },
            "calibration-add" => E::CalibrationAdd { entry: f.entry()? },
            "calibration-remove" => E::CalibrationRemove { entry: f.entry()? },
            "conflict-add" => E::ConflictAdd {
                entry: f.entry()?,
                judge: f.judge()?,
                reason: f.reason(),
            },
            "conflict-remove" => E::ConflictRemove {
                entry: f.entry()?,
                judge: f.judge()?,
            },
            "conflict-kept" => E::ConflictKept {
                entry: f.entry()?,
                judge: f.judge()?,
                round: f.detail(),
                status: f.new_text(),
                reason: self
                    .reason
                    .strip_suffix(KEPT_SUFFIX)
                    .unwrap_or(&self.reason)
                    .to_string(),
            },
            "judge-update" => E::JudgeUpdate {
                judge: f.judge()?,
                field: f.detail(),
                was: f.old_text(),
                now: f.new_text(),
                reason: f.reason(),
            },
            "judge-pin" => E::JudgePin {
                judge: f.judge()?,
                reason: f.reason(),
            },
            "import-entries" => {
                let (file, digest, tail) = f.file_digest()?;
                let counts = tail
                    .strip_prefix(": ")
                    .and_then(|t| t.strip_suffix(" updated"))
                    .and_then(|t| t.split_once(" added, "))
                    .ok_or_else(|| f.bad(format!("no counts added and updated (\"{}\")", self.detail)))?;
                E::ImportEntries {
                    file,
                    digest,
                    added: f.count(counts.0, "the entries added")?,
                    updated: f.count(counts.1, "the entries updated")?,
                }
            }
            "import-judges" => {
                let (file, digest, _) = f.file_digest()?;
                E::ImportJudges {
                    file,
                    digest,
                    changed: f.count(&f.new_text(), "the judges changed")?,
                }
            }
            "import-scores" => {
                let (file, digest, _) = f.file_digest()?;
                E::ImportScores {
                    file,
                    digest,
                    changed: f.count(&f.new_text(), "the scores changed")?,
                    reason: f.reason(),
                }
            }
            "login-pause-lifted" => E::LoginPauseLifted { judge: f.judge()? },
            "entry-withdraw" | "entry-restore" => {
                let text = if self.action == "entry-withdraw" {
                    f.new_text()
                } else {
                    f.old_text()
                };
                let kind =
                    WithdrawalKind::parse(&text).ok_or_else(|| f.bad(format!("unknown withdrawal \"{text}\"")))?;
                let (entry, reason) = (f.entry()?, f.reason());
                if self.action == "entry-withdraw" {
                    E::EntryWithdraw { entry, kind, reason }
                } else {
                    E::EntryRestore { entry, kind, reason }
                }
            }
            "judge-remove" => E::JudgeRemove {
                judge: f.judge()?,
                drop_submitted: match self.detail.as_str() {
                    ALL_DROPPED => true,
                    DRAFTS_DROPPED => false,
                    other => return Err(f.bad(format!("neither drafts nor all sheets dropped (\"{other}\")"))),
                },
                sheets: f.count(&f.new_text(), "the sheets dropped")?,
                reason: f.reason(),
            },
            "assign-replace" => {
                let list =
                    |t: &str| -> Vec<String> { t.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect() };
                let (new, groups) = self
                    .detail
                    .strip_prefix("replaced by ")
                    .and_then(|t| t.split_once("; panels: "))
                    .ok_or_else(|| f.bad(format!("no replacement (\"{}\")", self.detail)))?;
                E::AssignReplace {
                    old: f.judge()?,
                    new: new.to_string(),
                    entries: list(&f.new_text()),
                    groups: list(groups),
                    reason: f.reason(),
                }
            }
            "score-remove" => {
                let (round, criterion) = f.round_criterion()?;
                E::ScoreRemove {
                    entry: f.entry()?,
                    judge: f.judge()?,
                    round,
                    criterion: (criterion != WHOLE_SHEET).then_some(criterion),
                    old: f
                        .old_points()?
                        .ok_or_else(|| f.bad("a removed score without its old value"))?,
                    reason: f.reason(),
                }
            }
            "entry-text-replaced" => {
                let detail = f.detail();
                let bad = || f.bad(format!("no file and sha256 (\"{detail}\")"));
                let rest = detail.strip_suffix(TEXT_REPLACED).ok_or_else(bad)?;
                let (file, sha) = rest.rsplit_once(" (sha256 ").ok_or_else(bad)?;
                E::EntryTextReplaced {
                    entry: f.entry()?,
                    file: file.to_string(),
                    sha256: sha.strip_suffix(')').ok_or_else(bad)?.to_string(),
                    submitted: f.count(&f.new_text(), "the submitted sheets")?,
                }
            }
            "import-record" => {
                let detail = f.detail();
                let bad = || f.bad(format!("no import number, kind, file and sha256 (\"{detail}\")"));
                let (head, sha) = detail.rsplit_once(" (sha256 ").ok_or_else(bad)?;
                let sha = sha.strip_suffix(')').ok_or_else(bad)?;
                let (number, kind, file) = f.import_head(head)?;
                let new = f.new_text();
                let counts = || f.bad(format!("no rows, changes and record (\"{new}\")"));
                let (rows, rest) = new.split_once(" rows, ").ok_or_else(counts)?;
                let (changes, digest) = rest.split_once(" changes, record ").ok_or_else(counts)?;
                E::ImportRecord {
                    number,
                    kind,
                    file,
                    sha256: sha.to_string(),
                    rows: f.count(rows, "the rows")?,
                    changes: f.count(changes, "the changes")?,
                    digest: digest.to_string(),
                }
            }
            "import-undo" => {
                let (number, kind, file) = f.import_head(&f.detail())?;
                let new = f.new_text();
                let changes = new
                    .strip_prefix(UNDONE)
                    .and_then(|t| t.strip_suffix(" changes"))
                    .ok_or_else(|| f.bad(format!("no changes undone (\"{new}\")")))?;
                E::ImportUndo {
                    number,
                    kind,
                    file,
                    changes: f.count(changes, "the changes")?,
                    reason: f.reason(),
                }
            }
            "import-undo-score" => {
                let (round, criterion) = f.round_criterion()?;
                E::ImportUndoScore {
                    entry: f.entry()?,
                    judge: f.judge()?,
                    round,
                    criterion,
                    old: f.old_points()?,
                    new: f.new_points()?,
                    number: f.undo_of()?,
                }
            }
            "import-undo-sheet" => E::ImportUndoSheet {
                entry: f.entry()?,
                judge: f.judge()?,
                round: f.detail(),
                old: f.old_value(),
                new: f.new_value(),
                number: f.undo_of()?,
            },
            "rubric-apply" => {
                #[derive(serde::Deserialize)]
                struct Detail {
                    file: String,
                    renamed: Vec<(String, String)>,
                    reopened: usize,
                }
                let d: Detail = serde_json::from_str(&self.detail)
                    .map_err(|e| f.bad(format!("the detail is not the rubric change's ({e})")))?;
                let sha = |v: Option<String>, which: &str| v.ok_or_else(|| f.bad(format!("no {which} rubric hash")));
                E::RubricApply {
                    file: d.file,
                    old: sha(f.old_value(), "old")?,
                    new: sha(f.new_value(), "new")?,
                    renamed: d.renamed,
                    reopened: d.reopened,
                    reason: f.reason(),
                }
            }
            "discussion-open" => E::DiscussionOpen { entry: f.entry()? },
            "discussion-close" => E::DiscussionClose { entry: f.entry()? },
            "phase-start" => {
                let detail = f.detail();
                let bad = || f.bad(format!("no status and count taken (\"{detail}\")"));
                let rest = detail.strip_prefix("take ").ok_or_else(bad)?;
                let (rest, rubric_file) = match rest.split_once(PHASE_RUBRIC) {
                    Some((rest, file)) => (rest, Some(file.to_string())),
                    None => (rest, None),
                };
                let (take, taken) = rest.split_once(' ').ok_or_else(bad)?;
                E::PhaseStart {
                    phase: f.new_value().ok_or_else(|| f.bad("no new phase"))?,
                    previous: f.old_value().ok_or_else(|| f.bad("no previous phase"))?,
                    take: crate::core::shortlist::Status::parse(take).ok_or_else(bad)?,
                    taken: f.count(taken, "the entries taken")?,
                    rubric_file,
                }
            }
            "phase-drop" => E::PhaseDrop {
                phase: f.old_value().ok_or_else(|| f.bad("no phase dropped"))?,
                back_to: f.new_value().ok_or_else(|| f.bad("no phase back to"))?,
                reason: f.reason(),
            },
            "phase-name" => E::PhaseName {
                name: f.new_value().ok_or_else(|| f.bad("no name"))?,
            },
            other => {
                return Err(EventProblem::UnknownAction {
                    seq: self.seq,
                    action: other.to_string(),
                });
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Actor, Store};

    fn p(text: &str) -> Points {
        Points::parse(text).unwrap()
    }

    /// One event of every variant, with fields that exercise each encoding.
    fn every_event() -> Vec<AuditEvent> {
        use AuditEvent as E;
        let s = |v: &str| v.to_string();
        vec![
            E::Init {
                rubric_file: s("rubric.toml"),
                sealed: true,
                contest_name: s("家庭教育案例评选"),
            },
            E::Init {
                rubric_file: s("old rubric.toml"),
                sealed: false,
                contest_name: s("旧比赛"),
            },
            E::OrganiserPassphrase,
            E::OrganiserPassphraseReset {
                who: s("the owner of the workspace file (uid 1000)"),
            },
            E::AssignPanel {
                group: s("教师组"),
                judges: vec![s("J01"), s("J02")],
            },
            E::AssignPanel {
                group: s("家长组"),
                judges: vec![],
            },
            E::AssignPerEntry {
                per_entry: 3,
                pairs: 42,
            },
            E::AssignEntry {
                entry: s("E1"),
                judge: s("J01"),
                assigned: true,
            },
            E::AssignEntry {
                entry: s("E1"),
                judge: s("J02"),
                assigned: false,
            },
            E::Lock {
                group: Some(s("教师组")),
                round: None,
                reason: s("结果已公布"),
            },
            E::Lock {
                group: None,
                round: Some(s("final")),
                reason: String::new(),
            },
            E::Unlock {
                group: Some(s("教师组")),
                round: Some(s("lesson")),
                reason: s("更正录入"),
            },
            E::Reopen {
                entry: s("E1"),
                judge: s("J01"),
                round: s("lesson"),
                reason: s("漏评一项"),
            },
            E::Shortlist {
                entry: s("E2"),
                batch: Some(2),
                old: Status::Pending,
                new: Status::Shortlisted,
            },
            E::Shortlist {
                entry: s("E2"),
                batch: None,
                old: Status::Shortlisted,
                new: Status::Rejected,
            },
            E::Score {
                entry: s("E1"),
                judge: s("J01"),
                round: s("lesson"),
                criterion: s("content"),
                old: None,
                new: Some(p("25.5")),
            },
            E::Score {
                entry: s("E1"),
                judge: s("J01"),
                round: s("lesson"),
                criterion: s("content"),
                old: Some(p("25.5")),
                new: None,
            },
            E::Submit {
                entry: s("E1"),
                judge: s("J01"),
                round: s("lesson"),
                total: p("87.25"),
                reason: String::new(),
            },
            E::Comment {
                entry: s("E1"),
                judge: s("J01"),
                old: None,
                new: Some(s("结构清楚")),
            },
            E::Stage {
                entry: s("C01"),
                round: s("final"),
                old: None,
                new: s("青年组 / final / C01"),
            },
            E::StageReveal {
                entry: s("C01"),
                round: s("final"),
                old: s("a"),
                new: s("b"),
                reason: s("provisional: 1 of 5 judges not in (J05)"),
            },
            E::StageHide {
                entry: s("C01"),
                round: s("final"),
                old: s("b"),
                new: s("a"),
                reason: String::new(),
            },
            E::CalibrationAdd { entry: s("S1") },
            E::CalibrationRemove { entry: s("S1") },
            E::ConflictAdd {
                entry: s("E1"),
                judge: s("J01"),
                reason: s("同事"),
            },
            E::ConflictRemove {
                entry: s("E1"),
                judge: s("J01"),
            },
            E::ConflictKept {
                entry: s("E1"),
                judge: s("J01"),
                round: s("lesson"),
                status: s("submitted"),
                reason: s("import judges.csv"),
            },
            E::JudgeUpdate {
                judge: s("J01"),
                field: s("organization"),
                was: s("一中"),
                now: s("二中"),
                reason: s("import judges.csv"),
            },
            E::JudgePin {
                judge: s("J01"),
                reason: s("import judges.csv"),
            },
            E::ImportEntries {
                file: s("cases (2).xlsx"),
                digest: s("ab12"),
                added: 10,
                updated: 2,
            },
            E::ImportJudges {
                file: s("judges.csv"),
                digest: s("cd34"),
                changed: 5,
            },
            E::ImportScore {
                entry: s("E1"),
                judge: s("J02"),
                round: s("lesson"),
                criterion: s("method"),
                old: Some(p("10")),
                new: p("12.5"),
                reason: s("import scores.csv"),
            },
            E::ImportDraftScore {
                entry: s("E1"),
                judge: s("J02"),
                round: s("lesson"),
                criterion: s("method"),
                old: None,
                new: p("9"),
                reason: String::new(),
            },
            E::ImportScores {
                file: s("scores.csv"),
                digest: s("ef56"),
                changed: 3,
                reason: s("纸质评分表更正"),
            },
            E::LoginPauseLifted { judge: s("J01") },
            E::EntryWithdraw {
                entry: s("JS007"),
                kind: WithdrawalKind::Withdrawn,
                reason: s("选手弃权"),
            },
            E::EntryWithdraw {
                entry: s("JS008"),
                kind: WithdrawalKind::Disqualified,
                reason: s("抄袭"),
            },
            E::EntryRestore {
                entry: s("JS007"),
                kind: WithdrawalKind::Withdrawn,
                reason: s("误操作"),
            },
            E::JudgeRemove {
                judge: s("PW05"),
                drop_submitted: false,
                sheets: 3,
                reason: s("评委因病缺席"),
            },
            E::JudgeRemove {
                judge: s("PW06"),
                drop_submitted: true,
                sheets: 0,
                reason: s("回避"),
            },
            E::AssignReplace {
                old: s("PW05"),
                new: s("PW10"),
                entries: vec![s("JS001"), s("JS002")],
                groups: vec![s("教师组")],
                reason: String::new(),
            },
            E::AssignReplace {
                old: s("PW05"),
                new: s("PW11"),
                entries: vec![],
                groups: vec![],
                reason: s("换人"),
            },
            E::ScoreRemove {
                entry: s("JS002"),
                judge: s("PW03"),
                round: s("lesson"),
                criterion: Some(s("content")),
                old: p("12.5"),
                reason: s("录入错误"),
            },
            E::ScoreRemove {
                entry: s("JS002"),
                judge: s("PW03"),
                round: s("lesson"),
                criterion: None,
                old: p("80"),
                reason: s("录入错误"),
            },
            E::EntryTextReplaced {
                entry: s("AL001"),
                file: s("学校 (一)/案例.docx"),
                sha256: s("ab12"),
                submitted: 3,
            },
            E::ImportRecord {
                number: 7,
                kind: s("scores"),
                file: s("纸质 评分 (2).xlsx"),
                sha256: s("0123456789abcdef"),
                rows: 120,
                changes: 130,
                digest: s("fedc"),
            },
            E::ImportUndo {
                number: 7,
                kind: s("scores"),
                file: s("纸质 评分 (2).xlsx"),
                changes: 130,
                reason: s("导错文件"),
            },
            E::ImportUndoScore {
                entry: s("JS001"),
                judge: s("PW01"),
                round: s("lesson"),
                criterion: s("content"),
                old: Some(p("24")),
                new: Some(p("20.5")),
                number: 7,
            },
            E::ImportUndoScore {
                entry: s("JS001"),
                judge: s("PW01"),
                round: s("lesson"),
                criterion: s("method"),
                old: Some(p("24")),
                new: None,
                number: 7,
            },
            E::ImportUndoSheet {
                entry: s("JS001"),
                judge: s("PW01"),
                round: s("lesson"),
                old: Some(s("submitted")),
                new: None,
                number: 7,
            },
            E::ImportUndoSheet {
                entry: s("JS002"),
                judge: s("PW01"),
                round: s("lesson"),
                old: Some(s("submitted")),
                new: Some(s("draft")),
                number: 8,
            },
            E::RubricApply {
                file: s("新 \"评分\" 标准.toml"),
                old: s("aa11"),
                new: s("bb22"),
                renamed: vec![(s("家长组"), s("家长代表组")), (s("a=b,c"), s("d"))],
                reopened: 4,
                reason: s("更正组名"),
            },
            E::RubricApply {
                file: s("r.toml"),
                old: s("aa11"),
                new: s("cc33"),
                renamed: vec![],
                reopened: 0,
                reason: s("改权重"),
            },
            E::DiscussionOpen { entry: s("AL20250043") },
            E::DiscussionClose { entry: s("AL20250043") },
            E::PhaseStart {
                phase: s("复评"),
                previous: s("初评"),
                take: crate::core::shortlist::Status::Shortlisted,
                taken: 12,
                rubric_file: None,
            },
            E::PhaseStart {
                phase: s("决赛"),
                previous: s("初赛"),
                take: crate::core::shortlist::Status::Selected,
                taken: 3,
                rubric_file: Some(s("决赛 rubric.toml")),
            },
            E::PhaseDrop {
                phase: s("复评"),
                back_to: s("初评"),
                reason: s("复评名单有误"),
            },
            E::PhaseName { name: s("初赛") },
        ]
    }

    #[test]
    fn every_variant_is_written_and_read_back_equal() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("a.jury")).unwrap();
        let events = every_event();
        let covered: std::collections::BTreeSet<&str> = events.iter().map(AuditEvent::action).collect();
        let all: std::collections::BTreeSet<&str> = ACTIONS.iter().copied().collect();
        assert_eq!(covered, all, "one event of every action");
        store
            .write(|tx| {
                for e in &events {
                    tx.audit(&Actor::Organiser, e)?;
                }
                Ok(())
            })
            .unwrap();
        let rows = store.audit_log(None, None).unwrap();
        let back: Vec<AuditEvent> = rows.iter().map(|r| r.event().unwrap()).collect();
        assert_eq!(back, events);
        // The chain holds (the scores the rows name were never stored, which verify names).
        assert!(!matches!(
            store.audit_verify().unwrap(),
            crate::store::ChainCheck::Broken { .. }
        ));
    }

    #[test]
    fn the_stored_columns_are_those_written_before_the_enum() {
        // What `audit_append` wrote for a judge's score, a submission and a lock.
        let row = AuditEvent::Score {
            entry: "E1".into(),
            judge: "J01".into(),
            round: "lesson".into(),
            criterion: "content".into(),
            old: Some(p("20")),
            new: Some(p("25.5")),
        }
        .row();
        assert_eq!(
            (
                row.action,
                row.entry.as_deref(),
                row.judge.as_deref(),
                row.detail.as_str()
            ),
            ("score", Some("E1"), Some("J01"), "lesson/content")
        );
        assert_eq!(
            (row.old_value.as_deref(), row.new_value.as_deref(), row.reason.as_str()),
            (Some("20"), Some("25.5"), "")
        );
        let row = AuditEvent::Submit {
            entry: "E1".into(),
            judge: "J01".into(),
            round: "lesson".into(),
            total: p("87.25"),
            reason: String::new(),
        }
        .row();
        assert_eq!(
            (row.detail.as_str(), row.old_value.as_deref(), row.new_value.as_deref()),
            ("lesson", Some("draft"), Some("submitted total 87.25"))
        );
        let row = AuditEvent::Lock {
            group: Some("教师组".into()),
            round: None,
            reason: "r".into(),
        }
        .row();
        assert_eq!(
            (row.detail.as_str(), row.old_value.as_deref(), row.new_value.as_deref()),
            ("教师组 / *", None, Some("locked"))
        );
        let row = AuditEvent::Init {
            rubric_file: "competition.toml".into(),
            sealed: true,
            contest_name: "x".into(),
        }
        .row();
        assert_eq!(row.detail, "rubric competition.toml (sealed)");
    }

    #[test]
    fn every_row_jury_writes_reads_back_as_an_event() {
        // The demo imports entries, judges and scores; then a judge scores, submits and comments,
        // and the organiser reopens, locks and unlocks.
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let judge = crate::app::demo::DEMO_JUDGE;
        let session = crate::app::judging::JudgeSession::trusted(&store, judge).unwrap();
        let rubric = store.rubric().unwrap().clone();
        let round = &rubric.rounds[0];
        for c in &round.criteria {
            session.set_score("JS001", &round.id, &c.id, "1").unwrap();
        }
        session.submit("JS001", &round.id).unwrap();
        session.set_comment("JS002", "清楚").unwrap();
        let org = Actor::Organiser;
        crate::app::organiser::reopen(&store, &org, judge, "JS001", &round.id, "漏评").unwrap();
        crate::app::organiser::lock(&store, &org, None, Some(&round.id), "公布").unwrap();
        crate::app::organiser::unlock(&store, &org, None, Some(&round.id), "更正").unwrap();
        let rows = store.audit_log(None, None).unwrap();
        let actions: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.action.as_str()).collect();
        for a in [
            "init",
            "import-entries",
            "import-judges",
            "score",
            "submit",
            "comment",
            "reopen",
            "lock",
            "unlock",
        ] {
            assert!(actions.contains(a), "{a} in {actions:?}");
        }
        for row in &rows {
            let event = row.event().unwrap_or_else(|p| panic!("{p}"));
            let again = event.row();
            assert_eq!(
                (again.action, &again.entry, &again.judge, &again.detail),
                (row.action.as_str(), &row.entry, &row.judge, &row.detail)
            );
            assert_eq!(
                (&again.old_value, &again.new_value, &again.reason),
                (&row.old_value, &row.new_value, &row.reason)
            );
        }
    }

    fn raw(action: &str, detail: &str, new_value: Option<&str>) -> AuditRow {
        AuditRow {
            seq: 7,
            at: String::new(),
            actor: "cli".into(),
            action: action.into(),
            entry: Some("E1".into()),
            judge: Some("J01".into()),
            detail: detail.into(),
            old_value: None,
            new_value: new_value.map(str::to_string),
            reason: String::new(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn an_unknown_action_or_a_row_that_does_not_fit_is_reported() {
        assert_eq!(
            raw("note", "anything", None).event(),
            Err(EventProblem::UnknownAction {
                seq: 7,
                action: "note".into()
            })
        );
        let problem = raw("score", "no-slash", Some("1")).event().unwrap_err();
        assert_eq!(
            problem.to_string(),
            "audit row 7 (score): a score row without round/criterion (\"no-slash\")"
        );
        let problem = raw("score", "lesson/content", Some("lots")).event().unwrap_err();
        assert!(problem.to_string().contains("new value is not a number"), "{problem}");
        assert!(raw("submit", "lesson", Some("total 3")).event().is_err());
        assert!(raw("lock", "no scope", Some("locked")).event().is_err());
        assert!(
            raw("assign-per-entry", "x reviewers per entry", Some("1"))
                .event()
                .is_err()
        );
        assert!(raw("shortlist", "batch x", Some("selected")).event().is_err());
    }
}
