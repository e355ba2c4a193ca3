//! The last English under a Chinese locale (issue 17, helper zhlast): a damaged .docx package's
//! details, the failures of the workspace underneath a screen (the judges' screen, the projector)
//! and the operating system's errors, with a Chinese explanation before any quoted library text.

use crate::core::problems::DocxPackage;
use crate::error::Error;
use crate::i18n::Lang;

/// Open it in Word or WPS and save it again.
const RESAVE: &str = "请用 Word 或 WPS 打开后重新保存";

/// A damaged .docx package in `lang` (English: its `Display`, word for word).
pub fn docx_package(p: &DocxPackage, lang: Lang) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    use DocxPackage::*;
    match p {
        NotComplete => format!("不是可读的 .docx 文件：它不是完整的 ZIP 文档包（文件已损坏或不完整）；{RESAVE}"),
        TooManyParts { parts, most } => {
            format!("是含有 {parts} 个部件的 ZIP 文档包；Word 文档只有几十个部件（最多读取 {most} 个）")
        }
        DirectoryDamaged { detail } => {
            format!("不是可读的 .docx 文件，文档包已损坏：其 ZIP 目录已损坏（{detail}）；{RESAVE}")
        }
        UnpacksTooLarge { most_mb } => {
            format!("解压后超过 {most_mb} MB；这样的文件在解压前即被拒绝（ZIP 炸弹，或图片过大：请删去图片后重新保存）")
        }
        ZipBomb { part, mb, kb, ratio } => format!(
            "在解压前即被拒绝：其部件 {part} 会从 {kb} KB 解压为 {mb} MB，超过压缩大小的 {ratio} 倍，这是 ZIP 炸弹的做法；\
             真实的文档不会压缩得这么紧"
        ),
        PartNotUnpacked { part, detail } => {
            format!("不是可读的 .docx 文件，文档包已损坏：其部件 {part} 无法解压（{detail}）；{RESAVE}")
        }
        PartTooLarge { part, mb, most_mb } => {
            format!("被拒绝：其部件 {part} 解压后为 {mb} MB，超过从一个文档读取的上限 {most_mb} MB")
        }
        PartDamaged { part, detail } => {
            format!("不是可读的 .docx 文件，文档包已损坏：其部件 {part} 已损坏（{detail}）；{RESAVE}")
        }
        PartOverCap { part, most_mb } => format!("被拒绝：其部件 {part} 解压后超过 {most_mb} MB"),
        PartNotUtf8 { part } => format!("不是可读的 .docx 文件：其部件 {part} 不是 UTF-8 文本；{RESAVE}"),
        XmlDamaged { detail } => {
            format!("不是可读的 .docx 文件，文档包已损坏：其 word/document.xml 已损坏（{detail}）；{RESAVE}")
        }
        TooManyParagraphs { most } => format!("有超过 {most} 个段落；这不是一个案例"),
    }
}

/// An error of the operating system in Chinese: what it is, then the system's own text quoted.
pub fn io_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let what = match e.kind() {
        NotFound => "找不到文件或文件夹",
        PermissionDenied => "没有权限",
        AlreadyExists => "文件已存在",
        StorageFull => "磁盘已满",
        ReadOnlyFilesystem => "文件系统是只读的",
        InvalidData | UnexpectedEof => "文件内容无法读取（已损坏或不完整）",
        TimedOut => "操作超时",
        BrokenPipe | ConnectionReset | ConnectionAborted => "连接已断开",
        Interrupted => "操作被中断",
        _ => "读写失败",
    };
    format!("{what}（系统信息：{e}）")
}

/// SQLite's own error in Chinese by its code, then SQLite's text quoted.
pub fn sqlite_zh(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode::*;
    let what = match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => "工作区正被另一个 jury 进程写入（已锁定），没有保存任何内容；请稍候重试",
        Some(DiskFull) => "磁盘已满，没有保存任何内容；请腾出空间后重试",
        Some(ReadOnly) => "工作区是只读的，无法保存",
        Some(DatabaseCorrupt | NotADatabase) => {
            "工作区文件已损坏或不是 jury 工作区；请用最近的备份恢复（jury backup 做的副本）"
        }
        Some(CannotOpen) => "无法打开工作区文件",
        Some(PermissionDenied) => "没有访问工作区文件的权限",
        Some(SystemIoFailure) => "读写工作区文件失败（磁盘或文件系统出错）",
        Some(OperationInterrupted) => "数据库操作被中断，没有保存任何内容",
        _ => "数据库出错",
    };
    format!("{what}（数据库信息：{e}）")
}

/// A failure of the workspace underneath a screen, as the screen says it in `lang`: the typed
/// errors translated (disk full, busy, read-only, deleted, the server's writer gone ...).
pub fn failure(e: &Error, lang: Lang) -> String {
    crate::i18n::cli::error(e, lang)
}

/// An error of the operating system in `lang` (English: its own text).
pub fn io_or_en(e: &std::io::Error, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Zh => io_zh(e),
    }
}

/// The command line's last English-only messages (issue 17, helper zhlast).
pub struct ZhlastTexts {
    /// A forwarded command that does not write: `jury serve` carries out only writing commands.
    pub only_writes: &'static str,
    /// `shortlist show`: a case that failed the formal check (its missing or short sections).
    pub mark_formal: fn(sections: &str) -> String,
    /// `shortlist show`: a likely duplicate of `of`, ranked higher or lower.
    pub mark_duplicate: fn(of: &str, lower: bool) -> String,
    /// `shortlist show`: held back from proposals unless `--include-flagged`.
    pub mark_held: &'static str,
    /// `shortlist show`: a case's status word.
    pub status: fn(crate::core::shortlist::Status) -> &'static str,
    /// `assign --force`: what has too few judges, a group's panel or each entry.
    pub panel_of: fn(group: &str) -> String,
    pub each_entry: &'static str,
    /// `assign --force`: `what` has `judges` judges, under the rubric's `min_judges`.
    pub too_few: fn(what: &str, judges: usize, needed: usize) -> String,
}

pub fn texts(lang: Lang) -> &'static ZhlastTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

static EN: ZhlastTexts = ZhlastTexts {
    only_writes: "jury: jury serve carries out only the commands that write to the workspace",
    mark_formal: |s| format!("failed formal check (形式审查未通过): {s} missing or too short"),
    mark_duplicate: |of, lower| {
        let rank = if lower { "ranked lower" } else { "ranked higher" };
        format!("likely duplicate (疑似重复) of {of}, {rank}")
    },
    mark_held: "held back (--include-flagged)",
    status: |s| s.as_str(),
    panel_of: |g| format!("the panel of {g}"),
    each_entry: "each entry",
    too_few: crate::core::organiser::too_few_judges_text,
};

static ZH: ZhlastTexts = ZhlastTexts {
    only_writes: "jury: jury serve 只代为执行写入工作区的命令",
    mark_formal: |s| format!("形式审查未通过：{s} 缺失或过短"),
    mark_duplicate: |of, lower| {
        let rank = if lower { "排名较低" } else { "排名较高" };
        format!("疑似重复：与 {of} 重复，{rank}")
    },
    mark_held: "暂不提议（加 --include-flagged 才提议）",
    status: |s| s.chinese(),
    panel_of: |g| format!("{g} 的评委组"),
    each_entry: "每个条目",
    too_few: |what, judges, needed| {
        format!(
            "{what}只有 {judges} 位评委，而评分细则要求至少 {needed} 位（min_judges）才能得出结果：其中的条目都无法排名"
        )
    },
};
