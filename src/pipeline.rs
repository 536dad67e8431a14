//! The stages run in order for the commands: inputs -> events -> facts -> summary. Every
//! command that summarises (`summary`, `findings`, `report`, `compare` from logs) reads
//! through here, so they agree on names, silence threshold and host labels; and
//! `findings`/`report` read their previous period (`--baseline`) here.

use crate::aggregate::raw::Streamed;
use crate::aggregate::{Aggregator, Summary};
use crate::classify::NameResolver;
use crate::findings::Baseline;
use crate::input::{self, CitedLine, InputFile, InputSet};
use crate::integrity;
use crate::limits::{LINE_BYTES, RAW_LINES_BYTES, RAW_LINE_BYTES};
use crate::model::{FileId, Source};
use crate::parse::reader::Progress;
use crate::parse::{read_events_parallel, Event, InputQuality, ReadOptions};
use crate::period::Period;
use crate::site::SiteConfig;
use anyhow::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod ranges;

/// How to build a summary.
pub struct SummaryOptions {
    /// Names for numeric ids (`--passwd`/`--group`).
    pub names: NameResolver,
    /// Silences longer than this are reported, in milliseconds.
    pub silence_ms: i64,
    /// Also compute the aureport-equivalent counts.
    pub aureport: bool,
    /// Rule keys and paths for the keyed kernel events ([`SiteConfig::watch_config`]).
    pub watch: crate::aggregate::WatchConfig,
}

/// The name resolver from `--passwd`/`--group` files.
pub fn names(passwd: Option<&Path>, group: Option<&Path>) -> anyhow::Result<NameResolver> {
    NameResolver::from_files(passwd, group).context("cannot read --passwd/--group")
}

/// The site configuration from `--config`, else the first found where administrators put
/// it (`crate::site::discover`), else the defaults; its `source` says which.
pub fn site(config: Option<&Path>) -> anyhow::Result<SiteConfig> {
    let env = crate::site::discover::ConfigEnv::from_process();
    Ok(crate::site::discover::discover(config, &env)?)
}

/// The exceptions register a run uses: `--exceptions FILE`, else the site configuration's
/// `exceptions` (already relative to its directory), read and validated against the rule ids.
pub fn exceptions(
    arg: Option<&Path>,
    site: &SiteConfig,
) -> anyhow::Result<Option<crate::site::exceptions::ExceptionsFile>> {
    let Some(path) = arg.or(site.exceptions.as_deref()) else {
        return Ok(None);
    };
    let known = |id: &str| crate::findings::rule(id).is_some();
    Ok(Some(crate::site::exceptions::ExceptionsFile::load(
        path, &known,
    )?))
}

/// Hours as milliseconds, saturating.
pub fn hours_ms(hours: u64) -> i64 {
    i64::try_from(hours.saturating_mul(3_600_000)).unwrap_or(i64::MAX)
}

/// Reads `inputs` (parsing on this thread, aggregating on another) into the summary of
/// `period`, with the input quality.
pub fn summarize(
    inputs: &InputSet,
    read: &ReadOptions,
    period: Period,
    opts: SummaryOptions,
    progress: Progress<'_>,
) -> anyhow::Result<(Summary, InputQuality)> {
    let (mut summaries, quality) = summarize_many(inputs, read, vec![period], opts, progress)?;
    let summary = summaries.pop().expect("one summary per period");
    Ok((summary, quality))
}

