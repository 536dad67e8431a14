//! Rule tests over the scenario logs (`samples/scenarios/`, described in
//! `samples/README.md`): for every rule one case that triggers it and one at the boundary of
//! its threshold (or on a scenario without the pattern) that does not.

use super::*;
use crate::aggregate::{Aggregator, Summary};
use crate::classify::NameResolver;
use crate::model::{FileId, Source};
use crate::parse::{each_event, each_event_of_lines, AssembleOptions};
use crate::period::Period;
use crate::site::SiteConfig;

/// Summarises a scenario as `auditrail findings` does (silence threshold = `silent_hours`).
pub(crate) fn summary(name: &str, period: Option<&str>, site: &SiteConfig) -> Summary {
    let path = format!(
        "{}/samples/scenarios/{name}.log",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).expect("scenario readable");
    summary_of(&bytes, period, site)
}

/// Summarises log text as `auditrail findings` does.
pub(crate) fn summary_of(bytes: &[u8], period: Option<&str>, site: &SiteConfig) -> Summary {
    let period = match period {
        Some(spec) => {
            let now = chrono::DateTime::parse_from_rfc3339("2026-11-15T00:00:00Z").unwrap();
            Period::parse(spec, chrono_tz::UTC, now.into()).unwrap()
        }
        None => Period::unbounded(chrono_tz::UTC),
    };
    let silence = crate::model::duration_ms(site.thresholds.silent_hours, crate::model::HOUR_MS);
    let mut agg = Aggregator::with_silence_threshold(period, NameResolver::empty(), silence);
    let mut sink = |ev: &crate::parse::Event| agg.add_event(ev);
    each_event(bytes, AssembleOptions::default(), &mut sink);
    agg.into_summary()
}

fn outcome_with(
    rule: &str,
    name: &str,
    period: Option<&str>,
    tune: impl FnOnce(&mut SiteConfig),
    terminations: &[(String, chrono::NaiveDate)],
) -> RuleOutcome {
    let mut site = SiteConfig::default();
    tune(&mut site);
    let s = summary(name, period, &site);
    evaluate(&s, &site, terminations)
        .into_iter()
        .find(|o| o.id == rule)
        .unwrap_or_else(|| panic!("no rule {rule}"))
}

fn outcome(rule: &str, name: &str, tune: impl FnOnce(&mut SiteConfig)) -> RuleOutcome {
    outcome_with(rule, name, None, tune, &[])
}

/// Findings of `rule` on scenario `name` with the site tuned by `tune`; panics when the
/// rule was not evaluated.
fn found(rule: &str, name: &str, tune: impl FnOnce(&mut SiteConfig)) -> Vec<Finding> {
    let o = outcome(rule, name, tune);
    assert_ne!(
        o.status,
        Status::NotEvaluated,
        "{rule} on {name}: {:?}",
        o.reason
    );
    o.findings
}

fn none(_: &mut SiteConfig) {}

#[test]
fn aud_01_stopped_without_restart_but_not_a_shutdown() {
    let f = found("F-AUD-01", "auditd-health", none);
    assert_eq!(f.len(), 1, "the abort after the stop is the same outage");
    assert_eq!(f[0].host.as_deref(), Some("web-01"));
    assert_eq!(f[0].evidence[0].source.line, 700);
    assert!(found("F-AUD-01", "auditd-health", |s| s
        .thresholds
        .audit_restart_minutes =
        400)
    .is_empty());
    assert!(
        found("F-AUD-01", "system-changes", none).is_empty(),
        "shutdown bracket"
    );
}

#[test]
fn aud_02_03_stopped_by_a_person_and_aborted() {
    let f = found("F-AUD-02", "auditd-health", none);
    assert_eq!(
        (f.len(), f[0].evidence[0].actor.as_deref()),
        (1, Some("alice"))
    );
    assert!(
        found("F-AUD-02", "system-changes", none).is_empty(),
        "auid unset at shutdown"
    );
    let f = found("F-AUD-03", "auditd-health", none);
    assert_eq!((f.len(), f[0].evidence[0].source.line), (1, 702));
    assert!(found("F-AUD-03", "normal-month", none).is_empty());
}

#[test]
fn aud_04_05_resumed_and_disabled() {
    assert_eq!(found("F-AUD-04", "system-changes", none).len(), 1);
    assert!(found("F-AUD-04", "auditd-health", none).is_empty());
    let f = found("F-AUD-05", "auditd-health", none);
    assert_eq!((f.len(), f[0].evidence[0].source.line), (1, 120));
    assert!(found("F-AUD-05", "system-changes", none).is_empty());
}

#[test]
fn aud_06_rule_change_outside_the_boot_load_window() {
    // add_rule 29.8 s and 299.8 s after DAEMON_START.
    let f = found("F-AUD-06", "system-changes", none);
    assert_eq!((f.len(), f[0].evidence[0].source.line), (1, 6));
    assert!(found("F-AUD-06", "system-changes", |s| s
        .thresholds
        .rule_load_seconds =
        300)
    .is_empty());
    // Three removals by 1002 in one second, three additions by 1003 in another: two bursts.
    let f = found("F-AUD-06", "auditd-health", none);
    assert_eq!(
        f.iter().map(|f| f.count).collect::<Vec<_>>(),
        vec![3, 3],
        "{f:#?}"
    );
}

