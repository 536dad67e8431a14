//! Every limit on memory, in one place, and what is counted past a limit.
//!
//! Log fields are attacker-controlled: a log can name a million hosts, signatures or
//! accounts, hold one event open for millions of lines or interleave thousands. Every
//! structure that grows with a key taken from the log has a limit here. Past it:
//! - totals stay exact (every event, record and denial is still counted);
//! - the keys past the limit are counted as distinct 64-bit fingerprints (exact up to
//!   [`DISTINCT`] of them; past that, "at least") and their records are counted together
//!   ([`Beyond`]);
//! - the overflow is reported ([`LimitReached`]): `check` and the summary's `input` section
//!   for the reader's limits, the summary's `limits_reached`, the report's scope and the text
//!   outputs for the aggregation's;
//! - a rule that reads a population cut at a limit says *not evaluated* rather than pass.
//!
//! The figures below keep `check` under 64 MB and `summary`/`findings`/`report` under
//! 512 MB on the pathological logs of `examples/pathological.rs` (README, "Performance").

use rustc_hash::FxHashSet;
use serde::Serialize;
use std::hash::{Hash, Hasher};

/// Longest line kept, in bytes; longer lines are rejected as `too-long`.
pub const LINE_BYTES: usize = 16 << 20;

/// Most events open at once in the assembler (`--max-open-events`); past it the oldest is
/// completed (`evicted`).
pub const OPEN_EVENTS: usize = 8192;

/// Largest event, in bytes of record text and record metadata; past it the event is
/// completed (`oversize`).
pub const EVENT_BYTES: usize = 4 << 20;

/// Bytes allocated for all open events together; past it the oldest open events are
/// completed (`evicted`) until the rest fit.
pub const OPEN_EVENT_BYTES: usize = 24 << 20;

/// Bytes of events in one batch handed from the reading thread to the aggregating thread.
pub const BATCH_BYTES: usize = 2 << 20;

/// Largest event buffer kept for reuse; larger ones are freed once the event is done.
pub const RECYCLED_EVENT_BYTES: usize = 64 << 10;

/// Nodes listed one by one in the input quality (`check`); the others are counted together.
pub const NODES: usize = 10_000;

/// Hosts with their own coverage and per-host breakdowns in a summary.
pub const HOSTS: usize = 10_000;

/// Local days in the per-day breakdowns of a summary (ten years).
pub const DAYS: usize = 3_660;

/// Facts kept per list (the first ones in input order); the rest are counted as `omitted`.
pub const FACTS_PER_LIST: usize = 5000;

/// Distinct MAC denial signatures kept, each with its denials.
pub const SIGNATURES: usize = 20_000;

/// Denials kept across all signatures (each signature also keeps at most
/// [`FACTS_PER_LIST`]); the rest are counted as `omitted`.
pub const SIGNATURE_FACTS: usize = 100_000;

/// Keys of each breakdown by account, origin, terminal, executable, actor, unit or target.
pub const KEYS: usize = 20_000;

/// Entries of per-host coverage across all hosts together: days, activity buckets, serial
/// runs and segments, daemon timeline entries, clock steps.
pub const COVERAGE_ENTRIES: usize = 1_000_000;

/// Findings listed per rule (those of the highest severity first, then in time order);
/// the rest are counted in the rule's outcome (`findings_omitted`), never dropped silently.
/// Every policy control that a rule raises exceptions against copies its findings, so this
/// bounds the memory of `findings` and `report` when a hostile log makes a rule fire once
/// per event.
pub const FINDINGS_PER_RULE: usize = 1_000;

/// Distinct keys counted past a limit, as 64-bit fingerprints (8 bytes each, about 18 MB
/// when full); past it the count is a lower bound.
pub const DISTINCT: usize = 1 << 20;

/// Longest raw line a report or a summary.json shows, in bytes; longer ones are cut with a
/// `[... N more bytes]` mark.
pub const RAW_LINE_BYTES: usize = 4096;

/// Bytes of raw lines a summary.json carries for the sources it cites (its lists, coverage
/// entries, ...), the lowest file:line first; the cited lines past it are counted
/// (`raw_lines.not_kept`), not carried.
pub const RAW_LINES_BYTES: usize = 64 << 20;

/// The largest count a summary.json may state: 2^53 - 1 (exact in every JSON reader; the
/// sum of the parts of a merge is checked against `u64`).
pub const MAX_COUNT: u64 = (1 << 53) - 1;

/// The aggregation limits as values, so that tests can lower them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// [`HOSTS`].
    pub hosts: usize,
    /// [`DAYS`].
    pub days: usize,
    /// [`SIGNATURES`].
    pub signatures: usize,
    /// [`SIGNATURE_FACTS`].
    pub signature_facts: usize,
    /// [`KEYS`].
    pub keys: usize,
    /// [`COVERAGE_ENTRIES`].
    pub coverage_entries: usize,
    /// [`DISTINCT`].
    pub distinct: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            hosts: HOSTS,
            days: DAYS,
            signatures: SIGNATURES,
            signature_facts: SIGNATURE_FACTS,
            keys: KEYS,
            coverage_entries: COVERAGE_ENTRIES,
            distinct: DISTINCT,
        }
    }
}

