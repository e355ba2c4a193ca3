//! The judges' screen, in the Elm style: [`state`] holds everything, [`update`] turns keys,
//! clicks and ticks into changes and returns [`effects::Effect`]s, which [`effects::JudgeEffects`]
//! runs through [`crate::app::judging::JudgeSession`] (so roles are enforced below the screen)
//! and answers with [`effects::Outcome`]s; [`view`] draws, [`crate::i18n::judge`] holds every
//! string shown, and [`crate::tui::runtime`] runs it on a local terminal (or any other): [`open`]
//! makes the screen and its runner for a workspace.

pub mod effects;
pub mod state;
pub mod update;
pub mod view;

#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod machine_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_busy;
#[cfg(test)]
mod tests_discussion;
#[cfg(test)]
mod tests_loading;

pub use effects::{Effect, JudgeEffects, Outcome};
pub use state::{App, Options};
pub use update::Msg;

use std::path::Path;
use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::app::Store;
use crate::error::Result;
use crate::tui::Lang;
use crate::tui::runtime::{self, has_terminal};

/// The judges' screen, as the runtime runs it.
pub type JudgeScreen = App;

/// How often the screen asks whether the list being read behind its first page is in.
const LOADING_TICK: std::time::Duration = std::time::Duration::from_millis(10);

/// The rows of the first page read before the rest of the list (issue 18): more than a
/// screen shows at 80x24 or 200x60 (a 4K terminal shows more: the rest come a moment later).
pub const FIRST_PAGE_ROWS: usize = 100;

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn needs_terminal() -> Result<()> {
    if has_terminal() {
        Ok(())
    } else {
        Err(crate::core::refusal::CommandRefusal::JudgesNeedTerminal.into())
    }
}

/// `jury` / `jury score`: the judges' screen on the workspace at `db`. `judge` preselects a judge
/// (the PIN is still asked). Refused at once, without waiting for input, when there is no terminal.
pub fn open_workspace(db: &Path, judge: Option<&str>, lang: Option<&str>) -> Result<()> {
    needs_terminal()?;
    let store = Store::open(db)?;
    let options = Options {
        judge: judge.map(str::to_string),
        no_color: no_color(),
        first_page_from: Some(crate::app::judging::FIRST_PAGE_FROM),
        ..Options::new(Lang::detect(lang))
    };
    run(&store, options)
}

/// `jury demo`: the judges' screen on the demo workspace, logged in as the demo judge without a
/// PIN (the workspace was created a moment ago by the person at the keyboard).
pub fn run_demo(store: &Store, lang: Option<&str>) -> Result<()> {
    needs_terminal()?;
    let lang = Lang::detect(lang);
    let path = store.path().display().to_string();
    let options = Options {
        judge: Some(crate::app::demo::DEMO_JUDGE.to_string()),
        trusted: true,
        hint: Some((lang.texts().demo_hint)(&path)),
        no_color: no_color(),
        ..Options::new(lang)
    };
    run(store, options)
}

/// The judges' screen for the workspace `store` and the runner of its effects, ready for the
/// runtime: with `options.trusted` and a judge, that judge is logged in already (demo). The one
/// way to open the screen, on a local terminal ([`run`]) or any other.
pub fn open(store: &Store, options: Options) -> Result<(JudgeScreen, JudgeEffects<'_>)> {
    let welcome = crate::app::judging::welcome(store)?;
    let trusted = options.judge.clone().filter(|_| options.trusted);
    let mut runner = JudgeEffects::new(store)
        .from_address(options.address.clone())
        .with_writes(options.writes.clone());
    if let Some(from) = options.first_page_from {
        runner = runner.first_page_first(FIRST_PAGE_ROWS, from);
    }
    let mut screen = App::new(welcome, options)?;
    if let Some(judge) = trusted {
        let start = runner.trusted_paged(&judge)?;
        let effects = screen.outcome(start);
        runtime::settle(&mut screen, &mut runner, effects);
    }
    Ok((screen, runner))
}

/// Run the judge's screen on `store` on the local terminal until the judge quits.
pub fn run(store: &Store, options: Options) -> Result<()> {
    if !has_terminal() {
        return Err(crate::core::refusal::CommandRefusal::JudgesScreenNeedsTerminal.into());
    }
    let (mut screen, mut runner) = open(store, options)?;
    let result = runtime::run_local(&mut screen, &mut runner);
    // The screen is gone (the terminal restored): say what happened to the value being typed.
    if let Some(note) = &screen.exit_note {
        println!("{note}");
    }
    result
}

impl runtime::Screen for App {
    type Effect = Effect;
    type Outcome = Outcome;

    fn on_event(&mut self, event: runtime::Event) -> Vec<Effect> {
        match event {
            runtime::Event::Key(key) => self.update(Msg::Key(key)),
            runtime::Event::Mouse(m) => self.update(Msg::Mouse(m)),
            runtime::Event::Resize(_, _) => self.update(Msg::Resize),
            // A paste (or an input method's phrase) is typed, character by character.
            runtime::Event::Paste(text) => {
                self.asked.clear();
                let mut effects = Vec::new();
                for c in text.chars().filter(|c| !c.is_control()) {
                    effects.extend(self.update_more(Msg::Key(KeyEvent::from(KeyCode::Char(c)))));
                }
                effects
            }
        }
    }

    fn on_tick(&mut self, _now: Instant) -> Vec<Effect> {
        self.update(Msg::Tick)
    }

    fn on_outcome(&mut self, outcome: Outcome) -> Vec<Effect> {
        self.outcome(outcome)
    }

    fn draw(&mut self, frame: &mut Frame) {
        view::draw(frame, self);
    }

    fn done(&self) -> bool {
        self.quit
    }

    fn frame_before_effects(&self) -> bool {
        self.saving.is_some()
    }

    /// While the list loads behind its first page, the tick asks for it often.
    fn tick_every(&self) -> std::time::Duration {
        if self.loading {
            LOADING_TICK
        } else {
            std::time::Duration::from_millis(500)
        }
    }
}
