//! The counted values of the watches aggregate: events, failures and actors of a key, a
//! meaning or a host, and the rules each host loaded.

use super::KEY_LIMIT;
use crate::aggregate::folded::{ActorSet, Fold, Folded};
use crate::model::Source;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Events, failures and distinct actors (login ids) of a key, a meaning or a host.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Events.
    pub events: u64,
    /// Of which failed.
    pub failed: u64,
    /// Distinct login ids (`auid`) of the events that had one (`actors`, `actor_ids`).
    #[serde(flatten)]
    pub actors: ActorSet,
}

impl Group {
    pub(super) fn add(&mut self, failed: bool, auid: Option<u32>) {
        self.events += 1;
        self.failed += u64::from(failed);
        if let Some(a) = auid {
            self.actors.insert(a);
        }
    }
}

impl Fold for Group {
    fn fold(&mut self, o: &Self) {
        self.fold_group(o);
    }
}

impl Group {
    /// Adds `o` (also a later part of the input).
    pub(super) fn fold_group(&mut self, o: &Group) {
        self.events += o.events;
        self.failed += o.failed;
        self.actors.merge(&o.actors);
    }
}

/// One key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyStats {
    /// Its meaning, when the key table has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
    /// Events, failures, actors.
    #[serde(flatten)]
    pub group: Group,
}

impl Fold for KeyStats {
    fn fold(&mut self, o: &Self) {
        if self.meaning.is_none() {
            self.meaning.clone_from(&o.meaning);
        }
        self.group.fold(&o.group);
    }
}

/// One host.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostWatch {
    /// Keyed events, failures, actors.
    #[serde(flatten)]
    pub group: Group,
    /// SYSCALL events without a key.
    pub keyless: u64,
    /// Meanings the host logged events of.
    pub meanings: BTreeSet<String>,
}

impl Fold for HostWatch {
    fn fold(&mut self, o: &Self) {
        self.group.fold(&o.group);
        self.keyless += o.keyless;
        self.meanings.extend(o.meanings.iter().cloned());
    }
}

/// The last rule change of one key on one host.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleLoad {
    /// `add` or `remove`.
    pub action: String,
    /// The filter list (`list=4` is exit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// When.
    pub time_ms: i64,
    /// The CONFIG_CHANGE record.
    pub source: Source,
}

impl Fold for RuleLoad {
    /// The later change wins.
    fn fold(&mut self, o: &Self) {
        if !o.action.is_empty() {
            *self = o.clone();
        }
    }
}

/// Rule keys changed on one host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "HostRulesFile")]
pub struct HostRules {
    /// Per key, its last change.
    pub keys: Folded<RuleLoad>,
    /// True when more keys changed than [`KEY_LIMIT`] (those with the largest names are
    /// not tracked).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keys_over_limit: bool,
}

/// [`HostRules`] as `summary.json` holds it: the keys, and whether some were folded.
#[derive(Deserialize)]
struct HostRulesFile {
    keys: std::collections::BTreeMap<String, RuleLoad>,
    #[serde(default)]
    keys_over_limit: bool,
}

impl From<HostRulesFile> for HostRules {
    fn from(h: HostRulesFile) -> HostRules {
        let over = h.keys_over_limit.then(RuleLoad::default);
        HostRules {
            keys: Folded::read(h.keys, KEY_LIMIT, over),
            keys_over_limit: h.keys_over_limit,
        }
    }
}

impl Default for HostRules {
    fn default() -> Self {
        HostRules {
            keys: Folded::new(KEY_LIMIT),
            keys_over_limit: false,
        }
    }
}

impl Fold for HostRules {
    fn fold(&mut self, o: &Self) {
        self.keys.merge(&o.keys);
        self.keys_over_limit = self.keys.over();
    }
}
