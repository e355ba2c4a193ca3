//! `jury bench serve`: the meeting room under load. A generated contest (100 000 cases by default)
//! gets one judge per client; `jury serve` (this very executable) runs as a child process on a free
//! loopback port; as many russh clients as judges connect from this process, each with an 80x24
//! PTY, log in with the judge's PIN and score flat out through the judges' screen: a digit, Enter
//! (which saves and moves on), five criteria, Esc back to the list, Down, Enter on the next case.
//!
//! Measured on the client side: SSH login (TCP connect to the first frame with the list), key sent
//! to the next frame received, and Enter sent to the frame that says `Saved` (an upper bound of the
//! commit as the judge sees it). The server's peak memory is its VmHWM (Linux). When the server
//! understands `--stats-file`, its own commit figures are read from that file after it stops.
//! The clients run in this process and share the machine's cores with the server: figures are an
//! upper bound of what a room of laptops would see.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::client::Msg;
use termwiz::escape::csi::{CSI, Cursor, Edit, EraseInDisplay, EraseInLine};
use termwiz::escape::{Action, ControlCode};

use crate::app::judging::JudgeSession;
use crate::core::exact::Points;
use crate::error::{Error, Result};
use crate::store::Store;

use super::generator::{CRITERIA, ROUND};
use super::run::{ensure_generated, load_judge_id, load_pin, load_workspace, percentile};

/// What `jury bench serve` does.
#[derive(Debug, Clone)]
pub struct ServeBenchOptions {
    pub entries: usize,
    pub clients: usize,
    pub seconds: u64,
    pub dir: PathBuf,
    pub seed: u64,
}

/// p50, p99 and max of one kind of latency, in ms, and how many samples.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Latency {
    pub count: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Latency {
    pub fn of(samples: &[f64]) -> Latency {
        if samples.is_empty() {
            return Latency::default();
        }
        Latency {
            count: samples.len(),
            p50_ms: percentile(samples.to_vec(), 0.5),
            p99_ms: percentile(samples.to_vec(), 0.99),
            max_ms: samples.iter().copied().fold(0.0, f64::max),
        }
    }
}

/// What the server wrote in its `--stats-file` on shutdown.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ServerStats {
    pub requests: u64,
    pub transactions: u64,
    pub commit_ms_p50: f64,
    pub commit_ms_p99: f64,
    pub commit_ms_max: f64,
    pub group_max: u64,
}

/// The figures of one `jury bench serve`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ServeBenchReport {
    pub entries: usize,
    pub clients: usize,
    pub seconds: f64,
    pub machine: String,
    pub login_to_first_frame: Latency,
    pub key_to_frame: Latency,
    pub save_to_saved_frame: Latency,
    /// Enter on a value to its first frame (part of `key_to_frame`), and how many of those
    /// frames said `Saving` (the write still on its way) rather than `Saved`.
    pub enter_to_first_frame: Latency,
    pub enter_frames_saying_saving: usize,
    pub saves: usize,
    pub saves_per_second: f64,
    /// Saves checked in the workspace after the server stopped, and how many were not there.
    pub saves_verified: usize,
    pub saves_missing: usize,
    /// The first few saves the screen confirmed whose value is not the one stored:
    /// `judge case criterion: confirmed v, stored w` (or `nothing stored`).
    pub missing_examples: Vec<String>,
    /// Keys whose frame did not come within the wait (5 s), clients that failed.
    pub timeouts: usize,
    pub client_errors: Vec<String>,
    pub server_peak_mb: Option<f64>,
    pub memory_target_mb: f64,
    pub server_stats: Option<ServerStats>,
    /// Why there are no server figures, when there are none.
    pub server_stats_note: Option<String>,
    pub meets: BTreeMap<String, bool>,
}

/// Targets of the issue: commit p99 50 ms, key to frame p99 30 ms, 300 MB + 10 MB a session.
pub const COMMIT_P99_MS: f64 = 50.0;
pub const FRAME_P99_MS: f64 = 30.0;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

