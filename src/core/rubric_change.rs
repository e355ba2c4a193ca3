//! A rubric changed after `init` (issue 16): what would change, key by key, which stored data each
//! change touches, and whether the stored scores allow it. Pure: the caller reads the stored scores,
//! sheets and entries ([`Stored`]) and writes what [`plan`] decides.
//!
//! The rules: before the first score anything may change. After it, anything may change except
//! what stored scores depend on: a round or criterion that holds scores may not go, and a maximum or
//! step may not make a stored score invalid ([`RubricRefusal::ScoresDepend`], naming each score). A
//! group is renamed when the new rubric has as many groups and exactly one name differs, or with
//! `--rename OLD=NEW`; a group dropped while it holds entries is refused naming them. A criterion
//! added to a round leaves that round's sheets incomplete: the submitted ones become drafts again
//! (reopened, audited), so the judges see them open and the tally does not count them half-scored.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use super::exact::{Points, Ratio};
use super::rubric::Rubric;
use super::scoring::{ScoreError, check_score};

/// One stored score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScore {
    pub judge: String,
    pub entry: String,
    pub round: String,
    pub criterion: String,
    pub value: Points,
}

/// One stored sheet (a judge's sheet of one entry and round).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSheet {
    pub judge: String,
    pub entry: String,
    pub round: String,
    pub submitted: bool,
}

/// What a rubric change is checked against: every score, sheet and entry (id, group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    pub scores: Vec<StoredScore>,
    pub sheets: Vec<StoredSheet>,
    pub entries: Vec<(String, Option<String>)>,
}

/// How much stored data one change touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Touches {
    pub scores: usize,
    pub sheets: usize,
    pub entries: usize,
}

impl Touches {
    pub fn is_empty(&self) -> bool {
        *self == Touches::default()
    }
}

/// One key that changes: its name (`step`, `round.lesson.weight`, `group.教师组`,
/// `round.lesson.criterion.content.max`, `award.一等奖.share` ...), the value before and after
/// (`None`: the key is added, or removed), and the stored data it touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyChange {
    pub key: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub touches: Touches,
}

/// A group renamed: its entries, panels and locks carry over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub old: String,
    pub new: String,
}

/// Why a stored score stands in the way of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    RoundRemoved,
    CriterionRemoved,
    OverMax { max: Points },
    OffStep { step: Points },
}

/// A stored score the new rubric would break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreProblem {
    pub judge: String,
    pub entry: String,
    pub round: String,
    pub criterion: String,
    pub value: Points,
    pub why: Why,
}

/// A rubric change refused: nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RubricRefusal {
    /// Stored scores depend on what the new rubric removes or narrows (each named).
    ScoresDepend { problems: Vec<ScoreProblem> },
    /// Groups the new rubric drops while entries are in them (group, its entries).
    GroupsDropped { groups: Vec<(String, Vec<String>)> },
    /// `--rename OLD=NEW` where OLD is not a group of the current rubric.
    RenameUnknown { old: String },
    /// `--rename OLD=NEW` where NEW is not a group of the new rubric.
    RenameMissing { new: String },
    /// `--rename OLD=NEW` where NEW is already a group of the current rubric (or named twice).
    RenameTaken { new: String },
    /// `--rename` not of the form OLD=NEW.
    RenameForm { text: String },
    /// The new rubric is the current one.
    Unchanged,
}

/// At most this many scores or entries are named in one refusal (then "and N more").
pub const NAMED_AT_MOST: usize = 30;

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::RoundRemoved => write!(f, "its round is removed"),
            Why::CriterionRemoved => write!(f, "its criterion is removed"),
            Why::OverMax { max } => write!(f, "over the new maximum {max}"),
            Why::OffStep { step } => write!(f, "not a multiple of the new step {step}"),
        }
    }
}

/// `a, b, c and N more`.
pub fn named_list(items: &[String], more: impl Fn(usize) -> String) -> String {
    let mut text = items.iter().take(NAMED_AT_MOST).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > NAMED_AT_MOST {
        text.push_str(&more(items.len() - NAMED_AT_MOST));
    }
    text
}

impl ScoreProblem {
    /// `PW01 JS001 lesson/content 25`.
    pub fn name(&self) -> String {
        format!(
            "{} {} {}/{} {}",
            self.judge, self.entry, self.round, self.criterion, self.value
        )
    }
}

