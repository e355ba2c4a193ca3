//! `jury export entries|scores`: the workspace's data in the shape `jury import` reads, so an
//! export imported into a fresh workspace with the same rubric gives the same entries, scores,
//! sheet statuses and tally.
//!
//! The header names and JSON keys are a file format, not messages: they are the same whatever the
//! locale. Scores are decimal text in plain form without trailing zeros (`24.5`, `25`) in every
//! format; in XLSX too they are text cells, so nothing passes through a binary float.
//!
//! In CSV a text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) gets a
//! leading `'`, and so does a text of `'` followed by such a sign; the importer takes exactly that
//! one `'` off again ([`crate::import::text::unescape_cell`]), so the round trip is exact.

use std::collections::BTreeSet;
use std::io::Write;

use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;

use crate::core::Entry;
use crate::core::header::normalise as normalise_header;
use crate::core::sheet::{ScoreInput, SheetStatus};
use crate::error::{Error, Result};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DataFormat {
    /// UTF-8 CSV with a BOM (Excel on Chinese Windows), the header names `jury import` reads.
    Csv,
    /// A workbook with one sheet, every cell text.
    Xlsx,
    /// `{"entries": [...]}` or `{"scores": [...]}`.
    Json,
}

impl DataFormat {
    pub fn extension(self) -> &'static str {
        match self {
            DataFormat::Csv => "csv",
            DataFormat::Xlsx => "xlsx",
            DataFormat::Json => "json",
        }
    }
}

/// The columns of `jury export scores`, as `jury import scores` reads them.
pub const SCORE_HEADERS: [&str; 6] = ["judge", "entry", "round", "criterion", "score", "status"];

/// The known columns of `jury export entries`; the columns an import kept beyond these follow,
/// by name.
pub const ENTRY_HEADERS: [&str; 15] = [
    "id",
    "title",
    "group",
    "name",
    "organization",
    "county",
    "submitter",
    "submitter_type",
    "perspective",
    "order",
    "background",
    "problem",
    "strategy",
    "outcome",
    "source",
];

/// Excel's limits: characters in a cell, rows in a sheet.
const XLSX_MAX_CELL_CHARS: usize = 32_767;
const XLSX_MAX_ROWS: usize = 1_048_576;

/// A text cell for CSV: formula-like text gets a leading `'`, and so does text that is already
/// `'` followed by a formula sign, so that [`crate::import::text::unescape_cell`] gives back
/// exactly the text (a stored text never starts with a tab or CR: imports trim cells).
pub fn escape_csv_cell(text: &str) -> String {
    let formula_like = text.trim_start_matches('\'').starts_with(['=', '+', '-', '@']);
    if formula_like || text.starts_with(['\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Every entry (in import order) with the columns of the file: the known ones, then the extras
/// any entry has, sorted by name.
fn entry_table(entries: &[Entry], sources: &Sources) -> (Vec<String>, Vec<Vec<String>>) {
    let extras: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.extra.keys().map(String::as_str))
        .collect();
    let mut headers: Vec<String> = ENTRY_HEADERS.iter().map(|h| h.to_string()).collect();
    headers.extend(extras.iter().map(|h| h.to_string()));
    let rows = entries
        .iter()
        .map(|e| {
            let s = &e.sections;
            let mut row = vec![
                e.id.clone(),
                e.title.clone(),
                e.group.clone().unwrap_or_default(),
                e.name.clone(),
                e.organization.clone(),
                e.county.clone(),
                e.submitter.clone(),
                e.submitter_type.clone(),
                e.perspective.clone(),
                e.order.map(|o| o.to_string()).unwrap_or_default(),
                s.background.clone(),
                s.problem.clone(),
                s.strategy.clone(),
                s.outcome.clone(),
                sources.get(&e.id).cloned().unwrap_or_default(),
            ];
            row.extend(extras.iter().map(|k| e.extra.get(*k).cloned().unwrap_or_default()));
            row
        })
        .collect();
    (headers, rows)
}

fn score_row(score: &ScoreInput, status: SheetStatus) -> Vec<String> {
    vec![
        score.judge.clone(),
        score.entry.clone(),
        score.round.clone(),
        score.criterion.clone(),
        score.value.to_string(),
        status.as_str().to_string(),
    ]
}

/// CSV with a BOM and CRLF; `text_cols[i]` says whether column `i` holds text (escaped) or a
/// number (written as it is).
fn csv_bytes(headers: &[String], rows: &[Vec<String>], is_text: impl Fn(usize) -> bool) -> Vec<u8> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing into a Vec cannot fail.
        let _ = w.write_record(headers);
        for row in rows {
            let cells = row
                .iter()
                .enumerate()
                .map(|(i, c)| if is_text(i) { escape_csv_cell(c) } else { c.clone() });
            let _ = w.write_record(cells);
        }
        let _ = w.flush();
    }
    out
}

