//! The executive summary, first in every format (HTML top, PDF page 1, `findings` and
//! `report` text): the verdict per framework, findings by severity and status, what limits
//! the evidence (hosts without data, coverage gaps, lost events, input quality), the most
//! serious register entries with where to read more, and the key figures with their labels.

use super::register::{rank, RegisterEntry, SEVERITIES};
use super::{Completeness, ControlRow, FindingRow, Metric, Scope};
use serde::Serialize;
use std::collections::BTreeMap;

/// Register entries the summary lists.
pub const TOP_ENTRIES: usize = 8;

/// Hosts below this share of the period are a caveat.
const COVERAGE_CAVEAT_PCT: f64 = 95.0;

/// The executive summary.
#[derive(Clone, Debug, Serialize)]
pub struct Executive {
    /// Which policies were evaluated and why.
    pub policies: String,
    /// One row per framework.
    pub frameworks: Vec<FrameworkVerdict>,
    /// Findings per severity, most serious first (every severity, zeros included).
    pub severities: Vec<SeverityCount>,
    /// Register entries (groups of findings).
    pub entries: usize,
    /// What limits the evidence, for people; empty when nothing does.
    pub caveats: Vec<String>,
    /// The most serious register entries ([`TOP_ENTRIES`]).
    pub top: Vec<TopEntry>,
}

/// Control statuses of one framework.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FrameworkVerdict {
    /// Framework and version.
    pub framework: String,
    /// Controls listed.
    pub controls: usize,
    /// `evidence-ok`.
    pub evidence_ok: usize,
    /// `exceptions`.
    pub exceptions: usize,
    /// `no-evidence`.
    pub no_evidence: usize,
    /// `not-provable`.
    pub not_provable: usize,
}

/// Findings of one severity by status.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SeverityCount {
    /// Severity.
    pub severity: String,
    /// Open (not accepted).
    pub open: usize,
    /// Accepted by an unexpired exception.
    pub accepted: usize,
    /// Accepted by an exception that has expired.
    pub expired: usize,
}

/// A register entry as the summary lists it.
#[derive(Clone, Debug, Serialize)]
pub struct TopEntry {
    /// Register entry id (`R1`: the HTML anchor, the PDF register).
    pub entry: String,
    /// Severity.
    pub severity: String,
    /// Rule id.
    pub rule: String,
    /// Rule title.
    pub title: String,
    /// Host.
    pub host: String,
    /// Findings in the entry.
    pub occurrences: usize,
    /// Controls affected.
    pub controls: usize,
}

/// Everything the summary reads.
pub(super) struct Parts<'a> {
    pub policies: String,
    pub controls: &'a [ControlRow],
    pub findings: &'a [FindingRow],
    pub entries: &'a [RegisterEntry],
    pub completeness: &'a Completeness,
    pub scope: &'a Scope,
    pub key_figures: &'a [Metric],
}

/// Builds the summary.
pub(super) fn build(p: Parts<'_>) -> Executive {
    let top = p
        .entries
        .iter()
        .take(TOP_ENTRIES)
        .map(|e| TopEntry {
            entry: e.id.clone(),
            severity: e.severity.clone(),
            rule: e.rule.clone(),
            title: e.title.clone(),
            host: e.host.clone(),
            occurrences: e.occurrences,
            controls: e.controls.len(),
        })
        .collect();
    Executive {
        policies: p.policies.clone(),
        frameworks: frameworks(
            p.controls
                .iter()
                .map(|c| (c.framework.as_str(), c.status.as_str())),
        ),
        severities: severities(
            p.findings
                .iter()
                .map(|f| (f.severity.as_str(), f.status.as_str())),
        ),
        entries: p.entries.len(),
        caveats: caveats(&p),
        top,
    }
}

