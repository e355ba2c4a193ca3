//! Corrections after the fact (issue 16), through the real binary: `jury entry withdraw|restore`,
//! `jury judge remove`, `jury assign --replace`, `jury score remove`. Each needs the organiser
//! passphrase, is audited with its reason (`audit verify` passes, and fails once the row is edited
//! in the sqlite3 shell), and a withdrawn entry is listed apart in the tally and every printout.

mod common;

use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::Workspace;

const PASS: &str = "kaimen-2026";

fn workspace() -> Workspace {
    let w = Workspace::loaded("competition");
    let store = jury::app::Store::open(&w.db).unwrap();
    jury::app::organiser::set_organiser_pass(&store, &jury::store::Actor::Cli, PASS).unwrap();
    w.with_organiser_pass(PASS)
}

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

fn verify_ok(w: &Workspace) {
    let said = w.ok(&["audit", "verify"]);
    assert!(said.starts_with("The audit trail is intact"), "{said}");
}

/// Edit the reason of the last audit row of `action` in the shell: `audit verify` must fail.
fn tamper_fails(w: &Workspace, action: &str) {
    let seq = sqlite3(w, &format!("SELECT max(seq) FROM audit WHERE action = '{action}'"));
    assert!(!seq.is_empty(), "a {action} row");
    sqlite3(w, &format!("UPDATE audit SET reason = 'edited' WHERE seq = {seq}"));
    let out = w.run(&["audit", "verify"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "audit verify passed an edited {action} row: {stdout}"
    );
    assert!(stdout.contains(&seq), "{stdout}");
}

fn entry_ids(tally: &serde_json::Value) -> Vec<String> {
    tally["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["entries"].as_array().unwrap().iter())
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_corrections_need_the_organiser_passphrase() {
    let w = workspace();
    let w = Workspace {
        organiser_pass: None,
        ..w
    };
    for (name, args) in [
        (
            "entry withdraw",
            &["entry", "withdraw", "JS001", "--reason", "选手弃权"][..],
        ),
        ("entry restore", &["entry", "restore", "JS001", "--reason", "x"]),
        ("judge remove", &["judge", "remove", "PW05", "--reason", "评委因病缺席"]),
        ("assign", &["assign", "--replace", "PW05", "PW10"]),
        (
            "score remove",
            &[
                "score",
                "remove",
                "PW01",
                "JS001",
                "--round",
                "lesson",
                "--reason",
                "录入错误",
            ],
        ),
    ] {
        let before = w.digest();
        let err = w.fails(args);
        assert!(
            err.contains(&format!("`jury {name}` needs the organiser passphrase")),
            "{args:?}: {err}"
        );
        assert_eq!(before, w.digest(), "jury {name} changed the workspace");
    }
    assert_eq!(
        sqlite3(
            &w,
            "SELECT count(*) FROM audit WHERE action IN ('entry-withdraw', 'judge-remove', 'score-remove')"
        ),
        "0"
    );
    assert_eq!(sqlite3(&w, "SELECT count(*) FROM withdrawals"), "0");
}

#[test]
fn a_withdrawn_entry_is_listed_apart_in_the_tally_and_every_printout() {
    let w = workspace();
    assert!(entry_ids(&w.tally_json()).contains(&"JS007".to_string()));
    let said = w.ok(&["entry", "withdraw", "JS007", "--reason", "选手弃权"]);
    assert!(said.contains("JS007 is withdrawn"), "{said}");
    let said = w.ok(&[
        "entry",
        "withdraw",
        "JS008",
        "--kind",
        "disqualified",
        "--reason",
        "违规",
    ]);
    assert!(said.contains("disqualified"), "{said}");
    let tally = w.tally_json();
    let ids = entry_ids(&tally);
    assert!(
        !ids.contains(&"JS007".to_string()) && !ids.contains(&"JS008".to_string()),
        "{ids:?}"
    );
    let withdrawn = tally["withdrawn"].as_array().unwrap();
    assert_eq!(withdrawn.len(), 2);
    assert_eq!(withdrawn[0]["id"], "JS007");
    assert_eq!(withdrawn[0]["kind"], "withdrawn");
    assert_eq!(withdrawn[0]["reason"], "选手弃权");
    assert_eq!(withdrawn[1]["kind"], "disqualified");
    let text = w.ok(&["tally"]);
    assert!(
        text.contains("退出评选") && text.contains("弃权：选手弃权") && text.contains("取消资格：违规"),
        "{text}"
    );
    for format in ["html", "md", "csv"] {
        let out = w.path(&format!("results.{format}"));
        w.ok(&["export", "results", "--format", format, "--out", out.to_str().unwrap()]);
        let body = std::fs::read_to_string(&out).unwrap();
        assert!(
            body.contains("JS007") && body.contains("选手弃权") && body.contains("违规"),
            "{format}: {body}"
        );
    }
    let out = w.path("results.xlsx");
    w.ok(&["export", "results", "--format", "xlsx", "--out", out.to_str().unwrap()]);
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = book.worksheet_range("退出评选（不参与排名）").unwrap();
    let cells: Vec<String> = sheet
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| match c {
            Data::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    assert_eq!(cells[0], "JS007");
    assert_eq!(&cells[3..5], &["弃权".to_string(), "选手弃权".to_string()]);
    verify_ok(&w);
    let err = w.fails(&["entry", "withdraw", "JS007", "--reason", "again"]);
    assert!(err.contains("already withdrawn"), "{err}");
    w.ok(&["entry", "restore", "JS007", "--reason", "误操作"]);
    assert!(entry_ids(&w.tally_json()).contains(&"JS007".to_string()));
    verify_ok(&w);
    tamper_fails(&w, "entry-withdraw");
}

#[test]
fn a_removed_judge_keeps_submitted_sheets_and_their_id_stays_taken() {
    let w = workspace();
    let before = w.tally_json();
    let said = w.ok(&["judge", "remove", "PW05", "--reason", "评委因病缺席"]);
    assert!(
        said.contains("PW05 is removed") && said.contains("submitted sheets kept"),
        "{said}"
    );
    // Submitted sheets still count: the tally is unchanged.
    assert_eq!(w.tally_json()["groups"], before["groups"]);
    let file = w.path("judges.csv");
    std::fs::write(&file, "id,name,organization,county,pin\nPW05,新评委,某中学,某县,1234\n").unwrap();
    let err = w.fails(&["import", "judges", file.to_str().unwrap()]);
    assert!(
        err.contains("PW05 was removed from the contest") && err.contains("stays taken"),
        "{err}"
    );
    let err = w.fails(&["judge", "remove", "PW05", "--reason", "again"]);
    assert!(err.contains("was removed"), "{err}");
    verify_ok(&w);
    w.ok(&["judge", "remove", "PW06", "--drop-submitted", "--reason", "回避"]);
    assert_eq!(sqlite3(&w, "SELECT count(*) FROM sheets WHERE judge = 'PW06'"), "0");
    verify_ok(&w);
    tamper_fails(&w, "judge-remove");
}

#[test]
fn assign_replace_moves_open_work_and_refuses_a_conflicted_replacement() {
    let w = workspace();
    let store = jury::app::Store::open(&w.db).unwrap();
    store
        .write(|s| {
            s.set_assignment("PW09", "JS003", true)?;
            s.set_assignment("PW09", "JS004", true)?;
            Ok(())
        })
        .unwrap();
    // (The store is written directly only to set the scene; the organiser assigns with the console.)
    drop(store);
    w.ok(&["conflict", "add", "PW07", "JS004", "--reason", "同事"]);
    let err = w.fails(&["assign", "--replace", "PW09", "PW07"]);
    assert!(
        err.contains("PW07 cannot take PW09's work") && err.contains("JS004"),
        "{err}"
    );
    assert!(!err.contains("JS003"), "{err}");
    let err = w.fails(&["assign", "--replace", "PW09", "PW09"]);
    assert!(err.contains("cannot replace themselves"), "{err}");
    let said = w.ok(&["assign", "--replace", "PW09", "PW08", "--reason", "换人"]);
    assert!(
        said.contains("PW08 takes PW09's open work: 2 entries (JS003, JS004)"),
        "{said}"
    );
    let rows = sqlite3(
        &w,
        "SELECT judge || ':' || entry FROM assignments ORDER BY entry, judge",
    );
    assert_eq!(rows, "PW08:JS003\nPW08:JS004");
    verify_ok(&w);
    tamper_fails(&w, "assign-replace");
}

#[test]
fn score_remove_makes_a_submitted_sheet_a_draft() {
    let w = workspace();
    let said = w.ok(&[
        "score",
        "remove",
        "PW01",
        "JS001",
        "--round",
        "lesson",
        "--criterion",
        "content",
        "--reason",
        "录入错误",
    ]);
    assert!(said.contains("the sheet is a draft again"), "{said}");
    assert_eq!(
        sqlite3(
            &w,
            "SELECT status FROM sheets WHERE judge = 'PW01' AND entry = 'JS001' AND round = 'lesson'"
        ),
        "draft"
    );
    assert_eq!(
        sqlite3(
            &w,
            "SELECT count(*) FROM scores WHERE judge = 'PW01' AND entry = 'JS001' AND round = 'lesson' AND criterion = 'content'"
        ),
        "0"
    );
    assert_eq!(
        common::judge_total(&w, "JS001", "lesson", "PW01"),
        None,
        "no longer counted"
    );
    let err = w.fails(&[
        "score",
        "remove",
        "PW01",
        "JS001",
        "--round",
        "lesson",
        "--criterion",
        "content",
        "--reason",
        "again",
    ]);
    assert!(err.contains("nothing to remove"), "{err}");
    let log = w.ok(&["audit", "log", "--judge", "PW01", "--entry", "JS001"]);
    assert!(log.contains("score-remove") && log.contains("录入错误"), "{log}");
    verify_ok(&w);
    tamper_fails(&w, "score-remove");
}

#[test]
fn a_withdrawal_or_removal_changed_in_the_shell_is_refused_by_exports_and_audit_verify() {
    let w = workspace();
    w.ok(&["entry", "withdraw", "JS007", "--reason", "选手弃权"]);
    w.ok(&["judge", "remove", "PW05", "--reason", "评委因病缺席"]);
    let out = w.path("ok.csv");
    w.ok(&["export", "results", "--format", "csv", "--out", out.to_str().unwrap()]);
    // The withdrawal undone behind jury's back: the seal and the replay both name it.
    sqlite3(&w, "DELETE FROM withdrawals WHERE entry = 'JS007'");
    let out = w.path("r.csv");
    let err = w.fails(&["export", "results", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert!(err.contains("an entry withdrawn, disqualified or restored"), "{err}");
    assert!(!out.exists(), "nothing printed");
    let verify = w.run(&["audit", "verify"]);
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(!verify.status.success(), "{said}");
    assert!(said.contains("JS007 is not withdrawn in the database"), "{said}");
    sqlite3(
        &w,
        "INSERT INTO withdrawals(entry, kind, reason, withdrawn_at) SELECT 'JS007', 'withdrawn', '选手弃权', 'x'",
    );
    sqlite3(&w, "DELETE FROM judges_removed");
    let err = w.fails(&["export", "results", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert!(err.contains("a judge removed from the contest"), "{err}");
}
