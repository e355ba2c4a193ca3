//! Corrections after the fact (issue 16): withdraw (弃权, 取消资格) or restore an entry, remove a
//! judge who fell ill, hand a judge's open work to another, remove a wrongly typed score. Each is
//! one transaction with its audit row and reason; the command line and the organiser's console
//! call these functions.

use std::collections::HashSet;

use crate::core::Points;
use crate::core::organiser::OrganiserRefusal;
use crate::core::withdrawal::{WithdrawalKind, Withdrawn};
use crate::error::Result;
use crate::store::{Actor, AuditEvent, SheetStatus, Store};

/// Refuse a change to an entry's results while any lock covers its group.
fn ensure_group_unlocked(s: &Store, group: Option<&str>) -> Result<()> {
    if let Some(l) = s
        .locks()?
        .into_iter()
        .find(|l| l.group.as_deref().is_none_or(|g| Some(g) == group))
    {
        return Err(OrganiserRefusal::Locked {
            group: group.map(str::to_string),
            round: l.round.clone().unwrap_or_else(|| "*".into()),
            reason: l.reason,
        }
        .into());
    }
    Ok(())
}

fn known_judge(s: &Store, judge: &str) -> Result<()> {
    if s.judge(judge)?.is_none() {
        return Err(OrganiserRefusal::UnknownJudge {
            judge: judge.to_string(),
        }
        .into());
    }
    Ok(())
}

/// Take an entry out of the ranking: it keeps its record and its scores and is listed as
/// withdrawn (or disqualified), with the reason, in the tally and the printouts. A reason is
/// required; refused while a lock covers its group, or when it is already out.
pub fn withdraw_entry(store: &Store, actor: &Actor, entry: &str, kind: WithdrawalKind, reason: &str) -> Result<()> {
    crate::core::reason::require(reason)?;
    store.write(|s| {
        let e = s.entry(entry)?.ok_or_else(|| OrganiserRefusal::UnknownEntry {
            entry: entry.to_string(),
        })?;
        if let Some((was, _)) = s.withdrawal(&e.id)? {
            return Err(OrganiserRefusal::AlreadyWithdrawn {
                entry: e.id.clone(),
                kind: was.as_str().to_string(),
            }
            .into());
        }
        ensure_group_unlocked(s, e.group.as_deref())?;
        s.put_withdrawal(&e.id, kind, reason)?;
        s.audit(
            actor,
            &AuditEvent::EntryWithdraw {
                entry: e.id.clone(),
                kind,
                reason: reason.to_string(),
            },
        )
    })
}

/// Bring a withdrawn entry back into the ranking. Returns what it was. A reason is required.
pub fn restore_entry(store: &Store, actor: &Actor, entry: &str, reason: &str) -> Result<WithdrawalKind> {
    crate::core::reason::require(reason)?;
    store.write(|s| {
        let e = s.entry(entry)?.ok_or_else(|| OrganiserRefusal::UnknownEntry {
            entry: entry.to_string(),
        })?;
        let Some((kind, _)) = s.withdrawal(&e.id)? else {
            return Err(OrganiserRefusal::NotWithdrawn { entry: e.id.clone() }.into());
        };
        ensure_group_unlocked(s, e.group.as_deref())?;
        s.delete_withdrawal(&e.id)?;
        s.audit(
            actor,
            &AuditEvent::EntryRestore {
                entry: e.id.clone(),
                kind,
                reason: reason.to_string(),
            },
        )?;
        Ok(kind)
    })
}

/// The withdrawn and disqualified entries, in import order.
pub fn withdrawn(store: &Store) -> Result<Vec<Withdrawn>> {
    store.withdrawals()
}

