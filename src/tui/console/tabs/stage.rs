//! The stage tab (competitions): who is on stage, the running order, who has submitted, and the
//! reveal on the projector.

use crate::error::Error;
use crate::tui::console::effect::{Effect, StageMove};
use crate::tui::console::keymap::Action;
use crate::tui::console::state::*;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::text::width;
use crate::tui::console::view::{pad_left, row_rect, scroll};
use crate::tui::view::{clip, pad};

/// The stage tab's own state (competitions).
#[derive(Debug, Clone, Default)]
pub struct StageTab {
    /// Who is on stage, if anyone.
    pub current: Option<crate::app::stage::Stage>,
    /// The chosen group's running order.
    pub order: Vec<crate::core::Entry>,
    /// Who may score the contestant on stage, and whether they have submitted.
    pub submissions: Vec<(String, bool)>,
    /// `v` was refused because judges are missing: the very next key, if `v`, reveals the result
    /// as provisional (暂定).
    pub reveal_armed: bool,
    /// A stage move was done: select who is on stage once the workspace has been read again.
    pub follow: Option<crate::app::stage::Stage>,
}

impl Console {
    pub(crate) fn stage_action(&mut self, action: Action, reveal_armed: bool) {
        if self.move_action(action) {
            return;
        }
        let step = match action {
            Action::PutOnStage => {
                let Some(entry) = self
                    .stage
                    .order
                    .get(self.selected[Tab::Stage.index()])
                    .map(|e| e.id.clone())
                else {
                    return;
                };
                let Some(round) = self.round_id().map(str::to_string) else {
                    return;
                };
                StageMove::Set { entry, round }
            }
            Action::NextOnStage => StageMove::Advance(1),
            Action::PrevOnStage => StageMove::Advance(-1),
            Action::Reveal => {
                let revealed = self.stage.current.as_ref().is_some_and(|s| s.revealed);
                // The library refuses a result before every judge is in; the refusal arms a second
                // v that reveals it as provisional.
                if !revealed && reveal_armed {
                    StageMove::RevealProvisional
                } else {
                    StageMove::Reveal(!revealed)
                }
            }
            _ => return,
        };
        self.ask(Effect::Stage(step));
    }

    pub(crate) fn staged(&mut self, result: crate::error::Result<crate::app::stage::Stage>) {
        match result {
            Ok(stage) => {
                // Follow the stage: its group and round, the contestant selected (once read).
                if let Some(data) = &self.data {
                    self.group = data
                        .rubric
                        .groups
                        .iter()
                        .position(|g| *g == stage.group)
                        .unwrap_or(self.group);
                    self.round = data.rubric.round_index(&stage.round).unwrap_or(self.round);
                }
                self.stage.follow = Some(stage);
                self.reload();
            }
            Err(Error::NotAllIn { missing, total, .. }) => {
                self.stage.reveal_armed = true;
                let text = (self.t.not_all_in)(missing.len(), total, &missing);
                self.error(text);
            }
            Err(e) => self.failed(&e),
        }
    }

    /// The stage as it now is, read again: select who is on it and say so.
    pub(crate) fn followed(&mut self, stage: crate::app::stage::Stage) {
        if let Some(i) = self.stage.order.iter().position(|e| e.id == stage.entry) {
            self.selected[Tab::Stage.index()] = i;
        }
        let missing = self.stage.submissions.iter().filter(|(_, done)| !done).count();
        if stage.revealed && missing > 0 {
            self.info((self.t.revealed_provisional)(&stage.entry, missing));
        } else {
            self.info((self.t.on_stage)(&stage.entry, stage.revealed));
        }
    }
}

pub(crate) fn draw_stage(frame: &mut Frame, c: &mut Console, body: Rect) {
    if c.data.is_none() {
        return;
    }
    let w = usize::from(body.width);
    let top = on_stage_lines(c, w);
    let top_h = (top.len() as u16 + 1).min(body.height / 2);
    let [upper, head, list] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Length(1), Constraint::Min(1)]).areas(body);
    frame.render_widget(Paragraph::new(top), upper);
    draw_running_order(frame, c, head, list);
}

