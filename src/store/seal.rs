//! The seal: what decides the results, summed up and kept with the audit trail's head, so that a
//! change made outside jury (the sqlite3 shell) is found in about a second instead of by replaying
//! millions of audit rows.
//!
//! The seal covers seven parts, each an order-free sum of the SHA-256 of its rows (and their count):
//! the rubric (`meta` rubric, rubric_file, contest_name), each entry's id, group and organisation,
//! the calibration samples (left out of the results), each judge's id and organisation, the
//! declared conflicts, every sheet (status, stored total and count) and every score; then two
//! parts written only when not empty (so an older seal reads unchanged): the withdrawn entries
//! (id, kind) and the removed judges.
//!
//! Jury keeps the seal up to date by itself: TEMP triggers, which exist only on jury's own
//! connection, report every row written to those tables to [`jury_seal`](install_functions), and every
//! [`Store::write`] adds what its transaction changed to the seal and binds it to the audit head,
//! in the same transaction. A write with the sqlite3 shell fires no such trigger: the tables and
//! the seal then disagree, and [`Store::check_seal`] names the part that changed.
//!
//! Stored in `meta` as `seal`: `v1 head=<seq>:<hash> <part>=<count>:<sum> … check=<hash16>`; the
//! check is a SHA-256 over the rest, so the text cannot be edited by hand either.

use std::sync::{Arc, Mutex};

use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::Store;
use crate::error::Result;

/// The meta key the seal is kept under.
pub(crate) const SEAL_KEY: &str = "seal";

/// The marker the init row of a sealed workspace carries (its detail ends with it): such a
/// workspace without a seal had it removed.
pub(crate) const SEALED_MARK: &str = " (sealed)";

/// One part of the seal: its name in the seal text, what it is in a message, the SQL that reads
/// its rows from the tables, and the table, the columns and the condition its triggers watch.
struct PartSpec {
    name: &'static str,
    what: &'static str,
    scan: &'static str,
    table: &'static str,
    columns: &'static str,
    /// `{row}` is replaced by `NEW` or `OLD`.
    when: &'static str,
}

const SPECS: [PartSpec; 11] = [
    PartSpec {
        name: "rubric",
        what: "the rubric (criteria, weights, maxima, rounds, groups) or the contest's name",
        scan: "SELECT key, value FROM meta WHERE key IN ('rubric', 'rubric_file', 'contest_name')",
        table: "meta",
        columns: "key, value",
        when: "{row}.key IN ('rubric', 'rubric_file', 'contest_name')",
    },
    PartSpec {
        name: "entries",
        what: "an entry's group or organisation, or an entry added or removed",
        scan: "SELECT id, grp, organization FROM entries",
        table: "entries",
        columns: "id, grp, organization",
        // Not the rows an import adds while it defers them ([`Tx::seal_defer_new_entries`]):
        // `jury_seal_floor()` is the largest seq stored before it (else the largest integer).
        when: "{row}.seq <= jury_seal_floor()",
    },
    PartSpec {
        name: "calibration",
        what: "the calibration samples (left out of the results)",
        scan: "SELECT entry FROM calibration",
        table: "calibration",
        columns: "entry",
        when: "1",
    },
    PartSpec {
        name: "judges",
        what: "a judge's organisation, or a judge added or removed",
        scan: "SELECT id, organization FROM judges",
        table: "judges",
        columns: "id, organization",
        when: "1",
    },
    PartSpec {
        name: "conflicts",
        what: "the declared conflicts of interest",
        scan: "SELECT judge, entry FROM conflicts",
        table: "conflicts",
        columns: "judge, entry",
        when: "1",
    },
    PartSpec {
        name: "sheets",
        what: "a sheet's stored total, count or status (submitted or draft), or a sheet added or removed",
        scan: "SELECT entry, round, judge, status, total, criteria FROM main.sheets",
        table: "sheets",
        columns: "entry, round, judge, status, total, criteria",
        when: "1",
    },
    PartSpec {
        name: "scores",
        what: "a score, or a score added or removed",
        scan: "SELECT entry, round, judge, criterion, value FROM main.scores",
        table: "scores",
        columns: "entry, round, judge, criterion, value",
        when: "1",
    },
    // Parts added later (corrections, issue 16): written in the seal text and the content hash
    // only when not empty, so the seal and fingerprint of a workspace without them are unchanged.
    PartSpec {
        name: "withdrawals",
        what: "an entry withdrawn, disqualified or restored",
        scan: "SELECT entry, kind FROM withdrawals",
        table: "withdrawals",
        columns: "entry, kind",
        when: "1",
    },
    PartSpec {
        name: "removed",
        what: "a judge removed from the contest",
        scan: "SELECT judge FROM judges_removed",
        table: "judges_removed",
        columns: "judge",
        when: "1",
    },
    // Selection in phases (issue 16): the earlier phases' archived sheets and scores, written only
    // when not empty like the parts above.
    PartSpec {
        name: "phase_sheets",
        what: "a sheet of an earlier phase (its archive)",
        scan: "SELECT phase, entry, round, judge, status, total, criteria FROM main.phase_sheets",
        table: "phase_sheets",
        columns: "phase, entry, round, judge, status, total, criteria",
        when: "1",
    },
    PartSpec {
        name: "phase_scores",
        what: "a score of an earlier phase (its archive)",
        scan: "SELECT phase, entry, round, judge, criterion, value FROM main.phase_scores",
        table: "phase_scores",
        columns: "phase, entry, round, judge, criterion, value",
        when: "1",
    },
];

/// The parts every seal has; the ones after them are left out of the text while empty.
const FIRST_PARTS: usize = 7;

/// Whether part `i` is written in the seal text and the content hash.
fn written(i: usize, part: &PartDigest) -> bool {
    i < FIRST_PARTS || *part != PartDigest::default()
}

const PARTS: usize = SPECS.len();
/// How many pieces a check reads the scores in, on two threads.
const CHECK_PIECES: i64 = 32;
/// The scores' part, read on two cores when large.
const SCORES: usize = 6;
/// The sheets' part.
const SHEETS: usize = 5;
/// The entries' part.
const ENTRIES: usize = 1;

/// The order-free digest of a set of rows: how many, and the sum of their SHA-256 as four 64-bit
/// lanes (wrapping), so a row can be added or taken away without reading the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PartDigest {
    pub count: i64,
    pub sum: [u64; 4],
}

impl PartDigest {
    fn apply(&mut self, hash: &[u64; 4], sign: i64) {
        self.count = self.count.wrapping_add(sign);
        for (lane, h) in self.sum.iter_mut().zip(hash) {
            *lane = if sign >= 0 {
                lane.wrapping_add(*h)
            } else {
                lane.wrapping_sub(*h)
            };
        }
    }

