//! Word (.docx) documents through docx-rs: the generic pieces every .docx export uses (an A4
//! document with Chinese fonts and page numbers, a body paragraph, a heading, a simple table),
//! so the case collection ([`super::collection`]) and any later .docx printout look alike.
//!
//! Fonts: the East Asian font of body text is 宋体 (SimSun) and of headings 黑体 (SimHei), the
//! fonts every Chinese Windows and WPS install has; Latin text uses Times New Roman and Arial.
//! Text is escaped by docx-rs; control characters a file may carry (not allowed in XML) are
//! dropped here, tabs become tabs and line breaks soft breaks.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, NumPages, PageMargin, PageNum, PageOrientationType, Paragraph,
    Run, RunFonts, Style, StyleType, Table, TableCell, TableRow, WidthType,
};

use crate::error::{Error, Result};

/// East Asian font of body text.
pub const BODY_FONT: &str = "宋体";
/// East Asian font of headings and titles.
pub const HEADING_FONT: &str = "黑体";
/// Body text size in half-points (12 pt, 小四).
pub const BODY_SIZE: usize = 24;

/// A4 in twentieths of a point (210 mm x 297 mm).
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;

/// Latin text beside the Chinese font.
fn fonts(east_asia: &str, latin: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(latin)
        .hi_ansi(latin)
        .cs(latin)
}

/// The body font (宋体 with Times New Roman).
pub fn body_fonts() -> RunFonts {
    fonts(BODY_FONT, "Times New Roman")
}

/// The heading font (黑体 with Arial).
pub fn heading_fonts() -> RunFonts {
    fonts(HEADING_FONT, "Arial")
}

/// Text as runs: control characters dropped (XML allows none but tab and line breaks), a tab a
/// tab, a line break a soft break (Shift+Enter).
pub fn text_run(text: &str, fonts: RunFonts, size: usize) -> Run {
    let mut run = Run::new().fonts(fonts).size(size);
    let mut piece = String::new();
    for c in text.chars() {
        match c {
            '\n' | '\t' => {
                if !piece.is_empty() {
                    run = run.add_text(std::mem::take(&mut piece));
                }
                run = if c == '\n' {
                    run.add_break(BreakType::TextWrapping)
                } else {
                    run.add_tab()
                };
            }
            '\r' => {}
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => piece.push(c),
        }
    }
    if !piece.is_empty() {
        run = run.add_text(piece);
    }
    run
}

/// A body paragraph in 宋体, the first line indented by two characters (as Chinese prose is).
pub fn paragraph(text: &str) -> Paragraph {
    Paragraph::new()
        .style("Normal")
        .add_run(text_run(text, body_fonts(), BODY_SIZE))
        .first_line_chars(200)
        .line_spacing(LineSpacing::new().after(60))
}

/// A plain paragraph in 宋体 without indent (lists, metadata lines), `size` in half-points.
pub fn plain(text: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .style("Normal")
        .add_run(text_run(text, body_fonts(), size))
        .line_spacing(LineSpacing::new().after(40))
}

/// A prose text as paragraphs, one per non-empty line.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(paragraph)
        .collect()
}

/// A heading (level 1 to 3) in 黑体 with Word's built-in heading style, so Word's navigation
/// pane and a table of contents find it; kept with the paragraph after it.
pub fn heading(level: usize, text: &str) -> Paragraph {
    let level = level.clamp(1, 3);
    Paragraph::new()
        .style(&format!("Heading{level}"))
        .add_run(text_run(text, heading_fonts(), heading_size(level)))
        .keep_next(true)
}

/// A centred title in 黑体 (二号, 22 pt).
pub fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .style("Title")
        .align(AlignmentType::Center)
        .add_run(text_run(text, heading_fonts(), 44))
        .line_spacing(LineSpacing::new().after(240))
}

/// A centred line in 宋体, `size` in half-points.
pub fn centred(text: &str, size: usize) -> Paragraph {
    plain(text, size).align(AlignmentType::Center)
}

fn heading_size(level: usize) -> usize {
    match level {
        1 => 32, // 三号
        2 => 28, // 四号
        _ => 24, // 小四
    }
}

/// A table with a bold header row and thin borders; `widths` are the columns' widths in
/// twentieths of a point (an empty slice lets Word size them).
pub fn table(headers: &[&str], rows: &[Vec<String>], widths: &[usize]) -> Table {
    let cell = |text: &str, bold: bool, i: usize| {
        let mut run = text_run(text, if bold { heading_fonts() } else { body_fonts() }, 21);
        if bold {
            run = run.bold();
        }
        let mut c = TableCell::new().add_paragraph(Paragraph::new().add_run(run));
        if let Some(w) = widths.get(i) {
            c = c.width(*w, WidthType::Dxa);
        }
        c
    };
    let mut out = vec![TableRow::new(headers.iter().enumerate().map(|(i, h)| cell(h, true, i)).collect()).cant_split()];
    for r in rows {
        out.push(TableRow::new(r.iter().enumerate().map(|(i, t)| cell(t, false, i)).collect()).cant_split());
    }
    let mut t = Table::new(out);
    if !widths.is_empty() {
        t = t.set_grid(widths.to_vec());
    }
    t
}

