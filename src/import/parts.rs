//! Splitting a submitted document into the four parts of a typical case (背景介绍, 问题描述,
//! 解决策略, 结果评估) by the text of its headings, never by their styles: real documents are
//! formatted by hand, style names are localised, outline levels are often missing.
//!
//! A paragraph starts a part when, after an optional numbering prefix (`一、`, `（一）`, `1.`,
//! `1、`, `第一部分`, `【…】`) is taken off and full-width forms are folded (NFKC), it is one of the
//! names in [`PART_NAMES`], or starts with one followed by `：` or `:` (the rest of the paragraph is
//! then the part's first paragraph). [`END_NAMES`] end the last part.

use crate::core::rubric::Section;

/// The names that start each part, in the order of [`Section::ALL`]. Extend here.
pub const PART_NAMES: [(Section, &[&str]); 4] = [
    (Section::Background, &["背景介绍", "案例背景", "背景"]),
    (Section::Problem, &["问题描述", "问题呈现", "问题提出"]),
    (Section::Strategy, &["解决策略", "辅导策略", "实施过程", "解决措施"]),
    (Section::Outcome, &["结果评估", "效果评估", "成效与反思", "实施效果"]),
];

/// Headings after which nothing belongs to any part.
pub const END_NAMES: &[&str] = &["参考文献", "附件", "附录", "致谢"];

/// A heading of at most this many characters (numbering and spaces left out) may stand alone;
/// a longer paragraph starts a part only as `名称：正文` with a numbering prefix, in brackets, or
/// with the name in bold.
pub const MAX_HEADING_CHARS: usize = 30;

/// One paragraph of a document as the splitter sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    /// How many characters at the start of `text` are in bold runs.
    pub bold_chars: usize,
    /// Whether this is a table (its rows as lines of tab-separated cells), not a paragraph.
    pub table: bool,
}

/// What a paragraph is to the splitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heading {
    /// Starts `section`; `rest` is the text after `名称：` in the same paragraph (as written).
    Part { section: Section, rest: String },
    /// 参考文献, 附件, 附录 or 致谢.
    End,
}

/// Fold full-width forms and compatibility characters (NFKC), as the matching sees text.
fn fold(text: &str) -> String {
    crate::core::text::nfkc(text).into_owned()
}

fn is_cjk_numeral(c: char) -> bool {
    "一二三四五六七八九十百零〇两".contains(c)
}

/// `text` (folded) without a leading numbering prefix; the bool says whether there was one.
fn strip_numbering(text: &str) -> (&str, bool) {
    let t = text.trim_start();
    // 第一部分, 第1章, 第三节
    if let Some(rest) = t.strip_prefix('第') {
        let after = rest.trim_start_matches(|c: char| is_cjk_numeral(c) || c.is_ascii_digit());
        if after.len() < rest.len() {
            for unit in ["部分", "章", "节", "篇", "部"] {
                if let Some(r) = after.strip_prefix(unit) {
                    return (trim_separator(r), true);
                }
            }
        }
    }
    // (一) (1) with an optional 、 after it
    if let Some(rest) = t.strip_prefix('(')
        && let Some(close) = rest.find(')')
    {
        let inner = &rest[..close];
        if !inner.is_empty() && inner.chars().all(|c| is_cjk_numeral(c) || c.is_ascii_digit()) {
            return (trim_separator(&rest[close + 1..]), true);
        }
    }
    // 一、 一.
    let numerals = t.trim_start_matches(is_cjk_numeral);
    if numerals.len() < t.len()
        && let Some(r) = numerals.strip_prefix(['、', '.', '．'])
    {
        return (r.trim_start(), true);
    }
    // 1. 1、 1.2 1) 1 (a digit then a separator)
    let digits = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    if digits.len() < t.len() && t.starts_with(|c: char| c.is_ascii_digit()) {
        let had_dot = t[..t.len() - digits.len()].ends_with('.');
        if let Some(r) = digits.strip_prefix(['、', ')', ' ']) {
            return (r.trim_start(), true);
        }
        if had_dot {
            return (digits.trim_start(), true);
        }
    }
    (t, false)
}

fn trim_separator(text: &str) -> &str {
    text.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '、' | '.' | ':' | '：'))
}

