//! Rules over a population cut at a limit (limits lowered here) never pass: they report
//! what they found, or *not evaluated* with the limit.

use super::*;
use crate::aggregate::{Aggregator, Summary};
use crate::classify::testing::each_event;
use crate::classify::NameResolver;
use crate::limits::Limits;
use crate::period::Period;
use crate::site::SiteConfig;

fn summary(log: &str, period: Option<&str>, limits: Limits) -> Summary {
    let period = match period {
        Some(spec) => {
            let now = chrono::DateTime::parse_from_rfc3339("2026-11-15T00:00:00Z").unwrap();
            Period::parse(spec, chrono_tz::UTC, now.into()).unwrap()
        }
        None => Period::unbounded(chrono_tz::UTC),
    };
    let silence = SiteConfig::default().thresholds.silent_hours * 3_600_000;
    let mut agg = Aggregator::with_silence_threshold(period, NameResolver::empty(), silence as i64)
        .with_limits(limits);
    each_event(log, 0, |ev| agg.add_event(ev));
    agg.into_summary()
}

fn outcome(s: &Summary, site: &SiteConfig, b: Option<&Baseline>, rule: &str) -> RuleOutcome {
    evaluate_against(s, site, &[], b)
        .into_iter()
        .find(|o| o.id == rule)
        .unwrap_or_else(|| panic!("no rule {rule}"))
}

/// Enforced denials of signatures `t0_t` .. `t{n-1}_t` on host `web`.
fn denials(n: u64, permissive: u8) -> String {
    (0..n)
        .map(|i| {
            format!(
                "node=web type=AVC msg=audit(1791000000.{i:03}:{}): avc:  denied  {{ read }} \
                 for pid=1 comm=\"x\" name=\"/etc/shadow\" scontext=system_u:system_r:httpd_t:s0 \
                 tcontext=system_u:object_r:t{i}_t:s0 tclass=file permissive={permissive}\n",
                i + 1
            )
        })
        .collect()
}

#[test]
fn mac_rules_do_not_pass_over_signatures_cut_at_the_limit() {
    let site = SiteConfig::default();
    let cut = Limits {
        signatures: 2,
        ..Limits::default()
    };
    let s = summary(&denials(4, 0), None, cut);
    let listed: std::collections::BTreeSet<String> = s.mac().signatures().keys().cloned().collect();
    let b = Baseline {
        signatures: listed.clone(),
        ..Baseline::default()
    };
    // Every listed signature is old, but one past the limit may be new.
    let o = outcome(&s, &site, Some(&b), "F-MAC-03");
    assert_eq!(o.status, Status::NotEvaluated, "{o:?}");
    assert!(o.reason.unwrap().contains("4 distinct denial signatures"));
    // New signatures among the listed ones are still reported.
    let o = outcome(&s, &site, Some(&Baseline::default()), "F-MAC-03");
    assert_eq!((o.status, o.findings.len()), (Status::Findings, 2));
    // A previous period whose list was cut cannot show that a signature is new...
    let whole = summary(&denials(2, 0), None, Limits::default());
    let b_cut = Baseline {
        signatures: listed,
        signatures_cut: true,
        ..Baseline::default()
    };
    let o = outcome(&whole, &site, Some(&b_cut), "F-MAC-03");
    assert_eq!(o.status, Status::NotEvaluated);
    // ... and with whole lists on both sides the rule passes.
    let b = Baseline {
        signatures_cut: false,
        ..b_cut
    };
    assert_eq!(
        outcome(&whole, &site, Some(&b), "F-MAC-03").status,
        Status::Pass
    );

    // Rules reading every denial: not evaluated, not pass.
    let s = summary(&denials(4, 1), None, cut);
    for rule in ["F-MAC-04", "F-MAC-06"] {
        let o = outcome(&s, &site, None, rule);
        assert_eq!(o.status, Status::NotEvaluated, "{rule}");
    }
    let s = summary(&denials(4, 1), None, Limits::default());
    assert_eq!(
        outcome(&s, &site, None, "F-MAC-06").status,
        Status::Findings
    );
}

/// Two hosts logging once an hour through October 2026, and `extra` before it.
fn two_hosts(extra: &str) -> String {
    let mut log = String::from(extra);
    for hour in 0..31 * 24u64 {
        for (k, host) in ["a", "b"].iter().enumerate() {
            log += &format!(
                "node={host} type=USER_LOGIN msg=audit({}.000:{}): pid=1 uid=0 auid=1000 \
                 ses=1 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=? \
                 terminal=ssh res=success'\n",
                1_790_812_800 + hour * 3600 + k as u64,
                hour + 100
            );
        }
    }
    log
}

