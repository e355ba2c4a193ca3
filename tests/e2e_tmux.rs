//! End to end: the real binary driven in tmux, as a judge would use it.
//!
//! Each test runs its own tmux server (`-L`) so tests do not see each other, and kills it at the end.
//! tmux is required (`.ci/run` installs it); without it these tests fail rather than pass silently.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{BIN, Workspace, fixture};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        let socket = format!("jury-e2e-{name}-{}", std::process::id());
        Tmux { socket }
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux must be installed for the end-to-end tests (.ci/run installs it)")
    }

    /// Start `jury` with `args` in a new window of 120x40.
    fn start(&self, window: &str, db: &Path, args: &[&str]) {
        let mut command = format!("env LANG=en_US.UTF-8 TERM=xterm-256color {BIN} --db '{}'", db.display());
        for a in args {
            command.push_str(&format!(" '{a}'"));
        }
        // Keep the pane after exit so a crash can be read.
        let has_session = self.cmd(&["has-session", "-t", "e2e"]).status.success();
        let out = if has_session {
            self.cmd(&["new-window", "-t", "e2e", "-n", window, &command])
        } else {
            self.cmd(&[
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-n",
                window,
                "-x",
                "120",
                "-y",
                "40",
                &command,
            ])
        };
        assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
        self.cmd(&["set-option", "-t", "e2e", "remain-on-exit", "on"]);
    }

    fn keys(&self, window: &str, keys: &[&str]) {
        for k in keys {
            let out = self.cmd(&["send-keys", "-t", &format!("e2e:{window}"), k]);
            assert!(
                out.status.success(),
                "send-keys {k}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Type text literally (Chinese included).
    fn type_text(&self, window: &str, text: &str) {
        let out = self.cmd(&["send-keys", "-t", &format!("e2e:{window}"), "-l", text]);
        assert!(out.status.success());
        std::thread::sleep(Duration::from_millis(100));
    }

    fn screen(&self, window: &str) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", &format!("e2e:{window}")]).stdout).into_owned()
    }

    /// Wait until the screen contains `needle`; panics with the screen after `secs`.
    fn wait_for(&self, window: &str, needle: &str, secs: u64) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(window);
            if s.contains(needle) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(secs) {
                panic!("waited {secs}s for {needle:?} in window {window}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn dead(&self, window: &str) -> bool {
        let out = self.cmd(&["display-message", "-p", "-t", &format!("e2e:{window}"), "#{pane_dead}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// The competition fixture with every judge's scores except `leave_out`'s.
fn workspace_without(leave_out: &[&str]) -> Workspace {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let all = std::fs::read_to_string(fixture("scores-competition.csv")).unwrap();
    let kept: Vec<&str> = all
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || !leave_out.iter().any(|j| l.starts_with(&format!("{j},"))))
        .map(|(_, l)| l)
        .collect();
    let scores = w.path("scores.csv");
    std::fs::write(&scores, kept.join("\n")).unwrap();
    w.ok(&["import", "scores", scores.to_str().unwrap()]);
    w
}

fn judge_total(w: &Workspace, entry: &str, round: &str, judge: &str) -> Option<String> {
    let t = w.tally_json();
    for g in t["groups"].as_array().unwrap() {
        for e in g["entries"].as_array().unwrap() {
            if e["id"] == entry {
                return e["judges"][round]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|m| m["judge"] == judge)
                    .map(|m| m["total"].as_str().unwrap().to_string());
            }
        }
    }
    None
}

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
