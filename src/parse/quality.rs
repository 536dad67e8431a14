//! Input quality: what was read, what was not, and why.
//!
//! Every non-blank line ends up either in exactly one event or in a rejection counted here
//! under its reason, with up to [`SAMPLES`] file:line samples. Journal entries of other
//! transports are counted as skipped in the same way, and the further lines of a journal
//! export entry as its lines. Reports state their own input quality from this value.

use crate::model::format_ms;
use crate::parse::assemble::AssembleStats;
use crate::parse::journal::Skip;
use crate::parse::record::Reject;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How many file:line samples are kept per rejection reason.
pub const SAMPLES: usize = 5;

/// Statistics for one input file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FileStats {
    /// The path as given.
    pub path: PathBuf,
    /// Its input group.
    pub group: u32,
    /// True when it was gzip-compressed.
    pub compressed: bool,
    /// Bytes of text read (after decompression).
    pub bytes: u64,
    /// Lines read (including blank and rejected ones).
    pub lines: u64,
    /// Blank lines (ignored).
    pub blank_lines: u64,
    /// Lines that were audit records.
    pub records: u64,
    /// Lines that were rejected.
    pub rejected: u64,
    /// Journal entries skipped (other transports), counted at their first line.
    pub skipped_entries: u64,
    /// Lines of journal export entries after each entry's first line.
    pub journal_entry_lines: u64,
    /// Earliest record time.
    #[serde(serialize_with = "opt_time")]
    pub first: Option<i64>,
    /// Latest record time.
    #[serde(serialize_with = "opt_time")]
    pub last: Option<i64>,
    /// SHA-256 of the bytes read (before decompression), when
    /// [`crate::parse::ReadOptions::keep_evidence`] was set and the file was read to its end.
    #[serde(skip)]
    pub sha256: Option<String>,
    /// The bytes hashed into `sha256` (the file's size as read, before decompression).
    #[serde(skip)]
    pub raw_bytes: Option<u64>,
    /// SHA-256 of a gzip file's decompressed bytes (with `sha256`).
    #[serde(skip)]
    pub decompressed_sha256: Option<String>,
    /// Line offsets for reading cited lines back (uncompressed files, with `keep_evidence`
    /// or `line_index`).
    #[serde(skip)]
    pub line_index: Option<crate::input::LineIndex>,
    /// How the file changed while it was read (shrank, replaced): what was read may be
    /// only part of it. Absent when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<crate::input::FileChange>,
}

/// A reason for counting a line apart from the records: [`Reject`] or [`Skip`].
pub trait Reason: Copy + Ord + Serialize {
    /// A short phrase for people.
    fn describe(self) -> &'static str;
}

impl Reason for Reject {
    fn describe(self) -> &'static str {
        Reject::describe(self)
    }
}

impl Reason for Skip {
    fn describe(self) -> &'static str {
        Skip::describe(self)
    }
}

/// One rejection (or skip) reason with its count and samples.
#[derive(Clone, Debug, Serialize)]
pub struct Rejection<R = Reject> {
    /// The reason.
    pub reason: R,
    /// The reason for people.
    pub description: &'static str,
    /// Lines rejected for it.
    pub count: u64,
    /// Up to [`SAMPLES`] of them as `file:line`.
    pub samples: Vec<String>,
}

/// Records, events and time range of one node.
#[derive(Clone, Debug, Default, Serialize)]
pub struct NodeStats {
    /// The node name; `None` for records without `node=` or syslog host.
    pub node: Option<String>,
    /// Records read for it.
    pub records: u64,
    /// Events assembled for it.
    pub events: u64,
    /// Earliest record time.
    #[serde(serialize_with = "opt_time")]
    pub first: Option<i64>,
    /// Latest record time.
    #[serde(serialize_with = "opt_time")]
    pub last: Option<i64>,
}

/// Nodes past [`crate::limits::NODES`]: how many, and their records and events.
#[derive(Clone, Debug, Serialize)]
pub struct NodesBeyond {
    /// The limit and the records of the nodes past it.
    #[serde(flatten)]
    pub limit: crate::limits::LimitReached,
    /// Events of the nodes past the limit.
    pub events: u64,
}

