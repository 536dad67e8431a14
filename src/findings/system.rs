//! System-object rules (F-SYS-*): kernel modules loaded or unloaded by a person, software
//! installed or removed (a population for change review; change windows are not yet read).

use super::ctx::{complete, is_set, present, sorted, Ctx};
use super::{Eval, Finding, Rule, Severity};
use crate::classify::Detail;

/// The system rules.
pub static RULES: &[Rule] = &[
    Rule {
        id: "F-SYS-01",
        title: "kernel module loaded or unloaded by a person",
        severity: Severity::Medium,
        params: &[],
        eval: modules,
    },
    Rule {
        id: "F-SYS-02",
        title: "software installed, updated or removed",
        severity: Severity::Info,
        params: &[],
        eval: software,
    },
];

fn modules(ctx: &Ctx<'_>) -> Eval {
    let list = ctx.summary.config().kernel_modules();
    present(
        list.total(),
        "kernel module",
        "audit rules on init_module, finit_module and delete_module record them",
    )?;
    complete(&[("kernel module", list)])?;
    Ok(sorted(list.items())
        .into_iter()
        .filter(|f| is_set(f.auid.as_ref()))
        .map(|f| {
            let host = ctx.host(f);
            let name = match &f.detail {
                Detail::Module { name, key } => name
                    .as_deref()
                    .map(String::from)
                    .or_else(|| key.as_deref().map(|k| format!("key={k}"))),
                _ => None,
            };
            let what = format!("kernel module {}", name.as_deref().unwrap_or("?"));
            Finding::new(
                "F-SYS-01",
                Severity::Medium,
                format!("{what} on {host} by {}", f.auid_name()),
                Some(host),
                vec![ctx.evidence(f, what)],
            )
        })
        .collect())
}

fn software(ctx: &Ctx<'_>) -> Eval {
    let list = ctx.summary.config().software();
    present(
        list.total(),
        "software installation",
        "rpm, dnf and apt write SOFTWARE_UPDATE when built with audit support",
    )?;
    complete(&[("software update", list)])?;
    Ok(sorted(list.items())
        .into_iter()
        .map(|f| {
            let host = ctx.host(f);
            let pkg = match &f.detail {
                Detail::Software { package, .. } => package.as_deref().unwrap_or("?"),
                _ => "?",
            };
            let what = format!("{} {pkg}", f.op.as_deref().unwrap_or("software change"));
            Finding::new(
                "F-SYS-02",
                Severity::Info,
                format!("{what} on {host} by {}", f.auid_name()),
                Some(host),
                vec![ctx.evidence(f, what)],
            )
        })
        .collect())
}
