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
            let at = match first.as_deref() {
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
        other => crate::i18n::cli_zhrest::problem_zh(other),
    }
}

/// An option's help in Chinese, by its command's path (`export results`) and the argument's id;
/// `None` for English or an option not listed (the options every command has are in
/// `cli::arg_help`).
pub fn option_help(path: &str, id: &str, lang: Lang) -> Option<&'static str> {
    if lang == Lang::En {
        return None;
    }
    OPTION_HELP_ZH
        .iter()
        .find(|(p, i, _)| *p == path && *i == id)
        .map(|(_, _, h)| *h)
}

const OUT_FORCE: &str = "若 --out 给出的文件已存在则替换（保留其权限）";

/// Every command's options in Chinese: (command path, argument id, help).
pub static OPTION_HELP_ZH: &[(&str, &str, &str)] = &[
    (
        "score remove",
        "phase",
        "评分表所属的评审阶段，用于核对（默认：当前阶段）：之前的阶段已锁定，指定它会被拒绝",
    ),
    (
        "lock",
        "phase",
        "要写入的评审阶段，用于核对（默认：当前阶段）：之前的阶段已锁定，指定它会被拒绝",
    ),
    (
        "unlock",
        "phase",
        "要写入的评审阶段，用于核对（默认：当前阶段）：之前的阶段已锁定，指定它会被拒绝",
    ),
    (
        "reopen",
        "phase",
        "评分表所属的评审阶段（默认：当前阶段）：之前阶段的评分表随该阶段锁定，指定它会被拒绝",
    ),
    (
        "shortlist propose",
        "phase",
        "要写入的评审阶段，用于核对（默认：当前阶段）：之前阶段的状态已锁定，指定它会被拒绝",
    ),
    (
        "shortlist set",
        "phase",
        "要写入的评审阶段，用于核对（默认：当前阶段）：之前阶段的状态已锁定，指定它会被拒绝",
    ),
    ("shortlist show", "phase", "要显示的评审阶段，如 初评（默认：当前阶段）"),
    ("export sheets", "phase", "要读的评审阶段，如 初评（默认：当前阶段）"),
    ("export selected", "phase", "要读的评审阶段，如 初评（默认：当前阶段）"),
    (
        "export certificates",
        "phase",
        "要读的评审阶段，如 初评（默认：当前阶段）",
    ),
    ("export scores", "phase", "要读的评审阶段，如 初评（默认：当前阶段）"),
    ("phase drop", "reason", "原因（必填）：记入审计记录"),
    ("init", "template", "内置的评分细则模板"),
    ("init", "rubric", "评分细则文件（TOML；见 docs/rubric.md）"),
    ("init", "name", "比赛名称（不用评分细则中的名称时）"),
    (
        "init",
        "phase",
        "第一个评审阶段的名称（默认 初评）：比赛可用 初赛（之后 决赛）",
    ),
    (
        "import entries",
        "file",
        "CSV、XLSX 或 JSON 文件，或 .docx 文档所在的文件夹",
    ),
    (
        "import entries",
        "sheet",
        "XLSX 文件要读的工作表（默认：第一个可见的工作表）",
    ),
    (
        "import entries",
        "update",
        "替换编号已存在的条目（否则报错）；导入文档时，替换文件有改动的条目（未改动的不动）",
    ),
    (
        "import entries",
        "documents",
        "存放 .docx 文档的文件夹，文档含 FILE（汇总表）每行的四个部分",
    ),
    (
        "import entries",
        "id_prefix",
        "只给文件夹时：文件名中没有编号的文档使用的编号（PREFIX001……）",
    ),
    (
        "import entries",
        "force",
        "与 --update 同用：即使已有提交的评分表，也替换有改动文档的条目（记入审计）",
    ),
    (
        "import judges",
        "update",
        "替换编号已存在的评委（否则报错）；密码留空则保留原密码",
    ),
    (
        "import judges",
        "force",
        "与 --update 同用：保留因单位改变而产生回避关系的评分表（记入审计）；否则拒绝这样的更新",
    ),
    (
        "import scores",
        "partial",
        "文件中缺少评分项的评分表存为草稿（否则拒绝）",
    ),
    (
        "import scores",
        "replace_submitted",
        "修改已提交的评分表（在评分界面或此前的导入中提交）；需要 --reason，与原值一起记入审计",
    ),
    (
        "import scores",
        "reason",
        "替换已提交评分表的理由（与 --replace-submitted 同用）",
    ),
    ("import scores", "phase", "分数所属的评审阶段：只能写入当前阶段"),
    ("import undo", "reason", "理由（必填）：记入审计"),
    (
        "conflict add",
        "reason",
        "该评委不能评此条目的理由（亲属、同事……）：必填",
    ),
    ("tally", "group", "只看这个组别"),
    ("tally", "phase", "要读的评审阶段，如 初评（默认：当前阶段）"),
    ("stats", "group", "只看这个组别"),
    ("stats", "phase", "要读的评审阶段（默认：当前阶段）"),
    ("rubric", "template", "显示内置模板，而不是本工作区的评分细则"),
    (
        "rubric diff",
        "renames",
        "OLD=NEW：组别 OLD 改名为 NEW（恰有一个组别名称不同时可省略）",
    ),
    ("rubric apply", "reason", "理由（必填）：记入审计"),
    (
        "rubric apply",
        "renames",
        "OLD=NEW：组别 OLD 改名为 NEW，带上其条目、评委组和锁定（新细则组别数相同且恰有一个名称不同时自动推断）",
    ),
    ("score", "judge", "选中该评委（仍需输入密码）"),
    (
        "score remove",
        "round",
        "环节（编号或名称）；评分细则只有一个环节时可省略",
    ),
    (
        "score remove",
        "criterion",
        "评分项（编号或名称）；不给则删除该评分表的所有分数",
    ),
    ("score remove", "reason", "理由（必填）：与原值一起记入审计"),
    (
        "passwd",
        "organiser",
        "设置组织者口令。已设置时需要当前口令（在终端上询问，或用 JURY_ORGANISER_PASS / --organiser-pass）；新口令在终端上输入两次，脚本中从 JURY_NEW_ORGANISER_PASS 读取",
    ),
    (
        "passwd",
        "reset",
        "忘记口令：不用旧口令设置新口令。只有工作区文件在操作系统中的所有者可以这样做（Linux、macOS）；记入审计",
    ),
    (
        "passwd",
        "pass",
        "已取消（会被拒绝并给出提示）：请用 JURY_NEW_ORGANISER_PASS",
    ),
    ("assign", "group", "为这个组别指定评委组（与 --judges 同用）"),
    ("assign", "judges", "评委组的评委，用逗号分隔：PW01,PW02,…"),
    (
        "assign",
        "per_entry",
        "每个条目分配这么多位评委，均衡工作量，不分配有回避关系的评委",
    ),
    (
        "assign",
        "replace",
        "OLD NEW：NEW 接替 OLD 未完成的工作（没有提交评分表的分配、评委组席位）；NEW 与其中某个条目有回避关系时拒绝",
    ),
    ("assign", "reason", "理由（与 --replace 同用）：记入审计"),
    (
        "assign",
        "force",
        "即使评委组（或每个条目的评委数）少于评分细则的 min_judges、没有条目能得出结果，也照样分配",
    ),
    ("lock", "group", "要锁定的组别（默认：全部组别）"),
    ("lock", "round", "要锁定的环节，编号或名称（默认：全部环节）"),
    ("lock", "reason", "理由：记入审计（解锁时必填）"),
    ("unlock", "group", "要解锁的组别，与锁定时相同（默认：全部组别的锁定）"),
    (
        "unlock",
        "round",
        "要解锁的环节，编号或名称，与锁定时相同（默认：全部环节的锁定）",
    ),
    ("unlock", "reason", "成绩可以再次改动的理由（必填）：记入审计"),
    ("reopen", "round", "环节（编号或名称）；评分细则只有一个环节时可省略"),
    (
        "shortlist propose",
        "total",
        "总共选出的案例数（已入选和已入围的都计入）",
    ),
    ("shortlist propose", "min_per_group", "每个主题（组别）至少这么多个"),
    ("shortlist propose", "max_per_county", "同一县市区至多这么多个"),
    ("shortlist propose", "batch", "要记录的批次"),
    (
        "shortlist propose",
        "status",
        "给推荐案例的状态：shortlisted（入围，默认）或 selected（入选）",
    ),
    (
        "shortlist propose",
        "include_flagged",
        "也推荐未通过形式审查的案例和疑似重复中名次较低的案例（默认不推荐）",
    ),
    ("export results", "group", "只导出这个组别"),
    (
        "export results",
        "out",
        "要写入的文件（默认：当前文件夹中的 results-<比赛>-<日期>.<扩展名>；已存在时加 -2、-3……）。不加 --force 时拒绝已存在的 FILE",
    ),
    (
        "export results",
        "force",
        "若 --out 给出的文件已存在则替换（保留其权限）。设备、FIFO、文件夹或符号链接从不替换",
    ),
    (
        "export results",
        "public",
        "公示用的版本：不含评委姓名、各评委分数、分差过大标记和评委签名栏；加上评分细则的 publicity 文字和组织者盖章栏",
    ),
    (
        "export results",
        "phase",
        "要打印其成绩的评审阶段，如 初评（默认：当前阶段）",
    ),
    (
        "export sheets",
        "judge",
        "只导出这位评委的评分表（默认：每位评委依次导出）",
    ),
    ("export sheets", "group", "只导出这个组别"),
    (
        "export sheets",
        "out",
        "要写入的文件（默认：当前文件夹中的 sheets-<比赛>-<日期>.<扩展名>；已存在时加 -2、-3……）。不加 --force 时拒绝已存在的 FILE",
    ),
    ("export sheets", "force", OUT_FORCE),
    (
        "export sheets",
        "blank",
        "空白评分表，供纸上填写：每位评委的条目（组别的评委组或分配；不含有回避关系的和已退出的）、每个环节，格子留空。不需要分数。XLSX 表格填好后可用 `jury import scores FILE.xlsx` 导回",
    ),
    (
        "export selected",
        "out",
        "要写入的文件（默认：当前文件夹中的 selected-<比赛>-<日期>.<扩展名>）",
    ),
    (
        "export selected",
        "include_flagged",
        "即使入选案例未通过形式审查或是疑似重复中名次较低的，也照样公布（默认拒绝）",
    ),
    ("export selected", "force", OUT_FORCE),
    (
        "export certificates",
        "group",
        "只导出这个组别的证书（编号仍按整个比赛）",
    ),
    (
        "export certificates",
        "out",
        "要写入的文件（默认：当前文件夹中的 certificates-<比赛>-<日期>.html）",
    ),
    ("export certificates", "force", OUT_FORCE),
    (
        "export entries",
        "out",
        "要写入的文件（默认：当前文件夹中的 entries-<比赛>-<日期>.<扩展名>）",
    ),
    ("export entries", "force", OUT_FORCE),
    (
        "export scores",
        "out",
        "要写入的文件（默认：当前文件夹中的 scores-<比赛>-<日期>.<扩展名>）",
    ),
    ("export scores", "force", OUT_FORCE),
    (
        "export connect-cards",
        "host",
        "评委输入的地址（默认：本机第一个非回环的 IPv4 地址，与 serve 显示的相同）",
    ),
    ("export connect-cards", "port", "serve 监听的端口"),
    (
        "export connect-cards",
        "out",
        "要写入的文件（默认：当前文件夹中的 connect-cards-<比赛>-<日期>.html）",
    ),
    ("export connect-cards", "force", OUT_FORCE),
    ("export backup", "file", "新文件（从不覆盖）。用 `jury --db FILE` 打开"),
    (
        "verify-print",
        "fingerprint",
        "打印件上的指纹，如 JURY2-1512-3fa9c2d18e77-A57-9b1c04aa",
    ),
    (
        "show",
        "page_every",
        "排名超过一屏时每 SECONDS 秒翻到下一页（0：只手动翻页，PgUp/PgDn）",
    ),
    ("stage set", "round", "环节，编号或名称"),
    (
        "stage reveal",
        "provisional",
        "照样亮分，标为暂定，并显示尚未提交的评委人数",
    ),
    (
        "find",
        "query",
        "要查找的词；每个词都须与编号、标题、姓名、单位、报送单位或县市区相符",
    ),
    ("bench gen", "n", "案例数"),
    ("bench gen", "seed", "相同的种子生成相同的文件"),
    ("bench gen", "no_workspace", "只生成文件，不建工作区"),
    ("bench run", "sizes", "比赛规模，用逗号分隔"),
    ("bench run", "dir", "生成的比赛所在的文件夹（DIR/n1000……），可重复使用"),
    ("bench run", "runs", "每个整进程指标的运行次数（报告中位数）"),
    (
        "bench run",
        "only",
        "要测量哪些：all，或 search、find、import、tally、startup、frame、load 中的几个",
    ),
    ("bench run", "load_judges", "负载测试中与被测评委同时评分的评委数"),
    (
        "bench run",
        "load_pace_ms",
        "每位加压评委两次评分之间的间隔，毫秒（0：尽快）",
    ),
    ("bench run", "json", "同时把结果以 JSON 写入这个文件"),
    (
        "bench serve",
        "entries",
        "生成的比赛中的案例数（DIR/nN，没有则生成，可重复使用）",
    ),
    ("bench serve", "clients", "SSH 客户端数，每个一位评委"),
    (
        "bench serve",
        "seconds",
        "每个客户端运行多长时间，从连接时算起（登录也计入）",
    ),
    ("bench serve", "format", "table（便于阅读）或 json"),
    ("serve", "listen", "监听的地址和端口"),
    ("serve", "idle_minutes", "会话无按键超过这么多分钟后结束"),
    (
        "serve",
        "idle_seconds",
        "（供测试用）会话无按键超过这么多秒后结束，代替 --idle-minutes",
    ),
    (
        "serve",
        "keepalive_seconds",
        "（供测试用）每 N 秒发送保活消息，代替 15 秒（错过 3 次的客户端视为断开）",
    ),
    ("serve", "max_sessions", "同时最多这么多个会话"),
    (
        "serve",
        "allow_shared_file",
        "即使工作区文件无法设为只有所有者可读（共享文件夹、其他账户的文件）也开放：评委的分数和密码哈希对能读该文件的人可见",
    ),
    (
        "serve",
        "stats_file",
        "服务器停止时，把写入器的数据（请求、事务、提交时间、分组大小）以 JSON 写入这个文件：供 `jury bench serve` 使用",
    ),
    ("unpause", "judge", "评委编号（不区分大小写）"),
    (
        "entry withdraw",
        "kind",
        "withdrawn（弃权，默认）或 disqualified（取消资格）",
    ),
    ("entry withdraw", "reason", "理由（必填）：记入审计，并与条目一起打印"),
    ("entry restore", "reason", "理由（必填）：记入审计"),
    (
        "judge remove",
        "drop_submitted",
        "同时删除该评委已提交的评分表（不再计入）",
    ),
    ("judge remove", "reason", "理由（必填）：记入审计"),
    ("discuss open", "entries", "条目编号"),
    (
        "discuss open",
        "flagged",
        "汇总标为分差过大的每个条目（某位评委的总分与该环节中位数之差超过 deviation）",
    ),
    ("discuss open", "group", "与 --flagged 同用：只限这个组别的条目"),
    ("phase start", "name", "新阶段的名称，如 复评 或 决赛"),
    (
        "phase start",
        "take",
        "新阶段接收的条目状态：shortlisted（入围）、selected（入选）、rejected（未入选）或 pending（待定）",
    ),
    (
        "phase start",
        "rubric",
        "该阶段自己的评分细则（TOML）；接收的条目的组别都须在其中。默认：沿用原细则",
    ),
];

