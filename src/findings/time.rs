//! Time-integrity rules (F-TIME-*): the clock set by a person or a program that is not a
//! time daemon, and the clock stepping backwards between consecutive events.

use super::ctx::{base, complete, present, sorted, Ctx};
use super::{Eval, Evidence, Finding, Rule, Severity};
use crate::classify::Detail;
use crate::model::{duration_ms, SECOND_MS};

/// The time rules.
pub static RULES: &[Rule] = &[
    Rule {
        id: "F-TIME-01",
        title: "clock changed by a person or a program that is not a time daemon",
        severity: Severity::Medium,
        params: &["time_daemons"],
        eval: changed,
    },
    Rule {
        id: "F-TIME-02",
        title: "clock stepped backwards between consecutive serials",
        severity: Severity::High,
        params: &["clock_backwards_seconds"],
        eval: backwards,
    },
];

fn changed(ctx: &Ctx<'_>) -> Eval {
    let c = ctx.summary.config();
    let list = c.time_changes();
    // Changes by time daemons are counted, not listed: they show clock changes are audited.
    present(
        list.total() + c.routine_time_count().total(),
        "clock change",
        "audit rules on adjtimex, settimeofday and clock_settime record them",
    )?;
    complete(&[("time change", list)])?;
    let daemons = &ctx.site.time_daemons;
    Ok(sorted(list.items())
        .into_iter()
        .filter(|f| !daemons.iter().any(|d| d == base(f.exe.as_deref())))
        .map(|f| {
            let host = ctx.host(f);
            let how = match &f.detail {
                Detail::Time {
                    key,
                    syscall,
                    changes,
                } => [
                    key.as_deref().map(|k| format!("key={k}")),
                    syscall.as_deref().map(|s| format!("syscall={s}")),
                    (!changes.is_empty()).then(|| changes.join(", ")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
                _ => String::new(),
            };
            let what = format!("time changed by {} {how}", base(f.exe.as_deref()));
            Finding::new(
                "F-TIME-01",
                Severity::Medium,
                format!("{} on {host} (auid {})", what.trim_end(), f.auid_name()),
                Some(host),
                vec![ctx.evidence(f, what.trim_end())],
            )
        })
        .collect())
}

fn backwards(ctx: &Ctx<'_>) -> Eval {
    let limit = duration_ms(ctx.site.thresholds.clock_backwards_seconds, SECOND_MS);
    let mut out = Vec::new();
    for (host, cov) in ctx.summary.hosts() {
        for j in cov.clock_steps().iter().filter(|j| j.back_ms > limit) {
            let ev = [
                (&j.before, "event before the step"),
                (&j.after, "next serial, earlier time"),
            ]
            .map(|(p, what)| Evidence {
                host: host.clone(),
                time_ms: p.time_ms,
                actor: None,
                target: None,
                result: None,
                what: format!("{what} (serial {})", p.serial),
                source: p.source,
            });
            out.push(Finding::new(
                "F-TIME-02",
                Severity::High,
                format!(
                    "clock on {host} went back {:.1} s",
                    j.back_ms as f64 / SECOND_MS as f64
                ),
                Some(host.clone()),
                ev.to_vec(),
            ));
        }
    }
    ctx.over_hosts(out)
}
