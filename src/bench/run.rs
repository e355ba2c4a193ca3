//! The measurements behind `jury bench run`. Whole-process figures time `jury` itself (this very
//! executable) beside fzf and the sqlite3 shell on the same files; in-process figures time the
//! library calls a keystroke or a frame makes. Every figure is a median of several runs.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::app::import::import_judges;
use crate::app::judging::JudgeSession;
use crate::error::{Error, Result};
use crate::import::table::{SourceKind, Table, TableRow};
use crate::search::{IncrementalSearch, SearchIndex, entry_doc};
use crate::store::Store;
use crate::tui::{App, Lang, Msg, Options};

use super::generator::{self, CRITERIA, ROUND, judge_id, judge_pin};

/// One line of the results table.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Figure {
    pub n: usize,
    pub what: String,
    /// Ours, in milliseconds (or MB for memory).
    pub ours: f64,
    /// What we compare with, same unit, when there is one.
    pub anchor: Option<f64>,
    pub anchor_name: String,
    pub unit: &'static str,
    pub target: String,
}

impl Figure {
    fn new(n: usize, what: impl Into<String>, ours: f64, unit: &'static str, target: impl Into<String>) -> Figure {
        Figure {
            n,
            what: what.into(),
            ours,
            anchor: None,
            anchor_name: String::new(),
            unit,
            target: target.into(),
        }
    }

    fn against(mut self, name: &str, anchor: f64) -> Figure {
        self.anchor = Some(anchor);
        self.anchor_name = name.to_string();
        self
    }

    /// Anchor ÷ ours: above 1 means we are faster.
    pub fn speedup(&self) -> Option<f64> {
        self.anchor.filter(|_| self.ours > 0.0).map(|a| a / self.ours)
    }

    pub fn markdown_row(&self) -> String {
        let anchor = match self.anchor {
            Some(a) => format!("{} {a:.1}", self.anchor_name),
            None => "-".into(),
        };
        let ratio = self.speedup().map_or("-".into(), |r| format!("{r:.2}x"));
        format!(
            "| {} | {} | {:.2} {} | {anchor} | {ratio} | {} |",
            self.n, self.what, self.ours, self.unit, self.target
        )
    }
}

pub fn median(mut samples: Vec<f64>) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    }
}

/// The value below which `p` (0..=1) of the samples lie (nearest rank).
pub fn percentile(mut samples: Vec<f64>, p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    samples.sort_by(f64::total_cmp);
    let rank = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
    samples[rank - 1]
}

/// The value of a test terminal's result: drawing into memory cannot fail.
fn infallible<T>(result: std::result::Result<T, std::convert::Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// What `jury bench run` measures.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub sizes: Vec<usize>,
    pub dir: PathBuf,
    pub seed: u64,
    /// Runs of each whole-process figure.
    pub runs: usize,
    /// Which parts: search, find, import, tally, startup, load, frame.
    pub parts: Vec<String>,
    /// Judges scoring beside the measured one.
    pub load_judges: usize,
    /// Pause between two scores of a loading judge (0: flat out).
    pub load_pace_ms: u64,
}

impl RunOptions {
    fn wants(&self, part: &str) -> bool {
        self.parts.iter().any(|p| p == part || p == "all")
    }
}

