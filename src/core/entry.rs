//! Entries (cases or contestants) and judges as plain values.

use std::collections::BTreeMap;

use super::rubric::Section;

/// The four written parts of a typical case; empty for competition contestants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sections {
    pub background: String,
    pub problem: String,
    pub strategy: String,
    pub outcome: String,
}

impl Sections {
    pub fn get(&self, section: Section) -> &str {
        match section {
            Section::Background => &self.background,
            Section::Problem => &self.problem,
            Section::Strategy => &self.strategy,
            Section::Outcome => &self.outcome,
        }
    }

    pub fn get_mut(&mut self, section: Section) -> &mut String {
        match section {
            Section::Background => &mut self.background,
            Section::Problem => &mut self.problem,
            Section::Strategy => &mut self.strategy,
            Section::Outcome => &mut self.outcome,
        }
    }

    pub fn is_empty(&self) -> bool {
        Section::ALL.iter().all(|s| self.get(*s).trim().is_empty())
    }
}

/// A case or a contestant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    /// The group (competition) or topic category (cases); `None` when the file left it empty.
    pub group: Option<String>,
    pub title: String,
    /// The contestant's name (competitions).
    pub name: String,
    pub organization: String,
    pub county: String,
    pub submitter: String,
    pub submitter_type: String,
    pub perspective: String,
    /// Running order (出场顺序) within the group.
    pub order: Option<i64>,
    /// Columns the rubric does not know, kept as they came.
    pub extra: BTreeMap<String, String>,
    pub sections: Sections,
}

impl Entry {
    /// What a list shows for the entry: the title, or the contestant's name when there is no title.
    pub fn label(&self) -> &str {
        if self.title.is_empty() { &self.name } else { &self.title }
    }
}

/// A judge (评委) as stored, without the PIN hash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Judge {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub county: String,
}

/// One entry's fields, borrowed: what an importer has checked and the store writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryFields<'a> {
    pub id: &'a str,
    pub group: Option<&'a str>,
    pub title: &'a str,
    pub name: &'a str,
    pub organization: &'a str,
    pub county: &'a str,
    pub submitter: &'a str,
    pub submitter_type: &'a str,
    pub perspective: &'a str,
    pub order: Option<i64>,
    /// The extra columns as a JSON object.
    pub extra: &'a str,
    /// background, problem, strategy, outcome; `None` when all four are blank (no texts row).
    pub sections: Option<[&'a str; 4]>,
}

/// What the judge's list shows for an entry as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowStatus {
    NotStarted,
    Draft,
    Submitted,
    Conflict,
}

/// The reason given to a conflict of interest (回避) declared because judge and entry come from
/// the same organisation: the screens name it in the judge's language.
pub const SAME_ORGANISATION: &str = "same organisation";

/// The user names `jury serve` keeps for itself: the organiser's console and the projector. No
/// judge may have one, in any case (`import judges` refuses them), since judge ids are matched
/// without regard to case at login.
pub const RESERVED_JUDGE_IDS: [&str; 2] = ["organiser", "show"];

/// Whether `a` and `b` name the same judge at login: equal without regard to case (`pw03` is
/// `PW03`).
pub fn same_judge_id(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// Whether `id` is one of [`RESERVED_JUDGE_IDS`], in any case.
pub fn is_reserved_judge_id(id: &str) -> bool {
    RESERVED_JUDGE_IDS.iter().any(|r| same_judge_id(id.trim(), r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserved_ids_in_any_case_and_nothing_else() {
        for id in ["organiser", "Organiser", "ORGANISER", "show", "Show", " SHOW "] {
            assert!(is_reserved_judge_id(id), "{id}");
        }
        for id in ["PW01", "organizer", "shows", "organiser1", ""] {
            assert!(!is_reserved_judge_id(id), "{id}");
        }
        assert!(same_judge_id("pw03", "PW03"));
        assert!(!same_judge_id("PW03", "PW3"));
    }
}