/// Reads `inputs` once into one summary per period (in the order given), with the input
/// quality. Every event goes to every period's aggregator, which classifies it only when
/// its period contains it and otherwise counts it in `outside_period`; so periods may
/// overlap or come in any order, and each summary equals what [`summarize`] over that
/// period alone gives (`tests/compare.rs` checks this). The input quality covers every
/// line, whichever period its event fell in.
pub fn summarize_many(
    inputs: &InputSet,
    read: &ReadOptions,
    periods: Vec<Period>,
    opts: SummaryOptions,
    progress: Progress<'_>,
) -> anyhow::Result<(Vec<Summary>, InputQuality)> {
    let labels = inputs.group_labels();
    let make = |period| {
        Aggregator::with_silence_threshold(period, opts.names.clone(), opts.silence_ms)
            .with_group_labels(labels.clone())
            .with_aureport(opts.aureport)
            .with_watch_config(opts.watch.clone())
    };
    // Large uncompressed inputs on every core, when that gives the same summaries.
    if let Some(done) = ranges::summarize_ranges(inputs, read, &periods, make, &mut *progress)? {
        return Ok(done);
    }
    let mut aggs: Vec<Aggregator> = periods.into_iter().map(make).collect();
    let consumer = |ev: &Event| {
        for agg in aggs.iter_mut() {
            agg.add_event(ev);
        }
    };
    let (quality, _) = read_events_parallel(inputs, read, consumer, progress)?;
    Ok((
        aggs.into_iter().map(Aggregator::into_summary).collect(),
        quality,
    ))
}

/// Fails early, before a long read, when `--baseline PATH` has no summary to read.
pub fn check_baseline(path: &Path) -> anyhow::Result<()> {
    let file = crate::compare::load::summary_path(path);
    if path == Path::new("auto") && !path.exists() {
        // `report` resolves `auto` before this (it knows --out); other commands do not.
        anyhow::bail!(
            "--baseline auto: only `report` finds the previous package (beside its --out); \
             give this command the package directory"
        );
    }
    if !file.is_file() {
        anyhow::bail!(
            "--baseline {}: no {} (give the previous period's report package directory or \
             its summary.json)",
            path.display(),
            file.display()
        );
    }
    Ok(())
}

/// This run's input files as the F-AUD-11 check sees them: hashes (when the read kept
/// evidence) and record times from the input quality.
pub fn current_files(quality: &InputQuality) -> Vec<integrity::CurrentFile> {
    quality
        .files
        .iter()
        .map(|f| integrity::CurrentFile {
            path: f.path.clone(),
            compressed: f.compressed,
            sha256: f.sha256.clone(),
            bytes: f.raw_bytes,
            decompressed_sha256: f.decompressed_sha256.clone(),
            decompressed_bytes: f.compressed.then_some(f.bytes),
            first_ms: f.first,
            last_ms: f.last,
        })
        .collect()
}

/// Reads the lines the report cites back from their files, each kept up to `keep` bytes:
/// by seeking with the line index noted while parsing (`quality`'s files, in the order of
/// `files`), or (`.gz`) in one pass per file. Standard input and pipes cannot be read again,
/// and are marked so. A file that changed since it was read shows whatever is now at that
/// line: the manifest's hashes tell.
pub fn cited_lines(
    files: &[InputFile],
    quality: &InputQuality,
    wanted: &BTreeSet<Source>,
    keep: usize,
) -> BTreeMap<Source, CitedLine> {
    let mut out = BTreeMap::new();
    each_cited_line(files, quality, wanted, keep, &mut |s, line| {
        out.insert(s, line);
    });
    out
}

