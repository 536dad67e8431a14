//! Watched files and system calls (Q-IDFILE, Q-LOGACCESS, Q-SYSOBJ and the rest of the
//! keyed kernel evidence): every SYSCALL event an audit rule tagged with a key, counted by
//! key, by meaning (see [`crate::classify::meaning`]) and by host, with the events behind
//! the counts.
//!
//! Counts are events, one per (node, serial): an event with two keys counts once in
//! `events`, once under each key, and once under each distinct meaning. SYSCALL events
//! without a key (`key=(null)`) are counted per host (`keyless`), not listed.
//!
//! Memory is bounded: the key map keeps the [`KEY_LIMIT`] keys whose names sort first and
//! folds the rest into one `other` entry (exact totals, `over` set); each key's per-host
//! map and the host map likewise; distinct actors are counted up to
//! [`ActorSet::LIMIT`]. Lists keep the first [`super::tally::LIST_LIMIT`] events: the
//! population (every keyed event) and the lists the finding rules read (identity files,
//! sudoers, the audit logs, denied access to sensitive paths, kernel modules), which are
//! small on a healthy host and say how many they did not keep.
//!
//! Rule coverage: the keys each host loaded (CONFIG_CHANGE `op=add_rule`, also before the
//! period, minus later `op=remove_rule`) and the meanings each host logged events of.

mod acc;
mod config;
mod counts;
mod relevance;

pub use acc::WatchAcc;
pub use config::{WatchConfig, DEFAULT_SENSITIVE_PATHS};
pub use counts::{Group, HostRules, HostWatch, KeyStats, RuleLoad};
use relevance::{relevance, Relevance};

use super::folded::{Fold, Folded};
use super::tally::{At, Counter, Kept, Listed};
use crate::classify::{Detail, Fact, KeyMeanings, NameResolver, Operation, WatchView};
use crate::model::Source;
use crate::parse::decode::to_text;
use crate::rules_text::DeclaredRule;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most keys counted by name.
pub const KEY_LIMIT: usize = 1000;
/// Most hosts counted by name in the host map and the rule map.
pub const HOST_LIMIT: usize = 1000;

/// Why a meaning counts as watched on a host (see [`Watches::watching`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum Watching {
    /// The host logged events of it.
    Events,
    /// A rule with one of its keys was loaded (CONFIG_CHANGE `op=add_rule`).
    Loaded {
        /// The key.
        key: String,
        /// The CONFIG_CHANGE record.
        source: Source,
    },
    /// A `--rules` file declares a rule with one of its keys.
    Declared {
        /// The key.
        key: String,
        /// `FILE:LINE`.
        source: String,
    },
    /// The host is beyond the host limit: not tracked.
    Unknown,
}

/// The watches aggregate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watches {
    events: Counter,
    failed: u64,
    keyless: Counter,
    /// Keyed events none of whose keys has a meaning.
    unmapped: u64,
    by_key: Folded<KeyStats>,
    by_meaning: BTreeMap<String, Group>,
    by_host: Folded<HostWatch>,
    mounts: Counter,
    modules_loaded: Counter,
    rules: Folded<HostRules>,
    /// Rules declared loaded by `--rules` files (the same for every part of one run).
    declared: Vec<DeclaredRule>,
    population: Kept,
    identity: Listed,
    privilege_config: Listed,
    audit_log: Listed,
    denied_sensitive: Listed,
    modules: Listed,
}

impl Default for Watches {
    fn default() -> Self {
        Watches {
            events: Counter::default(),
            failed: 0,
            keyless: Counter::default(),
            unmapped: 0,
            by_key: Folded::new(KEY_LIMIT),
            by_meaning: BTreeMap::new(),
            by_host: Folded::new(HOST_LIMIT),
            mounts: Counter::default(),
            modules_loaded: Counter::default(),
            rules: Folded::new(HOST_LIMIT),
            declared: Vec::new(),
            population: Kept::default(),
            identity: Listed::default(),
            privilege_config: Listed::default(),
            audit_log: Listed::default(),
            denied_sensitive: Listed::default(),
            modules: Listed::default(),
        }
    }
}

