//! Spreadsheets (rust_xlsxwriter): results with one sheet per group plus the raw scores
//! (评分明细), and each judge's score sheet.
//!
//! Numbers are stored as numbers. A result is written as the number its shown text says (parsed
//! from the exactly rounded decimal), with the contest's decimals as the display format, so what
//! Excel computes from a cell is what the paper shows, never the unrounded ratio.

use std::collections::HashSet;

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::core::tally::EntryResult;
use crate::core::text::width;
use crate::error::{Error, Result};

use super::html::{fmt_points, score_of};
use super::output::{number_format, percent, shown_number, step_decimals};
use super::sheets::SheetPage;
use super::snapshot::Snapshot;

/// The raw data sheet's name.
pub const RAW_SHEET: &str = "评分明细";
const A4: u8 = 9;
const MAX_COLUMN_WIDTH: f64 = 60.0;

fn xl(e: XlsxError) -> Error {
    Error::from(crate::core::refusal::ExportRefusal::BuildFailed {
        what: crate::core::refusal::Built::Spreadsheet,
        detail: e.to_string(),
    })
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, not starting or ending with
/// `'`, not "History", unique (case-insensitively) among `taken`.
pub fn sheet_name(wanted: &str, taken: &mut HashSet<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut base: String = cleaned.trim().trim_matches('\'').chars().take(31).collect();
    if base.is_empty() || base.eq_ignore_ascii_case("history") {
        base = format!("Sheet{}", taken.len() + 1);
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!("({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

/// Column widths that fit their longest text (Chinese characters count two).
struct Widths(Vec<f64>);

impl Widths {
    fn new() -> Self {
        Widths(Vec::new())
    }

    fn note(&mut self, col: u16, text: &str) {
        let col = col as usize;
        if self.0.len() <= col {
            self.0.resize(col + 1, 6.0);
        }
        let longest = text.lines().map(width).max().unwrap_or(0);
        let wanted = (longest as f64 * 1.1 + 2.0).min(MAX_COLUMN_WIDTH);
        if wanted > self.0[col] {
            self.0[col] = wanted;
        }
    }

    fn apply(&self, sheet: &mut Worksheet) -> Result<()> {
        for (col, w) in self.0.iter().enumerate() {
            sheet.set_column_width(col as u16, *w).map_err(xl)?;
        }
        Ok(())
    }
}

/// Excel header/footer text: `&` is a control character there.
fn header_text(text: &str) -> String {
    text.replace('&', "&&").chars().take(200).collect()
}

/// Lines of text under a table, one per row from `row`.
fn write_notes(sheet: &mut Worksheet, row: u32, notes: &[String], format: &Format) -> Result<()> {
    for (i, note) in notes.iter().enumerate() {
        sheet
            .write_string_with_format(row + i as u32, 0, note, format)
            .map_err(xl)?;
    }
    Ok(())
}

fn page_setup(sheet: &mut Worksheet, title: &str, fingerprint: &str, repeat_rows: u32) -> Result<()> {
    sheet.set_paper_size(A4);
    sheet.set_portrait();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, repeat_rows.saturating_sub(1)).map_err(xl)?;
    sheet.set_header(format!("&C{}", header_text(title)));
    sheet.set_footer(format!("&L数据指纹 {}&R第 &P 页，共 &N 页", header_text(fingerprint)));
    Ok(())
}

struct Formats {
    header: Format,
    text: Format,
    score: Format,
    rank: Format,
    raw_score: Format,
    note: Format,
}

impl Formats {
    fn new(decimals: u32, score_decimals: u32) -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin);
        Formats {
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap()
                .set_background_color("#EEEEEE"),
            text: cell.clone(),
            score: cell.clone().set_num_format(number_format(decimals)),
            rank: cell.clone().set_num_format("0"),
            raw_score: cell.set_num_format(number_format(score_decimals)),
            note: Format::new(),
        }
    }
}

fn write_text(sheet: &mut Worksheet, widths: &mut Widths, row: u32, col: u16, text: &str, f: &Format) -> Result<()> {
    sheet.write_string_with_format(row, col, text, f).map_err(xl)?;
    widths.note(col, text);
    Ok(())
}

/// A shown decimal written as the number it shows (blank cell when there is none).
fn write_shown(
    sheet: &mut Worksheet,
    widths: &mut Widths,
    row: u32,
    col: u16,
    text: Option<String>,
    f: &Format,
) -> Result<()> {
    match text.as_deref().and_then(shown_number) {
        Some(v) => {
            sheet.write_number_with_format(row, col, v, f).map_err(xl)?;
            if let Some(t) = &text {
                widths.note(col, t);
            }
        }
        None => {
            sheet.write_blank(row, col, f).map_err(xl)?;
        }
    }
    Ok(())
}

fn status_text(snapshot: &Snapshot, e: &EntryResult) -> String {
    if e.complete {
        return "完成".into();
    }
    let why: Vec<String> = e
        .shortfalls
        .iter()
        .map(|s| {
            let name = snapshot
                .rubric
                .round(&s.round)
                .map_or(s.round.as_str(), |r| r.name.as_str());
            format!("{name} {}/{} 位评委", s.have, s.need)
        })
        .collect();
    format!("未完成：{}", why.join("；"))
}

fn flags_text(snapshot: &Snapshot, e: &EntryResult) -> String {
    e.flagged_marks()
        .map(|(round, m)| {
            let name = snapshot.rubric.round(round).map_or(round, |r| r.name.as_str());
            format!("{name} {} {}", m.judge, m.total)
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn properties(snapshot: &Snapshot, title: &str) -> DocProperties {
    DocProperties::new()
        .set_title(title)
        .set_comment(format!("数据指纹 {}", snapshot.fingerprint))
        .set_custom_property("fingerprint", snapshot.fingerprint.to_string().as_str())
}

/// How many rows above each results table: the title, the standing, the rules, the fingerprint.
pub const RESULTS_TITLE_ROWS: u32 = 4;

/// The results: a sheet per group (its title rows at the top, then the table), then the raw
/// scores (the panel's copy only: the public copy carries no judge and no individual mark).
pub fn results_xlsx(snapshot: &Snapshot) -> Result<Vec<u8>> {
    use super::results_columns::{Column, columns, group_title};
    let tally = &snapshot.tally;
    let rubric = &snapshot.rubric;
    let d = tally.decimals;
    let formats = Formats::new(d, step_decimals(rubric.step));
    let title_format = Format::new().set_bold().set_font_size(14);
    let cols = columns(snapshot);
    let public = snapshot.public;
    let fp = snapshot.fingerprint.to_string();
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(
        snapshot,
        &format!("{} {}", tally.contest, snapshot.results_title()),
    ));
    let mut taken: HashSet<String> = HashSet::from([RAW_SHEET.to_lowercase()]);
    for group in &tally.groups {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&group.group, &mut taken)).map_err(xl)?;
        let mut widths = Widths::new();
        // The title rows first, so the sheet reads (and prints) from its heading down.
        let standing = snapshot.standing(&group.group).heading_zh();
        sheet
            .write_string_with_format(
                0,
                0,
                format!("{} {} {}", tally.contest, group.group, snapshot.results_title()),
                &title_format,
            )
            .map_err(xl)?;
        let notes = [
            if public {
                format!("{standing}　公示稿")
            } else {
                standing
            },
            format!(
                "每轮得分：{}；结果保留 {d} 位小数（四舍五入）",
                rubric.rule_in_words_zh()
            ),
            format!("数据指纹：{fp}　生成时间：{}", snapshot.made_at),
        ];
        write_notes(sheet, 1, &notes, &formats.note)?;
        let top = RESULTS_TITLE_ROWS;
        let mut header: Vec<String> = cols
            .iter()
            .map(|c| match c {
                Column::Round(_) => c.header(snapshot).replace('\n', "（") + "）",
                _ => c.header(snapshot),
            })
            .collect();
        header.push("状态".into());
        if !public {
            header.push("分差过大".into());
        }
        for (col, h) in header.iter().enumerate() {
            write_text(sheet, &mut widths, top, col as u16, h, &formats.header)?;
        }
        let mut row = top + 1;
        for e in &group.entries {
            for (col, c) in cols.iter().enumerate() {
                let col = col as u16;
                match c {
                    Column::Rank => match e.rank {
                        Some(rank) => {
                            sheet
                                .write_number_with_format(row, col, rank, &formats.rank)
                                .map_err(xl)?;
                        }
                        None => {
                            sheet.write_blank(row, col, &formats.rank).map_err(xl)?;
                        }
                    },
                    Column::Round(_) | Column::Final => {
                        write_shown(sheet, &mut widths, row, col, c.value(snapshot, e), &formats.score)?;
                    }
                    _ => {
                        let text = c.value(snapshot, e).unwrap_or_default();
                        write_text(sheet, &mut widths, row, col, &text, &formats.text)?;
                    }
                }
            }
            let col = cols.len() as u16;
            write_text(sheet, &mut widths, row, col, &status_text(snapshot, e), &formats.text)?;
            if !public {
                write_text(
                    sheet,
                    &mut widths,
                    row,
                    col + 1,
                    &flags_text(snapshot, e),
                    &formats.text,
                )?;
            }
            row += 1;
        }
        if public {
            row += 1;
            let mut closing = Vec::new();
            if let Some(text) = &rubric.publicity {
                closing.push(text.clone());
            }
            closing.push(super::results_columns::seal_line(rubric));
            write_notes(sheet, row, &closing, &formats.note)?;
        }
        sheet.set_freeze_panes(top + 1, 0).map_err(xl)?;
        widths.apply(sheet)?;
        page_setup(sheet, &group_title(snapshot, &group.group), &fp, top + 1)?;
    }
    let withdrawn = super::results::withdrawn_rows(tally);
    if !withdrawn.is_empty() {
        // The withdrawn entries on a sheet of their own, after the groups' tables.
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(sheet_name(super::results::WITHDRAWN_HEADING, &mut taken))
            .map_err(xl)?;
        let mut widths = Widths::new();
        for (col, h) in super::results::withdrawn_header().iter().enumerate() {
            write_text(sheet, &mut widths, 0, col as u16, h, &formats.header)?;
        }
        for (i, row) in withdrawn.iter().enumerate() {
            for (col, text) in row.iter().enumerate() {
                write_text(sheet, &mut widths, i as u32 + 1, col as u16, text, &formats.text)?;
            }
        }
        write_notes(
            sheet,
            withdrawn.len() as u32 + 2,
            &[format!("数据指纹：{fp}")],
            &formats.note,
        )?;
        widths.apply(sheet)?;
        page_setup(
            sheet,
            &format!("{} {}", tally.contest, super::results::WITHDRAWN_HEADING),
            &fp,
            1,
        )?;
    }
    if !public {
        raw_scores_sheet(&mut workbook, snapshot, &formats)?;
    }
    workbook.save_to_buffer().map_err(xl)
}

/// Every submitted score of the groups exported: the data behind the results.
fn raw_scores_sheet(workbook: &mut Workbook, snapshot: &Snapshot, formats: &Formats) -> Result<()> {
    let rubric = &snapshot.rubric;
    let sheet = workbook.add_worksheet();
    sheet.set_name(RAW_SHEET).map_err(xl)?;
    let mut widths = Widths::new();
    let header = ["评委编号", "评委姓名", "编号", "标题", "组别", "轮次", "评分项", "分数"];
    for (col, h) in header.iter().enumerate() {
        write_text(sheet, &mut widths, 0, col as u16, h, &formats.header)?;
    }
    let exported: std::collections::HashMap<&str, (&str, &str)> = snapshot
        .tally
        .groups
        .iter()
        .flat_map(|g| {
            g.entries
                .iter()
                .map(move |e| (e.id.as_str(), (e.title.as_str(), g.group.as_str())))
        })
        .collect();
    let score_decimals = step_decimals(rubric.step);
    let mut row = 1u32;
    for s in &snapshot.scores {
        let Some((title, group)) = exported.get(s.entry.as_str()) else {
            continue;
        };
        let round = rubric.round(&s.round);
        let round_name = round.map_or(s.round.clone(), |r| r.name.clone());
        let criterion_name = round
            .and_then(|r| r.criterion(&s.criterion))
            .map_or(s.criterion.clone(), |c| c.name.clone());
        let cells = [
            s.judge.clone(),
            snapshot.judge_name(&s.judge),
            s.entry.clone(),
            title.to_string(),
            group.to_string(),
            round_name,
            criterion_name,
        ];
        for (col, text) in cells.iter().enumerate() {
            write_text(sheet, &mut widths, row, col as u16, text, &formats.text)?;
        }
        write_shown(
            sheet,
            &mut widths,
            row,
            7,
            Some(fmt_points(Some(s.value), score_decimals)),
            &formats.raw_score,
        )?;
        row += 1;
    }
    row += 1;
    sheet
        .write_string(row, 0, format!("数据指纹：{}", snapshot.fingerprint))
        .map_err(xl)?;
    sheet.set_freeze_panes(1, 0).map_err(xl)?;
    sheet.autofilter(0, 0, row.saturating_sub(2).max(1), 7).map_err(xl)?;
    widths.apply(sheet)?;
    page_setup(
        sheet,
        &format!("{} 评分明细", snapshot.tally.contest),
        &snapshot.fingerprint.to_string(),
        1,
    )?;
    Ok(())
}

/// Each judge's score sheet: one worksheet per judge, every group they scored, one row per
/// entry with every criterion's score, the round totals and their comment.
pub fn sheets_xlsx(snapshot: &Snapshot, pages: &[SheetPage<'_>]) -> Result<Vec<u8>> {
    let rubric = &snapshot.rubric;
    let score_decimals = step_decimals(rubric.step);
    let formats = Formats::new(score_decimals, score_decimals);
    let names = snapshot.has_names();
    let fp = snapshot.fingerprint.to_string();
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(snapshot, &format!("{} 评分表", snapshot.tally.contest)));
    let mut taken = HashSet::new();
    // Pages come judge by judge; one worksheet per judge.
    let mut judges: Vec<&str> = Vec::new();
    for p in pages {
        if judges.last() != Some(&p.judge.id.as_str()) {
            judges.push(&p.judge.id);
        }
    }
    for judge_id in judges {
        let judge_pages: Vec<&SheetPage<'_>> = pages.iter().filter(|p| p.judge.id == judge_id).collect();
        let Some(judge) = judge_pages.first().map(|p| p.judge) else {
            continue;
        };
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(sheet_name(&format!("{} {}", judge.id, judge.name), &mut taken))
            .map_err(xl)?;
        let mut widths = Widths::new();
        // Two header rows: the round over its criteria, then each criterion with its maximum.
        let mut fixed = vec!["组别", "编号", "标题"];
        if names {
            fixed.push("选手");
        }
        for (col, h) in fixed.iter().enumerate() {
            sheet
                .merge_range(0, col as u16, 1, col as u16, h, &formats.header)
                .map_err(xl)?;
            widths.note(col as u16, h);
        }
        let mut col = fixed.len() as u16;
        for round in &rubric.rounds {
            let span = round.criteria.len() as u16 + 1;
            let title = format!("{}（{}%）", round.name, percent(round.weight));
            if span > 1 {
                sheet
                    .merge_range(0, col, 0, col + span - 1, &title, &formats.header)
                    .map_err(xl)?;
            }
            for c in &round.criteria {
                write_text(
                    sheet,
                    &mut widths,
                    1,
                    col,
                    &format!("{}（{}）", c.name, c.max),
                    &formats.header,
                )?;
                col += 1;
            }
            write_text(
                sheet,
                &mut widths,
                1,
                col,
                &format!("合计（{}）", round.max_total()),
                &formats.header,
            )?;
            col += 1;
        }
        let comment_col = col;
        sheet
            .merge_range(0, comment_col, 1, comment_col, "评语", &formats.header)
            .map_err(xl)?;
        let mut row = 2u32;
        for page in &judge_pages {
            for e in &page.entries {
                write_text(sheet, &mut widths, row, 0, &page.group.group, &formats.text)?;
                write_text(sheet, &mut widths, row, 1, &e.id, &formats.text)?;
                write_text(sheet, &mut widths, row, 2, &e.title, &formats.text)?;
                if names {
                    write_text(sheet, &mut widths, row, 3, snapshot.entry_name(&e.id), &formats.text)?;
                }
                let mut col = fixed.len() as u16;
                for round in &rubric.rounds {
                    let values: Vec<_> = round
                        .criteria
                        .iter()
                        .map(|c| score_of(snapshot, &judge.id, &e.id, &round.id, &c.id))
                        .collect();
                    for v in &values {
                        let text = v.map(|p| fmt_points(Some(p), score_decimals));
                        write_shown(sheet, &mut widths, row, col, text, &formats.score)?;
                        col += 1;
                    }
                    let total = values
                        .iter()
                        .all(Option::is_some)
                        .then(|| fmt_points(Some(values.iter().flatten().copied().sum()), score_decimals));
                    write_shown(sheet, &mut widths, row, col, total, &formats.score)?;
                    col += 1;
                }
                let comment = snapshot
                    .comments
                    .get(&(judge.id.clone(), e.id.clone()))
                    .map(String::as_str)
                    .unwrap_or("");
                write_text(sheet, &mut widths, row, comment_col, comment, &formats.text)?;
                row += 1;
            }
        }
        row += 1;
        let notes = [
            format!("{} 评分表 评委：{} {}", snapshot.tally.contest, judge.id, judge.name),
            "评委签字：________________    日期：________________".to_string(),
            format!("数据指纹：{fp}"),
            format!("生成时间：{}", snapshot.made_at),
        ];
        write_notes(sheet, row, &notes, &formats.note)?;
        sheet.set_freeze_panes(2, 3).map_err(xl)?;
        widths.apply(sheet)?;
        page_setup(
            sheet,
            &format!("{} 评分表 {} {}", snapshot.tally.contest, judge.id, judge.name),
            &fp,
            2,
        )?;
    }
    if pages.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "没有已提交的评分").map_err(xl)?;
        sheet.write_string(1, 0, format!("数据指纹：{fp}")).map_err(xl)?;
    }
    workbook.save_to_buffer().map_err(xl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let mut taken = HashSet::from([RAW_SHEET.to_lowercase()]);
        assert_eq!(sheet_name("教师组", &mut taken), "教师组");
        assert_eq!(sheet_name("教师组", &mut taken), "教师组(2)");
        assert_eq!(sheet_name("a/b:c[d]*?\\", &mut taken), "a_b_c_d____");
        let long = "很".repeat(40);
        let name = sheet_name(&long, &mut taken);
        assert_eq!(name.chars().count(), 31);
        let again = sheet_name(&long, &mut taken);
        assert_eq!(again.chars().count(), 31);
        assert!(again.ends_with("(2)"));
        assert_eq!(sheet_name("评分明细", &mut taken), "评分明细(2)");
        assert!(sheet_name("History", &mut taken).starts_with("Sheet"));
    }
}
