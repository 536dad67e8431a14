//! Finding rules (F-*, one table per family in this module's files) over a [`Summary`]: the exceptions an auditor must
//! follow up, each with the evidence items (host, time, actor, target, result, file:line)
//! that prove it.
//!
//! Rules run over the summary and the fact lists it keeps, never over raw events, so they
//! cost nothing next to reading the input. Every rule returns one of three outcomes:
//! findings, a pass (evaluated, nothing found), or *not evaluated* with the reason. A rule
//! whose input is missing (no login records, no previous period, a list cut at
//! [`crate::aggregate::tally::LIST_LIMIT`]) says so; it never reports a pass it cannot prove.
//!
//! One file per family: [`audit`], [`auth`], [`account`], [`privilege`], [`mac`], [`time`],
//! [`system`], [`field`]; [`files`] holds the rules over watched files (F-AUD-12/13,
//! F-ACCT-07, F-FILE-01). Shared helpers (host of a fact, evidence, windows) are in [`ctx`].

pub mod account;
pub mod audit;
pub mod auth;
pub mod baseline;
pub mod ctx;
pub mod exceptions;
pub mod field;
pub mod files;
pub mod mac;
pub mod privilege;
pub mod system;
pub mod time;

pub use baseline::Baseline;
pub use ctx::Ctx;

use crate::aggregate::Summary;
use crate::classify::Outcome;
use crate::model::Source;
use crate::site::SiteConfig;
use serde::{Deserialize, Serialize};

/// How serious a finding is, ordered: `Info < Low < ... < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// A population item, no exception by itself.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Audit trail or evidence integrity lost, or a strong compromise indicator.
    Critical,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a lowercase name.
    pub fn parse(s: &str) -> Option<Severity> {
        [
            Severity::Info,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// One record behind a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The host.
    pub host: String,
    /// Event time, epoch ms.
    pub time_ms: i64,
    /// Who (`auid` display name), when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The account or object acted upon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The record's result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Outcome>,
    /// What the record shows (kind, command, address, ...).
    pub what: String,
    /// File and line; the caller maps the file id to a path and may add the raw line.
    pub source: Source,
}

/// Most evidence items kept per finding; `count` stays exact.
pub const EVIDENCE_LIMIT: usize = 100;

/// One exception.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule (`F-AUTH-01`).
    pub rule: &'static str,
    /// Severity of this finding (a rule may escalate).
    pub severity: Severity,
    /// One line saying what was found.
    pub summary: String,
    /// The host, when the finding is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// First and last time of the evidence, epoch ms.
    pub first_ms: i64,
    /// Last time.
    pub last_ms: i64,
    /// How many: records behind the finding, or what the rule counts (missing serials,
    /// lost events); may exceed the evidence kept.
    pub count: u64,
    /// Records behind the finding (may exceed the evidence kept).
    pub records: u64,
    /// The first [`EVIDENCE_LIMIT`] records, in time order.
    pub evidence: Vec<Evidence>,
    /// The exceptions register entry that accepts it (`null`: the finding is open); see
    /// [`exceptions`].
    pub exception: Option<crate::site::exceptions::Exception>,
    /// An exceptions register entry that matches it but expired before the period's last
    /// day (the finding stays open); written only when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired_exception: Option<crate::site::exceptions::Exception>,
}

impl Finding {
    /// A finding from evidence sorted by time (then source); `count` is the evidence length
    /// unless set otherwise afterwards.
    pub fn new(
        rule: &'static str,
        severity: Severity,
        summary: String,
        host: Option<String>,
        mut evidence: Vec<Evidence>,
    ) -> Finding {
        evidence.sort_by_key(|e| (e.time_ms, e.source));
        let first_ms = evidence.first().map_or(0, |e| e.time_ms);
        let last_ms = evidence.last().map_or(0, |e| e.time_ms);
        let count = evidence.len() as u64;
        evidence.truncate(EVIDENCE_LIMIT);
        let records = count;
        Finding {
            rule,
            severity,
            summary,
            host,
            first_ms,
            last_ms,
            count,
            records,
            evidence,
            exception: None,
            expired_exception: None,
        }
    }

