//! Reporting periods: a half-open `[start, end)` interval in UTC, computed from a period
//! spec and an IANA time zone.
//!
//! # Why this module exists
//!
//! Audit records carry UTC epoch timestamps (`msg=audit(1759312800.123:42)`), but
//! compliance evidence is requested for *calendar* periods: "October 2026", "Q4",
//! "last week", in the zone the auditor works in. A calendar month in a zone with
//! daylight saving time is not a whole number of days of UTC, and its days are not all 24
//! hours long. Getting a boundary wrong by an hour silently moves events into the wrong
//! report. This module does the calendar arithmetic once: every [`Period`] is turned into
//! UTC epoch milliseconds, so the hot loop only compares integers ([`Period::contains`],
//! or a binary search over [`Period::days`]).
//!
//! # Accepted forms
//!
//! [`Period::parse`] takes `YYYY-MM` (month), `YYYY-Qn` (quarter), `YYYY` (year),
//! `YYYY-Www` (ISO 8601 week, Monday to Monday), `YYYY-MM-DD` (one day) and the keywords
//! `last-month`, `this-month`, `last-week`, `this-week`, `yesterday`, `today` and `all`
//! (case-insensitive). Keywords are resolved against `now` in the local calendar of the
//! zone and recorded under their canonical form (`last-month` in November 2026 becomes
//! `2026-10`), so a report says which period it covers, not which words were typed.
//! `this-month`, `this-week` and `today` cover the whole calendar unit, including the
//! part that has not happened yet.
//!
//! [`Period::from_range`] takes `--from`/`--to` values: an RFC 3339 timestamp with an
//! offset (`2026-10-05T10:00:00+02:00`, `2026-10-05T08:00:00Z`), a local date-time
//! without offset (`2026-10-05T10:00`, read in the zone), or a date (`2026-10-05`,
//! meaning local midnight at the *start* of that day). For `--to` a date is therefore an
//! exclusive end: `--from 2026-10-01 --to 2026-11-01` is exactly October.
//!
//! # DST rules
//!
//! All calendar arithmetic happens on local dates; only the boundaries are converted to
//! UTC. The conversion of a local time to an instant follows two rules:
//!
//! * **Ambiguous** (the clock falls back and the local time happens twice): the
//!   *earliest* instant is used. So a day whose midnight repeats starts at the first
//!   midnight.
//! * **Non-existent** (the clock springs forward over it, e.g. `America/Santiago`
//!   2026-09-06 00:00, `America/Havana` 2026-03-08 00:00, `America/Sao_Paulo`
//!   2018-11-04 00:00): the *first instant after the gap* is used, i.e. the moment of
//!   the transition. That day starts at 01:00 local time and is 23 hours long.
//!
//! Consequently a local day may be 23 or 25 hours long (or 0 hours: `Pacific/Apia` skipped
//! 2011-12-30 entirely; such a day is left out of [`Period::days`] and cannot be asked
//! for), and a month is not `days * 24` hours: Europe/Berlin October 2026 is 745 hours,
//! `[2026-09-30T22:00Z, 2026-10-31T23:00Z)`.
//!
//! A day runs from the first occurrence of its midnight to the first occurrence of the
//! next. Where a clock went back *across* midnight (Canada/Newfoundland ended DST at 00:01
//! until 2010), the repeated wall-clock minutes before midnight belong to the new day;
//! [`Period::day_of`] follows the same rule, so it always agrees with [`Period::days`]
//! (an ignored test checks every offset change of every zone from 1800 to 2100).
//!
//! Nothing in this module panics on a [`chrono::MappedLocalTime`]; every case is handled.

use std::fmt;

use chrono::{
    DateTime, Datelike, Days, MappedLocalTime, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    SecondsFormat, TimeZone, Utc, Weekday,
};
use chrono_tz::{Tz, TZ_VARIANTS};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The list of accepted period forms, shared by the error messages.
const PERIOD_FORMS: &str = "YYYY-MM, YYYY-Qn, YYYY, YYYY-Www, YYYY-MM-DD, last-month, \
                            this-month, last-week, this-week, yesterday, today or all";

/// [`Period::days`] gives up (returns an empty list) beyond this many days.
pub const MAX_DAYS: i64 = 3700;

/// A half-open interval of time `[start_ms, end_ms)` in epoch milliseconds, with the zone
/// used for calendar days and display.
///
/// `start_ms == i64::MIN` means "no lower bound" and `end_ms == i64::MAX` means "no upper
/// bound".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// Inclusive start, epoch milliseconds UTC.
    pub start_ms: i64,
    /// Exclusive end, epoch milliseconds UTC.
    pub end_ms: i64,
    /// Zone for calendar days and display.
    pub tz: Tz,
    /// Human-readable name of the period: the canonical spec followed by the zone, e.g.
    /// `2026-10 (Europe/Berlin)`; `all time` for [`Period::unbounded`].
    pub label: String,
}

