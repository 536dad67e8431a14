//! The journal export format (`journalctl -o export`), one line at a time.
//!
//! An entry is a run of `NAME=value` lines ended by an empty line. A value that is not
//! printable UTF-8 or holds a newline is written as `NAME`, a newline, its size as a
//! little-endian 64-bit number, the bytes and a newline; the reading loop splits that at
//! every newline byte (the size and the bytes may hold some), so such a field is put back
//! together here from the lines that follow its name. journalctl starts each entry with
//! `__CURSOR=`; any line starting with `__` and a field name is taken as the start of one,
//! so export entries mix freely with raw log lines. A line that is no field ends the entry
//! and is then read as an ordinary line.

use super::{Entry, Field, JournalReader, Slot};
use crate::parse::record::Reject;

/// Whether a line inside an export entry belonged to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportStep {
    /// The line is part of the entry (a field, or part of a binary field).
    Taken,
    /// The entry ended before this line (an empty line or a line that is no field): finish
    /// the entry, then read the line as usual.
    Ended,
}

/// The open export entry, if any.
#[derive(Debug, Default)]
pub(super) struct ExportState {
    /// Line number of the entry's first line while an entry is open.
    first_line: Option<u64>,
    /// Something in the entry could not be read: it will be rejected.
    broken: bool,
    /// A binary field being put back together.
    binary: Option<Binary>,
}

/// A binary field in progress: 8 size bytes, the data, then a newline.
#[derive(Debug)]
struct Binary {
    field: Option<Field>,
    size: [u8; 8],
    /// Bytes of size and data seen so far.
    got: u64,
    /// 8 + data size, once the size is known.
    need: Option<u64>,
    /// Where the data starts in the scratch buffer (wanted fields only).
    start: usize,
}

/// True for the first line of an export entry: `__NAME=` (journalctl writes `__CURSOR=`).
#[inline]
pub fn starts_export_entry(line: &[u8]) -> bool {
    line.starts_with(b"__")
        && memchr::memchr(b'=', line).is_some_and(|eq| is_field_name(&line[..eq]))
}

/// A journal field name: capitals, digits and `_`, not starting with a digit, at most 64.
fn is_field_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name[0].is_ascii_digit()
        && name
            .iter()
            .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

impl JournalReader {
    /// True while an export entry is open: the next line goes to [`Self::export_line`].
    #[inline]
    pub fn in_export(&self) -> bool {
        self.export.first_line.is_some()
    }

    /// Opens an export entry at line `number` (a line for which [`starts_export_entry`]
    /// holds); the line itself then goes to [`Self::export_line`].
    pub fn start_export(&mut self, number: u64) {
        self.fields = Default::default();
        self.scratch.clear();
        self.export = ExportState {
            first_line: Some(number),
            ..ExportState::default()
        };
    }

    /// Offers the next line (without its newline) to the open entry. `too_long` is the
    /// reading loop's flag for a line over its limit (its bytes are gone).
    pub fn export_line(&mut self, line: &[u8], too_long: bool) -> ExportStep {
        if self.export.binary.is_some() {
            if too_long {
                self.export.binary = None;
                self.export.broken = true;
            } else {
                self.binary_line(line);
            }
            return ExportStep::Taken;
        }
        if too_long {
            self.export.broken = true;
            return ExportStep::Taken;
        }
        if line.is_empty() {
            return ExportStep::Ended;
        }
        let eq = memchr::memchr(b'=', line);
        let name = &line[..eq.unwrap_or(line.len())];
        if !is_field_name(name) {
            return ExportStep::Ended;
        }
        let field = Field::of(name);
        match eq {
            Some(eq) => {
                if let Some(field) = field {
                    let start = self.scratch.len();
                    self.scratch.extend_from_slice(&line[eq + 1..]);
                    self.fields.set(field, Slot::At(start, self.scratch.len()));
                }
            }
            None => {
                self.export.binary = Some(Binary {
                    field,
                    size: [0; 8],
                    got: 0,
                    need: None,
                    start: self.scratch.len(),
                })
            }
        }
        ExportStep::Taken
    }

    /// Closes the open entry (at an empty line, a line that is no field, or the end of the
    /// file) and returns its first line number and what it was.
    pub fn finish_export(&mut self) -> Option<(u64, Entry<'_>)> {
        let first = self.export.first_line.take()?;
        let broken = self.export.broken || self.export.binary.take().is_some();
        if broken {
            return Some((first, Entry::Rejected(Reject::JournalMalformed)));
        }
        Some((first, self.finish_entry()))
    }

    /// One more line of a binary field; the newline that ended it is either data or, once
    /// all the data is in, the field's end.
    fn binary_line(&mut self, line: &[u8]) {
        let max = self.max_value as u64;
        let Some(bin) = self.export.binary.as_mut() else {
            return;
        };
        if !push(bin, line, &mut self.scratch, max) {
            self.export.binary = None;
            self.export.broken = true;
            return;
        }
        match bin.need {
            Some(need) if bin.got == need => {
                if let Some(field) = bin.field {
                    self.fields
                        .set(field, Slot::At(bin.start, self.scratch.len()));
                }
                self.export.binary = None;
            }
            Some(need) if bin.got > need => {
                self.export.binary = None;
                self.export.broken = true;
            }
            _ => {
                if !push(bin, b"\n", &mut self.scratch, max) {
                    self.export.binary = None;
                    self.export.broken = true;
                }
            }
        }
    }
}

/// Adds `bytes` to a binary field: the first 8 are its size, the rest its data (kept only
/// for wanted fields). False when the size is over `max`.
fn push(bin: &mut Binary, mut bytes: &[u8], scratch: &mut Vec<u8>, max: u64) -> bool {
    while bin.got < 8 {
        let Some((&b, rest)) = bytes.split_first() else {
            return true;
        };
        bin.size[bin.got as usize] = b;
        bin.got += 1;
        bytes = rest;
    }
    let need = match bin.need {
        Some(need) => need,
        None => {
            let size = u64::from_le_bytes(bin.size);
            if size > max {
                return false;
            }
            bin.need = Some(8 + size);
            8 + size
        }
    };
    // Never keep more than the field holds: a longer run is an error found by the caller.
    let room = need.saturating_sub(bin.got).min(bytes.len() as u64) as usize;
    if bin.field.is_some() {
        scratch.extend_from_slice(&bytes[..room]);
    }
    bin.got += bytes.len() as u64;
    true
}
