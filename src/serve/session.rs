//! One SSH connection: authentication, the one session channel with its PTY, and the screen's
//! thread. Everything but an interactive shell with a PTY is refused, and answered, so no client
//! is left waiting.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::server::{Auth, Handle, Msg, Response, Session};
use russh::{Channel, ChannelId, Pty};

use crate::tui::Lang;

use super::auth::{Gate, Who};
use super::backend::{ChannelBackend, ENTER, FRAMES_QUEUED, LEAVE, SharedSize};
use super::events::{ChannelEvents, EndReason, Input};
use super::screens::{ServeScreens, SessionContext};
use crate::i18n::serve::texts;

/// One live session, as the server keeps it.
#[derive(Debug)]
pub struct Live {
    pub who: Who,
    pub address: Option<SocketAddr>,
    pub since: Instant,
    /// When it logged in, local time `HH:MM:SS` (for the console's list).
    pub since_clock: String,
    /// When its client last sent a key.
    pub last_key: Instant,
    end: std::sync::mpsc::Sender<Input>,
}

/// What every connection of one server shares.
pub struct Room {
    pub gate: Gate,
    pub screens: Arc<dyn ServeScreens>,
    pub context: SessionContext,
    pub lang: Lang,
    pub idle: Duration,
    pub max_sessions: usize,
    /// How often a logged-in client is asked whether it is still there ([`super::KEEPALIVE`]).
    pub keepalive: Duration,
    next: AtomicU64,
    pub sessions: Mutex<HashMap<u64, Live>>,
}

impl Room {
    pub fn new(
        gate: Gate,
        screens: Arc<dyn ServeScreens>,
        context: SessionContext,
        idle: Duration,
        max_sessions: usize,
    ) -> Room {
        Room {
            gate,
            screens,
            lang: context.lang,
            context,
            idle,
            max_sessions,
            keepalive: super::KEEPALIVE,
            next: AtomicU64::new(1),
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// Registers a session, ending an older one of the same judge (told why); `None` when the room
    /// is full.
    fn register(&self, who: &Who, address: Option<SocketAddr>, end: std::sync::mpsc::Sender<Input>) -> Option<u64> {
        let mut sessions = self.sessions.lock().ok()?;
        if let Who::Judge(_) = who {
            let older: Vec<u64> = sessions
                .iter()
                .filter(|(_, live)| &live.who == who)
                .map(|(id, _)| *id)
                .collect();
            for id in older {
                if let Some(live) = sessions.remove(&id) {
                    let _ = live.end.send(Input::End(EndReason::Replaced));
                }
            }
        }
        if sessions.len() >= self.max_sessions {
            return None;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        sessions.insert(
            id,
            Live {
                who: who.clone(),
                address,
                since: Instant::now(),
                since_clock: chrono::Local::now().format("%H:%M:%S").to_string(),
                last_key: Instant::now(),
                end,
            },
        );
        Some(id)
    }

    fn unregister(&self, id: u64) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.remove(&id);
        }
    }

    /// How many sessions are running.
    pub fn session_count(&self) -> usize {
        self.sessions.lock().map_or(0, |s| s.len())
    }

    /// A key from session `id`'s client.
    fn touch(&self, id: u64) {
        if let Ok(mut sessions) = self.sessions.lock()
            && let Some(live) = sessions.get_mut(&id)
        {
            live.last_key = Instant::now();
        }
    }

    /// Session `id`'s client stopped answering: the session is gone (its screen ends as when the
    /// client leaves).
    fn lost(&self, id: u64) {
        if let Ok(mut sessions) = self.sessions.lock()
            && let Some(live) = sessions.remove(&id)
        {
            let _ = live.end.send(Input::Gone);
        }
    }

    /// Ends every session (the server is stopping).
    pub fn end_all(&self) {
        if let Ok(sessions) = self.sessions.lock() {
            for live in sessions.values() {
                let _ = live.end.send(Input::End(EndReason::Shutdown));
            }
        }
    }
}

/// The organiser's console lists the live sessions and ends one, as a second login of the same
/// judge does (the client is told why).
impl crate::app::sessions::Sessions for Room {
    fn list(&self) -> Vec<crate::app::sessions::SessionInfo> {
        use crate::app::sessions::{SessionInfo, SessionKind};
        let Ok(sessions) = self.sessions.lock() else {
            return Vec::new();
        };
        let mut list: Vec<(u64, &Live)> = sessions.iter().map(|(id, live)| (*id, live)).collect();
        list.sort_by_key(|(id, _)| *id);
        list.into_iter()
            .map(|(id, live)| SessionInfo {
                id,
                kind: match &live.who {
                    Who::Judge(judge) => SessionKind::Judge(judge.clone()),
                    Who::Organiser => SessionKind::Organiser,
                    Who::Projector => SessionKind::Projector,
                },
                address: live.address.map(|a| a.to_string()).unwrap_or_default(),
                since: live.since_clock.clone(),
                idle: live.last_key.elapsed(),
            })
            .collect()
    }

