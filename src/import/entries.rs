//! Importing entries (cases or contestants).

use std::collections::HashMap;

use super::table::{ImportErrors, Problems, Table};
use super::{Field, accepted_headers, file_digest, map_columns};
use crate::core::Entry;
use crate::core::rubric::Section;
use crate::error::Result;
use crate::store::{Actor, Store};

const ID: usize = 0;
const TITLE: usize = 1;
const GROUP: usize = 2;
const ORGANIZATION: usize = 3;
const COUNTY: usize = 4;
const SUBMITTER: usize = 5;
const NAME: usize = 6;
const SUBMITTER_TYPE: usize = 7;
const PERSPECTIVE: usize = 8;
const ORDER: usize = 9;
const BACKGROUND: usize = 10;

pub(crate) const FIELDS: &[Field] = &[
    Field {
        key: "id",
        aliases: &["编号", "案例编号", "选手编号", "作品编号", "entry"],
    },
    Field {
        key: "title",
        aliases: &["标题", "案例名称", "案例标题", "题目", "作品名称", "故事题目"],
    },
    Field {
        key: "group",
        aliases: &["组别", "类别", "主题类别", "主题", "topic", "category"],
    },
    Field {
        key: "organization",
        aliases: &["单位", "工作单位", "申报单位", "所在单位", "organisation", "org"],
    },
    Field {
        key: "county",
        aliases: &["县市区", "县(市,区)", "县(市区)", "地区", "区县"],
    },
    Field {
        key: "submitter",
        aliases: &["申报人", "作者", "报送人"],
    },
    Field {
        key: "name",
        aliases: &["姓名", "选手姓名", "选手"],
    },
    Field {
        key: "submitter_type",
        aliases: &["申报主体", "主体类型", "submittertype"],
    },
    Field {
        key: "perspective",
        aliases: &["角度", "视角"],
    },
    Field {
        key: "order",
        aliases: &["出场顺序", "顺序", "出场序号", "running_order"],
    },
    Field {
        key: "background",
        aliases: &["背景介绍", "背景"],
    },
    Field {
        key: "problem",
        aliases: &["问题描述", "问题"],
    },
    Field {
        key: "strategy",
        aliases: &["解决策略", "策略"],
    },
    Field {
        key: "outcome",
        aliases: &["结果评估", "结果", "成效"],
    },
];

/// What an entries import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryImport {
    pub added: usize,
    pub updated: usize,
}

/// Check every row of `table` and, if all is well, store the entries in one transaction.
/// With `update`, ids already stored are replaced; without it they are errors.
pub fn import_entries(store: &Store, table: &Table, update: bool) -> Result<EntryImport> {
    let rubric = store.rubric()?.clone();
    let columns = map_columns(table, FIELDS)?;
    let col = |f: usize| columns.known[f];
    if col(ID).is_none() {
        return Err(ImportErrors::whole_file(
            &table.file,
            format!(
                "has no id column (编号); the header row must name the columns. Accepted headers: {}",
                accepted_headers(FIELDS)
            ),
        )
        .into());
    }
    if col(TITLE).is_none() && col(NAME).is_none() {
        return Err(ImportErrors::whole_file(&table.file, "needs a title (标题) or a name (姓名) column").into());
    }
    if table.rows.is_empty() {
        return Err(ImportErrors::whole_file(&table.file, "has a header but no entries below it").into());
    }

    // The file's digest (a SHA-256 over every cell, ~0.3 s for 100k cases) is computed on another
    // thread while the rows are checked and written.
    std::thread::scope(|scope| {
        let digest = scope.spawn(|| file_digest(table));
        write_entries(store, table, &columns, &rubric, update, digest)
    })
}

fn write_entries(
    store: &Store,
    table: &Table,
    columns: &super::ColumnMap,
    rubric: &crate::core::rubric::Rubric,
    update: bool,
    digest: std::thread::ScopedJoinHandle<'_, String>,
) -> Result<EntryImport> {
    let col = |f: usize| columns.known[f];
    store.write(|s| {
        let stored = s.entry_ids()?;
        let mut problems = Problems::new(table);
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut entries = Vec::with_capacity(table.rows.len());
        let (mut added, mut updated) = (0, 0);
        for row in &table.rows {
            let cell = |f: usize| -> &str { col(f).and_then(|c| row.cells.get(c)).map_or("", String::as_str) };
            let id = cell(ID);
            if id.is_empty() {
                problems.at(row.number, col(ID), "the id (编号) is empty; every entry needs one");
                continue;
            }
            if let Some(first) = seen.insert(id.to_string(), row.number) {
                problems.at(
                    row.number,
                    col(ID),
                    format!(
                        "the id \"{id}\" appears twice in this file (first at {} {first})",
                        table.row_word()
                    ),
                );
                continue;
            }
            if stored.contains(id) {
                if update {
                    updated += 1;
                } else {
                    problems.at(
                        row.number,
                        col(ID),
                        format!("the id \"{id}\" is already in the workspace; use --update to replace stored entries"),
                    );
                    continue;
                }
            } else {
                added += 1;
            }
            let group = cell(GROUP);
            if !group.is_empty() && !rubric.has_group(group) {
                problems.at(
                    row.number,
                    col(GROUP),
                    format!(
                        "unknown group \"{group}\"; the contest's groups are: {}",
                        rubric.groups.join(", ")
                    ),
                );
            }
            if cell(TITLE).is_empty() && cell(NAME).is_empty() {
                let c = col(TITLE).or(col(NAME));
                problems.at(row.number, c, "the entry has neither a title (标题) nor a name (姓名)");
            }
            let order = match cell(ORDER) {
                "" => None,
                text => match text.parse::<i64>() {
                    Ok(n) if n >= 1 => Some(n),
                    _ => {
                        problems.at(
                            row.number,
                            col(ORDER),
                            format!("the running order \"{text}\" must be a whole number from 1 up"),
                        );
                        None
                    }
                },
            };
            let mut entry = Entry {
                id: id.to_string(),
                group: (!group.is_empty()).then(|| group.to_string()),
                title: cell(TITLE).to_string(),
                name: cell(NAME).to_string(),
                organization: cell(ORGANIZATION).to_string(),
                county: cell(COUNTY).to_string(),
                submitter: cell(SUBMITTER).to_string(),
                submitter_type: cell(SUBMITTER_TYPE).to_string(),
                perspective: cell(PERSPECTIVE).to_string(),
                order,
                ..Entry::default()
            };
            for (i, section) in Section::ALL.iter().enumerate() {
                // Multi-line sections keep their paragraphs; CRLF from Excel becomes LF.
                *entry.sections.get_mut(*section) = cell(BACKGROUND + i).replace("\r\n", "\n");
            }
            for &c in &columns.unknown {
                let value = row.cells.get(c).map_or("", String::as_str);
                if !value.is_empty() {
                    entry
                        .extra
                        .insert(table.headers[c].trim().to_string(), value.to_string());
                }
            }
            entries.push(entry);
        }
        problems.into_result()?;
        s.put_entries(&entries)?;
        s.audit_append(
            &Actor::Cli,
            "import-entries",
            None,
            None,
            &format!(
                "{} (content {}): {added} added, {updated} updated",
                table.file,
                digest.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            ),
            None,
            Some(&entries.len().to_string()),
            "",
        )?;
        Ok(EntryImport { added, updated })
    })
}
