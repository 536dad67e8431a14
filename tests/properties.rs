//! Properties: arbitrary bytes never panic; splitting input at any line (as a rotation
//! boundary) assembles the same events.

use crate::common::{read_paths, write};
use auditrail::parse::decode::decoded;
use auditrail::parse::{each_event, AssembleOptions, Event, Fields};
use proptest::prelude::*;

/// Cases per property: the given default, or `PROPTEST_CASES` for a longer local run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn exercise(bytes: &[u8]) -> u64 {
    let opts = AssembleOptions {
        max_open: 16,
        ..Default::default()
    };
    let mut seen = 0u64;
    let mut sink = |ev: &Event| {
        for (rec, _) in ev.records() {
            for f in Fields::body(rec.body).chain(Fields::enriched(rec.enriched)) {
                let _ = decoded(&f, rec.rtype);
            }
        }
        seen += ev.len() as u64;
    };
    let records = each_event(bytes, opts, &mut sink).records;
    assert_eq!(seen, records, "every record lands in exactly one event");
    records
}

/// Fragments that make random lines look like audit records often enough to matter.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"type=SYSCALL ".to_vec()),
        Just(b"type=EOE ".to_vec()),
        Just(b"type=USER_LOGIN ".to_vec()),
        Just(b"node=h1 ".to_vec()),
        Just(b"msg=audit(1700000000.123:7): ".to_vec()),
        Just(b"msg=audit(1700000001:8): ".to_vec()),
        Just(b"msg='op=x acct=\"a b\" res=failed'".to_vec()),
        Just(b"avc:  denied  { read } for ".to_vec()),
        Just(b"a0=2F62696E a1[0]=41 ".to_vec()),
        Just(b"SADDR={ x { y } ".to_vec()),
        Just(vec![0x1d]),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"'\"{}()=".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"msg='op=".to_vec()),
        Just(b"(hostname=?, ".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..12),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(512), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        exercise(&bytes);
    }

    #[test]
    fn audit_like_fragments_never_panic(parts in proptest::collection::vec(fragment(), 0..64)) {
        exercise(&parts.concat());
    }
}

/// A random but well-formed log: interleaved multi-record events of two nodes, some
/// standalone records, some events without EOE.
fn log_lines() -> impl Strategy<Value = Vec<String>> {
    let event = (
        0u32..2,
        0u64..40,
        0u16..3,
        1usize..5,
        any::<bool>(),
        any::<bool>(),
    );
    proptest::collection::vec(event, 1..40).prop_map(|events| {
        let mut lines = Vec::new();
        for (i, (node, dt, ms, n, eoe, standalone)) in events.into_iter().enumerate() {
            let stamp = format!("msg=audit({}.{:03}:{}):", 1_700_000_000 + dt, ms, 100 + i);
            let node = format!("node=h{node}");
            if standalone {
                lines.push(format!(
                    "{node} type=USER_AUTH {stamp} pid=1 msg='op=x res=success'"
                ));
                continue;
            }
            lines.push(format!(
                "{node} type=SYSCALL {stamp} syscall=59 success=yes"
            ));
            for k in 1..n {
                lines.push(format!("{node} type=PATH {stamp} item={k} name=\"/x\""));
            }
            if eoe {
                lines.push(format!("{node} type=EOE {stamp} "));
            }
        }
        lines
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(64), ..ProptestConfig::default() })]

    #[test]
    fn splitting_at_any_line_assembles_the_same_events(lines in log_lines(), cut in any::<prop::sample::Index>()) {
        let dir = tempfile::tempdir().unwrap();
        let whole = lines.join("\n") + "\n";
        let at = cut.index(lines.len() + 1);
        let (a, b) = lines.split_at(at);
        let one = write(dir.path(), "one.log", whole.as_bytes());
        let sub = dir.path().join("rotated");
        std::fs::create_dir(&sub).unwrap();
        write(&sub, "audit.log.1", (a.join("\n") + "\n").as_bytes());
        write(&sub, "audit.log", (b.join("\n") + "\n").as_bytes());
        let (mut whole_events, q1) = read_paths(&[one]);
        let (mut split_events, q2) = read_paths(&[sub]);
        whole_events.sort();
        split_events.sort();
        prop_assert_eq!(q1.records, q2.records);
        prop_assert_eq!(whole_events, split_events);
    }
}
