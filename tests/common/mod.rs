//! Helpers shared by the integration tests: run the built binary on a workspace in a temp folder.

#![allow(dead_code)]

pub mod tmux;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_jury");

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(name)
}

pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    /// Given to every command in `JURY_ORGANISER_PASS` (see [`Workspace::with_organiser_pass`]);
    /// `None`: the variable is removed, so a developer's own environment never leaks in.
    pub organiser_pass: Option<String>,
}

impl Workspace {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("contest.jury");
        Workspace {
            dir,
            db,
            organiser_pass: None,
        }
    }

    /// Run every command with `pass` in `JURY_ORGANISER_PASS`, as an organiser's script does once
    /// the workspace has an organiser passphrase.
    pub fn with_organiser_pass(mut self, pass: &str) -> Self {
        self.organiser_pass = Some(pass.to_string());
        self
    }

    /// A workspace with a template, its entries, the judges and the scores loaded.
    pub fn loaded(template: &str) -> Self {
        let w = Workspace::new();
        w.ok(&["init", "--template", template]);
        let (entries, scores) = match template {
            "cases" => ("cases.csv", "scores-cases.csv"),
            _ => ("contestants.csv", "scores-competition.csv"),
        };
        w.ok(&["import", "entries", fixture(entries).to_str().unwrap()]);
        w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
        w.ok(&["import", "scores", fixture(scores).to_str().unwrap()]);
        w
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    /// [`Workspace::run`] with more environment variables set.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(BIN);
        command
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("JURY_DB")
            .env_remove("JURY_NEW_ORGANISER_PASS")
            // English whatever the machine's locale (the command line follows it, issue 17);
            // a test asks for Chinese with `run_with(.., &[("LANG", "zh_CN.UTF-8")])`.
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C");
        match &self.organiser_pass {
            Some(pass) => command.env("JURY_ORGANISER_PASS", pass),
            None => command.env_remove("JURY_ORGANISER_PASS"),
        };
        command.envs(env.iter().copied()).output().expect("run jury")
    }

    /// Run and require success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "jury {args:?} failed:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Run and require failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "jury {args:?} should have failed:\nstdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    pub fn tally_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["tally", "--format", "json"])).expect("tally json")
    }

    /// A digest of every row of every table: equal digests mean an unchanged database.
    pub fn digest(&self) -> String {
        let conn = rusqlite::Connection::open(&self.db).expect("open db");
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables.sort();
        let mut all = String::new();
        for t in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1, 2")).unwrap();
            let cols = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let mut line = String::new();
                    for i in 0..cols {
                        let v: rusqlite::types::Value = r.get(i)?;
                        line.push_str(&format!("{v:?}|"));
                    }
                    Ok(line)
                })
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            all.push_str(&format!("[{t}]\n{}\n", rows.join("\n")));
        }
        all
    }
}

/// Import `content` as `file_name` into `w` and require a refusal that names the file and changed
/// nothing; returns the message.
pub fn refused_in(w: &Workspace, kind: &str, file_name: &str, content: &[u8]) -> String {
    let before = w.digest();
    let path = w.path(file_name);
    std::fs::write(&path, content).unwrap();
    let err = w.fails(&["import", kind, path.to_str().unwrap()]);
    assert_eq!(
        before,
        w.digest(),
        "the database changed after a refused import:\n{err}"
    );
    assert!(
        err.contains(path.to_str().unwrap()),
        "the message names the file:\n{err}"
    );
    assert!(
        err.contains("Nothing was imported; the workspace is unchanged."),
        "{err}"
    );
    err
}

/// [`refused_in`] on a loaded competition workspace.
pub fn refused(kind: &str, file_name: &str, content: &[u8]) -> String {
    refused_in(&Workspace::loaded("competition"), kind, file_name, content)
}

/// The competition fixture with every judge's scores except `leave_out`'s.
pub fn workspace_without(leave_out: &[&str]) -> Workspace {
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

/// A judge's total for an entry and round, as `jury tally --format json` gives it.
pub fn judge_total(w: &Workspace, entry: &str, round: &str, judge: &str) -> Option<String> {
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

/// `LANG` for a Chinese locale, for `run_with`-style calls.
pub const ZH: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];

/// The standard output of a command that must have succeeded.
pub fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The standard error of a command that must have failed.
pub fn stderr_of_failure(out: &std::process::Output) -> String {
    assert!(
        !out.status.success(),
        "should have failed:\nstdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// The effective uid of the test process, from a file it makes (no libc in the tests).
pub fn euid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid()
}
