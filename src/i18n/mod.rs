//! The zh and en catalogues of the screens, and the translation of the library's typed refusals.
//! Used by every layer that speaks to a person; it knows only `core`.

pub mod judge;
pub use judge::Lang;
pub mod cli;
pub mod console;
pub mod serve;
