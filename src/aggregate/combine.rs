//! Combining the summaries of *disjoint* parts into one: other hosts of the same period, or
//! the same hosts in consecutive periods (daily summaries into a month), as `merge` does.
//!
//! [`Summary::merge`] adds a later part of one input; parts of other hosts or days are not
//! later parts of anything. [`combine`] checks that the parts are disjoint (same zone and
//! silence threshold; equal or consecutive periods; no host with events in two parts whose
//! time ranges overlap), puts them in a canonical order (period, then earliest time, then
//! name) and merges them with lists interleaved by (time, node) ([`tally::interleaved`]),
//! so the result does not depend on the order the parts are given in or on how they were
//! grouped: combining the parts of a log split by host or by time gives the summary of the
//! whole log, for a log in (time, node) order (the property test in `tests/combine.rs`).
//! A host in several parts has its coverage merged earliest first.
//!
//! What a summary.json read back cannot merge exactly is said, never guessed: distinct
//! actors of a key in two parts become a lower bound (`N+`), the limits reached that parts
//! state are kept as lower bounds, and a host's silences and serial gaps across the boundary
//! of two read-back parts are not computed (each part's own stand; see `docs/scale.md`).
//! Consecutive periods: events a part saw outside its own period but inside the combined
//! one are dropped from the earliest-before and outside ranges (they are some other part's
//! events); `outside_period` adds the parts' counts as stated.

use super::read::LimitStated;
use super::{tally, PeriodInfo, Summary};
use std::collections::BTreeMap;

/// One summary to combine and the name errors give it (its file).
pub struct Part {
    /// The file it was read from (or any name).
    pub name: String,
    /// The summary.
    pub summary: Summary,
}

/// Why parts cannot be combined; each names the parts concerned.
#[derive(Debug, thiserror::Error)]
pub enum CombineError {
    /// No part.
    #[error("nothing to merge: give at least one summary.json")]
    Empty,
    /// Different zones: per-day breakdowns would not line up.
    #[error(
        "{a} and {b}: time zones differ ({ta} and {tb}); summarise every part with the same --tz"
    )]
    Zone {
        a: String,
        b: String,
        ta: String,
        tb: String,
    },
    /// Different silence thresholds.
    #[error(
        "{a} and {b}: silence thresholds differ ({ta} ms and {tb} ms); summarise every part \
         with the same site configuration"
    )]
    Threshold {
        a: String,
        b: String,
        ta: i64,
        tb: i64,
    },
    /// Periods neither equal nor consecutive.
    #[error(
        "{a} ({pa}) and {b} ({pb}): periods are neither the same nor consecutive; merge \
         parts of one period, or of periods that follow each other without a gap"
    )]
    Periods {
        a: String,
        b: String,
        pa: String,
        pb: String,
    },
    /// One host in two parts over overlapping times.
    #[error(
        "{a} and {b} overlap: host {host} has events in both between {from} and {to}; each \
         host's events of a time may be in one part only"
    )]
    Overlap {
        a: String,
        b: String,
        host: String,
        from: String,
        to: String,
    },
}

/// Combines disjoint parts (see the module docs) into one summary whose period is the
/// parts' common period, or the union of their consecutive periods.
pub fn combine(parts: Vec<Part>) -> Result<Summary, CombineError> {
    let first = parts.first().ok_or(CombineError::Empty)?;
    for p in &parts[1..] {
        let (x, y) = (&first.summary, &p.summary);
        if x.period.tz != y.period.tz {
            return Err(CombineError::Zone {
                a: first.name.clone(),
                b: p.name.clone(),
                ta: x.period.tz.clone(),
                tb: y.period.tz.clone(),
            });
        }
        if x.silence_ms != y.silence_ms {
            return Err(CombineError::Threshold {
                a: first.name.clone(),
                b: p.name.clone(),
                ta: x.silence_ms,
                tb: y.silence_ms,
            });
        }
    }
    let period = period_of(&parts)?;
    check_overlap(&parts)?;
    let read_back = parts.iter().any(|p| p.summary.read.is_some());
    let limits_stated = stated_limits(&parts);
    let mut parts = parts;
    parts.sort_by_cached_key(|p| {
        (
            p.summary.period.start_ms,
            earliest(&p.summary),
            p.name.clone(),
        )
    });
    let mut parts = parts.into_iter();
    let mut acc = parts.next().ok_or(CombineError::Empty)?.summary;
    let mut seen_twice = std::collections::BTreeSet::new();
    let mut own = acc.hosts.clone();
    for p in parts {
        for name in p.summary.hosts.keys() {
            if own.contains_key(name) {
                seen_twice.insert(name.clone());
            }
        }
        own.extend(p.summary.hosts.iter().map(|(k, v)| (k.clone(), v.clone())));
        absorb(&mut acc, p.summary);
    }
    // A host of one part keeps its coverage as that part states it (a summary read back
    // has its silences but not the activity they were computed from).
    for (name, h) in own {
        if !seen_twice.contains(&name) && acc.hosts.contains_key(&name) {
            acc.hosts.insert(name, h);
        }
    }
    if period != acc.period {
        drop_inside(&mut acc, &period);
        acc.period = period;
    }
    if read_back {
        acc.read = Some(Box::new(super::read::Stated::new(
            acc.metrics()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            merged_limits(limits_stated, &acc),
        )));
    }
    Ok(acc)
}

