//! Drawing: state in, cells out. Text is measured and wrapped by display width here
//! ([`crate::core::text`]); ratatui's own wrapping is never used (it breaks Chinese badly).

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::judging::{RowStatus, SheetProgress};
use crate::core::discussion::{JudgeLabel, PanelView};
use crate::core::rubric::Section;
use crate::core::text::{width, wrap};
use crate::core::{Entry, Kind};
use crate::search::{FIELD_COUNTY, FIELD_ID, FIELD_NAME, FIELD_ORGANIZATION, FIELD_TITLE};

use super::state::*;
use crate::tui::widgets::{draw_help, draw_lines, draw_message, popup, wrap_with_cursor};

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// From this width the reader and the score sheet are side by side.
pub const WIDE_WIDTH: u16 = 110;
const SHEET_WIDTH: u16 = 52;

// ---- text helpers (display width, never splitting a wide character) ----

fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `s` cut to at most `w` columns; a cut text ends in "~" (ASCII: no ambiguous-width ellipsis).
pub fn clip(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw > w.saturating_sub(1) {
            break;
        }
        out.push(c);
        used += cw;
    }
    if w > 0 {
        out.push('~');
    }
    out
}

/// `s` cut and padded to exactly `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let t = clip(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(fill))
}

fn pad_left(s: &str, w: usize) -> String {
    let t = clip(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{}{t}", " ".repeat(fill))
}

/// `text` in exactly `w` columns with the characters at `marks` (char indices) in `mark`.
fn marked(text: &str, marks: &[usize], w: usize, base: Style, mark: Style) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    let mut used = 0;
    let cut = width(text) > w;
    let room = if cut { w.saturating_sub(1) } else { w };
    for (i, c) in text.chars().enumerate() {
        let cw = char_width(c);
        if used + cw > room {
            break;
        }
        let m = marks.contains(&i);
        if m != run_marked && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_marked { mark } else { base },
            ));
        }
        run_marked = m;
        run.push(c);
        used += cw;
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_marked { mark } else { base }));
    }
    if cut && w > 0 {
        spans.push(Span::styled("~", base));
        used += 1;
    }
    if used < w {
        spans.push(Span::styled(" ".repeat(w - used), base));
    }
    spans
}

/// Left and right texts on one line of `w` columns.
fn spread(left: &str, right: &str, w: usize) -> String {
    let right = clip(right, w);
    let left_room = w.saturating_sub(width(&right) + 1);
    let left = clip(left, left_room);
    let fill = w.saturating_sub(width(&left) + width(&right));
    format!("{left}{}{right}", " ".repeat(fill))
}

// ---- the frame ----

pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    app.areas = Areas {
        wide: area.width >= WIDE_WIDTH,
        ..Areas::default()
    };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = (app.t.too_small)(area.width, area.height);
        let lines: Vec<Line> = wrap(&text, usize::from(area.width.max(10)))
            .into_iter()
            .map(Line::from)
            .collect();
        let h = (lines.len() as u16).min(area.height);
        let y = area.y + area.height.saturating_sub(h) / 2;
        frame.render_widget(Paragraph::new(lines), Rect::new(area.x, y, area.width, h));
        return;
    }
    let stage_line = u16::from(app.stage_pending.is_some());
    let [header, sub, body, stage, message, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(stage_line),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, app, header);
    match app.screen {
        Screen::Login => draw_login(frame, app, sub, body),
        Screen::List => draw_list(frame, app, sub, body),
        Screen::Search => draw_search(frame, app, sub, body),
        Screen::Entry => draw_entry(frame, app, sub, body),
    }
    draw_stage_line(frame, app, stage);
    // A write on its way to the disk says so until its outcome replaces the line.
    let saving = app.saving.as_ref().map(|text| Message {
        level: Level::Info,
        text: text.clone(),
    });
    draw_message(frame, saving.as_ref().or(app.message.as_ref()), &app.theme, message);
    draw_keys(frame, app, keys);
    match app.overlay.clone() {
        Some(Overlay::Help) => draw_help(
            frame,
            app.t.help,
            app.t.help_title,
            (app.theme.heading, app.theme.column_title),
            &mut app.help_scroll,
            body,
        ),
        Some(Overlay::ConfirmSubmit) => draw_confirm(frame, app, body),
        Some(Overlay::Comment(comment)) => draw_comment(frame, app, body, &comment),
        Some(Overlay::SitOut(text)) => draw_sit_out(frame, app, body, &text),
        Some(Overlay::Panel(scroll)) => draw_panel(frame, app, body, scroll),
        None => {}
    }
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect) {
    let w = usize::from(area.width);
    let left = format!(" jury  {}", app.contest);
    let right = match &app.judge {
        Some(j) => {
            let (done, total) = app.progress;
            // Counted over the whole list: while only its first page is here, it is loading.
            let progress = if app.loading {
                app.t.list_loading.to_string()
            } else {
                (app.t.progress)(done, total)
            };
            format!("{} {} ({})   {} ", app.t.judge_label, j.name, j.id, progress)
        }
        None => format!("{} ", app.t.login_title),
    };
    frame.render_widget(
        Paragraph::new(Line::from(spread(&left, &right, w))).style(app.theme.header),
        area,
    );
}

