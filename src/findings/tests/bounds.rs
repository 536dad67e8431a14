//! Properties of every rule at once: empty input, extreme thresholds and times, rule ids,
//! split-and-merge.

use super::*;

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
