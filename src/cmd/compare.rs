//! `auditrail compare`: what changed between a baseline and a current period; and
//! `auditrail trend`: every metric over several summaries.
//!
//! Each side is either a `summary.json` (or a report package directory holding one), or,
//! with `--baseline-period`/`--current-period`, the logs summarised over that period. Only
//! in the second form are findings compared (new, persisting, resolved by `rule host`),
//! because a summary.json does not carry the site configuration its findings depend on.

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
use std::collections::BTreeMap;
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

/// Summarises the logs over both periods in one read of the inputs and compares them,
/// findings included.
fn from_logs(
    args: &CompareArgs,
    baseline: &str,
    current: &str,
    threshold: Threshold,
) -> anyhow::Result<Comparison> {
    let site = pipeline::site(args.config.as_deref())?;
    let terminations = site.terminations()?;
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
    let labels: Vec<String> = periods.iter().map(|p| p.label.clone()).collect();
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
    // The current period's findings see the baseline period's denial signatures, so
    // F-MAC-03 (a new enforced denial signature) is evaluated; archive integrity (F-AUD-11)
    // is `--baseline-manifest`'s job here.
    let previous = findings::Baseline {
        path: format!("--baseline-period {baseline}"),
        label: labels[0].clone(),
        signatures: b.mac().signatures().keys().cloned().collect(),
        signatures_cut: b.mac().signatures_cut(),
        integrity: None,
    };
    let side = |summary: &Summary,
                previous: Option<&findings::Baseline>|
     -> anyhow::Result<(compare::view::SummaryView, BTreeMap<String, Severity>)> {
        let outcomes = findings::evaluate_against(summary, &site, &terminations, previous);
        let found = compare::finding_keys(&outcomes);
        Ok((compare::view::SummaryView::of(summary), found))
    };
    let (b, bf) = side(&b, None)?;
    let (c, cf) = side(&c, Some(&previous))?;
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
    if let Some(m) = &args.baseline_manifest {
        let manifest = compare::integrity::read_manifest(m)?;
        let current = pipeline::current_files(&quality);
        comparison.integrity = Some(compare::integrity::check(&manifest, &current)?);
    }
    Ok(comparison)
}
