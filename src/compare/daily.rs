//! What each period looked like day by day: the period itself (label, zone, bounds, local
//! days) and a few per-day series read from the summaries' `by_day` maps, so the compare
//! pages can draw both periods side by side on one scale.
//!
//! The days come from the period's bounds and zone, as the report's do; a summary of an
//! unbounded period (`all time`) falls back to the days that have events.

use super::view::SummaryView;
use crate::model::format_ms;
use crate::period::{parse_tz, Period};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One side's period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodSide {
    /// The label (`2026-09 (UTC)`: spec and zone).
    pub label: String,
    /// The zone of its calendar days.
    pub tz: String,
    /// Start (inclusive, UTC), `None` when unbounded.
    pub start: Option<String>,
    /// End (exclusive, UTC), `None` when unbounded.
    pub end: Option<String>,
    /// Its local days (`YYYY-MM-DD`); every series of that side is aligned to them.
    pub days: Vec<String>,
}

/// One per-day series in both periods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DailySeries {
    /// The metric it breaks down (`events`, `logins.failed`, ...).
    pub id: &'static str,
    /// What it counts, for people.
    pub label: &'static str,
    /// One value per day of the baseline period.
    pub baseline: Vec<u64>,
    /// One value per day of the current period.
    pub current: Vec<u64>,
}

/// Where a series' `by_day` map is in a summary (`None`: events, the sum of every host's).
type ByDay = Option<fn(&SummaryView) -> &BTreeMap<String, u64>>;

/// The series: metric id, label, and its `by_day` map.
const SERIES: &[(&str, &str, ByDay)] = &[
    ("events", "Events per day", None),
    (
        "logins.success",
        "Successful logins per day",
        Some(|s| &s.logins.logins.count.by_day),
    ),
    (
        "logins.failed",
        "Failed logins per day",
        Some(|s| &s.logins.failed_logins.count.by_day),
    ),
    (
        "privilege.commands",
        "Privileged commands per day",
        Some(|s| &s.privilege.commands.count.by_day),
    ),
    (
        "mac.denials",
        "MAC denials per day",
        Some(|s| &s.mac.denials.by_day),
    ),
];

/// `(day, count)` pairs of one series of one summary.
fn by_day(summary: &SummaryView, map: ByDay) -> Vec<(&str, u64)> {
    let maps: Vec<&BTreeMap<String, u64>> = match map {
        Some(m) => vec![m(summary)],
        None => summary.hosts.values().map(|h| &h.by_day).collect(),
    };
    maps.iter()
        .flat_map(|m| m.iter().map(|(d, &n)| (d.as_str(), n)))
        .collect()
}

impl PeriodSide {
    /// The period of a summary.
    pub fn of(summary: &SummaryView) -> PeriodSide {
        let p = &summary.period;
        let label = p.label.clone();
        let tz = p.tz.clone().unwrap_or_else(|| "UTC".to_string());
        let (start, end) = (p.start_ms, p.end_ms);
        let mut days: Vec<String> = match (start, end, parse_tz(&tz)) {
            (Some(start_ms), Some(end_ms), Ok(zone)) => Period {
                start_ms,
                end_ms,
                tz: zone,
                label: label.clone(),
            }
            .days()
            .iter()
            .map(|(d, _, _)| d.format("%Y-%m-%d").to_string())
            .collect(),
            _ => Vec::new(),
        };
        if days.is_empty() {
            let seen: BTreeSet<&str> = by_day(summary, None).into_iter().map(|(d, _)| d).collect();
            days = seen.into_iter().map(str::to_string).collect();
        }
        PeriodSide {
            label,
            tz,
            start: start.map(format_ms),
            end: end.map(format_ms),
            days,
        }
    }

    /// `summary`'s series at `path` aligned to these days.
    fn align(&self, summary: &SummaryView, map: ByDay) -> Vec<u64> {
        let mut out = vec![0u64; self.days.len()];
        for (d, n) in by_day(summary, map) {
            if let Ok(i) = self.days.binary_search_by(|x| x.as_str().cmp(d)) {
                // Hosts' counts are each at most 2^53 (checked on reading); their sum is
                // not, so it saturates rather than wraps.
                out[i] = out[i].saturating_add(n);
            }
        }
        out
    }
}

/// Every series of both summaries, aligned to each side's days.
pub fn series(
    baseline: &SummaryView,
    current: &SummaryView,
    b: &PeriodSide,
    c: &PeriodSide,
) -> Vec<DailySeries> {
    SERIES
        .iter()
        .map(|(id, label, map)| DailySeries {
            id,
            label,
            baseline: b.align(baseline, *map),
            current: c.align(current, *map),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn days_come_from_the_period_and_series_are_aligned() {
        // 2026-09-30T22:00Z .. 2026-10-03T22:00Z is 1..3 October in Berlin (CEST).
        let s = json!({
            "period": {"label": "x", "tz": "Europe/Berlin",
                       "start_ms": 1790805600000i64, "end_ms": 1791064800000i64},
            "hosts": {"a": {"by_day": {"2026-10-01": 2, "2026-10-03": 1}},
                      "b": {"by_day": {"2026-10-03": 4, "2026-09-30": 9}}},
            "mac": {"denials": {"by_day": {"2026-10-02": 5}}},
        });
        let s = crate::compare::load::view_of(s);
        let p = PeriodSide::of(&s);
        assert_eq!(p.days, ["2026-10-01", "2026-10-02", "2026-10-03"]);
        let all = series(&s, &s, &p, &p);
        assert_eq!(all[0].baseline, [2, 0, 5], "events, day outside left out");
        assert_eq!(all[4].current, [0, 5, 0], "mac denials");
        assert_eq!(all[1].current, [0, 0, 0], "missing map counts 0");
    }

    #[test]
    fn an_unbounded_period_uses_the_days_with_events() {
        let s = json!({"period": {"label": "all time", "tz": "UTC"},
                       "hosts": {"a": {"by_day": {"2026-10-05": 1, "2026-10-01": 1}}}});
        let s = crate::compare::load::view_of(s);
        let p = PeriodSide::of(&s);
        assert_eq!(p.days, ["2026-10-01", "2026-10-05"]);
        assert_eq!(p.start, None);
    }
}
