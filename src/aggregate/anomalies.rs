//! Anomalies and responses that no other section claims: crashes (ANOM_ABEND), promiscuous
//! interfaces, suspicious links, RESP_* actions, and SECCOMP (kept apart, see
//! [`crate::classify`]).

use super::tally::{At, Listed};
use crate::classify::{Fact, Kind};
use serde::{Deserialize, Serialize};

/// Anomalies aggregate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anomalies {
    anomalies: Listed,
    responses: Listed,
    seccomp: Listed,
}

impl Anomalies {
    /// Adds one Anomalies fact.
    pub fn add(&mut self, fact: Fact, at: At<'_>) {
        match fact.kind {
            Kind::Response => self.responses.add(fact, at),
            Kind::Seccomp => self.seccomp.add(fact, at),
            _ => self.anomalies.add(fact, at),
        }
    }

    /// Adds `other` after `self`.
    pub fn merge(&mut self, o: &Anomalies) {
        self.anomalies.merge(&o.anomalies);
        self.responses.merge(&o.responses);
        self.seccomp.merge(&o.seccomp);
    }

    /// ANOM_* records not claimed by another section.
    pub fn anomalies(&self) -> &Listed {
        &self.anomalies
    }
    /// RESP_* records other than account lockouts.
    pub fn responses(&self) -> &Listed {
        &self.responses
    }
    /// SECCOMP records.
    pub fn seccomp(&self) -> &Listed {
        &self.seccomp
    }
}
