//! The category sections of the report: which lists of the summary become which tables,
//! counts, top lists and per-day series. Kept apart from the model so the choice of what
//! an auditor sees per category is in one place.

use super::{CountRow, FactRow, FactTable, Section, Series, TopList, TopRow};
use crate::aggregate::{Counter, Listed, OkFail, Summary};
use crate::classify::{Detail, Fact};
use crate::model::{format_ms, Source};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Rows per top list.
const TOP: usize = 10;

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

    fn table(&self, id: &str, title: &str, l: &Listed) -> FactTable {
        self.table_of(id, title, l.total(), l.omitted(), l.items())
    }

    fn table_of(
        &self,
        id: &str,
        title: &str,
        total: u64,
        omitted: u64,
        items: &[Fact],
    ) -> FactTable {
        FactTable {
            id: id.to_string(),
            title: title.to_string(),
            total,
            omitted,
            rows: items.iter().map(|f| self.row(f)).collect(),
        }
    }

    fn row(&self, f: &Fact) -> FactRow {
        FactRow {
            time: format_ms(f.time_ms),
            host: f.node.clone().unwrap_or_else(|| "-".to_string()),
            actor: f.auid_name().to_string(),
            action: f.op.clone().unwrap_or_else(|| label(&f.kind)),
            target: f.target_name().to_string(),
            result: label(&f.result),
            detail: detail(&f.detail),
            exe: f.exe.clone().unwrap_or_default(),
            origin: f.origin().unwrap_or_default().to_string(),
            source: self.source(f.source),
        }
    }
}

