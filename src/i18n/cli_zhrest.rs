//! Issue 17 (helper zhrest): the Chinese of the rarer import problems that were free text, and of
//! the judges file's missing columns. The English of each is the problem's `Display`, unchanged.

use crate::core::problems::{CellProblem, Needed, Problem, ZipHolds};

const JSON_SHAPE_ZH: &str = "必须是由对象组成的 JSON 数组，如 [{\"id\": \"A1\", …}]，或放在 {\"entries\": […]} 或 {\"scores\": […]} 中的这样一个数组";
const SAVE_AS_DOCX_ZH: &str = "请在 Word 或 WPS 中另存为 .docx 后再导入";

/// A place given as text: `sheet "S", row 7` is `工作表 "S" 第 7 行`; any other stays.
pub fn place_text_zh(text: &str) -> String {
    if let Some((sheet, row)) = text.rsplit_once(", row ")
        && let Some(name) = sheet.strip_prefix("sheet ")
        && !row.is_empty()
        && row.bytes().all(|b| b.is_ascii_digit())
    {
        return format!("工作表 {name} 第 {row} 行");
    }
    text.to_string()
}

/// `缺少编号列。可用的表头：…`
pub fn missing_column(what: Needed, accepted: &str) -> String {
    let what = match what {
        Needed::Id => "编号",
        Needed::Name => "姓名",
        Needed::Pin => "密码",
    };
    format!("缺少{what}列。可用的表头：{accepted}")
}

