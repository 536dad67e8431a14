//! The fuzz harness that stays: real log lines, mutated the way damaged or hostile logs
//! are (byte flips, splices of two lines, extreme stamps, huge fields, NULs, invalid UTF-8,
//! truncation), run through the whole pipeline: reading (lines -> records -> events with
//! input quality), classification and aggregation into a summary over two periods, every
//! finding rule, the report's view model and its CSV files, the summary as `compare` reads
//! it back, and the comparison as text.
//!
//! Each case asserts that nothing panics, that every line is accounted for
//! (`lines == records + rejected + blank`, and as many lines as were written), that the
//! summary auditrail writes passes the check `compare` applies to a summary.json, and that
//! the CSV files and the text carry no raw control, bidi or zero-width character.
//!
//! The lines come from the real-log corpus (`../shared/corpus`); when it is absent (a
//! user's clone) the harness says so and mutates the lines of `samples/` instead.
//!
//! Cases: 96 by default (a few seconds in a debug build, for CI); `AUDITRAIL_FUZZ_CASES`
//! for a long run, with overflow checks kept on in the release build:
//! `CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true AUDITRAIL_FUZZ_CASES=1000000 cargo test
//! --release --test tests fuzz::` (docs/testing.md has the figures).

use crate::common::root;
use auditrail::aggregate::{Aggregator, Summary};
use auditrail::classify::NameResolver;
use auditrail::compare::{load, view::SummaryView, Comparison, Threshold};
use auditrail::findings::evaluate;
use auditrail::input;
use auditrail::parse::reader::read_ranges;
use auditrail::parse::{read_events, AssembleOptions, Event, InputQuality, ReadOptions};
use auditrail::period::Period;
use auditrail::render::inert::is_hidden;
use auditrail::render::text::compare as text;
use auditrail::report::{build_report, ReportInputs, ReportMeta};
use auditrail::site::SiteConfig;
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Cases per run: `AUDITRAIL_FUZZ_CASES`, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("AUDITRAIL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn log_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            log_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "log") {
            out.push(p);
        }
    }
}

/// Every distinct non-blank line of the corpus, or of `samples/` without it.
fn pool() -> &'static [Vec<u8>] {
    static POOL: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let corpus = root().join("../shared/corpus");
        let dir = if corpus.is_dir() {
            corpus
        } else {
            eprintln!(
                "fuzz: ../shared/corpus is not present (it is only on the developers' \
                 machines); mutating the lines of samples/ instead"
            );
            root().join("samples")
        };
        let mut files = Vec::new();
        log_files(&dir, &mut files);
        let mut lines: Vec<Vec<u8>> = files
            .iter()
            .flat_map(|f| {
                let bytes = std::fs::read(f).unwrap();
                bytes
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                    .map(<[u8]>::to_vec)
                    .collect::<Vec<_>>()
            })
            .collect();
        lines.sort();
        lines.dedup();
        assert!(
            lines.len() > 100,
            "{}: only {} lines",
            dir.display(),
            lines.len()
        );
        lines
    })
}

/// Stamps at and past the edges: the largest accepted seconds with every millisecond
/// (whose milliseconds do not fit in an i64 past .807), zero, overflowing fields, empty
/// and malformed parts.
const STAMPS: &[&str] = &[
    "9223372036854775.999:2",
    "9223372036854775.807:4294967295",
    "9223372036854775.808:1",
    "9223372036854776.000:1",
    "18446744073709551615.999:1",
    "0.000:0",
    "0:0",
    "253402300799.999:1",
    "253402300800.000:1",
    "1790812800.000:4294967296",
    "1790812800.5:",
    "1790812800.:1",
    ".000:1",
    "-1.000:1",
    "1790812800.0000:1",
    "",
    "1790812800.000:1:2",
    "1e9.000:1",
];

/// Bytes worth inserting: NUL, invalid UTF-8 (lone continuation, truncated sequence,
/// overlong, surrogate), controls, separators a field parser cares about.
const BYTES: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"\x80",
    b"\xc3",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xe2\x80\xae",
    b"\x1b[2J",
    b"\x1d",
    b"\r",
    b"'",
    b"\"",
    b"=",
    b" ",
    b"{",
    b"}",
    b"(",
    b")",
    b":",
    b"msg=audit(",
    b"type=",
    b"node=",
    b"#035",
];

/// One change to a line.
#[derive(Clone, Debug)]
enum Mutation {
    /// Flip bit `bit` of the byte at `at`.
    Flip(Index, u8),
    /// Put `BYTES[what]` at `at`.
    Insert(Index, Index),
    /// This line's start up to `at`, then another line's rest from `from`.
    Splice(Index, Index, Index),
    /// Replace the text inside `audit(...)` with `STAMPS[which]` (or append a record with it).
    Stamp(Index),
    /// Put a field of `len` bytes (`x=AAAA...` or hex) at `at`.
    Huge(Index, usize, bool),
    /// Cut the line at `at`.
    Truncate(Index),
    /// Repeat the line (a duplicated record).
    Repeat,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), 0u8..8).prop_map(|(a, b)| Mutation::Flip(a, b)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(a, w)| Mutation::Insert(a, w)),
        3 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(a, o, f)| Mutation::Splice(a, o, f)),
        3 => any::<Index>().prop_map(Mutation::Stamp),
        1 => (any::<Index>(), 1usize..70_000, any::<bool>())
            .prop_map(|(a, n, hex)| Mutation::Huge(a, n, hex)),
        2 => any::<Index>().prop_map(Mutation::Truncate),
        1 => Just(Mutation::Repeat),
    ]
}

