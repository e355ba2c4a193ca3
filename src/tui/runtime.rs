//! The one event loop behind every screen (the judges' screen, the organiser's console, the
//! projector), on any ratatui backend and any source of terminal events.
//!
//! A screen is a pure state machine ([`Screen`]): it takes events and the outcomes of effects, and
//! returns effects (save this score, reopen that sheet, re-read the board); it never touches the
//! workspace. The runtime hands each effect to an [`Effects`] runner (which calls `crate::app`),
//! feeds the outcome back to the screen, and draws. The same screen therefore runs in a local
//! terminal ([`run_local`]), under test with scripted events and a `TestBackend`, and over an SSH
//! channel, where the event source decodes the channel's bytes and the backend writes to it.

use std::collections::VecDeque;
use std::io::{IsTerminal, stdout};
use std::time::{Duration, Instant};

use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, KeyEvent, MouseEvent};
use ratatui::crossterm::execute;
use ratatui::{Frame, Terminal};

use crate::error::{Error, Result};

/// What arrives from the person at the keyboard, whatever the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// Bracketed paste (or an input method committing a phrase): the text as one piece.
    Paste(String),
    /// The terminal's new size, columns by rows.
    Resize(u16, u16),
}

/// A source of terminal events: the local terminal, an SSH channel, or a script in a test.
pub trait EventSource {
    /// Waits at most `timeout` for the next event: `Ok(None)` when none came in time; an error
    /// when the source is gone (the terminal closed, the connection dropped), which ends the loop.
    fn next(&mut self, timeout: Duration) -> Result<Option<Event>>;
}

/// A screen as a pure state machine. Every method returns the effects the runtime must run, in
/// order; their outcomes come back through [`Screen::on_outcome`].
pub trait Screen {
    /// Something to be done outside the screen (a write, a read of the workspace).
    type Effect;
    /// What became of an effect, fed back to the screen.
    type Outcome;
    /// A key, a click, a paste or a resize.
    fn on_event(&mut self, event: Event) -> Vec<Self::Effect>;
    /// Called every [`Screen::tick_every`] (and once before the first frame): the time to look at
    /// the workspace again, count a pause down, turn a page.
    fn on_tick(&mut self, now: Instant) -> Vec<Self::Effect>;
    /// The outcome of one of this screen's effects.
    fn on_outcome(&mut self, outcome: Self::Outcome) -> Vec<Self::Effect>;
    /// Draws the whole screen into the frame.
    fn draw(&mut self, frame: &mut Frame);
    /// `true` once the person has left the screen; the loop then ends.
    fn done(&self) -> bool;
    /// How often [`Screen::on_tick`] is called.
    fn tick_every(&self) -> Duration {
        Duration::from_millis(500)
    }
    /// `true` when the effects just returned are writes the screen marks as on their way (the
    /// judges' `Saving ...`): the runtime draws that frame before running them, so the key is
    /// answered at once even when the commit waits for the disk. The frame saying the write is
    /// done still comes only with its outcome.
    fn frame_before_effects(&self) -> bool {
        false
    }
}

/// Runs a screen's effects (through `crate::app`) and says what became of each.
pub trait Effects<S: Screen + ?Sized> {
    fn run(&mut self, effect: S::Effect) -> S::Outcome;
}

/// The most effects one event may cause, counting those caused by outcomes: a screen that keeps
/// answering outcomes with new effects is a bug, and must not hang the room.
const MAX_EFFECTS_PER_EVENT: usize = 64;

/// Runs `effects` and feeds their outcomes back until the screen asks for nothing more.
pub fn settle<S: Screen + ?Sized, X: Effects<S> + ?Sized>(screen: &mut S, runner: &mut X, effects: Vec<S::Effect>) {
    let mut queue: VecDeque<S::Effect> = effects.into();
    let mut ran = 0;
    while let Some(effect) = queue.pop_front() {
        ran += 1;
        if ran > MAX_EFFECTS_PER_EVENT {
            break;
        }
        let outcome = runner.run(effect);
        queue.extend(screen.on_outcome(outcome));
    }
}