#[test]
fn aud_06_one_finding_per_burst_of_one_person() {
    let log = b"\
node=db-01 type=CONFIG_CHANGE msg=audit(1792018028.000:1): auid=1002 ses=873 op=add_rule key=\"a\" list=4 res=1
node=db-01 type=CONFIG_CHANGE msg=audit(1792018628.000:2): auid=1002 ses=873 op=add_rule key=\"b\" list=4 res=1
node=db-01 type=CONFIG_CHANGE msg=audit(1792018700.000:3): auid=1003 ses=874 op=remove_rule key=\"a\" list=4 res=1
node=db-01 type=CONFIG_CHANGE msg=audit(1792019228.001:4): auid=1002 ses=873 op=add_rule key=\"c\" list=4 res=1
";
    let site = SiteConfig::default();
    let o = evaluate(&summary_of(log, None, &site), &site, &[])
        .into_iter()
        .find(|o| o.id == "F-AUD-06")
        .unwrap();
    let got: Vec<(u64, &str)> = o
        .findings
        .iter()
        .map(|f| (f.count, f.summary.as_str()))
        .collect();
    // 600 s apart is one burst; 600.001 s is the next.
    assert_eq!(
        got,
        vec![
            (
                2,
                "2 audit rule changes on db-01 by 1002: add rule key=a, add rule key=b"
            ),
            (1, "remove rule key=a on db-01 by 1003"),
            (1, "add rule key=c on db-01 by 1002"),
        ]
    );
}

#[test]
fn aud_07_rules_locked_after_each_start() {
    let log = |lock_at: Option<&str>| {
        let mut text = String::from(
            "node=h type=DAEMON_START msg=audit(1792000000.000:100): op=start ver=3.1.2 format=enriched kernel=6.1.0 auid=4294967295 pid=900 uid=0 ses=4294967295 subj=system_u:system_r:auditd_t:s0 res=success\n",
        );
        if let Some(t) = lock_at {
            text.push_str(&format!(
                "node=h type=CONFIG_CHANGE msg=audit({t}:5): op=set audit_enabled=2 old=1 auid=4294967295 ses=4294967295 subj=system_u:system_r:unconfined_service_t:s0 res=1\n"
            ));
        }
        text
    };
    let run = |lock_at: Option<&str>, expect: bool| {
        let site = SiteConfig {
            expect_locked_rules: expect,
            ..SiteConfig::default()
        };
        evaluate(
            &summary_of(log(lock_at).as_bytes(), None, &site),
            &site,
            &[],
        )
        .into_iter()
        .find(|o| o.id == "F-AUD-07")
        .unwrap()
    };
    assert_eq!(
        run(None, false).status,
        Status::NotEvaluated,
        "site does not lock"
    );
    let f = run(None, true).findings;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].evidence[0].source.line, 1);
    // rule_load_seconds is 120 by default: 120 s after the start is in time, 120.001 s not.
    assert!(run(Some("1792000120.000"), true).findings.is_empty());
    assert_eq!(run(Some("1792000120.001"), true).findings.len(), 1);
}

#[test]
fn aud_14_retention_counts_records_before_the_period() {
    // The period 2026-10 ends 2026-11-01T00:00Z (1793491200); 90 days before is 1785715200.
    let log = |first: &str| {
        format!(
            "node=h type=USER_LOGIN msg=audit({first}:1): pid=1 uid=0 auid=1000 ses=1 msg='op=login acct=\"a\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=success'\n\
             node=h type=USER_LOGIN msg=audit(1792000000.000:2): pid=1 uid=0 auid=1000 ses=1 msg='op=login acct=\"a\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=success'\n"
        )
    };
    let site = SiteConfig::default();
    let run = |first: &str, period: Option<&str>| {
        evaluate(
            &summary_of(log(first).as_bytes(), period, &site),
            &site,
            &[],
        )
        .into_iter()
        .find(|o| o.id == "F-AUD-14")
        .unwrap()
    };
    assert!(
        run("1785715200.000", Some("2026-10")).findings.is_empty(),
        "exactly 90 days"
    );
    let f = run("1785715200.001", Some("2026-10")).findings;
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0]
        .summary
        .starts_with("h: the input's records start 2026-08-03T00:00:00.001Z"));
    assert_eq!(run("1785715200.000", None).status, Status::NotEvaluated);
    // Only the month itself: every host of the scenario is short of 90 days.
    let o = outcome_with("F-AUD-14", "normal-month", Some("2026-10"), none, &[]);
    assert!(!o.findings.is_empty());
    assert!(o
        .findings
        .iter()
        .all(|f| f.summary.contains("less than the 90 days")));
}

#[test]
fn aud_08_lost_events_and_serial_gaps() {
    // The 2318 missing serials straddle a DAEMON_START (a new segment), so they show as the
    // kernel's lost counter; DAEMON_* records have their own counter and leave no gap.
    let f = found("F-AUD-08", "auditd-health", none);
    assert_eq!(f.len(), 1);
    let f = found("F-AUD-08", "auditd-health", |s| {
        s.thresholds.serial_gap_max = 1
    });
    let counts: Vec<u64> = f.iter().map(|f| f.count).collect();
    assert_eq!(counts, vec![2318], "only the kernel's lost counter");
    assert!(found("F-AUD-08", "system-changes", none).is_empty());
}

#[test]
fn aud_08_gap_evidence_carries_the_events_times() {
    // Serials 1, 2, 5: 3 and 4 are missing. The evidence used to be stamped epoch 0.
    let log = [
        (1, "1790812800.000"),
        (2, "1790812801.500"),
        (5, "1790812802.250"),
    ]
    .iter()
    .map(|(serial, t)| {
        format!(
            "node=h type=SYSCALL msg=audit({t}:{serial}): arch=c000003e syscall=2 \
                 success=yes exit=3 items=0 ppid=1 pid=2 auid=1001 uid=0 comm=\"x\" \
                 exe=\"/x\" key=(null)\nnode=h type=EOE msg=audit({t}:{serial}): \n"
        )
    })
    .collect::<String>();
    let site = SiteConfig::default();
    let s = summary_of(log.as_bytes(), None, &site);
    let o = evaluate(&s, &site, &[])
        .into_iter()
        .find(|o| o.id == "F-AUD-08")
        .unwrap();
    assert_eq!(o.findings.len(), 1, "{o:?}");
    let f = &o.findings[0];
    assert_eq!(f.count, 2);
    let times: Vec<i64> = f.evidence.iter().map(|e| e.time_ms).collect();
    assert_eq!(times, [1_790_812_801_500, 1_790_812_802_250]);
    assert_eq!(
        (f.first_ms, f.last_ms),
        (1_790_812_801_500, 1_790_812_802_250)
    );
    let lines: Vec<u64> = f.evidence.iter().map(|e| e.source.line).collect();
    assert_eq!(lines, [3, 5]);
}