    fn add(&mut self, other: &PartDigest) {
        self.count = self.count.wrapping_add(other.count);
        for (lane, h) in self.sum.iter_mut().zip(&other.sum) {
            *lane = lane.wrapping_add(*h);
        }
    }

    fn hex(&self) -> String {
        self.sum.iter().map(|l| format!("{l:016x}")).collect()
    }

    fn parse(text: &str) -> Option<PartDigest> {
        let (count, sum) = text.split_once(':')?;
        if sum.len() != 64 || !sum.is_ascii() {
            return None;
        }
        let mut lanes = [0u64; 4];
        for (i, lane) in lanes.iter_mut().enumerate() {
            *lane = u64::from_str_radix(&sum[i * 16..(i + 1) * 16], 16).ok()?;
        }
        Some(PartDigest {
            count: count.parse().ok()?,
            sum: lanes,
        })
    }
}

/// Every part's digest, in [`SPECS`] order.
pub type Parts = [PartDigest; PARTS];

/// The SHA-256 of one row of a part, as four lanes. The values are written with their type, so
/// `1` and `'1'` differ, and with their length, so ("ab", "c") and ("a", "bc") differ. `buf` is reused
/// from row to row (millions of rows are hashed at a check).
fn row_hash<'a>(part: usize, values: impl Iterator<Item = ValueRef<'a>>, buf: &mut Vec<u8>) -> [u64; 4] {
    buf.clear();
    buf.push(part as u8);
    for v in values {
        let bytes: &[u8] = match v {
            ValueRef::Null => {
                buf.push(b'n');
                continue;
            }
            ValueRef::Integer(i) => {
                buf.push(b'i');
                varint(buf, i as u64);
                continue;
            }
            ValueRef::Real(f) => {
                buf.push(b'r');
                buf.extend_from_slice(&f.to_bits().to_le_bytes());
                continue;
            }
            ValueRef::Text(t) => {
                buf.push(b't');
                t
            }
            ValueRef::Blob(b) => {
                buf.push(b'b');
                b
            }
        };
        varint(buf, bytes.len() as u64);
        buf.extend_from_slice(bytes);
    }
    sha256_lanes(buf)
}

/// SHA-256's initial state (FIPS 180-4, 5.3.3).
const SHA256_IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The SHA-256 of `data` as four little-endian lanes. Input of up to 55 bytes (every score row, most
/// sheet rows) is one block: it is padded here and compressed once, without the hasher's buffering
/// (a check hashes millions of rows). Longer input goes through the hasher. Same digest either way.
fn sha256_lanes(data: &[u8]) -> [u64; 4] {
    let mut digest = [0u8; 32];
    if data.len() <= 55 {
        let mut block = [0u8; 64];
        block[..data.len()].copy_from_slice(data);
        block[data.len()] = 0x80;
        block[56..].copy_from_slice(&((data.len() as u64) * 8).to_be_bytes());
        let mut state = SHA256_IV;
        sha2::block_api::compress256(&mut state, &[block]);
        for (out, word) in digest.chunks_exact_mut(4).zip(state) {
            out.copy_from_slice(&word.to_be_bytes());
        }
    } else {
        digest.copy_from_slice(&Sha256::digest(data));
    }
    let mut lanes = [0u64; 4];
    for (lane, bytes) in lanes.iter_mut().zip(digest.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(bytes);
        *lane = u64::from_le_bytes(b);
    }
    lanes
}

/// LEB128: a score row fits one SHA-256 block (55 bytes) this way.
fn varint(buf: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        buf.push((n as u8) | 0x80);
        n >>= 7;
    }
    buf.push(n as u8);
}

/// What this connection's open write transaction changed, reported by the TEMP triggers.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    parts: Parts,
    /// A row of a sealed table was written.
    touched: bool,
    /// An audit row was appended.
    appended: bool,
    /// The entries with a larger seq were added in this transaction and are not reported one by
    /// one: [`Store::seal_flush`] digests them all at once ([`Tx::seal_defer_new_entries`]).
    entries_floor: Option<i64>,
}

impl Pending {
    /// Add `other` (another request of the same group) to this: the parts are sums, so the
    /// order does not matter.
    pub(crate) fn absorb(&mut self, other: &Pending) {
        for (part, delta) in self.parts.iter_mut().zip(&other.parts) {
            part.add(delta);
        }
        self.touched |= other.touched;
        self.appended |= other.appended;
        self.entries_floor = match (self.entries_floor, other.entries_floor) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

pub(crate) type SharedPending = Arc<Mutex<Pending>>;

fn lock(p: &SharedPending) -> std::sync::MutexGuard<'_, Pending> {
    p.lock().unwrap_or_else(|e| e.into_inner())
}

/// Register `jury_seal(part, sign, values…)` (and `jury_digest`) on this connection, at every
/// open, with no SQL; [`install_triggers`] makes the TEMP triggers that call it. Part -1 means
/// "an audit row was appended".
pub(crate) fn install_functions(conn: &Connection, pending: &SharedPending) -> Result<()> {
    register_digest(conn)?;
    let floor = Arc::clone(pending);
    conn.create_scalar_function(
        "jury_seal_floor",
        0,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
        move |_| Ok(lock(&floor).entries_floor.unwrap_or(i64::MAX)),
    )?;
    let shared = Arc::clone(pending);
    conn.create_scalar_function(
        "jury_seal",
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
        move |ctx| {
            let part: i64 = ctx.get(0)?;
            let mut p = lock(&shared);
            if part < 0 {
                p.appended = true;
                return Ok(0i64);
            }
            let sign: i64 = ctx.get(1)?;
            let part = part as usize;
            if part >= PARTS {
                return Ok(0i64);
            }
            let values = (2..ctx.len()).map(|i| ctx.get_raw(i));
            let hash = row_hash(part, values, &mut Vec::new());
            p.parts[part].apply(&hash, sign);
            p.touched = true;
            Ok(0i64)
        },
    )?;
    Ok(())
}

/// The TEMP triggers (see [`install_functions`]), which only writes fire: [`Store::write`] and
/// [`Store::write_group`] create them before their first transaction, so that a connection that
/// only reads (`jury find`, a printout) never compiles them (34 statements, about a tenth of a
/// `jury find` at 1k entries).
pub(crate) fn install_triggers(conn: &Connection) -> Result<()> {
    let mut sql = String::from(
        "CREATE TEMP TRIGGER IF NOT EXISTS jury_seal_audit AFTER INSERT ON main.audit BEGIN SELECT jury_seal(-1); END;\n",
    );
    for (i, spec) in SPECS.iter().enumerate() {
        let values = |row: &str| {
            spec.columns
                .split(", ")
                .map(|c| format!("{row}.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let when = |row: &str| spec.when.replace("{row}", row);
        let (t, cols) = (spec.table, spec.columns);
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS jury_seal_{t}_insert AFTER INSERT ON main.{t} BEGIN
               SELECT jury_seal({i}, 1, {new}) WHERE {when_new}; END;
             CREATE TEMP TRIGGER IF NOT EXISTS jury_seal_{t}_delete AFTER DELETE ON main.{t} BEGIN
               SELECT jury_seal({i}, -1, {old}) WHERE {when_old}; END;
             CREATE TEMP TRIGGER IF NOT EXISTS jury_seal_{t}_update AFTER UPDATE OF {cols} ON main.{t} BEGIN
               SELECT jury_seal({i}, -1, {old}) WHERE {when_old};
               SELECT jury_seal({i}, 1, {new}) WHERE {when_new}; END;\n",
            new = values("NEW"),
            old = values("OLD"),
            when_new = when("NEW"),
            when_old = when("OLD"),
        ));
    }
    // A row that INSERT OR REPLACE deletes fires its delete triggers only with this on; without
    // it the seal would miss the row that went.
    sql.push_str("PRAGMA recursive_triggers = ON;\n");
    conn.execute_batch(&sql)?;
    Ok(())
}

/// The seal as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seal {
    head: (i64, String),
    parts: Parts,
}

impl Seal {
    fn body(&self) -> String {
        let mut text = format!("v1 head={}:{}", self.head.0, self.head.1);
        for (i, (spec, part)) in SPECS.iter().zip(&self.parts).enumerate() {
            if written(i, part) {
                text.push_str(&format!(" {}={}:{}", spec.name, part.count, part.hex()));
            }
        }
        text
    }

