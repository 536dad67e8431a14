//! Per-category aggregation over a reporting period: facts in, a mergeable [`Summary`] out.
//!
//! [`Aggregator::add_event`] classifies an event ([`crate::classify`]) and adds its facts to
//! one aggregator per category (`accounts`, `logins`, `credentials`, `privilege`, `mac`,
//! `daemon`, `config`, `anomalies`), and the event itself to its host's coverage
//! ([`coverage`]). Events outside the period are counted in `outside_period` and nothing else.
//!
//! A [`Summary`] is a value: private fields, accessors, `BTreeMap`s for a stable order, and
//! [`Summary::merge`], which adds a summary of a *later part of the same input* after this
//! one; merging the summaries of consecutive parts equals summarising the whole (see the
//! property test). Every count has per-host and per-day breakdowns and, except for routine
//! high-volume records named in each module, the list of facts behind it, each with its
//! `Source` (file id and line; the caller maps file ids to names).
//!
//! Metric ids ([`Summary::metrics`]) are stable: renderers, policies and trend comparisons
//! key on them.

pub mod accounts;
mod aggregator;
pub mod anomalies;
pub mod aureport;
pub mod capped;
pub mod combine;
pub mod config;
pub mod coverage;
pub mod credentials;
pub mod daemon;
pub mod folded;
mod host_names;
pub mod logins;
pub mod mac;
pub mod privilege;
pub mod raw;
mod read;
pub mod room;
pub mod tally;
mod walk;
pub mod watches;

pub use aggregator::Aggregator;
pub use aureport::AureportCounts;
pub use combine::{combine, CombineError, Combiner, Part};
pub use coverage::{HostCoverage, Limited, SerialGap, Silence, DEFAULT_SILENCE_MS};
pub use tally::{At, Breakdown, Counter, Listed, OkFail};
pub use watches::{WatchConfig, Watching};

use crate::classify::{Category, Fact};
use crate::limits::{Beyond, LimitReached, Limits};
use crate::model::Source;
use crate::parse::decode::to_text;
use crate::parse::Event;
use crate::period::Period;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};

/// Version of the summary's JSON shape.
pub const SCHEMA_VERSION: u32 = 1;

/// The name a host is reported under: its `node=` name; for records without one, the label
/// of its input group (see [`Aggregator::with_group_labels`]), else `(local)` for group 0 and
/// `(local #N)` for group N (separate inputs without node names are separate hosts).
pub fn host_name(event: &Event, group_labels: &[String]) -> String {
    match event.node() {
        Some(n) => to_text(n).into_owned(),
        None => match group_labels.get(event.group() as usize) {
            Some(label) => label.clone(),
            None if event.group() == 0 => "(local)".to_string(),
            None => format!("(local #{})", event.group()),
        },
    }
}

/// The period as the summary states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PeriodInfo {
    /// Inclusive start, epoch ms; `None` when unbounded.
    pub start_ms: Option<i64>,
    /// Exclusive end, epoch ms; `None` when unbounded.
    pub end_ms: Option<i64>,
    /// IANA zone of the per-day breakdowns.
    pub tz: String,
    /// What the user asked for.
    pub label: String,
}

impl PeriodInfo {
    fn of(p: &Period) -> Self {
        PeriodInfo {
            start_ms: (p.start_ms != i64::MIN).then_some(p.start_ms),
            end_ms: (p.end_ms != i64::MAX).then_some(p.end_ms),
            tz: p.tz.name().to_string(),
            label: p.label.clone(),
        }
    }
}

/// A host's events outside the period: how many, and the earliest and latest of them (time
/// and the source of the event's first record). A host with no event in the period but some
/// here is silent in the period (F-AUD-10), not absent from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct OutsideRange {
    /// Events of the host outside the period.
    pub events: u64,
    /// Earliest of them: time, epoch ms.
    #[serde(serialize_with = "ser_time", deserialize_with = "read::time")]
    pub first_ms: i64,
    /// Its source.
    pub first: Source,
    /// Latest of them: time, epoch ms.
    #[serde(serialize_with = "ser_time", deserialize_with = "read::time")]
    pub last_ms: i64,
    /// Its source.
    pub last: Source,
}

