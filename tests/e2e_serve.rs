//! End to end: `jury serve` and the real OpenSSH client, driven in tmux as a judge in the meeting
//! room would use it (`.ci/run` installs openssh-client and tmux).

mod common;

use std::time::{Duration, Instant};

use common::tmux::{Tmux, free_port, window};
use common::{BIN, Workspace, fixture, judge_total, workspace_without};

/// In window `pw07`, at the password prompt: PW07 logs in with the PIN, finds JS003 by its
/// pinyin initials, scores its lesson 25 + 26.5 + 17 + 18 and submits the sheet.
fn pw07_scores_js003(t: &Tmux) {
    t.wait_for("pw07", "assword", 10);
    t.type_text("pw07", "3649");
    t.keys("pw07", &["Enter"]);
    t.wait_for("pw07", "JS001", 15);
    t.keys("pw07", &["/"]);
    t.type_text("pw07", "lwy");
    t.wait_for("pw07", "JS003", 5);
    t.keys("pw07", &["Enter"]);
    t.wait_for("pw07", "内容设计", 5);
    for v in ["25", "26.5", "17", "18"] {
        t.type_text("pw07", v);
        t.keys("pw07", &["Enter"]);
    }
    t.keys("pw07", &["F10"]);
    t.wait_for("pw07", "y / Enter submit", 5);
    t.keys("pw07", &["y"]);
    t.wait_for("pw07", "submitted (read-only)", 5);
}

/// `jury serve` on `w` at a free loopback port, started in its own window; the port.
fn serve(t: &Tmux, w: &Workspace) -> u16 {
    let port = free_port();
    // Starting the room is the organiser's: once a passphrase is set, serve needs it too.
    let env = match &w.organiser_pass {
        Some(pass) => format!("env JURY_ORGANISER_PASS='{pass}'"),
        None => "env -u JURY_ORGANISER_PASS".to_string(),
    };
    window(
        t,
        "server",
        &format!("{env} {BIN} --db '{}' serve --listen 127.0.0.1:{port}", w.db.display()),
    );
    t.wait_for("server", "Host key fingerprint: SHA256:", 20);
    port
}

/// The ssh command line for `user` (no key, no known hosts, `method` only: `password` or
/// `keyboard-interactive`).
fn ssh(port: u16, method: &str, user: &str, extra: &str) -> String {
    format!(
        "ssh -p {port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
         -o PubkeyAuthentication=no -o PreferredAuthentications={method} \
         -o NumberOfPasswordPrompts=3 {user}@127.0.0.1 {extra}"
    )
}

fn wait_dead(t: &Tmux, name: &str, secs: u64) {
    let start = Instant::now();
    while !t.dead(name) && start.elapsed() < Duration::from_secs(secs) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(t.dead(name), "{name} did not end:\n{}", t.screen(name));
}

#[test]
fn a_judge_connects_with_ssh_scores_a_round_and_it_is_stored() {
    let w = workspace_without(&["PW07"]);
    assert_eq!(judge_total(&w, "JS003", "lesson", "PW07"), None);
    let t = Tmux::new("serve-judge");
    let port = serve(&t, &w);
    let banner = t.screen("server");
    assert!(
        banner.contains("127.0.0.1") && banner.contains("projector code"),
        "{banner}"
    );
    // The id in lower case is the same judge.
    window(&t, "pw07", &ssh(port, "keyboard-interactive", "pw07", ""));
    pw07_scores_js003(&t);
    assert_eq!(judge_total(&w, "JS003", "lesson", "PW07").as_deref(), Some("86.5"));
    // The audit trail names the judge and the client's address (ip:port) of every change.
    let log = w.ok(&["audit", "log", "--entry", "JS003", "--judge", "PW07"]);
    let mine: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" score ") || l.contains(" submit "))
        .collect();
    assert_eq!(mine.len(), 5, "{log}");
    assert!(
        mine.iter().all(|l| l
            .split_whitespace()
            .nth(2)
            .is_some_and(|a| a.starts_with("judge:PW07@127.0.0.1:"))),
        "{log}"
    );
    assert!(
        w.ok(&["audit", "verify"]).contains("intact"),
        "the chain still verifies"
    );
    // q leaves the screen and ends the connection: ssh exits, its terminal given back.
    t.keys("pw07", &["Escape", "q"]);
    wait_dead(&t, "pw07", 10);
}

