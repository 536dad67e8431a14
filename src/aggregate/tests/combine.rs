//! Property: a log in (time, node) order split by host, by time or both, its parts
//! summarised separately and combined in any order and any grouping, serializes to the same
//! bytes as the summary of the whole log; and what `combine` refuses.

use super::split::{STEPS, TEMPLATES};
use super::{summarize_lines, utc};
use crate::aggregate::{combine, CombineError, Part, Summary};
use proptest::prelude::*;

/// One generated event: (template, time step, serial step, host).
type Gen = (usize, usize, u32, usize);

const HOUR: i64 = 3_600_000;
const T0: i64 = 1_700_000_000_000;

/// Renders events on one clock, in (time, node) order: (time, host, lines) per event.
fn render(events: &[Gen]) -> Vec<(i64, usize, Vec<String>)> {
    let mut time = T0;
    let mut serial: [u32; 3] = [100, 5000, u32::MAX - 3];
    let mut out = Vec::new();
    for &(tpl, step, sstep, host) in events {
        time += STEPS[step];
        serial[host] = if sstep == 0 {
            serial[host].wrapping_sub(2)
        } else {
            serial[host].wrapping_add(sstep)
        };
        let node = ["node=a ", "node=b ", "node=c "][host];
        let t = format!("{}.{:03}:{}", time / 1000, time % 1000, serial[host]);
        let lines = TEMPLATES[tpl]
            .iter()
            .map(|rec| rec.replace("{n}", node).replace("{t}", &t))
            .collect();
        out.push((time, host, lines));
    }
    // Same-time events in node order: the order the interleaved lists use.
    out.sort_by_key(|(time, host, _)| (*time, *host));
    out
}

fn summary_of(lines: &[(u64, &str)], period: &crate::period::Period) -> Summary {
    summarize_lines(lines, period)
}

fn window() -> crate::period::Period {
    crate::period::Period {
        start_ms: T0 + HOUR,
        end_ms: T0 + 40 * HOUR,
        tz: chrono_tz::UTC,
        label: "window (UTC)".into(),
    }
}

fn json(s: &Summary) -> String {
    serde_json::to_string_pretty(s).expect("serializes")
}

fn parts(list: Vec<Summary>) -> Vec<Part> {
    list.into_iter()
        .enumerate()
        .map(|(i, summary)| Part {
            name: format!("part{i}.json"),
            summary,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn split_by_host_or_time_combines_to_the_whole(
        events in prop::collection::vec(
            (0..TEMPLATES.len(), 0..STEPS.len(), 0u32..4, 0usize..3), 1..40),
        by_host in any::<bool>(),
        cuts in prop::collection::vec(0i64..60, 0..3),
        order in any::<prop::sample::Index>(),
        group in any::<prop::sample::Index>(),
    ) {
        let rendered = render(&events);
        let mut lines: Vec<(u64, &str, i64, usize)> = Vec::new();
        for (time, host, recs) in &rendered {
            for r in recs {
                lines.push((lines.len() as u64 + 1, r.as_str(), *time, *host));
            }
        }
        let cuts: Vec<i64> = cuts.iter().map(|h| T0 + h * HOUR).collect();
        let part_of = |time: i64, host: usize| {
            let slice = cuts.iter().filter(|&&c| time >= c).count();
            (if by_host { host } else { 0 }, slice)
        };
        for period in [utc(), window()] {
            let all: Vec<(u64, &str)> = lines.iter().map(|l| (l.0, l.1)).collect();
            let whole = json(&summary_of(&all, &period));
            let mut keys: Vec<(usize, usize)> = lines.iter().map(|l| part_of(l.2, l.3)).collect();
            keys.sort_unstable();
            keys.dedup();
            let summary_of_key = |k: &(usize, usize)| {
                let mine: Vec<(u64, &str)> = lines
                    .iter()
                    .filter(|l| part_of(l.2, l.3) == *k)
                    .map(|l| (l.0, l.1))
                    .collect();
                summary_of(&mine, &period)
            };
            // Any grouping that keeps a host's times together: the parts of the first
            // hosts (by host) or of the first times (by time) combined first.
            let pivot = keys[group.index(keys.len())];
            let first = |k: &(usize, usize)| if by_host { k.0 < pivot.0 } else { k.1 < pivot.1 };
            let mut inner: Vec<Summary> = keys.iter().filter(|k| first(k)).map(summary_of_key).collect();
            let mut outer: Vec<Summary> = keys.iter().filter(|k| !first(k)).map(summary_of_key).collect();
            // Any order: rotate the lists.
            let n = inner.len();
            if n > 0 {
                inner.rotate_left(order.index(n));
                outer.push(combine(parts(inner)).expect("disjoint parts"));
            }
            let n = outer.len();
            outer.rotate_left(order.index(n));
            let merged = combine(parts(outer)).expect("disjoint parts");
            let merged = json(&merged);
            let first_difference = merged
                .lines()
                .zip(whole.lines())
                .enumerate()
                .find(|(_, (m, w))| m != w);
            prop_assert!(merged == whole, "first difference (line, merged, whole): {first_difference:?}");
        }
    }
}

const LOGIN: &str = "type=USER_LOGIN msg=audit({t}): pid=1 uid=0 auid=1000 ses=1 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=success'";

fn one(node: &str, stamps: &[&str], period: &crate::period::Period) -> Summary {
    let lines: Vec<String> = stamps
        .iter()
        .map(|t| format!("node={node} {}", LOGIN.replace("{t}", t)))
        .collect();
    let numbered: Vec<(u64, &str)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.as_str()))
        .collect();
    summary_of(&numbered, period)
}

