//! Text measured as a terminal draws it: Chinese characters take two columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Cut `s` to at most `max` columns, ending with `…` when cut. Never splits a wide character.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `s` cut to `w` columns and padded with spaces to exactly `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(fill))
}

/// `s` padded on the left to `w` columns (for numbers).
pub fn pad_left(s: &str, w: usize) -> String {
    let fill = w.saturating_sub(width(s));
    format!("{}{s}", " ".repeat(fill))
}

/// Wrap text to `max` columns by display width. Chinese text breaks between any two characters;
/// runs of Latin letters and digits stay whole when they fit on a line (ratatui's own wrapping
/// prefers spaces, which pushes whole Chinese runs to the next line). Line breaks in the text are
/// kept; Chinese closing punctuation is not left at the start of a line when it can be avoided.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = paragraph.trim_end_matches('\r');
        if paragraph.is_empty() {
            lines.push(String::new());
            continue;
        }
        let mut line = String::new();
        let mut used = 0;
        for token in tokens(paragraph) {
            let tw = width(token);
            if used + tw <= max {
                line.push_str(token);
                used += tw;
                continue;
            }
            // A token that is itself too long, or a single character: break by characters.
            if tw > max || token.chars().count() == 1 {
                for c in token.chars() {
                    let cw = char_width(c);
                    if used + cw > max {
                        if is_closing(c) && !line.is_empty() {
                            // Carry the last character down with the punctuation (避头).
                            let last = line.pop();
                            lines.push(std::mem::take(&mut line));
                            used = 0;
                            if let Some(l) = last {
                                line.push(l);
                                used = char_width(l);
                            }
                        } else {
                            lines.push(std::mem::take(&mut line));
                            used = 0;
                        }
                    }
                    if used == 0 && c == ' ' {
                        continue;
                    }
                    line.push(c);
                    used += cw;
                }
            } else {
                lines.push(std::mem::take(&mut line));
                let t = token.trim_start_matches(' ');
                line.push_str(t);
                used = width(t);
            }
        }
        lines.push(line);
    }
    lines.into_iter().map(|l| l.trim_end().to_string()).collect()
}

/// Chinese punctuation that should not start a line.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
    )
}

/// Split into wrap units: a run of ASCII letters/digits (with a leading space) is one unit; every
/// other character is its own unit.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let wordy = c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '%' | '/');
        match (start, wordy) {
            (None, true) => start = Some(i),
            (Some(_), true) => {}
            (Some(st), false) => {
                out.push(&s[st..i]);
                start = None;
                out.push(&s[i..i + c.len_utf8()]);
            }
            (None, false) => out.push(&s[i..i + c.len_utf8()]),
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

/// Zero-width characters (U+200B to U+200D, U+2060, U+FEFF) and bidirectional controls (U+202A to
/// U+202E, U+2066 to U+2069): they show as nothing, yet make two equal-looking ids or
/// organisations differ, or reorder what a screen shows.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

fn invisible_name(c: char) -> &'static str {
    match c {
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{2060}' => "WORD JOINER",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        _ => "a bidirectional control",
    }
}

/// Why `id` cannot be an id: it holds an invisible character. `None` when it is fine.
pub fn id_problem(id: &str) -> Option<crate::core::problems::Problem> {
    let (at, c) = id.chars().enumerate().find(|(_, c)| is_invisible(*c))?;
    Some(crate::core::problems::Problem::InvisibleInId {
        code: c as u32,
        name: invisible_name(c),
        at: at + 1,
    })
}

/// `s` in Unicode NFKC, the form ids and groups are compared in (`ＪＳ００１` is `JS001`).
pub fn nfkc(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    // Most text (Chinese in its usual forms) is in NFKC already: a table look-up a character says
    // so, without the decomposition and recomposition (the conflict check keys every distinct
    // organisation at a judge's start-up).
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.nfkc().collect())
}

