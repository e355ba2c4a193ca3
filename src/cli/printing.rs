//! `jury export …` and `jury verify-print`: printouts, spreadsheets, backups, and checking a
//! printout's fingerprint against the workspace.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::app::Store;
use crate::app::export::{
    DataFormat, Form, PrintCheck, ResultsFormat, SelectedFormat, SheetsFormat, Written, check_print, export_sheets,
    parse_fingerprint,
};
use crate::error::Result;
use crate::i18n::Lang;
use crate::i18n::cli::texts;

/// `--format` of `jury export results` (the command line's names for [`ResultsFormat`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultsFormatArg {
    /// Print-ready HTML (A4, a page per group, signature lines).
    Html,
    /// A spreadsheet: a sheet per group plus every judge's scores (评分明细).
    Xlsx,
    /// UTF-8 CSV with a BOM (Excel on Chinese Windows), one row per entry.
    Csv,
    /// Markdown tables aligned by display width.
    Md,
    /// A Word document (Word, WPS): the same columns, A4, landscape when wide.
    Docx,
}

impl From<ResultsFormatArg> for ResultsFormat {
    fn from(f: ResultsFormatArg) -> Self {
        match f {
            ResultsFormatArg::Html => ResultsFormat::Html,
            ResultsFormatArg::Xlsx => ResultsFormat::Xlsx,
            ResultsFormatArg::Csv => ResultsFormat::Csv,
            ResultsFormatArg::Md => ResultsFormat::Md,
            ResultsFormatArg::Docx => ResultsFormat::Docx,
        }
    }
}

/// `--format` of `jury export sheets`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SheetsFormatArg {
    Html,
    Xlsx,
}

impl From<SheetsFormatArg> for SheetsFormat {
    fn from(f: SheetsFormatArg) -> Self {
        match f {
            SheetsFormatArg::Html => SheetsFormat::Html,
            SheetsFormatArg::Xlsx => SheetsFormat::Xlsx,
        }
    }
}

/// `--format` of `jury export selected`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SelectedFormatArg {
    Html,
    Xlsx,
    Csv,
    /// The case collection (入选案例集) for publication: a Word document of the selected cases by
    /// topic with their four parts, opening with the list of topics and titles.
    Docx,
}

impl From<SelectedFormatArg> for SelectedFormat {
    fn from(f: SelectedFormatArg) -> Self {
        match f {
            SelectedFormatArg::Html => SelectedFormat::Html,
            SelectedFormatArg::Xlsx => SelectedFormat::Xlsx,
            SelectedFormatArg::Csv => SelectedFormat::Csv,
            SelectedFormatArg::Docx => SelectedFormat::Docx,
        }
    }
}

/// `--format` of `jury export entries|scores`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DataFormatArg {
    /// UTF-8 CSV with a BOM (Excel on Chinese Windows), the header names `jury import` reads.
    Csv,
    /// A workbook with one sheet, every cell text.
    Xlsx,
    /// `{"entries": [...]}` or `{"scores": [...]}`.
    Json,
}