    fn end(&self, id: u64) -> bool {
        let Ok(mut sessions) = self.sessions.lock() else {
            return false;
        };
        match sessions.remove(&id) {
            Some(live) => {
                let _ = live.end.send(Input::End(EndReason::Ended));
                true
            }
            None => false,
        }
    }
}

/// The channel of a connection, once opened.
struct Open {
    id: ChannelId,
    size: Arc<SharedSize>,
    term: Option<String>,
    /// The screen's thread's input, once the shell has started.
    input: Option<std::sync::mpsc::Sender<Input>>,
}

/// The handler of one connection.
pub struct Connection {
    room: Arc<Room>,
    address: Option<SocketAddr>,
    who: Option<Who>,
    channel: Option<Open>,
    /// The room's number for this connection's session, once its screen runs.
    session_id: Option<u64>,
    /// Set when the connection is gone: its keepalives stop.
    gone: Arc<std::sync::atomic::AtomicBool>,
    /// The session's number once its screen runs, for the keepalives to end it.
    running: Arc<Mutex<Option<u64>>>,
}

impl Connection {
    pub fn new(room: Arc<Room>, address: Option<SocketAddr>) -> Connection {
        Connection {
            room,
            address,
            who: None,
            channel: None,
            session_id: None,
            gone: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            running: Arc::new(Mutex::new(None)),
        }
    }

    /// Keepalives, once logged in: every `room.keepalive` a request the client must answer (any
    /// answer will do: OpenSSH and PuTTY refuse it, as they refuse any request they do not know);
    /// after [`super::KEEPALIVE_MISSES`] unanswered in a row the session ends at once, as when the
    /// client leaves, and the connection is closed (russh then waits for the client's side to go,
    /// which the network's own timeout ends for a laptop that is really gone). Not sent during the
    /// login, where OpenSSH would end the connection at an unexpected message.
    fn start_keepalives(&self, handle: Handle) {
        let every = self.room.keepalive;
        let gone = self.gone.clone();
        let running = self.running.clone();
        let room = self.room.clone();
        tokio::spawn(async move {
            let mut missed = 0;
            // One every `every`, each answered before the next is due: a client gone is
            // dropped three periods after its last answer.
            let mut due = tokio::time::Instant::now() + every;
            loop {
                tokio::time::sleep_until(due).await;
                due += every;
                if gone.load(Ordering::Relaxed) {
                    break;
                }
                // A request for nothing that wants a reply; the reply (a refusal) is all we need.
                let asked = handle.cancel_forward_tcpip(String::new(), 0);
                match tokio::time::timeout_at(due, asked).await {
                    Ok(_) => missed = 0,
                    Err(_) => missed += 1,
                }
                if missed >= super::KEEPALIVE_MISSES {
                    if let Some(id) = running.lock().ok().and_then(|r| *r) {
                        room.lost(id);
                    }
                    let _ = handle
                        .disconnect(
                            russh::Disconnect::ByApplication,
                            "no answer to keepalives".into(),
                            "en".into(),
                        )
                        .await;
                    break;
                }
            }
        });
    }

    /// A refused login, leaving both methods open for another try (russh would otherwise drop the
    /// method just refused, and ssh could not ask for the password again).
    fn refuse() -> Auth {
        Auth::Reject {
            proceed_with_methods: Some(super::methods()),
            partial_success: false,
        }
    }

