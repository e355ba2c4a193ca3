//! Importing judges. PINs are stored only as salted argon2 hashes.

use std::collections::HashMap;

use super::table::{ImportErrors, Problems, Table};
use super::{Field, accepted_headers, file_digest, map_columns};
use crate::core::Judge;
use crate::error::Result;
use crate::secret::hash_secret;
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

/// Check every row and store the judges (new or replaced) in one transaction. Returns how many.
pub fn import_judges(store: &Store, table: &Table) -> Result<usize> {
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
    let mut problems = Problems::new(table);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut judges = Vec::new();
    for row in &table.rows {
        let cell = |f: usize| -> &str { col(f).and_then(|c| row.cells.get(c)).map_or("", String::as_str) };
        if let Some(problem) = crate::text::id_problem(cell(ID)) {
            problems.at(row.number, col(ID), problem);
            continue;
        }
        let id_nfkc = crate::text::nfkc(cell(ID));
        let id: &str = &id_nfkc;
        if id.is_empty() {
            problems.at(row.number, col(ID), "the id (编号) is empty");
            continue;
        }
        if let Some(first) = seen.insert(id.to_string(), row.number) {
            problems.at(
                row.number,
                col(ID),
                format!("the id \"{id}\" appears twice (first at row {first})"),
            );
            continue;
        }
        if cell(NAME).is_empty() {
            problems.at(row.number, col(NAME), "the name (姓名) is empty");
        }
        let pin = cell(PIN);
        if pin.chars().count() < 4 || pin.chars().any(char::is_whitespace) {
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
            pin.to_string(),
        ));
    }
    problems.into_result()?;
    // Hash before the transaction: argon2 is deliberately slow and the write lock is shared.
    let hashed = judges
        .into_iter()
        .map(|(j, pin)| hash_secret(&pin).map(|h| (j, h)))
        .collect::<Result<Vec<_>>>()?;
    store.write(|s| {
        s.put_judges(&hashed)?;
        s.audit_append(
            &Actor::Cli,
            "import-judges",
            None,
            None,
            &format!("{} (content {})", table.file, file_digest(table)),
            None,
            Some(&hashed.len().to_string()),
            "",
        )?;
        Ok(hashed.len())
    })
}