/// The one-line description in Chinese of the commands `cli::ABOUT_ZH` does not list yet (those
/// added by other helpers of the same round), by path; `None` for English.
pub fn about(path: &str, lang: Lang) -> Option<&'static str> {
    if lang == Lang::En {
        return None;
    }
    ABOUT_MORE_ZH.iter().find(|(p, _)| *p == path).map(|(_, a)| *a)
}

pub static ABOUT_MORE_ZH: &[(&str, &str)] = &[
    (
        "bench startup",
        "（供 `bench run` 使用）打开评分界面直到第一帧，以 JSON 打印用时",
    ),
    (
        "bench worker",
        "（供 `bench run` 使用）以评委身份评分，直到停止文件出现；打印评了多少分",
    ),
    (
        "discuss",
        "评分后的讨论：对条目（或汇总中分差过大的条目）开启、结束、列出讨论。需要评分细则的 discussion = \"named\" 或 \"anonymous\"",
    ),
    (
        "discuss close",
        "结束这些条目的讨论（不给编号：结束所有正在讨论的条目）",
    ),
    ("discuss list", "正在讨论的条目"),
    (
        "discuss open",
        "开启条目的讨论：已提交的评委可看到评委组的总分、各评委的分数和评语（按编号，或按评分细则的 discussion 显示为 评委1、评委2……）。discussion = \"off\" 时拒绝",
    ),
    (
        "import list",
        "每次导入：序号、时间、类型、文件、SHA-256（前 12 位）、行数、操作者、是否已撤销",
    ),
    (
        "import undo",
        "撤销第 N 次导入：一步删除其新增的内容并恢复其替换的内容。若之后有依赖它的改动（此后改过的分数、在评分界面提交的评分表、此后评过的条目）或已锁定，则拒绝并指出",
    ),
    (
        "phase",
        "分阶段评审：列出各阶段，用某一状态的条目开始下一阶段（`--take shortlisted`，入围），在没有分数时删除最新阶段",
    ),
    ("phase drop", "在没有分数时删除最新阶段：前一阶段重新成为当前阶段"),
    ("phase list", "各阶段，从第一个到最新：最新的是当前阶段；之前的已锁定"),
    (
        "phase start",
        "用当前阶段中某一状态（入围等）的条目开始下一阶段：当前阶段被锁定，仍可用 --phase 查看",
    ),
    (
        "rubric apply",
        "把 FILE 设为本比赛的评分细则。评第一个分之前可任意改动；之后，删除有分数的环节或评分项、或改动会使已存分数无效的满分或步长，都会被拒绝并指出这些分数。记入审计；成绩重新计算",
    ),
    (
        "rubric diff",
        "把评分细则改为 FILE 会逐项改变什么，以及每项改动涉及哪些已存的分数、评分表和条目；不写入任何内容",
    ),
];

