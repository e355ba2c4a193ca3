//! What a typed or imported score means: the one rule shared by the judges' screen
//! ([`crate::app::judging::check_value`]) and every score import (`src/import/scores.rs`).
//!
//! A score is digits (ASCII or full-width from a Chinese input method) with at most one decimal
//! point (`.`, `。` or `．`). Nothing else is part of it: no thousands separator, no decimal comma,
//! no inner space, no sign (scores are never below 0; a leading minus is refused as
//! [`ScoreError::Negative`] so the message says why). Nothing is ever dropped: a character that
//! is no part of a number makes the whole text refused. A cell read from a file may have spaces
//! around the number ([`parse_score_cell`]); what a judge types is taken as typed
//! ([`parse_score`]).

use super::exact::{DecimalError, Points};

/// Why a text is not an acceptable score.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("empty value")]
    Empty,
    /// Holds something that is no part of a number (a comma, a space, a letter, a sign ...).
    #[error("\"{0}\" is not a number{hint}", hint = if decimal_comma(.0) { " (use . for the decimal point)" } else { "" })]
    NotANumber(String),
    #[error("\"{0}\" has more than 4 decimal places")]
    TooPrecise(String),
    #[error("\"{0}\" is too large")]
    TooLarge(String),
    #[error("{0} is below 0")]
    Negative(Points),
    #[error("{value} is over the maximum {max}")]
    OverMax { value: Points, max: Points },
    #[error("{value} is not a multiple of {step}")]
    OffStep { value: Points, step: Points },
}

/// A character that can be part of a score: a digit (also full-width) or a decimal point.
pub fn is_score_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '０'..='９' | '.' | '．' | '。')
}

/// `true` when a refused text holds a comma, most likely meant as a decimal point (`2,5`):
/// the message then says to use `.`.
pub fn decimal_comma(text: &str) -> bool {
    text.contains([',', '，'])
}

/// A score exactly as typed: digits and at most one decimal point, nothing around them.
/// `Err(ScoreError::Empty)` for an empty text.
pub fn parse_score(text: &str) -> Result<Points, ScoreError> {
    if text.is_empty() {
        return Err(ScoreError::Empty);
    }
    let not_a_number = || ScoreError::NotANumber(text.to_string());
    if let Some(rest) = text.strip_prefix(['-', '－']) {
        // A minus before a number: say it is below 0 rather than "not a number".
        return match unsigned(rest, text) {
            Ok(v) if v > Points::ZERO => Err(ScoreError::Negative(Points::ZERO - v)),
            Ok(_) | Err(ScoreError::Empty) => Err(not_a_number()),
            Err(e) => Err(e),
        };
    }
    unsigned(text, text)
}

/// A score read from a file cell: spaces around the number are trimmed, then it is read as
/// [`parse_score`] reads what a judge types.
pub fn parse_score_cell(text: &str) -> Result<Points, ScoreError> {
    parse_score(text.trim())
}

/// The rubric's bounds for one criterion: 0 ≤ value ≤ max, a whole multiple of step.
pub fn check_score(value: Points, max: Points, step: Points) -> Result<Points, ScoreError> {
    if value < Points::ZERO {
        Err(ScoreError::Negative(value))
    } else if value > max {
        Err(ScoreError::OverMax { value, max })
    } else if !value.is_multiple_of(step) {
        Err(ScoreError::OffStep { value, step })
    } else {
        Ok(value)
    }
}

/// Digits and at most one decimal point; `whole` is the text named in a refusal.
fn unsigned(body: &str, whole: &str) -> Result<Points, ScoreError> {
    if body.is_empty() {
        return Err(ScoreError::Empty);
    }
    let not_a_number = || ScoreError::NotANumber(whole.to_string());
    let mut points = 0;
    let mut ascii = String::with_capacity(body.len());
    for c in body.chars() {
        match c {
            '0'..='9' => ascii.push(c),
            '０'..='９' => ascii.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '.' | '．' | '。' => {
                points += 1;
                ascii.push('.');
            }
            _ => return Err(not_a_number()),
        }
    }
    if points > 1 {
        return Err(not_a_number());
    }
    Points::parse(&ascii).map_err(|e| match e {
        DecimalError::TooPrecise(_) => ScoreError::TooPrecise(whole.to_string()),
        DecimalError::TooLarge(_) => ScoreError::TooLarge(whole.to_string()),
        DecimalError::Empty | DecimalError::NotANumber(_) => not_a_number(),
    })
}

