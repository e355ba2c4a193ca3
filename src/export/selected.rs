//! `jury export selected`: the cases selected (入选), by batch and topic, with submitter,
//! organisation and county, for publication. Reading the workspace and writing the file are
//! [`crate::app::export::export_selected`].

use std::collections::HashMap;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use crate::core::shortlist::{Marks, Status};
use crate::core::text::width;
use crate::error::{Error, Result};

use super::html::{document, escape};
use super::neutralise_cell;
use super::output::default_file_name;
use super::snapshot::Snapshot;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SelectedFormat {
    Html,
    Xlsx,
    Csv,
    /// The case collection (入选案例集) as a Word document: [`super::collection`].
    Docx,
}

impl SelectedFormat {
    fn extension(self) -> &'static str {
        match self {
            SelectedFormat::Html => "html",
            SelectedFormat::Xlsx => "xlsx",
            SelectedFormat::Csv => "csv",
            SelectedFormat::Docx => "docx",
        }
    }
}

/// One selected case as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedRow {
    pub batch: Option<i64>,
    pub group: String,
    pub id: String,
    pub title: String,
    pub submitter: String,
    pub submitter_type: String,
    pub organization: String,
    pub county: String,
    /// The shown final, or empty when the case has no complete result.
    pub final_score: String,
}

const HEADERS: [&str; 10] = [
    "序号",
    "批次",
    "主题",
    "编号",
    "案例名称",
    "申报人",
    "申报主体",
    "单位",
    "县市区",
    "得分",
];

fn batch_text(batch: Option<i64>) -> String {
    batch.map_or_else(|| "未分批".to_string(), |b| format!("第{b}批"))
}

/// The selected cases in publication order: batch (unbatched last), then topic in rubric order,
/// then final score (highest first), then id.
pub fn selected_rows(snapshot: &Snapshot, statuses: &HashMap<String, (Status, Option<i64>)>) -> Vec<SelectedRow> {
    let d = snapshot.tally.decimals;
    let mut rows: Vec<(Option<i128>, SelectedRow)> = Vec::new();
    for (id, (status, batch)) in statuses {
        if *status != Status::Selected {
            continue;
        }
        let Some(entry) = snapshot.entries.get(id) else {
            continue;
        };
        let result = snapshot.tally.entry(id);
        let final_score = result.and_then(|r| r.final_score);
        rows.push((
            final_score.map(|f| f.round_half_up_units(d)),
            SelectedRow {
                batch: *batch,
                group: entry.group.clone().unwrap_or_default(),
                id: id.clone(),
                title: entry.label().to_string(),
                submitter: entry.submitter.clone(),
                submitter_type: entry.submitter_type.clone(),
                organization: entry.organization.clone(),
                county: entry.county.clone(),
                final_score: final_score.map(|f| f.format_fixed(d)).unwrap_or_default(),
            },
        ));
    }
    let group_rank = |g: &str| snapshot.rubric.groups.iter().position(|x| x == g).unwrap_or(usize::MAX);
    rows.sort_by(|(fa, a), (fb, b)| {
        a.batch
            .unwrap_or(i64::MAX)
            .cmp(&b.batch.unwrap_or(i64::MAX))
            .then_with(|| group_rank(&a.group).cmp(&group_rank(&b.group)))
            .then_with(|| fb.cmp(fa))
            .then_with(|| a.id.cmp(&b.id))
    });
    rows.into_iter().map(|(_, r)| r).collect()
}

fn cells(n: usize, r: &SelectedRow) -> [String; 10] {
    [
        n.to_string(),
        batch_text(r.batch),
        r.group.clone(),
        r.id.clone(),
        r.title.clone(),
        r.submitter.clone(),
        r.submitter_type.clone(),
        r.organization.clone(),
        r.county.clone(),
        r.final_score.clone(),
    ]
}

