//! `auditrail compare`: what changed between a baseline and a current period; and
//! `auditrail trend`: every metric over several summaries.
//!
//! Each side is either a `summary.json` (or a report package directory holding one), or,
//! with `--baseline-period`/`--current-period`, the logs summarised over that period, or
//! (`--summaries`) the summaries whose periods lie within it, merged. Only in the last two
//! forms are findings compared (new, persisting, resolved by `rule host`), evaluated now
//! with the site configuration (`--config`), which a summary.json does not carry.

use crate::aggregate::Summary;
use crate::cli::{CompareArgs, CompareFormat, FailOnArgs, TrendArgs, TrendFormat};
use crate::cmd::stamp::{self, write_document, OutFile};
use crate::compare::{self, Comparison, Threshold};
use crate::findings;
use crate::findings::Severity;
use crate::package::manifest::{self, Manifest, Tool};
use crate::package::{Staging, Target};
use crate::period::{parse_tz, Period};
use crate::pipeline;
use crate::render;
use crate::render::html::compare::Stamp;
use std::io::Write;
use std::process::ExitCode;

/// Runs `compare`.
pub fn run(args: &CompareArgs, stdout: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let threshold = Threshold {
        pct: args.threshold,
        min_abs: args.min_change,
    };
    // Checked before the (possibly long) read, used after it.
    let stamp = Stamp::new(stamp::generated_at(
        args.doc.generated_at.generated_at.as_deref(),
    )?);
    let mut read_paths = args.input.paths();
    read_paths.extend(args.baseline_manifest.clone());
    let binary = args.format == CompareFormat::Pdf;
    let out = match (args.format, &args.doc.output.out) {
        (CompareFormat::Csv, None) => {
            anyhow::bail!("--format csv writes several files: give --out DIR")
        }
        (CompareFormat::Csv, Some(dir)) => Out::Dir(Target::check(
            dir,
            "compare",
            args.doc.output.force,
            &read_paths,
        )?),
        (_, Some(file)) => Out::File(OutFile::check(
            file,
            args.doc.output.force,
            binary,
            &read_paths,
        )?),
        (_, None) => Out::Stdout,
    };
    if !(args.threshold.is_finite() && args.threshold >= 0.0) {
        anyhow::bail!(
            "--threshold {}: give a percentage of 0 or more",
            args.threshold
        );
    }
    let comparison = match (&args.baseline_period, &args.current_period) {
        (Some(b), Some(c)) if !args.summaries.is_empty() => {
            from_summaries(args, b, c, threshold, &mut std::io::stderr())?
        }
        (Some(b), Some(c)) => from_logs(args, b, c, threshold)?,
        (None, None) => {
            let [b, c] = args.input.inputs.as_slice() else {
                anyhow::bail!(
                    "give two summaries (BASELINE CURRENT: summary.json files or report \
                     directories), or --baseline-period and --current-period with the logs"
                );
            };
            Comparison::new(
                &compare::load::read(b)?,
                &compare::load::read(c)?,
                threshold,
            )
        }
        _ => anyhow::bail!("give both --baseline-period and --current-period, or neither"),
    };
    let doc = match args.format {
        CompareFormat::Text => {
            let text = render::text::compare::render(&comparison);
            // Colour only on standard output: a file written with --out stays plain.
            match &out {
                Out::Stdout => args.colour.palette().paint(&text).into_owned().into_bytes(),
                _ => text.into_bytes(),
            }
        }
        CompareFormat::Json => json(&comparison)?,
        CompareFormat::Csv => {
            let Out::Dir(target) = out else {
                unreachable!("csv is written to a directory")
            };
            write_csv_package(target, &comparison, &stamp, stdout)?;
            return Ok(fail_on(&args.doc.fail_on, comparison.worst_new()));
        }
        CompareFormat::Html => {
            let templates =
                render::html::compare::templates(args.doc.templates.templates.as_deref())?;
            render::html::compare::render(&comparison, &stamp, &templates)?
        }
        CompareFormat::Pdf => render::pdf::compare::render(&comparison, &stamp)?,
    };
    let file = match &out {
        Out::File(f) => Some(f),
        _ => None,
    };
    write_document(&doc, file, binary, stdout)?;
    Ok(fail_on(&args.doc.fail_on, comparison.worst_new()))
}

