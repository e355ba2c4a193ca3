//! The rules for a reason (a correction's, a reopening's, a lock's): one line of text, kept in the
//! audit trail and printed by `audit log`; where one is required, not blank.

/// A reason that is refused, and why (for the person who gave it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonRefused(pub String);

/// Why `reason` cannot be a reason: reasons are one line of text, kept in the audit trail and
/// printed by `audit log`, so a line break, ESC or any other control character is refused.
/// `None` when it is fine.
pub fn problem(reason: &str) -> Option<String> {
    let (at, c) = reason
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || crate::core::text::is_invisible(*c))?;
    let what = match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "a line break".to_string(),
        '\t' => "a tab".to_string(),
        c if crate::core::text::is_invisible(c) => format!("an invisible character (U+{:04X})", c as u32),
        c => format!("a control character (U+{:04X})", c as u32),
    };
    Some(format!(
        "the reason must be one line of text: it holds {what} at character {}",
        at + 1
    ))
}

/// A reason, where one is given, is one line of text (see [`problem`]).
pub fn check(reason: &str) -> Result<(), ReasonRefused> {
    match problem(reason) {
        Some(problem) => Err(ReasonRefused(problem)),
        None => Ok(()),
    }
}

/// A reason that must be given: one line of text, and not blank.
pub fn require(reason: &str) -> Result<(), ReasonRefused> {
    check(reason)?;
    if reason.trim().is_empty() {
        Err(ReasonRefused(
            "a reason is required (--reason \"…\"); it is kept in the audit trail".to_string(),
        ))
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
            Err(ReasonRefused(
                "the reason must be one line of text: it holds a line break at character 2".to_string()
            ))
        );
        assert!(require("  ").is_err());
        assert_eq!(require("typo"), Ok(()));
    }
}
