//! Counting building blocks shared by the category aggregators: a count with per-host and
//! per-day breakdowns, the same with the facts behind it, and success/failure pairs.
//!
//! All of them merge by addition (and lists by concatenation, `self` first), so a summary of
//! consecutive parts of the input merged in order equals the summary of the whole.

use super::capped::Capped;
use super::room::{Gate, Gated, Transient};
use crate::classify::{Fact, Outcome};
use crate::limits::Limits;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::BTreeMap;

/// Where and when a fact counts: its host and its calendar day in the period's zone, and
/// the limits of the breakdowns it goes into.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    /// The host name (see [`crate::aggregate::host_name`]); `None` for a host past the
    /// host limit (counted in totals, not per host).
    pub host: Option<&'a str>,
    /// The local day; `None` for a day past the day limit (counted in totals, not per day).
    pub day: Option<NaiveDate>,
    /// The limits.
    pub limits: &'a Limits,
}

/// Adds `n` to `map[key]`, allocating the key only the first time.
pub(crate) fn bump(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match map.get_mut(key) {
        Some(v) => *v += n,
        None => {
            map.insert(key.to_string(), n);
        }
    }
}

/// Adds every entry of `other` into `map`.
pub(crate) fn merge_map<K: Ord + Clone>(map: &mut BTreeMap<K, u64>, other: &BTreeMap<K, u64>) {
    for (k, v) in other {
        *map.entry(k.clone()).or_default() += v;
    }
}

/// A count with per-host and per-day breakdowns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    total: u64,
    by_host: BTreeMap<String, u64>,
    by_day: BTreeMap<NaiveDate, u64>,
}

impl Counter {
    /// Counts one occurrence.
    pub fn add(&mut self, at: At<'_>) {
        self.total += 1;
        if let Some(host) = at.host {
            bump(&mut self.by_host, host, 1);
        }
        if let Some(day) = at.day {
            *self.by_day.entry(day).or_default() += 1;
        }
    }

    /// Adds `other` into `self`.
    pub fn merge(&mut self, other: &Counter) {
        self.total += other.total;
        merge_map(&mut self.by_host, &other.by_host);
        merge_map(&mut self.by_day, &other.by_day);
    }

    /// The total.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Count per host (hosts past the host limit are in the total only).
    pub fn by_host(&self) -> &BTreeMap<String, u64> {
        &self.by_host
    }

    /// Count per local day.
    pub fn by_day(&self) -> &BTreeMap<NaiveDate, u64> {
        &self.by_day
    }
}

/// Most facts kept per list ([`crate::limits::FACTS_PER_LIST`]). Counts stay exact past it;
/// the facts beyond are counted in `omitted` (a flood of failed logins must not hold every
/// record in memory). The first ones in input order are kept, so split-and-merged input
/// keeps the same ones.
pub const LIST_LIMIT: usize = crate::limits::FACTS_PER_LIST;

thread_local! {
    /// Set while [`interleaved`] runs.
    static INTERLEAVE: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with list merges interleaving by (time, node) instead of appending: for
/// summaries of *disjoint* parts (other hosts, other times; [`super::combine`]) rather
/// than consecutive parts of one input, without another merge method in every category.
pub(crate) fn interleaved<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            INTERLEAVE.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(INTERLEAVE.with(|c| c.replace(true)));
    f()
}

/// Facts in input order, at most [`LIST_LIMIT`], and how many more were not kept.
///
/// In a parallel read, a list of a later byte range keeps only what the merge can take of
/// it ([`super::room`]); its gate is not part of its value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    items: Vec<Fact>,
    omitted: u64,
    #[serde(skip)]
    gate: Gated,
}

impl Kept {
    /// Keeps `fact` if there is room.
    pub fn push(&mut self, fact: Fact) {
        if self.items.len() < self.room() {
            if self.items.len() == self.items.capacity() {
                // Grown to the limit at most: a full list holds no unused slots.
                let want = (self.items.len() * 2).clamp(8, LIST_LIMIT);
                self.items
                    .reserve_exact(want.saturating_sub(self.items.len()).max(1));
            }
            self.items.push(fact);
        } else {
            self.omitted += 1;
        }
        self.offered();
    }

