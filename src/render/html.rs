//! `report.html`: one self-contained page (inline CSS, inline SVG bar charts, no JavaScript,
//! no external URL) rendered with tera from `report-templates/`.
//!
//! The templates are compiled in; `--templates DIR` overrides any of them by file name (the
//! zola pattern). Chart geometry is computed here and the SVG is written by the template,
//! so every text node, log-derived or not, goes through tera's autoescape and no template
//! needs `| safe`.

pub mod compare;
pub mod trend;

use crate::report::{FactRow, FactTable, HostRow, Report, Series};
use anyhow::Context;
use serde::Serialize;
use std::path::Path;

/// The built-in templates, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../report-templates/style.css"),
    ),
    (
        "report.html",
        include_str!("../../report-templates/report.html"),
    ),
];

/// Rows of a population shown in the page; the CSV holds all of them.
pub const ROWS_SHOWN: usize = 200;

/// The templates to render with: the built-ins, each replaced by a file of the same name in
/// `dir` when one exists.
pub fn templates(dir: Option<&Path>) -> anyhow::Result<Vec<(String, String)>> {
    templates_of(BUILTIN, dir)
}

/// `builtin` templates, each replaced by a file of the same name in `dir` when one exists
/// (shared by the report and the `compare`/`trend` pages).
pub fn templates_of(
    builtin: &[(&str, &str)],
    dir: Option<&Path>,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, text) in builtin {
        let own = dir.map(|d| d.join(name)).filter(|p| p.is_file());
        let text = match own {
            Some(p) => std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read template {}", p.display()))?,
            None => text.to_string(),
        };
        out.push((name.to_string(), text));
    }
    Ok(out)
}

/// A tera engine over `templates` with our escaping (see [`escape`]).
pub fn engine(templates: &[(String, String)]) -> anyhow::Result<tera::Tera> {
    let mut tera = tera::Tera::new();
    tera.set_escape_fn(escape);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))?;
    Ok(tera)
}

/// Bar geometry of one per-day chart.
#[derive(Debug, Serialize)]
pub struct Chart {
    title: String,
    width: u32,
    height: u32,
    left: u32,
    base: u32,
    max: u64,
    first_label: String,
    last_label: String,
    bars: Vec<Bar>,
    /// First and last label of each part (x, anchor `start`/`end`, text).
    labels: Vec<AxisLabel>,
}

#[derive(Debug, Serialize)]
struct Bar {
    x: String,
    y: String,
    w: String,
    h: String,
    label: String,
    value: u64,
    /// Which part (period) the bar belongs to: 0, 1, ...
    part: usize,
}

#[derive(Debug, Serialize)]
struct AxisLabel {
    x: String,
    anchor: &'static str,
    text: String,
}

/// A chart of `values` (one per day of `days`).
pub fn chart(title: &str, days: &[String], values: &[u64]) -> Chart {
    chart_parts(title, &[(days, values)], 760, 110)
}

/// A chart of several runs of bars side by side (two periods), one empty slot between
/// runs, on one scale; `width` x `height` pixels.
pub fn chart_parts(title: &str, parts: &[(&[String], &[u64])], width: u32, height: u32) -> Chart {
    let left = 44u32;
    let base = height - 16;
    let max = parts
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(0);
    let n = parts.iter().map(|(_, v)| v.len()).sum::<usize>() + parts.len().max(1) - 1;
    let slot = f64::from(width - left) / n.max(1) as f64;
    let w = (slot * 0.8).max(1.0);
    let plot = f64::from(base - 8);
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    let mut i = 0usize;
    for (part, (days, values)) in parts.iter().enumerate() {
        let start = f64::from(left) + i as f64 * slot;
        for (v, d) in values.iter().zip(days.iter()) {
            let h = if max == 0 {
                0.0
            } else {
                (*v as f64 / max as f64 * plot).max(if *v > 0 { 1.0 } else { 0.0 })
            };
            let h = if *v == 0 { 1.0 } else { h };
            bars.push(Bar {
                x: format!("{:.1}", f64::from(left) + i as f64 * slot),
                y: format!("{:.1}", f64::from(base) - h),
                w: format!("{w:.1}"),
                h: format!("{h:.1}"),
                label: d.clone(),
                value: *v,
                part,
            });
            i += 1;
        }
        let end = f64::from(left) + i as f64 * slot;
        if let Some(first) = days.first() {
            labels.push(AxisLabel {
                x: format!("{start:.1}"),
                anchor: "start",
                text: first.clone(),
            });
        }
        if let (Some(last), true) = (days.last(), days.len() > 1) {
            labels.push(AxisLabel {
                x: format!("{end:.1}"),
                anchor: "end",
                text: last.clone(),
            });
        }
        i += 1;
    }
    Chart {
        title: title.to_string(),
        width,
        height,
        left,
        base,
        max,
        first_label: parts
            .first()
            .and_then(|(d, _)| d.first())
            .cloned()
            .unwrap_or_default(),
        last_label: parts
            .last()
            .and_then(|(d, _)| d.last())
            .cloned()
            .unwrap_or_default(),
        bars,
        labels,
    }
}

