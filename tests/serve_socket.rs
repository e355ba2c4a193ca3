//! While `jury serve` runs, another `jury` process's writing commands on that workspace are carried
//! out by the server through the local socket `<workspace>.sock`; reading commands read the file
//! themselves; once the server stops, every command runs in its own process again.

#![cfg(unix)]

mod common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, Workspace, fixture};

const PASS: &str = "room-pass-1";

/// A competition with its entries and judges, and an organiser passphrase.
fn contest() -> Workspace {
    let w = Workspace::new().with_organiser_pass(PASS);
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w
}

fn socket(w: &Workspace) -> std::path::PathBuf {
    w.path("contest.jury.sock")
}

/// `jury serve` on `w` at a free loopback port; returns once its socket answers.
fn serve(w: &Workspace) -> Child {
    let log = std::fs::File::create(w.path("serve.log")).unwrap();
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(&w.db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("JURY_DB")
        .env("JURY_ORGANISER_PASS", PASS)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::os::unix::net::UnixStream::connect(socket(w)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "jury serve ended ({status}): {}",
                std::fs::read_to_string(w.path("serve.log")).unwrap_or_default()
            );
        }
        assert!(Instant::now() < deadline, "jury serve's socket never answered");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

/// Stop the server as Ctrl-C does, and wait for it.
fn stop(mut child: Child) {
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "jury serve did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `jury ARGS` on `w`, run in the folder `cwd`.
fn run_in(w: &Workspace, cwd: &Path, args: &[&str], pass: &str) -> Output {
    Command::new(BIN)
        .current_dir(cwd)
        .arg("--db")
        .arg(&w.db)
        .args(args)
        .env_remove("JURY_DB")
        .env_remove("JURY_NEW_ORGANISER_PASS")
        .env("JURY_ORGANISER_PASS", pass)
        .env("LANG", "C")
        .output()
        .unwrap()
}

/// The same command on the served workspace and on a twin run locally: the same output, the same
/// exit code. The served run's output.
fn same(served: &Workspace, local: &Workspace, cwd: &Path, args: &[&str], pass: &str) -> Output {
    let s = run_in(served, cwd, args, pass);
    let l = run_in(local, cwd, args, pass);
    let text = |o: &Output| {
        (
            String::from_utf8_lossy(&o.stdout).replace(&*local.db.to_string_lossy(), "DB"),
            String::from_utf8_lossy(&o.stderr).replace(&*local.db.to_string_lossy(), "DB"),
        )
    };
    let served_text = {
        let (out, err) = (
            String::from_utf8_lossy(&s.stdout).replace(&*served.db.to_string_lossy(), "DB"),
            String::from_utf8_lossy(&s.stderr).replace(&*served.db.to_string_lossy(), "DB"),
        );
        (out, err)
    };
    assert_eq!(served_text, text(&l), "jury {args:?}: served and local runs differ");
    assert_eq!(s.status.code(), l.status.code(), "jury {args:?}: {served_text:?}");
    s
}

/// The audit rows written by the server for another process's commands.
fn forwarded_rows(w: &Workspace) -> Vec<String> {
    w.ok(&["audit", "log"])
        .lines()
        .filter(|l| l.split(' ').nth(2) == Some("cli@local"))
        .map(str::to_string)
        .collect()
}

#[test]
fn writing_commands_are_carried_out_by_the_server_with_the_messages_of_a_local_run() {
    let served = contest();
    let local = contest();
    let server = serve(&served);

    // The socket is the owner's only.
    let meta = std::fs::symlink_metadata(socket(&served)).unwrap();
    assert!(meta.file_type().is_socket());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);

    let here = served.dir.path().to_path_buf();
    let next = same(&served, &local, &here, &["stage", "next"], PASS);
    assert!(next.status.success());
    assert!(String::from_utf8_lossy(&next.stdout).starts_with("On stage: "));
    // Carried out by the server: the audit row names the socket, not this process.
    let rows = forwarded_rows(&served);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("stage"), "{rows:?}");
    assert!(forwarded_rows(&local).is_empty());

    // An import named relative to the client's folder: read from there, named as typed.
    let fixtures = fixture("contestants.csv").parent().unwrap().to_path_buf();
    let import = same(
        &served,
        &local,
        &fixtures,
        &["import", "entries", "--update", "contestants.csv"],
        PASS,
    );
    assert!(import.status.success());
    assert!(
        String::from_utf8_lossy(&import.stdout).contains(" from contestants.csv ("),
        "{import:?}"
    );
    // Its audit rows name the socket's client, as every forwarded write does.
    let rows = forwarded_rows(&served);
    assert!(
        rows.len() > 1 && rows[1..].iter().all(|r| r.contains("import")),
        "{rows:?}"
    );
    // A refused import: the same message, naming the file as typed.
    let refused = same(&served, &local, &fixtures, &["import", "entries", "no-such.csv"], PASS);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("no-such.csv"),
        "{refused:?}"
    );

    // A wrong organiser passphrase is refused through the socket, as locally, and counted.
    let done_so_far = forwarded_rows(&served).len();
    let wrong = same(&served, &local, &here, &["stage", "next"], "not-the-pass");
    assert_eq!(wrong.status.code(), Some(1));
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        err.contains("`jury stage next`: wrong organiser passphrase (2 more tries"),
        "{err}"
    );
    let again = same(&served, &local, &here, &["stage", "next"], "not-the-pass");
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("(1 more try"),
        "{again:?}"
    );
    assert_eq!(
        forwarded_rows(&served).len(),
        done_so_far,
        "nothing was done on a wrong passphrase"
    );

    let lock = same(&served, &local, &here, &["lock", "--reason", "final"], PASS);
    assert_eq!(
        String::from_utf8_lossy(&lock.stdout),
        "Locked * / *: no further changes until unlocked.\n"
    );
    let rows = forwarded_rows(&served);
    assert!(rows.last().is_some_and(|r| r.contains("lock")), "{rows:?}");

    // Reading commands read the file themselves, and see what the server stored.
    assert_eq!(served.ok(&["tally"]), local.ok(&["tally"]));
    assert_eq!(served.ok(&["stage", "show"]), local.ok(&["stage", "show"]));
    let written = forwarded_rows(&served).len();

    // Stopped: the socket is gone and the commands run in their own process again.
    stop(server);
    assert!(!socket(&served).exists(), "the socket is removed when serve stops");
    same(&served, &local, &here, &["unlock", "--reason", "again"], PASS);
    assert_eq!(forwarded_rows(&served).len(), written, "run locally");
    let log = served.ok(&["audit", "log"]);
    assert!(
        log.lines().last().is_some_and(|l| l.split(' ').nth(2) == Some("cli")),
        "{log}"
    );
}

