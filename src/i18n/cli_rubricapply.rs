//! What `jury rubric diff` and `jury rubric apply` say (and the console's rubric prompt), in
//! Chinese and English, with the translation of the library's rubric refusals.

use crate::core::rubric_change::{RubricDiff, RubricRefusal, ScoreProblem, Touches, Why, named_list};
use crate::i18n::Lang;

pub struct RubricTexts {
    /// The diff's first line: the file and the current rubric's file.
    pub diff_title: fn(file: &str, current: &str) -> String,
    /// One key that changes (`old`/`new` `None`: added, removed).
    pub change: fn(key: &str, old: Option<&str>, new: Option<&str>) -> String,
    /// What a change touches (never called with nothing).
    pub touches: fn(t: &Touches) -> String,
    pub renamed: fn(old: &str, new: &str) -> String,
    pub incomplete: fn(sheets: usize, submitted: usize) -> String,
    pub missing_round: fn(entries: usize) -> String,
    pub no_scores: &'static str,
    pub would_apply: fn(changes: usize, file: &str) -> String,
    pub would_refuse: fn(why: &str) -> String,
    /// After apply.
    pub applied: fn(file: &str, version: i64, changes: usize) -> String,
    pub carried: fn(old: &str, new: &str) -> String,
    pub reopened: fn(sheets: usize, submitted: usize) -> String,
    pub recomputed: &'static str,
    pub refusal: fn(r: &RubricRefusal) -> String,
    /// The console: the prompt for the file, for the reason, and the confirmation.
    pub ask_file: &'static str,
    pub ask_reason: fn(file: &str, changes: usize) -> String,
    pub console_applied: fn(file: &str, changes: usize, reopened: usize) -> String,
    /// The console prompts' title.
    pub console_title: &'static str,
    /// The console's summary of the diff is cut after this many lines: how many more there were.
    pub more_lines: fn(n: usize) -> String,
}

/// The diff as lines of text (the command line and the console's report).
pub fn diff_lines(d: &RubricDiff, file: &str, current: &str, t: &RubricTexts) -> Vec<String> {
    let mut lines = vec![(t.diff_title)(file, current)];
    for c in &d.changes {
        lines.push((t.change)(&c.key, c.old.as_deref(), c.new.as_deref()));
        if !c.touches.is_empty() {
            lines.push((t.touches)(&c.touches));
        }
    }
    for r in &d.renames {
        lines.push((t.renamed)(&r.old, &r.new));
    }
    if d.incomplete > 0 {
        lines.push((t.incomplete)(d.incomplete, d.reopened.len()));
    }
    if d.missing_round > 0 {
        lines.push((t.missing_round)(d.missing_round));
    }
    if !d.scored {
        lines.push(t.no_scores.to_string());
    }
    match &d.refusal {
        Some(r) => lines.push((t.would_refuse)(&(t.refusal)(r))),
        None => lines.push((t.would_apply)(d.changes.len(), file)),
    }
    lines
}

pub fn texts(lang: Lang) -> &'static RubricTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

fn value(v: Option<&str>) -> &str {
    v.unwrap_or("")
}

fn why_zh(w: &Why) -> String {
    match w {
        Why::RoundRemoved => "所在轮次被删除".into(),
        Why::CriterionRemoved => "所在评分项被删除".into(),
        Why::OverMax { max } => format!("超过新满分 {max}"),
        Why::OffStep { step } => format!("不是新步长 {step} 的整数倍"),
    }
}

fn problems(list: &[ScoreProblem], why: fn(&Why) -> String, more: fn(usize) -> String) -> String {
    let named: Vec<String> = list.iter().map(|p| format!("{} ({})", p.name(), why(&p.why))).collect();
    named_list(&named, more)
}

static EN: RubricTexts = RubricTexts {
    diff_title: |file, current| format!("Changes from the current rubric ({current}) to {file}:"),
    change: |key, old, new| match (old, new) {
        (None, new) => format!("  {key}: added {}", value(new)),
        (old, None) => format!("  {key}: removed (was {})", value(old)),
        (old, new) => format!("  {key}: {} -> {}", value(old), value(new)),
    },
    touches: |t| {
        let mut parts = Vec::new();
        if t.scores > 0 {
            parts.push(format!("{} scores", t.scores));
        }
        if t.sheets > 0 {
            parts.push(format!("{} sheets", t.sheets));
        }
        if t.entries > 0 {
            parts.push(format!("{} entries", t.entries));
        }
        format!("      touches {}", parts.join(", "))
    },
    renamed: |old, new| format!("Group {old} is renamed {new}: its entries, panel and locks carry over."),
    incomplete: |sheets, submitted| {
        format!(
            "{sheets} sheets become incomplete (a criterion is added); {submitted} of them were submitted and become \
             drafts again, for their judges to complete."
        )
    },
    missing_round: |n| format!("{n} entries with sheets have none yet for the added round(s)."),
    no_scores: "No score is stored yet: anything may change.",
    would_apply: |n, file| format!("{n} changes; `jury rubric apply {file} --reason ...` makes them."),
    would_refuse: |why| format!("`jury rubric apply` would be refused: {why}"),
    applied: |file, version, n| {
        format!("The rubric is now {file} (version {version}): {n} changes, recorded in the audit trail.")
    },
    carried: |old, new| format!("Group {old} is now {new}: its entries, panel and locks carried over."),
    reopened: |sheets, submitted| {
        format!(
            "{sheets} sheets are incomplete (a criterion was added); {submitted} submitted sheets are drafts again, \
             for their judges to complete."
        )
    },
    recomputed: "The results are recomputed with the new rubric (`jury tally`); printouts made before no longer verify \
                 as current.",
    refusal: |r| r.to_string(),
    ask_file: "Rubric file to apply (TOML):",
    ask_reason: |file, n| format!("{file}: {n} changes (see above). Reason for the change:"),
    console_applied: |file, n, reopened| {
        format!("The rubric is now {file}: {n} changes; {reopened} submitted sheets are drafts again.")
    },
    console_title: "Change the rubric",
    more_lines: |n| format!("  ... and {n} more lines (`jury rubric diff FILE` shows them all)"),
};

