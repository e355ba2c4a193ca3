//! `jury serve`: the meeting room over SSH. One process owns the workspace; judges, the organiser
//! and the projector connect with the ssh client their computer already has, and each connection
//! runs its own screen on its own thread ([`screens`]), drawn into the channel ([`backend`]) and fed
//! by the channel's decoded bytes ([`events`], [`input`]).
//!
//! Layers: serve uses tui, app, core and i18n; only the command line uses serve.

pub mod auth;
pub mod backend;
pub mod events;
pub mod hostkey;
pub mod input;
pub mod screens;
pub mod session;
pub mod socket;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use russh::MethodKind;
use russh::server::Server as _;

use crate::app::Store;
use crate::error::{Error, Result};
use crate::tui::Lang;

use auth::Gate;
use screens::{RoomScreens, ServeScreens, SessionContext};
use session::{Connection, Room};

/// How `jury serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    pub idle: Duration,
    /// How often keepalives go to every client ([`KEEPALIVE`]; shorter in tests).
    pub keepalive: Duration,
    pub max_sessions: usize,
    pub lang: Lang,
    /// Serve even when the workspace cannot be made owner-only (`--allow-shared-file`).
    pub allow_shared_file: bool,
    /// Where to write the writer's figures as JSON when the server stops (`--stats-file`, for
    /// the benchmark).
    pub stats_file: Option<PathBuf>,
}

/// Keepalives go to every logged-in client this often; a client that misses three is gone.
pub const KEEPALIVE: Duration = Duration::from_secs(15);
/// Keepalives a client may leave unanswered before its connection is closed.
pub const KEEPALIVE_MISSES: u32 = 3;

struct Listener {
    room: Arc<Room>,
}

impl russh::server::Server for Listener {
    type Handler = Connection;
    fn new_client(&mut self, address: Option<SocketAddr>) -> Connection {
        Connection::new(self.room.clone(), address)
    }
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Every address of this computer a judge could connect to for `listen`: the one given, or for an
/// unspecified address (0.0.0.0, ::) the machine's own, loopback last.
pub fn addresses(listen: &SocketAddr) -> Vec<IpAddr> {
    if !listen.ip().is_unspecified() {
        return vec![listen.ip()];
    }
    let v4_only = listen.is_ipv4();
    let mut found: Vec<IpAddr> = interface_addresses()
        .into_iter()
        .filter(|ip| !v4_only || ip.is_ipv4())
        .filter(|ip| match ip {
            // Link-local IPv6 needs a zone id that no judge should have to type.
            IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) != 0xfe80,
            IpAddr::V4(_) => true,
        })
        .collect();
    found.sort_by_key(|ip| (ip.is_loopback(), ip.is_ipv6()));
    found.dedup();
    found
}

#[cfg(unix)]
fn interface_addresses() -> Vec<IpAddr> {
    let mut out = Vec::new();
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `list` with a linked list that freeifaddrs releases; every node's
    // address pointer is checked for null and read only as the family it says it is.
    unsafe {
        if libc::getifaddrs(&mut list) != 0 {
            return out;
        }
        let mut node = list;
        while !node.is_null() {
            let addr = (*node).ifa_addr;
            if !addr.is_null() {
                match i32::from((*addr).sa_family) {
                    libc::AF_INET => {
                        let v4 = &*(addr as *const libc::sockaddr_in);
                        out.push(IpAddr::from(u32::from_be(v4.sin_addr.s_addr).to_be_bytes()));
                    }
                    libc::AF_INET6 => {
                        let v6 = &*(addr as *const libc::sockaddr_in6);
                        out.push(IpAddr::from(v6.sin6_addr.s6_addr));
                    }
                    _ => {}
                }
            }
            node = (*node).ifa_next;
        }
        libc::freeifaddrs(list);
    }
    out
}

#[cfg(not(unix))]
fn interface_addresses() -> Vec<IpAddr> {
    // The address the system would use to reach another network (nothing is sent).
    let mut out = vec![IpAddr::from([127, 0, 0, 1])];
    if let Ok(socket) = std::net::UdpSocket::bind("0.0.0.0:0")
        && socket.connect("192.0.2.1:9").is_ok()
        && let Ok(local) = socket.local_addr()
    {
        out.insert(0, local.ip());
    }
    out
}

fn host_text(ip: &IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => v6.to_string(),
    }
}

/// The host a judge types after `@`: the first address that is not loopback, else the first
/// (`HOST` when there is none), an IPv6 address in brackets. The banner and the connect cards
/// show the same.
pub fn connect_host(addresses: &[IpAddr]) -> String {
    let host = addresses
        .iter()
        .find(|ip| !ip.is_loopback())
        .or(addresses.first())
        .map(host_text)
        .unwrap_or_else(|| "HOST".to_string());
    if host.contains(':') { format!("[{host}]") } else { host }
}

