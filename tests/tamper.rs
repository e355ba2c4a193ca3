//! Issue 6, test 4: tampering with the workspace through the sqlite3 shell — a score edited, an
//! audit row deleted in the middle, a row appended by hand, a sheet's status flipped — is named by
//! `jury audit verify` (exit code non-zero, the row or the score in the message).

mod common;

use std::process::Command;

use common::Workspace;
use jury::app::judging::JudgeSession;
use jury::store::Store;

/// A loaded competition where judge PW08 (no imported scores) has also typed two draft values.
fn workspace() -> Workspace {
    let w = Workspace::loaded("competition");
    let store = Store::open(&w.db).unwrap();
    let session = JudgeSession::trusted(&store, "PW08").unwrap();
    session.set_score("JS002", "lesson", "content", "25").unwrap();
    session.set_score("JS002", "lesson", "method", "26.5").unwrap();
    drop(session);
    drop(store);
    assert!(w.ok(&["audit", "verify"]).starts_with("The audit trail is intact"));
    w
}

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

/// `jury audit verify` must fail; returns its stdout.
fn verify_fails(w: &Workspace) -> String {
    let out = w.run(&["audit", "verify"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !out.status.success(),
        "audit verify passed a tampered workspace: {stdout}"
    );
    stdout
}

fn audit_rows(w: &Workspace) -> i64 {
    sqlite3(w, "SELECT count(*) FROM audit").parse().unwrap()
}

#[test]
fn an_imported_score_edited_in_the_shell_is_named() {
    let w = workspace();
    let row = sqlite3(
        &w,
        "SELECT max(seq) FROM audit WHERE action = 'import-score' AND judge = 'PW01' AND entry = 'JS001' \
         AND detail = 'lesson/content'",
    );
    sqlite3(
        &w,
        "UPDATE scores SET value = 200000 WHERE judge = 'PW01' AND entry = 'JS001' AND round = 'lesson' \
         AND criterion = 'content'",
    );
    let out = verify_fails(&w);
    assert_eq!(
        out.trim(),
        format!(
            "The audit trail does not match the data (row {row}): the score PW01/JS001/lesson/content is 20 in the \
             database, but row {row} (its last recorded change) set it to 19.5: it was changed outside jury"
        )
    );
}

#[test]
fn a_judges_draft_edited_or_deleted_in_the_shell_is_named() {
    let w = workspace();
    let last = audit_rows(&w);
    sqlite3(
        &w,
        "UPDATE scores SET value = 300000 WHERE judge = 'PW08' AND entry = 'JS002' AND criterion = 'method'",
    );
    let out = verify_fails(&w);
    assert!(out.contains(&format!("(row {last})")), "{out}");
    assert!(out.contains("PW08/JS002/lesson/method is 30 in the database"), "{out}");

    let w = workspace();
    sqlite3(
        &w,
        "DELETE FROM scores WHERE judge = 'PW08' AND entry = 'JS002' AND criterion = 'content'",
    );
    let out = verify_fails(&w);
    assert!(
        out.contains("PW08/JS002/lesson/content is missing from the database"),
        "{out}"
    );
    assert!(out.contains(&format!("(row {})", last - 1)), "{out}");
}

#[test]
fn a_score_inserted_or_a_sheet_submitted_in_the_shell_is_named() {
    let w = workspace();
    sqlite3(
        &w,
        "INSERT INTO scores(entry, round, judge, criterion, value, updated_at) \
         VALUES ('JS002', 'lesson', 'PW08', 'expression', 200000, 'x')",
    );
    let out = verify_fails(&w);
    assert!(
        out.contains("PW08/JS002/lesson/expression is 20 in the database, but no audit row records it"),
        "{out}"
    );

    let w = workspace();
    sqlite3(
        &w,
        "UPDATE sheets SET status = 'submitted' WHERE judge = 'PW08' AND entry = 'JS002' AND round = 'lesson'",
    );
    let out = verify_fails(&w);
    assert!(
        out.contains("the sheet PW08/JS002/lesson is submitted in the database"),
        "{out}"
    );
}

#[test]
fn a_sheet_total_edited_in_the_shell_is_named() {
    // The tally reads each sheet's stored total: raising it by hand must not pass `audit verify`.
    let w = workspace();
    let before = sqlite3(
        &w,
        "SELECT total, criteria FROM sheets WHERE judge = 'PW01' AND entry = 'JS001' AND round = 'lesson'",
    );
    let (total, criteria) = before.split_once('|').unwrap();
    let total: i64 = total.parse().unwrap();
    sqlite3(
        &w,
        &format!(
            "UPDATE sheets SET total = {} WHERE judge = 'PW01' AND entry = 'JS001' AND round = 'lesson'",
            total + 50_000
        ),
    );
    let out = verify_fails(&w);
    let stored = jury::core::Points(total + 50_000);
    let actual = jury::core::Points(total);
    assert!(
        out.contains(&format!(
            "the sheet PW01/JS001/lesson stores a total of {stored} over {criteria} scores, but its scores add up \
             to {actual} over {criteria}"
        )),
        "{out}"
    );
}

#[test]
fn an_audit_row_deleted_in_the_middle_is_named() {
    let w = workspace();
    let middle = audit_rows(&w) / 2;
    sqlite3(&w, &format!("DELETE FROM audit WHERE seq = {middle}"));
    let out = verify_fails(&w);
    assert_eq!(
        out.trim(),
        format!(
            "The audit trail is broken at row {}: row {middle} is missing (the next row is {})",
            middle + 1,
            middle + 1
        )
    );
}

#[test]
fn an_audit_row_edited_in_the_shell_is_named() {
    let w = workspace();
    sqlite3(&w, "UPDATE audit SET new_value = '30' WHERE seq = 10");
    let out = verify_fails(&w);
    assert_eq!(
        out.trim(),
        "The audit trail is broken at row 10: its content does not match its hash: the row was edited"
    );
}

#[test]
fn a_row_appended_by_hand_is_named() {
    let w = workspace();
    let last = audit_rows(&w);
    let head = sqlite3(&w, &format!("SELECT hash FROM audit WHERE seq = {last}"));
    // Linked correctly to the head; its own hash cannot be right without recomputing SHA-256 of
    // jury's canonical form, which the shell does not offer.
    sqlite3(
        &w,
        &format!(
            "INSERT INTO audit(seq, at, actor, action, entry, judge, detail, old_value, new_value, reason, prev_hash, hash) \
             VALUES ({}, '2025-01-01T00:00:00.000+08:00', 'organiser', 'reopen', 'JS001', 'PW01', 'lesson', \
             'submitted', 'draft', 'forged', '{head}', '{}')",
            last + 1,
            "0".repeat(64)
        ),
    );
    let out = verify_fails(&w);
    assert_eq!(
        out.trim(),
        format!(
            "The audit trail is broken at row {}: its content does not match its hash: the row was edited",
            last + 1
        )
    );
}

#[test]
fn rows_deleted_at_the_end_change_the_head_printed_on_paper() {
    // The chain cannot tell a shortened trail from a short one: that is what the head on every
    // printout is for. Verify reports the smaller count, so paper and screen differ.
    let w = workspace();
    let before = w.ok(&["audit", "verify"]);
    let last = audit_rows(&w);
    sqlite3(&w, &format!("DELETE FROM audit WHERE seq = {last}"));
    let out = w.run(&["audit", "verify"]);
    let after = String::from_utf8(out.stdout).unwrap();
    assert_ne!(before, after);
    // The deleted row was PW08's last score: the value it set is no longer accounted for.
    assert!(!out.status.success(), "{after}");
    assert!(
        after.contains("PW08/JS002/lesson/method is 26.5 in the database"),
        "{after}"
    );
}

// ---- Issue 12, item 5: the fingerprint and the checks cover everything that decides the results ----

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

/// Every export of results or sheets is refused, naming `what`; nothing is written.
fn exports_refused(w: &Workspace, what: &str) {
    for (kind, format) in [
        ("results", "html"),
        ("results", "csv"),
        ("sheets", "html"),
        ("selected", "csv"),
    ] {
        let out = w.path(&format!("refused-{kind}.{format}"));
        let err = w.fails(&["export", kind, "--format", format, "--out", out.to_str().unwrap()]);
        assert!(err.contains("changed outside jury"), "{kind}: {err}");
        assert!(err.contains(what), "{kind}: {err}");
        assert!(err.contains("`jury audit verify`"), "{kind}: {err}");
        assert!(!out.exists(), "{kind}: a file was written");
    }
    let out = w.path("refused-certificates.html");
    let err = w.fails(&["export", "certificates", "--out", out.to_str().unwrap()]);
    assert!(
        err.contains("changed outside jury") && err.contains(what),
        "certificates: {err}"
    );
    assert!(!out.exists(), "certificates: a file was written");
}

/// `verify-print` of `fingerprint` must say NO MATCH and exit 1; returns its stdout.
fn verify_print_fails(w: &Workspace, fingerprint: &str) -> String {
    let out = w.run(&["verify-print", fingerprint]);
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.starts_with("NO MATCH"), "{said}");
    said
}

