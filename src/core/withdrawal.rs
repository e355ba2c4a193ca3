//! Withdrawn entries (弃权) and disqualified ones (取消资格): the entry keeps its record and its
//! scores, leaves the ranking, and is listed apart, with the reason, in the tally and every
//! printout.

/// Why an entry left the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WithdrawalKind {
    /// 弃权: the entrant withdrew.
    Withdrawn,
    /// 取消资格: the organiser disqualified the entry.
    Disqualified,
}

impl WithdrawalKind {
    /// The stored (and command-line) name.
    pub fn as_str(self) -> &'static str {
        match self {
            WithdrawalKind::Withdrawn => "withdrawn",
            WithdrawalKind::Disqualified => "disqualified",
        }
    }

    /// The Chinese name, as the printouts show it.
    pub fn zh(self) -> &'static str {
        match self {
            WithdrawalKind::Withdrawn => "弃权",
            WithdrawalKind::Disqualified => "取消资格",
        }
    }

    /// `withdrawn` or `disqualified`, or the Chinese names.
    pub fn parse(text: &str) -> Option<WithdrawalKind> {
        match text.trim() {
            "withdrawn" | "弃权" => Some(WithdrawalKind::Withdrawn),
            "disqualified" | "取消资格" => Some(WithdrawalKind::Disqualified),
            _ => None,
        }
    }
}

/// One entry out of the ranking, as the tally lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    pub id: String,
    pub title: String,
    pub group: Option<String>,
    pub kind: WithdrawalKind,
    pub reason: String,
    pub at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_in_both_languages() {
        for k in [WithdrawalKind::Withdrawn, WithdrawalKind::Disqualified] {
            assert_eq!(WithdrawalKind::parse(k.as_str()), Some(k));
            assert_eq!(WithdrawalKind::parse(k.zh()), Some(k));
        }
        assert_eq!(WithdrawalKind::parse("gone"), None);
    }
}