/// The longest wait for an event; the loop sleeps in the kernel meanwhile (no busy loop).
const WAIT_FOR_EVENT: Duration = Duration::from_millis(250);

/// The event loop: draw, wait for events (handling every event already waiting before drawing
/// again, so fast typing and pastes cost one frame), tick, until the screen is done or the event
/// source is gone. The backend knows its own size (a local terminal asks the tty, an SSH backend is
/// told by `window-change`); every frame follows it, so a resize is clean.
pub fn run<B, S, X, E>(terminal: &mut Terminal<B>, events: &mut E, screen: &mut S, runner: &mut X) -> Result<()>
where
    B: Backend,
    S: Screen + ?Sized,
    X: Effects<S> + ?Sized,
    E: EventSource + ?Sized,
{
    let first = screen.on_tick(Instant::now());
    settle(screen, runner, first);
    let mut last_tick = Instant::now();
    let mut dirty = true;
    loop {
        if dirty {
            terminal
                .draw(|frame| screen.draw(frame))
                .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
            dirty = false;
        }
        if screen.done() {
            break;
        }
        let every = screen.tick_every();
        let wait = WAIT_FOR_EVENT.min(every.saturating_sub(last_tick.elapsed()));
        if let Some(mut next) = events.next(wait)? {
            loop {
                let effects = screen.on_event(next);
                if !effects.is_empty() && screen.frame_before_effects() {
                    terminal
                        .draw(|frame| screen.draw(frame))
                        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
                }
                settle(screen, runner, effects);
                if screen.done() {
                    break;
                }
                match events.next(Duration::ZERO)? {
                    Some(more) => next = more,
                    None => break,
                }
            }
            dirty = true;
        }
        if last_tick.elapsed() >= every {
            last_tick = Instant::now();
            let effects = screen.on_tick(last_tick);
            settle(screen, runner, effects);
            // Redraw on every tick: another judge's change, a pause counting down, a page turning.
            dirty = true;
        }
    }
    Ok(())
}

/// `true` when both stdin and stdout are terminals, so a screen can be drawn and keys read.
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && stdout().is_terminal()
}

/// The local terminal's events, read through crossterm.
pub struct TerminalEvents;

impl EventSource for TerminalEvents {
    fn next(&mut self, timeout: Duration) -> Result<Option<Event>> {
        loop {
            if !event::poll(timeout)? {
                return Ok(None);
            }
            let translated = match event::read()? {
                event::Event::Key(key) => Event::Key(key),
                event::Event::Mouse(m) => Event::Mouse(m),
                event::Event::Paste(text) => Event::Paste(text),
                event::Event::Resize(columns, rows) => Event::Resize(columns, rows),
                // Focus changes mean nothing to the screens; look for the next event.
                _ => continue,
            };
            return Ok(Some(translated));
        }
    }
}

/// Events from a script (tests, and the benchmarks' simulated judges): each comes at once, then
/// the source reports that it is gone, which ends the loop.
#[derive(Debug, Default)]
pub struct ScriptedEvents(pub VecDeque<Event>);

impl EventSource for ScriptedEvents {
    fn next(&mut self, _timeout: Duration) -> Result<Option<Event>> {
        match self.0.pop_front() {
            Some(event) => Ok(Some(event)),
            None => Err(crate::core::refusal::CommandRefusal::ScriptRanOut.into()),
        }
    }
}

/// Leaves the local terminal as it found it when dropped: raw mode off, the main screen back,
/// mouse capture off (normal exit, error, Ctrl-C, which arrives as a key in raw mode, and panic).
pub struct TerminalGuard;

