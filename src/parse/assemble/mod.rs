//! Records -> events.
//!
//! An event is every record sharing (input group, node, seconds, milliseconds, serial)
//! (as aureport groups them, audit-userspace `src/ausearch-lol.c`). The input group keeps
//! apart hosts whose logs carry no `node=` prefix but
//! arrive as separate files; rotations of one log share a group (see [`crate::input`]).
//!
//! An event is complete when:
//! - its EOE record arrives;
//! - it is a single standalone record (user-space, daemon and other types that the kernel
//!   never follows with more records, [`RecordType::is_standalone`]);
//! - a record of the same node arrives whose time is at least `timeout` seconds after it
//!   (events without EOE, lost EOE, old logs; auditd's own `end_of_event_timeout` is 2 s;
//!   this is aureport's rule, so a log whose time jumps back and forth groups as it does);
//! - more than `max_open` events are open, or the open events hold more than
//!   `max_open_bytes` together (the oldest is evicted: memory stays bounded);
//! - it grew past `max_event_bytes` (a damaged log repeating one stamp);
//! - the input ends.
//!
//! A record whose event already completed starts a new event marked `split`; such events are
//! counted, so a reader can see where the log was out of order by more than the timeout.
//!
//! Event buffers are recycled after the sink has seen them, so the steady state allocates
//! nothing per line (buffers larger than [`crate::limits::RECYCLED_EVENT_BYTES`] are freed).
//!
//! Nothing here grows with the number of nodes: events are keyed by a 64-bit fingerprint of
//! the node name (two names with the same fingerprint would share events of the same stamp
//! and serial; whoever can write such names can write the records themselves), and a node's
//! clock exists only while it has open events.

mod seam;
pub(crate) use seam::{SeamKey, RECENT};

use crate::model::{RecordType, Source, Stamp};
use crate::parse::record::Record;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Tuning for event assembly.
#[derive(Clone, Copy, Debug)]
pub struct AssembleOptions {
    /// Seconds of log time after which an event without EOE is complete.
    pub timeout_secs: u64,
    /// Most events open at once; past it the oldest is completed.
    pub max_open: usize,
    /// Largest event in bytes of record text and record metadata; past it the event is
    /// completed.
    pub max_event_bytes: usize,
    /// Most bytes allocated for all open events together; past it the oldest open events
    /// are completed.
    pub max_open_bytes: usize,
}

impl Default for AssembleOptions {
    fn default() -> Self {
        AssembleOptions {
            timeout_secs: 2,
            max_open: crate::limits::OPEN_EVENTS,
            max_event_bytes: crate::limits::EVENT_BYTES,
            max_open_bytes: crate::limits::OPEN_EVENT_BYTES,
        }
    }
}

/// Why an event was considered complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Completion {
    /// Its EOE record arrived.
    Eoe,
    /// A standalone record (a one-record event).
    Standalone,
    /// Log time moved past it by the timeout.
    Timeout,
    /// Too many events (or bytes) were open; it was the oldest.
    Evicted,
    /// It grew past the size limit.
    Oversize,
    /// The input ended.
    EndOfInput,
}

/// Counters kept by the assembler. They add up: see [`AssembleStats::merge`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AssembleStats {
    /// Records taken in.
    pub records: u64,
    /// Events released.
    pub events: u64,
    /// Events completed by their EOE record.
    pub completed_eoe: u64,
    /// One-record standalone events.
    pub completed_standalone: u64,
    /// Events completed by the log-time timeout.
    pub completed_timeout: u64,
    /// Events completed because too many events or bytes were open (memory bound).
    pub evicted: u64,
    /// Events completed because they grew past the size limit.
    pub oversize: u64,
    /// Events completed at end of input.
    pub completed_end_of_input: u64,
    /// Events whose key had already been used by a completed event (late or duplicated
    /// records): a documented split of one (node, stamp, serial) into several events.
    pub split: u64,
    /// The most events that were open at once.
    pub max_open: u64,
}

