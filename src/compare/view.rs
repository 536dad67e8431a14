//! The parts of a summary a comparison, a trend and `--baseline` read, typed: the same
//! value whether read from a `summary.json` ([`super::load`]: serde skips every other part
//! while streaming, and each read part is checked by the shape [`super::schema`] names) or
//! taken from a [`Summary`] built just now ([`SummaryView::of`]).
//!
//! The structs follow `summary.json`'s nesting, so a field's dotted path is its key.

use super::schema;
use crate::aggregate::Summary;
use crate::classify::{Detail, Fact, Kind, Principal};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// One side of a comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SummaryView {
    /// `period`.
    pub period: PeriodView,
    /// `metrics`: metric id -> value.
    pub metrics: BTreeMap<String, u64>,
    /// `hosts`.
    pub hosts: BTreeMap<String, HostView>,
    /// `accounts`.
    pub accounts: AccountsView,
    /// `logins`.
    pub logins: LoginsView,
    /// `privilege`.
    pub privilege: PrivilegeView,
    /// `mac`.
    pub mac: MacView,
    /// `limits_reached` names `mac.signatures`: the signatures listed are not all of them.
    pub signatures_cut: bool,
}

/// `period`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeriodView {
    /// What the user asked for (`2026-09 (UTC)`).
    pub label: String,
    /// IANA zone of the per-day breakdowns (`None`: not stated).
    pub tz: Option<String>,
    /// Inclusive start, epoch ms; `None` when unbounded.
    pub start_ms: Option<i64>,
    /// Exclusive end, epoch ms; `None` when unbounded.
    pub end_ms: Option<i64>,
}

/// `hosts.NAME`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct HostView {
    /// Events.
    #[serde(default, deserialize_with = "schema::count")]
    pub events: u64,
    /// Events the kernel reported lost.
    #[serde(default, deserialize_with = "schema::count")]
    pub lost_events: u64,
    /// How many silences are listed.
    #[serde(default, deserialize_with = "schema::length")]
    pub silences: u64,
    /// Events per local day (`YYYY-MM-DD`).
    #[serde(default, deserialize_with = "schema::days")]
    pub by_day: BTreeMap<String, u64>,
}

/// `accounts`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AccountsView {
    /// `by_target`: account -> its creations and deletions.
    #[serde(default, deserialize_with = "schema::objects")]
    pub by_target: BTreeMap<String, AccountCounts>,
    /// `modified`: account modifications (group additions among them).
    #[serde(default, deserialize_with = "schema::object")]
    pub modified: FactList,
    /// `roles`: role assignments and removals.
    #[serde(default, deserialize_with = "schema::object")]
    pub roles: FactList,
}

/// `accounts.by_target.NAME`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AccountCounts {
    /// Successful creations.
    #[serde(default, deserialize_with = "schema::count")]
    pub created: u64,
    /// Successful deletions.
    #[serde(default, deserialize_with = "schema::count")]
    pub deleted: u64,
}

/// A list of facts: the first ones and how many more were counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct FactList {
    /// The facts listed, in input order.
    #[serde(default, deserialize_with = "schema::items")]
    pub items: Vec<FactView>,
    /// Facts counted but not listed.
    #[serde(default, deserialize_with = "schema::count")]
    pub omitted: u64,
}

/// One listed fact: what a grant is made of.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct FactView {
    /// `op` (`add-user-to-group`).
    #[serde(default, deserialize_with = "schema::text")]
    pub op: Option<String>,
    /// `kind` is `role-assigned` (a string, or null, like every `kind`).
    #[serde(default, rename = "kind", deserialize_with = "role_assigned")]
    pub role_assigned: bool,
    /// `node`.
    #[serde(default, deserialize_with = "schema::text")]
    pub node: Option<String>,
    /// `time_ms`.
    #[serde(default, deserialize_with = "schema::time")]
    pub time_ms: Option<i64>,
    /// `detail`: its group or role context.
    #[serde(default, deserialize_with = "schema::object")]
    pub detail: DetailView,
    /// `auid`: who acted.
    #[serde(default, deserialize_with = "schema::opt_object")]
    pub auid: Option<PrincipalView>,
    /// `target`: who it was done to.
    #[serde(default, deserialize_with = "schema::opt_object")]
    pub target: Option<PrincipalView>,
}

/// `detail` of a listed fact, the two keys grants read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct DetailView {
    /// The group of an account fact.
    #[serde(default, deserialize_with = "schema::text")]
    pub group: Option<String>,
    /// The role of a role fact.
    #[serde(default, deserialize_with = "schema::text")]
    pub context: Option<String>,
}

/// `auid` / `target` of a listed fact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PrincipalView {
    /// The numeric id.
    #[serde(default, deserialize_with = "schema::opt_count")]
    pub id: Option<u64>,
    /// The name.
    #[serde(default, deserialize_with = "schema::text")]
    pub name: Option<String>,
}

/// `logins`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct LoginsView {
    /// `login_breakdown`.
    #[serde(default, deserialize_with = "schema::object")]
    pub login_breakdown: Breakdown,
    /// `auth_breakdown`.
    #[serde(default, deserialize_with = "schema::object")]
    pub auth_breakdown: Breakdown,
    /// `logins`: successful logins.
    #[serde(default, deserialize_with = "schema::object")]
    pub logins: Listed<PerDay>,
    /// `failed_logins`.
    #[serde(default, deserialize_with = "schema::object")]
    pub failed_logins: Listed<PerHostDay>,
}