fn this_exe() -> Result<PathBuf> {
    Ok(std::env::current_exe()?)
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Wall time of a whole process, in ms; its output goes nowhere. Fails when the process does.
fn time_process(cmd: &mut Command) -> Result<f64> {
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let started = Instant::now();
    let out = cmd.output()?;
    let elapsed = ms(started.elapsed());
    if !out.status.success() {
        return Err(Error::refused(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(elapsed)
}

/// Medians of `ours` and of `anchor` (when there is one), run in turn, one of each per round:
/// on a shared, noisy machine both sides then see the same load, so their ratio means something.
fn medians_interleaved(
    runs: usize,
    mut ours: impl FnMut() -> Result<f64>,
    mut anchor: Option<&mut dyn FnMut() -> Result<f64>>,
) -> Result<(f64, Option<f64>)> {
    let (mut a, mut b) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs.max(1) {
        a.push(ours()?);
        if let Some(anchor) = anchor.as_mut() {
            b.push(anchor()?);
        }
    }
    Ok((median(a), (!b.is_empty()).then(|| median(b))))
}

/// Make sure `dir/N` holds the generated contest of N cases.
pub fn ensure_generated(dir: &Path, n: usize, seed: u64, log: &mut dyn Write) -> Result<PathBuf> {
    let here = dir.join(format!("n{n}"));
    if !here.join("workspace.jury").exists() || !here.join("titles.txt").exists() {
        writeln!(log, "generating {n} cases in {} ...", here.display())?;
        let mut progress = |m: &str| {
            let _ = writeln!(std::io::stderr(), "  {m}");
        };
        generator::generate(&here, n, seed, true, &mut progress)?;
    }
    Ok(here)
}

/// Run every wanted measurement for every size; figures are printed as they come.
pub fn run(opts: &RunOptions, log: &mut dyn Write) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    for &n in &opts.sizes {
        let here = ensure_generated(&opts.dir, n, opts.seed, log)?;
        let ws = here.join("workspace.jury");
        let mut add = |f: Figure, log: &mut dyn Write| -> Result<()> {
            writeln!(log, "{}", f.markdown_row())?;
            figures.push(f);
            Ok(())
        };
        if opts.wants("search") {
            for f in search_keystrokes(&ws, n)? {
                add(f, log)?;
            }
        }
        if opts.wants("find") {
            for f in find_vs_fzf(&here, &ws, n, opts.runs)? {
                add(f, log)?;
            }
        }
        if opts.wants("import") {
            for f in import_vs_sqlite(&here, n, opts.runs)? {
                add(f, log)?;
            }
        }
        if opts.wants("tally") {
            for f in tally_vs_sqlite(&ws, n, opts.runs)? {
                add(f, log)?;
            }
        }
        if opts.wants("startup") {
            for f in startup(&ws, n, opts.runs)? {
                add(f, log)?;
            }
        }
        if opts.wants("frame") {
            for f in frames(&ws, n)? {
                add(f, log)?;
            }
        }
        if opts.wants("load") {
            for f in scoring_under_load(&here, &ws, n, opts.load_judges, opts.load_pace_ms)? {
                add(f, log)?;
            }
        }
    }
    Ok(figures)
}

// ---- 1. search ----

/// The queries typed one character at a time: Chinese, pinyin initials, Latin (an id).
pub const QUERIES: &[(&str, &str)] = &[
    ("Chinese", "亲子沟通"),
    ("pinyin initials", "qzgt"),
    ("Latin id", "al00012"),
];

/// Rows a 60-line screen shows: the hits that need highlights.
const VISIBLE_ROWS: usize = 60;

fn prefixes(query: &str) -> Vec<String> {
    let chars: Vec<char> = query.chars().collect();
    (1..=chars.len()).map(|k| chars[..k].iter().collect()).collect()
}

fn search_keystrokes(ws: &Path, n: usize) -> Result<Vec<Figure>> {
    let store = Store::open(ws)?;
    let entries = store.entries()?;
    let started = Instant::now();
    let index = SearchIndex::new(entries.iter().map(entry_doc).collect());
    let build = ms(started.elapsed());
    drop(entries);
    let mut figures = vec![Figure::new(n, "search: build the index", build, "ms", "")];
    let repeats = if n >= 1_000_000 { 3 } else { 7 };
    let mut engine = IncrementalSearch::new(index);
    for (kind, query) in QUERIES {
        let keys = prefixes(query);
        let mut fresh = Vec::new();
        let mut narrowing = Vec::new();
        let mut hits = 0;
        for _ in 0..repeats {
            for key in &keys {
                let t = Instant::now();
                hits = engine.index().search(key).len();
                fresh.push(ms(t.elapsed()));
            }
            engine.update("");
            for (i, key) in keys.iter().enumerate() {
                let t = Instant::now();
                engine.update(key);
                if i > 0 {
                    narrowing.push(ms(t.elapsed()));
                }
            }
            engine.update("");
        }
        let target = if n >= 1_000_000 { "< 100 ms" } else { "< 16 ms at 100k" };
        figures.push(Figure::new(
            n,
            format!("search: keystroke, fresh, {kind} \"{query}\" ({hits} hits at the end)"),
            median(fresh.clone()),
            "ms",
            target,
        ));
        figures.push(Figure::new(
            n,
            format!("search: keystroke, fresh, {kind}, slowest prefix"),
            fresh.iter().copied().fold(0.0, f64::max),
            "ms",
            target,
        ));
        figures.push(Figure::new(
            n,
            format!("search: keystroke, narrowing, {kind}"),
            median(narrowing),
            "ms",
            "far less than fresh",
        ));
        // The lazy path: hits without highlights, then highlights for one screen of rows.
        let (mut lazy_fresh, mut lazy_narrowing) = (Vec::new(), Vec::new());
        for _ in 0..repeats {
            for key in &keys {
                let t = Instant::now();
                let hits = engine.index().search_lazy(key);
                for hit in hits.iter().take(VISIBLE_ROWS) {
                    std::hint::black_box(engine.index().highlights_for(hit.doc, key));
                }
                lazy_fresh.push(ms(t.elapsed()));
            }
            engine.update_lazy("");
            for (i, key) in keys.iter().enumerate() {
                let t = Instant::now();
                let docs: Vec<usize> = engine
                    .update_lazy(key)
                    .iter()
                    .take(VISIBLE_ROWS)
                    .map(|h| h.doc)
                    .collect();
                for doc in docs {
                    std::hint::black_box(engine.index().highlights_for(doc, key));
                }
                if i > 0 {
                    lazy_narrowing.push(ms(t.elapsed()));
                }
            }
            engine.update_lazy("");
        }
        figures.push(Figure::new(
            n,
            format!("search: keystroke, fresh, lazy + {VISIBLE_ROWS} highlighted, {kind}"),
            median(lazy_fresh.clone()),
            "ms",
            target,
        ));
        figures.push(Figure::new(
            n,
            format!("search: keystroke, fresh, lazy, {kind}, slowest prefix"),
            lazy_fresh.iter().copied().fold(0.0, f64::max),
            "ms",
            target,
        ));
        figures.push(Figure::new(
            n,
            format!("search: keystroke, narrowing, lazy + {VISIBLE_ROWS} highlighted, {kind}"),
            median(lazy_narrowing),
            "ms",
            "far less than fresh",
        ));
    }
    Ok(figures)
}

/// `jury find` and `fzf --filter` as whole processes, on the same entries (titles.txt holds id,
/// title, organisation, county and submitter: the fields `jury find` searches).
fn find_vs_fzf(here: &Path, ws: &Path, n: usize, runs: usize) -> Result<Vec<Figure>> {
    let exe = this_exe()?;
    let fzf = have("fzf");
    let titles = here.join("titles.txt");
    let mut figures = Vec::new();
    // The first search after an import prepares the keys and keeps them; the runs below load them.
    Store::open(ws)?.forget_search_keys()?;
    let first = time_process(
        Command::new(&exe)
            .arg("--db")
            .arg(ws)
            .args(["find", "亲子沟通", "--limit", "20"]),
    )?;
    figures.push(Figure::new(
        n,
        "jury find, first run after an import (prepares and keeps the keys)",
        first,
        "ms",
        "",
    ));
    for (kind, query) in [
        ("Chinese", "亲子沟通"),
        ("Latin id", "al00012"),
        ("pinyin initials", "qzgt"),
    ] {
        let ours = || {
            time_process(
                Command::new(&exe)
                    .arg("--db")
                    .arg(ws)
                    .args(["find", query, "--limit", "20"]),
            )
        };
        let mut fzf_filter = || {
            let file = std::fs::File::open(&titles)?;
            time_process(Command::new("fzf").args(["--filter", query]).stdin(file))
        };
        // fzf knows no pinyin: no anchor for that query.
        let anchor: Option<&mut dyn FnMut() -> Result<f64>> =
            (fzf && kind != "pinyin initials").then_some(&mut fzf_filter);
        let (ours, anchor) = medians_interleaved(runs, ours, anchor)?;
        let target = if n < 10_000 {
            "no slower than fzf at 1k"
        } else {
            "3x faster than fzf at 10k and above"
        };
        let mut f = Figure::new(
            n,
            format!("jury find \"{query}\" ({kind}), whole process"),
            ours,
            "ms",
            target,
        );
        if let Some(anchor) = anchor {
            f = f.against("fzf --filter", anchor);
        }
        figures.push(f);
    }
    Ok(figures)
}

// ---- 2. import ----

pub(crate) fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// The CSV files the import is measured on: the generator's `cases.csv`, then every `.csv` in
/// `DIR/nN/import/` (for example the realistic file of `gen_fixtures.py`, docs/performance.md).
fn import_files(here: &Path) -> Vec<PathBuf> {
    let mut files = vec![here.join("cases.csv")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(here.join("import"))
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                .collect()
        })
        .unwrap_or_default();
    more.sort();
    files.extend(more);
    files
}

fn import_vs_sqlite(here: &Path, n: usize, runs: usize) -> Result<Vec<Figure>> {
    let exe = this_exe()?;
    let target = here.join("import-bench.jury");
    let plain = here.join("sqlite-import.db");
    let mut figures = Vec::new();
    for cases in import_files(here) {
        let ours = || {
            remove_db(&target);
            let init = Command::new(&exe)
                .arg("--db")
                .arg(&target)
                .args(["init", "--template", "cases"])
                .stdin(Stdio::null())
                .output()?;
            if !init.status.success() {
                return Err(Error::refused(String::from_utf8_lossy(&init.stderr).to_string()));
            }
            time_process(
                Command::new(&exe)
                    .arg("--db")
                    .arg(&target)
                    .args(["import", "entries"])
                    .arg(&cases),
            )
        };
        // The anchor: a fresh file, a plain table with no index, default journal and synchronous.
        let mut sqlite_import = || {
            remove_db(&plain);
            time_process(
                Command::new("sqlite3")
                    .arg(&plain)
                    .arg(".mode csv")
                    .arg(format!(".import {} t", cases.display())),
            )
        };
        let anchor: Option<&mut dyn FnMut() -> Result<f64>> = have("sqlite3").then_some(&mut sqlite_import);
        let (ours, anchor) = medians_interleaved(runs, ours, anchor)?;
        remove_db(&target);
        remove_db(&plain);
        let name = cases.strip_prefix(here).unwrap_or(&cases).display().to_string();
        let mut f = Figure::new(
            n,
            format!("import entries ({name}), whole process"),
            ours,
            "ms",
            "at least as fast as sqlite3 .import",
        );
        if let Some(anchor) = anchor {
            f = f.against("sqlite3 .import", anchor);
        }
        figures.push(f);
    }
    Ok(figures)
}

// ---- 3. tally ----

/// The trimmed mean a user would write: per judge the sum of the criteria, per entry the sum of
/// the judges' totals minus the highest and the lowest, over n − 2.
pub const PLAIN_SQL_TALLY: &str = "SELECT entry, round, (SUM(total) - MAX(total) - MIN(total)) / (COUNT(*) - 2.0) / 10000.0 \
     FROM (SELECT entry, round, judge, SUM(value) AS total FROM scores GROUP BY entry, round, judge) \
     GROUP BY entry, round;";

fn tally_vs_sqlite(ws: &Path, n: usize, runs: usize) -> Result<Vec<Figure>> {
    let exe = this_exe()?;
    let ours = || {
        time_process(
            Command::new(&exe)
                .arg("--db")
                .arg(ws)
                .args(["tally", "--format", "json"]),
        )
    };
    let mut plain_sql = || time_process(Command::new("sqlite3").arg(ws).arg(PLAIN_SQL_TALLY));
    let anchor: Option<&mut dyn FnMut() -> Result<f64>> = have("sqlite3").then_some(&mut plain_sql);
    let (ours, anchor) = medians_interleaved(runs, ours, anchor)?;
    let mut f = Figure::new(
        n,
        "tally --format json, whole process",
        ours,
        "ms",
        "3x faster than plain SQL",
    );
    if let Some(anchor) = anchor {
        f = f.against("sqlite3 trimmed mean", anchor);
    }
    Ok(vec![f])
}

// ---- 4. start-up ----

/// What the start-up probe (`jury bench startup`) reports on its one line of output.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StartupProbe {
    /// From the probe's start to the first full frame of the judge's list, PIN check excluded.
    pub first_frame_ms: f64,
    /// The PIN check (argon2, slow on purpose).
    pub pin_ms: f64,
    /// Peak RSS so far (at the first frame; on the second line, with the whole list), the PIN
    /// check's memory excluded.
    pub peak_rss_mb: f64,
    /// The rows the screen holds: on the first line those of the first frame (the first page,
    /// when the rest is read behind it), on the second the whole list.
    pub rows: usize,
    /// On the second line: from the probe's start to the whole list in the screen (and drawn).
    #[serde(default)]
    pub loaded_ms: Option<f64>,
}

/// Peak resident memory of this process so far, from /proc/self/status (Linux), in MB.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The judge's screen, started as `jury` starts it, up to its first full frame (drawn into a
/// 200x60 test terminal instead of the real one), and then up to the whole list in it (the
/// screen shows its first page first and reads the rest behind it, issue 18). The PIN is checked
/// first, as at the login, but timed apart: argon2 is slow on purpose.
/// `report` gets the figures twice while the screen is still alive, at the first frame and with
/// the whole list: tearing it down is no part of starting up, and the parent process stops its
/// clocks at the reports.
pub fn startup_probe(
    db: &Path,
    judge: &str,
    pin: &str,
    (width, height): (u16, u16),
    report: &mut dyn FnMut(&StartupProbe),
) -> Result<StartupProbe> {
    let pin_started = Instant::now();
    let store = Store::open(db)?;
    if !store.verify_pin(judge, pin)? {
        return Err(Error::refused(format!("wrong PIN for {judge}")));
    }
    drop(store);
    let pin_ms = ms(pin_started.elapsed());
    // Forget the PIN check's peak (argon2 takes 19 MB): Linux resets VmHWM on "5".
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let started = Instant::now();
    let store = Store::open(db)?;
    store.rubric()?;
    let options = Options {
        judge: Some(judge.to_string()),
        trusted: true,
        first_page_from: Some(crate::app::judging::FIRST_PAGE_FROM),
        ..Options::new(Lang::En)
    };
    let (mut app, mut runner) = crate::tui::open(&store, options)?;
    let mut terminal = infallible(Terminal::new(TestBackend::new(width, height)));
    infallible(terminal.draw(|frame| crate::tui::view::draw(frame, &mut app)));
    let first = StartupProbe {
        first_frame_ms: ms(started.elapsed()),
        pin_ms,
        peak_rss_mb: peak_rss_mb().unwrap_or(f64::NAN),
        rows: app.rows.len(),
        loaded_ms: None,
    };
    report(&first);
    // The rest of the list, as the runtime gets it: a tick while it loads, then a frame.
    while app.loading {
        std::thread::sleep(Duration::from_millis(1));
        let effects = app.update(crate::tui::Msg::Tick);
        crate::tui::runtime::settle(&mut app, &mut runner, effects);
    }
    infallible(terminal.draw(|frame| crate::tui::view::draw(frame, &mut app)));
    let probe = StartupProbe {
        loaded_ms: Some(ms(started.elapsed())),
        peak_rss_mb: peak_rss_mb().unwrap_or(f64::NAN),
        rows: app.rows.len(),
        ..first
    };
    report(&probe);
    Ok(probe)
}

/// What the first frame of the judges' list shows, as the sqlite3 shell would read it: the
/// anchor of the start-up (issue 18).
pub const LIST_COLUMNS_SQL: &str = "select id, title, organization, county, grp from entries";

fn startup(ws: &Path, n: usize, runs: usize) -> Result<Vec<Figure>> {
    let exe = this_exe()?;
    let sqlite = have("sqlite3");
    let (mut launch, mut inner, mut rss, mut anchor) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut whole = Vec::new();
    for _ in 0..runs.max(1) {
        if sqlite {
            anchor.push(time_process(Command::new("sqlite3").arg(ws).arg(LIST_COLUMNS_SQL))?);
        }
        let started = Instant::now();
        let mut child = Command::new(&exe)
            .arg("--db")
            .arg(ws)
            .args(["bench", "startup", "--judge", &judge_id(1)])
            .env("JURY_BENCH_PIN", judge_pin(1))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        // Two lines: at the first frame, then with the whole list.
        let (mut line, mut second) = (String::new(), String::new());
        let (mut wall, mut wall_whole) = (0.0, 0.0);
        if let Some(out) = child.stdout.take() {
            let mut out = BufReader::new(out);
            out.read_line(&mut line)?;
            wall = ms(started.elapsed());
            out.read_line(&mut second)?;
            wall_whole = ms(started.elapsed());
        }
        child.wait()?;
        let parse = |line: &str| -> Result<StartupProbe> {
            serde_json::from_str(line.trim())
                .map_err(|e| Error::refused(format!("the start-up probe said \"{}\": {e}", line.trim())))
        };
        let probe = parse(&line)?;
        let loaded = parse(&second)?;
        // Launch to first frame: the whole wall time up to the probe's line, less the PIN check.
        launch.push(wall - probe.pin_ms);
        whole.push(wall_whole - probe.pin_ms);
        inner.push(probe.first_frame_ms);
        // The screen's peak is with the whole list.
        rss.push(loaded.peak_rss_mb);
    }
    let mut first_frame = Figure::new(
        n,
        "start-up: launch to first frame of the list (PIN check excluded)",
        median(launch),
        "ms",
        "at most 1.5x the sqlite3 shell (ratio >= 0.67); <= 500 ms at 1M",
    );
    if !anchor.is_empty() {
        first_frame = first_frame.against("sqlite3 list columns", median(anchor));
    }
    Ok(vec![
        first_frame,
        Figure::new(
            n,
            "start-up: launch to the whole list loaded (PIN check excluded)",
            median(whole),
            "ms",
            "",
        ),
        Figure::new(n, "start-up: open + first frame, in process", median(inner), "ms", ""),
        Figure::new(
            n,
            "start-up: peak RSS with the whole list loaded",
            median(rss),
            "MB",
            "<= 100 MB at 100k, <= 300 MB at 1M",
        ),
    ])
}

// ---- 6. frames ----

fn frames(ws: &Path, n: usize) -> Result<Vec<Figure>> {
    let store = Store::open(ws)?;
    let options = Options {
        judge: Some(judge_id(1)),
        trusted: true,
        ..Options::new(Lang::Zh)
    };
    let (mut app, mut runner) = crate::tui::open(&store, options)?;
    let mut terminal = infallible(Terminal::new(TestBackend::new(200, 60)));
    let mut draw = |app: &mut App| -> Result<f64> {
        let mut samples = Vec::new();
        for _ in 0..30 {
            let t = Instant::now();
            infallible(terminal.draw(|frame| crate::tui::view::draw(frame, app)));
            samples.push(ms(t.elapsed()));
        }
        Ok(median(samples))
    };
    let list = draw(&mut app)?;
    let effects = app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)));
    crate::tui::runtime::settle(&mut app, &mut runner, effects);
    let reader = draw(&mut app)?;
    let mut figures = vec![
        Figure::new(n, "frame: the judge's list, 200x60", list, "ms", "< 16 ms"),
        Figure::new(n, "frame: reader + sheet with a case, 200x60", reader, "ms", "< 16 ms"),
    ];
    // No console screen exists yet: the organiser's tally is the text table, timed whole.
    let tally = crate::app::tally::compute_tally(&store, None)?;
    let rubric = store.rubric()?;
    let mut samples = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let text = crate::export::table::tally_table(rubric, &tally);
        samples.push(ms(t.elapsed()));
        drop(text);
    }
    figures.push(Figure::new(
        n,
        "frame: tally text table (every entry; no console screen yet)",
        median(samples),
        "ms",
        "< 16 ms",
    ));
    Ok(figures)
}

