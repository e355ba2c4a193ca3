//! Issue 12: refusals for inputs that cannot work, closed pipes, one-line reasons, and messages a
//! person can act on.

mod common;

use common::{Workspace, fixture};

#[test]
fn a_panel_smaller_than_min_judges_is_refused_without_force() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let before = w.digest();
    let err = w.fails(&["assign", "--group", "教师组", "--judges", "PW01,PW02"]);
    assert!(
        err.contains("the panel of 教师组 has 2 judges but the rubric needs at least 5 (min_judges)"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(before, w.digest());
    let out = w.run(&["assign", "--group", "教师组", "--judges", "PW01,PW02", "--force"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: the panel of 教师组 has 2 judges"), "{stderr}");
    let store = jury::store::Store::open(&w.db).unwrap();
    assert_eq!(store.eligibility().unwrap().panels["教师组"].len(), 2);
}

#[test]
fn fewer_reviewers_per_entry_than_min_judges_are_refused_without_force() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    w.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let err = w.fails(&["assign", "--per-entry", "2"]);
    assert!(
        err.contains("each entry has 2 judges but the rubric needs at least 3"),
        "{err}"
    );
    let store = jury::store::Store::open(&w.db).unwrap();
    assert!(store.eligibility().unwrap().per_entry.is_empty());
    drop(store);
    let out = w.ok(&["assign", "--per-entry", "2", "--force"]);
    assert!(out.starts_with("Assigned 320 reviews (2 per entry)."), "{out}");
}

#[test]
fn invisible_characters_in_ids_are_refused_with_row_and_column() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    let entries = w.path("entries.csv");
    std::fs::write(
        &entries,
        "id,title,group,name,organization,county,order\nJS001,我的家访日记,教师组,邓涵,靖安县实验小学,靖安县,1\nJS\u{200B}002,和孩子一起长大,教师组,向军,万载县,万载县,2\n",
    )
    .unwrap();
    let before = w.digest();
    let err = w.fails(&["import", "entries", entries.to_str().unwrap()]);
    assert!(err.contains("row 3, column A (id)"), "{err}");
    assert!(err.contains("U+200B ZERO WIDTH SPACE"), "{err}");
    assert_eq!(before, w.digest());
    std::fs::write(
        &entries,
        "id,title,group,name,organization,county,order\nＪＳ００１,我的家访日记,教师组,邓涵,靖安县实验小学,靖安县,1\n",
    )
    .unwrap();
    w.ok(&["import", "entries", entries.to_str().unwrap()]);
    let judges = w.path("judges.csv");
    std::fs::write(
        &judges,
        "id,name,organization,county,pin\nPW01,尹霞,樟树市,樟树市,5175\n\u{202E}PW02,郑鹏远,经开区,经开区,5308\n",
    )
    .unwrap();
    let err = w.fails(&["import", "judges", judges.to_str().unwrap()]);
    assert!(err.contains("row 3, column A (id)") && err.contains("U+202E"), "{err}");
    std::fs::write(
        &judges,
        "id,name,organization,county,pin\nPW01,尹霞,樟树市,樟树市,5175\n",
    )
    .unwrap();
    w.ok(&["import", "judges", judges.to_str().unwrap()]);
    let scores = w.path("scores.csv");
    // The full-width id is the same id after NFKC: it was stored as JS001 and is found as JS001.
    std::fs::write(
        &scores,
        "judge,entry,round,criterion,score\nＰＷ０１,ＪＳ００１,lesson,content,19.5\nPW01,JS\u{2060}001,lesson,method,20\n",
    )
    .unwrap();
    let err = w.fails(&["import", "scores", scores.to_str().unwrap()]);
    assert!(
        err.contains("row 3, column B (entry)") && err.contains("U+2060 WORD JOINER"),
        "{err}"
    );
    assert!(!err.contains("row 2"), "{err}");
    std::fs::write(
        &scores,
        "judge,entry,round,criterion,score\nＰＷ０１,ＪＳ００１,lesson,content,19.5\n",
    )
    .unwrap();
    // One criterion of the sheet: a draft.
    w.ok(&["import", "scores", scores.to_str().unwrap(), "--partial"]);
    let store = jury::store::Store::open(&w.db).unwrap();
    assert_eq!(store.entry("JS001").unwrap().unwrap().title, "我的家访日记");
    assert_eq!(
        store
            .score("PW01", "JS001", "lesson", "content")
            .unwrap()
            .map(|p| p.to_string()),
        Some("19.5".to_string())
    );
}

#[test]
fn an_organisation_with_a_zero_width_space_still_conflicts() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    let judges = w.path("judges.csv");
    std::fs::write(
        &judges,
        "id,name,organization,county,pin\nPW01,尹霞,靖安县\u{200B}实验小学,靖安县,5175\nPW02,郑鹏远,靖安縣實驗小學,靖安县,5308\n",
    )
    .unwrap();
    w.ok(&["import", "judges", judges.to_str().unwrap()]);
    let scores = w.path("scores.csv");
    for judge in ["PW01", "PW02"] {
        std::fs::write(
            &scores,
            format!("judge,entry,round,criterion,score\n{judge},JS001,lesson,content,19.5\n"),
        )
        .unwrap();
        let err = w.fails(&["import", "scores", scores.to_str().unwrap()]);
        assert!(
            err.contains("conflict of interest with JS001 (same organisation)"),
            "{err}"
        );
    }
}

