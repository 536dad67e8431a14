//! Byte ranges read at the same time share each list's room (`aggregate::room`): a later
//! range keeps only what the merge will take of its lists, and the merged summary is the
//! one of a single read. The ranges here are fed in turns, as workers on several cores
//! would feed them.

use super::*;
use crate::aggregate::room::{current_seat, seated, Board, Seat};
use crate::aggregate::tally::LIST_LIMIT;
use crate::classify::testing::each_event_of;
use crate::classify::NameResolver;

/// A failed login or a USER_AVC denial (one signature), one second apart.
fn line(i: u64) -> String {
    let t = format!("{}.000:{}", 1_790_812_800 + i, i + 1);
    if i.is_multiple_of(2) {
        format!(
            "type=USER_LOGIN msg=audit({t}): pid=1 uid=0 auid=4294967295 ses=4294967295 \
             msg='op=login acct=\"u{}\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 \
             terminal=ssh res=failed'",
            i % 7
        )
    } else {
        format!(
            "type=USER_AVC msg=audit({t}): pid=1 uid=81 auid=4294967295 ses=4294967295 \
             msg='avc:  denied  {{ send_msg }} for  scontext=system_u:system_r:a_t:s0 \
             tcontext=system_u:system_r:b_t:s0 tclass=dbus permissive=0 \
             exe=\"/usr/bin/dbus-daemon\" sauid=81 hostname=? addr=? terminal=?'"
        )
    }
}

#[test]
fn later_ranges_keep_only_what_the_merge_takes_and_merge_to_one_read() {
    const PARTS: usize = 3;
    const TURN: usize = 100;
    let text: Vec<String> = (0..24_000).map(line).collect();
    let lines: Vec<(u64, &str)> = text
        .iter()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.as_str()))
        .collect();
    let whole = summarize_lines(&lines, &utc());
    let signature = |s: &Summary| {
        let groups = s.mac().signatures();
        assert_eq!(groups.len(), 1, "one signature");
        groups.values().map(|g| g.items().len()).sum::<usize>()
    };
    assert_eq!(whole.logins().failed_logins().items().len(), LIST_LIMIT);
    assert_eq!(signature(&whole), LIST_LIMIT);

    let board = Board::new(PARTS);
    let mut aggs: Vec<Aggregator> = (0..PARTS)
        .map(|k| {
            seated(Seat::new(board.clone(), k), || {
                Aggregator::new(utc(), NameResolver::empty())
            })
        })
        .collect();
    let parts: Vec<&[(u64, &str)]> = lines.chunks(lines.len() / PARTS).collect();
    for turn in 0..parts[0].len() / TURN {
        for (agg, part) in aggs.iter_mut().zip(&parts) {
            let chunk = &part[turn * TURN..(turn + 1) * TURN];
            each_event_of(chunk, 0, |ev| agg.add_event(ev));
        }
    }
    let summaries: Vec<Summary> = aggs.into_iter().map(Aggregator::into_summary).collect();
    // Each part was offered 4,000 failed logins and 4,000 denials: without the shared room
    // the parts would hold 12,000 of each; with it, about one list's worth.
    let logins: usize = summaries
        .iter()
        .map(|s| s.logins().failed_logins().items().len())
        .sum();
    let denials: usize = summaries.iter().map(signature).sum();
    for held in [logins, denials] {
        assert!(
            (LIST_LIMIT..LIST_LIMIT + 1_000).contains(&held),
            "{held} facts held by the parts"
        );
    }
    let mut merged = summaries[0].clone();
    for s in &summaries[1..] {
        merged.merge(s);
    }
    assert_eq!(merged, whole);
    assert_eq!(
        serde_json::to_string(&merged).unwrap(),
        serde_json::to_string(&whole).unwrap()
    );
}

/// Lists made after `seated` returns (on the same thread) have no gate: a range's seat does
/// not leak into what the thread builds next.
#[test]
fn lists_made_outside_a_range_are_not_gated() {
    let text: Vec<String> = (0..2 * LIST_LIMIT as u64 + 2).map(line).collect();
    let lines: Vec<(u64, &str)> = text
        .iter()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.as_str()))
        .collect();
    let board = Board::new(2);
    let mut first = seated(Seat::new(board.clone(), 0), || {
        Aggregator::new(utc(), NameResolver::empty())
    });
    each_event_of(&lines, 0, |ev| first.add_event(ev));
    // A list of range 1 of this board would keep none of these facts now.
    let _second = seated(Seat::new(board, 1), || {
        Aggregator::new(utc(), NameResolver::empty())
    });
    assert!(current_seat().is_none(), "the seat outlived `seated`");
    let s = summarize_lines(&lines, &utc());
    assert_eq!(s.logins().failed_logins().items().len(), LIST_LIMIT);
}
