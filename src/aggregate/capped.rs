//! A map keyed by text from the log, holding at most a limit of keys (the first ones in
//! input order); the keys past it are counted together ([`Beyond`]). Serialized as the
//! map alone, so the JSON shape of a breakdown is the same whether or not its limit was
//! reached; the summary reports limits reached in `limits_reached`.

use crate::limits::{Beyond, LimitReached};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A map of at most `limit` keys and the keys past it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capped<V> {
    map: BTreeMap<String, V>,
    beyond: Beyond,
    /// The limit the map was filled with (for reporting).
    limit: usize,
}

impl<V> Default for Capped<V> {
    fn default() -> Self {
        Capped {
            map: BTreeMap::new(),
            beyond: Beyond::default(),
            limit: 0,
        }
    }
}

impl<V: Default> Capped<V> {
    /// The value of `key`, inserted when there is room; `None` (the record counted past the
    /// limit, with `distinct` fingerprints at most) when the map is full.
    pub fn slot(&mut self, key: &str, limit: usize, distinct: usize) -> Option<&mut V> {
        self.limit = limit;
        if !self.map.contains_key(key) {
            if self.map.len() >= limit {
                self.beyond.add(key.as_bytes(), distinct);
                return None;
            }
            self.map.insert(key.to_string(), V::default());
        }
        self.map.get_mut(key)
    }

    /// Adds `other` (a later part of the input) with `merge` for keys both hold. Keys that
    /// do not fit are counted past the limit (`weight` records each), so totals stay exact;
    /// which keys are listed may then differ from a single run over the whole input.
    pub fn merge(
        &mut self,
        other: &Capped<V>,
        distinct: usize,
        merge: impl Fn(&mut V, &V),
        weight: impl Fn(&V) -> u64,
    ) where
        V: Clone,
    {
        self.limit = self.limit.max(other.limit);
        for (k, v) in &other.map {
            let room = self.map.len() < self.limit;
            match self.map.get_mut(k) {
                Some(mine) => merge(mine, v),
                None if room => {
                    self.map.insert(k.clone(), v.clone());
                }
                None => {
                    self.beyond.add(k.as_bytes(), distinct);
                    self.beyond.add_records(weight(v).saturating_sub(1));
                }
            }
        }
        self.beyond.merge(&other.beyond, distinct);
    }
}

impl<V> Capped<V> {
    /// The listed keys.
    pub fn map(&self) -> &BTreeMap<String, V> {
        &self.map
    }

    /// The keys past the limit.
    pub fn beyond(&self) -> &Beyond {
        &self.beyond
    }

    /// What to report when keys went past the limit.
    pub fn reached(
        &self,
        what: &'static str,
        noun: &'static str,
        unit: &'static str,
    ) -> Option<LimitReached> {
        self.beyond
            .reached(what, noun, unit, self.limit, self.map.len())
    }
}

impl<V: Serialize> Serialize for Capped<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(s)
    }
}

/// Read back from a summary.json: the map it holds, nothing past the limit (what went
/// past it is stated in the summary's `limits_reached`, read with the summary). The limit
/// is the summary's own ([`crate::limits::KEYS`], which signatures share), so that maps
/// read back merge ([`super::combine`]) as the maps of a run would.
impl<'de, V: Deserialize<'de>> Deserialize<'de> for Capped<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const _: () = assert!(crate::limits::KEYS == crate::limits::SIGNATURES);
        let map = BTreeMap::<String, V>::deserialize(d)?;
        Ok(Capped {
            limit: map.len().max(crate::limits::KEYS),
            map,
            beyond: Beyond::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_past_the_limit_are_counted_not_kept() {
        let mut m: Capped<u64> = Capped::default();
        for i in 0..10 {
            for _ in 0..=i {
                if let Some(v) = m.slot(&format!("k{i}"), 4, 100) {
                    *v += 1;
                }
            }
        }
        assert_eq!(m.map().len(), 4);
        assert_eq!(m.map()["k3"], 4);
        assert_eq!(m.beyond().distinct(), 6);
        // 5 + 6 + ... + 10 records of the six others.
        assert_eq!(m.beyond().records(), 45);
        let r = m.reached("x", "keys", "records").unwrap();
        assert_eq!((r.limit, r.listed, r.distinct), (4, 4, 10));
        assert_eq!(serde_json::to_value(&m).unwrap()["k0"], 1);
    }

    #[test]
    fn merging_keeps_totals_exact() {
        let fill = |keys: &[&str]| {
            let mut m: Capped<u64> = Capped::default();
            for k in keys {
                if let Some(v) = m.slot(k, 2, 100) {
                    *v += 1;
                }
            }
            m
        };
        let mut a = fill(&["a", "b", "a"]);
        let b = fill(&["c", "a", "c", "d"]);
        a.merge(&b, 100, |x, y| *x += y, |v| *v);
        let listed: u64 = a.map().values().sum();
        assert_eq!(listed + a.beyond().records(), 7);
        assert_eq!(a.map().len(), 2);
        assert_eq!(a.beyond().distinct(), 2, "c and d");
    }
}
