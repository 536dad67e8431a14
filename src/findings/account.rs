//! Account lifecycle rules (F-ACCT-*): short-lived accounts, new uid-0 accounts, accounts
//! used after removal or termination, dormant accounts, failed or abnormal account
//! management, and changes nobody can be held to.
//!
//! Accounts are matched by uid when both records carry one, else by display name.

use super::ctx::{complete, is_set, present, sorted, Ctx};
use super::{Eval, Finding, Rule, Severity};
use crate::classify::{Fact, Kind, Principal};
use crate::model::{duration_ms, DAY_MS, HOUR_MS};
use std::collections::BTreeMap;

/// The account rules.
pub static RULES: &[Rule] = &[
    Rule {
        id: "F-ACCT-01",
        title: "short-lived account: created and deleted or locked within the period",
        severity: Severity::High,
        params: &["short_lived_hours"],
        eval: short_lived,
    },
    Rule {
        id: "F-ACCT-02",
        title: "new account with uid 0, or an account's uid changed to 0",
        severity: Severity::Critical,
        params: &[],
        eval: uid_zero,
    },
    Rule {
        id: "F-ACCT-03",
        title: "account used after its removal, lock or termination date",
        severity: Severity::Critical,
        params: &[],
        eval: used_after_removal,
    },
    Rule {
        id: "F-ACCT-04",
        title: "termination not actioned: account not deleted or locked in time after its \
                termination date",
        severity: Severity::High,
        params: &["termination_days"],
        eval: termination_not_actioned,
    },
    Rule {
        id: "F-ACCT-05",
        title: "dormant account: no successful login for the dormancy period",
        severity: Severity::Medium,
        params: &["dormant_days"],
        eval: dormant,
    },
    Rule {
        id: "F-ACCT-06",
        title: "account management failed or reported an anomaly",
        severity: Severity::Medium,
        params: &[],
        eval: failed_management,
    },
    Rule {
        id: "F-ACCT-08",
        title: "account changed by an unattributed actor (auid unset)",
        severity: Severity::Low,
        params: &[],
        eval: unattributed,
    },
];

fn same(a: Option<&Principal>, b: Option<&Principal>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => match (a.id, b.id) {
            (Some(x), Some(y)) => x == y,
            _ => a.name == b.name,
        },
        _ => false,
    }
}

fn lists(ctx: &Ctx<'_>) -> Result<(), String> {
    let a = ctx.summary.accounts();
    complete(&[
        ("account creation", a.created()),
        ("account deletion", a.deleted()),
        ("account modification", a.modified()),
    ])
}

/// Removals (deletions and locks) in time order.
fn removals<'a>(ctx: &Ctx<'a>) -> Vec<&'a Fact> {
    let a = ctx.summary.accounts();
    let locks = a
        .modified()
        .items()
        .iter()
        .filter(|f| f.kind == Kind::AccountLocked);
    sorted(a.deleted().items().iter().chain(locks))
}

/// Successful uses of an account: logins (target) and commands (login identity).
fn uses<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Fact, Option<&'a Principal>)> {
    let logins = ctx
        .summary
        .logins()
        .logins()
        .items()
        .iter()
        .map(|f| (f, f.target.as_ref()));
    let cmds = ctx
        .summary
        .privilege()
        .commands()
        .items()
        .iter()
        .filter(|f| !f.result.is_failed())
        .map(|f| (f, f.auid.as_ref()));
    let mut v: Vec<_> = logins.chain(cmds).collect();
    v.sort_by_key(|(f, _)| (f.time_ms, f.source));
    v
}

/// Every account-management list, for the rules whose population is any account change.
fn all_changes<'a>(ctx: &Ctx<'a>) -> [&'a crate::aggregate::Listed; 9] {
    let a = ctx.summary.accounts();
    [
        a.created(),
        a.deleted(),
        a.modified(),
        a.groups_created(),
        a.groups_deleted(),
        a.groups_modified(),
        a.roles(),
        a.failed(),
        a.anomalies(),
    ]
}

