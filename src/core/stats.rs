//! Judge statistics per group and round, on judges' round totals: each judge's mean, spread,
//! severity and correlation with the rest of the panel; the panel's agreement (the six intraclass
//! correlations of Shrout and Fleiss 1979, Kendall's W with the tie correction, Krippendorff's
//! alpha for the interval metric); a histogram of each judge's totals.
//!
//! Statistics describe the scoring; they never decide a result, so f64 is fine here. The totals
//! come from the tally's marks (complete submitted sheets only), so statistics and tally agree on
//! exactly which marks exist. The math works on plain matrices and is tested against published
//! values; `group_round_stats` assembles it from a tally.

use std::collections::BTreeSet;

use super::entry::Judge;
use super::exact::{POINT_SCALE, Points};
use super::rubric::Rubric;
use super::tally::Tally;

// ---------------------------------------------------------------------------------------------
// Plain statistics on f64 (results of the contest stay exact elsewhere; these only describe).
// ---------------------------------------------------------------------------------------------

/// Arithmetic mean; `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Sample standard deviation (divisor n − 1); `None` for fewer than two values.
pub fn sample_sd(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let m = mean(values)?;
    let squares: f64 = values.iter().map(|v| (v - m) * (v - m)).sum();
    Some((squares / (values.len() - 1) as f64).sqrt())
}

/// Pearson's correlation of paired values; `None` when there are fewer than two pairs, the
/// lengths differ, or either side does not vary (the coefficient is undefined then).
pub fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    if xs.len() != ys.len() || xs.len() < 2 {
        return None;
    }
    let mx = mean(xs)?;
    let my = mean(ys)?;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Whether every row has the same number of columns and the matrix is at least `rows` × `cols`.
fn is_complete(matrix: &[Vec<f64>], min_rows: usize, min_cols: usize) -> Option<(usize, usize)> {
    let n = matrix.len();
    let k = matrix.first()?.len();
    (n >= min_rows
        && k >= min_cols
        && matrix
            .iter()
            .all(|row| row.len() == k && row.iter().all(|v| v.is_finite())))
    .then_some((n, k))
}

// ---------------------------------------------------------------------------------------------
// Intraclass correlations (Shrout and Fleiss 1979)
// ---------------------------------------------------------------------------------------------

/// The six intraclass correlations of Shrout and Fleiss (1979), with the two-way ANOVA mean
/// squares they come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Icc {
    /// ICC(1,1): one-way random, single judge.
    pub icc1: f64,
    /// ICC(2,1): two-way random, single judge, absolute agreement.
    pub icc2: f64,
    /// ICC(3,1): two-way mixed, single judge, consistency.
    pub icc3: f64,
    /// ICC(1,k): the mean of k judges, one-way.
    pub icc1k: f64,
    /// ICC(2,k).
    pub icc2k: f64,
    /// ICC(3,k).
    pub icc3k: f64,
    /// Between targets (rows).
    pub msr: f64,
    /// Between judges (columns).
    pub msc: f64,
    /// Residual.
    pub mse: f64,
    /// Within targets: (SSC + SSE) / (n(k − 1)).
    pub msw: f64,
    pub targets: usize,
    pub judges: usize,
}

/// ICCs of a complete matrix: rows are targets (entries), columns judges. `None` unless there are
/// at least two targets and two judges, every row is as long as the first, and the targets differ
/// (MSR > 0; with no variance between targets every ICC divides by zero).
pub fn icc(matrix: &[Vec<f64>]) -> Option<Icc> {
    let (n, k) = is_complete(matrix, 2, 2)?;
    let (nf, kf) = (n as f64, k as f64);
    let grand = matrix.iter().flatten().sum::<f64>() / (nf * kf);
    let row_means: Vec<f64> = matrix.iter().map(|row| row.iter().sum::<f64>() / kf).collect();
    let col_means: Vec<f64> = (0..k)
        .map(|j| matrix.iter().map(|row| row[j]).sum::<f64>() / nf)
        .collect();
    let ssr = kf * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ssc = nf * col_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    // The residual directly (rather than SST − SSR − SSC) so it cannot come out slightly negative.
    let sse: f64 = matrix
        .iter()
        .enumerate()
        .flat_map(|(i, row)| {
            let (row_means, col_means) = (&row_means, &col_means);
            row.iter()
                .enumerate()
                .map(move |(j, x)| (x - row_means[i] - col_means[j] + grand).powi(2))
        })
        .sum();
    let msr = ssr / (nf - 1.0);
    let msc = ssc / (kf - 1.0);
    let mse = sse / ((nf - 1.0) * (kf - 1.0));
    let msw = (ssc + sse) / (nf * (kf - 1.0));
    // Row means that agree up to rounding leave a tiny MSR that would blow the ratios up.
    let scale = msr + msc + mse;
    if scale.is_nan() || scale <= 0.0 || msr <= 1e-12 * scale {
        return None;
    }
    Some(Icc {
        icc1: (msr - msw) / (msr + (kf - 1.0) * msw),
        icc2: (msr - mse) / (msr + (kf - 1.0) * mse + kf * (msc - mse) / nf),
        icc3: (msr - mse) / (msr + (kf - 1.0) * mse),
        icc1k: (msr - msw) / msr,
        icc2k: (msr - mse) / (msr + (msc - mse) / nf),
        icc3k: (msr - mse) / msr,
        msr,
        msc,
        mse,
        msw,
        targets: n,
        judges: k,
    })
}