/// Control statuses per framework, from (framework, status) pairs in table order.
pub fn frameworks<'a>(controls: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<FrameworkVerdict> {
    let mut out: Vec<FrameworkVerdict> = Vec::new();
    for (framework, status) in controls {
        let i = match out.iter().position(|f| f.framework == framework) {
            Some(i) => i,
            None => {
                out.push(FrameworkVerdict {
                    framework: framework.to_string(),
                    controls: 0,
                    evidence_ok: 0,
                    exceptions: 0,
                    no_evidence: 0,
                    not_provable: 0,
                });
                out.len() - 1
            }
        };
        let f = &mut out[i];
        f.controls += 1;
        match status {
            "evidence-ok" => f.evidence_ok += 1,
            "no-evidence" => f.no_evidence += 1,
            "not-provable" => f.not_provable += 1,
            _ => f.exceptions += 1,
        }
    }
    out
}

/// Findings per severity (every severity, most serious first) by status, from (severity,
/// status) pairs: `accepted`, `expired`, anything else open.
pub fn severities<'a>(findings: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<SeverityCount> {
    let mut out: Vec<SeverityCount> = SEVERITIES
        .iter()
        .map(|s| SeverityCount {
            severity: s.to_string(),
            open: 0,
            accepted: 0,
            expired: 0,
        })
        .collect();
    for (severity, status) in findings {
        if let Some(c) = out.get_mut(rank(severity)) {
            match status {
                "accepted" => c.accepted += 1,
                "expired" => c.expired += 1,
                _ => c.open += 1,
            }
        }
    }
    out
}

/// What limits the evidence, one sentence each.
fn caveats(p: &Parts<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let hosts = &p.completeness.hosts;
    let seen: Vec<&str> = hosts.iter().map(|h| h.name.as_str()).collect();
    // In-scope hosts without data are F-AUD-10 findings about a host with no events.
    let mut missing: Vec<&str> = p
        .findings
        .iter()
        .filter(|f| f.rule == "F-AUD-10" && !f.host.is_empty() && !seen.contains(&f.host.as_str()))
        .map(|f| f.host.as_str())
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() {
        out.push(format!(
            "Hosts in scope without data: {} (no conclusion about them is possible).",
            missing.join(", ")
        ));
    }
    let partial: Vec<String> = hosts
        .iter()
        .filter(|h| {
            h.coverage
                .trim_end_matches('%')
                .parse::<f64>()
                .is_ok_and(|c| c < COVERAGE_CAVEAT_PCT)
        })
        .map(|h| format!("{} {}", h.name, h.coverage))
        .collect();
    if !partial.is_empty() {
        out.push(format!(
            "Hosts covering less than {COVERAGE_CAVEAT_PCT:.0}% of the period: {} (see \
             Completeness).",
            partial.join(", ")
        ));
    }
    let silences: usize = hosts.iter().map(|h| h.silences.len()).sum();
    let gaps: u64 = hosts.iter().map(|h| h.missing_serials).sum();
    if silences > 0 || gaps > 0 {
        out.push(format!(
            "Coverage gaps: {silences} silence(s) over {} h, {gaps} missing serial number(s).",
            p.completeness.silence_threshold_hours
        ));
    }
    let mut lost: BTreeMap<&str, u64> = BTreeMap::new();
    for h in hosts.iter().filter(|h| h.lost_events > 0) {
        lost.insert(&h.name, h.lost_events);
    }
    if !lost.is_empty() {
        let list: Vec<String> = lost.iter().map(|(h, n)| format!("{h} {n}")).collect();
        out.push(format!(
            "Events the kernel reported lost: {} (what they recorded is unknown).",
            list.join(", ")
        ));
    }
    let i = &p.completeness.input;
    if i.rejected > 0 {
        out.push(format!(
            "Input quality: {} of {} line(s) were not audit records (see Completeness).",
            i.rejected, i.lines
        ));
    }
    if !i.skipped_files.is_empty() {
        out.push(format!(
            "{} file(s) in the given directories were not read as audit logs.",
            i.skipped_files.len()
        ));
    }
    out.extend(p.scope.input_warnings.iter().cloned());
    out.extend(p.scope.limits.iter().cloned());
    if p.key_figures
        .iter()
        .any(|m| m.id == "events" && m.value == 0)
    {
        out.push("No events in the period: nothing here is a pass.".to_string());
    }
    out
}
