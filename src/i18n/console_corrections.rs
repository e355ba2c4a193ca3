//! What the organiser's console says when it hands a judge's work to another judge (`jury assign
//! --replace`) or removes a judge's scores of one round (`jury score remove`), in Chinese and
//! English.

use crate::i18n::Lang;

pub struct ConsoleCorrectionsTexts {
    pub replace_title: &'static str,
    /// The judge replaced and their name: the question asks for the new judge's id and a reason.
    pub replace_question: fn(judge: &str, name: &str) -> String,
    /// The answer was not `ID REASON`.
    pub replace_format: &'static str,
    /// Done: old, new, entries handed over, panels joined.
    pub replaced: fn(old: &str, new: &str) -> String,
    pub remove_score_title: &'static str,
    /// The judge (id and name), the entry and the round's name: the question asks for a reason.
    pub remove_score_question: fn(judge: &str, name: &str, entry: &str, round: &str) -> String,
    /// The cell holds no score of that judge.
    pub nothing_to_remove: fn(judge: &str, entry: &str) -> String,
    pub score_removed: fn(judge: &str, entry: &str, round: &str) -> String,
}

static ZH: ConsoleCorrectionsTexts = ConsoleCorrectionsTexts {
    replace_title: "替换评委",
    replace_question: |judge, name| {
        format!(
            "由谁接替 {judge} {name} 未完成的评审任务和评审组席位？请输入新评委编号和原因，以空格分开（如：PW10 评委因病缺席）"
        )
    },
    replace_format: "请输入新评委编号和原因，以空格分开（如：PW10 评委因病缺席）",
    replaced: |old, new| format!("{new} 已接替 {old} 的未完成任务"),
    remove_score_title: "删除评分",
    remove_score_question: |judge, name, entry, round| {
        format!("删除 {judge} {name} 对 {entry}「{round}」的全部评分？评分表变回草稿。请填写原因")
    },
    nothing_to_remove: |judge, entry| format!("{judge} 对 {entry} 本环节还没有评分"),
    score_removed: |judge, entry, round| format!("已删除 {judge} 对 {entry}「{round}」的评分"),
};

static EN: ConsoleCorrectionsTexts = ConsoleCorrectionsTexts {
    replace_title: "Replace a judge",
    replace_question: |judge, name| {
        format!(
            "Who takes over the open work and panel seats of {judge} {name}? Type the new judge's id and a reason, \
             separated by a space (e.g. PW10 judge is ill)"
        )
    },
    replace_format: "Type the new judge's id and a reason, separated by a space (e.g. PW10 judge is ill)",
    replaced: |old, new| format!("{new} took over the open work of {old}"),
    remove_score_title: "Remove scores",
    remove_score_question: |judge, name, entry, round| {
        format!(
            "Remove every score of {judge} {name} on {entry} in \"{round}\"? The sheet becomes a draft again. The reason:"
        )
    },
    nothing_to_remove: |judge, entry| format!("{judge} has no score on {entry} in this round"),
    score_removed: |judge, entry, round| format!("Removed the scores of {judge} on {entry} in \"{round}\""),
};

pub fn texts(lang: Lang) -> &'static ConsoleCorrectionsTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
