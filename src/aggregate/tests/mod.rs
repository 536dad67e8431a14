//! Aggregation tests: one per category on hand-written lines, period filtering, JSON shape,
//! split-and-merge equality, and a run over the shared corpus.

mod combine;
mod corpus;
mod limits;
mod room;
mod roundtrip;
mod split;
mod walk;
mod watches;

use super::*;
use crate::classify::testing::{each_event, each_event_of};
use crate::classify::{Kind, NameResolver};

pub(super) fn utc() -> Period {
    Period::unbounded(chrono_tz::UTC)
}

/// Summarises `log` over all time in UTC.
pub(super) fn summarize(log: &str) -> Summary {
    let mut agg = Aggregator::new(utc(), NameResolver::empty());
    each_event(log, 0, |ev| agg.add_event(ev));
    agg.into_summary()
}

/// Summarises numbered lines (a part of a log) with `period`.
pub(super) fn summarize_lines(lines: &[(u64, &str)], period: &Period) -> Summary {
    let mut agg = Aggregator::new(period.clone(), NameResolver::empty());
    each_event_of(lines, 0, |ev| agg.add_event(ev));
    agg.into_summary()
}

fn metric(s: &Summary, id: &str) -> u64 {
    *s.metrics()
        .get(id)
        .unwrap_or_else(|| panic!("no metric {id}"))
}

