//! `jury rubric diff FILE` and `jury rubric apply FILE --reason R [--rename OLD=NEW]` (issue 16)
//! through the real binary: the diff, key by key; a refusal naming the scores; a rename carrying
//! a group's entries; a weight change recomputing the tally; the audit trail, the fingerprint
//! (`verify-print`) and the organiser passphrase.

mod common;

use common::Workspace;

const PASS: &str = "kaimen-2026";

fn workspace() -> Workspace {
    let w = Workspace::loaded("competition");
    let store = jury::app::Store::open(&w.db).unwrap();
    jury::app::organiser::set_organiser_pass(&store, &jury::store::Actor::Cli, PASS).unwrap();
    w.with_organiser_pass(PASS)
}

/// The workspace's rubric with `edit` made, written to `name`.
fn rubric_file(w: &Workspace, name: &str, edit: impl Fn(&str) -> String) -> String {
    let source = w.ok(&["rubric"]);
    let new = edit(&source);
    assert_ne!(new, source);
    let path = w.path(name);
    std::fs::write(&path, new).unwrap();
    path.to_str().unwrap().to_string()
}

/// What a refused or read-only command must leave as it was: the rubric, the tally, the audit trail.
fn state(w: &Workspace) -> (String, String, i64) {
    let conn = rusqlite::Connection::open(&w.db).unwrap();
    let rows: i64 = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();
    (w.ok(&["rubric"]), w.tally_json().to_string(), rows)
}

fn fingerprint_from(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("Fingerprint: "))
        .expect("the export reports a fingerprint")
        .trim()
        .to_string()
}

fn final_of(tally: &serde_json::Value, id: &str) -> String {
    tally["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["entries"].as_array().unwrap().iter())
        .find(|e| e["id"] == id)
        .map(|e| e["final"].to_string())
        .unwrap_or_else(|| panic!("{id} in the tally"))
}

fn group_of(tally: &serde_json::Value, id: &str) -> String {
    tally["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["entries"].as_array().unwrap().iter().any(|e| e["id"] == id))
        .map(|g| g["group"].as_str().unwrap().to_string())
        .unwrap()
}

#[test]
fn diff_then_apply_a_weight_change_recomputes_the_tally_and_old_printouts_no_longer_verify() {
    let w = workspace();
    let new = rubric_file(&w, "new.toml", |s| {
        s.replacen("weight = 0.4", "weight = 0.5", 1)
            .replacen("weight = 0.3", "weight = 0.25", 2)
    });
    let before = state(&w);
    let said = w.ok(&["rubric", "diff", &new]);
    assert!(said.contains("  round.lesson.weight: 0.4 -> 0.5\n"), "{said}");
    assert!(said.contains("  round.story.weight: 0.3 -> 0.25\n"), "{said}");
    assert!(said.contains("touches 36 entries"), "{said}");
    assert!(said.contains("3 changes; `jury rubric apply"), "{said}");
    let json: serde_json::Value = serde_json::from_str(&w.ok(&["rubric", "diff", &new, "--format", "json"])).unwrap();
    assert_eq!(json["changes"][0]["key"], "round.lesson.weight");
    assert_eq!(json["changes"][0]["old"], "0.4");
    assert_eq!(json["changes"][0]["new"], "0.5");
    assert_eq!(json["changes"][0]["entries"], 36);
    assert_eq!(json["refused"], serde_json::Value::Null);
    assert!(state(&w) == before, "diff writes nothing");

    let tally = w.tally_json();
    let out = w.path("r.html");
    let fingerprint =
        fingerprint_from(&w.ok(&["export", "results", "--format", "html", "--out", out.to_str().unwrap()]));
    assert!(w.ok(&["verify-print", &fingerprint]).starts_with("MATCH"));

    // The reason is required; the passphrase too.
    assert!(w.fails(&["rubric", "apply", &new]).contains("--reason"));
    let mut no_pass = Workspace::new();
    no_pass.db = w.db.clone();
    assert!(
        no_pass
            .fails(&["rubric", "apply", &new, "--reason", "改权重"])
            .contains("needs the organiser passphrase")
    );
    let said = w.ok(&["rubric", "apply", &new, "--reason", "改权重"]);
    assert!(said.starts_with("The rubric is now"), "{said}");
    let after = w.tally_json();
    assert_ne!(
        final_of(&after, "JS001"),
        final_of(&tally, "JS001"),
        "the finals are recomputed"
    );
    let run = w.run(&["verify-print", &fingerprint]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stdout).starts_with("NO MATCH"));
    assert!(w.ok(&["rubric"]).contains("weight = 0.5"));
    assert!(w.ok(&["audit", "verify"]).starts_with("The audit trail is intact"));
    let log = w.ok(&["audit", "log"]);
    assert!(log.contains("rubric-apply") && log.contains("改权重"), "{log}");
}

#[test]
fn a_removed_criterion_holding_scores_is_refused_naming_them_and_a_rename_carries_the_group() {
    let w = workspace();
    let gone = rubric_file(&w, "gone.toml", |s| {
        let start = s.find("id = \"effect\"").unwrap();
        let begin = s[..start].rfind("[[round.criterion]]").unwrap();
        let end = start + s[start..].find("[[round]]").unwrap();
        format!("{}{}", &s[..begin], &s[end..])
    });
    let before = state(&w);
    let err = w.fails(&["rubric", "apply", &gone, "--reason", "删一项"]);
    assert!(err.contains("stored scores invalid"), "{err}");
    assert!(err.contains("PW01 JS001 lesson/effect"), "{err}");
    assert!(state(&w) == before, "nothing changed");
    let said = w.ok(&["rubric", "diff", &gone]);
    assert!(said.contains("would be refused"), "{said}");

    let tally = w.tally_json();
    let group = group_of(&tally, "JS001");
    let renamed = rubric_file(&w, "renamed.toml", |s| {
        s.replacen(&format!("\"{group}\""), "\"教师甲组\"", 1)
    });
    let said = w.ok(&["rubric", "apply", &renamed, "--reason", "更正组名"]);
    assert!(said.contains(&format!("Group {group} is now 教师甲组")), "{said}");
    let after = w.tally_json();
    assert_eq!(group_of(&after, "JS001"), "教师甲组");
    assert_eq!(final_of(&after, "JS001"), final_of(&tally, "JS001"));
    assert!(w.ok(&["audit", "verify"]).starts_with("The audit trail is intact"));
    // An explicit rename that names no group is refused.
    let again = rubric_file(&w, "again.toml", |s| s.replacen("\"教师甲组\"", "\"教师乙组\"", 1));
    let err = w.fails(&["rubric", "apply", &again, "--reason", "x", "--rename", "没有=教师乙组"]);
    assert!(err.contains("\"没有\" is not a group of the current rubric"), "{err}");
}
