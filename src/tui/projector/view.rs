//! Drawing the projector: high contrast (white on black, yellow for what matters), every text line
//! centred and cut by display width, big digits made of coloured (or reverse-video) blank cells so
//! no ambiguous-width block character reaches a CJK terminal.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use tui_big_text::{BigText, PixelSize};

use super::{Board, OnStage, Projector, Screen, ShownMark};
use crate::core::Kind;
use crate::core::rubric::ProjectorNames;
use crate::core::tally::Dropped;
use crate::core::text::width;
use crate::tui::Lang;
use crate::tui::view::{clip, pad};

/// The projector's styles, with and without colour.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub base: Style,
    pub title: Style,
    pub name: Style,
    pub text: Style,
    pub dim: Style,
    pub mark: Style,
    pub mark_waiting: Style,
    pub mark_dropped: Style,
    pub score: Style,
    /// The style of a lit cell of the big digits.
    pub pixel: Style,
    pub current: Style,
}

impl Look {
    pub fn new(no_color: bool) -> Look {
        let plain = Style::default();
        let bold = plain.add_modifier(Modifier::BOLD);
        if no_color {
            Look {
                base: plain,
                title: bold.add_modifier(Modifier::REVERSED),
                name: bold,
                text: plain,
                dim: plain,
                mark: bold.add_modifier(Modifier::REVERSED),
                mark_waiting: plain,
                mark_dropped: plain.add_modifier(Modifier::CROSSED_OUT),
                score: bold.add_modifier(Modifier::UNDERLINED),
                pixel: plain.add_modifier(Modifier::REVERSED),
                current: bold.add_modifier(Modifier::REVERSED),
            }
        } else {
            let base = Style::new().fg(Color::White).bg(Color::Black);
            Look {
                base,
                title: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
                name: base.fg(Color::White).add_modifier(Modifier::BOLD),
                text: base,
                dim: base.fg(Color::Gray),
                mark: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
                mark_waiting: base.fg(Color::Gray).bg(Color::DarkGray),
                mark_dropped: base
                    .fg(Color::Gray)
                    .bg(Color::DarkGray)
                    .add_modifier(Modifier::CROSSED_OUT),
                score: base.fg(Color::Yellow).add_modifier(Modifier::BOLD),
                pixel: Style::new().fg(Color::Yellow).bg(Color::Yellow),
                current: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
            }
        }
    }
}

/// Every word the projector shows.
pub struct Words {
    pub order: fn(i64) -> String,
    pub round: fn(usize, usize, &str) -> String,
    pub judges_in: fn(usize, usize) -> String,
    pub waiting: &'static str,
    pub round_score: &'static str,
    pub final_score: &'static str,
    pub too_few: fn(usize, usize) -> String,
    pub dropped_high: &'static str,
    pub dropped_low: &'static str,
    pub dropped_high_short: &'static str,
    pub dropped_low_short: &'static str,
    pub ranking: &'static str,
    pub rank: &'static str,
    pub score: &'static str,
    pub pending: fn(usize) -> String,
    pub nobody_ranked: &'static str,
    pub calibration: &'static str,
    pub keys_stage: &'static str,
    pub keys_ranking: &'static str,
    /// A judge named by number (`projector_names = "numbered"`).
    pub judge_n: fn(usize) -> String,
    /// In a submitted judge's box while the totals are still blind.
    pub submitted_box: &'static str,
    /// The judges still scoring, listed.
    pub still_scoring: fn(&str) -> String,
    pub list_separator: &'static str,
    /// Every judge is in; the host has not revealed the result yet.
    pub all_in: &'static str,
    /// The result shown before every judge is in.
    pub provisional: fn(usize) -> String,
    /// A reopened sheet (in its judge's box and on the ranking).
    pub changing: &'static str,
    pub changing_line: &'static str,
    pub provisional_ranking: &'static str,
    pub page: fn(usize, usize) -> String,
}

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

