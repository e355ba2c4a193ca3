//! The screens' output over an SSH channel: a ratatui backend that writes crossterm's escape
//! sequences into a buffer and hands each finished frame to the channel's sender through a bounded
//! queue. The size is the client's (`pty-req`, `window-change`), never the server's terminal.
//!
//! A slow client never slows the others, nor grows the server's memory: when its queue is full the
//! frame is dropped, and the next frame that fits is a whole repaint from the backend's own copy
//! of the screen, so the client's picture is right again as soon as it catches up.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use tokio::sync::mpsc::Sender;
use tokio::sync::mpsc::error::TrySendError;

/// How many frames may wait for a slow client before frames are dropped.
pub const FRAMES_QUEUED: usize = 8;

/// The client's terminal size, set by the SSH handler and read by the backend.
#[derive(Debug)]
pub struct SharedSize(AtomicU32);

impl SharedSize {
    pub fn new(columns: u16, rows: u16) -> Arc<SharedSize> {
        let s = Arc::new(SharedSize(AtomicU32::new(0)));
        s.set(columns, rows);
        s
    }

    /// A size from the client, clamped to what a terminal can be (at least 1 by 1).
    pub fn set_from_client(&self, columns: u32, rows: u32) {
        let clamp = |v: u32| u16::try_from(v).unwrap_or(u16::MAX).clamp(1, 1000);
        self.set(clamp(columns), clamp(rows));
    }

    pub fn set(&self, columns: u16, rows: u16) {
        self.0
            .store((u32::from(columns) << 16) | u32::from(rows), Ordering::Relaxed);
    }

    pub fn get(&self) -> (u16, u16) {
        let v = self.0.load(Ordering::Relaxed);
        ((v >> 16) as u16, (v & 0xffff) as u16)
    }
}

/// What crossterm writes: kept until the frame is flushed.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Sets the client's terminal up for a screen: the alternate screen, bracketed paste, a clean page.
pub const ENTER: &[u8] = b"\x1b[?1049h\x1b[?2004h\x1b[0m\x1b[2J\x1b[H";
/// Leaves it as it was: bracketed paste off, the cursor shown, colours reset, the main screen back.
pub const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?25h\x1b[0m\x1b[?1049l";

/// The backend of one SSH session's screen.
pub struct ChannelBackend {
    inner: CrosstermBackend<Sink>,
    sink: Sink,
    frames: Sender<Vec<u8>>,
    size: Arc<SharedSize>,
    /// What the client shows once every frame so far has arrived.
    shadow: Buffer,
    cursor: Position,
    cursor_shown: bool,
    /// A frame was dropped: the next one repaints the whole screen.
    repaint: bool,
    /// Frames dropped so far (for tests and the console).
    pub dropped: u64,
}

fn gone() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the connection is closed")
}

impl ChannelBackend {
    pub fn new(frames: Sender<Vec<u8>>, size: Arc<SharedSize>) -> ChannelBackend {
        let sink = Sink::default();
        let (w, h) = size.get();
        ChannelBackend {
            inner: CrosstermBackend::new(sink.clone()),
            sink,
            frames,
            size,
            shadow: Buffer::empty(Rect::new(0, 0, w, h)),
            cursor: Position::ORIGIN,
            cursor_shown: true,
            repaint: false,
            dropped: 0,
        }
    }

    /// Sends `bytes` whatever the queue (the screen's setup and its last words): waits for room.
    /// Only from a thread outside the async runtime (the session's screen thread).
    pub fn send_now(&self, bytes: &[u8]) -> io::Result<()> {
        self.frames.blocking_send(bytes.to_vec()).map_err(|_| gone())
    }

    fn area(&self) -> Rect {
        let (w, h) = self.size.get();
        Rect::new(0, 0, w, h)
    }

    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.sink.0.borrow_mut())
    }

    /// The whole screen from the shadow copy, after a clear.
    fn full_repaint(&mut self) -> io::Result<Vec<u8>> {
        self.take();
        self.sink.0.borrow_mut().extend_from_slice(b"\x1b[0m\x1b[2J");
        let blank = Buffer::empty(self.shadow.area);
        let cells: Vec<(u16, u16, Cell)> = blank
            .diff(&self.shadow)
            .into_iter()
            .map(|(x, y, c)| (x, y, c.clone()))
            .collect();
        self.inner.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))?;
        self.inner.set_cursor_position(self.cursor)?;
        if self.cursor_shown {
            self.inner.show_cursor()?;
        } else {
            self.inner.hide_cursor()?;
        }
        Backend::flush(&mut self.inner)?;
        Ok(self.take())
    }
}

