//! The library's typed refusals (`crate::core::refusal`, a reason's, a judge's) in Chinese and
//! English: what the command line prints for them, and what the screens show. The English text is
//! each type's `Display`, word for word.

use crate::core::reason::{BadChar, ReasonRefused};
use crate::core::refusal::{
    Built, CommandRefusal, ExportRefusal, FileKind, FileRefusal, ServeRefusal, StageRefusal, StoreRefusal,
    WorkspaceRefusal,
};
use crate::error::Error;
use crate::i18n::Lang;

pub struct RefusalTexts {
    pub store: fn(&StoreRefusal) -> String,
    pub file: fn(&FileRefusal) -> String,
    pub export: fn(&ExportRefusal) -> String,
    pub stage: fn(&StageRefusal) -> String,
    pub serve: fn(&ServeRefusal) -> String,
    pub workspace: fn(&WorkspaceRefusal) -> String,
    pub command: fn(&CommandRefusal) -> String,
    pub reason: fn(&ReasonRefused) -> String,
}

pub fn texts(lang: Lang) -> &'static RefusalTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The message of a typed refusal of this module in `lang`; `None` for any other error.
pub fn translate(e: &Error, lang: Lang) -> Option<String> {
    let t = texts(lang);
    Some(match e {
        Error::Store(r) => (t.store)(r),
        Error::File(r) => (t.file)(r),
        Error::Export(r) => (t.export)(r),
        Error::Stage(r) => (t.stage)(r),
        Error::Serve(r) => (t.serve)(r),
        Error::Workspace(r) => (t.workspace)(r),
        Error::Command(r) => (t.command)(r),
        Error::Reason(r) => (t.reason)(r),
        Error::Judging(r) => match lang {
            Lang::Zh => (Lang::Zh.texts().refusal)(r),
            Lang::En => r.to_string(),
        },
        _ => return None,
    })
}

static EN: RefusalTexts = RefusalTexts {
    store: |r| r.to_string(),
    file: |r| r.to_string(),
    export: |r| r.to_string(),
    stage: |r| r.to_string(),
    serve: |r| r.to_string(),
    workspace: |r| r.to_string(),
    command: |r| r.to_string(),
    reason: |r| r.to_string(),
};

static ZH: RefusalTexts = RefusalTexts {
    store: zh_store,
    file: zh_file,
    export: zh_export,
    stage: zh_stage,
    serve: zh_serve,
    workspace: zh_workspace,
    command: zh_command,
    reason: zh_reason,
};

fn zh_store(r: &StoreRefusal) -> String {
    use StoreRefusal::*;
    match r {
        CannotOpen { path, detail } => format!("{}：无法打开：{detail}", path.display()),
        IsFolder(p) => format!(
            "{} 是文件夹，不是工作区文件；请用 --db 路径 给出比赛的文件",
            p.display()
        ),
        IsEmpty(p) => format!(
            "{} 是空文件：它不是 jury 工作区（从未写入过）；请先运行 `jury init --template cases|competition`，\
             或用 --db 路径 给出比赛的文件",
            p.display()
        ),
        WorkspaceExists(p) => format!("{} 已存在；新工作区绝不覆盖已有文件：请换一个名字", p.display()),
        NetworkFs { path, fs_type } => format!(
            "{} 位于网络文件系统（{fs_type}）上：SQLite 无法跨机器安全地锁定文件，评委的分数可能丢失或文件损坏。\
             请把工作区放在评委登录的那台机器的本地磁盘上（docs/reliability.md）",
            path.display()
        ),
        NoWal { path, mode } => format!(
            "{}：SQLite 无法切换到 WAL 模式（得到 {mode}）；文件夹可写吗？",
            path.display()
        ),
        NewerSchema { path, version, target } => format!(
            "{} 由更新版本的 jury 写入（结构版本 {version}；本 jury 最高支持 {target}）：请升级 jury",
            path.display()
        ),
        RolledBack => "写入事务已被 SQLite 回滚；这一组内容都没有保存".to_string(),
        BackupExists(p) => format!("{} 已存在；备份绝不覆盖已有文件：请换一个名字", p.display()),
        NotUnicode(p) => format!("{}：SQLite 需要有效 Unicode 的文件名", p.display()),
        BackupFailed { path, detail } => format!("{}：备份失败：{detail}", path.display()),
        RecordUnreadable(d) => format!("一条导入记录无法读取：{d}"),
        RecordNotList => "一条导入记录不是列表".to_string(),
        RecordNotWhole => "一条导入记录含有非整数的数字".to_string(),
        RecordUnknownType => "一条导入记录含有未知类型的值".to_string(),
        RecordColumns(table) => format!("{table} 的一条导入记录缺少应有的列"),
        RecordTable(table) => format!("一条导入记录指向表 {table}"),
        NotDigest => "jury_digest：不是摘要".to_string(),
        CannotHash(d) => format!("无法计算口令的哈希：{d}"),
        NotSynchronous { path, sync } => {
            format!("{}：写入进程的连接不是 synchronous=FULL（而是 {sync}）", path.display())
        }
    }
}