impl Serialize for Watches {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(Serialize)]
        struct Limits<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            by_key: Option<super::folded::Overflow<'a, KeyStats>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            by_host: Option<super::folded::Overflow<'a, HostWatch>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            rules: Option<super::folded::Overflow<'a, HostRules>>,
        }
        let limits = Limits {
            by_key: self.by_key.overflow(),
            by_host: self.by_host.overflow(),
            rules: self.rules.overflow(),
        };
        let mut st = s.serialize_struct("Watches", 18)?;
        st.serialize_field("events", &self.events)?;
        st.serialize_field("failed", &self.failed)?;
        st.serialize_field("keyless", &self.keyless)?;
        st.serialize_field("unmapped", &self.unmapped)?;
        st.serialize_field("by_key", &self.by_key)?;
        st.serialize_field("by_meaning", &self.by_meaning)?;
        st.serialize_field("by_host", &self.by_host)?;
        if limits.by_key.is_some() || limits.by_host.is_some() || limits.rules.is_some() {
            st.serialize_field("over_limit", &limits)?;
        } else {
            st.skip_field("over_limit")?;
        }
        st.serialize_field("mounts", &self.mounts)?;
        st.serialize_field("modules_loaded", &self.modules_loaded)?;
        st.serialize_field("rules", &self.rules)?;
        st.serialize_field("declared", &self.declared)?;
        st.serialize_field("population", &self.population)?;
        st.serialize_field("identity", &self.identity)?;
        st.serialize_field("privilege_config", &self.privilege_config)?;
        st.serialize_field("audit_log", &self.audit_log)?;
        st.serialize_field("denied_sensitive", &self.denied_sensitive)?;
        st.serialize_field("modules", &self.modules)?;
        st.end()
    }
}

/// What a folded map of [`Watches`] did not keep by name, as `over_limit` states it.
#[derive(Deserialize)]
struct OverflowFile<V> {
    limit: usize,
    other: V,
}

/// `over_limit`: the folded maps that reached their limit.
#[derive(Default, Deserialize)]
struct OverLimitFile {
    by_key: Option<OverflowFile<KeyStats>>,
    by_host: Option<OverflowFile<HostWatch>>,
    rules: Option<OverflowFile<HostRules>>,
}

/// [`Watches`] as `summary.json` holds it.
#[derive(Deserialize)]
struct WatchesFile {
    events: Counter,
    failed: u64,
    keyless: Counter,
    unmapped: u64,
    by_key: BTreeMap<String, KeyStats>,
    by_meaning: BTreeMap<String, Group>,
    by_host: BTreeMap<String, HostWatch>,
    #[serde(default)]
    over_limit: OverLimitFile,
    mounts: Counter,
    modules_loaded: Counter,
    rules: BTreeMap<String, HostRules>,
    declared: Vec<DeclaredRule>,
    population: Kept,
    identity: Listed,
    privilege_config: Listed,
    audit_log: Listed,
    denied_sensitive: Listed,
    modules: Listed,
}

impl<'de> Deserialize<'de> for Watches {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        fn folded<V: super::folded::Fold>(
            items: BTreeMap<String, V>,
            limit: usize,
            over: Option<OverflowFile<V>>,
        ) -> Folded<V> {
            match over {
                Some(o) => Folded::read(items, o.limit, Some(o.other)),
                None => Folded::read(items, limit, None),
            }
        }
        let w = WatchesFile::deserialize(d)?;
        let over = w.over_limit;
        Ok(Watches {
            events: w.events,
            failed: w.failed,
            keyless: w.keyless,
            unmapped: w.unmapped,
            by_key: folded(w.by_key, KEY_LIMIT, over.by_key),
            by_meaning: w.by_meaning,
            by_host: folded(w.by_host, HOST_LIMIT, over.by_host),
            mounts: w.mounts,
            modules_loaded: w.modules_loaded,
            rules: folded(w.rules, HOST_LIMIT, over.rules),
            declared: w.declared,
            population: w.population,
            identity: w.identity,
            privilege_config: w.privilege_config,
            audit_log: w.audit_log,
            denied_sensitive: w.denied_sensitive,
            modules: w.modules,
        })
    }
}

impl Watches {
    /// Counts a SYSCALL event without a key.
    pub fn add_keyless(&mut self, at: At<'_>, acc: &mut WatchAcc) {
        self.keyless.add(at);
        if !at.host.is_some_and(|h| acc.host(h, None)) {
            self.by_host.with_named(at.host, |h| h.keyless += 1);
        }
    }

