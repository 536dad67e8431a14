//! The reading loop: inputs -> lines -> records -> events, with input quality.
//!
//! This is the streaming core every command runs. Memory is bounded by the line limit and
//! the assembler's open-event cap, whatever the size of the input.

use crate::input::{self, InputDigest, InputError, InputFile, InputSet, LineIndex, LineReader};
use crate::limits::Beyond;
use crate::model::{FileId, Source};
use crate::parse::assemble::{AssembleOptions, Assembler, Event, EventSink, TakeEvents};
use crate::parse::journal::{Entry, ExportStep, JournalReader, Skip, Started};
use crate::parse::quality::{
    widen, FileStats, InputQuality, NodeStats, NodesBeyond, RejectCounter,
};
use crate::parse::record::{parse_record, Record, Reject};
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;

mod ranges;
pub use ranges::{read_ranges, MIN_BYTES as MIN_PARALLEL_BYTES};

/// Options for reading.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Event assembly tuning.
    pub assemble: AssembleOptions,
    /// Longest line kept, in bytes; longer lines are rejected as too long.
    pub max_line: usize,
    /// Keep what an evidence package needs: each file's SHA-256 (computed on the read-ahead
    /// thread from the bytes read) and a [`LineIndex`] of uncompressed files.
    pub keep_evidence: bool,
    /// Keep the [`LineIndex`] of uncompressed files without the rest of `keep_evidence`: for
    /// a summary.json, whose raw lines are read back by it (without it, by reading every file
    /// again from its start).
    pub line_index: bool,
    /// Most nodes listed in the input quality ([`crate::limits::NODES`]).
    pub max_nodes: usize,
    /// Threads reading large uncompressed files in byte ranges ([`read_ranges`]); 1 reads
    /// every input with the two-thread pipeline.
    pub threads: usize,
    /// The byte range each of those threads reads at a time: `None` divides the input
    /// evenly (tests set a tiny size to cut everywhere).
    pub range_bytes: Option<u64>,
}

impl ReadOptions {
    /// Whether uncompressed files' [`LineIndex`] is kept: for an evidence package, or for
    /// a summary.json's raw lines.
    pub fn keeps_line_index(&self) -> bool {
        self.keep_evidence || self.line_index
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            assemble: AssembleOptions::default(),
            max_line: crate::limits::LINE_BYTES,
            keep_evidence: false,
            line_index: false,
            max_nodes: crate::limits::NODES,
            threads: 1,
            range_bytes: None,
        }
    }
}

/// Progress callback: bytes read so far in the current file.
pub type Progress<'a> = &'a mut dyn FnMut(u64);

/// Reads every input in order, passing each completed event to `sink`. Returns the input
/// quality. A file that cannot be opened or read is an error naming it (and the line).
pub fn read_events<F: EventSink>(
    inputs: &InputSet,
    opts: &ReadOptions,
    sink: &mut F,
) -> Result<InputQuality, InputError> {
    read_events_with_progress(inputs, opts, sink, &mut |_| {})
}