fn zh_kind(k: FileKind) -> &'static str {
    match k {
        FileKind::SymbolicLink => "符号链接",
        FileKind::Folder => "文件夹",
        FileKind::Fifo => "命名管道（FIFO）",
        FileKind::Device => "设备",
        FileKind::Socket => "套接字",
        FileKind::Other => "不是普通文件",
    }
}

fn zh_file(r: &FileRefusal) -> String {
    use FileRefusal::*;
    match r {
        NoFolder { path, dir } => format!("{}：文件夹 {} 不存在", path.display(), dir.display()),
        NotAFileName(p) => format!("{}：不是文件名", p.display()),
        CannotRead { path, detail } => format!("{}：无法读取：{detail}", path.display()),
        CannotWrite { path, detail } => format!("{}：无法写入：{detail}", path.display()),
        NumberedNamesTaken(p) => format!(
            "{}：以及其后 9999 个编号的名字都已存在；请用 --out 指定名字",
            p.display()
        ),
        NotAFile {
            path,
            kind: FileKind::Other,
        } => {
            format!("{} 不是普通文件：导出绝不替换它；请用 --out 指定文件名", path.display())
        }
        NotAFile { path, kind } => format!(
            "{} 是{}：导出绝不替换它；请用 --out 指定文件名",
            path.display(),
            zh_kind(*kind)
        ),
        Exists(p) => format!("{} 已存在；加 --force 可替换它，或换一个名字", p.display()),
        Appeared(p) => format!("{} 在写入期间出现了；没有替换任何文件：请重新导出", p.display()),
        RubricTooLarge { path, kb } => format!("{}：超过 {kb} KB，这不是评分细则", path.display()),
        NotUtf8(p) => format!("{}：不是 UTF-8 文本", p.display()),
    }
}

fn zh_built(what: Built) -> &'static str {
    match what {
        Built::Document | Built::WordDocument => "无法生成 Word 文档",
        Built::Spreadsheet => "无法生成电子表格",
        Built::Json => "无法写出 JSON",
    }
}

/// `entry`, `score` (the row names of the data exports) in Chinese.
fn zh_row(what: &str) -> &str {
    match what {
        "entry" | "entries" => "条目",
        "score" | "scores" => "分数",
        "judge" | "judges" => "评委",
        other => other,
    }
}

