//! The organiser's refusals as values: what `app::organiser` says no to (a reopen with nothing to
//! reopen, an unlock of nothing, an assignment that would break a rule, a wrong passphrase pause).
//! The screens and the command line translate them through `crate::i18n::console`; the English
//! wording (the command line's) is this type's `Display`.

use std::fmt;

/// Why the organiser's operation was refused. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrganiserRefusal {
    /// The new passphrase is shorter than `min` characters.
    PassTooShort {
        min: usize,
    },
    /// No organiser passphrase is set (`jury passwd --organiser`).
    NoPassphrase,
    /// Three wrong passphrases: every try is refused for `secs` more seconds.
    PassPaused {
        secs: u64,
    },
    /// `known` lists the groups when the message should name them (empty: not listed).
    UnknownGroup {
        group: String,
        known: Vec<String>,
    },
    UnknownRound {
        round: String,
    },
    UnknownEntry {
        entry: String,
    },
    UnknownJudge {
        judge: String,
    },
    /// Unlock where no lock is set exactly (`None`: every group or round).
    NotLocked {
        group: Option<String>,
        round: Option<String>,
    },
    /// A lock covers the entry's round; the organiser must unlock it first.
    Locked {
        group: Option<String>,
        round: String,
        reason: String,
    },
    /// The judge has no submitted sheet for the entry in the round.
    NothingToReopen {
        judge: String,
        entry: String,
        round: String,
    },
    /// 回避: the judge may not score the entry, so cannot be assigned to it.
    AssignConflict {
        judge: String,
        entry: String,
    },
    /// The judge has submitted a sheet for the entry: reopen it first.
    UnassignSubmitted {
        judge: String,
        entry: String,
    },
    /// The judge is the entry's last: taking them off would hand it to nobody.
    UnassignLast {
        entry: String,
    },
    /// A group's panel smaller than the rubric's `min_judges`: none of its entries could be ranked
    /// (`--force` assigns it anyway).
    PanelTooSmall {
        group: String,
        judges: usize,
        needed: usize,
    },
    /// Fewer reviewers per entry than the rubric's `min_judges` (`--force` assigns anyway).
    TooFewReviewers {
        per_entry: usize,
        needed: usize,
    },
    /// The entry is already withdrawn or disqualified (`kind`: its stored kind).
    AlreadyWithdrawn {
        entry: String,
        kind: String,
    },
    /// Restoring an entry that is not withdrawn.
    NotWithdrawn {
        entry: String,
    },
    /// The judge was removed from the contest (`jury judge remove`): their id stays taken.
    JudgeRemoved {
        judge: String,
    },
    /// `assign --replace` with the same judge twice.
    ReplaceSame {
        judge: String,
    },
    /// The replacement is in conflict with some of the entries it would take.
    ReplaceConflicts {
        old: String,
        new: String,
        entries: Vec<String>,
    },
    /// The judge to replace has no open (unsubmitted) work.
    NothingToReplace {
        judge: String,
    },
    /// No stored score to remove (`criterion`: `None` for the whole sheet).
    NoScoreToRemove {
        judge: String,
        entry: String,
        round: String,
        criterion: Option<String>,
    },
    UnknownCriterion {
        round: String,
        criterion: String,
    },
}

/// "X has N judges but the rubric needs at least M": the warning of a panel or a number of
/// reviewers too small for a result, as the command line prints it (also when forced through).
pub fn too_few_judges_text(what: &str, judges: usize, needed: usize) -> String {
    format!(
        "{what} has {judges} judge{} but the rubric needs at least {needed} (min_judges) for a result: \
         none of its entries could be ranked",
        if judges == 1 { "" } else { "s" }
    )
}

fn scope(part: &Option<String>) -> &str {
    part.as_deref().unwrap_or("*")
}

impl fmt::Display for OrganiserRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use OrganiserRefusal::*;
        match self {
            PassTooShort { min } => write!(f, "the organiser passphrase needs at least {min} characters"),
            NoPassphrase => write!(
                f,
                "no organiser passphrase is set; set one with `jury passwd --organiser`"
            ),
            PassPaused { secs } => write!(f, "three wrong organiser passphrases: wait {secs} s and try again"),
            UnknownGroup { group, known } if known.is_empty() => write!(f, "unknown group \"{group}\""),
            UnknownGroup { group, known } => {
                write!(f, "unknown group \"{group}\"; the groups are: {}", known.join(", "))
            }
            UnknownRound { round } => write!(f, "unknown round \"{round}\""),
            UnknownEntry { entry } => write!(f, "unknown entry \"{entry}\""),
            UnknownJudge { judge } => write!(f, "unknown judge \"{judge}\""),
            NotLocked { group, round } => write!(f, "there is no lock on {} / {}", scope(group), scope(round)),
            Locked { group, round, reason } => write!(
                f,
                "the results for {} / {round} are locked ({reason}); the organiser must unlock them first",
                scope(group)
            ),
            NothingToReopen { judge, entry, round } => {
                write!(
                    f,
                    "{judge} has no submitted sheet for {entry} / {round}; nothing to reopen"
                )
            }
            AssignConflict { judge, entry } => write!(f, "{judge} is in conflict with {entry} and cannot be assigned"),
            UnassignSubmitted { judge, entry } => write!(
                f,
                "{judge} has submitted {entry}; reopen the sheet first if it must change"
            ),
            UnassignLast { entry } => write!(f, "{entry} has only this judge left: assign another first"),
            PanelTooSmall { group, judges, needed } => write!(
                f,
                "{}. Give more judges, or add --force to assign this panel anyway",
                too_few_judges_text(&format!("the panel of {group}"), *judges, *needed)
            ),
            TooFewReviewers { per_entry, needed } => write!(
                f,
                "{}. Ask for more reviewers per entry, or add --force to assign anyway",
                too_few_judges_text("each entry", *per_entry, *needed)
            ),
            AlreadyWithdrawn { entry, kind } => {
                write!(
                    f,
                    "{entry} is already {kind}; `jury entry restore` brings it back first"
                )
            }
            NotWithdrawn { entry } => write!(f, "{entry} is not withdrawn; nothing to restore"),
            JudgeRemoved { judge } => write!(
                f,
                "{judge} was removed from the contest (`jury judge remove`); the id stays taken and cannot score or be \
                 assigned"
            ),
            ReplaceSame { judge } => write!(f, "{judge} cannot replace themselves; name another judge"),
            ReplaceConflicts { old, new, entries } => write!(
                f,
                "{new} cannot take {old}'s work: {new} is in conflict with {} ({}); declare another replacement, or \
                 move these entries by hand",
                if entries.len() == 1 {
                    "this entry"
                } else {
                    "these entries"
                },
                entries.join(", ")
            ),
            NothingToReplace { judge } => {
                write!(
                    f,
                    "{judge} has no open work (every sheet of theirs is submitted, or nothing is assigned)"
                )
            }
            NoScoreToRemove {
                judge,
                entry,
                round,
                criterion,
            } => match criterion {
                Some(c) => write!(
                    f,
                    "{judge} has no stored score for {entry} / {round} / {c}; nothing to remove"
                ),
                None => write!(
                    f,
                    "{judge} has no stored scores for {entry} / {round}; nothing to remove"
                ),
            },
            UnknownCriterion { round, criterion } => write!(f, "round {round} has no criterion \"{criterion}\""),
        }
    }
}

impl std::error::Error for OrganiserRefusal {}
