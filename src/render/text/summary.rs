//! `summary`'s text, read top-down: scope and input quality, key figures (per host with
//! `--by-host`), host coverage, then each category as the report's section states its
//! brief view ([`crate::report::brief`]: the same function decides what the report and the
//! terminal show of a category), with the first rows of each list and where the rest is.

use crate::aggregate::metrics::{self, BY_HOST_METRICS, KEY_METRICS};
use crate::aggregate::Summary;
use crate::model::format_ms;
use crate::model::format_opt_ms;
use crate::parse::InputQuality;
use crate::period::Period;
use crate::render::terminal::{sanitize, table};
use crate::report::brief::{Brief, Facts, Part, Table};
use crate::report::Section;

/// The period as the text's first line names it.
pub fn describe(p: &Period) -> String {
    if p.is_unbounded() {
        format!(
            "all records in the input (no period given; times in {})",
            p.tz.name()
        )
    } else {
        p.describe()
    }
}

/// What the summary text shows.
pub struct Text<'a> {
    /// The summary of the period.
    pub summary: &'a Summary,
    /// What was read.
    pub quality: &'a InputQuality,
    /// The report's category sections, each with its brief view (`report::brief`).
    pub sections: &'a [Section<'a>],
    /// What the input held instead, when the period holds no event.
    pub nothing_found: Option<&'a str>,
    /// The site configuration used (`--config`, found, or the defaults).
    pub config: &'a crate::site::ConfigSource,
}

impl Text<'_> {
    /// The whole text; `period` is [`describe`]'s.
    pub fn render(&self, period: &str, by_host: bool) -> String {
        let mut o = String::new();
        let s = self.summary;
        let q = self.quality;
        o += &format!("Period: {}\n", sanitize(period));
        o += &format!("Configuration: {}\n", sanitize(&self.config.to_string()));
        o += &format!(
            "Input: {} file(s), {} lines, {} records, {} events",
            q.files.len(),
            q.lines,
            q.records,
            q.events
        );
        if q.rejected.total > 0 {
            o += &format!(
                "; {} line(s) not audit records (see `auditrail check`)",
                q.rejected.total
            );
        }
        if q.skipped_entries.total > 0 {
            o += &format!(
                "; journal entries of other transports skipped: {}",
                q.skipped_entries.total
            );
        }
        o += "\n";
        o += &format!(
            "In period: {} events on {} host(s); {} events outside the period\n",
            s.events(),
            s.distinct_hosts(),
            s.outside_period()
        );
        if let Some(found) = self.nothing_found {
            // Describing nothing is fine; looking like a quiet month is not.
            o += &format!("NOTHING FOUND: no audit records in the period: {found}\n");
        }
        for l in crate::report::limit_sentences(q, s) {
            o += &format!("{}\n", sanitize(&l));
        }
        for w in q.warnings() {
            o += &format!("WARNING: {}\n", sanitize(&w));
        }
        o += &self.key_figures(by_host);
        o += &self.hosts();
        for b in self.sections.iter().filter_map(|s| s.brief.as_ref()) {
            o += &brief(b);
        }
        o
    }

    /// One row per metric id: the id and its value.
    fn metric_rows(&self, ids: &[&str]) -> Vec<Vec<String>> {
        let metrics = self.summary.metrics();
        ids.iter()
            .map(|m| {
                let n = metrics.get(m).copied().unwrap_or(0);
                vec![m.to_string(), n.to_string()]
            })
            .collect()
    }

    fn key_figures(&self, by_host: bool) -> String {
        let mut o = String::from("\nKey figures\n");
        o += &table(&["metric", "total"], &self.metric_rows(KEY_METRICS));
        if by_host {
            o += &self.per_host();
        }
        o
    }

    /// Key figures per host: one row per host, so that many hosts stay readable.
    fn per_host(&self) -> String {
        let per_host = metrics::by_host(self.summary);
        let mut header = vec!["host"];
        header.extend(BY_HOST_METRICS.iter().map(|m| metrics::short_label(m)));
        let rows: Vec<Vec<String>> = self
            .summary
            .hosts()
            .keys()
            .map(|h| {
                let mut row = vec![h.clone()];
                for metric in BY_HOST_METRICS {
                    let v = per_host
                        .get(metric)
                        .and_then(|by| by.get(h))
                        .copied()
                        .unwrap_or(0);
                    row.push(v.to_string());
                }
                row
            })
            .collect();
        format!("\nKey figures by host\n{}", table(&header, &rows))
    }

    fn hosts(&self) -> String {
        let mut o = String::from("\nHosts (log completeness)\n");
        let rows: Vec<Vec<String>> = self
            .summary
            .hosts()
            .iter()
            .map(|(name, h)| {
                vec![
                    name.clone(),
                    h.events().to_string(),
                    format_opt_ms(h.first_ms()),
                    format_opt_ms(h.last_ms()),
                    h.silences().len().to_string(),
                    h.lost_events().to_string(),
                    h.serial_gaps().len().to_string(),
                ]
            })
            .collect();
        o += &table(
            &[
                "host",
                "events",
                "first event",
                "last event",
                "silences",
                "lost",
                "serial gaps",
            ],
            &rows,
        );
        for (name, h) in self.summary.hosts() {
            for si in h.silences() {
                o += &format!(
                    "  {}: silent {:.1} h from {} ({}) to {} ({})\n",
                    sanitize(name),
                    si.duration_ms as f64 / 3_600_000.0,
                    format_ms(si.from.time_ms),
                    si.from.rtype,
                    format_ms(si.to.time_ms),
                    si.to.rtype
                );
            }
        }
        o
    }
}

