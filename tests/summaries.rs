//! `report --summaries` and `compare --summaries`: the scenario logs split per host and
//! summarised per host give the package and the comparison the logs give (but for how
//! sources are named), with the raw lines the summaries carry; summaries are put on the
//! side whose period holds them; errors name the files.

use crate::common::{auditrail, root};
use crate::merge::{run_json, split_by_host, summaries_of};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;

const AT: &str = "2026-11-02T00:00:00Z";

/// `report --format json` into `out`; its report.json.
fn report_json(inputs: &[&OsStr], out: &Path, extra: &[&str]) -> Value {
    let run = auditrail()
        .arg("report")
        .args(inputs)
        .args(["--generated-at", AT, "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        run.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap()
}

/// `v` with every `FILE.log:LINE` (and `HOST:FILE.log:LINE`) in its strings written
/// `SRC`: file ids and lines differ per split file.
fn unsourced(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(
            s.split(' ')
                .map(|t| match t.find(".log:") {
                    Some(i) => {
                        let rest = &t[i + 5..];
                        let end = rest
                            .find(|c: char| !c.is_ascii_digit())
                            .unwrap_or(rest.len());
                        format!("SRC{}", &rest[end..])
                    }
                    None => t.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), unsourced(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(unsourced).collect()),
        v => v.clone(),
    }
}

/// A report.json but for what differs by construction: the scope (options, inputs), the
/// integrity table (logs or summaries), the input figures (one log or one per host).
fn comparable(report: &Value) -> Value {
    let mut r = unsourced(report);
    let m = r.as_object_mut().unwrap();
    for k in ["scope", "integrity", "executive"] {
        m.remove(k);
    }
    r["completeness"].as_object_mut().unwrap().remove("input");
    r
}

/// Per scenario with several hosts: the package from the per-host summaries has the
/// findings, controls and raw lines of the package from the whole log, evidence cited
/// `host:file:line`, and the summaries as its inputs.
#[test]
fn reports_from_per_host_summaries_equal_reports_from_the_logs() {
    let mut multi_host = 0;
    for entry in std::fs::read_dir(root().join("samples/scenarios")).unwrap() {
        let log = entry.unwrap().path();
        let dir = tempfile::tempdir().unwrap();
        let parts = split_by_host(&log, dir.path());
        if parts.len() < 2 {
            continue;
        }
        multi_host += 1;
        let summaries = summaries_of(&parts, None, "");
        let from_logs = report_json(
            &[log.as_os_str()],
            &dir.path().join("logs"),
            &["--period", "all", "--format", "json"],
        );
        let mut args: Vec<&OsStr> = vec!["--summaries".as_ref()];
        args.extend(summaries.iter().map(|p| p.as_os_str()));
        let pkg = dir.path().join("summaries");
        let from_summaries = report_json(&args, &pkg, &["--format", "json"]);
        let name = log.display();
        assert!(
            !from_logs["findings"].as_array().unwrap().is_empty(),
            "{name}"
        );
        assert_eq!(
            comparable(&from_summaries),
            comparable(&from_logs),
            "{name}"
        );
        assert_eq!(
            from_summaries["executive"]["severities"],
            from_logs["executive"]["severities"]
        );
        for f in from_summaries["findings"].as_array().unwrap() {
            for e in f["evidence"].as_array().unwrap() {
                // host:file:line, the file being the host's own log.
                let host = e["host"].as_str().unwrap();
                let source = e["source"].as_str().unwrap();
                let file = dir.path().join(format!("{host}.log"));
                let (at, line) = source.rsplit_once(':').unwrap();
                assert_eq!(at, format!("{host}:{}", file.display()), "{name}");
                // The raw line is that line of the host's log, from the summaries.
                let text = std::fs::read_to_string(&file).unwrap();
                let raw = text
                    .lines()
                    .nth(line.parse::<usize>().unwrap() - 1)
                    .unwrap();
                assert_eq!(e["raw_line"], raw, "{name}: {source}");
            }
        }
        // The sections' rows cite host:file:line too.
        let mut rows = 0;
        for section in from_summaries["sections"].as_array().unwrap() {
            for table in section["tables"].as_array().unwrap() {
                for row in table["rows"].as_array().unwrap() {
                    let host = row["host"].as_str().unwrap();
                    let file = dir.path().join(format!("{host}.log"));
                    let source = row["source"].as_str().unwrap();
                    let (at, _) = source.rsplit_once(':').unwrap();
                    assert_eq!(at, format!("{host}:{}", file.display()), "{name}");
                    rows += 1;
                }
            }
        }
        assert!(rows > 0, "{name}: no section rows");
        // The inputs are the summaries, with their hashes.
        let manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(pkg.join("manifest.json")).unwrap())
                .unwrap();
        let mut inputs: Vec<(String, String)> = manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["path"].as_str().unwrap().to_string(),
                    i["sha256"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        inputs.sort();
        let mut expected: Vec<(String, String)> = summaries
            .iter()
            .map(|p| {
                let hash = auditrail::digest::sha256(&std::fs::read(p).unwrap());
                (p.display().to_string(), hash)
            })
            .collect();
        expected.sort();
        assert_eq!(inputs, expected, "{name}");
    }
    assert!(
        multi_host >= 3,
        "scenarios with several hosts: {multi_host}"
    );
}

/// The whole package from summaries: every format, checksums that verify, the raw lines in
/// the HTML register, a summary.json that merges again.
#[test]
fn a_package_from_summaries_is_complete_verifies_and_merges_again() {
    let dir = tempfile::tempdir().unwrap();
    let log = root().join("samples/scenarios/ssh-brute-force.log");
    let summaries = summaries_of(&split_by_host(&log, dir.path()), None, "");
    let pkg = dir.path().join("pkg");
    let mut args: Vec<&OsStr> = vec!["--summaries".as_ref()];
    args.extend(summaries.iter().map(|p| p.as_os_str()));
    let report = report_json(&args, &pkg, &[]);
    for f in [
        "report.html",
        "report.pdf",
        "findings.csv",
        "summary.json",
        "SHA256SUMS",
    ] {
        assert!(pkg.join(f).is_file(), "{f}");
    }
    auditrail().arg("verify").arg(&pkg).assert().success();
    let brute = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "F-AUTH-01")
        .expect("brute force finding");
    let raw = brute["evidence"][0]["raw_line"].as_str().unwrap();
    assert!(raw.contains("res=failed"), "{raw}");
    let html = std::fs::read_to_string(pkg.join("report.html")).unwrap();
    assert!(
        html.contains(&raw.replace('\'', "&#x27;")[..60]),
        "raw line in the register"
    );
    assert!(html.contains(&format!(
        "bastion:{}",
        dir.path().join("bastion.log").display()
    )));
    // The package's summary.json is the merge, raw lines included: a report from it is
    // the same report.
    let again = report_json(
        &["--summaries".as_ref(), pkg.as_os_str()],
        &dir.path().join("again"),
        &["--format", "json"],
    );
    assert_eq!(again["findings"], report["findings"]);
}

#[test]
fn report_from_summaries_refuses_logs_baseline_and_a_period() {
    let dir = tempfile::tempdir().unwrap();
    let log = root().join("samples/scenarios/ssh-brute-force.log");
    let s = summaries_of(&split_by_host(&log, dir.path()), None, "");
    // Logs before `--summaries` (after it, a log is read as a summary and refused by name).
    for (before, after) in [
        (vec![log.display().to_string()], vec![]),
        (
            vec![],
            vec!["--baseline".into(), s[0].display().to_string()],
        ),
        (vec![], vec!["--period".into(), "2026-10".into()]),
    ] {
        let out = auditrail()
            .arg("report")
            .args(&before)
            .arg("--summaries")
            .arg(&s[0])
            .args(&after)
            .arg("--out")
            .arg(dir.path().join("pkg"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{before:?} {after:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot be used with"), "{err}");
    }
    assert!(!dir.path().join("pkg").exists());
}

/// samples/compare split per host, each host summarised per month: `compare --summaries`
/// gives the comparison of the logs byte for byte, findings included; a summary of a third
/// month is named as unused.
#[test]
fn compare_from_per_host_summaries_equals_compare_from_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    // Each host's log holds both months, as on the host; it is summarised per month.
    let both = dir.path().join("both.log");
    let mut text = std::fs::read(root().join("samples/compare/2026-09.log")).unwrap();
    text.extend(std::fs::read(root().join("samples/compare/2026-10.log")).unwrap());
    std::fs::write(&both, text).unwrap();
    let hosts = split_by_host(&both, dir.path());
    let mut parts = summaries_of(&hosts, Some("2026-09"), "09.");
    parts.extend(summaries_of(&hosts, Some("2026-10"), "10."));
    let unused = summaries_of(&hosts[..1], Some("2026-11"), "11.").remove(0);
    parts.push(unused.clone());
    let periods = [
        "--baseline-period",
        "2026-09",
        "--current-period",
        "2026-10",
    ];
    let mut args: Vec<&OsStr> = vec!["compare".as_ref(), "--format".as_ref(), "json".as_ref()];
    args.extend(periods.iter().map(OsStr::new));
    let logs = root().join("samples/compare");
    let mut from_logs = args.clone();
    from_logs.push(logs.as_os_str());
    let from_logs = run_json(&from_logs);
    args.push("--summaries".as_ref());
    args.extend(parts.iter().map(|p| p.as_os_str()));
    let out = auditrail().args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_summaries: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(from_logs["findings"]["new"]
        .as_array()
        .is_some_and(|n| !n.is_empty()));
    assert!(from_logs["metrics"]["audit.silences"]["baseline"].as_u64() > Some(0));
    assert_eq!(from_summaries, from_logs);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not used") && err.contains(&unused.display().to_string()),
        "{err}"
    );
}

#[test]
fn compare_from_summaries_names_a_summary_across_a_period_edge() {
    let dir = tempfile::tempdir().unwrap();
    let logs = root().join("samples/compare");
    let all = dir.path().join("all.json");
    let out = auditrail()
        .args(["summary", "-q", "--format", "json", "--period", "2026-Q3"])
        .arg(&logs)
        .output()
        .unwrap();
    std::fs::write(&all, out.stdout).unwrap();
    let out = auditrail()
        .args([
            "compare",
            "--baseline-period",
            "2026-09",
            "--current-period",
            "2026-10",
        ])
        .arg("--summaries")
        .arg(&all)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&all.display().to_string())
            && err.contains("straddles the edge of the baseline period 2026-09"),
        "{err}"
    );
}
