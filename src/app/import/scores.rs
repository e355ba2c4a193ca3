//! Importing typed-in paper score sheets: the rows are checked by `crate::import` against what
//! the workspace holds, then each sheet is planned against the stored one (submitted sheets,
//! `--partial`, `--replace-submitted`) and written, with its audit rows, in one transaction.

use std::collections::BTreeMap;
use std::path::Path;

use crate::core::Points;
use crate::error::Result;
use crate::import::file_digest;
use crate::import::scores::{Facts, Lock, RowStatus, STATUS, score_columns};
use crate::import::table::{Problems, Table};
use crate::store::{Actor, AuditEvent, ScoreInput, SheetStatus, Store, Tx};

use super::log::Origin;
use crate::core::import_log::ImportKind;

/// How `jury import scores` treats sheets that are signed or incomplete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreImportOptions {
    /// Store a sheet the file leaves with criteria missing as a draft (else the file is refused).
    pub partial: bool,
    /// Change values on submitted sheets (else the file is refused); the organiser's reason goes
    /// into every audit row of such a sheet, with the old value.
    pub replace_submitted: Option<String>,
}

/// What a scores import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreImport {
    /// Values written (new or changed).
    pub changed: usize,
    /// Values of the file that were stored as they are already.
    pub unchanged: usize,
    /// Sheets this import left as drafts (a `draft` status, or incomplete with `--partial`).
    pub drafts: usize,
    /// Submitted sheets changed with `--replace-submitted`.
    pub replaced: usize,
    /// Sheets whose status changed without a value changing (a draft completed, say).
    pub status_changes: usize,
}

/// [`import_scores_with`] with the default options (a signed or incomplete sheet refuses the
/// file). Returns how many values were written.
pub fn import_scores(store: &Store, table: &Table) -> Result<usize> {
    Ok(import_scores_with(store, table, &ScoreImportOptions::default())?.changed)
}

/// Check every score and store them in one transaction.
///
/// A sheet already submitted (on screen or by an earlier import) is never changed unless
/// `options.replace_submitted` gives a reason; a sheet the file leaves with criteria missing is
/// refused unless `options.partial` (it is then a draft); values already stored as they are in
/// the file are left alone, so importing the same file again changes nothing.
pub fn import_scores_with(store: &Store, table: &Table, options: &ScoreImportOptions) -> Result<ScoreImport> {
    import_scores_from(store, table, options, Origin::table(ImportKind::Scores, table))
}

fn import_scores_from(
    store: &Store,
    table: &Table,
    options: &ScoreImportOptions,
    origin: Origin,
) -> Result<ScoreImport> {
    if let Some(reason) = &options.replace_submitted {
        crate::core::reason::require(reason)?;
    }
    let rubric = store.rubric()?.clone();
    let known = score_columns(table)?;
    let col = |f: usize| known[f];

    // A paper-sheet import can hold millions of scores, each with its audit row: with SQLite's
    // default 2 MB cache the indexes' pages are read back again and again.
    let _cache = store.larger_cache(256 * 1024)?;
    let known = &known;
    // Everything is checked and planned on a snapshot, without the write lock: a large file, a
    // slow disk or an import stopped with Ctrl+Z never holds up the judges while it is checked,
    // and a file with a problem is refused at once even while another process is writing.
    let (version, facts, rows, plans) = store.read(|s| {
        let version = s.data_version()?;
        let facts = read_facts(s)?;
        let rows = check_rows(table, &rubric, known, &facts)?;
        refuse_removed_judges(s, &rows)?;
        refuse_entries_out_of_play(s, &rows)?;
        let plans = plan_sheets(s, table, &rubric, &rows, col(STATUS), options)?;
        Ok((version, facts, rows, plans))
    })?;
    #[cfg(test)]
    tests::between_check_and_write();
    store.write(|s| {
        s.import_capture_begin()?;
        // The import log: its number and exactly what it changed, for `jury import undo`.
        let logged = |done: ScoreImport| -> Result<ScoreImport> {
            s.import_capture_end(
                origin.kind,
                &table.file,
                &origin.sha256,
                table.rows.len(),
                &origin.actor,
            )?;
            Ok(done)
        };
        // `data_version` moves whenever another connection commits. Unmoved: the snapshot is
        // what is stored now, and the plan stands.
        if s.data_version()? == version {
            return write_plans(s, &origin.actor, table, &rows, &plans, options).and_then(logged);
        }
        // Another process wrote meanwhile (in a live room, a judge's score most likely). Refusing
        // would make a large import impossible while the judges score, so the plan is made again
        // under the lock from the rows in memory: only reads. The rows themselves are checked
        // again only if what they were checked against (judges, entries, conflicts, assignments,
        // locks) changed too.
        let now = read_facts(s)?;
        let rechecked;
        let rows = if now == facts {
            &rows
        } else {
            rechecked = check_rows(table, &rubric, known, &now)?;
            &rechecked
        };
        refuse_removed_judges(s, rows)?;
        refuse_entries_out_of_play(s, rows)?;
        let plans = plan_sheets(s, table, &rubric, rows, col(STATUS), options)?;
        write_plans(s, &origin.actor, table, rows, &plans, options).and_then(logged)
    })
}