impl From<DataFormatArg> for DataFormat {
    fn from(f: DataFormatArg) -> Self {
        match f {
            DataFormatArg::Csv => DataFormat::Csv,
            DataFormatArg::Xlsx => DataFormat::Xlsx,
            DataFormatArg::Json => DataFormat::Json,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Ranked results per group: print-ready HTML, XLSX, CSV (UTF-8 with BOM) or Markdown.
    Results(ResultsArgs),
    /// Each judge's own score sheet (评分表) per group, with comments and a signature line.
    Sheets(SheetsArgs),
    /// The cases selected (入选) by batch and topic, for publication.
    Selected {
        #[arg(long, value_enum)]
        format: SelectedFormatArg,
        /// The file to write (default: selected-<contest>-<date>.<ext> in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Publish even a selected case that fails the formal check or is the lower-ranked case of
        /// likely duplicates (refused by default).
        #[arg(long)]
        include_flagged: bool,
        /// Replace the file given with --out if it exists (its mode is kept).
        #[arg(long, requires = "out")]
        force: bool,
        /// The phase (评审阶段) to read, e.g. 初评 (default: the current one).
        #[arg(long, value_name = "NAME")]
        phase: Option<String>,
    },
    /// Certificates (荣誉证书): one A4 landscape page per award winner (for cases: per selected
    /// case) with its number, the date and the organiser, as print-ready HTML.
    Certificates {
        /// Only this group's (the numbers stay those of the whole contest).
        #[arg(long)]
        group: Option<String>,
        /// The file to write (default: certificates-<contest>-<date>.html in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the file given with --out if it exists (its mode is kept).
        #[arg(long, requires = "out")]
        force: bool,
        /// The phase (评审阶段) to read, e.g. 初评 (default: the current one).
        #[arg(long, value_name = "NAME")]
        phase: Option<String>,
    },
    /// Every entry with every stored column (the four sections and the columns an import kept),
    /// in the shape `jury import entries` reads: CSV, XLSX or JSON.
    Entries {
        #[arg(long, value_enum)]
        format: DataFormatArg,
        /// The file to write (default: entries-<contest>-<date>.<ext> in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the file given with --out if it exists (its mode is kept).
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Every stored score, drafts included, as judge,entry,round,criterion,score,status: the
    /// shape `jury import scores` reads (CSV, XLSX or JSON).
    Scores {
        #[arg(long, value_enum)]
        format: DataFormatArg,
        /// The file to write (default: scores-<contest>-<date>.<ext> in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the file given with --out if it exists (its mode is kept).
        #[arg(long, requires = "out")]
        force: bool,
        /// The phase (评审阶段) to read, e.g. 初评 (default: the current one).
        #[arg(long, value_name = "NAME")]
        phase: Option<String>,
    },
    /// A page of cards to hand out, one per judge: where to connect to `jury serve`, the judge's
    /// id, the host key fingerprint and the ssh line for Windows and macOS. Never the PIN.
    ConnectCards {
        /// The address the judges type (default: this computer's first non-loopback IPv4
        /// address, as `serve` shows it).
        #[arg(long, value_name = "ADDR")]
        host: Option<String>,
        /// The port `serve` listens on.
        #[arg(long, default_value_t = 2222, value_name = "N")]
        port: u16,
        /// The file to write (default: connect-cards-<contest>-<date>.html in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the file given with --out if it exists (its mode is kept).
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// A consistent copy of the whole workspace, safe while judges keep scoring.
    Backup {
        /// The new file (never overwritten). Open it with `jury --db FILE`.
        file: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct ResultsArgs {
    #[arg(long, value_enum)]
    pub format: ResultsFormatArg,
    /// Only this group.
    #[arg(long)]
    pub group: Option<String>,
    /// The file to write (default: results-<contest>-<date>.<ext> in the current folder; when
    /// that exists, -2, -3, … is added). An existing FILE is refused without --force.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file given with --out if it exists (its mode is kept). A device, FIFO, folder
    /// or symbolic link is never replaced.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// The copy posted for publicity (公示): no judges' names, individual marks, 分差过大 flags or
    /// judges' signature lines; the rubric's `publicity` text and the organiser's line for the seal.
    #[arg(long)]
    pub public: bool,
    /// The phase (评审阶段) whose results to print, e.g. 初评 (default: the current one).
    #[arg(long, value_name = "NAME")]
    pub phase: Option<String>,
}

#[derive(Args, Debug)]
pub struct SheetsArgs {
    #[arg(long, value_enum)]
    pub format: SheetsFormatArg,
    /// Only this judge's sheets (default: every judge, one after another).
    #[arg(long, value_name = "ID")]
    pub judge: Option<String>,
    /// Only this group.
    #[arg(long)]
    pub group: Option<String>,
    /// The file to write (default: sheets-<contest>-<date>.<ext> in the current folder; when
    /// that exists, -2, -3, … is added). An existing FILE is refused without --force.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file given with --out if it exists (its mode is kept).
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Empty sheets to fill in on paper: each judge's entries (the group's panel or their
    /// assignments; not those in conflict or withdrawn), every round, the boxes empty. Needs no
    /// score. The XLSX form, filled in, imports back with `jury import scores FILE.xlsx`.
    #[arg(long)]
    pub blank: bool,
    /// The phase (评审阶段) to read, e.g. 初评 (default: the current one).
    #[arg(long, value_name = "NAME")]
    pub phase: Option<String>,
}

/// A printing command whose stdout is closed (`jury audit log | head -1`) ends there, quietly, as
/// Unix tools do: SIGPIPE is given back its default action, which Rust's runtime had set to
/// ignore (every `println!` would then panic on the closed pipe). Only for commands that print
/// and end; the screens keep the runtime's setting.
pub fn end_quietly_on_closed_stdout() {
    #[cfg(unix)]
    // SAFETY: called once at start-up before any thread is spawned; SIG_DFL is a valid action
    // for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// A write error that means the reader went away (stdout closed) rather than a failure.
pub fn is_closed_stdout(e: &crate::error::Error) -> bool {
    matches!(e, crate::error::Error::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn report(what: &str, written: &Written, lang: Lang) {
    println!(
        "{}",
        (texts(lang).wrote)(
            what,
            written.groups,
            written.entries,
            &written.path.display().to_string(),
            &written.fingerprint.to_string()
        )
    );
}

pub fn export(db: &Path, cmd: ExportCommand, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    let store = Store::open(db)?;
    match cmd {
        ExportCommand::Results(args) => {
            let read = crate::app::phases::read_phase(&store, args.phase.as_deref())
                .map_err(|e| super::phases::translated(e, lang))?;
            let written = crate::app::export::export_results_in(
                &read,
                args.format.into(),
                args.group.as_deref(),
                args.out.as_deref(),
                args.force,
                args.public,
                lang == Lang::Zh,
            )?;
            report(t.the_results, &written, lang);
            if args.format == ResultsFormatArg::Csv && args.out.is_some() {
                println!("{}", t.csv_no_fingerprint);
            }
        }
        ExportCommand::Sheets(args) if args.blank => {
            let read = crate::app::phases::read_phase(&store, args.phase.as_deref())?;
            let written = crate::app::export::export_blank_sheets(
                &read,
                args.format.into(),
                args.judge.as_deref(),
                args.group.as_deref(),
                args.out.as_deref(),
                args.force,
            )
            .map_err(|e| crate::i18n::cli_paper::translated(lang, e))?;
            report((crate::i18n::cli_paper::texts(lang).blank_sheets)(), &written, lang);
        }
        ExportCommand::Sheets(args) => {
            let read = crate::app::phases::read_phase(&store, args.phase.as_deref())?;
            let written = export_sheets(
                &read,
                args.format.into(),
                args.judge.as_deref(),
                args.group.as_deref(),
                args.out.as_deref(),
                args.force,
            )?;
            report(t.the_sheets, &written, lang);
        }
        ExportCommand::Selected {
            format,
            out,
            include_flagged,
            force,
            phase,
        } => {
            let read = crate::app::phases::read_phase(&store, phase.as_deref())?;
            let written =
                crate::app::export::export_selected(&read, format.into(), out.as_deref(), include_flagged, force)?;
            report(t.the_selected, &written, lang);
        }
        ExportCommand::Certificates {
            group,
            out,
            force,
            phase,
        } => {
            let read = crate::app::phases::read_phase(&store, phase.as_deref())?;
            let written = crate::app::export::export_certificates(&read, group.as_deref(), out.as_deref(), force)?;
            println!(
                "{}",
                (t.wrote_certificates)(
                    written.certificates,
                    &written.numbers.0.to_string(),
                    &written.numbers.1.to_string(),
                    &written.date,
                    &written.path.display().to_string(),
                    &written.fingerprint.to_string()
                )
            );
        }
        ExportCommand::Entries { format, out, force } => {
            let written = crate::app::export::export_entries(&store, format.into(), out.as_deref(), force)?;
            println!(
                "{}",
                (t.wrote_entries)(written.rows, &written.path.display().to_string())
            );
        }
        ExportCommand::Scores {
            format,
            out,
            force,
            phase,
        } => {
            let read = crate::app::phases::read_phase(&store, phase.as_deref())?;
            let written = crate::app::export::export_scores(&read, format.into(), out.as_deref(), force)?;
            println!(
                "{}",
                (t.wrote_scores)(written.rows, &written.path.display().to_string())
            );
        }
        ExportCommand::ConnectCards { host, port, out, force } => {
            let data = crate::app::export::connect_cards_data(&store)?;
            let host = match host {
                Some(h) => checked_host(&h)?,
                None => crate::serve::default_connect_host(port),
            };
            // The key `serve` will use, made now when it has not run yet.
            let fingerprint = crate::serve::hostkey::workspace_fingerprint(db)?;
            let written =
                crate::app::export::export_connect_cards(&data, &host, port, &fingerprint, out.as_deref(), force)?;
            println!(
                "{}",
                (t.wrote_cards)(
                    written.cards,
                    &host,
                    port,
                    &written.path.display().to_string(),
                    &fingerprint.to_string()
                )
            );
        }
        ExportCommand::Backup { file } => {
            let fingerprint = crate::app::export::backup(&store, &file)?;
            println!(
                "{}",
                (t.backed_up)(
                    &db.display().to_string(),
                    &file.display().to_string(),
                    &fingerprint.to_string()
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--host` as a judge types it: not empty, no spaces or control characters, `@` or `/`; an IPv6
/// address in brackets.
fn checked_host(host: &str) -> Result<String> {
    let host = host.trim();
    if host.is_empty()
        || host
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '@' | '/'))
    {
        return Err(crate::core::refusal::CommandRefusal::BadHost(host.to_string()).into());
    }
    Ok(match host.parse::<std::net::Ipv6Addr>() {
        Ok(v6) => format!("[{v6}]"),
        Err(_) => host.to_string(),
    })
}

/// Exit 0 when the printout matches the workspace now: a `JURY2-` fingerprint by its content and
/// (printed in full) its audit head, an old `JURY-` one by its scores as before. A workspace
/// changed outside jury never matches.
pub fn verify_print(db: &Path, fingerprint: &str, lang: Lang) -> Result<ExitCode> {
    let t = texts(lang);
    let printed = parse_fingerprint(fingerprint)?;
    let store = Store::open(db)?;
    let (v, now, sealed) = match check_print(&store, &printed)? {
        PrintCheck::Changed { refusal } => {
            println!("{}", (t.no_match_because)(&refusal.to_string()));
            return Ok(ExitCode::FAILURE);
        }
        PrintCheck::Compared {
            verification,
            now,
            sealed,
        } => (verification, now, sealed),
    };
    let matches = v.matches();
    match (matches, printed.form) {
        (true, Form::Old) => println!("{}", t.match_old),
        (true, Form::Sealed) if printed.audit.is_none() => println!("{}", t.match_short),
        (true, Form::Sealed) => println!("{}", t.match_sealed),
        (false, Form::Old) => println!("{}", t.no_match_old),
        (false, Form::Sealed) => println!("{}", t.no_match_sealed),
    }
    let lines = match lang {
        Lang::Zh => &v.lines_zh,
        Lang::En => &v.lines,
    };
    for line in lines {
        println!("  {line}");
    }
    if !sealed {
        println!("{}", t.no_seal_yet);
    }
    println!("{}", (t.now)(&now.to_string()));
    Ok(if matches { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
