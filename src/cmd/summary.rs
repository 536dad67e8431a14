//! `auditrail summary`: per-category counts and lists over a reporting period.
//!
//! Text output is [`crate::render::text::summary`]. JSON output is the mergeable [`Summary`]
//! with the raw line of every source it cites (`raw_lines`, read back from the logs as it
//! is written: `pipeline::with_raw_lines`) plus the input quality (whose `files` list
//! maps the `file` ids of every list item to paths).

use crate::aggregate::Summary;
use crate::cli::{SummaryArgs, SummaryFormat};
use crate::cmd::empty;
use crate::input::InputFile;
use crate::parse::InputQuality;
use crate::period::Period;
use crate::pipeline;
use crate::render::text;
use crate::site::ConfigSource;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

/// Reads the input and builds the summary of `period`.
pub fn summarize(
    args: &SummaryArgs,
    period: Period,
) -> anyhow::Result<(Summary, InputQuality, Vec<InputFile>, ConfigSource)> {
    let inputs = args.input.collect()?;
    let site = pipeline::site(args.site.config.as_deref())?;
    let opts = pipeline::SummaryOptions {
        names: args.names.resolver()?,
        silence_ms: pipeline::hours_ms(args.silence_hours.unwrap_or(site.thresholds.silent_hours)),
        aureport: args.aureport,
        watch: site
            .watch_config()
            .with_declared(crate::rules_text::read_args(&args.site.rules)?),
    };
    let mut read = args.input.read_options();
    // summary.json's raw lines are read back by the line index.
    read.line_index = matches!(args.format, SummaryFormat::Json);
    let mut bar = crate::cmd::progress::Reading::start("reading", &inputs, args.progress.quiet);
    let read = pipeline::summarize(&inputs, &read, period, opts, &mut |n| bar.update(n));
    bar.finish();
    let (summary, quality) = read?;
    Ok((summary, quality, inputs.files, site.source))
}

#[derive(Serialize)]
struct SummaryJson<'a, S: Serialize> {
    #[serde(flatten)]
    summary: S,
    input: &'a InputQuality,
    tool: Tool,
}

/// The program that wrote a summary.json (`summary`, `merge`).
#[derive(Serialize)]
pub(super) struct Tool {
    name: &'static str,
    version: &'static str,
}

impl Tool {
    /// This program.
    pub(super) const THIS: Tool = Tool {
        name: env!("CARGO_PKG_NAME"),
        version: env!("CARGO_PKG_VERSION"),
    };
}

/// The JSON document `summary --format json` prints, with a trailing newline.
pub fn summary_json(summary: &Summary, quality: &InputQuality) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_summary_json(summary, quality, &mut out)?;
    Ok(out)
}

/// Writes [`summary_json`] to `w`, streamed (a month of a busy fleet is tens of MB).
pub fn write_summary_json(
    summary: &Summary,
    quality: &InputQuality,
    w: &mut dyn Write,
) -> anyhow::Result<()> {
    let doc = SummaryJson {
        summary,
        input: quality,
        tool: Tool::THIS,
    };
    crate::render::json::write_summary(&doc, w)
}

/// Writes the summary of the logs `files` to `w` as [`write_summary_json`] does, with the
/// raw line of every source it cites read back from `files` as it is written.
pub fn write_summary_json_of_logs(
    summary: &Summary,
    quality: &InputQuality,
    files: &[InputFile],
    w: &mut dyn Write,
) -> anyhow::Result<()> {
    pipeline::with_raw_lines(files, quality, summary, |raw| {
        let doc = SummaryJson {
            summary: crate::aggregate::WithRawLines { summary, raw },
            input: quality,
            tool: Tool::THIS,
        };
        crate::render::json::write_summary(&doc, w)
    })
}

/// Runs `summary`.
pub fn run(args: &SummaryArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let period = args.period.resolve(|tz, _| Period::unbounded(tz))?;
    let described = text::summary::describe(&period);
    let (summary, quality, files, config) = summarize(args, period.clone())?;
    match args.format {
        SummaryFormat::Json => {
            // With the lines behind every source it cites, for a report from summaries.
            let mut w = std::io::BufWriter::new(&mut *out);
            write_summary_json_of_logs(&summary, &quality, &files, &mut w)?;
            w.flush()?;
        }
        SummaryFormat::Text => {
            let nothing_found =
                (summary.events() == 0).then(|| empty::what_was_found(&quality, Some(&summary)));
            let sections = crate::report::brief::sections(&summary, &quality, &period, args.rows);
            let view = text::summary::Text {
                summary: &summary,
                quality: &quality,
                sections: &sections,
                nothing_found: nothing_found.as_deref(),
                config: &config,
            };
            let text = view.render(&described, args.by_host);
            out.write_all(args.colour.palette().paint(&text).as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
