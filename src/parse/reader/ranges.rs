//! Reading large uncompressed files on every core: each file is cut into byte ranges at
//! line boundaries, and each range is read, parsed, assembled and handed to a consumer of
//! its own (the pipeline's aggregators, whose summaries then merge in range order).
//!
//! The result must be the one of a single read, to the byte, so a range is read on its own
//! only where that is provably the same:
//! - line numbers and offsets are the file's: the newlines before each range are counted
//!   first (a quick pass over the bytes, in parallel);
//! - a cut is placed at the first line end past the nominal position where an assembler
//!   that read the megabyte before has no event open (so the whole read, nearly always,
//!   has none either); the read of the range before the cut must then end with no event open (else the events across the cut would be assembled differently),
//!   and a range must not reuse a key the whole read would still remember as released (it
//!   would mark that event split); no event may be evicted (eviction depends on buffer
//!   capacities, which depend on the read's history);
//! - journal entries (whose export form spans lines) and more nodes than the input quality
//!   lists are left to the single read.
//!
//! When any of this fails, [`read_ranges`] answers `None` and the caller reads the whole
//! input with the two-thread pipeline instead: the answer is the same, only slower. The
//! input SHA-256 (`keep_evidence`) is of the whole file, computed by one more thread in a
//! sequential pass beside the workers.

use super::{Counts, NodeTable, Progress, ReadOptions};
use crate::input::{self, InputError, InputFile, InputSet, LineIndex, LineReader};
use crate::model::{FileId, Source};
use crate::parse::assemble::{
    AssembleOptions, AssembleStats, Assembler, Event, SeamKey, TakeEvents, RECENT,
};
use crate::parse::journal::{JournalReader, Started};
use crate::parse::quality::{widen, FileStats, InputQuality, NodeStats, RejectCounter};
use crate::parse::record::parse_record;
use rustc_hash::FxHashSet as HashSet;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Below this many bytes in all, the inputs are read by the two-thread pipeline.
pub const MIN_BYTES: u64 = 32 << 20;

/// How far past a nominal cut a cut is looked for.
const CUT_WINDOW: u64 = 1 << 20;

/// How much of the log before a nominal cut is assembled to find where no event is open.
const LOOK_BACK: u64 = 1 << 20;

/// One byte range of one file.
#[derive(Clone, Debug)]
struct Range {
    file: usize,
    start: u64,
    end: u64,
    /// Lines of the file before `start`.
    lines_before: u64,
}

/// What the read of one range gives.
struct RangeOut<C> {
    consumer: C,
    stats: FileStats,
    rejects: RejectCounter,
    nodes: NodeTable,
    assembly: AssembleStats,
    /// Lines 1, 1 + LINE_INDEX_STEP, ... of the range: (number, offset).
    index: Vec<(u64, u64)>,
    /// Keys of records read while the assembler remembered fewer than [`RECENT`] released
    /// keys: the ones the whole read might have marked split.
    early: Vec<SeamKey>,
    recent: Vec<SeamKey>,
    recent_full: bool,
    /// No event was open at the end of the range.
    quiescent: bool,
}

/// Why a range cannot stand for its part of a single read.
struct GiveUp;

/// Each range's result, in input order, as the workers finish them.
type Results<C> = Mutex<Vec<Option<Result<RangeOut<C>, GiveUp>>>>;

