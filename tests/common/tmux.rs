//! Driving the real binary in tmux, as a person at a terminal would. Each `Tmux` runs its own
//! server (`-L`), so tests never see each other's windows, and kills it when dropped. tmux is
//! required (`.ci/run` installs it); without it these tests fail rather than pass silently.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::BIN;

/// Every window is 120x40, the size the screens are designed for beyond the 80x24 minimum.
const SESSION: &str = "jury";

pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn new(name: &str) -> Tmux {
        Tmux {
            socket: format!("jury-e2e-{name}-{}", std::process::id()),
        }
    }

    pub fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux must be installed for the end-to-end tests (.ci/run installs it)")
    }

    fn target(window: &str) -> String {
        format!("{SESSION}:{window}")
    }

    /// Start `jury --db DB ARGS…` in a new window named `window`, in English.
    pub fn start(&self, window: &str, db: &Path, args: &[&str]) {
        let mut command = format!(
            "env -u JURY_ORGANISER_PASS -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 TERM=xterm-256color {BIN} --db '{}'",
            db.display()
        );
        for a in args {
            command.push_str(&format!(" '{a}'"));
        }
        let has_session = self.cmd(&["has-session", "-t", SESSION]).status.success();
        let out = if has_session {
            self.cmd(&["new-window", "-t", SESSION, "-n", window, &command])
        } else {
            self.cmd(&[
                "new-session",
                "-d",
                "-s",
                SESSION,
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
        // Keep the pane after exit so a crash can be read.
        self.cmd(&["set-option", "-t", SESSION, "remain-on-exit", "on"]);
    }

    /// Send keys by tmux name (`Enter`, `F10`, `Escape`, `q`).
    pub fn keys(&self, window: &str, keys: &[&str]) {
        for k in keys {
            let out = self.cmd(&["send-keys", "-t", &Self::target(window), k]);
            assert!(
                out.status.success(),
                "send-keys {k}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Type text literally (Chinese included), as an input method commits it.
    pub fn type_text(&self, window: &str, text: &str) {
        let out = self.cmd(&["send-keys", "-t", &Self::target(window), "-l", text]);
        assert!(out.status.success());
        std::thread::sleep(Duration::from_millis(100));
    }

    pub fn screen(&self, window: &str) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", &Self::target(window)]).stdout).into_owned()
    }

    /// Wait until the screen contains `needle`; panics with the screen after `secs`.
    pub fn wait_for(&self, window: &str, needle: &str, secs: u64) -> String {
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

    /// Whether the program in `window` has exited.
    pub fn dead(&self, window: &str) -> bool {
        let out = self.cmd(&["display-message", "-p", "-t", &Self::target(window), "#{pane_dead}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// A loopback port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `command` (a shell line) in a new tmux window of `t`, 120x40, in English.
pub fn window(t: &Tmux, name: &str, command: &str) {
    let command = format!("env -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 TERM=xterm-256color {command}");
    let has_session = t.cmd(&["has-session", "-t", "jury"]).status.success();
    let out = if has_session {
        t.cmd(&["new-window", "-t", "jury", "-n", name, &command])
    } else {
        t.cmd(&[
            "new-session",
            "-d",
            "-s",
            "jury",
            "-n",
            name,
            "-x",
            "120",
            "-y",
            "40",
            &command,
        ])
    };
    assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
    t.cmd(&["set-option", "-t", "jury", "remain-on-exit", "on"]);
}
