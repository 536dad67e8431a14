//! Every per-key structure of a summary stops growing at its limit (here lowered), while
//! totals stay exact and the overflow is reported in `limits_reached`.

use super::*;
use crate::classify::testing::each_event;
use crate::classify::NameResolver;

/// Summarises `log` over all time with `limits`.
fn limited(log: &str, limits: Limits) -> Summary {
    let mut agg = Aggregator::new(utc(), NameResolver::empty()).with_limits(limits);
    each_event(log, 0, |ev| agg.add_event(ev));
    agg.into_summary()
}

fn reached(s: &Summary, what: &str) -> LimitReached {
    s.limits_reached()
        .into_iter()
        .find(|l| l.what == what)
        .unwrap_or_else(|| panic!("no limit reached for {what}: {:?}", s.limits_reached()))
}

/// `n` failed logins, each from its own host, address and account, a day apart.
fn logins(n: u64) -> String {
    (0..n)
        .map(|i| {
            format!(
                "node=h{i} type=USER_LOGIN msg=audit({}.000:{}): pid=1 uid=0 auid=4294967295 \
                 ses=4294967295 msg='op=login acct=\"u{i}\" exe=\"/usr/sbin/sshd\" hostname=? \
                 addr=10.0.0.{i} terminal=ssh{i} res=failed'\n",
                1_790_812_800 + i * 86_400,
                i + 1
            )
        })
        .collect()
}

#[test]
fn hosts_days_and_breakdowns_stop_at_their_limits_with_exact_totals() {
    let limits = Limits {
        hosts: 3,
        days: 4,
        keys: 5,
        ..Limits::default()
    };
    let s = limited(&logins(10), limits);
    assert_eq!(s.hosts().len(), 3);
    assert_eq!(metric(&s, "hosts"), 10, "distinct hosts, listed or not");
    assert_eq!(metric(&s, "events"), 10);
    assert_eq!(metric(&s, "logins.failed"), 10);
    let failed = s.logins().failed_logins().count();
    assert_eq!(failed.by_host().len(), 3);
    assert_eq!(failed.by_day().len(), 4);
    let b = s.logins().login_breakdown();
    for map in [b.by_account(), b.by_origin(), b.by_terminal()] {
        assert_eq!(map.len(), 5);
    }
    assert_eq!(b.by_exe().len(), 1, "one executable");

    let h = reached(&s, "hosts");
    assert_eq!((h.listed, h.distinct, h.beyond), (3, 10, 7));
    assert_eq!(
        h.sentence(),
        "limit reached: 10 distinct hosts, the first 3 listed (7 events of the others are in \
         the totals only)"
    );
    assert_eq!(reached(&s, "days").beyond, 6);
    let o = reached(&s, "logins.login_breakdown.by_origin");
    assert_eq!((o.listed, o.distinct, o.beyond), (5, 10, 5));
    assert!(s.coverage_cut());
    // Limits reached are stated by the summary.json, and read back with it.
    super::roundtrip::reads_back(&s);

    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["hosts"].as_object().unwrap().len(), 3);
    let names: Vec<&str> = json["limits_reached"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["what"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "hosts",
            "days",
            "logins.login_breakdown.by_account",
            "logins.login_breakdown.by_origin",
            "logins.login_breakdown.by_terminal"
        ]
    );

    // Below the limits nothing is reported and the JSON has no `limits_reached`.
    let s = limited(&logins(3), limits);
    assert!(s.limits_reached().is_empty());
    assert!(!s.coverage_cut());
    assert!(serde_json::to_value(&s)
        .unwrap()
        .get("limits_reached")
        .is_none());
}

/// `n` AVC denials of one host, a millisecond apart, over `signatures` signatures in turn.
fn denials(n: u64, signatures: u64) -> String {
    (0..n)
        .map(|i| {
            format!(
                "node=web type=AVC msg=audit(1790812800.{i:03}:{}): avc:  denied  {{ read }} \
                 for pid=1 comm=\"x\" name=\"f\" scontext=system_u:system_r:httpd_t:s0 \
                 tcontext=system_u:object_r:t{}_t:s0 tclass=file permissive=0\n",
                i + 1,
                i % signatures
            )
        })
        .collect()
}