#[test]
fn a_sheet_total_edited_in_the_shell_fails_verify_print_and_every_export() {
    let w = workspace();
    let fingerprint = export_fingerprint(&w);
    assert!(w.ok(&["verify-print", &fingerprint]).starts_with("MATCH"));
    sqlite3(
        &w,
        "UPDATE sheets SET total = total + 50000 WHERE judge = 'PW01' AND entry = 'JS001' AND round = 'lesson'",
    );
    let said = verify_print_fails(&w, &fingerprint);
    assert!(said.contains("a sheet's stored total, count or status"), "{said}");
    exports_refused(&w, "a sheet's stored total, count or status");
}

#[test]
fn an_entrys_group_edited_in_the_shell_is_named() {
    let w = workspace();
    let fingerprint = export_fingerprint(&w);
    sqlite3(&w, "UPDATE entries SET grp = '家长组' WHERE id = 'JS001'");
    let out = verify_fails(&w);
    assert!(out.contains("an entry's group or organisation"), "{out}");
    verify_print_fails(&w, &fingerprint);
    exports_refused(&w, "an entry's group or organisation");
}

#[test]
fn a_rubric_maximum_or_weight_edited_in_the_shell_is_named() {
    let w = workspace();
    let fingerprint = export_fingerprint(&w);
    sqlite3(
        &w,
        "UPDATE meta SET value = replace(value, 'max = 30', 'max = 40') WHERE key = 'rubric'",
    );
    let out = verify_fails(&w);
    assert!(out.contains("the rubric"), "{out}");
    verify_print_fails(&w, &fingerprint);
    exports_refused(&w, "the rubric");

    let w = workspace();
    sqlite3(
        &w,
        "UPDATE meta SET value = replace(value, 'weight = 0.4', 'weight = 0.9') WHERE key = 'rubric'",
    );
    assert!(verify_fails(&w).contains("the rubric"));
}

