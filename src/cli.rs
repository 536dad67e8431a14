//! Command-line arguments (clap derive), and nothing else: what each argument means and
//! how it reads as options. `main` parses them and hands the command to [`crate::cmd::run`].
//!
//! Options several commands share are one flattened struct each, with the same names
//! everywhere ([`OutArgs`], [`TemplateArgs`], [`GeneratedAtArgs`], [`FailOnArgs`],
//! [`PeriodArgs`], [`TzArgs`]); a command that says more about one in its help replaces
//! the help text with `mut_arg`, never the name.

use crate::findings::Severity;
use crate::input;
use crate::parse::{AssembleOptions, ReadOptions};
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

mod colour;
pub use colour::{ColorChoice, ColourArgs};
mod export;
pub use export::{ExportArgs, ExportFormat, ExportWhat};

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

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The report package directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// OpenSSH allowed_signers file: SHA256SUMS.sig must be signed by a key it lists for
    /// the namespace `auditrail`.
    #[arg(long, value_name = "FILE", conflicts_with = "key")]
    pub allowed_signers: Option<PathBuf>,
    /// The signer's OpenSSH public key (`.pub`): SHA256SUMS.sig must be signed by it.
    #[arg(long, value_name = "FILE.pub")]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub colour: ColourArgs,
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

/// The help heading of tuning options, listed after the options most runs use.
const ADVANCED: &str = "Advanced";

/// Where to read logs from, and how to group records into events.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Audit logs: files, directories (rotations read oldest first, .gz detected), or `-`
    /// for standard input. Default: /var/log/audit/
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Seconds of log time after which an event that never got its EOE record is complete
    /// (auditd's end_of_event_timeout).
    #[arg(long, value_name = "SECS", default_value_t = 2, help_heading = ADVANCED)]
    pub eoe_timeout: u64,

    /// Most events held open at once while waiting for their last record; past it the
    /// oldest is completed (keeps memory bounded on damaged logs).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 8192,
        hide_short_help = true,
        help_heading = ADVANCED
    )]
    pub max_open_events: usize,

    /// Threads reading large uncompressed logs, each a byte range of them (default: the
    /// available cores). Compressed logs and standard input are read by two threads.
    #[arg(long, value_name = "N", help_heading = ADVANCED)]
    pub threads: Option<usize>,

    /// Bytes each reading thread takes at a time (tests cut inputs everywhere with it).
    #[arg(long, value_name = "BYTES", hide = true)]
    pub range_bytes: Option<u64>,
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
            threads: self.threads.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
            }),
            range_bytes: self.range_bytes,
            ..ReadOptions::default()
        }
    }

    /// The paths given (the default directory when none), as the user wrote them.
    pub fn paths(&self) -> Vec<PathBuf> {
        if self.inputs.is_empty() {
            vec![PathBuf::from(input::DEFAULT_DIR)]
        } else {
            self.inputs.clone()
        }
    }

    /// The ordered input files.
    pub fn collect(&self) -> anyhow::Result<input::InputSet> {
        Ok(input::collect(&self.inputs)?)
    }
}

/// The progress bar of a command that reads logs (on standard error, on a terminal only).
#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The reporting period.
#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// The period: 2026-10, 2026-Q4, 2026, 2026-W43, 2026-10-05, last-month, this-month,
    /// last-week, this-week, yesterday, today or all. Calendar units are taken in --tz.
    #[arg(long, value_name = "SPEC", conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,

    /// Start of a custom period (inclusive): RFC 3339 (2026-10-05T10:00:00Z) or a date
    /// (local midnight in --tz).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,

    /// End of a custom period (exclusive): RFC 3339 or a date (that day's local midnight,
    /// so the day itself is not included). Default: now.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,

    #[command(flatten)]
    pub tz: TzArgs,

    /// Pretend the current time is this (RFC 3339), for reproducible relative periods.
    #[arg(long, value_name = "TIME", hide = true)]
    pub now: Option<String>,
}

impl PeriodArgs {
    /// The period asked for; `default` when none was given.
    pub fn resolve(
        &self,
        default: impl FnOnce(chrono_tz::Tz, chrono::DateTime<chrono::Utc>) -> crate::period::Period,
    ) -> anyhow::Result<crate::period::Period> {
        use crate::period::{parse_tz, Period};
        let tz = parse_tz(&self.tz.tz)?;
        let now = match &self.now {
            Some(t) => chrono::DateTime::parse_from_rfc3339(t)
                .with_context(|| format!("--now {t} (use RFC 3339, e.g. 2026-11-02T00:00:00Z)"))?
                .with_timezone(&chrono::Utc),
            None => chrono::Utc::now(),
        };
        Ok(match (&self.period, &self.from, &self.to) {
            (Some(spec), _, _) => Period::parse(spec, tz, now)?,
            (None, None, None) => default(tz, now),
            (None, from, to) => Period::from_range(from.as_deref(), to.as_deref(), tz, now)?,
        })
    }
}