fn apply(line: &mut Vec<u8>, m: &Mutation, lines: &[Vec<u8>]) -> Option<Vec<u8>> {
    let at = |i: &Index, line: &[u8]| i.index(line.len() + 1);
    match m {
        Mutation::Flip(i, bit) if !line.is_empty() => {
            let k = i.index(line.len());
            line[k] ^= 1 << bit;
        }
        Mutation::Flip(..) => {}
        Mutation::Insert(i, what) => {
            let k = at(i, line);
            let b = BYTES[what.index(BYTES.len())];
            line.splice(k..k, b.iter().copied());
        }
        Mutation::Splice(i, other, from) => {
            let o = &lines[other.index(lines.len())];
            let k = at(i, line);
            let f = from.index(o.len() + 1);
            line.truncate(k);
            line.extend_from_slice(&o[f..]);
        }
        Mutation::Stamp(which) => {
            let stamp = STAMPS[which.index(STAMPS.len())].as_bytes();
            let open = line.windows(6).position(|w| w == b"audit(").map(|p| p + 6);
            let close = open.and_then(|o| line[o..].iter().position(|&b| b == b')').map(|c| o + c));
            match (open, close) {
                (Some(o), Some(c)) => {
                    line.splice(o..c, stamp.iter().copied());
                }
                _ => {
                    let rec = format!(
                        "type=USER_LOGIN msg=audit({}): pid=1 uid=0 auid=1000 msg='op=login \
                         acct=\"root\" exe=\"/usr/sbin/sshd\" addr=192.0.2.1 res=success'",
                        String::from_utf8_lossy(stamp)
                    );
                    *line = rec.into_bytes();
                }
            }
        }
        Mutation::Huge(i, n, hex) => {
            let k = at(i, line);
            let mut field = b" big=".to_vec();
            field.extend(std::iter::repeat_n(if *hex { b'4' } else { b'A' }, *n));
            field.push(b' ');
            line.splice(k..k, field);
        }
        Mutation::Truncate(i) => {
            let k = at(i, line);
            line.truncate(k);
        }
        Mutation::Repeat => return Some(line.clone()),
    }
    None
}

/// A log of real lines, each changed by a few mutations, and how it ends.
fn log() -> impl Strategy<Value = (Vec<(Index, Vec<Mutation>)>, bool)> {
    (
        proptest::collection::vec(
            (any::<Index>(), proptest::collection::vec(mutation(), 0..4)),
            1..24,
        ),
        any::<bool>(),
    )
}

fn build(spec: &[(Index, Vec<Mutation>)], final_newline: bool) -> Vec<u8> {
    let lines = pool();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for (pick, muts) in spec {
        let mut line = lines[pick.index(lines.len())].clone();
        let mut extra = Vec::new();
        for m in muts {
            extra.extend(apply(&mut line, m, lines));
        }
        out.push(line);
        out.extend(extra);
    }
    let mut bytes = out.join(&b'\n');
    if final_newline {
        bytes.push(b'\n');
    }
    bytes
}

/// Lines as the reader counts them: split at `\n`, a last line without one counted when
/// it is not empty.
fn expected_lines(bytes: &[u8]) -> u64 {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    newlines + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n"))
}

fn october() -> Period {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-15T00:00:00Z").unwrap();
    Period::parse("2026-10", chrono_tz::UTC, now.into()).unwrap()
}

/// Read in byte ranges of 64 bytes, the log gives the input quality and (merged, when no
/// limit was reached) the summaries of one read; or the ranges are left to one read.
fn same_in_byte_ranges(
    set: &input::InputSet,
    opts: ReadOptions,
    q: &InputQuality,
    whole: [&Summary; 2],
) {
    let opts = ReadOptions {
        threads: 2,
        range_bytes: Some(64),
        ..opts
    };
    let make = || {
        [
            Aggregator::new(Period::unbounded(chrono_tz::UTC), NameResolver::empty()),
            Aggregator::new(october(), NameResolver::empty()),
        ]
    };
    let feed = |aggs: &mut [Aggregator; 2], ev: &Event| {
        for a in aggs.iter_mut() {
            a.add_event(ev);
        }
    };
    let Some((q2, parts)) = read_ranges(set, &opts, |_, _| make(), feed, &mut |_| {}).unwrap()
    else {
        return;
    };
    assert_eq!(
        serde_json::to_string(q).unwrap(),
        serde_json::to_string(&q2).unwrap(),
        "input quality in byte ranges"
    );
    let mut merged: Option<[Summary; 2]> = None;
    for part in parts {
        let part = part.map(Aggregator::into_summary);
        match &mut merged {
            None => merged = Some(part),
            Some(m) => {
                for (m, p) in m.iter_mut().zip(&part) {
                    m.merge(p);
                }
            }
        }
    }
    for (m, w) in merged.expect("parts").iter().zip(whole) {
        if m.limits_reached().is_empty() {
            assert_eq!(
                serde_json::to_string(m).unwrap(),
                serde_json::to_string(w).unwrap()
            );
        }
    }
}