    /// Counts a keyed event (its counts by key, meaning and host go to `acc` until it is
    /// flushed) and keeps it in the lists it belongs in.
    pub fn add(
        &mut self,
        v: &WatchView<'_>,
        at: At<'_>,
        cfg: &WatchConfig,
        acc: &mut WatchAcc,
        names: &NameResolver,
    ) {
        let failed = v.result().is_failed();
        let auid = v.auid();
        self.events.add(at);
        self.failed += u64::from(failed);
        // Meanings of the event's keys, each once.
        let mut ids: [u16; 8] = [0; 8];
        let mut n = 0;
        for key in v.keys() {
            let slot = acc.key(key, &cfg.meanings);
            match slot.index {
                Some(i) => acc.key_group(i).add(failed, auid),
                None => self.by_key.with(&to_text(key), |stats| {
                    if stats.group.events == 0 {
                        stats.meaning = slot.meaning.map(|i| cfg.meanings.name(i).to_string());
                    }
                    stats.group.add(failed, auid);
                }),
            }
            if let Some(id) = slot.meaning {
                if n < ids.len() && !ids[..n].contains(&id) {
                    ids[n] = id;
                    n += 1;
                }
            }
        }
        let ids = &ids[..n];
        if !at
            .host
            .is_some_and(|h| acc.host(h, Some((failed, auid, ids))))
        {
            self.by_host.with_named(at.host, |host| {
                host.group.add(failed, auid);
                for &m in ids {
                    host.meanings.insert(cfg.meanings.name(m).to_string());
                }
            });
        }
        if ids.is_empty() {
            self.unmapped += 1;
        }
        for &m in ids {
            acc.meaning(m).add(failed, auid);
        }
        let op = v.fixed_operation();
        let has = |m: u16| ids.contains(&m);
        if has(cfg.ids.mounts) || matches!(op, Some(Operation::Mount | Operation::Umount)) {
            self.mounts.add(at);
        }
        let module = has(cfg.ids.modules) || op == Some(Operation::ModuleLoad);
        if module {
            self.modules_loaded.add(at);
        }
        let rel = relevance(v, cfg, ids, op, module);
        self.keep(v, at, names, cfg, ids, &rel);
    }

    /// Adds the event to the population (while it has room) and to the rule lists it
    /// belongs in, building its fact only when one of them keeps it.
    fn keep(
        &mut self,
        v: &WatchView<'_>,
        at: At<'_>,
        names: &NameResolver,
        cfg: &WatchConfig,
        ids: &[u16],
        rel: &Relevance,
    ) {
        let meanings = || {
            ids.iter()
                .map(|&m| cfg.meanings.name(m).to_string())
                .collect()
        };
        let mut fact: Option<Fact> = None;
        let mut put = |list: &mut Listed, wanted: bool| {
            if !wanted {
                return;
            }
            if list.is_full() {
                list.add_omitted(at);
                return;
            }
            let f = fact.get_or_insert_with(|| v.fact(names, meanings()));
            list.add(f.clone(), at);
        };
        put(&mut self.identity, rel.identity);
        put(&mut self.privilege_config, rel.privilege_config);
        put(&mut self.audit_log, rel.audit_log);
        put(&mut self.denied_sensitive, rel.denied_sensitive);
        put(&mut self.modules, rel.modules);
        if self.population.is_full() {
            self.population.omit();
        } else {
            let f = fact.unwrap_or_else(|| v.fact(names, meanings()));
            self.population.push(f);
        }
    }

    /// Notes a CONFIG_CHANGE that added or removed rules (any time, also before the
    /// period: rules loaded at boot stay loaded).
    pub fn note_rule(&mut self, fact: &Fact, host: &str) {
        let Detail::Rule {
            action,
            key: Some(keys),
            list,
            ..
        } = &fact.detail
        else {
            return;
        };
        if action != "add" && action != "remove" {
            return;
        }
        let load = RuleLoad {
            action: action.to_string(),
            list: list.as_deref().map(String::from),
            time_ms: fact.time_ms,
            source: fact.source,
        };
        self.rules.with(host, |rules| {
            for key in keys.split(',').filter(|k| !k.is_empty()) {
                *rules.keys.entry(key) = load.clone();
            }
            rules.keys_over_limit = rules.keys.over();
        });
    }

