//! Discussion after scoring (issue 16): who may see the panel's marks of an entry the organiser
//! opened for discussion, and how the judges are named there. Pure: the store reads the inputs,
//! [`panel_for`] decides, the screens draw the value it returns.
//!
//! The rule: nothing at all (not even that the entry is under discussion) unless the rubric's
//! `discussion` is not "off", the entry is under discussion, the judge is not in conflict with it
//! (回避) and has submitted at least one of its rounds; then, for each round the judge submitted,
//! every submitted sheet of the panel (the judge's own once, marked as theirs) with its marks
//! per criterion and total, and the comments of the judges who submitted a sheet of the entry.

use super::exact::Points;
use super::rubric::{Discussion, Rubric};

/// Why `jury discuss` refused (nothing was changed). The English text is the Display; the
/// catalogues translate it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscussionRefusal {
    /// The rubric's `discussion` is "off" (or missing).
    #[error(
        "discussion is off in this contest's rubric: set the rubric key discussion = \"named\" or \"anonymous\" \
         to allow it; nothing was changed"
    )]
    Off,
    #[error("there is no entry {entry}; nothing was changed")]
    UnknownEntry { entry: String },
    /// `discuss open` with neither ids nor `--flagged`.
    #[error("name the entries to discuss, or use --flagged; nothing was changed")]
    NothingNamed,
    /// `discuss open --flagged` when the tally flags no entry (分差过大).
    #[error("the tally flags no entry (分差过大){}; nothing was changed", group.as_ref().map(|g| format!(" in {g}")).unwrap_or_default())]
    NoneFlagged { group: Option<String> },
}

/// One submitted sheet of the entry, as the store has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelSheet {
    pub judge: String,
    pub round: String,
    /// (criterion id, value).
    pub scores: Vec<(String, Points)>,
}

/// What the rule needs to know about one judge, one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelInput<'a> {
    /// The judge looking.
    pub viewer: &'a str,
    /// The entry is under discussion.
    pub open: bool,
    /// The viewer is in conflict with the entry (回避).
    pub conflicted: bool,
    /// Every judge's id in the judges' order (the order of the numbers `评委1`, `评委2`, ...).
    pub judges: &'a [String],
    /// The entry's submitted sheets (drafts are never passed in).
    pub sheets: &'a [PanelSheet],
    /// (judge, comment) for the entry.
    pub comments: &'a [(String, String)],
}

/// How a judge is named in the marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JudgeLabel {
    /// The judge's id (`discussion = "named"`).
    Id(String),
    /// `评委N` (`discussion = "anonymous"`): N counts from 1 over the judges who submitted a
    /// sheet of the entry, in the judges' order.
    Number(usize),
}

/// One judge's marks of one round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelMark {
    pub label: JudgeLabel,
    /// The viewer's own sheet.
    pub own: bool,
    /// Per criterion of the round, in the rubric's order (`None`: no value).
    pub scores: Vec<Option<Points>>,
    pub total: Points,
}

/// The panel's marks of one round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelRound {
    pub round: String,
    pub name: String,
    /// The criteria's names, in the rubric's order.
    pub criteria: Vec<String>,
    pub marks: Vec<PanelMark>,
}

/// A comment of the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelComment {
    pub label: JudgeLabel,
    pub own: bool,
    pub text: String,
}

/// What a judge sees of an entry under discussion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelView {
    pub entry: String,
    /// The rounds the viewer submitted, in the rubric's order.
    pub rounds: Vec<PanelRound>,
    pub comments: Vec<PanelComment>,
}

