//! `jury`: scoring for judging panels — typical-case selection and live skills competitions.
//!
//! The library is layered: [`core`] is pure (exact numbers, rubrics, the tally), [`store`] owns the
//! SQLite workspace, [`app`] holds the use cases (one home each), [`import`] and [`export`] move data in
//! and out, [`cli`] is the thin command line (docs/architecture.md).

pub mod app;
pub mod bench;
pub mod cli;
pub mod core;
pub mod error;
pub mod export;
pub mod i18n;
pub mod import;
pub mod search;
pub mod serve;
pub mod store;
pub mod tui;

pub use error::{Error, Result};
