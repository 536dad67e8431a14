//! The parts of `summary.json` that read back as typed values (the period, the category
//! aggregates, and within them facts, fact lists and counts) read back whole: serialized, deserialized and serialized again, each gives
//! the same JSON, on every sample log and every corpus log.

use super::corpus::{corpus_dir, logs, summarize_file};
use crate::aggregate::tally::Kept;
use crate::aggregate::{Counter, Listed, PeriodInfo};
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
    use crate::aggregate::{mac, privilege};
    let v = serde_json::to_value(summarize_file(file)).unwrap();
    let categories = [
        again::<accounts::Accounts>(&v["accounts"], "accounts", file),
        again::<logins::Logins>(&v["logins"], "logins", file),
        again::<credentials::Credentials>(&v["credentials"], "credentials", file),
        again::<privilege::Privilege>(&v["privilege"], "privilege", file),
        again::<mac::Mac>(&v["mac"], "mac", file),
        again::<daemon::Daemon>(&v["daemon"], "daemon", file),
        again::<config::Config>(&v["config"], "config", file),
        again::<anomalies::Anomalies>(&v["anomalies"], "anomalies", file),
    ];
    again::<PeriodInfo>(&v["period"], "period", file)
        + categories.iter().sum::<usize>()
        + walk(&v, "", file)
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
    // Every fact kind of the samples went through: hundreds of values.
    assert!(read > 1000, "{read} values read back");
    eprintln!("{read} values read back");
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
