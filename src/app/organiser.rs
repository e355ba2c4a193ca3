//! The organiser's operations: panels and assignments, locks, reopening sheets, the shortlist and
//! the organiser's passphrase. Each checks its input, writes in one transaction and leaves an audit
//! row with who, when and why.

use std::collections::{HashMap, HashSet};

use crate::core::Ratio;
use crate::core::assign::{ToAssign, balanced_assignment};
use crate::core::organiser::OrganiserRefusal;
use crate::core::shortlist::{Candidate, Marks, Proposal, Status, Targets, propose, shortlist_marks};
use crate::core::tally::Tally;
use crate::error::{Error, Result};
use crate::store::secret::{hash_secret, verify_secret};
use crate::store::{Actor, AuditEvent, SheetStatus, Store};

const ORGANISER_HASH: &str = "organiser_hash";

/// The fewest characters an organiser passphrase may have.
pub const MIN_ORGANISER_PASS: usize = 6;

/// `true` when [`set_organiser_pass`] would refuse `pass` as too short (asked again on a terminal).
pub fn organiser_pass_too_short(pass: &str) -> bool {
    pass.chars().count() < MIN_ORGANISER_PASS
}

/// Set (or replace) the organiser's passphrase.
pub fn set_organiser_pass(store: &Store, actor: &Actor, pass: &str) -> Result<()> {
    if organiser_pass_too_short(pass) {
        return Err(OrganiserRefusal::PassTooShort {
            min: MIN_ORGANISER_PASS,
        }
        .into());
    }
    let hash = hash_secret(pass)?;
    store.write(|s| {
        s.set_meta(ORGANISER_HASH, &hash)?;
        s.audit(actor, &AuditEvent::OrganiserPassphrase)
    })
}

/// The key the organiser's passphrase tries are counted under, beside the judges' PINs in the
/// workspace's login attempts (so they count across processes); no judge id holds a NUL.
pub(crate) const ORGANISER_TRIES: &str = "\0organiser";

/// What one try of the organiser's passphrase gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassCheck {
    Right,
    /// Wrong; `tries_left` more before the pause (0: the pause of
    /// [`crate::core::lockout::PAUSE_SECS`] starts now).
    Wrong {
        tries_left: u32,
    },
    /// Refused without a check, even if right: too many wrong tries, wait `secs` seconds.
    Paused {
        secs: u64,
    },
}

/// Whether an organiser passphrase is set (the console stays locked until one is).
pub fn organiser_pass_is_set(store: &Store) -> Result<bool> {
    Ok(store.meta(ORGANISER_HASH)?.is_some())
}

/// Try `pass` as the organiser's at `now` (ms since the epoch), with the judges' PIN rule
/// ([`crate::core::lockout`]): after three wrong tries, every try is refused for 30 s. An error
/// when no passphrase has been set (the console stays locked until `jury passwd --organiser`).
pub fn check_organiser_at(store: &Store, pass: &str, now: i64) -> Result<PassCheck> {
    check_organiser_via(store, store, pass, now)
}

/// [`check_organiser_at`], reading from `store` and writing the attempt's row through `writes`
/// (the server's one writer under `jury serve`).
pub fn check_organiser_via(
    store: &Store,
    writes: &dyn crate::app::login::AttemptWrites,
    pass: &str,
    now: i64,
) -> Result<PassCheck> {
    let Some(hash) = store.meta(ORGANISER_HASH)? else {
        return Err(OrganiserRefusal::NoPassphrase.into());
    };
    // Counted as wrong before the (slow) check, as the judges' PINs are.
    let attempt = match writes.begin_attempt(ORGANISER_TRIES, now)? {
        Ok(attempt) => attempt,
        Err(secs) => {
            return Ok(PassCheck::Paused {
                secs: u64::try_from(secs).unwrap_or(0),
            });
        }
    };
    if verify_secret(pass, &hash) {
        writes.attempt_succeeded(attempt)?;
        return Ok(PassCheck::Right);
    }
    let (failures, _) = store.login_failures(ORGANISER_TRIES, now)?;
    let tries_left = i64::from(crate::core::lockout::MAX_FAILURES)
        .saturating_sub(failures)
        .max(0);
    Ok(PassCheck::Wrong {
        tries_left: u32::try_from(tries_left).unwrap_or(0),
    })
}

