//! The trend as one self-contained HTML page (`trend --format html`): a small chart per key
//! metric (bars per period), F-TRD-01's outcome, and the table of every metric that counted
//! anything, with the cells F-TRD-01 flagged highlighted. Template `trend.html`, overridable
//! by name like the other templates.

use crate::compare::trend::Trend;
use crate::render::html::compare::Stamp;
use crate::render::html::{self, Chart};
use anyhow::Context;
use serde::Serialize;

/// Metrics drawn as charts: the report's key figures and every metric F-TRD-01 flagged,
/// when they count anything in some period.
pub(crate) fn charted(t: &Trend) -> Vec<(&str, &[u64])> {
    t.metrics
        .iter()
        .filter(|(id, v)| {
            let key = crate::aggregate::metrics::KEY_METRICS.contains(&id.as_str());
            let flagged = (0..v.len()).any(|i| t.flagged(id, i));
            (key || flagged) && v.iter().any(|&n| n > 0)
        })
        .map(|(id, v)| (id.as_str(), v.as_slice()))
        .collect()
}

#[derive(Serialize)]
struct Cell {
    value: u64,
    flagged: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    cells: Vec<Cell>,
}

/// Metrics that count anything, with F-TRD-01's flags per cell.
fn rows(t: &Trend) -> Vec<Row<'_>> {
    t.metrics
        .iter()
        .filter(|(_, v)| v.iter().any(|&n| n > 0))
        .map(|(id, v)| Row {
            id,
            cells: v
                .iter()
                .enumerate()
                .map(|(i, &value)| Cell {
                    value,
                    flagged: t.flagged(id, i),
                })
                .collect(),
        })
        .collect()
}

#[derive(Serialize)]
struct Page<'a> {
    t: &'a Trend,
    stamp: &'a Stamp,
    charts: Vec<Chart>,
    rows: Vec<Row<'a>>,
    zero: usize,
}

/// Renders the page with `templates` ([`crate::compare::html::templates`]).
pub fn render(t: &Trend, stamp: &Stamp, templates: &[(String, String)]) -> anyhow::Result<Vec<u8>> {
    let tera = html::engine(templates).context("trend template")?;
    let (labels, _) = t.short_periods();
    let charts = charted(t)
        .into_iter()
        .map(|(id, v)| html::chart_parts(id, &[(&labels, v)], 340, 110))
        .collect();
    let rows = rows(t);
    let page = Page {
        t,
        stamp,
        charts,
        zero: t.metrics.len() - rows.len(),
        rows,
    };
    let ctx = tera::Context::from_serialize(&page)?;
    let out = tera
        .render("trend.html", &ctx)
        .context("cannot render trend.html")?;
    Ok(out.into_bytes())
}
