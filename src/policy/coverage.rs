//! Rule coverage: per host, whether the audit rules a control needs are loaded.
//!
//! A control lists the key meanings it needs (`key_meanings = ["audit-log-access"]`; `a|b`
//! when either will do). For every host with events in the period, each is *watched* when
//! the host logged events of it, a rule with a key of it was loaded (CONFIG_CHANGE
//! `op=add_rule`, also before the period, and not removed since) or a `--rules` file
//! declares one ([`Watches::watching`]); otherwise it is *missing*, and the row names the
//! audit rule to add. A control whose evidence is all zero but whose rules every host has
//! loaded is evidence that nothing happened ("loaded and silent"), not an absence of
//! evidence.

use super::Control;
use crate::aggregate::{Summary, Watching};
use crate::classify::{meaning, KeyMeanings};
use serde::Serialize;

/// One needed meaning on one host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleCoverage {
    /// The host.
    pub host: String,
    /// What is needed (`audit-log-access`, or alternatives `mounts|system-objects`).
    pub needs: String,
    /// How the host has it; `None` when missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watching: Option<Watching>,
    /// When missing: the audit rule that would produce it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add: Option<String>,
}

/// The coverage rows of `control` over the hosts of `summary`.
pub fn of(control: &Control, summary: &Summary, table: &KeyMeanings) -> Vec<RuleCoverage> {
    let w = summary.watches();
    let mut out = Vec::new();
    for host in summary.hosts().keys() {
        for needs in &control.key_meanings {
            let watching = needs.split('|').find_map(|m| w.watching(host, m, table));
            let add = match watching {
                Some(_) => None,
                None => needs
                    .split('|')
                    .next()
                    .and_then(meaning::info)
                    .map(|i| i.rule.to_string()),
            };
            out.push(RuleCoverage {
                host: host.clone(),
                needs: needs.clone(),
                watching,
                add,
            });
        }
    }
    out
}

/// True when every row has its rule (and there is at least one row).
pub fn complete(rows: &[RuleCoverage]) -> bool {
    !rows.is_empty()
        && rows
            .iter()
            .all(|r| !matches!(r.watching, None | Some(Watching::Unknown)))
}

/// Most host names listed per state in [`lines`].
const HOSTS_NAMED: usize = 10;

/// Notes on the coverage rows, one line per needed meaning: which hosts logged events of
/// it, which have its rule loaded but silent (with the key and the record that loaded it),
/// which have it only from `--rules`, and which lack it, with the rule to add.
/// `source` turns a record's file id and line into `FILE:LINE`.
pub fn lines(
    rows: &[RuleCoverage],
    source: &dyn Fn(crate::model::Source) -> String,
) -> Vec<String> {
    let mut needs: Vec<&str> = Vec::new();
    for r in rows {
        if !needs.contains(&r.needs.as_str()) {
            needs.push(&r.needs);
        }
    }
    needs
        .into_iter()
        .map(|n| {
            let of = |pick: &dyn Fn(&Option<Watching>) -> bool| -> Vec<&RuleCoverage> {
                rows.iter()
                    .filter(|r| r.needs == n && pick(&r.watching))
                    .collect()
            };
            let mut parts = Vec::new();
            let events = of(&|w| matches!(w, Some(Watching::Events)));
            if !events.is_empty() {
                parts.push(format!("events on {}", names(&events)));
            }
            let loaded = of(&|w| matches!(w, Some(Watching::Loaded { .. })));
            if !loaded.is_empty() {
                let first = match &loaded[0].watching {
                    Some(Watching::Loaded { key, source: s }) => {
                        format!("key {key}, {}", source(*s))
                    }
                    _ => String::new(),
                };
                parts.push(format!(
                    "rule loaded and silent on {} ({first}): evidence of absence",
                    names(&loaded)
                ));
            }
            let declared = of(&|w| matches!(w, Some(Watching::Declared { .. })));
            if !declared.is_empty() {
                let first = match &declared[0].watching {
                    Some(Watching::Declared { key, source }) => format!("key {key}, {source}"),
                    _ => String::new(),
                };
                parts.push(format!(
                    "rule declared loaded (--rules) and silent on {} ({first})",
                    names(&declared)
                ));
            }
            let unknown = of(&|w| matches!(w, Some(Watching::Unknown)));
            if !unknown.is_empty() {
                parts.push(format!("not tracked on {} (host limit)", names(&unknown)));
            }
            let missing = of(&|w| w.is_none());
            if !missing.is_empty() {
                parts.push(format!(
                    "no rule loaded on {}: add `{}`",
                    names(&missing),
                    missing[0].add.as_deref().unwrap_or("?")
                ));
            }
            format!("{n}: {}", parts.join("; "))
        })
        .collect()
}

fn names(rows: &[&RuleCoverage]) -> String {
    let shown: Vec<&str> = rows
        .iter()
        .take(HOSTS_NAMED)
        .map(|r| r.host.as_str())
        .collect();
    let more = rows.len().saturating_sub(HOSTS_NAMED);
    let mut out = shown.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileId, Source};

    fn row(host: &str, watching: Option<Watching>) -> RuleCoverage {
        RuleCoverage {
            host: host.into(),
            needs: "audit-log-access".into(),
            add: watching
                .is_none()
                .then(|| "-w /var/log/audit/ -p r".to_string()),
            watching,
        }
    }

    #[test]
    fn lines_group_hosts_by_state() {
        let rows = vec![
            row("a", Some(Watching::Events)),
            row(
                "b",
                Some(Watching::Loaded {
                    key: "k".into(),
                    source: Source {
                        file: FileId(0),
                        line: 7,
                    },
                }),
            ),
            row("c", None),
            row("d", None),
        ];
        let l = lines(&rows, &|s| format!("f:{}", s.line));
        assert_eq!(
            l,
            vec![
                "audit-log-access: events on a; rule loaded and silent on b (key k, f:7): \
                  evidence of absence; no rule loaded on c, d: add `-w /var/log/audit/ -p r`"
            ]
        );
        assert!(!complete(&rows));
        assert!(complete(&rows[..2]));
        assert!(!complete(&[]));
    }
}
