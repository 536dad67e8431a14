//! The stable metric ids of a summary. An id, once published, keeps its meaning; new
//! metrics get new ids.

use super::Summary;
use crate::classify::Kind;
use std::collections::BTreeMap;

/// Every metric of `s`.
pub(super) fn of(s: &Summary) -> BTreeMap<&'static str, u64> {
    let w = &s.watches;
    let (a, l, c, p, m, d, g, n) = (
        &s.accounts,
        &s.logins,
        &s.credentials,
        &s.privilege,
        &s.mac,
        &s.daemon,
        &s.config,
        &s.anomalies,
    );
    let gaps: Vec<_> = s.hosts.values().flat_map(|h| h.serial_gaps()).collect();
    let silences: usize = s.hosts.values().map(|h| h.silences().len()).sum();
    let rule_changes = a_count(d.audit_config().items(), Kind::AuditRuleChange);
    BTreeMap::from([
        ("events", s.events),
        ("outside_period", s.outside_period),
        ("events.orphan_eoe", s.orphan_eoe),
        ("hosts", s.distinct_hosts()),
        ("logins.success", l.logins().total()),
        ("logins.failed", l.failed_logins().total()),
        ("logins.invalid_user", l.invalid_user().total()),
        ("logins.sessions", l.sessions().total()),
        ("logins.lockouts", l.lockouts().total()),
        ("logins.anomalies", l.anomalies().total()),
        ("auth.success", l.auths().total()),
        ("auth.failed", l.failed_auths().total()),
        ("auth.account_denied", l.account_denied().total()),
        ("auth.errors", l.errors().total()),
        ("accounts.created", a.created().total()),
        ("accounts.deleted", a.deleted().total()),
        ("accounts.modified", a.modified().total()),
        ("accounts.locked", a.locked()),
        ("accounts.unlocked", a.unlocked()),
        ("accounts.failed", a.failed().total()),
        ("accounts.anomalies", a.anomalies().total()),
        ("groups.created", a.groups_created().total()),
        ("groups.deleted", a.groups_deleted().total()),
        ("groups.modified", a.groups_modified().total()),
        ("roles.changed", a.roles().total()),
        ("credentials.password_changes", c.password_changes().total()),
        ("credentials.failed", c.failed().total()),
        ("credentials.acquired", c.acquired().total()),
        ("privilege.commands", p.commands().total()),
        ("privilege.failed", p.failed().total()),
        ("privilege.sessions", p.sessions().total()),
        ("privilege.identity_changes", p.identity_changes().total()),
        ("mac.denials", m.denials().total()),
        ("mac.denials.enforced", m.enforced().total()),
        ("mac.denials.permissive", m.permissive().total()),
        ("mac.signatures", m.distinct_signatures()),
        ("mac.errors", m.errors().total()),
        ("mac.config_changes", m.config().total()),
        ("daemon.starts", d.count(Kind::DaemonStart)),
        ("daemon.stops", d.count(Kind::DaemonEnd)),
        ("daemon.aborts", d.count(Kind::DaemonAbort)),
        ("daemon.errors", d.count(Kind::DaemonError)),
        ("daemon.resumes", d.count(Kind::DaemonResume)),
        ("daemon.rotates", d.count(Kind::DaemonRotate)),
        ("audit.config_changes", d.audit_config().total()),
        ("audit.rule_changes", rule_changes),
        ("audit.lost_events", d.lost_events()),
        ("audit.serial_gaps", gaps.len() as u64),
        (
            "audit.missing_serials",
            gaps.iter().map(|g| g.missing).sum(),
        ),
        ("audit.silences", silences as u64),
        ("config.time_changes", g.time_changes().total()),
        (
            "config.time_daemon_adjustments",
            g.routine_time_count().total(),
        ),
        ("config.kernel_modules", g.kernel_modules().total()),
        ("config.software_updates", g.software().total()),
        ("config.netfilter", g.netfilter().total()),
        ("config.other", g.other().total()),
        ("anomalies", n.anomalies().total()),
        ("anomalies.responses", n.responses().total()),
        ("anomalies.seccomp", n.seccomp().total()),
        ("watches.events", w.events().total()),
        ("watches.failed", w.failed()),
        ("watches.keyless", w.keyless().total()),
        ("watches.keys", w.by_key().items().len() as u64),
        ("files.identity_changes", w.meaning_events("identity-files")),
        (
            "files.privilege_config_changes",
            w.meaning_events("privilege-config"),
        ),
        (
            "files.audit_log_reads",
            w.meaning_events("audit-log-access"),
        ),
        (
            "files.audit_log_changes",
            w.meaning_events("audit-log-change"),
        ),
        (
            "files.permission_changes",
            w.meaning_events("permission-change"),
        ),
        ("files.deletions", w.meaning_events("file-deletion")),
        ("files.access_denied", w.meaning_events("access-denied")),
        ("system.mounts", w.mounts().total()),
        ("system.modules_loaded", w.modules_loaded().total()),
        ("system.objects", w.meaning_events("system-objects")),
        ("privilege.executions", w.meaning_events("privileged-exec")),
    ])
}

fn a_count(items: &[crate::classify::Fact], kind: Kind) -> u64 {
    items.iter().filter(|f| f.kind == kind).count() as u64
}
