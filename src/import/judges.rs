//! Checking a judges file: each row becomes a [`Judge`] and the PIN typed for it. Hashing the
//! PINs and storing the judges is `crate::app::import`'s part.

use std::collections::{HashMap, HashSet};

use super::table::{ImportErrors, Problem, Problems, Table};
use super::{Field, accepted_headers, map_columns};
use crate::core::Judge;

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

/// A checked row of a judges file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgeRow {
    pub judge: Judge,
    /// The row of the file, for messages.
    pub row: usize,
    /// The PIN typed in the file; `None`: empty for a stored judge, who keeps the stored one.
    pub pin: Option<String>,
}

/// The judges of a file, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedJudges {
    pub rows: Vec<JudgeRow>,
    /// The organisation column, to name in messages about conflicts.
    pub organization_column: Option<usize>,
}

/// Check every row of `table`. `stored` are the ids of the judges stored now: one of them is
/// refused unless `update`, and may then leave its PIN empty to keep the stored one.
pub fn check_judges(table: &Table, stored: &HashSet<String>, update: bool) -> Result<CheckedJudges, ImportErrors> {
    let columns = map_columns(table, FIELDS)?;
    let col = |f: usize| columns.known[f];
    use crate::core::problems::Needed;
    for (f, what) in [(ID, Needed::Id), (NAME, Needed::Name), (PIN, Needed::Pin)] {
        if col(f).is_none() {
            return Err(ImportErrors::whole_file(
                &table.file,
                Problem::MissingColumn {
                    what,
                    accepted: accepted_headers(FIELDS),
                },
            ));
        }
    }
    if table.rows.is_empty() {
        return Err(ImportErrors::whole_file(
            &table.file,
            crate::core::problems::Problem::NothingBelowHeader {
                what: crate::core::problems::Rows::Judges,
            },
        ));
    }
    let mut problems = Problems::new(table);
    let mut seen: HashMap<String, (usize, String)> = HashMap::new();
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
            problems.at(row.number, col(ID), crate::core::problems::Problem::EmptyJudgeId);
            continue;
        }
        if crate::core::entry::is_reserved_judge_id(id) {
            problems.at(row.number, col(ID), Problem::ReservedJudgeId { id: id.to_string() });
            continue;
        }
        // Judges log in without regard to case: ids that differ only in case are one id.
        if let Some((first, other)) = seen.insert(id.to_lowercase(), (row.number, id.to_string())) {
            if other == id {
                problems.at(
                    row.number,
                    col(ID),
                    Problem::DuplicateJudge {
                        id: id.to_string(),
                        first,
                    },
                );
            } else {
                problems.at(
                    row.number,
                    col(ID),
                    Problem::JudgeIdCase {
                        id: id.to_string(),
                        other,
                        first,
                    },
                );
            }
            continue;
        }
        let known = stored.contains(id);
        if !known && let Some(other) = stored.iter().find(|s| crate::core::entry::same_judge_id(s, id)) {
            problems.at(
                row.number,
                col(ID),
                Problem::StoredJudgeIdCase {
                    id: id.to_string(),
                    other: other.clone(),
                },
            );
            continue;
        }
        if known && !update {
            problems.at(row.number, col(ID), Problem::JudgeStored { id: id.to_string() });
            continue;
        }
        if cell(NAME).is_empty() {
            problems.at(row.number, col(NAME), crate::core::problems::Problem::EmptyName);
        }
        let pin = cell(PIN);
        let keep_pin = known && pin.is_empty();
        if !keep_pin && (pin.chars().count() < 4 || pin.chars().any(char::is_whitespace)) {
            problems.at(row.number, col(PIN), Problem::BadPin);
            continue;
        }
        judges.push(JudgeRow {
            judge: Judge {
                id: id.to_string(),
                name: cell(NAME).to_string(),
                organization: cell(ORGANIZATION).to_string(),
                county: cell(COUNTY).to_string(),
            },
            row: row.number,
            pin: (!keep_pin).then(|| pin.to_string()),
        });
    }
    problems.into_result()?;
    Ok(CheckedJudges {
        rows: judges,
        organization_column: col(ORGANIZATION),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read_table_bytes;

    #[test]
    fn a_judges_file_is_checked_from_its_bytes_alone() {
        let csv = "id,name,pin\nJ1,王老师,1234\nJ2,,12\nJ1,李老师,5678\n";
        let table = read_table_bytes("judges.csv", csv.as_bytes(), None).unwrap();
        let err = check_judges(&table, &HashSet::new(), false).unwrap_err();
        let problems: Vec<(Option<usize>, Option<usize>, &Problem)> = err
            .problems
            .iter()
            .map(|p| {
                (
                    p.place.as_ref().and_then(|p| p.row()),
                    p.column.as_ref().and_then(|c| c.index),
                    &p.problem,
                )
            })
            .collect();
        assert_eq!(problems.len(), 3, "{err}");
        assert_eq!(problems[0].0, Some(3));
        assert_eq!(problems[0].1, Some(1), "the empty name");
        assert_eq!(
            problems[2],
            (
                Some(4),
                Some(0),
                &Problem::DuplicateJudge {
                    id: "J1".into(),
                    first: 2
                }
            )
        );
        let good = read_table_bytes("judges.csv", b"id,name,pin\nJ1,A,1234\nJ2,B,\n", None).unwrap();
        let stored: HashSet<String> = ["J2".to_string()].into();
        let checked = check_judges(&good, &stored, true).unwrap();
        assert_eq!(checked.rows[0].pin.as_deref(), Some("1234"));
        assert_eq!(checked.rows[1].pin, None, "a stored judge keeps the stored PIN");
        let err = check_judges(&good, &stored, false).unwrap_err();
        assert_eq!(err.problems[0].problem, Problem::JudgeStored { id: "J2".into() });
    }
}