// ---------------------------------------------------------------------------------------------
// Kendall's W
// ---------------------------------------------------------------------------------------------

/// Ranks 1..n of `values`, ties sharing the average of their ranks, and Σ(t³ − t) over the groups
/// of t tied values (the tie correction of Kendall's W).
pub fn average_ranks(values: &[f64]) -> (Vec<f64>, f64) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut ties = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their average:
        let shared = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = shared;
        }
        let t = (end - start) as f64;
        ties += t * t * t - t;
        start = end;
    }
    (ranks, ties)
}

/// Kendall's coefficient of concordance with its chi-square test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KendallW {
    pub w: f64,
    /// m(n − 1)W.
    pub chi2: f64,
    /// n − 1.
    pub df: usize,
    /// Upper tail of chi-square with `df` degrees of freedom at `chi2`.
    pub p: f64,
}

/// Kendall's W corrected for ties, W = 12S / (m²(n³ − n) − mΣ(t³ − t)), of a complete matrix:
/// rows are the n objects ranked (entries), columns the m raters (judges); each rater's column is
/// ranked on its own with average ranks for ties. `None` for fewer than two objects or raters, a
/// ragged matrix, or when every rater tied everything (the denominator is zero).
pub fn kendall_w(matrix: &[Vec<f64>]) -> Option<KendallW> {
    let (n, m) = is_complete(matrix, 2, 2)?;
    let (nf, mf) = (n as f64, m as f64);
    let mut rank_sums = vec![0.0; n];
    let mut ties = 0.0;
    for j in 0..m {
        let column: Vec<f64> = matrix.iter().map(|row| row[j]).collect();
        let (ranks, t) = average_ranks(&column);
        for (sum, r) in rank_sums.iter_mut().zip(ranks) {
            *sum += r;
        }
        ties += t;
    }
    let expected = mf * (nf + 1.0) / 2.0;
    let s: f64 = rank_sums.iter().map(|r| (r - expected).powi(2)).sum();
    let denominator = mf * mf * (nf * nf * nf - nf) - mf * ties;
    if denominator.is_nan() || denominator <= 0.0 {
        return None;
    }
    let w = 12.0 * s / denominator;
    let chi2 = mf * (nf - 1.0) * w;
    Some(KendallW {
        w,
        chi2,
        df: n - 1,
        p: chi_square_upper_tail(chi2, (n - 1) as f64),
    })
}

// ---------------------------------------------------------------------------------------------
// Krippendorff's alpha, interval metric
// ---------------------------------------------------------------------------------------------

