//! One judge's session: what a judge may read and write, enforced below any screen.
//!
//! A [`JudgeSession`] is opened for one judge (with their PIN, or trusted for the demo) and offers
//! only that judge's own sheets: there is no way through it to read another judge's scores or the
//! tally (blind judging). Every write checks the rubric, conflicts of interest (回避) and the sheet's
//! status inside the same `BEGIN IMMEDIATE` transaction that stores the value and its audit row, so
//! a concurrent organiser or judge can never slip a change in between the check and the write.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::core::rubric::{Criterion, Kind, Round};
use crate::core::scoring::{ScoreError, check_score, parse_score};
use crate::core::{Entry, Judge, Points, Rubric};
use crate::error::Error;
use crate::store::{Actor, AuditEvent, ListChanges, SheetStatus, Store, Tx};

pub use crate::core::entry_list::{EntryList, EntryRef};
pub use crate::core::scoring::Refusal;

/// A refusal, or the workspace failing underneath.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("{0}")]
    Store(#[from] Error),
}

impl From<rusqlite::Error> for JudgeError {
    fn from(e: rusqlite::Error) -> Self {
        JudgeError::Store(Error::from(e))
    }
}

impl From<JudgeError> for Error {
    fn from(e: JudgeError) -> Self {
        match e {
            JudgeError::Refused(r) => Error::Judging(r),
            JudgeError::Store(e) => e,
        }
    }
}

impl JudgeError {
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            JudgeError::Refused(r) => Some(r),
            JudgeError::Store(_) => None,
        }
    }
}

pub type JudgeResult<T> = std::result::Result<T, JudgeError>;

/// How long a session's write waits for another process's write lock before [`Refusal::Busy`],
/// unless [`JudgeSession::set_write_wait`] says otherwise (the screen waits less and retries).
pub const JUDGE_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// The judge's own state of one sheet (an entry in one round).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetProgress {
    NotStarted,
    Draft,
    Submitted,
}

impl From<Option<SheetStatus>> for SheetProgress {
    fn from(s: Option<SheetStatus>) -> Self {
        match s {
            None => SheetProgress::NotStarted,
            Some(SheetStatus::Draft) => SheetProgress::Draft,
            Some(SheetStatus::Submitted) => SheetProgress::Submitted,
        }
    }
}

pub use crate::core::entry::RowStatus;

/// A row's sheet states, one a round, held in the row itself up to [`Rounds::INLINE`] rounds (a
/// `Vec` would be an allocation a row: 100k a judge, and so a session under `jury serve`).
#[derive(Clone, PartialEq, Eq)]
pub enum Rounds {
    Inline(u8, [SheetProgress; Rounds::INLINE]),
    Heap(Box<[SheetProgress]>),
}

impl Rounds {
    /// Rounds kept in the row.
    pub const INLINE: usize = 14;
}

impl std::ops::Deref for Rounds {
    type Target = [SheetProgress];
    fn deref(&self) -> &[SheetProgress] {
        match self {
            Rounds::Inline(len, states) => &states[..usize::from(*len)],
            Rounds::Heap(states) => states,
        }
    }
}

impl std::ops::DerefMut for Rounds {
    fn deref_mut(&mut self) -> &mut [SheetProgress] {
        match self {
            Rounds::Inline(len, states) => &mut states[..usize::from(*len)],
            Rounds::Heap(states) => states,
        }
    }
}

impl FromIterator<SheetProgress> for Rounds {
    fn from_iter<I: IntoIterator<Item = SheetProgress>>(iter: I) -> Rounds {
        let mut states = [SheetProgress::NotStarted; Rounds::INLINE];
        let mut len = 0;
        let mut iter = iter.into_iter();
        for state in iter.by_ref() {
            if len == Rounds::INLINE {
                let mut all = states.to_vec();
                all.push(state);
                all.extend(iter);
                return Rounds::Heap(all.into_boxed_slice());
            }
            states[len] = state;
            len += 1;
        }
        // `len` is at most INLINE (14): it fits a u8.
        Rounds::Inline(u8::try_from(len).unwrap_or(u8::MAX), states)
    }
}

impl From<Vec<SheetProgress>> for Rounds {
    fn from(states: Vec<SheetProgress>) -> Rounds {
        states.into_iter().collect()
    }
}

impl PartialEq<Vec<SheetProgress>> for Rounds {
    fn eq(&self, other: &Vec<SheetProgress>) -> bool {
        **self == other[..]
    }
}

impl std::fmt::Debug for Rounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One row of the judge's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    /// The entry without its long texts: one entry of the column arrays shared by every judge's
    /// list of this process (see [`shared_entries`]); the rest of the row is the judge's own.
    pub entry: EntryRef,
    /// The judge's sheet state per round, in the rubric's round order.
    pub rounds: Rounds,
    /// `Some(reason)` when the judge may not score this entry (回避).
    pub conflict: Option<String>,
    /// A calibration sample (试评): scored first, never counted in the results.
    pub calibration: bool,
    /// Withdrawn (弃权) or disqualified (取消资格) by the organiser: listed last, not scored.
    pub withdrawn: Option<crate::core::withdrawal::WithdrawalKind>,
}

impl EntryRow {
    pub fn status(&self) -> RowStatus {
        if self.conflict.is_some() {
            RowStatus::Conflict
        } else if self.rounds.iter().all(|r| *r == SheetProgress::Submitted) {
            RowStatus::Submitted
        } else if self.rounds.iter().all(|r| *r == SheetProgress::NotStarted) {
            RowStatus::NotStarted
        } else {
            RowStatus::Draft
        }
    }

    /// The word the judge's list shows with the submitted count: a row with rounds submitted and
    /// none in draft (the others not started) reads `已提交 1/3`, not `草稿 1/3`; `草稿` only when a
    /// round really has a draft. [`EntryRow::status`] (filters, colours) is unchanged.
    pub fn list_status(&self) -> RowStatus {
        match self.status() {
            RowStatus::Draft if !self.rounds.contains(&SheetProgress::Draft) => RowStatus::Submitted,
            s => s,
        }
    }

    /// Rounds submitted so far.
    pub fn submitted_rounds(&self) -> usize {
        self.rounds.iter().filter(|r| **r == SheetProgress::Submitted).count()
    }

    /// `true` when the judge still has something to score here.
    pub fn needs_scoring(&self) -> bool {
        self.conflict.is_none() && self.withdrawn.is_none() && self.submitted_rounds() < self.rounds.len()
    }
}

/// The entries (without long texts) as every judge's list holds them, read once per version of the
/// entries and shared by every session of this process: `jury serve` keeps one copy, not one a
/// judge. The key is the workspace's path, its entries' version (meta `entries_version`, moved on
/// in the same transaction as every write of entries, see `Tx::entry_writer`) and the number of
/// entries; scores and sheets, which change all the time, are not part of it.
struct EntryCache {
    key: (PathBuf, String, i64),
    entries: Arc<EntryList>,
}

/// One cache a workspace (a server has one; tests have many side by side), the latest first.
static ENTRY_CACHE: Mutex<Vec<EntryCache>> = Mutex::new(Vec::new());

/// Held while entries are read into the cache.
static ENTRY_LOADING: Mutex<()> = Mutex::new(());

/// Below about this many entries the judges' list is read whole before the first frame: it takes
/// a few milliseconds, about what a page read apart and a second connection for the rest cost
/// ([`JudgeSession::first_page`]). 1,000 (5,000 before): at 1k the page costs a fifth of the
/// whole read on the screen's thread (docs/performance.md, round six, second pass).
pub const FIRST_PAGE_FROM: i64 = 1_000;

/// How many workspaces' entries are kept.
const ENTRY_CACHE_WORKSPACES: usize = 4;

/// For small keys, where each item goes in a stable sort by key: `places[i]` is the new index of
/// item `i` (a counting sort: one pass to count, one to place).
fn stable_places(keys: &[u32]) -> Vec<u32> {
    let piles = keys.iter().max().map_or(0, |&k| k as usize + 1);
    let mut next = vec![0u32; piles];
    for &k in keys {
        next[k as usize] += 1;
    }
    let mut at = 0u32;
    for n in &mut next {
        let count = *n;
        *n = at;
        at += count;
    }
    keys.iter()
        .map(|&k| {
            let place = next[k as usize];
            next[k as usize] += 1;
            place
        })
        .collect()
}

/// Move item `i` of `items` to index `places[i]` (a permutation), in place: each cycle of the
/// permutation is followed once, with swaps.
fn move_to_places<T>(items: &mut [T], mut places: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    for start in 0..items.len() {
        // Item `start` is not in its place yet while its entry is not DONE: swap it there, and
        // what was there next, until the cycle comes back to `start`.
        loop {
            let to = places[start];
            if to == DONE {
                break;
            }
            let to = to as usize;
            if to == start {
                places[start] = DONE;
                break;
            }
            items.swap(start, to);
            // What came to `start` is the item that was at `to`: its place is `places[to]`.
            places[start] = places[to];
            places[to] = DONE;
        }
    }
}

/// Every entry in import order without long texts, from the process-wide cache when it holds for
/// the entries in this snapshot (else read, and kept), and whatever `also` reads in the same
/// snapshot. Call inside [`Store::read`].
fn shared_entries<T>(
    s: &Store,
    also: impl FnOnce(&Store) -> crate::error::Result<T>,
) -> crate::error::Result<(Arc<EntryList>, T)> {
    let key = (
        s.path().to_path_buf(),
        s.meta("entries_version")?.unwrap_or_default(),
        s.entry_count()?,
    );
    // A poisoned lock only means another session panicked while it held it: the cache is whole.
    let hit = || {
        ENTRY_CACHE
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|c| c.key == key)
            .map(|c| Arc::clone(&c.entries))
    };
    if let Some(entries) = hit() {
        return Ok((entries, also(s)?));
    }
    // One session reads, the others wait for its copy: 30 judges logging in at once to a fresh
    // server would otherwise each read (and hold, for a while) a copy of their own.
    let _loading = ENTRY_LOADING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(entries) = hit() {
        return Ok((entries, also(s)?));
    }
    let (entries, extra) = s.entries_and(also)?;
    let entries = Arc::new(entries);
    let mut cache = ENTRY_CACHE.lock().unwrap_or_else(|p| p.into_inner());
    // This workspace's older entries go (sessions still showing them keep their own references).
    cache.retain(|c| c.key.0 != key.0);
    cache.insert(
        0,
        EntryCache {
            key,
            entries: Arc::clone(&entries),
        },
    );
    cache.truncate(ENTRY_CACHE_WORKSPACES);
    Ok((entries, extra))
}

/// A search index of a judge's list, kept with the very entries it was built from, in order: the
/// list they are in and their places in it.
struct SharedIndex {
    list: Arc<EntryList>,
    rows: Vec<u32>,
    index: Arc<crate::search::SearchIndex>,
}

/// The last few lists searched in this process (judges with panels or assignments have lists of
/// their own; without, every judge's list is the same).
static INDEX_CACHE: Mutex<Vec<SharedIndex>> = Mutex::new(Vec::new());

/// Held while an index is built.
static INDEX_BUILDING: Mutex<()> = Mutex::new(());

/// How many lists' indexes are kept.
const INDEX_CACHE_LISTS: usize = 4;

/// The search index of the judge's list `rows` (document `i` is row `i`), shared with every
/// session of this process whose list is the same entries in the same order. The cache holds the
/// list itself, so a list it names is never freed and its address never reused.
pub fn shared_search_index(rows: &[EntryRow]) -> Arc<crate::search::SearchIndex> {
    let same = |c: &SharedIndex| {
        c.rows.len() == rows.len()
            && rows.iter().all(|r| Arc::ptr_eq(&c.list, r.entry.list()))
            && c.rows.iter().zip(rows).all(|(&i, r)| i as usize == r.entry.index())
    };
    let hit = || {
        let cache = INDEX_CACHE.lock().unwrap_or_else(|p| p.into_inner());
        cache.iter().find(|c| same(c)).map(|c| Arc::clone(&c.index))
    };
    if let Some(index) = hit() {
        return index;
    }
    // One build at a time: judges who open the search together wait for one index.
    let _building = INDEX_BUILDING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(index) = hit() {
        return index;
    }
    let docs = rows.iter().map(|r| list_doc(&r.entry)).collect();
    let index = Arc::new(crate::search::SearchIndex::new(docs));
    let mut cache = INDEX_CACHE.lock().unwrap_or_else(|p| p.into_inner());
    // Lists of entries no longer current are dropped first (no session of a current list needs
    // them); then the oldest.
    let current: Vec<Arc<EntryList>> = ENTRY_CACHE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|c| Arc::clone(&c.entries))
        .collect();
    cache.retain(|c| c.rows.is_empty() || current.iter().any(|cur| Arc::ptr_eq(cur, &c.list)));
    if cache.len() >= INDEX_CACHE_LISTS {
        cache.remove(0);
    }
    // Rows of one list (all of a judge's rows are); an empty list searches nothing.
    let list = rows
        .first()
        .map_or_else(|| Arc::new(EntryList::default()), |r| Arc::clone(r.entry.list()));
    cache.push(SharedIndex {
        list,
        rows: rows
            .iter()
            .map(|r| u32::try_from(r.entry.index()).unwrap_or(u32::MAX))
            .collect(),
        index: Arc::clone(&index),
    });
    index
}

