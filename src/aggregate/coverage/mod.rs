//! Per-host coverage of the audit trail (Q-COVERAGE, Q-LOST): first and last record, events
//! per day, silences, serial gaps, lost-event counters and the daemon timeline.
//!
//! # Silences
//! A silence is a stretch of more than the threshold (default 24 h) in which a host logged
//! nothing, measured in time order whatever order the inputs are read in (several logs of
//! one host may overlap). Each host keeps, per bucket of time (as wide as the threshold, at
//! least one minute and at most one day), its earliest and latest event; a silence longer
//! than a bucket cannot hide inside one, so the gaps between consecutive non-empty buckets
//! are exactly the silences. Both bounding events are kept with their type, so a reader can
//! see a SYSTEM_SHUTDOWN -> SYSTEM_BOOT bracket (downtime, not a logging failure). Memory is
//! one entry per active bucket per host (with the default 24 h threshold, about 3 KB per
//! host-month).
//!
//! # Serial gaps
//! The kernel numbers events per boot; a serial that was never seen may be a lost event.
//! Exactly:
//! - A host's events are cut into **segments**. A segment starts at the host's first event,
//!   at every DAEMON_START and SYSTEM_BOOT, and at a **serial reset**: an event whose serial
//!   is lower than the previous event's while its time is more than 60 s later (a reboot or a
//!   new log without a marker; the assembler reorders events by at most a few seconds, so
//!   this is never reordering).
//! - auditd numbers its own DAEMON_* records itself, so they are left out of the arithmetic.
//! - Within a segment the serials seen form a set; each run of serials missing strictly
//!   between the lowest and the highest seen is one gap, reported with the sources of the
//!   events on both sides. Events released out of order (a SYSCALL event completed after a
//!   later standalone record) therefore make no gap, and duplicates are harmless.
//! - Serials are 32-bit and roll over from 4294967295 to 0. Each serial is unwrapped to the
//!   value nearest to the previous event's, so a rollover continues the sequence and is not a
//!   gap.
//!
//! Memory per segment is one entry per run of consecutive serials: it grows with gaps (which
//! are listed anyway) and briefly with reordering, not with events.
//!
//! # Limits
//! Every entry above (a day, an activity bucket, a run of serials, a segment, a timeline
//! entry, a clock step) is taken from one [`Budget`] shared by all hosts of a summary
//! ([`crate::limits::COVERAGE_ENTRIES`]). When it is spent, a host that needs a new entry
//! records what it lost ([`Limited`]): its silences or serial gaps are then not computed
//! (an incomplete set of buckets or serials would invent silences and gaps), its timeline,
//! clock steps or per-day counts are cut, and the rules that read them say so.
//!
//! # Merging
//! Parts of one input merge in input order. The first segment of the later part continues
//! the last segment of the earlier part unless it began at a marker; the reset rule and the
//! unwrapping are then applied to its first event exactly as a whole run would, and its
//! serials are shifted into the earlier part's unwrapped range. A silence across the
//! boundary is found from the earlier part's last event and the later part's first. So
//! merging consecutive parts gives the same coverage as one run over the whole input.

use crate::classify::{Fact, Kind, Outcome};
use crate::model::{RecordType, Source};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

mod budget;

pub use budget::{Budget, Limited};

/// Default silence threshold: 24 hours.
pub const DEFAULT_SILENCE_MS: i64 = 24 * 3600 * 1000;

/// Widest activity bucket for silences: the threshold itself is exact (a silence longer
/// than a bucket cannot hide inside one); a day keeps a host-month at about 31 buckets.
const BUCKET_MAX_MS: i64 = 86_400_000;

/// Narrowest activity bucket (thresholds below a minute are not meaningful).
const BUCKET_MIN_MS: i64 = 60_000;

/// The earliest and the latest event of one bucket of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Active {
    first: Point,
    last: Point,
}

impl Active {
    fn add(&mut self, p: Point) {
        if p.time_ms < self.first.time_ms {
            self.first = p;
        }
        if p.time_ms >= self.last.time_ms {
            self.last = p;
        }
    }

    fn absorb(&mut self, o: Active) {
        if o.first.time_ms < self.first.time_ms {
            self.first = o.first;
        }
        // Ties: the later part wins `last` (as `add` does), the earlier keeps `first`.
        if o.last.time_ms >= self.last.time_ms {
            self.last = o.last;
        }
    }
}

