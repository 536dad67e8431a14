//! The privilege rules (F-PRIV-*).

use super::*;

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
