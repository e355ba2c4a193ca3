//! The statistics tab: each judge's spread and severity, histograms, and the calibration samples.

use crate::tui::console::keymap::Action;
use crate::tui::console::state::*;
use crate::tui::console::update::DEFAULT_PAGE;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::Points;
use crate::core::stats::{HISTOGRAM_BINS, histogram_edge};
use crate::core::stats::{fixed, signed};
use crate::core::text::width;
use crate::i18n::console::ConsoleTexts;
use crate::tui::console::view::pad_left;
use crate::tui::theme::Theme;
use crate::tui::view::pad;

impl Console {
    pub(crate) fn stats_action(&mut self, action: Action) {
        let i = Tab::Stats.index();
        let page = if self.areas.page == 0 {
            DEFAULT_PAGE
        } else {
            self.areas.page
        };
        match action {
            Action::Up => self.offset[i] = self.offset[i].saturating_sub(1),
            Action::Down => self.offset[i] += 1,
            Action::PageUp => self.offset[i] = self.offset[i].saturating_sub(page),
            Action::PageDown => self.offset[i] += page,
            Action::Home => self.offset[i] = 0,
            Action::Left => self.column_offset = self.column_offset.saturating_sub(1),
            Action::Right => self.column_offset += 1,
            _ => {}
        }
    }
}

pub(crate) fn draw_stats(frame: &mut Frame, c: &mut Console, body: Rect) {
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
        draw_scrolled(frame, c, body, lines);
        return;
    };
    lines.push(Line::styled(
        format!(" {}", (t.stats_heading)(s.entries, s.judges, s.complete_entries)),
        c.theme.heading,
    ));
    if s.entries == 0 {
        lines.push(Line::from(format!(" {}", t.stats_none)));
    } else {
        lines.extend(agreement_lines(s));
        lines.push(Line::from(""));
        lines.extend(judge_lines(t, &c.theme, s));
        lines.push(Line::from(""));
        let (histograms, offset) = histogram_lines(c.t, &c.theme, s, w, c.column_offset);
        lines.extend(histograms);
        c.column_offset = offset;
    }
    draw_scrolled(frame, c, body, lines);
}

/// The statistics' lines from the scrolled offset on, as many as fit.
fn draw_scrolled(frame: &mut Frame, c: &mut Console, body: Rect, lines: Vec<Line<'static>>) {
    let rows = usize::from(body.height);
    let ti = Tab::Stats.index();
    c.offset[ti] = c.offset[ti].min(lines.len().saturating_sub(rows));
    let shown: Vec<Line> = lines.into_iter().skip(c.offset[ti]).take(rows).collect();
    frame.render_widget(Paragraph::new(shown), body);
}

/// How far the panel agrees: the ICCs, Kendall's W and Krippendorff's alpha.
fn agreement_lines(s: &crate::core::stats::GroupRoundStats) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
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
    lines
}

/// One line per judge: scored, mean, sd, severity (far from the panel stands out), correlation.
fn judge_lines(t: &ConsoleTexts, theme: &Theme, s: &crate::core::stats::GroupRoundStats) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
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
        theme.column_title,
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
                if far { theme.highlight } else { Style::default() },
            ),
            Span::raw(format!(" {}", pad_left(&fixed(j.summary.correlation, 3), 7))),
        ]));
    }
    lines
}

/// The calibration report (试评): one row per judge with "total (offset)" per sample (an entry
/// in one round) and the judge's mean offset, then the panel means. Exact values, rounded half
/// up to the contest's decimals only here.
pub(crate) fn calibration_lines(
    t: &ConsoleTexts,
    theme: &Theme,
    report: &crate::app::calibration::Report,
) -> Vec<Line<'static>> {
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
pub(crate) fn histogram_lines(
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