/// Why a period, range or zone could not be understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The spec matches none of the accepted forms.
    #[error("unrecognised period `{0}`: use {PERIOD_FORMS}")]
    Unrecognised(String),
    /// `YYYY-MM-DD` with a day that is not in the calendar (`2026-02-30`).
    #[error("no such date `{0}`: use YYYY-MM-DD with a day that exists in that month")]
    NoSuchDate(String),
    /// `YYYY-Www` with a week the ISO year does not have.
    #[error("no such ISO week `{spec}`: {year} has ISO weeks W01 to W{weeks:02}")]
    NoSuchWeek {
        /// The spec as given.
        spec: String,
        /// The ISO year asked for.
        year: i32,
        /// How many ISO weeks that year has (52 or 53).
        weeks: u32,
    },
    /// A `--from` or `--to` value that is neither RFC 3339 nor a date.
    #[error(
        "invalid {flag} `{value}`: use an RFC 3339 timestamp (2026-10-05T10:00:00+02:00 or \
         2026-10-05T08:00:00Z), a local date-time (2026-10-05T10:00) or a date (2026-10-05)"
    )]
    BadTimestamp {
        /// `--from` or `--to`.
        flag: &'static str,
        /// The value as given.
        value: String,
    },
    /// `--to` is not after `--from`.
    #[error(
        "empty range: --to {to} is not after --from {from}; the end is exclusive \
         (a --to date means the start of that day)"
    )]
    EmptyRange {
        /// The start, as given and as an instant.
        from: String,
        /// The end, as given and as an instant.
        to: String,
    },
    /// The period is well formed but covers no time in this zone (a skipped day).
    #[error("period `{spec}` is empty in {tz}: that local date was skipped by a time zone change")]
    Empty {
        /// The canonical spec.
        spec: String,
        /// The zone name.
        tz: String,
    },
    /// The dates cannot be represented (far outside the supported calendar range).
    #[error("period `{0}` is outside the supported date range")]
    OutOfRange(String),
    /// Not an IANA zone name.
    #[error(
        "unknown time zone `{name}`: {hint}use an IANA zone name such as Europe/Berlin, \
         America/New_York or UTC"
    )]
    UnknownTimeZone {
        /// The name as given.
        name: String,
        /// `did you mean ...? ` or empty.
        hint: String,
    },
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
    ///
    /// Agrees with [`Period::days`]: every `ms` inside a day's `[start, end)` maps to that
    /// day's date. A day starts at the *first* occurrence of its midnight, so after a clock
    /// change that goes back across midnight the result can be one day ahead of the wall
    /// clock (Canada/Newfoundland ended DST at 00:01 until 2010: on 1994-10-30 the clock
    /// went from 00:01 back to 1994-10-29 23:01, and that hour belongs to 1994-10-30).
    pub fn day_of(&self, ms: i64) -> NaiveDate {
        let Some(local) = to_local(self.tz, ms) else {
            return NaiveDate::default();
        };
        let mut day = local.date();
        while let Some(next) = day.succ_opt() {
            match local_midnight(self.tz, next) {
                Some(next_start) if next_start <= ms => day = next,
                _ => break,
            }
        }
        day
    }

    /// Parses a period spec (see the module docs for the forms) in the local calendar of
    /// `tz`. Keywords are resolved relative to `now`.
    ///
    /// # Errors
    ///
    /// [`PeriodError::Unrecognised`] for anything that is not an accepted form,
    /// [`PeriodError::NoSuchDate`] / [`PeriodError::NoSuchWeek`] for a calendar date or ISO
    /// week that does not exist, [`PeriodError::Empty`] for a local date the zone skipped.
    ///
    /// ```
    /// # use auditrail::period::Period;
    /// let now = chrono::DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z").unwrap().to_utc();
    /// let p = Period::parse("last-month", chrono_tz::Europe::Berlin, now).unwrap();
    /// assert_eq!(p.label, "2026-10 (Europe/Berlin)");
    /// assert_eq!(p.end_ms - p.start_ms, 745 * 3_600_000);
    /// ```
    pub fn parse(spec: &str, tz: Tz, now: DateTime<Utc>) -> Result<Period, PeriodError> {
        let trimmed = spec.trim();
        let lower = trimmed.to_ascii_lowercase();
        let out_of_range = || PeriodError::OutOfRange(trimmed.to_string());
        let today = || {
            to_local(tz, now.timestamp_millis())
                .map(|t| t.date())
                .ok_or_else(out_of_range)
        };
        match lower.as_str() {
            "all" => return Ok(Period::unbounded(tz)),
            "today" => return Unit::Day(today()?).period(tz),
            "yesterday" => {
                let day = today()?.pred_opt().ok_or_else(out_of_range)?;
                return Unit::Day(day).period(tz);
            }
            "this-month" => {
                let t = today()?;
                return Unit::Month(t.year(), t.month()).period(tz);
            }
            "last-month" => {
                let t = today()?;
                let (year, month) = match t.month() {
                    1 => (t.year() - 1, 12),
                    m => (t.year(), m - 1),
                };
                return Unit::Month(year, month).period(tz);
            }
            "this-week" => {
                let w = today()?.iso_week();
                return Unit::Week(w.year(), w.week()).period(tz);
            }
            "last-week" => {
                let day = today()?
                    .checked_sub_days(Days::new(7))
                    .ok_or_else(out_of_range)?;
                let w = day.iso_week();
                return Unit::Week(w.year(), w.week()).period(tz);
            }
            _ => {}
        }
        parse_unit(trimmed, &lower)?.period(tz)
    }

    /// A period from `--from`/`--to` values (see the module docs for the forms).
    ///
    /// A missing `from` means no lower bound; a missing `to` means `now`. A date given as
    /// `to` is the *start* of that day (exclusive end), so `--from 2026-10-01 --to
    /// 2026-11-01` is October.
    ///
    /// # Errors
    ///
    /// [`PeriodError::BadTimestamp`] for a value in none of the forms,
    /// [`PeriodError::EmptyRange`] when the end is not after the start.
    pub fn from_range(
        from: Option<&str>,
        to: Option<&str>,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<Period, PeriodError> {
        let (start_ms, from_text) = match from {
            None => (i64::MIN, String::new()),
            Some(v) => parse_bound(v, tz, "--from")?,
        };
        let (end_ms, to_text) = match to {
            None => {
                let ms = now.timestamp_millis();
                (ms, rfc3339_utc(ms).unwrap_or_default())
            }
            Some(v) => parse_bound(v, tz, "--to")?,
        };
        if end_ms <= start_ms {
            let show = |given: Option<&str>, ms: i64| {
                let at = rfc3339_utc(ms).unwrap_or_default();
                match given {
                    Some(g) => format!("`{}` ({at})", g.trim()),
                    None => format!("now ({at})"),
                }
            };
            return Err(PeriodError::EmptyRange {
                from: show(from, start_ms),
                to: show(to, end_ms),
            });
        }
        Ok(Period {
            start_ms,
            end_ms,
            tz,
            label: format!("{from_text}..{to_text} ({})", tz.name()),
        })
    }

    /// The report default: the last full calendar month before `now` in `tz`.
    ///
    /// Falls back to [`Period::unbounded`] only if `now` is at the very edge of the
    /// representable calendar (hundreds of thousands of years away).
    pub fn default_report(tz: Tz, now: DateTime<Utc>) -> Period {
        Period::parse("last-month", tz, now).unwrap_or_else(|_| Period::unbounded(tz))
    }

    /// The canonical spec of the period: `2026-10`, `2026-W43`, `all`, or
    /// `<from>..<to>` for a range. This is the label without the zone suffix.
    pub fn spec(&self) -> &str {
        let suffix_stripped = self
            .label
            .strip_suffix(')')
            .and_then(|l| l.strip_suffix(self.tz.name()))
            .and_then(|l| l.strip_suffix(" ("));
        match suffix_stripped {
            Some(spec) => spec,
            None if self.is_unbounded() => "all",
            None => &self.label,
        }
    }

    /// True when neither bound is set (all time).
    pub fn is_unbounded(&self) -> bool {
        self.start_ms == i64::MIN && self.end_ms == i64::MAX
    }

    /// True when both bounds are set.
    pub fn is_bounded(&self) -> bool {
        self.start_ms != i64::MIN && self.end_ms != i64::MAX
    }

    /// Length in milliseconds, or `None` when a bound is missing.
    pub fn duration_ms(&self) -> Option<i64> {
        if self.is_bounded() {
            self.end_ms.checked_sub(self.start_ms)
        } else {
            None
        }
    }

    /// Each local calendar day that overlaps the period, with its UTC `[start_ms, end_ms)`
    /// bounds clipped to the period. Days are contiguous and their lengths sum to the
    /// period's length; a day may be 23 or 25 hours long, and a day skipped by the zone
    /// (zero length) is left out.
    ///
    /// Empty for a period without both bounds or longer than [`MAX_DAYS`] days.
    pub fn days(&self) -> Vec<(NaiveDate, i64, i64)> {
        self.try_days().unwrap_or_default()
    }

    fn try_days(&self) -> Option<Vec<(NaiveDate, i64, i64)>> {
        if !self.is_bounded() || self.end_ms <= self.start_ms {
            return None;
        }
        let first = self.day_of(self.start_ms);
        let last = self.day_of(self.end_ms.saturating_sub(1));
        let count = (last - first).num_days() + 1;
        if !(1..=MAX_DAYS).contains(&count) {
            return None;
        }
        let mut out = Vec::with_capacity(usize::try_from(count).ok()?);
        let mut day = first;
        let mut day_start = local_midnight(self.tz, day)?;
        loop {
            let next = day.succ_opt()?;
            let next_start = local_midnight(self.tz, next)?;
            let start = day_start.max(self.start_ms);
            let end = next_start.min(self.end_ms);
            if start < end {
                out.push((day, start, end));
            }
            if day >= last {
                return Some(out);
            }
            day = next;
            day_start = next_start;
        }
    }

    /// The period in local time with abbreviations, e.g.
    /// `2026-10-01 00:00 CEST .. 2026-11-01 00:00 CET (Europe/Berlin)`.
    pub fn describe(&self) -> String {
        if self.is_unbounded() {
            return format!("all time ({})", self.tz.name());
        }
        let show = |ms: i64, unbounded: bool| {
            if unbounded {
                return "(unbounded)".to_string();
            }
            match DateTime::from_timestamp_millis(ms) {
                Some(t) => {
                    let local = t.with_timezone(&self.tz);
                    let fmt = if ms.rem_euclid(60_000) == 0 {
                        "%Y-%m-%d %H:%M %Z"
                    } else if ms.rem_euclid(1000) == 0 {
                        "%Y-%m-%d %H:%M:%S %Z"
                    } else {
                        "%Y-%m-%d %H:%M:%S%.3f %Z"
                    };
                    local.format(fmt).to_string()
                }
                None => format!("{ms} ms"),
            }
        };
        format!(
            "{} .. {} ({})",
            show(self.start_ms, self.start_ms == i64::MIN),
            show(self.end_ms, self.end_ms == i64::MAX),
            self.tz.name()
        )
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// Serialised as `{label, spec, tz, start, end}`; `start`/`end` are RFC 3339 UTC strings
/// ending in `Z`, or `null` when unbounded.
impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bound = |ms: i64, open: i64| if ms == open { None } else { rfc3339_utc(ms) };
        let mut s = serializer.serialize_struct("Period", 5)?;
        s.serialize_field("label", &self.label)?;
        s.serialize_field("spec", self.spec())?;
        s.serialize_field("tz", self.tz.name())?;
        s.serialize_field("start", &bound(self.start_ms, i64::MIN))?;
        s.serialize_field("end", &bound(self.end_ms, i64::MAX))?;
        s.end()
    }
}