/// The questions the command line asks on a terminal (those not in `cli_smaller`).
pub struct Prompts {
    /// `jury init`: the organiser's passphrase, which may be skipped.
    pub init_pass: &'static str,
    /// `jury init`: the same again, to compare.
    pub init_repeat: &'static str,
    /// `jury init`: the two differ.
    pub init_differ: &'static str,
}

pub fn prompts(lang: Lang) -> &'static Prompts {
    match lang {
        Lang::Zh => &PROMPTS_ZH,
        Lang::En => &PROMPTS_EN,
    }
}

static PROMPTS_EN: Prompts = Prompts {
    init_pass: "Organiser passphrase (Enter to skip, set later with `jury passwd --organiser`): ",
    init_repeat: "Repeat it: ",
    init_differ: "the two passphrases differ; none was set",
};

static PROMPTS_ZH: Prompts = Prompts {
    init_pass: "组织者口令（直接按回车跳过，之后可用 `jury passwd --organiser` 设置）：",
    init_repeat: "再输入一次：",
    init_differ: "两次输入的口令不一致，未设置口令",
};

/// The results of `judge remove`, `assign --replace` and `score remove`.
pub struct CorrectionTexts {
    /// judge, drafts deleted, submitted sheets (deleted or kept), whether they were deleted.
    pub judge_removed: fn(judge: &str, drafts: usize, submitted: usize, deleted: bool) -> String,
    /// judge, open entries, the panels (comma separated, "" for none).
    pub open_work_left: fn(judge: &str, entries: usize, panels: &str) -> String,
    /// new, old, the entries (comma separated), the panels (comma separated, "" for none).
    pub replaced: fn(new: &str, old: &str, entries: usize, listed: &str, panels: &str) -> String,
    /// One criterion's score removed: criterion, old value.
    pub one_score: fn(criterion: &str, old: &str) -> String,
    /// A whole sheet's scores removed: how many, their old total.
    pub all_scores: fn(count: usize, total: &str) -> String,
    /// what (above), judge, entry, round's name, whether the sheet was submitted.
    pub score_removed: fn(what: &str, judge: &str, entry: &str, round: &str, was_submitted: bool) -> String,
    /// `jury audit log`: the reason's label, with its colon.
    pub audit_reason: &'static str,
}