/// [`read_events`] with a progress callback receiving the bytes read so far in the run.
pub fn read_events_with_progress<F: EventSink>(
    inputs: &InputSet,
    opts: &ReadOptions,
    sink: &mut F,
    progress: Progress<'_>,
) -> Result<InputQuality, InputError> {
    let mut asm = Assembler::new(opts.assemble);
    // Records are counted here, events in the sink the assembler calls: one table, borrowed
    // by each in turn.
    let nodes = RefCell::new(NodeTable::new(opts.max_nodes));
    let mut counts = Counts::new(&nodes);
    let mut journal = JournalReader::new(opts.max_line);
    let mut files = Vec::with_capacity(inputs.files.len());
    let mut total_bytes = 0u64;

    let mut count_event = TakeEvents(|ev: &mut Event| {
        nodes.borrow_mut().event(ev.node());
        sink.event(ev);
    });

    for (idx, file) in inputs.files.iter().enumerate() {
        // Before opening: a file that shrinks or is replaced while read is noticed.
        let snapshot = input::Snapshot::of(&file.path);
        let (reader, compressed, digest) = if opts.keep_evidence {
            input::open_hashed(file)?
        } else {
            let (reader, compressed) = input::open(file)?;
            (reader, compressed, InputDigest::default())
        };
        let mut index = (opts.keeps_line_index() && !compressed && !input::is_stream(&file.path))
            .then(LineIndex::default);
        let mut lines = LineReader::new(input::read_ahead(reader), opts.max_line);
        let mut st = FileStats {
            path: file.path.clone(),
            group: file.group,
            compressed,
            ..FileStats::default()
        };
        let file_id = FileId(idx as u32);
        let mut last_progress = 0u64;
        loop {
            let line = match lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(source) => {
                    return Err(InputError::Read {
                        path: file.path.clone(),
                        line: st.lines,
                        source,
                    })
                }
            };
            st.lines += 1;
            if let Some(index) = &mut index {
                index.note(line.number, line.offset);
            }
            let at = |line| Source {
                file: file_id,
                line,
            };
            if journal.in_export() {
                if journal.export_line(line.bytes, line.too_long) == ExportStep::Taken {
                    st.journal_entry_lines += 1;
                    continue;
                }
                if let Some((first, entry)) = journal.finish_export() {
                    counts.entry(entry, at(first), file, &mut st, &mut asm, &mut count_event);
                }
            }
            let Some(bytes) = counts.content(&line, file, &mut st) else {
                continue;
            };
            let mut raw = true;
            if JournalReader::may_start_entry(bytes) {
                match journal.start_line(bytes, line.number) {
                    Started::Json(entry) => {
                        let at = at(line.number);
                        counts.entry(entry, at, file, &mut st, &mut asm, &mut count_event);
                        raw = false;
                    }
                    Started::Export => raw = false,
                    Started::NotJournal => {}
                }
            }
            if raw {
                match parse_record(bytes) {
                    Ok(rec) => {
                        let at = at(line.number);
                        counts.record(&rec, bytes, at, file, &mut st, &mut asm, &mut count_event);
                    }
                    Err(reason) => {
                        st.rejected += 1;
                        counts.rejects.add(reason, &file.path, line.number);
                    }
                }
            }
            if st.lines.is_multiple_of(65536) {
                let read = lines.bytes_read();
                progress(total_bytes + read);
                last_progress = read;
            }
        }
        if let Some((first, entry)) = journal.finish_export() {
            let at = Source {
                file: file_id,
                line: first,
            };
            counts.entry(entry, at, file, &mut st, &mut asm, &mut count_event);
        }
        st.bytes = lines.bytes_read();
        st.sha256 = digest.hex();
        st.raw_bytes = digest.bytes();
        st.decompressed_sha256 = digest.decompressed().map(|(h, _)| h);
        let stored = if compressed {
            st.raw_bytes
        } else {
            Some(st.bytes)
        };
        st.changed = snapshot.and_then(|s| s.change(&file.path, stored));
        st.line_index = index;
        total_bytes += st.bytes;
        if st.bytes != last_progress {
            progress(total_bytes);
        }
        files.push(st);
    }
    asm.finish(&mut count_event);

    let rejected = counts.rejects.finish();
    let skipped_entries = counts.skips.finish();
    let (nodes, nodes_beyond) = nodes.into_inner().finish();
    let assembly = asm.stats().clone();
    Ok(InputQuality {
        bytes: total_bytes,
        lines: files.iter().map(|f| f.lines).sum(),
        blank_lines: files.iter().map(|f| f.blank_lines).sum(),
        records: files.iter().map(|f| f.records).sum(),
        events: assembly.events,
        rejected,
        skipped_entries,
        journal_entry_lines: files.iter().map(|f| f.journal_entry_lines).sum(),
        nodes,
        nodes_beyond,
        assembly,
        files,
        skipped_files: inputs.skipped.clone(),
        not_regular_files: inputs.not_regular.clone(),
    })
}

/// What the reading loop counts across files, apart from the assembler's own counts.
struct Counts<'n> {
    rejects: RejectCounter,
    skips: RejectCounter<Skip>,
    nodes: &'n RefCell<NodeTable>,
}

impl<'n> Counts<'n> {
    /// Nothing counted yet; records are counted in `nodes` (shared with the event sink).
    fn new(nodes: &'n RefCell<NodeTable>) -> Self {
        Counts {
            rejects: RejectCounter::default(),
            skips: RejectCounter::default(),
            nodes,
        }
    }

