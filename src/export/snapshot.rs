//! Everything a printout needs, read in ONE read transaction, so the tally, the raw scores and the
//! fingerprint on the paper all describe the same state even while judges keep scoring. The
//! workspace is first checked against its audit trail's seal: a changed one is refused.

use std::collections::{BTreeMap, HashMap};

use crate::core::tally::Tally;
use crate::core::{Entry, Judge, Rubric};
use crate::error::Result;
use crate::store::{ScoreInput, Store};

use super::fingerprint::{Fingerprint, checked_content, sealed_fingerprint};

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

/// Read the tally (optionally of one group) and the data behind it in one snapshot.
pub fn take_snapshot(store: &Store, group: Option<&str>, options: SnapshotOptions) -> Result<Snapshot> {
    let rubric = store.rubric()?.clone();
    crate::app::tally::check_group(&rubric, group)?;
    let (tally_entries, sheets, judges, entries, scores, audit_head, comments, content) = store.read(|s| {
        // First: a workspace changed outside jury is never printed (src/store/seal.rs).
        let content = checked_content(s)?;
        let scores = s.all_scores()?;
        let mut comments = HashMap::new();
        if options.comments {
            let mut pairs: Vec<(&str, &str)> = scores.iter().map(|x| (x.judge.as_str(), x.entry.as_str())).collect();
            pairs.dedup();
            pairs.sort_unstable();
            pairs.dedup();
            for (judge, entry) in pairs {
                if let Some(text) = s.comment(judge, entry)? {
                    comments.insert((judge.to_string(), entry.to_string()), text);
                }
            }
        }
        let (tally_entries, sheets) = crate::app::tally::read_inputs(s)?;
        Ok((
            tally_entries,
            sheets,
            s.judges()?,
            s.entries()?,
            scores,
            s.audit_head()?,
            comments,
            content,
        ))
    })?;
    let result = crate::app::tally::compute(&rubric, &tally_entries, &sheets, group);
    let fingerprint = sealed_fingerprint(scores.len(), &content, audit_head);
    let now = chrono::Local::now();
    Ok(Snapshot {
        rubric,
        tally: result,
        judges,
        entries: entries.into_iter().map(|e| (e.id.clone(), e)).collect(),
        scores,
        comments,
        fingerprint,
        made_at: now.format("%Y-%m-%d %H:%M").to_string(),
        date: now.format("%Y-%m-%d").to_string(),
    })
}
