//! The comparison as one self-contained HTML page (`compare --format html`): inline CSS
//! (the report's `style.css`), inline SVG charts of both periods per day, no JavaScript, no
//! external URL. Rendered with tera from `report-templates/compare.html`, overridable by
//! name with `--templates DIR` like the report's templates.
//!
//! Numbers are formatted here and chart geometry is computed here
//! ([`crate::render::html::chart_parts`]), so the template only places values and every
//! value, log-derived or not, goes through tera's autoescape.

use crate::compare::{Comparison, HostFigures, MetricChange};
use crate::render::format;
use crate::render::html::{self, Chart};
use anyhow::Context;
use serde::Serialize;
use std::path::Path;

/// The built-in templates of the compare and trend pages, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../../report-templates/style.css"),
    ),
    (
        "compare.html",
        include_str!("../../../report-templates/compare.html"),
    ),
    (
        "trend.html",
        include_str!("../../../report-templates/trend.html"),
    ),
];

/// The templates, each replaced by a file of the same name in `dir` when one exists.
pub fn templates(dir: Option<&Path>) -> anyhow::Result<Vec<(String, String)>> {
    html::templates_of(BUILTIN, dir)
}

/// Who made the page and when (`--generated-at`, `SOURCE_DATE_EPOCH` or now).
#[derive(Clone, Debug, Serialize)]
pub struct Stamp {
    /// RFC 3339, UTC.
    pub generated_at: String,
    /// `auditrail`.
    pub tool: &'static str,
    /// The tool's version.
    pub version: &'static str,
}

