//! The one place that knows what record types mean: [`Event`] -> typed [`Fact`]s.
//!
//! Every later stage (aggregation, findings, reports) reads facts, never records, so the
//! meaning of a record type is decided here once. A fact carries its category and kind, the
//! record's result (aureport's per-record rules), the login identity (`auid`) and
//! process identity (`uid`) with names, the target account, op, exe, terminal, origin and the
//! file:line of the record. Records that say nothing a report needs (PATH, CWD, most
//! SYSCALLs) make no fact; the caller still counts the event.
//!
//! # Decisions where the tools disagree (aureport's buckets, audit-userspace
//! `src/aureport-scan.c`; auparse's event kinds, `auparse/normalize.c`)
//!
//! - **CHUSER_ID, CHGRP_ID -> Privilege** (`UserIdChange`, `GroupIdChange`). They record a
//!   process taking on another user or group id (`newgrp`, `sg`: `op=changing new_gid=...`);
//!   no account is created or changed. auparse calls CHGRP_ID a group change and CHUSER_ID
//!   user-space; aureport counts neither as an account change. Evidence for "who assumed
//!   which identity" sits next to su and sudo.
//! - **ACCT_LOCK, ACCT_UNLOCK -> Accounts** (`AccountLocked`/`AccountUnlocked`, counted in
//!   `accounts.modified`): `passwd -l`/`usermod -L` change the account and matter for
//!   "account used after removal" (F-ACCT-03). aureport does not count them (documented in
//!   `docs/aureport-differences.md`).
//! - **GRP_CHAUTHTOK -> Credentials** (`GroupPasswordChanged`), with USER_CHAUTHTOK
//!   (`PasswordChanged`): both change an authentication token. auparse puts GRP_CHAUTHTOK in
//!   user-account and aureport ignores it; aureport counts USER_CHAUTHTOK as an account change.
//! - **USER_ROLE_CHANGE -> Privilege** (`RoleChange`): newrole and pam_selinux moving a
//!   session into another SELinux role is an elevation. aureport counts it as a MAC event.
//! - **SECCOMP -> Anomalies** (`Seccomp`), counted apart from `anomalies` (metric
//!   `anomalies.seccomp`): a seccomp action is a process hitting its own filter, often by
//!   design (`SECCOMP_RET_LOG`); aureport counts it nowhere.
//! - **su/sudo sessions -> Privilege**: USER_START/USER_END/CRED_* whose `exe` is su, sudo,
//!   sudoedit, runuser, ksu or doas are `ElevatedSession*`/`ElevatedCredential`, not login
//!   sessions. Their USER_AUTH/USER_ACCT stay authentication evidence (a failed `su` is a
//!   failed authentication, as in aureport).
//! - **ANOM_LOGIN_\*, RESP_ACCT_LOCK\* -> Logins** (lockout evidence next to the failures
//!   that caused it); **ANOM_ADD/DEL/MOD_ACCT -> Accounts**; **ANOM_ROOT_TRANS ->
//!   Privilege**. Other ANOM_* and RESP_* are Anomalies. aureport counts all 2100-2199 as
//!   anomalies; the aureport view reproduces that.
//! - **CONFIG_CHANGE, DAEMON_CONFIG -> Daemon**: they change what the audit trail records
//!   (rules, audit_enabled, backlog, lost counter), which is audit health evidence (Q-AUDITCFG,
//!   Q-LOST). The Config section is for the rest of the system.
//! - **AVC/USER_AVC**: only `denied` makes a fact (`MacDenial`); `granted` and dbus's
//!   `received policyload notice` make none. AppArmor `DENIED` is an enforced denial,
//!   `ALLOWED` (complain mode) a permissive one, `STATUS` a policy load, `ERROR` an error;
//!   `AUDIT` and `HINT` make none.
//! - **Kernel records inside a SYSCALL event** (AVC, CONFIG_CHANGE, TIME_*, KERN_MODULE,
//!   NETFILTER_CFG) take `auid`, `uid` and `exe` from that SYSCALL when they lack them.
//! - **Time changes**: one `TimeChange` fact per event, from TIME_ADJNTPVAL/TIME_INJOFFSET
//!   records or a SYSCALL whose rule key names time (`time-change`, `10.4.2b-time-change`,
//!   `time_change`; keys may be hex with 0x01 between several). **Module loads**: one
//!   `KernelModule` fact per KERN_MODULE record, or one per event for a SYSCALL keyed
//!   `module-load`/`modules`/`kernel_modules` without KERN_MODULE.
//! - **Invalid users**: a login-category fact whose account is `(invalid user)` (sshd's hex
//!   `28696E76616C6964207573657229`), `(unknown)`, `UNKNOWN`, `NOUSER` or `?`
//!   (`op=PAM:bad_ident acct="?"`) is marked `invalid_user`.
//! - **Names**: ENRICHED values (`AUID="alice"`) first, then `--passwd`/`--group`
//!   ([`NameResolver`]), then the number; `unknown(1501)` in ENRICHED means no name. The
//!   number is always kept. `id=` is never hex-decoded; it is a gid for ADD/DEL_GROUP,
//!   GRP_MGMT and GRP_CHAUTHTOK.

