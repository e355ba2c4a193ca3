//! A folder of .docx case submissions, file -> rows: the walk (subfolders included; lock files,
//! hidden files, `.DS_Store` and `__MACOSX/` skipped; .doc, .wps and .pdf refused), each document
//! read and split ([`super::docx`]), and the rows an entries import checks: from the documents
//! alone, or from a summary sheet (汇总表) matched to them. No store here: the caller passes the
//! ids and sources already stored.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::docx::{Case, read_case, refused_by_extension, sha256_hex};
use super::table::{ImportErrors, Located, MAX_LISTED_PROBLEMS, Place, Problem, SourceKind, Table, TableRow};
use crate::core::header::normalise as normalise_header;
use crate::core::text::nfkc;

/// Most documents in one folder import.
pub const MAX_DOCUMENTS: usize = 100_000;
/// Deepest subfolder walked.
const MAX_DEPTH: usize = 16;

/// A document found in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFile {
    pub path: PathBuf,
    /// The path inside the folder, `/`-separated: the entry's source.
    pub rel: String,
}

impl DocFile {
    /// The file's own name, without its folders.
    pub fn name(&self) -> &str {
        self.rel.rsplit('/').next().unwrap_or(&self.rel)
    }
}

/// A document read: its case and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadDoc {
    pub file: DocFile,
    pub sha256: String,
    pub case: Case,
}

/// Collects problems for a folder import: each names its document (or the summary's row).
pub struct FolderProblems {
    file: String,
    list: Vec<Located>,
    more: usize,
}

impl FolderProblems {
    pub fn new(file: &str) -> Self {
        FolderProblems {
            file: file.to_string(),
            list: Vec::new(),
            more: 0,
        }
    }

    pub fn at(&mut self, place: Place, problem: impl Into<Problem>) {
        if self.list.len() >= MAX_LISTED_PROBLEMS {
            self.more += 1;
        } else {
            self.list.push(Located {
                place: Some(place),
                column: None,
                problem: problem.into(),
            });
        }
    }

    pub fn doc(&mut self, rel: &str, problem: impl Into<Problem>) {
        self.at(Place::Text(rel.to_string()), problem);
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && self.more == 0
    }

    pub fn into_result(self) -> Result<(), ImportErrors> {
        if self.is_empty() {
            return Ok(());
        }
        Err(ImportErrors {
            file: self.file,
            problems: self.list,
            more: self.more,
        })
    }
}

/// Whether a file or folder is skipped without a word.
fn skipped(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name == "__MACOSX"
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

/// Every .docx under `dir`, in the order of their paths compared character by character. Refused
/// files (.doc, .wps, .pdf, ...) are problems; other files are left alone.
pub fn walk(dir: &Path) -> Result<Vec<DocFile>, ImportErrors> {
    let folder = dir.display().to_string();
    let mut problems = FolderProblems::new(&folder);
    let mut found = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new(), 0usize)];
    while let Some((path, rel, depth)) = stack.pop() {
        let entries = std::fs::read_dir(&path)
            .map_err(|e| ImportErrors::whole_file(&folder, Problem::FolderUnreadable { error: e.to_string() }))?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                ImportErrors::whole_file(
                    &folder,
                    crate::core::problems::Problem::CannotRead { error: e.to_string() },
                )
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if skipped(&name) {
                continue;
            }
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            // Links are not followed: a link to a parent folder would never end.
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                if depth + 1 < MAX_DEPTH {
                    stack.push((entry.path(), child_rel, depth + 1));
                }
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            if name.to_lowercase().ends_with(".docx") {
                if found.len() >= MAX_DOCUMENTS {
                    return Err(ImportErrors::whole_file(
                        &folder,
                        Problem::TooManyDocuments { most: MAX_DOCUMENTS },
                    ));
                }
                found.push(DocFile {
                    path: entry.path(),
                    rel: child_rel,
                });
            } else if let Some(refusal) = refused_by_extension(&name) {
                problems.doc(&child_rel, refusal);
            }
        }
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    if found.is_empty() && problems.is_empty() {
        return Err(ImportErrors::whole_file(&folder, Problem::NoDocuments));
    }
    problems.into_result()?;
    Ok(found)
}