#[test]
fn aud_09_silent_host_boundary() {
    let f = found("F-AUD-09", "auditd-health", none);
    let hosts: Vec<&str> = f.iter().filter_map(|f| f.host.as_deref()).collect();
    assert_eq!(hosts, vec!["db-01", "web-01"]);
    assert!(
        found("F-AUD-09", "auditd-health", |s| s.thresholds.silent_hours =
            9)
        .is_empty()
    );
    // The 20-minute shutdown-to-boot gap is never a silence.
    assert!(found("F-AUD-09", "system-changes", none).is_empty());
}

#[test]
fn aud_10_coverage_of_the_period() {
    let o = outcome("F-AUD-10", "normal-month", none);
    assert_eq!(o.status, Status::NotEvaluated, "no period given");
    let month = Some("2026-10");
    let o = outcome_with("F-AUD-10", "ssh-brute-force", month, none, &[]);
    assert_eq!(o.findings.len(), 2, "both hosts start on the 12th");
    // Hourly background activity: every host logs from the first to the last hour.
    let o = outcome_with("F-AUD-10", "normal-month", month, none, &[]);
    assert_eq!(o.status, Status::Pass);
    let edge = |s: &mut SiteConfig| s.thresholds.coverage_edge_hours = 1;
    let o = outcome_with("F-AUD-10", "normal-month", month, edge, &[]);
    assert_eq!(o.status, Status::Pass);
    let o = outcome_with(
        "F-AUD-10",
        "normal-month",
        month,
        |s| {
            s.thresholds.coverage_edge_hours = 31;
            s.hosts = vec!["web-01".into(), "mail-01".into()];
        },
        &[],
    );
    assert_eq!(o.findings.len(), 1);
    assert_eq!(o.findings[0].severity, Severity::High);
}

#[test]
fn auth_01_02_brute_force_and_daily_volume() {
    let f = found("F-AUTH-01", "ssh-brute-force", none);
    assert_eq!((f.len(), f[0].count), (1, 30));
    assert_eq!(f[0].evidence[0].source.line, 9);
    assert!(found("F-AUTH-01", "ssh-brute-force", |s| s
        .thresholds
        .brute_force_failures =
        31)
    .is_empty());
    assert_eq!(found("F-AUTH-02", "ssh-brute-force", none)[0].count, 30);
    assert!(found("F-AUTH-02", "ssh-brute-force", |s| s
        .thresholds
        .daily_failures = 31)
    .is_empty());
}

#[test]
fn auth_01_window_is_exact() {
    // 30 failures in 4 min 20 s: with a 4-minute window at most 28 fall in one window.
    let f = found("F-AUTH-01", "ssh-brute-force", |s| {
        s.thresholds.brute_force_minutes = 4;
        s.thresholds.brute_force_failures = 30;
    });
    assert!(f.is_empty());
    let f = found("F-AUTH-01", "ssh-brute-force", |s| {
        s.thresholds.brute_force_minutes = 5;
        s.thresholds.brute_force_failures = 30;
    });
    assert_eq!(f.len(), 1);
}

#[test]
fn auth_03_spraying_and_invalid_users() {
    let f = found("F-AUTH-03", "login-policy", none);
    let sev: Vec<Severity> = f.iter().map(|f| f.severity).collect();
    assert_eq!(sev, vec![Severity::High, Severity::Medium]);
    assert!(found("F-AUTH-03", "login-policy", |s| {
        s.thresholds.spray_accounts = 6;
        s.thresholds.invalid_user_daily = 11;
    })
    .is_empty());
    assert!(
        found("F-AUTH-03", "ssh-brute-force", none).is_empty(),
        "3 invalid users < 10"
    );
}

#[test]
fn auth_04_success_after_failures() {
    let f = found("F-AUTH-04", "ssh-brute-force", none);
    assert_eq!((f.len(), f[0].count), (1, 31));
    assert!(found("F-AUTH-04", "ssh-brute-force", |s| s
        .thresholds
        .success_after_failures =
        31)
    .is_empty());
    assert!(
        found("F-AUTH-04", "normal-month", none).is_empty(),
        "carol: 1 failure"
    );
}

#[test]
fn auth_06_lockouts_escalate() {
    let f = found("F-AUTH-06", "login-policy", none);
    assert_eq!((f.len(), f[0].severity), (1, Severity::Medium));
    let f = found("F-AUTH-06", "login-policy", |s| {
        s.thresholds.lockouts_escalate = 4
    });
    assert_eq!(f[0].severity, Severity::Info);
    assert!(found("F-AUTH-06", "ssh-brute-force", none).is_empty());
}

#[test]
fn auth_07_08_09_root_service_and_shared_logins() {
    let f = found("F-AUTH-07", "login-policy", none);
    assert_eq!((f.len(), f[0].severity), (1, Severity::High));
    assert!(found("F-AUTH-07", "ssh-brute-force", none).is_empty());
    assert_eq!(found("F-AUTH-08", "login-policy", none).len(), 1);
    assert!(found("F-AUTH-08", "login-policy", |s| s.uid_min = 26).is_empty());
    assert_eq!(found("F-AUTH-09", "login-policy", none).len(), 1);
    assert!(found("F-AUTH-09", "login-policy", |s| s.shared_accounts.clear()).is_empty());
    let f = found("F-AUTH-09", "ssh-brute-force", |s| {
        s.shared_accounts = vec!["admin".into()]
    });
    assert_eq!(f.len(), 1);
}

