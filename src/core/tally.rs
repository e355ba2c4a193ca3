//! The tally: judges' sheets in, ranked results per group out, exactly.
//!
//! Rules (issue "The judging core", section 5):
//! - a judge's round total is the sum of their scores on every criterion of the round; a sheet
//!   missing a criterion does not count;
//! - a round score aggregates the n complete sheets (trimmed mean, mean or median); fewer than
//!   `min_judges` sheets leaves the entry incomplete: listed, not ranked;
//! - final = Σ weight × round score, exact, shown rounded half up;
//! - rank by the shown final, then the shown round scores in tie-break order; equal keys share a
//!   rank (1, 2, 2, 4);
//! - award tier counts are share × ranked entries, each rounded half up; tier k covers ranks up to
//!   the sum of the counts of tiers 1..k.

use std::collections::HashMap;
use std::sync::Arc;

use super::exact::{POINT_SCALE, Points, Ratio};
use super::rubric::{Aggregate, Rubric};

/// What the tally needs to know about an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyEntry {
    pub id: String,
    pub title: String,
    pub group: Option<String>,
    pub order: Option<i64>,
}

/// One judge's sheet for one entry and round: the sum of the scores given and how many
/// criteria they cover. Only submitted sheets are passed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetTotal {
    pub entry: String,
    /// Shared: a tally holds 700k sheets at 100k entries and a handful of distinct rounds and
    /// judges; a `String` each was two allocations per sheet.
    pub round: Arc<str>,
    pub judge: Arc<str>,
    pub total: Points,
    pub criteria: usize,
}

/// Which end of the range a mark was dropped from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    High,
    Low,
}

impl Dropped {
    pub fn as_str(self) -> &'static str {
        match self {
            Dropped::High => "high",
            Dropped::Low => "low",
        }
    }
}

/// One judge's round total as the tally used it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub judge: Arc<str>,
    pub total: Points,
    pub dropped: Option<Dropped>,
    /// Further than the rubric's `deviation` from the round's median total (分差过大).
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundResult {
    pub round: String,
    /// `None` when fewer than `min_judges` complete sheets exist.
    pub score: Option<Ratio>,
    /// Complete sheets, in judge order.
    pub marks: Vec<Mark>,
    pub median: Option<Ratio>,
}

/// A round that lacks judges, making its entry incomplete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub round: String,
    pub have: usize,
    pub need: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryResult {
    pub id: String,
    pub title: String,
    pub group: String,
    pub order: Option<i64>,
    pub complete: bool,
    pub rank: Option<u32>,
    pub final_score: Option<Ratio>,
    pub award: Option<String>,
    /// In rubric order.
    pub rounds: Vec<RoundResult>,
    pub shortfalls: Vec<Shortfall>,
}

impl EntryResult {
    pub fn round(&self, id: &str) -> Option<&RoundResult> {
        self.rounds.iter().find(|r| r.round == id)
    }

