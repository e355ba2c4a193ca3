//! The organiser's console (`jury --organiser`), in the same Elm style as the judges' screen:
//! [`state`] holds everything, [`data`] reads the workspace and computes the views (progress
//! matrix, locks, shortlist counts), [`update`] turns keys, clicks and ticks into changes through
//! the library's organiser operations ([`crate::app::organiser`], [`crate::app::stage`], the exports), [`view`]
//! draws; every string shown is in [`crate::i18n::console`].
//!
//! Screens: progress (judges by entries, reopen a sheet, assign by hand), live tally, locks with
//! the room's audit trail, shortlist (cases), statistics, export, and the stage (competitions).

pub mod state;
pub mod update;
pub mod view;

#[cfg(test)]
mod tests;

use std::path::Path;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};

pub use state::{Console, ConsoleOptions, Tab};

use crate::error::{Error, Result};
use crate::store::Store;
use crate::tui::terminal::{TerminalGuard, has_terminal};
use crate::tui::{Lang, Msg};

/// How often the workspace is polled for the judges' changes (as the judges' screen does).
const POLL_EVERY: Duration = Duration::from_millis(500);
/// The longest wait for a key; the loop sleeps in the kernel meanwhile.
const WAIT_FOR_EVENT: Duration = Duration::from_millis(250);

/// `true` when an organiser passphrase is set (asked without trying one, so nothing counts as a
/// wrong try).
/// The console's catalogue in the screen's language.
pub fn texts(lang: Lang) -> &'static crate::i18n::console::ConsoleTexts {
    crate::i18n::console::texts(lang == Lang::Zh)
}

fn passphrase_is_set(store: &Store) -> Result<bool> {
    crate::app::organiser::organiser_pass_is_set(store)
}

/// `jury --organiser`: the console on the workspace at `db`, after the organiser passphrase.
/// Refused at once, without waiting for input, when no passphrase is set or there is no terminal.
pub fn open_console(db: &Path, lang: Option<&str>) -> Result<()> {
    let lang = Lang::detect(lang);
    let t = texts(lang);
    let store = Store::open(db)?;
    store.rubric()?;
    if !passphrase_is_set(&store)? {
        return Err(Error::refused(t.locked_no_pass));
    }
    if !has_terminal() {
        return Err(Error::refused(t.needs_terminal));
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let console = Console::new(
        &store,
        ConsoleOptions {
            no_color,
            ..ConsoleOptions::new(lang)
        },
    )?;
    run(console)
}

fn run(mut console: Console) -> Result<()> {
    let (_guard, mut terminal) = TerminalGuard::enter()?;
    let mut last_poll = Instant::now();
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|frame| view::draw(frame, &mut console))?;
            dirty = false;
        }
        if console.quit {
            break;
        }
        let wait = WAIT_FOR_EVENT.min(POLL_EVERY.saturating_sub(last_poll.elapsed()));
        if event::poll(wait)? {
            // Handle everything already waiting before drawing again (fast typing, pastes).
            loop {
                match event::read()? {
                    Event::Key(key) => console.update(Msg::Key(key)),
                    Event::Mouse(m) => console.update(Msg::Mouse(m)),
                    Event::Resize(_, _) => console.update(Msg::Resize),
                    Event::Paste(text) => {
                        for c in text.chars().filter(|c| !c.is_control()) {
                            console.update(Msg::Key(event::KeyEvent::from(event::KeyCode::Char(c))));
                        }
                    }
                    _ => {}
                }
                if console.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            dirty = true;
        }
        if last_poll.elapsed() >= POLL_EVERY {
            last_poll = Instant::now();
            console.update(Msg::Tick);
            // Redraw on every poll: the judges' submissions, or the login pause counting down.
            dirty = true;
        }
    }
    Ok(())
}
