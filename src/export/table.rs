//! The tally as a plain-text table aligned by display width (Chinese takes two columns).

use crate::core::rubric::Rubric;
use crate::core::tally::Tally;
use crate::core::text::{pad, pad_left, width};

pub fn tally_table(rubric: &Rubric, tally: &Tally) -> String {
    tally_table_in(rubric, tally, false)
}

/// [`tally_table`] with its notes in Chinese (`chinese`) or English; the table itself is Chinese.
/// An incomplete entry's note names each round by its name (`未完成 (育人故事分享 4/5)`).
pub fn tally_table_in(rubric: &Rubric, tally: &Tally, chinese: bool) -> String {
    let t = crate::i18n::cli::texts(if chinese {
        crate::i18n::Lang::Zh
    } else {
        crate::i18n::Lang::En
    });
    let d = tally.decimals;
    let mut out = format!("{}\n", tally.contest);
    for g in &tally.groups {
        out.push_str(&format!("\n【{}】 {} 项\n", g.group, g.entries.len()));
        let title_w = g
            .entries
            .iter()
            .map(|e| width(&e.title))
            .max()
            .unwrap_or(4)
            .clamp(4, 30);
        let round_w: Vec<usize> = rubric.rounds.iter().map(|r| width(&r.name).max(7)).collect();
        let mut header = format!("{}  {}  {}  ", pad("名次", 4), pad("编号", 11), pad("标题", title_w));
        for (r, w) in rubric.rounds.iter().zip(&round_w) {
            header.push_str(&pad_left(&r.name, *w));
            header.push_str("  ");
        }
        header.push_str(&format!("{}  奖项", pad_left("最终得分", 8)));
        out.push_str(header.trim_end());
        out.push('\n');
        for e in &g.entries {
            let rank = e.rank.map(|r| r.to_string()).unwrap_or_else(|| "-".into());
            let mut line = format!(
                "{}  {}  {}  ",
                pad_left(&rank, 4),
                pad(&e.id, 11),
                pad(&e.title, title_w)
            );
            for (r, w) in e.rounds.iter().zip(&round_w) {
                line.push_str(&pad_left(
                    &r.score.map(|s| s.format_fixed(d)).unwrap_or_else(|| "-".into()),
                    *w,
                ));
                line.push_str("  ");
            }
            let fin = e.final_score.map(|f| f.format_fixed(d)).unwrap_or_else(|| "-".into());
            line.push_str(&pad_left(&fin, 8));
            line.push_str("  ");
            if e.complete {
                line.push_str(e.award.as_deref().unwrap_or(""));
                let flags = e.flagged_marks().count();
                if flags > 0 {
                    line.push_str(&format!(" 分差过大 {flags} 处"));
                }
            } else {
                let why: Vec<String> = e
                    .shortfalls
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {}/{}",
                            rubric.round(&s.round).map_or(s.round.as_str(), |r| r.name.as_str()),
                            s.have,
                            s.need
                        )
                    })
                    .collect();
                line.push_str(&format!("未完成 ({})", why.join(", ")));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    let withdrawn = super::results::withdrawn_rows(tally);
    if !withdrawn.is_empty() {
        out.push_str(&format!(
            "\n【{}】 {} 项\n",
            super::results::WITHDRAWN_HEADING,
            withdrawn.len()
        ));
        for [id, title, group, kind, reason] in &withdrawn {
            let line = format!(
                "{}  {}  {}  {kind}：{reason}",
                pad(id, 11),
                pad(title, 30.min(width(title).max(4))),
                group
            );
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    if !tally.ungrouped.is_empty() {
        out.push('\n');
        out.push_str(&(t.ungrouped_table)(tally.ungrouped.len(), &tally.ungrouped.join(", ")));
        out.push('\n');
    }
    out
}
