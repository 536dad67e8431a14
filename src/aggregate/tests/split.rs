//! Property: summarising consecutive parts of a log and merging them in order equals
//! summarising the whole log, for a cut at any event boundary.
//!
//! Every multi-record event of the generated log ends with EOE, so each part releases its
//! events in the same order as the whole (an event without EOE would be released by the
//! timeout in the whole but at the end of its part, which changes only list order).

use super::{summarize_lines, utc};
use proptest::prelude::*;

/// Record templates written for this test. `{n}` is the node prefix, `{t}` the stamp.
pub(super) const TEMPLATES: &[&[&str]] = &[
    &["{n}type=USER_LOGIN msg=audit({t}): pid=1 uid=0 auid=1000 ses=1 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=success'"],
    &["{n}type=USER_LOGIN msg=audit({t}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct=28696E76616C6964207573657229 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.2 terminal=sshd res=failed'"],
    &["{n}type=USER_AUTH msg=audit({t}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.2 terminal=ssh res=failed'"],
    &["{n}type=ADD_USER msg=audit({t}): pid=1 uid=0 auid=1000 ses=1 msg='op=add-user id=1500 exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'"],
    &["{n}type=USER_MGMT msg=audit({t}): pid=1 uid=0 auid=1000 ses=1 msg='op=add-user-to-group grp=\"wheel\" acct=\"x\" exe=\"/usr/sbin/usermod\" hostname=? addr=? terminal=pts/0 res=failed'"],
    &["{n}type=USER_CMD msg=audit({t}): pid=1 uid=1000 auid=1000 ses=1 msg='cwd=\"/\" cmd=6C73 exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'"],
    &["{n}type=USER_START msg=audit({t}): pid=1 uid=0 auid=1000 ses=1 msg='op=PAM:session_open grantors=pam_unix acct=\"root\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=pts/0 res=success'"],
    &[
        "{n}type=AVC msg=audit({t}): avc:  denied  { read } for  pid=1 comm=\"cat\" scontext=u:r:a_t:s0 tcontext=u:r:b_t:s0 tclass=file permissive=0",
        "{n}type=SYSCALL msg=audit({t}): arch=c000003e syscall=2 success=no exit=-13 a0=1 a1=0 a2=0 a3=0 items=0 ppid=1 pid=1 auid=1000 uid=1000 gid=1 euid=1 suid=1 fsuid=1 egid=1 sgid=1 fsgid=1 tty=pts0 ses=1 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)",
        "{n}type=EOE msg=audit({t}):",
    ],
    &[
        "{n}type=CONFIG_CHANGE msg=audit({t}): op=set lost=0 old=3 auid=0 ses=1 res=1",
        "{n}type=EOE msg=audit({t}):",
    ],
    &["{n}type=DAEMON_START msg=audit({t}): op=start ver=3.1 format=raw kernel=6.1 auid=4294967295 pid=1 uid=0 ses=4294967295 res=success"],
    &["{n}type=DAEMON_END msg=audit({t}): op=terminate auid=0 uid=0 ses=1 pid=1 res=success"],
    &["{n}type=SYSTEM_BOOT msg=audit({t}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg=' comm=\"systemd-update-utmp\" exe=\"/usr/lib/systemd/systemd-update-utmp\" hostname=? addr=? terminal=? res=success'"],
    &[
        "{n}type=SYSCALL msg=audit({t}): arch=c000003e syscall=159 success=yes exit=0 a0=1 a1=0 a2=0 a3=0 items=0 ppid=1 pid=1 auid=4294967295 uid=1 gid=1 euid=1 suid=1 fsuid=1 egid=1 sgid=1 fsgid=1 tty=(none) ses=4294967295 comm=\"chronyd\" exe=\"/usr/sbin/chronyd\" key=\"time-change\"",
        "{n}type=EOE msg=audit({t}):",
    ],
    &[
        "{n}type=ANOM_ABEND msg=audit({t}): auid=1000 uid=1000 gid=1000 ses=1 pid=1 comm=\"a\" exe=\"/a\" sig=11 res=1",
        "{n}type=EOE msg=audit({t}):",
    ],
    &["{n}type=SERVICE_START msg=audit({t}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=cron comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'"],
    &[
        "{n}type=SYSCALL msg=audit({t}): arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=0 a2=0 a3=0 items=1 ppid=1 pid=1 auid=1000 uid=1000 gid=1 euid=1 suid=1 fsuid=1 egid=1 sgid=1 fsgid=1 tty=pts0 ses=1 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)",
        "{n}type=PATH msg=audit({t}): item=0 name=\"/etc/hosts\" inode=1 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL",
        "{n}type=EOE msg=audit({t}):",
    ],
    // Keyed kernel events: an identity file written under two hex-encoded keys, a denied
    // read of /etc/shadow, an unlink under the audit logs, a rule load.
    &[
        "{n}type=SYSCALL msg=audit({t}): arch=c000003e syscall=82 success=yes exit=0 a0=1 a1=2 a2=0 a3=0 items=3 ppid=1 pid=1 auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"vi\" exe=\"/usr/bin/vi\" key=6964656E746974790131302E322E352E632D6163636F756E7473",
        "{n}type=CWD msg=audit({t}): cwd=\"/etc\"",
        "{n}type=PATH msg=audit({t}): item=0 name=\"/etc/\" inode=1 dev=fd:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT",
        "{n}type=PATH msg=audit({t}): item=1 name=\"passwd.tmp\" inode=2 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=DELETE",
        "{n}type=PATH msg=audit({t}): item=2 name=\"passwd\" inode=3 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE",
        "{n}type=PROCTITLE msg=audit({t}): proctitle=7669002F6574632F706173737764",
        "{n}type=EOE msg=audit({t}):",
    ],
    &[
        "{n}type=SYSCALL msg=audit({t}): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=2 a2=0 a3=0 items=1 ppid=1 pid=1 auid=1002 uid=1002 gid=1 euid=1002 suid=1 fsuid=1 egid=1 sgid=1 fsgid=1 tty=pts1 ses=4 comm=\"cat\" exe=\"/usr/bin/cat\" key=\"access\"",
        "{n}type=PATH msg=audit({t}): item=0 name=\"/etc/shadow\" inode=4 dev=fd:00 mode=0100000 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL",
        "{n}type=EOE msg=audit({t}):",
    ],
    &[
        "{n}type=SYSCALL msg=audit({t}): arch=c00000b7 syscall=35 success=yes exit=0 a0=1 a1=2 a2=0 a3=0 items=2 ppid=1 pid=1 auid=1003 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts2 ses=5 comm=\"rm\" exe=\"/usr/bin/rm\" key=\"delete\"",
        "{n}type=PATH msg=audit({t}): item=0 name=\"/var/log/audit/\" inode=5 dev=fd:00 mode=040700 ouid=0 ogid=0 rdev=00:00 nametype=PARENT",
        "{n}type=PATH msg=audit({t}): item=1 name=\"/var/log/audit/audit.log.2\" inode=6 dev=fd:00 mode=0100600 ouid=0 ogid=0 rdev=00:00 nametype=DELETE",
        "{n}type=EOE msg=audit({t}):",
    ],
    &[
        "{n}type=CONFIG_CHANGE msg=audit({t}): auid=1001 ses=3 op=add_rule key=\"identity\" list=4 res=1",
        "{n}type=EOE msg=audit({t}):",
    ],
];

