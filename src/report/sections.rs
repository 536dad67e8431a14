//! The category sections of the report: which lists of the summary become which tables,
//! counts, top lists and per-day series. Kept apart from the model so the choice of what
//! an auditor sees per category is in one place: each function also builds the category's
//! brief view, what `summary`'s terminal text shows of it ([`super::brief`]).

use super::brief::{Brief, Part, View};
use super::columns::Columns;
use super::rows::{Citing, FactRows};
use super::{CountRow, FactRow, FactTable, Section, Series, TopList, TopRow};
use crate::aggregate::{metrics, Counter, Listed, OkFail, Summary};
use crate::classify::Fact;
use crate::model::Source;
use chrono::NaiveDate;
use std::collections::BTreeMap;

mod watches;
use watches::watches;

/// Rows per top list.
const TOP: usize = 10;

/// Most denial signatures with a table of their own (the most frequent); the denials of
/// the others share one table (each row's detail names its signature).
pub const SIGNATURE_TABLES: usize = 100;

/// Shared lookups: how sources are cited, the report's days, and the rows kept per list.
pub(super) struct Ctx<'a> {
    /// File id -> path, and whether sources are cited `host:file:line` (a report from
    /// summaries, whose hosts' logs may share a path), else `file:line`.
    pub cite: Citing,
    pub days: &'a [String],
    /// `None` for the report: every row in the tables, none in the brief views (its
    /// formats show the whole sections); `Some(n)` for the terminal: the first `n` of each
    /// list in the brief views, none in the tables (it shows only the brief views).
    pub rows: Option<usize>,
}

impl Ctx<'_> {
    /// Most rows of a list in a table.
    fn table_rows(&self) -> usize {
        match self.rows {
            None => usize::MAX,
            Some(_) => 0,
        }
    }

    /// Most rows of a list in a brief view.
    pub(super) fn brief_rows(&self) -> usize {
        self.rows.unwrap_or(0)
    }

    /// `path:line` of a source.
    pub fn source(&self, s: Source) -> String {
        self.cite.source(s)
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

    fn table<'s>(&self, id: &str, title: &str, l: &'s Listed, cols: Columns) -> FactTable<'s> {
        self.table_of(id, title, l.total(), l.omitted(), l.items(), cols)
    }

    /// A table of `items` (its rows made as they are written: [`FactRows`]).
    fn table_of<'s>(
        &self,
        id: &str,
        title: &str,
        total: u64,
        omitted: u64,
        items: &'s [Fact],
        cols: Columns,
    ) -> FactTable<'s> {
        let shown = items.get(..self.table_rows()).unwrap_or(items);
        FactTable {
            id: id.to_string(),
            title: title.to_string(),
            total,
            omitted,
            rows: FactRows::listed(shown, cols, &self.cite),
        }
    }

    /// `f`'s time, host and `file:line` with `cells`.
    pub(super) fn row_with(&self, f: &Fact, cells: Vec<String>) -> FactRow {
        self.cite.row(f, cells)
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

/// Top entries of an ok/fail map ([`ranked`]).
fn top(title: &str, key: &str, map: &BTreeMap<String, OkFail>) -> TopList {
    let mut rows = ranked(map);
    rows.truncate(TOP);
    TopList {
        title: title.to_string(),
        key: key.to_string(),
        success_label: "success".into(),
        failed_label: "failed".into(),
        rows,
    }
}

/// Every entry of an ok/fail map: most failures first, then most successes, then key.
pub(super) fn ranked(map: &BTreeMap<String, OkFail>) -> Vec<TopRow> {
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
    rows
}

/// Every section, in report order: one function per category.
pub(super) fn all<'s>(s: &'s Summary, c: &Ctx<'_>) -> Vec<Section<'s>> {
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

/// `(id, title, list)` as tables with `cols`.
fn tables<'s>(
    c: &Ctx<'_>,
    cols: Columns,
    lists: &[(&str, &str, &'s Listed)],
) -> Vec<FactTable<'s>> {
    lists
        .iter()
        .map(|(id, title, l)| c.table(id, title, l, cols))
        .collect()
}

/// Accounts and groups: changes by kind, per day, and each list.
fn accounts<'s>(s: &'s Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section<'s> {
    let a = s.accounts();
    let title = "Accounts and groups";
    Section {
        id: "accounts".into(),
        columns: Columns::People.columns(),
        title: title.into(),
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
        tables: tables(
            c,
            Columns::People,
            &[
                ("accounts.created", "Accounts created", a.created()),
                ("accounts.deleted", "Accounts deleted", a.deleted()),
                ("accounts.modified", "Accounts modified", a.modified()),
                ("groups.created", "Groups created", a.groups_created()),
                ("groups.deleted", "Groups deleted", a.groups_deleted()),
                ("groups.modified", "Groups modified", a.groups_modified()),
                ("accounts.roles", "Role mappings", a.roles()),
                ("accounts.failed", "Failed account changes", a.failed()),
                ("accounts.anomalies", "Account anomalies", a.anomalies()),
            ],
        ),
        brief: Some(Brief {
            title: title.into(),
            parts: [
                ("Accounts created", a.created()),
                ("Accounts deleted", a.deleted()),
                ("Accounts modified", a.modified()),
                ("Groups created", a.groups_created()),
                ("Groups deleted", a.groups_deleted()),
                ("Groups modified", a.groups_modified()),
                ("Failed account changes", a.failed()),
            ]
            .iter()
            .map(|(title, l)| c.facts(title, l, View::People))
            .collect(),
        }),
    }
}

/// Logins and authentication: counts, per day, top accounts and origins, and the lists.
fn logins<'s>(s: &'s Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section<'s> {
    let l = s.logins();
    let title = "Logins and authentication";
    Section {
        id: "logins".into(),
        columns: Columns::People.columns(),
        title: title.into(),
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
        tables: tables(
            c,
            Columns::People,
            &[
                ("logins.failed", "Failed logins", l.failed_logins()),
                ("auth.failed", "Failed authentications", l.failed_auths()),
                ("logins.lockouts", "Lockouts", l.lockouts()),
                (
                    "auth.account_denied",
                    "Account checks denied",
                    l.account_denied(),
                ),
                ("logins.anomalies", "Login anomalies", l.anomalies()),
                ("logins.success", "Successful logins", l.logins()),
            ],
        ),
        brief: Some(Brief {
            title: title.into(),
            parts: vec![
                Part::Note(format!(
                    "logins {} ok / {} failed; authentications {} ok / {} failed; \
                     invalid-user attempts {}; sessions {}",
                    l.logins().total(),
                    l.failed_logins().total(),
                    l.auths().total(),
                    l.failed_auths().total(),
                    l.invalid_user().total(),
                    l.sessions().total()
                )),
                c.ok_fail("Authentication by account", l.auth_breakdown().by_account()),
                c.ok_fail("Authentication by origin", l.auth_breakdown().by_origin()),
                c.ok_fail("Logins by account", l.login_breakdown().by_account()),
                c.facts("Failed logins", l.failed_logins(), View::People),
                c.facts("Lockouts", l.lockouts(), View::People),
            ],
        }),
    }
}