/// [`check_organiser_at`] now.
pub fn check_organiser(store: &Store, pass: &str) -> Result<PassCheck> {
    check_organiser_at(store, pass, crate::store::now_millis())
}

/// `Ok(true)` when `pass` is the organiser's (see [`check_organiser_at`], now); a refusal during
/// the pause after three wrong tries, and when none has been set.
pub fn verify_organiser(store: &Store, pass: &str) -> Result<bool> {
    match check_organiser_at(store, pass, crate::store::now_millis())? {
        PassCheck::Right => Ok(true),
        PassCheck::Wrong { .. } => Ok(false),
        PassCheck::Paused { secs } => Err(OrganiserRefusal::PassPaused { secs }.into()),
    }
}

/// What the command line's gate gives for a command that needs the organiser (see
/// [`authorise_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// No organiser passphrase is set (or there is no workspace yet): nothing to check.
    NotSet,
    /// The passphrase given is the organiser's.
    Granted,
    /// One is set and none was given.
    Missing,
    /// Wrong; `tries_left` more before the pause.
    Wrong { tries_left: u32 },
    /// Refused without a check, even if right: wait `secs` seconds.
    Paused { secs: u64 },
}

/// The organiser's authority over the workspace at `path`, asked once before a command that
/// needs it. When a passphrase is set, `given` is called (once) for the passphrase and it is tried
/// with the rate limit of [`check_organiser_at`], kept in the workspace; `NotSet` when there is no
/// workspace file yet (`jury init` makes one) or it has no passphrase. A file that is no workspace
/// is refused as [`Store::open`] refuses it.
pub fn authorise_at(path: &std::path::Path, given: impl FnOnce() -> Option<String>) -> Result<Authority> {
    if std::fs::metadata(path).map_or(true, |m| m.is_file() && m.len() == 0) {
        return Ok(Authority::NotSet);
    }
    // Most workspaces have none: a quick look says so without opening the workspace twice. When
    // the look fails, the workspace is opened as the command would (and refused as it would be).
    if let Ok(None) = Store::peek_meta(path, ORGANISER_HASH) {
        return Ok(Authority::NotSet);
    }
    let store = Store::open(path)?;
    if !organiser_pass_is_set(&store)? {
        return Ok(Authority::NotSet);
    }
    let Some(pass) = given() else {
        return Ok(Authority::Missing);
    };
    Ok(match check_organiser_at(&store, &pass, crate::store::now_millis())? {
        PassCheck::Right => Authority::Granted,
        PassCheck::Wrong { tries_left } => Authority::Wrong { tries_left },
        PassCheck::Paused { secs } => Authority::Paused { secs },
    })
}

/// Who may reset a forgotten organiser passphrase: only the operating-system owner of the
/// workspace file (its uid is this process's effective uid). Returns how the owner is named in
/// the audit trail; a refusal saying why otherwise.
#[cfg(unix)]
pub fn may_reset_organiser_pass(store: &Store) -> Result<String> {
    use std::os::unix::fs::MetadataExt;
    let path = store.path();
    let owner = std::fs::metadata(path)
        .map_err(|e| {
            Error::from(crate::core::refusal::FileRefusal::CannotRead {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })
        })?
        .uid();
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if owner == me {
        Ok(format!("by the owner of the workspace file (uid {me})"))
    } else {
        Err(crate::core::refusal::WorkspaceRefusal::NotOwner {
            path: path.to_path_buf(),
            owner,
            me,
        }
        .into())
    }
}

/// Elsewhere the owner of a file cannot be told apart here: the reset is refused.
#[cfg(not(unix))]
pub fn may_reset_organiser_pass(store: &Store) -> Result<String> {
    Err(crate::core::refusal::WorkspaceRefusal::ResetUnsupported(store.path().to_path_buf()).into())
}

