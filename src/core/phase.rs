//! Selection in phases (评审阶段, issue 16): a workspace starts in one phase (`初评` unless `jury init
//! --phase NAME`); `phase start` begins the next with the entries of one status, locking the one
//! before; the newest may be dropped while it has no scores. The rules and their refusals live
//! here; `store::phases` keeps the tables and `app::phases` the use cases.

use std::fmt;

use super::shortlist::Status;

/// The name of the first phase when `jury init` is given none.
pub const FIRST_PHASE: &str = "初评";

/// One phase of the workspace, first to newest; the newest is the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// 1 for the first phase.
    pub seq: i64,
    pub name: String,
    /// The status the phase took its entries by (`None`: the first phase, every entry).
    pub take: Option<Status>,
    pub started_at: String,
    /// Set when the next phase started: read-only from then on.
    pub locked_at: Option<String>,
    /// How many entries are in the phase.
    pub entries: usize,
    /// How many scores its sheets hold (drafts included).
    pub scores: usize,
}

impl Phase {
    pub fn is_locked(&self) -> bool {
        self.locked_at.is_some()
    }
}

/// Why a phase operation was refused. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhaseRefusal {
    /// `--phase NAME` names no phase; `known`: the phases, first to newest.
    UnknownPhase { name: String, known: Vec<String> },
    /// A new phase's name is empty, too long or has a control character.
    BadName { name: String },
    /// A phase of this name exists already.
    NameTaken { name: String },
    /// `--take` names no status.
    UnknownStatus { text: String },
    /// No entry of the current phase has the status taken.
    NothingTaken { status: Status, phase: String },
    /// A taken entry's group is not a group of the new phase's rubric.
    GroupMissing {
        entry: String,
        group: String,
        groups: Vec<String>,
    },
    /// A write aimed at an earlier phase (locked when the next one started).
    PhaseLocked { phase: String, current: String },
    /// An entry that is not part of the current phase (left out when it started).
    NotInPhase { entry: String, phase: String },
    /// `phase drop` with only the first phase.
    OnlyPhase { phase: String },
    /// `phase drop` of a phase that has scores already.
    HasScores { phase: String, scores: usize },
}

impl fmt::Display for PhaseRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PhaseRefusal as R;
        match self {
            R::UnknownPhase { name, known } => {
                write!(f, "no phase named \"{name}\"; the phases are: {}", known.join(", "))
            }
            R::BadName { name } => write!(
                f,
                "\"{name}\" cannot name a phase: give 1 to 40 characters without control characters"
            ),
            R::NameTaken { name } => write!(f, "there is a phase named \"{name}\" already"),
            R::UnknownStatus { text } => write!(
                f,
                "--take \"{text}\": not a status; give shortlisted (入围), selected (入选), rejected (未入选) or pending \
                 (待定)"
            ),
            R::NothingTaken { status, phase } => write!(
                f,
                "no entry of the phase {phase} is {} ({}): the new phase would be empty; nothing was changed",
                status.as_str(),
                status.chinese()
            ),
            R::GroupMissing { entry, group, groups } => write!(
                f,
                "the entry {entry} is in the group \"{group}\", which the new phase's rubric does not have (its groups: \
                 {}); nothing was changed",
                groups.join(", ")
            ),
            R::PhaseLocked { phase, current } => write!(
                f,
                "the phase {phase} is locked (the current phase is {current}): its sheets, scores and statuses are \
                 read-only; nothing was changed"
            ),
            R::NotInPhase { entry, phase } => write!(
                f,
                "the entry {entry} is not part of the current phase {phase}: it was not taken into it"
            ),
            R::OnlyPhase { phase } => write!(f, "{phase} is the only phase: there is nothing to drop"),
            R::HasScores { phase, scores } => write!(
                f,
                "the phase {phase} has {scores} scores already: only a phase without scores may be dropped; nothing \
                 was changed"
            ),
        }
    }
}

impl std::error::Error for PhaseRefusal {}

/// `--take`: a status by its English or Chinese name (`shortlisted`, `入围`, ...).
pub fn parse_take(text: &str) -> Result<Status, PhaseRefusal> {
    Status::parse(text).ok_or_else(|| PhaseRefusal::UnknownStatus { text: text.to_string() })
}

/// A new phase's name: trimmed, 1 to 40 characters, no control characters.
pub fn check_name(name: &str) -> Result<String, PhaseRefusal> {
    let trimmed = name.trim();
    let n = trimmed.chars().count();
    if n == 0 || n > 40 || trimmed.chars().any(char::is_control) {
        return Err(PhaseRefusal::BadName { name: name.to_string() });
    }
    Ok(trimmed.to_string())
}

/// The title of a printout: `结果` alone with one phase, `初评结果` when the workspace has more.
pub fn titled(phase: Option<&str>, title: &str) -> String {
    match phase {
        Some(p) => format!("{p}{title}"),
        None => title.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_reads_english_and_chinese_status_names() {
        assert_eq!(parse_take("shortlisted"), Ok(Status::Shortlisted));
        assert_eq!(parse_take("入围"), Ok(Status::Shortlisted));
        assert_eq!(parse_take("入选"), Ok(Status::Selected));
        assert!(matches!(parse_take("winners"), Err(PhaseRefusal::UnknownStatus { .. })));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_name(" 复评 ").unwrap(), "复评");
        assert!(check_name("").is_err());
        assert!(check_name("a\tb").is_err());
        assert!(check_name(&"长".repeat(41)).is_err());
        assert_eq!(titled(Some("初评"), "结果"), "初评结果");
        assert_eq!(titled(None, "结果"), "结果");
    }
}
