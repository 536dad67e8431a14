//! The raw lines a summary.json carries: for every source the summary cites (its listed
//! facts, coverage entries, outside ranges, rule loads: [`super::walk::sources`]), the log
//! line at that file:line, as a report shows it ([`text`]: cut at
//! [`crate::limits::RAW_LINE_BYTES`] with a `[... N more bytes]` mark). So a report built
//! from summaries (`report --summaries`) shows the lines behind its evidence without the
//! hosts' logs.
//!
//! The lines are read back from the logs once the summary is built and written as they are
//! read ([`Streamed`], fed by `pipeline::with_raw_lines`): the lowest file:line first, up to
//! [`crate::limits::RAW_LINES_BYTES`] in all; the cited lines not carried are counted
//! (`not_kept`). A file read from standard input or a pipe cannot be read again: it carries
//! the note the report shows instead of its lines. A summary read from a summary.json holds
//! its lines ([`RawLines`]).
//! A merge ([`super::combine`]) keeps the lines of the sources the combination still cites
//! (its lists are cut at their limits again), under the same byte limit.

use crate::input::CitedLine;
use crate::limits::RAW_LINE_BYTES;
use crate::model::{FileId, Source};
use crate::parse::decode::to_text;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::iter::Peekable;

/// A cited line as reports show it: the line as text, cut at
/// [`RAW_LINE_BYTES`] with a marker, or why it is not there.
pub fn text(line: &CitedLine) -> String {
    match line {
        CitedLine::Found { head, len } => {
            let mut text = to_text(&head[..head.len().min(RAW_LINE_BYTES)]).into_owned();
            if *len > RAW_LINE_BYTES {
                text.push_str(&format!(" [... {} more bytes]", len - RAW_LINE_BYTES));
            }
            text
        }
        CitedLine::StandardInput => "(standard input: not kept)".to_string(),
        CitedLine::Stream => "(read once from a pipe or device: not kept)".to_string(),
        CitedLine::Gone => "(line no longer in the file)".to_string(),
        CitedLine::Unreadable => "(file could not be read again)".to_string(),
    }
}

/// The cited lines of one file: by line number, or the note that stands for all of them
/// (standard input, a pipe).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileLines {
    /// Line number -> the line as [`text`] gives it.
    Lines(BTreeMap<u64, String>),
    /// Why the file's lines are not kept.
    Note(String),
}

/// The raw lines of a summary (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RawLines {
    /// Per file id.
    files: BTreeMap<FileId, FileLines>,
    /// Sources the summary cites whose line is not carried: past the byte limit, or from a
    /// part that carried none (a summary.json written before raw lines were).
    not_kept: u64,
    /// Bytes of text held.
    #[serde(skip)]
    bytes: usize,
}

