//! Everything a printout needs, as plain values: [`crate::app::export::take_snapshot`] reads it in
//! ONE read transaction, so the tally, the raw scores and the fingerprint on the paper all describe
//! the same state even while judges keep scoring. The renderers make bytes of it and nothing else.

use std::collections::{BTreeMap, HashMap};

use crate::core::sheet::ScoreInput;
use crate::core::tally::Tally;
use crate::core::{Entry, Judge, Rubric};

use super::fingerprint::Fingerprint;

/// What to read besides the tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SnapshotOptions {
    /// Load every judge's comment on every entry they scored (score sheets need them).
    pub comments: bool,
}

pub struct Snapshot {
    pub rubric: Rubric,
    /// Only the requested group when one was asked for.
    pub tally: Tally,
    pub judges: Vec<Judge>,
    /// Every entry by id (names, organisations), without the long texts.
    pub entries: BTreeMap<String, Entry>,
    /// Every submitted score, ordered by entry, round, judge, criterion.
    pub scores: Vec<ScoreInput>,
    /// (judge, entry) → comment, when asked for.
    pub comments: HashMap<(String, String), String>,
    pub fingerprint: Fingerprint,
    /// Local time the snapshot was taken, `YYYY-MM-DD HH:MM`.
    pub made_at: String,
    /// Local date, `YYYY-MM-DD`.
    pub date: String,
}

impl Snapshot {
    pub fn judge_name(&self, id: &str) -> String {
        self.judges
            .iter()
            .find(|j| j.id == id)
            .map(|j| j.name.clone())
            .unwrap_or_default()
    }

    /// The contestant's name when the entry has one and it differs from the title shown.
    pub fn entry_name(&self, id: &str) -> &str {
        self.entries.get(id).map(|e| e.name.as_str()).unwrap_or("")
    }

    /// Whether any entry of the tally has a contestant name worth its own column.
    pub fn has_names(&self) -> bool {
        self.tally.groups.iter().flat_map(|g| &g.entries).any(|e| {
            self.entries
                .get(&e.id)
                .is_some_and(|x| !x.name.is_empty() && x.name != e.title)
        })
    }
}
