//! Organiser authority outside the console (issue 14): once an organiser passphrase is set, every
//! command but the room's read-only ones and the judges' screen needs it, refuses without it and
//! changes nothing; the library's rate limit holds across processes; `passwd --organiser` needs
//! the current passphrase, or the workspace file's owner for `--reset`; the ids `organiser` and
//! `show` are reserved.

mod common;

use std::path::PathBuf;

use common::{Workspace, euid, fixture, refused_in};

const PASS: &str = "kaimen-2026";

/// Set the organiser passphrase through the library, as `jury init --organiser-pass` does.
fn set_pass(w: &Workspace, pass: &str) {
    let store = jury::app::Store::open(&w.db).unwrap();
    jury::app::organiser::set_organiser_pass(&store, &jury::store::Actor::Cli, pass).unwrap();
}

fn verifies(w: &Workspace, pass: &str) -> bool {
    let store = jury::app::Store::open(&w.db).unwrap();
    jury::app::organiser::verify_organiser(&store, pass).unwrap()
}

/// The competition fixture with every score but PW07's on 教师组, 社会工作者组 locked, and an
/// organiser passphrase; returns the file with PW07's 教师组 scores, still to import.
fn guarded() -> (Workspace, PathBuf) {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let teachers: Vec<String> = std::fs::read_to_string(fixture("contestants.csv"))
        .unwrap()
        .lines()
        .filter(|l| l.split(',').nth(2) == Some("教师组"))
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let all = std::fs::read_to_string(fixture("scores-competition.csv")).unwrap();
    let header = all.lines().next().unwrap();
    let (mut pw07, mut others) = (vec![header], vec![header]);
    for line in all.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[0] == "PW07" && teachers.iter().any(|t| t == f[1]) {
            pw07.push(line);
        } else {
            others.push(line);
        }
    }
    assert!(pw07.len() > 1, "PW07 scores 教师组 in the fixture");
    let (rest, later) = (w.path("others.csv"), w.path("pw07.csv"));
    std::fs::write(&rest, others.join("\n")).unwrap();
    std::fs::write(&later, pw07.join("\n")).unwrap();
    w.ok(&["import", "scores", rest.to_str().unwrap()]);
    w.ok(&["lock", "--group", "社会工作者组", "--reason", "结果已公布"]);
    set_pass(&w, PASS);
    (w, later)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn without_the_passphrase_organiser_commands_are_refused_and_change_nothing() {
    let (w, pw07) = guarded();
    let pw07 = pw07.to_str().unwrap().to_string();
    let commands: [(&str, Vec<&str>); 4] = [
        (
            "unlock",
            vec!["unlock", "--group", "社会工作者组", "--reason", "成绩复核"],
        ),
        (
            "reopen",
            vec!["reopen", "PW01", "JS001", "--round", "lesson", "--reason", "评委误填"],
        ),
        ("import scores", vec!["import", "scores", &pw07]),
        ("stage next", vec!["stage", "next"]),
    ];
    for (name, args) in &commands {
        let before = w.digest();
        let out = w.run(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "jury {name} is refused: {err}");
        assert!(
            err.contains(&format!("`jury {name}` needs the organiser passphrase")),
            "{err}"
        );
        assert!(
            err.contains("JURY_ORGANISER_PASS") && err.contains("--organiser-pass"),
            "{err}"
        );
        assert!(err.contains("Nothing was changed"), "{err}");
        assert_eq!(before, w.digest(), "jury {name} changed the workspace");
    }
    // With the passphrase in the environment each one works.
    let w = w.with_organiser_pass(PASS);
    for (name, args) in &commands {
        let before = w.digest();
        w.ok(args);
        assert_ne!(before, w.digest(), "jury {name} did its work");
    }
    let log = w.ok(&["audit", "log"]);
    assert!(log.contains("unlock") && log.contains("成绩复核"), "{log}");
    assert!(log.contains("reopen entry=JS001 judge=PW01"), "{log}");
    let stage = w.ok(&["stage", "show"]);
    assert!(stage.contains("On stage: 教师组 JS001"), "{stage}");
    // The flag works as the variable does.
    let v = Workspace {
        organiser_pass: None,
        ..w
    };
    let out = v.ok(&["--organiser-pass", PASS, "stage", "show"]);
    assert!(out.contains("On stage: 教师组 JS001"), "{out}");
}

