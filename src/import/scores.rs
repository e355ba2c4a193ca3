//! Importing typed-in paper score sheets in the long format `judge,entry,round,criterion,score`.

use std::collections::{HashMap, HashSet};

use super::table::{ImportErrors, Problems, Table};
use super::{Field, accepted_headers, file_digest, map_columns};
use crate::core::scoring::{ScoreError, check_score, parse_score_cell};
use crate::error::Result;
use crate::store::{Actor, ScoreInput, Store};

const JUDGE: usize = 0;
const ENTRY: usize = 1;
const ROUND: usize = 2;
const CRITERION: usize = 3;
const SCORE: usize = 4;

const FIELDS: &[Field] = &[
    Field {
        key: "judge",
        aliases: &["评委", "评委编号"],
    },
    Field {
        key: "entry",
        aliases: &["编号", "作品", "选手", "案例编号", "选手编号", "id"],
    },
    Field {
        key: "round",
        aliases: &["轮次", "环节", "比赛环节"],
    },
    Field {
        key: "criterion",
        aliases: &["评分项", "指标", "评分指标", "评分项目"],
    },
    Field {
        key: "score",
        aliases: &["分数", "得分", "评分"],
    },
];

/// Check every score and store them in one transaction. Returns how many were stored.
/// A later import of the same judge/entry/criterion replaces the earlier value.
pub fn import_scores(store: &Store, table: &Table) -> Result<usize> {
    let rubric = store.rubric()?.clone();
    let columns = map_columns(table, FIELDS)?;
    let col = |f: usize| columns.known[f];
    let missing: Vec<&str> = FIELDS
        .iter()
        .enumerate()
        .filter(|(i, _)| col(*i).is_none())
        .map(|(_, f)| f.key)
        .collect();
    if !missing.is_empty() {
        return Err(ImportErrors::whole_file(
            &table.file,
            format!(
                "lacks the column(s) {}; the long format is judge,entry,round,criterion,score (accepted headers: {})",
                missing.join(", "),
                accepted_headers(FIELDS)
            ),
        )
        .into());
    }
    if table.rows.is_empty() {
        return Err(ImportErrors::whole_file(&table.file, "has a header but no scores below it").into());
    }

    // A paper-sheet import can hold millions of scores, each with its audit row: with SQLite's
    // default 2 MB cache the indexes' pages are read back again and again.
    let _cache = store.larger_cache(256 * 1024)?;
    store.write(|s| {
        let entries: HashMap<String, Option<String>> = s.entries()?.into_iter().map(|e| (e.id, e.group)).collect();
        let eligibility = s.eligibility()?;
        let locks = s.locks()?;
        let judges: HashSet<String> = s.judges()?.into_iter().map(|j| j.id).collect();
        let conflicts: HashMap<(String, String), String> = s
            .conflicts()?
            .into_iter()
            .map(|c| ((c.judge, c.entry), c.reason))
            .collect();
        let mut problems = Problems::new(table);
        let mut seen: HashMap<(String, String, String, String), usize> = HashMap::new();
        let mut scores = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let cell = |f: usize| -> &str { col(f).and_then(|c| row.cells.get(c)).map_or("", String::as_str) };
            let n = row.number;
            let mut ok = true;
            for f in [JUDGE, ENTRY] {
                if let Some(problem) = crate::text::id_problem(cell(f)) {
                    problems.at(n, col(f), problem);
                    ok = false;
                }
            }
            if !ok {
                continue;
            }
            // Ids are compared in NFKC, as they were stored.
            let (judge_nfkc, entry_nfkc) = (crate::text::nfkc(cell(JUDGE)), crate::text::nfkc(cell(ENTRY)));
            let (judge, entry): (&str, &str) = (&judge_nfkc, &entry_nfkc);
            if !judges.contains(judge) {
                problems.at(
                    n,
                    col(JUDGE),
                    format!("unknown judge \"{judge}\"; import the judges first"),
                );
                ok = false;
            }
            let group = entries.get(entry).cloned().flatten();
            if !entries.contains_key(entry) {
                problems.at(n, col(ENTRY), format!("unknown entry \"{entry}\""));
                ok = false;
            }
            let Some(round) = rubric.round(cell(ROUND)) else {
                let known: Vec<String> = rubric.rounds.iter().map(|r| format!("{} ({})", r.id, r.name)).collect();
                problems.at(
                    n,
                    col(ROUND),
                    format!(
                        "unknown round \"{}\"; the rounds are: {}",
                        cell(ROUND),
                        known.join(", ")
                    ),
                );
                continue;
            };
            let Some(criterion) = round.criterion(cell(CRITERION)) else {
                let known: Vec<String> = round
                    .criteria
                    .iter()
                    .map(|c| format!("{} ({})", c.id, c.name))
                    .collect();
                problems.at(
                    n,
                    col(CRITERION),
                    format!(
                        "unknown criterion \"{}\" in round {}; its criteria are: {}",
                        cell(CRITERION),
                        round.id,
                        known.join(", ")
                    ),
                );
                continue;
            };
            // The same rule as the judges' screen (src/core/scoring.rs), with spaces around the
            // number trimmed; then the criterion's bounds.
            let checked = parse_score_cell(cell(SCORE)).and_then(|v| check_score(v, criterion.max, rubric.step));
            let value = match checked {
                Ok(v) => Some(v),
                Err(ScoreError::Negative(value)) => {
                    problems.at(n, col(SCORE), format!("the score {value} is below 0"));
                    None
                }
                Err(ScoreError::OverMax { value, max }) => {
                    problems.at(
                        n,
                        col(SCORE),
                        format!(
                            "the score {value} is above the maximum {max} of {} ({})",
                            criterion.id, criterion.name
                        ),
                    );
                    None
                }
                Err(ScoreError::OffStep { value, step }) => {
                    problems.at(
                        n,
                        col(SCORE),
                        format!("the score {value} is not a multiple of the step {step}"),
                    );
                    None
                }
                Err(ScoreError::Empty) => {
                    problems.at(
                        n,
                        col(SCORE),
                        "the score is empty; every row needs one, a number like 18 or 18.5",
                    );
                    None
                }
                Err(e) => {
                    problems.at(
                        n,
                        col(SCORE),
                        format!("the score {e}; a number like 18 or 18.5 is expected"),
                    );
                    continue;
                }
            };
            ok &= value.is_some();
            if let Some(reason) = conflicts.get(&(judge.to_string(), entry.to_string())) {
                problems.at(
                    n,
                    col(JUDGE),
                    format!("judge {judge} has a conflict of interest with {entry} ({reason}) and may not score it"),
                );
                ok = false;
            }
            if ok && !eligibility.allows(judge, entry, group.as_deref()) {
                problems.at(
                    n,
                    col(JUDGE),
                    format!("judge {judge} is not assigned to {entry}; the organiser assigns reviewers (jury assign)"),
                );
                ok = false;
            }
            if let Some(lock) = locks.iter().find(|l| {
                l.group.as_deref().is_none_or(|g| Some(g) == group.as_deref())
                    && l.round.as_deref().is_none_or(|r| r == round.id)
            }) {
                problems.at(
                    n,
                    col(ROUND),
                    format!(
                        "the results for {} / {} are locked ({}); the organiser must unlock them first",
                        group.as_deref().unwrap_or("*"),
                        round.id,
                        lock.reason
                    ),
                );
                ok = false;
            }
            let key = (
                judge.to_string(),
                entry.to_string(),
                round.id.clone(),
                criterion.id.clone(),
            );
            if let Some(first) = seen.insert(key, n) {
                problems.at(
                    n,
                    col(SCORE),
                    format!(
                        "a second score for {judge}/{entry}/{}/{} in this file (first at row {first}); keep one",
                        round.id, criterion.id
                    ),
                );
                ok = false;
            }
            if ok && let Some(value) = value {
                scores.push(ScoreInput {
                    judge: judge.to_string(),
                    entry: entry.to_string(),
                    round: round.id.clone(),
                    criterion: criterion.id.clone(),
                    value,
                });
            }
        }
        problems.into_result()?;
        scores.sort_by(|a, b| (&a.entry, &a.round, &a.judge).cmp(&(&b.entry, &b.round, &b.judge)));
        let old_values = scores
            .iter()
            .map(|x| s.score(&x.judge, &x.entry, &x.round, &x.criterion))
            .collect::<Result<Vec<_>>>()?;
        s.put_imported_scores(&scores)?;
        // One row per score, so `audit verify` can replay every current value (src/store/audit_replay.rs).
        let reason = format!("import {}", table.file);
        for (x, old) in scores.iter().zip(&old_values) {
            s.audit_append(
                &Actor::Cli,
                "import-score",
                Some(&x.entry),
                Some(&x.judge),
                &format!("{}/{}", x.round, x.criterion),
                old.map(|v| v.to_string()).as_deref(),
                Some(&x.value.to_string()),
                &reason,
            )?;
        }
        s.audit_append(
            &Actor::Cli,
            "import-scores",
            None,
            None,
            &format!("{} (content {})", table.file, file_digest(table)),
            None,
            Some(&scores.len().to_string()),
            "",
        )?;
        Ok(scores.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Points;
    use crate::demo::{DEMO_JUDGE, create_demo_workspace};
    use crate::import::read_table_bytes;
    use crate::judging::check_value;

    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        (dir, Store::open(&path).unwrap())
    }

    /// Import one score cell for the demo judge on JS001 / lesson / content (max 30, step 0.5).
    fn import_cell(store: &Store, cell: &str) -> std::result::Result<Points, String> {
        let csv = format!("judge,entry,round,criterion,score\n{DEMO_JUDGE},JS001,lesson,content,\"{cell}\"\n");
        let table = read_table_bytes("scores.csv", csv.as_bytes(), None).map_err(|e| e.to_string())?;
        import_scores(store, &table).map_err(|e| e.to_string())?;
        Ok(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap().unwrap())
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