pub fn corrections(lang: Lang) -> &'static CorrectionTexts {
    match lang {
        Lang::Zh => &CORRECTIONS_ZH,
        Lang::En => &CORRECTIONS_EN,
    }
}

static CORRECTIONS_EN: CorrectionTexts = CorrectionTexts {
    judge_removed: |judge, drafts, submitted, deleted| {
        format!(
            "{judge} is removed: {drafts} draft sheets deleted, {submitted} submitted sheets {}; the id stays taken \
             and can no longer log in.",
            if deleted { "deleted" } else { "kept" }
        )
    },
    open_work_left: |judge, entries, panels| {
        format!(
            "Open work left: {entries} entries{}; hand it over with `jury assign --replace {judge} NEW`.",
            if panels.is_empty() {
                String::new()
            } else {
                format!(", the panel of {panels}")
            }
        )
    },
    replaced: |new, old, entries, listed, panels| {
        format!(
            "{new} takes {old}'s open work: {entries} entries{}{}.",
            if listed.is_empty() {
                String::new()
            } else {
                format!(" ({listed})")
            },
            if panels.is_empty() {
                String::new()
            } else {
                format!(", and {old}'s seat on the panel of {panels}")
            }
        )
    },
    one_score: |c, old| format!("the score for {c} ({old})"),
    all_scores: |n, total| format!("{n} scores (total {total})"),
    score_removed: |what, judge, entry, round, submitted| {
        format!(
            "Removed {what} from {judge}'s sheet for {entry} / {round}; the sheet is a draft{}.",
            if submitted {
                " again (it no longer counts until submitted)"
            } else {
                ""
            }
        )
    },
    audit_reason: "reason: ",
};

