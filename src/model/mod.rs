//! Shared vocabulary used by every stage: record types, stamps, sources.

mod record_type;

pub use record_type::RecordType;
pub(crate) use record_type::{parse_u32, parse_u64};

use serde::{Deserialize, Serialize};

/// The `audit(SEC.MMM:SERIAL)` stamp of a record. Together with the node name it identifies
/// an event; the serial alone repeats across reboots and hosts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Stamp {
    /// Seconds since the Unix epoch (UTC).
    pub sec: u64,
    /// Milliseconds, 0..=999.
    pub ms: u16,
    /// The per-boot event serial.
    pub serial: u32,
}

/// The latest second a stamp may carry: 9999-12-31T23:59:59Z.
///
/// The parser rejects later stamps as `bad-stamp` (a log line is attacker-controlled: one
/// crafted `audit(9223372036854775.999:1)` line used to overflow every time computation).
/// Why year 9999: every time auditrail prints is RFC 3339 with a four-digit year
/// ([`format_ms`]), which stops there; and it keeps every record time below 2.6e14 ms,
/// 35,000 times short of `i64::MAX`, so a window or offset added to a record time stays
/// far from overflow (the arithmetic is saturating all the same).
pub const MAX_STAMP_SEC: u64 = 253_402_300_799;

impl Stamp {
    /// Milliseconds since the Unix epoch. Exact for every parsed stamp (at most
    /// [`MAX_STAMP_SEC`]); saturates at `i64::MAX` for a stamp built by hand beyond it.
    pub fn time_ms(&self) -> i64 {
        i64::try_from(self.sec)
            .unwrap_or(i64::MAX)
            .saturating_mul(1000)
            .saturating_add(i64::from(self.ms))
    }

    /// The time as RFC 3339 UTC with milliseconds, e.g. `2026-10-01T08:15:02.123Z`.
    pub fn rfc3339(&self) -> String {
        format_ms(self.time_ms())
    }
}

/// `count` units of `unit_ms` milliseconds, saturating at `i64::MAX`. Thresholds in seconds,
/// minutes, hours or days come from the site configuration and may be any `u64`: a window
/// is never computed as a bare `count * 1000`.
pub fn duration_ms(count: u64, unit_ms: i64) -> i64 {
    i64::try_from(count)
        .unwrap_or(i64::MAX)
        .saturating_mul(unit_ms.max(0))
}

/// Milliseconds per second, minute, hour and day, for [`duration_ms`].
pub const SECOND_MS: i64 = 1000;
/// Milliseconds per minute.
pub const MINUTE_MS: i64 = 60_000;
/// Milliseconds per hour.
pub const HOUR_MS: i64 = 3_600_000;
/// Milliseconds per day (of 24 hours).
pub const DAY_MS: i64 = 86_400_000;

/// Optional epoch milliseconds as [`format_ms`] text, `-` when absent (first/last times,
/// period bounds in tables).
pub fn format_opt_ms(ms: Option<i64>) -> String {
    ms.map_or_else(|| "-".to_string(), format_ms)
}

/// Formats epoch milliseconds as RFC 3339 UTC with milliseconds.
pub fn format_ms(ms: i64) -> String {
    use chrono::{Datelike, Timelike};
    match chrono::DateTime::from_timestamp_millis(ms) {
        // Written digit by digit: reports format hundreds of thousands of times (chrono's
        // strftime parses its pattern on every call, and `format!` is several times slower).
        Some(t) if (0..=9999).contains(&t.year()) => {
            let mut out = String::with_capacity(24);
            let mut digits = |n: u32, width: u32, after: char| {
                for k in (0..width).rev() {
                    out.push(char::from(b'0' + (n / 10u32.pow(k) % 10) as u8));
                }
                out.push(after);
            };
            // The year was checked to be 0..=9999 above, so it fits four digits.
            digits(t.year().unsigned_abs(), 4, '-');
            digits(t.month(), 2, '-');
            digits(t.day(), 2, 'T');
            digits(t.hour(), 2, ':');
            digits(t.minute(), 2, ':');
            digits(t.second(), 2, '.');
            digits(t.timestamp_subsec_millis(), 3, 'Z');
            out
        }
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => format!("@{ms}ms"),
    }
}

