//! What `aureport --summary` would count, so that an oracle test can compare exactly and the
//! differences in `docs/aureport-differences.md` are executable.
//!
//! aureport counts **events**, not records, and decides by the record types an event holds
//! (`do_summary_total` in audit-userspace `src/aureport-scan.c`). The rules,
//! applied per event as it is aggregated:
//!
//! | counter | the event holds ... |
//! |---|---|
//! | `config_changes` | +1 for each of these types present: CONFIG_CHANGE, DAEMON_CONFIG, USYS_CONFIG, NETFILTER_CFG, FEATURE_CHANGE, USER_MAC_CONFIG_CHANGE, and any of MAC_POLICY_LOAD..MAC_UNLBL_STCDEL (1403-1417) |
//! | `account_changes` | USER_CHAUTHTOK, ADD_USER, DEL_USER, ADD_GROUP, DEL_GROUP, USER_MGMT, GRP_MGMT, ROLE_ASSIGN or ROLE_REMOVE |
//! | `logins` / `failed_logins` | USER_LOGIN, split by the event's result |
//! | `authentications` / `failed_authentications` | USER_AUTH by result; else a failed USER_MGMT (a failed authentication); else GRP_AUTH by result |
//! | `avcs` | any AVC or USER_AVC, granted or denied, SELinux or AppArmor |
//! | `mac_events` | +1 for any of 1403-1417, +1 for any of 2300-2399 |
//! | `anomalies` | +1 for any of 2100-2199, +1 for any of 1700-1799 |
//! | `responses` | any of 2200-2299 |
//! | `events` | every event |
//!
//! The event's result is the result of its last record that states one; the types above
//! that decide results (USER_LOGIN, USER_AUTH, USER_MGMT, GRP_AUTH) are standalone, so the
//! event is that one record and its fact's result is the event's.
//!
//! aureport 3.0.9 also **drops whole events** from the summary when a record fails its
//! parser, and groups a few events differently; verified on hand-written logs and the
//! corpus (`docs/aureport-differences.md`):
//!
//! - an AVC or USER_AVC record without `avc:  denied` / `avc:  granted` (every AppArmor
//!   record logged as AVC, dbus's `received policyload notice`) drops the event;
//! - a user-space record (USER 1005, 1100-1106, 1108-1199 except USER_TTY, 2100-2999) with
//!   neither `res=` nor legacy `result=`, or whose `msg='...` payload is not closed, drops
//!   the event;
//! - an AVC_PATH record whose `path=` is hex-encoded drops the event (summary only; `-e`
//!   still lists it);
//! - a NETFILTER_CFG or EVENT_LISTENER record drops the event unless ` pid=`, `subj=` and
//!   `comm=` are each found in it or in a SYSCALL record *before* it in the event (aureport
//!   parses records in order; the older kernel form `table=filter family=2 entries=7` ahead
//!   of its SYSCALL is dropped);
//! - an event that is only an EOE record is not an event;
//! - an event whose first record is LOGIN or PROCTITLE and that has more records is two
//!   events (aureport closes the event at that first record).

use crate::classify::Fact;
use crate::model::RecordType;
use crate::parse::{Event, EventRecord};
use memchr::memmem;
use serde::Serialize;
use std::sync::LazyLock;

/// The aureport summary counters we reproduce.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AureportCounts {
    /// "Number of changes in configuration".
    pub config_changes: u64,
    /// "Number of changes to accounts, groups, or roles".
    pub account_changes: u64,
    /// "Number of logins".
    pub logins: u64,
    /// "Number of failed logins".
    pub failed_logins: u64,
    /// "Number of authentications".
    pub authentications: u64,
    /// "Number of failed authentications".
    pub failed_authentications: u64,
    /// "Number of AVC's".
    pub avcs: u64,
    /// "Number of MAC events".
    pub mac_events: u64,
    /// "Number of anomaly events".
    pub anomalies: u64,
    /// "Number of responses to anomaly events".
    pub responses: u64,
    /// "Number of events".
    pub events: u64,
}

const CONFIG_TYPES: &[u32] = &[1305, 1203, 1111, 1325, 1328, 2312];
const ACCOUNT_TYPES: &[u32] = &[1108, 1114, 1115, 1116, 1117, 1102, 1132, 2301, 2302];

