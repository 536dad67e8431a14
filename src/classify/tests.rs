//! One test per record family, on lines written for these tests.

use super::testing::{facts, facts_with};
use super::*;

fn one(log: &str) -> Fact {
    let mut f = facts(log);
    assert_eq!(f.len(), 1, "expected one fact from {log}: {f:#?}");
    f.remove(0)
}

#[test]
fn account_creation_with_enriched_names() {
    let f = one("type=ADD_USER msg=audit(1700000000.100:10): pid=5 uid=0 auid=1000 ses=3 msg='op=add-user id=1600 exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/1 res=success'\u{1d}UID=\"root\" AUID=\"alice\" ID=\"unknown(1600)\"");
    assert_eq!(f.kind, Kind::UserAdded);
    assert_eq!(f.category, Category::Accounts);
    assert_eq!(f.result, Outcome::Success);
    assert_eq!(f.auid.as_ref().unwrap().name, "alice");
    assert_eq!(f.auid.as_ref().unwrap().id, Some(1000));
    assert_eq!(f.uid.as_ref().unwrap().name, "root");
    let t = f.target.unwrap();
    assert_eq!((t.id, t.name.as_str()), (Some(1600), "1600"));
    assert_eq!(f.op.as_deref(), Some("add-user"));
    assert_eq!(f.exe.as_deref(), Some("/usr/sbin/useradd"));
    assert_eq!(f.terminal.as_deref(), Some("pts/1"));
    assert_eq!(f.addr, None);
    assert_eq!(f.source.line, 1);
    assert_eq!(f.time_ms, 1_700_000_000_100);
    assert_eq!(f.serial, 10);
}

#[test]
fn names_from_passwd_and_group_files_when_not_enriched() {
    let names = NameResolver::from_text(
        Some("alice:x:1000:1000::/home/alice:/bin/bash\n"),
        Some("devs:x:2000:\n"),
    );
    let f = facts_with("type=ADD_GROUP msg=audit(1700000000.100:11): pid=5 uid=0 auid=1000 ses=3 msg='op=add-group id=2000 exe=\"/usr/sbin/groupadd\" hostname=? addr=? terminal=pts/1 res=success'", &names);
    assert_eq!(f[0].kind, Kind::GroupAdded);
    assert_eq!(f[0].auid.as_ref().unwrap().name, "alice");
    assert_eq!(f[0].target.as_ref().unwrap().name, "devs");
    assert_eq!(f[0].uid.as_ref().unwrap().name, "0");
}

#[test]
fn account_modifications_locks_and_group_membership() {
    let f = one("type=USER_MGMT msg=audit(1700000000.200:12): pid=5 uid=0 auid=1000 ses=3 msg='op=add-user-to-group grp=\"wheel\" acct=\"bob\" exe=\"/usr/sbin/usermod\" hostname=? addr=? terminal=pts/1 res=success'");
    assert_eq!(f.kind, Kind::UserModified);
    assert_eq!(f.target.as_ref().unwrap().name, "bob");
    assert_eq!(
        f.detail,
        Detail::Account {
            group: Some("wheel".into())
        }
    );
    let f = one("type=ACCT_LOCK msg=audit(1700000000.300:13): pid=5 uid=0 auid=4294967295 ses=4294967295 msg='op=locked-password id=1001 exe=\"/usr/bin/passwd\" hostname=? addr=? terminal=? res=success'");
    assert_eq!(f.kind, Kind::AccountLocked);
    assert_eq!(f.category, Category::Accounts);
    assert!(f.auid.as_ref().unwrap().unset);
    assert_eq!(f.auid.as_ref().unwrap().name, "unset");
    assert_eq!(f.target.as_ref().unwrap().id, Some(1001));
    let f = one("type=DEL_USER msg=audit(1700000000.400:14): pid=5 uid=0 auid=1000 ses=3 msg='op=delete-user acct=\"6D616C6C6F7279206F6C64\" exe=\"/usr/sbin/userdel\" hostname=? addr=? terminal=pts/1 res=failed'");
    assert_eq!(f.kind, Kind::UserDeleted);
    assert_eq!(f.result, Outcome::Failed);
    // Quoted: literal, not hex.
    assert_eq!(f.target.as_ref().unwrap().name, "6D616C6C6F7279206F6C64");
    let f = one("type=DEL_USER msg=audit(1700000000.400:14): pid=5 uid=0 auid=1000 ses=3 msg='op=delete-user acct=6D616C6C6F7279206F6C64 exe=\"/usr/sbin/userdel\" hostname=? addr=? terminal=pts/1 res=success'");
    assert_eq!(f.target.as_ref().unwrap().name, "mallory old");
}