/// Krippendorff's alpha with the interval metric δ² = (a − b)², from the coincidence matrix:
/// rows are units (entries), columns coders (judges), `None` a missing value; rows may differ in
/// length. Only units with at least two values are pairable. With n pairable values,
/// Do = (1/n) Σ_u Σ_{i≠j in u} δ²/(m_u − 1) and De = Σ_{i≠j over all pairable values} δ² / (n(n − 1)),
/// alpha = 1 − Do/De. `None` when fewer than two values are pairable or they are all equal.
pub fn krippendorff_alpha_interval(data: &[Vec<Option<f64>>]) -> Option<f64> {
    // Σ_{i≠j} (v_i − v_j)² = 2 m Σ (v_i − mean)², computed around the mean to keep precision.
    fn ordered_pair_sum(values: &[f64]) -> f64 {
        let m = values.len() as f64;
        let centre = values.iter().sum::<f64>() / m;
        2.0 * m * values.iter().map(|v| (v - centre).powi(2)).sum::<f64>()
    }
    let mut pairable = Vec::new();
    let mut observed = 0.0;
    for unit in data {
        let values: Vec<f64> = unit.iter().flatten().copied().filter(|v| v.is_finite()).collect();
        if values.len() < 2 {
            continue;
        }
        observed += ordered_pair_sum(&values) / (values.len() - 1) as f64;
        pairable.extend(values);
    }
    let n = pairable.len() as f64;
    if pairable.len() < 2 {
        return None;
    }
    let expected = ordered_pair_sum(&pairable);
    if expected.is_nan() || expected <= 0.0 {
        return None;
    }
    // 1 − Do/De with Do = observed/n and De = expected/(n(n − 1)).
    Some(1.0 - (n - 1.0) * observed / expected)
}

// ---------------------------------------------------------------------------------------------
// The chi-square upper tail through the regularized incomplete gamma function
// (Press et al., Numerical Recipes, 3rd ed., §6.1–6.2: series for x < a + 1, else continued
// fraction by the modified Lentz method).
// ---------------------------------------------------------------------------------------------

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, nine coefficients; about 15 digits).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    // The published coefficients, digits beyond f64 included, as usually quoted.
    #[allow(clippy::excessive_precision)]
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_93,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_13,
        -176.615_029_162_140_59,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_571_6e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Q(a, x) = Γ(a, x)/Γ(a), the regularized upper incomplete gamma function, for a > 0, x ≥ 0.
/// NaN outside that domain.
pub fn regularized_gamma_q(a: f64, x: f64) -> f64 {
    if a.is_nan() || x.is_nan() || a <= 0.0 || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return 1.0;
    }
    if x == f64::INFINITY {
        return 0.0;
    }
    if x < a + 1.0 {
        (1.0 - gamma_p_series(a, x)).clamp(0.0, 1.0)
    } else {
        gamma_q_continued_fraction(a, x).clamp(0.0, 1.0)
    }
}

const GAMMA_EPS: f64 = 1e-15;
const GAMMA_MAX_ITERATIONS: usize = 10_000;

/// P(a, x) by its series; converges quickly for x < a + 1.
fn gamma_p_series(a: f64, x: f64) -> f64 {
    let mut term = 1.0 / a;
    let mut sum = term;
    let mut ap = a;
    for _ in 0..GAMMA_MAX_ITERATIONS {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if term.abs() < sum.abs() * GAMMA_EPS {
            break;
        }
    }
    sum * (-x + a * x.ln() - ln_gamma(a)).exp()
}

/// Q(a, x) by its continued fraction (modified Lentz); converges quickly for x ≥ a + 1.
fn gamma_q_continued_fraction(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..=GAMMA_MAX_ITERATIONS {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < GAMMA_EPS {
            break;
        }
    }
    (-x + a * x.ln() - ln_gamma(a)).exp() * h
}

/// P(X ≥ x) for X chi-square with `df` degrees of freedom.
pub fn chi_square_upper_tail(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    regularized_gamma_q(df / 2.0, x / 2.0)
}

// ---------------------------------------------------------------------------------------------
// Per judge
// ---------------------------------------------------------------------------------------------

/// One judge's figures, from a matrix of totals.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgeSummary {
    /// Entries this judge scored.
    pub scored: usize,
    pub mean: Option<f64>,
    /// Sample standard deviation (n − 1).
    pub sd: Option<f64>,
    /// Over the entries this judge scored: their total minus the mean of all judges' totals on
    /// that entry (their own included), averaged. Negative: stricter than the panel.
    pub severity: Option<f64>,
    /// Pearson's r between this judge's totals and the mean of the other judges' totals on the
    /// same entries (entries nobody else scored are left out).
    pub correlation: Option<f64>,
}

