//! What the projector shows (`jury show`), read in one snapshot: the contestant on stage and what
//! the room may see of their round, and the running ranking per group. The projector draws a
//! [`Board`] and never reads the workspace itself; its runner calls [`load`] (through a [`Watch`],
//! which reads again only when another process has committed).
//!
//! What the room may see: the judges' totals once every judge who may score is in (rubric `reveal
//! = "all-in"`, the default) or one by one as they submit (`"as-submitted"`); the result once the
//! host reveals it (亮分); the ranking counts the round on stage only once its result is shown;
//! award tiers only once the group is complete.

use std::collections::{HashMap, HashSet};

use crate::app::stage::{self, Stage};
use crate::app::tally;
use crate::core::Kind;
use crate::core::rubric::{ProjectorNames, RevealMode, Rubric};
use crate::core::tally::{Dropped, SheetTotal, TallyEntry};
use crate::error::Result;
use crate::store::Store;

/// One judge's submitted sheet as the room sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownMark {
    pub judge: String,
    /// 1-based place in the judges' order (the projector's `评委N` with `projector_names =
    /// "numbered"`).
    pub number: usize,
    /// With the contest's own notation (no trailing zeros), e.g. `86.5`; `None` while the totals
    /// are still blind (not every judge is in).
    pub total: Option<String>,
    /// Struck through once the round is finished.
    pub dropped: Option<Dropped>,
}

/// A judge who may score the contestant and has not submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub judge: String,
    pub number: usize,
    /// The organiser reopened their submitted sheet after the room saw it (修改中).
    pub reopened: bool,
}

/// The contestant on stage and what the room may see of their round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnStage {
    pub stage: Stage,
    pub name: String,
    pub title: String,
    pub organization: String,
    pub order: Option<i64>,
    pub round_name: String,
    /// 1-based position of the round in the rubric, and how many rounds there are.
    pub round_number: usize,
    pub rounds: usize,
    /// Submitted sheets in submission order.
    pub marks: Vec<ShownMark>,
    /// Judges who may score this entry and have not submitted yet, in the judges' order.
    pub waiting: Vec<Waiting>,
    /// Every judge who may score it has submitted.
    pub all_in: bool,
    /// The result is shown: the host revealed it (or, with `reveal = "as-submitted"`, every
    /// judge is in), and no sheet is being corrected.
    pub finished: bool,
    /// The result is shown before every judge is in (暂定): how many are still missing.
    pub provisional: Option<usize>,
    /// A sheet was reopened after the result was shown and is not submitted again (修改中).
    pub changing: bool,
    /// The round score (shown once finished), rounded as the tally shows it.
    pub round_score: Option<String>,
    /// The final score, once finished and every round has its score.
    pub final_score: Option<String>,
    /// (judges in, judges needed) when too few judges scored for a round score.
    pub shortfall: Option<(usize, usize)>,
    pub calibration: bool,
}

/// One ranked entry of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub rank: u32,
    pub id: String,
    /// The contestant's name (competitions) or the case's title.
    pub label: String,
    pub organization: String,
    pub final_score: String,
    /// Only once the group is complete.
    pub award: Option<String>,
    /// A sheet of this entry is reopened and not submitted again (修改中).
    pub changing: bool,
}

/// A group's running ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupStandings {
    pub group: String,
    pub ranked: Vec<Standing>,
    /// Entries not ranked yet (too few judges so far).
    pub pending: usize,
    /// Every judge who may score each entry has submitted every round ([`stage::complete_groups`])
    /// and every entry is ranked: the award tiers are shown, else the ranking is provisional.
    pub complete: bool,
}

/// Everything the projector draws, read in one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    pub contest: String,
    pub kind: Kind,
    pub stage: Option<OnStage>,
    pub groups: Vec<GroupStandings>,
    /// How the judges are named (rubric `projector_names`).
    pub names: ProjectorNames,
}

/// Read the board from the workspace, in one read transaction (never writes).
pub fn load(store: &Store) -> Result<Board> {
    let rubric = store.rubric()?;
    store.read(|s| load_within(s, rubric))
}

