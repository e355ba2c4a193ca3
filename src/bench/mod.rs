//! Benchmarks (`jury bench`): a generator of realistic contests of any size, and measurements of
//! search, import, tally, start-up, scoring under load and frame time against the tools a user would
//! otherwise reach for (fzf, the sqlite3 shell). Figures are printed, never asserted in tests.

pub mod generator;
pub mod run;
pub mod serve;
