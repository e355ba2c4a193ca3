//! The live stage of a competition: which contestant is performing, in which round, and whether
//! the projector shows the result yet (亮分).
//!
//! The stage is one `meta` row (`stage`, a small JSON object), written with an audit row in one
//! transaction like every other organiser action. Judges' screens and the projector poll
//! `PRAGMA data_version` and re-read it; nothing here pushes to them.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::core::Entry;
use crate::core::refusal::StageRefusal;
use crate::core::rubric::{Kind, Rubric};
use crate::error::{Error, Result};
use crate::store::{Actor, AuditEvent, SheetStatus, Store};

/// The `meta` key holding the stage.
const STAGE_KEY: &str = "stage";

/// The current contestant on stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub group: String,
    pub entry: String,
    /// A round id of the rubric.
    pub round: String,
    /// The organiser has revealed the result on the projector (亮分); before every judge is in
    /// only as provisional ([`reveal_provisional`]).
    pub revealed: bool,
}

impl Stage {
    fn describe(&self) -> String {
        format!(
            "{} / {} / {}{}",
            self.group,
            self.entry,
            self.round,
            if self.revealed { " (revealed)" } else { "" }
        )
    }
}

/// The stage as stored, or `None` before the organiser has set one. A value this build cannot
/// read (written by hand, or by a newer jury) counts as no stage rather than an error: the
/// projector and the judges' screens must keep working.
pub fn current(store: &Store) -> Result<Option<Stage>> {
    Ok(store
        .meta(STAGE_KEY)?
        .and_then(|text| serde_json::from_str::<Stage>(&text).ok()))
}

fn require_competition(rubric: &Rubric) -> Result<()> {
    if rubric.kind != Kind::Competition {
        return Err(StageRefusal::NotCompetition.into());
    }
    Ok(())
}

fn round_id(rubric: &Rubric, round: &str) -> Result<String> {
    rubric.round(round).map(|r| r.id.clone()).ok_or_else(|| {
        let known: Vec<String> = rubric.rounds.iter().map(|r| format!("{} ({})", r.id, r.name)).collect();
        Error::from(StageRefusal::UnknownRound {
            round: round.to_string(),
            known,
        })
    })
}

/// Write the stage with an audit row, inside one transaction.
fn store_stage(store: &Store, actor: &Actor, stage: &Stage) -> Result<()> {
    let text = serde_json::to_string(stage).map_err(|e| Error::from(StageRefusal::CannotStore(e.to_string())))?;
    store.write(|s| {
        let old = current(s)?.map(|o| o.describe());
        s.set_meta(STAGE_KEY, &text)?;
        s.audit(
            actor,
            &AuditEvent::Stage {
                entry: stage.entry.clone(),
                round: stage.round.clone(),
                old,
                new: stage.describe(),
            },
        )
    })
}

/// The contestants of `group` in running order (出场顺序): those without a running order come
/// after the others, in import order. Calibration samples are not part of the running order.
pub fn running_order(store: &Store, group: &str) -> Result<Vec<Entry>> {
    let (entries, samples) = store.read(|s| Ok((s.entries()?, s.calibration_entries()?)))?;
    let mut in_group: Vec<Entry> = entries
        .into_iter()
        .filter(|e| e.group.as_deref() == Some(group) && !samples.contains(&e.id))
        .collect();
    in_group.sort_by_key(|e| (e.order.is_none(), e.order));
    Ok(in_group)
}

/// Put `entry` on stage in `round` (id or name). The result is hidden until the organiser reveals
/// it ([`reveal`]).
pub fn set(store: &Store, actor: &Actor, entry: &str, round: &str) -> Result<Stage> {
    let rubric = store.rubric()?;
    require_competition(rubric)?;
    let round = round_id(rubric, round)?;
    let found = store.entry(entry)?.ok_or_else(|| {
        Error::from(crate::core::organiser::OrganiserRefusal::UnknownEntry {
            entry: entry.to_string(),
        })
    })?;
    let group = found
        .group
        .filter(|g| rubric.has_group(g))
        .ok_or_else(|| Error::from(StageRefusal::NoGroup(entry.to_string())))?;
    let stage = Stage {
        group,
        entry: found.id,
        round,
        revealed: false,
    };
    store_stage(store, actor, &stage)?;
    Ok(stage)
}

