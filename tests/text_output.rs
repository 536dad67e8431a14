//! Snapshots of every text output on samples/: `summary` (with and without `--by-host`),
//! `findings`, `check`, `events --format text`, `compare` and `trend`. Run from the
//! repository root with relative paths, so the snapshots hold no machine's paths.

use crate::common::root;
use assert_cmd::Command;
use std::path::Path;

/// Runs auditrail in `dir` with `args`; its standard output, which must be UTF-8 text of a
/// successful run.
fn text_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("auditrail")
        .unwrap()
        .current_dir(dir)
        .env_remove("AUDITRAIL_TZ")
        .env_remove("AUDITRAIL_CONFIG")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "auditrail {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn text(args: &[&str]) -> String {
    text_in(&root(), args)
}

#[test]
fn summary_text() {
    let t = text(&["summary", "samples/scenarios", "--period", "2026-10"]);
    insta::assert_snapshot!("summary_text", t);
}

#[test]
fn summary_text_by_host() {
    let t = text(&[
        "summary",
        "samples/scenarios",
        "--period",
        "2026-10",
        "--by-host",
    ]);
    assert!(t.contains("\nKey figures by host\n"), "{t}");
    insta::assert_snapshot!("summary_text_by_host", t);
}

#[test]
fn findings_text() {
    let t = text(&[
        "findings",
        "samples/scenarios",
        "--period",
        "2026-10",
        "--policy",
        "pci-dss-4.0.1",
    ]);
    insta::assert_snapshot!("findings_text", t);
}

#[test]
fn check_text() {
    insta::assert_snapshot!("check_text", text(&["check", "samples"]));
}

#[test]
fn events_text() {
    let t = text(&["events", "samples/records", "--format", "text"]);
    insta::assert_snapshot!("events_text", t);
}

#[test]
fn compare_text() {
    let t = text(&[
        "compare",
        "samples/compare",
        "--baseline-period",
        "2026-09",
        "--current-period",
        "2026-10",
    ]);
    insta::assert_snapshot!("compare_text", t);
}

#[test]
fn trend_text() {
    let tmp = tempfile::tempdir().unwrap();
    for month in ["2026-09", "2026-10"] {
        let log = root().join(format!("samples/compare/{month}.log"));
        let json = text(&[
            "summary",
            log.to_str().unwrap(),
            "--period",
            month,
            "--format",
            "json",
        ]);
        std::fs::write(tmp.path().join(format!("{month}.json")), json).unwrap();
    }
    let t = text_in(tmp.path(), &["trend", "2026-09.json", "2026-10.json"]);
    insta::assert_snapshot!("trend_text", t);
}
