//! `jury import entries 案例/` and `jury import entries 汇总表.xlsx --documents 案例/`: cases
//! submitted as Word documents. `crate::import::documents` walks the folder, reads and splits the
//! documents and makes the rows; here they are matched against the workspace (ids taken, the
//! sources stored, `--update`, `--force`) and written with each entry's source file and SHA-256,
//! all in one transaction with the import's audit rows. A refused import leaves the workspace as
//! it was; every problem names its document (or the summary's row).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::import::documents::{self, FolderProblems, ReadDoc};
use crate::import::table::{Column, ImportErrors, Place, Table};
use crate::store::{Actor, AuditEvent, EntrySource, Store};

/// What to import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentImportOptions {
    /// The folder of .docx documents.
    pub folder: PathBuf,
    /// A summary sheet (CSV or XLSX) giving each document's metadata; without one the metadata
    /// comes from the documents.
    pub summary: Option<PathBuf>,
    /// For XLSX: the summary's sheet.
    pub sheet: Option<String>,
    /// Ids for documents whose file name has none: this and a three-digit number.
    pub id_prefix: String,
    /// Replace the entries of changed documents (unchanged ones are left alone).
    pub update: bool,
    /// With `update`: replace an entry that already has submitted sheets (audited).
    pub force: bool,
}

/// What a documents import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentImport {
    pub added: usize,
    pub updated: usize,
    /// Documents whose entry is stored with the same SHA-256 (with `--update`): not rewritten.
    pub unchanged: usize,
    /// Entries replaced although sheets were submitted for them (`--force`), with their count.
    pub forced: Vec<(String, usize)>,
    pub notes: Vec<crate::core::problems::ReadNote>,
}

/// Told how far reading the documents has come (a progress bar on the command line).
pub trait Progress: Sync {
    fn start(&self, _total: usize) {}
    fn read_one(&self) {}
    fn finish(&self) {}
}

impl Progress for () {}

