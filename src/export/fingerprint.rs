//! The fingerprint printed on every result and score sheet: what the paper was made from.
//!
//! Format (since the workspace is sealed, src/store/seal.rs):
//! `JURY2-<scores>-<hash12>-A<audit rows>-<audit hash8>`, for example
//! `JURY2-1512-3fa9c2d18e77-A57-9b1c04aa`.
//! - `JURY2`: the form; the fingerprints printed before (`JURY-…`) still verify as they did;
//! - `<scores>`: how many submitted scores there were;
//! - `<hash12>`: the first 12 hex digits of the content hash: SHA-256 over the seal's parts,
//!   which cover the rubric, each entry's group and organisation, the calibration samples, the
//!   judges' organisations, the declared conflicts, every sheet's status, stored total and count,
//!   and every score (drafts included);
//! - `A<rows>-<hash8>`: the audit trail's head when the paper was made (its row count and the first
//!   8 hex digits of the newest row's hash).
//!
//! `jury verify-print` says MATCH for a `JURY2` fingerprint only when the content and the audit head
//! both match; `JURY2-<scores>-<hash12>` alone checks the content and says the head was not checked.
//!
//! A results printout ends its fingerprint with `-P` (暂定结果: a group in it was not locked) or
//! `-F` (正式结果: every group in it was locked); `verify-print` reports which it was. Score sheets
//! and the other printouts carry no such mark.
//!
//! The old form `JURY-<scores>-<hash12>[-A<rows>-<hash8>]` hashes only the submitted scores, one
//! line each, `entry \x1f round \x1f judge \x1f criterion \x1f value-in-1/10000-points \n`,
//! sorted by (entry, round, judge, criterion) in byte order; it decides by the scores, as it always
//! did, and is reported as the old form.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::core::sheet::ScoreInput;
use crate::error::{Error, Result};

const SCORE_HASH_DIGITS: usize = 12;
const AUDIT_HASH_DIGITS: usize = 8;

/// Which form a fingerprint has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `JURY-…`: printed before the workspace was sealed; the hash covers the submitted scores.
    Old,
    /// `JURY2-…`: the hash covers everything that decides the results (see the module's text).
    Sealed,
}

impl Form {
    fn prefix(self) -> &'static str {
        match self {
            Form::Old => "JURY",
            Form::Sealed => "JURY2",
        }
    }
}

/// What a results printout said it was: the last part of its fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsMark {
    /// `-P`: at least one group printed was not locked (暂定结果).
    Provisional,
    /// `-F`: every group printed was locked (正式结果).
    Final,
}

impl ResultsMark {
    fn suffix(self) -> &'static str {
        match self {
            ResultsMark::Provisional => "P",
            ResultsMark::Final => "F",
        }
    }

    /// How `verify-print` names it.
    pub fn words(self) -> &'static str {
        match self {
            ResultsMark::Provisional => "provisional results (暂定结果, not locked when printed)",
            ResultsMark::Final => "final results (正式结果, locked when printed)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub form: Form,
    pub scores: usize,
    /// The first 12 hex digits of the content hash (old form: the scores' hash).
    pub score_hash: String,
    pub audit_rows: i64,
    /// The first 8 hex digits of the audit trail's newest hash.
    pub audit_hash: String,
    /// On a results printout: whether it was provisional or final.
    pub mark: Option<ResultsMark>,
}

impl Fingerprint {
    /// The same fingerprint marked as a results printout's.
    pub fn marked(&self, mark: ResultsMark) -> Fingerprint {
        Fingerprint {
            mark: Some(mark),
            ..self.clone()
        }
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{}-A{}-{}",
            self.form.prefix(),
            self.scores,
            self.score_hash,
            self.audit_rows,
            self.audit_hash
        )?;
        match self.mark {
            Some(m) => write!(f, "-{}", m.suffix()),
            None => Ok(()),
        }
    }
}

/// A fingerprint as typed back from paper: the scores part, and the audit part when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedFingerprint {
    pub form: Form,
    pub scores: usize,
    pub score_hash: String,
    pub audit: Option<(i64, String)>,
    /// `-P` or `-F` at the end, when printed on results.
    pub mark: Option<ResultsMark>,
}

