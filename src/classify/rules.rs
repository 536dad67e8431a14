//! Record type + fields -> kind, result, actor, target. The mapping decisions are
//! documented on the parent module.

use super::fact::{Detail, Fact, Principal, Text};
use super::kind::{Kind, Outcome};
use super::names::NameResolver;
use super::rec::{Rec, K};
use crate::model::RecordType as T;
use crate::parse::decode::{decoded, is_unset_id, split_list, to_text};

/// The kind a record type maps to before its fields are read; `None` for types that make no
/// fact on their own (SYSCALL, PATH, AVC_PATH, ...). Some kinds are refined from fields:
/// see [`refine`].
pub(crate) fn base_kind(t: T) -> Option<Kind> {
    use Kind::*;
    Some(match t.0 {
        1114 => UserAdded,
        1115 => UserDeleted,
        1116 => GroupAdded,
        1117 => GroupDeleted,
        1102 => UserModified,
        1132 => GroupModified,
        1135 => AccountLocked,
        1136 => AccountUnlocked,
        2301 => RoleAssigned,
        2302 => RoleRemoved,
        2311 => RoleModified,
        2114..=2116 => AccountAnomaly,
        1112 => Login,
        1113 => Logout,
        1006 => LoginUidSet,
        1100 => Authentication,
        1101 => AccountCheck,
        1126 => GroupAuthentication,
        1109 => AuthError,
        1105 => SessionOpen,
        1106 => SessionClose,
        2100..=2104 | 2118 | 2119 => LoginAnomaly,
        2205 | 2207 => Lockout,
        2206 => LockoutEnded,
        1103 => CredentialAcquired,
        1110 => CredentialRefreshed,
        1104 => CredentialDisposed,
        1108 => PasswordChanged,
        1133 => GroupPasswordChanged,
        2404 => CryptoKey,
        2407 => CryptoSession,
        2402 | 2403 => CryptoLogin,
        1600..=1699 | 2400..=2499 => CryptoOther,
        1123 => Command,
        2300 => RoleChange,
        2117 => RootTransition,
        1125 => UserIdChange,
        1119 => GroupIdChange,
        // AVC, USER_AVC and the AppArmor types: refined to a denial, a policy load, an
        // error, or nothing (granted, audit, hint).
        1400 | 1107 | 1500..=1507 => MacDenial,
        1401 | 1122 => MacError,
        1404 | 2313 => MacStatus,
        1403 | 2310 => MacPolicyLoad,
        1405 | 2312 => MacConfigChange,
        1406..=1419 => MacNetworkConfig,
        1200 => DaemonStart,
        1201 => DaemonEnd,
        1202 => DaemonAbort,
        1203 | 1204 => DaemonConfig,
        1205 => DaemonRotate,
        1206 => DaemonResume,
        1207 | 1208 => DaemonRemote,
        1209 => DaemonError,
        1305 => AuditSetting,
        1130 => ServiceStart,
        1131 => ServiceStop,
        1127 => SystemBoot,
        1128 => SystemShutdown,
        1129 => SystemRunlevel,
        1111 => SystemConfig,
        1325 => NetfilterConfig,
        1330 => KernelModule,
        1138 => SoftwareUpdate,
        1332 | 1333 => TimeChange,
        1328 => FeatureChange,
        1137 => DeviceChange,
        1700..=1799 | 2105..=2113 | 2120..=2199 => Anomaly,
        2200..=2204 | 2208..=2299 => Response,
        1326 => Seccomp,
        _ => return None,
    })
}

/// Programs whose PAM sessions and credentials are privilege use, not logins.
const ELEVATION_TOOLS: &[&str] = &["su", "sudo", "sudoedit", "runuser", "ksu", "doas"];

/// True when `exe` is su, sudo or another tool that runs commands as another user.
pub(crate) fn is_elevation_tool(exe: Option<&str>) -> bool {
    exe.and_then(|e| e.rsplit('/').next())
        .is_some_and(|b| ELEVATION_TOOLS.contains(&b))
}

/// Account names sshd and PAM write for an account that does not exist.
const INVALID_USER_NAMES: &[&str] = &["(invalid user)", "(unknown)", "UNKNOWN", "NOUSER", "?"];

/// True when `acct` names no real account.
pub(crate) fn is_invalid_user(acct: Option<&str>) -> bool {
    acct.is_some_and(|a| INVALID_USER_NAMES.contains(&a))
}

