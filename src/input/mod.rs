//! Input paths -> an ordered list of sources, and a line reader over each.
//!
//! - A file is read as is; gzip is detected by its magic bytes (not its name) and read with
//!   `MultiGzDecoder`, so concatenated gzip members work.
//! - A directory is walked (sorted, recursively). Files whose names look like audit logs are
//!   taken: `audit.log`, `audit.log.N`, `audit.log-YYYYMMDD`, any `*.log`, each optionally
//!   `.gz`. Other files are listed as skipped, never silently ignored.
//! - Rotations of one log are read oldest first: dated names in date order, then `.N` from
//!   the highest N down, then the live file. This holds for explicit file arguments too, so
//!   `auditrail check /var/log/audit/audit.log*` reads in time order.
//! - `-` is standard input.
//! - Inside a directory only regular files are read: a FIFO, socket or device (even one
//!   named `audit.log.1`) is never opened, since opening a FIFO blocks until something
//!   writes to it; it is listed in [`InputSet::not_regular`]. Named explicitly on the command
//!   line, a FIFO or character device is read like standard input (`<(zcat log.gz)`): the
//!   user asked for it, and its lines cannot be read again for evidence.
//! - A file that shrinks or is replaced while it is read (`copytruncate`, rotation) is
//!   noticed by comparing its size and inode when opened and when done ([`Snapshot`]).
//!
//! Every file gets an input *group*: its directory plus its name without the rotation suffix.
//! Rotations of one log share a group (an event may straddle a rotation); different logs do
//! not, so hosts whose lines carry no `node=` never have their events merged.

//!
//! One file per job: `sources` (paths -> ordered files and groups), `open` (opening, gzip,
//! hashing), `read_ahead` (reading on a second thread), `lines` (the line reader), `index`
//! (the line index noted while parsing), `read_back` (cited lines read again), `snapshot`
//! (files that change while read) and `error`. Their items are re-exported here: callers
//! write `crate::input::LineReader`.

mod error;
mod index;
mod lines;
mod open;
mod read_ahead;
mod read_back;
mod snapshot;
mod sources;

pub use error::InputError;
pub use index::{LineIndex, LINE_INDEX_STEP};
pub use lines::{Line, LineReader};
pub use open::{open, open_hashed, InputDigest};
pub use read_ahead::{read_ahead, ReadAhead};
pub use read_back::{read_lines_at, CitedLine};
pub use snapshot::{FileChange, Snapshot};
pub use sources::{
    collect, is_stream, looks_like_log, InputFile, InputSet, NotRegular, DEFAULT_DIR,
};
pub(crate) use sources::{split_rotation, RotationOrder};