static CORRECTIONS_ZH: CorrectionTexts = CorrectionTexts {
    judge_removed: |judge, drafts, submitted, deleted| {
        format!(
            "已移除评委 {judge}：删除草稿评分表 {drafts} 份，已提交的评分表 {submitted} 份{}；该编号保留，不能再登录。",
            if deleted { "已删除" } else { "保留" }
        )
    },
    open_work_left: |judge, entries, panels| {
        format!(
            "尚有未完成的工作：{entries} 个条目{}；请用 `jury assign --replace {judge} NEW` 交给另一位评委。",
            if panels.is_empty() {
                String::new()
            } else {
                format!("，以及 {panels} 的评委组席位")
            }
        )
    },
    replaced: |new, old, entries, listed, panels| {
        format!(
            "{new} 接替 {old} 未完成的工作：{entries} 个条目{}{}。",
            if listed.is_empty() {
                String::new()
            } else {
                format!("（{listed}）")
            },
            if panels.is_empty() {
                String::new()
            } else {
                format!("，以及 {old} 在 {panels} 评委组中的席位")
            }
        )
    },
    one_score: |c, old| format!("评分项 {c} 的分数（{old}）"),
    all_scores: |n, total| format!("全部 {n} 个分数（合计 {total}）"),
    score_removed: |what, judge, entry, round, submitted| {
        format!(
            "已从 {judge} 对 {entry} / {round} 的评分表中删除{what}；该评分表{}。",
            if submitted {
                "退回为草稿（重新提交之前不计入）"
            } else {
                "仍是草稿"
            }
        )
    },
    audit_reason: "理由：",
};