/// Everything one log goes through; panics (failing the case) on any broken promise.
fn pipeline(path: &Path, bytes: &[u8], max_line: usize) {
    std::fs::write(path, bytes).unwrap();
    let set = input::collect(&[path.to_path_buf()]).unwrap();
    let opts = ReadOptions {
        assemble: AssembleOptions {
            max_open: 8,
            max_event_bytes: 64 << 10,
            ..AssembleOptions::default()
        },
        max_line,
        keep_evidence: false,
        line_index: false,
        // Small, so the node limit is crossed too.
        max_nodes: 4,
        threads: 1,
        range_bytes: None,
    };
    let mut aggs = [
        Aggregator::new(Period::unbounded(chrono_tz::UTC), NameResolver::empty()),
        Aggregator::new(october(), NameResolver::empty()),
    ];
    let mut sink = |ev: &Event| {
        for a in aggs.iter_mut() {
            a.add_event(ev);
        }
    };
    let q = read_events(&set, &opts, &mut sink).unwrap();
    assert!(q.is_balanced(), "lines not accounted for: {q:?}");
    assert_eq!(q.lines, expected_lines(bytes), "{q:?}");
    let site = SiteConfig::default();
    let [all, month] = aggs.map(Aggregator::into_summary);
    same_in_byte_ranges(&set, opts, &q, [&all, &month]);
    let mut values = Vec::new();
    for summary in [&all, &month] {
        let outcomes = evaluate(summary, &site, &[]);
        assert!(!outcomes.is_empty());
        let value = match load::from_reader(serde_json::to_vec(summary).unwrap().as_slice()) {
            Ok(v) => v,
            Err(e) => panic!("a summary auditrail wrote fails its own check: {e:?}"),
        };
        assert_eq!(value, SummaryView::of(summary));
        values.push(value);
    }
    let c = Comparison::new(&values[0], &values[1], Threshold::default());
    assert_inert("compare text", &text::render(&c), &['\n']);
    let period = october();
    let report = build_report(ReportInputs {
        summary: &month,
        quality: &q,
        period: &period,
        input_hashes: &[None],
        meta: ReportMeta {
            title: "fuzz".into(),
            organization: None,
            reviewer: None,
            approver: None,
            generated_at: "2026-11-02T00:00:00Z".into(),
            options: Vec::new(),
            policies: Vec::new(),
            no_evidence: None,
            policy_choice: String::new(),
        },
        controls: None,
        findings: Vec::new(),
        sources_with_host: false,
    });
    for file in auditrail::render::csv::render(&report, false).unwrap() {
        let text = String::from_utf8(file.bytes).unwrap();
        assert_inert(&file.name, &text, &['\n', '\t']);
    }
}

/// Fails when `text` holds a hidden character other than `allowed` (the line breaks and,
/// in CSV, tabs that the writer itself puts there or keeps).
fn assert_inert(what: &str, text: &str, allowed: &[char]) {
    if let Some(c) = text
        .chars()
        .find(|&c| is_hidden(c) && !allowed.contains(&c))
    {
        panic!("{what}: raw {c:?} in\n{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(96), ..ProptestConfig::default() })]

    #[test]
    fn mutated_corpus_lines_never_panic_and_every_line_is_accounted_for(
        (spec, final_newline) in log(),
        max_line in prop_oneof![Just(16usize << 20), 64usize..4096],
    ) {
        thread_local! {
            static DIR: tempfile::TempDir = tempfile::tempdir().unwrap();
        }
        let bytes = build(&spec, final_newline);
        DIR.with(|d| pipeline(&d.path().join("audit.log"), &bytes, max_line));
    }
}

/// The shapes of issue 10's first report, always run: a successful login at the largest
/// stamp with a failed login nearby, and the zero stamp, through the whole pipeline.
#[test]
fn extreme_stamps_run_through_the_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let login = |stamp: &str, res: &str| {
        format!(
            "type=USER_LOGIN msg=audit({stamp}): pid=1 uid=0 auid=1000 ses=1 msg='op=login \
             acct=\"alice\" exe=\"/usr/sbin/sshd\" addr=192.0.2.1 terminal=ssh res={res}'\n"
        )
    };
    for stamp in STAMPS {
        let log = login("1790812800.000:1", "failed") + &login(stamp, "success");
        pipeline(&dir.path().join("audit.log"), log.as_bytes(), 16 << 20);
    }
}