/// A breakdown: the accounts it names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Breakdown {
    /// `by_account`'s keys.
    #[serde(default, deserialize_with = "schema::keys")]
    pub by_account: BTreeSet<String>,
}

/// A listed count: its `count` (the list itself is not read).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(bound = "C: Deserialize<'de> + Default")]
pub struct Listed<C> {
    /// `count`.
    #[serde(default, deserialize_with = "schema::object")]
    pub count: C,
}

/// A count's `by_day`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PerDay {
    /// `by_day`.
    #[serde(default, deserialize_with = "schema::days")]
    pub by_day: BTreeMap<String, u64>,
}

/// A count's `by_host` and `by_day`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PerHostDay {
    /// `by_host`.
    #[serde(default, deserialize_with = "schema::count_map")]
    pub by_host: BTreeMap<String, u64>,
    /// `by_day`.
    #[serde(default, deserialize_with = "schema::days")]
    pub by_day: BTreeMap<String, u64>,
}

/// `privilege`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PrivilegeView {
    /// `commands`.
    #[serde(default, deserialize_with = "schema::object")]
    pub commands: Listed<PerDay>,
}

/// `mac`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct MacView {
    /// `signatures`' keys.
    #[serde(default, deserialize_with = "schema::keys")]
    pub signatures: BTreeSet<String>,
    /// `denials`.
    #[serde(default, deserialize_with = "schema::object")]
    pub denials: PerDay,
}

fn role_assigned<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(schema::text(d)?.as_deref() == Some("role-assigned"))
}

fn days(m: &BTreeMap<chrono::NaiveDate, u64>) -> BTreeMap<String, u64> {
    m.iter().map(|(d, &n)| (d.to_string(), n)).collect()
}

fn per_day(c: &crate::aggregate::Counter) -> Listed<PerDay> {
    Listed {
        count: PerDay {
            by_day: days(c.by_day()),
        },
    }
}

impl PrincipalView {
    fn of(p: &Principal) -> Self {
        PrincipalView {
            id: p.id.map(u64::from),
            name: Some(p.name.to_string()),
        }
    }
}

impl FactView {
    fn of(f: &Fact) -> Self {
        let (group, context) = match &f.detail {
            Detail::Account { group } => (group.clone(), None),
            Detail::Role { context } => (None, context.clone()),
            _ => (None, None),
        };
        FactView {
            op: f.op.as_deref().map(String::from),
            role_assigned: f.kind == Kind::RoleAssigned,
            node: f.node.as_deref().map(String::from),
            time_ms: Some(f.time_ms),
            detail: DetailView {
                group: group.as_deref().map(String::from),
                context: context.as_deref().map(String::from),
            },
            auid: f.auid.as_ref().map(PrincipalView::of),
            target: f.target.as_ref().map(PrincipalView::of),
        }
    }
}

impl FactList {
    fn of(l: &crate::aggregate::Listed) -> Self {
        FactList {
            items: l.items().iter().map(FactView::of).collect(),
            omitted: l.omitted(),
        }
    }
}

impl SummaryView {
    /// The view of a summary built now: what [`super::load`] reads from its `summary.json`.
    pub fn of(s: &Summary) -> SummaryView {
        let p = s.period();
        let hosts = s.hosts().iter().map(|(name, h)| {
            let v = HostView {
                events: h.events(),
                lost_events: h.lost_events(),
                silences: h.silences().len() as u64,
                by_day: days(h.by_day()),
            };
            (name.clone(), v)
        });
        let a = s.accounts();
        let by_target = a.by_target().iter().map(|(name, h)| {
            let c = AccountCounts {
                created: h.created,
                deleted: h.deleted,
            };
            (name.clone(), c)
        });
        let l = s.logins();
        let failed = l.failed_logins().count();
        SummaryView {
            period: PeriodView {
                label: p.label.clone(),
                tz: Some(p.tz.clone()),
                start_ms: p.start_ms,
                end_ms: p.end_ms,
            },
            metrics: s
                .metrics_as_written()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            hosts: hosts.collect(),
            accounts: AccountsView {
                by_target: by_target.collect(),
                modified: FactList::of(a.modified()),
                roles: FactList::of(a.roles()),
            },
            logins: LoginsView {
                login_breakdown: Breakdown {
                    by_account: l.login_breakdown().by_account().keys().cloned().collect(),
                },
                auth_breakdown: Breakdown {
                    by_account: l.auth_breakdown().by_account().keys().cloned().collect(),
                },
                logins: per_day(l.logins().count()),
                failed_logins: Listed {
                    count: PerHostDay {
                        by_host: failed.by_host().clone(),
                        by_day: days(failed.by_day()),
                    },
                },
            },
            privilege: PrivilegeView {
                commands: per_day(s.privilege().commands().count()),
            },
            mac: MacView {
                signatures: s.mac().signatures().keys().cloned().collect(),
                denials: PerDay {
                    by_day: days(s.mac().denials().by_day()),
                },
            },
            signatures_cut: s.mac().signatures_cut(),
        }
    }
}