impl RawLines {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.not_kept == 0
    }

    /// The line at `s` (or the note standing for its file), when carried.
    pub fn get(&self, s: Source) -> Option<&str> {
        match self.files.get(&s.file)? {
            FileLines::Lines(lines) => lines.get(&s.line).map(String::as_str),
            FileLines::Note(note) => Some(note),
        }
    }

    /// Cited lines not carried.
    pub fn not_kept(&self) -> u64 {
        self.not_kept
    }

    /// Lines carried (a note counts once).
    pub fn len(&self) -> usize {
        self.files
            .values()
            .map(|f| match f {
                FileLines::Lines(l) => l.len(),
                FileLines::Note(_) => 1,
            })
            .sum()
    }

    /// Bytes of text held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Adds the line read back at `s`, when it fits in `budget` bytes in all (else counts
    /// it as not kept). Lines are added in source order, so the lowest are kept.
    pub fn add(&mut self, s: Source, line: &CitedLine, budget: usize) {
        if matches!(line, CitedLine::StandardInput | CitedLine::Stream) {
            if !self.files.contains_key(&s.file) {
                let note = text(line);
                self.bytes = self.bytes.saturating_add(note.len());
                self.files.insert(s.file, FileLines::Note(note));
            }
            return;
        }
        self.insert(s, text(line), budget);
    }

    fn insert(&mut self, s: Source, text: String, budget: usize) {
        let after = self.bytes.saturating_add(text.len());
        if after > budget {
            self.not_kept = self.not_kept.saturating_add(1);
            return;
        }
        let file = self
            .files
            .entry(s.file)
            .or_insert_with(|| FileLines::Lines(BTreeMap::new()));
        if let FileLines::Lines(lines) = file {
            if let std::collections::btree_map::Entry::Vacant(e) = lines.entry(s.line) {
                e.insert(text);
                self.bytes = after;
            }
        }
    }

    /// Adds the lines of another part (file ids of parts read by a merge do not collide;
    /// where they do, the lines already held stay).
    pub(super) fn absorb(&mut self, other: RawLines) {
        for (file, lines) in other.files {
            match (self.files.get_mut(&file), lines) {
                (None, lines) => {
                    self.bytes = self.bytes.saturating_add(size(&lines));
                    self.files.insert(file, lines);
                }
                (Some(FileLines::Lines(mine)), FileLines::Lines(theirs)) => {
                    for (n, t) in theirs {
                        if let std::collections::btree_map::Entry::Vacant(e) = mine.entry(n) {
                            self.bytes = self.bytes.saturating_add(t.len());
                            e.insert(t);
                        }
                    }
                }
                (Some(_), _) => {}
            }
        }
    }

    /// Keeps the lines of `cited`, the lowest first, up to `budget` bytes, and counts the
    /// cited sources without a line in `not_kept`.
    pub(super) fn retain(&mut self, cited: &BTreeSet<Source>, budget: usize) {
        let mut old = std::mem::take(&mut self.files);
        *self = RawLines::default();
        for &s in cited {
            match old.get_mut(&s.file) {
                Some(FileLines::Note(note)) => {
                    if !self.files.contains_key(&s.file) {
                        let note = std::mem::take(note);
                        self.bytes = self.bytes.saturating_add(note.len());
                        self.files.insert(s.file, FileLines::Note(note));
                    }
                }
                Some(FileLines::Lines(lines)) => match lines.remove(&s.line) {
                    Some(t) => self.insert(s, t, budget),
                    None => self.not_kept = self.not_kept.saturating_add(1),
                },
                None => self.not_kept = self.not_kept.saturating_add(1),
            }
        }
    }
}

/// The `raw_lines` a summary.json states: held ([`RawLines`]) or read as written
/// ([`Streamed`]).
pub trait Written: Serialize {
    /// True when there is nothing to write (the field is then left out).
    fn is_empty(&self) -> bool;
}

impl Written for RawLines {
    fn is_empty(&self) -> bool {
        RawLines::is_empty(self)
    }
}

/// The raw lines of a summary written as they are read back, without holding them: the
/// cited lines in source order (each file's lines ascending, the files by id), as
/// `pipeline::each_cited_line` hands them over. Written exactly as [`RawLines`] holding the
/// same lines ([`RawLines::add`] each, under `budget` bytes) is written. It is written once:
/// the lines are taken as they are written.
pub struct Streamed<I: Iterator<Item = (Source, CitedLine)>> {
    lines: RefCell<Peekable<I>>,
    budget: usize,
    bytes: Cell<usize>,
    not_kept: Cell<u64>,
}

impl<I: Iterator<Item = (Source, CitedLine)>> Streamed<I> {
    /// The lines of `lines`, kept up to `budget` bytes in all.
    pub fn new(lines: I, budget: usize) -> Self {
        Streamed {
            lines: RefCell::new(lines.peekable()),
            budget,
            bytes: Cell::new(0),
            not_kept: Cell::new(0),
        }
    }

    /// The next line, if it is of `file` (any file: `None`).
    fn next_of(&self, file: Option<FileId>) -> Option<(Source, CitedLine)> {
        self.lines
            .borrow_mut()
            .next_if(|(s, _)| file.is_none_or(|f| s.file == f))
    }

    /// `text`'s bytes added to those held, when within the budget; else it is counted as
    /// not kept.
    fn fits(&self, text: &str) -> bool {
        let after = self.bytes.get().saturating_add(text.len());
        if after > self.budget {
            self.not_kept.set(self.not_kept.get().saturating_add(1));
            return false;
        }
        self.bytes.set(after);
        true
    }
}

