//! End to end, corrections in the organiser's console (issue 16): in a tmux window, `w` on the
//! live tally withdraws the chosen entry after a reason, and `x` on the progress screen removes the
//! chosen judge, who can then no longer log in on the judges' screen. What the console did is what
//! `jury tally` and the audit trail show.
//!
//! Its own tmux server (`-L`), killed at the end. tmux is required.

mod common;

use common::Workspace;
use common::tmux::Tmux;

const PASS: &str = "organiser-pass-42";

#[test]
fn the_console_withdraws_an_entry_and_removes_a_judge_who_then_cannot_log_in() {
    let w = Workspace::loaded("competition");
    let store = jury::app::Store::open(&w.db).unwrap();
    jury::app::organiser::set_organiser_pass(&store, &jury::store::Actor::Cli, PASS).unwrap();
    drop(store);
    let w = w.with_organiser_pass(PASS);
    let t = Tmux::new("corrections");
    t.start("organiser", &w.db, &["--organiser"]);
    t.wait_for("organiser", "passphrase", 10);
    t.type_text("organiser", PASS);
    t.keys("organiser", &["Enter"]);
    t.wait_for("organiser", "JS001", 10);

    // The live tally: the first row is the group's best; w, a reason, Enter.
    t.keys("organiser", &["2"]);
    t.wait_for("organiser", "w withdraw", 5);
    let tally = w.tally_json();
    let first = tally["groups"][0]["entries"][0]["id"].as_str().unwrap().to_string();
    t.keys("organiser", &["w"]);
    t.wait_for("organiser", "Withdraw an entry", 5);
    t.type_text("organiser", "选手弃权");
    t.keys("organiser", &["Enter"]);
    t.wait_for("organiser", &format!("{first} is withdrawn (audited)"), 5);
    t.wait_for("organiser", "Withdrawn: 1", 5);
    let tally = w.tally_json();
    assert_eq!(tally["withdrawn"][0]["id"], first.as_str());
    assert_eq!(tally["withdrawn"][0]["reason"], "选手弃权");

    // The progress screen: the first judge column; x, a reason, Enter.
    t.keys("organiser", &["1"]);
    t.wait_for("organiser", "x remove", 5);
    t.keys("organiser", &["x"]);
    t.wait_for("organiser", "Remove a judge", 5);
    t.type_text("organiser", "评委因病缺席");
    t.keys("organiser", &["Enter"]);
    let shown = t.wait_for("organiser", "is removed (audited)", 5);
    let removed = ["PW01", "PW02", "PW03", "PW04", "PW05", "PW06", "PW07", "PW08", "PW09"]
        .into_iter()
        .find(|j| shown.contains(&format!("{j} is removed")))
        .unwrap_or_else(|| panic!("which judge? {shown}"));
    let log = w.ok(&["audit", "log", "--judge", removed]);
    assert!(log.contains("judge-remove") && log.contains("评委因病缺席"), "{log}");
    w.ok(&["audit", "verify"]);

    // That judge's PIN no longer opens the judges' screen.
    let pin = std::fs::read_to_string(common::fixture("judges.csv"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with(&format!("{removed},")))
        .and_then(|l| l.rsplit(',').next().map(str::to_string))
        .unwrap();
    t.start("judge", &w.db, &["--judge", removed]);
    t.wait_for("judge", "PIN", 10);
    t.type_text("judge", &pin);
    t.keys("judge", &["Enter"]);
    t.wait_for("judge", "removed from the contest", 5);
}
