//! Shared vocabulary used by every stage: record types, stamps, sources.

mod record_type;

pub use record_type::RecordType;
pub(crate) use record_type::{parse_u32, parse_u64};

use serde::Serialize;

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

impl Stamp {
    /// Milliseconds since the Unix epoch.
    pub fn time_ms(&self) -> i64 {
        self.sec as i64 * 1000 + i64::from(self.ms)
    }

    /// The time as RFC 3339 UTC with milliseconds, e.g. `2026-10-01T08:15:02.123Z`.
    pub fn rfc3339(&self) -> String {
        format_ms(self.time_ms())
    }
}

/// Formats epoch milliseconds as RFC 3339 UTC with milliseconds.
pub fn format_ms(ms: i64) -> String {
    use chrono::{Datelike, Timelike};
    match chrono::DateTime::from_timestamp_millis(ms) {
        // Formatted by hand: chrono's strftime parses its pattern on every call, and reports
        // format hundreds of thousands of times.
        Some(t) if (0..=9999).contains(&t.year()) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.timestamp_subsec_millis()
        ),
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => format!("@{ms}ms"),
    }
}

/// Identifies one input file within a run (an index into the run's file list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct FileId(pub u32);

/// Where a line came from: input file and 1-based line number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Source {
    /// The input file.
    pub file: FileId,
    /// 1-based line number within that file (after decompression).
    pub line: u64,
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