#[test]
fn signatures_and_their_denials_stop_at_their_limits() {
    let log = denials(12, 6);
    let limits = Limits {
        signatures: 4,
        signature_facts: 5,
        ..Limits::default()
    };
    let s = limited(&log, limits);
    let m = s.mac();
    assert_eq!(m.signatures().len(), 4);
    assert_eq!(m.distinct_signatures(), 6);
    assert_eq!(metric(&s, "mac.signatures"), 6);
    assert_eq!(metric(&s, "mac.denials"), 12);
    assert!(m.signatures_cut());
    let kept: usize = m.signatures().values().map(|g| g.items().len()).sum();
    let omitted: u64 = m.signatures().values().map(|g| g.omitted()).sum();
    let counted: u64 = m.signatures().values().map(|g| g.count().total()).sum();
    assert_eq!(kept, 5, "denials kept across signatures");
    assert_eq!((counted, kept as u64 + omitted), (8, 8));
    let r = reached(&s, "mac.signatures");
    assert_eq!((r.listed, r.distinct, r.beyond), (4, 6, 4));
}

#[test]
fn coverage_entries_are_shared_and_cut_hosts_say_what_they_lost() {
    // One host, events an hour apart with serials jumping by 2: every event needs a new
    // activity bucket (1 h threshold) and a new run of serials.
    let log: String = (0..20u64)
        .map(|i| {
            format!(
                "node=a type=USER_LOGIN msg=audit({}.000:{}): pid=1 uid=0 auid=1000 ses=1 \
                 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh \
                 res=success'\n",
                1_790_812_800 + i * 3 * 3600,
                2 * i + 1
            )
        })
        .collect();
    let run = |entries: usize| {
        let limits = Limits {
            coverage_entries: entries,
            ..Limits::default()
        };
        let mut agg = Aggregator::with_silence_threshold(utc(), NameResolver::empty(), 3_600_000)
            .with_limits(limits);
        each_event(&log, 0, |ev| agg.add_event(ev));
        agg.into_summary()
    };
    let whole = run(usize::MAX);
    let h = &whole.hosts()["a"];
    assert!(h.limited().is_none());
    assert_eq!(h.silences().len(), 19);
    assert_eq!(h.serial_gaps().len(), 19);

    let cut = run(12);
    let h = &cut.hosts()["a"];
    assert_eq!(h.events(), 20, "every event counted");
    assert!(h.limited().activity && h.limited().serials);
    assert!(
        h.silences().is_empty(),
        "not computed from a partial set of buckets"
    );
    assert!(
        h.serial_gaps().is_empty(),
        "not computed from a partial set of serials"
    );
    assert!(cut.coverage_cut());
    assert!(reached(&cut, "coverage").beyond > 0);
    let json = serde_json::to_value(&cut).unwrap();
    let lost = &json["hosts"]["a"]["limit_reached"];
    assert!(
        lost.as_array().unwrap().iter().any(|v| v == "silences"),
        "{lost}"
    );
}

/// A single read stops keeping every signature's denials once their shared limit is
/// reached; parts read apart cannot tell when that was, so their merge says it is not exact
/// (and a parallel read falls back to one read).
#[test]
fn denials_past_their_shared_limit_make_a_merge_inexact() {
    let log = denials(40, 4);
    let limits = Limits {
        signature_facts: 12,
        ..Limits::default()
    };
    let whole = limited(&log, limits);
    let cut = log.len() / 2 + log[log.len() / 2..].find('\n').unwrap() + 1;
    let mut merged = limited(&log[..cut], limits);
    merged.merge(&limited(&log[cut..], limits));
    let kept =
        |s: &Summary| -> usize { s.mac().signatures().values().map(|g| g.items().len()).sum() };
    assert_eq!(kept(&whole), 12);
    assert!(kept(&merged) > 12, "{}", kept(&merged));
    assert!(!merged.merges_exactly());
    // Below the shared limit the parts merge exactly.
    let roomy = Limits {
        signature_facts: 41,
        ..Limits::default()
    };
    let mut merged = limited(&log[..cut], roomy);
    merged.merge(&limited(&log[cut..], roomy));
    assert!(merged.merges_exactly());
    assert_eq!(kept(&merged), kept(&limited(&log, roomy)));
}
