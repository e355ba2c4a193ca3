//! Drawing the console: state in, cells out. Text is measured by display width
//! ([`crate::core::text`]); only the visible rows of long lists are built.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::Points;
use crate::core::shortlist::Status;
use crate::core::stats::{HISTOGRAM_BINS, histogram_edge};
use crate::core::stats::{fixed, signed};
use crate::core::tally::EntryResult;
use crate::core::text::{width, wrap};
use crate::tui::view::{MIN_HEIGHT, MIN_WIDTH, clip, pad};

use super::data::{Cell, covering_lock, exact_lock, lock_targets};
use super::i18n::ConsoleTexts;
use super::state::*;
use crate::tui::theme::Theme;
use crate::tui::widgets::{draw_help, draw_message, popup};

/// From this width the tally shows every round's score and the shortlist its bars beside the list.
const WIDE: u16 = 110;

fn pad_left(s: &str, w: usize) -> String {
    let t = clip(s, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(width(&t))))
}

/// Left and right texts on one line of `w` columns.
fn spread(left: &str, right: &str, w: usize) -> String {
    let right = clip(right, w);
    let left = clip(left, w.saturating_sub(width(&right) + 1));
    let fill = w.saturating_sub(width(&left) + width(&right));
    format!("{left}{}{right}", " ".repeat(fill))
}

fn row_rect(area: Rect, i: usize) -> Rect {
    Rect::new(area.x, area.y + i as u16, area.width, 1)
}

/// The first row to show so that `selected` is visible in `rows` lines.
fn scroll(offset: usize, selected: usize, rows: usize) -> usize {
    if rows == 0 {
        return selected;
    }
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
}

/// An ASCII bar of `cells` columns: `#` for the part `have` of `of`, `.` for the rest.
pub fn bar(have: usize, of: usize, cells: usize) -> String {
    if of == 0 {
        return ".".repeat(cells);
    }
    let filled = (have.min(of) * cells).div_ceil(of).min(cells);
    format!("{}{}", "#".repeat(filled), ".".repeat(cells - filled))
}

// ---- the frame ----

pub fn draw(frame: &mut Frame, c: &mut Console) {
    let area = frame.area();
    c.areas = Areas::default();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let lines: Vec<Line> = wrap(
            &(c.t.too_small)(area.width, area.height),
            usize::from(area.width.max(10)),
        )
        .into_iter()
        .map(Line::from)
        .collect();
        let h = (lines.len() as u16).min(area.height);
        let y = area.y + area.height.saturating_sub(h) / 2;
        frame.render_widget(Paragraph::new(lines), Rect::new(area.x, y, area.width, h));
        return;
    }
    let [header, tabs, sub, body, message, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let w = usize::from(area.width);
    frame.render_widget(
        Paragraph::new(Line::from(spread(
            &format!(" jury  {}", c.contest),
            &format!("{} ", c.t.title),
            w,
        )))
        .style(c.theme.header),
        header,
    );
    if !c.logged_in {
        draw_login(frame, c, body);
    } else {
        draw_tabs(frame, c, tabs);
        draw_sub(frame, c, sub);
        c.areas.page = usize::from(body.height.saturating_sub(3)).max(1);
        match c.tab {
            Tab::Progress => draw_progress(frame, c, body),
            Tab::Tally => draw_tally(frame, c, body),
            Tab::Room => draw_room(frame, c, body),
            Tab::Shortlist => draw_shortlist(frame, c, body),
            Tab::Stats => draw_stats(frame, c, body),
            Tab::Export => draw_export(frame, c, body),
            Tab::Stage => draw_stage(frame, c, body),
        }
    }
    draw_message(frame, c.message.as_ref(), &c.theme, message);
    draw_keys(frame, c, keys);
    match c.overlay.clone() {
        Some(Overlay::Help) => draw_help(
            frame,
            c.t.help,
            c.t.help_title,
            (c.theme.heading, c.theme.column_title),
            &mut c.help_scroll,
            body,
        ),
        Some(Overlay::Prompt(p)) => draw_prompt(frame, c, body, &p),
        Some(Overlay::Propose(f)) => draw_propose(frame, c, body, &f),
        Some(Overlay::Report { title, lines }) => {
            let w = body.width.saturating_sub(6).min(100);
            let inner = usize::from(w.saturating_sub(4));
            let mut shown: Vec<Line> = lines
                .iter()
                .flat_map(|l| wrap(l, inner))
                .map(|l| Line::from(format!(" {l}")))
                .collect();
            shown.push(Line::from(""));
            shown.push(Line::styled(format!(" {}", c.t.any_key), c.theme.hint));
            popup(frame, c.theme.heading, body, &title, shown, w);
        }
        None => {}
    }
}