/// Reset a forgotten organiser passphrase to `pass`, without the current one: only for the
/// owner of the workspace file ([`may_reset_organiser_pass`]). Audited as
/// `organiser-passphrase-reset`, naming the owner; the pause after wrong tries is lifted.
pub fn reset_organiser_pass(store: &Store, actor: &Actor, pass: &str) -> Result<()> {
    let who = may_reset_organiser_pass(store)?;
    if pass.chars().count() < 6 {
        return Err(crate::core::organiser::OrganiserRefusal::PassTooShort { min: 6 }.into());
    }
    let hash = hash_secret(pass)?;
    store.write(|s| {
        s.set_meta(ORGANISER_HASH, &hash)?;
        s.audit(actor, &AuditEvent::OrganiserPassphraseReset { who: who.clone() })
    })?;
    store.forget_login_failures(ORGANISER_TRIES)
}

/// The id of a round named by id or by name.
fn round_id(store: &Store, round: &str) -> Result<String> {
    Ok(store
        .rubric()?
        .round(round)
        .ok_or_else(|| OrganiserRefusal::UnknownRound {
            round: round.to_string(),
        })?
        .id
        .clone())
}

/// Give a competition group its own panel of judges, as the organiser chose it (no check of its
/// size: see [`assign_panel_checked`], which the command line uses).
pub fn assign_panel(store: &Store, actor: &Actor, group: &str, judges: &[String]) -> Result<()> {
    assign_panel_checked(store, actor, group, judges, true).map(|_| ())
}

/// Why a panel or a number of reviewers smaller than the rubric's `min_judges` cannot work: none
/// of its entries would ever get a result. `None` when `judges` is enough.
pub fn too_few_judges(store: &Store, judges: usize, what: &str) -> Result<Option<String>> {
    let needed = store.rubric()?.min_judges;
    Ok((judges < needed).then(|| crate::core::organiser::too_few_judges_text(what, judges, needed)))
}

/// [`assign_panel`], refusing a panel smaller than `min_judges` unless `force`. Returns the
/// warning when forced through.
pub fn assign_panel_checked(
    store: &Store,
    actor: &Actor,
    group: &str,
    judges: &[String],
    force: bool,
) -> Result<Option<String>> {
    let rubric = store.rubric()?;
    if !rubric.has_group(group) {
        return Err(OrganiserRefusal::UnknownGroup {
            group: group.to_string(),
            known: rubric.groups.clone(),
        }
        .into());
    }
    let distinct: HashSet<&String> = judges.iter().collect();
    let warning = too_few_judges(store, distinct.len(), &format!("the panel of {group}"))?;
    if warning.is_some() && !force {
        return Err(OrganiserRefusal::PanelTooSmall {
            group: group.to_string(),
            judges: distinct.len(),
            needed: rubric.min_judges,
        }
        .into());
    }
    store.write(|s| {
        let known: HashSet<String> = s.judges()?.into_iter().map(|j| j.id).collect();
        if let Some(bad) = judges.iter().find(|j| !known.contains(*j)) {
            return Err(OrganiserRefusal::UnknownJudge { judge: bad.clone() }.into());
        }
        let removed = s.removed_judges()?;
        if let Some(bad) = judges.iter().find(|j| removed.contains_key(*j)) {
            return Err(OrganiserRefusal::JudgeRemoved { judge: bad.clone() }.into());
        }
        s.put_panel(group, judges)?;
        s.audit(
            actor,
            &AuditEvent::AssignPanel {
                group: group.to_string(),
                judges: judges.to_vec(),
            },
        )
    })?;
    Ok(warning)
}

/// Give every entry `per_entry` reviewers, balancing load, never a conflicted reviewer, spreading
/// each reviewer over the topics. Replaces earlier per-entry assignments. Returns the pairs made.
/// Fewer reviewers than the rubric's `min_judges` are refused unless `force`.
pub fn assign_per_entry(store: &Store, actor: &Actor, per_entry: usize, force: bool) -> Result<usize> {
    if too_few_judges(store, per_entry, "each entry")?.is_some() && !force {
        return Err(OrganiserRefusal::TooFewReviewers {
            per_entry,
            needed: store.rubric()?.min_judges,
        }
        .into());
    }
    store.write(|s| {
        // A removed judge (`jury judge remove`) is never assigned again.
        let removed = s.removed_judges()?;
        let judges: Vec<String> = s
            .judges()?
            .into_iter()
            .map(|j| j.id)
            .filter(|id| !removed.contains_key(id))
            .collect();
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
        s.audit(
            actor,
            &AuditEvent::AssignPerEntry {
                per_entry,
                pairs: pairs.len(),
            },
        )?;
        Ok(pairs.len())
    })
}

