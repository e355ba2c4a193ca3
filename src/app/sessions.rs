//! Who is connected to the meeting room (`jury serve`), as the organiser's console sees it: plain
//! values and a small trait that the server implements, so the console knows nothing of SSH. A
//! console on a local terminal has none ("not serving").

use std::time::Duration;

/// What kind of login a session is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionKind {
    /// A judge, by the id as the workspace spells it.
    Judge(String),
    Organiser,
    Projector,
}

/// One live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The server's number for it (what [`Sessions::end`] takes).
    pub id: u64,
    pub kind: SessionKind,
    /// The client's address as the server saw it (empty when unknown).
    pub address: String,
    /// When it logged in, local time `HH:MM:SS`.
    pub since: String,
    /// Since its last key.
    pub idle: Duration,
}

/// The live sessions of a server.
pub trait Sessions: Send + Sync {
    /// Every live session, oldest first.
    fn list(&self) -> Vec<SessionInfo>;
    /// End session `id` (its client is told why); `false` when it is no longer there.
    fn end(&self, id: u64) -> bool;
}
