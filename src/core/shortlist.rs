//! Case selection in batches: statuses, targets, and a proposal that fills the targets by rank.

use std::collections::HashMap;

use super::Ratio;
use super::check::{Finding, formal_check};
use super::entry::Entry;
use super::rubric::{Rubric, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Pending,
    Shortlisted,
    Selected,
    Rejected,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pending, Status::Shortlisted, Status::Selected, Status::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Shortlisted => "shortlisted",
            Status::Selected => "selected",
            Status::Rejected => "rejected",
        }
    }

    pub fn chinese(self) -> &'static str {
        match self {
            Status::Pending => "待定",
            Status::Shortlisted => "入围",
            Status::Selected => "入选",
            Status::Rejected => "未入选",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s.trim() || x.chinese() == s.trim())
    }
}

/// Targets for the number of selected cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// Selected (or proposed) overall.
    pub total: usize,
    /// At least this many per group (topic).
    pub min_per_group: usize,
    /// At most this many from one county.
    pub max_per_county: Option<usize>,
}

/// A ranked, complete entry that can be proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub entry: String,
    pub group: String,
    pub county: String,
    pub final_score: Ratio,
    pub status: Status,
    /// Held back by the formal check or as the lower-ranked of likely duplicates ([`Marks::held`]):
    /// never proposed. The caller leaves it `false` when the organiser includes flagged cases.
    pub held: bool,
}

/// What the formal check says about one case, as the shortlist shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Required sections missing or shorter than the rubric asks: 形式审查未通过.
    pub formal: Vec<Section>,
    /// The other cases of its likely-duplicate group (same title and organisation), best-ranked
    /// first: 疑似重复.
    pub duplicates: Vec<String>,
    /// Another case of its likely-duplicate group ranks higher.
    pub lower_duplicate: bool,
}

impl Marks {
    /// 形式审查未通过: a required section is missing or too short.
    pub fn failed_formal_check(&self) -> bool {
        !self.formal.is_empty()
    }

    /// 疑似重复: same title and organisation as another case (the higher-ranked one included).
    pub fn likely_duplicate(&self) -> bool {
        !self.duplicates.is_empty()
    }

    /// Never proposed nor published unless the organiser includes flagged cases: a case that
    /// fails the formal check, or the lower-ranked case of likely duplicates.
    pub fn held(&self) -> bool {
        self.failed_formal_check() || self.lower_duplicate
    }
}

/// The marks of every case that has any, from the formal check: sections missing or too short,
/// and likely duplicates. Of each likely-duplicate group the best-ranked case (highest final among
/// `finals`, which holds complete results only; then the smaller id) is marked but not held;
/// the others are held.
pub fn shortlist_marks(rubric: &Rubric, entries: &[Entry], finals: &HashMap<String, Ratio>) -> HashMap<String, Marks> {
    marks_of_findings(&formal_check(rubric, entries), finals)
}

/// [`shortlist_marks`] from the formal check's findings (kept while the entries stay the same).
pub fn marks_of_findings(findings: &[Finding], finals: &HashMap<String, Ratio>) -> HashMap<String, Marks> {
    let mut marks: HashMap<String, Marks> = HashMap::new();
    for finding in findings.iter().cloned() {
        match finding {
            Finding::MissingSection { entry, section } | Finding::ShortSection { entry, section, .. } => {
                marks.entry(entry).or_default().formal.push(section);
            }
            Finding::LikelyDuplicate { mut entries, .. } => {
                // Best first: a ranked case before an unranked one, a higher final first.
                entries.sort_by(|a, b| {
                    let (fa, fb) = (finals.get(a), finals.get(b));
                    fb.cmp(&fa).then_with(|| a.cmp(b))
                });
                for (i, id) in entries.iter().enumerate() {
                    let m = marks.entry(id.clone()).or_default();
                    m.duplicates.extend(entries.iter().filter(|x| *x != id).cloned());
                    m.lower_duplicate |= i > 0;
                }
            }
            Finding::NoGroup { .. } => {}
        }
    }
    marks
}

/// What a proposal picks, and the targets it could not meet (with the reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Newly proposed entries, best first.
    pub picked: Vec<String>,
    pub unmet: Vec<String>,
}

