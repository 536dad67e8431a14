//! Tests of [`super`]: matching archived inputs to this run's by content and by name.

use super::*;
use std::io::Write as _;

fn sha(b: &[u8]) -> String {
    crate::digest::sha256(b)
}

fn gz(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

/// A log of `n` records from second `from` on.
fn log(from: i64, n: i64, tag: &str) -> Vec<u8> {
    (from..from + n)
        .map(|t| format!("type=DAEMON_START msg=audit({t}.000:{t}): {tag}\n"))
        .collect::<String>()
        .into_bytes()
}

/// The manifest entry `report` writes for `bytes` (plain) at `path`, records from
/// second `from` to `to`.
fn archived(path: &Path, bytes: &[u8], from: i64, to: i64) -> ManifestInput {
    ManifestInput {
        path: path.display().to_string(),
        bytes: bytes.len() as u64,
        sha256: sha(bytes),
        first_ms: Some(from * 1000),
        last_ms: Some(to * 1000),
        ..ManifestInput::default()
    }
}

/// A current input as `report` sees it (hashes and record times), or only its path.
fn current(path: &Path, from: i64, to: i64, known: bool) -> CurrentFile {
    let mut c = CurrentFile::at(path);
    if known {
        c.complete().unwrap();
        (c.first_ms, c.last_ms) = (Some(from * 1000), Some(to * 1000));
    }
    c
}

fn statuses(m: &Manifest, now: &[CurrentFile]) -> Vec<(String, &'static str, Option<String>)> {
    let name = |p: &str| {
        Path::new(p)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    check(m, now)
        .unwrap()
        .into_iter()
        .map(|c| (name(&c.path), c.status, c.current_path.as_deref().map(name)))
        .collect()
}

fn own(n: &str, status: &'static str, now: Option<&str>) -> (String, &'static str, Option<String>) {
    (n.to_string(), status, now.map(str::to_string))
}

/// Last month: audit.log (live, 100 s of records), audit.log.1, audit.log.2. Since:
/// audit.log grew and rotated twice (to .1, then .2.gz), .1 became .3, .2 was
/// edited and became .4, and the newest two files are new.
#[test]
fn rotation_renames_compresses_and_grows_without_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let (old2, old1, live) = (log(100, 50, "a"), log(200, 50, "b"), log(300, 100, "c"));
    let mut grown = live.clone();
    grown.extend(log(400, 50, "c"));
    let m = Manifest {
        generated_at: Some(crate::model::format_ms(450_000)),
        inputs: vec![
            archived(&p("audit.log"), &live, 300, 399),
            archived(&p("audit.log.1"), &old1, 200, 249),
            archived(&p("audit.log.2"), &old2, 100, 149),
        ],
        ..Manifest::default()
    };
    let files: [(&str, Vec<u8>, i64, i64); 5] = [
        ("audit.log", log(600, 10, "e"), 600, 609),
        ("audit.log.1", log(500, 10, "d"), 500, 509),
        ("audit.log.2.gz", gz(&grown), 300, 449),
        ("audit.log.3", old1.clone(), 200, 249),
        ("audit.log.4", log(100, 50, "A"), 100, 149),
    ];
    for (n, b, ..) in &files {
        std::fs::write(p(n), b).unwrap();
    }
    for known in [true, false] {
        let now: Vec<CurrentFile> = files
            .iter()
            .map(|(n, _, a, b)| current(&p(n), *a, *b, known))
            .collect();
        let got = statuses(&m, &now);
        assert_eq!(
            got,
            [
                own("audit.log", APPENDED, Some("audit.log.2.gz")),
                own("audit.log.1", RENAMED, Some("audit.log.3")),
                own("audit.log.2", CHANGED, Some("audit.log.4")),
            ],
            "record times known: {known}"
        );
    }
    // Only the edited file is a finding.
    let now: Vec<CurrentFile> = files
        .iter()
        .map(|(n, _, a, b)| current(&p(n), *a, *b, true))
        .collect();
    let checks = check(&m, &now).unwrap();
    assert_eq!(
        checks
            .iter()
            .filter_map(InputCheck::severity)
            .collect::<Vec<_>>(),
        ["critical"]
    );
    assert_eq!(tally(&checks), "1 renamed, 1 appended, 1 changed");
}

#[test]
fn a_file_rotated_out_is_missing_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let (oldest, live) = (log(100, 10, "a"), log(200, 10, "b"));
    let m = Manifest {
        generated_at: Some(crate::model::format_ms(210_000)),
        inputs: vec![
            archived(&p("audit.log"), &live, 200, 209),
            archived(&p("audit.log.1"), &oldest, 100, 109),
        ],
        ..Manifest::default()
    };
    // Both rotated past num_logs: every name now holds a newer file.
    std::fs::write(p("audit.log"), log(900, 5, "n")).unwrap();
    std::fs::write(p("audit.log.1"), log(800, 5, "m")).unwrap();
    let now = [
        current(&p("audit.log"), 900, 904, true),
        current(&p("audit.log.1"), 800, 804, true),
    ];
    assert_eq!(
        statuses(&m, &now),
        [
            own("audit.log", MISSING, None),
            own("audit.log.1", MISSING, None)
        ]
    );
    // The same with a manifest written before record times: generated_at bounds them.
    let mut old = m.clone();
    for i in &mut old.inputs {
        (i.first_ms, i.last_ms) = (None, None);
    }
    assert_eq!(statuses(&old, &now), statuses(&m, &now));
    // Edited in place (its first record kept): changed.
    std::fs::write(p("audit.log.1"), log(100, 9, "a")).unwrap();
    let now = [
        current(&p("audit.log"), 900, 904, true),
        current(&p("audit.log.1"), 100, 108, true),
    ];
    assert_eq!(
        statuses(&m, &now)[1],
        own("audit.log.1", CHANGED, Some("audit.log.1"))
    );
}