impl AureportCounts {
    /// Counts one event, given its classified facts.
    pub fn tally(&mut self, event: &Event, facts: &[Fact]) {
        // Rule 14: aureport reads only lines that start with `node=` or `type=`. A syslog or
        // kernel prefix (`Feb 22 ... audit: type=`) makes it skip the line; a `FILE:` prefix
        // from grep (no space) makes a record of unknown type: an event, nothing else.
        match event.record(0).map(|r| r.prefix) {
            Some(p) if p.contains(&b' ') => return,
            Some(p) if !p.is_empty() => {
                self.events += 1;
                return;
            }
            _ => {}
        }
        if dropped(event) {
            return;
        }
        let meta = event.record_meta();
        self.events += split_events(meta);
        let has = |f: &dyn Fn(u32) -> bool| meta.iter().any(|m| f(m.rtype.0));
        let failed = |t: RecordType| {
            facts
                .iter()
                .rev()
                .find(|f| f.rtype == t)
                .is_some_and(|f| f.result.is_failed())
        };
        for &t in CONFIG_TYPES {
            self.config_changes += u64::from(has(&|x| x == t));
        }
        self.config_changes += u64::from(has(&|x| (1403..=1417).contains(&x)));
        self.account_changes += u64::from(has(&|x| ACCOUNT_TYPES.contains(&x)));
        if has(&|x| x == 1112) {
            if failed(RecordType::USER_LOGIN) {
                self.failed_logins += 1;
            } else {
                self.logins += 1;
            }
        }
        let auth = RecordType::USER_AUTH;
        let grp_auth = RecordType(1126);
        if has(&|x| x == auth.0) {
            self.add_auth(failed(auth));
        } else if has(&|x| x == 1102) && failed(RecordType::USER_MGMT) {
            self.failed_authentications += 1;
        } else if has(&|x| x == grp_auth.0) {
            self.add_auth(failed(grp_auth));
        }
        self.avcs += u64::from(has(&|x| x == 1400 || x == 1107));
        self.mac_events += u64::from(has(&|x| (1403..=1417).contains(&x)));
        self.mac_events += u64::from(has(&|x| (2300..=2399).contains(&x)));
        self.anomalies += u64::from(has(&|x| (2100..=2199).contains(&x)));
        self.anomalies += u64::from(has(&|x| (1700..=1799).contains(&x)));
        self.responses += u64::from(has(&|x| (2200..=2299).contains(&x)));
    }

    fn add_auth(&mut self, failed: bool) {
        if failed {
            self.failed_authentications += 1;
        } else {
            self.authentications += 1;
        }
    }

    /// Adds `other` into `self`.
    pub fn merge(&mut self, o: &AureportCounts) {
        self.config_changes += o.config_changes;
        self.account_changes += o.account_changes;
        self.logins += o.logins;
        self.failed_logins += o.failed_logins;
        self.authentications += o.authentications;
        self.failed_authentications += o.failed_authentications;
        self.avcs += o.avcs;
        self.mac_events += o.mac_events;
        self.anomalies += o.anomalies;
        self.responses += o.responses;
        self.events += o.events;
    }
}

/// Searchers built once (building one per record cost more than the search).
fn finder(needle: &'static [u8]) -> memmem::Finder<'static> {
    memmem::Finder::new(needle)
}

static AVC_DENIED: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| finder(b"avc:  denied"));
static AVC_GRANTED: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| finder(b"avc:  granted"));
static RES: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| finder(b"res="));
static RESULT: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| finder(b"result="));
static PATH_Q: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| finder(b" path=\""));
static MSG_Q: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| finder(b"msg='"));

/// True when aureport's summary would skip the event (see the module docs).
pub(crate) fn dropped(event: &Event) -> bool {
    let meta = event.record_meta();
    if meta.len() == 1 && meta[0].rtype == RecordType::EOE {
        return true;
    }
    let syscall_at = meta.iter().position(|m| m.rtype == RecordType::SYSCALL);
    let syscall: &[u8] = syscall_at.map_or(b"", |i| event.line(i));
    meta.iter().enumerate().any(|(i, m)| {
        let in_syscall = |s: &[u8]| syscall_at < Some(i) && memmem::find(syscall, s).is_some();
        let line = event.line(i);
        let has = |s: &[u8]| memmem::find(line, s).is_some();
        let found = |f: &LazyLock<memmem::Finder<'static>>| f.find(line).is_some();
        match m.rtype.0 {
            1400 | 1107 => !(found(&AVC_DENIED) || found(&AVC_GRANTED)),
            1124 => false,
            1005 | 1100..=1106 | 1108..=1199 | 2100..=2999 => {
                !(found(&RES) || found(&RESULT)) || unclosed_payload(line)
            }
            1402 => !found(&PATH_Q),
            1325 | 1335 => [&b" pid="[..], b"subj=", b"comm="]
                .iter()
                .any(|k| !has(k) && !in_syscall(k)),
            _ => false,
        }
    })
}

/// True when `msg='` opens a payload that no later `'` closes.
fn unclosed_payload(line: &[u8]) -> bool {
    MSG_Q
        .find(line)
        .is_some_and(|i| !line[i + 5..].contains(&b'\''))
}

/// How many events aureport sees in this one: two when the first record is LOGIN or
/// PROCTITLE and more records follow.
fn split_events(meta: &[EventRecord]) -> u64 {
    match meta {
        [first, _, ..] if matches!(first.rtype.0, 1006 | 1327) => 2,
        _ => 1,
    }
}
