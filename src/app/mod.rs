//! The application layer: one home for each use case a person runs (from the command line, the
//! console, the projector, an export or a benchmark). It reads and writes through [`crate::store`]
//! and computes with [`crate::core`]; screens and the command line call it, never the other way
//! round (docs/architecture.md).

pub mod board;
pub mod calibration;
pub mod corrections;
pub mod demo;
pub mod discussion;
pub mod export;
#[doc(hidden)]
pub mod fuzz;
pub mod import;
pub mod judging;
pub mod login;
pub mod organiser;
pub mod phases;
pub mod progress;
pub mod rubric_change;
pub mod sessions;
pub mod stage;
pub mod tally;
pub mod workspace;
pub mod writer;

/// The workspace handle. Screens and the command line hold it only to pass it to the use cases
/// here; they never read or write through it themselves (only `app` calls `Store::write`).
pub use crate::store::Store;

/// Who acts (recorded in the audit trail), and what the checks of the trail and the seal find:
/// the types the use cases take and give.
pub use crate::store::{Actor, ChainCheck, SealCheck};
