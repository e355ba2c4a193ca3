//! Properties of the tally: the order scores arrive in and the judges' names do not matter, and
//! adding a constant to every judge total adds it to every round score and final.

use jury::core::rubric::{parse_rubric, template_source};
use jury::core::tally::{SheetTotal, TallyEntry, tally};
use jury::core::{Points, Ratio};
use proptest::prelude::*;

fn competition() -> jury::core::Rubric {
    let (f, s) = template_source("competition").unwrap();
    parse_rubric(f, s).unwrap()
}

/// Totals in half points: up to 6 entries in 教师组, 3 to 7 judges, every round.
fn sheets_strategy() -> impl Strategy<Value = (usize, usize, Vec<i64>)> {
    (1usize..6, 3usize..8).prop_flat_map(|(entries, judges)| {
        let n = entries * judges * 3;
        (Just(entries), Just(judges), proptest::collection::vec(0i64..=180, n))
    })
}

fn build(entries: usize, judges: usize, halves: &[i64], shift_halves: i64) -> (Vec<TallyEntry>, Vec<SheetTotal>) {
    let rubric = competition();
    let es: Vec<TallyEntry> = (0..entries)
        .map(|e| TallyEntry {
            id: format!("E{e}"),
            title: format!("标题{e}"),
            group: Some("教师组".into()),
            order: Some(e as i64 + 1),
        })
        .collect();
    let mut sheets = Vec::new();
    let mut i = 0;
    for e in 0..entries {
        for round in &rubric.rounds {
            for j in 0..judges {
                sheets.push(SheetTotal {
                    entry: format!("E{e}"),
                    round: round.id.as_str().into(),
                    judge: format!("J{j}").into(),
                    total: Points::from_units((halves[i] + shift_halves) * 5_000),
                    criteria: round.criteria.len(),
                });
                i += 1;
            }
        }
    }
    (es, sheets)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn order_of_arrival_does_not_matter((entries, judges, halves) in sheets_strategy(), seed in any::<u64>()) {
        let rubric = competition();
        let (es, sheets) = build(entries, judges, &halves, 0);
        let base = tally(&rubric, &es, &sheets);
        let mut shuffled = sheets.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for k in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(k, (state % (k as u64 + 1)) as usize);
        }
        prop_assert_eq!(tally(&rubric, &es, &shuffled), base);
    }

    #[test]
    fn renaming_judges_changes_no_result((entries, judges, halves) in sheets_strategy()) {
        let rubric = competition();
        let (es, sheets) = build(entries, judges, &halves, 0);
        let base = tally(&rubric, &es, &sheets);
        let renamed: Vec<SheetTotal> = sheets.iter().map(|s| SheetTotal { judge: format!("评委{}", s.judge).into(), ..s.clone() }).collect();
        let other = tally(&rubric, &es, &renamed);
        for (a, b) in base.groups[0].entries.iter().zip(&other.groups[0].entries) {
            prop_assert_eq!(&a.id, &b.id);
            prop_assert_eq!(a.rank, b.rank);
            prop_assert_eq!(a.final_score, b.final_score);
            prop_assert_eq!(&a.award, &b.award);
            for (ra, rb) in a.rounds.iter().zip(&b.rounds) {
                prop_assert_eq!(ra.score, rb.score);
            }
        }
    }

    #[test]
    fn adding_a_constant_adds_it_to_every_final((entries, judges, halves) in sheets_strategy(), shift in 0i64..20) {
        let rubric = competition();
        let (es, sheets) = build(entries, judges, &halves, 0);
        let (_, shifted) = build(entries, judges, &halves, shift);
        let a = tally(&rubric, &es, &sheets);
        let b = tally(&rubric, &es, &shifted);
        let c = Ratio::new(i128::from(shift), 2);
        for ea in &a.groups[0].entries {
            let eb = b.entry(&ea.id).unwrap();
            prop_assert_eq!(ea.final_score.map(|f| f + c), eb.final_score);
            for (ra, rb) in ea.rounds.iter().zip(&eb.rounds) {
                prop_assert_eq!(ra.score.map(|s| s + c), rb.score);
            }
            prop_assert_eq!(ea.rank, eb.rank);
        }
    }
}