#[test]
fn reading_commands_need_it_too_but_not_the_rooms_own() {
    let (w, _) = guarded();
    for args in [
        vec!["tally"],
        vec!["audit", "log"],
        vec!["rubric"],
        vec!["export", "results", "--format", "csv", "--out", "r.csv"],
    ] {
        let err = w.fails(&args);
        assert!(err.contains("needs the organiser passphrase"), "{args:?}: {err}");
    }
    // A printout's fingerprint, made by the organiser ...
    let out = w.path("results.html");
    let stdout = w.run_with(
        &["export", "results", "--format", "html", "--out", out.to_str().unwrap()],
        &[("JURY_ORGANISER_PASS", PASS)],
    );
    assert!(stdout.status.success(), "{}", stderr(&stdout));
    let stdout = String::from_utf8(stdout.stdout).unwrap();
    let fingerprint = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Fingerprint: "))
        .expect("the export reports a fingerprint")
        .trim()
        .to_string();
    // ... is checked by anyone, and so are find, a template, and the projector.
    let checked = w.ok(&["verify-print", &fingerprint]);
    assert!(checked.starts_with("MATCH: "), "{checked}");
    let found = w.ok(&["find", "家访"]);
    assert!(found.starts_with("JS001\t"), "{found}");
    let template = w.ok(&["rubric", "--template", "cases"]);
    assert!(template.contains("[["), "{template}");
    let show = w.run(&["show"]);
    assert!(
        !stderr(&show).contains("organiser passphrase"),
        "the projector asks for none: {}",
        stderr(&show)
    );
}

#[test]
fn three_wrong_passphrases_pause_even_the_right_one() {
    let (w, _) = guarded();
    let with = |pass: &str| w.run_with(&["tally"], &[("JURY_ORGANISER_PASS", pass)]);
    assert!(with(PASS).status.success());
    for left in ["2 more tries", "1 more try", "refused for the next 30 s"] {
        let out = with("not-the-pass");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("`jury tally`: wrong organiser passphrase"), "{err}");
        assert!(err.contains(left), "{left}: {err}");
    }
    let out = with(PASS);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the right one is refused in the pause: {err}"
    );
    assert!(err.contains("even the right one"), "{err}");
    assert!(err.contains("three wrong organiser passphrases"), "{err}");
    assert!(out.stdout.is_empty(), "no tally during the pause");
}