/// Credentials: password changes and failed credential changes.
fn credentials<'s>(s: &'s Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section<'s> {
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
        tables: tables(
            c,
            Columns::People,
            &[
                (
                    "credentials.password_changes",
                    "Password changes",
                    cr.password_changes(),
                ),
                (
                    "credentials.failed",
                    "Failed credential changes",
                    cr.failed(),
                ),
            ],
        ),
        brief: Some(Brief {
            title: "Credentials".into(),
            parts: vec![
                c.facts(
                    "Password changes",
                    cr.password_changes(),
                    View::Brief(Columns::People),
                ),
                c.facts(
                    "Failed credential changes",
                    cr.failed(),
                    View::Brief(Columns::People),
                ),
            ],
        }),
    }
}

/// Privilege use: commands, failures, sessions, commands by actor.
fn privilege<'s>(s: &'s Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section<'s> {
    let p = s.privilege();
    let title = "Privilege use";
    Section {
        id: "privilege".into(),
        columns: Columns::People.columns(),
        title: title.into(),
        csv: "privilege.csv".into(),
        counts: vec![
            counted("privilege.commands", metric("privilege.commands")),
            counted("privilege.failed", metric("privilege.failed")),
            count("Identity changes", "", p.identity_changes().total()),
            count("Privileged sessions", "", p.sessions().total()),
        ],
        series: vec![c.series("privileged commands per day", &[p.commands().count()])],
        top: vec![top("Commands by actor", "actor", p.commands_by_actor())],
        tables: tables(
            c,
            Columns::People,
            &[
                ("privilege.commands", "Privileged commands", p.commands()),
                (
                    "privilege.failed_other",
                    "Failed privilege use",
                    p.failed_other(),
                ),
                (
                    "privilege.identity_changes",
                    "Identity changes",
                    p.identity_changes(),
                ),
                ("privilege.sessions", "Privileged sessions", p.sessions()),
            ],
        ),
        brief: Some(Brief {
            title: title.into(),
            parts: vec![
                c.commands(p.commands(), p.failed().total()),
                c.facts("su/sudo sessions", p.sessions(), View::People),
            ],
        }),
    }
}

