//! Blank score sheets (空白评分表) to fill in on paper: which entries go on each judge's sheet,
//! and their bytes (print-ready HTML, or the XLSX form that `jury import scores` reads back; its
//! cells are [`crate::core::paper_form`]'s).
//!
//! A judge's sheet holds the entries they may score (the group's panel, or the entries assigned
//! to them; with neither, every entry), less those in conflict with them (回避) and the withdrawn
//! ones; every round of the rubric, with each criterion's maximum and the step; empty boxes, a
//! signature and a date line. Nothing on it depends on scores, so it prints before the first one.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, XlsxError};

use crate::core::assign::Eligibility;
use crate::core::paper_form as form;
use crate::core::paper_form::PaperRefusal;
use crate::core::{Entry, Judge, Kind, Rubric};
use crate::error::{Error, Result};

use super::html::{SHEETS_CSS, document, escape};
use super::output::{default_file_name, number_format, percent, step_decimals};
use super::xlsx::sheet_name;

/// One entry on a blank sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlankEntry {
    pub id: String,
    pub title: String,
    /// The contestant's name when it differs from the title (else empty).
    pub name: String,
}

/// One judge's blank sheet for one group: every round, these entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlankPage {
    pub judge: Judge,
    pub group: String,
    /// In running order (competitions), then by id.
    pub entries: Vec<BlankEntry>,
}

/// What the blank sheets are chosen from, as read in one transaction.
pub struct BlankInputs<'a> {
    pub rubric: &'a Rubric,
    pub judges: &'a [Judge],
    /// Judge → why they were removed from the contest.
    pub removed: &'a HashMap<String, String>,
    pub entries: &'a [Entry],
    pub eligibility: &'a Eligibility,
    /// (judge, entry) pairs in conflict.
    pub conflicts: &'a HashSet<(String, String)>,
    pub withdrawn: &'a HashSet<String>,
}

/// Everything the renderers need.
pub struct BlankSheets {
    pub rubric: Rubric,
    pub pages: Vec<BlankPage>,
    pub fingerprint: String,
    /// `YYYY-MM-DD HH:MM` and `YYYY-MM-DD`, local time.
    pub made_at: String,
    pub date: String,
}

/// The pages: judge by judge (in the judges' order), groups in rubric order; only `judge`'s and
/// `group`'s when asked. A judge without an entry to score in a group gets no page for it.
pub fn blank_pages(inputs: &BlankInputs<'_>, judge: Option<&str>, group: Option<&str>) -> Result<Vec<BlankPage>> {
    if let Some(id) = judge {
        if !inputs.judges.iter().any(|j| j.id == id) {
            return Err(PaperRefusal::UnknownJudge { judge: id.to_string() }.into());
        }
        if let Some(reason) = inputs.removed.get(id) {
            return Err(PaperRefusal::RemovedJudge {
                judge: id.to_string(),
                reason: reason.clone(),
            }
            .into());
        }
    }
    let rubric = inputs.rubric;
    // The entries of each group, in the order a judge meets them.
    let mut by_group: Vec<(&str, Vec<&Entry>)> = rubric
        .groups
        .iter()
        .filter(|g| group.is_none_or(|x| x == g.as_str()))
        .map(|g| (g.as_str(), Vec::new()))
        .collect();
    for e in inputs.entries.iter().filter(|e| !inputs.withdrawn.contains(&e.id)) {
        if let Some(g) = e.group.as_deref()
            && let Some((_, list)) = by_group.iter_mut().find(|(x, _)| *x == g)
        {
            list.push(e);
        }
    }
    for (_, list) in &mut by_group {
        if rubric.kind == Kind::Competition {
            list.sort_by(|a, b| (a.order.is_none(), a.order, &a.id).cmp(&(b.order.is_none(), b.order, &b.id)));
        } else {
            list.sort_by(|a, b| a.id.cmp(&b.id));
        }
    }
    let mut pages = Vec::new();
    for j in inputs
        .judges
        .iter()
        .filter(|j| judge.is_none_or(|id| j.id == id) && !inputs.removed.contains_key(&j.id))
    {
        for (g, list) in &by_group {
            let entries: Vec<BlankEntry> = list
                .iter()
                .filter(|e| {
                    inputs.eligibility.allows(&j.id, &e.id, Some(g))
                        && !inputs.conflicts.contains(&(j.id.clone(), e.id.clone()))
                })
                .map(|e| BlankEntry {
                    id: e.id.clone(),
                    title: e.title.clone(),
                    name: if e.name != e.title {
                        e.name.clone()
                    } else {
                        String::new()
                    },
                })
                .collect();
            if !entries.is_empty() {
                pages.push(BlankPage {
                    judge: j.clone(),
                    group: g.to_string(),
                    entries,
                });
            }
        }
    }
    if pages.is_empty() {
        return Err(PaperRefusal::NothingToScore {
            judge: judge.map(str::to_string),
            group: group.map(str::to_string),
        }
        .into());
    }
    Ok(pages)
}

