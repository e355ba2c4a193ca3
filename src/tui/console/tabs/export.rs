//! The export tab: write results, score sheets or a backup, as `jury export` does.

use crate::tui::console::effect::Effect;
use crate::tui::console::keymap::Action;
use crate::tui::console::state::*;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::text::width;
use crate::tui::console::view::row_rect;
use crate::tui::view::{clip, pad};

/// The export tab's own state: the files written this session.
#[derive(Debug, Clone, Default)]
pub struct ExportTab {
    pub written: Vec<Written>,
}

impl Console {
    pub(crate) fn export_action(&mut self, action: Action) {
        if self.move_action(action) {
            return;
        }
        if action == Action::Export {
            let kinds = self.export_kinds();
            let Some(kind) = kinds.get(self.selected[Tab::Export.index()].min(kinds.len().saturating_sub(1))) else {
                return;
            };
            self.ask(Effect::ExportName { kind: *kind });
        }
    }

    /// The kinds this contest's tab lists ([`ExportKind::for_contest`]).
    pub(crate) fn export_kinds(&self) -> Vec<ExportKind> {
        let cases = self
            .data
            .as_ref()
            .is_some_and(|d| d.rubric.kind == crate::core::Kind::Cases);
        ExportKind::for_contest(cases)
    }

    /// The suggested file name came: ask for the file, prefilled with it.
    pub(crate) fn export_named(&mut self, kind: ExportKind, result: crate::error::Result<String>) {
        match result {
            Ok(name) => {
                self.overlay = Some(Overlay::Prompt(Prompt {
                    ask: Ask::ExportFile(kind),
                    input: name.clone(),
                    initial: name,
                    error: None,
                }));
            }
            Err(e) => self.failed(&e),
        }
    }

    pub(crate) fn exported(&mut self, kind: ExportKind, result: crate::error::Result<(String, String)>) {
        match result {
            Ok((path, fingerprint)) => {
                let what = (self.t.export_label)(kind).to_string();
                let message = (self.t.exported)(&what, &path, &fingerprint);
                self.export.written.push(Written {
                    what,
                    path,
                    fingerprint,
                });
                self.answered(message);
            }
            Err(e) => self.refused_in_prompt(&e),
        }
    }
}

pub(crate) fn draw_export(frame: &mut Frame, c: &mut Console, body: Rect) {
    let t = c.t;
    let w = usize::from(body.width);
    let ti = Tab::Export.index();
    let mut lines = vec![Line::styled(format!(" {}", t.export_heading), c.theme.heading)];
    let kinds = c.export_kinds();
    let label_w = kinds.iter().map(|k| width((t.export_label)(*k))).max().unwrap_or(10) + 2;
    for (i, kind) in kinds.iter().enumerate() {
        let base = if i == c.selected[ti] {
            c.theme.selected
        } else {
            Style::default()
        };
        c.areas.rows.push((row_rect(body, lines.len()), i));
        lines.push(Line::from(vec![
            Span::styled(format!(" {}", pad((t.export_label)(*kind), label_w)), base),
            Span::styled(
                clip(&format!(" {}", (t.export_about)(*kind)), w.saturating_sub(label_w + 1)),
                c.theme.hint,
            ),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(format!(" {}", t.written_heading), c.theme.heading));
    if c.export.written.is_empty() {
        lines.push(Line::styled(format!(" {}", t.written_none), c.theme.dim));
    }
    for x in c.export.written.iter().rev() {
        lines.push(Line::from(clip(&format!(" {}  {}", x.what, x.path), w)));
        lines.push(Line::styled(clip(&format!("   {}", x.fingerprint), w), c.theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), body);
}