/// Run jury with its stdout on a pipe whose reading end is already closed (`jury … | head -0`).
fn run_into_closed_pipe(w: &Workspace, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = std::process::Command::new(common::BIN)
        .arg("--db")
        .arg(&w.db)
        .args(args)
        .current_dir(w.dir.path())
        .env_remove("JURY_DB")
        .env("LANG", "C")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_every_printing_command_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let w = Workspace::loaded("competition");
    let fingerprint = {
        let out = w.ok(&[
            "export",
            "results",
            "--format",
            "md",
            "--out",
            w.path("r.md").to_str().unwrap(),
        ]);
        out.lines()
            .find_map(|l| l.strip_prefix("Fingerprint: "))
            .unwrap()
            .to_string()
    };
    let commands: &[&[&str]] = &[
        &["audit", "log"],
        &["audit", "verify"],
        &["tally"],
        &["tally", "--format", "json"],
        &["tally", "--format", "csv"],
        &["stats"],
        &["stats", "--format", "json"],
        &["check"],
        &["rubric"],
        &["rubric", "--template", "cases"],
        &["conflict", "list"],
        &["find", "家访"],
        &["shortlist", "show"],
        &["stage", "show"],
        &["calibration", "show"],
        &["export", "sheets", "--format", "html"],
        &["export", "results", "--format", "md"],
        &["export", "results", "--format", "csv"],
        &["verify-print", &fingerprint],
        &["lock", "--group", "家长组", "--reason", "公布"],
        &["demo"],
    ];
    for args in commands {
        let out = run_into_closed_pipe(&w, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "jury {args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "jury {args:?}: {stderr}");
        assert!(
            out.status.success() || out.status.signal() == Some(13),
            "jury {args:?}: {:?} {stderr}",
            out.status
        );
    }
}

#[test]
fn reasons_are_one_line() {
    let w = Workspace::loaded("competition");
    let before = w.digest();
    for reason in ["第一行\n第二行", "看这里\u{1b}[2J", "a\rb", "tab\there"] {
        let err = w.fails(&["lock", "--group", "教师组", "--reason", reason]);
        assert!(err.contains("the reason must be one line"), "{reason:?}: {err}");
        let err = w.fails(&["reopen", "PW01", "JS001", "--round", "lesson", "--reason", reason]);
        assert!(err.contains("the reason must be one line"), "{reason:?}: {err}");
        let err = w.fails(&["conflict", "add", "PW01", "JS002", "--reason", reason]);
        assert!(err.contains("the reason must be one line"), "{reason:?}: {err}");
    }
    assert_eq!(before, w.digest());
    let err = w.fails(&["lock", "--group", "教师组", "--reason", "a\u{1b}b"]);
    assert!(err.contains("U+001B") && !err.contains('\u{1b}'), "{err}");
    w.ok(&["lock", "--group", "教师组", "--reason", "结果已公布"]);
    let err = w.fails(&["unlock", "--group", "教师组", "--reason", "更正\n录入"]);
    assert!(err.contains("the reason must be one line"), "{err}");
}

#[test]
fn audit_log_escapes_control_characters() {
    let w = Workspace::loaded("competition");
    // A row jury would never write (an unknown action, control characters), put in beside it:
    // `audit log` prints whatever the trail holds, escaped.
    let other = rusqlite::Connection::open(&w.db).unwrap();
    other
        .execute(
            "INSERT INTO audit(seq, at, actor, action, entry, judge, detail, old_value, new_value, reason, prev_hash, hash)
             SELECT MAX(seq) + 1, 'now', 'cli', 'note', 'JS001', NULL, ?1, NULL, 'x\ty', '', '', '' FROM audit",
            ["清屏\u{1b}[2J\n伪造 #99 行\u{202E}"],
        )
        .unwrap();
    drop(other);
    let log = w.ok(&["audit", "log"]);
    let line = log.lines().find(|l| l.contains(" note ")).expect("the note row");
    assert!(line.contains("清屏\\u{1b}[2J\\n伪造 #99 行\\u{202e}"), "{line}");
    assert!(line.contains("x\\ty"), "{line}");
    assert!(
        !log.contains('\u{1b}') && !log.contains('\u{202E}') && !log.contains('\t'),
        "{log}"
    );
}

#[test]
fn a_judges_write_under_another_writers_lock_is_refused_as_busy_and_stores_nothing() {
    use jury::app::judging::{JudgeSession, Refusal};
    let dir = tempfile::tempdir().unwrap();
    let path = jury::app::demo::create_demo_workspace(dir.path()).unwrap();
    let store = jury::store::Store::open(&path).unwrap();
    let session = JudgeSession::trusted(&store, jury::app::demo::DEMO_JUDGE).unwrap();
    session.set_write_wait(std::time::Duration::from_millis(300));
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let err = session.set_score("JS001", "lesson", "content", "25").unwrap_err();
    assert_eq!(err.refusal(), Some(&Refusal::Busy));
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let err = session.submit("JS001", "lesson").unwrap_err();
    assert_eq!(err.refusal(), Some(&Refusal::Busy));
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(
        store
            .score(jury::app::demo::DEMO_JUDGE, "JS001", "lesson", "content")
            .unwrap(),
        None
    );
    session.set_score("JS001", "lesson", "content", "25").unwrap();
    // The organiser's command line says it waits, waits, and goes on once the lock is free.
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(2500));
        other.execute_batch("ROLLBACK").unwrap();
    });
    let out = std::process::Command::new(common::BIN)
        .arg("--db")
        .arg(&path)
        .args(["lock", "--group", "教师组", "--reason", "公布"])
        .output()
        .unwrap();
    release.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("waiting: another jury process is writing to"),
        "{stderr}"
    );
    assert!(!stderr.contains("database is locked"), "{stderr}");
}

