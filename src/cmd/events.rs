//! `auditrail events`: every assembled event, one per line (text: [`crate::render::text::events`]).
//!
//! JSON Lines shape (one object per event, keys in this order):
//! `{"node", "time", "serial", "completion", "split", "records": [{"type", "source": {"file",
//! "line"}, "fields", "msg"?, "words"?, "decoded"?, "enriched"?, "unterminated"?, "line"?}],
//! "argv"?}`.
//! - `fields`: the body's fields as written (quotes removed), in order;
//! - `msg`: the user-space payload `msg='...'` parsed into its own fields;
//! - `words`: bare words that are not `key=value` (legacy text such as `auditd start,`);
//! - `decoded`: only the fields whose value auditd hex-encoded, decoded; `proctitle` and a
//!   multi-key `key` are arrays;
//! - `enriched`: the ENRICHED section (`AUID`, `UID`, `SYSCALL`, ...);
//! - `argv`: EXECVE arguments reassembled across `aN[i]` chunks and records.
//!
//! Bytes that are not UTF-8 are written as `\xNN`; a repeated key gets a `#2` suffix.

use crate::cli::{EventsArgs, EventsFormat};
use crate::input::InputFile;
use crate::model::RecordType;
use crate::parse::decode::{decoded, is_execve_arg, split_list, to_text, was_encoded};
use crate::parse::{Event, Fields, Scope};
use crate::render::text;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

/// Runs `events`.
pub fn run(args: &EventsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let inputs = args.input.collect()?;
    let files = &inputs.files;
    let mut err: Option<std::io::Error> = None;
    let mut sink = |ev: &Event| {
        if err.is_some() {
            return;
        }
        let res = match args.format {
            EventsFormat::Jsonl => {
                serde_json::to_writer(&mut *out, &event_json(ev, files, args.raw))
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
            }
            EventsFormat::Text => writeln!(out, "{}", text::events::line(ev, files)),
        };
        if let Err(e) = res {
            err = Some(e);
        }
    };
    // Not over events printed to the same terminal.
    let quiet = args.progress.quiet || std::io::IsTerminal::is_terminal(&std::io::stdout());
    let mut bar = crate::cmd::progress::Reading::start("reading", &inputs, quiet);
    let quality = crate::parse::reader::read_events_with_progress(
        &inputs,
        &args.input.read_options(),
        &mut sink,
        &mut |n| bar.update(n),
    );
    bar.finish();
    let quality = quality?;
    if let Some(e) = err {
        return Err(e.into());
    }
    if quality.rejected.total > 0 {
        eprintln!(
            "auditrail: {} line(s) were not audit records; run `auditrail check` to see them",
            quality.rejected.total
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Ordered key/value pairs serialised as a JSON object; repeated keys get `#2`, `#3`.
#[derive(Debug, Default)]
pub struct Pairs<'a>(pub Vec<(Cow<'a, str>, Value<'a>)>);

/// A field value: text, or a list for split values.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Value<'a> {
    /// One string.
    Text(Cow<'a, str>),
    /// Several strings (proctitle arguments, multiple rule keys).
    List(Vec<Cow<'a, str>>),
}

impl Serialize for Pairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (k, v) in &self.0 {
            let n = seen.entry(k.as_ref()).or_insert(0);
            *n += 1;
            if *n == 1 {
                map.serialize_entry(k, v)?;
            } else {
                map.serialize_entry(&format!("{k}#{n}"), v)?;
            }
        }
        map.end()
    }
}

impl Pairs<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Serialize)]
struct SourceJson<'a> {
    file: Cow<'a, str>,
    line: u64,
}

#[derive(Serialize)]
struct RecordJson<'a> {
    #[serde(rename = "type")]
    rtype: String,
    source: SourceJson<'a>,
    fields: Pairs<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    msg: Option<Pairs<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    words: Vec<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Pairs::is_empty")]
    decoded: Pairs<'a>,
    #[serde(skip_serializing_if = "Pairs::is_empty")]
    enriched: Pairs<'a>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unterminated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<Cow<'a, str>>,
}

