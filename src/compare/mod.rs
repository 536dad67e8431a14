//! Comparing two reporting periods: what changed between a baseline summary and a current
//! one (metrics, hosts, accounts, MAC denial signatures and, when both sides were built from
//! logs, findings).
//!
//! Both sides are a [`view::SummaryView`]: the parts of a summary a comparison reads, typed,
//! read from a `summary.json` (`schema_version` 1, [`load`]) or taken from a
//! [`crate::aggregate::Summary`] built from logs just now ([`view::SummaryView::of`]), so a
//! summary written months ago by `auditrail summary --format json` or `auditrail report`
//! and one built now go through the same code. [`Comparison`] is the one view every output
//! (`crate::render::{text,csv,html,pdf}::compare`, JSON via serde) receives; all its maps are `BTreeMap`s and its lists
//! sorted, so the output is deterministic.

pub mod daily;
pub mod grants;
pub mod integrity;
pub mod load;
pub mod schema;
pub mod trend;
pub mod view;

use crate::findings::{RuleOutcome, Severity};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use view::SummaryView;

/// When a metric's change is flagged: its relative change is at least `pct` percent (any
/// change from zero counts as infinite) *and* its absolute change is at least `min_abs`.
/// The absolute floor keeps 1 -> 2 (+100%) from being flagged.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Threshold {
    /// Relative change in percent (`--threshold`, default 50).
    pub pct: f64,
    /// Absolute change (`--min-change`, default 5).
    pub min_abs: u64,
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold {
            pct: 50.0,
            min_abs: 5,
        }
    }
}

/// One metric in both periods.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricChange {
    /// Value in the baseline period.
    pub baseline: u64,
    /// Value in the current period.
    pub current: u64,
    /// `current - baseline`.
    pub change: i64,
    /// Relative change in percent, rounded to 0.1; `None` when the baseline is 0.
    pub change_pct: Option<f64>,
    /// Beyond the [`Threshold`].
    pub flagged: bool,
}

impl MetricChange {
    fn new(baseline: u64, current: u64, t: Threshold) -> Self {
        // Counts from a summary.json may be any u64: the change saturates, never wraps.
        let change = i64::try_from(i128::from(current) - i128::from(baseline)).unwrap_or(
            if current > baseline {
                i64::MAX
            } else {
                i64::MIN
            },
        );
        let change_pct =
            (baseline > 0).then(|| (change as f64 * 1000.0 / baseline as f64).round() / 10.0);
        let relative = change_pct.map_or(change != 0, |p| p.abs() >= t.pct);
        MetricChange {
            baseline,
            current,
            change,
            change_pct,
            flagged: relative && change.unsigned_abs() >= t.min_abs,
        }
    }
}

/// Key figures of one host in one period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HostFigures {
    /// Events.
    pub events: u64,
    /// Failed logins.
    pub logins_failed: u64,
    /// Events the kernel reported lost.
    pub lost_events: u64,
    /// Silences longer than the summary's threshold.
    pub silences: u64,
}

/// One host in both periods; `None` where the host logged nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HostChange {
    /// Baseline figures.
    pub baseline: Option<HostFigures>,
    /// Current figures.
    pub current: Option<HostFigures>,
}

/// Names in the baseline only, the current only, and both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SetChange {
    /// In the current period only.
    pub new: Vec<String>,
    /// In the baseline period only.
    pub vanished: Vec<String>,
    /// In both.
    pub persisting: Vec<String>,
}

impl SetChange {
    fn of(baseline: &BTreeSet<String>, current: &BTreeSet<String>) -> Self {
        SetChange {
            new: current.difference(baseline).cloned().collect(),
            vanished: baseline.difference(current).cloned().collect(),
            persisting: baseline.intersection(current).cloned().collect(),
        }
    }
}