/// Past this much later log time, a lower serial is a reset, not reordering.
const REORDER_MS: i64 = 60_000;

/// Unwrapped serials start one 2^32 epoch up so a rollover backwards stays non-negative.
const EPOCH: u64 = 1 << 32;

/// One event as coverage sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    /// Event time, epoch ms.
    pub time_ms: i64,
    /// Event serial.
    pub serial: u32,
    /// Type of the event's first record.
    pub rtype: RecordType,
    /// Source of the event's first record.
    pub source: Source,
    /// The input group (log stream) the event was read from.
    #[serde(skip)]
    pub group: u32,
}

/// A silence between two consecutive events of a host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Silence {
    /// The last event before the silence.
    pub from: Point,
    /// The first event after it.
    pub to: Point,
    /// Length in ms.
    pub duration_ms: i64,
}

/// Why a serial segment started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentStart {
    /// The host's first event in the input.
    Input,
    /// A DAEMON_START.
    DaemonStart,
    /// A SYSTEM_BOOT.
    SystemBoot,
    /// A lower serial more than 60 s after the previous event.
    SerialReset,
    /// Events of the same host from another input (another log file, not a rotation of the
    /// previous one): serials are not compared across inputs, so a different serial range
    /// in another file is never taken for lost events.
    NewInput,
}

/// Serials missing between two events of one segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SerialGap {
    /// The serial before the gap.
    pub after_serial: u32,
    /// The serial after the gap.
    pub before_serial: u32,
    /// How many serials are missing.
    pub missing: u64,
    /// Source of the event with `after_serial`.
    pub after: Source,
    /// Source of the event with `before_serial`.
    pub before: Source,
    /// Time of the event with `after_serial`, epoch ms.
    pub after_ms: i64,
    /// Time of the event with `before_serial`, epoch ms.
    pub before_ms: i64,
    /// How the segment started.
    pub segment: SegmentStart,
}

/// A run of consecutive unwrapped serials, with the sources and times of its two ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    end: u64,
    first: Source,
    last: Source,
    first_ms: i64,
    last_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    start: SegmentStart,
    /// The input group of its events.
    group: u32,
    spans: BTreeMap<u64, Span>,
    /// (unwrapped serial, time) of the first and last serial-bearing event, input order.
    first: Option<(u64, i64)>,
    last: Option<(u64, i64)>,
}

impl Segment {
    fn new(start: SegmentStart, group: u32) -> Self {
        Segment {
            start,
            group,
            spans: BTreeMap::new(),
            first: None,
            last: None,
        }
    }

    /// Adds serial `ext`; false (nothing added) when it needs a new run of serials and the
    /// budget has none.
    fn add(&mut self, ext: u64, time_ms: i64, source: Source, budget: &mut Budget) -> bool {
        if !joins(&self.spans, ext) && !budget.take() {
            return false;
        }
        self.first.get_or_insert((ext, time_ms));
        self.last = Some((ext, time_ms));
        insert_span(
            &mut self.spans,
            ext,
            Span {
                end: ext,
                first: source,
                last: source,
                first_ms: time_ms,
                last_ms: time_ms,
            },
        );
        true
    }

    fn gaps(&self, out: &mut Vec<SerialGap>) {
        let mut prev: Option<(u64, &Span)> = None;
        for (&start, span) in &self.spans {
            if let Some((_, p)) = prev {
                out.push(SerialGap {
                    after_serial: p.end as u32,
                    before_serial: start as u32,
                    missing: start - p.end - 1,
                    after: p.last,
                    before: span.first,
                    after_ms: p.last_ms,
                    before_ms: span.first_ms,
                    segment: self.start,
                });
            }
            prev = Some((start, span));
        }
    }
}

/// The unwrapped value of `serial` nearest to `last`.
fn unwrap_serial(last: u64, serial: u32) -> u64 {
    let c = (last & !0xFFFF_FFFF) | u64::from(serial);
    [c.checked_sub(EPOCH), Some(c), c.checked_add(EPOCH)]
        .into_iter()
        .flatten()
        .min_by_key(|&v| v.abs_diff(last))
        .unwrap_or(c)
}

