//! Who may score what: group panels and per-entry assignments, and the balanced assignment of
//! cases to reviewers.

use std::collections::{HashMap, HashSet};

/// Panels and assignments as stored. With neither, every judge may score every entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Eligibility {
    /// entry → the judges it is assigned to.
    pub per_entry: HashMap<String, HashSet<String>>,
    /// group → its panel.
    pub panels: HashMap<String, HashSet<String>>,
}

impl Eligibility {
    /// `true` when the contest uses no assignment at all.
    pub fn is_open(&self) -> bool {
        self.per_entry.is_empty() && self.panels.is_empty()
    }

    /// May `judge` score `entry` (in `group`)? Entry assignments decide first, then the group's
    /// panel; an entry with neither is open to every judge.
    pub fn allows(&self, judge: &str, entry: &str, group: Option<&str>) -> bool {
        if let Some(judges) = self.per_entry.get(entry) {
            return judges.contains(judge);
        }
        if let Some(panel) = group.and_then(|g| self.panels.get(g)) {
            return panel.contains(judge);
        }
        true
    }
}

/// An entry to assign: id, group, organisation-derived conflicts already resolved by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToAssign {
    pub entry: String,
    pub group: String,
    /// Judges who may not review it (conflicts of interest).
    pub excluded: HashSet<String>,
}

/// Give each entry `per_entry` reviewers: never an excluded one, balancing the total load and
/// spreading each reviewer over the groups (topics). Deterministic for the same input.
/// Returns (entry, judge) pairs, or the first entry that cannot get enough reviewers.
pub fn balanced_assignment(
    entries: &[ToAssign],
    judges: &[String],
    per_entry: usize,
) -> Result<Vec<(String, String)>, String> {
    if per_entry == 0 {
        return Err("--per-entry must be at least 1".into());
    }
    if judges.len() < per_entry {
        return Err(format!(
            "{} reviewers were asked for each entry but only {} judges exist",
            per_entry,
            judges.len()
        ));
    }
    let mut load: Vec<usize> = vec![0; judges.len()];
    let mut topic_load: HashMap<(&str, usize), usize> = HashMap::new();
    // Interleave groups so early entries do not all come from one topic.
    let mut by_group: Vec<(&str, Vec<&ToAssign>)> = Vec::new();
    for e in entries {
        match by_group.iter_mut().find(|(g, _)| *g == e.group) {
            Some((_, list)) => list.push(e),
            None => by_group.push((e.group.as_str(), vec![e])),
        }
    }
    let longest = by_group.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    let mut out = Vec::with_capacity(entries.len() * per_entry);
    for i in 0..longest {
        for (group, list) in &by_group {
            let Some(e) = list.get(i) else { continue };
            let mut candidates: Vec<usize> = (0..judges.len())
                .filter(|&j| !e.excluded.contains(&judges[j]))
                .collect();
            if candidates.len() < per_entry {
                return Err(format!(
                    "{} can have only {} reviewers without a conflict of interest; {per_entry} were asked",
                    e.entry,
                    candidates.len()
                ));
            }
            candidates.sort_by_key(|&j| (load[j], topic_load.get(&(*group, j)).copied().unwrap_or(0), j));
            for &j in candidates.iter().take(per_entry) {
                load[j] += 1;
                *topic_load.entry((*group, j)).or_insert(0) += 1;
                out.push((e.entry.clone(), judges[j].clone()));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(id: &str, group: &str, excluded: &[&str]) -> ToAssign {
        ToAssign {
            entry: id.into(),
            group: group.into(),
            excluded: excluded.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn balances_load_and_respects_conflicts() {
        let judges: Vec<String> = (1..=5).map(|i| format!("J{i}")).collect();
        let mut entries = Vec::new();
        for i in 0..20 {
            let group = ["A", "B", "C", "D"][i % 4];
            let excluded: &[&str] = if i % 5 == 0 { &["J1"] } else { &[] };
            entries.push(todo(&format!("E{i:02}"), group, excluded));
        }
        let pairs = balanced_assignment(&entries, &judges, 3).unwrap();
        assert_eq!(pairs.len(), 60);
        // Never a conflicted reviewer.
        for (e, j) in &pairs {
            let idx: usize = e[1..].parse().unwrap();
            assert!(!(idx.is_multiple_of(5) && j == "J1"), "{e} went to J1");
        }
        // Every entry has 3 distinct reviewers.
        for e in &entries {
            let mut js: Vec<&String> = pairs.iter().filter(|(x, _)| *x == e.entry).map(|(_, j)| j).collect();
            js.dedup();
            assert_eq!(js.len(), 3);
        }
        // Loads differ by at most one.
        let loads: Vec<usize> = judges
            .iter()
            .map(|j| pairs.iter().filter(|(_, x)| x == j).count())
            .collect();
        assert!(
            loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1,
            "{loads:?}"
        );
        // Each reviewer sees every topic.
        for j in &judges {
            let topics: HashSet<&str> = pairs
                .iter()
                .filter(|(_, x)| x == j)
                .map(|(e, _)| entries.iter().find(|t| &t.entry == e).unwrap().group.as_str())
                .collect();
            assert_eq!(topics.len(), 4, "{j} sees {topics:?}");
        }
    }

    #[test]
    fn says_which_entry_cannot_be_covered() {
        let judges: Vec<String> = vec!["J1".into(), "J2".into(), "J3".into()];
        let entries = vec![todo("E1", "A", &[]), todo("E2", "A", &["J1", "J2"])];
        let err = balanced_assignment(&entries, &judges, 2).unwrap_err();
        assert!(err.contains("E2 can have only 1 reviewers"), "{err}");
        assert!(
            balanced_assignment(&entries, &judges, 4)
                .unwrap_err()
                .contains("only 3 judges")
        );
    }

    #[test]
    fn eligibility_rules() {
        let mut el = Eligibility::default();
        assert!(el.allows("J1", "E1", Some("A")));
        el.panels.insert("A".into(), ["J1".to_string()].into_iter().collect());
        assert!(el.allows("J1", "E1", Some("A")));
        assert!(!el.allows("J2", "E1", Some("A")));
        assert!(el.allows("J2", "E9", Some("B")), "a group without a panel stays open");
        el.per_entry
            .insert("E1".into(), ["J2".to_string()].into_iter().collect());
        assert!(el.allows("J2", "E1", Some("A")), "entry assignment decides first");
        assert!(!el.allows("J1", "E1", Some("A")));
    }
}
