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

use crate::digest::hex;
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The default log directory when no input is given.
pub const DEFAULT_DIR: &str = "/var/log/audit/";

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputFile {
    /// The path as the user will recognise it (`-` for standard input).
    pub path: PathBuf,
    /// The input group (see the module documentation).
    pub group: u32,
}

/// The inputs to read, in order, and the files that were looked at but not taken.
#[derive(Clone, Debug, Default, Serialize)]
pub struct InputSet {
    /// Files to read, in reading order.
    pub files: Vec<InputFile>,
    /// Files inside given directories that do not look like audit logs.
    pub skipped: Vec<PathBuf>,
    /// Entries inside given directories that are not regular files (FIFOs, sockets,
    /// devices, broken links): never opened.
    pub not_regular: Vec<NotRegular>,
}

/// A directory entry that is not a regular file, and what it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotRegular {
    /// Its path.
    pub path: PathBuf,
    /// `fifo`, `socket`, `character device`, `block device`, `broken link` or `other`.
    pub kind: &'static str,
}

/// What a directory entry is, following symbolic links: `None` for a regular file or a
/// directory, else the kind of [`NotRegular`] entry.
fn irregular_kind(path: &Path) -> Option<&'static str> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Some("broken link");
    };
    if meta.is_file() || meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("fifo");
        }
        if t.is_socket() {
            return Some("socket");
        }
        if t.is_char_device() {
            return Some("character device");
        }
        if t.is_block_device() {
            return Some("block device");
        }
    }
    Some("other")
}

/// True for an input that is read once as a stream: standard input, or anything that is
/// not a regular file (a FIFO or device named on the command line). Its lines cannot be
/// read again by seeking.
pub fn is_stream(path: &Path) -> bool {
    path.as_os_str() == "-" || !std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

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

impl InputSet {
    /// A label per input group, for hosts whose records carry no node name: `(local)` when
    /// only one group exists, else `(local) PATH` with the log's path without its rotation
    /// suffix (`(local) evidence/host1/audit.log`).
    pub fn group_labels(&self) -> Vec<String> {
        let groups = self
            .files
            .iter()
            .map(|f| f.group)
            .max()
            .map_or(0, |g| g as usize + 1);
        if groups <= 1 {
            return vec!["(local)".to_string(); groups];
        }
        let mut labels = vec![String::new(); groups];
        for f in &self.files {
            let label = &mut labels[f.group as usize];
            if label.is_empty() {
                let ((dir, stem), _) = group_key(&f.path);
                *label = if f.path.as_os_str() == "-" {
                    "(local) stdin".to_string()
                } else {
                    format!("(local) {}", dir.join(stem).display())
                };
            }
        }
        labels
    }
}

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

fn open_error(path: &Path, source: io::Error) -> InputError {
    let hint = hint_for(&source);
    InputError::Open {
        path: path.to_path_buf(),
        source,
        hint,
    }
}

/// Expands the user's paths (or the default directory) into an ordered [`InputSet`].
pub fn collect(paths: &[PathBuf]) -> Result<InputSet, InputError> {
    let defaulted = paths.is_empty();
    let default = [PathBuf::from(DEFAULT_DIR)];
    let paths = if defaulted { &default[..] } else { paths };
    let mut set = InputSet::default();
    let mut groups: HashMap<(PathBuf, String), u32> = HashMap::new();
    let mut explicit: Vec<PathBuf> = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            flush_explicit(&mut explicit, &mut set, &mut groups);
            let group = groups.len() as u32;
            groups.insert((PathBuf::from("-"), format!("stdin{group}")), group);
            set.files.push(InputFile {
                path: p.clone(),
                group,
            });
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| open_error(p, e))?;
        if meta.is_dir() {
            flush_explicit(&mut explicit, &mut set, &mut groups);
            let before = set.files.len();
            walk_dir(p, &mut set, &mut groups)?;
            if set.files.len() == before {
                return Err(InputError::Empty(p.clone()));
            }
        } else {
            explicit.push(p.clone());
        }
    }
    flush_explicit(&mut explicit, &mut set, &mut groups);
    Ok(set)
}

/// Adds explicitly named files, each run of one group ordered oldest rotation first.
fn flush_explicit(
    files: &mut Vec<PathBuf>,
    set: &mut InputSet,
    groups: &mut HashMap<(PathBuf, String), u32>,
) {
    add_ordered(std::mem::take(files), set, groups);
}