/// A category as [`Brief`] gives it: the heading, then each part; every part ends a line.
fn brief(b: &Brief) -> String {
    let mut o = format!("\n== {}", sanitize(&b.title));
    let mut after_table = false;
    for part in &b.parts {
        match part {
            Part::Note(text) => {
                if !o.ends_with('\n') {
                    o.push('\n');
                }
                o += &format!("  {}\n", sanitize(text));
            }
            Part::Count(title, n) => o += &format!("\n{}: {n}\n", sanitize(title)),
            Part::Facts(f) => o += &facts(f),
            Part::Table(t) => {
                // A table without a title right after another is set apart by a blank line.
                if t.title.is_none() && after_table {
                    o.push('\n');
                }
                o += &ranked(t);
            }
        }
        after_table = matches!(part, Part::Table(_));
    }
    o
}

/// `title: total`, then the first rows: time, host, the columns, source.
fn facts(f: &Facts) -> String {
    let mut o = format!("\n{}: {}", sanitize(&f.title), f.total);
    if let Some(n) = f.failed {
        o += &format!(" ({n} failed)");
    }
    o.push('\n');
    let shown = f.rows.len() as u64;
    if f.headings {
        o += &rows(f);
    }
    if f.total > shown {
        o += &format!("  ... {} more (all in --format json)\n", f.total - shown);
    }
    o
}

/// The column headings and the rows: time, host, the columns, source.
fn rows(f: &Facts) -> String {
    let mut header = vec!["time", "node"];
    header.extend(f.columns.iter().map(String::as_str));
    header.push("source");
    let rows: Vec<Vec<String>> = f
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![r.time.clone(), r.host.clone()];
            row.extend(r.cells.iter().cloned());
            row.push(r.source.clone());
            row
        })
        .collect();
    table(&header, &rows)
}

/// A table of keys and numbers under its title, and how many rows are not shown.
fn ranked(t: &Table) -> String {
    let mut o = String::new();
    if t.rows.is_empty() {
        if let (Some(title), Some(empty)) = (&t.title, t.empty) {
            o += &format!("\n{}\n  {empty}\n", sanitize(title));
        }
        if t.empty.is_some() {
            return o;
        }
    } else {
        if let Some(title) = &t.title {
            o += &format!("\n{}\n", sanitize(title));
        }
        let header: Vec<&str> = t.columns.iter().map(String::as_str).collect();
        o += &table(&header, &t.rows);
    }
    if let Some((n, what)) = t.more.filter(|(n, _)| *n > 0) {
        let what = if what.is_empty() {
            String::new()
        } else {
            format!(" {what}")
        };
        o += &format!("  ... {n} more{what}\n");
    }
    o
}
