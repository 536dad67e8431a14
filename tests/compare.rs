//! `auditrail compare` over samples/compare (September and October 2026, bastion and
//! web-01 in both, lab-02 in September only): from logs, from summary.json files and from
//! report directories, in JSON, CSV and text.

use crate::common::{generator, root, write};
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn cmd() -> Command {
    crate::common::auditrail()
}

fn logs() -> String {
    root()
        .join("samples/compare")
        .to_string_lossy()
        .into_owned()
}

fn run_ok(args: &[&str]) -> Vec<u8> {
    let out = cmd().arg("compare").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn from_logs(format: &str, extra: &[&str]) -> Vec<u8> {
    let logs = logs();
    let mut args = vec![
        "--baseline-period",
        "2026-09",
        "--current-period",
        "2026-10",
        "--format",
        format,
        logs.as_str(),
    ];
    args.extend_from_slice(extra);
    run_ok(&args)
}

/// Writes the summary of `period` to `dir/name`.
fn summary(dir: &Path, name: &str, period: &str) -> PathBuf {
    let out = cmd()
        .args(["summary", "--format", "json", "--period", period, &logs()])
        .output()
        .unwrap();
    assert!(out.status.success());
    write(dir, name, &out.stdout)
}

/// The parts of a comparison that do not depend on how its sides were produced.
fn assert_period_story(v: &Value) {
    let m = &v["metrics"];
    // The brute-force burst: 12 failed logins in September, none in October.
    assert_eq!(
        m["logins.failed"],
        json!({"baseline": 12, "current": 0, "change": -12, "change_pct": -100.0, "flagged": true})
    );
    // +1 signature is +100% but below the absolute floor of 5.
    assert_eq!(m["mac.signatures"]["change_pct"], 100.0);
    assert_eq!(m["mac.signatures"]["flagged"], false);
    assert_eq!(m["accounts.deleted"]["change_pct"], Value::Null);
    assert!(m.get("outside_period").is_none());
    assert_eq!(
        v["hosts"]["bastion"],
        json!({
            "baseline": {"events": 22, "logins_failed": 12, "lost_events": 0, "silences": 10},
            "current": {"events": 10, "logins_failed": 0, "lost_events": 0, "silences": 9},
        })
    );
    assert_eq!(v["hosts"]["lab-02"]["current"], Value::Null);
    assert_eq!(
        v["host_presence"],
        json!({"new": [], "vanished": ["lab-02"], "persisting": ["bastion", "web-01"]})
    );
    assert_eq!(
        v["accounts"],
        json!({
            "created_baseline": ["tmp.contractor"],
            "created_current": ["erin"],
            "deleted_baseline": [],
            "deleted_current": ["tmp.contractor"],
            "seen": {
                "new": ["erin"],
                "vanished": ["admin", "carol"],
                "persisting": ["alice", "bob"],
            },
        })
    );
    assert_eq!(
        v["signatures"],
        json!({
            "new": ["apparmor:/usr/local/bin/backup-agent:open:r"],
            "vanished": [],
            "persisting": ["apparmor:/usr/sbin/nginx:open:r"],
        })
    );
}

#[test]
fn compare_from_logs_in_json() {
    let v: Value = serde_json::from_slice(&from_logs("json", &[])).unwrap();
    assert_eq!(v["baseline"], "2026-09 (UTC)");
    assert_eq!(v["current"], "2026-10 (UTC)");
    assert_period_story(&v);
    let f = &v["findings"];
    let has = |list: &str, key: &str| f[list].as_array().unwrap().iter().any(|x| x == key);
    // The September burst on bastion does not recur: its finding is resolved.
    assert!(has("vanished", "F-AUTH-01 bastion"), "{f}");
    assert!(!has("new", "F-AUTH-01 bastion"));
    assert!(!has("persisting", "F-AUTH-01 bastion"));
    // lab-02 logged nothing in October: only its coverage finding persists (F-AUD-10: it
    // had records in the input, none in the period), nothing about its activity.
    let lab_02: Vec<&Value> = f["persisting"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k.as_str().unwrap().ends_with(" lab-02"))
        .collect();
    assert_eq!(lab_02, ["F-AUD-10 lab-02"], "{f}");
    // The October-only enforced AppArmor denial is F-MAC-03 against September's signatures.
    assert!(has("new", "F-MAC-03 web-01"), "{f}");
}

#[test]
fn compare_summaries_and_report_directories_agree_with_logs() {
    let dir = tempfile::tempdir().unwrap();
    let sep = summary(dir.path(), "sep.json", "2026-09");
    let oct = summary(dir.path(), "oct.json", "2026-10");
    let v: Value = serde_json::from_slice(&run_ok(&[
        sep.to_str().unwrap(),
        oct.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    assert_period_story(&v);
    assert!(
        v.get("findings").is_none(),
        "summaries carry no site config"
    );

    // A report package directory is read through its summary.json.
    let pkg = dir.path().join("pkg-oct");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::copy(&oct, pkg.join("summary.json")).unwrap();
    let w: Value = serde_json::from_slice(&run_ok(&[
        sep.to_str().unwrap(),
        pkg.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v, w);

    // And a package written by `report` itself.
    let report = dir.path().join("report-oct");
    let out = cmd()
        .args([
            "report", "-q", "--format", "json", "--period", "2026-10", "--out",
        ])
        .arg(&report)
        .arg(logs())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&run_ok(&[
        sep.to_str().unwrap(),
        report.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    assert_period_story(&r);
}

#[test]
fn compare_rejects_other_schema_versions_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let sep = summary(dir.path(), "sep.json", "2026-09");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&sep).unwrap()).unwrap();
    v["schema_version"] = json!(2);
    let future = write(dir.path(), "future.json", v.to_string().as_bytes());
    cmd()
        .args(["compare", sep.to_str().unwrap(), future.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("future.json"))
        .stderr(predicate::str::contains(
            "schema_version 2 is not supported",
        ));
    v["schema_version"] = json!(0);
    let older = write(dir.path(), "older.json", v.to_string().as_bytes());
    cmd()
        .args(["compare", older.to_str().unwrap(), sep.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "older.json: summary schema_version 0 is not supported",
        ));
    let other = write(dir.path(), "other.json", b"{\"hosts\": {}}");
    cmd()
        .args(["compare", sep.to_str().unwrap(), other.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("other.json: no schema_version"));
    cmd()
        .args(["compare", sep.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give two summaries"));
}

#[test]
fn compare_writes_csv_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    from_logs("csv", &["--out", out.to_str().unwrap()]);
    let read = |n: &str| std::fs::read_to_string(out.join(n)).unwrap();
    let metrics = read("metrics.csv");
    assert!(metrics.starts_with("metric,baseline,current,change,change_pct,flagged\n"));
    assert!(
        metrics.contains("\nlogins.failed,12,0,-12,-100,true\n"),
        "{metrics}"
    );
    let hosts = read("hosts.csv");
    assert!(
        hosts.contains("\nlab-02,went-silent,events,5,\n"),
        "{hosts}"
    );
    assert!(hosts.contains("\nbastion,both,logins_failed,12,0\n"));
    let accounts = read("accounts.csv");
    assert!(accounts.contains("\ncreated,current,erin\n"));
    assert!(accounts.contains("\ndeleted,current,tmp.contractor\n"));
    assert!(accounts.contains("\nseen,new,erin\n"));
    assert!(accounts.contains("\nseen,vanished,admin\n"));
    let sigs = read("signatures.csv");
    assert!(sigs.contains("\nmac-signature,new,apparmor:/usr/local/bin/backup-agent:open:r\n"));
    assert!(read("findings.csv").contains("\nfinding,resolved,F-AUTH-01 bastion\n"));
    cmd()
        .args(["compare", "--format", "csv", "a.json", "b.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
}

#[test]
fn compare_text_shows_each_section() {
    let text = String::from_utf8(from_logs("text", &[])).unwrap();
    for needle in [
        "Comparison: 2026-09 (UTC) (baseline) -> 2026-10 (UTC) (current)",
        "went silent  lab-02",
        "created (current)   erin",
        "deleted (current)   tmp.contractor",
        "first seen          erin",
        "new     apparmor:/usr/local/bin/backup-agent:open:r",
        "resolved    F-AUTH-01 bastion",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let failed = text.lines().find(|l| l.contains("logins.failed")).unwrap();
    assert!(
        failed.contains("-100.0%") && failed.ends_with("FLAG"),
        "{failed}"
    );
}

#[test]
fn trend_lists_metrics_per_period() {
    let dir = tempfile::tempdir().unwrap();
    let sep = summary(dir.path(), "sep.json", "2026-09");
    let oct = summary(dir.path(), "oct.json", "2026-10");
    let out = cmd()
        .args(["trend", "--format", "csv"])
        .args([&sep, &oct])
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("metric,2026-09 (UTC),2026-10 (UTC)\n"),
        "{csv}"
    );
    assert!(csv.contains("\nlogins.failed,12,0\n"));
    assert!(csv.contains("\nmac.signatures,1,2\n"));
    let text = cmd()
        .arg("trend")
        .args([&sep, &oct])
        .output()
        .unwrap()
        .stdout;
    let text = String::from_utf8(text).unwrap();
    let failed = text.lines().find(|l| l.contains("logins.failed")).unwrap();
    assert!(
        failed.trim_end().ends_with(" 0") && failed.contains("12"),
        "{failed}"
    );
}

#[test]
fn compare_checks_the_baseline_manifest_f_aud_11() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let src = root().join("samples/compare");
    for n in ["2026-09.log", "2026-10.log", "spare.log"] {
        let from = if n == "spare.log" { "2026-10.log" } else { n };
        std::fs::copy(src.join(from), logs.join(n)).unwrap();
    }
    let pkg = dir.path().join("pkg-2026-09");
    let out = cmd()
        .args([
            "report", "-q", "--format", "json", "--period", "2026-09", "--out",
        ])
        .arg(&pkg)
        .arg(&logs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // September's log is edited after sign-off; October's live log only grows.
    let sep = logs.join("2026-09.log");
    let text = std::fs::read_to_string(&sep).unwrap();
    std::fs::write(&sep, text.replacen("203.0.113.50", "203.0.113.51", 1)).unwrap();
    let oct = logs.join("2026-10.log");
    let mut text = std::fs::read_to_string(&oct).unwrap();
    text.push_str(text.clone().lines().last().unwrap());
    text.push('\n');
    std::fs::write(&oct, text).unwrap();
    let v: Value = serde_json::from_slice(&run_ok(&[
        "--baseline-period",
        "2026-09",
        "--current-period",
        "2026-10",
        "--baseline-manifest",
        pkg.to_str().unwrap(),
        "--format",
        "json",
        logs.join("2026-09.log").to_str().unwrap(),
        logs.join("2026-10.log").to_str().unwrap(),
    ]))
    .unwrap();
    let checks = v["integrity"].as_array().unwrap();
    // spare.log was in the package but is not an input now: not checked.
    assert_eq!(checks.len(), 2, "{checks:?}");
    let by = |name: &str| {
        checks
            .iter()
            .find(|c| c["path"].as_str().unwrap().ends_with(name))
            .unwrap()
    };
    assert_eq!(by("2026-09.log")["status"], "changed");
    assert_eq!(by("2026-09.log")["finding"], "F-AUD-11 critical");
    assert_eq!(by("2026-10.log")["status"], "appended");
    assert!(by("2026-10.log").get("finding").is_none());
    // The changed archive is critical for --fail-on; nothing else new is. The text output
    // says why it exits 1.
    let out = cmd()
        .args([
            "compare",
            "--baseline-period",
            "2026-09",
            "--current-period",
            "2026-10",
        ])
        .arg("--baseline-manifest")
        .arg(&pkg)
        .args(["--fail-on", "critical"])
        .args([logs.join("2026-09.log"), logs.join("2026-10.log")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Archived inputs of the baseline package (F-AUD-11): 1 appended, 1 changed"),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.contains("2026-09.log"))
        .unwrap_or_default();
    assert!(
        line.contains("changed") && line.contains("F-AUD-11 critical"),
        "{text}"
    );
}

/// Summaries of `periods` from one read of `paths` and from one read per period, as JSON
/// (with the input quality of each run).
fn one_pass_and_separate(paths: &[PathBuf], periods: &[&str]) -> (Vec<String>, Vec<String>) {
    use auditrail::pipeline::{summarize, summarize_many, SummaryOptions};
    let inputs = auditrail::input::collect(paths).unwrap();
    let read = auditrail::parse::ReadOptions::default();
    let tz = auditrail::period::parse_tz("UTC").unwrap();
    let now = chrono::Utc::now();
    let period = |spec: &str| auditrail::period::Period::parse(spec, tz, now).unwrap();
    let opts = || SummaryOptions {
        names: auditrail::classify::NameResolver::empty(),
        silence_ms: auditrail::pipeline::hours_ms(4),
        aureport: true,
        watch: Default::default(),
    };
    fn json(s: &auditrail::aggregate::Summary, q: &auditrail::parse::InputQuality) -> String {
        auditrail::cmd::summary::summary_json(s, q)
            .map(|b| String::from_utf8(b).unwrap())
            .unwrap()
    }
    let specs: Vec<_> = periods.iter().map(|p| period(p)).collect();
    let (many, quality) = summarize_many(&inputs, &read, specs, opts(), &mut |_| {}).unwrap();
    let one_pass = many.iter().map(|s| json(s, &quality)).collect();
    let separate = periods
        .iter()
        .map(|p| {
            let (s, q) = summarize(&inputs, &read, period(p), opts(), &mut |_| {}).unwrap();
            json(&s, &q)
        })
        .collect();
    (one_pass, separate)
}

#[test]
fn one_pass_summaries_equal_separate_runs_on_the_samples() {
    let paths = [root().join("samples/compare")];
    // Disjoint, reversed, overlapping (a week inside a month), and a period with no events.
    for periods in [
        &["2026-09", "2026-10"][..],
        &["2026-10", "2026-09"],
        &["2026-10", "2026-W41", "2026-09"],
        &["2026-09", "2025-01"],
    ] {
        let (one, separate) = one_pass_and_separate(&paths, periods);
        assert_eq!(one.len(), periods.len());
        for (i, (a, b)) in one.iter().zip(&separate).enumerate() {
            assert!(a == b, "{periods:?}: period {} differs", periods[i]);
        }
    }
}

#[test]
fn one_pass_summaries_equal_separate_runs_on_a_generated_log() {
    let Some(generate) = generator() else { return };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gen.log");
    // About 7,000 draws, 5 minutes apart: late September to the end of October.
    let out = std::process::Command::new(generate)
        .args(["--size", "4M", "--hosts", "3", "--seed", "11"])
        .args(["--start", "2026-09-28", "--gap-ms", "300000", "--out"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (one, separate) = one_pass_and_separate(&[log], &["2026-W41", "2026-W42", "2026-10"]);
    for (a, b) in one.iter().zip(&separate) {
        assert!(a == b, "one pass differs from a separate run");
    }
    let v: Value = serde_json::from_str(&one[0]).unwrap();
    assert!(v["metrics"]["events"].as_u64() > Some(0), "W41 has events");
    assert!(v["metrics"]["outside_period"].as_u64() > Some(0));
}

#[test]
fn a_summary_built_now_and_read_back_from_its_file_compare_alike() {
    use auditrail::compare::{load, trend::Trend, view::SummaryView, Comparison, Threshold};
    let paths = [root().join("samples/compare")];
    let inputs = auditrail::input::collect(&paths).unwrap();
    let tz = auditrail::period::parse_tz("UTC").unwrap();
    let periods = ["2026-09", "2026-10"]
        .iter()
        .map(|p| auditrail::period::Period::parse(p, tz, chrono::Utc::now()).unwrap())
        .collect();
    let opts = auditrail::pipeline::SummaryOptions {
        names: auditrail::classify::NameResolver::empty(),
        silence_ms: auditrail::pipeline::hours_ms(4),
        aureport: false,
        watch: Default::default(),
    };
    let read = auditrail::parse::ReadOptions::default();
    let (s, _) =
        auditrail::pipeline::summarize_many(&inputs, &read, periods, opts, &mut |_| {}).unwrap();
    let built: Vec<SummaryView> = s.iter().map(SummaryView::of).collect();
    let read_back: Vec<SummaryView> = s
        .iter()
        .map(|s| load::from_reader(serde_json::to_vec(s).unwrap().as_slice()).unwrap())
        .collect();
    assert_eq!(built, read_back);
    assert!(
        !built[1].accounts.modified.items.is_empty(),
        "grants are read"
    );
    assert!(built[1].hosts.values().any(|h| !h.by_day.is_empty()));
    let t = Threshold::default();
    assert_eq!(
        Comparison::new(&built[0], &built[1], t),
        Comparison::new(&read_back[0], &read_back[1], t)
    );
    assert_eq!(Trend::new(&built), Trend::new(&read_back));
}

#[test]
fn only_summary_schema_version_1_is_read() {
    use auditrail::compare::load::{from_reader, Refused, Version};
    let refused = |text: &str| match from_reader(text.as_bytes()) {
        Err(Refused::Version(v)) => v,
        other => panic!("{text}: {other:?}"),
    };
    // Another version is refused by name, whatever the rest of the file holds.
    let v2 = r#"{"schema_version": 2, "metrics": "another shape", "period": []}"#;
    assert_eq!(refused(v2), Version::Unsupported(2));
    assert_eq!(refused(r#"{"schema_version": 0}"#), Version::Unsupported(0));
    assert_eq!(
        refused(r#"{"schema_version": "1", "metrics": {}}"#),
        Version::NotANumber(serde_json::json!("1"))
    );
    assert_eq!(refused(r#"{"metrics": {}}"#), Version::Missing);
    assert_eq!(refused(r#"{"schema_version": null}"#), Version::Missing);
    assert_eq!(refused("[1, 2]"), Version::Missing);
    let v1 = r#"{"schema_version": 1, "period": {"label": "p"}, "metrics": {"events": 2}}"#;
    assert_eq!(from_reader(v1.as_bytes()).unwrap().metrics["events"], 2);
}