#[test]
fn acct_01_short_lived_account() {
    let f = found("F-ACCT-01", "account-lifecycle", none);
    assert_eq!(
        (f.len(), f[0].severity),
        (1, Severity::High),
        "it logged in meanwhile"
    );
    assert!(found("F-ACCT-01", "account-lifecycle", |s| s
        .thresholds
        .short_lived_hours =
        32)
    .is_empty());
}

#[test]
fn acct_02_03_uid_zero_and_use_after_removal() {
    assert_eq!(found("F-ACCT-02", "system-changes", none).len(), 1);
    assert!(found("F-ACCT-02", "account-lifecycle", none).is_empty());
    let f = found("F-ACCT-03", "system-changes", none);
    assert_eq!((f.len(), f[0].evidence[1].source.line), (1, 14));
    assert!(found("F-ACCT-03", "account-lifecycle", none).is_empty());
}

#[test]
fn acct_03_terminations_file() {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let early = [("carol".to_string(), day("2026-10-19"))];
    let o = outcome_with("F-ACCT-03", "normal-month", None, none, &early);
    assert_eq!(o.findings.len(), 1, "{:?}", o.findings);
    let late = [("carol".to_string(), day("2026-10-20"))];
    let o = outcome_with("F-ACCT-03", "normal-month", None, none, &late);
    assert!(
        o.findings.is_empty(),
        "a login on the termination day is not after it"
    );
}

#[test]
fn acct_04_termination_not_actioned() {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let run = |who: &str, d: &str, days: u64| {
        let list = [(who.to_string(), day(d))];
        outcome_with(
            "F-ACCT-04",
            "account-lifecycle",
            Some("2026-10"),
            |s| s.thresholds.termination_days = days,
            &list,
        )
    };
    let o = outcome_with("F-ACCT-04", "account-lifecycle", Some("2026-10"), none, &[]);
    assert_eq!(o.status, Status::NotEvaluated, "no terminations list");
    // tmp.contractor is deleted on web-01 on 2026-10-07 (line 277).
    assert!(
        run("tmp.contractor", "2026-10-06", 1).findings.is_empty(),
        "on the deadline day"
    );
    let late = run("tmp.contractor", "2026-10-05", 1).findings;
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0].evidence[0].source.line, 277);
    assert!(
        late[0].summary.contains("due by 2026-10-06"),
        "{}",
        late[0].summary
    );
    assert!(
        run("tmp.contractor", "2026-10-05", 2).findings.is_empty(),
        "two days allowed"
    );
    // Never removed: a finding without evidence, dated at the end of the deadline day.
    let never = run("ghost", "2026-10-10", 1).findings;
    assert_eq!(never.len(), 1);
    assert!(never[0].evidence.is_empty());
    assert_eq!(
        crate::model::format_ms(never[0].first_ms),
        "2026-10-12T00:00:00.000Z"
    );
    // Not yet due within the period, or terminated before it: not judged.
    assert!(run("ghost", "2026-10-31", 1).findings.is_empty());
    assert_eq!(
        run("ghost", "2026-10-30", 1).findings.len(),
        1,
        "deadline 10-31, in period"
    );
    assert!(run("ghost", "2026-09-20", 1).findings.is_empty());
}

#[test]
fn acct_05_dormant_needs_history() {
    let o = outcome("F-ACCT-05", "normal-month", none);
    assert_eq!(o.status, Status::NotEvaluated);
    assert!(o.reason.unwrap().starts_with("insufficient history"));
    // carol's last login is 2026-10-20T15:02Z; the input ends 2026-10-31.
    let f = found("F-ACCT-05", "normal-month", |s| {
        s.thresholds.dormant_days = 10
    });
    let who: Vec<&str> = f
        .iter()
        .filter_map(|f| f.evidence[0].target.as_deref())
        .collect();
    assert_eq!(who, vec!["carol"]);
    assert!(
        found("F-ACCT-05", "normal-month", |s| s.thresholds.dormant_days =
            12)
        .is_empty()
    );
}

#[test]
fn acct_06_08_failed_and_unattributed_changes() {
    let f = found("F-ACCT-06", "account-lifecycle", none);
    assert_eq!((f.len(), f[0].evidence[0].source.line), (1, 163));
    assert!(found("F-ACCT-06", "system-changes", none).is_empty());
    // No account record at all: nothing was looked at, so no pass.
    let o = outcome("F-ACCT-06", "normal-month", none);
    assert_eq!(o.status, Status::NotEvaluated);
    assert_eq!(
        o.reason.as_deref(),
        Some("no account management records in the period")
    );
    assert_eq!(found("F-ACCT-08", "system-changes", none).len(), 1);
    assert!(found("F-ACCT-08", "account-lifecycle", none).is_empty());
}

#[test]
fn priv_01_02_grants_and_non_admin_sudo() {
    assert_eq!(found("F-PRIV-01", "account-lifecycle", none).len(), 1);
    assert!(found("F-PRIV-01", "account-lifecycle", |s| s.admin_groups =
        vec!["sudo".into()])
    .is_empty());
    let o = outcome("F-PRIV-02", "privilege-use", none);
    assert_eq!(o.status, Status::NotEvaluated, "admin_users not configured");
    let admins = |v: &[&str]| -> Vec<String> { v.iter().map(|s| s.to_string()).collect() };
    // db-01 logs RAW: bob is 1002 there (names or numbers both match).
    let f = found("F-PRIV-02", "privilege-use", |s| {
        s.admin_users = admins(&["alice", "1002"])
    });
    assert_eq!(f.len(), 1, "deploy");
    assert!(found("F-PRIV-02", "privilege-use", |s| {
        s.admin_users = admins(&["alice", "1002", "1500"])
    })
    .is_empty());
}

