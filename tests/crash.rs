//! Issue 6, test 2: writers are killed with SIGKILL at random moments, 25 rounds. Every score a
//! writer acknowledged (printed after its commit returned) is in the database afterwards, and the
//! file passes `integrity_check` and the audit trail verifies.

mod reliability_common;

use std::time::{Duration, Instant};

use jury::store::{ChainCheck, Store};
use reliability_common::*;

const ROUNDS: usize = 25;
const WRITERS: usize = 4;

/// Not a test: the body of a worker process (see `reliability_common`).
#[test]
#[ignore]
fn worker_entry() {
    if let Ok(spec) = std::env::var(WORKER_ENV) {
        run_worker(&spec);
    }
}

/// xorshift64: kill moments that differ per run without a dependency; the seed is printed.
struct Moments(u64);

impl Moments {
    fn next_millis(&mut self, from: u64, to: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        from + self.0 % (to - from)
    }
}

#[test]
fn writers_killed_at_random_moments_lose_no_acknowledged_score() {
    let dir = tempfile::tempdir().unwrap();
    let db = create_workspace(dir.path(), WRITERS);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut moments = Moments(seed);
    let mut steps = Vec::new();
    let started = Instant::now();
    let mut killed_mid_write = 0;
    for _ in 0..ROUNDS {
        let mut children: Vec<_> = (1..=WRITERS)
            .map(|i| {
                let mut child = spawn_worker(&judge_id(i), &db, Duration::from_secs(60));
                let output = collect(&mut child);
                (child, output)
            })
            .collect();
        std::thread::sleep(Duration::from_millis(moments.next_millis(30, 400)));
        for (child, _) in children.iter_mut() {
            // SIGKILL on Unix: no destructor, no rollback, no flush.
            child.kill().unwrap();
        }
        for (mut child, output) in children.drain(..) {
            child.wait().unwrap();
            let round_steps = parse_steps(&output.stdout.join().unwrap());
            if matches!(round_steps.last(), Some(Step::Try(..))) {
                killed_mid_write += 1;
            }
            let errors: Vec<&Step> = round_steps.iter().filter(|s| matches!(s, Step::Err(_))).collect();
            assert!(errors.is_empty(), "a writer reported errors: {errors:?}");
            steps.extend(round_steps);
        }
    }

    let store = Store::open(&db).unwrap();
    store.integrity_check().unwrap();
    let acks = steps.iter().filter(|s| matches!(s, Step::Ack(..))).count();
    let allowed = allowed_values(&steps);
    let mut checked = 0;
    for (key, (acknowledged, values)) in &allowed {
        let now = stored(&store, key);
        if *acknowledged {
            checked += 1;
            let value = now.unwrap_or_else(|| panic!("acknowledged score {key:?} is missing"));
            assert!(
                values.contains(&value),
                "{key:?} holds {value}, expected one of {values:?}"
            );
        } else if let Some(value) = now {
            // Never acknowledged: the write was cut off before or after its commit.
            assert!(values.contains(&value), "{key:?} holds {value} that was never tried");
        }
    }
    assert!(
        acks > ROUNDS,
        "only {acks} acknowledgements in {ROUNDS} rounds: the kills came too early"
    );
    assert!(
        matches!(store.audit_verify().unwrap(), ChainCheck::Intact { .. }),
        "{:?}",
        store.audit_verify()
    );
    println!(
        "crash: {ROUNDS} rounds of {WRITERS} writers killed (seed {seed}), {acks} acknowledgements, {checked} scores \
         checked, {killed_mid_write} writers killed between a try and its acknowledgement, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
