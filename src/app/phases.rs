//! Selection in phases (评审阶段, issue 16): list the phases, start the next with the entries of
//! one status (its own rubric or the same), drop the newest while it has no scores, and read an
//! earlier phase through the same tally and printout code. The command line and the organiser's
//! console call these functions.
//!
//! The current phase lives in today's tables, so no other use case changes; an earlier phase is
//! archived and read-only ([`PhaseRead::Earlier`]).

use std::collections::HashSet;

use crate::core::phase::{Phase, PhaseRefusal, check_name, parse_take};
use crate::core::rubric::parse_rubric;
use crate::core::shortlist::Status;
use crate::error::Result;
use crate::store::{Actor, AuditEvent, Store};

/// Every phase, first to newest; the last is the current one.
pub fn list(store: &Store) -> Result<Vec<Phase>> {
    store.read(|s| s.phases())
}

/// The current phase (the newest).
pub fn current(store: &Store) -> Result<Phase> {
    let mut phases = list(store)?;
    // `phases` always holds at least the first phase.
    Ok(phases.pop().unwrap_or_else(|| Phase {
        seq: 1,
        name: crate::core::phase::FIRST_PHASE.to_string(),
        take: None,
        started_at: String::new(),
        locked_at: None,
        entries: 0,
        scores: 0,
    }))
}

/// The phase a printout names in its title (`初评结果`): the one it shows, when the workspace has
/// more than one (`None` with one phase). `store` may be an earlier phase's view.
pub fn printout_phase(store: &Store) -> Result<Option<String>> {
    if let Some(name) = store.phase_view_name()? {
        return Ok(Some(name));
    }
    let phases = list(store)?;
    if phases.len() < 2 {
        return Ok(None);
    }
    Ok(phases.last().map(|p| p.name.clone()))
}

fn find<'p>(phases: &'p [Phase], name: &str) -> Result<&'p Phase> {
    phases.iter().find(|p| p.name == name.trim()).ok_or_else(|| {
        PhaseRefusal::UnknownPhase {
            name: name.to_string(),
            known: phases.iter().map(|p| p.name.clone()).collect(),
        }
        .into()
    })
}

/// A workspace read as one phase: the current one (the store itself) or an earlier one (its own
/// read-only connection onto the archive). Deref to the store either way.
pub enum PhaseRead<'s> {
    Current(&'s Store),
    Earlier { store: Box<Store>, name: String },
}

impl std::ops::Deref for PhaseRead<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        match self {
            PhaseRead::Current(s) => s,
            PhaseRead::Earlier { store, .. } => store,
        }
    }
}

impl PhaseRead<'_> {
    /// The earlier phase's name (`None`: the current phase).
    pub fn earlier(&self) -> Option<&str> {
        match self {
            PhaseRead::Current(_) => None,
            PhaseRead::Earlier { name, .. } => Some(name),
        }
    }
}

/// The phase `name` of the workspace to read (`None`: the current one). Refused naming the
/// phases when there is none of that name.
pub fn read_phase<'s>(store: &'s Store, name: Option<&str>) -> Result<PhaseRead<'s>> {
    let Some(name) = name else {
        return Ok(PhaseRead::Current(store));
    };
    let phases = list(store)?;
    let phase = find(&phases, name)?;
    if Some(phase.seq) == phases.last().map(|p| p.seq) {
        return Ok(PhaseRead::Current(store));
    }
    Ok(PhaseRead::Earlier {
        store: Box::new(Store::open_phase(store.path(), phase.seq)?),
        name: phase.name.clone(),
    })
}

/// `--phase NAME` on a command that writes scores, sheets or statuses: only the current phase
/// may be written; an earlier one is locked.
pub fn ensure_writable(store: &Store, name: Option<&str>) -> Result<()> {
    let Some(name) = name else {
        return Ok(());
    };
    let phases = list(store)?;
    let phase = find(&phases, name)?;
    let current = phases.last().map(|p| p.name.clone()).unwrap_or_default();
    if phase.name != current {
        return Err(PhaseRefusal::PhaseLocked {
            phase: phase.name.clone(),
            current,
        }
        .into());
    }
    Ok(())
}

