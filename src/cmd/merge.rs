//! `auditrail merge`: summary.json files of other hosts and/or consecutive periods -> one
//! summary.json, the reduce step of a fleet (`docs/scale.md`).
//!
//! The files are read one at a time into [`crate::aggregate::Combiner`], so memory holds
//! the combination and one part. The output is the summary's JSON (with the raw lines its
//! sources still cite) with `merged_from` (each part's path and SHA-256, sorted by path, so
//! the output does not depend on the order the parts are given in) and `log_files`
//! ([`LogFile`]: every part's log files, by the file ids of the merged sources) instead of
//! the `input` a summary of logs states. `findings`, `report` and `compare` read
//! `--summaries` the same way ([`combine_files`]).

use crate::aggregate::{Combiner, Part, PeriodInfo, Summary};
use crate::cli::MergeArgs;
use crate::cmd::stamp::OutFile;
use crate::cmd::summary::Tool;
use anyhow::Context;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// One part of a merge, as the output names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MergedFrom {
    /// The summary.json read.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Its size.
    #[serde(skip)]
    pub bytes: u64,
    /// The lines, records and rejected lines of the log files it names, as it states them
    /// (a report from summaries lists them beside the file and its hash).
    #[serde(skip)]
    pub logs: LogTotals,
}

/// Lines, records and rejected lines of some log files, added up (saturating).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LogTotals {
    /// Bytes read.
    pub bytes: u64,
    /// Lines read.
    pub lines: u64,
    /// Audit records.
    pub records: u64,
    /// Rejected lines.
    pub rejected: u64,
}

impl LogTotals {
    /// The totals of `files`.
    pub fn of<'a>(files: impl IntoIterator<Item = &'a LogFile>) -> Self {
        files
            .into_iter()
            .fold(LogTotals::default(), |t, f| LogTotals {
                bytes: t.bytes.saturating_add(f.bytes),
                lines: t.lines.saturating_add(f.lines),
                records: t.records.saturating_add(f.records),
                rejected: t.rejected.saturating_add(f.rejected),
            })
    }
}

/// The file to read for `path`: `path/summary.json` for a report package, else `path`.
fn summary_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join("summary.json")
    } else {
        path.to_path_buf()
    }
}

/// A log file the sources of a merged summary name: its place in `log_files` is the file
/// id of those sources. Each part numbers its files from 0, so a merge reads each part with
/// its ids moved past those of the parts before it ([`crate::model::with_file_offset`]):
/// the ids stay distinct, and every source (and its raw line) names one file of one part,
/// whichever hosts and periods the parts hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct LogFile {
    /// The path the part's summary named (as given on its host).
    pub path: String,
    /// The summary.json that named it (the first one, through merges of merges).
    pub summary: String,
    /// Bytes read, as that summary stated.
    #[serde(default)]
    pub bytes: u64,
    /// Lines read.
    #[serde(default)]
    pub lines: u64,
    /// Audit records.
    #[serde(default)]
    pub records: u64,
    /// Rejected lines.
    #[serde(default)]
    pub rejected: u64,
}

/// The log files a summary.json names, by file id: its `input.files` (a summary of logs,
/// named after `part`), or its `log_files` (a merge).
fn files_of(bytes: &[u8], part: &str) -> Vec<LogFile> {
    #[derive(serde::Deserialize)]
    struct Files {
        #[serde(default)]
        input: Option<Input>,
        #[serde(default)]
        log_files: Vec<LogFile>,
    }
    #[derive(serde::Deserialize)]
    struct Input {
        files: Vec<File>,
    }
    #[derive(serde::Deserialize)]
    struct File {
        path: PathBuf,
        #[serde(default)]
        bytes: u64,
        #[serde(default)]
        lines: u64,
        #[serde(default)]
        records: u64,
        #[serde(default)]
        rejected: u64,
    }
    let Ok(f) = serde_json::from_slice::<Files>(bytes) else {
        return Vec::new();
    };
    match f.input {
        Some(input) => input
            .files
            .into_iter()
            .map(|f| LogFile {
                path: f.path.display().to_string(),
                summary: part.to_string(),
                bytes: f.bytes,
                lines: f.lines,
                records: f.records,
                rejected: f.rejected,
            })
            .collect(),
        None => f.log_files,
    }
}

/// Reads one summary.json (or a report package's) into a [`Summary`], errors naming the
/// file (and, for bad JSON, line and column).
pub fn read_summary(path: &Path) -> anyhow::Result<(Summary, MergedFrom)> {
    read_summary_files(path, 0).map(|(s, m, _)| (s, m))
}

/// [`read_summary`] with its file ids moved up by `offset`, and the files it names.
fn read_summary_files(
    path: &Path,
    offset: u32,
) -> anyhow::Result<(Summary, MergedFrom, Vec<LogFile>)> {
    let file = summary_file(path);
    let bytes = std::fs::read(&file).with_context(|| {
        format!(
            "cannot read {} (give a summary.json or a report package directory)",
            file.display()
        )
    })?;
    let read = crate::model::with_file_offset(offset, || serde_json::from_slice(&bytes));
    let summary: Summary = read.with_context(|| {
        format!(
            "{} is not a summary.json (write one with `auditrail summary --format json`)",
            file.display()
        )
    })?;
    let name = file.display().to_string();
    let files = files_of(&bytes, &name);
    let from = MergedFrom {
        file: name,
        sha256: crate::digest::sha256(&bytes),
        bytes: bytes.len() as u64,
        logs: LogTotals::of(&files),
    };
    Ok((summary, from, files))
}