/// The list is printed on A4 landscape so that a school's full name fits in 单位 on one or two
/// lines; the short columns (主题, 申报主体, 县市区, the id and the numbers) never wrap, and the
/// title takes what is left. A later `@page` rule overrides the portrait one of [`document`].
const LIST_CSS: &str = "<style>\n@page { size: A4 landscape; }\n\
@media screen { body { max-width: 273mm; } }\n\
table.selected { table-layout: auto; }\n\
td.nowrap { white-space: nowrap; }\n\
col.n { width: 9mm; }\ncol.topic { width: 18mm; }\ncol.id { width: 24mm; }\n\
col.who { width: 36mm; }\ncol.kind { width: 18mm; }\ncol.org { width: 48mm; }\n\
col.county { width: 20mm; }\ncol.score { width: 14mm; }\n</style>\n";

/// One `<col>` per printed column (批次 is the table's heading, not a column).
const COLUMNS: &str = "<colgroup><col class=\"n\"><col class=\"topic\"><col class=\"id\"><col class=\"title\">\
<col class=\"who\"><col class=\"kind\"><col class=\"org\"><col class=\"county\"><col class=\"score\"></colgroup>\n";

fn html(snapshot: &Snapshot, rows: &[SelectedRow]) -> String {
    let contest = &snapshot.tally.contest;
    let mut body = format!(
        "{LIST_CSS}<section class=\"page\">\n<h1>{}</h1>\n<h2>{}</h2>\n<p class=\"meta\">共 {} 个案例；生成于 {}；数据指纹 <code>{}</code></p>\n",
        escape(contest),
        escape(&snapshot.phase_titled("入选案例名单")),
        rows.len(),
        escape(&snapshot.made_at),
        escape(&snapshot.fingerprint.to_string())
    );
    let mut batch: Option<Option<i64>> = None;
    let mut n = 0;
    for r in rows {
        if batch != Some(r.batch) {
            if batch.is_some() {
                body.push_str("</tbody>\n</table>\n");
            }
            batch = Some(r.batch);
            let count = rows.iter().filter(|x| x.batch == r.batch).count();
            body.push_str(&format!(
                "<h3>{}（{count} 个）</h3>\n<table class=\"selected\">\n{COLUMNS}<thead><tr>{}</tr></thead>\n<tbody>\n",
                escape(&batch_text(r.batch)),
                HEADERS
                    .iter()
                    .filter(|h| **h != "批次")
                    .map(|h| format!("<th>{h}</th>"))
                    .collect::<String>()
            ));
        }
        n += 1;
        let c = cells(n, r);
        body.push_str("<tr>");
        for (i, text) in c.iter().enumerate() {
            if i == 1 {
                continue;
            }
            let class = match i {
                0 | 9 => " class=\"num\"",
                3 => " class=\"id\"",
                2 | 6 | 8 => " class=\"nowrap\"",
                _ => "",
            };
            body.push_str(&format!("<td{class}>{}</td>", escape(text)));
        }
        body.push_str("</tr>\n");
    }
    if batch.is_some() {
        body.push_str("</tbody>\n</table>\n");
    } else {
        body.push_str("<p class=\"empty\">尚无入选案例。</p>\n");
    }
    body.push_str("</section>\n");
    document(
        &format!("{contest} {}", snapshot.phase_titled("入选案例名单")),
        contest,
        &snapshot.fingerprint.to_string(),
        &body,
    )
}

fn csv(rows: &[SelectedRow]) -> Vec<u8> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing into a Vec cannot fail.
        let _ = w.write_record(HEADERS);
        for (i, r) in rows.iter().enumerate() {
            let c = cells(i + 1, r);
            let record: Vec<String> = c
                .iter()
                .enumerate()
                .map(|(k, text)| {
                    if k == 0 || k == 9 {
                        text.clone()
                    } else {
                        neutralise_cell(text)
                    }
                })
                .collect();
            let _ = w.write_record(&record);
        }
        let _ = w.flush();
    }
    out
}

