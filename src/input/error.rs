//! The errors that stop a run before or while reading, each naming the path (and the line
//! after which reading failed) and saying what to do.

use std::io;
use std::path::{Path, PathBuf};

/// Errors that stop a run before or while reading.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A path could not be opened or listed.
    #[error("cannot read {path}: {source}{hint}")]
    Open {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
        /// What to do about it.
        hint: &'static str,
    },
    /// A file is compressed in a format we do not read.
    #[error("{path} is {format}-compressed, which auditrail does not read: decompress it first (e.g. `{tool} -dk {path}`)")]
    Unsupported {
        /// The path.
        path: PathBuf,
        /// The compression format.
        format: &'static str,
        /// The tool that decompresses it.
        tool: &'static str,
    },
    /// Reading failed part-way.
    #[error("error reading {path} after line {line}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The last complete line read.
        line: u64,
        /// The I/O error.
        source: io::Error,
    },
    /// A directory held no audit log.
    #[error("no audit log files found in {0}: expected names like audit.log, audit.log.1, audit.log-20261001.gz or *.log")]
    Empty(PathBuf),
}

fn hint_for(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::PermissionDenied => {
            " (audit logs are usually readable by root only: run with sudo, or copy the logs and pass them as arguments)"
        }
        io::ErrorKind::NotFound => " (check the path; give log files or directories as arguments)",
        _ => "",
    }
}

pub(super) fn open_error(path: &Path, source: io::Error) -> InputError {
    let hint = hint_for(&source);
    InputError::Open {
        path: path.to_path_buf(),
        source,
        hint,
    }
}
