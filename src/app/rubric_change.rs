//! `jury rubric diff FILE` and `jury rubric apply FILE --reason R [--rename OLD=NEW ...]` (issue
//! 16): the rubric changed after `init`. The rules are [`crate::core::rubric_change`]'s; this reads
//! what they are checked against and writes the change in one transaction, with its audit row.
//! The command line and the organiser's console call these functions.

use std::io::Read as _;
use std::path::Path;

use crate::core::rubric::{Rubric, parse_rubric};
use crate::core::rubric_change::{Rename, RubricDiff, plan};
use crate::error::{Error, Result};
use crate::store::{Actor, AuditEvent, SheetStatus, Store, rubric_sha256};

/// A rubric file larger than this is refused unread (a rubric is a few KB).
pub const MAX_RUBRIC_BYTES: u64 = 1024 * 1024;

/// A rubric file: its name as given and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricFile {
    pub file: String,
    pub source: String,
}

/// Read the rubric file at `path` (at most [`MAX_RUBRIC_BYTES`], UTF-8).
pub fn read_rubric_file(path: &Path) -> Result<RubricFile> {
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        Error::from(crate::core::refusal::FileRefusal::CannotRead {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })
    };
    let f = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    f.take(MAX_RUBRIC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_RUBRIC_BYTES {
        return Err(crate::core::refusal::FileRefusal::RubricTooLarge {
            path: path.to_path_buf(),
            kb: MAX_RUBRIC_BYTES / 1024,
        }
        .into());
    }
    let source = String::from_utf8(bytes)
        .map_err(|_| Error::from(crate::core::refusal::FileRefusal::NotUtf8(path.to_path_buf())))?;
    Ok(RubricFile { file: name, source })
}

/// What changing the workspace's rubric to `new` would do (nothing is written). The diff says
/// what would refuse it in [`RubricDiff::refusal`]; an unreadable rubric or a bad `--rename`
/// is an error.
pub fn diff(store: &Store, new: &RubricFile, renames: &[Rename]) -> Result<RubricDiff> {
    let proposed = parse_rubric(&new.file, &new.source)?;
    store.read(|s| {
        let current = s.rubric()?.clone();
        Ok(plan(&current, &proposed, &s.rubric_stored()?, renames)?)
    })
}

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub diff: RubricDiff,
    /// The rubric's new version (meta `rubric_version`).
    pub version: i64,
    pub rubric: Rubric,
}

