//! The screen's whole state: what [`super::update`] changes and [`super::view`] draws.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use ratatui::layout::Rect;

use crate::app::judging::{EntryRow, OnStage, OwnSheet};
use crate::core::{Entry, Judge, Kind, Rubric};
use crate::search::IncrementalSearch;

use crate::i18n::judge::{Lang, Texts};
use crate::tui::theme::Theme;

/// How many wrong PINs in a row before the pause, and the pause: the library's rule.
pub use crate::core::lockout::{MAX_FAILURES as MAX_PIN_TRIES, PAUSE_SECS as PIN_PAUSE_SECS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Login,
    List,
    Search,
    Entry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    ConfirmSubmit,
    /// The comment being written (or read, once every round is submitted).
    Comment(CommentBox),
    /// The contestant on stage is one this judge sits out (回避, or not on the group's panel).
    SitOut(String),
    /// The panel's marks of the entry under discussion, scrolled by this many lines.
    Panel(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub level: Level,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginStage {
    Pick,
    Pin,
}

#[derive(Debug, Clone)]
pub struct LoginState {
    pub judges: Vec<Judge>,
    pub filter: String,
    /// Index into [`LoginState::visible`].
    pub selected: usize,
    pub stage: LoginStage,
    pub pin: String,
    pub failures: u32,
    pub locked_until: Option<Instant>,
    pub error: Option<String>,
    /// The judges' search keys (id, name, organisation), built once, when the login list is
    /// first shown or searched ([`LoginState::keys`]): a judge logged in already (the demo, the
    /// start-up probe) never needs them, and their normalised keys cost the first frame (issue 18).
    keys: std::sync::OnceLock<std::sync::Arc<crate::search::SearchIndex>>,
}

impl LoginState {
    /// The login list of `judges`, nothing typed yet, on the first judge.
    pub fn new(judges: Vec<Judge>) -> LoginState {
        LoginState {
            keys: std::sync::OnceLock::new(),
            judges,
            filter: String::new(),
            selected: 0,
            stage: LoginStage::Pick,
            pin: String::new(),
            failures: 0,
            locked_until: None,
            error: None,
        }
    }

    /// Judges matching the filter as the search finds them (id, name, its pinyin in full or by
    /// initials, organisation), best first; every judge in order when nothing is typed. As indices.
    pub fn visible(&self) -> Vec<usize> {
        self.keys().search(&self.filter).into_iter().map(|h| h.doc).collect()
    }

    /// The judges' search keys, built on the first call.
    pub fn keys(&self) -> &crate::search::SearchIndex {
        self.keys.get_or_init(|| {
            let docs = self
                .judges
                .iter()
                .map(|j| crate::search::SearchDoc {
                    fields: vec![j.id.clone(), j.name.clone(), j.organization.clone()],
                })
                .collect();
            std::sync::Arc::new(crate::search::SearchIndex::new(docs))
        })
    }

    /// Whether the search keys are built yet (they are not until the login list needs them).
    pub fn keys_built(&self) -> bool {
        self.keys.get().is_some()
    }

    pub fn chosen(&self) -> Option<&Judge> {
        self.visible().get(self.selected).map(|&i| &self.judges[i])
    }

    /// Seconds left of the pause after too many wrong PINs, if any.
    pub fn locked_secs(&self, now: Instant) -> Option<u64> {
        let until = self.locked_until?;
        let left = until.saturating_duration_since(now);
        (!left.is_zero()).then(|| left.as_secs() + u64::from(left.subsec_nanos() > 0))
    }
}

/// A tab of the entry list: one group (or topic category).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    pub label: String,
    /// Indices into [`App::rows`], in display order.
    pub rows: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct ListState {
    pub tab: usize,
    /// Index into the current tab's rows.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
}

/// A search result: which row, and which characters of which fields matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub row: usize,
    /// Found only for the rows drawn ([`SearchState::highlight_window`]): empty until then.
    pub highlights: Vec<(usize, Vec<usize>)>,
    pub highlighted: bool,
}

#[derive(Default)]
pub struct SearchState {
    pub query: String,
    /// Built on first use (and again when the entries change).
    pub engine: Option<IncrementalSearch>,
    pub results: Vec<Found>,
    pub selected: usize,
    pub offset: usize,
}

impl SearchState {
    /// Find the matched characters of the results `first..first + count` that do not have them
    /// yet. The search itself runs without highlights: on a large contest a keystroke would
    /// otherwise find them for every hit while the screen shows a few dozen.
    pub fn highlight_window(&mut self, first: usize, count: usize) {
        let Some(engine) = self.engine.as_ref() else {
            return;
        };
        for found in self.results.iter_mut().skip(first).take(count) {
            if !found.highlighted {
                found.highlights = engine.index().highlights_for(found.row, &self.query);
                found.highlighted = true;
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Reader,
    Sheet,
}

/// The entry being read and scored.
#[derive(Debug, Clone)]
pub struct OpenEntry {
    pub entry: Entry,
    pub focus: Pane,
    pub scroll: usize,
    /// Index into the rubric's rounds.
    pub round: usize,
    /// Index into the round's criteria.
    pub criterion: usize,
    /// The text of the focused criterion's field.
    pub input: String,
    /// The next typed character replaces the field (as in a spreadsheet).
    pub fresh: bool,
    /// The field differs from what is stored.
    pub dirty: bool,
    /// Why the field's text cannot be stored, shown at once.
    pub error: Option<String>,
    /// The judge's own sheets, one per round.
    pub sheets: Vec<OwnSheet>,
    pub comment: String,
    /// Per round, why the organiser reopened the judge's sheet (when its last change was that).
    pub reopened: Vec<Option<String>>,
    /// Where the field's value goes: set when editing starts, so a commit stores the value on
    /// the entry, round and criterion that were on screen when it was typed, whatever changes
    /// (the stage, a refresh) arrive between the keystrokes.
    pub target: Option<FieldTarget>,
    /// The document the entry was imported from, if any.
    pub source: Option<String>,
    /// The panel's marks, when the entry is under discussion and the judge may see them.
    pub discussion: Option<crate::core::discussion::PanelView>,
}

/// The sheet cell a field is editing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTarget {
    pub entry: String,
    /// The round's id.
    pub round: String,
    /// The criterion's id.
    pub criterion: String,
}

/// Where things were drawn last, for the mouse and for paging.
#[derive(Debug, Clone, Default)]
pub struct Areas {
    pub tabs: Vec<(Rect, usize)>,
    pub list: Rect,
    pub search: Rect,
    pub reader: Rect,
    pub reader_lines: usize,
    pub sheet_rows: Vec<(Rect, usize)>,
    pub login_list: Rect,
    pub login_offset: usize,
    /// Reader and sheet side by side.
    pub wide: bool,
}

/// The judges' screen: a pure state machine. It holds no workspace: [`App::update`] returns
/// [`super::effects::Effect`]s, and what became of them comes back through [`App::outcome`].
pub struct App {
    pub t: &'static Texts,
    pub theme: Theme,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub login: LoginState,
    /// The judge logged in (once the library has opened their session).
    pub judge: Option<Judge>,
    pub rubric: Arc<Rubric>,
    pub contest: String,
    pub kind: Kind,
    pub rows: Vec<EntryRow>,
    /// (submitted sheets, sheets to score) over `rows` for the header: counted when the rows are
    /// loaded and kept up to date as sheets are submitted, not recounted on every draw.
    pub progress: (usize, usize),
    /// The widest entry id in `rows` (display columns), measured when the rows are loaded: the
    /// list's id column is sized by it, and measuring a million ids on every draw took 100 ms.
    pub id_width: usize,
    pub tabs: Vec<Tab>,
    pub list: ListState,
    pub search: SearchState,
    pub open: Option<OpenEntry>,
    pub message: Option<Message>,
    /// A line for the demo: how to start as another judge or as the organiser.
    pub hint: Option<String>,
    pub data_version: Option<i64>,
    /// The audit row the list was last loaded at: other judges' scoring moves `data_version` many
    /// times a second, but reloads the list (100k rows) only when a later row concerns it.
    pub audit_seen: i64,
    pub quit: bool,
    /// First line of the help shown (the view clamps it).
    pub help_scroll: usize,
    pub areas: Areas,
    /// The stage (entry, round) the screen last followed (competitions).
    pub stage_seen: Option<(String, String)>,
    /// A stage the judge has not followed: they were typing a value or on a draft sheet (or
    /// searching). Shown on one line with the key that goes there (F6, Ctrl-G).
    pub stage_pending: Option<OnStage>,
    /// Who is on stage, for that line: running number, id, name, title.
    pub stage_who: Option<String>,
    /// What the judge is told on the terminal after the screen closes (q, Ctrl-C): whether the
    /// value being typed was saved.
    pub exit_note: Option<String>,
    /// A write another process's lock held back: kept on screen and retried on every tick.
    pub waiting: Option<Waiting>,
    /// The workspace file was deleted or replaced: nothing more is accepted.
    pub gone: bool,
    /// Ctrl+C was pressed once while a value was waiting: a second press quits without it.
    pub quit_asked: bool,
    /// The effects returned and not answered yet, oldest first, with what to do once answered.
    pub(crate) asked: VecDeque<Asked>,
    /// The effects asked for while handling the current message, returned by `update`.
    pub(crate) out: Vec<super::effects::Effect>,
    /// A write waiting for another process's lock is being tried again (on the tick).
    pub(crate) retrying: bool,
    /// A write asked for and not answered yet: what the message line says meanwhile (`Saving
    /// 内容 = 8`). The runtime draws it before the write runs, so the key is answered at once even
    /// when the commit waits behind the disk; `Saved` is said only by the commit's outcome.
    pub saving: Option<String>,
    /// Only the list's first page is here: the rest is being read (issue 18). Keys that need the
    /// whole list wait for it ([`App::held`]).
    pub loading: bool,
    /// Keys pressed while the list loads that need all of it (search, the next to score, paging,
    /// the end, the tabs), and every key after the first of them, in order: pressed again once
    /// the list is in.
    pub held: Vec<ratatui::crossterm::event::KeyEvent>,
}

/// What an effect was for: a refusal is shown where the judge asked, and some steps go on once
/// the workspace has answered (a value saved, then the cursor moves).
#[derive(Debug, Clone)]
pub(crate) enum Asked {
    Login,
    /// A value of the field, and what to do once it is stored (or refused).
    Save(Then),
    Submit,
    Comment,
    SaveComment,
    /// Opening an entry, and what to do once it is open.
    Open(AfterOpen),
    Refresh,
    Poll,
    Reopened,
    /// Reading the stage: `go` for F6 (follow it whatever holds the judge).
    Stage {
        go: bool,
    },
    /// Asking whether the whole list is read (behind the first page).
    Load,
}

/// What waits for the field's value to be stored.
#[derive(Debug, Clone)]
pub(crate) enum Then {
    Nothing,
    MoveCriterion(isize),
    FocusCriterion(usize),
    SwitchRound(isize),
    AskSubmit,
    StartComment,
    OpenNextUnscored,
    GoToStage,
    /// Quitting (q, Ctrl-C): say what became of the value once the screen is gone.
    Exit {
        ctrl_c: bool,
    },
    /// Following the stage to a contestant this judge sits out (stored or not).
    SitOut(Box<OnStage>),
    /// Following the stage to another contestant (open them) or another round.
    Follow(Box<OnStage>),
}

/// What to do once an entry is open.
#[derive(Debug, Clone)]
pub(crate) enum AfterOpen {
    Nothing,
    /// The stage's round, for the contestant on stage.
    Stage(Box<OnStage>),
}

/// What is waiting for another process to finish writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// The focused field's value (still in the field).
    Field,
    /// The confirmed submission of the open sheet.
    Submit,
}

/// How the screen starts.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    /// Preselect this judge on the login screen (the PIN is still asked).
    pub judge: Option<String>,
    /// Log in as [`Options::judge`] without a PIN: the built-in demo only.
    pub trusted: bool,
    pub hint: Option<String>,
    pub no_color: bool,
    /// The client's address (ip:port) over `jury serve`: named in the audit rows the judge writes.
    pub address: Option<String>,
    /// How the judge's writes are stored: on this screen's connection, or by the server's writer.
    pub writes: crate::app::judging::Writes,
    /// Show the list's first page first and read the rest behind it, on lists of about this many
    /// entries and more (the local `jury`: [`crate::app::judging::FIRST_PAGE_FROM`]; `None`
    /// under `jury serve`, where the list is shared and read once for every session).
    pub first_page_from: Option<i64>,
}

impl Options {
    pub fn new(lang: Lang) -> Options {
        Options {
            lang,
            judge: None,
            trusted: false,
            hint: None,
            no_color: false,
            address: None,
            writes: crate::app::judging::Writes::Local,
            first_page_from: None,
        }
    }
}

/// The comment box (F4): a text input with a cursor (tui-input: moves and deletes by grapheme,
/// measures display columns). Read-only once the judge has submitted every round of the entry
/// ([`crate::app::judging::JudgeSession::comment_editable`]).
#[derive(Debug, Clone)]
pub struct CommentBox {
    pub input: tui_input::Input,
    pub read_only: bool,
}

impl CommentBox {
    /// The box holding `text`, the cursor after its end.
    pub fn new(text: &str, read_only: bool) -> CommentBox {
        CommentBox {
            input: tui_input::Input::new(text.to_string()),
            read_only,
        }
    }

    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// The cursor as a byte offset into [`CommentBox::text`].
    pub fn cursor_byte(&self) -> usize {
        let text = self.input.value();
        text.char_indices()
            .nth(self.input.cursor())
            .map_or(text.len(), |(i, _)| i)
    }
}

impl PartialEq for CommentBox {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text() && self.input.cursor() == other.input.cursor() && self.read_only == other.read_only
    }
}

impl Eq for CommentBox {}
