//! The screen's event source over an SSH channel: the bytes, window changes and orders to end that
//! the connection's handler passes on, decoded into the runtime's events on the screen's thread.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::tui::runtime::{Event, EventSource};

use super::backend::SharedSize;
use super::input::Decoder;

/// Why a session is ended by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndReason {
    /// The same judge logged in again elsewhere.
    Replaced,
    /// No key for the organiser's idle time.
    Idle,
    /// The server is stopping.
    Shutdown,
    /// The organiser ended it from the console.
    Ended,
}

/// What the connection's handler passes to the screen's thread.
#[derive(Debug)]
pub enum Input {
    Data(Vec<u8>),
    Resize(u16, u16),
    End(EndReason),
    /// The client left (the channel or the connection closed).
    Gone,
}

/// How long a lone ESC (or the start of an escape sequence) at the end of a read waits for the
/// rest before it counts as the Esc key.
const ESCAPE_WAIT: Duration = Duration::from_millis(15);

pub struct ChannelEvents {
    rx: Receiver<Input>,
    decoder: Decoder,
    queue: VecDeque<Event>,
    /// A message taken while gathering bytes, handled next.
    held: Option<Input>,
    size: Arc<SharedSize>,
    idle: Duration,
    last_input: Instant,
    /// Why the source ended, when the server ended it (`None`: the client left or is still here).
    pub ended: Option<EndReason>,
}

impl ChannelEvents {
    pub fn new(rx: Receiver<Input>, size: Arc<SharedSize>, idle: Duration) -> ChannelEvents {
        ChannelEvents {
            rx,
            decoder: Decoder::new(),
            queue: VecDeque::new(),
            held: None,
            size,
            idle,
            last_input: Instant::now(),
            ended: None,
        }
    }

    fn end(&mut self, reason: Option<EndReason>) -> Error {
        self.ended = reason;
        crate::core::refusal::ServeRefusal::ConnectionEnded.into()
    }

    fn receive(&mut self, wait: Duration) -> std::result::Result<Input, RecvTimeoutError> {
        match self.held.take() {
            Some(input) => Ok(input),
            None => self.rx.recv_timeout(wait),
        }
    }

    /// Decodes `first` and every read already waiting behind it, in one go.
    fn decode(&mut self, first: Vec<u8>) {
        let mut bytes = first;
        loop {
            match self.rx.try_recv() {
                Ok(Input::Data(more)) => bytes.extend_from_slice(&more),
                Ok(other) => {
                    self.held = Some(other);
                    break;
                }
                Err(_) => break,
            }
        }
        // An escape near the end may be cut off: wait a moment for the rest.
        let cut = bytes.iter().rev().take(8).any(|&b| b == 0x1b);
        let events = self.decoder.feed(&bytes, cut);
        self.queue.extend(events);
        if cut {
            match (self.held.is_none()).then(|| self.rx.recv_timeout(ESCAPE_WAIT)) {
                Some(Ok(Input::Data(rest))) => {
                    let events = self.decoder.feed(&rest, false);
                    self.queue.extend(events);
                }
                Some(Ok(other)) => {
                    self.held = Some(other);
                    let events = self.decoder.feed(&[], false);
                    self.queue.extend(events);
                }
                _ => {
                    let events = self.decoder.feed(&[], false);
                    self.queue.extend(events);
                }
            }
        }
    }
}

impl EventSource for ChannelEvents {
    fn next(&mut self, timeout: Duration) -> Result<Option<Event>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(event) = self.queue.pop_front() {
                return Ok(Some(event));
            }
            let idle_left = self.idle.saturating_sub(self.last_input.elapsed());
            if idle_left.is_zero() {
                return Err(self.end(Some(EndReason::Idle)));
            }
            let wait = deadline.saturating_duration_since(Instant::now()).min(idle_left);
            match self.receive(wait) {
                Ok(Input::Data(bytes)) => {
                    self.last_input = Instant::now();
                    self.decode(bytes);
                }
                Ok(Input::Resize(columns, rows)) => {
                    self.size.set(columns, rows);
                    return Ok(Some(Event::Resize(columns, rows)));
                }
                Ok(Input::End(reason)) => return Err(self.end(Some(reason))),
                Ok(Input::Gone) => return Err(self.end(None)),
                Err(RecvTimeoutError::Timeout) => {
                    if Instant::now() >= deadline && !self.idle.saturating_sub(self.last_input.elapsed()).is_zero() {
                        return Ok(None);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.end(None)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent};

    fn source(idle: Duration) -> (std::sync::mpsc::Sender<Input>, ChannelEvents) {
        let (tx, rx) = std::sync::mpsc::channel();
        (tx, ChannelEvents::new(rx, SharedSize::new(80, 24), idle))
    }

    #[test]
    fn bytes_become_keys_a_window_change_a_resize_and_a_lone_escape_the_esc_key() {
        let (tx, mut events) = source(Duration::from_secs(60));
        tx.send(Input::Data(b"8".to_vec())).unwrap();
        tx.send(Input::Data(b"\x1b".to_vec())).unwrap();
        tx.send(Input::Resize(100, 30)).unwrap();
        let key = |c| Some(Event::Key(KeyEvent::from(c)));
        assert_eq!(events.next(Duration::ZERO).unwrap(), key(KeyCode::Char('8')));
        assert_eq!(events.next(Duration::ZERO).unwrap(), key(KeyCode::Esc));
        assert_eq!(events.next(Duration::ZERO).unwrap(), Some(Event::Resize(100, 30)));
        assert_eq!(events.size.get(), (100, 30));
        assert_eq!(events.next(Duration::from_millis(5)).unwrap(), None);
        drop(tx);
        assert!(events.next(Duration::ZERO).is_err());
        assert_eq!(events.ended, None, "the client left");
    }

    #[test]
    fn an_idle_session_ends_and_so_does_one_the_server_ends() {
        let (_tx, mut events) = source(Duration::from_millis(30));
        let started = Instant::now();
        loop {
            match events.next(Duration::from_millis(10)) {
                Ok(None) => assert!(started.elapsed() < Duration::from_secs(5)),
                Ok(Some(e)) => panic!("{e:?}"),
                Err(_) => break,
            }
        }
        assert_eq!(events.ended, Some(EndReason::Idle));
        let (tx, mut events) = source(Duration::from_secs(60));
        tx.send(Input::End(EndReason::Replaced)).unwrap();
        assert!(events.next(Duration::from_secs(1)).is_err());
        assert_eq!(events.ended, Some(EndReason::Replaced));
    }
}
