//! The one writer of `jury serve`: a thread that owns the server's only write connection
//! (`synchronous=FULL`) and a bounded queue of typed requests, each with its own reply channel.
//!
//! First come, first served: the thread takes everything waiting (up to [`GROUP_CAP`]), runs each
//! judge's write in a savepoint of its own inside one transaction (a refused request rolls back
//! only itself and gets its own refusal), commits once, and only then answers each request with
//! its own outcome (group commit). A job given to [`WriterHandle::exclusive`] runs alone, between
//! groups, in its place in the queue. Sessions keep their own connections for reading (WAL).
//!
//! A writer that is gone (its thread ended) makes every request fail at once with
//! [`crate::core::refusal::ServeRefusal::WriterGone`]; a request is never left waiting for an answer that cannot come.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::app::judging::{JudgeError, JudgeResult, JudgeSeat, JudgeSession, JudgeWrite, Refusal, Written};
use crate::error::{Error, Result};
use crate::store::Store;

/// At most this many requests share one transaction.
pub const GROUP_CAP: usize = 256;
/// Requests waiting beyond this many make the sender wait (back-pressure, bounded memory).
pub const QUEUE_CAP: usize = 1024;
/// How long a group waits for another process's write lock before its requests are refused as
/// busy (the judges' screen keeps the value and tries again, as on a local terminal).
const LOCK_WAIT: Duration = Duration::from_secs(1);
/// How long a request waits for room in a full queue, and a judge's write for its answer.
const ENQUEUE_WAIT: Duration = Duration::from_secs(30);
const REPLY_WAIT: Duration = Duration::from_secs(60);
/// Prepared statements the writer's connection keeps: every statement a save, a submit, a
/// comment and the seal run, with room to spare, so none is compiled twice.
pub const WRITER_STATEMENTS: usize = 128;
/// Timings kept for the percentiles (the count and the maximum are always exact).
const SAMPLES_CAP: usize = 4_000_000;

/// An exclusive job: run it, then (once its time is recorded) answer with what it returns.
type ExclusiveJob = Box<dyn FnOnce(&Store) -> Answer + Send>;
type Answer = Box<dyn FnOnce() + Send>;

enum Job {
    Judge {
        seat: JudgeSeat,
        write: JudgeWrite,
        reply: SyncSender<JudgeResult<Written>>,
        at: Instant,
    },
    Exclusive {
        run: ExclusiveJob,
        at: Instant,
    },
}

/// What the writer measured: every request's time from entering the queue to its durable commit,
/// and the sizes of the groups.
#[derive(Debug, Default)]
struct Log {
    requests: u64,
    transactions: u64,
    /// Microseconds, up to [`SAMPLES_CAP`] of them.
    samples: Vec<u64>,
    max_us: u64,
    group_max: usize,
    checkpoints: u64,
}

impl Log {
    /// `group`: how many requests shared the transaction; 0 when it did not commit.
    fn record(&mut self, waits: impl IntoIterator<Item = Duration>, group: usize) {
        self.transactions += u64::from(group > 0);
        self.group_max = self.group_max.max(group);
        for wait in waits {
            let us = u64::try_from(wait.as_micros()).unwrap_or(u64::MAX);
            self.requests += 1;
            self.max_us = self.max_us.max(us);
            if self.samples.len() < SAMPLES_CAP {
                self.samples.push(us);
            }
        }
    }
}

/// The writer's figures so far ([`WriterHandle::stats`]), what `jury serve --stats-file` writes.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct WriterStats {
    /// Requests answered after a commit (judges' writes, and exclusive jobs, one each).
    pub requests: u64,
    /// Transactions committed (a group is one; an exclusive job counts as one; a group whose
    /// commit failed, none).
    pub transactions: u64,
    pub commit_ms_p50: f64,
    pub commit_ms_p99: f64,
    pub commit_ms_max: f64,
    /// The largest number of requests that shared one transaction.
    pub group_max: usize,
    /// Checkpoints made beside the commits (the writer's own commits make none).
    pub checkpoints: u64,
}