/// The time zone of calendar periods (`--tz`).
#[derive(Debug, Args)]
pub struct TzArgs {
    /// Time zone for calendar periods and per-day breakdowns (IANA name, e.g. Europe/Berlin).
    #[arg(long, value_name = "ZONE", env = "AUDITRAIL_TZ", default_value = "UTC")]
    pub tz: String,
}

/// Where a command writes (`--out`) and whether it may replace what is there (`--force`).
/// Each command states in its help what `--out` names and what `--force` may replace.
#[derive(Debug, Args)]
pub struct OutArgs {
    /// Where to write.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out written by auditrail (never an input).
    #[arg(long)]
    pub force: bool,
}

/// Templates overriding the built-in ones by name (`--templates`).
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Folder whose files override the built-in templates by name
    /// (see report-templates/README.md).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// The generation time stated in the output (`--generated-at`).
#[derive(Debug, Args)]
pub struct GeneratedAtArgs {
    /// Generation time to state (RFC 3339), for byte-identical reruns. Default:
    /// SOURCE_DATE_EPOCH if set, else now.
    #[arg(long, value_name = "TIME")]
    pub generated_at: Option<String>,
}

/// The severity from which findings fail a run (`--fail-on`, exit status 1).
#[derive(Debug, Args)]
pub struct FailOnArgs {
    /// Exit with status 1 when a finding at or above this severity exists.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
}

impl FailOnArgs {
    /// Whether a run whose worst finding is `worst` fails.
    pub fn fails(&self, worst: Option<Severity>) -> bool {
        self.fail_on
            .is_some_and(|f| worst.is_some_and(|w| w >= f.severity()))
    }
}

/// Name files for numeric ids, for logs not written in ENRICHED format.
#[derive(Debug, Args)]
pub struct NameArgs {
    /// The hosts' /etc/passwd copy, to name numeric user ids when the log is not ENRICHED.
    #[arg(long, value_name = "FILE")]
    pub passwd: Option<PathBuf>,
    /// The hosts' /etc/group copy, to name numeric group ids.
    #[arg(long, value_name = "FILE")]
    pub group: Option<PathBuf>,
}

impl NameArgs {
    /// The resolver built from the given files (empty when none).
    pub fn resolver(&self) -> anyhow::Result<crate::classify::NameResolver> {
        crate::pipeline::names(self.passwd.as_deref(), self.group.as_deref())
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
    #[command(flatten)]
    pub progress: ProgressArgs,
    #[command(flatten)]
    pub colour: ColourArgs,
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
    #[command(flatten)]
    pub progress: ProgressArgs,
}

/// Output format of `summary`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    /// Aligned tables for a terminal: totals first, then each category.
    Text,
    /// The mergeable summary as JSON, with every list.
    Json,
}

/// Arguments of `summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    /// Show key figures per host as well as in total (text output).
    #[arg(long)]
    pub by_host: bool,
    #[command(flatten)]
    pub names: NameArgs,
    /// Report a host silent when it logged nothing for longer than this many hours.
    /// Default: `silent_hours` of the site configuration (4).
    #[arg(long, value_name = "HOURS", help_heading = ADVANCED)]
    pub silence_hours: Option<u64>,
    /// Site configuration (see `auditrail config --print-defaults`).
    #[arg(long, value_name = "FILE", env = "AUDITRAIL_CONFIG")]
    pub config: Option<PathBuf>,
    /// The audit rules loaded on the hosts (`auditctl -l` output or a rules.d file), for
    /// rule coverage: which controls' rules are missing or loaded and silent. `HOST=FILE`
    /// for one host; repeatable.
    #[arg(long, value_name = "[HOST=]FILE")]
    pub rules: Vec<String>,
    /// Also compute what `aureport --summary` would count (JSON `aureport_equivalent`;
    /// docs/aureport-differences.md explains every difference).
    #[arg(long)]
    pub aureport: bool,
    /// Rows shown per list in text output.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub rows: usize,
    #[command(flatten)]
    pub progress: ProgressArgs,
    #[command(flatten)]
    pub colour: ColourArgs,
}

/// A file format of the evidence package.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum ReportFormat {
    /// report.html: one self-contained page.
    Html,
    /// report.pdf: A4, for signing and archiving.
    Pdf,
    /// One CSV file per population, each row with its file:line.
    Csv,
    /// summary.json (mergeable summary) and report.json (the view model).
    Json,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
