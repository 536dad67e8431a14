//! Audit daemon health (Q-AUDITD, Q-AUDITCFG, Q-LOST, Q-STATE): auditd lifecycle records,
//! audit configuration changes (rules, audit_enabled, backlog, lost counter), system state
//! and service records. Per-host coverage (silences, serial gaps, timelines) is in
//! [`super::coverage`].
//!
//! SERVICE_START/STOP are listed only for `unit=auditd`; other units are counted per unit
//! (systemd writes one pair per timer run, which would grow lists with raw events).

use super::capped::Capped;
use super::tally::{At, Counter, Listed};
use crate::classify::{Detail, Fact, Kind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Starts and stops of one systemd unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCounts {
    /// SERVICE_START records.
    pub starts: u64,
    /// SERVICE_STOP records.
    pub stops: u64,
    /// Those that failed.
    pub failed: u64,
}

/// Daemon-health aggregate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Daemon {
    lifecycle: Listed,
    by_kind: BTreeMap<Kind, Counter>,
    audit_config: Listed,
    lost_events: u64,
    system: Listed,
    units: Capped<UnitCounts>,
}

impl Daemon {
    /// Adds one Daemon fact.
    pub fn add(&mut self, fact: Fact, at: At<'_>) {
        use Kind::*;
        self.by_kind.entry(fact.kind).or_default().add(at);
        match fact.kind {
            AuditRuleChange | AuditSetting | AuditLostReset | DaemonConfig => {
                if let Detail::Lost { lost } = fact.detail {
                    self.lost_events += lost;
                }
                self.audit_config.add(fact, at);
            }
            ServiceStart | ServiceStop => {
                let unit = match &fact.detail {
                    Detail::Service { unit: Some(u) } => u.as_str(),
                    _ => "?",
                };
                if unit == "auditd" {
                    self.system.add(fact, at);
                    return;
                }
                let Some(c) = self.units.slot(unit, at.limits.keys, at.limits.distinct) else {
                    return;
                };
                if fact.kind == ServiceStart {
                    c.starts += 1;
                } else {
                    c.stops += 1;
                }
                c.failed += u64::from(fact.result.is_failed());
            }
            SystemBoot | SystemShutdown | SystemRunlevel => self.system.add(fact, at),
            _ => self.lifecycle.add(fact, at),
        }
    }

    /// Adds `other` after `self`.
    pub fn merge(&mut self, o: &Daemon) {
        self.lifecycle.merge(&o.lifecycle);
        for (k, c) in &o.by_kind {
            self.by_kind.entry(*k).or_default().merge(c);
        }
        self.audit_config.merge(&o.audit_config);
        self.lost_events += o.lost_events;
        self.system.merge(&o.system);
        self.units.merge(
            &o.units,
            crate::limits::DISTINCT,
            |m, c| {
                m.starts += c.starts;
                m.stops += c.stops;
                m.failed += c.failed;
            },
            |c| c.starts + c.stops,
        );
    }

    /// DAEMON_* records other than DAEMON_CONFIG (start, end, abort, rotate, resume, error,
    /// remote accept/close).
    pub fn lifecycle(&self) -> &Listed {
        &self.lifecycle
    }
    /// Count of one kind (any Daemon kind).
    pub fn count(&self, kind: Kind) -> u64 {
        self.by_kind.get(&kind).map_or(0, Counter::total)
    }
    /// Counts per kind, with breakdowns.
    pub fn by_kind(&self) -> &BTreeMap<Kind, Counter> {
        &self.by_kind
    }
    /// CONFIG_CHANGE (rules, settings, lost resets) and DAEMON_CONFIG.
    pub fn audit_config(&self) -> &Listed {
        &self.audit_config
    }
    /// Sum of `old=` of lost-counter resets.
    pub fn lost_events(&self) -> u64 {
        self.lost_events
    }
    /// SYSTEM_BOOT/SHUTDOWN/RUNLEVEL and SERVICE_START/STOP of auditd.
    pub fn system(&self) -> &Listed {
        &self.system
    }
    /// SERVICE_START/STOP of other units.
    pub fn units(&self) -> &BTreeMap<String, UnitCounts> {
        self.units.map()
    }

    /// The per-unit counts when they reached their limit.
    pub(crate) fn limits_reached(&self, out: &mut Vec<crate::limits::LimitReached>) {
        out.extend(self.units.reached("daemon.units", "units", "records"));
    }
}
