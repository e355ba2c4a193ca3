//! Every string the organiser's console shows, one catalogue per language.
//!
//! Only ASCII and CJK characters in the chrome: ambiguous-width characters (curly quotes, the
//! ellipsis, middle dots, dashes, circled digits, check marks) are drawn two columns wide by many
//! CJK terminals.

use crate::core::organiser::OrganiserRefusal;
use crate::core::shortlist::Status;

/// The catalogue in Chinese (`true`) or English.
pub fn texts(chinese: bool) -> &'static ConsoleTexts {
    if chinese { &ZH } else { &EN }
}

/// The console's screens, in tab order. The stage is only offered for competitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Progress,
    Tally,
    Room,
    Shortlist,
    Stats,
    Export,
    Stage,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Progress,
        Tab::Tally,
        Tab::Room,
        Tab::Shortlist,
        Tab::Stats,
        Tab::Export,
        Tab::Stage,
    ];

    /// Index into per-tab arrays (selection, scroll).
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    ResultsHtml,
    ResultsXlsx,
    ResultsCsv,
    ResultsMd,
    SheetsHtml,
    SheetsXlsx,
    Backup,
    /// Each judge's empty score sheets to fill in on paper (`export sheets --blank`).
    BlankSheetsHtml,
    /// The XLSX form that `jury import scores` reads back, filled in.
    BlankSheetsXlsx,
    /// `jury export results --format docx`.
    ResultsDocx,
    /// `jury export results --public` (公示), HTML.
    ResultsPublic,
    /// `jury export certificates`.
    Certificates,
    /// `jury export selected` (cases), HTML.
    SelectedHtml,
    /// `jury export selected --format docx`: the case collection (cases).
    SelectedDocx,
}

impl ExportKind {
    /// Every kind in the tab's order (the backup last); [`ExportKind::for_contest`] leaves out
    /// what a contest has not.
    pub const ALL: [ExportKind; 14] = [
        ExportKind::ResultsHtml,
        ExportKind::ResultsPublic,
        ExportKind::ResultsXlsx,
        ExportKind::ResultsDocx,
        ExportKind::ResultsCsv,
        ExportKind::ResultsMd,
        ExportKind::SheetsHtml,
        ExportKind::SheetsXlsx,
        ExportKind::SelectedHtml,
        ExportKind::SelectedDocx,
        ExportKind::Certificates,
        ExportKind::BlankSheetsHtml,
        ExportKind::BlankSheetsXlsx,
        ExportKind::Backup,
    ];

    /// The kinds the export tab lists: the selected cases only in a case selection.
    pub fn for_contest(cases: bool) -> Vec<ExportKind> {
        ExportKind::ALL
            .into_iter()
            .filter(|k| cases || !matches!(k, ExportKind::SelectedHtml | ExportKind::SelectedDocx))
            .collect()
    }
}

type Help = &'static [(&'static str, &'static [(&'static str, &'static str)])];

