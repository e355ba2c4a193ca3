//! Selection in phases (评审阶段, issue 16) through the real binary: `jury phase start|list|drop`,
//! `--phase` on `tally` and `export results`, `jury init --phase`; `audit verify` after each.

mod common;

use common::Workspace;

fn ids(tally: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = tally["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["entries"].as_array().unwrap().iter())
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn verify_ok(w: &Workspace) {
    let said = w.ok(&["audit", "verify"]);
    assert!(said.starts_with("The audit trail is intact"), "{said}");
}

#[test]
fn a_phase_starts_with_the_shortlisted_entries_and_the_one_before_stays_readable() {
    let w = Workspace::loaded("competition");
    let before = w.tally_json();
    assert_eq!(ids(&before).len(), 36);
    w.ok(&["shortlist", "set", "JS001", "JS002", "JS013", "--status", "入围"]);
    let said = w.ok(&["phase", "start", "决赛", "--take", "入围"]);
    assert!(
        said.contains("Started the phase 决赛 with the 3 shortlisted entries of 初评"),
        "{said}"
    );

    let list = w.ok(&["phase", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].starts_with("1\t初评\tlocked "), "{list}");
    assert_eq!(lines[1], "2\t决赛\tcurrent\t3 entries, 0 scores, took shortlisted");

    // The current phase: only the taken entries, nothing scored.
    let now = w.tally_json();
    assert_eq!(ids(&now), vec!["JS001", "JS002", "JS013"]);
    // The earlier phase: the very same tally as before.
    let old: serde_json::Value =
        serde_json::from_str(&w.ok(&["tally", "--phase", "初评", "--format", "json"])).unwrap();
    assert_eq!(old, before);
    let md = w.path("初评.md");
    w.ok(&[
        "export",
        "results",
        "--format",
        "md",
        "--phase",
        "初评",
        "--out",
        md.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.lines().next().unwrap().ends_with(" 初评结果"), "{text}");
    // Its fingerprint is the workspace's: verify-print matches it.
    let printed = text
        .lines()
        .find_map(|l| l.strip_prefix("数据指纹：`"))
        .and_then(|l| l.split('`').next())
        .unwrap();
    assert!(w.ok(&["verify-print", printed]).starts_with("MATCH"));
    let zh = w.ok(&["--lang", "zh", "phase", "list"]);
    assert!(zh.contains("2\t决赛\t当前\t3 个条目，0 个分数，取自入围"), "{zh}");
    verify_ok(&w);

    // Writing into the locked earlier phase is refused, and nothing changes.
    let digest = w.digest();
    let scores = common::fixture("scores-competition.csv");
    let err = w.fails(&["import", "scores", scores.to_str().unwrap(), "--phase", "初评"]);
    assert!(
        err.contains("the phase 初评 is locked (the current phase is 决赛)"),
        "{err}"
    );
    let err = w.fails(&["shortlist", "set", "JS003", "--status", "入选"]);
    assert!(
        err.contains("the entry JS003 is not part of the current phase 决赛"),
        "{err}"
    );
    assert_eq!(w.digest(), digest);

    let err = w.fails(&["tally", "--phase", "复评"]);
    assert!(
        err.contains("no phase named \"复评\"; the phases are: 初评, 决赛"),
        "{err}"
    );
    let err = w.fails(&["phase", "start", "决赛", "--take", "入围"]);
    assert!(err.contains("there is a phase named \"决赛\" already"), "{err}");

    let said = w.ok(&["phase", "drop"]);
    assert!(
        said.contains("Dropped the phase 决赛; 初评 is current again."),
        "{said}"
    );
    assert_eq!(w.tally_json(), before);
    verify_ok(&w);
}

#[test]
fn init_names_the_first_phase_and_the_messages_follow_the_language() {
    let w = Workspace::new();
    let said = w.ok(&["init", "--template", "competition", "--phase", "初赛"]);
    assert!(said.contains("The first phase is 初赛."), "{said}");
    assert!(w.ok(&["phase", "list"]).starts_with("1\t初赛\tcurrent\t0 entries"));
    let out = w.run(&["--lang", "zh", "tally", "--phase", "决赛"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("没有名为「决赛」的评审阶段；现有阶段：初赛"), "{err}");
    verify_ok(&w);
}
