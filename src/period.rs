//! Reporting periods: a half-open `[start, end)` interval in UTC, computed from a period
//! spec and an IANA time zone. (Spec parsing is being built; this is the stable core API.)

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;

/// A half-open interval of time `[start_ms, end_ms)` in epoch milliseconds, with the zone
/// used for calendar days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// Inclusive start, epoch milliseconds UTC.
    pub start_ms: i64,
    /// Exclusive end, epoch milliseconds UTC.
    pub end_ms: i64,
    /// Zone for calendar days and display.
    pub tz: Tz,
    /// What the user asked for (`2026-10`, `all time`, ...).
    pub label: String,
}

impl Period {
    /// Every instant: used when no period is given.
    pub fn unbounded(tz: Tz) -> Period {
        Period {
            start_ms: i64::MIN,
            end_ms: i64::MAX,
            tz,
            label: "all time".to_string(),
        }
    }

    /// True when `ms` falls inside the period.
    pub fn contains(&self, ms: i64) -> bool {
        self.start_ms <= ms && ms < self.end_ms
    }

    /// The calendar day (in the period's zone) of the instant `ms`.
    pub fn day_of(&self, ms: i64) -> NaiveDate {
        let utc = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
        self.tz.from_utc_datetime(&utc.naive_utc()).date_naive()
    }
}
