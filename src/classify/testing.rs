//! Test helpers: a `&str` log -> events -> facts.

use super::{classify, Fact, NameResolver};
use crate::model::{FileId, Source};
use crate::parse::{each_event_of_lines, AssembleOptions, Event};

/// Feeds every event of `log` (one record per line; blank lines skipped; line numbers are
/// 1-based positions in `log`) to `sink`.
pub(crate) fn each_event(log: &str, file: u32, sink: impl FnMut(&Event)) {
    let lines: Vec<(u64, &str)> = log
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l))
        .collect();
    each_event_of(&lines, file, sink);
}

/// Like [`each_event`] for numbered lines (a part of a larger log keeps its line numbers).
/// Lines that are not records are skipped.
pub(crate) fn each_event_of(lines: &[(u64, &str)], file: u32, mut sink: impl FnMut(&Event)) {
    let lines = lines.iter().map(|&(number, line)| {
        let at = Source {
            file: FileId(file),
            line: number,
        };
        (at, line.trim_start().as_bytes())
    });
    each_event_of_lines(lines, AssembleOptions::default(), &mut sink);
}

/// All facts of `log`, classified with `names`.
pub(crate) fn facts_with(log: &str, names: &NameResolver) -> Vec<Fact> {
    let mut out = Vec::new();
    each_event(log, 0, |ev| classify(ev, names, &mut out));
    out
}

/// All facts of `log`, with no name files.
pub(crate) fn facts(log: &str) -> Vec<Fact> {
    facts_with(log, &NameResolver::empty())
}
