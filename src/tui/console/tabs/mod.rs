//! One file per tab of the console: the tab's keys, what it does with their outcomes, and how
//! it is drawn. The top-level console ([`super::update`], [`super::view`]) dispatches.

pub mod connected;
pub mod export;
pub mod imports;
pub mod locks;
pub mod progress;
pub mod rubric;
pub mod shortlist;
pub mod stage;
pub mod stats;
pub mod tally;
