//! End to end: the projector over ssh shows a contestant put on stage by `jury stage set` in
//! another terminal, with no key pressed, while `jury serve` carries the command out.

#![cfg(unix)]

mod common;

use common::tmux::{Tmux, free_port, window};
use common::{BIN, Workspace, fixture};

const PASS: &str = "room-pass-1";

#[test]
fn the_projector_shows_a_contestant_put_on_stage_from_another_terminal_without_a_key() {
    let w = Workspace::new().with_organiser_pass(PASS);
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let t = Tmux::new("serve-socket");
    let port = free_port();
    window(
        &t,
        "server",
        &format!(
            "env JURY_ORGANISER_PASS='{PASS}' {BIN} --db '{}' serve --listen 127.0.0.1:{port}",
            w.db.display()
        ),
    );
    let banner = t.wait_for("server", "projector code ", 20);
    let at = banner.find("projector code ").unwrap() + "projector code ".len();
    let code = banner[at..at + 6].to_string();

    window(
        &t,
        "show",
        &format!(
            "ssh -p {port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
             -o PubkeyAuthentication=no -o PreferredAuthentications=password show@127.0.0.1"
        ),
    );
    t.wait_for("show", "assword", 10);
    t.type_text("show", &code);
    t.keys("show", &["Enter"]);
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(!t.screen("show").contains("廖伟宇"), "{}", t.screen("show"));

    // In another terminal: carried out by the server (the audit row says so), shown at once.
    let out = w.ok(&["stage", "set", "JS003"]);
    assert!(out.starts_with("On stage: 教师组 JS003 廖伟宇"), "{out}");
    t.wait_for("show", "廖伟宇", 5);
    let log = w.ok(&["audit", "log"]);
    assert!(
        log.lines()
            .last()
            .is_some_and(|l| l.split(' ').nth(2) == Some("cli@local")),
        "{log}"
    );
}