impl AssembleStats {
    /// Adds `other` into `self` (max for `max_open`).
    pub fn merge(&mut self, other: &AssembleStats) {
        self.records += other.records;
        self.events += other.events;
        self.completed_eoe += other.completed_eoe;
        self.completed_standalone += other.completed_standalone;
        self.completed_timeout += other.completed_timeout;
        self.evicted += other.evicted;
        self.oversize += other.oversize;
        self.completed_end_of_input += other.completed_end_of_input;
        self.split += other.split;
        self.max_open = self.max_open.max(other.max_open);
    }

    fn count(&mut self, how: Completion) {
        self.events += 1;
        match how {
            Completion::Eoe => self.completed_eoe += 1,
            Completion::Standalone => self.completed_standalone += 1,
            Completion::Timeout => self.completed_timeout += 1,
            Completion::Evicted => self.evicted += 1,
            Completion::Oversize => self.oversize += 1,
            Completion::EndOfInput => self.completed_end_of_input += 1,
        }
    }
}

/// Where one record of an event lives in the event's buffer.
#[derive(Clone, Copy, Debug)]
pub struct EventRecord {
    /// The record type.
    pub rtype: RecordType,
    /// File and line of the record.
    pub source: Source,
    start: u32,
    end: u32,
    /// Where the parsed header's parts are, relative to `start`, so that a record is never
    /// parsed twice.
    spans: Spans,
}

/// Offsets (relative to the line) of the parts of a parsed record.
#[derive(Clone, Copy, Debug, Default)]
struct Spans {
    node: Option<(u32, u32)>,
    node_source: Option<crate::parse::record::NodeSource>,
    stamp: Stamp,
    body: (u32, u32),
    enriched: (u32, u32),
    prefix: (u32, u32),
}

impl Spans {
    fn of(rec: &Record<'_>, line: &[u8]) -> Spans {
        let base = line.as_ptr() as usize;
        let span = |s: &[u8]| {
            let from = (s.as_ptr() as usize).saturating_sub(base).min(line.len());
            (from as u32, (from + s.len()).min(line.len()) as u32)
        };
        Spans {
            node: rec.node.map(span),
            node_source: rec.node_source,
            stamp: rec.stamp,
            body: span(rec.body),
            enriched: span(rec.enriched),
            prefix: span(rec.prefix),
        }
    }
}

/// An assembled event: its records in input order, each with its source line.
#[derive(Debug, Default)]
pub struct Event {
    stamp: Stamp,
    group: u32,
    node_id: u64,
    data: Vec<u8>,
    recs: Vec<EventRecord>,
    completion: Option<Completion>,
    split: bool,
    gen: u64,
}

impl Event {
    /// The stamp shared by all records.
    pub fn stamp(&self) -> Stamp {
        self.stamp
    }

    /// The input group the event was read from.
    pub fn group(&self) -> u32 {
        self.group
    }

    /// The node name, if the records carry one.
    pub fn node(&self) -> Option<&[u8]> {
        let r = self.recs.first()?;
        let (a, b) = r.spans.node?;
        self.data
            .get(r.start as usize + a as usize..r.start as usize + b as usize)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    /// True when the event has no records (never the case for a released event).
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// Why the event was completed.
    pub fn completion(&self) -> Completion {
        self.completion.unwrap_or(Completion::EndOfInput)
    }

    /// True when an earlier event with the same key had already completed.
    pub fn is_split(&self) -> bool {
        self.split
    }

    /// The raw line of record `i` (without its line ending).
    pub fn line(&self, i: usize) -> &[u8] {
        self.recs
            .get(i)
            .map_or(&[][..], |r| &self.data[r.start as usize..r.end as usize])
    }

    /// Record `i`, parsed.
    pub fn record(&self, i: usize) -> Option<Record<'_>> {
        let r = self.recs.get(i)?;
        let line = self.line(i);
        let sp = &r.spans;
        let at = |(a, b): (u32, u32)| &line[a as usize..b as usize];
        Some(Record {
            node: sp.node.map(at),
            node_source: sp.node_source,
            rtype: r.rtype,
            stamp: sp.stamp,
            body: at(sp.body),
            enriched: at(sp.enriched),
            prefix: at(sp.prefix),
        })
    }

    /// Type and source of every record.
    pub fn record_meta(&self) -> &[EventRecord] {
        &self.recs
    }