impl<I: Iterator<Item = (Source, CitedLine)>> Written for Streamed<I> {
    fn is_empty(&self) -> bool {
        // Every line handed over is either written, counted or stands for its file.
        self.lines.borrow_mut().peek().is_none()
    }
}

impl<I: Iterator<Item = (Source, CitedLine)>> Serialize for Streamed<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RawLines", 2)?;
        st.serialize_field("files", &StreamedFiles(self))?;
        st.serialize_field("not_kept", &self.not_kept.get())?;
        st.end()
    }
}

/// [`Streamed`]'s `files`: a file's entry is written from its first line kept.
struct StreamedFiles<'a, I: Iterator<Item = (Source, CitedLine)>>(&'a Streamed<I>);

impl<I: Iterator<Item = (Source, CitedLine)>> Serialize for StreamedFiles<'_, I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = self.0;
        let mut map = s.serialize_map(None)?;
        while let Some((at, line)) = raw.next_of(None) {
            let text = text(&line);
            if matches!(line, CitedLine::StandardInput | CitedLine::Stream) {
                // One note for the file, whatever the budget (as `RawLines::add`).
                raw.bytes.set(raw.bytes.get().saturating_add(text.len()));
                while raw.next_of(Some(at.file)).is_some() {}
                map.serialize_entry(&at.file, &text)?;
            } else if raw.fits(&text) {
                let first = RefCell::new(Some((at.line, text)));
                map.serialize_entry(&at.file, &StreamedFile(raw, at.file, first))?;
            }
        }
        map.end()
    }
}

/// One file's lines of a [`Streamed`], from the first kept (`.2`).
struct StreamedFile<'a, I: Iterator<Item = (Source, CitedLine)>>(
    &'a Streamed<I>,
    FileId,
    RefCell<Option<(u64, String)>>,
);

impl<I: Iterator<Item = (Source, CitedLine)>> Serialize for StreamedFile<'_, I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let StreamedFile(raw, file, first) = self;
        let mut map = s.serialize_map(None)?;
        if let Some((n, text)) = first.borrow_mut().take() {
            map.serialize_entry(&n, &text)?;
        }
        while let Some((at, line)) = raw.next_of(Some(*file)) {
            let text = text(&line);
            if raw.fits(&text) {
                map.serialize_entry(&at.line, &text)?;
            }
        }
        map.end()
    }
}

impl Serialize for FileLines {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FileLines::Lines(lines) => s.collect_map(lines.iter()),
            FileLines::Note(note) => note.serialize(s),
        }
    }
}

fn size(f: &FileLines) -> usize {
    match f {
        FileLines::Lines(l) => l.values().fold(0usize, |n, t| n.saturating_add(t.len())),
        FileLines::Note(n) => n.len(),
    }
}