    fn check_of(body: &str) -> String {
        let digest = Sha256::digest(format!("jury seal\n{body}").as_bytes());
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    fn to_text(&self) -> String {
        let body = self.body();
        let check = Seal::check_of(&body);
        format!("{body} check={check}")
    }

    /// `None` when the text is not a seal jury wrote (edited, cut, another version's).
    fn parse(text: &str) -> Option<Seal> {
        let (body, check) = text.rsplit_once(" check=")?;
        if Seal::check_of(body) != check {
            return None;
        }
        let mut words = body.split(' ');
        if words.next()? != "v1" {
            return None;
        }
        let (seq, hash) = words.next()?.strip_prefix("head=")?.split_once(':')?;
        let mut parts = Parts::default();
        let mut words = words.peekable();
        for (i, (spec, part)) in SPECS.iter().zip(parts.iter_mut()).enumerate() {
            // A later part left out (empty) is simply not there.
            let named = words.peek().and_then(|w| w.split_once('=')).map(|(n, _)| n);
            if i >= FIRST_PARTS && named != Some(spec.name) {
                continue;
            }
            let (name, value) = words.next()?.split_once('=')?;
            if name != spec.name {
                return None;
            }
            *part = PartDigest::parse(value)?;
        }
        if words.next().is_some() {
            return None;
        }
        Some(Seal {
            head: (seq.parse().ok()?, hash.to_string()),
            parts,
        })
    }
}

/// How the workspace compares with its seal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealCheck {
    /// Everything the seal covers is as jury last wrote it. `content`: a SHA-256 (hex) over
    /// every part, what the fingerprint prints.
    Matches { content: String },
    /// A workspace made by an earlier jury that could not be sealed yet (it was read-only).
    /// `content`: the content hash of what it holds now.
    NotSealed { content: String },
    /// Changed outside jury. `seq`: the audit row the seal was made at; `changed`: what differs,
    /// one phrase each.
    Changed { seq: Option<i64>, changed: Vec<String> },
}

impl SealCheck {
    /// The refusal an export prints for a changed workspace.
    pub fn refusal(&self) -> Option<crate::core::refusal::ExportRefusal> {
        match self {
            SealCheck::Matches { .. } => None,
            SealCheck::NotSealed { .. } => Some(crate::core::refusal::ExportRefusal::NotSealed),
            SealCheck::Changed { seq, changed } => Some(crate::core::refusal::ExportRefusal::ChangedOutside {
                seq: *seq,
                changed: changed.clone(),
            }),
        }
    }
}

/// A SHA-256 (hex) over every part's digest: the content hash of the fingerprint.
fn content_hash(parts: &Parts) -> String {
    let mut h = Sha256::new();
    h.update(b"jury content v2\n");
    for (i, (spec, part)) in SPECS.iter().zip(parts).enumerate() {
        if written(i, part) {
            h.update(format!("{}={}:{}\n", spec.name, part.count, part.hex()).as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Forget what an earlier transaction of this connection reported (a rolled-back one, or a
    /// write made outside [`Store::write`], which is never sealed).
    pub(crate) fn seal_reset(&self) {
        *lock(&self.pending) = Pending::default();
    }

    /// What the open savepoint reported so far, taken out (the next request starts from
    /// nothing): the group commit keeps each kept request's part, and seals them all once.
    pub(crate) fn seal_take(&self) -> Pending {
        std::mem::take(&mut *lock(&self.pending))
    }

    /// Put back what the kept requests of a group reported ([`Store::seal_take`]), for
    /// [`Store::seal_flush`] to seal it at once before the group commits.
    pub(crate) fn seal_restore(&self, kept: Pending) {
        *lock(&self.pending) = kept;
    }

    /// Add what this transaction changed to the seal and bind it to the audit head. Called by
    /// [`Store::write`] before it commits. A workspace without a readable seal is left as it is
    /// (the check names it).
    pub(crate) fn seal_flush(&self) -> Result<()> {
        let mut pending = std::mem::take(&mut *lock(&self.pending));
        if let Some(floor) = pending.entries_floor.take() {
            // The insert trigger dropped by `seal_defer_new_entries`, back for the next write,
            // and its guard gone.
            self.conn()
                .execute_batch("DROP TRIGGER IF EXISTS temp.jury_seal_entries_guard")?;
            install_triggers(self.conn())?;
            // The entries added while deferred, in one pass: the same sum their triggers give.
            let digest: Vec<u8> = self
                .conn()
                .prepare_cached(&format!("{} WHERE seq > ?1", digest_sql(ENTRIES, "", "")))?
                .query_row([floor], |r| r.get(0))?;
            if let Some(added) = digest_from_bytes(&digest) {
                pending.parts[ENTRIES].add(&added);
                pending.touched |= added.count != 0;
            }
        }
        if !pending.touched && !pending.appended {
            return Ok(());
        }
        // Cached statements: this runs in every write transaction (every judge's keystroke).
        let text: Option<String> = self
            .conn()
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([SEAL_KEY], |r| r.get(0))
            .optional()?;
        let Some(mut seal) = text.as_deref().and_then(Seal::parse) else {
            return Ok(());
        };
        for (part, delta) in seal.parts.iter_mut().zip(&pending.parts) {
            part.add(delta);
        }
        seal.head = self
            .conn()
            .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or(seal.head);
        self.conn()
            .prepare_cached("UPDATE meta SET value = ?2 WHERE key = ?1")?
            .execute(rusqlite::params![SEAL_KEY, seal.to_text()])?;
        // Writing the seal reports nothing (meta's seal key is not watched), but be sure.
        self.seal_reset();
        Ok(())
    }

    /// A workspace made by an earlier jury gets its seal the first time this one opens it with
    /// write access (what it holds then is sealed as it is; `audit verify` still replays the
    /// scores and sheets). One that was sealed and lost its seal is left for the check to name.
    pub(crate) fn seal_if_unsealed(&self) -> Result<()> {
        if self.meta(SEAL_KEY)?.is_some() || self.meta("contest_name")?.is_none() || self.init_was_sealed()? {
            return Ok(());
        }
        // Best effort: a read-only file or a busy writer leaves it for the next time.
        let _ = self.write(|s| {
            if s.meta(SEAL_KEY)?.is_none() {
                s.seal_now()?;
            }
            Ok(())
        });
        Ok(())
    }

    fn init_was_sealed(&self) -> Result<bool> {
        // The init row is the first row of every workspace.
        let first: Option<bool> = self
            .conn()
            .query_row(
                "SELECT action = 'init' AND detail LIKE '%' || ?1 FROM audit ORDER BY seq LIMIT 1",
                [SEALED_MARK],
                |r| r.get(0),
            )
            .optional()?;
        Ok(first.unwrap_or(false))
    }

    /// Every part's digest, read from the tables. Call inside [`Store::read`] or [`Store::write`].
    pub(crate) fn current_parts(&self) -> Result<Parts> {
        Ok(all_parts(self.conn(), false)?.0)
    }

    /// [`Store::current_parts`] for a check: with many scores, the scores are read in pieces on two
    /// more connections in two threads. Their result is used only if their snapshots have the same
    /// seal and audit head; otherwise this connection reads everything. Call inside
    /// [`Store::read`].
    fn current_parts_for_check(&self, seal_text: &str, count: bool) -> Result<(Parts, Option<usize>)> {
        self.current_parts_split(seal_text, 20_000, count)
    }

    /// `count`: also [`Store::submitted_score_count`], summed in the same pass as the sheets'
    /// digest (`None` only without `count`).
    fn current_parts_split(&self, seal_text: &str, two_cores_from: i64, count: bool) -> Result<(Parts, Option<usize>)> {
        let entries: i64 = self
            .conn()
            .query_row("SELECT max(seq) FROM entries", [], |r| r.get::<_, Option<i64>>(0))?
            .unwrap_or(0);
        if entries < two_cores_from.max(1) {
            return all_parts(self.conn(), count);
        }
        // The scores are read in pieces (by entry) that two threads take in turn, each on its own
        // connection: whichever thread is done with its share first takes more, so the two cores
        // stay busy even when other work slows one of them. One thread first reads the other parts.
        let step = (entries / CHECK_PIECES).max(1) as usize;
        let mut bounds: Vec<String> = Vec::with_capacity(CHECK_PIECES as usize);
        {
            let mut stmt = self.conn().prepare("SELECT id FROM entries ORDER BY id")?;
            let mut rows = stmt.query([])?;
            let mut i = 0usize;
            while let Some(row) = rows.next()? {
                if i > 0
                    && i.is_multiple_of(step)
                    && let ValueRef::Text(t) = row.get_ref(0)?
                {
                    bounds.push(String::from_utf8_lossy(t).into_owned());
                }
                i += 1;
            }
        }
        // Lossy text or repeated ids would only make pieces empty; keep the bounds strictly rising.
        bounds.dedup();
        if bounds.is_empty() || bounds.windows(2).any(|w| w[0] >= w[1]) {
            return all_parts(self.conn(), count);
        }
        let head = self.audit_head()?;
        let path = self.path();
        let tails = [
            " WHERE entry < ?1",
            " WHERE entry >= ?1 AND entry < ?2",
            " WHERE entry >= ?1",
        ];
        let pieces = bounds.len() + 1;
        let next = std::sync::atomic::AtomicUsize::new(0);
        let take_pieces = |conn: &Connection| -> Result<PartDigest> {
            let mut digest = PartDigest::default();
            loop {
                let piece = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if piece >= pieces {
                    return Ok(digest);
                }
                let d = if piece == 0 {
                    scan_part(conn, SCORES, tails[0], &[&bounds[0]])?
                } else if piece == pieces - 1 {
                    scan_part(conn, SCORES, tails[2], &[&bounds[piece - 1]])?
                } else {
                    scan_part(conn, SCORES, tails[1], &[&bounds[piece - 1], &bounds[piece]])?
                };
                digest.add(&d);
            }
        };
        let (mine, theirs) = std::thread::scope(|scope| {
            let (head, take_pieces) = (&head, &take_pieces);
            let other = scope.spawn(move || on_same_snapshot(path, seal_text, head, take_pieces));
            let mine = scope.spawn(move || {
                on_same_snapshot(path, seal_text, head, |conn| {
                    let (mut parts, counted) = parts_but_scores(conn, count)?;
                    parts[SCORES] = take_pieces(conn)?;
                    Ok((parts, counted))
                })
            });
            let mine = mine.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let theirs = other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (mine, theirs)
        });
        match (mine, theirs) {
            (Ok(Some((mut parts, counted))), Ok(Some(second))) => {
                parts[SCORES].add(&second);
                Ok((parts, counted))
            }
            // Another snapshot (a commit in between) or no second connection: read it all here.
            _ => all_parts(self.conn(), count),
        }
    }

    /// Compare the workspace with its seal: the head of the audit trail (and its last row's own
    /// hash) and every part. Call inside [`Store::read`] so all of it is one snapshot.
    pub fn check_seal(&self) -> Result<SealCheck> {
        Ok(self.check_seal_counted(false)?.0)
    }

    /// [`Store::check_seal`] and [`Store::submitted_score_count`] of the same snapshot, for a
    /// fingerprint: the count is summed in the same pass as the sheets' digest, so it adds
    /// almost no time. Call inside [`Store::read`].
    pub fn check_seal_and_count(&self) -> Result<(SealCheck, usize)> {
        let (check, count) = self.check_seal_counted(true)?;
        let count = match count {
            Some(n) => n,
            None => self.submitted_score_count()?,
        };
        Ok((check, count))
    }

    fn check_seal_counted(&self, count: bool) -> Result<(SealCheck, Option<usize>)> {
        let Some(text) = self.meta(SEAL_KEY)? else {
            if self.init_was_sealed()? {
                return Ok((
                    SealCheck::Changed {
                        seq: None,
                        changed: vec!["the seal kept with the audit trail was removed".into()],
                    },
                    None,
                ));
            }
            return Ok((
                SealCheck::NotSealed {
                    content: content_hash(&self.current_parts()?),
                },
                None,
            ));
        };
        let Some(seal) = Seal::parse(&text) else {
            return Ok((
                SealCheck::Changed {
                    seq: None,
                    changed: vec!["the seal kept with the audit trail was edited".into()],
                },
                None,
            ));
        };
        let mut changed = Vec::new();
        let head = self.audit_head()?;
        if head != seal.head {
            let (now, was) = (head.0, seal.head.0);
            changed.push(if now > was {
                format!("audit rows after row {was} were written without the seal (outside jury)")
            } else if now < was {
                format!("the audit trail ends at row {now}, but it had {was} rows: rows were removed from its end")
            } else {
                format!("the last audit row ({now}) was replaced")
            });
        } else if !self.audit_last_row_intact()? {
            changed.push(format!("the last audit row ({}) was edited", head.0));
        }
        let (parts, counted) = self.current_parts_for_check(&text, count)?;
        for ((spec, now), sealed) in SPECS.iter().zip(&parts).zip(&seal.parts) {
            if now != sealed {
                let count = if now.count != sealed.count {
                    format!(" ({} rows now, {} when jury last wrote)", now.count, sealed.count)
                } else {
                    String::new()
                };
                changed.push(format!("{}{count}", spec.what));
            }
        }
        if changed.is_empty() {
            Ok((
                SealCheck::Matches {
                    content: content_hash(&parts),
                },
                counted,
            ))
        } else {
            Ok((
                SealCheck::Changed {
                    seq: Some(seal.head.0),
                    changed,
                },
                counted,
            ))
        }
    }
}

/// `jury_digest(part, values…)`, an aggregate: the [`PartDigest`] of the rows it is given, as 40
/// bytes (the count, then the four lanes, little-endian). A check reads millions of rows: hashing
/// them inside the query costs SQLite no result row per score and jury no column call per value
/// (the values come as the function's arguments). Same digest as reading the rows and hashing
/// each (`tests::the_digest_in_the_query_is_the_digest_of_the_rows`). Direct only: no trigger or
/// view in the file can call it.
pub(crate) fn register_digest(conn: &Connection) -> Result<()> {
    conn.create_aggregate_function(
        "jury_digest",
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
        DigestOfRows,
    )?;
    Ok(())
}

struct DigestOfRows;

/// The digest so far and the buffer each row is encoded in.
struct DigestAcc {
    digest: PartDigest,
    buf: Vec<u8>,
}

impl Aggregate<DigestAcc, Vec<u8>> for DigestOfRows {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<DigestAcc> {
        Ok(DigestAcc {
            digest: PartDigest::default(),
            buf: Vec::with_capacity(256),
        })
    }

    fn step(&self, ctx: &mut Context<'_>, acc: &mut DigestAcc) -> rusqlite::Result<()> {
        let part = match ctx.get_raw(0) {
            ValueRef::Integer(p) if (0..PARTS as i64).contains(&p) => p as usize,
            _ => return Err(rusqlite::Error::UserFunctionError("jury_digest: no such part".into())),
        };
        let hash = row_hash(part, (1..ctx.len()).map(|i| ctx.get_raw(i)), &mut acc.buf);
        acc.digest.apply(&hash, 1);
        Ok(())
    }

    fn finalize(&self, _: &mut Context<'_>, acc: Option<DigestAcc>) -> rusqlite::Result<Vec<u8>> {
        let digest = acc.map(|a| a.digest).unwrap_or_default();
        let mut out = Vec::with_capacity(40);
        out.extend_from_slice(&digest.count.to_le_bytes());
        for lane in digest.sum {
            out.extend_from_slice(&lane.to_le_bytes());
        }
        Ok(out)
    }
}

fn digest_from_bytes(bytes: &[u8]) -> Option<PartDigest> {
    if bytes.len() != 40 {
        return None;
    }
    let word = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&bytes[i * 8..(i + 1) * 8]);
        b
    };
    Some(PartDigest {
        count: i64::from_le_bytes(word(0)),
        sum: [1, 2, 3, 4].map(|i| u64::from_le_bytes(word(i))),
    })
}

/// The query that digests part `part`: its scan with the columns handed to `jury_digest`, then
/// `extra` (further columns of the same row) and `tail` (a condition on the scores' key).
fn digest_sql(part: usize, extra: &str, tail: &str) -> String {
    let spec = &SPECS[part];
    let select = format!("SELECT {}", spec.columns);
    debug_assert!(spec.scan.starts_with(&select));
    let rest = &spec.scan[select.len()..];
    format!("SELECT jury_digest({part}, {}){extra}{rest}{tail}", spec.columns)
}

/// The submitted scores of the results (calibration samples left out), as
/// [`Store::submitted_score_count`] counts them, summed in the same pass as the sheets' digest.
const SUBMITTED_COUNT: &str = ", COALESCE(SUM(CASE WHEN status = 'submitted' \
     AND entry NOT IN (SELECT entry FROM calibration) THEN criteria END), 0)";

/// The digest of part `part` (of the scores: those of the entries `keys` bound with `tail`).
fn scan_part(conn: &Connection, part: usize, tail: &str, keys: &[&String]) -> Result<PartDigest> {
    let sql = digest_sql(part, "", tail);
    let bytes: Vec<u8> = conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(keys), |r| r.get(0))?;
    digest_from_bytes(&bytes).ok_or_else(|| crate::core::refusal::StoreRefusal::NotDigest.into())
}

/// The sheets' digest and the submitted-score count, read in one pass.
fn scan_sheets_counted(conn: &Connection) -> Result<(PartDigest, usize)> {
    let sql = digest_sql(SHEETS, SUBMITTED_COUNT, "");
    let (bytes, n): (Vec<u8>, i64) = conn
        .prepare_cached(&sql)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let digest = digest_from_bytes(&bytes)
        .ok_or_else(|| crate::error::Error::from(crate::core::refusal::StoreRefusal::NotDigest))?;
    Ok((digest, n.max(0) as usize))
}

/// Every part but the scores; with `count`, the sheets' part also gives the submitted-score count.
fn parts_but_scores(conn: &Connection, count: bool) -> Result<(Parts, Option<usize>)> {
    let mut parts = Parts::default();
    let mut counted = None;
    for (i, part) in parts.iter_mut().enumerate() {
        if i == SCORES {
            continue;
        }
        if i == SHEETS && count {
            let (digest, n) = scan_sheets_counted(conn)?;
            *part = digest;
            counted = Some(n);
        } else {
            *part = scan_part(conn, i, "", &[])?;
        }
    }
    Ok((parts, counted))
}

/// Every part, on one connection.
fn all_parts(conn: &Connection, count: bool) -> Result<(Parts, Option<usize>)> {
    let (mut parts, counted) = parts_but_scores(conn, count)?;
    parts[SCORES] = scan_part(conn, SCORES, "", &[])?;
    Ok((parts, counted))
}

/// Run `job` on a read-only connection of its own, with the file mapped into memory (pages are
/// read where they lie instead of being copied into the page cache one by one) and without
/// SQLite's per-call mutex (the connection never leaves this thread), but only if that
/// connection's snapshot has the same seal and audit head as the caller's. `None`: another
/// snapshot.
fn on_same_snapshot<T>(
    path: &std::path::Path,
    seal_text: &str,
    head: &(i64, String),
    job: impl FnOnce(&Connection) -> Result<T>,
) -> Result<Option<T>> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    register_digest(&conn)?;
    // SQLite caps it at its own limit (2 GB in the bundled build); a larger file is mapped as far
    // as that and read as usual beyond it.
    let _ = conn.execute_batch("PRAGMA mmap_size = 2147418112");
    conn.execute_batch("BEGIN DEFERRED")?;
    let result = (|| {
        let same: Option<(String, i64, String)> = conn
            .query_row(
                "SELECT (SELECT value FROM meta WHERE key = ?1), seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                [SEAL_KEY],
                |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match same {
            Some((text, seq, hash)) if text == seal_text && (seq, hash.as_str()) == (head.0, head.1.as_str()) => {
                job(&conn).map(Some)
            }
            _ => Ok(None),
        }
    })();
    let _ = conn.execute_batch("COMMIT");
    result
}

impl super::Tx<'_> {
    /// Seal the workspace as it is now. Call inside [`Store::write`].
    pub(crate) fn seal_now(&self) -> Result<()> {
        let seal = Seal {
            head: self.audit_head()?,
            parts: self.current_parts()?,
        };
        self.set_meta(SEAL_KEY, &seal.to_text())
    }
}

impl super::Tx<'_> {
    /// From here to the end of this transaction, the entries it adds are left out of the seal's
    /// per-row trigger and digested all at once when it commits ([`Store::seal_flush`]): the same
    /// seal, a sum, without a call per row (an import adds 100k). Kept in this connection's memory
    /// only, never in the file; cleared when the transaction begins, commits or fails.
    pub(crate) fn seal_defer_new_entries(&self) -> Result<()> {
        let floor: i64 = self
            .conn()
            .query_row("SELECT coalesce(max(seq), 0) FROM entries", [], |r| r.get(0))?;
        {
            let mut p = lock(&self.pending);
            p.entries_floor = Some(p.entries_floor.map_or(floor, |f| f.min(floor)));
        }
        // Not even the trigger's sub-program per row (it also makes SQLite keep a statement
        // journal and plan the foreign keys' scans per insert): dropped in this transaction, so a
        // rollback brings it back, and made again by `seal_flush` before the commit.
        // A stored entry deleted now could hand its seq to a row added after it (SQLite gives a
        // new row the largest seq + 1), which would then be under the floor and in neither the
        // trigger's nor the flush's share. Imports never delete; the guard makes it impossible.
        self.conn().execute_batch(
            "DROP TRIGGER IF EXISTS temp.jury_seal_entries_insert;
             CREATE TEMP TRIGGER IF NOT EXISTS jury_seal_entries_guard BEFORE DELETE ON main.entries
             WHEN OLD.seq <= jury_seal_floor() BEGIN
               SELECT RAISE(ABORT, 'a stored entry cannot be deleted while an import seals its added entries at once');
             END;",
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_through_jury_keep_the_seal_a_write_beside_it_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let (f, src) = crate::core::rubric::template_source("competition").unwrap();
        store.init(f, src, None).unwrap();
        let matches = |store: &Store| matches!(store.read(|s| s.check_seal()).unwrap(), SealCheck::Matches { .. });
        assert!(matches(&store));
        store
            .write(|s| {
                s.conn().execute(
                    "INSERT INTO judges(id, name, organization, pin_hash) VALUES ('J1', 'n', 'org', 'x')",
                    [],
                )?;
                // REPLACE deletes the old row: the seal sees it go.
                s.conn().execute(
                    "INSERT OR REPLACE INTO judges(id, name, organization, pin_hash) VALUES ('J1', 'n', 'org2', 'x')",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        assert!(matches(&store));
        // A rolled-back write leaves the seal as it was.
        let _ = store.write(|s| {
            s.conn().execute("UPDATE judges SET organization = 'org3'", [])?;
            Err::<(), _>(crate::error::Error::refused("no"))
        });
        assert!(matches(&store));
        // Outside a jury write (as the sqlite3 shell would): named, and never sealed later.
        store
            .conn()
            .execute("UPDATE judges SET organization = 'org4'", [])
            .unwrap();
        store.write(|s| s.set_meta("k", "v")).unwrap();
        match store.read(|s| s.check_seal()).unwrap() {
            SealCheck::Changed { changed, .. } => {
                assert_eq!(
                    changed,
                    vec!["a judge's organisation, or a judge added or removed".to_string()]
                )
            }
            other => panic!("{other:?}"),
        }
    }

    /// The same writes, with the added entries deferred ([`Tx::seal_defer_new_entries`]) or not:
    /// inserts, an update and a delete of entries added in the transaction, and updates of stored
    /// ones (a stored one cannot be deleted while deferred: [`Tx::seal_defer_new_entries`]).
    fn entries_written(defer: bool) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let (f, src) = crate::core::rubric::template_source("competition").unwrap();
        store.init(f, src, None).unwrap();
        let insert = |s: &super::super::Tx<'_>, id: &str, org: &str| {
            s.conn()
                .execute(
                    "INSERT INTO entries(id, grp, organization) VALUES (?1, NULL, ?2)",
                    [id, org],
                )
                .map(|_| ())
        };
        store
            .write(|s| {
                insert(s, "OLD1", "a")?;
                insert(s, "OLD2", "b")?;
                Ok(())
            })
            .unwrap();
        store
            .write(|s| {
                if defer {
                    s.seal_defer_new_entries()?;
                }
                for i in 0..50 {
                    insert(s, &format!("N{i}"), "n")?;
                }
                if defer {
                    // The per-row trigger reported none of the added rows.
                    assert_eq!(lock(&s.pending).parts[ENTRIES], PartDigest::default());
                }
                s.conn()
                    .execute("UPDATE entries SET organization = 'x' WHERE id = 'N3'", [])?;
                s.conn().execute("DELETE FROM entries WHERE id = 'N4'", [])?;
                s.conn().execute("UPDATE entries SET grp = 'g' WHERE id = 'OLD1'", [])?;
                s.conn()
                    .execute("UPDATE entries SET organization = 'c' WHERE id = 'OLD2'", [])?;
                s.set_meta("k", "v")
            })
            .unwrap();
        (dir, store)
    }

    fn stored_parts(store: &Store) -> Parts {
        let text = store.read(|s| s.meta(SEAL_KEY)).unwrap().unwrap();
        Seal::parse(&text).unwrap().parts
    }

    #[test]
    fn entries_added_at_once_give_the_seal_their_triggers_give() {
        let (_d1, deferred) = entries_written(true);
        let (_d2, per_row) = entries_written(false);
        let parts = stored_parts(&deferred);
        assert_eq!(parts[ENTRIES].count, 51);
        assert_eq!(parts, stored_parts(&per_row), "the same seal, part by part");
        assert_eq!(parts, deferred.read(|s| s.current_parts()).unwrap());
        assert!(matches!(
            deferred.read(|s| s.check_seal()).unwrap(),
            SealCheck::Matches { .. }
        ));
        // The next ordinary write goes through the trigger again.
        deferred
            .write(|s| {
                s.conn()
                    .execute("UPDATE entries SET organization = 'y' WHERE id = 'N5'", [])?;
                s.conn()
                    .execute("INSERT INTO entries(id, organization) VALUES ('L1', 'l')", [])?;
                assert_eq!(lock(&s.pending).parts[ENTRIES].count, 1);
                Ok(())
            })
            .unwrap();
        assert_eq!(stored_parts(&deferred)[ENTRIES].count, 52);
        assert!(matches!(
            deferred.read(|s| s.check_seal()).unwrap(),
            SealCheck::Matches { .. }
        ));
        // A deferred write that fails leaves the seal and the rows as they were, and defers nothing after.
        let before = deferred.read(|s| s.meta(SEAL_KEY)).unwrap();
        let _ = deferred.write(|s| {
            s.seal_defer_new_entries()?;
            s.conn()
                .execute("INSERT INTO entries(id, organization) VALUES ('F1', 'f')", [])?;
            Err::<(), _>(crate::error::Error::refused("no"))
        });
        assert_eq!(deferred.read(|s| s.meta(SEAL_KEY)).unwrap(), before);
        assert_eq!(deferred.read(|s| s.current_parts()).unwrap()[ENTRIES].count, 52);
        deferred
            .write(|s| {
                s.conn()
                    .execute("INSERT INTO entries(id, organization) VALUES ('L2', 'l')", [])?;
                assert_eq!(lock(&s.pending).parts[ENTRIES].count, 1, "the trigger reported it");
                Ok(())
            })
            .unwrap();
        assert!(matches!(
            deferred.read(|s| s.check_seal()).unwrap(),
            SealCheck::Matches { .. }
        ));
    }

    #[test]
    fn a_stored_entry_cannot_be_deleted_while_added_entries_are_sealed_at_once() {
        let (_dir, store) = entries_written(true);
        let before = store.read(|s| s.meta(SEAL_KEY)).unwrap();
        // Deleting the stored entry with the largest seq, then adding one, would reuse its seq.
        let refused = store.write(|s| {
            s.seal_defer_new_entries()?;
            s.conn().execute("DELETE FROM entries WHERE id = 'N49'", [])?;
            s.conn()
                .execute("INSERT INTO entries(id, organization) VALUES ('R1', 'r')", [])?;
            Ok(())
        });
        assert!(refused.is_err(), "the delete is refused while deferred");
        assert_eq!(store.read(|s| s.meta(SEAL_KEY)).unwrap(), before);
        let ids: i64 = store
            .read(|s| {
                Ok(s.conn()
                    .query_row("SELECT count(*) FROM entries WHERE id IN ('N49', 'R1')", [], |r| {
                        r.get(0)
                    })?)
            })
            .unwrap();
        assert_eq!(ids, 1, "N49 is still there and R1 was not added");
        // Outside a deferring write the same delete is an ordinary one, through the trigger.
        store
            .write(|s| {
                s.conn().execute("DELETE FROM entries WHERE id = 'N49'", [])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(stored_parts(&store)[ENTRIES].count, 50);
        assert!(matches!(
            store.read(|s| s.check_seal()).unwrap(),
            SealCheck::Matches { .. }
        ));
    }

    #[test]
    fn the_scores_read_on_two_connections_sum_to_the_scores_read_on_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let (one, (two, counted)) = store
            .read(|s| {
                let text = s.meta(SEAL_KEY)?.unwrap_or_default();
                Ok((s.current_parts()?, s.current_parts_split(&text, 1, true)?))
            })
            .unwrap();
        assert!(one[SCORES].count > 100);
        assert_eq!(one, two);
        assert_eq!(counted, Some(store.read(|s| s.submitted_score_count()).unwrap()));
        // A seal text the second connection does not see: this connection reads that half too.
        let (again, count) = store.read(|s| s.current_parts_split("another seal", 1, true)).unwrap();
        assert_eq!(one, again);
        // The count taken beside the check is the count.
        assert_eq!(count, Some(store.read(|s| s.submitted_score_count()).unwrap()));
    }

    /// The digest as the row loop of earlier versions computed it: every row read and hashed here.
    fn rows_digest(conn: &Connection, part: usize) -> PartDigest {
        let mut stmt = conn.prepare(SPECS[part].scan).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        let mut digest = PartDigest::default();
        let mut buf = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            let hash = row_hash(part, (0..n).map(|i| row.get_ref(i).unwrap()), &mut buf);
            digest.apply(&hash, 1);
        }
        digest
    }

    #[test]
    fn the_digest_in_the_query_is_the_digest_of_the_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let parts = store.read(|s| s.current_parts()).unwrap();
        for part in 0..PARTS {
            assert_eq!(parts[part], rows_digest(store.conn(), part), "{}", SPECS[part].name);
        }
        assert!(parts[SCORES].count > 100 && parts[SHEETS].count > 10);
        // Per piece as well: the scores of entries below a bound plus those from it are all of them.
        let bound = store
            .conn()
            .query_row("SELECT entry FROM scores ORDER BY entry LIMIT 1 OFFSET 50", [], |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        let mut pieces = scan_part(store.conn(), SCORES, " WHERE entry < ?1", &[&bound]).unwrap();
        pieces.add(&scan_part(store.conn(), SCORES, " WHERE entry >= ?1", &[&bound]).unwrap());
        assert_eq!(pieces, parts[SCORES]);
        // Values of every type (as the sqlite3 shell could store them) hash as they did.
        let conn = Connection::open_in_memory().unwrap();
        register_digest(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE scores(entry, round, judge, criterion, value);
             INSERT INTO scores VALUES ('E1', 'r', 'J', 'c', 200000), ('E1', 'r', 'J', 'd', '200000'),
               ('E2', 'r', 'J', 'c', 2.5), (x'4531', 'r', 'J', 'c', NULL), ('', '', '', '', 0);",
        )
        .unwrap();
        let digest = scan_part(&conn, SCORES, "", &[]).unwrap();
        assert_eq!(digest, rows_digest(&conn, SCORES));
        assert_eq!(digest.count, 5);
        // No rows: the empty digest.
        conn.execute_batch("DELETE FROM scores").unwrap();
        assert_eq!(scan_part(&conn, SCORES, "", &[]).unwrap(), PartDigest::default());
    }

    #[test]
    fn a_score_changed_beside_jury_is_named_on_the_two_connections_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let sealed = store
            .read(|s| {
                let text = s.meta(SEAL_KEY)?.unwrap_or_default();
                Ok(Seal::parse(&text).unwrap().parts)
            })
            .unwrap();
        let split = |store: &Store| {
            store
                .read(|s| {
                    let text = s.meta(SEAL_KEY)?.unwrap_or_default();
                    Ok(s.current_parts_split(&text, 1, false)?.0)
                })
                .unwrap()
        };
        assert_eq!(split(&store), sealed);
        // Two scores of one sheet moved by the same amount in opposite directions: the sheet's
        // total and count stay as they were, so only the scores' part can show it. The first and
        // the last score, so that the first and the last piece are both read.
        let (first, last): (String, String) = store
            .conn()
            .query_row(
                "SELECT (SELECT entry || '/' || criterion FROM scores ORDER BY entry, round, judge, criterion LIMIT 1),
                        (SELECT entry || '/' || criterion FROM scores ORDER BY entry DESC, round DESC, judge DESC, criterion DESC LIMIT 1)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        for key in [first, last] {
            let (entry, criterion) = key.split_once('/').unwrap();
            let changed = store
                .conn()
                .execute(
                    "UPDATE scores SET value = value + 5000 WHERE entry = ?1 AND criterion = ?2 AND judge =
                       (SELECT judge FROM scores WHERE entry = ?1 AND criterion = ?2 ORDER BY judge LIMIT 1)",
                    [entry, criterion],
                )
                .unwrap();
            assert_eq!(changed, 1);
            let now = split(&store);
            assert_ne!(now[SCORES], sealed[SCORES], "{entry}");
            assert_eq!(now[SCORES].count, sealed[SCORES].count);
            store
                .conn()
                .execute(
                    "UPDATE scores SET value = value - 5000 WHERE entry = ?1 AND criterion = ?2 AND judge =
                       (SELECT judge FROM scores WHERE entry = ?1 AND criterion = ?2 ORDER BY judge LIMIT 1)",
                    [entry, criterion],
                )
                .unwrap();
            assert_eq!(split(&store), sealed, "restored");
        }
    }

    #[test]
    fn the_digest_cannot_be_called_from_the_file() {
        // A view or trigger stored in the file cannot run jury's digest (it would let a crafted
        // file call it while jury reads): SQLITE_DIRECTONLY.
        let conn = Connection::open_in_memory().unwrap();
        register_digest(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE t(a); INSERT INTO t VALUES (1); CREATE VIEW v AS SELECT jury_digest(0, a) FROM t;",
        )
        .unwrap();
        assert!(
            conn.query_row("SELECT * FROM v", [], |r| r.get::<_, Vec<u8>>(0))
                .is_err()
        );
        assert!(
            conn.query_row("SELECT jury_digest(0, a) FROM t", [], |r| r.get::<_, Vec<u8>>(0))
                .is_ok()
        );
        assert!(
            conn.query_row("SELECT jury_digest(99, a) FROM t", [], |r| r.get::<_, Vec<u8>>(0))
                .is_err()
        );
    }

    #[test]
    fn the_one_block_sha256_is_sha256() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 37 + 11) as u8).collect();
        for len in 0..data.len() {
            let digest = Sha256::digest(&data[..len]);
            let mut want = [0u64; 4];
            for (lane, bytes) in want.iter_mut().zip(digest.chunks_exact(8)) {
                *lane = u64::from_le_bytes(bytes.try_into().unwrap());
            }
            assert_eq!(sha256_lanes(&data[..len]), want, "{len} bytes");
        }
    }

    #[test]
    fn seal_text_round_trips_and_refuses_edits() {
        let mut parts = Parts::default();
        parts[2].apply(&[1, 2, 3, u64::MAX], 1);
        let seal = Seal {
            head: (7, "ab".repeat(32)),
            parts,
        };
        let text = seal.to_text();
        assert_eq!(Seal::parse(&text), Some(seal.clone()));
        assert_eq!(Seal::parse(&text.replace("head=7", "head=6")), None);
        assert_eq!(Seal::parse(&text[..text.len() - 1]), None);
        assert_eq!(Seal::parse(""), None);
    }

    #[test]
    fn the_later_parts_are_written_only_when_not_empty() {
        let mut parts = Parts::default();
        parts[2].apply(&[1, 2, 3, 4], 1);
        let seal = Seal {
            head: (7, "ab".repeat(32)),
            parts,
        };
        // Without withdrawals or removed judges: the text and the content hash of before.
        let text = seal.to_text();
        assert!(!text.contains("withdrawals=") && !text.contains("removed="), "{text}");
        assert_eq!(Seal::parse(&text), Some(seal.clone()));
        let before = content_hash(&seal.parts);
        let mut with = seal.clone();
        with.parts[FIRST_PARTS].apply(&[5, 6, 7, 8], 1);
        let text = with.to_text();
        assert!(text.contains(" withdrawals=1:"), "{text}");
        assert!(!text.contains("removed="), "{text}");
        assert_eq!(Seal::parse(&text), Some(with.clone()));
        assert_ne!(content_hash(&with.parts), before);
        with.parts[FIRST_PARTS + 1].apply(&[9, 9, 9, 9], 1);
        assert_eq!(Seal::parse(&with.to_text()), Some(with.clone()));
    }

    #[test]
    fn digests_are_order_free_and_see_types_and_boundaries() {
        let h = |vals: &[ValueRef<'_>]| row_hash(1, vals.iter().copied(), &mut Vec::new());
        let a = h(&[ValueRef::Text(b"E1"), ValueRef::Integer(5)]);
        let b = h(&[ValueRef::Text(b"E2"), ValueRef::Integer(6)]);
        let mut x = PartDigest::default();
        x.apply(&a, 1);
        x.apply(&b, 1);
        let mut y = PartDigest::default();
        y.apply(&b, 1);
        y.apply(&a, 1);
        assert_eq!(x, y);
        y.apply(&b, -1);
        let mut z = PartDigest::default();
        z.apply(&a, 1);
        assert_eq!(y, z);
        assert_ne!(h(&[ValueRef::Integer(1)]), h(&[ValueRef::Text(b"1")]));
        assert_ne!(
            h(&[ValueRef::Text(b"ab"), ValueRef::Text(b"c")]),
            h(&[ValueRef::Text(b"a"), ValueRef::Text(b"bc")])
        );
    }
}
