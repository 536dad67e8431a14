//! A summary read back from its `summary.json` gives the same bytes again, and so does
//! each of its parts (the period, the hosts' coverage, the category aggregates, and within
//! them facts, fact lists and counts) read back alone: serialized, deserialized and serialized again, each gives
//! the same JSON, on every sample log and every corpus log.

use super::corpus::{corpus_dir, logs, summarize_file};
use crate::aggregate::tally::Kept;
use crate::aggregate::{Counter, HostCoverage, Listed, PeriodInfo};
use crate::classify::Fact;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `v` read as a `T` and written again: the same JSON (the derives fix the key order, so
/// the same value is the same bytes).
fn again<T: DeserializeOwned + Serialize>(v: &Value, at: &str, file: &Path) -> usize {
    let typed: T = serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("{}: {at}: {e}", file.display()));
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(&back, v, "{}: {at}", file.display());
    let bytes = serde_json::to_vec(&typed).unwrap();
    let read: T = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        serde_json::to_vec(&read).unwrap(),
        bytes,
        "{}: {at}",
        file.display()
    );
    1
}

fn has_keys(o: &serde_json::Map<String, Value>, keys: &[&str]) -> bool {
    o.len() == keys.len() && keys.iter().all(|k| o.contains_key(*k))
}

/// Reads back every fact list, count and fact under `v`; returns how many were read.
fn walk(v: &Value, at: &str, file: &Path) -> usize {
    let mut n = 0;
    match v {
        Value::Object(o) => {
            if has_keys(o, &["count", "items", "omitted"]) {
                n += again::<Listed>(v, at, file);
            } else if has_keys(o, &["items", "omitted"]) {
                n += again::<Kept>(v, at, file);
            } else if has_keys(o, &["total", "by_host", "by_day"]) {
                n += again::<Counter>(v, at, file);
            }
            for (k, x) in o {
                if k == "items" {
                    for (i, f) in x.as_array().into_iter().flatten().enumerate() {
                        if f.get("category").is_some() {
                            n += again::<Fact>(f, &format!("{at}.items.{i}"), file);
                        }
                    }
                }
                n += walk(x, &format!("{at}.{k}"), file);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                n += walk(x, &format!("{at}.{i}"), file);
            }
        }
        _ => {}
    }
    n
}

fn check(file: &Path) -> usize {
    use crate::aggregate::{accounts, anomalies, config, credentials, daemon, logins};
    use crate::aggregate::{mac, privilege, Summary};
    let summary = summarize_file(file);
    let bytes = serde_json::to_vec(&summary).unwrap();
    let read: Summary =
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let rewritten = serde_json::to_vec(&read).unwrap();
    assert!(rewritten == bytes, "{}: read back differs", file.display());
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let categories = [
        again::<accounts::Accounts>(&v["accounts"], "accounts", file),
        again::<logins::Logins>(&v["logins"], "logins", file),
        again::<credentials::Credentials>(&v["credentials"], "credentials", file),
        again::<privilege::Privilege>(&v["privilege"], "privilege", file),
        again::<mac::Mac>(&v["mac"], "mac", file),
        again::<daemon::Daemon>(&v["daemon"], "daemon", file),
        again::<config::Config>(&v["config"], "config", file),
        again::<anomalies::Anomalies>(&v["anomalies"], "anomalies", file),
        again::<crate::aggregate::watches::Watches>(&v["watches"], "watches", file),
    ];
    let hosts =
        again::<std::collections::BTreeMap<String, HostCoverage>>(&v["hosts"], "hosts", file);
    again::<PeriodInfo>(&v["period"], "period", file)
        + hosts
        + categories.iter().sum::<usize>()
        + walk(&v, "", file)
}

/// `s` serialized, read back and serialized again: the same bytes.
pub(super) fn reads_back(s: &crate::aggregate::Summary) {
    let bytes = serde_json::to_vec(s).unwrap();
    let read: crate::aggregate::Summary = serde_json::from_slice(&bytes).unwrap();
    assert!(
        serde_json::to_vec(&read).unwrap() == bytes,
        "read back differs"
    );
}

fn sample_logs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    logs(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &mut files,
    );
    files.sort();
    files
}

#[test]
fn lists_counts_and_facts_of_the_samples_read_back_whole() {
    let files = sample_logs();
    assert!(
        files.len() > 50,
        "samples/ holds the record and scenario logs"
    );
    let read: usize = files.iter().map(|f| check(f)).sum();
    // The samples hold serial gaps and clock steps, the parts of a host's coverage that
    // are written from its serial runs rather than kept as they are.
    let summaries: Vec<_> = files.iter().map(|f| summarize_file(f)).collect();
    let hosts = summaries.iter().flat_map(|s| s.hosts().values());
    let (gaps, steps) = hosts.fold((0, 0), |(g, c), h| {
        (g + h.serial_gaps().len(), c + h.clock_steps().len())
    });
    assert!(gaps > 0 && steps > 0, "{gaps} gaps, {steps} clock steps");
    // Every fact kind of the samples went through: hundreds of values.
    assert!(read > 1000, "{read} values read back");
    eprintln!("{read} values read back");
}

#[test]
fn a_summary_of_another_schema_version_is_refused() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/scenarios");
    let mut files = Vec::new();
    logs(&file, &mut files);
    let mut v = serde_json::to_value(summarize_file(&files[0])).unwrap();
    v["schema_version"] = 2.into();
    let e = serde_json::from_value::<crate::aggregate::Summary>(v).unwrap_err();
    assert!(
        e.to_string().contains("schema_version 2 is not supported"),
        "{e}"
    );
}

#[test]
fn a_serial_gap_that_does_not_add_up_is_refused() {
    let host = |missing: u64| {
        serde_json::json!({"events": 2, "first_ms": 0, "last_ms": 1, "by_day": {},
            "silences": [], "lost_events": 0, "timeline": [],
            "serial_gaps": [{"after_serial": 10, "before_serial": 14, "missing": missing,
                "after": {"file": 0, "line": 1}, "before": {"file": 0, "line": 2},
                "after_ms": 0, "before_ms": 1, "segment": "input"}]})
    };
    let h: HostCoverage = serde_json::from_value(host(3)).unwrap();
    assert_eq!(h.serial_gaps().len(), 1);
    assert_eq!(serde_json::to_value(&h).unwrap(), host(3));
    let e = serde_json::from_value::<HostCoverage>(host(4)).unwrap_err();
    assert!(e.to_string().contains("do not lead to 14"), "{e}");
}

#[test]
#[cfg_attr(
    not(auditrail_corpus),
    ignore = "needs ../shared/corpus (developers' machines and CI)"
)]
fn lists_counts_and_facts_of_the_corpus_read_back_whole() {
    let dir = corpus_dir();
    let mut files = Vec::new();
    logs(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no .log files under {}", dir.display());
    for f in &files {
        check(f);
    }
}