    /// Adds `o` (a later part of the input).
    pub fn merge(&mut self, o: &Watches) {
        self.events.merge(&o.events);
        self.failed += o.failed;
        self.keyless.merge(&o.keyless);
        self.unmapped += o.unmapped;
        self.by_key.merge(&o.by_key);
        for (m, g) in &o.by_meaning {
            self.by_meaning.entry(m.clone()).or_default().fold(g);
        }
        self.by_host.merge(&o.by_host);
        self.mounts.merge(&o.mounts);
        self.modules_loaded.merge(&o.modules_loaded);
        self.rules.merge(&o.rules);
        if self.declared.is_empty() {
            self.declared.clone_from(&o.declared);
        }
        self.population.merge(&o.population);
        self.identity.merge(&o.identity);
        self.privilege_config.merge(&o.privilege_config);
        self.audit_log.merge(&o.audit_log);
        self.denied_sensitive.merge(&o.denied_sensitive);
        self.modules.merge(&o.modules);
    }

    /// Keyed events.
    pub fn events(&self) -> &Counter {
        &self.events
    }
    /// Keyed events that failed.
    pub fn failed(&self) -> u64 {
        self.failed
    }
    /// SYSCALL events without a key.
    pub fn keyless(&self) -> &Counter {
        &self.keyless
    }
    /// Keyed events none of whose keys has a meaning.
    pub fn unmapped(&self) -> u64 {
        self.unmapped
    }
    /// Per key.
    pub fn by_key(&self) -> &Folded<KeyStats> {
        &self.by_key
    }
    /// Per meaning.
    pub fn by_meaning(&self) -> &BTreeMap<String, Group> {
        &self.by_meaning
    }
    /// Events of one meaning.
    pub fn meaning_events(&self, meaning: &str) -> u64 {
        self.by_meaning.get(meaning).map_or(0, |g| g.events)
    }
    /// Per host.
    pub fn by_host(&self) -> &Folded<HostWatch> {
        &self.by_host
    }
    /// Mount and umount events (meaning `mounts`, or the syscall).
    pub fn mounts(&self) -> &Counter {
        &self.mounts
    }
    /// Kernel module events (meaning `modules`, or init_module/finit_module).
    pub fn modules_loaded(&self) -> &Counter {
        &self.modules_loaded
    }
    /// Rule keys added or removed, per host.
    pub fn rules(&self) -> &Folded<HostRules> {
        &self.rules
    }
    /// Rules declared loaded by `--rules` files.
    pub fn declared(&self) -> &[DeclaredRule] {
        &self.declared
    }

    /// Sets the rules declared loaded (the aggregator does, from its configuration).
    pub fn set_declared(&mut self, rules: Vec<DeclaredRule>) {
        self.declared = rules;
    }

    /// Why `meaning` counts as watched on `host`: events of it were logged, a rule with a
    /// key of it was loaded (and not removed later), or a `--rules` file declares one;
    /// `None` when nothing says so.
    pub fn watching(&self, host: &str, meaning: &str, table: &KeyMeanings) -> Option<Watching> {
        if let Some(h) = self.by_host.get(host) {
            if h.meanings.contains(meaning) {
                return Some(Watching::Events);
            }
        } else if self.by_host.over() {
            return Some(Watching::Unknown);
        }
        if let Some(r) = self.rules.get(host) {
            let loaded = r
                .keys
                .items()
                .iter()
                .find(|(k, l)| l.action == "add" && table.resolve(k) == Some(meaning));
            if let Some((key, l)) = loaded {
                return Some(Watching::Loaded {
                    key: key.clone(),
                    source: l.source,
                });
            }
        }
        self.declared
            .iter()
            .find(|d| {
                d.host.as_deref().is_none_or(|h| h == host)
                    && table.resolve(&d.key) == Some(meaning)
            })
            .map(|d| Watching::Declared {
                key: d.key.clone(),
                source: d.source.clone(),
            })
    }

    /// Every keyed event (the first ones; [`Watches::events`] counts them all).
    pub fn population(&self) -> &Kept {
        &self.population
    }
    /// Events on identity files (key meaning or path).
    pub fn identity(&self) -> &Listed {
        &self.identity
    }
    /// Events on sudoers (key meaning or path).
    pub fn privilege_config(&self) -> &Listed {
        &self.privilege_config
    }
    /// Events on the audit logs (key meaning or path under an audit log directory).
    pub fn audit_log(&self) -> &Listed {
        &self.audit_log
    }
    /// Accesses denied (EACCES, EPERM) on sensitive paths.
    pub fn denied_sensitive(&self) -> &Listed {
        &self.denied_sensitive
    }
    /// Kernel module events.
    pub fn modules(&self) -> &Listed {
        &self.modules
    }
}
