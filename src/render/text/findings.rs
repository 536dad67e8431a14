//! `findings`' text: the summary first (policies and why, verdict per framework, findings by
//! severity, the rules to read first), each policy's controls with their status and the
//! rules whose findings are its exceptions (listed once, not finding by finding), then every
//! rule's outcome with the controls it affects, its parameters and evidence. Lines longer
//! than [`WIDTH`] are wrapped (the full values are in `--format json`).
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

/// The header of the per-framework table of control statuses.
pub(super) const FRAMEWORK_HEADER: [&str; 6] = [
    "framework",
    "controls",
    "evidence",
    "exceptions",
    "no evidence",
    "not provable",
];

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
    /// Which policies were evaluated and why (`policy::Choice::why`).
    pub policies: &'a str,
    /// From summaries (`--summaries`): the log files their sources name, by file id;
    /// evidence is then cited `host:file:line`.
    pub log_files: Option<&'a [String]>,
}

/// Columns the text fits in.
pub const WIDTH: usize = 100;

/// Rules the summary lists under "read first".
const READ_FIRST: usize = 8;

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
        match self.log_files {
            None => self.source(s),
            Some(files) => {
                let file = files.get(s.file.0 as usize).map_or("?", String::as_str);
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
        let (n, what) = match self.log_files {
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
        o += &self.summary(a);
        for pol in &a.policies {
            o += &format!("\n== {} ({})\n", pol.title, pol.name);
            for c in &pol.controls {
                o += &self.control(c);
            }
        }
        o += "\n== Rules\n";
        for r in &a.rules {
            o += &self.rule(r, a);
        }
        if let Some(r) = &a.exceptions {
            o += &super::exceptions::register(r);
        }
        sanitize_lines(&o)
    }

    /// The summary: policies, verdict per framework, findings by severity, rules to read
    /// first (the most severe, then the most findings).
    fn summary(&self, a: &Assessment) -> String {
        use crate::report::executive;
        let mut o = format!("\n== Summary\nPolicies: {}\n", self.policies);
        let frameworks = executive::frameworks(a.policies.iter().flat_map(|p| {
            p.controls
                .iter()
                .map(move |c| (p.title.as_str(), c.status.as_str()))
        }));
        let rows: Vec<Vec<String>> = frameworks
            .iter()
            .map(|f| crate::render::format::framework_row(f.framework.clone(), f))
            .collect();
        o += &crate::render::terminal::table(&FRAMEWORK_HEADER, &rows);
        let findings = a.rules.iter().flat_map(|r| r.findings.iter());
        let counts = executive::severities(
            findings.map(|f| (f.severity.as_str(), crate::report::assessment::status(f))),
        );
        let parts = crate::render::format::open_by_severity(&counts);
        o += &format!("Open findings by severity: {}\n", parts.join(", "));
        let mut first: Vec<&findings::RuleOutcome> =
            a.rules.iter().filter(|r| !r.findings.is_empty()).collect();
        let worst = |r: &findings::RuleOutcome| r.findings.iter().map(|f| f.severity).max();
        first.sort_by(|x, y| {
            worst(y)
                .cmp(&worst(x))
                .then(y.findings.len().cmp(&x.findings.len()))
                .then(x.id.cmp(y.id))
        });
        if !first.is_empty() {
            o += "Read first (== Rules below):\n";
        }
        for r in first.iter().take(READ_FIRST) {
            let sev = worst(r).map_or("?", |s| s.as_str());
            o += &wrap(
                &format!(
                    "  {:<9} {:<8} {} finding(s): {}",
                    r.id,
                    sev,
                    r.findings.len(),
                    r.title
                ),
                WIDTH,
                6,
            );
        }
        o
    }

    fn control(&self, c: &policy::ControlRow) -> String {
        let cov = serde_json::to_value(c.coverage).unwrap_or_default();
        let mut o = wrap(
            &format!(
                "{:<22} {:<13} {} [{}]",
                c.id,
                c.status.as_str(),
                c.title,
                cov.as_str().unwrap_or("?")
            ),
            WIDTH,
            37,
        );
        // The exceptions by rule, once each: the findings are under == Rules.
        let mut by_rule: Vec<(&str, usize, findings::Severity)> = Vec::new();
        for f in &c.exceptions {
            match by_rule.iter_mut().find(|(r, ..)| *r == f.rule) {
                Some(x) => {
                    x.1 += 1;
                    x.2 = x.2.max(f.severity);
                }
                None => by_rule.push((f.rule, 1, f.severity)),
            }
        }
        if !by_rule.is_empty() {
            let list: Vec<String> = by_rule
                .iter()
                .map(|(r, n, sev)| format!("{r} ({n}, {})", sev.as_str()))
                .collect();
            o += &wrap(&format!("    exceptions: {}", list.join(", ")), WIDTH, 6);
        }
        if c.status == policy::ControlStatus::NoEvidence {
            o += &wrap(
                &format!("    no evidence; produced by: {}", c.produced_by),
                WIDTH,
                6,
            );
        }
        for line in policy::coverage::lines(&c.rule_coverage, &|s| self.source(s)) {
            o += &wrap(&format!("    rules: {line}"), WIDTH, 6);
        }
        for (id, why) in &c.not_evaluated {
            o += &wrap(&format!("    {id} not evaluated: {why}"), WIDTH, 6);
        }
        o
    }

    fn rule(&self, r: &findings::RuleOutcome, a: &Assessment) -> String {
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
        let mut o = wrap(&o, WIDTH, 20);
        if !r.findings.is_empty() {
            let controls: Vec<String> = a
                .policies
                .iter()
                .flat_map(|p| {
                    p.controls
                        .iter()
                        .filter(|c| c.exceptions.iter().any(|f| f.rule == r.id))
                        .map(move |c| format!("{} {}", p.name, c.id))
                })
                .collect();
            if !controls.is_empty() {
                o += &wrap(&format!("    controls: {}", controls.join(", ")), WIDTH, 6);
            }
        }
        for f in &r.findings {
            o += &self.finding(f);
        }
        o
    }

    fn finding(&self, f: &Finding) -> String {
        let mut o = wrap(
            &format!(
                "    {:<8} {} ({} record(s)){}",
                f.severity.as_str(),
                f.summary,
                f.count,
                super::exceptions::mark(f)
            ),
            WIDTH,
            13,
        );
        for e in f.evidence.iter().take(self.rows) {
            o += &wrap(&format!("        {}", self.evidence(e)), WIDTH, 12);
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

/// `line` broken at spaces into lines of at most `width` characters, each further line
/// indented by `indent` spaces; a word longer than a line stays whole on its own line.
/// Ends with a newline.
pub fn wrap(line: &str, width: usize, indent: usize) -> String {
    let lead = line.len() - line.trim_start().len();
    let mut o = String::new();
    let mut cur = line[..lead].to_string();
    let (mut n, mut fresh) = (lead, true);
    for word in line[lead..].split(' ') {
        let w = word.chars().count();
        if !fresh && n + 1 + w > width {
            o += cur.trim_end();
            o.push('\n');
            cur = " ".repeat(indent);
            n = indent;
            fresh = true;
        }
        if !fresh {
            cur.push(' ');
            n += 1;
        }
        cur.push_str(word);
        n += w;
        fresh = false;
    }
    o += cur.trim_end();
    o.push('\n');
    o
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

#[cfg(test)]
mod wrap_tests {
    use super::wrap;

    #[test]
    fn lines_fit_the_width_and_keep_every_word() {
        let line = format!(
            "    high     {} ({})",
            "word ".repeat(40).trim_end(),
            "x".repeat(120)
        );
        let out = wrap(&line, 100, 13);
        for l in out.lines() {
            assert!(l.chars().count() <= 100 || !l.trim().contains(' '), "{l}");
        }
        let words: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(words, line.split_whitespace().collect::<Vec<_>>());
        assert!(out.lines().nth(1).unwrap().starts_with(&" ".repeat(13)));
        assert_eq!(wrap("short", 100, 4), "short\n");
    }
}