mod command;
mod detail;
pub mod errno;
mod fact;
mod kernel_fields;
mod kind;
pub mod meaning;
mod names;
pub mod operation;
pub mod paths;
mod rec;
mod rules;
pub mod syscalls;
pub mod watch;

pub use fact::{Denial, Detail, Fact, Lsm, Principal, Text};
pub use kind::{Category, Kind, Outcome};
pub use meaning::KeyMeanings;
pub use names::NameResolver;
pub use watch::{Operation, Watch, WatchView, Watched};

use crate::model::RecordType;
use crate::parse::decode::to_text;
use crate::parse::Event;
use rec::{Rec, K};

/// Event-wide values every fact of the event shares.
pub(crate) struct EventCommon<'a> {
    pub time_ms: i64,
    pub serial: u32,
    /// Borrowed from the event: copied only into the facts made (most events make none).
    pub node: Option<std::borrow::Cow<'a, str>>,
}

impl EventCommon<'_> {
    /// The node name as a fact stores it.
    pub fn node(&self) -> Option<Text> {
        self.node.as_deref().map(Text::from)
    }
}

/// The SYSCALL of an event, for kernel records that lack actor fields.
struct SyscallContext {
    auid: Option<Principal>,
    uid: Option<Principal>,
    exe: Option<Text>,
    keys: Vec<Text>,
    syscall: Option<Text>,
    /// `load` or `unload` for the module syscalls.
    module_op: Option<&'static str>,
    source: crate::model::Source,
    result: Outcome,
}

/// Classifies every record of `event`, appending facts to `out` (which is not cleared, so
/// one buffer can be reused across events).
pub fn classify(event: &Event, names: &NameResolver, out: &mut Vec<Fact>) {
    let stamp = event.stamp();
    let common = EventCommon {
        time_ms: stamp.time_ms(),
        serial: stamp.serial,
        node: event.node().map(to_text),
    };
    let meta = event.record_meta();
    let needs_context = meta.iter().any(|m| needs_syscall(m.rtype));
    let syscall = meta
        .iter()
        .position(|m| m.rtype == RecordType::SYSCALL)
        .filter(|&i| needs_context || has_rule_key(event.line(i)))
        .and_then(|i| syscall_context(event, i, names));

    let first = out.len();
    let mut time_seen = false;
    let mut module_seen = false;
    for (i, m) in meta.iter().enumerate() {
        let Some(base) = rules::base_kind(m.rtype) else {
            continue;
        };
        let Some(record) = event.record(i) else {
            continue;
        };
        let rec = Rec::read(&record);
        let exe = rec.text(K::exe);
        let Some(kind) = rules::refine(base, &rec, exe.as_deref()) else {
            continue;
        };
        if kind == Kind::TimeChange && time_seen {
            // One fact per event: add this record's values to the first one.
            if let Some(f) = out[first..].iter_mut().find(|f| f.kind == Kind::TimeChange) {
                detail::add_time_change(f, &rec);
            }
            continue;
        }
        time_seen |= kind == Kind::TimeChange;
        module_seen |= kind == Kind::KernelModule;
        let mut fact = rules::base_fact(kind, &rec, names, &common, m.source);
        fact.target = match kind.category() {
            Category::Accounts | Category::Logins | Category::Credentials | Category::Privilege => {
                rules::target(&rec, names)
            }
            _ => None,
        };
        detail::fill(&mut fact, &rec);
        if let Some(ctx) = &syscall {
            inherit(&mut fact, ctx);
        }
        out.push(fact);
    }
    if let Some(ctx) = &syscall {
        keyed_syscall_facts(event, ctx, &common, time_seen, module_seen, out);
    }
}

/// Kernel records that take their actor from the event's SYSCALL.
fn needs_syscall(t: RecordType) -> bool {
    matches!(
        t.0,
        1305 | 1325 | 1330 | 1332 | 1333 | 1400 | 1401 | 1500..=1507
    )
}

/// Cheap pre-check so that SYSCALLs are tokenised only when their rule key can make a fact
/// (a time or module key): most keyed syscalls (`exec`, `identity`, ...) need nothing here.
/// Handles quoted keys and hex-encoded multi-keys joined by 0x01; allocates only for hex.
fn has_rule_key(line: &[u8]) -> bool {
    use crate::parse::decode::{hex_decode, looks_hex};
    static KEY: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b" key="));
    KEY.find_iter(line).any(|i| {
        let v = &line[i + 5..];
        let end = memchr::memchr2(b' ', 0x1d, v).unwrap_or(v.len());
        let raw = &v[..end];
        if let Some(quoted) = raw.strip_prefix(b"\"") {
            let k = quoted.strip_suffix(b"\"").unwrap_or(quoted);
            return rules::is_time_key_bytes(k) || rules::is_module_key_bytes(k);
        }
        if !looks_hex(raw) {
            return false; // (null), or not a key value we can read
        }
        let decoded = hex_decode(raw).unwrap_or_default();
        decoded
            .split(|&b| b == 1)
            .any(|k| rules::is_time_key_bytes(k) || rules::is_module_key_bytes(k))
    })
}