impl OutsideRange {
    fn new(time_ms: i64, source: Source) -> Self {
        OutsideRange {
            events: 1,
            first_ms: time_ms,
            first: source,
            last_ms: time_ms,
            last: source,
        }
    }

    /// Adds a later part's range (ties keep the earlier part's first, the later part's last).
    fn absorb(&mut self, o: &OutsideRange) {
        self.events += o.events;
        if o.first_ms < self.first_ms {
            (self.first_ms, self.first) = (o.first_ms, o.first);
        }
        if o.last_ms >= self.last_ms {
            (self.last_ms, self.last) = (o.last_ms, o.last);
        }
    }
}

fn ser_time<S: Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::model::format_ms(*ms))
}

/// Everything the reports need about one period, mergeable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    period: PeriodInfo,
    silence_ms: i64,
    events: u64,
    outside_period: u64,
    orphan_eoe: u64,
    hosts: BTreeMap<String, HostCoverage>,
    /// Hosts past [`Limits::hosts`]: their events are in the totals only.
    hosts_beyond: Beyond,
    /// Per host, the earliest event before the period (retention, F-AUD-14).
    before_period: BTreeMap<String, i64>,
    /// Per host, its events outside the period (before or after it).
    outside_hosts: BTreeMap<String, OutsideRange>,
    /// Hosts with events outside the period past [`Limits::hosts`].
    outside_beyond: Beyond,
    /// Hosts with events before the period past [`Limits::hosts`].
    before_beyond: Beyond,
    /// The local days with per-day breakdowns (at most [`Limits::days`]).
    days: BTreeSet<chrono::NaiveDate>,
    /// Days past the limit: their events are in the totals only.
    days_beyond: Beyond,
    /// Per-host coverage entries left (see [`coverage`]).
    budget: coverage::Budget,
    limits: Limits,
    accounts: accounts::Accounts,
    logins: logins::Logins,
    credentials: credentials::Credentials,
    privilege: privilege::Privilege,
    mac: mac::Mac,
    daemon: daemon::Daemon,
    config: config::Config,
    anomalies: anomalies::Anomalies,
    watches: watches::Watches,
    aureport: AureportCounts,
    /// False when the aureport view was not computed (see [`Aggregator::with_aureport`]).
    aureport_computed: bool,
    /// What a summary.json read back states that its parts cannot give again ([`read`]).
    read: Option<Box<read::Stated>>,
    /// The raw lines of the sources it cites, when read back from the logs ([`raw`]).
    raw: raw::RawLines,
}

impl Summary {
    /// An empty summary of `period`, with silences longer than `silence_ms` reported.
    pub fn new(period: &Period, silence_ms: i64) -> Self {
        Summary {
            period: PeriodInfo::of(period),
            silence_ms,
            events: 0,
            outside_period: 0,
            orphan_eoe: 0,
            hosts: BTreeMap::new(),
            hosts_beyond: Beyond::default(),
            before_period: BTreeMap::new(),
            outside_hosts: BTreeMap::new(),
            outside_beyond: Beyond::default(),
            before_beyond: Beyond::default(),
            days: BTreeSet::new(),
            days_beyond: Beyond::default(),
            budget: coverage::Budget::new(Limits::default().coverage_entries),
            limits: Limits::default(),
            accounts: Default::default(),
            logins: Default::default(),
            credentials: Default::default(),
            privilege: Default::default(),
            mac: Default::default(),
            daemon: Default::default(),
            config: Default::default(),
            anomalies: Default::default(),
            watches: Default::default(),
            aureport: AureportCounts::default(),
            aureport_computed: true,
            read: None,
            raw: raw::RawLines::default(),
        }
    }

