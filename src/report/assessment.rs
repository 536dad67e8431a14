//! The findings engine's assessment as the report's plain rows: the control table and the
//! findings register, each evidence item with its raw log line. The lines are data handed in
//! ([`cited_sources`] says which; the pipeline reads them back from their files).
//!
//! The register numbers findings `F-AUTH-01#1`, `#2`, ... in rule order, then by time; the
//! control table refers to those ids, so a reader can go from a control's exception to the
//! finding and from there to the raw line.

use super::{ControlRow, EvidenceRow, FindingRow};
use crate::findings::{Finding, RuleOutcome, Status};
use crate::input::{CitedLine, InputFile};
use crate::model::{format_ms, Source};
use crate::policy::{Assessment, ControlStatus};
use std::collections::{BTreeMap, BTreeSet};

/// Most evidence items shown per finding (the count says how many there are).
pub const EVIDENCE_PER_FINDING: usize = 25;

/// Longest raw line kept in a report, in bytes; longer ones are cut with a marker.
pub const RAW_LINE_MAX: usize = crate::limits::RAW_LINE_BYTES;

/// Key identifying a finding across the rule list and the control exceptions.
fn key(f: &Finding) -> (String, i64, Option<String>, String) {
    (
        f.rule.to_string(),
        f.first_ms,
        f.host.clone(),
        f.summary.clone(),
    )
}

/// How the register names the sources of its evidence and shows their lines.
pub struct Citing<'a> {
    /// The log files by file id.
    pub paths: &'a [String],
    /// Evidence cited `host:file:line` (a report from summaries, whose hosts' logs may
    /// share a path), else `file:line`.
    pub with_host: bool,
    /// The raw line of each cited source ([`raw_texts`], or from the summaries).
    pub lines: &'a BTreeMap<Source, String>,
}

impl Citing<'_> {
    /// `file:line`.
    fn source(&self, s: Source) -> String {
        let path = self
            .paths
            .get(s.file.0 as usize)
            .map_or("?", String::as_str);
        format!("{path}:{}", s.line)
    }

    /// Where an evidence item of `host` is.
    fn evidence(&self, host: &str, s: Source) -> String {
        if self.with_host {
            format!("{host}:{}", self.source(s))
        } else {
            self.source(s)
        }
    }
}

/// The cited lines read back from the logs as the register shows them.
pub fn raw_texts(cited: &BTreeMap<Source, CitedLine>) -> BTreeMap<Source, String> {
    cited
        .iter()
        .map(|(&s, l)| (s, crate::aggregate::raw::text(l)))
        .collect()
}

/// The log files of `files` by file id, as the register names them.
pub fn paths(files: &[InputFile]) -> Vec<String> {
    files.iter().map(|f| f.path.display().to_string()).collect()
}

/// Builds the control rows and the findings register from an assessment, with the raw
/// lines of [`cited_sources`].
pub fn rows(assessment: &Assessment, cite: &Citing<'_>) -> (Vec<ControlRow>, Vec<FindingRow>) {
    let raw = cite.lines;
    let source_text = |s: Source| cite.source(s);
    let evidence_text = |host: &str, s: Source| cite.evidence(host, s);
    let mut ids: BTreeMap<(String, i64, Option<String>, String), String> = BTreeMap::new();
    let mut register = Vec::new();
    for outcome in &assessment.rules {
        for (n, f) in outcome.findings.iter().enumerate() {
            let id = format!("{}#{}", outcome.id, n + 1);
            ids.insert(key(f), id.clone());
            register.push(finding_row(&id, outcome, f, raw, &evidence_text));
        }
    }
    let mut controls = Vec::new();
    for p in &assessment.policies {
        for c in &p.controls {
            let findings: Vec<String> = c
                .exceptions
                .iter()
                .filter_map(|f| ids.get(&key(f)).cloned())
                .collect();
            let evidence = c
                .evidence
                .iter()
                .map(|(m, v)| format!("{m} = {v}"))
                .collect();
            let coverage = crate::policy::coverage::lines(&c.rule_coverage, &source_text);
            let mut note = match c.status {
                ControlStatus::NoEvidence => {
                    format!("No evidence in these logs. Produced by: {}", c.produced_by)
                }
                ControlStatus::NotProvable => format!("Logs cannot prove this: {}", c.cannot_show),
                _ => {
                    let mut parts = Vec::new();
                    if !c.not_evaluated.is_empty() {
                        let list: Vec<String> = c
                            .not_evaluated
                            .iter()
                            .map(|(r, why)| format!("{r} not evaluated ({why})"))
                            .collect();
                        parts.push(list.join("; "));
                    }
                    if !c.cannot_show.is_empty() {
                        parts.push(format!("Logs cannot show: {}", c.cannot_show));
                    }
                    parts.join(". ")
                }
            };
            let cut: Vec<String> = assessment
                .rules
                .iter()
                .filter(|o| o.findings_omitted > 0 && c.rules.contains_key(o.id))
                .map(|o| {
                    format!(
                        "{} lists {} of its {} findings (limit reached: the most severe first)",
                        o.id,
                        o.findings.len(),
                        o.findings.len() as u64 + o.findings_omitted
                    )
                })
                .collect();
            if !cut.is_empty() {
                match note.chars().last() {
                    None => {}
                    Some('.') => note.push(' '),
                    Some(_) => note.push_str(". "),
                }
                note.push_str(&cut.join("; "));
            }
            controls.push(ControlRow {
                framework: p.title.clone(),
                id: c.id.clone(),
                title: c.title.clone(),
                status: c.status.as_str().to_string(),
                provability: kebab(&c.coverage),
                evidence,
                findings,
                entries: Vec::new(),
                note,
                coverage,
            });
        }
    }
    (controls, register)
}

fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn finding_row(
    id: &str,
    outcome: &RuleOutcome,
    f: &Finding,
    raw: &BTreeMap<Source, String>,
    source_text: &dyn Fn(&str, Source) -> String,
) -> FindingRow {
    let first = f.evidence.first();
    let evidence = f
        .evidence
        .iter()
        .take(EVIDENCE_PER_FINDING)
        .map(|e| EvidenceRow {
            host: e.host.clone(),
            time: format_ms(e.time_ms),
            actor: e.actor.clone().unwrap_or_default(),
            target: e.target.clone().unwrap_or_default(),
            result: e.result.map(|r| kebab(&r)).unwrap_or_default(),
            source: source_text(&e.host, e.source),
            raw_line: raw.get(&e.source).cloned().unwrap_or_default(),
        })
        .collect();
    let mut summary = f.summary.clone();
    if f.records > EVIDENCE_PER_FINDING as u64 {
        summary.push_str(&format!(
            " ({} records; the first {EVIDENCE_PER_FINDING} are listed)",
            f.records
        ));
    }
    FindingRow {
        id: id.to_string(),
        rule: outcome.id.to_string(),
        title: outcome.title.to_string(),
        severity: f.severity.as_str().to_string(),
        status: status(f).to_string(),
        entry: String::new(),
        host: f.host.clone().unwrap_or_default(),
        time: format_ms(f.first_ms),
        last: format_ms(f.last_ms),
        actor: first.and_then(|e| e.actor.clone()).unwrap_or_default(),
        target: first.and_then(|e| e.target.clone()).unwrap_or_default(),
        summary,
        evidence,
        exception: f.exception.clone(),
    }
}

/// A finding's status in the register: every finding is `open` until an exception
/// register marks it `accepted` (or `expired`); the register groups and the executive
/// summary counts by it.
pub fn status(f: &Finding) -> &'static str {
    if f.exception.is_some() {
        "accepted"
    } else if f.expired_exception.is_some() {
        "expired"
    } else {
        "open"
    }
}

/// Every source line the register shows: the lines [`rows`] needs.
pub fn cited_sources(assessment: &Assessment) -> BTreeSet<Source> {
    assessment
        .rules
        .iter()
        .filter(|r| r.status == Status::Findings)
        .flat_map(|r| r.findings.iter())
        .flat_map(|f| f.evidence.iter().take(EVIDENCE_PER_FINDING))
        .map(|e| e.source)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Evidence, Severity};
    use crate::model::FileId;

    fn finding(records: u64) -> Finding {
        let evidence = (0..records)
            .map(|i| Evidence {
                host: "h".into(),
                time_ms: i as i64,
                actor: None,
                target: None,
                result: None,
                what: "x".into(),
                source: Source {
                    file: FileId(0),
                    line: i + 1,
                },
            })
            .collect();
        Finding::new("F-MAC-06", Severity::Low, "s".into(), None, evidence)
    }

    fn summary_of(f: &Finding) -> String {
        let outcome = RuleOutcome {
            id: "F-MAC-06",
            title: "t",
            severity: Severity::Low,
            parameters: BTreeMap::new(),
            status: Status::Findings,
            reason: None,
            findings: vec![f.clone()],
            findings_omitted: 0,
        };
        finding_row("F-MAC-06#1", &outcome, f, &BTreeMap::new(), &|_, s| {
            s.line.to_string()
        })
        .summary
    }

    #[test]
    fn the_listed_note_states_every_record_not_the_evidence_kept() {
        assert_eq!(summary_of(&finding(25)), "s");
        assert_eq!(
            summary_of(&finding(121)),
            "s (121 records; the first 25 are listed)"
        );
        // A count that is not records (missing serials) does not change the note.
        let mut gap = finding(2);
        gap.count = 2318;
        assert_eq!(summary_of(&gap), "s");
    }
}
