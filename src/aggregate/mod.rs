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
pub mod anomalies;
pub mod aureport;
pub mod capped;
pub mod config;
pub mod coverage;
pub mod credentials;
pub mod daemon;
pub mod logins;
pub mod mac;
pub mod privilege;
pub mod tally;
pub mod watches;

pub use aureport::AureportCounts;
pub use coverage::{HostCoverage, SerialGap, Silence, DEFAULT_SILENCE_MS};
pub use tally::{At, Breakdown, Counter, Listed, OkFail};
pub use watches::{WatchConfig, Watching};

use crate::classify::{classify, Category, Detail, Fact, NameResolver, Watched};
use crate::parse::decode::to_text;
use crate::parse::Event;
use crate::period::Period;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

/// Everything the reports need about one period, mergeable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    period: PeriodInfo,
    silence_ms: i64,
    events: u64,
    outside_period: u64,
    orphan_eoe: u64,
    hosts: BTreeMap<String, HostCoverage>,
    /// Per host, the earliest event before the period (retention, F-AUD-14).
    before_period: BTreeMap<String, i64>,
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
            before_period: BTreeMap::new(),
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
        }
    }

    /// Adds the summary of a later part of the same input (see the module docs). The period
    /// and threshold of `self` are kept.
    pub fn merge(&mut self, other: &Summary) {
        self.events += other.events;
        self.outside_period += other.outside_period;
        for (host, &t) in &other.before_period {
            let mine = self.before_period.entry(host.clone()).or_insert(t);
            *mine = (*mine).min(t);
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
    /// Coverage per host.
    pub fn hosts(&self) -> &BTreeMap<String, HostCoverage> {
        &self.hosts
    }
    /// The earliest event of `host` in the input: before the period when the input holds
    /// older logs, else its first event in the period.
    pub fn earliest_of(&self, host: &str) -> Option<i64> {
        let before = self.before_period.get(host).copied();
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
}

/// What `aureport --summary` would print for the same events (see [`aureport`]).
pub fn aureport_equivalent(summary: &Summary) -> AureportCounts {
    summary.aureport
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Summary", 16)?;
        st.serialize_field("schema_version", &SCHEMA_VERSION)?;
        st.serialize_field("period", &self.period)?;
        st.serialize_field("silence_threshold_ms", &self.silence_ms)?;
        st.serialize_field("metrics", &self.metrics())?;
        st.serialize_field("hosts", &self.hosts)?;
        let earliest: BTreeMap<&str, String> = self
            .before_period
            .iter()
            .map(|(h, &t)| (h.as_str(), crate::model::format_ms(t)))
            .collect();
        st.serialize_field("earliest_before_period", &earliest)?;
        st.serialize_field("accounts", &self.accounts)?;
        st.serialize_field("logins", &self.logins)?;
        st.serialize_field("credentials", &self.credentials)?;
        st.serialize_field("privilege", &self.privilege)?;
        st.serialize_field("mac", &self.mac)?;
        st.serialize_field("daemon", &self.daemon)?;
        st.serialize_field("config", &self.config)?;
        st.serialize_field("anomalies", &self.anomalies)?;
        st.serialize_field("watches", &self.watches)?;
        if self.aureport_computed {
            st.serialize_field("aureport_equivalent", &self.aureport)?;
        } else {
            st.skip_field("aureport_equivalent")?;
        }
        st.end()
    }
}

/// Classifies events and adds them to a [`Summary`]; reuses one fact buffer.
pub struct Aggregator {
    period: Period,
    names: NameResolver,
    group_labels: Vec<String>,
    /// (15-minute bucket, local day) of the previous event.
    day_cache: Option<(i64, chrono::NaiveDate)>,
    /// The host of the previous event: (group, node bytes, name). Consecutive events nearly
    /// always share it, so the name is built once per run of events.
    last_host: Option<(u32, Option<Vec<u8>>, String)>,
    scratch: Vec<Fact>,
    watch: WatchConfig,
    watch_acc: watches::WatchAcc,
    summary: Summary,
}

impl Aggregator {
    /// An aggregator for `period`, naming ids with `names`, with the default 24 h silence
    /// threshold.
    pub fn new(period: Period, names: NameResolver) -> Self {
        Aggregator::with_silence_threshold(period, names, DEFAULT_SILENCE_MS)
    }

    /// Same, with silences longer than `silence_ms` reported.
    pub fn with_silence_threshold(period: Period, names: NameResolver, silence_ms: i64) -> Self {
        let summary = Summary::new(&period, silence_ms);
        Aggregator {
            period,
            names,
            group_labels: Vec::new(),
            day_cache: None,
            last_host: None,
            scratch: Vec::new(),
            watch: WatchConfig::default(),
            watch_acc: watches::WatchAcc::default(),
            summary,
        }
    }

    /// Resolves rule keys with `cfg`'s table and keeps the events on its paths (the
    /// built-in key table and `/var/log/audit/` by default).
    pub fn with_watch_config(mut self, cfg: WatchConfig) -> Self {
        self.summary.watches.set_declared(cfg.declared().to_vec());
        self.watch = cfg;
        self
    }

    /// Whether to compute the aureport-equivalent counts (on by default). They cost about a
    /// tenth of the aggregation time and only serve comparisons with `aureport --summary`,
    /// so the commands turn them off unless asked (`summary --aureport`).
    pub fn with_aureport(mut self, on: bool) -> Self {
        self.summary.aureport_computed = on;
        self
    }

    /// Names hosts of records without `node=` by the label of their input group
    /// (`labels[group]`), e.g. `(local)` or the log's path (see
    /// [`crate::input::InputSet::group_labels`]).
    pub fn with_group_labels(mut self, labels: Vec<String>) -> Self {
        self.group_labels = labels;
        self
    }

    /// Keeps the earliest time of `event`'s host before the period, without allocating
    /// once the host is known.
    fn note_before_period(&mut self, event: &Event, time_ms: i64) {
        self.cache_host(event);
        let Some((_, _, host)) = &self.last_host else {
            return;
        };
        match self.summary.before_period.get_mut(host.as_str()) {
            Some(t) => *t = (*t).min(time_ms),
            None => {
                self.summary.before_period.insert(host.clone(), time_ms);
            }
        }
    }

    /// Notes the audit rules a CONFIG_CHANGE before the period loaded or removed: rules
    /// loaded at boot stay loaded through the period (rule coverage).
    fn note_rules_before_period(&mut self, event: &Event) {
        if !event
            .record_meta()
            .iter()
            .any(|m| m.rtype == crate::model::RecordType::CONFIG_CHANGE)
        {
            return;
        }
        self.scratch.clear();
        classify(event, &self.names, &mut self.scratch);
        let Some((_, _, host)) = &self.last_host else {
            return;
        };
        for fact in &self.scratch {
            if fact.kind == crate::classify::Kind::AuditRuleChange {
                self.summary.watches.note_rule(fact, host);
            }
        }
        self.scratch.clear();
    }

    /// Makes `last_host` the host of `event` (allocating only when the host changes).
    fn cache_host(&mut self, event: &Event) {
        if let Some((g, node, _)) = &self.last_host {
            if *g == event.group() && node.as_deref() == event.node() {
                return;
            }
        }
        let name = host_name(event, &self.group_labels);
        self.last_host = Some((event.group(), event.node().map(<[u8]>::to_vec), name));
    }

    /// The local day of `ms`, cached per 15-minute bucket: today's zone offsets are multiples
    /// of 15 minutes, so a local midnight falls on a bucket boundary and the time-zone lookup
    /// runs about once per bucket instead of once per event. A bucket whose two ends fall on
    /// different days (a historic offset) is never cached.
    fn day_of(&mut self, ms: i64) -> chrono::NaiveDate {
        const BUCKET: i64 = 900_000;
        let bucket = ms.div_euclid(BUCKET);
        if let Some((b, day)) = self.day_cache {
            if b == bucket {
                return day;
            }
        }
        let day = self.period.day_of(ms);
        let start = bucket.saturating_mul(BUCKET);
        let end = start.saturating_add(BUCKET - 1);
        if self.period.day_of(start) == day && self.period.day_of(end) == day {
            self.day_cache = Some((bucket, day));
        }
        day
    }

    /// Adds one event.
    pub fn add_event(&mut self, event: &Event) {
        let time_ms = event.stamp().time_ms();
        let s = &mut self.summary;
        if !self.period.contains(time_ms) {
            s.outside_period += 1;
            if time_ms < self.period.start_ms {
                self.note_before_period(event, time_ms);
                self.note_rules_before_period(event);
            }
            return;
        }
        let meta = event.record_meta();
        if meta.len() == 1 && meta[0].rtype == crate::model::RecordType::EOE {
            // The tail of an event already released (split by the timeout): its serial was
            // seen with that event.
            s.orphan_eoe += 1;
            return;
        }
        s.events += 1;
        self.cache_host(event);
        let day = self.day_of(time_ms);
        // Borrow the fields apart: the host name stays in the cache (no copy per event).
        let Aggregator {
            summary: s,
            last_host,
            scratch,
            names,
            watch,
            watch_acc,
            ..
        } = self;
        let host: &str = last_host.as_ref().map_or("", |(_, _, name)| name.as_str());
        let Some(first) = meta.first() else { return };
        let point = coverage::Point {
            group: event.group(),
            time_ms,
            serial: event.stamp().serial,
            rtype: first.rtype,
            source: first.source,
        };
        if !s.hosts.contains_key(host) {
            s.hosts.insert(host.to_string(), HostCoverage::default());
        }
        let silence_ms = s.silence_ms;
        let cov = s.hosts.get_mut(host).expect("inserted above");
        cov.observe(point, day, silence_ms);

        scratch.clear();
        classify(event, names, scratch);
        if s.aureport_computed {
            s.aureport.tally(event, scratch);
        }
        for fact in scratch.iter() {
            if coverage::is_timeline(fact) {
                cov.add_timeline(fact);
            }
            if let Detail::Lost { lost } = fact.detail {
                cov.add_lost(lost);
            }
            if fact.kind == crate::classify::Kind::AuditRuleChange {
                s.watches.note_rule(fact, host);
            }
        }
        let at = At { host, day };
        match crate::classify::watch::read(event) {
            Watched::Keyed(v) => s.watches.add(&v, at, watch, watch_acc, names),
            Watched::Keyless => s.watches.add_keyless(at, watch_acc),
            Watched::NotSyscall => {}
        }
        for fact in scratch.drain(..) {
            s.add_fact(fact, at);
        }
    }

    /// The summary so far.
    pub fn summary(&mut self) -> &Summary {
        self.watch_acc.flush(&mut self.summary.watches, &self.watch);
        &self.summary
    }

    /// The summary.
    pub fn into_summary(mut self) -> Summary {
        self.watch_acc.flush(&mut self.summary.watches, &self.watch);
        let silence_ms = self.summary.silence_ms;
        for h in self.summary.hosts.values_mut() {
            h.settle(silence_ms);
        }
        self.summary
    }
}

mod metrics;

#[cfg(test)]
mod tests;
