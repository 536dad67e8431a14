//! Combining the summaries of *disjoint* parts into one: other hosts of the same period, or
//! the same hosts in consecutive periods (daily summaries into a month), as `merge` does.
//!
//! [`Summary::merge`] adds a later part of one input; parts of other hosts or days are not
//! later parts of anything. [`combine`] checks that the parts are disjoint (same zone and
//! silence threshold; equal or consecutive periods; no host with events in two parts whose
//! time ranges overlap) and merges them one at a time ([`Combiner`], so memory holds the
//! combination and one part) with lists interleaved by (time, node)
//! ([`tally::interleaved`]), a host's parts earliest first ([`order_key`]), so the result
//! depends neither on the order the parts are given in nor on how they were grouped:
//! combining the parts of a log split by host or by time gives the summary of the whole
//! log, for a log in (time, node) order (the property test in `aggregate/tests/combine.rs`).
//!
//! What a summary.json read back cannot merge exactly is said, never guessed: distinct
//! actors of a key in two parts written without `actor_ids` (older files) become a lower
//! bound (`N+`), the limits reached that parts
//! state are kept as lower bounds, and a host in two read-back parts (consecutive periods)
//! has its silences and serial gaps marked not computed, since the file holds neither the
//! activity nor the serial runs at the boundary (see `docs/scale.md`).
//! Consecutive periods: events a part saw outside its own period but inside the combined
//! one are dropped from the earliest-before and outside ranges (they are some other part's
//! events); `outside_period` adds the parts' counts as stated.

