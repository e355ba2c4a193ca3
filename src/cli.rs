//! The command line: parse, call the library, print. Nothing here decides a result.

mod bench;
mod corrections;
mod discuss;
mod imports;
mod phases;
mod printing;
mod progress;
pub mod prompt;
mod room;
mod rubric;
mod stage;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::app::import::{
    JudgeImportOptions, ScoreImport, ScoreImportOptions, import_entries_file, import_judges_file, import_scores_file,
};
use crate::app::tally::{compute_tally, tally_with_inputs};
use crate::app::{Actor, Store};
use crate::core::check::{Finding, formal_check};
use crate::core::rubric::{TEMPLATES, template_source};
use crate::error::{Error, Result};
use crate::export;
use crate::i18n::Lang;
use crate::i18n::cli::{CliTexts, texts};

#[derive(Parser, Debug)]
#[command(
    name = "jury",
    version,
    about = "Scoring for judging panels: typical-case selection and live skills competitions",
    long_about = "Scoring for judging panels: typical-case selection (典型案例遴选) and live skills \
                  competitions (技能大赛).\n\nStart with `jury demo` to see it working, or set up a contest:\n  \
                  jury init --template competition\n  jury import entries contestants.csv\n  \
                  jury import judges judges.csv\n  jury import scores scores.csv\n  jury tally"
)]
pub struct Cli {
    /// The workspace file (one per contest). Default: jury/workspace.jury in your data folder.
    #[arg(long, global = true, env = "JURY_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The language of the screens and of the command line: zh or en (default: Chinese when
    /// LC_ALL, LC_MESSAGES or LANG is zh_*).
    #[arg(long, global = true, value_parser = ["zh", "en"])]
    pub lang: Option<String>,

    /// With no subcommand: open the judges' screen with this judge chosen (the PIN is still asked).
    #[arg(long, value_name = "ID")]
    pub judge: Option<String>,

    /// With no subcommand: open the organiser's console (progress, live tally, reopen and lock,
    /// shortlist, statistics, exports, stage) after the organiser passphrase.
    #[arg(long, conflicts_with = "judge")]
    pub organiser: bool,

    /// The organiser's passphrase. Once one is set, every command needs it but `show`, `find`,
    /// `verify-print`, `rubric --template`, `demo` and the judges' screen; it is asked on a
    /// terminal. With `init`: the first passphrase. Prefer JURY_ORGANISER_PASS in scripts (a flag
    /// is seen by every account on the machine in the list of processes).
    #[arg(
        long,
        global = true,
        env = "JURY_ORGANISER_PASS",
        hide_env_values = true,
        value_name = "PASS"
    )]
    pub organiser_pass: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a contest in the workspace from a built-in template or a rubric file.
    Init(InitArgs),
    /// Load entries, judges or typed-in score sheets (CSV, GBK CSV, XLSX or JSON).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Declare, list or remove conflicts of interest (回避).
    #[command(subcommand)]
    Conflict(ConflictCommand),
    /// The formal check (形式审查): missing or short sections, entries without a group, likely duplicates.
    Check,
    /// Ranked results per group, computed exactly.
    Tally(TallyArgs),
    /// Judge statistics per group and round: means, severity, agreement (ICC, Kendall's W,
    /// Krippendorff's alpha) and histograms of the judges' totals.
    Stats(StatsArgs),
    /// Print the contest's rubric, or a built-in template with --template; `jury rubric diff
    /// FILE` shows what changing it would do, `jury rubric apply FILE --reason R` changes it.
    Rubric {
        /// Show a built-in template instead of the workspace's rubric.
        #[arg(long, value_parser = template_names())]
        template: Option<String>,
        #[command(subcommand)]
        action: Option<rubric::RubricCommand>,
    },
    /// The audit trail: every change, hash-chained.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Open the judges' screen on the built-in demo in a fresh temporary workspace (prints the
    /// demo's tally instead when there is no terminal).
    Demo,
    /// The judges' screen (what `jury` alone opens): log in with your PIN, read, score, submit.
    /// `jury score remove` is the organiser's: remove a wrongly entered score.
    Score {
        /// Choose this judge (the PIN is still asked).
        #[arg(long, value_name = "ID")]
        judge: Option<String>,
        #[command(subcommand)]
        action: Option<corrections::ScoreCommand>,
    },
    /// Set the organiser's passphrase.
    Passwd(room::PasswdArgs),
    /// Give a group its own panel, or give every case N reviewers.
    Assign(room::AssignArgs),
    /// Make results final for a group and/or round: no more changes, even by import.
    Lock(room::LockArgs),
    /// Lift a lock (a reason is required).
    Unlock(room::UnlockArgs),
    /// Reopen a judge's submitted sheet (a reason is required).
    Reopen(room::ReopenArgs),
    /// Case selection: propose by rank within targets, show counts, set statuses.
    #[command(subcommand)]
    Shortlist(room::ShortlistCommand),
    /// Printouts and files: results (HTML/XLSX/CSV/Markdown), judges' score sheets, backups.
    #[command(subcommand)]
    Export(printing::ExportCommand),
    /// Check a printout's fingerprint (JURY2-…, or an older JURY-…) against the workspace: exit 0 if it matches.
    VerifyPrint {
        /// The fingerprint as printed, e.g. JURY2-1512-3fa9c2d18e77-A57-9b1c04aa.
        fingerprint: String,
    },
    /// The projector for the room's big display (read-only, no login): the contestant on stage,
    /// how many judges are in, their totals once every judge is in (rubric `reveal`), the result
    /// in big digits on `jury stage reveal` (亮分); between contestants the running ranking, paged
    /// by itself. q or Esc quits.
    Show {
        /// Turn a ranking longer than the screen to its next page every SECONDS (0: only by hand,
        /// PgUp/PgDn).
        #[arg(long, value_name = "SECONDS", default_value_t = 8)]
        page_every: u64,
    },
    /// The live stage of a competition: who is on, which round, who has submitted; next/prev in
    /// running order, reveal the result on the projector.
    #[command(subcommand)]
    Stage(stage::StageCommand),
    /// Calibration samples (试评): every judge scores them first; shows each judge's offset from
    /// the panel. Their scores never enter the results.
    #[command(subcommand)]
    Calibration(stage::CalibrationCommand),
    /// Find entries as the judges' screen does (fuzzy, pinyin such as qzgt, 简/繁): best first,
    /// one per line: id, title or name, organization, county, separated by tabs.
    Find {
        /// Words to find; every word must match the id, title, name, organization, submitter or county.
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Benchmarks: generate a contest of N cases; measure search, import, tally, start-up, scoring
    /// under load and frame time against fzf and the sqlite3 shell (docs/performance.md).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// The meeting room over SSH: judges, the organiser and the projector connect with the ssh
    /// client of their own computer (user = judge id, password = PIN; `organiser`; `show`).
    Serve(ServeArgs),
    /// Lift a judge's login pause after three wrong PINs: the right PIN works at once (audited).
    Unpause {
        /// The judge's id (case does not matter).
        judge: String,
    },
    /// Withdraw (弃权), disqualify (取消资格) or restore an entry: out of the ranking, kept and listed.
    #[command(subcommand)]
    Entry(corrections::EntryCommand),
    /// Remove a judge from the contest (drafts deleted, submitted sheets kept unless asked).
    #[command(subcommand)]
    Judge(corrections::JudgeCommand),
    /// Discussion after scoring: open it for entries (or the tally's 分差过大 ones), close it, list
    /// them. Needs the rubric key discussion = "named" or "anonymous".
    #[command(subcommand)]
    Discuss(discuss::DiscussCommand),
    /// Selection in phases (评审阶段): list them, start the next with the entries of one status
    /// (`--take shortlisted`, 入围), drop the newest while it has no scores.
    #[command(subcommand)]
    Phase(phases::PhaseCommand),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, default_value = "0.0.0.0:2222", value_name = "ADDR:PORT")]
    pub listen: std::net::SocketAddr,
    /// End a session after this many minutes without a key.
    #[arg(long, default_value_t = 30, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1440))]
    pub idle_minutes: u64,
    /// (For tests.) End a session after this many seconds without a key, instead of --idle-minutes.
    #[arg(long, hide = true, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub idle_seconds: Option<u64>,
    /// (For tests.) Keepalives every N seconds instead of 15 (a client that misses 3 is gone).
    #[arg(long, hide = true, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub keepalive_seconds: Option<u64>,
    /// At most this many sessions at once.
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10000))]
    pub max_sessions: u64,
    /// Serve even when the workspace file cannot be made readable by its owner only (a shared
    /// folder, a file of another account): the judges' scores and PIN hashes stay readable to
    /// whoever can read the file.
    #[arg(long)]
    pub allow_shared_file: bool,
    /// When the server stops, write the writer's figures (requests, transactions, commit times,
    /// group sizes) to this file as JSON: for `jury bench serve`.
    #[arg(long, value_name = "PATH", hide = true)]
    pub stats_file: Option<std::path::PathBuf>,
}