#[test]
fn a_writer_holding_the_lock_too_long_is_explained_not_database_is_locked() {
    let w = Workspace::loaded("competition");
    let other = rusqlite::Connection::open(&w.db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = w.fails(&["lock", "--group", "教师组", "--reason", "公布"]);
    assert!(!err.contains("database is locked"), "{err}");
    assert!(err.contains("another jury process is writing to"), "{err}");
    assert!(err.contains("kill -CONT"), "{err}");
    other.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn unlock_help_speaks_of_unlocking() {
    let w = Workspace::new();
    let help = w.ok(&["unlock", "--help"]);
    assert!(!help.contains("The group to lock"), "{help}");
    assert!(help.contains("The group to unlock"), "{help}");
    assert!(help.contains("The round to unlock"), "{help}");
}

/// Run jury as the unprivileged user `nobody` (the tests may run as root, who may write anywhere).
fn run_as_nobody(w: &Workspace, args: &[&str]) -> std::process::Output {
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", common::BIN, "--db"])
        .arg(&w.db)
        .args(args)
        .env_remove("JURY_DB")
        .output()
        .expect("setpriv (util-linux)")
}

#[test]
fn a_folder_or_file_that_cannot_be_written_is_named_and_no_backup_is_suggested() {
    use std::os::unix::fs::PermissionsExt;
    let w = Workspace::loaded("competition");
    let folder = w.dir.path();
    let set =
        |p: &std::path::Path, mode: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    for f in std::fs::read_dir(folder).unwrap() {
        set(&f.unwrap().path(), 0o666);
    }
    // The folder is not writable: SQLite cannot make the -wal and -shm files next to the workspace.
    let _ = std::fs::remove_file(w.path("contest.jury-wal"));
    let _ = std::fs::remove_file(w.path("contest.jury-shm"));
    set(folder, 0o555);
    let out = run_as_nobody(&w, &["lock", "--reason", "公布"]);
    set(folder, 0o777);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!("the folder {} is not writable", folder.display())),
        "{err}"
    );
    assert!(!err.contains("backup"), "{err}");
    // The workspace file is read-only.
    set(&w.db, 0o444);
    let out = run_as_nobody(&w, &["lock", "--reason", "公布"]);
    set(&w.db, 0o666);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!("the workspace {} is read-only", w.db.display())),
        "{err}"
    );
    assert!(!err.contains("backup"), "{err}");
}

