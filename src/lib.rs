//! `jury`: scoring for judging panels — typical-case selection and live skills competitions.
//!
//! The library is layered: [`core`] is pure (exact numbers, rubrics, the tally), [`store`] owns the
//! SQLite workspace, [`app`] holds the use cases (one home each), [`import`] and [`export`] move data in
//! and out, [`cli`] is the thin command line (docs/architecture.md).

pub mod app;
pub mod bench;
pub mod calibration;
pub mod cli;
pub mod core;
pub mod demo;
pub mod error;
pub mod export;
pub mod import;
pub mod judging;
pub mod projector;
pub mod prompt;
pub mod room;
pub mod search;
pub mod secret;
pub mod stage;
pub mod store;
pub mod text;
pub mod tui;

pub use error::{Error, Result};
