//! The locks tab: lock or unlock a group and/or a round, with the room's audit trail below.

use crate::app::progress::{self, covering_lock, exact_lock, lock_targets};
use crate::tui::console::keymap::Action;
use crate::tui::console::state::*;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::text::width;
use crate::tui::console::view::{row_rect, scroll, short_time};
use crate::tui::view::{clip, pad};

impl Console {
    pub(crate) fn room_action(&mut self, action: Action) {
        if self.move_action(action) {
            return;
        }
        if action == Action::Connected {
            self.open_connected();
            return;
        }
        if action == Action::Imports {
            self.open_imports();
            return;
        }
        if action == Action::Rubric {
            self.ask_rubric_file();
            return;
        }
        let Some(data) = &self.data else { return };
        let Some(target) = lock_targets(&data.rubric)
            .get(self.selected[Tab::Room.index()])
            .cloned()
        else {
            return;
        };
        let locked = progress::exact_lock(&data.locks, &target).is_some();
        let (group, round) = (target.group, target.round);
        let ask = match action {
            Action::LockOrUnlock if locked => Ask::Unlock { group, round },
            Action::LockOrUnlock | Action::Lock => Ask::Lock { group, round },
            Action::Unlock => {
                if !locked {
                    self.error(self.t.not_locked);
                    return;
                }
                Ask::Unlock { group, round }
            }
            _ => return,
        };
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask,
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }
}

pub(crate) fn draw_room(frame: &mut Frame, c: &mut Console, body: Rect) {
    let t = c.t;
    let w = usize::from(body.width);
    let Some(data) = &c.data else { return };
    let targets = lock_targets(&data.rubric);
    let list_h = (targets.len() as u16 + 1).min(body.height.saturating_sub(4).max(3));
    let [head, list, gap, trail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(list_h.saturating_sub(1)),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(body);
    let scope_w = targets
        .iter()
        .map(|x| width(&c.lock_label(x.group.as_deref(), x.round.as_deref())))
        .max()
        .unwrap_or(10)
        .clamp(10, 36);
    frame.render_widget(
        Paragraph::new(Line::styled(
            pad(&format!(" {} {}", pad(t.col_scope, scope_w), t.col_lock), w),
            c.theme.column_title,
        )),
        head,
    );
    let rows = usize::from(list.height);
    let ti = Tab::Room.index();
    c.offset[ti] = scroll(c.offset[ti], c.selected[ti], rows);
    let mut lines = Vec::new();
    for (i, target) in targets.iter().enumerate().skip(c.offset[ti]).take(rows) {
        let label = c.lock_label(target.group.as_deref(), target.round.as_deref());
        let (status, style) = if let Some(l) = exact_lock(&data.locks, target) {
            ((t.lock_set)(&short_time(&l.locked_at), &l.reason), c.theme.error)
        } else if let Some(l) = covering_lock(&data.locks, target) {
            (
                (t.lock_covered)(&c.lock_label(l.group.as_deref(), l.round.as_deref())),
                c.theme.draft,
            )
        } else {
            (t.lock_open.to_string(), c.theme.dim)
        };
        let base = if i == c.selected[ti] {
            c.theme.selected
        } else {
            Style::default()
        };
        c.areas.rows.push((row_rect(list, lines.len()), i));
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", pad(&label, scope_w)), base),
            Span::styled(clip(&status, w.saturating_sub(scope_w + 2)), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), list);
    let _ = gap;
    let mut lines = vec![Line::styled(format!(" {}", t.trail_heading), c.theme.heading)];
    if data.audit.is_empty() {
        lines.push(Line::styled(format!(" {}", t.trail_empty), c.theme.dim));
    }
    for r in data.audit.iter().take(usize::from(trail.height.saturating_sub(1))) {
        // Over `jury serve` the actor names the client's address after an `@`.
        let who = match r.actor.split('@').next().unwrap_or_default() {
            "organiser" => t.actor_organiser.to_string(),
            "cli" => t.actor_cli.to_string(),
            other => other.to_string(),
        };
        let detail = round_names(&r.detail, &data.rubric);
        let what = [r.entry.as_deref(), r.judge.as_deref(), Some(detail.as_str())]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let reason = if r.reason.is_empty() {
            String::new()
        } else {
            (t.because)(&r.reason)
        };
        let text = format!(
            " {} {} {} {} {}",
            short_time(&r.at),
            pad(&who, 6),
            pad(&(t.action_name)(&r.action), 8),
            what,
            reason
        );
        lines.push(Line::from(clip(&text, w)));
    }
    frame.render_widget(Paragraph::new(lines), trail);
}

/// An audit row's detail with every round id (`lesson`, `lesson/content`, `教师组 / lesson`) shown
/// by the round's name, as everywhere else on the screens.
fn round_names(detail: &str, rubric: &crate::core::rubric::Rubric) -> String {
    detail
        .split(' ')
        .map(|word| {
            word.split('/')
                .map(|part| {
                    rubric
                        .rounds
                        .iter()
                        .find(|r| r.id == part)
                        .map_or(part, |r| r.name.as_str())
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect::<Vec<_>>()
        .join(" ")
}
