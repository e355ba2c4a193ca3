//! The real terminal, now in [`super::runtime`] (the one event loop, its terminal guard and
//! [`has_terminal`]): kept as a name for the callers that still reach it here.

pub use super::runtime::{TerminalGuard, has_terminal};