    pub fn flagged_marks(&self) -> impl Iterator<Item = (&str, &Mark)> {
        self.rounds
            .iter()
            .flat_map(|r| r.marks.iter().filter(|m| m.flagged).map(move |m| (r.round.as_str(), m)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTally {
    pub group: String,
    /// Ranked entries first (by rank), then incomplete ones (by running order, then id).
    pub entries: Vec<EntryResult>,
}

impl GroupTally {
    pub fn ranked(&self) -> impl Iterator<Item = &EntryResult> {
        self.entries.iter().filter(|e| e.complete)
    }

    pub fn incomplete(&self) -> impl Iterator<Item = &EntryResult> {
        self.entries.iter().filter(|e| !e.complete)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub contest: String,
    pub decimals: u32,
    /// In rubric order.
    pub groups: Vec<GroupTally>,
    /// Entries whose group is empty or not in the rubric (the formal check reports them).
    pub ungrouped: Vec<String>,
    /// Withdrawn or disqualified entries: out of the ranking, listed apart (filled by the caller
    /// that read them, `app::tally`; the computation never sees them).
    pub withdrawn: Vec<super::withdrawal::Withdrawn>,
}

impl Tally {
    pub fn entry(&self, id: &str) -> Option<&EntryResult> {
        self.groups.iter().flat_map(|g| g.entries.iter()).find(|e| e.id == id)
    }

    pub fn fmt(&self, r: Ratio) -> String {
        r.format_fixed(self.decimals)
    }
}

/// Aggregate judge totals under the rubric's rule. `totals` is not empty.
/// Returns the score and, per input index, whether that mark was dropped.
pub fn aggregate(rubric: &Rubric, totals: &[Points]) -> (Ratio, Vec<Option<Dropped>>) {
    let n = totals.len();
    let mut dropped = vec![None; n];
    let mut order: Vec<usize> = (0..n).collect();
    // Stable: among equal totals the earlier mark (judge order) counts as the lower one.
    order.sort_by_key(|&i| totals[i]);
    match rubric.aggregate {
        Aggregate::TrimmedMean if n >= rubric.min_judges_for_trim && n > 2 * rubric.trim => {
            let t = rubric.trim;
            for &i in &order[..t] {
                dropped[i] = Some(Dropped::Low);
            }
            for &i in &order[n - t..] {
                dropped[i] = Some(Dropped::High);
            }
            let kept: i64 = order[t..n - t].iter().map(|&i| totals[i].units()).sum();
            (Points(kept).as_ratio().div_int((n - 2 * t) as i64), dropped)
        }
        Aggregate::TrimmedMean | Aggregate::Mean => {
            let sum: i64 = totals.iter().map(|p| p.units()).sum();
            (Points(sum).as_ratio().div_int(n as i64), dropped)
        }
        Aggregate::Median => (median(totals), dropped),
    }
}

/// Median of a non-empty list.
pub fn median(totals: &[Points]) -> Ratio {
    let mut sorted: Vec<i64> = totals.iter().map(|p| p.units()).collect();
    sorted.sort_unstable();
    let n = sorted.len();
    if n % 2 == 1 {
        Points(sorted[n / 2]).as_ratio()
    } else {
        Points(sorted[n / 2 - 1] + sorted[n / 2]).as_ratio().div_int(2)
    }
}

/// How many entries each award tier gets among `ranked` entries: each share × ranked, rounded half
/// up on its own.
pub fn award_counts(rubric: &Rubric, ranked: usize) -> Vec<usize> {
    rubric
        .awards
        .iter()
        .map(|a| (a.share * Ratio::from_int(ranked as i64)).round_half_up_units(0).max(0) as usize)
        .collect()
}

/// Below this many entries the tally is computed on one thread.
const PARALLEL_ENTRIES: usize = 4_000;

/// A submitted sheet's total by numbers, as the store's scan reads it for the tally: the entry by
/// its index in the tally's entries, the round by its index in the rubric, the judge by its index
/// in [`SheetRows::judges`]. No text is copied per sheet (700k sheets at 100k entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetRow {
    pub entry: u32,
    pub round: u32,
    pub judge: u32,
    pub total: Points,
    pub criteria: u32,
}

/// Submitted sheets' totals by numbers, and the judges they name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetRows {
    pub rows: Vec<SheetRow>,
    /// Each judge once, in any order.
    pub judges: Vec<Arc<str>>,
}

impl SheetRows {
    /// Append `other`'s rows (its judges renumbered into this table).
    pub fn append(&mut self, other: SheetRows) {
        let renumber: Vec<u32> = other.judges.iter().map(|j| self.judge_id(j)).collect();
        self.rows.extend(other.rows.into_iter().map(|mut r| {
            r.judge = renumber.get(r.judge as usize).copied().unwrap_or(u32::MAX);
            r
        }));
    }

    /// The number of judge `id` in this table, added when new.
    pub fn judge_id(&mut self, id: &Arc<str>) -> u32 {
        match self.judges.iter().position(|j| j == id) {
            Some(at) => at as u32,
            None => {
                self.judges.push(Arc::clone(id));
                (self.judges.len() - 1) as u32
            }
        }
    }
}

/// The sheets of `sheets` by numbers against `entries` (sheets of other entries and rounds left
/// out).
fn rows_of(rubric: &Rubric, entries: &[TallyEntry], sheets: &[SheetTotal]) -> SheetRows {
    let entry_index: HashMap<&str, u32> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i as u32))
        .collect();
    let mut out = SheetRows::default();
    let mut seen: Vec<(&Arc<str>, u32)> = Vec::new();
    // Sheets usually come grouped by entry (the store reads them in key order): look each entry
    // up once per run of its sheets, not once per sheet.
    let mut last: Option<(&str, Option<u32>)> = None;
    for s in sheets {
        let found = match last {
            Some((id, found)) if id == s.entry => found,
            _ => {
                let found = entry_index.get(s.entry.as_str()).copied();
                last = Some((s.entry.as_str(), found));
                found
            }
        };
        let (Some(entry), Some(round)) = (found, rubric.round_index(&s.round)) else {
            continue;
        };
        // The store's totals share one `Arc` per judge: the same pointer is the same judge, found
        // without comparing ids.
        let judge = match seen.iter().find(|(j, _)| Arc::ptr_eq(j, &s.judge)) {
            Some(&(_, n)) => n,
            None => {
                let n = out.judge_id(&s.judge);
                // Bounded: totals made one by one (each with an `Arc` of its own) are looked up
                // by id.
                if seen.len() < 64 {
                    seen.push((&s.judge, n));
                }
                n
            }
        };
        out.rows.push(SheetRow {
            entry,
            round: round as u32,
            judge,
            total: s.total,
            criteria: u32::try_from(s.criteria).unwrap_or(u32::MAX),
        });
    }
    out
}

/// Compute the whole tally.
pub fn tally(rubric: &Rubric, entries: &[TallyEntry], sheets: &[SheetTotal]) -> Tally {
    tally_rows(rubric, entries, &rows_of(rubric, entries, sheets))
}

/// Compute the whole tally from sheets given by numbers ([`SheetRows`], as the store's scan for
/// the tally reads them): the same result as [`tally`] of the same sheets.
pub fn tally_rows(rubric: &Rubric, entries: &[TallyEntry], sheets: &SheetRows) -> Tally {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts = if entries.len() < PARALLEL_ENTRIES { 1 } else { threads };
    tally_in_parts(rubric, entries, sheets, parts)
}

/// A complete sheet in its (entry, round) slot: the judge's place among the judges by id, and
/// the total.
type Slotted = (u32, Points);

/// The tally, with the entries' results computed in `parts` threads.
fn tally_in_parts(rubric: &Rubric, entries: &[TallyEntry], sheets: &SheetRows, parts: usize) -> Tally {
    let round_count = rubric.rounds.len();
    // The judges in id order: a mark is placed by its judge's place, so sorting a round's marks
    // by judge compares two numbers, not two ids.
    let mut by_id: Vec<u32> = (0..sheets.judges.len() as u32).collect();
    by_id.sort_by(|&a, &b| sheets.judges[a as usize].cmp(&sheets.judges[b as usize]));
    let mut place = vec![u32::MAX; sheets.judges.len()];
    for (p, &j) in by_id.iter().enumerate() {
        place[j as usize] = p as u32;
    }
    let judges: Vec<&Arc<str>> = by_id.iter().map(|&j| &sheets.judges[j as usize]).collect();
    // The complete sheets of each (entry, round), laid out flat: slot `e * rounds + r` holds
    // `marks[starts[slot]..starts[slot + 1]]`. A counting sort in two passes, where a list per
    // slot would allocate once for every entry and round.
    let slot_count = entries.len() * round_count;
    let slot = |s: &SheetRow| -> Option<usize> {
        let (e, r) = (s.entry as usize, s.round as usize);
        (e < entries.len()
            && r < round_count
            && (s.judge as usize) < place.len()
            && s.criteria as usize == rubric.rounds[r].criteria.len())
        .then_some(e * round_count + r)
    };
    let mut starts = vec![0usize; slot_count + 1];
    for s in &sheets.rows {
        if let Some(at) = slot(s) {
            starts[at + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut marks: Vec<Slotted> = vec![(0, Points(0)); starts[slot_count]];
    let mut next = starts.clone();
    for s in &sheets.rows {
        if let Some(at) = slot(s) {
            marks[next[at]] = (place[s.judge as usize], s.total);
            next[at] += 1;
        }
    }
    drop(next);
    let sheets_of = |e: usize, r: usize| {
        let slot = e * round_count + r;
        &marks[starts[slot]..starts[slot + 1]]
    };

    // Each entry's result depends on its own sheets only: compute them on every core.
    let size = entries.len().div_ceil(parts).max(1);
    let judges = &judges[..];
    let results: Vec<Option<(usize, EntryResult)>> = if parts <= 1 {
        let mut scratch = Scratch::default();
        (0..entries.len())
            .map(|e| entry_result(rubric, entries, e, &sheets_of, judges, &mut scratch))
            .collect()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..entries.len())
                .step_by(size)
                .map(|from| {
                    let to = (from + size).min(entries.len());
                    let sheets_of = &sheets_of;
                    scope.spawn(move || {
                        let mut scratch = Scratch::default();
                        (from..to)
                            .map(|e| entry_result(rubric, entries, e, sheets_of, judges, &mut scratch))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| match w.join() {
                    Ok(part) => part,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        })
    };

    let mut groups: Vec<GroupTally> = rubric
        .groups
        .iter()
        .map(|g| GroupTally {
            group: g.clone(),
            entries: Vec::new(),
        })
        .collect();
    let mut ungrouped = Vec::new();
    for (entry, result) in entries.iter().zip(results) {
        match result {
            Some((gi, result)) => groups[gi].entries.push(result),
            None => ungrouped.push(entry.id.clone()),
        }
    }

    let tie_rounds: Vec<usize> = rubric
        .tie_break
        .iter()
        .filter_map(|id| rubric.round_index(id))
        .collect();
    for group in &mut groups {
        rank_group(rubric, &tie_rounds, group);
    }

    Tally {
        contest: rubric.name.clone(),
        decimals: rubric.decimals,
        groups,
        ungrouped,
        withdrawn: Vec::new(),
    }
}

/// Buffers reused from one entry's result to the next.
#[derive(Default)]
struct Scratch {
    sheets: Vec<Slotted>,
    totals: Vec<Points>,
}

/// Entry `e`'s result and its group's index, unranked; `None` when it has no group of the rubric.
fn entry_result<'a>(
    rubric: &Rubric,
    entries: &[TallyEntry],
    e: usize,
    sheets_of: &impl Fn(usize, usize) -> &'a [Slotted],
    judges: &[&Arc<str>],
    scratch: &mut Scratch,
) -> Option<(usize, EntryResult)> {
    let entry = &entries[e];
    let gi = entry
        .group
        .as_deref()
        .and_then(|g| rubric.groups.iter().position(|x| x == g))?;
    let mut rounds = Vec::with_capacity(rubric.rounds.len());
    let mut shortfalls = Vec::new();
    for (r, round) in rubric.rounds.iter().enumerate() {
        let sheets = &mut scratch.sheets;
        sheets.clear();
        sheets.extend_from_slice(sheets_of(e, r));
        // Stable: sheets of one judge (none come from the store) keep their order.
        sheets.sort_by_key(|s| s.0);
        let totals = &mut scratch.totals;
        totals.clear();
        totals.extend(sheets.iter().map(|s| s.1));
        let n = totals.len();
        let median_total = (n > 0).then(|| median(totals));
        let (score, dropped) = if n > 0 {
            let (s, d) = aggregate(rubric, totals);
            (Some(s), d)
        } else {
            (None, Vec::new())
        };
        let marks = sheets
            .iter()
            .enumerate()
            .map(|(i, (judge, total))| Mark {
                judge: Arc::clone(judges[*judge as usize]),
                total: *total,
                dropped: dropped[i],
                flagged: match (rubric.deviation, median_total) {
                    (Some(dev), Some(med)) => further_than(*total, med, dev),
                    _ => false,
                },
            })
            .collect();
        if n < rubric.min_judges {
            shortfalls.push(Shortfall {
                round: round.id.clone(),
                have: n,
                need: rubric.min_judges,
            });
        }
        rounds.push(RoundResult {
            round: round.id.clone(),
            score: if n >= rubric.min_judges { score } else { None },
            marks,
            median: median_total,
        });
    }
    let complete = shortfalls.is_empty();
    let final_score = complete.then(|| {
        rubric
            .rounds
            .iter()
            .zip(&rounds)
            .map(|(round, result)| round.weight * result.score.unwrap_or(Ratio::ZERO))
            .sum()
    });
    Some((
        gi,
        EntryResult {
            id: entry.id.clone(),
            title: entry.title.clone(),
            group: rubric.groups[gi].clone(),
            order: entry.order,
            complete,
            rank: None,
            final_score,
            award: None,
            rounds,
            shortfalls,
        },
    ))
}

/// Whether `total` lies further than `deviation` from `median` (in points, p/q): |total − p/q| > d,
/// compared in units as |total·q − p·scale| > d·q, exact integers with no fraction reduced (q > 0).
fn further_than(total: Points, median: Ratio, deviation: Points) -> bool {
    let (p, q) = (median.numer(), median.denom());
    (i128::from(total.units()) * q - p * i128::from(POINT_SCALE)).abs() > i128::from(deviation.units()) * q
}

/// The first 16 bytes of `id` as a big-endian number (zeros after a shorter id): two ids whose
/// prefixes differ compare as their prefixes do; equal prefixes say nothing.
fn id_prefix(id: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = id.len().min(16);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

fn rank_group(rubric: &Rubric, tie_rounds: &[usize], group: &mut GroupTally) {
    let d = rubric.decimals;
    let (ranked, mut incomplete): (Vec<EntryResult>, Vec<EntryResult>) =
        std::mem::take(&mut group.entries).into_iter().partition(|e| e.complete);
    // The ranking key is made of shown (rounded) figures: what the panel sees is what ranks.
    // Kept flat, `stride` numbers per entry, and the entries sorted by index: no key allocated per
    // entry and no large result moved while sorting.
    let stride = 1 + tie_rounds.len();
    let mut keys: Vec<i128> = Vec::with_capacity(ranked.len() * stride);
    for e in &ranked {
        keys.push(e.final_score.map_or(i128::MIN, |f| f.round_half_up_units(d)));
        for &r in tie_rounds {
            keys.push(e.rounds[r].score.map_or(i128::MIN, |s| s.round_half_up_units(d)));
        }
    }
    let key = |i: usize| &keys[i * stride..(i + 1) * stride];
    // Equal keys are common (shown figures in half points): the ids then decide, compared by
    // their first 16 bytes as one number first, and whole only when those are the same.
    let prefixes: Vec<u128> = ranked.iter().map(|e| id_prefix(&e.id)).collect();
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| {
        key(b)
            .cmp(key(a))
            .then_with(|| {
                ranked[a]
                    .order
                    .unwrap_or(i64::MAX)
                    .cmp(&ranked[b].order.unwrap_or(i64::MAX))
            })
            .then_with(|| prefixes[a].cmp(&prefixes[b]))
            .then_with(|| ranked[a].id.cmp(&ranked[b].id))
    });
    let count = order.len();
    let counts = award_counts(rubric, count);
    let mut cumulative = Vec::with_capacity(counts.len());
    let mut acc = 0usize;
    for c in &counts {
        acc += c;
        cumulative.push(acc);
    }
    let mut ranks: Vec<(u32, Option<String>)> = Vec::with_capacity(count);
    let mut rank = 0u32;
    for (i, &e) in order.iter().enumerate() {
        if i == 0 || key(e) != key(order[i - 1]) {
            rank = i as u32 + 1;
        }
        let award = cumulative
            .iter()
            .position(|&limit| (rank as usize) <= limit)
            .map(|k| rubric.awards[k].name.clone());
        ranks.push((rank, award));
    }
    let mut slots: Vec<Option<EntryResult>> = ranked.into_iter().map(Some).collect();
    let mut sorted: Vec<EntryResult> = Vec::with_capacity(count + incomplete.len());
    for (&e, (rank, award)) in order.iter().zip(ranks) {
        if let Some(mut result) = slots[e].take() {
            result.rank = Some(rank);
            result.award = award;
            sorted.push(result);
        }
    }
    incomplete.sort_by(|a, b| {
        a.order
            .unwrap_or(i64::MAX)
            .cmp(&b.order.unwrap_or(i64::MAX))
            .then_with(|| a.id.cmp(&b.id))
    });
    sorted.extend(incomplete);
    group.entries = sorted;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::parse_rubric;

    fn rubric(extra: &str, awards: &str) -> Rubric {
        let src = format!(
            r#"name = "T"
kind = "competition"
groups = ["G"]
step = 0.5
decimals = 2
min_judges = 3
min_judges_for_trim = 5
trim = 1
deviation = 15
{extra}

[[round]]
id = "a"
name = "A"
weight = 0.4
[[round.criterion]]
id = "x"
name = "X"
max = 100

[[round]]
id = "b"
name = "B"
weight = 0.6
[[round.criterion]]
id = "x"
name = "X"
max = 100
{awards}
"#
        );
        parse_rubric("t.toml", &src).unwrap()
    }

    fn entry(id: &str) -> TallyEntry {
        TallyEntry {
            id: id.into(),
            title: format!("标题{id}"),
            group: Some("G".into()),
            order: None,
        }
    }

    fn sheet(entry: &str, round: &str, judge: &str, total: &str) -> SheetTotal {
        SheetTotal {
            entry: entry.into(),
            round: round.into(),
            judge: judge.into(),
            total: Points::parse(total).unwrap(),
            criteria: 1,
        }
    }

    /// Every judge gives `a` in round a and `b` in round b.
    fn uniform(entry: &str, judges: usize, a: &str, b: &str) -> Vec<SheetTotal> {
        (0..judges)
            .flat_map(|j| {
                let judge = format!("J{j}");
                [sheet(entry, "a", &judge, a), sheet(entry, "b", &judge, b)]
            })
            .collect()
    }

    #[test]
    fn trimmed_mean_drops_one_instance_each_even_when_tied() {
        let r = rubric("", "");
        let totals: Vec<Points> = ["90", "90", "80", "70", "70"]
            .iter()
            .map(|t| Points::parse(t).unwrap())
            .collect();
        let (score, dropped) = aggregate(&r, &totals);
        assert_eq!(score, Ratio::new(80, 1));
        assert_eq!(dropped.iter().filter(|d| **d == Some(Dropped::High)).count(), 1);
        assert_eq!(dropped.iter().filter(|d| **d == Some(Dropped::Low)).count(), 1);
        assert_eq!(dropped[2], None);
    }

    #[test]
    fn below_trim_threshold_is_plain_mean() {
        let r = rubric("", "");
        let totals: Vec<Points> = ["90", "80", "75", "70"]
            .iter()
            .map(|t| Points::parse(t).unwrap())
            .collect();
        let (score, dropped) = aggregate(&r, &totals);
        assert_eq!(score, Ratio::parse_decimal("78.75").unwrap());
        assert!(dropped.iter().all(Option::is_none));
    }

    #[test]
    fn median_odd_and_even() {
        let r = rubric("aggregate = \"median\"", "");
        let p = |v: &[&str]| v.iter().map(|t| Points::parse(t).unwrap()).collect::<Vec<_>>();
        assert_eq!(aggregate(&r, &p(&["70", "95", "80"])).0, Ratio::from_int(80));
        assert_eq!(
            aggregate(&r, &p(&["70", "95", "80", "81.5"])).0,
            Ratio::parse_decimal("80.75").unwrap()
        );
    }

    #[test]
    fn final_is_exact_and_rounded_half_up_once() {
        let r = rubric("", "");
        // E1, four judges: a = 86.25, b = 84.5; final = 0.4 × 86.25 + 0.6 × 84.5 = 85.2 exactly.
        let mut sheets = Vec::new();
        for (j, a) in ["86", "86.5", "86", "86.5"].iter().enumerate() {
            sheets.push(sheet("E1", "a", &format!("J{j}"), a));
            sheets.push(sheet("E1", "b", &format!("J{j}"), "84.5"));
        }
        // E2, three judges: a = 255.5 / 3 = 85.1666…, b = 85; final = 85.0666… shown 85.07.
        for (j, a) in ["85", "85", "85.5"].iter().enumerate() {
            sheets.push(sheet("E2", "a", &format!("J{j}"), a));
            sheets.push(sheet("E2", "b", &format!("J{j}"), "85"));
        }
        let t = tally(&r, &[entry("E1"), entry("E2")], &sheets);
        let e1 = t.entry("E1").unwrap();
        assert_eq!(e1.final_score, Some(Ratio::parse_decimal("85.2").unwrap()));
        assert_eq!(t.fmt(e1.final_score.unwrap()), "85.20");
        let e2 = t.entry("E2").unwrap();
        assert_eq!(t.fmt(e2.rounds[0].score.unwrap()), "85.17");
        assert_eq!(t.fmt(e2.final_score.unwrap()), "85.07");
    }

    #[test]
    fn rounding_at_exactly_half_of_last_decimal() {
        // Four judges (below the trim threshold: plain mean): 341.5 / 4 = 85.375 exactly.
        let r = rubric("", "");
        let mut sheets = Vec::new();
        for (j, a) in ["85.5", "85", "85.5", "85.5"].iter().enumerate() {
            sheets.push(sheet("E", "a", &format!("J{j}"), a));
            sheets.push(sheet("E", "b", &format!("J{j}"), "0"));
        }
        let t = tally(&r, &[entry("E")], &sheets);
        let e = t.entry("E").unwrap();
        // 0.4 × 85.375 = 34.15 exactly; round a shows 85.38 (half up), not 85.37 (half even).
        assert_eq!(t.fmt(e.rounds[0].score.unwrap()), "85.38");
        assert_eq!(t.fmt(e.final_score.unwrap()), "34.15");
    }

    #[test]
    fn shared_ranks_and_tie_breaks() {
        let r = rubric("tie_break = [\"b\"]", "");
        let mut sheets = Vec::new();
        // E1 and E2: same final 80, E2 higher in b -> E2 first.
        sheets.extend(uniform("E1", 3, "83", "78"));
        sheets.extend(uniform("E2", 3, "77", "82"));
        // E3 and E4: identical -> share rank 3; E5 after them is rank 5.
        sheets.extend(uniform("E3", 3, "70", "70"));
        sheets.extend(uniform("E4", 3, "70", "70"));
        sheets.extend(uniform("E5", 3, "60", "60"));
        let entries: Vec<TallyEntry> = ["E1", "E2", "E3", "E4", "E5"].iter().map(|i| entry(i)).collect();
        let t = tally(&r, &entries, &sheets);
        let ranks: Vec<(String, Option<u32>)> = t.groups[0].entries.iter().map(|e| (e.id.clone(), e.rank)).collect();
        assert_eq!(
            ranks,
            vec![
                ("E2".into(), Some(1)),
                ("E1".into(), Some(2)),
                ("E3".into(), Some(3)),
                ("E4".into(), Some(3)),
                ("E5".into(), Some(5)),
            ]
        );
    }

    #[test]
    fn without_tie_break_equal_finals_share_rank() {
        let r = rubric("", "");
        let mut sheets = Vec::new();
        sheets.extend(uniform("E1", 3, "83", "78"));
        sheets.extend(uniform("E2", 3, "77", "82"));
        let t = tally(&r, &[entry("E1"), entry("E2")], &sheets);
        assert!(t.groups[0].entries.iter().all(|e| e.rank == Some(1)));
    }

    #[test]
    fn award_counts_round_half_up_each() {
        let awards = "[[award]]\nname = \"一等奖\"\nshare = 0.1\n[[award]]\nname = \"二等奖\"\nshare = 0.2\n[[award]]\nname = \"三等奖\"\nshare = 0.3\n";
        let r = rubric("", awards);
        assert_eq!(award_counts(&r, 12), vec![1, 2, 4]);
        assert_eq!(award_counts(&r, 5), vec![1, 1, 2]); // 0.5 -> 1, 1.0, 1.5 -> 2
        assert_eq!(award_counts(&r, 0), vec![0, 0, 0]);
    }

    #[test]
    fn ties_across_an_award_boundary_share_the_higher_tier() {
        let awards = "[[award]]\nname = \"一等奖\"\nshare = 0.1\n[[award]]\nname = \"二等奖\"\nshare = 0.2\n[[award]]\nname = \"三等奖\"\nshare = 0.3\n";
        let r = rubric("", awards);
        let mut sheets = Vec::new();
        let mut entries = Vec::new();
        // 10 entries: counts 1, 2, 3 -> tiers cover ranks 1, 3, 6.
        // Scores: 95, 90, 85, 85 (tied across the 二等奖 boundary at rank 3), then 80..
        let finals = ["95", "90", "85", "85", "80", "79", "78", "77", "76", "75"];
        for (i, f) in finals.iter().enumerate() {
            let id = format!("E{i:02}");
            sheets.extend(uniform(&id, 3, f, f));
            entries.push(entry(&id));
        }
        let t = tally(&r, &entries, &sheets);
        let got: Vec<(Option<u32>, Option<String>)> =
            t.groups[0].entries.iter().map(|e| (e.rank, e.award.clone())).collect();
        let a = |s: &str| Some(s.to_string());
        assert_eq!(
            got,
            vec![
                (Some(1), a("一等奖")),
                (Some(2), a("二等奖")),
                (Some(3), a("二等奖")),
                (Some(3), a("二等奖")),
                (Some(5), a("三等奖")),
                (Some(6), a("三等奖")),
                (Some(7), None),
                (Some(8), None),
                (Some(9), None),
                (Some(10), None),
            ]
        );
    }

    #[test]
    fn incomplete_entries_are_listed_apart_and_unranked() {
        let r = rubric("", "[[award]]\nname = \"一等奖\"\nshare = 0.5\n");
        let mut sheets = uniform("E1", 3, "80", "80");
        sheets.extend(uniform("E2", 2, "99", "99"));
        // E3: a sheet missing a criterion does not count.
        sheets.extend(uniform("E3", 3, "90", "90"));
        sheets
            .iter_mut()
            .filter(|s| s.entry == "E3" && &*s.judge == "J0" && &*s.round == "a")
            .for_each(|s| s.criteria = 0);
        let entries = vec![entry("E1"), entry("E2"), entry("E3"), entry("E4")];
        let t = tally(&r, &entries, &sheets);
        let g = &t.groups[0];
        assert_eq!(g.entries[0].id, "E1");
        assert_eq!(g.entries[0].rank, Some(1));
        assert_eq!(g.entries[0].award.as_deref(), Some("一等奖"));
        let inc: Vec<&str> = g.incomplete().map(|e| e.id.as_str()).collect();
        assert_eq!(inc, vec!["E2", "E3", "E4"]);
        let e2 = t.entry("E2").unwrap();
        assert_eq!((e2.rank, e2.final_score, e2.award.clone()), (None, None, None));
        assert_eq!(
            e2.shortfalls[0],
            Shortfall {
                round: "a".into(),
                have: 2,
                need: 3
            }
        );
        let e3 = t.entry("E3").unwrap();
        assert_eq!(e3.shortfalls.len(), 1);
        assert_eq!(e3.rounds[0].marks.len(), 2);
        assert_eq!(t.entry("E4").unwrap().rounds[0].marks.len(), 0);
    }

    #[test]
    fn deviation_is_flagged_against_the_round_median() {
        let r = rubric("", "");
        let mut sheets = Vec::new();
        for (j, a) in ["80", "82", "81", "60", "97"].iter().enumerate() {
            sheets.push(sheet("E", "a", &format!("J{j}"), a));
            sheets.push(sheet("E", "b", &format!("J{j}"), "80"));
        }
        let t = tally(&r, &[entry("E")], &sheets);
        let flagged: Vec<(&str, String)> = t
            .entry("E")
            .unwrap()
            .flagged_marks()
            .map(|(r, m)| (r, m.judge.to_string()))
            .collect();
        // median 81: 60 is 21 away (flagged), 97 is 16 away (flagged), 81±15 is fine.
        assert_eq!(flagged, vec![("a", "J3".to_string()), ("a", "J4".to_string())]);
    }

    #[test]
    fn exactly_the_deviation_away_is_not_flagged_and_a_half_point_more_is() {
        let median = Ratio::new(163, 2); // 81.5, the median of an even number of totals
        let dev = Points::parse("15").unwrap();
        let at = |s: &str| further_than(Points::parse(s).unwrap(), median, dev);
        assert!(!at("96.5") && !at("66.5") && !at("81.5"));
        assert!(at("97") && at("66") && at("100"));
    }

    #[test]
    fn results_computed_in_parts_are_the_results_computed_at_once() {
        let r = rubric("", "");
        let mut entries = Vec::new();
        let mut sheets = Vec::new();
        for i in 0..97u32 {
            let id = format!("E{i:03}");
            let mut e = entry(&id);
            if i % 31 == 0 {
                e.group = None;
            }
            entries.push(e);
            // Between 2 and 6 judges, so some entries are incomplete and some are trimmed.
            for j in 0..(2 + i % 5) {
                let a = 60 + (i * 7 + j * 13) % 40;
                sheets.push(sheet(&id, "a", &format!("J{j}"), &a.to_string()));
                sheets.push(sheet(&id, "b", &format!("J{j}"), &format!("{}.5", 70 + (i + j) % 20)));
            }
        }
        let rows = rows_of(&r, &entries, &sheets);
        let once = tally_in_parts(&r, &entries, &rows, 1);
        for parts in [2, 3, 8, 200] {
            assert_eq!(tally_in_parts(&r, &entries, &rows, parts), once, "{parts} parts");
        }
        assert_eq!(once.ungrouped.len(), 4);
        assert!(once.groups[0].ranked().count() > 50);
        assert!(once.groups[0].incomplete().count() > 10);
    }

    #[test]
    fn ungrouped_entries_are_reported() {
        let r = rubric("", "");
        let mut e = entry("E");
        e.group = None;
        let t = tally(&r, &[e], &[]);
        assert_eq!(t.ungrouped, vec!["E".to_string()]);
        assert!(t.groups[0].entries.is_empty());
    }

    #[test]
    fn ids_compare_by_their_prefix_as_they_compare_whole() {
        let ids = [
            "",
            "A",
            "A\0",
            "A\0\0",
            "AB",
            "AL0000009",
            "AL0000010",
            "AL00000100",
            "B",
            "ZZZZZZZZZZZZZZZZ",
            "ZZZZZZZZZZZZZZZZ0",
            "ZZZZZZZZZZZZZZZZ1",
            "中1",
            "中10",
            "中2",
            "\u{ff}",
        ];
        for a in ids {
            for b in ids {
                let by_prefix = id_prefix(a).cmp(&id_prefix(b));
                if by_prefix != std::cmp::Ordering::Equal {
                    assert_eq!(by_prefix, a.cmp(b), "{a:?} {b:?}");
                }
            }
        }
        assert_eq!(id_prefix("ZZZZZZZZZZZZZZZZ0"), id_prefix("ZZZZZZZZZZZZZZZZ1"));
        assert_eq!(id_prefix("A"), id_prefix("A\0"));
    }
}
