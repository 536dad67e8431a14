//! Command-line arguments (clap derive), and nothing else: what each argument means and
//! how it reads as options. `main` parses them and hands the command to [`crate::cmd::run`].
//!
//! Options several commands share are one flattened struct each, with the same names
//! everywhere ([`OutArgs`], [`TemplateArgs`], [`GeneratedAtArgs`], [`FailOnArgs`],
//! [`PeriodArgs`], [`TzArgs`]); a command that says more about one in its help replaces
//! the help text with `mut_arg`, never the name.

//!
//! The arguments are grouped by command family: `options` (groups several commands share),
//! `logs` (check, events, summary, findings), `package` (report, verify, merge) and
//! `compare` (compare, trend).

mod colour;
mod compare;
mod export;
mod logs;
mod options;
mod package;

pub use colour::{ColorChoice, ColourArgs};
pub use compare::{CompareArgs, CompareFormat, DocumentArgs, TrendArgs, TrendFormat};
pub use export::{ExportArgs, ExportFormat, ExportWhat};
pub use logs::{
    CheckArgs, CheckFormat, EventsArgs, EventsFormat, FindingsArgs, FindingsFormat, SummaryArgs,
    SummaryFormat,
};
pub use options::{
    AssessArgs, FailOn, FailOnArgs, GeneratedAtArgs, InputArgs, NameArgs, OutArgs, PeriodArgs,
    ProgressArgs, SiteArgs, TemplateArgs, TzArgs,
};
pub use package::{MergeArgs, ReportArgs, ReportFormat, VerifyArgs};

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
    /// Summarise a reporting period per category: accounts, logins and authentication,
    /// credentials, privilege use, SELinux/AppArmor denials, audit daemon health and log
    /// completeness, configuration changes, anomalies.
    ///
    /// Every count comes with the list behind it (each item with its file:line) in the
    /// JSON output. Without --period or --from/--to the whole input is summarised.
    Summary(SummaryArgs),
    /// Evaluate finding rules (brute force, short-lived accounts, auditd stopped, ...) and
    /// map them onto framework controls (PCI DSS, SOC 2, ISO 27001, NIST 800-53, HIPAA, CIS).
    ///
    /// Each control gets a status: evidence-ok, exceptions (with file:line), no-evidence (and
    /// the audit rule that would produce it) or not-provable. --fail-on exits 1 for cron/CI.
    Findings(FindingsArgs),
    /// Print the documented default site configuration (auditrail.toml), or check a file.
    Config(ConfigArgs),
    /// Write the monthly evidence package for an auditor: report.html, report.pdf, CSV
    /// populations, summary.json, report.json, manifest.json and SHA256SUMS.
    ///
    /// Without --period the last full calendar month in --tz is reported. The package is
    /// written to a temporary directory next to --out and renamed into place at the end,
    /// so a failed run never leaves a package that looks complete.
    Report(Box<ReportArgs>),
    /// Compare a baseline period with a current one: metrics (flagged beyond --threshold),
    /// hosts that appeared or went silent, accounts created/deleted/first seen, new MAC
    /// denial signatures and, from logs, findings new/persisting/resolved.
    ///
    /// Either two summaries (summary.json files or report package directories), or logs
    /// with --baseline-period and --current-period. Text, JSON, CSV, or one HTML page or A4
    /// PDF with per-day charts of both periods; --fail-on exits 1 for cron/CI.
    Compare(CompareArgs),
    /// Every metric over several periods: one row per metric, one column per summary
    /// (summary.json files or report directories, in the order given), and F-TRD-01: a
    /// metric that moved by more than 50% and more than 2 standard deviations against the
    /// 3 periods before it.
    Trend(TrendArgs),
    /// Check an evidence package: SHA256SUMS, the hashes manifest.json lists (outputs, and
    /// the inputs, configuration, exceptions and policy files still present) and, when the
    /// package is signed, SHA256SUMS.sig.
    ///
    /// Exit status 0 when intact, 1 when a file does not match (each one named), 2 on error.
    Verify(VerifyArgs),
    /// Merge summary.json files of other hosts and/or consecutive periods (daily into
    /// monthly) into one summary.json, as one run over all their logs would give it (a
    /// host's silences and serial gaps across two periods excepted: marked not computed).
    ///
    /// Parts must be disjoint: a host whose events of two parts overlap in time is refused
    /// naming both files, as are periods with a gap between them and different --tz.
    Merge(MergeArgs),

    /// Write records, events or facts as Parquet or JSON Lines for DuckDB, Spark or Trino
    /// (schema: docs/export.md).
    Export(ExportArgs),
    /// Print the shell completion script (bash, zsh, fish, elvish or powershell).
    ///
    /// For example `auditrail completions bash > /etc/bash_completion.d/auditrail`; the
    /// Debian package installs the bash, zsh and fish ones.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of auditrail or of one command, or write them all.
    ///
    /// `auditrail man report | man -l -` reads one; `--dir DIR` writes every page.
    Man(ManArgs),
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (default: the main page).
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Option<String>,
    /// Write every page (auditrail.1, auditrail-report.1, ...) to this directory.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `auditrail config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the documented default auditrail.toml.
    #[arg(long)]
    pub print_defaults: bool,
    /// Check a configuration file and print it with defaults filled in.
    #[arg(long, value_name = "FILE", conflicts_with = "print_defaults")]
    pub check: Option<PathBuf>,
}
