//! The formal check (形式审查) before judging: what would make a case unfit to score.

use std::collections::BTreeMap;

use super::entry::Entry;
use super::rubric::{Rubric, Section};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A required section is empty.
    MissingSection { entry: String, section: Section },
    /// A required section is shorter than the rubric's `min_section_chars`.
    ShortSection {
        entry: String,
        section: Section,
        chars: usize,
    },
    /// The entry has no group (or topic category).
    NoGroup { entry: String },
    /// Entries with the same title and organisation: likely submitted twice.
    LikelyDuplicate {
        entries: Vec<String>,
        title: String,
        organization: String,
    },
}

/// Run the formal check. Findings come entry by entry in the order given, duplicates last.
pub fn formal_check(rubric: &Rubric, entries: &[Entry]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for e in entries {
        if e.group.as_deref().is_none_or(|g| g.trim().is_empty()) {
            findings.push(Finding::NoGroup { entry: e.id.clone() });
        }
        for &section in &rubric.required_sections {
            let text = e.sections.get(section).trim();
            let chars = text.chars().count();
            if chars == 0 {
                findings.push(Finding::MissingSection {
                    entry: e.id.clone(),
                    section,
                });
            } else if chars < rubric.min_section_chars {
                findings.push(Finding::ShortSection {
                    entry: e.id.clone(),
                    section,
                    chars,
                });
            }
        }
    }
    let mut by_key: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut first_seen: Vec<(String, String)> = Vec::new();
    for e in entries {
        let key = (normalise(&e.title), normalise(&e.organization));
        if key.0.is_empty() {
            continue;
        }
        let ids = by_key.entry(key.clone()).or_default();
        if ids.is_empty() {
            first_seen.push(key);
        }
        ids.push(e.id.clone());
    }
    for key in first_seen {
        if let Some(ids) = by_key.remove(&key)
            && ids.len() > 1
        {
            let first = entries.iter().find(|e| e.id == ids[0]);
            findings.push(Finding::LikelyDuplicate {
                entries: ids,
                title: first.map(|e| e.title.clone()).unwrap_or_default(),
                organization: first.map(|e| e.organization.clone()).unwrap_or_default(),
            });
        }
    }
    findings
}

/// Titles typed twice differ in spaces and full-width punctuation more often than in words.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '，' => ',',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::{parse_rubric, template_source};

    fn case(id: &str, title: &str, org: &str) -> Entry {
        let mut e = Entry {
            id: id.into(),
            group: Some("亲子沟通".into()),
            title: title.into(),
            organization: org.into(),
            ..Entry::default()
        };
        for s in Section::ALL {
            *e.sections.get_mut(s) = "这是一段足够长的案例文字，用来说明背景、问题、策略和结果。".into();
        }
        e
    }

    #[test]
    fn finds_missing_short_ungrouped_and_duplicates() {
        let (f, src) = template_source("cases").unwrap();
        let rubric = parse_rubric(f, src).unwrap();
        let mut a = case("A", "亲子沟通的桥", "一小");
        a.sections.problem.clear();
        let mut b = case("B", "亲子 沟通的桥", "一小");
        b.sections.outcome = "效果很好。".into();
        let mut c = case("C", "别的题目", "二小");
        c.group = None;
        let d = case("D", "亲子沟通的桥", "二小");
        let findings = formal_check(&rubric, &[a, b, c, d]);
        assert_eq!(
            findings,
            vec![
                Finding::MissingSection {
                    entry: "A".into(),
                    section: Section::Problem
                },
                Finding::ShortSection {
                    entry: "B".into(),
                    section: Section::Outcome,
                    chars: 5
                },
                Finding::NoGroup { entry: "C".into() },
                Finding::LikelyDuplicate {
                    entries: vec!["A".into(), "B".into()],
                    title: "亲子沟通的桥".into(),
                    organization: "一小".into()
                },
            ]
        );
    }
}