fn add_ordered(
    files: Vec<PathBuf>,
    set: &mut InputSet,
    groups: &mut HashMap<(PathBuf, String), u32>,
) {
    // Order of first appearance of each group, then rotation order inside it (a hash map:
    // a directory of a million single-file logs is a million groups).
    let mut first_seen: Vec<(PathBuf, String)> = Vec::new();
    let mut seen_at: HashMap<(PathBuf, String), usize> = HashMap::new();
    let mut keyed: Vec<(usize, RotationOrder, PathBuf)> = files
        .into_iter()
        .map(|p| {
            let (gk, order) = group_key(&p);
            let idx = *seen_at.entry(gk.clone()).or_insert_with(|| {
                first_seen.push(gk);
                first_seen.len() - 1
            });
            (idx, order, p)
        })
        .collect();
    keyed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (idx, _, path) in keyed {
        let next = groups.len() as u32;
        let group = *groups.entry(first_seen[idx].clone()).or_insert(next);
        set.files.push(InputFile { path, group });
    }
}

fn walk_dir(
    dir: &Path,
    set: &mut InputSet,
    groups: &mut HashMap<(PathBuf, String), u32>,
) -> Result<(), InputError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| open_error(dir, e))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| open_error(dir, e))?;
    entries.sort();
    let mut logs = Vec::new();
    let mut subdirs = Vec::new();
    for path in entries {
        if let Some(kind) = irregular_kind(&path) {
            set.not_regular.push(NotRegular { path, kind });
        } else if path.is_dir() {
            subdirs.push(path);
        } else if looks_like_log(&path) {
            logs.push(path);
        } else {
            set.skipped.push(path);
        }
    }
    add_ordered(logs, set, groups);
    for sub in subdirs {
        walk_dir(&sub, set, groups)?;
    }
    Ok(())
}

/// True for names like `audit.log`, `audit.log.3`, `audit.log-20261001`, `x.log`, each
/// optionally ending in `.gz`.
pub fn looks_like_log(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let (stem, _) = split_rotation(name);
    stem.ends_with(".log") || stem.starts_with("audit")
}

/// Sort key for rotations of one log: dated names by date, then `.N` by descending N, then
/// the live file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum RotationOrder {
    Dated(String),
    Numbered(std::cmp::Reverse<u64>),
    Live,
}

/// Splits `audit.log.3` into (`audit.log`, Numbered(3)) and `audit.log-20261001` into
/// (`audit.log`, Dated("20261001")).
pub(crate) fn split_rotation(name: &str) -> (&str, RotationOrder) {
    if let Some((stem, n)) = name.rsplit_once('.') {
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = n.parse::<u64>() {
                return (stem, RotationOrder::Numbered(std::cmp::Reverse(n)));
            }
        }
    }
    if let Some((stem, d)) = name.rsplit_once('-') {
        if d.len() >= 8
            && d.bytes()
                .all(|b| b.is_ascii_digit() || b == b'_' || b == b'T')
            && stem.ends_with(".log")
        {
            return (stem, RotationOrder::Dated(d.to_string()));
        }
    }
    (name, RotationOrder::Live)
}

fn group_key(path: &Path) -> ((PathBuf, String), RotationOrder) {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let (stem, order) = split_rotation(name);
    ((dir, stem.to_string()), order)
}

/// Opens an input for reading, decompressing gzip. Returns the reader and whether it was
/// compressed.
pub fn open(file: &InputFile) -> Result<(Box<dyn Read + Send>, bool), InputError> {
    if file.path.as_os_str() == "-" {
        return sniff(Box::new(io::stdin()), &file.path);
    }
    let f = File::open(&file.path).map_err(|e| open_error(&file.path, e))?;
    sniff(Box::new(f), &file.path)
}

/// The SHA-256 of a file's bytes as they were read (before decompression), available once
/// the file was read to its end. Hashing the bytes the parser saw, on the read-ahead
/// thread, costs no second read and cannot disagree with what was parsed. A gzip file's
/// decompressed bytes are hashed too (on the same thread), so that a log compressed by
/// rotation can be recognised by its content.
#[derive(Clone, Debug, Default)]
pub struct InputDigest(
    Arc<OnceLock<([u8; 32], u64)>>,
    Arc<OnceLock<([u8; 32], u64)>>,
);

