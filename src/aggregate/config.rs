//! System configuration evidence (Q-TIME, Q-SYSOBJ): time changes, kernel modules, software
//! updates, netfilter and USYS_CONFIG changes.
//!
//! Time daemons (chronyd, ntpd, systemd-timesyncd, ptp4l, phc2sys) adjust the clock many
//! times a day; their time changes are counted per host and executable with the first and
//! last source, not listed one by one. Every other time change is listed (F-TIME-01 needs
//! them).

use super::tally::{At, Counter, Listed};
use crate::classify::{Fact, Kind};
use crate::model::Source;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Executables whose time changes are routine (time synchronisation daemons).
pub const TIME_DAEMONS: &[&str] = &["chronyd", "ntpd", "systemd-timesyncd", "ptp4l", "phc2sys"];

/// Routine time adjustments by one daemon on one host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routine {
    /// How many.
    pub count: u64,
    /// First (input order).
    pub first: Source,
    /// Last (input order).
    pub last: Source,
}

/// Configuration aggregate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    time_changes: Listed,
    routine_time: BTreeMap<String, BTreeMap<String, Routine>>,
    routine_time_count: Counter,
    kernel_modules: Listed,
    software: Listed,
    netfilter: Listed,
    other: Listed,
}

fn is_time_daemon(exe: Option<&str>) -> Option<&str> {
    let base = exe?.rsplit('/').next()?;
    TIME_DAEMONS.contains(&base).then_some(base)
}

impl Config {
    /// Adds one Config fact.
    pub fn add(&mut self, fact: Fact, at: At<'_>) {
        match fact.kind {
            Kind::TimeChange => {
                if let Some(daemon) = is_time_daemon(fact.exe.as_deref()) {
                    // Per host and daemon (a fixed list): hosts past the host limit are in
                    // the count only.
                    if let Some(host) = at.host {
                        let host = self.routine_time.entry(host.to_string()).or_default();
                        let r = host.entry(daemon.to_string()).or_insert(Routine {
                            count: 0,
                            first: fact.source,
                            last: fact.source,
                        });
                        r.count += 1;
                        r.last = fact.source;
                    }
                    self.routine_time_count.add(at);
                } else {
                    self.time_changes.add(fact, at);
                }
            }
            Kind::KernelModule => self.kernel_modules.add(fact, at),
            Kind::SoftwareUpdate => self.software.add(fact, at),
            Kind::NetfilterConfig => self.netfilter.add(fact, at),
            _ => self.other.add(fact, at),
        }
    }

    /// Adds `other` after `self`.
    pub fn merge(&mut self, o: &Config) {
        self.time_changes.merge(&o.time_changes);
        for (host, daemons) in &o.routine_time {
            let mine = self.routine_time.entry(host.clone()).or_default();
            for (daemon, r) in daemons {
                match mine.get_mut(daemon) {
                    Some(m) => {
                        m.count += r.count;
                        m.last = r.last;
                    }
                    None => {
                        mine.insert(daemon.clone(), r.clone());
                    }
                }
            }
        }
        self.routine_time_count.merge(&o.routine_time_count);
        self.kernel_modules.merge(&o.kernel_modules);
        self.software.merge(&o.software);
        self.netfilter.merge(&o.netfilter);
        self.other.merge(&o.other);
    }

    /// Time changes not made by a time daemon.
    pub fn time_changes(&self) -> &Listed {
        &self.time_changes
    }
    /// Time daemon adjustments per host, then per daemon.
    pub fn routine_time(&self) -> &BTreeMap<String, BTreeMap<String, Routine>> {
        &self.routine_time
    }
    /// All time daemon adjustments.
    pub fn routine_time_count(&self) -> &Counter {
        &self.routine_time_count
    }
    /// Kernel module loads and unloads.
    pub fn kernel_modules(&self) -> &Listed {
        &self.kernel_modules
    }
    /// SOFTWARE_UPDATE.
    pub fn software(&self) -> &Listed {
        &self.software
    }
    /// NETFILTER_CFG.
    pub fn netfilter(&self) -> &Listed {
        &self.netfilter
    }
    /// USYS_CONFIG, FEATURE_CHANGE, USER_DEVICE.
    pub fn other(&self) -> &Listed {
        &self.other
    }
}
