//! `auditrail findings`: runs the finding rules over a period and maps them onto the
//! controls of the selected policies; `auditrail config` prints or checks the site
//! configuration.
//!
//! Text output lists each policy's controls with their status, the exceptions under each
//! control (with file:line), then every rule's outcome with its parameters and evidence.
//! Log values are attacker-controlled, so every line goes through
//! [`crate::render::terminal::sanitize`]. Exit status 1 when `--fail-on` is given and a
//! finding at or above it exists.

use crate::aggregate::Summary;
use crate::cli::{ConfigArgs, FindingsArgs, FindingsFormat};
use crate::findings::{self, Baseline, Evidence, Finding, Status};
use crate::model::{format_ms, Source};
use crate::parse::InputQuality;
use crate::period::Period;
use crate::pipeline;
use crate::policy::{self, Assessment};
use crate::render::terminal::sanitize;
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
    let opts = pipeline::SummaryOptions {
        names: args.names.resolver()?,
        silence_ms: pipeline::hours_ms(site.thresholds.silent_hours),
        aureport: false,
        watch: site
            .watch_config()
            .with_declared(crate::rules_text::read_args(&args.rules)?),
    };
    let mut read = args.input.read_options();
    read.keep_evidence = args.baseline.is_some();
    let paths: Vec<PathBuf> = inputs.files.iter().map(|f| f.path.clone()).collect();
    let mut bar = crate::cmd::progress::Reading::start("reading", &inputs, args.progress.quiet);
    let read = pipeline::summarize(&inputs, &read, period, opts, &mut |n| bar.update(n));
    bar.finish();
    let (summary, quality) = read?;
    let current = pipeline::current_files(&quality);
    let baseline = pipeline::baseline(args.baseline.as_deref(), &current)?;
    Ok((summary, quality, paths, baseline))
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
    let site = pipeline::site(args.config.as_deref())?;
    let terminations = site.terminations()?;
    let policies = policy::select(&args.policy)?;
    let period = args.period.resolve(|tz, _| Period::unbounded(tz))?;
    if let Some(b) = &args.baseline {
        pipeline::check_baseline(b)?;
    }
    let (summary, quality, paths, baseline) = read(args, period, &site)?;
    let verdict = crate::cmd::empty::require_records(&quality, &summary, "", args.allow_empty)?;
    let assessment = policy::assess(&summary, &site, &terminations, baseline.as_ref(), &policies);
    match args.format {
        FindingsFormat::Json => {
            let doc = FindingsJson {
                period: summary.period(),
                no_evidence: verdict.as_deref(),
                baseline: baseline.as_ref().map(|b| BaselineRef {
                    path: &b.path,
                    label: &b.label,
                }),
                files: &paths,
                config_file: site.source.to_string(),
                config: &site,
                assessment: &assessment,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        FindingsFormat::Text => {
            let view = Text {
                paths: &paths,
                rows: args.rows,
                baseline: baseline.as_ref(),
                verdict: verdict.as_deref(),
                config: &site.source,
            };
            out.write_all(view.render(&summary, &quality, &assessment).as_bytes())?;
        }
    }
    let worst = findings::worst(&assessment.rules);
    let fail = args
        .fail_on
        .is_some_and(|f| worst.is_some_and(|w| w >= f.severity()));
    Ok(if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

struct Text<'a> {
    paths: &'a [PathBuf],
    rows: usize,
    baseline: Option<&'a findings::Baseline>,
    /// `--allow-empty` on a period without records: said before anything else.
    verdict: Option<&'a str>,
    /// The site configuration used (`--config`, found, or the defaults).
    config: &'a crate::site::ConfigSource,
}

impl Text<'_> {
    fn source(&self, s: Source) -> String {
        let file = self
            .paths
            .get(s.file.0 as usize)
            .map_or_else(|| "?".to_string(), |p| p.display().to_string());
        format!("{file}:{}", s.line)
    }

    fn render(&self, s: &Summary, q: &InputQuality, a: &Assessment) -> String {
        let mut o = String::new();
        let p = s.period();
        let bound = |ms: Option<i64>| ms.map_or_else(|| "-".to_string(), format_ms);
        if let Some(v) = self.verdict {
            o += &format!("{v}\n\n");
        }
        o += &format!(
            "Period: {} .. {} ({})\nInput: {} file(s), {} events in period on {} host(s)\n",
            bound(p.start_ms),
            bound(p.end_ms),
            p.tz,
            q.files.len(),
            s.events(),
            s.distinct_hosts()
        );
        o += &format!("Configuration: {}\n", sanitize(&self.config.to_string()));
        for l in crate::report::limit_sentences(q, s) {
            o += &format!("Input: {l}\n");
        }
        for w in q.warnings() {
            o += &format!("WARNING: {w}\n");
        }
        if let Some(b) = self.baseline {
            o += &format!("Baseline: {} ({})\n", b.path, b.label);
            o += &format!("F-AUD-11: {}\n", findings::baseline::integrity_note(b));
            for c in b.integrity.iter().flatten() {
                let now = c.moved_to().map(|p| format!(" -> {p}")).unwrap_or_default();
                o += &format!("    {:<12} {}{now}\n", c.status, c.path);
            }
        }
        let count = |st: Status| a.rules.iter().filter(|r| r.status == st).count();
        o += &format!(
            "Rules: {} with findings, {} pass, {} not evaluated\n",
            count(Status::Findings),
            count(Status::Pass),
            count(Status::NotEvaluated)
        );
        for pol in &a.policies {
            o += &format!("\n== {} ({})\n", pol.title, pol.name);
            for c in &pol.controls {
                o += &self.control(c);
            }
        }
        o += "\n== Rules\n";
        for r in &a.rules {
            o += &self.rule(r);
        }
        sanitize_lines(&o)
    }

    fn control(&self, c: &policy::ControlRow) -> String {
        let cov = serde_json::to_value(c.coverage).unwrap_or_default();
        let mut o = format!(
            "{:<22} {:<13} {} [{}]\n",
            c.id,
            c.status.as_str(),
            c.title,
            cov.as_str().unwrap_or("?")
        );
        for f in c.exceptions.iter().take(self.rows.max(1) * 4) {
            let at = f.evidence.first().map(|e| self.source(e.source));
            o += &format!(
                "    {:<8} {} {} ({})\n",
                f.severity.as_str(),
                f.rule,
                f.summary,
                at.unwrap_or_else(|| "no record".into())
            );
        }
        if c.exceptions.len() > self.rows.max(1) * 4 {
            o += &format!(
                "    ... {} more exceptions\n",
                c.exceptions.len() - self.rows.max(1) * 4
            );
        }
        if c.status == policy::ControlStatus::NoEvidence {
            o += &format!("    no evidence; produced by: {}\n", c.produced_by);
        }
        for line in policy::coverage::lines(&c.rule_coverage, &|s| self.source(s)) {
            o += &format!("    rules: {line}\n");
        }
        for (id, why) in &c.not_evaluated {
            o += &format!("    {id} not evaluated: {why}\n");
        }
        o
    }

    fn rule(&self, r: &findings::RuleOutcome) -> String {
        let params: Vec<String> = r
            .parameters
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let status = match r.status {
            Status::Findings => format!("{} finding(s)", r.findings.len()),
            Status::Pass => "pass".to_string(),
            Status::NotEvaluated => {
                format!("not evaluated: {}", r.reason.as_deref().unwrap_or("?"))
            }
        };
        let mut o = format!(
            "{:<10} {:<8} {}: {}",
            r.id,
            r.severity.as_str(),
            r.title,
            status
        );
        if !params.is_empty() {
            o += &format!(" [{}]", params.join(", "));
        }
        o += "\n";
        for f in &r.findings {
            o += &self.finding(f);
        }
        o
    }

    fn finding(&self, f: &Finding) -> String {
        let mut o = format!(
            "    {:<8} {} ({} record(s))\n",
            f.severity.as_str(),
            f.summary,
            f.count
        );
        for e in f.evidence.iter().take(self.rows) {
            o += &format!("        {}\n", self.evidence(e));
        }
        let shown = self.rows.min(f.evidence.len()) as u64;
        if f.count > shown && !f.evidence.is_empty() {
            o += &format!(
                "        ... {} more (--format json lists up to {})\n",
                f.count - shown,
                findings::EVIDENCE_LIMIT
            );
        }
        o
    }

    fn evidence(&self, e: &Evidence) -> String {
        let time = format_ms(e.time_ms);
        let result = e
            .result
            .map(|r| serde_json::to_value(r).unwrap_or_default());
        format!(
            "{time} {} actor={} target={} result={} {} ({})",
            e.host,
            e.actor.as_deref().unwrap_or("-"),
            e.target.as_deref().unwrap_or("-"),
            result.as_ref().and_then(|v| v.as_str()).unwrap_or("-"),
            e.what,
            self.source(e.source)
        )
    }
}

/// Sanitizes each line (keeping the newlines this module wrote).
fn sanitize_lines(text: &str) -> String {
    let mut o = String::with_capacity(text.len());
    for line in text.lines() {
        o += &sanitize(line);
        o.push('\n');
    }
    o
}
