//! Control status: for each control of each policy, whether the logs evidence it, which
//! findings are exceptions to it, or why there is nothing to show.
//!
//! - `not-provable`: the policy says logs cannot prove the control.
//! - `exceptions`: a linked rule found something at or above the control's threshold.
//! - `exceptions (accepted)` (`exceptions-accepted` in JSON): every such finding is
//!   accepted by the exceptions register (`findings::exceptions`).
//! - `no-evidence`: the control's evidence metrics are all zero, or none of its rules could
//!   be evaluated (`not_evaluated` says why), or it lists neither; the row names the audit
//!   rule or record source that would produce the evidence. (A rule that passes over an
//!   empty list proves nothing about a control whose records are absent.)
//! - `evidence-ok`: otherwise (evidence present, or linked rules evaluated and clean, or
//!   the control's audit rules loaded on every host and silent: see [`super::coverage`]).

use super::{Control, Coverage, Policy};
use crate::aggregate::Summary;
use crate::findings::exceptions::Register;
use crate::findings::{self, Baseline, Finding, RuleOutcome, Severity, Status};
use crate::site::exceptions::ExceptionsFile;
use crate::site::SiteConfig;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Status of one control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ControlStatus {
    /// Evidence present and no exceptions.
    EvidenceOk,
    /// Findings at or above the control's threshold.
    Exceptions,
    /// Findings at or above the threshold, every one accepted by the exceptions register.
    ExceptionsAccepted,
    /// Nothing in the logs evidences it.
    NoEvidence,
    /// Logs cannot prove it.
    NotProvable,
}

impl ControlStatus {
    /// The name outputs show: the kebab-case one, but `exceptions (accepted)`.
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::EvidenceOk => "evidence-ok",
            ControlStatus::Exceptions => "exceptions",
            ControlStatus::ExceptionsAccepted => "exceptions (accepted)",
            ControlStatus::NoEvidence => "no-evidence",
            ControlStatus::NotProvable => "not-provable",
        }
    }
}

/// One control's row in a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ControlRow {
    /// The control id.
    pub id: String,
    /// Our description of it.
    pub title: String,
    /// How far logs prove it.
    pub coverage: Coverage,
    /// Its status.
    pub status: ControlStatus,
    /// Evidence metrics and their values.
    pub evidence: BTreeMap<String, u64>,
    /// The linked rules and what each concluded.
    pub rules: BTreeMap<String, Status>,
    /// Linked rules that were not evaluated, with the reason.
    pub not_evaluated: BTreeMap<String, String>,
    /// Findings at or above the threshold, in time order (shared with the other controls
    /// that link the same rules: one copy of each finding, however many controls cite it).
    pub exceptions: Vec<Arc<Finding>>,
    /// The exception threshold.
    pub threshold: Severity,
    /// What would produce the evidence (for `no-evidence`).
    pub produced_by: String,
    /// What the logs cannot show.
    pub cannot_show: String,
    /// Per host, whether the audit rules the control needs are loaded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rule_coverage: Vec<super::coverage::RuleCoverage>,
}

/// One policy's rows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyResult {
    /// Selection name (`pci-dss-4.0.1`).
    pub name: String,
    /// Framework key.
    pub framework: String,
    /// Framework version.
    pub version: String,
    /// Title.
    pub title: String,
    /// Control rows in policy order.
    pub controls: Vec<ControlRow>,
}

/// Everything a report needs from the findings stage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    /// Every rule's outcome, in rule order.
    pub rules: Vec<RuleOutcome>,
    /// One result per policy.
    pub policies: Vec<PolicyResult>,
    /// The exceptions register, when an exceptions file was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<Register>,
}

/// Runs every finding rule over `summary` (against the previous period when `baseline` is
/// given) and maps the results onto each policy's controls. This is the entry point for
/// reports.
pub fn assess(
    summary: &Summary,
    site: &SiteConfig,
    terminations: &[(String, chrono::NaiveDate)],
    baseline: Option<&Baseline>,
    policies: &[Policy],
) -> Assessment {
    assess_with(summary, site, terminations, baseline, policies, None)
}