fn draw_tabs(frame: &mut Frame, c: &mut Console, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    let mut x = area.x + 1;
    for (i, tab) in c.tabs().into_iter().enumerate() {
        let label = format!(" F{} {} ", i + 2, (c.t.tab_name)(tab));
        let lw = width(&label) as u16;
        if x + lw > area.right() {
            break;
        }
        c.areas.tabs.push((Rect::new(x, area.y, lw, 1), tab));
        let style = if tab == c.tab { c.theme.tab_active } else { c.theme.tab };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
        x += lw + 1;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The group and round selectors, and the tab's one-line summary on the right.
fn draw_sub(frame: &mut Frame, c: &mut Console, area: Rect) {
    let Some(data) = &c.data else { return };
    let t = c.t;
    let mut spans = Vec::new();
    let mut x = area.x;
    let uses_group = !matches!(c.tab, Tab::Shortlist | Tab::Export | Tab::Room);
    let uses_round = matches!(c.tab, Tab::Progress | Tab::Tally | Tab::Stats | Tab::Stage);
    if uses_group && let Some(g) = data.rubric.groups.get(c.group) {
        let text = format!(
            " {} {} ({}/{}) ",
            t.group_label,
            g,
            c.group + 1,
            data.rubric.groups.len()
        );
        let tw = width(&text) as u16;
        c.areas.group = Rect::new(x, area.y, tw.min(area.width), 1);
        x += tw + 1;
        spans.push(Span::styled(text, c.theme.tab_active));
        spans.push(Span::raw(" "));
    }
    if uses_round && let Some(r) = data.rubric.rounds.get(c.round) {
        let text = format!(
            " {} {} ({}/{}) ",
            t.round_label,
            r.name,
            c.round + 1,
            data.rubric.rounds.len()
        );
        let tw = width(&text) as u16;
        c.areas.round = Rect::new(x, area.y, tw.min(area.right().saturating_sub(x)), 1);
        spans.push(Span::styled(text, c.theme.tab));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let summary = summary(c);
    let room = usize::from(area.width).saturating_sub(used + 2);
    if room > 4 {
        spans.push(Span::styled(pad_left(&clip(&summary, room), room + 1), c.theme.hint));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn summary(c: &Console) -> String {
    let t = c.t;
    let Some(data) = &c.data else { return String::new() };
    match c.tab {
        Tab::Progress => {
            let (done, expected) = c.matrix.total();
            let most = c.matrix.most_outstanding();
            let slowest: Vec<String> = c
                .matrix
                .judges
                .iter()
                .zip(&c.matrix.per_judge)
                .filter(|(_, (_, o))| most > 0 && *o == most)
                .map(|(j, _)| j.clone())
                .collect();
            (t.progress_summary)(done, expected, &slowest.join(" "), most)
        }
        Tab::Tally => {
            let group = data
                .tally
                .groups
                .iter()
                .find(|g| Some(g.group.as_str()) == c.group_name());
            let ranked = group.map_or(0, |g| g.ranked().count());
            let incomplete = group.map_or(0, |g| g.incomplete().count());
            let rule = match c.lang {
                crate::tui::Lang::Zh => data.rubric.rule_in_words_zh(),
                crate::tui::Lang::En => data.rubric.rule_in_words_en(),
            };
            (t.tally_summary)(ranked, incomplete, &rule)
        }
        Tab::Room => (t.locks_summary)(data.locks.len()),
        Tab::Shortlist => {
            let chosen = super::data::chosen_counts(data, &c.short_rows);
            (t.shortlist_summary)(chosen.total, data.targets.as_ref().map(|x| x.total))
        }
        Tab::Stats => String::new(),
        Tab::Export => t.export_summary.to_string(),
        Tab::Stage => {
            let done = c.submissions.iter().filter(|(_, s)| *s).count();
            match &c.stage {
                Some(s) => (t.stage_summary)(&s.entry, done, c.submissions.len()),
                None => t.stage_none.to_string(),
            }
        }
    }
}

fn draw_keys(frame: &mut Frame, c: &Console, area: Rect) {
    let t = c.t;
    let keys = match &c.overlay {
        Some(Overlay::Help) => t.keys_help,
        Some(Overlay::Prompt(_)) => t.keys_prompt,
        Some(Overlay::Propose(_)) => t.keys_propose,
        Some(Overlay::Report { .. }) => t.any_key,
        None if !c.logged_in => t.keys_login,
        None => (t.keys_tab)(c.tab),
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            pad(&format!(" {keys}"), usize::from(area.width)),
            c.theme.hint,
        )),
        area,
    );
}

// ---- login ----

fn draw_login(frame: &mut Frame, c: &Console, body: Rect) {
    let t = c.t;
    let now = Instant::now();
    let mut lines = vec![
        Line::from(""),
        Line::styled(format!(" {}", t.login_prompt), c.theme.column_title),
        Line::from(""),
    ];
    let masked = "*".repeat(c.login.pass.chars().count());
    lines.push(Line::from(vec![
        Span::raw(" "),
        Span::styled(pad(&masked, 30), c.theme.field_focused),
    ]));
    lines.push(Line::from(""));
    if let Some(secs) = c.login.locked_secs(now) {
        lines.push(Line::styled(format!(" {}", (t.login_paused)(secs)), c.theme.error));
    } else if let Some(e) = &c.login.error {
        lines.push(Line::styled(format!(" {e}"), c.theme.error));
    }
    let inner = popup(frame, c.theme.heading, body, t.login_title, lines, 56);
    let x = inner.x + 1 + width(&masked).min(29) as u16;
    frame.set_cursor_position(Position::new(x, inner.y + 3));
}

// ---- progress ----

fn cell_text(cell: Cell) -> &'static str {
    match cell {
        Cell::NotAssigned => "",
        Cell::Conflict => "x",
        Cell::NotStarted => ".",
        Cell::Draft => "o",
        Cell::Submitted => "#",
    }
}

fn draw_progress(frame: &mut Frame, c: &mut Console, body: Rect) {
    let t = c.t;
    let w = usize::from(body.width);
    let m = &c.matrix;
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
    c.column_offset = scroll(c.column_offset, c.column, visible_cols);
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
    for (n, row) in m.rows.iter().enumerate().skip(c.offset[ti]).take(rows) {
        let selected = n == c.selected[ti];
        let label_style = if selected { c.theme.selected } else { Style::default() };
        let mut spans = vec![Span::styled(
            format!(" {} {} ", pad(&row.entry, id_w), pad(&row.label, label_w)),
            label_style,
        )];
        for &i in &cols {
            let cell = row.cells[i];
            let mut style = match cell {
                Cell::Submitted => c.theme.submitted,
                Cell::Draft => c.theme.draft,
                Cell::Conflict => c.theme.conflict,
                Cell::NotStarted | Cell::NotAssigned => c.theme.dim,
            };
            if selected && i == c.column {
                style = c.theme.field_focused;
            }
            spans.push(Span::styled(pad_left(cell_text(cell), cell_w - 1), style));
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
            pad_left(&format!("{}/{}", row.submitted, row.expected), count_w + 1),
            count_style,
        ));
        c.areas.rows.push((row_rect(list, lines.len()), n));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), list);

    // Per judge: submitted, and what is still owed (the largest debts highlighted).
    let mut done = vec![Span::styled(
        format!(" {} ", pad(t.row_submitted, id_w + 1 + label_w)),
        c.theme.column_title,
    )];
    let mut owed = vec![Span::styled(
        format!(" {} ", pad(t.row_outstanding, id_w + 1 + label_w)),
        c.theme.column_title,
    )];
    for &i in &cols {
        let (s, o) = m.per_judge[i];
        done.push(Span::styled(pad_left(&s.to_string(), cell_w), c.theme.submitted));
        let style = if slow(i) { c.theme.highlight } else { c.theme.dim };
        owed.push(Span::styled(pad_left(&o.to_string(), cell_w), style));
    }
    if m.judges.len() > cols.len() {
        let more = (t.more_judges)(m.judges.len() - cols.len());
        done.push(Span::styled(format!("  {more}"), c.theme.hint));
    }
    frame.render_widget(Paragraph::new(vec![Line::from(done), Line::from(owed)]), foot);
}