/// The entries a judge is assigned to without having submitted a sheet for any round of them,
/// and the groups whose panel they sit on: their open work.
fn open_work(s: &Store, judge: &str) -> Result<(Vec<String>, Vec<String>)> {
    let el = s.eligibility()?;
    let submitted: HashSet<String> = s
        .judge_sheets(judge)?
        .into_iter()
        .filter(|(_, _, status)| *status == SheetStatus::Submitted)
        .map(|(entry, _, _)| entry)
        .collect();
    let mut entries: Vec<String> = el
        .per_entry
        .iter()
        .filter(|(entry, judges)| judges.contains(judge) && !submitted.contains(*entry))
        .map(|(entry, _)| entry.clone())
        .collect();
    entries.sort();
    let mut groups: Vec<String> = el
        .panels
        .iter()
        .filter(|(_, judges)| judges.contains(judge))
        .map(|(g, _)| g.clone())
        .collect();
    groups.sort();
    Ok((entries, groups))
}

/// What [`remove_judge`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JudgeRemoval {
    /// Draft sheets deleted (with their scores).
    pub drafts_dropped: usize,
    /// Submitted sheets deleted (only with `drop_submitted`).
    pub submitted_dropped: usize,
    /// Submitted sheets kept (they still count).
    pub submitted_kept: usize,
    /// The open work left for `assign --replace`: entries, and groups whose panel they left.
    pub open_entries: Vec<String>,
    pub panels: Vec<String>,
}

/// Remove a judge from the contest: off every panel and assignment, their drafts deleted, their
/// submitted sheets kept unless `drop_submitted` (refused then while a lock covers one). The id
/// stays taken (`import judges` refuses it) and the judge can no longer log in. A reason is
/// required.
pub fn remove_judge(
    store: &Store,
    actor: &Actor,
    judge: &str,
    drop_submitted: bool,
    reason: &str,
) -> Result<JudgeRemoval> {
    crate::core::reason::require(reason)?;
    store.write(|s| {
        known_judge(s, judge)?;
        if s.judge_removed(judge)?.is_some() {
            return Err(OrganiserRefusal::JudgeRemoved {
                judge: judge.to_string(),
            }
            .into());
        }
        let sheets = s.judge_sheets(judge)?;
        let submitted: Vec<&(String, String, SheetStatus)> = sheets
            .iter()
            .filter(|(_, _, st)| *st == SheetStatus::Submitted)
            .collect();
        if drop_submitted {
            for (entry, round, _) in &submitted {
                let group = s.entry(entry)?.and_then(|e| e.group);
                crate::app::organiser::ensure_unlocked(s, group.as_deref(), round)?;
            }
        }
        let (open_entries, panels) = open_work(s, judge)?;
        let (dropped, _) = s.drop_judge_sheets(judge, drop_submitted)?;
        s.drop_judge_work(judge)?;
        s.put_judge_removed(judge, reason, &open_entries, &panels)?;
        s.audit(
            actor,
            &AuditEvent::JudgeRemove {
                judge: judge.to_string(),
                drop_submitted,
                sheets: dropped,
                reason: reason.to_string(),
            },
        )?;
        let submitted_dropped = if drop_submitted { submitted.len() } else { 0 };
        Ok(JudgeRemoval {
            drafts_dropped: dropped - submitted_dropped,
            submitted_dropped,
            submitted_kept: submitted.len() - submitted_dropped,
            open_entries,
            panels,
        })
    })
}

/// What [`replace_judge`] handed over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replacement {
    /// Entries now assigned to the replacement instead.
    pub entries: Vec<String>,
    /// Groups whose panel the replacement joined in the old judge's place.
    pub panels: Vec<String>,
}