/// Move to the next (`delta` = 1) or previous (-1) contestant in running order within the
/// current group, staying in the round. With no stage yet, `next` starts at the first contestant
/// of the first group. Refused past either end.
pub fn advance(store: &Store, actor: &Actor, delta: i64) -> Result<Stage> {
    let rubric = store.rubric()?;
    require_competition(rubric)?;
    let Some(stage) = current(store)? else {
        if delta <= 0 {
            return Err(StageRefusal::NothingToGoBackFrom.into());
        }
        let first_round = rubric
            .rounds
            .first()
            .map(|r| r.id.clone())
            .ok_or_else(|| Error::from(StageRefusal::NoRounds))?;
        for group in &rubric.groups {
            if let Some(first) = running_order(store, group)?.first() {
                return set(store, actor, &first.id, &first_round);
            }
        }
        return Err(StageRefusal::NoContestant.into());
    };
    let order = running_order(store, &stage.group)?;
    let here = order.iter().position(|e| e.id == stage.entry);
    let target = match here {
        Some(i) => i as i64 + delta,
        // The current entry left the running order (e.g. a calibration sample): start over.
        None if delta > 0 => delta - 1,
        None => order.len() as i64 + delta,
    };
    if target < 0 {
        return Err(StageRefusal::First {
            entry: stage.entry,
            group: stage.group,
        }
        .into());
    }
    let Some(next) = order.get(target as usize) else {
        return Err(StageRefusal::Last {
            entry: stage.entry,
            group: stage.group,
        }
        .into());
    };
    set(store, actor, &next.id, &stage.round)
}

/// Keep the contestant, change the round (id or name).
pub fn set_round(store: &Store, actor: &Actor, round: &str) -> Result<Stage> {
    let Some(stage) = current(store)? else {
        return Err(StageRefusal::NothingOnStage.into());
    };
    set(store, actor, &stage.entry, round)
}

/// Show (`true`) or hide the result on the projector. Showing it is refused while a judge who
/// may score the contestant on stage (assigned, or on the group's panel, not in conflict; logged
/// in or not) has not submitted ([`Error::NotAllIn`]); [`reveal_provisional`] shows it anyway.
pub fn reveal(store: &Store, actor: &Actor, revealed: bool) -> Result<Stage> {
    reveal_with(store, actor, revealed, false)
}

/// Show the result before every judge is in: the projector labels it provisional (暂定) with the
/// number of judges still missing. The audit row's reason names them.
pub fn reveal_provisional(store: &Store, actor: &Actor) -> Result<Stage> {
    reveal_with(store, actor, true, true)
}

fn reveal_with(store: &Store, actor: &Actor, revealed: bool, provisional: bool) -> Result<Stage> {
    store.write(|s| {
        let Some(mut stage) = current(s)? else {
            return Err(StageRefusal::NothingOnStage.into());
        };
        let mut reason = String::new();
        if revealed {
            let subs = eligible_submissions(s, &stage.entry, Some(&stage.group), &stage.round)?;
            let missing: Vec<String> = subs.iter().filter(|(_, done)| !done).map(|(j, _)| j.clone()).collect();
            if !missing.is_empty() {
                if !provisional {
                    return Err(Error::NotAllIn {
                        entry: stage.entry.clone(),
                        round: stage.round.clone(),
                        missing,
                        total: subs.len(),
                    });
                }
                reason = format!(
                    "provisional: {} of {} judges not in ({})",
                    missing.len(),
                    subs.len(),
                    missing.join(", ")
                );
            }
        }
        let old = stage.describe();
        stage.revealed = revealed;
        let text = serde_json::to_string(&stage).map_err(|e| Error::from(StageRefusal::CannotStore(e.to_string())))?;
        s.set_meta(STAGE_KEY, &text)?;
        let (entry, round, new) = (stage.entry.clone(), stage.round.clone(), stage.describe());
        s.audit(
            actor,
            &if revealed {
                AuditEvent::StageReveal {
                    entry,
                    round,
                    old,
                    new,
                    reason,
                }
            } else {
                AuditEvent::StageHide {
                    entry,
                    round,
                    old,
                    new,
                    reason,
                }
            },
        )?;
        Ok(stage)
    })
}

