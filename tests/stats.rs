//! `jury stats` on the shared competition fixtures: the shape of the JSON, values in range, and one
//! figure recomputed here straight from the CSV files.

mod common;

use std::collections::HashMap;

use common::{Workspace, fixture};

fn stats_json(w: &Workspace, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["stats", "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&w.ok(&args)).expect("stats json")
}

/// PW01's round totals in 教师组 / lesson, summed from the fixture CSVs without the library.
fn pw01_lesson_totals_of_teachers() -> Vec<f64> {
    let mut groups = HashMap::new();
    let mut reader = csv::Reader::from_path(fixture("contestants.csv")).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        groups.insert(row[0].to_string(), row[2].to_string());
    }
    let mut totals: HashMap<String, f64> = HashMap::new();
    let mut reader = csv::Reader::from_path(fixture("scores-competition.csv")).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        let (judge, entry, round, score) = (&row[0], &row[1], &row[2], &row[4]);
        if judge == "PW01" && round == "lesson" && groups.get(entry).map(String::as_str) == Some("教师组") {
            *totals.entry(entry.to_string()).or_default() += score.parse::<f64>().unwrap();
        }
    }
    totals.into_values().collect()
}

#[test]
fn stats_json_on_the_competition_fixtures() {
    let w = Workspace::loaded("competition");
    let v = stats_json(&w, &[]);
    let groups = v["groups"].as_array().unwrap();
    // 3 groups × 3 rounds, in rubric order.
    assert_eq!(groups.len(), 9);
    let names: Vec<(&str, &str)> = groups
        .iter()
        .map(|g| (g["group"].as_str().unwrap(), g["round"].as_str().unwrap()))
        .collect();
    assert_eq!(names[0], ("教师组", "lesson"));
    assert_eq!(names[8], ("社会工作者组", "story"));
    for g in groups {
        let at = format!("{} / {}", g["group"], g["round"]);
        assert_eq!(g["judges"].as_u64(), Some(7), "{at}");
        assert_eq!(g["entries"].as_u64(), Some(12), "{at}");
        assert_eq!(g["complete_entries"].as_u64(), Some(12), "{at}");
        for key in ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"] {
            let x = g["icc"][key].as_f64().unwrap_or_else(|| panic!("{at}: {key} missing"));
            assert!((-1.0..=1.0).contains(&x), "{at}: {key} = {x}");
        }
        let w_value = g["kendall_w"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&w_value), "{at}: W = {w_value}");
        // χ² = m(n − 1)W with m = 7 judges and n = 12 entries.
        let chi2 = g["kendall_chi2"].as_f64().unwrap();
        assert!((chi2 - 7.0 * 11.0 * w_value).abs() < 1e-9, "{at}");
        let p = g["kendall_p"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p), "{at}: p = {p}");
        assert!(g["krippendorff_alpha"].as_f64().unwrap() <= 1.0, "{at}");
        let judges = g["per_judge"].as_array().unwrap();
        assert_eq!(judges.len(), 7, "{at}");
        assert_eq!(judges[0]["judge"], "PW01");
        assert_eq!(judges[0]["name"], "尹霞");
        // Every judge scored every entry, so the severities (offsets from the entry means) cancel.
        let severity_sum: f64 = judges.iter().map(|j| j["severity"].as_f64().unwrap()).sum();
        assert!(severity_sum.abs() < 1e-9, "{at}: severities sum to {severity_sum}");
        for j in judges {
            assert_eq!(j["scored"].as_u64(), Some(12), "{at}");
            let counts: u64 = j["histogram"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_u64().unwrap())
                .sum();
            assert_eq!(counts, 12, "{at}: {}", j["judge"]);
            assert!(
                j["correlation"].as_f64().is_some_and(|r| (-1.0..=1.0).contains(&r)),
                "{at}"
            );
        }
    }

    let totals = pw01_lesson_totals_of_teachers();
    assert_eq!(totals.len(), 12);
    let mean = totals.iter().sum::<f64>() / 12.0;
    let sd = (totals.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / 11.0).sqrt();
    let reported = &groups[0]["per_judge"][0];
    assert!(
        (reported["mean"].as_f64().unwrap() - mean).abs() < 1e-9,
        "{reported} vs {mean}"
    );
    assert!(
        (reported["sd"].as_f64().unwrap() - sd).abs() < 1e-9,
        "{reported} vs {sd}"
    );
}

#[test]
fn stats_for_one_group_and_as_a_table() {
    let w = Workspace::loaded("competition");
    let v = stats_json(&w, &["--group", "家长组"]);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    assert!(groups.iter().all(|g| g["group"] == "家长组"));

    let table = w.ok(&["stats"]);
    assert!(
        table.contains("【教师组】 现场说课 (lesson): 12 项, 7 位评委"),
        "{table}"
    );
    assert!(table.contains("ICC1 ") && table.contains("Kendall W ") && table.contains("Krippendorff alpha"));
    assert!(table.contains("PW01  尹霞"), "{table}");
    assert!(table.contains('#'), "{table}");

    let err = w.fails(&["stats", "--group", "学生组"]);
    assert!(err.contains("unknown group"), "{err}");
}