/// The report without its sections (those go in as [`SectionView`]s with the rows shown):
/// serialising every population into the template context would cost more than the page.
#[derive(Serialize)]
struct Head<'a> {
    title: &'a str,
    organization: &'a Option<String>,
    no_evidence: &'a Option<String>,
    scope: &'a crate::report::Scope,
    key_figures: &'a [crate::report::Metric],
    completeness: &'a crate::report::Completeness,
    policy: &'a crate::report::PolicyStatus,
    controls: &'a [crate::report::ControlRow],
    executive: &'a crate::report::executive::Executive,
    register: &'a [crate::report::register::RegisterEntry],
    exceptions: &'a Option<crate::findings::exceptions::Register>,
    integrity: &'a [crate::report::InputFileRow],
    signoff: &'a crate::report::SignOff,
    days: &'a [String],
}

#[derive(Serialize)]
struct HostView<'a> {
    row: &'a HostRow,
    /// `None` for hosts not charted one by one (see `report::HOST_CHARTS`).
    chart: Option<Chart>,
}

/// The chart of all hosts together (large fleets).
#[derive(Serialize)]
struct FleetView<'a> {
    note: &'a str,
    chart: Chart,
}

#[derive(Serialize)]
struct TableView<'a> {
    id: &'a str,
    title: &'a str,
    total: u64,
    omitted: u64,
    rows: Vec<RowView>,
    more: usize,
}

/// A row shown: its brief cells only (see [`crate::report::Column::brief`]).
#[derive(Serialize)]
struct RowView {
    time: String,
    host: String,
    cells: Vec<String>,
    source: String,
}

/// A section without its populations: the page shows their first rows (`tables`), and
/// serializing every row into the template context cost more time and memory than the
/// rest of the page.
#[derive(Serialize)]
struct SectionHead<'a> {
    id: &'a str,
    title: &'a str,
    csv: &'a str,
    columns: &'a [crate::report::Column],
    counts: &'a [crate::report::CountRow],
    series: &'a [Series],
    top: &'a [crate::report::TopList],
}

#[derive(Serialize)]
struct SectionView<'a> {
    s: SectionHead<'a>,
    /// Headings of the columns shown (the brief ones).
    headers: Vec<&'a str>,
    /// Nothing counted: the page shows one line instead of empty charts and tables.
    empty: bool,
    charts: Vec<Chart>,
    tables: Vec<TableView<'a>>,
}

fn table_view<'a>(t: &'a FactTable<'_>, brief: &[bool]) -> TableView<'a> {
    let shown = t.rows.len().min(ROWS_SHOWN);
    let row = |r: FactRow| RowView {
        time: r.time,
        host: r.host,
        cells: r
            .cells
            .into_iter()
            .zip(brief)
            .filter(|(_, &b)| b)
            .map(|(c, _)| c)
            .collect(),
        source: r.source,
    };
    TableView {
        id: &t.id,
        title: &t.title,
        total: t.total,
        omitted: t.omitted,
        rows: t.rows.iter().take(shown).map(row).collect(),
        more: t.rows.len() - shown,
    }
}

fn series_chart(days: &[String], s: &Series) -> Chart {
    let mut title = s.label.clone();
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    chart(&title, days, &s.values)
}