fn template_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(TEMPLATES.iter().map(|(id, _, _)| *id))
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// A built-in rubric template.
    #[arg(long, value_parser = template_names(), conflicts_with = "rubric", required_unless_present = "rubric")]
    pub template: Option<String>,
    /// A rubric file (TOML; see docs/rubric.md).
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// The contest's name, if not the rubric's.
    #[arg(long)]
    pub name: Option<String>,
    /// The first phase's name (评审阶段; default 初评): a competition may use 初赛 (then 决赛).
    #[arg(long, value_name = "NAME")]
    pub phase: Option<String>,
    // The first organiser passphrase is the global --organiser-pass (or JURY_ORGANISER_PASS), else
    // asked on a terminal; without one the console stays locked.
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Entries: id/编号, title/标题, group/组别, organization/单位, county/县市区, … (docs/import.md).
    /// A folder of .docx case documents is read too: `jury import entries 案例/`.
    Entries {
        /// A CSV, XLSX or JSON file, or a folder of .docx documents.
        file: PathBuf,
        /// For XLSX: the sheet to read (default: the first visible one).
        #[arg(long)]
        sheet: Option<String>,
        /// Replace entries whose id is already stored (otherwise that is an error); for documents,
        /// the entries of changed files (unchanged ones are left alone).
        #[arg(long)]
        update: bool,
        /// The folder of .docx documents holding the four parts of each row of FILE (a summary
        /// sheet, 汇总表).
        #[arg(long, value_name = "FOLDER")]
        documents: Option<PathBuf>,
        /// For a folder alone: ids for documents whose file name has none (PREFIX001, ...).
        #[arg(long, value_name = "PREFIX", default_value = "DOC")]
        id_prefix: String,
        /// With --update: replace a changed document's entry although sheets were submitted for it
        /// (recorded in the audit trail).
        #[arg(long, requires = "update")]
        force: bool,
    },
    /// Judges: id, name, organization, county, pin. PINs are stored only as salted hashes.
    Judges {
        file: PathBuf,
        #[arg(long)]
        sheet: Option<String>,
        /// Replace judges whose id is already stored (otherwise that is an error); an empty PIN
        /// keeps the stored one.
        #[arg(long)]
        update: bool,
        /// With --update: keep the sheets a changed organisation puts in conflict (recorded in
        /// the audit trail); otherwise such an update is refused.
        #[arg(long, requires = "update")]
        force: bool,
    },
    /// Scores in the long format judge,entry,round,criterion,score[,status] (round and criterion
    /// by id or name; status draft or submitted, default submitted).
    Scores {
        file: PathBuf,
        #[arg(long)]
        sheet: Option<String>,
        /// Store sheets the file leaves with criteria missing as drafts (otherwise refused).
        #[arg(long)]
        partial: bool,
        /// Change values on sheets already submitted (on screen or by an earlier import);
        /// needs --reason, recorded with the old values in the audit trail.
        #[arg(long, requires = "reason")]
        replace_submitted: bool,
        /// Why submitted sheets are replaced (with --replace-submitted).
        #[arg(long, requires = "replace_submitted")]
        reason: Option<String>,
        /// The phase (评审阶段) the scores are for: only the current one may be written.
        #[arg(long, value_name = "NAME")]
        phase: Option<String>,
    },
    /// Every import: its number, time, kind, file, SHA-256 (first 12 digits), rows, who, and
    /// whether it was undone.
    List {
        #[arg(long, value_enum, default_value_t = imports::ListFormat::Table)]
        format: imports::ListFormat,
    },
    /// Undo import N: remove what it added and put back what it replaced, in one step. Refused,
    /// naming what, when anything later depends on it (a score changed since, a sheet submitted
    /// on screen, an entry scored since), or under a lock.
    Undo {
        number: i64,
        /// Why (required): kept in the audit trail.
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConflictCommand {
    /// Declare that JUDGE may not score ENTRY, and why (kept, listed and in the audit trail).
    Add {
        judge: String,
        entry: String,
        /// Why the judge may not score it (亲属, 同事 ...): required.
        #[arg(long)]
        reason: String,
    },
    /// List every conflict, declared and found by organisation.
    List,
    /// Remove a declared conflict.
    Remove { judge: String, entry: String },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Show the history, optionally for one entry and/or judge.
    Log {
        #[arg(long)]
        entry: Option<String>,
        #[arg(long)]
        judge: Option<String>,
    },
    /// Recompute the hash chain and name the first row that does not fit.
    Verify,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Only this group.
    #[arg(long)]
    pub group: Option<String>,
    /// The phase (评审阶段) to read (default: the current one).
    #[arg(long, value_name = "NAME")]
    pub phase: Option<String>,
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum TallyFormat {
    Table,
    Json,
    Csv,
}

#[derive(Args, Debug)]
pub struct TallyArgs {
    /// Only this group.
    #[arg(long)]
    pub group: Option<String>,
    /// The phase (评审阶段) to read, e.g. 初评 (default: the current one).
    #[arg(long, value_name = "NAME")]
    pub phase: Option<String>,
    #[arg(long, value_enum, default_value_t = TallyFormat::Table)]
    pub format: TallyFormat,
}

impl Cli {
    /// Parse the process's arguments with `--help` in the language of `--lang` or the locale
    /// (read before parsing): each command's description from the catalogue
    /// ([`crate::i18n::cli::about`]); clap's own errors exit as usual.
    pub fn parse_localised() -> Cli {
        use clap::FromArgMatches;
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        let lang = Lang::detect(lang_flag(&args).as_deref());
        // The translations change only what is printed (help, usage, errors), never what parses:
        // a command line that parses is parsed without them (building and translating every
        // command's arguments was a tenth of a `jury find`), and only help or an error, which print,
        // are parsed again with them.
        let plain = <Cli as clap::CommandFactory>::command().try_get_matches_from(args.iter());
        let matches = match plain {
            Ok(matches) => matches,
            // `--version` prints the name and version, which no translation changes: printed from
            // the plain definition (the translated one was half of `jury --version`'s time).
            Err(e) if e.kind() == clap::error::ErrorKind::DisplayVersion => e.exit(),
            Err(_) => match localised_command(lang).try_get_matches_from(args) {
                Ok(matches) => matches,
                Err(e) => exit_parse_error(e, lang),
            },
        };
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| exit_parse_error(e, lang))
    }
}

/// clap's parse error in the reader's language (help and version are printed as clap prints
/// them), and the exit code clap would use.
fn exit_parse_error(e: clap::Error, lang: Lang) -> ! {
    match (lang, crate::i18n::cli_msgs::parse_error_zh(&e)) {
        (Lang::Zh, Some(text)) => {
            eprint!("{text}");
            std::process::exit(e.exit_code())
        }
        _ => e.exit(),
    }
}

/// The value of `--lang` (`--lang zh`, `--lang=zh`) among `args`, before they are parsed.
fn lang_flag(args: &[std::ffi::OsString]) -> Option<String> {
    let mut args = args.iter().filter_map(|a| a.to_str());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            return Some(value.to_string());
        }
        if arg == "--lang" {
            return args.next().map(str::to_string);
        }
    }
    None
}

