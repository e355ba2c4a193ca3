//! `jury show`: the projector, a read-only full screen for the big display in the room.
//!
//! Competitions: the contestant on stage and how many judges have submitted; the judges' totals
//! once every judge who may score is in (rubric `reveal = "all-in"`, the default) or one by one as
//! they submit (`"as-submitted"`); the highest and lowest struck through and the round score (and
//! the final, once every round is in) in big digits when the host reveals it (亮分, `jury stage
//! reveal`). Between contestants, and for case selections, the running ranking per group: award
//! tiers only once the group is complete (before that 暂定排名), paged by itself when it is longer
//! than the screen. No login: it shows only what the room may see, and it never writes (the
//! workspace is only read; refreshes come from polling `PRAGMA data_version`).
//!
//! A pure state machine on the one event loop ([`crate::tui::runtime`]): [`Board`] is everything
//! drawn, read by [`crate::app::board`] in one snapshot; [`Projector`] adds what the keys and the
//! clock change and holds no workspace. Every tick asks for [`Effect::Reload`]; the [`Runner`]
//! reads the board again when another process has committed and hands it back as an
//! [`Outcome`]. [`view`] draws.

pub mod view;

#[cfg(test)]
mod tests;

use std::path::Path;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::Store;
use crate::app::board::Watch;
pub use crate::app::board::{Board, GroupStandings, OnStage, ShownMark, Standing, Waiting};
use crate::error::Result;
use crate::tui::Lang;
use crate::tui::runtime::{self, Effects, Event};

/// How often the workspace is polled for changes (and the clock looked at for the next page).
const POLL_EVERY: Duration = Duration::from_millis(500);

/// How often a ranking longer than the screen turns to its next page, unless told otherwise.
pub const PAGE_EVERY: Duration = Duration::from_secs(8);

/// Which screen the projector shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Stage,
    Ranking,
}

/// What the projector asks of the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Read the board again if the workspace changed.
    Reload,
}

/// What became of a [`Effect::Reload`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The workspace changed: the new board.
    Board(Box<Board>),
    /// Nothing changed since the last read.
    Unchanged,
    /// The workspace could not be read (shown in the projector's language, never fatal: the room
    /// keeps its screen).
    Failed(crate::tui::failure::Failure),
}

/// The projector: the board plus what the keys and the clock choose. It holds no workspace.
pub struct Projector {
    pub board: Board,
    /// What the operator asked for; the ranking is shown anyway while nothing is on stage.
    pub wanted: Screen,
    /// The group shown in the ranking (index into `board.groups`); follows the stage's group
    /// until the operator picks one.
    pub group: usize,
    group_chosen: bool,
    pub lang: Lang,
    pub no_color: bool,
    pub quit: bool,
    /// The last error reading the workspace (shown, never fatal: the room keeps its screen).
    pub problem: Option<String>,
    /// The ranking's page, counted without bound; the view takes it modulo the pages there are
    /// (so PgUp on the first page shows the last).
    pub page: i64,
    /// Turn the ranking's page this often (`None`: only by hand).
    pub page_every: Option<Duration>,
    /// When the page shown was turned to (set by the first tick that shows the ranking).
    page_since: Option<Instant>,
}

impl Projector {
    pub fn new(board: Board, lang: Lang, no_color: bool) -> Projector {
        let mut p = Projector {
            board,
            wanted: Screen::Stage,
            group: 0,
            group_chosen: false,
            lang,
            no_color,
            quit: false,
            problem: None,
            page: 0,
            page_every: Some(PAGE_EVERY),
            page_since: None,
        };
        p.follow_stage_group();
        p
    }

    /// What is on screen now.
    pub fn screen(&self) -> Screen {
        if self.board.stage.is_some() {
            self.wanted
        } else {
            Screen::Ranking
        }
    }

    fn follow_stage_group(&mut self) {
        if self.group_chosen {
            return;
        }
        if let Some(s) = &self.board.stage
            && let Some(i) = self.board.groups.iter().position(|g| g.group == s.stage.group)
        {
            self.group = i;
        }
    }

    /// Turn the ranking's page when it has been shown for [`Projector::page_every`], and ask for
    /// the board again. `now` is the clock's time (a value, so tests can move it).
    pub fn tick(&mut self, now: Instant) -> Vec<Effect> {
        match (self.screen(), self.page_every, self.page_since) {
            (Screen::Ranking, Some(every), Some(since)) => {
                if now.saturating_duration_since(since) >= every {
                    self.page += 1;
                    self.page_since = Some(now);
                }
            }
            (Screen::Ranking, Some(_), None) => self.page_since = Some(now),
            _ => self.page_since = None,
        }
        vec![Effect::Reload]
    }

