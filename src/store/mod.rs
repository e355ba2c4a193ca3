//! The workspace: one SQLite file shared by every judge's process. All SQL lives in this module.
//!
//! Settings that matter for many judges on one file (shared/NOTES.md): WAL, `synchronous=FULL`
//! so an acknowledged score survives a power cut, a busy timeout, and `BEGIN IMMEDIATE` for every
//! write (a deferred transaction that reads then writes gets SQLITE_BUSY at once).

mod audit;
mod audit_event;
mod audit_replay;
mod backup;
mod calibration;
mod corrections;
mod discussion;
mod entries;
mod import_log;
mod judges;
mod logins;
mod phases;
pub mod placement;
mod room;
mod rubric_change;
pub mod schema;
mod scores;
mod seal;
pub mod secret;
mod stage;
mod tally_scan;
mod two_cores;
pub use two_cores::SearchKeys;

use std::cell::{Cell, OnceCell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::core::refusal::StoreRefusal;
use crate::core::rubric::{Rubric, parse_rubric};
use crate::error::{Error, Result};

pub use audit::{AuditRow, ChainCheck, ListChanges};
pub use audit_event::{AuditEvent, EventProblem};
pub use entries::EntrySource;
pub use entries::{EntryFields, EntryWriter};
pub use import_log::{ImportChange, ImportRecord, Restored, Undone};
pub use judges::{ConflictRow, SAME_ORGANISATION};
pub use logins::now_millis;
pub use room::LockRow;
pub use rubric_change::rubric_sha256;
pub use scores::{ScoreInput, SheetState, SheetStatus};
pub use seal::SealCheck;
pub use stage::SubmittedTotal;

/// Who is acting: recorded in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The command line run by the organiser (imports, init).
    Cli,
    Organiser,
    Judge(String),
    /// A judge or the organiser over `jury serve`, from the client at `addr` (ip:port): stored
    /// as `judge:PW03@192.168.1.7:51234` (the rows written on this computer name no address).
    At {
        who: Box<Actor>,
        addr: String,
    },
}

impl Actor {
    pub fn label(&self) -> String {
        match self {
            Actor::Cli => "cli".into(),
            Actor::Organiser => "organiser".into(),
            Actor::Judge(id) => format!("judge:{id}"),
            Actor::At { who, addr } => format!("{}@{addr}", who.label()),
        }
    }

    /// This actor, from the client at `addr` when there is one (a session of `jury serve`).
    pub fn from_address(self, addr: Option<&str>) -> Actor {
        match addr {
            Some(addr) => Actor::At {
                who: Box::new(self),
                addr: addr.to_string(),
            },
            None => self,
        }
    }
}

/// How long a write waits for another process's transaction before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(15);

/// After this long waiting for the write lock, the hook set by [`on_long_wait`] is called once.
const NOTICE_AFTER: Duration = Duration::from_secs(1);

thread_local! {
    /// How long this thread's writes wait for the lock: [`LOCK_WAIT`], or less inside
    /// [`Store::write_within`] (a judge's screen retries instead of freezing).
    static WAIT_LIMIT: Cell<Duration> = const { Cell::new(LOCK_WAIT) };
    static WAIT_NOTICED: Cell<bool> = const { Cell::new(false) };
}

static WAIT_NOTICE: OnceLock<fn()> = OnceLock::new();

/// Call `notice` once whenever a write has waited over a second for another process to finish
/// writing (the command line prints that it is waiting, and keeps waiting).
pub fn on_long_wait(notice: fn()) {
    let _ = WAIT_NOTICE.set(notice);
}

/// SQLite's busy handler: retry every 0.2 ms, then every 1 ms, up to about [`LOCK_WAIT`].
/// SQLite's own `busy_timeout` backs off to 100 ms sleeps: with 16 judges committing at once a
/// waiting judge slept through many free moments and one keystroke took seconds (measured:
/// p99 5.9 s). Short sleeps give each waiting writer a chance at every release.
fn wait_for_lock(attempt: i32) -> bool {
    const FAST_TRIES: i32 = 50;
    const FAST: Duration = Duration::from_micros(200);
    const SLOW: Duration = Duration::from_millis(1);
    let waited = FAST * FAST_TRIES.min(attempt).max(0) as u32 + SLOW * (attempt - FAST_TRIES).max(0) as u32;
    if attempt == 0 {
        WAIT_NOTICED.with(|n| n.set(false));
    }
    if waited >= WAIT_LIMIT.with(Cell::get) {
        return false;
    }
    if waited >= NOTICE_AFTER
        && !WAIT_NOTICED.with(|n| n.replace(true))
        && let Some(notice) = WAIT_NOTICE.get()
    {
        notice();
    }
    std::thread::sleep(if attempt < FAST_TRIES { FAST } else { SLOW });
    true
}

/// The folder holding the workspace at `path`.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A workspace that cannot be written: the read-only file, or else the folder, named.
fn read_only_error(path: &Path) -> Error {
    if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) || !writable(path) {
        Error::ReadOnlyFile {
            path: path.to_path_buf(),
        }
    } else {
        Error::FolderNotWritable {
            folder: folder_of(path).to_path_buf(),
            file: path.to_path_buf(),
        }
    }
}

