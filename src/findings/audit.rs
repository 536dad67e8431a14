//! Audit-trail health rules (F-AUD-*): auditd stopped, aborted or suspended, auditing
//! disabled, rules changed by a person, lost events, silent hosts, short coverage. These
//! decide whether every other piece of evidence can be trusted, so most are critical or high.

use super::ctx::{is_set, Ctx};
use super::{Eval, Evidence, Finding, Rule, Severity};
use crate::aggregate::coverage::TimelineEntry;
use crate::classify::{Detail, Kind, Outcome};
use crate::model::{duration_ms, format_ms, RecordType, DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS};
use std::collections::BTreeMap;

/// The audit-trail rules.
pub static RULES: &[Rule] = &[
    Rule {
        id: "F-AUD-01",
        title:
            "auditd stopped and not running again within the restart window (outside a shutdown)",
        severity: Severity::Critical,
        params: &["audit_restart_minutes"],
        eval: stopped,
    },
    Rule {
        id: "F-AUD-02",
        title: "auditd stopped by a person",
        severity: Severity::High,
        params: &[],
        eval: stopped_by_person,
    },
    Rule {
        id: "F-AUD-03",
        title: "auditd aborted, reported an error, or failed to start or resume",
        severity: Severity::Critical,
        params: &[],
        eval: daemon_failed,
    },
    Rule {
        id: "F-AUD-04",
        title: "audit logging was suspended and resumed",
        severity: Severity::High,
        params: &[],
        eval: resumed,
    },
    Rule {
        id: "F-AUD-05",
        title: "auditing disabled (audit_enabled=0)",
        severity: Severity::Critical,
        params: &[],
        eval: disabled,
    },
    Rule {
        id: "F-AUD-06",
        title: "audit rules changed by a person outside the boot rule load",
        severity: Severity::High,
        params: &["rule_load_seconds"],
        eval: rules_changed,
    },
    Rule {
        id: "F-AUD-07",
        title: "audit rules not locked: auditd started without audit_enabled=2 after its rule \
                load",
        severity: Severity::Medium,
        params: &["expect_locked_rules", "rule_load_seconds"],
        eval: not_locked,
    },
    Rule {
        id: "F-AUD-08",
        title: "audit events lost (kernel lost counter or serial gaps)",
        severity: Severity::High,
        params: &["serial_gap_max"],
        eval: lost,
    },
    Rule {
        id: "F-AUD-09",
        title: "host silent longer than the threshold (shutdown-to-boot excluded)",
        severity: Severity::High,
        params: &["silent_hours"],
        eval: silent,
    },
    Rule {
        id: "F-AUD-10",
        title: "host's records do not cover the period, or an in-scope host has no data",
        severity: Severity::High,
        params: &["coverage_edge_hours"],
        eval: coverage,
    },
    Rule {
        id: "F-AUD-14",
        title: "retention not shown: a host's earliest record in the input is less than the \
                retention period before the period's end",
        severity: Severity::Medium,
        params: &["retention_days"],
        eval: retention,
    },
];

fn entry(host: &str, e: &TimelineEntry, what: &str) -> Evidence {
    Evidence {
        host: host.to_string(),
        time_ms: e.time_ms,
        actor: e.actor.clone(),
        target: None,
        result: Some(e.result),
        what: what.to_string(),
        source: e.source,
    }
}