/// The stage moved on and the judge stayed: who is on now and the key that goes there. The
/// contestant's description is shortened, never the key.
fn draw_stage_line(frame: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let w = usize::from(area.width);
    let who = app.stage_who.clone().unwrap_or_default();
    // The round is named when it is not the one on screen (`jury stage round R`).
    let rubric = &app.rubric;
    let round = app.stage_pending.as_ref().and_then(|p| {
        let index = rubric.round_index(&p.stage.round)?;
        let on_screen = app
            .open
            .as_ref()
            .filter(|_| app.screen == Screen::Entry)
            .map(|o| o.round);
        let other = on_screen.is_some_and(|r| r != index);
        rubric.rounds.get(index).filter(|_| other).map(|r| r.name.as_str())
    });
    let room = w.saturating_sub(width(&(app.t.stage_waiting)("", round)) + 2);
    let text = (app.t.stage_waiting)(&clip(&who, room), round);
    frame.render_widget(
        Paragraph::new(Line::styled(pad(&format!(" {text}"), w), app.theme.heading)),
        area,
    );
}

/// How much a key-bar entry matters, by its key: 0 stays longest. Entries are left out whole,
/// least important (and then rightmost) first, until the bar fits.
fn key_rank(entry: &str) -> u8 {
    let key = entry.split(' ').next().unwrap_or_default();
    match key {
        "Esc" | "?" | "F6/Ctrl-G" | "Enter" | "y" => 0,
        "F10" | "F2" | "数字" | "digits" | "Tab/上下" | "Tab/Up/Down" | "q" | "/" | "输入" | "type" => 1,
        _ => 2,
    }
}

/// `keys` (entries separated by two spaces) fitted into `w` columns: `first` (if any) in front,
/// entries whose key is in `leave_out` left out, then the least important left out whole until
/// the rest fits. Never a cut word.
pub fn fit_keys(keys: &str, first: Option<&str>, leave_out: &[&str], w: usize) -> String {
    let all: Vec<&str> = keys.split("  ").map(str::trim).filter(|e| !e.is_empty()).collect();
    let mut entries: Vec<&str> = first.into_iter().collect();
    entries.extend(
        all.iter()
            .copied()
            .filter(|e| !leave_out.contains(&e.split(' ').next().unwrap_or_default())),
    );
    // Nothing added, nothing left out and room for all: the bar as written.
    if entries == all && width(keys) < w {
        return format!(" {keys}");
    }
    // One column for the leading space.
    let fits = |entries: &[&str]| width(&entries.join("  ")) < w;
    while !fits(&entries) && entries.len() > 1 {
        // `max_by_key` keeps the last of equals: the rightmost of the least important.
        let Some(drop) = (0..entries.len()).max_by_key(|&i| key_rank(entries[i])) else {
            break;
        };
        entries.remove(drop);
    }
    format!(" {}", entries.join("  "))
}

fn draw_keys(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.t;
    let keys = match app.overlay {
        Some(Overlay::Help) => t.help_close,
        Some(Overlay::ConfirmSubmit) => t.confirm_keys,
        Some(Overlay::Comment(ref c)) if c.read_only => t.keys_comment_read_only,
        Some(Overlay::Comment(_)) => t.keys_comment,
        Some(Overlay::SitOut(_)) => t.sit_out_keys,
        Some(Overlay::Panel(_)) => t.panel_keys,
        None => match app.screen {
            Screen::Login if app.login.stage == LoginStage::Pin => t.keys_pin,
            Screen::Login => t.keys_login,
            Screen::List => t.keys_list,
            Screen::Search => t.keys_search,
            Screen::Entry => match app.open.as_ref().map(|o| o.focus) {
                Some(Pane::Reader) => t.keys_reader,
                _ => t.keys_sheet,
            },
        },
    };
    // A read-only sheet has nothing to submit.
    let read_only = app.screen == Screen::Entry
        && app.open.as_ref().is_some_and(|o| {
            o.focus == Pane::Sheet
                && o.sheets
                    .get(o.round)
                    .is_some_and(|s| s.status == SheetProgress::Submitted)
        });
    let leave_out: &[&str] = if read_only { &["F10"] } else { &[] };
    let go = (app.overlay.is_none() && app.stage_pending.is_some()).then_some(t.keys_go_stage);
    let w = usize::from(area.width);
    frame.render_widget(
        Paragraph::new(Line::styled(pad(&fit_keys(keys, go, leave_out, w), w), app.theme.hint)),
        area,
    );
}

// ---- login ----