// ---- the client's picture of its terminal ----

/// Just enough of a terminal to read what the server drew: text at positions (colours ignored),
/// wide characters taking two cells.
pub struct Screen {
    width: usize,
    height: usize,
    cells: Vec<char>,
    row: usize,
    col: usize,
    parser: termwiz::escape::parser::Parser,
}

impl Screen {
    pub fn new(width: usize, height: usize) -> Screen {
        Screen {
            width,
            height,
            cells: vec![' '; width * height],
            row: 0,
            col: 0,
            parser: termwiz::escape::parser::Parser::new(),
        }
    }

    fn put(&mut self, c: char) {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w == 0 {
            return;
        }
        if self.col >= self.width {
            self.col = 0;
            self.row = (self.row + 1).min(self.height - 1);
        }
        let at = self.row * self.width + self.col;
        self.cells[at] = c;
        if w == 2 && self.col + 1 < self.width {
            self.cells[at + 1] = '\0';
        }
        self.col += w;
    }

    fn erase(&mut self, from: usize, to: usize) {
        let to = to.min(self.cells.len());
        for c in self.cells.iter_mut().take(to).skip(from) {
            *c = ' ';
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        let mut actions = Vec::new();
        self.parser.parse(bytes, |a| actions.push(a));
        for action in actions {
            match action {
                Action::Print(c) => self.put(c),
                Action::PrintString(s) => s.chars().for_each(|c| self.put(c)),
                Action::Control(ControlCode::CarriageReturn) => self.col = 0,
                Action::Control(ControlCode::LineFeed) => self.row = (self.row + 1).min(self.height - 1),
                Action::CSI(CSI::Cursor(Cursor::Position { line, col })) => {
                    self.row = (line.as_zero_based() as usize).min(self.height - 1);
                    self.col = (col.as_zero_based() as usize).min(self.width - 1);
                }
                Action::CSI(CSI::Edit(Edit::EraseInDisplay(how))) => {
                    let here = self.row * self.width + self.col;
                    match how {
                        EraseInDisplay::EraseToEndOfDisplay => self.erase(here, self.cells.len()),
                        EraseInDisplay::EraseToStartOfDisplay => self.erase(0, here + 1),
                        _ => self.erase(0, self.cells.len()),
                    }
                }
                Action::CSI(CSI::Edit(Edit::EraseInLine(how))) => {
                    let start = self.row * self.width;
                    let here = start + self.col;
                    match how {
                        EraseInLine::EraseToEndOfLine => self.erase(here, start + self.width),
                        EraseInLine::EraseToStartOfLine => self.erase(start, here + 1),
                        EraseInLine::EraseLine => self.erase(start, start + self.width),
                    }
                }
                _ => {}
            }
        }
    }

    pub fn lines(&self) -> Vec<String> {
        self.cells
            .chunks(self.width)
            .map(|row| row.iter().filter(|&&c| c != '\0').collect::<String>())
            .collect()
    }

    pub fn contains(&self, needle: &str) -> bool {
        self.lines().iter().any(|l| l.contains(needle))
    }

    /// The first generated case id (`AL` and seven digits) on the screen.
    pub fn case_id(&self) -> Option<String> {
        for line in self.lines() {
            let chars: Vec<char> = line.chars().collect();
            for i in 0..chars.len().saturating_sub(8) {
                if chars[i] == 'A' && chars[i + 1] == 'L' && chars[i + 2..i + 9].iter().all(char::is_ascii_digit) {
                    return Some(chars[i..i + 9].iter().collect());
                }
            }
        }
        None
    }

    /// The id of the case open on the screen (its `ID:` line).
    pub fn opened_case(&self) -> Option<String> {
        self.lines().iter().find_map(|l| {
            let at = l.find(OPEN)? + OPEN.len() - 2;
            let id: String = l[at..].chars().take(9).collect();
            (id.len() == 9 && id[2..].chars().all(|c| c.is_ascii_digit())).then_some(id)
        })
    }

    /// The criterion's name in the status line `Saved NAME = value`.
    pub fn saved_name(&self, value: u32) -> Option<String> {
        let want = format!(" = {value}");
        self.lines().iter().find_map(|l| {
            let at = l.find("Saved ")? + "Saved ".len();
            let rest = &l[at..];
            let eq = rest.find(&want)?;
            let after = &rest[eq + want.len()..];
            (!after.starts_with(|c: char| c.is_ascii_digit())).then(|| rest[..eq].trim().to_string())
        })
    }

    /// Whether the status line says `Saved … = value`.
    pub fn says_saved(&self, value: u32) -> bool {
        let want = value.to_string();
        self.lines().iter().any(|l| {
            l.find("Saved ")
                .and_then(|at| l[at..].find(" = ").map(|eq| &l[at + eq + 3..]))
                .is_some_and(|rest| {
                    rest.starts_with(&want) && !rest[want.len()..].starts_with(|c: char| c.is_ascii_digit())
                })
        })
    }
}

// ---- one client ----

struct AnyHost;

impl russh::client::Handler for AnyHost {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> std::result::Result<bool, Self::Error> {
        // Loopback, a key made for this run: nothing to check.
        Ok(true)
    }
}

/// Per case, (criterion, value) of every save the screen confirmed, in order.
/// Per case, the saves its screen confirmed, in order: (the criterion's name as the status line
/// named it, the value).
type Confirmed = BTreeMap<String, Vec<(String, u32)>>;

/// What one client measured.
#[derive(Debug, Default)]
struct ClientFigures {
    login_ms: Option<f64>,
    key_ms: Vec<f64>,
    save_ms: Vec<f64>,
    /// Enter on a value: to its first frame, and whether that frame said `Saving` (drawn before
    /// the write runs) or already `Saved`.
    enter_ms: Vec<f64>,
    enter_saving_first: usize,
    timeouts: usize,
    saved: Confirmed,
    error: Option<String>,
}

const WAIT: Duration = Duration::from_secs(5);

/// What the case's page shows at 80x24 once open, before its id (the server runs in English).
const OPEN: &str = " ID: AL";
/// What a case's score sheet shows at 80x24, under the case's header line.
const SHEET: &str = "Score sheet: ";
/// What the message line says while a value is on its way to the disk.
const SAVING: &str = " Saving ";

struct Driver {
    channel: russh::Channel<Msg>,
    screen: Screen,
    figures: ClientFigures,
    open: bool,
}

impl Driver {
    /// Feeds whatever has already arrived, without waiting.
    async fn drain(&mut self) {
        while self.open {
            match tokio::time::timeout(Duration::ZERO, self.channel.wait()).await {
                Ok(Some(msg)) => {
                    self.take(msg);
                }
                Ok(None) => self.open = false,
                Err(_) => break,
            }
        }
    }

