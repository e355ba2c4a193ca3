//! The import log (issue 16): every import gets a number and a record of exactly what it changed,
//! so `jury import undo N` can take it back. The kinds of import, and why an undo is refused.

use std::fmt;

/// What an import read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    Entries,
    /// A folder of .docx documents (or a summary sheet with one).
    Documents,
    Judges,
    Scores,
}

impl ImportKind {
    /// The stored (and printed) name.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Entries => "entries",
            ImportKind::Documents => "documents",
            ImportKind::Judges => "judges",
            ImportKind::Scores => "scores",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ImportKind::Entries => "作品",
            ImportKind::Documents => "文档",
            ImportKind::Judges => "评委",
            ImportKind::Scores => "分数",
        }
    }

    pub fn parse(text: &str) -> Option<ImportKind> {
        match text {
            "entries" => Some(ImportKind::Entries),
            "documents" => Some(ImportKind::Documents),
            "judges" => Some(ImportKind::Judges),
            "scores" => Some(ImportKind::Scores),
            _ => None,
        }
    }
}

/// The SHA-256 as the list shows it: its first 12 hex digits.
pub fn short_sha(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

/// Something that happened after an import and depends on what it wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dependant {
    /// A later import (not undone) changed the same rows.
    LaterImport { number: i64, what: String },
    /// A later change in the audit trail (a judge's score, a submission, a shortlist status...).
    LaterChange { seq: i64, action: String, what: String },
    /// A stored row refers to what the import added (an assignment, a panel, a conflict...).
    Reference { what: String },
}

impl fmt::Display for Dependant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dependant::LaterImport { number, what } => write!(f, "import {number} changed {what} again"),
            Dependant::LaterChange { seq, action, what } => write!(f, "audit row {seq} ({action}: {what})"),
            Dependant::Reference { what } => write!(f, "{what}"),
        }
    }
}

/// How many dependants a refusal lists.
pub const DEPENDANTS_SHOWN: usize = 10;

/// Why `jury import undo N` was refused. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoRefusal {
    /// No import has that number.
    NoSuchImport { number: i64 },
    /// The import was undone already.
    AlreadyUndone { number: i64, at: String },
    /// Later changes depend on what the import wrote: the first few, and how many in all.
    Depends {
        number: i64,
        dependants: Vec<Dependant>,
        total: usize,
    },
    /// A lock covers rows the undo would change.
    Locked {
        number: i64,
        group: Option<String>,
        round: Option<String>,
        reason: String,
    },
    /// The stored record of what the import changed does not match its audit row.
    RecordChanged { number: i64 },
}

impl fmt::Display for UndoRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UndoRefusal::NoSuchImport { number } => {
                write!(f, "there is no import {number}: `jury import list` shows the imports")
            }
            UndoRefusal::AlreadyUndone { number, at } => {
                write!(f, "import {number} was undone already ({at}); an import is undone once")
            }
            UndoRefusal::Depends {
                number,
                dependants,
                total,
            } => {
                let list: Vec<String> = dependants.iter().map(|d| d.to_string()).collect();
                write!(
                    f,
                    "import {number} cannot be undone: {total} later changes depend on it: {}{}. Undo those first \
                     (a later import with `jury import undo`, a score with `jury score remove`)",
                    list.join("; "),
                    if *total > list.len() { "; ..." } else { "" }
                )
            }
            UndoRefusal::Locked {
                number,
                group,
                round,
                reason,
            } => write!(
                f,
                "import {number} cannot be undone: the results of {} / {} are locked ({reason}); unlock them first",
                group.as_deref().unwrap_or("every group"),
                round.as_deref().unwrap_or("every round")
            ),
            UndoRefusal::RecordChanged { number } => write!(
                f,
                "import {number} cannot be undone: its stored record of what it changed does not match its audit \
                 row (it was changed outside jury); run `jury audit verify`"
            ),
        }
    }
}

impl std::error::Error for UndoRefusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_the_sha_is_cut_to_twelve() {
        for k in [
            ImportKind::Entries,
            ImportKind::Documents,
            ImportKind::Judges,
            ImportKind::Scores,
        ] {
            assert_eq!(ImportKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(short_sha("0123456789abcdef"), "0123456789ab");
        assert_eq!(short_sha("abc"), "abc");
    }
}
