//! The live tally tab: the chosen group ranked by the rubric's rule, each judge's total beside.

use crate::tui::console::keymap::Action;
use crate::tui::console::state::*;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::tally::EntryResult;
use crate::core::text::width;
use crate::core::withdrawal::Withdrawn;
use crate::tui::console::view::{WIDE, pad_left, row_rect, scroll};
use crate::tui::view::{clip, pad};

impl Console {
    pub(crate) fn list_action(&mut self, action: Action) {
        if self.move_action(action) {
            return;
        }
        match action {
            Action::Withdraw => self.ask_withdraw(),
            Action::Phases => self.ask(crate::tui::console::effect::Effect::Phases),
            Action::StartPhase => {
                let current = self.phase.clone().unwrap_or_default();
                self.overlay = Some(Overlay::Prompt(Prompt {
                    ask: Ask::StartPhase { current },
                    input: String::new(),
                    initial: String::new(),
                    error: None,
                }));
            }
            _ => {}
        }
        if action == Action::Discuss {
            self.toggle_discussion();
        }
    }

    /// `d` on the tally: open the chosen entry's discussion, or close it when it is under
    /// discussion (the rules are the library's: [`crate::app::discussion`]).
    pub(crate) fn toggle_discussion(&mut self) {
        let Some(data) = &self.data else { return };
        let i = self.selected[Tab::Tally.index()];
        let Some(e) = data
            .tally
            .groups
            .iter()
            .find(|g| Some(g.group.as_str()) == self.group_name())
            .and_then(|g| g.entries.get(i))
        else {
            return;
        };
        let open = !data.discussed.contains(&e.id);
        let entry = e.id.clone();
        self.ask(crate::tui::console::effect::Effect::Discuss { entry, open });
    }

    /// The phases and each one's leaders (`p` on the tally), as lines of a report.
    pub(crate) fn phases_listed(
        &mut self,
        result: crate::error::Result<Vec<(crate::core::phase::Phase, crate::core::tally::Tally)>>,
    ) {
        let phases = match result {
            Ok(p) => p,
            Err(e) => return self.failed(&e),
        };
        let mut lines = Vec::new();
        let newest = phases.last().map(|(p, _)| p.seq);
        for (phase, tally) in &phases {
            lines.push((self.t.phase_line)(phase, Some(phase.seq) == newest));
            for g in &tally.groups {
                let leaders: Vec<String> = g
                    .ranked()
                    .take(3)
                    .map(|e| {
                        let score = e.final_score.map(|f| tally.fmt(f)).unwrap_or_default();
                        format!("{} {} {score}", e.rank.unwrap_or(0), e.id)
                    })
                    .collect();
                if !leaders.is_empty() {
                    lines.push((self.t.phase_leaders)(&g.group, &leaders.join(", ")));
                }
            }
        }
        self.phase = phases.last().map(|(p, _)| p.name.clone());
        let name = |i: usize| phases.get(i).map(|(p, _)| p.name.clone()).unwrap_or_default();
        self.overlay = Some(Overlay::Phases {
            lines,
            newest: name(phases.len().saturating_sub(1)),
            before: if phases.len() > 1 {
                name(phases.len() - 2)
            } else {
                String::new()
            },
        });
    }

    /// A key on the phases view: `x` asks the reason for dropping the newest phase (the library
    /// decides whether it may be: [`crate::app::phases::drop_newest`]); any other key closes it.
    pub(crate) fn phases_key(&mut self, newest: String, before: String, key: ratatui::crossterm::event::KeyEvent) {
        if crate::tui::console::update::letter(&key, 'x') {
            self.overlay = Some(Overlay::Prompt(Prompt {
                ask: Ask::DropPhase {
                    phase: newest,
                    back_to: before,
                },
                input: String::new(),
                initial: String::new(),
                error: None,
            }));
        } else {
            self.overlay = None;
        }
    }

    /// The chosen group's withdrawn entries (listed after its ranked and incomplete ones).
    pub(crate) fn withdrawn_here(&self) -> Vec<&Withdrawn> {
        let Some(data) = &self.data else { return Vec::new() };
        let group = self.group_name();
        data.tally
            .withdrawn
            .iter()
            .filter(|w| w.group.as_deref() == group)
            .collect()
    }

