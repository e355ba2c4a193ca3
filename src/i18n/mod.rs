//! The zh and en catalogues of the screens, and the translation of the library's typed refusals.
//! Used by every layer that speaks to a person; it knows only `core`.

pub mod judge;
pub use judge::Lang;
pub mod cli;
pub mod cli_discuss;
pub mod cli_importlog;
pub mod cli_msgs;
pub mod cli_paper;
pub mod cli_phases;
pub mod cli_refusals;
pub mod cli_rubricapply;
pub mod cli_smaller;
pub mod cli_zhlast;
pub mod cli_zhrest;
pub mod console;
pub mod console_corrections;
pub mod serve;
