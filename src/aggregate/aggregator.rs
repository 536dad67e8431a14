//! [`Aggregator`]: events in, one [`Summary`] out (classified, counted per category,
//! per host and per day, within the memory limits).

use super::host_names::HostNames;
use super::{coverage, per_host, watches, At, OutsideRange, Summary};
use super::{HostCoverage, WatchConfig, DEFAULT_SILENCE_MS};
use crate::classify::{classify, Detail, Fact, NameResolver, Watched};
use crate::limits::Limits;
use crate::model::Source;
use crate::parse::Event;
use crate::period::Period;

/// Classifies events and adds them to a [`Summary`]; reuses one fact buffer.
pub struct Aggregator {
    period: Period,
    names: NameResolver,
    group_labels: Vec<String>,
    /// (15-minute bucket, local day) of the previous event.
    day_cache: Option<(i64, chrono::NaiveDate)>,
    /// The previous event's day and whether it has per-day breakdowns.
    last_day: Option<(chrono::NaiveDate, bool)>,
    limits: Limits,
    /// The hosts' names, built once per host; the current one is the last event's.
    hosts: HostNames,
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
            last_day: None,
            limits: Limits::default(),
            hosts: HostNames::default(),
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

    /// Uses `limits` instead of the defaults (tests lower them).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self.summary.limits = limits;
        self.summary.budget = coverage::Budget::new(limits.coverage_entries);
        self
    }

    /// Names hosts of records without `node=` by the label of their input group
    /// (`labels[group]`), e.g. `(local)` or the log's path (see
    /// [`crate::input::InputSet::group_labels`]).
    pub fn with_group_labels(mut self, labels: Vec<String>) -> Self {
        self.group_labels = labels;
        self
    }

    /// Notes an event outside the period: its host's outside range and, before the
    /// period, the host's earliest time; without allocating once the host is known.
    fn note_outside(&mut self, event: &Event, time_ms: i64) {
        self.hosts.note(event, &self.group_labels);
        let host = self.hosts.current();
        let s = &mut self.summary;
        let hosts = self.limits.hosts;
        let distinct = self.limits.distinct;
        if time_ms < self.period.start_ms {
            per_host(
                (&mut s.before_period, &mut s.before_beyond),
                host,
                hosts,
                distinct,
                time_ms,
                |t, time_ms| *t = (*t).min(time_ms),
            );
        }
        let source = event
            .record_meta()
            .first()
            .map_or_else(Source::default, |m| m.source);
        let here = OutsideRange::new(time_ms, source);
        per_host(
            (&mut s.outside_hosts, &mut s.outside_beyond),
            host,
            hosts,
            distinct,
            here,
            |r, here| r.absorb(&here),
        );
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
        let host = self.hosts.current();
        for fact in &self.scratch {
            if fact.kind == crate::classify::Kind::AuditRuleChange {
                self.summary.watches.note_rule(fact, host);
            }
        }
        self.scratch.clear();
    }

    /// The local day of `ms`, cached per 15-minute bucket: today's zone offsets are multiples
    /// of 15 minutes, so a local midnight falls on a bucket boundary and the time-zone lookup
    /// runs about once per bucket instead of once per event. A bucket whose two ends fall on
    /// different days (a historic offset) is never cached.
    fn local_day(&mut self, ms: i64) -> chrono::NaiveDate {
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

    /// The local day of `ms` when it has per-day breakdowns: one of the first
    /// [`Limits::days`] days seen; `None` (and counted past the limit) otherwise.
    fn day_of(&mut self, ms: i64) -> Option<chrono::NaiveDate> {
        let day = self.local_day(ms);
        let s = &mut self.summary;
        let listed = match self.last_day {
            Some((d, listed)) if d == day => {
                if !listed {
                    s.days_beyond.add_records(1);
                }
                listed
            }
            _ => {
                let listed = s.days.contains(&day) || s.days.len() < self.limits.days;
                if listed {
                    s.days.insert(day);
                } else {
                    let key = day.to_string();
                    s.days_beyond.add(key.as_bytes(), self.limits.distinct);
                }
                self.last_day = Some((day, listed));
                listed
            }
        };
        listed.then_some(day)
    }

    /// Adds one event.
    pub fn add_event(&mut self, event: &Event) {
        let time_ms = event.stamp().time_ms();
        let s = &mut self.summary;
        if !self.period.contains(time_ms) {
            s.outside_period += 1;
            self.note_outside(event, time_ms);
            if time_ms < self.period.start_ms {
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
        self.hosts.note(event, &self.group_labels);
        let day = self.day_of(time_ms);
        // Borrow the fields apart: the host name stays in the cache (no copy per event).
        let Aggregator {
            summary: s,
            hosts,
            scratch,
            names,
            limits,
            watch,
            watch_acc,
            ..
        } = self;
        let host: &str = hosts.current();
        let Some(first) = meta.first() else { return };
        let point = coverage::Point {
            group: event.group(),
            time_ms,
            serial: event.stamp().serial,
            rtype: first.rtype,
            source: first.source,
        };
        if !s.hosts.contains_key(host) {
            if s.hosts.len() < limits.hosts {
                s.hosts.insert(host.to_string(), HostCoverage::default());
            } else {
                s.hosts_beyond.add(host.as_bytes(), limits.distinct);
            }
        }
        let silence_ms = s.silence_ms;
        let mut cov = s.hosts.get_mut(host);
        let listed = cov.is_some();
        if let Some(cov) = cov.as_deref_mut() {
            cov.observe(point, day, silence_ms, &mut s.budget);
        }

        scratch.clear();
        classify(event, names, scratch);
        if s.aureport_computed {
            s.aureport.tally(event, scratch);
        }
        if let Some(cov) = cov {
            for fact in scratch.iter() {
                if coverage::is_timeline(fact) {
                    cov.add_timeline(fact, &mut s.budget);
                }
                if let Detail::Lost { lost } = fact.detail {
                    cov.add_lost(lost);
                }
            }
        }
        for fact in scratch.iter() {
            if fact.kind == crate::classify::Kind::AuditRuleChange {
                s.watches.note_rule(fact, host);
            }
        }
        let at = At {
            host: listed.then_some(host),
            day,
            limits,
        };
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
