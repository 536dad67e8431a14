//! Per-run accumulators for keyed events: the counts by key, meaning and host kept under
//! small numbers instead of names while events stream, and folded into the [`Watches`] of
//! the summary by [`WatchAcc::flush`] (the aggregator flushes before it hands the summary
//! out). A compliance host logs millions of keyed events under a handful of keys and
//! hosts: looking each name up in the summary's maps per event would cost more than reading
//! the event.
//!
//! Folding gives exactly what adding every event to the summary's maps would: the capped
//! maps keep the smallest names whatever the order, counts add, actor sets unite. Bounded:
//! at most [`WatchAcc::LIMIT`] keys and hosts get a slot; events of others go to the
//! summary's maps directly.

use super::{Group, HostWatch, KeyStats, WatchConfig, Watches};
use crate::classify::KeyMeanings;
use crate::parse::decode::to_text;
use rustc_hash::FxHashMap;

/// A key's meaning and slot.
#[derive(Clone, Copy, Debug)]
pub(super) struct Slot {
    /// Its meaning id in the configuration's table.
    pub meaning: Option<u16>,
    /// Index into the key counts; `None` past the limit.
    pub index: Option<u32>,
}

/// Counts of one host under its meaning ids.
#[derive(Debug, Default)]
struct HostAcc {
    group: Group,
    keyless: u64,
    meanings: Vec<u16>,
}

/// The accumulators (see the module docs).
#[derive(Debug, Default)]
pub struct WatchAcc {
    slots: FxHashMap<Vec<u8>, Slot>,
    keys: Vec<(String, KeyStats)>,
    meanings: Vec<Group>,
    hosts: FxHashMap<String, u32>,
    host_counts: Vec<(String, HostAcc)>,
    /// The last host's slot: consecutive events nearly always share their host.
    last_host: Option<u32>,
}

impl WatchAcc {
    /// Most keys and most hosts given a slot.
    pub const LIMIT: usize = 4096;

    /// The slot of `key`, resolving its meaning the first time.
    pub(super) fn key(&mut self, key: &[u8], table: &KeyMeanings) -> Slot {
        if let Some(&s) = self.slots.get(key) {
            return s;
        }
        let text = to_text(key);
        let meaning = table.resolve_id(&text);
        let index = (self.keys.len() < Self::LIMIT).then(|| {
            let stats = KeyStats {
                meaning: meaning.map(|m| table.name(m).to_string()),
                ..KeyStats::default()
            };
            self.keys.push((text.into_owned(), stats));
            (self.keys.len() - 1) as u32
        });
        let slot = Slot { meaning, index };
        if self.slots.len() < Self::LIMIT {
            self.slots.insert(key.to_vec(), slot);
        }
        slot
    }

    /// The counts of key slot `i`.
    pub(super) fn key_group(&mut self, i: u32) -> &mut Group {
        &mut self.keys[i as usize].1.group
    }

    /// The counts of meaning `id`.
    pub(super) fn meaning(&mut self, id: u16) -> &mut Group {
        let i = id as usize;
        if self.meanings.len() <= i {
            self.meanings.resize_with(i + 1, Group::default);
        }
        &mut self.meanings[i]
    }

    /// Counts one event of `host` (a keyless one when `keyed` is `None`), with its meaning
    /// ids; `false` when the host has no slot (past the limit): the caller counts it in the
    /// summary directly.
    pub(super) fn host(&mut self, host: &str, keyed: Option<(bool, Option<u32>, &[u16])>) -> bool {
        let slot = match self.last_host {
            Some(s) if self.host_counts[s as usize].0 == host => Some(s),
            _ => {
                let s = match self.hosts.get(host) {
                    Some(&s) => Some(s),
                    None if self.host_counts.len() < Self::LIMIT => {
                        let s = self.host_counts.len() as u32;
                        self.host_counts
                            .push((host.to_string(), HostAcc::default()));
                        self.hosts.insert(host.to_string(), s);
                        Some(s)
                    }
                    None => None,
                };
                if s.is_some() {
                    self.last_host = s;
                }
                s
            }
        };
        let Some(s) = slot else { return false };
        let h = &mut self.host_counts[s as usize].1;
        match keyed {
            None => h.keyless += 1,
            Some((failed, auid, meanings)) => {
                h.group.add(failed, auid);
                for m in meanings {
                    if !h.meanings.contains(m) {
                        h.meanings.push(*m);
                    }
                }
            }
        }
        true
    }

    /// Folds everything into `w` and starts afresh.
    pub fn flush(&mut self, w: &mut Watches, cfg: &WatchConfig) {
        for (key, stats) in self.keys.drain(..) {
            w.by_key.with(&key, |s| {
                use super::super::folded::Fold;
                s.fold(&stats)
            });
        }
        for (id, g) in self.meanings.drain(..).enumerate() {
            if g.events > 0 {
                let name = cfg.meanings.name(id as u16);
                w.by_meaning
                    .entry(name.to_string())
                    .or_default()
                    .fold_group(&g);
            }
        }
        for (host, acc) in self.host_counts.drain(..) {
            let hw = HostWatch {
                group: acc.group,
                keyless: acc.keyless,
                meanings: acc
                    .meanings
                    .iter()
                    .map(|&m| cfg.meanings.name(m).to_string())
                    .collect(),
            };
            w.by_host.with(&host, |h| {
                use super::super::folded::Fold;
                h.fold(&hw)
            });
        }
        self.slots.clear();
        self.hosts.clear();
        self.last_host = None;
    }
}
