//! Issue 12, item 5: the seal's check before an export stays tamper-evident against the sqlite3
//! shell however it is made fast. Each test here is a tampering that a cheaper design would miss:
//! one that trusts the sheets' stored totals (kept by triggers that the shell fires too), one that
//! trusts the schema not to have changed, or one that trusts a digest kept in the file beside the
//! scores. `tests/tamper.rs` has the plain cases.

mod common;

use std::process::Command;

use common::Workspace;

/// Run SQL with the sqlite3 shell, as someone with write access to the file could.
fn sqlite3(w: &Workspace, sql: &str) -> String {
    let out = Command::new("sqlite3")
        .arg(&w.db)
        .arg(sql)
        .output()
        .expect("the sqlite3 shell (.ci/run installs it)");
    assert!(
        out.status.success(),
        "sqlite3 {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Export the results as HTML; returns the fingerprint printed.
fn export_fingerprint(w: &Workspace) -> String {
    let out = w.path("results.html");
    let said = w.ok(&["export", "results", "--format", "html", "--out", out.to_str().unwrap()]);
    said.lines()
        .find_map(|l| l.strip_prefix("Fingerprint: "))
        .expect("a fingerprint line")
        .trim()
        .to_string()
}

/// An export of the results is refused, naming `what` (and, when `not` is given, not naming it);
/// `verify-print` of `fingerprint` says NO MATCH and `audit verify` fails.
fn refused_everywhere(w: &Workspace, fingerprint: &str, what: &str, not: Option<&str>) {
    let out = w.path("refused.csv");
    let err = w.fails(&["export", "results", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert!(err.contains("changed outside jury"), "{err}");
    assert!(err.contains(what), "{err}");
    if let Some(not) = not {
        assert!(!err.contains(not), "{err}");
    }
    assert!(!out.exists(), "a file was written");
    let said = w.run(&["verify-print", fingerprint]);
    assert_eq!(said.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&said.stdout).starts_with("NO MATCH"));
    assert!(!w.run(&["audit", "verify"]).status.success());
}

const SCORES: &str = "a score, or a score added or removed";
const SHEETS: &str = "a sheet's stored total";
const SHEET: &str = "judge = 'PW01' AND entry = 'JS001' AND round = 'lesson'";

fn sheet_total(w: &Workspace) -> String {
    sqlite3(w, &format!("SELECT total, criteria FROM sheets WHERE {SHEET}"))
}

#[test]
fn two_scores_moved_in_opposite_directions_keep_the_sheet_total_and_are_named() {
    let w = Workspace::loaded("competition");
    let fingerprint = export_fingerprint(&w);
    let total = sheet_total(&w);
    sqlite3(
        &w,
        &format!(
            "UPDATE scores SET value = value + 5000 WHERE {SHEET} AND criterion = 'content';
             UPDATE scores SET value = value - 5000 WHERE {SHEET} AND criterion = 'method';"
        ),
    );
    // The sheet's stored total and count are what they were: only the scores show the change.
    assert_eq!(sheet_total(&w), total);
    refused_everywhere(&w, &fingerprint, SCORES, Some(SHEETS));
    // Put back, it matches again: the check compares values, it does not remember a failure.
    sqlite3(
        &w,
        &format!(
            "UPDATE scores SET value = value - 5000 WHERE {SHEET} AND criterion = 'content';
             UPDATE scores SET value = value + 5000 WHERE {SHEET} AND criterion = 'method';"
        ),
    );
    assert!(w.ok(&["verify-print", &fingerprint]).starts_with("MATCH"));
}

#[test]
fn a_trigger_dropped_a_score_edited_and_the_trigger_recreated_is_named() {
    let w = Workspace::loaded("competition");
    let fingerprint = export_fingerprint(&w);
    let total = sheet_total(&w);
    let trigger = sqlite3(
        &w,
        "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'scores_change_in_sheet'",
    );
    assert!(trigger.starts_with("CREATE TRIGGER"), "{trigger}");
    let version = sqlite3(&w, "PRAGMA schema_version");
    // Without the trigger the sheet's total does not follow the score; the schema is then made
    // as it was, its version number included.
    sqlite3(
        &w,
        &format!(
            "DROP TRIGGER scores_change_in_sheet;
             UPDATE scores SET value = value + 5000 WHERE {SHEET} AND criterion = 'content';
             {trigger};"
        ),
    );
    sqlite3(&w, &format!("PRAGMA schema_version = {version}"));
    assert_eq!(sheet_total(&w), total);
    assert_eq!(
        sqlite3(
            &w,
            "SELECT sql FROM sqlite_schema WHERE name = 'scores_change_in_sheet'"
        ),
        trigger
    );
    refused_everywhere(&w, &fingerprint, SCORES, Some(SHEETS));
}

#[test]
fn a_sheet_reopened_with_the_seal_of_a_workspace_where_jury_reopened_it_is_named() {
    // In workspace `b` the organiser reopened a sheet through jury: its seal is right for that
    // sheet as a draft. Copied into `a` beside the same change made with the shell, it is still
    // refused: the seal is bound to the audit trail it was made with.
    let a = Workspace::loaded("competition");
    let fingerprint = export_fingerprint(&a);
    let b = Workspace::loaded("competition");
    b.ok(&["reopen", "PW01", "JS001", "--round", "lesson", "--reason", "typo"]);
    assert_eq!(
        sqlite3(&b, &format!("SELECT status FROM sheets WHERE {SHEET}")),
        "draft"
    );
    let seal_b = sqlite3(&b, "SELECT value FROM meta WHERE key = 'seal'");
    let seal_a = sqlite3(&a, "SELECT value FROM meta WHERE key = 'seal'");
    assert_ne!(seal_a, seal_b);
    sqlite3(
        &a,
        &format!(
            "UPDATE sheets SET status = 'draft' WHERE {SHEET};
             UPDATE meta SET value = '{}' WHERE key = 'seal';",
            seal_b.replace('\'', "''")
        ),
    );
    refused_everywhere(&a, &fingerprint, "audit", None);
}

#[test]
fn a_score_edited_with_the_seals_digest_edited_is_named() {
    let w = Workspace::loaded("competition");
    let fingerprint = export_fingerprint(&w);
    let seal = sqlite3(&w, "SELECT value FROM meta WHERE key = 'seal'");
    let scores = seal
        .split(' ')
        .find_map(|p| p.strip_prefix("scores="))
        .expect("the scores' part")
        .to_string();
    // A new digest for the scores' part (any other value): the seal's own check no longer holds.
    let (count, sum) = scores.split_once(':').unwrap();
    let forged = format!("{count}:{}{}", if sum.starts_with('0') { '1' } else { '0' }, &sum[1..]);
    sqlite3(
        &w,
        &format!(
            "UPDATE scores SET value = value + 5000 WHERE {SHEET} AND criterion = 'content';
             UPDATE meta SET value = replace(value, 'scores={scores}', 'scores={forged}') WHERE key = 'seal';"
        ),
    );
    assert_ne!(sqlite3(&w, "SELECT value FROM meta WHERE key = 'seal'"), seal);
    refused_everywhere(&w, &fingerprint, "the seal kept with the audit trail was edited", None);
}
