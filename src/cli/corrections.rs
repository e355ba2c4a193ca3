//! Corrections after the fact: `jury entry withdraw|restore`, `jury judge remove`,
//! `jury assign --replace OLD NEW`, `jury score remove`. Each calls `app::corrections` (as the
//! organiser's console does) and says what it did.

use std::io::Write;
use std::process::ExitCode;

use clap::Subcommand;

use crate::app::corrections;
use crate::app::{Actor, Store};
use crate::core::withdrawal::WithdrawalKind;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::i18n::cli::texts;

#[derive(Subcommand, Debug)]
pub enum EntryCommand {
    /// Take an entry out of the ranking (弃权, or 取消资格 with --kind disqualified): it keeps its
    /// record and scores and is listed as withdrawn, with the reason, in the tally and printouts.
    Withdraw {
        entry: String,
        /// withdrawn (弃权, the default) or disqualified (取消资格).
        #[arg(long, default_value = "withdrawn", value_parser = ["withdrawn", "disqualified"])]
        kind: String,
        /// Why (required): kept in the audit trail and printed with the entry.
        #[arg(long)]
        reason: String,
    },
    /// Bring a withdrawn entry back into the ranking.
    Restore {
        entry: String,
        /// Why (required): kept in the audit trail.
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum JudgeCommand {
    /// Remove a judge (illness, a late conflict): off every panel and assignment, their drafts
    /// deleted, their submitted sheets kept unless --drop-submitted. The id stays taken and can
    /// no longer log in; `jury assign --replace OLD NEW` hands their open work to another judge.
    Remove {
        judge: String,
        /// Also delete the judge's submitted sheets (they no longer count).
        #[arg(long)]
        drop_submitted: bool,
        /// Why (required): kept in the audit trail.
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ScoreCommand {
    /// Remove a wrongly entered score (one criterion, or the whole sheet without --criterion);
    /// the sheet becomes a draft (a submitted one no longer counts until submitted again).
    Remove {
        judge: String,
        entry: String,
        /// The round (id or name); may be left out when the rubric has one round.
        #[arg(long)]
        round: Option<String>,
        /// The criterion (id or name); without it, every score of the sheet.
        #[arg(long)]
        criterion: Option<String>,
        /// Why (required): kept in the audit trail with the old value.
        #[arg(long)]
        reason: String,
        /// The phase (评审阶段) of the sheet, as a check (default: the current one): an earlier
        /// phase is locked, so naming one is refused.
        #[arg(long, value_name = "NAME")]
        phase: Option<String>,
    },
}

/// The organiser's typed refusals in `lang`, through the same catalogue the console uses.
fn in_lang(lang: Lang) -> impl Fn(Error) -> Error {
    move |e| match e {
        Error::Organiser(refusal) => Error::Refused((crate::i18n::console::texts(lang == Lang::Zh).organiser_refusal)(
            &refusal,
        )),
        other => other,
    }
}

pub fn entry(store: &Store, actor: &Actor, cmd: EntryCommand, out: &mut dyn Write, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    let in_english = in_lang(lang);
    store.rubric()?;
    match cmd {
        EntryCommand::Withdraw { entry, kind, reason } => {
            let kind = WithdrawalKind::parse(&kind).ok_or_else(|| Error::refused((t.unknown_kind)(&kind)))?;
            corrections::withdraw_entry(store, actor, &entry, kind, &reason).map_err(&in_english)?;
            writeln!(out, "{}", (t.withdrawn)(&entry, kind.as_str(), kind.zh()))?;
        }
        EntryCommand::Restore { entry, reason } => {
            let was = corrections::restore_entry(store, actor, &entry, &reason).map_err(&in_english)?;
            writeln!(out, "{}", (t.restored)(&entry, was.as_str()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn judge(store: &Store, actor: &Actor, cmd: JudgeCommand, out: &mut dyn Write, lang: Lang) -> Result<ExitCode> {
    let t = crate::i18n::cli_msgs::corrections(lang);
    let in_english = in_lang(lang);
    store.rubric()?;
    match cmd {
        JudgeCommand::Remove {
            judge,
            drop_submitted,
            reason,
        } => {
            let done = corrections::remove_judge(store, actor, &judge, drop_submitted, &reason).map_err(in_english)?;
            let submitted = if drop_submitted {
                done.submitted_dropped
            } else {
                done.submitted_kept
            };
            writeln!(
                out,
                "{}",
                (t.judge_removed)(&judge, done.drafts_dropped, submitted, drop_submitted)
            )?;
            if !done.open_entries.is_empty() || !done.panels.is_empty() {
                writeln!(
                    out,
                    "{}",
                    (t.open_work_left)(&judge, done.open_entries.len(), &done.panels.join(", "))
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `jury assign --replace OLD NEW`.
pub fn replace(
    store: &Store,
    actor: &Actor,
    old: &str,
    new: &str,
    reason: &str,
    out: &mut dyn Write,
    lang: Lang,
) -> Result<ExitCode> {
    let t = crate::i18n::cli_msgs::corrections(lang);
    let done = corrections::replace_judge(store, actor, old, new, reason).map_err(in_lang(lang))?;
    writeln!(
        out,
        "{}",
        (t.replaced)(
            new,
            old,
            done.entries.len(),
            &done.entries.join(", "),
            &done.panels.join(", ")
        )
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn score(store: &Store, actor: &Actor, cmd: ScoreCommand, out: &mut dyn Write, lang: Lang) -> Result<ExitCode> {
    let t = crate::i18n::cli_msgs::corrections(lang);
    let in_english = in_lang(lang);
    store.rubric()?;
    match cmd {
        ScoreCommand::Remove {
            judge,
            entry,
            round,
            criterion,
            reason,
            phase: _,
        } => {
            let round = match round {
                Some(r) => r,
                None => {
                    let rubric = store.rubric()?;
                    if rubric.rounds.len() != 1 {
                        return Err(crate::core::refusal::CommandRefusal::GiveRound.into());
                    }
                    rubric.rounds[0].id.clone()
                }
            };
            let done = corrections::remove_score(store, actor, &judge, &entry, &round, criterion.as_deref(), &reason)
                .map_err(in_english)?;
            let what = match &criterion {
                Some(c) => (t.one_score)(c, &done.old.to_string()),
                None => (t.all_scores)(done.removed, &done.old.to_string()),
            };
            // The round by its name in Chinese, by its id in English (as before).
            let round_shown = match lang {
                Lang::Zh => store.rubric()?.round(&round).map_or(round.clone(), |r| r.name.clone()),
                Lang::En => round.clone(),
            };
            writeln!(
                out,
                "{}",
                (t.score_removed)(&what, &judge, &entry, &round_shown, done.was_submitted)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
