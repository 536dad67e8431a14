//! `report.pdf`'s control table (one table per framework, each control's register entries
//! by id) and the findings register (one block per entry, critical first: occurrences,
//! first and last time, the controls it affects, a sample of its raw lines; every finding
//! and record is in `findings.csv`), and the exceptions register when a file was given.

use super::layout::{rgb, short_time, Align, Col, Field, Layout, LEFT, RIGHT, ROW_H};
use crate::findings::exceptions::RegisterEntry;
use crate::report::{EvidenceRow, Report};
use printpdf::{Color, Op};
use Align::Left as L;

/// The HTML report's severity colours.
fn severity_colour(severity: &str) -> Color {
    match severity {
        "critical" => rgb(0x8e, 0x1b, 0x1b),
        "high" => rgb(0xc0, 0x39, 0x2b),
        "medium" => rgb(0xd6, 0x89, 0x10),
        "low" => rgb(0x2e, 0x86, 0xc1),
        _ => rgb(0x5b, 0x64, 0x74),
    }
}

/// `PCI DSS v4.0.1 10.2.1.6, 10.4.1; HIPAA ... 164.312(b)` from `framework id` strings in
/// framework order (the framework's title up to its first `: `).
fn controls_by_framework(controls: &[String]) -> String {
    if controls.is_empty() {
        return "none".to_string();
    }
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for c in controls {
        let (framework, id) = c.rsplit_once(' ').unwrap_or(("", c));
        let short = framework.split(": ").next().unwrap_or(framework);
        let short = short.split(" (").next().unwrap_or(short).to_string();
        match out.iter_mut().find(|(f, _)| *f == short) {
            Some((_, ids)) => ids.push(id),
            None => out.push((short, vec![id])),
        }
    }
    out.iter()
        .map(|(f, ids)| format!("{f} {}", ids.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) fn controls(l: &mut Layout, r: &Report) {
    l.heading("Controls", 14.0);
    if !r.policy.evaluated {
        l.para(&r.policy.statement, 9.0);
        return;
    }
    l.para(
        "Register entries (R1, R2, ...) are in the Findings register below, most serious \
         first; the evidence figures of each control are in controls.csv and report.json.",
        8.5,
    );
    let mut start = 0;
    while start < r.controls.len() {
        let framework = &r.controls[start].framework;
        let end = r.controls[start..]
            .iter()
            .position(|c| &c.framework != framework)
            .map_or(r.controls.len(), |n| start + n);
        l.heading(framework, 11.0);
        let mut rows: Vec<Vec<String>> = Vec::new();
        for c in &r.controls[start..end] {
            rows.push(vec![
                c.id.clone(),
                c.title.clone(),
                c.status.clone(),
                c.entries.join(" "),
            ]);
            let mut note = c.note.clone();
            if !c.coverage.is_empty() {
                let names: Vec<&str> = c
                    .coverage
                    .iter()
                    .map(|x| x.split(':').next().unwrap_or(x))
                    .collect();
                if !note.is_empty() {
                    note += if note.ends_with('.') { " " } else { ". " };
                }
                note += &format!(
                    "Rule coverage: {} (see Audit rule coverage).",
                    names.join(", ")
                );
            }
            if !note.is_empty() {
                rows.push(vec![note]);
            }
        }
        // The register entry ids link to their entries.
        l.links.col = Some(3);
        l.table(
            &[
                Col("control", 84.0, L),
                Col("title", 230.0, L),
                Col("status", 60.0, L),
                Col("register entries", 141.0, L),
            ],
            &rows,
        );
        l.links.col = None;
        start = end;
    }
    let mut coverage: Vec<&String> = r.controls.iter().flat_map(|c| &c.coverage).collect();
    coverage.sort();
    coverage.dedup();
    if !coverage.is_empty() {
        l.heading("Audit rule coverage", 11.0);
        l.para(
            "Per rule meaning the controls above need: the hosts with events, the hosts whose \
             rule is loaded but silent (evidence of absence), and the hosts without the rule, \
             with the rule to add.",
            8.5,
        );
        let field = Field("rule meaning: coverage", RIGHT - LEFT, L, &|c: &&String| {
            (*c).clone()
        });
        l.table_of(&[field], &coverage);
    }
}

pub(super) fn register(l: &mut Layout, r: &Report) {
    l.heading("Findings register", 14.0);
    if !r.policy.evaluated {
        l.para(&r.policy.statement, 9.0);
        return;
    }
    if r.register.is_empty() {
        l.para("No findings were raised.", 9.0);
        return;
    }
    l.para(
        &format!(
            "{} finding(s) in {} entries: one per rule, host, actor and target, most serious \
             first. Each shows its first occurrences and raw lines; every finding and record is \
             in findings.csv (column entry) and report.json.",
            r.findings.len(),
            r.register.len()
        ),
        8.5,
    );
    let shown = r.register.len().min(crate::report::FINDINGS_SHOWN);
    for e in &r.register[..shown] {
        // Break first, so the colour lands on the page that shows the heading.
        l.ensure(9.0 * 2.0 + 3.0 * ROW_H);
        l.anchor(&e.id);
        l.ops.push(Op::SetFillColor {
            col: severity_colour(&e.severity),
        });
        let host = if e.host.is_empty() {
            String::new()
        } else {
            format!(" · {}", e.host)
        };
        l.heading(
            &format!("{} [{}] {} {}{host}", e.id, e.severity, e.rule, e.title),
            9.0,
        );
        l.ops.push(Op::SetFillColor { col: rgb(0, 0, 0) });
        let mut who = Vec::new();
        if !e.actor.is_empty() {
            who.push(format!("actor {}", e.actor));
        }
        if !e.target.is_empty() {
            who.push(format!("target {}", e.target));
        }
        let when = if e.first == e.last {
            e.first.clone()
        } else {
            format!("{} .. {}", e.first, e.last)
        };
        // One occurrence: its summary is the entry's; several: listed below.
        let what = match e.occurrences_shown.as_slice() {
            [one] if e.occurrences == 1 => format!(
                "{} {}: {}",
                e.status,
                e.findings.join(""),
                one.split_once(": ").map_or(one.as_str(), |(_, s)| s)
            ),
            _ => format!("{}: {} occurrences", e.status, e.occurrences),
        };
        l.para(
            &format!(
                "{what}; {when}{}{}. Controls: {}.",
                if who.is_empty() { "" } else { "; " },
                who.join(", "),
                controls_by_framework(&e.controls)
            ),
            7.5,
        );
        for x in &e.accepted_by {
            l.para(&format!("Accepted: {x}."), 7.5);
        }
        if e.occurrences > 1 {
            for o in &e.occurrences_shown {
                l.para(&format!("• {o}"), 7.5);
            }
        }
        if e.occurrences > e.occurrences_shown.len() {
            l.para(
                &format!(
                    "{} more occurrence(s): {} (findings.csv)",
                    e.occurrences - e.occurrences_shown.len(),
                    e.findings[e.occurrences_shown.len()..].join(", ")
                ),
                7.5,
            );
        }
        let raw = |x: &EvidenceRow| format!("{} {}  {}", short_time(&x.time), x.source, x.raw_line);
        if !e.evidence.is_empty() {
            l.table_of(&[Field("", RIGHT - LEFT, L, &raw)], &e.evidence);
        }
        let shown = e.evidence.len();
        if e.records > shown {
            let text = if shown == 0 {
                format!(
                    "{} record(s) in findings.csv (the first at {}).",
                    e.records, e.first_source
                )
            } else {
                format!("{} more record(s) in findings.csv.", e.records - shown)
            };
            l.para(&text, 7.5);
        }
    }
    if r.register.len() > shown {
        l.para(
            &format!(
                "{} more entries in findings.csv and report.json.",
                r.register.len() - shown
            ),
            9.0,
        );
    }
}

/// The exceptions register, when an exceptions file was given: the file and its hash, the
/// counts, then every entry as the file states it (scope, owner, reason, ticket, approver,
/// expiry) with what became of it this period.
pub(super) fn exceptions(l: &mut Layout, r: &Report) {
    let Some(x) = &r.exceptions else {
        return;
    };
    l.heading("Exceptions register", 14.0);
    let day = x.period_last_day.map_or_else(
        || "nothing: the input has no period end".to_string(),
        |d| format!("{d}, the period's last day"),
    );
    l.para(
        &format!(
            "{} (sha256 {}). Expiries compared with {day}. {} finding(s) accepted; {} \
             entry(ies) expired, their findings left open; {} entry(ies) matched nothing this \
             period.",
            x.file, x.sha256, x.accepted, x.expired, x.unmatched
        ),
        8.5,
    );
    let with = |text: &str, label: &str, v: &Option<String>| match v {
        Some(v) => format!("{text}; {label} {v}"),
        None => text.to_string(),
    };
    let scope = |e: &RegisterEntry| e.exception.scope(|k, v| format!("{k} {v}")).join("; ");
    l.table_of(
        &[
            Field("#", 18.0, L, &|e: &RegisterEntry| {
                format!("#{}", e.exception.entry)
            }),
            Field("status", 52.0, L, &|e| e.status.as_str().to_string()),
            Field("rule and scope", 105.0, L, &scope),
            Field("owner", 90.0, L, &|e| {
                with(&e.exception.owner, "approved by", &e.exception.approved_by)
            }),
            Field("reason", 123.0, L, &|e| {
                with(&e.exception.reason, "ticket", &e.exception.ticket)
            }),
            Field("expires", 52.0, L, &|e| e.exception.expires.to_string()),
            Field("this period", 75.0, L, &|e| e.note.clone()),
        ],
        &x.entries,
    );
}