    fn take(&mut self, msg: ChannelMsg) -> bool {
        match msg {
            ChannelMsg::Data { data } => {
                self.screen.feed(&data);
                true
            }
            ChannelMsg::Eof | ChannelMsg::Close => {
                self.open = false;
                false
            }
            _ => false,
        }
    }

    /// Waits (up to `wait`) until `done` holds for the screen; the time to the first frame and to
    /// `done`, `None` on a timeout.
    async fn until(
        &mut self,
        sent: Instant,
        wait: Duration,
        done: impl Fn(&Screen) -> bool,
    ) -> (Option<f64>, Option<f64>) {
        let mut first = None;
        let deadline = sent + wait;
        while self.open {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.channel.wait()).await {
                Ok(Some(msg)) => {
                    if self.take(msg) {
                        first.get_or_insert_with(|| ms(sent.elapsed()));
                        if done(&self.screen) {
                            return (first, Some(ms(sent.elapsed())));
                        }
                    }
                }
                Ok(None) => self.open = false,
                Err(_) => break,
            }
        }
        (first, None)
    }

    /// Sends a key and waits for its frame (and `done`); the key's latency is recorded.
    async fn key(&mut self, bytes: &[u8], done: impl Fn(&Screen) -> bool) -> Result<Option<f64>> {
        self.drain().await;
        let sent = Instant::now();
        self.channel
            .data_bytes(bytes.to_vec())
            .await
            .map_err(|e| Error::refused(format!("send: {e}")))?;
        let (first, satisfied) = self.until(sent, WAIT, done).await;
        match first {
            Some(f) => self.figures.key_ms.push(f),
            None => self.figures.timeouts += 1,
        }
        if first.is_some() && satisfied.is_none() {
            self.figures.timeouts += 1;
        }
        Ok(satisfied)
    }
}