/// Figures for each judge (column) of `data`: rows are entries, columns judges, `None` where the
/// judge did not score the entry. Rows shorter than `judges` count as missing values.
pub fn judge_summaries(data: &[Vec<Option<f64>>], judges: usize) -> Vec<JudgeSummary> {
    let cell = |row: &Vec<Option<f64>>, j: usize| row.get(j).copied().flatten();
    (0..judges)
        .map(|j| {
            let mut own = Vec::new();
            let mut differences = Vec::new();
            let mut paired_own = Vec::new();
            let mut paired_others = Vec::new();
            for row in data {
                let Some(x) = cell(row, j) else { continue };
                own.push(x);
                let others: Vec<f64> = (0..judges).filter(|&o| o != j).filter_map(|o| cell(row, o)).collect();
                let panel_mean = (x + others.iter().sum::<f64>()) / (others.len() + 1) as f64;
                differences.push(x - panel_mean);
                if let Some(others_mean) = mean(&others) {
                    paired_own.push(x);
                    paired_others.push(others_mean);
                }
            }
            JudgeSummary {
                scored: own.len(),
                mean: mean(&own),
                sd: sample_sd(&own),
                severity: mean(&differences),
                correlation: pearson(&paired_own, &paired_others),
            }
        })
        .collect()
}

/// How many bins the histograms have.
pub const HISTOGRAM_BINS: usize = 10;

/// Counts of `totals` in `bins` equal bins over 0..=`max`: bin i holds totals in
/// [i·max/bins, (i+1)·max/bins), the last bin also holds `max` itself. Exact (integer) bin edges,
/// so a total on an edge always lands in the upper bin. Totals outside 0..=max are clamped into
/// the first or last bin; with `max` ≤ 0 everything lands in the first.
pub fn histogram(totals: &[Points], max: Points, bins: usize) -> Vec<usize> {
    let mut counts = vec![0; bins];
    if bins == 0 {
        return counts;
    }
    for total in totals {
        let bin = if max.units() <= 0 {
            0
        } else {
            let scaled = i128::from(total.units().max(0)) * bins as i128 / i128::from(max.units());
            (scaled.max(0) as usize).min(bins - 1)
        };
        counts[bin] += 1;
    }
    counts
}

/// The lower edge of histogram bin `bin` (exact when `max` has at most three decimals).
pub fn histogram_edge(max: Points, bin: usize, bins: usize) -> Points {
    if bins == 0 {
        return Points::ZERO;
    }
    Points((i128::from(max.units()) * bin as i128 / bins as i128) as i64)
}

// ---------------------------------------------------------------------------------------------
// Per group and round, from the tally
// ---------------------------------------------------------------------------------------------

/// One judge's statistics in one group and round.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgeStats {
    pub judge: String,
    /// `None` when the judge is not in the judges list (scores for a judge later removed).
    pub name: Option<String>,
    pub summary: JudgeSummary,
    /// `HISTOGRAM_BINS` counts over 0..=the round's highest possible total.
    pub histogram: Vec<usize>,
}

/// The statistics of one group and round.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRoundStats {
    pub group: String,
    /// The round's id.
    pub round: String,
    pub round_name: String,
    /// The highest total a judge can give in the round: the histograms' range.
    pub max_total: Points,
    /// Entries with at least one complete sheet in this round.
    pub entries: usize,
    /// Judges with at least one complete sheet in this round.
    pub judges: usize,
    /// Entries scored by every one of those judges: the block ICC and Kendall's W use.
    pub complete_entries: usize,
    pub icc: Option<Icc>,
    pub kendall: Option<KendallW>,
    /// On every entry, missing values allowed.
    pub krippendorff_alpha: Option<f64>,
    /// In judge id order.
    pub per_judge: Vec<JudgeStats>,
}

fn points_to_f64(p: Points) -> f64 {
    p.units() as f64 / POINT_SCALE as f64
}