/// The serde name of a unit enum (`user-added`).
pub(super) fn label<T: Serialize>(k: &T) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn opt(parts: &[(&str, &Option<String>)]) -> String {
    parts
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref().map(|v| {
                if k.is_empty() {
                    v.clone()
                } else {
                    format!("{k}={v}")
                }
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One line of kind-specific detail.
fn detail(d: &Detail) -> String {
    match d {
        Detail::None => String::new(),
        Detail::Account { group } => opt(&[("group", group)]),
        Detail::Login {
            invalid_user,
            grantors,
            ..
        } => {
            let mut s = opt(&[("grantors", grantors)]);
            if *invalid_user {
                s.insert_str(
                    0,
                    if s.is_empty() {
                        "invalid user"
                    } else {
                        "invalid user "
                    },
                );
            }
            s
        }
        Detail::Command { command, cwd } => opt(&[("", command), ("cwd", cwd)]),
        Detail::Denial(x) => {
            let mut s = x.signature.clone();
            if let Some(n) = &x.name {
                s += &format!(" name={n}");
            }
            if x.permissive == Some(true) {
                s += " (permissive)";
            }
            s
        }
        Detail::Rule {
            action,
            key,
            list,
            path,
        } => format!(
            "{action} {}",
            opt(&[("key", key), ("list", list), ("path", path)])
        )
        .trim_end()
        .to_string(),
        Detail::Setting { name, value, old } => format!(
            "{name}: {} -> {}",
            old.as_deref().unwrap_or("?"),
            value.as_deref().unwrap_or("?")
        ),
        Detail::Lost { lost } => format!("lost {lost}"),
        Detail::Service { unit } => opt(&[("", unit)]),
        Detail::Daemon {
            version,
            format,
            state,
        } => opt(&[("ver", version), ("format", format), ("state", state)]),
        Detail::Time {
            key,
            syscall,
            changes,
        } => {
            let mut s = opt(&[("key", key), ("syscall", syscall)]);
            for c in changes {
                if !s.is_empty() {
                    s.push(' ');
                }
                s += c;
            }
            s
        }
        Detail::Module { name, key } => opt(&[("", name), ("key", key)]),
        Detail::Software { package, kind } => opt(&[("", package), ("type", kind)]),
        Detail::Anomaly {
            comm,
            signal,
            reason,
        } => opt(&[("comm", comm), ("sig", signal), ("", reason)]),
        Detail::Role { context } => opt(&[("", context)]),
        Detail::Watch(w) => format!("key={} {}", w.keys.join(","), w.object_text()),
    }
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

/// Every section, in report order.
pub(super) fn all(s: &Summary, c: &Ctx<'_>) -> Vec<Section> {
    let m = s.metrics();
    let metric = |id: &str| m.get(id).copied().unwrap_or(0);
    let mut out = Vec::new();

    let a = s.accounts();
    out.push(Section {
        id: "accounts".into(),
        title: "Accounts and groups".into(),
        csv: "accounts.csv".into(),
        counts: [
            ("Accounts created", "accounts.created"),
            ("Accounts deleted", "accounts.deleted"),
            ("Accounts modified", "accounts.modified"),
            ("Groups created", "groups.created"),
            ("Groups deleted", "groups.deleted"),
        ]
        .iter()
        .map(|(l, id)| count(l, id, metric(id)))
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
            c.table("accounts.created", "Accounts created", a.created()),
            c.table("accounts.deleted", "Accounts deleted", a.deleted()),
            c.table("accounts.modified", "Accounts modified", a.modified()),
            c.table("groups.created", "Groups created", a.groups_created()),
            c.table("groups.deleted", "Groups deleted", a.groups_deleted()),
            c.table("groups.modified", "Groups modified", a.groups_modified()),
            c.table("accounts.roles", "Role mappings", a.roles()),
            c.table("accounts.failed", "Failed account changes", a.failed()),
            c.table("accounts.anomalies", "Account anomalies", a.anomalies()),
        ],
    });

    let l = s.logins();
    out.push(Section {
        id: "logins".into(),
        title: "Logins and authentication".into(),
        csv: "logins.csv".into(),
        counts: [
            ("Successful logins", "logins.success"),
            ("Failed logins", "logins.failed"),
            ("Attempts on unknown users", "logins.invalid_user"),
            ("Successful authentications", "auth.success"),
            ("Failed authentications", "auth.failed"),
            ("Lockouts", "logins.lockouts"),
        ]
        .iter()
        .map(|(lb, id)| count(lb, id, metric(id)))
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
            c.table("logins.failed", "Failed logins", l.failed_logins()),
            c.table("auth.failed", "Failed authentications", l.failed_auths()),
            c.table("logins.lockouts", "Lockouts", l.lockouts()),
            c.table(
                "auth.account_denied",
                "Account checks denied",
                l.account_denied(),
            ),
            c.table("logins.anomalies", "Login anomalies", l.anomalies()),
            c.table("logins.success", "Successful logins", l.logins()),
        ],
    });

    let cr = s.credentials();
    out.push(Section {
        id: "credentials".into(),
        title: "Credentials".into(),
        csv: "credentials.csv".into(),
        counts: vec![
            count(
                "Password changes",
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
            ),
            c.table(
                "credentials.failed",
                "Failed credential changes",
                cr.failed(),
            ),
        ],
    });

    let p = s.privilege();
    out.push(Section {
        id: "privilege".into(),
        title: "Privilege use".into(),
        csv: "privilege.csv".into(),
        counts: vec![
            count(
                "Privileged commands",
                "privilege.commands",
                metric("privilege.commands"),
            ),
            count(
                "Failed privilege use",
                "privilege.failed",
                metric("privilege.failed"),
            ),
            count("Identity changes", "", p.identity_changes().total()),
            count("Privileged sessions", "", p.sessions().total()),
        ],
        series: vec![c.series("privileged commands per day", &[p.commands().count()])],
        top: vec![top("Commands by actor", "actor", p.commands_by_actor())],
        tables: vec![
            c.table("privilege.commands", "Privileged commands", p.commands()),
            c.table(
                "privilege.failed_other",
                "Failed privilege use",
                p.failed_other(),
            ),
            c.table(
                "privilege.identity_changes",
                "Identity changes",
                p.identity_changes(),
            ),
            c.table("privilege.sessions", "Privileged sessions", p.sessions()),
        ],
    });

    out.push(mac(s, c, &metric));

    let d = s.daemon();
    out.push(Section {
        id: "daemon".into(),
        title: "Audit daemon and audit configuration".into(),
        csv: "daemon.csv".into(),
        counts: [
            ("auditd starts", "daemon.starts"),
            ("auditd stops", "daemon.stops"),
            ("auditd aborts", "daemon.aborts"),
            ("Audit configuration changes", "audit.config_changes"),
            ("Lost events", "audit.lost_events"),
            ("Serial gaps", "audit.serial_gaps"),
            ("Silences", "audit.silences"),
        ]
        .iter()
        .map(|(lb, id)| count(lb, id, metric(id)))
        .collect(),
        series: vec![c.series(
            "audit configuration changes per day",
            &[d.audit_config().count()],
        )],
        top: Vec::new(),
        tables: vec![
            c.table("daemon.lifecycle", "auditd lifecycle", d.lifecycle()),
            c.table(
                "audit.config_changes",
                "Audit configuration changes",
                d.audit_config(),
            ),
            c.table("daemon.system", "System start and stop", d.system()),
        ],
    });

    let g = s.config();
    out.push(Section {
        id: "config".into(),
        title: "System configuration".into(),
        csv: "config.csv".into(),
        counts: vec![
            count(
                "Time changes",
                "config.time_changes",
                metric("config.time_changes"),
            ),
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
            c.table("config.time_changes", "Time changes", g.time_changes()),
            c.table(
                "config.kernel_modules",
                "Kernel modules",
                g.kernel_modules(),
            ),
            c.table("config.software", "Software changes", g.software()),
            c.table("config.netfilter", "Firewall changes", g.netfilter()),
            c.table("config.other", "Other changes", g.other()),
        ],
    });

    let n = s.anomalies();
    out.push(Section {
        id: "anomalies".into(),
        title: "Anomalies".into(),
        csv: "anomalies.csv".into(),
        counts: vec![
            count("Anomalies", "anomalies", metric("anomalies")),
            count("Responses", "", n.responses().total()),
            count("Seccomp", "", n.seccomp().total()),
        ],
        series: vec![c.series(
            "anomalies per day",
            &[n.anomalies().count(), n.seccomp().count()],
        )],
        top: Vec::new(),
        tables: vec![
            c.table("anomalies", "Anomalies", n.anomalies()),
            c.table("anomalies.responses", "Responses", n.responses()),
            c.table("anomalies.seccomp", "Seccomp", n.seccomp()),
        ],
    });
    out
}

fn mac(s: &Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section {
    let m = s.mac();
    let mut sigs: Vec<(&String, u64, u64)> = m
        .signatures()
        .iter()
        .map(|(k, g)| (k, g.count().total(), g.permissive()))
        .collect();
    sigs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let tables = m
        .signatures()
        .iter()
        .map(|(sig, g)| {
            c.table_of(
                &format!("mac.{sig}"),
                &format!("Denials {sig}"),
                g.count().total(),
                g.omitted(),
                g.items(),
            )
        })
        .chain([
            c.table("mac.errors", "LSM errors", m.errors()),
            c.table("mac.config", "MAC configuration changes", m.config()),
        ])
        .collect();
    Section {
        id: "mac".into(),
        title: "SELinux and AppArmor".into(),
        csv: "mac-denials.csv".into(),
        counts: vec![
            count("Denials", "mac.denials", metric("mac.denials")),
            count("Enforced", "", m.enforced().total()),
            count("Permissive", "", m.permissive().total()),
            count("Signatures", "", m.signatures().len() as u64),
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