#[command(
    mut_arg("out", |a| a
        .value_name("DIR")
        .help("Package directory; `{period}` in it becomes the period (2026-10). Default: \
               ./auditrail-report-<period>/")),
    mut_arg("force", |a| a.help(
        "Replace the auditrail report package in --out (a directory holding anything else, \
         or one of the inputs, is never replaced)")),
    mut_arg("templates", |a| a.help(
        "Folder whose files override the built-in report templates by name \
         (see report-templates/README.md)")),
    mut_arg("fail_on", |a| a.help(
        "Exit with status 1 when a finding at or above this severity exists (the package is \
         written first), so that a timer or cron job shows it")),
)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// A built-in policy name (pci-dss-4.0.1, soc2-2017, iso27001-2022, nist-800-53r5,
    /// hipaa-security, cis-v8.1), or a policy file or directory; repeatable. Default: all
    /// built-ins. Each policy used is hashed into the manifest.
    #[arg(long, value_name = "NAME|FILE|DIR")]
    pub policy: Vec<String>,
    /// Site configuration (see `auditrail config --print-defaults`); hashed into the manifest.
    #[arg(long, value_name = "FILE", env = "AUDITRAIL_CONFIG")]
    pub config: Option<PathBuf>,
    /// The audit rules loaded on the hosts (`auditctl -l` output or a rules.d file), for
    /// rule coverage: which controls' rules are missing or loaded and silent. `HOST=FILE`
    /// for one host; repeatable.
    #[arg(long, value_name = "[HOST=]FILE")]
    pub rules: Vec<String>,
    /// The previous period: its report package directory (or its summary.json). Evaluates
    /// F-MAC-03 (enforced denial signatures new since then) and, for a package, F-AUD-11
    /// (inputs its manifest.json lists whose bytes changed since). `auto`: the newest
    /// package of the previous period beside --out (see docs/operations.md).
    #[arg(long, value_name = "DIR|FILE|auto")]
    pub baseline: Option<PathBuf>,
    /// Formats to write, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "html,pdf,csv,json"
    )]
    pub format: Vec<ReportFormat>,
    #[command(flatten)]
    pub output: OutArgs,
    #[command(flatten)]
    pub templates: TemplateArgs,
    /// Report title.
    #[arg(long, default_value = "Audit log review")]
    pub title: String,
    /// Organisation named on the cover.
    #[arg(long)]
    pub organization: Option<String>,
    /// Reviewer's name (else a blank line to sign).
    #[arg(long)]
    pub reviewer: Option<String>,
    /// Approver's name (else a blank line to sign).
    #[arg(long)]
    pub approver: Option<String>,
    #[command(flatten)]
    pub generated_at: GeneratedAtArgs,
    /// Write CSV cells without neutralising spreadsheet formulas (control characters are
    /// still shown escaped).
    #[arg(long)]
    pub csv_raw: bool,
    /// Write the output even when the period holds no audit record (an empty file, logs of
    /// another period, syslog files): every rule is then not evaluated and the output says
    /// so first. Without it such a run fails (exit 2), naming the inputs and what they held.
    #[arg(long)]
    pub allow_empty: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub names: NameArgs,
    #[command(flatten)]
    pub fail_on: FailOnArgs,
    /// Exceptions register (TOML `[[exception]]` entries: rule, owner, reason, expires, ...):
    /// the findings its unexpired entries match are shown as accepted and do not count for
    /// --fail-on; hashed into the manifest. Default: `exceptions` in the site configuration.
    #[arg(long, value_name = "FILE")]
    pub exceptions: Option<PathBuf>,
    /// Sign SHA256SUMS with this OpenSSH Ed25519 private key (unencrypted), writing
    /// SHA256SUMS.sig in the sshsig format (namespace `auditrail`): `auditrail verify` or
    /// `ssh-keygen -Y verify` checks it (see VERIFY.txt in the package).
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
    #[command(flatten)]
    pub colour: ColourArgs,
}

/// Output format of `compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// Aligned tables for a terminal.
    Text,
    /// The comparison as one JSON document.
    Json,
    /// metrics.csv, hosts.csv, accounts.csv, grants.csv, signatures.csv (and findings.csv,
    /// integrity.csv) in --out.
    Csv,
    /// One self-contained HTML page (inline CSS and SVG charts, no JavaScript).
    Html,
    /// An A4 PDF for archiving next to the reports.
    Pdf,
}