fn draw_login(frame: &mut Frame, app: &mut App, sub: Rect, body: Rect) {
    let t = app.t;
    let w = usize::from(body.width);
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {}", t.login_title), app.theme.heading)),
        sub,
    );
    if app.login.judges.is_empty() {
        let lines: Vec<Line> = wrap(t.login_no_judges, w.saturating_sub(2))
            .into_iter()
            .map(|l| Line::from(format!(" {l}")))
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
        return;
    }
    if app.login.stage == LoginStage::Pin {
        let (name, id) = app
            .login
            .chosen()
            .map(|j| (j.name.clone(), j.id.clone()))
            .unwrap_or_default();
        let mut lines = vec![
            Line::from(""),
            Line::from(format!(" {}", (t.login_for)(&name, &id))),
            Line::from(""),
        ];
        let masked = "*".repeat(app.login.pin.chars().count());
        lines.push(Line::from(vec![
            Span::raw(format!(" {}", t.login_pin)),
            Span::styled(pad(&masked, 12), app.theme.field_focused),
        ]));
        lines.push(Line::from(""));
        let locked = app.login.locked_secs(Instant::now());
        if let Some(secs) = locked {
            lines.push(Line::styled(format!(" {}", (t.login_locked)(secs)), app.theme.error));
        } else if let Some(e) = &app.login.error {
            lines.push(Line::styled(format!(" {e}"), app.theme.error));
        }
        frame.render_widget(Paragraph::new(lines), body);
        if locked.is_none() && app.overlay.is_none() {
            let x = body.x + 1 + width(t.login_pin) as u16 + masked.len() as u16;
            frame.set_cursor_position(Position::new(x.min(body.right().saturating_sub(1)), body.y + 3));
        }
        return;
    }
    let [prompt, filter, list] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(2), Constraint::Min(1)]).areas(body);
    frame.render_widget(
        Paragraph::new(Line::from(format!(" {}", clip(t.login_pick, w - 1)))),
        prompt,
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(format!(" {}", t.login_filter)),
            Span::styled(pad(&app.login.filter, 24), app.theme.field),
        ])),
        filter,
    );
    if app.overlay.is_none() {
        let x = filter.x + 1 + width(t.login_filter) as u16 + width(&app.login.filter) as u16;
        frame.set_cursor_position(Position::new(x, filter.y));
    }
    let visible = app.login.visible();
    let height = usize::from(list.height);
    let offset = scrolled(app.areas.login_offset, app.login.selected, height);
    app.areas.login_list = list;
    app.areas.login_offset = offset;
    let lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, &j)| {
            let judge = &app.login.judges[j];
            let text = format!(" {} {} {}", pad(&judge.name, 10), pad(&judge.id, 8), judge.organization);
            let style = if i == app.login.selected {
                app.theme.selected
            } else {
                Style::default()
            };
            Line::styled(pad(&text, w), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// The first visible line so that `selected` is inside a window of `height` lines.
fn scrolled(offset: usize, selected: usize, height: usize) -> usize {
    let height = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

// ---- the entry list ----

fn status_text(app: &App, status: RowStatus, submitted: usize, rounds: usize) -> String {
    let word = app.t.status(status);
    if rounds > 1 && status != RowStatus::Conflict {
        format!("{word} {submitted}/{rounds}")
    } else {
        word.to_string()
    }
}

fn status_style(app: &App, status: RowStatus) -> Style {
    match status {
        RowStatus::NotStarted => Style::default(),
        RowStatus::Draft => app.theme.draft,
        RowStatus::Submitted => app.theme.submitted,
        RowStatus::Conflict => app.theme.conflict,
    }
}

/// Column widths for the list: (order, id, name, title, organisation, status); 0 = not shown.
struct Columns {
    order: usize,
    id: usize,
    name: usize,
    title: usize,
    org: usize,
    status: usize,
}

fn columns(app: &App, w: usize) -> Columns {
    let rounds = app.rows.first().map_or(1, |r| r.rounds.len());
    let status = [
        RowStatus::NotStarted,
        RowStatus::Draft,
        RowStatus::Submitted,
        RowStatus::Conflict,
    ]
    .iter()
    .map(|s| width(&status_text(app, *s, rounds, rounds)))
    .max()
    .unwrap_or(8)
    .max(width(app.t.col_status));
    let id = if app.rows.is_empty() { 6 } else { app.id_width }.clamp(4, 14);
    let (order, name) = if app.kind == Kind::Competition { (4, 10) } else { (0, 0) };
    let fixed = 1 + [order, id, name, status]
        .iter()
        .filter(|w| **w > 0)
        .map(|w| w + 1)
        .sum::<usize>();
    let flex = w.saturating_sub(fixed + 1);
    let title = flex * 3 / 5;
    Columns {
        order,
        id,
        name,
        title,
        org: flex.saturating_sub(title + 1),
        status,
    }
}

fn draw_tabs(frame: &mut Frame, app: &mut App, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    let mut x = area.x + 1;
    let mut rects = Vec::new();
    for (i, tab) in app.tabs.iter().enumerate() {
        // A tab's count needs the whole list.
        let label = if app.loading {
            format!(" {} ", tab.label)
        } else {
            format!(" {} ({}) ", tab.label, tab.rows.len())
        };
        let w = width(&label) as u16;
        if x + w > area.right() {
            break;
        }
        rects.push((Rect::new(x, area.y, w, 1), i));
        let style = if i == app.list.tab {
            app.theme.tab_active
        } else {
            app.theme.tab
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
        x += w + 1;
    }
    app.areas.tabs = rects;
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_list(frame: &mut Frame, app: &mut App, sub: Rect, body: Rect) {
    draw_tabs(frame, app, sub);
    let w = usize::from(body.width);
    let hint_lines: Vec<String> = match &app.hint {
        Some(h) => wrap(h, w.saturating_sub(2)).into_iter().take(3).collect(),
        None => Vec::new(),
    };
    let [titles, rows_area, hint_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(if hint_lines.is_empty() {
            0
        } else {
            hint_lines.len() as u16 + 1
        }),
    ])
    .areas(body);
    let c = columns(app, w);
    let t = app.t;
    let mut title = String::from(" ");
    if c.order > 0 {
        title.push_str(&pad(t.col_order, c.order));
        title.push(' ');
    }
    title.push_str(&pad(t.col_id, c.id));
    title.push(' ');
    if c.name > 0 {
        title.push_str(&pad(t.col_name, c.name));
        title.push(' ');
    }
    title.push_str(&pad(t.col_title, c.title));
    title.push(' ');
    title.push_str(&pad(t.col_org, c.org));
    title.push(' ');
    title.push_str(&pad(t.col_status, c.status));
    draw_lines(
        frame.buffer_mut(),
        titles,
        &[Line::styled(pad(&title, w), app.theme.column_title)],
    );

    app.areas.list = rows_area;
    let height = usize::from(rows_area.height);
    let Some(tab) = app.tabs.get(app.list.tab) else {
        frame.render_widget(Paragraph::new(Line::from(format!(" {}", t.no_entries))), rows_area);
        return;
    };
    app.list.selected = app.list.selected.min(tab.rows.len().saturating_sub(1));
    app.list.offset = scrolled(app.list.offset, app.list.selected, height);
    // Only the visible rows are formatted: lists can be 100 000 entries long.
    let lines: Vec<Line> = tab
        .rows
        .iter()
        .enumerate()
        .skip(app.list.offset)
        .take(height)
        .map(|(i, &r)| {
            let row = &app.rows[r];
            let e = &row.entry;
            let status = row.status();
            let base = if status == RowStatus::Conflict {
                app.theme.conflict
            } else if row.withdrawn.is_some() {
                app.theme.dim
            } else {
                Style::default()
            };
            let mut spans = vec![Span::raw(" ")];
            if c.order > 0 {
                let order = e.order().map(|o| o.to_string()).unwrap_or_default();
                spans.push(Span::styled(format!("{} ", pad_left(&order, c.order - 1)), base));
                spans.push(Span::raw(" ".repeat(0)));
            }
            spans.push(Span::styled(format!("{} ", pad(e.id(), c.id)), base));
            if c.name > 0 {
                spans.push(Span::styled(format!("{} ", pad(e.name(), c.name)), base));
            }
            let label = if let Some(kind) = row.withdrawn {
                format!("{}{}", (t.withdrawn_mark)(kind), e.label())
            } else if row.calibration {
                format!("{}{}", t.calibration_mark, e.label())
            } else {
                e.label().to_string()
            };
            spans.push(Span::styled(format!("{} ", pad(&label, c.title)), base));
            spans.push(Span::styled(format!("{} ", pad(e.organization(), c.org)), base));
            spans.push(Span::styled(
                pad(
                    &status_text(app, row.list_status(), row.submitted_rounds(), row.rounds.len()),
                    c.status,
                ),
                status_style(app, status),
            ));
            let mut line = Line::from(spans);
            if i == app.list.selected {
                line = line.style(app.theme.selected);
                // The selection shows even without colour: reverse the whole line.
                line.spans
                    .iter_mut()
                    .for_each(|s| s.style = s.style.patch(app.theme.selected));
            }
            line
        })
        .collect();
    // Straight into the buffer: the rows are already cut and padded to the width.
    draw_lines(frame.buffer_mut(), rows_area, &lines);
    if !hint_lines.is_empty() {
        let mut lines = vec![Line::from("")];
        lines.extend(
            hint_lines
                .into_iter()
                .map(|l| Line::styled(format!(" {l}"), app.theme.dim)),
        );
        frame.render_widget(Paragraph::new(lines), hint_area);
    }
}

// ---- search ----

fn draw_search(frame: &mut Frame, app: &mut App, sub: Rect, body: Rect) {
    let t = app.t;
    let w = usize::from(body.width);
    let label = format!(" {}", t.search_label);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(label.clone(), app.theme.heading),
            Span::styled(
                pad(&app.search.query, w.saturating_sub(width(&label) + 1)),
                app.theme.field,
            ),
        ])),
        sub,
    );
    if app.overlay.is_none() {
        // The input method's candidate window follows the real cursor.
        let x = sub.x + (width(&label) + width(&app.search.query)) as u16;
        frame.set_cursor_position(Position::new(x.min(sub.right().saturating_sub(1)), sub.y));
    }
    let [info, rows_area] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
    let info_text = if app.search.query.trim().is_empty() {
        t.search_hint.to_string()
    } else if app.search.results.is_empty() {
        t.search_none.to_string()
    } else {
        (t.search_count)(app.search.results.len())
    };
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {}", clip(&info_text, w - 2)), app.theme.dim)),
        info,
    );
    app.areas.search = rows_area;
    let height = usize::from(rows_area.height);
    app.search.selected = app.search.selected.min(app.search.results.len().saturating_sub(1));
    app.search.offset = scrolled(app.search.offset, app.search.selected, height);
    app.search.highlight_window(app.search.offset, height);
    let c = columns(app, w);
    let competition = app.kind == Kind::Competition;
    let lines: Vec<Line> = app
        .search
        .results
        .iter()
        .enumerate()
        .skip(app.search.offset)
        .take(height)
        .map(|(i, found)| {
            let row = &app.rows[found.row];
            let e = &row.entry;
            let marks = |field: usize| -> Vec<usize> {
                found
                    .highlights
                    .iter()
                    .filter(|(f, _)| *f == field)
                    .flat_map(|(_, idx)| idx.iter().copied())
                    .collect()
            };
            let base = if row.conflict.is_some() {
                app.theme.conflict
            } else if row.withdrawn.is_some() {
                app.theme.dim
            } else {
                Style::default()
            };
            let hl = app.theme.highlight;
            let mut spans = vec![Span::raw(" ")];
            spans.extend(marked(e.id(), &marks(FIELD_ID), c.id, base, hl));
            spans.push(Span::raw(" "));
            // Contestants: name then title; cases: title then county.
            let (title_w, org_w) = if competition {
                (c.title + c.order + 1, c.org)
            } else {
                (c.title, c.org.saturating_sub(9))
            };
            if competition {
                spans.extend(marked(e.name(), &marks(FIELD_NAME), c.name, base, hl));
                spans.push(Span::raw(" "));
            }
            if !e.title().is_empty() || !competition {
                spans.extend(marked(e.title(), &marks(FIELD_TITLE), title_w, base, hl));
            } else {
                spans.push(Span::raw(" ".repeat(title_w)));
            }
            spans.push(Span::raw(" "));
            spans.extend(marked(e.organization(), &marks(FIELD_ORGANIZATION), org_w, base, hl));
            if !competition {
                spans.push(Span::raw(" "));
                spans.extend(marked(e.county(), &marks(FIELD_COUNTY), 8, base, hl));
            }
            spans.push(Span::raw(" "));
            let status = row.status();
            spans.push(Span::styled(
                pad(
                    &status_text(app, row.list_status(), row.submitted_rounds(), row.rounds.len()),
                    c.status,
                ),
                status_style(app, status),
            ));
            if i == app.search.selected {
                spans
                    .iter_mut()
                    .for_each(|s| s.style = s.style.patch(app.theme.selected));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows_area);
}

// ---- reader and sheet ----

fn draw_entry(frame: &mut Frame, app: &mut App, sub: Rect, body: Rect) {
    let Some(open) = app.open.as_ref() else { return };
    let e = &open.entry;
    let w = usize::from(sub.width);
    let mut title = format!(" {}  {}", e.id, e.label());
    if !e.name.is_empty() && e.name != e.label() {
        title.push_str(&format!("  {}", e.name));
    }
    if !e.organization.is_empty() {
        title.push_str(&format!("  {}", e.organization));
    }
    frame.render_widget(Paragraph::new(Line::styled(pad(&title, w), app.theme.heading)), sub);
    let focus = open.focus;
    if app.areas.wide {
        let [reader, sheet] = Layout::horizontal([Constraint::Min(20), Constraint::Length(SHEET_WIDTH)]).areas(body);
        draw_reader(frame, app, reader);
        draw_sheet(frame, app, sheet, true);
    } else if focus == Pane::Reader {
        draw_reader(frame, app, body);
    } else {
        draw_sheet(frame, app, body, false);
    }
}

fn field_line(label: &str, value: &str, w: usize, label_style: Style) -> Vec<Line<'static>> {
    if value.trim().is_empty() {
        return Vec::new();
    }
    let label = format!("{label}: ");
    let lw = width(&label);
    wrap(value, w.saturating_sub(lw).max(10))
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                Line::from(vec![Span::styled(label.clone(), label_style), Span::raw(l)])
            } else {
                Line::from(format!("{}{l}", " ".repeat(lw)))
            }
        })
        .collect()
}