fn short_lived(ctx: &Ctx<'_>) -> Eval {
    present(
        ctx.summary.accounts().created().total(),
        "account creation",
        "",
    )?;
    lists(ctx)?;
    let max = duration_ms(ctx.site.thresholds.short_lived_hours, HOUR_MS);
    let gone = removals(ctx);
    let used = uses(ctx);
    let mut out = Vec::new();
    for c in sorted(ctx.summary.accounts().created().items()) {
        let host = ctx.host(c);
        let Some(end) = gone.iter().find(|g| {
            g.time_ms >= c.time_ms
                && ctx.host(g) == host
                && same(g.target.as_ref(), c.target.as_ref())
        }) else {
            continue;
        };
        if end.time_ms.saturating_sub(c.time_ms) > max {
            continue;
        }
        let logged_in: Vec<_> = used
            .iter()
            .filter(|(f, who)| {
                f.time_ms >= c.time_ms && f.time_ms <= end.time_ms && same(*who, c.target.as_ref())
            })
            .collect();
        let sev = if logged_in.is_empty() {
            Severity::Medium
        } else {
            Severity::High
        };
        let mut ev = vec![
            ctx.evidence(c, "account created"),
            ctx.evidence(end, "account removed"),
        ];
        ev.extend(
            logged_in
                .iter()
                .map(|(f, _)| ctx.evidence(f, "used while it existed")),
        );
        out.push(Finding::new(
            "F-ACCT-01",
            sev,
            format!(
                "{} on {host} existed {:.1} h{}",
                c.target_name(),
                end.time_ms.saturating_sub(c.time_ms) as f64 / HOUR_MS as f64,
                if logged_in.is_empty() {
                    String::new()
                } else {
                    format!(", used {} time(s)", logged_in.len())
                }
            ),
            Some(host),
            ev,
        ));
    }
    Ok(out)
}

fn uid_zero(ctx: &Ctx<'_>) -> Eval {
    let a = ctx.summary.accounts();
    let ids = ctx.summary.privilege().identity_changes();
    present(
        a.created().total() + a.modified().total() + ids.total(),
        "account creation or modification",
        "",
    )?;
    lists(ctx)?;
    let new = a
        .created()
        .items()
        .iter()
        .filter(|f| f.target.as_ref().is_some_and(|t| t.id == Some(0)));
    let changed = ctx
        .summary
        .privilege()
        .identity_changes()
        .items()
        .iter()
        .chain(a.modified().items())
        .filter(|f| f.op.as_deref().is_some_and(|o| o.contains("changing-uid")))
        .filter(|f| f.target.as_ref().is_some_and(|t| t.id == Some(0)) && f.auid_name() != "root");
    Ok(sorted(new.chain(changed))
        .into_iter()
        .map(|f| {
            let host = ctx.host(f);
            Finding::new(
                "F-ACCT-02",
                Severity::Critical,
                format!(
                    "uid 0 given to {} on {host} by {}",
                    f.target_name(),
                    f.auid_name()
                ),
                Some(host),
                vec![ctx.evidence(f, f.op.clone().unwrap_or_else(|| "add-user".into()))],
            )
        })
        .collect())
}

