//! The command line's remaining messages in Chinese and English (issue 17, "Chinese everywhere"):
//! the rubric's parse and validation errors, the typed import problems that were free text, the
//! prompts, the audit log's lines, the corrections' results and every option's help.
//!
//! The English of a typed problem is its `Display`, unchanged; the Chinese is here.

use crate::core::exact::DecimalError;
use crate::core::rubric::{IdKind, RubricError, RubricProblem};
use crate::i18n::Lang;

/// A refused rubric in `lang`: the file and line as today, then the problem.
pub fn rubric_error(e: &RubricError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let problem = rubric_problem(&e.problem, lang);
    match e.line {
        Some(line) => format!("{}:{line}: {problem}", e.file),
        None => format!("{}: {problem}", e.file),
    }
}

fn decimal_zh(e: &DecimalError) -> String {
    match e {
        DecimalError::Empty => "为空".to_string(),
        DecimalError::NotANumber(t) => format!("\"{t}\" 不是数字"),
        DecimalError::TooPrecise(t) => format!("\"{t}\" 超过 4 位小数"),
        DecimalError::TooLarge(t) => format!("\"{t}\" 太大"),
    }
}

fn id_kind_zh(k: IdKind) -> &'static str {
    match k {
        IdKind::Round => "环节编号（round id）",
        IdKind::Criterion => "评分项编号（criterion id）",
    }
}

/// The TOML reader's messages in Chinese, for the common ones (an unknown or missing key, a wrong
/// type or value); any other keeps the reader's text after a Chinese lead.
fn toml_zh(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("缺少键 {rest}");
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return match rest.split_once(", expected ") {
            Some((key, known)) => {
                let known = known.strip_prefix("one of ").unwrap_or(known);
                format!("未知的键 {key}；可用的键：{known}")
            }
            None => format!("未知的键 {rest}"),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((value, known)) => {
                let known = known.strip_prefix("one of ").unwrap_or(known);
                format!("值 {value} 不可用；可用的值：{known}")
            }
            None => format!("值 {rest} 不可用"),
        };
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return match rest.split_once(", expected ") {
            Some((found, wanted)) => format!("类型不对：应为 {wanted}，实际是 {found}"),
            None => format!("类型不对：{rest}"),
        };
    }
    format!("TOML 格式错误：{message}")
}