impl<'de> Deserialize<'de> for FileLines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FileLines;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("lines by number, or a note")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FileLines, E> {
                Ok(FileLines::Note(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<FileLines, A::Error> {
                let mut lines = BTreeMap::new();
                while let Some((n, t)) = m.next_entry::<u64, String>()? {
                    lines.insert(n, t);
                }
                Ok(FileLines::Lines(lines))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawLines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct File {
            #[serde(default)]
            files: BTreeMap<FileId, FileLines>,
            #[serde(default)]
            not_kept: u64,
        }
        let f = File::deserialize(d)?;
        let bytes = f
            .files
            .values()
            .fold(0usize, |n, l| n.saturating_add(size(l)));
        Ok(RawLines {
            files: f.files,
            not_kept: f.not_kept,
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: u32, line: u64) -> Source {
        Source {
            file: FileId(file),
            line,
        }
    }

    #[test]
    fn lines_are_kept_lowest_first_within_the_budget_and_the_rest_counted() {
        let mut r = RawLines::default();
        r.add(at(0, 1), &CitedLine::found(b"type=A", 4096), 12);
        r.add(at(0, 2), &CitedLine::found(b"type=BBBBBB", 4096), 12);
        r.add(at(0, 3), &CitedLine::found(b"ab", 4096), 12);
        r.add(at(1, 9), &CitedLine::StandardInput, 12);
        assert_eq!(r.get(at(0, 1)), Some("type=A"));
        assert_eq!(r.get(at(0, 2)), None);
        assert_eq!(r.get(at(0, 3)), Some("ab"));
        assert_eq!(r.get(at(1, 5)), Some("(standard input: not kept)"));
        assert_eq!(r.not_kept(), 1);
        let long = vec![b'x'; RAW_LINE_BYTES + 10];
        let mut r = RawLines::default();
        r.add(
            at(0, 1),
            &CitedLine::found(&long, RAW_LINE_BYTES),
            usize::MAX,
        );
        assert!(r.get(at(0, 1)).unwrap().ends_with(" [... 10 more bytes]"));
    }

    #[test]
    fn streamed_lines_are_written_as_held_lines_are() {
        let line = |t: &str| CitedLine::found(t.as_bytes(), 4096);
        let long = "y".repeat(RAW_LINE_BYTES + 3);
        let lines = vec![
            // File 0's first line is past the budget: its entry starts at its second.
            (at(0, 1), line("type=AAAAAAAAAAAA")),
            (at(0, 2), line("ab")),
            (at(0, 3), CitedLine::Gone),
            (at(1, 4), CitedLine::StandardInput),
            (at(1, 9), CitedLine::StandardInput),
            (at(2, 1), line("cd")),
            (at(2, 5), CitedLine::Unreadable),
            // Every line of file 3 is past the budget: no entry.
            (at(3, 1), line(&long)),
            (at(4, 2), CitedLine::Stream),
        ];
        for budget in [0, 12, 40, 100, usize::MAX] {
            let mut held = RawLines::default();
            for (s, l) in &lines {
                held.add(*s, l, budget);
            }
            let streamed = Streamed::new(lines.clone().into_iter(), budget);
            assert!(!Written::is_empty(&streamed));
            assert_eq!(
                serde_json::to_string_pretty(&streamed).unwrap(),
                serde_json::to_string_pretty(&held).unwrap(),
                "budget {budget}"
            );
        }
        let held = RawLines::default();
        let none = Streamed::new(std::iter::empty(), 10);
        assert!(Written::is_empty(&none) && Written::is_empty(&held));
        let mut cut = RawLines::default();
        cut.add(at(0, 1), &line("abc"), 2);
        let streamed = Streamed::new([(at(0, 1), line("abc"))].into_iter(), 2);
        assert_eq!(
            serde_json::to_string(&streamed).unwrap(),
            r#"{"files":{},"not_kept":1}"#
        );
        assert_eq!(
            serde_json::to_string(&cut).unwrap(),
            r#"{"files":{},"not_kept":1}"#
        );
    }

    #[test]
    fn written_lines_read_back_and_retain_keeps_only_the_cited() {
        let mut r = RawLines::default();
        for n in 1..=4 {
            r.add(
                at(0, n),
                &CitedLine::found(format!("l{n}").as_bytes(), 9),
                100,
            );
        }
        r.add(at(2, 1), &CitedLine::Stream, 100);
        r.add(at(1, 1), &CitedLine::found(b"type=A x=1", 99), 100);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"files":{"0":{"1":"l1","2":"l2","3":"l3","4":"l4"},"1":{"1":"type=A x=1"},"2":"(read once from a pipe or device: not kept)"},"not_kept":0}"#
        );
        let back: RawLines = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.get(at(1, 1)), Some("type=A x=1"));
        let cited = BTreeSet::from([at(0, 2), at(0, 4), at(0, 7), at(2, 3), at(5, 1)]);
        let mut kept = back;
        kept.retain(&cited, 100);
        assert_eq!(kept.get(at(0, 1)), None);
        assert_eq!(kept.get(at(0, 2)), Some("l2"));
        assert_eq!(
            kept.get(at(2, 3)),
            Some("(read once from a pipe or device: not kept)")
        );
        assert_eq!(kept.not_kept(), 2, "0:7 and 5:1 have no line");
        assert_eq!(kept.len(), 3);
        assert_eq!(kept.get(at(1, 1)), None, "not cited");
    }
}