/// The text with every whitespace character left out (headings are compared so: `背 景` is 背景).
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What `paragraph` is: the start of a part, the end of the parts, or text (`None`).
pub fn heading(paragraph: &Paragraph) -> Option<Heading> {
    if paragraph.table {
        return None;
    }
    let original = paragraph.text.trim();
    if original.is_empty() {
        return None;
    }
    let folded = fold(original);
    let (mut body, mut numbered) = strip_numbering(&folded);
    // 【问题描述】, possibly followed by the part's first text.
    let mut bracket_rest = None;
    if let Some(inner) = body.strip_prefix('【')
        && let Some(close) = inner.find('】')
    {
        bracket_rest = Some(inner[close + '】'.len_utf8()..].trim_start_matches([':', ' ']));
        body = strip_numbering(&inner[..close]).0;
        numbered = true;
    }
    let squeezed = squeeze(body);
    let short = squeeze(&folded).chars().count() <= MAX_HEADING_CHARS;
    let name_of = |text: &str| -> Option<(Section, usize)> {
        PART_NAMES.iter().find_map(|(section, names)| {
            names
                .iter()
                .filter(|n| text.starts_with(*n))
                .map(|n| n.len())
                .max()
                .map(|len| (*section, len))
        })
    };
    if let Some(rest) = bracket_rest {
        if END_NAMES.contains(&squeezed.as_str()) {
            return Some(Heading::End);
        }
        let (section, len) = name_of(&squeezed)?;
        if len != squeezed.len() {
            return None;
        }
        return Some(Heading::Part {
            section,
            rest: rest_as_written(original, rest),
        });
    }
    if END_NAMES
        .iter()
        .any(|n| squeezed == *n || squeezed.strip_prefix(n).is_some_and(|r| r.starts_with(':')))
    {
        return short.then_some(Heading::End);
    }
    let (section, len) = name_of(&squeezed)?;
    let after = &squeezed[len..];
    if after.is_empty() {
        return short.then(|| Heading::Part {
            section,
            rest: String::new(),
        });
    }
    after.strip_prefix(':')?;
    // `名称：正文`: a short paragraph, or a numbered one, or one whose name is in bold.
    let colon_at = original.find(['：', ':']).map_or(0, |i| original[..i].chars().count());
    if !(short || numbered || paragraph.bold_chars >= colon_at) {
        return None;
    }
    let written = original
        .find(['：', ':'])
        .map(|i| {
            let colon = original[i..].chars().next().map_or(1, char::len_utf8);
            original[i + colon..].trim().to_string()
        })
        .unwrap_or_default();
    Some(Heading::Part { section, rest: written })
}

/// The text after a bracketed heading, taken from the paragraph as written (not folded).
fn rest_as_written(original: &str, folded_rest: &str) -> String {
    if folded_rest.trim().is_empty() {
        return String::new();
    }
    match original.find('】') {
        Some(i) => original[i + '】'.len_utf8()..]
            .trim_start_matches(['：', ':', ' ', '\u{3000}'])
            .trim()
            .to_string(),
        None => folded_rest.trim().to_string(),
    }
}

/// The parts of a document, each its paragraphs joined by newlines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    /// background, problem, strategy, outcome, in the order of [`Section::ALL`].
    pub texts: [String; 4],
    /// The paragraph (1-based) each part starts at, if found.
    pub found_at: [Option<usize>; 4],
}

/// Why a document's parts cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartsProblem {
    /// No heading names any of the four parts.
    NoneFound,
    /// `section` starts again at paragraph `again` after it was read from paragraph `first`.
    Twice {
        section: Section,
        first: usize,
        again: usize,
    },
}

fn index_of(section: Section) -> usize {
    Section::ALL.iter().position(|s| *s == section).unwrap_or(0)
}

