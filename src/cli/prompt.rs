//! Asking for a secret on the terminal, masked. Never called when standard input is not a
//! terminal: commands take their secrets from flags or the environment there, and never wait.

use std::io::{IsTerminal, Write};

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::crossterm::terminal;

/// `true` when a person can answer a prompt.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Read a secret with `*` echoed for each character; `None` when cancelled (Esc or Ctrl-C) or when
/// there is no terminal.
pub fn read_secret(prompt: &str) -> Option<String> {
    if !interactive() {
        return None;
    }
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    terminal::enable_raw_mode().ok()?;
    let mut secret = String::new();
    let result = loop {
        let Ok(Event::Key(key)) = event::read() else { continue };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        match key.code {
            KeyCode::Enter => break Some(secret),
            KeyCode::Esc => break None,
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => break None,
            KeyCode::Backspace if secret.pop().is_some() => {
                let _ = write!(err, "\x08 \x08");
            }
            KeyCode::Char(c) => {
                secret.push(c);
                let _ = write!(err, "*");
            }
            _ => {}
        }
        let _ = err.flush();
    };
    let _ = terminal::disable_raw_mode();
    let _ = writeln!(err);
    result
}

/// Ask a question on the terminal and read the answer line; `None` when there is no terminal (or
/// standard input ended).
pub fn read_answer(prompt: &str) -> Option<String> {
    if !interactive() {
        return None;
    }
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    let mut line = String::new();
    match std::io::stdin().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim().to_string()),
    }
}