    /// `w` on the tally: withdraw the chosen entry, or restore it when it is a withdrawn one (the
    /// rules are the library's: [`crate::app::corrections`]); the reason is asked first.
    pub(crate) fn ask_withdraw(&mut self) {
        let Some(data) = &self.data else { return };
        let ranked = data
            .tally
            .groups
            .iter()
            .find(|g| Some(g.group.as_str()) == self.group_name())
            .map_or(0, |g| g.entries.len());
        let i = self.selected[Tab::Tally.index()];
        let ask = if i < ranked {
            let Some(e) = data
                .tally
                .groups
                .iter()
                .find(|g| Some(g.group.as_str()) == self.group_name())
                .and_then(|g| g.entries.get(i))
            else {
                return;
            };
            Ask::Withdraw { entry: e.id.clone() }
        } else {
            let Some(w) = self.withdrawn_here().get(i - ranked).map(|w| w.id.clone()) else {
                return;
            };
            Ask::Restore { entry: w }
        };
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask,
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }
}

pub(crate) fn mark_spans(c: &Console, e: &EntryResult, round: &str) -> Vec<Span<'static>> {
    let Some(r) = e.round(round) else { return Vec::new() };
    let mut spans = Vec::new();
    for m in &r.marks {
        let text = m.total.to_string();
        let (text, style) = match (m.dropped, m.flagged) {
            // Dropped marks stay readable in brackets and are struck through.
            (Some(_), _) => (format!("({text})"), c.theme.dim.add_modifier(Modifier::CROSSED_OUT)),
            (None, true) => (format!("{text}!"), c.theme.error),
            (None, false) => (text, Style::default()),
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    if r.marks.iter().any(|m| m.flagged) {
        spans.push(Span::styled(c.t.flag_deviation.to_string(), c.theme.error));
    }
    spans
}

pub(crate) fn shortfall_text(c: &Console, e: &EntryResult) -> String {
    let Some(data) = &c.data else { return String::new() };
    let parts: Vec<String> = e
        .shortfalls
        .iter()
        .map(|s| {
            let name = data
                .rubric
                .round(&s.round)
                .map_or(s.round.as_str(), |r| r.name.as_str());
            (c.t.shortfall)(name, s.have, s.need)
        })
        .collect();
    parts.join(", ")
}

pub(crate) fn draw_tally(frame: &mut Frame, c: &mut Console, body: Rect) {
    let t = c.t;
    let w = usize::from(body.width);
    let Some(data) = &c.data else { return };
    let Some(group) = data
        .tally
        .groups
        .iter()
        .find(|g| Some(g.group.as_str()) == c.group_name())
    else {
        frame.render_widget(Paragraph::new(format!(" {}", t.no_entries)), body);
        return;
    };
    let round = data
        .rubric
        .rounds
        .get(c.round)
        .map(|r| r.id.clone())
        .unwrap_or_default();
    // The widest judges' marks of this round: the round columns widen to fit their names only
    // into the room left beside them.
    let marks_need = group
        .entries
        .iter()
        .map(|e| {
            mark_spans(c, e, &round)
                .iter()
                .map(|s| width(&s.content))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0);
    let cols = Columns::of(&data.rubric, group, &round, body.width, marks_need);
    let [head, list, foot] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(body);
    let round_name = data.rubric.round(&round).map_or("", |r| r.name.as_str());
    let title = cols.title(t, round_name);
    frame.render_widget(Paragraph::new(Line::styled(pad(&title, w), c.theme.column_title)), head);

    // Display lines: the ranked entries, then a heading and the incomplete ones, then a heading
    // and the withdrawn ones (selectable after the entries: `w` restores them).
    let ranked = group.ranked().count();
    let n = group.entries.len();
    let has_incomplete = ranked < n;
    let withdrawn: Vec<Withdrawn> = c.withdrawn_here().into_iter().cloned().collect();
    let out_start = n + usize::from(has_incomplete);
    let line_of = |i: usize| {
        if i >= n {
            out_start + 1 + (i - n)
        } else if i >= ranked && has_incomplete {
            i + 1
        } else {
            i
        }
    };
    let total_lines = out_start + if withdrawn.is_empty() { 0 } else { 1 + withdrawn.len() };
    let rows = usize::from(list.height);
    let ti = Tab::Tally.index();
    let selected_line = line_of(c.selected[ti]);
    c.offset[ti] = scroll(c.offset[ti], selected_line, rows);
    let mut lines = Vec::new();
    let mut areas = Vec::new();
    for line in (c.offset[ti]..total_lines).take(rows) {
        if has_incomplete && line == ranked {
            let text = (t.incomplete_heading)(n - ranked);
            lines.push(Line::styled(pad(&format!(" {text}"), w), c.theme.heading));
            continue;
        }
        if line == out_start {
            let text = (t.withdrawn_heading)(withdrawn.len());
            lines.push(Line::styled(pad(&format!(" {text}"), w), c.theme.heading));
            continue;
        }
        if line > out_start {
            let j = line - out_start - 1;
            let x = &withdrawn[j];
            let selected = n + j == c.selected[ti];
            let base = if selected { c.theme.selected } else { c.theme.dim };
            let text = format!(" {}  {}  {}: {}", x.id, x.title, (t.withdrawn_kind)(x.kind), x.reason);
            areas.push((row_rect(list, lines.len()), n + j));
            lines.push(Line::styled(pad(&clip(&text, w), w), base));
            continue;
        }
        let i = if has_incomplete && line > ranked {
            line - 1
        } else {
            line
        };
        let e = &group.entries[i];
        let selected = i == c.selected[ti];
        let base = if selected { c.theme.selected } else { Style::default() };
        let mut spans = vec![Span::styled(cols.row(&data.tally, e), base)];
        // Under discussion (`d`): marked first, before the marks that may run off the screen.
        if data.discussed.contains(&e.id) {
            spans.push(Span::styled(format!("{} ", c.t.under_discussion), c.theme.heading));
        }
        if e.complete {
            spans.extend(mark_spans(c, e, &round));
        } else {
            spans.push(Span::styled(shortfall_text(c, e), c.theme.draft));
            spans.push(Span::raw("  "));
            spans.extend(mark_spans(c, e, &round));
        }
        areas.push((row_rect(list, lines.len()), i));
        lines.push(Line::from(spans));
    }
    c.areas.rows.extend(areas);
    frame.render_widget(Paragraph::new(lines), list);
    // The chosen entry's marks with the judges' ids (the rows have no room for them).
    if let Some(e) = group.entries.get(c.selected[ti]) {
        let round_name = data.rubric.round(&round).map_or("", |r| r.name.as_str());
        let mut spans = vec![Span::styled(
            format!(" {}", (t.tally_marks_of)(&e.id, round_name)),
            c.theme.hint,
        )];
        spans.extend(judge_mark_spans(c, e, &round));
        frame.render_widget(Paragraph::new(Line::from(spans)), foot);
    }
}

/// An entry's marks in `round`, each after its judge's id (`PW01 85.5  PW03 (94) ...`), styled as
/// in the rows.
pub(crate) fn judge_mark_spans(c: &Console, e: &EntryResult, round: &str) -> Vec<Span<'static>> {
    let Some(r) = e.round(round) else { return Vec::new() };
    let totals = mark_spans(c, e, round);
    let mut spans = Vec::new();
    // mark_spans: a total and a space per mark, then the flag's word when any is far apart.
    for (m, pair) in r.marks.iter().zip(totals.chunks(2)) {
        spans.push(Span::styled(format!("{} ", m.judge), c.theme.dim));
        spans.extend(pair.iter().cloned());
        spans.push(Span::raw(" "));
    }
    spans.extend(totals.into_iter().skip(2 * r.marks.len()));
    spans
}

/// The fewest cells the judges' marks keep in a row when a round's name asks for more room.
const MARKS_KEPT: usize = 24;

/// The tally's columns at this width: the rounds shown (all when wide, else the chosen one; none
/// when the contest has one round, whose score is the final's only part) and each column's width.
struct Columns<'r> {
    rounds: Vec<&'r crate::core::rubric::Round>,
    /// Each shown round's column (at least `score_w`).
    round_w: Vec<usize>,
    score_w: usize,
    id_w: usize,
    name_w: usize,
    award_w: usize,
    marks_w: usize,
}