/// Split `paragraphs` (numbered from 1 in the order given) into the four parts.
pub fn split(paragraphs: &[Paragraph]) -> Result<Parts, PartsProblem> {
    let mut parts = Parts::default();
    let mut current: Option<usize> = None;
    let mut lines: [Vec<String>; 4] = Default::default();
    for (i, p) in paragraphs.iter().enumerate() {
        let number = i + 1;
        match heading(p) {
            Some(Heading::End) if current.is_some() => break,
            Some(Heading::Part { section, rest }) => {
                let k = index_of(section);
                if current == Some(k) {
                    // A heading naming the part being read (实施过程 in 解决策略) is its text.
                    lines[k].push(p.text.trim().to_string());
                    continue;
                }
                if let Some(first) = parts.found_at[k] {
                    return Err(PartsProblem::Twice {
                        section,
                        first,
                        again: number,
                    });
                }
                parts.found_at[k] = Some(number);
                current = Some(k);
                if !rest.is_empty() {
                    lines[k].push(rest);
                }
            }
            _ => {
                if let Some(k) = current {
                    let text = p.text.trim_matches(|c: char| c.is_whitespace() && c != '\t');
                    if !text.is_empty() {
                        lines[k].push(text.to_string());
                    }
                }
            }
        }
    }
    if current.is_none() {
        return Err(PartsProblem::NoneFound);
    }
    for (text, ls) in parts.texts.iter_mut().zip(&lines) {
        *text = ls.join("\n");
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Paragraph {
        Paragraph {
            text: text.to_string(),
            ..Paragraph::default()
        }
    }

    fn part(text: &str) -> Option<Section> {
        match heading(&p(text)) {
            Some(Heading::Part { section, .. }) => Some(section),
            _ => None,
        }
    }

    #[test]
    fn numbered_and_bracketed_headings_and_synonyms() {
        for (text, section) in [
            ("一、背景介绍", Section::Background),
            ("（一）案例背景", Section::Background),
            ("第一部分　背景", Section::Background),
            ("第二部分 问题呈现", Section::Problem),
            ("1. 背景介绍", Section::Background),
            ("２、问题提出", Section::Problem),
            ("【问题描述】", Section::Problem),
            ("【三、辅导策略】", Section::Strategy),
            ("解决措施", Section::Strategy),
            ("四、成效与反思", Section::Outcome),
            ("实施效果：", Section::Outcome),
            ("效果评估", Section::Outcome),
            ("背 景 介 绍", Section::Background),
        ] {
            assert_eq!(part(text), Some(section), "{text}");
        }
        for text in [
            "（一）建立家庭会议制度",
            "背景介绍了很多",
            "问题",
            "本案例的背景介绍如下，家庭情况较为复杂，父母长期在外务工，孩子由祖辈照看",
        ] {
            assert_eq!(part(text), None, "{text}");
        }
    }

    #[test]
    fn an_inline_heading_gives_the_rest_as_the_first_paragraph() {
        let long = "一、背景介绍：本案例来自一所乡村小学，学生中留守儿童比例较高，家长多在外务工，孩子由祖辈照看。";
        assert_eq!(
            heading(&p(long)),
            Some(Heading::Part {
                section: Section::Background,
                rest: "本案例来自一所乡村小学，学生中留守儿童比例较高，家长多在外务工，孩子由祖辈照看。".into()
            })
        );
        assert_eq!(
            heading(&p("【问题描述】孩子不愿说话。")),
            Some(Heading::Part {
                section: Section::Problem,
                rest: "孩子不愿说话。".into()
            })
        );
    }

    #[test]
    fn a_long_inline_heading_without_numbering_counts_only_in_bold() {
        let text = "背景：本案例来自一所乡村小学，学生中留守儿童比例较高，家长多在外务工，孩子由祖辈照看。";
        let plain = Paragraph {
            text: text.into(),
            bold_chars: 0,
            table: false,
        };
        assert_eq!(heading(&plain), None);
        let bold = Paragraph { bold_chars: 3, ..plain };
        assert!(matches!(
            heading(&bold),
            Some(Heading::Part {
                section: Section::Background,
                ..
            })
        ));
    }

    #[test]
    fn splits_sub_headings_repeats_and_references() {
        let doc = [
            p("标题"),
            p("摘要：……"),
            p("一、背景介绍"),
            p("背景一"),
            p("背景二"),
            p("二、问题描述"),
            p("问题"),
            p("三、解决策略"),
            p("（一）建立家庭会议制度"),
            p("实施过程"),
            p("策略"),
            p("四、结果评估"),
            p("结果"),
            p("参考文献"),
            p("[1] 某某. 家庭教育. 2020."),
        ];
        let parts = split(&doc).unwrap();
        assert_eq!(
            parts.texts,
            [
                "背景一\n背景二".to_string(),
                "问题".into(),
                "（一）建立家庭会议制度\n实施过程\n策略".into(),
                "结果".into()
            ]
        );
        assert_eq!(parts.found_at, [Some(3), Some(6), Some(8), Some(12)]);
    }

    #[test]
    fn a_part_found_twice_and_none_found() {
        let doc = [
            p("一、背景介绍"),
            p("甲"),
            p("二、问题描述"),
            p("乙"),
            p("三、背景"),
            p("丙"),
        ];
        assert_eq!(
            split(&doc),
            Err(PartsProblem::Twice {
                section: Section::Background,
                first: 1,
                again: 5
            })
        );
        assert_eq!(split(&[p("标题"), p("正文")]), Err(PartsProblem::NoneFound));
        // 参考文献 before any part ends nothing.
        let doc = [p("参考文献"), p("背景"), p("甲")];
        assert_eq!(split(&doc).unwrap().texts[0], "甲");
    }
}