    /// What of `line` goes to the parser: `None` for a line over the length limit
    /// (rejected) or a blank one, each counted in `st`. A UTF-8 byte order mark (an
    /// editor's) is not part of the first record.
    fn content<'l>(
        &mut self,
        line: &input::Line<'l>,
        file: &InputFile,
        st: &mut FileStats,
    ) -> Option<&'l [u8]> {
        if line.too_long {
            st.rejected += 1;
            self.rejects.add(Reject::TooLong, &file.path, line.number);
            return None;
        }
        let bytes = match line.bytes {
            [0xef, 0xbb, 0xbf, rest @ ..] if line.number == 1 => rest,
            bytes => bytes,
        };
        if bytes.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            st.blank_lines += 1;
            return None;
        }
        Some(bytes)
    }

    /// Counts what one journal entry, found at `at`, turned out to be; a record goes on to
    /// the assembler.
    fn entry(
        &mut self,
        entry: Entry<'_>,
        at: Source,
        file: &InputFile,
        st: &mut FileStats,
        asm: &mut Assembler,
        sink: &mut dyn EventSink,
    ) {
        match entry {
            Entry::Record(rec, line) => {
                // Through its own instance of `Assembler::push`: the raw-line path keeps the
                // only call of its instance, which the compiler then inlines as before.
                self.record(&rec, line, at, file, st, asm, &mut DynSink(sink))
            }
            Entry::Rejected(reason) => {
                st.rejected += 1;
                self.rejects.add(reason, &file.path, at.line);
            }
            Entry::Skipped(skip) => {
                st.skipped_entries += 1;
                self.skips.add(skip, &file.path, at.line);
            }
        }
    }

    /// Counts a record found at `at` and passes it on to the assembler.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn record<F: EventSink>(
        &mut self,
        rec: &Record<'_>,
        line: &[u8],
        at: Source,
        file: &InputFile,
        st: &mut FileStats,
        asm: &mut Assembler,
        sink: &mut F,
    ) {
        st.records += 1;
        let t = rec.stamp.time_ms();
        widen(&mut st.first, &mut st.last, t);
        self.nodes.borrow_mut().record(rec.node, t);
        asm.push(rec, line, at, file.group, sink);
    }
}

/// An event sink behind a reference, for journal records (see [`Counts::entry`]).
struct DynSink<'s>(&'s mut dyn EventSink);

impl EventSink for DynSink<'_> {
    fn event(&mut self, ev: &mut Event) {
        self.0.event(ev)
    }
}

/// Per-node statistics, looked up by borrowed name without allocating (a hash map, with a
/// last-hit cache). At most `limit` nodes are listed, the first ones in input order; the
/// others are counted together ([`Beyond`]).
struct NodeTable {
    limit: usize,
    none: Option<NodeStats>,
    index: HashMap<Vec<u8>, usize>,
    named: Vec<NodeStats>,
    /// Consecutive lines nearly always share a node: the last one looked up and its slot
    /// (`None`: past the limit).
    last: Option<(Vec<u8>, Option<usize>)>,
    beyond: Beyond,
    beyond_events: u64,
}

impl NodeTable {
    fn new(limit: usize) -> Self {
        NodeTable {
            limit,
            none: None,
            index: HashMap::default(),
            named: Vec::new(),
            last: None,
            beyond: Beyond::default(),
            beyond_events: 0,
        }
    }

    /// Counts a record of `node` at time `t`.
    fn record(&mut self, node: Option<&[u8]>, t: i64) {
        if let Some(st) = self.get(node, true) {
            st.records += 1;
            widen(&mut st.first, &mut st.last, t);
        }
    }

    /// Counts an event of `node`.
    fn event(&mut self, node: Option<&[u8]>) {
        match self.get(node, false) {
            Some(st) => st.events += 1,
            None => self.beyond_events += 1,
        }
    }

    /// The node's statistics; `None` for a node past the limit (whose record, when
    /// `record`, is counted in `beyond`).
    fn get(&mut self, node: Option<&[u8]>, record: bool) -> Option<&mut NodeStats> {
        let Some(node) = node else {
            return Some(self.none.get_or_insert_with(NodeStats::default));
        };
        let (slot, cached) = match &self.last {
            Some((name, slot)) if name.as_slice() == node => (*slot, true),
            _ => {
                let slot = self.lookup(node);
                match &mut self.last {
                    Some((name, last)) => {
                        name.clear();
                        name.extend_from_slice(node);
                        *last = slot;
                    }
                    None => self.last = Some((node.to_vec(), slot)),
                }
                (slot, false)
            }
        };
        match slot {
            Some(i) => Some(&mut self.named[i]),
            None => {
                // A cached node's fingerprint is already noted.
                match (record, cached) {
                    (true, true) => self.beyond.add_records(1),
                    (true, false) => self.beyond.add(node, crate::limits::DISTINCT),
                    (false, _) => {}
                }
                None
            }
        }
    }

    fn lookup(&mut self, node: &[u8]) -> Option<usize> {
        if let Some(&i) = self.index.get(node) {
            return Some(i);
        }
        if self.named.len() >= self.limit {
            return None;
        }
        self.named.push(NodeStats {
            node: Some(crate::parse::decode::to_text(node).into_owned()),
            ..NodeStats::default()
        });
        self.index.insert(node.to_vec(), self.named.len() - 1);
        Some(self.named.len() - 1)
    }

    /// The listed nodes (sorted by name) and the ones past the limit.
    fn finish(self) -> (Vec<NodeStats>, Option<NodesBeyond>) {
        let beyond = self
            .beyond
            .reached("nodes", "nodes", "records", self.limit, self.named.len())
            .map(|limit| NodesBeyond {
                limit,
                events: self.beyond_events,
            });
        let mut nodes: Vec<NodeStats> = self.none.into_iter().chain(self.named).collect();
        nodes.sort_by(|a, b| a.node.cmp(&b.node));
        (nodes, beyond)
    }
}