/// Refuse a write about an entry that is not part of the current phase.
pub fn ensure_in_phase(store: &Store, entry: &str) -> Result<()> {
    if store.in_current_phase(entry)? {
        return Ok(());
    }
    let phase = store.phases()?.pop().map(|p| p.name).unwrap_or_default();
    Err(PhaseRefusal::NotInPhase {
        entry: entry.to_string(),
        phase,
    }
    .into())
}

/// What [`start`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub phase: String,
    pub previous: String,
    pub take: Status,
    pub taken: usize,
    /// The new phase's rubric file, when one was given.
    pub rubric_file: Option<String>,
}

/// Start the phase `name` with the current phase's entries of status `take` (`shortlisted`,
/// `入围`, ...): the current phase is archived and locked; the new one has the same panels, the
/// taken entries' assignments, no sheets, and every status pending. `rubric`: its own rubric
/// (file name, source), which must have every taken entry's group; else the same rubric. One
/// transaction with its audit row; refused (nothing changed) on an unknown status, a name in
/// use, no entry taken or a group missing from the new rubric.
pub fn start(store: &Store, actor: &Actor, name: &str, take: &str, rubric: Option<(&str, &str)>) -> Result<Started> {
    let name = check_name(name)?;
    let take = parse_take(take)?;
    let new_rubric = match rubric {
        Some((file, source)) => Some(parse_rubric(file, source)?),
        None => None,
    };
    store.write(|s| {
        let phases = s.phases()?;
        if phases.iter().any(|p| p.name == name) {
            return Err(PhaseRefusal::NameTaken { name: name.clone() }.into());
        }
        let current = phases
            .last()
            .cloned()
            .ok_or_else(|| PhaseRefusal::OnlyPhase { phase: name.clone() })?;
        let taken = s.phase_entries_with_status(take)?;
        if taken.is_empty() {
            return Err(PhaseRefusal::NothingTaken {
                status: take,
                phase: current.name.clone(),
            }
            .into());
        }
        if let Some(r) = &new_rubric {
            for (entry, group) in &taken {
                if let Some(g) = group
                    && !r.has_group(g)
                {
                    return Err(PhaseRefusal::GroupMissing {
                        entry: entry.clone(),
                        group: g.clone(),
                        groups: r.groups.clone(),
                    }
                    .into());
                }
            }
        }
        let ids: HashSet<String> = taken.iter().map(|(id, _)| id.clone()).collect();
        s.start_phase(current.seq, &name, take, &ids)?;
        // A rubric of its own is a rubric change like `jury rubric apply`'s: kept, versioned (every
        // open screen reads it again) and audited, so `audit verify` knows the stored one.
        if let Some((file, source)) = rubric
            && let Some((old, new)) = s.phase_rubric(file, source)?
        {
            s.audit(
                actor,
                &AuditEvent::RubricApply {
                    file: file.to_string(),
                    old,
                    new,
                    renamed: Vec::new(),
                    reopened: 0,
                    reason: format!("phase {name}"),
                },
            )?;
        }
        let started = Started {
            phase: name.clone(),
            previous: current.name.clone(),
            take,
            taken: ids.len(),
            rubric_file: rubric.map(|(file, _)| file.to_string()),
        };
        s.audit(
            actor,
            &AuditEvent::PhaseStart {
                phase: started.phase.clone(),
                previous: started.previous.clone(),
                take,
                taken: started.taken,
                rubric_file: started.rubric_file.clone(),
            },
        )?;
        Ok(started)
    })
}

