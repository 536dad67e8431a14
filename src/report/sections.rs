//! The category sections of the report: which lists of the summary become which tables,
//! counts, top lists and per-day series. Kept apart from the model so the choice of what
//! an auditor sees per category is in one place.

use super::columns::Columns;
use super::{CountRow, FactRow, FactTable, Section, Series, TopList, TopRow};
use crate::aggregate::{metrics, Counter, Listed, OkFail, Summary};
use crate::classify::Fact;
use crate::model::{format_ms, Source};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Rows per top list.
const TOP: usize = 10;

/// Most denial signatures with a table of their own (the most frequent); the denials of
/// the others share one table (each row's detail names its signature).
pub const SIGNATURE_TABLES: usize = 100;

/// Shared lookups: file id -> path, and the report's days.
pub(super) struct Ctx<'a> {
    pub paths: &'a [String],
    pub days: &'a [String],
}

impl Ctx<'_> {
    /// `path:line` of a source.
    pub fn source(&self, s: Source) -> String {
        let file = self
            .paths
            .get(s.file.0 as usize)
            .map_or("?", String::as_str);
        format!("{file}:{}", s.line)
    }

    /// A per-day map as a vector aligned to the report's days.
    pub fn align(&self, by_day: &BTreeMap<NaiveDate, u64>) -> Vec<u64> {
        let by: BTreeMap<String, u64> = by_day
            .iter()
            .map(|(d, n)| (d.format("%Y-%m-%d").to_string(), *n))
            .collect();
        self.days
            .iter()
            .map(|d| by.get(d).copied().unwrap_or(0))
            .collect()
    }

    fn series(&self, label: &str, counters: &[&Counter]) -> Series {
        let mut sum: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        for c in counters {
            for (d, n) in c.by_day() {
                *sum.entry(*d).or_default() += n;
            }
        }
        Series {
            label: label.to_string(),
            values: self.align(&sum),
        }
    }

    fn table(&self, id: &str, title: &str, l: &Listed, cols: Columns) -> FactTable {
        self.table_of(id, title, l.total(), l.omitted(), l.items(), cols)
    }

    fn table_of(
        &self,
        id: &str,
        title: &str,
        total: u64,
        omitted: u64,
        items: &[Fact],
        cols: Columns,
    ) -> FactTable {
        FactTable {
            id: id.to_string(),
            title: title.to_string(),
            total,
            omitted,
            rows: items.iter().map(|f| self.row(f, cols)).collect(),
        }
    }

    fn row(&self, f: &Fact, cols: Columns) -> FactRow {
        FactRow {
            time: format_ms(f.time_ms),
            host: f.node.clone().unwrap_or_else(|| "-".to_string()),
            cells: cols.cells(f),
            source: self.source(f.source),
        }
    }
}

pub(super) use super::columns::label;

/// A count of metric `id`, under the metric's label.
fn counted(id: &str, value: u64) -> CountRow {
    count(metrics::label(id), id, value)
}

fn count(label: &str, metric: &str, value: u64) -> CountRow {
    CountRow {
        label: label.to_string(),
        metric: metric.to_string(),
        value,
    }
}

/// Top entries of an ok/fail map: most failures first, then most successes, then key.
fn top(title: &str, key: &str, map: &BTreeMap<String, OkFail>) -> TopList {
    let mut rows: Vec<TopRow> = map
        .iter()
        .map(|(k, v)| TopRow {
            key: k.clone(),
            success: v.success,
            failed: v.failed,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.failed
            .cmp(&a.failed)
            .then(b.success.cmp(&a.success))
            .then_with(|| a.key.cmp(&b.key))
    });
    rows.truncate(TOP);
    TopList {
        title: title.to_string(),
        key: key.to_string(),
        success_label: "success".into(),
        failed_label: "failed".into(),
        rows,
    }
}