impl WriterStats {
    fn of(log: &Log) -> WriterStats {
        let mut sorted = log.samples.clone();
        sorted.sort_unstable();
        let at = |q: f64| -> f64 {
            if sorted.is_empty() {
                return 0.0;
            }
            // Nearest rank.
            let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
            sorted[rank - 1] as f64 / 1000.0
        };
        WriterStats {
            requests: log.requests,
            transactions: log.transactions,
            commit_ms_p50: at(0.50),
            commit_ms_p99: at(0.99),
            commit_ms_max: log.max_us as f64 / 1000.0,
            group_max: log.group_max,
            checkpoints: log.checkpoints,
        }
    }

    /// The figures as one JSON object.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }
}

/// A way to hand requests to the writer: cheap to clone, for every session's thread.
#[derive(Clone)]
pub struct WriterHandle {
    queue: SyncSender<Job>,
    log: Arc<Mutex<Log>>,
    /// Requests in the queue, not yet taken by the writer.
    waiting: Arc<AtomicUsize>,
}

impl std::fmt::Debug for WriterHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WriterHandle")
    }
}

fn writer_gone() -> Error {
    crate::core::refusal::ServeRefusal::WriterGone.into()
}

impl WriterHandle {
    fn enqueue(&self, mut job: Job) -> Result<()> {
        let deadline = Instant::now() + ENQUEUE_WAIT;
        loop {
            self.waiting.fetch_add(1, Ordering::SeqCst);
            match self.queue.try_send(job) {
                Ok(()) => return Ok(()),
                Err(TrySendError::Disconnected(_)) => {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(writer_gone());
                }
                Err(TrySendError::Full(back)) => {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    if Instant::now() >= deadline {
                        return Err(crate::core::refusal::ServeRefusal::WriterFull.into());
                    }
                    job = back;
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        }
    }

    /// Carry out a judge's write in its turn; the answer comes only once it is durable (or it was
    /// refused, and nothing of it is stored).
    pub fn judge(&self, seat: JudgeSeat, write: JudgeWrite) -> JudgeResult<Written> {
        let (reply, answer) = sync_channel(1);
        self.enqueue(Job::Judge {
            seat,
            write,
            reply,
            at: Instant::now(),
        })?;
        match answer.recv_timeout(REPLY_WAIT) {
            Ok(outcome) => outcome,
            Err(RecvTimeoutError::Disconnected) => Err(JudgeError::Store(
                crate::core::refusal::ServeRefusal::WriterStoppedBeforeAnswer.into(),
            )),
            Err(RecvTimeoutError::Timeout) => Err(JudgeError::Store(
                crate::core::refusal::ServeRefusal::WriterTimeout.into(),
            )),
        }
    }

    /// Run `job` alone on the writer's connection, between two groups, in its turn in the queue:
    /// nothing else writes meanwhile. Its result, or an error when the writer is gone (or the job
    /// panicked).
    pub fn exclusive<R: Send + 'static>(&self, job: impl FnOnce(&Store) -> R + Send + 'static) -> Result<R> {
        let (reply, answer) = sync_channel(1);
        let run: ExclusiveJob = Box::new(move |store: &Store| {
            let result = job(store);
            Box::new(move || {
                let _ = reply.send(result);
            })
        });
        self.enqueue(Job::Exclusive {
            run,
            at: Instant::now(),
        })?;
        // No time limit: an import may take long. A writer that ends drops the reply channel.
        answer
            .recv()
            .map_err(|_| Error::from(crate::core::refusal::ServeRefusal::WriterStoppedBeforeFinish))
    }

    /// How many requests are in the queue, not yet taken by the writer.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// The figures so far.
    pub fn stats(&self) -> WriterStats {
        match self.log.lock() {
            Ok(log) => WriterStats::of(&log),
            Err(poisoned) => WriterStats::of(&poisoned.into_inner()),
        }
    }
}

/// The writer: its thread, and a handle to it.
pub struct Writer {
    handle: WriterHandle,
}

impl Writer {
    /// Open the workspace at `path` on a connection of its own and start the writer's thread.
    /// An error when the workspace cannot be opened (nothing is started).
    pub fn start(path: &Path) -> Result<Writer> {
        let (queue, jobs) = sync_channel::<Job>(QUEUE_CAP);
        let (ready, started) = sync_channel::<Result<()>>(1);
        let log = Arc::new(Mutex::new(Log::default()));
        let thread_log = log.clone();
        let waiting = Arc::new(AtomicUsize::new(0));
        let thread_waiting = waiting.clone();
        let path = path.to_path_buf();
        // The commits never checkpoint: a checkpoint writes pages into the file and syncs it,
        // and the commit that set it off (with the group waiting behind it) took its time. This
        // thread checkpoints beside them, at most every CHECKPOINT_EVERY, after commits.
        let (poke, pokes) = sync_channel::<()>(1);
        let checkpoint_log = log.clone();
        let checkpoint_path = path.clone();
        std::thread::Builder::new()
            .name("jury-checkpoint".into())
            .spawn(move || checkpoints(&checkpoint_path, &pokes, &checkpoint_log))
            .map_err(Error::Io)?;
        std::thread::Builder::new()
            .name("jury-writer".into())
            .spawn(move || {
                let store = match open(&path) {
                    Ok(store) => store,
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                let _ = ready.send(Ok(()));
                run(&store, &jobs, &thread_log, &thread_waiting, &poke);
            })
            .map_err(Error::Io)?;
        started.recv().map_err(|_| writer_gone())??;
        Ok(Writer {
            handle: WriterHandle { queue, log, waiting },
        })
    }

    pub fn handle(&self) -> WriterHandle {
        self.handle.clone()
    }
}

/// The least time between two checkpoints: the WAL grows by a few hundred pages meanwhile at the
/// busiest, and each checkpoint copies them in one go.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Checkpoints after commits (each poke says one was made) until the writer is gone. A
/// checkpoint that fails (a reader holds the WAL's end, the disk) is tried again after the next.
fn checkpoints(path: &Path, pokes: &Receiver<()>, log: &Mutex<Log>) {
    let Ok(store) = Store::open(path) else { return };
    let checkpoint = || {
        if store.checkpoint().is_ok() {
            match log.lock() {
                Ok(mut log) => log.checkpoints += 1,
                Err(poisoned) => poisoned.into_inner().checkpoints += 1,
            }
        }
    };
    let mut pending = pokes.recv().is_ok();
    while pending {
        checkpoint();
        pending = false;
        // The pause; commits meanwhile are checkpointed right after it. The writer gone: what
        // it committed last is checkpointed, and this connection closes.
        let until = Instant::now() + CHECKPOINT_EVERY;
        while let Some(left) = until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
            match pokes.recv_timeout(left) {
                Ok(()) => pending = true,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    if pending {
                        checkpoint();
                    }
                    return;
                }
            }
        }
        if !pending {
            pending = pokes.recv().is_ok();
        }
    }
}