/// The reader's lines for `entry` at `w` columns.
pub fn reader_lines(app: &App, entry: &Entry, w: usize) -> Vec<Line<'static>> {
    reader_lines_with(app, entry, None, w)
}

/// [`reader_lines`], with the document the entry was imported from.
pub fn reader_lines_with(app: &App, entry: &Entry, source: Option<&str>, w: usize) -> Vec<Line<'static>> {
    let t = app.t;
    let ls = app.theme.column_title;
    let mut lines = Vec::new();
    let group_label = if app.kind == Kind::Cases {
        t.field_category
    } else {
        t.field_group
    };
    lines.extend(field_line(t.col_id, &entry.id, w, ls));
    lines.extend(field_line(t.col_name, &entry.name, w, ls));
    lines.extend(field_line(t.col_title, &entry.title, w, ls));
    lines.extend(field_line(group_label, entry.group.as_deref().unwrap_or(""), w, ls));
    if let Some(o) = entry.order {
        lines.extend(field_line(t.col_order, &o.to_string(), w, ls));
    }
    lines.extend(field_line(t.field_perspective, &entry.perspective, w, ls));
    lines.extend(field_line(t.field_submitter, &entry.submitter, w, ls));
    lines.extend(field_line(t.field_submitter_type, &entry.submitter_type, w, ls));
    lines.extend(field_line(t.col_org, &entry.organization, w, ls));
    lines.extend(field_line(t.col_county, &entry.county, w, ls));
    for (k, v) in &entry.extra {
        lines.extend(field_line(k, v, w, ls));
    }
    if let Some(source) = source {
        lines.extend(field_line(t.field_source, source, w, ls));
    }
    let rubric = std::sync::Arc::clone(&app.rubric);
    if app.kind != Kind::Cases {
        return lines;
    }
    for section in Section::ALL {
        let text = entry.sections.get(section).trim();
        let required = rubric.required_sections.contains(&section);
        if text.is_empty() && !required {
            continue;
        }
        lines.push(Line::from(""));
        let mut heading = vec![Span::styled((t.section_name)(section).to_string(), app.theme.heading)];
        let chars = text.chars().count();
        if required && chars == 0 {
            heading.push(Span::raw("  "));
            heading.push(Span::styled(t.section_missing.to_string(), app.theme.error));
        } else if required && chars < rubric.min_section_chars {
            heading.push(Span::raw("  "));
            heading.push(Span::styled(
                (t.section_short)(chars, rubric.min_section_chars),
                app.theme.error,
            ));
        }
        lines.push(Line::from(heading));
        lines.extend(wrap(text, w).into_iter().map(Line::from));
    }
    lines
}