/// Reads `inputs` in parallel byte ranges with `opts.threads` workers, each feeding events
/// to a consumer made by `make(range, ranges)` (one per range, returned in input order;
/// `range` is its 0-based place among `ranges`), when the inputs
/// are large uncompressed files and the ranges provably assemble as one read would (see the
/// module documentation); `None` otherwise, having read nothing that counts.
pub fn read_ranges<C, M, F>(
    inputs: &InputSet,
    opts: &ReadOptions,
    make: M,
    feed: F,
    progress: Progress<'_>,
) -> Result<Option<(InputQuality, Vec<C>)>, InputError>
where
    C: Send,
    M: Fn(usize, usize) -> C + Sync,
    F: Fn(&mut C, &Event) + Sync,
{
    let threads = opts.threads.max(1);
    let Some(sizes) = eligible(inputs, opts) else {
        return Ok(None);
    };
    let total: u64 = sizes.iter().sum();
    let range_bytes = opts
        .range_bytes
        .unwrap_or_else(|| total.div_ceil(threads as u64))
        .max(1);
    let snapshots: Vec<_> = inputs
        .files
        .iter()
        .map(|f| input::Snapshot::of(&f.path))
        .collect();
    let mut ranges = Vec::new();
    for (i, (file, &size)) in inputs.files.iter().zip(&sizes).enumerate() {
        let cuts = cuts(file, size, range_bytes, opts.assemble)?;
        let mut start = 0;
        for end in cuts.into_iter().chain(std::iter::once(size)) {
            ranges.push(Range {
                file: i,
                start,
                end,
                lines_before: 0,
            });
            start = end;
        }
    }
    if ranges.len() < 2 {
        return Ok(None);
    }
    count_lines(inputs, &mut ranges, threads)?;

    let next = AtomicUsize::new(0);
    let give_up = AtomicBool::new(false);
    let done_bytes = AtomicU64::new(0);
    let outs: Results<C> = Mutex::new((0..ranges.len()).map(|_| None).collect());
    let error: Mutex<Option<InputError>> = Mutex::new(None);
    let last = ranges.len() - 1;
    // A worker that ends wakes this thread, so that the merge starts at once.
    let this = std::thread::current();
    let stopped = AtomicUsize::new(0);
    let count = threads.min(ranges.len());
    let hashes = std::thread::scope(|scope| {
        let hasher = opts
            .keep_evidence
            .then(|| scope.spawn(move || hash_files(inputs)));
        let workers: Vec<_> = (0..count)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= ranges.len() || give_up.load(Ordering::Relaxed) {
                            break;
                        }
                        let r = &ranges[i];
                        let file = &inputs.files[r.file];
                        let consumer = make(i, ranges.len());
                        let out =
                            read_range(r, file, opts, i == last, consumer, &feed, &done_bytes);
                        match out {
                            Ok(out) => {
                                if out.is_err() {
                                    give_up.store(true, Ordering::Relaxed);
                                }
                                outs.lock().expect("range results")[i] = Some(out);
                            }
                            Err(e) => {
                                give_up.store(true, Ordering::Relaxed);
                                error.lock().expect("range error").get_or_insert(e);
                            }
                        }
                    }
                    stopped.fetch_add(1, Ordering::Release);
                    this.unpark();
                })
            })
            .collect();
        // Progress from this thread (the hook is not shared): bytes parsed so far. A worker
        // that panicked never counts itself stopped, but shows as finished.
        while stopped.load(Ordering::Acquire) < count && workers.iter().any(|w| !w.is_finished()) {
            std::thread::park_timeout(std::time::Duration::from_millis(50));
            progress(done_bytes.load(Ordering::Relaxed).min(total));
        }
        for w in workers {
            w.join().expect("range reader thread panicked");
        }
        hasher.map(|h| h.join().expect("hashing thread panicked"))
    });
    if let Some(e) = error.into_inner().expect("range error") {
        return Err(e);
    }
    let outs: Option<Vec<RangeOut<C>>> = outs
        .into_inner()
        .expect("range results")
        .into_iter()
        .map(|o| o.and_then(Result::ok))
        .collect();
    let Some(outs) = outs else {
        return Ok(None);
    };
    if !stitches(&outs) {
        return Ok(None);
    }
    let hashes = match hashes {
        Some(Ok(h)) => Some(h),
        Some(Err(e)) => return Err(e),
        None => None,
    };
    let Some((quality, consumers)) = assemble_quality(inputs, opts, &ranges, outs, hashes) else {
        return Ok(None);
    };
    let mut quality = quality;
    for (st, snapshot) in quality.files.iter_mut().zip(snapshots) {
        st.changed = snapshot.and_then(|s| s.change(&st.path, Some(st.bytes)));
    }
    progress(total);
    Ok(Some((quality, consumers)))
}

