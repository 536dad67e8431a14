//! Events of log text held in memory: the line -> record -> event loop for tests, benches
//! and examples, in one place.
//!
//! The commands read through [`crate::parse::reader`] instead, which also counts blank and
//! rejected lines with their file:line, reads journal entries, strips a byte order mark,
//! notes line offsets and hashes what it reads. This loop only skips the lines that are not
//! records (blank, rejected, journal entries): use it where the events are what is tested or
//! measured.

use crate::model::{FileId, Source};
use crate::parse::assemble::{
    AssembleOptions, AssembleStats, Assembler, Event, EventSink, TakeEvents,
};
use crate::parse::record::parse_record;

/// Every event of `text`, in the order they complete (default assembly options; lines as
/// in [`each_event`]). The events own their records.
pub fn events_of(text: &[u8]) -> Vec<Event> {
    let mut out = Vec::new();
    let mut keep = TakeEvents(|ev: &mut Event| out.push(std::mem::take(ev)));
    each_event(text, AssembleOptions::default(), &mut keep);
    out
}

/// Passes every event of `text` to `sink` as it completes: lines are split at `\n` (a line
/// ending `\r` is dropped, as the reader does; any length is kept) and numbered from 1, all
/// of file 0 and input group 0. Returns the assembler's counts (`records`: the lines that
/// were records).
pub fn each_event<S: EventSink>(text: &[u8], opts: AssembleOptions, sink: &mut S) -> AssembleStats {
    let lines = text.split(|&b| b == b'\n').enumerate().map(|(i, line)| {
        let at = Source {
            file: FileId(0),
            line: i as u64 + 1,
        };
        (at, line)
    });
    each_event_of_lines(lines, opts, sink)
}

/// [`each_event`] over lines that carry their own file and line number (a part of a larger
/// log keeps its numbers), all of input group 0.
pub fn each_event_of_lines<'a, S: EventSink>(
    lines: impl IntoIterator<Item = (Source, &'a [u8])>,
    opts: AssembleOptions,
    sink: &mut S,
) -> AssembleStats {
    let mut asm = Assembler::new(opts);
    for (at, line) in lines {
        if let Ok(rec) = parse_record(line) {
            asm.push(&rec, line, at, 0, sink);
        }
    }
    asm.finish(sink);
    asm.stats().clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_own_their_records_and_skip_what_is_not_a_record() {
        let text = b"type=SYSCALL msg=audit(10.000:1): a=1\r\n\
            not a record\n\
            \n\
            type=USER_LOGIN msg=audit(10.000:2): msg='res=success'\n\
            type=EOE msg=audit(10.000:1): \n";
        let events = events_of(text);
        assert_eq!(events.len(), 2);
        assert_eq!(
            events[0].line(0),
            b"type=USER_LOGIN msg=audit(10.000:2): msg='res=success'"
        );
        assert_eq!(events[1].len(), 2);
        assert_eq!(events[1].line(0), b"type=SYSCALL msg=audit(10.000:1): a=1");
        let lines: Vec<u64> = events[1]
            .record_meta()
            .iter()
            .map(|r| r.source.line)
            .collect();
        assert_eq!(lines, vec![1, 5]);
        let mut n = 0;
        let stats = each_event(text, AssembleOptions::default(), &mut |_: &Event| n += 1);
        assert_eq!((stats.records, stats.events, n), (3, 2, 2));
    }
}