// ---- 5. scoring under load ----

/// The loading judges' ids: `LD01`…
pub(crate) fn load_judge_id(i: usize) -> String {
    format!("LD{i:02}")
}

/// The PIN of loading judge `i`.
pub(crate) fn load_pin(i: usize) -> String {
    format!("{}", 200_000 + i)
}

/// A copy of the workspace with `count` more judges (PIN = 200000 + i) for the load test, so the
/// benchmark's own workspace keeps its tally.
pub(crate) fn load_workspace(here: &Path, ws: &Path, count: usize) -> Result<PathBuf> {
    let copy = here.join("load.jury");
    remove_db(&copy);
    {
        // VACUUM INTO gives a consistent copy even if a WAL is around.
        let store = Store::open(ws)?;
        store.backup_to(&copy)?;
    }
    let store = Store::open(&copy)?;
    let rows = (1..=count)
        .map(|i| TableRow {
            number: i + 1,
            cells: vec![
                load_judge_id(i),
                format!("负载评委{i}"),
                format!("负载测试第{i}室"),
                "省直".to_string(),
                format!("{}", 200_000 + i),
            ],
        })
        .collect();
    let table = Table {
        file: "load judges".into(),
        kind: SourceKind::Csv,
        headers: ["id", "name", "organization", "county", "pin"]
            .map(String::from)
            .to_vec(),
        rows,
        info: Default::default(),
    };
    import_judges(&store, &table)?;
    Ok(copy)
}

