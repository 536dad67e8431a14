//! The findings register as the document shows it: one entry per (rule, host, status) with its occurrences, first and last time, the controls it affects and a
//! capped sample of its evidence, ordered critical first. Every finding and every evidence
//! row stays in [`super::Report::findings`] (`findings.csv`, `report.json`); each names its
//! entry ([`super::FindingRow::entry`]) and each control the entries of its findings
//! ([`super::ControlRow::entries`]), so a reader goes control -> entry -> raw line.

use super::{ControlRow, EvidenceRow, FindingRow};
use serde::Serialize;
use std::collections::BTreeMap;

/// Raw lines a critical entry shows in the document (the first ones in time), a high one
/// shows one; the rest are in `findings.csv`. Other entries show none: their first record's
/// file:line is in [`RegisterEntry::first_source`] (the raw lines of all are in
/// `findings.csv`).
pub const EVIDENCE_SAMPLE: usize = 2;

/// Raw lines an entry of `severity` shows.
fn sample(severity: &str) -> usize {
    match rank(severity) {
        0 => EVIDENCE_SAMPLE,
        1 => 1,
        _ => 0,
    }
}

/// Occurrences an entry lists one by one in the document (the first ones in time).
pub const OCCURRENCES_SHOWN: usize = 3;

/// Distinct actors (targets) an entry names.
pub const NAMES_SHOWN: usize = 5;

/// The distinct non-empty values, in first-seen order: the first [`NAMES_SHOWN`], then
/// `and N more`.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for v in values.filter(|v| !v.is_empty()) {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    let mut text = seen
        .iter()
        .take(NAMES_SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if seen.len() > NAMES_SHOWN {
        text += &format!(" and {} more", seen.len() - NAMES_SHOWN);
    }
    text
}

/// Severities from the most serious, as the register orders them.
pub const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];

/// Rank of a severity name (0 = critical; unknown names last).
pub fn rank(severity: &str) -> usize {
    SEVERITIES
        .iter()
        .position(|s| *s == severity)
        .unwrap_or(SEVERITIES.len())
}

/// One register entry: the findings of one rule about one host (and actor and target).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RegisterEntry {
    /// `R1`, `R2`, ... in register order (also the HTML anchor `#R1`).
    pub id: String,
    /// Rule id.
    pub rule: String,
    /// Rule title.
    pub title: String,
    /// The most serious severity of its findings.
    pub severity: String,
    /// Status of its findings ([`FindingRow::status`]): entries never mix statuses.
    pub status: String,
    /// Host (empty when the rule is not about one).
    pub host: String,
    /// Who: the distinct actors of its findings and their evidence ([`NAMES_SHOWN`], then
    /// how many more).
    pub actor: String,
    /// The distinct targets of its findings, likewise.
    pub target: String,
    /// Findings in the entry.
    pub occurrences: usize,
    /// Records behind them (the evidence rows in `findings.csv`).
    pub records: usize,
    /// First time of its findings.
    pub first: String,
    /// Last time of its findings.
    pub last: String,
    /// Its finding ids, in time order.
    pub findings: Vec<String>,
    /// `time: summary` of the first [`OCCURRENCES_SHOWN`] findings.
    pub occurrences_shown: Vec<String>,
    /// The first evidence rows ([`EVIDENCE_SAMPLE`] for critical, one for high, none below).
    pub evidence: Vec<EvidenceRow>,
    /// `file:line` of its first record (empty when it has none).
    pub first_source: String,
    /// The controls whose exceptions these are (`PCI DSS 4.0.1 10.2.1.2`).
    pub controls: Vec<String>,
    /// The exceptions register entries that accept its findings (`exception #2: owner,
    /// reason, expires 2026-12-31, ticket CHG-1`), each once; empty for open findings.
    pub accepted_by: Vec<String>,
}