/// The searchable fields of a listed entry, as [`crate::search::entry_doc`] has them for an
/// [`Entry`] (the `FIELD_*` order).
fn list_doc(e: &EntryRef) -> crate::search::SearchDoc {
    crate::search::SearchDoc {
        fields: vec![
            e.id().to_string(),
            e.title().to_string(),
            e.name().to_string(),
            e.organization().to_string(),
            e.submitter().to_string(),
            e.county().to_string(),
        ],
    }
}

/// A judge's sheets as their list needs them, read without a `String` a sheet: per entry with
/// sheets (by id), its id in one arena and its sheets as (the round's place in the rubric, status).
#[derive(Default)]
struct ListSheets {
    ids: String,
    /// Per entry: the end of its id in `ids` and of its sheets in `sheets` (`u32`s: at 1M
    /// entries these arrays are most of what the list is read with).
    ends: Vec<(u32, u32)>,
    /// A round the rubric no longer has is `u32::MAX`, matching none.
    sheets: Vec<(u32, SheetStatus)>,
}

/// An offset or a round's place in [`ListSheets`]; past `u32` (4 GiB of ids) it matches nothing.
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl ListSheets {
    fn read(s: &Store, judge: &str, rubric: &Rubric) -> crate::error::Result<ListSheets> {
        let mut out = ListSheets::default();
        s.for_each_judge_sheet(judge, |entry, round, status| {
            if out.ends.is_empty() || out.id(out.ends.len() - 1) != Some(entry) {
                out.ids.push_str(entry);
                out.ends.push((small(out.ids.len()), small(out.sheets.len())));
            }
            let round = rubric.rounds.iter().position(|r| r.id == round).map_or(u32::MAX, small);
            out.sheets.push((round, status));
            if let Some(last) = out.ends.last_mut() {
                last.1 = small(out.sheets.len());
            }
        })?;
        Ok(out)
    }

    /// The id of the `k`th entry with sheets.
    fn id(&self, k: usize) -> Option<&str> {
        let &(end, _) = self.ends.get(k)?;
        let start = if k == 0 { 0 } else { self.ends[k - 1].0 };
        self.ids.get(start as usize..end as usize)
    }

    /// The sheets of the `k`th entry with sheets.
    fn of(&self, k: usize) -> &[(u32, SheetStatus)] {
        let Some(&(_, end)) = self.ends.get(k) else { return &[] };
        let start = if k == 0 { 0 } else { self.ends[k - 1].1 };
        self.sheets.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// Where `id` is (or would be) among the entries with sheets.
    fn position(&self, id: &str) -> usize {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.id(mid).is_some_and(|e| e < id) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// (submitted sheets, sheets to score) over rows; conflicted and withdrawn entries are not counted.
pub fn progress_of(rows: &[EntryRow]) -> (usize, usize) {
    rows.iter()
        .filter(|r| r.conflict.is_none() && r.withdrawn.is_none())
        .fold((0, 0), |(done, total), r| {
            (done + r.submitted_rounds(), total + r.rounds.len())
        })
}

/// The judge's own values on one sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnSheet {
    pub status: SheetProgress,
    /// criterion id → value
    pub values: BTreeMap<String, Points>,
}

impl OwnSheet {
    pub fn total(&self) -> Points {
        self.values.values().copied().sum()
    }
}

/// Check a typed value against a criterion without storing anything: `Ok(None)` for an empty
/// text (which clears a draft value), `Ok(Some(points))` for an acceptable value. The text is
/// read by [`parse_score`], the rule every score import follows too: taken as typed, nothing
/// dropped.
pub fn check_value(rubric: &Rubric, criterion: &Criterion, text: &str) -> Result<Option<Points>, Refusal> {
    match parse_score(text) {
        Err(ScoreError::Empty) => Ok(None),
        Ok(value) => check_points(rubric, criterion, value).map(Some),
        Err(e) => Err(refusal_of(e)),
    }
}

/// Check a value already read against a criterion's bounds: 0 ≤ value ≤ max, on the step.
pub fn check_points(rubric: &Rubric, criterion: &Criterion, value: Points) -> Result<Points, Refusal> {
    check_score(value, criterion.max, rubric.step).map_err(refusal_of)
}

fn refusal_of(e: ScoreError) -> Refusal {
    match e {
        ScoreError::Empty => Refusal::NotANumber(String::new()),
        ScoreError::TooPrecise(t) => Refusal::TooPrecise(t),
        ScoreError::NotANumber(t) | ScoreError::TooLarge(t) => Refusal::NotANumber(t),
        ScoreError::Negative(value) => Refusal::Negative { value },
        ScoreError::OverMax { value, max } => Refusal::OverMax { value, max },
        ScoreError::OffStep { value, step } => Refusal::OffStep { value, step },
    }
}

/// What the judges' screen shows before anyone logs in ([`welcome`]).
#[derive(Debug, Clone)]
pub struct Welcome {
    pub rubric: Rubric,
    pub judges: Vec<Judge>,
    /// The workspace file, as the person named it, for messages.
    pub workspace: String,
}

/// The contest's rubric and the judges to log in as.
pub fn welcome(store: &Store) -> crate::error::Result<Welcome> {
    Ok(Welcome {
        rubric: store.rubric()?.clone(),
        judges: store.judges()?,
        workspace: store.path().display().to_string(),
    })
}

/// What the judges' screen needs once a judge is in ([`JudgeSession::start`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub judge: Judge,
    /// The workspace's data version when the list was read.
    pub version: i64,
    /// The last audit row before the list was read.
    pub head: i64,
    pub rows: Vec<EntryRow>,
}

/// The judge's whole list being read behind the first page ([`JudgeSession::load_behind`]).
#[derive(Debug)]
pub struct ListLoader {
    rx: std::sync::mpsc::Receiver<JudgeResult<Start>>,
}

/// What [`ListLoader::take`] found.
#[derive(Debug)]
pub enum Loaded {
    /// Still reading.
    Not,
    Done(JudgeResult<Start>),
    /// The reading thread ended without a list (it panicked).
    Lost,
}

impl ListLoader {
    /// The whole list if it is read, without waiting.
    pub fn take(&self) -> Loaded {
        match self.rx.try_recv() {
            Ok(result) => Loaded::Done(result),
            Err(std::sync::mpsc::TryRecvError::Empty) => Loaded::Not,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Loaded::Lost,
        }
    }
}

/// An entry opened to read and score ([`JudgeSession::open_sheets`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub entry: Entry,
    pub sheets: EntrySheets,
    /// The document the entry was imported from (`jury import entries 案例/`), shown by the reader.
    pub source: Option<String>,
}

/// The judge's own sheets of one entry, one per round in the rubric's order, their comment, and
/// per round the organiser's reason when the sheet's last change of status was a reopening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySheets {
    pub sheets: Vec<OwnSheet>,
    pub comment: String,
    pub reopened: Vec<Option<String>>,
    /// The panel's marks when the entry is under discussion and this judge may see them
    /// ([`crate::app::discussion::panel_of`]); `None` says nothing about the discussion.
    pub discussion: Option<crate::core::discussion::PanelView>,
}

/// What the periodic look at the workspace found ([`JudgeSession::poll`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll {
    /// The workspace file was deleted or replaced.
    Gone,
    /// Nothing was committed since the last look.
    Same,
    /// Only other judges scored: nothing on this judge's list changed.
    Quiet { version: i64, head: i64 },
    /// Only the judge's own sheets of these entries changed: their states per round (in the
    /// rubric's round order), to put in the rows the screen already has.
    Sheets {
        version: i64,
        head: i64,
        sheets: Vec<EntryStates>,
    },
    /// Something on the judge's list may have changed: the list read again, with the rubric
    /// (which `jury rubric apply` may have changed: the screen takes it on this refresh).
    Changed {
        version: i64,
        head: i64,
        rows: Vec<EntryRow>,
        rubric: Arc<Rubric>,
    },
}

/// One entry's sheet states of a judge, per round in the rubric's order.
pub type EntryStates = (String, Vec<SheetProgress>);

/// The stage as a judge's screen follows it ([`JudgeSession::on_stage`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnStage {
    pub stage: crate::app::stage::Stage,
    /// The contestant on stage (`None` when the stage names an entry no longer in the workspace).
    pub entry: Option<Box<Entry>>,
    /// This judge may score the contestant (on the group's panel, assigned to them).
    pub eligible: bool,
}

/// A write of the judges' screen, as data: what [`JudgeSession::apply`] carries out, on the
/// session's own connection or by the server's writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JudgeWrite {
    SaveScore {
        entry: String,
        round: String,
        criterion: String,
        value: Points,
    },
    ClearScore {
        entry: String,
        round: String,
        criterion: String,
    },
    Submit {
        entry: String,
        round: String,
    },
    SetComment {
        entry: String,
        text: String,
    },
}

/// What a [`JudgeWrite`] stored (each is committed when returned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// The value as stored.
    Score(Points),
    /// Whether there was a value to take back.
    Cleared(bool),
    Submitted,
    Comment,
}

/// How a judge's session writes: on its own connection ([`Writes::Local`], the `jury` screen on
/// this computer), or through the one writer of `jury serve` ([`Writes::Writer`]).
#[derive(Debug, Clone, Default)]
pub enum Writes {
    #[default]
    Local,
    Writer(crate::app::writer::WriterHandle),
}

/// A judge's session as the writer needs it: the judge as logged in, and the client's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgeSeat {
    judge: Judge,
    address: Option<String>,
}

impl JudgeSeat {
    pub fn judge_id(&self) -> &str {
        &self.judge.id
    }
}

/// One judge's view of the workspace.
pub struct JudgeSession<'a> {
    store: &'a Store,
    judge: Judge,
    /// How long a write waits for another process's lock before [`Refusal::Busy`].
    write_wait: std::cell::Cell<std::time::Duration>,
    /// The client's address (ip:port) over `jury serve`: named in every audit row written.
    address: Option<String>,
}

impl std::fmt::Debug for JudgeSession<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JudgeSession").field("judge", &self.judge.id).finish()
    }
}

/// The judge `id` names at login: the stored id itself, else the one judge whose id is the same
/// without regard to case ([`crate::core::entry::same_judge_id`]; `import judges` keeps them
/// apart).
fn judge_ignoring_case(store: &Store, id: &str) -> crate::error::Result<Option<Judge>> {
    if let Some(judge) = store.judge(id)? {
        return Ok(Some(judge));
    }
    let mut same = store
        .judges()?
        .into_iter()
        .filter(|j| crate::core::entry::same_judge_id(&j.id, id));
    Ok(match (same.next(), same.next()) {
        (Some(judge), None) => Some(judge),
        _ => None,
    })
}