fn open(path: &Path) -> Result<Store> {
    let store = Store::open(path)?;
    store.no_checkpoint_at_commit()?;
    store.keep_statements(WRITER_STATEMENTS);
    store.rubric()?;
    let sync = store.synchronous()?;
    if sync != 2 {
        return Err(crate::core::refusal::StoreRefusal::NotSynchronous {
            path: path.to_path_buf(),
            sync,
        }
        .into());
    }
    Ok(store)
}

/// The writer's loop: until every handle is gone.
fn run(store: &Store, jobs: &Receiver<Job>, log: &Mutex<Log>, waiting: &AtomicUsize, poke: &SyncSender<()>) {
    while let Ok(first) = jobs.recv() {
        let mut taken = vec![first];
        while taken.len() < GROUP_CAP {
            match jobs.try_recv() {
                Ok(job) => taken.push(job),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        waiting.fetch_sub(taken.len(), Ordering::SeqCst);
        // In their order: judges' writes side by side form a group; an exclusive job runs alone.
        let mut group = Vec::new();
        for job in taken {
            match job {
                Job::Judge { seat, write, reply, at } => group.push((seat, write, reply, at)),
                Job::Exclusive { run, at } => {
                    commit_group(store, std::mem::take(&mut group), log);
                    let ran = catch_unwind(AssertUnwindSafe(|| run(store)));
                    record(log, [at.elapsed()], 1);
                    match ran {
                        Ok(answer) => answer(),
                        // Its reply channel is gone with it: the caller hears so.
                        Err(_) => store.roll_back_open(),
                    }
                }
            }
        }
        commit_group(store, group, log);
        // A checkpoint may follow (one poke waits at most; more would say nothing new).
        let _ = poke.try_send(());
    }
}

fn record(log: &Mutex<Log>, waits: impl IntoIterator<Item = Duration>, group: usize) {
    match log.lock() {
        Ok(mut log) => log.record(waits, group),
        Err(poisoned) => poisoned.into_inner().record(waits, group),
    }
}

type Request = (JudgeSeat, JudgeWrite, SyncSender<JudgeResult<Written>>, Instant);

/// One transaction for `group`, a savepoint each; the answers after the commit.
fn commit_group(store: &Store, group: Vec<Request>, log: &Mutex<Log>) {
    if group.is_empty() {
        return;
    }
    let committed = catch_unwind(AssertUnwindSafe(|| {
        store.write_group(LOCK_WAIT, |g| {
            group
                .iter()
                .map(|(seat, write, _, _)| {
                    let session = JudgeSession::seated(g.store(), seat);
                    let mut refusal = None;
                    let done = g.savepoint(|tx| match session.apply_in(tx, write) {
                        Ok(written) => Ok(written),
                        Err(JudgeError::Refused(r)) => {
                            let e = Error::Judging(r.clone());
                            refusal = Some(r);
                            Err(e)
                        }
                        Err(JudgeError::Store(e)) => Err(e),
                    });
                    match (refusal, done) {
                        (Some(r), _) => Err(JudgeError::Refused(r)),
                        (None, done) => done.map_err(JudgeError::Store),
                    }
                })
                .collect::<Vec<_>>()
        })
    }));
    let committed = match committed {
        Ok(committed) => committed,
        Err(_) => {
            // A bug below panicked: nothing of the group is kept; the replies are dropped with
            // the group, so each caller hears that the writer did not answer.
            store.roll_back_open();
            return;
        }
    };
    let size = if committed.is_ok() { group.len() } else { 0 };
    record(log, group.iter().map(|(_, _, _, at)| at.elapsed()), size);
    match committed {
        Ok(outcomes) => {
            for ((_, _, reply, _), outcome) in group.into_iter().zip(outcomes) {
                let _ = reply.send(outcome);
            }
        }
        Err(e) => {
            for (_, _, reply, _) in group {
                let _ = reply.send(Err(each(&e)));
            }
        }
    }
}

/// The group's failure, told to each of its requests (none of them was stored).
fn each(e: &Error) -> JudgeError {
    match e {
        Error::Busy { .. } => JudgeError::Refused(Refusal::Busy),
        Error::WorkspaceGone { .. } => JudgeError::Refused(Refusal::WorkspaceGone),
        Error::DiskFull { path, message } => JudgeError::Store(Error::DiskFull {
            path: path.clone(),
            message: message.clone(),
        }),
        other => JudgeError::Store(crate::core::refusal::ServeRefusal::NothingStored(other.to_string()).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
    use crate::core::Points;
    use std::path::PathBuf;

    /// The demo workspace, its writer, and the demo judge's first round, first criterion.
    struct Room {
        _dir: tempfile::TempDir,
        path: PathBuf,
        writer: Writer,
        round: String,
        criterion: String,
        /// Entries the demo judge may score and has not started.
        open: Vec<String>,
    }

    fn room() -> Room {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let session = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        let rubric = store.rubric().unwrap().clone();
        let open = session
            .entries()
            .unwrap()
            .into_iter()
            .filter(|row| row.conflict.is_none() && !row.calibration && row.submitted_rounds() == 0)
            .map(|row| row.entry.id().to_string())
            .collect();
        let writer = Writer::start(&path).unwrap();
        Room {
            _dir: dir,
            path,
            writer,
            round: rubric.rounds[0].id.clone(),
            criterion: rubric.rounds[0].criteria[0].id.clone(),
            open,
        }
    }

    fn seat(path: &Path, judge: &str) -> JudgeSeat {
        let store = Store::open(path).unwrap();
        JudgeSession::trusted(&store, judge).unwrap().seat()
    }

    fn save(room: &Room, entry: &str, value: i64) -> JudgeWrite {
        JudgeWrite::SaveScore {
            entry: entry.to_string(),
            round: room.round.clone(),
            criterion: room.criterion.clone(),
            value: Points::from_int(value),
        }
    }

    /// A fresh connection's reading of the demo judge's value.
    fn stored(path: &Path, judge: &str, entry: &str, room: &Room) -> Option<Points> {
        Store::open(path)
            .unwrap()
            .score(judge, entry, &room.round, &room.criterion)
            .unwrap()
    }

    /// Holds the writer in an exclusive job until the returned sender is dropped or sent to.
    fn hold(handle: &WriterHandle) -> (SyncSender<()>, std::thread::JoinHandle<Result<()>>) {
        let (release, held) = sync_channel::<()>(1);
        let (started, running) = sync_channel::<()>(1);
        let h = handle.clone();
        let job = std::thread::spawn(move || {
            h.exclusive(move |_| {
                let _ = started.send(());
                let _ = held.recv();
            })
        });
        running.recv().unwrap();
        (release, job)
    }

    fn wait_for_queue(handle: &WriterHandle, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while handle.waiting() < n {
            assert!(Instant::now() < deadline, "only {} of {n} queued", handle.waiting());
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn the_writers_connection_is_synchronous_full() {
        let room = room();
        assert_eq!(room.writer.handle().exclusive(|s| s.synchronous()).unwrap().unwrap(), 2);
    }

    /// The writer's commits never wait for a checkpoint: its connection checkpoints nothing at a
    /// commit, and the checkpoint thread moves the WAL into the file beside it.
    #[test]
    fn commits_make_no_checkpoint_and_the_checkpoint_thread_moves_the_wal_beside_them() {
        let room = room();
        let handle = room.writer.handle();
        assert_eq!(handle.exclusive(|s| s.checkpoint_at_commit()).unwrap().unwrap(), 0);
        for (k, entry) in room.open[..4].iter().enumerate() {
            handle
                .judge(seat(&room.path, DEMO_JUDGE), save(&room, entry, k as i64 + 1))
                .unwrap();
        }
        // Waiting for the thread's checkpoint (an event, not a time being measured).
        let deadline = Instant::now() + Duration::from_secs(10);
        while handle.stats().checkpoints == 0 {
            assert!(Instant::now() < deadline, "no checkpoint after the commits");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn saves_from_many_threads_all_land_each_with_its_own_outcome_read_after_the_reply() {
        let room = room();
        let threads: Vec<_> = room.open[..8]
            .iter()
            .enumerate()
            .map(|(k, entry)| {
                let handle = room.writer.handle();
                let seat = seat(&room.path, DEMO_JUDGE);
                let write = save(&room, entry, k as i64 + 1);
                let (path, entry) = (room.path.clone(), entry.clone());
                let (round, criterion) = (room.round.clone(), room.criterion.clone());
                std::thread::spawn(move || {
                    let outcome = handle.judge(seat, write);
                    // The reply came: a connection opened now reads the value (it is committed).
                    let seen = Store::open(&path)
                        .unwrap()
                        .score(DEMO_JUDGE, &entry, &round, &criterion)
                        .unwrap();
                    (outcome, seen)
                })
            })
            .collect();
        for (k, thread) in threads.into_iter().enumerate() {
            let (outcome, seen) = thread.join().unwrap();
            let value = Points::from_int(k as i64 + 1);
            assert_eq!(outcome.unwrap(), Written::Score(value));
            assert_eq!(seen, Some(value));
        }
        for (k, entry) in room.open[..8].iter().enumerate() {
            assert_eq!(
                stored(&room.path, DEMO_JUDGE, entry, &room),
                Some(Points::from_int(k as i64 + 1))
            );
        }
        let stats = room.writer.handle().stats();
        assert_eq!(stats.requests, 8);
        assert!((1..=8).contains(&stats.transactions), "{stats:?}");
        assert!(stats.commit_ms_max >= stats.commit_ms_p99 && stats.commit_ms_p99 >= stats.commit_ms_p50);
        let store = Store::open(&room.path).unwrap();
        assert!(matches!(
            store.audit_verify().unwrap(),
            crate::app::ChainCheck::Intact { .. }
        ));
        assert!(matches!(
            store.check_seal().unwrap(),
            crate::app::SealCheck::Matches { .. }
        ));
    }

    #[test]
    fn a_refused_request_rolls_back_only_itself_in_the_shared_transaction() {
        let room = room();
        let handle = room.writer.handle();
        let (release, blocker) = hold(&handle);
        let max = {
            let store = Store::open(&room.path).unwrap();
            store.rubric().unwrap().rounds[0].criteria[0].max
        };
        let (a, b) = (room.open[0].clone(), room.open[1].clone());
        let requests = vec![
            (DEMO_JUDGE, save(&room, &a, 1)),
            // Over the maximum: refused.
            (
                DEMO_JUDGE,
                JudgeWrite::SaveScore {
                    entry: room.open[2].clone(),
                    round: room.round.clone(),
                    criterion: room.criterion.clone(),
                    value: max + Points::from_int(1),
                },
            ),
            // PW01 has submitted every sheet of the demo: refused.
            ("PW01", save(&room, &a, 1)),
            (DEMO_JUDGE, save(&room, &b, 2)),
        ];
        let mut threads = Vec::new();
        for (n, (judge, write)) in requests.into_iter().enumerate() {
            let (h, seat) = (handle.clone(), seat(&room.path, judge));
            threads.push(std::thread::spawn(move || h.judge(seat, write)));
            // In this order in the queue.
            wait_for_queue(&handle, n + 1);
        }
        drop(release);
        blocker.join().unwrap().unwrap();
        let outcomes: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(outcomes[0].as_ref().unwrap(), &Written::Score(Points::from_int(1)));
        assert!(
            matches!(&outcomes[1], Err(JudgeError::Refused(Refusal::OverMax { .. }))),
            "{:?}",
            outcomes[1]
        );
        assert!(
            matches!(&outcomes[2], Err(JudgeError::Refused(Refusal::Submitted))),
            "{:?}",
            outcomes[2]
        );
        assert_eq!(outcomes[3].as_ref().unwrap(), &Written::Score(Points::from_int(2)));
        assert_eq!(stored(&room.path, DEMO_JUDGE, &a, &room), Some(Points::from_int(1)));
        assert_eq!(stored(&room.path, DEMO_JUDGE, &b, &room), Some(Points::from_int(2)));
        assert_eq!(stored(&room.path, DEMO_JUDGE, &room.open[2], &room), None);
        // The four shared one transaction (the blocker, alone, was the other).
        let stats = handle.stats();
        assert_eq!((stats.requests, stats.transactions), (5, 2), "{stats:?}");
        assert_eq!(stats.group_max, 4, "{stats:?}");
        let store = Store::open(&room.path).unwrap();
        assert!(matches!(
            store.audit_verify().unwrap(),
            crate::app::ChainCheck::Intact { .. }
        ));
        assert!(matches!(
            store.check_seal().unwrap(),
            crate::app::SealCheck::Matches { .. }
        ));
    }

    /// A group of N saves runs each statement of a save N times, compiled once (rusqlite keeps
    /// 16 statements by default, fewer than a save runs: each was compiled again at every use,
    /// with the seal's triggers, a third of the writer's time), and the seal is read and written
    /// once per group, not once per save; the seal still matches.
    #[test]
    fn a_group_of_n_saves_runs_each_statement_n_times_compiled_once_and_seals_once() {
        let room = room();
        let handle = room.writer.handle();
        let n = 6;
        for round in 1..=2 {
            let (release, blocker) = hold(&handle);
            let mut threads = Vec::new();
            for (k, entry) in room.open[..n].iter().enumerate() {
                let write = save(&room, entry, (k + round) as i64 % 5 + 1);
                let (h, seat) = (handle.clone(), seat(&room.path, DEMO_JUDGE));
                threads.push(std::thread::spawn(move || h.judge(seat, write)));
                wait_for_queue(&handle, k + 1);
            }
            drop(release);
            blocker.join().unwrap().unwrap();
            for thread in threads {
                assert!(matches!(thread.join().unwrap(), Ok(Written::Score(_))));
            }
        }
        assert_eq!(handle.stats().group_max, n);
        let runs = |start: &'static str| handle.exclusive(move |s| s.statement_runs(start)).unwrap();
        // Two groups of n saves: each statement of a save is one statement, kept, run at least
        // once per save (its triggers' runs count too), never compiled again.
        let saves = 2 * n as i32;
        for sql in [
            "SAVEPOINT jury_request",
            "RELEASE jury_request",
            "SELECT id, grp FROM entries WHERE id",
            "SELECT 1 FROM phase_left",
            "SELECT kind, reason FROM withdrawals",
            "SELECT reason FROM conflicts",
            "SELECT organization FROM judges WHERE id",
            "SELECT organization FROM entries WHERE id",
            "SELECT status FROM sheets",
            "INSERT INTO sheets(entry, round, judge, status, updated_at)",
            "INSERT INTO scores(",
            "INSERT INTO audit(",
        ] {
            let held = runs(sql);
            assert_eq!(held.len(), 1, "{sql}: {held:?}");
            let (ran, compiled_again) = held[0];
            assert!(ran >= saves, "{sql}: ran {ran} times for {saves} saves");
            assert_eq!(compiled_again, 0, "{sql}");
        }
        // The entry's texts are not read to check a save.
        assert_eq!(runs("SELECT background, problem"), Vec::new());
        // The seal is read and written once per group (twice), not once per save.
        let seal = runs("UPDATE meta SET value");
        assert_eq!(seal.len(), 1, "{seal:?}");
        assert!(
            seal[0].0 < saves,
            "the seal written {} times for {saves} saves",
            seal[0].0
        );
        let store = Store::open(&room.path).unwrap();
        assert!(matches!(
            store.check_seal().unwrap(),
            crate::app::SealCheck::Matches { .. }
        ));
        assert!(matches!(
            store.audit_verify().unwrap(),
            crate::app::ChainCheck::Intact { .. }
        ));
    }

    #[test]
    fn two_saves_of_one_criterion_in_one_group_are_stored_in_their_order_the_later_wins() {
        let room = room();
        let handle = room.writer.handle();
        let (release, blocker) = hold(&handle);
        let entry = room.open[0].clone();
        let mut threads = Vec::new();
        for (n, value) in [7, 3].into_iter().enumerate() {
            let (h, seat, write) = (handle.clone(), seat(&room.path, DEMO_JUDGE), save(&room, &entry, value));
            threads.push(std::thread::spawn(move || h.judge(seat, write)));
            wait_for_queue(&handle, n + 1);
        }
        drop(release);
        blocker.join().unwrap().unwrap();
        let outcomes: Vec<_> = threads.into_iter().map(|t| t.join().unwrap().unwrap()).collect();
        assert_eq!(
            outcomes,
            vec![Written::Score(Points::from_int(7)), Written::Score(Points::from_int(3))]
        );
        assert_eq!(stored(&room.path, DEMO_JUDGE, &entry, &room), Some(Points::from_int(3)));
        assert_eq!(handle.stats().group_max, 2);
        // The trail says so, in that order.
        let log = Store::open(&room.path)
            .unwrap()
            .audit_log(Some(&entry), Some(DEMO_JUDGE))
            .unwrap();
        let scores: Vec<_> = log
            .iter()
            .filter_map(|row| match row.event() {
                Ok(crate::store::AuditEvent::Score { old, new, .. }) => Some((old, new)),
                _ => None,
            })
            .collect();
        assert_eq!(
            scores,
            vec![
                (None, Some(Points::from_int(7))),
                (Some(Points::from_int(7)), Some(Points::from_int(3)))
            ]
        );
    }

    #[test]
    fn the_answer_waits_for_the_commit_a_group_that_cannot_commit_stores_nothing_and_says_so() {
        let room = room();
        let handle = room.writer.handle();
        let seat = seat(&room.path, DEMO_JUDGE);
        // The file is moved away under the server: the savepoint succeeds, the commit is refused.
        let moved = room.path.with_extension("moved");
        std::fs::rename(&room.path, &moved).unwrap();
        let outcome = handle.judge(seat, save(&room, &room.open[0], 6));
        assert!(
            matches!(outcome, Err(JudgeError::Refused(Refusal::WorkspaceGone))),
            "{outcome:?}"
        );
        let store = Store::open(&moved).unwrap();
        assert_eq!(
            store
                .score(DEMO_JUDGE, &room.open[0], &room.round, &room.criterion)
                .unwrap(),
            None
        );
    }

    #[test]
    fn a_writer_that_is_gone_fails_requests_at_once_with_a_clear_error() {
        let room = room();
        let seat = seat(&room.path, DEMO_JUDGE);
        // No writer behind the queue.
        let (queue, jobs) = sync_channel::<Job>(4);
        drop(jobs);
        let gone = WriterHandle {
            queue,
            log: Default::default(),
            waiting: Default::default(),
        };
        let err = gone.judge(seat.clone(), save(&room, &room.open[0], 1)).unwrap_err();
        assert!(err.to_string().contains("writer has stopped"), "{err}");
        assert!(
            gone.exclusive(|_| ())
                .unwrap_err()
                .to_string()
                .contains("writer has stopped")
        );
        // A writer that takes the request and ends without answering.
        let (queue, jobs) = sync_channel::<Job>(4);
        let taker = std::thread::spawn(move || drop(jobs.recv()));
        let dying = WriterHandle {
            queue,
            log: Default::default(),
            waiting: Default::default(),
        };
        let started = Instant::now();
        let err = dying.judge(seat, save(&room, &room.open[0], 1)).unwrap_err();
        taker.join().unwrap();
        assert!(err.to_string().contains("stopped before it answered"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(stored(&room.path, DEMO_JUDGE, &room.open[0], &room), None);
    }

    #[test]
    fn a_job_that_panics_fails_alone_and_the_writer_goes_on() {
        let room = room();
        let handle = room.writer.handle();
        let err = handle
            .exclusive(|store| -> Result<()> {
                store.write(|tx| {
                    tx.set_meta("half", "done")?;
                    panic!("a bug");
                })
            })
            .unwrap_err();
        assert!(err.to_string().contains("stopped before it finished"), "{err}");
        let written = handle.judge(seat(&room.path, DEMO_JUDGE), save(&room, &room.open[0], 4));
        assert_eq!(written.unwrap(), Written::Score(Points::from_int(4)));
        let store = Store::open(&room.path).unwrap();
        assert_eq!(store.meta("half").unwrap(), None, "rolled back");
        assert_eq!(
            stored(&room.path, DEMO_JUDGE, &room.open[0], &room),
            Some(Points::from_int(4))
        );
    }

    #[test]
    fn the_stats_are_one_json_object_with_the_benchmarks_fields() {
        let log = Log {
            requests: 4,
            transactions: 2,
            samples: vec![1000, 2000, 3000, 40_000],
            max_us: 40_000,
            group_max: 3,
            checkpoints: 5,
        };
        let json: serde_json::Value = serde_json::from_str(&WriterStats::of(&log).to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"requests": 4, "transactions": 2, "commit_ms_p50": 2.0, "commit_ms_p99": 40.0,
                "commit_ms_max": 40.0, "group_max": 3, "checkpoints": 5})
        );
    }
}