/// One language's strings. Formatted messages are functions.
pub struct ConsoleTexts {
    // Entry point
    pub locked_no_pass: &'static str,
    pub needs_terminal: &'static str,
    pub too_small: fn(u16, u16) -> String,
    pub title: &'static str,
    // Login
    pub login_title: &'static str,
    pub login_prompt: &'static str,
    pub wrong_pass: fn(u32) -> String,
    pub login_paused: fn(u64) -> String,
    pub keys_login: &'static str,
    // Frame
    pub tab_name: fn(Tab) -> &'static str,
    pub keys_tab: fn(Tab) -> &'static str,
    pub group_label: &'static str,
    pub round_label: &'static str,
    pub all_groups: &'static str,
    pub all_rounds: &'static str,
    pub failed: fn(&str) -> String,
    pub any_key: &'static str,
    pub keys_help: &'static str,
    pub keys_prompt: &'static str,
    pub keys_propose: &'static str,
    pub help_title: &'static str,
    pub help: Help,
    pub no_entries: &'static str,
    pub more_judges: fn(usize) -> String,
    // Columns
    pub col_id: &'static str,
    pub col_entry: &'static str,
    pub col_count: &'static str,
    pub col_rank: &'static str,
    pub col_final: &'static str,
    pub col_award: &'static str,
    pub col_marks: fn(&str) -> String,
    pub col_order: &'static str,
    pub col_group: &'static str,
    pub col_county: &'static str,
    pub col_status: &'static str,
    pub col_batch: &'static str,
    pub col_judge: &'static str,
    pub col_name: &'static str,
    pub col_org: &'static str,
    pub col_scored: &'static str,
    pub col_mean: &'static str,
    pub col_sd: &'static str,
    pub col_severity: &'static str,
    pub col_correlation: &'static str,
    pub col_band: &'static str,
    pub col_scope: &'static str,
    pub col_lock: &'static str,
    // Progress
    pub legend: &'static str,
    pub row_submitted: &'static str,
    pub row_outstanding: &'static str,
    pub progress_summary: fn(usize, usize, &str, usize) -> String,
    pub nothing_to_reopen: fn(&str, &str) -> String,
    pub assign_conflict: fn(&str, &str) -> String,
    pub unassign_submitted: fn(&str, &str) -> String,
    pub unassign_last: fn(&str) -> String,
    pub assigned: fn(&str, &str) -> String,
    pub unassigned: fn(&str, &str) -> String,
    pub reopen_title: &'static str,
    pub reopen_question: fn(&str, &str, &str, &str) -> String,
    pub reopened: fn(&str, &str) -> String,
    pub reason_required: &'static str,
    // Tally
    pub tally_summary: fn(usize, usize, &str) -> String,
    pub flag_deviation: &'static str,
    pub shortfall: fn(&str, usize, usize) -> String,
    pub incomplete_heading: fn(usize) -> String,
    // Locks
    pub locks_summary: fn(usize) -> String,
    pub lock_set: fn(&str, &str) -> String,
    pub lock_covered: fn(&str) -> String,
    pub lock_open: &'static str,
    pub not_locked: &'static str,
    pub lock_title: &'static str,
    pub lock_question: fn(&str) -> String,
    pub unlock_title: &'static str,
    pub unlock_question: fn(&str) -> String,
    pub locked: fn(&str) -> String,
    pub unlocked: fn(&str) -> String,
    pub trail_heading: &'static str,
    pub trail_empty: &'static str,
    pub actor_organiser: &'static str,
    pub actor_cli: &'static str,
    pub because: fn(&str) -> String,
    pub action_name: fn(&str) -> String,
    // Shortlist
    pub shortlist_status: fn(Status) -> &'static str,
    pub shortlist_summary: fn(usize, Option<usize>) -> String,
    pub status_set: fn(&str, &str) -> String,
    pub batch_title: &'static str,
    pub batch_question: fn(&str) -> String,
    pub batch_number: &'static str,
    pub batch_set: fn(&str, Option<i64>) -> String,
    pub propose_title: &'static str,
    pub propose_about: &'static str,
    pub propose_fields: [&'static str; 5],
    pub digits_only: &'static str,
    pub total_needed: &'static str,
    pub proposed: fn(usize, &str) -> String,
    pub unmet_heading: &'static str,
    pub targets_text: fn(usize, usize, Option<usize>) -> String,
    pub targets_none: &'static str,
    pub bars_total: &'static str,
    pub bars_by_group: &'static str,
    pub bars_by_county: &'static str,
    pub none_chosen: &'static str,
    // Statistics
    pub stats_none: &'static str,
    pub stats_heading: fn(usize, usize, usize) -> String,
    pub histogram_heading: &'static str,
    /// Calibration (试评) on the statistics screen: each judge's total on each sample with the
    /// offset from the panel mean, and the judge's mean offset.
    pub calibration_heading: &'static str,
    pub col_mean_offset: &'static str,
    pub panel_mean: &'static str,
    // Export
    pub export_summary: &'static str,
    pub export_heading: &'static str,
    pub export_label: fn(ExportKind) -> &'static str,
    pub export_about: fn(ExportKind) -> &'static str,
    pub export_title: &'static str,
    pub export_question: fn(&str) -> String,
    pub file_needed: &'static str,
    pub exported: fn(&str, &str, &str) -> String,
    pub written_heading: &'static str,
    pub written_none: &'static str,
    // Stage
    pub stage_none: &'static str,
    pub stage_summary: fn(&str, usize, usize) -> String,
    pub on_stage_label: &'static str,
    pub on_stage: fn(&str, bool) -> String,
    pub submitted_of: fn(usize, usize) -> String,
    pub sub_yes: &'static str,
    pub sub_no: &'static str,
    pub revealed: &'static str,
    pub not_revealed: &'static str,
    /// `v` refused: (judges missing, judges in all, their ids).
    pub not_all_in: fn(usize, usize, &[String]) -> String,
    /// A provisional reveal: (entry, judges missing).
    pub revealed_provisional: fn(&str, usize) -> String,
    pub revealed_provisional_short: &'static str,
    // Shortlist: the formal check's marks and the propose form's toggle
    pub mark_formal: &'static str,
    pub mark_duplicate: &'static str,
    pub propose_flagged_field: &'static str,
    pub propose_flagged_about: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    /// The library's refusal of an organiser's operation, in this language.
    pub organiser_refusal: fn(&OrganiserRefusal) -> String,
    /// The pause after three wrong PINs lifted: (judge, whether a pause was on).
    pub pause_lifted: fn(&str, bool) -> String,
    // Who is connected (the server's sessions)
    pub connected_title: &'static str,
    pub not_serving: &'static str,
    pub no_sessions: &'static str,
    /// The list's columns: login, address, since, idle.
    pub session_heading: [&'static str; 4],
    pub session_organiser: &'static str,
    pub session_projector: &'static str,
    pub keys_connected: &'static str,
    pub session_ended: fn(&str) -> String,
    pub session_gone: fn(&str) -> String,
    // Corrections (issue 16): remove a judge (progress, x), withdraw or restore an entry (tally, w)
    pub remove_judge_title: &'static str,
    /// (judge, name)
    pub remove_judge_question: fn(&str, &str) -> String,
    pub judge_removed: fn(&str) -> String,
    pub withdraw_title: &'static str,
    /// (entry, title)
    pub withdraw_question: fn(&str, &str) -> String,
    pub restore_title: &'static str,
    /// (entry, title, the reason it was withdrawn)
    pub restore_question: fn(&str, &str, &str) -> String,
    pub entry_withdrawn: fn(&str) -> String,
    pub entry_restored: fn(&str) -> String,
    /// The tally tab's heading over the withdrawn entries: (how many)
    pub withdrawn_heading: fn(usize) -> String,
    pub withdrawn_kind: fn(crate::core::withdrawal::WithdrawalKind) -> &'static str,
    /// Discussion after scoring: the tally's mark of an entry under discussion, and the messages.
    pub under_discussion: &'static str,
    pub discussion_opened: fn(&str) -> String,
    pub discussion_closed: fn(&str) -> String,
    // Selection in phases (评审阶段): `p` (the phases, each one's leaders) and `n` (start the next)
    // on the tally tab.
    pub phases_title: &'static str,
    pub phase_line: fn(&crate::core::phase::Phase, bool) -> String,
    pub phase_leaders: fn(&str, &str) -> String,
    pub start_phase_title: &'static str,
    pub start_phase_question: fn(&str) -> String,
    pub start_phase_format: &'static str,
    pub phase_started: fn(&str) -> String,
    /// The tally's last line, before the chosen entry's judges each with its total: (entry, round's name).
    pub tally_marks_of: fn(&str, &str) -> String,
}

fn zh_tab(tab: Tab) -> &'static str {
    match tab {
        Tab::Progress => "进度",
        Tab::Tally => "实时成绩",
        Tab::Room => "锁定",
        Tab::Shortlist => "遴选",
        Tab::Stats => "统计",
        Tab::Export => "导出",
        Tab::Stage => "现场",
    }
}

fn en_tab(tab: Tab) -> &'static str {
    match tab {
        Tab::Progress => "Progress",
        Tab::Tally => "Live tally",
        Tab::Room => "Locks",
        Tab::Shortlist => "Shortlist",
        Tab::Stats => "Statistics",
        Tab::Export => "Export",
        Tab::Stage => "Stage",
    }
}

fn zh_keys(tab: Tab) -> &'static str {
    match tab {
        Tab::Progress => "o 重开  a 分配  u 解除暂停  x 移出  s 替换  d 删分  g 组别  r 环节  ? 帮助",
        Tab::Tally => "w 退出/恢复  d 讨论  p 阶段  n 新阶段  g 组别  r 环节  ? 帮助  q 退出",
        Tab::Room => "Enter 锁定/解锁  l 锁定  u 解锁  w 会话  i 导入  b 评分标准  ? 帮助  q 退出",
        Tab::Shortlist => "Enter/空格 改状态  b 批次  p 按目标推荐  上下 选择  ? 帮助  q 退出",
        Tab::Stats => "上下 滚动  左右 评委  g 组别  r 环节  ? 帮助  q 退出",
        Tab::Export => "Enter 导出所选  上下 选择  F2-F7 切换页面  ? 帮助  q 退出",
        Tab::Stage => "n 下一位  p 上一位  Enter 上台所选  v 亮分/收起  r 环节  ? 帮助  q 退出",
    }
}

fn en_keys(tab: Tab) -> &'static str {
    match tab {
        Tab::Progress => "o reopen  a assign  u unpause  x remove  s replace  d unscore  g group  ? help",
        Tab::Tally => "w withdraw  d discuss  p phases  n next phase  g group  r round  ? help  q quit",
        Tab::Room => "Enter lock/unlock  w sessions  i imports  b rubric  ? help  q quit",
        Tab::Shortlist => "Enter/Space status  b batch  p propose  Up/Down choose  ? help  q quit",
        Tab::Stats => "Up/Down scroll  Left/Right judges  g group  r round  ? help  q quit",
        Tab::Export => "Enter export  Up/Down choose  F2-F7 screens  ? help  q quit",
        Tab::Stage => "n next  p previous  Enter put on stage  v reveal/hide  r round  ? help  q quit",
    }
}