impl<'a> JudgeSession<'a> {
    /// Open a session after checking the judge's PIN against the stored hash.
    pub fn login(store: &'a Store, judge_id: &str, pin: &str) -> JudgeResult<JudgeSession<'a>> {
        let judge = judge_ignoring_case(store, judge_id)?.ok_or_else(|| Refusal::UnknownJudge(judge_id.to_string()))?;
        // From here on the judge's id as stored.
        let judge_id = judge.id.as_str();
        // Rate-limited here, below every screen: 3 wrong PINs in 10 minutes lock out for 30 s.
        let attempt = match store.begin_login_attempt(judge_id, crate::store::now_millis())? {
            Ok(attempt) => attempt,
            Err(wait_seconds) => return Err(Refusal::TooManyAttempts(wait_seconds).into()),
        };
        if !store.verify_pin(judge_id, pin)? {
            return Err(Refusal::WrongPin.into());
        }
        store.login_attempt_succeeded(attempt)?;
        if store.judge_removed(judge_id)?.is_some() {
            return Err(Refusal::JudgeRemoved.into());
        }
        store.rubric()?;
        Ok(JudgeSession {
            store,
            judge,
            write_wait: std::cell::Cell::new(JUDGE_WAIT),
            address: None,
        })
    }

    /// Open a session WITHOUT a PIN. Only for the built-in demo (a throw-away workspace the
    /// person at the keyboard just created) and for tests; never for a real contest's workspace.
    pub fn trusted(store: &'a Store, judge_id: &str) -> JudgeResult<JudgeSession<'a>> {
        let judge = store
            .judge(judge_id)?
            .ok_or_else(|| Refusal::UnknownJudge(judge_id.to_string()))?;
        store.rubric()?;
        Ok(JudgeSession {
            store,
            judge,
            write_wait: std::cell::Cell::new(JUDGE_WAIT),
            address: None,
        })
    }

    pub fn judge(&self) -> &Judge {
        &self.judge
    }

    pub fn rubric(&self) -> JudgeResult<&'a Rubric> {
        Ok(self.store.rubric()?)
    }

    /// Changes whenever another process commits to the workspace: poll it to refresh.
    pub fn data_version(&self) -> JudgeResult<i64> {
        Ok(self.store.data_version()?)
    }

    /// The last audit row now, and what the rows after `seen` can change of this judge's list:
    /// nothing for another judge's score, submission or comment (which are most of the traffic
    /// while a panel scores); only those entries' rows for the judge's own; the whole list for
    /// anything else. Every change is audited in its own transaction.
    pub fn list_changes_since(&self, seen: i64) -> JudgeResult<(i64, ListChanges)> {
        Ok(self.store.read(|s| {
            let head = s.audit_head()?.0;
            let changes = s.list_changes_of(seen, &self.judge.id)?;
            Ok((head, changes))
        })?)
    }

    /// The judge's sheet states of these entries, per round in the rubric's order, read in one
    /// snapshot with the audit head: what [`Poll::Sheets`] carries.
    fn list_states_of(&self, entries: &[String]) -> JudgeResult<(i64, Vec<EntryStates>)> {
        let rubric = self.rubric()?;
        let judge = self.judge.id.as_str();
        Ok(self.store.read(|s| {
            let head = s.audit_head()?.0;
            let mut out = Vec::with_capacity(entries.len());
            for entry in entries {
                let sheets = s.judge_sheets_of(judge, entry)?;
                let rounds = rubric
                    .rounds
                    .iter()
                    .map(|r| SheetProgress::from(sheets.iter().find(|(round, _)| *round == r.id).map(|(_, st)| *st)))
                    .collect();
                out.push((entry.clone(), rounds));
            }
            Ok((head, out))
        })?)
    }

    /// The last audit row now: read before the list, so that a change made while it loads is
    /// seen again by [`JudgeSession::list_changes_since`].
    pub fn audit_head(&self) -> JudgeResult<i64> {
        Ok(self.store.read(|s| s.audit_head())?.0)
    }

    /// The judge's list: every entry this judge may score (without long texts; with panels or
    /// assignments only theirs, see [`crate::core::assign::Eligibility`]) with the judge's own
    /// sheet states and conflicts, loaded in bulk in one read transaction. Competition contestants come in
    /// running order (出场顺序) within each group; groups in the rubric's order.
    pub fn entries(&self) -> JudgeResult<Vec<EntryRow>> {
        let rubric = self.rubric()?;
        let judge = self.judge.id.as_str();
        // The entries are most of the read: on large workspaces they are read on two cores while
        // this connection also reads the judge's sheets and the rest, all in one snapshot.
        let (entries, (sheets, conflicts, samples, eligibility, withdrawn)) = self.store.read(|s| {
            shared_entries(s, |s| {
                let conflicts: HashMap<String, String> = s
                    .conflicts_of(judge)?
                    .into_iter()
                    .map(|c| (c.entry, c.reason))
                    .collect();
                let withdrawn: HashMap<String, crate::core::withdrawal::WithdrawalKind> =
                    s.withdrawals()?.into_iter().map(|w| (w.id, w.kind)).collect();
                Ok((
                    ListSheets::read(s, judge, rubric)?,
                    conflicts,
                    s.calibration_entries()?,
                    s.eligibility()?,
                    withdrawn,
                ))
            })
        })?;
        // With panels or assignments, the list holds only what this judge may score (assigned
        // entries in conflict stay, shown as 回避); calibration samples are for every judge.
        let restricted = !eligibility.is_open();
        // `sheets` is by entry. Entries usually come in id order too (files list them so): then
        // the entries with sheets are met in turn and a cursor walks them; otherwise each is found
        // by binary search.
        let mut cursor = 0usize;
        let mut run_of = |id: &str| -> &[(u32, SheetStatus)] {
            let k = if sheets.id(cursor).is_some_and(|e| e == id) {
                cursor
            } else {
                sheets.position(id)
            };
            if sheets.id(k).is_some_and(|e| e == id) {
                cursor = k + 1;
                sheets.of(k)
            } else {
                &[]
            }
        };
        let mut rows: Vec<EntryRow> = Vec::with_capacity(entries.len());
        rows.extend(
            (0..entries.len())
                .filter(|&i| {
                    !restricted
                        || samples.contains(entries.id(i))
                        || eligibility.allows(judge, entries.id(i), entries.group(i))
                })
                .map(|i| {
                    let id = entries.id(i);
                    let sheets = run_of(id);
                    let rounds = (0..rubric.rounds.len())
                        .map(|r| {
                            SheetProgress::from(sheets.iter().find(|(round, _)| *round as usize == r).map(|(_, s)| *s))
                        })
                        .collect();
                    let conflict = conflicts.get(id).cloned();
                    let calibration = samples.contains(id);
                    EntryRow {
                        entry: EntryRef::new(&entries, i),
                        rounds,
                        conflict,
                        calibration,
                        withdrawn: withdrawn.get(id).copied(),
                    }
                }),
        );
        // What the rows were read with is not needed any more: gone before the rows are put in
        // order (at 1M entries the judge's sheets are some 40 MB).
        drop(sheets);
        drop(conflicts);
        drop(samples);
        drop(withdrawn);
        let group_rank = |e: &EntryRef| {
            e.group()
                .and_then(|g| rubric.groups.iter().position(|x| x == g))
                .unwrap_or(rubric.groups.len())
        };
        // Calibration samples first in their group: they are scored before the real entries.
        // Withdrawn entries last, in the same order among themselves. The rows are moved into
        // their places where they are (no second list of rows beside them: at 1M entries one is
        // 72 MB).
        if rubric.kind == Kind::Competition {
            // Stable: entries without a running order keep their import order, after the others.
            // Cached keys: the group's rank is found once per row, not once per comparison.
            rows.sort_by_cached_key(|r| {
                (
                    r.withdrawn.is_some(),
                    group_rank(&r.entry),
                    !r.calibration,
                    r.entry.order().is_none(),
                    r.entry.order(),
                )
            });
        } else {
            // A stable sort on a handful of keys: counted into one pile per key, in order (each
            // row's place found in one pass), then moved there in place.
            let piles = 2 * (rubric.groups.len() + 1);
            let pile_of = |r: &EntryRow| {
                piles * usize::from(r.withdrawn.is_some()) + 2 * group_rank(&r.entry) + usize::from(!r.calibration)
            };
            let keys: Vec<u32> = rows
                .iter()
                .map(|r| u32::try_from(pile_of(r)).unwrap_or(u32::MAX))
                .collect();
            if !keys.is_sorted() {
                let places = stable_places(&keys);
                drop(keys);
                move_to_places(&mut rows, places);
            }
        }
        Ok(rows)
    }

    /// (submitted sheets, sheets to score) for the header, e.g. 12/36.
    pub fn progress(&self) -> JudgeResult<(usize, usize)> {
        Ok(progress_of(&self.entries()?))
    }

    fn conflict_reason(&self, store: &Store, entry_id: &str) -> JudgeResult<Option<String>> {
        Ok(store.conflict(&self.judge.id, entry_id)?.map(|c| c.reason))
    }

    /// The entry with its four sections, to read. Refused for a conflicted entry (回避).
    pub fn open(&self, entry_id: &str) -> JudgeResult<Entry> {
        self.store
            .read(|s| Ok((s.entry(entry_id)?, s.conflict(&self.judge.id, entry_id)?)))
            .map_err(JudgeError::from)
            .and_then(|(entry, conflict)| {
                let entry = entry.ok_or_else(|| Refusal::UnknownEntry(entry_id.to_string()))?;
                if let Some(c) = conflict {
                    return Err(Refusal::Conflict(c.reason).into());
                }
                Ok(entry)
            })
    }

    fn round_and_criterion(&self, round: &str, criterion: &str) -> JudgeResult<(&'a Round, &'a Criterion)> {
        let rubric = self.rubric()?;
        let r = rubric
            .rounds
            .iter()
            .find(|r| r.id == round)
            .ok_or_else(|| Refusal::UnknownRound(round.to_string()))?;
        let c = r
            .criteria
            .iter()
            .find(|c| c.id == criterion)
            .ok_or_else(|| Refusal::UnknownCriterion(criterion.to_string()))?;
        Ok((r, c))
    }

    fn find_round(&self, round: &str) -> JudgeResult<&'a Round> {
        Ok(self
            .rubric()?
            .rounds
            .iter()
            .find(|r| r.id == round)
            .ok_or_else(|| Refusal::UnknownRound(round.to_string()))?)
    }

    /// Wait at most `wait` for another process's write lock, then refuse with [`Refusal::Busy`]
    /// (nothing stored). Judges' own commits take milliseconds; only a long writer (an import, a
    /// stopped process) lasts a second.
    pub fn set_write_wait(&self, wait: std::time::Duration) {
        self.write_wait.set(wait);
    }

