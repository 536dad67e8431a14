//! The report view model: one serializable [`Report`] that every renderer (HTML, PDF, CSV,
//! JSON) receives, so the formats cannot disagree.
//!
//! It exists to cut the renderers off from the pipeline: `render` never sees a `Summary`, a
//! `Fact` or an `InputQuality`, only plain strings and numbers in a fixed order (vectors
//! built from `BTreeMap`s, never `HashMap` iteration). Log-derived strings are plain data
//! here; escaping is each renderer's job (HTML autoescape, CSV formula neutralisation, PDF
//! wrapping).
//!
//! Controls and findings come from the caller as plain view rows ([`ControlRow`],
//! [`FindingRow`]): the findings engine and the policies fill them. When no policy was
//! evaluated the report says so ([`PolicyStatus`]) and shows no control statuses.

pub mod assessment;
pub mod brief;
pub mod columns;
mod completeness;
pub mod executive;
pub mod register;
mod rows;
mod sections;

pub use completeness::hosts_shown;

pub use columns::{Column, Columns};
pub use rows::FactRows;

use crate::aggregate::Summary;
use crate::model::{format_ms, format_opt_ms};
use crate::parse::InputQuality;
use crate::period::Period;
use serde::Serialize;

/// Version of `report.json`'s shape (2: list rows are `cells` under the section's
/// `columns`).
pub const REPORT_SCHEMA_VERSION: u32 = 2;

/// What the report says when no policy was evaluated.
pub const NO_POLICY_STATEMENT: &str = "No policy was evaluated in this run: the control table \
and the findings register are empty. The counts and lists below are evidence only; no control \
status is claimed.";

/// The whole report (its populations' rows made from the summary's facts as they are
/// written: [`FactRows`]).
#[derive(Clone, Debug, Serialize)]
pub struct Report<'a> {
    /// Shape version of this document.
    pub schema_version: u32,
    /// Title on the cover.
    pub title: String,
    /// Organisation, when given.
    pub organization: Option<String>,
    /// Set when the period holds no audit record (`--allow-empty`): the verdict, stated
    /// before anything else (HTML top, PDF page 1), saying what the input held instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_evidence: Option<String>,
    /// What was examined, how, and when.
    pub scope: Scope,
    /// The executive summary: verdict per framework, findings by severity, caveats, the
    /// most serious register entries.
    pub executive: executive::Executive,
    /// Headline metrics by stable id, with their labels.
    pub key_figures: Vec<Metric>,
    /// Log completeness per host and the input quality.
    pub completeness: Completeness,
    /// Whether controls were evaluated.
    pub policy: PolicyStatus,
    /// One row per control (empty when no policy was evaluated).
    pub controls: Vec<ControlRow>,
    /// Every finding with its evidence (`findings.csv`).
    pub findings: Vec<FindingRow>,
    /// The register as the document shows it: findings grouped, critical first.
    pub register: Vec<register::RegisterEntry>,
    /// The exceptions register (`--exceptions`): every entry with what it accepted, or that
    /// it expired or matched nothing; absent without an exceptions file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<crate::findings::exceptions::Register>,
    /// One section per evidence category.
    pub sections: Vec<Section<'a>>,
    /// Every input file with its SHA-256.
    pub integrity: Vec<InputFileRow>,
    /// Review and approval.
    pub signoff: SignOff,
    /// The local days of the period (`YYYY-MM-DD`); every per-day series is aligned to it.
    pub days: Vec<String>,
}

/// Scope and identification.
#[derive(Clone, Debug, Serialize)]
pub struct Scope {
    /// The period.
    pub period: PeriodView,
    /// Hosts with events in the period (the first [`crate::limits::HOSTS`]).
    pub hosts: Vec<String>,
    /// Limits reached while reading and summarising, for people (`limit reached: ...`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<String>,
    /// Problems with the input, for people: files that changed while read (the package
    /// may hold only part of them), directory entries that are not regular files.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub input_warnings: Vec<String>,
    /// Policies (mapping files) used.
    pub policies: Vec<PolicyRef>,
    /// Options that change what is counted.
    pub options: Vec<OptionRow>,
    /// The tool.
    pub tool: ToolInfo,
    /// When the report was generated (RFC 3339, UTC).
    pub generated_at: String,
}