/// `sheets-blank-<contest>[-<judge>]-<date>.<ext>`.
pub fn blank_file_name(contest: &str, judge: Option<&str>, date: &str, ext: &str) -> String {
    let mut name = contest.to_string();
    if let Some(j) = judge {
        name.push('-');
        name.push_str(j);
    }
    default_file_name("sheets-blank", &name, date, ext)
}

/// A criterion's maximum and the step, as the boxes' headers show them.
fn limits(rubric: &Rubric, max: crate::core::Points) -> String {
    format!("满分 {max}，步长 {}", rubric.step)
}

/// Whether any page shows a contestant's name beside the title.
fn has_names(sheets: &BlankSheets) -> bool {
    sheets.pages.iter().flat_map(|p| &p.entries).any(|e| !e.name.is_empty())
}

const BLANK_CSS: &str = r#"
section.blank th { white-space: normal; }
section.blank td.box { height: 7.5mm; width: 17mm; }
section.blank td.id { width: 14mm; }
section.blank tr { break-inside: avoid; }
section.blank .rules { margin: 1mm 0 1.5mm 0; }
"#;

/// Every judge's blank sheets: one section per judge and group (a new page each), the rounds
/// one after another in it, so a group takes as few pages as its rows need.
pub fn blank_html(sheets: &BlankSheets) -> String {
    let rubric = &sheets.rubric;
    let contest = &rubric.name;
    let names = has_names(sheets);
    let mut body = String::new();
    for page in &sheets.pages {
        let judge = &page.judge;
        writeln!(
            body,
            "<section class=\"page sheet blank\" data-judge=\"{}\" data-group=\"{}\">",
            escape(&judge.id),
            escape(&page.group)
        )
        .ok();
        let org = if judge.organization.is_empty() {
            String::new()
        } else {
            format!("（{}）", escape(&judge.organization))
        };
        write!(
            body,
            "<h1>{}</h1>\n<h2>评分表　{}</h2>\n<p class=\"meta\">评委：{} {}{org}　生成时间：{}　数据指纹：<code \
             class=\"fingerprint\">{}</code></p>\n",
            escape(contest),
            escape(&page.group),
            escape(&judge.id),
            escape(&judge.name),
            escape(&sheets.made_at),
            escape(&sheets.fingerprint),
        )
        .ok();
        writeln!(
            body,
            "<div class=\"rules\">每项填写 0 至该项满分之间的分数，以 {} 分为单位；合计为各项之和。</div>",
            rubric.step
        )
        .ok();
        for round in &rubric.rounds {
            write!(
                body,
                "<h3>{}（权重 {}%，满分 {}）</h3>\n<table class=\"scores blank\" data-round=\"{}\">\n<thead><tr>\
                 <th>编号</th><th>标题</th>",
                escape(&round.name),
                percent(round.weight),
                round.max_total(),
                escape(&round.id)
            )
            .ok();
            if names {
                body.push_str("<th>选手</th>");
            }
            for c in &round.criteria {
                write!(
                    body,
                    "<th class=\"num\">{}<br>（{}）</th>",
                    escape(&c.name),
                    limits(rubric, c.max)
                )
                .ok();
            }
            writeln!(
                body,
                "<th class=\"num\">合计<br>（满分 {}）</th></tr></thead>\n<tbody>",
                round.max_total()
            )
            .ok();
            for e in &page.entries {
                write!(
                    body,
                    "<tr data-entry=\"{id}\"><td class=\"id\">{id}</td><td>{}</td>",
                    escape(&e.title),
                    id = escape(&e.id)
                )
                .ok();
                if names {
                    write!(body, "<td>{}</td>", escape(&e.name)).ok();
                }
                for _ in &round.criteria {
                    body.push_str("<td class=\"box\"></td>");
                }
                body.push_str("<td class=\"box total\"></td></tr>\n");
            }
            body.push_str("</tbody></table>\n");
        }
        writeln!(
            body,
            "<div class=\"signatures\"><p>本人确认以上评分为本人独立评定。</p>\n\
             <p>评委签字（{} {}）：<span class=\"line\">&nbsp;</span>　　日期：<span class=\"line\">&nbsp;</span></p></div>",
            escape(&judge.id),
            escape(&judge.name)
        )
        .ok();
        body.push_str("</section>\n");
    }
    document(
        &format!("{contest} 空白评分表 {}", sheets.fingerprint),
        contest,
        &sheets.fingerprint,
        &body,
    )
    .replacen("</style>", &format!("{SHEETS_CSS}{BLANK_CSS}</style>"), 1)
}

