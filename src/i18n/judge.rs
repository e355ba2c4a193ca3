//! Every string the judge's screen shows, one catalogue per language.
//!
//! Only ASCII and CJK characters in the chrome: ambiguous-width characters (curly quotes, the
//! ellipsis, middle dots, dashes, circled digits) are drawn two columns wide by many CJK terminals.

use crate::core::entry::{RowStatus, SAME_ORGANISATION};
use crate::core::scoring::Refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `--lang zh|en` wins; else the locale (LC_ALL, LC_MESSAGES, LANG) starting with "zh"
    /// means Chinese; else English.
    pub fn detect(flag: Option<&str>) -> Lang {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Lang::choose(
            flag,
            env("LC_ALL")
                .or_else(|| env("LC_MESSAGES"))
                .or_else(|| env("LANG"))
                .as_deref(),
        )
    }

    /// The pure part of [`Lang::detect`].
    pub fn choose(flag: Option<&str>, locale: Option<&str>) -> Lang {
        let is_zh = |s: &str| s.trim().to_ascii_lowercase().starts_with("zh");
        match flag {
            Some(f) if is_zh(f) => Lang::Zh,
            Some(f) if f.trim().eq_ignore_ascii_case("en") || f.trim().to_ascii_lowercase().starts_with("en") => {
                Lang::En
            }
            _ => {
                if locale.is_some_and(is_zh) {
                    Lang::Zh
                } else {
                    Lang::En
                }
            }
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// One language's strings. Formatted messages are functions.
pub struct Texts {
    pub lang: Lang,
    pub too_small: fn(u16, u16) -> String,
    // Login
    pub login_title: &'static str,
    pub login_pick: &'static str,
    pub login_filter: &'static str,
    pub login_pin: &'static str,
    pub login_for: fn(&str, &str) -> String,
    pub login_no_judges: &'static str,
    pub login_wrong_pin: fn(u32) -> String,
    pub login_locked: fn(u64) -> String,
    pub login_checking: &'static str,
    // Header
    pub progress: fn(usize, usize) -> String,
    pub judge_label: &'static str,
    // Statuses
    pub status_not_started: &'static str,
    pub status_draft: &'static str,
    pub status_submitted: &'static str,
    pub status_conflict: &'static str,
    // Columns and fields
    pub col_order: &'static str,
    pub col_id: &'static str,
    pub col_title: &'static str,
    pub col_name: &'static str,
    pub col_org: &'static str,
    pub col_county: &'static str,
    pub col_status: &'static str,
    pub field_group: &'static str,
    pub field_category: &'static str,
    pub field_submitter: &'static str,
    pub field_submitter_type: &'static str,
    pub field_perspective: &'static str,
    pub no_group: &'static str,
    pub no_entries: &'static str,
    pub conflict_reason: fn(&str) -> String,
    pub all_scored: &'static str,
    pub demo_hint: fn(&str) -> String,
    // Search
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub search_none: &'static str,
    pub search_count: fn(usize) -> String,
    pub search_unavailable: &'static str,
    // Reader
    pub reader_title: &'static str,
    pub section_missing: &'static str,
    pub section_short: fn(usize, usize) -> String,
    pub reader_no_sections: &'static str,
    pub section_name: fn(crate::core::Section) -> &'static str,
    // Sheet
    pub sheet_title: &'static str,
    pub col_criterion: &'static str,
    pub col_max: &'static str,
    pub col_score: &'static str,
    pub round_total: fn(&str, &str) -> String,
    pub guide: &'static str,
    pub comment: &'static str,
    pub comment_empty: &'static str,
    pub comment_prompt: &'static str,
    pub saved: fn(&str, &str) -> String,
    pub cleared: fn(&str) -> String,
    pub sheet_submitted: &'static str,
    pub sheet_draft: &'static str,
    pub sheet_not_started: &'static str,
    pub confirm_title: &'static str,
    pub confirm_submit: fn(&str, &str) -> String,
    pub confirm_keys: &'static str,
    pub submitted_done: fn(&str) -> String,
    pub comment_saved: &'static str,
    pub refusal: fn(&Refusal) -> String,
    pub failed: fn(&str) -> String,
    pub reloaded: &'static str,
    // Keys
    pub keys_login: &'static str,
    pub keys_pin: &'static str,
    pub keys_list: &'static str,
    pub keys_search: &'static str,
    pub keys_reader: &'static str,
    pub keys_sheet: &'static str,
    pub keys_comment: &'static str,
    pub help_title: &'static str,
    pub help: &'static [(&'static str, &'static [(&'static str, &'static str)])],
    pub help_close: &'static str,
    // The live stage (competitions)
    pub stage_now: fn(&str) -> String,
    pub sit_out_title: &'static str,
    pub not_on_panel: &'static str,
    pub sit_out_keys: &'static str,
    /// Before a calibration sample's title in the list.
    pub calibration_mark: &'static str,
    /// The comment box's first line when every round of the entry is submitted.
    pub comment_read_only: &'static str,
    /// The key bar under a read-only comment.
    pub keys_comment_read_only: &'static str,
    /// The stage moved on while the judge stays on their sheet: who is on now (and the round,
    /// when it is not the one on screen), and the key.
    pub stage_waiting: fn(&str, Option<&str>) -> String,
    /// The key-bar entry that goes to the contestant on stage.
    pub keys_go_stage: &'static str,
    /// Esc abandoned an edit: the criterion and the value it keeps (None: still empty).
    pub edit_undone: fn(&str, Option<&str>) -> String,
    /// Said after quitting when the value being typed could not be stored.
    pub not_saved: fn(&str) -> String,
    /// The organiser reopened a sheet: the round's name and the reason.
    pub reopened: fn(&str, &str) -> String,
    /// Quitting while a value waits for another process's write lock.
    pub quit_while_waiting: &'static str,
    /// The reader's label for the document an entry was imported from.
    pub field_source: &'static str,
    /// The organiser changed the rubric (`jury rubric apply`) while an entry was open: it is
    /// closed, to be opened again with the new criteria.
    pub rubric_changed: &'static str,
    /// Discussion after scoring: the popup's title (the entry's id).
    pub panel_title: fn(&str) -> String,
    /// A judge in an anonymous discussion (`评委1`).
    pub panel_number: fn(usize) -> String,
    /// After the judge's own label.
    pub panel_own: &'static str,
    pub panel_total: &'static str,
    pub panel_comments: &'static str,
    pub panel_keys: &'static str,
    /// Said when an entry under discussion is opened (only to a judge who may see the marks).
    pub panel_hint: &'static str,
    /// Said on F7 when there is nothing to show: the same whether or not the entry is discussed.
    pub panel_none: &'static str,
    /// While a value is being written (before the commit answers): the message line at once.
    pub saving: fn(&str, &str) -> String,
    /// While a sheet is being submitted.
    pub submitting: &'static str,
    /// Before a withdrawn (弃权) or disqualified (取消资格) entry's title in the list.
    pub withdrawn_mark: fn(crate::core::withdrawal::WithdrawalKind) -> &'static str,
    /// In the header, in place of the submitted count, while the list's first page is shown and
    /// the rest is being read (the count needs the whole list).
    pub list_loading: &'static str,
    /// Said when keys that need the whole list wait for it (how many wait).
    pub list_loading_wait: fn(usize) -> String,
}

impl Texts {
    pub fn status(&self, s: RowStatus) -> &'static str {
        match s {
            RowStatus::NotStarted => self.status_not_started,
            RowStatus::Draft => self.status_draft,
            RowStatus::Submitted => self.status_submitted,
            RowStatus::Conflict => self.status_conflict,
        }
    }
}

fn zh_reason(reason: &str) -> String {
    if reason == SAME_ORGANISATION {
        "与评委同单位".to_string()
    } else if reason == "declared" {
        "已申报回避".to_string()
    } else {
        reason.to_string()
    }
}

fn zh_refusal(r: &Refusal) -> String {
    match r {
        Refusal::UnknownJudge(j) => format!("没有编号为 {j} 的评委"),
        Refusal::WrongPin => "PIN 不正确".into(),
        Refusal::TooManyAttempts(seconds) => format!("PIN 错误次数过多，请 {seconds} 秒后再试"),
        Refusal::UnknownEntry(e) => format!("没有编号为 {e} 的条目"),
        Refusal::UnknownRound(x) => format!("没有环节 {x}"),
        Refusal::UnknownCriterion(x) => format!("没有评分项 {x}"),
        Refusal::Conflict(reason) => format!("需回避，不能评分：{}", zh_reason(reason)),
        Refusal::Submitted => "评分表已提交，不能修改（只有组织者可以退回）".into(),
        Refusal::NotAssigned => "此条目未分配给您，不能评分".into(),
        Refusal::Locked(reason) => format!("结果已锁定（{reason}），只有组织者可以解锁"),
        Refusal::NotANumber(t) if crate::core::scoring::decimal_comma(t) => format!("\"{t}\" 不是数字（小数点请用 .）"),
        Refusal::NotANumber(t) => format!("\"{t}\" 不是数字"),
        Refusal::TooPrecise(t) => format!("{t} 的小数位太多"),
        Refusal::Negative { value } => format!("{value} 小于 0"),
        Refusal::OverMax { value, max } => format!("{value} 超过满分 {max}"),
        Refusal::OffStep { value, step } => format!("{value} 不是 {step} 的整数倍"),
        Refusal::EmptyCriteria(names) => format!("还有评分项未打分：{}", names.join("、")),
        Refusal::CommentReadOnly => "各环节均已提交，评语只读（组织者退回后可修改）".into(),
        Refusal::Busy => "正在等待写入…（另一个 jury 进程正在写入工作区，分数保留在输入框中，将自动重试）".into(),
        Refusal::WorkspaceGone => "工作区文件已被删除或替换，此处不再保存任何内容；请退出后重新打开工作区".into(),
        Refusal::JudgeRemoved => "组织者已将您移出评委名单，不能再登录或评分".into(),
        Refusal::NotInPhase(phase) => format!("此条目不在当前评审阶段（{phase}）中，不能评分"),
        Refusal::Withdrawn(kind) => format!("组织者已将此条目标为{}，不再评分", kind.zh()),
    }
}

fn en_reason(reason: &str) -> String {
    reason.to_string()
}

fn en_refusal(r: &Refusal) -> String {
    match r {
        Refusal::Conflict(reason) => format!("conflict of interest, cannot be scored: {}", en_reason(reason)),
        Refusal::EmptyCriteria(names) => format!("not every criterion has a score: {}", names.join(", ")),
        Refusal::Busy => "Waiting to save... (another jury process is writing to the workspace; the value is kept \
                          and saved as soon as it is done)"
            .into(),
        Refusal::WorkspaceGone => "The workspace file was deleted or replaced: nothing more is saved here. \
                                   Quit and open the workspace again"
            .into(),
        other => other.to_string(),
    }
}

fn zh_section(s: crate::core::Section) -> &'static str {
    s.chinese()
}