/// A loading judge: scores entries from `first` on, one criterion after another, until `stop`
/// exists; prints how many scores it stored.
pub fn score_worker(db: &Path, judge: &str, pin: &str, first: usize, pace: Duration, stop: &Path) -> Result<usize> {
    let store = Store::open(db)?;
    let session = JudgeSession::login(&store, judge, pin).map_err(Error::from)?;
    let mut done = 0;
    let mut case = first;
    let cases = store.entry_count()?.max(1) as usize;
    'outer: loop {
        let id = generator::case_id(case % cases);
        for (criterion, max) in CRITERIA {
            if stop.exists() {
                break 'outer;
            }
            session
                .set_score(&id, ROUND, criterion, &format!("{}", max / 2 + (done % 3) as u32))
                .map_err(Error::from)?;
            done += 1;
            if !pace.is_zero() {
                std::thread::sleep(pace);
            }
        }
        case += 1;
    }
    Ok(done)
}

fn scoring_under_load(here: &Path, ws: &Path, n: usize, others: usize, pace_ms: u64) -> Result<Vec<Figure>> {
    let exe = this_exe()?;
    let db = load_workspace(here, ws, others + 1)?;
    let stop = here.join("load.stop");
    let _ = std::fs::remove_file(&stop);
    let per_judge = (n / (others + 1)).max(1);
    let mut workers = Vec::new();
    for i in 2..=others + 1 {
        workers.push(
            Command::new(&exe)
                .arg("--db")
                .arg(&db)
                .args(["bench", "worker", "--judge", &load_judge_id(i)])
                .args(["--first", &(i * per_judge % n.max(1)).to_string()])
                .args(["--pace-ms", &pace_ms.to_string()])
                .arg("--stop")
                .arg(&stop)
                .env("JURY_BENCH_PIN", format!("{}", 200_000 + i))
                .stdout(Stdio::piped())
                .spawn()?,
        );
    }
    let store = Store::open(&db)?;
    let session = JudgeSession::login(&store, &load_judge_id(1), "200001").map_err(Error::from)?;
    // Let every worker log in (argon2) and start writing.
    std::thread::sleep(Duration::from_secs(3));
    let mut latencies = Vec::new();
    let started = Instant::now();
    let mut case = per_judge % n.max(1);
    'outer: while latencies.len() < 500 {
        let id = generator::case_id(case % n.max(1));
        for (criterion, max) in CRITERIA {
            let t = Instant::now();
            session
                .set_score(&id, ROUND, criterion, &format!("{}", max / 2))
                .map_err(Error::from)?;
            latencies.push(ms(t.elapsed()));
            if latencies.len() >= 500 {
                break 'outer;
            }
            // A judge types a score and moves on: a short pause between two keystrokes that commit.
            std::thread::sleep(Duration::from_millis(20));
        }
        case += 1;
    }
    let window = started.elapsed().as_secs_f64();
    std::fs::write(&stop, b"stop")?;
    let mut others_done = 0usize;
    for w in workers {
        let out = w.wait_with_output()?;
        others_done += String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse::<usize>()
            .unwrap_or(0);
    }
    let _ = std::fs::remove_file(&stop);
    drop(session);
    drop(store);
    remove_db(&db);
    let label = if pace_ms == 0 {
        "flat out".to_string()
    } else {
        format!("one score per {pace_ms} ms each")
    };
    Ok(vec![
        Figure::new(
            n,
            format!("score commit p50, {others} other judges scoring ({label})"),
            percentile(latencies.clone(), 0.5),
            "ms",
            "",
        ),
        Figure::new(
            n,
            format!("score commit p99, {others} other judges scoring ({label})"),
            percentile(latencies.clone(), 0.99),
            "ms",
            "< 50 ms",
        ),
        Figure::new(
            n,
            "score commit max",
            latencies.iter().copied().fold(0.0, f64::max),
            "ms",
            "",
        ),
        Figure::new(
            n,
            "commits per second by the other judges (approx.)",
            others_done as f64 / window,
            "/s",
            "",
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_percentiles() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(v.clone(), 0.99), 99.0);
        assert_eq!(percentile(v, 0.5), 50.0);
    }

    #[test]
    fn startup_probe_draws_the_list_of_a_generated_contest() {
        let dir = tempfile::tempdir().unwrap();
        let g = generator::generate(dir.path(), 20, 5, true, &mut |_| {}).unwrap();
        let probe = startup_probe(
            g.workspace.as_ref().unwrap(),
            "PW02",
            &judge_pin(2),
            (200, 60),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(probe.rows, 20);
        assert!(startup_probe(g.workspace.as_ref().unwrap(), "PW02", "999999", (200, 60), &mut |_| {}).is_err());
    }
}
