//! Mandatory access control rules (F-MAC-*): SELinux/AppArmor disabled or weakened, policy
//! changed by a person, denials of sensitive targets, SELinux errors, permissive denials.
//! F-MAC-03 (new enforced denial signatures) needs the previous period (`--baseline`) and
//! is reported not evaluated without it.

use super::ctx::{complete, is_set, sorted, Ctx};
use super::{Eval, Evidence, Finding, Rule, Severity};
use crate::classify::{Denial, Detail, Fact, Kind};
use std::collections::BTreeMap;

/// The MAC rules.
pub static RULES: &[Rule] = &[
    Rule {
        id: "F-MAC-01",
        title:
            "MAC disabled or weakened (enforcing=0, AppArmor profile removed or set to complain)",
        severity: Severity::High,
        params: &[],
        eval: weakened,
    },
    Rule {
        id: "F-MAC-02",
        title: "MAC policy or boolean changed by a person",
        severity: Severity::Medium,
        params: &[],
        eval: changed,
    },
    Rule {
        id: "F-MAC-03",
        title: "new enforced denial signature not seen in the previous period",
        severity: Severity::Medium,
        params: &[],
        eval: new_signatures,
    },
    Rule {
        id: "F-MAC-04",
        title: "denials touching sensitive targets",
        severity: Severity::High,
        params: &["sensitive_targets"],
        eval: sensitive,
    },
    Rule {
        id: "F-MAC-05",
        title: "SELinux errors (SELINUX_ERR, USER_SELINUX_ERR)",
        severity: Severity::Medium,
        params: &[],
        eval: errors,
    },
    Rule {
        id: "F-MAC-06",
        title: "denials in permissive or complain mode (would have been blocked)",
        severity: Severity::Low,
        params: &[],
        eval: permissive,
    },
];

fn has_mac(ctx: &Ctx<'_>) -> Result<(), String> {
    let m = ctx.summary.mac();
    if m.denials().total() + m.errors().total() + m.config().total() == 0 {
        return Err(
            "no SELinux or AppArmor records in the input (MAC absent or not logging)".into(),
        );
    }
    complete(&[("MAC configuration", m.config()), ("MAC error", m.errors())])
}

fn finding(ctx: &Ctx<'_>, id: &'static str, sev: Severity, f: &Fact, what: String) -> Finding {
    let host = ctx.host(f);
    Finding::new(
        id,
        sev,
        format!("{what} on {host} (by {})", f.auid_name()),
        Some(host),
        vec![ctx.evidence(f, what)],
    )
}

fn weakened(ctx: &Ctx<'_>) -> Eval {
    has_mac(ctx)?;
    let mut out = Vec::new();
    for f in sorted(ctx.summary.mac().config().items()) {
        let what = match (&f.kind, &f.detail) {
            (Kind::MacStatus, Detail::Setting { value: Some(v), .. }) if v == "0" => {
                "SELinux set to permissive (enforcing=0)".to_string()
            }
            (Kind::MacPolicyLoad, Detail::Module { name, .. })
                if f.op
                    .as_deref()
                    .is_some_and(|o| o.contains("remove") || o.contains("complain")) =>
            {
                format!(
                    "AppArmor {} {}",
                    f.op.as_deref().unwrap_or("?"),
                    name.as_deref().unwrap_or("?")
                )
            }
            _ => continue,
        };
        out.push(finding(ctx, "F-MAC-01", Severity::High, f, what));
    }
    Ok(out)
}

fn changed(ctx: &Ctx<'_>) -> Eval {
    has_mac(ctx)?;
    Ok(sorted(ctx.summary.mac().config().items())
        .into_iter()
        .filter(|f| {
            matches!(f.kind, Kind::MacPolicyLoad | Kind::MacConfigChange) && is_set(f.auid.as_ref())
        })
        .map(|f| {
            let what = match &f.detail {
                Detail::Setting { name, value, .. } => {
                    format!("boolean {name} set to {}", value.as_deref().unwrap_or("?"))
                }
                _ => "policy loaded".to_string(),
            };
            finding(ctx, "F-MAC-02", Severity::Medium, f, what)
        })
        .collect())
}

/// Signatures with an enforced denial now that the previous period never logged (enforced
/// or not): one finding per signature and host, with its enforced denials as evidence.
fn new_signatures(ctx: &Ctx<'_>) -> Eval {
    let Some(baseline) = ctx.baseline else {
        return Err("needs the previous period's denial signatures".into());
    };
    let m = ctx.summary.mac();
    if m.denials().total() + m.errors().total() + m.config().total() == 0 {
        return Err(
            "no SELinux or AppArmor records in the input (MAC absent or not logging)".into(),
        );
    }
    let mut out = Vec::new();
    let cut = signatures_cut(ctx, m);
    for (sig, g) in m.signatures() {
        if g.count().total() == g.permissive() || baseline.signatures.contains(sig) {
            continue;
        }
        let mut by_host: std::collections::BTreeMap<String, Vec<_>> = Default::default();
        for f in g.items() {
            if let Detail::Denial(d) = &f.detail {
                if d.permissive != Some(true) {
                    let what = format!("enforced denial: {}", describe(d));
                    by_host
                        .entry(ctx.host(f))
                        .or_default()
                        .push(ctx.evidence(f, what));
                }
            }
        }
        let mut more = String::new();
        if g.omitted() > 0 {
            more = format!("; {} more denials of it counted but not kept", g.omitted());
        }
        if by_host.is_empty() {
            // Its enforced denials are all beyond the list limit.
            by_host.insert(String::new(), Vec::new());
        }
        for (host, evidence) in by_host {
            let on = if host.is_empty() {
                String::new()
            } else {
                format!(" on {host}")
            };
            out.push(Finding::new(
                "F-MAC-03",
                Severity::Medium,
                format!(
                    "new enforced denial signature {sig}{on}, not seen in {}{more}",
                    baseline.label
                ),
                (!host.is_empty()).then_some(host),
                evidence,
            ));
        }
    }
    match cut {
        Some(why) if out.is_empty() => Err(why),
        _ => Ok(out),
    }
}

