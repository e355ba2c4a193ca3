//! `jury import list [--format json]` and `jury import undo N --reason R`: each calls
//! `app::import` (as the organiser's console does) and says what it did.

use std::io::Write;
use std::process::ExitCode;

use clap::ValueEnum;
use unicode_width::UnicodeWidthStr;

use crate::app::import::{UndoneImport, list_imports, undo_import};
use crate::app::{Actor, Store};
use crate::core::import_log::short_sha;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::i18n::cli_importlog::texts;

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

/// The time as the list shows it: `2026-12-01 16:58:03`.
fn short_time(at: &str) -> String {
    at.get(..19).unwrap_or(at).replacen('T', " ", 1)
}

pub(super) fn list(store: &Store, format: ListFormat, out: &mut dyn Write, lang: Lang) -> Result<ExitCode> {
    let imports = list_imports(store)?;
    let t = texts(lang);
    if format == ListFormat::Json {
        let list: Vec<serde_json::Value> = imports
            .iter()
            .map(|i| {
                serde_json::json!({
                    "number": i.number,
                    "at": i.at,
                    "kind": i.kind.as_str(),
                    "file": i.file,
                    "sha256": i.sha256,
                    "rows": i.rows,
                    "changes": i.changes,
                    "actor": i.actor,
                    "undone": i.undone.as_ref().map(|u| serde_json::json!({
                        "at": u.at, "by": u.by, "reason": u.reason
                    })),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::json!({ "imports": list }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if imports.is_empty() {
        writeln!(out, "{}", t.none)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows: Vec<[String; 8]> = vec![t.header.map(str::to_string)];
    for i in &imports {
        rows.push([
            i.number.to_string(),
            short_time(&i.at),
            (t.kind)(i.kind).to_string(),
            i.file.clone(),
            short_sha(&i.sha256).to_string(),
            i.rows.to_string(),
            i.actor.clone(),
            match &i.undone {
                Some(u) => (t.undone)(&short_time(&u.at), &u.by, &u.reason),
                None => t.active.to_string(),
            },
        ]);
    }
    let mut widths = [0usize; 8];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(w - cell.width() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn undo(
    store: &Store,
    actor: &Actor,
    number: i64,
    reason: &str,
    out: &mut dyn Write,
    lang: Lang,
) -> Result<ExitCode> {
    let t = texts(lang);
    match undo_import(store, actor, number, reason) {
        Ok(UndoneImport {
            number,
            kind,
            file,
            removed,
            restored,
        }) => {
            writeln!(out, "{}", (t.done)(number, kind, &file, removed, restored))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::ImportUndo(refusal)) => Err(Error::refused((t.refusal)(&refusal))),
        Err(e) => Err(e),
    }
}