/// Every section, in report order: one function per category.
pub(super) fn all(s: &Summary, c: &Ctx<'_>) -> Vec<Section> {
    let m = s.metrics();
    let metric = |id: &str| m.get(id).copied().unwrap_or(0);
    vec![
        accounts(s, c, &metric),
        logins(s, c, &metric),
        credentials(s, c, &metric),
        privilege(s, c, &metric),
        mac(s, c, &metric),
        daemon(s, c, &metric),
        config(s, c, &metric),
        watches(s, c, &metric),
        anomalies(s, c, &metric),
    ]
}

/// Accounts and groups: changes by kind, per day, and each list.
fn accounts(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let a = s.accounts();
    Section {
        id: "accounts".into(),
        columns: Columns::People.columns(),
        title: "Accounts and groups".into(),
        csv: "accounts.csv".into(),
        counts: [
            "accounts.created",
            "accounts.deleted",
            "accounts.modified",
            "groups.created",
            "groups.deleted",
        ]
        .iter()
        .map(|id| counted(id, metric(id)))
        .chain([count("Failed account changes", "", a.failed().total())])
        .collect(),
        series: vec![c.series(
            "account and group changes per day",
            &[
                a.created().count(),
                a.deleted().count(),
                a.modified().count(),
                a.groups_created().count(),
                a.groups_deleted().count(),
                a.groups_modified().count(),
                a.roles().count(),
            ],
        )],
        top: Vec::new(),
        tables: vec![
            c.table(
                "accounts.created",
                "Accounts created",
                a.created(),
                Columns::People,
            ),
            c.table(
                "accounts.deleted",
                "Accounts deleted",
                a.deleted(),
                Columns::People,
            ),
            c.table(
                "accounts.modified",
                "Accounts modified",
                a.modified(),
                Columns::People,
            ),
            c.table(
                "groups.created",
                "Groups created",
                a.groups_created(),
                Columns::People,
            ),
            c.table(
                "groups.deleted",
                "Groups deleted",
                a.groups_deleted(),
                Columns::People,
            ),
            c.table(
                "groups.modified",
                "Groups modified",
                a.groups_modified(),
                Columns::People,
            ),
            c.table(
                "accounts.roles",
                "Role mappings",
                a.roles(),
                Columns::People,
            ),
            c.table(
                "accounts.failed",
                "Failed account changes",
                a.failed(),
                Columns::People,
            ),
            c.table(
                "accounts.anomalies",
                "Account anomalies",
                a.anomalies(),
                Columns::People,
            ),
        ],
    }
}

/// Logins and authentication: counts, per day, top accounts and origins, and the lists.
fn logins(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let l = s.logins();
    Section {
        id: "logins".into(),
        columns: Columns::People.columns(),
        title: "Logins and authentication".into(),
        csv: "logins.csv".into(),
        counts: [
            "logins.success",
            "logins.failed",
            "logins.invalid_user",
            "auth.success",
            "auth.failed",
            "logins.lockouts",
        ]
        .iter()
        .map(|id| counted(id, metric(id)))
        .collect(),
        series: vec![
            c.series("successful logins per day", &[l.logins().count()]),
            c.series(
                "failed logins and authentications per day",
                &[l.failed_logins().count(), l.failed_auths().count()],
            ),
        ],
        top: vec![
            top(
                "Logins by account",
                "account",
                l.login_breakdown().by_account(),
            ),
            top(
                "Logins by origin",
                "origin",
                l.login_breakdown().by_origin(),
            ),
            top(
                "Authentications by account",
                "account",
                l.auth_breakdown().by_account(),
            ),
        ],
        tables: vec![
            c.table(
                "logins.failed",
                "Failed logins",
                l.failed_logins(),
                Columns::People,
            ),
            c.table(
                "auth.failed",
                "Failed authentications",
                l.failed_auths(),
                Columns::People,
            ),
            c.table("logins.lockouts", "Lockouts", l.lockouts(), Columns::People),
            c.table(
                "auth.account_denied",
                "Account checks denied",
                l.account_denied(),
                Columns::People,
            ),
            c.table(
                "logins.anomalies",
                "Login anomalies",
                l.anomalies(),
                Columns::People,
            ),
            c.table(
                "logins.success",
                "Successful logins",
                l.logins(),
                Columns::People,
            ),
        ],
    }
}