/// [`load`] inside a read the caller holds.
pub fn load_within(s: &Store, rubric: &Rubric) -> Result<Board> {
    let on_stage = match (rubric.kind, stage::current(s)?) {
        (Kind::Competition, Some(current)) => on_stage(s, rubric, current)?,
        _ => None,
    };
    // The ranking counts what the room has seen: the round on stage only once its result has been
    // shown (else the contestant's new final would give the result away before the reveal). One
    // being corrected (修改中) was shown: it stays, marked.
    // The shared read and computation, with this one step between them: the unrevealed round's
    // sheets are left out.
    let (tally_entries, mut sheets) = tally::read_inputs(s)?;
    if let Some(on) = on_stage.as_ref().filter(|on| !on.finished && !on.changing) {
        sheets.retain(|x| !(x.entry == on.stage.entry && *x.round == *on.stage.round));
    }
    let t = tally::compute(rubric, &tally_entries, &sheets, None);
    let entries: HashMap<String, crate::core::Entry> = s.entries()?.into_iter().map(|e| (e.id.clone(), e)).collect();
    let complete = stage::complete_groups_within(s)?;
    let changing: HashSet<String> = s.reopened_sheets()?.into_iter().map(|(entry, _, _)| entry).collect();
    let groups = t
        .groups
        .iter()
        .map(|g| {
            let complete = complete.contains(&g.group) && g.incomplete().next().is_none();
            GroupStandings {
                group: g.group.clone(),
                ranked: g
                    .ranked()
                    .map(|e| {
                        let entry = entries.get(&e.id);
                        let label = match (rubric.kind, entry) {
                            (Kind::Competition, Some(x)) if !x.name.is_empty() => x.name.clone(),
                            _ => e.title.clone(),
                        };
                        Standing {
                            rank: e.rank.unwrap_or(0),
                            id: e.id.clone(),
                            label,
                            organization: entry.map(|x| x.organization.clone()).unwrap_or_default(),
                            final_score: e.final_score.map(|f| t.fmt(f)).unwrap_or_default(),
                            award: e.award.clone().filter(|_| complete),
                            changing: changing.contains(&e.id),
                        }
                    })
                    .collect(),
                pending: g.incomplete().count(),
                complete,
            }
        })
        .collect();
    Ok(Board {
        contest: rubric.name.clone(),
        kind: rubric.kind,
        stage: on_stage,
        groups,
        names: rubric.projector_names,
    })
}

/// The stage's entry and round as the room sees it: computed with the tally's own rules on this
/// entry's submitted sheets (so a calibration sample works too, and the result is the one
/// `jury tally` gives).
fn on_stage(s: &Store, rubric: &Rubric, stage: Stage) -> Result<Option<OnStage>> {
    let Some(entry) = s.entry(&stage.entry)? else {
        return Ok(None);
    };
    let Some(round_index) = rubric.round_index(&stage.round) else {
        return Ok(None);
    };
    let round = &rubric.rounds[round_index];
    let eligible = stage::eligible_submissions(s, &entry.id, entry.group.as_deref(), &round.id)?;
    let submitted = s.submitted_totals(&entry.id, &round.id)?;
    let mut all_sheets = Vec::new();
    for r in &rubric.rounds {
        all_sheets.extend(s.submitted_totals(&entry.id, &r.id)?.into_iter().map(|x| SheetTotal {
            entry: entry.id.clone(),
            round: r.id.as_str().into(),
            judge: x.judge.into(),
            total: x.total,
            criteria: x.criteria,
        }));
    }
    let reopened: Vec<String> = s
        .reopened_sheets()?
        .into_iter()
        .filter(|(e, r, _)| *e == entry.id && *r == round.id)
        .map(|(_, _, j)| j)
        .collect();
    let samples = s.calibration_entries()?;
    let one = [TallyEntry {
        id: entry.id.clone(),
        title: entry.label().to_string(),
        group: entry.group.clone(),
        order: entry.order,
    }];
    let t = crate::core::tally::tally(rubric, &one, &all_sheets);
    let result = t.entry(&entry.id);
    let round_result = result.and_then(|r| r.round(&round.id));
    // Judges are numbered in the judges' order; a submitted sheet from a judge no longer
    // eligible (a panel changed afterwards) is numbered after them.
    let mut numbers: HashMap<&str, usize> = eligible
        .iter()
        .enumerate()
        .map(|(i, (j, _))| (j.as_str(), i + 1))
        .collect();
    for s in &submitted {
        let next = numbers.len() + 1;
        numbers.entry(s.judge.as_str()).or_insert(next);
    }
    let as_submitted = rubric.reveal == RevealMode::AsSubmitted;
    // What the room has been shown already: a sheet reopened since marks the result as changing.
    // Before that a reopened judge is simply scoring again.
    let public = stage.revealed || as_submitted;
    let waiting: Vec<Waiting> = eligible
        .iter()
        .filter(|(_, done)| !done)
        .map(|(j, _)| Waiting {
            judge: j.clone(),
            number: numbers.get(j.as_str()).copied().unwrap_or(0),
            reopened: public && reopened.contains(j),
        })
        .collect();
    let all_in = !submitted.is_empty() && waiting.is_empty();
    let changing = waiting.iter().any(|w| w.reopened);
    let totals_shown = as_submitted || all_in || stage.revealed;
    let result_due = stage.revealed || (as_submitted && all_in);
    let finished = !submitted.is_empty() && result_due && !changing;
    let provisional = (finished && !waiting.is_empty()).then_some(waiting.len());
    let dropped_of = |judge: &str| {
        round_result
            .and_then(|r| r.marks.iter().find(|m| &*m.judge == judge))
            .and_then(|m| m.dropped)
    };
    let marks = submitted
        .iter()
        .map(|s| ShownMark {
            judge: s.judge.clone(),
            number: numbers.get(s.judge.as_str()).copied().unwrap_or(0),
            total: totals_shown.then(|| s.total.to_string()),
            dropped: if finished { dropped_of(&s.judge) } else { None },
        })
        .collect();
    let round_score = if finished {
        round_result.and_then(|r| r.score).map(|s| t.fmt(s))
    } else {
        None
    };
    let final_score = if finished {
        result.and_then(|r| r.final_score).map(|f| t.fmt(f))
    } else {
        None
    };
    let shortfall = match round_result {
        Some(r) if finished && r.score.is_none() => Some((r.marks.len(), rubric.min_judges)),
        _ => None,
    };
    Ok(Some(OnStage {
        name: entry.name.clone(),
        title: entry.title.clone(),
        organization: entry.organization.clone(),
        order: entry.order,
        round_name: round.name.clone(),
        round_number: round_index + 1,
        rounds: rubric.rounds.len(),
        marks,
        waiting,
        all_in,
        finished,
        provisional,
        changing,
        round_score,
        final_score,
        shortfall,
        calibration: samples.contains(&entry.id),
        stage,
    }))
}