/// What a summary file states first, read without building its lists: the period and
/// its earliest host time (the order a combination takes its parts in).
#[derive(Clone, Debug)]
pub struct Head {
    /// The period it states.
    pub period: PeriodInfo,
    earliest: i64,
}

impl Head {
    /// The order key ([`crate::aggregate::combine::order_key`]): the period's start and the
    /// earliest host time (a bad time is left to the full read to report).
    fn order(&self) -> (Option<i64>, i64) {
        (self.period.start_ms, self.earliest)
    }
}

/// Reads a summary file's [`Head`].
pub fn head_of(path: &Path) -> anyhow::Result<Head> {
    #[derive(serde::Deserialize)]
    struct Top {
        period: PeriodInfo,
        #[serde(default)]
        hosts: std::collections::BTreeMap<String, First>,
        #[serde(default)]
        hosts_outside_period: std::collections::BTreeMap<String, Outside>,
    }
    #[derive(serde::Deserialize)]
    struct Outside {
        first_ms: String,
    }
    #[derive(serde::Deserialize)]
    struct First {
        first_ms: Option<i64>,
    }
    let file = summary_file(path);
    let f = std::fs::File::open(&file).with_context(|| {
        format!(
            "cannot read {} (give a summary.json or a report package directory)",
            file.display()
        )
    })?;
    let head: Top = serde_json::from_reader(std::io::BufReader::with_capacity(1 << 16, f))
        .with_context(|| {
            format!(
                "{} is not a summary.json (write one with `auditrail summary --format json`)",
                file.display()
            )
        })?;
    let inside = head.hosts.values().filter_map(|h| h.first_ms);
    let outside = head.hosts_outside_period.values().filter_map(|r| {
        chrono::DateTime::parse_from_rfc3339(&r.first_ms)
            .ok()
            .map(|t| t.timestamp_millis())
    });
    let earliest = inside.chain(outside).min();
    Ok(Head {
        period: head.period,
        earliest: earliest.unwrap_or(i64::MAX),
    })
}

/// Summaries read and combined: the combination, its parts (sorted by file) and the log
/// files its sources name.
pub struct Combined {
    /// The combination.
    pub summary: Summary,
    /// The parts.
    pub from: Vec<MergedFrom>,
    /// The log files by file id.
    pub files: Vec<LogFile>,
}

impl Combined {
    /// The log files' paths by file id, as evidence names them (`host:path:line`).
    pub fn paths(&self) -> Vec<String> {
        self.files.iter().map(|f| f.path.clone()).collect()
    }
}

/// Reads and combines `paths`, one at a time in the order the combination needs (a first
/// pass reads each file's period and host times), each part's file ids after those of the
/// parts before it.
pub fn combine_files(paths: &[PathBuf]) -> anyhow::Result<Combined> {
    let parts = paths
        .iter()
        .map(|p| Ok((head_of(p)?, p.clone())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    combine_parts(parts)
}

/// [`combine_files`] of files whose heads were read already.
pub fn combine_parts(parts: Vec<(Head, PathBuf)>) -> anyhow::Result<Combined> {
    let paths: Vec<PathBuf> = parts.iter().map(|(_, p)| p.clone()).collect();
    let mut ordered: Vec<((Option<i64>, i64), &PathBuf)> =
        parts.iter().map(|(h, p)| (h.order(), p)).collect();
    ordered.sort();
    let mut combiner = Combiner::default();
    let mut from = Vec::with_capacity(paths.len());
    let mut files: Vec<LogFile> = Vec::new();
    for (_, path) in ordered {
        let offset = u32::try_from(files.len()).map_err(|_| {
            anyhow::anyhow!("{}: more log files than a merge numbers", path.display())
        })?;
        let (summary, f, named) = read_summary_files(path, offset)?;
        files.extend(named);
        combiner.add(Part {
            name: f.file.clone(),
            summary,
        })?;
        from.push(f);
    }
    from.sort();
    Ok(Combined {
        summary: combiner.finish()?,
        from,
        files,
    })
}

#[derive(Serialize)]
struct MergedJson<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    merged_from: &'a [MergedFrom],
    log_files: &'a [LogFile],
    tool: Tool,
}

/// Writes the merged summary.json (with a trailing newline) to `w`.
pub fn write_merged(c: &Combined, w: &mut dyn Write) -> anyhow::Result<()> {
    write_merged_parts(&c.summary, &c.from, &c.files, w)
}

/// [`write_merged`] from its parts.
pub fn write_merged_parts(
    summary: &Summary,
    from: &[MergedFrom],
    files: &[LogFile],
    w: &mut dyn Write,
) -> anyhow::Result<()> {
    let doc = MergedJson {
        summary,
        merged_from: from,
        log_files: files,
        tool: Tool::THIS,
    };
    crate::render::json::write_summary(&doc, w)
}

/// Runs `merge`.
pub fn run(args: &MergeArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let read: Vec<PathBuf> = args.summaries.iter().map(|p| summary_file(p)).collect();
    let target = args
        .output
        .out
        .as_deref()
        .map(|f| OutFile::check(f, args.output.force, false, &read))
        .transpose()?;
    let combined = combine_files(&args.summaries)?;
    match target {
        Some(t) => {
            let mut bytes = Vec::new();
            write_merged(&combined, &mut bytes)?;
            t.write(&bytes)?;
        }
        None => {
            let mut w = std::io::BufWriter::new(&mut *out);
            write_merged(&combined, &mut w)?;
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
