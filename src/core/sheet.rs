//! A score as stored and a sheet's status: plain values that the store reads and writes, the
//! importers validate and the exports print.

use crate::core::Points;

/// One score as a secretary types it from a paper sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreInput {
    pub judge: String,
    pub entry: String,
    pub round: String,
    pub criterion: String,
    pub value: Points,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetStatus {
    Draft,
    Submitted,
}

impl SheetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SheetStatus::Draft => "draft",
            SheetStatus::Submitted => "submitted",
        }
    }

    /// The stored text back: `submitted`, anything else a draft.
    pub fn parse(s: &str) -> SheetStatus {
        if s == "submitted" {
            SheetStatus::Submitted
        } else {
            SheetStatus::Draft
        }
    }
}
