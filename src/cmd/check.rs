//! `auditrail check`: what the input holds and how well it reads.

use crate::cli::{CheckArgs, CheckFormat};
use crate::parse::{Event, InputQuality};
use crate::render::terminal::sanitize;
use crate::render::text;
use std::io::Write;
use std::process::ExitCode;

/// Runs `check`.
pub fn run(args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let inputs = args.input.collect()?;
    let mut bar = crate::cmd::progress::Reading::start("reading", &inputs, args.progress.quiet);
    let read = args.input.read_options();
    // Large uncompressed inputs in byte ranges on every core, else one reading thread.
    let quality = match crate::parse::reader::read_ranges(
        &inputs,
        &read,
        |_, _| (),
        |_, _: &Event| {},
        &mut |n| bar.update(n),
    ) {
        Ok(Some((quality, _))) => Ok(quality),
        Ok(None) => crate::parse::reader::read_events_with_progress(
            &inputs,
            &read,
            &mut |_: &Event| {},
            &mut |n| bar.update(n),
        ),
        Err(e) => Err(e),
    };
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
        CheckFormat::Text => {
            let mut text = Vec::new();
            write_text(&quality, &mut text)?;
            let text = String::from_utf8_lossy(&text);
            out.write_all(args.colour.palette().paint(&text).as_bytes())?;
        }
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

/// The terminal report of `q`, saying what the input held when it held no audit record.
fn write_text(q: &InputQuality, out: &mut dyn Write) -> std::io::Result<()> {
    let nothing_found = (q.records == 0).then(|| crate::cmd::empty::what_was_found(q, None));
    text::check::write(q, nothing_found.as_deref(), out)
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
