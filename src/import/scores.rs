//! Checking typed-in paper score sheets in the long format `judge,entry,round,criterion,score`:
//! each row against the rubric and what the workspace holds ([`Facts`]). Planning the sheets and
//! storing them is `crate::app::import`'s part.

use std::collections::{HashMap, HashSet};

use super::table::{ImportErrors, Problem, Problems, Table};
use super::{Field, accepted_headers, map_columns};
use crate::core::Points;
use crate::core::scoring::{ScoreError, check_score, parse_score_cell};

const JUDGE: usize = 0;
const ENTRY: usize = 1;
const ROUND: usize = 2;
const CRITERION: usize = 3;
const SCORE: usize = 4;
/// Optional: `draft` or `submitted` (what `jury export scores` writes); empty means submitted.
pub const STATUS: usize = 5;

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
    Field {
        key: "status",
        aliases: &["状态", "评分表状态"],
    },
];

/// Where each column of a score file is (`None`: absent; only the status may be), by the
/// constants above.
pub fn score_columns(table: &Table) -> Result<Vec<Option<usize>>, ImportErrors> {
    let columns = map_columns(table, FIELDS)?;
    let col = |f: usize| columns.known[f];
    let missing: Vec<&'static str> = FIELDS
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != STATUS && col(*i).is_none())
        .map(|(_, f)| f.key)
        .collect();
    if !missing.is_empty() {
        return Err(ImportErrors::whole_file(
            &table.file,
            Problem::MissingColumns {
                missing,
                accepted: accepted_headers(FIELDS),
            },
        ));
    }
    if table.rows.is_empty() {
        return Err(ImportErrors::whole_file(
            &table.file,
            crate::core::problems::Problem::NothingBelowHeader {
                what: crate::core::problems::Rows::Scores,
            },
        ));
    }
    Ok(columns.known)
}

/// What a score file's rows are checked against, besides the rubric: what the workspace holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Entry id -> its group.
    pub entries: HashMap<String, Option<String>>,
    pub eligibility: crate::core::assign::Eligibility,
    pub locks: Vec<Lock>,
    pub judges: HashSet<String>,
    /// (judge, entry) -> the conflict's reason.
    pub conflicts: HashMap<(String, String), String>,
}

/// Results made final: for a group and/or a round (`None`: every one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    pub group: Option<String>,
    pub round: Option<String>,
    pub reason: String,
}

/// Check every row of the file against the rubric and `facts`; the rows come back sorted sheet
/// by sheet (a stable sort: a sheet's rows keep the file's order).
pub fn check_rows(
    table: &Table,
    rubric: &crate::core::rubric::Rubric,
    known: &[Option<usize>],
    facts: &Facts,
) -> Result<Vec<ScoreRow>, ImportErrors> {
    let col = |f: usize| known[f];
    let Facts {
        entries,
        eligibility,
        locks,
        judges,
        conflicts,
    } = facts;
    let mut problems = Problems::new(table);
    let mut seen: HashMap<(String, String, String, String), usize> = HashMap::new();
    let mut scores = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let cell = |f: usize| -> &str { col(f).and_then(|c| row.cells.get(c)).map_or("", String::as_str) };
        let n = row.number;
        let mut ok = true;
        for f in [JUDGE, ENTRY] {
            if let Some(problem) = crate::core::text::id_problem(cell(f)) {
                problems.at(n, col(f), problem);
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        // Ids are compared in NFKC, as they were stored.
        let (judge_nfkc, entry_nfkc) = (
            crate::core::text::nfkc(cell(JUDGE)),
            crate::core::text::nfkc(cell(ENTRY)),
        );
        let (judge, entry): (&str, &str) = (&judge_nfkc, &entry_nfkc);
        if !judges.contains(judge) {
            problems.at(
                n,
                col(JUDGE),
                Problem::UnknownJudge {
                    judge: judge.to_string(),
                },
            );
            ok = false;
        }
        let group = entries.get(entry).cloned().flatten();
        if !entries.contains_key(entry) {
            problems.at(
                n,
                col(ENTRY),
                Problem::UnknownEntry {
                    entry: entry.to_string(),
                },
            );
            ok = false;
        }
        let Some(round) = rubric.round(cell(ROUND)) else {
            let known: Vec<String> = rubric.rounds.iter().map(|r| format!("{} ({})", r.id, r.name)).collect();
            problems.at(
                n,
                col(ROUND),
                Problem::UnknownRound {
                    round: cell(ROUND).to_string(),
                    known,
                },
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
                Problem::UnknownCriterion {
                    criterion: cell(CRITERION).to_string(),
                    round: round.id.clone(),
                    known,
                },
            );
            continue;
        };
        // The same rule as the judges' screen (src/core/scoring.rs), with spaces around the
        // number trimmed; then the criterion's bounds.
        let checked = parse_score_cell(cell(SCORE)).and_then(|v| check_score(v, criterion.max, rubric.step));
        let value = match checked {
            Ok(v) => Some(v),
            Err(ScoreError::Negative(value)) => {
                problems.at(n, col(SCORE), Problem::BelowZero { value });
                None
            }
            Err(ScoreError::OverMax { value, max }) => {
                problems.at(
                    n,
                    col(SCORE),
                    Problem::OverMax {
                        value,
                        max,
                        criterion: criterion.id.clone(),
                        name: criterion.name.clone(),
                    },
                );
                None
            }
            Err(ScoreError::OffStep { value, step }) => {
                problems.at(n, col(SCORE), Problem::OffStep { value, step });
                None
            }
            Err(ScoreError::Empty) => {
                problems.at(n, col(SCORE), Problem::EmptyScore);
                None
            }
            Err(error) => {
                problems.at(
                    n,
                    col(SCORE),
                    Problem::NotANumber {
                        text: cell(SCORE).to_string(),
                        error,
                    },
                );
                continue;
            }
        };
        ok &= value.is_some();
        if let Some(reason) = conflicts.get(&(judge.to_string(), entry.to_string())) {
            problems.at(
                n,
                col(JUDGE),
                Problem::Conflict {
                    judge: judge.to_string(),
                    entry: entry.to_string(),
                    reason: reason.clone(),
                },
            );
            ok = false;
        }
        if ok && !eligibility.allows(judge, entry, group.as_deref()) {
            problems.at(
                n,
                col(JUDGE),
                Problem::NotAssigned {
                    judge: judge.to_string(),
                    entry: entry.to_string(),
                },
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
                Problem::Locked {
                    group: group.clone(),
                    round: round.id.clone(),
                    reason: lock.reason.clone(),
                },
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
                Problem::DuplicateScore {
                    judge: judge.to_string(),
                    entry: entry.to_string(),
                    round: round.id.clone(),
                    criterion: criterion.id.clone(),
                    first,
                },
            );
            ok = false;
        }
        let status = match row_status(cell(STATUS)) {
            Ok(status) => status,
            Err(message) => {
                problems.at(n, col(STATUS), message);
                ok = false;
                RowStatus::Submitted
            }
        };
        if ok && let Some(value) = value {
            scores.push(ScoreRow {
                judge: judge.to_string(),
                entry: entry.to_string(),
                round: round.id.clone(),
                criterion: criterion.id.clone(),
                value,
                status,
                row: n,
            });
        }
    }
    problems.into_result()?;
    scores.sort_by(|a, b| key(a).cmp(&key(b)));
    Ok(scores)
}

/// A row's sheet: (entry, round, judge).
fn key(r: &ScoreRow) -> (&str, &str, &str) {
    (r.entry.as_str(), r.round.as_str(), r.judge.as_str())
}

/// One checked row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRow {
    pub judge: String,
    pub entry: String,
    pub round: String,
    pub criterion: String,
    pub value: Points,
    pub status: RowStatus,
    /// The row of the file, for messages.
    pub row: usize,
}