/// Whether this process may write `path` (the permission bits alone miss ownership).
fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().append(true).open(path).is_ok()
}

/// The file's device and inode, to notice it being deleted or replaced under an open session.
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).ok().map(|_| (0, 0))
    }
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The rubric, parsed once per version (see [`Store::rubric`]).
    rubric: OnceCell<Box<RubricSlot>>,
    /// Device and inode of the file when it was opened.
    identity: Option<(u64, u64)>,
    /// What the open write transaction changed in the sealed tables (src/store/seal.rs).
    pending: seal::SharedPending,
    /// Whether the seal's triggers are on this connection (made before the first write).
    seal_triggers: Cell<bool>,
}

/// One version of the rubric as this handle parsed it, and the next one once the rubric changes
/// (`jury rubric apply`): a chain that only grows, so a `&Rubric` handed out stays valid while
/// the handle lives, and every handle (the long-lived ones of `jury serve` and the console too)
/// reads the new rubric after a change.
struct RubricSlot {
    version: Option<String>,
    rubric: Rubric,
    next: OnceCell<Box<RubricSlot>>,
}

/// Local time with offset, to the millisecond, as audit rows and sheets record it.
pub fn now_text() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

impl Store {
    /// Open the workspace at `path`, check it and bring its schema up to date. A missing or empty
    /// file is refused, naming the path: only [`Store::create`] (`jury init`, the demo) makes one.
    pub fn open(path: &Path) -> Result<Store> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NoWorkspace(path.to_path_buf()));
            }
            Err(e) => {
                return Err(StoreRefusal::CannotOpen {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                }
                .into());
            }
            Ok(m) if m.is_dir() => {
                return Err(StoreRefusal::IsFolder(path.to_path_buf()).into());
            }
            Ok(m) if m.len() == 0 => {
                return Err(StoreRefusal::IsEmpty(path.to_path_buf()).into());
            }
            Ok(_) => {}
        }
        Store::connect(path, false)
    }

    /// Create a new, empty workspace at `path` (the folder is made if needed). Refused when a
    /// non-empty file is already there. When this fails (a full disk) the files it made are
    /// removed again, so a retry starts clean.
    pub fn create(path: &Path) -> Result<Store> {
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0 || !m.is_file()) {
            return Err(StoreRefusal::WorkspaceExists(path.to_path_buf()).into());
        }
        let mut made_dir = None;
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.exists()
        {
            std::fs::create_dir_all(dir)?;
            made_dir = Some(dir.to_path_buf());
            placement::share_new_folder(dir)?;
        }
        let existed = path.exists();
        let result = Store::connect(path, true).and_then(|store| {
            store.write(|s| s.seal_now())?;
            Ok(store)
        });
        if result.is_err() {
            remove_new_workspace(path, existed, made_dir.as_deref());
        }
        result
    }

    /// `jury init`: store the contest's rubric in the workspace at `path`, made new when there is
    /// no file (or an empty one) there. When that fails (a full disk), what was made is removed
    /// again, so the same command can simply be run again.
    pub fn create_contest(
        path: &Path,
        rubric_file: &str,
        rubric_source: &str,
        name: Option<&str>,
    ) -> Result<(Store, Rubric)> {
        let fresh = std::fs::metadata(path).map_or(true, |m| m.is_file() && m.len() == 0);
        if !fresh {
            let store = Store::open(path)?;
            let rubric = store.init(rubric_file, rubric_source, name)?;
            return Ok((store, rubric));
        }
        let existed = path.exists();
        let made_dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.exists())
            .map(Path::to_path_buf);
        let store = Store::create(path)?;
        match store.init(rubric_file, rubric_source, name) {
            Ok(rubric) => Ok((store, rubric)),
            Err(e) => {
                drop(store);
                remove_new_workspace(path, existed, made_dir.as_deref());
                Err(e)
            }
        }
    }

    fn connect(path: &Path, create: bool) -> Result<Store> {
        let folder = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Some(fs_type) = placement::network_fs_of(folder) {
            return Err(StoreRefusal::NetworkFs {
                path: path.to_path_buf(),
                fs_type: fs_type.to_string(),
            }
            .into());
        }
        let created = create && !path.exists();
        let flags = if create {
            rusqlite::OpenFlags::default()
        } else {
            rusqlite::OpenFlags::default() - rusqlite::OpenFlags::SQLITE_OPEN_CREATE
        };
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Damaged {
            path: path.to_path_buf(),
            message: crate::error::Damage::CannotOpen(e.to_string()),
        })?;
        if created && path.exists() {
            // Before the -wal and -shm files exist: SQLite gives them the database file's mode.
            placement::share_new_file(path)?;
        }
        conn.busy_handler(Some(wait_for_lock))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            rubric: OnceCell::new(),
            identity: file_identity(path),
            pending: Default::default(),
            seal_triggers: Cell::new(false),
        };
        store.configure()?;
        store.migrate()?;
        seal::install_functions(&store.conn, &store.pending)?;
        if !create {
            store.seal_if_unsealed()?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> Result<()> {
        let damaged = |e: rusqlite::Error| {
            // A folder or file this account cannot write is not a damaged workspace: name it.
            if matches!(
                e.sqlite_error_code(),
                Some(
                    rusqlite::ErrorCode::ReadOnly
                        | rusqlite::ErrorCode::CannotOpen
                        | rusqlite::ErrorCode::PermissionDenied
                )
            ) {
                return read_only_error(&self.path);
            }
            Error::Damaged {
                path: self.path.clone(),
                message: crate::error::Damage::NotAWorkspace(e.to_string()),
            }
        };
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(damaged)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreRefusal::NoWal {
                path: self.path.clone(),
                mode,
            }
            .into());
        }
        self.conn
            .execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;")?;
        // At open only the header and the schema are checked (`quick_check(sqlite_schema)`, well
        // under a millisecond at any size): the full check reads every page (15 ms for a 20 MB
        // workspace of 1k cases, 1.3 s at 100k) and would be paid by every `jury find` and every
        // judge's start-up. Damage elsewhere surfaces as SQLITE_CORRUPT when a page is read, and
        // the full check runs where it costs nobody: `jury serve` at start, `audit verify`, and
        // `integrity_check` before anything is printed or exported (docs/reliability.md).
        self.check_with("PRAGMA quick_check(sqlite_schema)")
            .map_err(|e| match e {
                Error::Sqlite(e) => damaged(e),
                e => e,
            })
    }

    fn check_with(&self, sql: &str) -> Result<()> {
        let check: String = self.conn.query_row(sql, [], |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::Damaged {
                path: self.path.clone(),
                message: crate::error::Damage::QuickCheck(check),
            });
        }
        Ok(())
    }

    /// The full `PRAGMA quick_check` (every page of every table and index), which [`Store::open`]
    /// leaves out: run by `jury serve` at start and by `audit verify`. A damaged file is
    /// [`Error::Damaged`], with what to do.
    pub fn full_check(&self) -> Result<()> {
        self.check_with("PRAGMA quick_check")
    }

    fn migrate(&self) -> Result<()> {
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let target = schema::current_version();
        if version > target {
            return Err(StoreRefusal::NewerSchema {
                path: self.path.clone(),
                version,
                target,
            }
            .into());
        }
        if version == target {
            return Ok(());
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.write_error(e.into()))?;
        let result = (|| -> Result<()> {
            // Re-read inside the lock: another process may have migrated meanwhile.
            let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                self.conn.execute_batch(sql)?;
                self.conn.pragma_update(None, "user_version", (i + 1) as i64)?;
            }
            Ok(())
        })();
        self.finish(result)
    }

    fn finish<T>(&self, result: Result<T>) -> Result<T> {
        match result {
            Ok(v) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(v),
                Err(e) => {
                    // A failed COMMIT (disk full, I/O error) may leave the transaction open: end
                    // it, or every later write of this session would fail too.
                    if !self.conn.is_autocommit() {
                        let _ = self.conn.execute_batch("ROLLBACK");
                    }
                    Err(e.into())
                }
            },
            Err(e) => {
                // The rollback can only fail if the transaction is already gone; the first error
                // is the one worth reporting.
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// [`Store::write`] for a bulk write (an entries import), which in WAL mode would write every
    /// page twice (to the WAL, then at the checkpoint into the file).
    ///
    /// The rule: the workspace leaves WAL only while no other connection has it open, and this
    /// connection holds it exclusively from leaving WAL until it is back. SQLite itself refuses to
    /// leave WAL while any other connection (of any process) has the file open, and with
    /// `locking_mode=EXCLUSIVE` the lock taken to leave WAL is kept to the end: nobody can open
    /// the workspace in between (a judge starting meanwhile waits, as for any writer, and never
    /// reads a half-written import). When another connection is open the switch fails at once
    /// (no waiting) and this is [`Store::write`] in WAL, exactly as before. Alone, the write uses
    /// a rollback journal with `synchronous=EXTRA` (the journal synced before the file is
    /// written, the file synced, and its deletion, the commit, synced in the folder: as durable
    /// as WAL with `synchronous=FULL`); then WAL and `synchronous=FULL` again. A crash in
    /// between leaves a hot journal that the next open rolls back (SQLite does this before any
    /// read), and every open sets WAL again.
    pub fn write_bulk<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        if !self.leave_wal_alone() {
            return self.write(f);
        }
        let result = self.write(f);
        self.after_alone(&result);
        result
    }

    /// The seal's triggers on this connection, made once, outside any transaction (a rollback
    /// would take them away again).
    fn seal_triggers(&self) -> Result<()> {
        if !self.seal_triggers.get() && self.conn.is_autocommit() {
            seal::install_triggers(&self.conn)?;
            self.seal_triggers.set(true);
        }
        Ok(())
    }

    /// [`Store::write_bulk`] only when nobody else has the workspace open (the rule there): runs
    /// `f` with `state` and returns its result; otherwise nothing is done and `state` comes back
    /// (`Err`), for the caller to write otherwise. An import that would check its whole file before
    /// taking the lock (so that nobody waits for a reader) checks and writes at once here, as
    /// there is nobody to hold up.
    pub fn write_alone<S, T>(
        &self,
        state: S,
        f: impl FnOnce(&Tx<'_>, S) -> Result<T>,
    ) -> std::result::Result<Result<T>, S> {
        if !self.leave_wal_alone() {
            return Err(state);
        }
        let result = self.write(|tx| f(tx, state));
        self.after_alone(&result);
        Ok(result)
    }

    /// Back to WAL after a write alone, unless the disk is full: WAL's index (the `-shm` file)
    /// needs room the disk does not have, and every later read of this connection would fail
    /// with a disk I/O error. Then the connection stays in the rollback journal, as safe, with
    /// normal locking again (the next open of the workspace sets WAL).
    fn after_alone<T>(&self, result: &Result<T>) {
        if matches!(result, Err(Error::DiskFull { .. })) {
            let _ = self.conn.execute_batch(
                "PRAGMA synchronous=FULL; PRAGMA locking_mode=NORMAL; SELECT 1 FROM sqlite_schema LIMIT 1;",
            );
        } else {
            self.back_to_wal();
        }
    }

    /// Leaves WAL for a rollback journal when nobody else has the workspace open, keeping the
    /// exclusive lock that takes; `false` (and nothing changed) when another connection has it.
    fn leave_wal_alone(&self) -> bool {
        if !self.conn.is_autocommit() {
            return false;
        }
        // Another connection's lock is the answer here, not something to wait for.
        let before = WAIT_LIMIT.with(|l| l.replace(Duration::ZERO));
        let left = (|| -> rusqlite::Result<bool> {
            self.conn.execute_batch("PRAGMA locking_mode=EXCLUSIVE")?;
            let mode: String = self.conn.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
            Ok(mode.eq_ignore_ascii_case("delete"))
        })()
        .unwrap_or(false);
        WAIT_LIMIT.with(|l| l.set(before));
        if left && self.conn.execute_batch("PRAGMA synchronous=EXTRA").is_ok() {
            return true;
        }
        if left {
            self.back_to_wal();
        } else {
            // Still in WAL: the next read lets the lock go.
            let _ = self
                .conn
                .execute_batch("PRAGMA locking_mode=NORMAL; SELECT 1 FROM sqlite_schema LIMIT 1;");
        }
        false
    }

    /// WAL, `synchronous=FULL` and normal locking again; the exclusive lock goes with the switch
    /// (locking_mode=NORMAL takes effect at the next access, the switch to WAL). Should this fail,
    /// the workspace is left in a rollback journal, which is as safe, and every open
    /// ([`Store::configure`]) sets WAL again.
    fn back_to_wal(&self) {
        let _ = self
            .conn
            .execute_batch("PRAGMA synchronous=FULL; PRAGMA locking_mode=NORMAL; PRAGMA journal_mode=WAL;");
    }

    /// Run `f` in one `BEGIN IMMEDIATE` transaction: all of it is committed, or none of it.
    /// Returns only after the commit is durable.
    ///
    /// While another process holds the write lock this waits (up to 15 s, see [`on_long_wait`]),
    /// then returns [`Error::Busy`]. A workspace file deleted or replaced since it was opened
    /// refuses every write ([`Error::WorkspaceGone`]): what would be written would be lost.
    pub fn write<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.seal_triggers()?;
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.write_error(e.into()))?;
        self.seal_reset();
        // The seal takes in what this transaction changed, in the same transaction.
        let tx = Tx {
            read: Read { store: self },
        };
        let result = f(&tx)
            .and_then(|v| match self.workspace_gone() {
                true => Err(Error::WorkspaceGone {
                    path: self.path.clone(),
                }),
                false => Ok(v),
            })
            .and_then(|v| self.seal_flush().map(|()| v));
        if result.is_err() {
            self.seal_reset();
        }
        self.finish(result).map_err(|e| self.write_error(e))
    }

    /// One `BEGIN IMMEDIATE` transaction for many requests (the server's group commit): `f` runs
    /// each request in its own savepoint ([`Group::savepoint`]), so a refused one rolls back only
    /// itself, and keeps each request's outcome. Everything kept is committed once, and this
    /// returns only after the commit is durable; an error here (the lock, the commit) means none
    /// of the group was stored, whatever the savepoints said.
    /// Waits at most `limit` for another process's write lock, then [`Error::Busy`].
    pub fn write_group<T>(&self, limit: Duration, f: impl FnOnce(&Group<'_>) -> T) -> Result<T> {
        self.seal_triggers()?;
        let before = WAIT_LIMIT.with(|l| l.replace(limit.min(LOCK_WAIT)));
        let begun = self.conn.execute_batch("BEGIN IMMEDIATE");
        let begun = begun.map_err(|e| self.write_error(e.into()));
        WAIT_LIMIT.with(|l| l.set(before));
        begun?;
        self.seal_reset();
        let group = Group {
            store: self,
            kept: RefCell::new(seal::Pending::default()),
        };
        let value = f(&group);
        // The kept requests' changes, sealed once for the group (the seal is a sum: the same
        // seal as one flush per request, without reading and writing it per request).
        self.seal_restore(group.kept.into_inner());
        let sealed = if self.conn.is_autocommit() {
            Ok(())
        } else {
            self.seal_flush()
        };
        let result = if self.conn.is_autocommit() {
            // SQLite ended the transaction itself (a full disk, an I/O error): nothing is kept.
            Err(StoreRefusal::RolledBack.into())
        } else if self.workspace_gone() {
            Err(Error::WorkspaceGone {
                path: self.path.clone(),
            })
        } else {
            sealed.map(|()| value)
        };
        if result.is_err() {
            self.seal_reset();
        }
        self.finish(result).map_err(|e| self.write_error(e))
    }

    /// [`Store::write`], waiting at most `limit` for another process's write lock (a judge's
    /// screen keeps the value and retries rather than freezing for 15 s).
    pub fn write_within<T>(&self, limit: Duration, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let before = WAIT_LIMIT.with(|l| l.replace(limit.min(LOCK_WAIT)));
        let result = self.write(f);
        WAIT_LIMIT.with(|l| l.set(before));
        result
    }

    /// Whether the file at [`Store::path`] is no longer the one this session opened (deleted, or
    /// replaced by another file): this connection would then write into a file nobody sees.
    pub fn workspace_gone(&self) -> bool {
        self.identity.is_some() && file_identity(&self.path) != self.identity
    }

    /// SQLITE_FULL becomes [`Error::DiskFull`], SQLITE_BUSY [`Error::Busy`], SQLITE_READONLY
    /// [`Error::ReadOnly`]: messages a person can act on.
    fn write_error(&self, e: Error) -> Error {
        match e {
            Error::Sqlite(rusqlite::Error::SqliteFailure(failure, message)) => match failure.code {
                rusqlite::ErrorCode::DiskFull => Error::DiskFull {
                    path: self.path.clone(),
                    message: message.unwrap_or_else(|| failure.to_string()),
                },
                rusqlite::ErrorCode::DatabaseBusy => Error::Busy {
                    path: self.path.clone(),
                    waited_secs: WAIT_LIMIT.with(Cell::get).as_secs(),
                },
                rusqlite::ErrorCode::ReadOnly => self.read_only(),
                _ => Error::Sqlite(rusqlite::Error::SqliteFailure(failure, message)),
            },
            other => other,
        }
    }

    /// Why SQLite cannot write: the file itself, or its folder (where the -wal and -shm files live).
    fn read_only(&self) -> Error {
        read_only_error(&self.path)
    }

    /// Run `f` in one read transaction, so everything it reads is one consistent snapshot.
    pub fn read<T>(&self, f: impl FnOnce(&Read<'_>) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let result = f(&Read { store: self });
        self.finish(result)
    }

    /// `PRAGMA synchronous` of this connection (2: FULL, every commit synced to disk).
    pub fn synchronous(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?)
    }

    /// No checkpoint at this connection's commits (`wal_autocheckpoint=0`): for `jury serve`'s one
    /// writer, whose commits then never wait for a checkpoint's writes and `fsync` of the file;
    /// [`Store::checkpoint`] on another connection moves the WAL into the file meanwhile.
    pub fn no_checkpoint_at_commit(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA wal_autocheckpoint=0")?;
        Ok(())
    }

    /// Keep up to `n` prepared statements on this connection (rusqlite keeps 16 by default). The
    /// server's writer runs about 25 different statements for every save: with 16 kept, each was
    /// evicted before its next use and compiled again, seal triggers and all.
    pub fn keep_statements(&self, n: usize) {
        self.conn.set_prepared_statement_cache_capacity(n);
    }

    /// For tests: each prepared statement this connection holds whose SQL starts with `start`:
    /// how many times it has run since it was compiled (`SQLITE_STMTSTATUS_RUN`, which counts
    /// the runs of the triggers it fires too) and how many times SQLite compiled it again by
    /// itself (`SQLITE_STMTSTATUS_REPREPARE`: a plan that depends on the values bound). A
    /// statement compiled afresh for every use is not held at all.
    #[cfg(test)]
    pub(crate) fn statement_runs(&self, start: &str) -> Vec<(i32, i32)> {
        let mut runs = Vec::new();
        // SAFETY: the handle is this connection's, used on its own thread; sqlite3_next_stmt
        // walks its statements without changing them, sqlite3_sql's text lives as long as the
        // statement, and no statement is finalized meanwhile.
        unsafe {
            let db = self.conn.handle();
            let mut stmt = rusqlite::ffi::sqlite3_next_stmt(db, std::ptr::null_mut());
            while !stmt.is_null() {
                let sql = rusqlite::ffi::sqlite3_sql(stmt);
                if !sql.is_null()
                    && std::ffi::CStr::from_ptr(sql)
                        .to_str()
                        .is_ok_and(|text| text.trim_start().starts_with(start))
                {
                    runs.push((
                        rusqlite::ffi::sqlite3_stmt_status(stmt, rusqlite::ffi::SQLITE_STMTSTATUS_RUN, 0),
                        rusqlite::ffi::sqlite3_stmt_status(stmt, rusqlite::ffi::SQLITE_STMTSTATUS_REPREPARE, 0),
                    ));
                }
                stmt = rusqlite::ffi::sqlite3_next_stmt(db, stmt);
            }
        }
        runs
    }

    /// The commits' pages this connection checkpoints at a commit (SQLite's default is 1000).
    pub fn checkpoint_at_commit(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?)
    }

    /// Copies what it can of the WAL into the workspace file without waiting for or blocking
    /// anybody (`wal_checkpoint(PASSIVE)`): (frames in the WAL, frames checkpointed).
    pub fn checkpoint(&self) -> Result<(i64, i64)> {
        Ok(self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get(1)?, r.get(2)?)))?)
    }

    /// Roll back a transaction left open on this connection (by code that panicked inside
    /// [`Store::write`]), so the next write can begin. Nothing when none is open.
    pub fn roll_back_open(&self) {
        if !self.conn.is_autocommit() {
            self.seal_reset();
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// Changes whenever another connection commits: poll it to refresh screens.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// A value of the meta table of the workspace at `path`, read on a read-only connection of
    /// its own without opening the workspace for use (no schema update, no seal check): a quick
    /// look before a command opens it. An error when the file cannot be read as a workspace.
    pub fn peek_meta(path: &Path, key: &str) -> Result<Option<String>> {
        let mut conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_handler(Some(wait_for_lock))?;
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Store the contest's rubric. Refused when the workspace already has one.
    pub fn init(&self, rubric_file: &str, rubric_source: &str, name: Option<&str>) -> Result<Rubric> {
        let mut rubric = parse_rubric(rubric_file, rubric_source)?;
        if let Some(name) = name {
            rubric.name = name.trim().to_string();
        }
        self.write(|s| {
            if let Some(existing) = s.meta("contest_name")? {
                return Err(Error::AlreadyInitialised(s.path.clone(), existing));
            }
            s.set_meta("rubric_file", rubric_file)?;
            s.set_meta("rubric", rubric_source)?;
            s.set_meta("contest_name", &rubric.name)?;
            s.audit(
                &Actor::Cli,
                &AuditEvent::Init {
                    rubric_file: rubric_file.to_string(),
                    sealed: true,
                    contest_name: rubric.name.clone(),
                },
            )?;
            Ok(())
        })?;
        Ok(rubric)
    }

    /// The contest's rubric, parsed once per version of it (meta `rubric_version`, moved on by
    /// `jury rubric apply`): a change made by any process is seen at the next call.
    pub fn rubric(&self) -> Result<&Rubric> {
        let version = self.rubric_version()?;
        let mut cell = &self.rubric;
        while let Some(slot) = cell.get() {
            if slot.version == version {
                return Ok(&slot.rubric);
            }
            cell = &slot.next;
        }
        let (Some(source), Some(name)) = (self.meta("rubric")?, self.meta("contest_name")?) else {
            return Err(Error::NotInitialised(self.path.clone()));
        };
        let file = self.meta("rubric_file")?.unwrap_or_else(|| "rubric".into());
        let mut rubric = parse_rubric(&file, &source)?;
        rubric.name = name;
        let slot = cell.get_or_init(|| {
            Box::new(RubricSlot {
                version,
                rubric,
                next: OnceCell::new(),
            })
        });
        Ok(&slot.rubric)
    }

    /// `PRAGMA integrity_check`: `Ok(())` or the problems SQLite lists.
    pub fn integrity_check(&self) -> Result<()> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        if rows == ["ok"] {
            Ok(())
        } else {
            Err(Error::Damaged {
                path: self.path.clone(),
                message: crate::error::Damage::IntegrityCheck(rows),
            })
        }
    }

    /// Raise the page cache to `kib` KiB until the guard is dropped (it then goes back to what it
    /// was). The memory is only taken as pages are used.
    pub fn larger_cache(&self, kib: i64) -> Result<CacheGuard<'_>> {
        let before: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -kib)?;
        Ok(CacheGuard { store: self, before })
    }

    /// Keep this connection's page cache at most `kib` KiB (SQLite's default is 2 MB): for the
    /// many read connections of `jury serve`, one a session, whose large reads are shared.
    pub fn smaller_cache(&self, kib: i64) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -kib)?;
        Ok(())
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// A read transaction ([`Store::read`]): everything read through it is one consistent snapshot.
/// The reads are [`Store`]'s own (through `Deref`), so a function that only reads takes `&Store`
/// and is called alike with a `&Read`, a `&Tx` or the store itself.
pub struct Read<'s> {
    store: &'s Store,
}