    /// Counts a fact offered but not built because the list had no room.
    fn offered_omitted(&mut self) {
        self.omitted += 1;
        self.offered();
    }

    /// How many facts this list may keep: the limit, or in a later byte range of a
    /// parallel read what the earlier ranges leave.
    fn room(&self) -> usize {
        self.gate.0.as_ref().map_or(LIST_LIMIT, |g| g.room())
    }

    /// Tells the gate a fact was offered; drops what the merge will no longer take.
    fn offered(&mut self) {
        let Some(gate) = self.gate.0.as_mut() else {
            return;
        };
        if gate.offer() && self.items.len() > gate.room() {
            let room = gate.room();
            self.omitted += (self.items.len() - room) as u64;
            self.items.truncate(room);
            if self.items.capacity() > 2 * room.max(8) {
                self.items.shrink_to(room);
            }
        }
    }

    /// Gates this list (made while reading) by `gate`.
    pub(super) fn set_gate(&mut self, gate: Gate) {
        self.gate = Transient(Some(gate));
    }

    /// Counts a fact without keeping it (a limit shared by several lists was reached).
    pub fn omit(&mut self) {
        self.omitted += 1;
    }

    /// True when no more facts are kept.
    pub fn is_full(&self) -> bool {
        self.items.len() >= self.room()
    }

    /// Appends `other` (a later part of the input); inside [`interleaved`], merges the two
    /// lists by (time, node) instead (parts of other hosts or other times).
    pub fn merge(&mut self, other: &Kept) {
        if INTERLEAVE.with(Cell::get) {
            self.interleave(other);
            return;
        }
        let room = LIST_LIMIT.saturating_sub(self.items.len());
        let take = room.min(other.items.len());
        self.items.extend(other.items[..take].iter().cloned());
        self.omitted += (other.items.len() - take) as u64 + other.omitted;
    }

    /// Merges `other` into `self` by (time, node), `self` first on ties, keeping the first
    /// [`LIST_LIMIT`]: each list holds the earliest facts of its part, so the earliest of
    /// both are among them; the rest are counted in `omitted`.
    fn interleave(&mut self, other: &Kept) {
        let key = |f: &Fact| (f.time_ms, f.node.clone());
        let total = self.items.len() + other.items.len();
        let mine = std::mem::take(&mut self.items);
        let mut a = mine.into_iter().peekable();
        let mut b = other.items.iter().peekable();
        while self.items.len() < LIST_LIMIT {
            let take_a = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => key(x) <= key(y),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_a { a.next() } else { b.next().cloned() };
            self.items.extend(next);
        }
        self.omitted += other.omitted + (total - self.items.len()) as u64;
    }

    /// The kept facts.
    pub fn items(&self) -> &[Fact] {
        &self.items
    }

    /// Facts counted but not kept.
    pub fn omitted(&self) -> u64 {
        self.omitted
    }
}

/// A count and the facts behind it, in input order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    count: Counter,
    #[serde(flatten)]
    kept: Kept,
}

impl Listed {
    /// Counts `fact` and keeps it (up to [`LIST_LIMIT`]).
    pub fn add(&mut self, fact: Fact, at: At<'_>) {
        self.count.add(at);
        self.kept.push(fact);
    }

    /// Counts an item without keeping it: for callers that build the fact only when the
    /// list has room ([`Listed::is_full`]).
    pub fn add_omitted(&mut self, at: At<'_>) {
        self.count.add(at);
        self.kept.offered_omitted();
    }

    /// True when the list keeps no more facts (further ones are only counted).
    pub fn is_full(&self) -> bool {
        self.kept.is_full()
    }

    /// Adds `other` after `self`.
    pub fn merge(&mut self, other: &Listed) {
        self.count.merge(&other.count);
        self.kept.merge(&other.kept);
    }

    /// Facts counted but not kept (past [`LIST_LIMIT`]).
    pub fn omitted(&self) -> u64 {
        self.kept.omitted()
    }

