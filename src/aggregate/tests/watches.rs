//! The watches aggregate: keyed events counted by key, meaning and host; keyless events
//! counted; the rule lists; rules loaded; the key map's limit.

use super::{metric, summarize, summarize_lines, utc};
use crate::aggregate::watches::KEY_LIMIT;
use crate::classify::{Detail, Operation};

/// A keyed SYSCALL event: `syscall` (x86_64 number), result, auid, exe, key field as
/// written, and PATH names with nametypes.
fn keyed(
    stamp: &str,
    node: &str,
    (syscall, success, exit): (u32, &str, i64),
    (auid, exe): (u32, &str),
    key: &str,
    paths: &[(&str, &str)],
) -> String {
    let mut s = format!(
        "node={node} type=SYSCALL msg=audit({stamp}): arch=c000003e syscall={syscall} success={success} exit={exit} a0=ffffff9c a1=5581 a2=241 a3=1b6 items={} ppid=1 pid=2 auid={auid} uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"x\" exe=\"{exe}\" key={key}\n",
        paths.len()
    );
    for (i, (name, nametype)) in paths.iter().enumerate() {
        s += &format!(
            "node={node} type=PATH msg=audit({stamp}): item={i} name=\"{name}\" inode=1 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype={nametype}\n"
        );
    }
    s += &format!("node={node} type=EOE msg=audit({stamp}):\n");
    s
}

/// Hex of `text`, uppercase, as auditd writes an encoded value.
fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn counts_keyed_events_by_key_meaning_and_host_once_per_event() {
    let multi = hex("identity\u{1}10.2.5.c-accounts\u{1}site-x");
    let log = [
        keyed("1700000000.000:1", "a", (257, "yes", 3), (1001, "/usr/bin/vim"), "\"identity\"", &[("/etc/passwd", "NORMAL")]),
        keyed("1700000001.000:2", "a", (257, "no", -13), (1002, "/usr/bin/cat"), "\"access\"", &[("/etc/shadow", "NORMAL")]),
        keyed("1700000002.000:3", "b", (82, "yes", 0), (1001, "/usr/sbin/useradd"), &multi, &[("/etc/", "PARENT"), ("/etc/group+", "DELETE"), ("/etc/group", "CREATE")]),
        keyed("1700000003.000:4", "b", (59, "yes", 0), (4294967295, "/usr/bin/ls"), "(null)", &[("/usr/bin/ls", "NORMAL")]),
        // A key field of another record type (SELinux IPC key) is not a rule key.
        "node=b type=AVC msg=audit(1700000004.000:5): avc:  denied  { read } for  pid=4253 comm=\"mono\" key=1291864389 scontext=a:b:c_t:s0 tcontext=a:b:c_t:s0 tclass=sem\n".to_string(),
    ]
    .concat();
    let s = summarize(&log);
    let w = s.watches();
    assert_eq!(metric(&s, "watches.events"), 3);
    assert_eq!(metric(&s, "watches.failed"), 1);
    assert_eq!(metric(&s, "watches.keyless"), 1);
    assert_eq!(w.keyless().by_host()["b"], 1);
    let k = w.by_key().items();
    assert_eq!(
        k.keys().collect::<Vec<_>>(),
        vec!["10.2.5.c-accounts", "access", "identity", "site-x"]
    );
    assert_eq!(k["identity"].group.events, 2);
    assert_eq!(k["identity"].group.actors.len(), 1);
    assert_eq!(k["access"].group.failed, 1);
    assert_eq!(k["site-x"].meaning, None);
    assert_eq!(
        k["10.2.5.c-accounts"].meaning.as_deref(),
        Some("identity-files")
    );
    // The three-key event counts once under identity-files.
    assert_eq!(metric(&s, "files.identity_changes"), 2);
    assert_eq!(metric(&s, "files.access_denied"), 1);
    assert_eq!(w.by_meaning()["identity-files"].actors.len(), 1);
    assert_eq!(w.unmapped(), 0);
    let hosts = w.by_host().items();
    assert_eq!((hosts["a"].group.events, hosts["a"].group.failed), (2, 1));
    assert_eq!((hosts["b"].group.events, hosts["b"].keyless), (1, 1));
    assert!(hosts["b"].meanings.contains("identity-files"));
    // The population keeps every keyed event with its facts and source line.
    let items = w.population().items();
    assert_eq!(items.len(), 3);
    let Detail::Watch(rename) = &items[2].detail else {
        panic!("{:?}", items[2])
    };
    assert_eq!(rename.operation, Operation::Rename);
    assert_eq!(rename.rename_pair(), Some(("/etc/group+", "/etc/group")));
    assert_eq!(rename.keys, vec!["identity", "10.2.5.c-accounts", "site-x"]);
    assert_eq!(items[2].source.line, 7);
    assert_eq!(
        w.identity().total(),
        3,
        "two writes and the denied read of /etc/shadow"
    );
    assert_eq!(w.denied_sensitive().total(), 1, "cat /etc/shadow denied");
}