impl InputDigest {
    /// The digest in lowercase hex, or `None` when the file was not read to its end.
    pub fn hex(&self) -> Option<String> {
        self.0.get().map(|(d, _)| hex(d))
    }

    /// How many bytes were hashed (the file's size as read; for standard input the only
    /// way to know it), or `None` when the file was not read to its end.
    pub fn bytes(&self) -> Option<u64> {
        self.0.get().map(|&(_, n)| n)
    }

    /// The digest and size of the decompressed bytes of a gzip file read to its end.
    pub fn decompressed(&self) -> Option<(String, u64)> {
        self.1.get().map(|(d, n)| (hex(d), *n))
    }
}

/// Hashes everything read through it; publishes the digest at the end of the stream.
struct Hashing<R> {
    inner: R,
    hasher: Option<Sha256>,
    bytes: u64,
    digest: Arc<OnceLock<([u8; 32], u64)>>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            if let Some(h) = self.hasher.take() {
                let _ = self.digest.set((h.finalize().into(), self.bytes));
            }
        } else if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
            self.bytes += n as u64;
        }
        Ok(n)
    }
}

/// [`open`], also hashing the file's bytes (SHA-256) as they are read.
pub fn open_hashed(
    file: &InputFile,
) -> Result<(Box<dyn Read + Send>, bool, InputDigest), InputError> {
    let digest = InputDigest::default();
    let hashing = |inner: Box<dyn Read + Send>, into: &Arc<_>| -> Box<dyn Read + Send> {
        Box::new(Hashing {
            inner,
            hasher: Some(Sha256::new()),
            bytes: 0,
            digest: Arc::clone(into),
        })
    };
    let (reader, compressed) = if file.path.as_os_str() == "-" {
        sniff(hashing(Box::new(io::stdin()), &digest.0), &file.path)?
    } else {
        let f = File::open(&file.path).map_err(|e| open_error(&file.path, e))?;
        sniff(hashing(Box::new(f), &digest.0), &file.path)?
    };
    let reader = if compressed {
        hashing(reader, &digest.1)
    } else {
        reader
    };
    Ok((reader, compressed, digest))
}

fn sniff(
    inner: Box<dyn Read + Send>,
    path: &Path,
) -> Result<(Box<dyn Read + Send>, bool), InputError> {
    let mut buffered = BufReader::with_capacity(256 * 1024, inner);
    let head = buffered.fill_buf().map_err(|e| open_error(path, e))?;
    let unsupported = |format, tool| InputError::Unsupported {
        path: path.to_path_buf(),
        format,
        tool,
    };
    if head.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::bufread::MultiGzDecoder::new(buffered);
        return Ok((Box::new(gz), true));
    }
    if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        return Err(unsupported("xz", "xz"));
    }
    if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Err(unsupported("zstd", "zstd"));
    }
    if head.starts_with(b"BZh") {
        return Err(unsupported("bzip2", "bzip2"));
    }
    Ok((Box::new(buffered), false))
}

/// Reads `inner` on a background thread, so that the kernel's copy (and gzip
/// decompression) runs on the second core while the caller parses. Chunks are recycled.
pub fn read_ahead(inner: Box<dyn Read + Send>) -> ReadAhead {
    const CHUNK: usize = 1 << 20;
    let (tx, rx) = std::sync::mpsc::sync_channel::<io::Result<Vec<u8>>>(4);
    let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut inner = inner;
        loop {
            let mut buf = back_rx
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(CHUNK));
            buf.resize(CHUNK, 0);
            let n = loop {
                match inner.read(&mut buf) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other,
                }
            };
            match n {
                Ok(0) => return,
                Ok(n) => {
                    buf.truncate(n);
                    if tx.send(Ok(buf)).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
    });
    ReadAhead {
        rx,
        back: back_tx,
        cur: Vec::new(),
        pos: 0,
    }
}

/// The consuming end of [`read_ahead`].
pub struct ReadAhead {
    rx: std::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
    back: std::sync::mpsc::Sender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.cur.len() {
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    let done = std::mem::replace(&mut self.cur, chunk);
                    let _ = self.back.send(done);
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0), // the reader finished
            }
        }
        let n = out.len().min(self.cur.len() - self.pos);
        out[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

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

    /// The nearest indexed line at or before `number`: (line, offset).
    fn before(&self, number: u64) -> Option<(u64, u64)> {
        let k = usize::try_from((number.max(1) - 1) / LINE_INDEX_STEP).ok()?;
        let k = k.min(self.offsets.len().checked_sub(1)?);
        Some((k as u64 * LINE_INDEX_STEP + 1, self.offsets[k]))
    }
}

