//! What `jury discuss` says, in Chinese and English, and the translation of its typed refusals
//! ([`DiscussionRefusal`]); the judges' screen and the console share the refusal's text.

use crate::core::discussion::DiscussionRefusal;
use crate::i18n::Lang;

pub struct DiscussTexts {
    /// The entries put under discussion now.
    pub opened: fn(entries: &str) -> String,
    /// Named entries that already were under discussion.
    pub already_open: fn(entries: &str) -> String,
    pub closed: fn(entries: &str) -> String,
    /// Named entries that were not under discussion.
    pub not_open: fn(entries: &str) -> String,
    pub none_open: &'static str,
    /// The heading of `discuss list`, with how many.
    pub list_head: fn(count: usize) -> String,
    /// How the judges are named (the rubric's `discussion`).
    pub mode: fn(mode: &str) -> String,
    pub refusal: fn(&DiscussionRefusal) -> String,
    /// The separator of a list of ids.
    pub sep: &'static str,
}

pub fn texts(lang: Lang) -> &'static DiscussTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

static EN: DiscussTexts = DiscussTexts {
    opened: |e| {
        format!(
            "Under discussion: {e}. The judges who submitted them now see the panel's marks (recorded in the audit trail)."
        )
    },
    already_open: |e| format!("Already under discussion: {e}."),
    closed: |e| format!("Discussion closed: {e} (recorded in the audit trail)."),
    not_open: |e| format!("Not under discussion: {e}."),
    none_open: "No entry is under discussion.",
    list_head: |n| format!("{n} entries under discussion:"),
    mode: |m| match m {
        "anonymous" => "The judges are shown as 评委1, 评委2, ... (discussion = \"anonymous\").".to_string(),
        "named" => "The judges are shown by their ids (discussion = \"named\").".to_string(),
        _ => "Discussion is off in the rubric (discussion = \"off\").".to_string(),
    },
    refusal: |r| r.to_string(),
    sep: ", ",
};

static ZH: DiscussTexts = DiscussTexts {
    opened: |e| format!("已开启讨论：{e}。已提交评分的评委现在可以看到评审组的评分（已记入审计日志）。"),
    already_open: |e| format!("已在讨论中：{e}。"),
    closed: |e| format!("已结束讨论：{e}（已记入审计日志）。"),
    not_open: |e| format!("不在讨论中：{e}。"),
    none_open: "没有正在讨论的作品。",
    list_head: |n| format!("正在讨论的作品共 {n} 个："),
    mode: |m| match m {
        "anonymous" => "评委显示为 评委1、评委2 ……（discussion = \"anonymous\"）。".to_string(),
        "named" => "评委显示为其编号（discussion = \"named\"）。".to_string(),
        _ => "评分规则中未开启讨论（discussion = \"off\"）。".to_string(),
    },
    refusal: |r| match r {
        DiscussionRefusal::Off => "本次评审的评分规则未开启讨论：请在评分规则中设置 discussion = \"named\" 或 \
                                   \"anonymous\"；未做任何更改"
            .to_string(),
        DiscussionRefusal::UnknownEntry { entry } => format!("没有作品 {entry}；未做任何更改"),
        DiscussionRefusal::NothingNamed => "请写出要讨论的作品编号，或使用 --flagged；未做任何更改".to_string(),
        DiscussionRefusal::NoneFlagged { group } => format!(
            "汇总中没有标记为分差过大的作品{}；未做任何更改",
            group.as_ref().map(|g| format!("（{g}）")).unwrap_or_default()
        ),
    },
    sep: "、",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_translated_and_names_the_key() {
        let all = [
            DiscussionRefusal::Off,
            DiscussionRefusal::UnknownEntry { entry: "AL1".into() },
            DiscussionRefusal::NothingNamed,
            DiscussionRefusal::NoneFlagged {
                group: Some("教师组".into()),
            },
        ];
        for r in &all {
            let (zh, en) = ((ZH.refusal)(r), (EN.refusal)(r));
            assert_ne!(zh, en);
            assert!(zh.contains("未做任何更改"), "{zh}");
        }
        assert!((ZH.refusal)(&all[0]).contains("discussion = \"named\""));
        assert!((EN.refusal)(&all[0]).contains("discussion = \"named\""));
    }
}
