//! The workspace itself: making a contest, and the conflicts of interest the organiser declares
//! from the command line.

use std::path::Path;

use crate::core::Rubric;
use crate::error::Result;
use crate::store::{Actor, AuditEvent, Store, Tx};

/// Call `notice` once whenever a write has waited over a second for another process to finish
/// writing (the command line prints that it is waiting, and keeps waiting).
pub fn on_long_wait(notice: fn()) {
    crate::store::on_long_wait(notice)
}

/// `jury init`: store the contest's rubric in the workspace at `path`, made new when there is no
/// file (or an empty one) there; what was made is removed again when that fails.
pub fn create_contest(
    path: &Path,
    rubric_file: &str,
    rubric_source: &str,
    name: Option<&str>,
) -> Result<(Store, Rubric)> {
    Store::create_contest(path, rubric_file, rubric_source, name)
}

/// Declare that `judge` may not score `entry` (a conflict of interest), with an audit row.
pub fn add_conflict(store: &Store, actor: &Actor, judge: &str, entry: &str, reason: &str) -> Result<()> {
    store.write(|tx| add_conflict_in(tx, actor, judge, entry, reason))
}

/// [`add_conflict`] inside a write transaction the caller holds.
pub fn add_conflict_in(s: &Tx<'_>, actor: &Actor, judge: &str, entry: &str, reason: &str) -> Result<()> {
    if s.judge(judge)?.is_none() {
        return Err(crate::core::organiser::OrganiserRefusal::UnknownJudge {
            judge: judge.to_string(),
        }
        .into());
    }
    if s.entry(entry)?.is_none() {
        return Err(crate::core::organiser::OrganiserRefusal::UnknownEntry {
            entry: entry.to_string(),
        }
        .into());
    }
    s.put_conflict(judge, entry, reason)?;
    s.audit(
        actor,
        &AuditEvent::ConflictAdd {
            entry: entry.to_string(),
            judge: judge.to_string(),
            reason: reason.to_string(),
        },
    )
}

/// Remove a declared conflict, with an audit row. `Ok(false)` (nothing written) when there was
/// none; refused when the two share an organisation (that conflict is found, not declared).
pub fn remove_conflict(store: &Store, actor: &Actor, judge: &str, entry: &str) -> Result<bool> {
    store.write(|tx| remove_conflict_in(tx, actor, judge, entry))
}

/// [`remove_conflict`] inside a write transaction the caller holds.
pub fn remove_conflict_in(s: &Tx<'_>, actor: &Actor, judge: &str, entry: &str) -> Result<bool> {
    let removed = s.delete_conflict(judge, entry)?;
    if removed {
        s.audit(
            actor,
            &AuditEvent::ConflictRemove {
                entry: entry.to_string(),
                judge: judge.to_string(),
            },
        )?;
    } else if s.conflict(judge, entry)?.is_some_and(|c| c.automatic) {
        return Err(crate::core::refusal::WorkspaceRefusal::SharedOrganisation {
            judge: judge.to_string(),
            entry: entry.to_string(),
        }
        .into());
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};

    #[test]
    fn conflicts_are_declared_and_removed_with_their_audit_rows_in_one_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&create_demo_workspace(dir.path()).unwrap()).unwrap();
        // Two use cases in one transaction: both or neither.
        let r: Result<()> = store.write(|tx| {
            add_conflict_in(tx, &Actor::Cli, DEMO_JUDGE, "JS005", "亲属")?;
            add_conflict_in(tx, &Actor::Cli, DEMO_JUDGE, "NOPE", "亲属")
        });
        assert!(r.unwrap_err().to_string().contains("unknown entry \"NOPE\""));
        assert!(store.conflict(DEMO_JUDGE, "JS005").unwrap().is_none());
        add_conflict(&store, &Actor::Cli, DEMO_JUDGE, "JS005", "亲属").unwrap();
        let last = store.audit_log(Some("JS005"), Some(DEMO_JUDGE)).unwrap().pop().unwrap();
        assert_eq!(
            last.event(),
            Ok(AuditEvent::ConflictAdd {
                entry: "JS005".into(),
                judge: DEMO_JUDGE.into(),
                reason: "亲属".into()
            })
        );
        assert!(remove_conflict(&store, &Actor::Cli, DEMO_JUDGE, "JS005").unwrap());
        assert!(!remove_conflict(&store, &Actor::Cli, DEMO_JUDGE, "JS005").unwrap());
        let last = store.audit_log(Some("JS005"), Some(DEMO_JUDGE)).unwrap().pop().unwrap();
        assert_eq!(last.action, "conflict-remove");
    }
}
