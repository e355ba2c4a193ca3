//! The imports (`i` on the locks tab): every import with its number, time, kind, file, rows and
//! whether it was undone, newest first; `u` asks the reason and undoes the chosen one through
//! `app::import::undo_import`, as `jury import undo N --reason R` does.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::import::ImportRecord;
use crate::tui::console::effect::Effect;
use crate::tui::console::state::*;
use crate::tui::console::update::letter;
use crate::tui::console::view::short_time;
use crate::tui::view::{clip, pad};
use crate::tui::widgets::popup;

impl Console {
    /// Open the list and read it.
    pub(crate) fn open_imports(&mut self) {
        self.overlay = Some(Overlay::Imports {
            rows: Vec::new(),
            selected: 0,
        });
        self.ask(Effect::ListImports);
    }

    pub(crate) fn imports_key(&mut self, rows: &[ImportRecord], selected: usize, key: KeyEvent) {
        let last = rows.len().saturating_sub(1);
        let chosen = match key.code {
            KeyCode::Up => selected.saturating_sub(1),
            KeyCode::Down => (selected + 1).min(last),
            KeyCode::Home => 0,
            KeyCode::End => last,
            _ if letter(&key, 'u') => {
                match rows.get(selected) {
                    Some(row) if row.undone.is_none() => {
                        self.overlay = Some(Overlay::Prompt(Prompt {
                            ask: Ask::UndoImport { number: row.number },
                            input: String::new(),
                            initial: String::new(),
                            error: None,
                        }));
                    }
                    Some(row) => {
                        let refusal = crate::core::import_log::UndoRefusal::AlreadyUndone {
                            number: row.number,
                            at: row.undone.as_ref().map(|u| short_time(&u.at)).unwrap_or_default(),
                        };
                        let text = (crate::i18n::cli_importlog::texts(self.lang).refusal)(&refusal);
                        self.error(text);
                    }
                    None => {}
                }
                return;
            }
            _ => {
                self.overlay = None;
                return;
            }
        };
        if let Some(Overlay::Imports { selected, .. }) = &mut self.overlay {
            *selected = chosen;
        }
    }

    /// The list as read (newest first; the chosen row kept, clamped).
    pub(crate) fn imports_listed(&mut self, list: crate::error::Result<Vec<ImportRecord>>) {
        let list = match list {
            Ok(list) => list,
            Err(e) => {
                self.failed(&e);
                return;
            }
        };
        if let Some(Overlay::Imports { rows, selected }) = &mut self.overlay {
            *rows = list.into_iter().rev().collect();
            *selected = (*selected).min(rows.len().saturating_sub(1));
        }
    }
}

pub(crate) fn draw_imports(frame: &mut Frame, c: &Console, body: Rect, rows: &[ImportRecord], selected: usize) {
    let t = crate::i18n::cli_importlog::texts(c.lang);
    let w = body.width.saturating_sub(4).min(96);
    let inner = usize::from(w.saturating_sub(2));
    let file_w = inner.saturating_sub(4 + 12 + 6 + 6 + 12 + 1).clamp(8, 40);
    let line = |n: &str, at: &str, kind: &str, file: &str, rows: &str, state: &str| {
        clip(
            &format!(
                " {}{}{}{}{}{}",
                pad(n, 4),
                pad(at, 12),
                pad(kind, 6),
                pad(&clip(file, file_w.saturating_sub(1)), file_w),
                pad(rows, 6),
                state
            ),
            inner,
        )
    };
    let mut shown = Vec::new();
    if rows.is_empty() {
        shown.push(Line::from(format!(" {}", t.none)));
    } else {
        let h = t.columns;
        shown.push(Line::styled(
            line(h[0], h[1], h[2], h[3], h[4], h[5]),
            c.theme.column_title,
        ));
        let room = usize::from(body.height.saturating_sub(6)).max(1);
        let first = selected.saturating_sub(room.saturating_sub(1));
        for (i, row) in rows.iter().enumerate().skip(first).take(room) {
            let state = match &row.undone {
                Some(u) => (t.undone)(&short_time(&u.at), &u.by, &u.reason),
                None => t.active.to_string(),
            };
            // The file's name without its folder: the list is narrow.
            let file = row.file.rsplit(['/', '\\']).next().unwrap_or(&row.file);
            let text = pad(
                &line(
                    &row.number.to_string(),
                    &short_time(&row.at),
                    (t.kind)(row.kind),
                    file,
                    &row.rows.to_string(),
                    &state,
                ),
                inner,
            );
            let style = if i == selected {
                c.theme.selected
            } else if row.undone.is_some() {
                c.theme.dim
            } else {
                ratatui::style::Style::default()
            };
            shown.push(Line::styled(text, style));
        }
    }
    shown.push(Line::from(""));
    shown.push(Line::styled(format!(" {}", t.keys), c.theme.hint));
    popup(frame, c.theme.heading, body, t.title, shown, w);
}