/// Where the next serial-bearing event goes: `None` = start a new (reset) segment.
fn continue_at(last: Option<(u64, i64)>, serial: u32, time_ms: i64) -> Option<u64> {
    let Some((last_ext, last_time)) = last else {
        return Some(EPOCH + u64::from(serial));
    };
    let ext = unwrap_serial(last_ext, serial);
    let reset = ext < last_ext && time_ms > last_time.saturating_add(REORDER_MS);
    (!reset).then_some(ext)
}

/// True when serial `ext` falls in or next to a run already in `map` (no new entry).
fn joins(map: &BTreeMap<u64, Span>, ext: u64) -> bool {
    let before = map
        .range(..=ext)
        .next_back()
        .is_some_and(|(_, p)| p.end.saturating_add(1) >= ext);
    let after = map
        .range(ext..)
        .next()
        .is_some_and(|(&ns, _)| ns <= ext.saturating_add(1));
    before || after
}

/// Inserts `span` starting at `start`, joining overlapping and adjacent spans. On equal ends
/// the span already present keeps its source (it came earlier in the input).
fn insert_span(map: &mut BTreeMap<u64, Span>, mut start: u64, mut span: Span) {
    if let Some((&ps, &p)) = map.range(..=start).next_back() {
        if p.end.saturating_add(1) >= start {
            map.remove(&ps);
            if ps <= start {
                (span.first, span.first_ms) = (p.first, p.first_ms);
            }
            start = ps;
            if p.end >= span.end {
                (span.last, span.last_ms) = (p.last, p.last_ms);
                span.end = p.end;
            }
        }
    }
    while let Some((&ns, &n)) = map.range(start..).next() {
        if ns > span.end.saturating_add(1) {
            break;
        }
        map.remove(&ns);
        if ns == start {
            (span.first, span.first_ms) = (n.first, n.first_ms);
        }
        if n.end >= span.end {
            (span.last, span.last_ms) = (n.last, n.last_ms);
            span.end = n.end;
        }
    }
    map.insert(start, span);
}

/// One entry of a host's daemon timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Time, epoch ms.
    pub time_ms: i64,
    /// What happened.
    pub kind: Kind,
    /// The record's result.
    pub result: Outcome,
    /// Who (auid display name), when stated.
    pub actor: Option<String>,
    /// Where.
    pub source: Source,
}

/// Smallest backwards step between consecutive serials that is kept as a [`ClockStep`].
pub const CLOCK_STEP_MS: i64 = 1000;

/// The clock going back between two events with consecutive serials (F-TIME-02): the kernel
/// numbered them in order, so the later one's earlier time is a clock step, not reordering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockStep {
    /// The event with serial n.
    pub before: Point,
    /// The event with serial n + 1.
    pub after: Point,
    /// How far back, ms (more than [`CLOCK_STEP_MS`]).
    pub back_ms: i64,
}

/// Coverage of one host.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostCoverage {
    events: u64,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    by_day: BTreeMap<NaiveDate, u64>,
    silences: Vec<Silence>,
    #[serde(
        rename = "serial_gaps",
        serialize_with = "serialize_gaps",
        deserialize_with = "deserialize_gaps"
    )]
    segments: Vec<Segment>,
    lost_events: u64,
    timeline: Vec<TimelineEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    clock_steps: Vec<ClockStep>,
    /// First and latest (input order) kernel-numbered events, for clock steps.
    #[serde(skip)]
    first_kernel: Option<Point>,
    #[serde(skip)]
    last_kernel: Option<Point>,
    /// Activity per bucket of time (key: bucket index), for silences.
    #[serde(skip)]
    active: BTreeMap<i64, Active>,
    /// The bucket events are arriving in (most events of a host arrive in time order).
    #[serde(skip)]
    hot: Option<(i64, Active)>,
    #[serde(skip)]
    bucket_ms: i64,
    /// What the coverage budget cut.
    #[serde(
        default,
        rename = "limit_reached",
        skip_serializing_if = "Limited::is_none"
    )]
    limited: Limited,
}

fn serialize_gaps<S: Serializer>(segments: &[Segment], s: S) -> Result<S::Ok, S::Error> {
    let mut gaps = Vec::new();
    for seg in segments {
        seg.gaps(&mut gaps);
    }
    gaps.serialize(s)
}