/// [`cited_lines`], handing each line to `sink` in source order instead of keeping them
/// (a summary cites far more lines than a report shows).
pub fn each_cited_line(
    files: &[InputFile],
    quality: &InputQuality,
    wanted: &BTreeSet<Source>,
    keep: usize,
    sink: &mut dyn FnMut(Source, CitedLine),
) {
    let mut by_file: BTreeMap<FileId, Vec<u64>> = BTreeMap::new();
    for s in wanted {
        by_file.entry(s.file).or_default().push(s.line);
    }
    for (file_id, lines) in by_file {
        let Some(file) = files.get(file_id.0 as usize) else {
            continue;
        };
        let source = |line| Source {
            file: file_id,
            line,
        };
        if input::is_stream(&file.path) {
            let what = if file.path.as_os_str() == "-" {
                CitedLine::StandardInput
            } else {
                CitedLine::Stream
            };
            for &line in &lines {
                sink(source(line), what.clone());
            }
            continue;
        }
        let index = quality
            .files
            .get(file_id.0 as usize)
            .and_then(|s| s.line_index.as_ref());
        // Lines are found in ascending order; those the file no longer has are handed
        // over in order too, as soon as a later one is found.
        let mut next = 0usize;
        let read = input::read_lines_at(file, index, &lines, LINE_BYTES, &mut |line, bytes| {
            while next < lines.len() && lines[next] < line {
                sink(source(lines[next]), CitedLine::Gone);
                next += 1;
            }
            if lines.get(next) == Some(&line) {
                sink(source(line), CitedLine::found(bytes, keep));
                next += 1;
            }
        });
        let missing = if read.is_ok() {
            CitedLine::Gone
        } else {
            CitedLine::Unreadable
        };
        for &line in &lines[next..] {
            sink(source(line), missing.clone());
        }
    }
}

/// Raw lines handed over as they are read back ([`with_raw_lines`]).
pub type RawStream =
    Streamed<std::iter::Flatten<std::sync::mpsc::IntoIter<Vec<(Source, CitedLine)>>>>;

/// Lines read back ahead of the writer, at most.
const RAW_AHEAD: usize = 1024;

/// Lines handed over at once: one hand-over a line would wake the other thread for each.
const RAW_BATCH: usize = 128;

/// Calls `write` with the raw lines of every source `summary` cites (see
/// [`crate::aggregate::raw`]): what `summary --format json` and a report's summary.json
/// carry, so that a report from summaries shows them. They are read back from `files` on a
/// thread of their own while `write` writes them (a few lines ahead, in batches), never all
/// held.
pub fn with_raw_lines<R>(
    files: &[InputFile],
    quality: &InputQuality,
    summary: &Summary,
    write: impl FnOnce(&RawStream) -> R,
) -> R {
    let wanted = summary.cited_sources();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(RAW_AHEAD / RAW_BATCH);
        scope.spawn(move || {
            let mut open = true;
            let mut batch = Vec::with_capacity(RAW_BATCH);
            each_cited_line(files, quality, &wanted, RAW_LINE_BYTES, &mut |s, line| {
                // A writer that stopped (it failed) wants no more.
                if open {
                    batch.push((s, line));
                    if batch.len() == RAW_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(RAW_BATCH));
                        open = tx.send(full).is_ok();
                    }
                }
            });
            if open && !batch.is_empty() {
                let _ = tx.send(batch);
            }
        });
        let raw = Streamed::new(rx.into_iter().flatten(), RAW_LINES_BYTES);
        write(&raw)
    })
}

/// The previous period for `--baseline PATH`: a report package directory, or a
/// `summary.json` (with the `manifest.json` beside it, if there is one). Its denial
/// signatures are read from the summary; the manifest's inputs are checked against
/// `current`, this run's inputs (F-AUD-11, see [`integrity`]).
pub fn baseline(
    path: Option<&Path>,
    current: &[integrity::CurrentFile],
) -> anyhow::Result<Option<Baseline>> {
    let Some(path) = path else {
        return Ok(None);
    };
    let context = || format!("--baseline {}", path.display());
    let summary = crate::compare::load::read(path).with_context(context)?;
    let file = crate::compare::load::summary_path(path);
    let manifest = file
        .parent()
        .map(|d| d.join("manifest.json"))
        .filter(|m| m.is_file() && (path.is_dir() || file.ends_with("summary.json")));
    let integrity = match manifest {
        Some(m) => {
            let manifest = integrity::read_manifest(&m).with_context(context)?;
            Some(integrity::check(&manifest, current)?)
        }
        None => None,
    };
    Ok(Some(Baseline {
        path: path.display().to_string(),
        label: summary.period.label,
        signatures: summary.mac.signatures,
        signatures_cut: summary.signatures_cut,
        integrity,
    }))
}
