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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::judging::JudgeSession;
    use crate::app::tally::compute_tally;
    use crate::core::scoring::Refusal;
    use crate::store::ChainCheck;

    const ORG: Actor = Actor::Organiser;

    /// The demo: PW01–PW06 submitted every entry, PW07–PW09 nothing.
    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    fn intact(store: &Store) {
        let check = store.audit_verify().unwrap();
        assert!(matches!(check, ChainCheck::Intact { .. }), "{check:?}");
    }

    fn sheet_status(store: &Store, judge: &str, entry: &str, round: &str) -> Option<SheetStatus> {
        store.sheet(judge, entry, round).unwrap().map(|s| s.status)
    }

    /// Every criterion of every round of `entry` scored 1 by `judge`, and submitted.
    fn submit_all(store: &Store, judge: &str, entry: &str) {
        let session = JudgeSession::trusted(store, judge).unwrap();
        for round in &store.rubric().unwrap().rounds {
            for c in &round.criteria {
                session.set_score(entry, &round.id, &c.id, "1").unwrap();
            }
            session.submit(entry, &round.id).unwrap();
        }
    }

    #[test]
    fn a_withdrawn_entry_leaves_the_ranking_keeps_its_scores_and_restore_brings_it_back() {
        let (_dir, store) = demo();
        let before = compute_tally(&store, None).unwrap();
        let rank = before.entry("JS001").and_then(|e| e.rank);
        assert!(rank.is_some(), "JS001 is ranked in the demo");
        let scores = store.sheet("PW01", "JS001", "lesson").unwrap().unwrap().values;
        withdraw_entry(&store, &ORG, "JS001", WithdrawalKind::Withdrawn, "选手弃权").unwrap();
        let t = compute_tally(&store, None).unwrap();
        assert!(t.entry("JS001").is_none(), "out of the ranking");
        assert_eq!(t.withdrawn.len(), 1);
        assert_eq!(
            (
                t.withdrawn[0].id.as_str(),
                t.withdrawn[0].kind,
                t.withdrawn[0].reason.as_str()
            ),
            ("JS001", WithdrawalKind::Withdrawn, "选手弃权")
        );
        assert_eq!(t.withdrawn[0].group.as_deref(), Some("教师组"));
        // Another group's tally does not list it.
        assert!(
            compute_tally(&store, Some("家长组"))
                .map(|t| t.withdrawn.is_empty())
                .unwrap_or(true)
        );
        // Its record and scores are kept.
        assert!(store.entry("JS001").unwrap().is_some());
        assert_eq!(store.sheet("PW01", "JS001", "lesson").unwrap().unwrap().values, scores);
        intact(&store);
        // Twice is refused; a reason is needed.
        let err = withdraw_entry(&store, &ORG, "JS001", WithdrawalKind::Disqualified, "x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("already withdrawn"), "{err}");
        assert!(restore_entry(&store, &ORG, "JS001", "").is_err());
        assert_eq!(
            restore_entry(&store, &ORG, "JS001", "误操作").unwrap(),
            WithdrawalKind::Withdrawn
        );
        let again = compute_tally(&store, None).unwrap();
        assert_eq!(again.entry("JS001").and_then(|e| e.rank), rank);
        assert!(again.withdrawn.is_empty());
        assert!(restore_entry(&store, &ORG, "JS001", "again").is_err());
        intact(&store);
    }

    #[test]
    fn withdrawing_is_refused_under_a_lock_and_for_an_unknown_entry() {
        let (_dir, store) = demo();
        crate::app::organiser::lock(&store, &ORG, Some("教师组"), None, "公布").unwrap();
        let err = withdraw_entry(&store, &ORG, "JS001", WithdrawalKind::Withdrawn, "弃权")
            .unwrap_err()
            .to_string();
        assert!(err.contains("locked"), "{err}");
        assert!(store.withdrawals().unwrap().is_empty());
        assert!(withdraw_entry(&store, &ORG, "NOPE", WithdrawalKind::Withdrawn, "弃权").is_err());
    }

    #[test]
    fn removing_a_judge_drops_drafts_keeps_submitted_and_takes_them_off_the_panel() {
        let (_dir, store) = demo();
        let judges: Vec<String> = ["PW01", "PW02", "PW03", "PW07"].map(String::from).to_vec();
        crate::app::organiser::assign_panel(&store, &ORG, "教师组", &judges).unwrap();
        // PW01 has a draft besides their submitted sheets: reopen one.
        crate::app::organiser::reopen(&store, &ORG, "PW01", "JS002", "lesson", "改").unwrap();
        let submitted_before = store
            .judge_sheets("PW01")
            .unwrap()
            .iter()
            .filter(|s| s.2 == SheetStatus::Submitted)
            .count();
        let done = remove_judge(&store, &ORG, "PW01", false, "评委因病缺席").unwrap();
        assert_eq!(done.drafts_dropped, 1);
        assert_eq!(done.submitted_kept, submitted_before);
        assert_eq!(
            sheet_status(&store, "PW01", "JS002", "lesson"),
            None,
            "the draft is gone"
        );
        assert_eq!(
            sheet_status(&store, "PW01", "JS001", "lesson"),
            Some(SheetStatus::Submitted),
            "submitted sheets are kept"
        );
        assert!(
            compute_tally(&store, None).unwrap().entry("JS001").unwrap().rounds[0]
                .marks
                .iter()
                .any(|m| &*m.judge == "PW01")
        );
        assert!(
            !store.eligibility().unwrap().panels["教师组"].contains("PW01"),
            "off the panel"
        );
        assert_eq!(done.panels, vec!["教师组".to_string()]);
        intact(&store);
        // With --drop-submitted every sheet goes.
        remove_judge(&store, &ORG, "PW02", true, "回避").unwrap();
        assert!(store.judge_sheets("PW02").unwrap().is_empty());
        assert!(store.judge_sheets("PW03").unwrap().len() > 1, "the others keep theirs");
        intact(&store);
        // The id stays taken: removing again is refused, as is an unknown judge.
        let err = remove_judge(&store, &ORG, "PW01", false, "again")
            .unwrap_err()
            .to_string();
        assert!(err.contains("was removed"), "{err}");
        assert!(remove_judge(&store, &ORG, "PW99", false, "x").is_err());
        assert!(
            remove_judge(&store, &ORG, "PW03", false, "").is_err(),
            "a reason is required"
        );
        assert!(store.judge("PW01").unwrap().is_some());
    }

    #[test]
    fn a_removed_judge_is_never_assigned_again() {
        let (_dir, store) = demo();
        remove_judge(&store, &ORG, "PW07", false, "评委因病缺席").unwrap();
        let panel: Vec<String> = ["PW01", "PW02", "PW03", "PW07"].map(String::from).to_vec();
        let err = crate::app::organiser::assign_panel(&store, &ORG, "教师组", &panel)
            .unwrap_err()
            .to_string();
        assert!(err.contains("PW07 was removed"), "{err}");
        crate::app::organiser::assign_per_entry(&store, &ORG, 3, true).unwrap();
        let el = store.eligibility().unwrap();
        assert!(!el.per_entry.is_empty());
        assert!(el.per_entry.values().all(|judges| !judges.contains("PW07")));
        let entry = el.per_entry.keys().next().unwrap().clone();
        let err = crate::app::organiser::toggle_assignment(&store, &ORG, "PW07", &entry)
            .unwrap_err()
            .to_string();
        assert!(err.contains("PW07 was removed"), "{err}");
    }

    #[test]
    fn a_removed_judge_can_no_longer_log_in_or_score() {
        let (_dir, store) = demo();
        assert!(JudgeSession::login(&store, "PW01", "5175").is_ok());
        let open = JudgeSession::trusted(&store, "PW07").unwrap();
        remove_judge(&store, &ORG, "PW01", false, "评委因病缺席").unwrap();
        remove_judge(&store, &ORG, "PW07", false, "评委因病缺席").unwrap();
        let err = JudgeSession::login(&store, "PW01", "5175").err().unwrap();
        assert_eq!(err.refusal(), Some(&Refusal::JudgeRemoved));
        assert_eq!(
            crate::app::login::check_judge(&store, "PW01", "5175").unwrap(),
            crate::app::login::JudgeCheck::Unknown
        );
        // A session opened before the removal can no longer write.
        let err = open.set_score("JS003", "lesson", "content", "10").unwrap_err();
        assert_eq!(err.refusal(), Some(&Refusal::JudgeRemoved));
    }

    #[test]
    fn import_judges_refuses_a_removed_judges_id() {
        let (_dir, store) = demo();
        remove_judge(&store, &ORG, "PW05", false, "评委因病缺席").unwrap();
        let file = "id,name,organization,county,pin\nPW05,新评委,某中学,某县,1234\n";
        let table = crate::import::read_table_bytes("judges.csv", file.as_bytes(), None).unwrap();
        for update in [false, true] {
            let options = crate::app::import::JudgeImportOptions { update, force: false };
            let err = crate::app::import::import_judges_with(&store, &table, options)
                .unwrap_err()
                .to_string();
            assert!(err.contains("PW05 was removed from the contest"), "{err}");
            assert!(err.contains("stays taken"), "{err}");
        }
        assert_eq!(store.judge("PW05").unwrap().unwrap().name, "徐鹏鹏", "unchanged");
    }

    #[test]
    fn import_scores_refuses_a_removed_judges_scores() {
        let (_dir, store) = demo();
        remove_judge(&store, &ORG, "PW07", false, "评委因病缺席").unwrap();
        let file = "judge,entry,round,criterion,score,status\nPW07,JS001,lesson,content,10,draft\n";
        let table = crate::import::read_table_bytes("scores.csv", file.as_bytes(), None).unwrap();
        let options = crate::app::import::ScoreImportOptions {
            partial: true,
            ..Default::default()
        };
        let err = crate::app::import::import_scores_with(&store, &table, &options)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("row 2: the judge PW07 was removed from the contest"),
            "{err}"
        );
        assert!(store.judge_sheets("PW07").unwrap().is_empty());
    }

    #[test]
    fn removing_a_score_from_a_submitted_sheet_makes_it_a_draft() {
        let (_dir, store) = demo();
        let marks = |store: &Store| {
            compute_tally(store, None).unwrap().entry("JS002").unwrap().rounds[0]
                .marks
                .iter()
                .map(|m| m.judge.to_string())
                .collect::<Vec<_>>()
        };
        assert!(marks(&store).contains(&"PW03".to_string()));
        let done = remove_score(&store, &ORG, "PW03", "JS002", "lesson", Some("content"), "录入错误").unwrap();
        assert!(done.was_submitted);
        assert_eq!(done.removed, 1);
        assert_eq!(
            sheet_status(&store, "PW03", "JS002", "lesson"),
            Some(SheetStatus::Draft)
        );
        assert_eq!(store.score("PW03", "JS002", "lesson", "content").unwrap(), None);
        assert!(!marks(&store).contains(&"PW03".to_string()), "a draft does not count");
        intact(&store);
        // Nothing left to remove there; the whole sheet's scores go without a criterion.
        assert!(remove_score(&store, &ORG, "PW03", "JS002", "lesson", Some("content"), "x").is_err());
        let all = remove_score(&store, &ORG, "PW03", "JS002", "lesson", None, "整张重录").unwrap();
        assert!(all.removed > 0 && !all.was_submitted);
        assert!(
            store
                .sheet("PW03", "JS002", "lesson")
                .unwrap()
                .unwrap()
                .values
                .is_empty()
        );
        intact(&store);
        assert!(remove_score(&store, &ORG, "PW03", "JS002", "lesson", Some("nope"), "x").is_err());
        assert!(remove_score(&store, &ORG, "PW03", "JS002", "lesson", Some("method"), "").is_err());
    }

    #[test]
    fn replace_moves_only_open_work_and_refuses_conflicts() {
        let (_dir, store) = demo();
        store
            .write(|s| {
                for e in ["JS001", "JS002", "JS003"] {
                    s.set_assignment("PW07", e, true)?;
                }
                Ok(())
            })
            .unwrap();
        submit_all(&store, "PW07", "JS001");
        assert!(replace_judge(&store, &ORG, "PW07", "PW07", "").is_err());
        store
            .write(|s| s.put_conflict("PW09", "JS003", "同事").map(|_| ()))
            .unwrap();
        let err = replace_judge(&store, &ORG, "PW07", "PW09", "").unwrap_err().to_string();
        assert!(err.contains("JS003") && !err.contains("JS002"), "{err}");
        assert!(
            store.eligibility().unwrap().per_entry["JS002"].contains("PW07"),
            "nothing moved"
        );
        let done = replace_judge(&store, &ORG, "PW07", "PW08", "换人").unwrap();
        assert_eq!(done.entries, vec!["JS002".to_string(), "JS003".to_string()]);
        let el = store.eligibility().unwrap();
        assert!(el.per_entry["JS001"].contains("PW07"), "submitted work stays");
        assert!(!el.per_entry["JS001"].contains("PW08"));
        for e in ["JS002", "JS003"] {
            assert!(el.per_entry[e].contains("PW08") && !el.per_entry[e].contains("PW07"));
        }
        assert!(
            replace_judge(&store, &ORG, "PW07", "PW08", "").is_err(),
            "nothing open any more"
        );
        intact(&store);
    }

    #[test]
    fn a_removed_judges_open_work_can_be_handed_over_afterwards() {
        let (_dir, store) = demo();
        let judges: Vec<String> = ["PW01", "PW02", "PW03", "PW07"].map(String::from).to_vec();
        crate::app::organiser::assign_panel(&store, &ORG, "教师组", &judges).unwrap();
        store
            .write(|s| s.set_assignment("PW07", "JS020", true).map(|_| ()))
            .unwrap();
        remove_judge(&store, &ORG, "PW07", false, "评委因病缺席").unwrap();
        let err = replace_judge(&store, &ORG, "PW08", "PW07", "").unwrap_err().to_string();
        assert!(err.contains("PW07 was removed"), "{err}");
        let done = replace_judge(&store, &ORG, "PW07", "PW08", "").unwrap();
        assert_eq!(done.entries, vec!["JS020".to_string()]);
        assert_eq!(done.panels, vec!["教师组".to_string()]);
        let el = store.eligibility().unwrap();
        assert!(el.panels["教师组"].contains("PW08"));
        assert!(el.per_entry["JS020"].contains("PW08"));
        intact(&store);
    }

    #[test]
    fn audit_verify_names_a_withdrawal_or_removal_changed_outside_jury() {
        let (dir, store) = demo();
        withdraw_entry(&store, &ORG, "JS001", WithdrawalKind::Withdrawn, "弃权").unwrap();
        remove_judge(&store, &ORG, "PW07", false, "病").unwrap();
        intact(&store);
        let raw = rusqlite::Connection::open(dir.path().join("demo.jury")).unwrap();
        raw.execute("DELETE FROM withdrawals", []).unwrap();
        match store.audit_verify().unwrap() {
            ChainCheck::ValueMismatch { problem, .. } => {
                assert!(problem.contains("JS001 is not withdrawn"), "{problem}")
            }
            other => panic!("{other:?}"),
        }
        raw.execute(
            "INSERT INTO withdrawals(entry, kind, reason, withdrawn_at) VALUES ('JS001', 'withdrawn', 'x', 'now')",
            [],
        )
        .unwrap();
        intact(&store);
        raw.execute("DELETE FROM judges_removed", []).unwrap();
        match store.audit_verify().unwrap() {
            ChainCheck::ValueMismatch { problem, .. } => assert!(problem.contains("PW07 is not removed"), "{problem}"),
            other => panic!("{other:?}"),
        }
    }
}