/// The judges' screen's rule for an entry (`JudgeSession::check_writable`), for paper sheets too: a
/// withdrawn entry gets no more scores, not even by import (the first such row is named). An entry
/// the current phase did not take is not among the entries the rows are checked against at all.
fn refuse_entries_out_of_play(s: &Store, rows: &[ImportRow]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for r in rows {
        let entry = r.score.entry.as_str();
        if !seen.insert(entry) {
            continue;
        }
        if let Some((_, reason)) = s.withdrawal(entry)? {
            return Err(crate::core::refusal::WorkspaceRefusal::EntryWithdrawn {
                row: r.row,
                entry: entry.to_string(),
                reason,
            }
            .into());
        }
    }
    Ok(())
}

/// A judge removed from the contest (`jury judge remove`) gets no more sheets, not even by import.
fn refuse_removed_judges(s: &Store, rows: &[ImportRow]) -> Result<()> {
    let removed = s.removed_judges()?;
    if removed.is_empty() {
        return Ok(());
    }
    if let Some(r) = rows.iter().find(|r| removed.contains_key(&r.score.judge)) {
        let reason = removed.get(&r.score.judge).map(String::as_str).unwrap_or_default();
        return Err(crate::core::refusal::WorkspaceRefusal::JudgeRemoved {
            row: r.row,
            judge: r.score.judge.clone(),
            reason: reason.to_string(),
        }
        .into());
    }
    Ok(())
}

/// [`import_scores_with`] on the file at `path`; also returns what the reader says about the
/// file (which sheet was read, hidden rows), to show.
pub fn import_scores_file(
    store: &Store,
    actor: &Actor,
    path: &Path,
    sheet: Option<&str>,
    options: &ScoreImportOptions,
) -> Result<(ScoreImport, Vec<crate::core::problems::ReadNote>)> {
    let rubric = store.rubric()?.clone();
    let form = match crate::import::read_score_file(path, sheet, &rubric)? {
        crate::import::ScoreFile::Long(table) => {
            let origin = Origin::file(ImportKind::Scores, path, Some(&table)).by(actor);
            let done = import_scores_from(store, &table, options, origin)?;
            return Ok((done, table.info.notes));
        }
        crate::import::ScoreFile::Form(form) => form,
    };
    // The paper form: the same use case on its boxes, read as long-format rows; every problem
    // is then placed on the form (worksheet, row, column). A form sheet counts as signed, as a
    // long-format row without a status does: complete sheets are stored as submitted.
    refuse_removed_form_judges(store, &form)?;
    let origin = Origin::file(ImportKind::Scores, path, Some(&form.table)).by(actor);
    let done = import_scores_from(store, &form.table, options, origin).map_err(|e| match e {
        crate::error::Error::Import(errors) => crate::error::Error::Import(form.locate(errors)),
        other => other,
    })?;
    Ok((done, form.table.info.notes.clone()))
}