#[test]
fn a_command_is_refused_at_once_and_three_wrong_pins_keep_even_the_right_one_out() {
    let w = workspace_without(&[]);
    let t = Tmux::new("serve-refuse");
    let port = serve(&t, &w);

    // `ssh host ls`: authenticated, then refused, and ssh ends (no hang).
    window(
        &t,
        "exec",
        &format!("sh -c \"{}; echo EXIT=\\$?\"", ssh(port, "password", "PW01", "ls")),
    );
    t.wait_for("exec", "assword", 10);
    t.type_text("exec", "5175");
    t.keys("exec", &["Enter"]);
    let s = t.wait_for("exec", "EXIT=", 10);
    assert!(!s.contains("EXIT=0"), "{s}");
    assert!(!s.contains("JS001"), "no screen for a command:\n{s}");

    // Three wrong PINs for PW02 (5308): refused each time.
    window(
        &t,
        "wrong",
        &format!("sh -c \"{}; echo EXIT=\\$?\"", ssh(port, "password", "PW02", "")),
    );
    for pin in ["0000", "1111", "2222"] {
        t.wait_for("wrong", "assword", 10);
        t.type_text("wrong", pin);
        t.keys("wrong", &["Enter"]);
        std::thread::sleep(Duration::from_millis(700));
    }
    let s = t.wait_for("wrong", "EXIT=", 15);
    assert!(s.contains("Permission denied") && !s.contains("EXIT=0"), "{s}");

    // Now the right PIN is refused too, during the pause.
    window(
        &t,
        "right",
        &format!("sh -c \"{}; echo EXIT=\\$?\"", ssh(port, "password", "PW02", "")),
    );
    t.wait_for("right", "assword", 10);
    t.type_text("right", "5308");
    t.keys("right", &["Enter"]);
    // A second prompt (or the end) instead of the screen.
    let start = Instant::now();
    loop {
        let s = t.screen("right");
        assert!(!s.contains("JS001"), "let in during the pause:\n{s}");
        let prompts = s.matches("assword").count();
        if prompts >= 2 || s.contains("EXIT=") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{s}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn import_judges_refuses_the_reserved_names_and_ids_that_differ_only_in_case() {
    for (rows, problem) in [
        ("organiser,组织者,,,1234", "\"organiser\" is reserved"),
        ("Show,投影,,,1234", "\"Show\" is reserved"),
        (
            "PW01,尹霞,,,5175\npw01,另一位,,,1234",
            "\"pw01\" is the id \"PW01\" of row 2 in other letter case",
        ),
    ] {
        let w = Workspace::new();
        w.ok(&["init", "--template", "competition"]);
        let file = w.path("judges.csv");
        std::fs::write(&file, format!("id,name,organization,county,pin\n{rows}\n")).unwrap();
        let err = w.fails(&["import", "judges", file.to_str().unwrap()]);
        assert!(err.contains(problem), "{rows}: {err}");
    }
}

/// The projector code `serve` printed in its window.
fn projector_code(t: &Tmux) -> String {
    let s = t.screen("server");
    let at = s.find("projector code ").expect("the banner names the projector code") + "projector code ".len();
    s[at..at + 6].to_string()
}

#[test]
fn the_projector_a_second_login_no_terminal_and_forwarding() {
    let w = workspace_without(&[]);
    let t = Tmux::new("serve-more");
    let port = serve(&t, &w);
    let code = projector_code(&t);
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{code}");

    // The projector, with the code.
    window(&t, "show", &ssh(port, "password", "show", ""));
    t.wait_for("show", "assword", 10);
    t.type_text("show", &code);
    t.keys("show", &["Enter"]);
    t.wait_for("show", "tandings", 15);

    // A judge logged in twice: the older session ends and says why.
    window(&t, "first", &ssh(port, "password", "PW03", ""));
    t.wait_for("first", "assword", 10);
    t.type_text("first", "1584");
    t.keys("first", &["Enter"]);
    t.wait_for("first", "JS001", 15);
    window(&t, "second", &ssh(port, "password", "pw03", ""));
    t.wait_for("second", "assword", 10);
    t.type_text("second", "1584");
    t.keys("second", &["Enter"]);
    t.wait_for("second", "JS001", 15);
    t.wait_for("first", "You logged in again from another computer", 10);
    wait_dead(&t, "first", 10);
    assert!(!t.dead("second"));

    // No terminal asked for: one line, and the end.
    window(
        &t,
        "nopty",
        &format!("sh -c \"{}; echo EXIT=\\$?\"", ssh(port, "password", "-T PW04", "")),
    );
    t.wait_for("nopty", "assword", 10);
    t.type_text("nopty", "6068");
    t.keys("nopty", &["Enter"]);
    let s = t.wait_for("nopty", "EXIT=", 10);
    assert!(s.contains("needs a terminal"), "{s}");

    // Remote port forwarding is refused (and ssh, told to, gives up at once).
    window(
        &t,
        "forward",
        &format!(
            "sh -c \"{}; echo EXIT=\\$?\"",
            ssh(
                port,
                "password",
                "-N -o ExitOnForwardFailure=yes -R 0:127.0.0.1:9 PW04",
                ""
            )
        ),
    );
    t.wait_for("forward", "assword", 10);
    t.type_text("forward", "6068");
    t.keys("forward", &["Enter"]);
    let s = t.wait_for("forward", "EXIT=", 10);
    assert!(!s.contains("EXIT=0"), "{s}");
}

#[test]
fn the_organiser_console_over_ssh_sftp_refused_and_the_same_key_after_a_restart() {
    let w = Workspace::new().with_organiser_pass("room-pass-2026");
    w.ok(&[
        "init",
        "--template",
        "competition",
        "--organiser-pass",
        "room-pass-2026",
    ]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let t = Tmux::new("serve-organiser");
    let port = serve(&t, &w);
    let fingerprint = |t: &Tmux| {
        let s = t.screen("server");
        let at = s.find("SHA256:").expect("a fingerprint");
        s[at..].split_whitespace().next().unwrap().to_string()
    };
    let first = fingerprint(&t);
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&w.db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "serve makes the workspace owner-only");
    }
    assert_eq!(
        std::fs::metadata(w.path("contest.jury.hostkey"))
            .map(|m| m.len() > 0)
            .ok(),
        Some(true)
    );

    // The console, with the organiser passphrase (the user name in any case).
    window(&t, "console", &ssh(port, "keyboard-interactive", "Organiser", ""));
    t.wait_for("console", "assword", 10);
    t.type_text("console", "room-pass-2026");
    t.keys("console", &["Enter"]);
    t.wait_for("console", "Progress", 15);

    // sftp: the subsystem is refused and sftp ends.
    window(
        &t,
        "sftp",
        &format!(
            "sh -c \"sftp -P {port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
             -o PubkeyAuthentication=no -o PreferredAuthentications=password PW01@127.0.0.1; echo EXIT=\\$?\""
        ),
    );
    t.wait_for("sftp", "assword", 10);
    t.type_text("sftp", "5175");
    t.keys("sftp", &["Enter"]);
    let s = t.wait_for("sftp", "EXIT=", 10);
    assert!(!s.contains("EXIT=0") && !s.contains("sftp>"), "{s}");

    // Stop the server and start it again: the same host key.
    t.keys("server", &["C-c"]);
    wait_dead(&t, "server", 10);
    // The console's ssh was told why and got its terminal back.
    t.wait_for("console", "The server is stopping", 10);
    wait_dead(&t, "console", 10);
    t.cmd(&["kill-window", "-t", "jury:server"]);
    let again = serve(&t, &w);
    assert_ne!(again, 0);
    assert_eq!(fingerprint(&t), first);
}

#[test]
fn a_judges_writes_over_ssh_go_through_the_one_writer_and_sigterm_writes_its_figures() {
    let w = workspace_without(&["PW07"]);
    let t = Tmux::new("serve-writer");
    let port = free_port();
    let stats = w.path("writer-stats.json");
    // In the background of a shell that prints its pid, to stop it with SIGTERM as a service
    // manager would.
    window(
        &t,
        "server",
        &format!(
            "sh -c \"env -u JURY_ORGANISER_PASS {BIN} --db '{}' serve --listen 127.0.0.1:{port} --stats-file '{}' & \
             echo PID=\\$!; wait \\$!; echo SERVER-EXIT=\\$?\"",
            w.db.display(),
            stats.display()
        ),
    );
    let banner = t.wait_for("server", "Host key fingerprint: SHA256:", 20);
    let pid: u32 = banner
        .split("PID=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .expect("the server's pid");
    window(&t, "pw07", &ssh(port, "password", "PW07", ""));
    pw07_scores_js003(&t);
    assert_eq!(judge_total(&w, "JS003", "lesson", "PW07").as_deref(), Some("86.5"));
    let term = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    t.wait_for("server", "SERVER-EXIT=", 15);
    // The judge's ssh was told why and got its terminal back.
    wait_dead(&t, "pw07", 10);
    let text = std::fs::read_to_string(&stats).expect("the stats file");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The login's try (counted, then marked right), four values and the submission: seven
    // requests, each answered after a commit of the writer.
    assert_eq!(json["requests"], 7, "{text}");
    let transactions = json["transactions"].as_u64().unwrap();
    assert!((3..=7).contains(&transactions), "{text}");
    assert!(json["group_max"].as_u64().unwrap() >= 1, "{text}");
    let (p50, p99, max) = (
        json["commit_ms_p50"].as_f64().unwrap(),
        json["commit_ms_p99"].as_f64().unwrap(),
        json["commit_ms_max"].as_f64().unwrap(),
    );
    assert!(0.0 < p50 && p50 <= p99 && p99 <= max, "{text}");
}

/// `jury serve` on `w` with more options (`--idle-seconds`, `--keepalive-seconds`: hidden, for
/// tests), like [`serve`].
fn serve_with(t: &Tmux, w: &Workspace, extra: &str) -> u16 {
    let port = free_port();
    let env = match &w.organiser_pass {
        Some(pass) => format!("env JURY_ORGANISER_PASS='{pass}'"),
        None => "env -u JURY_ORGANISER_PASS".to_string(),
    };
    window(
        t,
        "server",
        &format!(
            "{env} {BIN} --db '{}' serve --listen 127.0.0.1:{port} {extra}",
            w.db.display()
        ),
    );
    t.wait_for("server", "Host key fingerprint: SHA256:", 20);
    port
}

/// A competition workspace with an organiser passphrase, its entries and judges.
fn room_with_organiser() -> Workspace {
    let w = Workspace::new().with_organiser_pass("room-pass-2026");
    w.ok(&[
        "init",
        "--template",
        "competition",
        "--organiser-pass",
        "room-pass-2026",
    ]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w
}

/// Logs `user` in with `secret` in a new window `name` and waits for `shown`.
fn login(t: &Tmux, port: u16, name: &str, user: &str, secret: &str, shown: &str) {
    window(t, name, &ssh(port, "password", user, ""));
    t.wait_for(name, "assword", 10);
    t.type_text(name, secret);
    t.keys(name, &["Enter"]);
    t.wait_for(name, shown, 15);
}

/// The organiser's console in window `console`, its list of who is connected open.
fn console_connected(t: &Tmux, port: u16) -> String {
    login(t, port, "console", "organiser", "room-pass-2026", "Progress");
    t.keys("console", &["3", "w"]);
    t.wait_for("console", "Connected", 10)
}

/// Whether the console's list of connected sessions has a row for `judge`.
fn listed(screen: &str, judge: &str) -> bool {
    screen.lines().any(|l| l.contains(judge) && l.contains("127.0.0.1:"))
}

/// The pid of the `ssh` started by the shell of window `name` (a child of the pane's process:
/// tmux itself resumes a pane's own process when it is stopped).
fn ssh_pid(t: &Tmux, name: &str) -> i32 {
    let out = t.cmd(&["display-message", "-p", "-t", &format!("jury:{name}"), "#{pane_pid}"]);
    let pane: i32 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("the pane's pid");
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid ...
        let Some((head, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let ppid: i32 = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
        if ppid == pane && head.ends_with("(ssh") {
            return head.split_whitespace().next().unwrap().parse().unwrap();
        }
    }
    panic!("no ssh under the pane of {name}");
}

/// Whether process `pid` is stopped.
fn stopped(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(") ").map(|(_, rest)| rest.starts_with('T')))
        .unwrap_or(false)
}

#[test]
fn keepalives_end_the_session_of_a_laptop_that_went_away() {
    let w = room_with_organiser();
    let t = Tmux::new("serve-keepalive");
    // Keepalives every second (15 s in the room): a client that misses three is gone.
    let port = serve_with(&t, &w, "--keepalive-seconds 1");
    window(
        &t,
        "pw01",
        &format!(
            "sh -c \"{}; echo EXIT=\\$?; sleep 30\"",
            ssh(port, "password", "PW01", "")
        ),
    );
    // Slower than a keepalive at the password prompt: the login still works.
    t.wait_for("pw01", "assword", 10);
    std::thread::sleep(Duration::from_millis(2500));
    t.type_text("pw01", "5175");
    t.keys("pw01", &["Enter"]);
    t.wait_for("pw01", "JS001", 15);
    let s = console_connected(&t, port);
    assert!(listed(&s, "PW01"), "{s}");
    // The laptop goes away: its ssh answers nothing any more (the TCP connection stays open).
    let pid = ssh_pid(&t, "pw01");
    // SAFETY: a plain signal to a process this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);
    let frozen = Instant::now();
    while !stopped(pid) {
        assert!(frozen.elapsed() < Duration::from_secs(5), "ssh did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Still listed a moment later: the server waits for three missed keepalives.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(listed(&t.screen("console"), "PW01"), "{}", t.screen("console"));
    // The console's list follows by itself while open.
    loop {
        let s = t.screen("console");
        if !listed(&s, "PW01") {
            break;
        }
        assert!(
            frozen.elapsed() < Duration::from_secs(15),
            "the frozen client's session is still listed:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(stopped(pid), "ended while the client was still frozen");
    assert!(
        listed(&t.screen("console"), "organiser"),
        "the console's own session stays"
    );
    // Back again, the client finds its connection closed.
    // SAFETY: as above.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGCONT) }, 0);
    t.wait_for("pw01", "EXIT=", 10);
}

#[test]
fn an_idle_session_ends_says_why_and_the_connection_closes() {
    let w = workspace_without(&[]);
    let t = Tmux::new("serve-idle");
    // Three seconds without a key (--idle-minutes in the room).
    let port = serve_with(&t, &w, "--idle-seconds 3");
    window(
        &t,
        "pw02",
        &format!(
            "sh -c \"{}; echo EXIT=\\$?; sleep 30\"",
            ssh(port, "password", "PW02", "")
        ),
    );
    t.wait_for("pw02", "assword", 10);
    t.type_text("pw02", "5308");
    t.keys("pw02", &["Enter"]);
    t.wait_for("pw02", "JS001", 15);
    let s = t.wait_for("pw02", "EXIT=", 15);
    assert!(
        s.contains("No key for 1 minutes: this session has ended. Connect again to go on."),
        "{s}"
    );
    assert!(
        !s.contains("JS001"),
        "the screen is gone, the terminal given back:\n{s}"
    );
}

#[test]
fn the_organisers_console_over_ssh_ends_a_judges_session_and_the_judge_is_told() {
    let w = room_with_organiser();
    let t = Tmux::new("serve-end");
    let port = serve(&t, &w);
    window(
        &t,
        "pw03",
        &format!(
            "sh -c \"{}; echo EXIT=\\$?; sleep 30\"",
            ssh(port, "password", "PW03", "")
        ),
    );
    t.wait_for("pw03", "assword", 10);
    t.type_text("pw03", "1584");
    t.keys("pw03", &["Enter"]);
    t.wait_for("pw03", "JS001", 15);
    let s = console_connected(&t, port);
    // The judge logged in first: theirs is the first row, the one chosen.
    assert!(listed(&s, "PW03"), "{s}");
    t.keys("console", &["x"]);
    let s = t.wait_for("console", "session is ended", 10);
    assert!(s.contains("PW03's session is ended; their screen says why."), "{s}");
    let s = t.wait_for("pw03", "EXIT=", 10);
    assert!(
        s.contains("The organiser ended this session. Connect again if you need to go on."),
        "{s}"
    );
    assert!(!s.contains("JS001"), "{s}");
    // The list no longer has the judge; the console goes on.
    t.keys("console", &["w"]);
    std::thread::sleep(Duration::from_millis(500));
    let s = t.screen("console");
    assert!(!listed(&s, "PW03") && !t.dead("console"), "{s}");
}
