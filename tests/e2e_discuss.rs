//! End to end: discussion after scoring on two judges' screens in tmux. The judge who submitted
//! JS003's first round sees the panel's marks with F7; the judge who has not sees nothing of them.

mod common;

use common::tmux::Tmux;
use common::{Workspace, fixture};

fn workspace() -> Workspace {
    let w = Workspace::new();
    let template = w.ok(&["rubric", "--template", "competition"]);
    let file = w.path("rubric.toml");
    std::fs::write(&file, format!("discussion = \"named\"\n{template}")).unwrap();
    w.ok(&["init", "--rubric", file.to_str().unwrap()]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let all = std::fs::read_to_string(fixture("scores-competition.csv")).unwrap();
    let kept: Vec<&str> = all
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || !(l.starts_with("PW06,") || l.starts_with("PW07,")))
        .map(|(_, l)| l)
        .collect();
    let scores = w.path("scores.csv");
    std::fs::write(&scores, kept.join("\n")).unwrap();
    w.ok(&["import", "scores", scores.to_str().unwrap()]);
    w.ok(&["discuss", "open", "JS003"]);
    w
}

/// Log in and open 廖伟宇 (JS003), found by pinyin initials.
fn open_js003(t: &Tmux, win: &str, pin: &str) {
    t.wait_for(win, "PIN", 10);
    t.type_text(win, pin);
    t.keys(win, &["Enter"]);
    t.wait_for(win, "JS001", 10);
    t.keys(win, &["/"]);
    t.type_text(win, "lwy");
    t.wait_for(win, "JS003", 5);
    t.keys(win, &["Enter"]);
    t.wait_for(win, "内容设计", 5);
}

#[test]
fn the_judge_who_submitted_sees_the_panel_and_the_other_sees_nothing() {
    let w = workspace();
    let t = Tmux::new("discuss");
    t.start("pw06", &w.db, &["--judge", "PW06"]);
    t.start("pw07", &w.db, &["--judge", "PW07"]);
    // PW06's PIN is 4715, PW07's 3649 (fixtures/judges.csv).
    open_js003(&t, "pw06", "4715");
    open_js003(&t, "pw07", "3649");
    // Before submitting, F7 shows nothing.
    t.keys("pw06", &["F7"]);
    let s = t.wait_for("pw06", "F7 shows the panel's marks of an entry you submitted", 5);
    assert!(!s.contains("PW01"), "{s}");
    for v in ["21.5", "22", "13.5", "14"] {
        t.type_text("pw06", v);
        t.keys("pw06", &["Enter"]);
    }
    t.keys("pw06", &["F10"]);
    t.wait_for("pw06", "y / Enter submit", 5);
    t.keys("pw06", &["y"]);
    t.wait_for("pw06", "submitted (read-only)", 5);
    t.keys("pw06", &["F7"]);
    let s = t.wait_for("pw06", "The panel's marks (discussion) JS003", 5);
    assert!(s.contains("PW01") && s.contains("PW05"), "{s}");
    assert!(s.contains("PW06 (you)"), "{s}");
    assert!(s.contains("71"), "PW06's own total: {s}");
    // PW07 has submitted nothing of JS003: nothing of the panel.
    t.keys("pw07", &["F7"]);
    let s = t.wait_for("pw07", "F7 shows the panel's marks of an entry you submitted", 5);
    assert!(!s.contains("PW01") && !s.contains("discussion) JS003"), "{s}");
    t.keys("pw06", &["Escape"]);
}