/// Serial gaps read back from a summary.json, as one segment per gap (two runs of serials
/// and the gap between them), so that [`HostCoverage::serial_gaps`] gives them again. The
/// segments' runs hold only their ends, which is all the gaps are made of.
fn deserialize_gaps<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Segment>, D::Error> {
    let gaps = Vec::<SerialGap>::deserialize(d)?;
    gaps.iter()
        .map(|g| {
            let after = EPOCH + u64::from(g.after_serial);
            let before = after
                .checked_add(g.missing)
                .and_then(|b| b.checked_add(1))
                .filter(|&b| b as u32 == g.before_serial)
                .ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "serial gap after {}: {} missing serials do not lead to {}",
                        g.after_serial, g.missing, g.before_serial
                    ))
                })?;
            let end = |ext: u64, at: Source, ms: i64| Span {
                end: ext,
                first: at,
                last: at,
                first_ms: ms,
                last_ms: ms,
            };
            Ok(Segment {
                start: g.segment,
                group: 0,
                spans: BTreeMap::from([
                    (after, end(after, g.after, g.after_ms)),
                    (before, end(before, g.before, g.before_ms)),
                ]),
                first: Some((after, g.after_ms)),
                last: Some((before, g.before_ms)),
            })
        })
        .collect()
}

impl HostCoverage {
    /// Counts one event of this host (on `day`, unless that day is past the day limit),
    /// taking new entries from `budget`.
    pub fn observe(
        &mut self,
        p: Point,
        day: Option<NaiveDate>,
        silence_ms: i64,
        budget: &mut Budget,
    ) {
        self.events += 1;
        self.first_ms = Some(self.first_ms.map_or(p.time_ms, |t| t.min(p.time_ms)));
        self.last_ms = Some(self.last_ms.map_or(p.time_ms, |t| t.max(p.time_ms)));
        if let Some(day) = day {
            match self.by_day.get_mut(&day) {
                Some(n) => *n += 1,
                None if budget.take() => {
                    self.by_day.insert(day, 1);
                }
                None => self.limited.days = true,
            }
        }
        self.note_active(p, silence_ms, Some(&mut *budget));
        if !self.limited.serials {
            self.observe_serial(p, budget);
        }
    }

    /// Serial segments and clock steps; stops for good (`limited.serials`) when the budget
    /// refuses an entry, since a partial set of serials would show gaps that are not.
    fn observe_serial(&mut self, p: Point, budget: &mut Budget) {
        let start = match p.rtype {
            RecordType::DAEMON_START => Some(SegmentStart::DaemonStart),
            RecordType::SYSTEM_BOOT => Some(SegmentStart::SystemBoot),
            t if (1200..=1299).contains(&t.0) => return,
            _ => None,
        };
        if let Some(start) = start {
            if !self.new_segment(start, p.group, budget) || p.rtype == RecordType::DAEMON_START {
                return;
            }
        }
        if let Some(prev) = self.last_kernel {
            self.check_step(prev, p, Some(&mut *budget));
        }
        self.first_kernel.get_or_insert(p);
        self.last_kernel = Some(p);
        let start = match self.segments.last() {
            None => Some(SegmentStart::Input),
            Some(seg) if seg.group != p.group => Some(SegmentStart::NewInput),
            Some(_) => None,
        };
        if let Some(start) = start {
            if !self.new_segment(start, p.group, budget) {
                return;
            }
        }
        let seg = self.segments.last_mut().expect("pushed above");
        let added = match continue_at(seg.last, p.serial, p.time_ms) {
            Some(ext) => seg.add(ext, p.time_ms, p.source, budget),
            None => {
                self.new_segment(SegmentStart::SerialReset, p.group, budget)
                    && self.segments.last_mut().expect("pushed above").add(
                        EPOCH + u64::from(p.serial),
                        p.time_ms,
                        p.source,
                        budget,
                    )
            }
        };
        if !added {
            self.stop_serials();
        }
    }

    /// Gives up serial gaps for this host: a partial set of serials would show gaps that
    /// are not.
    fn stop_serials(&mut self) {
        self.limited.serials = true;
        self.segments = Vec::new();
    }

    /// Starts a segment; false (serials no longer followed) when the budget is spent.
    fn new_segment(&mut self, start: SegmentStart, group: u32, budget: &mut Budget) -> bool {
        if budget.take() {
            self.segments.push(Segment::new(start, group));
            true
        } else {
            self.stop_serials();
            false
        }
    }