/// Account lifecycle in both periods.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AccountChange {
    /// Accounts created in the baseline period.
    pub created_baseline: Vec<String>,
    /// Accounts created in the current period.
    pub created_current: Vec<String>,
    /// Accounts deleted in the baseline period.
    pub deleted_baseline: Vec<String>,
    /// Accounts deleted in the current period.
    pub deleted_current: Vec<String>,
    /// Accounts that logged in or authenticated (successfully or not) in the current period
    /// only (`new`), the baseline only (`vanished`), or both.
    pub seen: SetChange,
}

/// The comparison of two periods.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// What a period without audit records held instead (`compare --allow-empty` from
    /// logs), one statement per such period; findings are then not compared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_evidence: Vec<String>,
    /// The baseline period's label (`2026-09`).
    pub baseline: String,
    /// The current period's label.
    pub current: String,
    /// The baseline period: zone, bounds, days.
    pub baseline_period: daily::PeriodSide,
    /// The current period.
    pub current_period: daily::PeriodSide,
    /// When a metric change is flagged.
    pub threshold: Threshold,
    /// Every metric present on either side, by id (except `outside_period`).
    pub metrics: BTreeMap<String, MetricChange>,
    /// Every host present on either side.
    pub hosts: BTreeMap<String, HostChange>,
    /// Hosts that appeared (`new`) or went silent (`vanished`).
    pub host_presence: SetChange,
    /// Accounts.
    pub accounts: AccountChange,
    /// Privilege grants (group additions, role assignments) in each period.
    pub grants: grants::GrantChange,
    /// MAC denial signatures (`mac.signatures` keys): new ones are F-MAC-03's evidence.
    pub signatures: SetChange,
    /// Per-day series of both periods, each aligned to its period's days.
    pub per_day: Vec<daily::DailySeries>,
    /// Findings by `rule host` (only when both sides were built from logs); `vanished`
    /// are the findings resolved since the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<SetChange>,
    /// Severity of each finding in `findings` (`rule host` -> the worst severity of its
    /// findings in the current period, or in the baseline for resolved ones).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub finding_severity: BTreeMap<String, Severity>,
    /// F-AUD-11: the baseline package's inputs that are inputs again (`--baseline-manifest`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrity: Option<Vec<integrity::InputCheck>>,
}

/// Accounts of `accounts.by_target` for which `pick` is above zero.
fn accounts_with(summary: &SummaryView, pick: fn(&view::AccountCounts) -> u64) -> Vec<String> {
    let by_target = &summary.accounts.by_target;
    by_target
        .iter()
        .filter(|(_, c)| pick(c) > 0)
        .map(|(k, _)| k.clone())
        .collect()
}

fn host_names(summary: &SummaryView) -> BTreeSet<String> {
    summary.hosts.keys().cloned().collect()
}

fn accounts_seen(summary: &SummaryView) -> BTreeSet<String> {
    let l = &summary.logins;
    let mut seen = l.login_breakdown.by_account.clone();
    seen.extend(l.auth_breakdown.by_account.iter().cloned());
    seen
}

fn host_figures(summary: &SummaryView) -> BTreeMap<String, HostFigures> {
    let failed = &summary.logins.failed_logins.count.by_host;
    summary
        .hosts
        .iter()
        .map(|(name, h)| {
            let f = HostFigures {
                events: h.events,
                logins_failed: failed.get(name).copied().unwrap_or(0),
                lost_events: h.lost_events,
                silences: h.silences,
            };
            (name.clone(), f)
        })
        .collect()
}