fn zh_status(s: Status) -> &'static str {
    s.chinese()
}

fn en_status(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending",
        Status::Shortlisted => "shortlist",
        Status::Selected => "selected",
        Status::Rejected => "rejected",
    }
}

fn zh_export(k: ExportKind) -> &'static str {
    match k {
        ExportKind::ResultsHtml => "成绩 HTML",
        ExportKind::ResultsXlsx => "成绩 XLSX",
        ExportKind::ResultsCsv => "成绩 CSV",
        ExportKind::ResultsMd => "成绩 Markdown",
        ExportKind::SheetsHtml => "评分表 HTML",
        ExportKind::SheetsXlsx => "评分表 XLSX",
        ExportKind::Backup => "备份",
        ExportKind::BlankSheetsHtml => "空白评分表 HTML",
        ExportKind::BlankSheetsXlsx => "空白评分表 XLSX",
        ExportKind::ResultsDocx => "成绩 Word",
        ExportKind::ResultsPublic => "公示版 HTML",
        ExportKind::Certificates => "荣誉证书",
        ExportKind::SelectedHtml => "入选名单 HTML",
        ExportKind::SelectedDocx => "入选案例集 Word",
    }
}

fn en_export(k: ExportKind) -> &'static str {
    match k {
        ExportKind::ResultsHtml => "Results HTML",
        ExportKind::ResultsXlsx => "Results XLSX",
        ExportKind::ResultsCsv => "Results CSV",
        ExportKind::ResultsMd => "Results Markdown",
        ExportKind::SheetsHtml => "Score sheets HTML",
        ExportKind::SheetsXlsx => "Score sheets XLSX",
        ExportKind::Backup => "Backup",
        ExportKind::BlankSheetsHtml => "Blank sheets HTML",
        ExportKind::BlankSheetsXlsx => "Blank sheets XLSX",
        ExportKind::ResultsDocx => "Results Word",
        ExportKind::ResultsPublic => "Public copy HTML",
        ExportKind::Certificates => "Certificates",
        ExportKind::SelectedHtml => "Selected cases HTML",
        ExportKind::SelectedDocx => "Case collection Word",
    }
}

fn zh_export_about(k: ExportKind) -> &'static str {
    match k {
        ExportKind::ResultsHtml => "打印用：每组一页，签字栏，指纹",
        ExportKind::ResultsXlsx => "电子表格：每组一张表，另附评分明细",
        ExportKind::ResultsCsv => "UTF-8 带 BOM，Excel 可直接打开",
        ExportKind::ResultsMd => "纯文本表格，便于粘贴",
        ExportKind::SheetsHtml => "每位评委的评分表，供签字",
        ExportKind::SheetsXlsx => "每位评委的评分表（电子表格）",
        ExportKind::Backup => "整个工作区的一致副本，评分可继续进行",
        ExportKind::BlankSheetsHtml => "纸质评分用：每位评委的空白评分表",
        ExportKind::BlankSheetsXlsx => "空白评分表，填好后用 jury import scores 导入",
        ExportKind::ResultsDocx => "Word 文档：每组一节，签字栏，指纹",
        ExportKind::ResultsPublic => "公示用：不含评委姓名、各评委分数和签字栏",
        ExportKind::Certificates => "每位获奖者（或入选案例）一页 A4 横向证书",
        ExportKind::SelectedHtml => "按批次、主题列出的入选案例，供公布",
        ExportKind::SelectedDocx => "入选案例集：每个案例含四部分内容",
    }
}

fn en_export_about(k: ExportKind) -> &'static str {
    match k {
        ExportKind::ResultsHtml => "print-ready: a page per group, signature lines, fingerprint",
        ExportKind::ResultsXlsx => "spreadsheet: a sheet per group plus every judge's scores",
        ExportKind::ResultsCsv => "UTF-8 with BOM for Excel",
        ExportKind::ResultsMd => "plain-text tables for pasting",
        ExportKind::SheetsHtml => "each judge's score sheet to sign",
        ExportKind::SheetsXlsx => "each judge's score sheet as a spreadsheet",
        ExportKind::Backup => "a consistent copy of the workspace, while judges keep scoring",
        ExportKind::BlankSheetsHtml => "each judge's empty sheets to score on paper",
        ExportKind::BlankSheetsXlsx => "the empty form; filled in, jury import scores reads it",
        ExportKind::ResultsDocx => "Word document: a section per group, signature lines, fingerprint",
        ExportKind::ResultsPublic => "for publicity: no judges' names, marks or signature lines",
        ExportKind::Certificates => "an A4 landscape certificate per award winner (or selected case)",
        ExportKind::SelectedHtml => "the selected cases by batch and topic, for publication",
        ExportKind::SelectedDocx => "the case collection: each selected case with its four parts",
    }
}

fn zh_action(a: &str) -> String {
    match a {
        "lock" => "锁定".into(),
        "unlock" => "解锁".into(),
        "reopen" => "重开".into(),
        "assign-panel" => "分配评委组".into(),
        "assign-per-entry" => "自动分配".into(),
        "assign-entry" => "手动分配".into(),
        other => other.into(),
    }
}

fn en_action(a: &str) -> String {
    a.to_string()
}