/// One sheet of text cells. `what` names a row in messages (`entry`, `score`).
fn xlsx_bytes(sheet: &str, headers: &[String], rows: &[Vec<String>], what: &str) -> Result<Vec<u8>> {
    if rows.len() >= XLSX_MAX_ROWS {
        return Err(crate::core::refusal::ExportRefusal::TooManyRows {
            what: what.to_string(),
            rows: rows.len(),
            max: XLSX_MAX_ROWS - 1,
        }
        .into());
    }
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if cell.len() > XLSX_MAX_CELL_CHARS && cell.chars().count() > XLSX_MAX_CELL_CHARS {
                return Err(crate::core::refusal::ExportRefusal::CellTooLong {
                    what: what.to_string(),
                    id: row.first().map_or("", String::as_str).to_string(),
                    column: headers.get(i).map_or("", String::as_str).to_string(),
                    chars: cell.chars().count(),
                    max: XLSX_MAX_CELL_CHARS,
                }
                .into());
            }
        }
    }
    let xl = |e: rust_xlsxwriter::XlsxError| {
        Error::from(crate::core::refusal::ExportRefusal::BuildFailed {
            what: crate::core::refusal::Built::Spreadsheet,
            detail: e.to_string(),
        })
    };
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet).map_err(xl)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold).map_err(xl)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, cell).map_err(xl)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xl)?;
    workbook.save_to_buffer().map_err(xl)
}

#[derive(Serialize)]
struct SectionsJson<'a> {
    background: &'a str,
    problem: &'a str,
    strategy: &'a str,
    outcome: &'a str,
}

#[derive(Serialize)]
struct EntryJson<'a> {
    id: &'a str,
    title: &'a str,
    group: Option<&'a str>,
    name: &'a str,
    organization: &'a str,
    county: &'a str,
    submitter: &'a str,
    submitter_type: &'a str,
    perspective: &'a str,
    order: Option<i64>,
    sections: SectionsJson<'a>,
    /// The document the entry was imported from (its path in the folder); empty otherwise.
    source: &'a str,
    #[serde(flatten)]
    extra: &'a std::collections::BTreeMap<String, String>,
}

#[derive(Serialize)]
struct ScoreJson<'a> {
    judge: &'a str,
    entry: &'a str,
    round: &'a str,
    criterion: &'a str,
    score: String,
    status: &'a str,
}

/// `{"<key>": [` one element a line `]}`.
fn json_list<T: Serialize>(key: &str, items: impl Iterator<Item = T>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write!(out, "{{\"{key}\": [")?;
    for (i, item) in items.enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut out, &item).map_err(|e| {
            Error::from(crate::core::refusal::ExportRefusal::BuildFailed {
                what: crate::core::refusal::Built::Json,
                detail: e.to_string(),
            })
        })?;
    }
    out.extend_from_slice(b"\n]}\n");
    Ok(out)
}

fn entries_json(entries: &[Entry], sources: &Sources) -> Result<Vec<u8>> {
    // An extra column named like a known key would be read back as that key.
    let known: Vec<String> = ENTRY_HEADERS
        .iter()
        .chain(&["sections"])
        .map(|h| normalise_header(h))
        .collect();
    if let Some((e, k)) = entries.iter().find_map(|e| {
        e.extra
            .keys()
            .find(|k| known.contains(&normalise_header(k)))
            .map(|k| (e, k))
    }) {
        return Err(crate::core::refusal::ExportRefusal::JsonKeyCollides {
            entry: e.id.clone(),
            key: k.to_string(),
        }
        .into());
    }
    json_list(
        "entries",
        entries.iter().map(|e| EntryJson {
            id: &e.id,
            title: &e.title,
            group: e.group.as_deref(),
            name: &e.name,
            organization: &e.organization,
            county: &e.county,
            submitter: &e.submitter,
            submitter_type: &e.submitter_type,
            perspective: &e.perspective,
            order: e.order,
            sections: SectionsJson {
                background: &e.sections.background,
                problem: &e.sections.problem,
                strategy: &e.sections.strategy,
                outcome: &e.sections.outcome,
            },
            source: sources.get(&e.id).map_or("", String::as_str),
            extra: &e.extra,
        }),
    )
}