/// Refines the base kind from the record's fields. `None` drops the record (an AVC that
/// granted, an AppArmor AUDIT/HINT line).
pub(crate) fn refine(kind: Kind, rec: &Rec<'_>, exe: Option<&str>) -> Option<Kind> {
    use Kind::*;
    let elevated = is_elevation_tool(exe);
    Some(match kind {
        SessionOpen if elevated => ElevatedSessionOpen,
        SessionClose if elevated => ElevatedSessionClose,
        CredentialAcquired | CredentialRefreshed | CredentialDisposed if elevated => {
            ElevatedCredential
        }
        MacDenial => return mac_kind(rec),
        AuditSetting => {
            if rec.field(K::lost).is_some() || rec.field(K::audit_lost).is_some() {
                AuditLostReset
            } else if rule_action(rec).is_some() {
                AuditRuleChange
            } else {
                AuditSetting
            }
        }
        k => k,
    })
}

/// AVC/USER_AVC/APPARMOR_*: a denial, a policy load, an error, or nothing.
fn mac_kind(rec: &Rec<'_>) -> Option<Kind> {
    if let Some(aa) = rec.raw(K::apparmor) {
        return match aa {
            b"DENIED" | b"ALLOWED" => Some(Kind::MacDenial),
            b"STATUS" => Some(Kind::MacPolicyLoad),
            b"ERROR" => Some(Kind::MacError),
            _ => None,
        };
    }
    match rec.raw(K::seresult) {
        Some(b"denied") => Some(Kind::MacDenial),
        _ => None,
    }
}