/// Events handed between threads in batches, to keep channel traffic low.
const BATCH: usize = 256;

/// [`read_events`] with the consumer on a second thread: this thread reads, parses and
/// assembles while `consumer` (classification, aggregation) works on the previous batch.
/// Events reach the consumer in the same order as with [`read_events`]. Returns the quality
/// and the consumer (so its state can be taken back).
pub fn read_events_parallel<C>(
    inputs: &InputSet,
    opts: &ReadOptions,
    consumer: C,
    progress: Progress<'_>,
) -> Result<(InputQuality, C), InputError>
where
    C: FnMut(&Event) + Send,
{
    use std::sync::mpsc::{channel, sync_channel};
    let (tx, rx) = sync_channel::<Vec<Event>>(8);
    let (back_tx, back_rx) = channel::<Vec<Event>>();
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let mut consumer = consumer;
            for batch in rx {
                for ev in &batch {
                    consumer(ev);
                }
                // Sent back with its events, whose buffers the producer reuses. The producer
                // may be gone (error); then the batch is simply dropped.
                let _ = back_tx.send(batch);
            }
            consumer
        });
        let mut spare: Vec<Event> = Vec::new();
        let mut batch: Vec<Event> = Vec::with_capacity(BATCH);
        let mut batch_bytes = 0usize;
        let mut send_failed = false;
        // Take the event itself (no copy); the assembler gets an emptied spare in exchange.
        let mut sink = TakeEvents(|ev: &mut Event| {
            let mut slot = spare.pop().unwrap_or_default();
            std::mem::swap(&mut slot, ev);
            batch_bytes += slot.footprint();
            batch.push(slot);
            // A batch is sent when full or when its events hold BATCH_BYTES: big events
            // (a damaged log repeating one stamp) then travel a few at a time.
            if batch.len() == BATCH || batch_bytes >= crate::limits::BATCH_BYTES {
                batch_bytes = 0;
                let mut next = back_rx
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                // Keep the returned batch's events as spares for reuse, emptied (their
                // big buffers freed), at most two batches' worth.
                for mut ev in next.drain(..) {
                    if spare.len() < 2 * BATCH {
                        ev.clear_for_reuse();
                        spare.push(ev);
                    }
                }
                std::mem::swap(&mut batch, &mut next);
                if tx.send(next).is_err() {
                    send_failed = true;
                }
            }
        });
        let result = read_events_with_progress(inputs, opts, &mut sink, progress);
        if !batch.is_empty() && !send_failed {
            let _ = tx.send(std::mem::take(&mut batch));
        }
        drop(tx);
        let consumer = worker.join().expect("event consumer thread panicked");
        result.map(|q| (q, consumer))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(table: &mut NodeTable, nodes: u64) {
        for i in 0..nodes {
            let name = format!("host-{i}");
            table.record(Some(name.as_bytes()), i as i64);
            table.record(Some(name.as_bytes()), i as i64 + 1);
            table.event(Some(name.as_bytes()));
        }
    }

    #[test]
    fn nodes_past_the_limit_are_counted_together_exactly() {
        let mut table = NodeTable::new(100);
        fill(&mut table, 1000);
        table.record(None, 5);
        table.event(None);
        // Invalid UTF-8 names that read alike stay apart.
        table.record(Some(b"x\xff"), 1);
        table.record(Some(b"x\xfe"), 1);
        let (nodes, beyond) = table.finish();
        assert_eq!(nodes.len(), 101, "100 named and the node-less");
        assert!(nodes.iter().all(|n| n.node.is_none() || n.records == 2));
        assert!(nodes.iter().all(|n| n.events == 1));
        let beyond = beyond.expect("limit reached");
        assert_eq!(beyond.limit.distinct, 100 + 902);
        assert_eq!(beyond.limit.beyond, 900 * 2 + 2, "records of the others");
        assert_eq!(beyond.events, 900);
        assert!(beyond.limit.sentence().contains("1,002 distinct nodes"));
    }

    /// The lookup is a hash map: 8 times the nodes take about 8 times as long (a linear
    /// search per node takes 64 times as long; it took 40 s for 100,000 hosts). Small and
    /// large runs alternate and the fastest of each counts, so a busy machine slows both.
    #[test]
    fn node_lookup_time_is_linear_in_nodes() {
        let time = |n: u64| {
            let mut table = NodeTable::new(usize::MAX);
            let t = std::time::Instant::now();
            fill(&mut table, n);
            std::hint::black_box(table.finish());
            t.elapsed().as_secs_f64()
        };
        let (small, large) = crate::timing::fastest_pair(7, 8_000, 64_000, time);
        assert!(
            large < 32.0 * small,
            "8k nodes {small:.4} s, 64k {large:.4} s"
        );
    }
}
