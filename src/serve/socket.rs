//! The local socket of `jury serve`: while the server runs, every writing command of another `jury`
//! process on the same workspace (`jury stage next`, `jury lock`, `jury import …` in another
//! terminal) is carried out by the server, so there is still one writer and the judges' screens
//! see the change at once.
//!
//! The socket is `<workspace>.sock` beside the workspace, a Unix domain socket made owner-only
//! (0600), and the server also checks the uid of every peer where the platform says it (Linux,
//! macOS, the BSDs). A socket file left by a killed server (nobody answers) is replaced at start; a
//! live one refuses the second server. It is removed when the server stops.
//!
//! The wire, both ways in frames: the client sends one request frame (JSON of
//! [`ForwardedCommand`], at most [`MAX_REQUEST`] bytes); the server answers with stdout and stderr
//! frames as the command prints, then one exit frame with the exit code. The server runs the
//! command with the command line's own code (a [`CommandHandler`] the command line gives when it
//! starts the server: this module knows no command), on the server's one writer.
//!
//! Elsewhere than Unix there is no socket and every command runs in its own process, as before.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::app::Store;
use crate::error::{Error, Result};

/// A command another `jury` process asks the server to carry out.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ForwardedCommand {
    /// The command line as typed, without the program's name.
    pub args: Vec<String>,
    /// The client's working folder: relative file names are read from there.
    pub cwd: PathBuf,
    /// The client's LC_ALL / LANG.
    pub locale: Option<String>,
    /// The organiser passphrase the client obtained (prompt, JURY_ORGANISER_PASS or the flag).
    pub organiser_pass: Option<String>,
    /// For `passwd --organiser`: the new passphrase, asked by the client.
    pub new_organiser_pass: Option<String>,
    /// The language the client resolved (`zh`/`en`, from its --lang and locale): the server
    /// answers in it. Absent from an older client: its locale above decides.
    #[serde(default)]
    pub lang: Option<String>,
}

/// Carries out a forwarded command on the given workspace, printing to `out` and `err` what a
/// local run prints; the exit code.
pub type CommandHandler = Arc<dyn Fn(ForwardedCommand, &Store, &mut dyn Write, &mut dyn Write) -> i32 + Send + Sync>;

/// The largest request a client may send.
pub const MAX_REQUEST: usize = 1 << 20;
/// The largest frame the client reads from the server.
#[cfg_attr(not(unix), allow(dead_code))]
const MAX_FRAME: usize = 1 << 20;
/// How long the server waits for a request after a connection is made.
#[cfg_attr(not(unix), allow(dead_code))]
const REQUEST_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
/// At most this many clients are served at once; more are turned away.
#[cfg_attr(not(unix), allow(dead_code))]
const MAX_CLIENTS: usize = 16;

#[cfg_attr(not(unix), allow(dead_code))]
const FRAME_REQUEST: u8 = 0;
#[cfg_attr(not(unix), allow(dead_code))]
const FRAME_OUT: u8 = 1;
#[cfg_attr(not(unix), allow(dead_code))]
const FRAME_ERR: u8 = 2;
#[cfg_attr(not(unix), allow(dead_code))]
const FRAME_EXIT: u8 = 3;

/// The socket's file: `<workspace>.sock` beside the workspace.
pub fn socket_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(".sock");
    PathBuf::from(name)
}

#[cfg_attr(not(unix), allow(dead_code))]
fn write_frame(w: &mut impl Write, kind: u8, data: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(data.len()).map_err(|_| std::io::Error::other("frame too long"))?;
    let mut frame = Vec::with_capacity(5 + data.len());
    frame.push(kind);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(data);
    w.write_all(&frame)
}

/// One frame, refused when longer than `max`; `None` at a clean end of the stream.
#[cfg_attr(not(unix), allow(dead_code))]
fn read_frame(r: &mut impl Read, max: usize) -> std::io::Result<Option<(u8, Vec<u8>)>> {
    let mut head = [0u8; 5];
    match r.read_exact(&mut head[..1]) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    r.read_exact(&mut head[1..])?;
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if len > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("a frame of {len} bytes (at most {max})"),
        ));
    }
    let mut data = Vec::new();
    r.take(len as u64).read_to_end(&mut data)?;
    if data.len() != len {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some((head[0], data)))
}