/// The host a judge types for a server listening on every address at `port` (what `serve`
/// shows by default).
pub fn default_connect_host(port: u16) -> String {
    connect_host(&addresses(&SocketAddr::from(([0, 0, 0, 0], port))))
}

/// What `serve` prints when it starts: the addresses, the fingerprint, how to connect from each
/// platform, the projector code.
pub fn banner(options: &ServeOptions, addresses: &[IpAddr], fingerprint: &str, code: &str) -> String {
    let t = crate::i18n::serve::texts(options.lang);
    let port = options.listen.port();
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line((t.title)(port));
    line(t.addresses.to_string());
    if addresses.is_empty() {
        line(t.no_address.to_string());
    }
    for ip in addresses {
        line(format!("  {}", host_text(ip)));
    }
    line((t.fingerprint)(fingerprint));
    line(t.fingerprint_hint.to_string());
    let host = connect_host(addresses);
    line(t.how.to_string());
    for platform in [t.windows, t.mac, t.linux] {
        line(format!("  {platform} {}", (t.judge_line)(port, &host)));
    }
    line((t.organiser_line)(port, &host));
    line((t.show_line)(port, &host, code));
    line((t.limits)(options.idle.as_secs() / 60, options.max_sessions));
    line(t.stop.to_string());
    out
}

/// The login methods offered: password and keyboard-interactive, nothing else.
pub(crate) fn methods() -> russh::MethodSet {
    russh::MethodSet::from(&[MethodKind::Password, MethodKind::KeyboardInteractive][..])
}

/// The server's SSH configuration: the host key, password and keyboard-interactive logins only.
/// Keepalives are not russh's: its timer runs from the first byte, and OpenSSH ends a login that
/// receives one while the judge is still typing the PIN ("bad message during authentication:
/// type 80"); they start once logged in ([`session`]). Refusals are not delayed by a fixed time: a refused login does the same work as an
/// accepted one ([`crate::app::login`]).
fn config(key: russh::keys::PrivateKey) -> russh::server::Config {
    russh::server::Config {
        keys: vec![key],
        methods: methods(),
        auth_rejection_time: Duration::ZERO,
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        keepalive_interval: None,
        // Idle sessions are ended by the screens' event source (keys only count); a laptop that
        // went away misses the keepalives (sent once logged in).
        inactivity_timeout: None,
        nodelay: true,
        channel_buffer_size: 32,
        ..Default::default()
    }
}

/// `jury serve`: prints how to connect, then serves until stopped.
pub fn serve(db: &Path, options: ServeOptions) -> Result<()> {
    serve_with(db, options, Arc::new(RoomScreens))
}

/// The workspace file and its -wal and -shm files, readable and writable by their owner only:
/// nobody but the server reads the scores or the PIN hashes (SQLite gives the -wal and -shm files
/// it makes later the database file's mode). Refused, nothing changed, when a file cannot be made
/// so (another account's file, a file system without Unix modes), unless `allow_shared`, which
/// only warns. The host key is made owner-only by [`hostkey`].
#[cfg(unix)]
fn owner_only(db: &Path, allow_shared: bool, lang: Lang) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let t = crate::i18n::serve::texts(lang);
    let mut files = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    for file in files.iter().filter(|f| f.exists()) {
        let made = std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
            .and_then(|()| std::fs::metadata(file))
            .map_err(|e| match lang {
                Lang::En => e.to_string(),
                Lang::Zh => crate::i18n::cli_zhlast::io_zh(&e),
            })
            .and_then(|m| {
                let mode = m.permissions().mode() & 0o777;
                if mode & 0o077 == 0 {
                    Ok(())
                } else {
                    Err((t.stays_mode)(&format!("{mode:o}")))
                }
            });
        if let Err(why) = made {
            if !allow_shared {
                return Err(crate::core::refusal::ServeRefusal::SharedFile {
                    path: file.clone(),
                    why,
                }
                .into());
            }
            eprintln!("{}", (t.shared_file_warning)(&file.display().to_string(), &why));
        }
    }
    Ok(())
}

/// Elsewhere the file's protection is the operating system's folder permissions.
#[cfg(not(unix))]
fn owner_only(_db: &Path, _allow_shared: bool, _lang: Lang) -> Result<()> {
    Ok(())
}

/// [`serve`], and while it runs every writing command of another `jury` process on the workspace
/// is carried out here by `commands`, through the local socket ([`socket`]; Unix only).
pub fn serve_commands(db: &Path, options: ServeOptions, commands: socket::CommandHandler) -> Result<()> {
    serve_full(db, options, Arc::new(RoomScreens), Some(commands))
}

