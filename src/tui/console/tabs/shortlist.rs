//! The shortlist tab (cases): each case's status and batch, the propose form and the bars of
//! what is chosen by group and county.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::core::shortlist::{Status, Targets};
use crate::tui::console::effect::Effect;
use crate::tui::console::keymap::Action;
use crate::tui::console::state::*;
use crate::tui::console::update::{ctrl, cycle, letter};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::text::{width, wrap};
use crate::tui::console::view::{WIDE, bar, pad_left, row_rect, scroll};
use crate::tui::view::{clip, pad};
use crate::tui::widgets::popup;

/// The shortlist tab's own state: every case's row, ranked.
#[derive(Debug, Clone, Default)]
pub struct ShortlistTab {
    pub rows: Vec<crate::app::progress::ShortRow>,
}

impl Console {
    pub(crate) fn shortlist_action(&mut self, action: Action) {
        if self.move_action(action) {
            return;
        }
        let row = self.shortlist.rows.get(self.selected[Tab::Shortlist.index()]).cloned();
        match action {
            Action::NextStatus => {
                if let Some(row) = row {
                    let i = Status::ALL.iter().position(|s| *s == row.status).unwrap_or(0);
                    self.set_status(&row.entry, Status::ALL[cycle(i, Status::ALL.len(), false)], None);
                }
            }
            Action::PrevStatus => {
                if let Some(row) = row {
                    let i = Status::ALL.iter().position(|s| *s == row.status).unwrap_or(0);
                    self.set_status(&row.entry, Status::ALL[cycle(i, Status::ALL.len(), true)], None);
                }
            }
            Action::Batch => {
                if let Some(row) = row {
                    self.overlay = Some(Overlay::Prompt(Prompt {
                        ask: Ask::Batch { entry: row.entry },
                        input: row.batch.map(|b| b.to_string()).unwrap_or_default(),
                        initial: String::new(),
                        error: None,
                    }));
                }
            }
            Action::Propose => self.open_propose(),
            _ => {}
        }
    }

    pub(crate) fn set_status(&mut self, entry: &str, status: Status, batch: Option<i64>) {
        self.ask(Effect::Shortlist {
            entry: entry.to_string(),
            status,
            batch,
            by_batch: false,
        });
    }

    pub(crate) fn open_propose(&mut self) {
        let targets = self.data.as_ref().and_then(|d| d.targets.clone());
        let mut fields: [String; PROPOSE_FIELDS] = Default::default();
        if let Some(t) = targets {
            fields[FIELD_TOTAL] = t.total.to_string();
            fields[FIELD_MIN_GROUP] = t.min_per_group.to_string();
            fields[FIELD_MAX_COUNTY] = t.max_per_county.map(|m| m.to_string()).unwrap_or_default();
        }
        let batch = self
            .shortlist
            .rows
            .iter()
            .filter_map(|r| r.batch)
            .max()
            .map_or(1, |b| b + 1);
        fields[FIELD_BATCH] = batch.to_string();
        self.overlay = Some(Overlay::Propose(ProposeForm {
            fields,
            focus: FIELD_TOTAL,
            status: Status::Shortlisted,
            error: None,
            include_flagged: false,
        }));
    }