/// Credentials: password changes and failed credential changes.
fn credentials(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let cr = s.credentials();
    Section {
        id: "credentials".into(),
        columns: Columns::People.columns(),
        title: "Credentials".into(),
        csv: "credentials.csv".into(),
        counts: vec![
            counted(
                "credentials.password_changes",
                metric("credentials.password_changes"),
            ),
            count("Failed credential changes", "", cr.failed().total()),
        ],
        series: vec![c.series(
            "credential changes per day",
            &[cr.password_changes().count(), cr.failed().count()],
        )],
        top: Vec::new(),
        tables: vec![
            c.table(
                "credentials.password_changes",
                "Password changes",
                cr.password_changes(),
                Columns::People,
            ),
            c.table(
                "credentials.failed",
                "Failed credential changes",
                cr.failed(),
                Columns::People,
            ),
        ],
    }
}

/// Privilege use: commands, failures, sessions, commands by actor.
fn privilege(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let p = s.privilege();
    Section {
        id: "privilege".into(),
        columns: Columns::People.columns(),
        title: "Privilege use".into(),
        csv: "privilege.csv".into(),
        counts: vec![
            counted("privilege.commands", metric("privilege.commands")),
            counted("privilege.failed", metric("privilege.failed")),
            count("Identity changes", "", p.identity_changes().total()),
            count("Privileged sessions", "", p.sessions().total()),
        ],
        series: vec![c.series("privileged commands per day", &[p.commands().count()])],
        top: vec![top("Commands by actor", "actor", p.commands_by_actor())],
        tables: vec![
            c.table(
                "privilege.commands",
                "Privileged commands",
                p.commands(),
                Columns::People,
            ),
            c.table(
                "privilege.failed_other",
                "Failed privilege use",
                p.failed_other(),
                Columns::People,
            ),
            c.table(
                "privilege.identity_changes",
                "Identity changes",
                p.identity_changes(),
                Columns::People,
            ),
            c.table(
                "privilege.sessions",
                "Privileged sessions",
                p.sessions(),
                Columns::People,
            ),
        ],
    }
}

/// The audit daemon and the audit configuration: lifecycle, configuration changes, lost
/// events, serial gaps, silences.
fn daemon(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let d = s.daemon();
    Section {
        id: "daemon".into(),
        columns: Columns::Daemon.columns(),
        title: "Audit daemon and audit configuration".into(),
        csv: "daemon.csv".into(),
        counts: [
            "daemon.starts",
            "daemon.stops",
            "daemon.aborts",
            "audit.config_changes",
            "audit.lost_events",
            "audit.serial_gaps",
            "audit.silences",
        ]
        .iter()
        .map(|id| counted(id, metric(id)))
        .collect(),
        series: vec![c.series(
            "audit configuration changes per day",
            &[d.audit_config().count()],
        )],
        top: Vec::new(),
        tables: vec![
            c.table(
                "daemon.lifecycle",
                "auditd lifecycle",
                d.lifecycle(),
                Columns::Daemon,
            ),
            c.table(
                "audit.config_changes",
                "Audit configuration changes",
                d.audit_config(),
                Columns::Daemon,
            ),
            c.table(
                "daemon.system",
                "System start and stop",
                d.system(),
                Columns::Daemon,
            ),
        ],
    }
}