/// Drop the newest phase while it has no scores: the one before is current again, unlocked, as
/// it was. `reason` (required, one line) is kept in the audit trail. Returns (the phase dropped,
/// the phase current again). The command line (`jury phase drop --reason R`) and the console's
/// phases view (`x`) call this.
pub fn drop_newest(store: &Store, actor: &Actor, reason: &str) -> Result<(String, String)> {
    crate::core::reason::require(reason)?;
    store.write(|s| {
        let phases = s.phases()?;
        let (newest, before) = match phases.as_slice() {
            [.., before, newest] => (newest.clone(), before.clone()),
            [only] => {
                return Err(PhaseRefusal::OnlyPhase {
                    phase: only.name.clone(),
                }
                .into());
            }
            [] => {
                return Err(PhaseRefusal::OnlyPhase {
                    phase: crate::core::phase::FIRST_PHASE.to_string(),
                }
                .into());
            }
        };
        if newest.scores > 0 {
            return Err(PhaseRefusal::HasScores {
                phase: newest.name.clone(),
                scores: newest.scores,
            }
            .into());
        }
        if let Some((old, new)) = s.drop_phase(newest.seq)? {
            s.audit(
                actor,
                &AuditEvent::RubricApply {
                    file: s.meta("rubric_file")?.unwrap_or_default(),
                    old,
                    new,
                    renamed: Vec::new(),
                    reopened: 0,
                    reason: format!("phase {} dropped", newest.name),
                },
            )?;
        }
        s.audit(
            actor,
            &AuditEvent::PhaseDrop {
                phase: newest.name.clone(),
                back_to: before.name.clone(),
                reason: reason.to_string(),
            },
        )?;
        Ok((newest.name, before.name))
    })
}

/// Every phase with its tally, first to newest (the console's `p`): an earlier phase's read from
/// its archive through the same tally code.
pub fn overview(store: &Store) -> Result<Vec<(Phase, crate::core::tally::Tally)>> {
    let phases = list(store)?;
    let mut out = Vec::with_capacity(phases.len());
    for p in phases {
        let read = read_phase(store, Some(&p.name))?;
        let tally = crate::app::tally::compute_tally(&read, None)?;
        out.push((p, tally));
    }
    Ok(out)
}

