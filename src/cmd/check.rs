//! `auditrail check`: what the input holds and how well it reads.

use crate::cli::{CheckArgs, CheckFormat};
use crate::model::format_ms;
use crate::parse::{Event, InputQuality};
use crate::render::terminal::{sanitize, table};
use std::io::Write;
use std::process::ExitCode;

/// Runs `check`.
pub fn run(args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let inputs = args.input.collect()?;
    let mut bar = crate::cmd::progress::Reading::start("reading", &inputs, args.progress.quiet);
    let quality = crate::parse::reader::read_events_with_progress(
        &inputs,
        &args.input.read_options(),
        &mut |_: &Event| {},
        &mut |n| bar.update(n),
    );
    bar.finish();
    let quality = quality?;
    if let Some(why) = args.strict.then(|| strict_failure(&quality)).flatten() {
        anyhow::bail!(why);
    }
    match args.format {
        CheckFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &quality)?;
            writeln!(out)?;
        }
        CheckFormat::Text => write_text(&quality, out)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Why `--strict` fails on this input: a file changed while it was read, or lines were
/// rejected; `None` when neither.
fn strict_failure(quality: &InputQuality) -> Option<String> {
    if quality.has_changed_files() {
        let changed: Vec<String> = quality
            .warnings()
            .into_iter()
            .take(quality.files.iter().filter(|f| f.changed.is_some()).count())
            .collect();
        return Some(format!("(--strict) {}", sanitize(&changed.join("; "))));
    }
    if quality.rejected.total > 0 {
        let first = quality
            .rejected
            .reasons
            .iter()
            .flat_map(|r| {
                r.samples
                    .iter()
                    .map(move |s| format!("{s}: {}", r.description))
            })
            .next()
            .unwrap_or_default();
        return Some(format!(
            "{} line(s) rejected (--strict), first at {}; run without --strict to see them all",
            quality.rejected.total,
            sanitize(&first)
        ));
    }
    None
}

fn time(t: Option<i64>) -> String {
    t.map(format_ms).unwrap_or_else(|| "-".to_string())
}

/// The terminal report: totals first, then files, rejections, nodes, assembly.
pub fn write_text(q: &InputQuality, out: &mut dyn Write) -> std::io::Result<()> {
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
    if q.records == 0 {
        writeln!(
            out,
            "NOTHING FOUND: no audit records: {}",
            crate::cmd::empty::what_was_found(q, None)
        )?;
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
                time(f.first),
                time(f.last),
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
                time(n.first),
                time(n.last),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::FileChange;
    use crate::parse::quality::FileStats;

    #[test]
    fn strict_fails_on_a_file_that_changed_while_read() {
        let mut q = InputQuality {
            files: vec![FileStats {
                path: "audit.log".into(),
                ..FileStats::default()
            }],
            ..InputQuality::default()
        };
        assert_eq!(strict_failure(&q), None);
        q.files[0].changed = Some(FileChange::Shrank {
            size_at_start: 100,
            size_at_end: 0,
        });
        let why = strict_failure(&q).expect("fails");
        assert!(
            why.starts_with("(--strict) audit.log shrank from 100 to 0 bytes"),
            "{why}"
        );
        let mut text = Vec::new();
        write_text(&q, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("WARNING: audit.log shrank"), "{text}");
    }
}
