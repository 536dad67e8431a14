//! The room the byte ranges of one parallel read share in each fact list.
//!
//! A list keeps the first [`LIST_LIMIT`] facts in input order, so when byte ranges are read
//! at the same time (`pipeline::ranges`), the merged list takes facts of a later range only
//! while the earlier ranges offered fewer than the limit. Each range's lists publish how
//! many facts they were offered so far on a shared [`Board`]; a list of range `k` keeps at
//! most the limit minus what the ranges before `k` were offered (read now and then: the
//! counts only grow, so an older reading gives more room, never less). What it keeps is a
//! prefix of its facts at least as long as the merge will take, so the merged list is the
//! one a single read keeps, while the ranges together hold about one list's worth of facts
//! instead of one per range.
//!
//! Lists are matched across ranges by the order in which an aggregator creates them
//! ([`seated`]: every range builds its aggregators the same way), or by a name for lists
//! made while reading (a MAC signature's denials: [`Seat::keyed`]). Lists made outside a
//! [`seated`] call have no gate and keep the limit.

use super::tally::LIST_LIMIT;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// How often (in facts offered) a gated list reads the earlier ranges' counts again.
const REFRESH_EVERY: u64 = 64;

/// The shared counts of one parallel read: per list, the facts each range offered it.
#[derive(Debug)]
pub struct Board {
    ranges: usize,
    fixed: Mutex<Vec<Arc<[AtomicU64]>>>,
    keyed: Mutex<HashMap<String, Arc<[AtomicU64]>>>,
}

impl Board {
    /// A board for a read in `ranges` byte ranges.
    pub fn new(ranges: usize) -> Arc<Board> {
        Arc::new(Board {
            ranges,
            fixed: Mutex::new(Vec::new()),
            keyed: Mutex::new(HashMap::new()),
        })
    }

    fn counts(&self) -> Arc<[AtomicU64]> {
        (0..self.ranges).map(|_| AtomicU64::new(0)).collect()
    }

    fn fixed(&self, slot: usize) -> Arc<[AtomicU64]> {
        let mut fixed = self.fixed.lock().unwrap_or_else(|e| e.into_inner());
        while fixed.len() <= slot {
            let counts = self.counts();
            fixed.push(counts);
        }
        fixed[slot].clone()
    }

    fn keyed(&self, key: String) -> Arc<[AtomicU64]> {
        let mut keyed = self.keyed.lock().unwrap_or_else(|e| e.into_inner());
        keyed.entry(key).or_insert_with(|| self.counts()).clone()
    }
}

/// One range's place at a [`Board`].
#[derive(Clone, Debug)]
pub struct Seat {
    board: Arc<Board>,
    range: usize,
}

impl Seat {
    /// Range `range` (0-based, in input order) of `board`'s read.
    pub fn new(board: Arc<Board>, range: usize) -> Seat {
        Seat { board, range }
    }

    /// The gate of the list named `name` (made while reading, so not matched by order).
    pub fn keyed(&self, name: String) -> Gate {
        Gate::new(self.board.keyed(name), self.range)
    }
}

thread_local! {
    /// The seat and the next fixed slot while [`seated`] runs.
    static SEATED: RefCell<Option<(Seat, usize)>> = const { RefCell::new(None) };
}

/// Runs `make` (which builds a range's aggregators) with every list it creates gated by
/// `seat`, matched to the other ranges' lists by creation order.
pub fn seated<R>(seat: Seat, make: impl FnOnce() -> R) -> R {
    struct Reset(Option<(Seat, usize)>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let previous = self.0.take();
            SEATED.with(|s| *s.borrow_mut() = previous);
        }
    }
    let _reset = Reset(SEATED.with(|s| s.borrow_mut().replace((seat, 0))));
    make()
}

/// The seat of the range whose aggregators are being built, if any (for lists created
/// later under a name, [`Seat::keyed`]).
pub fn current_seat() -> Option<Seat> {
    SEATED.with(|s| s.borrow().as_ref().map(|(seat, _)| seat.clone()))
}

/// A list's share of the room: how many facts this range offered it, published for the
/// later ranges, and how many of its own it may keep.
#[derive(Debug)]
pub struct Gate {
    counts: Arc<[AtomicU64]>,
    range: usize,
    offered: u64,
    room: usize,
}

impl Gate {
    fn new(counts: Arc<[AtomicU64]>, range: usize) -> Gate {
        let mut gate = Gate {
            counts,
            range,
            offered: 0,
            room: LIST_LIMIT,
        };
        gate.refresh();
        gate
    }

    /// The gate of the next list created inside [`seated`], or `None` outside it.
    pub(super) fn next_fixed() -> Option<Gate> {
        SEATED.with(|s| {
            let mut s = s.borrow_mut();
            let (seat, next) = s.as_mut()?;
            let slot = *next;
            *next += 1;
            Some(Gate::new(seat.board.fixed(slot), seat.range))
        })
    }

    /// How many facts this range's list may keep.
    pub(super) fn room(&self) -> usize {
        self.room
    }

    /// Counts one fact offered to the list; now and then reads the earlier ranges' counts
    /// again. Returns true when the room shrank.
    pub(super) fn offer(&mut self) -> bool {
        self.offered = self.offered.saturating_add(1);
        if let Some(mine) = self.counts.get(self.range) {
            mine.store(self.offered, Ordering::Relaxed);
        }
        self.offered.is_multiple_of(REFRESH_EVERY) && self.refresh()
    }

    /// Reads the earlier ranges' counts; returns true when the room shrank.
    fn refresh(&mut self) -> bool {
        let earlier = self
            .counts
            .iter()
            .take(self.range)
            .fold(0u64, |sum, c| sum.saturating_add(c.load(Ordering::Relaxed)));
        let taken = usize::try_from(earlier).unwrap_or(usize::MAX);
        let room = LIST_LIMIT.saturating_sub(taken);
        let shrank = room < self.room;
        self.room = self.room.min(room);
        shrank
    }
}

/// A parallel read's state kept in a field of a list or an aggregate: not part of its value
/// (always equal, cloned as none, never serialized), made by [`seated`] with it.
#[derive(Debug)]
pub struct Transient<T>(pub(super) Option<T>);

/// A list's gate as a field.
pub type Gated = Transient<Gate>;

/// The seat as a field of an aggregate that makes gated lists while reading.
pub type SeatField = Transient<Seat>;

impl Default for Gated {
    fn default() -> Self {
        Transient(Gate::next_fixed())
    }
}

impl Default for SeatField {
    fn default() -> Self {
        Transient(current_seat())
    }
}

impl<T> Clone for Transient<T> {
    fn clone(&self) -> Self {
        Transient(None)
    }
}

impl<T> PartialEq for Transient<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Transient<T> {}
