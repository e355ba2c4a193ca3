//! The screens: the judges' ([`judge`]), the organiser's console ([`console`]) and the projector
//! ([`projector`]), run by the one event loop ([`runtime`]), with the shared widgets and theme.

pub mod console;
pub mod failure;
pub mod judge;
pub mod projector;
pub mod runtime;
pub mod terminal;
#[cfg(test)]
pub(crate) mod test_support;
pub mod theme;
pub mod widgets;

pub use crate::i18n::Lang;
/// The judges' catalogue, by its old name (it is [`crate::i18n::judge`]).
pub use crate::i18n::judge as i18n;
pub use judge::{Effect, JudgeEffects, JudgeScreen, Outcome, open, open_workspace, run, run_demo};
/// The judges' screen's modules, by their old names.
pub use judge::{effects, state, update, view};
pub use runtime::has_terminal;
pub use state::{App, Options};
pub use update::Msg;