#[test]
fn a_stale_socket_is_replaced_and_a_second_server_is_refused() {
    let w = contest();
    // A socket file left by a server that was killed: nobody answers on it.
    drop(std::os::unix::net::UnixListener::bind(socket(&w)).unwrap());
    assert!(std::os::unix::net::UnixStream::connect(socket(&w)).is_err());
    let server = serve(&w);
    w.ok(&["stage", "next"]);
    assert_eq!(forwarded_rows(&w).len(), 1);

    let second = Command::new(BIN)
        .arg("--db")
        .arg(&w.db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("JURY_DB")
        .env("JURY_ORGANISER_PASS", PASS)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{err}");
    assert!(err.contains("another jury serve is running on this workspace"), "{err}");
    // The first server still answers.
    w.ok(&["stage", "next"]);
    assert_eq!(forwarded_rows(&w).len(), 2);
    stop(server);
}

#[test]
fn passwd_through_the_socket_takes_both_passphrases_from_the_client() {
    let w = contest();
    let server = serve(&w);
    let out = w.run_with(
        &["passwd", "--organiser"],
        &[("JURY_NEW_ORGANISER_PASS", "new-pass-22")],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "The organiser passphrase is set.\n",
        "{out:?}"
    );
    assert!(out.status.success());
    // The old one is refused now (although the server was started with it), the new one works.
    let old = w.run(&["stage", "next"]);
    assert_eq!(old.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&old.stderr).contains("wrong organiser passphrase"),
        "{old:?}"
    );
    let new = w.run_with(&["stage", "next"], &[("JURY_ORGANISER_PASS", "new-pass-22")]);
    assert!(new.status.success(), "{new:?}");
    let log = w.run_with(&["audit", "log"], &[("JURY_ORGANISER_PASS", "new-pass-22")]);
    let log = String::from_utf8_lossy(&log.stdout);
    let rows: Vec<&str> = log
        .lines()
        .filter(|l| l.split(' ').nth(2) == Some("cli@local"))
        .collect();
    assert_eq!(rows.len(), 2, "{log}");
    stop(server);
}