async fn client(port: u16, judge: String, pin: String, index: usize, stop_at: Instant) -> ClientFigures {
    let mut figures = ClientFigures::default();
    let started = Instant::now();
    let config = Arc::new(russh::client::Config {
        nodelay: true,
        ..Default::default()
    });
    let connected = async {
        let mut handle = russh::client::connect(config, ("127.0.0.1", port), AnyHost)
            .await
            .map_err(|e| Error::refused(format!("connect: {e}")))?;
        let auth = handle
            .authenticate_password(judge.clone(), pin)
            .await
            .map_err(|e| Error::refused(format!("login: {e}")))?;
        if !auth.success() {
            return Err(Error::refused(format!("{judge}: the PIN was refused")));
        }
        let channel = handle
            .channel_open_session()
            .await
            .map_err(|e| Error::refused(format!("channel: {e}")))?;
        channel
            .request_pty(false, "xterm-256color", 80, 24, 0, 0, &[])
            .await
            .map_err(|e| Error::refused(format!("pty: {e}")))?;
        channel
            .request_shell(false)
            .await
            .map_err(|e| Error::refused(format!("shell: {e}")))?;
        Ok::<_, Error>((handle, channel))
    };
    let (handle, channel) = match connected.await {
        Ok(c) => c,
        Err(e) => {
            figures.error = Some(e.to_string());
            return figures;
        }
    };
    let mut d = Driver {
        channel,
        screen: Screen::new(80, 24),
        figures,
        open: true,
    };
    let (_, listed) = d
        .until(started, Duration::from_secs(300), |s| s.case_id().is_some())
        .await;
    d.figures.login_ms = listed;
    if listed.is_none() {
        d.figures.error = Some(format!("{judge}: no list within 300 s"));
        return d.figures;
    }
    let outcome: Result<()> = async {
        // Each judge starts on another case.
        for _ in 0..index {
            d.key(b"\x1b[B", |_| true).await?;
        }
        let mut value = 1 + (index as u32 % 9);
        while Instant::now() < stop_at && d.open {
            // The case open (at 80x24 its page, the sheet taking the digits), its id shown.
            d.key(b"\r", |s| s.contains(OPEN)).await?;
            // Enter saves and moves to the next criterion, confirmed or not.
            for _ in 0..CRITERIA.len() {
                if !d.open {
                    break;
                }
                let digit = value.to_string();
                d.key(digit.as_bytes(), |_| true).await?;
                d.drain().await;
                let sent = Instant::now();
                d.channel
                    .data_bytes(b"\r".to_vec())
                    .await
                    .map_err(|e| Error::refused(format!("send: {e}")))?;
                let (first, _) = d.until(sent, WAIT, |_| true).await;
                let saved = match first {
                    Some(f) => {
                        d.figures.key_ms.push(f);
                        d.figures.enter_ms.push(f);
                        if d.screen.contains(SAVING) {
                            d.figures.enter_saving_first += 1;
                        }
                        if d.screen.says_saved(value) {
                            Some(f)
                        } else {
                            d.until(sent, WAIT, |s| s.says_saved(value)).await.1
                        }
                    }
                    None => {
                        d.figures.timeouts += 1;
                        None
                    }
                };
                match saved {
                    Some(s) => {
                        d.figures.save_ms.push(s);
                        // Attributed to what the frame saying Saved shows: the case in its header and
                        // the criterion the status line names (on a second visit the cursor need
                        // not start on the first criterion).
                        // (A frame of the list, which a judge far behind may be shown, names no
                        // case: such a save is not checked.)
                        let on_sheet = d.screen.contains(SHEET);
                        if let (true, Some(shown), Some(name)) =
                            (on_sheet, d.screen.case_id(), d.screen.saved_name(value))
                        {
                            d.figures.saved.entry(shown).or_default().push((name, value));
                        }
                    }
                    None => d.figures.timeouts += 1,
                }
                value = value % 9 + 1;
            }
            d.key(b"\x1b", |s| !s.contains(OPEN)).await?;
            d.key(b"\x1b[B", |_| true).await?;
        }
        Ok(())
    }
    .await;
    if let Err(e) = outcome {
        d.figures.error = Some(format!("{judge}: {e}"));
    }
    // Leave as a judge does: Esc to the list, q.
    let _ = d.channel.data_bytes(b"\x1b".to_vec()).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let _ = d.channel.data_bytes(b"q".to_vec()).await;
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while d.open {
            match d.channel.wait().await {
                Some(msg) => {
                    d.take(msg);
                }
                None => break,
            }
        }
    })
    .await;
    let _ = handle.disconnect(russh::Disconnect::ByApplication, "", "en").await;
    d.figures
}

