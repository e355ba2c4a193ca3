//! The pure core: exact numbers, rubrics, entries, the tally, the formal check. No I/O here.

pub mod assign;
pub mod certificate;
pub mod check;
pub mod discussion;
pub mod entry;
pub mod entry_list;
pub mod exact;
pub mod header;
pub mod import_log;
pub mod lockout;
pub mod organiser;
pub mod paper_form;
pub mod phase;
pub mod problems;
pub mod reason;
pub mod refusal;
pub mod rubric;
pub mod rubric_change;
pub mod scoring;
pub mod sheet;
pub mod shortlist;
pub mod standing;
pub mod stats;
pub(crate) mod t2s;
pub mod tally;
pub mod text;
pub mod withdrawal;

pub use entry::{Entry, Judge, Sections};
pub use exact::{Points, Ratio};
pub use rubric::{Kind, Rubric, Section};
