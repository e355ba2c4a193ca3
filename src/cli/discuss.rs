//! `jury discuss open|close|list`: discussion after scoring. Each calls `app::discussion` (as the
//! organiser's console does) and says what it did, in the language of the locale.

use std::io::Write;
use std::process::ExitCode;

use clap::Subcommand;

use crate::app::discussion;
use crate::app::{Actor, Store};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::i18n::cli_discuss::{DiscussTexts, texts};

#[derive(Subcommand, Debug)]
pub enum DiscussCommand {
    /// Put entries under discussion: the judges who submitted one see the panel's totals, each
    /// judge's marks and the comments (by id, or as 评委1, 评委2 ..., as the rubric's
    /// `discussion` says). Refused when the rubric says discussion = "off".
    Open {
        /// The entries' ids.
        #[arg(required_unless_present = "flagged", conflicts_with = "flagged")]
        entries: Vec<String>,
        /// Every entry the tally flags 分差过大 (a judge's total further than `deviation` from
        /// the round's median).
        #[arg(long)]
        flagged: bool,
        /// With --flagged: only this group's entries.
        #[arg(long, requires = "flagged")]
        group: Option<String>,
    },
    /// End the discussion of these entries (no ids: of every entry under discussion).
    Close { entries: Vec<String> },
    /// The entries under discussion.
    List,
}

/// A refusal of the library in the locale's language.
fn translated(t: &DiscussTexts, e: Error) -> Error {
    match e {
        Error::Discussion(refusal) => Error::Refused((t.refusal)(&refusal)),
        other => other,
    }
}

pub fn discuss(store: &Store, actor: &Actor, cmd: DiscussCommand, out: &mut dyn Write, lang: Lang) -> Result<ExitCode> {
    let rubric = store.rubric()?;
    let t = texts(lang);
    let join = |ids: &[String]| ids.join(t.sep);
    match cmd {
        DiscussCommand::Open {
            entries,
            flagged,
            group,
        } => {
            let done = if flagged {
                discussion::open_flagged(store, actor, group.as_deref())
            } else {
                discussion::open(store, actor, &entries)
            }
            .map_err(|e| translated(t, e))?;
            if !done.changed.is_empty() {
                writeln!(out, "{}", (t.opened)(&join(&done.changed)))?;
            }
            if !done.unchanged.is_empty() {
                writeln!(out, "{}", (t.already_open)(&join(&done.unchanged)))?;
            }
        }
        DiscussCommand::Close { entries } => {
            let done = discussion::close(store, actor, &entries).map_err(|e| translated(t, e))?;
            if !done.changed.is_empty() {
                writeln!(out, "{}", (t.closed)(&join(&done.changed)))?;
            }
            if !done.unchanged.is_empty() {
                writeln!(out, "{}", (t.not_open)(&join(&done.unchanged)))?;
            }
            if done.changed.is_empty() && done.unchanged.is_empty() {
                writeln!(out, "{}", t.none_open)?;
            }
        }
        DiscussCommand::List => {
            let list = discussion::list(store)?;
            if list.is_empty() {
                writeln!(out, "{}", t.none_open)?;
            } else {
                writeln!(out, "{}", (t.list_head)(list.len()))?;
                for d in &list {
                    writeln!(out, "{}\t{}\t{}", d.id, d.title, d.group.as_deref().unwrap_or(""))?;
                }
            }
            writeln!(out, "{}", (t.mode)(rubric.discussion.as_str()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