static ZH: Words = Words {
    order: |n| format!("{n}号"),
    round: |i, n, name| format!("第{i}环节（共{n}）  {name}"),
    judges_in: |done, all| format!("已提交 {done}/{all}"),
    waiting: "等待评委亮分",
    round_score: "本环节得分",
    final_score: "最终得分",
    too_few: |have, need| format!("评委人数不足（{have}/{need}），暂无得分"),
    dropped_high: "去掉最高",
    dropped_low: "去掉最低",
    dropped_high_short: "去高",
    dropped_low_short: "去低",
    ranking: "实时排名",
    rank: "名次",
    score: "得分",
    pending: |n| format!("另有 {n} 名尚未评完"),
    nobody_ranked: "尚无完成评分的选手",
    calibration: "试评（不计入成绩）",
    keys_stage: "Tab 排名  q 退出",
    keys_ranking: "Tab 现场  左右 组别  PgUp/PgDn 翻页  q 退出",
    judge_n: |n| format!("评委{n}"),
    submitted_box: "已交",
    still_scoring: |names| format!("评分中：{names}"),
    list_separator: "、",
    all_in: "评委已全部提交，等待亮分",
    provisional: |n| format!("暂定（尚缺 {n} 位评委）"),
    changing: "修改中",
    changing_line: "修改中：评委正在修改评分，结果稍后公布",
    provisional_ranking: "暂定排名",
    page: |p, n| format!("第 {p}/{n} 页"),
};

static EN: Words = Words {
    order: |n| format!("No. {n}"),
    round: |i, n, name| format!("Round {i} of {n}  {name}"),
    judges_in: |done, all| format!("Submitted {done}/{all}"),
    waiting: "Waiting for the judges",
    round_score: "Round score",
    final_score: "Final score",
    too_few: |have, need| format!("Too few judges ({have}/{need}): no score yet"),
    dropped_high: "high out",
    dropped_low: "low out",
    dropped_high_short: "high",
    dropped_low_short: "low",
    ranking: "Standings",
    rank: "Rank",
    score: "Score",
    pending: |n| format!("{n} more not fully scored yet"),
    nobody_ranked: "Nobody fully scored yet",
    calibration: "Calibration sample (not counted)",
    keys_stage: "Tab standings  q quit",
    keys_ranking: "Tab stage  Left/Right group  PgUp/PgDn page  q quit",
    judge_n: |n| format!("Judge {n}"),
    submitted_box: "in",
    still_scoring: |names| format!("Still scoring: {names}"),
    list_separator: ", ",
    all_in: "Every judge is in: waiting for the reveal",
    provisional: |n| format!("Provisional ({n} judges missing)"),
    changing: "changing",
    changing_line: "Being corrected: a judge is changing a score; the result follows",
    provisional_ranking: "Provisional standings",
    page: |p, n| format!("page {p}/{n}"),
};

/// How the projector names a judge: the id, or `评委N` with `projector_names = "numbered"`.
fn judge_label(board: &Board, words: &Words, judge: &str, number: usize) -> String {
    match board.names {
        ProjectorNames::Numbered if number > 0 => (words.judge_n)(number),
        _ => judge.to_string(),
    }
}

pub fn draw(frame: &mut Frame, app: &Projector) {
    let area = frame.area();
    render(frame.buffer_mut(), area, app);
}

/// Draw into any buffer (tests use a plain one).
pub fn render(buf: &mut Buffer, area: Rect, app: &Projector) {
    let look = Look::new(app.no_color);
    let words = words(app.lang);
    buf.set_style(area, look.base);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            buf[(x, y)].set_symbol(" ");
        }
    }
    if area.height < 3 || area.width < 10 {
        return;
    }
    let title = format!(" {}", app.board.contest);
    let title_row = Rect { height: 1, ..area };
    buf.set_style(title_row, look.title);
    line_at(
        buf,
        title_row,
        Line::styled(clip(&title, area.width as usize), look.title),
        Alignment::Left,
    );
    let footer = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let keys = match app.screen() {
        Screen::Stage => words.keys_stage,
        Screen::Ranking => words.keys_ranking,
    };
    let footer_text = match &app.problem {
        Some(p) => clip(p, area.width as usize),
        None => keys.to_string(),
    };
    line_at(buf, footer, Line::styled(footer_text, look.dim), Alignment::Right);
    let body = Rect {
        y: area.y + 1,
        height: area.height - 2,
        ..area
    };
    match (app.screen(), &app.board.stage) {
        (Screen::Stage, Some(on)) => stage(buf, body, &app.board, on, &look, words),
        _ => ranking(buf, body, app, &look, words),
    }
}

