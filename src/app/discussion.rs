//! Discussion after scoring (issue 16): `jury discuss open|close|list` and the console's keys
//! call these; the judges' screen gets what a judge may see of an entry under discussion from
//! [`panel_of`] (the rule is [`crate::core::discussion::panel_for`]).

use crate::core::discussion::{DiscussionRefusal, PanelInput, PanelView, panel_for};
use crate::core::rubric::Discussion;
use crate::error::Result;
use crate::store::{Actor, AuditEvent, Store};

/// What `discuss open` or `discuss close` did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changed {
    /// The entries opened (or closed) now, in the order asked.
    pub changed: Vec<String>,
    /// The entries that already were (or were not) under discussion: nothing written for them.
    pub unchanged: Vec<String>,
}

/// One entry under discussion, for `discuss list` and the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discussed {
    pub id: String,
    pub title: String,
    pub group: Option<String>,
}

fn ensure_allowed(store: &Store) -> Result<()> {
    if store.rubric()?.discussion == Discussion::Off {
        return Err(DiscussionRefusal::Off.into());
    }
    Ok(())
}

/// Put these entries under discussion (all or none: an unknown id refuses them all). Refused when
/// the rubric's `discussion` is "off".
pub fn open(store: &Store, actor: &Actor, entries: &[String]) -> Result<Changed> {
    ensure_allowed(store)?;
    if entries.is_empty() {
        return Err(DiscussionRefusal::NothingNamed.into());
    }
    store.write(|s| {
        let mut done = Changed::default();
        for id in entries {
            let e = s
                .entry(id.trim())?
                .ok_or_else(|| DiscussionRefusal::UnknownEntry { entry: id.clone() })?;
            if done.changed.contains(&e.id) || done.unchanged.contains(&e.id) {
                continue;
            }
            if s.put_discussion(&e.id)? {
                s.audit(actor, &AuditEvent::DiscussionOpen { entry: e.id.clone() })?;
                done.changed.push(e.id);
            } else {
                done.unchanged.push(e.id);
            }
        }
        Ok(done)
    })
}

/// The entries the tally flags (分差过大: a judge's total further than the rubric's `deviation`
/// from the round's median), only the group's when one is named, in the tally's order.
pub fn flagged(store: &Store, group: Option<&str>) -> Result<Vec<String>> {
    let t = crate::app::tally::compute_tally(store, group)?;
    Ok(t.groups
        .iter()
        .flat_map(|g| g.entries.iter())
        .filter(|e| e.flagged_marks().next().is_some())
        .map(|e| e.id.clone())
        .collect())
}

/// `discuss open --flagged [--group G]`: put every entry the tally flags under discussion.
/// Refused when the rubric's `discussion` is "off", or when no entry is flagged.
pub fn open_flagged(store: &Store, actor: &Actor, group: Option<&str>) -> Result<Changed> {
    ensure_allowed(store)?;
    let ids = flagged(store, group)?;
    if ids.is_empty() {
        return Err(DiscussionRefusal::NoneFlagged {
            group: group.map(str::to_string),
        }
        .into());
    }
    open(store, actor, &ids)
}

/// End the discussion of these entries (none named: of every entry under discussion). An id that
/// is not an entry refuses them all.
pub fn close(store: &Store, actor: &Actor, entries: &[String]) -> Result<Changed> {
    store.write(|s| {
        let ids = if entries.is_empty() {
            s.discussions()?
        } else {
            entries.to_vec()
        };
        let mut done = Changed::default();
        for id in &ids {
            let id = match s.entry(id.trim())? {
                Some(e) => e.id,
                // Closing an entry that no longer exists but is still listed is allowed.
                None if s.in_discussion(id)? => id.clone(),
                None => return Err(DiscussionRefusal::UnknownEntry { entry: id.clone() }.into()),
            };
            if done.changed.contains(&id) || done.unchanged.contains(&id) {
                continue;
            }
            if s.delete_discussion(&id)? {
                s.audit(actor, &AuditEvent::DiscussionClose { entry: id.clone() })?;
                done.changed.push(id);
            } else {
                done.unchanged.push(id);
            }
        }
        Ok(done)
    })
}

/// The entries under discussion, in import order.
pub fn list(store: &Store) -> Result<Vec<Discussed>> {
    store.read(|s| {
        s.discussions()?
            .into_iter()
            .map(|id| {
                let e = s.entry(&id)?;
                Ok(Discussed {
                    title: e.as_ref().map(|e| e.label().to_string()).unwrap_or_default(),
                    group: e.and_then(|e| e.group),
                    id,
                })
            })
            .collect()
    })
}