/// `new` takes `old`'s open work: the entries assigned to `old` without a submitted sheet of
/// theirs, and their seats on group panels (for a removed judge: what they left at the removal).
/// Submitted work stays `old`'s. Refused when `new` is `old`, removed, unknown, or in conflict with
/// one of those entries (all of them are named), or when there is nothing open.
pub fn replace_judge(store: &Store, actor: &Actor, old: &str, new: &str, reason: &str) -> Result<Replacement> {
    crate::core::reason::check(reason)?;
    if old == new {
        return Err(OrganiserRefusal::ReplaceSame { judge: old.to_string() }.into());
    }
    store.write(|s| {
        known_judge(s, old)?;
        known_judge(s, new)?;
        if s.judge_removed(new)?.is_some() {
            return Err(OrganiserRefusal::JudgeRemoved { judge: new.to_string() }.into());
        }
        let removed = s.judge_removed(old)?.is_some();
        let (entries, panels) = if removed {
            s.left_work(old)?.unwrap_or_default()
        } else {
            open_work(s, old)?
        };
        if entries.is_empty() && panels.is_empty() {
            return Err(OrganiserRefusal::NothingToReplace { judge: old.to_string() }.into());
        }
        let conflicted: HashSet<String> = s
            .conflicts()?
            .into_iter()
            .filter(|c| c.judge == new)
            .map(|c| c.entry)
            .collect();
        let blocked: Vec<String> = entries.iter().filter(|e| conflicted.contains(*e)).cloned().collect();
        if !blocked.is_empty() {
            return Err(OrganiserRefusal::ReplaceConflicts {
                old: old.to_string(),
                new: new.to_string(),
                entries: blocked,
            }
            .into());
        }
        for entry in &entries {
            s.set_assignment(old, entry, false)?;
            s.set_assignment(new, entry, true)?;
        }
        for group in &panels {
            s.replace_on_panel(group, old, new)?;
        }
        if removed {
            s.clear_left_work(old)?;
        }
        s.audit(
            actor,
            &AuditEvent::AssignReplace {
                old: old.to_string(),
                new: new.to_string(),
                entries: entries.clone(),
                groups: panels.clone(),
                reason: reason.to_string(),
            },
        )?;
        Ok(Replacement { entries, panels })
    })
}

/// What [`remove_score`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRemoval {
    /// How many scores were removed.
    pub removed: usize,
    /// The value removed (the sum, for a whole sheet).
    pub old: Points,
    /// The sheet was submitted: it is a draft now.
    pub was_submitted: bool,
}

/// Remove a stored score (one criterion, or every score of the sheet with `None`). The sheet
/// becomes a draft (a submitted one no longer counts until submitted again). A reason is
/// required; refused while a lock covers the entry's round.
pub fn remove_score(
    store: &Store,
    actor: &Actor,
    judge: &str,
    entry: &str,
    round: &str,
    criterion: Option<&str>,
    reason: &str,
) -> Result<ScoreRemoval> {
    crate::core::reason::require(reason)?;
    let rubric = store.rubric()?.clone();
    let r = rubric.round(round).ok_or_else(|| OrganiserRefusal::UnknownRound {
        round: round.to_string(),
    })?;
    let criterion_id = criterion
        .map(|c| {
            r.criterion(c)
                .map(|c| c.id.clone())
                .ok_or_else(|| OrganiserRefusal::UnknownCriterion {
                    round: r.id.clone(),
                    criterion: c.to_string(),
                })
        })
        .transpose()?;
    store.write(|s| {
        known_judge(s, judge)?;
        let e = s.entry(entry)?.ok_or_else(|| OrganiserRefusal::UnknownEntry {
            entry: entry.to_string(),
        })?;
        crate::app::organiser::ensure_unlocked(s, e.group.as_deref(), &r.id)?;
        let nothing = || OrganiserRefusal::NoScoreToRemove {
            judge: judge.to_string(),
            entry: e.id.clone(),
            round: r.id.clone(),
            criterion: criterion_id.clone(),
        };
        let sheet = s.sheet(judge, &e.id, &r.id)?.ok_or_else(nothing)?;
        let old: Points = match &criterion_id {
            Some(c) => *sheet.values.get(c).ok_or_else(nothing)?,
            None if sheet.values.is_empty() => return Err(nothing().into()),
            None => sheet.values.values().copied().sum(),
        };
        let removed = s.delete_scores(judge, &e.id, &r.id, criterion_id.as_deref())?;
        s.set_sheet_status(judge, &e.id, &r.id, SheetStatus::Draft)?;
        s.audit(
            actor,
            &AuditEvent::ScoreRemove {
                entry: e.id.clone(),
                judge: judge.to_string(),
                round: r.id.clone(),
                criterion: criterion_id.clone(),
                old,
                reason: reason.to_string(),
            },
        )?;
        Ok(ScoreRemoval {
            removed,
            old,
            was_submitted: sheet.status == SheetStatus::Submitted,
        })
    })
}
