//! `auditrail export`: row counts equal `summary`'s figures on every scenario; the Parquet
//! file is read back with the `parquet` crate's reader.

use assert_cmd::Command;
use std::path::Path;

fn summary(log: &Path) -> serde_json::Value {
    let out = Command::cargo_bin("auditrail")
        .unwrap()
        .args(["summary", "--period", "all", "--format", "json"])
        .arg(log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn export(log: &Path, what: &str, format: &str, out: &Path) {
    Command::cargo_bin("auditrail")
        .unwrap()
        .args([
            "export", "-q", "--force", "--what", what, "--format", format, "--out",
        ])
        .arg(out)
        .arg(log)
        .assert()
        .success();
}

fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines().map(|l| serde_json::from_str(l).unwrap());
    let head: serde_json::Value = lines.next().unwrap();
    assert_eq!(head["schema_version"], 1);
    lines.collect()
}

fn scenarios() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/scenarios");
    let mut logs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    logs.sort();
    assert!(logs.len() >= 5, "{logs:?}");
    logs
}

#[test]
fn jsonl_rows_match_summary_figures() {
    let dir = tempfile::tempdir().unwrap();
    for log in scenarios() {
        let s = summary(&log);
        let records = dir.path().join("records.jsonl");
        let events = dir.path().join("events.jsonl");
        let facts = dir.path().join("facts.jsonl");
        export(&log, "records", "jsonl", &records);
        export(&log, "events", "jsonl", &events);
        export(&log, "facts", "jsonl", &facts);
        let records = jsonl(&records);
        let events = jsonl(&events);
        let facts = jsonl(&facts);
        let name = log.display();
        assert_eq!(
            records.len() as u64,
            s["input"]["records"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            events.len() as u64,
            s["input"]["events"].as_u64().unwrap(),
            "{name}"
        );
        for (host, h) in s["hosts"].as_object().unwrap() {
            let n = events.iter().filter(|e| e["node"] == host.as_str()).count();
            assert_eq!(n as u64, h["events"].as_u64().unwrap(), "{name} {host}");
        }
        let failed = facts
            .iter()
            .filter(|f| f["category"] == "logins" && f["result"] == "failed")
            .filter(|f| f["kind"] == "login")
            .count();
        assert_eq!(
            failed as u64,
            s["metrics"]["logins.failed"].as_u64().unwrap(),
            "{name}"
        );
        for r in &records {
            assert!(r["time"].as_str().unwrap().ends_with('Z'), "{r}");
            assert!(
                r["fields"].is_object() && r["line"].as_u64().unwrap() > 0,
                "{r}"
            );
        }
        for f in [&records[0], &events[0], &facts[0]] {
            let file = f["file"].as_str().unwrap();
            assert!(file.ends_with(".log"), "{f}");
        }
    }
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_reads_back_with_the_crates_reader() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;
    let log = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/scenarios/ssh-brute-force.log");
    let s = summary(&log);
    let dir = tempfile::tempdir().unwrap();
    for (what, figure) in [("records", "records"), ("events", "events")] {
        let out = dir.path().join(format!("{what}.parquet"));
        export(&log, what, "parquet", &out);
        let reader = SerializedFileReader::new(std::fs::File::open(&out).unwrap()).unwrap();
        let meta = reader.metadata().file_metadata();
        assert_eq!(
            meta.num_rows() as u64,
            s["input"][figure].as_u64().unwrap(),
            "{what}"
        );
        let kv = meta.key_value_metadata().unwrap();
        assert!(kv
            .iter()
            .any(|k| k.key == "auditrail.what" && k.value.as_deref() == Some(what)));
    }
    let out = dir.path().join("events.parquet");
    let reader = SerializedFileReader::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut per_host = std::collections::BTreeMap::<String, u64>::new();
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        *per_host
            .entry(row.get_string(0).unwrap().clone())
            .or_default() += 1;
        assert!(row.get_long(6).unwrap() > 0, "line");
    }
    for (host, h) in s["hosts"].as_object().unwrap() {
        assert_eq!(per_host.get(host).copied(), h["events"].as_u64(), "{host}");
    }
    let facts = dir.path().join("facts.parquet");
    export(&log, "facts", "parquet", &facts);
    let reader = SerializedFileReader::new(std::fs::File::open(&facts).unwrap()).unwrap();
    let failed = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| r.unwrap())
        .filter(|r| {
            r.get_string(0).unwrap() == "logins"
                && r.get_string(1).unwrap() == "login"
                && r.get_string(2).unwrap() == "failed"
        })
        .count();
    assert_eq!(
        failed as u64,
        s["metrics"]["logins.failed"].as_u64().unwrap()
    );
}

#[test]
fn a_failed_export_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.jsonl");
    Command::cargo_bin("auditrail")
        .unwrap()
        .args(["export", "-q", "--format", "jsonl", "--out"])
        .arg(&out)
        .arg(dir.path().join("missing.log"))
        .assert()
        .failure();
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