    /// Adds the summary of a later part of the same input (see the module docs). The period
    /// and threshold of `self` are kept. Past a limit, totals stay exact but which keys are
    /// listed may differ from one run over the whole input.
    pub fn merge(&mut self, other: &Summary) {
        self.events += other.events;
        self.outside_period += other.outside_period;
        let distinct = self.limits.distinct;
        self.hosts_beyond.merge(&other.hosts_beyond, distinct);
        self.before_beyond.merge(&other.before_beyond, distinct);
        self.days.extend(other.days.iter().copied());
        self.days_beyond.merge(&other.days_beyond, distinct);
        for (host, &t) in &other.before_period {
            per_host(
                (&mut self.before_period, &mut self.before_beyond),
                host,
                self.limits.hosts,
                distinct,
                t,
                |mine, t| *mine = (*mine).min(t),
            );
        }
        self.outside_beyond.merge(&other.outside_beyond, distinct);
        for (host, r) in &other.outside_hosts {
            per_host(
                (&mut self.outside_hosts, &mut self.outside_beyond),
                host,
                self.limits.hosts,
                distinct,
                *r,
                |mine, r| mine.absorb(&r),
            );
        }
        self.orphan_eoe += other.orphan_eoe;
        for (name, h) in &other.hosts {
            match self.hosts.get_mut(name) {
                Some(mine) => mine.merge(h, self.silence_ms),
                None => {
                    let mut h = h.clone();
                    h.settle(self.silence_ms);
                    self.hosts.insert(name.clone(), h);
                }
            }
        }
        self.accounts.merge(&other.accounts);
        self.logins.merge(&other.logins);
        self.credentials.merge(&other.credentials);
        self.privilege.merge(&other.privilege);
        self.mac.merge(&other.mac);
        self.daemon.merge(&other.daemon);
        self.config.merge(&other.config);
        self.anomalies.merge(&other.anomalies);
        self.watches.merge(&other.watches);
        self.aureport.merge(&other.aureport);
        self.aureport_computed &= other.aureport_computed;
    }

    fn add_fact(&mut self, fact: Fact, at: At<'_>) {
        match fact.category {
            Category::Accounts => self.accounts.add(fact, at),
            Category::Logins => self.logins.add(fact, at),
            Category::Credentials => self.credentials.add(fact, at),
            Category::Privilege => self.privilege.add(fact, at),
            Category::Mac => self.mac.add(fact, at),
            Category::Daemon => self.daemon.add(fact, at),
            Category::Config => self.config.add(fact, at),
            Category::Anomalies => self.anomalies.add(fact, at),
            // Keyed events reach `watches` from their view, not as facts (see add_event).
            Category::Watches => {}
        }
    }

    /// The period.
    pub fn period(&self) -> &PeriodInfo {
        &self.period
    }
    /// Names the period `label`: the summaries of a month's days, merged, cover that month
    /// (`compare --summaries` names it as asked).
    pub fn set_period_label(&mut self, label: String) {
        self.period.label = label;
    }
    /// The silence threshold in ms.
    pub fn silence_threshold_ms(&self) -> i64 {
        self.silence_ms
    }
    /// Events inside the period.
    pub fn events(&self) -> u64 {
        self.events
    }
    /// Events outside the period (read, not reported).
    pub fn outside_period(&self) -> u64 {
        self.outside_period
    }
    /// Events that were a lone EOE record (not counted as events).
    pub fn orphan_eoe(&self) -> u64 {
        self.orphan_eoe
    }
    /// Coverage per host (the first [`Limits::hosts`] hosts in input order).
    pub fn hosts(&self) -> &BTreeMap<String, HostCoverage> {
        &self.hosts
    }
    /// Hosts with events outside the period, whether or not they have some in it (at
    /// most [`Limits::hosts`]; see [`Summary::outside_host_seen`]).
    pub fn outside_hosts(&self) -> &BTreeMap<String, OutsideRange> {
        &self.outside_hosts
    }
    /// True when `host` had events outside the period: listed, or (as far as fingerprints
    /// tell) past the host limit.
    pub fn outside_host_seen(&self, host: &str) -> bool {
        self.outside_hosts.contains_key(host) || self.outside_beyond.may_contain(host.as_bytes())
    }
    /// Distinct hosts with events in the period, listed or past the limit (a lower bound
    /// when more than [`Limits::distinct`] went past it).
    pub fn distinct_hosts(&self) -> u64 {
        self.hosts.len() as u64 + self.hosts_beyond.distinct()
    }
    /// True when `host` had events in the period: listed, or (as far as fingerprints tell)
    /// past the host limit.
    pub fn host_seen(&self, host: &str) -> bool {
        self.hosts.contains_key(host) || self.hosts_beyond.may_contain(host.as_bytes())
    }
    /// True when hosts went past the limit: [`Summary::hosts`] is not every host.
    pub fn hosts_cut(&self) -> bool {
        !self.hosts_beyond.is_empty()
            || !self.before_beyond.is_empty()
            || !self.outside_beyond.is_empty()
    }
    /// True when summaries of consecutive parts merged into this one hold what a single
    /// read would: no population was cut at its limit (which keys are kept past one depends
    /// on the order they arrive in), and the denials kept across signatures stayed below
    /// their shared limit (a single read stops keeping every signature's denials at the
    /// moment it is reached, which the parts cannot tell).
    pub fn merges_exactly(&self) -> bool {
        self.limits_reached().is_empty() && !self.mac.shared_limit_reached(&self.limits)
    }

