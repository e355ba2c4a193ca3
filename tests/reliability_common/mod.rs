//! Helpers for the reliability tests (concurrency, crash): a workspace with many judges, and
//! worker processes made by re-executing the test binary itself.
//!
//! A worker is the test binary run as `<exe> worker_entry --exact --ignored --nocapture` with
//! `JURY_WORKER=judge:<id>:<db path>:<milliseconds>` set. It scores through the library's public API
//! and prints one line per step: `TRY key value` before a write, `ACK key value` after the write
//! returned Ok (so after its commit), `ERR message` when a write failed.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jury::app::import::{import_entries, import_judges};
use jury::app::judging::JudgeSession;
use jury::core::Points;
use jury::core::rubric::template_source;
use jury::import::{read_table, read_table_bytes};
use jury::store::Store;

pub const WORKER_ENV: &str = "JURY_WORKER";

/// (judge, entry, round, criterion)
pub type ScoreKey = (String, String, String, String);

pub fn judge_id(i: usize) -> String {
    format!("J{i:02}")
}

/// A competition workspace with the fixture's contestants and `judges` judges J01, J02, ….
pub fn create_workspace(dir: &Path, judges: usize) -> PathBuf {
    let db = dir.join("contest.jury");
    let store = Store::create(&db).unwrap();
    let (file, source) = template_source("competition").unwrap();
    store.init(file, source, Some("可靠性测试")).unwrap();
    let contestants = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/contestants.csv");
    import_entries(&store, &read_table(&contestants, None).unwrap(), false).unwrap();
    let mut csv = String::from("id,name,organization,county,pin\n");
    for i in 1..=judges {
        // An organisation no contestant has, so no judge is in conflict with any entry.
        csv.push_str(&format!("{},评委{i},评审专家库,专家库,{}\n", judge_id(i), 1000 + i));
    }
    import_judges(&store, &read_table_bytes("judges.csv", csv.as_bytes(), None).unwrap()).unwrap();
    db
}

/// Start a worker process scoring as `judge` for `duration` (or until killed).
pub fn spawn_worker(judge: &str, db: &Path, duration: Duration) -> Child {
    let exe = std::env::current_exe().unwrap();
    Command::new(exe)
        .args([
            "worker_entry",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(
            WORKER_ENV,
            format!("judge:{judge}:{}:{}", duration.as_millis(), db.display()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Read a child's stdout and stderr to the end on threads (a full pipe would block the child).
pub struct Output {
    pub stdout: std::thread::JoinHandle<String>,
    pub stderr: std::thread::JoinHandle<String>,
}

pub fn collect(child: &mut Child) -> Output {
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    Output {
        stdout: std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = out.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        }),
        stderr: std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = err.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        }),
    }
}

/// One line a worker printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Try(ScoreKey, Points),
    Ack(ScoreKey, Points),
    Err(String),
}

/// The complete lines of a worker's stdout; a line cut short by a kill is ignored.
pub fn parse_steps(stdout: &str) -> Vec<Step> {
    let complete = match stdout.rfind('\n') {
        Some(end) => &stdout[..end],
        None => "",
    };
    complete
        .lines()
        .filter_map(|line| {
            if let Some(message) = line.strip_prefix("ERR ") {
                return Some(Step::Err(message.to_string()));
            }
            let mut parts = line.split(' ');
            let kind = parts.next()?;
            let fields: Vec<&str> = parts.collect();
            if !matches!(kind, "TRY" | "ACK") || fields.len() != 5 {
                return None;
            }
            let key = (
                fields[0].to_string(),
                fields[1].to_string(),
                fields[2].to_string(),
                fields[3].to_string(),
            );
            let value = Points::parse(fields[4]).unwrap();
            Some(if kind == "TRY" {
                Step::Try(key, value)
            } else {
                Step::Ack(key, value)
            })
        })
        .collect()
}

/// For every key: the values the database may hold after `steps` (in order) — the last
/// acknowledged value, or a value tried after it whose acknowledgement the kill cut off.
/// The bool says whether any value was acknowledged.
pub fn allowed_values(steps: &[Step]) -> HashMap<ScoreKey, (bool, Vec<Points>)> {
    let mut allowed: HashMap<ScoreKey, (bool, Vec<Points>)> = HashMap::new();
    for step in steps {
        match step {
            Step::Ack(key, value) => {
                allowed.insert(key.clone(), (true, vec![*value]));
            }
            Step::Try(key, value) => allowed.entry(key.clone()).or_default().1.push(*value),
            Step::Err(_) => {}
        }
    }
    allowed
}

/// The worker's loop: score every criterion of every entry in turn, until the deadline.
pub fn run_worker(spec: &str) {
    let mut parts = spec.splitn(4, ':');
    let (Some("judge"), Some(judge), Some(millis), Some(db)) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        panic!("bad {WORKER_ENV}: {spec}");
    };
    let deadline = Instant::now() + Duration::from_millis(millis.parse().unwrap());
    // Start a line of our own: libtest may have printed "test worker_entry ... " without one.
    println!();
    let store = match Store::open(Path::new(db)) {
        Ok(s) => s,
        Err(e) => {
            println!("ERR open: {e}");
            return;
        }
    };
    let session = match JudgeSession::trusted(&store, judge) {
        Ok(s) => s,
        Err(e) => {
            println!("ERR session: {e}");
            return;
        }
    };
    let rubric = session.rubric().unwrap().clone();
    let entries: Vec<String> = session
        .entries()
        .unwrap()
        .into_iter()
        .map(|r| r.entry.id().to_string())
        .collect();
    let step = rubric.step.units();
    // Different values in every run, so a stale value cannot pass for a fresh one by chance.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as i64);
    let mut counter = (std::process::id() as i64).wrapping_mul(7919) + nanos;
    while Instant::now() < deadline {
        for entry in &entries {
            for round in &rubric.rounds {
                for criterion in &round.criteria {
                    if Instant::now() >= deadline {
                        return;
                    }
                    counter = counter.wrapping_add(1);
                    let choices = criterion.max.units() / step + 1;
                    let value = Points::from_units(counter.rem_euclid(choices) * step);
                    let key = format!("{judge} {entry} {} {}", round.id, criterion.id);
                    println!("TRY {key} {value}");
                    match session.set_score(entry, &round.id, &criterion.id, &value.to_string()) {
                        Ok(_) => println!("ACK {key} {value}"),
                        Err(e) => println!("ERR {key}: {e}"),
                    }
                }
            }
        }
    }
}

/// The stored value of `key`, read through the public API.
pub fn stored(store: &Store, key: &ScoreKey) -> Option<Points> {
    store.score(&key.0, &key.1, &key.2, &key.3).unwrap()
}
