//! The application layer: one home for each use case a person runs (from the command line, the
//! console, the projector, an export or a benchmark). It reads and writes through [`crate::store`]
//! and computes with [`crate::core`]; screens and the command line call it, never the other way
//! round (docs/architecture.md).

pub mod calibration;
pub mod demo;
pub mod judging;
pub mod organiser;
pub mod stage;
pub mod tally;
