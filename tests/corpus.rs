//! Every file of the real-log corpus (../shared/corpus): no panic, every line accounted for,
//! and events equal to the distinct (node, stamp, serial) keys except documented splits.

use crate::common::{corpus_dir, read_paths};
use auditrail::parse::parse_record;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "log") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
#[cfg_attr(
    not(auditrail_corpus),
    ignore = "needs ../shared/corpus (developers' machines and CI)"
)]
fn every_corpus_file_reads_completely() {
    let Some(dir) = corpus_dir() else { return };
    let files = corpus_files(&dir);
    assert!(
        files.len() >= 100,
        "expected the 132-file corpus, found {}",
        files.len()
    );
    let mut rejected_files = Vec::new();
    for file in &files {
        let (events, q) = read_paths(std::slice::from_ref(file));
        assert!(
            q.is_balanced(),
            "{}: lines not accounted for: {q:?}",
            file.display()
        );

        // Independent count: distinct keys over the lines that parse.
        let text = std::fs::read(file).unwrap();
        let mut keys = BTreeSet::new();
        let mut records = 0u64;
        for line in text.split(|&b| b == b'\n') {
            if let Ok(r) = parse_record(line) {
                records += 1;
                keys.insert((
                    r.node.map(<[u8]>::to_vec),
                    r.stamp.sec,
                    r.stamp.ms,
                    r.stamp.serial,
                ));
            }
        }
        assert_eq!(q.records, records, "{}", file.display());
        assert_eq!(
            q.events,
            keys.len() as u64 + q.assembly.split,
            "{}: events must equal distinct keys plus documented splits",
            file.display()
        );
        // Every record of an event shares its key.
        for ev in &events {
            for line in &ev.lines {
                let r = parse_record(line).unwrap();
                assert_eq!(
                    (r.stamp.sec, r.stamp.ms, r.stamp.serial),
                    (ev.sec, ev.ms, ev.serial)
                );
                assert_eq!(r.node.map(<[u8]>::to_vec), ev.node);
            }
        }
        if q.rejected.total > 0 {
            rejected_files.push((file.clone(), q.rejected.total));
        }
    }
    // Rejections happen only in files that really hold non-record lines: laurel's `#`
    // comments, the AppArmor test suite's syslog noise and deliberately broken stamps, and
    // one RHEL7 line `type=UNKNOWN[1329] msg=?` with no stamp.
    for (file, _) in &rejected_files {
        let name = file.to_string_lossy();
        assert!(
            name.contains("laurel/")
                || name.contains("apparmor/")
                || name.ends_with("audit-rhel7.log"),
            "unexpected rejections in {name}"
        );
    }
}

#[test]
#[cfg_attr(
    not(auditrail_corpus),
    ignore = "needs ../shared/corpus (developers' machines and CI)"
)]
fn corpus_rejections_are_the_expected_lines() {
    let Some(dir) = corpus_dir() else { return };
    let (_, q) = read_paths(&[dir.join("go-libaudit/audit-rhel7.log")]);
    assert_eq!(q.rejected.total, 1);
    assert_eq!(
        q.rejected.reasons[0].samples[0],
        format!("{}:31", dir.join("go-libaudit/audit-rhel7.log").display())
    );
    let (_, q) = read_paths(&[dir.join("laurel")]);
    let comments = q
        .rejected
        .reasons
        .iter()
        .find(|r| r.reason == auditrail::parse::Reject::Comment)
        .unwrap();
    assert!(comments.count > 0);
    assert_eq!(
        q.rejected.total, comments.count,
        "laurel files reject only comment lines"
    );
}

#[test]
#[cfg_attr(
    not(auditrail_corpus),
    ignore = "needs ../shared/corpus (developers' machines and CI)"
)]
fn parallel_reading_gives_the_same_events_in_the_same_order() {
    let Some(dir) = corpus_dir() else { return };
    let set = auditrail::input::collect(&[dir]).unwrap();
    let (serial, q1) = crate::common::read_set(&set);
    let mut parallel = Vec::new();
    let (q2, _) = auditrail::parse::read_events_parallel(
        &set,
        &auditrail::parse::ReadOptions::default(),
        |ev: &auditrail::parse::Event| parallel.push(crate::common::sig(ev)),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(q1.events, q2.events);
    assert_eq!(serial, parallel);
}
