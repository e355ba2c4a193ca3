//! Everything a printout needs, as plain values: [`crate::app::export::take_snapshot`] reads it in
//! ONE read transaction, so the tally, the raw scores and the fingerprint on the paper all describe
//! the same state even while judges keep scoring. The renderers make bytes of it and nothing else.

use std::collections::{BTreeMap, HashMap};

use crate::core::sheet::ScoreInput;
use crate::core::standing::Standing;
use crate::core::tally::Tally;
use crate::core::{Entry, Judge, Rubric};

use super::fingerprint::{Fingerprint, ResultsMark};

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
    /// Group → whether its results are provisional or final (decided by
    /// [`crate::core::standing::group_standing`] from the locks read with the rest); a group
    /// missing here is provisional.
    pub standings: BTreeMap<String, Standing>,
    /// The public copy (公示): no judges' names, marks, deviation flags or judges' signatures;
    /// the rubric's publicity text and the organiser's line for the seal instead.
    pub public: bool,
    /// The phase shown (评审阶段), when the workspace has more than one: the printouts name it
    /// (`初评结果`).
    pub phase: Option<String>,
    /// Written for a Chinese reader: the results CSV's headers in Chinese, 是/否 for complete
    /// (the other printouts are Chinese whatever the locale).
    pub chinese: bool,
}

impl Snapshot {
    /// The results' title: `评审结果`, or `初评结果` when the workspace has more than one phase.
    pub fn results_title(&self) -> String {
        match &self.phase {
            Some(p) => format!("{p}结果"),
            None => "评审结果".to_string(),
        }
    }

    /// A printout's title named by its phase when the workspace has more than one (`复评评分表`,
    /// `复评入选案例名单`), else `name` alone.
    pub fn phase_titled(&self, name: &str) -> String {
        match &self.phase {
            Some(p) => format!("{p}{name}"),
            None => name.to_string(),
        }
    }

    /// Where a group's results stand (provisional unless read as final).
    pub fn standing(&self, group: &str) -> Standing {
        self.standings.get(group).cloned().unwrap_or(Standing::Provisional)
    }

    /// Final only when every group printed is final (and there is one).
    pub fn results_mark(&self) -> ResultsMark {
        let all_final =
            !self.tally.groups.is_empty() && self.tally.groups.iter().all(|g| self.standing(&g.group).is_final());
        if all_final {
            ResultsMark::Final
        } else {
            ResultsMark::Provisional
        }
    }

    /// Whether any entry of the tally has an organisation (单位).
    pub fn has_organizations(&self) -> bool {
        self.any_entry(|e| !e.organization.trim().is_empty())
    }

    /// Whether any entry of the tally has a county (县市区).
    pub fn has_counties(&self) -> bool {
        self.any_entry(|e| !e.county.trim().is_empty())
    }

    fn any_entry(&self, test: impl Fn(&Entry) -> bool) -> bool {
        self.tally
            .groups
            .iter()
            .flat_map(|g| &g.entries)
            .any(|e| self.entries.get(&e.id).is_some_and(&test))
    }

    pub fn entry_organization(&self, id: &str) -> &str {
        self.entries.get(id).map(|e| e.organization.as_str()).unwrap_or("")
    }

    pub fn entry_county(&self, id: &str) -> &str {
        self.entries.get(id).map(|e| e.county.as_str()).unwrap_or("")
    }

    /// Whether the results show an 奖项 column: the rubric has awards.
    pub fn has_awards(&self) -> bool {
        !self.rubric.awards.is_empty()
    }

    /// Whether each round gets its own column: not when the only round's score is the final.
    pub fn shows_rounds(&self) -> bool {
        self.rubric.rounds.len() > 1
    }

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
