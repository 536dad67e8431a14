//! MAC evidence (Q-MAC-DENY, Q-MAC-CFG): SELinux and AppArmor denials grouped by signature,
//! enforced versus permissive, LSM errors, and MAC configuration changes.
//!
//! Denials are kept under their signature, because each is evidence (F-MAC-03/04 need the
//! objects): the first [`super::tally::LIST_LIMIT`] per signature, the rest counted.

use super::tally::{At, Counter, Kept, Listed};
use crate::classify::{Detail, Fact, Kind, Lsm};
use serde::Serialize;
use std::collections::BTreeMap;

/// The denials sharing one signature (see [`crate::classify::Denial::signature`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignatureGroup {
    lsm: Lsm,
    count: Counter,
    permissive: u64,
    #[serde(flatten)]
    items: Kept,
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Mac {
    denials: Counter,
    enforced: Counter,
    permissive: Counter,
    signatures: BTreeMap<String, SignatureGroup>,
    errors: Listed,
    config: Listed,
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
                let group = self
                    .signatures
                    .entry(d.signature.clone())
                    .or_insert_with(|| SignatureGroup {
                        lsm: d.lsm,
                        count: Counter::default(),
                        permissive: 0,
                        items: Kept::default(),
                    });
                group.count.add(at);
                group.permissive += u64::from(permissive);
                group.items.push(fact);
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
        for (sig, g) in &o.signatures {
            match self.signatures.get_mut(sig) {
                Some(mine) => {
                    mine.count.merge(&g.count);
                    mine.permissive += g.permissive;
                    mine.items.merge(&g.items);
                }
                None => {
                    self.signatures.insert(sig.clone(), g.clone());
                }
            }
        }
        self.errors.merge(&o.errors);
        self.config.merge(&o.config);
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
    /// Denials by signature, each with its items.
    pub fn signatures(&self) -> &BTreeMap<String, SignatureGroup> {
        &self.signatures
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
