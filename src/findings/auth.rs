//! Authentication rules (F-AUTH-*): brute force, daily failure volume, spraying, success
//! after failures, lockouts, direct root logins, logins by service and shared accounts.
//!
//! A failed attempt is a failed USER_LOGIN, or a failed USER_AUTH/GRP_AUTH not written by
//! sshd: sshd writes both a USER_AUTH and a USER_LOGIN for one attempt, so counting both
//! would double every sshd failure. Windows are exact over facts sorted by time, then
//! source.

use super::ctx::{base, bursts, complete, sorted, Ctx};
use super::{Eval, Finding, Rule, Severity};
use crate::classify::Fact;
use std::collections::{BTreeMap, BTreeSet};

/// The authentication rules.
pub static RULES: &[Rule] = &[
    Rule {
        id: "F-AUTH-01",
        title: "brute force: many failures for one account on one host in a short window",
        severity: Severity::High,
        params: &["brute_force_failures", "brute_force_minutes"],
        eval: brute_force,
    },
    Rule {
        id: "F-AUTH-02",
        title: "high daily failure volume for one account",
        severity: Severity::Medium,
        params: &["daily_failures"],
        eval: daily_volume,
    },
    Rule {
        id: "F-AUTH-03",
        title: "password spraying or scanning from one address",
        severity: Severity::High,
        params: &["spray_accounts", "spray_minutes", "invalid_user_daily"],
        eval: spraying,
    },
    Rule {
        id: "F-AUTH-04",
        title: "successful login after repeated failures",
        severity: Severity::High,
        params: &["success_after_failures", "success_after_minutes"],
        eval: success_after_failures,
    },
    Rule {
        id: "F-AUTH-06",
        title: "accounts locked out after failures",
        severity: Severity::Medium,
        params: &["lockouts_escalate"],
        eval: lockouts,
    },
    Rule {
        id: "F-AUTH-07",
        title: "direct root login",
        severity: Severity::High,
        params: &[],
        eval: root_login,
    },
    Rule {
        id: "F-AUTH-08",
        title: "interactive login by a service or system account",
        severity: Severity::High,
        params: &["uid_min"],
        eval: service_login,
    },
    Rule {
        id: "F-AUTH-09",
        title: "login by a shared or generic account",
        severity: Severity::Medium,
        params: &[],
        eval: shared_login,
    },
];

/// `Err` when the input has no login or authentication records at all.
fn has_logins(ctx: &Ctx<'_>) -> Result<(), String> {
    let l = ctx.summary.logins();
    let any = l.logins().total()
        + l.failed_logins().total()
        + l.auths().total()
        + l.failed_auths().total();
    if any == 0 {
        return Err("no login or authentication records in the input".into());
    }
    complete(&[
        ("failed login", l.failed_logins()),
        ("failed authentication", l.failed_auths()),
        ("login", l.logins()),
    ])
}

/// Failed attempts (see the module docs), sorted.
fn failures<'a>(ctx: &Ctx<'a>) -> Vec<&'a Fact> {
    let l = ctx.summary.logins();
    let auths = l
        .failed_auths()
        .items()
        .iter()
        .filter(|f| base(f.exe.as_deref()) != "sshd");
    sorted(l.failed_logins().items().iter().chain(auths))
}

fn describe(f: &Fact) -> String {
    format!(
        "failed {} from {}",
        base(f.exe.as_deref()),
        f.origin().or(f.terminal.as_deref()).unwrap_or("?")
    )
}

fn brute_force(ctx: &Ctx<'_>) -> Eval {
    has_logins(ctx)?;
    let t = &ctx.site.thresholds;
    let mut groups: BTreeMap<(String, String), Vec<&Fact>> = BTreeMap::new();
    for f in failures(ctx).into_iter().filter(|f| !f.is_invalid_user()) {
        groups
            .entry((ctx.host(f), f.target_name().to_string()))
            .or_default()
            .push(f);
    }
    let window = Ctx::minutes(t.brute_force_minutes);
    let mut out = Vec::new();
    for ((host, acct), facts) in groups {
        let times: Vec<i64> = facts.iter().map(|f| f.time_ms).collect();
        for r in bursts(&times, window, t.brute_force_failures) {
            let ev = facts[r.clone()]
                .iter()
                .map(|f| ctx.evidence(f, describe(f)));
            out.push(Finding::new(
                "F-AUTH-01",
                Severity::High,
                format!(
                    "{} failures for {acct} on {host} (at least {} within {} min)",
                    r.len(),
                    t.brute_force_failures,
                    t.brute_force_minutes
                ),
                Some(host.clone()),
                ev.collect(),
            ));
        }
    }
    Ok(out)
}

