//! Rules over watched files (keyed kernel events, see [`crate::aggregate::watches`]):
//! F-AUD-12 audit log tampering, F-AUD-13 audit logs read by a person not allowed to,
//! F-ACCT-07 identity files edited by hand, F-FILE-01 repeated denied access to sensitive
//! files. (Sudoers changes are F-PRIV-01's, in [`super::privilege`].)
//!
//! Each reads a list the aggregator keeps by meaning *and* by path, so an unlink under
//! `/var/log/audit/` counts whether the rule that caught it was keyed `10.5.5-modification-
//! audit` or `delete`. A rule that finds nothing passes only when some host watches what it
//! needs (a rule with a key of that meaning loaded, events of it, or a `--rules` file
//! declaring it); otherwise it is *not evaluated* and says which audit rule to add.

use super::ctx::{base, complete, is_set, sorted, Ctx};
use super::{Eval, Evidence, Finding, Rule, Severity};
use crate::classify::watch::{is_identity_file, is_under, Watch};
use crate::classify::{meaning, Detail, Fact};
use std::collections::BTreeMap;

/// F-AUD-12 and F-AUD-13 (listed with the other F-AUD rules).
pub static AUDIT_RULES: &[Rule] = &[
    Rule {
        id: "F-AUD-12",
        title: "audit logs written, renamed or deleted by an executable other than auditd",
        severity: Severity::Critical,
        params: &["audit_log_writers", "audit_log_dirs"],
        eval: tampering,
    },
    Rule {
        id: "F-AUD-13",
        title: "audit logs read by a person not in audit_log_readers",
        severity: Severity::Low,
        params: &["audit_log_readers"],
        eval: reads,
    },
];

/// F-ACCT-07 (listed with the other F-ACCT rules).
pub static ACCOUNT_RULES: &[Rule] = &[Rule {
    id: "F-ACCT-07",
    title: "identity file written by an executable that is not an account tool (hand edit)",
    severity: Severity::High,
    params: &["account_tools"],
    eval: hand_edits,
}];

/// The file rules.
pub static RULES: &[Rule] = &[Rule {
    id: "F-FILE-01",
    title: "repeated denied access to sensitive files by one person in a day",
    severity: Severity::Medium,
    params: &["denied_access_daily", "sensitive_targets"],
    eval: denials,
}];

/// The details of a keyed event.
pub(crate) fn watch(f: &Fact) -> Option<&Watch> {
    match &f.detail {
        Detail::Watch(w) => Some(w),
        _ => None,
    }
}

/// `Ok` when some host watches one of `meanings`; else why the rule cannot pass, with the
/// audit rule that would produce the evidence.
pub(crate) fn watched(ctx: &Ctx<'_>, meanings: &[&str]) -> Result<(), String> {
    let table = ctx.site.watch_config();
    let w = ctx.summary.watches();
    let any = ctx.summary.hosts().keys().any(|host| {
        meanings
            .iter()
            .any(|m| w.watching(host, m, table.meanings()).is_some())
    });
    if any {
        return Ok(());
    }
    let m = meanings.first().copied().unwrap_or("");
    let rule = meaning::info(m).map_or("", |i| i.rule);
    Err(format!(
        "no host shows an audit rule for {m} (none loaded in the logs, no events, none in \
         --rules): add `{rule}`"
    ))
}

/// The object that makes `w` relevant: the first non-PARENT path `pick` accepts.
fn object(w: &Watch, pick: impl Fn(&str) -> bool) -> Option<&str> {
    w.objects
        .iter()
        .filter(|o| o.nametype.as_deref() != Some("PARENT"))
        .map(|o| o.path.as_str())
        .find(|p| pick(p))
}

/// What an evidence row says about a keyed event: `operation object (exe)`.
fn what(f: &Fact, w: &Watch) -> String {
    format!(
        "{} {} ({})",
        w.operation.as_str(),
        w.object_text(),
        base(f.exe.as_deref())
    )
    .replace("  ", " ")
}

/// The person behind a fact: the login id when set, else the process user.
fn who(f: &Fact) -> String {
    if is_set(f.auid.as_ref()) {
        f.auid_name().to_string()
    } else {
        f.uid
            .as_ref()
            .map_or_else(|| "?".to_string(), |p| format!("{} (no login id)", p.name))
    }
}

/// One finding per group, with every event of the group as evidence.
fn grouped(
    rule: &'static str,
    severity: Severity,
    groups: BTreeMap<(String, String), Vec<Evidence>>,
    summary: impl Fn(&str, &str, &[Evidence]) -> String,
) -> Vec<Finding> {
    groups
        .into_iter()
        .map(|((host, label), evidence)| {
            let s = summary(&host, &label, &evidence);
            Finding::new(rule, severity, s, Some(host), evidence)
        })
        .collect()
}

