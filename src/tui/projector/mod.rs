//! `jury show`: the projector, a read-only full screen for the big display in the room.
//!
//! Competitions: the contestant on stage and how many judges have submitted; the judges' totals
//! once every judge who may score is in (rubric `reveal = "all-in"`, the default) or one by one as
//! they submit (`"as-submitted"`); the highest and lowest struck through and the round score (and
//! the final, once every round is in) in big digits when the host reveals it (亮分, `jury stage
//! reveal`). Between contestants, and for case selections, the running ranking per group: award
//! tiers only once the group is complete (before that 暂定排名), paged by itself when it is longer
//! than the screen. No login: it shows only what the room may see, and it never writes (the
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

use crate::app::stage::{self, Stage};
use crate::core::Kind;
use crate::core::rubric::{ProjectorNames, RevealMode};
use crate::core::tally::{Dropped, SheetTotal, TallyEntry, tally};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::tui::Lang;

/// How often the workspace is polled for changes.
const POLL_EVERY: Duration = Duration::from_millis(500);

/// How often a ranking longer than the screen turns to its next page, unless told otherwise.
pub const PAGE_EVERY: Duration = Duration::from_secs(8);

/// One judge's submitted sheet as the room sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownMark {
    pub judge: String,
    /// 1-based place in the judges' order (the projector's `评委N` with `projector_names =
    /// "numbered"`).
    pub number: usize,
    /// With the contest's own notation (no trailing zeros), e.g. `86.5`; `None` while the totals
    /// are still blind (not every judge is in).
    pub total: Option<String>,
    /// Struck through once the round is finished.
    pub dropped: Option<Dropped>,
}

/// A judge who may score the contestant and has not submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub judge: String,
    pub number: usize,
    /// The organiser reopened their submitted sheet after the room saw it (修改中).
    pub reopened: bool,
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
    /// Submitted sheets in submission order.
    pub marks: Vec<ShownMark>,
    /// Judges who may score this entry and have not submitted yet, in the judges' order.
    pub waiting: Vec<Waiting>,
    /// Every judge who may score it has submitted.
    pub all_in: bool,
    /// The result is shown: the host revealed it (or, with `reveal = "as-submitted"`, every
    /// judge is in), and no sheet is being corrected.
    pub finished: bool,
    /// The result is shown before every judge is in (暂定): how many are still missing.
    pub provisional: Option<usize>,
    /// A sheet was reopened after the result was shown and is not submitted again (修改中).
    pub changing: bool,
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
    /// Only once the group is complete.
    pub award: Option<String>,
    /// A sheet of this entry is reopened and not submitted again (修改中).
    pub changing: bool,
}

/// A group's running ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupStandings {
    pub group: String,
    pub ranked: Vec<Standing>,
    /// Entries not ranked yet (too few judges so far).
    pub pending: usize,
    /// Every judge who may score each entry has submitted every round ([`stage::complete_groups`])
    /// and every entry is ranked: the award tiers are shown, else the ranking is provisional.
    pub complete: bool,
}

/// Everything the projector draws, read in one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    pub contest: String,
    pub kind: Kind,
    pub stage: Option<OnStage>,
    pub groups: Vec<GroupStandings>,
    /// How the judges are named (rubric `projector_names`).
    pub names: ProjectorNames,
}