#[test]
fn logins_failures_and_invalid_users() {
    let log = "\
type=USER_LOGIN msg=audit(1700000100.000:20): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct=28696E76616C6964207573657229 exe=\"/usr/sbin/sshd\" hostname=? addr=203.0.113.7 terminal=sshd res=failed'
type=USER_AUTH msg=audit(1700000101.000:21): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct=\"carol\" exe=\"/usr/sbin/sshd\" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=failed'
type=USER_ERR msg=audit(1700000102.000:22): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:bad_ident grantors=? acct=\"?\" exe=\"/usr/sbin/sshd\" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=failed'
type=USER_LOGIN msg=audit(1700000103.000:23): pid=9 uid=0 auid=1000 ses=7 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=198.51.100.2 terminal=/dev/pts/0 res=success'\u{1d}UID=\"root\" AUID=\"alice\" ID=\"alice\"
";
    let f = facts(log);
    assert_eq!(f.len(), 4);
    assert_eq!(f[0].kind, Kind::Login);
    assert!(f[0].is_invalid_user());
    assert_eq!(f[0].target_name(), "(invalid user)");
    assert_eq!(f[0].origin(), Some("203.0.113.7"));
    assert_eq!(f[1].kind, Kind::Authentication);
    assert!(!f[1].is_invalid_user());
    assert_eq!(f[1].result, Outcome::Failed);
    assert_eq!(f[2].kind, Kind::AuthError);
    assert!(f[2].is_invalid_user());
    assert_eq!(f[3].result, Outcome::Success);
    assert_eq!(f[3].target.as_ref().unwrap().name, "alice");
    assert_eq!(
        f[3].detail,
        Detail::Login {
            invalid_user: false,
            grantors: None,
            session: Some(7)
        }
    );
}

#[test]
fn legacy_login_and_pam_forms() {
    let log = "\
type=USER_LOGIN msg=audit(1100000000.000:30): user pid=1 uid=0 auid=500 msg='uid=500: exe=\"/usr/sbin/gdm-binary\" (hostname=localhost, addr=127.0.0.1, terminal=:0 res=success)'
type=USER_AUTH msg=audit(1100000001.000:31): user pid=2 uid=500 auid=500 msg='PAM: authentication acct=root : exe=\"/bin/su\" (hostname=?, addr=?, terminal=pts/1 res=failed)'
type=LOGIN msg=audit(1100000002.000:32): login pid=3 uid=0 old auid=4294967295 new auid=500
";
    let f = facts(log);
    assert_eq!(f[0].kind, Kind::Login);
    assert_eq!(f[0].target.as_ref().unwrap().id, Some(500));
    assert_eq!(f[0].terminal.as_deref(), Some(":0"));
    assert_eq!(f[1].op.as_deref(), Some("PAM:authentication"));
    assert_eq!(f[1].target_name(), "root");
    assert_eq!(f[1].result, Outcome::Failed);
    assert_eq!(f[2].kind, Kind::LoginUidSet);
    // LOGIN without res is a success (older kernels).
    assert_eq!(f[2].result, Outcome::Success);
}

