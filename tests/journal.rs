//! Journald input: `journalctl -o json` and `-o export` give the same summary as the raw log
//! they hold, alone or mixed with raw lines; other transports are counted as skipped; a
//! damaged journal line is a counted rejection.
//!
//! `samples/records/quirks/journal-raw.log` holds the records of one host that reach the
//! journal (no LOGIN, no DAEMON_*); `journal-json.log` and `journal-export.log` are what
//! journald's audit transport stores for them and journalctl prints, with four entries of
//! other transports interleaved (described in samples/README.md).

use crate::common::{root, write};
use auditrail::input;
use auditrail::parse::{read_events, Event, InputQuality, ReadOptions};
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn sample(name: &str) -> PathBuf {
    root().join("samples/records/quirks").join(name)
}

fn summary(path: &Path) -> Value {
    let out = crate::common::auditrail()
        .arg("summary")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The summary without what depends on the input's form: the input section, the
/// file:line of each item and the raw lines (the journal entries as they are).
fn comparable(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !["input", "source", "raw_lines"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(comparable).collect()),
        v => v.clone(),
    }
}

fn quality(path: &Path) -> InputQuality {
    let set = input::collect(&[path.to_path_buf()]).unwrap();
    let q = read_events(&set, &ReadOptions::default(), &mut |_: &Event| {}).unwrap();
    assert!(q.is_balanced(), "{q:#?}");
    q
}

