//! Arguments of the commands that read logs and print: `check`, `events`, `summary`,
//! `findings`.

use super::options::{
    AssessArgs, FailOnArgs, InputArgs, NameArgs, PeriodArgs, ProgressArgs, SiteArgs, ADVANCED,
};
use super::ColourArgs;
use clap::Args;
use std::path::PathBuf;

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
    #[command(flatten)]
    pub site: SiteArgs,
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

/// Output format of `findings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FindingsFormat {
    /// Controls, exceptions and rule outcomes for people.
    Text,
    /// The whole assessment (rules, controls, evidence) as JSON.
    Json,
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
    #[command(flatten)]
    pub assess: AssessArgs,
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
