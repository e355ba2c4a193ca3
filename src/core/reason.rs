//! The rules for a reason (a correction's, a reopening's, a lock's): one line of text, kept in the
//! audit trail and printed by `audit log`; where one is required, not blank.

/// A character a reason may not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadChar {
    LineBreak,
    Tab,
    /// An invisible character (its code point).
    Invisible(u32),
    /// Another control character (its code point).
    Control(u32),
}

/// A reason that is refused, and why (for the person who gave it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReasonRefused {
    /// `at`: the character's place, from 1.
    #[error("the reason must be one line of text: it holds {} at character {at}", bad_char(*what))]
    NotOneLine { what: BadChar, at: usize },
    #[error("a reason is required (--reason \"…\"); it is kept in the audit trail")]
    Required,
}

fn bad_char(c: BadChar) -> String {
    match c {
        BadChar::LineBreak => "a line break".to_string(),
        BadChar::Tab => "a tab".to_string(),
        BadChar::Invisible(c) => format!("an invisible character (U+{c:04X})"),
        BadChar::Control(c) => format!("a control character (U+{c:04X})"),
    }
}

/// Why `reason` cannot be a reason: reasons are one line of text, kept in the audit trail and
/// printed by `audit log`, so a line break, ESC or any other control character is refused.
/// `None` when it is fine.
pub fn problem(reason: &str) -> Option<ReasonRefused> {
    let (at, c) = reason
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || crate::core::text::is_invisible(*c))?;
    let what = match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => BadChar::LineBreak,
        '\t' => BadChar::Tab,
        c if crate::core::text::is_invisible(c) => BadChar::Invisible(c as u32),
        c => BadChar::Control(c as u32),
    };
    Some(ReasonRefused::NotOneLine { what, at: at + 1 })
}

/// A reason, where one is given, is one line of text (see [`problem`]).
pub fn check(reason: &str) -> Result<(), ReasonRefused> {
    match problem(reason) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// A reason that must be given: one line of text, and not blank.
pub fn require(reason: &str) -> Result<(), ReasonRefused> {
    check(reason)?;
    if reason.trim().is_empty() {
        Err(ReasonRefused::Required)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_one_line_and_a_required_one_is_not_blank() {
        assert_eq!(check(""), Ok(()));
        assert_eq!(check("typo in round 2"), Ok(()));
        assert_eq!(
            check("a\nb"),
            Err(ReasonRefused::NotOneLine {
                what: BadChar::LineBreak,
                at: 2
            })
        );
        assert_eq!(
            check("a\nb").unwrap_err().to_string(),
            "the reason must be one line of text: it holds a line break at character 2"
        );
        assert!(require("  ").is_err());
        assert_eq!(require("typo"), Ok(()));
    }
}