#[test]
fn su_and_sudo_sessions_are_privilege_use() {
    let log = "\
type=USER_START msg=audit(1700000200.000:40): pid=9 uid=0 auid=1000 ses=3 msg='op=PAM:session_open grantors=pam_unix acct=\"root\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=pts/0 res=success'
type=CRED_ACQ msg=audit(1700000200.000:41): pid=9 uid=0 auid=1000 ses=3 msg='op=PAM:setcred grantors=pam_unix acct=\"root\" exe=\"/bin/su\" hostname=? addr=? terminal=pts/0 res=success'
type=USER_START msg=audit(1700000200.000:42): pid=9 uid=0 auid=1000 ses=3 msg='op=PAM:session_open grantors=pam_unix acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=h addr=198.51.100.2 terminal=ssh res=success'
type=CRED_ACQ msg=audit(1700000200.000:43): pid=9 uid=0 auid=1000 ses=3 msg='op=PAM:setcred grantors=pam_unix acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=h addr=198.51.100.2 terminal=ssh res=success'
type=USER_CMD msg=audit(1700000201.000:44): pid=9 uid=1000 auid=1000 ses=3 msg='cwd=\"/home/alice\" cmd=73797374656D63746C2072657374617274206E67696E78 exe=\"/usr/bin/sudo\" terminal=pts/0 res=failed'
";
    let f = facts(log);
    let kinds: Vec<Kind> = f.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::ElevatedSessionOpen,
            Kind::ElevatedCredential,
            Kind::SessionOpen,
            Kind::CredentialAcquired,
            Kind::Command
        ]
    );
    assert_eq!(f[0].category, Category::Privilege);
    assert_eq!(f[3].category, Category::Credentials);
    assert_eq!(
        f[4].detail,
        Detail::Command {
            command: Some("systemctl restart nginx".into()),
            cwd: Some("/home/alice".into())
        }
    );
    assert_eq!(f[4].result, Outcome::Failed);
}

#[test]
fn credentials_and_crypto() {
    let log = "\
type=USER_CHAUTHTOK msg=audit(1700000300.000:50): pid=9 uid=1001 auid=1001 ses=4 msg='op=PAM:chauthtok grantors=? acct=\"dave\" exe=\"/usr/bin/passwd\" hostname=? addr=? terminal=pts/2 res=failed'
type=GRP_CHAUTHTOK msg=audit(1700000300.000:51): pid=9 uid=0 auid=1000 ses=4 msg='op=change-password id=2000 exe=\"/usr/bin/gpasswd\" hostname=? addr=? terminal=pts/2 res=success'
type=CRYPTO_KEY_USER msg=audit(1700000300.000:52): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=destroy kind=server fp=SHA256:aa direction=? spid=9 suid=0  exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=? res=success'
";
    let f = facts(log);
    assert_eq!(f[0].kind, Kind::PasswordChanged);
    assert_eq!(f[0].result, Outcome::Failed);
    assert_eq!(f[1].kind, Kind::GroupPasswordChanged);
    assert_eq!(f[1].target.as_ref().unwrap().id, Some(2000));
    assert_eq!(f[2].kind, Kind::CryptoKey);
    assert!(f.iter().all(|f| f.category == Category::Credentials));
}

