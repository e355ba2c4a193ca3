//! The progress tab: judges by entries in the chosen group and round; reopen a submitted
//! sheet (`o`), give or take a judge's assignment (`a`), lift a judge's login pause (`u`).

use crate::app::organiser::Toggled;
use crate::app::progress::Cell;
use crate::error::Error;
use crate::tui::console::effect::Effect;
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

/// The progress tab's own state: the matrix of the chosen group and round, and the selected
/// judge column (the selected row is [`Console::selected`]).
#[derive(Debug, Clone, Default)]
pub struct ProgressTab {
    pub matrix: crate::app::progress::Matrix,
    pub column: usize,
}

impl Console {
    pub(crate) fn progress_action(&mut self, action: Action) {
        if self.move_action(action) {
            return;
        }
        let columns = self.progress.matrix.judges.len();
        match action {
            Action::Left => self.progress.column = self.progress.column.saturating_sub(1),
            Action::Right => self.progress.column = (self.progress.column + 1).min(columns.saturating_sub(1)),
            Action::Reopen => self.ask_reopen(),
            Action::Assign => self.toggle_assignment(),
            Action::LiftPause => self.lift_pause(),
            Action::RemoveJudge => self.ask_remove_judge(),
            Action::ReplaceJudge => self.ask_replace_judge(),
            Action::RemoveScore => self.ask_remove_score(),
            _ => {}
        }
    }

    /// The judge and entry under the progress cursor, and the cell.
    pub(crate) fn progress_cursor(&self) -> Option<(String, String, Cell)> {
        let row = self.progress.matrix.rows.get(self.selected[Tab::Progress.index()])?;
        let judge = self.progress.matrix.judges.get(self.progress.column)?;
        Some((judge.clone(), row.entry.clone(), *row.cells.get(self.progress.column)?))
    }

    pub(crate) fn ask_reopen(&mut self) {
        let Some((judge, entry, cell)) = self.progress_cursor() else {
            return;
        };
        let Some(round) = self.round_id().map(str::to_string) else {
            return;
        };
        if cell != Cell::Submitted {
            self.error((self.t.nothing_to_reopen)(&judge, &entry));
            return;
        }
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask: Ask::Reopen { judge, entry, round },
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }

    /// Give or take one judge's assignment on one entry (the rules are the library's:
    /// [`crate::app::organiser::toggle_assignment`]). Nothing changes on screen until the outcome.
    pub(crate) fn toggle_assignment(&mut self) {
        let Some((judge, entry, _)) = self.progress_cursor() else {
            return;
        };
        self.ask(Effect::ToggleAssignment { judge, entry });
    }

    /// Remove the judge in the chosen column (the rules are the library's:
    /// [`crate::app::corrections::remove_judge`]); the reason is asked first.
    pub(crate) fn ask_remove_judge(&mut self) {
        let Some(judge) = self.progress.matrix.judges.get(self.progress.column).cloned() else {
            return;
        };
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask: Ask::RemoveJudge { judge },
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }

    /// The name of the round `round` (its id when the rubric does not know it).
    pub(crate) fn round_name(&self, round: &str) -> String {
        self.data
            .as_ref()
            .and_then(|d| d.rubric.round(round))
            .map_or(round.to_string(), |r| r.name.clone())
    }

    /// Hand the chosen judge's open work to another judge (the rules are the library's:
    /// [`crate::app::corrections::replace_judge`]); the new judge's id and a reason are asked.
    pub(crate) fn ask_replace_judge(&mut self) {
        let Some(judge) = self.progress.matrix.judges.get(self.progress.column).cloned() else {
            return;
        };
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask: Ask::ReplaceJudge { judge },
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }

    /// Remove the chosen judge's scores of the chosen entry in this round (the rules are the
    /// library's: [`crate::app::corrections::remove_score`]); the reason is asked first.
    pub(crate) fn ask_remove_score(&mut self) {
        let Some((judge, entry, cell)) = self.progress_cursor() else {
            return;
        };
        let Some(round) = self.round_id().map(str::to_string) else {
            return;
        };
        if !matches!(cell, Cell::Submitted | Cell::Draft) {
            let text = (crate::i18n::console_corrections::texts(self.lang).nothing_to_remove)(&judge, &entry);
            self.error(text);
            return;
        }
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask: Ask::RemoveScore { judge, entry, round },
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }

    /// Lift the login pause of the judge in the chosen column (the library forgets the wrong PINs
    /// and audits it: [`crate::app::login::lift_pause`]).
    pub(crate) fn lift_pause(&mut self) {
        let Some(judge) = self.progress.matrix.judges.get(self.progress.column).cloned() else {
            return;
        };
        self.ask(Effect::LiftPause { judge });
    }

    pub(crate) fn pause_lifted(&mut self, judge: &str, result: crate::error::Result<crate::app::login::Lifted>) {
        match result {
            Ok(lifted) => {
                let text = (self.t.pause_lifted)(&lifted.judge, lifted.was_paused);
                self.info(text);
            }
            Err(Error::Organiser(refusal)) => {
                let text = (self.t.organiser_refusal)(&refusal);
                self.error(text);
            }
            Err(e) => {
                let _ = judge;
                self.failed(&e)
            }
        }
    }

    pub(crate) fn toggled(&mut self, judge: &str, entry: &str, result: crate::error::Result<Toggled>) {
        match result {
            Ok(toggled) => {
                let text = match toggled {
                    Toggled::Assigned => (self.t.assigned)(judge, entry),
                    Toggled::Unassigned => (self.t.unassigned)(judge, entry),
                };
                self.reload();
                self.info(text);
            }
            Err(Error::Organiser(refusal)) => {
                let text = (self.t.organiser_refusal)(&refusal);
                self.error(text);
            }
            Err(e) => self.failed(&e),
        }
    }
}

pub(crate) fn cell_text(cell: Cell) -> &'static str {
    match cell {
        Cell::NotAssigned => "",
        Cell::Conflict => "x",
        Cell::NotStarted => ".",
        Cell::Draft => "o",
        Cell::Submitted => "#",
    }
}

pub(crate) fn draw_progress(frame: &mut Frame, c: &mut Console, body: Rect) {
    let t = c.t;
    let w = usize::from(body.width);
    let m = &c.progress.matrix;
    let [legend, head, list, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
    ])
    .areas(body);
    frame.render_widget(
        Paragraph::new(Line::styled(clip(&format!(" {}", t.legend), w), c.theme.hint)),
        legend,
    );
    if m.rows.is_empty() {
        frame.render_widget(Paragraph::new(format!(" {}", t.no_entries)), list);
        return;
    }
    let id_w = m.rows.iter().map(|r| width(&r.entry)).max().unwrap_or(4).clamp(4, 10);
    let cell_w = m.judges.iter().map(|j| width(j)).max().unwrap_or(3).clamp(3, 6) + 1;
    let count_w = width(t.col_count).max(7);
    let label_min = 10;
    let room_for_cells = w.saturating_sub(1 + id_w + 1 + label_min + 2 + count_w);
    let visible_cols = (room_for_cells / cell_w).max(1).min(m.judges.len().max(1));
    c.column_offset = scroll(c.column_offset, c.progress.column, visible_cols);
    let cols: Vec<usize> = (c.column_offset..m.judges.len()).take(visible_cols).collect();
    let label_w = w
        .saturating_sub(1 + id_w + 1 + cols.len() * cell_w + 2 + count_w)
        .max(4);
    let most = m.most_outstanding();
    let slow = |i: usize| most > 0 && m.per_judge.get(i).is_some_and(|(_, o)| *o == most);

    // Column titles: the slowest judges stand out.
    let mut spans = vec![Span::styled(
        format!(" {} {} ", pad(t.col_id, id_w), pad(t.col_entry, label_w)),
        c.theme.column_title,
    )];
    let mut x = body.x + (1 + id_w + 1 + label_w + 1) as u16;
    for &i in &cols {
        let style = if slow(i) {
            c.theme.highlight
        } else {
            c.theme.column_title
        };
        spans.push(Span::styled(pad_left(&m.judges[i], cell_w), style));
        c.areas.columns.push((x, cell_w as u16, i));
        x += cell_w as u16;
    }
    spans.push(Span::styled(pad_left(t.col_count, count_w + 1), c.theme.column_title));
    frame.render_widget(Paragraph::new(Line::from(spans)), head);

    let rows = usize::from(list.height);
    let ti = Tab::Progress.index();
    c.offset[ti] = scroll(c.offset[ti], c.selected[ti], rows);
    let min_judges = c.data.as_ref().map_or(1, |d| d.rubric.min_judges);
    let mut lines = Vec::new();
    let widths = Widths {
        id: id_w,
        label: label_w,
        cell: cell_w,
        count: count_w,
    };
    for (n, row) in m.rows.iter().enumerate().skip(c.offset[ti]).take(rows) {
        let spans = row_spans(c, row, n == c.selected[ti], &cols, &widths, min_judges);
        c.areas.rows.push((row_rect(list, lines.len()), n));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), list);
    frame.render_widget(Paragraph::new(judge_totals(c, &cols, &widths)), foot);
}