#[test]
fn priv_03_04_05_denied_root_shell_unattributed() {
    let f = found("F-PRIV-03", "privilege-use", none);
    assert_eq!((f.len(), f[0].count), (1, 4));
    assert!(found("F-PRIV-03", "privilege-use", |s| s
        .thresholds
        .denied_elevations_daily =
        5)
    .is_empty());
    assert_eq!(found("F-PRIV-04", "privilege-use", none).len(), 2);
    assert!(found("F-PRIV-04", "normal-month", none).is_empty());
    assert_eq!(found("F-PRIV-05", "system-changes", none).len(), 1);
    assert!(found("F-PRIV-05", "privilege-use", none).is_empty());
}

#[test]
fn mac_rules() {
    assert_eq!(found("F-MAC-01", "mac-denials", none).len(), 1);
    assert!(found("F-MAC-01", "system-changes", none).is_empty());
    assert_eq!(found("F-MAC-02", "mac-denials", none).len(), 2);
    assert!(found("F-MAC-02", "system-changes", none).is_empty());
    let o = outcome("F-MAC-03", "mac-denials", none);
    assert_eq!(o.status, Status::NotEvaluated);
    assert_eq!(found("F-MAC-04", "mac-denials", none).len(), 1);
    assert!(found("F-MAC-04", "mac-denials", |s| s.sensitive_targets.clear()).is_empty());
    assert_eq!(found("F-MAC-05", "system-changes", none).len(), 1);
    assert!(found("F-MAC-05", "mac-denials", none).is_empty());
    // Three permissive nginx denials of one signature, one AppArmor ALLOWED: two findings.
    let f = found("F-MAC-06", "mac-denials", none);
    assert_eq!(
        f.iter().map(|f| f.count).collect::<Vec<_>>(),
        vec![3, 1],
        "{f:#?}"
    );
    assert!(found("F-MAC-06", "system-changes", none).is_empty());
    let o = outcome("F-MAC-01", "ssh-brute-force", none);
    assert_eq!(o.status, Status::NotEvaluated, "no MAC records");
}

#[test]
fn time_rules() {
    let f = found("F-TIME-01", "system-changes", none);
    assert_eq!((f.len(), f[0].evidence[0].source.line), (1, 22));
    assert!(found("F-TIME-01", "system-changes", |s| s
        .time_daemons
        .push("date".into()))
    .is_empty());
    let f = found("F-TIME-02", "system-changes", none);
    assert_eq!(f.len(), 1);
    assert!(found("F-TIME-02", "system-changes", |s| s
        .thresholds
        .clock_backwards_seconds =
        600)
    .is_empty());
    assert!(found("F-TIME-02", "normal-month", none).is_empty());
}

#[test]
fn system_and_field_rules() {
    let f = found("F-SYS-01", "system-changes", none);
    assert_eq!(f.len(), 1, "the boot-time load has no login identity");
    let f = found("F-SYS-02", "normal-month", none);
    assert_eq!((f.len(), f[0].severity), (3, Severity::Info));
    // Without module or package records the rules have nothing to look at: no pass.
    for (rule, name) in [
        ("F-SYS-01", "normal-month"),
        ("F-SYS-02", "ssh-brute-force"),
    ] {
        let o = outcome(rule, name, none);
        assert_eq!(o.status, Status::NotEvaluated, "{rule}");
        assert!(
            o.reason.unwrap().contains("records in the period"),
            "{rule}"
        );
    }
    let f = found("F-FLD-01", "login-policy", none);
    assert_eq!((f.len(), f[0].count), (1, 1));
    assert!(found("F-FLD-01", "login-policy", |s| s
        .thresholds
        .missing_fields_percent =
        6.0)
    .is_empty());
}

#[test]
fn empty_input_never_passes_any_rule() {
    let site = SiteConfig::default();
    let month = Period::parse("2026-10", chrono_tz::UTC, chrono::Utc::now()).unwrap();
    for period in [Period::unbounded(chrono_tz::UTC), month] {
        let s = Summary::new(&period, 3_600_000);
        let baseline = Baseline::default();
        for b in [None, Some(&baseline)] {
            for o in evaluate_against(&s, &site, &[], b) {
                assert_eq!(o.status, Status::NotEvaluated, "{}", o.id);
                let reason = o.reason.unwrap();
                if o.id != "F-AUD-11" {
                    assert_eq!(reason, NO_RECORDS, "{}", o.id);
                }
            }
        }
    }
}

/// One login a day on `host` from `first` for `days` days (epoch seconds).
fn daily_logins(host: &str, first: i64, days: i64, serial0: u32) -> String {
    (0..days)
        .map(|d| {
            let t = first + d * 86_400;
            let serial = serial0 + d as u32;
            format!(
                "node={host} type=USER_LOGIN msg=audit({t}.000:{serial}): pid=1 uid=0 \
                 auid=1001 ses=1 msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" \
                 hostname=192.0.2.1 addr=192.0.2.1 terminal=ssh res=success'\n"
            )
        })
        .collect()
}

const SEPT_1: i64 = 1_788_220_800;
const OCT_1: i64 = 1_790_812_800;

