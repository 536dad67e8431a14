//! A map with a size limit: the entries whose names sort first are kept, everything else is
//! folded into one `other` entry, so totals stay exact while memory is bounded.
//!
//! Keeping the smallest names (not the first seen) makes the map a mergeable value: merging
//! the maps of consecutive parts of the input gives the map of the whole, whatever the
//! order in which names appear. [`Folded::over`] says whether anything was folded, so a
//! report can say "limit reached" instead of presenting a partial list as complete.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// A value that adds another of its kind into itself.
pub trait Fold: Default + Clone {
    /// Adds `other` (a later part of the input) into `self`.
    fn fold(&mut self, other: &Self);
}

/// At most `limit` named entries, the rest folded into `other`. Serialized as the map of
/// kept entries; the owner reports `other` and `over` (see [`Folded::overflow`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folded<V> {
    limit: usize,
    items: BTreeMap<String, V>,
    other: V,
    over: bool,
}

impl<V: Fold> Folded<V> {
    /// An empty map keeping at most `limit` entries (at least one).
    pub fn new(limit: usize) -> Self {
        Folded {
            limit: limit.max(1),
            items: BTreeMap::new(),
            other: V::default(),
            over: false,
        }
    }

    /// The entry of `name`: its own while it is among the `limit` smallest names seen,
    /// else `other`. A name that displaces the largest kept one folds that one into
    /// `other`.
    pub fn entry(&mut self, name: &str) -> &mut V {
        if self.items.contains_key(name) {
            return self.items.get_mut(name).expect("present");
        }
        if self.items.len() >= self.limit {
            let largest = self.items.keys().next_back().cloned();
            match largest {
                Some(max) if name < max.as_str() => {
                    if let Some(v) = self.items.remove(&max) {
                        self.other.fold(&v);
                    }
                }
                _ => {
                    self.over = true;
                    return &mut self.other;
                }
            }
            self.over = true;
        }
        self.items.entry(name.to_string()).or_default()
    }

    /// Applies `f` to the entry of `name` (see [`Folded::entry`]); one map lookup when the
    /// name is already kept.
    pub fn with<R>(&mut self, name: &str, f: impl FnOnce(&mut V) -> R) -> R {
        if let Some(v) = self.items.get_mut(name) {
            return f(v);
        }
        f(self.entry(name))
    }

    /// [`Folded::with`] for a name that may be unknown (`None`: a host past the summary's
    /// host limit), which goes to `other`.
    pub fn with_named<R>(&mut self, name: Option<&str>, f: impl FnOnce(&mut V) -> R) -> R {
        match name {
            Some(name) => self.with(name, f),
            None => {
                self.over = true;
                f(&mut self.other)
            }
        }
    }

    /// Adds `o` (a later part of the input).
    pub fn merge(&mut self, o: &Folded<V>) {
        for (k, v) in &o.items {
            self.entry(k).fold(v);
        }
        self.other.fold(&o.other);
        self.over |= o.over;
    }

    /// The kept entries.
    pub fn items(&self) -> &BTreeMap<String, V> {
        &self.items
    }

    /// Everything not kept by name.
    pub fn other(&self) -> &V {
        &self.other
    }

    /// True when some names were folded into `other`.
    pub fn over(&self) -> bool {
        self.over
    }

    /// The limit.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The entry of `name`, if kept.
    pub fn get(&self, name: &str) -> Option<&V> {
        self.items.get(name)
    }

    /// When names were folded: the limit and the folded total, for the JSON.
    pub fn overflow(&self) -> Option<Overflow<'_, V>> {
        self.over.then_some(Overflow {
            limit: self.limit,
            other: &self.other,
        })
    }
}

impl<V: Fold> Folded<V> {
    /// A map read back from a summary.json: its entries, and what was folded when it says
    /// (`over`: the limit and the folded entry, which a map nested in another's entries
    /// does not state).
    pub fn read(items: BTreeMap<String, V>, limit: usize, over: Option<V>) -> Self {
        Folded {
            limit: limit.max(1),
            items,
            over: over.is_some(),
            other: over.unwrap_or_default(),
        }
    }
}

impl<V: Serialize> Serialize for Folded<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(s)
    }
}

/// What a [`Folded`] map did not keep by name.
#[derive(Debug, Serialize)]
pub struct Overflow<'a, V> {
    /// Names kept at most.
    pub limit: usize,
    /// Everything of the names not kept, together.
    pub other: &'a V,
}

/// Distinct login ids, the smallest [`ActorSet::LIMIT`] kept; past it the count is a lower
/// bound (`capped`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActorSet {
    /// Sorted.
    ids: Vec<u32>,
    capped: bool,
    /// How many ids a summary.json read back counted (it does not list them).
    read: usize,
}

impl ActorSet {
    /// Most ids kept.
    pub const LIMIT: usize = 1000;

    /// Adds an id.
    pub fn insert(&mut self, id: u32) {
        let Err(at) = self.ids.binary_search(&id) else {
            return;
        };
        if at >= Self::LIMIT {
            self.capped = true;
            return;
        }
        self.ids.insert(at, id);
        if self.ids.len() > Self::LIMIT {
            self.ids.pop();
            self.capped = true;
        }
    }