fn tampering(ctx: &Ctx<'_>) -> Eval {
    let list = ctx.summary.watches().audit_log();
    complete(&[("audit log", list)])?;
    let dirs = &ctx.site.audit_log_dirs;
    let writers = &ctx.site.audit_log_writers;
    let mut groups: BTreeMap<(String, String), Vec<Evidence>> = BTreeMap::new();
    for f in sorted(list.items()) {
        let Some(w) = watch(f) else { continue };
        if f.result.is_failed() || !w.operation.changes() {
            continue;
        }
        let on_logs = object(w, |p| dirs.iter().any(|d| is_under(p, d))).is_some()
            || w.meanings.iter().any(|m| m == "audit-log-change");
        let exe = base(f.exe.as_deref());
        if !on_logs || writers.iter().any(|x| x == exe) {
            continue;
        }
        groups
            .entry((ctx.host(f), format!("{exe} by {}", who(f))))
            .or_default()
            .push(ctx.evidence(f, what(f, w)));
    }
    if groups.is_empty() {
        watched(ctx, &["audit-log-change"])?;
    }
    Ok(grouped(
        "F-AUD-12",
        Severity::Critical,
        groups,
        |host, label, ev| {
            format!(
                "audit logs changed on {host} by {label}: {} event(s), first {}",
                ev.len(),
                ev[0].what
            )
        },
    ))
}

fn reads(ctx: &Ctx<'_>) -> Eval {
    let list = ctx.summary.watches().audit_log();
    complete(&[("audit log", list)])?;
    let readers = &ctx.site.audit_log_readers;
    let mut groups: BTreeMap<(String, String), Vec<Evidence>> = BTreeMap::new();
    for f in sorted(list.items()) {
        let Some(w) = watch(f) else { continue };
        let read = w.meanings.iter().any(|m| m == "audit-log-access") && !w.operation.changes();
        if !read
            || !is_set(f.auid.as_ref())
            || super::privilege::is_listed(readers, f.auid.as_ref())
        {
            continue;
        }
        groups
            .entry((ctx.host(f), f.auid_name().to_string()))
            .or_default()
            .push(ctx.evidence(f, what(f, w)));
    }
    if groups.is_empty() {
        watched(ctx, &["audit-log-access"])?;
    }
    Ok(grouped(
        "F-AUD-13",
        Severity::Low,
        groups,
        |host, who, ev| {
            format!(
            "{who} read the audit logs on {host} ({} event(s), first {}); not in audit_log_readers",
            ev.len(),
            ev[0].what
        )
        },
    ))
}

fn hand_edits(ctx: &Ctx<'_>) -> Eval {
    let list = ctx.summary.watches().identity();
    complete(&[("identity file", list)])?;
    let tools = &ctx.site.account_tools;
    let mut groups: BTreeMap<(String, String), Vec<Evidence>> = BTreeMap::new();
    for f in sorted(list.items()) {
        let Some(w) = watch(f) else { continue };
        let exe = base(f.exe.as_deref());
        if f.result.is_failed() || !w.operation.modifies() || tools.iter().any(|t| t == exe) {
            continue;
        }
        let Some(file) = object(w, is_identity_file) else {
            continue;
        };
        groups
            .entry((ctx.host(f), format!("{file} with {exe} by {}", who(f))))
            .or_default()
            .push(ctx.evidence(f, what(f, w)));
    }
    if groups.is_empty() {
        watched(ctx, &["identity-files"])?;
    }
    Ok(grouped(
        "F-ACCT-07",
        Severity::High,
        groups,
        |host, label, ev| {
            format!(
                "identity file edited by hand on {host}: {label} ({} event(s))",
                ev.len()
            )
        },
    ))
}

fn denials(ctx: &Ctx<'_>) -> Eval {
    let list = ctx.summary.watches().denied_sensitive();
    complete(&[("denied sensitive access", list)])?;
    if list.total() == 0 {
        watched(ctx, &["access-denied"])?;
        return Ok(Vec::new());
    }
    let min = ctx.site.thresholds.denied_access_daily.max(1);
    let mut by: BTreeMap<(String, String, chrono::NaiveDate), Vec<&Fact>> = BTreeMap::new();
    for f in sorted(list.items()) {
        by.entry((ctx.host(f), who(f), ctx.day(f.time_ms)))
            .or_default()
            .push(f);
    }
    Ok(by
        .into_iter()
        .filter(|(_, v)| v.len() as u64 >= min)
        .map(|((host, who, day), v)| {
            let evidence: Vec<Evidence> = v
                .iter()
                .filter_map(|f| {
                    let w = watch(f)?;
                    let errno = w.errno.unwrap_or("denied");
                    Some(ctx.evidence(f, format!("{errno}: {}", what(f, w))))
                })
                .collect();
            let first = evidence.first().map_or(String::new(), |e| e.what.clone());
            Finding::new(
                "F-FILE-01",
                Severity::Medium,
                format!(
                    "{} denied accesses to sensitive files by {who} on {host} on {day} (first {first})",
                    v.len()
                ),
                Some(host),
                evidence,
            )
        })
        .collect())
}
