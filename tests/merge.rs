//! `merge` and `findings --summaries` on the scenario logs split per host: the merged
//! summary equals the summary of the whole log but for where its sources point (each
//! host's own file), every source's raw line included, and the findings from the merged
//! summaries equal the findings from the logs; overlapping parts, `--out`, older
//! summary.json files and counts past the range a merge can add.

use crate::common::{auditrail, root, stdout_ok};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Writes each host's lines of `log` (by `node=`) to `dir/HOST.log`; the files.
pub(crate) fn split_by_host(log: &Path, dir: &Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(log).unwrap();
    let mut by_host: BTreeMap<String, String> = BTreeMap::new();
    for line in text.lines() {
        let host = line
            .strip_prefix("node=")
            .and_then(|l| l.split(' ').next())
            .unwrap_or("_local");
        let out = by_host.entry(host.to_string()).or_default();
        out.push_str(line);
        out.push('\n');
    }
    by_host
        .into_iter()
        .map(|(host, lines)| {
            let p = dir.join(format!("{host}.log"));
            std::fs::write(&p, lines).unwrap();
            p
        })
        .collect()
}

/// `summary --format json [--period P]` of each log, written beside it; the files.
pub(crate) fn summaries_of(logs: &[PathBuf], period: Option<&str>, suffix: &str) -> Vec<PathBuf> {
    logs.iter()
        .map(|log| {
            let mut cmd = auditrail();
            cmd.args(["summary", "-q", "--format", "json"]).arg(log);
            if let Some(p) = period {
                cmd.args(["--period", p]);
            }
            let json = log.with_extension(format!("{suffix}json"));
            std::fs::write(&json, stdout_ok(&mut cmd)).unwrap();
            json
        })
        .collect()
}

/// `summary --format json` of each of `logs`, edited by `edit` (with the log's index) and
/// written beside it; each file with its summary.
fn edited_summaries(logs: &[PathBuf], edit: impl Fn(usize, &mut Value)) -> Vec<(PathBuf, Value)> {
    logs.iter()
        .enumerate()
        .map(|(i, log)| {
            let mut cmd = auditrail();
            cmd.args(["summary", "--format", "json"]).arg(log);
            let mut v: Value = serde_json::from_slice(&stdout_ok(&mut cmd)).unwrap();
            edit(i, &mut v);
            let f = log.with_extension("json");
            std::fs::write(&f, serde_json::to_vec(&v).unwrap()).unwrap();
            (f, v)
        })
        .collect()
}

pub(crate) fn run_json(args: &[&std::ffi::OsStr]) -> Value {
    let out = auditrail().args(args).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Without what says where records are (file ids and lines, which differ per split file;
/// the raw lines, keyed by them: see [`cited_texts`]) and without what each document says
/// about its own input.
pub(crate) fn without_sources(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    ![
                        "source",
                        "first",
                        "last",
                        "after",
                        "before",
                        "input",
                        "tool",
                        "files",
                        "merged_from",
                        "log_files",
                        "summaries",
                        "raw_lines",
                    ]
                    .contains(&k.as_str())
                })
                .map(|(k, v)| (k.clone(), without_sources(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_sources).collect()),
        v => v.clone(),
    }
}

