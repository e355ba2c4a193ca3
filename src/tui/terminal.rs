//! The real terminal: raw mode, the alternate screen and mouse capture, always undone on the way
//! out (normal exit, error, Ctrl-C, which arrives as a key in raw mode, and panic).

use std::io::{IsTerminal, stdout};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;

use crate::error::{Error, Result};
use crate::store::Store;

use super::state::{App, Options};
use super::update::Msg;
use super::view;

/// How often the workspace is polled for other processes' changes.
const POLL_EVERY: Duration = Duration::from_millis(500);
/// The longest wait for a key; the loop sleeps in the kernel meanwhile (no busy loop).
const WAIT_FOR_EVENT: Duration = Duration::from_millis(250);

/// `true` when both stdin and stdout are terminals, so the screen can be drawn and keys read.
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && stdout().is_terminal()
}

/// Leaves the terminal as it found it when dropped. Shared with the organiser's console.
pub(crate) struct TerminalGuard;

impl TerminalGuard {
    pub(crate) fn enter() -> Result<(TerminalGuard, ratatui::DefaultTerminal)> {
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

/// Run the judge's screen on `store` until the judge quits.
pub fn run(store: &Store, options: Options) -> Result<()> {
    if !has_terminal() {
        return Err(Error::refused("the judges' screen needs a terminal"));
    }
    let mut app = App::new(store, options)?;
    let result = run_app(&mut app);
    // The screen is gone (the guard dropped): say what happened to the value being typed.
    if let Some(note) = &app.exit_note {
        println!("{note}");
    }
    result
}

fn run_app(app: &mut App) -> Result<()> {
    let (_guard, mut terminal) = TerminalGuard::enter()?;
    let mut last_poll = Instant::now();
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|frame| view::draw(frame, app))?;
            dirty = false;
        }
        if app.quit {
            break;
        }
        let wait = WAIT_FOR_EVENT.min(POLL_EVERY.saturating_sub(last_poll.elapsed()));
        if event::poll(wait)? {
            // Handle everything already waiting before drawing again (fast typing, pastes).
            loop {
                match event::read()? {
                    Event::Key(key) => app.update(Msg::Key(key)),
                    Event::Mouse(m) => app.update(Msg::Mouse(m)),
                    Event::Resize(_, _) => app.update(Msg::Resize),
                    Event::Paste(text) => {
                        for c in text.chars().filter(|c| !c.is_control()) {
                            app.update(Msg::Key(event::KeyEvent::from(event::KeyCode::Char(c))));
                        }
                    }
                    _ => {}
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            dirty = true;
        }
        if last_poll.elapsed() >= POLL_EVERY {
            last_poll = Instant::now();
            app.update(Msg::Tick);
            // Redraw on every poll: another judge's change or the PIN pause counting down.
            dirty = true;
        }
    }
    Ok(())
}
