//! What `jury import list` / `jury import undo` and the console's imports view say, in Chinese and
//! English, and the translation of [`UndoRefusal`].

use crate::core::import_log::{Dependant, ImportKind, UndoRefusal};
use crate::i18n::Lang;

pub struct ImportLogTexts {
    /// The list's columns: number, time, kind, file, SHA-256, rows, by, state.
    pub header: [&'static str; 8],
    pub kind: fn(ImportKind) -> &'static str,
    /// The state column of an import not undone.
    pub active: &'static str,
    /// The state column of an undone import.
    pub undone: fn(at: &str, by: &str, reason: &str) -> String,
    pub none: &'static str,
    /// `jury import undo` done: number, kind, file, rows removed, rows put back.
    pub done: fn(number: i64, kind: ImportKind, file: &str, removed: usize, restored: usize) -> String,
    pub refusal: fn(&UndoRefusal) -> String,
    /// The console: the view's title, its key bar, the reason prompt.
    pub title: &'static str,
    pub keys: &'static str,
    pub reason_prompt: fn(number: i64) -> String,
    pub undo_title: &'static str,
    pub undone_in_console: fn(number: i64) -> String,
    /// The overlay's columns: number, time, kind, file, rows, state.
    pub columns: [&'static str; 6],
}

pub fn texts(lang: Lang) -> &'static ImportLogTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

fn dependant_en(d: &Dependant) -> String {
    d.to_string()
}

fn dependant_zh(d: &Dependant) -> String {
    match d {
        Dependant::LaterImport { number, what } => format!("第 {number} 次导入又改了 {what}"),
        Dependant::LaterChange { seq, action, what } => format!("审计第 {seq} 行（{action}：{what}）"),
        Dependant::Reference { what } => format!("仍被引用：{what}"),
    }
}

fn refusal_zh(r: &UndoRefusal) -> String {
    match r {
        UndoRefusal::NoSuchImport { number } => {
            format!("没有第 {number} 次导入：`jury import list` 列出所有导入")
        }
        UndoRefusal::AlreadyUndone { number, at } => {
            format!("第 {number} 次导入已于 {at} 撤销；每次导入只能撤销一次")
        }
        UndoRefusal::Depends {
            number,
            dependants,
            total,
        } => {
            let list: Vec<String> = dependants.iter().map(dependant_zh).collect();
            format!(
                "第 {number} 次导入不能撤销：之后有 {total} 处改动依赖它：{}{}。请先撤销这些改动（之后的导入用 \
                 `jury import undo`，分数用 `jury score remove`）",
                list.join("；"),
                if *total > list.len() { "；等" } else { "" }
            )
        }
        UndoRefusal::Locked {
            number,
            group,
            round,
            reason,
        } => format!(
            "第 {number} 次导入不能撤销：{} / {} 的结果已锁定（{reason}）；请先解锁",
            group.as_deref().unwrap_or("所有组别"),
            round.as_deref().unwrap_or("所有轮次")
        ),
        UndoRefusal::RecordChanged { number } => format!(
            "第 {number} 次导入不能撤销：它所记录的改动与审计记录不符（在 jury 之外被改过）；请运行 `jury audit verify`"
        ),
    }
}

static EN: ImportLogTexts = ImportLogTexts {
    header: ["No.", "Time", "Kind", "File", "SHA-256", "Rows", "By", "State"],
    kind: ImportKind::as_str,
    active: "imported",
    undone: |at, by, reason| format!("undone {at} by {by}: {reason}"),
    none: "No imports yet.",
    done: |number, kind, file, removed, restored| {
        format!(
            "Import {number} ({} {file}) undone: {removed} rows it added removed, {restored} rows it replaced put back",
            kind.as_str()
        )
    },
    refusal: |r| {
        let _ = dependant_en;
        r.to_string()
    },
    title: "Imports",
    keys: "Up/Down choose  u undo (asks the reason)  Esc back",
    reason_prompt: |number| {
        format!("Why undo import {number}? It removes what the import added and puts back what it replaced.")
    },
    undo_title: "Undo an import",
    undone_in_console: |number| format!("Import {number} undone"),
    columns: ["No.", "Time", "Kind", "File", "Rows", "State"],
};

static ZH: ImportLogTexts = ImportLogTexts {
    header: ["序号", "时间", "类型", "文件", "SHA-256", "行数", "操作者", "状态"],
    kind: ImportKind::zh,
    active: "已导入",
    undone: |at, by, reason| format!("已撤销 {at}（{by}）：{reason}"),
    none: "还没有导入。",
    done: |number, kind, file, removed, restored| {
        format!(
            "第 {number} 次导入（{} {file}）已撤销：删除它新增的 {removed} 行，恢复它替换的 {restored} 行",
            kind.zh()
        )
    },
    refusal: refusal_zh,
    title: "导入记录",
    keys: "上/下 选择  u 撤销（需填写原因）  Esc 返回",
    reason_prompt: |number| format!("撤销第 {number} 次导入的原因？将删除它新增的内容，恢复它替换的内容。"),
    undo_title: "撤销导入",
    undone_in_console: |number| format!("第 {number} 次导入已撤销"),
    columns: ["序号", "时间", "类型", "文件", "行数", "状态"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_translated() {
        let refusals = [
            UndoRefusal::NoSuchImport { number: 3 },
            UndoRefusal::AlreadyUndone {
                number: 3,
                at: "2026-12-01".into(),
            },
            UndoRefusal::Depends {
                number: 3,
                dependants: vec![Dependant::LaterImport {
                    number: 4,
                    what: "JS001".into(),
                }],
                total: 2,
            },
            UndoRefusal::Locked {
                number: 3,
                group: None,
                round: Some("review".into()),
                reason: "公布".into(),
            },
            UndoRefusal::RecordChanged { number: 3 },
        ];
        for r in &refusals {
            let zh = (texts(Lang::Zh).refusal)(r);
            assert!(zh.contains("第 3 次导入"), "{zh}");
            assert_eq!((texts(Lang::En).refusal)(r), r.to_string());
        }
        let zh = (texts(Lang::Zh).refusal)(&refusals[2]);
        assert!(zh.contains("第 4 次导入又改了 JS001；等"), "{zh}");
    }
}
