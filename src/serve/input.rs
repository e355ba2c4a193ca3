//! The bytes a judge's ssh client sends, decoded into the runtime's events with termwiz's
//! `InputParser` (a maintained terminal-input parser: xterm, rxvt, PuTTY and Windows OpenSSH key
//! forms, modifiers, bracketed paste, UTF-8).
//!
//! Keys come out as the crossterm events the screens already take from a local terminal: the same
//! `KeyCode`s and modifiers (an upper-case letter carries SHIFT, Shift-Tab is `BackTab`), every
//! one a press.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use termwiz::input::{InputEvent, InputParser, KeyCode as Tw, Modifiers};

use crate::tui::runtime::Event;

/// Turns the channel's bytes into events. A sequence split across two reads (a Chinese character,
/// an escape sequence, a long paste) is kept until the rest arrives.
pub struct Decoder {
    parser: InputParser,
    /// Bytes of a sequence of [`EXTRA_FORMS`] not complete yet.
    held: Vec<u8>,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoder").finish_non_exhaustive()
    }
}

/// Forms termwiz's table does not hold, read as the xterm forms: PuTTY's "Linux" function keys
/// (and the Linux console's) send F1 to F5 as `ESC [ [ A` to `E`; xterm in application mode sends
/// Home and End as `ESC O H` and `ESC O F`.
const EXTRA_FORMS: [(&[u8], &[u8]); 7] = [
    (b"\x1b[[A", b"\x1bOP"),
    (b"\x1b[[B", b"\x1bOQ"),
    (b"\x1b[[C", b"\x1bOR"),
    (b"\x1b[[D", b"\x1bOS"),
    (b"\x1b[[E", b"\x1b[15~"),
    (b"\x1bOH", b"\x1b[H"),
    (b"\x1bOF", b"\x1b[F"),
];

impl Decoder {
    pub fn new() -> Decoder {
        Decoder {
            parser: InputParser::new(),
            held: Vec::new(),
        }
    }

    /// Decodes `bytes` from one read. `more_waiting`: more bytes are already there to be read, so
    /// a lone ESC at the end may be the start of a sequence; when `false` it is the Esc key.
    pub fn feed(&mut self, bytes: &[u8], more_waiting: bool) -> Vec<Event> {
        let bytes = self.extra_forms(bytes, more_waiting);
        let mut out = Vec::new();
        self.parser
            .parse(&bytes, |event| out.extend(translate(event)), more_waiting);
        if !more_waiting {
            // Whatever is left is complete as it stands (a lone ESC is the Esc key); a partial
            // UTF-8 character stays in the parser until its remaining bytes come.
            self.parser.parse(&[], |event| out.extend(translate(event)), false);
        }
        out
    }

    fn extra_forms(&mut self, bytes: &[u8], more_waiting: bool) -> Vec<u8> {
        let mut input = std::mem::take(&mut self.held);
        input.extend_from_slice(bytes);
        let mut out = Vec::with_capacity(input.len());
        let mut i = 0;
        while i < input.len() {
            let rest = &input[i..];
            if let Some((from, to)) = EXTRA_FORMS.iter().find(|(from, _)| rest.starts_with(from)) {
                out.extend_from_slice(to);
                i += from.len();
                continue;
            }
            // The start of one, cut off by the end of this read: wait for the rest.
            if more_waiting
                && EXTRA_FORMS
                    .iter()
                    .any(|(from, _)| from.len() > rest.len() && from.starts_with(rest))
            {
                self.held = rest.to_vec();
                break;
            }
            out.push(input[i]);
            i += 1;
        }
        out
    }
}