    /// Every population cut at its limit, for the outputs to report.
    pub fn limits_reached(&self) -> Vec<LimitReached> {
        let l = &self.limits;
        let mut out = Vec::new();
        let hosts = self.hosts.len();
        out.extend(
            self.hosts_beyond
                .reached("hosts", "hosts", "events", l.hosts, hosts),
        );
        let before = self.before_period.len();
        out.extend(self.before_beyond.reached(
            "earliest_before_period",
            "hosts with events before the period",
            "events",
            l.hosts,
            before,
        ));
        out.extend(self.outside_beyond.reached(
            "hosts_outside_period",
            "hosts with events outside the period",
            "events",
            l.hosts,
            self.outside_hosts.len(),
        ));
        let days = self.days.len();
        out.extend(
            self.days_beyond
                .reached("days", "days", "events", l.days, days),
        );
        self.accounts.limits_reached(&mut out);
        let names = [
            "logins.login_breakdown.by_account",
            "logins.login_breakdown.by_origin",
            "logins.login_breakdown.by_terminal",
            "logins.login_breakdown.by_exe",
        ];
        self.logins
            .login_breakdown()
            .limits_reached(names, &mut out);
        let names = [
            "logins.auth_breakdown.by_account",
            "logins.auth_breakdown.by_origin",
            "logins.auth_breakdown.by_terminal",
            "logins.auth_breakdown.by_exe",
        ];
        self.logins.auth_breakdown().limits_reached(names, &mut out);
        self.credentials.limits_reached(&mut out);
        self.privilege.limits_reached(&mut out);
        self.mac.limits_reached(&mut out);
        self.daemon.limits_reached(&mut out);
        out.extend(self.budget.reached());
        out
    }

    /// True when per-host coverage was cut (hosts past the limit, or coverage entries
    /// refused): rules over every host's coverage cannot prove a pass.
    pub fn coverage_cut(&self) -> bool {
        self.hosts_cut() || self.budget.is_spent()
    }
    /// The earliest event of `host` in the input: before the period when the input holds
    /// older logs, else its first event in the period; `None` when unknown (no event, or
    /// its events before the period were past the host limit).
    pub fn earliest_of(&self, host: &str) -> Option<i64> {
        let before = self.before_period.get(host).copied();
        if before.is_none() && self.before_beyond.may_contain(host.as_bytes()) {
            return None;
        }
        let within = self.hosts.get(host).and_then(HostCoverage::first_ms);
        match (before, within) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
    /// Account lifecycle.
    pub fn accounts(&self) -> &accounts::Accounts {
        &self.accounts
    }
    /// Logins and authentication.
    pub fn logins(&self) -> &logins::Logins {
        &self.logins
    }
    /// Credentials.
    pub fn credentials(&self) -> &credentials::Credentials {
        &self.credentials
    }
    /// Privilege use.
    pub fn privilege(&self) -> &privilege::Privilege {
        &self.privilege
    }
    /// MAC.
    pub fn mac(&self) -> &mac::Mac {
        &self.mac
    }
    /// Audit daemon health and audit configuration.
    pub fn daemon(&self) -> &daemon::Daemon {
        &self.daemon
    }
    /// System configuration.
    pub fn config(&self) -> &config::Config {
        &self.config
    }
    /// Anomalies.
    pub fn anomalies(&self) -> &anomalies::Anomalies {
        &self.anomalies
    }
    /// Watched files and system calls (keyed kernel events).
    pub fn watches(&self) -> &watches::Watches {
        &self.watches
    }

    /// Every metric by its stable id.
    pub fn metrics(&self) -> BTreeMap<&'static str, u64> {
        metrics::of(self)
    }

