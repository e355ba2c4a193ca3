//! Drawing pieces shared by the judges' screen and the organiser's console.

use ratatui::Frame;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::core::text::{width, wrap};
use unicode_segmentation::UnicodeSegmentation;

use super::state::{Level, Message};
use super::theme::Theme;
use super::view::pad;

/// Key help as the catalogues hold it: sections of (keys, what they do).
pub type HelpCatalogue = &'static [(&'static str, &'static [(&'static str, &'static str)])];

/// A `w` x `h` rectangle in the middle of `area` (clipped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// A bordered popup of width `w` in the middle of `area` holding `lines`; returns its inner area.
pub fn popup(frame: &mut Frame, heading: Style, area: Rect, title: &str, lines: Vec<Line>, w: u16) -> Rect {
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = centered(area, w, h);
    frame.render_widget(Clear, rect);
    // A wide character starting just left of the popup would spill over its border: blank it.
    if rect.x > 0 {
        let buffer = frame.buffer_mut();
        for y in rect.top()..rect.bottom() {
            buffer[(rect.x - 1, y)].reset();
        }
    }
    let block = Block::bordered().title(Line::styled(format!(" {title} "), heading));
    let inner = block.inner(rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    inner
}

/// The key help popup: descriptions wrapped by display width beside aligned keys, scrolled by
/// `scroll` (clamped here so it never scrolls past the end).
pub fn draw_help(
    frame: &mut Frame,
    help: HelpCatalogue,
    title: &str,
    (heading, keys): (Style, Style),
    scroll: &mut usize,
    body: Rect,
) {
    let w = body.width.saturating_sub(4).min(96);
    let inner_w = usize::from(w.saturating_sub(2));
    let key_w = help
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|(k, _)| width(k)))
        .max()
        .unwrap_or(10)
        .min(inner_w / 2);
    let mut lines: Vec<Line> = Vec::new();
    for (section, rows) in help {
        lines.push(Line::styled(section.to_string(), heading));
        for (k, d) in *rows {
            for (i, dl) in wrap(d, inner_w.saturating_sub(key_w + 3).max(10))
                .into_iter()
                .enumerate()
            {
                let key = if i == 0 { pad(k, key_w) } else { " ".repeat(key_w) };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {key}"), keys),
                    Span::raw(format!("  {dl}")),
                ]));
            }
        }
    }
    let room = usize::from(body.height.saturating_sub(2));
    *scroll = (*scroll).min(lines.len().saturating_sub(room));
    let shown: Vec<Line> = lines.into_iter().skip(*scroll).collect();
    popup(frame, heading, body, title, shown, w);
}

/// The bottom message line: an information or an error, coloured by the theme.
pub fn draw_message(frame: &mut Frame, message: Option<&Message>, theme: &Theme, area: Rect) {
    let (text, style) = match message {
        Some(m) => (
            m.text.as_str(),
            match m.level {
                Level::Info => theme.info,
                Level::Error => theme.error,
            },
        ),
        None => ("", Style::default()),
    };
    let line = pad(&format!(" {text}"), usize::from(area.width));
    frame.render_widget(Paragraph::new(Line::styled(line, style)), area);
}

/// `text` broken into lines of at most `max` display columns, never inside a grapheme (a wide
/// character counts two columns; a line break in the text starts a new line), and where the
/// cursor at byte `cursor` stands: (line, column). At the very end of a full line the column is
/// `max`: leave one column after the text for it.
pub fn wrap_with_cursor(text: &str, max: usize, cursor: usize) -> (Vec<String>, (usize, usize)) {
    use unicode_segmentation::UnicodeSegmentation;
    let max = max.max(2);
    let mut lines = vec![String::new()];
    let mut col = 0;
    let mut at = None;
    for (byte, g) in text.grapheme_indices(true) {
        let newline = g.chars().all(|c| c == '\n' || c == '\r');
        let w = if newline { 0 } else { width(g) };
        if !newline && col + w > max && col > 0 {
            lines.push(String::new());
            col = 0;
        }
        if byte == cursor {
            at = Some((lines.len() - 1, col));
        }
        if newline {
            lines.push(String::new());
            col = 0;
        } else if let Some(line) = lines.last_mut() {
            line.push_str(g);
            col += w;
        }
    }
    let at = at.unwrap_or((lines.len() - 1, col));
    (lines, at)
}