    fn note_active(&mut self, p: Point, silence_ms: i64, budget: Option<&mut Budget>) {
        if self.bucket_ms == 0 {
            self.bucket_ms = silence_ms.clamp(BUCKET_MIN_MS, BUCKET_MAX_MS);
        }
        let key = p.time_ms.div_euclid(self.bucket_ms);
        match &mut self.hot {
            Some((k, a)) if *k == key => a.add(p),
            _ => {
                self.flush_hot(budget);
                self.hot = Some((key, Active { first: p, last: p }));
            }
        }
    }

    /// Moves the hot bucket into the map, taking an entry from `budget` when it is a new
    /// bucket (`None`: no budget applies, as when a summary is complete).
    fn flush_hot(&mut self, budget: Option<&mut Budget>) {
        if let Some((k, a)) = self.hot.take() {
            match self.active.get_mut(&k) {
                Some(b) => b.absorb(a),
                None if budget.is_none_or(Budget::take) => {
                    self.active.insert(k, a);
                }
                None => self.limited.activity = true,
            }
        }
    }

    /// Computes the silences longer than `silence_ms` from the activity buckets; called
    /// when the summary is complete and after a merge. None when buckets were lost to the
    /// budget.
    pub fn settle(&mut self, silence_ms: i64) {
        self.flush_hot(None);
        self.silences.clear();
        if self.limited.activity {
            return;
        }
        let mut prev: Option<&Active> = None;
        for a in self.active.values() {
            if let Some(p) = prev {
                let gap = a.first.time_ms.saturating_sub(p.last.time_ms);
                if gap > silence_ms {
                    self.silences.push(Silence {
                        from: p.last,
                        to: a.first,
                        duration_ms: gap,
                    });
                }
            }
            prev = Some(a);
        }
    }

    fn check_step(&mut self, prev: Point, next: Point, budget: Option<&mut Budget>) {
        // Clocks are compared only within one input: another log of the same host may
        // cover another time range.
        if prev.group != next.group {
            return;
        }
        let back = prev.time_ms.saturating_sub(next.time_ms);
        if next.serial == prev.serial.wrapping_add(1) && back > CLOCK_STEP_MS {
            if !budget.is_none_or(Budget::take) {
                self.limited.clock_steps = true;
                return;
            }
            self.clock_steps.push(ClockStep {
                before: prev,
                after: next,
                back_ms: back,
            });
        }
    }

    /// Records a daemon or system lifecycle fact of this host, when `budget` allows.
    pub fn add_timeline(&mut self, fact: &Fact, budget: &mut Budget) {
        if !budget.take() {
            self.limited.timeline = true;
            return;
        }
        self.timeline.push(TimelineEntry {
            time_ms: fact.time_ms,
            kind: fact.kind,
            result: fact.result,
            actor: fact.auid.as_ref().map(|p| p.name.to_string()),
            source: fact.source,
        });
    }

    /// Adds events the kernel reported lost (a `lost=0 old=N` reset).
    pub fn add_lost(&mut self, n: u64) {
        self.lost_events += n;
    }

    /// Adds `other` (a later part of the input) after `self`.
    pub fn merge(&mut self, other: &HostCoverage, silence_ms: i64) {
        self.events += other.events;
        self.first_ms = min_opt(self.first_ms, other.first_ms, i64::min);
        self.last_ms = min_opt(self.last_ms, other.last_ms, i64::max);
        for (d, n) in &other.by_day {
            *self.by_day.entry(*d).or_default() += n;
        }
        self.limited.or(other.limited);
        self.flush_hot(None);
        if self.bucket_ms == 0 {
            self.bucket_ms = other.bucket_ms;
        }
        let mut theirs = other.active.clone();
        if let Some((k, a)) = other.hot {
            theirs.entry(k).and_modify(|b| b.absorb(a)).or_insert(a);
        }
        if self.bucket_ms == other.bucket_ms || other.bucket_ms == 0 {
            for (k, a) in theirs {
                self.active
                    .entry(k)
                    .and_modify(|b| b.absorb(a))
                    .or_insert(a);
            }
        } else {
            // Different bucket widths (different thresholds): re-bucket theirs.
            for a in theirs.into_values() {
                for p in [a.first, a.last] {
                    self.note_active(p, silence_ms, None);
                }
            }
            self.flush_hot(None);
        }
        if let (Some(prev), Some(next)) = (self.last_kernel, other.first_kernel) {
            self.check_step(prev, next, None);
        }
        self.clock_steps.extend(other.clock_steps.iter().cloned());
        self.first_kernel = self.first_kernel.or(other.first_kernel);
        self.last_kernel = other.last_kernel.or(self.last_kernel);
        self.lost_events += other.lost_events;
        self.timeline.extend(other.timeline.iter().cloned());
        self.merge_segments(&other.segments);
        self.settle(silence_ms);
    }

