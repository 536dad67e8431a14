//! `trend --format csv`: one row per metric, one column per period.

use super::cell;
use crate::compare::trend::Trend;
use anyhow::Context;

/// CSV with every metric; period labels and metric ids (both from the summaries) are
/// written like the report's cells ([`cell`]: controls escaped, formulas neutralised).
pub fn render(t: &Trend) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = std::iter::once("metric".to_string())
        .chain(t.periods.iter().map(|p| cell(p, false).into_owned()));
    w.write_record(header)?;
    for (id, v) in &t.metrics {
        let id = cell(id, false).into_owned();
        w.write_record(std::iter::once(id).chain(v.iter().map(u64::to_string)))?;
    }
    w.into_inner()
        .map_err(csv::IntoInnerError::into_error)
        .context("cannot write the trend CSV")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_per_metric_columns_per_period() {
        let a = json!({"period": {"label": "2026-09"}, "metrics": {"events": 3, "x": 0}});
        let b = json!({"period": {"label": "2026-10"}, "metrics": {"events": 5, "y": 2}});
        assert_eq!(
            String::from_utf8(
                render(&Trend::new(&[a, b].map(crate::compare::load::view_of))).unwrap()
            )
            .unwrap(),
            "metric,2026-09,2026-10\nevents,3,5\nx,0,0\ny,0,2\n"
        );
    }
}