/// Who is on stage, whether the projector shows the result, and which judges are in.
fn on_stage_lines(c: &Console, w: usize) -> Vec<Line<'static>> {
    let t = c.t;
    let Some(data) = &c.data else { return Vec::new() };
    let Some(s) = &c.stage.current else {
        return vec![Line::styled(format!(" {}", t.stage_none), c.theme.hint)];
    };
    let entry = data.entry(&s.entry);
    let round = data
        .rubric
        .round(&s.round)
        .map_or(s.round.as_str(), |r| r.name.as_str());
    let who = entry.map_or(String::new(), |e| format!("{}  {}", e.label(), e.organization));
    let mut top = vec![Line::from(vec![
        Span::styled(format!(" {} ", t.on_stage_label), c.theme.tab_active),
        Span::styled(
            clip(
                &format!(" {}  {}  {}  {}", s.group, s.entry, who, round),
                w.saturating_sub(12),
            ),
            c.theme.heading,
        ),
    ])];
    let done = c.stage.submissions.iter().filter(|(_, d)| *d).count();
    let shown = match (s.revealed, done < c.stage.submissions.len()) {
        (true, true) => t.revealed_provisional_short,
        (true, false) => t.revealed,
        (false, _) => t.not_revealed,
    };
    top.push(Line::from(format!(
        " {}   {shown}",
        (t.submitted_of)(done, c.stage.submissions.len())
    )));
    top.extend(submission_lines(c, w));
    top
}

/// Each judge who may score the contestant on stage, in or waiting: one line with names, or
/// (many judges) four ids a line.
fn submission_lines(c: &Console, w: usize) -> Vec<Line<'static>> {
    let t = c.t;
    let mark = |submitted: bool| {
        if submitted {
            (t.sub_yes, c.theme.submitted)
        } else {
            (t.sub_no, c.theme.highlight)
        }
    };
    let mut spans = vec![Span::raw(" ")];
    for (judge, submitted) in &c.stage.submissions {
        let name = c.data.as_ref().map_or("", |d| d.judge_name(judge));
        let (mark, style) = mark(*submitted);
        spans.push(Span::styled(format!("{judge} {name} {mark}"), style));
        spans.push(Span::raw("   "));
    }
    let one = Line::from(spans);
    if one.width() <= w {
        return vec![one];
    }
    c.stage
        .submissions
        .chunks(4)
        .map(|chunk| {
            let mut sp = vec![Span::raw(" ")];
            for (judge, submitted) in chunk {
                let (mark, style) = mark(*submitted);
                sp.push(Span::styled(format!("{judge} {}", mark), style));
                sp.push(Span::raw("   "));
            }
            Line::from(sp)
        })
        .collect()
}

/// The chosen group's running order, the contestant on stage marked.
fn draw_running_order(frame: &mut Frame, c: &mut Console, head: Rect, list: Rect) {
    let t = c.t;
    let w = usize::from(head.width);
    let name_w = 12;
    let id_w = c
        .stage
        .order
        .iter()
        .map(|e| width(&e.id))
        .max()
        .unwrap_or(4)
        .clamp(4, 10);
    frame.render_widget(
        Paragraph::new(Line::styled(
            pad(
                &format!(
                    "   {} {} {} {}",
                    pad_left(t.col_order, 4),
                    pad(t.col_id, id_w),
                    pad(t.col_name, name_w),
                    t.col_org
                ),
                w,
            ),
            c.theme.column_title,
        )),
        head,
    );
    let rows = usize::from(list.height);
    let ti = Tab::Stage.index();
    c.offset[ti] = scroll(c.offset[ti], c.selected[ti], rows);
    let current = c.stage.current.as_ref().map(|s| s.entry.clone());
    let mut lines = Vec::new();
    for (i, e) in c.stage.order.iter().enumerate().skip(c.offset[ti]).take(rows) {
        let on = current.as_deref() == Some(e.id.as_str());
        let base = if i == c.selected[ti] {
            c.theme.selected
        } else if on {
            c.theme.highlight
        } else {
            Style::default()
        };
        let text = format!(
            " {} {} {} {} {}",
            if on { ">" } else { " " },
            pad_left(&e.order.map(|o| o.to_string()).unwrap_or_default(), 4),
            pad(&e.id, id_w),
            pad(&e.name, name_w),
            e.organization
        );
        c.areas.rows.push((row_rect(list, lines.len()), i));
        lines.push(Line::styled(pad(&text, w), base));
    }
    frame.render_widget(Paragraph::new(lines), list);
}