/// A form sheet of a judge removed from the contest, refused at the sheet's judge cell (B2).
fn refuse_removed_form_judges(store: &Store, form: &crate::import::form::ScoreForm) -> Result<()> {
    let removed = store.read(|s| s.removed_judges())?;
    let mut problems = Vec::new();
    for sheet in form.sheets.iter() {
        if let Some(reason) = removed.get(crate::core::text::nfkc(&sheet.judge).as_ref()) {
            problems.push(crate::import::Located {
                place: Some(crate::import::Place::Text(format!(
                    "sheet \"{}\", row {}",
                    sheet.name,
                    crate::core::paper_form::JUDGE_ROW + 1
                ))),
                column: Some(crate::import::Column {
                    index: Some(crate::core::paper_form::VALUE_COL as usize),
                    label: format!("column B ({})", crate::core::paper_form::JUDGE_LABEL),
                }),
                problem: crate::import::Problem::JudgeRemoved {
                    judge: sheet.judge.clone(),
                    reason: reason.to_string(),
                },
            });
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(crate::import::ImportErrors {
        file: form.table.file.clone(),
        problems,
        more: 0,
    }
    .into())
}

/// What the rows are checked against: the entries, panels and assignments, locks, judges and
/// conflicts stored now.
fn read_facts(s: &Store) -> Result<Facts> {
    Ok(Facts {
        entries: s.entries()?.into_iter().map(|e| (e.id, e.group)).collect(),
        eligibility: s.eligibility()?,
        locks: s
            .locks()?
            .into_iter()
            .map(|l| Lock {
                group: l.group,
                round: l.round,
                reason: l.reason,
            })
            .collect(),
        judges: s.judges()?.into_iter().map(|j| j.id).collect(),
        conflicts: s
            .conflicts()?
            .into_iter()
            .map(|c| ((c.judge, c.entry), c.reason))
            .collect(),
    })
}

/// [`crate::import::scores::check_rows`], the rows as the store takes them.
fn check_rows(
    table: &Table,
    rubric: &crate::core::rubric::Rubric,
    known: &[Option<usize>],
    facts: &Facts,
) -> Result<Vec<ImportRow>> {
    Ok(crate::import::scores::check_rows(table, rubric, known, facts)?
        .into_iter()
        .map(|r| ImportRow {
            score: ScoreInput {
                judge: r.judge,
                entry: r.entry,
                round: r.round,
                criterion: r.criterion,
                value: r.value,
            },
            status: match r.status {
                RowStatus::Draft => SheetStatus::Draft,
                RowStatus::Submitted => SheetStatus::Submitted,
            },
            row: r.row,
        })
        .collect())
}

/// A row's sheet: (entry, round, judge).
fn key(r: &ImportRow) -> (&str, &str, &str) {
    (r.score.entry.as_str(), r.score.round.as_str(), r.score.judge.as_str())
}

/// One checked row of the file.
struct ImportRow {
    score: ScoreInput,
    status: SheetStatus,
    row: usize,
}

/// What the import does to one sheet (judge, entry, round). Rows are named by their index in
/// the sorted rows the plan was made from.
struct SheetPlan {
    /// The sheet's first row: its judge, entry and round.
    first: usize,
    /// The status stored now (`None`: no sheet yet) and the one the import leaves.
    before: Option<SheetStatus>,
    after: SheetStatus,
    /// Values that change: the row and the value stored before it.
    changes: Vec<(usize, Option<Points>)>,
    unchanged: usize,
}

/// Group the rows by sheet and decide each sheet's fate; refuse the file when a submitted sheet
/// would change without `--replace-submitted`, or a sheet would stay incomplete without `--partial`.
/// `all` are the rows sorted sheet by sheet, as [`check_rows`] returns them.
fn plan_sheets(
    s: &Store,
    table: &Table,
    rubric: &crate::core::rubric::Rubric,
    all: &[ImportRow],
    status_col: Option<usize>,
    options: &ScoreImportOptions,
) -> Result<Vec<SheetPlan>> {
    let mut problems = Problems::new(table);
    let mut signed: Vec<(usize, crate::core::problems::Problem)> = Vec::new();
    let mut plans = Vec::new();
    let mut start = 0;
    for rows in all.chunk_by(|a, b| key(a) == key(b)) {
        let base = start;
        start += rows.len();
        let first = &rows[0];
        let (entry, round_id, judge) = key(first);
        let name = format!("{judge} / {entry} / {round_id}");
        let wanted = first.status;
        if let Some(other) = rows.iter().find(|r| r.status != wanted) {
            problems.at(
                other.row,
                status_col,
                crate::core::problems::Problem::MixedStatus {
                    sheet: name,
                    here: other.status.as_str(),
                    there: wanted.as_str(),
                    first: first.row,
                },
            );
            continue;
        }
        let stored = s.stored_sheet(judge, entry, round_id)?;
        let before = stored.as_ref().map(|(status, _)| *status);
        let mut values: BTreeMap<&str, Points> = stored
            .as_ref()
            .map(|(_, v)| v.iter().map(|(c, p)| (c.as_str(), *p)).collect())
            .unwrap_or_default();
        let mut changes = Vec::with_capacity(rows.len());
        let mut unchanged = 0;
        for (i, r) in rows.iter().enumerate() {
            let old = values.insert(r.score.criterion.as_str(), r.score.value);
            if old == Some(r.score.value) {
                unchanged += 1;
            } else {
                changes.push((base + i, old));
            }
        }
        let missing: Vec<String> = rubric
            .round(round_id)
            .map(|round| {
                round
                    .criteria
                    .iter()
                    .filter(|c| !values.contains_key(c.id.as_str()))
                    .map(|c| format!("{} ({})", c.id, c.name))
                    .collect()
            })
            .unwrap_or_default();
        let after = if wanted == SheetStatus::Draft {
            SheetStatus::Draft
        } else if missing.is_empty() {
            SheetStatus::Submitted
        } else if options.partial {
            SheetStatus::Draft
        } else {
            problems.at(
                first.row,
                None,
                crate::core::problems::Problem::IncompleteSheet { sheet: name, missing },
            );
            continue;
        };
        if changes.is_empty() && before == Some(after) {
            plans.push(SheetPlan {
                first: base,
                before,
                after,
                changes,
                unchanged,
            });
            continue;
        }
        if before == Some(SheetStatus::Submitted) && options.replace_submitted.is_none() {
            let what: Vec<String> = changes
                .iter()
                .map(|(i, old)| {
                    let x = &all[*i].score;
                    format!(
                        "{} {} -> {}",
                        x.criterion,
                        old.map_or_else(|| "(none)".to_string(), |v| v.to_string()),
                        x.value
                    )
                })
                .collect();
            signed.push((
                first.row,
                crate::core::problems::Problem::SignedSheetChanged {
                    sheet: name,
                    changes: what,
                    to_draft: after != SheetStatus::Submitted,
                },
            ));
        }
        plans.push(SheetPlan {
            first: base,
            before,
            after,
            changes,
            unchanged,
        });
    }
    if !signed.is_empty() {
        problems.whole(crate::core::problems::Problem::SignedSheets { count: signed.len() });
        for (row, message) in signed {
            problems.at(row, None, message);
        }
    }
    problems.into_result()?;
    Ok(plans)
}

/// Write the planned sheets, each change with its audit row (src/store/audit_replay.rs replays
/// them: `import-score` leaves the sheet submitted, `import-draft-score` a draft, `reopen` and
/// `submit` change a status without a value).
fn write_plans(
    s: &Tx<'_>,
    actor: &Actor,
    table: &Table,
    rows: &[ImportRow],
    plans: &[SheetPlan],
    options: &ScoreImportOptions,
) -> Result<ScoreImport> {
    let mut done = ScoreImport::default();
    let import_reason = format!("import {}", table.file);
    let replace_reason = options
        .replace_submitted
        .as_deref()
        .map(|r| format!("{}; {import_reason}", r.trim()));
    for plan in plans {
        done.unchanged += plan.unchanged;
        if plan.after == SheetStatus::Draft && (plan.before != Some(SheetStatus::Draft) || !plan.changes.is_empty()) {
            done.drafts += 1;
        }
        if plan.changes.is_empty() && plan.before == Some(plan.after) {
            continue;
        }
        let replacing = plan.before == Some(SheetStatus::Submitted);
        let reason = match (&replace_reason, replacing) {
            (Some(r), true) => r.as_str(),
            _ => import_reason.as_str(),
        };
        if replacing {
            done.replaced += 1;
        }
        let head = &rows[plan.first].score;
        let (judge, entry, round) = (head.judge.as_str(), head.entry.as_str(), head.round.as_str());
        match plan.after {
            SheetStatus::Submitted => {
                if plan.changes.is_empty() {
                    // A draft the file completes with values already stored: submitted as is.
                    let total: Points = s
                        .stored_sheet(judge, entry, round)?
                        .map(|(_, v)| v.values().copied().sum())
                        .unwrap_or(Points::ZERO);
                    s.set_sheet_status(judge, entry, round, SheetStatus::Submitted)?;
                    s.audit(
                        actor,
                        &AuditEvent::Submit {
                            entry: entry.to_string(),
                            judge: judge.to_string(),
                            round: round.to_string(),
                            total,
                            reason: reason.to_string(),
                        },
                    )?;
                    done.status_changes += 1;
                    continue;
                }
                s.put_imported_scores(plan.changes.iter().map(|(i, _)| &rows[*i].score))?;
                // One row per score, so `audit verify` can replay every current value.
                for (i, old) in &plan.changes {
                    let x = &rows[*i].score;
                    s.audit(
                        actor,
                        &AuditEvent::ImportScore {
                            entry: x.entry.clone(),
                            judge: x.judge.clone(),
                            round: x.round.clone(),
                            criterion: x.criterion.clone(),
                            old: *old,
                            new: x.value,
                            reason: reason.to_string(),
                        },
                    )?;
                }
            }
            SheetStatus::Draft => {
                if replacing {
                    s.set_sheet_status(judge, entry, round, SheetStatus::Draft)?;
                    s.audit(
                        actor,
                        &AuditEvent::Reopen {
                            entry: entry.to_string(),
                            judge: judge.to_string(),
                            round: round.to_string(),
                            reason: reason.to_string(),
                        },
                    )?;
                    if plan.changes.is_empty() {
                        done.status_changes += 1;
                    }
                }
                for (i, old) in &plan.changes {
                    let x = &rows[*i].score;
                    s.put_draft_score(judge, entry, round, &x.criterion, Some(x.value))?;
                    s.audit(
                        actor,
                        &AuditEvent::ImportDraftScore {
                            entry: entry.to_string(),
                            judge: judge.to_string(),
                            round: round.to_string(),
                            criterion: x.criterion.clone(),
                            old: *old,
                            new: x.value,
                            reason: reason.to_string(),
                        },
                    )?;
                }
            }
        }
        done.changed += plan.changes.len();
    }
    if done.changed == 0 && done.status_changes == 0 {
        // The file holds what is stored: nothing to write, not even the summary row.
        return Ok(done);
    }
    s.audit(
        actor,
        &AuditEvent::ImportScores {
            file: table.file.to_string(),
            digest: file_digest(table).to_string(),
            changed: done.changed,
            reason: if done.replaced > 0 {
                replace_reason.clone().unwrap_or_default()
            } else {
                String::new()
            },
        },
    )?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
    use crate::app::judging::check_value;
    use crate::core::Points;
    use crate::import::read_table_bytes;
    use std::cell::RefCell;

    thread_local! {
        /// Run once between the check on a snapshot and the write (another process writing then).
        static BETWEEN: RefCell<Option<Box<dyn FnOnce()>>> = const { RefCell::new(None) };
    }

    pub(super) fn between_check_and_write() {
        if let Some(f) = BETWEEN.with(|b| b.borrow_mut().take()) {
            f();
        }
    }

    /// The demo judge's whole lesson sheet for JS001 (content, method, expression, effect).
    fn lesson_sheet(values: [&str; 4]) -> Table {
        let mut csv = String::from("judge,entry,round,criterion,score\n");
        for (c, v) in ["content", "method", "expression", "effect"].iter().zip(values) {
            csv.push_str(&format!("{DEMO_JUDGE},JS001,lesson,{c},{v}\n"));
        }
        read_table_bytes("scores.csv", csv.as_bytes(), None).unwrap()
    }

    fn stored_lesson(store: &Store) -> Vec<Option<Points>> {
        ["content", "method", "expression", "effect"]
            .iter()
            .map(|c| store.score(DEMO_JUDGE, "JS001", "lesson", c).unwrap())
            .collect()
    }

    #[test]
    fn a_file_with_a_problem_is_refused_at_once_while_another_process_holds_the_write_lock() {
        let (_dir, store) = demo();
        let other = rusqlite::Connection::open(store.path()).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let csv = format!("judge,entry,round,criterion,score\n{DEMO_JUDGE},JS001,lesson,content,31\n");
        let table = read_table_bytes("scores.csv", csv.as_bytes(), None).unwrap();
        let started = std::time::Instant::now();
        let err = import_scores(&store, &table).unwrap_err();
        let waited = started.elapsed();
        other.execute_batch("ROLLBACK").unwrap();
        let err = err.to_string();
        assert!(
            err.contains("row 2, column E (score): the score 31 is above the maximum 30"),
            "the file's own problem, not the lock: {err}"
        );
        assert!(
            waited < std::time::Duration::from_secs(1),
            "waited {waited:?} for the lock"
        );
        // A good file waits for the lock and is written once it is free.
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            other.execute_batch("ROLLBACK").unwrap();
        });
        let written = import_scores(&store, &lesson_sheet(["25", "26", "17", "18"]));
        release.join().unwrap();
        assert_eq!(written.unwrap(), 4);
        assert_eq!(stored_lesson(&store)[0], Some(Points::parse("25").unwrap()));
    }

    #[test]
    fn a_sheet_submitted_between_the_check_and_the_write_is_not_overwritten() {
        let (_dir, store) = demo();
        let path = store.path().to_path_buf();
        BETWEEN.with(|b| {
            *b.borrow_mut() = Some(Box::new(move || {
                let other = Store::open(&path).unwrap();
                let judge = crate::app::judging::JudgeSession::trusted(&other, DEMO_JUDGE).unwrap();
                for (c, v) in [
                    ("content", "20"),
                    ("method", "21"),
                    ("expression", "15"),
                    ("effect", "16"),
                ] {
                    judge.set_score("JS001", "lesson", c, v).unwrap();
                }
                judge.submit("JS001", "lesson").unwrap();
            }))
        });
        let err = import_scores(&store, &lesson_sheet(["25", "26", "17", "18"]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!(
                "{DEMO_JUDGE} / JS001 / lesson is submitted: content 20 -> 25, method 21 -> 26"
            )),
            "{err}"
        );
        let judges = ["20", "21", "15", "16"].map(|v| Some(Points::parse(v).unwrap()));
        assert_eq!(stored_lesson(&store), judges, "the judge's signed values stay");
    }

    #[test]
    fn a_lock_set_between_the_check_and_the_write_refuses_the_file() {
        let (_dir, store) = demo();
        let path = store.path().to_path_buf();
        BETWEEN.with(|b| {
            *b.borrow_mut() = Some(Box::new(move || {
                let other = rusqlite::Connection::open(&path).unwrap();
                other
                    .execute(
                        "INSERT INTO locks(grp, round, reason, locked_at) VALUES ('', 'lesson', '公布', 'now')",
                        [],
                    )
                    .unwrap();
            }))
        });
        let err = import_scores(&store, &lesson_sheet(["25", "26", "17", "18"]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/ lesson are locked (公布)"), "{err}");
        assert_eq!(stored_lesson(&store), [None; 4]);
    }

    #[test]
    fn a_draft_typed_between_the_check_and_the_write_is_planned_again() {
        let (_dir, store) = demo();
        let path = store.path().to_path_buf();
        BETWEEN.with(|b| {
            *b.borrow_mut() = Some(Box::new(move || {
                // The judge types the file's own value for one criterion meanwhile.
                let other = Store::open(&path).unwrap();
                let judge = crate::app::judging::JudgeSession::trusted(&other, DEMO_JUDGE).unwrap();
                judge.set_score("JS001", "lesson", "content", "25").unwrap();
            }))
        });
        let done = import_scores_with(
            &store,
            &lesson_sheet(["25", "26", "17", "18"]),
            &ScoreImportOptions::default(),
        )
        .unwrap();
        assert_eq!(
            (done.changed, done.unchanged),
            (3, 1),
            "planned against the judge's draft"
        );
        let file = ["25", "26", "17", "18"].map(|v| Some(Points::parse(v).unwrap()));
        assert_eq!(stored_lesson(&store), file);
        assert_eq!(
            store
                .stored_sheet(DEMO_JUDGE, "JS001", "lesson")
                .unwrap()
                .map(|(s, _)| s),
            Some(SheetStatus::Submitted)
        );
    }

    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        (dir, Store::open(&path).unwrap())
    }

    /// Import one score cell for the demo judge on JS001 / lesson / content (max 30, step 0.5).
    fn import_cell(store: &Store, cell: &str) -> std::result::Result<Points, String> {
        let csv = format!("judge,entry,round,criterion,score\n{DEMO_JUDGE},JS001,lesson,content,\"{cell}\"\n");
        let table = read_table_bytes("scores.csv", csv.as_bytes(), None).map_err(|e| e.to_string())?;
        // One criterion of the sheet: stored as a draft, as the screen stores a single value.
        let partial = ScoreImportOptions {
            partial: true,
            ..ScoreImportOptions::default()
        };
        import_scores_with(store, &table, &partial).map_err(|e| e.to_string())?;
        Ok(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap().unwrap())
    }

    #[test]
    fn a_withdrawn_entry_takes_no_scores_by_import_either() {
        let (_dir, store) = demo();
        crate::app::corrections::withdraw_entry(
            &store,
            &Actor::Organiser,
            "JS001",
            crate::core::withdrawal::WithdrawalKind::Withdrawn,
            "选手弃权",
        )
        .unwrap();
        let before = store.data_version().unwrap();
        let err = import_scores(&store, &lesson_sheet(["25", "26", "17", "18"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "row 2: JS001 was withdrawn from the contest (选手弃权) and takes no more scores (jury entry restore \
             brings it back). Nothing was imported"
        );
        assert_eq!(stored_lesson(&store), [None; 4]);
        assert_eq!(store.data_version().unwrap(), before);
        // Restored, it takes them.
        crate::app::corrections::restore_entry(&store, &Actor::Organiser, "JS001", "误操作").unwrap();
        import_scores(&store, &lesson_sheet(["25", "26", "17", "18"])).unwrap();
        assert!(stored_lesson(&store).iter().all(Option::is_some));
    }

    #[test]
    fn an_entry_the_current_phase_did_not_take_takes_no_scores_by_import() {
        let (_dir, store) = demo();
        // Only JS002 goes on to the final.
        crate::app::organiser::shortlist_set(
            &store,
            &Actor::Organiser,
            &["JS002".to_string()],
            crate::core::shortlist::Status::Shortlisted,
            None,
        )
        .unwrap();
        crate::app::phases::start(&store, &Actor::Organiser, "决赛", "入围", None).unwrap();
        let err = import_scores(&store, &lesson_sheet(["25", "26", "17", "18"])).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("scores.csv: row 2, column B (entry): unknown entry \"JS001\""),
            "{err}"
        );
        assert_eq!(stored_lesson(&store), [None; 4]);
    }

    #[test]
    fn a_decimal_comma_is_refused_with_its_row_and_column() {
        let (_dir, store) = demo();
        let err = import_cell(&store, "2,5").unwrap_err();
        assert!(
            err.contains("row 2, column E (score): the score \"2,5\" is not a number (use . for the decimal point)"),
            "{err}"
        );
        assert_eq!(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(), None);
    }

    #[test]
    fn the_importer_accepts_exactly_what_the_judges_screen_accepts() {
        let (_dir, store) = demo();
        let rubric = store.rubric().unwrap().clone();
        let criterion = rubric.round("lesson").unwrap().criterion("content").unwrap();
        for text in [
            "25",
            "25.5",
            "0",
            ".5",
            "19.",
            "２５．５",
            "２５。５",
            "2,5",
            "8,5",
            "1 5",
            "50%",
            "1,000",
            "+3",
            "-1",
            "30.5",
            "18.25",
            "1.2.3",
            "abc",
            "1e1",
            "1.00001",
        ] {
            let screen = check_value(&rubric, criterion, text);
            let file = import_cell(&store, text);
            match (&screen, &file) {
                (Ok(Some(a)), Ok(b)) => assert_eq!(a, b, "{text:?}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{text:?}: the screen says {screen:?}, the importer {file:?}"),
            }
            // A file cell may have spaces around the number: the same outcome.
            match (import_cell(&store, &format!("  {text} ")), &file) {
                (Ok(a), Ok(b)) => assert_eq!(&a, b, "{text:?}"),
                (Err(_), Err(_)) => {}
                (spaced, _) => panic!("{text:?} with spaces: {spaced:?}, without {file:?}"),
            }
        }
    }
}