/// Fill the targets by rank (final score, highest first) while respecting them. Entries already
/// selected or shortlisted count toward the targets; rejected ones are never proposed.
pub fn propose(candidates: &[Candidate], groups: &[String], targets: &Targets) -> Proposal {
    let proposable = |c: &&Candidate| c.status != Status::Rejected && !(c.held && c.status == Status::Pending);
    let mut order: Vec<&Candidate> = candidates.iter().filter(proposable).collect();
    let held_in = |group: Option<&str>| {
        let n = candidates
            .iter()
            .filter(|c| c.held && c.status == Status::Pending && group.is_none_or(|g| c.group == g))
            .count();
        if n == 0 {
            String::new()
        } else {
            format!(
                " ({n} more are held back by the formal check or as likely duplicates; --include-flagged proposes them)"
            )
        }
    };
    order.sort_by(|a, b| b.final_score.cmp(&a.final_score).then_with(|| a.entry.cmp(&b.entry)));
    let mut taken: Vec<&Candidate> = order
        .iter()
        .copied()
        .filter(|c| matches!(c.status, Status::Selected | Status::Shortlisted))
        .collect();
    let mut per_group: HashMap<&str, usize> = HashMap::new();
    let mut per_county: HashMap<&str, usize> = HashMap::new();
    for c in &taken {
        *per_group.entry(&c.group).or_default() += 1;
        *per_county.entry(&c.county).or_default() += 1;
    }
    let county_ok = |per_county: &HashMap<&str, usize>, c: &Candidate| {
        targets
            .max_per_county
            .is_none_or(|m| per_county.get(c.county.as_str()).copied().unwrap_or(0) < m)
    };
    let mut picked: Vec<String> = Vec::new();
    let mut unmet = Vec::new();
    let mut blocked_by_county: HashMap<&str, usize> = HashMap::new();

    // First the per-group minimums, each group by its own ranking.
    for g in groups {
        for c in order.iter().filter(|c| &c.group == g && c.status == Status::Pending) {
            if per_group.get(g.as_str()).copied().unwrap_or(0) >= targets.min_per_group {
                break;
            }
            if !county_ok(&per_county, c) {
                *blocked_by_county.entry(g.as_str()).or_default() += 1;
                continue;
            }
            taken.push(c);
            picked.push(c.entry.clone());
            *per_group.entry(&c.group).or_default() += 1;
            *per_county.entry(&c.county).or_default() += 1;
        }
        let have = per_group.get(g.as_str()).copied().unwrap_or(0);
        if have < targets.min_per_group {
            let available = order.iter().filter(|c| &c.group == g).count();
            let blocked = blocked_by_county.get(g.as_str()).copied().unwrap_or(0);
            let why = if blocked > 0 {
                format!(
                    "{blocked} more of its ranked cases come from counties already at the limit of {}",
                    targets.max_per_county.unwrap_or(0)
                )
            } else {
                format!(
                    "it has only {available} ranked cases that are not rejected{}",
                    held_in(Some(g.as_str()))
                )
            };
            unmet.push(format!(
                "at least {} per topic: {g} gets {have}, because {why}",
                targets.min_per_group
            ));
        }
    }
    // Then the overall total, by the ranking across groups.
    for c in &order {
        if taken.len() >= targets.total {
            break;
        }
        if c.status != Status::Pending || picked.contains(&c.entry) {
            continue;
        }
        if !county_ok(&per_county, c) {
            continue;
        }
        taken.push(c);
        picked.push(c.entry.clone());
        *per_county.entry(&c.county).or_default() += 1;
    }
    if taken.len() < targets.total {
        let blocked = order
            .iter()
            .filter(|c| c.status == Status::Pending && !picked.contains(&c.entry))
            .count();
        let why = if blocked > 0 {
            format!(
                "the other {blocked} ranked cases come from counties already at the limit of {}",
                targets.max_per_county.unwrap_or(0)
            )
        } else {
            format!("only {} ranked cases are not rejected{}", order.len(), held_in(None))
        };
        unmet.push(format!(
            "{} overall: only {} can be chosen, because {why}",
            targets.total,
            taken.len()
        ));
    }
    // Best first.
    picked.sort_by(|a, b| {
        let fa = candidates.iter().find(|c| &c.entry == a).map(|c| c.final_score);
        let fb = candidates.iter().find(|c| &c.entry == b).map(|c| c.final_score);
        fb.cmp(&fa).then_with(|| a.cmp(b))
    });
    Proposal { picked, unmet }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: &str, group: &str, county: &str, score: i64) -> Candidate {
        Candidate {
            entry: id.into(),
            group: group.into(),
            county: county.into(),
            final_score: Ratio::from_int(score),
            status: Status::Pending,
            held: false,
        }
    }

    #[test]
    fn fills_minimums_then_total_by_rank() {
        let groups = vec!["A".to_string(), "B".to_string()];
        let cs = vec![
            cand("A1", "A", "x", 99),
            cand("A2", "A", "y", 98),
            cand("A3", "A", "z", 97),
            cand("B1", "B", "x", 60),
            cand("B2", "B", "y", 50),
        ];
        let p = propose(
            &cs,
            &groups,
            &Targets {
                total: 3,
                min_per_group: 1,
                max_per_county: None,
            },
        );
        assert_eq!(p.picked, vec!["A1", "A2", "B1"]);
        assert!(p.unmet.is_empty());
    }

    #[test]
    fn county_limit_is_respected_and_explained() {
        let groups = vec!["A".to_string()];
        let cs = vec![
            cand("A1", "A", "x", 99),
            cand("A2", "A", "x", 98),
            cand("A3", "A", "y", 97),
        ];
        let p = propose(
            &cs,
            &groups,
            &Targets {
                total: 3,
                min_per_group: 0,
                max_per_county: Some(1),
            },
        );
        assert_eq!(p.picked, vec!["A1", "A3"]);
        assert_eq!(p.unmet.len(), 1);
        assert!(p.unmet[0].contains("3 overall: only 2 can be chosen"), "{:?}", p.unmet);
        assert!(p.unmet[0].contains("limit of 1"), "{:?}", p.unmet);
    }

    #[test]
    fn a_small_topic_is_named() {
        let groups = vec!["A".to_string(), "B".to_string()];
        let mut cs = vec![
            cand("A1", "A", "x", 99),
            cand("A2", "A", "y", 98),
            cand("B1", "B", "z", 90),
        ];
        cs.push(Candidate {
            status: Status::Rejected,
            ..cand("B2", "B", "w", 80)
        });
        let p = propose(
            &cs,
            &groups,
            &Targets {
                total: 4,
                min_per_group: 2,
                max_per_county: None,
            },
        );
        assert!(
            p.unmet
                .iter()
                .any(|u| u.contains("B gets 1, because it has only 1 ranked cases that are not rejected")),
            "{:?}",
            p.unmet
        );
    }

    #[test]
    fn already_selected_count_toward_targets() {
        let groups = vec!["A".to_string()];
        let mut cs = vec![
            cand("A1", "A", "x", 99),
            cand("A2", "A", "y", 98),
            cand("A3", "A", "z", 97),
        ];
        cs[1].status = Status::Selected;
        let p = propose(
            &cs,
            &groups,
            &Targets {
                total: 2,
                min_per_group: 0,
                max_per_county: None,
            },
        );
        assert_eq!(p.picked, vec!["A1"]);
    }

    #[test]
    fn held_cases_are_never_proposed_and_the_shortfall_says_why() {
        let groups = vec!["A".to_string()];
        let mut cs = vec![
            cand("A1", "A", "x", 99),
            cand("A2", "A", "y", 98),
            cand("A3", "A", "z", 97),
        ];
        cs[0].held = true;
        let p = propose(
            &cs,
            &groups,
            &Targets {
                total: 3,
                min_per_group: 3,
                max_per_county: None,
            },
        );
        assert_eq!(p.picked, vec!["A2", "A3"]);
        assert!(
            p.unmet.iter().any(|u| u.contains("A gets 2")
                && u.contains("1 more are held back by the formal check or as likely duplicates")),
            "{:?}",
            p.unmet
        );
        // A held case already chosen by hand still counts toward the targets.
        cs[0].status = Status::Shortlisted;
        let p = propose(
            &cs,
            &groups,
            &Targets {
                total: 2,
                min_per_group: 0,
                max_per_county: None,
            },
        );
        assert_eq!(p.picked, vec!["A2"]);
    }

    #[test]
    fn marks_hold_gaps_and_the_lower_ranked_duplicate_only() {
        use crate::core::rubric::{parse_rubric, template_source};
        let (f, src) = template_source("cases").unwrap();
        let rubric = parse_rubric(f, src).unwrap();
        let case = |id: &str, title: &str| {
            let mut e = Entry {
                id: id.into(),
                group: Some("亲子沟通".into()),
                title: title.into(),
                organization: "一小".into(),
                ..Entry::default()
            };
            for s in Section::ALL {
                *e.sections.get_mut(s) = "这是一段足够长的案例文字，用来说明背景、问题、策略和结果。".repeat(3);
            }
            e
        };
        let mut gap = case("G", "别的题目");
        gap.sections.problem.clear();
        let entries = vec![
            case("D1", "亲子沟通的桥"),
            case("D2", "亲子沟通的桥"),
            gap,
            case("OK", "第三个"),
        ];
        // D2 ranks above D1: D2 is kept (marked), D1 is held.
        let finals: HashMap<String, Ratio> = [("D1", 80), ("D2", 90), ("G", 95), ("OK", 70)]
            .into_iter()
            .map(|(id, f)| (id.to_string(), Ratio::from_int(f)))
            .collect();
        let marks = shortlist_marks(&rubric, &entries, &finals);
        assert_eq!(marks.len(), 3, "{marks:?}");
        assert_eq!(marks["G"].formal, vec![Section::Problem]);
        assert!(marks["G"].held() && marks["G"].failed_formal_check() && !marks["G"].likely_duplicate());
        assert_eq!(marks["D1"].duplicates, vec!["D2"]);
        assert!(marks["D1"].held() && marks["D1"].lower_duplicate);
        assert_eq!(marks["D2"].duplicates, vec!["D1"]);
        assert!(!marks["D2"].held() && marks["D2"].likely_duplicate());
        // An unranked case is below a ranked one.
        let finals: HashMap<String, Ratio> = [("D1".to_string(), Ratio::from_int(10))].into_iter().collect();
        let marks = shortlist_marks(&rubric, &entries, &finals);
        assert!(marks["D2"].held() && !marks["D1"].held());
    }
}
