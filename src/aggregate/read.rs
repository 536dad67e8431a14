//! A [`Summary`] read back from its `summary.json`, so that what reads an archived summary
//! (`compare`, `trend`, `--baseline`) can hold the same typed value a run builds.
//!
//! The file holds every count, breakdown and listed fact, but not all of a summary's
//! working state: the keys counted past a limit are stated (`limits_reached`), not
//! listed; a host's serial runs are written as the gaps between them; actor sets as their
//! size. So a summary read back keeps what the file states where its parts cannot give it
//! again, the metrics and the limits reached, and writes them out unchanged: serialized,
//! read back and serialized again, a summary gives the same bytes (tested on the samples
//! and the corpus). Its parts are for reading: merging summaries read back, or adding
//! events to them, is not what they are for.
//!
//! Only [`super::SCHEMA_VERSION`] is read; an older or newer `schema_version` is refused
//! by name.

use super::{accounts, anomalies, config, credentials, daemon, logins, mac, privilege};
use super::{watches, AureportCounts, HostCoverage, OutsideRange, PeriodInfo, Summary};
use crate::limits::{Beyond, Limits, MAX_COUNT};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// What a summary.json states that its parts cannot give again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Stated {
    /// `metrics`, as written.
    metrics: BTreeMap<String, u64>,
    /// `limits_reached`, as written.
    limits_reached: Vec<LimitStated>,
    /// The largest count the file states (at most [`MAX_COUNT`]): a merge checks that the
    /// sum of its parts' cannot overflow.
    largest_count: u64,
}

impl Stated {
    /// What a combination of summaries states ([`super::combine`]), whose counts sum to at
    /// most `largest_count`.
    pub(super) fn new(
        metrics: BTreeMap<String, u64>,
        limits_reached: Vec<LimitStated>,
        largest_count: u64,
    ) -> Self {
        Stated {
            metrics,
            limits_reached,
            largest_count,
        }
    }

    /// The largest count the file states.
    pub(super) fn largest_count(&self) -> u64 {
        self.largest_count
    }

    /// `limits_reached`, as written.
    pub(super) fn limits_reached(&self) -> &[LimitStated] {
        &self.limits_reached
    }
}

impl From<&crate::limits::LimitReached> for LimitStated {
    fn from(l: &crate::limits::LimitReached) -> Self {
        LimitStated {
            what: l.what.to_string(),
            unit: l.unit.to_string(),
            limit: l.limit,
            listed: l.listed,
            distinct: l.distinct,
            at_least: l.at_least,
            beyond: l.beyond,
        }
    }
}

/// One entry of `limits_reached` as written (see [`crate::limits::LimitReached`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitStated {
    /// Which population.
    pub what: String,
    /// What `beyond` counts.
    pub unit: String,
    /// The limit.
    pub limit: u64,
    /// Keys listed.
    pub listed: u64,
    /// Distinct keys in all.
    pub distinct: u64,
    /// True when `distinct` is a lower bound.
    pub at_least: bool,
    /// Records of the keys past the limit.
    pub beyond: u64,
}

/// The metrics to write: as read, or computed.
pub(super) fn metrics(s: &Summary) -> BTreeMap<&str, u64> {
    match &s.read {
        Some(r) => r.metrics.iter().map(|(k, &v)| (k.as_str(), v)).collect(),
        None => s.metrics(),
    }
}

/// Writes `limits_reached` (as read, or computed), or skips it when empty.
pub(super) fn limits_reached<S: SerializeStruct>(s: &Summary, st: &mut S) -> Result<(), S::Error> {
    match &s.read {
        Some(r) if !r.limits_reached.is_empty() => {
            st.serialize_field("limits_reached", &r.limits_reached)
        }
        Some(_) => st.skip_field("limits_reached"),
        None => {
            let limits = s.limits_reached();
            if limits.is_empty() {
                st.skip_field("limits_reached")
            } else {
                st.serialize_field("limits_reached", &limits)
            }
        }
    }
}

