//! Tests of [`super`]: grouping, completion, limits and recycling.

use super::*;
use crate::model::FileId;
use crate::parse::record::parse_record;

type Seen = Vec<(String, Vec<String>, Completion, bool)>;

fn run(lines: &[&str], opts: AssembleOptions) -> (Seen, AssembleStats) {
    let mut out = Vec::new();
    let mut sink = |ev: &Event| {
        let types = ev
            .record_meta()
            .iter()
            .map(|r| r.rtype.to_string())
            .collect();
        let s = ev.stamp();
        out.push((
            format!("{}.{:03}:{}", s.sec, s.ms, s.serial),
            types,
            ev.completion(),
            ev.is_split(),
        ));
    };
    let text = lines.join("\n");
    let stats = crate::parse::each_event(text.as_bytes(), opts, &mut sink);
    assert_eq!(stats.records, lines.len() as u64, "every line is a record");
    (out, stats)
}

#[test]
fn groups_until_eoe_and_passes_standalone_records() {
    let (ev, st) = run(
        &[
            "type=SYSCALL msg=audit(10.000:1): a=1",
            "type=USER_LOGIN msg=audit(10.000:2): msg='res=success'",
            "type=PATH msg=audit(10.000:1): b=2",
            "type=EOE msg=audit(10.000:1): ",
        ],
        AssembleOptions::default(),
    );
    assert_eq!(ev[0].0, "10.000:2");
    assert_eq!(ev[0].2, Completion::Standalone);
    assert_eq!(ev[1].1, vec!["SYSCALL", "PATH", "EOE"]);
    assert_eq!(ev[1].2, Completion::Eoe);
    assert_eq!(st.records, 4);
    assert_eq!(st.events, 2);
}

#[test]
fn timeout_completes_events_without_eoe() {
    let (ev, _) = run(
        &[
            "type=SYSCALL msg=audit(10.000:1): a=1",
            "type=PATH msg=audit(10.000:1): b=2",
            "type=SYSCALL msg=audit(11.000:2): a=1",
            "type=SYSCALL msg=audit(12.500:3): a=1",
            "type=PATH msg=audit(10.000:1): late=1",
        ],
        AssembleOptions::default(),
    );
    assert_eq!(ev[0].1, vec!["SYSCALL", "PATH"]);
    assert_eq!(ev[0].2, Completion::Timeout);
    // The late record forms its own, split event.
    let late = ev.iter().find(|e| e.3).unwrap();
    assert_eq!(late.0, "10.000:1");
    assert_eq!(late.1, vec!["PATH"]);
    assert_eq!(ev.len(), 4);
}

#[test]
fn nodes_and_groups_are_separate_events() {
    let (ev, _) = run(
        &[
            "node=a type=SYSCALL msg=audit(10.000:1): a=1",
            "node=b type=SYSCALL msg=audit(10.000:1): a=1",
            "type=SYSCALL msg=audit(10.000:1): a=1",
            "node=a type=EOE msg=audit(10.000:1): ",
        ],
        AssembleOptions::default(),
    );
    assert_eq!(ev.len(), 3);
    assert_eq!(ev[0].1, vec!["SYSCALL", "EOE"]);
}

#[test]
fn eviction_bounds_open_events() {
    let lines: Vec<String> = (0..100)
        .map(|i| format!("type=SYSCALL msg=audit(10.000:{i}): a=1"))
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let opts = AssembleOptions {
        max_open: 10,
        ..Default::default()
    };
    let (ev, st) = run(&refs, opts);
    assert_eq!(ev.len(), 100);
    assert_eq!(st.evicted, 90);
    assert_eq!(st.max_open, 11);
}

#[test]
fn open_bytes_are_bounded_by_evicting_the_oldest() {
    // 50 events open at once, each growing by 20 records of 1 KB.
    let pad = "x".repeat(1000);
    let mut lines = Vec::new();
    for round in 0..20 {
        for serial in 1..=50 {
            lines.push(format!(
                "type=PATH msg=audit(10.000:{serial}): item={round} name=\"{pad}\""
            ));
        }
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let opts = AssembleOptions {
        max_open_bytes: 64 << 10,
        ..Default::default()
    };
    let mut asm = Assembler::new(opts);
    let mut most = 0;
    let mut records = 0;
    let mut sink = |ev: &Event| records += ev.len();
    for (i, l) in refs.iter().enumerate() {
        let rec = parse_record(l.as_bytes()).unwrap();
        let src = Source {
            file: FileId(0),
            line: i as u64 + 1,
        };
        asm.push(&rec, l.as_bytes(), src, 0, &mut sink);
        most = most.max(asm.open_bytes);
    }
    asm.finish(&mut sink);
    assert!(most <= 64 << 10, "{most} bytes open");
    assert!(asm.stats().evicted > 0);
    assert_eq!(records, 1000, "every record in some event");
    assert_eq!(asm.open_bytes, 0);
}

#[test]
fn state_does_not_grow_with_nodes() {
    let mut asm = Assembler::new(AssembleOptions::default());
    let mut events = 0;
    let mut sink = |_: &Event| events += 1;
    for i in 0..20_000u64 {
        for ty in ["SYSCALL", "EOE"] {
            let l = format!("node=h{i} type={ty} msg=audit(10.000:1): a=1");
            let rec = parse_record(l.as_bytes()).unwrap();
            let src = Source {
                file: FileId(0),
                line: i,
            };
            asm.push(&rec, l.as_bytes(), src, 0, &mut sink);
        }
        // Stale heap entries of completed events are dropped as they pile up.
        assert!(
            asm.clocks.len() <= 4 * 1024 + 1,
            "{} clocks",
            asm.clocks.len()
        );
        assert!(asm.clock_entries <= 4 * 1024 + 1);
    }
    asm.finish(&mut sink);
    assert_eq!(events, 20_000);
    assert_eq!(asm.open_events(), 0);
}

#[test]
fn serial_rollover_keeps_events_apart() {
    let (ev, _) = run(
        &[
            "type=SYSCALL msg=audit(10.000:4294967295): a=1",
            "type=SYSCALL msg=audit(10.001:0): a=1",
            "type=EOE msg=audit(10.000:4294967295): ",
            "type=EOE msg=audit(10.001:0): ",
        ],
        AssembleOptions::default(),
    );
    assert_eq!(ev.len(), 2);
    assert!(ev.iter().all(|e| e.1.len() == 2));
}
