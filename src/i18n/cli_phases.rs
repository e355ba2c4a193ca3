//! What the phase commands say (selection in phases, 评审阶段), in Chinese and English, and the
//! translation of [`PhaseRefusal`].

use crate::core::phase::{Phase, PhaseRefusal};
use crate::i18n::Lang;

pub struct PhasesTexts {
    /// One line of `jury phase list`.
    pub row: fn(phase: &Phase, current: bool) -> String,
    pub started: fn(phase: &str, previous: &str, taken: usize, status: &str) -> String,
    pub dropped: fn(phase: &str, back_to: &str) -> String,
    pub first_named: fn(name: &str) -> String,
    pub refusal: fn(r: &PhaseRefusal) -> String,
    /// The console's phases view (`p` on the tally): its keys, and the drop prompt's title and
    /// question.
    pub console_keys: &'static str,
    pub console_drop_title: &'static str,
    pub console_drop_question: fn(phase: &str, back_to: &str) -> String,
}

pub fn texts(lang: Lang) -> &'static PhasesTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

static EN: PhasesTexts = PhasesTexts {
    row: |p, current| {
        let state = if current {
            "current".to_string()
        } else {
            format!("locked {}", p.locked_at.as_deref().unwrap_or(""))
        };
        let took = p.take.map(|t| format!(", took {}", t.as_str())).unwrap_or_default();
        format!(
            "{}\t{}\t{state}\t{} entries, {} scores{took}",
            p.seq, p.name, p.entries, p.scores
        )
    },
    started: |phase, previous, taken, status| {
        format!(
            "Started the phase {phase} with the {taken} {status} entries of {previous}; {previous} is locked \
             (read it with --phase {previous}). Statuses start as pending; panels and assignments are copied."
        )
    },
    dropped: |phase, back| format!("Dropped the phase {phase}; {back} is current again."),
    first_named: |name| format!("The first phase is {name}."),
    refusal: |r| r.to_string(),
    console_keys: "x drop the newest phase (only while it has no scores)   any other key: close",
    console_drop_title: "Drop the newest phase",
    console_drop_question: |phase, back| {
        if back.is_empty() {
            format!("Drop the phase {phase}? Why (required; Enter drops, Esc keeps it):")
        } else {
            format!("Drop the phase {phase} ({back} becomes current again)? Why (required; Enter drops, Esc keeps it):")
        }
    },
};

static ZH: PhasesTexts = PhasesTexts {
    row: |p, current| {
        let state = if current {
            "当前".to_string()
        } else {
            format!("已锁定 {}", p.locked_at.as_deref().unwrap_or(""))
        };
        let took = p.take.map(|t| format!("，取自{}", t.chinese())).unwrap_or_default();
        format!(
            "{}\t{}\t{state}\t{} 个条目，{} 个分数{took}",
            p.seq, p.name, p.entries, p.scores
        )
    },
    started: |phase, previous, taken, status| {
        format!(
            "已开始评审阶段 {phase}：取 {previous} 中{status}的 {taken} 个条目；{previous} 已锁定（用 --phase {previous} \
             查看）。状态重新为待定，评委组与分配已复制。"
        )
    },
    dropped: |phase, back| format!("已删除评审阶段 {phase}，{back} 重新成为当前阶段。"),
    first_named: |name| format!("第一个评审阶段为 {name}。"),
    refusal: zh_refusal,
    console_keys: "x 删除最新阶段（须尚无分数）   其他键 关闭",
    console_drop_title: "删除最新评审阶段",
    console_drop_question: |phase, back| {
        if back.is_empty() {
            format!("删除评审阶段 {phase}？原因（必填；回车删除，Esc 保留）：")
        } else {
            format!("删除评审阶段 {phase}（{back} 重新成为当前阶段）？原因（必填；回车删除，Esc 保留）：")
        }
    },
};

fn zh_refusal(r: &PhaseRefusal) -> String {
    use PhaseRefusal as R;
    match r {
        R::UnknownPhase { name, known } => format!("没有名为「{name}」的评审阶段；现有阶段：{}", known.join("、")),
        R::BadName { name } => format!("「{name}」不能作为阶段名：请用 1 到 40 个字符，不含控制字符"),
        R::NameTaken { name } => format!("已有名为「{name}」的评审阶段"),
        R::UnknownStatus { text } => {
            format!(
                "--take 「{text}」不是状态；请用 shortlisted（入围）、selected（入选）、rejected（未入选）或 pending（待定）"
            )
        }
        R::NothingTaken { status, phase } => {
            format!("{phase} 中没有{}的条目，新阶段将为空；未作任何更改", status.chinese())
        }
        R::GroupMissing { entry, group, groups } => format!(
            "条目 {entry} 属于组别「{group}」，新阶段的评分细则中没有该组别（其组别：{}）；未作任何更改",
            groups.join("、")
        ),
        R::PhaseLocked { phase, current } => {
            format!("评审阶段 {phase} 已锁定（当前阶段为 {current}），其评分表、分数和状态只读；未作任何更改")
        }
        R::NotInPhase { entry, phase } => format!("条目 {entry} 不在当前评审阶段 {phase} 中"),
        R::OnlyPhase { phase } => format!("{phase} 是唯一的评审阶段，没有可删除的阶段"),
        R::HasScores { phase, scores } => {
            format!("评审阶段 {phase} 已有 {scores} 个分数，只能删除没有分数的阶段；未作任何更改")
        }
    }
}