/// Reads lines `wanted` (1-based, ascending) of `file` again and hands each to `found` with
/// its number. With an index of the uncompressed file it seeks to each line's block;
/// otherwise (gzip, no index) it reads the file from the start. Lines the file no longer
/// has are not handed over.
pub fn read_lines_at(
    file: &InputFile,
    index: Option<&LineIndex>,
    wanted: &[u64],
    max_len: usize,
    found: &mut dyn FnMut(u64, &[u8]),
) -> Result<(), InputError> {
    use std::io::{Seek, SeekFrom};
    if let Some(index) = index.filter(|i| !i.offsets.is_empty()) {
        let f = File::open(&file.path).map_err(|e| open_error(&file.path, e))?;
        // A small buffer: a seek reads on average half a block (about 6 KB of audit lines).
        let mut reader = LineReader::with_capacity(f, max_len, 8 * 1024);
        for &target in wanted {
            let (line, offset) = index.before(target).unwrap_or((1, 0));
            // Seek when the target's block lies ahead of where the reader stands.
            if reader.line_number() + 1 < line || reader.line_number() >= target {
                reader
                    .inner
                    .seek(SeekFrom::Start(offset))
                    .map_err(|e| open_error(&file.path, e))?;
                reader.restart(line - 1, offset);
            }
            while reader.line_number() < target {
                match reader.next_line() {
                    Ok(Some(l)) if l.number == target => found(target, l.bytes),
                    Ok(Some(_)) => {}
                    Ok(None) => return Ok(()),
                    Err(e) => {
                        return Err(InputError::Read {
                            path: file.path.clone(),
                            line: reader.line_number(),
                            source: e,
                        })
                    }
                }
            }
        }
        return Ok(());
    }
    let (inner, _) = open(file)?;
    let mut reader = LineReader::new(inner, max_len);
    let mut want = wanted.iter().peekable();
    while let Some(&&target) = want.peek() {
        match reader.next_line() {
            Ok(Some(l)) => {
                if l.number == target {
                    found(target, l.bytes);
                }
                while want.next_if(|&&t| t <= l.number).is_some() {}
            }
            Ok(None) => break,
            Err(e) => {
                return Err(InputError::Read {
                    path: file.path.clone(),
                    line: reader.line_number(),
                    source: e,
                })
            }
        }
    }
    Ok(())
}

/// One line from a [`LineReader`].
#[derive(Debug)]
pub struct Line<'a> {
    /// The bytes without the line ending (empty for a line that was too long).
    pub bytes: &'a [u8],
    /// 1-based line number.
    pub number: u64,
    /// Byte offset of the line's start in the stream (after decompression).
    pub offset: u64,
    /// True when the line exceeded the limit and was skipped.
    pub too_long: bool,
}

/// Splits a byte stream into lines with one reusable buffer. Handles a last line without
/// newline, and lines of any length up to `max_len` (longer ones are reported, not kept).
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    number: u64,
    max_len: usize,
    bytes_read: u64,
}

impl<R: Read> LineReader<R> {
    /// A reader with lines of at most `max_len` bytes.
    pub fn new(inner: R, max_len: usize) -> Self {
        Self::with_capacity(inner, max_len, 256 * 1024)
    }

    /// A reader whose buffer starts at `capacity` bytes (it grows for longer lines).
    pub fn with_capacity(inner: R, max_len: usize, capacity: usize) -> Self {
        LineReader {
            inner,
            buf: vec![0; capacity.max(1)],
            start: 0,
            end: 0,
            eof: false,
            number: 0,
            max_len: max_len.max(1),
            bytes_read: 0,
        }
    }

    /// Bytes read so far (after decompression).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Forgets the buffer after the caller moved the underlying stream to `offset`, where
    /// line `number + 1` starts.
    fn restart(&mut self, number: u64, offset: u64) {
        self.start = 0;
        self.end = 0;
        self.eof = false;
        self.number = number;
        self.bytes_read = offset;
    }

