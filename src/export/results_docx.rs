//! `jury export results --format docx`: the results as a Word document (docx-rs), which the
//! bureaux edit in Word or WPS before posting. The same columns as every other format
//! ([`super::results_columns`]), the group's standing (暂定结果（未锁定） or 正式结果) under each
//! group's title, the fingerprint in the page header; the panel's copy adds each judge's total
//! under every entry and the signature lines, the public copy the rubric's publicity text and the
//! organiser's line for the seal instead. Chinese text in 宋体, headings in 黑体; A4, landscape
//! when the table has more than eight columns; the header row repeats on every page.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, Header, PageMargin, PageOrientationType, Paragraph, Run, RunFonts, Table, TableCell,
    TableLayoutType, TableRow, WidthType,
};

use crate::core::tally::{Dropped, EntryResult, GroupTally};
use crate::core::text::width;
use crate::error::{Error, Result};

use super::html::PORTRAIT_COLUMNS;
use super::results_columns::{columns, note, seal_line};
use super::snapshot::Snapshot;

/// The body's Chinese font and the headings'.
pub const BODY_FONT: &str = "宋体";
pub const HEADING_FONT: &str = "黑体";
const LATIN_FONT: &str = "Times New Roman";

/// A4 in twentieths of a point, and the margins.
const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;
const MARGIN: i32 = 1000;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
}

/// A run of text; sizes in half-points (21 = 10.5 pt, 五号).
fn run(text: &str, size: usize, heading: bool) -> Run {
    let r = Run::new()
        .add_text(text)
        .size(size)
        .fonts(fonts(if heading { HEADING_FONT } else { BODY_FONT }));
    if heading { r.bold() } else { r }
}

fn para(text: &str, size: usize, heading: bool) -> Paragraph {
    Paragraph::new().add_run(run(text, size, heading))
}

fn centred(text: &str, size: usize, heading: bool) -> Paragraph {
    para(text, size, heading).align(AlignmentType::Center)
}

/// The column widths (twips) sharing `total` by the longest text of each column.
fn grid(cells: &[Vec<String>], total: usize) -> Vec<usize> {
    let columns = cells.first().map_or(0, Vec::len);
    let wanted: Vec<usize> = (0..columns)
        .map(|i| {
            cells
                .iter()
                .filter_map(|row| row.get(i))
                .flat_map(|c| c.lines().map(width))
                .max()
                .unwrap_or(4)
                .clamp(4, 30)
        })
        .collect();
    let sum: usize = wanted.iter().sum::<usize>().max(1);
    wanted.iter().map(|w| w * total / sum).collect()
}

/// Each judge's total of an entry, dropped ones marked, flagged ones noted.
fn marks_text(snapshot: &Snapshot, e: &EntryResult) -> String {
    let mut parts = Vec::new();
    for (result, round) in e.rounds.iter().zip(&snapshot.rubric.rounds) {
        if result.marks.is_empty() {
            continue;
        }
        let marks: Vec<String> = result
            .marks
            .iter()
            .map(|m| {
                let mut t = format!("{} {}", m.judge, m.total);
                match m.dropped {
                    Some(Dropped::High) => t.push_str("（去掉最高分）"),
                    Some(Dropped::Low) => t.push_str("（去掉最低分）"),
                    None => {}
                }
                if m.flagged {
                    t.push_str("［分差过大］");
                }
                t
            })
            .collect();
        parts.push(format!("{}：{}", round.name, marks.join("　")));
    }
    parts.join("；")
}

fn group_table(snapshot: &Snapshot, group: &GroupTally, content_width: usize) -> Table {
    let cols = columns(snapshot);
    let mut header: Vec<String> = cols.iter().map(|c| c.header(snapshot)).collect();
    header.push("备注".into());
    let rows: Vec<Vec<String>> = group
        .entries
        .iter()
        .map(|e| {
            let mut row: Vec<String> = cols
                .iter()
                .map(|c| {
                    c.value(snapshot, e)
                        .unwrap_or_else(|| if c.numeric() { "—".into() } else { String::new() })
                })
                .collect();
            row.push(note(snapshot, e));
            row
        })
        .collect();
    let mut all = vec![header.clone()];
    all.extend(rows.iter().cloned());
    let widths = grid(&all, content_width);
    let cell = |text: &str, i: usize, heading: bool, numeric: bool| {
        let mut p = Paragraph::new();
        for (n, line) in text.lines().enumerate() {
            if n > 0 {
                p = p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping));
            }
            p = p.add_run(run(line, 20, heading));
        }
        let p = if heading {
            p.align(AlignmentType::Center)
        } else if numeric {
            p.align(AlignmentType::Right)
        } else {
            p
        };
        TableCell::new()
            .add_paragraph(p)
            .width(widths.get(i).copied().unwrap_or(0), WidthType::Dxa)
    };
    let numeric: Vec<bool> = cols.iter().map(|c| c.numeric()).chain([false]).collect();
    let mut table_rows = vec![
        TableRow::new(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| cell(h, i, true, false))
                .collect(),
        )
        .cant_split(),
    ];
    for (e, row) in group.entries.iter().zip(&rows) {
        table_rows.push(
            TableRow::new(
                row.iter()
                    .enumerate()
                    .map(|(i, t)| cell(t, i, false, numeric[i]))
                    .collect(),
            )
            .cant_split(),
        );
        if !snapshot.public {
            let marks = marks_text(snapshot, e);
            if !marks.is_empty() {
                table_rows.push(
                    TableRow::new(vec![
                        TableCell::new()
                            .add_paragraph(para(&marks, 16, false))
                            .grid_span(row.len())
                            .width(content_width, WidthType::Dxa),
                    ])
                    .cant_split(),
                );
            }
        }
    }
    Table::new(table_rows)
        .set_grid(widths)
        .layout(TableLayoutType::Fixed)
        .width(content_width, WidthType::Dxa)
}