/// Statistics for every group of `tally` (in its order) and every round of `rubric` (in rubric
/// order), from the marks the tally used. `judges` gives the names.
pub fn group_round_stats(rubric: &Rubric, tally: &Tally, judges: &[Judge]) -> Vec<GroupRoundStats> {
    let mut out = Vec::new();
    for group in &tally.groups {
        for round in &rubric.rounds {
            // Each entry's marks in this round; entries without any are left out.
            let marked: Vec<Vec<(&str, Points)>> = group
                .entries
                .iter()
                .filter_map(|e| e.round(&round.id))
                .map(|r| r.marks.iter().map(|m| (&*m.judge, m.total)).collect::<Vec<_>>())
                .filter(|marks| !marks.is_empty())
                .collect();
            let judge_ids: Vec<&str> = marked
                .iter()
                .flatten()
                .map(|(j, _)| *j)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let totals: Vec<Vec<Option<Points>>> = marked
                .iter()
                .map(|marks| {
                    judge_ids
                        .iter()
                        .map(|j| marks.iter().find(|(m, _)| m == j).map(|(_, t)| *t))
                        .collect()
                })
                .collect();
            let data: Vec<Vec<Option<f64>>> = totals
                .iter()
                .map(|row| row.iter().map(|t| t.map(points_to_f64)).collect())
                .collect();
            let complete: Vec<Vec<f64>> = data
                .iter()
                .filter_map(|row| row.iter().copied().collect::<Option<Vec<f64>>>())
                .collect();
            let max_total = round.max_total();
            let summaries = judge_summaries(&data, judge_ids.len());
            let per_judge = judge_ids
                .iter()
                .zip(summaries)
                .enumerate()
                .map(|(j, (id, summary))| {
                    let own: Vec<Points> = totals.iter().filter_map(|row| row[j]).collect();
                    JudgeStats {
                        judge: (*id).to_string(),
                        name: judges.iter().find(|x| x.id == *id).map(|x| x.name.clone()),
                        summary,
                        histogram: histogram(&own, max_total, HISTOGRAM_BINS),
                    }
                })
                .collect();
            out.push(GroupRoundStats {
                group: group.group.clone(),
                round: round.id.clone(),
                round_name: round.name.clone(),
                max_total,
                entries: marked.len(),
                judges: judge_ids.len(),
                complete_entries: complete.len(),
                icc: icc(&complete),
                kendall: kendall_w(&complete),
                krippendorff_alpha: krippendorff_alpha_interval(&data),
                per_judge,
            });
        }
    }
    out
}

/// A statistic (as the console and `jury stats` show it) to `decimals` places, or `-` when undefined.
pub fn fixed(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => "-".to_string(),
    }
}