/// `zh` or `en`: how a resolved language is named on the socket to `jury serve`.
#[cfg_attr(not(unix), allow(dead_code))]
fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// The command line's clap definition with its help in `lang`: in Chinese, every command's
/// one-line description from the catalogue (no English long description after it) and the
/// headings; in English, the doc comments as they are.
pub fn localised_command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    // Built first, so that clap's own `help` command and -h/-V flags are there to translate.
    cmd.build();
    localise(cmd, "", lang)
}

fn localise(mut cmd: clap::Command, path: &str, lang: Lang) -> clap::Command {
    // clap's `help` command under any command is the same.
    let key = if path == "help" || path.ends_with(" help") {
        "help"
    } else {
        path
    };
    if let Some(about) = crate::i18n::cli::about(key, lang).or_else(|| crate::i18n::cli_msgs::about(key, lang)) {
        cmd = cmd.about(about).long_about(None);
    }
    if let Some((usage, commands, options)) = crate::i18n::cli::help_headings(lang) {
        cmd = cmd
            .help_template(format!(
                "{{before-help}}{{about-with-newline}}\n{usage}：{{usage}}\n\n{{all-args}}{{after-help}}"
            ))
            .subcommand_help_heading(commands)
            .mut_args(|mut arg| {
                // An argument without help (a positional ENTRY) gets none in Chinese either.
                let id = arg.get_id().as_str();
                if arg.get_help().is_some()
                    && let Some(help) = crate::i18n::cli_msgs::option_help(path, id, lang)
                        .or_else(|| crate::i18n::cli::arg_help(id, lang))
                {
                    arg = arg.help(help).long_help(None);
                }
                if arg.get_help_heading().is_none() {
                    arg.help_heading(options)
                } else {
                    arg
                }
            });
    }
    let names: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for name in names {
        let sub = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |c| localise(c, &sub, lang));
    }
    cmd
}

/// The default workspace file in the user's data folder.
pub fn default_db() -> PathBuf {
    directories::ProjectDirs::from("", "", "jury")
        .map(|d| d.data_dir().join("workspace.jury"))
        .unwrap_or_else(|| PathBuf::from("workspace.jury"))
}

/// Which commands need the organiser's passphrase once one is set: the one place that says so,
/// asked before any command runs. Not the room's read-only commands (the projector, `find`,
/// `verify-print`, a built-in template), the demo's own workspace, nor the judges' screen, which
/// asks for the judge's PIN (the console, `jury --organiser`, asks for the passphrase itself).
/// `init` asks only when its workspace exists and has one (a new workspace has none);
/// `passwd --organiser --reset` is for the workspace file's owner instead.
fn needs_organiser(command: &Command) -> bool {
    match command {
        Command::Show { .. } | Command::Find { .. } | Command::VerifyPrint { .. } | Command::Demo => false,
        Command::Score { action, .. } => action.is_some(),
        Command::Rubric { template, .. } => template.is_none(),
        Command::Passwd(args) => !args.reset,
        Command::Init(_)
        | Command::Import(_)
        | Command::Conflict(_)
        | Command::Check
        | Command::Tally(_)
        | Command::Stats(_)
        | Command::Audit(_)
        | Command::Assign(_)
        | Command::Lock(_)
        | Command::Unlock(_)
        | Command::Reopen(_)
        | Command::Shortlist(_)
        | Command::Export(_)
        | Command::Bench(_)
        | Command::Stage(_)
        | Command::Calibration(_)
        | Command::Serve(_)
        | Command::Unpause { .. }
        | Command::Entry(_)
        | Command::Judge(_)
        | Command::Discuss(_) => true,
        Command::Phase(_) => true,
    }
}

/// The command as typed, for messages: `unlock`, `import scores`, `stage next`.
fn command_name(command: &Command) -> String {
    // clap names a subcommand by its variant in kebab case; the Debug form starts with the variant.
    fn kebab(debug: &str) -> String {
        let mut name = String::new();
        for c in debug.chars().take_while(char::is_ascii_alphanumeric) {
            if c.is_ascii_uppercase() && !name.is_empty() {
                name.push('-');
            }
            name.push(c.to_ascii_lowercase());
        }
        name
    }
    let (top, sub) = match command {
        Command::Import(c) => ("import", Some(format!("{c:?}"))),
        Command::Conflict(c) => ("conflict", Some(format!("{c:?}"))),
        Command::Audit(c) => ("audit", Some(format!("{c:?}"))),
        Command::Shortlist(c) => ("shortlist", Some(format!("{c:?}"))),
        Command::Export(c) => ("export", Some(format!("{c:?}"))),
        Command::Bench(c) => ("bench", Some(format!("{c:?}"))),
        Command::Stage(c) => ("stage", Some(format!("{c:?}"))),
        Command::Calibration(c) => ("calibration", Some(format!("{c:?}"))),
        Command::Entry(c) => ("entry", Some(format!("{c:?}"))),
        Command::Judge(c) => ("judge", Some(format!("{c:?}"))),
        Command::Discuss(c) => ("discuss", Some(format!("{c:?}"))),
        Command::Phase(c) => ("phase", Some(format!("{c:?}"))),
        Command::Score { action: Some(c), .. } => ("score", Some(format!("{c:?}"))),
        Command::Rubric { action: Some(c), .. } => ("rubric", Some(format!("{c:?}"))),
        other => return kebab(&format!("{other:?}")),
    };
    match sub {
        Some(sub) => format!("{top} {}", kebab(&sub)),
        None => top.to_string(),
    }
}