fn daily_volume(ctx: &Ctx<'_>) -> Eval {
    has_logins(ctx)?;
    let mut groups: BTreeMap<(String, chrono::NaiveDate), Vec<&Fact>> = BTreeMap::new();
    for f in failures(ctx).into_iter().filter(|f| !f.is_invalid_user()) {
        groups
            .entry((f.target_name().to_string(), ctx.day(f.time_ms)))
            .or_default()
            .push(f);
    }
    let min = ctx.site.thresholds.daily_failures;
    Ok(groups
        .into_iter()
        .filter(|(_, v)| v.len() as u64 >= min)
        .map(|((acct, day), v)| {
            Finding::new(
                "F-AUTH-02",
                Severity::Medium,
                format!("{} failures for {acct} on {day}", v.len()),
                None,
                v.iter().map(|f| ctx.evidence(f, describe(f))).collect(),
            )
        })
        .collect())
}

fn spraying(ctx: &Ctx<'_>) -> Eval {
    has_logins(ctx)?;
    let t = &ctx.site.thresholds;
    let mut by_addr: BTreeMap<String, Vec<&Fact>> = BTreeMap::new();
    for f in failures(ctx) {
        if let Some(a) = f.origin().filter(|a| *a != "?") {
            by_addr.entry(a.to_string()).or_default().push(f);
        }
    }
    let window = Ctx::minutes(t.spray_minutes);
    let mut out = Vec::new();
    for (addr, facts) in &by_addr {
        out.extend(
            distinct_bursts(facts, window, t.spray_accounts)
                .into_iter()
                .map(|r| {
                    let accts: BTreeSet<&str> =
                        facts[r.clone()].iter().map(|f| f.target_name()).collect();
                    Finding::new(
                        "F-AUTH-03",
                        Severity::High,
                        format!(
                            "{addr} failed against {} accounts within {} min",
                            accts.len(),
                            t.spray_minutes
                        ),
                        None,
                        facts[r]
                            .iter()
                            .map(|f| ctx.evidence(f, describe(f)))
                            .collect(),
                    )
                }),
        );
        let mut days: BTreeMap<chrono::NaiveDate, Vec<&Fact>> = BTreeMap::new();
        for f in facts.iter().filter(|f| f.is_invalid_user()) {
            days.entry(ctx.day(f.time_ms)).or_default().push(f);
        }
        for (day, v) in days
            .into_iter()
            .filter(|(_, v)| v.len() as u64 >= t.invalid_user_daily)
        {
            out.push(Finding::new(
                "F-AUTH-03",
                Severity::Medium,
                format!("{} invalid-user attempts from {addr} on {day}", v.len()),
                None,
                v.iter().map(|f| ctx.evidence(f, describe(f))).collect(),
            ));
        }
    }
    Ok(out)
}

/// Maximal index ranges covered by a window `[t, t + window)` whose facts name at least
/// `min` distinct accounts; overlapping ranges merged.
fn distinct_bursts(facts: &[&Fact], window: i64, min: u64) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut left = 0;
    for right in 0..facts.len() {
        *counts.entry(facts[right].target_name()).or_default() += 1;
        // A window of 0 ms holds nothing: `left` may pass `right`, never the end.
        while left <= right && facts[right].time_ms.saturating_sub(facts[left].time_ms) >= window {
            let k = facts[left].target_name();
            let n = counts.get_mut(k).expect("counted when it entered");
            *n -= 1;
            if *n == 0 {
                counts.remove(k);
            }
            left += 1;
        }
        if counts.len() as u64 >= min.max(1) {
            match out.last_mut() {
                Some(r) if left < r.end => r.end = right + 1,
                _ => out.push(left..right + 1),
            }
        }
    }
    out
}