/// Draws `lines` into `area` one row each, left-aligned and cut at the area's width: the cells
/// `Paragraph::new(lines)` (no wrap, no block) would draw, written straight into the buffer.
/// The judges' list redraws up to a screenful of padded rows per frame; the Paragraph path built
/// a grapheme list and a truncator per line and was the largest cost of the first frame.
/// Same rules as ratatui's paragraph: graphemes with a control character are dropped, a
/// grapheme that no longer fits ends the row (a wide character is never split), zero-width
/// graphemes draw nothing, and the cell behind a wide character is left as it was.
pub fn draw_lines(buf: &mut Buffer, area: Rect, lines: &[Line]) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let max = area.width;
    for (y, line) in (area.top()..area.bottom()).zip(lines) {
        let mut x = 0u16;
        'row: for span in &line.spans {
            let style = Style::default().patch(line.style).patch(span.style);
            let text = span.content.as_ref();
            if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                // Printable ASCII: one byte, one grapheme, one cell.
                for i in 0..text.len() {
                    if x >= max {
                        break 'row;
                    }
                    if let Some(g) = text.get(i..=i) {
                        buf[(area.left() + x, y)].set_symbol(g).set_style(style);
                    }
                    x += 1;
                }
            } else {
                // Printable ASCII and CJK ideographs next to each other: a grapheme boundary lies
                // between any two of them (neither extends nor prepends), so each is one
                // grapheme of 1 or 2 cells. The rest of the span goes through the segmenter.
                let mut rest = text;
                let mut chars = text.char_indices().peekable();
                while let Some((i, c)) = chars.next() {
                    let w = simple_width(c);
                    let next_simple = chars.peek().is_none_or(|&(_, n)| simple_width(n) > 0);
                    if w == 0 || !next_simple {
                        rest = text.get(i..).unwrap_or("");
                        break;
                    }
                    rest = "";
                    if w > max {
                        continue;
                    }
                    if x + w > max {
                        break 'row;
                    }
                    if let Some(g) = text.get(i..i + c.len_utf8()) {
                        buf[(area.left() + x, y)].set_symbol(g).set_style(style);
                    }
                    x += w;
                }
                for g in rest.graphemes(true).filter(|g| !g.contains(char::is_control)) {
                    let w = g.cell_width();
                    if w > max {
                        continue;
                    }
                    if x + w > max {
                        break 'row;
                    }
                    if w == 0 {
                        continue;
                    }
                    buf[(area.left() + x, y)].set_symbol(g).set_style(style);
                    x += w;
                }
            }
        }
    }
}

/// The cells of a character that is always a grapheme of its own among its kind: printable
/// ASCII (1), CJK ideographs and fullwidth forms (2); 0 for every other character.
fn simple_width(c: char) -> u16 {
    match c {
        ' '..='~' => 1,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF60}' => 2,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::wrap_with_cursor;
    use super::*;

    #[test]
    fn wide_characters_take_two_columns_and_the_cursor_follows_the_wrap() {
        // 6 columns: three Chinese characters a line.
        let text = "表达清楚节奏好";
        let at = |cursor: usize| wrap_with_cursor(text, 6, cursor).1;
        let (lines, _) = wrap_with_cursor(text, 6, 0);
        assert_eq!(lines, vec!["表达清", "楚节奏", "好"]);
        assert_eq!(at(0), (0, 0));
        assert_eq!(at("表".len()), (0, 2));
        // Before 楚: the start of the second line, not the end of the first.
        assert_eq!(at("表达清".len()), (1, 0));
        assert_eq!(at(text.len()), (2, 2));
        // A wide character never splits over two lines: 5 columns hold two of them.
        let (lines, end) = wrap_with_cursor("a表达清", 5, "a表达清".len());
        assert_eq!(lines, vec!["a表达", "清"]);
        assert_eq!(end, (1, 2));
        // The cursor after a full line stands in the column after it.
        assert_eq!(
            wrap_with_cursor("表达清", 6, "表达清".len()),
            (vec!["表达清".to_string()], (0, 6))
        );
        assert_eq!(wrap_with_cursor("", 6, 0), (vec![String::new()], (0, 0)));
        assert_eq!(wrap_with_cursor("ab\ncd", 6, 4).1, (1, 1));
    }

    #[test]
    fn draw_lines_draws_what_a_paragraph_draws() {
        use ratatui::style::{Color, Modifier};
        use ratatui::widgets::Widget;
        let red = Style::default().fg(Color::Red);
        let sel = Style::default().add_modifier(Modifier::REVERSED);
        let lines = vec![
            Line::from(vec![
                Span::raw(" "),
                Span::styled("A001 ", red),
                Span::styled("家庭教育案例一二三四五 ", Style::default().fg(Color::Green)),
                Span::styled("org", red),
            ]),
            Line::from(vec![Span::raw("x"), Span::styled("中文宽字符被切开吗", red)]).style(sel),
            Line::from(vec![Span::raw("e\u{301}ab"), Span::styled("a\tb\u{200b}c", red)]),
            Line::from(vec![Span::styled("abcdefghijklmnopqrstuvwxyz", red.patch(sel))]),
            Line::from(""),
            Line::from(vec![Span::raw("中a\u{301}b文"), Span::styled("全，角！x宽", red)]),
            Line::from("该行不应出现"),
        ];
        // An odd width cuts the wide characters in the middle; one row fewer than lines.
        for w in [1u16, 2, 3, 7, 13, 17, 19] {
            let area = Rect::new(1, 1, w, 6);
            let full = Rect::new(0, 0, w + 2, 8);
            let mut old = Buffer::empty(full);
            Paragraph::new(lines.clone()).render(area, &mut old);
            let mut new = Buffer::empty(full);
            draw_lines(&mut new, area, &lines);
            assert_eq!(new, old, "width {w}");
        }
        // The cut is visible: at width 7 the second row ends before a split 宽.
        let mut buf = Buffer::empty(Rect::new(0, 0, 7, 2));
        draw_lines(&mut buf, Rect::new(0, 0, 7, 2), &lines);
        let row: String = (0..7).map(|x| buf[(x, 1)].symbol().to_string()).collect();
        assert_eq!(row, "x中 文 宽 ");
        assert_eq!(buf[(0, 1)].style().add_modifier, Modifier::REVERSED);
        assert_eq!(buf[(1, 1)].style().fg, Some(Color::Red));
    }
}