fn zh_export(r: &ExportRefusal) -> String {
    use ExportRefusal::*;
    match r {
        BuildFailed { what, detail } => format!("{}：{detail}", zh_built(*what)),
        TooManyRows { what, rows, max } => format!(
            "{rows} 行{}放不进一个 Excel 工作表（最多 {max} 行）；请导出为 CSV 或 JSON",
            zh_row(what)
        ),
        CellTooLong {
            what,
            id,
            column,
            chars,
            max,
        } => format!(
            "{} {id}，列 {column}：{chars} 个字符放不进一个 Excel 单元格（最多 {max} 个）；请导出为 CSV 或 JSON",
            zh_row(what)
        ),
        JsonKeyCollides { entry, key } => {
            format!("条目 {entry}：列\"{key}\"与 JSON 格式的键冲突；请导出为 CSV 或 XLSX")
        }
        NoSubmittedScores { judge, one_group } => format!(
            "评委\"{judge}\"{}没有已提交的分数；如要打印空白评分表在纸上评分，请加 --blank",
            if *one_group { "在本组" } else { "" }
        ),
        FlaggedSelected { flagged } => format!(
            "{} 个入选案例有标记：{}；请改回其状态（jury shortlist set … --status …），或加 --include-flagged 照样公布",
            flagged.len(),
            flagged.join("；")
        ),
        NoCertificates {
            cases,
            group,
            no_awards,
        } => {
            let what = match (cases, group) {
                (true, Some(g)) => format!("{g} 没有入选的案例"),
                (true, None) => "没有入选的案例".to_string(),
                (false, Some(g)) => format!("{g} 没有获奖者"),
                (false, None) => "没有获奖者".to_string(),
            };
            let how = if *cases {
                "请先确定入选案例（jury shortlist set 编号… --status selected）"
            } else if *no_awards {
                "评分细则中没有 [[award]]"
            } else {
                "还没有条目有完整的成绩"
            };
            format!("没有可打印的证书：{what}；{how}")
        }
        CertificatesUnlocked { groups } => format!(
            "{} 的结果尚未锁定，证书没有日期：请先锁定（jury lock --group 组别），或在评分细则中设置 certificate_date",
            groups.join("、")
        ),
        LockNotDate => "锁定时间不是日期：请在评分细则中设置 certificate_date".to_string(),
        NotFingerprint(text) => format!(
            "\"{text}\"不是指纹；指纹形如 JURY2-1512-3fa9c2d18e77-A57-9b1c04aa（JURY2-<数量>-<哈希> 之后的部分可以省略；\
             旧的打印件以 JURY- 开头）"
        ),
        NotSealed => {
            "此工作区由较早版本的 jury 创建，还没有封印，无法排除在 jury 之外被改动的可能；请以可写方式打开一次\
             （任何 jury 命令都会完成），然后再导出；`jury audit verify` 可核对分数"
                .to_string()
        }
        ChangedOutside { seq, changed } => format!(
            "工作区在 jury 之外被改动过{}：{}。没有打印任何内容：请运行 `jury audit verify` 查看详情；\
             如果改动不是 jury 做的，请从最近的备份继续",
            seq.map_or(String::new(), |s| format!("（审计记录第 {s} 行之后）")),
            changed.join("；")
        ),
    }
}

fn zh_stage(r: &StageRefusal) -> String {
    use StageRefusal::*;
    match r {
        NotCompetition => "舞台用于现场比赛；本比赛是案例遴选（评分细则中 kind = \"cases\"）".to_string(),
        UnknownRound { round, known } => format!("没有环节\"{round}\"；环节有：{}", known.join("、")),
        CannotStore(d) => format!("无法保存舞台状态：{d}"),
        NoGroup(entry) => format!("{entry} 没有本比赛的组别；上台前请先给它分组"),
        NothingToGoBackFrom => "舞台上还没有选手；请用 `jury stage next` 或 `jury stage set 编号` 开始".to_string(),
        NoRounds => "评分细则中没有环节".to_string(),
        NoContestant => "没有选手属于本比赛的组别；请先导入条目".to_string(),
        First { entry, group } => format!("{entry} 是 {group} 的第一位选手；没有上一位"),
        Last { entry, group } => {
            format!("{entry} 是 {group} 的最后一位选手；请用 `jury stage set 编号` 设置下一组的第一位选手")
        }
        NothingOnStage => "舞台上还没有选手；请先设置一位选手（`jury stage set 编号`）".to_string(),
    }
}