impl std::ops::Deref for Read<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.store
    }
}

/// A write transaction ([`Store::write`]): every `put_*`, `set_*`, `delete_*` and audit append
/// is a method of `Tx`, so a write outside a transaction does not compile. It reads as a
/// [`Read`] does (through `Deref`).
///
/// ```
/// fn note(store: &jury::store::Store) -> jury::Result<()> {
///     store.write(|tx| tx.set_meta("note", "kept"))
/// }
/// ```
/// ```compile_fail
/// fn note(store: &jury::store::Store) -> jury::Result<()> {
///     store.set_meta("note", "lost") // no transaction: there is no such method on Store
/// }
/// ```
/// ```compile_fail
/// fn note(store: &jury::store::Store) -> jury::Result<()> {
///     store.read(|r| r.set_meta("note", "lost")) // a read transaction cannot write
/// }
/// ```
pub struct Tx<'s> {
    read: Read<'s>,
}

impl<'s> std::ops::Deref for Tx<'s> {
    type Target = Read<'s>;
    fn deref(&self) -> &Read<'s> {
        &self.read
    }
}

impl Tx<'_> {
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

/// The open transaction of [`Store::write_group`]: each request runs in a savepoint of its own.
pub struct Group<'s> {
    store: &'s Store,
    /// What the kept requests changed in the sealed tables, sealed once before the commit.
    kept: RefCell<seal::Pending>,
}