    /// All records, parsed, with their sources.
    pub fn records(&self) -> impl Iterator<Item = (Record<'_>, Source)> + '_ {
        (0..self.recs.len()).filter_map(move |i| Some((self.record(i)?, self.recs[i].source)))
    }

    /// The first record of type `t`.
    pub fn first_of(&self, t: RecordType) -> Option<(Record<'_>, Source)> {
        let i = self.recs.iter().position(|r| r.rtype == t)?;
        Some((self.record(i)?, self.recs[i].source))
    }

    /// Empties the event, keeping its buffers' capacity unless they are larger than
    /// [`crate::limits::RECYCLED_EVENT_BYTES`] (then they are freed).
    pub fn clear_for_reuse(&mut self) {
        if self.capacity_bytes() > crate::limits::RECYCLED_EVENT_BYTES {
            *self = Event::default();
        } else {
            self.clear();
        }
    }

    /// Bytes of record text and record metadata: what the size limits count.
    pub fn footprint(&self) -> usize {
        self.data.len() + self.recs.len() * std::mem::size_of::<EventRecord>()
    }

    /// Bytes allocated for the event's buffers.
    fn capacity_bytes(&self) -> usize {
        self.data.capacity() + self.recs.capacity() * std::mem::size_of::<EventRecord>()
    }

    fn clear(&mut self) {
        self.data.clear();
        self.recs.clear();
        self.completion = None;
        self.split = false;
    }

    fn push(&mut self, rec: &Record<'_>, line: &[u8], source: Source) {
        let start = self.data.len();
        self.data.extend_from_slice(line);
        self.recs.push(EventRecord {
            rtype: rec.rtype,
            source,
            start: start as u32,
            end: self.data.len() as u32,
            spans: Spans::of(rec, line),
        });
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    group: u32,
    node: u64,
    sec: u64,
    ms: u16,
    serial: u32,
}

/// Where completed events go. Any `FnMut(&Event)` closure is a sink; [`TakeEvents`] wraps
/// a closure that may take the event's buffers (swap in an empty event), so handing events
/// to another thread needs no copy.
pub trait EventSink {
    /// Receives one completed event. It may be replaced (e.g. by `std::mem::take`).
    fn event(&mut self, ev: &mut Event);
}

impl<F: FnMut(&Event)> EventSink for F {
    fn event(&mut self, ev: &mut Event) {
        self(ev)
    }
}

/// A sink that gets the event mutably and may keep it (see [`EventSink`]).
pub struct TakeEvents<F>(pub F);

impl<F: FnMut(&mut Event)> EventSink for TakeEvents<F> {
    fn event(&mut self, ev: &mut Event) {
        (self.0)(ev)
    }
}

/// Assembles records into events; see the module documentation for the rules.
pub struct Assembler {
    opts: AssembleOptions,
    /// The last node fingerprinted: consecutive records nearly always share it.
    last_node: Option<(Vec<u8>, u64)>,
    open: HashMap<Key, usize>,
    /// Bytes allocated for the open events.
    open_bytes: usize,
    slots: Vec<Event>,
    free: Vec<usize>,
    /// Open events in arrival order: (slot, generation); used for eviction.
    arrival: VecDeque<(usize, u64)>,
    /// Per (group, node) with open events: those events by stamp, for the timeout. A
    /// clock is removed when its heap empties.
    clocks: HashMap<(u32, u64), NodeClock>,
    /// Heap entries in all clocks, live or stale.
    clock_entries: usize,
    recent: HashSet<Key>,
    recent_order: VecDeque<Key>,
    pool: Vec<Event>,
    gen: u64,
    stats: AssembleStats,
}

#[derive(Default)]
struct NodeClock {
    /// Open events of this node, earliest stamp first (ties in arrival order):
    /// Reverse((sec, ms, generation)) and the slot. Entries of events completed otherwise
    /// are skipped when they surface.
    open: BinaryHeap<(Reverse<TimeOrder>, usize)>,
}

/// (sec, ms, generation): stamp order, ties broken by arrival.
type TimeOrder = (u64, u16, u64);

const RECENT_KEYS: usize = 8192;
const POOL: usize = 64;

impl Assembler {
    /// A new assembler.
    pub fn new(opts: AssembleOptions) -> Self {
        Assembler {
            opts,
            last_node: None,
            open: HashMap::default(),
            open_bytes: 0,
            slots: Vec::new(),
            free: Vec::new(),
            arrival: VecDeque::new(),
            clocks: HashMap::default(),
            clock_entries: 0,
            recent: HashSet::default(),
            recent_order: VecDeque::new(),
            pool: Vec::new(),
            gen: 0,
            stats: AssembleStats::default(),
        }
    }

    /// Counters so far.
    pub fn stats(&self) -> &AssembleStats {
        &self.stats
    }

    /// Number of events currently open.
    pub fn open_events(&self) -> usize {
        self.open.len()
    }

    fn node_id(&mut self, node: Option<&[u8]>) -> u64 {
        let Some(node) = node else { return 0 };
        if let Some((last, id)) = &self.last_node {
            if last.as_slice() == node {
                return *id;
            }
        }
        // 0 is the node-less key; a named node never gets it.
        let id = crate::limits::fingerprint(node).max(1);
        match &mut self.last_node {
            Some((last, last_id)) => {
                last.clear();
                last.extend_from_slice(node);
                *last_id = id;
            }
            None => self.last_node = Some((node.to_vec(), id)),
        }
        id
    }

    /// Takes one record (`rec` parsed from `line`, read from `source` in input `group`).
    /// Events that complete are passed to `sink`.
    pub fn push<F: EventSink>(
        &mut self,
        rec: &Record<'_>,
        line: &[u8],
        source: Source,
        group: u32,
        sink: &mut F,
    ) {
        self.stats.records += 1;
        let line = trim_eol(line);
        let key = Key {
            group,
            node: self.node_id(rec.node),
            sec: rec.stamp.sec,
            ms: rec.stamp.ms,
            serial: rec.stamp.serial,
        };
        self.advance_clock(key, sink);

        if let Some(&slot) = self.open.get(&key) {
            let before = self.slots[slot].capacity_bytes();
            self.slots[slot].push(rec, line, source);
            self.open_bytes += self.slots[slot].capacity_bytes() - before;
            if rec.rtype.is_eoe() || rec.rtype.is_standalone() {
                self.complete(slot, Completion::Eoe, sink);
            } else if self.slots[slot].footprint() > self.opts.max_event_bytes {
                self.complete(slot, Completion::Oversize, sink);
            } else {
                self.evict_while_too_big(sink);
            }
            return;
        }

        let split = self.recent.contains(&key);
        let mut ev = self.pool.pop().unwrap_or_default();
        ev.stamp = rec.stamp;
        ev.group = group;
        ev.node_id = key.node;
        ev.split = split;
        ev.push(rec, line, source);
        if rec.rtype.is_standalone() || rec.rtype.is_eoe() {
            let how = if rec.rtype.is_eoe() {
                Completion::Eoe
            } else {
                Completion::Standalone
            };
            self.release(key, ev, how, sink);
            return;
        }
        self.gen += 1;
        ev.gen = self.gen;
        self.open_bytes += ev.capacity_bytes();
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s] = ev;
                s
            }
            None => {
                self.slots.push(ev);
                self.slots.len() - 1
            }
        };
        self.open.insert(key, slot);
        self.arrival.push_back((slot, self.gen));
        self.clocks
            .entry((key.group, key.node))
            .or_default()
            .open
            .push((Reverse((key.sec, key.ms, self.gen)), slot));
        self.clock_entries += 1;
        self.stats.max_open = self.stats.max_open.max(self.open.len() as u64);
        if self.open.len() > self.opts.max_open {
            let _ = self.evict_oldest(sink);
        }
        self.evict_while_too_big(sink);
        self.trim_queues();
    }

    /// Completes the oldest open events while the open events hold more than
    /// `max_open_bytes`.
    fn evict_while_too_big<F: EventSink>(&mut self, sink: &mut F) {
        while self.open_bytes > self.opts.max_open_bytes {
            if !self.evict_oldest(sink) {
                break;
            }
        }
    }

    /// Drops queue entries of events that completed, so the queues stay proportional to the
    /// open events even when one event stays open for a long time.
    fn trim_queues(&mut self) {
        while let Some(&(slot, gen)) = self.arrival.front() {
            if self.is_live(slot, gen) {
                break;
            }
            self.arrival.pop_front();
        }
        let limit = 4 * self.open.len().max(1024);
        let slots = &self.slots;
        let live =
            |&(slot, gen): &(usize, u64)| slots[slot].gen == gen && !slots[slot].recs.is_empty();
        if self.arrival.len() > limit {
            self.arrival.retain(live);
        }
        // Events completed otherwise (EOE, eviction) leave stale heap entries behind, in
        // clocks of nodes that may never log again: drop them, and the emptied clocks.
        if self.clock_entries > limit {
            self.clocks.retain(|_, clock| {
                clock
                    .open
                    .retain(|&(Reverse((_, _, gen)), slot)| live(&(slot, gen)));
                !clock.open.is_empty()
            });
            self.clock_entries = self.clocks.values().map(|c| c.open.len()).sum();
        }
    }

    /// Completes every open event (end of input), oldest first.
    pub fn finish<F: EventSink>(&mut self, sink: &mut F) {
        while let Some((slot, gen)) = self.arrival.pop_front() {
            if self.is_live(slot, gen) {
                self.complete(slot, Completion::EndOfInput, sink);
            }
        }
    }

    fn is_live(&self, slot: usize, gen: u64) -> bool {
        let ev = &self.slots[slot];
        ev.gen == gen && !ev.recs.is_empty()
    }

    /// Moves the clock of the record's (group, node) and completes that node's events the
    /// clock has left `timeout` seconds behind. Other nodes keep their own clocks, so a host
    /// whose clock is ahead never cuts another host's events short.
    fn advance_clock<F: EventSink>(&mut self, key: Key, sink: &mut F) {
        let timeout = self.opts.timeout_secs;
        let Some(clock) = self.clocks.get_mut(&(key.group, key.node)) else {
            return;
        };
        let mut done = Vec::new();
        while let Some(&(Reverse((sec, _, gen)), slot)) = clock.open.peek() {
            let ev = &self.slots[slot];
            let live = ev.gen == gen && !ev.recs.is_empty();
            if live && sec.saturating_add(timeout) > key.sec {
                break;
            }
            clock.open.pop();
            self.clock_entries -= 1;
            if live {
                done.push(slot);
            }
        }
        if clock.open.is_empty() {
            self.clocks.remove(&(key.group, key.node));
        }
        for slot in done {
            self.complete(slot, Completion::Timeout, sink);
        }
    }

    /// Completes the oldest open event; false when none is open.
    fn evict_oldest<F: EventSink>(&mut self, sink: &mut F) -> bool {
        while let Some((slot, gen)) = self.arrival.pop_front() {
            if self.is_live(slot, gen) {
                self.complete(slot, Completion::Evicted, sink);
                return true;
            }
        }
        false
    }

    fn complete<F: EventSink>(&mut self, slot: usize, how: Completion, sink: &mut F) {
        let ev = std::mem::take(&mut self.slots[slot]);
        self.open_bytes -= ev.capacity_bytes();
        let key = Key {
            group: ev.group,
            node: ev.node_id,
            sec: ev.stamp.sec,
            ms: ev.stamp.ms,
            serial: ev.stamp.serial,
        };
        self.open.remove(&key);
        self.free.push(slot);
        self.release(key, ev, how, sink);
    }

    fn release<F: EventSink>(&mut self, key: Key, mut ev: Event, how: Completion, sink: &mut F) {
        ev.completion = Some(how);
        self.stats.count(how);
        if ev.split {
            self.stats.split += 1;
        }
        sink.event(&mut ev);
        if self.recent.insert(key) {
            self.recent_order.push_back(key);
            if self.recent_order.len() > RECENT_KEYS {
                if let Some(old) = self.recent_order.pop_front() {
                    self.recent.remove(&old);
                }
            }
        }
        if self.pool.len() < POOL && ev.capacity_bytes() <= crate::limits::RECYCLED_EVENT_BYTES {
            ev.clear();
            self.pool.push(ev);
        }
    }
}

fn trim_eol(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., b'\n' | b'\r'] = line {
        line = rest;
    }
    line
}

#[cfg(test)]
mod tests;
