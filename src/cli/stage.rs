//! The live stage, the projector and calibration from the command line.

use std::io::Write;
use std::process::ExitCode;

use clap::Subcommand;

use crate::app::stage::{self, Stage};
use crate::app::{Actor, Store};
use crate::error::Result;
use crate::i18n::Lang;
use crate::i18n::cli::{CliTexts, texts};

#[derive(Subcommand, Debug)]
pub enum StageCommand {
    /// Who is on stage, in which round, and which judges have submitted.
    Show,
    /// The next contestant in running order (出场顺序) within the group, same round.
    Next,
    /// The previous contestant in running order within the group, same round.
    Prev,
    /// Put ENTRY on stage (in --round, else the current round, else the first).
    Set {
        entry: String,
        /// The round, by id or name.
        #[arg(long)]
        round: Option<String>,
    },
    /// Keep the contestant, change the round (id or name).
    Round { round: String },
    /// Show the result on the projector (亮分). Refused until every judge who may score the
    /// contestant has submitted, unless --provisional.
    Reveal {
        /// Show it anyway, labelled provisional (暂定) with the number of judges still missing.
        #[arg(long)]
        provisional: bool,
    },
    /// Hide the result on the projector again.
    Hide,
}

#[derive(Subcommand, Debug)]
pub enum CalibrationCommand {
    /// Mark entries as calibration samples (试评): scored by every judge, never in the results.
    Add {
        #[arg(required = true)]
        entries: Vec<String>,
    },
    /// Return samples to the ordinary entries.
    Remove {
        #[arg(required = true)]
        entries: Vec<String>,
    },
    /// Each judge's total on every sample, the offset from the panel mean, and the mean offset.
    Show,
}

pub fn stage(store: &Store, actor: &Actor, cmd: StageCommand, out: &mut dyn Write, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    let rubric = store.rubric()?;
    let changed = match cmd {
        StageCommand::Show => None,
        StageCommand::Next => Some(stage::advance(store, actor, 1)?),
        StageCommand::Prev => Some(stage::advance(store, actor, -1)?),
        StageCommand::Set { entry, round } => {
            let round = match round {
                Some(r) => r,
                None => match stage::current(store)? {
                    Some(s) => s.round,
                    None => rubric.rounds.first().map(|r| r.id.clone()).unwrap_or_default(),
                },
            };
            Some(stage::set(store, actor, &entry, &round)?)
        }
        StageCommand::Round { round } => Some(stage::set_round(store, actor, &round)?),
        StageCommand::Reveal { provisional: false } => Some(stage::reveal(store, actor, true)?),
        StageCommand::Reveal { provisional: true } => Some(stage::reveal_provisional(store, actor)?),
        StageCommand::Hide => Some(stage::reveal(store, actor, false)?),
    };
    let Some(current) = changed.or(stage::current(store)?) else {
        writeln!(out, "{}", t.nothing_on_stage)?;
        return Ok(ExitCode::SUCCESS);
    };
    print_stage(store, &current, out, t)?;
    Ok(ExitCode::SUCCESS)
}

fn print_stage(store: &Store, current: &Stage, out: &mut dyn Write, t: &CliTexts) -> Result<()> {
    let rubric = store.rubric()?;
    let entry = store.entry(&current.entry)?;
    // A contestant's name, then the title of their piece when there is one.
    let (name, organization) = entry
        .as_ref()
        .map(|e| {
            let name = match (e.name.is_empty(), e.title.is_empty()) {
                (false, false) => format!("{} 《{}》", e.name, e.title),
                (false, true) => e.name.clone(),
                _ => e.title.clone(),
            };
            (name, e.organization.clone())
        })
        .unwrap_or_default();
    let round_name = rubric.round(&current.round).map(|r| r.name.as_str()).unwrap_or("");
    let subs = stage::submissions(store)?;
    let done = subs.iter().filter(|(_, s)| *s).count();
    let result = match (current.revealed, subs.len() - done) {
        (false, _) => t.result_hidden.to_string(),
        (true, 0) => t.result_revealed.to_string(),
        (true, missing) => (t.result_provisional)(missing, subs.len()),
    };
    writeln!(
        out,
        "{}",
        (t.on_stage)(
            &current.group,
            &current.entry,
            &name,
            &organization,
            &current.round,
            round_name,
            &result
        )
    )?;
    let list: Vec<String> = subs
        .iter()
        .map(|(j, s)| format!("{j} {}", if *s { t.judge_in } else { t.judge_waiting }))
        .collect();
    writeln!(out, "{}", (t.submitted_list)(done, subs.len(), &list.join(", ")))?;
    Ok(())
}

pub fn calibration(
    store: &Store,
    actor: &Actor,
    cmd: CalibrationCommand,
    out: &mut dyn Write,
    lang: Lang,
) -> Result<ExitCode> {
    let t = texts(lang);
    store.rubric()?;
    match cmd {
        CalibrationCommand::Add { entries } => {
            let n = crate::app::calibration::add(store, actor, &entries)?;
            writeln!(out, "{}", (t.calibration_added)(n))?;
        }
        CalibrationCommand::Remove { entries } => {
            let n = crate::app::calibration::remove(store, actor, &entries)?;
            writeln!(out, "{}", (t.calibration_removed)(n))?;
        }
        CalibrationCommand::Show => {
            let report = crate::app::calibration::report(store)?;
            let labels = match lang {
                Lang::Zh => {
                    let [no_samples, judge, panel_mean, mean_offset] = crate::i18n::cli_msgs::CALIBRATION_ZH;
                    crate::app::calibration::TableLabels {
                        no_samples,
                        judge,
                        panel_mean,
                        mean_offset,
                    }
                }
                Lang::En => crate::app::calibration::ENGLISH_LABELS,
            };
            write!(out, "{}", crate::app::calibration::report_table_with(&report, &labels))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