/// The groups whose ranking is final: every entry (calibration samples aside) has been submitted,
/// in every round, by every judge who may score it, and none is reopened. Until then the
/// projector calls the ranking provisional (暂定排名) and shows no award tiers.
pub fn complete_groups(store: &Store) -> Result<HashSet<String>> {
    store.read(|r| complete_groups_within(r))
}

/// [`complete_groups`] inside a read the caller holds (the projector's board reads it in the same
/// snapshot as the ranking).
pub fn complete_groups_within(s: &Store) -> Result<HashSet<String>> {
    let rubric = s.rubric()?;
    let entries = s.entries()?;
    let samples = s.calibration_entries()?;
    let judges: Vec<String> = s.judges()?.into_iter().map(|j| j.id).collect();
    let eligibility = s.eligibility()?;
    let mut conflicts: HashMap<String, HashSet<String>> = HashMap::new();
    for c in s.conflicts()? {
        conflicts.entry(c.judge).or_default().insert(c.entry);
    }
    let judge_index: HashMap<&str, usize> = judges.iter().enumerate().map(|(i, j)| (j.as_str(), i)).collect();
    let round_index: HashMap<&str, usize> = rubric
        .rounds
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    // entry -> (round, judge) of its submitted sheets.
    let mut submitted: HashMap<String, HashSet<(usize, usize)>> = HashMap::new();
    for (e, r, j, status) in s.all_sheet_statuses()? {
        if status != SheetStatus::Submitted {
            continue;
        }
        if let (Some(&ri), Some(&ji)) = (round_index.get(r.as_str()), judge_index.get(j.as_str())) {
            submitted.entry(e).or_default().insert((ri, ji));
        }
    }
    let mut incomplete: HashSet<&str> = HashSet::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for e in &entries {
        let Some(group) = e.group.as_deref().filter(|g| rubric.has_group(g)) else {
            continue;
        };
        if samples.contains(&e.id) || incomplete.contains(group) {
            continue;
        }
        seen.insert(group);
        let sheets = submitted.get(e.id.as_str());
        let mut eligible = judges
            .iter()
            .enumerate()
            .filter(|(_, j)| eligibility.allows(j, &e.id, Some(group)))
            .filter(|(_, j)| !conflicts.get(j.as_str()).is_some_and(|c| c.contains(e.id.as_str())))
            .peekable();
        let all_in = eligible.peek().is_some()
            && eligible.all(|(ji, _)| (0..rubric.rounds.len()).all(|ri| sheets.is_some_and(|s| s.contains(&(ri, ji)))));
        if !all_in {
            incomplete.insert(group);
        }
    }
    Ok(seen
        .into_iter()
        .filter(|g| !incomplete.contains(g))
        .map(str::to_string)
        .collect())
}

/// Each judge who may score the current entry in the current round (on the group's panel or
/// assigned, not in conflict), in the judges' order, with whether they have submitted. Empty when
/// nothing is on stage.
pub fn submissions(store: &Store) -> Result<Vec<(String, bool)>> {
    store.read(|s| {
        let Some(stage) = current(s)? else {
            return Ok(Vec::new());
        };
        eligible_submissions(s, &stage.entry, Some(&stage.group), &stage.round)
    })
}

/// [`submissions`] for any entry and round.
pub fn eligible_submissions(
    store: &Store,
    entry: &str,
    group: Option<&str>,
    round: &str,
) -> Result<Vec<(String, bool)>> {
    let eligibility = store.eligibility()?;
    let statuses: HashMap<String, SheetStatus> = store
        .all_sheet_statuses()?
        .into_iter()
        .filter(|(e, r, _, _)| e == entry && r == round)
        .map(|(_, _, judge, status)| (judge, status))
        .collect();
    let mut out = Vec::new();
    for judge in store.judges()? {
        if !eligibility.allows(&judge.id, entry, group) || store.conflict(&judge.id, entry)?.is_some() {
            continue;
        }
        let submitted = statuses.get(&judge.id) == Some(&SheetStatus::Submitted);
        out.push((judge.id, submitted));
    }
    Ok(out)
}