/// A statistic with its sign (`+0.50`, `-1.25`), or `-` when undefined.
pub fn signed(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:+.decimals$}"),
        _ => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::{parse_rubric, template_source};
    use crate::core::tally::{SheetTotal, TallyEntry, tally};

    fn matrix<const K: usize>(rows: &[[f64; K]]) -> Vec<Vec<f64>> {
        rows.iter().map(|r| r.to_vec()).collect()
    }

    fn round2(x: f64) -> f64 {
        (x * 100.0).round() / 100.0
    }

    /// Shrout, P. E. and Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    /// reliability. Psychological Bulletin 86(2), 420–428. Table 1 gives the ratings of six targets
    /// by four judges, Table 2 the mean squares (BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02) and the
    /// six ICCs: ICC(1,1) .17, ICC(2,1) .29, ICC(3,1) .71, ICC(1,4) .44, ICC(2,4) .62, ICC(3,4) .91.
    #[test]
    fn icc_matches_shrout_and_fleiss_1979() {
        let ratings = matrix(&[
            [9.0, 2.0, 5.0, 8.0],
            [6.0, 1.0, 3.0, 2.0],
            [8.0, 4.0, 6.0, 8.0],
            [7.0, 1.0, 2.0, 6.0],
            [10.0, 5.0, 6.0, 9.0],
            [6.0, 2.0, 4.0, 7.0],
        ]);
        let icc = icc(&ratings).unwrap();
        assert_eq!(
            [icc.icc1, icc.icc2, icc.icc3, icc.icc1k, icc.icc2k, icc.icc3k].map(round2),
            [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
        );
        assert_eq!(
            [icc.msr, icc.msw, icc.msc, icc.mse].map(round2),
            [11.24, 6.26, 32.49, 1.02]
        );
        assert_eq!((icc.targets, icc.judges), (6, 4));
    }

    #[test]
    fn icc_is_one_for_identical_judges_and_undefined_without_spread() {
        let same = matrix(&[[1.0, 1.0, 1.0], [5.0, 5.0, 5.0], [3.0, 3.0, 3.0]]);
        let icc = icc(&same).unwrap();
        for value in [icc.icc1, icc.icc2, icc.icc3, icc.icc1k, icc.icc2k, icc.icc3k] {
            assert!((value - 1.0).abs() < 1e-12, "{value}");
        }
        // Every target has the same mean: no variance between targets to explain.
        assert_eq!(super::icc(&matrix(&[[1.0, 3.0], [3.0, 1.0]])), None);
        // One judge, one target, ragged rows.
        assert_eq!(super::icc(&matrix(&[[1.0], [2.0]])), None);
        assert_eq!(super::icc(&matrix(&[[1.0, 2.0]])), None);
        assert_eq!(super::icc(&[vec![1.0, 2.0], vec![3.0]]), None);
    }

    /// The `anxiety` data of the R package irr (Gamer, Lemon, Fellows and Singh), 20 subjects rated
    /// by 3 raters, as printed in the documentation of DescTools::KendallW (formerly irr::kendall):
    /// `KendallW(anxiety, TRUE)` (corrected for ties) prints `0.5396569`. The chi-square follows by
    /// definition, m(n − 1)W = 3 · 19 · W = 30.76044, and its upper tail with 19 df, p = 0.0428835
    /// (closed form for a half-integer shape: erfc(√x) + e^(−x) Σ x^(i+1/2)/Γ(i + 3/2), i < 9, at
    /// x = χ²/2, evaluated independently).
    #[test]
    fn kendall_w_matches_the_irr_anxiety_example_with_ties() {
        let rater1 = [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3];
        let rater2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
        let rater3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];
        let ratings: Vec<Vec<f64>> = (0..20)
            .map(|i| vec![f64::from(rater1[i]), f64::from(rater2[i]), f64::from(rater3[i])])
            .collect();
        let k = kendall_w(&ratings).unwrap();
        assert!((k.w - 0.5396569).abs() < 5e-8, "{}", k.w);
        assert!((k.chi2 - 30.760442).abs() < 1e-6, "{}", k.chi2);
        assert_eq!(k.df, 19);
        assert!((k.p - 0.042883473).abs() < 1e-9, "{}", k.p);
    }

    #[test]
    fn kendall_w_is_one_for_perfect_agreement_with_and_without_ties() {
        // No ties: S = m²(n³ − n)/12, so W = 1 and χ² = m(n − 1) = 3 · 3 = 9.
        let agree = matrix(&[[1.0, 10.0, 4.0], [2.0, 20.0, 5.0], [3.0, 30.0, 6.0], [4.0, 40.0, 7.0]]);
        let k = kendall_w(&agree).unwrap();
        assert!((k.w - 1.0).abs() < 1e-12, "{}", k.w);
        assert!((k.chi2 - 9.0).abs() < 1e-12, "{}", k.chi2);
        assert_eq!(k.df, 3);
        // The same tie in every column: the correction makes it exactly 1 again
        // (uncorrected it would be 486/540 = 0.9).
        let tied = matrix(&[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [3.0, 3.0, 3.0]]);
        assert!((kendall_w(&tied).unwrap().w - 1.0).abs() < 1e-12);
        // Reversed judges: rank sums all equal, W = 0, p = 1.
        let opposed = matrix(&[[1.0, 4.0], [2.0, 3.0], [3.0, 2.0], [4.0, 1.0]]);
        let k = kendall_w(&opposed).unwrap();
        assert!(k.w.abs() < 1e-12 && (k.p - 1.0).abs() < 1e-12, "{k:?}");
        // Everything tied by everyone: undefined.
        assert_eq!(kendall_w(&matrix(&[[2.0, 5.0], [2.0, 5.0]])), None);
        assert_eq!(kendall_w(&matrix(&[[1.0], [2.0]])), None);
    }

    #[test]
    fn average_ranks_share_ties() {
        let (ranks, ties) = average_ranks(&[30.0, 10.0, 20.0, 10.0, 20.0, 20.0]);
        assert_eq!(ranks, vec![6.0, 1.5, 4.0, 1.5, 4.0, 4.0]);
        // A pair (2³ − 2 = 6) and a triple (3³ − 3 = 24).
        assert_eq!(ties, 30.0);
    }

    /// Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
    /// Communication, University of Pennsylvania, departmental paper 43, section C: four observers,
    /// twelve units, values 1–5 with missing data; published alpha: nominal 0.743, ordinal 0.815,
    /// interval 0.849, ratio 0.797.
    #[test]
    fn krippendorff_alpha_matches_krippendorff_2011() {
        const X: Option<f64> = None;
        let v = |x: f64| Some(x);
        let observers: [[Option<f64>; 12]; 4] = [
            [v(1.), v(2.), v(3.), v(3.), v(2.), v(1.), v(4.), v(1.), v(2.), X, X, X],
            [
                v(1.),
                v(2.),
                v(3.),
                v(3.),
                v(2.),
                v(2.),
                v(4.),
                v(1.),
                v(2.),
                v(5.),
                X,
                v(3.),
            ],
            [
                X,
                v(3.),
                v(3.),
                v(3.),
                v(2.),
                v(3.),
                v(4.),
                v(2.),
                v(2.),
                v(5.),
                v(1.),
                X,
            ],
            [
                v(1.),
                v(2.),
                v(3.),
                v(3.),
                v(2.),
                v(4.),
                v(4.),
                v(1.),
                v(2.),
                v(5.),
                v(1.),
                X,
            ],
        ];
        let units: Vec<Vec<Option<f64>>> = (0..12).map(|u| observers.iter().map(|o| o[u]).collect()).collect();
        let alpha = krippendorff_alpha_interval(&units).unwrap();
        assert_eq!((alpha * 1000.0).round() / 1000.0, 0.849, "{alpha}");
    }

    #[test]
    fn krippendorff_alpha_edge_cases() {
        // Perfect agreement where values vary: 1.
        let agree = vec![vec![Some(1.0), Some(1.0)], vec![Some(4.0), Some(4.0), None]];
        assert!((krippendorff_alpha_interval(&agree).unwrap() - 1.0).abs() < 1e-12);
        // A unit with one value is not pairable; with none pairable, or no variation: undefined.
        assert_eq!(
            krippendorff_alpha_interval(&[vec![Some(1.0), None], vec![Some(2.0)]]),
            None
        );
        assert_eq!(krippendorff_alpha_interval(&[vec![Some(3.0), Some(3.0)]]), None);
    }

    /// Reference values of the chi-square upper tail: the 5 % critical values of standard tables
    /// (3.841459 for 1 df, 18.307038 for 10, 30.143527 for 19), and closed forms Q(k, x) =
    /// e^(−x) Σ_{i<k} x^i/i! (even df) and erfc(√x) + … (odd df) evaluated independently.
    #[test]
    fn chi_square_upper_tail_matches_reference_values() {
        let cases = [
            (3.841_458_820_694_124, 1.0, 0.05),
            (18.307_038_053_275_146, 10.0, 0.05),
            (30.143_527_205_6, 19.0, 0.050_000_000_000_569_4),
            (0.5, 3.0, 0.918_891_411_654_675_8),
            (40.0, 7.0, 1.258_790_387_371_308_8e-6),
            (0.001, 2.0, 0.999_500_124_979_169_3),
        ];
        for (x, df, want) in cases {
            let p = chi_square_upper_tail(x, df);
            assert!(((p - want) / want).abs() < 1e-11, "χ²={x} df={df}: {p} vs {want}");
        }
        assert_eq!(chi_square_upper_tail(0.0, 4.0), 1.0);
        assert!(regularized_gamma_q(-1.0, 1.0).is_nan());
        assert!(regularized_gamma_q(1.0, f64::NAN).is_nan());
    }

    #[test]
    fn basic_statistics() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(sample_sd(&[5.0]), None);
        // Deviations −1, −1, 2: squares 6, over n − 1 = 2: variance 3.
        assert!((sample_sd(&[2.0, 2.0, 5.0]).unwrap() - 3f64.sqrt()).abs() < 1e-12);
        assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]).unwrap() - 1.0).abs() < 1e-12);
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[4.0, 4.0, 4.0]), None);
        assert_eq!(pearson(&[1.0], &[1.0]), None);
    }

    #[test]
    fn judge_summaries_by_hand() {
        // Entries × judges A, B, C.
        let data = vec![
            vec![Some(10.0), Some(12.0), Some(14.0)],
            vec![Some(20.0), Some(20.0), None],
            vec![Some(5.0), None, Some(8.0)],
            vec![None, Some(7.0), None],
        ];
        let s = judge_summaries(&data, 3);
        assert_eq!(s.iter().map(|x| x.scored).collect::<Vec<_>>(), vec![3, 3, 2]);
        // A: 10 − 12, 20 − 20, 5 − 6.5 → (−2 + 0 − 1.5) / 3.
        assert!((s[0].severity.unwrap() + 3.5 / 3.0).abs() < 1e-12);
        // B: 12 − 12, 20 − 20, 7 − 7 (alone on the last entry).
        assert!(s[1].severity.unwrap().abs() < 1e-12);
        // C: 14 − 12, 8 − 6.5.
        assert!((s[2].severity.unwrap() - 1.75).abs() < 1e-12);
        assert!((s[0].mean.unwrap() - 35.0 / 3.0).abs() < 1e-12);
        assert_eq!(s[2].sd, Some((18f64).sqrt()));
        // C against the others: (14, 11) and (8, 5): two pairs on a rising line.
        assert!((s[2].correlation.unwrap() - 1.0).abs() < 1e-12);
        // B: (12, 12), (20, 20); the entry B scored alone has no partner.
        assert!((s[1].correlation.unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn histogram_bins_are_exact() {
        let max = Points::from_int(100);
        let totals = [0, 9, 10, 55, 99, 100].map(Points::from_int);
        assert_eq!(histogram(&totals, max, 10), vec![2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
        // 9.9999 is still in the first bin, 10 in the second.
        let edge = [Points(99_999), Points(100_000)];
        assert_eq!(histogram(&edge, max, 10)[..2], [1, 1]);
        assert_eq!(histogram_edge(Points::from_int(30), 3, 10), Points::from_int(9));
        assert_eq!(histogram(&totals, Points::ZERO, 3), vec![6, 0, 0]);
    }

    fn sheet(entry: &str, round: &str, judge: &str, total: i64, criteria: usize) -> SheetTotal {
        SheetTotal {
            entry: entry.into(),
            round: round.into(),
            judge: judge.into(),
            total: Points::from_int(total),
            criteria,
        }
    }

    #[test]
    fn group_round_stats_from_a_tally() {
        let (file, source) = template_source("competition").unwrap();
        let rubric = parse_rubric(file, source).unwrap();
        let entries: Vec<TallyEntry> = ["A", "B", "C"]
            .iter()
            .enumerate()
            .map(|(i, id)| TallyEntry {
                id: (*id).into(),
                title: format!("标题{id}"),
                group: Some("教师组".into()),
                order: Some(i as i64 + 1),
            })
            .collect();
        let lesson_criteria = rubric.round("lesson").unwrap().criteria.len();
        let sheets = vec![
            sheet("A", "lesson", "PW01", 80, lesson_criteria),
            sheet("A", "lesson", "PW02", 70, lesson_criteria),
            sheet("B", "lesson", "PW01", 60, lesson_criteria),
            sheet("B", "lesson", "PW02", 65, lesson_criteria),
            sheet("C", "lesson", "PW01", 90, lesson_criteria),
            // An incomplete sheet is not a mark: PW03 does not appear.
            sheet("C", "lesson", "PW03", 50, lesson_criteria - 1),
        ];
        let t = tally(&rubric, &entries, &sheets);
        let judges = vec![Judge {
            id: "PW01".into(),
            name: "尹霞".into(),
            ..Judge::default()
        }];
        let stats = group_round_stats(&rubric, &t, &judges);
        assert_eq!(stats.len(), rubric.groups.len() * rubric.rounds.len());
        let lesson = stats
            .iter()
            .find(|s| s.group == "教师组" && s.round == "lesson")
            .unwrap();
        assert_eq!((lesson.entries, lesson.judges, lesson.complete_entries), (3, 2, 2));
        assert_eq!(lesson.max_total, Points::from_int(100));
        let pw01 = &lesson.per_judge[0];
        assert_eq!((pw01.judge.as_str(), pw01.name.as_deref()), ("PW01", Some("尹霞")));
        assert_eq!(pw01.summary.scored, 3);
        assert!((pw01.summary.mean.unwrap() - 230.0 / 3.0).abs() < 1e-12);
        // A: 80 − 75, B: 60 − 62.5, C: alone → (5 − 2.5 + 0) / 3.
        assert!((pw01.summary.severity.unwrap() - 2.5 / 3.0).abs() < 1e-12);
        assert_eq!(pw01.histogram, vec![0, 0, 0, 0, 0, 0, 1, 0, 1, 1]);
        assert_eq!(lesson.per_judge[1].name, None);
        // Two complete entries: A (80, 70) and B (60, 65).
        let want = icc(&matrix(&[[80.0, 70.0], [60.0, 65.0]])).unwrap();
        assert_eq!(lesson.icc, Some(want));
        // A round nobody scored: an empty block with nothing defined.
        let story = stats
            .iter()
            .find(|s| s.group == "教师组" && s.round == "story")
            .unwrap();
        assert_eq!((story.entries, story.judges), (0, 0));
        assert_eq!((story.icc, story.kendall, story.krippendorff_alpha), (None, None, None));
        assert!(story.per_judge.is_empty());
    }
}
