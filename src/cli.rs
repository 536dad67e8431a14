//! Command-line arguments (clap derive) and dispatch to one module per command.
//! `main` only calls [`main`] here; errors are printed once, exit codes are mapped here.

use crate::input;
use crate::parse::{AssembleOptions, ReadOptions};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Turn Linux Audit logs (auditd's audit.log) into exact, traceable compliance evidence.
///
/// Every count auditrail prints can be traced to the raw log lines it came from, and every
/// line it could not read is counted and named (file:line). Logs are read as they are:
/// rotated files (oldest first), .gz, several hosts, syslog-forwarded lines, ENRICHED format.
#[derive(Debug, Parser)]
#[command(name = "auditrail", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check what a set of logs contains and how well it reads: files, lines, records,
    /// events, rejected lines with file:line samples, time range per host.
    ///
    /// Run this first on logs you are about to report on. Exit status is 0 even when lines
    /// are rejected (they are listed); use --strict to fail instead.
    Check(CheckArgs),
    /// Print every assembled event, one per line (JSON Lines by default): time, node,
    /// serial and its records with raw, decoded and enriched fields and their file:line.
    ///
    /// Useful to see exactly what auditrail read, and as an export to a SIEM.
    Events(EventsArgs),
}

/// Where to read logs from, and how to group records into events.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Audit logs: files, directories (rotations read oldest first, .gz detected), or `-`
    /// for standard input. Default: /var/log/audit/
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Seconds of log time after which an event that never got its EOE record is complete
    /// (auditd's end_of_event_timeout).
    #[arg(long, value_name = "SECS", default_value_t = 2)]
    pub eoe_timeout: u64,

    /// Most events held open at once while waiting for their last record; past it the
    /// oldest is completed (keeps memory bounded on damaged logs).
    #[arg(long, value_name = "N", default_value_t = 8192, hide_short_help = true)]
    pub max_open_events: usize,
}

impl InputArgs {
    /// Reading options from the arguments.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            assemble: AssembleOptions {
                timeout_secs: self.eoe_timeout,
                max_open: self.max_open_events.max(1),
                ..AssembleOptions::default()
            },
            ..ReadOptions::default()
        }
    }

    /// The ordered input files.
    pub fn collect(&self) -> anyhow::Result<input::InputSet> {
        Ok(input::collect(&self.inputs)?)
    }
}

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Aligned tables for a terminal.
    Text,
    /// One JSON document.
    Json,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Fail (exit 2) when any line is rejected, naming the first one.
    #[arg(long)]
    pub strict: bool,
}

/// Output format of `events`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EventsFormat {
    /// One JSON object per event per line.
    Jsonl,
    /// One line of text per event.
    Text,
}

/// Arguments of `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EventsFormat::Jsonl)]
    pub format: EventsFormat,
    /// Include each record's raw line (JSON only).
    #[arg(long)]
    pub raw: bool,
}

/// Parses arguments, runs the command, prints an error once, maps exit codes:
/// 0 success, 1 findings at or above --fail-on, 2 error. A closed output pipe exits quietly.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("auditrail: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let code = match cli.command {
        Command::Check(args) => crate::cmd::check::run(&args, &mut out)?,
        Command::Events(args) => crate::cmd::events::run(&args, &mut out)?,
    };
    std::io::Write::flush(&mut out)?;
    Ok(code)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
