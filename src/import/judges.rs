//! Importing judges. PINs are stored only as salted argon2 hashes.

use std::collections::{HashMap, HashSet};

use super::table::{ImportErrors, Problems, Table};
use super::{Field, accepted_headers, file_digest, map_columns};
use crate::core::Judge;
use crate::error::Result;
use crate::store::secret::hash_secret;
use crate::store::{Actor, Store};

const ID: usize = 0;
const NAME: usize = 1;
const ORGANIZATION: usize = 2;
const COUNTY: usize = 3;
const PIN: usize = 4;

const FIELDS: &[Field] = &[
    Field {
        key: "id",
        aliases: &["编号", "评委编号", "judge"],
    },
    Field {
        key: "name",
        aliases: &["姓名", "评委姓名"],
    },
    Field {
        key: "organization",
        aliases: &["单位", "工作单位", "organisation", "org"],
    },
    Field {
        key: "county",
        aliases: &["县市区", "地区", "区县"],
    },
    Field {
        key: "pin",
        aliases: &["密码", "口令", "PIN码"],
    },
];

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
    store.rubric()?;
    let columns = map_columns(table, FIELDS)?;
    let col = |f: usize| columns.known[f];
    for (f, what) in [(ID, "an id (编号)"), (NAME, "a name (姓名)"), (PIN, "a pin (密码)")] {
        if col(f).is_none() {
            return Err(ImportErrors::whole_file(
                &table.file,
                format!("needs {what} column. Accepted headers: {}", accepted_headers(FIELDS)),
            )
            .into());
        }
    }
    if table.rows.is_empty() {
        return Err(ImportErrors::whole_file(&table.file, "has a header but no judges below it").into());
    }
    let stored: HashMap<String, Judge> = store.judges()?.into_iter().map(|j| (j.id.clone(), j)).collect();
    let mut problems = Problems::new(table);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut judges = Vec::new();
    for row in &table.rows {
        let cell = |f: usize| -> &str { col(f).and_then(|c| row.cells.get(c)).map_or("", String::as_str) };
        if let Some(problem) = crate::core::text::id_problem(cell(ID)) {
            problems.at(row.number, col(ID), problem);
            continue;
        }
        let id_nfkc = crate::core::text::nfkc(cell(ID));
        let id: &str = &id_nfkc;
        if id.is_empty() {
            problems.at(row.number, col(ID), "the id (编号) is empty");
            continue;
        }
        if ["organiser", "show"].iter().any(|r| id.eq_ignore_ascii_case(r)) {
            problems.at(
                row.number,
                col(ID),
                format!("the id \"{id}\" is reserved for logging in to `jury serve`: give this judge another id"),
            );
            continue;
        }
        // Ids are matched without regard to case when judges log in over SSH.
        if let Some(first) = seen.insert(id.to_lowercase(), row.number) {
            problems.at(
                row.number,
                col(ID),
                format!("the id \"{id}\" appears twice (first at row {first})"),
            );
            continue;
        }
        let known = stored.contains_key(id);
        if known && !options.update {
            problems.at(
                row.number,
                col(ID),
                format!(
                    "the judge \"{id}\" is already in the workspace; use --update to replace stored judges \
                     (their sheets are kept)"
                ),
            );
            continue;
        }
        if cell(NAME).is_empty() {
            problems.at(row.number, col(NAME), "the name (姓名) is empty");
        }
        let pin = cell(PIN);
        let keep_pin = known && pin.is_empty();
        if !keep_pin && (pin.chars().count() < 4 || pin.chars().any(char::is_whitespace)) {
            problems.at(
                row.number,
                col(PIN),
                "the PIN must have at least 4 characters and no spaces (a 4-digit number is usual)",
            );
            continue;
        }
        judges.push((
            Judge {
                id: id.to_string(),
                name: cell(NAME).to_string(),
                organization: cell(ORGANIZATION).to_string(),
                county: cell(COUNTY).to_string(),
            },
            row.number,
            (!keep_pin).then(|| pin.to_string()),
        ));
    }
    problems.into_result()?;
    // Hash (and check stored PINs) before the transaction: argon2 is deliberately slow and the
    // write lock is shared.
    let mut rows = Vec::with_capacity(judges.len());
    for (judge, row, pin) in judges {
        let (hash, pin_changed) = match pin {
            None => (None, false),
            Some(pin) if stored.contains_key(&judge.id) && store.verify_pin(&judge.id, &pin)? => (None, false),
            Some(pin) => (Some(hash_secret(&pin)?), stored.contains_key(&judge.id)),
        };
        rows.push(JudgeRow {
            judge,
            row,
            hash,
            pin_changed,
        });
    }
    store.write(|s| write_judges(s, table, col(ORGANIZATION), &rows, options))
}

fn write_judges(
    s: &Store,
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
            (None, None) => return Err(crate::error::Error::refused(format!("{} has no PIN", r.judge.id))),
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
        problems.whole(format!(
            "{} sheets would now be scored by a judge of the entry's own organisation; give --force to keep \
             them (each is recorded in the audit trail), or correct the organisation",
            now_conflicting.len()
        ));
        for (row, judge, entry, round, status) in &now_conflicting {
            let org = rows
                .iter()
                .find(|r| r.judge.id == *judge)
                .map_or("", |r| r.judge.organization.as_str());
            problems.at(
                *row,
                org_col,
                format!("{judge} / {entry} / {round} ({status}) conflicts with the new organisation \"{org}\""),
            );
        }
        problems.into_result()?;
    }
    let reason = format!("import {}", table.file);
    for (_, judge, entry, round, status) in &now_conflicting {
        s.audit_append(
            &Actor::Cli,
            "conflict-kept",
            Some(entry),
            Some(judge),
            round,
            None,
            Some(status),
            &format!("{reason}: a changed organisation; kept with --force"),
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
                s.audit_append(
                    &Actor::Cli,
                    "judge-update",
                    None,
                    Some(&r.judge.id),
                    field,
                    Some(was),
                    Some(now),
                    &reason,
                )?;
            }
        }
        if r.pin_changed {
            s.audit_append(
                &Actor::Cli,
                "judge-pin",
                None,
                Some(&r.judge.id),
                "PIN changed (the PIN is not recorded)",
                None,
                None,
                &reason,
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
    s.audit_append(
        &Actor::Cli,
        "import-judges",
        None,
        None,
        &format!("{} (content {})", table.file, file_digest(table)),
        None,
        Some(&(done.added + done.updated).to_string()),
        "",
    )?;
    Ok(done)
}