/// The results of every group in the snapshot as .docx bytes.
pub fn results_docx(snapshot: &Snapshot) -> Result<Vec<u8>> {
    let tally = &snapshot.tally;
    let landscape = columns(snapshot).len() + 1 > PORTRAIT_COLUMNS;
    let (page_w, page_h) = if landscape {
        (A4_LONG, A4_SHORT)
    } else {
        (A4_SHORT, A4_LONG)
    };
    let content_width = (page_w as i32 - 2 * MARGIN).max(1000) as usize;
    let fp = snapshot.fingerprint.to_string();
    let mut doc = Docx::new()
        .page_size(page_w, page_h)
        .page_orient(if landscape {
            PageOrientationType::Landscape
        } else {
            PageOrientationType::Portrait
        })
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(500)
                .footer(500),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(21)
        .header(Header::new().add_paragraph(centred(&format!("{}　数据指纹 {fp}", tally.contest), 16, false)))
        .custom_property("fingerprint", fp.as_str());
    for (i, group) in tally.groups.iter().enumerate() {
        doc = doc.add_paragraph(
            centred(
                &format!("{} {} {}", tally.contest, group.group, snapshot.results_title()),
                32,
                true,
            )
            .page_break_before(i > 0),
        );
        doc = doc.add_paragraph(centred(&snapshot.standing(&group.group).heading_zh(), 24, true));
        let copy = if snapshot.public { "公示稿　" } else { "" };
        doc = doc.add_paragraph(centred(
            &format!("{copy}生成时间：{}　数据指纹：{fp}", snapshot.made_at),
            18,
            false,
        ));
        doc = doc.add_paragraph(para(
            &format!(
                "每轮得分：{}；结果保留 {} 位小数（四舍五入）。",
                snapshot.rubric.rule_in_words_zh(),
                tally.decimals
            ),
            18,
            false,
        ));
        doc = doc.add_table(group_table(snapshot, group, content_width));
        if snapshot.public {
            if let Some(text) = &snapshot.rubric.publicity {
                for line in text.lines() {
                    doc = doc.add_paragraph(para(line, 21, false));
                }
            }
            doc = doc.add_paragraph(para(&seal_line(&snapshot.rubric), 21, false));
        } else {
            doc = doc.add_paragraph(para("评审组长签字：__________", 21, false).keep_next(true));
            let judges = signing_judges(snapshot, group);
            for j in judges {
                doc = doc.add_paragraph(
                    para(&format!("评委签字（{} {}）：__________", j.id, j.name), 21, false).keep_next(true),
                );
            }
            doc = doc.add_paragraph(para("日期：__________", 21, false));
        }
    }
    if tally.groups.is_empty() {
        doc = doc.add_paragraph(centred(
            &format!("{} {}", tally.contest, snapshot.results_title()),
            32,
            true,
        ));
        doc = doc.add_paragraph(para("没有可打印的组别。", 21, false));
    }
    let mut buf = Cursor::new(Vec::new());
    doc.build().pack(&mut buf).map_err(|e| {
        Error::from(crate::core::refusal::ExportRefusal::BuildFailed {
            what: crate::core::refusal::Built::Document,
            detail: e.to_string(),
        })
    })?;
    repeat_header_rows(&buf.into_inner())
}

/// The first row of every table (its header, the only tables written) repeated at the top of
/// every page it runs onto (`<w:tblHeader/>`), which docx-rs has no call for: the package is
/// rewritten with that one change to word/document.xml.
fn repeat_header_rows(docx: &[u8]) -> Result<Vec<u8>> {
    use std::io::{Read, Write};
    let bad = |e: &dyn std::fmt::Display| {
        Error::from(crate::core::refusal::ExportRefusal::BuildFailed {
            what: crate::core::refusal::Built::Document,
            detail: e.to_string(),
        })
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).map_err(|e| bad(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| bad(&e))?;
        let name = file.name().map_err(|e| bad(&e))?.to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| bad(&e))?;
        if name == "word/document.xml" {
            let xml = String::from_utf8_lossy(&bytes).replace(
                "</w:tblGrid><w:tr><w:trPr><w:cantSplit /></w:trPr>",
                "</w:tblGrid><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>",
            );
            bytes = xml.into_bytes();
        }
        out.start_file(name, options).map_err(|e| bad(&e))?;
        out.write_all(&bytes).map_err(|e| bad(&e))?;
    }
    Ok(out.finish().map_err(|e| bad(&e))?.into_inner())
}

/// The judges whose marks appear in the group, else every judge.
fn signing_judges<'a>(snapshot: &'a Snapshot, group: &GroupTally) -> Vec<&'a crate::core::Judge> {
    let scored: std::collections::HashSet<&str> = group
        .entries
        .iter()
        .flat_map(|e| e.rounds.iter().flat_map(|r| r.marks.iter().map(|m| &*m.judge)))
        .collect();
    let some: Vec<&crate::core::Judge> = snapshot
        .judges
        .iter()
        .filter(|j| scored.contains(j.id.as_str()))
        .collect();
    if some.is_empty() {
        snapshot.judges.iter().collect()
    } else {
        some
    }
}