    fn merge_segments(&mut self, others: &[Segment]) {
        let mut rest = others;
        if let (Some(first), Some(mine)) = (others.first(), self.segments.last_mut()) {
            if first.start == SegmentStart::Input && first.group != mine.group {
                rest = &others[1..];
                let mut seg = first.clone();
                seg.start = SegmentStart::NewInput;
                self.segments.push(seg);
            } else if first.start == SegmentStart::Input {
                rest = &others[1..];
                let (ext0, t0) = first.first.expect("input segments start with an event");
                match continue_at(mine.last, ext0 as u32, t0) {
                    Some(target) => absorb(mine, first, target as i128 - ext0 as i128),
                    None => {
                        let mut seg = first.clone();
                        seg.start = SegmentStart::SerialReset;
                        self.segments.push(seg);
                    }
                }
            }
        }
        self.segments.extend(rest.iter().cloned());
    }

    /// Marks silences and serial gaps as not computed: the host's coverage was merged from
    /// summaries read back, which hold neither the activity nor the serial runs at their
    /// boundary ([`super::combine`]).
    pub(super) fn forget_gaps(&mut self) {
        self.limited.activity = true;
        self.limited.serials = true;
        self.silences.clear();
    }

    /// Events of this host.
    pub fn events(&self) -> u64 {
        self.events
    }
    /// Earliest event time.
    pub fn first_ms(&self) -> Option<i64> {
        self.first_ms
    }
    /// Latest event time.
    pub fn last_ms(&self) -> Option<i64> {
        self.last_ms
    }
    /// Events per local day.
    pub fn by_day(&self) -> &BTreeMap<NaiveDate, u64> {
        &self.by_day
    }
    /// Silences longer than the threshold.
    pub fn silences(&self) -> &[Silence] {
        &self.silences
    }
    /// What the coverage budget cut for this host.
    pub fn limited(&self) -> Limited {
        self.limited
    }
    /// Serial gaps, segment by segment (none when serials were cut by the budget:
    /// [`HostCoverage::limited`]).
    pub fn serial_gaps(&self) -> Vec<SerialGap> {
        let mut gaps = Vec::new();
        for seg in &self.segments {
            seg.gaps(&mut gaps);
        }
        gaps
    }
    /// Backwards clock steps between consecutive serials, in input order.
    pub fn clock_steps(&self) -> &[ClockStep] {
        &self.clock_steps
    }
    /// Events reported lost by `lost=` counter resets.
    pub fn lost_events(&self) -> u64 {
        self.lost_events
    }
    /// Daemon starts, stops, aborts, resumes, errors; boots and shutdowns; auditd service
    /// starts and stops.
    pub fn timeline(&self) -> &[TimelineEntry] {
        &self.timeline
    }
}

fn min_opt(a: Option<i64>, b: Option<i64>, f: fn(i64, i64) -> i64) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(f(x, y)),
        (x, y) => x.or(y),
    }
}

/// Moves the spans of `seg` (shifted by `offset`) into `mine`.
fn absorb(mine: &mut Segment, seg: &Segment, offset: i128) {
    let shift = |v: u64| (v as i128 + offset).clamp(0, u64::MAX as i128) as u64;
    for (&start, span) in &seg.spans {
        let s = Span {
            end: shift(span.end),
            ..*span
        };
        insert_span(&mut mine.spans, shift(start), s);
    }
    if mine.first.is_none() {
        mine.first = seg.first.map(|(e, t)| (shift(e), t));
    }
    mine.last = seg.last.map(|(e, t)| (shift(e), t));
}

/// True for facts that go on a host's daemon timeline.
pub(crate) fn is_timeline(fact: &Fact) -> bool {
    use Kind::*;
    match fact.kind {
        DaemonStart | DaemonEnd | DaemonAbort | DaemonResume | DaemonError | SystemBoot
        | SystemShutdown => true,
        ServiceStart | ServiceStop => matches!(
            &fact.detail,
            crate::classify::Detail::Service { unit: Some(u) } if u == "auditd"
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