/// The sizes of the input files when every one is a regular, uncompressed file and they
/// hold at least [`MIN_BYTES`] (or any size, with `range_bytes` set, for tests).
fn eligible(inputs: &InputSet, opts: &ReadOptions) -> Option<Vec<u64>> {
    if opts.threads < 2 || inputs.files.is_empty() {
        return None;
    }
    let mut sizes = Vec::with_capacity(inputs.files.len());
    for f in &inputs.files {
        if input::is_stream(&f.path) {
            return None;
        }
        let meta = std::fs::metadata(&f.path).ok()?;
        if !meta.is_file() {
            return None;
        }
        // Opening sniffs the magic bytes; a refused format errors in the single read.
        let (_, compressed) = input::open(f).ok()?;
        if compressed {
            return None;
        }
        sizes.push(meta.len());
    }
    let total: u64 = sizes.iter().sum();
    (total >= MIN_BYTES || opts.range_bytes.is_some()).then_some(sizes)
}

/// Where `file` is cut: near every multiple of `step`, at the first line end within
/// [`CUT_WINDOW`] after it where an assembler that read the [`LOOK_BACK`] bytes before has
/// no event open (most likely where the single read has none either), else just after the
/// first EOE record, else at the next line start; strictly increasing, inside the file.
fn cuts(
    file: &InputFile,
    size: u64,
    step: u64,
    assemble: AssembleOptions,
) -> Result<Vec<u64>, InputError> {
    let err = |e| InputError::Read {
        path: file.path.clone(),
        line: 0,
        source: e,
    };
    let mut f = File::open(&file.path).map_err(err)?;
    let mut out: Vec<u64> = Vec::new();
    let mut buf = Vec::new();
    let mut nominal = step;
    while nominal < size {
        let from = nominal - 1;
        // Tiny ranges (tests) look less far, so cutting stays linear in the input.
        let back = from.saturating_sub(LOOK_BACK.min(step));
        f.seek(SeekFrom::Start(back)).map_err(err)?;
        buf.clear();
        (&mut f)
            .take(from - back + 2 * CUT_WINDOW)
            .read_to_end(&mut buf)
            .map_err(err)?;
        let rel = (from - back) as usize;
        let Some(nl) = memchr::memchr(b'\n', &buf[rel..]) else {
            break;
        };
        let line_start = rel + nl + 1;
        let window = &buf[line_start..buf.len().min(line_start + CUT_WINDOW as usize)];
        let cut = quiet_point(&buf, back == 0, line_start, assemble, file.group)
            .or_else(|| {
                let i = memchr::memmem::find(window, b"type=EOE ")?;
                memchr::memchr(b'\n', &window[i..]).map(|j| line_start + i + j + 1)
            })
            .unwrap_or(line_start);
        let cut = back + cut as u64;
        if cut < size && out.last().is_none_or(|&l| cut > l) {
            out.push(cut);
        }
        nominal = (cut + 1).max(nominal + step);
    }
    Ok(out)
}

/// The first line end at or after `from` (within [`CUT_WINDOW`]) where an assembler that
/// read `buf` from its first whole line has no event open.
fn quiet_point(
    buf: &[u8],
    whole_first_line: bool,
    from: usize,
    assemble: AssembleOptions,
    group: u32,
) -> Option<usize> {
    let mut pos = if whole_first_line {
        0
    } else {
        memchr::memchr(b'\n', buf)? + 1
    };
    let end = buf.len().min(from.saturating_add(CUT_WINDOW as usize));
    let mut asm = Assembler::new(assemble);
    while pos < end {
        let nl = memchr::memchr(b'\n', &buf[pos..])?;
        let line = &buf[pos..pos + nl];
        if let Ok(rec) = parse_record(line) {
            asm.push(&rec, line, Source::default(), group, &mut |_: &Event| {});
        }
        pos += nl + 1;
        if pos >= from && asm.open_events() == 0 {
            return Some(pos);
        }
    }
    None
}