/// What [`toggle_assignment`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toggled {
    /// The judge may now score the entry.
    Assigned,
    /// The judge no longer scores the entry.
    Unassigned,
}

/// Give or take one judge's assignment on one entry (the console's `a` key). An entry that was
/// open to its group's panel (or to everyone) first gets that list written out, so taking one
/// judge off does not hand the entry to that judge alone (an entry with assignments is scored by
/// them only). Refused: a judge in conflict with the entry, taking off a judge who has submitted a
/// sheet for it (reopen first), or its last judge. One transaction, one audit row.
pub fn toggle_assignment(store: &Store, actor: &Actor, judge: &str, entry: &str) -> Result<Toggled> {
    let rubric = store.rubric()?.clone();
    store.write(|s| {
        let e = s.entry(entry)?.ok_or_else(|| OrganiserRefusal::UnknownEntry {
            entry: entry.to_string(),
        })?;
        let judges = s.judges()?;
        if !judges.iter().any(|j| j.id == judge) {
            return Err(OrganiserRefusal::UnknownJudge {
                judge: judge.to_string(),
            }
            .into());
        }
        let conflicts: HashSet<String> = s
            .conflicts()?
            .into_iter()
            .filter(|c| c.entry == entry)
            .map(|c| c.judge)
            .collect();
        if conflicts.contains(judge) {
            return Err(OrganiserRefusal::AssignConflict {
                judge: judge.to_string(),
                entry: entry.to_string(),
            }
            .into());
        }
        let eligibility = s.eligibility()?;
        let explicit = eligibility.per_entry.get(entry).cloned();
        let mut now: HashSet<String> = explicit.clone().unwrap_or_else(|| {
            judges
                .iter()
                .filter(|j| eligibility.allows(&j.id, entry, e.group.as_deref()) && !conflicts.contains(&j.id))
                .map(|j| j.id.clone())
                .collect()
        });
        let assign = !now.contains(judge);
        if assign && s.judge_removed(judge)?.is_some() {
            return Err(OrganiserRefusal::JudgeRemoved {
                judge: judge.to_string(),
            }
            .into());
        }
        if !assign {
            let mut submitted = false;
            for r in &rubric.rounds {
                submitted |= s
                    .sheet(judge, entry, &r.id)?
                    .is_some_and(|sheet| sheet.status == SheetStatus::Submitted);
            }
            if submitted {
                return Err(OrganiserRefusal::UnassignSubmitted {
                    judge: judge.to_string(),
                    entry: entry.to_string(),
                }
                .into());
            }
            if now.len() <= 1 {
                return Err(OrganiserRefusal::UnassignLast {
                    entry: entry.to_string(),
                }
                .into());
            }
        }
        let before = now.clone();
        if assign {
            now.insert(judge.to_string());
        } else {
            now.remove(judge);
        }
        for j in before.difference(&now).chain(now.difference(&before)) {
            s.set_assignment(j, entry, now.contains(j))?;
        }
        if explicit.is_none() {
            // Make the entry's list explicit (everyone who could score it stays).
            for j in &now {
                s.set_assignment(j, entry, true)?;
            }
        }
        s.audit(
            actor,
            &crate::store::AuditEvent::AssignEntry {
                entry: entry.to_string(),
                judge: judge.to_string(),
                assigned: assign,
            },
        )?;
        Ok(if assign { Toggled::Assigned } else { Toggled::Unassigned })
    })
}

/// Make results final for a group and/or a round: no further score changes, even by import.
pub fn lock(store: &Store, actor: &Actor, group: Option<&str>, round: Option<&str>, reason: &str) -> Result<()> {
    crate::core::reason::check(reason)?;
    let rubric = store.rubric()?;
    if let Some(g) = group
        && !rubric.has_group(g)
    {
        return Err(OrganiserRefusal::UnknownGroup {
            group: g.to_string(),
            known: Vec::new(),
        }
        .into());
    }
    let round_id = round.map(|r| round_id(store, r)).transpose()?;
    store.write(|s| {
        s.put_lock(group, round_id.as_deref(), reason)?;
        s.audit(
            actor,
            &AuditEvent::Lock {
                group: group.map(str::to_string),
                round: round_id.clone(),
                reason: reason.to_string(),
            },
        )
    })
}

