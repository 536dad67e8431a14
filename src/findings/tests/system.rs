//! The MAC, time, system, field and file rules (F-MAC-*, F-TIME-*, F-SYS-*, F-FLD-*,
//! F-FILE-*).

use super::*;

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
