//! Reading a drawn `TestBackend` buffer back as text, and driving the judges' screen with keys,
//! for the screens' tests.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effects::JudgeEffects;
use super::state::{App, Options};
use super::update::Msg;
use super::view;
use crate::app::Store;

/// The buffer as text lines, wide characters once (the cells they cover skipped).
pub fn lines(buffer: &Buffer) -> Vec<String> {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                skip = crate::core::text::width(symbol).saturating_sub(1);
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// The whole screen as text.
pub fn screen(terminal: &Terminal<TestBackend>) -> String {
    lines(terminal.backend().buffer()).join("\n")
}

/// The cell where `needle` starts on the screen: (x, y) in columns.
pub fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buffer.area;
    for y in 0..area.height {
        let mut text = String::new();
        let mut xs = Vec::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buffer[(x, y)].symbol();
            for _ in s.chars() {
                xs.push(x);
            }
            text.push_str(s);
            skip = crate::core::text::width(s).saturating_sub(1);
        }
        if let Some(byte) = text.find(needle) {
            let ci = text[..byte].chars().count();
            return Some((xs[ci], y));
        }
    }
    None
}

// ---- the judges' screen, driven with plain messages ----

/// The judges' screen with the real runner on a workspace: each message's effects are run and
/// their outcomes fed back before the next message, as the event loop does
/// ([`crate::tui::runtime::settle`]). Reads as the screen (`Deref`).
pub struct Driven<'a> {
    pub app: App,
    pub runner: JudgeEffects<'a>,
}

impl<'a> Driven<'a> {
    /// [`crate::tui::open`]: the screen and its runner on `store`.
    pub fn new(store: &'a Store, options: Options) -> crate::Result<Driven<'a>> {
        let (app, runner) = crate::tui::open(store, options)?;
        Ok(Driven { app, runner })
    }

    pub fn update(&mut self, msg: Msg) {
        let effects = self.app.update(msg);
        crate::tui::runtime::settle(&mut self.app, &mut self.runner, effects);
    }
}

impl std::ops::Deref for Driven<'_> {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for Driven<'_> {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

pub fn press(app: &mut Driven, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn ctrl(app: &mut Driven, c: char) {
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
}

pub fn type_text(app: &mut Driven, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

pub fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal
}

pub fn message(app: &App) -> String {
    app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default()
}
