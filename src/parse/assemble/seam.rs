//! What reading in parallel byte ranges (`parse::ranges`) needs to know of an assembler to
//! prove that a range read on its own assembles exactly as in one read of the whole input:
//! the key a record belongs to, and the recently released keys that mark a later event of
//! the same key as split.

use super::{Assembler, Key, RECENT_KEYS};
use crate::parse::record::Record;

/// An event key (input group, node fingerprint, stamp, serial), opaque outside assembly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SeamKey(Key);

/// How many released keys an assembler remembers to mark splits.
pub(crate) const RECENT: usize = RECENT_KEYS;

impl Assembler {
    /// The key of the event `rec` (read in input `group`) belongs to.
    pub(crate) fn seam_key(&mut self, rec: &Record<'_>, group: u32) -> SeamKey {
        SeamKey(Key {
            group,
            node: self.node_id(rec.node),
            sec: rec.stamp.sec,
            ms: rec.stamp.ms,
            serial: rec.stamp.serial,
        })
    }

    /// True when the assembler remembers as many released keys as it ever does.
    pub(crate) fn recent_full(&self) -> bool {
        self.recent_order.len() >= RECENT_KEYS
    }

    /// The released keys remembered, oldest first.
    pub(crate) fn recent_keys(&self) -> Vec<SeamKey> {
        self.recent_order.iter().copied().map(SeamKey).collect()
    }
}