const ZH_HELP: Help = &[
    (
        "全部页面",
        &[
            ("F2-F7 / 1-6", "切换页面（Tab、Shift-Tab 依次切换；鼠标点页签亦可）"),
            ("g / Ctrl-G", "下一个组别（G 上一个）"),
            ("r / Ctrl-R", "下一个环节（R 上一个）"),
            ("上下 PgUp PgDn", "选择行、翻页；鼠标点行、滚轮亦可"),
            ("? / F1", "本帮助"),
            ("q / Ctrl-Q", "退出"),
            ("", "中文输入法开启时字母键到不了程序：请用 Ctrl 组合键或 F 键。"),
        ],
    ),
    (
        "进度",
        &[
            (
                "",
                "行是作品/选手，列是评委：# 已提交  o 草稿  . 未开始  x 回避  空白 未分配。",
            ),
            (
                "",
                "底部两行是每位评委的已提交数和未完成数，未完成最多的评委高亮；右侧红色计数表示可评评委不足，无法出成绩。",
            ),
            (
                "o / Ctrl-O / Enter",
                "重开所选评委对所选作品本环节已提交的评分表（须填原因）",
            ),
            ("a / Ctrl-A", "给所选评委分配或取消所选作品（手动调整分配，记入审计）"),
            ("u / Ctrl-U", "解除所选评委连输三次 PIN 后的登录暂停（记入审计）"),
            (
                "x / Ctrl-X",
                "移出所选评委（须填原因）：草稿删除，已提交的保留，编号保留但不能再登录；jury assign --replace 交接其任务",
            ),
            (
                "s / Ctrl-S",
                "替换所选评委：输入新评委编号和原因，新评委接替其未完成的任务和评审组席位（同 jury assign --replace）",
            ),
            (
                "d / Ctrl-D / Del",
                "删除所选评委对所选作品本环节的全部评分（须填原因），评分表变回草稿（同 jury score remove）",
            ),
        ],
    ),
    (
        "实时成绩",
        &[
            (
                "",
                "按计分规则排名；右侧是本环节每位评委的总分，(括号并划线) 为去掉的最高分和最低分，! 为分差过大。评委提交后自动刷新。",
            ),
            ("", "评委人数不足的作品列在最后，并注明原因。"),
            (
                "w / Ctrl-W",
                "所选作品退出评选（弃权，须填原因）：保留记录和分数，不参与排名，列在最后；选中已退出的作品再按则恢复参评",
            ),
            (
                "d / Ctrl-D",
                "所选作品开启讨论（评分规则须设 discussion）：已提交的评委可看到评审组的评分和评语；讨论中的作品再按则结束讨论",
            ),
            (
                "p / Ctrl-P",
                "评审阶段：各阶段的条目数、分数数和各组前三名（之前的阶段只读）；其中按 x 删除最新阶段（须尚无分数，须填原因）",
            ),
            (
                "n / Ctrl-N",
                "开始下一评审阶段：填写阶段名和状态（如：复评 入围），当前阶段随即锁定",
            ),
        ],
    ),
    (
        "锁定",
        &[
            ("Enter", "锁定所选范围；已锁定则解锁"),
            ("l / Ctrl-L", "锁定（原因可填可不填）；锁定后不能再改分，导入也不行"),
            ("u / Ctrl-U", "解锁（须填原因）"),
            (
                "w / Ctrl-W",
                "在线会话：评委、地址、登录时间、空闲；x 结束所选会话（仅 jury serve）",
            ),
            (
                "b / Ctrl-B",
                "修改评分标准：先列出 TOML 文件带来的变化，再询问原因（jury rubric apply）",
            ),
            (
                "i",
                "导入记录：每次导入的编号、时间、文件和行数；u 撤销所选导入（须填原因，jury import undo）",
            ),
            ("", "下方列出最近的锁定、解锁、重开和分配操作（审计记录）。"),
        ],
    ),
    (
        "遴选",
        &[
            ("Enter / 空格", "状态依次改为 待定、入围、入选、未入选（退格键反向）"),
            ("b / Ctrl-B", "设置批次"),
            (
                "p / Ctrl-P",
                "按目标推荐：总数、每组至少、每县至多、批次；不能满足的目标会逐条说明。形式审查未通过的案例和疑似重复中排名较低的一件不推荐，除非把「含标记案例」选为「是」",
            ),
        ],
    ),
    (
        "统计",
        &[
            ("左右", "直方图中显示的评委"),
            (
                "",
                "宽严度 = 该评委平均分减同一批作品的全体平均分；相关 = 与其他评委平均分的相关系数。",
            ),
        ],
    ),
    (
        "导出",
        &[("Enter", "选择格式后输入文件名（已填好默认名），写出后显示位置和指纹")],
    ),
    (
        "现场（比赛）",
        &[
            ("n / Ctrl-N", "下一位选手（按出场顺序）"),
            ("p / Ctrl-P", "上一位选手"),
            ("Enter", "让所选选手上台（使用当前环节）"),
            (
                "v / Ctrl-V",
                "投影屏亮分或收起；尚有评委未提交时不亮分，再按一次为暂定亮分",
            ),
        ],
    ),
];

const EN_HELP: Help = &[
    (
        "Every screen",
        &[
            ("F2-F7 / 1-6", "switch screens (Tab, Shift-Tab in turn; or click a tab)"),
            ("g / Ctrl-G", "next group (G previous)"),
            ("r / Ctrl-R", "next round (R previous)"),
            ("Up Down PgUp PgDn", "choose rows, page; click a row, or use the wheel"),
            ("? / F1", "this help"),
            ("q / Ctrl-Q", "quit"),
            (
                "",
                "Letters do not reach the program while a Chinese input method is on: use the Ctrl or F keys.",
            ),
        ],
    ),
    (
        "Progress",
        &[
            (
                "",
                "Rows are entries, columns judges: # submitted  o draft  . not started  x conflict  blank not assigned.",
            ),
            (
                "",
                "The two bottom lines count each judge's submitted and outstanding sheets; the judges owing most stand out. A red count means too few judges may score the entry.",
            ),
            (
                "o / Ctrl-O / Enter",
                "reopen the chosen judge's submitted sheet for the chosen entry and round (a reason is asked)",
            ),
            (
                "a / Ctrl-A",
                "assign or unassign the chosen judge on the chosen entry (audited)",
            ),
            (
                "u / Ctrl-U",
                "lift the chosen judge's login pause after three wrong PINs (audited)",
            ),
            (
                "x / Ctrl-X",
                "remove the chosen judge (a reason is asked): drafts deleted, submitted sheets kept, the id stays taken and can no longer log in; jury assign --replace hands their work over",
            ),
            (
                "s / Ctrl-S",
                "replace the chosen judge: type the new judge's id and a reason; they take over the open work and panel seats (as jury assign --replace)",
            ),
            (
                "d / Ctrl-D / Del",
                "remove every score of the chosen judge on the chosen entry in this round (a reason is asked); the sheet becomes a draft (as jury score remove)",
            ),
        ],
    ),
    (
        "Live tally",
        &[
            (
                "",
                "Ranked by the tally rules; on the right every judge's total in the round, dropped marks (in brackets, struck through), ! for marks too far apart. Refreshes as judges submit.",
            ),
            ("", "Entries with too few judges come last, with the reason."),
            (
                "w / Ctrl-W",
                "withdraw the chosen entry (a reason is asked): its record and scores are kept, it leaves the ranking and is listed last; on a withdrawn entry, restore it",
            ),
            (
                "d / Ctrl-D",
                "open the chosen entry's discussion (the rubric must set discussion): the judges who submitted it see the panel's marks and comments; on an entry under discussion, close it",
            ),
            (
                "p / Ctrl-P",
                "the phases: each one's entries, scores and the top three of every group (earlier phases are read-only); x there drops the newest phase (only while it has no scores; a reason is asked)",
            ),
            (
                "n / Ctrl-N",
                "start the next phase: type its name and a status (e.g. 复评 shortlisted); the current phase is then locked",
            ),
        ],
    ),
    (
        "Locks",
        &[
            ("Enter", "lock the chosen scope, or unlock it when locked"),
            (
                "l / Ctrl-L",
                "lock (reason optional): no more score changes, not even by import",
            ),
            ("u / Ctrl-U", "unlock (reason required)"),
            (
                "w / Ctrl-W",
                "who is connected: judge, address, since, idle; x ends the chosen session (jury serve only)",
            ),
            (
                "b / Ctrl-B",
                "change the rubric: a TOML file's changes are shown, then a reason is asked (jury rubric apply)",
            ),
            (
                "i",
                "the imports: each one's number, time, file and rows; u undoes the chosen one (a reason is asked; jury import undo)",
            ),
            (
                "",
                "Below: the latest locks, unlocks, reopenings and assignments (audit trail).",
            ),
        ],
    ),
    (
        "Shortlist",
        &[
            (
                "Enter / Space",
                "status: pending, shortlisted, selected, rejected in turn (Backspace back)",
            ),
            ("b / Ctrl-B", "set the batch"),
            (
                "p / Ctrl-P",
                "propose by targets: total, at least per group, at most per county, batch; unmet targets are explained. Cases failing the formal check and the lower-ranked of likely duplicates are left out unless Include flagged is yes",
            ),
        ],
    ),
    (
        "Statistics",
        &[
            ("Left Right", "the judges shown in the histograms"),
            (
                "",
                "Severity = the judge's mean minus the panel's mean on the same entries; correlation = with the mean of the other judges.",
            ),
        ],
    ),
    (
        "Export",
        &[(
            "Enter",
            "choose a format, then a file name (the default is filled in); shows where it went and its fingerprint",
        )],
    ),
    (
        "Stage (competitions)",
        &[
            ("n / Ctrl-N", "next contestant in running order"),
            ("p / Ctrl-P", "previous contestant"),
            ("Enter", "put the chosen contestant on stage (in the chosen round)"),
            (
                "v / Ctrl-V",
                "reveal or hide the result on the projector; refused while a judge is not in, a second v reveals it as provisional",
            ),
        ],
    ),
];

