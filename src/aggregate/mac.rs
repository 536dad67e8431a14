//! MAC evidence (Q-MAC-DENY, Q-MAC-CFG): SELinux and AppArmor denials grouped by signature,
//! enforced versus permissive, LSM errors, and MAC configuration changes.
//!
//! Denials are kept under their signature, because each is evidence (F-MAC-03/04 need the
//! objects): the first [`super::tally::LIST_LIMIT`] per signature and
//! [`crate::limits::SIGNATURE_FACTS`] in all, the rest counted. At most
//! [`crate::limits::SIGNATURES`] signatures are kept; the denials of the others are in the
//! totals only.

use super::capped::Capped;
use super::room::{SeatField, Transient};
use super::tally::{At, Counter, Kept, Listed};
use crate::classify::{Detail, Fact, Kind, Lsm};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The denials sharing one signature (see [`crate::classify::Denial::signature`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureGroup {
    lsm: Lsm,
    count: Counter,
    permissive: u64,
    #[serde(flatten)]
    items: Kept,
}

impl Default for SignatureGroup {
    /// An empty group; its LSM is set by its first denial.
    fn default() -> Self {
        SignatureGroup {
            lsm: Lsm::Selinux,
            count: Counter::default(),
            permissive: 0,
            items: Kept::default(),
        }
    }
}

impl SignatureGroup {
    /// Which LSM.
    pub fn lsm(&self) -> Lsm {
        self.lsm
    }
    /// The count with breakdowns.
    pub fn count(&self) -> &Counter {
        &self.count
    }
    /// How many were not enforced.
    pub fn permissive(&self) -> u64 {
        self.permissive
    }
    /// The denials, in input order (the first [`super::tally::LIST_LIMIT`]).
    pub fn items(&self) -> &[Fact] {
        self.items.items()
    }

    /// Denials counted but not kept.
    pub fn omitted(&self) -> u64 {
        self.items.omitted()
    }
}

/// MAC aggregate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "MacFile")]
pub struct Mac {
    denials: Counter,
    enforced: Counter,
    permissive: Counter,
    signatures: Capped<SignatureGroup>,
    /// Denials kept across all signatures.
    #[serde(skip)]
    kept: usize,
    errors: Listed,
    config: Listed,
    /// In a parallel read, the range whose signatures' lists this aggregate gates.
    #[serde(skip)]
    seat: SeatField,
}

/// [`Mac`] as `summary.json` holds it: what it does not hold (the denials kept across
/// signatures) is counted again.
#[derive(Deserialize)]
struct MacFile {
    denials: Counter,
    enforced: Counter,
    permissive: Counter,
    signatures: Capped<SignatureGroup>,
    errors: Listed,
    config: Listed,
}

impl From<MacFile> for Mac {
    fn from(m: MacFile) -> Mac {
        let kept = m.signatures.map().values().map(|g| g.items().len()).sum();
        Mac {
            denials: m.denials,
            enforced: m.enforced,
            permissive: m.permissive,
            signatures: m.signatures,
            kept,
            errors: m.errors,
            config: m.config,
            seat: Transient(None),
        }
    }
}

impl Mac {
    /// Adds one Mac fact.
    pub fn add(&mut self, fact: Fact, at: At<'_>) {
        match (&fact.detail, fact.kind) {
            (Detail::Denial(d), Kind::MacDenial) => {
                self.denials.add(at);
                // Not stated (`permissive=` missing) counts as enforced: the kernel says
                // `denied`.
                let permissive = d.permissive == Some(true);
                if permissive {
                    self.permissive.add(at);
                } else {
                    self.enforced.add(at);
                }
                let (limit, distinct) = (at.limits.signatures, at.limits.distinct);
                let Some(group) = self.signatures.slot(&d.signature, limit, distinct) else {
                    return;
                };
                if group.count.total() == 0 {
                    if let Some(seat) = &self.seat.0 {
                        group
                            .items
                            .set_gate(seat.keyed(format!("mac:{}", d.signature)));
                    }
                }
                group.lsm = d.lsm;
                group.count.add(at);
                group.permissive += u64::from(permissive);
                if self.kept < at.limits.signature_facts {
                    // A later range of a parallel read may also drop some it kept.
                    let before = group.items.items().len();
                    group.items.push(fact);
                    self.kept = (self.kept + group.items.items().len()).saturating_sub(before);
                } else {
                    group.items.omit();
                }
            }
            (_, Kind::MacError) => self.errors.add(fact, at),
            _ => self.config.add(fact, at),
        }
    }

    /// Adds `other` after `self`.
    pub fn merge(&mut self, o: &Mac) {
        self.denials.merge(&o.denials);
        self.enforced.merge(&o.enforced);
        self.permissive.merge(&o.permissive);
        self.signatures.merge(
            &o.signatures,
            crate::limits::DISTINCT,
            |mine, g| {
                mine.count.merge(&g.count);
                mine.permissive += g.permissive;
                mine.items.merge(&g.items);
            },
            |g| g.count.total(),
        );
        self.kept = self
            .signatures
            .map()
            .values()
            .map(|g| g.items().len())
            .sum();
        self.errors.merge(&o.errors);
        self.config.merge(&o.config);
    }

    /// True when the denials kept across signatures reached their shared limit.
    pub(crate) fn shared_limit_reached(&self, limits: &crate::limits::Limits) -> bool {
        self.kept >= limits.signature_facts
    }

    /// All denials.
    pub fn denials(&self) -> &Counter {
        &self.denials
    }
    /// Enforced denials (`permissive=0`, missing, AppArmor DENIED).
    pub fn enforced(&self) -> &Counter {
        &self.enforced
    }
    /// Denials not enforced (`permissive=1`, AppArmor ALLOWED).
    pub fn permissive(&self) -> &Counter {
        &self.permissive
    }
    /// Denials by signature, each with its items (the first [`crate::limits::SIGNATURES`]
    /// signatures in input order).
    pub fn signatures(&self) -> &BTreeMap<String, SignatureGroup> {
        self.signatures.map()
    }

    /// Distinct signatures, listed or past the limit (a lower bound when more than
    /// [`crate::limits::DISTINCT`] went past it).
    pub fn distinct_signatures(&self) -> u64 {
        self.signatures.map().len() as u64 + self.signatures.beyond().distinct()
    }

    /// True when signatures went past the limit: [`Mac::signatures`] is not every one.
    pub fn signatures_cut(&self) -> bool {
        !self.signatures.beyond().is_empty()
    }

    /// The signatures when they reached their limit.
    pub(crate) fn limits_reached(&self, out: &mut Vec<crate::limits::LimitReached>) {
        out.extend(
            self.signatures
                .reached("mac.signatures", "signatures", "denials"),
        );
    }
    /// SELINUX_ERR, USER_SELINUX_ERR, AppArmor ERROR.
    pub fn errors(&self) -> &Listed {
        &self.errors
    }
    /// MAC_STATUS, MAC_POLICY_LOAD, MAC_CONFIG_CHANGE, USER_MAC_*, MAC network labelling,
    /// AppArmor profile loads.
    pub fn config(&self) -> &Listed {
        &self.config
    }
}