#[test]
fn aud_10_host_silent_in_the_period_is_a_finding_not_a_pass() {
    // web-01 logs all of October; db-01 logged all of September and nothing since.
    let log = daily_logins("web-01", OCT_1, 31, 100) + &daily_logins("db-01", SEPT_1, 30, 500);
    let site = SiteConfig::default();
    let s = summary_of(log.as_bytes(), Some("2026-10"), &site);
    let o = evaluate(&s, &site, &[])
        .into_iter()
        .find(|o| o.id == "F-AUD-10")
        .unwrap();
    assert_eq!(o.status, Status::Findings, "{o:?}");
    let f: Vec<&Finding> = o.findings.iter().collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].host.as_deref(), f[0].severity, f[0].count),
        (Some("db-01"), Severity::High, 30)
    );
    assert!(
        f[0].summary.contains("no records in the period"),
        "{}",
        f[0].summary
    );
    let ev: Vec<(i64, u64)> = f[0]
        .evidence
        .iter()
        .map(|e| (e.time_ms, e.source.line))
        .collect();
    assert_eq!(
        ev,
        [(SEPT_1 * 1000, 32), ((SEPT_1 + 29 * 86_400) * 1000, 61)],
        "its first and last record, with file:line"
    );
}

#[test]
fn all_records_outside_the_period_evaluate_nothing_but_f_aud_10() {
    let log = daily_logins("db-01", SEPT_1, 30, 500);
    let site = SiteConfig {
        hosts: vec!["db-01".into(), "mail-01".into()],
        ..SiteConfig::default()
    };
    let s = summary_of(log.as_bytes(), Some("2026-10"), &site);
    assert_eq!((s.events(), s.outside_period()), (0, 30));
    for o in evaluate(&s, &site, &[]) {
        if o.id == "F-AUD-10" {
            let hosts: Vec<_> = o
                .findings
                .iter()
                .filter_map(|f| f.host.as_deref())
                .collect();
            // db-01 with its records outside the period; mail-01 in scope with none at all.
            assert_eq!(hosts, ["db-01", "mail-01"], "{o:?}");
        } else {
            assert_eq!(o.status, Status::NotEvaluated, "{}", o.id);
            assert_eq!(o.reason.as_deref(), Some(NO_RECORDS), "{}", o.id);
        }
    }
}

/// Every time threshold at its largest, and at zero, over every scenario: no window, duration
/// or offset overflows (they used to be `seconds * 1000` and friends).
#[test]
fn extreme_thresholds_never_overflow() {
    let scenarios = [
        "account-lifecycle",
        "auditd-health",
        "login-policy",
        "mac-denials",
        "normal-month",
        "privilege-use",
        "ssh-brute-force",
        "system-changes",
    ];
    for v in [u64::MAX, i64::MAX as u64, 0] {
        let mut site = SiteConfig::default();
        let t = &mut site.thresholds;
        for x in [
            &mut t.audit_restart_minutes,
            &mut t.rule_load_seconds,
            &mut t.serial_gap_max,
            &mut t.silent_hours,
            &mut t.coverage_edge_hours,
            &mut t.retention_days,
            &mut t.brute_force_minutes,
            &mut t.spray_minutes,
            &mut t.success_after_minutes,
            &mut t.short_lived_hours,
            &mut t.termination_days,
            &mut t.dormant_days,
            &mut t.clock_backwards_seconds,
        ] {
            *x = v;
        }
        site.expect_locked_rules = true;
        let terminations = [(
            "alice".to_string(),
            chrono::NaiveDate::from_ymd_opt(2026, 10, 2).unwrap(),
        )];
        for name in scenarios {
            for period in [None, Some("2026-10")] {
                let s = summary(name, period, &site);
                evaluate(&s, &site, &terminations);
            }
        }
    }
}

/// Records at both ends of the time a stamp can hold (epoch 0 and 9999-12-31T23:59:59.999)
/// with the widest windows: the success-after-failures window used to wrap.
#[test]
fn record_times_at_the_bounds_never_overflow() {
    let line = |sec: &str, serial: u32, res: &str| {
        format!(
            "node=h type=USER_LOGIN msg=audit({sec}:{serial}): pid=1 uid=0 auid=1001 ses=1 \
             msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=192.0.2.1 \
             addr=192.0.2.1 terminal=ssh res={res}'\n"
        )
    };
    let mut log = String::new();
    for (i, sec) in ["0.000", "253402300799.998", "1.000", "253402300799.999"]
        .iter()
        .enumerate()
    {
        log += &line(sec, i as u32 * 7, "failed");
        log += &line(sec, i as u32 * 7 + 1, "success");
    }
    for minutes in [u64::MAX, 0, 1] {
        let mut site = SiteConfig::default();
        site.thresholds.success_after_minutes = minutes;
        site.thresholds.success_after_failures = 1;
        site.thresholds.brute_force_minutes = minutes;
        site.thresholds.spray_minutes = minutes;
        for period in [None, Some("2026-10")] {
            let s = summary_of(log.as_bytes(), period, &site);
            let out = evaluate(&s, &site, &[]);
            let auth_04 = out.iter().find(|o| o.id == "F-AUTH-04").unwrap();
            if period.is_none() && minutes == u64::MAX {
                // Each success but the one at epoch 0 follows a failure within the window.
                assert_eq!(auth_04.findings.len(), 3, "{auth_04:?}");
            }
        }
    }
}

#[test]
fn rule_ids_are_unique_and_have_parameters_known_to_the_config() {
    let config = serde_json::to_value(SiteConfig::default()).unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for r in rules() {
        assert!(ids.insert(r.id), "{} twice", r.id);
        for p in r.params {
            assert!(
                config["thresholds"].get(p).is_some() || config.get(p).is_some(),
                "{}: {p}",
                r.id
            );
        }
    }
    assert_eq!(ids.len(), 46);
}