/// The period as shown.
#[derive(Clone, Debug, Serialize)]
pub struct PeriodView {
    /// Canonical spec (`2026-10`).
    pub spec: String,
    /// Local description with zone.
    pub description: String,
    /// IANA zone.
    pub tz: String,
    /// Inclusive start (UTC), when bounded.
    pub start: Option<String>,
    /// Exclusive end (UTC), when bounded.
    pub end: Option<String>,
}

/// A policy file used for the control table.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct PolicyRef {
    /// Path as given.
    pub path: String,
    /// Framework and version as the file states it.
    pub version: String,
    /// SHA-256 of the file.
    pub sha256: String,
}

/// One option and its value.
#[derive(Clone, Debug, Serialize)]
pub struct OptionRow {
    /// Option name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// Tool name and version.
#[derive(Clone, Debug, Serialize)]
pub struct ToolInfo {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
}

/// A metric by stable id.
#[derive(Clone, Debug, Serialize)]
pub struct Metric {
    /// Stable id (see `aggregate::metrics`).
    pub id: String,
    /// Label for people (`aggregate::metrics::label`).
    pub label: String,
    /// Value.
    pub value: u64,
}

/// Completeness of the evidence.
#[derive(Clone, Debug, Serialize)]
pub struct Completeness {
    /// Per host.
    pub hosts: Vec<HostRow>,
    /// What was read.
    pub input: InputView,
    /// The silence threshold, hours.
    pub silence_threshold_hours: f64,
    /// When not every host gets its own chart ([`HOST_CHARTS`]): what the charts show, and
    /// the events per day of all hosts together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleet: Option<FleetChart>,
}

/// Most hosts charted one by one; a larger fleet gets one chart of all hosts plus the
/// hosts that need attention first.
pub const HOST_CHARTS: usize = 24;

/// Most hosts the HTML and PDF completeness tables and scope list (those needing attention
/// first, then the busiest); every host is in `hosts.csv` and `report.json`.
pub const HOSTS_SHOWN: usize = 500;

/// Most findings the HTML and PDF registers show in full (in register order); every finding
/// is in `findings.csv` and `report.json`.
pub const FINDINGS_SHOWN: usize = 500;

/// The whole fleet's activity, for reports with more hosts than [`HOST_CHARTS`].
#[derive(Clone, Debug, Serialize)]
pub struct FleetChart {
    /// Events per day of all hosts, aligned to [`Report::days`].
    pub per_day: Vec<u64>,
    /// Which hosts have their own chart, for people.
    pub note: String,
}

/// One host's completeness.
#[derive(Clone, Debug, Serialize)]
pub struct HostRow {
    /// Host name.
    pub name: String,
    /// Events in the period.
    pub events: u64,
    /// Share of the period between first and last event less silences, `99.5%`; `-` when
    /// the period is unbounded.
    pub coverage: String,
    /// First event.
    pub first: String,
    /// Last event.
    pub last: String,
    /// Silences over the threshold.
    pub silences: Vec<SilenceRow>,
    /// Serial discontinuities.
    pub serial_gaps: Vec<GapRow>,
    /// Total serials missing.
    pub missing_serials: u64,
    /// Lost events reported by the kernel.
    pub lost_events: u64,
    /// Events per day, aligned to [`Report::days`].
    pub per_day: Vec<u64>,
    /// Whether the report draws this host's chart (every host up to [`HOST_CHARTS`]).
    pub charted: bool,
    /// What the coverage limit cut for this host (`silences`, `serial_gaps`, ...: not
    /// computed or incomplete).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub limit_reached: Vec<String>,
}

/// A silence.
#[derive(Clone, Debug, Serialize)]
pub struct SilenceRow {
    /// Last event before.
    pub from: String,
    /// First event after.
    pub to: String,
    /// Length in hours, one decimal.
    pub hours: String,
    /// Record types at both ends (`DAEMON_END -> DAEMON_START`).
    pub ends: String,
    /// Where the silence starts (file:line).
    pub source: String,
}

/// A serial gap.
#[derive(Clone, Debug, Serialize)]
pub struct GapRow {
    /// Serial before.
    pub after_serial: u32,
    /// Serial after.
    pub before_serial: u32,
    /// Missing serials.
    pub missing: u64,
    /// Where (file:line of the event after the gap).
    pub source: String,
}

/// Input quality.
#[derive(Clone, Debug, Serialize)]
pub struct InputView {
    /// Files read.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Lines.
    pub lines: u64,
    /// Records.
    pub records: u64,
    /// Events assembled.
    pub events: u64,
    /// Lines that were not audit records.
    pub rejected: u64,
    /// Why, with samples (file:line).
    pub rejections: Vec<RejectionRow>,
    /// Journal entries of other transports that were skipped, by reason (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_entries: Vec<RejectionRow>,
    /// Files in given directories not taken as audit logs.
    pub skipped_files: Vec<String>,
}

/// One rejection reason.
#[derive(Clone, Debug, Serialize)]
pub struct RejectionRow {
    /// Reason id.
    pub reason: String,
    /// What it means.
    pub description: String,
    /// Lines.
    pub count: u64,
    /// Sample locations.
    pub samples: Vec<String>,
}

/// Whether a policy was evaluated, and the statement to print.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyStatus {
    /// True when controls were evaluated.
    pub evaluated: bool,
    /// What the report says about it.
    pub statement: String,
}