fn kind_name(k: Kind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Each host's timeline in time order (then source); hosts whose timeline was cut at the
/// coverage limit are left out (a missing start would look like a stop).
fn timelines<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = (&'a String, Vec<&'a TimelineEntry>)> {
    let hosts = ctx.summary.hosts().iter();
    hosts
        .filter(|(_, c)| !c.limited().timeline)
        .map(|(h, cov)| {
            let mut t: Vec<&TimelineEntry> = cov.timeline().iter().collect();
            t.sort_by_key(|e| (e.time_ms, e.source));
            (h, t)
        })
}

fn stopped(ctx: &Ctx<'_>) -> Eval {
    let window = Ctx::minutes(ctx.site.thresholds.audit_restart_minutes);
    let mut out = Vec::new();
    for (host, t) in timelines(ctx) {
        // A stop inside an outage already reported (an abort after the stop) is not another.
        let mut reported_until = i64::MIN;
        for (i, e) in t.iter().enumerate() {
            if !matches!(e.kind, Kind::DaemonEnd | Kind::DaemonAbort) || e.time_ms < reported_until
            {
                continue;
            }
            // A stop is over at the next start that is not itself followed by an abort.
            let back = t[i + 1..].iter().enumerate().find(|(j, n)| {
                n.kind == Kind::DaemonStart
                    && n.result != Outcome::Failed
                    && t.get(i + 2 + j).is_none_or(|m| m.kind != Kind::DaemonAbort)
            });
            let shutdown = t.iter().any(|s| {
                s.kind == Kind::SystemShutdown
                    && s.time_ms.abs_diff(e.time_ms) <= window.unsigned_abs()
            });
            let mut ev = vec![entry(host, e, &kind_name(e.kind))];
            let summary = match back {
                Some((_, n)) if n.time_ms.saturating_sub(e.time_ms) <= window || shutdown => {
                    continue
                }
                Some((_, n)) => {
                    reported_until = n.time_ms;
                    ev.push(entry(host, n, "daemon-start"));
                    format!(
                        "auditd on {host} not running from {} to {} ({} min)",
                        format_ms(e.time_ms),
                        format_ms(n.time_ms),
                        n.time_ms.saturating_sub(e.time_ms) / MINUTE_MS
                    )
                }
                None if shutdown => continue,
                None => {
                    reported_until = i64::MAX;
                    format!(
                        "auditd on {host} stopped at {} and did not start again in the input",
                        format_ms(e.time_ms)
                    )
                }
            };
            out.push(Finding::new(
                "F-AUD-01",
                Severity::Critical,
                summary,
                Some(host.clone()),
                ev,
            ));
        }
    }
    ctx.over_hosts(out)
}

fn person(actor: Option<&str>) -> bool {
    actor.is_some_and(|a| a != "unset")
}

fn stopped_by_person(ctx: &Ctx<'_>) -> Eval {
    let mut out = Vec::new();
    for (host, t) in timelines(ctx) {
        for e in t.iter().filter(|e| e.kind == Kind::DaemonEnd) {
            if person(e.actor.as_deref()) {
                let who = e.actor.as_deref().unwrap_or("?");
                out.push(Finding::new(
                    "F-AUD-02",
                    Severity::High,
                    format!("auditd on {host} stopped by {who}"),
                    Some(host.clone()),
                    vec![entry(host, e, "daemon-end")],
                ));
            }
        }
    }
    ctx.over_hosts(out)
}

fn daemon_failed(ctx: &Ctx<'_>) -> Eval {
    let mut out = Vec::new();
    for (host, t) in timelines(ctx) {
        for e in t {
            let bad = match e.kind {
                Kind::DaemonAbort | Kind::DaemonError => true,
                Kind::DaemonStart | Kind::DaemonResume => e.result == Outcome::Failed,
                _ => false,
            };
            if bad {
                let what = kind_name(e.kind);
                out.push(Finding::new(
                    "F-AUD-03",
                    Severity::Critical,
                    format!("{what} on {host}"),
                    Some(host.clone()),
                    vec![entry(host, e, &what)],
                ));
            }
        }
    }
    ctx.over_hosts(out)
}

fn resumed(ctx: &Ctx<'_>) -> Eval {
    let mut out = Vec::new();
    for (host, t) in timelines(ctx) {
        for (i, e) in t.iter().enumerate() {
            if e.kind != Kind::DaemonResume {
                continue;
            }
            let mut ev = vec![entry(host, e, "daemon-resume")];
            if let Some(prev) = i.checked_sub(1).map(|p| t[p]) {
                ev.push(entry(host, prev, &kind_name(prev.kind)));
            }
            out.push(Finding::new(
                "F-AUD-04",
                Severity::High,
                format!(
                    "audit logging on {host} resumed at {}",
                    format_ms(e.time_ms)
                ),
                Some(host.clone()),
                ev,
            ));
        }
    }
    ctx.over_hosts(out)
}

fn disabled(ctx: &Ctx<'_>) -> Eval {
    let list = ctx.summary.daemon().audit_config();
    super::ctx::complete(&[("audit configuration", list)])?;
    let out = list
        .items()
        .iter()
        .filter(|f| {
            matches!(&f.detail, Detail::Setting { name, value: Some(v), .. }
                if name == "audit_enabled" && v == "0")
        })
        .map(|f| {
            let host = ctx.host(f);
            Finding::new(
                "F-AUD-05",
                Severity::Critical,
                format!("auditing disabled on {host} by {}", f.auid_name()),
                Some(host),
                vec![ctx.evidence(f, "audit_enabled=0")],
            )
        })
        .collect();
    Ok(out)
}

/// Every DAEMON_START of a host must be followed, within the rule load window, by
/// `audit_enabled=2` (the `-e 2` that ends a locked rule set) on that host. Starts whose
/// window ends after the period are not judged.
fn not_locked(ctx: &Ctx<'_>) -> Eval {
    if !ctx.site.expect_locked_rules {
        return Err(
            "the site does not expect locked rules: set expect_locked_rules = true in \
             auditrail.toml"
                .into(),
        );
    }
    let list = ctx.summary.daemon().audit_config();
    super::ctx::complete(&[("audit configuration", list)])?;
    let load_ms = duration_ms(ctx.site.thresholds.rule_load_seconds, SECOND_MS);
    let end = ctx.summary.period().end_ms.unwrap_or(i64::MAX);
    let locks: Vec<(String, i64)> = list
        .items()
        .iter()
        .filter(|f| {
            matches!(&f.detail, Detail::Setting { name, value: Some(v), .. }
                if name == "audit_enabled" && v == "2")
        })
        .map(|f| (ctx.host(f), f.time_ms))
        .collect();
    let mut out = Vec::new();
    let mut judged = 0u64;
    for (host, cov) in ctx.summary.hosts() {
        if cov.limited().timeline {
            continue;
        }
        for e in cov
            .timeline()
            .iter()
            .filter(|e| e.kind == Kind::DaemonStart)
        {
            if e.time_ms.saturating_add(load_ms) >= end {
                continue;
            }
            judged += 1;
            let locked = locks.iter().any(|(h, t)| {
                h == host && *t >= e.time_ms && t.saturating_sub(e.time_ms) <= load_ms
            });
            if !locked {
                out.push(Finding::new(
                    "F-AUD-07",
                    Severity::Medium,
                    format!(
                        "audit rules on {host} not locked after auditd started at {} (no \
                         audit_enabled=2 within {} s)",
                        format_ms(e.time_ms),
                        ctx.site.thresholds.rule_load_seconds
                    ),
                    Some(host.clone()),
                    vec![entry(host, e, "auditd started")],
                ));
            }
        }
    }
    if judged == 0 {
        // Rules are locked (or not) when auditd starts: with no start to judge, a pass
        // would say nothing.
        return Err("no auditd start in the period whose rule load could be judged".into());
    }
    ctx.over_hosts(out)
}

/// Changes by one person on one host less than this apart are one finding (`auditctl -R`
/// or `augenrules --load` writes one CONFIG_CHANGE per rule, all in the same second).
const RULE_CHANGE_BURST_MS: i64 = 10 * MINUTE_MS;

fn rules_changed(ctx: &Ctx<'_>) -> Eval {
    let list = ctx.summary.daemon().audit_config();
    super::ctx::complete(&[("audit configuration", list)])?;
    let load_ms = duration_ms(ctx.site.thresholds.rule_load_seconds, SECOND_MS);
    let mut changes = Vec::new();
    for f in list.items() {
        let Detail::Rule { action, key, .. } = &f.detail else {
            continue;
        };
        if f.kind != Kind::AuditRuleChange || !is_set(f.auid.as_ref()) {
            continue;
        }
        let host = ctx.host(f);
        let at_boot = ctx.summary.hosts().get(&host).is_some_and(|cov| {
            cov.timeline().iter().any(|e| {
                e.kind == Kind::DaemonStart
                    && f.time_ms >= e.time_ms
                    && f.time_ms.saturating_sub(e.time_ms) <= load_ms
            })
        });
        if at_boot {
            continue;
        }
        let what = format!("{action} rule key={}", key.as_deref().unwrap_or("?"));
        changes.push((host, f.auid_name().to_string(), ctx.evidence(f, what)));
    }
    changes.sort_by_key(|(_, _, e)| (e.time_ms, e.source));
    // Open bursts per (host, actor); a change more than the burst gap after the last one
    // of its burst starts a new one.
    let mut open: BTreeMap<(String, String), Vec<Evidence>> = BTreeMap::new();
    let mut done = Vec::new();
    for (host, actor, ev) in changes {
        let key = (host, actor);
        let burst = open.entry(key.clone()).or_default();
        if burst
            .last()
            .is_some_and(|l| ev.time_ms.saturating_sub(l.time_ms) > RULE_CHANGE_BURST_MS)
        {
            done.push((key, std::mem::take(burst)));
        }
        burst.push(ev);
    }
    done.extend(open.into_iter().filter(|(_, b)| !b.is_empty()));
    let mut out: Vec<Finding> = done
        .into_iter()
        .map(|((host, actor), burst)| {
            let summary = match burst.as_slice() {
                [one] => format!("{} on {host} by {actor}", one.what),
                many => {
                    let mut whats: Vec<&str> = many.iter().map(|e| e.what.as_str()).collect();
                    whats.dedup();
                    let shown = whats.len().min(3);
                    let more = if whats.len() > shown { ", ..." } else { "" };
                    format!(
                        "{} audit rule changes on {host} by {actor}: {}{more}",
                        many.len(),
                        whats[..shown].join(", ")
                    )
                }
            };
            Finding::new("F-AUD-06", Severity::High, summary, Some(host), burst)
        })
        .collect();
    out.sort_by(|a, b| (a.first_ms, &a.host).cmp(&(b.first_ms, &b.host)));
    Ok(out)
}

fn lost(ctx: &Ctx<'_>) -> Eval {
    let max_gap = ctx.site.thresholds.serial_gap_max;
    let mut out = Vec::new();
    for (host, cov) in ctx.summary.hosts() {
        for gap in cov
            .serial_gaps()
            .into_iter()
            .filter(|g| g.missing > max_gap)
        {
            let mut f = Finding::new(
                "F-AUD-08",
                Severity::High,
                format!(
                    "{} serials missing on {host} between {} and {}",
                    gap.missing, gap.after_serial, gap.before_serial
                ),
                Some(host.clone()),
                [
                    (gap.after, gap.after_ms, "last serial before the gap"),
                    (gap.before, gap.before_ms, "first serial after the gap"),
                ]
                .into_iter()
                .map(|(source, time_ms, what)| Evidence {
                    host: host.clone(),
                    time_ms,
                    actor: None,
                    target: None,
                    result: None,
                    what: what.to_string(),
                    source,
                })
                .collect(),
            );
            f.count = gap.missing;
            out.push(f);
        }
    }
    for f in ctx.summary.daemon().audit_config().items() {
        if let Detail::Lost { lost } = f.detail {
            if lost > 0 {
                let host = ctx.host(f);
                let mut finding = Finding::new(
                    "F-AUD-08",
                    Severity::High,
                    format!("kernel reported {lost} lost events on {host}"),
                    Some(host),
                    vec![ctx.evidence(f, format!("lost counter reset, old={lost}"))],
                );
                finding.count = lost;
                out.push(finding);
            }
        }
    }
    ctx.over_hosts(out)
}

fn silent(ctx: &Ctx<'_>) -> Eval {
    let hours = ctx.site.thresholds.silent_hours;
    let limit = duration_ms(hours, HOUR_MS);
    if ctx.summary.silence_threshold_ms() > limit {
        return Err(format!(
            "the summary kept only silences over {} h; rebuild it with the {hours} h threshold",
            ctx.summary.silence_threshold_ms() / HOUR_MS
        ));
    }
    let restart = Ctx::minutes(ctx.site.thresholds.audit_restart_minutes);
    let mut out = Vec::new();
    for (host, cov) in ctx.summary.hosts() {
        for s in cov.silences().iter().filter(|s| s.duration_ms > limit) {
            let shutdown = cov.timeline().iter().any(|e| {
                e.kind == Kind::SystemShutdown
                    && e.time_ms <= s.from.time_ms
                    && s.from.time_ms.saturating_sub(e.time_ms) <= restart
            });
            let boot = matches!(
                s.to.rtype,
                RecordType::SYSTEM_BOOT | RecordType::DAEMON_START
            );
            if shutdown && boot {
                continue;
            }
            let point = |p: &crate::aggregate::coverage::Point, what: &str| Evidence {
                host: host.clone(),
                time_ms: p.time_ms,
                actor: None,
                target: None,
                result: None,
                what: format!("{what} ({})", p.rtype.name().unwrap_or("?")),
                source: p.source,
            };
            out.push(Finding::new(
                "F-AUD-09",
                Severity::High,
                format!(
                    "no records from {host} for {:.1} h ({} .. {})",
                    s.duration_ms as f64 / HOUR_MS as f64,
                    format_ms(s.from.time_ms),
                    format_ms(s.to.time_ms)
                ),
                Some(host.clone()),
                vec![
                    point(&s.from, "last record before"),
                    point(&s.to, "first record after"),
                ],
            ));
        }
    }
    ctx.over_hosts(out)
}

/// Hosts whose records do not reach the period's edges; hosts with records in the input but
/// none in the period (their first and last record outside it are the evidence); in-scope
/// hosts with no records at all.
fn coverage(ctx: &Ctx<'_>) -> Eval {
    let s = ctx.summary;
    if s.events() == 0 && s.outside_hosts().is_empty() && ctx.site.hosts.is_empty() {
        return Err(super::NO_RECORDS.into());
    }
    let p = s.period();
    let (Some(start), Some(end)) = (p.start_ms, p.end_ms) else {
        return Err("no period given (--period): coverage of a period cannot be measured".into());
    };
    let edge = duration_ms(ctx.site.thresholds.coverage_edge_hours, HOUR_MS);
    let mut out = Vec::new();
    for (host, cov) in ctx.summary.hosts() {
        let (Some(first), Some(last)) = (cov.first_ms(), cov.last_ms()) else {
            continue;
        };
        let mut gaps = Vec::new();
        if first.saturating_sub(start) > edge {
            gaps.push(format!("first record {}", format_ms(first)));
        }
        if end.saturating_sub(last) > edge {
            gaps.push(format!("last record {}", format_ms(last)));
        }
        if !gaps.is_empty() {
            let mut f = Finding::new(
                "F-AUD-10",
                Severity::Medium,
                format!("{host} does not cover the period: {}", gaps.join(", ")),
                Some(host.clone()),
                Vec::new(),
            );
            (f.first_ms, f.last_ms, f.count) = (first, last, cov.events());
            out.push(f);
        }
    }
    for (host, r) in s.outside_hosts() {
        if s.hosts().contains_key(host) {
            continue;
        }
        let item = |time_ms, source, what: &str| Evidence {
            host: host.clone(),
            time_ms,
            actor: None,
            target: None,
            result: None,
            what: what.to_string(),
            source,
        };
        let mut ev = vec![item(r.first_ms, r.first, "earliest record in the input")];
        if r.last != r.first {
            ev.push(item(r.last_ms, r.last, "latest record in the input"));
        }
        let mut f = Finding::new(
            "F-AUD-10",
            Severity::High,
            format!(
                "{host} has no records in the period: its {} event(s) in the input are all \
                 outside it ({} .. {})",
                r.events,
                format_ms(r.first_ms),
                format_ms(r.last_ms)
            ),
            Some(host.clone()),
            ev,
        );
        f.count = r.events;
        out.push(f);
    }
    for host in &ctx.site.hosts {
        if !s.host_seen(host) && !s.outside_host_seen(host) {
            let mut f = Finding::new(
                "F-AUD-10",
                Severity::High,
                format!("in-scope host {host} has no records in the period"),
                Some(host.clone()),
                Vec::new(),
            );
            (f.first_ms, f.last_ms) = (start, start);
            out.push(f);
        }
    }
    ctx.over_hosts(out)
}

/// How far back each host's records in the input reach from the period's end (the input may
/// hold older logs than the period: `report /var/log/audit/ --period 2026-10` counts them
/// here and nowhere else). PCI DSS 10.5.1 wants 3 months immediately available, CIS 8.10 90
/// days.
fn retention(ctx: &Ctx<'_>) -> Eval {
    let Some(end) = ctx.summary.period().end_ms else {
        return Err("no period end (--period): retention is measured back from it".into());
    };
    let days = ctx.site.thresholds.retention_days;
    let need = duration_ms(days, DAY_MS);
    let mut out = Vec::new();
    for host in ctx.summary.hosts().keys() {
        let Some(earliest) = ctx.summary.earliest_of(host) else {
            continue;
        };
        if end.saturating_sub(earliest) < need {
            let mut f = Finding::new(
                "F-AUD-14",
                Severity::Medium,
                format!(
                    "{host}: the input's records start {} ({:.0} days before the period end), \
                     less than the {days} days to retain: give every retained log (e.g. \
                     /var/log/audit/) to show them",
                    format_ms(earliest),
                    end.saturating_sub(earliest) as f64 / DAY_MS as f64
                ),
                Some(host.clone()),
                Vec::new(),
            );
            (f.first_ms, f.last_ms) = (earliest, earliest);
            out.push(f);
        }
    }
    ctx.over_hosts(out)
}