#[test]
fn import_undo_is_carried_out_by_the_server_and_import_list_reads_the_file() {
    let served = contest();
    let local = contest();
    let server = serve(&served);
    let here = served.dir.path().to_path_buf();
    // Import 2 (the judges): nothing depends on it yet.
    let undo = same(
        &served,
        &local,
        &here,
        &["import", "undo", "2", "--reason", "换名单"],
        PASS,
    );
    assert!(undo.status.success(), "{undo:?}");
    assert!(
        String::from_utf8_lossy(&undo.stdout).starts_with("Import 2 (judges "),
        "{undo:?}"
    );
    let rows = forwarded_rows(&served);
    assert!(rows.iter().any(|r| r.contains("import-undo")), "{rows:?}");
    assert!(forwarded_rows(&local).is_empty());
    // A second undo is refused by the server as it is locally.
    let again = run_in(&served, &here, &["import", "undo", "2", "--reason", "x"], PASS);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("import 2 was undone already"),
        "{again:?}"
    );
    // `import list` is not forwarded: it reads the file, and shows who undid it.
    let list = served.ok(&["import", "list"]);
    assert!(
        list.lines().nth(2).is_some_and(|l| l.contains("by cli@local: 换名单")),
        "{list}"
    );
    stop(server);
}

/// A forwarded command answers in the client's language (its --lang, else its locale), whatever
/// the server's: the server here runs in English.
#[test]
fn a_forwarded_command_answers_in_the_clients_language() {
    let w = contest();
    let server = serve(&w);
    let here = w.dir.path().to_path_buf();
    let in_zh = |args: &[&str], pass: &str| {
        Command::new(BIN)
            .current_dir(&here)
            .arg("--db")
            .arg(&w.db)
            .args(args)
            .env_remove("JURY_DB")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("JURY_ORGANISER_PASS", pass)
            .env("LANG", "zh_CN.UTF-8")
            .output()
            .unwrap()
    };
    let lock = in_zh(&["lock", "--group", "教师组", "--reason", "公示"], PASS);
    assert_eq!(
        String::from_utf8_lossy(&lock.stdout),
        "已锁定 教师组 / *：解锁之前不能再作任何改动。\n",
        "{lock:?}"
    );
    assert!(
        forwarded_rows(&w).last().is_some_and(|r| r.contains("lock")),
        "carried out by the server"
    );
    let refused = in_zh(&["lock", "--group", "无此组", "--reason", "x"], PASS);
    assert!(
        String::from_utf8_lossy(&refused.stderr).starts_with("jury: 没有这个组别：无此组。"),
        "{refused:?}"
    );
    let wrong = in_zh(&["unlock", "--reason", "x"], "not-the-pass");
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("`jury unlock`：组织者口令错误（再错 2 次将暂停"),
        "{wrong:?}"
    );
    // --lang en wins over the client's Chinese locale; --lang zh over an English one.
    let en = in_zh(&["--lang", "en", "unlock", "--group", "教师组", "--reason", "x"], PASS);
    assert_eq!(String::from_utf8_lossy(&en.stdout), "Unlocked 教师组 / *.\n", "{en:?}");
    let zh = run_in(&w, &here, &["--lang", "zh", "lock", "--reason", "y"], PASS);
    assert_eq!(
        String::from_utf8_lossy(&zh.stdout),
        "已锁定 * / *：解锁之前不能再作任何改动。\n",
        "{zh:?}"
    );
    stop(server);
}

/// `--phase` on a forwarded writing command: the server refuses an earlier (locked) phase as a
/// local run does, and carries out the command for the current one.
#[test]
fn a_forwarded_write_into_an_earlier_phase_is_refused_as_locally() {
    let (served, local) = (contest(), contest());
    for w in [&served, &local] {
        w.ok(&["shortlist", "set", "JS001", "JS002", "--status", "入围"]);
        w.ok(&["phase", "start", "决赛", "--take", "入围"]);
    }
    let server = serve(&served);
    let here = served.dir.path().to_path_buf();
    for args in [
        &["shortlist", "set", "JS001", "--status", "入选", "--phase", "初评"][..],
        &["lock", "--phase", "初评", "--reason", "x"],
    ] {
        let refused = same(&served, &local, &here, args, PASS);
        assert_eq!(refused.status.code(), Some(1));
        let err = String::from_utf8_lossy(&refused.stderr);
        assert!(
            err.contains("the phase 初评 is locked (the current phase is 决赛)"),
            "{err}"
        );
    }
    assert!(forwarded_rows(&served).is_empty(), "nothing was written");
    let done = same(
        &served,
        &local,
        &here,
        &["shortlist", "set", "JS001", "--status", "入选", "--phase", "决赛"],
        PASS,
    );
    assert!(done.status.success(), "{done:?}");
    assert_eq!(forwarded_rows(&served).len(), 1);
    stop(server);
}