/// [`assess`] with an exceptions register: the findings its unexpired entries match are
/// accepted before the control rows are computed.
pub fn assess_with(
    summary: &Summary,
    site: &SiteConfig,
    terminations: &[(String, chrono::NaiveDate)],
    baseline: Option<&Baseline>,
    policies: &[Policy],
    exceptions: Option<&ExceptionsFile>,
) -> Assessment {
    let mut rules = findings::evaluate_against(summary, site, terminations, baseline);
    let exceptions =
        exceptions.map(|file| findings::exceptions::apply(&mut rules, file, last_day(summary)));
    let metrics = summary.metrics();
    let keys = site.watch_config();
    // One shared copy of each rule's findings for all the control rows that cite them.
    let shared: Vec<Vec<Arc<Finding>>> = rules
        .iter()
        .map(|r| r.findings.iter().cloned().map(Arc::new).collect())
        .collect();
    let policies = policies
        .iter()
        .map(|p| PolicyResult {
            name: p.name.clone(),
            framework: p.framework.clone(),
            version: p.version.clone(),
            title: p.title.clone(),
            controls: p
                .controls
                .iter()
                .map(|c| {
                    let cov = super::coverage::of(c, summary, keys.meanings());
                    row(c, &rules, &shared, &metrics, cov)
                })
                .collect(),
        })
        .collect();
    Assessment {
        rules,
        policies,
        exceptions,
    }
}

/// The last day of the period in its zone (the day of the instant before its end); for an
/// unbounded period, the day of the latest event read.
fn last_day(summary: &Summary) -> Option<chrono::NaiveDate> {
    let p = summary.period();
    let tz: chrono_tz::Tz = p.tz.parse().unwrap_or(chrono_tz::UTC);
    let end = match p.end_ms {
        Some(end) => end.checked_sub(1),
        None => summary.hosts().values().filter_map(|h| h.last_ms()).max(),
    }?;
    let t = chrono::DateTime::from_timestamp_millis(end)?;
    Some(t.with_timezone(&tz).date_naive())
}

fn row(
    c: &Control,
    rules: &[RuleOutcome],
    shared: &[Vec<Arc<Finding>>],
    metrics: &BTreeMap<&'static str, u64>,
    rule_coverage: Vec<super::coverage::RuleCoverage>,
) -> ControlRow {
    let evidence: BTreeMap<String, u64> = c
        .evidence
        .iter()
        .map(|m| (m.clone(), metrics.get(m.as_str()).copied().unwrap_or(0)))
        .collect();
    let linked_at: Vec<usize> = c
        .findings
        .iter()
        .filter_map(|id| rules.iter().position(|r| r.id == id))
        .collect();
    let linked: Vec<&RuleOutcome> = linked_at.iter().map(|&i| &rules[i]).collect();
    let mut exceptions: Vec<Arc<Finding>> = linked_at
        .iter()
        .flat_map(|&i| shared[i].iter())
        .filter(|f| f.severity >= c.threshold)
        .cloned()
        .collect();
    exceptions.sort_by(|a, b| (a.first_ms, a.rule).cmp(&(b.first_ms, b.rule)));
    let evaluated = linked.iter().any(|r| r.status != Status::NotEvaluated);
    // Rules loaded on every host and silent: evidence that nothing happened.
    let silent_ok = super::coverage::complete(&rule_coverage) && (linked.is_empty() || evaluated);
    let status = if c.coverage == Coverage::NotProvable {
        ControlStatus::NotProvable
    } else if !exceptions.is_empty() && exceptions.iter().all(|f| !f.is_open()) {
        ControlStatus::ExceptionsAccepted
    } else if !exceptions.is_empty() {
        ControlStatus::Exceptions
    } else if ((!evidence.is_empty() && evidence.values().all(|&v| v == 0))
        || (!linked.is_empty() && !evaluated)
        || (evidence.is_empty() && linked.is_empty()))
        && !silent_ok
    {
        ControlStatus::NoEvidence
    } else {
        ControlStatus::EvidenceOk
    };
    ControlRow {
        id: c.id.clone(),
        title: c.title.clone(),
        coverage: c.coverage,
        status,
        evidence,
        rules: linked
            .iter()
            .map(|r| (r.id.to_string(), r.status))
            .collect(),
        not_evaluated: linked
            .iter()
            .filter(|r| r.status == Status::NotEvaluated)
            .filter_map(|r| Some((r.id.to_string(), r.reason.clone()?)))
            .collect(),
        exceptions,
        threshold: c.threshold,
        produced_by: c.produced_by.clone(),
        cannot_show: c.cannot_show.clone(),
        rule_coverage,
    }
}