/// The raw line of every source a summary.json states, in the order it states them (the
/// same order in two summaries equal but for their sources): `raw_lines.files.FILE.LINE`,
/// or the note standing for the file.
pub(crate) fn cited_texts(v: &Value) -> Vec<String> {
    fn walk(v: &Value, raw: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let (Some(file), Some(line)) = (m.get("file"), m.get("line")) {
                    if m.len() == 2 && file.is_u64() && line.is_u64() {
                        let f = &raw["files"][file.to_string()];
                        let text = f.as_str().or_else(|| f[line.to_string()].as_str());
                        out.push(text.unwrap_or("(none)").to_string());
                        return;
                    }
                }
                for (k, v) in m {
                    if !["raw_lines", "input", "log_files", "merged_from"].contains(&k.as_str()) {
                        walk(v, raw, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, raw, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &v["raw_lines"], &mut out);
    out
}

/// Per scenario with several hosts: `summary` per host, `merge`, and `findings
/// --summaries` against the same from the whole log.
#[test]
fn scenarios_split_per_host_merge_to_the_whole_and_give_the_same_findings() {
    let mut multi_host = 0;
    for entry in std::fs::read_dir(root().join("samples/scenarios")).unwrap() {
        let log = entry.unwrap().path();
        let dir = tempfile::tempdir().unwrap();
        let parts = split_by_host(&log, dir.path());
        if parts.len() < 2 {
            continue;
        }
        multi_host += 1;
        let mut summaries = summaries_of(&parts, None, "");
        // Given in reverse: the order does not matter.
        summaries.reverse();
        let whole = run_json(&[
            "summary".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            log.as_os_str(),
        ]);
        let mut args: Vec<&std::ffi::OsStr> = vec!["merge".as_ref()];
        args.extend(summaries.iter().map(|p| p.as_os_str()));
        let merged = run_json(&args);
        assert_eq!(
            without_sources(&merged),
            without_sources(&whole),
            "{}",
            log.display()
        );
        // Every source has its raw line, the same line as in the whole log.
        let texts = cited_texts(&merged);
        assert!(!texts.is_empty(), "{}", log.display());
        assert!(!texts.iter().any(|t| t == "(none)"), "{}", log.display());
        assert_eq!(texts, cited_texts(&whole), "{}", log.display());
        assert_eq!(merged["raw_lines"]["not_kept"], 0);
        // The log files by the merged file ids: each part's after those of the parts
        // before it (parts in order of their earliest event).
        let named: Vec<&str> = merged["log_files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        let mut expected: Vec<String> = parts.iter().map(|p| p.display().to_string()).collect();
        expected.sort();
        let mut sorted: Vec<&str> = named.clone();
        sorted.sort();
        assert_eq!(sorted, expected);

        let from_logs = run_json(&[
            "findings".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            log.as_os_str(),
        ]);
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "findings".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            "--summaries".as_ref(),
        ];
        args.extend(summaries.iter().map(|p| p.as_os_str()));
        let from_summaries = run_json(&args);
        assert!(from_logs["rules"].as_array().is_some_and(|r| !r.is_empty()));
        assert_eq!(
            without_sources(&from_summaries["rules"]),
            without_sources(&from_logs["rules"]),
            "{}",
            log.display()
        );
        assert_eq!(
            without_sources(&from_summaries["policies"]),
            without_sources(&from_logs["policies"]),
            "{}",
            log.display()
        );
    }
    assert!(
        multi_host >= 3,
        "scenarios with several hosts: {multi_host}"
    );
}

fn summary_of(log: &str, dir: &Path, name: &str) -> PathBuf {
    let out = auditrail()
        .args(["summary", "--format", "json"])
        .arg(root().join("samples/scenarios").join(log))
        .output()
        .unwrap();
    let p = dir.join(name);
    std::fs::write(&p, out.stdout).unwrap();
    p
}

#[test]
fn overlapping_summaries_are_refused_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = summary_of("ssh-brute-force.log", dir.path(), "a.json");
    let b = summary_of("ssh-brute-force.log", dir.path(), "b.json");
    let out = auditrail().arg("merge").arg(&a).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a.json") && err.contains("b.json"), "{err}");
    assert!(
        err.contains("overlap") && err.contains("host bastion"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn merge_out_needs_force_to_replace_and_never_replaces_a_part() {
    let dir = tempfile::tempdir().unwrap();
    let a = summary_of("ssh-brute-force.log", dir.path(), "a.json");
    let out_file = dir.path().join("merged.json");
    auditrail()
        .arg("merge")
        .arg(&a)
        .arg("--out")
        .arg(&out_file)
        .assert()
        .success();
    let first = std::fs::read(&out_file).unwrap();
    // Merging one summary gives it back (but for what it says about its input), its raw
    // lines included.
    let merged: Value = serde_json::from_slice(&first).unwrap();
    let given: Value = serde_json::from_slice(&std::fs::read(&a).unwrap()).unwrap();
    assert_eq!(without_sources(&merged), without_sources(&given));
    assert_eq!(merged["raw_lines"], given["raw_lines"]);
    let again = auditrail()
        .arg("merge")
        .arg(&a)
        .arg("--out")
        .arg(&out_file)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    auditrail()
        .arg("merge")
        .arg(&a)
        .arg("--out")
        .arg(&out_file)
        .arg("--force")
        .assert()
        .success();
    assert_eq!(std::fs::read(&out_file).unwrap(), first);
    let onto_part = auditrail()
        .arg("merge")
        .arg(&a)
        .arg("--out")
        .arg(&a)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(onto_part.status.code(), Some(2));
}

/// summary.json files written before the actor ids were added (schema_version 1 without
/// `actor_ids`) still merge: distinct actors of a key on two hosts become a lower bound;
/// another schema_version is refused by name.
#[test]
fn version_1_summaries_without_actor_ids_merge_and_other_versions_are_refused() {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("actor_ids");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let parts = split_by_host(
        &root().join("samples/scenarios/privilege-use.log"),
        dir.path(),
    );
    let files: Vec<PathBuf> = edited_summaries(&parts, |_, v| strip(v))
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    let merged: Value =
        serde_json::from_slice(&stdout_ok(auditrail().arg("merge").args(&files))).unwrap();
    assert_eq!(merged["schema_version"], 1);
    let actors = &merged["watches"]["by_key"]["priv-cmd"]["actors"];
    assert_eq!(actors.as_str(), Some("2+"), "{actors}");

    let mut v: Value = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    v["schema_version"] = 2.into();
    std::fs::write(&files[0], serde_json::to_vec(&v).unwrap()).unwrap();
    let out = auditrail().arg("merge").args(&files).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("schema_version 2 is not supported"), "{err}");
}

/// A count no merge can add without overflowing (past 2^53 - 1) in a crafted summary.json
/// is refused, naming the file and the key; the summary alone is refused the same way.
#[test]
fn counts_out_of_range_are_refused_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let a = summary_of("ssh-brute-force.log", dir.path(), "a.json");
    let b = summary_of("account-lifecycle.log", dir.path(), "b.json");
    for (edit, key) in [
        (
            &(|v: &mut Value| v["hosts"]["bastion"]["events"] = u64::MAX.into())
                as &dyn Fn(&mut Value),
            "hosts.bastion.events",
        ),
        (
            &|v: &mut Value| v["logins"]["failed_logins"]["count"]["total"] = u64::MAX.into(),
            "logins.failed_logins.count.total",
        ),
        (
            &|v: &mut Value| v["logins"]["failed_logins"]["omitted"] = (1u64 << 53).into(),
            "logins.failed_logins.omitted",
        ),
    ] {
        let mut v: Value = serde_json::from_slice(&std::fs::read(&a).unwrap()).unwrap();
        edit(&mut v);
        let crafted = dir.path().join("crafted.json");
        std::fs::write(&crafted, serde_json::to_vec(&v).unwrap()).unwrap();
        for args in [vec![&crafted, &b], vec![&crafted]] {
            let out = auditrail().arg("merge").args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(2));
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("crafted.json") && err.contains(&format!("key `{key}`")),
                "{err}"
            );
            assert!(err.contains("is not a count (a whole number from 0 to 9007199254740991)"));
        }
    }
}

/// A part written before raw lines were (no `raw_lines`) merges with one that has them:
/// the lines carried stay, the sources without one are counted; a summary of standard
/// input says once that its lines were not kept.
#[test]
fn parts_without_raw_lines_merge_and_standard_input_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let parts = split_by_host(
        &root().join("samples/scenarios/ssh-brute-force.log"),
        dir.path(),
    );
    let files = edited_summaries(&parts, |i, v| {
        if i == 0 {
            v.as_object_mut().unwrap().remove("raw_lines");
        }
    });
    let merge = stdout_ok(auditrail().arg("merge").args(files.iter().map(|(f, _)| f)));
    let merged: Value = serde_json::from_slice(&merge).unwrap();
    let without: usize = cited_texts(&files[0].1).len();
    let with = cited_texts(&files[1].1);
    assert!(without > 0 && !with.is_empty());
    // Sources without a line, each counted once (a source may be stated twice).
    let not_kept = merged["raw_lines"]["not_kept"].as_u64().unwrap();
    assert!(
        (1..=without as u64).contains(&not_kept),
        "{not_kept} of {without}"
    );
    let texts = cited_texts(&merged);
    assert_eq!(texts.iter().filter(|t| *t == "(none)").count(), without);
    for t in &with {
        assert!(texts.contains(t), "{t}");
    }

    let log = std::fs::read(&parts[0]).unwrap();
    let out = auditrail()
        .args(["summary", "--format", "json", "-"])
        .write_stdin(log)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["raw_lines"]["files"],
        serde_json::json!({"0": "(standard input: not kept)"})
    );
    assert!(cited_texts(&v)
        .iter()
        .all(|t| t == "(standard input: not kept)"));
}