/// System configuration: time changes, kernel modules, software, firewall, other.
fn config(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let g = s.config();
    Section {
        id: "config".into(),
        columns: Columns::Config.columns(),
        title: "System configuration".into(),
        csv: "config.csv".into(),
        counts: vec![
            counted("config.time_changes", metric("config.time_changes")),
            count("Kernel modules", "", g.kernel_modules().total()),
            count("Software changes", "", g.software().total()),
            count("Firewall changes", "", g.netfilter().total()),
        ],
        series: vec![c.series(
            "configuration changes per day",
            &[
                g.time_changes().count(),
                g.kernel_modules().count(),
                g.software().count(),
                g.netfilter().count(),
                g.other().count(),
            ],
        )],
        top: Vec::new(),
        tables: vec![
            c.table(
                "config.time_changes",
                "Time changes",
                g.time_changes(),
                Columns::Config,
            ),
            c.table(
                "config.kernel_modules",
                "Kernel modules",
                g.kernel_modules(),
                Columns::Config,
            ),
            c.table(
                "config.software",
                "Software changes",
                g.software(),
                Columns::Config,
            ),
            c.table(
                "config.netfilter",
                "Firewall changes",
                g.netfilter(),
                Columns::Config,
            ),
            c.table("config.other", "Other changes", g.other(), Columns::Config),
        ],
    }
}

/// Anomalies, the responses to them, and seccomp events.
fn anomalies(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let n = s.anomalies();
    Section {
        id: "anomalies".into(),
        columns: Columns::Anomalies.columns(),
        title: "Anomalies".into(),
        csv: "anomalies.csv".into(),
        counts: vec![
            counted("anomalies", metric("anomalies")),
            count("Responses", "", n.responses().total()),
            count("Seccomp", "", n.seccomp().total()),
        ],
        series: vec![c.series(
            "anomalies per day",
            &[n.anomalies().count(), n.seccomp().count()],
        )],
        top: Vec::new(),
        tables: vec![
            c.table("anomalies", "Anomalies", n.anomalies(), Columns::Anomalies),
            c.table(
                "anomalies.responses",
                "Responses",
                n.responses(),
                Columns::Anomalies,
            ),
            c.table(
                "anomalies.seccomp",
                "Seccomp",
                n.seccomp(),
                Columns::Anomalies,
            ),
        ],
    }
}

fn mac(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let m = s.mac();
    let mut sigs: Vec<(&String, u64, u64)> = m
        .signatures()
        .iter()
        .map(|(k, g)| (k, g.count().total(), g.permissive()))
        .collect();
    sigs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let own: std::collections::BTreeSet<&String> =
        sigs.iter().take(SIGNATURE_TABLES).map(|x| x.0).collect();
    let mut tables: Vec<FactTable> = m
        .signatures()
        .iter()
        .filter(|(sig, _)| own.contains(sig))
        .map(|(sig, g)| {
            c.table_of(
                &format!("mac.{sig}"),
                &format!("Denials {sig}"),
                g.count().total(),
                g.omitted(),
                g.items(),
                Columns::People,
            )
        })
        .collect();
    if sigs.len() > SIGNATURE_TABLES {
        tables.push(other_signatures(m, &own, c));
    }
    tables.extend([
        c.table("mac.errors", "LSM errors", m.errors(), Columns::People),
        c.table(
            "mac.config",
            "MAC configuration changes",
            m.config(),
            Columns::People,
        ),
    ]);
    Section {
        id: "mac".into(),
        columns: Columns::People.columns(),
        title: "SELinux and AppArmor".into(),
        csv: "mac-denials.csv".into(),
        counts: vec![
            counted("mac.denials", metric("mac.denials")),
            count("Enforced", "", m.enforced().total()),
            count("Permissive", "", m.permissive().total()),
            count("Signatures", "", metric("mac.signatures")),
        ],
        series: vec![c.series("denials per day", &[m.denials()])],
        top: vec![TopList {
            title: "Denial signatures".into(),
            key: "signature".into(),
            success_label: "denials".into(),
            failed_label: "permissive".into(),
            rows: sigs
                .into_iter()
                .take(TOP)
                .map(|(k, n, p)| TopRow {
                    key: k.clone(),
                    success: n,
                    failed: p,
                })
                .collect(),
        }],
        tables,
    }
}

