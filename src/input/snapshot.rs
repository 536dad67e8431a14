//! A file that shrinks or is replaced while it is read (`copytruncate`, rotation) is noticed
//! by comparing its size and inode when opened and when done.

use serde::Serialize;
use std::path::Path;

/// A regular file's identity and size at one moment, to notice a file that shrinks or is
/// replaced while it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    dev: u64,
    ino: u64,
    len: u64,
}

impl Snapshot {
    /// The file at `path` now; `None` for standard input, non-regular files and paths that
    /// cannot be read.
    pub fn of(path: &Path) -> Option<Snapshot> {
        if path.as_os_str() == "-" {
            return None;
        }
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        Some(Snapshot {
            dev,
            ino,
            len: meta.len(),
        })
    }

    /// How the file at `path` changed since this snapshot (taken before it was opened),
    /// now that `read` bytes of it (as stored; `None` when not known, as for a gzip file
    /// without hashing) were read to its end; `None` when it did not shrink, vanish or get
    /// replaced. Growth is normal (auditd appends) and not reported.
    pub fn change(&self, path: &Path, read: Option<u64>) -> Option<FileChange> {
        let Some(now) = Snapshot::of(path) else {
            return Some(FileChange::Removed);
        };
        if (now.dev, now.ino) != (self.dev, self.ino) {
            return Some(FileChange::Replaced);
        }
        if now.len < self.len {
            return Some(FileChange::Shrank {
                size_at_start: self.len,
                size_at_end: now.len,
            });
        }
        match read {
            Some(read) if read < self.len => Some(FileChange::ReadShort {
                size_at_start: self.len,
                bytes_read: read,
            }),
            _ => None,
        }
    }
}

/// How a file changed while it was read: what was read may be only part of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum FileChange {
    /// It is smaller at the end than when it was opened (truncated, e.g. `copytruncate`).
    Shrank {
        /// Bytes when opened.
        size_at_start: u64,
        /// Bytes when done.
        size_at_end: u64,
    },
    /// Fewer bytes were read than it had when opened (truncated while read).
    ReadShort {
        /// Bytes when opened.
        size_at_start: u64,
        /// Bytes read.
        bytes_read: u64,
    },
    /// Its path names another file at the end (rotated or recreated while read).
    Replaced,
    /// Its path no longer names a regular file at the end.
    Removed,
}

impl FileChange {
    /// For people, after the path: `shrank from 2048 to 0 bytes while it was read ...`.
    pub fn describe(&self) -> String {
        let tail = "what was read may be only part of it: read it again when it is quiet";
        match self {
            FileChange::Shrank {
                size_at_start,
                size_at_end,
            } => format!(
                "shrank from {size_at_start} to {size_at_end} bytes while it was read \
                 (truncated, e.g. by copytruncate); {tail}"
            ),
            FileChange::ReadShort {
                size_at_start,
                bytes_read,
            } => format!(
                "had {size_at_start} bytes when opened but only {bytes_read} could be read \
                 (truncated while it was read); {tail}"
            ),
            FileChange::Replaced => {
                format!("was replaced by another file while it was read (rotated?); {tail}")
            }
            FileChange::Removed => format!("was removed while it was read; {tail}"),
        }
    }
}