/// SHA-256 (hex) over the scores in canonical order; the order they come in does not matter.
pub fn scores_hash(scores: &[ScoreInput]) -> String {
    let mut sorted: Vec<&ScoreInput> = scores.iter().collect();
    sorted.sort_by(|a, b| {
        (
            a.entry.as_bytes(),
            a.round.as_bytes(),
            a.judge.as_bytes(),
            a.criterion.as_bytes(),
        )
            .cmp(&(
                b.entry.as_bytes(),
                b.round.as_bytes(),
                b.judge.as_bytes(),
                b.criterion.as_bytes(),
            ))
    });
    let mut hasher = Sha256::new();
    for s in sorted {
        hasher.update(
            format!(
                "{}\x1f{}\x1f{}\x1f{}\x1f{}\n",
                s.entry,
                s.round,
                s.judge,
                s.criterion,
                s.value.units()
            )
            .as_bytes(),
        );
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The old-form fingerprint of these scores and audit head (read both in one snapshot): what
/// fingerprints printed before the seal are compared with.
pub fn fingerprint_of(scores: &[ScoreInput], audit_head: (i64, String)) -> Fingerprint {
    let hash = scores_hash(scores);
    let (rows, head) = audit_head;
    Fingerprint {
        form: Form::Old,
        scores: scores.len(),
        score_hash: hash[..SCORE_HASH_DIGITS].to_string(),
        audit_rows: rows,
        audit_hash: head.chars().take(AUDIT_HASH_DIGITS).collect(),
        mark: None,
    }
}

/// The fingerprint printed today: `scores` submitted scores, the seal's content hash (hex) and
/// the audit head, all read in one snapshot.
pub fn sealed_fingerprint(scores: usize, content: &str, audit_head: (i64, String)) -> Fingerprint {
    let (rows, head) = audit_head;
    Fingerprint {
        form: Form::Sealed,
        scores,
        score_hash: content.chars().take(SCORE_HASH_DIGITS).collect(),
        audit_rows: rows,
        audit_hash: head.chars().take(AUDIT_HASH_DIGITS).collect(),
        mark: None,
    }
}

/// Parse `JURY-<n>-<hash12>` or `JURY-<n>-<hash12>-A<rows>-<hash8>` (case and surrounding
/// spaces ignored, as people retype them).
pub fn parse_fingerprint(text: &str) -> Result<PrintedFingerprint> {
    let bad = || {
        Error::from(crate::core::refusal::ExportRefusal::NotFingerprint(
            text.trim().to_string(),
        ))
    };
    let cleaned = text.trim().to_ascii_lowercase();
    let mut parts: Vec<&str> = cleaned.split('-').collect();
    let mark = match parts.last() {
        Some(&"p") if parts.len() == 4 || parts.len() == 6 => Some(ResultsMark::Provisional),
        Some(&"f") if parts.len() == 4 || parts.len() == 6 => Some(ResultsMark::Final),
        _ => None,
    };
    if mark.is_some() {
        parts.pop();
    }
    let is_hex = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_hexdigit());
    let form = match parts[0] {
        "jury" => Form::Old,
        "jury2" => Form::Sealed,
        _ => return Err(bad()),
    };
    if !(parts.len() == 3 || parts.len() == 5) || !is_hex(parts[2], SCORE_HASH_DIGITS) {
        return Err(bad());
    }
    let scores: usize = parts[1].parse().map_err(|_| bad())?;
    let audit = if parts.len() == 5 {
        let rows: i64 = parts[3]
            .strip_prefix('a')
            .and_then(|r| r.parse().ok())
            .ok_or_else(bad)?;
        if !is_hex(parts[4], AUDIT_HASH_DIGITS) {
            return Err(bad());
        }
        Some((rows, parts[4].to_string()))
    } else {
        None
    };
    Ok(PrintedFingerprint {
        form,
        scores,
        score_hash: parts[2].to_string(),
        audit,
        mark,
    })
}

/// How a printed fingerprint compares with the workspace now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub form: Form,
    /// The old form: the scores; the new form: everything the content hash covers.
    pub scores_match: bool,
    /// `None` when the printed text had no audit part.
    pub audit_match: Option<bool>,
    /// Human-readable lines: what matches, what differs.
    pub lines: Vec<String>,
    /// The same lines in Chinese (issue 17).
    pub lines_zh: Vec<String>,
}