fn used_after_removal(ctx: &Ctx<'_>) -> Eval {
    let (l, p) = (ctx.summary.logins(), ctx.summary.privilege());
    present(
        l.logins().total() + p.commands().total(),
        "successful login or command",
        "",
    )?;
    let a = ctx.summary.accounts();
    if a.deleted().total() + a.locked() == 0 && ctx.terminations.is_empty() {
        return Err(
            "no account deletion or lock records in the period, and no terminations list".into(),
        );
    }
    lists(ctx)?;
    complete(&[
        ("login", ctx.summary.logins().logins()),
        ("command", ctx.summary.privilege().commands()),
    ])?;
    let created = sorted(ctx.summary.accounts().created().items());
    let gone = removals(ctx);
    let mut out = Vec::new();
    for (use_, who) in uses(ctx) {
        let host = ctx.host(use_);
        let removed = gone.iter().rev().find(|g| {
            g.time_ms < use_.time_ms && ctx.host(g) == host && same(g.target.as_ref(), who)
        });
        if let Some(g) = removed {
            let recreated = created.iter().any(|c| {
                c.time_ms > g.time_ms && c.time_ms < use_.time_ms && same(c.target.as_ref(), who)
            });
            if !recreated {
                out.push(Finding::new(
                    "F-ACCT-03",
                    Severity::Critical,
                    format!(
                        "{} used on {host} after its removal",
                        who.map_or("?", |p| p.name.as_str())
                    ),
                    Some(host.clone()),
                    vec![
                        ctx.evidence(g, "account removed"),
                        ctx.evidence(use_, "used after removal"),
                    ],
                ));
                continue;
            }
        }
        let name = who.map_or("?", |p| p.name.as_str());
        if let Some((_, day)) = ctx
            .terminations
            .iter()
            .find(|(a, d)| a == name && ctx.day(use_.time_ms) > *d)
        {
            out.push(Finding::new(
                "F-ACCT-03",
                Severity::Critical,
                format!("{name} used on {host} after its termination on {day}"),
                Some(host),
                vec![ctx.evidence(use_, format!("used after termination date {day}"))],
            ));
        }
    }
    Ok(out)
}

/// Each account of the terminations list whose termination date lies in the period and
/// whose deadline (the date plus `termination_days`) has passed within it: deleted or locked
/// (on any host) by the end of the deadline day, else a finding (late, with the removal, or
/// not at all). Terminations before the period are not judged: their removal may lie in an
/// earlier period.
fn termination_not_actioned(ctx: &Ctx<'_>) -> Eval {
    if ctx.terminations.is_empty() {
        return Err(
            "no terminations list: set terminations = \"FILE.csv\" in auditrail.toml".into(),
        );
    }
    lists(ctx)?;
    let p = ctx.summary.period();
    let hosts = ctx.summary.hosts().values();
    let (Some(start), Some(end)) = (
        p.start_ms
            .or(hosts.clone().filter_map(|h| h.first_ms()).min()),
        p.end_ms.or(hosts
            .filter_map(|h| h.last_ms())
            .max()
            .map(|t| t.saturating_add(1))),
    ) else {
        return Err("no events in the period".into());
    };
    let (first_day, last_day) = (ctx.day(start), ctx.day(end.saturating_sub(1)));
    let grace = chrono::Days::new(ctx.site.thresholds.termination_days);
    let gone = removals(ctx);
    let mut out = Vec::new();
    for (account, day) in ctx.terminations {
        let Some(deadline) = day.checked_add_days(grace) else {
            continue;
        };
        if *day < first_day || deadline > last_day {
            continue; // terminated before the period, or not yet due within it
        }
        let removal = gone
            .iter()
            .find(|g| g.target.as_ref().is_some_and(|t| t.name == *account));
        let late = match removal {
            Some(g) if ctx.day(g.time_ms) <= deadline => continue,
            other => other,
        };
        let due_ms = ctx.day_start_ms(deadline.succ_opt().unwrap_or(deadline));
        let (summary, evidence) = match late {
            Some(g) => (
                format!(
                    "{account} terminated on {day}, removed on {} (due by {deadline})",
                    ctx.day(g.time_ms)
                ),
                vec![ctx.evidence(g, "removed after the deadline")],
            ),
            None => (
                format!(
                    "{account} terminated on {day}: not deleted or locked by {deadline} \
                     (nor later in the period)"
                ),
                Vec::new(),
            ),
        };
        let mut f = Finding::new("F-ACCT-04", Severity::High, summary, None, evidence);
        if f.evidence.is_empty() {
            (f.first_ms, f.last_ms) = (due_ms, due_ms);
        }
        out.push(f);
    }
    Ok(out)
}