/// Lift a lock; a reason is required.
pub fn unlock(store: &Store, actor: &Actor, group: Option<&str>, round: Option<&str>, reason: &str) -> Result<()> {
    crate::core::reason::require(reason)?;
    let round_id = round.map(|r| round_id(store, r)).transpose()?;
    store.write(|s| {
        if !s.delete_lock(group, round_id.as_deref())? {
            return Err(OrganiserRefusal::NotLocked {
                group: group.map(str::to_string),
                round: round_id.clone(),
            }
            .into());
        }
        s.audit(
            actor,
            &AuditEvent::Unlock {
                group: group.map(str::to_string),
                round: round_id.clone(),
                reason: reason.to_string(),
            },
        )
    })
}

/// Refuse a change to an entry's round while a lock covers it.
pub fn ensure_unlocked(store: &Store, group: Option<&str>, round: &str) -> Result<()> {
    if let Some(l) = store.lock_covering(group, round)? {
        return Err(OrganiserRefusal::Locked {
            group: group.map(str::to_string),
            round: round.to_string(),
            reason: l.reason,
        }
        .into());
    }
    Ok(())
}

/// Reopen a judge's submitted sheet so they can correct it. A reason is required.
pub fn reopen(store: &Store, actor: &Actor, judge: &str, entry: &str, round: &str, reason: &str) -> Result<()> {
    crate::core::reason::require(reason)?;
    let round_id = round_id(store, round)?;
    store.write(|s| {
        let e = s.entry(entry)?.ok_or_else(|| OrganiserRefusal::UnknownEntry {
            entry: entry.to_string(),
        })?;
        ensure_unlocked(s, e.group.as_deref(), &round_id)?;
        match s.sheet(judge, entry, &round_id)? {
            Some(sheet) if sheet.status == SheetStatus::Submitted => {}
            _ => {
                return Err(OrganiserRefusal::NothingToReopen {
                    judge: judge.to_string(),
                    entry: entry.to_string(),
                    round: round_id.clone(),
                }
                .into());
            }
        }
        s.set_sheet_status(judge, entry, &round_id, SheetStatus::Draft)?;
        s.audit(
            actor,
            &AuditEvent::Reopen {
                entry: entry.to_string(),
                judge: judge.to_string(),
                round: round_id.clone(),
                reason: reason.to_string(),
            },
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
                return Err(OrganiserRefusal::UnknownEntry { entry: entry.clone() }.into());
            }
            // Selection in phases: only an entry of the current phase gets a status in it.
            crate::app::phases::ensure_in_phase(s, entry)?;
            let old = s.shortlist_status(entry)?.map_or(Status::Pending, |(st, _)| st);
            s.put_shortlist(entry, status, batch)?;
            s.audit(
                actor,
                &AuditEvent::Shortlist {
                    entry: entry.clone(),
                    batch,
                    old,
                    new: status,
                },
            )?;
        }
        Ok(())
    })
}

/// The finals of the complete (ranked) results: what "higher-ranked" means for duplicates.
pub fn ranked_finals(tally: &Tally) -> HashMap<String, Ratio> {
    tally
        .groups
        .iter()
        .flat_map(|g| g.ranked())
        .filter_map(|e| Some((e.id.clone(), e.final_score?)))
        .collect()
}

/// The shortlist's marks of every case that has any (形式审查未通过, 疑似重复), from the formal
/// check on the workspace's texts and the current ranking.
pub fn case_marks(store: &Store, tally: &Tally) -> Result<HashMap<String, Marks>> {
    let rubric = store.rubric()?;
    let entries = store.entries_with_texts()?;
    Ok(shortlist_marks(rubric, &entries, &ranked_finals(tally)))
}

