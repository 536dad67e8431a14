//! `report.pdf`: the report on A4 for signing and archiving, drawn with printpdf's ops API
//! and a small layout layer of our own (cursor, page breaks, tables whose cells wrap and
//! whose header repeats, bar charts from rectangles, "Page X of N"). Page 1 is the executive
//! summary (`summary`), then completeness, the controls and the grouped register
//! (`register`), each evidence category's counts, charts, top entries and the index of its
//! populations (every row is in its CSV), integrity and sign-off. Nothing is cut: long
//! values wrap, a word wider than its column breaks with a continuation mark.
//!
//! printpdf's HTML layout and SVG features are not used (they cost minutes of build and do
//! not repeat table headers). DejaVu Sans is embedded whole, not subset (printpdf subsets
//! fonts only with its `text_layout` feature), so any user name renders; a PDF starts at
//! about 750 KB.
//! Output is byte-identical for the same report: fonts get fixed resource ids, metadata
//! dates come from the report's generation time, and the trailer's random `/ID` is replaced
//! by one derived from the content.

pub mod compare;
pub(crate) mod layout;
mod links;
mod register;
pub(crate) mod save;
mod summary;
pub mod trend;

use crate::report::{FactTable, HostRow, InputFileRow, Report};
use layout::Align;
use layout::{rgb, short_time, Field, Layout, LEFT, RIGHT};
use save::Meta;
use Align::{Left as L, Right as R};

/// Rows of a top list shown in the PDF; `report.json` and the HTML have them all.
pub const TOP_SHOWN: usize = 5;

fn completeness(l: &mut Layout, r: &Report) {
    l.heading("Completeness per host", 14.0);
    let i = &r.completeness.input;
    let skipped: u64 = i.skipped_entries.iter().map(|s| s.count).sum();
    let skipped = if skipped > 0 {
        format!(" Journal entries of other transports skipped: {skipped}.")
    } else {
        String::new()
    };
    l.para(
        &format!(
            "Input: {} file(s), {} lines, {} records, {} events; {} line(s) were not audit \
             records.{skipped}",
            i.files, i.lines, i.records, i.events, i.rejected
        ),
        9.0,
    );
    let shown = crate::report::hosts_shown(&r.completeness.hosts);
    l.table_of(
        &[
            Field("host", 110.0, L, &|h: &HostRow| h.name.clone()),
            Field("events", 55.0, R, &|h| h.events.to_string()),
            Field("coverage", 45.0, R, &|h| h.coverage.clone()),
            Field("first event", 95.0, L, &|h| short_time(&h.first)),
            Field("last event", 95.0, L, &|h| short_time(&h.last)),
            Field("silences", 40.0, R, &|h| h.silences.len().to_string()),
            Field("gaps", 35.0, R, &|h| h.serial_gaps.len().to_string()),
            Field("lost", 40.0, R, &|h| h.lost_events.to_string()),
        ],
        shown.iter().map(|&i| &r.completeness.hosts[i]),
    );
    let more = r.completeness.hosts.len() - shown.len();
    if more > 0 {
        l.para(
            &format!(
                "{more} more host(s) in hosts.csv and report.json; this table shows those \
                 with silences, serial gaps or lost events first, then the busiest."
            ),
            8.5,
        );
    }
    let mut charts: Vec<(String, &[u64])> = Vec::new();
    if let Some(f) = &r.completeness.fleet {
        l.para(&f.note, 8.5);
        charts.push(("All hosts: events per day".into(), &f.per_day));
    }
    for h in r.completeness.hosts.iter().filter(|h| h.charted) {
        charts.push((format!("{}: events per day", h.name), &h.per_day));
    }
    l.chart_grid(&r.days, &charts, 3);
}