fn draw_reader(frame: &mut Frame, app: &mut App, area: Rect) {
    let Some(open) = app.open.as_ref() else { return };
    let inner = Rect::new(area.x + 1, area.y, area.width.saturating_sub(2), area.height);
    let lines = reader_lines_with(app, &open.entry, open.source.as_deref(), usize::from(inner.width));
    let height = usize::from(inner.height);
    let max_scroll = lines.len().saturating_sub(height);
    let scroll = open.scroll.min(max_scroll);
    app.areas.reader = inner;
    app.areas.reader_lines = lines.len();
    if let Some(o) = app.open.as_mut() {
        o.scroll = scroll;
    }
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

fn draw_sheet(frame: &mut Frame, app: &mut App, area: Rect, beside: bool) {
    let rubric = std::sync::Arc::clone(&app.rubric);
    let Some(open) = app.open.as_ref() else { return };
    let t = app.t;
    let theme = app.theme;
    let inner = if beside {
        let block = Block::new().borders(ratatui::widgets::Borders::LEFT);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        Rect::new(inner.x + 1, inner.y, inner.width.saturating_sub(1), inner.height)
    } else {
        Rect::new(area.x + 1, area.y, area.width.saturating_sub(2), area.height)
    };
    let w = usize::from(inner.width);
    let Some(round) = rubric.rounds.get(open.round) else {
        return;
    };
    let sheet = open.sheets.get(open.round);
    let submitted = sheet.is_some_and(|s| s.status == SheetProgress::Submitted);
    let focused = open.focus == Pane::Sheet;
    let mut lines: Vec<Line> = Vec::new();
    // Round tabs.
    let mut spans = Vec::new();
    for (i, r) in rubric.rounds.iter().enumerate() {
        let done = open.sheets.get(i).is_some_and(|s| s.status == SheetProgress::Submitted);
        let label = if done {
            format!(" {} + ", r.name)
        } else {
            format!(" {} ", r.name)
        };
        spans.push(Span::styled(
            label,
            if i == open.round { theme.tab_active } else { theme.tab },
        ));
        spans.push(Span::raw(" "));
    }
    lines.push(Line::from(spans));
    let (status_text, status_style) = match sheet.map(|s| s.status) {
        Some(SheetProgress::Submitted) => (t.sheet_submitted, theme.submitted),
        Some(SheetProgress::Draft) => (t.sheet_draft, theme.draft),
        _ => (t.sheet_not_started, Style::default()),
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{}: ", t.sheet_title), theme.column_title),
        Span::styled(status_text.to_string(), status_style),
    ]));
    let field_w = 8;
    let max_w = 6;
    let name_w = w.saturating_sub(field_w + max_w + 4);
    lines.push(Line::styled(
        format!(
            "{} {} {}",
            pad(t.col_criterion, name_w),
            pad_left(t.col_max, max_w),
            pad(t.col_score, field_w + 2)
        ),
        theme.column_title,
    ));
    let first_row = lines.len();
    let mut cursor = None;
    for (i, c) in round.criteria.iter().enumerate() {
        let is_focus = i == open.criterion;
        let text = if is_focus {
            open.input.clone()
        } else {
            sheet
                .and_then(|s| s.values.get(&c.id))
                .map(|v| v.to_string())
                .unwrap_or_default()
        };
        let marker = if is_focus { ">" } else { " " };
        let field_style = if is_focus && focused && !submitted {
            theme.field_focused
        } else {
            theme.field
        };
        let name_style = if is_focus { theme.heading } else { Style::default() };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{marker}{}", pad(&c.name, name_w.saturating_sub(1))),
                name_style,
            ),
            Span::raw(format!(" {} ", pad_left(&c.max.to_string(), max_w))),
            Span::raw("["),
            Span::styled(pad(&text, field_w), field_style),
            Span::raw("]"),
        ]));
        if is_focus && focused && !submitted {
            let x = inner.x + (name_w + max_w + 3) as u16 + width(&text).min(field_w) as u16;
            cursor = Some((x, i));
        }
    }
    let total = app.live_total().map(|p| p.to_string()).unwrap_or_default();
    lines.push(Line::styled(
        pad_left(&(t.round_total)(&total, &round.max_total().to_string()), w),
        theme.heading,
    ));
    match &open.error {
        Some(e) => lines.push(Line::styled(clip(e, w), theme.error)),
        None => lines.push(Line::from("")),
    }
    let criterion = round.criteria.get(open.criterion);
    // The comment takes the last lines; the guide fills what is left.
    let comment_text = if open.comment.is_empty() {
        t.comment_empty.to_string()
    } else {
        open.comment.clone()
    };
    let label = format!("{}: ", t.comment);
    let mut comment_lines: Vec<Line> = wrap(&comment_text, w.saturating_sub(width(&label)).max(10))
        .into_iter()
        .take(2)
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                Line::from(vec![Span::styled(label.clone(), theme.column_title), Span::raw(l)])
            } else {
                Line::from(format!("{}{l}", " ".repeat(width(&label))))
            }
        })
        .collect();
    if let Some(c) = criterion {
        let room = usize::from(inner.height).saturating_sub(lines.len() + comment_lines.len() + 1);
        if room > 1 {
            lines.push(Line::styled(format!("{}: {}", t.guide, c.name), theme.column_title));
            lines.extend(wrap(c.guide.trim(), w).into_iter().take(room - 1).map(Line::from));
        }
    }
    let fill = usize::from(inner.height).saturating_sub(lines.len() + comment_lines.len());
    lines.extend(std::iter::repeat_n(Line::from(""), fill));
    lines.append(&mut comment_lines);
    app.areas.sheet_rows = (0..round.criteria.len())
        .filter_map(|i| {
            let y = inner.y + (first_row + i) as u16;
            (y < inner.bottom()).then(|| (Rect::new(inner.x, y, inner.width, 1), i))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some((x, i)) = cursor
        && app.overlay.is_none()
    {
        let y = inner.y + (first_row + i) as u16;
        if y < inner.bottom() {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}

// ---- overlays ----

fn draw_confirm(frame: &mut Frame, app: &App, body: Rect) {
    let t = app.t;
    let round = app
        .open
        .as_ref()
        .and_then(|o| app.rubric.rounds.get(o.round))
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let total = app.live_total().map(|p| p.to_string()).unwrap_or_default();
    let w: u16 = 60;
    let mut lines: Vec<Line> = wrap(&(t.confirm_submit)(&round, &total), usize::from(w - 4))
        .into_iter()
        .map(|l| Line::from(format!(" {l}")))
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled(format!(" {}", t.confirm_keys), app.theme.heading));
    popup(frame, app.theme.heading, body, t.confirm_title, lines, w);
}

/// The contestant on stage is one this judge sits out: say so instead of opening the sheet.
fn draw_sit_out(frame: &mut Frame, app: &App, body: Rect, text: &str) {
    let w = body.width.saturating_sub(8).min(64);
    let lines: Vec<Line> = wrap(text, usize::from(w.saturating_sub(4)))
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let style = if i == 0 { app.theme.heading } else { app.theme.conflict };
            Line::styled(format!(" {l}"), style)
        })
        .collect();
    popup(frame, app.theme.heading, body, app.t.sit_out_title, lines, w);
}