/// Each entry's source document by entry id (entries imported from .docx files).
pub type Sources = std::collections::HashMap<String, String>;

/// The bytes of `jury export entries`: every stored entry with every column.
pub fn entries_bytes(entries: &[Entry], format: DataFormat) -> Result<Vec<u8>> {
    entries_bytes_with_sources(entries, &Sources::new(), format)
}

/// [`entries_bytes`] with each entry's source document (`source`: a JSON key, a CSV/XLSX column).
pub fn entries_bytes_with_sources(entries: &[Entry], sources: &Sources, format: DataFormat) -> Result<Vec<u8>> {
    match format {
        DataFormat::Json => entries_json(entries, sources),
        DataFormat::Csv => {
            let (headers, rows) = entry_table(entries, sources);
            // Every entry column is text (the running order too: a whole number never needs the escape).
            Ok(csv_bytes(&headers, &rows, |_| true))
        }
        DataFormat::Xlsx => {
            let (headers, rows) = entry_table(entries, sources);
            xlsx_bytes("entries", &headers, &rows, "entry")
        }
    }
}

/// The bytes of `jury export scores`: every stored score, drafts included, with its sheet's status.
pub fn scores_bytes(scores: &[(ScoreInput, SheetStatus)], format: DataFormat) -> Result<Vec<u8>> {
    let headers: Vec<String> = SCORE_HEADERS.iter().map(|h| h.to_string()).collect();
    match format {
        DataFormat::Json => json_list(
            "scores",
            scores.iter().map(|(x, status)| ScoreJson {
                judge: &x.judge,
                entry: &x.entry,
                round: &x.round,
                criterion: &x.criterion,
                score: x.value.to_string(),
                status: status.as_str(),
            }),
        ),
        DataFormat::Csv => {
            let rows: Vec<Vec<String>> = scores.iter().map(|(x, st)| score_row(x, *st)).collect();
            Ok(csv_bytes(&headers, &rows, |i| i < 4))
        }
        DataFormat::Xlsx => {
            let rows: Vec<Vec<String>> = scores.iter().map(|(x, st)| score_row(x, *st)).collect();
            xlsx_bytes("scores", &headers, &rows, "score")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Points;
    use crate::import::text::unescape_cell;

    #[test]
    fn the_csv_escape_is_undone_exactly() {
        for text in [
            "=SUM(A1)", "+1", "-2", "@x", "'", "''", "'=x", "''+x", "'abc", "''abc", "abc", "", "0011", "亲子",
            "'\r\nx",
        ] {
            let escaped = escape_csv_cell(text);
            assert_eq!(unescape_cell(&escaped), text, "{escaped}");
        }
        assert_eq!(escape_csv_cell("=1"), "'=1");
        assert_eq!(escape_csv_cell("'=1"), "''=1");
        assert_eq!(escape_csv_cell("'x"), "'x", "only formula-like text is escaped");
        assert_eq!(unescape_cell("'x"), "'x", "a text that was not escaped reads as it is");
        assert_eq!(escape_csv_cell("x'"), "x'");
    }

    #[test]
    fn scores_are_plain_decimals_in_every_format() {
        let score = |v: &str, status| {
            (
                ScoreInput {
                    judge: "PW01".into(),
                    entry: "-E1".into(),
                    round: "lesson".into(),
                    criterion: "content".into(),
                    value: Points::parse(v).unwrap(),
                },
                status,
            )
        };
        let scores = [
            score("24.50", SheetStatus::Submitted),
            score("25.0", SheetStatus::Draft),
        ];
        let csv = String::from_utf8(scores_bytes(&scores, DataFormat::Csv).unwrap()).unwrap();
        assert_eq!(
            csv,
            "\u{feff}judge,entry,round,criterion,score,status\r\nPW01,'-E1,lesson,content,24.5,submitted\r\n\
             PW01,'-E1,lesson,content,25,draft\r\n"
        );
        let json: serde_json::Value =
            serde_json::from_slice(&scores_bytes(&scores, DataFormat::Json).unwrap()).unwrap();
        assert_eq!(json["scores"][0]["score"], "24.5");
        assert_eq!(json["scores"][1]["score"], "25");
        assert_eq!(json["scores"][0]["entry"], "-E1", "JSON has no spreadsheet escape");
        let empty: serde_json::Value = serde_json::from_slice(&scores_bytes(&[], DataFormat::Json).unwrap()).unwrap();
        assert_eq!(empty, serde_json::json!({"scores": []}));
    }
}