fn syscall_context(event: &Event, i: usize, names: &NameResolver) -> Option<SyscallContext> {
    let record = event.record(i)?;
    let rec = Rec::read(&record);
    let id = |k: K, e: &[u8]| {
        rec.raw(k)
            .and_then(|r| rules::principal(r, rec.enriched(e), names, rules::IdKind::User))
    };
    Some(SyscallContext {
        auid: id(K::auid, b"AUID"),
        uid: id(K::uid, b"UID"),
        exe: rec.text(K::exe),
        keys: rules::rule_keys(&rec),
        syscall: rec.enriched(b"SYSCALL").or_else(|| rec.text(K::syscall)),
        module_op: module_op(&rec),
        source: event.record_meta()[i].source,
        result: rules::result(&rec),
    })
}

/// `load` or `unload` when the SYSCALL is a module syscall (by number on x86_64 and
/// aarch64, else by ENRICHED name).
fn module_op(rec: &Rec<'_>) -> Option<&'static str> {
    let by_number = rec
        .raw(K::arch)
        .and_then(syscalls::Arch::from_field)
        .zip(rec.num(K::syscall).and_then(|n| u32::try_from(n).ok()))
        .and_then(|(arch, nr)| arch.syscall(nr));
    let name = by_number
        .map(Text::from)
        .or_else(|| rec.enriched(b"SYSCALL"))?;
    match name.as_str() {
        "init_module" | "finit_module" => Some("load"),
        "delete_module" => Some("unload"),
        _ => None,
    }
}

/// Fills actor fields a kernel record lacks from its event's SYSCALL.
fn inherit(fact: &mut Fact, ctx: &SyscallContext) {
    if fact.kind == Kind::KernelModule {
        if fact.op.is_none() {
            fact.op = ctx.module_op.map(Text::from);
        }
        if fact.result == Outcome::Unset {
            fact.result = ctx.result;
        }
        if let Detail::Module {
            key: key @ None, ..
        } = &mut fact.detail
        {
            *key = ctx.keys.iter().find(|k| rules::is_module_key(k)).cloned();
        }
    }
    if fact.auid.is_none() {
        fact.auid.clone_from(&ctx.auid);
    }
    if fact.uid.is_none() {
        fact.uid.clone_from(&ctx.uid);
    }
    if fact.exe.is_none() {
        fact.exe.clone_from(&ctx.exe);
    }
    if let Detail::Time { key, syscall, .. } = &mut fact.detail {
        if key.is_none() {
            *key = ctx.keys.iter().find(|k| rules::is_time_key(k)).cloned();
        }
        if syscall.is_none() {
            syscall.clone_from(&ctx.syscall);
        }
    }
}

/// Facts from the SYSCALL's rule key when no TIME_*/KERN_MODULE record already made one.
/// A module fact without KERN_MODULE takes the module's name from the command line
/// (`modprobe wireguard`, `insmod /lib/modules/.../wireguard.ko`).
fn keyed_syscall_facts(
    event: &Event,
    ctx: &SyscallContext,
    common: &EventCommon<'_>,
    time_seen: bool,
    module_seen: bool,
    out: &mut Vec<Fact>,
) {
    let time_key = ctx.keys.iter().find(|k| rules::is_time_key(k));
    let module_key = ctx.keys.iter().find(|k| rules::is_module_key(k));
    let make = |kind: Kind, detail: Detail| Fact {
        category: kind.category(),
        kind,
        rtype: RecordType::SYSCALL,
        time_ms: common.time_ms,
        serial: common.serial,
        node: common.node(),
        result: ctx.result,
        auid: ctx.auid.clone(),
        uid: ctx.uid.clone(),
        target: None,
        op: None,
        exe: ctx.exe.clone(),
        terminal: None,
        addr: None,
        hostname: None,
        source: ctx.source,
        detail,
    };
    if let (Some(key), false) = (time_key, time_seen) {
        out.push(make(
            Kind::TimeChange,
            Detail::Time {
                key: Some(key.clone()),
                syscall: ctx.syscall.clone(),
                changes: Vec::new(),
            },
        ));
    }
    if let (Some(key), false) = (module_key, module_seen) {
        let mut f = make(
            Kind::KernelModule,
            Detail::Module {
                name: watch::module_from_command(event).map(Text::from),
                key: Some(key.clone()),
            },
        );
        f.op = ctx.module_op.map(Text::from);
        out.push(f);
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests;
