//! `report --summaries`: the evidence package from summary.json files instead of logs.
//!
//! The summaries are combined as `merge` combines them ([`crate::cmd::merge::combine_files`]);
//! the period is theirs. No log is read: the manifest's inputs are the summaries (path,
//! size, SHA-256) and so is the report's integrity table (with the lines, records and
//! rejected lines of the logs each one states); the input figures are the log files' as
//! the summaries state them; evidence is cited `host:file:line` (the hosts' logs may share a
//! path) and shows the raw line the summaries carry ([`crate::aggregate::raw`]), or says
//! that it is not in them. The package's summary.json is the combination as `merge` writes
//! it, so it can be merged again.

use super::{assess, Evidence, Setup};
use crate::aggregate::Summary;
use crate::cli::ReportArgs;
use crate::cmd::merge::{Combined, LogFile, LogTotals, MergedFrom};
use crate::model::Source;
use crate::package::ManifestInput;
use crate::parse::quality::FileStats;
use crate::parse::InputQuality;
use crate::period::Period;
use crate::report::InputFileRow;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// What a cited line shows when the summaries do not carry it.
pub const NOT_CARRIED: &str =
    "(not in the summaries: summary.json files written before raw lines were, or past their \
     limit; read it on the host)";

/// The summaries read: their files and the log files their sources name.
pub struct Read {
    from: Vec<MergedFrom>,
    files: Vec<LogFile>,
}

impl Read {
    /// The log files' paths by file id.
    pub fn paths(&self) -> Vec<String> {
        self.files.iter().map(|f| f.path.clone()).collect()
    }

    /// The report's integrity table: each summary with its hash and the figures of the
    /// logs it states.
    pub fn integrity(&self) -> Vec<InputFileRow> {
        self.from
            .iter()
            .map(|f| InputFileRow {
                path: f.file.clone(),
                bytes: f.bytes,
                sha256: f.sha256.clone(),
                lines: f.logs.lines,
                records: f.logs.records,
                rejected: f.logs.rejected,
                first: "-".to_string(),
                last: "-".to_string(),
            })
            .collect()
    }

    /// Writes the combination as `merge` writes it.
    pub fn write(&self, summary: &Summary, w: &mut dyn Write) -> anyhow::Result<()> {
        crate::cmd::merge::write_merged_parts(summary, &self.from, &self.files, w)
    }
}

/// The summaries' (combined) period as a [`Period`].
pub fn period(s: &Summary) -> anyhow::Result<Period> {
    let p = s.period();
    Ok(Period {
        start_ms: p.start_ms.unwrap_or(i64::MIN),
        end_ms: p.end_ms.unwrap_or(i64::MAX),
        tz: crate::period::parse_tz(&p.tz)?,
        label: p.label.clone(),
    })
}

/// The raw line of each of `wanted` as the summaries carry it.
pub fn raw_texts(s: &Summary, wanted: &BTreeSet<Source>) -> BTreeMap<Source, String> {
    wanted
        .iter()
        .map(|&w| {
            let line = s.raw_lines().get(w).unwrap_or(NOT_CARRIED);
            (w, line.to_string())
        })
        .collect()
}

/// The input quality a report from summaries states: the log files they name, with the
/// figures they state, and no rejection samples (which summaries do not carry).
fn quality(c: &Combined) -> InputQuality {
    let totals = LogTotals::of(&c.files);
    let s = &c.summary;
    InputQuality {
        files: c
            .files
            .iter()
            .map(|f| FileStats {
                path: f.path.clone().into(),
                bytes: f.bytes,
                lines: f.lines,
                records: f.records,
                rejected: f.rejected,
                ..FileStats::default()
            })
            .collect(),
        bytes: totals.bytes,
        lines: totals.lines,
        records: totals.records,
        events: s.events().saturating_add(s.outside_period()),
        rejected: crate::parse::quality::RejectedLines {
            total: totals.rejected,
            reasons: Vec::new(),
        },
        ..InputQuality::default()
    }
}

/// Assesses the combined summaries and states what the report is built from.
pub(super) fn evidence(args: &ReportArgs, period: Period, c: Combined) -> anyhow::Result<Evidence> {
    let setup = Setup::read(args)?;
    let quality = quality(&c);
    let s = &c.summary;
    let raw = s.raw_lines();
    let options = vec![
        (
            "Silence threshold".to_string(),
            format!(
                "{} h (the summaries')",
                s.silence_threshold_ms() as f64 / 3_600_000.0
            ),
        ),
        (
            "Summaries".to_string(),
            format!(
                "{} summary file(s) combined, no log read; evidence cited host:file:line with \
                 the raw lines they carry ({} carried, {} cited lines not carried)",
                c.from.len(),
                raw.len(),
                raw.not_kept()
            ),
        ),
    ];
    let chosen = crate::cmd::scheduled::Chosen {
        path: None,
        note: None,
    };
    let a = assess(args, setup, s, None, &chosen, options)?;
    let inputs = c
        .from
        .iter()
        .map(|f| ManifestInput {
            path: f.file.clone(),
            bytes: f.bytes,
            sha256: f.sha256.clone(),
            decompressed_bytes: None,
            decompressed_sha256: None,
            first_ms: None,
            last_ms: None,
            summary: true,
        })
        .collect();
    Ok(Evidence {
        meta: a.meta,
        period,
        hashes: Vec::new(),
        summary: c.summary,
        quality,
        inputs,
        config: a.config,
        exceptions: a.exceptions,
        assessment: a.assessment,
        files: Vec::new(),
        summaries: Some(Read {
            from: c.from,
            files: c.files,
        }),
    })
}
