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
    // The score sheets name their phase too, the earlier one and the current one.
    for (phase, title) in [(Some("初评"), "初评评分表"), (None, "决赛评分表")] {
        let html = w.path("sheets.html");
        let mut args = vec![
            "export",
            "sheets",
            "--format",
            "html",
            "--force",
            "--out",
            html.to_str().unwrap(),
        ];
        if let Some(p) = phase {
            args.extend(["--phase", p]);
        }
        w.ok(&args);
        let page = std::fs::read_to_string(&html).unwrap();
        assert!(page.contains(title), "{title} not in the sheets");
    }
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

    // A reason is required, and kept in the audit trail.
    let err = w.fails(&["phase", "drop"]);
    assert!(err.contains("--reason"), "{err}");
    assert!(w.fails(&["phase", "drop", "--reason", " "]).contains("reason"));
    let said = w.ok(&["phase", "drop", "--reason", "决赛名单有误"]);
    assert!(w.ok(&["audit", "log"]).contains("决赛名单有误"));
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

/// `--phase` on every command that reads or writes scores, sheets, statuses or results (issue
/// 16): an earlier phase is read (its own values, not the current phase's), and writing into it
/// is refused, typed and translated, with nothing changed.
#[test]
fn every_command_on_scores_sheets_statuses_and_results_takes_the_phase() {
    let w = Workspace::loaded("competition");
    // 初评: locked before the next phase starts, so its certificates have a date.
    w.ok(&["lock", "--reason", "初评结束"]);
    w.ok(&["unlock", "--reason", "入围名单"]);
    w.ok(&["shortlist", "set", "JS001", "JS002", "JS013", "--status", "入围"]);
    w.ok(&["lock", "--reason", "初评结束"]);
    w.ok(&["phase", "start", "决赛", "--take", "入围"]);

    // Writes into the earlier phase: refused, nothing changed; the current phase named works.
    let digest = w.digest();
    let locked = "the phase 初评 is locked (the current phase is 决赛)";
    for args in [
        &["lock", "--phase", "初评", "--reason", "x"][..],
        &["unlock", "--phase", "初评", "--reason", "x"],
        &[
            "reopen", "PW01", "JS001", "--round", "lesson", "--reason", "x", "--phase", "初评",
        ],
        &["shortlist", "set", "JS001", "--status", "入选", "--phase", "初评"],
        &["shortlist", "propose", "--total", "1", "--phase", "初评"],
        &[
            "score", "remove", "PW01", "JS001", "--round", "lesson", "--reason", "x", "--phase", "初评",
        ],
    ] {
        let err = w.fails(args);
        assert!(err.contains(locked), "{args:?}: {err}");
    }
    let zh = w.run(&[
        "--lang", "zh", "reopen", "PW01", "JS001", "--round", "lesson", "--reason", "x", "--phase", "初评",
    ]);
    let zh = String::from_utf8_lossy(&zh.stderr);
    assert!(zh.contains("评审阶段 初评 已锁定（当前阶段为 决赛）"), "{zh}");
    let err = w.fails(&["lock", "--phase", "复评", "--reason", "x"]);
    assert!(err.contains("no phase named \"复评\""), "{err}");
    assert_eq!(w.digest(), digest);
    w.ok(&["shortlist", "set", "JS001", "--status", "入选", "--phase", "决赛"]);
    w.ok(&["lock", "--round", "lesson", "--phase", "决赛", "--reason", "决赛说课"]);
    w.ok(&["unlock", "--round", "lesson", "--phase", "决赛", "--reason", "更正"]);

    // Reads: the earlier phase's own statuses, scores, sheets and printouts.
    let show_old = w.ok(&["shortlist", "show", "--phase", "初评"]);
    let show_now = w.ok(&["shortlist", "show"]);
    assert!(
        show_old.contains("shortlisted\t3") && show_old.contains("selected\t0"),
        "{show_old}"
    );
    // A new phase's statuses start pending.
    assert!(
        show_now.contains("pending\t2") && show_now.contains("selected\t1"),
        "{show_now}"
    );

    let scores = |phase: Option<&str>| -> usize {
        let out = w.path("scores.json");
        let mut args = vec![
            "export",
            "scores",
            "--format",
            "json",
            "--force",
            "--out",
            out.to_str().unwrap(),
        ];
        if let Some(p) = phase {
            args.extend(["--phase", p]);
        }
        w.ok(&args);
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        v["scores"].as_array().unwrap().len()
    };
    let fixture_rows = std::fs::read_to_string(common::fixture("scores-competition.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(scores(Some("初评")), fixture_rows);
    assert_eq!(scores(None), 0);

    let sheets = w.path("sheets.html");
    let said = w.ok(&[
        "export",
        "sheets",
        "--format",
        "html",
        "--phase",
        "初评",
        "--out",
        sheets.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&sheets).unwrap().contains("JS036"), "{said}");

    let entries_in = |said: &str| -> String {
        said.split(", ")
            .find(|p| p.contains("entries"))
            .unwrap_or(said)
            .to_string()
    };
    let blank_old = w.ok(&[
        "export",
        "sheets",
        "--blank",
        "--format",
        "html",
        "--judge",
        "PW01",
        "--phase",
        "初评",
        "--out",
        w.path("b1.html").to_str().unwrap(),
    ]);
    let blank_now = w.ok(&[
        "export",
        "sheets",
        "--blank",
        "--format",
        "html",
        "--judge",
        "PW01",
        "--out",
        w.path("b2.html").to_str().unwrap(),
    ]);
    let (b1, b2) = (
        std::fs::read_to_string(w.path("b1.html")).unwrap(),
        std::fs::read_to_string(w.path("b2.html")).unwrap(),
    );
    assert!(
        b1.contains("JS036") && !b2.contains("JS036"),
        "{}\n{}",
        entries_in(&blank_old),
        entries_in(&blank_now)
    );
    assert!(b2.contains("JS001"));

    let cert_old = w.path("c1.html");
    w.ok(&[
        "export",
        "certificates",
        "--phase",
        "初评",
        "--out",
        cert_old.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&cert_old).unwrap().contains("荣誉证书"));
    let err = w.fails(&["export", "certificates", "--out", w.path("c2.html").to_str().unwrap()]);
    assert!(err.contains("no award winner"), "{err}");

    let sel_now = w.path("s2.csv");
    w.ok(&[
        "export",
        "selected",
        "--format",
        "csv",
        "--out",
        sel_now.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&sel_now).unwrap().contains("JS001"));
    let sel_old = w.path("s1.csv");
    w.ok(&[
        "export",
        "selected",
        "--format",
        "csv",
        "--phase",
        "初评",
        "--out",
        sel_old.to_str().unwrap(),
    ]);
    assert!(!std::fs::read_to_string(&sel_old).unwrap().contains("JS001"));
    verify_ok(&w);
}
