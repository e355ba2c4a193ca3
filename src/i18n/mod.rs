//! The catalogues: every text a person reads, in zh and en, and the translation of typed refusals.
//! This layer knows only `core`: what it translates is given to it as plain values.

pub mod console;
