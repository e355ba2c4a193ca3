//! End to end: `jury show`, the projector, started from a shell in tmux: it draws the board, and
//! after q the terminal is as the shell left it (the main screen back, the line discipline's echo
//! and canonical mode back, mouse reporting off), so the prompt answers.
//!
//! Its own tmux server (`-L`), killed at the end. tmux is required.

mod common;

use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::{BIN, Workspace};

/// One pane's format variable (`alternate_on`, `mouse_any_flag`), as tmux reports it.
fn pane_flag(t: &Tmux, window: &str, flag: &str) -> String {
    let out = t.cmd(&[
        "display-message",
        "-p",
        "-t",
        &format!("jury:{window}"),
        &format!("#{{{flag}}}"),
    ]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The terminal settings `stty -a` printed into `file`, as the set of its words: `echo` or
/// `-echo`, `icanon` or `-icanon`, ...
fn stty_words(file: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ';')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    words.sort();
    words
}

/// Type a command line into the shell and press Enter.
fn run_line(t: &Tmux, window: &str, line: &str) {
    t.type_text(window, line);
    t.keys(window, &["Enter"]);
}

#[test]
fn the_projector_draws_the_board_and_q_gives_the_shell_its_terminal_back() {
    let w = Workspace::loaded("competition");
    let tally = w.tally_json();
    let contest = tally["contest"].as_str().unwrap().to_string();
    let first_group = &tally["groups"][0];
    let group = first_group["group"].as_str().unwrap().to_string();
    let top = first_group["entries"][0]["id"].as_str().unwrap().to_string();
    let top_final = first_group["entries"][0]["final"].as_str().unwrap().to_string();

    let t = Tmux::new("projector-shell");
    let shell = "env -u JURY_ORGANISER_PASS PS1='shell> ' LANG=en_US.UTF-8 TERM=xterm-256color sh";
    let out = t.cmd(&[
        "new-session",
        "-d",
        "-s",
        "jury",
        "-n",
        "sh",
        "-x",
        "120",
        "-y",
        "40",
        shell,
    ]);
    assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
    t.wait_for("sh", "shell>", 10);

    // The terminal as the shell has it. The markers are computed by the shell, so the typed line
    // itself never matches them.
    let before = w.path("stty-before.txt");
    let after = w.path("stty-after.txt");
    run_line(
        &t,
        "sh",
        &format!("stty -a > '{}'; echo BEFORE-$((20+1))", before.display()),
    );
    t.wait_for("sh", "BEFORE-21", 10);
    assert_eq!(pane_flag(&t, "sh", "alternate_on"), "0");

    run_line(
        &t,
        "sh",
        &format!("{BIN} --db '{}' show; echo EXIT-$((40+2))", w.db.display()),
    );
    // The board: the contest, the first group's running ranking with its leader and their final.
    let screen = t.wait_for("sh", "Provisional standings", 10);
    assert!(screen.contains(&contest), "{screen}");
    assert!(screen.contains(&format!("{group}  Provisional standings")), "{screen}");
    let row = screen
        .lines()
        .find(|l| l.contains(&top))
        .unwrap_or_else(|| panic!("{top} is not on the board:\n{screen}"));
    assert!(row.trim_start().starts_with('1') && row.contains(&top_final), "{row}");
    assert!(
        !screen.contains("BEFORE-21"),
        "the projector has the whole screen:\n{screen}"
    );
    assert_eq!(pane_flag(&t, "sh", "alternate_on"), "1");

    t.keys("sh", &["q"]);
    let start = Instant::now();
    loop {
        let s = t.screen("sh");
        if s.contains("EXIT-42") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the projector did not quit:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The main screen is back, with what the shell printed before, and nothing of the board.
    let screen = t.screen("sh");
    assert!(screen.contains("BEFORE-21"), "{screen}");
    assert!(!screen.contains("Provisional standings"), "{screen}");
    assert_eq!(pane_flag(&t, "sh", "alternate_on"), "0");
    assert_eq!(pane_flag(&t, "sh", "mouse_any_flag"), "0", "mouse reporting is off");

    // The prompt answers, and what is typed is echoed (the typed line is on screen as typed).
    run_line(
        &t,
        "sh",
        &format!("stty -a > '{}'; echo AFTER-$((30+3))", after.display()),
    );
    let screen = t.wait_for("sh", "AFTER-33", 10);
    assert!(
        screen.contains("echo AFTER-$((30+3))"),
        "the line was echoed:\n{screen}"
    );
    let (was, is) = (stty_words(&before), stty_words(&after));
    for flag in ["echo", "icanon", "isig", "icrnl", "opost"] {
        assert!(was.contains(&flag.to_string()), "{flag} before: {was:?}");
        assert!(is.contains(&flag.to_string()), "{flag} after q: {is:?}");
    }
    assert_eq!(is, was, "the terminal's settings after q are those from before");
}
