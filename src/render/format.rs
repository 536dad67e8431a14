//! Number formatting shared by the outputs: a relative change in percent, worded for its
//! place when there is no percentage (the baseline was 0). The optional-time formatter is
//! [`crate::model::format_opt_ms`] (the report's view model uses it too).

use crate::report::executive::{FrameworkVerdict, SeverityCount};

/// Terminal text and the trend PDF: a metric that was 0 before changed "from 0".
pub const FROM_ZERO: &str = "from 0";
/// The comparison's HTML and PDF: a metric that was 0 in the baseline is "new".
pub const NEW: &str = "new";

/// `change_pct` as `+12.5%` / `-33.3%` (one decimal, always signed); `None` (no
/// percentage: the baseline was 0) as `when_none` ([`FROM_ZERO`] or [`NEW`]).
pub fn pct(change_pct: Option<f64>, when_none: &str) -> String {
    change_pct.map_or_else(|| when_none.to_string(), |p| format!("{p:+.1}%"))
}

/// A framework's table row: `name`, then how many controls it lists, and how many are
/// evidence-ok, exceptions, no-evidence and not-provable.
pub fn framework_row(name: String, f: &FrameworkVerdict) -> Vec<String> {
    vec![
        name,
        f.controls.to_string(),
        f.evidence_ok.to_string(),
        f.exceptions.to_string(),
        f.no_evidence.to_string(),
        f.not_provable.to_string(),
    ]
}

/// Open findings per severity in words, `high 2 (+1 accepted, 0 expired)`, the parenthesis
/// only when some are accepted.
pub fn open_by_severity(counts: &[SeverityCount]) -> Vec<String> {
    counts
        .iter()
        .map(|c| {
            let mut t = format!("{} {}", c.severity, c.open);
            if c.accepted + c.expired > 0 {
                t += &format!(" (+{} accepted, {} expired)", c.accepted, c.expired);
            }
            t
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_one_decimal_or_the_given_wording() {
        assert_eq!(pct(Some(50.0), FROM_ZERO), "+50.0%");
        assert_eq!(pct(Some(-33.33), NEW), "-33.3%");
        assert_eq!(pct(None, FROM_ZERO), "from 0");
        assert_eq!(pct(None, NEW), "new");
    }
}
