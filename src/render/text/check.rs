//! `check`'s text: what the input holds and how well it reads, totals first, then files,
//! rejections, nodes and event assembly.

use crate::model::format_opt_ms;
use crate::parse::InputQuality;
use crate::render::terminal::{sanitize, table};
use std::io::Write;

/// The terminal report: totals first, then files, rejections, nodes, assembly.
///
/// `nothing_found` is what the input held instead of audit records (the caller's sentence,
/// given when there were none).
pub fn write(
    q: &InputQuality,
    nothing_found: Option<&str>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} file(s), {} lines, {} records, {} events, {} rejected line(s), {} blank line(s)",
        q.files.len(),
        q.lines,
        q.records,
        q.events,
        q.rejected.total,
        q.blank_lines
    )?;
    if q.skipped_entries.total > 0 || q.journal_entry_lines > 0 {
        writeln!(
            out,
            "journal entries of other transports skipped: {}; further lines of export entries: {}",
            q.skipped_entries.total, q.journal_entry_lines
        )?;
    }
    let accounted = if q.is_balanced() { "yes" } else { "NO" };
    writeln!(out, "every line accounted for: {accounted}")?;
    if let Some(found) = nothing_found {
        writeln!(out, "NOTHING FOUND: no audit records: {found}")?;
    }
    for w in q.warnings() {
        writeln!(out, "WARNING: {}", sanitize(&w))?;
    }

    writeln!(out, "\nFiles")?;
    let rows: Vec<Vec<String>> = q
        .files
        .iter()
        .map(|f| {
            vec![
                f.path.display().to_string(),
                f.lines.to_string(),
                f.records.to_string(),
                f.rejected.to_string(),
                format_opt_ms(f.first),
                format_opt_ms(f.last),
            ]
        })
        .collect();
    out.write_all(
        table(
            &[
                "file",
                "lines",
                "records",
                "rejected",
                "first record",
                "last record",
            ],
            &rows,
        )
        .as_bytes(),
    )?;
    if !q.skipped_files.is_empty() {
        writeln!(out, "\nSkipped (not audit log names)")?;
        for p in &q.skipped_files {
            writeln!(out, "  {}", sanitize(&p.display().to_string()))?;
        }
    }

    writeln!(out, "\nRejected lines")?;
    if q.rejected.reasons.is_empty() {
        writeln!(out, "  none")?;
    }
    for r in &q.rejected.reasons {
        writeln!(out, "  {} x {}", r.count, r.description)?;
        for s in &r.samples {
            writeln!(out, "      {}", sanitize(s))?;
        }
    }

    if !q.skipped_entries.reasons.is_empty() {
        writeln!(out, "\nSkipped journal entries (not audit records)")?;
        for r in &q.skipped_entries.reasons {
            writeln!(out, "  {} x {}", r.count, r.description)?;
            for s in &r.samples {
                writeln!(out, "      {}", sanitize(s))?;
            }
        }
    }

    writeln!(out, "\nNodes")?;
    let rows: Vec<Vec<String>> = q
        .nodes
        .iter()
        .map(|n| {
            vec![
                n.node
                    .clone()
                    .unwrap_or_else(|| "(no node name)".to_string()),
                n.records.to_string(),
                n.events.to_string(),
                format_opt_ms(n.first),
                format_opt_ms(n.last),
            ]
        })
        .collect();
    out.write_all(
        table(
            &["node", "records", "events", "first record", "last record"],
            &rows,
        )
        .as_bytes(),
    )?;
    if let Some(b) = &q.nodes_beyond {
        writeln!(
            out,
            "  {}; {} events",
            b.limit.sentence(),
            crate::limits::thousands(b.events)
        )?;
    }

    let a = &q.assembly;
    writeln!(out, "\nEvent assembly")?;
    writeln!(
        out,
        "  completed by EOE {}, single-record {}, timeout {}, end of input {}",
        a.completed_eoe, a.completed_standalone, a.completed_timeout, a.completed_end_of_input
    )?;
    writeln!(
        out,
        "  evicted (too many open) {}, oversize {}, split (late or repeated records) {}, most open at once {}",
        a.evicted, a.oversize, a.split, a.max_open
    )?;
    Ok(())
}