/// A package built from summaries (`report --summaries`) lists them as its inputs: a later
/// run reading logs beside where they were does not report them missing, since they are not
/// logs, and a log listed with them is still followed.
#[test]
fn summaries_a_package_read_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let a = log(100, 5, "a");
    std::fs::write(p("a.log"), &a).unwrap();
    let summary = ManifestInput {
        summary: true,
        ..archived(&p("fleet.json"), b"{}", 100, 104)
    };
    let m = Manifest {
        inputs: vec![summary.clone(), archived(&p("gone.log"), &a, 100, 104)],
        ..Manifest::default()
    };
    let got = statuses(&m, &[current(&p("a.log"), 100, 104, true)]);
    assert_eq!(got, [own("gone.log", RENAMED, Some("a.log"))]);
    let only = Manifest {
        inputs: vec![summary],
        ..Manifest::default()
    };
    assert!(statuses(&only, &[current(&p("a.log"), 100, 104, true)]).is_empty());
}

#[test]
fn files_outside_the_inputs_are_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let other = tempfile::tempdir().unwrap();
    let (a, b) = (log(100, 5, "a"), log(200, 5, "b"));
    std::fs::write(p("a.log"), &a).unwrap();
    std::fs::write(p("b.log"), &b).unwrap();
    let m = Manifest {
        inputs: vec![
            archived(&p("a.log"), &a, 100, 104),
            archived(&p("b.log"), &b, 200, 204),
            // A copy of b.log, deleted since; one in a directory this run does not read.
            archived(&p("c.log"), &b, 200, 204),
            archived(&other.path().join("d.log"), &b, 200, 204),
            ManifestInput {
                path: "-".into(),
                sha256: "-".into(),
                ..ManifestInput::default()
            },
        ],
        ..Manifest::default()
    };
    // b.log still exists but is not an input; c.log is gone; d.log is elsewhere.
    let got = statuses(&m, &[current(&p("a.log"), 100, 104, true)]);
    assert_eq!(
        got,
        [
            own("a.log", UNCHANGED, Some("a.log")),
            own("c.log", MISSING, None)
        ]
    );
    // One file answers for one archived copy only: its own path first.
    let got = statuses(&m, &[current(&p("b.log"), 200, 204, true)]);
    assert_eq!(
        got,
        [
            own("b.log", UNCHANGED, Some("b.log")),
            own("c.log", MISSING, None)
        ]
    );
}

#[test]
fn compressed_and_decompressed_content_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let text = log(100, 20, "z");
    std::fs::write(p("x.log.1.gz"), gz(&text)).unwrap();
    let mut was_gz = archived(&p("y.log.1.gz"), &gz(&text), 100, 119);
    (was_gz.decompressed_sha256, was_gz.decompressed_bytes) =
        (Some(sha(&text)), Some(text.len() as u64));
    std::fs::write(p("y.log.1"), &text).unwrap();
    let m = Manifest {
        inputs: vec![archived(&p("x.log"), &text, 100, 119), was_gz],
        ..Manifest::default()
    };
    let now = [
        current(&p("x.log.1.gz"), 100, 119, true),
        current(&p("y.log.1"), 100, 119, true),
    ];
    assert_eq!(
        statuses(&m, &now),
        [
            own("x.log", COMPRESSED, Some("x.log.1.gz")),
            own("y.log.1.gz", DECOMPRESSED, Some("y.log.1")),
        ]
    );
}

#[test]
fn prefixes_are_hashed_at_each_length() {
    let data = b"abcdefgh".repeat(300_000);
    let got = hash_prefixes(&data[..], &[0, 5, 1 << 20, 5, data.len() as u64, 1 << 30]).unwrap();
    assert_eq!(got.len(), 4);
    assert_eq!(got[&0], sha(b""));
    assert_eq!(got[&5], sha(b"abcde"));
    assert_eq!(got[&(1 << 20)], sha(&data[..1 << 20]));
    assert_eq!(got[&(data.len() as u64)], sha(&data));
}