/// What the file says a row's sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    Draft,
    Submitted,
}

/// The `status` cell: empty (a paper sheet, signed) or what `jury export scores` writes.
fn row_status(text: &str) -> std::result::Result<RowStatus, Problem> {
    match text.trim().to_lowercase().as_str() {
        "" | "submitted" | "已提交" => Ok(RowStatus::Submitted),
        "draft" | "草稿" => Ok(RowStatus::Draft),
        other => Err(Problem::BadStatus {
            status: other.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::template_source;
    use crate::import::read_table_bytes;

    /// A bad score cell is a typed problem with its row and column, from the bytes and the rubric
    /// alone: no workspace.
    #[test]
    fn a_bad_score_cell_is_a_typed_problem_with_its_row_and_column() {
        let (file, source) = template_source("competition").unwrap();
        let rubric = crate::core::rubric::parse_rubric(file, source).unwrap();
        let facts = Facts {
            entries: [("JS001".to_string(), None)].into(),
            judges: ["J01".to_string()].into(),
            ..Facts::default()
        };
        let csv = "judge,entry,round,criterion,score\nJ01,JS001,lesson,method,\"2,5\"\nJ01,JS002,lesson,content,31\n\
                   J01,JS001,lesson,expression,18\n";
        let table = read_table_bytes("scores.csv", csv.as_bytes(), None).unwrap();
        let columns = score_columns(&table).unwrap();
        let err = check_rows(&table, &rubric, &columns, &facts).unwrap_err();
        let first = &err.problems[0];
        assert_eq!(first.place.as_ref().and_then(|p| p.row()), Some(2));
        assert_eq!(first.column.as_ref().and_then(|c| c.index), Some(4));
        assert!(
            matches!(&first.problem, Problem::NotANumber { text, .. } if text == "2,5"),
            "{:?}",
            first.problem
        );
        assert_eq!(err.problems[1].problem, Problem::UnknownEntry { entry: "JS002".into() });
        assert!(matches!(err.problems[2].problem, Problem::OverMax { ref criterion, .. } if criterion == "content"));
        assert!(
            err.to_string().starts_with(
                "scores.csv: row 2, column E (score): the score \"2,5\" is not a number (use . for the decimal \
                 point); a number like 18 or 18.5 is expected\n"
            ),
            "{err}"
        );
        // The good row alone: a typed row.
        let good = read_table_bytes(
            "scores.csv",
            b"judge,entry,round,criterion,score\nJ01,JS001,lesson,expression,18\n",
            None,
        )
        .unwrap();
        let rows = check_rows(&good, &rubric, &score_columns(&good).unwrap(), &facts).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].criterion.as_str(), rows[0].value, rows[0].status, rows[0].row),
            ("expression", Points::parse("18").unwrap(), RowStatus::Submitted, 2)
        );
    }
}