// ---- the server ----

struct Server {
    child: Child,
    stats_file: Option<PathBuf>,
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts `jury serve` on `db` and waits for its banner; with `stats`, asks for `--stats-file`.
fn start_server(
    db: &Path,
    port: u16,
    sessions: usize,
    stats: Option<&Path>,
) -> Result<std::result::Result<Server, String>> {
    let exe = std::env::current_exe()?;
    let mut command = Command::new(exe);
    command
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--max-sessions", &sessions.to_string()])
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("JURY_ORGANISER_PASS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = stats {
        command.arg("--stats-file").arg(path);
    }
    let mut child = command.spawn()?;
    let stdout = child.stdout.take();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        if let Some(out) = stdout {
            for line in BufReader::new(out).lines().map_while(std::result::Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) if line.contains("SHA256:") => break,
            Ok(_) => {}
            Err(_) => {
                if let Some(status) = child.try_wait()? {
                    let mut err = String::new();
                    if let Some(mut e) = child.stderr.take() {
                        let _ = e.read_to_string(&mut err);
                    }
                    return Ok(Err(format!("jury serve ended ({status}): {}", err.trim())));
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    return Err(Error::refused("jury serve did not start within 120 s"));
                }
            }
        }
    }
    // Keep reading stderr so the server never blocks on it.
    if let Some(mut e) = child.stderr.take() {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut e, &mut std::io::sink());
        });
    }
    Ok(Ok(Server {
        child,
        stats_file: stats.map(Path::to_path_buf),
    }))
}