/// The lines of the panel's marks: per round a table (judge, one column per criterion, total),
/// then the comments, wrapped to `inner_w` columns.
pub(crate) fn panel_lines(app: &App, view: &PanelView, inner_w: usize) -> Vec<Line<'static>> {
    let t = app.t;
    let name = |label: &JudgeLabel, own: bool| {
        let base = match label {
            JudgeLabel::Id(id) => id.clone(),
            JudgeLabel::Number(n) => (t.panel_number)(*n),
        };
        if own { format!("{base}{}", t.panel_own) } else { base }
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    for round in &view.rounds {
        lines.push(Line::styled(format!(" {}", round.name), app.theme.heading));
        let labels: Vec<String> = round.marks.iter().map(|m| name(&m.label, m.own)).collect();
        let label_w = labels.iter().map(|l| width(l)).max().unwrap_or(0).max(4) + 1;
        let total_w = width(t.panel_total).max(6);
        let n = round.criteria.len().max(1);
        let room = inner_w.saturating_sub(1 + label_w + total_w + 1);
        let col_w = (room / n).clamp(5, 12);
        let mut head = format!(" {}", pad("", label_w));
        for c in &round.criteria {
            head.push_str(&pad_left(&clip(c, col_w - 1), col_w));
        }
        head.push_str(&pad_left(t.panel_total, total_w + 1));
        lines.push(Line::styled(head, app.theme.column_title));
        for (m, label) in round.marks.iter().zip(&labels) {
            let mut row = format!(" {}", pad(label, label_w));
            for v in &m.scores {
                row.push_str(&pad_left(
                    &v.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
                    col_w,
                ));
            }
            row.push_str(&pad_left(&m.total.to_string(), total_w + 1));
            let style = if m.own {
                app.theme.column_title
            } else {
                Style::default()
            };
            lines.push(Line::styled(row, style));
        }
    }
    if !view.comments.is_empty() {
        lines.push(Line::styled(format!(" {}", t.panel_comments), app.theme.heading));
        for c in &view.comments {
            let text = format!("{}：{}", name(&c.label, c.own), c.text.replace(['\n', '\r'], " "));
            for l in wrap(&text, inner_w.saturating_sub(2).max(1)) {
                lines.push(Line::raw(format!(" {l}")));
            }
        }
    }
    lines
}

