//! Drawing pieces shared by the judges' screen and the organiser's console.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::text::{width, wrap};

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