/// Why the signatures now or in the previous period are not all known: a new signature
/// may be among those past the limit, or a signature may look new because the previous
/// period's list was cut.
fn signatures_cut(ctx: &Ctx<'_>, m: &crate::aggregate::mac::Mac) -> Option<String> {
    let mut why = Vec::new();
    if m.signatures_cut() {
        why.push(format!(
            "{} distinct denial signatures, only the first {} kept (limit)",
            m.distinct_signatures(),
            m.signatures().len()
        ));
    }
    if ctx.baseline.is_some_and(|b| b.signatures_cut) {
        why.push("the previous period's signature list was cut at its limit".to_string());
    }
    (!why.is_empty()).then(|| why.join("; "))
}

fn denials<'a>(ctx: &Ctx<'a>) -> Result<Vec<(&'a Fact, &'a Denial)>, String> {
    has_mac(ctx)?;
    let m = ctx.summary.mac();
    if m.signatures_cut() {
        return Err(format!(
            "{} distinct denial signatures, only the first {} kept (limit): the denials of \
             the others were counted but not kept",
            m.distinct_signatures(),
            m.signatures().len()
        ));
    }
    let mut out = Vec::new();
    for (sig, g) in ctx.summary.mac().signatures() {
        if g.omitted() > 0 {
            return Err(format!(
                "{} denials of {sig} were counted but not kept (list limit)",
                g.omitted()
            ));
        }
        out.extend(g.items().iter().filter_map(|f| match &f.detail {
            Detail::Denial(d) => Some((f, d.as_ref())),
            _ => None,
        }));
    }
    out.sort_by_key(|(f, _)| (f.time_ms, f.source));
    Ok(out)
}

fn describe(d: &Denial) -> String {
    format!("{} {}", d.signature, d.name.as_deref().unwrap_or(""))
        .trim_end()
        .to_string()
}

fn sensitive(ctx: &Ctx<'_>) -> Eval {
    let targets = &ctx.site.sensitive_targets;
    let hit = |d: &Denial| {
        let ttype = d.tcontext.as_deref().and_then(|c| c.split(':').nth(2));
        targets.iter().any(|t| {
            ttype == Some(t.as_str())
                || d.name
                    .as_deref()
                    .is_some_and(|n| t.starts_with('/') && n.starts_with(t.as_str()))
        })
    };
    Ok(denials(ctx)?
        .into_iter()
        .filter(|(_, d)| hit(d))
        .map(|(f, d)| {
            finding(
                ctx,
                "F-MAC-04",
                Severity::High,
                f,
                format!("denial on a sensitive target: {}", describe(d)),
            )
        })
        .collect())
}

fn errors(ctx: &Ctx<'_>) -> Eval {
    has_mac(ctx)?;
    Ok(sorted(ctx.summary.mac().errors().items())
        .into_iter()
        .map(|f| {
            finding(
                ctx,
                "F-MAC-05",
                Severity::Medium,
                f,
                "SELinux error".to_string(),
            )
        })
        .collect())
}

/// One finding per host and denial signature: a permissive system logs the same denial
/// over and over, and the reviewer's question ("would this have broken something?") is
/// per signature. Every occurrence is evidence; the count is exact.
fn permissive(ctx: &Ctx<'_>) -> Eval {
    let mut groups: BTreeMap<(String, &str), Vec<Evidence>> = BTreeMap::new();
    for (f, d) in denials(ctx)?
        .into_iter()
        .filter(|(_, d)| d.permissive == Some(true))
    {
        groups
            .entry((ctx.host(f), d.signature.as_str()))
            .or_default()
            .push(ctx.evidence(f, format!("permissive denial: {}", describe(d))));
    }
    let mut out: Vec<Finding> = groups
        .into_iter()
        .map(|((host, sig), evidence)| {
            let summary = match evidence.as_slice() {
                [one] => format!(
                    "{} on {host} (by {})",
                    one.what,
                    one.actor.as_deref().unwrap_or("unset")
                ),
                many => format!("{} permissive denials {sig} on {host}", many.len()),
            };
            Finding::new("F-MAC-06", Severity::Low, summary, Some(host), evidence)
        })
        .collect();
    out.sort_by(|a, b| (a.first_ms, &a.host).cmp(&(b.first_ms, &b.host)));
    Ok(out)
}
