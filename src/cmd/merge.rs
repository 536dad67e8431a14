//! `auditrail merge`: summary.json files of other hosts and/or consecutive periods -> one
//! summary.json, the reduce step of a fleet (`docs/scale.md`).
//!
//! The files are read one at a time into [`crate::aggregate::Combiner`], so memory holds
//! the combination and one part. The output is the summary's JSON with `merged_from` (each
//! part's path and SHA-256, sorted by path, so the output does not depend on the order the
//! parts are given in) and `files_by_host` ([`FilesByHost`]) instead of the `input` a
//! summary of logs states. `findings --summaries` reads summaries the same way.

use crate::aggregate::{Combiner, Part, Summary};
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
}

/// The file to read for `path`: `path/summary.json` for a report package, else `path`.
fn summary_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join("summary.json")
    } else {
        path.to_path_buf()
    }
}

/// Per host, the log files its sources' file ids name: a summary of logs lists its inputs
/// once (`input.files`, in file-id order) for all its hosts; a merge keeps them per host
/// (`files_by_host`), since each part numbered its own files from 0. A host in several
/// parts (consecutive periods) has colliding ids and is left out: its evidence names no
/// file.
pub type FilesByHost = std::collections::BTreeMap<String, Vec<String>>;

/// The files a summary.json names for its hosts ([`FilesByHost`]).
fn files_of(bytes: &[u8], summary: &Summary) -> FilesByHost {
    #[derive(serde::Deserialize)]
    struct Files {
        #[serde(default)]
        input: Option<Input>,
        #[serde(default)]
        files_by_host: FilesByHost,
    }
    #[derive(serde::Deserialize)]
    struct Input {
        files: Vec<File>,
    }
    #[derive(serde::Deserialize)]
    struct File {
        path: PathBuf,
    }
    let Ok(f) = serde_json::from_slice::<Files>(bytes) else {
        return FilesByHost::new();
    };
    let mut out = f.files_by_host;
    if let Some(input) = f.input {
        let paths: Vec<String> = input
            .files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect();
        let hosts = summary.hosts().keys().chain(summary.outside_hosts().keys());
        for host in hosts {
            out.entry(host.clone()).or_insert_with(|| paths.clone());
        }
    }
    out
}

/// Reads one summary.json (or a report package's) into a [`Summary`], errors naming the
/// file (and, for bad JSON, line and column).
pub fn read_summary(path: &Path) -> anyhow::Result<(Summary, MergedFrom)> {
    read_summary_files(path).map(|(s, m, _)| (s, m))
}

/// [`read_summary`], and the files it names per host.
fn read_summary_files(path: &Path) -> anyhow::Result<(Summary, MergedFrom, FilesByHost)> {
    let file = summary_file(path);
    let bytes = std::fs::read(&file).with_context(|| {
        format!(
            "cannot read {} (give a summary.json or a report package directory)",
            file.display()
        )
    })?;
    let summary: Summary = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "{} is not a summary.json (write one with `auditrail summary --format json`)",
            file.display()
        )
    })?;
    let from = MergedFrom {
        file: file.display().to_string(),
        sha256: crate::digest::sha256(&bytes),
    };
    let files = files_of(&bytes, &summary);
    Ok((summary, from, files))
}

/// The order key of a summary file ([`crate::aggregate::combine::order_key`]), read
/// without building its lists: the period's start and the earliest host time (a bad time
/// is left to the full read to report).
fn order_of(path: &Path) -> anyhow::Result<(Option<i64>, i64)> {
    #[derive(serde::Deserialize)]
    struct Head {
        period: Start,
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
    struct Start {
        start_ms: Option<i64>,
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
    let head: Head = serde_json::from_reader(std::io::BufReader::with_capacity(1 << 16, f))
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
    Ok((head.period.start_ms, earliest.unwrap_or(i64::MAX)))
}

/// Summaries read and combined: the combination, its parts (sorted by file) and the log
/// files each host's sources name.
pub struct Combined {
    /// The combination.
    pub summary: Summary,
    /// The parts.
    pub from: Vec<MergedFrom>,
    /// Per host, its log files by file id.
    pub files: FilesByHost,
}

/// Reads and combines `paths`, one at a time in the order the combination needs (a first
/// pass reads each file's period and host times).
pub fn combine_files(paths: &[PathBuf]) -> anyhow::Result<Combined> {
    let mut ordered = paths
        .iter()
        .map(|p| Ok((order_of(p)?, p)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    ordered.sort();
    let mut combiner = Combiner::default();
    let mut from = Vec::with_capacity(paths.len());
    let mut files = FilesByHost::new();
    let mut twice = std::collections::BTreeSet::new();
    for (_, path) in ordered {
        let (summary, f, named) = read_summary_files(path)?;
        for (host, list) in named {
            match files.entry(host) {
                std::collections::btree_map::Entry::Occupied(e) => {
                    twice.insert(e.key().clone());
                }
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(list);
                }
            }
        }
        combiner.add(Part {
            name: f.file.clone(),
            summary,
        })?;
        from.push(f);
    }
    from.sort();
    files.retain(|h, _| !twice.contains(h));
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
    files_by_host: &'a FilesByHost,
    tool: Tool,
}

/// Writes the merged summary.json (with a trailing newline) to `w`.
pub fn write_merged(c: &Combined, w: &mut dyn Write) -> anyhow::Result<()> {
    let doc = MergedJson {
        summary: &c.summary,
        merged_from: &c.from,
        files_by_host: &c.files,
        tool: Tool::THIS,
    };
    crate::render::json::write_pretty(&doc, w)
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