#[test]
fn overlapping_parts_are_refused_naming_both() {
    let a = one("web", &["1700000000.000:1", "1700000100.000:2"], &utc());
    let b = one("web", &["1700000050.000:3"], &utc());
    let err = combine(parts(vec![a, b])).unwrap_err();
    assert!(matches!(err, CombineError::Overlap { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("part0.json") && text.contains("part1.json"),
        "{text}"
    );
    assert!(text.contains("host web"), "{text}");
}

#[test]
fn consecutive_periods_join_and_gaps_are_refused() {
    let day = |d: i64| crate::period::Period {
        start_ms: T0 + d * 24 * HOUR,
        end_ms: T0 + (d + 1) * 24 * HOUR,
        tz: chrono_tz::UTC,
        label: format!("day {d}"),
    };
    let a = one("web", &["1700000100.000:1"], &day(0));
    let b = one("web", &["1700086500.000:2"], &day(1));
    let joined = combine(parts(vec![b.clone(), a.clone()])).expect("consecutive");
    assert_eq!(joined.period().start_ms, Some(T0));
    assert_eq!(joined.period().end_ms, Some(T0 + 48 * HOUR));
    assert_eq!(joined.period().label, "day 0 to day 1");
    assert_eq!(joined.logins().logins().total(), 2);
    let c = one("web", &["1700259300.000:3"], &day(3));
    let err = combine(parts(vec![a, c])).unwrap_err();
    assert!(matches!(err, CombineError::Periods { .. }), "{err}");
}

#[test]
fn different_zones_are_refused() {
    let a = one("web", &["1700000000.000:1"], &utc());
    let mut berlin = utc();
    berlin.tz = chrono_tz::Europe::Berlin;
    let b = one("db", &["1700000000.000:1"], &berlin);
    let err = combine(parts(vec![a, b])).unwrap_err();
    assert!(matches!(err, CombineError::Zone { .. }), "{err}");
}

#[test]
fn lists_keep_their_cap_with_exact_omitted_counts() {
    use crate::aggregate::tally::LIST_LIMIT;
    let stamps: Vec<String> = (0..LIST_LIMIT as i64 + 10)
        .map(|i| format!("{}.000:{}", 1_700_000_000 + i, i + 1))
        .collect();
    let refs: Vec<&str> = stamps.iter().map(String::as_str).collect();
    let a = one("a", &refs, &utc());
    let b = one("b", &refs[..20], &utc());
    let m = combine(parts(vec![b, a])).expect("disjoint hosts");
    let logins = m.logins().logins();
    assert_eq!(logins.total(), LIST_LIMIT as u64 + 30);
    assert_eq!(logins.items().len(), LIST_LIMIT);
    assert_eq!(logins.omitted(), 30);
    // Interleaved by time: host a's and b's first logins come first.
    let first: Vec<_> = logins.items()[..4]
        .iter()
        .map(|f| f.node.clone().unwrap())
        .collect();
    assert_eq!(first, ["a", "b", "a", "b"]);
}