impl Group<'_> {
    /// Run `f` in a savepoint of the group's transaction: on an error only what `f` wrote is
    /// rolled back (the others' writes stay), and the error is returned as is. What it keeps is
    /// sealed with it. Not yet durable: that is the group's commit.
    pub fn savepoint<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let store = self.store;
        if store.conn.is_autocommit() {
            return Err(StoreRefusal::RolledBack.into());
        }
        // Cached statements, as everything a save runs: parsing them per request was a sixth
        // of the writer's time.
        store.conn.prepare_cached("SAVEPOINT jury_request")?.execute([])?;
        store.seal_reset();
        let tx = Tx { read: Read { store } };
        let result = f(&tx).and_then(|v| {
            Ok(store
                .conn
                .prepare_cached("RELEASE jury_request")?
                .execute([])
                .map(|_| v)?)
        });
        let reported = store.seal_take();
        if result.is_ok() {
            self.kept.borrow_mut().absorb(&reported);
        } else if !store.conn.is_autocommit() {
            // Undo this request only (what it reported to the seal is dropped with it); the
            // savepoint is then released (it wrote nothing).
            let undone = store
                .conn
                .prepare_cached("ROLLBACK TO jury_request")
                .and_then(|mut s| s.execute([]));
            if undone.is_ok() {
                let _ = store
                    .conn
                    .prepare_cached("RELEASE jury_request")
                    .and_then(|mut s| s.execute([]));
            }
        }
        result
    }

    /// The connection's workspace, to read outside any request.
    pub fn store(&self) -> &Store {
        self.store
    }
}