/// One line, cut to the width by display columns, aligned in `row`.
fn line_at(buf: &mut Buffer, row: Rect, line: Line, alignment: Alignment) {
    Paragraph::new(line).alignment(alignment).render(row, buf);
}

fn centered(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) {
    if y >= area.bottom() {
        return;
    }
    let row = Rect { y, height: 1, ..area };
    line_at(
        buf,
        row,
        Line::styled(clip(text, area.width as usize), style),
        Alignment::Center,
    );
}

fn stage(buf: &mut Buffer, area: Rect, board: &Board, on: &OnStage, look: &Look, words: &Words) {
    let w = area.width as usize;
    let mut y = area.y + 1;
    // Number, name, organisation: normal-size text (big fonts have no Chinese glyphs), bold.
    let mut who = Vec::new();
    if let Some(n) = on.order {
        who.push((words.order)(n));
    }
    who.push(on.stage.entry.clone());
    if !on.name.is_empty() {
        who.push(on.name.clone());
    }
    centered(buf, area, y, &who.join("   "), look.name);
    y += 1;
    if !on.title.is_empty() && on.title != on.name {
        centered(buf, area, y, &format!("《{}》", on.title), look.text);
        y += 1;
    }
    if !on.organization.is_empty() {
        centered(buf, area, y, &on.organization, look.text);
        y += 1;
    }
    let mut round = format!(
        "{}  {}",
        on.stage.group,
        (words.round)(on.round_number, on.rounds, &on.round_name)
    );
    if on.calibration {
        round = format!("{round}  {}", words.calibration);
    }
    centered(buf, area, y, &round, look.score);
    y += 2;
    // The judges' boxes: submitted sheets in submission order (their totals once they may be
    // seen), then one empty box per judge still to come.
    let count = on.marks.len() + on.waiting.len();
    if count > 0 && y + 3 <= area.bottom() {
        let box_width = (w / count).clamp(6, 12);
        let per_row = (w / box_width).max(1);
        let rows = count.div_ceil(per_row);
        let mut shown: Vec<Option<&ShownMark>> = on.marks.iter().map(Some).collect();
        shown.extend(on.waiting.iter().map(|_| None));
        for r in 0..rows {
            let slice = &shown[r * per_row..((r + 1) * per_row).min(count)];
            let total_width = (slice.len() * box_width) as u16;
            let x0 = area.x + (area.width.saturating_sub(total_width)) / 2;
            for (i, mark) in slice.iter().enumerate() {
                let x = x0 + (i * box_width) as u16;
                let index = r * per_row + i;
                let (label, reopened) = match mark {
                    Some(m) => (judge_label(board, words, &m.judge, m.number), false),
                    None => {
                        let w = &on.waiting[index - on.marks.len()];
                        (judge_label(board, words, &w.judge, w.number), w.reopened)
                    }
                };
                mark_box(buf, x, y, box_width as u16 - 1, &label, *mark, reopened, look, words);
            }
            y += 4;
            if y + 3 > area.bottom() {
                break;
            }
        }
    }
    // The result, or how many judges are in and who is still scoring.
    let done = on.marks.len();
    if on.changing {
        centered(buf, area, y, words.changing_line, look.score);
        return;
    }
    if !on.finished {
        centered(buf, area, y, &(words.judges_in)(done, count), look.score);
        let below = if !on.waiting.is_empty() {
            let names: Vec<String> = on
                .waiting
                .iter()
                .map(|w| judge_label(board, words, &w.judge, w.number))
                .collect();
            (words.still_scoring)(&names.join(words.list_separator))
        } else if on.all_in {
            words.all_in.to_string()
        } else {
            words.waiting.to_string()
        };
        centered(buf, area, y + 1, &below, look.dim);
        return;
    }
    if let Some((have, need)) = on.shortfall {
        centered(buf, area, y, &(words.too_few)(have, need), look.score);
        return;
    }
    let Some(score) = &on.round_score else { return };
    let mut caption = format!("{} {score}", words.round_score);
    if let Some(f) = &on.final_score {
        caption = format!("{caption}    {} {f}", words.final_score);
    }
    if let Some(missing) = on.provisional {
        caption = format!("{}    {caption}", (words.provisional)(missing));
    }
    centered(buf, area, y, &caption, look.score);
    y += 1;
    let room = Rect {
        y,
        height: area.bottom().saturating_sub(y),
        ..area
    };
    // With a final (every round in), the room is shared: the round score above, the final below.
    match &on.final_score {
        Some(f) if on.rounds > 1 && room.height > 2 * BIG_HEIGHT => {
            let half = room.height / 2;
            big_number(buf, Rect { height: half, ..room }, score, look.pixel);
            centered(buf, area, room.y + half, words.final_score, look.score);
            let below = Rect {
                y: room.y + half + 1,
                height: room.height - half - 1,
                ..room
            };
            big_number(buf, below, f, look.pixel);
        }
        _ => {
            big_number(buf, room, score, look.pixel);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn mark_box(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    inner: u16,
    judge: &str,
    mark: Option<&ShownMark>,
    reopened: bool,
    look: &Look,
    words: &Words,
) {
    let inner_w = inner as usize;
    let label = pad_center(&clip(judge, inner_w), inner_w);
    buf.set_string(x, y, &label, look.dim);
    let (value, style) = match mark {
        Some(m) => match (&m.total, m.dropped) {
            (Some(t), Some(_)) => (t.as_str(), look.mark_dropped),
            (Some(t), None) => (t.as_str(), look.mark),
            // Submitted, value still blind.
            (None, _) => (words.submitted_box, look.mark),
        },
        None if reopened => (words.changing, look.mark_waiting),
        None => ("", look.mark_waiting),
    };
    let value = pad_center(&clip(value, inner_w), inner_w);
    buf.set_string(x, y + 1, &value, style);
    // A word under a dropped mark, for terminals (and NO_COLOR) without strikethrough.
    if let Some(d) = mark.and_then(|m| m.dropped) {
        let (long, short) = match d {
            Dropped::High => (words.dropped_high, words.dropped_high_short),
            Dropped::Low => (words.dropped_low, words.dropped_low_short),
        };
        let word = if width(long) <= inner_w { long } else { short };
        buf.set_string(x, y + 2, pad_center(&clip(word, inner_w), inner_w), look.dim);
    }
}

/// `s` padded on the left to `w` columns (numbers).
fn pad_left(s: &str, w: usize) -> String {
    let t = clip(s, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(width(&t))))
}

fn pad_center(text: &str, w: usize) -> String {
    let tw = width(text);
    if tw >= w {
        return text.to_string();
    }
    let left = (w - tw) / 2;
    pad(&format!("{}{text}", " ".repeat(left)), w)
}

/// Rows of one line of big digits at the smallest size (tui-big-text's 8x8 font).
const BIG_HEIGHT: u16 = 8;

/// Draw `digits` in big pixel digits (tui-big-text's 8x8 font), centred in `area` and scaled up
/// as far as it fits; lit pixels become blank cells in `pixel` style. Returns the rectangle drawn,
/// or `None` when even the smallest size does not fit.
pub fn big_number(buf: &mut Buffer, area: Rect, digits: &str, pixel: Style) -> Option<Rect> {
    let glyphs = digits.chars().count() as u16;
    let (w, h) = (glyphs * 8, BIG_HEIGHT);
    if glyphs == 0 || area.width < w || area.height < h {
        return None;
    }
    let scale = (area.width / w).min(area.height / h).clamp(1, 3);
    let mut tmp = Buffer::empty(Rect::new(0, 0, w, h));
    BigText::builder()
        .pixel_size(PixelSize::Full)
        .lines(vec![Line::from(digits.to_string())])
        .build()
        .render(tmp.area, &mut tmp);
    // The glyphs leave their last column and row empty: trim them so the number is centred.
    let (out_w, out_h) = ((w - 1) * scale, (h - 1) * scale);
    let x0 = area.x + (area.width - out_w) / 2;
    let y0 = area.y + (area.height.saturating_sub(out_h)) / 2;
    for ty in 0..h - 1 {
        for tx in 0..w - 1 {
            if tmp[(tx, ty)].symbol() == " " {
                continue;
            }
            for dy in 0..scale {
                for dx in 0..scale {
                    let cell = &mut buf[(x0 + tx * scale + dx, y0 + ty * scale + dy)];
                    cell.set_symbol(" ");
                    cell.set_style(pixel);
                }
            }
        }
    }
    Some(Rect::new(x0, y0, out_w, out_h))
}

fn ranking(buf: &mut Buffer, area: Rect, app: &Projector, look: &Look, words: &Words) {
    let Some(group) = app.board.groups.get(app.group) else {
        return;
    };
    let w = area.width as usize;
    // Group tabs: the shown one highlighted.
    let mut spans = Vec::new();
    for (i, g) in app.board.groups.iter().enumerate() {
        let style = if i == app.group { look.current } else { look.dim };
        spans.push(Span::styled(format!(" {} ", g.group), style));
        spans.push(Span::raw(" "));
    }
    line_at(
        buf,
        Rect {
            y: area.y + 1,
            height: 1,
            ..area
        },
        Line::from(spans),
        Alignment::Center,
    );
    let on_stage = app.board.stage.as_ref().map(|s| s.stage.entry.as_str());
    // Columns: rank, id, name, organisation (what is left), score, award.
    let id_w = group.ranked.iter().map(|s| width(&s.id)).max().unwrap_or(4).max(4);
    let label_w = if app.board.kind == Kind::Competition { 10 } else { 24 };
    // The last column: the award tier (a complete group only), or 修改中 for a reopened sheet.
    let tag = |s: &super::Standing| -> String {
        if s.changing {
            words.changing.to_string()
        } else {
            s.award.clone().unwrap_or_default()
        }
    };
    let award_w = group.ranked.iter().map(|s| width(&tag(s))).max().unwrap_or(0);
    let fixed = 4 + 2 + id_w + 2 + label_w + 2 + 8 + if award_w > 0 { 2 + award_w } else { 0 };
    let org_w = w.saturating_sub(fixed + 4).min(30);
    let total = fixed + if org_w >= 6 { org_w + 2 } else { 0 };
    let x = area.x + (w.saturating_sub(total) / 2) as u16;
    let row_text = |rank: &str, id: &str, label: &str, org: &str, score: &str, award: &str| {
        let mut s = format!(
            "{}  {}  {}  ",
            pad_left(rank, 4),
            pad(id, id_w),
            pad(&clip(label, label_w), label_w)
        );
        if org_w >= 6 {
            s.push_str(&pad(&clip(org, org_w), org_w));
            s.push_str("  ");
        }
        s.push_str(&pad_left(score, 8));
        if award_w > 0 {
            s.push_str("  ");
            s.push_str(&pad(award, award_w));
        }
        s
    };
    let mut y = area.y + 4;
    let header = row_text(words.rank, "", "", "", words.score, "");
    buf.set_string(x, y, clip(&header, w), look.dim);
    y += 1;
    if group.ranked.is_empty() {
        centered(buf, area, y + 1, words.nobody_ranked, look.text);
        y += 3;
    }
    let last_row = area.bottom().saturating_sub(if group.pending > 0 { 2 } else { 0 });
    // A ranking longer than the screen is shown a page at a time.
    let per_page = (last_row.saturating_sub(y) as usize).max(1);
    let pages = group.ranked.len().div_ceil(per_page).max(1);
    let page = app.page.rem_euclid(pages as i64) as usize;
    let mut heading = format!(
        "{}  {}",
        group.group,
        if group.complete {
            words.ranking
        } else {
            words.provisional_ranking
        }
    );
    if pages > 1 {
        heading = format!("{heading}  {}", (words.page)(page + 1, pages));
    }
    centered(buf, area, area.y + 2, &heading, look.score);
    for s in group.ranked.iter().skip(page * per_page).take(per_page) {
        if y >= last_row {
            break;
        }
        let style = if Some(s.id.as_str()) == on_stage {
            look.current
        } else if s.rank <= 3 {
            look.name
        } else {
            look.text
        };
        let text = row_text(
            &s.rank.to_string(),
            &s.id,
            &s.label,
            &s.organization,
            &s.final_score,
            &tag(s),
        );
        buf.set_string(x, y, clip(&text, w), style);
        y += 1;
    }
    if group.pending > 0 {
        centered(buf, area, area.bottom() - 1, &(words.pending)(group.pending), look.dim);
    }
}