/// Whether the printout matches: the old form by its scores (as it always did); the new form by
/// its content and, when printed in full, its audit head too.
impl Verification {
    pub fn matches(&self) -> bool {
        match self.form {
            // As before the seal: the old form decides by its scores; the head only informs.
            Form::Old => self.scores_match,
            Form::Sealed => self.scores_match && self.audit_match != Some(false),
        }
    }
}

/// Compare `printed` with `now`, the workspace's fingerprint of the same form.
pub fn verify(printed: &PrintedFingerprint, now: &Fingerprint) -> Verification {
    let mut lines = Vec::new();
    let mut zh = Vec::new();
    let z = crate::i18n::cli_msgs::verify_texts();
    let what = match printed.form {
        Form::Old => "score hash",
        Form::Sealed => "content hash",
    };
    let what_zh = match printed.form {
        Form::Old => z.score_hash,
        Form::Sealed => z.content_hash,
    };
    let count_match = printed.scores == now.scores;
    let hash_match = printed.score_hash == now.score_hash;
    if count_match {
        lines.push(format!("score count: {} (same)", now.scores));
        zh.push((z.count_same)(now.scores));
    } else {
        lines.push(format!("score count: printed {}, now {}", printed.scores, now.scores));
        zh.push((z.count_differs)(printed.scores, now.scores));
    }
    if hash_match {
        lines.push(format!("{what}: {} (same)", now.score_hash));
        zh.push((z.hash_same)(what_zh, &now.score_hash));
    } else if printed.form == Form::Old {
        zh.push((z.old_hash_differs)(what_zh, &printed.score_hash, &now.score_hash));
        lines.push(format!(
            "{what}: printed {}, now {}: at least one score was added, changed or removed",
            printed.score_hash, now.score_hash
        ));
    } else {
        zh.push((z.hash_differs)(what_zh, &printed.score_hash, &now.score_hash));
        lines.push(format!(
            "{what}: printed {}, now {}: a score, a sheet, an entry's group, a judge's organisation, a conflict \
             or the rubric was changed since",
            printed.score_hash, now.score_hash
        ));
    }
    let audit_match = printed.audit.as_ref().map(|(rows, hash)| {
        let same = *rows == now.audit_rows && *hash == now.audit_hash;
        if same {
            lines.push(format!("audit trail: {rows} rows, head {hash} (same)"));
            zh.push((z.audit_same)(*rows, hash));
        } else {
            zh.push((z.audit_differs)(*rows, hash, now.audit_rows, &now.audit_hash));
            lines.push(format!(
                "audit trail: printed {rows} rows (head {hash}), now {} rows (head {}): the workspace changed since",
                now.audit_rows, now.audit_hash
            ));
        }
        same
    });
    if printed.form == Form::Old {
        lines.push(
            "old form (JURY-, printed before the workspace was sealed): it covers the submitted scores only, \
             not the groups, the rubric, the organisations, the conflicts or the stored totals"
                .into(),
        );
        zh.push(z.old_form.into());
    } else if audit_match.is_none() {
        lines.push("short form: the content was checked, the audit head was not".into());
        zh.push(z.short_form.into());
    }
    if let Some(mark) = printed.mark {
        lines.push(format!("printed as: {}", mark.words()));
        zh.push((z.printed_as)(mark == ResultsMark::Final));
    }
    Verification {
        form: printed.form,
        scores_match: count_match && hash_match,
        audit_match,
        lines,
        lines_zh: zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Points;

    fn score(entry: &str, judge: &str, criterion: &str, value: i64) -> ScoreInput {
        ScoreInput {
            judge: judge.into(),
            entry: entry.into(),
            round: "r".into(),
            criterion: criterion.into(),
            value: Points::from_int(value),
        }
    }

    #[test]
    fn hash_ignores_input_order_and_sees_every_value() {
        let a = vec![score("E1", "J1", "c", 10), score("E2", "J1", "c", 12)];
        let b = vec![score("E2", "J1", "c", 12), score("E1", "J1", "c", 10)];
        assert_eq!(scores_hash(&a), scores_hash(&b));
        let c = vec![score("E1", "J1", "c", 10), score("E2", "J1", "c", 13)];
        assert_ne!(scores_hash(&a), scores_hash(&c));
        // Field boundaries are separated: ("E1","J1x") differs from ("E1J","1x").
        assert_ne!(
            scores_hash(&[score("E1", "J1x", "c", 1)]),
            scores_hash(&[score("E1J", "1x", "c", 1)])
        );
    }

    #[test]
    fn display_parses_back_and_verifies() {
        let scores = vec![score("E1", "J1", "c", 10)];
        let fp = fingerprint_of(&scores, (7, "abcdef0123456789".into()));
        let text = fp.to_string();
        assert!(text.starts_with("JURY-1-"), "{text}");
        assert!(text.ends_with("-A7-abcdef01"), "{text}");
        let printed = parse_fingerprint(&format!("  {}  ", text.to_lowercase())).unwrap();
        let v = verify(&printed, &fp);
        assert!(v.scores_match);
        assert_eq!(v.audit_match, Some(true));
        let short = parse_fingerprint(&format!("JURY-1-{}", fp.score_hash)).unwrap();
        assert_eq!(short.audit, None);
        assert!(verify(&short, &fp).scores_match);
        let more = fingerprint_of(
            &[score("E1", "J1", "c", 10), score("E2", "J1", "c", 1)],
            (8, "ff".repeat(8)),
        );
        let v = verify(&printed, &more);
        assert!(!v.scores_match);
        assert_eq!(v.audit_match, Some(false));
        assert!(v.lines[0].contains("printed 1, now 2"), "{:?}", v.lines);
    }

    #[test]
    fn rejects_malformed_fingerprints() {
        for bad in [
            "",
            "JURY-1",
            "JURY-x-0123456789ab",
            "JURY-1-0123",
            "ABC-1-0123456789ab",
            "JURY-1-0123456789ab-7-abcdef01",
            "JURY2-1-0123456789ab-A7-abcdef01-X",
            "JURY2-1-0123456789ab-A7-P",
            "JURY2-1-0123456789ab-F-F",
        ] {
            assert!(parse_fingerprint(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_results_mark_prints_parses_back_and_is_reported() {
        let fp = sealed_fingerprint(3, "0123456789abcdef", (7, "abcdef0123456789".into()));
        assert_eq!(fp.to_string(), "JURY2-3-0123456789ab-A7-abcdef01");
        let provisional = fp.marked(ResultsMark::Provisional);
        assert_eq!(provisional.to_string(), "JURY2-3-0123456789ab-A7-abcdef01-P");
        let fin = fp.marked(ResultsMark::Final).to_string();
        assert_eq!(fin, "JURY2-3-0123456789ab-A7-abcdef01-F");
        let printed = parse_fingerprint(&fin.to_lowercase()).unwrap();
        assert_eq!(printed.mark, Some(ResultsMark::Final));
        assert_eq!(printed.audit, Some((7, "abcdef01".into())));
        let v = verify(&printed, &fp);
        assert!(v.matches());
        assert!(
            v.lines
                .iter()
                .any(|l| l == "printed as: final results (正式结果, locked when printed)"),
            "{:?}",
            v.lines
        );
        let short = parse_fingerprint("JURY2-3-0123456789ab-P").unwrap();
        assert_eq!((short.mark, &short.audit), (Some(ResultsMark::Provisional), &None));
        let v = verify(&short, &fp);
        assert!(v.matches());
        assert!(
            v.lines.iter().any(|l| l.contains("provisional results (暂定结果")),
            "{:?}",
            v.lines
        );
        // Without a mark nothing is said about it.
        let plain = parse_fingerprint(&fp.to_string()).unwrap();
        assert_eq!(plain.mark, None);
        assert!(!verify(&plain, &fp).lines.iter().any(|l| l.starts_with("printed as")));
    }
}