/// Adds `part` to `acc`: lists interleaved, each host's coverage merged earliest first.
fn absorb(acc: &mut Summary, mut part: Summary) {
    let hosts = std::mem::take(&mut part.hosts);
    tally::interleaved(|| acc.merge(&part));
    let silence_ms = acc.silence_ms;
    for (name, h) in hosts {
        let room = acc.hosts.len() < acc.limits.hosts;
        match acc.hosts.get_mut(&name) {
            Some(mine) => {
                if h.first_ms() < mine.first_ms() {
                    let mut h = h;
                    h.merge(mine, silence_ms);
                    *mine = h;
                } else {
                    mine.merge(&h, silence_ms);
                }
            }
            None if room => {
                acc.hosts.insert(name, h);
            }
            None => {
                let distinct = acc.limits.distinct;
                acc.hosts_beyond.add(name.as_bytes(), distinct);
                acc.hosts_beyond.add_records(h.events().saturating_sub(1));
            }
        }
    }
}

/// The earliest time a summary holds (in or outside its period), for the canonical order.
fn earliest(s: &Summary) -> i64 {
    let inside = s.hosts.values().filter_map(|h| h.first_ms());
    let outside = s.outside_hosts.values().map(|r| r.first_ms);
    inside.chain(outside).min().unwrap_or(i64::MAX)
}

/// The combined period: the one all parts share, or the union of consecutive ones.
fn period_of(parts: &[Part]) -> Result<PeriodInfo, CombineError> {
    let shown = |p: &PeriodInfo| {
        let t = |ms: Option<i64>| ms.map_or("unbounded".to_string(), crate::model::format_ms);
        format!("{}: {} to {}", p.label, t(p.start_ms), t(p.end_ms))
    };
    let mut distinct: Vec<(&PeriodInfo, &str)> = Vec::new();
    for p in parts {
        let span = |q: &PeriodInfo| (q.start_ms, q.end_ms);
        if !distinct
            .iter()
            .any(|(q, _)| span(q) == span(&p.summary.period))
        {
            distinct.push((&p.summary.period, &p.name));
        }
    }
    if distinct.len() == 1 {
        return Ok(distinct[0].0.clone());
    }
    distinct.sort_by_key(|(p, _)| p.start_ms);
    for w in distinct.windows(2) {
        let ((x, a), (y, b)) = (w[0], w[1]);
        let joined = matches!((x.start_ms, x.end_ms, y.start_ms, y.end_ms),
            (Some(_), Some(end), Some(start), Some(_)) if end == start);
        if !joined {
            return Err(CombineError::Periods {
                a: a.to_string(),
                b: b.to_string(),
                pa: shown(x),
                pb: shown(y),
            });
        }
    }
    let (head, last) = (distinct[0].0, distinct[distinct.len() - 1].0);
    Ok(PeriodInfo {
        start_ms: head.start_ms,
        end_ms: last.end_ms,
        tz: head.tz.clone(),
        label: format!("{} to {}", head.label, last.label),
    })
}

/// Refuses a host whose events of two parts overlap in time (the same events twice, or
/// two logs of one host that cannot be told apart).
fn check_overlap(parts: &[Part]) -> Result<(), CombineError> {
    let mut by_host: BTreeMap<&str, Vec<(i64, i64, &str)>> = BTreeMap::new();
    for p in parts {
        for (host, h) in &p.summary.hosts {
            if let (Some(a), Some(b)) = (h.first_ms(), h.last_ms()) {
                by_host.entry(host).or_default().push((a, b, &p.name));
            }
        }
    }
    for (host, mut spans) in by_host {
        spans.sort_unstable();
        for w in spans.windows(2) {
            let ((_, last, a), (first, _, b)) = (w[0], w[1]);
            if first <= last {
                return Err(CombineError::Overlap {
                    a: a.to_string(),
                    b: b.to_string(),
                    host: crate::inert::escape(host).into_owned(),
                    from: crate::model::format_ms(first),
                    to: crate::model::format_ms(last),
                });
            }
        }
    }
    Ok(())
}

/// Drops the earliest-before and outside ranges that fall inside the combined period:
/// they are events of another part's period.
fn drop_inside(acc: &mut Summary, period: &PeriodInfo) {
    let start = period.start_ms.unwrap_or(i64::MIN);
    let end = period.end_ms.unwrap_or(i64::MAX);
    acc.before_period.retain(|_, t| *t < start);
    acc.outside_hosts
        .retain(|_, r| r.first_ms < start || r.last_ms >= end);
}

/// The limits reached the parts state (read back), by population.
fn stated_limits(parts: &[Part]) -> Vec<LimitStated> {
    let mut out: BTreeMap<String, LimitStated> = BTreeMap::new();
    for l in parts.iter().filter_map(|p| p.summary.read.as_ref()) {
        for x in l.limits_reached() {
            out.entry(x.what.clone())
                .and_modify(|m| {
                    m.listed = m.listed.max(x.listed);
                    m.distinct = m.distinct.max(x.distinct);
                    m.at_least = true;
                    m.beyond = m.beyond.saturating_add(x.beyond);
                })
                .or_insert_with(|| x.clone());
        }
    }
    out.into_values().collect()
}

/// The parts' stated limits (as lower bounds) and those the combination reached itself.
fn merged_limits(mut stated: Vec<LimitStated>, acc: &Summary) -> Vec<LimitStated> {
    for l in acc.limits_reached() {
        if !stated.iter().any(|s| s.what == l.what) {
            stated.push(LimitStated::from(&l));
        }
    }
    stated
}