/// One rubric problem in `lang` (English: its `Display`).
pub fn rubric_problem(p: &RubricProblem, lang: Lang) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    use RubricProblem::*;
    match p {
        Toml(m) => toml_zh(m),
        BadDecimal { key, error } => format!("{key}：{}", decimal_zh(error)),
        EmptyText { key } => format!("{key} 不能为空（不需要时请删去这一项）"),
        NotOneLine { key } => format!("{key} 必须是一行文字"),
        TextTooLong { key, most, chars } => format!("{key} 最多 {most} 个字符，现在是 {chars} 个"),
        CountNegative { key, value } => format!("{key} 必须是 0 或更大，现在是 {value}"),
        CountTooLarge { key, most, value } => format!("{key} 最大为 {most}，现在是 {value}"),
        TrimLeavesNothing { min, trim } => {
            format!("min_judges_for_trim（{min}）必须大于 trim（{trim}）的两倍，否则去掉最高最低分后没有可平均的总分")
        }
        EmptyName => "name（比赛名称）不能为空".to_string(),
        NoJudges => "min_judges 至少为 1".to_string(),
        Decimals(d) => format!("decimals 必须在 0 到 6 之间，现在是 {d}"),
        StepNotPositive(s) => format!("step 必须大于 0，现在是 {s}"),
        DeviationNotPositive(d) => format!("deviation 必须大于 0，现在是 {d}"),
        DeviationTooLarge { most, value } => format!("deviation 最大为 {most}，现在是 {value}"),
        EmptyGroup => "组别名称不能为空".to_string(),
        DuplicateGroup(g) => format!("组别「{g}」重复"),
        NoGroups => "groups 至少要列出一个组别".to_string(),
        NoRounds => "评分细则没有 [[round]]：至少需要一个带评分项的环节".to_string(),
        DuplicateRound(r) => format!("环节编号「{r}」重复"),
        NegativeWeight(w) => format!("weight（权重）不能为负数，现在是 {w}"),
        NoCriteria(r) => format!("环节「{r}」没有 [[round.criterion]]（评分项）"),
        DuplicateCriterion { criterion, round } => format!("环节「{round}」中评分项编号「{criterion}」重复"),
        MaxNotPositive { criterion, max } => format!("评分项「{criterion}」的 max（满分）必须大于 0，现在是 {max}"),
        MaxTooLarge { criterion, most, max } => {
            format!("评分项「{criterion}」的 max（满分）最大为 {most}，现在是 {max}")
        }
        MaxOffStep { criterion, max, step } => {
            format!("评分项「{criterion}」的 max（满分，{max}）不是 step（步长，{step}）的整数倍")
        }
        CriterionUnnamed(c) => format!("评分项「{c}」需要 name（名称）"),
        DuplicateCriterionName { name, round } => format!("环节「{round}」中评分项名称「{name}」重复"),
        NameIsAnotherId {
            criterion,
            name,
            other,
            round,
        } => format!("环节「{round}」中评分项「{criterion}」的名称「{name}」是评分项「{other}」的编号"),
        RoundUnnamed(r) => format!("环节「{r}」需要 name（名称）"),
        WeightsNotOne { sum, listed } => format!("各环节权重之和必须为 1，现在是 {sum}（{listed}）"),
        UnknownTieBreak { round, known } => format!("tie_break 中的环节「{round}」不存在；现有环节：{known}"),
        SectionTwice(s) => format!("部分「{s}」列出了两次"),
        AwardUnnamed => "奖项需要 name（名称）".to_string(),
        DuplicateAward(a) => format!("奖项「{a}」重复"),
        NegativeShare(a) => format!("奖项「{a}」的 share（比例）不能为负数"),
        SharesOverOne => "各奖项的 share（比例）之和超过 1".to_string(),
        PrefixSpaces(p) => format!("certificate_prefix「{p}」不能含空格"),
        BadDiscussion(d) => format!("discussion 必须是 \"off\"、\"named\" 或 \"anonymous\"，现在是 \"{d}\""),
        PublicityEmpty => "publicity 不能为空；没有公示说明时请删去这一项".to_string(),
        PublicityTooLong { chars, most } => format!("publicity 有 {chars} 个字符，最多 {most} 个"),
        PublicityControl => "publicity 含有控制字符（只允许换行）".to_string(),
        EmptyId(k) => format!("{} 不能为空", id_kind_zh(*k)),
        BadId { what, id } => format!(
            "{}「{id}」只能使用字母、数字、'_' 和 '-'（名称可以用中文，编号用于文件）",
            id_kind_zh(*what)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::parse_rubric;

    #[test]
    fn every_rubric_problem_has_chinese() {
        let e = parse_rubric("x.toml", "name = \"a\"\nkind = \"cases\"\ngroups = []\n").unwrap_err();
        assert_eq!(rubric_error(&e, Lang::Zh), "x.toml:3: groups 至少要列出一个组别");
        assert_eq!(
            rubric_error(&e, Lang::En),
            "x.toml:3: groups must list at least one group"
        );
        let e = parse_rubric("x.toml", "nam = \"a\"\n").unwrap_err();
        assert!(
            rubric_error(&e, Lang::Zh).starts_with("x.toml:1: 未知的键 `nam`；可用的键："),
            "{e}"
        );
    }
}

/// The Chinese of the import problems typed for issue 17 (the others are in `cli::problem`);
/// any other problem keeps its English.
pub fn problem_zh(p: &crate::core::problems::Problem) -> String {
    use crate::core::problems::{Problem::*, Rows};
    use crate::i18n::cli::{column_zh, place_zh};
    match p {
        JudgeRemoved { judge, reason } => format!("评委 {judge} 已从比赛中移除（{reason}），不再接受其评分"),
        DuplicateScoreInWorkbook {
            judge,
            entry,
            round,
            criterion,
            first,
        } => {
            let at = match first {
                None => String::new(),
                Some((place, column)) => format!(
                    "（首次在{}{}）",
                    place_zh(place),
                    column.as_ref().map_or(String::new(), |c| format!("，{}", column_zh(c)))
                ),
            };
            format!("本工作簿中 {judge}/{entry}/{round}/{criterion} 有第二个分数{at}；请只保留一个")
        }
        FormulaWithoutValue { formula } => format!(
            "该单元格有公式（={formula}）但没有保存计算结果，没有可导入的值；请用 Excel 或 WPS/LibreOffice 打开、计算后重新保存"
        ),
        MergedCells { first } => {
            format!("这些单元格是合并的；合并单元格只有第一格（{first}）有值，其余读出为空；请取消合并并填好每一格")
        }
        EmptyFile => "文件是空的：需要一个表头行和若干数据行".to_string(),
        NothingBelowHeader { what } => format!(
            "只有表头，下面没有{}",
            match what {
                Rows::Entries => "条目",
                Rows::Judges => "评委",
                Rows::Scores => "分数",
            }
        ),
        TooManyRows { most } => format!("超过 {most} 行；请拆分文件"),
        CannotRead { error } => format!("无法读取：{error}"),
        OldExcel => "是旧版 Excel 97-2003 工作簿（.xls）；请另存为 .xlsx 或“CSV UTF-8”".to_string(),
        ZipNotCsv => {
            "是 ZIP 或 Excel 文件，不是 CSV 文本；请把扩展名改为 .xlsx，或在 Excel 中另存为“CSV UTF-8”".to_string()
        }
        Binary => "看起来是二进制文件，不是 CSV 文本；可导入 CSV、XLSX 和 JSON".to_string(),
        EmptyEntryId => "编号为空；每个条目都需要编号".to_string(),
        EmptyJudgeId => "编号为空".to_string(),
        EmptyName => "姓名为空".to_string(),
        NoTitleNorName => "该条目既没有标题也没有姓名".to_string(),
        DataWithoutHeader => "这一列有数据但没有表头".to_string(),
        UnequalRow { row, cells, header } => format!(
            "第 {row} 行有 {cells} 个单元格，而表头有 {header} 个；每行的列数必须相同（单元格中的逗号须加引号）"
        ),
        other => other.to_string(),
    }
}
