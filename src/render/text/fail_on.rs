//! The one line `--fail-on` prints on standard error when a run fails on its findings:
//! `3 findings at or above high: F-AUD-01 web01, F-AUTH-01 db02, ...`, capped in length so
//! a cron mail or a journal line stays one line.

use crate::findings::{Finding, Severity};
use crate::render::terminal::sanitize;

/// Longest list of findings in the line, in characters (the count is always exact).
pub const LIST_CHARS: usize = 160;

/// The line for `findings` (open ones at or above `at`, most severe first), without newline.
pub fn line(findings: &[&Finding], at: Severity) -> String {
    let mut list = String::new();
    let mut shown = 0usize;
    for f in findings {
        let item = match &f.host {
            Some(h) => format!("{} {h}", f.rule),
            None => f.rule.to_string(),
        };
        let item = sanitize(&item);
        if !list.is_empty() && list.len() + item.len() + 2 > LIST_CHARS {
            break;
        }
        if !list.is_empty() {
            list.push_str(", ");
        }
        list.push_str(&item);
        shown += 1;
    }
    let more = findings.len() - shown;
    let tail = if more > 0 {
        format!(", ... ({more} more)")
    } else {
        String::new()
    };
    format!(
        "{} open finding(s) at or above {}: {list}{tail}",
        findings.len(),
        at.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(rule: &'static str, host: &str) -> Finding {
        Finding::new(
            rule,
            Severity::High,
            "x".into(),
            Some(host.into()),
            Vec::new(),
        )
    }

    #[test]
    fn lists_findings_and_caps_the_length() {
        let two = [f("F-AUD-01", "web01"), f("F-AUTH-01", "db02")];
        let refs: Vec<&Finding> = two.iter().collect();
        assert_eq!(
            line(&refs, Severity::High),
            "2 open finding(s) at or above high: F-AUD-01 web01, F-AUTH-01 db02"
        );
        let many: Vec<Finding> = (0..100)
            .map(|i| f("F-AUTH-01", &format!("host{i}")))
            .collect();
        let refs: Vec<&Finding> = many.iter().collect();
        let l = line(&refs, Severity::Medium);
        assert!(
            l.starts_with("100 open finding(s) at or above medium: F-AUTH-01 host0, "),
            "{l}"
        );
        assert!(l.ends_with(" more)"), "{l}");
        assert!(l.len() < LIST_CHARS + 80, "{l}");
    }
}