/// The keys past a limit: how many distinct ones, and how many records they had.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Beyond {
    fingerprints: FxHashSet<u64>,
    /// More distinct keys than [`Limits::distinct`] fingerprints were seen.
    at_least: bool,
    records: u64,
}

/// A 64-bit fingerprint of a key (the standard library's SipHash with its fixed keys: the
/// same in every run of one build).
pub fn fingerprint(key: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

impl Beyond {
    /// Counts one record of `key`, a key past the limit.
    pub fn add(&mut self, key: &[u8], distinct: usize) {
        self.records += 1;
        self.note(fingerprint(key), distinct);
    }

    fn note(&mut self, fp: u64, distinct: usize) {
        if self.fingerprints.len() < distinct {
            self.fingerprints.insert(fp);
        } else if !self.fingerprints.contains(&fp) {
            self.at_least = true;
        }
    }

    /// Counts `n` more records of keys already noted.
    pub fn add_records(&mut self, n: u64) {
        self.records += n;
    }

    /// Adds `other` (another part of the input).
    pub fn merge(&mut self, other: &Beyond, distinct: usize) {
        self.records += other.records;
        self.at_least |= other.at_least;
        for &fp in &other.fingerprints {
            self.note(fp, distinct);
        }
    }

    /// True when `key` may be among the keys past the limit: its fingerprint was noted, or
    /// there were more keys than fingerprints.
    pub fn may_contain(&self, key: &[u8]) -> bool {
        self.at_least || self.fingerprints.contains(&fingerprint(key))
    }

    /// Distinct keys past the limit (a lower bound when [`Beyond::at_least`]).
    pub fn distinct(&self) -> u64 {
        self.fingerprints.len() as u64
    }

    /// True when [`Beyond::distinct`] is a lower bound.
    pub fn at_least(&self) -> bool {
        self.at_least
    }

    /// Records of the keys past the limit.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// True when no key went past the limit.
    pub fn is_empty(&self) -> bool {
        self.records == 0 && self.fingerprints.is_empty()
    }

    /// What to report when a population of `listed` keys (at its limit `limit`) left these
    /// keys out; `None` when none was left out.
    pub fn reached(
        &self,
        what: &'static str,
        noun: &'static str,
        unit: &'static str,
        limit: usize,
        listed: usize,
    ) -> Option<LimitReached> {
        (!self.is_empty()).then(|| LimitReached {
            what,
            noun,
            unit,
            limit: limit as u64,
            listed: listed as u64,
            distinct: listed as u64 + self.distinct(),
            at_least: self.at_least,
            beyond: self.records,
        })
    }
}

/// A population cut at its limit, as the outputs report it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LimitReached {
    /// Which population (`mac.signatures`, `hosts`, `logins.by_origin`).
    pub what: &'static str,
    /// What its keys are, plural (`signatures`).
    #[serde(skip)]
    pub noun: &'static str,
    /// What `beyond` counts, plural (`denials`, `events`).
    pub unit: &'static str,
    /// The limit.
    pub limit: u64,
    /// Keys listed (the first ones in input order).
    pub listed: u64,
    /// Distinct keys in all (listed and past the limit).
    pub distinct: u64,
    /// True when `distinct` is a lower bound (more keys than fingerprints kept).
    pub at_least: bool,
    /// Records of the keys past the limit: in the totals, not broken down.
    pub beyond: u64,
}

impl LimitReached {
    /// For people: `limit reached: 1,000,000 distinct signatures, the first 20,000 listed
    /// (980,000 denials of the others are in the totals only)`.
    pub fn sentence(&self) -> String {
        let more = if self.at_least { "at least " } else { "" };
        format!(
            "limit reached: {more}{} distinct {}, the first {} listed ({} {} of the others \
             are in the totals only)",
            thousands(self.distinct),
            self.noun,
            thousands(self.listed),
            thousands(self.beyond),
            self.unit
        )
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_counts_distinct_keys_exactly_up_to_the_fingerprint_limit() {
        let mut b = Beyond::default();
        for i in 0..10u32 {
            b.add(format!("k{}", i % 4).as_bytes(), 3);
        }
        assert_eq!(b.records(), 10);
        assert_eq!(b.distinct(), 3);
        assert!(b.at_least(), "a fourth key past 3 fingerprints");
        let mut exact = Beyond::default();
        for i in 0..10u32 {
            exact.add(format!("k{}", i % 4).as_bytes(), 100);
        }
        assert_eq!((exact.distinct(), exact.at_least()), (4, false));
        let r = exact.reached("x", "keys", "records", 2, 2).unwrap();
        assert_eq!(r.distinct, 6);
        assert_eq!(
            r.sentence(),
            "limit reached: 6 distinct keys, the first 2 listed (10 records of the others are \
             in the totals only)"
        );
        assert!(Beyond::default().reached("x", "k", "r", 1, 1).is_none());
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