#[test]
fn clock_steps_survive_split_and_merge() {
    // Cut system-changes.log at every line: the merged coverage keeps the one clock step.
    let path = format!(
        "{}/samples/scenarios/system-changes.log",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let part = |from: usize, to: usize| {
        let mut agg = Aggregator::new(Period::unbounded(chrono_tz::UTC), NameResolver::empty());
        let mut sink = |ev: &crate::parse::Event| agg.add_event(ev);
        let part = lines
            .iter()
            .enumerate()
            .take(to)
            .skip(from)
            .map(|(i, line)| {
                let at = Source {
                    file: FileId(0),
                    line: i as u64 + 1,
                };
                (at, line.as_bytes())
            });
        each_event_of_lines(part, AssembleOptions::default(), &mut sink);
        agg.into_summary()
    };
    let whole = part(0, lines.len());
    let steps = |s: &Summary| s.hosts()["lab-01"].clock_steps().to_vec();
    assert_eq!(steps(&whole).len(), 1);
    for cut in 1..lines.len() {
        fn stamp(l: &str) -> Option<&str> {
            l.split("msg=audit(").nth(1)?.split(')').next()
        }
        if stamp(lines[cut]) == stamp(lines[cut - 1]) {
            continue; // cut only between events
        }
        let mut merged = part(0, cut);
        merged.merge(&part(cut, lines.len()));
        assert_eq!(steps(&merged), steps(&whole), "cut before line {}", cut + 1);
    }
}

fn against(rule: &str, name: &str, baseline: &Baseline) -> RuleOutcome {
    let site = SiteConfig::default();
    let s = summary(name, None, &site);
    evaluate_against(&s, &site, &[], Some(baseline))
        .into_iter()
        .find(|o| o.id == rule)
        .unwrap_or_else(|| panic!("no rule {rule}"))
}

#[test]
fn mac_03_new_enforced_signatures_against_a_baseline() {
    let site = SiteConfig::default();
    let now = summary("mac-denials", None, &site);
    let all: std::collections::BTreeSet<String> = now.mac().signatures().keys().cloned().collect();
    let enforced: Vec<&String> = now
        .mac()
        .signatures()
        .iter()
        .filter(|(_, g)| g.count().total() > g.permissive())
        .map(|(k, _)| k)
        .collect();
    assert!(enforced.len() >= 2 && enforced.len() < all.len(), "{all:?}");

    // Trigger: the baseline saw every signature but the first enforced one.
    let mut signatures = all.clone();
    signatures.remove(enforced[0]);
    let b = Baseline {
        label: "2026-09 (UTC)".into(),
        signatures,
        ..Baseline::default()
    };
    let o = against("F-MAC-03", "mac-denials", &b);
    assert_eq!(o.status, Status::Findings);
    assert_eq!(o.findings.len(), 1, "{:?}", o.findings);
    let f = &o.findings[0];
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.summary.contains(enforced[0].as_str()), "{}", f.summary);
    assert!(f.summary.contains("not seen in 2026-09 (UTC)"));
    assert!(f
        .evidence
        .iter()
        .all(|e| e.what.starts_with("enforced denial")));
    assert!(f.count >= 1 && f.host.is_some());

    // Pass: the baseline saw them all.
    let b = Baseline {
        signatures: all,
        ..Baseline::default()
    };
    assert_eq!(against("F-MAC-03", "mac-denials", &b).status, Status::Pass);

    // A signature only ever permissive is never new *enforced*.
    let permissive_only: Vec<&String> = now
        .mac()
        .signatures()
        .iter()
        .filter(|(_, g)| g.count().total() == g.permissive())
        .map(|(k, _)| k)
        .collect();
    let o = against("F-MAC-03", "mac-denials", &Baseline::default());
    assert_eq!(o.findings.len(), enforced.len());
    for sig in permissive_only {
        assert!(o.findings.iter().all(|f| !f.summary.contains(sig.as_str())));
    }
    // Without MAC records there is nothing to compare.
    let o = against("F-MAC-03", "ssh-brute-force", &Baseline::default());
    assert_eq!(o.status, Status::NotEvaluated);
}

#[test]
fn aud_11_runs_only_with_a_baseline_and_reports_changed_inputs() {
    use crate::integrity::InputCheck;
    let site = SiteConfig::default();
    let s = summary("normal-month", None, &site);
    assert!(evaluate(&s, &site, &[]).iter().all(|o| o.id != "F-AUD-11"));
    assert!(rule("F-AUD-11").is_some(), "policies may link it");

    let check = |path: &str, status: &'static str| InputCheck {
        path: path.into(),
        status,
        finding: match status {
            "changed" => Some("F-AUD-11 critical"),
            "missing" => Some("F-AUD-11 high"),
            _ => None,
        },
        baseline_sha256: "aa".into(),
        current_path: (status != "missing").then(|| path.into()),
        current_sha256: if status == "unchanged" { "aa" } else { "bb" }.into(),
    };
    let b = |integrity| Baseline {
        path: "pkg-2026-09".into(),
        label: "2026-09 (UTC)".into(),
        integrity,
        ..Baseline::default()
    };
    let o = against("F-AUD-11", "normal-month", &b(None));
    assert_eq!(o.status, Status::NotEvaluated);
    assert!(o.reason.unwrap().contains("no manifest.json"));
    let o = against("F-AUD-11", "normal-month", &b(Some(vec![])));
    assert_eq!(o.status, Status::NotEvaluated);
    let ok = vec![check("/a.log", "unchanged"), check("/b.log", "appended")];
    assert_eq!(
        against("F-AUD-11", "normal-month", &b(Some(ok))).status,
        Status::Pass
    );
    let ok = vec![
        check("/c.log", "renamed"),
        check("/d.log.1.gz", "compressed"),
    ];
    assert_eq!(
        against("F-AUD-11", "normal-month", &b(Some(ok))).status,
        Status::Pass,
        "rotation is not a finding"
    );
    let bad = vec![
        check("/a.log", "changed"),
        check("/b.log", "unchanged"),
        check("/c.log", "missing"),
    ];
    let o = against("F-AUD-11", "normal-month", &b(Some(bad)));
    assert_eq!(o.findings.len(), 2);
    assert_eq!(o.findings[0].severity, Severity::Critical);
    assert!(o.findings[0]
        .summary
        .starts_with("/a.log changed since the package of 2026-09"));
    assert_eq!(o.findings[1].severity, Severity::High);
    assert!(o.findings[1].summary.starts_with("/c.log is missing since"));
    // Listed with the other F-AUD rules.
    let ids: Vec<&str> = evaluate_against(&s, &site, &[], Some(&b(None)))
        .iter()
        .map(|o| o.id)
        .collect();
    let at = ids.iter().position(|&i| i == "F-AUD-11").unwrap();
    assert_eq!((ids[at - 1], ids[at + 1]), ("F-AUD-10", "F-AUD-12"));
}

