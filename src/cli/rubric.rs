//! `jury rubric diff FILE` and `jury rubric apply FILE --reason R [--rename OLD=NEW ...]`: each
//! calls `app::rubric_change` (as the organiser's console does) and says what it found or did.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};

use crate::app::rubric_change::{self, RubricFile};
use crate::app::{Actor, Store};
use crate::core::rubric_change::{Rename, RubricDiff, parse_rename};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::i18n::cli_rubricapply::{RubricTexts, diff_lines, texts};

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum RubricCommand {
    /// What changing the rubric to FILE would change, key by key, and which stored scores,
    /// sheets and entries each change touches; nothing is written.
    Diff {
        file: PathBuf,
        /// OLD=NEW: group OLD is renamed NEW (needed unless exactly one group name differs).
        #[arg(long = "rename", value_name = "OLD=NEW")]
        renames: Vec<String>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Make FILE the contest's rubric. Before the first score anything may change; after it,
    /// removing a round or criterion that holds scores, or a maximum or step a stored score would
    /// break, is refused naming those scores. Audited; the results are recomputed.
    Apply {
        file: PathBuf,
        /// Why (required): kept in the audit trail.
        #[arg(long)]
        reason: String,
        /// OLD=NEW: group OLD is renamed NEW, carrying its entries, panel and locks (inferred
        /// when the new rubric has as many groups and exactly one name differs).
        #[arg(long = "rename", value_name = "OLD=NEW")]
        renames: Vec<String>,
    },
}

impl RubricCommand {
    /// Whether it writes (and so is sent to `jury serve` when one runs on the workspace).
    pub fn writes(&self) -> bool {
        matches!(self, RubricCommand::Apply { .. })
    }

    /// The rubric file, to read from the client's folder when forwarded.
    pub fn file_mut(&mut self) -> &mut PathBuf {
        match self {
            RubricCommand::Diff { file, .. } | RubricCommand::Apply { file, .. } => file,
        }
    }
}

fn renames_of(texts: &[String]) -> Result<Vec<Rename>> {
    texts.iter().map(|t| parse_rename(t).map_err(Error::from)).collect()
}

/// The library's rubric refusals in the language of the command line.
fn translated(e: Error, t: &RubricTexts) -> Error {
    match e {
        Error::RubricChange(r) => Error::Refused((t.refusal)(&r)),
        other => other,
    }
}

fn diff_json(d: &RubricDiff, file: &str, t: &RubricTexts) -> serde_json::Value {
    serde_json::json!({
        "file": file,
        "changes": d.changes.iter().map(|c| serde_json::json!({
            "key": c.key,
            "old": c.old,
            "new": c.new,
            "scores": c.touches.scores,
            "sheets": c.touches.sheets,
            "entries": c.touches.entries,
        })).collect::<Vec<_>>(),
        "renames": d.renames.iter().map(|r| serde_json::json!({"old": r.old, "new": r.new})).collect::<Vec<_>>(),
        "incomplete_sheets": d.incomplete,
        "reopened_sheets": d.reopened.len(),
        "entries_missing_round": d.missing_round,
        "scored": d.scored,
        "refused": d.refusal.as_ref().map(|r| (t.refusal)(r)),
    })
}

pub fn rubric(store: &Store, actor: &Actor, cmd: RubricCommand, lang: Lang, out: &mut dyn Write) -> Result<ExitCode> {
    let t = texts(lang);
    store.rubric()?;
    match cmd {
        RubricCommand::Diff { file, renames, format } => {
            let new = rubric_change::read_rubric_file(&file)?;
            let renames = renames_of(&renames).map_err(|e| translated(e, t))?;
            let d = rubric_change::diff(store, &new, &renames).map_err(|e| translated(e, t))?;
            match format {
                DiffFormat::Json => {
                    let text = serde_json::to_string_pretty(&diff_json(&d, &new.file, t)).unwrap_or_default();
                    writeln!(out, "{text}")?;
                }
                DiffFormat::Text => {
                    let current = store.meta("rubric_file")?.unwrap_or_default();
                    for line in diff_lines(&d, &new.file, &current, t) {
                        writeln!(out, "{line}")?;
                    }
                }
            }
        }
        RubricCommand::Apply { file, reason, renames } => {
            let new: RubricFile = rubric_change::read_rubric_file(&file)?;
            let renames = renames_of(&renames).map_err(|e| translated(e, t))?;
            let done = rubric_change::apply(store, actor, &new, &reason, &renames).map_err(|e| translated(e, t))?;
            writeln!(out, "{}", (t.applied)(&new.file, done.version, done.diff.changes.len()))?;
            for r in &done.diff.renames {
                writeln!(out, "{}", (t.carried)(&r.old, &r.new))?;
            }
            if done.diff.incomplete > 0 {
                writeln!(out, "{}", (t.reopened)(done.diff.incomplete, done.diff.reopened.len()))?;
            }
            if done.diff.missing_round > 0 {
                writeln!(out, "{}", (t.missing_round)(done.diff.missing_round))?;
            }
            writeln!(out, "{}", t.recomputed)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::RubricCommand;
    use crate::cli::{Cli, Command};

    fn parsed(args: &[&str]) -> Command {
        Cli::try_parse_from(std::iter::once("jury").chain(args.iter().copied()))
            .unwrap()
            .command
            .unwrap()
    }

    #[test]
    fn apply_is_sent_to_jury_serve_with_the_file_from_the_clients_folder_and_diff_is_not() {
        let mut apply = parsed(&[
            "rubric",
            "apply",
            "new.toml",
            "--reason",
            "更正组名",
            "--rename",
            "甲=乙",
        ]);
        assert!(super::super::forwards(&apply));
        assert!(super::super::needs_organiser(&apply));
        assert_eq!(super::super::command_name(&apply), "rubric apply");
        let names = super::super::from_client_folder(&mut apply, std::path::Path::new("/home/org"));
        assert_eq!(names, Some(("/home/org/new.toml".into(), "new.toml".into())));
        match apply {
            Command::Rubric {
                action: Some(RubricCommand::Apply { file, renames, .. }),
                ..
            } => {
                assert_eq!(file, std::path::PathBuf::from("/home/org/new.toml"));
                assert_eq!(renames, vec!["甲=乙".to_string()]);
            }
            other => panic!("{other:?}"),
        }
        let diff = parsed(&["rubric", "diff", "new.toml", "--format", "json"]);
        assert!(!super::super::forwards(&diff));
        assert!(super::super::needs_organiser(&diff));
        // `jury rubric --template` stays the room's (no passphrase).
        assert!(!super::super::needs_organiser(&parsed(&[
            "rubric",
            "--template",
            "cases"
        ])));
    }
}
