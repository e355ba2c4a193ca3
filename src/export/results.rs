//! `jury export results`: the ranked results as print-ready HTML, XLSX, CSV or Markdown.
//!
//! Every format is made from one [`Snapshot`](super::snapshot::Snapshot); a new format (e.g. the
//! list of selected cases) adds a renderer file and a match arm, nothing else.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::store::Store;

use super::fingerprint::Fingerprint;
use super::output::{default_file_name, write_to};
use super::snapshot::{SnapshotOptions, take_snapshot};

#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultsFormat {
    /// Print-ready HTML (A4, a page per group, signature lines).
    Html,
    /// A spreadsheet: a sheet per group plus every judge's scores (评分明细).
    Xlsx,
    /// UTF-8 CSV with a BOM (Excel on Chinese Windows), one row per entry.
    Csv,
    /// Markdown tables aligned by display width.
    Md,
}

impl ResultsFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ResultsFormat::Html => "html",
            ResultsFormat::Xlsx => "xlsx",
            ResultsFormat::Csv => "csv",
            ResultsFormat::Md => "md",
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub fingerprint: Fingerprint,
    pub groups: usize,
    pub entries: usize,
}

/// Write the results to `out`, or to `results-<contest>[-<group>]-<date>.<ext>` in the current
/// folder. Refused when the workspace fails `PRAGMA integrity_check`.
///
/// A CSV file has no place for the fingerprint that every consumer would ignore (a comment line
/// breaks the header row, an extra column pollutes the data), so the default CSV name carries it:
/// `results-<contest>-<date>-JURY2-….csv`; with `--out` it is only reported.
pub fn export_results(
    store: &Store,
    format: ResultsFormat,
    group: Option<&str>,
    out: Option<&Path>,
    force: bool,
) -> Result<Written> {
    store.integrity_check()?;
    let snapshot = take_snapshot(store, group, SnapshotOptions::default())?;
    let bytes = match format {
        ResultsFormat::Html => super::html::results_html(&snapshot).into_bytes(),
        ResultsFormat::Xlsx => super::xlsx::results_xlsx(&snapshot)?,
        ResultsFormat::Csv => super::csv::tally_csv(&snapshot.rubric, &snapshot.tally),
        ResultsFormat::Md => super::markdown::results_markdown(&snapshot).into_bytes(),
    };
    let path = write_to(
        out,
        force,
        || {
            let mut name = snapshot.tally.contest.clone();
            if let Some(g) = group {
                name.push('-');
                name.push_str(g);
            }
            let mut date = snapshot.date.clone();
            if format == ResultsFormat::Csv {
                date.push('-');
                date.push_str(&snapshot.fingerprint.to_string());
            }
            PathBuf::from(default_file_name("results", &name, &date, format.extension()))
        },
        &bytes,
    )?;
    Ok(Written {
        path,
        fingerprint: snapshot.fingerprint.clone(),
        groups: snapshot.tally.groups.len(),
        entries: snapshot.tally.groups.iter().map(|g| g.entries.len()).sum(),
    })
}
