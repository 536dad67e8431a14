//! The trend on A4 (`trend --format pdf`): small multiples (three charts per row, bars per
//! period), F-TRD-01's outcome, and the metrics table in blocks of at most 8 periods, rows
//! F-TRD-01 flagged highlighted and the flagged values starred.

use crate::compare::trend::rule::TrendFinding;
use crate::compare::trend::Trend;
use crate::render::format;
use crate::render::html::compare::Stamp;
use crate::render::html::trend::charted;
use crate::render::pdf::layout::{rgb, Align, Col, Field, Layout, Part, CHART_H, LEFT, RIGHT};
use crate::render::pdf::save;
use Align::{Left as L, Right as R};

/// Periods per table block, so the columns stay wide enough for their labels.
const PERIODS_PER_TABLE: usize = 8;

fn multiples(l: &mut Layout, t: &Trend) {
    l.heading("Key metrics per period", 14.0);
    let charts = charted(t);
    if charts.is_empty() {
        l.para("No key metric counted anything in any period.", 9.0);
    }
    let (labels, _) = t.short_periods();
    let gap = 12.0;
    let w = (RIGHT - LEFT - 2.0 * gap) / 3.0;
    for row in charts.chunks(3) {
        l.ensure(CHART_H + 40.0);
        l.y -= 14.0;
        let top = l.y;
        let mut bottom = top;
        for (k, (id, values)) in row.iter().enumerate() {
            let part = Part {
                days: &labels,
                values,
                colour: rgb(0x1f, 0x5f, 0xa8),
            };
            let x = LEFT + k as f32 * (w + gap);
            bottom = l.bars(x, w, top, id, &[part]);
        }
        l.y = bottom;
    }
}

fn rule(l: &mut Layout, t: &Trend) {
    l.heading("Trend findings", 14.0);
    for r in &t.rules {
        // The id as the heading, the title (too long for one heading line) below it.
        l.heading(&format!("{} [{}]", r.id, r.severity.as_str()), 10.0);
        l.para(r.title, 9.0);
        if let Some(reason) = &r.reason {
            l.para(&format!("Not evaluated: {reason}."), 9.0);
            continue;
        }
        if r.findings.is_empty() {
            l.para(
                "Pass: no metric moved by more than 50% and more than 2σ against the 3 \
                 periods before it.",
                9.0,
            );
            continue;
        }
        l.table_of(
            &[
                Field("period", 110.0, L, &|f: &TrendFinding| f.period.clone()),
                Field("metric", 150.0, L, &|f| f.metric.clone()),
                Field("value", 50.0, R, &|f| f.value.to_string()),
                Field("mean of 3 before", 95.0, R, &|f| format!("{:.1}", f.mean)),
                Field("σ", 50.0, R, &|f| format!("{:.1}", f.sd)),
                Field("change", 60.0, R, &|f| {
                    format::pct(f.change_pct, format::FROM_ZERO)
                }),
            ],
            &r.findings,
        );
    }
}

fn table(l: &mut Layout, t: &Trend) {
    l.heading("Metrics per period", 14.0);
    let shown: Vec<(&String, &Vec<u64>)> = t
        .metrics
        .iter()
        .filter(|(_, v)| v.iter().any(|&n| n > 0))
        .collect();
    let zero = t.metrics.len() - shown.len();
    let mut note =
        "Values F-TRD-01 flagged are starred (*) and their rows highlighted.".to_string();
    if zero > 0 {
        note.push_str(&format!(
            " {zero} metric(s) that are 0 in every period are left out."
        ));
    }
    let (labels, zone) = t.short_periods();
    if let Some(z) = zone {
        note.push_str(&format!(" Periods in {z}."));
    }
    l.para(&note, 8.5);
    let first = 150.0;
    // Blocks of equal size, at most PERIODS_PER_TABLE periods each.
    let blocks = labels.len().div_ceil(PERIODS_PER_TABLE).max(1);
    let size = labels.len().div_ceil(blocks).max(1);
    for (block, periods) in labels.chunks(size).enumerate() {
        let offset = block * size;
        let w = ((RIGHT - LEFT - first) / periods.len() as f32).min(90.0);
        let mut cols = vec![Col("metric", first, L)];
        cols.extend(periods.iter().map(|p| Col(p.as_str(), w, R)));
        let mut marked = Vec::new();
        let rows: Vec<Vec<String>> = shown
            .iter()
            .map(|(id, v)| {
                let mut any = false;
                let mut row = vec![id.to_string()];
                for (i, n) in v.iter().enumerate().skip(offset).take(periods.len()) {
                    let f = t.flagged(id, i);
                    any |= f;
                    row.push(if f { format!("{n} *") } else { n.to_string() });
                }
                marked.push(any);
                row
            })
            .collect();
        l.table_marked(&cols, &rows, &marked);
    }
}

/// Renders the trend as PDF bytes.
pub fn render(t: &Trend, stamp: &Stamp) -> anyhow::Result<Vec<u8>> {
    let mut l = Layout::new()?;
    let title = format!("Trend over {} reporting periods", t.periods.len());
    l.title(&title, 18.0);
    l.y -= 6.0;
    if let (Some(a), Some(b)) = (t.periods.first(), t.periods.last()) {
        l.para(&format!("{a} … {b}"), 10.0);
    }
    multiples(&mut l, t);
    rule(&mut l, t);
    table(&mut l, t);
    Ok(save::stamped(
        l,
        &title,
        stamp,
        "Audit log metrics per reporting period".to_string(),
    ))
}
