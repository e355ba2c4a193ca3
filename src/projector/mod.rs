//! `jury show`: the projector, a read-only full screen for the big display in the room.
//!
//! Competitions: the contestant on stage, the judges' totals revealed one by one as they submit
//! (亮分), then the highest and lowest struck through and the round score (and the final, once
//! every round is in) in big digits. Between contestants, and for case selections, the running
//! ranking per group. No login: it shows only what the room may see, and it never writes (the
//! store is only read; refreshes come from polling `PRAGMA data_version`).
//!
//! Elm style like the judges' screen: [`Board`] is everything drawn, loaded from the store in one
//! read; [`Projector`] adds what the keys change; [`view`] draws.

pub mod view;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::core::Kind;
use crate::core::tally::{Dropped, SheetTotal, TallyEntry, tally};
use crate::error::{Error, Result};
use crate::stage::{self, Stage};
use crate::store::Store;
use crate::tui::Lang;

/// How often the workspace is polled for changes.
const POLL_EVERY: Duration = Duration::from_millis(500);

/// One judge's revealed total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownMark {
    pub judge: String,
    /// With the contest's own notation (no trailing zeros), e.g. `86.5`.
    pub total: String,
    /// Struck through once the round is finished.
    pub dropped: Option<Dropped>,
}

/// The contestant on stage and what the room may see of their round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnStage {
    pub stage: Stage,
    pub name: String,
    pub title: String,
    pub organization: String,
    pub order: Option<i64>,
    pub round_name: String,
    /// 1-based position of the round in the rubric, and how many rounds there are.
    pub round_number: usize,
    pub rounds: usize,
    /// Totals in submission order.
    pub marks: Vec<ShownMark>,
    /// Judges who may score this entry and have not submitted yet.
    pub waiting: Vec<String>,
    /// Every judge is in, or the organiser revealed the result.
    pub finished: bool,
    /// The round score (shown once finished), rounded as the tally shows it.
    pub round_score: Option<String>,
    /// The final score, once finished and every round has its score.
    pub final_score: Option<String>,
    /// (judges in, judges needed) when too few judges scored for a round score.
    pub shortfall: Option<(usize, usize)>,
    pub calibration: bool,
}

/// One ranked entry of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub rank: u32,
    pub id: String,
    /// The contestant's name (competitions) or the case's title.
    pub label: String,
    pub organization: String,
    pub final_score: String,
    pub award: Option<String>,
}

/// A group's running ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupStandings {
    pub group: String,
    pub ranked: Vec<Standing>,
    /// Entries not ranked yet (too few judges so far).
    pub pending: usize,
}

/// Everything the projector draws, read in one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    pub contest: String,
    pub kind: Kind,
    pub stage: Option<OnStage>,
    pub groups: Vec<GroupStandings>,
}

/// Read the board from the workspace (never writes).
pub fn load_board(store: &Store) -> Result<Board> {
    let rubric = store.rubric()?;
    let t = crate::cli::compute_tally(store, None)?;
    let entries: HashMap<String, crate::core::Entry> =
        store.entries()?.into_iter().map(|e| (e.id.clone(), e)).collect();
    let groups = t
        .groups
        .iter()
        .map(|g| GroupStandings {
            group: g.group.clone(),
            ranked: g
                .ranked()
                .map(|e| {
                    let entry = entries.get(&e.id);
                    let label = match (rubric.kind, entry) {
                        (Kind::Competition, Some(x)) if !x.name.is_empty() => x.name.clone(),
                        _ => e.title.clone(),
                    };
                    Standing {
                        rank: e.rank.unwrap_or(0),
                        id: e.id.clone(),
                        label,
                        organization: entry.map(|x| x.organization.clone()).unwrap_or_default(),
                        final_score: e.final_score.map(|f| t.fmt(f)).unwrap_or_default(),
                        award: e.award.clone(),
                    }
                })
                .collect(),
            pending: g.incomplete().count(),
        })
        .collect();
    let on_stage = match (rubric.kind, stage::current(store)?) {
        (Kind::Competition, Some(s)) => on_stage(store, s)?,
        _ => None,
    };
    Ok(Board {
        contest: rubric.name.clone(),
        kind: rubric.kind,
        stage: on_stage,
        groups,
    })
}