impl fmt::Display for RubricRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nothing = "nothing was changed";
        match self {
            RubricRefusal::ScoresDepend { problems } => {
                let named: Vec<String> = problems.iter().map(|p| format!("{} ({})", p.name(), p.why)).collect();
                write!(
                    f,
                    "the new rubric would make {} stored scores invalid (judge entry round/criterion value): {}; \
                     remove those scores first (`jury score remove`) or keep what they need; {nothing}",
                    problems.len(),
                    named_list(&named, |n| format!(" and {n} more"))
                )
            }
            RubricRefusal::GroupsDropped { groups } => {
                let named: Vec<String> = groups
                    .iter()
                    .map(|(g, entries)| {
                        format!(
                            "{g} ({} entries: {})",
                            entries.len(),
                            named_list(entries, |n| format!(" and {n} more"))
                        )
                    })
                    .collect();
                write!(
                    f,
                    "the new rubric drops groups that hold entries: {}; keep the group, or give --rename OLD=NEW to \
                     rename it; {nothing}",
                    named.join("; ")
                )
            }
            RubricRefusal::RenameUnknown { old } => {
                write!(
                    f,
                    "--rename {old}=...: \"{old}\" is not a group of the current rubric; {nothing}"
                )
            }
            RubricRefusal::RenameMissing { new } => {
                write!(
                    f,
                    "--rename ...={new}: \"{new}\" is not a group of the new rubric; {nothing}"
                )
            }
            RubricRefusal::RenameTaken { new } => write!(
                f,
                "--rename ...={new}: \"{new}\" is already a group of the current rubric (or named twice); {nothing}"
            ),
            RubricRefusal::RenameForm { text } => {
                write!(
                    f,
                    "--rename \"{text}\": write it as OLD=NEW (the group's old and new names); {nothing}"
                )
            }
            RubricRefusal::Unchanged => write!(f, "the new rubric is the same as the current one; {nothing}"),
        }
    }
}

impl std::error::Error for RubricRefusal {}

/// `OLD=NEW` as typed after `--rename`.
pub fn parse_rename(text: &str) -> Result<Rename, RubricRefusal> {
    match text.split_once('=') {
        Some((old, new)) if !old.trim().is_empty() && !new.trim().is_empty() => Ok(Rename {
            old: old.trim().to_string(),
            new: new.trim().to_string(),
        }),
        _ => Err(RubricRefusal::RenameForm { text: text.to_string() }),
    }
}

/// Everything a change of rubric would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RubricDiff {
    /// Key by key, in the rubric's order.
    pub changes: Vec<KeyChange>,
    /// The groups renamed (by inference or `--rename`).
    pub renames: Vec<Rename>,
    /// Sheets a new criterion leaves incomplete (drafts and submitted).
    pub incomplete: usize,
    /// Of those, the submitted sheets: they become drafts again (judge, entry, round).
    pub reopened: Vec<(String, String, String)>,
    /// Entries with a sheet that now lack a sheet of an added round.
    pub missing_round: usize,
    /// Whether any score is stored (before the first score anything may change).
    pub scored: bool,
    /// What refuses the change, if anything (the diff is still shown).
    pub refusal: Option<RubricRefusal>,
}

fn show<T: fmt::Display>(v: &T) -> String {
    v.to_string()
}

/// A weight or share as the rubric writes it: the exact decimal (`0.4`, not `2/5`).
fn ratio(r: &Ratio) -> String {
    (0..=12u32)
        .find(|d| (r.numer() * 10_i128.pow(*d)) % r.denom() == 0)
        .map_or_else(|| r.to_string(), |d| r.format_fixed(d))
}

fn opt<T: fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "(none)".into())
}

/// Indexes over the stored data.
struct Index<'a> {
    stored: &'a Stored,
    /// Entries with at least one submitted sheet (their results are recomputed).
    results: usize,
    /// Entries with any sheet.
    with_sheets: usize,
    group_entries: HashMap<&'a str, Vec<String>>,
}

