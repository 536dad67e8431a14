//! The executive summary as terminal text (`report`'s standard output): policies and why,
//! the verdict per framework, findings by severity and status, what limits the evidence and
//! the register entries to read first, each line at most [`super::findings::WIDTH`]
//! columns.

use super::findings::{wrap, FRAMEWORK_HEADER, WIDTH};
use crate::render::terminal::{sanitize_text, table};
use crate::report::executive::Executive;

/// The summary, every value sanitized.
pub fn render(e: &Executive) -> String {
    let mut o = wrap(&format!("Policies: {}", e.policies), WIDTH, 4);
    if !e.frameworks.is_empty() {
        let rows: Vec<Vec<String>> = e
            .frameworks
            .iter()
            .map(|f| crate::render::format::framework_row(short_framework(&f.framework), f))
            .collect();
        o += &table(&FRAMEWORK_HEADER, &rows);
    }
    let parts = crate::render::format::open_by_severity(&e.severities);
    o += &wrap(
        &format!(
            "Open findings by severity: {} ({} register entries)",
            parts.join(", "),
            e.entries
        ),
        WIDTH,
        4,
    );
    for c in &e.caveats {
        o += &wrap(&format!("Caveat: {c}"), WIDTH, 4);
    }
    if !e.top.is_empty() {
        o += "Read first (Findings register of report.html and report.pdf):\n";
    }
    for t in &e.top {
        o += &wrap(
            &format!(
                "{:<4} {:<8} {} {}{} ({} occurrence(s))",
                t.entry,
                t.severity,
                t.rule,
                t.title,
                if t.host.is_empty() {
                    String::new()
                } else {
                    format!(" on {}", t.host)
                },
                t.occurrences
            ),
            WIDTH,
            14,
        );
    }
    sanitize_text(&o)
}

/// A framework's title up to its first `: ` or ` (` (`PCI DSS v4.0.1`).
fn short_framework(title: &str) -> String {
    let t = title.split(": ").next().unwrap_or(title);
    t.split(" (").next().unwrap_or(t).to_string()
}