    /// True unless an exceptions register entry accepts it.
    pub fn is_open(&self) -> bool {
        self.exception.is_none()
    }
}

/// What a rule concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// At least one finding.
    Findings,
    /// Evaluated, nothing found.
    Pass,
    /// The input cannot answer the rule (see `reason`).
    NotEvaluated,
}

/// The outcome of one rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleOutcome {
    /// The rule id.
    pub id: &'static str,
    /// What the rule looks for.
    pub title: &'static str,
    /// The rule's default severity.
    pub severity: Severity,
    /// The thresholds it used, by their `auditrail.toml` key.
    pub parameters: std::collections::BTreeMap<String, serde_json::Value>,
    /// What it concluded.
    pub status: Status,
    /// Why it was not evaluated, or a caveat on a result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The findings, in time order (at most [`crate::limits::FINDINGS_PER_RULE`]).
    pub findings: Vec<Finding>,
    /// Findings of the rule past the limit, not listed (their severities are at most the
    /// lowest listed one). Absent when every finding is listed.
    #[serde(skip_serializing_if = "is_zero")]
    pub findings_omitted: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Keeps at most `limit` of `findings` (in time order): the most severe ones, earliest
/// first among equals. Returns how many were left out.
pub fn keep_most_severe(findings: &mut Vec<Finding>, limit: usize) -> u64 {
    if findings.len() <= limit {
        return 0;
    }
    let omitted = (findings.len() - limit) as u64;
    // Positions in time order, ranked by severity (stable: earlier first among equals).
    let mut rank: Vec<usize> = (0..findings.len()).collect();
    rank.sort_by_key(|&i| std::cmp::Reverse(findings[i].severity));
    let mut keep = vec![false; findings.len()];
    for &i in &rank[..limit] {
        keep[i] = true;
    }
    let mut i = 0;
    findings.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    omitted
}

/// Why a rule could not be evaluated.
pub type NotEvaluated = String;

/// A rule's result before it is wrapped in a [`RuleOutcome`].
pub type Eval = Result<Vec<Finding>, NotEvaluated>;

/// A finding rule.
pub struct Rule {
    /// Stable id (`F-AUTH-01`).
    pub id: &'static str,
    /// What it looks for.
    pub title: &'static str,
    /// Default severity (the highest a finding of it has by default).
    pub severity: Severity,
    /// The `auditrail.toml` keys it reads (`[thresholds]` or top level).
    pub params: &'static [&'static str],
    /// The rule.
    pub eval: fn(&Ctx<'_>) -> Eval,
}

/// Every rule, in report order.
pub fn rules() -> Vec<&'static Rule> {
    let mut all: Vec<&'static Rule> = Vec::new();
    for family in [
        audit::RULES,
        auth::RULES,
        account::RULES,
        privilege::RULES,
        mac::RULES,
        time::RULES,
        system::RULES,
        field::RULES,
        files::RULES,
    ] {
        all.extend(family.iter());
    }
    // Rules of a family defined elsewhere go in id order among their family.
    for rule in files::AUDIT_RULES.iter().chain(files::ACCOUNT_RULES) {
        insert_in_order(&mut all, rule);
    }
    all
}

/// Inserts `rule` after the last rule of its family (`F-AUD-`) whose id sorts before it.
fn insert_in_order(all: &mut Vec<&'static Rule>, rule: &'static Rule) {
    let family = &rule.id[..rule.id.rfind('-').map_or(0, |i| i + 1)];
    let at = all
        .iter()
        .rposition(|r| r.id.starts_with(family) && r.id < rule.id)
        .map_or(all.len(), |i| i + 1);
    all.insert(at, rule);
}

/// The rule with this id (F-AUD-11, which runs only with a baseline, included).
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules()
        .into_iter()
        .chain([&baseline::INTEGRITY])
        .find(|r| r.id == id)
}