/// Where `compare` writes.
enum Out {
    Stdout,
    File(OutFile),
    Dir(Target),
}

/// The CSV files as a package (staged, then renamed into place), with a `manifest.json`
/// listing them (`kind: compare`), so that `--force` can later tell it is ours. Each file
/// written is named on `stdout`.
fn write_csv_package(
    target: Target,
    comparison: &Comparison,
    stamp: &Stamp,
    stdout: &mut dyn Write,
) -> anyhow::Result<()> {
    let dir = target.path().to_path_buf();
    let staging = Staging::create(target)?;
    let mut outputs = Vec::new();
    for f in render::csv::compare::render(comparison)? {
        outputs.push(staging.write(&f.name, |w| Ok(w.write_all(&f.bytes)?))?);
    }
    let manifest = Manifest {
        schema_version: 1,
        kind: manifest::COMPARE.to_string(),
        tool: Tool {
            name: stamp.tool.to_string(),
            version: stamp.version.to_string(),
        },
        generated_at: Some(stamp.generated_at.clone()),
        baseline: Some(comparison.baseline.clone()),
        current: Some(comparison.current.clone()),
        outputs,
        ..Manifest::default()
    };
    staging.write(manifest::MANIFEST, |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest)?;
        Ok(w.write_all(b"\n")?)
    })?;
    staging.commit()?;
    for f in manifest
        .outputs
        .iter()
        .map(|o| o.path.as_str())
        .chain([manifest::MANIFEST])
    {
        writeln!(stdout, "{}", dir.join(f).display())?;
    }
    Ok(())
}

/// Pretty JSON with a final newline.
fn json(value: &impl serde::Serialize) -> anyhow::Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(value)?;
    v.push(b'\n');
    Ok(v)
}