#[test]
fn a_judges_organisation_edited_in_the_shell_is_named() {
    let w = workspace();
    let fingerprint = export_fingerprint(&w);
    sqlite3(&w, "UPDATE judges SET organization = '另一个单位' WHERE id = 'PW01'");
    let out = verify_fails(&w);
    assert!(out.contains("a judge's organisation"), "{out}");
    verify_print_fails(&w, &fingerprint);
    exports_refused(&w, "a judge's organisation");
}

#[test]
fn a_conflict_removed_or_rows_cut_from_the_end_are_refused_by_exports() {
    let w = workspace();
    w.ok(&["conflict", "add", "PW08", "JS003", "--reason", "亲属"]);
    sqlite3(&w, "DELETE FROM conflicts WHERE judge = 'PW08' AND entry = 'JS003'");
    assert!(verify_fails(&w).contains("the declared conflicts"));
    exports_refused(&w, "the declared conflicts");

    let w = workspace();
    let last = audit_rows(&w);
    // The last row is PW08's draft: delete it with its score so the replay has nothing to say.
    sqlite3(
        &w,
        &format!(
            "DELETE FROM audit WHERE seq = {last}; DELETE FROM scores WHERE judge = 'PW08' AND criterion = 'method'"
        ),
    );
    exports_refused(&w, &format!("the audit trail ends at row {}", last - 1));
}

#[test]
fn the_full_fingerprint_needs_the_audit_head_the_short_form_says_it_did_not_check_it() {
    let w = workspace();
    let fingerprint = export_fingerprint(&w);
    assert!(fingerprint.starts_with("JURY2-"), "{fingerprint}");
    // A comment changes nothing the results are made from, but the workspace moved on.
    let store = Store::open(&w.db).unwrap();
    JudgeSession::trusted(&store, "PW08")
        .unwrap()
        .set_comment("JS002", "语速稍快")
        .unwrap();
    drop(store);
    let said = verify_print_fails(&w, &fingerprint);
    assert!(said.contains("content hash: "), "{said}");
    assert!(said.contains("(same)"), "{said}");
    assert!(said.contains("the workspace changed since"), "{said}");
    let short: Vec<&str> = fingerprint.split('-').take(3).collect();
    let said = w.ok(&["verify-print", &short.join("-")]);
    assert!(said.starts_with("MATCH"), "{said}");
    assert!(said.contains("the audit head was not checked"), "{said}");
}

#[test]
fn fingerprints_printed_before_the_seal_still_verify_and_are_reported_as_the_old_form() {
    let w = workspace();
    let store = Store::open(&w.db).unwrap();
    let old = store
        .read(|s| {
            Ok(jury::export::fingerprint::fingerprint_of(
                &s.all_scores()?,
                s.audit_head()?,
            ))
        })
        .unwrap()
        .to_string();
    drop(store);
    assert!(old.starts_with("JURY-"), "{old}");
    let said = w.ok(&["verify-print", &old]);
    assert!(said.starts_with("MATCH"), "{said}");
    assert!(said.contains("old form"), "{said}");
    let short: Vec<&str> = old.split('-').take(3).collect();
    let said = w.ok(&["verify-print", &short.join("-")]);
    assert!(said.contains("old form"), "{said}");
}
