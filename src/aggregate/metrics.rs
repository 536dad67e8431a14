//! The stable metric ids of a summary and the labels people read them by. An id, once
//! published, keeps its meaning; new metrics get new ids. Reports, terminals, comparisons
//! and trends take their ids, their key figures and their labels from here.

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

/// The metrics shown first (terminal summary, report cover, trend charts), in this order;
/// every metric is in the JSON.
pub const KEY_METRICS: &[&str] = &[
    "events",
    "logins.success",
    "logins.failed",
    "logins.invalid_user",
    "auth.success",
    "auth.failed",
    "accounts.created",
    "accounts.deleted",
    "accounts.modified",
    "groups.created",
    "groups.deleted",
    "credentials.password_changes",
    "privilege.commands",
    "privilege.failed",
    "mac.denials",
    "daemon.starts",
    "daemon.stops",
    "daemon.aborts",
    "audit.config_changes",
    "audit.lost_events",
    "audit.serial_gaps",
    "audit.silences",
    "config.time_changes",
    "anomalies",
    "watches.events",
    "files.identity_changes",
    "files.audit_log_changes",
    "files.access_denied",
];

/// The metrics of the watched-files section, in the order the issue lists them.
pub const WATCH_METRICS: &[&str] = &[
    "files.identity_changes",
    "files.privilege_config_changes",
    "files.audit_log_reads",
    "files.audit_log_changes",
    "files.permission_changes",
    "files.deletions",
    "files.access_denied",
    "system.mounts",
    "system.modules_loaded",
    "privilege.executions",
];

/// The key figures shown per host (`summary --by-host`), in this order.
pub const BY_HOST_METRICS: &[&str] = &[
    "events",
    "logins.success",
    "logins.failed",
    "auth.failed",
    "accounts.created",
    "accounts.deleted",
    "accounts.modified",
    "privilege.commands",
    "privilege.failed",
    "mac.denials",
    "audit.lost_events",
    "audit.serial_gaps",
    "audit.silences",
    "watches.events",
];

/// A metric id with its labels: `label` for report headings and counts, `short` for a
/// terminal column.
struct Labels {
    id: &'static str,
    label: &'static str,
    short: &'static str,
}

const fn l(id: &'static str, label: &'static str, short: &'static str) -> Labels {
    Labels { id, label, short }
}

/// Every metric of [`of`] with its labels, in id order.
const LABELS: &[Labels] = &[
    l("accounts.anomalies", "Account anomalies", "acct anomalies"),
    l("accounts.created", "Accounts created", "accts +"),
    l("accounts.deleted", "Accounts deleted", "accts -"),
    l("accounts.failed", "Failed account changes", "acct failed"),
    l("accounts.locked", "Accounts locked", "locked"),
    l("accounts.modified", "Accounts modified", "accts ~"),
    l("accounts.unlocked", "Accounts unlocked", "unlocked"),
    l("anomalies", "Anomalies", "anomalies"),
    l("anomalies.responses", "Responses", "responses"),
    l("anomalies.seccomp", "Seccomp", "seccomp"),
    l(
        "audit.config_changes",
        "Audit configuration changes",
        "audit config",
    ),
    l("audit.lost_events", "Lost events", "lost"),
    l(
        "audit.missing_serials",
        "Missing serials",
        "missing serials",
    ),
    l("audit.rule_changes", "Audit rule changes", "rule changes"),
    l("audit.serial_gaps", "Serial gaps", "gaps"),
    l("audit.silences", "Silences", "silences"),
    l(
        "auth.account_denied",
        "Account checks denied",
        "acct denied",
    ),
    l("auth.errors", "Authentication errors", "auth errors"),
    l("auth.failed", "Failed authentications", "failed auth"),
    l("auth.success", "Successful authentications", "auth"),
    l("config.kernel_modules", "Kernel modules", "modules"),
    l("config.netfilter", "Firewall changes", "firewall"),
    l("config.other", "Other changes", "other config"),
    l("config.software_updates", "Software changes", "software"),
    l("config.time_changes", "Time changes", "time changes"),
    l(
        "config.time_daemon_adjustments",
        "Routine time-daemon adjustments",
        "time daemon",
    ),
    l(
        "credentials.acquired",
        "Credentials acquired",
        "cred acquired",
    ),
    l(
        "credentials.failed",
        "Failed credential changes",
        "cred failed",
    ),
    l(
        "credentials.password_changes",
        "Password changes",
        "passwords",
    ),
    l("daemon.aborts", "auditd aborts", "aborts"),
    l("daemon.errors", "auditd errors", "daemon errors"),
    l("daemon.resumes", "auditd resumes", "resumes"),
    l("daemon.rotates", "auditd log rotations", "rotations"),
    l("daemon.starts", "auditd starts", "starts"),
    l("daemon.stops", "auditd stops", "stops"),
    l("events", "Events", "events"),
    l(
        "events.orphan_eoe",
        "EOE records without an event",
        "orphan eoe",
    ),
    l("files.access_denied", "Access denied", "denied files"),
    l(
        "files.audit_log_changes",
        "Audit log changes",
        "log changes",
    ),
    l("files.audit_log_reads", "Audit log reads", "log reads"),
    l("files.deletions", "Deletions", "deletions"),
    l(
        "files.identity_changes",
        "Identity file changes",
        "identity files",
    ),
    l(
        "files.permission_changes",
        "Permission changes",
        "permissions",
    ),
    l(
        "files.privilege_config_changes",
        "Sudoers changes",
        "sudoers",
    ),
    l("groups.created", "Groups created", "groups +"),
    l("groups.deleted", "Groups deleted", "groups -"),
    l("groups.modified", "Groups modified", "groups ~"),
    l("hosts", "Hosts", "hosts"),
    l("logins.anomalies", "Login anomalies", "login anomalies"),
    l("logins.failed", "Failed logins", "failed logins"),
    l(
        "logins.invalid_user",
        "Attempts on unknown users",
        "invalid user",
    ),
    l("logins.lockouts", "Lockouts", "lockouts"),
    l("logins.sessions", "Login sessions", "sessions"),
    l("logins.success", "Successful logins", "logins"),
    l(
        "mac.config_changes",
        "MAC configuration changes",
        "mac config",
    ),
    l("mac.denials", "Denials", "denials"),
    l("mac.denials.enforced", "Enforced", "enforced"),
    l("mac.denials.permissive", "Permissive", "permissive"),
    l("mac.errors", "LSM errors", "lsm errors"),
    l("mac.signatures", "Signatures", "signatures"),
    l("outside_period", "Events outside the period", "outside"),
    l("privilege.commands", "Privileged commands", "sudo"),
    l("privilege.executions", "Privileged executions", "priv exec"),
    l("privilege.failed", "Failed privilege use", "sudo failed"),
    l(
        "privilege.identity_changes",
        "Identity changes",
        "identity changes",
    ),
    l("privilege.sessions", "Privileged sessions", "priv sessions"),
    l("roles.changed", "Role mappings", "roles"),
    l("system.modules_loaded", "Kernel modules", "modules loaded"),
    l("system.mounts", "Mounts", "mounts"),
    l("system.objects", "System object changes", "system objects"),
    l("watches.events", "Keyed events", "keyed"),
    l("watches.failed", "Failed", "keyed failed"),
    l(
        "watches.keyless",
        "Keyless syscalls (counted only)",
        "keyless",
    ),
    l("watches.keys", "Rule keys", "keys"),
];

