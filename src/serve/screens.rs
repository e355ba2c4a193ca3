//! What each kind of login sees: the one place that says which screen runs for a judge, the
//! organiser and the projector. The server knows only [`ServeScreens`]; the implementation here,
//! [`TodayScreens`], drives today's screens (which still write through their own session) through
//! small adapters implementing [`runtime::Screen`] with no effects. When the screens become pure
//! state machines with their own effects, only this file changes.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::{Frame, Terminal};

use crate::app::Store;
use crate::error::Result;
use crate::tui::console::{Console, ConsoleOptions};
use crate::tui::projector::Projector;
use crate::tui::runtime::{self, Effects, Event, Screen};
use crate::tui::{App, Lang, Msg, Options};

use super::backend::ChannelBackend;
use super::events::ChannelEvents;

/// The terminal of one SSH session.
pub type SessionTerminal = Terminal<ChannelBackend>;

/// A screen ready to run on a session's terminal and events, on the session's own thread. It
/// returns a line to show once the screen is gone (what happened to a value being typed), if any.
pub type Runner = Box<dyn FnOnce(&mut SessionTerminal, &mut ChannelEvents) -> Result<Option<String>> + Send>;

/// What a session's screen needs to know.
#[derive(Debug, Clone)]
pub struct SessionContext {
    pub db: PathBuf,
    pub lang: Lang,
    /// `NO_COLOR` on the server, or a client terminal without colours (`TERM=dumb`).
    pub no_color: bool,
}

/// The screens of the meeting room, one per kind of login.
pub trait ServeScreens: Send + Sync {
    /// The judges' screen for `judge` (the id as the workspace spells it), already logged in.
    fn judge(&self, context: &SessionContext, judge: &str) -> Runner;
    /// The organiser's console, the passphrase already checked.
    fn organiser(&self, context: &SessionContext) -> Runner;
    /// The projector.
    fn projector(&self, context: &SessionContext) -> Runner;
}

/// Today's screens.
#[derive(Debug, Default, Clone, Copy)]
pub struct TodayScreens;

/// The runner for adapters whose screens do their own writing: there are no effects to run.
struct NoEffects;

impl<S: Screen<Effect = (), Outcome = ()> + ?Sized> Effects<S> for NoEffects {
    fn run(&mut self, _effect: ()) {}
}

/// A paste as the local terminals give it to today's screens: its printable characters as keys.
fn paste_keys(text: &str) -> impl Iterator<Item = KeyEvent> + '_ {
    text.chars()
        .filter(|c| !c.is_control())
        .map(|c| KeyEvent::from(KeyCode::Char(c)))
}

const TICK: Duration = Duration::from_millis(500);

/// Today's judges' screen as a [`Screen`].
struct JudgeScreen<'a>(App<'a>);

impl Screen for JudgeScreen<'_> {
    type Effect = ();
    type Outcome = ();
    fn on_event(&mut self, event: Event) -> Vec<()> {
        match event {
            Event::Key(key) => self.0.update(Msg::Key(key)),
            Event::Mouse(m) => self.0.update(Msg::Mouse(m)),
            Event::Paste(text) => paste_keys(&text).for_each(|k| self.0.update(Msg::Key(k))),
            Event::Resize(..) => self.0.update(Msg::Resize),
        }
        vec![]
    }
    fn on_tick(&mut self, _now: Instant) -> Vec<()> {
        self.0.update(Msg::Tick);
        vec![]
    }
    fn on_outcome(&mut self, _outcome: ()) -> Vec<()> {
        vec![]
    }
    fn draw(&mut self, frame: &mut Frame) {
        crate::tui::view::draw(frame, &mut self.0);
    }
    fn done(&self) -> bool {
        self.0.quit
    }
    fn tick_every(&self) -> Duration {
        TICK
    }
}

/// Today's console as a [`Screen`].
struct ConsoleScreen<'a>(Console<'a>);

impl Screen for ConsoleScreen<'_> {
    type Effect = ();
    type Outcome = ();
    fn on_event(&mut self, event: Event) -> Vec<()> {
        match event {
            Event::Key(key) => self.0.update(Msg::Key(key)),
            Event::Mouse(m) => self.0.update(Msg::Mouse(m)),
            Event::Paste(text) => paste_keys(&text).for_each(|k| self.0.update(Msg::Key(k))),
            Event::Resize(..) => self.0.update(Msg::Resize),
        }
        vec![]
    }
    fn on_tick(&mut self, _now: Instant) -> Vec<()> {
        self.0.update(Msg::Tick);
        vec![]
    }
    fn on_outcome(&mut self, _outcome: ()) -> Vec<()> {
        vec![]
    }
    fn draw(&mut self, frame: &mut Frame) {
        crate::tui::console::view::draw(frame, &mut self.0);
    }
    fn done(&self) -> bool {
        self.0.quit
    }
    fn tick_every(&self) -> Duration {
        TICK
    }
}

/// Today's projector as a [`Screen`].
struct ProjectorScreen<'a>(Projector<'a>);

impl Screen for ProjectorScreen<'_> {
    type Effect = ();
    type Outcome = ();
    fn on_event(&mut self, event: Event) -> Vec<()> {
        if let Event::Key(key) = event {
            self.0.key(key);
        }
        vec![]
    }
    fn on_tick(&mut self, now: Instant) -> Vec<()> {
        self.0.tick(now);
        vec![]
    }
    fn on_outcome(&mut self, _outcome: ()) -> Vec<()> {
        vec![]
    }
    fn draw(&mut self, frame: &mut Frame) {
        crate::tui::projector::view::draw(frame, &self.0);
    }
    fn done(&self) -> bool {
        self.0.quit
    }
    fn tick_every(&self) -> Duration {
        TICK
    }
}

impl ServeScreens for TodayScreens {
    fn judge(&self, context: &SessionContext, judge: &str) -> Runner {
        let context = context.clone();
        let judge = judge.to_string();
        Box::new(move |terminal, events| {
            let store = Store::open(&context.db)?;
            let options = Options {
                judge: Some(judge),
                // The PIN was checked by the server (with the library's rate limit).
                trusted: true,
                no_color: context.no_color,
                ..Options::new(context.lang)
            };
            let mut screen = JudgeScreen(App::new(&store, options)?);
            // The loop ends with an error when the connection goes: the normal way out here.
            let _ = runtime::run(terminal, events, &mut screen, &mut NoEffects);
            Ok(screen.0.exit_note.take())
        })
    }

    fn organiser(&self, context: &SessionContext) -> Runner {
        let context = context.clone();
        Box::new(move |terminal, events| {
            let store = Store::open(&context.db)?;
            let options = ConsoleOptions {
                no_color: context.no_color,
                // The passphrase was checked by the server (with the library's rate limit).
                trusted: true,
                ..ConsoleOptions::new(context.lang)
            };
            let mut screen = ConsoleScreen(Console::new(&store, options)?);
            let _ = runtime::run(terminal, events, &mut screen, &mut NoEffects);
            Ok(None)
        })
    }

    fn projector(&self, context: &SessionContext) -> Runner {
        let context = context.clone();
        Box::new(move |terminal, events| {
            let store = Store::open(&context.db)?;
            let mut screen = ProjectorScreen(Projector::new(&store, context.lang, context.no_color)?);
            let _ = runtime::run(terminal, events, &mut screen, &mut NoEffects);
            Ok(None)
        })
    }
}