fn zh_serve(r: &ServeRefusal) -> String {
    use ServeRefusal::*;
    match r {
        ConnectionEnded => "连接已断开".to_string(),
        ServeEnded => "命令完成之前 jury serve 断开了连接；已做的内容请看 `jury audit log`".to_string(),
        Unreadable => "jury serve 的回答本 jury 无法读取".to_string(),
        CannotSend(d) => format!("命令无法发送给 jury serve：{d}"),
        TooLong { kb } => format!("命令太长，无法发送给 jury serve（超过 {kb} kB）"),
        StoppedAnswering { path, detail } => {
            format!("jury serve 在 {} 上不再应答：{detail}；没有改动任何内容", path.display())
        }
        InTheWay(p) => format!("{} 挡住了路：它不是 jury serve 的套接字；请把它移走后重新启动。没有启动任何服务", p.display()),
        AlreadyRunning(p) => format!(
            "此工作区上已有另一个 jury serve 在运行（在 {} 上应答）；请先停止它。没有启动任何服务",
            p.display()
        ),
        CannotReplace { path, detail } => format!("{}：无法替换：{detail}", path.display()),
        CannotListen { on, detail } => format!("无法在 {on} 上监听：{detail}"),
        SharedFile { path, why } => format!(
            "{} 无法设为仅所有者可读（{why}）：其他账户可能读到评委的分数和 PIN 哈希。请以文件所有者的身份运行 \
             `jury serve`，或把工作区复制到您自己的文件夹；如仍要启动，请加 --allow-shared-file。没有启动任何服务",
            path.display()
        ),
        CannotWriteStats { path, detail } => format!("{}：无法写出统计：{detail}", path.display()),
        CannotMakeKey(d) => format!("无法生成主机密钥：{d}"),
        CannotWriteKey(d) => format!("无法写出主机密钥：{d}"),
        KeyTooLarge { path, len } => format!(
            "{}：不是主机密钥（{len} 字节）；请把它移走后重新启动，以生成新密钥",
            path.display()
        ),
        KeyUnreadable { path, detail } => format!(
            "{}：无法作为主机密钥读取（{detail}）；请把它移走后重新启动，以生成新密钥（评委的 ssh 客户端随后会提示密钥已改变）",
            path.display()
        ),
        KeyFile { path, detail } => format!("{}（主机密钥文件）：{detail}", path.display()),
        WriterGone => {
            "服务器的写入线程已停止，无法再保存任何内容；这一项没有保存。请重启 `jury serve`（此前回答已保存的值都保留）"
                .to_string()
        }
        WriterFull => "服务器的写入线程任务过多，30 秒内没有接收新任务；这一项没有保存：请重试".to_string(),
        WriterStoppedBeforeAnswer => "服务器的写入线程在回答之前停止了：这个值可能没有保存；请重新查看评分表".to_string(),
        WriterTimeout => "服务器的写入线程 60 秒内没有回答：这个值可能没有保存；请重新查看评分表".to_string(),
        WriterStoppedBeforeFinish => "服务器的写入线程在完成之前停止了；请重新查看工作区".to_string(),
        NothingStored(d) => format!("没有保存任何内容：{d}"),
        NotForwarded(command) => format!("jury serve 不执行 `jury {command}`"),
        ArgsNotText => "jury serve 在此工作区上执行写入命令，而这条命令行不是有效文本；没有改动任何内容".to_string(),
    }
}