/// The Chinese of the problems typed by this helper; any other problem keeps its English.
pub fn problem_zh(p: &Problem) -> String {
    use Problem::*;
    match p {
        InvisibleInId { code, name, at } => {
            format!("编号的第 {at} 个字符是不可见字符（U+{code:04X} {name}）；请去掉它重新输入编号")
        }
        JsonInvalid { error, line, column } => {
            format!("不是有效的 JSON：{error}（第 {line} 行，第 {column} 列）")
        }
        JsonPart { error } => format!("不是有效的 JSON：{error}"),
        JsonTopKey { key } => format!("顶层有键 \"{key}\"；{JSON_SHAPE_ZH}（不能有其他键）"),
        JsonTwoArrays { key } => {
            format!("顶层有不止一个数组（\"{key}\" 和另一个）；一个文件只导入一种数据")
        }
        JsonNotArray { key } => format!("\"{key}\" 必须是由对象组成的数组"),
        JsonEmptyObject => format!("是一个空对象；{JSON_SHAPE_ZH}"),
        JsonShape => JSON_SHAPE_ZH.to_string(),
        TooManyElements { most } => format!("超过 {most} 个元素；请拆分文件"),
        JsonNotObject { element } => format!("第 {element} 个元素不是对象"),
        JsonNested => "不接受嵌套的数组和对象；请写成文本".to_string(),
        JsonGivenTwice { name } => format!("\"{name}\" 出现两次：在 \"sections\" 中和它旁边；请只保留一个"),
        JsonKeyTwice { key } => format!("键 \"{key}\" 在这个对象中出现两次；请只保留一个"),
        FolderUnreadable { error } => format!("无法作为文件夹读取：{error}"),
        TooManyDocuments { most } => format!("含有超过 {most} 个文档；请分批导入"),
        NoDocuments => "是一个文件夹而不是文件，且其中（包括子文件夹）没有 .docx 文档；请导入 CSV、XLSX 或 JSON \
                        文件，或一个装有 .docx 案例文档的文件夹"
            .to_string(),
        NotDocx { ext } => match ext.as_str() {
            "doc" => format!("是 Word 97-2003 文档（.doc）；{SAVE_AS_DOCX_ZH}"),
            "wps" => format!("是 WPS 文档（.wps）；{SAVE_AS_DOCX_ZH}"),
            "pdf" => "是 PDF 文件；请转换为 .docx 后再导入（无法从 PDF 中读出各部分）".to_string(),
            _ => format!("是 .{ext} 文件；{SAVE_AS_DOCX_ZH}"),
        },
        NoDocumentForRow { named } if named.is_empty() => "这一行没有对应的文档：没有文档的文件名以其编号开头，\
             或同时含有其标题的前八个字和单位；请在“file”（文件名）列中写明文件名"
            .to_string(),
        NoDocumentForRow { named } => format!("这一行没有对应的文档：其文档 \"{named}\" 不在文件夹中"),
        SeveralDocuments { listed } => format!(
            "有多个文档符合这一行：{}；请在“file”（文件名）列中写明其文件名",
            listed.join("、")
        ),
        DocumentMatchesNoRow { document } => format!("文档 {document} 与汇总表的任何一行都不对应"),
        DocumentMatchesRows { document, rows } => format!(
            "文档 {document} 与多行对应：{}",
            rows.iter().map(|r| format!("第 {r} 行")).collect::<Vec<_>>().join("、")
        ),
        DocumentChangedSubmitted { id, submitted } => format!(
            "文档已改动，但条目 {id} 已有 {submitted} 份提交的评分表：评委评的是已保存的文本；如仍要替换，请加 \
             --force（审计记录会记下）"
        ),
        DocumentTooBig { mb, most_mb } => {
            format!("大小为 {mb} MB；超过 {most_mb} MB 的文档不予导入（请删去大图片，或重新保存）")
        }
        MalformedWorkbook { csv } => format!(
            "无法作为 Excel 工作簿（.xlsx）读取：其工作表数据已损坏；请用 Excel 打开后重新保存{}",
            if *csv { "，或另存为“CSV UTF-8”" } else { "" }
        ),
        FormNoHeader { entry_header } => {
            format!("评分表的表格没有表头：标题行下方应有一行，A 列为「{entry_header}」，其后每个评分项一列")
        }
        FormNoJudge => "缺少评委编号：请写在这个单元格（B2）中，与空白评分表一致".to_string(),
        FormSecondColumn { criterion, first } => {
            format!("评分项 {criterion} 有第二列（第一列是第 {first} 列）；请只保留一列")
        }
        FormNoEntryId => "这一行有分数，但 A 列没有条目编号".to_string(),
        TooManyBoxes { most } => format!("填写的分数格超过 {most} 个；请拆分文件"),
        ReaderStopped => "无法读取（读取过程中断）".to_string(),
        FormSheetNotForm {
            sheet,
            judge_label,
            round_label,
        } => format!(
            "是纸质评分表，但其工作表 \"{sheet}\" 不是评分表（A2 应为 {judge_label}，A3 应为 {round_label}）：其中的单元格不会被读取。\
             请删除该工作表，或用 --sheet 名称 只导入一个工作表"
        ),
        FormSheetUnreadable { sheet, error } => format!("工作表 \"{sheet}\" 无法读取：{error}"),
        FormSheetMissing { sheet } => {
            format!("在工作簿的组成部分中找不到工作表 \"{sheet}\"；请用 Excel 打开后重新保存")
        }
        FormNothingFilled { sheets } => {
            format!("是有 {sheets} 个工作表的纸质评分表，但没有填写任何分数格：没有可导入的内容")
        }
        ReservedJudgeId { id } => {
            format!("编号 \"{id}\" 是保留的（组织者和投影在 `jury serve` 中的登录名，不分大小写）；请给评委另取编号")
        }
        JudgeIdCase { id, other, first } => format!(
            "编号 \"{id}\" 与第 {first} 行的编号 \"{other}\" 只差大小写；评委登录不分大小写，请给每位评委不同的编号"
        ),
        StoredJudgeIdCase { id, other } => format!(
            "编号 \"{id}\" 与已保存的评委 \"{other}\" 只差大小写；评委登录不分大小写：请写成 \"{other}\"（用 --update \
             修改该评委），或另取编号"
        ),
        NotAFile { what } => {
            let what = match *what {
                "a folder" => "文件夹",
                "a device (a character device such as /dev/zero or a terminal)" => {
                    "设备（字符设备，如 /dev/zero 或终端）"
                }
                "a device (a disk)" => "设备（磁盘）",
                "a socket" => "套接字",
                _ => "非普通文件",
            };
            format!("是{what}，不是文件；请把数据存为 CSV、XLSX 或 JSON 文件再导入")
        }
        CannotOpen { error } => format!("无法打开：{error}"),
        FileTooBig { mb, over, most_mb } => format!(
            "大小{}{mb} MB；超过 {most_mb} MB 的文件不予导入",
            if *over { "超过 " } else { "为 " }
        ),
        DateNotScore { date } => format!(
            "是日期（{date}），不是分数；Excel 会把日期格式的数字显示为日期：请把该列设为“数值”格式后重新输入分数"
        ),
        DateNotId { date } => format!("是日期（{date}），不是编号；请在 Excel 中把该列设为“文本”格式后重新输入编号"),
        DurationNotValue { duration, score } => format!(
            "是时长（{duration}），不是{}；请在 Excel 中把该列设为“数值”或“文本”格式",
            if *score { "分数" } else { "编号" }
        ),
        FractionalId { text } => {
            format!("编号 {text} 是带小数的数字；编号请写成文本（\"A001\"）或整数")
        }
        LostLeadingZeros { id, width, like } => format!(
            "编号 \"{id}\" 像是丢了前导零的 \"{id:0>width$}\"（其他编号形如 {like}）；Excel 会去掉数字的前导零：\
             请把该列设为“文本”格式后重新输入编号"
        ),
        MixedStatus {
            sheet,
            here,
            there,
            first,
        } => format!(
            "{sheet} 在这里是 {here}，在第 {first} 行却是 {there}；一张评分表整体是草稿（draft）或已提交（submitted）"
        ),
        IncompleteSheet { sheet, missing } => format!(
            "{sheet} 缺少 {}：不完整的评分表不计分。请补上缺少的分数，或加 --partial 把这样的评分表存为草稿",
            missing.join(", ")
        ),
        SignedSheets { count } => format!(
            "有 {count} 份评分表已提交（在屏幕上或由之前的导入），而本文件会改动它们；已签名的评分表只能由组织者决定修改：\
             请加 --replace-submitted --reason 理由（理由和原分数记入审计记录）"
        ),
        SignedSheetChanged {
            sheet,
            changes,
            to_draft,
        } => {
            let mut what = changes.clone();
            if *to_draft {
                what.push("已提交 -> 草稿".to_string());
            }
            format!("{sheet} 已提交：{}", what.join(", "))
        }
        NowConflicting { count } => format!(
            "有 {count} 份评分表将由与条目同单位的评委评分；如要保留，请加 --force（每份都记入审计记录），或更正单位"
        ),
        ConflictsWithOrganisation {
            judge,
            entry,
            round,
            status,
            organisation,
        } => format!("{judge} / {entry} / {round}（{status}）与新单位 \"{organisation}\" 存在回避关系"),
        BadCell { what, value } => {
            let what = match what {
                CellProblem::Nul => {
                    "含有 NUL 字节（U+0000），正常文本中不会有；请删除它（文件可能已损坏，或由混入二进制数据的程序写成）"
                        .to_string()
                }
                CellProblem::Control { code } => {
                    format!("含有控制字符 U+{code:04X}；请删除它（它不可见，且会破坏打印）")
                }
                CellProblem::TooLong { chars, most } => format!("长 {chars} 个字符；最多接受 {most} 个"),
            };
            format!("{}{what}", if *value { "该值" } else { "该单元格" })
        }
        ExcelError { error } => format!("该单元格显示 Excel 错误 {error}；请更正公式或清空该单元格"),
        UnclosedQuote => "该单元格以引号（\"）开头却没有闭合，因此其后直到文件末尾的内容都被读进了这一个单元格；\
                          请补上闭合的引号，单元格内的引号请写成两个（\"\"）"
            .to_string(),
        NotCsv { error } => format!("无法作为 CSV 读取：{error}"),
        NotChecked => "无法检查".to_string(),
        NotAWorkbook { error } => format!("无法作为 Excel 工作簿（.xlsx）读取：{error}"),
        NoSuchSheet { sheet, sheets } => format!("没有名为 \"{sheet}\" 的工作表；其工作表有：{}", sheets.join(", ")),
        NoSheets => "工作簿中没有工作表".to_string(),
        SheetEmpty { sheet } => format!("工作表 \"{sheet}\" 是空的：需要一个表头行和若干数据行"),
        SheetTooLong { sheet, row, most } => {
            format!("工作表 \"{sheet}\" 在第 {row} 行有单元格；超过 {most} 行的文件不予导入")
        }
        SheetTooWide { sheet, from, to, most } => {
            format!("工作表 \"{sheet}\" 用了第 {from} 到第 {to} 列；超过 {most} 列不予导入")
        }
        SheetTooLarge { sheet, rows, columns } => {
            format!("工作表 \"{sheet}\" 跨 {rows} 行 {columns} 列；请拆分文件")
        }
        NotZip => {
            "不是可读取的 Excel 工作簿（.xlsx）：它不是完整的 ZIP 压缩包，而每个 .xlsx 都是（文件已损坏或不完整，\
                   或是改了 .xlsx 扩展名的其他文件）；请用 Excel 打开后重新保存，或另存为“CSV UTF-8”"
                .to_string()
        }
        TooManyParts { parts, most } => {
            format!("是含有 {parts} 个部分的 ZIP 压缩包；Excel 工作簿只有几十个（最多读取 {most} 个）")
        }
        ZipDirectoryDamaged { error } => {
            format!("不是可读取的 Excel 工作簿（.xlsx）：其 ZIP 目录已损坏（{error}）")
        }
        UnpacksTooLarge { most_mb } => format!(
            "解压后超过 {most_mb} MB（Excel 工作簿是 ZIP 压缩包）；这样的文件在解压前即被拒绝。请拆分数据，或另存为“CSV UTF-8”"
        ),
        ZipBomb { part, mb, kb, ratio } => format!(
            "在解压前即被拒绝：其部分 {part} 会从 {kb} KB 解压为 {mb} MB，超过压缩大小的 {ratio} 倍，这是 ZIP 炸弹的做法；\
             真实数据的工作簿不会压缩得这么紧"
        ),
        TooManySharedStrings { part, count, kb } => format!(
            "是损坏的 Excel 工作簿（.xlsx）：其部分 {part} 声称在 {kb} KB 中有 {count} 段文本，超出其容量；\
             请用 Excel 打开后重新保存，或另存为“CSV UTF-8”"
        ),
        NoWorkbookInZip { holds } => {
            let holds = match holds {
                ZipHolds::Word => "Word 文档（.docx）；用 Word 写的案例从其文件夹导入：jury import entries 文件夹\
                                   （docs/import.md）"
                    .to_string(),
                ZipHolds::PowerPoint => "PowerPoint 文件（.pptx）".to_string(),
                ZipHolds::OpenDocument => {
                    "OpenDocument 文件（.ods 或 .odt）；请在 LibreOffice 中另存为 .xlsx 或“CSV UTF-8”".to_string()
                }
                ZipHolds::Parts(parts) => format!("含有 {} 的 ZIP 压缩包", parts.join(", ")),
            };
            format!("是 ZIP 压缩包但不是 Excel 工作簿（.xlsx）：其中没有工作簿；它是{holds}")
        }
        DocxMalformed => "不是可读取的 .docx：其内容已损坏；请用 Word 打开后重新保存".to_string(),
        DocxProtected => "有密码保护（加密的文档无法读取）；请用 Word 打开，去掉密码（文件 - 信息 - 保护文档 - \
                          用密码进行加密：清空）后重新保存"
            .to_string(),
        DocxIsDoc => format!("其实是 Word 97-2003（.doc）或 WPS（.wps）文档，与扩展名不符；{SAVE_AS_DOCX_ZH}"),
        DocxIsPdf => "其实是 PDF 文件，与扩展名不符；请转换为 .docx 后再导入".to_string(),
        DocxIsRtf => format!("其实是 RTF 文档，与扩展名不符；{SAVE_AS_DOCX_ZH}"),
        DocxNotZip => {
            "不是 .docx（每个 .docx 都是 ZIP 包，而它不是：文件已损坏、不完整，或是改名为 .docx 的其他文件）；\
                       请用 Word 打开后重新另存为 .docx"
                .to_string()
        }
        DocxNoDocument => "是 ZIP 包但不是 Word 文档：其中没有 word/document.xml".to_string(),
        DocxControl { code } => format!(
            "不是可读取的 .docx：其 word/document.xml 含有控制字符 U+{code:04X}，正常文档中不会有（文件已损坏）；\
             请用 Word 打开后重新保存"
        ),
        DocxNoParts => "四个部分一个也没有找到：没有段落是 背景介绍、问题描述、解决策略 或 结果评估 这样的标题\
                        （可识别的名称见 docs/import.md）；请把每个部分写在自己的标题下"
            .to_string(),
        DocxPartTwice { part, first, again } => format!(
            "第 {again} 段：部分 {part} 已在第 {first} 段出现过；每个部分在文档中只能出现一次（请改名或删去两个标题之一）"
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::problems::{CellProblem, Needed};
    use crate::i18n::Lang;

    fn has_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_problem_typed_here_has_chinese_that_differs_from_its_english() {
        let s = |t: &str| t.to_string();
        let samples = vec![
            Problem::MissingColumn {
                what: Needed::Pin,
                accepted: s("id, name, pin"),
            },
            Problem::InvisibleInId {
                code: 0x200B,
                name: "ZERO WIDTH SPACE",
                at: 3,
            },
            Problem::JsonInvalid {
                error: s("EOF"),
                line: 1,
                column: 2,
            },
            Problem::JsonPart { error: s("x") },
            Problem::JsonTopKey { key: s("k") },
            Problem::JsonTwoArrays { key: s("k") },
            Problem::JsonNotArray { key: s("k") },
            Problem::JsonEmptyObject,
            Problem::JsonShape,
            Problem::TooManyElements { most: 5 },
            Problem::JsonNotObject { element: 2 },
            Problem::JsonNested,
            Problem::JsonGivenTwice { name: s("n") },
            Problem::JsonKeyTwice { key: s("k") },
            Problem::FolderUnreadable { error: s("denied") },
            Problem::TooManyDocuments { most: 5 },
            Problem::NoDocuments,
            Problem::NotDocx { ext: s("doc") },
            Problem::NotDocx { ext: s("wps") },
            Problem::NotDocx { ext: s("pdf") },
            Problem::NotDocx { ext: s("odt") },
            Problem::NoDocumentForRow { named: String::new() },
            Problem::NoDocumentForRow { named: s("a.docx") },
            Problem::SeveralDocuments {
                listed: vec![s("a.docx"), s("b.docx")],
            },
            Problem::DocumentMatchesNoRow { document: s("a.docx") },
            Problem::DocumentMatchesRows {
                document: s("a.docx"),
                rows: vec![2, 3],
            },
            Problem::DocumentChangedSubmitted {
                id: s("AL001"),
                submitted: 2,
            },
            Problem::DocumentTooBig { mb: 60, most_mb: 50 },
            Problem::MalformedWorkbook { csv: true },
            Problem::MalformedWorkbook { csv: false },
            Problem::FormNoHeader { entry_header: "编号" },
            Problem::FormNoJudge,
            Problem::FormSecondColumn {
                criterion: s("content"),
                first: s("C"),
            },
            Problem::FormNoEntryId,
            Problem::TooManyBoxes { most: 5 },
            Problem::ReaderStopped,
            Problem::FormSheetNotForm {
                sheet: s("备注"),
                judge_label: "评委",
                round_label: "轮次",
            },
            Problem::FormSheetUnreadable {
                sheet: s("S"),
                error: s("bad"),
            },
            Problem::FormSheetMissing { sheet: s("S") },
            Problem::FormNothingFilled { sheets: 2 },
            Problem::ReservedJudgeId { id: s("organiser") },
            Problem::JudgeIdCase {
                id: s("pw01"),
                other: s("PW01"),
                first: 2,
            },
            Problem::StoredJudgeIdCase {
                id: s("pw01"),
                other: s("PW01"),
            },
            Problem::NotAFile { what: "a folder" },
            Problem::NotAFile { what: "a socket" },
            Problem::CannotOpen { error: s("denied") },
            Problem::FileTooBig {
                mb: 60,
                over: false,
                most_mb: 50,
            },
            Problem::FileTooBig {
                mb: 50,
                over: true,
                most_mb: 50,
            },
            Problem::DateNotScore { date: s("2025-01-18") },
            Problem::DateNotId { date: s("2025-01-18") },
            Problem::DurationNotValue {
                duration: s("PT1H"),
                score: true,
            },
            Problem::FractionalId { text: s("1.5") },
            Problem::LostLeadingZeros {
                id: s("12"),
                width: 4,
                like: s("\"0011\""),
            },
            Problem::MixedStatus {
                sheet: s("PW01 / JS001 / lesson"),
                here: "draft",
                there: "submitted",
                first: 2,
            },
            Problem::IncompleteSheet {
                sheet: s("PW01 / JS001 / lesson"),
                missing: vec![s("content (内容)")],
            },
            Problem::SignedSheets { count: 1 },
            Problem::SignedSheets { count: 3 },
            Problem::SignedSheetChanged {
                sheet: s("PW01 / JS001 / lesson"),
                changes: vec![s("content 18 -> 19")],
                to_draft: true,
            },
            Problem::NowConflicting { count: 2 },
            Problem::ConflictsWithOrganisation {
                judge: s("PW01"),
                entry: s("JS001"),
                round: s("lesson"),
                status: "submitted",
                organisation: s("一中"),
            },
            Problem::BadCell {
                what: CellProblem::Nul,
                value: false,
            },
            Problem::BadCell {
                what: CellProblem::Control { code: 7 },
                value: true,
            },
            Problem::BadCell {
                what: CellProblem::TooLong { chars: 9, most: 8 },
                value: false,
            },
            Problem::ExcelError { error: s("#DIV/0!") },
            Problem::UnclosedQuote,
            Problem::NotCsv { error: s("bad") },
            Problem::NotChecked,
            Problem::NotAWorkbook { error: s("bad") },
            Problem::NoSuchSheet {
                sheet: s("X"),
                sheets: vec![s("A")],
            },
            Problem::NoSheets,
            Problem::SheetEmpty { sheet: s("A") },
            Problem::SheetTooLong {
                sheet: s("A"),
                row: 9,
                most: 8,
            },
            Problem::SheetTooWide {
                sheet: s("A"),
                from: s("A"),
                to: s("ZZ"),
                most: 100,
            },
            Problem::SheetTooLarge {
                sheet: s("A"),
                rows: 9,
                columns: 9,
            },
            Problem::NotZip,
            Problem::DocxMalformed,
            Problem::DocxProtected,
            Problem::DocxIsDoc,
            Problem::DocxIsPdf,
            Problem::DocxIsRtf,
            Problem::DocxNotZip,
            Problem::DocxNoDocument,
            Problem::DocxControl { code: 0 },
            Problem::DocxNoParts,
            Problem::DocxPartTwice {
                part: "背景介绍",
                first: 1,
                again: 5,
            },
            Problem::TooManyParts { parts: 9, most: 8 },
            Problem::ZipDirectoryDamaged { error: s("bad") },
            Problem::UnpacksTooLarge { most_mb: 256 },
            Problem::ZipBomb {
                part: s("xl/a.xml"),
                mb: 300,
                kb: 10,
                ratio: 100,
            },
            Problem::TooManySharedStrings {
                part: s("xl/sharedStrings.xml"),
                count: 9,
                kb: 1,
            },
            Problem::NoWorkbookInZip { holds: ZipHolds::Word },
            Problem::NoWorkbookInZip {
                holds: ZipHolds::PowerPoint,
            },
            Problem::NoWorkbookInZip {
                holds: ZipHolds::OpenDocument,
            },
            Problem::NoWorkbookInZip {
                holds: ZipHolds::Parts(vec![s("a.txt")]),
            },
        ];
        for p in &samples {
            let en = crate::i18n::cli::problem(p, Lang::En);
            let zh = crate::i18n::cli::problem(p, Lang::Zh);
            assert_eq!(en, p.to_string());
            assert_ne!(zh, en, "{p:?}");
            // Chinese beyond what the English quotes (the English of a few names 编号, 文件名 ...).
            let english_han: usize = en.chars().filter(|c| has_chinese(&c.to_string())).count();
            let zh_han: usize = zh.chars().filter(|c| has_chinese(&c.to_string())).count();
            assert!(zh_han > english_han, "{p:?}: {zh}");
        }
        assert_eq!(
            crate::i18n::cli::problem(
                &Problem::MissingColumn {
                    what: Needed::Pin,
                    accepted: s("pin (密码)"),
                },
                Lang::Zh
            ),
            "缺少密码列。可用的表头：pin (密码)"
        );
    }

    #[test]
    fn a_sheet_s_row_is_named_in_chinese() {
        assert_eq!(place_text_zh("sheet \"S0 PW01\", row 7"), "工作表 \"S0 PW01\" 第 7 行");
        assert_eq!(place_text_zh("docs/a.docx"), "docs/a.docx");
        assert_eq!(place_text_zh("sheet \"a\", row x"), "sheet \"a\", row x");
    }

    #[test]
    fn english_reads_word_for_word_as_before() {
        let p = Problem::SignedSheetChanged {
            sheet: "PW01 / JS001 / lesson".into(),
            changes: vec![],
            to_draft: true,
        };
        assert_eq!(p.to_string(), "PW01 / JS001 / lesson is submitted: submitted -> draft");
        assert_eq!(
            Problem::SignedSheets { count: 1 }.to_string(),
            "1 sheet is already submitted (on screen or by an earlier import) and this file would change it; a \
             signed sheet changes only by the organiser's decision: give --replace-submitted --reason TEXT (the \
             reason and the old values go into the audit trail)"
        );
        assert_eq!(
            Problem::LostLeadingZeros {
                id: "12".into(),
                width: 4,
                like: "\"0011\"".into()
            }
            .to_string(),
            "the id \"12\" looks like \"0012\" without its leading zeros (other ids are like \"0011\"); Excel drops \
             them from numbers: format the column as Text and type the id again"
        );
        assert_eq!(
            Problem::FileTooBig {
                mb: 50,
                over: true,
                most_mb: 50
            }
            .to_string(),
            "is more than 50 MB; files over 50 MB are refused"
        );
    }
}
