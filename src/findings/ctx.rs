//! What every rule needs besides its own logic: the summary, the site configuration, the
//! host a fact belongs to, evidence items built from facts, local days, and an exact
//! sliding-window search.

use super::{Baseline, Evidence};
use crate::aggregate::{Listed, Summary};
use crate::classify::{Fact, Principal};
use crate::model::{duration_ms, MINUTE_MS};
use crate::site::SiteConfig;
use chrono::NaiveDate;
use std::ops::Range;

/// The input of a rule.
pub struct Ctx<'a> {
    /// The summary.
    pub summary: &'a Summary,
    /// The site configuration.
    pub site: &'a SiteConfig,
    /// Terminated accounts (account, day).
    pub terminations: &'a [(String, NaiveDate)],
    /// The previous period (`--baseline`), when given.
    pub baseline: Option<&'a Baseline>,
    tz: chrono_tz::Tz,
    only_host: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    /// A context over `summary`.
    pub fn new(
        summary: &'a Summary,
        site: &'a SiteConfig,
        terminations: &'a [(String, NaiveDate)],
    ) -> Self {
        let tz = summary.period().tz.parse().unwrap_or(chrono_tz::UTC);
        let only_host = match summary.hosts().len() {
            1 if !summary.hosts_cut() => summary.hosts().keys().next().map(String::as_str),
            _ => None,
        };
        Ctx {
            summary,
            site,
            terminations,
            baseline: None,
            tz,
            only_host,
        }
    }

    /// The same context with the previous period.
    pub fn with_baseline(mut self, baseline: Option<&'a Baseline>) -> Self {
        self.baseline = baseline;
        self
    }

    /// The host a fact belongs to: its `node=` name; without one, the only host of the
    /// input, else `(local)`. (Facts do not carry the input-group label; a run over several
    /// logs without `node=` names attributes their facts to `(local)`.)
    pub fn host(&self, fact: &Fact) -> String {
        match (&fact.node, self.only_host) {
            (Some(n), _) => n.to_string(),
            (None, Some(h)) => h.to_string(),
            (None, None) => "(local)".to_string(),
        }
    }

    /// Why a rule over every host's coverage cannot prove a pass: hosts past the host
    /// limit, or coverage entries past the coverage limit (`None` when neither).
    pub fn coverage_cut(&self) -> Option<String> {
        // Hosts merged from summaries of consecutive periods (`merge`): their silences
        // and serial gaps across the parts' boundaries are not computed.
        let merged: Vec<&str> = self
            .summary
            .hosts()
            .iter()
            .filter(|(_, h)| h.limited().activity || h.limited().serials)
            .map(|(name, _)| name.as_str())
            .take(5)
            .collect();
        if !self.summary.coverage_cut() {
            return (!merged.is_empty()).then(|| {
                format!(
                    "silences and serial gaps are not computed for {} (a host's coverage \
                     merged from summaries of consecutive periods, or cut at a limit)",
                    merged.join(", ")
                )
            });
        }
        let why: Vec<String> = self
            .summary
            .limits_reached()
            .iter()
            .filter(|l| matches!(l.what, "hosts" | "earliest_before_period" | "coverage"))
            .map(|l| l.sentence())
            .collect();
        Some(why.join("; "))
    }

    /// `out`, unless it is empty while per-host coverage was cut at a limit: a rule that
    /// saw only some hosts (or part of their coverage) cannot prove a pass.
    pub fn over_hosts(&self, out: Vec<super::Finding>) -> super::Eval {
        match self.coverage_cut() {
            Some(why) if out.is_empty() => Err(why),
            _ => Ok(out),
        }
    }

    /// An evidence item for `fact`.
    pub fn evidence(&self, fact: &Fact, what: impl Into<String>) -> Evidence {
        Evidence {
            host: self.host(fact),
            time_ms: fact.time_ms,
            actor: fact.auid.as_ref().map(|p| p.name.to_string()),
            target: fact.target.as_ref().map(|p| p.name.to_string()),
            result: Some(fact.result),
            what: what.into(),
            source: fact.source,
        }
    }

    /// The local calendar day of `ms` in the period's zone.
    pub fn day(&self, ms: i64) -> NaiveDate {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&self.tz)
            .date_naive()
    }

    /// Epoch ms of the start of local day `d` in the period's zone (the earliest, when a
    /// DST change repeats midnight; the first valid instant when it skips it).
    pub fn day_start_ms(&self, d: NaiveDate) -> i64 {
        use chrono::TimeZone;
        let mut t = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        for _ in 0..4 {
            if let Some(x) = self.tz.from_local_datetime(&t).earliest() {
                return x.timestamp_millis();
            }
            match t.checked_add_signed(chrono::Duration::minutes(30)) {
                Some(next) => t = next,
                None => break,
            }
        }
        t.and_utc().timestamp_millis()
    }

    /// Ms per minute times `m`, saturating.
    pub fn minutes(m: u64) -> i64 {
        duration_ms(m, MINUTE_MS)
    }
}