impl Stamp {
    /// A stamp of this build at `generated_at`.
    pub fn new(generated_at: String) -> Stamp {
        Stamp {
            generated_at,
            tool: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// One metric row with its numbers as they are shown.
#[derive(Serialize)]
pub(crate) struct MetricRow {
    pub id: String,
    pub baseline: u64,
    pub current: u64,
    /// `+3`, `-12`, `0`.
    pub change: String,
    /// `+33.3%`, `-100.0%`, `new` (from 0), empty when unchanged.
    pub pct: String,
    pub flagged: bool,
}

/// `+33.3%`; `new` for a change from 0; empty without change.
pub(crate) fn pct(m: &MetricChange) -> String {
    match m.change {
        0 => String::new(),
        _ => format::pct(m.change_pct, format::NEW),
    }
}

/// Metrics that are non-zero in either period, in id order, and how many were 0 in both.
pub(crate) fn metric_rows(c: &Comparison) -> (Vec<MetricRow>, usize) {
    let rows: Vec<MetricRow> = c
        .metrics
        .iter()
        .filter(|(_, m)| m.baseline > 0 || m.current > 0)
        .map(|(id, m)| MetricRow {
            id: id.clone(),
            baseline: m.baseline,
            current: m.current,
            change: if m.change == 0 {
                "0".to_string()
            } else {
                format!("{:+}", m.change)
            },
            pct: pct(m),
            flagged: m.flagged,
        })
        .collect();
    let zero = c.metrics.len() - rows.len();
    (rows, zero)
}

/// One host with both periods' figures as text (`-` where it logged nothing).
#[derive(Serialize)]
pub(crate) struct HostRow {
    pub name: String,
    /// `both`, `appeared`, `went silent`.
    pub presence: &'static str,
    /// `presence` as a CSS class name.
    pub class: String,
    /// events, failed logins, lost events, silences: baseline then current.
    pub figures: Vec<[String; 2]>,
}

fn figures(f: &Option<HostFigures>) -> [String; 4] {
    match f {
        Some(f) => [f.events, f.logins_failed, f.lost_events, f.silences].map(|n| n.to_string()),
        None => ["-", "-", "-", "-"].map(String::from),
    }
}

pub(crate) fn host_rows(c: &Comparison) -> Vec<HostRow> {
    c.hosts
        .iter()
        .map(|(name, h)| {
            let (b, cur) = (figures(&h.baseline), figures(&h.current));
            let presence = match (&h.baseline, &h.current) {
                (Some(_), Some(_)) => "both",
                (None, _) => "appeared",
                (_, None) => "went silent",
            };
            HostRow {
                name: name.clone(),
                presence,
                class: class(presence),
                figures: (0..4).map(|i| [b[i].clone(), cur[i].clone()]).collect(),
            }
        })
        .collect()
}

/// One change in a list (accounts, signatures, findings): what changed and the name.
#[derive(Serialize)]
pub(crate) struct ListRow {
    pub change: &'static str,
    /// `change` as a CSS class name (`ch-created-current`).
    pub class: String,
    pub name: String,
    /// Severity of a finding (empty elsewhere).
    pub severity: &'static str,
}

/// `created (current)` as `ch-created-current`.
fn class(change: &str) -> String {
    let words: Vec<&str> = change
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("ch-{}", words.join("-"))
}

fn list(rows: &mut Vec<ListRow>, change: &'static str, names: &[String]) {
    rows.extend(names.iter().map(|n| ListRow {
        change,
        class: class(change),
        name: n.clone(),
        severity: "",
    }));
}

pub(crate) fn account_rows(c: &Comparison) -> Vec<ListRow> {
    let a = &c.accounts;
    let mut rows = Vec::new();
    list(&mut rows, "created (baseline)", &a.created_baseline);
    list(&mut rows, "created (current)", &a.created_current);
    list(&mut rows, "deleted (baseline)", &a.deleted_baseline);
    list(&mut rows, "deleted (current)", &a.deleted_current);
    list(&mut rows, "first seen", &a.seen.new);
    list(&mut rows, "no longer seen", &a.seen.vanished);
    rows
}

/// The grants of both periods as table rows (period, time, host, actor, account, grant),
/// the time as `time` words it.
pub(crate) fn grant_rows(c: &Comparison, time: impl Fn(&str) -> String) -> Vec<Vec<String>> {
    [
        ("baseline", &c.grants.baseline),
        ("current", &c.grants.current),
    ]
    .iter()
    .flat_map(|(side, list)| {
        list.iter().map(|g| {
            vec![
                side.to_string(),
                time(&g.time),
                g.host.clone(),
                g.actor.clone(),
                g.target.clone(),
                g.what.clone(),
            ]
        })
    })
    .collect()
}

pub(crate) fn signature_rows(c: &Comparison) -> Vec<ListRow> {
    let mut rows = Vec::new();
    list(&mut rows, "new", &c.signatures.new);
    list(&mut rows, "vanished", &c.signatures.vanished);
    list(&mut rows, "persisting", &c.signatures.persisting);
    rows
}

/// Findings: new, persisting, resolved, each with its severity.
pub(crate) fn finding_rows(c: &Comparison) -> Option<Vec<ListRow>> {
    let f = c.findings.as_ref()?;
    let mut rows = Vec::new();
    list(&mut rows, "new", &f.new);
    list(&mut rows, "persisting", &f.persisting);
    list(&mut rows, "resolved", &f.vanished);
    for r in &mut rows {
        r.severity = c.finding_severity.get(&r.name).map_or("", |s| s.as_str());
    }
    Some(rows)
}

/// The per-day series drawn: events always, the others when they count anything.
pub(crate) fn drawn(c: &Comparison) -> impl Iterator<Item = &crate::compare::daily::DailySeries> {
    c.per_day
        .iter()
        .filter(|s| s.id == "events" || s.baseline.iter().chain(&s.current).any(|&n| n > 0))
}

#[derive(Serialize)]
struct Page<'a> {
    c: &'a Comparison,
    stamp: &'a Stamp,
    metrics: Vec<MetricRow>,
    metrics_zero: usize,
    metrics_flagged: usize,
    /// `--threshold` as people write it (`50%`, `12.5%`).
    threshold_pct: String,
    hosts: Vec<HostRow>,
    accounts: Vec<ListRow>,
    signatures: Vec<ListRow>,
    findings: Option<Vec<ListRow>>,
    charts: Vec<Chart>,
}

/// Renders the page with `templates` (see [`templates`]).
pub fn render(
    c: &Comparison,
    stamp: &Stamp,
    templates: &[(String, String)],
) -> anyhow::Result<Vec<u8>> {
    let tera = html::engine(templates).context("compare template")?;
    let (metrics, metrics_zero) = metric_rows(c);
    let (bd, cd) = (&c.baseline_period.days, &c.current_period.days);
    let charts = drawn(c)
        .map(|s| {
            html::chart_parts(
                s.label,
                &[(bd.as_slice(), &s.baseline), (cd.as_slice(), &s.current)],
                760,
                120,
            )
        })
        .collect();
    let page = Page {
        c,
        stamp,
        metrics_flagged: metrics.iter().filter(|m| m.flagged).count(),
        threshold_pct: format!("{}%", c.threshold.pct),
        metrics,
        metrics_zero,
        hosts: host_rows(c),
        accounts: account_rows(c),
        signatures: signature_rows(c),
        findings: finding_rows(c),
        charts,
    };
    let ctx = tera::Context::from_serialize(&page)?;
    let out = tera
        .render("compare.html", &ctx)
        .context("cannot render compare.html")?;
    Ok(out.into_bytes())
}