impl Comparison {
    /// Compares two summaries.
    pub fn new(baseline: &SummaryView, current: &SummaryView, threshold: Threshold) -> Comparison {
        let mut metrics = BTreeMap::new();
        let value = |s: &SummaryView, id: &str| s.metrics.get(id).copied().unwrap_or(0);
        // Events outside the period say how much else the input held, not what happened.
        let ids: BTreeSet<&String> = baseline
            .metrics
            .keys()
            .chain(current.metrics.keys())
            .collect();
        for id in ids.into_iter().filter(|id| *id != "outside_period") {
            let (b, c) = (value(baseline, id), value(current, id));
            metrics.insert(id.clone(), MetricChange::new(b, c, threshold));
        }
        let (mut hb, mut hc) = (host_figures(baseline), host_figures(current));
        let names: BTreeSet<String> = hb.keys().chain(hc.keys()).cloned().collect();
        let hosts = names
            .iter()
            .map(|n| {
                let ch = HostChange {
                    baseline: hb.remove(n),
                    current: hc.remove(n),
                };
                (n.clone(), ch)
            })
            .collect();
        let (bp, cp) = (
            daily::PeriodSide::of(baseline),
            daily::PeriodSide::of(current),
        );
        Comparison {
            no_evidence: Vec::new(),
            baseline: baseline.period.label.clone(),
            current: current.period.label.clone(),
            per_day: daily::series(baseline, current, &bp, &cp),
            baseline_period: bp,
            current_period: cp,
            threshold,
            metrics,
            hosts,
            host_presence: SetChange::of(&host_names(baseline), &host_names(current)),
            accounts: AccountChange {
                created_baseline: accounts_with(baseline, |c| c.created),
                created_current: accounts_with(current, |c| c.created),
                deleted_baseline: accounts_with(baseline, |c| c.deleted),
                deleted_current: accounts_with(current, |c| c.deleted),
                seen: SetChange::of(&accounts_seen(baseline), &accounts_seen(current)),
            },
            grants: grants::change(baseline, current),
            signatures: SetChange::of(&baseline.mac.signatures, &current.mac.signatures),
            findings: None,
            finding_severity: BTreeMap::new(),
            integrity: None,
        }
    }

    /// Adds the findings of both periods, each as `rule host` (`-` without a host) with
    /// its severity (see [`finding_keys`]).
    pub fn with_findings(
        mut self,
        baseline: &BTreeMap<String, Severity>,
        current: &BTreeMap<String, Severity>,
    ) -> Self {
        let set = |m: &BTreeMap<String, Severity>| m.keys().cloned().collect::<BTreeSet<_>>();
        self.findings = Some(SetChange::of(&set(baseline), &set(current)));
        self.finding_severity = baseline.clone();
        self.finding_severity.extend(current.clone());
        self
    }

    /// What `--fail-on` looks at: the worst severity among the findings that are new in
    /// the current period, and F-AUD-11 for an archived input that changed (critical) or
    /// went missing (high).
    /// Persisting and resolved findings do not count: they were the baseline's.
    pub fn worst_new(&self) -> Option<Severity> {
        let new = self
            .findings
            .iter()
            .flat_map(|f| f.new.iter())
            .filter_map(|k| self.finding_severity.get(k).copied());
        let archive = self
            .integrity
            .iter()
            .flatten()
            .filter_map(|i| Severity::parse(i.severity()?));
        new.chain(archive).max()
    }
}

/// The findings of one period by `rule host` (`-` without a host), each with the worst
/// severity among its findings.
pub fn finding_keys(outcomes: &[RuleOutcome]) -> BTreeMap<String, Severity> {
    let mut out: BTreeMap<String, Severity> = BTreeMap::new();
    for f in outcomes.iter().flat_map(|r| r.findings.iter()) {
        let key = format!("{} {}", f.rule, f.host.as_deref().unwrap_or("-"));
        let s = out.entry(key).or_insert(f.severity);
        *s = (*s).max(f.severity);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_need_both_relative_and_absolute_change() {
        let t = Threshold::default();
        assert!(!MetricChange::new(1, 2, t).flagged, "+100% but only +1");
        assert!(!MetricChange::new(100, 140, t).flagged, "+40%");
        assert!(MetricChange::new(10, 15, t).flagged, "+50% and +5");
        assert!(MetricChange::new(12, 0, t).flagged, "-100%");
        let from_zero = MetricChange::new(0, 7, t);
        assert!(from_zero.flagged);
        assert_eq!(from_zero.change_pct, None);
        assert_eq!(MetricChange::new(3, 4, t).change_pct, Some(33.3));
    }
}