/// One control of a policy.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ControlRow {
    /// Framework (`PCI DSS 4.0.1`).
    pub framework: String,
    /// Control id (`10.2.1.2`).
    pub id: String,
    /// Title.
    pub title: String,
    /// `evidence-ok`, `exceptions`, `no-evidence` or `not-provable`.
    pub status: String,
    /// How far logs can prove it (D/P/S/N or words).
    pub provability: String,
    /// Evidence summaries.
    pub evidence: Vec<String>,
    /// Linked finding ids.
    pub findings: Vec<String>,
    /// The register entries holding those findings (`R1`, ...), in register order.
    pub entries: Vec<String>,
    /// What else the auditor needs.
    pub note: String,
    /// Whether each host loaded the audit rules the control needs, one line per rule
    /// meaning (`identity-files: events on db-01; no rule loaded on ...: add ...`).
    pub coverage: Vec<String>,
}

/// One finding (exception).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FindingRow {
    /// Finding id.
    pub id: String,
    /// Rule id.
    pub rule: String,
    /// Title.
    pub title: String,
    /// Severity (`critical`, `high`, `medium`, `low`, `info`).
    pub severity: String,
    /// `open`; `accepted` or `expired` once an exception register applies (the
    /// executive summary counts each, the register never mixes them in one entry).
    pub status: String,
    /// The register entry holding it (`R1`).
    pub entry: String,
    /// Host.
    pub host: String,
    /// Time (first occurrence).
    pub time: String,
    /// Time of the last record.
    pub last: String,
    /// Who.
    pub actor: String,
    /// Target account or object.
    pub target: String,
    /// One-line summary.
    pub summary: String,
    /// The records behind it.
    pub evidence: Vec<EvidenceRow>,
    /// The exceptions register entry that accepts it (`null`: open).
    pub exception: Option<crate::site::exceptions::Exception>,
}