/// Import a folder of documents, with or without a summary sheet.
pub fn import_documents(
    store: &Store,
    actor: &Actor,
    options: &DocumentImportOptions,
    progress: &dyn Progress,
) -> Result<DocumentImport> {
    store.rubric()?;
    let folder = options.folder.display().to_string();
    let folder = folder.trim_end_matches(['/', '\\']).to_string();
    let files = documents::walk(&options.folder)?;
    progress.start(files.len());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let read = documents::read_all(&folder, files, threads, &|| progress.read_one());
    progress.finish();
    let docs = read?;
    let (stored_ids, sources) = store.read(|s| Ok((s.entry_ids()?, s.entry_sources()?)))?;

    // The rows, and which document each row is.
    let (table, row_docs, by_file) = match &options.summary {
        Some(path) => {
            let summary = crate::import::read_table(path, options.sheet.as_deref())?;
            let (table, docs_of_rows) = documents::summary_table(&summary, &docs)?;
            (table, docs_of_rows, false)
        }
        None => {
            let reuse: HashMap<String, String> = if options.update {
                sources.iter().map(|(id, s)| (s.file.clone(), id.clone())).collect()
            } else {
                HashMap::new()
            };
            let prefix = if options.id_prefix.is_empty() {
                "DOC"
            } else {
                &options.id_prefix
            };
            let table = documents::folder_table(&folder, &docs, prefix, &stored_ids, &reuse);
            (table, (0..docs.len()).collect(), true)
        }
    };
    let id_col = table
        .headers
        .iter()
        .position(|h| {
            let h = crate::core::header::normalise(h);
            crate::import::entries::FIELDS[0].key == h
                || crate::import::entries::FIELDS[0]
                    .aliases
                    .iter()
                    .any(|a| crate::core::header::normalise(a) == h)
        })
        .unwrap_or(0);
    let id_of = |row: &crate::import::table::TableRow| {
        crate::core::text::nfkc(row.cells.get(id_col).map_or("", |c| c.trim())).into_owned()
    };

    // With --update: unchanged documents are left alone; changed ones with submitted sheets need --force.
    let mut problems = FolderProblems::new(&folder);
    let mut keep = Vec::with_capacity(table.rows.len());
    let mut unchanged = 0;
    let mut forced = Vec::new();
    for (row, &d) in table.rows.iter().zip(&row_docs) {
        let doc = &docs[d];
        let id = id_of(row);
        if options.update && stored_ids.contains(&id) {
            if sources.get(&id).is_some_and(|s| s.sha256 == doc.sha256) {
                unchanged += 1;
                continue;
            }
            let submitted = store.read(|s| s.submitted_sheets_of(&id))?;
            if submitted > 0 {
                if options.force {
                    forced.push((id.clone(), submitted));
                } else {
                    problems.doc(
                        &doc.file.rel,
                        crate::core::problems::Problem::DocumentChangedSubmitted {
                            id: id.clone(),
                            submitted,
                        },
                    );
                }
            }
        }
        keep.push((row.clone(), d));
    }
    problems.into_result()?;
    let notes = table.info.notes.clone();
    if keep.is_empty() {
        return Ok(DocumentImport {
            unchanged,
            notes,
            ..DocumentImport::default()
        });
    }
    let (rows, kept_docs): (Vec<_>, Vec<usize>) = keep.into_iter().unzip();
    let table = Table { rows, ..table };
    let writes: Vec<(String, &ReadDoc)> = table
        .rows
        .iter()
        .zip(&kept_docs)
        .map(|(r, &d)| (id_of(r), &docs[d]))
        .collect();
    let origin = super::log::Origin {
        kind: crate::core::import_log::ImportKind::Documents,
        sha256: super::log::sha256_documents(writes.iter().map(|(_, d)| (d.file.rel.as_str(), d.sha256.as_str()))),
        actor: actor.clone(),
    };
    let done = super::entries::import_entries_then(store, &table, options.update, origin, |tx| {
        for (id, doc) in &writes {
            tx.put_entry_source(
                id,
                &EntrySource {
                    file: doc.file.rel.clone(),
                    sha256: doc.sha256.clone(),
                },
            )?;
        }
        for (id, submitted) in &forced {
            let doc = writes.iter().find(|(i, _)| i == id).map(|(_, d)| *d);
            tx.audit(
                actor,
                &AuditEvent::EntryTextReplaced {
                    entry: id.clone(),
                    file: doc.map(|d| d.file.rel.clone()).unwrap_or_default(),
                    sha256: doc.map(|d| d.sha256.clone()).unwrap_or_default(),
                    submitted: *submitted,
                },
            )?;
        }
        Ok(())
    });
    let done = match done {
        Err(Error::Import(e)) if by_file => return Err(name_documents(e, &table, &kept_docs, &docs).into()),
        other => other?,
    };
    Ok(DocumentImport {
        added: done.added,
        updated: done.updated,
        unchanged,
        forced,
        notes,
    })
}

/// The checker's problems name rows of the table made from the documents: name the documents
/// instead (`学校/案例.docx, group: ...`).
fn name_documents(mut e: ImportErrors, table: &Table, kept: &[usize], docs: &[ReadDoc]) -> ImportErrors {
    if e.file != table.file {
        return e;
    }
    for p in &mut e.problems {
        if let Some(Place::Row(n)) = p.place
            && let Some(i) = table.rows.iter().position(|r| r.number == n)
            && let Some(&d) = kept.get(i)
        {
            p.place = Some(Place::Text(docs[d].file.rel.clone()));
        }
        if let Some(col) = &mut p.column {
            let label = col
                .index
                .and_then(|c| table.headers.get(c))
                .cloned()
                .unwrap_or_default();
            *col = Column {
                index: col.index,
                label,
            };
        }
    }
    e
}

/// Whether `path` names a folder (a documents import) rather than a file.
pub fn is_folder(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_dir())
}