/// Arguments of `compare`.
#[derive(Debug, Args)]
#[command(
    mut_arg("inputs", |a| a
        .value_name("PATH")
        .help("Two summaries (summary.json or a report package directory), baseline first; \
               with --baseline-period/--current-period, the audit logs instead")),
    mut_arg("tz", |a| a.help("Time zone of the periods (IANA name)")),
    mut_arg("out", |a| a
        .value_name("DIR|FILE")
        .help("Where to write: with --format csv the directory for the CSV files (required); \
               with any other format the file to write (default: standard output; a PDF is \
               not written to a terminal). Each file written is named on standard output")),
    mut_arg("force", |a| a.help(
        "Replace an existing --out: a file, or for csv the auditrail compare package in the \
         directory (a directory holding anything else, or an input, is never replaced)")),
    mut_arg("templates", |a| a.help(
        "Folder whose files override the built-in templates by name (compare.html, \
         style.css; see report-templates/README.md)")),
    mut_arg("generated_at", |a| a.help(
        "Generation time to state in html and pdf (RFC 3339), for byte-identical reruns. \
         Default: SOURCE_DATE_EPOCH if set, else now")),
    mut_arg("fail_on", |a| a.help(
        "Exit with status 1 when a finding new in the current period is at or above this \
         severity (findings are compared from logs only), or an archived input changed \
         (F-AUD-11, critical)")),
)]
pub struct CompareArgs {
    /// BASELINE CURRENT summaries (summary.json or a report directory); with the period
    /// options, the audit logs instead.
    #[command(flatten)]
    pub input: InputArgs,
    /// The baseline period of the logs (2026-09, last-month, ...). Both periods are
    /// summarised in one read of the logs; they may overlap.
    #[arg(long, value_name = "SPEC")]
    pub baseline_period: Option<String>,
    /// The current period of the logs.
    #[arg(long, value_name = "SPEC")]
    pub current_period: Option<String>,
    #[command(flatten)]
    pub tz: TzArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
    #[command(flatten)]
    pub output: OutArgs,
    #[command(flatten)]
    pub templates: TemplateArgs,
    #[command(flatten)]
    pub generated_at: GeneratedAtArgs,
    #[command(flatten)]
    pub fail_on: FailOnArgs,
    /// Flag a metric whose relative change is at least this many percent (and at least
    /// --min-change in absolute terms).
    #[arg(long, value_name = "PCT", default_value_t = 50.0, value_parser = percent)]
    pub threshold: f64,
    /// A baseline report package (or its manifest.json): inputs it lists that are inputs
    /// again must still have the SHA-256 it recorded, else F-AUD-11 (critical). Logs only.
    #[arg(long, value_name = "DIR|FILE", requires = "baseline_period")]
    pub baseline_manifest: Option<PathBuf>,
    /// Smallest absolute change that is flagged.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub min_change: u64,
    /// With the logs: compare even when a period holds no audit record (an empty file, logs
    /// of another period, syslog files); findings are then not compared and the output says
    /// so first. Without it such a run fails (exit 2), naming the inputs and what they held.
    #[arg(long)]
    pub allow_empty: bool,
    /// Site configuration (thresholds of the finding rules; logs only).
    #[arg(long, value_name = "FILE", env = "AUDITRAIL_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub names: NameArgs,
    #[command(flatten)]
    pub progress: ProgressArgs,
    #[command(flatten)]
    pub colour: ColourArgs,
}

/// Output format of `trend`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TrendFormat {
    /// Aligned table (metrics that are 0 throughout left out).
    Text,
    /// CSV with every metric.
    Csv,
    /// Metrics per period and F-TRD-01 as one JSON document.
    Json,
    /// One self-contained HTML page: a chart per key metric, the table, F-TRD-01.
    Html,
    /// The same on A4.
    Pdf,
}

/// Arguments of `trend`.
#[derive(Debug, Args)]
#[command(
    mut_arg("out", |a| a
        .value_name("FILE")
        .help("The file to write (default: standard output; a PDF is not written to a \
               terminal); its name is printed on standard output")),
    mut_arg("force", |a| a.help(
        "Replace an existing --out file (never one of the summaries read)")),
    mut_arg("templates", |a| a.help(
        "Folder whose files override the built-in templates by name (trend.html, style.css)")),
    mut_arg("generated_at", |a| a.help(
        "Generation time to state in html and pdf (RFC 3339). Default: SOURCE_DATE_EPOCH if \
         set, else now")),
    mut_arg("fail_on", |a| a.help(
        "Exit with status 1 when a trend finding (F-TRD-01, info) at or above this severity \
         exists")),
)]
pub struct TrendArgs {
    /// summary.json files or report package directories, oldest first.
    #[arg(value_name = "SUMMARY", required = true)]
    pub summaries: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TrendFormat::Text)]
    pub format: TrendFormat,
    #[command(flatten)]
    pub output: OutArgs,
    #[command(flatten)]
    pub templates: TemplateArgs,
    #[command(flatten)]
    pub generated_at: GeneratedAtArgs,
    #[command(flatten)]
    pub fail_on: FailOnArgs,
}

