//! The meeting room's commands: passphrase, panels and assignment, locks, reopening, shortlist.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::app::organiser;
use crate::app::{Actor, Store};
use crate::cli::prompt::read_secret;
use crate::core::shortlist::{Marks, Status, Targets};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::i18n::cli::{CliTexts, texts};

#[derive(Args, Debug)]
pub struct PasswdArgs {
    /// Set the organiser's passphrase. Once one is set the current one is needed (asked on the
    /// terminal, or JURY_ORGANISER_PASS / --organiser-pass); the new one is asked twice on the
    /// terminal, or taken from JURY_NEW_ORGANISER_PASS in scripts.
    #[arg(long, required = true)]
    pub organiser: bool,
    /// The passphrase is forgotten: set a new one without it. Only the operating-system owner of
    /// the workspace file may (Linux, macOS); recorded in the audit trail.
    #[arg(long)]
    pub reset: bool,
    /// Gone (refused with a hint): see JURY_NEW_ORGANISER_PASS.
    #[arg(long, hide = true, num_args = 0..=1, default_missing_value = "")]
    pub pass: Option<String>,
}

#[derive(Args, Debug)]
pub struct AssignArgs {
    /// Give this group its own panel (with --judges).
    #[arg(long, requires = "judges", conflicts_with = "per_entry")]
    pub group: Option<String>,
    /// The panel's judges, comma separated: PW01,PW02,…
    #[arg(long, value_delimiter = ',')]
    pub judges: Vec<String>,
    /// Give every entry this many reviewers, balancing load, never a conflicted one.
    #[arg(long)]
    pub per_entry: Option<usize>,
    /// OLD NEW: NEW takes OLD's open work (assignments without a submitted sheet, panel seats);
    /// refused when NEW is in conflict with one of those entries.
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], conflicts_with_all = ["group", "per_entry", "judges"])]
    pub replace: Vec<String>,
    /// Why (with --replace): kept in the audit trail.
    #[arg(long, default_value = "", requires = "replace")]
    pub reason: String,
    /// Assign even when the panel (or the reviewers per entry) is smaller than the rubric's
    /// min_judges, so that no entry could get a result.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct LockArgs {
    /// The group to lock (default: every group).
    #[arg(long)]
    pub group: Option<String>,
    /// The round to lock, by id or name (default: every round).
    #[arg(long)]
    pub round: Option<String>,
    /// Why: kept in the audit trail (required to unlock).
    #[arg(long, default_value = "")]
    pub reason: String,
    /// The phase (评审阶段) to write, as a check (default: the current one): an earlier phase is
    /// locked, so naming one is refused.
    #[arg(long, value_name = "NAME")]
    pub phase: Option<String>,
}

#[derive(Args, Debug)]
pub struct UnlockArgs {
    /// The group to unlock, as it was locked (default: the lock on every group).
    #[arg(long)]
    pub group: Option<String>,
    /// The round to unlock, by id or name, as it was locked (default: the lock on every round).
    #[arg(long)]
    pub round: Option<String>,
    /// Why the results may change again (required): kept in the audit trail.
    #[arg(long, default_value = "")]
    pub reason: String,
    /// The phase (评审阶段) to write, as a check (default: the current one): an earlier phase is
    /// locked, so naming one is refused.
    #[arg(long, value_name = "NAME")]
    pub phase: Option<String>,
}

impl From<UnlockArgs> for LockArgs {
    fn from(a: UnlockArgs) -> Self {
        LockArgs {
            group: a.group,
            round: a.round,
            reason: a.reason,
            phase: a.phase,
        }
    }
}