/// `jury audit log` in Chinese: the event's name (its stored key in English, as before).
pub fn audit_action(action: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return action.to_string();
    }
    let zh = match action {
        "init" => "创建比赛",
        "import-entries" => "导入条目",
        "import-judges" => "导入评委",
        "import-scores" => "导入分数",
        "import-score" => "导入一个分数",
        "import-draft-score" => "导入草稿分数",
        "import-record" => "导入记录",
        "import-undo" => "撤销导入",
        "import-undo-score" => "撤销导入的分数",
        "import-undo-sheet" => "撤销导入的评分表",
        "judge-update" => "更新评委",
        "judge-pin" => "更改密码",
        "judge-remove" => "移除评委",
        "score" => "评分",
        "submit" => "提交",
        "comment" => "评语",
        "reopen" => "退回评分表",
        "score-remove" => "删除分数",
        "lock" => "锁定",
        "unlock" => "解锁",
        "assign-panel" => "分配评委组",
        "assign-per-entry" => "自动分配",
        "assign-entry" => "手动分配",
        "assign-replace" => "替换评委",
        "conflict-add" => "声明回避",
        "conflict-remove" => "取消回避",
        "conflict-kept" => "保留回避评分表",
        "calibration-add" => "设为试评样本",
        "calibration-remove" => "取消试评样本",
        "entry-withdraw" => "退出排名",
        "entry-restore" => "恢复排名",
        "entry-text-replaced" => "替换条目文本",
        "organiser-passphrase" => "设置组织者口令",
        "organiser-passphrase-reset" => "重置组织者口令",
        "login-pause-lifted" => "解除登录暂停",
        "shortlist" => "遴选状态",
        "stage" => "现场切换",
        "stage-reveal" => "亮分",
        "stage-hide" => "隐藏成绩",
        "rubric-apply" => "更改评分细则",
        "discussion-open" => "开启讨论",
        "discussion-close" => "结束讨论",
        "phase-start" => "开始新阶段",
        "phase-drop" => "删除最新阶段",
        "phase-name" => "命名第一阶段",
        other => return other.to_string(),
    };
    format!("{zh}（{action}）")
}