/// What `judge` may see of `entry` under discussion (`None`: nothing, not even that it is).
pub fn panel_of(store: &Store, judge: &str, entry: &str) -> Result<Option<PanelView>> {
    let rubric = store.rubric()?;
    if rubric.discussion == Discussion::Off {
        return Ok(None);
    }
    store.read(|s| {
        let open = s.in_discussion(entry)?;
        if !open {
            return Ok(None);
        }
        let conflicted = s.conflict(judge, entry)?.is_some();
        let judges: Vec<String> = s.judges()?.into_iter().map(|j| j.id).collect();
        let (sheets, comments) = s.entry_panel(entry)?;
        Ok(panel_for(
            rubric,
            entry,
            &PanelInput {
                viewer: judge,
                open,
                conflicted,
                judges: &judges,
                sheets: &sheets,
                comments: &comments,
            },
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo workspace with `discussion` set as given (rewritten in the stored rubric).
    fn demo(discussion: &str) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let head = if discussion.is_empty() {
            String::new()
        } else {
            format!("discussion = \"{discussion}\"\n")
        };
        let path = crate::app::demo::create_demo_workspace_with(dir.path(), &head).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    fn first_entry(store: &Store) -> String {
        store.entries().unwrap()[0].id.clone()
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn open_is_refused_when_the_rubric_says_off_and_nothing_is_written() {
        let (_dir, store) = demo("");
        let first = first_entry(&store);
        let e = open(&store, &Actor::Cli, &ids(&[&first])).unwrap_err();
        assert!(
            matches!(e, crate::error::Error::Discussion(DiscussionRefusal::Off)),
            "{e}"
        );
        assert!(e.to_string().contains("discussion = \"named\""), "{e}");
        let e = open_flagged(&store, &Actor::Cli, None).unwrap_err();
        assert!(
            matches!(e, crate::error::Error::Discussion(DiscussionRefusal::Off)),
            "{e}"
        );
        assert!(list(&store).unwrap().is_empty());
    }

    #[test]
    fn open_close_list_are_audited_and_verified() {
        let (_dir, store) = demo("named");
        let first = first_entry(&store);
        let done = open(&store, &Actor::Cli, &ids(&[&first, &first])).unwrap();
        assert_eq!(done.changed, vec![first.clone()]);
        assert_eq!(
            open(&store, &Actor::Cli, &ids(&[&first])).unwrap().unchanged,
            vec![first.clone()]
        );
        let e = open(&store, &Actor::Cli, &ids(&["NOPE"])).unwrap_err();
        assert!(e.to_string().contains("no entry NOPE"), "{e}");
        assert_eq!(
            list(&store).unwrap().iter().map(|d| d.id.clone()).collect::<Vec<_>>(),
            vec![first.clone()]
        );
        let rows = store.audit_log(Some(&first), None).unwrap();
        assert_eq!(rows.last().unwrap().action, "discussion-open");
        {
            let c = store.audit_verify().unwrap();
            assert!(matches!(c, crate::store::ChainCheck::Intact { .. }), "{c:?}");
        }
        let done = close(&store, &Actor::Cli, &[]).unwrap();
        assert_eq!(done.changed, vec![first.clone()]);
        assert!(list(&store).unwrap().is_empty());
        {
            let c = store.audit_verify().unwrap();
            assert!(matches!(c, crate::store::ChainCheck::Intact { .. }), "{c:?}");
        }
    }

    #[test]
    fn audit_verify_names_a_discussion_changed_outside_jury() {
        let (_dir, store) = demo("named");
        let first = first_entry(&store);
        let raw = rusqlite::Connection::open(store.path()).unwrap();
        raw.execute("INSERT INTO discussions(entry, opened_at) VALUES (?1, 'now')", [&first])
            .unwrap();
        let check = store.audit_verify().unwrap();
        assert!(
            format!("{check:?}").contains("under discussion in the database"),
            "{check:?}"
        );
        raw.execute("DELETE FROM discussions", []).unwrap();
        open(&store, &Actor::Cli, &ids(&[&first])).unwrap();
        raw.execute("DELETE FROM discussions", []).unwrap();
        let check = store.audit_verify().unwrap();
        assert!(
            format!("{check:?}").contains("not under discussion in the database"),
            "{check:?}"
        );
    }

    #[test]
    fn flagged_picks_exactly_the_entries_the_tally_flags() {
        let (_dir, store) = demo("anonymous");
        let t = crate::app::tally::compute_tally(&store, None).unwrap();
        let expected: Vec<String> = t
            .groups
            .iter()
            .flat_map(|g| g.entries.iter())
            .filter(|e| e.rounds.iter().any(|r| r.marks.iter().any(|m| m.flagged)))
            .map(|e| e.id.clone())
            .collect();
        let got = flagged(&store, None).unwrap();
        assert_eq!(got, expected);
    }

    #[test]
    fn panel_of_follows_the_rule_submitted_not_submitted_conflicted() {
        let (_dir, store) = demo("named");
        open(&store, &Actor::Cli, &ids(&["JS001"])).unwrap();
        // PW03 submitted every round of JS001: the panel of six, their own once per round.
        let v = panel_of(&store, "PW03", "JS001").unwrap().expect("submitted");
        assert_eq!(v.rounds.len(), 3);
        for r in &v.rounds {
            assert_eq!(r.marks.len(), 6);
            assert_eq!(r.marks.iter().filter(|m| m.own).count(), 1);
        }
        // The demo judge scored nothing: nothing.
        assert_eq!(panel_of(&store, crate::app::demo::DEMO_JUDGE, "JS001").unwrap(), None);
        // Not under discussion: nothing, even for PW03.
        assert_eq!(panel_of(&store, "PW03", "JS002").unwrap(), None);
        // A conflict declared after PW03 submitted: nothing.
        crate::app::workspace::add_conflict(&store, &Actor::Cli, "PW03", "JS001", "亲属").unwrap();
        assert_eq!(panel_of(&store, "PW03", "JS001").unwrap(), None);
        assert!(panel_of(&store, "PW04", "JS001").unwrap().is_some());
    }
}
