//! Option groups several commands share, each one flattened struct with the same names
//! everywhere.

use crate::findings::Severity;
use crate::input;
use crate::parse::{AssembleOptions, ReadOptions};
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

/// The help heading of tuning options, listed after the options most runs use.
pub(super) const ADVANCED: &str = "Advanced";

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

/// The site configuration and the audit rules loaded on the hosts.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Site configuration (see `auditrail config --print-defaults`).
    #[arg(long, value_name = "FILE", env = "AUDITRAIL_CONFIG")]
    pub config: Option<PathBuf>,
    /// The audit rules loaded on the hosts (`auditctl -l` output or a rules.d file), for
    /// rule coverage: which controls' rules are missing or loaded and silent. `HOST=FILE`
    /// for one host; repeatable.
    #[arg(long, value_name = "[HOST=]FILE")]
    pub rules: Vec<String>,
}

/// What the finding rules are evaluated with: the policies, the site and the previous period.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// A built-in policy name (pci-dss-4.0.1, soc2-2017, iso27001-2022, nist-800-53r5,
    /// hipaa-security, cis-v8.1), or a policy file or directory; repeatable. Default: all
    /// built-ins.
    #[arg(long, value_name = "NAME|FILE|DIR")]
    pub policy: Vec<String>,
    #[command(flatten)]
    pub site: SiteArgs,
    /// The previous period: its report package directory (or its summary.json). Evaluates
    /// F-MAC-03 (enforced denial signatures new since then) and, for a package, F-AUD-11
    /// (inputs its manifest.json lists whose bytes changed since).
    #[arg(long, value_name = "DIR|FILE")]
    pub baseline: Option<PathBuf>,
}