impl Backend for ChannelBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let area = self.area();
        if self.shadow.area != area {
            self.shadow = Buffer::empty(area);
        }
        let cells: Vec<(u16, u16, &'a Cell)> = content.collect();
        for &(x, y, cell) in &cells {
            if x < area.width && y < area.height {
                self.shadow[(x, y)] = cell.clone();
            }
        }
        self.inner.draw(cells.into_iter())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.cursor_shown = false;
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.cursor_shown = true;
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        // Never asked of the client (that would read its answer from the key stream).
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.cursor = position.into();
        self.inner.set_cursor_position(self.cursor)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.shadow = Buffer::empty(self.area());
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        if clear_type == ClearType::All {
            self.shadow = Buffer::empty(self.area());
        }
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = self.size.get();
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size()?,
            pixels: Size { width: 0, height: 0 },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)?;
        let bytes = if self.repaint {
            self.full_repaint()?
        } else {
            self.take()
        };
        if bytes.is_empty() {
            return Ok(());
        }
        match self.frames.try_send(bytes) {
            Ok(()) => {
                self.repaint = false;
                Ok(())
            }
            Err(TrySendError::Full(_)) => {
                self.dropped += 1;
                self.repaint = true;
                Ok(())
            }
            Err(TrySendError::Closed(_)) => Err(gone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::text::Text;

    fn frame_text(terminal: &mut Terminal<ChannelBackend>, text: &str) {
        terminal
            .draw(|f| f.render_widget(Text::raw(text.to_string()), f.area()))
            .unwrap();
    }

    #[test]
    fn frames_go_to_the_channel_at_the_clients_size_and_follow_a_resize() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(FRAMES_QUEUED);
        let size = SharedSize::new(40, 10);
        let mut terminal = Terminal::new(ChannelBackend::new(tx, size.clone())).unwrap();
        frame_text(&mut terminal, "评委 PW01");
        assert_eq!(terminal.size().unwrap(), Size::new(40, 10));
        let bytes = rx.try_recv().unwrap();
        let text = String::from_utf8_lossy(&bytes);
        // crossterm places each wide character itself.
        assert!(
            text.contains('评') && text.contains('委') && text.contains("PW01"),
            "{text:?}"
        );
        size.set(100, 30);
        frame_text(&mut terminal, "x");
        assert_eq!(terminal.get_frame().area(), Rect::new(0, 0, 100, 30));
    }

    #[test]
    fn a_slow_client_loses_frames_not_memory_and_then_gets_a_whole_repaint() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(2);
        let size = SharedSize::new(30, 5);
        let mut terminal = Terminal::new(ChannelBackend::new(tx, size)).unwrap();
        for i in 0..10 {
            frame_text(&mut terminal, &format!("frame {i} 亲子沟通"));
        }
        // Only two frames are queued; the other eight were dropped, not kept.
        assert_eq!(terminal.backend().dropped, 8);
        assert!(rx.try_recv().is_ok());
        assert!(rx.try_recv().is_ok());
        assert!(rx.try_recv().is_err());
        // The client caught up: the next frame repaints everything, not only what changed
        // since the last frame drawn.
        frame_text(&mut terminal, "frame 9 亲子沟通!");
        let bytes = rx.try_recv().unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("\x1b[0m\x1b[2J"), "{text:?}");
        assert!(
            text.contains('亲') && text.contains('通') && text.contains("frame"),
            "{text:?}"
        );
        // And then only changes again.
        frame_text(&mut terminal, "frame 9 亲子沟通?");
        let bytes = rx.try_recv().unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("\x1b[2J") && !text.contains("frame"), "{text:?}");
    }

    #[test]
    fn a_closed_channel_ends_the_screen() {
        let (tx, rx) = tokio::sync::mpsc::channel(2);
        drop(rx);
        let mut terminal = Terminal::new(ChannelBackend::new(tx, SharedSize::new(20, 4))).unwrap();
        assert!(terminal.draw(|f| f.render_widget(Text::raw("x"), f.area())).is_err());
    }
}