/// One record behind a finding.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EvidenceRow {
    /// Host.
    pub host: String,
    /// Time.
    pub time: String,
    /// Who.
    pub actor: String,
    /// Target.
    pub target: String,
    /// Result.
    pub result: String,
    /// `file:line`.
    pub source: String,
    /// The raw log line.
    pub raw_line: String,
}

/// One evidence category.
#[derive(Clone, Debug, Serialize)]
pub struct Section<'a> {
    /// Stable id (`accounts`); also the CSV file stem.
    pub id: String,
    /// Heading.
    pub title: String,
    /// CSV file holding every row of the tables.
    pub csv: String,
    /// The columns of its tables' rows (after time and host).
    pub columns: Vec<Column>,
    /// Headline counts.
    pub counts: Vec<CountRow>,
    /// Per-day series aligned to [`Report::days`].
    pub series: Vec<Series>,
    /// Top lists.
    pub top: Vec<TopList>,
    /// The populations.
    pub tables: Vec<FactTable<'a>>,
    /// What `summary`'s terminal text shows of it (`None`: nothing); not serialized.
    #[serde(skip)]
    pub brief: Option<brief::Brief>,
}

/// A labelled count.
#[derive(Clone, Debug, Serialize)]
pub struct CountRow {
    /// Label.
    pub label: String,
    /// Metric id, when it is one.
    pub metric: String,
    /// Value.
    pub value: u64,
}

/// A per-day series.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    /// What is counted.
    pub label: String,
    /// One value per day of [`Report::days`].
    pub values: Vec<u64>,
}

/// A ranked list.
#[derive(Clone, Debug, Serialize)]
pub struct TopList {
    /// Heading.
    pub title: String,
    /// What the key is (`account`).
    pub key: String,
    /// Heading of the first number column (`success`, `denials`).
    pub success_label: String,
    /// Heading of the second number column (`failed`, `permissive`).
    pub failed_label: String,
    /// Rows, largest first.
    pub rows: Vec<TopRow>,
}

/// One ranked entry.
#[derive(Clone, Debug, Serialize)]
pub struct TopRow {
    /// The key.
    pub key: String,
    /// Successes (or the count).
    pub success: u64,
    /// Failures.
    pub failed: u64,
}

/// A population: every item behind a count (up to the aggregation limit).
#[derive(Clone, Debug, Serialize)]
pub struct FactTable<'a> {
    /// Stable id (`accounts.created`).
    pub id: String,
    /// Heading.
    pub title: String,
    /// Count (exact).
    pub total: u64,
    /// Items counted but not listed.
    pub omitted: u64,
    /// The items in input order.
    pub rows: FactRows<'a>,
}

/// One item of a population.
#[derive(Clone, Debug, Serialize)]
pub struct FactRow {
    /// Time (UTC).
    pub time: String,
    /// Host.
    pub host: String,
    /// One cell per column of the section ([`Section::columns`]).
    pub cells: Vec<String>,
    /// `file:line`.
    pub source: String,
}

/// An input file and its hash.
#[derive(Clone, Debug, Serialize)]
pub struct InputFileRow {
    /// Path as given.
    pub path: String,
    /// Size in bytes (as stored, compressed if `.gz`).
    pub bytes: u64,
    /// SHA-256 of the file as stored; `-` for standard input.
    pub sha256: String,
    /// Lines.
    pub lines: u64,
    /// Records.
    pub records: u64,
    /// Rejected lines.
    pub rejected: u64,
    /// First record time.
    pub first: String,
    /// Last record time.
    pub last: String,
}

/// Review and approval names (blank lines to sign when absent).
#[derive(Clone, Debug, Serialize)]
pub struct SignOff {
    /// Reviewer.
    pub reviewer: Option<String>,
    /// Approver.
    pub approver: Option<String>,
}