#[test]
fn accounts_created_deleted_modified_and_failed() {
    let s = summarize("\
type=ADD_USER msg=audit(1700000000.000:1): pid=1 uid=0 auid=1000 ses=2 msg='op=add-user acct=\"eve\" exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'
type=USER_MGMT msg=audit(1700000000.001:2): pid=1 uid=0 auid=1000 ses=2 msg='op=add-home-dir acct=\"eve\" exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'
type=ADD_GROUP msg=audit(1700000000.002:3): pid=1 uid=0 auid=1000 ses=2 msg='op=add-group acct=\"eve\" exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'
type=ACCT_LOCK msg=audit(1700000100.000:4): pid=1 uid=0 auid=1000 ses=2 msg='op=locked-password acct=\"eve\" exe=\"/usr/bin/passwd\" hostname=? addr=? terminal=pts/0 res=success'
type=DEL_USER msg=audit(1700000200.000:5): pid=1 uid=0 auid=1000 ses=2 msg='op=delete-user acct=\"eve\" exe=\"/usr/sbin/userdel\" hostname=? addr=? terminal=pts/0 res=success'
type=DEL_GROUP msg=audit(1700000200.001:6): pid=1 uid=0 auid=1000 ses=2 msg='op=delete-group acct=\"eve\" exe=\"/usr/sbin/userdel\" hostname=? addr=? terminal=pts/0 res=success'
type=USER_MGMT msg=audit(1700000300.000:7): pid=1 uid=1001 auid=1001 ses=3 msg='op=changing-shell acct=\"frank\" exe=\"/usr/bin/chsh\" hostname=? addr=? terminal=pts/1 res=failed'
type=ROLE_ASSIGN msg=audit(1700000400.000:8): pid=1 uid=0 auid=1000 ses=2 msg='op=add-selinux-user-mapping acct=\"eve\" old-seuser=? new-seuser=staff_u exe=\"/usr/sbin/semanage\" hostname=? addr=? terminal=pts/0 res=success'
");
    assert_eq!(metric(&s, "accounts.created"), 1);
    assert_eq!(metric(&s, "accounts.deleted"), 1);
    assert_eq!(metric(&s, "accounts.modified"), 2);
    assert_eq!(metric(&s, "accounts.locked"), 1);
    assert_eq!(metric(&s, "accounts.failed"), 1);
    assert_eq!(metric(&s, "groups.created"), 1);
    assert_eq!(metric(&s, "groups.deleted"), 1);
    assert_eq!(metric(&s, "roles.changed"), 1);
    let eve = s.accounts().by_target()["eve"];
    assert_eq!((eve.created, eve.deleted, eve.modified), (2, 2, 3));
    let item = &s.accounts().created().items()[0];
    assert_eq!(item.source.line, 1);
    assert_eq!(s.accounts().failed().items()[0].target_name(), "frank");
    let day = chrono::NaiveDate::from_ymd_opt(2023, 11, 14).unwrap();
    assert_eq!(s.accounts().modified().count().by_day()[&day], 2);
    assert_eq!(s.accounts().modified().count().by_host()["(local)"], 2);
    // aureport: every account-type event, failures too; ACCT_LOCK is not one of them.
    assert_eq!(aureport_equivalent(&s).account_changes, 7);
    assert_eq!(aureport_equivalent(&s).failed_authentications, 1);
}

#[test]
fn logins_auth_invalid_users_and_breakdowns() {
    let s = summarize("\
node=bastion type=USER_LOGIN msg=audit(1700000000.000:10): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct=28696E76616C6964207573657229 exe=\"/usr/sbin/sshd\" hostname=? addr=203.0.113.9 terminal=sshd res=failed'
node=bastion type=USER_AUTH msg=audit(1700000001.000:11): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=203.0.113.9 addr=203.0.113.9 terminal=ssh res=failed'
node=bastion type=USER_LOGIN msg=audit(1700000002.000:12): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=? addr=203.0.113.9 terminal=ssh res=failed'
node=bastion type=USER_AUTH msg=audit(1700000010.000:13): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=pam_unix acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=198.51.100.4 addr=198.51.100.4 terminal=ssh res=success'
node=bastion type=USER_ACCT msg=audit(1700000010.100:14): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:accounting grantors=pam_unix acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=198.51.100.4 addr=198.51.100.4 terminal=ssh res=success'
node=bastion type=USER_START msg=audit(1700000010.200:15): pid=1 uid=0 auid=1000 ses=5 msg='op=PAM:session_open grantors=pam_unix acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=198.51.100.4 addr=198.51.100.4 terminal=ssh res=success'
node=bastion type=USER_LOGIN msg=audit(1700000010.300:16): pid=1 uid=0 auid=1000 ses=5 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=198.51.100.4 terminal=/dev/pts/1 res=success'
node=bastion type=USER_ACCT msg=audit(1700000020.000:17): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:accounting grantors=? acct=\"bob\" exe=\"/usr/sbin/sshd\" hostname=198.51.100.5 addr=198.51.100.5 terminal=ssh res=failed'
node=bastion type=RESP_ACCT_LOCK msg=audit(1700000030.000:18): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=pam_faillock suid=0 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'
");
    assert_eq!(metric(&s, "logins.success"), 1);
    assert_eq!(metric(&s, "logins.failed"), 2);
    assert_eq!(metric(&s, "logins.invalid_user"), 1);
    assert_eq!(metric(&s, "auth.success"), 1);
    assert_eq!(metric(&s, "auth.failed"), 1);
    assert_eq!(metric(&s, "auth.account_denied"), 1);
    assert_eq!(metric(&s, "logins.sessions"), 1);
    assert_eq!(metric(&s, "logins.lockouts"), 1);
    let b = s.logins().login_breakdown();
    assert_eq!(b.by_origin()["203.0.113.9"].failed, 2);
    assert_eq!(b.by_account()["1000"].success, 1);
    assert_eq!(b.by_account()["(invalid user)"].failed, 1);
    assert_eq!(s.logins().failed_logins().count().by_host()["bastion"], 2);
    let a = aureport_equivalent(&s);
    assert_eq!((a.logins, a.failed_logins), (1, 2));
    assert_eq!((a.authentications, a.failed_authentications), (1, 1));
    assert_eq!(a.responses, 1);
}

#[test]
fn privilege_credentials_and_mac() {
    let s = summarize("\
type=USER_CMD msg=audit(1700000000.000:20): pid=1 uid=1000 auid=1000 ses=2 msg='cwd=\"/\" cmd=6964 exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'
type=USER_CMD msg=audit(1700000001.000:21): pid=1 uid=1000 auid=1000 ses=2 msg='cwd=\"/\" cmd=7368 exe=\"/usr/bin/sudo\" terminal=pts/0 res=failed'
type=USER_START msg=audit(1700000002.000:22): pid=1 uid=0 auid=1000 ses=2 msg='op=PAM:session_open grantors=pam_unix acct=\"root\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=pts/0 res=success'
type=USER_CHAUTHTOK msg=audit(1700000003.000:23): pid=1 uid=0 auid=1000 ses=2 msg='op=PAM:chauthtok grantors=pam_unix acct=\"bob\" exe=\"/usr/bin/passwd\" hostname=? addr=? terminal=pts/0 res=success'
type=AVC msg=audit(1700000004.000:24): avc:  denied  { read } for  pid=1 comm=\"cat\" name=\"shadow\" scontext=u:r:user_t:s0 tcontext=u:object_r:shadow_t:s0 tclass=file permissive=1
type=SYSCALL msg=audit(1700000004.000:24): arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=0 a2=0 a3=0 items=1 ppid=1 pid=1 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=2 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)
type=AVC msg=audit(1700000004.000:24): avc:  denied  { open } for  pid=1 comm=\"cat\" name=\"shadow\" scontext=u:r:user_t:s0 tcontext=u:object_r:shadow_t:s0 tclass=file permissive=1
type=EOE msg=audit(1700000004.000:24):
type=AVC msg=audit(1700000005.000:25): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/named\" name=\"/etc/x\" pid=2 comm=\"named\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0
type=EOE msg=audit(1700000005.000:25):
type=SELINUX_ERR msg=audit(1700000006.000:26): security_compute_sid:  invalid context u:r:bad_t:s0 for scontext=u:r:a_t:s0 tcontext=u:r:b_t:s0 tclass=process
type=EOE msg=audit(1700000006.000:26):
type=MAC_STATUS msg=audit(1700000007.000:27): enforcing=0 old_enforcing=1 auid=1000 ses=2 enabled=1 old-enabled=1 lsm=selinux res=1
type=EOE msg=audit(1700000007.000:27):
");
    assert_eq!(metric(&s, "privilege.commands"), 2);
    assert_eq!(metric(&s, "privilege.failed"), 1);
    assert_eq!(metric(&s, "privilege.sessions"), 1);
    assert_eq!(metric(&s, "credentials.password_changes"), 1);
    assert_eq!(metric(&s, "mac.denials"), 3);
    assert_eq!(metric(&s, "mac.denials.permissive"), 2);
    assert_eq!(metric(&s, "mac.denials.enforced"), 1);
    assert_eq!(metric(&s, "mac.signatures"), 3);
    assert_eq!(metric(&s, "mac.errors"), 1);
    assert_eq!(metric(&s, "mac.config_changes"), 1);
    assert_eq!(s.privilege().commands_by_actor()["1000"].failed, 1);
    let g = &s.mac().signatures()["selinux:user_t:shadow_t:file:read"];
    assert_eq!(g.items()[0].exe.as_deref(), Some("/usr/bin/cat"));
    assert_eq!(g.items()[0].source.line, 5);
    let a = aureport_equivalent(&s);
    // The AVC records of one event count once; aureport drops the AppArmor event.
    assert_eq!(a.avcs, 1);
    assert_eq!(a.account_changes, 1);
    assert_eq!((a.config_changes, a.mac_events), (1, 1));
}

#[test]
fn daemon_health_lost_events_and_timeline() {
    let s = summarize("\
type=DAEMON_START msg=audit(1700000000.000:500): op=start ver=3.1 format=raw kernel=6.1 auid=4294967295 pid=1 uid=0 ses=4294967295 res=success
type=CONFIG_CHANGE msg=audit(1700000000.100:3): op=set audit_backlog_limit=8192 old=64 auid=4294967295 ses=4294967295 res=1
type=CONFIG_CHANGE msg=audit(1700000000.200:4): op=add_rule key=\"identity\" list=4 res=1 auid=4294967295 ses=4294967295
type=CONFIG_CHANGE msg=audit(1700000000.300:5): op=set lost=0 old=42 auid=0 ses=4294967295 res=1
type=SERVICE_START msg=audit(1700000000.400:6): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=auditd comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'
type=SERVICE_START msg=audit(1700000000.500:7): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=cron comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'
type=USER_LOGIN msg=audit(1700000001.000:10): pid=1 uid=0 auid=1000 ses=1 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=success'
type=USER_LOGIN msg=audit(1700200000.000:11): pid=1 uid=0 auid=1000 ses=1 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=success'
type=DAEMON_END msg=audit(1700200001.000:501): op=terminate auid=1000 uid=0 ses=1 pid=1 subj=unconfined res=success
type=DAEMON_ABORT msg=audit(1700200002.000:502): op=abort auid=4294967295 pid=1 res=failed
");
    assert_eq!(metric(&s, "daemon.starts"), 1);
    assert_eq!(metric(&s, "daemon.stops"), 1);
    assert_eq!(metric(&s, "daemon.aborts"), 1);
    assert_eq!(metric(&s, "audit.config_changes"), 3);
    assert_eq!(metric(&s, "audit.rule_changes"), 1);
    assert_eq!(metric(&s, "audit.lost_events"), 42);
    // 3..7, then 10: serials 8 and 9 are missing.
    assert_eq!(metric(&s, "audit.serial_gaps"), 1);
    assert_eq!(metric(&s, "audit.missing_serials"), 2);
    assert_eq!(metric(&s, "audit.silences"), 1);
    let h = &s.hosts()["(local)"];
    assert_eq!(h.lost_events(), 42);
    assert_eq!(h.first_ms(), Some(1_700_000_000_000));
    assert_eq!(h.last_ms(), Some(1_700_200_002_000));
    let kinds: Vec<Kind> = h.timeline().iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::DaemonStart,
            Kind::ServiceStart,
            Kind::DaemonEnd,
            Kind::DaemonAbort
        ]
    );
    assert_eq!(h.timeline()[2].actor.as_deref(), Some("1000"));
    let gap = &h.serial_gaps()[0];
    assert_eq!((gap.after.line, gap.before.line), (6, 7));
    // The silence runs from the latest event before it (the login at 1700000001.000), even
    // though the CONFIG_CHANGE events without EOE are released later, when the clock moves.
    assert_eq!(h.silences()[0].duration_ms, 199_999_000);
    assert_eq!(s.daemon().units()["cron"].starts, 1);
    assert_eq!(s.daemon().system().total(), 1);
}

#[test]
fn config_time_changes_and_anomalies() {
    let s = summarize("\
type=SYSCALL msg=audit(1700000000.000:30): arch=c000003e syscall=159 success=yes exit=0 a0=1 a1=0 a2=0 a3=0 items=0 ppid=1 pid=9 auid=4294967295 uid=123 gid=1 euid=1 suid=1 fsuid=1 egid=1 sgid=1 fsgid=1 tty=(none) ses=4294967295 comm=\"chronyd\" exe=\"/usr/sbin/chronyd\" key=\"time-change\"
type=EOE msg=audit(1700000000.000:30):
type=SYSCALL msg=audit(1700000001.000:31): arch=c000003e syscall=159 success=yes exit=0 a0=1 a1=0 a2=0 a3=0 items=0 ppid=1 pid=9 auid=4294967295 uid=123 gid=1 euid=1 suid=1 fsuid=1 egid=1 sgid=1 fsgid=1 tty=(none) ses=4294967295 comm=\"chronyd\" exe=\"/usr/sbin/chronyd\" key=\"time-change\"
type=EOE msg=audit(1700000001.000:31):
type=SYSCALL msg=audit(1700000002.000:32): arch=c000003e syscall=227 success=yes exit=0 a0=1 a1=0 a2=0 a3=0 items=0 ppid=1 pid=9 auid=1000 uid=0 gid=1 euid=1 suid=1 fsuid=1 egid=1 sgid=1 fsgid=1 tty=pts0 ses=2 comm=\"date\" exe=\"/usr/bin/date\" key=\"time-change\"
type=EOE msg=audit(1700000002.000:32):
type=SOFTWARE_UPDATE msg=audit(1700000003.000:33): pid=1 uid=0 auid=1000 ses=2 msg='op=install sw=\"nmap-7.9\" sw_type=rpm key_enforce=0 gpg_res=1 root_dir=\"/\" comm=\"dnf\" exe=\"/usr/bin/python3\" hostname=? addr=? terminal=pts/0 res=success'
type=ANOM_ABEND msg=audit(1700000004.000:34): auid=1000 uid=1000 gid=1000 ses=2 pid=7 comm=\"app\" exe=\"/opt/app\" sig=6 res=1
type=EOE msg=audit(1700000004.000:34):
type=ANOM_LOGIN_FAILURES msg=audit(1700000005.000:35): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=pam_faillock suid=1001 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'
type=SECCOMP msg=audit(1700000006.000:36): auid=1000 uid=1000 gid=1000 ses=2 pid=7 comm=\"app\" exe=\"/opt/app\" sig=0 arch=c000003e syscall=1 compat=0 ip=0x1 code=0x7ffc0000
type=EOE msg=audit(1700000006.000:36):
");
    assert_eq!(metric(&s, "config.time_changes"), 1);
    assert_eq!(metric(&s, "config.time_daemon_adjustments"), 2);
    let r = &s.config().routine_time()["(local)"]["chronyd"];
    assert_eq!((r.count, r.first.line, r.last.line), (2, 1, 3));
    assert_eq!(metric(&s, "config.software_updates"), 1);
    assert_eq!(metric(&s, "anomalies"), 1);
    assert_eq!(metric(&s, "logins.anomalies"), 1);
    assert_eq!(metric(&s, "anomalies.seccomp"), 1);
    assert_eq!(aureport_equivalent(&s).anomalies, 2);
}

#[test]
fn events_outside_the_period_are_counted_not_reported() {
    let mut period = utc();
    period.start_ms = 1_700_000_000_000;
    period.end_ms = 1_700_000_100_000;
    let log = "\
type=USER_LOGIN msg=audit(1699999999.999:1): pid=1 uid=0 auid=1 ses=1 msg='op=login id=1 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'
type=USER_LOGIN msg=audit(1700000000.000:2): pid=1 uid=0 auid=1 ses=1 msg='op=login id=1 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'
type=USER_LOGIN msg=audit(1700000100.000:3): pid=1 uid=0 auid=1 ses=1 msg='op=login id=1 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'
";
    let lines: Vec<(u64, &str)> = log
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l))
        .collect();
    let s = summarize_lines(&lines, &period);
    assert_eq!(metric(&s, "events"), 1);
    assert_eq!(metric(&s, "outside_period"), 2);
    assert_eq!(metric(&s, "logins.success"), 1);
    assert_eq!(s.logins().logins().items()[0].source.line, 2);
    assert_eq!(aureport_equivalent(&s).events, 1);
}

