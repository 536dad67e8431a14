//! F-TRD-01 (README, `compare`): a category count changed by more than ±50 % *and* by more
//! than 2σ against the previous 3 periods (Info). Evaluated for every metric of the trend
//! and every period that has 3 periods before it.
//!
//! With `m` the mean and `σ` the sample standard deviation (n − 1) of the 3 previous
//! values, a value `x` is a finding when `|x − m| > m / 2` and `|x − m| > 2σ`, both strict:
//! exactly +50 % or exactly 2σ is not. A change from a history of zeros counts as an
//! infinite relative change. Both tests are done in integers (multiplied through by 3 and
//! squared), so a boundary is never decided by floating-point rounding.

use crate::findings::{Severity, Status};
use serde::Serialize;
use std::collections::BTreeMap;

/// The rule id.
pub const ID: &str = "F-TRD-01";
/// Periods of history each value is measured against.
pub const HISTORY: usize = 3;
/// Severity of every F-TRD-01 finding.
pub const SEVERITY: Severity = Severity::Info;

/// One metric that moved in one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendFinding {
    /// The rule (`F-TRD-01`).
    pub rule: &'static str,
    /// Always info.
    pub severity: Severity,
    /// The metric id.
    pub metric: String,
    /// The period's label.
    pub period: String,
    /// The period's position in the trend (0 = the first summary given).
    pub period_index: usize,
    /// The metric's value in that period.
    pub value: u64,
    /// Mean of the 3 periods before, rounded to 0.1.
    pub mean: f64,
    /// Sample standard deviation of the 3 periods before, rounded to 0.1.
    pub sd: f64,
    /// Change against the mean in percent, rounded to 0.1; `None` from a mean of 0.
    pub change_pct: Option<f64>,
    /// One line saying what moved.
    pub summary: String,
}

/// What the rule concluded over the whole trend.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendOutcome {
    /// `F-TRD-01`.
    pub id: &'static str,
    /// What the rule looks for.
    pub title: &'static str,
    /// Info.
    pub severity: Severity,
    /// Its fixed parameters.
    pub parameters: BTreeMap<&'static str, f64>,
    /// Findings, pass, or not evaluated.
    pub status: Status,
    /// Why it was not evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The findings, by period then metric.
    pub findings: Vec<TrendFinding>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Whether `x` moved beyond both limits against `prev` (exact integer arithmetic).
pub fn moved(prev: &[u64], x: u64) -> bool {
    let k = prev.len() as i128;
    if k < 2 {
        return false;
    }
    let s: i128 = prev.iter().map(|&p| i128::from(p)).sum();
    let d = k * i128::from(x) - s; // k * (x - mean)
                                   // |x - m| > m / 2  <=>  2 |k x - S| > S
    let relative = 2 * d.abs() > s;
    // |x - m| > 2σ, σ² = Σ(p - m)² / (k - 1)  <=>  (k - 1) d² > 4 Σ(k p - S)²
    let spread: i128 = prev.iter().map(|&p| (k * i128::from(p) - s).pow(2)).sum();
    let sigma = (k - 1) * d * d > 4 * spread;
    relative && sigma
}

/// Evaluates F-TRD-01 over `metrics` (id -> one value per period of `periods`).
pub fn evaluate(periods: &[String], metrics: &BTreeMap<String, Vec<u64>>) -> TrendOutcome {
    let mut out = TrendOutcome {
        id: ID,
        title: "category count changed by more than ±50 % and more than 2σ against the \
                previous 3 periods",
        severity: SEVERITY,
        parameters: BTreeMap::from([
            ("history_periods", HISTORY as f64),
            ("change_pct", 50.0),
            ("sigmas", 2.0),
        ]),
        status: Status::Pass,
        reason: None,
        findings: Vec::new(),
    };
    if periods.len() <= HISTORY {
        out.status = Status::NotEvaluated;
        out.reason = Some(format!(
            "needs {} periods (3 before the one evaluated); {} given",
            HISTORY + 1,
            periods.len()
        ));
        return out;
    }
    for i in HISTORY..periods.len() {
        for (id, values) in metrics {
            let (prev, x) = (&values[i - HISTORY..i], values[i]);
            if !moved(prev, x) {
                continue;
            }
            let mean = prev.iter().sum::<u64>() as f64 / HISTORY as f64;
            let var =
                prev.iter().map(|&p| (p as f64 - mean).powi(2)).sum::<f64>() / (HISTORY - 1) as f64;
            let change_pct = (mean > 0.0).then(|| round1((x as f64 - mean) * 100.0 / mean));
            let change = change_pct.map_or_else(|| "from 0".to_string(), |p| format!("{p:+.1}%"));
            out.findings.push(TrendFinding {
                rule: ID,
                severity: SEVERITY,
                metric: id.clone(),
                period: periods[i].clone(),
                period_index: i,
                value: x,
                mean: round1(mean),
                sd: round1(var.sqrt()),
                change_pct,
                summary: format!(
                    "{id} was {x} in {}: {change} against the mean {:.1} (σ {:.1}) of the 3 \
                     periods before",
                    periods[i],
                    mean,
                    var.sqrt()
                ),
            });
        }
    }
    if !out.findings.is_empty() {
        out.status = Status::Findings;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trend(values: &[u64]) -> TrendOutcome {
        let periods: Vec<String> = (0..values.len()).map(|i| format!("p{i}")).collect();
        evaluate(
            &periods,
            &BTreeMap::from([("logins.failed".to_string(), values.to_vec())]),
        )
    }

    #[test]
    fn a_jump_beyond_both_limits_is_a_finding() {
        let o = trend(&[10, 12, 11, 30]);
        assert_eq!(o.status, Status::Findings);
        let f = &o.findings[0];
        assert_eq!(
            (f.metric.as_str(), f.period.as_str(), f.value),
            ("logins.failed", "p3", 30)
        );
        assert_eq!((f.mean, f.sd, f.change_pct), (11.0, 1.0, Some(172.7)));
        assert_eq!(f.severity, Severity::Info);
        // A drop counts as much as a rise.
        assert_eq!(trend(&[30, 30, 30, 10]).findings.len(), 1);
        // From a history of zeros, anything is beyond both.
        assert_eq!(trend(&[0, 0, 0, 1]).findings[0].change_pct, None);
    }

    #[test]
    fn exactly_fifty_percent_or_exactly_two_sigma_is_not() {
        // σ = 0: only the relative limit decides. +50 % exactly is not a finding, +60 % is.
        assert!(!moved(&[10, 10, 10], 15));
        assert!(!moved(&[10, 10, 10], 5), "-50 % exactly");
        assert!(moved(&[10, 10, 10], 16));
        assert!(moved(&[10, 10, 10], 4));
        // mean 10, sample σ 10: +200 % but exactly 2σ is not a finding; one more is.
        assert!(!moved(&[0, 10, 20], 30));
        assert!(moved(&[0, 10, 20], 31));
        // Beyond 2σ but within 50 %: no finding.
        assert!(!moved(&[100, 100, 101], 140));
    }

    #[test]
    fn only_periods_with_three_before_are_evaluated() {
        let o = trend(&[1, 100, 1]);
        assert_eq!(o.status, Status::NotEvaluated);
        assert!(o.reason.unwrap().contains("needs 4 periods"));
        let o = trend(&[5, 5, 5, 5, 50]);
        assert_eq!(o.findings.len(), 1);
        assert_eq!(o.findings[0].period, "p4");
        assert_eq!(trend(&[5, 5, 5, 5]).status, Status::Pass);
    }
}