    /// The number of items.
    pub fn total(&self) -> u64 {
        self.count.total
    }

    /// The count with its breakdowns.
    pub fn count(&self) -> &Counter {
        &self.count
    }

    /// The facts, in input order (the first [`LIST_LIMIT`]).
    pub fn items(&self) -> &[Fact] {
        self.kept.items()
    }
}

/// Successes and failures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OkFail {
    /// Records that did not fail (success, or no result stated).
    pub success: u64,
    /// Records that failed.
    pub failed: u64,
}

impl OkFail {
    /// Counts one outcome; only [`Outcome::Failed`] is a failure.
    pub fn add(&mut self, result: Outcome) {
        if result.is_failed() {
            self.failed += 1;
        } else {
            self.success += 1;
        }
    }

    /// Adds `other` into `self`.
    pub fn merge(&mut self, other: &OkFail) {
        self.success += other.success;
        self.failed += other.failed;
    }
}

/// Success/failure counts per account, origin, terminal and executable, each of at most
/// [`Limits::keys`] keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    by_account: Capped<OkFail>,
    by_origin: Capped<OkFail>,
    by_terminal: Capped<OkFail>,
    by_exe: Capped<OkFail>,
}

/// Counts `result` under `key` of a breakdown limited as `at` says.
pub(crate) fn okfail(map: &mut Capped<OkFail>, key: &str, result: Outcome, at: At<'_>) {
    if let Some(v) = map.slot(key, at.limits.keys, at.limits.distinct) {
        v.add(result);
    }
}

/// Merges a breakdown of [`OkFail`]s.
pub(crate) fn merge_okfail(mine: &mut Capped<OkFail>, theirs: &Capped<OkFail>) {
    mine.merge(theirs, crate::limits::DISTINCT, OkFail::merge, |v| {
        v.success + v.failed
    });
}

impl Breakdown {
    /// Counts `fact` under its target account, origin, terminal and exe (`?` when absent).
    pub fn add(&mut self, fact: &Fact, at: At<'_>) {
        let r = fact.result;
        okfail(&mut self.by_account, fact.target_name(), r, at);
        okfail(&mut self.by_origin, fact.origin().unwrap_or("?"), r, at);
        let terminal = fact.terminal.as_deref().unwrap_or("?");
        okfail(&mut self.by_terminal, terminal, r, at);
        okfail(&mut self.by_exe, fact.exe.as_deref().unwrap_or("?"), r, at);
    }

    /// Adds `other` into `self`.
    pub fn merge(&mut self, other: &Breakdown) {
        merge_okfail(&mut self.by_account, &other.by_account);
        merge_okfail(&mut self.by_origin, &other.by_origin);
        merge_okfail(&mut self.by_terminal, &other.by_terminal);
        merge_okfail(&mut self.by_exe, &other.by_exe);
    }

    /// Per target account.
    pub fn by_account(&self) -> &BTreeMap<String, OkFail> {
        self.by_account.map()
    }

    /// Per origin (`addr`, else `hostname`).
    pub fn by_origin(&self) -> &BTreeMap<String, OkFail> {
        self.by_origin.map()
    }

    /// Per terminal.
    pub fn by_terminal(&self) -> &BTreeMap<String, OkFail> {
        self.by_terminal.map()
    }

    /// Per executable.
    pub fn by_exe(&self) -> &BTreeMap<String, OkFail> {
        self.by_exe.map()
    }

    /// The breakdowns that reached their limit, named `{prefix}.by_account` and so on.
    pub(crate) fn limits_reached(
        &self,
        names: [&'static str; 4],
        out: &mut Vec<crate::limits::LimitReached>,
    ) {
        let parts = [
            (&self.by_account, "accounts"),
            (&self.by_origin, "origins"),
            (&self.by_terminal, "terminals"),
            (&self.by_exe, "executables"),
        ];
        for ((map, noun), what) in parts.into_iter().zip(names) {
            out.extend(map.reached(what, noun, "records"));
        }
    }
}