fn en_section(s: crate::core::Section) -> &'static str {
    s.english()
}

pub static ZH: Texts = Texts {
    lang: Lang::Zh,
    too_small: |w, h| format!("终端窗口太小（需要 80x24，当前 {w}x{h}）。请放大窗口。"),
    login_title: "评委登录",
    login_pick: "请选择您的姓名（上下键选择，输入文字筛选，Enter 确认）",
    login_filter: "筛选：",
    login_pin: "PIN：",
    login_for: |name, id| format!("评委 {name}（{id}），请输入 PIN 后按 Enter"),
    login_no_judges: "本工作区还没有评委。请组织者先导入评委名单：jury import judges FILE",
    login_wrong_pin: |left| format!("PIN 不正确，还可尝试 {left} 次"),
    login_locked: |secs| format!("PIN 连续输错三次，请等待 {secs} 秒后再试"),
    login_checking: "正在核对",
    progress: |done, total| format!("已提交 {done}/{total}"),
    judge_label: "评委",
    status_not_started: "未开始",
    status_draft: "草稿",
    status_submitted: "已提交",
    status_conflict: "回避",
    col_order: "序号",
    col_id: "编号",
    col_title: "标题",
    col_name: "姓名",
    col_org: "单位",
    col_county: "县市区",
    col_status: "状态",
    field_group: "组别",
    field_category: "类别",
    field_submitter: "申报人",
    field_submitter_type: "申报类型",
    field_perspective: "视角",
    no_group: "未分组",
    no_entries: "本组没有条目",
    conflict_reason: |reason| format!("回避：{}。此条目不能由您评分。", zh_reason(reason)),
    all_scored: "全部条目都已提交",
    demo_hint: |path| {
        format!(
            "演示工作区（演示结束即删除）：{path}  在另一个终端以其他评委身份打开：jury --db {path} --judge PW03\
             （PIN 1584）；组织者查看结果：jury --db {path} tally"
        )
    },
    search_label: "搜索：",
    search_hint: "输入编号、标题、单位、申报人、县市区，或拼音（全拼或首字母）",
    search_none: "没有匹配的条目",
    search_count: |n| format!("{n} 条结果"),
    search_unavailable: "搜索暂不可用",
    reader_title: "阅读",
    section_missing: "[缺失]",
    section_short: |chars, min| format!("[过短：{chars} 字，应不少于 {min} 字]"),
    reader_no_sections: "（无正文）",
    section_name: zh_section,
    sheet_title: "评分表",
    col_criterion: "评分项",
    col_max: "满分",
    col_score: "得分",
    round_total: |total, max| format!("本环节合计：{total} / {max}"),
    guide: "评分细则",
    comment: "评语",
    comment_empty: "（无）",
    comment_prompt: "评语（Enter 保存，Esc 取消）：",
    saved: |name, value| format!("已保存 {name} = {value}"),
    cleared: |name| format!("已清除 {name}"),
    sheet_submitted: "已提交（只读）",
    sheet_draft: "草稿（已自动保存）",
    sheet_not_started: "未开始",
    confirm_title: "确认提交",
    confirm_submit: |round, total| format!("提交「{round}」评分表，合计 {total} 分？提交后不能再修改。"),
    confirm_keys: "y / Enter 提交    n / Esc 取消",
    submitted_done: |round| format!("「{round}」已提交"),
    comment_saved: "评语已保存",
    refusal: zh_refusal,
    failed: |e| format!("操作失败：{e}"),
    reloaded: "数据已更新",
    keys_login: "上下 选择  Enter 确认  输入 筛选  Ctrl-Q 退出",
    keys_pin: "Enter 登录  Esc 返回  Ctrl-Q 退出",
    keys_list: "Enter 打开  / 搜索  n 下一个未评  Tab 切换组  ? 帮助  q 退出",
    keys_search: "输入 搜索  上下 选择  Enter 打开  Esc 返回",
    keys_reader: "上下/PgUp/PgDn 滚动  F2 评分表  Esc 返回  ? 帮助",
    keys_sheet: "数字 打分  Tab/上下 移动  左右 环节  F10 提交  F4 评语  F2 阅读  Esc 返回  ? 帮助",
    keys_comment: "Enter 保存  Esc 取消",
    help_title: "按键说明",
    help: &[
        (
            "条目列表",
            &[
                ("上下 j k", "选择条目"),
                ("PgUp PgDn Home End", "翻页、首尾"),
                ("Enter", "打开条目（回避的条目显示原因）"),
                ("Tab Shift-Tab 左右 1-9", "切换组别"),
                ("n  Ctrl-N", "下一个未完成的条目"),
                ("/  Ctrl-F", "搜索"),
                ("鼠标", "单击选择，再次单击打开，滚轮滚动"),
            ],
        ),
        (
            "搜索",
            &[
                ("输入", "编号、标题、单位、申报人、县市区、拼音"),
                ("上下", "选择结果"),
                ("Enter", "打开"),
                ("Esc", "返回列表"),
            ],
        ),
        (
            "阅读与评分",
            &[
                ("F2  Ctrl-T", "在阅读和评分表之间切换"),
                ("上下 j k 空格 PgUp PgDn Home End", "滚动正文；鼠标滚轮"),
                ("数字", "输入分数（可用全角数字）"),
                ("Tab 上下 Enter", "保存并移到其他评分项"),
                ("左右  Ctrl-左右", "切换环节"),
                ("Backspace Delete", "删除；清空后按 Tab 即清除该项的分数"),
                (
                    "F4  Ctrl-E  c",
                    "评语：左右 Home End 移动，Enter 保存；各环节均已提交后只读",
                ),
                ("F10  Ctrl-S", "提交本环节评分表（需确认）"),
                ("F7  Ctrl-D", "讨论中：查看评审组的评分和评语（已提交后）"),
                ("Ctrl-N", "下一个未完成的条目"),
                ("Esc", "撤销未保存的修改（恢复已保存的分数）；再按一次返回列表"),
            ],
        ),
        (
            "全局",
            &[
                ("?  F1", "显示或关闭本帮助"),
                (
                    "q  Ctrl-Q  Ctrl-C",
                    "退出（已保存的分数不会丢失；正在输入的有效分数先保存）",
                ),
                ("F6  Ctrl-G", "比赛：前往现在上场的选手（正在打分时不会自动跳转）"),
            ],
        ),
    ],
    help_close: "上下 滚动  Esc / ? / F1 关闭",
    stage_now: |who| format!("现在上场：{who}"),
    sit_out_title: "本轮回避",
    not_on_panel: "您不在该组的评委名单中，本轮无需评分。",
    sit_out_keys: "Esc 关闭（等待下一位选手）",
    calibration_mark: "[试评] ",
    comment_read_only: "评语（只读：各环节均已提交，组织者退回后可修改）",
    keys_comment_read_only: "Esc 关闭",
    stage_waiting: |who, round| match round {
        Some(round) => format!("现在上场：{who}（{round}），按 F6 前往"),
        None => format!("现在上场：{who}，按 F6 前往"),
    },
    keys_go_stage: "F6/Ctrl-G 前往",
    edit_undone: |name, value| match value {
        Some(v) => format!("已撤销修改，{name} 仍为 {v}"),
        None => format!("已撤销修改，{name} 仍未打分"),
    },
    not_saved: |e| format!("未保存：{e}"),
    reopened: |round, reason| format!("组织者已重新开放「{round}」：{reason}"),
    quit_while_waiting: "正在等待写入…，分数尚未保存。再按一次 Ctrl+C 放弃该分数并退出",
    field_source: "来源文件",
    rubric_changed: "组织者修改了评分标准，请重新打开该条目按新的评分项打分",
    panel_title: |e| format!("评审组评分（讨论）{e}"),
    panel_number: |n| format!("评委{n}"),
    panel_own: "（本人）",
    panel_total: "合计",
    panel_comments: "评语",
    panel_keys: "上下 滚动  Esc 关闭",
    panel_hint: "本条目正在讨论：按 F7 查看评审组的评分和评语",
    panel_none: "组织者开启讨论后，已提交的条目可按 F7 查看评审组的评分",
    saving: |name, value| format!("正在保存 {name} = {value}"),
    submitting: "正在提交",
    withdrawn_mark: |k| match k {
        crate::core::withdrawal::WithdrawalKind::Withdrawn => "[弃权] ",
        crate::core::withdrawal::WithdrawalKind::Disqualified => "[取消资格] ",
    },
    list_loading: "正在载入列表",
    list_loading_wait: |n| format!("正在载入列表：{n} 个按键等列表载入后执行"),
};