/// The stage's entry and round as the room sees it: computed with the tally's own rules on this
/// entry's submitted sheets (so a calibration sample works too, and the result is the one
/// `jury tally` gives).
fn on_stage(store: &Store, stage: Stage) -> Result<Option<OnStage>> {
    let rubric = store.rubric()?;
    let Some(entry) = store.entry(&stage.entry)? else {
        return Ok(None);
    };
    let Some(round_index) = rubric.round_index(&stage.round) else {
        return Ok(None);
    };
    let round = &rubric.rounds[round_index];
    let (eligible, submitted, all_sheets, samples) = store.read(|s| {
        let eligible = stage::eligible_submissions(s, &entry.id, entry.group.as_deref(), &round.id)?;
        let submitted = s.submitted_totals(&entry.id, &round.id)?;
        let mut all = Vec::new();
        for r in &rubric.rounds {
            all.extend(s.submitted_totals(&entry.id, &r.id)?.into_iter().map(|x| SheetTotal {
                entry: entry.id.clone(),
                round: r.id.as_str().into(),
                judge: x.judge.into(),
                total: x.total,
                criteria: x.criteria,
            }));
        }
        Ok((eligible, submitted, all, s.calibration_entries()?))
    })?;
    let one = [TallyEntry {
        id: entry.id.clone(),
        title: entry.label().to_string(),
        group: entry.group.clone(),
        order: entry.order,
    }];
    let t = tally(rubric, &one, &all_sheets);
    let result = t.entry(&entry.id);
    let round_result = result.and_then(|r| r.round(&round.id));
    let waiting: Vec<String> = eligible
        .iter()
        .filter(|(_, done)| !done)
        .map(|(j, _)| j.clone())
        .collect();
    let finished = !submitted.is_empty() && (stage.revealed || waiting.is_empty());
    let dropped_of = |judge: &str| {
        round_result
            .and_then(|r| r.marks.iter().find(|m| &*m.judge == judge))
            .and_then(|m| m.dropped)
    };
    let marks = submitted
        .iter()
        .map(|s| ShownMark {
            judge: s.judge.clone(),
            total: s.total.to_string(),
            dropped: if finished { dropped_of(&s.judge) } else { None },
        })
        .collect();
    let round_score = if finished {
        round_result.and_then(|r| r.score).map(|s| t.fmt(s))
    } else {
        None
    };
    let final_score = if finished {
        result.and_then(|r| r.final_score).map(|f| t.fmt(f))
    } else {
        None
    };
    let shortfall = match round_result {
        Some(r) if finished && r.score.is_none() => Some((r.marks.len(), rubric.min_judges)),
        _ => None,
    };
    Ok(Some(OnStage {
        name: entry.name.clone(),
        title: entry.title.clone(),
        organization: entry.organization.clone(),
        order: entry.order,
        round_name: round.name.clone(),
        round_number: round_index + 1,
        rounds: rubric.rounds.len(),
        marks,
        waiting,
        finished,
        round_score,
        final_score,
        shortfall,
        calibration: samples.contains(&entry.id),
        stage,
    }))
}

/// Which screen the projector shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Stage,
    Ranking,
}

/// The projector: the board plus what the keys choose.
pub struct Projector<'a> {
    store: &'a Store,
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
    data_version: i64,
    /// The last error reading the workspace (shown, never fatal: the room keeps its screen).
    pub problem: Option<String>,
}

impl<'a> Projector<'a> {
    pub fn new(store: &'a Store, lang: Lang, no_color: bool) -> Result<Projector<'a>> {
        let board = load_board(store)?;
        let mut p = Projector {
            store,
            board,
            wanted: Screen::Stage,
            group: 0,
            group_chosen: false,
            lang,
            no_color,
            quit: false,
            data_version: store.data_version()?,
            problem: None,
        };
        p.follow_stage_group();
        Ok(p)
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

    /// Re-read the board when another process has committed.
    pub fn tick(&mut self) {
        match self.store.data_version() {
            Ok(v) if v == self.data_version => {}
            Ok(v) => {
                self.data_version = v;
                self.reload();
            }
            Err(e) => self.problem = Some(e.to_string()),
        }
    }

    pub fn reload(&mut self) {
        match load_board(self.store) {
            Ok(board) => {
                let stage_changed =
                    board.stage.as_ref().map(|s| &s.stage.entry) != self.board.stage.as_ref().map(|s| &s.stage.entry);
                self.board = board;
                self.problem = None;
                if stage_changed {
                    // A new contestant: the room wants to see them, not the ranking.
                    self.wanted = Screen::Stage;
                    self.group_chosen = false;
                }
                self.follow_stage_group();
                self.group = self.group.min(self.board.groups.len().saturating_sub(1));
            }
            Err(e) => self.problem = Some(e.to_string()),
        }
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
            KeyCode::Right | KeyCode::Down | KeyCode::PageDown => {
                self.group = (self.group + 1) % groups;
                self.group_chosen = true;
            }
            KeyCode::Left | KeyCode::Up | KeyCode::PageUp => {
                self.group = (self.group + groups - 1) % groups;
                self.group_chosen = true;
            }
            _ => {}
        }
    }
}

/// `jury show`: the projector on the workspace at `db`, until q or Esc.
pub fn open(db: &Path, lang: Option<&str>) -> Result<()> {
    if !crate::tui::has_terminal() {
        return Err(Error::refused(
            "the projector needs a terminal (stdin and stdout must not be redirected)",
        ));
    }
    let store = Store::open(db)?;
    store.rubric()?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut app = Projector::new(&store, Lang::detect(lang), no_color)?;
    let mut terminal = ratatui::try_init()?;
    let result = (|| -> Result<()> {
        let mut last_poll = Instant::now();
        loop {
            terminal.draw(|frame| view::draw(frame, &app))?;
            let wait = POLL_EVERY.saturating_sub(last_poll.elapsed());
            if event::poll(wait)? {
                while event::poll(Duration::ZERO)? {
                    if let Event::Key(key) = event::read()? {
                        app.key(key);
                    }
                }
            }
            if app.quit {
                return Ok(());
            }
            if last_poll.elapsed() >= POLL_EVERY {
                last_poll = Instant::now();
                app.tick();
            }
        }
    })();
    ratatui::restore();
    result
}