/// What the server sent back: printed on `out` and `err` as it came; the exit code.
#[cfg_attr(not(unix), allow(dead_code))]
fn receive(stream: &mut impl Read, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    loop {
        let Some((kind, data)) = read_frame(stream, MAX_FRAME)? else {
            return Err(crate::core::refusal::ServeRefusal::ServeEnded.into());
        };
        match kind {
            FRAME_OUT => {
                out.write_all(&data)?;
                out.flush()?;
            }
            FRAME_ERR => {
                err.write_all(&data)?;
                err.flush()?;
            }
            FRAME_EXIT if data.len() == 4 => return Ok(i32::from_be_bytes([data[0], data[1], data[2], data[3]])),
            _ => return Err(crate::core::refusal::ServeRefusal::Unreadable.into()),
        }
    }
}

#[cfg(unix)]
pub use unix::{Forwarder, Listening, connect, listen};

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::mpsc;

    use crate::app::writer::WriterHandle;

    /// A live server's socket, found by [`connect`]: the command is sent by [`Forwarder::send`].
    pub struct Forwarder {
        path: PathBuf,
    }

    /// The live server's socket for the workspace at `db`, if one answers (nothing is sent yet: the
    /// client asks for its passphrases before it sends). `None` when there is no socket file or
    /// nobody answers on it (a server that was killed): the command runs in this process.
    pub fn connect(db: &Path) -> Option<Forwarder> {
        let path = socket_path(db);
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_socket()) {
            return None;
        }
        UnixStream::connect(&path).ok()?;
        Some(Forwarder { path })
    }

    impl Forwarder {
        /// Send `command`, print what the server prints as it comes, and give back its exit code.
        pub fn send(self, command: &ForwardedCommand, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
            let request = serde_json::to_vec(command)
                .map_err(|e| Error::from(crate::core::refusal::ServeRefusal::CannotSend(e.to_string())))?;
            if request.len() > MAX_REQUEST {
                return Err(crate::core::refusal::ServeRefusal::TooLong { kb: MAX_REQUEST >> 10 }.into());
            }
            let mut stream = UnixStream::connect(&self.path).map_err(|e| {
                Error::from(crate::core::refusal::ServeRefusal::StoppedAnswering {
                    path: self.path.clone(),
                    detail: e.to_string(),
                })
            })?;
            write_frame(&mut stream, FRAME_REQUEST, &request)?;
            receive(&mut stream, out, err)
        }
    }

    /// The server's end: the socket file is removed when this is dropped.
    pub struct Listening {
        path: PathBuf,
        stop: Arc<AtomicBool>,
        identity: (u64, u64),
    }

    impl Drop for Listening {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            // Only our own socket file: a later server's is left alone.
            if let Ok(m) = std::fs::symlink_metadata(&self.path) {
                use std::os::unix::fs::MetadataExt;
                if (m.dev(), m.ino()) == self.identity {
                    // Wake the accepting thread so that it sees `stop`, then take the file away.
                    let _ = UnixStream::connect(&self.path);
                    let _ = std::fs::remove_file(&self.path);
                }
            }
        }
    }

    /// Whether the peer of `stream` runs as this process's user, where the platform can say.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(super) fn peer_is_owner(stream: &UnixStream) -> bool {
        use std::os::fd::AsRawFd;
        let mut cred = libc::ucred { pid: 0, uid: 0, gid: 0 };
        let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
        // SAFETY: `cred` and `len` are valid for writes of the sizes given; the fd is open.
        let done = unsafe {
            libc::getsockopt(
                stream.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_PEERCRED,
                (&mut cred as *mut libc::ucred).cast(),
                &mut len,
            )
        };
        // SAFETY: geteuid has no preconditions.
        done == 0 && cred.uid == unsafe { libc::geteuid() }
    }

    #[cfg(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "dragonfly"
    ))]
    pub(super) fn peer_is_owner(stream: &UnixStream) -> bool {
        use std::os::fd::AsRawFd;
        let (mut uid, mut gid) = (0, 0);
        // SAFETY: `uid` and `gid` are valid for writes; the fd is open.
        let done = unsafe { libc::getpeereid(stream.as_raw_fd(), &mut uid, &mut gid) };
        // SAFETY: geteuid has no preconditions.
        done == 0 && uid == unsafe { libc::geteuid() }
    }

    /// Elsewhere the socket file's mode (0600) is the check.
    #[cfg(not(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "dragonfly"
    )))]
    pub(super) fn peer_is_owner(_stream: &UnixStream) -> bool {
        true
    }

    /// Binds `path` owner-only: made under a umask that lets nobody else in, then set to 0600.
    fn bind_owner_only(path: &Path) -> std::io::Result<UnixListener> {
        // SAFETY: umask has no preconditions; the old mask is put back right after the bind.
        let old = unsafe { libc::umask(0o177) };
        let bound = UnixListener::bind(path);
        // SAFETY: as above.
        unsafe { libc::umask(old) };
        let listener = bound?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        Ok(listener)
    }

    /// Start listening on the workspace's socket, carrying out forwarded commands with `handler`
    /// on the server's one writer (`writer`, alone between its group commits). Refused when another server answers on the socket already; a
    /// socket file nobody answers on is replaced. `None`, with a warning, when the socket's name
    /// is too long for the system (about 100 bytes): other processes then write to the workspace
    /// themselves, as they do without a server.
    pub fn listen(
        db: &Path,
        handler: CommandHandler,
        writer: WriterHandle,
        lang: crate::i18n::Lang,
    ) -> Result<Option<Listening>> {
        let path = socket_path(db);
        if let Ok(m) = std::fs::symlink_metadata(&path) {
            if !m.file_type().is_socket() {
                return Err(crate::core::refusal::ServeRefusal::InTheWay(path.clone()).into());
            }
            if UnixStream::connect(&path).is_ok() {
                return Err(crate::core::refusal::ServeRefusal::AlreadyRunning(path.clone()).into());
            }
            // Left by a server that was killed.
            std::fs::remove_file(&path).map_err(|e| {
                Error::from(crate::core::refusal::ServeRefusal::CannotReplace {
                    path: path.clone(),
                    detail: e.to_string(),
                })
            })?;
        }
        let listener = match bind_owner_only(&path) {
            Ok(listener) => listener,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                eprintln!(
                    "{}",
                    (crate::i18n::serve::texts(lang).socket_too_long)(&path.display().to_string())
                );
                return Ok(None);
            }
            Err(e) => {
                return Err(crate::core::refusal::ServeRefusal::CannotListen {
                    on: path.display().to_string(),
                    detail: e.to_string(),
                }
                .into());
            }
        };
        let identity = {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::symlink_metadata(&path)?;
            (m.dev(), m.ino())
        };
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let clients = Arc::new(AtomicUsize::new(0));
        std::thread::Builder::new()
            .name("jury-socket".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    if stopped.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    if !peer_is_owner(&stream) {
                        continue;
                    }
                    if clients.fetch_add(1, Ordering::SeqCst) >= MAX_CLIENTS {
                        clients.fetch_sub(1, Ordering::SeqCst);
                        continue;
                    }
                    let (writer, handler, clients) = (writer.clone(), handler.clone(), clients.clone());
                    let spawned = std::thread::Builder::new()
                        .name("jury-socket-client".into())
                        .spawn(move || {
                            serve_client(stream, &writer, handler, lang);
                            clients.fetch_sub(1, Ordering::SeqCst);
                        });
                    if spawned.is_err() {
                        // The stream went with the closure: the client sees the connection end.
                        continue;
                    }
                }
            })
            .map_err(Error::Io)?;
        Ok(Some(Listening { path, stop, identity }))
    }

    /// A stdout or stderr of a forwarded command: every write becomes a frame for the client's
    /// thread to send. The writer never waits for a client (one that stops reading slows only
    /// itself); once the client has gone, the frames are dropped and the command ends as it
    /// would with it.
    struct FrameWriter {
        frames: mpsc::Sender<(u8, Vec<u8>)>,
        kind: u8,
    }

    impl Write for FrameWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let chunk = &buf[..buf.len().min(MAX_FRAME)];
            let _ = self.frames.send((self.kind, chunk.to_vec()));
            Ok(chunk.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// `lang`: the server's, for a request that cannot be read; a readable one is answered in the
    /// client's.
    fn serve_client(mut stream: UnixStream, writer: &WriterHandle, handler: CommandHandler, lang: crate::i18n::Lang) {
        let _ = stream.set_read_timeout(Some(REQUEST_WAIT));
        // A connection that sends nothing (a client looking whether the server is there) ends here.
        let Ok(Some((FRAME_REQUEST, request))) = read_frame(&mut stream, MAX_REQUEST) else {
            return;
        };
        let command: ForwardedCommand = match serde_json::from_slice(&request) {
            Ok(c) => c,
            Err(e) => {
                let text = format!(
                    "{}\n",
                    (crate::i18n::serve::texts(lang).request_unreadable)(&e.to_string())
                );
                let _ = write_frame(&mut stream, FRAME_ERR, text.as_bytes());
                let _ = write_frame(&mut stream, FRAME_EXIT, &2i32.to_be_bytes());
                return;
            }
        };
        let lang = crate::i18n::Lang::choose(command.lang.as_deref(), command.locale.as_deref());
        let (frames, to_send) = mpsc::channel::<(u8, Vec<u8>)>();
        let writer = writer.clone();
        // The command waits for its turn on the writer on a thread of its own, so that this one
        // sends what it prints as it prints it.
        let waiting = std::thread::Builder::new()
            .name("jury-socket-command".into())
            .spawn(move || {
                let (out, err) = (frames.clone(), frames.clone());
                let code = writer.exclusive(move |store| {
                    let mut out = FrameWriter {
                        frames: out,
                        kind: FRAME_OUT,
                    };
                    let mut err = FrameWriter {
                        frames: err,
                        kind: FRAME_ERR,
                    };
                    handler(command, store, &mut out, &mut err)
                });
                let code = code.unwrap_or_else(|e| {
                    let text = format!("jury: {}\n", crate::i18n::cli::error(&e, lang));
                    let _ = frames.send((FRAME_ERR, text.into_bytes()));
                    1
                });
                let _ = frames.send((FRAME_EXIT, code.to_be_bytes().to_vec()));
            });
        if waiting.is_err() {
            let text = format!("{}\n", crate::i18n::serve::texts(lang).no_more_commands);
            let _ = write_frame(&mut stream, FRAME_ERR, text.as_bytes());
            let _ = write_frame(&mut stream, FRAME_EXIT, &1i32.to_be_bytes());
            return;
        }
        // Until the exit frame, or until the client has gone (the command still runs to its end).
        for (kind, data) in to_send {
            if write_frame(&mut stream, kind, &data).is_err() || kind == FRAME_EXIT {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_peer_of_the_same_user_is_the_owner() {
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        assert!(unix::peer_is_owner(&a));
    }

    #[cfg(unix)]
    #[test]
    fn a_socket_name_too_long_for_the_system_serves_without_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("x".repeat(120));
        std::fs::create_dir(&deep).unwrap();
        let db = deep.join("contest.jury");
        let (file, source) = crate::core::rubric::template_source("competition").unwrap();
        crate::app::workspace::create_contest(&db, file, source, None).unwrap();
        let handler: CommandHandler = Arc::new(|_, _, _, _| 0);
        let writer = crate::app::writer::Writer::start(&db).unwrap();
        assert!(
            listen(&db, handler, writer.handle(), crate::i18n::Lang::En)
                .unwrap()
                .is_none()
        );
        assert!(!socket_path(&db).exists());
    }

    #[test]
    fn a_frame_longer_than_allowed_is_refused_before_it_is_read() {
        let mut bytes = vec![FRAME_REQUEST];
        bytes.extend_from_slice(&u32::MAX.to_be_bytes());
        let e = read_frame(&mut bytes.as_slice(), MAX_REQUEST).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        let mut ok = Vec::new();
        write_frame(&mut ok, FRAME_OUT, b"hello").unwrap();
        assert_eq!(
            read_frame(&mut ok.as_slice(), 16).unwrap(),
            Some((FRAME_OUT, b"hello".to_vec()))
        );
        // Cut short: an error, not a shorter frame.
        assert!(read_frame(&mut &ok[..7], 16).is_err());
        assert_eq!(read_frame(&mut &b""[..], 16).unwrap(), None);
    }

    #[test]
    fn the_answer_is_printed_as_it_came_and_gives_the_exit_code() {
        let mut wire = Vec::new();
        write_frame(&mut wire, FRAME_OUT, b"Locked * / *.\n").unwrap();
        write_frame(&mut wire, FRAME_ERR, b"warning\n").unwrap();
        write_frame(&mut wire, FRAME_EXIT, &3i32.to_be_bytes()).unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(receive(&mut wire.as_slice(), &mut out, &mut err).unwrap(), 3);
        assert_eq!(out, b"Locked * / *.\n");
        assert_eq!(err, b"warning\n");
        // No exit frame: an error saying so.
        let mut short = Vec::new();
        write_frame(&mut short, FRAME_OUT, b"x").unwrap();
        assert!(receive(&mut short.as_slice(), &mut Vec::new(), &mut Vec::new()).is_err());
    }
}
