//! What the console asks of the workspace ([`Effect`]) and what comes back ([`Outcome`]): plain
//! values, so the state machine is tested with no workspace file. [`super::runner`] runs each
//! effect through `crate::app`.

use crate::app::login::Lifted;
use crate::app::organiser::{PassCheck, Toggled};
use crate::app::progress::RoomData;
use crate::app::sessions::SessionInfo;
use crate::app::stage::Stage;
use crate::core::Entry;
use crate::core::shortlist::{Proposal, Status, Targets};
use crate::error::Result;

use super::state::ExportKind;

/// Something the console needs done outside itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Try the organiser's passphrase (the library counts the tries and keeps the pause).
    Login { passphrase: String },
    /// Read everything the console shows; `group` (an index into the rubric's groups) chooses the
    /// running order of a competition's stage; the audit trail only when asked for.
    Reload { with_audit: bool, group: usize },
    /// Has anyone else written since? (the workspace's data version)
    Poll,
    /// Reopen a judge's submitted sheet, with the reason.
    Reopen {
        judge: String,
        entry: String,
        round: String,
        reason: String,
    },
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
    /// Give or take one judge's assignment on one entry.
    ToggleAssignment { judge: String, entry: String },
    /// Lift a judge's login pause (three wrong PINs).
    LiftPause { judge: String },
    /// Who is connected to the server (none on a local terminal).
    ListSessions,
    /// End a connected session (the server tells its client why).
    EndSession { id: u64 },
    /// Set an entry's shortlist status and batch (`by_batch`: the batch prompt asked for it).
    Shortlist {
        entry: String,
        status: Status,
        batch: Option<i64>,
        by_batch: bool,
    },
    /// Keep the targets, then propose entries to meet them.
    Propose {
        targets: Targets,
        status: Status,
        batch: Option<i64>,
        include_flagged: bool,
    },
    /// Competitions: a move on the stage.
    Stage(StageMove),
    /// The file name the command line would choose for an export.
    ExportName { kind: ExportKind },
    /// Write the export to `name` (`suggested`: left as proposed, so the library may choose it
    /// afresh).
    Export {
        kind: ExportKind,
        name: String,
        suggested: bool,
    },
    /// Remove a judge from the contest (drafts deleted, submitted sheets kept).
    RemoveJudge { judge: String, reason: String },
    /// Take an entry out of the ranking (弃权).
    Withdraw { entry: String, reason: String },
    /// Bring a withdrawn entry back.
    Restore { entry: String, reason: String },
    /// Every import (`jury import list`).
    ListImports,
    /// Undo an import (`jury import undo N --reason R`).
    UndoImport { number: i64, reason: String },
    /// What changing to the rubric file at `path` would do (`jury rubric diff`).
    RubricDiff { path: String },
    /// Change to the rubric file at `path` (`jury rubric apply`).
    RubricApply { path: String, reason: String },
    /// Put an entry under discussion (`open`) or end its discussion.
    Discuss { entry: String, open: bool },
    /// The phases, each with its tally (an earlier one read from its archive).
    Phases,
    /// Start the next phase with the current phase's entries of status `take`.
    StartPhase { name: String, take: String },
    /// `jury assign --replace OLD NEW`: NEW takes over OLD's open work.
    ReplaceJudge { old: String, new: String, reason: String },
    /// `jury score remove JUDGE ENTRY --round ROUND`: every score of that sheet.
    RemoveScore {
        judge: String,
        entry: String,
        round: String,
        reason: String,
    },
    /// Drop the newest phase (`jury phase drop --reason R`).
    DropPhase { reason: String },
}

/// A move on the stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageMove {
    Set { entry: String, round: String },
    Advance(i64),
    Reveal(bool),
    RevealProvisional,
}

/// A change the organiser made through a prompt or a key, for the message that confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Reopened {
        judge: String,
        entry: String,
    },
    Locked {
        group: Option<String>,
        round: Option<String>,
    },
    Unlocked {
        group: Option<String>,
        round: Option<String>,
    },
    Status {
        entry: String,
        status: Status,
    },
    Batch {
        entry: String,
        batch: Option<i64>,
    },
    JudgeRemoved {
        judge: String,
    },
    Withdrawn {
        entry: String,
    },
    Restored {
        entry: String,
    },
    ImportUndone {
        number: i64,
    },
    DiscussionOpened {
        entry: String,
    },
    DiscussionClosed {
        entry: String,
    },
    PhaseStarted {
        name: String,
    },
    JudgeReplaced {
        old: String,
        new: String,
    },
    ScoreRemoved {
        judge: String,
        entry: String,
        round: String,
    },
    PhaseDropped {
        phase: String,
        back_to: String,
    },
}

/// Everything one [`Effect::Reload`] read.
pub struct Loaded {
    pub data: RoomData,
    /// The workspace's data version when read.
    pub version: i64,
    pub stage: Option<Stage>,
    pub submissions: Vec<(String, bool)>,
    pub stage_order: Vec<Entry>,
}

/// What became of an effect.
pub enum Outcome {
    Login(Result<PassCheck>),
    Loaded(Result<Box<Loaded>>),
    Polled(Result<i64>),
    Changed {
        change: Change,
        result: Result<()>,
    },
    Toggled {
        judge: String,
        entry: String,
        result: Result<Toggled>,
    },
    Proposed {
        status: Status,
        result: Result<Proposal>,
    },
    Staged(Result<Stage>),
    ExportName {
        kind: ExportKind,
        result: Result<String>,
    },
    /// The file's absolute path and fingerprint.
    Exported {
        kind: ExportKind,
        result: Result<(String, String)>,
    },
    PauseLifted {
        judge: String,
        result: Result<Lifted>,
    },
    /// The live sessions; `None`: this console is not served (a local terminal).
    Sessions(Option<Vec<SessionInfo>>),
    /// Whether session `id` was there to end.
    SessionEnded {
        id: u64,
        ended: bool,
    },
    /// The imports, oldest first.
    Imports(Result<Vec<crate::app::import::ImportRecord>>),
    /// The diff of the rubric file at `path` (and the current rubric's file name).
    RubricDiffed {
        path: String,
        result: Result<(Box<crate::core::rubric_change::RubricDiff>, String)>,
    },
    /// The rubric at `path` is the contest's now.
    RubricApplied {
        path: String,
        result: Result<Box<crate::app::rubric_change::Applied>>,
    },
    /// Every phase and its tally.
    Phases(Result<Vec<(crate::core::phase::Phase, crate::core::tally::Tally)>>),
}