/// How many bytes one line-counting job reads.
const COUNT_CHUNK: u64 = 16 << 20;

/// Fills each range's `lines_before` by counting the newlines of the ranges before it in
/// its file, in chunks of at most [`COUNT_CHUNK`] bytes on every thread (the last range of
/// a file is not counted: no range of that file follows it).
fn count_lines(inputs: &InputSet, ranges: &mut [Range], threads: usize) -> Result<(), InputError> {
    // (range, start, end) of every chunk to count.
    let mut jobs: Vec<(usize, u64, u64)> = Vec::new();
    for (i, r) in ranges.iter().enumerate() {
        if ranges.get(i + 1).is_none_or(|n| n.file != r.file) {
            continue;
        }
        let mut start = r.start;
        while start < r.end {
            let end = r.end.min(start.saturating_add(COUNT_CHUNK));
            jobs.push((i, start, end));
            start = end;
        }
    }
    let next = AtomicUsize::new(0);
    let counts: Mutex<Vec<u64>> = Mutex::new(vec![0; ranges.len()]);
    let error: Mutex<Option<InputError>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(jobs.len()) {
            scope.spawn(|| {
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    let j = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(i, start, end)) = jobs.get(j) else {
                        break;
                    };
                    let path = &inputs.files[ranges[i].file].path;
                    match count_newlines(path, start, end, &mut buf) {
                        Ok(n) => counts.lock().expect("line counts")[i] += n,
                        Err(e) => {
                            error
                                .lock()
                                .expect("count error")
                                .get_or_insert(InputError::Read {
                                    path: path.clone(),
                                    line: 0,
                                    source: e,
                                });
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = error.into_inner().expect("count error") {
        return Err(e);
    }
    let counts = counts.into_inner().expect("line counts");
    let mut before = 0;
    for i in 0..ranges.len() {
        if i > 0 && ranges[i].file != ranges[i - 1].file {
            before = 0;
        }
        ranges[i].lines_before = before;
        before += counts[i];
    }
    Ok(())
}

fn count_newlines(
    path: &std::path::Path,
    start: u64,
    end: u64,
    buf: &mut [u8],
) -> std::io::Result<u64> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(start))?;
    let mut f = f.take(end - start);
    let mut n = 0u64;
    loop {
        let got = match f.read(buf) {
            Ok(0) => return Ok(n),
            Ok(got) => got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        n += memchr::memchr_iter(b'\n', &buf[..got]).count() as u64;
    }
}

/// The SHA-256 and size of every file, read whole and in order (what the single read
/// hashes); progress is not counted here.
fn hash_files(inputs: &InputSet) -> Result<Vec<(String, u64)>, InputError> {
    use sha2::{Digest, Sha256};
    let mut out = Vec::with_capacity(inputs.files.len());
    let mut buf = vec![0u8; 1 << 20];
    for f in &inputs.files {
        let err = |e| InputError::Read {
            path: f.path.clone(),
            line: 0,
            source: e,
        };
        let mut file = File::open(&f.path).map_err(err)?;
        let mut h = Sha256::new();
        let mut n = 0u64;
        loop {
            let got = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(got) => got,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(err(e)),
            };
            h.update(&buf[..got]);
            n += got as u64;
        }
        out.push((crate::digest::hex(&h.finalize()), n));
    }
    Ok(out)
}

/// Reads one range into a fresh assembler and `consumer`.
fn read_range<C, F>(
    r: &Range,
    file: &InputFile,
    opts: &ReadOptions,
    last: bool,
    mut consumer: C,
    feed: &F,
    done_bytes: &AtomicU64,
) -> Result<Result<RangeOut<C>, GiveUp>, InputError>
where
    F: Fn(&mut C, &Event),
{
    let err = |line, e| InputError::Read {
        path: file.path.clone(),
        line,
        source: e,
    };
    let mut f = File::open(&file.path).map_err(|e| err(r.lines_before, e))?;
    f.seek(SeekFrom::Start(r.start))
        .map_err(|e| err(r.lines_before, e))?;
    let mut lines = LineReader::starting_at(
        f.take(r.end - r.start),
        opts.max_line,
        r.lines_before,
        r.start,
    );
    let mut asm = Assembler::new(opts.assemble);
    let nodes = RefCell::new(NodeTable::new(opts.max_nodes));
    let mut counts = Counts::new(&nodes);
    let mut journal = JournalReader::new(opts.max_line);
    let mut st = FileStats {
        path: file.path.clone(),
        group: file.group,
        ..FileStats::default()
    };
    let indexed = opts.keeps_line_index();
    let mut index = Vec::new();
    let mut early = Vec::new();
    let mut sink = TakeEvents(|ev: &mut Event| {
        nodes.borrow_mut().event(ev.node());
        feed(&mut consumer, ev);
    });
    let file_id = FileId(u32::try_from(r.file).unwrap_or(u32::MAX));
    let mut reported = 0u64;
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => return Err(err(r.lines_before + st.lines, e)),
        };
        st.lines += 1;
        if indexed
            && line
                .number
                .saturating_sub(1)
                .is_multiple_of(input::LINE_INDEX_STEP)
        {
            index.push((line.number, line.offset));
        }
        let Some(bytes) = counts.content(&line, file, &mut st) else {
            continue;
        };
        if JournalReader::may_start_entry(bytes)
            && !matches!(journal.start_line(bytes, line.number), Started::NotJournal)
        {
            return Ok(Err(GiveUp));
        }
        match parse_record(bytes) {
            Ok(rec) => {
                if !asm.recent_full() {
                    if early.len() > 8 * RECENT {
                        return Ok(Err(GiveUp));
                    }
                    early.push(asm.seam_key(&rec, file.group));
                }
                let at = Source {
                    file: file_id,
                    line: line.number,
                };
                counts.record(&rec, bytes, at, file, &mut st, &mut asm, &mut sink);
            }
            Err(reason) => {
                st.rejected += 1;
                counts.rejects.add(reason, &file.path, line.number);
            }
        }
        if st.lines.is_multiple_of(65536) {
            let read = lines.bytes_read() - r.start;
            done_bytes.fetch_add(read - reported, Ordering::Relaxed);
            reported = read;
        }
    }
    done_bytes.fetch_add(
        (r.end - r.start).saturating_sub(reported),
        Ordering::Relaxed,
    );
    let quiescent = asm.open_events() == 0;
    if last {
        asm.finish(&mut sink);
    }
    let assembly = asm.stats().clone();
    if assembly.evicted > 0 || !nodes.borrow().beyond.is_empty() {
        return Ok(Err(GiveUp));
    }
    Ok(Ok(RangeOut {
        consumer,
        stats: st,
        rejects: counts.rejects,
        nodes: nodes.into_inner(),
        assembly,
        index,
        early,
        recent: asm.recent_keys(),
        recent_full: asm.recent_full(),
        quiescent: quiescent || last,
    }))
}