/// Arguments of `merge`.
#[derive(Debug, Args)]
#[command(
    mut_arg("out", |a| a.help("The merged summary.json to write (default: standard output)")),
    mut_arg("force", |a| a.help(
        "Replace an existing --out file (never one of the summaries read)")),
)]
pub struct MergeArgs {
    /// summary.json files (`summary --format json`, a previous merge) or report package
    /// directories, in any order.
    #[arg(value_name = "SUMMARY", required = true)]
    pub summaries: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Output format of `findings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FindingsFormat {
    /// Controls, exceptions and rule outcomes for people.
    Text,
    /// The whole assessment (rules, controls, evidence) as JSON.
    Json,
}

/// Severity names for `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any finding.
    Info,
    /// Low or worse.
    Low,
    /// Medium or worse.
    Medium,
    /// High or worse.
    High,
    /// Critical only.
    Critical,
}

impl FailOn {
    /// The severity.
    pub fn severity(self) -> Severity {
        use Severity as S;
        match self {
            FailOn::Info => S::Info,
            FailOn::Low => S::Low,
            FailOn::Medium => S::Medium,
            FailOn::High => S::High,
            FailOn::Critical => S::Critical,
        }
    }
}

/// `auditrail findings`: finding rules over a period, mapped onto policy controls.
#[derive(Debug, Args)]
pub struct FindingsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Evaluate summary.json files (`summary --format json` per host, `merge`) or report
    /// package directories instead of logs: central findings for hosts whose logs stay on
    /// them. The period is the summaries' (merged); evidence is cited host:file:line.
    #[arg(
        long,
        value_name = "SUMMARY",
        num_args = 1..,
        conflicts_with_all = ["inputs", "baseline", "period", "from", "to"]
    )]
    pub summaries: Vec<PathBuf>,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// A built-in policy name (pci-dss-4.0.1, soc2-2017, iso27001-2022, nist-800-53r5,
    /// hipaa-security, cis-v8.1), or a policy file or directory; repeatable. Default: all
    /// built-ins.
    #[arg(long, value_name = "NAME|FILE|DIR")]
    pub policy: Vec<String>,
    /// Site configuration (see `auditrail config --print-defaults`).
    #[arg(long, value_name = "FILE", env = "AUDITRAIL_CONFIG")]
    pub config: Option<PathBuf>,
    /// The audit rules loaded on the hosts (`auditctl -l` output or a rules.d file), for
    /// rule coverage: which controls' rules are missing or loaded and silent. `HOST=FILE`
    /// for one host; repeatable.
    #[arg(long, value_name = "[HOST=]FILE")]
    pub rules: Vec<String>,
    /// The previous period: its report package directory (or its summary.json). Evaluates
    /// F-MAC-03 (enforced denial signatures new since then) and, for a package, F-AUD-11
    /// (inputs its manifest.json lists whose bytes changed since).
    #[arg(long, value_name = "DIR|FILE")]
    pub baseline: Option<PathBuf>,
    /// Exceptions register (TOML `[[exception]]` entries: rule, owner, reason, expires, ...):
    /// the findings its unexpired entries match are shown as accepted and do not count for
    /// --fail-on. Default: `exceptions` in the site configuration.
    #[arg(long, value_name = "FILE")]
    pub exceptions: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Text)]
    pub format: FindingsFormat,
    #[command(flatten)]
    pub fail_on: FailOnArgs,
    #[command(flatten)]
    pub names: NameArgs,
    /// Evidence rows shown per finding in text output.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub rows: usize,
    /// Write the output even when the period holds no audit record (an empty file, logs of
    /// another period, syslog files): every rule is then not evaluated and the output says
    /// so first. Without it such a run fails (exit 2), naming the inputs and what they held.
    #[arg(long)]
    pub allow_empty: bool,
    #[command(flatten)]
    pub progress: ProgressArgs,
    #[command(flatten)]
    pub colour: ColourArgs,
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

/// A relative change in percent: a finite number, 0 or more (NaN would flag nothing).
fn percent(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p.is_finite() && p >= 0.0 => Ok(p),
        _ => Err(format!("{s} is not a percentage (a number, 0 or more)")),
    }
}