/// For CONFIG_CHANGE: `add`, `remove` or `update` when the record changes rules.
pub(crate) fn rule_action(rec: &Rec<'_>) -> Option<&'static str> {
    let op = rec.raw(K::op)?;
    let has = |w: &[u8]| op.windows(w.len()).any(|x| x == w);
    if has(b"updated_rules") {
        Some("update")
    } else if has(b"add") && has(b"rule") {
        Some("add")
    } else if (has(b"remove") || has(b"del")) && has(b"rule") {
        Some("remove")
    } else {
        None
    }
}

/// The record's result by aureport's rules (audit-userspace `src/ausearch-parse.c`; the
/// per-record part: aureport's
/// "last record of the event wins" is applied only in the aureport view).
pub(crate) fn result(rec: &Rec<'_>) -> Outcome {
    let t = rec.rtype.0;
    let res = rec.raw(K::res);
    match t {
        1300 | 1336 => match rec.raw(K::success) {
            Some(b"yes") => Outcome::Success,
            Some(_) => Outcome::Failed,
            None => Outcome::Unset,
        },
        1006 => match res {
            Some(b"0") => Outcome::Failed,
            Some(v) if v.starts_with(b"fail") => Outcome::Failed,
            _ => Outcome::Success,
        },
        1305 => match res {
            Some(b"0") => Outcome::Failed,
            _ => Outcome::Success,
        },
        1326 => Outcome::Unset,
        1005 | 1100..=1299 | 2100..=2999 => {
            if let Some(v) = res {
                word_result(v)
            } else if let Some(v) = rec.raw(K::result) {
                if v.eq_ignore_ascii_case(b"success") {
                    Outcome::Success
                } else {
                    Outcome::Failed
                }
            } else {
                selinux_result(rec)
            }
        }
        _ => match res {
            Some(v) => word_result(v),
            None => selinux_result(rec),
        },
    }
}

fn word_result(v: &[u8]) -> Outcome {
    if v.starts_with(b"fail") || v == b"0" || v == b"no" {
        Outcome::Failed
    } else {
        Outcome::Success
    }
}

fn selinux_result(rec: &Rec<'_>) -> Outcome {
    if rec.raw(K::apparmor) == Some(b"DENIED") {
        return Outcome::Failed;
    }
    match rec.raw(K::seresult) {
        Some(b"denied") => Outcome::Failed,
        Some(b"granted") => Outcome::Success,
        _ => Outcome::Unset,
    }
}

/// Which name database an id is looked up in.
#[derive(Clone, Copy)]
pub(crate) enum IdKind {
    User,
    Group,
}

/// A principal from a numeric id field: ENRICHED name, else the resolver, else the number.
pub(crate) fn principal(
    raw: &[u8],
    enriched: Option<Text>,
    names: &NameResolver,
    kind: IdKind,
) -> Option<Principal> {
    if raw.is_empty() || raw == b"?" {
        return None;
    }
    if is_unset_id(raw) {
        return Some(Principal::unset());
    }
    let text = to_text(raw);
    let Ok(id) = text.parse::<u32>() else {
        return Some(Principal::named(text.into()));
    };
    let from_log = enriched.filter(|n| !n.starts_with("unknown(") && n != "unset" && n != "?");
    let name = from_log
        .or_else(|| {
            match kind {
                IdKind::User => names.user(id),
                IdKind::Group => names.group(id),
            }
            .map(Text::from)
        })
        .unwrap_or_else(|| compact_str::ToCompactString::to_compact_string(&id));
    Some(Principal {
        id: Some(id),
        name,
        unset: false,
    })
}

/// The account a record acts on: `acct` when present (with `id` as its number), else `id`
/// looked up as a user or group (never hex-decoded), else the legacy payload `uid=`.
pub(crate) fn target(rec: &Rec<'_>, names: &NameResolver) -> Option<Principal> {
    let group_target = matches!(rec.rtype.0, 1116 | 1117 | 1132 | 1133);
    let kind = if group_target {
        IdKind::Group
    } else {
        IdKind::User
    };
    let by_id = rec
        .raw(K::id)
        .and_then(|raw| principal(raw, rec.enriched(b"ID"), names, kind));
    if let Some(acct) = rec.text_raw(K::acct).filter(|a| !a.is_empty()) {
        let mut p = Principal::named(acct);
        p.id = by_id.and_then(|b| b.id);
        return Some(p);
    }
    by_id.or_else(|| {
        rec.raw(K::MsgUid)
            .and_then(|raw| principal(raw, None, names, IdKind::User))
    })
}

/// The decoded rule keys of a record (`key="a"`, or hex with 0x01 between several keys).
pub(crate) fn rule_keys(rec: &Rec<'_>) -> Vec<Text> {
    let Some(f) = rec.field(K::key) else {
        return Vec::new();
    };
    if f.is_absent() {
        return Vec::new();
    }
    let bytes = decoded(f, rec.rtype);
    split_list(&bytes, 0x01)
        .into_iter()
        .filter(|k| !k.is_empty())
        .map(|k| Text::from(to_text(k)))
        .collect()
}

/// True for rule keys that name time changes in the shipped rule sets (`time-change`,
/// `10.4.2b-time-change`, `time_change`, `audit_time_rules`).
pub(crate) fn is_time_key(key: &str) -> bool {
    is_time_key_bytes(key.as_bytes())
}

/// [`is_time_key`] on bytes, without allocating.
pub(crate) fn is_time_key_bytes(k: &[u8]) -> bool {
    k.eq_ignore_ascii_case(b"time")
        || [
            &b"time-change"[..],
            b"time_change",
            b"timechange",
            b"time_rules",
        ]
        .iter()
        .any(|n| contains_ignore_case(k, n))
}

/// True when `hay` contains `needle` (ASCII case-insensitive).
fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// True for rule keys that name kernel module loading (`module-load`, `modules`,
/// `kernel_modules`, `module_insertion`).
pub(crate) fn is_module_key(key: &str) -> bool {
    is_module_key_bytes(key.as_bytes())
}

/// [`is_module_key`] on bytes, without allocating.
pub(crate) fn is_module_key_bytes(k: &[u8]) -> bool {
    contains_ignore_case(k, b"module")
}

/// Copies the common fields of a record into a fact skeleton.
pub(crate) fn base_fact(
    kind: Kind,
    rec: &Rec<'_>,
    names: &NameResolver,
    common: &super::EventCommon<'_>,
    source: crate::model::Source,
) -> Fact {
    let auid = rec
        .raw(K::auid)
        .and_then(|r| principal(r, rec.enriched(b"AUID"), names, IdKind::User));
    let uid = rec
        .raw(K::uid)
        .and_then(|r| principal(r, rec.enriched(b"UID"), names, IdKind::User));
    Fact {
        category: kind.category(),
        kind,
        rtype: rec.rtype,
        time_ms: common.time_ms,
        serial: common.serial,
        node: common.node(),
        result: result(rec),
        auid,
        uid,
        target: None,
        op: rec.op(),
        exe: rec.text(K::exe),
        terminal: rec.text(K::terminal),
        addr: rec.text(K::addr),
        hostname: rec.text(K::hostname),
        source,
        detail: Detail::None,
    }
}