pub static EN: Texts = Texts {
    lang: Lang::En,
    too_small: |w, h| format!("The terminal is too small (need 80x24, have {w}x{h}). Please enlarge the window."),
    login_title: "Judge login",
    login_pick: "Pick your name (Up/Down to choose, type to filter, Enter to confirm)",
    login_filter: "Filter: ",
    login_pin: "PIN: ",
    login_for: |name, id| format!("Judge {name} ({id}): type your PIN and press Enter"),
    login_no_judges: "This workspace has no judges yet. The organiser imports them first: jury import judges FILE",
    login_wrong_pin: |left| format!("Wrong PIN; {left} more tries"),
    login_locked: |secs| format!("Three wrong PINs: please wait {secs} s before trying again"),
    login_checking: "Checking",
    progress: |done, total| format!("submitted {done}/{total}"),
    judge_label: "Judge",
    status_not_started: "not started",
    status_draft: "draft",
    status_submitted: "submitted",
    status_conflict: "conflict",
    col_order: "No.",
    col_id: "ID",
    col_title: "Title",
    col_name: "Name",
    col_org: "Organisation",
    col_county: "County",
    col_status: "Status",
    field_group: "Group",
    field_category: "Category",
    field_submitter: "Submitter",
    field_submitter_type: "Submitter type",
    field_perspective: "Perspective",
    no_group: "No group",
    no_entries: "No entries in this group",
    conflict_reason: |reason| {
        format!(
            "Conflict of interest: {}. You cannot score this entry.",
            en_reason(reason)
        )
    },
    all_scored: "Every entry is submitted",
    demo_hint: |path| {
        format!(
            "Demo workspace (deleted when the demo ends): {path}  As another judge, in another terminal: \
             jury --db {path} --judge PW03 (PIN 1584); the organiser's results: jury --db {path} tally"
        )
    },
    search_label: "Search: ",
    search_hint: "Type an ID, title, organisation, submitter, county, or pinyin (full or initials)",
    search_none: "No matching entries",
    search_count: |n| format!("{n} results"),
    search_unavailable: "Search is not available",
    reader_title: "Reader",
    section_missing: "[missing]",
    section_short: |chars, min| format!("[too short: {chars} characters, at least {min}]"),
    reader_no_sections: "(no text)",
    section_name: en_section,
    sheet_title: "Score sheet",
    col_criterion: "Criterion",
    col_max: "Max",
    col_score: "Score",
    round_total: |total, max| format!("Round total: {total} / {max}"),
    guide: "Guide",
    comment: "Comment",
    comment_empty: "(none)",
    comment_prompt: "Comment (Enter saves, Esc cancels): ",
    saved: |name, value| format!("Saved {name} = {value}"),
    cleared: |name| format!("Cleared {name}"),
    sheet_submitted: "submitted (read-only)",
    sheet_draft: "draft (saved as you go)",
    sheet_not_started: "not started",
    confirm_title: "Submit",
    confirm_submit: |round, total| {
        format!("Submit the sheet for \"{round}\", total {total}? It cannot be changed afterwards.")
    },
    confirm_keys: "y / Enter submit    n / Esc cancel",
    submitted_done: |round| format!("\"{round}\" submitted"),
    comment_saved: "Comment saved",
    refusal: en_refusal,
    failed: |e| format!("Failed: {e}"),
    reloaded: "Updated",
    keys_login: "Up/Down choose  Enter confirm  type to filter  Ctrl-Q quit",
    keys_pin: "Enter log in  Esc back  Ctrl-Q quit",
    keys_list: "Enter open  / search  n next unscored  Tab group  ? help  q quit",
    keys_search: "type to search  Up/Down choose  Enter open  Esc back",
    keys_reader: "Up/Down/PgUp/PgDn scroll  F2 sheet  Esc back  ? help",
    keys_sheet: "digits score  Tab/Up/Down move  Left/Right round  F10 submit  F4 comment  F2 reader  Esc back  ? help",
    keys_comment: "Enter save  Esc cancel",
    help_title: "Keys",
    help: &[
        (
            "Entry list",
            &[
                ("Up Down j k", "choose an entry"),
                ("PgUp PgDn Home End", "page, first, last"),
                ("Enter", "open the entry (a conflicted one shows why not)"),
                ("Tab Shift-Tab Left Right 1-9", "switch group"),
                ("n  Ctrl-N", "next entry still to score"),
                ("/  Ctrl-F", "search"),
                ("mouse", "click selects, click again opens, wheel scrolls"),
            ],
        ),
        (
            "Search",
            &[
                ("type", "ID, title, organisation, submitter, county, pinyin"),
                ("Up Down", "choose a result"),
                ("Enter", "open"),
                ("Esc", "back to the list"),
            ],
        ),
        (
            "Reader and score sheet",
            &[
                ("F2  Ctrl-T", "switch between the reader and the sheet"),
                ("Up Down j k Space PgUp PgDn Home End", "scroll the text; mouse wheel"),
                ("digits", "type a score (full-width digits work too)"),
                ("Tab Up Down Enter", "save and move to another criterion"),
                ("Left Right  Ctrl-Left Ctrl-Right", "switch round"),
                (
                    "Backspace Delete",
                    "delete; an emptied field then Tab clears the criterion",
                ),
                (
                    "F4  Ctrl-E  c",
                    "comment: Left/Right/Home/End move, Enter saves; read-only once every round is submitted",
                ),
                ("F10  Ctrl-S", "submit this round's sheet (asks first)"),
                (
                    "F7  Ctrl-D",
                    "under discussion: the panel's marks and comments (once submitted)",
                ),
                ("Ctrl-N", "next entry still to score"),
                (
                    "Esc",
                    "undo an unsaved change (the stored score is back); again: the list",
                ),
            ],
        ),
        (
            "Everywhere",
            &[
                ("?  F1", "show or close this help"),
                (
                    "q  Ctrl-Q  Ctrl-C",
                    "quit (saved scores are kept; a valid value being typed is saved)",
                ),
                (
                    "F6  Ctrl-G",
                    "competitions: go to the contestant on stage (never automatic while scoring)",
                ),
            ],
        ),
    ],
    help_close: "Up/Down scroll  Esc / ? / F1 close",
    stage_now: |who| format!("Now on stage: {who}"),
    sit_out_title: "You sit this one out",
    not_on_panel: "You are not on this group's panel: nothing to score this time.",
    sit_out_keys: "Esc close (wait for the next contestant)",
    calibration_mark: "[sample] ",
    comment_read_only: "Comment (read-only: every round is submitted; editable again once the organiser reopens one)",
    keys_comment_read_only: "Esc close",
    stage_waiting: |who, round| match round {
        Some(round) => format!("Now on stage: {who} ({round}); F6 goes there"),
        None => format!("Now on stage: {who}; F6 goes there"),
    },
    keys_go_stage: "F6/Ctrl-G go",
    edit_undone: |name, value| match value {
        Some(v) => format!("Change undone: {name} stays {v}"),
        None => format!("Change undone: {name} stays empty"),
    },
    not_saved: |e| format!("Not saved: {e}"),
    reopened: |round, reason| format!("The organiser reopened \"{round}\": {reason}"),
    quit_while_waiting: "Waiting to save... the value is not saved yet. Press Ctrl+C again to quit without it",
    field_source: "Source file",
    rubric_changed: "The organiser changed the rubric: open the entry again to score it with the new criteria",
    panel_title: |e| format!("The panel's marks (discussion) {e}"),
    panel_number: |n| format!("Judge {n}"),
    panel_own: " (you)",
    panel_total: "Total",
    panel_comments: "Comments",
    panel_keys: "Up/Down scroll  Esc close",
    panel_hint: "This entry is under discussion: F7 shows the panel's marks and comments",
    panel_none: "Once the organiser opens a discussion, F7 shows the panel's marks of an entry you submitted",
    saving: |name, value| format!("Saving {name} = {value}"),
    submitting: "Submitting",
    withdrawn_mark: |k| match k {
        crate::core::withdrawal::WithdrawalKind::Withdrawn => "[withdrawn] ",
        crate::core::withdrawal::WithdrawalKind::Disqualified => "[disqualified] ",
    },
    list_loading: "loading the list",
    list_loading_wait: |n| format!("loading the list: {n} key(s) wait for it"),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_choice() {
        assert_eq!(Lang::choose(Some("en"), Some("zh_CN.UTF-8")), Lang::En);
        assert_eq!(Lang::choose(Some("zh"), Some("C")), Lang::Zh);
        assert_eq!(Lang::choose(None, Some("zh_TW.UTF-8")), Lang::Zh);
        assert_eq!(Lang::choose(None, Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::choose(None, None), Lang::En);
    }

    #[test]
    fn chrome_has_no_ambiguous_width_characters() {
        let ambiguous = ['“', '”', '‘', '’', '…', '·', '—', '①', '■', '×', '★', '✓', '∅'];
        for t in [&ZH, &EN] {
            let mut all: Vec<String> = vec![
                t.keys_list.into(),
                t.keys_sheet.into(),
                t.keys_reader.into(),
                t.keys_search.into(),
                t.keys_login.into(),
                (t.confirm_submit)("现场说课", "85.5"),
                (t.too_small)(70, 20),
                (t.demo_hint)("/tmp/x"),
                (t.stage_waiting)("3 JS003", Some("案例分析")),
                t.keys_go_stage.into(),
                (t.edit_undone)("x", Some("1")),
                (t.reopened)("x", "y"),
            ];
            for (title, rows) in t.help {
                all.push(title.to_string());
                for (k, d) in *rows {
                    all.push(format!("{k}{d}"));
                }
            }
            for s in all {
                assert!(!s.chars().any(|c| ambiguous.contains(&c)), "{s}");
            }
        }
    }
}