#[test]
fn selinux_and_apparmor_denials() {
    let log = "\
type=AVC msg=audit(1700000400.000:60): avc:  denied  { read write } for  pid=77 comm=\"httpd\" name=\"secret\" dev=\"dm-0\" ino=5 scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0
type=SYSCALL msg=audit(1700000400.000:60): arch=c000003e syscall=2 success=no exit=-13 a0=1 a1=2 a2=3 a3=4 items=0 ppid=1 pid=77 auid=4294967295 uid=48 gid=48 euid=48 suid=48 fsuid=48 egid=48 sgid=48 fsgid=48 tty=(none) ses=4294967295 comm=\"httpd\" exe=\"/usr/sbin/httpd\" key=(null)
type=EOE msg=audit(1700000400.000:60):
type=AVC msg=audit(1700000401.000:61): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/named\" name=\"/etc/shadow\" pid=8 comm=\"named\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0
type=AVC msg=audit(1700000402.000:62): avc:  granted  { setenforce } for  pid=1 comm=\"x\" scontext=a:b:c:s0 tcontext=a:b:d:s0 tclass=security
type=USER_AVC msg=audit(1700000403.000:63): pid=1 uid=81 auid=4294967295 ses=4294967295 msg='avc:  received policyload notice (seqno=3)  exe=\"/usr/bin/dbus-daemon\" sauid=81 hostname=? addr=? terminal=?'
type=AVC msg=audit(1700000404.000:64): apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" name=\"/usr/bin/evince\" pid=9 comm=\"apparmor_parser\"
";
    let f = facts(log);
    assert_eq!(f.len(), 3, "{f:#?}");
    assert_eq!(f[0].kind, Kind::MacDenial);
    assert_eq!(f[0].exe.as_deref(), Some("/usr/sbin/httpd"));
    assert_eq!(f[0].uid.as_ref().unwrap().id, Some(48));
    assert_eq!(f[0].result, Outcome::Failed);
    let Detail::Denial(d) = &f[0].detail else {
        panic!()
    };
    assert_eq!(d.signature, "selinux:httpd_t:user_home_t:file:read write");
    assert_eq!(d.permissive, Some(false));
    assert_eq!(d.comm.as_deref(), Some("httpd"));
    let Detail::Denial(d) = &f[1].detail else {
        panic!()
    };
    assert_eq!(d.lsm, Lsm::Apparmor);
    assert_eq!(d.signature, "apparmor:/usr/sbin/named:open:r");
    assert_eq!(d.name.as_deref(), Some("/etc/shadow"));
    assert_eq!(f[2].kind, Kind::MacPolicyLoad);
}

#[test]
fn daemon_records_old_and_new_formats() {
    let log = "\
type=DAEMON_START msg=audit(1700000500.000:7001): op=start ver=3.1.2 format=enriched kernel=6.1.0 auid=4294967295 pid=300 uid=0 ses=4294967295 res=success
type=DAEMON_END msg=audit(1700000501.000:7002): op=terminate auid=1000 uid=0 ses=3 pid=1 res=success
type=DAEMON_START msg=audit(1600000500.000:1): auditd start, ver=2.4.1 format=raw kernel=3.10.0 auid=4294967295 pid=251 res=success
type=DAEMON_END msg=audit(1600000600.000:2): auditd normal halt, sending auid=0 pid=1 res=success
type=DAEMON_ABORT msg=audit(1600000700.000:3): op=abort auid=4294967295 pid=1 res=failed
";
    let f = facts(log);
    let kinds: Vec<Kind> = f.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::DaemonStart,
            Kind::DaemonEnd,
            Kind::DaemonStart,
            Kind::DaemonEnd,
            Kind::DaemonAbort
        ]
    );
    assert_eq!(f[1].auid.as_ref().unwrap().id, Some(1000));
    assert_eq!(f[2].op.as_deref(), Some("auditd start"));
    assert_eq!(f[4].result, Outcome::Failed);
    assert!(matches!(&f[0].detail, Detail::Daemon { version: Some(v), .. } if v == "3.1.2"));
}

#[test]
fn audit_configuration_changes() {
    let log = "\
type=CONFIG_CHANGE msg=audit(1700000600.000:70): auid=1000 ses=3 op=add_rule key=\"time-change\" list=4 res=1
type=CONFIG_CHANGE msg=audit(1700000600.000:71): auid=1000 ses=3 op=\"remove rule\" key=(null) list=4 res=1
type=CONFIG_CHANGE msg=audit(1700000600.000:72): op=set audit_enabled=0 old=1 auid=1000 ses=3 res=1
type=CONFIG_CHANGE msg=audit(1700000600.000:73): op=set lost=0 old=17 auid=0 ses=3 res=1
type=CONFIG_CHANGE msg=audit(1700000600.000:74): audit_backlog_limit=256 old=64 by auid=4294967295 res=0
";
    let f = facts(log);
    assert_eq!(f[0].kind, Kind::AuditRuleChange);
    assert!(
        matches!(&f[0].detail, Detail::Rule { action, key: Some(k), .. } if action == "add" && k == "time-change")
    );
    assert!(matches!(&f[1].detail, Detail::Rule { action, .. } if action == "remove"));
    assert_eq!(f[2].kind, Kind::AuditSetting);
    assert_eq!(
        f[2].detail,
        Detail::Setting {
            name: "audit_enabled".into(),
            value: Some("0".into()),
            old: Some("1".into())
        }
    );
    assert_eq!(f[3].kind, Kind::AuditLostReset);
    assert_eq!(f[3].detail, Detail::Lost { lost: 17 });
    assert_eq!(f[4].result, Outcome::Failed);
    assert!(f.iter().all(|f| f.category == Category::Daemon));
}