/// Parses an IANA zone name (`Europe/Berlin`, `UTC`), case-insensitively.
///
/// # Errors
///
/// [`PeriodError::UnknownTimeZone`], suggesting the full name when only the city was given
/// (`Berlin` -> `Europe/Berlin`).
pub fn parse_tz(name: &str) -> Result<Tz, PeriodError> {
    let n = name.trim();
    if let Ok(tz) = n.parse::<Tz>() {
        return Ok(tz);
    }
    if let Some(tz) = TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(n))
    {
        return Ok(*tz);
    }
    // `Berlin` -> `Europe/Berlin`, `new york` -> `America/New_York`.
    let wanted = n.replace(' ', "_");
    let hint = TZ_VARIANTS
        .iter()
        .find(|tz| {
            !wanted.is_empty()
                && tz
                    .name()
                    .rsplit('/')
                    .next()
                    .is_some_and(|last| last.eq_ignore_ascii_case(&wanted))
        })
        .map(|tz| format!("did you mean {}? ", tz.name()))
        .unwrap_or_default();
    Err(PeriodError::UnknownTimeZone {
        name: name.to_string(),
        hint,
    })
}

/// A calendar unit named by a spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Year(i32),
    Quarter(i32, u32),
    Month(i32, u32),
    Week(i32, u32),
    Day(NaiveDate),
}