/// The peak resident memory of process `pid` (VmHWM), in MB, on Linux.
fn peak_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Stops the server as Ctrl-C does (every session told, then the end), within 10 s.
fn stop_server(server: &mut Server) -> Result<()> {
    #[cfg(unix)]
    {
        if let Ok(pid) = i32::try_from(server.child.id()) {
            // SAFETY: a plain signal to our own child process.
            unsafe {
                libc::kill(pid, libc::SIGINT);
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = server.child.kill();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            let _ = server.child.kill();
            let _ = server.child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// Every save the clients saw confirmed, checked in the workspace: (verified, missing, examples).
/// A confirmed save is there when the trail holds its score row (written in the transaction that
/// stored it) and the stored value is the trail's last for that criterion: a later save of the
/// same criterion that the client gave up waiting for (no Saved within 5 s) may have replaced it.
fn verify(db: &Path, judges: &[(String, Confirmed)]) -> Result<(usize, usize, Vec<String>)> {
    let store = Store::open(db)?;
    let criteria: BTreeMap<String, String> = store
        .rubric()?
        .rounds
        .iter()
        .filter(|r| r.id == ROUND)
        .flat_map(|r| r.criteria.iter().map(|c| (c.name.clone(), c.id.clone())))
        .collect();
    let (mut verified, mut missing, mut examples) = (0, 0, Vec::new());
    for (judge, cases) in judges {
        let session = JudgeSession::trusted(&store, judge).map_err(Error::from)?;
        for (case, values) in cases {
            let sheet = session.sheet(case, ROUND).map_err(Error::from)?;
            // This judge's score rows of this case, oldest first: (criterion, value).
            let trail: Vec<(String, Option<Points>)> = store
                .audit_log(Some(case), Some(judge))?
                .iter()
                .filter_map(|row| match row.event() {
                    Ok(crate::store::AuditEvent::Score {
                        round, criterion, new, ..
                    }) if round == ROUND => Some((criterion, new)),
                    _ => None,
                })
                .collect();
            for (name, v) in values {
                let id = criteria.get(name).map_or(name.as_str(), String::as_str);
                let value = Some(Points::from_int(i64::from(*v)));
                let committed = trail.iter().any(|(c, new)| c == id && *new == value);
                let last = trail.iter().rev().find(|(c, _)| c == id).map(|(_, new)| *new);
                let stored = sheet.values.get(id).copied();
                if committed && last == Some(stored) {
                    verified += 1;
                } else {
                    missing += 1;
                    if examples.len() < 10 {
                        let stored = stored.map_or("nothing stored".to_string(), |p| format!("stored {p}"));
                        let why = if committed {
                            "not the trail's last"
                        } else {
                            "no score row"
                        };
                        examples.push(format!("{judge} {case} {name}: confirmed {v}, {stored} ({why})"));
                    }
                }
            }
        }
    }
    Ok((verified, missing, examples))
}

/// Runs the benchmark; progress goes to `log`.
pub fn run_serve_bench(opts: &ServeBenchOptions, log: &mut dyn Write) -> Result<ServeBenchReport> {
    let clients = opts.clients.max(1);
    let here = ensure_generated(&opts.dir, opts.entries, opts.seed, log)?;
    writeln!(log, "a copy of the workspace with {clients} judges ...")?;
    let db = load_workspace(&here, &here.join("workspace.jury"), clients)?;
    let port = free_port()?;
    let sessions = clients + 4;
    let stats_path = here.join("serve-stats.json");
    let _ = std::fs::remove_file(&stats_path);
    let (mut server, mut note) = match start_server(&db, port, sessions, Some(&stats_path))? {
        Ok(server) => (server, None),
        Err(why) if why.contains("stats-file") => {
            let server = start_server(&db, port, sessions, None)?.map_err(Error::refused)?;
            (
                server,
                Some("this jury serve has no --stats-file: only the client-side figures".to_string()),
            )
        }
        Err(why) => return Err(Error::refused(why)),
    };
    writeln!(
        log,
        "jury serve (pid {}) on 127.0.0.1:{port}; {clients} clients for {} s ...",
        server.child.id(),
        opts.seconds
    )?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let started = Instant::now();
    let results: Vec<(String, ClientFigures)> = runtime.block_on(async {
        // Every client runs for `seconds` from its connect, the login included.
        let mut tasks = Vec::new();
        for i in 1..=clients {
            let judge = load_judge_id(i);
            let pin = load_pin(i);
            let seconds = opts.seconds;
            tasks.push((
                judge.clone(),
                tokio::spawn(async move {
                    let stop_at = Instant::now() + Duration::from_secs(seconds);
                    client(port, judge, pin, i - 1, stop_at).await
                }),
            ));
        }
        let mut out = Vec::new();
        for (judge, task) in tasks {
            let figures = task.await.unwrap_or_else(|e| ClientFigures {
                error: Some(format!("the client task failed: {e}")),
                ..Default::default()
            });
            out.push((judge, figures));
        }
        out
    });
    let elapsed = started.elapsed().as_secs_f64();
    let peak = peak_mb(server.child.id());
    stop_server(&mut server)?;
    drop(runtime);
    let server_stats = match &server.stats_file {
        Some(path) if path.exists() => std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<ServerStats>(&text).ok()),
        _ => None,
    };
    if server_stats.is_none() && note.is_none() {
        note = Some("the server wrote no readable --stats-file: only the client-side figures".to_string());
    }
    let mut login = Vec::new();
    let mut keys = Vec::new();
    let mut saves = Vec::new();
    let mut enters = Vec::new();
    let mut saying_saving = 0;
    let mut timeouts = 0;
    let mut errors = Vec::new();
    let mut saved = Vec::new();
    for (judge, f) in results {
        login.extend(f.login_ms);
        keys.extend(f.key_ms);
        saves.extend(f.save_ms);
        enters.extend(f.enter_ms);
        saying_saving += f.enter_saving_first;
        timeouts += f.timeouts;
        errors.extend(f.error);
        saved.push((judge, f.saved));
    }
    let (verified, missing, missing_examples) = verify(&db, &saved)?;
    let key_to_frame = Latency::of(&keys);
    let save_to_saved_frame = Latency::of(&saves);
    let memory_target_mb = 300.0 + 10.0 * clients as f64;
    let mut meets = BTreeMap::new();
    meets.insert(
        "commit p99 <= 50 ms (client-seen save)".to_string(),
        save_to_saved_frame.count > 0 && save_to_saved_frame.p99_ms <= COMMIT_P99_MS,
    );
    if let Some(s) = &server_stats {
        meets.insert(
            "commit p99 <= 50 ms (server)".to_string(),
            s.commit_ms_p99 <= COMMIT_P99_MS,
        );
    }
    meets.insert(
        "key to redrawn frame p99 <= 30 ms".to_string(),
        key_to_frame.count > 0 && key_to_frame.p99_ms <= FRAME_P99_MS,
    );
    if let Some(p) = peak {
        meets.insert(
            format!("server memory <= {memory_target_mb:.0} MB"),
            p <= memory_target_mb,
        );
    }
    let report = ServeBenchReport {
        entries: opts.entries,
        clients,
        seconds: elapsed,
        machine: format!(
            "{} cores shared by the server and the {clients} clients of this process",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        ),
        login_to_first_frame: Latency::of(&login),
        key_to_frame,
        enter_to_first_frame: Latency::of(&enters),
        enter_frames_saying_saving: saying_saving,
        saves: saves.len(),
        saves_per_second: saves.len() as f64 / elapsed.max(0.001),
        save_to_saved_frame,
        saves_verified: verified,
        saves_missing: missing,
        missing_examples,
        timeouts,
        client_errors: errors,
        server_peak_mb: peak,
        memory_target_mb,
        server_stats,
        server_stats_note: note,
        meets,
    };
    let _ = std::fs::remove_file(&stats_path);
    super::run::remove_db(&db);
    Ok(report)
}

/// The report as a readable table.
pub fn table(r: &ServeBenchReport) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "jury bench serve: {} cases, {} SSH clients (russh, in this process) on loopback, {:.1} s",
        r.entries, r.clients, r.seconds
    ));
    line(format!(
        "Machine: {}: the figures include the clients' own work.",
        r.machine
    ));
    line(String::new());
    line("| what | n | p50 | p99 | max | target |".to_string());
    line("|---|---|---|---|---|---|".to_string());
    let row = |what: &str, l: &Latency, target: &str| {
        format!(
            "| {what} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {target} |",
            l.count, l.p50_ms, l.p99_ms, l.max_ms
        )
    };
    line(row(
        "SSH login to first frame (TCP connect to the list, PIN check included)",
        &r.login_to_first_frame,
        "-",
    ));
    line(row("key sent to next frame", &r.key_to_frame, "p99 <= 30 ms"));
    line(row(
        &format!(
            "of which Enter on a value to its first frame ({} of them said Saving, before the commit)",
            r.enter_frames_saying_saving
        ),
        &r.enter_to_first_frame,
        "-",
    ));
    line(row(
        "Enter sent to the frame saying Saved (commit as the judge sees it)",
        &r.save_to_saved_frame,
        "p99 <= 50 ms",
    ));
    match &r.server_stats {
        Some(s) => line(format!(
            "| server commit ({} requests in {} transactions, largest group {}) | {} | {:.1} ms | {:.1} ms | {:.1} ms | p99 <= 50 ms |",
            s.requests, s.transactions, s.group_max, s.requests, s.commit_ms_p50, s.commit_ms_p99, s.commit_ms_max
        )),
        None => line(format!(
            "| server commit | - | - | - | - | {} |",
            r.server_stats_note.as_deref().unwrap_or("no figures")
        )),
    }
    line(String::new());
    line(format!(
        "Saves: {} ({:.1}/s); checked in the workspace afterwards: {} there, {} missing",
        r.saves, r.saves_per_second, r.saves_verified, r.saves_missing
    ));
    for example in &r.missing_examples {
        line(format!("  not as confirmed: {example}"));
    }
    line(format!(
        "Server peak memory (VmHWM): {} (target {:.0} MB = 300 MB + 10 MB x {} sessions)",
        r.server_peak_mb.map_or("unknown".to_string(), |m| format!("{m:.1} MB")),
        r.memory_target_mb,
        r.clients
    ));
    if r.timeouts > 0 {
        line(format!("Frames not seen within 5 s: {}", r.timeouts));
    }
    for e in &r.client_errors {
        line(format!("Client error: {e}"));
    }
    for (what, ok) in &r.meets {
        line(format!("{} {what}", if *ok { "meets: " } else { "MISSES:" }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_reads_positioned_text_wide_characters_and_erases() {
        let mut s = Screen::new(20, 3);
        s.feed("\x1b[2J\x1b[1;1HAL0000042 评委\x1b[2;3H\x1b[31mSaved x = 5\x1b[0m".as_bytes());
        assert_eq!(s.lines()[0].trim_end(), "AL0000042 评委");
        assert_eq!(s.lines()[1].trim_end(), "  Saved x = 5");
        assert_eq!(s.case_id().as_deref(), Some("AL0000042"));
        assert_eq!(s.opened_case(), None);
        s.feed(b"\x1b[3;1H ID: AL0000007");
        assert_eq!(s.opened_case().as_deref(), Some("AL0000007"));
        assert!(s.says_saved(5) && !s.says_saved(4));
        // An update of one cell in the middle, as ratatui's diff sends it.
        s.feed(b"\x1b[2;13H7");
        assert!(s.says_saved(7) && !s.says_saved(5));
        assert_eq!(s.saved_name(7).as_deref(), Some("x"));
        assert_eq!(s.saved_name(5), None);
        s.feed(b"\x1b[2;13H\x1b[K");
        assert!(!s.says_saved(7));
        s.feed(b"\x1b[2J");
        assert_eq!(s.case_id(), None);
        // The criterion's name as the status line names it, wide characters included; 1 is not 10.
        s.feed("\x1b[1;1HSaved 背景介绍 = 10".as_bytes());
        assert_eq!(s.saved_name(10).as_deref(), Some("背景介绍"));
        assert_eq!(s.saved_name(1), None);
    }

    #[test]
    fn latencies_are_nearest_rank_percentiles() {
        let samples: Vec<f64> = (1..=200).map(f64::from).collect();
        let l = Latency::of(&samples);
        assert_eq!((l.count, l.p50_ms, l.p99_ms, l.max_ms), (200, 100.0, 198.0, 200.0));
        assert_eq!(Latency::of(&[]), Latency::default());
    }
}