/// Every item source in a summary, as (line number, text of that line).
fn cited_lines(v: &Value, text: &[u8]) -> Vec<(u64, Vec<u8>)> {
    fn walk(v: &Value, out: &mut Vec<u64>) {
        match v {
            Value::Object(m) => {
                if let Some(line) = m.get("source").and_then(|s| s["line"].as_u64()) {
                    out.push(line);
                }
                m.values().for_each(|v| walk(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut lines = Vec::new();
    walk(v, &mut lines);
    let all: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    lines
        .into_iter()
        .map(|n| (n, all[n as usize - 1].to_vec()))
        .collect()
}

#[test]
fn journal_json_and_export_summaries_equal_the_raw_log() {
    let raw = summary(&sample("journal-raw.log"));
    assert_eq!(raw["metrics"]["events"], 22);
    assert_eq!(raw["metrics"]["logins.failed"], 1);
    for name in ["journal-json.log", "journal-export.log"] {
        let v = summary(&sample(name));
        assert_eq!(comparable(&v), comparable(&raw), "{name}");
        let skipped = &v["input"]["skipped_entries"];
        assert_eq!(skipped["total"], 4, "{name}");
        assert_eq!(skipped["reasons"][0]["reason"], "journal-not-audit");
        assert_eq!(skipped["reasons"][0]["count"], 3);
        assert_eq!(skipped["reasons"][1]["reason"], "journal-audit-copy");
        assert_eq!(v["input"]["rejected"]["total"], 0, "{name}");
    }
    // EOE never reaches the journal: the same events complete by the log-time timeout.
    let q = quality(&sample("journal-json.log"));
    assert_eq!((q.records, q.events, q.assembly.completed_eoe), (38, 22, 0));
    let q = quality(&sample("journal-export.log"));
    assert_eq!(q.records, 38);
    assert_eq!(q.blank_lines, 42, "one empty line after each entry");
    assert!(q.journal_entry_lines > 1000);
}

#[test]
fn journal_items_cite_the_journal_line_that_holds_them() {
    let path = sample("journal-json.log");
    let text = std::fs::read(&path).unwrap();
    let cited = cited_lines(&summary(&path), &text);
    assert!(cited.len() >= 10, "{}", cited.len());
    for (n, line) in cited {
        let entry: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(entry["_TRANSPORT"], "audit", "line {n}");
    }
    let path = sample("journal-export.log");
    let text = std::fs::read(&path).unwrap();
    for (n, line) in cited_lines(&summary(&path), &text) {
        assert!(line.starts_with(b"__CURSOR=s="), "line {n}");
    }
}

/// Journal entries by `_AUDIT_ID` (`None` for other transports).
type Entries = Vec<(Option<u64>, Vec<u8>)>;

/// The sample's journal entries: its JSON lines and its export entries.
fn journal_entries() -> (Entries, Entries) {
    let id = |v: &Value| v["_AUDIT_ID"].as_str().map(|s| s.parse().unwrap());
    let json: Vec<_> = std::fs::read(sample("journal-json.log"))
        .unwrap()
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| (id(&serde_json::from_slice(l).unwrap()), l.to_vec()))
        .collect();
    let export_text = std::fs::read(sample("journal-export.log")).unwrap();
    let text = String::from_utf8_lossy(&export_text).into_owned();
    // No binary field of the sample holds an empty line, so entries split at them.
    let export: Vec<_> = export_text
        .split(|&b| b == b'\n')
        .fold(vec![Vec::new()], |mut acc: Vec<Vec<u8>>, line| {
            if line.is_empty() {
                acc.push(Vec::new());
            } else {
                let cur = acc.last_mut().unwrap();
                cur.extend_from_slice(line);
                cur.push(b'\n');
            }
            acc
        })
        .into_iter()
        .filter(|e| !e.is_empty())
        .map(|e| {
            let s = String::from_utf8_lossy(&e).into_owned();
            let id = s
                .lines()
                .find_map(|l| l.strip_prefix("_AUDIT_ID="))
                .map(|v| v.parse().unwrap());
            (id, e)
        })
        .collect();
    assert_eq!(json.len(), 42);
    assert_eq!(export.len(), 42, "{}", text.len());
    (json, export)
}

#[test]
fn raw_json_and_export_mix_in_one_file() {
    let (json, export) = journal_entries();
    let raw = std::fs::read(sample("journal-raw.log")).unwrap();
    // Serials 7301-7307 as raw lines, 7308-7314 as JSON lines, the rest as export entries,
    // with the other transports' entries kept where they are.
    let serial = |l: &[u8]| -> u64 {
        let l = String::from_utf8_lossy(&l[..l.len().min(80)]);
        let s = &l[l.find("msg=audit(").unwrap()..];
        let s = &s[s.find(':').unwrap() + 1..];
        s[..s.find(')').unwrap()].parse().unwrap()
    };
    let mut mixed = Vec::new();
    for l in raw.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        if serial(l) <= 7307 {
            mixed.extend_from_slice(l);
            mixed.push(b'\n');
        }
    }
    for (id, l) in &json {
        if id.is_none_or(|id| (7308..=7314).contains(&id)) {
            mixed.extend_from_slice(l);
            mixed.push(b'\n');
        }
    }
    for (id, e) in &export {
        if id.is_some_and(|id| id > 7314) {
            mixed.extend_from_slice(e);
            mixed.push(b'\n');
        }
    }
    mixed.extend_from_slice(b"an ordinary noise line\n");
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "mixed.log", &mixed);
    let v = summary(&p);
    assert_eq!(
        comparable(&v["metrics"]),
        comparable(&summary(&sample("journal-raw.log"))["metrics"])
    );
    let q = quality(&p);
    assert_eq!(q.skipped_entries.total, 4);
    assert_eq!(q.rejected.total, 1, "the noise line");
    // 7 raw records, 18 JSON records (EOE is not in the journal), 13 export records.
    assert_eq!(q.records, 7 + 18 + 13, "{q:#?}");
}

#[test]
fn a_damaged_journal_line_is_a_counted_rejection() {
    let (json, _) = journal_entries();
    let good = String::from_utf8(json[1].1.clone()).unwrap();
    let mut text = String::new();
    // Cut short after `"_TRANSPORT":"audit"`, as a truncated copy would be.
    text += &good[..good.find("\"_TRANSPORT\"").unwrap() + 20];
    text += "\n";
    text += &good.replace(
        &format!("\"_AUDIT_ID\":\"{}\"", json[1].0.unwrap()),
        "\"_AUDIT_ID\":\"x\"",
    );
    text += "\n";
    text += &good;
    text += "\n";
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "journal.json.log", text.as_bytes());
    crate::common::auditrail()
        .arg("check")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 file(s), 3 lines, 1 records, 1 events, 2 rejected line(s)",
        ))
        .stdout(predicate::str::contains(
            "malformed journal entry (JSON or export format)",
        ))
        .stdout(predicate::str::contains("journal.json.log:1"))
        .stdout(predicate::str::contains("journal audit field unusable"))
        .stdout(predicate::str::contains("journal.json.log:2"));
    crate::common::auditrail()
        .args(["check", "--strict"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "journal.json.log:1: malformed journal entry",
        ));
}

