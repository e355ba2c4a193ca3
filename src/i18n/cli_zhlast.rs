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
    /// The progress bar of an import of many documents (`{bar} {pos}/{len}` follow).
    pub reading: &'static str,
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
    reading: "reading documents",
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
    reading: "正在读取文档",
};

/// What a reader tells the person importing, in `lang` (English: its `Display`).
pub fn read_note(n: &crate::core::problems::ReadNote, lang: Lang) -> String {
    use crate::core::problems::{ReadNote::*, listed_rows, quoted_names};
    if lang == Lang::En {
        return n.to_string();
    }
    match n {
        SheetAsked { sheet, hidden } => {
            let hidden = if *hidden { "，是隐藏的工作表" } else { "" };
            format!("已读取工作表 \"{sheet}\"（按 --sheet 指定{hidden}）。")
        }
        SheetChosen {
            sheet,
            all_hidden,
            hidden_before,
            sheets,
        } => {
            let mut why = Vec::new();
            if *all_hidden {
                why.push("所有工作表都是隐藏的；这是第一个".to_string());
            } else if !hidden_before.is_empty() {
                why.push(format!(
                    "第一个可见的工作表；在它之前隐藏的：{}",
                    quoted_names(hidden_before)
                ));
            }
            if *sheets > 1 {
                why.push(format!("工作簿有 {sheets} 个工作表；用 --sheet 名称 读取其他工作表"));
            }
            let why = if why.is_empty() {
                String::new()
            } else {
                format!("（{}）", why.join("；"))
            };
            format!("已读取工作表 \"{sheet}\"{why}。")
        }
        HiddenRows { rows } => format!(
            "有 {} 行在 Excel 中被隐藏（手动隐藏或被筛选），已和其他行一样导入：第 {} 行。",
            rows.len(),
            listed_rows(rows)
        ),
        PaperForm { sheets, boxes, skipped } => {
            let mut text = format!(
                "已读取纸质评分表：{sheets} 个工作表，{boxes} 个已填写的格子（空格子不计分；评分表视为已签字，\
                 填写完整的评分表按已提交保存）。"
            );
            if !skipped.is_empty() {
                text.push_str(&format!("跳过的空工作表：{}。", quoted_names(skipped)));
            }
            text
        }
        FormHiddenRows { sheet, hidden } => {
            format!("工作表 \"{sheet}\"：有 {hidden} 行在 Excel 中被隐藏，已和其他行一样读取。")
        }
    }
}

/// How a workspace file is damaged, in Chinese (SQLite's text quoted).
pub fn damage_zh(d: &crate::error::Damage) -> String {
    use crate::error::Damage::*;
    match d {
        CannotOpen(e) => format!("无法打开工作区（数据库信息：{e}）"),
        NotAWorkspace(e) => format!(
            "这个文件不是可用的 jury 工作区（数据库信息：{e}）。如果它是工作区，请恢复最近的备份（`jury export backup` \
             做的副本）；否则请用 --db 选择另一个文件"
        ),
        QuickCheck(c) => format!(
            "工作区已损坏（quick_check：{c}）。请停止所有评委的会话，保留此文件以供检查，并从最近的备份继续\
             （`jury --db 备份文件`）"
        ),
        IntegrityCheck(rows) => format!("完整性检查未通过（integrity_check：{}）", rows.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::problems::ReadNote;

    #[test]
    fn a_readers_notes_are_said_in_chinese_and_english_word_for_word() {
        let form = ReadNote::PaperForm {
            sheets: 63,
            boxes: 900,
            skipped: vec!["空表".into()],
        };
        assert_eq!(
            read_note(&form, Lang::En),
            "Read the paper score form: 63 sheets, 900 filled-in boxes (an empty box is not scored; a form sheet \
             counts as signed, so a complete one is stored as submitted). Empty sheets skipped: \"空表\"."
        );
        assert_eq!(
            read_note(&form, Lang::Zh),
            "已读取纸质评分表：63 个工作表，900 个已填写的格子（空格子不计分；评分表视为已签字，填写完整的评分表按已提交保存）。\
             跳过的空工作表：\"空表\"。"
        );
        let rows = ReadNote::HiddenRows {
            rows: (1..=12).collect(),
        };
        assert_eq!(
            read_note(&rows, Lang::En),
            "12 rows hidden in Excel (by hand or by a filter) were imported like the others: rows 1, 2, 3, 4, 5, 6, 7, \
             8, 9, 10, ….",
        );
        let asked = ReadNote::SheetAsked {
            sheet: "表".into(),
            hidden: true,
        };
        assert_eq!(
            read_note(&asked, Lang::En),
            "Read sheet \"表\" (as --sheet asked, a hidden sheet)."
        );
        assert_eq!(
            read_note(&asked, Lang::Zh),
            "已读取工作表 \"表\"（按 --sheet 指定，是隐藏的工作表）。"
        );
        let hidden = ReadNote::FormHiddenRows {
            sheet: "PW01".into(),
            hidden: 2,
        };
        assert_eq!(
            read_note(&hidden, Lang::En),
            "Sheet \"PW01\": 2 rows hidden in Excel were read like the others."
        );
    }

    #[test]
    fn a_damaged_docx_package_keeps_its_english_and_has_chinese() {
        let p = DocxPackage::PartNotUnpacked {
            part: "word/document.xml".into(),
            detail: "invalid Zip archive".into(),
        };
        assert_eq!(
            docx_package(&p, Lang::En),
            "is not a readable .docx: its part word/document.xml cannot be unpacked (invalid Zip archive)"
        );
        assert_eq!(
            docx_package(&p, Lang::Zh),
            "不是可读的 .docx 文件，文档包已损坏：其部件 word/document.xml 无法解压（invalid Zip archive）；\
             请用 Word 或 WPS 打开后重新保存"
        );
        let bomb = DocxPackage::ZipBomb {
            part: "word/media/a.png".into(),
            mb: 200,
            kb: 100,
            ratio: 100,
        };
        assert_eq!(
            docx_package(&bomb, Lang::En),
            "is refused before it is unpacked: its part word/media/a.png would unpack to 200 MB from 100 KB, over 100 \
             times its packed size, as a ZIP bomb does; no real document packs that tightly"
        );
    }
}