impl TerminalGuard {
    pub fn enter() -> Result<(TerminalGuard, ratatui::DefaultTerminal)> {
        // try_init installs ratatui's panic hook (raw mode off, main screen back); ours runs first
        // and also turns mouse capture off, or the shell would receive mouse codes.
        let terminal = ratatui::try_init()?;
        let guard = TerminalGuard;
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(stdout(), DisableMouseCapture);
            previous(info);
        }));
        execute!(stdout(), EnableMouseCapture)?;
        Ok((guard, terminal))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}

/// Runs a screen on the local terminal, which is restored however the loop ends.
pub fn run_local<S, X>(screen: &mut S, runner: &mut X) -> Result<()>
where
    S: Screen + ?Sized,
    X: Effects<S> + ?Sized,
{
    if !has_terminal() {
        return Err(crate::core::refusal::CommandRefusal::ScreenNeedsTerminal.into());
    }
    let (_guard, mut terminal) = TerminalGuard::enter()?;
    run(&mut terminal, &mut TerminalEvents, screen, runner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::KeyCode;

    /// A counter screen: `+` asks for an increment (an effect), the outcome is the new total;
    /// `q` leaves. Ticks are counted.
    #[derive(Default)]
    struct Counter {
        total: i64,
        ticks: u32,
        quit: bool,
        seen_width: u16,
    }

    enum Ask {
        Add(i64),
    }

    impl Screen for Counter {
        type Effect = Ask;
        type Outcome = i64;
        fn on_event(&mut self, event: Event) -> Vec<Ask> {
            match event {
                Event::Key(k) if k.code == KeyCode::Char('+') => vec![Ask::Add(1)],
                Event::Key(k) if k.code == KeyCode::Char('q') => {
                    self.quit = true;
                    vec![]
                }
                Event::Paste(text) => vec![Ask::Add(text.chars().count() as i64)],
                Event::Resize(columns, _) => {
                    self.seen_width = columns;
                    vec![]
                }
                _ => vec![],
            }
        }
        fn on_tick(&mut self, _now: Instant) -> Vec<Ask> {
            self.ticks += 1;
            vec![]
        }
        fn on_outcome(&mut self, total: i64) -> Vec<Ask> {
            self.total = total;
            vec![]
        }
        fn draw(&mut self, frame: &mut Frame) {
            frame.render_widget(ratatui::text::Text::raw(format!("total {}", self.total)), frame.area());
        }
        fn done(&self) -> bool {
            self.quit
        }
    }

    /// The "workspace": the runner owns the number, the screen only sees outcomes.
    struct Bank(i64);

    impl Effects<Counter> for Bank {
        fn run(&mut self, effect: Ask) -> i64 {
            match effect {
                Ask::Add(n) => self.0 += n,
            }
            self.0
        }
    }

    fn key(c: char) -> Event {
        Event::Key(KeyEvent::from(KeyCode::Char(c)))
    }

    #[test]
    fn effects_run_through_the_runner_and_their_outcomes_reach_the_screen() {
        let mut terminal = Terminal::new(TestBackend::new(20, 3)).unwrap();
        let mut events = ScriptedEvents(
            vec![
                key('+'),
                key('+'),
                Event::Paste("评委".into()),
                Event::Resize(30, 4),
                key('q'),
            ]
            .into(),
        );
        let mut screen = Counter::default();
        let mut bank = Bank(10);
        run(&mut terminal, &mut events, &mut screen, &mut bank).unwrap();
        assert_eq!(bank.0, 14);
        assert_eq!(screen.total, 14);
        assert_eq!(screen.seen_width, 30, "the resize reached the screen");
        assert!(screen.ticks >= 1, "the first tick comes before the first frame");
        assert_eq!(events.0.len(), 0);
        let line: String = (0..8)
            .map(|x| terminal.backend().buffer()[(x, 0)].symbol().to_string())
            .collect();
        assert_eq!(line, "total 14");
    }

    #[test]
    fn a_gone_event_source_ends_the_loop_with_its_error() {
        let mut terminal = Terminal::new(TestBackend::new(20, 3)).unwrap();
        let mut events = ScriptedEvents(vec![key('+')].into());
        let mut screen = Counter::default();
        let mut bank = Bank(0);
        assert!(run(&mut terminal, &mut events, &mut screen, &mut bank).is_err());
        assert_eq!(bank.0, 1, "the event before the end was still handled");
    }

    /// A screen that answers every outcome with another effect is stopped, not looped forever.
    struct Echo(u32);
    impl Screen for Echo {
        type Effect = ();
        type Outcome = ();
        fn on_event(&mut self, _: Event) -> Vec<()> {
            vec![()]
        }
        fn on_tick(&mut self, _: Instant) -> Vec<()> {
            vec![]
        }
        fn on_outcome(&mut self, _: ()) -> Vec<()> {
            self.0 += 1;
            vec![()]
        }
        fn draw(&mut self, _: &mut Frame) {}
        fn done(&self) -> bool {
            false
        }
    }
    struct Nothing;
    impl Effects<Echo> for Nothing {
        fn run(&mut self, _: ()) {}
    }

    /// A screen whose `+` is a slow write it marks as on its way: the frame showing the mark
    /// must be drawn before the write runs, and the one showing the total after.
    struct Marked {
        draws: std::rc::Rc<std::cell::Cell<u32>>,
        pending: bool,
        total: i64,
        quit: bool,
    }
    impl Screen for Marked {
        type Effect = ();
        type Outcome = ();
        fn on_event(&mut self, event: Event) -> Vec<()> {
            match event {
                Event::Key(k) if k.code == KeyCode::Char('+') => {
                    self.pending = true;
                    vec![()]
                }
                _ => {
                    self.quit = true;
                    vec![]
                }
            }
        }
        fn on_tick(&mut self, _: Instant) -> Vec<()> {
            vec![]
        }
        fn on_outcome(&mut self, _: ()) -> Vec<()> {
            self.pending = false;
            self.total += 1;
            vec![]
        }
        fn draw(&mut self, _: &mut Frame) {
            self.draws.set(self.draws.get() + 1);
        }
        fn done(&self) -> bool {
            self.quit
        }
        fn frame_before_effects(&self) -> bool {
            self.pending
        }
    }
    /// Records how many frames had been drawn when each write ran.
    struct SlowWrites {
        draws: std::rc::Rc<std::cell::Cell<u32>>,
        frames_at_write: Vec<u32>,
    }
    impl Effects<Marked> for SlowWrites {
        fn run(&mut self, _: ()) {
            self.frames_at_write.push(self.draws.get());
        }
    }

    #[test]
    fn a_marked_write_is_drawn_before_it_runs_and_again_after() {
        let draws = std::rc::Rc::new(std::cell::Cell::new(0));
        let mut terminal = Terminal::new(TestBackend::new(20, 3)).unwrap();
        let mut events = ScriptedEvents(vec![key('+'), key('q')].into());
        let mut screen = Marked {
            draws: draws.clone(),
            pending: false,
            total: 0,
            quit: false,
        };
        let mut runner = SlowWrites {
            draws: draws.clone(),
            frames_at_write: Vec::new(),
        };
        run(&mut terminal, &mut events, &mut screen, &mut runner).unwrap();
        // Frame 1 is the first one; frame 2 shows the mark, before the write; frame 3 the result.
        assert_eq!(runner.frames_at_write, vec![2]);
        assert_eq!(draws.get(), 3);
        assert_eq!(screen.total, 1);
    }

    #[test]
    fn an_endless_chain_of_effects_is_cut() {
        let mut screen = Echo(0);
        let effects = screen.on_event(key('x'));
        settle(&mut screen, &mut Nothing, effects);
        assert_eq!(screen.0 as usize, MAX_EFFECTS_PER_EVENT);
    }
}