/// The rules run: every rule, and with a baseline F-AUD-11 after the other F-AUD rules.
fn run_list(with_baseline: bool) -> Vec<&'static Rule> {
    let mut all = rules();
    if with_baseline {
        // In id order: after the last rule whose id sorts before it (F-AUD-10).
        let at = all
            .iter()
            .position(|r| r.id > baseline::INTEGRITY.id && r.id.starts_with("F-AUD-"))
            .unwrap_or(audit::RULES.len());
        all.insert(at, &baseline::INTEGRITY);
    }
    all
}

/// Why every rule but [`RUN_WITHOUT_EVENTS`] is not evaluated when the period holds no event.
pub const NO_RECORDS: &str = "no audit records in the period";

/// Rules that still run on a period without events: F-AUD-10 reports the hosts that have
/// records outside the period or are in scope (a silent host is a finding, not a pass), and
/// F-AUD-11 compares input files, not events.
pub const RUN_WITHOUT_EVENTS: &[&str] = &["F-AUD-10", "F-AUD-11"];

/// Runs every rule over `summary` with the site's configuration. `terminations` are the
/// (account, day) pairs of the site's terminations file.
pub fn evaluate(
    summary: &Summary,
    site: &SiteConfig,
    terminations: &[(String, chrono::NaiveDate)],
) -> Vec<RuleOutcome> {
    evaluate_against(summary, site, terminations, None)
}

/// [`evaluate`] with the previous period: F-MAC-03 is evaluated against its denial
/// signatures, and F-AUD-11 runs (against its manifest, when it has one).
///
/// No evidence is never a pass: when the period holds no event at all, every rule but
/// [`RUN_WITHOUT_EVENTS`] is not evaluated ([`NO_RECORDS`]), whatever it would conclude over
/// empty lists.
pub fn evaluate_against(
    summary: &Summary,
    site: &SiteConfig,
    terminations: &[(String, chrono::NaiveDate)],
    baseline: Option<&Baseline>,
) -> Vec<RuleOutcome> {
    let ctx = Ctx::new(summary, site, terminations).with_baseline(baseline);
    let config = serde_json::to_value(site).unwrap_or_default();
    let no_events = summary.events() == 0;
    run_list(baseline.is_some())
        .into_iter()
        .map(|rule| {
            let parameters = rule
                .params
                .iter()
                .map(|&p| {
                    let v = config["thresholds"].get(p).unwrap_or(&config[p]);
                    (p.to_string(), v.clone())
                })
                .collect();
            let eval = if no_events && !RUN_WITHOUT_EVENTS.contains(&rule.id) {
                Err(NO_RECORDS.to_string())
            } else {
                (rule.eval)(&ctx)
            };
            let mut omitted = 0;
            let (status, reason, findings) = match eval {
                Err(reason) => (Status::NotEvaluated, Some(reason), Vec::new()),
                Ok(f) if f.is_empty() => (Status::Pass, None, f),
                Ok(mut f) => {
                    f.sort_by(|a, b| (a.first_ms, &a.host).cmp(&(b.first_ms, &b.host)));
                    omitted = keep_most_severe(&mut f, crate::limits::FINDINGS_PER_RULE);
                    (Status::Findings, None, f)
                }
            };
            RuleOutcome {
                id: rule.id,
                title: rule.title,
                severity: rule.severity,
                parameters,
                status,
                reason,
                findings,
                findings_omitted: omitted,
            }
        })
        .collect()
}

/// The worst severity among the open findings of `outcomes` (accepted ones do not count).
pub fn worst(outcomes: &[RuleOutcome]) -> Option<Severity> {
    outcomes
        .iter()
        .flat_map(|o| {
            o.findings
                .iter()
                .filter(|f| f.is_open())
                .map(|f| f.severity)
        })
        .max()
}

/// The open findings at or above `severity`, most severe first, then in rule order.
pub fn open_at_or_above(outcomes: &[RuleOutcome], severity: Severity) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = outcomes
        .iter()
        .flat_map(|o| o.findings.iter())
        .filter(|f| f.is_open() && f.severity >= severity)
        .collect();
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

#[cfg(test)]
mod limit_tests;
#[cfg(test)]
pub(crate) mod tests;
