//! End to end: the real binary driven in tmux, as a judge would use it.
//!
//! The tmux harness is in tests/common/tmux.rs.

mod common;

use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::{judge_total, workspace_without};

/// Log in, find the contestant 廖伟宇 (JS003) by pinyin initials, score the first round, submit.
fn score_one_round(t: &Tmux, win: &str, pin: &str, values: &[&str]) {
    t.wait_for(win, "PIN", 10);
    t.type_text(win, pin);
    t.keys(win, &["Enter"]);
    t.wait_for(win, "JS001", 10);
    t.keys(win, &["/"]);
    t.type_text(win, "lwy");
    t.wait_for(win, "JS003", 5);
    t.keys(win, &["Enter"]);
    t.wait_for(win, "内容设计", 5);
    for v in values {
        t.type_text(win, v);
        t.keys(win, &["Enter"]);
    }
    t.keys(win, &["F10"]);
    t.wait_for(win, "y / Enter submit", 5);
    t.keys(win, &["y"]);
}

#[test]
fn a_judge_logs_in_finds_by_pinyin_scores_a_round_and_submits() {
    let w = workspace_without(&["PW07"]);
    assert_eq!(judge_total(&w, "JS003", "lesson", "PW07"), None);
    let t = Tmux::new("one");
    t.start("pw07", &w.db, &["--judge", "PW07"]);
    score_one_round(&t, "pw07", "3649", &["25", "26.5", "17", "18"]);
    t.wait_for("pw07", "submitted (read-only)", 5);
    t.wait_for("pw07", "submitted 1/108", 5);
    t.keys("pw07", &["Escape"]);
    t.keys("pw07", &["q"]);
    let start = Instant::now();
    while !t.dead("pw07") && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(t.dead("pw07"), "jury did not quit:\n{}", t.screen("pw07"));
    assert_eq!(judge_total(&w, "JS003", "lesson", "PW07").as_deref(), Some("86.5"));
}

#[test]
fn two_judges_at_once_both_stored_neither_sees_the_other() {
    let w = workspace_without(&["PW06", "PW07"]);
    let t = Tmux::new("two");
    t.start("pw06", &w.db, &["--judge", "PW06"]);
    t.start("pw07", &w.db, &["--judge", "PW07"]);
    // PW06's PIN is 4715, PW07's 3649 (fixtures/judges.csv).
    score_one_round(&t, "pw06", "4715", &["21.5", "22", "13.5", "14"]);
    score_one_round(&t, "pw07", "3649", &["28", "27", "19", "19.5"]);
    t.wait_for("pw06", "submitted (read-only)", 5);
    t.wait_for("pw07", "submitted (read-only)", 5);
    // Each screen shows its own values and total, never the other judge's.
    let s6 = t.screen("pw06");
    let s7 = t.screen("pw07");
    assert!(s6.contains("[21.5") && s6.contains("Round total: 71 / 100"), "{s6}");
    assert!(s7.contains("[28") && s7.contains("Round total: 93.5 / 100"), "{s7}");
    for v in ["[28", "[27 ", "[19.5", "93.5"] {
        assert!(!s6.contains(v), "PW06 sees {v}:\n{s6}");
    }
    for v in ["[21.5", "[22 ", "[13.5", "Round total: 71"] {
        assert!(!s7.contains(v), "PW07 sees {v}:\n{s7}");
    }
    assert_eq!(judge_total(&w, "JS003", "lesson", "PW06").as_deref(), Some("71"));
    assert_eq!(judge_total(&w, "JS003", "lesson", "PW07").as_deref(), Some("93.5"));
}