fn zh_workspace(r: &WorkspaceRefusal) -> String {
    use WorkspaceRefusal::*;
    match r {
        SharedOrganisation { judge, entry } => {
            format!("{judge} 与 {entry} 同属一个单位；这一回避不是申报的，不能取消")
        }
        NotOwner { path, owner, me } => format!(
            "只有工作区文件 {} 的所有者（uid {owner}）可以重置组织者口令；本账户是 uid {me}。请找所有者，\
             或把当前口令交给 `jury passwd --organiser`",
            path.display()
        ),
        ResetUnsupported(p) => format!(
            "重置遗忘的组织者口令需要工作区文件 {} 的所有者，jury 只能在 Linux 和 macOS 上识别；在本系统上请把当前口令交给 \
             `jury passwd --organiser`，或把文件移到 Linux 或 macOS 机器上重置",
            p.display()
        ),
        NameAnEntry => "请至少指定一个条目".to_string(),
        EntriesChanged(file) => {
            format!("{file}：检查文件期间，工作区的条目被另一个进程改动了；没有保存任何内容。请重新导入")
        }
        JudgeIdTaken { row, judge, reason } => format!(
            "第 {row} 行：评委 {judge} 已被移出比赛（{reason}）；被移出评委的编号仍被占用，请给新评委另一个编号。没有导入任何内容"
        ),
        JudgeRemoved { row, judge, reason } => {
            format!("第 {row} 行：评委 {judge} 已被移出比赛（{reason}），不再接收分数。没有导入任何内容")
        }
        NoPin(judge) => format!("{judge} 没有 PIN"),
        EntryWithdrawn { row, entry, reason } => format!(
            "第 {row} 行：{entry} 已退出评选（{reason}），不再接收分数（jury entry restore 可恢复参评）。没有导入任何内容"
        ),
    }
}

fn zh_command(r: &CommandRefusal) -> String {
    use CommandRefusal::*;
    match r {
        JudgesNeedTerminal => {
            "评分界面需要终端（标准输入和输出不能重定向）；其他命令不需要终端（jury --help）".to_string()
        }
        JudgesScreenNeedsTerminal => "评分界面需要终端".to_string(),
        ProjectorNeedsTerminal => "投影界面需要终端（标准输入和输出不能重定向）".to_string(),
        ScreenNeedsTerminal => "此界面需要终端".to_string(),
        ScriptRanOut => "脚本中的事件已用完".to_string(),
        NoSuchJudge { id, workspace } => format!("{workspace} 中没有编号为\"{id}\"的评委"),
        BadHost(host) => format!("--host {host:?}：请给出评委在 @ 后面输入的地址，例如 192.168.1.5"),
        NewPassNotText => "JURY_NEW_ORGANISER_PASS 不是有效文本；没有改动任何内容".to_string(),
        NoNewPass => "没有给出新的组织者口令；没有改动任何内容".to_string(),
        GiveAssignment => "请给出 --group 组别 --judges A,B,…、--per-entry N 或 --replace 旧 新".to_string(),
        GiveRound => "本比赛有多个环节：请给出 --round".to_string(),
    }
}

