//! Applies an exceptions register ([`crate::site::exceptions`]) to the rules' findings and
//! says what became of each entry.
//!
//! An entry matches a finding when the rule is the same and every condition it states
//! holds: `host` equals the finding's host; `actor` (`target`): at least one evidence item
//! names an actor (target) and every item that names one names this one; `match` is a
//! substring of the finding's summary. An entry holds until the end of its `expires` day:
//! it accepts a finding only when `expires` is on or after the last day of the period
//! (the day, in the period's zone, of the instant just before the period's end), so an
//! acceptance never covers part of a period. The first unexpired matching entry (in file
//! order) is the one recorded on the finding (`Finding::exception`).
//!
//! The [`Register`] lists every entry: `accepted` (N findings), `expired` (it matched, the
//! findings stay open), `unmatched` (it matched nothing this period).

use super::{Finding, RuleOutcome};
use crate::site::exceptions::{Exception, ExceptionsFile};
use chrono::NaiveDate;
use serde::Serialize;

/// What became of one entry this period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryStatus {
    /// Unexpired and matching: its findings are accepted.
    Accepted,
    /// Matching, but expired before the period's last day: its findings stay open.
    Expired,
    /// It matched no finding this period.
    Unmatched,
}

impl EntryStatus {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryStatus::Accepted => "accepted",
            EntryStatus::Expired => "expired",
            EntryStatus::Unmatched => "unmatched",
        }
    }
}

/// One entry of the register with what it did this period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegisterEntry {
    /// The entry as the file states it.
    #[serde(flatten)]
    pub exception: Exception,
    /// What became of it.
    pub status: EntryStatus,
    /// Findings it matched (accepted or, when expired, left open).
    pub findings: u64,
    /// One line for people: `accepted 2 finding(s)`, `expired 2026-01-31; 1 finding(s)
    /// left open`, `matched nothing this period`.
    pub note: String,
}

/// The exceptions register of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Register {
    /// The file.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
    /// The day entries are compared with (`expires` on or after it holds); absent when the
    /// input has no time to compare with (no record, unbounded period).
    pub period_last_day: Option<NaiveDate>,
    /// Findings accepted.
    pub accepted: u64,
    /// Entries expired that matched findings (left open).
    pub expired: u64,
    /// Entries that matched nothing.
    pub unmatched: u64,
    /// Every entry, in file order.
    pub entries: Vec<RegisterEntry>,
}

/// True when `e` matches `f` (whatever its expiry).
pub fn matches(e: &Exception, f: &Finding) -> bool {
    let names = |get: fn(&super::Evidence) -> Option<&String>, want: &str| {
        let mut named = f.evidence.iter().filter_map(get).peekable();
        named.peek().is_some() && named.all(|v| v == want)
    };
    e.rule == f.rule
        && e.host.as_ref().is_none_or(|h| f.host.as_ref() == Some(h))
        && e.actor
            .as_ref()
            .is_none_or(|a| names(|v| v.actor.as_ref(), a))
        && e.target
            .as_ref()
            .is_none_or(|t| names(|v| v.target.as_ref(), t))
        && e.matches
            .as_ref()
            .is_none_or(|m| f.summary.contains(m.as_str()))
}

