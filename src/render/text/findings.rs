//! `findings`' text: each policy's controls with their status, the exceptions under each
//! control (with file:line), then every rule's outcome with its parameters and evidence.
//! Log values are attacker-controlled, so every line goes through
//! [`crate::render::terminal::sanitize`].

use crate::aggregate::Summary;
use crate::findings::{self, Evidence, Finding, Status};
use crate::model::format_opt_ms;
use crate::model::{format_ms, Source};
use crate::parse::InputQuality;
use crate::policy::{self, Assessment};
use crate::render::terminal::sanitize;
use std::path::PathBuf;

/// What the text shows besides the assessment.
pub struct Text<'a> {
    /// Input paths by file id.
    pub paths: &'a [PathBuf],
    /// Evidence rows shown per finding.
    pub rows: usize,
    /// The previous period (`--baseline`).
    pub baseline: Option<&'a findings::Baseline>,
    /// `--allow-empty` on a period without records: said before anything else.
    pub verdict: Option<&'a str>,
    /// The site configuration used (`--config`, found, or the defaults).
    pub config: &'a crate::site::ConfigSource,
    /// From summaries (`--summaries`): per host, its log files by file id; evidence is
    /// then cited `host:file:line`.
    pub files_by_host: Option<&'a std::collections::BTreeMap<String, Vec<String>>>,
}

impl Text<'_> {
    fn source(&self, s: Source) -> String {
        let file = self
            .paths
            .get(s.file.0 as usize)
            .map_or_else(|| "?".to_string(), |p| p.display().to_string());
        format!("{file}:{}", s.line)
    }

    /// Where an evidence item of `host` is: `file:line`, or from summaries
    /// `host:file:line` (`?` for a file the summaries do not name).
    fn cite(&self, host: &str, s: Source) -> String {
        match self.files_by_host {
            None => self.source(s),
            Some(by_host) => {
                let file = by_host
                    .get(host)
                    .and_then(|files| files.get(s.file.0 as usize))
                    .map_or("?", String::as_str);
                format!("{host}:{file}:{}", s.line)
            }
        }
    }

    /// The whole text, every line sanitized.
    pub fn render(&self, s: &Summary, q: &InputQuality, a: &Assessment) -> String {
        let mut o = String::new();
        let p = s.period();
        if let Some(v) = self.verdict {
            o += &format!("{v}\n\n");
        }
        let (n, what) = match self.files_by_host {
            Some(_) => (self.paths.len(), "summary file(s)"),
            None => (q.files.len(), "file(s)"),
        };
        o += &format!(
            "Period: {} .. {} ({})\nInput: {n} {what}, {} events in period on {} host(s)\n",
            format_opt_ms(p.start_ms),
            format_opt_ms(p.end_ms),
            p.tz,
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
            let at = f.evidence.first().map(|e| self.cite(&e.host, e.source));
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
            Status::Findings if r.findings_omitted > 0 => format!(
                "{} finding(s), {} listed (limit reached: the most severe first)",
                r.findings.len() as u64 + r.findings_omitted,
                r.findings.len()
            ),
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
            self.cite(&e.host, e.source)
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
