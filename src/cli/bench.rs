//! `jury bench`: generate contests of any size and measure the program against fzf and the
//! sqlite3 shell (docs/performance.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use std::io::Write;
use std::time::Duration;

use crate::bench::generator::generate;
use crate::bench::run::{RunOptions, run, score_worker, startup_probe};
use crate::bench::serve::{ServeBenchOptions, run_serve_bench, table};
use crate::error::Result;

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Write N generated cases (cases.csv), 7 judges (judges.csv, PINs 100001…100007), their scores on
    /// the cases template (scores.csv), titles.txt for fzf, and DIR/workspace.jury built from them.
    Gen(GenArgs),
    /// Measure search, `jury find` vs fzf, import vs sqlite3 .import, tally vs plain SQL, start-up,
    /// scoring under load and frame time, generating each size in DIR/nN first if needed.
    Run(RunArgs),
    /// Measure `jury serve` with SSH clients scoring flat out on loopback: login to first frame, key
    /// to redrawn frame, save to the frame saying Saved, server memory (clients share the cores).
    Serve(ServeArgs),
    /// (Used by `bench run`.) Open the judges' screen up to its first frame and print timings as JSON.
    #[command(hide = true)]
    Startup {
        #[arg(long)]
        judge: String,
        #[arg(long, env = "JURY_BENCH_PIN", hide_env_values = true)]
        pin: String,
    },
    /// (Used by `bench run`.) Score as a judge until the stop file exists; print how many scores.
    #[command(hide = true)]
    Worker {
        #[arg(long)]
        judge: String,
        #[arg(long, env = "JURY_BENCH_PIN", hide_env_values = true)]
        pin: String,
        #[arg(long, default_value_t = 0)]
        first: usize,
        #[arg(long, default_value_t = 0)]
        pace_ms: u64,
        #[arg(long)]
        stop: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Contest sizes, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    pub sizes: Vec<usize>,
    /// Where generated contests live (DIR/n1000, …) and are reused.
    #[arg(long, value_name = "DIR", default_value = "bench-data")]
    pub dir: PathBuf,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Runs of each whole-process figure (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Which measurements: all, or some of search, find, import, tally, startup, frame, load.
    #[arg(long, value_delimiter = ',', default_value = "all")]
    pub only: Vec<String>,
    /// Judges scoring beside the measured one in the load test.
    #[arg(long, default_value_t = 16)]
    pub load_judges: usize,
    /// Pause between two scores of each loading judge, in ms (0: as fast as they can).
    #[arg(long, default_value_t = 0)]
    pub load_pace_ms: u64,
    /// Also write the figures as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// How many cases in the generated contest (DIR/nN, made if missing, reused).
    #[arg(long, default_value_t = 100_000)]
    pub entries: usize,
    /// SSH clients, one judge each.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=99))]
    pub clients: u64,
    /// How long each client runs, counted from its connect (the login is part of it).
    #[arg(long, default_value_t = 30)]
    pub seconds: u64,
    #[arg(long, value_name = "DIR", default_value = "bench-data")]
    pub dir: PathBuf,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// table (readable) or json.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    pub format: String,
}

#[derive(Args, Debug)]
pub struct GenArgs {
    /// How many cases.
    pub n: usize,
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The same seed gives the same files.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Only the files, no workspace.
    #[arg(long)]
    pub no_workspace: bool,
}

pub fn bench(db: &std::path::Path, cmd: BenchCommand) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Gen(args) => {
            let started = std::time::Instant::now();
            let mut progress =
                |what: &str| eprintln!("jury bench gen: {what} ({:.1} s)", started.elapsed().as_secs_f64());
            let out = generate(&args.out, args.n, args.seed, !args.no_workspace, &mut progress)?;
            println!(
                "Generated {} cases in {}: {}, {}, {}, {}{}",
                args.n,
                args.out.display(),
                out.cases_csv.display(),
                out.judges_csv.display(),
                out.scores_csv.display(),
                out.titles.display(),
                out.workspace
                    .as_ref()
                    .map(|w| format!(", {}", w.display()))
                    .unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Run(args) => {
            let options = RunOptions {
                sizes: args.sizes,
                dir: args.dir,
                seed: args.seed,
                runs: args.runs,
                parts: args.only,
                load_judges: args.load_judges,
                load_pace_ms: args.load_pace_ms,
            };
            let mut out = std::io::stdout();
            writeln!(out, "| N | what | ours | anchor | anchor/ours | target |")?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            let figures = run(&options, &mut out)?;
            if let Some(path) = args.json {
                std::fs::write(&path, serde_json::to_string_pretty(&figures).unwrap_or_default())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Serve(args) => {
            let options = ServeBenchOptions {
                entries: args.entries,
                clients: usize::try_from(args.clients).unwrap_or(30),
                seconds: args.seconds,
                dir: args.dir,
                seed: args.seed,
            };
            let report = run_serve_bench(&options, &mut std::io::stderr())?;
            let mut out = std::io::stdout();
            if args.format == "json" {
                writeln!(out, "{}", serde_json::to_string_pretty(&report).unwrap_or_default())?;
            } else {
                write!(out, "{}", table(&report))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Startup { judge, pin } => {
            startup_probe(db, &judge, &pin, (200, 60), &mut |probe| {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{}", serde_json::to_string(probe).unwrap_or_default());
                let _ = out.flush();
            })?;
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Worker {
            judge,
            pin,
            first,
            pace_ms,
            stop,
        } => {
            let done = score_worker(db, &judge, &pin, first, Duration::from_millis(pace_ms), &stop)?;
            println!("{done}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