/// HTML escaping that also shows control, bidi and zero-width characters (terminal escapes
/// in user names, a right-to-left override in a path) as visible `\x1b` / `\u202e` text
/// ([`crate::render::inert`]) instead of passing them to the browser.
pub fn escape(input: &str, buf: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut start = 0;
    let mut shown = String::new();
    for (i, c) in input.char_indices() {
        let rep: &str = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            c if super::inert::is_hidden(c) => {
                shown.clear();
                super::inert::push_escape(&mut shown, c);
                &shown
            }
            _ => continue,
        };
        buf.write_all(&input.as_bytes()[start..i])?;
        buf.write_all(rep.as_bytes())?;
        start = i + c.len_utf8();
    }
    buf.write_all(&input.as_bytes()[start..])
}

/// Renders the page with `templates` (see [`templates`]).
pub fn render(report: &Report, templates: &[(String, String)]) -> anyhow::Result<Vec<u8>> {
    let tera = engine(templates).context("report template")?;
    let all_hosts = &report.completeness.hosts;
    let shown = crate::report::hosts_shown(all_hosts);
    let hosts: Vec<HostView> = shown
        .iter()
        .map(|&i| &all_hosts[i])
        .map(|h| HostView {
            row: h,
            chart: h
                .charted
                .then(|| chart("events per day", &report.days, &h.per_day)),
        })
        .collect();
    let sections: Vec<SectionView> = report
        .sections
        .iter()
        .map(|s| {
            let brief: Vec<bool> = s.columns.iter().map(|c| c.brief).collect();
            SectionView {
                s: SectionHead {
                    id: &s.id,
                    title: &s.title,
                    csv: &s.csv,
                    columns: &s.columns,
                    counts: &s.counts,
                    series: &s.series,
                    top: &s.top,
                },
                headers: s
                    .columns
                    .iter()
                    .filter(|c| c.brief)
                    .map(|c| c.name.as_str())
                    .collect(),
                empty: s.tables.iter().all(|t| t.total == 0)
                    && s.counts.iter().all(|c| c.value == 0),
                charts: s
                    .series
                    .iter()
                    .map(|x| series_chart(&report.days, x))
                    .collect(),
                tables: s.tables.iter().map(|t| table_view(t, &brief)).collect(),
            }
        })
        .collect();
    let mut ctx = tera::Context::new();
    let r = report;
    let head = Head {
        title: &r.title,
        organization: &r.organization,
        no_evidence: &r.no_evidence,
        scope: &r.scope,
        key_figures: &r.key_figures,
        completeness: &r.completeness,
        policy: &r.policy,
        controls: &r.controls,
        executive: &r.executive,
        register: &r.register[..r.register.len().min(crate::report::FINDINGS_SHOWN)],
        exceptions: &r.exceptions,
        integrity: &r.integrity,
        signoff: &r.signoff,
        days: &r.days,
    };
    ctx.insert("r", &head);
    ctx.insert("hosts", &hosts);
    // Large fleets: the page lists some hosts and findings, the CSV files all of them.
    let scope_hosts: Vec<&str> = shown.iter().map(|&i| all_hosts[i].name.as_str()).collect();
    ctx.insert("scope_hosts", &scope_hosts);
    ctx.insert("hosts_total", &r.scope.hosts.len());
    ctx.insert("hosts_more", &(all_hosts.len() - shown.len()));
    ctx.insert("findings_more", &(r.register.len() - head.register.len()));
    ctx.insert("findings_total", &r.findings.len());
    let fleet = report.completeness.fleet.as_ref().map(|f| FleetView {
        note: &f.note,
        chart: chart("all hosts: events per day", &report.days, &f.per_day),
    });
    ctx.insert("fleet", &fleet);
    ctx.insert("sections", &sections);
    let html = tera
        .render("report.html", &ctx)
        .context("cannot render report.html")?;
    Ok(html.into_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_shows_controls_bidi_and_zero_width() {
        let mut out = Vec::new();
        super::escape("<b>x\x1b[2J\u{202e}é\u{200b}\n'\"&</b>", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "&lt;b&gt;x\\x1b[2J\\u202eé\\u200b\\x0a&#39;&quot;&amp;&lt;/b&gt;"
        );
    }
}
