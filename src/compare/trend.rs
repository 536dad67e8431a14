//! Metrics over several periods: one row per metric id, one column per summary (in the
//! order given), for `auditrail trend`. The summaries are `summary.json` values checked by
//! [`super::load`]; a metric missing from one of them counts as 0.

use crate::render::csv::neutralise;
use crate::render::terminal::table;
use serde_json::Value;
use std::collections::BTreeMap;

/// Metric values per period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trend {
    /// Period labels, one per summary.
    pub periods: Vec<String>,
    /// Metric id -> one value per period.
    pub metrics: BTreeMap<String, Vec<u64>>,
}

impl Trend {
    /// The trend of `summaries`, in order.
    pub fn new(summaries: &[Value]) -> Trend {
        let mut metrics: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for (i, s) in summaries.iter().enumerate() {
            for (id, v) in s["metrics"].as_object().into_iter().flatten() {
                if id == "outside_period" {
                    continue;
                }
                let row = metrics
                    .entry(id.clone())
                    .or_insert_with(|| vec![0; summaries.len()]);
                row[i] = v.as_u64().unwrap_or(0);
            }
        }
        Trend {
            periods: summaries
                .iter()
                .map(|s| s["period"]["label"].as_str().unwrap_or("?").to_string())
                .collect(),
            metrics,
        }
    }

    /// Aligned text; metrics that are 0 in every period are left out.
    pub fn text(&self) -> String {
        let mut header = vec!["metric"];
        header.extend(self.periods.iter().map(String::as_str));
        let rows: Vec<Vec<String>> = self
            .metrics
            .iter()
            .filter(|(_, v)| v.iter().any(|&n| n > 0))
            .map(|(id, v)| {
                std::iter::once(id.clone())
                    .chain(v.iter().map(u64::to_string))
                    .collect()
            })
            .collect();
        table(&header, &rows)
    }

    /// CSV with every metric; period labels neutralised.
    pub fn csv(&self) -> anyhow::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let header = std::iter::once("metric".to_string())
            .chain(self.periods.iter().map(|p| neutralise(p).into_owned()));
        w.write_record(header)?;
        for (id, v) in &self.metrics {
            w.write_record(std::iter::once(id.clone()).chain(v.iter().map(u64::to_string)))?;
        }
        w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_per_metric_columns_per_period() {
        let a = json!({"period": {"label": "2026-09"}, "metrics": {"events": 3, "x": 0}});
        let b = json!({"period": {"label": "2026-10"}, "metrics": {"events": 5, "y": 2}});
        let t = Trend::new(&[a, b]);
        assert_eq!(
            String::from_utf8(t.csv().unwrap()).unwrap(),
            "metric,2026-09,2026-10\nevents,3,5\nx,0,0\ny,0,2\n"
        );
        assert_eq!(
            t.text(),
            "  metric  2026-09  2026-10\n  events        3        5\n  y             0        2\n"
        );
    }
}