/// `jury audit log` in Chinese: a stored detail or value with its fixed English words translated
/// (names, ids and numbers as stored).
pub fn audit_text(text: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    match text {
        "entered" => return "参加排名".to_string(),
        "withdrawn" => return "弃权".to_string(),
        "disqualified" => return "取消资格".to_string(),
        "locked" => return "已锁定".to_string(),
        "submitted" => return "已提交".to_string(),
        "draft" => return "草稿".to_string(),
        _ => {}
    }
    let mut out = text.to_string();
    for (en, zh) in [
        ("PIN changed (the PIN is not recorded)", "密码已更改（不记录密码）"),
        (
            ": a changed organisation; kept with --force",
            "：单位已改变；用 --force 保留",
        ),
        ("drafts and submitted sheets dropped", "删除草稿和已提交的评分表"),
        ("login pause lifted", "解除登录暂停"),
        ("drafts dropped", "删除草稿"),
        ("undo of import ", "撤销第 N 次导入："),
        ("under discussion", "讨论中"),
        ("newest phase dropped", "删除了最新阶段"),
        ("first phase", "第一阶段"),
        (
            ": the document changed after sheets were submitted; its text was replaced with --force",
            "：评分表提交后文档有改动；已用 --force 替换其文本",
        ),
        ("submitted total ", "提交的总分 "),
    ] {
        if en == "undo of import " {
            // `undo of import 3` is `撤销第 3 次导入`.
            if let Some(rest) = out.strip_prefix(en) {
                let (n, tail) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
                out = format!("撤销第 {n} 次导入{tail}");
            }
            continue;
        }
        out = out.replace(en, zh);
    }
    out
}

/// `jury calibration show`'s table in Chinese: no samples, then the labels of the judge column,
/// the panel's mean row and the mean offset column.
pub const CALIBRATION_ZH: [&str; 4] = [
    "还没有试评样本：请用 `jury calibration add 条目...` 设定。\n",
    "评委",
    "评委组均值",
    "平均偏差",
];