impl NodeTable {
    /// Adds the table of a later range; false when it, or the sum, passes the limit
    /// (the single read then lists the nodes).
    fn merge(&mut self, later: NodeTable) -> bool {
        if !later.beyond.is_empty() || later.beyond_events > 0 {
            return false;
        }
        if let Some(n) = &later.none {
            add_node(self.none.get_or_insert_with(NodeStats::default), n);
        }
        let mut raw: Vec<Option<Vec<u8>>> = vec![None; later.named.len()];
        for (name, i) in later.index {
            if let Some(slot) = raw.get_mut(i) {
                *slot = Some(name);
            }
        }
        for (st, name) in later.named.into_iter().zip(raw) {
            let Some(name) = name else { return false };
            match self.index.get(&name) {
                Some(&i) => add_node(&mut self.named[i], &st),
                None if self.named.len() < self.limit => {
                    self.named.push(st);
                    self.index.insert(name, self.named.len() - 1);
                }
                None => return false,
            }
        }
        true
    }
}

fn add_node(mine: &mut NodeStats, later: &NodeStats) {
    mine.records += later.records;
    mine.events += later.events;
    for t in [later.first, later.last].into_iter().flatten() {
        widen(&mut mine.first, &mut mine.last, t);
    }
}

/// True when the ranges, read each with a fresh assembler, assembled what one read does:
/// no event open across a cut, and no range reusing a key the single read still
/// remembered as released (see the module documentation).
fn stitches<C>(outs: &[RangeOut<C>]) -> bool {
    let mut order: VecDeque<SeamKey> = VecDeque::new();
    let mut set: HashSet<SeamKey> = HashSet::default();
    for out in outs {
        if !out.quiescent || out.early.iter().any(|k| set.contains(k)) {
            return false;
        }
        if out.recent_full {
            order.clear();
            set.clear();
        }
        for &k in &out.recent {
            if set.insert(k) {
                order.push_back(k);
            }
        }
        while order.len() > RECENT {
            if let Some(old) = order.pop_front() {
                set.remove(&old);
            }
        }
    }
    true
}