/// What two organisations are compared by in the same-organisation conflict check: invisible
/// characters and spaces removed, NFKC, Latin letters in lower case, traditional characters as
/// simplified (`萬載縣教體局` is `万载县教体局`).
pub fn organisation_key(s: &str) -> String {
    let visible: String = s.chars().filter(|c| !is_invisible(*c)).collect();
    nfkc(&visible)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c.is_ascii() {
                return c.to_ascii_lowercase();
            }
            if crate::core::t2s::covers(c) {
                return crate::core::t2s::simplified(c).unwrap_or(c);
            }
            let mut buffer = [0u8; 4];
            let converted = character_converter::traditional_to_simplified(c.encode_utf8(&mut buffer));
            let mut chars = converted.chars();
            match (chars.next(), chars.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        })
        .collect()
}

/// `s` with every control and invisible character written as an escape (`\n`, `\t`,
/// `\u{1b}`), for printing stored text on a terminal: nothing in it can move the cursor, clear the
/// screen, start a new line that looks like another record, or reorder the line.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() || is_invisible(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_invisible(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_padding() {
        assert_eq!(width("亲子沟通"), 8);
        assert_eq!(width("AL2025"), 6);
        assert_eq!(pad("亲子沟通", 10), "亲子沟通  ");
        assert_eq!(pad("亲子沟通交流", 7), "亲子沟…");
        assert_eq!(width(&pad("亲子沟通交流", 7)), 7);
        assert_eq!(pad_left("85.13", 7), "  85.13");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn wraps_chinese_next_to_latin_by_width() {
        let lines = wrap("案件编号A12 亲子沟通中的倾听与回应策略研究", 12);
        for l in &lines {
            assert!(width(l) <= 12, "{l:?} is {} wide", width(l));
        }
        // The Chinese run is not pushed wholesale to the next line: the first line is full.
        assert_eq!(lines[0], "案件编号A12");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "案件编号A12亲子沟通中的倾听与回应策略研究"
        );
    }

    #[test]
    fn keeps_paragraphs_and_avoids_leading_punctuation() {
        let lines = wrap("一二三四五，六七\n\n第二段", 10);
        assert_eq!(lines, vec!["一二三四", "五，六七", "", "第二段"]);
    }

    #[test]
    fn text_in_nfkc_already_is_given_back_as_it_is_and_the_rest_normalised() {
        use unicode_normalization::UnicodeNormalization;
        for s in ["高安市第一小学", "萬載縣教體局", "省家庭教育研究会第1评审室", "é 与 e"] {
            assert!(matches!(nfkc(s), std::borrow::Cow::Borrowed(_)), "{s}");
            assert_eq!(nfkc(s), s.nfkc().collect::<String>());
        }
        // Compatibility forms, combining marks, Hangul jamo: normalised as before.
        for s in [
            "ＪＳ００１学校",
            "㈱中心",
            "e\u{301}小学",
            "\u{1100}\u{1161}",
            "ﬁ学",
            "①号",
        ] {
            let expected: String = s.nfkc().collect();
            assert_ne!(expected, s);
            assert_eq!(nfkc(s), expected, "{s}");
        }
    }

    #[test]
    fn invisible_characters_are_named_in_ids_and_dropped_from_organisation_keys() {
        assert_eq!(id_problem("JS001"), None);
        let p = id_problem("JS\u{200B}001").unwrap().to_string();
        assert!(
            p.contains("U+200B ZERO WIDTH SPACE") && p.contains("character 3"),
            "{p}"
        );
        assert!(id_problem("\u{202E}JS001").unwrap().to_string().contains("U+202E"));
        assert!(id_problem("JS001\u{FEFF}").is_some());
        assert!(id_problem("JS\u{2067}1").is_some());
        assert_eq!(nfkc("ＪＳ００１"), "JS001");
        assert_eq!(
            organisation_key("万载县\u{200B}教体局"),
            organisation_key("万载县教体局")
        );
        assert_eq!(organisation_key("萬載縣教體局"), "万载县教体局");
        assert_eq!(organisation_key("万载县 教体局"), organisation_key("万载县教体局"));
        assert_ne!(organisation_key("万载县教体局"), organisation_key("铜鼓县教体局"));
    }

    #[test]
    fn long_latin_words_are_broken() {
        let lines = wrap("abcdefghijklmnop", 5);
        assert_eq!(lines, vec!["abcde", "fghij", "klmno", "p"]);
    }
}
