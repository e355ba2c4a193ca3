//! Each judge's score sheet (评分表): which entries go on which judge's page, and their bytes.

use std::collections::HashSet;

use crate::core::Judge;
use crate::core::tally::{EntryResult, GroupTally};
use crate::error::Result;

use super::output::default_file_name;
use super::snapshot::Snapshot;

/// The formats a score sheet can be printed in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SheetsFormat {
    Html,
    Xlsx,
}

impl SheetsFormat {
    pub fn extension(self) -> &'static str {
        match self {
            SheetsFormat::Html => "html",
            SheetsFormat::Xlsx => "xlsx",
        }
    }
}

/// One judge's sheet for one group: the entries of that group they submitted scores for.
pub struct SheetPage<'a> {
    pub judge: &'a Judge,
    pub group: &'a GroupTally,
    /// In running order, then by id.
    pub entries: Vec<&'a EntryResult>,
}

/// The pages of every judge (or only `judge`), judge by judge, groups in rubric order. Judges
/// and groups without a submitted score get no page.
pub fn sheet_pages<'a>(snapshot: &'a Snapshot, judge: Option<&str>) -> Result<Vec<SheetPage<'a>>> {
    if let Some(id) = judge
        && !snapshot.judges.iter().any(|j| j.id == id)
    {
        return Err(crate::core::organiser::OrganiserRefusal::UnknownJudge { judge: id.to_string() }.into());
    }
    let scored: HashSet<(&str, &str)> = snapshot
        .scores
        .iter()
        .map(|s| (s.judge.as_str(), s.entry.as_str()))
        .collect();
    let mut pages = Vec::new();
    for j in snapshot.judges.iter().filter(|j| judge.is_none_or(|id| j.id == id)) {
        for group in &snapshot.tally.groups {
            let mut entries: Vec<&EntryResult> = group
                .entries
                .iter()
                .filter(|e| scored.contains(&(j.id.as_str(), e.id.as_str())))
                .collect();
            if entries.is_empty() {
                continue;
            }
            entries.sort_by(|a, b| (a.order.unwrap_or(i64::MAX), &a.id).cmp(&(b.order.unwrap_or(i64::MAX), &b.id)));
            pages.push(SheetPage {
                judge: j,
                group,
                entries,
            });
        }
    }
    if let Some(id) = judge
        && pages.is_empty()
    {
        return Err(crate::core::refusal::ExportRefusal::NoSubmittedScores {
            judge: id.to_string(),
            one_group: snapshot.tally.groups.len() == 1,
        }
        .into());
    }
    Ok(pages)
}

/// The score sheets' bytes.
pub fn sheets_bytes(snapshot: &Snapshot, pages: &[SheetPage<'_>], format: SheetsFormat) -> Result<Vec<u8>> {
    Ok(match format {
        SheetsFormat::Html => super::html::sheets_html(snapshot, pages).into_bytes(),
        SheetsFormat::Xlsx => super::xlsx::sheets_xlsx(snapshot, pages)?,
    })
}

/// `sheets-<contest>[-<judge>]-<date>.<ext>`.
pub fn sheets_file_name(snapshot: &Snapshot, judge: Option<&str>, format: SheetsFormat) -> String {
    let mut contest = snapshot.tally.contest.clone();
    if let Some(j) = judge {
        contest.push('-');
        contest.push_str(j);
    }
    default_file_name("sheets", &contest, &snapshot.date, format.extension())
}

/// How many groups the pages cover.
pub fn page_groups(pages: &[SheetPage<'_>]) -> usize {
    pages
        .iter()
        .map(|p| p.group.group.as_str())
        .collect::<HashSet<_>>()
        .len()
}