fn xl(e: XlsxError) -> Error {
    Error::from(crate::core::refusal::ExportRefusal::BuildFailed {
        what: crate::core::refusal::Built::Spreadsheet,
        detail: e.to_string(),
    })
}

/// The XLSX form: one worksheet per judge, group and round, laid out as
/// [`crate::core::paper_form`] says, the boxes empty.
pub fn blank_xlsx(sheets: &BlankSheets) -> Result<Vec<u8>> {
    let rubric = &sheets.rubric;
    let names = has_names(sheets);
    let decimals = step_decimals(rubric.step);
    let mut workbook = Workbook::new();
    let label = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap()
        .set_background_color("#EEEEEE");
    let text = Format::new().set_border(FormatBorder::Thin);
    let boxed = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format(number_format(decimals))
        .set_unlocked();
    let max_format = Format::new().set_align(FormatAlign::Center).set_italic();
    let mut taken = HashSet::new();
    let several_groups = rubric.groups.len() > 1;
    for page in &sheets.pages {
        let judge = &page.judge;
        for round in &rubric.rounds {
            let wanted = if several_groups {
                format!("{} {} {}", judge.id, page.group, round.name)
            } else {
                format!("{} {}", judge.id, round.name)
            };
            let sheet = workbook.add_worksheet();
            sheet.set_name(sheet_name(&wanted, &mut taken)).map_err(xl)?;
            let fixed = [
                (form::CONTEST_ROW, form::CONTEST_LABEL, rubric.name.as_str(), ""),
                (
                    form::JUDGE_ROW,
                    form::JUDGE_LABEL,
                    judge.id.as_str(),
                    judge.name.as_str(),
                ),
                (
                    form::ROUND_ROW,
                    form::ROUND_LABEL,
                    round.id.as_str(),
                    round.name.as_str(),
                ),
                (form::GROUP_ROW, form::GROUP_LABEL, page.group.as_str(), ""),
            ];
            for (row, name, value, more) in fixed {
                sheet.write_string_with_format(row, 0, name, &label).map_err(xl)?;
                sheet.write_string(row, form::VALUE_COL, value).map_err(xl)?;
                if !more.is_empty() {
                    sheet.write_string(row, form::VALUE_COL + 1, more).map_err(xl)?;
                }
            }
            sheet
                .write_string_with_format(form::MAX_ROW, 0, form::MAX_LABEL, &label)
                .map_err(xl)?;
            let mut headers = vec![form::ENTRY_HEADER, form::TITLE_HEADER];
            if names {
                headers.push(form::NAME_HEADER);
            }
            for (col, h) in headers.iter().enumerate() {
                sheet
                    .write_string_with_format(form::HEADER_ROW, col as u16, *h, &header)
                    .map_err(xl)?;
            }
            let first = headers.len() as u16;
            for (i, c) in round.criteria.iter().enumerate() {
                let col = first + i as u16;
                sheet
                    .write_string_with_format(form::HEADER_ROW, col, form::criterion_header(&c.name, &c.id), &header)
                    .map_err(xl)?;
                sheet
                    .write_string_with_format(form::MAX_ROW, col, limits(rubric, c.max), &max_format)
                    .map_err(xl)?;
                sheet.set_column_width(col, 16).map_err(xl)?;
            }
            let total_col = first + round.criteria.len() as u16;
            sheet
                .write_string_with_format(form::HEADER_ROW, total_col, form::TOTAL_HEADER, &header)
                .map_err(xl)?;
            sheet
                .write_string_with_format(
                    form::MAX_ROW,
                    total_col,
                    format!("满分 {}", round.max_total()),
                    &max_format,
                )
                .map_err(xl)?;
            sheet.set_column_width(0, 12).map_err(xl)?;
            sheet.set_column_width(1, 30).map_err(xl)?;
            let mut row = form::HEADER_ROW + 1;
            for e in &page.entries {
                sheet.write_string_with_format(row, 0, &e.id, &text).map_err(xl)?;
                sheet.write_string_with_format(row, 1, &e.title, &text).map_err(xl)?;
                if names {
                    sheet.write_string_with_format(row, 2, &e.name, &text).map_err(xl)?;
                }
                for i in 0..round.criteria.len() as u16 {
                    sheet.write_blank(row, first + i, &boxed).map_err(xl)?;
                }
                if !round.criteria.is_empty() {
                    let sum = format!(
                        "=IF(COUNT({a}:{b})=0,\"\",SUM({a}:{b}))",
                        a = cell_name(row, first),
                        b = cell_name(row, total_col - 1)
                    );
                    sheet
                        .write_formula_with_format(row, total_col, Formula::new(sum).set_result(""), &text)
                        .map_err(xl)?;
                }
                row += 1;
            }
            row += 1;
            let notes = [
                format!(
                    "每项填写 0 至该项满分之间的分数，以 {} 分为单位；空格表示未评分。填好签字后，用 jury import scores \
                     本文件.xlsx 导入。",
                    rubric.step
                ),
                format!(
                    "评委签字（{} {}）：________________    日期：________________",
                    judge.id, judge.name
                ),
                format!("数据指纹：{}　生成时间：{}", sheets.fingerprint, sheets.made_at),
            ];
            for (i, note) in notes.iter().enumerate() {
                sheet.write_string(row + i as u32, 0, note).map_err(xl)?;
            }
            sheet.set_freeze_panes(form::HEADER_ROW + 1, 0).map_err(xl)?;
            sheet.set_paper_size(9);
            sheet.set_portrait();
            sheet.set_print_fit_to_pages(1, 0);
            sheet.set_repeat_rows(form::HEADER_ROW, form::HEADER_ROW).map_err(xl)?;
            sheet.set_header(format!(
                "&C{}",
                format!("{} 评分表 {} {} {}", rubric.name, judge.id, judge.name, round.name)
                    .replace('&', "&&")
                    .chars()
                    .take(200)
                    .collect::<String>()
            ));
        }
    }
    workbook.save_to_buffer().map_err(xl)
}

/// `D7` for (row 6, column 3), 0-based.
fn cell_name(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut index = col as usize;
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}