/// What `input.viewer` may see of `entry` (see the module's rule); `None`: nothing.
pub fn panel_for(rubric: &Rubric, entry: &str, input: &PanelInput<'_>) -> Option<PanelView> {
    if rubric.discussion == Discussion::Off || !input.open || input.conflicted {
        return None;
    }
    let submitted = |judge: &str, round: &str| input.sheets.iter().any(|s| s.judge == judge && s.round == round);
    if !input.sheets.iter().any(|s| s.judge == input.viewer) {
        return None;
    }
    // The judges who submitted a sheet of the entry, in the judges' order (then any judge not in
    // the list, by id, so that no sheet is left out).
    let mut panel: Vec<&str> = input
        .judges
        .iter()
        .map(String::as_str)
        .filter(|j| input.sheets.iter().any(|s| s.judge == *j))
        .collect();
    let mut others: Vec<&str> = input
        .sheets
        .iter()
        .map(|s| s.judge.as_str())
        .filter(|j| !input.judges.iter().any(|x| x == j))
        .collect();
    others.sort_unstable();
    others.dedup();
    panel.extend(others);
    let label = |judge: &str| match rubric.discussion {
        Discussion::Anonymous => JudgeLabel::Number(panel.iter().position(|j| *j == judge).map_or(0, |i| i + 1)),
        _ => JudgeLabel::Id(judge.to_string()),
    };
    let rounds = rubric
        .rounds
        .iter()
        .filter(|r| submitted(input.viewer, &r.id))
        .map(|r| PanelRound {
            round: r.id.clone(),
            name: r.name.clone(),
            criteria: r.criteria.iter().map(|c| c.name.clone()).collect(),
            marks: panel
                .iter()
                .filter_map(|judge| {
                    let sheet = input.sheets.iter().find(|s| s.judge == *judge && s.round == r.id)?;
                    let scores: Vec<Option<Points>> = r
                        .criteria
                        .iter()
                        .map(|c| sheet.scores.iter().find(|(id, _)| *id == c.id).map(|(_, v)| *v))
                        .collect();
                    Some(PanelMark {
                        label: label(judge),
                        own: *judge == input.viewer,
                        total: scores.iter().flatten().copied().sum(),
                        scores,
                    })
                })
                .collect(),
        })
        .collect();
    let comments = panel
        .iter()
        .filter_map(|judge| {
            let (_, text) = input
                .comments
                .iter()
                .find(|(j, t)| j == judge && !t.trim().is_empty())?;
            Some(PanelComment {
                label: label(judge),
                own: *judge == input.viewer,
                text: text.clone(),
            })
        })
        .collect();
    Some(PanelView {
        entry: entry.to_string(),
        rounds,
        comments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::parse_rubric;

    const RUBRIC: &str = r#"
name = "t"
kind = "cases"
aggregate = "mean"
groups = ["A"]
step = 0.5
discussion = "named"

[[round]]
id = "r1"
name = "初评"
weight = 0.5

[[round.criterion]]
id = "a"
name = "甲"
max = 10

[[round.criterion]]
id = "b"
name = "乙"
max = 10

[[round]]
id = "r2"
name = "复评"
weight = 0.5

[[round.criterion]]
id = "c"
name = "丙"
max = 10
"#;

    fn rubric(mode: &str) -> Rubric {
        parse_rubric("x.toml", &RUBRIC.replace("\"named\"", &format!("\"{mode}\""))).unwrap()
    }

    fn p(n: i64) -> Points {
        Points::from_int(n)
    }

    fn sheet(judge: &str, round: &str, scores: &[(&str, i64)]) -> PanelSheet {
        PanelSheet {
            judge: judge.into(),
            round: round.into(),
            scores: scores.iter().map(|(c, v)| (c.to_string(), p(*v))).collect(),
        }
    }

    fn judges() -> Vec<String> {
        ["PW01", "PW02", "PW03"].map(String::from).to_vec()
    }

    /// PW02 and PW03 submitted round 1; PW03 also round 2; PW01 submitted nothing.
    fn sheets() -> Vec<PanelSheet> {
        vec![
            sheet("PW03", "r1", &[("a", 9), ("b", 7)]),
            sheet("PW02", "r1", &[("a", 6), ("b", 5)]),
            sheet("PW03", "r2", &[("c", 8)]),
        ]
    }

    fn comments() -> Vec<(String, String)> {
        vec![
            ("PW03".into(), "案例真实，做法可推广".into()),
            ("PW02".into(), "  ".into()),
        ]
    }

    fn look(rubric: &Rubric, viewer: &str, open: bool, conflicted: bool) -> Option<PanelView> {
        let (judges, sheets, comments) = (judges(), sheets(), comments());
        panel_for(
            rubric,
            "AL01",
            &PanelInput {
                viewer,
                open,
                conflicted,
                judges: &judges,
                sheets: &sheets,
                comments: &comments,
            },
        )
    }

    #[test]
    fn a_judge_who_submitted_sees_the_panel_of_the_rounds_they_submitted() {
        let v = look(&rubric("named"), "PW02", true, false).expect("PW02 submitted round 1");
        assert_eq!(v.entry, "AL01");
        // Round 2 is not shown: PW02 has not submitted it (the other round).
        assert_eq!(v.rounds.len(), 1);
        let r = &v.rounds[0];
        assert_eq!(
            (r.round.as_str(), r.criteria.clone()),
            ("r1", vec!["甲".to_string(), "乙".into()])
        );
        assert_eq!(
            r.marks,
            vec![
                PanelMark {
                    label: JudgeLabel::Id("PW02".into()),
                    own: true,
                    scores: vec![Some(p(6)), Some(p(5))],
                    total: p(11),
                },
                PanelMark {
                    label: JudgeLabel::Id("PW03".into()),
                    own: false,
                    scores: vec![Some(p(9)), Some(p(7))],
                    total: p(16),
                },
            ]
        );
        // The empty comment is left out.
        assert_eq!(
            v.comments,
            vec![PanelComment {
                label: JudgeLabel::Id("PW03".into()),
                own: false,
                text: "案例真实，做法可推广".into(),
            }]
        );
        let v = look(&rubric("named"), "PW03", true, false).unwrap();
        assert_eq!(
            v.rounds.iter().map(|r| r.round.as_str()).collect::<Vec<_>>(),
            ["r1", "r2"]
        );
        assert_eq!(v.rounds[1].marks.len(), 1);
        assert!(v.rounds[1].marks[0].own);
    }

    #[test]
    fn nothing_without_a_submitted_sheet_in_conflict_closed_or_off() {
        let named = rubric("named");
        assert_eq!(look(&named, "PW01", true, false), None, "not submitted");
        assert_eq!(look(&named, "PW09", true, false), None, "not on the list");
        assert_eq!(look(&named, "PW02", true, true), None, "conflicted");
        assert_eq!(look(&named, "PW02", false, false), None, "not under discussion");
        assert_eq!(look(&rubric("off"), "PW02", true, false), None, "discussion off");
    }

    #[test]
    fn anonymous_numbers_the_panel_in_the_judges_order_the_same_in_every_round() {
        let v = look(&rubric("anonymous"), "PW03", true, false).unwrap();
        let labels = |r: &PanelRound| r.marks.iter().map(|m| (m.label.clone(), m.own)).collect::<Vec<_>>();
        // PW01 submitted nothing: PW02 is 评委1, PW03 评委2, whoever looks and in every round.
        assert_eq!(
            labels(&v.rounds[0]),
            vec![(JudgeLabel::Number(1), false), (JudgeLabel::Number(2), true)]
        );
        assert_eq!(labels(&v.rounds[1]), vec![(JudgeLabel::Number(2), true)]);
        assert_eq!(v.comments[0].label, JudgeLabel::Number(2));
        let v = look(&rubric("anonymous"), "PW02", true, false).unwrap();
        assert_eq!(
            labels(&v.rounds[0]),
            vec![(JudgeLabel::Number(1), true), (JudgeLabel::Number(2), false)]
        );
        // No id anywhere in an anonymous view.
        assert!(!format!("{v:?}").contains("PW0"), "{v:?}");
    }
}