    /// Another group, from its first page.
    fn choose_group(&mut self, group: usize) {
        if group != self.group {
            self.page = 0;
        }
        self.group = group;
        self.group_chosen = true;
        self.page_since = None;
    }

    /// What the runner read: a new board, nothing new, or why the workspace could not be read.
    pub fn outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Board(board) => self.show(*board),
            Outcome::Unchanged => {}
            Outcome::Failed(problem) => self.problem = Some(problem.text(self.lang)),
        }
    }

    /// A new board: a new contestant on stage brings the stage screen back.
    pub fn show(&mut self, board: Board) {
        let stage_changed =
            board.stage.as_ref().map(|s| &s.stage.entry) != self.board.stage.as_ref().map(|s| &s.stage.entry);
        self.board = board;
        self.problem = None;
        if stage_changed {
            // A new contestant: the room wants to see them, not the ranking.
            self.wanted = Screen::Stage;
            self.group_chosen = false;
        }
        let group = self.group;
        self.follow_stage_group();
        if group != self.group {
            self.page = 0;
        }
        self.group = self.group.min(self.board.groups.len().saturating_sub(1));
    }

    pub fn key(&mut self, key: KeyEvent) {
        if key.kind != KeyEventKind::Press {
            return;
        }
        let groups = self.board.groups.len().max(1);
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => self.quit = true,
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => self.quit = true,
            KeyCode::Tab | KeyCode::Char(' ') | KeyCode::Char('r') | KeyCode::F(2) => {
                self.wanted = match self.screen() {
                    Screen::Stage => Screen::Ranking,
                    Screen::Ranking => Screen::Stage,
                };
            }
            KeyCode::Right => self.choose_group((self.group + 1) % groups),
            KeyCode::Left => self.choose_group((self.group + groups - 1) % groups),
            // Paging by hand restarts the clock: the page stays for a full period.
            KeyCode::PageDown | KeyCode::Down => {
                self.page += 1;
                self.page_since = None;
            }
            KeyCode::PageUp | KeyCode::Up => {
                self.page -= 1;
                self.page_since = None;
            }
            _ => {}
        }
    }
}

impl runtime::Screen for Projector {
    type Effect = Effect;
    type Outcome = Outcome;

    fn on_event(&mut self, event: Event) -> Vec<Effect> {
        // A resize needs nothing: the next frame follows the terminal's size.
        if let Event::Key(key) = event {
            self.key(key);
        }
        Vec::new()
    }

    fn on_tick(&mut self, now: Instant) -> Vec<Effect> {
        self.tick(now)
    }

    fn on_outcome(&mut self, outcome: Outcome) -> Vec<Effect> {
        self.outcome(outcome);
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame) {
        view::draw(frame, self);
    }

    fn done(&self) -> bool {
        self.quit
    }

    fn tick_every(&self) -> Duration {
        POLL_EVERY
    }
}

/// Runs the projector's effects: reads the board through [`crate::app::board`] when the
/// workspace changed.
pub struct Runner<'a> {
    store: &'a Store,
    watch: Watch,
}

impl<'a> Runner<'a> {
    pub fn new(store: &'a Store) -> Runner<'a> {
        Runner {
            store,
            watch: Watch::new(),
        }
    }

    /// The board to start with (and the version it was read at, so the first tick reads only
    /// what changed since).
    pub fn first(&mut self) -> Result<Board> {
        match self.watch.changed(self.store)? {
            Some(board) => Ok(board),
            None => crate::app::board::load(self.store),
        }
    }
}

impl Effects<Projector> for Runner<'_> {
    fn run(&mut self, effect: Effect) -> Outcome {
        match effect {
            Effect::Reload => match self.watch.changed(self.store) {
                Ok(Some(board)) => Outcome::Board(Box::new(board)),
                Ok(None) => Outcome::Unchanged,
                Err(e) => Outcome::Failed(e.into()),
            },
        }
    }
}

/// `jury show`: the projector on the workspace at `db`, until q or Esc.
/// `page_every`: how often a long ranking turns its page (`None`: only by hand).
pub fn open(db: &Path, lang: Option<&str>, page_every: Option<Duration>) -> Result<()> {
    if !runtime::has_terminal() {
        return Err(crate::core::refusal::CommandRefusal::ProjectorNeedsTerminal.into());
    }
    let store = Store::open(db)?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut runner = Runner::new(&store);
    let mut projector = Projector::new(runner.first()?, Lang::detect(lang), no_color);
    projector.page_every = page_every;
    runtime::run_local(&mut projector, &mut runner)
}