    async fn check(&mut self, user: &str, password: &str) -> Auth {
        let room = self.room.clone();
        let (user, password) = (user.to_string(), password.to_string());
        let ip = self.address.map(|a| a.ip());
        let checked = tokio::task::spawn_blocking(move || room.gate.check(&user, &password, ip)).await;
        match checked {
            Ok(Ok(Some(who))) => {
                self.who = Some(who);
                Auth::Accept
            }
            Ok(Err(e)) => {
                let lang = self.room.lang;
                eprintln!("{}", (texts(lang).login_unchecked)(&crate::i18n::cli::error(&e, lang)));
                Self::refuse()
            }
            _ => Self::refuse(),
        }
    }

    fn is_ours(&self, channel: ChannelId) -> bool {
        self.channel.as_ref().is_some_and(|c| c.id == channel)
    }

    /// Says `line` on the channel and closes it.
    fn say_and_close(session: &mut Session, channel: ChannelId, line: &str) -> Result<(), russh::Error> {
        session.data(channel, format!("{line}\r\n").into_bytes())?;
        session.exit_status_request(channel, 1)?;
        session.eof(channel)?;
        session.close(channel)
    }

    fn start_screen(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), russh::Error> {
        let t = texts(self.room.lang);
        let Some(who) = self.who.clone() else {
            return Self::say_and_close(session, channel, t.no_pty);
        };
        let Some(open) = self.channel.as_mut() else {
            return Ok(());
        };
        let (input_tx, input_rx) = std::sync::mpsc::channel::<Input>();
        let Some(session_id) = self.room.register(&who, self.address, input_tx.clone()) else {
            return Self::say_and_close(session, channel, &(t.full)(self.room.max_sessions));
        };
        open.input = Some(input_tx);
        self.session_id = Some(session_id);
        if let Ok(mut running) = self.running.lock() {
            *running = Some(session_id);
        }
        let size = open.size.clone();
        let mut context = self.room.context.clone();
        context.address = self.address.map(|a| a.to_string());
        // Colours follow the client's terminal: none on a dumb one; NO_COLOR on the server stays.
        if open
            .term
            .as_deref()
            .is_none_or(|term| term.is_empty() || term == "dumb")
        {
            context.no_color = true;
        }
        let runner = match &who {
            Who::Judge(id) => self.room.screens.judge(&context, id),
            Who::Organiser => self.room.screens.organiser(&context, self.room.clone()),
            Who::Projector => self.room.screens.projector(&context),
        };
        let (frames_tx, mut frames_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(FRAMES_QUEUED);
        let handle: Handle = session.handle();
        // The sender: frames to the client in order, then, when the screen's thread is done (every
        // frame sender dropped), the end of the channel.
        tokio::spawn(async move {
            while let Some(bytes) = frames_rx.recv().await {
                if handle.data(channel, bytes).await.is_err() {
                    break;
                }
            }
            let _ = handle.exit_status_request(channel, 0).await;
            let _ = handle.eof(channel).await;
            let _ = handle.close(channel).await;
        });
        let room = self.room.clone();
        let idle = room.idle;
        let lang = room.lang;
        let spawned = std::thread::Builder::new()
            .name(format!("jury-session-{session_id}"))
            .spawn(move || {
                below_the_writer();
                let backend = ChannelBackend::new(frames_tx, size.clone());
                let _ = backend.send_now(ENTER);
                let mut events = ChannelEvents::new(input_rx, size, idle);
                let mut last_words = Vec::new();
                match ratatui::Terminal::new(backend) {
                    Ok(mut terminal) => {
                        let outcome = runner(&mut terminal, &mut events);
                        let t = texts(lang);
                        let minutes = idle.as_secs().div_ceil(60);
                        let why = match &events.ended {
                            Some(EndReason::Replaced) => Some(t.replaced.to_string()),
                            Some(EndReason::Idle) => Some((t.idle)(minutes)),
                            Some(EndReason::Shutdown) => Some(t.shutdown.to_string()),
                            Some(EndReason::Ended) => Some(t.ended.to_string()),
                            None => None,
                        };
                        match outcome {
                            Ok(note) => last_words.extend(note),
                            Err(e) => last_words.push(format!("jury: {}", crate::i18n::cli::error(&e, lang))),
                        }
                        last_words.extend(why);
                        let backend = terminal.backend();
                        let mut bytes = LEAVE.to_vec();
                        for line in &last_words {
                            bytes.extend_from_slice(line.replace('\n', "\r\n").as_bytes());
                            bytes.extend_from_slice(b"\r\n");
                        }
                        let _ = backend.send_now(&bytes);
                    }
                    Err(e) => eprintln!(
                        "{}",
                        (texts(lang).session_failed)(&crate::i18n::cli_zhlast::io_or_en(&e, lang))
                    ),
                }
                room.unregister(session_id);
            });
        if let Err(e) = spawned {
            self.room.unregister(session_id);
            let lang = self.room.lang;
            return Self::say_and_close(
                session,
                channel,
                &format!("jury: {}", crate::i18n::cli_zhlast::io_or_en(&e, lang)),
            );
        }
        Ok(())
    }
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_succeeded(&mut self, session: &mut Session) -> Result<(), Self::Error> {
        self.start_keepalives(session.handle());
        Ok(())
    }

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Self::refuse())
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        Ok(self.check(user, password).await)
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        _offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(Self::refuse())
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        match response {
            None => Ok(Auth::Partial {
                name: "".into(),
                instructions: "".into(),
                prompts: vec![(texts(self.room.lang).prompt.into(), false)].into(),
            }),
            Some(mut answers) => {
                let answer = answers.next().map(|b| String::from_utf8_lossy(&b).into_owned());
                match answer {
                    Some(password) => Ok(self.check(user, &password).await),
                    None => Ok(Self::refuse()),
                }
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            // One screen per connection: dropping the reply refuses the channel.
            drop(reply);
            return Ok(());
        }
        self.channel = Some(Open {
            id: channel.id(),
            size: SharedSize::new(80, 24),
            term: None,
            input: None,
        });
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channel.as_mut() {
            Some(open) if open.id == channel && open.input.is_none() => {
                open.size.set_from_client(col_width, row_height);
                open.term = Some(term.to_string());
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    async fn shell_request(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), Self::Error> {
        let Some(open) = self.channel.as_ref().filter(|c| c.id == channel) else {
            return session.channel_failure(channel);
        };
        if open.input.is_some() {
            return session.channel_failure(channel);
        }
        if open.term.is_none() {
            session.channel_success(channel)?;
            return Self::say_and_close(session, channel, texts(self.room.lang).no_pty);
        }
        session.channel_success(channel)?;
        self.start_screen(channel, session)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Refused and closed: `ssh host ls` ends at once ("exec request failed"), never hangs.
        session.channel_failure(channel)?;
        if self.is_ours(channel) {
            let _ = Self::say_and_close(session, channel, texts(self.room.lang).no_pty);
        }
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        if self.is_ours(channel) {
            let _ = session.close(channel);
        }
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _variable_name: &str,
        _variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn agent_request(&mut self, channel: ChannelId, session: &mut Session) -> Result<bool, Self::Error> {
        session.channel_failure(channel)?;
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn streamlocal_forward(&mut self, _socket_path: &str, _session: &mut Session) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn data(&mut self, channel: ChannelId, data: &[u8], _session: &mut Session) -> Result<(), Self::Error> {
        if let Some(input) = self
            .channel
            .as_ref()
            .filter(|c| c.id == channel)
            .and_then(|c| c.input.as_ref())
        {
            let _ = input.send(Input::Data(data.to_vec()));
            if let Some(id) = self.session_id {
                self.room.touch(id);
            }
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(open) = self.channel.as_ref().filter(|c| c.id == channel) {
            open.size.set_from_client(col_width, row_height);
            let (columns, rows) = open.size.get();
            if let Some(input) = &open.input {
                let _ = input.send(Input::Resize(columns, rows));
            }
        }
        Ok(())
    }

    async fn channel_eof(&mut self, channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        self.hang_up(channel);
        Ok(())
    }

    async fn channel_close(&mut self, channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        self.hang_up(channel);
        Ok(())
    }
}

impl Connection {
    /// The client is gone: the screen's thread sees its input end and stops.
    fn hang_up(&mut self, channel: ChannelId) {
        if let Some(open) = self.channel.as_mut().filter(|c| c.id == channel)
            && let Some(input) = open.input.take()
        {
            let _ = input.send(Input::Gone);
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.gone.store(true, Ordering::Relaxed);
        if let Some(input) = self.channel.as_mut().and_then(|open| open.input.take()) {
            let _ = input.send(Input::Gone);
        }
    }
}

/// How much lower a session's thread runs than the rest of the server (its nice value raised
/// by this much, relative to what it inherited).
pub const SESSION_NICE: i32 = 5;

/// Lowers the calling session thread's priority by [`SESSION_NICE`], so that the one writer
/// (and the SSH I/O) gets a core as soon as it has work, ahead of 30 sessions drawing frames:
/// a commit then waits for the disk, not for a turn. Raising one's own nice value needs no
/// privilege. Linux only: there it changes only the calling thread; elsewhere it would lower
/// the whole server, so nothing is done.
pub fn below_the_writer() {
    #[cfg(target_os = "linux")]
    // SAFETY: nice(2) takes a plain number; on Linux it acts on the calling thread only.
    unsafe {
        let _ = libc::nice(SESSION_NICE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sessions::{SessionKind, Sessions};

    /// A session's thread runs below the writer: its own nice value goes up by SESSION_NICE
    /// (capped at 19), the thread that spawned it keeps its own.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_session_thread_lowers_only_its_own_priority_below_the_writer() {
        // SAFETY: getpriority(2) with PRIO_PROCESS and 0: the calling thread on Linux.
        let nice = || unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let here = nice();
        let (before, after) = std::thread::spawn(move || {
            let before = nice();
            below_the_writer();
            (before, nice())
        })
        .join()
        .unwrap();
        assert_eq!(before, here);
        assert_eq!(after, (before + SESSION_NICE).min(19));
        assert_eq!(nice(), here, "the spawning thread is not lowered");
    }
    use crate::serve::screens::RoomScreens;

    fn room(max: usize) -> Room {
        let context = SessionContext {
            db: "unused.jury".into(),
            lang: Lang::En,
            no_color: true,
            address: None,
            writer: None,
        };
        Room::new(
            Gate::new(std::path::Path::new("unused.jury"), "000000".into()),
            Arc::new(RoomScreens),
            context,
            Duration::from_secs(60),
            max,
        )
    }

    #[test]
    fn the_registry_lists_a_session_and_ending_it_tells_its_screen_why() {
        let room = room(8);
        let (tx, rx) = std::sync::mpsc::channel();
        let address: SocketAddr = "192.168.1.23:50122".parse().unwrap();
        let id = room.register(&Who::Judge("PW01".into()), Some(address), tx).unwrap();
        let (tx2, _rx2) = std::sync::mpsc::channel();
        let show = room.register(&Who::Projector, None, tx2).unwrap();
        let list = room.list();
        assert_eq!(list.len(), 2);
        assert_eq!(
            (list[0].id, &list[0].kind, list[0].address.as_str()),
            (id, &SessionKind::Judge("PW01".into()), "192.168.1.23:50122")
        );
        assert_eq!(list[0].since.len(), 8, "HH:MM:SS: {}", list[0].since);
        assert!(list[0].idle < Duration::from_secs(5));
        assert_eq!(
            (list[1].id, &list[1].kind, list[1].address.as_str()),
            (show, &SessionKind::Projector, "")
        );
        assert!(room.end(id));
        assert!(matches!(rx.try_recv(), Ok(Input::End(EndReason::Ended))));
        assert_eq!(room.list().iter().map(|s| s.id).collect::<Vec<_>>(), vec![show]);
        assert!(!room.end(id), "already gone");
    }

    #[test]
    fn a_key_resets_the_idle_time() {
        let room = room(8);
        let (tx, _rx) = std::sync::mpsc::channel();
        let id = room.register(&Who::Organiser, None, tx).unwrap();
        if let Ok(mut sessions) = room.sessions.lock() {
            sessions.get_mut(&id).unwrap().last_key = Instant::now() - Duration::from_secs(100);
        }
        assert!(room.list()[0].idle >= Duration::from_secs(100));
        room.touch(id);
        assert!(room.list()[0].idle < Duration::from_secs(5));
    }
}