/// Identification and options supplied by the command.
#[derive(Clone, Debug, Default)]
pub struct ReportMeta {
    /// Title.
    pub title: String,
    /// Organisation.
    pub organization: Option<String>,
    /// Reviewer.
    pub reviewer: Option<String>,
    /// Approver.
    pub approver: Option<String>,
    /// RFC 3339 generation time.
    pub generated_at: String,
    /// Options to state.
    pub options: Vec<(String, String)>,
    /// Policies used.
    pub policies: Vec<PolicyRef>,
    /// The verdict of a period without records (`--allow-empty`), see [`Report::no_evidence`].
    pub no_evidence: Option<String>,
    /// Which policies were evaluated and why (`policy::Choice::why`).
    pub policy_choice: String,
}

/// Everything [`build_report`] needs.
pub struct ReportInputs<'a> {
    /// The summary of the period.
    pub summary: &'a Summary,
    /// What was read.
    pub quality: &'a InputQuality,
    /// The period.
    pub period: &'a Period,
    /// SHA-256 per input file, in `quality.files` order (`None` for stdin).
    pub input_hashes: &'a [Option<String>],
    /// Identification.
    pub meta: ReportMeta,
    /// Control rows from the policy evaluation; `None` when no policy was evaluated.
    pub controls: Option<Vec<ControlRow>>,
    /// The findings register (ignored when `controls` is `None`).
    pub findings: Vec<FindingRow>,
    /// Sources cited `host:file:line` in the sections too (a report from summaries).
    pub sources_with_host: bool,
}