/// `jury init --phase NAME`: name the first phase (before anything is scored).
pub fn name_first(store: &Store, actor: &Actor, name: &str) -> Result<()> {
    let name = check_name(name)?;
    store.write(|s| {
        s.name_first_phase(&name)?;
        s.audit(actor, &AuditEvent::PhaseName { name: name.clone() })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::create_demo_workspace;
    use crate::app::tally::compute_tally;
    use crate::core::rubric::template_source;
    use crate::store::ChainCheck;

    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    /// Two entries of each of the demo's first two groups, marked 入围.
    fn shortlist_four(store: &Store) -> Vec<String> {
        let rubric = store.rubric().unwrap().clone();
        let entries = store.entries().unwrap();
        let mut chosen = Vec::new();
        for g in rubric.groups.iter().take(2) {
            chosen.extend(
                entries
                    .iter()
                    .filter(|e| e.group.as_deref() == Some(g.as_str()))
                    .take(2)
                    .map(|e| e.id.clone()),
            );
        }
        crate::app::organiser::shortlist_set(store, &Actor::Organiser, &chosen, Status::Shortlisted, None).unwrap();
        chosen
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn ranked_ids(t: &crate::core::tally::Tally) -> Vec<String> {
        let mut ids: Vec<String> = t
            .groups
            .iter()
            .flat_map(|g| g.entries.iter().map(|e| e.id.clone()))
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn a_phases_own_rubric_is_a_versioned_audited_rubric_change_and_drop_puts_the_old_back() {
        let (_dir, store) = demo();
        shortlist_four(&store);
        // A handle opened before, as `jury serve`'s sessions are: it must see each change.
        let other = Store::open(store.path()).unwrap();
        let old = other.rubric().unwrap().clone();
        // An earlier `rubric apply` (weights), then a phase with a rubric of its own.
        let source = store.meta("rubric").unwrap().unwrap();
        let renamed = source.replacen(&format!("name = \"{}\"", old.rounds[0].name), "name = \"复评说课\"", 1);
        assert_ne!(renamed, source, "the demo rubric names its first round");
        let file = crate::app::rubric_change::RubricFile {
            file: "初评.toml".into(),
            source: source.replace("\n", "\n\n"),
        };
        crate::app::rubric_change::apply(&store, &Actor::Cli, &file, "格式", &[]).unwrap();
        start(&store, &Actor::Cli, "复评", "入围", Some(("复评.toml", &renamed))).unwrap();
        assert_eq!(other.rubric().unwrap().rounds[0].name, "复评说课");
        assert!(
            matches!(store.audit_verify().unwrap(), ChainCheck::Intact { .. }),
            "{:?}",
            store.audit_verify()
        );
        // Dropping the phase puts the rubric it replaced back, seen by the other handle too.
        drop_newest(&store, &Actor::Cli, "名单有误").unwrap();
        assert_eq!(other.rubric().unwrap().rounds[0].name, old.rounds[0].name);
        assert_eq!(store.meta("rubric").unwrap().unwrap(), file.source);
        assert!(
            matches!(store.audit_verify().unwrap(), ChainCheck::Intact { .. }),
            "{:?}",
            store.audit_verify()
        );
    }

    #[test]
    fn a_new_phase_takes_only_the_status_given_and_the_old_one_stays_readable() {
        let (_dir, store) = demo();
        let chosen = shortlist_four(&store);
        let before = compute_tally(&store, None).unwrap();
        let panel_rows = count(&store, "SELECT count(*) FROM panels");
        // One assignment of a taken entry and one of an entry left out.
        let left = store
            .entries()
            .unwrap()
            .into_iter()
            .find(|e| !chosen.contains(&e.id))
            .unwrap()
            .id;
        store
            .conn()
            .execute_batch(&format!(
                "INSERT INTO assignments(judge, entry) VALUES ('PW01', '{}'), ('PW01', '{left}')",
                chosen[0]
            ))
            .unwrap();

        let started = start(&store, &Actor::Cli, "决赛", "入围", None).unwrap();
        assert_eq!(
            (started.previous.as_str(), started.taken, started.take),
            ("初评", 4, Status::Shortlisted)
        );
        // Only the taken entries in the new phase's tally, none scored, every status pending.
        let now = compute_tally(&store, None).unwrap();
        let mut want = chosen.clone();
        want.sort();
        assert_eq!(ranked_ids(&now), want);
        assert_eq!(count(&store, "SELECT count(*) FROM scores"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM sheets"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM shortlist"), 0);
        // The panels copied; the taken entry's assignment kept, the other's gone.
        assert_eq!(count(&store, "SELECT count(*) FROM panels"), panel_rows);
        let assigned: Vec<String> = store
            .conn()
            .prepare("SELECT entry FROM assignments")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(assigned, vec![chosen[0].clone()]);
        // The earlier phase, read through the same tally code: the very same values.
        let old = read_phase(&store, Some("初评")).unwrap();
        assert_eq!(old.earlier(), Some("初评"));
        assert_eq!(compute_tally(&old, None).unwrap(), before);
        // The phases listed, the first locked.
        let phases = list(&store).unwrap();
        assert_eq!(
            phases
                .iter()
                .map(|p| (p.name.as_str(), p.is_locked()))
                .collect::<Vec<_>>(),
            vec![("初评", true), ("决赛", false)]
        );
        assert_eq!((phases[0].entries, phases[1].entries), (36, 4));
        // A judge's list holds only the new phase's entries.
        let session = crate::app::judging::JudgeSession::trusted(&store, "PW01").unwrap();
        let listed: Vec<String> = session
            .entries()
            .unwrap()
            .iter()
            .map(|r| r.entry.id().to_string())
            .collect();
        assert!(listed.iter().all(|id| chosen.contains(id)), "{listed:?}");
        assert!(!listed.is_empty());
    }

    #[test]
    fn scoring_outside_the_current_phase_is_refused() {
        let (_dir, store) = demo();
        let chosen = shortlist_four(&store);
        start(&store, &Actor::Cli, "决赛", "shortlisted", None).unwrap();
        let left = store
            .conn()
            .query_row("SELECT entry FROM phase_left ORDER BY entry LIMIT 1", [], |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        let rubric = store.rubric().unwrap();
        let (round, criterion) = (rubric.rounds[0].id.clone(), rubric.rounds[0].criteria[0].id.clone());
        let session = crate::app::judging::JudgeSession::trusted(&store, "PW01").unwrap();
        let err = session.set_score(&left, &round, &criterion, "1").unwrap_err();
        assert_eq!(
            err.refusal(),
            Some(&crate::core::scoring::Refusal::NotInPhase("决赛".into()))
        );
        assert_eq!(count(&store, "SELECT count(*) FROM scores"), 0);
        // A taken entry may be scored.
        session.set_score(&chosen[0], &round, &criterion, "1").unwrap();
        // A write aimed at the earlier phase is refused; at the current one it is not.
        let err = ensure_writable(&store, Some("初评")).unwrap_err();
        assert!(
            matches!(err, crate::error::Error::Phase(PhaseRefusal::PhaseLocked { .. })),
            "{err}"
        );
        ensure_writable(&store, Some("决赛")).unwrap();
        assert!(matches!(
            read_phase(&store, Some("复评")),
            Err(crate::error::Error::Phase(PhaseRefusal::UnknownPhase { .. }))
        ));
    }

    #[test]
    fn the_newest_phase_drops_while_it_has_no_scores() {
        let (_dir, store) = demo();
        let chosen = shortlist_four(&store);
        let before = compute_tally(&store, None).unwrap();
        let statuses = store.shortlist().unwrap();
        assert_eq!(
            drop_newest(&store, &Actor::Cli, "名单有误").unwrap_err().to_string(),
            PhaseRefusal::OnlyPhase { phase: "初评".into() }.to_string()
        );
        start(&store, &Actor::Cli, "决赛", "入围", None).unwrap();
        // A reason is required; nothing changes without one.
        assert!(matches!(
            drop_newest(&store, &Actor::Cli, "  "),
            Err(crate::error::Error::Reason(_))
        ));
        assert_eq!(list(&store).unwrap().len(), 2);
        assert_eq!(
            drop_newest(&store, &Actor::Cli, "名单有误").unwrap(),
            ("决赛".to_string(), "初评".to_string())
        );
        // Everything back as it was: the tally (so the sheets' totals), the statuses, unlocked.
        assert_eq!(compute_tally(&store, None).unwrap(), before);
        assert_eq!(store.shortlist().unwrap(), statuses);
        assert_eq!(list(&store).unwrap().len(), 1);
        assert!(!list(&store).unwrap()[0].is_locked());
        assert_eq!(count(&store, "SELECT count(*) FROM phase_scores"), 0);
        // With a score in it, the new phase stays.
        start(&store, &Actor::Cli, "决赛", "入围", None).unwrap();
        let rubric = store.rubric().unwrap();
        let (round, criterion) = (rubric.rounds[0].id.clone(), rubric.rounds[0].criteria[0].id.clone());
        let session = crate::app::judging::JudgeSession::trusted(&store, "PW01").unwrap();
        session.set_score(&chosen[0], &round, &criterion, "1").unwrap();
        let err = drop_newest(&store, &Actor::Cli, "名单有误").unwrap_err();
        assert!(
            matches!(
                err,
                crate::error::Error::Phase(PhaseRefusal::HasScores { scores: 1, .. })
            ),
            "{err}"
        );
        assert_eq!(list(&store).unwrap().len(), 2);
    }

    #[test]
    fn a_taken_entrys_group_missing_from_the_new_rubric_is_refused_naming_it() {
        let (_dir, store) = demo();
        let chosen = shortlist_four(&store);
        let (file, source) = template_source("cases").unwrap();
        let err = start(&store, &Actor::Cli, "决赛", "入围", Some((file, source))).unwrap_err();
        match err {
            crate::error::Error::Phase(PhaseRefusal::GroupMissing { entry, .. }) => assert_eq!(entry, chosen[0]),
            other => panic!("{other}"),
        }
        assert_eq!(list(&store).unwrap().len(), 1, "nothing changed");
        // The same rubric has every group: a new rubric with them is taken and kept per phase.
        let (file, source) = template_source("competition").unwrap();
        let edited = source.replacen("name = ", "name = \"决赛细则\"\n# was: ", 1);
        start(&store, &Actor::Cli, "决赛", "入围", Some(("决赛.toml", &edited))).unwrap();
        assert_eq!(store.meta("rubric_file").unwrap().as_deref(), Some("决赛.toml"));
        // The earlier phase is read with the rubric it was scored on.
        let old = read_phase(&store, Some("初评")).unwrap();
        assert_eq!(old.rubric().unwrap().name, store.rubric().unwrap().name);
        assert_eq!(old.rubric().unwrap().groups, store.rubric().unwrap().groups);
        assert_eq!(
            store
                .conn()
                .query_row("SELECT rubric_file FROM phases WHERE seq = 1", [], |r| r
                    .get::<_, String>(0))
                .unwrap(),
            file
        );
    }

    #[test]
    fn printouts_name_their_phase_once_there_are_two() {
        let (_dir, store) = demo();
        shortlist_four(&store);
        let one = crate::app::export::results_snapshot(&store, None, false).unwrap();
        assert_eq!(one.results_title(), "评审结果");
        assert!(crate::export::markdown::results_markdown(&one).contains(" 评审结果\n"));
        start(&store, &Actor::Cli, "决赛", "入围", None).unwrap();
        let now = crate::app::export::results_snapshot(&store, None, false).unwrap();
        assert!(crate::export::markdown::results_markdown(&now).contains(" 决赛结果\n"));
        let old = read_phase(&store, Some("初评")).unwrap();
        let then = crate::app::export::results_snapshot(&old, None, false).unwrap();
        let md = crate::export::markdown::results_markdown(&then);
        assert!(md.contains(" 初评结果\n"), "{md}");
        assert_eq!(then.tally, one.tally);
    }

    #[test]
    fn audit_verify_replays_the_phases_and_sees_an_archived_score_edited() {
        let (_dir, store) = demo();
        let chosen = shortlist_four(&store);
        start(&store, &Actor::Cli, "决赛", "入围", None).unwrap();
        drop_newest(&store, &Actor::Cli, "名单有误").unwrap();
        start(&store, &Actor::Cli, "决赛", "入围", None).unwrap();
        let rubric = store.rubric().unwrap();
        let (round, criterion) = (rubric.rounds[0].id.clone(), rubric.rounds[0].criteria[0].id.clone());
        let session = crate::app::judging::JudgeSession::trusted(&store, "PW01").unwrap();
        session.set_score(&chosen[0], &round, &criterion, "1").unwrap();
        assert!(
            matches!(store.audit_verify().unwrap(), ChainCheck::Intact { .. }),
            "{:?}",
            store.audit_verify().unwrap()
        );
        store
            .conn()
            .execute(
                "UPDATE phase_scores SET value = value + 10000 WHERE (entry, judge, criterion) = \
                 (SELECT entry, judge, criterion FROM phase_scores ORDER BY entry LIMIT 1)",
                [],
            )
            .unwrap();
        match store.audit_verify().unwrap() {
            ChainCheck::ValueMismatch { problem, .. } => assert!(problem.contains("@初评"), "{problem}"),
            other => panic!("{other:?}"),
        }
        // The seal sees it too (every printout is refused until it is put right).
        match store.read(|s| s.check_seal()).unwrap() {
            crate::store::SealCheck::Changed { changed, .. } => {
                assert_eq!(changed, vec!["a score of an earlier phase (its archive)".to_string()])
            }
            other => panic!("{other:?}"),
        }
    }
}
