//! The comparison on A4 (`compare --format pdf`), drawn with the report's PDF layout layer
//! ([`crate::render::pdf::layout`]): the same sections as the HTML page, tables whose header
//! repeats after a page break, per-day charts of both periods on one scale, "Page X of N",
//! document metadata from the generation time, so the same input gives the same bytes.

use crate::compare::daily::PeriodSide;
use crate::compare::integrity::InputCheck;
use crate::compare::Comparison;
use crate::render::html::compare::{
    account_rows, drawn, finding_rows, grant_rows, host_rows, metric_rows, signature_rows, ListRow,
    MetricRow, Stamp,
};
use crate::render::pdf::layout::{self, rgb, Align, Col, Field, Layout, Part};
use crate::render::pdf::save;
use Align::{Left as L, Right as R};

/// Baseline bars: a lighter blue than the current period's.
fn baseline_colour() -> printpdf::Color {
    rgb(0x8f, 0xa9, 0xcc)
}

fn current_colour() -> printpdf::Color {
    rgb(0x1f, 0x5f, 0xa8)
}

fn periods(l: &mut Layout, c: &Comparison) {
    l.title("Comparison of two reporting periods", 18.0);
    l.y -= 6.0;
    l.para(
        &format!("{} (baseline) -> {} (current)", c.baseline, c.current),
        10.0,
    );
    for v in &c.no_evidence {
        l.para(v, 11.0);
    }
    let bound = |b: &Option<String>| b.clone().unwrap_or_else(|| "unbounded".into());
    l.table_of(
        &[
            Field("", 55.0, L, &|(role, _): &(&str, &PeriodSide)| {
                role.to_string()
            }),
            Field("period", 110.0, L, &|(_, p)| p.label.clone()),
            Field("time zone", 80.0, L, &|(_, p)| p.tz.clone()),
            Field("start (UTC)", 115.0, L, &|(_, p)| bound(&p.start)),
            Field("end (UTC, exclusive)", 115.0, L, &|(_, p)| bound(&p.end)),
            Field("days", 40.0, R, &|(_, p)| p.days.len().to_string()),
        ],
        &[
            ("Baseline", &c.baseline_period),
            ("Current", &c.current_period),
        ],
    );
}

fn charts(l: &mut Layout, c: &Comparison) {
    l.heading("Activity per day", 14.0);
    l.para(
        &format!(
            "Both periods on one scale: {} (light bars), then {} (dark bars).",
            c.baseline, c.current
        ),
        8.5,
    );
    for s in drawn(c) {
        let parts = [
            Part {
                days: &c.baseline_period.days,
                values: &s.baseline,
                colour: baseline_colour(),
            },
            Part {
                days: &c.current_period.days,
                values: &s.current,
                colour: current_colour(),
            },
        ];
        l.charts(s.label, &parts);
    }
}

fn metrics(l: &mut Layout, c: &Comparison) {
    l.heading("Metrics", 14.0);
    let (rows, zero) = metric_rows(c);
    let mut note = format!(
        "A change is flagged when it is at least {}% and at least {} in absolute terms; \
         flagged rows are marked.",
        c.threshold.pct, c.threshold.min_abs
    );
    if zero > 0 {
        note.push_str(&format!(
            " {zero} metric(s) that are 0 in both periods are left out."
        ));
    }
    l.para(&note, 8.5);
    l.table_of_marked(
        &[
            Field("metric", 170.0, L, &|m: &MetricRow| m.id.clone()),
            Field(&c.baseline, 85.0, R, &|m| m.baseline.to_string()),
            Field(&c.current, 85.0, R, &|m| m.current.to_string()),
            Field("change", 60.0, R, &|m| m.change.clone()),
            Field("%", 55.0, R, &|m| m.pct.clone()),
            Field("", 60.0, L, &|m| {
                if m.flagged { "FLAGGED" } else { "" }.to_string()
            }),
        ],
        &rows,
        |m| m.flagged,
    );
}

fn hosts(l: &mut Layout, c: &Comparison) {
    l.heading("Hosts", 14.0);
    l.para(
        "Each figure as baseline / current; - where the host logged nothing in that period.",
        8.5,
    );
    let rows: Vec<Vec<String>> = host_rows(c)
        .into_iter()
        .map(|h| {
            let mut r = vec![h.name, h.presence.to_string()];
            r.extend(h.figures.iter().map(|[b, c]| format!("{b} / {c}")));
            r
        })
        .collect();
    l.table(
        &[
            Col("host", 130.0, L),
            Col("present", 65.0, L),
            Col("events", 80.0, R),
            Col("failed logins", 80.0, R),
            Col("lost events", 80.0, R),
            Col("silences", 80.0, R),
        ],
        &rows,
    );
}