/// [`serve`] with the given screens.
pub fn serve_with(db: &Path, options: ServeOptions, screens: Arc<dyn ServeScreens>) -> Result<()> {
    serve_full(db, options, screens, None)
}

/// Caps glibc's malloc arenas at two (the machine's cores in a room laptop), before the server's
/// threads start: by default every thread that allocates may get an arena of its own, and thirty
/// judges logging in at once left about 236 MB of freed memory held in them at 100k entries
/// (docs/performance.md, section 5b: 882 MB peak without the cap, 646 MB with it). And it fixes
/// the size from which a block gets pages of its own ([`MMAP_THRESHOLD`]): glibc raises that
/// threshold by itself up to 32 MB once a large block is freed, after which every session's
/// multi-megabyte lists (its rows, read and sorted at login) were carved from the arenas and kept
/// there once freed (599 MB held after 30 logins at 100k, 318 MB with the threshold fixed; round
/// five, second pass). `true` when both are set; elsewhere (musl, macOS, Windows) the allocator is
/// left as it is.
fn limit_allocator_arenas() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt takes two plain integers and only changes the allocator's settings.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2) == 1 && libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

/// Blocks of this many bytes and more get pages of their own, given back when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: i32 = 1024 * 1024;

/// [`serve_with`], with the local socket for other processes' writing commands when `commands`
/// is given.
pub fn serve_full(
    db: &Path,
    options: ServeOptions,
    screens: Arc<dyn ServeScreens>,
    commands: Option<socket::CommandHandler>,
) -> Result<()> {
    limit_allocator_arenas();
    owner_only(db, options.allow_shared_file, options.lang)?;
    let store = Store::open(db)?;
    // The full check of every page, which opening leaves out: here it costs no judge anything.
    store.full_check()?;
    store.rubric()?;
    drop(store);
    // The one write connection of this process; the sessions only read on theirs.
    let writer = crate::app::writer::Writer::start(db)?;
    #[cfg(unix)]
    {
        // A client (ssh, or a process on the socket) that goes away must not end the server: its
        // write fails instead.
        // SAFETY: SIG_IGN is a valid action for SIGPIPE.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        }
    }
    // Removed again when the server stops (this is dropped at the end).
    #[cfg(unix)]
    let _socket = match commands {
        Some(handler) => socket::listen(db, handler, writer.handle(), options.lang)?,
        None => None,
    };
    #[cfg(not(unix))]
    drop(commands);
    let key = hostkey::load_or_create(db)?;
    let fingerprint = hostkey::fingerprint(&key);
    let code = auth::projector_code();
    let context = SessionContext {
        db: PathBuf::from(db),
        lang: options.lang,
        no_color: no_color(),
        address: None,
        writer: Some(writer.handle()),
    };
    let mut room = Room::new(
        Gate::new(db, code.clone()).with_writer(writer.handle()),
        screens,
        context,
        options.idle,
        options.max_sessions.max(1),
    );
    room.keepalive = options.keepalive;
    let room = Arc::new(room);
    // The dummy hash for refused logins, made before the first one.
    crate::app::login::warm_up();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::Io)?;
    runtime.block_on(async move {
        let socket = tokio::net::TcpListener::bind(options.listen).await.map_err(|e| {
            Error::from(crate::core::refusal::ServeRefusal::CannotListen {
                on: options.listen.to_string(),
                detail: e.to_string(),
            })
        })?;
        let shown = banner(&options, &addresses(&options.listen), &fingerprint, &code);
        print!("{shown}");
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        let mut listener = Listener { room: room.clone() };
        let server = listener.run_on_socket(Arc::new(config(key)), &socket);
        let stop = server.handle();
        tokio::pin!(server);
        let served = tokio::select! {
            served = &mut server => served,
            _ = stop_signal() => {
                // Ctrl-C or SIGTERM: every screen says why it ends and gives its terminal back first.
                room.end_all();
                let deadline = std::time::Instant::now() + Duration::from_secs(3);
                while room.session_count() > 0 && std::time::Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                // Let the last frames reach the clients.
                tokio::time::sleep(Duration::from_millis(200)).await;
                stop.shutdown(crate::i18n::serve::texts(options.lang).stopping.into());
                Ok(())
            }
        };
        room.end_all();
        if let Some(file) = &options.stats_file {
            write_stats(file, &writer.handle().stats())?;
        }
        served.map_err(Error::Io)
    })
}