fn draw_panel(frame: &mut Frame, app: &mut App, body: Rect, scroll: usize) {
    let Some(view) = app.open.as_ref().and_then(|o| o.discussion.clone()) else {
        return;
    };
    let w = body.width.saturating_sub(2).min(100);
    let inner_w = usize::from(w.saturating_sub(2));
    let lines = panel_lines(app, &view, inner_w);
    let room = usize::from(body.height.saturating_sub(2)).max(1);
    let skip = scroll.min(lines.len().saturating_sub(room));
    if skip != scroll {
        app.overlay = Some(Overlay::Panel(skip));
    }
    let shown: Vec<Line> = lines.into_iter().skip(skip).take(room).collect();
    popup(
        frame,
        app.theme.heading,
        body,
        &(app.t.panel_title)(&view.entry),
        shown,
        w,
    );
}

fn draw_comment(frame: &mut Frame, app: &App, body: Rect, comment: &CommentBox) {
    let t = app.t;
    let w = body.width.saturating_sub(8).min(90);
    // One space before the text and one column after it, where the cursor may stand at a line's end.
    let inner_w = usize::from(w.saturating_sub(4));
    let prompt = if comment.read_only {
        t.comment_read_only
    } else {
        t.comment_prompt
    };
    let prompt_lines = wrap(prompt, inner_w.max(1));
    let shown = if comment.read_only && comment.text().is_empty() {
        t.comment_empty
    } else {
        comment.text()
    };
    let (wrapped, (row, col)) = wrap_with_cursor(shown, inner_w, comment.cursor_byte());
    // Rows for the text inside the borders: scrolled so the cursor's row is always shown.
    let room = usize::from(body.height.saturating_sub(2))
        .saturating_sub(prompt_lines.len())
        .max(1);
    let skip = (row + 1).saturating_sub(room);
    let style = if comment.read_only {
        app.theme.dim
    } else {
        app.theme.column_title
    };
    let mut lines: Vec<Line> = prompt_lines
        .iter()
        .map(|l| Line::styled(format!(" {l}"), style))
        .collect();
    lines.extend(
        wrapped
            .iter()
            .skip(skip)
            .take(room)
            .map(|l| Line::from(format!(" {l}"))),
    );
    let inner = popup(frame, app.theme.heading, body, t.comment, lines, w);
    // The terminal cursor at the insertion point: a Chinese input method's window follows it.
    if !comment.read_only {
        let y = inner.y + (prompt_lines.len() + row - skip) as u16;
        let x = inner.x + 1 + col as u16;
        if y < inner.bottom() && x < inner.right() {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}
