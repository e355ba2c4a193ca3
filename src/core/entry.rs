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
