//! Drawing the console: state in, cells out. Text is measured by display width
//! ([`crate::core::text`]); only the visible rows of long lists are built.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::text::{width, wrap};
use crate::tui::view::{MIN_HEIGHT, MIN_WIDTH, clip, pad};

use super::state::*;
use super::tabs::export::draw_export;
use super::tabs::locks::draw_room;
use super::tabs::progress::draw_progress;
use super::tabs::shortlist::{draw_propose, draw_shortlist};
use super::tabs::stage::draw_stage;
use super::tabs::stats::draw_stats;
use super::tabs::tally::draw_tally;
use crate::tui::widgets::{draw_help, draw_message, popup};

/// From this width the tally shows every round's score and the shortlist its bars beside the list.
pub(crate) const WIDE: u16 = 110;

pub(crate) fn pad_left(s: &str, w: usize) -> String {
    let t = clip(s, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(width(&t))))
}

/// Left and right texts on one line of `w` columns.
pub(crate) fn spread(left: &str, right: &str, w: usize) -> String {
    let right = clip(right, w);
    let left = clip(left, w.saturating_sub(width(&right) + 1));
    let fill = w.saturating_sub(width(&left) + width(&right));
    format!("{left}{}{right}", " ".repeat(fill))
}

pub(crate) fn row_rect(area: Rect, i: usize) -> Rect {
    Rect::new(area.x, area.y + i as u16, area.width, 1)
}

/// The first row to show so that `selected` is visible in `rows` lines.
pub(crate) fn scroll(offset: usize, selected: usize, rows: usize) -> usize {
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
        Some(Overlay::Report { title, lines }) => draw_report(frame, c, body, &title, &lines, c.t.any_key),
        Some(Overlay::Phases { lines, .. }) => draw_report(
            frame,
            c,
            body,
            c.t.phases_title,
            &lines,
            crate::i18n::cli_phases::texts(c.lang).console_keys,
        ),
        Some(Overlay::Connected {
            rows,
            serving,
            selected,
        }) => super::tabs::connected::draw_connected(frame, c, body, &rows, serving, selected),
        Some(Overlay::Imports { rows, selected }) => {
            super::tabs::imports::draw_imports(frame, c, body, &rows, selected)
        }
        None => {}
    }
}

/// Lines to read in a box, with `hint` (its keys) under them.
fn draw_report(frame: &mut Frame, c: &Console, body: Rect, title: &str, lines: &[String], hint: &str) {
    let w = body.width.saturating_sub(6).min(100);
    let inner = usize::from(w.saturating_sub(4));
    let mut shown: Vec<Line> = lines
        .iter()
        .flat_map(|l| wrap(l, inner))
        .map(|l| Line::from(format!(" {l}")))
        .collect();
    shown.push(Line::from(""));
    shown.push(Line::styled(format!(" {hint}"), c.theme.hint));
    popup(frame, c.theme.heading, body, title, shown, w);
}

