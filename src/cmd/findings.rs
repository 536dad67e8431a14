//! `auditrail findings`: runs the finding rules over a period and maps them onto the
//! controls of the selected policies; `auditrail config` prints or checks the site
//! configuration.
//!
//! Text output is [`crate::render::text::findings`]; exit status 1 when `--fail-on` is given
//! and an open finding at or above it exists (findings the exceptions register accepts do
//! not count).

use crate::aggregate::Summary;
use crate::cli::{ConfigArgs, FindingsArgs, FindingsFormat};
use crate::cmd::merge::{LogFile, MergedFrom};
use crate::findings::{self, Baseline};
use crate::parse::InputQuality;
use crate::period::Period;
use crate::pipeline;
use crate::policy::{self, Assessment};
use crate::render::text;
use crate::site::{SiteConfig, DEFAULTS_TOML};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `config`.
pub fn config(args: &ConfigArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match &args.check {
        Some(path) => {
            let site = SiteConfig::load(path)?;
            site.terminations()?;
            pipeline::exceptions(None, &site)?;
            out.write_all(toml::to_string(&site)?.as_bytes())?;
        }
        None if args.print_defaults => out.write_all(DEFAULTS_TOML.as_bytes())?,
        None => anyhow::bail!("nothing to do: use --print-defaults or --check FILE"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the input into a summary whose silence threshold is the site's `silent_hours`;
/// with `--baseline`, then reads the previous period and checks its archived inputs
/// (F-AUD-11) with the hashes computed while reading (no second read of the inputs).
fn read(
    args: &FindingsArgs,
    period: Period,
    site: &SiteConfig,
) -> anyhow::Result<(Summary, InputQuality, Vec<PathBuf>, Option<Baseline>)> {
    let inputs = args.input.collect()?;
    let opts = super::summary_options(site, &args.names, &args.assess.site.rules)?;
    let mut read = args.input.read_options();
    read.keep_evidence = args.assess.baseline.is_some();
    let paths: Vec<PathBuf> = inputs.files.iter().map(|f| f.path.clone()).collect();
    let mut bar = crate::cmd::progress::Reading::start("reading", &inputs, args.progress.quiet);
    let read = pipeline::summarize(&inputs, &read, period, opts, &mut |n| bar.update(n));
    bar.finish();
    let (summary, quality) = read?;
    let current = pipeline::current_files(&quality);
    let baseline = pipeline::baseline(args.assess.baseline.as_deref(), &current)?;
    Ok((summary, quality, paths, baseline))
}

/// What a run evaluates: a summary read from logs or combined from summaries.
struct Read {
    summary: Summary,
    quality: InputQuality,
    paths: Vec<PathBuf>,
    baseline: Option<Baseline>,
    /// With `--summaries`: the summaries and the log files they name, by file id.
    summaries: Option<(Vec<MergedFrom>, Vec<LogFile>)>,
}

/// Reads `--summaries` and combines them (as `merge` does). No log is read: the input
/// quality is empty, and F-AUD-11 (which needs the files) never runs (`--baseline` is
/// refused with `--summaries`).
fn read_summaries(args: &FindingsArgs) -> anyhow::Result<Read> {
    let c = crate::cmd::merge::combine_files(&args.summaries)?;
    Ok(Read {
        summary: c.summary,
        quality: InputQuality::default(),
        paths: args.summaries.clone(),
        baseline: None,
        summaries: Some((c.from, c.files)),
    })
}

#[derive(Serialize)]
struct FindingsJson<'a> {
    period: &'a crate::aggregate::PeriodInfo,
    /// With `--allow-empty` on a period without records: what the input held instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    no_evidence: Option<&'a str>,
    /// The previous period compared with (`--baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineRef<'a>>,
    files: &'a [PathBuf],
    /// With `--summaries`: the summaries read.
    #[serde(skip_serializing_if = "Option::is_none")]
    summaries: Option<&'a [MergedFrom]>,
    /// With `--summaries`: the log files the evidence's file ids name.
    #[serde(skip_serializing_if = "Option::is_none")]
    log_files: Option<&'a [LogFile]>,
    /// The site configuration file used, or `defaults`.
    config_file: String,
    config: &'a SiteConfig,
    #[serde(flatten)]
    assessment: &'a Assessment,
}

#[derive(Serialize)]
struct BaselineRef<'a> {
    path: &'a str,
    label: &'a str,
}

/// Runs `findings`.
pub fn run(args: &FindingsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let site = pipeline::site(args.assess.site.config.as_deref())?;
    let terminations = site.terminations()?;
    let choice = policy::choose(&args.assess.policy, &site)?;
    let policies = policy::select(&choice.args)?;
    let period = args.period.resolve(|tz, _| Period::unbounded(tz))?;
    if let Some(b) = &args.assess.baseline {
        pipeline::check_baseline(b)?;
    }
    let exceptions = pipeline::exceptions(args.exceptions.as_deref(), &site)?;
    let Read {
        summary,
        quality,
        paths,
        baseline,
        summaries,
    } = if args.summaries.is_empty() {
        let (summary, quality, paths, baseline) = read(args, period, &site)?;
        Read {
            summary,
            quality,
            paths,
            baseline,
            summaries: None,
        }
    } else {
        read_summaries(args)?
    };
    let verdict = crate::cmd::empty::require_records(&quality, &summary, "", args.allow_empty)?;
    let assessment = policy::assess_with(
        &summary,
        &site,
        &terminations,
        baseline.as_ref(),
        &policies,
        exceptions.as_ref(),
    );
    match args.format {
        FindingsFormat::Json => {
            let doc = FindingsJson {
                period: summary.period(),
                no_evidence: verdict.as_deref(),
                baseline: baseline.as_ref().map(|b| BaselineRef {
                    path: &b.path,
                    label: &b.label,
                }),
                files: if summaries.is_some() { &[] } else { &paths },
                summaries: summaries.as_ref().map(|(from, _)| from.as_slice()),
                log_files: summaries.as_ref().map(|(_, files)| files.as_slice()),
                config_file: site.source.to_string(),
                config: &site,
                assessment: &assessment,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        FindingsFormat::Text => {
            let log_files: Option<Vec<String>> = summaries
                .as_ref()
                .map(|(_, files)| files.iter().map(|f| f.path.clone()).collect());
            let view = text::findings::Text {
                paths: &paths,
                rows: args.rows,
                baseline: baseline.as_ref(),
                verdict: verdict.as_deref(),
                config: &site.source,
                policies: &choice.why,
                log_files: log_files.as_deref(),
            };
            let text = view.render(&summary, &quality, &assessment);
            out.write_all(args.colour.palette().paint(&text).as_bytes())?;
        }
    }
    let worst = findings::worst(&assessment.rules);
    Ok(if args.fail_on.fails(worst) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