#[test]
fn rule_lists_take_events_by_path_whatever_the_key() {
    let log = [
        // An unlink under the audit log directory tagged only `delete`.
        keyed(
            "1700000000.000:1",
            "h",
            (263, "yes", 0),
            (1003, "/usr/bin/rm"),
            "\"delete\"",
            &[
                ("/var/log/audit/", "PARENT"),
                ("/var/log/audit/audit.log.1", "DELETE"),
            ],
        ),
        // sudoers written under a key the table does not know.
        keyed(
            "1700000001.000:2",
            "h",
            (257, "yes", 3),
            (1001, "/usr/bin/vim"),
            "\"mine\"",
            &[("/etc/sudoers.d/90-ops", "CREATE")],
        ),
        // finit_module keyed `module-load`.
        keyed(
            "1700000002.000:3",
            "h",
            (313, "yes", 0),
            (1001, "/usr/bin/kmod"),
            "\"module-load\"",
            &[],
        ),
        // An ordinary file: in no rule list.
        keyed(
            "1700000003.000:4",
            "h",
            (268, "yes", 0),
            (1001, "/usr/bin/chmod"),
            "\"perm_mod\"",
            &[("/srv/app/x", "NORMAL")],
        ),
    ]
    .concat();
    let s = summarize(&log);
    let w = s.watches();
    assert_eq!(w.audit_log().total(), 1);
    assert_eq!(w.privilege_config().total(), 1);
    assert_eq!(w.modules().total(), 1);
    assert_eq!(metric(&s, "system.modules_loaded"), 1);
    assert_eq!(metric(&s, "files.permission_changes"), 1);
    assert_eq!(metric(&s, "files.deletions"), 1);
    assert_eq!(w.unmapped(), 1, "`mine` has no meaning");
    assert_eq!(w.identity().total() + w.denied_sensitive().total(), 0);
}

#[test]
fn rules_loaded_before_the_period_count_for_it() {
    let log = "\
node=h type=CONFIG_CHANGE msg=audit(1700000000.000:1): auid=4294967295 ses=4294967295 op=add_rule key=\"identity\" list=4 res=1
node=h type=CONFIG_CHANGE msg=audit(1700000000.001:2): auid=4294967295 ses=4294967295 op=add_rule key=\"access\" list=4 res=1
node=h type=CONFIG_CHANGE msg=audit(1700100000.000:3): auid=1001 ses=3 op=remove_rule key=\"access\" list=4 res=1
node=h type=USER_LOGIN msg=audit(1700100001.000:4): pid=1 uid=0 auid=1001 ses=3 msg='op=login id=1001 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=success'
";
    let lines: Vec<(u64, &str)> = log
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l))
        .collect();
    let now = chrono::DateTime::parse_from_rfc3339("2023-12-01T00:00:00Z").unwrap();
    // The period starts between the boot load and the removal.
    let period = crate::period::Period::from_range(
        Some("2023-11-15T00:00:00Z"),
        Some("2023-11-30T00:00:00Z"),
        chrono_tz::UTC,
        now.into(),
    )
    .unwrap();
    let s = summarize_lines(&lines, &period);
    let rules = s.watches().rules().items()["h"].keys.items();
    assert_eq!(rules["identity"].action, "add");
    assert_eq!(rules["identity"].source.line, 1);
    assert_eq!(rules["access"].action, "remove");
    let whole = summarize_lines(&lines, &utc());
    assert_eq!(whole.watches().rules(), s.watches().rules());
}

#[test]
fn the_key_map_is_bounded_and_totals_stay_exact() {
    let n = KEY_LIMIT + 50;
    let log: String = (0..n)
        .map(|i| {
            keyed(
                &format!("1700000000.000:{}", i + 1),
                "h",
                (257, "yes", 3),
                (1001, "/usr/bin/cat"),
                &format!("\"k{i:05}\""),
                &[],
            )
        })
        .collect();
    let s = summarize(&log);
    let keys = s.watches().by_key();
    assert_eq!(keys.items().len(), KEY_LIMIT);
    assert!(keys.over());
    assert_eq!(keys.other().group.events, 50);
    assert!(
        keys.items().contains_key("k00000")
            && !keys.items().contains_key(&format!("k{:05}", n - 1))
    );
    assert_eq!(metric(&s, "watches.events"), n as u64);
    // The folded entry is stated by the summary.json (`over_limit`), and read back with it.
    super::roundtrip::reads_back(&s);
}