impl Unit {
    fn spec(self) -> String {
        match self {
            Unit::Year(y) => format!("{y:04}"),
            Unit::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Unit::Month(y, m) => format!("{y:04}-{m:02}"),
            Unit::Week(y, w) => format!("{y:04}-W{w:02}"),
            Unit::Day(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// First local date and the first local date after the unit.
    fn dates(self) -> Option<(NaiveDate, NaiveDate)> {
        let (first, next) = match self {
            Unit::Year(y) => {
                let first = NaiveDate::from_ymd_opt(y, 1, 1)?;
                (first, first.checked_add_months(Months::new(12))?)
            }
            Unit::Quarter(y, q) => {
                let first = NaiveDate::from_ymd_opt(y, 3 * (q - 1) + 1, 1)?;
                (first, first.checked_add_months(Months::new(3))?)
            }
            Unit::Month(y, m) => {
                let first = NaiveDate::from_ymd_opt(y, m, 1)?;
                (first, first.checked_add_months(Months::new(1))?)
            }
            Unit::Week(y, w) => {
                let first = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?;
                (first, first.checked_add_days(Days::new(7))?)
            }
            Unit::Day(d) => (d, d.succ_opt()?),
        };
        Some((first, next))
    }

    fn period(self, tz: Tz) -> Result<Period, PeriodError> {
        let spec = self.spec();
        let bounds = self.dates().and_then(|(first, next)| {
            Some((local_midnight(tz, first)?, local_midnight(tz, next)?))
        });
        let Some((start_ms, end_ms)) = bounds else {
            return Err(PeriodError::OutOfRange(spec));
        };
        if end_ms <= start_ms {
            return Err(PeriodError::Empty {
                spec,
                tz: tz.name().to_string(),
            });
        }
        Ok(Period {
            start_ms,
            end_ms,
            tz,
            label: format!("{spec} ({})", tz.name()),
        })
    }
}

/// `YYYY`, `YYYY-MM`, `YYYY-Qn`, `YYYY-Www`, `YYYY-MM-DD` (`lower` is `spec` lowercased).
fn parse_unit(spec: &str, lower: &str) -> Result<Unit, PeriodError> {
    let unrecognised = || PeriodError::Unrecognised(spec.to_string());
    let parts: Vec<&str> = lower.split('-').collect();
    let year = parts
        .first()
        .and_then(|y| digits(y, 4))
        .ok_or_else(unrecognised)?;
    let year = i32::try_from(year).map_err(|_| unrecognised())?;
    match parts[1..] {
        [] => Ok(Unit::Year(year)),
        [second] => {
            if let Some(q) = second.strip_prefix('q') {
                match digits(q, 1) {
                    Some(q @ 1..=4) => Ok(Unit::Quarter(year, q)),
                    _ => Err(unrecognised()),
                }
            } else if let Some(w) = second.strip_prefix('w') {
                let week = digits(w, 2).ok_or_else(unrecognised)?;
                if NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).is_none() {
                    return Err(PeriodError::NoSuchWeek {
                        spec: spec.to_string(),
                        year,
                        weeks: iso_weeks_in_year(year),
                    });
                }
                Ok(Unit::Week(year, week))
            } else {
                match digits(second, 2) {
                    Some(m @ 1..=12) => Ok(Unit::Month(year, m)),
                    _ => Err(unrecognised()),
                }
            }
        }
        [month, day] => {
            let month = digits(month, 2).ok_or_else(unrecognised)?;
            let day = digits(day, 2).ok_or_else(unrecognised)?;
            if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
                return Err(unrecognised());
            }
            NaiveDate::from_ymd_opt(year, month, day)
                .map(Unit::Day)
                .ok_or_else(|| PeriodError::NoSuchDate(spec.to_string()))
        }
        _ => Err(unrecognised()),
    }
}

/// Exactly `len` ASCII digits.
fn digits(s: &str, len: usize) -> Option<u32> {
    if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// 52 or 53: the ISO week of 28 December is always the last week of its ISO year.
fn iso_weeks_in_year(year: i32) -> u32 {
    NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week())
}

/// One `--from`/`--to` value: the instant and its canonical text.
fn parse_bound(value: &str, tz: Tz, flag: &'static str) -> Result<(i64, String), PeriodError> {
    let v = value.trim();
    let bad = || PeriodError::BadTimestamp {
        flag,
        value: value.to_string(),
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        let ms = t.timestamp_millis();
        return Ok((ms, rfc3339_utc(ms).ok_or_else(bad)?));
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        let ms = local_midnight(tz, d).ok_or_else(bad)?;
        return Ok((ms, d.format("%Y-%m-%d").to_string()));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(v, fmt) {
            let ms = resolve_local(tz, t).ok_or_else(bad)?;
            return Ok((ms, rfc3339_utc(ms).ok_or_else(bad)?));
        }
    }
    Err(bad())
}

/// `ms` as RFC 3339 in UTC with `Z`, with fractional seconds only when non-zero.
fn rfc3339_utc(ms: i64) -> Option<String> {
    DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// The local wall-clock time of the instant `ms` in `tz` (never panics).
fn to_local(tz: Tz, ms: i64) -> Option<NaiveDateTime> {
    let utc = DateTime::from_timestamp_millis(ms)?.naive_utc();
    utc.checked_add_offset(tz.offset_from_utc_datetime(&utc).fix())
}

/// The instant at which the local day `date` begins in `tz`.
fn local_midnight(tz: Tz, date: NaiveDate) -> Option<i64> {
    resolve_local(tz, date.and_time(NaiveTime::MIN))
}

/// A local wall-clock time as an instant in epoch ms: the earliest instant when ambiguous,
/// the first instant after the gap when it does not exist.
fn resolve_local(tz: Tz, local: NaiveDateTime) -> Option<i64> {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(t) => Some(t.timestamp_millis()),
        MappedLocalTime::Ambiguous(a, b) => Some(a.min(b).timestamp_millis()),
        MappedLocalTime::None => gap_end(tz, local),
    }
}

/// The first instant whose local time is later than `local`, which lies in a gap.
///
/// Searches UTC instants within 26 hours either side of `local` read as UTC (no offset
/// exceeds that) for the instant where the local clock jumps past `local`. Transitions
/// fall on whole seconds, and the search is exact to the millisecond.
fn gap_end(tz: Tz, local: NaiveDateTime) -> Option<i64> {
    const WINDOW_MS: i64 = 26 * 3_600_000;
    let as_utc = local.and_utc().timestamp_millis();
    let mut lo = as_utc.checked_sub(WINDOW_MS)?;
    let mut hi = as_utc.checked_add(WINDOW_MS)?;
    let past = |ms: i64| to_local(tz, ms).map(|t| t > local);
    // Invariant: the local time at `lo` is before `local`, at `hi` after it.
    if past(lo)? || !past(hi)? {
        return None;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if past(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Europe, Pacific, UTC};

    const HOUR: i64 = 3_600_000;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn ms(s: &str) -> i64 {
        utc(s).timestamp_millis()
    }

    fn now() -> DateTime<Utc> {
        utc("2026-11-22T10:00:00Z")
    }

    fn p(spec: &str, tz: Tz) -> Period {
        Period::parse(spec, tz, now()).unwrap_or_else(|e| panic!("{spec}: {e}"))
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn bounds(p: &Period) -> (String, String) {
        (
            rfc3339_utc(p.start_ms).unwrap(),
            rfc3339_utc(p.end_ms).unwrap(),
        )
    }

    fn hours(p: &Period) -> i64 {
        assert_eq!(p.duration_ms().unwrap() % HOUR, 0);
        p.duration_ms().unwrap() / HOUR
    }

    /// The invariants of `days()`: contiguous, clipped, lengths sum to the period, and
    /// `day_of` agrees on both ends of every day.
    fn check_days(p: &Period) -> Vec<(NaiveDate, i64, i64)> {
        let days = p.days();
        assert!(!days.is_empty(), "{p:?}");
        assert_eq!(days[0].1, p.start_ms);
        assert_eq!(days[days.len() - 1].2, p.end_ms);
        let mut total = 0;
        for (i, &(d, s, e)) in days.iter().enumerate() {
            assert!(s < e, "{d}");
            assert_eq!(p.day_of(s), d, "{} start of {d}", p.tz);
            assert_eq!(p.day_of(e - 1), d, "{} end of {d}", p.tz);
            if i > 0 {
                assert_eq!(days[i - 1].2, s);
                assert!(days[i - 1].0 < d);
            }
            total += e - s;
        }
        assert_eq!(total, p.duration_ms().unwrap());
        days
    }

    #[test]
    fn berlin_october_2026_is_745_hours() {
        let p = p("2026-10", Europe::Berlin);
        assert_eq!(
            bounds(&p),
            ("2026-09-30T22:00:00Z".into(), "2026-10-31T23:00:00Z".into())
        );
        assert_eq!(hours(&p), 745);
        assert_eq!(p.label, "2026-10 (Europe/Berlin)");
        assert_eq!(p.spec(), "2026-10");
        assert_eq!(
            p.describe(),
            "2026-10-01 00:00 CEST .. 2026-11-01 00:00 CET (Europe/Berlin)"
        );
        let days = check_days(&p);
        assert_eq!(days.len(), 31);
        for (d, s, e) in days {
            let expected = if d == date("2026-10-25") { 25 } else { 24 };
            assert_eq!((e - s) / HOUR, expected, "{d}");
        }
    }

    #[test]
    fn berlin_fall_back_day_has_25_hours() {
        let p = p("2026-10-25", Europe::Berlin);
        assert_eq!(
            bounds(&p),
            ("2026-10-24T22:00:00Z".into(), "2026-10-25T23:00:00Z".into())
        );
        assert_eq!(hours(&p), 25);
        assert_eq!(check_days(&p).len(), 1);
    }

    #[test]
    fn us_spring_forward_day_has_23_hours() {
        let p = p("2026-03-08", America::New_York);
        assert_eq!(
            bounds(&p),
            ("2026-03-08T05:00:00Z".into(), "2026-03-09T04:00:00Z".into())
        );
        assert_eq!(hours(&p), 23);
        assert_eq!(hours(&self::p("2026-11-01", America::New_York)), 25);
        assert_eq!(hours(&self::p("2026-03", America::New_York)), 31 * 24 - 1);
    }

    #[test]
    fn santiago_midnight_gap_resolves_to_first_instant_after() {
        let midnight = date("2026-09-06").and_time(NaiveTime::MIN);
        assert_eq!(
            America::Santiago.from_local_datetime(&midnight),
            MappedLocalTime::None,
            "the test relies on 2026-09-06 00:00 not existing in Santiago"
        );
        // 2026-09-05 24:00 -04 = 04:00Z, when the clock jumps to 01:00 -03.
        let p = p("2026-09-06", America::Santiago);
        assert_eq!(
            bounds(&p),
            ("2026-09-06T04:00:00Z".into(), "2026-09-07T03:00:00Z".into())
        );
        assert_eq!(hours(&p), 23);
        assert_eq!(
            p.describe(),
            "2026-09-06 01:00 -03 .. 2026-09-07 00:00 -03 (America/Santiago)"
        );
        // The day before ends where the gap day starts.
        let before = self::p("2026-09-05", America::Santiago);
        assert_eq!(before.end_ms, p.start_ms);
        assert_eq!(hours(&before), 24);
        check_days(&self::p("2026-09", America::Santiago));
        // A gap that does not start at midnight: the first instant after it, not
        // "the same wall time plus the gap length".
        let in_gap = date("2026-09-06").and_hms_opt(0, 30, 0).unwrap();
        assert_eq!(
            resolve_local(America::Santiago, in_gap),
            Some(ms("2026-09-06T04:00:00Z"))
        );
    }

    #[test]
    fn historic_sao_paulo_and_havana_gaps() {
        // Brazil started DST at midnight until 2018.
        let p = p("2018-11-04", America::Sao_Paulo);
        assert_eq!(
            bounds(&p),
            ("2018-11-04T03:00:00Z".into(), "2018-11-05T02:00:00Z".into())
        );
        assert_eq!(hours(&p), 23);
        // ... and ended it at midnight, going back to 23:00 of the day before.
        assert_eq!(hours(&self::p("2018-02-17", America::Sao_Paulo)), 25);
        check_days(&self::p("2018", America::Sao_Paulo));
        // Cuba: spring forward at 00:00 (gap), fall back at 01:00 to 00:00 (midnight
        // happens twice: the day starts at the first one).
        assert_eq!(hours(&self::p("2026-03-08", America::Havana)), 23);
        let fall = self::p("2026-11-01", America::Havana);
        assert_eq!(rfc3339_utc(fall.start_ms).unwrap(), "2026-11-01T04:00:00Z");
        assert_eq!(hours(&fall), 25);
        check_days(&self::p("2026", America::Havana));
    }

    #[test]
    fn ambiguous_local_time_resolves_to_earliest() {
        let t = date("2026-10-25").and_hms_opt(2, 30, 0).unwrap();
        assert!(matches!(
            Europe::Berlin.from_local_datetime(&t),
            MappedLocalTime::Ambiguous(..)
        ));
        assert_eq!(
            resolve_local(Europe::Berlin, t),
            Some(ms("2026-10-25T00:30:00Z"))
        );
        let r = Period::from_range(
            Some("2026-10-25T02:30"),
            Some("2026-10-26"),
            Europe::Berlin,
            now(),
        )
        .unwrap();
        assert_eq!(rfc3339_utc(r.start_ms).unwrap(), "2026-10-25T00:30:00Z");
    }

    #[test]
    fn skipped_day_is_empty() {
        // Samoa moved across the date line: 2011-12-29 23:59:59 -10 was followed by
        // 2011-12-31 00:00:00 +14.
        let err = Period::parse("2011-12-30", Pacific::Apia, now()).unwrap_err();
        assert!(matches!(err, PeriodError::Empty { .. }), "{err}");
        assert!(err.to_string().contains("Pacific/Apia"));
        let dec = p("2011-12", Pacific::Apia);
        let days = check_days(&dec);
        assert_eq!(days.len(), 30);
        assert!(days.iter().all(|d| d.0 != date("2011-12-30")));
        assert_eq!(hours(&dec), 30 * 24);
    }

    #[test]
    fn backward_jump_across_midnight() {
        // Newfoundland ended DST at 00:01 until 2010: on 1994-10-30 the clock went from
        // 00:00:59 NDT back to 1994-10-29 23:01 NST. The 30th began at its first midnight.
        let tz = America::St_Johns;
        let p = p("1994-10-30", tz);
        assert_eq!(
            bounds(&p),
            ("1994-10-30T02:30:00Z".into(), "1994-10-31T03:30:00Z".into())
        );
        assert_eq!(hours(&p), 25);
        assert_eq!(hours(&self::p("1994-10-29", tz)), 24);
        let after_jump = ms("1994-10-30T02:31:00Z");
        assert_eq!(to_local(tz, after_jump).unwrap().date(), date("1994-10-29"));
        assert_eq!(p.day_of(after_jump), date("1994-10-30"));
        assert_eq!(p.day_of(after_jump - 1), date("1994-10-30"));
        check_days(&self::p("1994-10", tz));
        // Alaska crossed the date line in 1867 and lived through 1867-10-18 twice; the
        // repeated part belongs to the 19th, which is therefore 48 hours long.
        let oct = self::p("1867-10", America::Anchorage);
        let days = check_days(&oct);
        let the_19th = days.iter().find(|d| d.0 == date("1867-10-19")).unwrap();
        assert_eq!(the_19th.2 - the_19th.1, 48 * HOUR);
    }

    /// Slow (minutes in a debug build): `cargo test --lib period -- --ignored`.
    /// Finds every UTC offset change in every zone from 1800 to 2100 and checks that
    /// `days()` around it is contiguous and agrees with `day_of`.
    #[test]
    #[ignore = "slow: scans every zone's transitions from 1800 to 2100"]
    fn every_transition_in_every_zone() {
        let offset = |tz: Tz, ms: i64| {
            let t = DateTime::from_timestamp_millis(ms).unwrap().naive_utc();
            tz.offset_from_utc_datetime(&t).fix().local_minus_utc()
        };
        let (first, last) = (ms("1800-01-01T00:00:00Z"), ms("2100-01-01T00:00:00Z"));
        let step = 3 * HOUR;
        let mut transitions = 0;
        for tz in TZ_VARIANTS {
            let mut t = first;
            let mut o = offset(tz, t);
            while t < last {
                let (t2, o2) = (t + step, offset(tz, t + step));
                if o2 != o {
                    transitions += 1;
                    let (mut lo, mut hi) = (t, t2);
                    while hi - lo > 1 {
                        let mid = lo + (hi - lo) / 2;
                        if offset(tz, mid) == o {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    let around = Period {
                        start_ms: hi - 50 * HOUR,
                        end_ms: hi + 50 * HOUR,
                        tz,
                        label: String::new(),
                    };
                    for (d, s, e) in check_days(&around) {
                        for probe in [hi - 1, hi, hi + 1] {
                            if s <= probe && probe < e {
                                assert_eq!(around.day_of(probe), d, "{tz} {probe}");
                            }
                        }
                    }
                }
                (t, o) = (t2, o2);
            }
        }
        assert!(transitions > 60_000, "{transitions}");
    }

    #[test]
    fn every_zone_2026_days_are_consistent() {
        for tz in TZ_VARIANTS {
            let year = p("2026", tz);
            let days = check_days(&year);
            assert_eq!(days.len(), 365, "{tz}");
            for (d, s, e) in days {
                let h = (e - s) as f64 / HOUR as f64;
                assert!((22.0..=26.0).contains(&h), "{tz} {d} {h}");
            }
        }
    }

    #[test]
    fn month_quarter_year_day_forms() {
        let m = p("2026-10", UTC);
        assert_eq!(
            bounds(&m),
            ("2026-10-01T00:00:00Z".into(), "2026-11-01T00:00:00Z".into())
        );
        let q = p("2026-Q4", Europe::Berlin);
        assert_eq!(
            bounds(&q),
            ("2026-09-30T22:00:00Z".into(), "2026-12-31T23:00:00Z".into())
        );
        assert_eq!(q.spec(), "2026-Q4");
        assert_eq!(check_days(&q).len(), 92);
        let q1 = p("2026-Q1", UTC);
        assert_eq!(
            bounds(&q1),
            ("2026-01-01T00:00:00Z".into(), "2026-04-01T00:00:00Z".into())
        );
        let y = p("2026", Europe::Berlin);
        assert_eq!(
            bounds(&y),
            ("2025-12-31T23:00:00Z".into(), "2026-12-31T23:00:00Z".into())
        );
        assert_eq!(hours(&y), 365 * 24);
        let d = p("2026-10-05", Europe::Berlin);
        assert_eq!(
            bounds(&d),
            ("2026-10-04T22:00:00Z".into(), "2026-10-05T22:00:00Z".into())
        );
        assert_eq!(d.label, "2026-10-05 (Europe/Berlin)");
        let all = p("all", Europe::Berlin);
        assert_eq!(all, Period::unbounded(Europe::Berlin));
        assert!(all.contains(i64::MIN) && all.contains(0) && all.contains(i64::MAX - 1));
        assert!(all.days().is_empty());
        assert_eq!(all.spec(), "all");
        assert_eq!(all.duration_ms(), None);
    }

    #[test]
    fn leap_years() {
        assert_eq!(check_days(&p("2028-02", UTC)).len(), 29);
        assert_eq!(check_days(&p("2026-02", UTC)).len(), 28);
        assert_eq!(hours(&p("2028", UTC)), 366 * 24);
        assert_eq!(hours(&p("2028-02-29", UTC)), 24);
        assert!(matches!(
            Period::parse("2026-02-29", UTC, now()),
            Err(PeriodError::NoSuchDate(_))
        ));
        assert!(Period::parse("2100-02-29", UTC, now()).is_err());
        assert!(Period::parse("2000-02-29", UTC, now()).is_ok());
    }

    #[test]
    fn iso_weeks() {
        let w1 = p("2026-W01", UTC);
        assert_eq!(
            bounds(&w1),
            ("2025-12-29T00:00:00Z".into(), "2026-01-05T00:00:00Z".into())
        );
        let w43 = p("2026-w43", Europe::Berlin);
        assert_eq!(w43.spec(), "2026-W43");
        // Monday 2026-10-19 to Monday 2026-10-26, across the fall-back.
        assert_eq!(
            bounds(&w43),
            ("2026-10-18T22:00:00Z".into(), "2026-10-25T23:00:00Z".into())
        );
        assert_eq!(hours(&w43), 7 * 24 + 1);
        let days = check_days(&w43);
        assert_eq!(days[0].0.weekday(), Weekday::Mon);
        assert_eq!(days.len(), 7);
        // 2026 starts on a Thursday, so it has 53 ISO weeks; 2025 has 52.
        assert_eq!(iso_weeks_in_year(2026), 53);
        let w53 = p("2026-W53", UTC);
        assert_eq!(
            bounds(&w53),
            ("2026-12-28T00:00:00Z".into(), "2027-01-04T00:00:00Z".into())
        );
        let err = Period::parse("2025-W53", UTC, now()).unwrap_err();
        assert_eq!(
            err,
            PeriodError::NoSuchWeek {
                spec: "2025-W53".into(),
                year: 2025,
                weeks: 52
            }
        );
        assert_eq!(
            err.to_string(),
            "no such ISO week `2025-W53`: 2025 has ISO weeks W01 to W52"
        );
        assert!(matches!(
            Period::parse("2026-W54", UTC, now()),
            Err(PeriodError::NoSuchWeek { weeks: 53, .. })
        ));
        assert!(Period::parse("2026-W00", UTC, now()).is_err());
        assert!(Period::parse("2026-W1", UTC, now()).is_err());
    }

    #[test]
    fn keywords_relative_to_now() {
        // now = Sunday 2026-11-22 10:00Z, ISO week 2026-W47.
        let tz = Europe::Berlin;
        assert_eq!(p("today", tz).spec(), "2026-11-22");
        assert_eq!(p("yesterday", tz).spec(), "2026-11-21");
        assert_eq!(p("this-month", tz).spec(), "2026-11");
        assert_eq!(p("last-month", tz).spec(), "2026-10");
        assert_eq!(p("this-week", tz).spec(), "2026-W47");
        assert_eq!(p("last-week", tz).spec(), "2026-W46");
        assert_eq!(p("last-month", tz), p("2026-10", tz));
        assert_eq!(p("LAST-Month", tz), p("2026-10", tz));
        assert_eq!(p("  Today ", tz), p("2026-11-22", tz));
        assert_eq!(Period::default_report(tz, now()), p("2026-10", tz));

        // The local calendar decides: 23:30Z on 30 November is already December in Berlin.
        let late = utc("2026-11-30T23:30:00Z");
        let parse = |s: &str, tz: Tz| Period::parse(s, tz, late).unwrap().spec().to_string();
        assert_eq!(parse("this-month", tz), "2026-12");
        assert_eq!(parse("last-month", tz), "2026-11");
        assert_eq!(parse("today", tz), "2026-12-01");
        assert_eq!(parse("this-month", UTC), "2026-11");
        assert_eq!(parse("today", America::New_York), "2026-11-30");

        // Year boundaries.
        let jan = utc("2027-01-06T12:00:00Z");
        let parse = |s: &str| Period::parse(s, UTC, jan).unwrap().spec().to_string();
        assert_eq!(parse("last-month"), "2026-12");
        assert_eq!(parse("this-week"), "2027-W01");
        assert_eq!(parse("last-week"), "2026-W53");
        let new_year = utc("2027-01-01T05:00:00Z");
        let y = Period::parse("yesterday", UTC, new_year).unwrap();
        assert_eq!(y.spec(), "2026-12-31");
    }

    #[test]
    fn canonical_spec_round_trips() {
        for spec in [
            "2026",
            "2026-Q2",
            "2026-03",
            "2026-W10",
            "2026-03-29",
            "last-week",
            "today",
            "all",
        ] {
            let a = p(spec, Europe::Berlin);
            let b = Period::parse(a.spec(), Europe::Berlin, utc("2000-01-01T00:00:00Z")).unwrap();
            assert_eq!(a, b, "{spec}");
        }
    }

    #[test]
    fn garbage_is_rejected_with_the_accepted_forms() {
        for bad in [
            "",
            " ",
            "2026-13",
            "2026-00",
            "2026-Q5",
            "2026-Q0",
            "2026-Q",
            "26-10",
            "2026-1",
            "2026/10",
            "2026-10-32",
            "2026-10-5",
            "2026-10-05-01",
            "20260",
            "next-month",
            "last month",
            "2026-Wx",
            "２０２６",
            "2026-10-05T00:00",
            "-2026",
            "+2026",
        ] {
            let err = Period::parse(bad, UTC, now()).unwrap_err();
            assert!(
                matches!(err, PeriodError::Unrecognised(_)),
                "{bad:?}: {err:?}"
            );
        }
        assert_eq!(
            Period::parse("2026-13", UTC, now())
                .unwrap_err()
                .to_string(),
            "unrecognised period `2026-13`: use YYYY-MM, YYYY-Qn, YYYY, YYYY-Www, YYYY-MM-DD, \
             last-month, this-month, last-week, this-week, yesterday, today or all"
        );
        assert_eq!(
            Period::parse("2026-02-30", UTC, now())
                .unwrap_err()
                .to_string(),
            "no such date `2026-02-30`: use YYYY-MM-DD with a day that exists in that month"
        );
    }

    #[test]
    fn from_range_forms() {
        let tz = Europe::Berlin;
        // Dates: from is the start of the day, to is the start of the day (exclusive end).
        let oct = Period::from_range(Some("2026-10-01"), Some("2026-11-01"), tz, now()).unwrap();
        assert_eq!(
            (oct.start_ms, oct.end_ms),
            (p("2026-10", tz).start_ms, p("2026-10", tz).end_ms)
        );
        assert_eq!(oct.label, "2026-10-01..2026-11-01 (Europe/Berlin)");
        assert_eq!(oct.spec(), "2026-10-01..2026-11-01");
        assert_eq!(check_days(&oct).len(), 31);

        // RFC 3339 with offset and with Z; partial days are clipped.
        let r = Period::from_range(
            Some("2026-10-05T10:00:00+02:00"),
            Some("2026-10-06T09:30:00.250Z"),
            tz,
            now(),
        )
        .unwrap();
        assert_eq!(r.start_ms, ms("2026-10-05T08:00:00Z"));
        assert_eq!(r.end_ms, ms("2026-10-06T09:30:00.250Z"));
        assert_eq!(
            r.label,
            "2026-10-05T08:00:00Z..2026-10-06T09:30:00.250Z (Europe/Berlin)"
        );
        assert_eq!(
            r.describe(),
            "2026-10-05 10:00 CEST .. 2026-10-06 11:30:00.250 CEST (Europe/Berlin)"
        );
        let days = check_days(&r);
        assert_eq!(days.len(), 2);
        assert_eq!(
            days[0],
            (date("2026-10-05"), r.start_ms, ms("2026-10-05T22:00:00Z"))
        );

        // Local date-time without offset is read in the zone.
        let l = Period::from_range(Some("2026-10-05T10:00"), None, tz, now()).unwrap();
        assert_eq!(l.start_ms, ms("2026-10-05T08:00:00Z"));
        assert_eq!(l.end_ms, now().timestamp_millis());

        // Missing from: no lower bound.
        let open = Period::from_range(None, Some("2026-10-01"), tz, now()).unwrap();
        assert_eq!(open.start_ms, i64::MIN);
        assert!(!open.is_bounded() && !open.is_unbounded());
        assert!(open.days().is_empty());
        assert_eq!(
            open.describe(),
            "(unbounded) .. 2026-10-01 00:00 CEST (Europe/Berlin)"
        );

        // Missing both: everything up to now.
        let upto = Period::from_range(None, None, tz, now()).unwrap();
        assert_eq!(
            (upto.start_ms, upto.end_ms),
            (i64::MIN, now().timestamp_millis())
        );
    }

    #[test]
    fn from_range_rejects_reversed_empty_and_garbage() {
        let tz = Europe::Berlin;
        let reversed = Period::from_range(Some("2026-11-01"), Some("2026-10-01"), tz, now());
        let err = reversed.unwrap_err();
        assert!(matches!(err, PeriodError::EmptyRange { .. }));
        assert!(
            err.to_string()
                .contains("`2026-10-01` (2026-09-30T22:00:00Z)"),
            "{err}"
        );
        // Same day as both ends: empty, because --to is exclusive.
        assert!(Period::from_range(Some("2026-10-05"), Some("2026-10-05"), tz, now()).is_err());
        // --from in the future with --to omitted (= now).
        let err = Period::from_range(Some("2027-01-01"), None, tz, now()).unwrap_err();
        assert!(
            err.to_string().contains("now (2026-11-22T10:00:00Z)"),
            "{err}"
        );
        for bad in [
            "",
            "yesterday",
            "2026-10",
            "2026-10-05T25:00:00Z",
            "05.10.2026",
        ] {
            let err = Period::from_range(Some(bad), None, tz, now()).unwrap_err();
            assert_eq!(
                err,
                PeriodError::BadTimestamp {
                    flag: "--from",
                    value: bad.into()
                }
            );
            assert!(err.to_string().starts_with("invalid --from"));
            let err = Period::from_range(None, Some(bad), tz, now()).unwrap_err();
            assert!(err.to_string().starts_with("invalid --to"), "{err}");
        }
    }

    #[test]
    fn days_limits() {
        let long = Period::from_range(Some("2000-01-01"), Some("2020-01-01"), UTC, now()).unwrap();
        assert!(long.days().is_empty());
        let max = Period::from_range(Some("2000-01-01"), Some("2010-02-17"), UTC, now()).unwrap();
        assert_eq!(max.days().len() as i64, MAX_DAYS);
        let over = Period::from_range(Some("2000-01-01"), Some("2010-02-18"), UTC, now()).unwrap();
        assert!(over.days().is_empty());
        assert!(Period::unbounded(UTC).days().is_empty());
    }

    #[test]
    fn serializes_with_utc_bounds() {
        let json = serde_json::to_value(p("2026-10", Europe::Berlin)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "label": "2026-10 (Europe/Berlin)",
                "spec": "2026-10",
                "tz": "Europe/Berlin",
                "start": "2026-09-30T22:00:00Z",
                "end": "2026-10-31T23:00:00Z",
            })
        );
        let json = serde_json::to_value(Period::unbounded(UTC)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "label": "all time", "spec": "all", "tz": "UTC", "start": null, "end": null,
            })
        );
    }

    #[test]
    fn time_zone_names() {
        assert_eq!(parse_tz("Europe/Berlin"), Ok(Europe::Berlin));
        assert_eq!(parse_tz("europe/berlin"), Ok(Europe::Berlin));
        assert_eq!(parse_tz(" UTC "), Ok(UTC));
        assert_eq!(parse_tz("utc"), Ok(UTC));
        let err = parse_tz("Europe/Berln").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown time zone `Europe/Berln`: use an IANA zone name such as Europe/Berlin, \
             America/New_York or UTC"
        );
        let err = parse_tz("berlin").unwrap_err();
        assert!(
            err.to_string().contains("did you mean Europe/Berlin? "),
            "{err}"
        );
        assert!(parse_tz("").is_err());
        assert!(parse_tz("CEST").is_err());
    }

