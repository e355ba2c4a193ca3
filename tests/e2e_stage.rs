//! End to end: the organiser moves the stage while a judge is scoring, the real binary in tmux
//! and the real `jury stage next` (issue 11, item 1). The judge stays on the sheet they are
//! filling in; every value lands on the contestant it was typed for.

mod common;

use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::{Workspace, fixture};

/// The competition fixture with every judge's scores but PW07's.
fn workspace_without_pw07() -> Workspace {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let all = std::fs::read_to_string(fixture("scores-competition.csv")).unwrap();
    let kept: Vec<&str> = all
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || !l.starts_with("PW07,"))
        .map(|(_, l)| l)
        .collect();
    let scores = w.path("scores.csv");
    std::fs::write(&scores, kept.join("\n")).unwrap();
    w.ok(&["import", "scores", scores.to_str().unwrap()]);
    w
}

/// Points are stored as whole ten-thousandths (src/core/exact.rs).
const UNIT: i64 = 10_000;

/// PW07's stored values: (entry, round, criterion, value in [`UNIT`]s), read from the file.
fn pw07_scores(w: &Workspace) -> Vec<(String, String, String, i64)> {
    let conn = rusqlite::Connection::open(&w.db).unwrap();
    let mut stmt = conn
        .prepare("SELECT entry, round, criterion, value FROM scores WHERE judge = 'PW07' ORDER BY entry, criterion")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_stage_moves_on_while_a_judge_scores_and_every_value_stays_where_it_was_typed() {
    let w = workspace_without_pw07();
    w.ok(&["stage", "set", "JS001", "--round", "lesson"]);
    let t = Tmux::new("stage");
    t.start("pw07", &w.db, &["--judge", "PW07"]);
    t.wait_for("pw07", "PIN", 10);
    t.type_text("pw07", "3649");
    t.keys("pw07", &["Enter"]);
    // Logged in: the screen follows the stage to JS001's sheet.
    t.wait_for("pw07", "Now on stage: 1 JS001", 10);
    t.wait_for("pw07", "内容设计", 5);
    t.type_text("pw07", "20");
    t.keys("pw07", &["Tab"]);
    t.wait_for("pw07", "Saved 内容设计 = 20", 5);
    // The organiser moves on, from another process.
    w.ok(&["stage", "next"]);
    let screen = t.wait_for("pw07", "F6 goes there", 5);
    assert!(screen.contains("Now on stage: 2 JS002"), "{screen}");
    assert!(screen.contains(" JS001 "), "still on JS001's sheet:\n{screen}");
    t.type_text("pw07", "21");
    t.keys("pw07", &["Tab"]);
    t.wait_for("pw07", "= 21", 5);
    assert_eq!(
        pw07_scores(&w),
        vec![
            ("JS001".into(), "lesson".into(), "content".into(), 20 * UNIT),
            ("JS001".into(), "lesson".into(), "method".into(), 21 * UNIT),
        ],
        "both values on the first contestant, nothing on the second"
    );
    // F6 goes to the contestant on stage; the line goes.
    t.keys("pw07", &["F6"]);
    let start = Instant::now();
    loop {
        let s = t.screen("pw07");
        if s.contains(" JS002 ") && !s.contains("F6 goes there") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "F6 did not go to JS002:\n{s}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(pw07_scores(&w).len(), 2, "nothing stored on JS002 yet");
    // A value typed and not yet stored when the judge quits is saved, and the terminal says so
    // once the screen is gone.
    t.type_text("pw07", "19");
    t.keys("pw07", &["q"]);
    let start = Instant::now();
    while !t.dead("pw07") && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(t.dead("pw07"), "jury did not quit:\n{}", t.screen("pw07"));
    // With the scrollback: tmux's "Pane is dead" line may push the last output up.
    let out = t.cmd(&["capture-pane", "-p", "-S", "-100", "-t", "jury:pw07"]);
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(screen.contains("Saved 内容设计 = 19"), "{screen}");
    assert_eq!(
        pw07_scores(&w)[2],
        ("JS002".into(), "lesson".into(), "content".into(), 19 * UNIT)
    );
}