/// A group renamed by a rubric change (`rubric apply`): the stage names the new group, inside
/// that change's transaction (whose audit row records the rename), so the projector and the
/// judges follow the contestant on stage under the group's new name.
pub(crate) fn follow_group_rename(s: &crate::store::Tx<'_>, old: &str, new: &str) -> Result<()> {
    if let Some(mut stage) = current(s)?.filter(|stage| stage.group == old) {
        stage.group = new.to_string();
        let text = serde_json::to_string(&stage).map_err(|e| Error::Io(std::io::Error::other(e)))?;
        s.set_meta(STAGE_KEY, &text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::create_demo_workspace;

    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    #[test]
    fn next_starts_at_the_first_contestant_and_walks_the_running_order() {
        let (_dir, store) = demo();
        assert_eq!(current(&store).unwrap(), None);
        let err = advance(&store, &Actor::Organiser, -1).unwrap_err();
        assert!(err.to_string().contains("nothing is on stage"), "{err}");
        let first = advance(&store, &Actor::Organiser, 1).unwrap();
        assert_eq!(
            first,
            Stage {
                group: "教师组".into(),
                entry: "JS001".into(),
                round: "lesson".into(),
                revealed: false
            }
        );
        assert_eq!(current(&store).unwrap(), Some(first));
        let second = advance(&store, &Actor::Organiser, 1).unwrap();
        assert_eq!(second.entry, "JS002");
        assert_eq!(advance(&store, &Actor::Organiser, -1).unwrap().entry, "JS001");
        let err = advance(&store, &Actor::Organiser, -1).unwrap_err();
        assert!(
            err.to_string().contains("JS001 is the first contestant of 教师组"),
            "{err}"
        );
        let log = store.audit_log(Some("JS001"), None).unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.action, "stage");
        assert_eq!(last.actor, "organiser");
        assert_eq!(last.new_value.as_deref(), Some("教师组 / JS001 / lesson"));
        assert_eq!(last.old_value.as_deref(), Some("教师组 / JS002 / lesson"));
    }

    #[test]
    fn the_last_contestant_refuses_next_and_the_round_is_kept() {
        let (_dir, store) = demo();
        set(&store, &Actor::Cli, "JS011", "案例分析").unwrap();
        let stage = advance(&store, &Actor::Cli, 1).unwrap();
        assert_eq!((stage.entry.as_str(), stage.round.as_str()), ("JS012", "analysis"));
        let err = advance(&store, &Actor::Cli, 1).unwrap_err();
        assert!(
            err.to_string().contains("JS012 is the last contestant of 教师组"),
            "{err}"
        );
        assert_eq!(current(&store).unwrap().unwrap().entry, "JS012");
    }

    #[test]
    fn round_reveal_and_bad_input() {
        let (_dir, store) = demo();
        assert!(set_round(&store, &Actor::Cli, "lesson").is_err());
        assert!(reveal(&store, &Actor::Cli, true).is_err());
        set(&store, &Actor::Cli, "JS013", "lesson").unwrap();
        let revealed = reveal_provisional(&store, &Actor::Cli).unwrap();
        assert!(revealed.revealed);
        assert_eq!(revealed.group, "家长组");
        let moved = set_round(&store, &Actor::Cli, "story").unwrap();
        assert_eq!(moved.round, "story");
        assert!(!moved.revealed, "a new round starts hidden");
        let err = set(&store, &Actor::Cli, "JS999", "lesson").unwrap_err();
        assert!(err.to_string().contains("unknown entry"), "{err}");
        let err = set(&store, &Actor::Cli, "JS001", "dance").unwrap_err();
        assert!(err.to_string().contains("unknown round \"dance\""), "{err}");
        assert_eq!(current(&store).unwrap().unwrap().entry, "JS013");
    }

    #[test]
    fn submissions_list_eligible_judges_without_conflicts() {
        let (_dir, store) = demo();
        assert!(submissions(&store).unwrap().is_empty());
        set(&store, &Actor::Cli, "JS001", "lesson").unwrap();
        store.write(|s| s.put_conflict("PW02", "JS001", "亲属")).unwrap();
        let subs = submissions(&store).unwrap();
        assert!(subs.iter().all(|(j, _)| j != "PW02"));
        // The demo's imported judges have submitted; the demo judge has not.
        assert!(subs.contains(&("PW01".to_string(), true)));
        assert!(subs.contains(&(crate::app::demo::DEMO_JUDGE.to_string(), false)));
        crate::app::organiser::assign_panel(
            &store,
            &Actor::Organiser,
            "教师组",
            &["PW01".to_string(), "PW03".to_string()],
        )
        .unwrap();
        let subs = submissions(&store).unwrap();
        assert_eq!(subs, vec![("PW01".to_string(), true), ("PW03".to_string(), true)]);
    }

    #[test]
    fn reveal_is_refused_until_every_judge_is_in_unless_provisional() {
        let (_dir, store) = demo();
        set(&store, &Actor::Cli, "JS001", "lesson").unwrap();
        let rows = store.audit_log(None, None).unwrap().len();
        // Six demo judges have submitted; PW07 to PW09 may score it too (logged in or not).
        let err = reveal(&store, &Actor::Cli, true).unwrap_err();
        match &err {
            Error::NotAllIn {
                entry,
                round,
                missing,
                total,
            } => {
                assert_eq!((entry.as_str(), round.as_str(), *total), ("JS001", "lesson", 9));
                assert_eq!(missing, &["PW07", "PW08", "PW09"]);
            }
            other => panic!("expected NotAllIn, got {other:?}"),
        }
        let text = err.to_string();
        assert!(
            text.contains("3 of 9 judges have not submitted JS001 / lesson yet (PW07, PW08, PW09)"),
            "{text}"
        );
        assert!(text.contains("jury stage reveal --provisional"), "{text}");
        assert!(!current(&store).unwrap().unwrap().revealed);
        assert_eq!(store.audit_log(None, None).unwrap().len(), rows, "nothing written");
        // Provisional: revealed, and the audit row says who was missing.
        let stage = reveal_provisional(&store, &Actor::Cli).unwrap();
        assert!(stage.revealed);
        let last = store.audit_log(Some("JS001"), None).unwrap().pop().unwrap();
        assert_eq!(last.action, "stage-reveal");
        assert_eq!(last.reason, "provisional: 3 of 9 judges not in (PW07, PW08, PW09)");
        // Hiding is always allowed.
        assert!(!reveal(&store, &Actor::Cli, false).unwrap().revealed);
        // A conflict takes a judge out of those who may score; the panel decides the rest.
        crate::app::organiser::assign_panel(
            &store,
            &Actor::Organiser,
            "教师组",
            &["PW01".to_string(), "PW02".to_string(), "PW07".to_string()],
        )
        .unwrap();
        set(&store, &Actor::Cli, "JS001", "lesson").unwrap();
        let err = reveal(&store, &Actor::Cli, true).unwrap_err();
        assert!(err.to_string().starts_with("1 of 3 judges"), "{err}");
        store.write(|s| s.put_conflict("PW07", "JS001", "亲属")).unwrap();
        let stage = reveal(&store, &Actor::Cli, true).unwrap();
        assert!(stage.revealed);
        let last = store.audit_log(Some("JS001"), None).unwrap().pop().unwrap();
        assert_eq!((last.action.as_str(), last.reason.as_str()), ("stage-reveal", ""));
    }

    #[test]
    fn a_group_is_complete_once_every_judge_who_may_score_has_submitted_everything() {
        let (_dir, store) = demo();
        assert!(
            complete_groups(&store).unwrap().is_empty(),
            "PW07 to PW09 have scored nothing"
        );
        let six: Vec<String> = (1..=6).map(|i| format!("PW0{i}")).collect();
        crate::app::organiser::assign_panel(&store, &Actor::Organiser, "教师组", &six).unwrap();
        let complete = complete_groups(&store).unwrap();
        assert_eq!(complete, HashSet::from(["教师组".to_string()]));
        // A reopened sheet makes it incomplete again.
        crate::app::organiser::reopen(&store, &Actor::Organiser, "PW03", "JS005", "analysis", "评委误填").unwrap();
        assert!(complete_groups(&store).unwrap().is_empty());
        assert_eq!(
            store.read(|s| s.reopened_sheets()).unwrap(),
            vec![("JS005".to_string(), "analysis".to_string(), "PW03".to_string())]
        );
    }
}