use super::read::LimitStated;
use super::{tally, PeriodInfo, Summary};
use crate::limits::RAW_LINES_BYTES;
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
    /// A host's part given after a later one of the same host.
    #[error(
        "{b} comes before {a} for host {host}: give a host's parts earliest first (`merge` \
         sorts them)"
    )]
    Order { a: String, b: String, host: String },
    /// Counts whose sum could pass `u64::MAX`.
    #[error(
        "{part}: its counts (up to {largest}) added to those of the parts before it (up to \
         {before} together) could pass {max}; merge fewer or smaller summaries at a time",
        max = u64::MAX
    )]
    Counts {
        part: String,
        largest: u64,
        before: u64,
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
pub fn combine(mut parts: Vec<Part>) -> Result<Summary, CombineError> {
    parts.sort_by_cached_key(|p| (order_key(&p.summary), p.name.clone()));
    let mut c = Combiner::default();
    for p in parts {
        c.add(p)?;
    }
    c.finish()
}

/// The order parts are combined in: period start, then earliest event (in the period or
/// outside it).
pub fn order_key(s: &Summary) -> (Option<i64>, i64) {
    let inside = s.hosts.values().filter_map(|h| h.first_ms());
    let outside = s.outside_hosts.values().map(|r| r.first_ms);
    (
        s.period.start_ms,
        inside.chain(outside).min().unwrap_or(i64::MAX),
    )
}

/// [`combine`] one part at a time, holding only the combination and what the checks need
/// (per host, each part's time range; the periods seen). Parts come in [`order_key`]
/// order (a host's parts earliest first: its coverage continues from one to the next).
#[derive(Default)]
pub struct Combiner {
    acc: Option<(String, Summary)>,
    /// Per host: (first, last, part) of each part.
    spans: BTreeMap<String, Vec<(i64, i64, String)>>,
    /// Each distinct period and the first part that had it.
    periods: Vec<(PeriodInfo, String)>,
    read_back: bool,
    limits_stated: BTreeMap<String, LimitStated>,
    /// The sum of the read-back parts' largest counts: no count of the combination is
    /// larger, so the additions of the merge cannot overflow while it fits in a `u64`.
    counts: u64,
    /// Some part carried raw lines ([`super::raw`]).
    raw: bool,
}

impl Combiner {
    /// Adds one part; refuses it when it does not fit with the parts added before.
    pub fn add(&mut self, part: Part) -> Result<(), CombineError> {
        let Part { name, summary } = part;
        if let Some((first, x)) = &self.acc {
            let y = &summary;
            if x.period.tz != y.period.tz {
                return Err(CombineError::Zone {
                    a: first.clone(),
                    b: name,
                    ta: x.period.tz.clone(),
                    tb: y.period.tz.clone(),
                });
            }
            if x.silence_ms != y.silence_ms {
                return Err(CombineError::Threshold {
                    a: first.clone(),
                    b: name,
                    ta: x.silence_ms,
                    tb: y.silence_ms,
                });
            }
        }
        if let Some(r) = &summary.read {
            self.counts =
                self.counts
                    .checked_add(r.largest_count())
                    .ok_or_else(|| CombineError::Counts {
                        part: name.clone(),
                        largest: r.largest_count(),
                        before: self.counts,
                    })?;
        }
        self.check_overlap(&name, &summary)?;
        self.raw |= !summary.raw.is_empty();
        let span = |q: &PeriodInfo| (q.start_ms, q.end_ms);
        if !self
            .periods
            .iter()
            .any(|(q, _)| span(q) == span(&summary.period))
        {
            self.periods.push((summary.period.clone(), name.clone()));
        }
        if let Some(r) = &summary.read {
            self.read_back = true;
            state_limits(&mut self.limits_stated, r.limits_reached());
        }
        match &mut self.acc {
            None => self.acc = Some((name, summary)),
            Some((_, acc)) => absorb(acc, summary),
        }
        Ok(())
    }

    /// The combination.
    pub fn finish(self) -> Result<Summary, CombineError> {
        let (_, mut acc) = self.acc.ok_or(CombineError::Empty)?;
        let period = period_of(self.periods)?;
        if period != acc.period {
            drop_inside(&mut acc, &period);
            acc.period = period;
        }
        if self.read_back {
            let metrics = acc
                .metrics()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            let limits = merged_limits(self.limits_stated.into_values().collect(), &acc);
            acc.read = Some(Box::new(super::read::Stated::new(
                metrics,
                limits,
                self.counts,
            )));
        }
        if self.raw {
            let cited = super::walk::sources(&acc);
            acc.raw.retain(&cited, RAW_LINES_BYTES);
        }
        Ok(acc)
    }

    /// Refuses a host whose events in this part overlap in time with its events in a part
    /// added before (the same events twice, or two logs of one host that cannot be told
    /// apart).
    fn check_overlap(&mut self, name: &str, s: &Summary) -> Result<(), CombineError> {
        for (host, h) in &s.hosts {
            let (Some(first), Some(last)) = (h.first_ms(), h.last_ms()) else {
                continue;
            };
            let spans = self.spans.entry(host.clone()).or_default();
            for (a, b, other) in spans.iter() {
                let host = || host.escape_debug().to_string();
                if first <= *b && *a <= last {
                    return Err(CombineError::Overlap {
                        a: other.clone(),
                        b: name.to_string(),
                        host: host(),
                        from: crate::model::format_ms(first.max(*a)),
                        to: crate::model::format_ms(last.min(*b)),
                    });
                }
                if last < *a {
                    return Err(CombineError::Order {
                        a: other.clone(),
                        b: name.to_string(),
                        host: host(),
                    });
                }
            }
            spans.push((first, last, name.to_string()));
        }
        Ok(())
    }
}

/// Adds `part` to `acc`: lists interleaved, a host's coverage continued.
fn absorb(acc: &mut Summary, mut part: Summary) {
    let read_back = acc.read.is_some() || part.read.is_some();
    let hosts = std::mem::take(&mut part.hosts);
    acc.raw.absorb(std::mem::take(&mut part.raw));
    tally::interleaved(|| acc.merge(&part));
    let silence_ms = acc.silence_ms;
    for (name, h) in hosts {
        let room = acc.hosts.len() < acc.limits.hosts;
        match acc.hosts.get_mut(&name) {
            Some(mine) => {
                mine.merge(&h, silence_ms);
                if read_back {
                    mine.forget_gaps();
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
    // The lines of facts the interleaved lists dropped go once they hold a quarter more
    // than the limit (so a long merge walks the combination once per 16 MiB of lines
    // added, and holds at most 80 MiB of them between two walks).
    if acc.raw.bytes() > RAW_LINES_BYTES.saturating_add(RAW_LINES_BYTES / 4) {
        let cited = super::walk::sources(acc);
        acc.raw.retain(&cited, RAW_LINES_BYTES);
    }
}

/// The combined period: the one all parts share, or the union of consecutive ones.
fn period_of(mut distinct: Vec<(PeriodInfo, String)>) -> Result<PeriodInfo, CombineError> {
    let shown = |p: &PeriodInfo| {
        let t = |ms: Option<i64>| ms.map_or("unbounded".to_string(), crate::model::format_ms);
        format!("{}: {} to {}", p.label, t(p.start_ms), t(p.end_ms))
    };
    if distinct.len() <= 1 {
        return distinct.pop().map(|(p, _)| p).ok_or(CombineError::Empty);
    }
    distinct.sort_by_key(|(p, _)| p.start_ms);
    for w in distinct.windows(2) {
        let ((x, a), (y, b)) = (&w[0], &w[1]);
        let joined = matches!((x.start_ms, x.end_ms, y.start_ms, y.end_ms),
            (Some(_), Some(end), Some(start), Some(_)) if end == start);
        if !joined {
            return Err(CombineError::Periods {
                a: a.clone(),
                b: b.clone(),
                pa: shown(x),
                pb: shown(y),
            });
        }
    }
    let head = &distinct[0].0;
    let last = &distinct[distinct.len() - 1].0;
    Ok(PeriodInfo {
        start_ms: head.start_ms,
        end_ms: last.end_ms,
        tz: head.tz.clone(),
        label: format!("{} to {}", head.label, last.label),
    })
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

/// Adds the limits reached a part states, by population (as lower bounds once two parts
/// state the same one).
fn state_limits(out: &mut BTreeMap<String, LimitStated>, stated: &[LimitStated]) {
    for x in stated {
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

/// The parts' stated limits (as lower bounds) and those the combination reached itself.
fn merged_limits(mut stated: Vec<LimitStated>, acc: &Summary) -> Vec<LimitStated> {
    for l in acc.limits_reached() {
        if !stated.iter().any(|s| s.what == l.what) {
            stated.push(LimitStated::from(&l));
        }
    }
    stated
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A summary read back from its JSON whose largest count is `n`.
    fn read_back(n: u64) -> Summary {
        let tz = crate::period::parse_tz("UTC").unwrap();
        let s = Summary::new(&crate::period::Period::unbounded(tz), 3_600_000);
        let mut v = serde_json::to_value(&s).unwrap();
        v["metrics"]["events"] = n.into();
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn parts_whose_counts_could_pass_u64_are_refused_naming_the_part() {
        let mut c = Combiner {
            counts: u64::MAX - 7,
            ..Combiner::default()
        };
        c.add(Part {
            name: "a.json".into(),
            summary: read_back(7),
        })
        .unwrap();
        let err = c
            .add(Part {
                name: "b.json".into(),
                summary: read_back(1),
            })
            .unwrap_err();
        assert!(matches!(&err, CombineError::Counts { part, largest: 1, .. } if part == "b.json"));
        assert!(
            err.to_string().starts_with("b.json: its counts (up to 1)"),
            "{err}"
        );
    }
}