    /// Byte offset in the stream of buffer position `pos`.
    fn offset_of(&self, pos: usize) -> u64 {
        self.bytes_read - (self.end - pos) as u64
    }

    /// Lines read so far.
    pub fn line_number(&self) -> u64 {
        self.number
    }

    fn fill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = (self.buf.len() * 2)
                .min(self.max_len + 1)
                .max(self.buf.len() + 1);
            self.buf.resize(grown, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    self.bytes_read += n as u64;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The next line, or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        let mut scanned = 0;
        loop {
            let window = &self.buf[self.start + scanned..self.end];
            if let Some(i) = memchr::memchr(b'\n', window) {
                let line_start = self.start;
                let line_end = self.start + scanned + i;
                let offset = self.offset_of(line_start);
                self.start = line_end + 1;
                self.number += 1;
                return Ok(Some(Line {
                    bytes: &self.buf[line_start..line_end],
                    number: self.number,
                    offset,
                    too_long: false,
                }));
            }
            scanned = self.end - self.start;
            if self.eof {
                if scanned == 0 {
                    return Ok(None);
                }
                let line_start = self.start;
                let offset = self.offset_of(line_start);
                self.start = self.end;
                self.number += 1;
                return Ok(Some(Line {
                    bytes: &self.buf[line_start..self.end],
                    number: self.number,
                    offset,
                    too_long: false,
                }));
            }
            if scanned > self.max_len {
                return self.skip_long_line();
            }
            self.fill()?;
        }
    }