#[test]
fn host_rules_do_not_pass_over_hosts_cut_at_the_limit() {
    let one_host = Limits {
        hosts: 1,
        ..Limits::default()
    };
    let site = SiteConfig {
        hosts: vec!["a".into(), "b".into()],
        ..SiteConfig::default()
    };
    let whole = summary(&two_hosts(""), Some("2026-10"), Limits::default());
    let cut = summary(&two_hosts(""), Some("2026-10"), one_host);
    assert_eq!(cut.hosts().len(), 1);
    for rule in ["F-AUD-08", "F-AUD-09", "F-AUD-01", "F-TIME-02"] {
        assert_eq!(
            outcome(&whole, &site, None, rule).status,
            Status::Pass,
            "{rule}"
        );
        let o = outcome(&cut, &site, None, rule);
        assert_eq!(o.status, Status::NotEvaluated, "{rule}");
        assert!(o.reason.unwrap().contains("2 distinct hosts"), "{rule}");
    }
    // The in-scope host past the limit did log: it is not reported as missing.
    let o = outcome(&cut, &site, None, "F-AUD-10");
    assert!(
        o.findings
            .iter()
            .all(|f| !f.summary.contains("has no records")),
        "{:?}",
        o.findings
    );
    assert_eq!(o.status, Status::NotEvaluated);

    // Retention: b's records before the period went past the limit (c and d came first);
    // its earliest record is not known, so it is not reported as too recent. a is.
    let old: String = ["c", "d", "b"]
        .iter()
        .map(|h| {
            format!(
                "node={h} type=USER_LOGIN msg=audit(1780000000.000:1): pid=1 uid=0 auid=1000 \
                 ses=1 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=? \
                 terminal=ssh res=success'\n"
            )
        })
        .collect();
    let two = Limits {
        hosts: 2,
        ..Limits::default()
    };
    let whole = summary(&two_hosts(&old), Some("2026-10"), Limits::default());
    let hosts = |o: &RuleOutcome| -> Vec<String> {
        o.findings.iter().filter_map(|f| f.host.clone()).collect()
    };
    assert_eq!(hosts(&outcome(&whole, &site, None, "F-AUD-14")), ["a"]);
    let cut = summary(&two_hosts(&old), Some("2026-10"), two);
    assert_eq!(cut.hosts().len(), 2);
    let o = outcome(&cut, &site, None, "F-AUD-14");
    assert_eq!(
        (o.status, hosts(&o)),
        (Status::Findings, vec!["a".to_string()])
    );
}

/// A login on `web` every second with serials `step` apart: one serial gap per event.
fn gapped_logins(n: u64, step: u64) -> String {
    (0..n)
        .map(|i| {
            format!(
                "node=web type=USER_LOGIN msg=audit({}.000:{}): pid=1 uid=0 auid=1000 ses=1 \
                 msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" addr=192.0.2.1 \
                 terminal=ssh res=success'\n",
                1_791_000_000 + i,
                1 + i * step
            )
        })
        .collect()
}

#[test]
fn a_rule_firing_once_per_event_lists_at_most_the_limit_and_counts_the_rest() {
    let site = SiteConfig::default();
    let gaps = crate::limits::FINDINGS_PER_RULE as u64 + 250;
    let step = site.thresholds.serial_gap_max + 2;
    let s = summary(&gapped_logins(gaps + 1, step), None, Limits::default());
    let o = outcome(&s, &site, None, "F-AUD-08");
    assert_eq!(o.status, Status::Findings);
    assert_eq!(o.findings.len(), crate::limits::FINDINGS_PER_RULE);
    assert_eq!(o.findings_omitted, 250);
    // The first ones in time order are listed, still in time order.
    assert!(o
        .findings
        .windows(2)
        .all(|w| w[0].first_ms <= w[1].first_ms));
    assert_eq!(o.findings[0].first_ms, 1_791_000_000_000);
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(json["findings_omitted"], 250);
}

#[test]
fn the_findings_kept_past_the_limit_are_the_most_severe() {
    let f = |sev, t| {
        let mut f = Finding::new("F-AUD-11", sev, format!("at {t}"), None, Vec::new());
        f.first_ms = t;
        f
    };
    let mut v = vec![
        f(Severity::High, 1),
        f(Severity::Critical, 2),
        f(Severity::High, 3),
        f(Severity::Critical, 4),
        f(Severity::Low, 5),
    ];
    assert_eq!(keep_most_severe(&mut v, 3), 2);
    let kept: Vec<(Severity, i64)> = v.iter().map(|f| (f.severity, f.first_ms)).collect();
    assert_eq!(
        kept,
        [
            (Severity::High, 1),
            (Severity::Critical, 2),
            (Severity::Critical, 4)
        ]
    );
    assert_eq!(keep_most_severe(&mut v, 3), 0);
}
