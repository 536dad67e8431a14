//! `trend --format text`: the metrics as an aligned table (metrics that are 0 in every
//! period left out), then F-TRD-01's outcome.

use crate::compare::trend::Trend;
use crate::render::terminal::{sanitize, table};

/// Aligned text; metrics that are 0 in every period are left out.
pub fn render(t: &Trend) -> String {
    let mut header = vec!["metric"];
    header.extend(t.periods.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = t
        .metrics
        .iter()
        .filter(|(_, v)| v.iter().any(|&n| n > 0))
        .map(|(id, v)| {
            std::iter::once(id.clone())
                .chain(v.iter().map(u64::to_string))
                .collect()
        })
        .collect();
    let mut o = table(&header, &rows);
    for r in &t.rules {
        o.push_str(&format!(
            "\n{} ({}): {}\n",
            r.id,
            r.severity.as_str(),
            r.title
        ));
        match (&r.reason, r.findings.is_empty()) {
            (Some(reason), _) => o.push_str(&format!("  not evaluated: {reason}\n")),
            (None, true) => o.push_str("  pass: no metric moved beyond both limits\n"),
            (None, false) => {
                for f in &r.findings {
                    o.push_str(&format!("  {}\n", sanitize(&f.summary)));
                }
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn zero_metrics_are_left_out_and_the_rule_follows() {
        let a = json!({"period": {"label": "2026-09"}, "metrics": {"events": 3, "x": 0}});
        let b = json!({"period": {"label": "2026-10"}, "metrics": {"events": 5, "y": 2}});
        assert_eq!(
            render(&Trend::new(&[a, b].map(crate::compare::load::view_of))),
            "  metric  2026-09  2026-10\n  events        3        5\n  y             0        2\n\n\
             F-TRD-01 (info): category count changed by more than ±50 % and more than 2σ \
             against the previous 3 periods\n  not evaluated: needs 4 periods (3 before the \
             one evaluated); 2 given\n"
        );
    }
}