/// One event as JSON.
#[derive(Serialize)]
pub struct EventJson<'a> {
    node: Option<Cow<'a, str>>,
    time: String,
    serial: u32,
    completion: crate::parse::assemble::Completion,
    split: bool,
    records: Vec<RecordJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    argv: Option<Vec<String>>,
}

fn text(b: &[u8]) -> Cow<'_, str> {
    to_text(b)
}

fn owned_text(b: &[u8]) -> Cow<'static, str> {
    Cow::Owned(to_text(b).into_owned())
}

/// Builds the JSON view of an event.
pub fn event_json<'a>(ev: &'a Event, files: &'a [InputFile], raw: bool) -> EventJson<'a> {
    let records = ev
        .records()
        .map(|(rec, src)| {
            let mut fields = Pairs::default();
            let mut msg: Option<Pairs> = None;
            let mut words = Vec::new();
            let mut dec = Pairs::default();
            let mut unterminated = false;
            for f in Fields::body(rec.body) {
                unterminated |= f.unterminated;
                if f.key.is_empty() {
                    words.push(text(f.value));
                    continue;
                }
                if was_encoded(&f, rec.rtype) {
                    let d = decoded(&f, rec.rtype);
                    let v = match f.key {
                        b"proctitle" => {
                            Value::List(split_list(&d, 0).into_iter().map(owned_text).collect())
                        }
                        b"key" if d.contains(&1) => {
                            Value::List(split_list(&d, 1).into_iter().map(owned_text).collect())
                        }
                        _ => Value::Text(owned_text(&d)),
                    };
                    dec.0.push((text(f.key), v));
                }
                let pair = (text(f.key), Value::Text(text(f.value)));
                if f.scope == Scope::Msg {
                    msg.get_or_insert_with(Pairs::default).0.push(pair);
                } else {
                    fields.0.push(pair);
                }
            }
            let enriched = Pairs(
                Fields::enriched(rec.enriched)
                    .filter(|f| !f.key.is_empty())
                    .map(|f| (text(f.key), Value::Text(text(f.value))))
                    .collect(),
            );
            let file = files
                .get(src.file.0 as usize)
                .map(|f| f.path.to_string_lossy())
                .unwrap_or(Cow::Borrowed("?"));
            RecordJson {
                rtype: rec.rtype.to_string(),
                source: SourceJson {
                    file,
                    line: src.line,
                },
                fields,
                msg,
                words,
                decoded: dec,
                enriched,
                unterminated,
                line: None,
            }
        })
        .collect::<Vec<_>>();
    let mut records = records;
    if raw {
        for (i, r) in records.iter_mut().enumerate() {
            r.line = Some(text(ev.line(i)));
        }
    }
    let stamp = ev.stamp();
    EventJson {
        node: ev.node().map(text),
        time: stamp.rfc3339(),
        serial: stamp.serial,
        completion: ev.completion(),
        split: ev.is_split(),
        records,
        argv: execve_argv(ev),
    }
}

/// EXECVE arguments of an event, reassembled from `aN` and `aN[i]` chunks across records.
pub fn execve_argv(ev: &Event) -> Option<Vec<String>> {
    let mut args: BTreeMap<u32, BTreeMap<u32, Vec<u8>>> = BTreeMap::new();
    let mut any = false;
    for (rec, _) in ev.records().filter(|(r, _)| r.rtype == RecordType::EXECVE) {
        any = true;
        for f in Fields::body(rec.body) {
            if let Some((n, chunk)) = is_execve_arg(f.key) {
                let d = decoded(&f, RecordType::EXECVE);
                args.entry(n)
                    .or_default()
                    .insert(chunk.unwrap_or(0), d.into_owned());
            }
        }
    }
    any.then(|| {
        args.into_values()
            .map(|chunks| {
                to_text(&chunks.into_values().flatten().collect::<Vec<u8>>()).into_owned()
            })
            .collect()
    })
}