fn modifiers(m: Modifiers) -> KeyModifiers {
    let mut out = KeyModifiers::NONE;
    if m.contains(Modifiers::SHIFT) {
        out |= KeyModifiers::SHIFT;
    }
    if m.contains(Modifiers::ALT) {
        out |= KeyModifiers::ALT;
    }
    if m.contains(Modifiers::CTRL) {
        out |= KeyModifiers::CONTROL;
    }
    if m.contains(Modifiers::SUPER) {
        out |= KeyModifiers::SUPER;
    }
    out
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent {
        code,
        modifiers,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

/// One of termwiz's events as the runtime's, `None` for what the screens do not take (mouse
/// reports: the server does not ask for them, so the client's own selection and copy work).
fn translate(event: InputEvent) -> Option<Event> {
    let (code, m) = match event {
        InputEvent::Key(k) => (k.key, modifiers(k.modifiers)),
        InputEvent::Paste(text) => return Some(Event::Paste(text)),
        InputEvent::Resized { cols, rows } => {
            return Some(Event::Resize(
                u16::try_from(cols).unwrap_or(u16::MAX),
                u16::try_from(rows).unwrap_or(u16::MAX),
            ));
        }
        InputEvent::Mouse(_) | InputEvent::PixelMouse(_) | InputEvent::Wake => return None,
    };
    let code = match code {
        Tw::Char('\0') => return Some(key(KeyCode::Char(' '), m | KeyModifiers::CONTROL)),
        // As crossterm reports them from a local terminal: an upper-case letter with SHIFT.
        Tw::Char(c) if c.is_ascii_uppercase() && !m.contains(KeyModifiers::CONTROL) => {
            return Some(key(KeyCode::Char(c), m | KeyModifiers::SHIFT));
        }
        Tw::Char(c) => KeyCode::Char(c),
        Tw::Backspace => KeyCode::Backspace,
        Tw::Tab if m.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        Tw::Tab => KeyCode::Tab,
        Tw::Enter => KeyCode::Enter,
        Tw::Escape => KeyCode::Esc,
        Tw::PageUp | Tw::KeyPadPageUp => KeyCode::PageUp,
        Tw::PageDown | Tw::KeyPadPageDown => KeyCode::PageDown,
        Tw::End | Tw::KeyPadEnd => KeyCode::End,
        Tw::Home | Tw::KeyPadHome => KeyCode::Home,
        Tw::LeftArrow | Tw::ApplicationLeftArrow => KeyCode::Left,
        Tw::RightArrow | Tw::ApplicationRightArrow => KeyCode::Right,
        Tw::UpArrow | Tw::ApplicationUpArrow => KeyCode::Up,
        Tw::DownArrow | Tw::ApplicationDownArrow => KeyCode::Down,
        Tw::Insert => KeyCode::Insert,
        Tw::Delete => KeyCode::Delete,
        Tw::Function(n) => KeyCode::F(n),
        Tw::Numpad0 => KeyCode::Char('0'),
        Tw::Numpad1 => KeyCode::Char('1'),
        Tw::Numpad2 => KeyCode::Char('2'),
        Tw::Numpad3 => KeyCode::Char('3'),
        Tw::Numpad4 => KeyCode::Char('4'),
        Tw::Numpad5 => KeyCode::Char('5'),
        Tw::Numpad6 => KeyCode::Char('6'),
        Tw::Numpad7 => KeyCode::Char('7'),
        Tw::Numpad8 => KeyCode::Char('8'),
        Tw::Numpad9 => KeyCode::Char('9'),
        Tw::Decimal => KeyCode::Char('.'),
        _ => return None,
    };
    Some(key(code, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, m: KeyModifiers) -> Event {
        key(code, m)
    }
    fn plain(code: KeyCode) -> Event {
        key(code, KeyModifiers::NONE)
    }
    fn decode(bytes: &[u8]) -> Vec<Event> {
        Decoder::new().feed(bytes, false)
    }
    fn one(bytes: &[u8]) -> Event {
        let events = decode(bytes);
        assert_eq!(events.len(), 1, "{bytes:?} gave {events:?}");
        events.into_iter().next().unwrap()
    }

    #[test]
    fn arrows_in_normal_and_application_mode() {
        for (normal, app, code) in [
            (&b"\x1b[A"[..], &b"\x1bOA"[..], KeyCode::Up),
            (b"\x1b[B", b"\x1bOB", KeyCode::Down),
            (b"\x1b[C", b"\x1bOC", KeyCode::Right),
            (b"\x1b[D", b"\x1bOD", KeyCode::Left),
        ] {
            assert_eq!(one(normal), plain(code));
            assert_eq!(one(app), plain(code));
        }
        assert_eq!(one(b"\x1b[1;5C"), k(KeyCode::Right, KeyModifiers::CONTROL));
        assert_eq!(one(b"\x1b[1;2A"), k(KeyCode::Up, KeyModifiers::SHIFT));
    }

    #[test]
    fn home_end_and_the_page_keys_in_every_form() {
        for bytes in [&b"\x1b[H"[..], b"\x1b[1~", b"\x1b[7~", b"\x1bOH"] {
            assert_eq!(decode(bytes), vec![plain(KeyCode::Home)], "{bytes:?}");
        }
        for bytes in [&b"\x1b[F"[..], b"\x1b[4~", b"\x1b[8~", b"\x1bOF"] {
            assert_eq!(decode(bytes), vec![plain(KeyCode::End)], "{bytes:?}");
        }
        assert_eq!(one(b"\x1b[5~"), plain(KeyCode::PageUp));
        assert_eq!(one(b"\x1b[6~"), plain(KeyCode::PageDown));
        assert_eq!(one(b"\x1b[3~"), plain(KeyCode::Delete));
    }

    #[test]
    fn function_keys_as_xterm_putty_and_windows_openssh_send_them() {
        // xterm, Windows Terminal and Windows OpenSSH's console: F1-F4 as SS3, F5-F12 as CSI n ~.
        let xterm: [&[u8]; 12] = [
            b"\x1bOP",
            b"\x1bOQ",
            b"\x1bOR",
            b"\x1bOS",
            b"\x1b[15~",
            b"\x1b[17~",
            b"\x1b[18~",
            b"\x1b[19~",
            b"\x1b[20~",
            b"\x1b[21~",
            b"\x1b[23~",
            b"\x1b[24~",
        ];
        // PuTTY's default (ESC [ n ~): F1-F4 as 11-14.
        let putty: [&[u8]; 4] = [b"\x1b[11~", b"\x1b[12~", b"\x1b[13~", b"\x1b[14~"];
        // PuTTY's "Linux" mode and the Linux console: F1-F5 as ESC [ [ A-E.
        let linux: [&[u8]; 5] = [b"\x1b[[A", b"\x1b[[B", b"\x1b[[C", b"\x1b[[D", b"\x1b[[E"];
        for (i, bytes) in xterm.iter().enumerate() {
            assert_eq!(decode(bytes), vec![plain(KeyCode::F(i as u8 + 1))], "{bytes:?}");
        }
        for (i, bytes) in putty.iter().enumerate() {
            assert_eq!(decode(bytes), vec![plain(KeyCode::F(i as u8 + 1))], "{bytes:?}");
        }
        for (i, bytes) in linux.iter().enumerate() {
            assert_eq!(decode(bytes), vec![plain(KeyCode::F(i as u8 + 1))], "{bytes:?}");
        }
        // With modifiers (xterm): Shift-F1, Ctrl-F5.
        assert_eq!(one(b"\x1b[1;2P"), k(KeyCode::F(1), KeyModifiers::SHIFT));
        assert_eq!(one(b"\x1b[15;5~"), k(KeyCode::F(5), KeyModifiers::CONTROL));
        // Several keys in one read.
        assert_eq!(
            decode(b"\x1b[[A\x1bOQ\x1b[24~"),
            vec![plain(KeyCode::F(1)), plain(KeyCode::F(2)), plain(KeyCode::F(12))]
        );
    }

    #[test]
    fn ctrl_and_alt_combinations() {
        assert_eq!(one(b"\x03"), k(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(one(b"\x13"), k(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert_eq!(one(b"\x01"), k(KeyCode::Char('a'), KeyModifiers::CONTROL));
        assert_eq!(one(b"\x1bx"), k(KeyCode::Char('x'), KeyModifiers::ALT));
        assert_eq!(
            one(b"\x1bS"),
            k(KeyCode::Char('S'), KeyModifiers::ALT | KeyModifiers::SHIFT)
        );
        assert_eq!(one(b"\x1b"), plain(KeyCode::Esc));
    }

    #[test]
    fn both_backspaces_enter_as_cr_and_lf_tab_and_shift_tab() {
        assert_eq!(one(b"\x7f"), plain(KeyCode::Backspace));
        assert_eq!(one(b"\x08"), plain(KeyCode::Backspace));
        assert_eq!(one(b"\r"), plain(KeyCode::Enter));
        assert_eq!(one(b"\n"), plain(KeyCode::Enter));
        assert_eq!(one(b"\t"), plain(KeyCode::Tab));
        assert_eq!(one(b"\x1b[Z"), k(KeyCode::BackTab, KeyModifiers::SHIFT));
    }

    #[test]
    fn letters_digits_and_chinese_text() {
        assert_eq!(
            decode(b"a8.5"),
            vec![
                plain(KeyCode::Char('a')),
                plain(KeyCode::Char('8')),
                plain(KeyCode::Char('.')),
                plain(KeyCode::Char('5'))
            ]
        );
        assert_eq!(one(b"G"), k(KeyCode::Char('G'), KeyModifiers::SHIFT));
        assert_eq!(
            decode("评委".as_bytes()),
            vec![plain(KeyCode::Char('评')), plain(KeyCode::Char('委'))]
        );
    }

    #[test]
    fn chinese_split_across_two_reads_comes_out_whole() {
        let bytes = "亲子".as_bytes();
        let mut d = Decoder::new();
        // The first character's three bytes are cut after the second.
        assert_eq!(d.feed(&bytes[..2], false), vec![]);
        assert_eq!(
            d.feed(&bytes[2..], false),
            vec![plain(KeyCode::Char('亲')), plain(KeyCode::Char('子'))]
        );
    }

    #[test]
    fn an_escape_sequence_split_across_two_reads() {
        let mut d = Decoder::new();
        assert_eq!(d.feed(b"\x1b[", true), vec![]);
        assert_eq!(d.feed(b"A", false), vec![plain(KeyCode::Up)]);
        let mut d = Decoder::new();
        assert_eq!(d.feed(b"\x1b[[", true), vec![]);
        assert_eq!(d.feed(b"C", false), vec![plain(KeyCode::F(3))]);
    }

    #[test]
    fn bracketed_paste_is_one_event_even_across_reads() {
        assert_eq!(
            decode("\x1b[200~亲子沟通 8.5\x1b[201~".as_bytes()),
            vec![Event::Paste("亲子沟通 8.5".into())]
        );
        let mut d = Decoder::new();
        assert_eq!(d.feed(b"\x1b[200~first ", false), vec![]);
        assert_eq!(
            d.feed(b"second\x1b[201~x", false),
            vec![Event::Paste("first second".into()), plain(KeyCode::Char('x'))]
        );
    }
}
