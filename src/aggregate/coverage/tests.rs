//! Tests of [`super`]: silences, serial gaps, budgets and merging.

use super::*;
use crate::model::FileId;

#[test]
fn another_input_of_the_same_host_is_not_a_serial_gap() {
    let day = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let mut h = HostCoverage::default();
    h.observe(
        pt(10, 100, 1),
        Some(day),
        i64::MAX,
        &mut Budget::new(usize::MAX),
    );
    h.observe(
        pt(11, 101, 2),
        Some(day),
        i64::MAX,
        &mut Budget::new(usize::MAX),
    );
    // Another log of the same host, with its own serial range and an earlier clock.
    h.observe(
        Point {
            group: 1,
            ..pt(5, 5000, 1)
        },
        Some(day),
        i64::MAX,
        &mut Budget::new(usize::MAX),
    );
    h.observe(
        Point {
            group: 1,
            ..pt(6, 5002, 2)
        },
        Some(day),
        i64::MAX,
        &mut Budget::new(usize::MAX),
    );
    let gaps = h.serial_gaps();
    assert_eq!(
        gaps.len(),
        1,
        "only 5001, inside the second input: {gaps:?}"
    );
    assert!(h.clock_steps().is_empty());
}

fn pt(time_s: i64, serial: u32, line: u64) -> Point {
    Point {
        time_ms: time_s * 1000,
        serial,
        rtype: RecordType::SYSCALL,
        source: Source {
            file: FileId(0),
            line,
        },
        group: 0,
    }
}

fn run(points: &[Point]) -> HostCoverage {
    let mut h = HostCoverage::default();
    let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    for p in points {
        h.observe(
            *p,
            Some(day),
            DEFAULT_SILENCE_MS,
            &mut Budget::new(usize::MAX),
        );
    }
    h.settle(DEFAULT_SILENCE_MS);
    h
}

#[test]
fn silences_are_found_in_time_order_whatever_the_input_order() {
    // Two logs of one host: the second fills the first one's gap.
    let hour = 3_600_000;
    let p = |t: i64, serial: u32, line: u64| Point {
        time_ms: t * hour,
        serial,
        rtype: RecordType(1112),
        source: Source {
            file: crate::model::FileId(0),
            line,
        },
        group: 0,
    };
    let first_log = [p(0, 1, 1), p(30, 2, 2), p(100, 3, 3)];
    let second_log = [p(10, 7, 4), p(20, 8, 5), p(40, 9, 6)];
    let all: Vec<Point> = first_log.iter().chain(&second_log).copied().collect();
    let h = run(&all);
    let found: Vec<(i64, i64)> = h
        .silences()
        .iter()
        .map(|s| (s.from.time_ms / hour, s.to.time_ms / hour))
        .collect();
    // Only 40 h -> 100 h is longer than 24 h once both logs are in time order.
    assert_eq!(found, vec![(40, 100)]);
    assert_eq!(h.silences()[0].duration_ms, 60 * hour);
    // A silence exactly at the threshold is not one; a millisecond longer is.
    let edge = |gap_ms: i64| {
        let mut h = HostCoverage::default();
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        for t in [0, gap_ms] {
            let mut q = p(0, 1, 1);
            q.time_ms = t;
            h.observe(
                q,
                Some(day),
                DEFAULT_SILENCE_MS,
                &mut Budget::new(usize::MAX),
            );
        }
        h.settle(DEFAULT_SILENCE_MS);
        h.silences().len()
    };
    assert_eq!(edge(DEFAULT_SILENCE_MS), 0);
    assert_eq!(edge(DEFAULT_SILENCE_MS + 1), 1);
}

fn missing(h: &HostCoverage) -> Vec<(u32, u32, u64)> {
    h.serial_gaps()
        .iter()
        .map(|g| (g.after_serial, g.before_serial, g.missing))
        .collect()
}

#[test]
fn gaps_reordering_and_rollover() {
    let h = run(&[pt(1, 10, 1), pt(1, 12, 2), pt(1, 11, 3), pt(2, 15, 4)]);
    assert_eq!(missing(&h), [(12, 15, 2)]);
    let g = &h.serial_gaps()[0];
    assert_eq!((g.after.line, g.before.line), (2, 4));
    assert_eq!(
        (g.after_ms, g.before_ms),
        (1000, 2000),
        "the events' own times"
    );
    let h = run(&[
        pt(1, u32::MAX - 1, 1),
        pt(1, u32::MAX, 2),
        pt(1, 0, 3),
        pt(1, 2, 4),
    ]);
    assert_eq!(missing(&h), [(0, 2, 1)]);
}

#[test]
fn markers_and_resets_start_segments() {
    let mut boot = pt(500, 3, 3);
    boot.rtype = RecordType::SYSTEM_BOOT;
    let mut start = pt(501, 9000, 4);
    start.rtype = RecordType::DAEMON_START;
    let h = run(&[
        pt(1, 100, 1),
        pt(2, 101, 2),
        boot,
        start,
        pt(502, 5, 5),
        pt(900, 2, 6),
    ]);
    // 3 (boot) then 5: DAEMON_START's own serial is ignored and starts a new segment,
    // so 3 and 5 are in different segments; 2 at +398 s is a reset.
    assert!(missing(&h).is_empty(), "{:?}", missing(&h));
    assert_eq!(h.segments.len(), 4);
}

#[test]
fn merge_equals_whole_at_every_split() {
    let mut boot = pt(100_000, 1, 7);
    boot.rtype = RecordType::SYSTEM_BOOT;
    let pts = [
        pt(1, u32::MAX - 2, 1),
        pt(1, u32::MAX, 2),
        pt(2, 1, 3),
        pt(2, 0, 4),
        pt(3, 7, 5),
        pt(200_000, 3, 6),
        boot,
        pt(100_001, 2, 8),
        pt(100_001, 9, 9),
    ];
    let whole = run(&pts);
    for cut in 0..=pts.len() {
        let mut a = run(&pts[..cut]);
        a.merge(&run(&pts[cut..]), DEFAULT_SILENCE_MS);
        assert_eq!(a, whole, "split at {cut}");
    }
    // In time order: 3 s -> 100000 s and 100001 s -> 200000 s (the 200000 s event was
    // read before the boot, but silences follow time, not input order).
    assert_eq!(whole.silences().len(), 2);
    assert_eq!(
        missing(&whole),
        [(u32::MAX - 2, u32::MAX, 1), (1, 7, 5), (2, 9, 6)]
    );
    let starts: Vec<_> = whole.segments.iter().map(|s| s.start).collect();
    assert_eq!(
        starts,
        [
            SegmentStart::Input,
            SegmentStart::SerialReset,
            SegmentStart::SystemBoot
        ]
    );
}