/// A two-column list (change, name), or one line saying it is empty.
fn list(l: &mut Layout, title: &str, note: &str, rows: &[ListRow], what: &str, empty: &str) {
    l.heading(title, 14.0);
    if !note.is_empty() {
        l.para(note, 8.5);
    }
    if rows.is_empty() {
        l.para(empty, 9.0);
        return;
    }
    l.table_of(
        &[
            Field("change", 110.0, L, &|r: &ListRow| r.change.to_string()),
            Field(what, 405.0, L, &|r| r.name.clone()),
        ],
        rows,
    );
}

fn grants(l: &mut Layout, c: &Comparison) {
    l.heading("Privilege grants", 14.0);
    let mut note = "Additions of an account to a group and role assignments (every group: a \
                    summary does not carry the site's admin groups)."
        .to_string();
    let [bo, co] = c.grants.omitted;
    if bo + co > 0 {
        note.push_str(&format!(
            " The summaries left out {bo} / {co} account-modification record(s) beyond their \
             list limit; grants among them are not shown."
        ));
    }
    l.para(&note, 8.5);
    let rows: Vec<Vec<String>> = grant_rows(c, layout::short_time);
    if rows.is_empty() {
        l.para("No privilege grant in either period.", 9.0);
        return;
    }
    l.table(
        &[
            Col("period", 50.0, L),
            Col("time (UTC)", 85.0, L),
            Col("host", 75.0, L),
            Col("actor", 70.0, L),
            Col("account", 75.0, L),
            Col("grant", 160.0, L),
        ],
        &rows,
    );
}

fn findings(l: &mut Layout, c: &Comparison) {
    l.heading("Findings", 14.0);
    let Some(rows) = finding_rows(c) else {
        l.para(
            "Findings are compared only when both periods are summarised from the logs \
             (--baseline-period, --current-period): a summary.json does not carry the site \
             configuration its findings depend on.",
            9.0,
        );
        return;
    };
    if rows.is_empty() {
        l.para("No findings in either period.", 9.0);
        return;
    }
    l.para(
        "Findings of both periods by rule and host: new in the current period, persisting, or \
         resolved since the baseline.",
        8.5,
    );
    l.table_of(
        &[
            Field("change", 90.0, L, &|r: &ListRow| r.change.to_string()),
            Field("severity", 70.0, L, &|r| r.severity.to_string()),
            Field("finding (rule host)", 355.0, L, &|r| r.name.clone()),
        ],
        &rows,
    );
}

fn integrity(l: &mut Layout, c: &Comparison) {
    let Some(checks) = &c.integrity else {
        return;
    };
    l.heading("Integrity of archived evidence (F-AUD-11)", 14.0);
    l.para(
        "Inputs listed in the baseline package's manifest, followed by content: each must \
         still be an input with the bytes the package recorded, under its name or the name \
         rotation gave it ('renamed', 'compressed'), or at the start of a longer file \
         ('appended': a live log that grew). Found with other bytes it is 'changed' \
         (F-AUD-11, critical); found nowhere, 'missing' (F-AUD-11, high).",
        8.5,
    );
    if checks.is_empty() {
        l.para(
            "No input of the baseline package is in a directory this run reads.",
            9.0,
        );
        return;
    }
    let status = |i: &InputCheck| {
        let mut status = match i.finding {
            Some(f) => format!("{} ({})", i.status, f.split(' ').next().unwrap_or(f)),
            None => i.status.to_string(),
        };
        if let Some(now) = i.moved_to() {
            status = format!("{status}: now {now}");
        }
        status
    };
    // The full hash matters more than a separate finding column: "changed" is F-AUD-11.
    l.table_of(
        &[
            Field("input", 105.0, L, &|i: &InputCheck| i.path.clone()),
            Field("status", 100.0, L, &status),
            Field("sha256 now", 310.0, L, &|i| i.current_sha256.clone()),
        ],
        checks,
    );
}

/// Renders the comparison as PDF bytes.
pub fn render(c: &Comparison, stamp: &Stamp) -> anyhow::Result<Vec<u8>> {
    let mut l = Layout::new()?;
    periods(&mut l, c);
    charts(&mut l, c);
    metrics(&mut l, c);
    hosts(&mut l, c);
    let accounts = account_rows(c);
    list(
        &mut l,
        "Accounts",
        "Created and deleted accounts of each period; accounts that logged in or \
         authenticated in one period only (first seen, no longer seen).",
        &accounts,
        "account",
        "No account was created, deleted, first seen or no longer seen.",
    );
    grants(&mut l, c);
    list(
        &mut l,
        "MAC denial signatures",
        "New signatures are F-MAC-03's evidence (a denial not seen in the previous period).",
        &signature_rows(c),
        "signature",
        "No MAC denial in either period.",
    );
    findings(&mut l, c);
    integrity(&mut l, c);
    let title = format!("Comparison {} -> {}", c.baseline, c.current);
    Ok(save::stamped(
        l,
        &title,
        stamp,
        format!(
            "Audit log activity compared: {} against {}",
            c.current, c.baseline
        ),
    ))
}