impl<'r> Columns<'r> {
    fn of(
        rubric: &'r crate::core::rubric::Rubric,
        group: &crate::core::tally::GroupTally,
        round: &str,
        width_cells: u16,
        marks_need: usize,
    ) -> Columns<'r> {
        let wide = width_cells >= WIDE;
        let rounds: Vec<&crate::core::rubric::Round> = if rubric.rounds.len() == 1 {
            Vec::new()
        } else if wide {
            rubric.rounds.iter().collect()
        } else {
            rubric.rounds.iter().filter(|r| r.id == round).collect()
        };
        let score_w = if wide { 10 } else { 8 };
        let id_w = group
            .entries
            .iter()
            .map(|e| width(&e.id))
            .max()
            .unwrap_or(4)
            .clamp(4, 10);
        let name_w = if wide { 20 } else { 12 };
        let award_w = 8;
        let fixed_w = 1 + 4 + 1 + id_w + 1 + name_w + rounds.len() * score_w + score_w + 1 + award_w + 1;
        // A round whose name is wider than its column gets the cells it needs (display width, a
        // space before) while the marks keep the room they need, or at least MARKS_KEPT cells (the
        // chosen entry's marks are all on the tab's last line); else its name is abbreviated.
        let mut spare = usize::from(width_cells).saturating_sub(fixed_w + marks_need.min(MARKS_KEPT));
        let round_w: Vec<usize> = rounds
            .iter()
            .map(|r| {
                let need = (width(&r.name) + 1).saturating_sub(score_w);
                if need > 0 && need <= spare {
                    spare -= need;
                    score_w + need
                } else {
                    score_w
                }
            })
            .collect();
        let used: usize = round_w.iter().map(|w| w - score_w).sum();
        Columns {
            rounds,
            round_w,
            score_w,
            id_w,
            name_w,
            award_w,
            marks_w: usize::from(width_cells).saturating_sub(fixed_w + used),
        }
    }

    /// The column titles.
    fn title(&self, t: &crate::i18n::console::ConsoleTexts, round_name: &str) -> String {
        let mut title = format!(
            " {} {} {} ",
            pad_left(t.col_rank, 4),
            pad(t.col_id, self.id_w),
            pad(t.col_entry, self.name_w)
        );
        for (r, w) in self.rounds.iter().zip(&self.round_w) {
            title.push_str(&pad_left(&clip(&r.name, w - 1), *w));
        }
        title.push_str(&pad_left(t.col_final, self.score_w));
        title.push(' ');
        title.push_str(&pad(t.col_award, self.award_w));
        title.push(' ');
        title.push_str(&clip(&(t.col_marks)(round_name), self.marks_w));
        title
    }

    /// An entry's rank, id, title, round scores, final and award (the judges' marks follow).
    fn row(&self, tally: &crate::core::tally::Tally, e: &EntryResult) -> String {
        let rank = e.rank.map(|r| r.to_string()).unwrap_or_else(|| "-".into());
        let mut text = format!(
            " {} {} {} ",
            pad_left(&rank, 4),
            pad(&e.id, self.id_w),
            pad(&e.title, self.name_w)
        );
        for (r, w) in self.rounds.iter().zip(&self.round_w) {
            let score = e
                .round(&r.id)
                .and_then(|x| x.score)
                .map(|s| tally.fmt(s))
                .unwrap_or_default();
            text.push_str(&pad_left(&score, *w));
        }
        let final_text = e
            .final_score
            .filter(|_| e.complete)
            .map(|f| tally.fmt(f))
            .unwrap_or_default();
        text.push_str(&pad_left(&final_text, self.score_w));
        text.push(' ');
        text.push_str(&pad(e.award.as_deref().unwrap_or(""), self.award_w));
        text.push(' ');
        text
    }
}