/// The organiser's passphrase check before `command` (see [`needs_organiser`]): the library
/// decides, with its rate limit; a refusal names the command, says why and how to give the
/// passphrase, and nothing has been changed.
fn authorise(cli: &Cli, db: &Path, lang: Lang) -> Result<()> {
    let Some(command) = &cli.command else {
        return Ok(());
    };
    if !needs_organiser(command) {
        return Ok(());
    }
    let name = command_name(command);
    let given = cli.organiser_pass.clone();
    let ask = || given.or_else(|| prompt::read_secret(&(texts(lang).ask_pass)(&name)));
    refuse_unless_granted(&name, crate::app::organiser::authorise_at(db, ask)?, lang)
}

/// [`authorise`] for a command another process sent to `jury serve`, with the passphrase it
/// obtained: the same check on the server's workspace, the same refusals.
fn authorise_forwarded(store: &Store, command: &Command, given: Option<String>, lang: Lang) -> Result<()> {
    if !needs_organiser(command) {
        return Ok(());
    }
    refuse_unless_granted(
        &command_name(command),
        crate::app::organiser::authorise_on(store, given)?,
        lang,
    )
}

/// The refusal of `jury {name}` for the organiser's `authority`, if it is one, in `lang`.
fn refuse_unless_granted(name: &str, authority: crate::app::organiser::Authority, lang: Lang) -> Result<()> {
    use crate::app::organiser::Authority;
    let t = texts(lang);
    let pause = crate::core::lockout::PAUSE_SECS;
    match authority {
        Authority::NotSet | Authority::Granted => Ok(()),
        Authority::Missing => Err(Error::refused((t.needs_pass)(name))),
        Authority::Wrong { tries_left: 0 } => Err(Error::refused((t.wrong_pass_last)(name, pause))),
        Authority::Wrong { tries_left } => Err(Error::refused((t.wrong_pass)(name, tries_left, pause))),
        Authority::Paused { secs } => Err(Error::refused((t.pass_paused)(name, secs))),
    }
}

/// `jury passwd --pass` is gone: clap refuses it as it refuses any wrong use, with the way to give
/// the passphrases now, and without echoing what was given.
fn refuse_removed_flags(cli: &Cli) {
    if let Some(Command::Passwd(args)) = &cli.command
        && args.pass.is_some()
    {
        use clap::CommandFactory;
        Cli::command()
            .error(
                clap::error::ErrorKind::UnknownArgument,
                "`jury passwd --pass` is gone: the new organiser passphrase is asked twice on the terminal, or \
                 taken from JURY_NEW_ORGANISER_PASS in scripts; the current one is asked too, or taken from \
                 JURY_ORGANISER_PASS or --organiser-pass",
            )
            .exit();
    }
}

/// Run the command line; errors are printed here, once.
pub fn main_with(cli: Cli) -> ExitCode {
    refuse_removed_flags(&cli);
    // The one language of this run's messages: --lang, else the locale.
    let lang = Lang::detect(cli.lang.as_deref());
    if cli.command.as_ref().is_some_and(prints_and_ends) {
        printing::end_quietly_on_closed_stdout();
        // Not on the screens: they say so themselves, and stderr would land on them.
        crate::app::workspace::on_long_wait(match lang {
            Lang::Zh => || eprintln!("{}", texts(Lang::Zh).waiting),
            Lang::En => || eprintln!("{}", texts(Lang::En).waiting),
        });
    }
    match run(cli, lang) {
        Ok(code) => code,
        Err(e) if printing::is_closed_stdout(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jury: {}", crate::i18n::cli::error(&e, lang).trim_end());
            ExitCode::FAILURE
        }
    }
}

/// Commands that print and end (not the screens): a closed stdout ends them quietly.
fn prints_and_ends(command: &Command) -> bool {
    match command {
        Command::Demo => !crate::tui::has_terminal(),
        Command::Init(_)
        | Command::Import(_)
        | Command::Conflict(_)
        | Command::Check
        | Command::Tally(_)
        | Command::Stats(_)
        | Command::Rubric { .. }
        | Command::Audit(_)
        | Command::Passwd(_)
        | Command::Assign(_)
        | Command::Lock(_)
        | Command::Unlock(_)
        | Command::Reopen(_)
        | Command::Shortlist(_)
        | Command::Export(_)
        | Command::VerifyPrint { .. }
        | Command::Find { .. }
        | Command::Bench(_)
        | Command::Stage(_)
        | Command::Calibration(_)
        | Command::Serve(_)
        | Command::Unpause { .. }
        | Command::Entry(_)
        | Command::Judge(_)
        | Command::Discuss(_) => true,
        Command::Phase(_) => true,
        Command::Score { action, .. } => action.is_some(),
        // The screens (and any command not listed) keep the runtime's setting.
        _ => false,
    }
}