#[derive(Args, Debug)]
pub struct ReopenArgs {
    pub judge: String,
    pub entry: String,
    /// The round (id or name); may be left out when the rubric has one round.
    #[arg(long)]
    pub round: Option<String>,
    #[arg(long)]
    pub reason: String,
    /// The phase (评审阶段) of the sheet (default: the current one): an earlier phase's sheets are
    /// locked with it, so naming one is refused.
    #[arg(long, value_name = "NAME")]
    pub phase: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ShortlistCommand {
    /// Fill the targets by rank while respecting them, marking the proposed cases.
    Propose {
        /// Cases chosen overall (selected and shortlisted ones count).
        #[arg(long)]
        total: usize,
        /// At least this many per topic (group).
        #[arg(long, default_value_t = 0)]
        min_per_group: usize,
        /// At most this many from one county.
        #[arg(long)]
        max_per_county: Option<usize>,
        /// The batch (批次) to record.
        #[arg(long)]
        batch: Option<i64>,
        /// The status given to proposed cases: shortlisted (default) or selected.
        #[arg(long, default_value = "shortlisted")]
        status: String,
        /// Also propose cases that fail the formal check and the lower-ranked case of likely
        /// duplicates (held back by default).
        #[arg(long)]
        include_flagged: bool,
        /// The phase (评审阶段) to write, as a check (default: the current one): an earlier
        /// phase's statuses are locked, so naming one is refused.
        #[arg(long, value_name = "NAME")]
        phase: Option<String>,
    },
    /// Counts by status, group and county, the chosen cases, and the cases the formal check flags.
    Show {
        /// The phase (评审阶段) to show, e.g. 初评 (default: the current one).
        #[arg(long, value_name = "NAME")]
        phase: Option<String>,
    },
    /// Set the status (pending, shortlisted, selected, rejected) of cases.
    Set {
        #[arg(required = true)]
        entries: Vec<String>,
        #[arg(long)]
        status: String,
        #[arg(long)]
        batch: Option<i64>,
        /// The phase (评审阶段) to write, as a check (default: the current one): an earlier
        /// phase's statuses are locked, so naming one is refused.
        #[arg(long, value_name = "NAME")]
        phase: Option<String>,
    },
}

/// The organiser's typed refusals in English, through the same catalogue the console uses.
fn in_english(e: Error) -> Error {
    in_lang(Lang::En)(e)
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

/// The organiser's passphrase for `init`: the flag or environment, else asked when a person is at
/// the terminal, else none (the console stays locked until `jury passwd --organiser`).
pub fn organiser_pass_for_init(given: Option<String>, lang: Lang) -> Option<String> {
    given.or_else(|| ask_init_pass(&mut read_secret, &mut std::io::stderr(), lang))
}

/// `init`'s question for the organiser's passphrase with `ask`, in `lang`: typed twice; empty
/// skips it; a mismatch is said on `err` and sets none.
pub(crate) fn ask_init_pass(
    ask: &mut dyn FnMut(&str) -> Option<String>,
    err: &mut dyn Write,
    lang: Lang,
) -> Option<String> {
    let t = crate::i18n::cli_msgs::prompts(lang);
    let first = ask(t.init_pass)?;
    if first.is_empty() {
        return None;
    }
    let again = ask(t.init_repeat)?;
    if again == first {
        Some(first)
    } else {
        let _ = writeln!(err, "jury: {}", t.init_differ);
        None
    }
}

/// The new organiser passphrase for `passwd`: JURY_NEW_ORGANISER_PASS, else asked twice on the
/// terminal; refused (nothing changed) without either, or when the two differ.
fn new_organiser_pass(lang: Lang) -> Result<String> {
    match std::env::var("JURY_NEW_ORGANISER_PASS") {
        Ok(pass) => return Ok(pass),
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(crate::core::refusal::CommandRefusal::NewPassNotText.into());
        }
        Err(std::env::VarError::NotPresent) => {}
    }
    ask_new_pass(&mut read_secret, &mut std::io::stderr(), lang)
}

/// How many times the new passphrase is asked (too short, or the two typed differ) before giving up.
const NEW_PASS_TRIES: usize = 3;

/// The new passphrase asked on the terminal with `ask` (`None`: no terminal, or cancelled): typed
/// twice and compared; a mismatch or a too short one is said on `err` and asked again, at most
/// [`NEW_PASS_TRIES`] times.
pub(crate) fn ask_new_pass(
    ask: &mut dyn FnMut(&str) -> Option<String>,
    err: &mut dyn Write,
    lang: Lang,
) -> Result<String> {
    let t = crate::i18n::cli_smaller::texts(lang);
    for attempt in 1..=NEW_PASS_TRIES {
        let left = NEW_PASS_TRIES - attempt;
        let first = ask(t.new_pass).ok_or_else(|| Error::refused(t.pass_no_terminal))?;
        if organiser::organiser_pass_too_short(&first) {
            if left > 0 {
                writeln!(err, "{}", (t.pass_short_again)(organiser::MIN_ORGANISER_PASS, left))?;
            }
            continue;
        }
        let again = ask(t.repeat_pass).ok_or_else(|| Error::refused(t.pass_cancelled))?;
        if again == first {
            return Ok(first);
        }
        if left > 0 {
            writeln!(err, "{}", (t.pass_differ_again)(left))?;
        }
    }
    Err(Error::refused(t.pass_gave_up))
}

/// The new passphrase for `passwd` at `db`, asked before the command is carried out (here, or by
/// `jury serve`): with `--reset`, only once the workspace file's owner is known to be this user.
pub fn new_pass_for(args: &PasswdArgs, db: &std::path::Path, lang: Lang) -> Result<String> {
    let store = Store::open(db)?;
    store.rubric()?;
    if args.reset {
        // Said before the new one is typed twice.
        organiser::may_reset_organiser_pass(&store).map_err(in_english)?;
    }
    drop(store);
    new_organiser_pass(lang)
}

/// `passwd --organiser`: the current passphrase has been checked before (the command line's
/// gate), or, with `--reset`, the library lets only the workspace file's owner through.
pub fn passwd(
    store: &Store,
    actor: &Actor,
    args: PasswdArgs,
    new_pass: Option<String>,
    out: &mut dyn Write,
    lang: Lang,
) -> Result<ExitCode> {
    let t = texts(lang);
    store.rubric()?;
    let pass = new_pass.ok_or_else(|| Error::from(crate::core::refusal::CommandRefusal::NoNewPass))?;
    if args.reset {
        organiser::may_reset_organiser_pass(store).map_err(in_lang(lang))?;
        organiser::reset_organiser_pass(store, actor, &pass).map_err(in_lang(lang))?;
        writeln!(out, "{}", t.pass_reset)?;
        return Ok(ExitCode::SUCCESS);
    }
    organiser::set_organiser_pass(store, actor, &pass).map_err(in_lang(lang))?;
    writeln!(out, "{}", t.pass_set)?;
    Ok(ExitCode::SUCCESS)
}

pub fn assign(
    store: &Store,
    actor: &Actor,
    args: AssignArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    lang: Lang,
) -> Result<ExitCode> {
    let t = texts(lang);
    if let [old, new] = args.replace.as_slice() {
        return crate::cli::corrections::replace(store, actor, old, new, &args.reason, out, lang);
    }
    store.rubric()?;
    match (args.group, args.per_entry) {
        (Some(group), None) => {
            if organiser::assign_panel_checked(store, actor, &group, &args.judges, args.force)
                .map_err(in_lang(lang))?
                .is_some()
            {
                let z = crate::i18n::cli_zhlast::texts(lang);
                let distinct: std::collections::HashSet<&String> = args.judges.iter().collect();
                let needed = store.rubric()?.min_judges;
                let warning = (z.too_few)(&(z.panel_of)(&group), distinct.len(), needed);
                writeln!(err, "{}", (t.warning_forced)(&warning))?;
            }
            writeln!(out, "{}", (t.panel)(&group, args.judges.len(), &args.judges.join(", ")))?;
        }
        (None, Some(k)) => {
            let z = crate::i18n::cli_zhlast::texts(lang);
            if args.force && organiser::too_few_judges(store, k, z.each_entry)?.is_some() {
                let warning = (z.too_few)(z.each_entry, k, store.rubric()?.min_judges);
                writeln!(err, "{}", (t.warning_forced)(&warning))?;
            }
            let n = organiser::assign_per_entry(store, actor, k, args.force).map_err(in_lang(lang))?;
            writeln!(out, "{}", (t.assigned)(n, k))?;
            let mut load: std::collections::BTreeMap<String, usize> = Default::default();
            for (_, judges) in store.eligibility()?.per_entry {
                for j in judges {
                    *load.entry(j).or_default() += 1;
                }
            }
            for (j, n) in load {
                writeln!(out, "{j}\t{n}")?;
            }
        }
        _ => {
            return Err(crate::core::refusal::CommandRefusal::GiveAssignment.into());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A question asked on the terminal: the answer, `None` without one.
pub(crate) type Ask<'a> = &'a mut dyn FnMut(&str) -> Option<String>;

/// How many of the entries a lock would leave unscored are named one by one.
const UNSCORED_SHOWN: usize = 5;

/// Before `jury lock` is carried out (here, or sent to `jury serve`): the entries it would close
/// while sheets are still to come, from the library ([`crate::app::progress::unscored_for_lock`]),
/// said on standard error; on a terminal the organiser is asked (y/N), without one the lock goes on.
/// `Ok(false)`: the organiser said no.
pub fn confirm_lock(db: &std::path::Path, args: &LockArgs, lang: Lang) -> Result<bool> {
    // A reason the lock would refuse is said first, not after the question.
    crate::core::reason::check(&args.reason)?;
    let store = Store::open(db)?;
    // An earlier phase named is refused before anything is asked.
    crate::app::phases::ensure_writable(&store, args.phase.as_deref())?;
    // A refusal (an unknown group) keeps its type: the command line says it in its language.
    let unscored = crate::app::progress::unscored_for_lock(&store, args.group.as_deref(), args.round.as_deref())?;
    drop(store);
    let mut ask = crate::cli::prompt::read_answer;
    let ask: Option<Ask<'_>> = if crate::cli::prompt::interactive() {
        Some(&mut ask)
    } else {
        None
    };
    warn_unscored(&unscored, args, lang, ask, &mut std::io::stderr())
}

/// The pure part of [`confirm_lock`]: the warning on `err`, then the question through `ask` (a
/// terminal) or none (the lock goes on). Only `y` or `yes` (是) locks.
pub(crate) fn warn_unscored(
    unscored: &[crate::app::progress::Unscored],
    args: &LockArgs,
    lang: Lang,
    ask: Option<Ask<'_>>,
    err: &mut dyn Write,
) -> Result<bool> {
    if unscored.is_empty() {
        return Ok(true);
    }
    let t = crate::i18n::cli_smaller::texts(lang);
    let mut entries: Vec<&str> = unscored.iter().map(|u| u.entry.as_str()).collect();
    entries.sort_unstable();
    entries.dedup();
    let sheets: usize = unscored.iter().map(|u| u.missing.len()).sum();
    // The round by its name, as the lines below name it (every entry here is of that round).
    let round = match args.round.as_deref() {
        Some(_) => unscored[0].round_name.as_str(),
        None => t.every,
    };
    let target = format!("{} / {round}", args.group.as_deref().unwrap_or(t.every));
    writeln!(err, "{}", (t.lock_unscored)(entries.len(), sheets, &target))?;
    for u in unscored.iter().take(UNSCORED_SHOWN) {
        writeln!(
            err,
            "{}",
            (t.lock_unscored_line)(&u.entry, &u.group, &u.round_name, &u.missing.join(" "))
        )?;
    }
    if unscored.len() > UNSCORED_SHOWN {
        writeln!(err, "{}", (t.lock_unscored_more)(unscored.len() - UNSCORED_SHOWN))?;
    }
    match ask {
        None => {
            writeln!(err, "{}", t.lock_goes_on)?;
            Ok(true)
        }
        Some(ask) => {
            let answer = ask(t.lock_ask).unwrap_or_default();
            Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes" | "是"))
        }
    }
}

pub fn lock(
    store: &Store,
    actor: &Actor,
    args: LockArgs,
    unlock: bool,
    out: &mut dyn Write,
    lang: Lang,
) -> Result<ExitCode> {
    let t = texts(lang);
    let rubric = store.rubric()?;
    let (g, r) = (args.group.as_deref(), args.round.as_deref());
    // The round by its name, however it was typed.
    let round_name = r.map(|r| rubric.round(r).map_or(r, |round| round.name.as_str()).to_string());
    let shown = (g.unwrap_or("*"), round_name.as_deref().unwrap_or("*"));
    if unlock {
        organiser::unlock(store, actor, g, r, &args.reason).map_err(in_lang(lang))?;
        writeln!(out, "{}", (t.unlocked)(shown.0, shown.1))?;
    } else {
        organiser::lock(store, actor, g, r, &args.reason).map_err(in_lang(lang))?;
        writeln!(out, "{}", (t.locked)(shown.0, shown.1))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reopen(store: &Store, actor: &Actor, args: ReopenArgs, out: &mut dyn Write, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    store.rubric()?;
    let round = match args.round {
        Some(r) => r,
        None => {
            let rubric = store.rubric()?;
            if rubric.rounds.len() != 1 {
                return Err(Error::refused(t.give_round));
            }
            rubric.rounds[0].id.clone()
        }
    };
    organiser::reopen(store, actor, &args.judge, &args.entry, &round, &args.reason).map_err(in_lang(lang))?;
    let round = store.rubric()?.round(&round).map_or(round.clone(), |r| r.name.clone());
    writeln!(out, "{}", (t.reopened)(&args.judge, &args.entry, &round))?;
    Ok(ExitCode::SUCCESS)
}

fn parse_status(s: &str, t: &CliTexts) -> Result<Status> {
    Status::parse(s).ok_or_else(|| Error::refused((t.unknown_status)(s)))
}

pub fn shortlist(
    store: &Store,
    actor: &Actor,
    cmd: ShortlistCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
    lang: Lang,
) -> Result<ExitCode> {
    let t = texts(lang);
    store.rubric()?;
    match cmd {
        ShortlistCommand::Propose {
            total,
            min_per_group,
            max_per_county,
            batch,
            status,
            include_flagged,
            phase: _,
        } => {
            let targets = Targets {
                total,
                min_per_group,
                max_per_county,
            };
            let p = organiser::shortlist_propose(
                store,
                actor,
                &targets,
                parse_status(&status, t)?,
                batch,
                include_flagged,
            )
            .map_err(in_lang(lang))?;
            writeln!(out, "{}", (t.proposed)(p.picked.len()))?;
            show(store, &targets, out, t)?;
            if !p.unmet.is_empty() {
                for u in &p.unmet {
                    writeln!(err, "{}", (t.target_not_met)(&u.to_string()))?;
                }
                return Ok(ExitCode::FAILURE);
            }
        }
        ShortlistCommand::Show { phase } => {
            let read = crate::app::phases::read_phase(store, phase.as_deref())?;
            show(&read, &Targets::default(), out, t)?
        }
        ShortlistCommand::Set {
            entries,
            status,
            batch,
            phase: _,
        } => {
            let st = parse_status(&status, t)?;
            organiser::shortlist_set(store, actor, &entries, st, batch).map_err(in_lang(lang))?;
            let name = if lang == Lang::Zh { st.chinese() } else { st.as_str() };
            writeln!(out, "{}", (t.now_status)(entries.len(), name))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Counts of chosen (shortlisted or selected) cases by group and county, as bars.
fn show(store: &Store, targets: &Targets, out: &mut dyn Write, t: &CliTexts) -> Result<()> {
    use crate::core::text::{pad, pad_left};
    let rubric = store.rubric()?;
    let entries = store.entries()?;
    let statuses = store.shortlist()?;
    let status_of = |id: &str| statuses.get(id).map_or(Status::Pending, |(s, _)| *s);
    let chosen: Vec<&crate::core::Entry> = entries
        .iter()
        .filter(|e| matches!(status_of(&e.id), Status::Selected | Status::Shortlisted))
        .collect();
    for st in Status::ALL {
        let n = entries.iter().filter(|e| status_of(&e.id) == st).count();
        writeln!(out, "{}\t{n}", st.as_str())?;
    }
    let bar = |n: usize| "#".repeat(n.min(60));
    writeln!(out, "{}", (t.by_group)(targets.min_per_group))?;
    for g in &rubric.groups {
        let n = chosen.iter().filter(|e| e.group.as_deref() == Some(g.as_str())).count();
        writeln!(out, "  {} {} {}", pad(g, 14), pad_left(&n.to_string(), 4), bar(n))?;
    }
    let mut counties: Vec<&str> = chosen.iter().map(|e| e.county.as_str()).collect();
    counties.sort_unstable();
    counties.dedup();
    writeln!(out, "{}", (t.by_county)(targets.max_per_county))?;
    for c in counties {
        let n = chosen.iter().filter(|e| e.county == c).count();
        writeln!(out, "  {} {} {}", pad(c, 14), pad_left(&n.to_string(), 4), bar(n))?;
    }
    // The chosen cases themselves, then the flagged ones not chosen: id, title, status, batch, marks.
    let tally = crate::app::tally::compute_tally(store, None)?;
    let marks = organiser::case_marks(store, &tally)?;
    let finals = organiser::ranked_finals(&tally);
    let line = |out: &mut dyn Write, e: &crate::core::Entry| -> Result<()> {
        let (status, batch) = statuses.get(&e.id).copied().unwrap_or((Status::Pending, None));
        let mut cells = vec![
            e.id.clone(),
            crate::search::one_line(&e.title),
            (crate::i18n::cli_zhlast::texts(t.lang).status)(status).to_string(),
            batch.map_or_else(|| "-".to_string(), t.batch),
        ];
        if let Some(m) = marks.get(&e.id) {
            cells.push(mark_text(m, t.lang));
        }
        writeln!(out, "  {}", cells.join("\t"))?;
        Ok(())
    };
    let by_rank = |list: &mut Vec<&crate::core::Entry>| {
        list.sort_by(|a, b| {
            let batch = |e: &crate::core::Entry| statuses.get(&e.id).and_then(|(_, b)| *b).unwrap_or(i64::MAX);
            batch(a)
                .cmp(&batch(b))
                .then_with(|| finals.get(&b.id).cmp(&finals.get(&a.id)))
                .then_with(|| a.id.cmp(&b.id))
        });
    };
    let mut chosen = chosen;
    by_rank(&mut chosen);
    writeln!(out, "{}", (t.chosen_cases)(chosen.len()))?;
    for e in &chosen {
        line(out, e)?;
    }
    let mut flagged: Vec<&crate::core::Entry> = entries
        .iter()
        .filter(|e| marks.contains_key(&e.id) && !matches!(status_of(&e.id), Status::Selected | Status::Shortlisted))
        .collect();
    by_rank(&mut flagged);
    if !flagged.is_empty() {
        writeln!(out, "{}", (t.flagged_not_chosen)(flagged.len()))?;
        for e in &flagged {
            line(out, e)?;
        }
    }
    Ok(())
}

/// The marks of a case in `shortlist show`, in `lang` (English keeps the Chinese words organisers
/// use).
fn mark_text(m: &Marks, lang: Lang) -> String {
    let z = crate::i18n::cli_zhlast::texts(lang);
    let mut parts = Vec::new();
    if m.failed_formal_check() {
        let sections: Vec<&str> = m
            .formal
            .iter()
            .map(|s| if lang == Lang::Zh { s.chinese() } else { s.id() })
            .collect();
        parts.push((z.mark_formal)(&sections.join(", ")));
    }
    if m.likely_duplicate() {
        parts.push((z.mark_duplicate)(&m.duplicates.join(", "), m.lower_duplicate));
    }
    if m.held() {
        parts.push(z.mark_held.to_string());
    }
    parts.join("; ")
}

/// `jury unpause JUDGE`: the organiser lifts a judge's login pause ([`crate::app::login::lift_pause`]).
pub fn unpause(store: &Store, actor: &Actor, judge: &str, out: &mut dyn Write, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    store.rubric()?;
    let lifted = crate::app::login::lift_pause(store, actor, judge).map_err(in_lang(lang))?;
    if lifted.was_paused {
        writeln!(out, "{}", (t.unpaused)(&lifted.judge))?;
    } else {
        writeln!(out, "{}", (t.not_paused)(&lifted.judge))?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod smaller_tests {
    use super::*;

    /// A scripted terminal: the answers in order, then `None` (cancelled).
    fn script(answers: &[&str]) -> impl FnMut(&str) -> Option<String> {
        let mut answers: Vec<String> = answers.iter().rev().map(|a| a.to_string()).collect();
        move |_| answers.pop()
    }

    #[test]
    fn the_new_passphrase_is_asked_again_on_a_mismatch_or_when_too_short() {
        let mut err = Vec::new();
        let mut ask = script(&["abc", "kaimen-2026", "kaimen-2027", "kaimen-2026", "kaimen-2026"]);
        let pass = ask_new_pass(&mut ask, &mut err, Lang::En).unwrap();
        assert_eq!(pass, "kaimen-2026");
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.contains("at least 6 characters; type another (2 tries left)"),
            "{err}"
        );
        assert!(err.contains("differ; type them again (1 tries left)"), "{err}");
    }

    #[test]
    fn three_failed_tries_change_nothing_and_say_so_in_chinese() {
        let mut err = Vec::new();
        let mut ask = script(&["kaimen-1", "kaimen-2", "short", "kaimen-3", "kaimen-4"]);
        let e = ask_new_pass(&mut ask, &mut err, Lang::Zh).unwrap_err();
        assert_eq!(e.to_string(), "三次都未能设定口令，未做任何更改");
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.contains("两次输入的口令不一致，请重新输入（还可尝试 2 次）"),
            "{err}"
        );
        assert!(
            err.contains("组织者口令至少需要 6 个字符，请重新输入（还可尝试 1 次）"),
            "{err}"
        );
    }

    #[test]
    fn init_asks_for_the_passphrase_in_the_locale() {
        let mut asked = Vec::new();
        let mut err = Vec::new();
        let mut answers = vec!["kaimen-2027".to_string(), "kaimen-2026".to_string()];
        let mut ask = |p: &str| {
            asked.push(p.to_string());
            answers.pop()
        };
        assert_eq!(ask_init_pass(&mut ask, &mut err, Lang::Zh), None);
        assert_eq!(
            asked,
            [
                "组织者口令（直接按回车跳过，之后可用 `jury passwd --organiser` 设置）：",
                "再输入一次："
            ]
        );
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "jury: 两次输入的口令不一致，未设置口令\n"
        );
        let mut err = Vec::new();
        let mut ask = script(&["kaimen-2026", "kaimen-2026"]);
        assert_eq!(
            ask_init_pass(&mut ask, &mut err, Lang::En).as_deref(),
            Some("kaimen-2026")
        );
        let mut asked = Vec::new();
        let mut ask = |p: &str| {
            asked.push(p.to_string());
            Some(String::new())
        };
        assert_eq!(ask_init_pass(&mut ask, &mut err, Lang::En), None);
        assert_eq!(
            asked,
            ["Organiser passphrase (Enter to skip, set later with `jury passwd --organiser`): "]
        );
    }

    #[test]
    fn no_terminal_is_refused_as_before() {
        let mut err = Vec::new();
        let e = ask_new_pass(&mut |_| None, &mut err, Lang::En).unwrap_err();
        assert!(e.to_string().contains("JURY_NEW_ORGANISER_PASS"), "{e}");
        assert!(err.is_empty());
    }

    fn unscored(entry: &str, missing: &[&str]) -> crate::app::progress::Unscored {
        crate::app::progress::Unscored {
            entry: entry.into(),
            group: "教师组".into(),
            round: "lesson".into(),
            round_name: "现场说课".into(),
            missing: missing.iter().map(|m| m.to_string()).collect(),
        }
    }

    fn args() -> LockArgs {
        LockArgs {
            group: Some("教师组".into()),
            round: None,
            reason: String::new(),
            phase: None,
        }
    }

    #[test]
    fn a_lock_with_unscored_entries_warns_names_the_first_few_and_asks() {
        let list: Vec<_> = (1..=7)
            .map(|i| unscored(&format!("JS00{i}"), &["PW01", "PW02"]))
            .collect();
        let mut err = Vec::new();
        let mut asked = Vec::new();
        let mut ask = |q: &str| {
            asked.push(q.to_string());
            Some("n".to_string())
        };
        assert!(!warn_unscored(&list, &args(), Lang::Zh, Some(&mut ask), &mut err).unwrap());
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.contains("注意：教师组 / 全部 还有 7 个作品/选手未评完（14 份评分表未提交）"),
            "{err}"
        );
        assert!(err.contains("  JS001  教师组 / 现场说课：PW01 PW02"), "{err}");
        assert!(err.contains("JS005") && !err.contains("JS006"), "{err}");
        assert!(err.contains("另有 2 个"), "{err}");
        assert_eq!(asked, vec!["仍要锁定吗？锁定后这些评委不能再提交。[y/N] ".to_string()]);
        let mut yes = |_: &str| Some("y".to_string());
        assert!(warn_unscored(&list, &args(), Lang::Zh, Some(&mut yes), &mut Vec::new()).unwrap());
    }

    #[test]
    fn without_a_terminal_the_lock_warns_and_goes_on_and_nothing_unscored_says_nothing() {
        let mut err = Vec::new();
        assert!(warn_unscored(&[unscored("JS001", &["PW03"])], &args(), Lang::En, None, &mut err).unwrap());
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.contains("Warning: 教师组 / every still has 1 entries with sheets to come"),
            "{err}"
        );
        assert!(err.contains("Locking anyway (no terminal to ask on)."), "{err}");
        let mut err = Vec::new();
        assert!(warn_unscored(&[], &args(), Lang::En, None, &mut err).unwrap());
        assert!(err.is_empty());
    }
}

#[cfg(test)]
mod zhlast_tests {
    use super::*;
    use crate::core::rubric::Section;

    /// Issue 17: `shortlist show`'s marks and statuses follow the language (they were English
    /// with Chinese words under zh too).
    #[test]
    fn the_shortlists_marks_and_statuses_are_said_in_chinese() {
        let m = Marks {
            formal: vec![Section::Background, Section::Outcome],
            duplicates: vec!["AL20250008".into()],
            lower_duplicate: true,
        };
        assert_eq!(
            mark_text(&m, Lang::Zh),
            "形式审查未通过：背景介绍, 结果评估 缺失或过短; 疑似重复：与 AL20250008 重复，排名较低; \
             暂不提议（加 --include-flagged 才提议）"
        );
        assert_eq!(
            mark_text(&m, Lang::En),
            "failed formal check (形式审查未通过): background, outcome missing or too short; likely duplicate \
             (疑似重复) of AL20250008, ranked lower; held back (--include-flagged)"
        );
        let z = crate::i18n::cli_zhlast::texts(Lang::Zh);
        assert_eq!((z.status)(Status::Shortlisted), "入围");
        assert_eq!(
            (crate::i18n::cli_zhlast::texts(Lang::En).status)(Status::Pending),
            "pending"
        );
    }
}