/// Exit status 1 when `worst` is at or above `--fail-on`.
fn fail_on(level: &FailOnArgs, worst: Option<Severity>) -> ExitCode {
    if level.fails(worst) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `trend`.
pub fn trend(args: &TrendArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let stamp = Stamp::new(stamp::generated_at(
        args.doc.generated_at.generated_at.as_deref(),
    )?);
    let binary = args.format == TrendFormat::Pdf;
    let file = args
        .doc
        .output
        .out
        .as_deref()
        .map(|f| OutFile::check(f, args.doc.output.force, binary, &args.summaries))
        .transpose()?;
    let summaries = args
        .summaries
        .iter()
        .map(|p| compare::load::read(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let t = compare::trend::Trend::new(&summaries);
    let doc = match args.format {
        TrendFormat::Text => render::text::trend::render(&t).into_bytes(),
        TrendFormat::Csv => render::csv::trend::render(&t)?,
        TrendFormat::Json => json(&t)?,
        TrendFormat::Html => {
            let templates =
                render::html::compare::templates(args.doc.templates.templates.as_deref())?;
            render::html::trend::render(&t, &stamp, &templates)?
        }
        TrendFormat::Pdf => render::pdf::trend::render(&t, &stamp)?,
    };
    write_document(&doc, file.as_ref(), binary, out)?;
    Ok(fail_on(&args.doc.fail_on, t.worst()))
}

/// Compares two periods' summaries, and their findings (new, persisting, resolved) unless
/// a period holds no record (`empty`: the verdicts of `--allow-empty`). The current
/// period's findings see the baseline period's denial signatures, so F-MAC-03 (a new
/// enforced denial signature) is evaluated; archive integrity (F-AUD-11) is
/// `--baseline-manifest`'s job.
fn compare_with_findings(
    b: &Summary,
    c: &Summary,
    empty: [Option<String>; 2],
    baseline_spec: &str,
    site: &crate::site::SiteConfig,
    threshold: Threshold,
) -> anyhow::Result<Comparison> {
    let terminations = site.terminations()?;
    let previous = findings::Baseline {
        path: format!("--baseline-period {baseline_spec}"),
        label: b.period().label.clone(),
        signatures: b.mac().signatures().keys().cloned().collect(),
        signatures_cut: b.mac().signatures_cut(),
        integrity: None,
    };
    let side = |summary: &Summary, previous: Option<&findings::Baseline>| {
        let outcomes = findings::evaluate_against(summary, site, &terminations, previous);
        let found = compare::finding_keys(&outcomes);
        (compare::view::SummaryView::of(summary), found)
    };
    let (b, bf) = side(b, None);
    let (c, cf) = side(c, Some(&previous));
    let mut comparison = Comparison::new(&b, &c, threshold);
    if empty.iter().all(Option::is_none) {
        comparison = comparison.with_findings(&bf, &cf);
    } else {
        // Against a period without records every finding would be "new" or "resolved".
        comparison.no_evidence = empty
            .into_iter()
            .flatten()
            .map(|v| format!("{v} Findings are not compared."))
            .collect();
    }
    Ok(comparison)
}

/// Where a summary's period lies against a side's.
#[derive(Debug, PartialEq, Eq)]
enum Lies {
    Within,
    Straddles,
    Outside,
}

/// Whether `[s, e)` (`None`: unbounded) lies within the period `p`, straddles its edge, or
/// lies outside it.
fn lies(s: Option<i64>, e: Option<i64>, p: &Period) -> Lies {
    let (s, e) = (s.unwrap_or(i64::MIN), e.unwrap_or(i64::MAX));
    if p.start_ms <= s && e <= p.end_ms {
        Lies::Within
    } else if s < p.end_ms && p.start_ms < e {
        Lies::Straddles
    } else {
        Lies::Outside
    }
}

/// Merges the summaries whose period lies within each period into that side (both when the
/// periods overlap) and compares the sides as [`from_logs`] does, findings included; the
/// summaries in neither are named on `warn`.
fn from_summaries(
    args: &CompareArgs,
    baseline: &str,
    current: &str,
    threshold: Threshold,
    warn: &mut dyn Write,
) -> anyhow::Result<Comparison> {
    let site = pipeline::site(args.config.as_deref())?;
    let tz = parse_tz(&args.tz.tz)?;
    let now = chrono::Utc::now();
    let periods = [
        ("baseline", Period::parse(baseline, tz, now)?),
        ("current", Period::parse(current, tz, now)?),
    ];
    // Each file's head is read once, for its side and for the order of the combination.
    let mut sides: [Vec<(crate::cmd::merge::Head, std::path::PathBuf)>; 2] = Default::default();
    let mut unused = Vec::new();
    for path in &args.summaries {
        let head = crate::cmd::merge::head_of(path)?;
        let p = &head.period;
        let mut used = false;
        for ((side, period), paths) in periods.iter().zip(sides.iter_mut()) {
            match lies(p.start_ms, p.end_ms, period) {
                Lies::Within => {
                    paths.push((head.clone(), path.clone()));
                    used = true;
                }
                Lies::Straddles => {
                    let t = |ms: Option<i64>| {
                        ms.map_or("unbounded".to_string(), crate::model::format_ms)
                    };
                    anyhow::bail!(
                        "{}: its period {} ({} to {}) straddles the edge of the {side} period \
                         {}: give summaries of periods that lie within it (daily summaries \
                         fit every period)",
                        path.display(),
                        p.label,
                        t(p.start_ms),
                        t(p.end_ms),
                        period.label
                    )
                }
                Lies::Outside => {}
            }
        }
        if !used {
            unused.push(path.display().to_string());
        }
    }
    if !unused.is_empty() {
        writeln!(
            warn,
            "auditrail: not used (their period lies in neither period): {}",
            unused.join(", ")
        )?;
    }
    let read = |i: usize| -> anyhow::Result<Summary> {
        let (side, period) = &periods[i];
        if sides[i].is_empty() {
            anyhow::bail!(
                "no summary lies within the {side} period {}: give summaries of that period \
                 (or of its days)",
                period.label
            );
        }
        let mut s = crate::cmd::merge::combine_parts(sides[i].clone())?.summary;
        let (start, end) = (s.period().start_ms, s.period().end_ms);
        let bound = |ms: i64, open: i64| (ms != open).then_some(ms);
        if (start, end)
            == (
                bound(period.start_ms, i64::MIN),
                bound(period.end_ms, i64::MAX),
            )
        {
            // They cover the period exactly: named as asked.
            s.set_period_label(period.label.clone());
        }
        Ok(s)
    };
    let (b, c) = (read(0)?, read(1)?);
    for ((side, _), s) in periods.iter().zip([&b, &c]) {
        let cut = s
            .hosts()
            .values()
            .filter(|h| h.limited().activity || h.limited().serials)
            .count();
        if cut > 0 {
            writeln!(
                warn,
                "auditrail: {side} side: silences and serial gaps of {cut} host(s) are not \
                 computed (a host in several of its summaries: the gaps between them are in no \
                 summary); their audit.silences, audit.serial_gaps and audit.missing_serials \
                 count none, and the rules over them are not evaluated"
            )?;
        }
    }
    let none = crate::parse::InputQuality::default();
    let allow = args.allow_empty;
    let empty = [
        crate::cmd::empty::require_records(&none, &b, "baseline", allow)?,
        crate::cmd::empty::require_records(&none, &c, "current", allow)?,
    ];
    compare_with_findings(&b, &c, empty, baseline, &site, threshold)
}

/// Summarises the logs over both periods in one read of the inputs and compares them,
/// findings included.
fn from_logs(
    args: &CompareArgs,
    baseline: &str,
    current: &str,
    threshold: Threshold,
) -> anyhow::Result<Comparison> {
    let site = pipeline::site(args.config.as_deref())?;
    // Checked before the read.
    site.terminations()?;
    let tz = parse_tz(&args.tz.tz)?;
    let now = chrono::Utc::now();
    let inputs = args.input.collect()?;
    let mut read = args.input.read_options();
    // The archived inputs' check reuses the hashes computed while reading.
    read.keep_evidence = args.baseline_manifest.is_some();
    let periods = vec![
        Period::parse(baseline, tz, now)?,
        Period::parse(current, tz, now)?,
    ];
    let opts = pipeline::SummaryOptions {
        names: args.names.resolver()?,
        silence_ms: pipeline::hours_ms(site.thresholds.silent_hours),
        aureport: false,
        watch: site.watch_config(),
    };
    let phase = "reading (both periods)";
    let mut bar = crate::cmd::progress::Reading::start(phase, &inputs, args.progress.quiet);
    let read = pipeline::summarize_many(&inputs, &read, periods, opts, &mut |n| bar.update(n));
    bar.finish();
    let (summaries, quality) = read?;
    let [b, c]: [Summary; 2] = summaries
        .try_into()
        .map_err(|_| anyhow::anyhow!("expected one summary per period"))?;
    let allow = args.allow_empty;
    let empty = [
        crate::cmd::empty::require_records(&quality, &b, "baseline", allow)?,
        crate::cmd::empty::require_records(&quality, &c, "current", allow)?,
    ];
    let mut comparison = compare_with_findings(&b, &c, empty, baseline, &site, threshold)?;
    if let Some(m) = &args.baseline_manifest {
        let manifest = compare::integrity::read_manifest(m)?;
        let current = pipeline::current_files(&quality);
        comparison.integrity = Some(compare::integrity::check(&manifest, &current)?);
    }
    Ok(comparison)
}
