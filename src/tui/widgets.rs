//! Drawing pieces shared by the judges' screen and the organiser's console.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::core::text::{width, wrap};

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

#[cfg(test)]
mod tests {
    use super::wrap_with_cursor;

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
}