#[test]
fn days_follow_the_period_zone() {
    let mut period = utc();
    period.tz = chrono_tz::America::New_York;
    // 2023-11-15 03:00 UTC is 2023-11-14 22:00 in New York.
    let log = "type=USER_LOGIN msg=audit(1700017200.000:1): pid=1 uid=0 auid=1 ses=1 msg='op=login id=1 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'";
    let s = summarize_lines(&[(1, log)], &period);
    let day = chrono::NaiveDate::from_ymd_opt(2023, 11, 14).unwrap();
    assert_eq!(s.logins().logins().count().by_day()[&day], 1);
    assert_eq!(s.hosts()["(local)"].by_day()[&day], 1);
}

#[test]
fn json_has_schema_period_hosts_metrics_and_lists() {
    let s = summarize("node=h1 type=USER_LOGIN msg=audit(1700000000.000:1): pid=1 uid=0 auid=1 ses=1 msg='op=login id=1 exe=\"/usr/sbin/sshd\" hostname=? addr=10.1.1.1 terminal=ssh res=failed'");
    let v: serde_json::Value = serde_json::to_value(&s).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["period"]["label"], "all time");
    assert_eq!(v["period"]["start_ms"], serde_json::Value::Null);
    assert_eq!(v["metrics"]["logins.failed"], 1);
    assert_eq!(v["hosts"]["h1"]["events"], 1);
    let item = &v["logins"]["failed_logins"]["items"][0];
    assert_eq!(item["source"]["line"], 1);
    assert_eq!(item["source"]["file"], 0);
    assert_eq!(item["kind"], "login");
    assert_eq!(item["category"], "logins");
    assert_eq!(item["rtype"], "USER_LOGIN");
    assert_eq!(item["node"], "h1");
    assert_eq!(
        v["logins"]["failed_logins"]["count"]["by_day"]["2023-11-14"],
        1
    );
    let required = [
        "events",
        "logins.success",
        "logins.failed",
        "auth.success",
        "auth.failed",
        "accounts.created",
        "accounts.deleted",
        "accounts.modified",
        "groups.created",
        "groups.deleted",
        "privilege.commands",
        "privilege.failed",
        "mac.denials",
        "daemon.starts",
        "daemon.stops",
        "daemon.aborts",
        "audit.config_changes",
        "audit.lost_events",
        "anomalies",
    ];
    for id in required {
        assert!(s.metrics().contains_key(id), "missing metric {id}");
    }
}
