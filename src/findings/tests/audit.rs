//! The audit daemon and log rules (F-AUD-*).

use super::*;

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
