//! `events --format text`: one line per event, sanitized.

use crate::input::InputFile;
use crate::parse::decode::to_text;
use crate::parse::Event;
use crate::render::terminal::sanitize;
use std::borrow::Cow;

/// One line of text for an event: time, node, serial, record types, first source.
pub fn line(ev: &Event, files: &[InputFile]) -> String {
    let stamp = ev.stamp();
    let types: Vec<String> = ev
        .record_meta()
        .iter()
        .map(|r| r.rtype.to_string())
        .collect();
    let src = ev
        .record_meta()
        .first()
        .map(|r| {
            let file = files
                .get(r.source.file.0 as usize)
                .map(|f| f.path.display().to_string())
                .unwrap_or_default();
            format!("{file}:{}", r.source.line)
        })
        .unwrap_or_default();
    let node = ev.node().map(to_text).unwrap_or(Cow::Borrowed("-"));
    let line = format!(
        "{} {} serial={} {} {}",
        stamp.rfc3339(),
        node,
        stamp.serial,
        types.join(","),
        src
    );
    sanitize(&line).into_owned()
}