fn sections(l: &mut Layout, r: &Report) {
    for s in &r.sections {
        let empty = s.tables.iter().all(|t| t.total == 0) && s.counts.iter().all(|c| c.value == 0);
        if empty {
            // A category without events takes three lines, not a page.
            l.heading(&s.title, 12.0);
            l.para("No events of this category in the period.", 8.5);
            continue;
        }
        l.heading(&s.title, 12.0);
        let rows: Vec<Vec<String>> = s
            .counts
            .iter()
            .map(|c| vec![c.label.clone(), c.metric.clone(), c.value.to_string()])
            .collect();
        l.table(&summary::PAIRED, &summary::paired(&rows));
        let charts: Vec<(String, &[u64])> = s
            .series
            .iter()
            .map(|x| {
                let mut title = x.label.clone();
                if let Some(c) = title.get(..1) {
                    title = c.to_uppercase() + &title[1..];
                }
                (title, x.values.as_slice())
            })
            .collect();
        l.chart_grid(&r.days, &charts, 3);
        // Top lists as one line each: `key success/failed, ...`.
        for t in s.top.iter().filter(|t| !t.rows.is_empty()) {
            let shown: Vec<String> = t
                .rows
                .iter()
                .take(TOP_SHOWN)
                .map(|x| format!("{} {}/{}", x.key, x.success, x.failed))
                .collect();
            let more = match t.rows.len().saturating_sub(TOP_SHOWN) {
                0 => String::new(),
                n => format!("; {n} more in report.json and the HTML report"),
            };
            l.para(
                &format!(
                    "{} ({} {}/{}): {}{more}.",
                    t.title,
                    t.key,
                    t.success_label,
                    t.failed_label,
                    shown.join(", ")
                ),
                8.0,
            );
        }
        // The populations: each with its size and where every row is. The rows themselves
        // are evidence lists (the CSV and the HTML report hold them all); the register above
        // shows the raw lines behind every finding.
        let first = |t: &FactTable| {
            let mut first = t
                .rows
                .first()
                .map(|r| format!("{} {}", short_time(&r.time), r.source))
                .unwrap_or_default();
            if t.omitted > 0 {
                first += &format!(" ({} counted, not listed: aggregation limit)", t.omitted);
            }
            first
        };
        if s.tables.iter().any(|t| t.total > 0) {
            l.table_of(
                &[
                    Field("population", 140.0, L, &|t: &FactTable| t.title.clone()),
                    Field("rows", 40.0, R, &|t| t.total.to_string()),
                    Field("every row in", 75.0, L, &|_| s.csv.clone()),
                    Field("first (time, file:line)", 260.0, L, &first),
                ],
                s.tables.iter().filter(|t| t.total > 0),
            );
        }
    }
}

fn integrity_and_signoff(l: &mut Layout, r: &Report) {
    l.heading("Integrity", 14.0);
    l.para(
        "SHA-256 of every input file as read. auditd does not sign its logs: these hashes \
         identify the copies examined. The package's own files are hashed in manifest.json \
         and SHA256SUMS.",
        9.0,
    );
    // Wide enough for a whole 64-digit hash on one line, so it can be compared by eye or
    // copied from the text of the PDF.
    l.table_of(
        &[
            Field("file", 122.0, L, &|f: &InputFileRow| f.path.clone()),
            Field("bytes", 43.0, R, &|f| f.bytes.to_string()),
            Field("records", 40.0, R, &|f| f.records.to_string()),
            Field("sha256", 310.0, L, &|f| f.sha256.clone()),
        ],
        &r.integrity,
    );
    l.heading("Review and sign-off", 14.0);
    l.para(
        &format!(
            "I have reviewed this report, the completeness of the evidence per host and every \
             exception listed, for the period {}.",
            r.scope.period.description
        ),
        9.0,
    );
    for (role, name) in [
        ("Reviewer", &r.signoff.reviewer),
        ("Approver", &r.signoff.approver),
    ] {
        l.ensure(50.0);
        l.y -= 28.0;
        if let Some(n) = name {
            let lines = l.wrap(n, 230.0, 10.0, false);
            l.y += 11.0 * (lines.len() as f32 - 1.0);
            for t in lines {
                l.text(LEFT, l.y + 4.0, 10.0, false, &t);
                l.y -= 11.0;
            }
            l.y += 11.0;
        }
        for (x0, x1) in [(LEFT, LEFT + 240.0), (LEFT + 280.0, RIGHT)] {
            l.hline_from(x0, x1, l.y, rgb(0x1d, 0x23, 0x30));
        }
        l.y -= 11.0;
        l.text(LEFT, l.y, 8.0, false, &format!("{role} (name, role)"));
        l.text(LEFT + 280.0, l.y, 8.0, false, "Date");
    }
}
/// Renders the report as PDF bytes.
pub fn render(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut l = Layout::new()?;
    summary::cover(&mut l, report);
    completeness(&mut l, report);
    register::controls(&mut l, report);
    register::register(&mut l, report);
    register::exceptions(&mut l, report);
    sections(&mut l, report);
    integrity_and_signoff(&mut l, report);
    let footer = format!(
        "{} · {} · generated {}",
        report.title, report.scope.period.spec, report.scope.generated_at
    );
    let (pages, fonts) = l.finish(&footer);

    Ok(save::save(
        pages,
        fonts,
        Meta {
            title: &report.title,
            generated_at: &report.scope.generated_at,
            creator: format!("{} {}", report.scope.tool.name, report.scope.tool.version),
            subject: format!("Audit log evidence, {}", report.scope.period.description),
            author: report.organization.clone().unwrap_or_default(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_time_drops_millis_and_zone() {
        assert_eq!(
            short_time("2026-10-12T03:14:05.222Z"),
            "2026-10-12 03:14:05"
        );
        assert_eq!(short_time("-"), "-");
    }
}