/// Marks the findings of `rules` the file's unexpired entries accept and returns the
/// register. `last_day` is the period's last day (`None`: nothing expires).
pub fn apply(
    rules: &mut [RuleOutcome],
    file: &ExceptionsFile,
    last_day: Option<NaiveDate>,
) -> Register {
    let holds = |e: &Exception| last_day.is_none_or(|d| e.expires >= d);
    let mut counts = vec![0u64; file.entries.len()];
    let mut accepted = 0u64;
    for f in rules.iter_mut().flat_map(|r| r.findings.iter_mut()) {
        f.exception = None;
        f.expired_exception = None;
        for (i, e) in file.entries.iter().enumerate() {
            if !matches(e, f) {
                continue;
            }
            counts[i] = counts[i].saturating_add(1);
            if f.exception.is_none() && holds(e) {
                f.exception = Some(e.clone());
                accepted = accepted.saturating_add(1);
            } else if f.expired_exception.is_none() && !holds(e) {
                f.expired_exception = Some(e.clone());
            }
        }
        if f.exception.is_some() {
            f.expired_exception = None;
        }
    }
    let entries: Vec<RegisterEntry> = file
        .entries
        .iter()
        .zip(counts)
        .map(|(e, n)| {
            let (status, note) = match (n, holds(e)) {
                (0, true) => (
                    EntryStatus::Unmatched,
                    "matched nothing this period".to_string(),
                ),
                (0, false) => (
                    EntryStatus::Unmatched,
                    format!("matched nothing this period (expired {})", e.expires),
                ),
                (n, true) => (EntryStatus::Accepted, format!("accepted {n} finding(s)")),
                (n, false) => (
                    EntryStatus::Expired,
                    format!("expired {}; {n} finding(s) left open", e.expires),
                ),
            };
            RegisterEntry {
                exception: e.clone(),
                status,
                findings: n,
                note,
            }
        })
        .collect();
    let count = |s: EntryStatus| entries.iter().filter(|e| e.status == s).count() as u64;
    Register {
        file: file.path.display().to_string(),
        sha256: file.sha256.clone(),
        period_last_day: last_day,
        accepted,
        expired: count(EntryStatus::Expired),
        unmatched: count(EntryStatus::Unmatched),
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Evidence, Severity, Status};
    use crate::model::{FileId, Source};

    fn finding(rule: &'static str, host: &str, actor: &str, summary: &str) -> Finding {
        let ev = Evidence {
            host: host.to_string(),
            time_ms: 1_000,
            actor: Some(actor.to_string()),
            target: None,
            result: None,
            what: String::new(),
            source: Source {
                file: FileId(0),
                line: 1,
            },
        };
        Finding::new(
            rule,
            Severity::High,
            summary.to_string(),
            Some(host.to_string()),
            vec![ev],
        )
    }

    fn outcome(findings: Vec<Finding>) -> RuleOutcome {
        RuleOutcome {
            id: "F-AUTH-01",
            title: "t",
            severity: Severity::High,
            parameters: Default::default(),
            status: Status::Findings,
            reason: None,
            findings,
            findings_omitted: 0,
        }
    }

    fn file(text: &str) -> ExceptionsFile {
        let entries = crate::site::exceptions::parse(text, &|_| true).unwrap();
        ExceptionsFile {
            path: "x.toml".into(),
            bytes: 0,
            sha256: String::new(),
            entries,
        }
    }

    fn day(s: &str) -> Option<NaiveDate> {
        Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    const ENTRIES: &str = r#"
[[exception]]
rule = "F-AUTH-01"
host = "web01"
actor = "scanner"
owner = "Ops"
reason = "vulnerability scanner"
expires = 2026-10-31

[[exception]]
rule = "F-AUTH-01"
match = "db02"
owner = "DBA"
reason = "old"
expires = 2026-09-30

[[exception]]
rule = "F-AUTH-01"
host = "nowhere"
owner = "Ops"
reason = "decommissioned"
expires = 2027-01-01
"#;

    #[test]
    fn accepted_expired_and_unmatched() {
        let mut rules = vec![outcome(vec![
            finding("F-AUTH-01", "web01", "scanner", "5 failures on web01"),
            finding("F-AUTH-01", "web01", "mallory", "5 failures on web01"),
            finding("F-AUTH-01", "db02", "bob", "9 failures on db02"),
        ])];
        let reg = apply(&mut rules, &file(ENTRIES), day("2026-10-31"));
        let f = &rules[0].findings;
        assert_eq!(f[0].exception.as_ref().map(|e| e.entry), Some(1));
        assert!(f[1].is_open(), "another actor is not accepted");
        assert!(f[2].is_open(), "an expired entry leaves its finding open");
        let notes: Vec<(EntryStatus, &str)> = reg
            .entries
            .iter()
            .map(|e| (e.status, e.note.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (EntryStatus::Accepted, "accepted 1 finding(s)"),
                (
                    EntryStatus::Expired,
                    "expired 2026-09-30; 1 finding(s) left open"
                ),
                (EntryStatus::Unmatched, "matched nothing this period"),
            ]
        );
        assert_eq!((reg.accepted, reg.expired, reg.unmatched), (1, 1, 1));
        assert_eq!(super::super::worst(&rules), Some(Severity::High));
    }

    #[test]
    fn an_entry_expiring_before_the_last_day_does_not_hold() {
        let mut rules = vec![outcome(vec![finding("F-AUTH-01", "web01", "scanner", "x")])];
        let reg = apply(&mut rules, &file(ENTRIES), day("2026-11-01"));
        assert!(rules[0].findings[0].is_open());
        assert_eq!(reg.entries[0].status, EntryStatus::Expired);
        let reg = apply(&mut rules, &file(ENTRIES), day("2026-10-31"));
        assert!(!rules[0].findings[0].is_open());
        assert_eq!(reg.entries[0].status, EntryStatus::Accepted);
        assert_eq!(
            super::super::worst(&rules),
            None,
            "accepted findings do not fail a run"
        );
    }
}
