//! `report.pdf` page 1: the title, the executive summary (verdict per framework, findings
//! by severity and status, what limits the evidence, the register entries to read first)
//! and the scope with every policy and its hash, then the key figures with their labels.

use super::layout::{Align, Col, Field, Layout};
use crate::report::executive::{SeverityCount, TopEntry};
use crate::report::Report;
use Align::{Left as L, Right as R};

/// Page 1 and what follows it before the completeness section.
pub(super) fn cover(l: &mut Layout, r: &Report) {
    l.title(&r.title, 20.0);
    l.y -= 4.0;
    if let Some(org) = &r.organization {
        l.para(org, 11.0);
    }
    l.para(&r.scope.period.description, 10.0);
    if let Some(verdict) = &r.no_evidence {
        l.heading(
            "No audit records in the period: nothing here is a pass",
            13.0,
        );
        l.para(verdict, 11.0);
    }
    let e = &r.executive;
    l.heading("Executive summary", 14.0);
    l.para(&format!("Policies: {}.", e.policies), 8.5);
    if r.policy.evaluated {
        let rows: Vec<Vec<String>> = e
            .frameworks
            .iter()
            .map(|f| crate::render::format::framework_row(f.framework.clone(), f))
            .collect();
        l.table(
            &[
                Col("framework", 165.0, L),
                Col("controls", 50.0, R),
                Col("with evidence", 75.0, R),
                Col("with exceptions", 75.0, R),
                Col("no evidence", 75.0, R),
                Col("not provable", 75.0, R),
            ],
            &rows,
        );
        let total: usize = e
            .severities
            .iter()
            .map(|s| s.open + s.accepted + s.expired)
            .sum();
        l.heading(
            &format!(
                "Findings by severity: {total} finding(s) in {} register entr{}",
                e.entries,
                if e.entries == 1 { "y" } else { "ies" }
            ),
            11.0,
        );
        l.table_of(
            &[
                Field("severity", 165.0, L, &|s: &SeverityCount| {
                    s.severity.clone()
                }),
                Field("open", 50.0, R, &|s| s.open.to_string()),
                Field("accepted", 75.0, R, &|s| s.accepted.to_string()),
                Field("expired acceptance", 100.0, R, &|s| s.expired.to_string()),
            ],
            &e.severities,
        );
    } else {
        l.para(&r.policy.statement, 9.0);
    }
    l.heading("What limits the evidence", 11.0);
    if e.caveats.is_empty() {
        l.para(
            "Every host covers the period; no silence, serial gap, lost event or rejected line.",
            8.5,
        );
    }
    for c in &e.caveats {
        l.para(&format!("• {c}"), 8.5);
    }
    if !e.top.is_empty() {
        l.heading("Read first (Findings register)", 11.0);
        l.table_of(
            &[
                Field("entry", 35.0, L, &|t: &TopEntry| t.entry.clone()),
                Field("severity", 45.0, L, &|t| t.severity.clone()),
                Field("rule", 270.0, L, &|t| format!("{} {}", t.rule, t.title)),
                Field("host", 65.0, L, &|t| t.host.clone()),
                Field("findings", 55.0, R, &|t| t.occurrences.to_string()),
                Field("controls", 45.0, R, &|t| t.controls.to_string()),
            ],
            &e.top,
        );
    }
    scope(l, r);
}

fn scope(l: &mut Layout, r: &Report) {
    l.heading("Scope", 12.0);
    let mut rows = vec![
        vec![
            "Period (UTC)".to_string(),
            format!(
                "{} .. {}",
                r.scope.period.start.as_deref().unwrap_or("unbounded"),
                r.scope.period.end.as_deref().unwrap_or("unbounded")
            ),
        ],
        vec!["Time zone".into(), r.scope.period.tz.clone()],
        vec![format!("Hosts ({})", r.scope.hosts.len()), scope_hosts(r)],
    ];
    if r.scope.policies.is_empty() {
        rows.push(vec!["Policies".into(), "none".into()]);
    }
    rows.extend(r.scope.policies.iter().map(|p| {
        vec![
            "Policy".into(),
            format!("{} ({}) sha256:{}", p.version, p.path, p.sha256),
        ]
    }));
    rows.push(vec![
        "Tool".into(),
        format!("{} {}", r.scope.tool.name, r.scope.tool.version),
    ]);
    rows.push(vec!["Generated".into(), r.scope.generated_at.clone()]);
    rows.extend(
        r.scope
            .options
            .iter()
            .map(|o| vec![o.name.clone(), o.value.clone()]),
    );
    rows.extend(
        r.scope
            .limits
            .iter()
            .map(|l| vec!["Limit".into(), l.clone()]),
    );
    let warnings = r.scope.input_warnings.iter();
    rows.extend(warnings.map(|w| vec!["Input warning".into(), w.clone()]));
    l.table(&[Col("", 115.0, L), Col("", 400.0, L)], &rows);
    l.para(&r.policy.statement, 8.5);
    l.heading("Key figures", 12.0);
    let rows: Vec<Vec<String>> = r
        .key_figures
        .iter()
        .map(|m| vec![m.label.clone(), m.id.clone(), m.value.to_string()])
        .collect();
    l.table(&PAIRED, &paired(&rows));
}

/// Columns of a figure table two figures to a row: label, metric id, value, twice.
pub(super) const PAIRED: [Col<'static>; 6] = [
    Col("figure", 92.0, L),
    Col("metric id", 125.0, L),
    Col("value", 40.0, R),
    Col("figure", 92.0, L),
    Col("metric id", 125.0, L),
    Col("value", 41.0, R),
];

/// (label, id, value) rows two to a row: the first half down the left, the rest down the
/// right.
pub(super) fn paired(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    let half = rows.len().div_ceil(2);
    (0..half)
        .map(|i| {
            let mut row = rows[i].clone();
            row.extend(rows.get(half + i).cloned().unwrap_or_default());
            row.resize(6, String::new());
            row
        })
        .collect()
}

/// The hosts the scope names: those the completeness table shows, and how many more.
fn scope_hosts(r: &Report) -> String {
    let hosts = &r.completeness.hosts;
    let shown = crate::report::hosts_shown(hosts);
    let mut names: Vec<&str> = shown.iter().map(|&i| hosts[i].name.as_str()).collect();
    if names.is_empty() {
        names = r.scope.hosts.iter().map(String::as_str).collect();
    }
    let mut text = names.join(", ");
    if hosts.len() > shown.len() {
        text += &format!(", and {} more (hosts.csv)", hosts.len() - shown.len());
    }
    text
}