#[test]
fn an_entries_import_checks_its_file_before_it_waits_for_the_write_lock() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let all = std::fs::read_to_string(fixture("cases.csv")).unwrap();
    // A problem in the last row: found by reading and checking alone.
    let bad = w.path("bad.csv");
    let mut lines: Vec<String> = all.lines().map(str::to_string).collect();
    let last = lines.len() - 1;
    let first_id = lines[1].split(',').next().unwrap().to_string();
    let fields: Vec<&str> = lines[last].splitn(2, ',').collect();
    lines[last] = format!("{first_id},{}", fields[1]);
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let other = rusqlite::Connection::open(&w.db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    for file in [bad.clone(), bad.with_extension("json")] {
        if file.extension().is_some_and(|e| e == "json") {
            // The same rows as JSON go through the whole-table path.
            let t = jury::import::read_table(&bad, None).unwrap();
            let rows: Vec<serde_json::Value> = t
                .rows
                .iter()
                .map(|r| {
                    let mut o = serde_json::Map::new();
                    for (h, c) in t.headers.iter().zip(&r.cells) {
                        o.insert(h.clone(), serde_json::Value::String(c.clone()));
                    }
                    serde_json::Value::Object(o)
                })
                .collect();
            std::fs::write(&file, serde_json::to_string(&rows).unwrap()).unwrap();
        }
        let err = w.fails(&["import", "entries", file.to_str().unwrap()]);
        assert!(err.contains("appears twice"), "{err}");
        assert!(!err.contains("another jury process"), "{err}");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "refused without waiting for the lock: {:?}",
        started.elapsed()
    );
    // A good file waits for the lock (saying so) and is written once it is free.
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(2000));
        other.execute_batch("ROLLBACK").unwrap();
    });
    let out = w.run(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    release.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("waiting: another jury process"), "{stderr}");
    assert!(
        !stderr.contains("stays locked"),
        "a small file is not streamed under the lock: {stderr}"
    );
    let store = jury::store::Store::open(&w.db).unwrap();
    assert_eq!(store.entries().unwrap().len(), 160);
}

#[test]
fn a_scores_import_checks_its_file_before_it_waits_for_the_write_lock() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let all = std::fs::read_to_string(fixture("scores-competition.csv")).unwrap();
    // A problem in the last row, found only by checking against the rubric.
    let bad = w.path("bad.csv");
    let mut lines: Vec<String> = all.lines().map(str::to_string).collect();
    let last = lines.len() - 1;
    let (head, _) = lines[last].rsplit_once(',').unwrap();
    lines[last] = format!("{head},99");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let other = rusqlite::Connection::open(&w.db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let err = w.fails(&["import", "scores", bad.to_str().unwrap()]);
    let waited = started.elapsed();
    assert!(
        err.contains(&format!(
            "row {}, column E (score): the score 99 is above the maximum",
            last + 1
        )),
        "{err}"
    );
    assert!(!err.contains("another jury process"), "{err}");
    assert!(
        waited < std::time::Duration::from_secs(8),
        "refused without waiting for the lock: {waited:?}"
    );
    // A good file waits for the lock (saying so) and is written once it is free.
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(2000));
        other.execute_batch("ROLLBACK").unwrap();
    });
    let out = w.run(&["import", "scores", fixture("scores-competition.csv").to_str().unwrap()]);
    release.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("waiting: another jury process"), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Imported 2520 scores"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn groups_are_compared_in_nfkc_and_stored_as_the_rubric_spells_them() {
    let w = Workspace::new();
    let rubric = w.path("r.toml");
    std::fs::write(
        &rubric,
        "name = \"T\"\nkind = \"competition\"\ngroups = [\"A组\", \"B组\"]\nmin_judges = 1\n\n[[round]]\nid = \"r1\"\nname = \"一\"\nweight = 1\n\n[[round.criterion]]\nid = \"c\"\nname = \"甲\"\nmax = 10\n",
    )
    .unwrap();
    w.ok(&["init", "--rubric", rubric.to_str().unwrap()]);
    let entries = w.path("e.csv");
    // A full-width Ａ (U+FF21) from a Chinese input method.
    std::fs::write(&entries, "id,title,group\nE1,题目,Ａ组\nE2,题目二,B组\n").unwrap();
    w.ok(&["import", "entries", entries.to_str().unwrap()]);
    let store = jury::store::Store::open(&w.db).unwrap();
    assert_eq!(store.entry("E1").unwrap().unwrap().group.as_deref(), Some("A组"));
    assert_eq!(store.entry("E2").unwrap().unwrap().group.as_deref(), Some("B组"));
}