/// The input quality of the whole read from the ranges' parts, and the consumers in order;
/// `None` when the nodes do not fit the listed limit.
fn assemble_quality<C>(
    inputs: &InputSet,
    opts: &ReadOptions,
    ranges: &[Range],
    outs: Vec<RangeOut<C>>,
    hashes: Option<Vec<(String, u64)>>,
) -> Option<(InputQuality, Vec<C>)> {
    let mut files: Vec<FileStats> = inputs
        .files
        .iter()
        .map(|f| FileStats {
            path: f.path.clone(),
            group: f.group,
            ..FileStats::default()
        })
        .collect();
    let mut indexes: Vec<LineIndex> = vec![LineIndex::default(); files.len()];
    let mut rejects = RejectCounter::default();
    let mut nodes = NodeTable::new(opts.max_nodes);
    let mut assembly = AssembleStats::default();
    let mut consumers = Vec::with_capacity(outs.len());
    for (r, out) in ranges.iter().zip(outs) {
        let st = &mut files[r.file];
        st.bytes = st.bytes.max(r.end);
        st.lines += out.stats.lines;
        st.blank_lines += out.stats.blank_lines;
        st.records += out.stats.records;
        st.rejected += out.stats.rejected;
        for t in [out.stats.first, out.stats.last].into_iter().flatten() {
            widen(&mut st.first, &mut st.last, t);
        }
        for (number, offset) in out.index {
            indexes[r.file].note(number, offset);
        }
        rejects.merge(out.rejects);
        if !nodes.merge(out.nodes) {
            return None;
        }
        assembly.merge(&out.assembly);
        consumers.push(out.consumer);
    }
    for (i, st) in files.iter_mut().enumerate() {
        if let Some(hashes) = &hashes {
            let (sha, n) = &hashes[i];
            st.sha256 = Some(sha.clone());
            st.raw_bytes = Some(*n);
        }
        if opts.keeps_line_index() {
            st.line_index = Some(std::mem::take(&mut indexes[i]));
        }
    }
    let (nodes, nodes_beyond) = nodes.finish();
    let skipped_entries = RejectCounter::default().finish();
    Some((
        InputQuality {
            bytes: files.iter().map(|f| f.bytes).sum(),
            lines: files.iter().map(|f| f.lines).sum(),
            blank_lines: files.iter().map(|f| f.blank_lines).sum(),
            records: files.iter().map(|f| f.records).sum(),
            events: assembly.events,
            rejected: rejects.finish(),
            skipped_entries,
            journal_entry_lines: 0,
            nodes,
            nodes_beyond,
            assembly,
            files,
            skipped_files: inputs.skipped.clone(),
            not_regular_files: inputs.not_regular.clone(),
        },
        consumers,
    ))
}
