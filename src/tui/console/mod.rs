//! The organiser's console (`jury --organiser`), a pure state machine run by the one event loop
//! ([`crate::tui::runtime`]): [`state`] holds plain values (no workspace handle), [`update`] turns
//! keys, clicks and ticks into [`effect::Effect`]s and their [`effect::Outcome`]s into changes,
//! [`runner`] runs each effect through the library ([`crate::app::organiser`],
//! [`crate::app::stage`], [`crate::app::progress`], the exports), [`view`] draws; every string
//! shown is in [`crate::i18n::console`].
//!
//! Screens: progress (judges by entries, reopen a sheet, assign by hand), live tally, locks with
//! the room's audit trail, shortlist (cases), statistics, export, and the stage (competitions).

pub mod effect;
pub mod keymap;
pub mod runner;
pub mod state;
pub mod tabs;
pub mod update;
pub mod view;

#[cfg(test)]
mod machine_tests;
#[cfg(test)]
mod tests;

use std::path::Path;

pub use effect::{Effect, Outcome};
pub use runner::ConsoleRunner;
pub use state::{Console, ConsoleOptions, Tab};

use crate::app::Store;
use crate::error::{Error, Result};
use crate::tui::Lang;
use crate::tui::runtime::{has_terminal, run_local};

/// The console's catalogue in the screen's language.
pub fn texts(lang: Lang) -> &'static crate::i18n::console::ConsoleTexts {
    crate::i18n::console::texts(lang == Lang::Zh)
}

/// `jury --organiser`: the console on the workspace at `db`, after the organiser passphrase.
/// Refused at once, without waiting for input, when no passphrase is set or there is no terminal.
pub fn open_console(db: &Path, lang: Option<&str>) -> Result<()> {
    let lang = Lang::detect(lang);
    let t = texts(lang);
    let store = Store::open(db)?;
    let contest = crate::app::progress::contest(&store)?;
    // Asked without trying a passphrase, so nothing counts as a wrong try.
    if !crate::app::organiser::organiser_pass_is_set(&store)? {
        return Err(Error::refused(t.locked_no_pass));
    }
    if !has_terminal() {
        return Err(Error::refused(t.needs_terminal));
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut console = Console::new(
        contest,
        ConsoleOptions {
            no_color,
            ..ConsoleOptions::new(lang)
        },
    );
    run_local(&mut console, &mut ConsoleRunner::new(&store))
}