/// Groups the findings into entries, ordered by severity (critical first), then rule, host;
/// sets each finding's [`FindingRow::entry`] and each control's
/// [`ControlRow::entries`].
pub fn group(findings: &mut [FindingRow], controls: &mut [ControlRow]) -> Vec<RegisterEntry> {
    type Key = (String, String, String);
    let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        let key = (f.rule.clone(), f.host.clone(), f.status.clone());
        groups.entry(key).or_default().push(i);
    }
    let mut by_finding: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in controls.iter() {
        for id in &c.findings {
            by_finding
                .entry(id.as_str())
                .or_default()
                .push(format!("{} {}", c.framework, c.id));
        }
    }
    let mut entries: Vec<RegisterEntry> = groups
        .into_iter()
        .map(|((rule, host, status), mut members)| {
            members.sort_by(|&a, &b| findings[a].time.cmp(&findings[b].time).then(a.cmp(&b)));
            let rows: Vec<&FindingRow> = members.iter().map(|&i| &findings[i]).collect();
            let severity = rows
                .iter()
                .map(|f| f.severity.as_str())
                .min_by_key(|s| rank(s))
                .unwrap_or("info")
                .to_string();
            let mut affected: Vec<String> = rows
                .iter()
                .flat_map(|f| by_finding.get(f.id.as_str()).into_iter().flatten())
                .cloned()
                .collect();
            affected.sort();
            affected.dedup();
            let evidence = rows
                .iter()
                .flat_map(|f| f.evidence.iter())
                .take(sample(&severity))
                .cloned()
                .collect();
            let first_source = rows
                .iter()
                .flat_map(|f| f.evidence.first())
                .next()
                .map(|x| x.source.clone())
                .unwrap_or_default();
            let mut accepted_by: Vec<String> = Vec::new();
            for t in rows.iter().filter_map(|f| f.exception.as_ref()).map(|e| {
                let mut t = format!(
                    "exception #{}: {}, {}, expires {}",
                    e.entry, e.owner, e.reason, e.expires
                );
                if let Some(ticket) = &e.ticket {
                    t += &format!(", ticket {ticket}");
                }
                t
            }) {
                if !accepted_by.contains(&t) {
                    accepted_by.push(t);
                }
            }
            RegisterEntry {
                id: String::new(),
                accepted_by,
                evidence,
                first_source,
                title: rows.first().map(|f| f.title.clone()).unwrap_or_default(),
                severity,
                occurrences: rows.len(),
                records: rows.iter().map(|f| f.evidence.len()).sum(),
                first: rows.first().map(|f| f.time.clone()).unwrap_or_default(),
                last: rows
                    .iter()
                    .map(|f| f.last.clone())
                    .max()
                    .unwrap_or_default(),
                findings: rows.iter().map(|f| f.id.clone()).collect(),
                occurrences_shown: rows
                    .iter()
                    .take(OCCURRENCES_SHOWN)
                    .map(|f| format!("{} {}: {}", f.id, f.time, f.summary))
                    .collect(),
                controls: affected,
                actor: distinct(rows.iter().flat_map(|f| {
                    std::iter::once(f.actor.as_str())
                        .chain(f.evidence.iter().map(|e| e.actor.as_str()))
                })),
                target: distinct(rows.iter().flat_map(|f| {
                    std::iter::once(f.target.as_str())
                        .chain(f.evidence.iter().map(|e| e.target.as_str()))
                })),
                rule,
                status,
                host,
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        rank(&a.severity)
            .cmp(&rank(&b.severity))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.host.cmp(&b.host))
            .then_with(|| a.status.cmp(&b.status))
    });
    let mut entry_of: BTreeMap<String, String> = BTreeMap::new();
    for (n, e) in entries.iter_mut().enumerate() {
        e.id = format!("R{}", n + 1);
        for f in &e.findings {
            entry_of.insert(f.clone(), e.id.clone());
        }
    }
    for f in findings.iter_mut() {
        f.entry = entry_of.get(&f.id).cloned().unwrap_or_default();
    }
    let order: BTreeMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    for c in controls.iter_mut() {
        let mut ids: Vec<String> = c
            .findings
            .iter()
            .filter_map(|f| entry_of.get(f).cloned())
            .collect();
        ids.sort_by_key(|id| order.get(id.as_str()).copied().unwrap_or(usize::MAX));
        ids.dedup();
        c.entries = ids;
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &str, rule: &str, severity: &str, host: &str, time: &str) -> FindingRow {
        FindingRow {
            id: id.into(),
            rule: rule.into(),
            title: format!("{rule} title"),
            severity: severity.into(),
            status: "open".into(),
            entry: String::new(),
            host: host.into(),
            time: time.into(),
            last: time.into(),
            actor: String::new(),
            target: String::new(),
            summary: format!("{id} summary"),
            exception: None,
            evidence: (0..4)
                .map(|i| EvidenceRow {
                    host: host.into(),
                    time: time.into(),
                    actor: String::new(),
                    target: String::new(),
                    result: String::new(),
                    source: format!("a.log:{i}"),
                    raw_line: format!("line {i}"),
                })
                .collect(),
        }
    }

    #[test]
    fn one_entry_per_rule_and_host_critical_first_linked_both_ways() {
        let mut findings = vec![
            finding("F-AUD-09#1", "F-AUD-09", "high", "app-01", "2026-10-02"),
            finding("F-AUD-09#2", "F-AUD-09", "high", "app-01", "2026-10-01"),
            finding("F-AUD-09#3", "F-AUD-09", "high", "web-01", "2026-10-03"),
            finding("F-AUD-12#1", "F-AUD-12", "critical", "db-01", "2026-10-05"),
        ];

        let mut controls = vec![ControlRow {
            framework: "PCI DSS 4.0.1".into(),
            id: "10.7.2".into(),
            title: "t".into(),
            status: "exceptions".into(),
            provability: String::new(),
            evidence: Vec::new(),
            findings: vec![
                "F-AUD-09#1".into(),
                "F-AUD-12#1".into(),
                "F-AUD-09#2".into(),
            ],
            entries: Vec::new(),
            note: String::new(),
            coverage: Vec::new(),
        }];
        let entries = group(&mut findings, &mut controls);
        let ids: Vec<(&str, &str, usize)> = entries
            .iter()
            .map(|e| (e.rule.as_str(), e.host.as_str(), e.occurrences))
            .collect();
        assert_eq!(
            ids,
            [
                ("F-AUD-12", "db-01", 1),
                ("F-AUD-09", "app-01", 2),
                ("F-AUD-09", "web-01", 1)
            ]
        );
        let silence = &entries[1];
        assert_eq!(silence.id, "R2");
        assert_eq!(silence.first, "2026-10-01");
        assert_eq!(silence.last, "2026-10-02");
        assert_eq!(silence.findings, ["F-AUD-09#2", "F-AUD-09#1"]);
        assert_eq!(silence.records, 8);
        assert_eq!(silence.evidence.len(), 1, "a high entry shows one raw line");
        assert_eq!(entries[0].evidence.len(), EVIDENCE_SAMPLE.min(4));
        assert_eq!(silence.controls, ["PCI DSS 4.0.1 10.7.2"]);
        assert_eq!(findings[0].entry, "R2");
        assert_eq!(findings[3].entry, "R1");
        assert_eq!(controls[0].entries, ["R1", "R2"]);
    }

    #[test]
    fn statuses_are_never_mixed_in_one_entry() {
        let mut findings = vec![
            finding("F-AUD-09#1", "F-AUD-09", "high", "app-01", "2026-10-02"),
            finding("F-AUD-09#2", "F-AUD-09", "high", "app-01", "2026-10-01"),
        ];
        findings[1].status = "accepted".into();
        let entries = group(&mut findings, &mut []);
        assert_eq!(entries.len(), 2);
    }
}