/// A time as [`crate::model::format_ms`] writes it.
pub(super) fn time<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let text = String::deserialize(d)?;
    chrono::DateTime::parse_from_rfc3339(&text)
        .map(|t| t.timestamp_millis())
        .map_err(|_| serde::de::Error::custom(format!("{:?} is not a time", text.escape_debug())))
}

/// A map of host -> time.
fn times<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, i64>, D::Error> {
    #[derive(Deserialize)]
    struct Time(#[serde(deserialize_with = "time")] i64);
    let m = BTreeMap::<String, Time>::deserialize(d)?;
    Ok(m.into_iter().map(|(k, Time(t))| (k, t)).collect())
}

/// `summary.json` as written by [`Summary`]'s `Serialize`.
#[derive(Deserialize)]
struct SummaryFile {
    schema_version: u32,
    period: PeriodInfo,
    silence_threshold_ms: i64,
    metrics: BTreeMap<String, u64>,
    hosts: BTreeMap<String, HostCoverage>,
    #[serde(deserialize_with = "times")]
    earliest_before_period: BTreeMap<String, i64>,
    #[serde(default)]
    hosts_outside_period: BTreeMap<String, OutsideRange>,
    accounts: accounts::Accounts,
    logins: logins::Logins,
    credentials: credentials::Credentials,
    privilege: privilege::Privilege,
    mac: mac::Mac,
    daemon: daemon::Daemon,
    config: config::Config,
    anomalies: anomalies::Anomalies,
    #[serde(default)]
    limits_reached: Vec<LimitStated>,
    watches: watches::Watches,
    aureport_equivalent: Option<AureportCounts>,
    #[serde(default)]
    raw_lines: super::raw::RawLines,
}

impl<'de> Deserialize<'de> for Summary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = SummaryFile::deserialize(d)?;
        if f.schema_version != super::SCHEMA_VERSION {
            return Err(serde::de::Error::custom(format!(
                "summary schema_version {} is not supported (this auditrail reads version {})",
                f.schema_version,
                super::SCHEMA_VERSION
            )));
        }
        let metric = |id: &str| f.metrics.get(id).copied().unwrap_or(0);
        let days = f.hosts.values().flat_map(|h| h.by_day().keys().copied());
        let limits = Limits::default();
        let mut summary = Summary {
            silence_ms: f.silence_threshold_ms,
            events: metric("events"),
            outside_period: metric("outside_period"),
            orphan_eoe: metric("events.orphan_eoe"),
            days: days.collect(),
            hosts: f.hosts,
            hosts_beyond: Beyond::default(),
            before_period: f.earliest_before_period,
            outside_hosts: f.hosts_outside_period,
            outside_beyond: Beyond::default(),
            before_beyond: Beyond::default(),
            days_beyond: Beyond::default(),
            budget: super::coverage::Budget::new(limits.coverage_entries),
            limits,
            accounts: f.accounts,
            logins: f.logins,
            credentials: f.credentials,
            privilege: f.privilege,
            mac: f.mac,
            daemon: f.daemon,
            config: f.config,
            anomalies: f.anomalies,
            watches: f.watches,
            aureport_computed: f.aureport_equivalent.is_some(),
            aureport: f.aureport_equivalent.unwrap_or_default(),
            read: Some(Box::new(Stated {
                metrics: f.metrics,
                limits_reached: f.limits_reached,
                largest_count: 0,
            })),
            period: f.period,
            raw: f.raw_lines,
        };
        // Every count in range, so that the sums of a merge are checked once, per part
        // (see `combine`), rather than at every addition.
        let largest = super::walk::largest_count(&summary, MAX_COUNT).map_err(|(key, v)| {
            serde::de::Error::custom(format!(
                "key `{key}`: {v} is not a count (a whole number from 0 to {MAX_COUNT})"
            ))
        })?;
        if let Some(r) = &mut summary.read {
            r.largest_count = largest;
        }
        Ok(summary)
    }
}