/// Read every document (on up to `threads` threads), in the order given. Problems name their
/// document; `progress` is called once per document read.
pub fn read_all(
    folder: &str,
    files: Vec<DocFile>,
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<ReadDoc>, ImportErrors> {
    let read_one = |file: &DocFile| -> Result<ReadDoc, Problem> {
        let meta = std::fs::metadata(&file.path).map_err(|e| Problem::CannotRead { error: e.to_string() })?;
        if meta.len() > super::docx::MAX_DOCX_BYTES {
            return Err(Problem::DocumentTooBig {
                mb: meta.len() / (1024 * 1024),
                most_mb: super::docx::MAX_DOCX_BYTES / (1024 * 1024),
            });
        }
        let bytes = std::fs::read(&file.path).map_err(|e| Problem::CannotRead { error: e.to_string() })?;
        let case = read_case(&bytes)?;
        progress();
        Ok(ReadDoc {
            file: file.clone(),
            sha256: sha256_hex(&bytes),
            case,
        })
    };
    let threads = threads.clamp(1, 8);
    let chunk = files.len().div_ceil(threads).max(1);
    let results: Vec<Result<ReadDoc, Problem>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(read_one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|_| vec![Err(Problem::ReaderStopped)]))
            .collect()
    });
    let mut problems = FolderProblems::new(folder);
    let mut docs = Vec::with_capacity(files.len());
    for (file, result) in files.iter().zip(results) {
        match result {
            Ok(doc) => docs.push(doc),
            Err(e) => problems.doc(&file.rel, e),
        }
    }
    problems.into_result()?;
    Ok(docs)
}

/// The id at the start of a file name: letters then digits, followed by `-`, `_`, a space or
/// `.` (`AL20250001-家庭会议.docx`); full-width forms count as their ASCII ones.
pub fn id_in_name(name: &str) -> Option<String> {
    let name = nfkc(name);
    let letters = name.bytes().take_while(u8::is_ascii_alphabetic).count();
    let digits = name[letters..].bytes().take_while(u8::is_ascii_digit).count();
    if letters == 0 || digits == 0 {
        return None;
    }
    let end = letters + digits;
    matches!(name.as_bytes().get(end), Some(b'-' | b'_' | b' ' | b'.')).then(|| name[..end].to_string())
}

/// The columns of the rows made here, as the entries importer reads them.
pub const HEADERS: [&str; 10] = [
    "id",
    "title",
    "group",
    "organization",
    "county",
    "submitter",
    "background",
    "problem",
    "strategy",
    "outcome",
];

/// Rows from the documents alone: the id from the file name, else `prefix` and a three-digit
/// number (skipping ids in `taken`); `reuse` gives the id already stored for a source, kept on
/// `--update`. Row `i + 2` is document `i` (the table's "header" is row 1).
pub fn folder_table(
    folder: &str,
    docs: &[ReadDoc],
    prefix: &str,
    taken: &HashSet<String>,
    reuse: &HashMap<String, String>,
) -> Table {
    let mut used: HashSet<String> = taken.clone();
    let ids_in_names: Vec<Option<String>> = docs.iter().map(|d| id_in_name(d.file.name())).collect();
    used.extend(ids_in_names.iter().flatten().cloned());
    let mut next = 1usize;
    let mut rows = Vec::with_capacity(docs.len());
    for (i, (doc, named)) in docs.iter().zip(&ids_in_names).enumerate() {
        let id = match (named, reuse.get(&doc.file.rel)) {
            (Some(id), _) => id.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => loop {
                let id = format!("{prefix}{next:03}");
                next += 1;
                if !used.contains(&id) {
                    used.insert(id.clone());
                    break id;
                }
            },
        };
        let c = &doc.case;
        let mut cells = vec![
            id,
            c.title.clone(),
            c.group.clone(),
            c.organization.clone(),
            c.county.clone(),
            c.submitter.clone(),
        ];
        cells.extend(c.parts.iter().cloned());
        rows.push(TableRow { number: i + 2, cells });
    }
    Table {
        file: folder.to_string(),
        kind: SourceKind::Csv,
        headers: HEADERS.iter().map(|h| h.to_string()).collect(),
        rows,
        info: Default::default(),
    }
}

fn cell(row: &TableRow, col: Option<usize>) -> &str {
    col.and_then(|c| row.cells.get(c)).map_or("", |s| s.trim())
}

/// Headers that name a summary's document column.
const FILE_HEADERS: [&str; 4] = ["file", "文件", "文件名", "附件"];

fn fold_name(name: &str) -> String {
    nfkc(name).trim().to_lowercase()
}

