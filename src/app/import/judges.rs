//! Importing judges: the file is checked by `crate::import`, then the PINs are hashed and the
//! judges stored, with their audit rows, in one transaction. PINs are stored only as salted
//! argon2 hashes.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::core::Judge;
use crate::error::Result;
use crate::import::judges::check_judges;
use crate::import::table::{Problems, Table};
use crate::import::{file_digest, read_table};
use crate::store::secret::hash_secret;
use crate::store::{Actor, AuditEvent, Store, Tx};

use super::log::Origin;
use crate::core::import_log::ImportKind;

/// How `jury import judges` treats ids already stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JudgeImportOptions {
    /// Replace judges whose id is already stored (otherwise that is an error).
    pub update: bool,
    /// With `update`: keep the sheets a changed organisation puts in conflict (else refused).
    pub force: bool,
}

/// What a judges import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JudgeImport {
    pub added: usize,
    pub updated: usize,
    /// Stored judges the file names exactly as they are.
    pub unchanged: usize,
    /// Sheets kept (with `force`) although their judge's new organisation conflicts with the entry.
    pub kept_conflicts: usize,
}

/// [`import_judges_with`] without `--update`. Returns how many judges were stored.
pub fn import_judges(store: &Store, table: &Table) -> Result<usize> {
    let done = import_judges_with(store, table, JudgeImportOptions::default())?;
    Ok(done.added + done.updated + done.unchanged)
}

/// A row of the file: the judge, and the PIN hash to store (`None`: keep the stored one).
struct JudgeRow {
    judge: Judge,
    row: usize,
    hash: Option<String>,
    pin_changed: bool,
}

/// Check every row and store the judges in one transaction.
///
/// An id already stored is refused unless `options.update`. An update that changes a judge's
/// organisation re-runs the conflict check: sheets that now conflict are listed and the file is
/// refused unless `options.force`, which keeps them and records each in the audit trail. Every
/// changed field is audited; a PIN change is audited without the PIN. With `update`, an empty PIN
/// keeps the stored one.
pub fn import_judges_with(store: &Store, table: &Table, options: JudgeImportOptions) -> Result<JudgeImport> {
    import_judges_from(store, table, options, Origin::table(ImportKind::Judges, table))
}

fn import_judges_from(
    store: &Store,
    table: &Table,
    options: JudgeImportOptions,
    origin: Origin,
) -> Result<JudgeImport> {
    store.rubric()?;
    let stored: HashMap<String, Judge> = store.judges()?.into_iter().map(|j| (j.id.clone(), j)).collect();
    // A removed judge's id stays taken: refused below with the reason, whether or not `update`.
    let removed = store.removed_judges()?;
    let ids: HashSet<String> = stored.keys().filter(|id| !removed.contains_key(*id)).cloned().collect();
    let checked = check_judges(table, &ids, options.update)?;
    if let Some(row) = checked.rows.iter().find(|r| removed.contains_key(&r.judge.id)) {
        let reason = removed.get(&row.judge.id).map(String::as_str).unwrap_or_default();
        return Err(crate::core::refusal::WorkspaceRefusal::JudgeIdTaken {
            row: row.row,
            judge: row.judge.id.clone(),
            reason: reason.to_string(),
        }
        .into());
    }
    // Hash (and check stored PINs) before the transaction: argon2 is deliberately slow and the
    // write lock is shared.
    let mut rows = Vec::with_capacity(checked.rows.len());
    for row in checked.rows {
        let (hash, pin_changed) = match row.pin {
            None => (None, false),
            Some(pin) if stored.contains_key(&row.judge.id) && store.verify_pin(&row.judge.id, &pin)? => (None, false),
            Some(pin) => (Some(hash_secret(&pin)?), stored.contains_key(&row.judge.id)),
        };
        rows.push(JudgeRow {
            judge: row.judge,
            row: row.row,
            hash,
            pin_changed,
        });
    }
    store.write(|s| {
        s.import_capture_begin()?;
        let done = write_judges(s, &origin.actor, table, checked.organization_column, &rows, options)?;
        // The import log: its number and exactly what it changed, for `jury import undo`.
        s.import_capture_end(origin.kind, &table.file, &origin.sha256, rows.len(), &origin.actor)?;
        Ok(done)
    })
}

/// [`import_judges_with`] on the file at `path`; also returns what the reader says about the
/// file (which sheet was read, hidden rows), to show.
pub fn import_judges_file(
    store: &Store,
    actor: &Actor,
    path: &Path,
    sheet: Option<&str>,
    options: JudgeImportOptions,
) -> Result<(JudgeImport, Vec<crate::core::problems::ReadNote>)> {
    let table = read_table(path, sheet)?;
    let origin = Origin::file(ImportKind::Judges, path, Some(&table)).by(actor);
    let done = import_judges_from(store, &table, options, origin)?;
    Ok((done, table.info.notes))
}