/// The audit daemon and the audit configuration: lifecycle, configuration changes, lost
/// events, serial gaps, silences.
fn daemon<'s>(s: &'s Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section<'s> {
    let d = s.daemon();
    let title = "Audit daemon and audit configuration";
    let cols = Columns::Daemon;
    Section {
        id: "daemon".into(),
        columns: cols.columns(),
        title: title.into(),
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
        tables: tables(
            c,
            cols,
            &[
                ("daemon.lifecycle", "auditd lifecycle", d.lifecycle()),
                (
                    "audit.config_changes",
                    "Audit configuration changes",
                    d.audit_config(),
                ),
                ("daemon.system", "System start and stop", d.system()),
            ],
        ),
        brief: Some(Brief {
            title: title.into(),
            parts: vec![
                c.facts("auditd lifecycle", d.lifecycle(), View::Brief(cols)),
                c.facts(
                    "Audit configuration changes",
                    d.audit_config(),
                    View::Brief(cols),
                ),
                Part::Count("Events lost by the kernel (lost=)".into(), d.lost_events()),
            ],
        }),
    }
}

/// System configuration: time changes, kernel modules, software, firewall, other.
fn config<'s>(s: &'s Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section<'s> {
    let g = s.config();
    let title = "System configuration";
    let cols = Columns::Config;
    Section {
        id: "config".into(),
        columns: cols.columns(),
        title: title.into(),
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
        tables: tables(
            c,
            cols,
            &[
                ("config.time_changes", "Time changes", g.time_changes()),
                (
                    "config.kernel_modules",
                    "Kernel modules",
                    g.kernel_modules(),
                ),
                ("config.software", "Software changes", g.software()),
                ("config.netfilter", "Firewall changes", g.netfilter()),
                ("config.other", "Other changes", g.other()),
            ],
        ),
        brief: Some(Brief {
            title: title.into(),
            parts: vec![
                c.facts(
                    "Time changes (not by a time daemon)",
                    g.time_changes(),
                    View::Brief(cols),
                ),
                Part::Note(format!(
                    "routine time-daemon adjustments: {}",
                    g.routine_time_count().total()
                )),
                c.facts("Kernel modules", g.kernel_modules(), View::Brief(cols)),
                c.facts("Software changes", g.software(), View::Brief(cols)),
                c.facts("Other configuration", g.other(), View::Brief(cols)),
            ],
        }),
    }
}

/// Anomalies, the responses to them, and seccomp events.
fn anomalies<'s>(s: &'s Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section<'s> {
    let n = s.anomalies();
    let title = "Anomalies";
    let cols = Columns::Anomalies;
    Section {
        id: "anomalies".into(),
        columns: cols.columns(),
        title: title.into(),
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
        tables: tables(
            c,
            cols,
            &[
                ("anomalies", "Anomalies", n.anomalies()),
                ("anomalies.responses", "Responses", n.responses()),
                ("anomalies.seccomp", "Seccomp", n.seccomp()),
            ],
        ),
        brief: Some(Brief {
            title: title.into(),
            parts: vec![
                c.facts("Anomalies", n.anomalies(), View::Brief(cols)),
                c.facts("Responses", n.responses(), View::Brief(cols)),
            ],
        }),
    }
}

fn mac<'s>(s: &'s Summary, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Section<'s> {
    let m = s.mac();
    let mut sigs: Vec<(&String, u64, u64)> = m
        .signatures()
        .iter()
        .map(|(k, g)| (k, g.count().total(), g.permissive()))
        .collect();
    sigs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let ranked: Vec<TopRow> = sigs
        .iter()
        .map(|(k, n, p)| TopRow {
            key: (*k).clone(),
            success: *n,
            failed: *p,
        })
        .collect();
    let own: std::collections::BTreeSet<&String> =
        sigs.iter().take(SIGNATURE_TABLES).map(|x| x.0).collect();
    let mut tables: Vec<FactTable<'s>> = m
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
    let denials = format!(
        "denials {} (enforced {}, permissive {}), {} signature(s)",
        m.denials().total(),
        m.enforced().total(),
        m.permissive().total(),
        m.signatures().len()
    );
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
            rows: ranked.iter().take(TOP).cloned().collect(),
        }],
        tables,
        brief: Some(Brief {
            title: "SELinux / AppArmor denials".into(),
            parts: vec![Part::Note(denials), c.signatures(&ranked)],
        }),
    }
}

/// One table for the denials of every signature without its own table, in input order.
fn other_signatures<'s>(
    m: &'s crate::aggregate::mac::Mac,
    own: &std::collections::BTreeSet<&String>,
    c: &Ctx<'_>,
) -> FactTable<'s> {
    let rest: Vec<_> = m
        .signatures()
        .iter()
        .filter(|(sig, _)| !own.contains(sig))
        .collect();
    let mut items: Vec<&Fact> = rest.iter().flat_map(|(_, g)| g.items()).collect();
    items.sort_by_key(|f| f.source);
    items.truncate(c.table_rows());
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
        rows: FactRows::gathered(items, Columns::People, &c.cite),
    }
}