/// `jury verify-print`'s lines in Chinese (the English is written where they are made,
/// `export::fingerprint::verify`).
pub struct VerifyTexts {
    pub score_hash: &'static str,
    pub content_hash: &'static str,
    pub count_same: fn(scores: usize) -> String,
    pub count_differs: fn(printed: usize, now: usize) -> String,
    /// what (score_hash or content_hash), the hash.
    pub hash_same: fn(what: &str, hash: &str) -> String,
    pub old_hash_differs: fn(what: &str, printed: &str, now: &str) -> String,
    pub hash_differs: fn(what: &str, printed: &str, now: &str) -> String,
    pub audit_same: fn(rows: i64, head: &str) -> String,
    pub audit_differs: fn(rows: i64, head: &str, now_rows: i64, now_head: &str) -> String,
    pub old_form: &'static str,
    pub short_form: &'static str,
    /// Final (正式) or provisional (暂定).
    pub printed_as: fn(final_results: bool) -> String,
}

pub fn verify_texts() -> &'static VerifyTexts {
    &VERIFY_ZH
}

static VERIFY_ZH: VerifyTexts = VerifyTexts {
    score_hash: "分数哈希",
    content_hash: "内容哈希",
    count_same: |n| format!("分数个数：{n}（相同）"),
    count_differs: |p, n| format!("分数个数：打印时 {p}，现在 {n}"),
    hash_same: |what, h| format!("{what}：{h}（相同）"),
    old_hash_differs: |what, p, n| format!("{what}：打印时 {p}，现在 {n}：至少有一个分数被添加、修改或删除"),
    hash_differs: |what, p, n| {
        format!("{what}：打印时 {p}，现在 {n}：此后分数、评分表、条目的组别、评委的单位、回避关系或评分细则有过改动")
    },
    audit_same: |rows, head| format!("审计记录：{rows} 行，末行 {head}（相同）"),
    audit_differs: |rows, head, now_rows, now_head| {
        format!("审计记录：打印时 {rows} 行（末行 {head}），现在 {now_rows} 行（末行 {now_head}）：此后工作区有过改动")
    },
    old_form: "旧格式（JURY-，工作区加封之前打印）：只涵盖已提交的分数，不含组别、评分细则、单位、回避关系和保存的总分",
    short_form: "短格式：已核对内容，未核对审计记录的末行",
    printed_as: |final_results| {
        if final_results {
            "打印为：正式结果（打印时已锁定）".to_string()
        } else {
            "打印为：暂定结果（打印时未锁定）".to_string()
        }
    },
};

/// clap's own parse errors (an unknown flag or command, a missing or wrong value) in Chinese,
/// with the usage line clap gives; `None` for what is not an error (help, version) or a kind
/// without a Chinese text here, which clap then prints as it does.
pub fn parse_error_zh(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind: ContextKind| -> Option<String> {
        match e.get(kind)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join("、")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) => Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、")),
            ContextValue::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let mut text = match e.kind() {
        ErrorKind::UnknownArgument => format!("不认识的参数 '{arg}'"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "没有 '{}' 这个命令",
                get(ContextKind::InvalidSubcommand).unwrap_or_default()
            )
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::InvalidValue => match get(ContextKind::ValidValue) {
            Some(valid) => format!("参数 {arg} 的值 '{value}' 无效；可用的值：{valid}"),
            None => format!("参数 {arg} 需要一个值"),
        },
        ErrorKind::ValueValidation => format!("参数 {arg} 的值 '{value}' 无效"),
        ErrorKind::ArgumentConflict => match get(ContextKind::PriorArg) {
            Some(prior) => format!("参数 {arg} 不能与 {prior} 一起使用"),
            None => format!("参数 {arg} 不能与其他参数一起使用"),
        },
        ErrorKind::TooManyValues => format!("参数 {arg} 的值 '{value}' 多余"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("参数 {arg} 的值个数不对"),
        ErrorKind::NoEquals => format!("参数 {arg} 的值须用 = 连接"),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文字".to_string(),
        _ => return None,
    };
    let suggested = get(ContextKind::SuggestedArg).or_else(|| get(ContextKind::SuggestedSubcommand));
    if let Some(s) = suggested {
        text.push_str(&format!("（是不是想用 '{s}'？）"));
    }
    let mut out = format!("错误：{text}\n");
    if let Some(usage) = get(ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").map(str::trim).unwrap_or(usage);
        out.push_str(&format!("\n用法：{usage}\n"));
    }
    out.push_str("\n更多信息请加 --help。\n");
    Some(out)
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