/// Reads the board again only when the workspace changed: another process committed since the
/// last read (`PRAGMA data_version`). The projector's runner keeps one and polls it on every tick.
#[derive(Debug, Default)]
pub struct Watch {
    /// The workspace's version at the last read; `None` before the first.
    version: Option<i64>,
}

impl Watch {
    pub fn new() -> Watch {
        Watch::default()
    }

    /// The board when the workspace changed since the last call (the first call always reads it),
    /// `None` when nothing changed.
    pub fn changed(&mut self, store: &Store) -> Result<Option<Board>> {
        // The version before the read: a commit landing during the read is read again next time.
        let version = store.data_version()?;
        if self.version == Some(version) {
            return Ok(None);
        }
        let board = load(store)?;
        self.version = Some(version);
        Ok(Some(board))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::create_demo_workspace;
    use crate::store::Actor;

    fn demo() -> (tempfile::TempDir, std::path::PathBuf, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, path, store)
    }

    /// Each group with its ranking as (rank, id, final).
    type Ranking = Vec<(String, Vec<(u32, String, String)>)>;

    /// Every group's ranking from the tally of `jury tally`.
    fn tally_ranking(store: &Store) -> Ranking {
        let t = tally::compute_tally(store, None).unwrap();
        t.groups
            .iter()
            .map(|g| {
                let ranked = g
                    .ranked()
                    .map(|e| (e.rank.unwrap_or(0), e.id.clone(), t.fmt(e.final_score.unwrap())))
                    .collect();
                (g.group.clone(), ranked)
            })
            .collect()
    }

    fn board_ranking(board: &Board) -> Ranking {
        board
            .groups
            .iter()
            .map(|g| {
                let ranked = g
                    .ranked
                    .iter()
                    .map(|s| (s.rank, s.id.clone(), s.final_score.clone()))
                    .collect();
                (g.group.clone(), ranked)
            })
            .collect()
    }

    #[test]
    fn the_board_ranks_as_the_tally_does() {
        let (_dir, _path, store) = demo();
        let board = load(&store).unwrap();
        assert_eq!(board.contest, store.rubric().unwrap().name);
        assert_eq!(board.kind, Kind::Competition);
        assert!(board.stage.is_none());
        let expected = tally_ranking(&store);
        assert!(expected.iter().any(|(_, r)| r.len() > 3), "{expected:?}");
        assert_eq!(board_ranking(&board), expected);
        let t = tally::compute_tally(&store, None).unwrap();
        for (g, shown) in t.groups.iter().zip(&board.groups) {
            assert_eq!(shown.pending, g.incomplete().count(), "{}", g.group);
        }
        // With a revealed contestant on stage the ranking still is the tally's, and the stage's
        // round score and final are the tally's too.
        stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
        stage::reveal_provisional(&store, &Actor::Organiser).unwrap();
        let board = load(&store).unwrap();
        assert_eq!(board_ranking(&board), expected);
        let on = board.stage.unwrap();
        let e = t.entry("JS001").unwrap();
        assert_eq!(on.round_score, Some(t.fmt(e.round("lesson").unwrap().score.unwrap())));
        assert_eq!(on.final_score, Some(t.fmt(e.final_score.unwrap())));
    }

    #[test]
    fn the_round_on_stage_counts_in_the_ranking_only_once_shown() {
        let (_dir, _path, store) = demo();
        stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
        let board = load(&store).unwrap();
        assert!(board.groups.iter().flat_map(|g| &g.ranked).all(|s| s.id != "JS001"));
        assert_ne!(board_ranking(&board), tally_ranking(&store));
    }

    #[test]
    fn the_watch_reads_again_only_after_another_process_commits() {
        let (_dir, path, store) = demo();
        let mut watch = Watch::new();
        let first = watch.changed(&store).unwrap().expect("the first call reads");
        assert!(first.stage.is_none());
        assert_eq!(watch.changed(&store).unwrap(), None, "nothing changed");
        let organiser = Store::open(&path).unwrap();
        stage::set(&organiser, &Actor::Organiser, "JS014", "lesson").unwrap();
        let next = watch.changed(&store).unwrap().expect("another process committed");
        assert_eq!(next.stage.unwrap().stage.entry, "JS014");
        assert_eq!(watch.changed(&store).unwrap(), None);
    }
}
