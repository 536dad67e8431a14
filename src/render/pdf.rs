//! `report.pdf`: the same report on A4 for signing and archiving, drawn with printpdf's ops
//! API and a small layout layer of our own (cursor, page breaks, tables with repeated
//! headers, truncation to column width, bar charts from rectangles, "Page X of N").
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
pub mod trend;

use crate::report::{FactTable, Report};
use layout::Align;
use layout::{rgb, short_time, Col, Layout, Meta, LEFT, RIGHT, ROW_H};
use printpdf::{Color, Line, LinePoint, Op, Point, Pt};
use Align::{Left as L, Right as R, Tail as T};

/// Rows of a population shown in the PDF; the CSV holds all of them.
pub const ROWS_SHOWN: usize = 60;

/// The rows shown: time, host, the brief columns (`brief[i]`), source.
fn fact_rows(t: &FactTable, brief: &[bool]) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .take(ROWS_SHOWN)
        .map(|r| {
            let mut row = vec![short_time(&r.time), r.host.clone()];
            row.extend(
                r.cells
                    .iter()
                    .zip(brief)
                    .filter(|(_, &b)| b)
                    .map(|(c, _)| c.clone()),
            );
            row.push(r.source.clone());
            row
        })
        .collect()
}

/// Width of the space between host and source that the brief columns share.
const MIDDLE: f32 = 276.0;

/// A column's share of [`MIDDLE`], by what it usually holds.
fn weight(name: &str) -> f32 {
    match name {
        "result" => 32.0,
        "actor" | "by (auid)" => 44.0,
        "action" | "event" | "operation" | "version" => 48.0,
        "detail" | "change" | "object" | "signal / device" => 96.0,
        _ => 56.0,
    }
}

/// The table columns of a section: time, host, its brief columns, source.
fn section_cols(columns: &[crate::report::Column]) -> Vec<Col<'_>> {
    let brief: Vec<&crate::report::Column> = columns.iter().filter(|c| c.brief).collect();
    let total: f32 = brief.iter().map(|c| weight(&c.name)).sum();
    let mut cols = vec![Col("time", 86.0, L), Col("host", 48.0, L)];
    cols.extend(brief.iter().map(|c| {
        Col(
            c.name.as_str(),
            weight(&c.name) * MIDDLE / total.max(1.0),
            L,
        )
    }));
    cols.push(Col("source", 105.0, T));
    cols
}