fn dormant(ctx: &Ctx<'_>) -> Eval {
    let days = ctx.site.thresholds.dormant_days;
    let need = duration_ms(days, DAY_MS);
    let hosts = ctx.summary.hosts().values();
    let first = hosts.clone().filter_map(|h| h.first_ms()).min();
    let p = ctx.summary.period();
    let start = p.start_ms.or(first);
    let end = p.end_ms.or(ctx
        .summary
        .hosts()
        .values()
        .filter_map(|h| h.last_ms())
        .max());
    let (Some(start), Some(end)) = (start, end) else {
        return Err("insufficient history: no records in the input".into());
    };
    let held = first.map_or(0, |f| end.saturating_sub(f.max(start)));
    if held < need {
        return Err(format!(
            "insufficient history: the input covers {} days, the rule needs {days}",
            held / DAY_MS
        ));
    }
    complete(&[("login", ctx.summary.logins().logins())])?;
    let mut last: BTreeMap<&str, &Fact> = BTreeMap::new();
    for f in sorted(ctx.summary.logins().logins().items()) {
        last.insert(f.target_name(), f);
    }
    Ok(last
        .into_iter()
        .filter(|(_, f)| end.saturating_sub(f.time_ms) >= need)
        .map(|(acct, f)| {
            Finding::new(
                "F-ACCT-05",
                Severity::Medium,
                format!(
                    "{acct} has not logged in for {} days",
                    end.saturating_sub(f.time_ms) / DAY_MS
                ),
                None,
                vec![ctx.evidence(f, "last successful login")],
            )
        })
        .collect())
}

fn failed_management(ctx: &Ctx<'_>) -> Eval {
    present(
        all_changes(ctx).iter().map(|l| l.total()).sum(),
        "account management",
        "",
    )?;
    let a = ctx.summary.accounts();
    complete(&[
        ("failed account", a.failed()),
        ("account anomaly", a.anomalies()),
    ])?;
    Ok(
        sorted(a.failed().items().iter().chain(a.anomalies().items()))
            .into_iter()
            .map(|f| {
                let host = ctx.host(f);
                let what =
                    f.op.clone()
                        .unwrap_or_else(|| format!("{:?}", f.kind).into());
                let why = if f.kind == Kind::AccountAnomaly {
                    "anomaly"
                } else {
                    "failed"
                };
                Finding::new(
                    "F-ACCT-06",
                    Severity::Medium,
                    format!(
                        "{what} {why} for {} on {host} (by {})",
                        f.target_name(),
                        f.auid_name()
                    ),
                    Some(host),
                    vec![ctx.evidence(f, what)],
                )
            })
            .collect(),
    )
}

fn unattributed(ctx: &Ctx<'_>) -> Eval {
    present(
        all_changes(ctx).iter().map(|l| l.total()).sum(),
        "account management",
        "",
    )?;
    let a = ctx.summary.accounts();
    let all = [
        a.created(),
        a.deleted(),
        a.modified(),
        a.groups_created(),
        a.groups_deleted(),
        a.groups_modified(),
        a.roles(),
    ];
    complete(&all.map(|l| ("account change", l)))?;
    Ok(sorted(all.iter().flat_map(|l| l.items()))
        .into_iter()
        .filter(|f| !is_set(f.auid.as_ref()))
        .map(|f| {
            let host = ctx.host(f);
            let what =
                f.op.clone()
                    .unwrap_or_else(|| format!("{:?}", f.kind).into());
            Finding::new(
                "F-ACCT-08",
                Severity::Low,
                format!(
                    "{what} of {} on {host} with no login identity",
                    f.target_name()
                ),
                Some(host),
                vec![ctx.evidence(f, what)],
            )
        })
        .collect())
}