/// Builds the report.
pub fn build_report(inp: ReportInputs<'_>) -> Report<'_> {
    let s = inp.summary;
    let paths: std::sync::Arc<[String]> = inp
        .quality
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let days = day_list(inp.period, s);
    let ctx = sections::Ctx {
        cite: rows::Citing {
            paths: paths.clone(),
            with_host: inp.sources_with_host,
        },
        days: &days,
        rows: None,
    };
    let metrics = s.metrics();
    let key_figures = crate::aggregate::metrics::KEY_METRICS
        .iter()
        .map(|id| Metric {
            id: id.to_string(),
            label: crate::aggregate::metrics::label(id).to_string(),
            value: metrics.get(id).copied().unwrap_or(0),
        })
        .collect::<Vec<Metric>>();
    let (policy, mut controls, mut findings) = match inp.controls {
        Some(c) => (
            PolicyStatus {
                evaluated: true,
                statement: match inp.meta.no_evidence {
                    Some(_) => format!(
                        "{} control(s) listed, none evidenced: the period holds no audit \
                         record; {} finding(s).",
                        c.len(),
                        inp.findings.len()
                    ),
                    None => format!(
                        "{} control(s) evaluated; {} finding(s).",
                        c.len(),
                        inp.findings.len()
                    ),
                },
            },
            c,
            inp.findings,
        ),
        None => (
            PolicyStatus {
                evaluated: false,
                statement: NO_POLICY_STATEMENT.to_string(),
            },
            Vec::new(),
            Vec::new(),
        ),
    };
    let mut policies = inp.meta.policies.clone();
    policies.sort();
    let register = register::group(&mut findings, &mut controls);
    let mut report = Report {
        schema_version: REPORT_SCHEMA_VERSION,
        title: inp.meta.title.clone(),
        organization: inp.meta.organization.clone(),
        no_evidence: inp.meta.no_evidence.clone(),
        scope: Scope {
            period: period_view(inp.period),
            hosts: s.hosts().keys().cloned().collect(),
            limits: limit_sentences(inp.quality, s),
            input_warnings: inp.quality.warnings(),
            policies,
            options: inp
                .meta
                .options
                .iter()
                .map(|(n, v)| OptionRow {
                    name: n.clone(),
                    value: v.clone(),
                })
                .collect(),
            tool: ToolInfo {
                name: env!("CARGO_PKG_NAME").to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            generated_at: inp.meta.generated_at.clone(),
        },
        executive: executive::Executive {
            policies: String::new(),
            frameworks: Vec::new(),
            severities: Vec::new(),
            entries: 0,
            caveats: Vec::new(),
            top: Vec::new(),
        },
        key_figures,
        completeness: {
            let mut hosts: Vec<HostRow> = s
                .hosts()
                .iter()
                .map(|(n, h)| completeness::host_row(n, h, inp.period, &ctx))
                .collect();
            let fleet = completeness::choose_charts(&mut hosts);
            Completeness {
                hosts,
                input: input_view(inp.quality),
                silence_threshold_hours: s.silence_threshold_ms() as f64 / 3_600_000.0,
                fleet,
            }
        },
        policy,
        controls,
        findings,
        register,
        exceptions: None,
        sections: sections::all(s, &ctx),
        integrity: integrity(inp.quality, &paths, inp.input_hashes),
        signoff: SignOff {
            reviewer: inp.meta.reviewer,
            approver: inp.meta.approver,
        },
        days,
    };
    report.executive = executive::build(executive::Parts {
        policies: inp.meta.policy_choice,
        controls: &report.controls,
        findings: &report.findings,
        entries: &report.register,
        completeness: &report.completeness,
        scope: &report.scope,
        key_figures: &report.key_figures,
    });
    report
}

fn period_view(p: &Period) -> PeriodView {
    PeriodView {
        spec: p.spec().to_string(),
        description: if p.is_unbounded() {
            format!("all records in the input (times in {})", p.tz.name())
        } else {
            p.describe()
        },
        tz: p.tz.name().to_string(),
        start: (p.start_ms != i64::MIN).then(|| format_ms(p.start_ms)),
        end: (p.end_ms != i64::MAX).then(|| format_ms(p.end_ms)),
    }
}

/// The days of the period, or for an unbounded period every day with events.
pub(super) fn day_list(p: &Period, s: &Summary) -> Vec<String> {
    let days = p.days();
    if !days.is_empty() {
        return days
            .iter()
            .map(|(d, _, _)| d.format("%Y-%m-%d").to_string())
            .collect();
    }
    let mut all = std::collections::BTreeSet::new();
    for h in s.hosts().values() {
        all.extend(h.by_day().keys().copied());
    }
    all.iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect()
}

/// Every limit reached, for people: the reader's (nodes) and the summary's.
pub fn limit_sentences(q: &InputQuality, s: &Summary) -> Vec<String> {
    let nodes = q.nodes_beyond.as_ref().map(|b| b.limit.sentence());
    nodes
        .into_iter()
        .chain(s.limits_reached().iter().map(|l| l.sentence()))
        .collect()
}

fn input_view(q: &InputQuality) -> InputView {
    InputView {
        files: q.files.len(),
        bytes: q.bytes,
        lines: q.lines,
        records: q.records,
        events: q.events,
        rejected: q.rejected.total,
        rejections: q
            .rejected
            .reasons
            .iter()
            .map(|r| RejectionRow {
                reason: sections::label(&r.reason),
                description: r.description.to_string(),
                count: r.count,
                samples: r.samples.clone(),
            })
            .collect(),
        skipped_entries: q
            .skipped_entries
            .reasons
            .iter()
            .map(|r| RejectionRow {
                reason: sections::label(&r.reason),
                description: r.description.to_string(),
                count: r.count,
                samples: r.samples.clone(),
            })
            .collect(),
        skipped_files: q
            .skipped_files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
    }
}

fn integrity(q: &InputQuality, paths: &[String], hashes: &[Option<String>]) -> Vec<InputFileRow> {
    q.files
        .iter()
        .zip(paths)
        .enumerate()
        .map(|(i, (f, path))| InputFileRow {
            path: path.clone(),
            bytes: f.bytes,
            sha256: hashes
                .get(i)
                .cloned()
                .flatten()
                .unwrap_or_else(|| "-".to_string()),
            lines: f.lines,
            records: f.records,
            rejected: f.rejected,
            first: format_opt_ms(f.first),
            last: format_opt_ms(f.last),
        })
        .collect()
}
