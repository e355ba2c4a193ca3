//! Who is connected (`w` on the locks tab): the server's live sessions with judge, address, since
//! and idle time; `x` ends the chosen one (the server tells its client why). A console on a local
//! terminal says it is not serving. The list is the runner's ([`crate::app::sessions::Sessions`]).

use std::time::Duration;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::sessions::{SessionInfo, SessionKind};
use crate::tui::console::effect::Effect;
use crate::tui::console::state::*;
use crate::tui::console::update::letter;
use crate::tui::view::pad;
use crate::tui::widgets::popup;

impl Console {
    /// Open the list and ask the server for it.
    pub(crate) fn open_connected(&mut self) {
        self.overlay = Some(Overlay::Connected {
            rows: Vec::new(),
            serving: true,
            selected: 0,
        });
        self.ask(Effect::ListSessions);
    }

    pub(crate) fn connected_key(&mut self, rows: &[SessionInfo], selected: usize, key: KeyEvent) {
        let last = rows.len().saturating_sub(1);
        let chosen = match key.code {
            KeyCode::Up => selected.saturating_sub(1),
            KeyCode::Down => (selected + 1).min(last),
            KeyCode::Home => 0,
            KeyCode::End => last,
            KeyCode::Delete => return self.end_chosen(rows, selected),
            _ if letter(&key, 'x') => return self.end_chosen(rows, selected),
            _ if letter(&key, 'w') => {
                self.ask(Effect::ListSessions);
                return;
            }
            _ => {
                self.overlay = None;
                return;
            }
        };
        if let Some(Overlay::Connected { selected, .. }) = &mut self.overlay {
            *selected = chosen;
        }
    }

    fn end_chosen(&mut self, rows: &[SessionInfo], selected: usize) {
        if let Some(row) = rows.get(selected) {
            self.ask(Effect::EndSession { id: row.id });
        }
    }

    /// The list as the server gave it (the chosen row kept, clamped).
    pub(crate) fn sessions_listed(&mut self, list: Option<Vec<SessionInfo>>) {
        let Some(Overlay::Connected {
            rows,
            serving,
            selected,
        }) = &mut self.overlay
        else {
            return;
        };
        *serving = list.is_some();
        *rows = list.unwrap_or_default();
        *selected = (*selected).min(rows.len().saturating_sub(1));
    }

    pub(crate) fn session_ended(&mut self, id: u64, ended: bool) {
        let who = match &self.overlay {
            Some(Overlay::Connected { rows, .. }) => rows.iter().find(|r| r.id == id).map(|r| self.session_who(r)),
            _ => None,
        }
        .unwrap_or_else(|| format!("#{id}"));
        if ended {
            let text = (self.t.session_ended)(&who);
            self.info(text);
        } else {
            let text = (self.t.session_gone)(&who);
            self.error(text);
        }
        if matches!(self.overlay, Some(Overlay::Connected { .. })) {
            self.ask(Effect::ListSessions);
        }
    }

    /// A session's login, as the list shows it: the judge's id, or the organiser or projector.
    pub(crate) fn session_who(&self, row: &SessionInfo) -> String {
        match &row.kind {
            SessionKind::Judge(id) => id.clone(),
            SessionKind::Organiser => self.t.session_organiser.to_string(),
            SessionKind::Projector => self.t.session_projector.to_string(),
        }
    }
}

/// `1h02m`, `3m05s`, `12s`.
pub(crate) fn idle_text(idle: Duration) -> String {
    let s = idle.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

pub(crate) fn draw_connected(
    frame: &mut Frame,
    c: &Console,
    body: Rect,
    rows: &[SessionInfo],
    serving: bool,
    selected: usize,
) {
    let t = c.t;
    let w = body.width.saturating_sub(6).min(72);
    let inner = usize::from(w.saturating_sub(2));
    let line = |who: &str, address: &str, since: &str, idle: &str| {
        format!(" {}{}{}{}", pad(who, 14), pad(address, 24), pad(since, 10), idle)
    };
    let mut shown = Vec::new();
    if !serving {
        shown.push(Line::from(format!(" {}", t.not_serving)));
    } else if rows.is_empty() {
        shown.push(Line::from(format!(" {}", t.no_sessions)));
    } else {
        shown.push(Line::styled(
            line(
                t.session_heading[0],
                t.session_heading[1],
                t.session_heading[2],
                t.session_heading[3],
            ),
            c.theme.column_title,
        ));
        for (i, row) in rows.iter().enumerate() {
            let text = pad(
                &line(&c.session_who(row), &row.address, &row.since, &idle_text(row.idle)),
                inner,
            );
            let style = if i == selected {
                c.theme.selected
            } else {
                ratatui::style::Style::default()
            };
            shown.push(Line::styled(text, style));
        }
    }
    shown.push(Line::from(""));
    shown.push(Line::styled(format!(" {}", t.keys_connected), c.theme.hint));
    popup(frame, c.theme.heading, body, t.connected_title, shown, w);
}
