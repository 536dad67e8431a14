//! The reading loop: inputs -> lines -> records -> events, with input quality.
//!
//! This is the streaming core every command runs. Memory is bounded by the line limit and
//! the assembler's open-event cap, whatever the size of the input.

use crate::input::{self, InputDigest, InputError, InputFile, InputSet, LineIndex, LineReader};
use crate::model::{FileId, Source};
use crate::parse::assemble::{AssembleOptions, Assembler, Event, EventSink, TakeEvents};
use crate::parse::journal::{Entry, ExportStep, JournalReader, Skip, Started};
use crate::parse::quality::{widen, FileStats, InputQuality, NodeStats, RejectCounter};
use crate::parse::record::{parse_record, Record, Reject};
use rustc_hash::FxHashMap as HashMap;

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
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            assemble: AssembleOptions::default(),
            max_line: 16 << 20,
            keep_evidence: false,
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
    let mut counts = Counts::default();
    let mut journal = JournalReader::new(opts.max_line);
    let mut node_events = NodeTable::default();
    let mut files = Vec::with_capacity(inputs.files.len());
    let mut total_bytes = 0u64;

    let mut count_event = TakeEvents(|ev: &mut Event| {
        node_events.get(ev.node()).events += 1;
        sink.event(ev);
    });

    for (idx, file) in inputs.files.iter().enumerate() {
        let (reader, compressed, digest) = if opts.keep_evidence {
            input::open_hashed(file)?
        } else {
            let (reader, compressed) = input::open(file)?;
            (reader, compressed, InputDigest::default())
        };
        let mut index = (opts.keep_evidence && !compressed && file.path.as_os_str() != "-")
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
            if line.too_long {
                st.rejected += 1;
                counts.rejects.add(Reject::TooLong, &file.path, line.number);
                continue;
            }
            if line.bytes.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
                st.blank_lines += 1;
                continue;
            }
            let mut raw = true;
            if JournalReader::may_start_entry(line.bytes) {
                match journal.start_line(line.bytes, line.number) {
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
                match parse_record(line.bytes) {
                    Ok(rec) => {
                        let at = at(line.number);
                        counts.record(
                            &rec,
                            line.bytes,
                            at,
                            file,
                            &mut st,
                            &mut asm,
                            &mut count_event,
                        );
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
        st.line_index = index;
        total_bytes += st.bytes;
        if st.bytes != last_progress {
            progress(total_bytes);
        }
        files.push(st);
    }
    asm.finish(&mut count_event);

    let mut nodes: Vec<NodeStats> = counts
        .nodes
        .into_stats()
        .into_iter()
        .map(|mut st| {
            let key = st.node.clone();
            st.events = node_events.events_of(&key);
            st
        })
        .collect();
    nodes.sort_by(|a, b| a.node.cmp(&b.node));
    let assembly = asm.stats().clone();
    Ok(InputQuality {
        bytes: total_bytes,
        lines: files.iter().map(|f| f.lines).sum(),
        blank_lines: files.iter().map(|f| f.blank_lines).sum(),
        records: files.iter().map(|f| f.records).sum(),
        events: assembly.events,
        rejected: counts.rejects.finish(),
        skipped_entries: counts.skips.finish(),
        journal_entry_lines: files.iter().map(|f| f.journal_entry_lines).sum(),
        nodes,
        assembly,
        files,
        skipped_files: inputs.skipped.clone(),
    })
}

/// What the reading loop counts across files, apart from the assembler's own counts.
#[derive(Default)]
struct Counts {
    rejects: RejectCounter,
    skips: RejectCounter<Skip>,
    nodes: NodeTable,
}

impl Counts {
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
        let node = self.nodes.get(rec.node);
        node.records += 1;
        widen(&mut node.first, &mut node.last, t);
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

/// Per-node statistics, looked up by borrowed name without allocating.
#[derive(Default)]
struct NodeTable {
    none: Option<NodeStats>,
    index: HashMap<Vec<u8>, usize>,
    named: Vec<NodeStats>,
    /// Consecutive lines nearly always share a node: remember the last one.
    last: Option<(Vec<u8>, usize)>,
}

impl NodeTable {
    fn get(&mut self, node: Option<&[u8]>) -> &mut NodeStats {
        let Some(node) = node else {
            return self.none.get_or_insert_with(NodeStats::default);
        };
        if let Some((name, i)) = &self.last {
            if name.as_slice() == node {
                return &mut self.named[*i];
            }
        }
        let i = match self.index.get(node) {
            Some(&i) => i,
            None => {
                self.named.push(NodeStats {
                    node: Some(crate::parse::decode::to_text(node).into_owned()),
                    ..NodeStats::default()
                });
                self.index.insert(node.to_vec(), self.named.len() - 1);
                self.named.len() - 1
            }
        };
        match &mut self.last {
            Some((name, idx)) => {
                name.clear();
                name.extend_from_slice(node);
                *idx = i;
            }
            None => self.last = Some((node.to_vec(), i)),
        }
        &mut self.named[i]
    }

    fn events_of(&self, name: &Option<String>) -> u64 {
        let st = match name {
            None => self.none.as_ref(),
            Some(n) => self
                .named
                .iter()
                .find(|s| s.node.as_deref() == Some(n.as_str())),
        };
        st.map_or(0, |s| s.events)
    }

    fn into_stats(self) -> Vec<NodeStats> {
        self.none.into_iter().chain(self.named).collect()
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
        let mut send_failed = false;
        // Take the event itself (no copy); the assembler gets an emptied spare in exchange.
        let mut sink = TakeEvents(|ev: &mut Event| {
            let mut slot = spare.pop().unwrap_or_default();
            slot.clear_for_reuse();
            std::mem::swap(&mut slot, ev);
            batch.push(slot);
            if batch.len() == BATCH {
                let mut next = back_rx
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                // Keep the returned batch's events as spares for reuse.
                spare.append(&mut next);
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