/// Time steps in ms: same ms, 1 ms, 1 s, 1 h, 30 h (a silence).
pub(super) const STEPS: &[i64] = &[0, 1, 1000, 3_600_000, 108_000_000];

/// One generated event: (template, time step, serial step, host).
type Gen = (usize, usize, u32, usize);

/// Renders events into lines; returns the lines and the index of each event's first line.
fn render(events: &[Gen]) -> (Vec<String>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut starts = Vec::new();
    let mut time: [i64; 3] = [1_700_000_000_000; 3];
    // Near the rollover for host 2, so some runs wrap.
    let mut serial: [u32; 3] = [100, 5000, u32::MAX - 3];
    for &(tpl, step, sstep, host) in events {
        time[host] += STEPS[step];
        // 0 = a serial going back by two (reordering), else forward by 1..=3.
        serial[host] = if sstep == 0 {
            serial[host].wrapping_sub(2)
        } else {
            serial[host].wrapping_add(sstep)
        };
        let node = ["", "node=a ", "node=b "][host];
        let t = format!(
            "{}.{:03}:{}",
            time[host] / 1000,
            time[host] % 1000,
            serial[host]
        );
        starts.push(lines.len());
        for rec in TEMPLATES[tpl] {
            lines.push(rec.replace("{n}", node).replace("{t}", &t));
        }
    }
    (lines, starts)
}

fn numbered(lines: &[String], from: usize, to: usize) -> Vec<(u64, &str)> {
    (from..to)
        .map(|i| (i as u64 + 1, lines[i].as_str()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn split_and_merge_equals_whole(
        events in prop::collection::vec(
            (0..TEMPLATES.len(), 0..STEPS.len(), 0u32..4, 0usize..3), 1..40),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..3),
    ) {
        let (lines, starts) = render(&events);
        // All time, and a window that leaves events outside on both sides (their hosts'
        // outside ranges merge too).
        let hour = 3_600_000;
        let window = crate::period::Period {
            start_ms: 1_700_000_000_000 + hour,
            end_ms: 1_700_000_000_000 + 40 * hour,
            tz: chrono_tz::UTC,
            label: "window (UTC)".into(),
        };
        for period in [utc(), window] {
        let whole = summarize_lines(&numbered(&lines, 0, lines.len()), &period);

        let mut bounds: Vec<usize> = cuts.iter().map(|c| starts[c.index(starts.len())]).collect();
        bounds.push(0);
        bounds.push(lines.len());
        bounds.sort_unstable();
        bounds.dedup();
        let mut merged: Option<crate::aggregate::Summary> = None;
        for w in bounds.windows(2) {
            let part = summarize_lines(&numbered(&lines, w[0], w[1]), &period);
            match merged.as_mut() {
                Some(m) => m.merge(&part),
                None => merged = Some(part),
            }
        }
        let merged = merged.expect("at least one part");
        prop_assert_eq!(merged.metrics(), whole.metrics());
        prop_assert_eq!(&merged, &whole);
        }
    }
}