/// Quality of a whole run's input.
#[derive(Clone, Debug, Default, Serialize)]
pub struct InputQuality {
    /// Per input file, in reading order.
    pub files: Vec<FileStats>,
    /// Files inside given directories that were not read (not audit-log names).
    pub skipped_files: Vec<PathBuf>,
    /// Entries inside given directories that are not regular files (FIFOs, sockets,
    /// devices, broken links), never opened.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_regular_files: Vec<crate::input::NotRegular>,
    /// Bytes read.
    pub bytes: u64,
    /// Lines read.
    pub lines: u64,
    /// Blank lines.
    pub blank_lines: u64,
    /// Audit records.
    pub records: u64,
    /// Events assembled.
    pub events: u64,
    /// Rejected lines by reason.
    pub rejected: RejectedLines,
    /// Journal entries that are not audit records (other transports), by reason.
    pub skipped_entries: SkippedEntries,
    /// Lines of journal export entries after each entry's first line (the entry is counted
    /// once, at its first line).
    pub journal_entry_lines: u64,
    /// Per node, sorted by name (the first [`crate::limits::NODES`] nodes in input order).
    pub nodes: Vec<NodeStats>,
    /// The nodes past the limit, counted together; absent when every node is listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes_beyond: Option<NodesBeyond>,
    /// How events were completed.
    pub assembly: AssembleStats,
}

/// Rejected lines: a total and the reasons.
#[derive(Clone, Debug, Serialize)]
pub struct RejectedLines<R = Reject> {
    /// All rejected lines.
    pub total: u64,
    /// By reason, in a fixed order.
    pub reasons: Vec<Rejection<R>>,
}

impl<R> Default for RejectedLines<R> {
    fn default() -> Self {
        RejectedLines {
            total: 0,
            reasons: Vec::new(),
        }
    }
}

/// Skipped journal entries: a total and the reasons.
pub type SkippedEntries = RejectedLines<Skip>;

impl InputQuality {
    /// Warnings about the input for people: files that changed while read, entries that
    /// are not regular files. Empty when there is nothing to say.
    pub fn warnings(&self) -> Vec<String> {
        let changed = self.files.iter().filter_map(|f| {
            let c = f.changed?;
            Some(format!("{} {}", f.path.display(), c.describe()))
        });
        let irregular = self.not_regular_files.iter().map(|n| {
            format!(
                "{} skipped: a {}, not a regular file (name it on the command line to read \
                 it)",
                n.path.display(),
                n.kind
            )
        });
        changed.chain(irregular).collect()
    }

    /// True when a file changed while it was read.
    pub fn has_changed_files(&self) -> bool {
        self.files.iter().any(|f| f.changed.is_some())
    }

    /// True when every non-blank line is accounted for: in a record or in a rejection.
    pub fn is_balanced(&self) -> bool {
        self.lines
            == self.blank_lines
                + self.records
                + self.rejected.total
                + self.skipped_entries.total
                + self.journal_entry_lines
            && self.records == self.assembly.records
    }
}

/// Collects rejections (or skips) while reading.
#[derive(Debug)]
pub(crate) struct RejectCounter<R = Reject> {
    by_reason: BTreeMap<R, (u64, Vec<String>)>,
}

impl<R> Default for RejectCounter<R> {
    fn default() -> Self {
        RejectCounter {
            by_reason: BTreeMap::new(),
        }
    }
}

impl<R: Reason> RejectCounter<R> {
    pub(crate) fn add(&mut self, reason: R, file: &std::path::Path, line: u64) {
        let entry = self.by_reason.entry(reason).or_default();
        entry.0 += 1;
        if entry.1.len() < SAMPLES {
            entry.1.push(format!("{}:{}", file.display(), line));
        }
    }

    /// Adds the rejections of a later part of the input: counts add up, samples are kept
    /// in input order up to [`SAMPLES`].
    pub(crate) fn merge(&mut self, later: RejectCounter<R>) {
        for (reason, (count, samples)) in later.by_reason {
            let entry = self.by_reason.entry(reason).or_default();
            entry.0 += count;
            let room = SAMPLES.saturating_sub(entry.1.len());
            entry.1.extend(samples.into_iter().take(room));
        }
    }

    pub(crate) fn finish(self) -> RejectedLines<R> {
        let reasons: Vec<Rejection<R>> = self
            .by_reason
            .into_iter()
            .map(|(reason, (count, samples))| Rejection {
                reason,
                description: reason.describe(),
                count,
                samples,
            })
            .collect();
        RejectedLines {
            total: reasons.iter().map(|r| r.count).sum(),
            reasons,
        }
    }
}

/// Widens an optional [first, last] range with `t`.
pub(crate) fn widen(first: &mut Option<i64>, last: &mut Option<i64>, t: i64) {
    *first = Some(first.map_or(t, |f| f.min(t)));
    *last = Some(last.map_or(t, |l| l.max(t)));
}

fn opt_time<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(ms) => s.serialize_str(&format_ms(*ms)),
        None => s.serialize_none(),
    }
}
