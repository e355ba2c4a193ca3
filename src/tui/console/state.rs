//! The console's whole state: what [`super::update`] changes and [`super::view`] draws.

use std::time::Instant;

use ratatui::layout::Rect;

pub use super::tabs::export::ExportTab;
pub use super::tabs::progress::ProgressTab;
pub use super::tabs::shortlist::ShortlistTab;
pub use super::tabs::stage::StageTab;
use crate::core::Kind;
use crate::core::shortlist::Status;

use crate::app::progress::RoomData;
use crate::i18n::console::ConsoleTexts;
use crate::tui::Lang;
use crate::tui::theme::Theme;

pub use crate::i18n::console::{ExportKind, Tab};

/// What a one-line text prompt is asking for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// The reason for reopening a judge's submitted sheet.
    Reopen {
        judge: String,
        entry: String,
        round: String,
    },
    /// The reason for a lock (may be empty).
    Lock {
        group: Option<String>,
        round: Option<String>,
    },
    /// The reason for lifting a lock (required).
    Unlock {
        group: Option<String>,
        round: Option<String>,
    },
    /// A batch number for an entry of the shortlist (empty: no change).
    Batch { entry: String },
    /// The file to write.
    ExportFile(ExportKind),
    /// The reason for removing a judge (required).
    RemoveJudge { judge: String },
    /// The reason for withdrawing an entry (required).
    Withdraw { entry: String },
    /// The reason for restoring a withdrawn entry (required).
    Restore { entry: String },
    /// The reason for undoing an import (required).
    UndoImport { number: i64 },
    /// The rubric file to change to (`jury rubric apply`): its diff is shown next.
    RubricFile,
    /// The reason for changing to the rubric at `path` (`changes` keys), under the `summary`
    /// of its diff.
    RubricReason {
        path: String,
        changes: usize,
        summary: Vec<String>,
    },
    /// The next phase's name and the status it takes (`复评 入围`).
    StartPhase { current: String },
    /// The judge who takes over `judge`'s open work, and the reason (`PW10 评委因病缺席`).
    ReplaceJudge { judge: String },
    /// The reason for removing `judge`'s scores of `entry` in `round` (required).
    RemoveScore {
        judge: String,
        entry: String,
        round: String,
    },
    /// The reason for dropping the newest phase `phase` (`back_to` becomes current again).
    DropPhase { phase: String, back_to: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub ask: Ask,
    pub input: String,
    /// What the input was prefilled with (a file name left as suggested is chosen afresh).
    pub initial: String,
    pub error: Option<String>,
}

/// The fields of the propose form, in order.
pub const PROPOSE_FIELDS: usize = 6;
pub const FIELD_TOTAL: usize = 0;
pub const FIELD_MIN_GROUP: usize = 1;
pub const FIELD_MAX_COUNTY: usize = 2;
pub const FIELD_BATCH: usize = 3;
pub const FIELD_STATUS: usize = 4;
/// A yes/no toggle: also propose cases the formal check flags (`--include-flagged`).
pub const FIELD_FLAGGED: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposeForm {
    /// Texts of the number fields (the status field's text is unused).
    pub fields: [String; PROPOSE_FIELDS],
    pub focus: usize,
    /// Shortlisted or selected.
    pub status: Status,
    pub error: Option<String>,
    /// Also propose cases that fail the formal check or are the lower-ranked of likely duplicates.
    pub include_flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Prompt(Prompt),
    Propose(ProposeForm),
    /// Lines to read (e.g. the targets a proposal could not meet), closed with any key.
    Report {
        title: String,
        lines: Vec<String>,
    },
    /// Who is connected to the server: the sessions as last listed (`serving: false` on a local
    /// terminal) and the chosen row.
    Connected {
        rows: Vec<crate::app::sessions::SessionInfo>,
        serving: bool,
        selected: usize,
    },
    /// The imports (`i` on the locks tab), newest first, and the chosen row.
    Imports {
        rows: Vec<crate::app::import::ImportRecord>,
        selected: usize,
    },
    /// The phases and their leaders (`p` on the tally), as lines to read; `x` drops the newest
    /// (`newest`, with `before` current again: empty with one phase), any other key closes.
    Phases {
        lines: Vec<String>,
        newest: String,
        before: String,
    },
}

/// Messages on the bottom line, as on the judges' screen.
pub use crate::tui::state::{Level, Message};

#[derive(Debug, Clone, Default)]
pub struct Login {
    pub pass: String,
    pub locked_until: Option<Instant>,
    pub error: Option<String>,
}

impl Login {
    /// Seconds left of the pause after too many wrong passphrases, if any.
    pub fn locked_secs(&self, now: Instant) -> Option<u64> {
        let until = self.locked_until?;
        let left = until.saturating_duration_since(now);
        (!left.is_zero()).then(|| left.as_secs() + u64::from(left.subsec_nanos() > 0))
    }
}

/// Where things were drawn last, for the mouse and for paging.
#[derive(Debug, Clone, Default)]
pub struct Areas {
    pub tabs: Vec<(Rect, Tab)>,
    pub group: Rect,
    pub round: Rect,
    /// The list's rows: (area, row index).
    pub rows: Vec<(Rect, usize)>,
    /// Progress matrix columns: (x, width, column index).
    pub columns: Vec<(u16, u16, usize)>,
    /// Rows a page key moves.
    pub page: usize,
}

/// A file written from the console this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub what: String,
    pub path: String,
    pub fingerprint: String,
}

/// The console's state: plain values only (no workspace handle); see [`super::update`].
pub struct Console {
    pub t: &'static ConsoleTexts,
    pub lang: Lang,
    pub theme: Theme,
    pub contest: String,
    pub kind: Kind,
    pub logged_in: bool,
    pub login: Login,
    pub tab: Tab,
    pub overlay: Option<Overlay>,
    pub message: Option<Message>,
    /// `None` until logged in.
    pub data: Option<RoomData>,
    /// Index into the rubric's groups.
    pub group: usize,
    /// Index into the rubric's rounds.
    pub round: usize,
    /// Per tab: selected row and first visible row.
    pub selected: [usize; 7],
    pub offset: [usize; 7],
    /// Progress: the first visible judge column; stats: the first histogram judge.
    pub column_offset: usize,
    /// Each tab's own state.
    pub progress: ProgressTab,
    pub shortlist: ShortlistTab,
    pub stage: StageTab,
    pub export: ExportTab,
    pub data_version: Option<i64>,
    pub help_scroll: usize,
    /// The current phase's name (评审阶段), as last listed (`p` on the tally).
    pub phase: Option<String>,
    pub quit: bool,
    pub areas: Areas,
    /// The effects asked for by the message being handled.
    pub effects: Vec<super::effect::Effect>,
}

/// How the console starts.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    pub lang: Lang,
    pub no_color: bool,
    /// Skip the passphrase (tests only: the real entry point always asks).
    pub trusted: bool,
}

impl ConsoleOptions {
    pub fn new(lang: Lang) -> ConsoleOptions {
        ConsoleOptions {
            lang,
            no_color: false,
            trusted: false,
        }
    }
}