    /// Discards the rest of an over-long line.
    fn skip_long_line(&mut self) -> io::Result<Option<Line<'_>>> {
        let offset = self.offset_of(self.start);
        self.number += 1;
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.start..self.end]) {
                self.start += i + 1;
                break;
            }
            self.start = self.end;
            if self.eof {
                break;
            }
            self.fill()?;
            if self.eof && self.start == self.end {
                break;
            }
        }
        Ok(Some(Line {
            bytes: &[],
            number: self.number,
            offset,
            too_long: true,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8], max: usize) -> Vec<(Vec<u8>, bool)> {
        let mut r = LineReader::new(data, max);
        r.buf = vec![0; 4]; // tiny buffer: exercise refills and growth
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push((l.bytes.to_vec(), l.too_long));
        }
        out
    }

    #[test]
    fn line_offsets_point_at_line_starts() {
        let data = b"one\ntwo two\n\nlast";
        let mut r = LineReader::new(&data[..], 100);
        r.buf = vec![0; 4];
        let mut offsets = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            assert!(data[l.offset as usize..].starts_with(l.bytes));
            offsets.push(l.offset);
        }
        assert_eq!(offsets, vec![0, 4, 12, 13]);
    }

    /// A file of `n` numbered lines of varying length, some over `max`.
    fn numbered(dir: &Path, n: u64) -> (InputFile, LineIndex, Vec<Vec<u8>>) {
        let mut text = Vec::new();
        let mut index = LineIndex::default();
        let mut expected = Vec::new();
        for i in 1..=n {
            index.note(i, text.len() as u64);
            let line = format!("line {i} {}", "x".repeat((i % 37) as usize)).into_bytes();
            text.extend_from_slice(&line);
            text.push(b'\n');
            expected.push(line);
        }
        let path = dir.join("numbered.log");
        std::fs::write(&path, &text).unwrap();
        let file = InputFile { path, group: 0 };
        (file, index, expected)
    }

    #[test]
    fn lines_are_read_back_by_seeking_and_by_scanning() {
        let dir = tempfile::tempdir().unwrap();
        let (file, index, expected) = numbered(dir.path(), 2000);
        let wanted = [
            1, 2, 63, 64, 65, 66, 255, 256, 257, 700, 1999, 2000, 2001, 5000,
        ];
        for index in [Some(&index), None] {
            let mut got = Vec::new();
            read_lines_at(&file, index, &wanted, 1 << 20, &mut |n, b| {
                got.push((n, b.to_vec()))
            })
            .unwrap();
            let want: Vec<(u64, Vec<u8>)> = wanted
                .iter()
                .filter(|&&n| n <= 2000)
                .map(|&n| (n, expected[n as usize - 1].clone()))
                .collect();
            assert_eq!(got, want, "index: {}", index.is_some());
        }
    }

    #[test]
    fn the_digest_is_of_the_bytes_read_and_decompressed() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let plain = b"type=DAEMON_START msg=audit(1.000:1): ok\n".repeat(1000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).unwrap();
        let gz = gz.finish().unwrap();
        for (name, bytes) in [("a.log", plain.clone()), ("a.log.1.gz", gz)] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let file = InputFile { path, group: 0 };
            let (reader, _, digest) = open_hashed(&file).unwrap();
            assert_eq!(digest.hex(), None, "not read yet");
            let mut text = Vec::new();
            read_ahead(reader).read_to_end(&mut text).unwrap();
            assert_eq!(text, plain);
            assert_eq!(digest.hex(), Some(hex(&Sha256::digest(&bytes))), "{name}");
            assert_eq!(digest.bytes(), Some(bytes.len() as u64));
            let text = (hex(&Sha256::digest(&plain)), plain.len() as u64);
            let want = name.ends_with(".gz").then_some(text);
            assert_eq!(digest.decompressed(), want, "{name}");
        }
    }

    #[test]
    fn splits_lines_across_refills() {
        let got = lines(b"one\ntwo two\n\nlast", 100);
        let texts: Vec<_> = got.iter().map(|(b, _)| b.as_slice()).collect();
        assert_eq!(texts, vec![&b"one"[..], b"two two", b"", b"last"]);
    }

    #[test]
    fn long_lines_are_reported_and_skipped() {
        let mut data = b"short\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 50));
        data.extend_from_slice(b"\nafter\n");
        let got = lines(&data, 20);
        assert_eq!(got.len(), 3);
        assert!(got[1].1);
        assert_eq!(got[2].0, b"after");
        // Up to the limit is fine.
        let got = lines(&data, 60);
        assert_eq!(got[1].0.len(), 50);
    }

    #[test]
    fn rotation_order_is_oldest_first() {
        let files: Vec<PathBuf> = [
            "d/audit.log",
            "d/audit.log.1",
            "d/audit.log.10",
            "d/audit.log.2",
            "d/audit.log-20260901.gz",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let mut set = InputSet::default();
        add_ordered(files, &mut set, &mut HashMap::new());
        let names: Vec<_> = set
            .files
            .iter()
            .map(|f| f.path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            vec![
                "d/audit.log-20260901.gz",
                "d/audit.log.10",
                "d/audit.log.2",
                "d/audit.log.1",
                "d/audit.log"
            ]
        );
        assert!(set.files.iter().all(|f| f.group == 0));
    }

    /// Grouping is linear in the number of logs (it was a search per file: a directory of
    /// 100,000 single-file logs took minutes); 32 times the logs take about 32 times as long,
    /// with room for a busy machine (a search took about 1000 times as long).
    #[test]
    fn grouping_time_is_linear_in_logs() {
        let time = |n: usize| {
            (0..5)
                .map(|_| {
                    let files: Vec<PathBuf> = (0..n)
                        .map(|i| PathBuf::from(format!("d/h{i}.log")))
                        .collect();
                    let mut set = InputSet::default();
                    let t = std::time::Instant::now();
                    add_ordered(files, &mut set, &mut HashMap::new());
                    assert_eq!(set.files.last().map(|f| f.group as usize), Some(n - 1));
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::MAX, f64::min)
        };
        let (small, large) = (time(2_000), time(64_000));
        assert!(
            large < 300.0 * small,
            "2k logs {small:.4} s, 64k {large:.4} s"
        );
    }

    #[test]
    fn different_logs_get_different_groups() {
        let files: Vec<PathBuf> = ["a/audit.log", "b/audit.log", "a/other.log"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let mut set = InputSet::default();
        add_ordered(files, &mut set, &mut HashMap::new());
        let groups: Vec<_> = set.files.iter().map(|f| f.group).collect();
        assert_eq!(groups, vec![0, 1, 2]);
    }

    #[test]
    fn log_names() {
        for ok in [
            "audit.log",
            "audit.log.1",
            "audit.log-20261001",
            "audit.log.2.gz",
            "x.log",
            "USER_LOGIN.log",
        ] {
            assert!(looks_like_log(Path::new(ok)), "{ok}");
        }
        for no in ["README.md", "notes.txt", "generate.py"] {
            assert!(!looks_like_log(Path::new(no)), "{no}");
        }
    }
}
