//! `auditrail export`: records, events or facts as JSON Lines ([`crate::render::jsonl`]) or
//! Parquet ([`crate::render::parquet`]), streamed through the reading pipeline one event at a
//! time into a temporary sibling of `--out`, renamed into place only when complete.

use crate::classify::{Detail, Fact, NameResolver, Principal};
use crate::cli::{ExportArgs, ExportFormat, ExportWhat};
use crate::input::InputFile;
use crate::model::Source;
use crate::parse::decode::{decoded, to_text, was_encoded};
use crate::parse::{Event, Fields};
use crate::render::jsonl::{EventRow, FactRow, JsonlWriter, Map, RecordRow, Rows};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

/// One row writer of either format.
enum Sink<W: Write + Send> {
    Jsonl(JsonlWriter<W>),
    #[cfg(feature = "parquet")]
    Parquet(Box<crate::render::parquet::ParquetWriter<W>>),
}

impl<W: Write + Send> Sink<W> {
    fn records(&mut self, rows: &[RecordRow<'_>]) -> anyhow::Result<()> {
        match self {
            Sink::Jsonl(w) => rows.iter().try_for_each(|r| w.row(r))?,
            #[cfg(feature = "parquet")]
            Sink::Parquet(w) => rows.iter().try_for_each(|r| w.record(r))?,
        }
        Ok(())
    }

    fn event(&mut self, row: &EventRow<'_>) -> anyhow::Result<()> {
        match self {
            Sink::Jsonl(w) => w.row(row)?,
            #[cfg(feature = "parquet")]
            Sink::Parquet(w) => w.event(row)?,
        }
        Ok(())
    }

    fn fact(&mut self, row: &FactRow<'_>) -> anyhow::Result<()> {
        match self {
            Sink::Jsonl(w) => w.row(row)?,
            #[cfg(feature = "parquet")]
            Sink::Parquet(w) => w.fact(row)?,
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<u64> {
        Ok(match self {
            Sink::Jsonl(w) => w.finish()?.1,
            #[cfg(feature = "parquet")]
            Sink::Parquet(w) => w.finish()?.1,
        })
    }
}

/// Runs `export`.
pub fn run(args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let inputs = args.input.collect()?;
    let names = args.names.resolver()?;
    let target =
        crate::cmd::stamp::OutFile::check(&args.out, args.force, true, &args.input.paths())?;
    let mut rows = 0u64;
    target.write_with(|file| {
        let buf = BufWriter::new(file);
        let what = match args.what {
            ExportWhat::Records => Rows::Records,
            ExportWhat::Events => Rows::Events,
            ExportWhat::Facts => Rows::Facts,
        };
        let sink = match args.format {
            ExportFormat::Jsonl => Sink::Jsonl(JsonlWriter::new(buf, what)?),
            #[cfg(feature = "parquet")]
            ExportFormat::Parquet => Sink::Parquet(Box::new(
                crate::render::parquet::ParquetWriter::new(buf, what)?,
            )),
        };
        rows = write_rows(args, &inputs, &names, sink)?;
        Ok(())
    })?;
    writeln!(
        out,
        "{} {} row(s) written to {}",
        rows,
        args.what.name(),
        args.out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn write_rows<W: Write + Send>(
    args: &ExportArgs,
    inputs: &crate::input::InputSet,
    names: &NameResolver,
    mut sink: Sink<W>,
) -> anyhow::Result<u64> {
    let files = &inputs.files;
    let mut err: Option<anyhow::Error> = None;
    let mut facts = Vec::new();
    let mut sink_event = |ev: &Event| {
        if err.is_some() {
            return;
        }
        let res = match args.what {
            ExportWhat::Records => sink.records(&record_rows(ev, files)),
            ExportWhat::Events => sink.event(&event_row(ev, files)),
            ExportWhat::Facts => {
                facts.clear();
                crate::classify::classify(ev, names, &mut facts);
                facts
                    .iter()
                    .try_for_each(|f| sink.fact(&fact_row(f, files)))
            }
        };
        if let Err(e) = res {
            err = Some(e);
        }
    };
    let mut bar = crate::cmd::progress::Reading::start("reading", inputs, args.progress.quiet);
    let quality = crate::parse::reader::read_events_with_progress(
        inputs,
        &args.input.read_options(),
        &mut sink_event,
        &mut |n| bar.update(n),
    );
    bar.finish();
    let quality = quality?;
    if let Some(e) = err {
        return Err(e);
    }
    if quality.rejected.total > 0 {
        eprintln!(
            "auditrail: {} line(s) were not audit records; run `auditrail check` to see them",
            quality.rejected.total
        );
    }
    sink.finish()
}

fn file_name(files: &[InputFile], src: Source) -> Cow<'_, str> {
    files
        .get(src.file.0 as usize)
        .map_or(Cow::Borrowed("?"), |f| f.path.to_string_lossy())
}

/// Adds `(key, value)`, a repeated key getting `#2`, `#3`.
fn push<'a>(
    map: &mut Map<'a>,
    seen: &mut BTreeMap<String, u32>,
    key: Cow<'a, str>,
    value: Cow<'a, str>,
) {
    let n = seen.entry(key.to_string()).or_insert(0);
    *n = n.saturating_add(1);
    let key = if *n == 1 {
        key
    } else {
        Cow::Owned(format!("{key}#{n}"))
    };
    map.0.push((key, value));
}

/// One row per record of `ev`.
fn record_rows<'a>(ev: &'a Event, files: &'a [InputFile]) -> Vec<RecordRow<'a>> {
    let stamp = ev.stamp();
    let time = stamp.rfc3339();
    let node = ev.node().map(to_text);
    ev.records()
        .map(|(rec, src)| {
            let (mut fields, mut dec, mut enriched) =
                (Map::default(), Map::default(), Map::default());
            let (mut seen, mut seen_dec, mut seen_enr) = Default::default();
            for f in Fields::body(rec.body) {
                if f.key.is_empty() {
                    continue;
                }
                if was_encoded(&f, rec.rtype) {
                    let d = decoded(&f, rec.rtype);
                    push(
                        &mut dec,
                        &mut seen_dec,
                        to_text(f.key),
                        Cow::Owned(to_text(&d).into_owned()),
                    );
                }
                push(&mut fields, &mut seen, to_text(f.key), to_text(f.value));
            }
            for f in Fields::enriched(rec.enriched).filter(|f| !f.key.is_empty()) {
                push(
                    &mut enriched,
                    &mut seen_enr,
                    to_text(f.key),
                    to_text(f.value),
                );
            }
            RecordRow {
                node: node.clone(),
                time: time.clone(),
                time_ms: stamp.time_ms(),
                serial: stamp.serial,
                rtype: rec.rtype.to_string(),
                file: file_name(files, src),
                line: src.line,
                fields,
                decoded: dec,
                enriched,
            }
        })
        .collect()
}

fn event_row<'a>(ev: &'a Event, files: &'a [InputFile]) -> EventRow<'a> {
    let stamp = ev.stamp();
    let mut types = Vec::new();
    let mut first = None;
    for (rec, src) in ev.records() {
        types.push(rec.rtype.to_string());
        first.get_or_insert(src);
    }
    let (file, line) = first.map_or((Cow::Borrowed("?"), 0), |s| (file_name(files, s), s.line));
    EventRow {
        node: ev.node().map(to_text),
        time: stamp.rfc3339(),
        time_ms: stamp.time_ms(),
        serial: stamp.serial,
        records: u32::try_from(types.len()).unwrap_or(u32::MAX),
        types,
        file,
        line,
    }
}

/// The serde name of a unit variant (`logins`, `user-login`, `failure`).
fn name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn principal(p: Option<&Principal>) -> Option<String> {
    p.map(|p| p.name.to_string())
}

/// The rule key and the path or object a fact names, when it has them.
fn key_path(detail: &Detail) -> (Option<String>, Option<String>) {
    match detail {
        Detail::Rule { key, path, .. } => (
            key.as_deref().map(String::from),
            path.as_deref().map(String::from),
        ),
        Detail::Time { key, .. } => (key.as_deref().map(String::from), None),
        Detail::Module { key, name } => (
            key.as_deref().map(String::from),
            name.as_deref().map(String::from),
        ),
        Detail::Denial(d) => (None, d.name.as_deref().map(String::from)),
        Detail::Watch(w) => (
            (!w.keys.is_empty()).then(|| w.keys.join(",")),
            w.objects.first().map(|o| o.path.to_string()),
        ),
        _ => (None, None),
    }
}

fn fact_row<'a>(f: &Fact, files: &'a [InputFile]) -> FactRow<'a> {
    let (key, path) = key_path(&f.detail);
    FactRow {
        category: name(&f.category),
        kind: name(&f.kind),
        result: name(&f.result),
        rtype: f.rtype.to_string(),
        auid: principal(f.auid.as_ref()),
        uid: principal(f.uid.as_ref()),
        target: principal(f.target.as_ref()),
        key,
        path,
        host: f.node.as_deref().map(String::from),
        time: crate::model::format_ms(f.time_ms),
        time_ms: f.time_ms,
        serial: f.serial,
        file: file_name(files, f.source),
        line: f.source.line,
    }
}
