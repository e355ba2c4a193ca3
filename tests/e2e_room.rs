//! End to end, the meeting room: the organiser's console, three judges and the projector, each
//! in its own tmux window on one workspace. The organiser puts the first contestant on stage, the
//! judges' screens follow, they score and submit; the projector counts them in without a value
//! until the last is in, then shows every total, and on the organiser's reveal strikes the highest
//! and lowest and shows the round score and the final that `jury tally` gives.
//!
//! Its own tmux server (`-L`), killed at the end. tmux is required.

mod common;

use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::{Workspace, fixture};

const ORGANISER_PASS: &str = "organiser-pass-42";
/// The three judges scoring live, with their PINs (fixtures/judges.csv) and values for the four
/// criteria of the first round (内容设计 30, 方法策略 30, 语言表达 20, 现场效果 20).
const LIVE: [(&str, &str, [&str; 4]); 3] = [
    ("PW05", "2241", ["27", "26.5", "18", "17"]),
    ("PW06", "4715", ["21.5", "22", "13.5", "14"]),
    ("PW07", "3649", ["29.5", "29", "19.5", "19.5"]),
];

/// The competition fixture with an organiser passphrase, 教师组's panel of PW01 to PW07, and every
/// fixture score except the live judges' on JS001's first round: PW01 to PW04 are in already,
/// PW05 to PW07 will score it on stage (seven sheets, enough for the trimmed mean).
fn room_workspace() -> Workspace {
    // Every command after init needs the passphrase: the organiser's scripts give it in the
    // environment.
    let w = Workspace::new().with_organiser_pass(ORGANISER_PASS);
    w.ok(&["init", "--template", "competition", "--organiser-pass", ORGANISER_PASS]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&[
        "assign",
        "--group",
        "教师组",
        "--judges",
        "PW01,PW02,PW03,PW04,PW05,PW06,PW07",
    ]);
    let all = std::fs::read_to_string(fixture("scores-competition.csv")).unwrap();
    let live_on_stage = |l: &str| {
        let f: Vec<&str> = l.split(',').collect();
        f.len() > 2 && LIVE.iter().any(|(j, _, _)| *j == f[0]) && f[1] == "JS001" && f[2] == "lesson"
    };
    let kept: Vec<&str> = all
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || !live_on_stage(l))
        .map(|(_, l)| l)
        .collect();
    assert!(
        kept.len() < all.lines().count(),
        "the fixture has the live judges' JS001 lesson scores"
    );
    let scores = w.path("scores.csv");
    std::fs::write(&scores, kept.join("\n")).unwrap();
    w.ok(&["import", "scores", scores.to_str().unwrap()]);
    w
}