/// One table for the denials of every signature without its own table, in input order.
fn other_signatures(
    m: &crate::aggregate::mac::Mac,
    own: &std::collections::BTreeSet<&String>,
    c: &Ctx<'_>,
) -> FactTable {
    let rest: Vec<_> = m
        .signatures()
        .iter()
        .filter(|(sig, _)| !own.contains(sig))
        .collect();
    let mut items: Vec<&Fact> = rest.iter().flat_map(|(_, g)| g.items()).collect();
    items.sort_by_key(|f| f.source);
    let total = rest.iter().map(|(_, g)| g.count().total()).sum();
    let omitted = rest.iter().map(|(_, g)| g.omitted()).sum();
    FactTable {
        id: "mac.other-signatures".into(),
        title: format!(
            "Denials of the {} other signatures (each row names its signature)",
            rest.len()
        ),
        total,
        omitted,
        rows: items
            .into_iter()
            .map(|f| c.row(f, Columns::People))
            .collect(),
    }
}

/// Watched files and system calls: the keyed kernel events by key, meaning and host, the
/// population, and the lists the file rules read.
fn watches(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let w = s.watches();
    let by_key = |k: &str, g: &crate::aggregate::watches::Group| TopRow {
        key: k.to_string(),
        success: g.events,
        failed: g.failed,
    };
    let mut keys: Vec<TopRow> = w
        .by_key()
        .items()
        .iter()
        .map(|(k, st)| {
            let label = match &st.meaning {
                Some(m) => format!("{k} ({m})"),
                None => k.clone(),
            };
            by_key(&label, &st.group)
        })
        .collect();
    if let Some(o) = w.by_key().overflow() {
        keys.push(by_key(
            &format!("(keys past the first {} by name)", o.limit),
            &o.other.group,
        ));
    }
    let meanings: Vec<TopRow> = w.by_meaning().iter().map(|(m, g)| by_key(m, g)).collect();
    let mut hosts: Vec<TopRow> = w
        .by_host()
        .items()
        .iter()
        .map(|(h, x)| by_key(h, &x.group))
        .collect();
    if let Some(o) = w.by_host().overflow() {
        hosts.push(by_key(
            &format!("(hosts past the first {} by name)", o.limit),
            &o.other.group,
        ));
    }
    let ranked = |title: &str, key: &str, mut rows: Vec<TopRow>| {
        rows.sort_by(|a, b| b.success.cmp(&a.success).then_with(|| a.key.cmp(&b.key)));
        rows.truncate(TOP);
        TopList {
            title: title.to_string(),
            key: key.to_string(),
            success_label: "events".into(),
            failed_label: "failed".into(),
            rows,
        }
    };
    let pop = w.population();
    let cols = Columns::Watches;
    Section {
        id: "watches".into(),
        columns: cols.columns(),
        title: "Watched files and system calls".into(),
        csv: "watches.csv".into(),
        counts: [
            "watches.events",
            "watches.failed",
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
            "watches.keyless",
        ]
        .iter()
        .map(|id| counted(id, metric(id)))
        .collect(),
        series: vec![c.series("keyed events per day", &[w.events()])],
        top: vec![
            ranked("Events by rule key (meaning)", "key", keys),
            ranked("Events by meaning", "meaning", meanings),
            ranked("Keyed events by host", "host", hosts),
        ],
        tables: vec![
            c.table("watches.identity", "Identity files", w.identity(), cols),
            c.table("watches.sudoers", "Sudoers", w.privilege_config(), cols),
            c.table("watches.audit_log", "Audit logs", w.audit_log(), cols),
            c.table(
                "watches.denied_sensitive",
                "Denied access to sensitive files",
                w.denied_sensitive(),
                cols,
            ),
            c.table("watches.modules", "Kernel module events", w.modules(), cols),
            c.table_of(
                "watches.events",
                "All keyed events",
                w.events().total(),
                pop.omitted(),
                pop.items(),
                cols,
            ),
        ],
    }
}