/// Remove what a failed [`Store::create`] made: the file (unless it was there, empty, before),
/// SQLite's -wal and -shm files, and the folder it made.
fn remove_new_workspace(path: &Path, existed: bool, made_dir: Option<&Path>) {
    let with = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    for extra in [with("-wal"), with("-shm"), with("-journal")] {
        let _ = std::fs::remove_file(extra);
    }
    if existed {
        // It was empty: leave it empty.
        let _ = std::fs::File::create(path);
    } else {
        let _ = std::fs::remove_file(path);
    }
    if let Some(dir) = made_dir {
        let _ = std::fs::remove_dir(dir);
    }
}

/// Restores the page cache size [`Store::larger_cache`] changed.
pub struct CacheGuard<'s> {
    store: &'s Store,
    before: i64,
}

impl Drop for CacheGuard<'_> {
    fn drop(&mut self) {
        // Only a closed connection refuses this pragma, and then there is no cache to shrink.
        let _ = self.store.conn.pragma_update(None, "cache_size", self.before);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::template_source;

    #[test]
    fn opens_migrates_and_refuses_second_init() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("w.jury");
        let store = Store::create(&path).unwrap();
        assert!(matches!(store.rubric(), Err(Error::NotInitialised(_))));
        let (f, src) = template_source("competition").unwrap();
        store.init(f, src, Some("测试比赛")).unwrap();
        assert_eq!(store.rubric().unwrap().name, "测试比赛");
        assert!(matches!(store.init(f, src, None), Err(Error::AlreadyInitialised(_, _))));
        drop(store);
        let again = Store::open(&path).unwrap();
        assert_eq!(again.rubric().unwrap().name, "测试比赛");
        let v: i64 = again.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, schema::current_version());
        let sync: i64 = again.conn().query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
    }

    /// Damages the first byte (the page type) of `table`'s root page, with no connection open.
    fn damage_root_page(path: &Path, table: &str) {
        let (root, page_size): (i64, i64) = {
            let conn = Connection::open(path).unwrap();
            let root = conn
                .query_row("SELECT rootpage FROM sqlite_schema WHERE name = ?1", [table], |r| {
                    r.get(0)
                })
                .unwrap();
            let size = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
            (root, size)
        };
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        f.seek(SeekFrom::Start(((root - 1) * page_size) as u64)).unwrap();
        f.write_all(&[0xff; 8]).unwrap();
    }

    #[test]
    fn opening_checks_the_schema_only_and_the_full_check_finds_damage_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.jury");
        let store = Store::create(&path).unwrap();
        let (f, src) = template_source("cases").unwrap();
        store.init(f, src, None).unwrap();
        drop(store);
        damage_root_page(&path, "entries");
        // A small file (under 1 MB) no longer gets every page read at open: find and the
        // judges' start-up do not pay for it.
        let store = Store::open(&path).expect("opens: only the header and schema are checked");
        let err = store.full_check().expect_err("the full check finds the damaged page");
        assert!(matches!(err, Error::Damaged { .. }), "{err}");
        assert!(
            err.to_string().contains("the workspace is damaged (quick_check:"),
            "{err}"
        );
        let err = store.audit_verify().expect_err("audit verify runs the full check");
        assert!(matches!(err, Error::Damaged { .. }), "{err}");
        // Reading the damaged table fails; it never reads as an empty list.
        assert!(store.entries().is_err());
    }

    #[test]
    fn opening_refuses_a_damaged_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.jury");
        let store = Store::create(&path).unwrap();
        let (f, src) = template_source("cases").unwrap();
        store.init(f, src, None).unwrap();
        drop(store);
        // Page 1 holds the schema's b-tree after the 100-byte file header.
        use std::io::{Seek, SeekFrom, Write};
        let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.seek(SeekFrom::Start(100)).unwrap();
        file.write_all(&[0xff; 8]).unwrap();
        drop(file);
        let err = Store::open(&path).err().expect("refused at open");
        assert!(matches!(err, Error::Damaged { .. }), "{err}");
    }

    #[test]
    fn refuses_a_file_that_is_not_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.jury");
        std::fs::write(
            &path,
            b"this is not sqlite at all, just some text that is long enough to matter",
        )
        .unwrap();
        let err = Store::open(&path).err().expect("refused");
        assert!(err.to_string().contains("not a usable jury workspace"), "{err}");
    }

    #[test]
    fn a_failing_savepoint_of_a_group_rolls_back_only_its_own_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.jury");
        let store = Store::create(&path).unwrap();
        let outcomes = store
            .write_group(Duration::from_secs(1), |g| {
                let a = g.savepoint(|tx| tx.set_meta("a", "1"));
                let b = g.savepoint(|tx| {
                    tx.set_meta("b", "2")?;
                    Err::<(), _>(Error::refused("no"))
                });
                let c = g.savepoint(|tx| tx.set_meta("c", "3"));
                (a.is_ok(), b.is_err(), c.is_ok())
            })
            .unwrap();
        assert_eq!(outcomes, (true, true, true));
        assert_eq!(store.meta("a").unwrap().as_deref(), Some("1"));
        assert_eq!(store.meta("b").unwrap(), None, "its own write rolled back");
        assert_eq!(store.meta("c").unwrap().as_deref(), Some("3"));
        assert!(matches!(store.check_seal().unwrap(), SealCheck::Matches { .. }));
    }

    #[test]
    fn write_rolls_back_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let r: Result<()> = store.write(|s| {
            s.set_meta("k", "v")?;
            Err(Error::refused("no"))
        });
        assert!(r.is_err());
        assert_eq!(store.meta("k").unwrap(), None);
    }

    /// importfast: a workspace made before the migration that gives `entry_texts` a rowid keeps
    /// every entry's texts, in import order, with the same key and cascade.
    #[test]
    fn entry_texts_get_a_rowid_and_keep_their_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.jury");
        // The schema just before this migration (others may be appended after it).
        let before = schema::MIGRATIONS
            .iter()
            .position(|m| m.contains("ALTER TABLE entry_texts RENAME TO entry_texts_old"))
            .unwrap();
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &schema::MIGRATIONS[..before] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", before as i64).unwrap();
            conn.execute_batch(
                "INSERT INTO entries(seq, id, title) VALUES (1, 'B2', 'second id, first in order'), (2, 'A1', 'x');
                 INSERT INTO entry_texts(entry, background, problem, strategy, outcome)
                 VALUES ('A1', '背景一', '问题一', '措施一', '成效一'), ('B2', '背景二', '', '', '成效二');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let sql: String = store
            .conn()
            .query_row("SELECT sql FROM sqlite_schema WHERE name = 'entry_texts'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(!sql.contains("WITHOUT ROWID"), "{sql}");
        let order: Vec<(i64, String)> = store
            .conn()
            .prepare("SELECT rowid, entry FROM entry_texts ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(order, vec![(1, "B2".to_string()), (2, "A1".to_string())]);
        let a1 = store.entry("A1").unwrap().unwrap();
        assert_eq!(
            [
                a1.sections.background,
                a1.sections.problem,
                a1.sections.strategy,
                a1.sections.outcome
            ],
            ["背景一", "问题一", "措施一", "成效一"]
        );
        let b2 = store.entry("B2").unwrap().unwrap();
        assert_eq!(
            (b2.sections.background.as_str(), b2.sections.outcome.as_str()),
            ("背景二", "成效二")
        );
        let old: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'entry_texts_old'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(old, 0);
        // The cascade holds: removing an entry removes its texts.
        store.conn().execute("DELETE FROM entries WHERE id = 'A1'", []).unwrap();
        let left: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM entry_texts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1);
    }

    /// importfast: the bundled SQLite keeps no memory statistics (a mutex on every allocation);
    /// set by `.cargo/config.toml` (LIBSQLITE3_FLAGS), which every build reads.
    #[test]
    fn sqlite_is_built_without_memory_statistics() {
        let conn = Connection::open_in_memory().unwrap();
        let options: Vec<String> = conn
            .prepare("PRAGMA compile_options")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
    }
}