/// Ctrl-C, or SIGTERM on Unix (a service manager stopping the server).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The writer's figures, as `--stats-file` asks: one JSON object.
fn write_stats(file: &Path, stats: &crate::app::writer::WriterStats) -> Result<()> {
    std::fs::write(file, format!("{}\n", stats.to_json())).map_err(|e| {
        crate::core::refusal::ServeRefusal::CannotWriteStats {
            path: file.to_path_buf(),
            detail: e.to_string(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn the_server_caps_the_allocators_arenas() {
        assert!(super::limit_allocator_arenas());
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn a_large_block_gets_pages_of_its_own_even_after_one_was_freed() {
        // Run in a process of its own: in this one the other tests leave large free chunks in
        // the arenas, and glibc serves a large block from those before it ever asks for pages.
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "serve::tests::large_block_probe",
                "--test-threads=1",
                "--nocapture",
            ])
            .env("JURY_LARGE_BLOCK_PROBE", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("large blocks: own pages 4 of 4"), "{text}");
    }

    /// The probe of the test above, in a fresh process (does nothing unless asked to).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn large_block_probe() {
        if std::env::var_os("JURY_LARGE_BLOCK_PROBE").is_none() {
            return;
        }
        // Without a fixed threshold glibc raises it past a block it frees: a smaller block after
        // it would come from the arena and stay there when freed. A block with pages of its own
        // starts 16 bytes into a page (glibc's chunk header after the mapping's start).
        assert!(super::limit_allocator_arenas());
        let threshold = super::MMAP_THRESHOLD as usize;
        let mut own = 0;
        for _ in 0..4 {
            drop(std::hint::black_box(vec![1u8; 4 * threshold]));
            let second = std::hint::black_box(vec![2u8; 3 * threshold]);
            own += usize::from(second.as_ptr() as usize % 4096 == 16);
        }
        println!("large blocks: own pages {own} of 4");
    }

    #[cfg(unix)]
    #[test]
    fn the_workspace_and_its_wal_and_shm_files_become_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("room.jury");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        for name in ["room.jury", "room.jury-wal", "room.jury-shm"] {
            let path = dir.path().join(name);
            std::fs::write(&path, b"x").unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
        }
        owner_only(&db, false, Lang::En).unwrap();
        for name in ["room.jury", "room.jury-wal", "room.jury-shm"] {
            assert_eq!(mode(&dir.path().join(name)), 0o600, "{name}");
        }
        // A missing -wal or -shm is no problem (SQLite makes them later with the file's mode).
        std::fs::remove_file(dir.path().join("room.jury-shm")).unwrap();
        owner_only(&db, false, Lang::En).unwrap();
    }

    #[test]
    fn the_banner_names_the_addresses_the_fingerprint_each_platform_and_the_code() {
        let options = ServeOptions {
            listen: "0.0.0.0:2222".parse().unwrap(),
            idle: Duration::from_secs(30 * 60),
            keepalive: KEEPALIVE,
            max_sessions: 64,
            lang: Lang::En,
            allow_shared_file: false,
            stats_file: None,
        };
        let ips: Vec<IpAddr> = vec!["192.168.1.5".parse().unwrap(), "127.0.0.1".parse().unwrap()];
        let text = banner(&options, &ips, "SHA256:abc", "042517");
        assert!(text.contains("  192.168.1.5\n  127.0.0.1\n"), "{text}");
        assert!(text.contains("Host key fingerprint: SHA256:abc"), "{text}");
        assert!(text.contains("Windows 10/11 (Windows Terminal, or PowerShell): ssh -p 2222 PW01@192.168.1.5"));
        assert!(text.contains("macOS (Terminal): ssh -p 2222 PW01@192.168.1.5"));
        assert!(text.contains("Linux (a terminal): ssh -p 2222 PW01@192.168.1.5"));
        assert!(text.contains("ssh -p 2222 organiser@192.168.1.5"));
        assert!(text.contains("ssh -p 2222 show@192.168.1.5, projector code 042517"));
        assert!(text.contains("30 minutes") && text.contains("64 sessions"));
        let zh = banner(
            &ServeOptions {
                lang: Lang::Zh,
                ..options
            },
            &ips,
            "SHA256:abc",
            "042517",
        );
        assert!(
            zh.contains("主机密钥指纹：SHA256:abc") && zh.contains("投影码 042517"),
            "{zh}"
        );
    }

    #[test]
    fn a_listen_address_given_is_the_one_shown() {
        let listen: SocketAddr = "127.0.0.1:2300".parse().unwrap();
        assert_eq!(addresses(&listen), vec![IpAddr::from([127, 0, 0, 1])]);
        let all = addresses(&"0.0.0.0:2222".parse().unwrap());
        assert!(all.iter().all(IpAddr::is_ipv4));
        assert!(all.contains(&IpAddr::from([127, 0, 0, 1])), "{all:?}");
        assert!(all.last().is_some_and(IpAddr::is_loopback) || all.is_empty());
    }
}