fn cover(l: &mut Layout, r: &Report) {
    l.y -= 20.0;
    let t = l.fit(&r.title, RIGHT - LEFT, 20.0, true);
    l.text(LEFT, l.y, 20.0, true, &t);
    l.y -= 10.0;
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
    let rows = vec![
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
        vec![
            "Policies".into(),
            if r.scope.policies.is_empty() {
                "none".into()
            } else {
                r.scope
                    .policies
                    .iter()
                    .map(|p| format!("{} sha256:{}", p.version, p.sha256))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ],
        vec![
            "Tool".into(),
            format!("{} {}", r.scope.tool.name, r.scope.tool.version),
        ],
        vec!["Generated".into(), r.scope.generated_at.clone()],
    ];
    let mut rows = rows;
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
    l.table(&[Col("Scope", 130.0, L), Col("", 385.0, L)], &rows);
    l.para(&r.policy.statement, 9.0);
    l.heading("Key figures", 12.0);
    let rows: Vec<Vec<String>> = r
        .key_figures
        .iter()
        .map(|m| vec![m.id.clone(), m.value.to_string()])
        .collect();
    l.table(&[Col("metric", 200.0, L), Col("value", 80.0, R)], &rows);
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

fn completeness(l: &mut Layout, r: &Report) {
    l.new_page();
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
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|&i| &r.completeness.hosts[i])
        .map(|h| {
            vec![
                h.name.clone(),
                h.events.to_string(),
                h.coverage.clone(),
                short_time(&h.first),
                short_time(&h.last),
                h.silences.len().to_string(),
                h.serial_gaps.len().to_string(),
                h.lost_events.to_string(),
            ]
        })
        .collect();
    l.table(
        &[
            Col("host", 110.0, L),
            Col("events", 55.0, R),
            Col("coverage", 45.0, R),
            Col("first event", 95.0, L),
            Col("last event", 95.0, L),
            Col("silences", 40.0, R),
            Col("gaps", 35.0, R),
            Col("lost", 40.0, R),
        ],
        &rows,
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
    if let Some(f) = &r.completeness.fleet {
        l.para(&f.note, 8.5);
        l.chart("All hosts: events per day", &r.days, &f.per_day);
    }
    for h in r.completeness.hosts.iter().filter(|h| h.charted) {
        l.chart(&format!("{}: events per day", h.name), &r.days, &h.per_day);
    }
}

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

fn controls(l: &mut Layout, r: &Report) {
    l.heading("Controls", 14.0);
    if !r.policy.evaluated {
        l.para(&r.policy.statement, 9.0);
    } else {
        let rows: Vec<Vec<String>> = r
            .controls
            .iter()
            .map(|c| {
                vec![
                    c.framework.clone(),
                    c.id.clone(),
                    c.title.clone(),
                    c.status.clone(),
                    c.findings.join(" "),
                    c.note.clone(),
                ]
            })
            .collect();
        l.table(
            &[
                Col("framework", 70.0, L),
                Col("control", 50.0, L),
                Col("title", 150.0, L),
                Col("status", 65.0, L),
                Col("findings", 70.0, L),
                Col("note", 110.0, L),
            ],
            &rows,
        );
    }
    l.heading("Findings register", 14.0);
    if !r.policy.evaluated {
        l.para(&r.policy.statement, 9.0);
        return;
    }
    if r.findings.is_empty() {
        l.para("No findings were raised.", 9.0);
    }
    let shown = r.findings.len().min(crate::report::FINDINGS_SHOWN);
    for f in &r.findings[..shown] {
        // Break first, so the colour lands on the page that shows the heading.
        l.ensure(10.0 * 2.0 + 3.0 * ROW_H);
        l.ops.push(Op::SetFillColor {
            col: severity_colour(&f.severity),
        });
        l.heading(&format!("[{}] {} {}", f.severity, f.id, f.title), 10.0);
        l.ops.push(Op::SetFillColor { col: rgb(0, 0, 0) });
        l.para(
            &format!(
                "rule {} · host {} · {} · actor {} · target {} · {}{}",
                f.rule,
                f.host,
                f.time,
                f.actor,
                f.target,
                f.summary,
                f.exception
                    .as_ref()
                    .map(|e| format!(
                        " · accepted: exception #{} ({}, expires {})",
                        e.entry, e.owner, e.expires
                    ))
                    .unwrap_or_default()
            ),
            8.0,
        );
        let rows: Vec<Vec<String>> = f
            .evidence
            .iter()
            .map(|e| vec![short_time(&e.time), e.source.clone(), e.raw_line.clone()])
            .collect();
        if !rows.is_empty() {
            l.table(
                &[
                    Col("time", 95.0, L),
                    Col("source", 120.0, T),
                    Col("raw line", 300.0, L),
                ],
                &rows,
            );
        }
    }
    if r.findings.len() > shown {
        l.para(
            &format!(
                "{} more finding(s) in findings.csv and report.json.",
                r.findings.len() - shown
            ),
            9.0,
        );
    }
}

fn sections(l: &mut Layout, r: &Report) {
    for s in &r.sections {
        let cols = section_cols(&s.columns);
        let brief: Vec<bool> = s.columns.iter().map(|c| c.brief).collect();
        let empty = s.tables.iter().all(|t| t.total == 0) && s.counts.iter().all(|c| c.value == 0);
        if empty {
            // A category without events takes three lines, not a page.
            l.heading(&s.title, 14.0);
            l.para("No events of this category in the period.", 9.0);
            continue;
        }
        l.new_page();
        l.heading(&s.title, 14.0);
        let rows: Vec<Vec<String>> = s
            .counts
            .iter()
            .map(|c| vec![c.label.clone(), c.value.to_string()])
            .collect();
        l.table(&[Col("count", 200.0, L), Col("", 80.0, R)], &rows);
        for x in &s.series {
            let mut title = x.label.clone();
            if let Some(c) = title.get(..1) {
                title = c.to_uppercase() + &title[1..];
            }
            l.chart(&title, &r.days, &x.values);
        }
        for t in &s.top {
            if t.rows.is_empty() {
                continue;
            }
            l.heading(&t.title, 10.0);
            let rows: Vec<Vec<String>> = t
                .rows
                .iter()
                .map(|x| vec![x.key.clone(), x.success.to_string(), x.failed.to_string()])
                .collect();
            l.table(
                &[
                    Col(&t.key, 300.0, L),
                    Col(&t.success_label, 70.0, R),
                    Col(&t.failed_label, 70.0, R),
                ],
                &rows,
            );
        }
        for t in s.tables.iter().filter(|t| t.total > 0) {
            l.heading(&format!("{}: {}", t.title, t.total), 10.0);
            l.table(&cols, &fact_rows(t, &brief));
            let more = t.rows.len().saturating_sub(ROWS_SHOWN) as u64 + t.omitted;
            if more > 0 {
                l.para(&format!("{more} more row(s) in {}.", s.csv), 8.0);
            }
        }
    }
}

fn integrity_and_signoff(l: &mut Layout, r: &Report) {
    l.new_page();
    l.heading("Integrity", 14.0);
    l.para(
        "SHA-256 of every input file as read. auditd does not sign its logs: these hashes \
         identify the copies examined. The package's own files are hashed in manifest.json \
         and SHA256SUMS.",
        9.0,
    );
    let rows: Vec<Vec<String>> = r
        .integrity
        .iter()
        .map(|f| {
            vec![
                f.path.clone(),
                f.bytes.to_string(),
                f.records.to_string(),
                f.sha256.clone(),
            ]
        })
        .collect();
    l.table(
        &[
            Col("file", 150.0, T),
            Col("bytes", 60.0, R),
            Col("records", 50.0, R),
            Col("sha256", 255.0, L),
        ],
        &rows,
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
        l.ensure(60.0);
        l.y -= 36.0;
        if let Some(n) = name {
            let t = l.fit(n, 230.0, 10.0, false);
            l.text(LEFT, l.y + 4.0, 10.0, false, &t);
        }
        l.ops.push(Op::SetOutlineColor {
            col: rgb(0x1d, 0x23, 0x30),
        });
        for (x0, x1) in [(LEFT, LEFT + 240.0), (LEFT + 280.0, RIGHT)] {
            l.ops.push(Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(x0),
                                y: Pt(l.y),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(x1),
                                y: Pt(l.y),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            });
        }
        l.y -= 11.0;
        l.text(LEFT, l.y, 8.0, false, &format!("{role} (name, role)"));
        l.text(LEFT + 280.0, l.y, 8.0, false, "Date");
    }
}
/// Renders the report as PDF bytes.
pub fn render(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut l = Layout::new()?;
    cover(&mut l, report);
    completeness(&mut l, report);
    controls(&mut l, report);
    sections(&mut l, report);
    integrity_and_signoff(&mut l, report);
    let footer = format!(
        "{} · {} · generated {}",
        report.title, report.scope.period.spec, report.scope.generated_at
    );
    let (pages, fonts) = l.finish(&footer);

    Ok(layout::save(
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
