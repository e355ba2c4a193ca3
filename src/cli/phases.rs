//! `jury phase list|start|drop` (selection in phases, 评审阶段): parse, call `app::phases`, print.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::app::{Actor, Store};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::i18n::cli_phases::texts;

#[derive(Subcommand, Debug)]
pub enum PhaseCommand {
    /// The phases, first to newest: the newest is current; the earlier ones are locked.
    List,
    /// Start the next phase with the current phase's entries of one status (入围 etc.): the
    /// current phase is locked and stays readable with --phase.
    Start {
        /// The new phase's name, e.g. 复评 or 决赛.
        name: String,
        /// The status of the entries it takes: shortlisted (入围), selected (入选), rejected
        /// (未入选) or pending (待定).
        #[arg(long, value_name = "STATUS")]
        take: String,
        /// Its own rubric (TOML); every taken entry's group must be in it. Default: the same.
        #[arg(long, value_name = "FILE")]
        rubric: Option<PathBuf>,
    },
    /// Drop the newest phase while it has no scores: the one before is current again.
    Drop {
        /// Why (required): kept in the audit trail.
        #[arg(long)]
        reason: String,
    },
}

/// A phase refusal in the language of the command line; any other error as it is.
pub fn translated(e: Error, lang: Lang) -> Error {
    match e {
        Error::Phase(r) => Error::refused((texts(lang).refusal)(&r)),
        other => other,
    }
}

pub fn phase(store: &Store, actor: &Actor, cmd: PhaseCommand, lang: Lang, out: &mut dyn Write) -> Result<ExitCode> {
    let t = texts(lang);
    match cmd {
        PhaseCommand::List => {
            let phases = crate::app::phases::list(store)?;
            let newest = phases.last().map(|p| p.seq);
            for p in &phases {
                writeln!(out, "{}", (t.row)(p, Some(p.seq) == newest))?;
            }
        }
        PhaseCommand::Start { name, take, rubric } => {
            let source = match &rubric {
                Some(path) => Some((
                    path.display().to_string(),
                    std::fs::read_to_string(path).map_err(|e| {
                        Error::from(crate::core::refusal::FileRefusal::CannotRead {
                            path: path.to_path_buf(),
                            detail: e.to_string(),
                        })
                    })?,
                )),
                None => None,
            };
            let started = crate::app::phases::start(
                store,
                actor,
                &name,
                &take,
                source.as_ref().map(|(f, s)| (f.as_str(), s.as_str())),
            )
            .map_err(|e| translated(e, lang))?;
            let status = match lang {
                Lang::Zh => started.take.chinese(),
                Lang::En => started.take.as_str(),
            };
            writeln!(
                out,
                "{}",
                (t.started)(&started.phase, &started.previous, started.taken, status)
            )?;
        }
        PhaseCommand::Drop { reason } => {
            let (dropped, back) =
                crate::app::phases::drop_newest(store, actor, &reason).map_err(|e| translated(e, lang))?;
            writeln!(out, "{}", (t.dropped)(&dropped, &back))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