/// The widths of the matrix's columns: entry id, label, one judge's cell, the count.
struct Widths {
    id: usize,
    label: usize,
    cell: usize,
    count: usize,
}

/// One entry's row: its id and label, a cell per shown judge, and submitted of expected.
fn row_spans(
    c: &Console,
    row: &crate::app::progress::MatrixRow,
    selected: bool,
    cols: &[usize],
    w: &Widths,
    min_judges: usize,
) -> Vec<Span<'static>> {
    let label_style = if selected { c.theme.selected } else { Style::default() };
    let mut spans = vec![Span::styled(
        format!(" {} {} ", pad(&row.entry, w.id), pad(&row.label, w.label)),
        label_style,
    )];
    for &i in cols {
        let cell = row.cells[i];
        let mut style = match cell {
            Cell::Submitted => c.theme.submitted,
            Cell::Draft => c.theme.draft,
            Cell::Conflict => c.theme.conflict,
            Cell::NotStarted | Cell::NotAssigned => c.theme.dim,
        };
        if selected && i == c.progress.column {
            style = c.theme.field_focused;
        }
        spans.push(Span::styled(pad_left(cell_text(cell), w.cell - 1), style));
        spans.push(Span::raw(" "));
    }
    // Entries that can never be ranked (too few judges may score them) stand out.
    let count_style = if row.expected < min_judges {
        c.theme.error
    } else if row.submitted == row.expected {
        c.theme.submitted
    } else {
        Style::default()
    };
    spans.push(Span::styled(
        pad_left(&format!("{}/{}", row.submitted, row.expected), w.count + 1),
        count_style,
    ));
    spans
}

/// Per judge: submitted, and what is still owed (the largest debts highlighted).
fn judge_totals(c: &Console, cols: &[usize], w: &Widths) -> Vec<Line<'static>> {
    let t = c.t;
    let m = &c.progress.matrix;
    let most = m.most_outstanding();
    let mut done = vec![Span::styled(
        format!(" {} ", pad(t.row_submitted, w.id + 1 + w.label)),
        c.theme.column_title,
    )];
    let mut owed = vec![Span::styled(
        format!(" {} ", pad(t.row_outstanding, w.id + 1 + w.label)),
        c.theme.column_title,
    )];
    for &i in cols {
        let (s, o) = m.per_judge[i];
        done.push(Span::styled(pad_left(&s.to_string(), w.cell), c.theme.submitted));
        let style = if most > 0 && o == most {
            c.theme.highlight
        } else {
            c.theme.dim
        };
        owed.push(Span::styled(pad_left(&o.to_string(), w.cell), style));
    }
    if m.judges.len() > cols.len() {
        let more = (t.more_judges)(m.judges.len() - cols.len());
        done.push(Span::styled(format!("  {more}"), c.theme.hint));
    }
    vec![Line::from(done), Line::from(owed)]
}
