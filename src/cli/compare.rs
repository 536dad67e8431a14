//! Arguments of the commands that set periods side by side: `compare`, `trend`.

use super::options::{
    FailOnArgs, GeneratedAtArgs, InputArgs, NameArgs, OutArgs, ProgressArgs, TemplateArgs, TzArgs,
};
use super::ColourArgs;
use clap::Args;
use std::path::PathBuf;

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
    /// With the period options, compare summary.json files (daily or per-host summaries,
    /// merges, report package directories) instead of logs: each one whose period lies
    /// within a period is merged into that side (both when the periods overlap); one that
    /// straddles a period's edge is an error; the others are named on standard error as
    /// unused. Findings are compared as from logs (with --config).
    #[arg(
        long,
        value_name = "SUMMARY",
        num_args = 1..,
        requires = "baseline_period",
        conflicts_with_all = ["inputs", "baseline_manifest", "passwd", "group"]
    )]
    pub summaries: Vec<PathBuf>,
    #[command(flatten)]
    pub tz: TzArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
    #[command(flatten)]
    pub doc: DocumentArgs,
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
    pub doc: DocumentArgs,
}

/// How a comparison or trend document is written: `--out`/`--force`, `--templates`,
/// `--generated-at`, and `--fail-on` for the run's exit status.
#[derive(Debug, Args)]
pub struct DocumentArgs {
    #[command(flatten)]
    pub output: OutArgs,
    #[command(flatten)]
    pub templates: TemplateArgs,
    #[command(flatten)]
    pub generated_at: GeneratedAtArgs,
    #[command(flatten)]
    pub fail_on: FailOnArgs,
}

/// A relative change in percent: a finite number, 0 or more (NaN would flag nothing).
fn percent(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p.is_finite() && p >= 0.0 => Ok(p),
        _ => Err(format!("{s} is not a percentage (a number, 0 or more)")),
    }
}