/// Identifies one input file within a run (an index into the run's file list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct FileId(pub u32);

thread_local! {
    /// Added to every [`FileId`] read while [`with_file_offset`] runs.
    static FILE_OFFSET: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Runs `f` with `offset` added to every [`FileId`] deserialized on this thread: a merge
/// reads each summary.json with the number of log files the parts before it named, so the
/// file ids of all parts (in every source, and in the raw lines) stay distinct in one list.
/// An id that would pass `u32::MAX` is an error, never a wrap.
pub fn with_file_offset<R>(offset: u32, f: impl FnOnce() -> R) -> R {
    struct Reset(u32);
    impl Drop for Reset {
        fn drop(&mut self) {
            FILE_OFFSET.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(FILE_OFFSET.with(|c| c.replace(offset)));
    f()
}

impl<'de> Deserialize<'de> for FileId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = u32::deserialize(d)?;
        let offset = FILE_OFFSET.with(std::cell::Cell::get);
        id.checked_add(offset).map(FileId).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "file id {id} (of a part whose earlier parts name {offset} files) is past {}",
                u32::MAX
            ))
        })
    }
}

/// Where a line came from: input file and 1-based line number.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Source {
    /// The input file.
    pub file: FileId,
    /// 1-based line number within that file (after decompression).
    pub line: u64,
}

#[cfg(test)]
mod stamp_tests {
    use super::{format_ms, Stamp, MAX_STAMP_SEC};

    #[test]
    fn time_ms_never_overflows() {
        let at = |sec, ms| Stamp { sec, ms, serial: 1 }.time_ms();
        assert_eq!(at(1_700_000_000, 123), 1_700_000_000_123);
        assert_eq!(at(MAX_STAMP_SEC, 999), 253_402_300_799_999);
        assert_eq!(
            format_ms(at(MAX_STAMP_SEC, 999)),
            "9999-12-31T23:59:59.999Z"
        );
        // Beyond the parser's bound (only a hand-built stamp): saturated, not wrapped.
        assert_eq!(at(9_223_372_036_854_775, 999), i64::MAX);
        assert_eq!(at(u64::MAX, 999), i64::MAX);
    }

    #[test]
    fn durations_saturate() {
        use super::{duration_ms, DAY_MS, SECOND_MS};
        assert_eq!(duration_ms(120, SECOND_MS), 120_000);
        assert_eq!(duration_ms(u64::MAX, SECOND_MS), i64::MAX);
        assert_eq!(duration_ms(1 << 62, DAY_MS), i64::MAX);
        assert_eq!(duration_ms(0, DAY_MS), 0);
    }
}

#[cfg(test)]
mod format_tests {
    use super::format_ms;

    #[test]
    fn hand_formatting_matches_chrono() {
        let chrono_fmt = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        };
        let mut ms: i64 = -62_167_219_200_000; // 0000-01-01
        while ms < 253_402_300_800_000 {
            // up to 9999-12-31
            assert_eq!(Some(format_ms(ms)), chrono_fmt(ms), "{ms}");
            ms += 7_654_321_987; // about 88 days and odd milliseconds
        }
        for ms in [
            0,
            1,
            -1,
            999,
            1_790_844_425_866,
            253_402_300_800_000,
            i64::MIN / 4,
        ] {
            if let Some(want) = chrono_fmt(ms) {
                assert_eq!(format_ms(ms), want, "{ms}");
            }
        }
        assert_eq!(format_ms(i64::MAX), format!("@{}ms", i64::MAX));
    }
}
