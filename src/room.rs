//! The organiser's operations: panels and assignments, locks, reopening sheets, the shortlist and
//! the organiser's passphrase. Each checks its input, writes in one transaction and leaves an audit
//! row with who, when and why.

use std::collections::HashSet;

use crate::core::assign::{ToAssign, balanced_assignment};
use crate::core::shortlist::{Candidate, Proposal, Status, Targets, propose};
use crate::error::{Error, Result};
use crate::secret::{hash_secret, verify_secret};
use crate::store::{Actor, SheetStatus, Store};

const ORGANISER_HASH: &str = "organiser_hash";

/// Set (or replace) the organiser's passphrase.
pub fn set_organiser_pass(store: &Store, actor: &Actor, pass: &str) -> Result<()> {
    if pass.chars().count() < 6 {
        return Err(Error::refused("the organiser passphrase needs at least 6 characters"));
    }
    let hash = hash_secret(pass)?;
    store.write(|s| {
        s.set_meta(ORGANISER_HASH, &hash)?;
        s.audit_append(actor, "organiser-passphrase", None, None, "", None, None, "")
    })
}

/// `Ok(true)` when `pass` is the organiser's; an error when none has been set (the console stays
/// locked until `jury passwd --organiser`).
pub fn verify_organiser(store: &Store, pass: &str) -> Result<bool> {
    match store.meta(ORGANISER_HASH)? {
        Some(hash) => Ok(verify_secret(pass, &hash)),
        None => Err(Error::refused(
            "no organiser passphrase is set; set one with `jury passwd --organiser`",
        )),
    }
}

/// The id of a round named by id or by name.
fn round_id(store: &Store, round: &str) -> Result<String> {
    Ok(store
        .rubric()?
        .round(round)
        .ok_or_else(|| Error::refused(format!("unknown round \"{round}\"")))?
        .id
        .clone())
}

pub(crate) fn require_reason(reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        Err(Error::refused(
            "a reason is required (--reason \"…\"); it is kept in the audit trail",
        ))
    } else {
        Ok(())
    }
}

/// Give a competition group its own panel of judges.
pub fn assign_panel(store: &Store, actor: &Actor, group: &str, judges: &[String]) -> Result<()> {
    let rubric = store.rubric()?;
    if !rubric.has_group(group) {
        return Err(Error::refused(format!(
            "unknown group \"{group}\"; the groups are: {}",
            rubric.groups.join(", ")
        )));
    }
    store.write(|s| {
        let known: HashSet<String> = s.judges()?.into_iter().map(|j| j.id).collect();
        if let Some(bad) = judges.iter().find(|j| !known.contains(*j)) {
            return Err(Error::refused(format!("unknown judge \"{bad}\"")));
        }
        s.put_panel(group, judges)?;
        s.audit_append(
            actor,
            "assign-panel",
            None,
            None,
            group,
            None,
            Some(&judges.join(",")),
            "",
        )
    })
}

/// Give every entry `per_entry` reviewers, balancing load, never a conflicted reviewer, spreading
/// each reviewer over the topics. Replaces earlier per-entry assignments. Returns the pairs made.
pub fn assign_per_entry(store: &Store, actor: &Actor, per_entry: usize) -> Result<usize> {
    store.write(|s| {
        let judges: Vec<String> = s.judges()?.into_iter().map(|j| j.id).collect();
        let conflicts = s.conflicts()?;
        let entries: Vec<ToAssign> = s
            .entries()?
            .into_iter()
            .map(|e| ToAssign {
                excluded: conflicts
                    .iter()
                    .filter(|c| c.entry == e.id)
                    .map(|c| c.judge.clone())
                    .collect(),
                group: e.group.unwrap_or_default(),
                entry: e.id,
            })
            .collect();
        let pairs = balanced_assignment(&entries, &judges, per_entry).map_err(Error::refused)?;
        s.put_assignments(&pairs)?;
        s.audit_append(
            actor,
            "assign-per-entry",
            None,
            None,
            &format!("{per_entry} reviewers per entry"),
            None,
            Some(&pairs.len().to_string()),
            "",
        )?;
        Ok(pairs.len())
    })
}

/// Make results final for a group and/or a round: no further score changes, even by import.
pub fn lock(store: &Store, actor: &Actor, group: Option<&str>, round: Option<&str>, reason: &str) -> Result<()> {
    let rubric = store.rubric()?;
    if let Some(g) = group
        && !rubric.has_group(g)
    {
        return Err(Error::refused(format!("unknown group \"{g}\"")));
    }
    let round_id = round.map(|r| round_id(store, r)).transpose()?;
    store.write(|s| {
        s.put_lock(group, round_id.as_deref(), reason)?;
        let what = format!("{} / {}", group.unwrap_or("*"), round_id.as_deref().unwrap_or("*"));
        s.audit_append(actor, "lock", None, None, &what, None, Some("locked"), reason)
    })
}

