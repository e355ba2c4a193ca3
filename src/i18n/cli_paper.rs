//! What `jury export sheets --blank` and the paper form's import say, in Chinese and English
//! (helper `paper`'s messages; `cli.rs`'s own catalogue is `cli.rs` here once it lands).

use crate::core::paper_form::PaperRefusal;
use crate::error::Error;
use crate::i18n::Lang;

pub struct PaperTexts {
    /// What `jury export sheets --blank` wrote, for "Wrote … to FILE".
    pub blank_sheets: fn() -> &'static str,
    /// The library's refusal of blank sheets, in this language.
    pub refusal: fn(&PaperRefusal) -> String,
}

pub fn texts(lang: Lang) -> &'static PaperTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// An error of the blank sheets, its message in `lang` (other errors as they are).
pub fn translated(lang: Lang, error: Error) -> Error {
    match (lang, error) {
        (Lang::Zh, Error::Paper(r)) => Error::Refused((ZH.refusal)(&r)),
        (_, e) => e,
    }
}

static EN: PaperTexts = PaperTexts {
    blank_sheets: || "the blank score sheets",
    refusal: |r| r.to_string(),
};

static ZH: PaperTexts = PaperTexts {
    blank_sheets: || "空白评分表",
    refusal: |r| match r {
        PaperRefusal::UnknownJudge { judge } => format!("没有评委“{judge}”；请用 jury judges 查看评委名单"),
        PaperRefusal::RemovedJudge { judge, reason } => {
            format!("评委 {judge} 已被移出本次评审（{reason}），不再生成评分表")
        }
        PaperRefusal::NothingToScore { judge, group } => {
            let who = match judge {
                Some(j) => format!("评委 {j} "),
                None => "所有评委".to_string(),
            };
            let scope = match group {
                Some(g) => format!("在“{g}”中"),
                None => String::new(),
            };
            format!("{who}{scope}都没有要评分的作品（回避、已退出或分配给其他评委的作品不列入）；未写出文件")
        }
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_in_both_languages() {
        let refusals = [
            PaperRefusal::UnknownJudge { judge: "PW99".into() },
            PaperRefusal::RemovedJudge {
                judge: "PW05".into(),
                reason: "因病".into(),
            },
            PaperRefusal::NothingToScore {
                judge: Some("PW08".into()),
                group: Some("教师组".into()),
            },
        ];
        for r in &refusals {
            let en = (texts(Lang::En).refusal)(r);
            let zh = (texts(Lang::Zh).refusal)(r);
            assert_eq!(en, r.to_string());
            assert_ne!(en, zh);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
        }
        assert!((texts(Lang::Zh).refusal)(&refusals[2]).starts_with("评委 PW08 在“教师组”中都没有"));
        assert!(
            translated(Lang::Zh, Error::Paper(refusals[0].clone()))
                .to_string()
                .contains("没有评委“PW99”")
        );
    }
}