/// A page break before the paragraph.
pub fn on_new_page(p: Paragraph) -> Paragraph {
    p.page_break_before(true)
}

/// A new A4 document (portrait or landscape) with 宋体 as the default font, heading styles in
/// 黑体, and `第 N 页，共 M 页` centred in the footer.
pub fn document(landscape: bool) -> Docx {
    let (w, h, orient) = if landscape {
        (A4_HEIGHT, A4_WIDTH, PageOrientationType::Landscape)
    } else {
        (A4_WIDTH, A4_HEIGHT, PageOrientationType::Portrait)
    };
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(text_run("第 ", body_fonts(), 18))
            .add_page_num(PageNum::new())
            .add_run(text_run(" 页，共 ", body_fonts(), 18))
            .add_num_pages(NumPages::new())
            .add_run(text_run(" 页", body_fonts(), 18)),
    );
    let mut docx = Docx::new()
        .page_size(w, h)
        .page_orient(orient)
        .page_margin(
            PageMargin::new()
                .top(1440)
                .bottom(1440)
                .left(1587)
                .right(1587)
                .header(851)
                .footer(992),
        )
        .default_fonts(body_fonts())
        .default_size(BODY_SIZE)
        .footer(footer)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .fonts(heading_fonts())
                .size(44)
                .align(AlignmentType::Center),
        );
    for level in 1..=3 {
        docx = docx.add_style(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("heading {level}"))
                .based_on("Normal")
                .next("Normal")
                .q_format(true)
                .fonts(heading_fonts())
                .size(heading_size(level))
                .bold()
                .outline_lvl(level - 1)
                .line_spacing(LineSpacing::new().before(if level == 1 { 240 } else { 180 }).after(120)),
        );
    }
    docx
}

/// The document's bytes.
pub fn pack(docx: Docx) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).map_err(|e| {
        Error::from(crate::core::refusal::ExportRefusal::BuildFailed {
            what: crate::core::refusal::Built::WordDocument,
            detail: e.to_string(),
        })
    })?;
    Ok(out.into_inner())
}

/// A Chinese ordinal for topic numbers: 一, 二, … 九十九 (then Arabic digits).
pub fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut s = String::new();
            if tens > 1 {
                s.push(DIGITS[tens]);
            }
            s.push('十');
            if ones > 0 {
                s.push(DIGITS[ones]);
            }
            s
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document_xml(docx: Docx) -> String {
        use std::io::Read;
        let bytes = pack(docx).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    #[test]
    fn a_document_is_a4_with_chinese_fonts_and_page_numbers() {
        let xml = document_xml(
            document(false)
                .add_paragraph(heading(1, "一、亲子沟通"))
                .add_paragraph(paragraph("第一行\n第二行\t<&>\u{1}")),
        );
        assert!(xml.contains("w:w=\"11906\"") && xml.contains("w:h=\"16838\""), "{xml}");
        assert!(xml.contains("w:eastAsia=\"黑体\""), "{xml}");
        assert!(xml.contains("w:eastAsia=\"宋体\""), "{xml}");
        assert!(xml.contains("w:val=\"Heading1\""), "{xml}");
        assert!(
            xml.contains("第一行</w:t>") && xml.contains("<w:br w:type=\"textWrapping\" />"),
            "{xml}"
        );
        assert!(xml.contains("&lt;&amp;&gt;"), "{xml}");
        assert!(!xml.contains('\u{1}'));
        let landscape = document_xml(document(true));
        assert!(landscape.contains("w:orient=\"landscape\""), "{landscape}");
    }

    #[test]
    fn a_table_has_its_header_and_rows() {
        let xml = document_xml(document(false).add_table(table(
            &["序号", "单位"],
            &[vec!["1".into(), "高安市第一小学".into()]],
            &[800, 3000],
        )));
        let header = xml.find("序号").unwrap();
        let cell = xml.find("高安市第一小学").unwrap();
        assert!(header < cell);
        assert!(xml.contains("<w:gridCol w:w=\"3000\""), "{xml}");
    }

    #[test]
    fn ordinals_are_chinese() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 21, 99, 100]
            .iter()
            .map(|n| chinese_ordinal(*n))
            .collect();
        assert_eq!(got, ["一", "九", "十", "十一", "二十", "二十一", "九十九", "100"]);
    }
}