impl<'a> Index<'a> {
    fn new(stored: &'a Stored) -> Index<'a> {
        let submitted: BTreeSet<&str> = stored
            .sheets
            .iter()
            .filter(|s| s.submitted)
            .map(|s| s.entry.as_str())
            .collect();
        let with_sheets: BTreeSet<&str> = stored.sheets.iter().map(|s| s.entry.as_str()).collect();
        let mut group_entries: HashMap<&str, Vec<String>> = HashMap::new();
        for (id, group) in &stored.entries {
            if let Some(g) = group {
                group_entries.entry(g.as_str()).or_default().push(id.clone());
            }
        }
        Index {
            stored,
            results: submitted.len(),
            with_sheets: with_sheets.len(),
            group_entries,
        }
    }

    fn results(&self) -> Touches {
        Touches {
            entries: self.results,
            ..Touches::default()
        }
    }

    fn round(&self, round: &str, criterion: Option<&str>) -> Touches {
        let scores = self
            .stored
            .scores
            .iter()
            .filter(|s| s.round == round && criterion.is_none_or(|c| c == s.criterion))
            .count();
        let sheets: BTreeSet<(&str, &str)> = self
            .stored
            .scores
            .iter()
            .filter(|s| s.round == round && criterion.is_none_or(|c| c == s.criterion))
            .map(|s| (s.judge.as_str(), s.entry.as_str()))
            .collect();
        let entries: BTreeSet<&str> = sheets.iter().map(|(_, e)| *e).collect();
        Touches {
            scores,
            sheets: sheets.len(),
            entries: entries.len(),
        }
    }

    fn group(&self, group: &str) -> Touches {
        let entries = self.group_entries.get(group).map(Vec::as_slice).unwrap_or(&[]);
        let ids: BTreeSet<&str> = entries.iter().map(String::as_str).collect();
        Touches {
            scores: self
                .stored
                .scores
                .iter()
                .filter(|s| ids.contains(s.entry.as_str()))
                .count(),
            sheets: self
                .stored
                .sheets
                .iter()
                .filter(|s| ids.contains(s.entry.as_str()))
                .count(),
            entries: entries.len(),
        }
    }
}

fn key(changes: &mut Vec<KeyChange>, key: impl Into<String>, old: String, new: String, touches: Touches) {
    if old != new {
        changes.push(KeyChange {
            key: key.into(),
            old: Some(old),
            new: Some(new),
            touches,
        });
    }
}

fn added(changes: &mut Vec<KeyChange>, key: impl Into<String>, new: String, touches: Touches) {
    changes.push(KeyChange {
        key: key.into(),
        old: None,
        new: Some(new),
        touches,
    });
}

fn removed(changes: &mut Vec<KeyChange>, key: impl Into<String>, old: String, touches: Touches) {
    changes.push(KeyChange {
        key: key.into(),
        old: Some(old),
        new: None,
        touches,
    });
}

/// The groups renamed: `given` (checked), or else inferred (as many groups, exactly one differs).
fn renames(old: &Rubric, new: &Rubric, given: &[Rename]) -> Result<Vec<Rename>, RubricRefusal> {
    if given.is_empty() {
        let gone: Vec<&String> = old.groups.iter().filter(|g| !new.has_group(g)).collect();
        let came: Vec<&String> = new.groups.iter().filter(|g| !old.has_group(g)).collect();
        if old.groups.len() == new.groups.len() && gone.len() == 1 && came.len() == 1 {
            return Ok(vec![Rename {
                old: gone[0].clone(),
                new: came[0].clone(),
            }]);
        }
        return Ok(Vec::new());
    }
    let mut targets = BTreeSet::new();
    for r in given {
        if !old.has_group(&r.old) {
            return Err(RubricRefusal::RenameUnknown { old: r.old.clone() });
        }
        if !new.has_group(&r.new) {
            return Err(RubricRefusal::RenameMissing { new: r.new.clone() });
        }
        if (old.has_group(&r.new) && !given.iter().any(|o| o.old == r.new)) || !targets.insert(r.new.clone()) {
            return Err(RubricRefusal::RenameTaken { new: r.new.clone() });
        }
    }
    Ok(given.to_vec())
}

/// What changing `old` into `new` would do to `stored`, and whether it is refused.
pub fn plan(old: &Rubric, new: &Rubric, stored: &Stored, given: &[Rename]) -> Result<RubricDiff, RubricRefusal> {
    let renames = renames(old, new, given)?;
    let ix = Index::new(stored);
    let mut c = Vec::new();
    let none = Touches::default();
    let results = ix.results();
    key(&mut c, "name", old.name.clone(), new.name.clone(), none);
    key(
        &mut c,
        "kind",
        old.kind.as_str().into(),
        new.kind.as_str().into(),
        results,
    );
    key(
        &mut c,
        "aggregate",
        old.aggregate.as_str().into(),
        new.aggregate.as_str().into(),
        results,
    );
    key(&mut c, "trim", show(&old.trim), show(&new.trim), results);
    key(
        &mut c,
        "min_judges_for_trim",
        show(&old.min_judges_for_trim),
        show(&new.min_judges_for_trim),
        results,
    );
    key(
        &mut c,
        "min_judges",
        show(&old.min_judges),
        show(&new.min_judges),
        results,
    );
    key(&mut c, "decimals", show(&old.decimals), show(&new.decimals), results);
    let all_scores = Touches {
        scores: stored.scores.len(),
        sheets: stored
            .scores
            .iter()
            .map(|s| (&s.judge, &s.entry, &s.round))
            .collect::<BTreeSet<_>>()
            .len(),
        entries: stored.scores.iter().map(|s| &s.entry).collect::<BTreeSet<_>>().len(),
    };
    key(&mut c, "step", show(&old.step), show(&new.step), all_scores);
    key(&mut c, "deviation", opt(&old.deviation), opt(&new.deviation), none);
    // Groups: renamed, removed, added, then their order.
    for r in &renames {
        key(
            &mut c,
            format!("group.{}", r.old),
            r.old.clone(),
            r.new.clone(),
            ix.group(&r.old),
        );
    }
    let renamed_from: BTreeSet<&str> = renames.iter().map(|r| r.old.as_str()).collect();
    let renamed_to: BTreeSet<&str> = renames.iter().map(|r| r.new.as_str()).collect();
    let mut dropped: Vec<(String, Vec<String>)> = Vec::new();
    for g in &old.groups {
        if !new.has_group(g) && !renamed_from.contains(g.as_str()) {
            removed(&mut c, format!("group.{g}"), g.clone(), ix.group(g));
            if let Some(entries) = ix.group_entries.get(g.as_str()).filter(|e| !e.is_empty()) {
                dropped.push((g.clone(), entries.clone()));
            }
        }
    }
    for g in &new.groups {
        if !old.has_group(g) && !renamed_to.contains(g.as_str()) {
            added(&mut c, format!("group.{g}"), g.clone(), none);
        }
    }
    let carried: Vec<String> = old
        .groups
        .iter()
        .map(|g| {
            renames
                .iter()
                .find(|r| &r.old == g)
                .map_or_else(|| g.clone(), |r| r.new.clone())
        })
        .filter(|g| new.has_group(g))
        .collect();
    let kept_new: Vec<String> = new.groups.iter().filter(|g| carried.contains(g)).cloned().collect();
    key(&mut c, "groups (order)", carried.join(", "), kept_new.join(", "), none);
    key(
        &mut c,
        "tie_break",
        old.tie_break.join(", "),
        new.tie_break.join(", "),
        results,
    );
    let sections = |r: &Rubric| {
        r.required_sections
            .iter()
            .map(|s| s.id())
            .collect::<Vec<_>>()
            .join(", ")
    };
    key(&mut c, "required_sections", sections(old), sections(new), none);
    key(
        &mut c,
        "discussion",
        old.discussion.as_str().into(),
        new.discussion.as_str().into(),
        none,
    );
    key(
        &mut c,
        "min_section_chars",
        show(&old.min_section_chars),
        show(&new.min_section_chars),
        none,
    );
    key(&mut c, "blind", show(&old.blind), show(&new.blind), none);
    key(
        &mut c,
        "reveal",
        format!("{:?}", old.reveal),
        format!("{:?}", new.reveal),
        none,
    );
    key(
        &mut c,
        "projector_names",
        format!("{:?}", old.projector_names),
        format!("{:?}", new.projector_names),
        none,
    );
    key(&mut c, "publicity", opt(&old.publicity), opt(&new.publicity), none);
    key(
        &mut c,
        "certificate_date",
        opt(&old.certificate_date),
        opt(&new.certificate_date),
        none,
    );
    key(
        &mut c,
        "certificate_prefix",
        opt(&old.certificate_prefix),
        opt(&new.certificate_prefix),
        none,
    );
    key(&mut c, "organiser", opt(&old.organiser), opt(&new.organiser), none);

    // Rounds and criteria, by id.
    let mut problems: Vec<ScoreProblem> = Vec::new();
    let mut incomplete = 0;
    let mut reopened: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut missing_round = 0;
    for r in &old.rounds {
        let Some(n) = new.rounds.iter().find(|n| n.id == r.id) else {
            removed(&mut c, format!("round.{}", r.id), r.name.clone(), ix.round(&r.id, None));
            continue;
        };
        let p = format!("round.{}", r.id);
        key(&mut c, format!("{p}.name"), r.name.clone(), n.name.clone(), none);
        key(
            &mut c,
            format!("{p}.weight"),
            ratio(&r.weight),
            ratio(&n.weight),
            results,
        );
        for k in &r.criteria {
            let ck = format!("{p}.criterion.{}", k.id);
            let Some(m) = n.criteria.iter().find(|m| m.id == k.id) else {
                removed(&mut c, ck, k.name.clone(), ix.round(&r.id, Some(&k.id)));
                continue;
            };
            key(&mut c, format!("{ck}.name"), k.name.clone(), m.name.clone(), none);
            key(
                &mut c,
                format!("{ck}.max"),
                show(&k.max),
                show(&m.max),
                ix.round(&r.id, Some(&k.id)),
            );
            key(&mut c, format!("{ck}.guide"), k.guide.clone(), m.guide.clone(), none);
        }
        let mut any_added = false;
        for m in &n.criteria {
            if r.criteria.iter().all(|k| k.id != m.id) {
                any_added = true;
                let sheets: Vec<&StoredSheet> = stored.sheets.iter().filter(|s| s.round == r.id).collect();
                added(
                    &mut c,
                    format!("{p}.criterion.{}", m.id),
                    format!("{} (max {})", m.name, m.max),
                    Touches {
                        sheets: sheets.len(),
                        entries: sheets.iter().map(|s| &s.entry).collect::<BTreeSet<_>>().len(),
                        scores: 0,
                    },
                );
            }
        }
        if any_added {
            for s in stored.sheets.iter().filter(|s| s.round == r.id) {
                incomplete += 1;
                if s.submitted {
                    reopened.insert((s.judge.clone(), s.entry.clone(), s.round.clone()));
                }
            }
        }
        let old_order: Vec<&str> = r
            .criteria
            .iter()
            .filter(|k| n.criteria.iter().any(|m| m.id == k.id))
            .map(|k| k.id.as_str())
            .collect();
        let new_order: Vec<&str> = n
            .criteria
            .iter()
            .filter(|m| r.criteria.iter().any(|k| k.id == m.id))
            .map(|m| m.id.as_str())
            .collect();
        key(
            &mut c,
            format!("{p}.criteria (order)"),
            old_order.join(", "),
            new_order.join(", "),
            none,
        );
    }
    for n in &new.rounds {
        if old.rounds.iter().all(|r| r.id != n.id) {
            missing_round += ix.with_sheets;
            added(
                &mut c,
                format!("round.{}", n.id),
                format!(
                    "{} (weight {}, {} criteria)",
                    n.name,
                    ratio(&n.weight),
                    n.criteria.len()
                ),
                Touches {
                    entries: ix.with_sheets,
                    ..Touches::default()
                },
            );
        }
    }
    let order = |a: &Rubric, b: &Rubric| {
        a.rounds
            .iter()
            .filter(|r| b.rounds.iter().any(|n| n.id == r.id))
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    key(&mut c, "rounds (order)", order(old, new), order(new, old), none);

    // Awards, by name.
    for a in &old.awards {
        match new.awards.iter().find(|b| b.name == a.name) {
            Some(b) => key(
                &mut c,
                format!("award.{}.share", a.name),
                ratio(&a.share),
                ratio(&b.share),
                results,
            ),
            None => removed(&mut c, format!("award.{}", a.name), ratio(&a.share), results),
        }
    }
    for b in &new.awards {
        if old.awards.iter().all(|a| a.name != b.name) {
            added(&mut c, format!("award.{}", b.name), ratio(&b.share), results);
        }
    }

    // The stored scores the new rubric must still accept.
    for s in &stored.scores {
        let why = match new.rounds.iter().find(|r| r.id == s.round) {
            None => Some(Why::RoundRemoved),
            Some(r) => match r.criteria.iter().find(|k| k.id == s.criterion) {
                None => Some(Why::CriterionRemoved),
                Some(k) => match check_score(s.value, k.max, new.step) {
                    Ok(_) => None,
                    Err(ScoreError::OverMax { max, .. }) => Some(Why::OverMax { max }),
                    Err(ScoreError::OffStep { step, .. }) => Some(Why::OffStep { step }),
                    Err(_) => Some(Why::OverMax { max: k.max }),
                },
            },
        };
        if let Some(why) = why {
            problems.push(ScoreProblem {
                judge: s.judge.clone(),
                entry: s.entry.clone(),
                round: s.round.clone(),
                criterion: s.criterion.clone(),
                value: s.value,
                why,
            });
        }
    }
    problems.sort_by(|a, b| {
        (&a.judge, &a.entry, &a.round, &a.criterion).cmp(&(&b.judge, &b.entry, &b.round, &b.criterion))
    });
    let refusal = if !problems.is_empty() {
        Some(RubricRefusal::ScoresDepend { problems })
    } else if !dropped.is_empty() {
        Some(RubricRefusal::GroupsDropped { groups: dropped })
    } else if c.is_empty() {
        Some(RubricRefusal::Unchanged)
    } else {
        None
    };
    Ok(RubricDiff {
        changes: c,
        renames,
        incomplete,
        reopened: reopened.into_iter().collect(),
        missing_round,
        scored: !stored.scores.is_empty(),
        refusal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::{parse_rubric, template_source};

    fn competition() -> Rubric {
        let (f, s) = template_source("competition").unwrap();
        parse_rubric(f, s).unwrap()
    }

    fn score(judge: &str, entry: &str, round: &str, criterion: &str, value: &str) -> StoredScore {
        StoredScore {
            judge: judge.into(),
            entry: entry.into(),
            round: round.into(),
            criterion: criterion.into(),
            value: Points::parse(value).unwrap(),
        }
    }

    #[test]
    fn a_rename_is_inferred_only_when_exactly_one_name_differs() {
        let old = competition();
        let mut new = old.clone();
        new.groups[0] = "青年教师组".into();
        let d = plan(&old, &new, &Stored::default(), &[]).unwrap();
        assert_eq!(
            d.renames,
            vec![Rename {
                old: old.groups[0].clone(),
                new: "青年教师组".into()
            }]
        );
        assert_eq!(d.refusal, None);
        new.groups[1] = "另一组".into();
        let d = plan(&old, &new, &Stored::default(), &[]).unwrap();
        assert!(d.renames.is_empty());
    }

    #[test]
    fn the_discussion_key_is_a_change_like_any_other() {
        let old = competition();
        let mut new = old.clone();
        new.discussion = crate::core::rubric::Discussion::Anonymous;
        let d = plan(&old, &new, &Stored::default(), &[]).unwrap();
        let change = d
            .changes
            .iter()
            .find(|c| c.key == "discussion")
            .expect("the discussion key");
        assert_eq!(
            (change.old.as_deref(), change.new.as_deref()),
            (Some("off"), Some("anonymous"))
        );
        assert_eq!(d.refusal, None);
    }

    #[test]
    fn a_score_over_a_new_maximum_is_named() {
        let old = competition();
        let mut new = old.clone();
        let (round, criterion) = (old.rounds[0].id.clone(), old.rounds[0].criteria[0].id.clone());
        new.rounds[0].criteria[0].max = Points::parse("5").unwrap();
        let stored = Stored {
            scores: vec![score("PW01", "JS001", &round, &criterion, "6")],
            ..Stored::default()
        };
        let d = plan(&old, &new, &stored, &[]).unwrap();
        let Some(RubricRefusal::ScoresDepend { problems }) = &d.refusal else {
            panic!("{:?}", d.refusal)
        };
        assert_eq!(problems[0].name(), format!("PW01 JS001 {round}/{criterion} 6"));
        assert_eq!(
            problems[0].why,
            Why::OverMax {
                max: Points::parse("5").unwrap()
            }
        );
    }
}