fn run(cli: Cli, lang_now: Lang) -> Result<ExitCode> {
    let db = cli.db.clone().unwrap_or_else(default_db);
    let lang = cli.lang.clone();
    #[cfg(unix)]
    if let Some(code) = forward(&cli, &db, lang_now)? {
        return Ok(code);
    }
    authorise(&cli, &db, lang_now)?;
    let organiser_pass = cli.organiser_pass.clone();
    let Some(command) = cli.command else {
        if cli.organiser {
            crate::tui::console::open_console(&db, lang.as_deref())?;
            return Ok(ExitCode::SUCCESS);
        }
        crate::tui::open_workspace(&db, cli.judge.as_deref(), lang.as_deref())?;
        return Ok(ExitCode::SUCCESS);
    };
    match command {
        Command::Init(args) => init(&db, args, organiser_pass, lang_now),
        command @ (Command::Import(_)
        | Command::Conflict(_)
        | Command::Passwd(_)
        | Command::Assign(_)
        | Command::Lock(_)
        | Command::Unlock(_)
        | Command::Reopen(_)
        | Command::Shortlist(_)
        | Command::Stage(_)
        | Command::Calibration(_)
        | Command::Unpause { .. }
        | Command::Entry(_)
        | Command::Judge(_)
        | Command::Rubric {
            action: Some(rubric::RubricCommand::Apply { .. }),
            ..
        }
        | Command::Discuss(_)
        | Command::Score { action: Some(_), .. }) => {
            let new_pass = match &command {
                Command::Passwd(args) => Some(room::new_pass_for(
                    args,
                    &db,
                    crate::i18n::Lang::detect(lang.as_deref()),
                )?),
                _ => None,
            };
            if let Command::Lock(args) = &command
                && !room::confirm_lock(&db, args, crate::i18n::Lang::detect(lang.as_deref()))?
            {
                let t = crate::i18n::cli_smaller::texts(crate::i18n::Lang::detect(lang.as_deref()));
                return Err(Error::refused(t.lock_declined));
            }
            let store = Store::open(&db)?;
            execute(
                command,
                &store,
                &Actor::Cli,
                new_pass,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
                lang_now,
            )
        }
        Command::Phase(cmd) => {
            let store = Store::open(&db)?;
            phases::phase(&store, &Actor::Cli, cmd, lang_now, &mut std::io::stdout().lock())
        }
        Command::Check => check(&db, lang_now),
        Command::Tally(args) => {
            let store = Store::open(&db)?;
            let read = crate::app::phases::read_phase(&store, args.phase.as_deref())
                .map_err(|e| phases::translated(e, lang_now))?;
            print_tally(&read, &args, &mut std::io::stdout().lock(), lang_now)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rubric { action: Some(cmd), .. } => {
            let store = Store::open(&db)?;
            rubric::rubric(
                &store,
                &Actor::Cli,
                cmd,
                crate::i18n::Lang::detect(lang.as_deref()),
                &mut std::io::stdout().lock(),
            )
        }
        Command::Rubric { template, action: None } => {
            let source = match template {
                Some(t) => template_source(&t).map(|(_, s)| s.to_string()).unwrap_or_default(),
                None => {
                    let store = Store::open(&db)?;
                    store.rubric()?;
                    store.meta("rubric")?.unwrap_or_default()
                }
            };
            print!("{source}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(cmd) => audit(&db, cmd, lang_now),
        Command::Demo => demo(lang.as_deref(), lang_now),
        Command::Score { judge, action: None } => {
            crate::tui::open_workspace(&db, judge.as_deref().or(cli.judge.as_deref()), lang.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats(args) => {
            let store = Store::open(&db)?;
            let lang = crate::i18n::Lang::detect(lang.as_deref());
            let read = crate::app::phases::read_phase(&store, args.phase.as_deref())
                .map_err(|e| phases::translated(e, lang))?;
            let store: &Store = &read;
            let t = compute_tally(store, args.group.as_deref())?;
            let stats = crate::core::stats::group_round_stats(store.rubric()?, &t, &store.judges()?);
            let text = match args.format {
                StatsFormat::Json => {
                    serde_json::to_string_pretty(&export::stats::stats_json(&stats)).unwrap_or_default() + "\n"
                }
                StatsFormat::Table => export::stats::stats_table(&stats),
            };
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(cmd) => printing::export(&db, cmd, lang_now),
        Command::VerifyPrint { fingerprint } => printing::verify_print(&db, &fingerprint, lang_now),
        Command::Find { query, limit } => find(&db, &query, limit),
        Command::Bench(cmd) => bench::bench(&db, cmd),
        Command::Show { page_every } => {
            let every = (page_every > 0).then(|| std::time::Duration::from_secs(page_every));
            crate::tui::projector::open(&db, lang.as_deref(), every)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => {
            let options = crate::serve::ServeOptions {
                listen: args.listen,
                idle: std::time::Duration::from_secs(args.idle_seconds.unwrap_or(args.idle_minutes * 60)),
                keepalive: args
                    .keepalive_seconds
                    .map_or(crate::serve::KEEPALIVE, std::time::Duration::from_secs),
                max_sessions: usize::try_from(args.max_sessions).unwrap_or(usize::MAX),
                lang: crate::tui::Lang::detect(lang.as_deref()),
                allow_shared_file: args.allow_shared_file,
                stats_file: args.stats_file,
            };
            crate::serve::serve_commands(&db, options, std::sync::Arc::new(forwarded))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The room's commands, run on `store` (opened by this process, or `jury serve`'s for a command
/// another process sent it), acting as `actor`, printing on `out` and `err`. `new_pass`: the new
/// organiser passphrase of `passwd`, asked before. `lang`: the language of the messages (the
/// client's for a forwarded command).
fn execute(
    command: Command,
    store: &Store,
    actor: &Actor,
    new_pass: Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    lang: Lang,
) -> Result<ExitCode> {
    // `--phase NAME` of a writing command: the library refuses an earlier (locked) phase.
    crate::app::phases::ensure_writable(store, phase_written(&command))?;
    match command {
        Command::Import(ImportCommand::List { format }) => imports::list(store, format, out, lang),
        Command::Import(ImportCommand::Undo { number, reason }) => {
            imports::undo(store, actor, number, &reason, out, lang)
        }
        Command::Import(cmd) => import(store, actor, cmd, out, err, lang),
        Command::Conflict(cmd) => conflict(store, actor, cmd, out, lang),
        Command::Passwd(args) => room::passwd(store, actor, args, new_pass, out, lang),
        Command::Assign(args) => room::assign(store, actor, args, out, err, lang),
        Command::Lock(args) => room::lock(store, actor, args, false, out, lang),
        Command::Unlock(args) => room::lock(store, actor, args.into(), true, out, lang),
        Command::Reopen(args) => room::reopen(store, actor, args, out, lang),
        Command::Shortlist(cmd) => room::shortlist(store, actor, cmd, out, err, lang),
        Command::Stage(cmd) => stage::stage(store, actor, cmd, out, lang),
        Command::Calibration(cmd) => stage::calibration(store, actor, cmd, out, lang),
        Command::Unpause { judge } => room::unpause(store, actor, &judge, out, lang),
        Command::Entry(cmd) => corrections::entry(store, actor, cmd, out, lang),
        Command::Judge(cmd) => corrections::judge(store, actor, cmd, out, lang),
        Command::Discuss(cmd) => discuss::discuss(store, actor, cmd, out, lang),
        Command::Score { action: Some(cmd), .. } => corrections::score(store, actor, cmd, out, lang),
        Command::Rubric { action: Some(cmd), .. } => rubric::rubric(store, actor, cmd, lang, out),
        Command::Phase(cmd) => phases::phase(store, actor, cmd, lang, out),
        other => Err(crate::core::refusal::ServeRefusal::NotForwarded(command_name(&other).to_string()).into()),
    }
}

/// The phase a writing command names with `--phase` (only the current one may be written; see
/// [`crate::app::phases::ensure_writable`]). `import scores` checks its own.
fn phase_written(command: &Command) -> Option<&str> {
    use room::ShortlistCommand as S;
    match command {
        Command::Lock(room::LockArgs { phase, .. })
        | Command::Unlock(room::UnlockArgs { phase, .. })
        | Command::Reopen(room::ReopenArgs { phase, .. })
        | Command::Shortlist(S::Propose { phase, .. } | S::Set { phase, .. })
        | Command::Score {
            action: Some(corrections::ScoreCommand::Remove { phase, .. }),
            ..
        } => phase.as_deref(),
        _ => None,
    }
}

/// The commands that write to the workspace: while `jury serve` runs on it, another process
/// sends them to the server ([`forward`]) rather than opening the file for writing. The rest
/// (tally, show, find, export, verify-print, audit, the listings) read the file themselves.
fn forwards(command: &Command) -> bool {
    match command {
        Command::Import(c) => !matches!(c, ImportCommand::List { .. }),
        Command::Passwd(_)
        | Command::Assign(_)
        | Command::Lock(_)
        | Command::Unlock(_)
        | Command::Reopen(_)
        | Command::Unpause { .. }
        | Command::Entry(_)
        | Command::Judge(_) => true,
        Command::Score { action, .. } => action.is_some(),
        Command::Rubric { action, .. } => action.as_ref().is_some_and(rubric::RubricCommand::writes),
        Command::Conflict(c) => !matches!(c, ConflictCommand::List),
        Command::Shortlist(c) => !matches!(c, room::ShortlistCommand::Show { .. }),
        Command::Stage(c) => !matches!(c, stage::StageCommand::Show),
        Command::Calibration(c) => !matches!(c, stage::CalibrationCommand::Show),
        Command::Discuss(c) => !matches!(c, discuss::DiscussCommand::List),
        Command::Phase(c) => !matches!(c, phases::PhaseCommand::List),
        _ => false,
    }
}

/// A writing command while `jury serve` runs on the workspace: the passphrases are obtained here
/// as for a local run (flag, environment, else asked on the terminal), then the command is sent
/// over the server's socket and what the server prints is printed here, with its exit code.
/// `None`: no server answers, the command runs in this process.
#[cfg(unix)]
fn forward(cli: &Cli, db: &Path, lang: Lang) -> Result<Option<ExitCode>> {
    let Some(command) = &cli.command else {
        return Ok(None);
    };
    if !forwards(command) {
        return Ok(None);
    }
    let Some(server) = crate::serve::socket::connect(db) else {
        return Ok(None);
    };
    let name = command_name(command);
    let organiser_pass = match &cli.organiser_pass {
        Some(pass) => Some(pass.clone()),
        None if needs_organiser(command) && crate::app::organiser::organiser_pass_is_set_at(db) => {
            prompt::read_secret(&(texts(lang).ask_pass)(&name))
        }
        None => None,
    };
    let new_organiser_pass = match command {
        Command::Passwd(args) => Some(room::new_pass_for(
            args,
            db,
            crate::i18n::Lang::detect(cli.lang.as_deref()),
        )?),
        _ => None,
    };
    // The lock's question is asked here, before the lock is sent: the server has no terminal.
    if let Command::Lock(args) = command
        && !room::confirm_lock(db, args, crate::i18n::Lang::detect(cli.lang.as_deref()))?
    {
        let t = crate::i18n::cli_smaller::texts(crate::i18n::Lang::detect(cli.lang.as_deref()));
        return Err(Error::refused(t.lock_declined));
    }
    let args = std::env::args_os()
        .skip(1)
        .map(std::ffi::OsString::into_string)
        .collect::<std::result::Result<Vec<String>, _>>()
        .map_err(|_| Error::from(crate::core::refusal::ServeRefusal::ArgsNotText))?;
    let request = crate::serve::socket::ForwardedCommand {
        args,
        cwd: std::env::current_dir()?,
        locale: ["LC_ALL", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty())),
        organiser_pass,
        new_organiser_pass,
        lang: Some(lang_code(lang).to_string()),
    };
    let code = server.send(&request, &mut std::io::stdout().lock(), &mut std::io::stderr().lock())?;
    Ok(Some(ExitCode::from(u8::try_from(code).unwrap_or(1))))
}

/// What `jury serve` does with a writing command another process sent it: parsed and carried
/// out by the same code as a local run, on the server's workspace, after the same organiser check,
/// printing the same messages; the audit trail names it `cli@local`.
fn forwarded(
    request: crate::serve::socket::ForwardedCommand,
    store: &Store,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let argv = std::iter::once("jury".to_string()).chain(request.args);
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let lang = Lang::choose(request.lang.as_deref(), request.locale.as_deref());
            match (lang, crate::i18n::cli_msgs::parse_error_zh(&e)) {
                (Lang::Zh, Some(text)) => {
                    let _ = write!(err, "{text}");
                }
                _ => {
                    let _ = write!(err, "{}", e.render());
                }
            }
            return e.exit_code();
        }
    };
    // The client's language: the one it resolved, else its --lang and locale.
    let lang = Lang::choose(
        request.lang.as_deref().or(cli.lang.as_deref()),
        request.locale.as_deref(),
    );
    let Some(mut command) = cli.command.filter(forwards) else {
        let _ = writeln!(err, "{}", crate::i18n::cli_zhlast::texts(lang).only_writes);
        return 2;
    };
    let names = from_client_folder(&mut command, &request.cwd);
    let (mut out, mut err) = (AsTyped::new(out, names.clone()), AsTyped::new(err, names));
    let actor = Actor::Cli.from_address(Some("local"));
    let result = authorise_forwarded(store, &command, request.organiser_pass, lang).and_then(|()| {
        execute(
            command,
            store,
            &actor,
            request.new_organiser_pass,
            &mut out,
            &mut err,
            lang,
        )
    });
    let code = match result {
        Ok(code) if code == ExitCode::SUCCESS => 0,
        Ok(_) => 1,
        Err(e) => {
            let _ = writeln!(err, "jury: {}", crate::i18n::cli::error(&e, lang).trim_end());
            1
        }
    };
    out.finish();
    err.finish();
    code
}

/// An imported file named relative to the client's folder is read from there; the messages name
/// it as typed. The file's name as read and as typed, when they differ.
fn from_client_folder(command: &mut Command, cwd: &Path) -> Option<(String, String)> {
    // The documents' folder of `import entries SUMMARY --documents FOLDER` is the client's too.
    if let Command::Import(ImportCommand::Entries {
        documents: Some(folder),
        ..
    }) = command
        && folder.is_relative()
    {
        *folder = cwd.join(&*folder);
    }
    let file = match command {
        Command::Import(
            ImportCommand::Entries { file, .. }
            | ImportCommand::Judges { file, .. }
            | ImportCommand::Scores { file, .. },
        ) => file,
        Command::Rubric { action: Some(cmd), .. } => cmd.file_mut(),
        _ => return None,
    };
    if file.is_absolute() {
        return None;
    }
    let typed = file.display().to_string();
    *file = cwd.join(&*file);
    Some((file.display().to_string(), typed))
}

/// Output of a forwarded command: with `names` (as read, as typed), each line names the file as
/// the client typed it, so the messages are those of a local run.
struct AsTyped<'a> {
    inner: &'a mut dyn Write,
    names: Option<(String, String)>,
    line: Vec<u8>,
}

impl<'a> AsTyped<'a> {
    fn new(inner: &'a mut dyn Write, names: Option<(String, String)>) -> Self {
        AsTyped {
            inner,
            names,
            line: Vec::new(),
        }
    }

    fn emit(&mut self, line: &[u8]) -> std::io::Result<()> {
        match &self.names {
            Some((read, typed)) => {
                let text = String::from_utf8_lossy(line).replace(read.as_str(), typed);
                self.inner.write_all(text.as_bytes())
            }
            None => self.inner.write_all(line),
        }
    }

    /// What is left of the last line.
    fn finish(&mut self) {
        let rest = std::mem::take(&mut self.line);
        if !rest.is_empty() {
            let _ = self.emit(&rest);
        }
        let _ = self.inner.flush();
    }
}

impl Write for AsTyped<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.names.is_none() {
            return self.inner.write(buf);
        }
        self.line.extend_from_slice(buf);
        while let Some(end) = self.line.iter().position(|b| *b == b'\n') {
            let rest = self.line.split_off(end + 1);
            let line = std::mem::replace(&mut self.line, rest);
            self.emit(&line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn find(db: &Path, query: &str, limit: usize) -> Result<ExitCode> {
    let store = Store::open(db)?;
    store.rubric()?;
    // The keys prepared by an earlier search are loaded when the entries have not changed since;
    // otherwise only the searchable fields are read, streamed into the index without an Entry per
    // row, and the keys are kept for the next time. The few entries printed are read again by
    // their position.
    let keys = store.read(|s| s.search_keys())?;
    store.keep_search_keys(&keys);
    let seqs = keys.seqs;
    // One search: the keys of only the fields that may match are worked out.
    let index = keys.builder.finish_for(query);
    let mut out = std::io::stdout().lock();
    for hit in index.search_top(query, limit) {
        let Some(e) = store.entry_at(seqs[hit.doc])? else {
            continue;
        };
        let line = [e.id.as_str(), e.label(), &e.organization, &e.county]
            .map(crate::search::one_line)
            .join("\t");
        writeln!(out, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn init(db: &Path, args: InitArgs, organiser_pass: Option<String>, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    let (file, source) = match (&args.template, &args.rubric) {
        (Some(name), _) => {
            let (f, s) = template_source(name).ok_or_else(|| Error::refused((t.no_template)(name)))?;
            (f.to_string(), s.to_string())
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::refused((t.cannot_read)(&path.display().to_string(), &e.to_string())))?;
            (path.display().to_string(), text)
        }
        (None, None) => return Err(Error::refused(t.give_template)),
    };
    if let Some(pass) = &organiser_pass
        && pass.chars().count() < 6
    {
        return Err(Error::refused(t.pass_too_short));
    }
    // Validate before creating any file.
    crate::core::rubric::parse_rubric(&file, &source)?;
    if let Some(name) = &args.phase {
        crate::core::phase::check_name(name).map_err(|r| phases::translated(r.into(), lang))?;
    }
    let (store, rubric) = crate::app::workspace::create_contest(db, &file, &source, args.name.as_deref())?;
    println!(
        "{}",
        (t.created)(
            &rubric.name,
            rubric.kind.as_str(),
            rubric.groups.len(),
            rubric.rounds.len(),
            &db.display().to_string()
        )
    );
    if let Some(name) = &args.phase {
        crate::app::phases::name_first(&store, &Actor::Cli, name).map_err(|e| phases::translated(e, lang))?;
        println!("{}", (crate::i18n::cli_phases::texts(lang).first_named)(name.trim()));
    }
    match room::organiser_pass_for_init(organiser_pass, lang) {
        Some(pass) => {
            crate::app::organiser::set_organiser_pass(&store, &Actor::Cli, &pass)?;
            println!("{}", t.pass_set);
        }
        None => println!("{}", t.no_pass_yet),
    }
    Ok(ExitCode::SUCCESS)
}

fn import(
    store: &Store,
    actor: &Actor,
    cmd: ImportCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
    lang: Lang,
) -> Result<ExitCode> {
    let t = texts(lang);
    store.rubric()?;
    match cmd {
        ImportCommand::Entries {
            file,
            sheet,
            update,
            documents,
            id_prefix,
            force,
        } => {
            if documents.is_some() || crate::app::import::is_folder(&file) {
                let (folder, summary) = match documents {
                    Some(folder) => (folder, Some(file)),
                    None => (file, None),
                };
                let options = crate::app::import::DocumentImportOptions {
                    folder: folder.clone(),
                    summary: summary.clone(),
                    sheet,
                    id_prefix,
                    update,
                    force,
                };
                let done =
                    crate::app::import::import_documents(store, actor, &options, &progress::ReadingBar::new(lang))?;
                let folder_name = folder.display().to_string();
                let from = match &summary {
                    Some(s) => (t.documents_with_summary)(&s.display().to_string(), &folder_name),
                    None => (t.documents_in)(&folder_name),
                };
                writeln!(
                    out,
                    "{}",
                    (t.imported_documents)(
                        done.added + done.updated,
                        &from,
                        done.added,
                        done.updated,
                        done.unchanged
                    )
                )?;
                for (entry, sheets) in &done.forced {
                    writeln!(out, "{}", (t.forced_text)(entry, *sheets))?;
                }
                for note in &done.notes {
                    writeln!(out, "{}", crate::i18n::cli_zhlast::read_note(note, lang))?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            if crate::app::import::streams_under_lock(&file) {
                writeln!(
                    err,
                    "{}",
                    (t.streams_under_lock)(&file.display().to_string(), crate::app::import::CHECK_FIRST_BYTES >> 20)
                )?;
            }
            let done = import_entries_file(store, actor, &file, sheet.as_deref(), update)?;
            writeln!(
                out,
                "{}",
                (t.imported_entries)(
                    done.added + done.updated,
                    &file.display().to_string(),
                    done.added,
                    done.updated
                )
            )?;
            for note in &done.notes {
                writeln!(out, "{}", crate::i18n::cli_zhlast::read_note(note, lang))?;
            }
        }
        ImportCommand::Judges {
            file,
            sheet,
            update,
            force,
        } => {
            let (done, notes) = import_judges_file(
                store,
                actor,
                &file,
                sheet.as_deref(),
                JudgeImportOptions { update, force },
            )?;
            let mut line = (t.imported_judges)(
                done.added + done.updated,
                &file.display().to_string(),
                done.added,
                done.updated,
                done.unchanged,
            );
            if done.kept_conflicts > 0 {
                line.push_str(&(t.kept_conflicts)(done.kept_conflicts));
            }
            writeln!(out, "{line}")?;
            for note in &notes {
                writeln!(out, "{}", crate::i18n::cli_zhlast::read_note(note, lang))?;
            }
        }
        ImportCommand::Scores {
            file,
            sheet,
            partial,
            replace_submitted,
            reason,
            phase,
        } => {
            crate::app::phases::ensure_writable(store, phase.as_deref()).map_err(|e| phases::translated(e, lang))?;
            let options = ScoreImportOptions {
                partial,
                replace_submitted: if replace_submitted { reason } else { None },
            };
            let (done, notes) = import_scores_file(store, actor, &file, sheet.as_deref(), &options)?;
            writeln!(out, "{}", score_import_summary(&file, &done, t))?;
            for note in &notes {
                writeln!(out, "{}", crate::i18n::cli_zhlast::read_note(note, lang))?;
            }
        }
        // Carried out by `execute` before this.
        ImportCommand::List { format } => return imports::list(store, format, out, lang),
        ImportCommand::Undo { number, reason } => {
            return imports::undo(store, &Actor::Cli, number, &reason, out, lang);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What `jury import scores` says it did.
fn score_import_summary(file: &Path, done: &ScoreImport, t: &CliTexts) -> String {
    let file = file.display().to_string();
    if done.changed == 0 && done.status_changes == 0 {
        return (t.scores_unchanged)(done.unchanged, &file);
    }
    let mut line = (t.imported_scores)(done.changed, &file);
    if done.unchanged > 0 {
        line.push_str(&(t.scores_already)(done.unchanged));
    }
    if done.drafts > 0 {
        line.push_str(&(t.scores_drafts)(done.drafts));
    }
    if done.replaced > 0 {
        line.push_str(&(t.scores_replaced)(done.replaced));
    }
    line
}

fn conflict(store: &Store, actor: &Actor, cmd: ConflictCommand, out: &mut dyn Write, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    store.rubric()?;
    match cmd {
        ConflictCommand::Add { judge, entry, reason } => {
            crate::app::workspace::add_conflict(store, actor, &judge, &entry, &reason)?;
            writeln!(out, "{}", (t.conflict_added)(&judge, &entry, &reason))?;
        }
        ConflictCommand::Remove { judge, entry } => {
            let removed = crate::app::workspace::remove_conflict(store, actor, &judge, &entry)?;
            if removed {
                writeln!(out, "{}", (t.conflict_removed)(&judge, &entry))?;
            } else {
                return Err(Error::refused((t.no_such_conflict)(&judge, &entry)));
            }
        }
        ConflictCommand::List => {
            let rows = store.conflicts()?;
            if rows.is_empty() {
                writeln!(out, "{}", t.no_conflicts)?;
            }
            for c in rows {
                let how = if c.automatic {
                    t.conflict_found
                } else {
                    t.conflict_declared
                };
                // Before `--reason` was required a declared conflict was stored with the reason
                // "declared": listed once, not as "declared declared".
                let reason = if c.reason.trim().is_empty() || (!c.automatic && c.reason == "declared") {
                    "-"
                } else {
                    c.reason.as_str()
                };
                writeln!(out, "{}\t{}\t{how}\t{reason}", c.judge, c.entry)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(db: &Path, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    let store = Store::open(db)?;
    let rubric = store.rubric()?;
    let entries = store.entries_with_texts()?;
    let findings = formal_check(rubric, &entries);
    let mut out = std::io::stdout().lock();
    for f in &findings {
        let line = match f {
            Finding::MissingSection { entry, section } => (t.missing_section)(entry, section.id(), section.chinese()),
            Finding::ShortSection { entry, section, chars } => {
                (t.short_section)(entry, section.id(), section.chinese(), *chars, rubric.min_section_chars)
            }
            Finding::NoGroup { entry } => (t.no_group)(entry),
            Finding::LikelyDuplicate {
                entries,
                title,
                organization,
            } => (t.likely_duplicate)(&entries.join(","), title, organization),
        };
        let _ = writeln!(out, "{line}");
    }
    if findings.is_empty() {
        let _ = writeln!(out, "{}", (t.check_passed)(entries.len()));
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{}", (t.check_findings)(findings.len(), entries.len()));
        Ok(ExitCode::FAILURE)
    }
}

fn print_tally(store: &Store, args: &TallyArgs, out: &mut impl Write, lang: Lang) -> Result<()> {
    let (t, entries, sheets) = tally_with_inputs(store, args.group.as_deref())?;
    // The process ends after printing: the operating system takes all of this back at once, where
    // freeing it piece by piece would cost a tenth of the run at 100k entries (and a core that the
    // printing uses).
    std::mem::forget((entries, sheets));
    let rubric = store.rubric()?;
    match args.format {
        TallyFormat::Json => {
            // Streamed: the same text as pretty-printing export::json::tally_json, without the tree.
            export::json_writer::write_tally_json(&t, out)?;
        }
        TallyFormat::Csv => out.write_all(&export::csv::tally_csv(rubric, &t))?,
        TallyFormat::Table => out.write_all(export::table::tally_table_in(rubric, &t, lang == Lang::Zh).as_bytes())?,
    }
    if !t.ungrouped.is_empty() && args.format != TallyFormat::Table {
        eprintln!(
            "{}",
            (texts(lang).ungrouped_stderr)(t.ungrouped.len(), &t.ungrouped.join(", "))
        );
    }
    std::mem::forget(t);
    Ok(())
}

fn audit(db: &Path, cmd: AuditCommand, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    let store = Store::open(db)?;
    match cmd {
        AuditCommand::Log { entry, judge } => {
            for r in store.audit_log(entry.as_deref(), judge.as_deref())? {
                // In Chinese: the event's name, the keys and the fixed words of the detail.
                use crate::i18n::cli_msgs::{audit_action, audit_text};
                let (entry_key, judge_key) = match lang {
                    Lang::Zh => ("条目", "评委"),
                    Lang::En => ("entry", "judge"),
                };
                let action = audit_action(&r.action, lang);
                let mut line = format!("#{} {} {} {action}", r.seq, r.at, r.actor);
                if let Some(e) = &r.entry {
                    line.push_str(&format!(" {entry_key}={e}"));
                }
                if let Some(j) = &r.judge {
                    line.push_str(&format!(" {judge_key}={j}"));
                }
                if !r.detail.is_empty() {
                    line.push_str(&format!(" {}", audit_text(&r.detail, lang)));
                }
                if r.old_value.is_some() || r.new_value.is_some() {
                    line.push_str(&format!(
                        " {} -> {}",
                        r.old_value.as_deref().map_or("-".to_string(), |v| audit_text(v, lang)),
                        r.new_value.as_deref().map_or("-".to_string(), |v| audit_text(v, lang))
                    ));
                }
                if !r.reason.is_empty() {
                    let label = crate::i18n::cli_msgs::corrections(lang).audit_reason;
                    line.push_str(&format!(" {label}{}", r.reason));
                }
                // Stored text is printed as text: a control character cannot act on the terminal.
                println!("{}", crate::core::text::escape_controls(&line));
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify => match store.audit_verify()? {
            crate::app::ChainCheck::Intact { rows, head } => {
                println!("{}", (t.audit_intact)(rows, &head.to_string()));
                Ok(ExitCode::SUCCESS)
            }
            crate::app::ChainCheck::Broken { seq, problem } => {
                println!("{}", (t.audit_broken)(seq, &problem.to_string()));
                Ok(ExitCode::FAILURE)
            }
            crate::app::ChainCheck::ValueMismatch { seq, problem } => {
                println!("{}", (t.audit_mismatch)(seq, &problem.to_string()));
                Ok(ExitCode::FAILURE)
            }
        },
    }
}

fn demo(lang: Option<&str>, lang_now: Lang) -> Result<ExitCode> {
    let dir = tempfile::Builder::new().prefix("jury-demo-").tempdir()?;
    let path = crate::app::demo::create_demo_workspace(dir.path())?;
    let store = Store::open(&path)?;
    if crate::tui::has_terminal() {
        crate::tui::run_demo(&store, lang)?;
        return Ok(ExitCode::SUCCESS);
    }
    // No terminal (CI, a pipe): never wait for keys; show the demo's tally instead.
    eprintln!("{}", texts(lang_now).demo_no_terminal);
    let args = TallyArgs {
        group: None,
        phase: None,
        format: TallyFormat::Table,
    };
    print_tally(&store, &args, &mut std::io::stdout().lock(), lang_now)?;
    Ok(ExitCode::SUCCESS)
}
