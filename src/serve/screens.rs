//! What each kind of login sees: the one place that says which screen runs for a judge, the
//! organiser and the projector. The server knows only [`ServeScreens`]; the implementation here,
//! [`RoomScreens`], runs the same pure screens and effect runners as a local terminal does
//! (`tui::judge::open`, the console and its `ConsoleRunner`, the projector and its `Runner`), each
//! on the session's own workspace connection for reading, through [`runtime::run`]; their writes go
//! through the server's one writer ([`crate::app::writer`]) when the context names it.

use ratatui::Terminal;
use std::path::PathBuf;
use std::sync::Arc;

use crate::app::Store;
use crate::app::judging::Writes;
use crate::app::sessions::Sessions;
use crate::app::writer::WriterHandle;
use crate::error::Result;
use crate::tui::console::runner::ConsoleRunner;
use crate::tui::console::{Console, ConsoleOptions};
use crate::tui::projector::{Projector, Runner as BoardRunner};
use crate::tui::runtime;
use crate::tui::{Lang, Options};

use super::backend::ChannelBackend;
use super::events::ChannelEvents;

/// The terminal of one SSH session.
pub type SessionTerminal = Terminal<ChannelBackend>;

/// A screen ready to run on a session's terminal and events, on the session's own thread. It
/// returns a line to show once the screen is gone (what happened to a value being typed), if any.
pub type Runner = Box<dyn FnOnce(&mut SessionTerminal, &mut ChannelEvents) -> Result<Option<String>> + Send>;

/// What a session's screen needs to know.
#[derive(Debug, Clone)]
pub struct SessionContext {
    pub db: PathBuf,
    pub lang: Lang,
    /// `NO_COLOR` on the server, or a client terminal without colours (`TERM=dumb`).
    pub no_color: bool,
    /// The client's address (ip:port), named in every audit row the session writes.
    pub address: Option<String>,
    /// The server's one writer: every write of every session goes through it (`None`: each
    /// screen writes on its own connection, as on a local terminal).
    pub writer: Option<WriterHandle>,
}

/// The screens of the meeting room, one per kind of login.
pub trait ServeScreens: Send + Sync {
    /// The judges' screen for `judge` (the id as the workspace spells it), already logged in.
    fn judge(&self, context: &SessionContext, judge: &str) -> Runner;
    /// The organiser's console, the passphrase already checked; `sessions`: the server's live
    /// sessions, which the console lists and can end.
    fn organiser(&self, context: &SessionContext, sessions: Arc<dyn Sessions>) -> Runner;
    /// The projector.
    fn projector(&self, context: &SessionContext) -> Runner;
}

/// The page cache of a judge's session's read connection, in KiB.
const SESSION_CACHE_KIB: i64 = 256;

/// How many sessions read their first screen at once. Thirty judges logging in together each
/// read and sort their list (some 8 MB at 100k entries, let go once the screen is made): all at
/// once, that was the server's peak memory (about 250 MB over what the sessions then keep); on a
/// room laptop's two cores they are not done sooner for it.
pub const OPENING_AT_ONCE: usize = 2;

/// Lets at most [`OPENING_AT_ONCE`] sessions make their first screen at the same time.
pub struct OpeningGate {
    open: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
    limit: usize,
}

/// Held while a session makes its first screen ([`OpeningGate::enter`]).
pub struct Opening<'g>(&'g OpeningGate);

impl OpeningGate {
    pub const fn new(limit: usize) -> OpeningGate {
        OpeningGate {
            open: std::sync::Mutex::new(0),
            freed: std::sync::Condvar::new(),
            limit,
        }
    }

    /// Wait until fewer than the limit are making theirs.
    pub fn enter(&self) -> Opening<'_> {
        // A poisoned lock only means a session panicked while it counted: the count is whole.
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        while *open >= self.limit.max(1) {
            open = self.freed.wait(open).unwrap_or_else(|p| p.into_inner());
        }
        *open += 1;
        Opening(self)
    }
}

impl Drop for Opening<'_> {
    fn drop(&mut self) {
        let mut open = self.0.open.lock().unwrap_or_else(|p| p.into_inner());
        *open = open.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

/// The server's one gate for first screens.
static OPENING: OpeningGate = OpeningGate::new(OPENING_AT_ONCE);

/// The room's screens: the judges' screen, the console and the projector.
#[derive(Debug, Default, Clone, Copy)]
pub struct RoomScreens;

impl ServeScreens for RoomScreens {
    fn judge(&self, context: &SessionContext, judge: &str) -> Runner {
        let context = context.clone();
        let judge = judge.to_string();
        Box::new(move |terminal, events| {
            let opening = OPENING.enter();
            let store = Store::open(&context.db)?;
            // The entries are read once for all sessions (`app::judging`): a session's own reads
            // are small, and 30 connections of 2 MB caches add up.
            store.smaller_cache(SESSION_CACHE_KIB)?;
            let options = Options {
                judge: Some(judge),
                // The PIN was checked by the server (with the library's rate limit).
                trusted: true,
                no_color: context.no_color,
                address: context.address.clone(),
                writes: context.writer.clone().map_or(Writes::Local, Writes::Writer),
                ..Options::new(context.lang)
            };
            let (mut screen, mut runner) = crate::tui::judge::open(&store, options)?;
            drop(opening);
            // The loop ends with an error when the connection goes: the normal way out here.
            let _ = runtime::run(terminal, events, &mut screen, &mut runner);
            Ok(screen.exit_note.take())
        })
    }

    fn organiser(&self, context: &SessionContext, sessions: Arc<dyn Sessions>) -> Runner {
        let context = context.clone();
        Box::new(move |terminal, events| {
            let store = Store::open(&context.db)?;
            let contest = crate::app::progress::contest(&store)?;
            let options = ConsoleOptions {
                no_color: context.no_color,
                // The passphrase was checked by the server (with the library's rate limit).
                trusted: true,
                ..ConsoleOptions::new(context.lang)
            };
            let mut screen = Console::new(contest, options);
            let mut runner = ConsoleRunner::new(&store)
                .from_address(context.address.as_deref())
                .with_sessions(Some(sessions))
                .with_writer(context.writer.clone());
            let _ = runtime::run(terminal, events, &mut screen, &mut runner);
            Ok(None)
        })
    }

    fn projector(&self, context: &SessionContext) -> Runner {
        let context = context.clone();
        Box::new(move |terminal, events| {
            let store = Store::open(&context.db)?;
            let mut runner = BoardRunner::new(&store);
            let mut screen = Projector::new(runner.first()?, context.lang, context.no_color);
            let _ = runtime::run(terminal, events, &mut screen, &mut runner);
            Ok(None)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn no_more_than_the_limit_make_their_first_screen_at_once() {
        let gate = OpeningGate::new(2);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    let _opening = gate.enter();
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    inside.fetch_sub(1, Ordering::SeqCst);
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(done.load(Ordering::SeqCst), 8);
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}