#[test]
fn check_lists_skipped_journal_entries() {
    crate::common::auditrail()
        .arg("check")
        .arg(sample("journal-export.log"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "journal entries of other transports skipped: 4",
        ))
        .stdout(predicate::str::contains("every line accounted for: yes"))
        .stdout(predicate::str::contains(
            "Skipped journal entries (not audit records)",
        ))
        .stdout(predicate::str::contains(
            "3 x journal entry of another transport",
        ));
}

#[test]
fn report_evidence_quotes_the_journal_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pkg");
    crate::common::auditrail()
        .args([
            "report",
            "--period",
            "all",
            "--generated-at",
            "2026-11-01T00:00:00Z",
        ])
        .arg("--out")
        .arg(&out)
        .arg(sample("journal-json.log"))
        .assert()
        .success();
    let mut csv = csv::Reader::from_path(out.join("findings.csv")).unwrap();
    let headers = csv.headers().unwrap().clone();
    let raw = headers.iter().position(|h| h == "raw_line").unwrap();
    let rows: Vec<_> = csv.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let entry: Value = serde_json::from_str(&row[raw]).unwrap();
        assert_eq!(entry["_TRANSPORT"], "audit");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Journal entries that were not audit records"));
    assert!(html.contains("journal-audit-copy"));
}

/// Pieces of journal entries and raw lines, so that random input often looks like both.
fn journal_fragment() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    prop_oneof![
        Just(br#"{"__CURSOR":"c","_TRANSPORT":"audit","#.to_vec()),
        Just(br#""MESSAGE":"USER_LOGIN pid=1 msg='res=failed'","#.to_vec()),
        Just(br#""MESSAGE":[85,83,69,82,32,255],"#.to_vec()),
        Just(br#""_AUDIT_TYPE":"1112","_AUDIT_ID":"7","#.to_vec()),
        Just(br#""_SOURCE_REALTIME_TIMESTAMP":"1790812800250000","_HOSTNAME":"h1"}"#.to_vec()),
        Just(br#""MESSAGE":null}"#.to_vec()),
        Just(b"__CURSOR=s=1\n_TRANSPORT=audit\n_AUDIT_TYPE=1112\n_AUDIT_ID=7\n".to_vec()),
        Just(b"_SOURCE_REALTIME_TIMESTAMP=1790812800250000\nMESSAGE=USER_LOGIN a=1\n".to_vec()),
        Just(b"MESSAGE\n\x05\0\0\0\0\0\0\0ab\ncd\n".to_vec()),
        Just(b"MESSAGE\n\xff\xff\xff\xff\0\0\0\0".to_vec()),
        Just(b"type=EOE msg=audit(1790812800.250:7): \n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\n\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..12),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    #[test]
    fn any_mix_of_journal_pieces_is_read_and_accounted_for(
        parts in proptest::collection::vec(journal_fragment(), 0..40)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "mix.log", &parts.concat());
        let set = input::collect(std::slice::from_ref(&p)).unwrap();
        match read_events(&set, &ReadOptions::default(), &mut |_: &Event| {}) {
            Ok(q) => proptest::prop_assert!(q.is_balanced(), "{q:#?}"),
            // Random bytes that begin like a compressed file are read as one (and refused
            // or failing with the file named), never as lines: the only allowed error.
            Err(err) => {
                let compressed = input::open(&set.files[0]).map_or(true, |(_, gz)| gz);
                proptest::prop_assert!(compressed, "{err}");
                proptest::prop_assert!(err.to_string().contains("mix.log"), "{err}");
            }
        }
    }
}
