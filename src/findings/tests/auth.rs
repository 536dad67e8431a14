//! The authentication rules (F-AUTH-*).

use super::*;

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