fn labels(id: &str) -> Option<&'static Labels> {
    LABELS
        .binary_search_by(|x| x.id.cmp(id))
        .ok()
        .map(|i| &LABELS[i])
}

/// The label of metric `id` for report headings and counts (the id itself when unknown).
pub fn label(id: &str) -> &str {
    labels(id).map_or(id, |x| x.label)
}

/// The short label of metric `id` for a terminal column (the id itself when unknown).
pub fn short_label(id: &str) -> &str {
    labels(id).map_or(id, |x| x.short)
}

/// Key metrics per host, from the per-host breakdowns of the counters behind them (the
/// metrics of [`BY_HOST_METRICS`] and the other key figures that have one).
pub fn by_host(s: &Summary) -> BTreeMap<&'static str, BTreeMap<String, u64>> {
    let mut m: BTreeMap<&'static str, BTreeMap<String, u64>> = BTreeMap::new();
    let l = s.logins();
    let a = s.accounts();
    let mut put = |k: &'static str, c: &super::Counter| {
        m.insert(k, c.by_host().clone());
    };
    put("logins.success", l.logins().count());
    put("logins.failed", l.failed_logins().count());
    put("logins.invalid_user", l.invalid_user());
    put("auth.success", l.auths().count());
    put("auth.failed", l.failed_auths().count());
    put("accounts.created", a.created().count());
    put("accounts.deleted", a.deleted().count());
    put("accounts.modified", a.modified().count());
    put("groups.created", a.groups_created().count());
    put("groups.deleted", a.groups_deleted().count());
    put(
        "credentials.password_changes",
        s.credentials().password_changes().count(),
    );
    put("privilege.commands", s.privilege().commands().count());
    put("privilege.failed", s.privilege().failed());
    put("mac.denials", s.mac().denials());
    put("config.time_changes", s.config().time_changes().count());
    put("anomalies", s.anomalies().anomalies().count());
    put("watches.events", s.watches().events());
    let hosts = s.hosts();
    m.insert(
        "events",
        hosts.iter().map(|(h, c)| (h.clone(), c.events())).collect(),
    );
    m.insert(
        "audit.lost_events",
        hosts
            .iter()
            .map(|(h, c)| (h.clone(), c.lost_events()))
            .collect(),
    );
    m.insert(
        "audit.serial_gaps",
        hosts
            .iter()
            .map(|(h, c)| (h.clone(), c.serial_gaps().len() as u64))
            .collect(),
    );
    m.insert(
        "audit.silences",
        hosts
            .iter()
            .map(|(h, c)| (h.clone(), c.silences().len() as u64))
            .collect(),
    );
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::Aggregator;
    use crate::classify::NameResolver;
    use crate::period::Period;

    fn empty() -> Summary {
        Aggregator::new(Period::unbounded(chrono_tz::UTC), NameResolver::empty()).into_summary()
    }

    #[test]
    fn every_metric_has_labels_and_every_label_a_metric() {
        let ids: Vec<&str> = of(&empty()).into_keys().collect();
        let labelled: Vec<&str> = LABELS.iter().map(|x| x.id).collect();
        assert_eq!(
            ids, labelled,
            "LABELS must list every metric id of `of`, sorted"
        );
    }

    #[test]
    fn listed_metrics_are_metrics() {
        let ids = of(&empty());
        for id in KEY_METRICS
            .iter()
            .chain(WATCH_METRICS)
            .chain(BY_HOST_METRICS)
        {
            assert!(ids.contains_key(id), "{id} is not a metric");
        }
    }

    #[test]
    fn labels_are_looked_up_by_id() {
        assert_eq!(label("logins.failed"), "Failed logins");
        assert_eq!(short_label("logins.failed"), "failed logins");
        assert_eq!(label("no.such"), "no.such");
    }
}