// ---- live tally ----

fn mark_spans(c: &Console, e: &EntryResult, round: &str) -> Vec<Span<'static>> {
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

fn shortfall_text(c: &Console, e: &EntryResult) -> String {
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

fn draw_tally(frame: &mut Frame, c: &mut Console, body: Rect) {
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
    let wide = body.width >= WIDE;
    // One round: its score is the final's only part, so the final alone is shown.
    let shown_rounds: Vec<&crate::core::rubric::Round> = if data.rubric.rounds.len() == 1 {
        Vec::new()
    } else if wide {
        data.rubric.rounds.iter().collect()
    } else {
        data.rubric.rounds.iter().filter(|r| r.id == round).collect()
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
    let fixed_w = 1 + 4 + 1 + id_w + 1 + name_w + shown_rounds.len() * score_w + score_w + 1 + award_w + 1;
    let marks_w = w.saturating_sub(fixed_w);
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
    let mut title = format!(
        " {} {} {} ",
        pad_left(t.col_rank, 4),
        pad(t.col_id, id_w),
        pad(t.col_entry, name_w)
    );
    for r in &shown_rounds {
        title.push_str(&pad_left(&clip(&r.name, score_w - 1), score_w));
    }
    title.push_str(&pad_left(t.col_final, score_w));
    title.push(' ');
    title.push_str(&pad(t.col_award, award_w));
    title.push(' ');
    let round_name = data.rubric.round(&round).map_or("", |r| r.name.as_str());
    title.push_str(&clip(&(t.col_marks)(round_name), marks_w));
    frame.render_widget(Paragraph::new(Line::styled(pad(&title, w), c.theme.column_title)), head);

    // Display lines: the ranked entries, then a heading and the incomplete ones.
    let ranked = group.ranked().count();
    let has_incomplete = ranked < group.entries.len();
    let line_of = |i: usize| if i >= ranked && has_incomplete { i + 1 } else { i };
    let total_lines = group.entries.len() + usize::from(has_incomplete);
    let rows = usize::from(list.height);
    let ti = Tab::Tally.index();
    let selected_line = line_of(c.selected[ti]);
    c.offset[ti] = scroll(c.offset[ti], selected_line, rows);
    let mut lines = Vec::new();
    for line in (c.offset[ti]..total_lines).take(rows) {
        if has_incomplete && line == ranked {
            let text = (t.incomplete_heading)(group.entries.len() - ranked);
            lines.push(Line::styled(pad(&format!(" {text}"), w), c.theme.heading));
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
        let rank = e.rank.map(|r| r.to_string()).unwrap_or_else(|| "-".into());
        let mut text = format!(
            " {} {} {} ",
            pad_left(&rank, 4),
            pad(&e.id, id_w),
            pad(&e.title, name_w)
        );
        for r in &shown_rounds {
            let score = e
                .round(&r.id)
                .and_then(|x| x.score)
                .map(|s| data.tally.fmt(s))
                .unwrap_or_default();
            text.push_str(&pad_left(&score, score_w));
        }
        let final_text = e
            .final_score
            .filter(|_| e.complete)
            .map(|f| data.tally.fmt(f))
            .unwrap_or_default();
        text.push_str(&pad_left(&final_text, score_w));
        text.push(' ');
        text.push_str(&pad(e.award.as_deref().unwrap_or(""), award_w));
        text.push(' ');
        let mut spans = vec![Span::styled(text, base)];
        if e.complete {
            spans.extend(mark_spans(c, e, &round));
        } else {
            spans.push(Span::styled(shortfall_text(c, e), c.theme.draft));
            spans.push(Span::raw("  "));
            spans.extend(mark_spans(c, e, &round));
        }
        c.areas.rows.push((row_rect(list, lines.len()), i));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), list);
}

// ---- locks ----

fn draw_room(frame: &mut Frame, c: &mut Console, body: Rect) {
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
        let who = match r.actor.as_str() {
            "organiser" => t.actor_organiser.to_string(),
            "cli" => t.actor_cli.to_string(),
            other => other.to_string(),
        };
        let what = [r.entry.as_deref(), r.judge.as_deref(), Some(r.detail.as_str())]
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

/// `2026-11-29T14:03:05.120+08:00` as `11-29 14:03:05`.
fn short_time(at: &str) -> String {
    let chars: Vec<char> = at.chars().collect();
    if chars.len() >= 19 {
        chars[5..19]
            .iter()
            .map(|&ch| if ch == 'T' { ' ' } else { ch })
            .collect()
    } else {
        at.to_string()
    }
}

// ---- shortlist ----

fn draw_shortlist(frame: &mut Frame, c: &mut Console, body: Rect) {
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

fn status_style(c: &Console, s: Status) -> Style {
    match s {
        Status::Selected => c.theme.submitted.add_modifier(Modifier::BOLD),
        Status::Shortlisted => c.theme.draft,
        Status::Rejected => c.theme.dim,
        Status::Pending => Style::default(),
    }
}

fn draw_short_list(frame: &mut Frame, c: &mut Console, area: Rect) {
    let t = c.t;
    let w = usize::from(area.width);
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let id_w = c
        .short_rows
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
    for (i, r) in c.short_rows.iter().enumerate().skip(c.offset[ti]).take(rows) {
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

fn draw_short_bars(frame: &mut Frame, c: &Console, area: Rect, wide: bool) {
    let t = c.t;
    let Some(data) = &c.data else { return };
    let counts = super::data::chosen_counts(data, &c.short_rows);
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

// ---- statistics ----

fn draw_stats(frame: &mut Frame, c: &mut Console, body: Rect) {
    let t = c.t;
    let w = usize::from(body.width);
    let Some(data) = &c.data else { return };
    let group = c.group_name().unwrap_or_default().to_string();
    let round = c.round_id().unwrap_or_default().to_string();
    let mut lines: Vec<Line> = Vec::new();
    if let Some(report) = &data.calibration {
        lines.extend(calibration_lines(t, &c.theme, report));
        lines.push(Line::from(""));
    }
    let Some(s) = data.stats.iter().find(|s| s.group == group && s.round == round) else {
        lines.push(Line::from(format!(" {}", t.stats_none)));
        let rows = usize::from(body.height);
        let ti = Tab::Stats.index();
        c.offset[ti] = c.offset[ti].min(lines.len().saturating_sub(rows));
        let shown: Vec<Line> = lines.into_iter().skip(c.offset[ti]).take(rows).collect();
        frame.render_widget(Paragraph::new(shown), body);
        return;
    };
    lines.push(Line::styled(
        format!(" {}", (t.stats_heading)(s.entries, s.judges, s.complete_entries)),
        c.theme.heading,
    ));
    if s.entries == 0 {
        lines.push(Line::from(format!(" {}", t.stats_none)));
    } else {
        let icc = |f: fn(&crate::core::stats::Icc) -> f64| fixed(s.icc.as_ref().map(f), 3);
        lines.push(Line::from(format!(
            " ICC1 {}  ICC2 {}  ICC3 {}  ICC1k {}  ICC2k {}  ICC3k {}",
            icc(|i| i.icc1),
            icc(|i| i.icc2),
            icc(|i| i.icc3),
            icc(|i| i.icc1k),
            icc(|i| i.icc2k),
            icc(|i| i.icc3k)
        )));
        let kendall = match s.kendall {
            Some(k) => format!(
                "Kendall W {:.3}  chi2 {:.2}  df {}  p {}",
                k.w,
                k.chi2,
                k.df,
                if k.p < 0.001 {
                    "<0.001".to_string()
                } else {
                    format!("{:.3}", k.p)
                }
            ),
            None => "Kendall W -".to_string(),
        };
        lines.push(Line::from(format!(
            " {kendall}   Krippendorff alpha {}",
            fixed(s.krippendorff_alpha, 3)
        )));
        lines.push(Line::from(""));
        let name_w = 10;
        let id_w = s.per_judge.iter().map(|j| width(&j.judge)).max().unwrap_or(4).max(4);
        lines.push(Line::styled(
            format!(
                " {} {} {} {} {} {} {}",
                pad(t.col_judge, id_w),
                pad(t.col_name, name_w),
                pad_left(t.col_scored, 6),
                pad_left(t.col_mean, 8),
                pad_left(t.col_sd, 7),
                pad_left(t.col_severity, 7),
                pad_left(t.col_correlation, 7)
            ),
            c.theme.column_title,
        ));
        for j in &s.per_judge {
            let severity = j.summary.severity;
            // A judge far from the panel stands out (more than a tenth of the range).
            let far = severity.is_some_and(|v| v.abs() * 10.0 > s.max_total.units() as f64 / 10_000.0);
            lines.push(Line::from(vec![
                Span::raw(format!(
                    " {} {} {} {} {} ",
                    pad(&j.judge, id_w),
                    pad(j.name.as_deref().unwrap_or(""), name_w),
                    pad_left(&j.summary.scored.to_string(), 6),
                    pad_left(&fixed(j.summary.mean, 2), 8),
                    pad_left(&fixed(j.summary.sd, 2), 7),
                )),
                Span::styled(
                    pad_left(&signed(severity, 2), 7),
                    if far { c.theme.highlight } else { Style::default() },
                ),
                Span::raw(format!(" {}", pad_left(&fixed(j.summary.correlation, 3), 7))),
            ]));
        }
        lines.push(Line::from(""));
        let (histograms, offset) = histogram_lines(c.t, &c.theme, s, w, c.column_offset);
        lines.extend(histograms);
        c.column_offset = offset;
    }
    let rows = usize::from(body.height);
    let ti = Tab::Stats.index();
    c.offset[ti] = c.offset[ti].min(lines.len().saturating_sub(rows));
    let shown: Vec<Line> = lines.into_iter().skip(c.offset[ti]).take(rows).collect();
    frame.render_widget(Paragraph::new(shown), body);
}

/// The calibration report (试评): one row per judge with "total (offset)" per sample (an entry
/// in one round) and the judge's mean offset, then the panel means. Exact values, rounded half
/// up to the contest's decimals only here.
fn calibration_lines(t: &ConsoleTexts, theme: &Theme, report: &crate::app::calibration::Report) -> Vec<Line<'static>> {
    use crate::app::calibration::signed as signed_exact;
    let d = report.decimals;
    let mut columns: Vec<Vec<String>> = Vec::new();
    let mut first = vec![t.col_judge.to_string()];
    first.extend(report.judges.iter().map(|j| format!("{} {}", j.judge, j.name)));
    first.push(t.panel_mean.to_string());
    columns.push(first);
    for sample in &report.samples {
        let mut column = vec![format!("{}/{}", sample.entry, sample.round)];
        column.extend(
            report
                .judges
                .iter()
                .map(|j| match (sample.totals.get(&j.judge), sample.offset(&j.judge)) {
                    (Some(total), Some(offset)) => format!("{total} ({})", signed_exact(offset, d)),
                    _ => "-".to_string(),
                }),
        );
        column.push(sample.panel_mean.map_or("-".into(), |m| m.format_fixed(d)));
        columns.push(column);
    }
    let mut last = vec![t.col_mean_offset.to_string()];
    last.extend(
        report
            .judges
            .iter()
            .map(|j| j.mean_offset.map_or("-".into(), |m| signed_exact(m, d))),
    );
    last.push(String::new());
    columns.push(last);
    let widths: Vec<usize> = columns
        .iter()
        .map(|column| column.iter().map(|x| width(x)).max().unwrap_or(0))
        .collect();
    let mut lines = vec![Line::styled(format!(" {}", t.calibration_heading), theme.heading)];
    let rows = columns[0].len();
    for r in 0..rows {
        let cells: Vec<String> = columns
            .iter()
            .zip(&widths)
            .enumerate()
            // Names left, numbers right.
            .map(|(i, (column, w))| {
                if i == 0 {
                    pad(&column[r], *w)
                } else {
                    pad_left(&column[r], *w)
                }
            })
            .collect();
        let text = format!(" {}", cells.join("  ").trim_end());
        lines.push(if r == 0 {
            Line::styled(text, theme.column_title)
        } else {
            Line::from(text)
        });
    }
    lines
}

/// Rows: score bands from the highest used to the lowest; columns: judges, as many as fit
/// (Left and Right scroll). ASCII `#`: block characters are ambiguous width.
fn histogram_lines(
    t: &ConsoleTexts,
    theme: &Theme,
    s: &crate::core::stats::GroupRoundStats,
    w: usize,
    offset: usize,
) -> (Vec<Line<'static>>, usize) {
    let used = |bin: usize| s.per_judge.iter().any(|j| j.histogram.get(bin).is_some_and(|n| *n > 0));
    let (Some(low), Some(high)) = (
        (0..HISTOGRAM_BINS).find(|&b| used(b)),
        (0..HISTOGRAM_BINS).rfind(|&b| used(b)),
    ) else {
        return (Vec::new(), offset);
    };
    let label = |bin: usize| -> String {
        let edge = |b: usize| -> Points { histogram_edge(s.max_total, b, HISTOGRAM_BINS) };
        format!("{}-{}", edge(bin), edge(bin + 1))
    };
    let label_w = (low..=high)
        .map(|b| width(&label(b)))
        .max()
        .unwrap_or(6)
        .max(width(t.col_band));
    let most = s
        .per_judge
        .iter()
        .flat_map(|j| j.histogram.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1);
    let bar_w = 5;
    let cell_w =
        (bar_w + 1 + most.to_string().len()).max(s.per_judge.iter().map(|j| width(&j.judge)).max().unwrap_or(4)) + 2;
    let fit = (w.saturating_sub(label_w + 2) / cell_w).max(1);
    let offset = offset.min(s.per_judge.len().saturating_sub(fit));
    let judges: Vec<_> = s.per_judge.iter().skip(offset).take(fit).collect();
    let mut lines = vec![Line::styled(format!(" {}", t.histogram_heading), theme.heading)];
    let mut head = format!(" {}", pad(t.col_band, label_w));
    for j in &judges {
        head.push_str("  ");
        head.push_str(&pad(&j.judge, cell_w - 2));
    }
    if s.per_judge.len() > judges.len() {
        head.push_str(&format!("  {}", (t.more_judges)(s.per_judge.len() - judges.len())));
    }
    lines.push(Line::styled(head, theme.column_title));
    for bin in (low..=high).rev() {
        let mut spans = vec![Span::raw(format!(" {}", pad_left(&label(bin), label_w)))];
        for j in &judges {
            let n = j.histogram.get(bin).copied().unwrap_or(0);
            let cell = if n == 0 {
                String::new()
            } else {
                format!("{} {n}", "#".repeat((n * bar_w).div_ceil(most)))
            };
            spans.push(Span::raw("  "));
            spans.push(Span::styled(pad(&cell, cell_w - 2), theme.submitted));
        }
        lines.push(Line::from(spans));
    }
    (lines, offset)
}

// ---- exports ----

fn draw_export(frame: &mut Frame, c: &mut Console, body: Rect) {
    let t = c.t;
    let w = usize::from(body.width);
    let ti = Tab::Export.index();
    let mut lines = vec![Line::styled(format!(" {}", t.export_heading), c.theme.heading)];
    let label_w = ExportKind::ALL
        .iter()
        .map(|k| width((t.export_label)(*k)))
        .max()
        .unwrap_or(10)
        + 2;
    for (i, kind) in ExportKind::ALL.iter().enumerate() {
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
    if c.exports.is_empty() {
        lines.push(Line::styled(format!(" {}", t.written_none), c.theme.dim));
    }
    for x in c.exports.iter().rev() {
        lines.push(Line::from(clip(&format!(" {}  {}", x.what, x.path), w)));
        lines.push(Line::styled(clip(&format!("   {}", x.fingerprint), w), c.theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), body);
}

// ---- the stage ----

fn draw_stage(frame: &mut Frame, c: &mut Console, body: Rect) {
    let t = c.t;
    let w = usize::from(body.width);
    let Some(data) = &c.data else { return };
    let mut top: Vec<Line> = Vec::new();
    match &c.stage {
        Some(s) => {
            let entry = data.entry(&s.entry);
            let round = data
                .rubric
                .round(&s.round)
                .map_or(s.round.as_str(), |r| r.name.as_str());
            let who = entry.map_or(String::new(), |e| format!("{}  {}", e.label(), e.organization));
            top.push(Line::from(vec![
                Span::styled(format!(" {} ", t.on_stage_label), c.theme.tab_active),
                Span::styled(
                    clip(
                        &format!(" {}  {}  {}  {}", s.group, s.entry, who, round),
                        w.saturating_sub(12),
                    ),
                    c.theme.heading,
                ),
            ]));
            let done = c.submissions.iter().filter(|(_, d)| *d).count();
            let shown = match (s.revealed, done < c.submissions.len()) {
                (true, true) => t.revealed_provisional_short,
                (true, false) => t.revealed,
                (false, _) => t.not_revealed,
            };
            top.push(Line::from(format!(
                " {}   {shown}",
                (t.submitted_of)(done, c.submissions.len())
            )));
            let mut spans = vec![Span::raw(" ")];
            for (judge, submitted) in &c.submissions {
                let name = data.judge_name(judge);
                let (mark, style) = if *submitted {
                    (t.sub_yes, c.theme.submitted)
                } else {
                    (t.sub_no, c.theme.highlight)
                };
                spans.push(Span::styled(format!("{judge} {name} {mark}"), style));
                spans.push(Span::raw("   "));
            }
            let mut wrapped_lines = vec![Line::from(spans)];
            // Many judges: one line per judge instead, as many as fit.
            if wrapped_lines[0].width() > w {
                wrapped_lines = c
                    .submissions
                    .chunks(4)
                    .map(|chunk| {
                        let mut sp = vec![Span::raw(" ")];
                        for (judge, submitted) in chunk {
                            let (mark, style) = if *submitted {
                                (t.sub_yes, c.theme.submitted)
                            } else {
                                (t.sub_no, c.theme.highlight)
                            };
                            sp.push(Span::styled(format!("{judge} {}", mark), style));
                            sp.push(Span::raw("   "));
                        }
                        Line::from(sp)
                    })
                    .collect();
            }
            top.extend(wrapped_lines);
        }
        None => top.push(Line::styled(format!(" {}", t.stage_none), c.theme.hint)),
    }
    let top_h = (top.len() as u16 + 1).min(body.height / 2);
    let [upper, head, list] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Length(1), Constraint::Min(1)]).areas(body);
    frame.render_widget(Paragraph::new(top), upper);
    let name_w = 12;
    let id_w = c
        .stage_order
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
    let current = c.stage.as_ref().map(|s| s.entry.clone());
    let mut lines = Vec::new();
    for (i, e) in c.stage_order.iter().enumerate().skip(c.offset[ti]).take(rows) {
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

// ---- overlays ----

fn draw_prompt(frame: &mut Frame, c: &Console, body: Rect, p: &Prompt) {
    let t = c.t;
    let w = body.width.saturating_sub(8).min(90);
    let inner_w = usize::from(w.saturating_sub(4));
    let (title, question) = match &p.ask {
        Ask::Reopen { judge, entry, round } => {
            let round_name = c
                .data
                .as_ref()
                .and_then(|d| d.rubric.round(round))
                .map_or(round.clone(), |r| r.name.clone());
            let name = c.data.as_ref().map_or("", |d| d.judge_name(judge));
            (t.reopen_title, (t.reopen_question)(judge, name, entry, &round_name))
        }
        Ask::Lock { group, round } => (
            t.lock_title,
            (t.lock_question)(&c.lock_label(group.as_deref(), round.as_deref())),
        ),
        Ask::Unlock { group, round } => (
            t.unlock_title,
            (t.unlock_question)(&c.lock_label(group.as_deref(), round.as_deref())),
        ),
        Ask::Batch { entry } => (t.batch_title, (t.batch_question)(entry)),
        Ask::ExportFile(kind) => (t.export_title, (t.export_question)((t.export_label)(*kind))),
    };
    let mut lines: Vec<Line> = wrap(&question, inner_w)
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), c.theme.column_title))
        .collect();
    let shown = wrap(&p.input, inner_w.max(4));
    let shown = if shown.is_empty() { vec![String::new()] } else { shown };
    let input_top = lines.len();
    for l in &shown {
        lines.push(Line::from(vec![
            Span::raw(" "),
            Span::styled(pad(l, inner_w), c.theme.field_focused),
        ]));
    }
    if let Some(e) = &p.error {
        for l in wrap(e, inner_w) {
            lines.push(Line::styled(format!(" {l}"), c.theme.error));
        }
    }
    let inner = popup(frame, c.theme.heading, body, title, lines, w);
    // The cursor after the last character: the input method's window follows it.
    let last = shown.last().map_or(0, |l| width(l));
    let y = inner.y + (input_top + shown.len() - 1) as u16;
    if y < inner.bottom() {
        frame.set_cursor_position(Position::new(inner.x + 1 + last as u16, y));
    }
}

fn draw_propose(frame: &mut Frame, c: &Console, body: Rect, f: &ProposeForm) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_by_share_and_stay_ascii() {
        assert_eq!(bar(0, 10, 10), "..........");
        assert_eq!(bar(5, 10, 10), "#####.....");
        assert_eq!(bar(12, 10, 10), "##########");
        // Any share above zero shows at least one mark.
        assert_eq!(bar(1, 100, 10), "#.........");
        assert_eq!(bar(3, 0, 4), "....");
    }

    #[test]
    fn scroll_keeps_the_selection_visible() {
        assert_eq!(scroll(0, 5, 10), 0);
        assert_eq!(scroll(0, 15, 10), 6);
        assert_eq!(scroll(8, 3, 10), 3);
    }

    #[test]
    fn short_time_drops_year_and_zone() {
        assert_eq!(short_time("2026-11-29T14:03:05.120+08:00"), "11-29 14:03:05");
        assert_eq!(short_time("x"), "x");
    }
}