fn xlsx(snapshot: &Snapshot, rows: &[SelectedRow]) -> Result<Vec<u8>> {
    let xl = |e: rust_xlsxwriter::XlsxError| {
        Error::from(crate::core::refusal::ExportRefusal::BuildFailed {
            what: crate::core::refusal::Built::Spreadsheet,
            detail: e.to_string(),
        })
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("入选名单").map_err(xl)?;
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let text = Format::new().set_border(FormatBorder::Thin);
    let decimals = snapshot.tally.decimals;
    let number = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format(super::output::number_format(decimals));
    // 序号 is a count, shown without decimals whatever the scores' rounding.
    let whole = Format::new().set_border(FormatBorder::Thin).set_num_format("0");
    let mut widths: Vec<usize> = HEADERS.iter().map(|h| width(h)).collect();
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &head).map_err(xl)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, value) in cells(i + 1, r).iter().enumerate() {
            widths[c] = widths[c].max(width(value));
            let numeric = (c == 0 || c == 9).then(|| super::output::shown_number(value)).flatten();
            match numeric {
                Some(v) => sheet
                    .write_number_with_format(row, c as u16, v, if c == 0 { &whole } else { &number })
                    .map_err(xl)?,
                None => sheet
                    .write_string_with_format(row, c as u16, value, &text)
                    .map_err(xl)?,
            };
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet
            .set_column_width(c as u16, (*w as f64 * 1.1 + 2.0).min(60.0))
            .map_err(xl)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xl)?;
    sheet.set_footer(format!("&L数据指纹 {}&R第 &P 页，共 &N 页", snapshot.fingerprint));
    book.save_to_buffer().map_err(xl)
}

/// Refused, naming each case and why, while a selected case fails the formal check or is the
/// lower-ranked case of likely duplicates (`marks` from [`crate::core::shortlist::shortlist_marks`]);
/// the publication never prints the marks.
pub fn refuse_flagged(rows: &[SelectedRow], marks: &HashMap<String, Marks>) -> Result<()> {
    let flagged: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let m = marks.get(&r.id).filter(|m| m.held())?;
            let why = if m.failed_formal_check() {
                let sections: Vec<&str> = m.formal.iter().map(|s| s.id()).collect();
                format!("fails the formal check ({} missing or too short)", sections.join(", "))
            } else {
                format!(
                    "is a likely duplicate of {}, which ranks higher",
                    m.duplicates.join(", ")
                )
            };
            Some(format!("{} {why}", r.id))
        })
        .collect();
    if flagged.is_empty() {
        return Ok(());
    }
    Err(crate::core::refusal::ExportRefusal::FlaggedSelected { flagged }.into())
}

/// The list's bytes (the collection's, for [`SelectedFormat::Docx`], with the four parts taken
/// from `snapshot.entries`).
pub fn selected_bytes(snapshot: &Snapshot, rows: &[SelectedRow], format: SelectedFormat) -> Result<Vec<u8>> {
    Ok(match format {
        SelectedFormat::Html => html(snapshot, rows).into_bytes(),
        SelectedFormat::Xlsx => xlsx(snapshot, rows)?,
        SelectedFormat::Csv => csv(rows),
        SelectedFormat::Docx => super::collection::collection_docx(snapshot, rows)?,
    })
}

/// `selected-<contest>-<date>.<ext>`.
pub fn selected_file_name(snapshot: &Snapshot, format: SelectedFormat) -> String {
    default_file_name("selected", &snapshot.tally.contest, &snapshot.date, format.extension())
}

/// How many topics (groups) the rows cover.
pub fn row_groups(rows: &[SelectedRow]) -> usize {
    let mut g: Vec<&str> = rows.iter().map(|r| r.group.as_str()).collect();
    g.sort_unstable();
    g.dedup();
    g.len()
}