pub(crate) fn draw_tabs(frame: &mut Frame, c: &mut Console, area: Rect) {
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
pub(crate) fn draw_sub(frame: &mut Frame, c: &mut Console, area: Rect) {
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

pub(crate) fn summary(c: &Console) -> String {
    let t = c.t;
    let Some(data) = &c.data else { return String::new() };
    match c.tab {
        Tab::Progress => {
            let (done, expected) = c.progress.matrix.total();
            let most = c.progress.matrix.most_outstanding();
            let slowest: Vec<String> = c
                .progress
                .matrix
                .judges
                .iter()
                .zip(&c.progress.matrix.per_judge)
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
            let chosen = crate::app::progress::chosen_counts(data, &c.shortlist.rows);
            (t.shortlist_summary)(chosen.total, data.targets.as_ref().map(|x| x.total))
        }
        Tab::Stats => String::new(),
        Tab::Export => t.export_summary.to_string(),
        Tab::Stage => {
            let done = c.stage.submissions.iter().filter(|(_, s)| *s).count();
            match &c.stage.current {
                Some(s) => (t.stage_summary)(&s.entry, done, c.stage.submissions.len()),
                // The tab's body says so (and how to start): once.
                None => String::new(),
            }
        }
    }
}

pub(crate) fn draw_keys(frame: &mut Frame, c: &Console, area: Rect) {
    let t = c.t;
    let keys = match &c.overlay {
        Some(Overlay::Help) => t.keys_help,
        Some(Overlay::Prompt(_)) => t.keys_prompt,
        Some(Overlay::Propose(_)) => t.keys_propose,
        Some(Overlay::Report { .. }) => t.any_key,
        Some(Overlay::Connected { .. }) => t.keys_connected,
        Some(Overlay::Imports { .. }) => crate::i18n::cli_importlog::texts(c.lang).keys,
        Some(Overlay::Phases { .. }) => crate::i18n::cli_phases::texts(c.lang).console_keys,
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

pub(crate) fn draw_login(frame: &mut Frame, c: &Console, body: Rect) {
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

// ---- live tally ----

// ---- locks ----

/// `2026-11-29T14:03:05.120+08:00` as `11-29 14:03:05`.
pub(crate) fn short_time(at: &str) -> String {
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

// ---- statistics ----

// ---- exports ----

// ---- the stage ----

// ---- overlays ----

pub(crate) fn draw_prompt(frame: &mut Frame, c: &Console, body: Rect, p: &Prompt) {
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
        Ask::RemoveJudge { judge } => {
            let name = c.data.as_ref().map_or("", |d| d.judge_name(judge));
            (t.remove_judge_title, (t.remove_judge_question)(judge, name))
        }
        Ask::StartPhase { current } => (t.start_phase_title, (t.start_phase_question)(current)),
        Ask::ReplaceJudge { judge } => {
            let name = c.data.as_ref().map_or("", |d| d.judge_name(judge));
            let ct = crate::i18n::console_corrections::texts(c.lang);
            (ct.replace_title, (ct.replace_question)(judge, name))
        }
        Ask::RemoveScore { judge, entry, round } => {
            let round_name = c.round_name(round);
            let name = c.data.as_ref().map_or("", |d| d.judge_name(judge));
            let ct = crate::i18n::console_corrections::texts(c.lang);
            (
                ct.remove_score_title,
                (ct.remove_score_question)(judge, name, entry, &round_name),
            )
        }

        Ask::DropPhase { phase, back_to } => {
            let pt = crate::i18n::cli_phases::texts(c.lang);
            (pt.console_drop_title, (pt.console_drop_question)(phase, back_to))
        }
        Ask::Withdraw { entry } => {
            let title = c
                .data
                .as_ref()
                .and_then(|d| d.tally.entry(entry))
                .map_or(String::new(), |e| e.title.clone());
            (t.withdraw_title, (t.withdraw_question)(entry, &title))
        }
        Ask::Restore { entry } => {
            let found = c
                .data
                .as_ref()
                .and_then(|d| d.tally.withdrawn.iter().find(|w| &w.id == entry));
            let (title, reason) = found.map_or((String::new(), String::new()), |w| (w.title.clone(), w.reason.clone()));
            (t.restore_title, (t.restore_question)(entry, &title, &reason))
        }
        Ask::UndoImport { number } => {
            let texts = crate::i18n::cli_importlog::texts(c.lang);
            (texts.undo_title, (texts.reason_prompt)(*number))
        }
        Ask::RubricFile => {
            let rt = crate::i18n::cli_rubricapply::texts(c.lang);
            (rt.console_title, rt.ask_file.to_string())
        }
        Ask::RubricReason { path, changes, .. } => {
            let rt = crate::i18n::cli_rubricapply::texts(c.lang);
            (rt.console_title, (rt.ask_reason)(path, *changes))
        }
    };
    // The rubric's diff above its question.
    let mut lines: Vec<Line> = match &p.ask {
        Ask::RubricReason { summary, .. } => summary
            .iter()
            .flat_map(|s| wrap(s, inner_w))
            .map(|l| Line::raw(format!(" {l}")))
            .collect(),
        _ => Vec::new(),
    };
    lines.extend(
        wrap(&question, inner_w)
            .into_iter()
            .map(|l| Line::styled(format!(" {l}"), c.theme.column_title)),
    );
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
