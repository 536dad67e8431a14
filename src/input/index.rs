//! The line index of an uncompressed file, noted while it is parsed.

/// Every this-many lines an uncompressed file's line offset is kept in its [`LineIndex`].
pub const LINE_INDEX_STEP: u64 = 64;

/// Byte offsets of lines 1, 1 + [`LINE_INDEX_STEP`], ... of an uncompressed file, noted while
/// it is parsed, so that cited lines are read back by seeking instead of rereading the file
/// (8 bytes per 64 lines).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    offsets: Vec<u64>,
}

impl LineIndex {
    /// Notes that line `number` (1-based) starts at byte `offset`. Lines must come in order.
    #[inline]
    pub fn note(&mut self, number: u64, offset: u64) {
        if number.saturating_sub(1).is_multiple_of(LINE_INDEX_STEP)
            && number.saturating_sub(1) / LINE_INDEX_STEP == self.offsets.len() as u64
        {
            self.offsets.push(offset);
        }
    }

    /// True when no line was noted.
    pub(super) fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// The nearest indexed line at or before `number`: (line, offset).
    pub(super) fn before(&self, number: u64) -> Option<(u64, u64)> {
        let k = usize::try_from((number.max(1) - 1) / LINE_INDEX_STEP).ok()?;
        let k = k.min(self.offsets.len().checked_sub(1)?);
        Some((k as u64 * LINE_INDEX_STEP + 1, self.offsets[k]))
    }
}