/// True when a principal is set (not the unset id, not absent).
pub fn is_set(p: Option<&Principal>) -> bool {
    p.is_some_and(|p| !p.unset)
}

/// The last path component of an executable.
pub fn base(exe: Option<&str>) -> &str {
    exe.map_or("?", |e| e.rsplit('/').next().unwrap_or(e))
}

/// `Err` naming the facts a list counted but did not keep: a rule over an incomplete list
/// cannot prove a pass.
pub fn complete(lists: &[(&str, &Listed)]) -> Result<(), String> {
    for (name, l) in lists {
        if l.omitted() > 0 {
            return Err(format!(
                "{} {name} records were counted but not kept (list limit); \
                 run over a shorter period or per host",
                l.omitted()
            ));
        }
    }
    Ok(())
}

/// `Err` when a rule's population is absent (`total` is 0): over no records a rule would
/// pass without having looked at anything, so it is not evaluated instead. `source` says
/// what writes such records, when that is not obvious.
pub fn present(total: u64, what: &str, source: &str) -> Result<(), String> {
    match (total, source) {
        (0, "") => Err(format!("no {what} records in the period")),
        (0, s) => Err(format!("no {what} records in the period ({s})")),
        _ => Ok(()),
    }
}

/// Facts sorted by time, then source: the order every window rule uses, so results do not
/// depend on input order.
pub fn sorted<'f>(facts: impl IntoIterator<Item = &'f Fact>) -> Vec<&'f Fact> {
    let mut v: Vec<&Fact> = facts.into_iter().collect();
    v.sort_by_key(|f| (f.time_ms, f.source));
    v
}

/// Exact sliding windows: `times` sorted ascending; returns the maximal index ranges covered
/// by some window `[t, t + window_ms)` holding at least `min` items, merged when they
/// overlap (share an item).
pub fn bursts(times: &[i64], window_ms: i64, min: u64) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let min = usize::try_from(min.max(1)).unwrap_or(usize::MAX);
    let mut left = 0;
    for right in 0..times.len() {
        // A window of 0 ms holds nothing: `left` may pass `right`, never the end.
        while left <= right && times[right].saturating_sub(times[left]) >= window_ms {
            left += 1;
        }
        if right + 1 - left >= min {
            match out.last_mut() {
                Some(r) if left < r.end => r.end = right + 1,
                _ => out.push(left..right + 1),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::bursts;

    #[test]
    fn bursts_are_exact_at_the_window_edge() {
        // 3 items within 10 ms: [0, 10) holds 0, 5, 9 but not 10.
        assert_eq!(bursts(&[0, 5, 9, 10], 10, 3), vec![0..4]);
        assert_eq!(
            bursts(&[0, 5, 10], 10, 3),
            Vec::<std::ops::Range<usize>>::new()
        );
        assert_eq!(bursts(&[0, 1, 2, 100, 101, 102], 10, 3), vec![0..3, 3..6]);
        // A zero-width window holds nothing (it used to index past the end).
        assert!(bursts(&[0, 0, 5], 0, 1).is_empty());
        assert_eq!(bursts(&[0, 5], i64::MAX, 2), vec![0..2]);
    }
}