/// Make `new` the contest's rubric, in one transaction: refused (naming the scores or entries
/// concerned) when stored data depends on what it removes or narrows; renamed groups carry their
/// entries, panels and locks; the submitted sheets a new criterion leaves incomplete become
/// drafts again (each with a `reopen` audit row giving the reason); one `rubric-apply` audit row
/// with both rubrics' hashes (their copies are kept). A reason is required. The tally reads the
/// new rubric from then on, in every process.
pub fn apply(store: &Store, actor: &Actor, new: &RubricFile, reason: &str, renames: &[Rename]) -> Result<Applied> {
    crate::core::reason::require(reason)?;
    let proposed = parse_rubric(&new.file, &new.source)?;
    store.write(|s| {
        let current = s.rubric()?.clone();
        let old_source = s.meta("rubric")?.unwrap_or_default();
        let diff = plan(&current, &proposed, &s.rubric_stored()?, renames)?;
        if let Some(refusal) = &diff.refusal {
            return Err(refusal.clone().into());
        }
        for r in &diff.renames {
            s.rename_group(&r.old, &r.new)?;
            crate::app::stage::follow_group_rename(s, &r.old, &r.new)?;
        }
        let change_reason = format!("rubric changed ({}): {reason}", new.file);
        for (judge, entry, round) in &diff.reopened {
            s.set_sheet_status(judge, entry, round, SheetStatus::Draft)?;
            s.audit(
                actor,
                &AuditEvent::Reopen {
                    entry: entry.clone(),
                    judge: judge.clone(),
                    round: round.clone(),
                    reason: change_reason.clone(),
                },
            )?;
        }
        let version = s.put_rubric(&new.file, &new.source, &proposed.name)?;
        s.audit(
            actor,
            &AuditEvent::RubricApply {
                file: new.file.clone(),
                old: rubric_sha256(&old_source),
                new: rubric_sha256(&new.source),
                renamed: diff.renames.iter().map(|r| (r.old.clone(), r.new.clone())).collect(),
                reopened: diff.reopened.len(),
                reason: reason.to_string(),
            },
        )?;
        let rubric = s.rubric()?.clone();
        Ok(Applied { diff, version, rubric })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tally::compute_tally;
    use crate::core::Points;
    use crate::core::rubric::template_source;
    use crate::core::rubric_change::{RubricRefusal, Why, parse_rename};
    use crate::store::ChainCheck;

    const ORG: Actor = Actor::Organiser;

    /// The demo: PW01–PW06 submitted every entry, PW07–PW09 nothing.
    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    /// The demo's rubric with `edit` applied to its text.
    fn edited(edit: impl Fn(&str) -> String) -> RubricFile {
        let (_, source) = template_source("competition").unwrap();
        let source = source.replacen(
            "name = \"家庭教育与心理健康教育专业技能大赛\"",
            "name = \"家庭教育与心理健康教育专业技能大赛（演示）\"",
            1,
        );
        let new = edit(&source);
        assert_ne!(new, source, "the edit changed something");
        RubricFile {
            file: "new.toml".into(),
            source: new,
        }
    }

    fn intact(store: &Store) {
        let check = store.audit_verify().unwrap();
        assert!(matches!(check, ChainCheck::Intact { .. }), "{check:?}");
    }

    fn refusal(e: Error) -> RubricRefusal {
        match e {
            Error::RubricChange(r) => r,
            other => panic!("not a rubric refusal: {other}"),
        }
    }

    fn sheet_status(store: &Store, judge: &str, entry: &str, round: &str) -> Option<SheetStatus> {
        store.sheet(judge, entry, round).unwrap().map(|s| s.status)
    }

    #[test]
    fn removing_a_criterion_that_holds_scores_is_refused_naming_each_score() {
        let (_dir, store) = demo();
        let new = edited(|s| {
            let start = s.find("id = \"effect\"").unwrap();
            let begin = s[..start].rfind("[[round.criterion]]").unwrap();
            let end = start + s[start..].find("[[round]]").unwrap();
            format!("{}{}", &s[..begin], &s[end..])
        });
        let err = refusal(apply(&store, &ORG, &new, "删去一项", &[]).unwrap_err());
        let RubricRefusal::ScoresDepend { problems } = &err else {
            panic!("{err:?}")
        };
        // PW01–PW06 each scored `effect` of every one of the 36 contestants.
        assert_eq!(problems.len(), 6 * 36);
        let first = &problems[0];
        let stored = store.sheet("PW01", &first.entry, "lesson").unwrap().unwrap().values["effect"];
        assert_eq!(
            (
                first.judge.as_str(),
                first.round.as_str(),
                first.criterion.as_str(),
                first.value
            ),
            ("PW01", "lesson", "effect", stored)
        );
        assert_eq!(first.why, Why::CriterionRemoved);
        let text = err.to_string();
        assert!(
            text.contains(&format!("PW01 {} lesson/effect {stored}", first.entry)),
            "{text}"
        );
        assert!(
            text.contains("216 stored scores") && text.contains("and 186 more"),
            "{text}"
        );
        // Nothing changed.
        assert!(store.rubric().unwrap().rounds[0].criterion("effect").is_some());
        assert_eq!(store.rubric_version().unwrap(), None);
        intact(&store);
    }

    #[test]
    fn removing_a_round_that_holds_scores_is_refused() {
        let (_dir, store) = demo();
        let new = edited(|s| {
            let begin = s.find("[[round]]\nid = \"story\"").unwrap();
            let end = s.find("[[award]]").unwrap();
            format!("{}{}", &s[..begin], &s[end..]).replace("weight = 0.3\n", "weight = 0.6\n")
        });
        let err = refusal(apply(&store, &ORG, &new, "去掉一轮", &[]).unwrap_err());
        let RubricRefusal::ScoresDepend { problems } = &err else {
            panic!("{err:?}")
        };
        assert!(
            problems
                .iter()
                .all(|p| p.round == "story" && p.why == Why::RoundRemoved)
        );
        assert_eq!(problems.len(), 6 * 36 * 3);
    }

    #[test]
    fn a_lower_maximum_or_a_coarser_step_that_breaks_a_stored_score_is_refused() {
        let (_dir, store) = demo();
        // The demo's highest `content` of the lesson round, and one that is not a whole number.
        let stored = store.rubric_stored().unwrap();
        let top = stored
            .scores
            .iter()
            .filter(|s| s.round == "lesson" && s.criterion == "content")
            .map(|s| s.value)
            .max()
            .unwrap();
        let lower = Points(top.0 - Points::parse("1").unwrap().0);
        let new = edited(|s| s.replacen("max = 30\n", &format!("max = \"{lower}\"\n"), 1));
        let err = refusal(apply(&store, &ORG, &new, "满分改小", &[]).unwrap_err());
        let RubricRefusal::ScoresDepend { problems } = &err else {
            panic!("{err:?}")
        };
        assert!(!problems.is_empty());
        for p in problems {
            assert_eq!((p.round.as_str(), p.criterion.as_str()), ("lesson", "content"));
            assert!(p.value > lower, "{p:?}");
            assert_eq!(p.why, Why::OverMax { max: lower });
        }
        let off_step = stored
            .scores
            .iter()
            .filter(|s| !s.value.is_multiple_of(Points::parse("1").unwrap()));
        let expected: Vec<String> = off_step
            .map(|s| format!("{} {} {}/{}", s.judge, s.entry, s.round, s.criterion))
            .collect();
        assert!(!expected.is_empty(), "the demo has half points");
        let new = edited(|s| s.replacen("step = 0.5", "step = 1", 1));
        let err = refusal(apply(&store, &ORG, &new, "只给整数分", &[]).unwrap_err());
        let RubricRefusal::ScoresDepend { problems } = &err else {
            panic!("{err:?}")
        };
        let named: Vec<String> = problems
            .iter()
            .map(|p| format!("{} {} {}/{}", p.judge, p.entry, p.round, p.criterion))
            .collect();
        assert_eq!(named, expected);
        assert!(problems.iter().all(|p| p.why
            == Why::OffStep {
                step: Points::parse("1").unwrap()
            }));
    }

    #[test]
    fn before_the_first_score_anything_may_change() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::create_contest(
            &dir.path().join("w.jury"),
            "competition.toml",
            template_source("competition").unwrap().1,
            None,
        )
        .unwrap();
        let new = RubricFile {
            file: "cases.toml".into(),
            source: template_source("cases").unwrap().1.to_string(),
        };
        let done = apply(&store, &ORG, &new, "换成案例评选", &[]).unwrap();
        assert_eq!(done.version, 1);
        assert_eq!(store.rubric().unwrap().kind, crate::core::Kind::Cases);
        assert_eq!(store.meta("rubric_file").unwrap().as_deref(), Some("cases.toml"));
        intact(&store);
    }

    #[test]
    fn a_dropped_group_holding_entries_is_refused_naming_them_and_rename_carries_it() {
        let (_dir, store) = demo();
        // Two names differ: no rename is inferred.
        let new = edited(|s| {
            s.replacen(
                "groups = [\"教师组\", \"家长组\", \"社会工作者组\"]",
                "groups = [\"教师组\", \"家长代表组\", \"社工组\"]",
                1,
            )
        });
        let in_group = |g: &str| -> Vec<String> {
            store
                .entries()
                .unwrap()
                .into_iter()
                .filter(|e| e.group.as_deref() == Some(g))
                .map(|e| e.id)
                .collect()
        };
        let (parents, social) = (in_group("家长组"), in_group("社会工作者组"));
        assert!(!parents.is_empty() && !social.is_empty());
        let err = refusal(apply(&store, &ORG, &new, "改组名", &[]).unwrap_err());
        assert_eq!(
            err,
            RubricRefusal::GroupsDropped {
                groups: vec![
                    ("家长组".into(), parents.clone()),
                    ("社会工作者组".into(), social.clone())
                ]
            }
        );
        assert!(err.to_string().contains(&parents[0]), "{err}");
        let before = compute_tally(&store, Some("家长组")).unwrap();
        let renames = [
            parse_rename("家长组=家长代表组").unwrap(),
            parse_rename("社会工作者组=社工组").unwrap(),
        ];
        let done = apply(&store, &ORG, &new, "改组名", &renames).unwrap();
        assert_eq!(done.diff.renames.len(), 2);
        assert_eq!(in_group("家长代表组"), parents);
        assert_eq!(in_group("社工组"), social);
        assert!(in_group("家长组").is_empty());
        let after = compute_tally(&store, Some("家长代表组")).unwrap();
        let finals = |t: &crate::core::tally::Tally| -> Vec<(String, Option<crate::core::Ratio>, Option<u32>)> {
            t.groups[0]
                .entries
                .iter()
                .map(|e| (e.id.clone(), e.final_score, e.rank))
                .collect()
        };
        assert_eq!(finals(&after), finals(&before));
        assert!(after.groups[0].entries.iter().all(|e| e.complete));
        intact(&store);
    }

    #[test]
    fn a_group_renamed_by_inference_carries_its_entries_panel_and_locks() {
        let (_dir, store) = demo();
        crate::app::organiser::lock(&store, &ORG, Some("家长组"), None, "公布").unwrap();
        let before = compute_tally(&store, Some("家长组")).unwrap();
        let new = edited(|s| s.replacen("\"家长组\"", "\"家长代表组\"", 1));
        let d = diff(&store, &new, &[]).unwrap();
        assert_eq!(d.renames, vec![parse_rename("家长组=家长代表组").unwrap()]);
        let change = d.changes.iter().find(|c| c.key == "group.家长组").unwrap();
        assert_eq!(
            (change.old.as_deref(), change.new.as_deref()),
            (Some("家长组"), Some("家长代表组"))
        );
        assert_eq!(change.touches.entries, before.groups[0].entries.len());
        apply(&store, &ORG, &new, "更正组名", &[]).unwrap();
        let after = compute_tally(&store, Some("家长代表组")).unwrap();
        assert_eq!(after.groups[0].entries.len(), before.groups[0].entries.len());
        for (a, b) in after.groups[0].entries.iter().zip(&before.groups[0].entries) {
            assert_eq!((&a.id, a.final_score, a.rank), (&b.id, b.final_score, b.rank));
        }
        let locks = store.locks().unwrap();
        assert_eq!(locks.len(), 1);
        assert_eq!(locks[0].group.as_deref(), Some("家长代表组"));
        assert!(compute_tally(&store, Some("家长组")).is_err(), "the old name is gone");
        intact(&store);
    }

    #[test]
    fn the_stage_follows_its_group_renamed() {
        let (_dir, store) = demo();
        let on_stage = store
            .read(|r| r.entries())
            .unwrap()
            .into_iter()
            .find(|e| e.group.as_deref() == Some("家长组"))
            .unwrap();
        crate::app::stage::set(&store, &ORG, &on_stage.id, "lesson").unwrap();
        let new = edited(|s| s.replacen("\"家长组\"", "\"家长代表组\"", 1));
        apply(&store, &ORG, &new, "更正组名", &[]).unwrap();
        let stage = crate::app::stage::current(&store).unwrap().unwrap();
        assert_eq!(
            (stage.group.as_str(), stage.entry.as_str()),
            ("家长代表组", on_stage.id.as_str())
        );
        intact(&store);
    }

    #[test]
    fn a_removed_judges_seat_on_a_renamed_group_is_handed_over_on_the_new_name() {
        let (_dir, store) = demo();
        let judges: Vec<String> = store.read(|r| r.judges()).unwrap().into_iter().map(|j| j.id).collect();
        let (judge, other) = (judges[0].clone(), judges[1].clone());
        crate::app::organiser::assign_panel_checked(&store, &ORG, "家长组", std::slice::from_ref(&judge), true)
            .unwrap();
        crate::app::organiser::assign_panel_checked(&store, &ORG, "教师组", std::slice::from_ref(&other), true)
            .unwrap();
        let removal = crate::app::corrections::remove_judge(&store, &ORG, &judge, false, "因病缺席").unwrap();
        assert!(removal.panels.contains(&"家长组".to_string()));
        let new = edited(|s| s.replacen("\"家长组\"", "\"家长代表组\"", 1));
        apply(&store, &ORG, &new, "更正组名", &[]).unwrap();
        let (_, groups) = store.read(|r| r.left_work(&judge)).unwrap().unwrap();
        assert!(groups.contains(&"家长代表组".to_string()), "{groups:?}");
        assert!(!groups.contains(&"家长组".to_string()), "{groups:?}");
        // The replacement: the judge of another panel.
        let replaced = crate::app::corrections::replace_judge(&store, &ORG, &judge, &other, "替换").unwrap();
        assert!(replaced.panels.contains(&"家长代表组".to_string()), "{replaced:?}");
        let panels = store.read(|r| r.eligibility()).unwrap().panels;
        assert!(panels["家长代表组"].contains(&other));
        assert!(
            !panels.contains_key("家长组"),
            "no panel under the old name: {panels:?}"
        );
        intact(&store);
    }

    #[test]
    fn changed_weights_recompute_the_tally_exactly() {
        let (_dir, store) = demo();
        let before = compute_tally(&store, Some("教师组")).unwrap();
        let new = edited(|s| {
            s.replacen("weight = 0.4", "weight = 0.5", 1)
                .replacen("weight = 0.3", "weight = 0.25", 2)
        });
        let d = diff(&store, &new, &[]).unwrap();
        let w = d.changes.iter().find(|c| c.key == "round.lesson.weight").unwrap();
        assert_eq!((w.old.as_deref(), w.new.as_deref()), (Some("0.4"), Some("0.5")));
        assert_eq!(w.touches.entries, 36, "every scored contestant's result is recomputed");
        apply(&store, &ORG, &new, "改权重", &[]).unwrap();
        let after = compute_tally(&store, Some("教师组")).unwrap();
        let weights = [
            crate::core::Ratio::new(1, 2),
            crate::core::Ratio::new(1, 4),
            crate::core::Ratio::new(1, 4),
        ];
        let mut changed = false;
        for (b, a) in before.groups[0].entries.iter().zip(&after.groups[0].entries) {
            assert_eq!(b.id, a.id);
            let e = after.groups[0].entries.iter().find(|x| x.id == b.id).unwrap();
            let expected: crate::core::Ratio = b.rounds.iter().zip(weights).map(|(r, w)| r.score.unwrap() * w).sum();
            assert_eq!(e.final_score, Some(expected), "{}", b.id);
            changed |= b.final_score != e.final_score;
        }
        assert!(changed, "the finals moved");
        intact(&store);
    }

    #[test]
    fn an_added_criterion_makes_that_rounds_sheets_incomplete_and_reopens_the_submitted_ones() {
        let (_dir, store) = demo();
        let new = edited(|s| {
            s.replacen(
                "[[round]]\nid = \"analysis\"",
                "[[round.criterion]]\nid = \"time\"\nname = \"时间把握\"\nmax = 10\n\n[[round]]\nid = \"analysis\"",
                1,
            )
            .replacen("max = 30\n", "max = 25\n", 0)
        });
        let d = diff(&store, &new, &[]).unwrap();
        // PW01–PW06 submitted the lesson round of all 36.
        assert_eq!(d.incomplete, 6 * 36);
        assert_eq!(d.reopened.len(), 6 * 36);
        let added = d
            .changes
            .iter()
            .find(|c| c.key == "round.lesson.criterion.time")
            .unwrap();
        assert_eq!(
            (added.old.as_deref(), added.new.as_deref()),
            (None, Some("时间把握 (max 10)"))
        );
        assert_eq!(added.touches.sheets, 6 * 36);
        assert_eq!(
            sheet_status(&store, "PW01", "JS001", "lesson"),
            Some(SheetStatus::Submitted)
        );
        let done = apply(&store, &ORG, &new, "加一项", &[]).unwrap();
        assert_eq!(done.diff.reopened.len(), 216);
        assert_eq!(
            sheet_status(&store, "PW01", "JS001", "lesson"),
            Some(SheetStatus::Draft)
        );
        assert_eq!(
            sheet_status(&store, "PW01", "JS001", "analysis"),
            Some(SheetStatus::Submitted)
        );
        let t = compute_tally(&store, None).unwrap();
        assert!(t.groups.iter().flat_map(|g| &g.entries).all(|e| !e.complete));
        intact(&store);
    }

    #[test]
    fn the_diff_lists_each_key_with_its_values_and_what_it_touches() {
        let (_dir, store) = demo();
        let new = edited(|s| {
            s.replacen("share = 0.1", "share = 0.15", 1)
                .replacen("trim = 1", "trim = 2", 1)
                .replacen("decimals = 2", "decimals = 3", 1)
                .replacen("name = \"现场说课\"", "name = \"说课\"", 1)
        });
        let d = diff(&store, &new, &[]).unwrap();
        let keys: Vec<(&str, Option<&str>, Option<&str>, usize)> = d
            .changes
            .iter()
            .map(|c| (c.key.as_str(), c.old.as_deref(), c.new.as_deref(), c.touches.entries))
            .collect();
        assert_eq!(
            keys,
            vec![
                ("trim", Some("1"), Some("2"), 36),
                ("decimals", Some("2"), Some("3"), 36),
                ("round.lesson.name", Some("现场说课"), Some("说课"), 0),
                ("award.一等奖.share", Some("0.1"), Some("0.15"), 36),
            ]
        );
        assert_eq!(d.refusal, None);
        // Nothing written.
        assert_eq!(store.rubric().unwrap().trim, 1);
        let same = edited(|s| s.to_string() + "\n");
        assert_eq!(
            diff(&store, &same, &[]).unwrap().refusal,
            Some(RubricRefusal::Unchanged)
        );
    }

    #[test]
    fn a_judges_screen_gets_the_new_rubric_on_its_next_poll() {
        let (dir, store) = demo();
        let judge = Store::open(&dir.path().join("demo.jury")).unwrap();
        let session = crate::app::judging::JudgeSession::trusted(&judge, "PW07").unwrap();
        let (version, head) = (session.data_version().unwrap(), session.audit_head().unwrap());
        let new = edited(|s| s.replacen("name = \"内容设计\"", "name = \"教学设计\"", 1));
        apply(&store, &ORG, &new, "改名称", &[]).unwrap();
        match session.poll(Some(version), head).unwrap() {
            crate::app::judging::Poll::Changed { rubric, .. } => {
                assert_eq!(rubric.rounds[0].criteria[0].name, "教学设计");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_handle_sees_the_new_rubric_and_audit_verify_replays_the_change() {
        let (dir, store) = demo();
        let other = Store::open(&dir.path().join("demo.jury")).unwrap();
        assert_eq!(other.rubric().unwrap().step, Points::parse("0.5").unwrap());
        let fingerprint = crate::app::export::current_fingerprint(&store).unwrap();
        let new = edited(|s| s.replacen("deviation = 15", "deviation = 12", 1));
        apply(&store, &ORG, &new, "分差阈值", &[]).unwrap();
        assert_eq!(other.rubric().unwrap().deviation, Some(Points::parse("12").unwrap()));
        let now = crate::app::export::current_fingerprint(&other).unwrap();
        assert_ne!(
            now.to_string(),
            fingerprint.to_string(),
            "a printout made before no longer verifies as current"
        );
        intact(&other);
        let rows = store.audit_log(None, None).unwrap();
        let last = rows.last().unwrap();
        assert_eq!(
            (last.action.as_str(), last.reason.as_str()),
            ("rubric-apply", "分差阈值")
        );
        assert_eq!(last.new_value.as_deref(), Some(rubric_sha256(&new.source).as_str()));

        // The rubric changed outside jury: the replay names the row.
        let c = store.conn();
        let kept = store.meta("rubric").unwrap().unwrap();
        c.execute("UPDATE meta SET value = value || '#' WHERE key = 'rubric'", [])
            .unwrap();
        match store.audit_verify().unwrap() {
            ChainCheck::ValueMismatch { seq, problem } => {
                assert_eq!(seq, Some(last.seq));
                assert!(problem.contains("is not the one row"), "{problem}");
            }
            other => panic!("{other:?}"),
        }
        c.execute("UPDATE meta SET value = ?1 WHERE key = 'rubric'", [&kept])
            .unwrap();
        // The stored copy of the old rubric edited.
        c.execute("UPDATE rubric_history SET source = source || ' ' WHERE version = 0", [])
            .unwrap();
        match store.audit_verify().unwrap() {
            ChainCheck::ValueMismatch { problem, .. } => assert!(problem.contains("rubric_history"), "{problem}"),
            other => panic!("{other:?}"),
        }
        c.execute(
            "UPDATE rubric_history SET source = rtrim(source, ' ') WHERE version = 0",
            [],
        )
        .unwrap();
        // The audit row itself edited.
        c.execute("UPDATE audit SET reason = '别的' WHERE seq = ?1", [last.seq])
            .unwrap();
        assert!(matches!(store.audit_verify().unwrap(), ChainCheck::Broken { seq, .. } if seq == last.seq));
    }
}
