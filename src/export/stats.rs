//! Judge statistics as JSON (numbers at full precision, `null` where undefined) and as a text
//! report aligned by display width, with each judge's histogram drawn in `#` (ASCII: the block
//! characters U+2580–U+2588 are East Asian ambiguous width and come out double on many CJK
//! terminals).

use serde_json::{Value, json};

use crate::core::exact::Points;
use crate::core::stats::{GroupRoundStats, HISTOGRAM_BINS, histogram_edge};
use crate::core::text::{pad, pad_left, width};

/// `{"groups":[{"group","round","entries","judges","icc":{…},"kendall_w",…,"per_judge":[…]}]}`.
pub fn stats_json(stats: &[GroupRoundStats]) -> Value {
    let groups: Vec<Value> = stats.iter().map(block_json).collect();
    json!({ "groups": groups })
}

fn block_json(s: &GroupRoundStats) -> Value {
    let icc = json!({
        "ICC1": s.icc.map(|i| i.icc1),
        "ICC2": s.icc.map(|i| i.icc2),
        "ICC3": s.icc.map(|i| i.icc3),
        "ICC1k": s.icc.map(|i| i.icc1k),
        "ICC2k": s.icc.map(|i| i.icc2k),
        "ICC3k": s.icc.map(|i| i.icc3k),
    });
    let per_judge: Vec<Value> = s
        .per_judge
        .iter()
        .map(|j| {
            json!({
                "judge": j.judge,
                "name": j.name,
                "scored": j.summary.scored,
                "mean": j.summary.mean,
                "sd": j.summary.sd,
                "severity": j.summary.severity,
                "correlation": j.summary.correlation,
                "histogram": j.histogram,
            })
        })
        .collect();
    json!({
        "group": s.group,
        "round": s.round,
        "round_name": s.round_name,
        "entries": s.entries,
        "judges": s.judges,
        "complete_entries": s.complete_entries,
        "max_total": points_number(s.max_total),
        "icc": icc,
        "kendall_w": s.kendall.map(|k| k.w),
        "kendall_chi2": s.kendall.map(|k| k.chi2),
        "kendall_df": s.kendall.map(|k| k.df),
        "kendall_p": s.kendall.map(|k| k.p),
        "krippendorff_alpha": s.krippendorff_alpha,
        "per_judge": per_judge,
    })
}

/// A point value as a JSON number; exact for anything a rubric can hold (four decimals).
fn points_number(p: Points) -> Value {
    match serde_json::Number::from_f64(p.units() as f64 / crate::core::exact::POINT_SCALE as f64) {
        Some(n) => Value::Number(n),
        None => Value::Null,
    }
}

pub use crate::core::stats::{fixed, signed};

fn p_value(p: f64) -> String {
    if p < 0.0001 {
        "<0.0001".to_string()
    } else {
        format!("{p:.4}")
    }
}

/// The longest bar in a histogram cell; the cell is this plus a space and the count.
const BAR_WIDTH: usize = 6;

/// The statistics as text: per group and round, the agreement figures, a table of judges and
/// their histograms side by side (rows are score bands, highest first; columns judges).
pub fn stats_table(stats: &[GroupRoundStats]) -> String {
    let mut out = String::new();
    for s in stats {
        out.push_str(&format!(
            "【{}】 {} ({}): {} 项, {} 位评委, {} 项全体评委均已评分\n",
            s.group, s.round_name, s.round, s.entries, s.judges, s.complete_entries
        ));
        if s.entries == 0 {
            out.push_str("  (no complete sheets yet)\n\n");
            continue;
        }
        let icc = |f: fn(&crate::core::stats::Icc) -> f64| fixed(s.icc.as_ref().map(f), 3);
        out.push_str(&format!(
            "  ICC1 {}  ICC2 {}  ICC3 {}  ICC1k {}  ICC2k {}  ICC3k {}\n",
            icc(|i| i.icc1),
            icc(|i| i.icc2),
            icc(|i| i.icc3),
            icc(|i| i.icc1k),
            icc(|i| i.icc2k),
            icc(|i| i.icc3k)
        ));
        match s.kendall {
            Some(k) => out.push_str(&format!(
                "  Kendall W {:.3}  chi2 {:.2}  df {}  p {}\n",
                k.w,
                k.chi2,
                k.df,
                p_value(k.p)
            )),
            None => out.push_str("  Kendall W -\n"),
        }
        out.push_str(&format!(
            "  Krippendorff alpha (interval) {}\n\n",
            fixed(s.krippendorff_alpha, 3)
        ));
        judge_table(s, &mut out);
        out.push('\n');
        histograms(s, &mut out);
        out.push('\n');
    }
    out
}

