//! The workspace itself: making a contest, and the conflicts of interest the organiser declares
//! from the command line.

use std::path::Path;

use crate::core::Rubric;
use crate::error::{Error, Result};
use crate::store::{Actor, AuditEvent, Store};

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
    store.write(|s| {
        if s.judge(judge)?.is_none() {
            return Err(Error::refused(format!("unknown judge \"{judge}\"")));
        }
        if s.entry(entry)?.is_none() {
            return Err(Error::refused(format!("unknown entry \"{entry}\"")));
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
    })
}

/// Remove a declared conflict, with an audit row. `Ok(false)` (nothing written) when there was
/// none; refused when the two share an organisation (that conflict is found, not declared).
pub fn remove_conflict(store: &Store, actor: &Actor, judge: &str, entry: &str) -> Result<bool> {
    store.write(|s| {
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
            return Err(Error::refused(format!(
                "{judge} and {entry} share an organisation; that conflict is not declared and cannot be removed"
            )));
        }
        Ok(removed)
    })
}
