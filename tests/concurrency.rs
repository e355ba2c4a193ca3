//! Issue 6, test 1: sixteen judges' processes score at once through the library's public API.
//! Every acknowledged score is stored, no process ever sees "database is locked", and the file
//! passes `integrity_check`.

mod reliability_common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jury::store::{ChainCheck, Store};
use reliability_common::*;

const JUDGES: usize = 16;
const SCORING_TIME: Duration = Duration::from_secs(4);

/// Not a test: the body of a worker process (see `reliability_common`). Does nothing when run
/// by hand without the environment variable.
#[test]
#[ignore]
fn worker_entry() {
    if let Ok(spec) = std::env::var(WORKER_ENV) {
        run_worker(&spec);
    }
}

#[test]
fn sixteen_judges_score_at_once_and_every_acknowledged_score_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = create_workspace(dir.path(), JUDGES);
    let started = Instant::now();
    let children: Vec<_> = (1..=JUDGES)
        .map(|i| {
            let mut child = spawn_worker(&judge_id(i), &db, SCORING_TIME);
            let output = collect(&mut child);
            (child, output)
        })
        .collect();
    let mut steps = Vec::new();
    let mut stderr_all = String::new();
    for (mut child, output) in children {
        let status = child.wait().unwrap();
        let stdout = output.stdout.join().unwrap();
        let stderr = output.stderr.join().unwrap();
        assert!(status.success(), "a worker failed: {status}\n{stdout}\n{stderr}");
        steps.extend(parse_steps(&stdout));
        stderr_all.push_str(&stderr);
    }
    let elapsed = started.elapsed();

    let errors: Vec<&String> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Err(m) => Some(m),
            _ => None,
        })
        .collect();
    assert!(errors.is_empty(), "workers reported errors: {errors:?}");
    let lower = stderr_all.to_lowercase();
    assert!(
        !lower.contains("locked") && !lower.contains("busy"),
        "a worker saw a locked database: {stderr_all}"
    );

    let acks = steps.iter().filter(|s| matches!(s, Step::Ack(..))).count();
    let mut last_ack: HashMap<ScoreKey, jury::core::Points> = HashMap::new();
    for step in &steps {
        if let Step::Ack(key, value) = step {
            last_ack.insert(key.clone(), *value);
        }
    }
    let judges_heard: std::collections::HashSet<&String> = last_ack.keys().map(|k| &k.0).collect();
    assert_eq!(judges_heard.len(), JUDGES, "every judge got scores in");
    assert!(acks >= JUDGES * 10, "only {acks} scores acknowledged in {elapsed:?}");

    let store = Store::open(&db).unwrap();
    for (key, value) in &last_ack {
        assert_eq!(
            stored(&store, key),
            Some(*value),
            "acknowledged score {key:?} is not what was stored"
        );
    }
    store.integrity_check().unwrap();
    assert!(
        matches!(store.audit_verify().unwrap(), ChainCheck::Intact { .. }),
        "{:?}",
        store.audit_verify()
    );
    // Every acknowledged write has its audit row (written in the same transaction).
    let score_rows = store
        .audit_log(None, None)
        .unwrap()
        .iter()
        .filter(|r| r.action == "score")
        .count();
    assert_eq!(score_rows, acks);
    println!(
        "concurrency: {JUDGES} processes, {acks} scores acknowledged and stored in {:.1} s ({} distinct scores)",
        elapsed.as_secs_f64(),
        last_ack.len()
    );
}