/// Read the board from the workspace (never writes).
pub fn load_board(store: &Store) -> Result<Board> {
    let rubric = store.rubric()?;
    let on_stage = match (rubric.kind, stage::current(store)?) {
        (Kind::Competition, Some(s)) => on_stage(store, s)?,
        _ => None,
    };
    // The ranking counts what the room has seen: the round on stage only once its result has been
    // shown (else the contestant's new final would give the result away before the reveal). One
    // being corrected (修改中) was shown: it stays, marked.
    // The shared read and computation, with this one step between them: the unrevealed round's
    // sheets are left out.
    let (tally_entries, mut sheets) = store.read(crate::app::tally::read_inputs)?;
    if let Some(on) = on_stage.as_ref().filter(|on| !on.finished && !on.changing) {
        sheets.retain(|x| !(x.entry == on.stage.entry && *x.round == *on.stage.round));
    }
    let t = crate::app::tally::compute(rubric, &tally_entries, &sheets, None);
    let entries: HashMap<String, crate::core::Entry> =
        store.entries()?.into_iter().map(|e| (e.id.clone(), e)).collect();
    let complete = stage::complete_groups(store)?;
    let changing: std::collections::HashSet<String> = store
        .reopened_sheets()?
        .into_iter()
        .map(|(entry, _, _)| entry)
        .collect();
    let groups = t
        .groups
        .iter()
        .map(|g| {
            let complete = complete.contains(&g.group) && g.incomplete().next().is_none();
            GroupStandings {
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
                            award: e.award.clone().filter(|_| complete),
                            changing: changing.contains(&e.id),
                        }
                    })
                    .collect(),
                pending: g.incomplete().count(),
                complete,
            }
        })
        .collect();
    Ok(Board {
        contest: rubric.name.clone(),
        kind: rubric.kind,
        stage: on_stage,
        groups,
        names: rubric.projector_names,
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
    let (eligible, submitted, all_sheets, samples, reopened) = store.read(|s| {
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
        let reopened: Vec<String> = s
            .reopened_sheets()?
            .into_iter()
            .filter(|(e, r, _)| *e == entry.id && *r == round.id)
            .map(|(_, _, j)| j)
            .collect();
        Ok((eligible, submitted, all, s.calibration_entries()?, reopened))
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
    // Judges are numbered in the judges' order; a submitted sheet from a judge no longer
    // eligible (a panel changed afterwards) is numbered after them.
    let mut numbers: HashMap<&str, usize> = eligible
        .iter()
        .enumerate()
        .map(|(i, (j, _))| (j.as_str(), i + 1))
        .collect();
    for s in &submitted {
        let next = numbers.len() + 1;
        numbers.entry(s.judge.as_str()).or_insert(next);
    }
    let as_submitted = rubric.reveal == RevealMode::AsSubmitted;
    // What the room has been shown already: a sheet reopened since marks the result as changing.
    // Before that a reopened judge is simply scoring again.
    let public = stage.revealed || as_submitted;
    let waiting: Vec<Waiting> = eligible
        .iter()
        .filter(|(_, done)| !done)
        .map(|(j, _)| Waiting {
            judge: j.clone(),
            number: numbers.get(j.as_str()).copied().unwrap_or(0),
            reopened: public && reopened.contains(j),
        })
        .collect();
    let all_in = !submitted.is_empty() && waiting.is_empty();
    let changing = waiting.iter().any(|w| w.reopened);
    let totals_shown = as_submitted || all_in || stage.revealed;
    let result_due = stage.revealed || (as_submitted && all_in);
    let finished = !submitted.is_empty() && result_due && !changing;
    let provisional = (finished && !waiting.is_empty()).then_some(waiting.len());
    let dropped_of = |judge: &str| {
        round_result
            .and_then(|r| r.marks.iter().find(|m| &*m.judge == judge))
            .and_then(|m| m.dropped)
    };
    let marks = submitted
        .iter()
        .map(|s| ShownMark {
            judge: s.judge.clone(),
            number: numbers.get(s.judge.as_str()).copied().unwrap_or(0),
            total: totals_shown.then(|| s.total.to_string()),
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
        all_in,
        finished,
        provisional,
        changing,
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
    /// The ranking's page, counted without bound; the view takes it modulo the pages there are
    /// (so PgUp on the first page shows the last).
    pub page: i64,
    /// Turn the ranking's page this often (`None`: only by hand).
    pub page_every: Option<Duration>,
    /// When the page shown was turned to (set by the first tick that shows the ranking).
    page_since: Option<Instant>,
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
            page: 0,
            page_every: Some(PAGE_EVERY),
            page_since: None,
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

    /// Re-read the board when another process has committed, and turn the ranking's page when
    /// it has been shown for [`Projector::page_every`]. `now` is the clock's time (a value, so
    /// tests can move it).
    pub fn tick(&mut self, now: Instant) {
        match self.store.data_version() {
            Ok(v) if v == self.data_version => {}
            Ok(v) => {
                self.data_version = v;
                self.reload();
            }
            Err(e) => self.problem = Some(e.to_string()),
        }
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
                let group = self.group;
                self.follow_stage_group();
                if group != self.group {
                    self.page = 0;
                }
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

/// `jury show`: the projector on the workspace at `db`, until q or Esc.
/// `page_every`: how often a long ranking turns its page (`None`: only by hand).
pub fn open(db: &Path, lang: Option<&str>, page_every: Option<Duration>) -> Result<()> {
    if !crate::tui::has_terminal() {
        return Err(Error::refused(
            "the projector needs a terminal (stdin and stdout must not be redirected)",
        ));
    }
    let store = Store::open(db)?;
    store.rubric()?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut app = Projector::new(&store, Lang::detect(lang), no_color)?;
    app.page_every = page_every;
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
                app.tick(Instant::now());
            }
        }
    })();
    ratatui::restore();
    result
}
