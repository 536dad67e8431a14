//! Arguments of the commands that write or read evidence packages: `report`, `verify`,
//! `merge`.

use super::options::{
    FailOnArgs, GeneratedAtArgs, InputArgs, NameArgs, OutArgs, PeriodArgs, TemplateArgs,
};
use super::ColourArgs;
use clap::Args;
use std::path::PathBuf;

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
    /// Build the package from summary.json files (`summary --format json` per host,
    /// `merge`) or report package directories instead of logs: a central report for hosts
    /// whose logs stay on them. The period is the summaries' (merged); the manifest lists
    /// the summaries as inputs; evidence is cited host:file:line with the raw line the
    /// summaries carry.
    #[arg(
        long,
        value_name = "SUMMARY",
        num_args = 1..,
        conflicts_with_all = ["inputs", "baseline", "period", "from", "to", "rules", "passwd", "group"]
    )]
    pub summaries: Vec<PathBuf>,
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