    pub(crate) fn propose_key(&mut self, mut form: ProposeForm, key: KeyEvent) {
        form.error = None;
        match key.code {
            KeyCode::Esc => {
                self.overlay = None;
                return;
            }
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % PROPOSE_FIELDS,
            KeyCode::BackTab | KeyCode::Up => form.focus = cycle(form.focus, PROPOSE_FIELDS, true),
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if form.focus == FIELD_STATUS => {
                form.status = if form.status == Status::Shortlisted {
                    Status::Selected
                } else {
                    Status::Shortlisted
                };
            }
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if form.focus == FIELD_FLAGGED => {
                form.include_flagged = !form.include_flagged;
            }
            KeyCode::Backspace if form.focus != FIELD_STATUS && form.focus != FIELD_FLAGGED => {
                form.fields[form.focus].pop();
            }
            KeyCode::Char(c) if !ctrl(&key) && form.focus != FIELD_STATUS && form.focus != FIELD_FLAGGED => {
                // Digits only; full-width digits from an input method count too.
                let digit = match c {
                    '0'..='9' => Some(c),
                    '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                    _ => None,
                };
                match digit {
                    Some(d) => form.fields[form.focus].push(d),
                    None => form.error = Some(self.t.digits_only.to_string()),
                }
            }
            KeyCode::Enter if form.focus + 1 < PROPOSE_FIELDS => form.focus += 1,
            KeyCode::Enter | KeyCode::F(10) => {
                self.run_propose(form);
                return;
            }
            _ if ctrl(&key) && letter(&key, 's') => {
                self.run_propose(form);
                return;
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Propose(form));
    }

    pub(crate) fn run_propose(&mut self, mut form: ProposeForm) {
        let number = |text: &str| -> Option<usize> { text.trim().parse().ok() };
        let Some(total) = number(&form.fields[FIELD_TOTAL]) else {
            form.error = Some(self.t.total_needed.to_string());
            form.focus = FIELD_TOTAL;
            self.overlay = Some(Overlay::Propose(form));
            return;
        };
        let targets = Targets {
            total,
            min_per_group: number(&form.fields[FIELD_MIN_GROUP]).unwrap_or(0),
            max_per_county: number(&form.fields[FIELD_MAX_COUNTY]),
        };
        let batch = form.fields[FIELD_BATCH].trim().parse::<i64>().ok();
        self.overlay = None;
        self.ask(Effect::Propose {
            targets,
            status: form.status,
            batch,
            include_flagged: form.include_flagged,
        });
    }

    pub(crate) fn proposed(&mut self, status: Status, result: crate::error::Result<crate::core::shortlist::Proposal>) {
        match result {
            Ok(p) => {
                self.reload();
                let summary = (self.t.proposed)(p.picked.len(), (self.t.shortlist_status)(status));
                if p.unmet.is_empty() {
                    self.info(summary);
                } else {
                    self.error(summary.clone());
                    let mut lines = vec![summary, String::new(), self.t.unmet_heading.to_string()];
                    lines.extend(p.unmet.iter().map(|u| format!("- {u}")));
                    self.overlay = Some(Overlay::Report {
                        title: self.t.propose_title.to_string(),
                        lines,
                    });
                }
            }
            Err(e) => self.failed(&e),
        }
    }
}

pub(crate) fn draw_shortlist(frame: &mut Frame, c: &mut Console, body: Rect) {
    let wide = body.width >= WIDE;
    let (list_area, bars_area) = if wide {
        let [l, b] = Layout::horizontal([Constraint::Min(60), Constraint::Length(44)]).areas(body);
        (l, b)
    } else {
        let [l, b] = Layout::vertical([Constraint::Min(6), Constraint::Length(7)]).areas(body);
        (l, b)
    };
    draw_short_list(frame, c, list_area);
    draw_short_bars(frame, c, bars_area, wide);
}

pub(crate) fn status_style(c: &Console, s: Status) -> Style {
    match s {
        Status::Selected => c.theme.submitted.add_modifier(Modifier::BOLD),
        Status::Shortlisted => c.theme.draft,
        Status::Rejected => c.theme.dim,
        Status::Pending => Style::default(),
    }
}

pub(crate) fn draw_short_list(frame: &mut Frame, c: &mut Console, area: Rect) {
    let t = c.t;
    let w = usize::from(area.width);
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let id_w = c
        .shortlist
        .rows
        .iter()
        .map(|r| width(&r.entry))
        .max()
        .unwrap_or(4)
        .clamp(4, 10);
    let group_w = 10;
    let county_w = 8;
    let final_w = 7;
    let status_w = 6;
    let batch_w = 4;
    // Eight separating spaces and the four-column row number.
    let title_w = w.saturating_sub(8 + 4 + id_w + group_w + county_w + final_w + status_w + batch_w);
    let header = format!(
        " {} {} {} {} {} {} {} {}",
        pad_left(t.col_order, 4),
        pad(t.col_id, id_w),
        pad(t.col_entry, title_w),
        pad(t.col_group, group_w),
        pad(t.col_county, county_w),
        pad_left(t.col_final, final_w),
        pad(t.col_status, status_w),
        pad(t.col_batch, batch_w)
    );
    frame.render_widget(
        Paragraph::new(Line::styled(pad(&header, w), c.theme.column_title)),
        head,
    );
    let rows = usize::from(list.height);
    let ti = Tab::Shortlist.index();
    c.offset[ti] = scroll(c.offset[ti], c.selected[ti], rows);
    let mut lines = Vec::new();
    for (i, r) in c.shortlist.rows.iter().enumerate().skip(c.offset[ti]).take(rows) {
        let base = if i == c.selected[ti] {
            c.theme.selected
        } else {
            Style::default()
        };
        // The formal check's marks open the title, in the error colour.
        let mut mark = String::new();
        if r.marks.failed_formal_check() {
            mark.push_str(&format!("[{}]", t.mark_formal));
        }
        if r.marks.likely_duplicate() {
            mark.push_str(&format!("[{}]", t.mark_duplicate));
        }
        let mark = clip(&mark, title_w);
        let lead = format!(" {} {} ", pad_left(&(i + 1).to_string(), 4), pad(&r.entry, id_w));
        let text = format!(
            "{} {} {} {} ",
            pad(&r.title, title_w.saturating_sub(width(&mark))),
            pad(&r.group, group_w),
            pad(&r.county, county_w),
            pad_left(r.final_text.as_deref().unwrap_or("-"), final_w),
        );
        let status = pad((t.shortlist_status)(r.status), status_w);
        let batch = pad(&r.batch.map(|b| b.to_string()).unwrap_or_default(), batch_w);
        c.areas.rows.push((row_rect(list, lines.len()), i));
        let mark_style = if i == c.selected[ti] { base } else { c.theme.error };
        lines.push(Line::from(vec![
            Span::styled(lead, base),
            Span::styled(mark, mark_style),
            Span::styled(text, base),
            Span::styled(
                status,
                if i == c.selected[ti] {
                    base
                } else {
                    status_style(c, r.status)
                },
            ),
            Span::styled(format!(" {batch}"), base),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), list);
}

pub(crate) fn draw_short_bars(frame: &mut Frame, c: &Console, area: Rect, wide: bool) {
    let t = c.t;
    let Some(data) = &c.data else { return };
    let counts = crate::app::progress::chosen_counts(data, &c.shortlist.rows);
    let targets = data.targets.clone();
    let w = usize::from(area.width);
    let label_w = 10;
    let bar_w = if wide { 16 } else { 12 };
    let line = |label: &str, have: usize, of: Option<usize>, style: Style| -> Line<'static> {
        let target = of.unwrap_or(have.max(1));
        let numbers = match of {
            Some(o) => format!("{have}/{o}"),
            None => have.to_string(),
        };
        Line::from(vec![
            Span::raw(format!(" {} ", pad(label, label_w))),
            Span::styled(bar(have, target, bar_w), style),
            Span::raw(format!(" {numbers}")),
        ])
    };
    let mut left: Vec<Line> = Vec::new();
    let target_text = match &targets {
        Some(x) => (t.targets_text)(x.total, x.min_per_group, x.max_per_county),
        None => t.targets_none.to_string(),
    };
    left.push(Line::styled(clip(&format!(" {target_text}"), w), c.theme.heading));
    let total_target = targets.as_ref().map(|x| x.total);
    let total_style = if total_target.is_some_and(|x| counts.total < x) {
        c.theme.draft
    } else {
        c.theme.submitted
    };
    left.push(line(t.bars_total, counts.total, total_target, total_style));
    let status_line: Vec<String> = counts
        .by_status
        .iter()
        .map(|(s, n)| format!("{} {n}", (t.shortlist_status)(*s)))
        .collect();
    left.push(Line::from(clip(&format!(" {}", status_line.join("  ")), w)));
    let min = targets.as_ref().map(|x| x.min_per_group).filter(|m| *m > 0);
    let mut groups = vec![Line::styled(format!(" {}", t.bars_by_group), c.theme.column_title)];
    for (g, n) in &counts.by_group {
        let style = if min.is_some_and(|m| *n < m) {
            c.theme.error
        } else {
            c.theme.submitted
        };
        groups.push(line(g, *n, min, style));
    }
    let max = targets.as_ref().and_then(|x| x.max_per_county);
    let mut counties = vec![Line::styled(format!(" {}", t.bars_by_county), c.theme.column_title)];
    for (county, n) in &counts.by_county {
        let style = if max.is_some_and(|m| *n > m) {
            c.theme.error
        } else if max.is_some_and(|m| *n == m) {
            c.theme.draft
        } else {
            c.theme.submitted
        };
        counties.push(line(if county.is_empty() { "-" } else { county }, *n, max, style));
    }
    if counts.by_county.is_empty() {
        counties.push(Line::styled(format!(" {}", t.none_chosen), c.theme.dim));
    }
    if wide {
        let mut all = left;
        all.push(Line::from(""));
        all.extend(groups);
        all.push(Line::from(""));
        all.extend(counties);
        frame.render_widget(Paragraph::new(all), area);
    } else {
        // Below the list: the totals, then groups and counties side by side.
        let [top, bottom] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
        frame.render_widget(Paragraph::new(left.into_iter().take(2).collect::<Vec<_>>()), top);
        let [g, k] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
        frame.render_widget(Paragraph::new(groups), g);
        frame.render_widget(Paragraph::new(counties), k);
    }
}

pub(crate) fn draw_propose(frame: &mut Frame, c: &Console, body: Rect, f: &ProposeForm) {
    let t = c.t;
    let w: u16 = body.width.saturating_sub(8).min(72);
    let labels: Vec<&str> = t
        .propose_fields
        .iter()
        .copied()
        .chain([t.propose_flagged_field])
        .take(PROPOSE_FIELDS)
        .collect();
    let label_w = labels.iter().map(|l| width(l)).max().unwrap_or(10) + 1;
    let mut lines = vec![Line::from(format!(" {}", t.propose_about))];
    lines.extend(
        wrap(t.propose_flagged_about, usize::from(w.saturating_sub(4)))
            .into_iter()
            .map(|l| Line::from(format!(" {l}"))),
    );
    lines.push(Line::from(""));
    let mut cursor = None;
    for (i, label) in labels.iter().enumerate() {
        let value = if i == FIELD_STATUS {
            format!("< {} >", (t.shortlist_status)(f.status))
        } else if i == FIELD_FLAGGED {
            format!("< {} >", if f.include_flagged { t.yes } else { t.no })
        } else {
            f.fields[i].clone()
        };
        let style = if i == f.focus {
            c.theme.field_focused
        } else {
            c.theme.field
        };
        if i == f.focus && i != FIELD_STATUS && i != FIELD_FLAGGED {
            cursor = Some((lines.len(), width(&value)));
        }
        lines.push(Line::from(vec![
            Span::styled(format!(" {}", pad(label, label_w)), c.theme.column_title),
            Span::styled(pad(&value, 12), style),
        ]));
    }
    if let Some(e) = &f.error {
        lines.push(Line::from(""));
        lines.push(Line::styled(format!(" {e}"), c.theme.error));
    }
    let inner = popup(frame, c.theme.heading, body, t.propose_title, lines, w);
    if let Some((row, col)) = cursor {
        let y = inner.y + row as u16;
        if y < inner.bottom() {
            frame.set_cursor_position(Position::new(inner.x + 1 + label_w as u16 + col as u16, y));
        }
    }
}