    /// Adds every id of `o`. Sets read back from summary.json hold only their size: two
    /// non-empty ones give the larger size as a lower bound (`capped`, written `N+`), since
    /// the same actors may be in both.
    pub fn merge(&mut self, o: &ActorSet) {
        for &id in &o.ids {
            self.insert(id);
        }
        self.capped |= o.capped;
        if self.read > 0 || o.read > 0 {
            let (mine, theirs) = (self.len(), o.len());
            self.capped |= mine > 0 && theirs > 0;
            self.read = mine.max(theirs);
        }
    }

    /// How many (a lower bound when [`ActorSet::capped`]).
    pub fn len(&self) -> usize {
        self.ids.len().max(self.read)
    }

    /// True when none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when more ids were seen than kept.
    pub fn capped(&self) -> bool {
        self.capped
    }
}

/// `actors`, the count (`"1000+"` when capped), and `actor_ids`, the ids kept (sorted), so
/// that sets read back from summary.json merge exactly ([`super::combine`]). A group
/// flattens it into its own keys.
impl Serialize for ActorSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        if self.capped {
            m.serialize_entry("actors", &format!("{}+", self.len()))?;
        } else {
            m.serialize_entry("actors", &(self.len() as u64))?;
        }
        if !self.ids.is_empty() {
            m.serialize_entry("actor_ids", &self.ids)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for ActorSet {
    /// What [`Serialize`] writes; a summary without `actor_ids` (written before they were)
    /// gives the count alone.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Count {
            Exact(usize),
            AtLeast(String),
        }
        #[derive(Deserialize)]
        struct Raw {
            actors: Count,
            #[serde(default)]
            actor_ids: Vec<u32>,
        }
        let raw = Raw::deserialize(d)?;
        let (read, capped) = match raw.actors {
            Count::Exact(n) => (n, false),
            Count::AtLeast(s) => match s.strip_suffix('+').map(str::parse::<usize>) {
                Some(Ok(n)) => (n, true),
                _ => {
                    return Err(serde::de::Error::custom(format!(
                        "{:?} is not a count of actors",
                        s.escape_debug()
                    )))
                }
            },
        };
        let mut ids = raw.actor_ids;
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > ActorSet::LIMIT || (!ids.is_empty() && ids.len() != read.min(Self::LIMIT)) {
            return Err(serde::de::Error::custom(format!(
                "actor_ids lists {} ids for {read} actors",
                ids.len()
            )));
        }
        let read = if ids.is_empty() { read } else { 0 };
        Ok(ActorSet { ids, capped, read })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Fold for u64 {
        fn fold(&mut self, other: &Self) {
            *self += other;
        }
    }

    fn fill(names: &[&str], limit: usize) -> Folded<u64> {
        let mut c = Folded::new(limit);
        for n in names {
            *c.entry(n) += 1;
        }
        c
    }

    #[test]
    fn keeps_the_smallest_names_and_exact_totals() {
        let c = fill(&["d", "b", "d", "a", "c", "e"], 2);
        assert_eq!(c.items().keys().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(*c.other(), 4);
        assert!(c.over());
        let total: u64 = c.items().values().sum::<u64>() + c.other();
        assert_eq!(total, 6);
        assert!(!fill(&["a", "a"], 2).over());
    }

    #[test]
    fn split_and_merge_equals_whole() {
        let names = ["k", "c", "x", "c", "a", "q", "b", "k", "z", "a"];
        for limit in 1..5 {
            let whole = fill(&names, limit);
            for cut in 0..=names.len() {
                let mut m = fill(&names[..cut], limit);
                m.merge(&fill(&names[cut..], limit));
                assert_eq!(m, whole, "limit {limit} cut {cut}");
            }
        }
    }

    #[test]
    fn actor_sets_cap_and_merge() {
        let mut a = ActorSet::default();
        for id in (0..1500).rev() {
            a.insert(id);
        }
        assert_eq!((a.len(), a.capped()), (ActorSet::LIMIT, true));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["actors"], "1000+");
        assert_eq!(json["actor_ids"].as_array().unwrap().len(), ActorSet::LIMIT);
        let back: ActorSet = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        let mut b = ActorSet::default();
        b.insert(7);
        b.merge(&ActorSet::default());
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"actors":1,"actor_ids":[7]}"#
        );
    }

    #[test]
    fn actor_sets_read_back_merge_exactly_or_as_a_lower_bound() {
        let set = |ids: &[u32]| {
            let mut s = ActorSet::default();
            ids.iter().for_each(|&i| s.insert(i));
            s
        };
        let read = |json: &str| serde_json::from_str::<ActorSet>(json).unwrap();
        // With their ids (this version): exact.
        let mut a = read(&serde_json::to_string(&set(&[1, 2])).unwrap());
        a.merge(&read(&serde_json::to_string(&set(&[2, 3])).unwrap()));
        assert_eq!((a.len(), a.capped()), (3, false));
        // Counts alone (written before the ids were): the larger, as a lower bound.
        let mut a = read(r#"{"actors":2}"#);
        a.merge(&read(r#"{"actors":2}"#));
        assert_eq!(serde_json::to_value(&a).unwrap()["actors"], "2+");
        assert!(serde_json::from_str::<ActorSet>(r#"{"actors":3,"actor_ids":[1]}"#).is_err());
    }
}