    #[test]
    fn day_of_and_contains() {
        let p = p("2026-10-25", Europe::Berlin);
        assert!(p.contains(p.start_ms));
        assert!(!p.contains(p.end_ms));
        assert!(!p.contains(p.start_ms - 1));
        assert_eq!(p.day_of(ms("2026-10-25T22:59:59.999Z")), date("2026-10-25"));
        assert_eq!(p.day_of(ms("2026-10-25T23:00:00Z")), date("2026-10-26"));
        assert_eq!(p.day_of(ms("2026-10-24T21:59:59.999Z")), date("2026-10-24"));
        assert_eq!(p.day_of(i64::MIN), NaiveDate::default());
        assert_eq!(format!("{p}"), "2026-10-25 (Europe/Berlin)");
    }

    #[test]
    fn extreme_inputs_do_not_panic() {
        let far = DateTime::<Utc>::MAX_UTC;
        let near = DateTime::<Utc>::MIN_UTC;
        for tz in [UTC, Pacific::Kiritimati, Pacific::Pago_Pago, Europe::Berlin] {
            for spec in [
                "today",
                "yesterday",
                "last-month",
                "this-week",
                "last-week",
                "9999-12",
            ] {
                let _ = Period::parse(spec, tz, far);
                let _ = Period::parse(spec, tz, near);
            }
            let _ = Period::default_report(tz, near);
            let _ = Period::from_range(Some("9999-12-31T23:59:59Z"), None, tz, far);
            let _ = Period::from_range(Some("0000-01-01"), Some("9999-12-31"), tz, near)
                .map(|p| p.days());
        }
        assert!(p("9999-12", Pacific::Kiritimati).is_bounded());
        assert!(p("0000", UTC).is_bounded());
    }
}
