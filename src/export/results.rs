//! `jury export results`: the ranked results as print-ready HTML, XLSX, CSV or Markdown.
//!
//! Every format is made from one [`Snapshot`](super::snapshot::Snapshot); a new format (e.g. the
//! list of selected cases) adds a renderer file and a match arm, nothing else. Reading the
//! workspace and writing the file are [`crate::app::export::export_results`].

use crate::error::Result;

use super::output::default_file_name;
use super::snapshot::Snapshot;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ResultsFormat {
    /// Print-ready HTML (A4, a page per group, signature lines).
    Html,
    /// A spreadsheet: a sheet per group plus every judge's scores (评分明细).
    Xlsx,
    /// UTF-8 CSV with a BOM (Excel on Chinese Windows), one row per entry.
    Csv,
    /// Markdown tables aligned by display width.
    Md,
    /// A Word document (Word, WPS) with the same columns.
    Docx,
}

impl ResultsFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ResultsFormat::Html => "html",
            ResultsFormat::Xlsx => "xlsx",
            ResultsFormat::Csv => "csv",
            ResultsFormat::Md => "md",
            ResultsFormat::Docx => "docx",
        }
    }
}

/// The results file's bytes.
pub fn results_bytes(snapshot: &Snapshot, format: ResultsFormat) -> Result<Vec<u8>> {
    Ok(match format {
        ResultsFormat::Html => super::html::results_html(snapshot).into_bytes(),
        ResultsFormat::Xlsx => super::xlsx::results_xlsx(snapshot)?,
        ResultsFormat::Csv => super::csv::results_csv(snapshot),
        ResultsFormat::Md => super::markdown::results_markdown(snapshot).into_bytes(),
        ResultsFormat::Docx => super::results_docx::results_docx(snapshot)?,
    })
}

/// `results-<contest>[-<group>]-<date>.<ext>`.
///
/// A CSV file has no place for the fingerprint that every consumer would ignore (a comment line
/// breaks the header row, an extra column pollutes the data), so the default CSV name carries it:
/// `results-<contest>-<date>-JURY2-….csv`.
pub fn results_file_name(snapshot: &Snapshot, group: Option<&str>, format: ResultsFormat) -> String {
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
    default_file_name("results", &name, &date, format.extension())
}

/// The heading of the withdrawn entries' listing in every printout.
pub const WITHDRAWN_HEADING: &str = "退出评选（不参与排名）";

/// The withdrawn and disqualified entries as the printouts list them, after the ranked tables:
/// id, title, group, 弃权 or 取消资格, the reason.
pub fn withdrawn_rows(tally: &crate::core::tally::Tally) -> Vec<[String; 5]> {
    tally
        .withdrawn
        .iter()
        .map(|w| {
            [
                w.id.clone(),
                w.title.clone(),
                w.group.clone().unwrap_or_default(),
                w.kind.zh().to_string(),
                w.reason.clone(),
            ]
        })
        .collect()
}

/// The header of that listing.
pub fn withdrawn_header() -> [String; 5] {
    ["编号", "标题", "组别", "情况", "原因"].map(String::from)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::*;
    use crate::core::rubric::{parse_rubric, template_source};
    use crate::core::tally::{TallyEntry, tally};
    use crate::export::fingerprint::sealed_fingerprint;

    /// A snapshot made of plain values: no workspace, no store.
    fn snapshot() -> Snapshot {
        let (file, src) = template_source("competition").unwrap();
        let rubric = parse_rubric(file, src).unwrap();
        let group = rubric.groups[0].clone();
        let entries = [TallyEntry {
            id: "E1".into(),
            title: "亲子沟通|课".into(),
            group: Some(group),
            order: Some(1),
        }];
        let tally = tally(&rubric, &entries, &[]);
        Snapshot {
            rubric,
            tally,
            judges: Vec::new(),
            entries: BTreeMap::new(),
            scores: Vec::new(),
            comments: HashMap::new(),
            fingerprint: sealed_fingerprint(0, "0123456789abcdef", (3, "fedcba9876543210".into())),
            made_at: "2026-12-01 10:00".into(),
            date: "2026-12-01".into(),
            standings: BTreeMap::new(),
            public: false,
            phase: None,
            chinese: false,
        }
    }

    #[test]
    fn markdown_results_are_made_from_plain_values() {
        let s = snapshot();
        let text = String::from_utf8(results_bytes(&s, ResultsFormat::Md).unwrap()).unwrap();
        assert!(
            text.starts_with(&format!(
                "# {} 评审结果\n\n生成时间：2026-12-01 10:00  \n",
                s.tally.contest
            )),
            "{text}"
        );
        assert!(text.contains("数据指纹：`JURY2-0-0123456789ab-A3-fedcba98`"), "{text}");
        let row = text.lines().find(|l| l.contains("E1")).unwrap();
        assert!(row.starts_with("| "), "{row}");
        assert!(row.contains("亲子沟通\\|课"), "the title's | is escaped: {row}");
        assert!(row.contains("未完成："), "no sheets, no result: {row}");
        assert_eq!(
            results_file_name(&s, None, ResultsFormat::Csv),
            format!(
                "results-{}-2026-12-01-JURY2-0-0123456789ab-A3-fedcba98.csv",
                crate::export::output::file_name_part(&s.tally.contest)
            )
        );
    }
}