#[test]
fn time_changes_one_fact_per_event_and_hex_keys() {
    // Two keys, hex-encoded and joined with 0x01: "audit-wide" and "time-change".
    let log = "\
type=SYSCALL msg=audit(1700000700.000:80): arch=c000003e syscall=159 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0 ppid=1 pid=600 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"date\" exe=\"/usr/bin/date\" key=61756469742D776964650174696D652D6368616E6765\u{1d}ARCH=x86_64 SYSCALL=adjtimex AUID=\"alice\" UID=\"root\"
type=TIME_ADJNTPVAL msg=audit(1700000700.000:80): op=freq old=10 new=20
type=TIME_ADJNTPVAL msg=audit(1700000700.000:80): op=tick old=10000 new=9990
type=EOE msg=audit(1700000700.000:80):
type=SYSCALL msg=audit(1700000701.000:81): arch=c000003e syscall=227 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0 ppid=1 pid=601 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"date\" exe=\"/usr/bin/date\" key=\"time-change\"
type=EOE msg=audit(1700000701.000:81):
type=SYSCALL msg=audit(1700000702.000:82): arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=602 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"cat\" exe=\"/usr/bin/cat\" key=\"identity\"
type=EOE msg=audit(1700000702.000:82):
";
    let f = facts(log);
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].kind, Kind::TimeChange);
    assert_eq!(f[0].rtype, crate::model::RecordType::TIME_ADJNTPVAL);
    assert_eq!(f[0].auid.as_ref().unwrap().name, "alice");
    assert_eq!(f[0].exe.as_deref(), Some("/usr/bin/date"));
    assert_eq!(
        f[0].detail,
        Detail::Time {
            key: Some("time-change".into()),
            syscall: Some("adjtimex".into()),
            changes: vec!["freq 10->20".into(), "tick 10000->9990".into()]
        }
    );
    assert_eq!(f[1].rtype, crate::model::RecordType::SYSCALL);
    assert_eq!(f[1].source.line, 5);
    assert_eq!(f[1].result, Outcome::Success);
}

#[test]
fn system_config_and_state() {
    let log = "\
type=SERVICE_START msg=audit(1700000800.000:90): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=auditd comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'
type=SYSTEM_BOOT msg=audit(1700000800.000:91): pid=2 uid=0 auid=4294967295 ses=4294967295 msg=' comm=\"systemd-update-utmp\" exe=\"/usr/lib/systemd/systemd-update-utmp\" hostname=? addr=? terminal=? res=success'
type=SOFTWARE_UPDATE msg=audit(1700000801.000:92): pid=3 uid=0 auid=1000 ses=3 msg='op=install sw=\"tcpdump-4.99.1-1.x86_64\" sw_type=rpm key_enforce=0 gpg_res=1 root_dir=\"/\" comm=\"dnf\" exe=\"/usr/bin/python3.9\" hostname=h addr=? terminal=pts/0 res=success'
type=USYS_CONFIG msg=audit(1700000802.000:93): pid=4 uid=0 auid=1000 ses=3 msg='op=change-system-time exe=\"/usr/sbin/hwclock\" hostname=? addr=? terminal=pts/0 res=success'
type=KERN_MODULE msg=audit(1700000803.000:94): name=\"dummy\"
type=SYSCALL msg=audit(1700000803.000:94): arch=c000003e syscall=313 success=yes exit=0 a0=3 a1=2 a2=0 a3=0 items=0 ppid=1 pid=700 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"modprobe\" exe=\"/usr/bin/kmod\" key=\"modules\"
type=EOE msg=audit(1700000803.000:94):
type=NETFILTER_CFG msg=audit(1700000804.000:95): table=filter family=2 entries=7
";
    let f = facts(log);
    let kinds: Vec<Kind> = f.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::ServiceStart,
            Kind::SystemBoot,
            Kind::SoftwareUpdate,
            Kind::SystemConfig,
            Kind::KernelModule,
            Kind::NetfilterConfig
        ]
    );
    assert_eq!(
        f[0].detail,
        Detail::Service {
            unit: Some("auditd".into())
        }
    );
    assert_eq!(f[4].auid.as_ref().unwrap().id, Some(1000));
    assert_eq!(f[4].exe.as_deref(), Some("/usr/bin/kmod"));
    assert_eq!(f[5].result, Outcome::Unset);
}

