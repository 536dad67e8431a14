//! `auditrail compare`: what changed between a baseline and a current period; and
//! `auditrail trend`: every metric over several summaries.
//!
//! Each side is either a `summary.json` (or a report package directory holding one), or,
//! with `--baseline-period`/`--current-period`, the logs summarised over that period. Only
//! in the second form are findings compared (new, persisting, resolved by `rule host`),
//! because a summary.json does not carry the site configuration its findings depend on.

use crate::aggregate::Summary;
use crate::cli::{CompareArgs, CompareFormat, FailOn, TrendArgs, TrendFormat};
use crate::cmd::stamp::{self, write_document};
use crate::compare::html::Stamp;
use crate::compare::{self, Comparison, Threshold};
use crate::findings;
use crate::findings::Severity;
use crate::period::{parse_tz, Period};
use crate::pipeline;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

/// Runs `compare`.
pub fn run(args: &CompareArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let threshold = Threshold {
        pct: args.threshold,
        min_abs: args.min_change,
    };
    let csv_dir = match (args.format, &args.out) {
        (CompareFormat::Csv, None) => {
            anyhow::bail!("--format csv writes several files: give --out DIR")
        }
        (_, dir) => dir.as_deref(),
    };
    // Checked before the (possibly long) read, used after it.
    let stamp = Stamp::new(stamp::generated_at(args.generated_at.as_deref())?);
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
    let (doc, binary) = match args.format {
        CompareFormat::Text => (compare::text::render(&comparison).into_bytes(), false),
        CompareFormat::Json => (json(&comparison)?, false),
        CompareFormat::Csv => {
            let dir = csv_dir.unwrap_or(std::path::Path::new("."));
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
            for f in compare::csv::render(&comparison)? {
                let path = dir.join(&f.name);
                std::fs::write(&path, &f.bytes)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                writeln!(out, "{}", path.display())?;
            }
            return Ok(fail_on(args.fail_on, comparison.worst_new()));
        }
        CompareFormat::Html => {
            let templates = compare::html::templates(args.templates.as_deref())?;
            (
                compare::html::render(&comparison, &stamp, &templates)?,
                false,
            )
        }
        CompareFormat::Pdf => (compare::pdf::render(&comparison, &stamp)?, true),
    };
    write_document(&doc, args.out.as_deref(), binary, out)?;
    Ok(fail_on(args.fail_on, comparison.worst_new()))
}

/// Pretty JSON with a final newline.
fn json(value: &impl serde::Serialize) -> anyhow::Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(value)?;
    v.push(b'\n');
    Ok(v)
}

/// Exit status 1 when `worst` is at or above `--fail-on`.
fn fail_on(level: Option<FailOn>, worst: Option<Severity>) -> ExitCode {
    if level.is_some_and(|f| worst.is_some_and(|w| w >= f.severity())) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `trend`.
pub fn trend(args: &TrendArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let stamp = Stamp::new(stamp::generated_at(args.generated_at.as_deref())?);
    let summaries = args
        .summaries
        .iter()
        .map(|p| compare::load::read(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let t = compare::trend::Trend::new(&summaries);
    let (doc, binary) = match args.format {
        TrendFormat::Text => (t.text().into_bytes(), false),
        TrendFormat::Csv => (t.csv()?, false),
        TrendFormat::Json => (json(&t)?, false),
        TrendFormat::Html => {
            let templates = compare::html::templates(args.templates.as_deref())?;
            (compare::trend::html::render(&t, &stamp, &templates)?, false)
        }
        TrendFormat::Pdf => (compare::trend::pdf::render(&t, &stamp)?, true),
    };
    write_document(&doc, args.out.as_deref(), binary, out)?;
    Ok(fail_on(args.fail_on, t.worst()))
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
    let tz = parse_tz(&args.tz)?;
    let now = chrono::Utc::now();
    let inputs = args.input.collect()?;
    let read = args.input.read_options();
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
    let (summaries, _) = pipeline::summarize_many(&inputs, &read, periods, opts, &mut |_| {})?;
    let [b, c]: [Summary; 2] = summaries
        .try_into()
        .map_err(|_| anyhow::anyhow!("expected one summary per period"))?;
    // The current period's findings see the baseline period's denial signatures, so
    // F-MAC-03 (a new enforced denial signature) is evaluated; archive integrity (F-AUD-11)
    // is `--baseline-manifest`'s job here.
    let previous = findings::Baseline {
        path: format!("--baseline-period {baseline}"),
        label: labels[0].clone(),
        signatures: b.mac().signatures().keys().cloned().collect(),
        integrity: None,
    };
    let side = |summary: &Summary,
                previous: Option<&findings::Baseline>|
     -> anyhow::Result<(Value, BTreeMap<String, Severity>)> {
        let outcomes = findings::evaluate_against(summary, &site, &terminations, previous);
        let found = compare::finding_keys(&outcomes);
        Ok((compare::load::of_summary(summary)?, found))
    };
    let (b, bf) = side(&b, None)?;
    let (c, cf) = side(&c, Some(&previous))?;
    let mut comparison = Comparison::new(&b, &c, threshold).with_findings(&bf, &cf);
    if let Some(m) = &args.baseline_manifest {
        let paths: Vec<_> = inputs.files.iter().map(|f| f.path.clone()).collect();
        let manifest = compare::integrity::read_manifest(m)?;
        comparison.integrity = Some(compare::integrity::check(&manifest, &paths)?);
    }
    Ok(comparison)
}