fn entry_json(w: &Workspace, id: &str) -> serde_json::Value {
    let t = w.tally_json();
    t["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["entries"].as_array().unwrap().iter())
        .find(|e| e["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} is not in the tally"))
}

#[test]
fn the_organiser_moves_the_stage_the_judges_follow_and_the_projector_reveals() {
    let w = room_workspace();
    let before = entry_json(&w, "JS001");
    assert!(
        before["rounds"]["lesson"].is_null(),
        "four judges are not enough yet: {before}"
    );
    let t = Tmux::new("stage");

    // The organiser's console, past the passphrase.
    t.start("organiser", &w.db, &["--organiser"]);
    t.wait_for("organiser", "passphrase", 10);
    t.type_text("organiser", ORGANISER_PASS);
    t.keys("organiser", &["Enter"]);
    // Three judges log in and wait on their lists; the projector shows the standings.
    for (judge, pin, _) in LIVE {
        t.start(judge, &w.db, &["--judge", judge]);
        t.wait_for(judge, "PIN", 10);
        t.type_text(judge, pin);
        t.keys(judge, &["Enter"]);
        t.wait_for(judge, "JS001", 10);
    }
    t.start("projector", &w.db, &["show"]);
    t.wait_for("projector", "Provisional standings", 10);

    // The console's stage screen: Tab until it shows, then n puts the first contestant on.
    let mut found = false;
    for _ in 0..10 {
        if t.screen("organiser").contains("Nobody is on stage yet") {
            found = true;
            break;
        }
        t.keys("organiser", &["Tab"]);
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(found, "no stage screen in the console:\n{}", t.screen("organiser"));
    t.keys("organiser", &["n"]);
    t.wait_for("organiser", "JS001", 5);

    // Every judge's screen follows to JS001's first round; the projector shows the contestant and
    // how many are in, without their totals.
    for (judge, _, _) in LIVE {
        t.wait_for(judge, "Now on stage: 1 JS001", 5);
        t.wait_for(judge, "内容设计", 5);
    }
    t.wait_for("projector", "Submitted 4/7", 5);
    t.wait_for("projector", "Still scoring: PW05, PW06, PW07", 5);
    let projector = t.wait_for("projector", "JS001", 5);
    assert!(projector.contains("邓涵"), "{projector}");

    // They score and submit; the projector counts each one in, blind until the last.
    let mut totals = Vec::new();
    for (i, (judge, _, values)) in LIVE.iter().enumerate() {
        for v in values {
            t.type_text(judge, v);
            t.keys(judge, &["Enter"]);
        }
        t.keys(judge, &["F10"]);
        t.wait_for(judge, "y / Enter submit", 5);
        t.keys(judge, &["y"]);
        t.wait_for(judge, "submitted (read-only)", 5);
        let total: f64 = values.iter().map(|v| v.parse::<f64>().unwrap()).sum();
        let shown = format!("{total}");
        if i + 1 < LIVE.len() {
            let screen = t.wait_for("projector", &format!("Submitted {}/7", 5 + i), 5);
            assert!(
                !screen.contains(&shown),
                "{shown} shown before every judge is in:\n{screen}"
            );
        }
        totals.push(shown);
    }
    // Every judge is in: the totals are up, the result waits for the host.
    let screen = t.wait_for("projector", "Every judge is in: waiting for the reveal", 5);
    for shown in &totals {
        assert!(screen.contains(shown.as_str()), "{shown} missing:\n{screen}");
    }
    assert!(!screen.contains("Round score"), "{screen}");
    // The host's cue (亮分): v on the console's stage screen.
    t.keys("organiser", &["v"]);

    // Everyone is in: the round score, the dropped highest and lowest, and the final, all equal to
    // `jury tally`.
    let after = entry_json(&w, "JS001");
    let round_score = after["rounds"]["lesson"].as_str().expect("a round score").to_string();
    let screen = t.wait_for("projector", &format!("Round score {round_score}"), 5);
    assert!(screen.contains("high out") && screen.contains("low out"), "{screen}");
    let marks = after["judges"]["lesson"].as_array().unwrap();
    assert_eq!(marks.len(), 7);
    for m in marks {
        assert!(screen.contains(m["total"].as_str().unwrap()), "{m} missing:\n{screen}");
    }
    if let Some(final_score) = after["final"].as_str() {
        assert!(screen.contains(&format!("Final score {final_score}")), "{screen}");
    } else {
        panic!("every round of JS001 is scored, so the tally has a final: {after}");
    }
    // The console saw every judge submit.
    t.wait_for("organiser", "7/7", 5);

    // q leaves the projector.
    t.keys("projector", &["q"]);
    let start = Instant::now();
    while !t.dead("projector") {
        assert!(start.elapsed() < Duration::from_secs(5), "the projector did not quit");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn stage_commands_work_without_the_console() {
    let w = room_workspace();
    let out = w.ok(&["stage", "show"]);
    assert!(out.contains("Nothing is on stage"), "{out}");
    let out = w.ok(&["stage", "next"]);
    assert!(out.contains("On stage: 教师组 JS001 邓涵"), "{out}");
    assert!(out.contains("Submitted 4/7"), "{out}");
    let out = w.ok(&["stage", "round", "案例分析"]);
    assert!(out.contains("round analysis (案例分析)"), "{out}");
    assert!(out.contains("Submitted 7/7"), "{out}");
    let err = w.fails(&["stage", "prev"]);
    assert!(err.contains("JS001 is the first contestant of 教师组"), "{err}");
    let out = w.ok(&["stage", "set", "JS012"]);
    assert!(out.contains("JS012") && out.contains("round analysis"), "{out}");
    let err = w.fails(&["stage", "next"]);
    assert!(err.contains("last contestant"), "{err}");
    let out = w.ok(&["stage", "reveal"]);
    assert!(out.contains("result revealed"), "{out}");
    let log = w.ok(&["audit", "log", "--entry", "JS012"]);
    assert!(log.contains("stage-reveal"), "{log}");
}

#[test]
fn calibration_samples_never_change_the_tally() {
    let w = room_workspace();
    let before = w.ok(&["tally", "--format", "json"]);
    // Two sample entries in 教师组, scored by three judges: very high and very low.
    let samples = w.path("samples.csv");
    std::fs::write(
        &samples,
        "id,name,group,organization\nCAL01,试评一,教师组,样例单位\nCAL02,试评二,教师组,样例单位\n",
    )
    .unwrap();
    w.ok(&["import", "entries", samples.to_str().unwrap()]);
    let out = w.ok(&["calibration", "add", "CAL01", "CAL02"]);
    assert!(out.starts_with("2 entries"), "{out}");
    let mut scores = String::from("judge,entry,round,criterion,score\n");
    for (judge, values) in [
        ("PW01", ["30", "30", "20", "20"]),
        ("PW02", ["20", "20", "10", "10"]),
        ("PW03", ["25", "25", "15", "15"]),
    ] {
        for entry in ["CAL01", "CAL02"] {
            for (c, v) in ["content", "method", "expression", "effect"].iter().zip(values) {
                scores.push_str(&format!("{judge},{entry},lesson,{c},{v}\n"));
            }
        }
    }
    let file = w.path("cal-scores.csv");
    std::fs::write(&file, scores).unwrap();
    w.ok(&["import", "scores", file.to_str().unwrap()]);
    assert_eq!(
        w.ok(&["tally", "--format", "json"]),
        before,
        "calibration scores changed the tally"
    );
    // Totals 100, 60, 80: panel mean 80; offsets +20, -20, 0 on both samples.
    let report = w.ok(&["calibration", "show"]);
    let row = |id: &str| {
        report
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id}:\n{report}"))
            .to_string()
    };
    assert!(
        row("PW01").contains("100 (+20.00)") && row("PW01").trim_end().ends_with("+20.00"),
        "{report}"
    );
    assert!(
        row("PW02").contains("60 (-20.00)") && row("PW02").trim_end().ends_with("-20.00"),
        "{report}"
    );
    assert!(
        row("PW03").contains("80 (0.00)") && row("PW03").trim_end().ends_with("0.00"),
        "{report}"
    );
    assert!(row("panel mean").contains("80.00"), "{report}");
}