fn write_judges(
    s: &Tx<'_>,
    actor: &Actor,
    table: &Table,
    org_col: Option<usize>,
    rows: &[JudgeRow],
    options: JudgeImportOptions,
) -> Result<JudgeImport> {
    let stored: HashMap<String, Judge> = s.judges()?.into_iter().map(|j| (j.id.clone(), j)).collect();
    let moved: Vec<&JudgeRow> = rows
        .iter()
        .filter(|r| {
            stored
                .get(&r.judge.id)
                .is_some_and(|old| old.organization != r.judge.organization)
        })
        .collect();
    let conflicts_of = |s: &Store| -> Result<HashSet<(String, String)>> {
        Ok(s.conflicts()?
            .into_iter()
            .filter(|c| moved.iter().any(|r| r.judge.id == c.judge))
            .map(|c| (c.judge, c.entry))
            .collect())
    };
    let before = conflicts_of(s)?;
    let mut done = JudgeImport::default();
    let mut to_put = Vec::with_capacity(rows.len());
    for r in rows {
        let hash = match (&r.hash, stored.get(&r.judge.id)) {
            (Some(h), _) => h.clone(),
            (None, Some(_)) => s.judge_pin_hash(&r.judge.id)?.unwrap_or_default(),
            // Checked before: a new judge always brings a PIN.
            (None, None) => return Err(crate::core::refusal::WorkspaceRefusal::NoPin(r.judge.id.clone()).into()),
        };
        to_put.push((r.judge.clone(), hash));
    }
    s.put_judges(&to_put)?;
    let after = conflicts_of(s)?;
    // Sheets whose judge now shares the entry's organisation.
    let mut now_conflicting: Vec<(usize, String, String, String, &'static str)> = Vec::new();
    for r in &moved {
        for (entry, round, status) in s.judge_sheets(&r.judge.id)? {
            let key = (r.judge.id.clone(), entry.clone());
            if after.contains(&key) && !before.contains(&key) {
                now_conflicting.push((r.row, r.judge.id.clone(), entry, round, status.as_str()));
            }
        }
    }
    if !now_conflicting.is_empty() && !options.force {
        let mut problems = Problems::new(table);
        problems.whole(crate::core::problems::Problem::NowConflicting {
            count: now_conflicting.len(),
        });
        for (row, judge, entry, round, status) in &now_conflicting {
            let org = rows
                .iter()
                .find(|r| r.judge.id == *judge)
                .map_or("", |r| r.judge.organization.as_str());
            problems.at(
                *row,
                org_col,
                crate::core::problems::Problem::ConflictsWithOrganisation {
                    judge: judge.clone(),
                    entry: entry.clone(),
                    round: round.clone(),
                    status,
                    organisation: org.to_string(),
                },
            );
        }
        problems.into_result()?;
    }
    let reason = format!("import {}", table.file);
    for (_, judge, entry, round, status) in &now_conflicting {
        s.audit(
            actor,
            &AuditEvent::ConflictKept {
                entry: entry.to_string(),
                judge: judge.to_string(),
                round: round.to_string(),
                status: status.to_string(),
                reason: reason.clone(),
            },
        )?;
    }
    done.kept_conflicts = now_conflicting.len();
    for r in rows {
        let Some(old) = stored.get(&r.judge.id) else {
            done.added += 1;
            continue;
        };
        let mut changed = r.pin_changed;
        for (field, was, now) in [
            ("name", &old.name, &r.judge.name),
            ("organization", &old.organization, &r.judge.organization),
            ("county", &old.county, &r.judge.county),
        ] {
            if was != now {
                changed = true;
                s.audit(
                    actor,
                    &AuditEvent::JudgeUpdate {
                        judge: r.judge.id.clone(),
                        field: field.to_string(),
                        was: was.clone(),
                        now: now.clone(),
                        reason: reason.clone(),
                    },
                )?;
            }
        }
        if r.pin_changed {
            s.audit(
                actor,
                &AuditEvent::JudgePin {
                    judge: r.judge.id.clone(),
                    reason: reason.clone(),
                },
            )?;
        }
        if changed {
            done.updated += 1;
        } else {
            done.unchanged += 1;
        }
    }
    if done.added + done.updated == 0 {
        // The file holds what is stored: nothing was changed, so nothing is recorded.
        return Ok(done);
    }
    s.audit(
        actor,
        &AuditEvent::ImportJudges {
            file: table.file.to_string(),
            digest: file_digest(table).to_string(),
            changed: done.added + done.updated,
        },
    )?;
    Ok(done)
}