#[test]
fn passwd_needs_the_current_passphrase_or_the_files_owner() {
    let (w, _) = guarded();
    // Without the current one: refused, the passphrase unchanged.
    let out = w.run_with(
        &["passwd", "--organiser"],
        &[("JURY_NEW_ORGANISER_PASS", "new-pass-2027")],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("`jury passwd` needs the organiser passphrase"), "{err}");
    // `--pass` is gone: clap refuses it, with a hint, without echoing it.
    let out = w.run(&["passwd", "--organiser", "--pass", "secret-given"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("JURY_NEW_ORGANISER_PASS"), "{err}");
    assert!(!err.contains("secret-given"), "{err}");
    let out = w.run(&["passwd", "--organiser", "--pass"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`jury passwd --pass` is gone"),
        "{}",
        stderr(&out)
    );
    assert!(verifies(&w, PASS));
    // With the current one and the new one in the environment: changed.
    let out = w.run_with(
        &["passwd", "--organiser"],
        &[
            ("JURY_ORGANISER_PASS", PASS),
            ("JURY_NEW_ORGANISER_PASS", "new-pass-2027"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(verifies(&w, "new-pass-2027"));
    assert!(!verifies(&w, PASS));
    // No new one and no terminal: refused, saying where to give it.
    let out = w.run_with(&["passwd", "--organiser"], &[("JURY_ORGANISER_PASS", "new-pass-2027")]);
    assert!(
        stderr(&out).contains("no terminal to ask on") && stderr(&out).contains("JURY_NEW_ORGANISER_PASS"),
        "{}",
        stderr(&out)
    );
    // Forgotten: the owner of the workspace file (this test) resets it without the current one.
    let out = w.run_with(
        &["passwd", "--organiser", "--reset"],
        &[("JURY_NEW_ORGANISER_PASS", "fresh-start-1")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(verifies(&w, "fresh-start-1"));
    let log = w.with_organiser_pass("fresh-start-1").ok(&["audit", "log"]);
    let reset = log
        .lines()
        .find(|l| l.contains("organiser-passphrase-reset"))
        .unwrap_or_else(|| panic!("the reset is in the audit trail:\n{log}"));
    assert!(reset.contains("owner of the workspace file"), "{reset}");
}

#[test]
fn import_judges_refuses_the_reserved_ids() {
    let w = Workspace::loaded("competition");
    let header = "id,name,organization,county,pin\n";
    for id in ["Organiser", "SHOW"] {
        let content = format!("{header}PW20,张三,某单位,某县,1234\n{id},李四,某单位,某县,1234\n");
        let err = refused_in(&w, "judges", "reserved.csv", content.as_bytes());
        assert!(err.contains("row 3, column A (id)"), "{err}");
        assert!(err.contains(&format!("\"{id}\" is reserved")), "{err}");
    }
}

#[test]
fn judge_ids_are_matched_without_regard_to_case() {
    let w = Workspace::loaded("competition");
    // At login: pw01 is PW01 (fixtures/judges.csv: PIN 5175), and the session is PW01's.
    let store = jury::app::Store::open(&w.db).unwrap();
    let session = jury::app::judging::JudgeSession::login(&store, "pw01", "5175").unwrap();
    assert_eq!(session.judge().id, "PW01");
    assert!(jury::app::judging::JudgeSession::login(&store, "pw01", "0000").is_err());
    drop(session);
    // So an import cannot add an id that differs from another only in case.
    let header = "id,name,organization,county,pin\n";
    let err = refused_in(
        &w,
        "judges",
        "case.csv",
        format!("{header}pw01,张三,某单位,某县,1234\n").as_bytes(),
    );
    assert!(err.contains("row 2, column A (id)"), "{err}");
    assert!(err.contains("\"PW01\""), "{err}");
    let err = refused_in(
        &w,
        "judges",
        "case2.csv",
        format!("{header}PW20,张三,某单位,某县,1234\npw20,李四,某单位,某县,1234\n").as_bytes(),
    );
    assert!(err.contains("row 3, column A (id)"), "{err}");
    assert!(err.contains("row 2"), "{err}");
}

/// `passwd --organiser --reset` by another account than the workspace file's owner: refused, the
/// passphrase unchanged. Run as `nobody` (the tests run as root here, who owns the file).
#[test]
fn a_reset_by_another_account_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let (w, _) = guarded();
    if euid() != 0 {
        eprintln!("skipped: needs to run as root, to run jury as nobody");
        return;
    }
    let set = |p: &std::path::Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    set(w.dir.path(), 0o777);
    for name in ["contest.jury", "contest.jury-wal", "contest.jury-shm"] {
        if w.path(name).exists() {
            set(&w.path(name), 0o666);
        }
    }
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", common::BIN, "--db"])
        .arg(&w.db)
        .args(["passwd", "--organiser", "--reset"])
        .env_remove("JURY_DB")
        .env_remove("JURY_ORGANISER_PASS")
        .env("JURY_NEW_ORGANISER_PASS", "taken-over-1")
        .output()
        .expect("setpriv (util-linux)");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("only the owner of the workspace file") && err.contains("uid 0") && err.contains("uid 65534"),
        "{err}"
    );
    assert!(verifies(&w, PASS));
    assert!(!verifies(&w, "taken-over-1"));
}
