//! The layout of the paper score form (纸质评分表, XLSX): one worksheet per judge, round and
//! group, written blank by `jury export sheets --blank --format xlsx` and read back, filled in, by
//! `jury import scores`. The writer (`crate::export::blank`) and the reader (`crate::import::form`)
//! both follow these cells, so the two cannot drift apart.
//!
//! ```text
//!   A      B           C          D …
//! 1 赛事   contest
//! 2 评委   PW01        尹霞
//! 3 轮次   lesson      讲课
//! 4 组别   教师组
//! 5 满分                          30 …      (each criterion's maximum, and the step)
//! 6 编号   标题        (选手)     内容设计 (content) …  合计
//! 7 JS001  我的家访日记            [empty boxes]
//! ```

/// Rows (0-based) and the label in column A that names each fixed cell; the value is in column B
/// (the judge's and the round's names follow in column C).
pub const CONTEST_ROW: u32 = 0;
pub const JUDGE_ROW: u32 = 1;
pub const ROUND_ROW: u32 = 2;
pub const GROUP_ROW: u32 = 3;
pub const MAX_ROW: u32 = 4;
/// The header row of the entries' table (0-based): 编号, 标题, …, one column per criterion.
pub const HEADER_ROW: u32 = 5;
/// Column of the fixed cells' values (B).
pub const VALUE_COL: u16 = 1;

pub const CONTEST_LABEL: &str = "赛事";
pub const JUDGE_LABEL: &str = "评委";
pub const ROUND_LABEL: &str = "轮次";
pub const GROUP_LABEL: &str = "组别";
pub const MAX_LABEL: &str = "满分";
pub const ENTRY_HEADER: &str = "编号";
pub const TITLE_HEADER: &str = "标题";
pub const NAME_HEADER: &str = "选手";
pub const TOTAL_HEADER: &str = "合计";

/// Labels a reader accepts in column A for the judge's and the round's rows (the form is
/// recognised by them), and for the entry column's header.
pub const JUDGE_LABELS: &[&str] = &[JUDGE_LABEL, "评委编号", "judge"];
pub const ROUND_LABELS: &[&str] = &[ROUND_LABEL, "环节", "比赛环节", "round"];
pub const ENTRY_HEADERS: &[&str] = &[ENTRY_HEADER, "作品编号", "案例编号", "选手编号", "entry", "id"];
/// Headers of columns that carry no score (read past): title, name, total, notes.
pub const INFO_HEADERS: &[&str] = &[
    TITLE_HEADER,
    NAME_HEADER,
    TOTAL_HEADER,
    "姓名",
    "总分",
    "备注",
    "评语",
    "title",
    "name",
    "total",
    "note",
];

/// A criterion column's header: its name and, in brackets, its id (`内容设计 (content)`).
pub fn criterion_header(name: &str, id: &str) -> String {
    format!("{name} ({id})")
}

/// The criterion a header names: the id in its last brackets (ASCII or full-width), else the
/// whole text (an id or a name).
pub fn criterion_key(header: &str) -> &str {
    let h = header.trim();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(rest) = h.strip_suffix(close)
            && let Some(at) = rest.rfind(open)
        {
            let id = rest[at + open.len_utf8()..].trim();
            if !id.is_empty() {
                return id;
            }
        }
    }
    h
}

/// Why blank score sheets cannot be made as asked (English here; the catalogue
/// `crate::i18n::cli_paper` translates it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperRefusal {
    /// `--judge` names nobody in the contest.
    UnknownJudge { judge: String },
    /// `--judge` names a judge removed from the contest.
    RemovedJudge { judge: String, reason: String },
    /// Nothing to print: the judge (or every judge) has no entry to score in the group(s) asked.
    NothingToScore {
        judge: Option<String>,
        group: Option<String>,
    },
}

impl std::fmt::Display for PaperRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaperRefusal::UnknownJudge { judge } => write!(f, "unknown judge \"{judge}\"; see jury judges"),
            PaperRefusal::RemovedJudge { judge, reason } => write!(
                f,
                "the judge {judge} was removed from the contest ({reason}) and gets no score sheets"
            ),
            PaperRefusal::NothingToScore { judge, group } => {
                let who = match judge {
                    Some(j) => format!("the judge {j} has no entry"),
                    None => "no judge has an entry".to_string(),
                };
                let scope = match group {
                    Some(g) => format!(" in the group {g}"),
                    None => String::new(),
                };
                write!(
                    f,
                    "{who} to score{scope} (entries in conflict, withdrawn or assigned to others are left \
                     out); nothing was written"
                )
            }
        }
    }
}

impl std::error::Error for PaperRefusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_names_its_criterion_by_the_id_in_brackets() {
        assert_eq!(criterion_key(&criterion_header("内容设计", "content")), "content");
        assert_eq!(criterion_key("内容设计（content）"), "content");
        assert_eq!(criterion_key(" content "), "content");
        assert_eq!(criterion_key("内容设计"), "内容设计");
        assert_eq!(criterion_key("()"), "()");
    }
}