/// Propose entries by rank to meet the targets, and mark them `status` in `batch`. A case that
/// fails the formal check, or the lower-ranked case of likely duplicates, is never proposed unless
/// `include_flagged`.
pub fn shortlist_propose(
    store: &Store,
    actor: &Actor,
    targets: &Targets,
    status: Status,
    batch: Option<i64>,
    include_flagged: bool,
) -> Result<Proposal> {
    let rubric = store.rubric()?.clone();
    let tally = crate::app::tally::compute_tally(store, None)?;
    let entries = store.entries()?;
    let statuses = store.shortlist()?;
    let marks = case_marks(store, &tally)?;
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
                held: !include_flagged && marks.get(&e.id).is_some_and(Marks::held),
            })
        })
        .collect();
    let proposal = propose(&candidates, &rubric.groups, targets);
    shortlist_set(store, actor, &proposal.picked, status, batch)?;
    Ok(proposal)
}

/// Whether the workspace at `path` has an organiser passphrase, from a quick read-only look
/// (`true` when the look fails: the command then asks, and whoever carries it out decides).
pub fn organiser_pass_is_set_at(path: &std::path::Path) -> bool {
    !matches!(Store::peek_meta(path, ORGANISER_HASH), Ok(None))
}

/// [`authorise_at`] on a workspace already open (`jury serve` carrying out another process's
/// command, with the passphrase that process obtained): the same check and rate limit.
pub fn authorise_on(store: &Store, given: Option<String>) -> Result<Authority> {
    if !organiser_pass_is_set(store)? {
        return Ok(Authority::NotSet);
    }
    let Some(pass) = given else {
        return Ok(Authority::Missing);
    };
    Ok(match check_organiser_at(store, &pass, crate::store::now_millis())? {
        PassCheck::Right => Authority::Granted,
        PassCheck::Wrong { tries_left } => Authority::Wrong { tries_left },
        PassCheck::Paused { secs } => Authority::Paused { secs },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_wrong_passphrases_pause_even_the_right_one_for_thirty_seconds() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        set_organiser_pass(&store, &Actor::Cli, "kaimen-2026").unwrap();
        let t0 = 1_800_000_000_000;
        assert_eq!(check_organiser_at(&store, "kaimen-2026", t0).unwrap(), PassCheck::Right);
        for (i, left) in [2, 1, 0].into_iter().enumerate() {
            assert_eq!(
                check_organiser_at(&store, "wrong", t0 + 1 + i as i64).unwrap(),
                PassCheck::Wrong { tries_left: left }
            );
        }
        // During the pause even the right passphrase is refused, without a check.
        assert_eq!(
            check_organiser_at(&store, "kaimen-2026", t0 + 10_000).unwrap(),
            PassCheck::Paused { secs: 21 }
        );
        // Kept in the workspace: another process (another Store) sees the same pause.
        let other = Store::open(&path).unwrap();
        assert_eq!(
            check_organiser_at(&other, "kaimen-2026", t0 + 20_000).unwrap(),
            PassCheck::Paused { secs: 11 }
        );
        // 30 s after the last wrong try: the right one opens, and ends the streak.
        assert_eq!(
            check_organiser_at(&store, "kaimen-2026", t0 + 3 + 30_000).unwrap(),
            PassCheck::Right
        );
        assert_eq!(
            check_organiser_at(&store, "wrong", t0 + 40_000).unwrap(),
            PassCheck::Wrong { tries_left: 2 }
        );
        // A judge's tries are counted apart from the organiser's.
        assert_eq!(store.login_failures("PW01", t0 + 40_000).unwrap().0, 0);
    }

    /// The demo with three judges' sheets on JS001 (PW01 submitted), PW07 not started.
    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    fn assigned(store: &Store, entry: &str) -> Option<HashSet<String>> {
        store.eligibility().unwrap().per_entry.get(entry).cloned()
    }

    #[test]
    fn toggling_an_open_entry_writes_its_list_out_and_audits_the_change() {
        let (_dir, store) = demo();
        let entry = "JS001";
        assert_eq!(assigned(&store, entry), None, "open to the group's panel");
        let submitted: Vec<String> = store
            .judges()
            .unwrap()
            .into_iter()
            .filter(|j| {
                store
                    .sheet(&j.id, entry, "lesson")
                    .unwrap()
                    .is_some_and(|s| s.status == SheetStatus::Submitted)
            })
            .map(|j| j.id)
            .collect();
        let open = store
            .judges()
            .unwrap()
            .into_iter()
            .map(|j| j.id)
            .find(|j| !submitted.contains(j))
            .unwrap();
        assert_eq!(
            toggle_assignment(&store, &Actor::Organiser, &open, entry).unwrap(),
            Toggled::Unassigned
        );
        let now = assigned(&store, entry).unwrap();
        assert!(!now.contains(&open));
        assert_eq!(now.len(), 8, "the others stay: {now:?}");
        let last = store.audit_log(Some(entry), Some(&open)).unwrap().pop().unwrap();
        assert_eq!(
            (
                last.action.as_str(),
                last.old_value.as_deref(),
                last.new_value.as_deref()
            ),
            ("assign-entry", Some("assigned"), Some("not assigned"))
        );
        assert_eq!(
            toggle_assignment(&store, &Actor::Organiser, &open, entry).unwrap(),
            Toggled::Assigned
        );
        assert!(assigned(&store, entry).unwrap().contains(&open));
        // A judge who has submitted cannot be taken off: refused, typed, nothing written.
        let before = store.audit_log(None, None).unwrap().len();
        assert_eq!(
            toggle_assignment(&store, &Actor::Organiser, &submitted[0], entry).map_err(|e| e.to_string()),
            Err(OrganiserRefusal::UnassignSubmitted {
                judge: submitted[0].clone(),
                entry: entry.into()
            }
            .to_string())
        );
        assert!(matches!(
            toggle_assignment(&store, &Actor::Organiser, &submitted[0], entry),
            Err(Error::Organiser(OrganiserRefusal::UnassignSubmitted { .. }))
        ));
        assert!(matches!(
            toggle_assignment(&store, &Actor::Organiser, "PW99", entry),
            Err(Error::Organiser(OrganiserRefusal::UnknownJudge { .. }))
        ));
        assert_eq!(store.audit_log(None, None).unwrap().len(), before);
    }

    #[test]
    fn toggling_refuses_a_conflict_and_the_last_judge() {
        let (_dir, store) = demo();
        let entry = "JS002";
        store.write(|s| s.put_conflict("PW09", entry, "同校")).unwrap();
        assert!(matches!(
            toggle_assignment(&store, &Actor::Organiser, "PW09", entry),
            Err(Error::Organiser(OrganiserRefusal::AssignConflict { .. }))
        ));
        // Make PW08 the entry's only judge, then try to take them off too.
        store
            .write(|s| {
                for j in s.judges()? {
                    s.set_assignment(&j.id, entry, j.id == "PW08")?;
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(
            toggle_assignment(&store, &Actor::Organiser, "PW08", entry)
                .unwrap_err()
                .to_string(),
            OrganiserRefusal::UnassignLast { entry: entry.into() }.to_string()
        );
        assert_eq!(assigned(&store, entry).unwrap().len(), 1);
    }

    #[test]
    fn refusals_are_typed_and_keep_the_command_lines_english() {
        let (_dir, store) = demo();
        let err = reopen(&store, &Actor::Cli, "PW07", "JS001", "lesson", "评委误填").unwrap_err();
        assert!(matches!(
            &err,
            Error::Organiser(OrganiserRefusal::NothingToReopen { .. })
        ));
        assert_eq!(
            err.to_string(),
            "PW07 has no submitted sheet for JS001 / lesson; nothing to reopen"
        );
        let err = unlock(&store, &Actor::Cli, Some("教师组"), None, "误锁").unwrap_err();
        assert_eq!(err.to_string(), "there is no lock on 教师组 / *");
        let err = lock(&store, &Actor::Cli, Some("火星组"), None, "").unwrap_err();
        assert!(matches!(&err, Error::Organiser(OrganiserRefusal::UnknownGroup { .. })));
        let err = assign_panel_checked(&store, &Actor::Cli, "教师组", &["PW01".into()], false).unwrap_err();
        assert!(matches!(
            &err,
            Error::Organiser(OrganiserRefusal::PanelTooSmall { judges: 1, .. })
        ));
        assert!(
            err.to_string()
                .starts_with("the panel of 教师组 has 1 judge but the rubric needs at least")
                && err.to_string().ends_with("add --force to assign this panel anyway"),
            "{err}"
        );
        let err = assign_per_entry(&store, &Actor::Cli, 1, false).unwrap_err();
        assert!(matches!(
            &err,
            Error::Organiser(OrganiserRefusal::TooFewReviewers { per_entry: 1, .. })
        ));
    }
}
