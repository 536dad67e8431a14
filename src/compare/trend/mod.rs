//! Metrics over several periods: one row per metric id, one column per summary (in the
//! order given), for `auditrail trend`, and F-TRD-01 over them ([`rule`]). The summaries
//! are the summaries' views, read by [`super::load`]; a metric missing from one of them
//! counts as 0. Outputs: JSON by serde; text, CSV, HTML and PDF in `crate::render`
//! (`render::{text,csv,html,pdf}::trend`).

pub mod rule;

use super::view::SummaryView;
use serde::Serialize;
use std::collections::BTreeMap;

/// Metric values per period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trend {
    /// Period labels, one per summary.
    pub periods: Vec<String>,
    /// Metric id -> one value per period.
    pub metrics: BTreeMap<String, Vec<u64>>,
    /// F-TRD-01 over every metric.
    pub rules: Vec<rule::TrendOutcome>,
}

impl Trend {
    /// The trend of `summaries`, in order.
    pub fn new(summaries: &[SummaryView]) -> Trend {
        let mut metrics: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for (i, s) in summaries.iter().enumerate() {
            for (id, &v) in &s.metrics {
                if id == "outside_period" {
                    continue;
                }
                let row = metrics
                    .entry(id.clone())
                    .or_insert_with(|| vec![0; summaries.len()]);
                row[i] = v;
            }
        }
        let periods: Vec<String> = summaries.iter().map(|s| s.period.label.clone()).collect();
        Trend {
            rules: vec![rule::evaluate(&periods, &metrics)],
            periods,
            metrics,
        }
    }

    /// The worst severity among the trend's findings.
    pub fn worst(&self) -> Option<crate::findings::Severity> {
        self.rules
            .iter()
            .flat_map(|r| r.findings.iter().map(|f| f.severity))
            .max()
    }

    /// The period labels without the zone suffix they all share (`2026-09 (UTC)` ->
    /// `2026-09`), and that zone; the labels as they are when zones differ.
    pub fn short_periods(&self) -> (Vec<String>, Option<String>) {
        let zone = |p: &str| {
            p.rfind(" (")
                .filter(|_| p.ends_with(')'))
                .map(|i| p[i..].to_string())
        };
        let first = self.periods.first().and_then(|p| zone(p));
        match first {
            Some(z) if self.periods.iter().all(|p| p.ends_with(z.as_str())) => (
                self.periods
                    .iter()
                    .map(|p| p[..p.len() - z.len()].to_string())
                    .collect(),
                Some(z[2..z.len() - 1].to_string()),
            ),
            _ => (self.periods.clone(), None),
        }
    }

    /// Whether F-TRD-01 flagged `metric` in period `i`.
    pub fn flagged(&self, metric: &str, i: usize) -> bool {
        self.rules
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.metric == metric && f.period_index == i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn period_labels_lose_a_shared_zone_only() {
        let t = |labels: &[&str]| Trend {
            periods: labels.iter().map(|s| s.to_string()).collect(),
            metrics: BTreeMap::new(),
            rules: Vec::new(),
        };
        assert_eq!(
            t(&["2026-09 (UTC)", "2026-10 (UTC)"]).short_periods(),
            (vec!["2026-09".into(), "2026-10".into()], Some("UTC".into()))
        );
        let mixed = t(&["2026-09 (UTC)", "2026-10 (Europe/Berlin)"]);
        assert_eq!(mixed.short_periods().0, mixed.periods);
    }

    #[test]
    fn rows_per_metric_columns_per_period() {
        let a = json!({"period": {"label": "2026-09"}, "metrics": {"events": 3, "x": 0}});
        let b = json!({"period": {"label": "2026-10"}, "metrics": {"events": 5, "y": 2}});
        let t = Trend::new(&[a, b].map(crate::compare::load::view_of));
        assert_eq!(t.periods, ["2026-09", "2026-10"]);
        let rows: Vec<(&str, &[u64])> = t
            .metrics
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
            .collect();
        assert_eq!(
            rows,
            [
                ("events", &[3, 5][..]),
                ("x", &[0, 0][..]),
                ("y", &[0, 2][..])
            ]
        );
    }
}