pub static ZH: ConsoleTexts = ConsoleTexts {
    locked_no_pass: "组织者控制台已锁定：尚未设置组织者口令。请先运行 jury passwd --organiser 设置口令。",
    needs_terminal: "组织者控制台需要在终端中运行（标准输入和输出不能重定向）；其他命令无需终端（jury --help）。",
    too_small: |w, h| format!("窗口太小（{w}x{h}）：控制台至少需要 80x24。"),
    title: "组织者控制台",
    login_title: "组织者登录",
    login_prompt: "请输入组织者口令，按 Enter 确认：",
    wrong_pass: |left| format!("口令不正确，还可以再试 {left} 次。"),
    login_paused: |secs| format!("连续输错 3 次，请等待 {secs} 秒后再试。"),
    keys_login: "Enter 登录  Esc 退出",
    tab_name: zh_tab,
    keys_tab: zh_keys,
    group_label: "组别",
    round_label: "环节",
    all_groups: "全部组别",
    all_rounds: "全部环节",
    failed: |e| format!("未完成：{e}"),
    any_key: "按任意键关闭",
    keys_help: "上下 滚动  其他键 关闭",
    keys_prompt: "Enter 确定  Esc 取消  Ctrl-U 清空",
    keys_propose: "Tab/上下 切换字段  左右 改状态  Enter 下一项/推荐  Esc 取消",
    help_title: "帮助",
    help: ZH_HELP,
    no_entries: "这个组别没有作品。",
    more_judges: |n| format!("另有 {n} 位评委（左右键查看）"),
    col_id: "编号",
    col_entry: "标题/姓名",
    col_count: "已交/应交",
    col_rank: "名次",
    col_final: "最终",
    col_award: "奖项",
    col_marks: |round| format!("评委总分（{round}）"),
    col_order: "序号",
    col_group: "组别",
    col_county: "县市区",
    col_status: "状态",
    col_batch: "批次",
    col_judge: "评委",
    col_name: "姓名",
    col_org: "单位",
    col_scored: "评分数",
    col_mean: "平均分",
    col_sd: "标准差",
    col_severity: "宽严度",
    col_correlation: "相关",
    col_band: "分数段",
    col_scope: "范围",
    col_lock: "状态",
    legend: "# 已提交  o 草稿  . 未开始  x 回避  空白 未分配",
    row_submitted: "已提交",
    row_outstanding: "未完成",
    progress_summary: |done, expected, slowest, most| {
        if most == 0 {
            format!("已提交 {done}/{expected}，全部完成")
        } else {
            format!("已提交 {done}/{expected}  未完成最多：{slowest}（{most} 份）")
        }
    },
    nothing_to_reopen: |judge, entry| format!("{judge} 对 {entry} 在本环节没有已提交的评分表，无需重开。"),
    assign_conflict: |judge, entry| format!("{judge} 须回避 {entry}，不能分配。"),
    unassign_submitted: |judge, entry| format!("{judge} 已提交 {entry} 的评分表，不能取消分配；如需更正请先重开。"),
    unassign_last: |entry| format!("{entry} 只剩这一位评委，请先给它分配另一位评委。"),
    assigned: |judge, entry| format!("已把 {entry} 分配给 {judge}。"),
    unassigned: |judge, entry| format!("已取消 {judge} 对 {entry} 的分配。"),
    reopen_title: "重开评分表",
    reopen_question: |judge, name, entry, round| {
        format!("重开 {judge} {name} 对 {entry} 的评分表（{round}），评委可重新修改。请填写原因（记入审计记录）：")
    },
    reopened: |judge, entry| format!("已重开 {judge} 对 {entry} 的评分表，现为草稿。"),
    reason_required: "必须填写原因。",
    tally_summary: |ranked, incomplete, rule| format!("已排名 {ranked}  未完成 {incomplete}  {rule}"),
    flag_deviation: "分差过大",
    shortfall: |round, have, need| format!("{round} 仅 {have}/{need} 位评委"),
    incomplete_heading: |n| format!("未完成（{n}）：评委人数不足，暂不排名"),
    locks_summary: |n| format!("现有锁定 {n} 项"),
    lock_set: |at, reason| {
        if reason.is_empty() {
            format!("已锁定 {at}")
        } else {
            format!("已锁定 {at}  原因：{reason}")
        }
    },
    lock_covered: |by| format!("已被 {by} 的锁定覆盖"),
    lock_open: "未锁定",
    not_locked: "这个范围没有锁定，无需解锁。",
    lock_title: "锁定成绩",
    lock_question: |scope| format!("锁定 {scope}：锁定后不能再改分，导入也不行。原因（可不填）："),
    unlock_title: "解锁",
    unlock_question: |scope| format!("解锁 {scope}。请填写原因（必填，记入审计记录）："),
    locked: |scope| format!("已锁定 {scope}。"),
    unlocked: |scope| format!("已解锁 {scope}。"),
    trail_heading: "最近的操作（审计记录）",
    trail_empty: "还没有锁定、重开或分配操作。",
    actor_organiser: "组织者",
    actor_cli: "命令行",
    because: |r| format!("原因：{r}"),
    action_name: zh_action,
    shortlist_status: zh_status,
    shortlist_summary: |chosen, target| match target {
        Some(t) => format!("入围和入选 {chosen}/{t}"),
        None => format!("入围和入选 {chosen}"),
    },
    status_set: |entry, status| format!("{entry} 已设为 {status}。"),
    batch_title: "批次",
    batch_question: |entry| format!("{entry} 的批次（正整数，留空不改）："),
    batch_number: "批次须是正整数。",
    batch_set: |entry, batch| match batch {
        Some(b) => format!("{entry} 已归入第 {b} 批。"),
        None => format!("{entry} 的批次未改。"),
    },
    propose_title: "按目标推荐",
    propose_about: "按最终成绩从高到低推荐，同时满足各项目标；已入围、入选的计入目标。",
    propose_fields: ["总数", "每组至少", "每县至多（空=不限）", "批次", "推荐为"],
    digits_only: "这里只能输入数字。",
    total_needed: "请填写总数。",
    proposed: |n, status| format!("已推荐 {n} 件为 {status}。"),
    unmet_heading: "以下目标未能满足：",
    targets_text: |total, min, max| match max {
        Some(m) => format!("目标：总数 {total}，每组至少 {min}，每县至多 {m}"),
        None => format!("目标：总数 {total}，每组至少 {min}"),
    },
    targets_none: "尚未设定目标（按 p 推荐时填写）",
    bars_total: "合计",
    bars_by_group: "按组别（入围+入选）",
    bars_by_county: "按县市区",
    none_chosen: "尚无入围或入选",
    stats_none: "这个组别和环节还没有已提交的评分。",
    stats_heading: |entries, judges, complete| {
        format!("{entries} 件作品，{judges} 位评委，其中 {complete} 件全体评委均已评分")
    },
    histogram_heading: "各评委总分分布",
    calibration_heading: "试评：各评委总分（与评委组平均分之差）",
    col_mean_offset: "平均偏差",
    panel_mean: "评委组平均",
    export_summary: "文件写到当前文件夹，或输入其他路径",
    export_heading: "选择要导出的内容：",
    export_label: zh_export,
    export_about: zh_export_about,
    export_title: "导出",
    export_question: |what| format!("{what}：文件名（可改）："),
    file_needed: "请填写文件名。",
    exported: |what, path, fingerprint| format!("{what} 已写到 {path}  指纹 {fingerprint}"),
    written_heading: "本次已导出",
    written_none: "还没有导出文件。",
    stage_none: "台上还没有选手：按 n 从第一位开始，或选中一位按 Enter。",
    stage_summary: |entry, done, of| format!("台上 {entry}  已提交 {done}/{of}"),
    on_stage_label: "台上",
    on_stage: |entry, revealed| {
        if revealed {
            format!("{entry} 在台上，投影已亮分。")
        } else {
            format!("{entry} 已上台。")
        }
    },
    submitted_of: |done, of| format!("已提交 {done}/{of}"),
    sub_yes: "已交",
    sub_no: "未交",
    revealed: "投影：已亮分",
    not_revealed: "投影：未亮分",
    not_all_in: |missing, all, names| {
        let names = names.join("、");
        format!("尚有 {missing}/{all} 位评委未提交（{names}），暂不亮分。再按一次 v 暂定亮分（投影标明暂定）。")
    },
    revealed_provisional: |entry, missing| format!("{entry} 已暂定亮分（尚缺 {missing} 位评委）。"),
    revealed_provisional_short: "投影：暂定亮分",
    mark_formal: "形式审查未通过",
    mark_duplicate: "疑似重复",
    propose_flagged_field: "含标记案例",
    propose_flagged_about: "形式审查未通过的案例、疑似重复中排名较低的一件，默认不推荐。",
    yes: "是",
    no: "否",
    organiser_refusal: zh_refusal,
    pause_lifted: |judge, paused| match paused {
        true => format!("已解除 {judge} 的登录暂停，现在可以用正确的 PIN 登录。"),
        false => format!("{judge} 没有登录暂停；已清零错误次数。"),
    },
    connected_title: "在线会话",
    not_serving: "本控制台不是通过 jury serve 打开的：没有在线会话可列。",
    no_sessions: "现在没有人连接。",
    session_heading: ["登录", "地址", "登录时间", "空闲"],
    session_organiser: "组织者",
    session_projector: "投影屏",
    keys_connected: "上下 选择  x 结束所选会话  w 刷新  其他键 关闭",
    session_ended: |who| format!("已结束 {who} 的会话，对方已收到说明。"),
    session_gone: |who| format!("{who} 的会话已经不在了。"),
    remove_judge_title: "移出评委",
    remove_judge_question: |judge, name| {
        format!("将 {judge} {name} 移出评委：其草稿删除，已提交的评分表保留，不能再登录。请填写原因：")
    },
    judge_removed: |judge| {
        format!("已将 {judge} 移出评委（记入审计）；可用 jury assign --replace 交接其未完成的任务。")
    },
    withdraw_title: "退出评选",
    withdraw_question: |entry, title| {
        format!("{entry} {title} 退出评选（弃权）：保留记录和分数，不参与排名。请填写原因：")
    },
    restore_title: "恢复参评",
    restore_question: |entry, title, reason| {
        format!("恢复 {entry} {title} 参与排名（退出原因：{reason}）。请填写原因：")
    },
    entry_withdrawn: |entry| format!("{entry} 已退出评选（记入审计）。"),
    entry_restored: |entry| format!("{entry} 已恢复参评（记入审计）。"),
    withdrawn_heading: |n| format!("退出评选 {n} 项（不参与排名；w 恢复）"),
    withdrawn_kind: |k| k.zh(),
    under_discussion: "讨论中",
    discussion_opened: |entry| format!("{entry} 已开启讨论：已提交的评委可看到评审组的评分（记入审计）。"),
    discussion_closed: |entry| format!("{entry} 已结束讨论（记入审计）。"),
    phases_title: "评审阶段",
    phase_line: |p, current| {
        let state = if current { "当前" } else { "已锁定" };
        format!(
            "{} {}（{state}）：{} 个条目，{} 个分数",
            p.seq, p.name, p.entries, p.scores
        )
    },
    phase_leaders: |group, leaders| format!("  {group}：{leaders}"),
    start_phase_title: "开始下一评审阶段",
    start_phase_question: |current| {
        format!("取 {current} 中某一状态的条目开始新阶段，{current} 随即锁定。请填写：阶段名 状态（如：复评 入围）")
    },
    start_phase_format: "请填写阶段名和状态，以空格分开，如：复评 入围",
    phase_started: |name| format!("已开始评审阶段 {name}（记入审计）；之前的阶段已锁定。"),
    tally_marks_of: |entry, round| format!("{entry} {round}："),
};

