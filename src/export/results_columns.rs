//! The columns every results format shows, in one place: rank, id, title, the contestant's name
//! (when the entries have one), organisation (单位), county (县市区), each round (only when there
//! is more than one: a single round's score is the final), the final score and the award (only
//! when the rubric has awards). HTML, Markdown, XLSX and DOCX take their columns from here.

use crate::core::tally::EntryResult;

use super::output::percent;
use super::snapshot::Snapshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Rank,
    Id,
    Title,
    Name,
    Organization,
    County,
    /// The round at this index of the rubric.
    Round(usize),
    Final,
    Award,
}

/// The columns of this snapshot's results, in order.
pub fn columns(s: &Snapshot) -> Vec<Column> {
    let mut out = vec![Column::Rank, Column::Id, Column::Title];
    if s.has_names() {
        out.push(Column::Name);
    }
    if s.has_organizations() {
        out.push(Column::Organization);
    }
    if s.has_counties() {
        out.push(Column::County);
    }
    if s.shows_rounds() {
        out.extend((0..s.rubric.rounds.len()).map(Column::Round));
    }
    out.push(Column::Final);
    if s.has_awards() {
        out.push(Column::Award);
    }
    out
}

impl Column {
    /// The header's text; a round's carries its weight on a second line (`\n`).
    pub fn header(self, s: &Snapshot) -> String {
        match self {
            Column::Rank => "名次".into(),
            Column::Id => "编号".into(),
            Column::Title => "标题".into(),
            Column::Name => "选手".into(),
            Column::Organization => "单位".into(),
            Column::County => "县市区".into(),
            Column::Round(i) => s
                .rubric
                .rounds
                .get(i)
                .map(|r| format!("{}\n{}%", r.name, percent(r.weight)))
                .unwrap_or_default(),
            Column::Final => "最终得分".into(),
            Column::Award => "奖项".into(),
        }
    }

    /// Right-aligned numbers.
    pub fn numeric(self) -> bool {
        matches!(self, Column::Rank | Column::Round(_) | Column::Final)
    }

    /// The cell's text; `None` when there is no value (no rank, no score yet).
    pub fn value(self, s: &Snapshot, e: &EntryResult) -> Option<String> {
        let d = s.tally.decimals;
        let text = |t: &str| (!t.is_empty()).then(|| t.to_string());
        match self {
            Column::Rank => e.rank.map(|r| r.to_string()),
            Column::Id => Some(e.id.clone()),
            Column::Title => Some(e.title.clone()),
            Column::Name => text(s.entry_name(&e.id)),
            Column::Organization => text(s.entry_organization(&e.id)),
            Column::County => text(s.entry_county(&e.id)),
            Column::Round(i) => e.rounds.get(i).and_then(|r| r.score).map(|x| x.format_fixed(d)),
            Column::Final => e.final_score.map(|f| f.format_fixed(d)),
            Column::Award => e.award.clone(),
        }
    }
}

/// The note on an entry: why it is incomplete, or (the panel's copy only) how many of its
/// judges' totals are flagged 分差过大.
pub fn note(s: &Snapshot, e: &EntryResult) -> String {
    if e.complete {
        let flags = e.flagged_marks().count();
        if flags > 0 && !s.public {
            format!("分差过大 {flags} 处")
        } else {
            String::new()
        }
    } else {
        let why: Vec<String> = e
            .shortfalls
            .iter()
            .map(|x| {
                let name = s.rubric.round(&x.round).map_or(x.round.as_str(), |r| r.name.as_str());
                format!("{name} {}/{}", x.have, x.need)
            })
            .collect();
        format!("未完成：{}", why.join("，"))
    }
}

/// The title over a group's results on every page: `<contest> <group> 评审结果　<standing>`.
pub fn group_title(s: &Snapshot, group: &str) -> String {
    format!(
        "{} {group} {}　{}",
        s.tally.contest,
        s.results_title(),
        s.standing(group).heading_zh()
    )
}

/// The organiser's line for the seal on the public copy.
pub const SEAL_LINE: &str = "主办单位（盖章）：";

/// The organiser's line for the seal as plain text: the rubric's `organiser` when it names one,
/// else a blank to write it in; then the date's blank.
pub fn seal_line(rubric: &crate::core::rubric::Rubric) -> String {
    let organiser = rubric.organiser.as_deref().unwrap_or("__________");
    format!("{SEAL_LINE}{organiser}　　日期：__________")
}