    /// The metrics as `summary.json` states them: as read back, else [`Summary::metrics`].
    pub fn metrics_as_written(&self) -> BTreeMap<&str, u64> {
        read::metrics(self)
    }

    /// Every source the summary cites: of its listed facts, coverage entries, outside
    /// ranges, rule loads (what summary.json states as `{file, line}`).
    pub fn cited_sources(&self) -> BTreeSet<Source> {
        walk::sources(self)
    }

    /// The raw lines of its sources ([`raw`]): empty unless read from a summary.json that
    /// carries them (those read back from the logs are written as they are read:
    /// [`WithRawLines`]).
    pub fn raw_lines(&self) -> &raw::RawLines {
        &self.raw
    }
}

/// What `aureport --summary` would print for the same events (see [`aureport`]).
pub fn aureport_equivalent(summary: &Summary) -> AureportCounts {
    summary.aureport
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_with(s, &self.raw)
    }
}

/// A summary written with other raw lines than it holds: those read back from the logs as
/// the summary is written ([`raw::Streamed`]), so they are never all held at once.
pub struct WithRawLines<'a, R: raw::Written> {
    /// The summary.
    pub summary: &'a Summary,
    /// Its raw lines, written last (as `raw_lines`).
    pub raw: &'a R,
}

impl<R: raw::Written> Serialize for WithRawLines<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.summary.serialize_with(s, self.raw)
    }
}

impl Summary {
    fn serialize_with<S: Serializer, R: raw::Written>(
        &self,
        s: S,
        raw: &R,
    ) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Summary", 17)?;
        st.serialize_field("schema_version", &SCHEMA_VERSION)?;
        st.serialize_field("period", &self.period)?;
        st.serialize_field("silence_threshold_ms", &self.silence_ms)?;
        st.serialize_field("metrics", &read::metrics(self))?;
        st.serialize_field("hosts", &self.hosts)?;
        let earliest: BTreeMap<&str, String> = self
            .before_period
            .iter()
            .map(|(h, &t)| (h.as_str(), crate::model::format_ms(t)))
            .collect();
        st.serialize_field("earliest_before_period", &earliest)?;
        // Only when some event fell outside the period, so summaries of inputs that hold
        // exactly the period keep their shape.
        if self.outside_hosts.is_empty() {
            st.skip_field("hosts_outside_period")?;
        } else {
            st.serialize_field("hosts_outside_period", &self.outside_hosts)?;
        }
        st.serialize_field("accounts", &self.accounts)?;
        st.serialize_field("logins", &self.logins)?;
        st.serialize_field("credentials", &self.credentials)?;
        st.serialize_field("privilege", &self.privilege)?;
        st.serialize_field("mac", &self.mac)?;
        st.serialize_field("daemon", &self.daemon)?;
        st.serialize_field("config", &self.config)?;
        st.serialize_field("anomalies", &self.anomalies)?;
        read::limits_reached(self, &mut st)?;
        st.serialize_field("watches", &self.watches)?;
        if self.aureport_computed {
            st.serialize_field("aureport_equivalent", &self.aureport)?;
        } else {
            st.skip_field("aureport_equivalent")?;
        }
        // Only when read back from the logs, so summaries without them keep their shape.
        if raw.is_empty() {
            st.skip_field("raw_lines")?;
        } else {
            st.serialize_field("raw_lines", raw)?;
        }
        st.end()
    }
}

/// Adds `value` to `host`'s entry of a per-host map holding at most `limit` hosts (`update`
/// folds it into an existing entry); a host past the limit is counted in `beyond`.
fn per_host<V>(
    (map, beyond): (&mut BTreeMap<String, V>, &mut Beyond),
    host: &str,
    limit: usize,
    distinct: usize,
    value: V,
    update: impl FnOnce(&mut V, V),
) {
    let room = map.len() < limit;
    match map.get_mut(host) {
        Some(mine) => update(mine, value),
        None if room => {
            map.insert(host.to_string(), value);
        }
        None => beyond.add(host.as_bytes(), distinct),
    }
}

pub mod metrics;

#[cfg(test)]
mod tests;
