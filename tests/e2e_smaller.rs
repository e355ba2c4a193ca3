//! End to end on a terminal (tmux): `jury lock` asks before locking entries still being scored,
//! here and, under `jury serve`, before the lock is sent to the server; `jury passwd --organiser`
//! asks again after a too short passphrase or two that differ.

#![cfg(unix)]

mod common;

use common::tmux::{Tmux, free_port, window};
use common::{BIN, Workspace, fixture};

const PASS: &str = "room-pass-1";

fn unscored() -> Workspace {
    let w = Workspace::new().with_organiser_pass(PASS);
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w
}

fn locks(w: &Workspace) -> usize {
    w.ok(&["audit", "log"]).lines().filter(|l| l.contains(" lock ")).count()
}

#[test]
fn lock_asks_on_a_terminal_and_no_leaves_it_unlocked() {
    let w = unscored();
    let t = Tmux::new("smaller-lock");
    let line = format!(
        "env JURY_ORGANISER_PASS='{PASS}' {BIN} --db '{}' lock --group 教师组 --reason 结果已核对; echo EXIT=$?; sleep 30",
        w.db.display()
    );
    window(&t, "no", &line);
    let s = t.wait_for("no", "Lock anyway?", 20);
    assert!(
        s.contains("Warning: 教师组 / every still has 12 entries with sheets to come"),
        "{s}"
    );
    assert!(s.contains("JS001  教师组 / 现场说课: PW"), "{s}");
    t.type_text("no", "n");
    t.keys("no", &["Enter"]);
    let s = t.wait_for("no", "EXIT=", 10);
    assert!(
        s.contains("not locked; nothing was changed") && s.contains("EXIT=1"),
        "{s}"
    );
    assert_eq!(locks(&w), 0);

    window(&t, "yes", &line);
    t.wait_for("yes", "Lock anyway?", 20);
    t.type_text("yes", "y");
    t.keys("yes", &["Enter"]);
    let s = t.wait_for("yes", "EXIT=", 10);
    assert!(s.contains("Locked 教师组 / *") && s.contains("EXIT=0"), "{s}");
    assert_eq!(locks(&w), 1);
}

#[test]
fn under_serve_the_lock_is_asked_here_then_carried_out_by_the_server() {
    let w = unscored();
    let t = Tmux::new("smaller-serve-lock");
    let port = free_port();
    window(
        &t,
        "server",
        &format!(
            "env JURY_ORGANISER_PASS='{PASS}' {BIN} --db '{}' serve --listen 127.0.0.1:{port}",
            w.db.display()
        ),
    );
    t.wait_for("server", "projector code ", 20);
    window(
        &t,
        "client",
        &format!(
            "env JURY_ORGANISER_PASS='{PASS}' {BIN} --db '{}' lock --group 家长组 --round lesson --reason 结果已核对; echo EXIT=$?; sleep 30",
            w.db.display()
        ),
    );
    let s = t.wait_for("client", "Lock anyway?", 20);
    assert!(s.contains("Warning: 家长组 / 现场说课 still has"), "{s}");
    t.type_text("client", "y");
    t.keys("client", &["Enter"]);
    let s = t.wait_for("client", "EXIT=", 10);
    assert!(s.contains("Locked 家长组 / 现场说课") && s.contains("EXIT=0"), "{s}");
    // Carried out by the server (the audit row says so), which asked nothing itself.
    let log = w.ok(&["audit", "log"]);
    let last = log.lines().last().unwrap_or_default();
    assert!(
        last.contains(" lock ") && last.split(' ').nth(2) == Some("cli@local"),
        "{log}"
    );
    assert!(!t.screen("server").contains("Warning:"), "{}", t.screen("server"));
}

#[test]
fn passwd_asks_again_after_a_short_passphrase_and_a_mismatch() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    let t = Tmux::new("smaller-passwd");
    t.start("passwd", &w.db, &["passwd", "--organiser"]);
    t.wait_for("passwd", "New organiser passphrase:", 20);
    t.type_text("passwd", "abc");
    t.keys("passwd", &["Enter"]);
    t.wait_for("passwd", "at least 6 characters; type another (2 tries left)", 10);
    t.type_text("passwd", "kaimen-2026");
    t.keys("passwd", &["Enter"]);
    t.wait_for("passwd", "Repeat it:", 10);
    t.type_text("passwd", "kaimen-2027");
    t.keys("passwd", &["Enter"]);
    t.wait_for("passwd", "differ; type them again (1 tries left)", 10);
    for _ in 0..2 {
        t.type_text("passwd", "kaimen-2026");
        t.keys("passwd", &["Enter"]);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    t.wait_for("passwd", "The organiser passphrase is set.", 10);
    // The one typed twice is the one set.
    let out = w.run_with(&["lock", "--reason", "x"], &[("JURY_ORGANISER_PASS", "kaimen-2026")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
