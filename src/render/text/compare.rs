//! The comparison for a terminal: changed metrics first, then hosts, accounts, MAC
//! signatures and findings, each as an aligned table ([`crate::render::terminal::table`],
//! which sanitises every cell: host and account names come from the logs).

use crate::compare::{Comparison, HostFigures, SetChange};
use crate::render::format::{pct, FROM_ZERO};
use crate::render::terminal::{sanitize, table};
use std::fmt::Write;

fn figures(f: &Option<HostFigures>) -> [String; 4] {
    match f {
        Some(f) => [
            f.events.to_string(),
            f.logins_failed.to_string(),
            f.lost_events.to_string(),
            f.silences.to_string(),
        ],
        None => ["-".into(), "-".into(), "-".into(), "-".into()],
    }
}

fn set_rows(rows: &mut Vec<Vec<String>>, s: &SetChange, new: &str, vanished: &str) {
    for n in &s.new {
        rows.push(vec![new.to_string(), n.clone()]);
    }
    for n in &s.vanished {
        rows.push(vec![vanished.to_string(), n.clone()]);
    }
}

/// Renders the comparison as text.
pub fn render(c: &Comparison) -> String {
    let mut o = String::new();
    for v in &c.no_evidence {
        let _ = writeln!(o, "{}\n", sanitize(v));
    }
    let _ = writeln!(
        o,
        "Comparison: {} (baseline) -> {} (current)\n",
        sanitize(&c.baseline),
        sanitize(&c.current)
    );
    let _ = writeln!(
        o,
        "Metrics that changed (flagged: change of at least {}% and at least {})",
        c.threshold.pct, c.threshold.min_abs
    );
    let rows: Vec<Vec<String>> = c
        .metrics
        .iter()
        .filter(|(_, m)| m.change != 0)
        .map(|(id, m)| {
            vec![
                id.clone(),
                m.baseline.to_string(),
                m.current.to_string(),
                format!("{:+}", m.change),
                pct(m.change_pct, FROM_ZERO),
                if m.flagged { "FLAG" } else { "" }.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        o.push_str("  none\n");
    } else {
        o.push_str(&table(
            &[
                "metric",
                c.baseline.as_str(),
                c.current.as_str(),
                "change",
                "%",
                "",
            ],
            &rows,
        ));
    }
    o.push_str("\nHosts (baseline / current: events, failed logins, lost events, silences)\n");
    let rows: Vec<Vec<String>> = c
        .hosts
        .iter()
        .map(|(name, h)| {
            let (b, cur) = (figures(&h.baseline), figures(&h.current));
            let mut r = vec![name.clone()];
            r.extend((0..4).map(|i| format!("{} / {}", b[i], cur[i])));
            r
        })
        .collect();
    o.push_str(&table(
        &["host", "events", "failed logins", "lost", "silences"],
        &rows,
    ));
    let mut rows = Vec::new();
    set_rows(&mut rows, &c.host_presence, "appeared", "went silent");
    section(
        &mut o,
        "Hosts present in one period only",
        &rows,
        &["change", "host"],
    );

    let a = &c.accounts;
    let mut rows = Vec::new();
    for (what, list) in [
        ("created (baseline)", &a.created_baseline),
        ("created (current)", &a.created_current),
        ("deleted (baseline)", &a.deleted_baseline),
        ("deleted (current)", &a.deleted_current),
    ] {
        rows.extend(list.iter().map(|n| vec![what.to_string(), n.clone()]));
    }
    set_rows(&mut rows, &a.seen, "first seen", "no longer seen");
    section(&mut o, "Accounts", &rows, &["change", "account"]);

    let rows: Vec<Vec<String>> = crate::render::html::compare::grant_rows(c, str::to_string);
    section(
        &mut o,
        "Privilege grants (group additions, role assignments)",
        &rows,
        &["period", "time", "host", "actor", "account", "grant"],
    );

    let mut rows = Vec::new();
    set_rows(&mut rows, &c.signatures, "new", "vanished");
    section(
        &mut o,
        "MAC denial signatures (new ones are F-MAC-03's evidence)",
        &rows,
        &["change", "signature"],
    );
    if let Some(f) = &c.findings {
        let mut rows = Vec::new();
        set_rows(&mut rows, f, "new", "resolved");
        rows.extend(
            f.persisting
                .iter()
                .map(|n| vec!["persisting".into(), n.clone()]),
        );
        section(
            &mut o,
            "Findings (rule host)",
            &rows,
            &["change", "finding"],
        );
    }
    if let Some(checks) = &c.integrity {
        let rows: Vec<Vec<String>> = checks
            .iter()
            .map(|i| {
                vec![
                    i.status.to_string(),
                    i.finding.unwrap_or("").to_string(),
                    i.path.clone(),
                    i.moved_to().unwrap_or("").to_string(),
                ]
            })
            .collect();
        let title = if checks.is_empty() {
            "Archived inputs of the baseline package (F-AUD-11): none in a directory this \
             run reads"
                .to_string()
        } else {
            format!(
                "Archived inputs of the baseline package (F-AUD-11): {}",
                crate::compare::integrity::tally(checks)
            )
        };
        section(
            &mut o,
            &title,
            &rows,
            &["status", "finding", "input", "now"],
        );
    }
    o
}

fn section(o: &mut String, title: &str, rows: &[Vec<String>], header: &[&str]) {
    let _ = writeln!(o, "\n{title}");
    if rows.is_empty() {
        o.push_str("  none\n");
    } else {
        o.push_str(&table(header, rows));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::load::view_of;
    use crate::compare::Threshold;
    use serde_json::json;

    #[test]
    fn log_values_reach_the_terminal_escaped() {
        let b = json!({"period": {"label": "2026-09"}, "hosts": {}});
        let c = json!({
            "period": {"label": "2026-10"},
            "hosts": {"evil\x1b[2J": {"events": 1}},
            "accounts": {"by_target": {"x\x1b]0;t\x07": {"created": 1}}},
        });
        let (b, c) = (view_of(b), view_of(c));
        let text = render(&Comparison::new(&b, &c, Threshold::default()));
        assert!(!text.contains('\x1b'), "{text}");
        assert!(text.contains("appeared  evil\\x1b[2J"), "{text}");
        assert!(
            text.contains("created (current)  x\\x1b]0;t\\x07"),
            "{text}"
        );
    }
}