/// Why a judge's action was refused (by [`crate::app::judging::JudgeSession`], or by the screen
/// before asking). The screens translate these (src/i18n); the library's own message is English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("unknown judge \"{0}\"")]
    UnknownJudge(String),
    #[error("wrong PIN")]
    WrongPin,
    /// Too many wrong PINs for this judge lately (the workspace's login attempts): wait this many seconds.
    #[error("too many wrong PINs for this judge: try again in {0} s")]
    TooManyAttempts(i64),
    #[error("unknown entry \"{0}\"")]
    UnknownEntry(String),
    #[error("unknown round \"{0}\"")]
    UnknownRound(String),
    #[error("unknown criterion \"{0}\"")]
    UnknownCriterion(String),
    #[error("conflict of interest (回避): {0}")]
    Conflict(String),
    #[error("this sheet is submitted; only the organiser can reopen it")]
    Submitted,
    /// The contest assigns entries to judges and this one is not the judge's.
    #[error("this entry is not assigned to you")]
    NotAssigned,
    /// The organiser has locked the results for this group or round.
    #[error("the results are locked ({0}); only the organiser can unlock them")]
    Locked(String),
    /// Not a score by [`parse_score`]; a comma gets a hint to use `.` for the decimal point.
    #[error("{}", ScoreError::NotANumber(.0.clone()))]
    NotANumber(String),
    #[error("\"{0}\" has too many decimal places")]
    TooPrecise(String),
    #[error("{value} is below 0")]
    Negative { value: Points },
    #[error("{value} is over the maximum {max}")]
    OverMax { value: Points, max: Points },
    #[error("{value} is not a multiple of {step}")]
    OffStep { value: Points, step: Points },
    /// Submit refused: these criteria (names) have no value yet.
    #[error("not every criterion has a score: {}", .0.join(", "))]
    EmptyCriteria(Vec<String>),
    /// The judge has submitted every round of the entry: the comment belongs to those sheets.
    #[error("every round of this entry is submitted: the comment is read-only until the organiser reopens one")]
    CommentReadOnly,
    /// Another process holds the workspace's write lock (an import, a stopped process): nothing
    /// was stored; keep the value and try again (the screen retries by itself).
    #[error("waiting to save: another jury process is writing to the workspace")]
    Busy,
    /// The workspace file was deleted or replaced under this session: nothing more is stored.
    #[error("the workspace file was deleted or replaced; nothing more can be saved here")]
    WorkspaceGone,
    /// The organiser removed this judge from the contest (`jury judge remove`).
    #[error("this judge was removed from the contest by the organiser and can no longer log in or score")]
    JudgeRemoved,
    /// The entry is not part of the current phase (评审阶段; the name): it was not taken into it.
    #[error("this entry is not part of the current phase {0}")]
    NotInPhase(String),
    /// The organiser withdrew (弃权) or disqualified (取消资格) the entry: it is no longer scored.
    #[error("this entry was {} by the organiser: it is no longer scored", .0.as_str())]
    Withdrawn(crate::core::withdrawal::WithdrawalKind),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Points {
        Points::parse(s).unwrap()
    }

    fn not_a_number(s: &str) -> Result<Points, ScoreError> {
        Err(ScoreError::NotANumber(s.to_string()))
    }

    #[test]
    fn what_a_typed_score_means() {
        let table: &[(&str, Result<Points, ScoreError>)] = &[
            ("25", Ok(p("25"))),
            ("25.5", Ok(p("25.5"))),
            ("0", Ok(p("0"))),
            ("0.25", Ok(p("0.25"))),
            (".5", Ok(p("0.5"))),
            ("19.", Ok(p("19"))),
            ("２５．５", Ok(p("25.5"))),
            ("２５。５", Ok(p("25.5"))),
            ("25。5", Ok(p("25.5"))),
            ("1.50000", Ok(p("1.5"))),
            ("", Err(ScoreError::Empty)),
            // Nothing is dropped: a comma or a space is no part of a number.
            ("2,5", not_a_number("2,5")),
            ("8,5", not_a_number("8,5")),
            ("2，5", not_a_number("2，5")),
            ("1 5", not_a_number("1 5")),
            (" 15", not_a_number(" 15")),
            ("15 ", not_a_number("15 ")),
            ("1,000", not_a_number("1,000")),
            ("50%", not_a_number("50%")),
            ("1.2.3", not_a_number("1.2.3")),
            ("1e3", not_a_number("1e3")),
            ("abc", not_a_number("abc")),
            (".", not_a_number(".")),
            ("+3", not_a_number("+3")),
            ("--3", not_a_number("--3")),
            ("-", not_a_number("-")),
            ("-0", not_a_number("-0")),
            ("-1", Err(ScoreError::Negative(Points::ZERO - p("1")))),
            ("－0.5", Err(ScoreError::Negative(Points::ZERO - p("0.5")))),
            ("-1,5", not_a_number("-1,5")),
            ("1.00001", Err(ScoreError::TooPrecise("1.00001".into()))),
            (
                "99999999999999999999",
                Err(ScoreError::TooLarge("99999999999999999999".into())),
            ),
        ];
        for (text, want) in table {
            assert_eq!(&parse_score(text), want, "{text:?}");
        }
    }

    #[test]
    fn a_file_cell_may_have_spaces_around_the_number_only() {
        assert_eq!(parse_score_cell(" 18.5 "), Ok(p("18.5")));
        assert_eq!(parse_score_cell("\t18\u{3000}"), Ok(p("18")));
        assert_eq!(parse_score_cell(" 1 5 "), not_a_number("1 5"));
        assert_eq!(parse_score_cell(" 2,5"), not_a_number("2,5"));
        assert_eq!(parse_score_cell("   "), Err(ScoreError::Empty));
    }

    #[test]
    fn bounds_of_a_criterion() {
        let (max, step) = (p("30"), p("0.5"));
        assert_eq!(check_score(p("30"), max, step), Ok(p("30")));
        assert_eq!(check_score(p("0"), max, step), Ok(p("0")));
        assert_eq!(
            check_score(p("30.5"), max, step),
            Err(ScoreError::OverMax { value: p("30.5"), max })
        );
        assert_eq!(
            check_score(p("18.25"), max, step),
            Err(ScoreError::OffStep {
                value: p("18.25"),
                step
            })
        );
    }

    #[test]
    fn the_refusal_of_a_comma_says_which_decimal_point_to_use() {
        assert_eq!(
            ScoreError::NotANumber("2,5".into()).to_string(),
            "\"2,5\" is not a number (use . for the decimal point)"
        );
        assert_eq!(
            ScoreError::NotANumber("1 5".into()).to_string(),
            "\"1 5\" is not a number"
        );
    }

    #[test]
    fn only_digits_and_decimal_points_are_score_characters() {
        for c in ['0', '9', '５', '.', '．', '。'] {
            assert!(is_score_char(c), "{c}");
        }
        for c in [',', '，', ' ', '%', '-', '+', 'e', 'a'] {
            assert!(!is_score_char(c), "{c}");
        }
    }
}