// Rules over watched files, on watched-files.log (samples/README.md): db-01 loads the PCI
// rule set, web-01 the CIS set, arm-01 (aarch64) only perm_mod.

#[test]
fn aud_12_audit_logs_changed_by_other_than_auditd() {
    let f = found("F-AUD-12", "watched-files", none);
    let got: Vec<(&str, u64, u64)> = f
        .iter()
        .map(|f| {
            (
                f.host.as_deref().unwrap_or(""),
                f.count,
                f.evidence[0].source.line,
            )
        })
        .collect();
    // carol's truncate and rm (the rm names `audit.log.2` relative to /var/log/audit); the
    // rotation by auditd at 10:00 is not one.
    assert_eq!(got, vec![("db-01", 1, 104), ("db-01", 1, 109)], "{f:#?}");
    assert_eq!(f[0].severity, Severity::Critical);
    assert!(
        f[1].summary
            .contains("delete /var/log/audit/audit.log.2 (rm)"),
        "{}",
        f[1].summary
    );
    // Boundary: the same events by allowed writers.
    assert!(found("F-AUD-12", "watched-files", |s| s
        .audit_log_writers
        .extend(["truncate".into(), "rm".into()]))
    .is_empty());
    // No audit-log-change rule and no events: not evaluated, with the rule to add.
    let o = outcome("F-AUD-12", "account-lifecycle", none);
    assert_eq!(o.status, Status::NotEvaluated);
    assert!(o.reason.unwrap().contains("-w /var/log/audit/ -p wa"));
}

#[test]
fn aud_13_audit_logs_read_by_people_not_listed() {
    let f = found("F-AUD-13", "watched-files", none);
    let got: Vec<(&str, u64)> = f
        .iter()
        .map(|f| (f.evidence[0].actor.as_deref().unwrap_or(""), f.count))
        .collect();
    assert_eq!(got, vec![("1002", 3), ("1001", 1)], "db-01 logs RAW: ids");
    assert_eq!(f[0].severity, Severity::Low);
    let f = found("F-AUD-13", "watched-files", |s| {
        s.audit_log_readers = vec!["1001".into()]
    });
    assert_eq!(f.len(), 1, "alice is a reader");
    assert!(found("F-AUD-13", "watched-files", |s| {
        s.audit_log_readers = vec!["1001".into(), "1002".into()]
    })
    .is_empty());
    assert_eq!(
        outcome("F-AUD-13", "normal-month", none).status,
        Status::NotEvaluated
    );
}

#[test]
fn acct_07_identity_files_edited_by_hand() {
    let f = found("F-ACCT-07", "watched-files", none);
    assert_eq!(f.len(), 1, "vim, not useradd: {f:#?}");
    assert_eq!(f[0].evidence[0].source.line, 48);
    assert!(
        f[0].summary.contains("/etc/passwd with vim by alice"),
        "{}",
        f[0].summary
    );
    assert!(found("F-ACCT-07", "watched-files", |s| s
        .account_tools
        .push("vim".into()))
    .is_empty());
    // useradd's identity events in account-lifecycle are not hand edits.
    assert!(found("F-ACCT-07", "account-lifecycle", none).is_empty());
}

#[test]
fn file_01_repeated_denied_access_to_sensitive_files() {
    let f = found("F-FILE-01", "watched-files", none);
    assert_eq!(f.len(), 1, "dave four times; erin twice is under 3: {f:#?}");
    assert_eq!((f[0].count, f[0].severity), (4, Severity::Medium));
    assert!(
        f[0].summary.contains("by dave on web-01"),
        "{}",
        f[0].summary
    );
    let f = found("F-FILE-01", "watched-files", |s| {
        s.thresholds.denied_access_daily = 2
    });
    assert_eq!(f.len(), 2);
    assert!(found("F-FILE-01", "watched-files", |s| s
        .thresholds
        .denied_access_daily =
        5)
    .is_empty());
    // One denied read of /etc/shadow in ssh-brute-force: evaluated, under the threshold.
    assert!(found("F-FILE-01", "ssh-brute-force", none).is_empty());
}

#[test]
fn priv_01_sudoers_changes_and_sys_01_module_names() {
    let f = found("F-PRIV-01", "watched-files", none);
    assert_eq!(f.len(), 1);
    assert!(
        f[0].summary
            .starts_with("sudoers changed: /etc/sudoers on web-01 by alice"),
        "{}",
        f[0].summary
    );
    assert_eq!(f[0].evidence[0].source.line, 91);
    // No sudoers change in privilege-use (its root shell edits nginx configuration), nor
    // any account or role record: nothing to judge, so not a pass.
    assert_eq!(
        outcome("F-PRIV-01", "privilege-use", none).status,
        Status::NotEvaluated
    );
    // finit_module without KERN_MODULE: the name comes from `modprobe wireguard`.
    let f = found("F-SYS-01", "watched-files", none);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].summary, "kernel module wireguard on db-01 by 1001");
}
