//! Kind-specific details of a fact, read from the record's fields.

use super::fact::{Denial, Detail, Fact, Lsm, Text};
use super::kind::{Category, Kind};
use super::rec::{Rec, K};
use super::rules;

/// Fills `fact.detail` (and, for a few kinds, adjusts common fields) from `rec`.
pub(crate) fn fill(fact: &mut Fact, rec: &Rec<'_>) {
    fact.detail = match fact.kind.category() {
        Category::Daemon | Category::Config | Category::Anomalies => system(fact.kind, rec),
        _ => people(fact, rec),
    };
}

/// Details of account, login, credential, privilege and MAC facts.
fn people(fact: &mut Fact, rec: &Rec<'_>) -> Detail {
    use Kind::*;
    match fact.kind {
        k if k.category() == Category::Logins || k == ElevatedSessionOpen => login(fact, rec),
        UserAdded | UserDeleted | GroupAdded | GroupDeleted | UserModified | GroupModified
        | AccountLocked | AccountUnlocked => Detail::Account {
            group: rec.text(K::grp),
        },
        Command => Detail::Command {
            command: rec.text(K::cmd),
            cwd: rec.text(K::cwd),
        },
        MacDenial => Detail::Denial(Box::new(denial(fact, rec))),
        MacStatus => setting(rec, "enforcing", K::enforcing, K::old_enforcing),
        MacConfigChange => match rec.text(K::bool_) {
            Some(b) => Detail::Setting {
                name: b,
                value: rec.text(K::val),
                old: rec.text(K::old_val),
            },
            None => Detail::None,
        },
        MacPolicyLoad if rec.field(K::apparmor).is_some() => {
            fact.op = rec.text(K::operation);
            Detail::Module {
                name: rec.text(K::name),
                key: None,
            }
        }
        GroupIdChange => setting(rec, "new_gid", K::new_gid, K::old),
        RoleChange | RoleAssigned | RoleRemoved | RoleModified => Detail::Role {
            context: rec
                .text(K::new_context)
                .or_else(|| rec.text(K::selected_context))
                .or_else(|| rec.text(K::new_role))
                .or_else(|| rec.text(K::new_seuser)),
        },
        RootTransition | AccountAnomaly => anomaly(rec),
        _ => Detail::None,
    }
}

/// Details of daemon, configuration and anomaly facts.
fn system(kind: Kind, rec: &Rec<'_>) -> Detail {
    use Kind::*;
    match kind {
        AuditRuleChange => Detail::Rule {
            action: Text::from(rules::rule_action(rec).unwrap_or("change")),
            key: Some(Text::from(rules::rule_keys(rec).join(","))).filter(|k| !k.is_empty()),
            list: rec.text(K::list),
            path: rec.text(K::path),
        },
        AuditLostReset => Detail::Lost {
            lost: rec.num(K::old).unwrap_or(0),
        },
        AuditSetting => audit_setting(rec),
        ServiceStart | ServiceStop => Detail::Service {
            unit: rec.text(K::unit),
        },
        SystemRunlevel => setting(rec, "runlevel", K::new_level, K::old_level),
        NetfilterConfig => match rec.text(K::table) {
            Some(t) => Detail::Setting {
                name: t,
                value: rec.text(K::entries),
                old: None,
            },
            None => Detail::None,
        },
        FeatureChange => match rec.text(K::feature) {
            Some(f) => Detail::Setting {
                name: f,
                value: rec.text(K::new),
                old: rec.text(K::old),
            },
            None => Detail::None,
        },
        KernelModule => Detail::Module {
            name: rec.text(K::name),
            key: None,
        },
        SoftwareUpdate => Detail::Software {
            package: rec.text(K::sw),
            kind: rec.text(K::sw_type),
        },
        TimeChange => {
            let mut d = Detail::Time {
                key: None,
                syscall: None,
                changes: Vec::new(),
            };
            push_time_change(&mut d, rec);
            d
        }
        Anomaly | Seccomp | Response => anomaly(rec),
        k if k.category() == Category::Daemon => Detail::Daemon {
            version: rec.text(K::ver),
            format: rec.text(K::format),
            state: rec.text(K::state),
        },
        _ => Detail::None,
    }
}

fn anomaly(rec: &Rec<'_>) -> Detail {
    Detail::Anomaly {
        comm: rec.text(K::comm),
        signal: rec.text(K::sig),
        reason: rec
            .text(K::reason)
            .or_else(|| rec.text(K::dev))
            .or_else(|| rec.text(K::code)),
    }
}