    /// This session from the client at `address` (ip:port, a session of `jury serve`): every
    /// audit row it writes names the judge and the address.
    pub fn from_address(mut self, address: Option<String>) -> JudgeSession<'a> {
        self.address = address;
        self
    }

    /// Who the audit rows of this session name: the judge, and the client's address if any.
    fn actor(&self) -> Actor {
        Actor::Judge(self.judge.id.clone()).from_address(self.address.as_deref())
    }

    /// Whether the workspace file was deleted or replaced since this session opened it.
    pub fn workspace_gone(&self) -> bool {
        self.store.workspace_gone()
    }

    /// Run `f` in one write transaction. A refusal rolls everything back and is returned as is.
    /// Another process holding the write lock longer than the session's write wait gives
    /// [`Refusal::Busy`] (nothing stored).
    fn write_checked<T>(&self, f: impl FnOnce(&Tx<'_>) -> JudgeResult<T>) -> JudgeResult<T> {
        let mut refusal = None;
        let result = self.store.write_within(self.write_wait.get(), |s| match f(s) {
            Ok(v) => Ok(v),
            Err(JudgeError::Refused(r)) => {
                let e = Error::Judging(r.clone());
                refusal = Some(r);
                Err(e)
            }
            Err(JudgeError::Store(e)) => Err(e),
        });
        match (refusal, result) {
            (Some(r), _) => Err(r.into()),
            (None, Err(Error::Busy { .. })) => Err(Refusal::Busy.into()),
            (None, Err(Error::WorkspaceGone { .. })) => Err(Refusal::WorkspaceGone.into()),
            (None, result) => Ok(result?),
        }
    }

    /// Checks shared by every write, run inside the write transaction.
    fn check_writable(&self, s: &Store, entry: &str, round: Option<&str>) -> JudgeResult<()> {
        // The id and the group only: the texts are not needed to check (read at every save).
        let Some((found_id, found_group)) = s.entry_id_and_group(entry)? else {
            return Err(Refusal::UnknownEntry(entry.to_string()).into());
        };
        if !s.in_current_phase(&found_id)? {
            let phase = s.phases()?.pop().map(|p| p.name).unwrap_or_default();
            return Err(Refusal::NotInPhase(phase).into());
        }
        if let Some((kind, _)) = s.withdrawal(&found_id)? {
            return Err(Refusal::Withdrawn(kind).into());
        }
        if let Some(reason) = self.conflict_reason(s, entry)? {
            return Err(Refusal::Conflict(reason).into());
        }
        if s.judge_removed(&self.judge.id)?.is_some() {
            return Err(Refusal::JudgeRemoved.into());
        }
        if !s.eligibility()?.allows(&self.judge.id, entry, found_group.as_deref()) {
            return Err(Refusal::NotAssigned.into());
        }
        if let Some(round) = round
            && let Some(lock) = s.lock_covering(found_group.as_deref(), round)?
        {
            return Err(Refusal::Locked(lock.reason).into());
        }
        if let Some(round) = round
            && s.sheet(&self.judge.id, entry, round)?
                .is_some_and(|sh| sh.status == SheetStatus::Submitted)
        {
            return Err(Refusal::Submitted.into());
        }
        Ok(())
    }

    /// Store a draft value typed by the judge (an empty text clears it). The value, the sheet and
    /// an audit row are written in one transaction; this returns only after the commit. Nothing is
    /// stored when refused.
    pub fn set_score(&self, entry: &str, round: &str, criterion: &str, text: &str) -> JudgeResult<Option<Points>> {
        let (_, c) = self.round_and_criterion(round, criterion)?;
        match check_value(self.rubric()?, c, text)? {
            Some(value) => self.save_score(entry, round, criterion, value).map(Some),
            None => self.write_score(entry, round, criterion, None),
        }
    }

    /// Store a draft value the screen has read already (the judges' screen parses what is typed
    /// with [`check_value`] and sends the value). Checked again here against the criterion's
    /// maximum and the rubric's step, inside the transaction that stores it with its audit row.
    pub fn save_score(&self, entry: &str, round: &str, criterion: &str, value: Points) -> JudgeResult<Points> {
        let (_, c) = self.round_and_criterion(round, criterion)?;
        let value = check_points(self.rubric()?, c, value)?;
        Ok(self.write_score(entry, round, criterion, Some(value))?.unwrap_or(value))
    }

    fn write_score(
        &self,
        entry: &str,
        round: &str,
        criterion: &str,
        value: Option<Points>,
    ) -> JudgeResult<Option<Points>> {
        self.write_checked(|s| self.write_score_in(s, entry, round, criterion, value))
    }

    /// [`JudgeSession::save_score`] inside the caller's write transaction, so that several
    /// judges' values can be committed together (the server's group commit). A refusal comes
    /// before anything is written: the caller may go on with the others.
    pub fn save_score_in(
        &self,
        tx: &Tx<'_>,
        entry: &str,
        round: &str,
        criterion: &str,
        value: Points,
    ) -> JudgeResult<Points> {
        let (_, c) = self.round_and_criterion(round, criterion)?;
        let value = check_points(self.rubric()?, c, value)?;
        Ok(self
            .write_score_in(tx, entry, round, criterion, Some(value))?
            .unwrap_or(value))
    }

    fn write_score_in(
        &self,
        s: &Tx<'_>,
        entry: &str,
        round: &str,
        criterion: &str,
        value: Option<Points>,
    ) -> JudgeResult<Option<Points>> {
        let (r, c) = self.round_and_criterion(round, criterion)?;
        let judge = self.judge.id.as_str();
        let actor = self.actor();
        self.check_writable(s, entry, Some(&r.id))?;
        let old = s.score(judge, entry, &r.id, &c.id)?;
        s.put_draft_score(judge, entry, &r.id, &c.id, value)?;
        s.audit(
            &actor,
            &AuditEvent::Score {
                entry: entry.to_string(),
                judge: judge.to_string(),
                round: r.id.clone(),
                criterion: c.id.clone(),
                old,
                new: value,
            },
        )?;
        Ok(value)
    }

    /// Submit the judge's sheet for one round: refused while any criterion is empty. Locks the
    /// sheet for this judge (only the organiser can reopen it).
    pub fn submit(&self, entry: &str, round: &str) -> JudgeResult<()> {
        self.write_checked(|s| self.submit_in(s, entry, round))
    }

    /// [`JudgeSession::submit`] inside the caller's write transaction (several judges' sheets
    /// committed together). A refusal comes before anything is written.
    pub fn submit_in(&self, s: &Tx<'_>, entry: &str, round: &str) -> JudgeResult<()> {
        let r = self.find_round(round)?;
        let judge = self.judge.id.as_str();
        let actor = self.actor();
        self.check_writable(s, entry, Some(&r.id))?;
        let values = s.sheet(judge, entry, &r.id)?.map(|sh| sh.values).unwrap_or_default();
        let missing: Vec<String> = r
            .criteria
            .iter()
            .filter(|c| !values.contains_key(&c.id))
            .map(|c| c.name.clone())
            .collect();
        if !missing.is_empty() {
            return Err(Refusal::EmptyCriteria(missing).into());
        }
        let total: Points = values.values().copied().sum();
        s.set_sheet_status(judge, entry, &r.id, SheetStatus::Submitted)?;
        s.audit(
            &actor,
            &AuditEvent::Submit {
                entry: entry.to_string(),
                judge: judge.to_string(),
                round: r.id.clone(),
                total,
                reason: String::new(),
            },
        )?;
        Ok(())
    }

    /// The judge's own values on one sheet (nothing of any other judge).
    pub fn sheet(&self, entry: &str, round: &str) -> JudgeResult<OwnSheet> {
        let r = self.find_round(round)?;
        let sheet = self.store.sheet(&self.judge.id, entry, &r.id)?;
        Ok(match sheet {
            Some(sh) => OwnSheet {
                status: SheetProgress::from(Some(sh.status)),
                values: sh.values,
            },
            None => OwnSheet {
                status: SheetProgress::NotStarted,
                values: BTreeMap::new(),
            },
        })
    }

    /// The judge's own comment on an entry (empty when none).
    pub fn comment(&self, entry: &str) -> JudgeResult<String> {
        Ok(self.store.comment(&self.judge.id, entry)?.unwrap_or_default())
    }

    /// `true` while the judge may change their comment on an entry: until they have submitted
    /// every round of it. Reopening any of those rounds makes it editable again.
    pub fn comment_editable(&self, entry: &str) -> JudgeResult<bool> {
        Ok(!self.store.read(|s| self.every_round_submitted(s, entry))?)
    }

    fn every_round_submitted(&self, s: &Store, entry: &str) -> crate::error::Result<bool> {
        for round in &s.rubric()?.rounds {
            if !s
                .sheet(&self.judge.id, entry, &round.id)?
                .is_some_and(|sh| sh.status == SheetStatus::Submitted)
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Set (or clear, with an empty text) the judge's comment on an entry, with an audit row.
    /// Refused once the judge has submitted every round of the entry
    /// ([`JudgeSession::comment_editable`]).
    pub fn set_comment(&self, entry: &str, text: &str) -> JudgeResult<()> {
        self.write_checked(|s| self.set_comment_in(s, entry, text))
    }

    /// [`JudgeSession::set_comment`] inside the caller's write transaction (the server's group
    /// commit). A refusal comes before anything is written.
    pub fn set_comment_in(&self, s: &Tx<'_>, entry: &str, text: &str) -> JudgeResult<()> {
        let judge = self.judge.id.as_str();
        let actor = self.actor();
        let text = text.trim();
        self.check_writable(s, entry, None)?;
        if self.every_round_submitted(s, entry)? {
            return Err(Refusal::CommentReadOnly.into());
        }
        let old = s.comment(judge, entry)?;
        s.put_comment(judge, entry, text)?;
        s.audit(
            &actor,
            &AuditEvent::Comment {
                entry: entry.to_string(),
                judge: judge.to_string(),
                old,
                new: (!text.is_empty()).then(|| text.to_string()),
            },
        )?;
        Ok(())
    }

    /// Take back a draft value: the criterion is no longer scored. `Ok(false)` (and nothing
    /// written) when it holds no value; refused like [`JudgeSession::set_score`] on a submitted
    /// or locked sheet. The removal and its audit row (`score`, old value, no new value) are
    /// written in one transaction.
    pub fn clear_score(&self, entry: &str, round: &str, criterion: &str) -> JudgeResult<bool> {
        self.write_checked(|s| self.clear_score_in(s, entry, round, criterion))
    }

    /// [`JudgeSession::clear_score`] inside the caller's write transaction (the server's group
    /// commit). A refusal comes before anything is written.
    pub fn clear_score_in(&self, s: &Tx<'_>, entry: &str, round: &str, criterion: &str) -> JudgeResult<bool> {
        let (r, c) = self.round_and_criterion(round, criterion)?;
        let judge = self.judge.id.as_str();
        let actor = self.actor();
        self.check_writable(s, entry, Some(&r.id))?;
        let Some(old) = s.score(judge, entry, &r.id, &c.id)? else {
            return Ok(false);
        };
        s.put_draft_score(judge, entry, &r.id, &c.id, None)?;
        s.audit(
            &actor,
            &AuditEvent::Score {
                entry: entry.to_string(),
                judge: judge.to_string(),
                round: r.id.clone(),
                criterion: c.id.clone(),
                old: Some(old),
                new: None,
            },
        )?;
        Ok(true)
    }

    /// Carry out `write` through `writes`: on this session's own connection (a local screen), or
    /// by the server's one writer, which answers only once the commit is durable. A refusal is
    /// this write's alone; nothing of it is stored.
    pub fn apply(&self, writes: &Writes, write: JudgeWrite) -> JudgeResult<Written> {
        match writes {
            Writes::Local => self.write_checked(|s| self.apply_in(s, &write)),
            Writes::Writer(writer) => writer.judge(self.seat(), write),
        }
    }

    /// `write` inside the caller's write transaction (the writer's savepoint).
    pub fn apply_in(&self, s: &Tx<'_>, write: &JudgeWrite) -> JudgeResult<Written> {
        Ok(match write {
            JudgeWrite::SaveScore {
                entry,
                round,
                criterion,
                value,
            } => Written::Score(self.save_score_in(s, entry, round, criterion, *value)?),
            JudgeWrite::ClearScore {
                entry,
                round,
                criterion,
            } => Written::Cleared(self.clear_score_in(s, entry, round, criterion)?),
            JudgeWrite::Submit { entry, round } => {
                self.submit_in(s, entry, round)?;
                Written::Submitted
            }
            JudgeWrite::SetComment { entry, text } => {
                self.set_comment_in(s, entry, text)?;
                Written::Comment
            }
        })
    }

    /// Who this session is, to be carried out elsewhere (by the server's writer): the judge as
    /// logged in and the client's address. Made only from a session that is open.
    pub fn seat(&self) -> JudgeSeat {
        JudgeSeat {
            judge: self.judge.clone(),
            address: self.address.clone(),
        }
    }

    /// The session `seat` stands for, on `store` (the writer's connection). In app only: a seat
    /// comes from a session that was opened by [`JudgeSession::login`] or
    /// [`JudgeSession::trusted`].
    pub(crate) fn seated(store: &'a Store, seat: &JudgeSeat) -> JudgeSession<'a> {
        JudgeSession {
            store,
            judge: seat.judge.clone(),
            write_wait: std::cell::Cell::new(JUDGE_WAIT),
            address: seat.address.clone(),
        }
    }

    /// Why the organiser reopened this judge's sheet, when its last change of status was a
    /// reopening (read from the audit trail); `None` when it was never reopened or has been
    /// submitted again since.
    pub fn reopen_reason(&self, entry: &str, round: &str) -> JudgeResult<Option<String>> {
        let r = self.find_round(round)?;
        let log = self.store.audit_log(Some(entry), Some(&self.judge.id))?;
        Ok(log
            .iter()
            .rev()
            .filter_map(|row| row.event().ok())
            .find_map(|event| match event {
                AuditEvent::Submit { round, .. } if round == r.id => Some(None),
                AuditEvent::Reopen { round, reason, .. } if round == r.id => Some(Some(reason)),
                _ => None,
            })
            .flatten())
    }

    /// This judge's sheets the organiser reopened after audit row `seen`: (entry, round id,
    /// reason), oldest first.
    pub fn reopened_since(&self, seen: i64) -> JudgeResult<Vec<(String, String, String)>> {
        let log = self.store.audit_log_after(None, Some(&self.judge.id), seen)?;
        Ok(log
            .iter()
            .filter_map(|row| match row.event() {
                Ok(AuditEvent::Reopen {
                    entry, round, reason, ..
                }) => Some((entry, round, reason)),
                _ => None,
            })
            .collect())
    }

    /// What the judges' screen starts with after the login: the workspace's version, the last
    /// audit row (read before the list, see [`JudgeSession::audit_head`]) and the judge's list.
    pub fn start(&self) -> JudgeResult<Start> {
        let version = self.data_version()?;
        let head = self.audit_head()?;
        let rows = self.entries()?;
        Ok(Start {
            judge: self.judge.clone(),
            version,
            head,
            rows,
        })
    }

    /// The judges' screen's first page (issue 18: the first frame costs about a page, not the
    /// whole list): what [`JudgeSession::start`] gives, with only the first `rows` rows of the
    /// judge's list, the same rows in the same order as the first `rows` of
    /// [`JudgeSession::entries`], read without the rest. `None` where the first page cannot be
    /// told without reading the whole list (competitions, in running order; panels or
    /// assignments; fewer than `rows` entries in the rubric's groups): then read it whole.
    /// The rest comes from [`JudgeSession::load_behind`].
    /// `None` also for lists of fewer than about `from` entries ([`FIRST_PAGE_FROM`]).
    pub fn first_page(&self, rows: usize, from: i64) -> JudgeResult<Option<Start>> {
        let rubric = self.rubric()?;
        if rubric.kind == Kind::Competition || rows == 0 {
            return Ok(None);
        }
        let judge = self.judge.id.as_str();
        let version = self.data_version()?;
        let head = self.audit_head()?;
        let page = self.store.read(|s| {
            if s.last_seq()? < from || !s.eligibility()?.is_open() {
                return Ok(None);
            }
            let list = Arc::new(s.first_entries(&rubric.groups, rows)?);
            if list.len() < rows {
                return Ok(None);
            }
            // The conflicts of the page's rows only, as `conflicts_of` has them (declared first,
            // then by organisation): not the key of every organisation in the contest.
            let declared = s.declared_conflicts_of(judge)?;
            let own = crate::core::text::organisation_key(&self.judge.organization);
            let samples = s.calibration_entries()?;
            let ids: Vec<&str> = (0..list.len()).map(|i| list.id(i)).collect();
            let sheets = s.judge_sheets_among(judge, &ids)?;
            let mut out = Vec::with_capacity(list.len());
            for i in 0..list.len() {
                let id = list.id(i);
                let sheets = sheets.get(id).map_or(&[][..], Vec::as_slice);
                let rounds = rubric
                    .rounds
                    .iter()
                    .map(|r| SheetProgress::from(sheets.iter().find(|(round, _)| *round == r.id).map(|(_, st)| *st)))
                    .collect();
                let conflict = declared.get(id).cloned().or_else(|| {
                    (!own.is_empty()
                        && crate::core::text::organisation_key(
                            list.field(i, crate::core::entry_list::Field::Organization),
                        ) == own)
                        .then(|| crate::core::entry::SAME_ORGANISATION.to_string())
                });
                out.push(EntryRow {
                    entry: EntryRef::new(&list, i),
                    rounds,
                    conflict,
                    calibration: samples.contains(id),
                    withdrawn: None,
                });
            }
            Ok(Some(out))
        })?;
        Ok(page.map(|rows| Start {
            judge: self.judge.clone(),
            version,
            head,
            rows,
        }))
    }

    /// [`JudgeSession::start`] on a thread of its own, on a connection of its own: the whole list
    /// read while the screen shows its first page. `None` when no thread could be started (then
    /// read the list here). The [`Start`]'s `version` is of that other connection: not to be
    /// compared with this session's [`JudgeSession::data_version`].
    pub fn load_behind(&self) -> Option<ListLoader> {
        let path = self.store.path().to_path_buf();
        let judge = self.judge.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("jury-list".to_string())
            .spawn(move || {
                let result = Store::open(&path).map_err(JudgeError::from).and_then(|store| {
                    JudgeSession {
                        store: &store,
                        judge,
                        write_wait: std::cell::Cell::new(JUDGE_WAIT),
                        address: None,
                    }
                    .start()
                });
                // The screen may be gone: nobody to tell.
                let _ = tx.send(result);
            })
            .ok()?;
        Some(ListLoader { rx })
    }

    /// The entry opened to read and score: its texts, the judge's sheets (one per round, in the
    /// rubric's order), their comment and, per round, why the organiser reopened it (if so).
    /// Refused for a conflicted entry (回避).
    pub fn open_sheets(&self, entry_id: &str) -> JudgeResult<Opened> {
        let entry = self.open(entry_id)?;
        let sheets = self.sheets_of(entry_id)?;
        let source = self
            .store
            .read(|s| s.entry_source(entry_id))
            .map_err(JudgeError::from)?;
        Ok(Opened { entry, sheets, source })
    }

    /// The judge's sheets of one entry read again (another process changed the workspace).
    pub fn sheets_of(&self, entry_id: &str) -> JudgeResult<EntrySheets> {
        let rubric = self.rubric()?;
        let sheets = rubric
            .rounds
            .iter()
            .map(|r| self.sheet(entry_id, &r.id))
            .collect::<JudgeResult<Vec<_>>>()?;
        let comment = self.comment(entry_id)?;
        let reopened = rubric
            .rounds
            .iter()
            .map(|r| self.reopen_reason(entry_id, &r.id))
            .collect::<JudgeResult<Vec<_>>>()?;
        let discussion = crate::app::discussion::panel_of(self.store, &self.judge.id, entry_id)?;
        Ok(EntrySheets {
            sheets,
            comment,
            reopened,
            discussion,
        })
    }

    /// The periodic look at the workspace: gone, unchanged since `known` (the data version last
    /// seen), changed only by other judges' scoring after audit row `seen` (nothing on this
    /// judge's list moved), or changed (the list read again).
    pub fn poll(&self, known: Option<i64>, seen: i64) -> JudgeResult<Poll> {
        if self.workspace_gone() {
            return Ok(Poll::Gone);
        }
        // A version that cannot be read is no change: the next look tries again.
        let Ok(version) = self.data_version() else {
            return Ok(Poll::Same);
        };
        if known == Some(version) {
            return Ok(Poll::Same);
        }
        let (head, changes) = self.list_changes_since(seen)?;
        match changes {
            ListChanges::None => return Ok(Poll::Quiet { version, head }),
            // The judge's own scores (this screen's, or the same judge's in another terminal):
            // those rows alone are read again, not the list (100k rows at 100k cases).
            ListChanges::Sheets(entries) => {
                let (head, sheets) = self.list_states_of(&entries)?;
                return Ok(Poll::Sheets { version, head, sheets });
            }
            ListChanges::All => {}
        }
        let head = self.audit_head()?;
        let rows = self.entries()?;
        let rubric = Arc::new(self.rubric()?.clone());
        Ok(Poll::Changed {
            version,
            head,
            rows,
            rubric,
        })
    }

    /// Who is on stage (competitions), with what the judge's screen needs to follow them: the
    /// contestant (who may not be on this judge's list) and whether this judge may score them
    /// (on the group's panel, assigned). `None` before the organiser sets a stage.
    pub fn on_stage(&self) -> JudgeResult<Option<OnStage>> {
        let Some(stage) = crate::app::stage::current(self.store)? else {
            return Ok(None);
        };
        let entry = self.store.entry(&stage.entry)?;
        // The panel is an organiser's convenience here: if it cannot be read, the judge follows.
        let eligible = entry.as_ref().is_none_or(|e| {
            self.store
                .eligibility()
                .map(|el| el.allows(&self.judge.id, &e.id, e.group.as_deref()))
                .unwrap_or(true)
        });
        Ok(Some(OnStage {
            stage,
            entry: entry.map(Box::new),
            eligible,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};

    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    fn refusal<T: std::fmt::Debug>(r: JudgeResult<T>) -> Refusal {
        match r {
            Err(JudgeError::Refused(r)) => r,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn audit_rows(store: &Store) -> usize {
        store.audit_log(None, Some(DEMO_JUDGE)).unwrap().len()
    }

    #[test]
    fn wrong_pin_and_unknown_judge_are_refused() {
        let (_dir, store) = demo();
        assert_eq!(
            refusal(JudgeSession::login(&store, DEMO_JUDGE, "0000")),
            Refusal::WrongPin
        );
        assert!(matches!(
            refusal(JudgeSession::login(&store, "PW99", "3649")),
            Refusal::UnknownJudge(_)
        ));
        let s = JudgeSession::login(&store, DEMO_JUDGE, "3649").unwrap();
        assert_eq!(s.judge().id, DEMO_JUDGE);
    }

    #[test]
    fn wrong_pins_are_rate_limited_in_the_library() {
        let (_dir, store) = demo();
        for _ in 0..3 {
            assert_eq!(
                refusal(JudgeSession::login(&store, DEMO_JUDGE, "0000")),
                Refusal::WrongPin
            );
        }
        // Even the right PIN waits now: a guesser cannot tell which attempt would have been right.
        match refusal(JudgeSession::login(&store, DEMO_JUDGE, "3649")) {
            Refusal::TooManyAttempts(seconds) => assert!((1..=30).contains(&seconds), "{seconds}"),
            other => panic!("{other:?}"),
        }
        // Another judge logs in as usual.
        assert!(JudgeSession::login(&store, "PW01", "5175").is_ok());
    }

    #[test]
    fn list_is_in_running_order_with_no_progress_yet() {
        let (_dir, store) = demo();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        let rows = s.entries().unwrap();
        assert_eq!(rows.len(), 36);
        assert_eq!(rows[0].entry.group(), Some("教师组"));
        let orders: Vec<i64> = rows.iter().take(12).filter_map(|r| r.entry.order()).collect();
        assert_eq!(orders, (1..=12).collect::<Vec<_>>());
        assert!(rows.iter().all(|r| r.status() == RowStatus::NotStarted));
        assert_eq!(s.progress().unwrap(), (0, 36 * 3));
        // Another judge's imported scores show as submitted for them only.
        let pw01 = JudgeSession::trusted(&store, "PW01").unwrap();
        assert_eq!(pw01.progress().unwrap(), (108, 108));
    }

    #[test]
    fn a_judges_list_holds_only_their_assigned_entries() {
        let (_dir, store) = demo();
        crate::app::organiser::assign_panel(&store, &Actor::Organiser, "家长组", &["PW01".into()]).unwrap();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        let groups_of = |rows: &[EntryRow]| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for r in rows {
                *counts
                    .entry(r.entry.group().unwrap_or_default().to_string())
                    .or_default() += 1;
            }
            counts
        };
        let rows = s.entries().unwrap();
        assert_eq!(
            groups_of(&rows),
            BTreeMap::from([("教师组".to_string(), 12), ("社会工作者组".to_string(), 12)]),
            "not on the 家长组 panel: its contestants are not listed"
        );
        assert_eq!(s.progress().unwrap(), (0, 24 * 3));
        // The panel's judge still sees the whole group.
        let pw01 = JudgeSession::trusted(&store, "PW01").unwrap();
        assert_eq!(pw01.entries().unwrap().len(), 36);

        // An entry's own assignment decides before the group's panel; other entries of a group
        // without a panel stay open to everyone.
        store
            .write(|w| {
                w.set_assignment(DEMO_JUDGE, "JS001", true)?;
                w.set_assignment("PW01", "JS002", true)?;
                w.set_assignment(DEMO_JUDGE, "JS013", true)
            })
            .unwrap();
        let ids: Vec<String> = s
            .entries()
            .unwrap()
            .into_iter()
            .map(|r| r.entry.id().to_string())
            .collect();
        assert!(ids.contains(&"JS001".to_string()), "{ids:?}");
        assert!(
            !ids.contains(&"JS002".to_string()),
            "assigned to another judge only: {ids:?}"
        );
        assert!(
            ids.contains(&"JS003".to_string()),
            "no assignment, no panel: open: {ids:?}"
        );
        assert!(
            ids.contains(&"JS013".to_string()),
            "assigned despite the panel: {ids:?}"
        );
        assert!(!ids.contains(&"JS014".to_string()), "{ids:?}");
        assert_eq!(ids.len(), 11 + 12 + 1);
        assert_eq!(s.progress().unwrap(), (0, 24 * 3));
    }

    #[test]
    fn a_calibration_sample_stays_listed_and_an_assigned_conflict_stays_as_such() {
        let (_dir, store) = demo();
        store
            .write(|w| {
                w.set_assignment("PW01", "JS002", true)?;
                w.set_assignment("PW01", "JS004", true)?;
                w.set_assignment(DEMO_JUDGE, "JS003", true)?;
                w.put_conflict(DEMO_JUDGE, "JS003", "亲属关系")
            })
            .unwrap();
        crate::app::calibration::add(&store, &Actor::Organiser, &["JS004".into()]).unwrap();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        let rows = s.entries().unwrap();
        assert!(rows.iter().all(|r| r.entry.id() != "JS002"), "assigned to PW01 only");
        let js003 = rows.iter().find(|r| r.entry.id() == "JS003").unwrap();
        assert_eq!(js003.status(), RowStatus::Conflict);
        let sample = rows.iter().find(|r| r.entry.id() == "JS004").unwrap();
        assert!(sample.calibration, "a sample is scored by every judge");
        assert_eq!(rows.len(), 35);
    }

    #[test]
    fn over_max_and_off_step_are_refused_and_nothing_is_stored() {
        let (_dir, store) = demo();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        let before = audit_rows(&store);
        let r = refusal(s.set_score("JS001", "lesson", "content", "30.5"));
        assert_eq!(
            r,
            Refusal::OverMax {
                value: Points::parse("30.5").unwrap(),
                max: Points::from_int(30)
            }
        );
        assert!(matches!(
            refusal(s.set_score("JS001", "lesson", "content", "18.25")),
            Refusal::OffStep { .. }
        ));
        assert!(matches!(
            refusal(s.set_score("JS001", "lesson", "content", "abc")),
            Refusal::NotANumber(_)
        ));
        assert!(matches!(
            refusal(s.set_score("JS001", "lesson", "content", "-1")),
            Refusal::Negative { .. }
        ));
        assert!(matches!(
            refusal(s.set_score("JS001", "lesson", "nope", "1")),
            Refusal::UnknownCriterion(_)
        ));
        assert!(matches!(
            refusal(s.set_score("JS001", "x", "content", "1")),
            Refusal::UnknownRound(_)
        ));
        assert!(matches!(
            refusal(s.set_score("JS999", "lesson", "content", "1")),
            Refusal::UnknownEntry(_)
        ));
        assert_eq!(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(), None);
        assert_eq!(store.sheet(DEMO_JUDGE, "JS001", "lesson").unwrap(), None);
        assert_eq!(audit_rows(&store), before);
    }

    #[test]
    fn accepted_values_are_drafts_with_audit_and_can_be_cleared() {
        let (_dir, store) = demo();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        assert_eq!(
            s.set_score("JS001", "lesson", "content", "２５．５").unwrap(),
            Some(Points::parse("25.5").unwrap())
        );
        assert_eq!(
            store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(),
            Some(Points::parse("25.5").unwrap())
        );
        let sheet = s.sheet("JS001", "lesson").unwrap();
        assert_eq!(sheet.status, SheetProgress::Draft);
        assert_eq!(sheet.total(), Points::parse("25.5").unwrap());
        let log = store.audit_log(Some("JS001"), Some(DEMO_JUDGE)).unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.action, "score");
        assert_eq!(last.actor, "judge:PW07");
        assert_eq!(last.new_value.as_deref(), Some("25.5"));
        assert_eq!(last.old_value, None);
        // Only an empty text clears: a space is no part of a number (src/core/scoring.rs).
        assert_eq!(
            refusal(s.set_score("JS001", "lesson", "content", " ")),
            Refusal::NotANumber(" ".into())
        );
        assert_eq!(s.set_score("JS001", "lesson", "content", "").unwrap(), None);
        assert_eq!(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(), None);
        let rows = s.entries().unwrap();
        assert_eq!(rows[0].status(), RowStatus::Draft);
    }

    #[test]
    fn a_session_from_an_address_names_it_in_every_row_and_the_chain_still_verifies() {
        let (_dir, store) = demo();
        let (before, _) = store.audit_head().unwrap();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE)
            .unwrap()
            .from_address(Some("127.0.0.1:50022".into()));
        for (c, v) in [
            ("content", "25"),
            ("method", "24.5"),
            ("expression", "18"),
            ("effect", "17"),
        ] {
            s.set_score("JS001", "lesson", c, v).unwrap();
        }
        assert!(s.clear_score("JS001", "lesson", "effect").unwrap());
        s.set_score("JS001", "lesson", "effect", "16").unwrap();
        s.submit("JS001", "lesson").unwrap();
        s.set_comment("JS002", "条理清楚").unwrap();
        let rows: Vec<_> = store
            .audit_log(None, None)
            .unwrap()
            .into_iter()
            .filter(|r| r.seq > before)
            .collect();
        let seen: Vec<(&str, &str)> = rows.iter().map(|r| (r.action.as_str(), r.actor.as_str())).collect();
        let at = "judge:PW07@127.0.0.1:50022";
        assert_eq!(
            seen,
            vec![
                ("score", at),
                ("score", at),
                ("score", at),
                ("score", at),
                ("score", at),
                ("score", at),
                ("submit", at),
                ("comment", at),
            ]
        );
        assert!(matches!(
            store.audit_verify().unwrap(),
            crate::store::ChainCheck::Intact { .. }
        ));
        // A session on this computer names no address (the stored column as before).
        let local = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        local.set_score("JS002", "lesson", "content", "20").unwrap();
        let last = store.audit_log(None, None).unwrap().pop().unwrap();
        assert_eq!((last.action.as_str(), last.actor.as_str()), ("score", "judge:PW07"));
        assert!(matches!(
            store.audit_verify().unwrap(),
            crate::store::ChainCheck::Intact { .. }
        ));
    }

    #[test]
    fn submit_needs_every_criterion_and_then_locks() {
        let (_dir, store) = demo();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        s.set_score("JS001", "lesson", "content", "25").unwrap();
        s.set_score("JS001", "lesson", "method", "24.5").unwrap();
        s.set_score("JS001", "lesson", "expression", "18").unwrap();
        match refusal(s.submit("JS001", "lesson")) {
            Refusal::EmptyCriteria(names) => assert_eq!(names, vec!["现场效果".to_string()]),
            other => panic!("{other:?}"),
        }
        assert_eq!(s.sheet("JS001", "lesson").unwrap().status, SheetProgress::Draft);
        s.set_score("JS001", "lesson", "effect", "17").unwrap();
        s.submit("JS001", "lesson").unwrap();
        assert_eq!(s.sheet("JS001", "lesson").unwrap().status, SheetProgress::Submitted);
        assert_eq!(
            refusal(s.set_score("JS001", "lesson", "effect", "16")),
            Refusal::Submitted
        );
        assert_eq!(refusal(s.submit("JS001", "lesson")), Refusal::Submitted);
        assert_eq!(
            store.score(DEMO_JUDGE, "JS001", "lesson", "effect").unwrap(),
            Some(Points::from_int(17))
        );
        assert_eq!(s.progress().unwrap(), (1, 108));
        let totals = store.sheet_totals().unwrap();
        let mine = totals
            .iter()
            .find(|t| &*t.judge == DEMO_JUDGE && t.entry == "JS001")
            .unwrap();
        assert_eq!(mine.total, Points::parse("84.5").unwrap());
    }

    #[test]
    fn a_conflicted_entry_cannot_be_opened_scored_or_commented() {
        let (_dir, store) = demo();
        store
            .write(|s| s.put_conflict(DEMO_JUDGE, "JS002", "亲属关系"))
            .unwrap();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        assert_eq!(refusal(s.open("JS002")), Refusal::Conflict("亲属关系".into()));
        assert_eq!(
            refusal(s.set_score("JS002", "lesson", "content", "20")),
            Refusal::Conflict("亲属关系".into())
        );
        assert!(matches!(refusal(s.set_comment("JS002", "x")), Refusal::Conflict(_)));
        assert_eq!(store.score(DEMO_JUDGE, "JS002", "lesson", "content").unwrap(), None);
        let rows = s.entries().unwrap();
        let row = rows.iter().find(|r| r.entry.id() == "JS002").unwrap();
        assert_eq!(row.status(), RowStatus::Conflict);
        assert_eq!(s.progress().unwrap(), (0, 35 * 3));
        assert_eq!(s.open("JS001").unwrap().id, "JS001");
    }

    #[test]
    fn a_withdrawn_entry_is_listed_last_as_withdrawn_and_cannot_be_scored() {
        use crate::core::withdrawal::WithdrawalKind;
        let (_dir, store) = demo();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        let before = s.progress().unwrap();
        crate::app::corrections::withdraw_entry(
            &store,
            &crate::store::Actor::Organiser,
            "JS002",
            WithdrawalKind::Disqualified,
            "材料不实",
        )
        .unwrap();
        assert_eq!(
            refusal(s.set_score("JS002", "lesson", "content", "20")),
            Refusal::Withdrawn(WithdrawalKind::Disqualified)
        );
        assert_eq!(
            refusal(s.submit("JS002", "lesson")),
            Refusal::Withdrawn(WithdrawalKind::Disqualified)
        );
        assert_eq!(store.score(DEMO_JUDGE, "JS002", "lesson", "content").unwrap(), None);
        // Still readable; listed last, marked, nothing to score, out of the progress count.
        assert_eq!(s.open("JS002").unwrap().id, "JS002");
        let rows = s.entries().unwrap();
        let last = rows.last().unwrap();
        assert_eq!(
            (last.entry.id(), last.withdrawn),
            ("JS002", Some(WithdrawalKind::Disqualified))
        );
        assert!(!last.needs_scoring());
        assert!(rows[..rows.len() - 1].iter().all(|r| r.withdrawn.is_none()));
        assert_eq!(s.progress().unwrap(), (before.0, before.1 - 3));
        // Restored: scorable again, back in its place.
        crate::app::corrections::restore_entry(&store, &crate::store::Actor::Organiser, "JS002", "申诉成立").unwrap();
        assert_eq!(
            s.set_score("JS002", "lesson", "content", "20").unwrap(),
            Some(Points::parse("20").unwrap())
        );
        assert_ne!(s.entries().unwrap().last().unwrap().entry.id(), "JS002");
    }

    #[test]
    fn locked_rounds_and_unassigned_entries_are_refused_in_the_library() {
        let (_dir, store) = demo();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        crate::app::organiser::lock(
            &store,
            &crate::store::Actor::Organiser,
            Some("教师组"),
            Some("lesson"),
            "已公布",
        )
        .unwrap();
        assert_eq!(
            refusal(s.set_score("JS001", "lesson", "content", "20")),
            Refusal::Locked("已公布".into())
        );
        assert_eq!(
            s.set_score("JS001", "analysis", "diagnosis", "30").unwrap(),
            Some(Points::from_int(30))
        );
        let panel = vec!["PW01".to_string(), "PW02".to_string()];
        crate::app::organiser::assign_panel(&store, &crate::store::Actor::Organiser, "家长组", &panel).unwrap();
        assert_eq!(
            refusal(s.set_score("JS013", "lesson", "content", "20")),
            Refusal::NotAssigned
        );
        assert_eq!(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(), None);
        assert_eq!(store.score(DEMO_JUDGE, "JS013", "lesson", "content").unwrap(), None);
    }

    #[test]
    fn comments_are_the_judges_own_and_audited() {
        let (_dir, store) = demo();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        assert_eq!(s.comment("JS001").unwrap(), "");
        s.set_comment("JS001", "  表达清楚  ").unwrap();
        assert_eq!(s.comment("JS001").unwrap(), "表达清楚");
        let other = JudgeSession::trusted(&store, "PW01").unwrap();
        assert_eq!(other.comment("JS001").unwrap(), "");
        let log = store.audit_log(Some("JS001"), Some(DEMO_JUDGE)).unwrap();
        assert_eq!(log.last().unwrap().action, "comment");
    }

    #[test]
    fn a_comment_is_read_only_once_every_round_is_submitted_until_one_is_reopened() {
        let (_dir, store) = demo();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        s.set_comment("JS001", "表达清楚").unwrap();
        let rounds: Vec<String> = s.rubric().unwrap().rounds.iter().map(|r| r.id.clone()).collect();
        assert!(rounds.len() > 1);
        // Some rounds submitted: still editable.
        for c in &s.rubric().unwrap().rounds[0].criteria {
            s.set_score("JS001", &rounds[0], &c.id, "0").unwrap();
        }
        s.submit("JS001", &rounds[0]).unwrap();
        assert!(s.comment_editable("JS001").unwrap());
        s.set_comment("JS001", "表达清楚，节奏好").unwrap();
        // Every round submitted: read-only, nothing changes and nothing is audited.
        submit_every_round_but(&s, "JS001", &rounds[0]);
        assert!(!s.comment_editable("JS001").unwrap());
        let audited = audit_rows(&store);
        assert_eq!(refusal(s.set_comment("JS001", "改了")), Refusal::CommentReadOnly);
        assert_eq!(refusal(s.set_comment("JS001", "")), Refusal::CommentReadOnly);
        assert_eq!(s.comment("JS001").unwrap(), "表达清楚，节奏好");
        assert_eq!(audit_rows(&store), audited);
        // Another entry of the same judge is not affected.
        assert!(s.comment_editable("JS002").unwrap());
        // Reopening any one round makes it editable again; the change is audited.
        let last = rounds.last().unwrap();
        crate::app::organiser::reopen(&store, &Actor::Organiser, DEMO_JUDGE, "JS001", last, "评委误填").unwrap();
        assert!(s.comment_editable("JS001").unwrap());
        s.set_comment("JS001", "改了").unwrap();
        assert_eq!(s.comment("JS001").unwrap(), "改了");
        let log = store.audit_log(Some("JS001"), Some(DEMO_JUDGE)).unwrap();
        let row = log.last().unwrap();
        assert_eq!(row.action, "comment");
        assert_eq!(row.old_value.as_deref(), Some("表达清楚，节奏好"));
        assert_eq!(row.new_value.as_deref(), Some("改了"));
        // Submitted again: read-only again.
        s.submit("JS001", last).unwrap();
        assert!(!s.comment_editable("JS001").unwrap());
    }

    /// Submit every round of `entry` except `done` (already submitted).
    fn submit_every_round_but(s: &JudgeSession, entry: &str, done: &str) {
        for r in &s.rubric().unwrap().rounds {
            if r.id == done {
                continue;
            }
            for c in &r.criteria {
                s.set_score(entry, &r.id, &c.id, "0").unwrap();
            }
            s.submit(entry, &r.id).unwrap();
        }
    }

    #[test]
    fn a_value_sent_by_a_screen_is_checked_again_before_it_is_stored() {
        let (_dir, store) = demo();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        let round = &s.rubric().unwrap().rounds[0];
        let c = &round.criteria[0];
        let over = c.max + Points::parse("1").unwrap();
        let before = audit_rows(&store);
        assert!(matches!(
            refusal(s.save_score("JS001", &round.id, &c.id, over)),
            Refusal::OverMax { .. }
        ));
        assert_eq!(store.score(DEMO_JUDGE, "JS001", &round.id, &c.id).unwrap(), None);
        assert_eq!(audit_rows(&store), before, "nothing written");
        let value = Points::parse("20").unwrap();
        assert_eq!(s.save_score("JS001", &round.id, &c.id, value).unwrap(), value);
        assert_eq!(store.score(DEMO_JUDGE, "JS001", &round.id, &c.id).unwrap(), Some(value));
        assert_eq!(audit_rows(&store), before + 1);
    }

    #[test]
    fn the_poll_tells_unchanged_from_other_judges_from_a_change_of_the_list() {
        let (_dir, store) = demo();
        let other = Store::open(store.path()).unwrap();
        let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        let start = s.start().unwrap();
        assert_eq!(s.poll(Some(start.version), start.head).unwrap(), Poll::Same);
        // Another judge scores: the version moves, this judge's list does not.
        let pw08 = JudgeSession::trusted(&other, "PW08").unwrap();
        let round = &pw08.rubric().unwrap().rounds[0];
        let c = &round.criteria[0];
        pw08.save_score("JS001", &round.id, &c.id, Points::parse("20").unwrap())
            .unwrap();
        let Poll::Quiet { version, head } = s.poll(Some(start.version), start.head).unwrap() else {
            panic!("another judge's score is no change of this list");
        };
        assert!(version != start.version && head > start.head);
        // The same judge in a second terminal: this judge's list changes.
        let twin = JudgeSession::trusted(&other, DEMO_JUDGE).unwrap();
        twin.save_score("JS001", &round.id, &c.id, Points::parse("20").unwrap())
            .unwrap();
        // Only that entry's row is read again, not the list.
        let (version, head) = match s.poll(Some(version), head).unwrap() {
            Poll::Sheets { sheets, version, head } => {
                let rounds = pw08.rubric().unwrap().rounds.len();
                let mut expected = vec![SheetProgress::NotStarted; rounds];
                expected[0] = SheetProgress::Draft;
                assert_eq!(sheets, vec![("JS001".to_string(), expected)]);
                (version, head)
            }
            other => panic!("{other:?}"),
        };
        // Anything else (here a conflict declared by the organiser) reads the list again.
        crate::app::workspace::add_conflict(&other, &Actor::Cli, DEMO_JUDGE, "JS002", "亲属").unwrap();
        match s.poll(Some(version), head).unwrap() {
            Poll::Changed { rows, .. } => {
                let js002 = rows.iter().find(|r| r.entry.id() == "JS002").unwrap();
                assert_eq!(js002.conflict.as_deref(), Some("亲属"));
            }
            other => panic!("{other:?}"),
        }
    }

    /// The cases fixture with the fixture judges, at `dir`.
    /// Issue 18: a row's rounds live in the row (no allocation a row) up to 14 rounds, and on the
    /// heap beyond; either way they read and compare as the states in order.
    #[test]
    fn a_rows_rounds_are_kept_in_the_row() {
        use SheetProgress::*;
        let few: Rounds = vec![Draft, Submitted, NotStarted].into();
        assert!(matches!(few, Rounds::Inline(3, _)));
        assert_eq!(few, vec![Draft, Submitted, NotStarted]);
        assert_eq!(few.len(), 3);
        let many: Vec<SheetProgress> = (0..20).map(|i| if i % 2 == 0 { Draft } else { Submitted }).collect();
        let held: Rounds = many.clone().into();
        assert!(matches!(held, Rounds::Heap(_)));
        assert_eq!(held, many);
        let fourteen: Rounds = vec![Submitted; 14].into();
        assert!(matches!(fourteen, Rounds::Inline(14, _)));
        let mut changed = few.clone();
        changed[1] = Draft;
        assert_eq!(changed, vec![Draft, Draft, NotStarted]);
        assert_ne!(changed, few);
        // The row itself: the list's reference, the rounds, the conflict, the sample mark.
        assert!(
            std::mem::size_of::<EntryRow>() <= 72,
            "{}",
            std::mem::size_of::<EntryRow>()
        );
    }

    /// Issue 18: the list is column arrays (one arena for the text, a few bytes an entry beside
    /// it), shared by every row, and gives back each entry as the store has it.
    #[test]
    fn a_judges_list_holds_its_entries_in_column_arrays() {
        let dir = tempfile::tempdir().unwrap();
        let path = cases_at(dir.path());
        let store = Store::open(&path).unwrap();
        let session = JudgeSession::trusted(&store, "PW01").unwrap();
        let rubric = store.rubric().unwrap().clone();
        let (round, c) = (&rubric.rounds[0], &rubric.rounds[0].criteria[0]);
        session
            .save_score("AL20250003", &round.id, &c.id, Points::parse("5").unwrap())
            .unwrap();
        let rows = session.entries().unwrap();
        let stored = store.entries().unwrap();
        assert_eq!(rows.len(), stored.len());
        let list = Arc::clone(rows[0].entry.list());
        assert!(
            rows.iter().all(|r| Arc::ptr_eq(r.entry.list(), &list)),
            "one list for every row"
        );
        for row in &rows {
            let entry = stored.iter().find(|e| e.id == row.entry.id()).unwrap();
            assert_eq!(row.entry.to_entry(), *entry);
            assert_eq!(row.entry.label(), entry.label());
        }
        let text: usize = stored
            .iter()
            .map(|e| {
                [
                    &e.id,
                    &e.title,
                    &e.name,
                    &e.organization,
                    &e.county,
                    &e.submitter,
                    &e.submitter_type,
                    &e.perspective,
                ]
                .iter()
                .map(|f| f.len())
                .sum::<usize>()
                    + if e.extra.is_empty() {
                        0
                    } else {
                        serde_json::to_string(&e.extra).unwrap().len()
                    }
            })
            .sum();
        let beside = list.heap_bytes() - text;
        assert!(
            beside <= 64 * rows.len(),
            "{beside} bytes beside {text} bytes of text for {} entries",
            rows.len()
        );
        // The judge's own sheets are read with the list.
        let row = rows.iter().find(|r| r.entry.id() == "AL20250003").unwrap();
        assert_eq!(row.rounds[0], SheetProgress::Draft);
        assert!(
            rows.iter()
                .filter(|r| r.entry.id() != "AL20250003")
                .all(|r| r.rounds[0] == SheetProgress::NotStarted)
        );
    }

    fn cases_at(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("cases.jury");
        let store = Store::create(&path).unwrap();
        let (file, source) = crate::core::rubric::template_source("cases").unwrap();
        store.init(file, source, None).unwrap();
        let fixtures = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures"));
        let read = |name: &str| crate::import::read_table(&fixtures.join(name), None).unwrap();
        crate::app::import::import_entries(&store, &read("cases.csv"), false).unwrap();
        crate::app::import::import_judges(&store, &read("judges.csv")).unwrap();
        path
    }

    #[test]
    fn sessions_share_the_entries_and_see_an_updated_entry() {
        let dir = tempfile::tempdir().unwrap();
        let path = cases_at(dir.path());
        // Two judges on connections of their own, as `jury serve` opens them.
        let (one, two) = (Store::open(&path).unwrap(), Store::open(&path).unwrap());
        let a = JudgeSession::trusted(&one, "PW01").unwrap().start().unwrap();
        let b = JudgeSession::trusted(&two, "PW02").unwrap().start().unwrap();
        assert_eq!(a.rows.len(), 160);
        assert!(
            a.rows
                .iter()
                .zip(&b.rows)
                .all(|(x, y)| EntryRef::same(&x.entry, &y.entry))
        );
        // One search index for both lists.
        let index = shared_search_index(&a.rows);
        assert!(Arc::ptr_eq(&index, &shared_search_index(&b.rows)));
        assert_eq!(index.len(), 160);
        // Scores do not read the entries again.
        let rubric = one.rubric().unwrap().clone();
        let (round, c) = (&rubric.rounds[0], &rubric.rounds[0].criteria[0]);
        JudgeSession::trusted(&two, "PW02")
            .unwrap()
            .save_score("AL20250002", &round.id, &c.id, Points::parse("5").unwrap())
            .unwrap();
        let again = JudgeSession::trusted(&two, "PW02").unwrap().entries().unwrap();
        let row = |rows: &[EntryRow], id: &str| rows.iter().find(|r| r.entry.id() == id).unwrap().clone();
        assert!(EntryRef::same(
            &row(&again, "AL20250002").entry,
            &row(&a.rows, "AL20250002").entry
        ));
        assert_eq!(row(&again, "AL20250002").rounds[0], SheetProgress::Draft);
        // `import entries --update` changes a title: a session started after it and a poll of a
        // running one both show it.
        let csv =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/cases.csv")).unwrap();
        let mut lines = csv.lines();
        let header = lines.next().unwrap();
        let first = lines
            .next()
            .unwrap()
            .replacen("二十一天好习惯养成记", "二十八天好习惯养成记", 1);
        let file = dir.path().join("update.csv");
        std::fs::write(&file, format!("{header}\n{first}\n")).unwrap();
        let done =
            crate::app::import::import_entries_file(&Store::open(&path).unwrap(), &Actor::Cli, &file, None, true)
                .unwrap();
        assert_eq!(done.updated, 1);
        let three = Store::open(&path).unwrap();
        let c = JudgeSession::trusted(&three, "PW03").unwrap().start().unwrap();
        let title = |rows: &[EntryRow], id: &str| row(rows, id).entry.title().to_string();
        assert!(title(&c.rows, "AL20250001").starts_with("二十八天好习惯养成记"));
        let polled = match JudgeSession::trusted(&one, "PW01")
            .unwrap()
            .poll(Some(a.version), a.head)
            .unwrap()
        {
            Poll::Changed { rows, .. } => rows,
            other => panic!("{other:?}"),
        };
        assert!(title(&polled, "AL20250001").starts_with("二十八天好习惯养成记"));
        assert!(title(&a.rows, "AL20250001").starts_with("二十一天好习惯养成记"));
        assert!(EntryRef::same(
            &row(&polled, "AL20250001").entry,
            &row(&c.rows, "AL20250001").entry
        ));
        assert_eq!(title(&polled, "AL20250002"), title(&a.rows, "AL20250002"));
        // The changed list gets an index of its own, which finds the new title.
        let changed = shared_search_index(&polled);
        assert!(!Arc::ptr_eq(&changed, &index));
        assert!(Arc::ptr_eq(&changed, &shared_search_index(&c.rows)));
        let at = polled.iter().position(|r| r.entry.id() == "AL20250001").unwrap();
        assert!(changed.search("二十八天").iter().any(|h| h.doc == at));
        assert!(!index.search("二十八天").iter().any(|h| h.doc == at));
    }

    #[test]
    fn several_judges_commit_in_one_transaction_and_a_refusal_leaves_the_others_alone() {
        let (_dir, store) = demo();
        let rubric = store.rubric().unwrap().clone();
        let round = &rubric.rounds[0];
        let first = &round.criteria[0];
        // An entry the judge may score and has not started: both criteria below are empty.
        let open_entry = |s: &JudgeSession| {
            s.entries().unwrap().into_iter().find_map(|row| {
                let untouched = row.rounds.iter().all(|p| *p == SheetProgress::NotStarted);
                (row.needs_scoring() && !row.calibration && untouched).then(|| row.entry.id().to_string())
            })
        };
        let a = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
        let entry_a = open_entry(&a).unwrap();
        let (b, entry_b) = store
            .judges()
            .unwrap()
            .into_iter()
            .filter(|j| j.id != DEMO_JUDGE)
            .find_map(|j| {
                let b = JudgeSession::trusted(&store, &j.id).unwrap();
                open_entry(&b).map(|e| (b, e))
            })
            .unwrap();
        let other = b.judge().id.clone();
        let value = crate::core::scoring::parse_score("10").unwrap();
        let too_much = Points::from_int(1000);
        let head_before = store.audit_head().unwrap().0;
        let outcomes = store
            .write(|tx| {
                let one = a.save_score_in(tx, &entry_a, &round.id, &first.id, value);
                let refused = b.save_score_in(tx, &entry_b, &round.id, &first.id, too_much);
                let two = b.save_score_in(tx, &entry_b, &round.id, &first.id, value);
                Ok((one.is_ok(), refused.is_err(), two.is_ok()))
            })
            .unwrap();
        assert_eq!(outcomes, (true, true, true), "each judge's outcome on its own");
        assert_eq!(
            store.score(DEMO_JUDGE, &entry_a, &round.id, &first.id).unwrap(),
            Some(value)
        );
        assert_eq!(
            store.score(&other, &entry_b, &round.id, &first.id).unwrap(),
            Some(value)
        );
        assert_eq!(
            store.audit_head().unwrap().0,
            head_before + 2,
            "one audit row per stored value"
        );

        // A refused submit inside a shared transaction writes nothing; the other judge's value
        // in the same transaction is kept.
        let second = &round.criteria[1];
        store
            .write(|tx| {
                assert!(matches!(
                    a.submit_in(tx, &entry_a, &round.id),
                    Err(JudgeError::Refused(Refusal::EmptyCriteria(_)))
                ));
                b.save_score_in(tx, &entry_b, &round.id, &second.id, value).unwrap();
                Ok(())
            })
            .unwrap();
        assert_eq!(
            store.score(&other, &entry_b, &round.id, &second.id).unwrap(),
            Some(value)
        );
        assert_eq!(
            store.sheet(DEMO_JUDGE, &entry_a, &round.id).unwrap().map(|s| s.status),
            Some(SheetStatus::Draft)
        );
    }

    #[test]
    fn rows_put_in_their_places_in_place_are_the_rows_sorted_stably_by_key() {
        // Keys of a judges' list: group piles, calibration, withdrawn; some runs already in order.
        let keys: Vec<u32> = (0..5_000u32)
            .map(|i| match i % 11 {
                0 => 9,
                1 | 2 => 0,
                k => (i * 7 + k) % 8,
            })
            .collect();
        let mut items: Vec<(u32, usize)> = keys.iter().copied().zip(0..).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|(k, _)| *k);
        move_to_places(&mut items, stable_places(&keys));
        assert_eq!(items, expected);
        // Already in order: nothing moves; one pile; none at all.
        let mut same: Vec<u32> = vec![0, 0, 1, 3, 3, 7];
        move_to_places(&mut same, stable_places(&[0, 0, 1, 3, 3, 7]));
        assert_eq!(same, vec![0, 0, 1, 3, 3, 7]);
        let mut one = vec!['a', 'b', 'c'];
        move_to_places(&mut one, stable_places(&[4, 4, 4]));
        assert_eq!(one, vec!['a', 'b', 'c']);
        let mut none: Vec<u8> = Vec::new();
        move_to_places(&mut none, stable_places(&[]));
        assert!(none.is_empty());
        let mut reversed = vec!["c", "b", "a"];
        move_to_places(&mut reversed, stable_places(&[2, 1, 0]));
        assert_eq!(reversed, vec!["a", "b", "c"]);
    }

    #[test]
    fn a_judges_list_reads_only_that_judges_conflicts_and_orders_rows_as_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = cases_at(dir.path());
        let store = Store::open(&path).unwrap();
        let stored = store.entries().unwrap();
        let judges = store.judges().unwrap();
        let everyone = store.read(|s| s.conflicts()).unwrap();
        for judge in &judges {
            let mine: Vec<_> = everyone.iter().filter(|c| c.judge == judge.id).cloned().collect();
            assert_eq!(store.read(|s| s.conflicts_of(&judge.id)).unwrap(), mine, "{}", judge.id);
        }
        assert!(
            everyone.iter().any(|c| c.automatic),
            "the fixture has a judge of an entry's organisation"
        );
        // The order of the list: groups in the rubric's order, import order within a group.
        let rubric = store.rubric().unwrap().clone();
        let session = JudgeSession::trusted(&store, &judges[0].id).unwrap();
        let rows = session.entries().unwrap();
        let rank = |g: Option<&str>| {
            g.and_then(|g| rubric.groups.iter().position(|x| x == g))
                .unwrap_or(rubric.groups.len())
        };
        let mut expected: Vec<&Entry> = stored.iter().collect();
        expected.sort_by_key(|e| rank(e.group.as_deref()));
        assert_eq!(
            rows.iter().map(|r| r.entry.id().to_string()).collect::<Vec<_>>(),
            expected.iter().map(|e| e.id.clone()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_first_page_is_the_first_rows_of_the_whole_list_read_without_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = cases_at(dir.path());
        let store = Store::open(&path).unwrap();
        let judges = store.judges().unwrap();
        let rubric = store.rubric().unwrap().clone();
        let stored = store.entries().unwrap();
        let in_group = |g: usize| -> Vec<String> {
            stored
                .iter()
                .filter(|e| e.group.as_deref() == Some(rubric.groups[g].as_str()))
                .map(|e| e.id.clone())
                .collect()
        };
        let (first, second) = (in_group(0), in_group(1));
        assert!(
            first.len() > 6 && second.len() > 6,
            "the fixture has groups of some size"
        );
        // Samples late in the first and second groups (listed first in their group), entries of
        // the first group withdrawn (listed last), a sheet submitted and a conflict.
        let samples = vec![first[first.len() - 1].clone(), second[3].clone()];
        crate::app::calibration::add(&store, &Actor::Organiser, &samples).unwrap();
        for id in [&first[0], &first[2]] {
            crate::app::corrections::withdraw_entry(
                &store,
                &Actor::Organiser,
                id,
                crate::core::withdrawal::WithdrawalKind::Withdrawn,
                "退出",
            )
            .unwrap();
        }
        // A judge with a conflict by organisation on the first page (the page works those out
        // for its own rows, issue 18).
        let same_org = |rows: &[EntryRow]| {
            rows.iter()
                .any(|r| r.conflict.as_deref() == Some(crate::core::entry::SAME_ORGANISATION))
        };
        let judge = &judges
            .iter()
            .map(|j| j.id.clone())
            .find(|j| same_org(&JudgeSession::trusted(&store, j).unwrap().entries().unwrap()[..60]))
            .expect("a judge of the fixture with a conflict by organisation among the first rows");
        let session = JudgeSession::trusted(&store, judge).unwrap();
        let round = &rubric.rounds[0];
        for c in &round.criteria {
            session.set_score(&first[1], &round.id, &c.id, "1").unwrap();
        }
        session.submit(&first[1], &round.id).unwrap();
        let whole = session.entries().unwrap();
        assert!(whole.iter().any(|r| r.conflict.is_some()), "the fixture has conflicts");
        assert!(same_org(&whole[..60]), "a conflict by organisation on the page");
        let shown = |rows: &[EntryRow]| -> Vec<(String, Option<String>, bool, Vec<SheetProgress>)> {
            rows.iter()
                .map(|r| {
                    (
                        r.entry.id().to_string(),
                        r.conflict.clone(),
                        r.calibration,
                        r.rounds.iter().copied().collect(),
                    )
                })
                .collect()
        };
        // Pages that end in the first group, at its end, and in later groups.
        for n in [1, 2, 5, first.len() - 2, first.len() + 3, 60] {
            let page = session.first_page(n, 0).unwrap().expect("a contest's first page");
            assert_eq!(page.rows.len(), n);
            assert_eq!(shown(&page.rows), shown(&whole[..n]), "a page of {n}");
            // The same entries with every field the list shows (`EntryRef`'s equality).
            assert_eq!(page.rows[..], whole[..n], "a page of {n}");
            assert_eq!(page.judge.id, *judge);
        }
        assert!(
            session.first_page(1, 0).unwrap().unwrap().rows[0].calibration,
            "the sample first"
        );
        // More rows than the list has before its withdrawn entries: read whole instead.
        assert!(session.first_page(stored.len(), 0).unwrap().is_none());
        assert!(session.first_page(0, 0).unwrap().is_none());
        // The rest, read behind: the whole list, as `entries` reads it.
        let loader = session.load_behind().unwrap();
        let start = loop {
            match loader.take() {
                Loaded::Not => std::thread::sleep(std::time::Duration::from_millis(2)),
                Loaded::Done(start) => break start.unwrap(),
                Loaded::Lost => panic!("the loader ended without a list"),
            }
        };
        assert_eq!(shown(&start.rows), shown(&whole));
        assert!(matches!(loader.take(), Loaded::Lost));
        // A small list is read whole (the fixture has 160 entries).
        assert!(session.first_page(5, FIRST_PAGE_FROM).unwrap().is_none());
        // Panels: the first page cannot be told without the whole list.
        crate::app::organiser::assign_panel(
            &store,
            &Actor::Organiser,
            &rubric.groups[0],
            std::slice::from_ref(judge),
        )
        .unwrap();
        assert!(session.first_page(5, 0).unwrap().is_none());
    }
}

/// What one judge's session costs in memory on a large workspace: run by hand with
/// `cargo test --lib app::judging::memory -- --ignored --nocapture` (numbers in
/// docs/performance.md, section 5b).
#[cfg(all(test, target_os = "linux"))]
mod memory {
    use super::*;
    use crate::app::demo::create_demo_workspace;

    fn rss_kib() -> i64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    #[test]
    #[ignore = "a measurement: makes a 100k-entry workspace"]
    fn sessions_on_a_100k_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        {
            let store = Store::open(&path).unwrap();
            // In chunks, so that the generator's garbage (which the allocator keeps) is small
            // beside what the sessions take.
            let chunk = |from: usize| -> Vec<Entry> {
                (from..from + 1_000)
                    .map(|i| Entry {
                        id: format!("C{i:06}"),
                        title: format!("家校共育案例第{i}号：从一次争吵开始的亲子沟通"),
                        name: format!("张{i}"),
                        organization: format!("某市第{}实验小学", i % 500),
                        county: format!("某{}区", i % 20),
                        submitter: format!("李老师{}", i % 1000),
                        submitter_type: "教师".into(),
                        ..Default::default()
                    })
                    .collect()
            };
            store
                .write(|s| (0..100).try_for_each(|c| s.put_entries(&chunk(c * 1_000))))
                .unwrap();
        }
        let judges = ["PW01", "PW02", "PW03", "PW04", "PW05"];
        let base = rss_kib();
        let mut stores = Vec::new();
        let mut lists = Vec::new();
        let mut marks = Vec::new();
        for judge in judges {
            let store = Store::open(&path).unwrap();
            // As `jury serve` opens a session's connection (src/serve/screens.rs).
            store.smaller_cache(256).unwrap();
            let start = JudgeSession::trusted(&store, judge).unwrap().start().unwrap();
            let after_list = rss_kib();
            let index = shared_search_index(&start.rows);
            let after_index = rss_kib();
            marks.push((after_list, after_index));
            lists.push((start, index));
            stores.push(store);
        }
        let mut last = base;
        for (i, (list, index)) in marks.iter().enumerate() {
            eprintln!(
                "session {}: list +{} MiB, search index +{} MiB, RSS {} MiB",
                i + 1,
                (list - last) / 1024,
                (index - list) / 1024,
                index / 1024
            );
            last = *index;
        }
        eprintln!(
            "before the sessions {} MiB; 1 session +{} MiB; 5 sessions +{} MiB",
            base / 1024,
            (marks[0].1 - base) / 1024,
            (marks[4].1 - base) / 1024
        );
        assert_eq!(lists.len(), 5);
    }
}