fn success_after_failures(ctx: &Ctx<'_>) -> Eval {
    has_logins(ctx)?;
    let t = &ctx.site.thresholds;
    let window = Ctx::minutes(t.success_after_minutes);
    let fails = failures(ctx);
    let times: Vec<i64> = fails.iter().map(|f| f.time_ms).collect();
    let mut out = Vec::new();
    for ok in sorted(ctx.summary.logins().logins().items()) {
        let host = ctx.host(ok);
        // Only the failures inside [ok - window, ok) are looked at.
        let hi = times.partition_point(|&t| t < ok.time_ms);
        let lo = times
            .partition_point(|&t| t < ok.time_ms.saturating_sub(window))
            .min(hi);
        let before: Vec<&&Fact> = fails[lo..hi]
            .iter()
            .filter(|f| {
                f.target_name() == ok.target_name()
                    || (ok.origin().is_some() && f.origin() == ok.origin())
            })
            .filter(|f| ctx.host(f) == host)
            .collect();
        if before.len() as u64 >= t.success_after_failures {
            let mut ev: Vec<_> = before
                .iter()
                .map(|f| ctx.evidence(f, describe(f)))
                .collect();
            ev.push(ctx.evidence(
                ok,
                format!("successful login from {}", ok.origin().unwrap_or("?")),
            ));
            out.push(Finding::new(
                "F-AUTH-04",
                Severity::High,
                format!(
                    "{} logged in on {host} after {} failures within {} min",
                    ok.target_name(),
                    before.len(),
                    t.success_after_minutes
                ),
                Some(host),
                ev,
            ));
        }
    }
    Ok(out)
}

fn lockouts(ctx: &Ctx<'_>) -> Eval {
    has_logins(ctx)?;
    let list = ctx.summary.logins().lockouts();
    complete(&[("lockout", list)])?;
    let mut by_acct: BTreeMap<&str, Vec<&Fact>> = BTreeMap::new();
    for f in sorted(list.items()) {
        by_acct.entry(f.target_name()).or_default().push(f);
    }
    let escalate = ctx.site.thresholds.lockouts_escalate;
    Ok(by_acct
        .into_iter()
        .map(|(acct, v)| {
            let sev = if v.len() as u64 >= escalate {
                Severity::Medium
            } else {
                Severity::Info
            };
            Finding::new(
                "F-AUTH-06",
                sev,
                format!("{acct} locked out {} time(s)", v.len()),
                None,
                v.iter().map(|f| ctx.evidence(f, "lockout")).collect(),
            )
        })
        .collect())
}

fn is_remote(f: &Fact) -> bool {
    f.origin().is_some_and(|a| a != "?" && !a.is_empty())
        || base(f.exe.as_deref()) == "sshd"
        || f.terminal.as_deref().is_some_and(|t| t.starts_with("ssh"))
}

fn login_rule(
    ctx: &Ctx<'_>,
    id: &'static str,
    pick: impl Fn(&Fact) -> Option<(Severity, String)>,
) -> Eval {
    has_logins(ctx)?;
    let mut out = Vec::new();
    for f in sorted(ctx.summary.logins().logins().items()) {
        if let Some((sev, why)) = pick(f) {
            let host = ctx.host(f);
            let what = format!(
                "login via {} from {}",
                base(f.exe.as_deref()),
                f.origin().or(f.terminal.as_deref()).unwrap_or("?")
            );
            out.push(Finding::new(
                id,
                sev,
                format!("{why} on {host}"),
                Some(host),
                vec![ctx.evidence(f, what)],
            ));
        }
    }
    Ok(out)
}

fn root_login(ctx: &Ctx<'_>) -> Eval {
    login_rule(ctx, "F-AUTH-07", |f| {
        let t = f.target.as_ref()?;
        (t.id == Some(0) || t.name == "root").then(|| {
            if is_remote(f) {
                (Severity::High, "remote root login".to_string())
            } else {
                (Severity::Medium, "console root login".to_string())
            }
        })
    })
}

fn service_login(ctx: &Ctx<'_>) -> Eval {
    let site = ctx.site;
    login_rule(ctx, "F-AUTH-08", |f| {
        let t = f.target.as_ref()?;
        let by_uid = t.id.is_some_and(|id| id > 0 && id < site.uid_min);
        (by_uid || site.service_accounts.iter().any(|a| *a == t.name)).then(|| {
            (
                Severity::High,
                format!("service account {} logged in", t.name),
            )
        })
    })
}

fn shared_login(ctx: &Ctx<'_>) -> Eval {
    let site = ctx.site;
    login_rule(ctx, "F-AUTH-09", |f| {
        let t = f.target.as_ref()?;
        site.shared_accounts.iter().any(|a| *a == t.name).then(|| {
            (
                Severity::Medium,
                format!("shared account {} logged in", t.name),
            )
        })
    })
}