fn login(fact: &mut Fact, rec: &Rec<'_>) -> Detail {
    if fact.kind == Kind::LoginUidSet {
        // LOGIN: the kernel sets the login uid; the new auid is the account logged in.
        fact.target.clone_from(&fact.auid);
    }
    let acct = rec.text_raw(K::acct);
    Detail::Login {
        invalid_user: rules::is_invalid_user(acct.as_deref()),
        grantors: rec.text(K::grantors),
        session: rec
            .num(K::ses)
            .and_then(|s| u32::try_from(s).ok())
            .filter(|&s| s != u32::MAX),
    }
}

fn setting(rec: &Rec<'_>, name: &str, new_key: K, old_key: K) -> Detail {
    Detail::Setting {
        name: Text::from(name),
        value: rec.text(new_key),
        old: rec.text(old_key),
    }
}

/// CONFIG_CHANGE settings: the first `audit_*=` field present names the setting.
fn audit_setting(rec: &Rec<'_>) -> Detail {
    const SETTINGS: &[(K, &str)] = &[
        (K::audit_enabled, "audit_enabled"),
        (K::audit_failure, "audit_failure"),
        (K::audit_backlog_limit, "audit_backlog_limit"),
        (K::audit_backlog_wait_time, "audit_backlog_wait_time"),
        (K::audit_rate_limit, "audit_rate_limit"),
        (K::audit_pid, "audit_pid"),
    ];
    for &(k, name) in SETTINGS {
        if rec.field(k).is_some() {
            return setting(rec, name, k, K::old);
        }
    }
    Detail::None
}

/// The type part of an SELinux context `user:role:type:level`.
fn context_type(ctx: &str) -> &str {
    ctx.split(':').nth(2).unwrap_or(ctx)
}

fn denial(fact: &mut Fact, rec: &Rec<'_>) -> Denial {
    let comm = rec.text(K::comm);
    let name = rec.text(K::name);
    if rec.field(K::apparmor).is_some() {
        let allowed = rec.raw(K::apparmor) == Some(b"ALLOWED");
        let profile = rec.text(K::profile);
        let operation = rec.text(K::operation);
        let denied_mask = rec.text(K::denied_mask);
        fact.result = super::kind::Outcome::Failed;
        fact.op.clone_from(&operation);
        return Denial {
            lsm: Lsm::Apparmor,
            signature: format!(
                "apparmor:{}:{}:{}",
                profile.as_deref().unwrap_or("?"),
                operation.as_deref().unwrap_or("?"),
                denied_mask.as_deref().unwrap_or("?")
            )
            .into(),
            permissive: Some(allowed),
            scontext: None,
            tcontext: None,
            tclass: None,
            perms: None,
            profile,
            operation,
            denied_mask,
            comm,
            name,
        };
    }
    // The leading `avc:` is a bare word, not an operation.
    fact.op = None;
    let scontext = rec.text(K::scontext);
    let tcontext = rec.text(K::tcontext);
    let tclass = rec.text(K::tclass);
    let perms = rec.text(K::seperms);
    let permissive = match rec.raw(K::permissive) {
        Some(b"1") => Some(true),
        Some(b"0") => Some(false),
        _ => None,
    };
    Denial {
        lsm: Lsm::Selinux,
        signature: format!(
            "selinux:{}:{}:{}:{}",
            scontext.as_deref().map_or("?", context_type),
            tcontext.as_deref().map_or("?", context_type),
            tclass.as_deref().unwrap_or("?"),
            perms.as_deref().unwrap_or("?")
        )
        .into(),
        permissive,
        scontext,
        tcontext,
        tclass,
        perms,
        profile: None,
        operation: None,
        denied_mask: None,
        comm,
        name,
    }
}

/// Adds the values of another TIME_* record of the same event to a TimeChange fact.
pub(crate) fn add_time_change(fact: &mut Fact, rec: &Rec<'_>) {
    push_time_change(&mut fact.detail, rec);
}

fn push_time_change(detail: &mut Detail, rec: &Rec<'_>) {
    let Detail::Time { changes, .. } = detail else {
        return;
    };
    if let (Some(sec), Some(nsec)) = (rec.text(K::sec), rec.text(K::nsec)) {
        changes.push(format!("offset {sec}.{nsec:0>9}").into());
    }
    if let Some(op) = rec.text(K::op) {
        let old = rec.text(K::old).unwrap_or_else(|| "?".into());
        let new = rec.text(K::new).unwrap_or_else(|| "?".into());
        changes.push(format!("{op} {old}->{new}").into());
    }
}