/// Match each row of the summary to one document: by its `file` column (the file's name or its
/// path in the folder), else a file name starting with the row's id, else one containing the
/// first eight characters of its title and its organisation. The table returned is the summary
/// with the file column taken out and the four parts from the documents; `sources[i]` is the
/// document of its row `i`.
pub fn summary_table(summary: &Table, docs: &[ReadDoc]) -> Result<(Table, Vec<usize>), ImportErrors> {
    let folded: Vec<String> = summary.headers.iter().map(|h| normalise_header(h)).collect();
    let find = |names: &[&str]| {
        folded
            .iter()
            .position(|h| names.iter().any(|n| normalise_header(n) == *h))
    };
    let file_col = find(&FILE_HEADERS);
    let fields = super::entries::FIELDS;
    let alias = |key: &str| -> Vec<&str> {
        fields
            .iter()
            .filter(|f| f.key == key)
            .flat_map(|f| std::iter::once(f.key).chain(f.aliases.iter().copied()))
            .collect()
    };
    let id_col = find(&alias("id"));
    let title_col = find(&alias("title"));
    let org_col = find(&alias("organization"));
    let section_cols: Vec<usize> = ["background", "problem", "strategy", "outcome"]
        .iter()
        .filter_map(|k| find(&alias(k)))
        .collect();
    let mut problems = super::table::Problems::new(summary);
    let names: Vec<String> = docs.iter().map(|d| fold_name(d.file.name())).collect();
    let rels: Vec<String> = docs.iter().map(|d| fold_name(&d.file.rel)).collect();
    let mut matched: Vec<Option<usize>> = Vec::with_capacity(summary.rows.len());
    for row in &summary.rows {
        let named = cell(row, file_col);
        let candidates: Vec<usize> = if !named.is_empty() {
            let want = fold_name(named);
            let want_docx = if want.ends_with(".docx") {
                want.clone()
            } else {
                format!("{want}.docx")
            };
            (0..docs.len())
                .filter(|&i| [&want, &want_docx].iter().any(|w| names[i] == **w || rels[i] == **w))
                .collect()
        } else {
            let id = fold_name(cell(row, id_col));
            let by_id: Vec<usize> = (0..docs.len())
                .filter(|&i| !id.is_empty() && names[i].starts_with(&id))
                .collect();
            if !by_id.is_empty() {
                by_id
            } else {
                let title: String = fold_name(cell(row, title_col)).chars().take(8).collect();
                let org = fold_name(cell(row, org_col));
                (0..docs.len())
                    .filter(|&i| {
                        !title.is_empty() && !org.is_empty() && names[i].contains(&title) && names[i].contains(&org)
                    })
                    .collect()
            }
        };
        match candidates.as_slice() {
            [one] => matched.push(Some(*one)),
            [] => {
                problems.at(
                    row.number,
                    file_col,
                    Problem::NoDocumentForRow {
                        named: named.to_string(),
                    },
                );
                matched.push(None);
            }
            many => {
                let listed: Vec<String> = many.iter().map(|&i| docs[i].file.rel.clone()).collect();
                problems.at(row.number, file_col, Problem::SeveralDocuments { listed });
                matched.push(None);
            }
        }
    }
    // A document matched by two rows, or by none.
    let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); docs.len()];
    for (row, m) in summary.rows.iter().zip(&matched) {
        if let Some(i) = m {
            rows_of[*i].push(row.number);
        }
    }
    for (i, rows) in rows_of.iter().enumerate() {
        match rows.len() {
            0 => problems.whole(Problem::DocumentMatchesNoRow {
                document: docs[i].file.rel.clone(),
            }),
            1 => {}
            _ => problems.whole(Problem::DocumentMatchesRows {
                document: docs[i].file.rel.clone(),
                rows: rows.clone(),
            }),
        }
    }
    problems.into_result()?;
    let keep: Vec<usize> = (0..summary.headers.len())
        .filter(|c| Some(*c) != file_col && !section_cols.contains(c))
        .collect();
    let mut headers: Vec<String> = keep.iter().map(|&c| summary.headers[c].clone()).collect();
    headers.extend(HEADERS[6..].iter().map(|h| h.to_string()));
    let mut sources = Vec::with_capacity(summary.rows.len());
    let rows = summary
        .rows
        .iter()
        .zip(&matched)
        .map(|(row, m)| {
            let i = m.unwrap_or(0);
            sources.push(i);
            let mut cells: Vec<String> = keep
                .iter()
                .map(|&c| row.cells.get(c).cloned().unwrap_or_default())
                .collect();
            cells.extend(docs[i].case.parts.iter().cloned());
            TableRow {
                number: row.number,
                cells,
            }
        })
        .collect();
    Ok((
        Table {
            file: summary.file.clone(),
            kind: summary.kind,
            headers,
            rows,
            info: summary.info.clone(),
        },
        sources,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_file_names() {
        assert_eq!(id_in_name("AL20250001-家庭会议.docx").as_deref(), Some("AL20250001"));
        assert_eq!(id_in_name("AL20250001_x.docx").as_deref(), Some("AL20250001"));
        assert_eq!(id_in_name("AL20250001 x.docx").as_deref(), Some("AL20250001"));
        assert_eq!(id_in_name("AL20250001.docx").as_deref(), Some("AL20250001"));
        assert_eq!(
            id_in_name("ＡＬ２０２５０００１－家庭.docx").as_deref(),
            Some("AL20250001")
        );
        assert_eq!(id_in_name("宜丰县第二小学-降低.docx"), None);
        assert_eq!(id_in_name("AL-1.docx"), None);
        assert_eq!(id_in_name("2025001-x.docx"), None);
        assert_eq!(id_in_name("AL2025x.docx"), None);
    }

    fn doc(rel: &str, title: &str) -> ReadDoc {
        ReadDoc {
            file: DocFile {
                path: PathBuf::from(rel),
                rel: rel.to_string(),
            },
            sha256: String::new(),
            case: Case {
                title: title.to_string(),
                parts: ["甲".into(), "乙".into(), "丙".into(), "丁".into()],
                ..Case::default()
            },
        }
    }

    fn summary(text: &str) -> Table {
        crate::import::read_table_bytes("汇总表.csv", text.as_bytes(), None).unwrap()
    }

    #[test]
    fn summary_rows_find_their_documents_by_file_id_or_title_and_organisation() {
        let docs = [
            doc("一校/AL001-倾听.docx", "倾听"),
            doc("二校/某某小学-家庭会议里的倾听艺术.docx", "家庭会议"),
            doc("三校/c.docx", "c"),
        ];
        let t = summary(
            "id,title,organization,file\nAL001,倾听,一校,\nAL002,家庭会议里的倾听艺术与实践,某某小学,\nAL003,c,三校,三校/c\n",
        );
        let (table, sources) = summary_table(&t, &docs).unwrap();
        assert_eq!(sources, [0, 1, 2]);
        assert_eq!(
            table.headers,
            [
                "id",
                "title",
                "organization",
                "background",
                "problem",
                "strategy",
                "outcome"
            ]
        );
        assert_eq!(table.rows[1].cells[3], "甲");
    }

    #[test]
    fn a_row_without_a_document_and_a_document_of_two_rows_are_named() {
        let docs = [doc("AL001-a.docx", "a"), doc("AL002-b.docx", "b")];
        let t = summary("id,title,file\nAL001,a,AL001-a.docx\nAL009,x,\nAL003,y,AL001-a.docx\n");
        let e = summary_table(&t, &docs).unwrap_err().to_string();
        assert!(
            e.contains("汇总表.csv: row 3, column C (file): no document for this row"),
            "{e}"
        );
        assert!(
            e.contains("the document AL001-a.docx matches several rows: row 2, row 4"),
            "{e}"
        );
        assert!(
            e.contains("the document AL002-b.docx matches no row of the summary"),
            "{e}"
        );
        let t = summary("id,title\nAL00,a\n");
        let e = summary_table(&t, &docs).unwrap_err().to_string();
        assert!(
            e.contains("several documents fit this row: AL001-a.docx, AL002-b.docx"),
            "{e}"
        );
    }

    #[test]
    fn numbered_ids_follow_the_paths_and_skip_stored_ones() {
        let docs = [doc("b.docx", "b"), doc("AL7-x.docx", "x"), doc("a.docx", "a")];
        let taken: HashSet<String> = ["AL001".to_string()].into();
        let reuse = HashMap::from([("a.docx".to_string(), "AL050".to_string())]);
        let t = folder_table("案例", &docs, "AL", &taken, &HashMap::new());
        let ids: Vec<&str> = t.rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(ids, ["AL002", "AL7", "AL003"]);
        let t = folder_table("案例", &docs, "AL", &taken, &reuse);
        let ids: Vec<&str> = t.rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(ids, ["AL002", "AL7", "AL050"]);
    }

    #[test]
    fn the_walk_skips_lock_and_hidden_files_and_refuses_old_formats() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("学校乙")).unwrap();
        std::fs::create_dir_all(d.join("__MACOSX")).unwrap();
        for f in [
            "b.docx",
            "学校乙/a.docx",
            "~$b.docx",
            ".hidden.docx",
            ".DS_Store",
            "__MACOSX/._b.docx",
            "汇总表.xlsx",
        ] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let found: Vec<String> = walk(d).unwrap().into_iter().map(|f| f.rel).collect();
        assert_eq!(found, ["b.docx", "学校乙/a.docx"]);
        std::fs::write(d.join("学校乙/old.doc"), b"x").unwrap();
        std::fs::write(d.join("scan.pdf"), b"x").unwrap();
        let e = walk(d).unwrap_err().to_string();
        assert!(e.contains("scan.pdf: is a PDF; 请转换为 .docx"), "{e}");
        assert!(
            e.contains("学校乙/old.doc: is a Word 97-2003 document (.doc); 请另存为 .docx 后再导入"),
            "{e}"
        );
    }
}