#[test]
fn anomalies_and_decided_placements() {
    let log = "\
type=ANOM_ABEND msg=audit(1700000900.000:100): auid=1000 uid=1000 gid=1000 ses=3 pid=5 comm=\"crashy\" exe=\"/usr/bin/crashy\" sig=11 res=1
type=ANOM_PROMISCUOUS msg=audit(1700000900.000:101): dev=eth0 prom=256 old_prom=0 auid=1000 uid=0 gid=0 ses=3
type=EOE msg=audit(1700000900.000:101):
type=SECCOMP msg=audit(1700000901.000:102): auid=1000 uid=1000 gid=1000 ses=3 pid=6 comm=\"x\" exe=\"/usr/bin/x\" sig=31 arch=c000003e syscall=2 compat=0 ip=0x1 code=0x0
type=EOE msg=audit(1700000901.000:102):
type=CHGRP_ID msg=audit(1700000902.000:103): pid=7 uid=0 auid=1000 ses=3 msg='op=changing new_gid=2000 id=1000 exe=\"/usr/bin/newgrp\" hostname=? addr=? terminal=pts/0 res=success'
type=USER_ROLE_CHANGE msg=audit(1700000903.000:104): pid=8 uid=0 auid=1000 ses=3 msg='op=newrole old-context=u:r:a:s0 new-context=u:sysadm_r:sysadm_t:s0 exe=\"/usr/bin/newrole\" hostname=? addr=? terminal=pts/0 res=success'
type=RESP_ACCT_LOCK msg=audit(1700000904.000:105): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=pam_faillock suid=1001 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'
type=ANOM_LOGIN_FAILURES msg=audit(1700000904.000:106): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=pam_faillock suid=1001 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'
";
    let mut f = facts(log);
    // ANOM_ABEND has no EOE here, so it is released last (by end of input).
    f.sort_by_key(|f| f.serial);
    let kc: Vec<(Kind, Category)> = f.iter().map(|f| (f.kind, f.category)).collect();
    assert_eq!(
        kc,
        [
            (Kind::Anomaly, Category::Anomalies),
            (Kind::Anomaly, Category::Anomalies),
            (Kind::Seccomp, Category::Anomalies),
            (Kind::GroupIdChange, Category::Privilege),
            (Kind::RoleChange, Category::Privilege),
            (Kind::Lockout, Category::Logins),
            (Kind::LoginAnomaly, Category::Logins),
        ]
    );
    assert_eq!(f[0].result, Outcome::Success);
    assert_eq!(f[2].result, Outcome::Unset);
    assert_eq!(
        f[4].detail,
        Detail::Role {
            context: Some("u:sysadm_r:sysadm_t:s0".into())
        }
    );
}

#[test]
fn node_names_are_kept() {
    let f = one("node=web01 type=USER_LOGIN msg=audit(1700001000.000:110): pid=1 uid=0 auid=1000 ses=1 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=success'");
    assert_eq!(f.node.as_deref(), Some("web01"));
}