fn zh_reason(r: &ReasonRefused) -> String {
    match r {
        ReasonRefused::NotOneLine { what, at } => {
            let what = match what {
                BadChar::LineBreak => "换行".to_string(),
                BadChar::Tab => "制表符".to_string(),
                BadChar::Invisible(c) => format!("不可见字符（U+{c:04X}）"),
                BadChar::Control(c) => format!("控制字符（U+{c:04X}）"),
            };
            format!("理由必须是一行文字：第 {at} 个字符是{what}")
        }
        ReasonRefused::Required => "必须给出理由（--reason \"…\"）；理由记入审计记录".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn p() -> PathBuf {
        PathBuf::from("/tmp/a.jury")
    }

    fn d() -> String {
        "No such file".to_string()
    }

    /// Every sample's Chinese text is there and is not the English one.
    fn all_translated<T: std::fmt::Display>(samples: &[T], zh: fn(&T) -> String, en: fn(&T) -> String) {
        for s in samples {
            let (zh, en) = (zh(s), en(s));
            assert!(!zh.trim().is_empty(), "no Chinese for {en}");
            assert_ne!(zh, en, "not translated: {en}");
            assert_eq!(en, s.to_string(), "the English text is the Display");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "no Chinese in {zh}"
            );
        }
    }

    #[test]
    fn every_store_refusal_has_a_chinese_text() {
        use StoreRefusal::*;
        let samples = vec![
            CannotOpen { path: p(), detail: d() },
            IsFolder(p()),
            IsEmpty(p()),
            WorkspaceExists(p()),
            NetworkFs {
                path: p(),
                fs_type: "nfs".into(),
            },
            NoWal {
                path: p(),
                mode: "delete".into(),
            },
            NewerSchema {
                path: p(),
                version: 40,
                target: 30,
            },
            RolledBack,
            BackupExists(p()),
            NotUnicode(p()),
            BackupFailed { path: p(), detail: d() },
            RecordUnreadable(d()),
            RecordNotList,
            RecordNotWhole,
            RecordUnknownType,
            RecordColumns("judges".into()),
            RecordTable("x".into()),
            NotDigest,
            CannotHash(d()),
            NotSynchronous { path: p(), sync: 1 },
        ];
        all_translated(&samples, ZH.store, EN.store);
    }

    #[test]
    fn every_file_refusal_has_a_chinese_text() {
        use FileRefusal::*;
        let mut samples = vec![
            NoFolder {
                path: p(),
                dir: PathBuf::from("/nowhere"),
            },
            NotAFileName(p()),
            CannotRead { path: p(), detail: d() },
            CannotWrite { path: p(), detail: d() },
            NumberedNamesTaken(p()),
            Exists(p()),
            Appeared(p()),
            RubricTooLarge { path: p(), kb: 1024 },
            NotUtf8(p()),
        ];
        for kind in [
            FileKind::SymbolicLink,
            FileKind::Folder,
            FileKind::Fifo,
            FileKind::Device,
            FileKind::Socket,
            FileKind::Other,
        ] {
            samples.push(NotAFile { path: p(), kind });
        }
        all_translated(&samples, ZH.file, EN.file);
        assert_eq!(
            (ZH.file)(&NotAFile {
                path: p(),
                kind: FileKind::Folder
            }),
            "/tmp/a.jury 是文件夹：导出绝不替换它；请用 --out 指定文件名"
        );
    }

    #[test]
    fn every_export_refusal_has_a_chinese_text() {
        use ExportRefusal::*;
        let mut samples = vec![];
        for what in [Built::Document, Built::WordDocument, Built::Spreadsheet, Built::Json] {
            samples.push(BuildFailed { what, detail: d() });
        }
        samples.extend([
            TooManyRows {
                what: "score".into(),
                rows: 2_000_000,
                max: 1_048_575,
            },
            CellTooLong {
                what: "entry".into(),
                id: "A1".into(),
                column: "text".into(),
                chars: 40_000,
                max: 32_767,
            },
            JsonKeyCollides {
                entry: "A1".into(),
                key: "id".into(),
            },
            NoSubmittedScores {
                judge: "J1".into(),
                one_group: true,
            },
            NoSubmittedScores {
                judge: "J1".into(),
                one_group: false,
            },
            FlaggedSelected {
                flagged: vec!["A1 (重复)".into()],
            },
            CertificatesUnlocked {
                groups: vec!["小学组".into()],
            },
            LockNotDate,
            NotFingerprint("xyz".into()),
            NotSealed,
            ChangedOutside {
                seq: Some(12),
                changed: vec!["scores".into()],
            },
            ChangedOutside {
                seq: None,
                changed: vec![],
            },
        ]);
        for cases in [true, false] {
            for group in [None, Some("G".to_string())] {
                for no_awards in [true, false] {
                    samples.push(NoCertificates {
                        cases,
                        group: group.clone(),
                        no_awards,
                    });
                }
            }
        }
        all_translated(&samples, ZH.export, EN.export);
    }

    #[test]
    fn every_stage_refusal_has_a_chinese_text() {
        use StageRefusal::*;
        let samples = vec![
            NotCompetition,
            UnknownRound {
                round: "r9".into(),
                known: vec!["lesson (说课)".into()],
            },
            CannotStore(d()),
            NoGroup("JS001".into()),
            NothingToGoBackFrom,
            NoRounds,
            NoContestant,
            First {
                entry: "JS001".into(),
                group: "G".into(),
            },
            Last {
                entry: "JS001".into(),
                group: "G".into(),
            },
            NothingOnStage,
        ];
        all_translated(&samples, ZH.stage, EN.stage);
    }

    #[test]
    fn every_serve_refusal_has_a_chinese_text() {
        use ServeRefusal::*;
        let samples = vec![
            ConnectionEnded,
            ServeEnded,
            Unreadable,
            CannotSend(d()),
            TooLong { kb: 64 },
            StoppedAnswering { path: p(), detail: d() },
            InTheWay(p()),
            AlreadyRunning(p()),
            CannotReplace { path: p(), detail: d() },
            CannotListen {
                on: "0.0.0.0:2222".into(),
                detail: d(),
            },
            SharedFile {
                path: p(),
                why: "it stays mode 644".into(),
            },
            CannotWriteStats { path: p(), detail: d() },
            CannotMakeKey(d()),
            CannotWriteKey(d()),
            KeyTooLarge {
                path: p(),
                len: 100_000,
            },
            KeyUnreadable { path: p(), detail: d() },
            KeyFile { path: p(), detail: d() },
            WriterGone,
            WriterFull,
            WriterStoppedBeforeAnswer,
            WriterTimeout,
            WriterStoppedBeforeFinish,
            NothingStored(d()),
            NotForwarded("tally".into()),
            ArgsNotText,
        ];
        all_translated(&samples, ZH.serve, EN.serve);
    }

    #[test]
    fn every_workspace_refusal_has_a_chinese_text() {
        use WorkspaceRefusal::*;
        let samples = vec![
            SharedOrganisation {
                judge: "J1".into(),
                entry: "A1".into(),
            },
            NotOwner {
                path: p(),
                owner: 1000,
                me: 1001,
            },
            ResetUnsupported(p()),
            NameAnEntry,
            EntriesChanged("entries.csv".into()),
            JudgeIdTaken {
                row: 2,
                judge: "J1".into(),
                reason: "ill".into(),
            },
            JudgeRemoved {
                row: 2,
                judge: "J1".into(),
                reason: "ill".into(),
            },
            NoPin("J1".into()),
            EntryWithdrawn {
                row: 2,
                entry: "JS007".into(),
                reason: "弃权".into(),
            },
        ];
        all_translated(&samples, ZH.workspace, EN.workspace);
    }

    #[test]
    fn every_command_refusal_has_a_chinese_text() {
        use CommandRefusal::*;
        let samples = vec![
            JudgesNeedTerminal,
            JudgesScreenNeedsTerminal,
            ProjectorNeedsTerminal,
            ScreenNeedsTerminal,
            ScriptRanOut,
            NoSuchJudge {
                id: "J9".into(),
                workspace: "a.jury".into(),
            },
            BadHost("x y".into()),
            NewPassNotText,
            NoNewPass,
            GiveAssignment,
            GiveRound,
        ];
        all_translated(&samples, ZH.command, EN.command);
    }

    #[test]
    fn every_reason_refusal_has_a_chinese_text() {
        let mut samples = vec![ReasonRefused::Required];
        for what in [
            BadChar::LineBreak,
            BadChar::Tab,
            BadChar::Invisible(0x200B),
            BadChar::Control(0x1B),
        ] {
            samples.push(ReasonRefused::NotOneLine { what, at: 3 });
        }
        all_translated(&samples, ZH.reason, EN.reason);
        assert_eq!(
            zh_reason(&crate::core::reason::check("a\nb").unwrap_err()),
            "理由必须是一行文字：第 2 个字符是换行"
        );
    }

    #[test]
    fn an_error_is_translated_by_its_refusal_and_others_are_left() {
        let e = Error::from(StageRefusal::NoRounds);
        assert_eq!(translate(&e, Lang::Zh).as_deref(), Some("评分细则中没有环节"));
        assert_eq!(translate(&e, Lang::En).as_deref(), Some("the rubric has no rounds"));
        let judged = Error::from(crate::core::scoring::Refusal::WrongPin);
        assert_eq!(translate(&judged, Lang::Zh).as_deref(), Some("PIN 不正确"));
        assert_eq!(translate(&Error::refused("x"), Lang::Zh), None);
    }
}