/// Lift a lock; a reason is required.
pub fn unlock(store: &Store, actor: &Actor, group: Option<&str>, round: Option<&str>, reason: &str) -> Result<()> {
    require_reason(reason)?;
    let round_id = round.map(|r| round_id(store, r)).transpose()?;
    store.write(|s| {
        if !s.delete_lock(group, round_id.as_deref())? {
            return Err(Error::refused(format!(
                "there is no lock on {} / {}",
                group.unwrap_or("*"),
                round_id.as_deref().unwrap_or("*")
            )));
        }
        let what = format!("{} / {}", group.unwrap_or("*"), round_id.as_deref().unwrap_or("*"));
        s.audit_append(actor, "unlock", None, None, &what, Some("locked"), None, reason)
    })
}

/// Refuse a change to an entry's round while a lock covers it.
pub fn ensure_unlocked(store: &Store, group: Option<&str>, round: &str) -> Result<()> {
    if let Some(l) = store.lock_covering(group, round)? {
        return Err(Error::refused(format!(
            "the results for {} / {round} are locked ({}); the organiser must unlock them first",
            group.unwrap_or("*"),
            l.reason
        )));
    }
    Ok(())
}

/// Reopen a judge's submitted sheet so they can correct it. A reason is required.
pub fn reopen(store: &Store, actor: &Actor, judge: &str, entry: &str, round: &str, reason: &str) -> Result<()> {
    require_reason(reason)?;
    let round_id = round_id(store, round)?;
    store.write(|s| {
        let e = s
            .entry(entry)?
            .ok_or_else(|| Error::refused(format!("unknown entry \"{entry}\"")))?;
        ensure_unlocked(s, e.group.as_deref(), &round_id)?;
        match s.sheet(judge, entry, &round_id)? {
            Some(sheet) if sheet.status == SheetStatus::Submitted => {}
            _ => {
                return Err(Error::refused(format!(
                    "{judge} has no submitted sheet for {entry} / {round_id}; nothing to reopen"
                )));
            }
        }
        s.set_sheet_status(judge, entry, &round_id, SheetStatus::Draft)?;
        s.audit_append(
            actor,
            "reopen",
            Some(entry),
            Some(judge),
            &round_id,
            Some("submitted"),
            Some("draft"),
            reason,
        )
    })
}

/// Set the shortlist status (and batch) of entries.
pub fn shortlist_set(
    store: &Store,
    actor: &Actor,
    entries: &[String],
    status: Status,
    batch: Option<i64>,
) -> Result<()> {
    store.write(|s| {
        for entry in entries {
            if s.entry(entry)?.is_none() {
                return Err(Error::refused(format!("unknown entry \"{entry}\"")));
            }
            let old = s.shortlist_status(entry)?.map_or(Status::Pending, |(st, _)| st);
            s.put_shortlist(entry, status, batch)?;
            s.audit_append(
                actor,
                "shortlist",
                Some(entry),
                None,
                &batch.map(|b| format!("batch {b}")).unwrap_or_default(),
                Some(old.as_str()),
                Some(status.as_str()),
                "",
            )?;
        }
        Ok(())
    })
}

/// Propose entries by rank to meet the targets, and mark them `status` in `batch`.
pub fn shortlist_propose(
    store: &Store,
    actor: &Actor,
    targets: &Targets,
    status: Status,
    batch: Option<i64>,
) -> Result<Proposal> {
    let rubric = store.rubric()?.clone();
    let tally = crate::cli::compute_tally(store, None)?;
    let entries = store.entries()?;
    let statuses = store.shortlist()?;
    let candidates: Vec<Candidate> = tally
        .groups
        .iter()
        .flat_map(|g| g.ranked())
        .filter_map(|e| {
            let county = entries
                .iter()
                .find(|x| x.id == e.id)
                .map(|x| x.county.clone())
                .unwrap_or_default();
            Some(Candidate {
                entry: e.id.clone(),
                group: e.group.clone(),
                county,
                final_score: e.final_score?,
                status: statuses.get(&e.id).map_or(Status::Pending, |(s, _)| *s),
            })
        })
        .collect();
    let proposal = propose(&candidates, &rubric.groups, targets);
    shortlist_set(store, actor, &proposal.picked, status, batch)?;
    Ok(proposal)
}