pub static EN: ConsoleTexts = ConsoleTexts {
    locked_no_pass: "The organiser's console is locked: no organiser passphrase is set. Set one with `jury passwd --organiser` first.",
    needs_terminal: "the organiser's console needs a terminal (stdin and stdout must not be redirected); the other commands work without one (jury --help)",
    too_small: |w, h| format!("The window is too small ({w}x{h}): the console needs at least 80x24."),
    title: "Organiser's console",
    login_title: "Organiser login",
    login_prompt: "Type the organiser passphrase and press Enter:",
    wrong_pass: |left| format!("Wrong passphrase; {left} more tries."),
    login_paused: |secs| format!("Three wrong tries: wait {secs} s."),
    keys_login: "Enter log in  Esc quit",
    tab_name: en_tab,
    keys_tab: en_keys,
    group_label: "Group",
    round_label: "Round",
    all_groups: "all groups",
    all_rounds: "all rounds",
    failed: |e| format!("Not done: {e}"),
    any_key: "any key closes",
    keys_help: "Up/Down scroll  other keys close",
    keys_prompt: "Enter confirm  Esc cancel  Ctrl-U clear",
    keys_propose: "Tab/Up/Down field  Left/Right status  Enter next/propose  Esc cancel",
    help_title: "Help",
    help: EN_HELP,
    no_entries: "This group has no entries.",
    more_judges: |n| format!("{n} more judges (Left/Right)"),
    col_id: "No.",
    col_entry: "Title/name",
    col_count: "done/due",
    col_rank: "Rank",
    col_final: "Final",
    col_award: "Award",
    col_marks: |round| format!("Judges' totals ({round})"),
    col_order: "#",
    col_group: "Group",
    col_county: "County",
    col_status: "Status",
    col_batch: "Batch",
    col_judge: "Judge",
    col_name: "Name",
    col_org: "Organisation",
    col_scored: "scored",
    col_mean: "mean",
    col_sd: "sd",
    col_severity: "severity",
    col_correlation: "corr",
    col_band: "band",
    col_scope: "Scope",
    col_lock: "Lock",
    legend: "# submitted  o draft  . not started  x conflict  blank not assigned",
    row_submitted: "submitted",
    row_outstanding: "outstanding",
    progress_summary: |done, expected, slowest, most| {
        if most == 0 {
            format!("submitted {done}/{expected}, all done")
        } else {
            format!("submitted {done}/{expected}  owing most: {slowest} ({most})")
        }
    },
    nothing_to_reopen: |judge, entry| {
        format!("{judge} has no submitted sheet for {entry} in this round: nothing to reopen.")
    },
    assign_conflict: |judge, entry| format!("{judge} is in conflict with {entry} and cannot be assigned."),
    unassign_submitted: |judge, entry| {
        format!("{judge} has submitted {entry}; reopen the sheet first if it must change.")
    },
    unassign_last: |entry| format!("{entry} has only this judge left: assign another first."),
    assigned: |judge, entry| format!("{entry} assigned to {judge}."),
    unassigned: |judge, entry| format!("{judge} no longer assigned to {entry}."),
    reopen_title: "Reopen a sheet",
    reopen_question: |judge, name, entry, round| {
        format!(
            "Reopen {judge} {name}'s sheet for {entry} ({round}) so they can correct it. Reason (kept in the audit trail):"
        )
    },
    reopened: |judge, entry| format!("{judge}'s sheet for {entry} is reopened (a draft again)."),
    reason_required: "A reason is required.",
    tally_summary: |ranked, incomplete, rule| format!("ranked {ranked}  incomplete {incomplete}  {rule}"),
    flag_deviation: "far apart",
    shortfall: |round, have, need| format!("{round}: {have}/{need} judges"),
    incomplete_heading: |n| format!("Incomplete ({n}): too few judges, not ranked yet"),
    locks_summary: |n| format!("{n} locks"),
    lock_set: |at, reason| {
        if reason.is_empty() {
            format!("locked {at}")
        } else {
            format!("locked {at}  reason: {reason}")
        }
    },
    lock_covered: |by| format!("covered by the lock on {by}"),
    lock_open: "open",
    not_locked: "This scope is not locked.",
    lock_title: "Lock results",
    lock_question: |scope| format!("Lock {scope}: no more score changes, not even by import. Reason (optional):"),
    unlock_title: "Unlock",
    unlock_question: |scope| format!("Unlock {scope}. Reason (required, kept in the audit trail):"),
    locked: |scope| format!("{scope} locked."),
    unlocked: |scope| format!("{scope} unlocked."),
    trail_heading: "Latest room actions (audit trail)",
    trail_empty: "No locks, reopenings or assignments yet.",
    actor_organiser: "organiser",
    actor_cli: "cli",
    because: |r| format!("reason: {r}"),
    action_name: en_action,
    shortlist_status: en_status,
    shortlist_summary: |chosen, target| match target {
        Some(t) => format!("shortlisted + selected {chosen}/{t}"),
        None => format!("shortlisted + selected {chosen}"),
    },
    status_set: |entry, status| format!("{entry} is now {status}."),
    batch_title: "Batch",
    batch_question: |entry| format!("Batch of {entry} (a positive number; empty leaves it):"),
    batch_number: "The batch is a positive whole number.",
    batch_set: |entry, batch| match batch {
        Some(b) => format!("{entry} is in batch {b}."),
        None => format!("{entry}: batch unchanged."),
    },
    propose_title: "Propose by targets",
    propose_about: "Proposes by final score, best first, within every target; shortlisted and selected cases count.",
    propose_fields: [
        "Total",
        "At least per group",
        "At most per county",
        "Batch",
        "Propose as",
    ],
    digits_only: "Digits only here.",
    total_needed: "Give the total.",
    proposed: |n, status| format!("{n} cases proposed as {status}."),
    unmet_heading: "Targets that cannot be met:",
    targets_text: |total, min, max| match max {
        Some(m) => format!("Targets: total {total}, at least {min} per group, at most {m} per county"),
        None => format!("Targets: total {total}, at least {min} per group"),
    },
    targets_none: "No targets yet (entered with p)",
    bars_total: "total",
    bars_by_group: "By group (shortlisted + selected)",
    bars_by_county: "By county",
    none_chosen: "none chosen yet",
    stats_none: "No submitted scores in this group and round yet.",
    stats_heading: |entries, judges, complete| {
        format!("{entries} entries, {judges} judges, {complete} entries scored by every judge")
    },
    histogram_heading: "Each judge's totals",
    calibration_heading: "Calibration: each judge's total (offset from the panel mean)",
    col_mean_offset: "mean offset",
    panel_mean: "panel mean",
    export_summary: "files go to the current folder unless you type a path",
    export_heading: "Choose what to export:",
    export_label: en_export,
    export_about: en_export_about,
    export_title: "Export",
    export_question: |what| format!("{what}: file name (edit as needed):"),
    file_needed: "Give a file name.",
    exported: |what, path, fingerprint| format!("{what} written to {path}  fingerprint {fingerprint}"),
    written_heading: "Written this session",
    written_none: "Nothing exported yet.",
    stage_none: "Nobody is on stage yet: press n to start with the first contestant, or choose one and press Enter.",
    stage_summary: |entry, done, of| format!("on stage {entry}  submitted {done}/{of}"),
    on_stage_label: "On stage",
    on_stage: |entry, revealed| {
        if revealed {
            format!("{entry} on stage, result revealed on the projector.")
        } else {
            format!("{entry} is on stage.")
        }
    },
    submitted_of: |done, of| format!("submitted {done}/{of}"),
    sub_yes: "in",
    sub_no: "waiting",
    revealed: "projector: revealed",
    not_revealed: "projector: hidden",
    not_all_in: |missing, all, names| {
        let names = names.join(", ");
        format!(
            "{missing} of {all} judges have not submitted ({names}): the result stays hidden. Press v again to reveal it as provisional."
        )
    },
    revealed_provisional: |entry, missing| {
        format!("{entry}: provisional result on the projector ({missing} judges missing).")
    },
    revealed_provisional_short: "projector: provisional",
    mark_formal: "check failed",
    mark_duplicate: "likely duplicate",
    propose_flagged_field: "Include flagged",
    propose_flagged_about: "Cases failing the formal check and the lower-ranked of likely duplicates are left out unless included.",
    yes: "yes",
    no: "no",
    organiser_refusal: en_refusal,
    pause_lifted: |judge, paused| match paused {
        true => format!("{judge}'s login pause is lifted: the right PIN works now."),
        false => format!("{judge} had no login pause; the wrong tries are cleared."),
    },
    connected_title: "Connected",
    not_serving: "This console was not opened through jury serve: no sessions to list.",
    no_sessions: "Nobody is connected now.",
    session_heading: ["Login", "Address", "Since", "Idle"],
    session_organiser: "organiser",
    session_projector: "projector",
    keys_connected: "Up/Down choose  x end the chosen session  w refresh  other keys close",
    session_ended: |who| format!("{who}'s session is ended; their screen says why."),
    session_gone: |who| format!("{who}'s session is no longer there."),
    remove_judge_title: "Remove a judge",
    remove_judge_question: |judge, name| {
        format!(
            "Remove {judge} {name}: their drafts are deleted, submitted sheets kept, and they can no longer log in. Reason:"
        )
    },
    judge_removed: |judge| {
        format!("{judge} is removed (audited); hand their open work over with jury assign --replace.")
    },
    withdraw_title: "Withdraw an entry",
    withdraw_question: |entry, title| {
        format!("Withdraw {entry} {title}: its record and scores are kept, it leaves the ranking. Reason:")
    },
    restore_title: "Restore an entry",
    restore_question: |entry, title, reason| {
        format!("Bring {entry} {title} back into the ranking (withdrawn for: {reason}). Reason:")
    },
    entry_withdrawn: |entry| format!("{entry} is withdrawn (audited)."),
    entry_restored: |entry| format!("{entry} is back in the ranking (audited)."),
    withdrawn_heading: |n| format!("Withdrawn: {n} (not ranked; w restores)"),
    withdrawn_kind: |k| k.as_str(),
    under_discussion: "discussed",
    discussion_opened: |entry| {
        format!("{entry} is under discussion: the judges who submitted it see the panel's marks (audited).")
    },
    discussion_closed: |entry| format!("{entry}: discussion closed (audited)."),
    phases_title: "Phases",
    phase_line: |p, current| {
        let state = if current { "current" } else { "locked" };
        format!(
            "{} {} ({state}): {} entries, {} scores",
            p.seq, p.name, p.entries, p.scores
        )
    },
    phase_leaders: |group, leaders| format!("  {group}: {leaders}"),
    start_phase_title: "Start the next phase",
    start_phase_question: |current| {
        format!(
            "Start a phase with the entries of one status of {current}, which is then locked. Type: name status              (e.g. 复评 shortlisted)"
        )
    },
    start_phase_format: "Type the phase's name and a status, separated by a space: 复评 shortlisted",
    phase_started: |name| format!("Started the phase {name} (audited); the one before is locked."),
    tally_marks_of: |entry, round| format!("{entry} {round}: "),
};

