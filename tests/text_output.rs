//! Snapshots of every text output on samples/: `summary` (with and without `--by-host`, and
//! with few rows), `findings` (with and without an exceptions register), `check`, `events
//! --format text`, `compare`, `trend`, `report`'s summary on standard output and `verify`
//! (of an intact and of an edited package). Run from the repository root with relative
//! paths, so the snapshots hold no machine's paths (a temporary directory's is replaced).

use crate::common::root;
use assert_cmd::Command;
use std::path::Path;

/// Runs auditrail in `dir` with `args`; its standard output, which must be UTF-8 text of a
/// successful run.
fn text_in(dir: &Path, args: &[&str]) -> String {
    text_exit(dir, args, 0)
}

/// Runs auditrail in `dir` with `args`; its standard output, which must be UTF-8 text of a
/// run that exits with `code`.
fn text_exit(dir: &Path, args: &[&str], code: i32) -> String {
    let out = Command::cargo_bin("auditrail")
        .unwrap()
        .current_dir(dir)
        .env_remove("AUDITRAIL_TZ")
        .env_remove("AUDITRAIL_CONFIG")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
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
fn summary_text_few_rows() {
    // Two rows per list: every list says how many more there are; the ranked lists too.
    let t = text(&[
        "summary",
        "samples/scenarios",
        "--period",
        "2026-10",
        "--rows",
        "2",
    ]);
    assert!(t.contains("more (all in --format json)"), "{t}");
    insta::assert_snapshot!("summary_text_few_rows", t);
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
fn findings_text_with_exceptions() {
    let t = text(&[
        "findings",
        "samples/scenarios",
        "--period",
        "2026-10",
        "--policy",
        "pci-dss-4.0.1",
        "--exceptions",
        "samples/exceptions.toml",
    ]);
    assert!(t.contains("\n== Exceptions register ("), "{t}");
    insta::assert_snapshot!("findings_text_with_exceptions", t);
}

/// A report package of samples/scenarios written into a temporary directory: what
/// `report` printed (the directory named `OUT`), and the directory.
fn report_package() -> (String, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("package");
    let t = text(&[
        "report",
        "samples/scenarios",
        "--period",
        "2026-10",
        "--policy",
        "pci-dss-4.0.1",
        "--exceptions",
        "samples/exceptions.toml",
        "--generated-at",
        "2026-11-01T00:00:00Z",
        "--out",
        out.to_str().unwrap(),
    ]);
    (t.replace(out.to_str().unwrap(), "OUT"), tmp)
}

#[test]
fn report_text() {
    let (t, _tmp) = report_package();
    assert!(t.ends_with(" file(s) to OUT\n"), "{t}");
    insta::assert_snapshot!("report_text", t);
}

#[test]
fn verify_text() {
    let (_, tmp) = report_package();
    let pkg = tmp.path().join("package");
    let intact = text(&["verify", pkg.to_str().unwrap()]);
    assert!(intact.ends_with("\nintact\n"), "{intact}");
    insta::assert_snapshot!("verify_text", intact);
    // An edited output and a file the package does not list: both named.
    let csv = pkg.join("hosts.csv");
    let mut bytes = std::fs::read(&csv).unwrap();
    bytes.extend_from_slice(b"edited\n");
    std::fs::write(&csv, bytes).unwrap();
    std::fs::write(pkg.join("extra.txt"), "added\n").unwrap();
    let edited = text_exit(&root(), &["verify", pkg.to_str().unwrap()], 1);
    assert!(edited.contains("MISMATCH hosts.csv"), "{edited}");
    insta::assert_snapshot!("verify_text_edited", edited);
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
