//! The judge's terminal screen, in the Elm style: [`state`] holds everything, [`update`] turns
//! keys, clicks and ticks into changes (performing writes through the
//! [`crate::app::judging::JudgeSession`], so roles are enforced below the screen), [`view`] draws,
//! [`i18n`] holds every string shown, [`terminal`] runs it on a real terminal.

pub mod console;
pub mod i18n;
pub mod projector;
pub mod runtime;
pub mod state;
pub mod terminal;
#[cfg(test)]
pub(crate) mod test_support;
pub mod theme;
pub mod update;
pub mod view;
pub mod widgets;

#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_busy;

pub use i18n::Lang;
pub use state::{App, Options};
pub use terminal::{has_terminal, run};
pub use update::Msg;

use std::path::Path;

use crate::error::{Error, Result};
use crate::store::Store;

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn needs_terminal() -> Result<()> {
    if has_terminal() {
        Ok(())
    } else {
        Err(Error::refused(
            "the judges' screen needs a terminal (stdin and stdout must not be redirected); \
             the other commands work without one (jury --help)",
        ))
    }
}

/// `jury` / `jury score`: the judges' screen on the workspace at `db`. `judge` preselects a judge
/// (the PIN is still asked). Refused at once, without waiting for input, when there is no terminal.
pub fn open_workspace(db: &Path, judge: Option<&str>, lang: Option<&str>) -> Result<()> {
    needs_terminal()?;
    let store = Store::open(db)?;
    store.rubric()?;
    let options = Options {
        judge: judge.map(str::to_string),
        no_color: no_color(),
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