fn zh_scope(part: &Option<String>) -> &str {
    part.as_deref().unwrap_or("全部")
}

/// The organiser's refusals in Chinese.
fn zh_refusal(refusal: &OrganiserRefusal) -> String {
    use OrganiserRefusal::*;
    match refusal {
        PassTooShort { min } => format!("组织者口令至少需要 {min} 个字符。"),
        NoPassphrase => "尚未设置组织者口令，请先运行 jury passwd --organiser 设置。".to_string(),
        PassPaused { secs } => (ZH.login_paused)(*secs),
        UnknownGroup { group, known } if known.is_empty() => format!("没有这个组别：{group}。"),
        UnknownGroup { group, known } => format!("没有这个组别：{group}。现有组别：{}。", known.join("、")),
        UnknownRound { round } => format!("没有这个环节：{round}。"),
        UnknownEntry { entry } => format!("没有这个参评对象：{entry}。"),
        UnknownJudge { judge } => format!("没有这位评委：{judge}。"),
        NotLocked { group, round } => format!("{} / {} 没有锁定，无需解锁。", zh_scope(group), zh_scope(round)),
        Locked { group, round, reason } => format!(
            "{} / {round} 的成绩已锁定（{reason}），须由组织者先解锁。",
            zh_scope(group)
        ),
        NothingToReopen { judge, entry, round } => {
            format!("{judge} 对 {entry} 在环节 {round} 没有已提交的评分表，无需重开。")
        }
        AssignConflict { judge, entry } => (ZH.assign_conflict)(judge, entry),
        UnassignSubmitted { judge, entry } => (ZH.unassign_submitted)(judge, entry),
        UnassignLast { entry } => (ZH.unassign_last)(entry),
        PanelTooSmall { group, judges, needed } => format!(
            "{group} 的评委组只有 {judges} 位评委，但计分规则至少需要 {needed} 位（min_judges）才能出成绩；请增加评委，或加 --force 仍然分配。"
        ),
        TooFewReviewers { per_entry, needed } => format!(
            "每件作品只分配 {per_entry} 位评委，但计分规则至少需要 {needed} 位（min_judges）才能出成绩；请增加人数，或加 --force 仍然分配。"
        ),
        AlreadyWithdrawn { entry, kind } => {
            let kind = crate::core::withdrawal::WithdrawalKind::parse(kind).map_or(kind.as_str(), |k| k.zh());
            format!("{entry} 已是{kind}状态；如需恢复请先恢复参评。")
        }
        NotWithdrawn { entry } => format!("{entry} 没有退出评选，无需恢复。"),
        JudgeRemoved { judge } => format!("{judge} 已被移出评委（jury judge remove）；该编号保留，不能再评分或分配。"),
        ReplaceSame { judge } => format!("{judge} 不能替换自己，请指定另一位评委。"),
        ReplaceConflicts { old, new, entries } => {
            format!(
                "{new} 不能接替 {old}：{new} 与这些参评对象需回避：{}。",
                entries.join("、")
            )
        }
        NothingToReplace { judge } => format!("{judge} 没有未完成的评审任务。"),
        NoScoreToRemove {
            judge,
            entry,
            round,
            criterion,
        } => match criterion {
            Some(c) => format!("{judge} 对 {entry} / {round} / {c} 没有已存的分数，无需删除。"),
            None => format!("{judge} 对 {entry} / {round} 没有已存的分数，无需删除。"),
        },
        UnknownCriterion { round, criterion } => format!("环节 {round} 没有评分项：{criterion}。"),
    }
}

/// The organiser's refusals in English: the command line's wording.
fn en_refusal(refusal: &OrganiserRefusal) -> String {
    refusal.to_string()
}