fn judge_table(s: &GroupRoundStats, out: &mut String) {
    let id_w = s.per_judge.iter().map(|j| width(&j.judge)).max().unwrap_or(0).max(4);
    let name_w = s
        .per_judge
        .iter()
        .map(|j| width(j.name.as_deref().unwrap_or("")))
        .max()
        .unwrap_or(0)
        .clamp(4, 12);
    let header = format!(
        "  {}  {}  {}  {}  {}  {}  {}",
        pad("评委", id_w),
        pad("姓名", name_w),
        pad_left("评分数", 6),
        pad_left("平均分", 8),
        pad_left("标准差", 7),
        pad_left("宽严度", 7),
        pad_left("相关", 6)
    );
    out.push_str(header.trim_end());
    out.push('\n');
    for j in &s.per_judge {
        let line = format!(
            "  {}  {}  {}  {}  {}  {}  {}",
            pad(&j.judge, id_w),
            pad(j.name.as_deref().unwrap_or(""), name_w),
            pad_left(&j.summary.scored.to_string(), 6),
            pad_left(&fixed(j.summary.mean, 2), 8),
            pad_left(&fixed(j.summary.sd, 2), 7),
            pad_left(&signed(j.summary.severity, 2), 7),
            pad_left(&fixed(j.summary.correlation, 3), 6)
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// Rows: the score bands from the highest to the lowest one any judge used; columns: judges.
fn histograms(s: &GroupRoundStats, out: &mut String) {
    let used = |bin: usize| s.per_judge.iter().any(|j| j.histogram.get(bin).is_some_and(|c| *c > 0));
    let (Some(low), Some(high)) = (
        (0..HISTOGRAM_BINS).find(|&b| used(b)),
        (0..HISTOGRAM_BINS).rfind(|&b| used(b)),
    ) else {
        return;
    };
    let most = s
        .per_judge
        .iter()
        .flat_map(|j| j.histogram.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let label = |bin: usize| {
        format!(
            "{}-{}",
            histogram_edge(s.max_total, bin, HISTOGRAM_BINS),
            histogram_edge(s.max_total, bin + 1, HISTOGRAM_BINS)
        )
    };
    let label_w = (low..=high)
        .map(|b| width(&label(b)))
        .max()
        .unwrap_or(0)
        .max(width("分数段"));
    let count_w = most.to_string().len();
    let cell_w = (BAR_WIDTH + 1 + count_w).max(s.per_judge.iter().map(|j| width(&j.judge)).max().unwrap_or(0));
    let mut header = format!("  {}", pad("分数段", label_w));
    for j in &s.per_judge {
        header.push_str("  ");
        header.push_str(&pad(&j.judge, cell_w));
    }
    out.push_str(header.trim_end());
    out.push('\n');
    for bin in (low..=high).rev() {
        let mut line = format!("  {}", pad_left(&label(bin), label_w));
        for j in &s.per_judge {
            let count = j.histogram.get(bin).copied().unwrap_or(0);
            // Any non-zero count gets at least one mark, so a single total is never invisible.
            let bar = (count * BAR_WIDTH).div_ceil(most);
            let cell = if count == 0 {
                String::new()
            } else {
                format!("{} {count}", "#".repeat(bar))
            };
            line.push_str("  ");
            line.push_str(&pad(&cell, cell_w));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::stats::{Icc, JudgeStats, JudgeSummary, KendallW};

    fn sample() -> GroupRoundStats {
        let judge = |id: &str, name: Option<&str>, histogram: Vec<usize>, severity: f64| JudgeStats {
            judge: id.into(),
            name: name.map(String::from),
            summary: JudgeSummary {
                scored: histogram.iter().sum(),
                mean: Some(71.25),
                sd: Some(4.5),
                severity: Some(severity),
                correlation: None,
            },
            histogram,
        };
        GroupRoundStats {
            group: "教师组".into(),
            round: "lesson".into(),
            round_name: "现场说课".into(),
            max_total: Points::from_int(100),
            entries: 4,
            judges: 2,
            complete_entries: 4,
            icc: Some(Icc {
                icc1: 0.1,
                icc2: 0.2,
                icc3: 0.3,
                icc1k: 0.4,
                icc2k: 0.5,
                icc3k: 0.6,
                msr: 1.0,
                msc: 1.0,
                mse: 1.0,
                msw: 1.0,
                targets: 4,
                judges: 2,
            }),
            kendall: Some(KendallW {
                w: 0.5396568759543698,
                chi2: 30.76,
                df: 19,
                p: 0.0428,
            }),
            krippendorff_alpha: None,
            per_judge: vec![
                judge("PW01", Some("尹霞"), vec![0, 0, 0, 0, 0, 0, 1, 3, 0, 0], -1.5),
                judge("PW02", None, vec![0, 0, 0, 0, 0, 1, 0, 3, 0, 0], 1.5),
            ],
        }
    }

    #[test]
    fn json_has_the_documented_keys_and_full_precision() {
        let v = stats_json(&[sample()]);
        let g = &v["groups"][0];
        assert_eq!(g["group"], "教师组");
        assert_eq!(g["round"], "lesson");
        assert_eq!((g["entries"].as_u64(), g["judges"].as_u64()), (Some(4), Some(2)));
        assert_eq!(g["icc"]["ICC3k"].as_f64(), Some(0.6));
        assert_eq!(g["kendall_w"].as_f64(), Some(0.5396568759543698));
        assert_eq!(g["kendall_df"].as_u64(), Some(19));
        assert!(g["krippendorff_alpha"].is_null());
        assert_eq!(g["max_total"].as_f64(), Some(100.0));
        let j = &g["per_judge"][0];
        assert_eq!((j["judge"].as_str(), j["name"].as_str()), (Some("PW01"), Some("尹霞")));
        assert_eq!(j["scored"].as_u64(), Some(4));
        assert_eq!(j["mean"].as_f64(), Some(71.25));
        assert!(j["correlation"].is_null());
        assert_eq!(j["histogram"], json!([0, 0, 0, 0, 0, 0, 1, 3, 0, 0]));
        assert!(g["per_judge"][1]["name"].is_null());
        assert!(serde_json::to_string(&v).unwrap().contains("0.5396568759543698"));
    }

    #[test]
    fn table_aligns_chinese_by_display_width_and_draws_bars() {
        let text = stats_table(&[sample()]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("【教师组】 现场说课 (lesson): 4 项, 2 位评委"),
            "{text}"
        );
        assert!(text.contains("ICC1 0.100  ICC2 0.200  ICC3 0.300  ICC1k 0.400  ICC2k 0.500  ICC3k 0.600"));
        assert!(text.contains("Kendall W 0.540  chi2 30.76  df 19  p 0.0428"), "{text}");
        assert!(text.contains("Krippendorff alpha (interval) -"), "{text}");
        // The judge rows line up column for column although one name is Chinese and one missing.
        let pw01 = lines.iter().find(|l| l.trim_start().starts_with("PW01")).unwrap();
        let pw02 = lines.iter().find(|l| l.trim_start().starts_with("PW02")).unwrap();
        assert_eq!(width(pw01), width(pw02), "{text}");
        assert!(pw01.ends_with("-"), "{pw01}");
        assert!(
            pw01.contains("71.25") && pw01.contains("-1.50") && pw02.contains("+1.50"),
            "{text}"
        );
        // Bands 50-60 to 70-80, highest first; the largest count gets the full bar.
        let bands: Vec<&str> = lines.iter().filter(|l| l.contains("0-")).copied().collect();
        assert_eq!(bands.len(), 3, "{text}");
        assert!(
            bands[0].trim_start().starts_with("70-80") && bands[0].contains("###### 3"),
            "{text}"
        );
        assert!(
            bands[1].trim_start().starts_with("60-70") && bands[1].contains("## 1"),
            "{text}"
        );
        assert!(bands[2].trim_start().starts_with("50-60"), "{text}");
        assert!(!text.contains('█'));
    }
}