static ZH: RubricTexts = RubricTexts {
    diff_title: |file, current| format!("从当前评分标准（{current}）改为 {file} 的变化："),
    change: |key, old, new| match (old, new) {
        (None, new) => format!("  {key}：新增 {}", value(new)),
        (old, None) => format!("  {key}：删除（原为 {}）", value(old)),
        (old, new) => format!("  {key}：{} -> {}", value(old), value(new)),
    },
    touches: |t| {
        let mut parts = Vec::new();
        if t.scores > 0 {
            parts.push(format!("{} 个分数", t.scores));
        }
        if t.sheets > 0 {
            parts.push(format!("{} 张评分表", t.sheets));
        }
        if t.entries > 0 {
            parts.push(format!("{} 个参评对象", t.entries));
        }
        format!("      涉及 {}", parts.join("，"))
    },
    renamed: |old, new| format!("组别 {old} 改名为 {new}：其参评对象、评委组和锁定随之保留。"),
    incomplete: |sheets, submitted| {
        format!("新增评分项后有 {sheets} 张评分表不完整；其中 {submitted} 张已提交的将退回草稿，由评委补评。")
    },
    missing_round: |n| format!("{n} 个已有评分表的参评对象还没有新增轮次的评分表。"),
    no_scores: "尚无任何分数：任何内容都可以修改。",
    would_apply: |n, file| format!("共 {n} 处变化；执行 `jury rubric apply {file} --reason ...` 生效。"),
    would_refuse: |why| format!("`jury rubric apply` 将被拒绝：{why}"),
    applied: |file, version, n| format!("评分标准已改为 {file}（第 {version} 版）：{n} 处变化，已记入审计记录。"),
    carried: |old, new| format!("组别 {old} 已改名为 {new}：其参评对象、评委组和锁定随之保留。"),
    reopened: |sheets, submitted| {
        format!("新增评分项后有 {sheets} 张评分表不完整；{submitted} 张已提交的评分表已退回草稿，由评委补评。")
    },
    recomputed: "结果已按新评分标准重新计算（`jury tally`）；此前打印的材料不再核验为当前结果。",
    refusal: |r| match r {
        RubricRefusal::ScoresDepend { problems: list } => format!(
            "新评分标准会使 {} 个已存分数无效（评委 参评对象 轮次/评分项 分数）：{}；请先删除这些分数（`jury score \
             remove`）或保留它们所需的内容；未做任何修改",
            list.len(),
            problems(list, why_zh, |n| format!(" 等，另有 {n} 个"))
        ),
        RubricRefusal::GroupsDropped { groups } => {
            let named: Vec<String> = groups
                .iter()
                .map(|(g, entries)| {
                    format!(
                        "{g}（{} 个参评对象：{}）",
                        entries.len(),
                        named_list(entries, |n| format!(" 等，另有 {n} 个"))
                    )
                })
                .collect();
            format!(
                "新评分标准删除了仍有参评对象的组别：{}；请保留该组别，或用 --rename 旧名=新名 改名；未做任何修改",
                named.join("；")
            )
        }
        RubricRefusal::RenameUnknown { old } => {
            format!("--rename {old}=...：「{old}」不是当前评分标准的组别；未做任何修改")
        }
        RubricRefusal::RenameMissing { new } => {
            format!("--rename ...={new}：「{new}」不是新评分标准的组别；未做任何修改")
        }
        RubricRefusal::RenameTaken { new } => {
            format!("--rename ...={new}：「{new}」已是当前评分标准的组别（或被指定了两次）；未做任何修改")
        }
        RubricRefusal::RenameForm { text } => format!("--rename 「{text}」：请写成 旧名=新名；未做任何修改"),
        RubricRefusal::Unchanged => "新评分标准与当前的相同；未做任何修改".into(),
    },
    ask_file: "要应用的评分标准文件（TOML）：",
    ask_reason: |file, n| format!("{file}：共 {n} 处变化（见上）。修改原因："),
    console_applied: |file, n, reopened| {
        format!("评分标准已改为 {file}：{n} 处变化；{reopened} 张已提交的评分表退回草稿。")
    },
    console_title: "修改评分标准",
    more_lines: |n| format!("  ...另有 {n} 行（`jury rubric diff FILE` 可查看全部）"),
};
