//! What `--out` may replace (`report`, `compare`, `trend`): `--force` replaces only a
//! package auditrail wrote, never the inputs; partial directories of interrupted runs are
//! removed (on SIGTERM, and by the next run); two runs never replace each other silently.

use crate::common::{generator, root};
use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const SCENARIO: &str = "samples/scenarios/ssh-brute-force.log";

fn cmd() -> Command {
    let mut c = crate::common::auditrail();
    c.current_dir(root());
    c
}

fn report(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    cmd()
        .args(["report", "-q", "--period", "2026-10"])
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

/// Every file under `dir` with its bytes, to show that nothing changed.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect();
    v.sort();
    v
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A directory of logs: `audit.log` (the scenario) and a note.
fn log_dir(parent: &Path) -> PathBuf {
    let logs = parent.join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::copy(root().join(SCENARIO), logs.join("audit.log")).unwrap();
    std::fs::write(logs.join("README.txt"), b"custodian: ops\n").unwrap();
    logs
}

#[test]
fn force_refuses_a_directory_of_logs_and_leaves_it_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = log_dir(tmp.path());
    let before = contents(&logs);
    // The logs are the input: refused even with --force.
    report(
        &logs,
        &["--force", "--format", "json", logs.to_str().unwrap()],
    )
    .code(2)
    .stderr(predicate::str::contains("is an input of this run"));
    // The logs are not the input: still not an auditrail package.
    report(&logs, &["--force", "--format", "json", SCENARIO])
        .code(2)
        .stderr(predicate::str::contains("is not an auditrail package"))
        .stderr(predicate::str::contains("nothing was deleted"));
    // A directory holding an input.
    report(tmp.path(), &["--force", logs.to_str().unwrap()])
        .code(2)
        .stderr(predicate::str::contains("an input of this run"));
    let mut cmd = cmd();
    cmd.args(["report", "-q", "--format", "json", "--period", "2026-10"])
        .arg("--out")
        .arg(tmp.path())
        .arg("--force")
        .arg(logs.join("audit.log"))
        .assert()
        .code(2);
    assert_eq!(contents(&logs), before, "nothing deleted or changed");
    assert_eq!(names(tmp.path()), ["logs"], "nothing left beside it");
}

#[test]
fn force_replaces_an_earlier_package_only() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("pkg");
    report(&pkg, &["--format", "json", SCENARIO]).success();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pkg.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "report");
    assert_eq!(manifest["tool"]["name"], "auditrail");
    report(&pkg, &["--format", "json", SCENARIO])
        .code(2)
        .stderr(predicate::str::contains("--force"));
    report(&pkg, &["--force", "--format", "csv", SCENARIO]).success();
    assert!(
        !pkg.join("report.json").exists(),
        "the old package was replaced"
    );
    assert!(pkg.join("logins.csv").exists());
    assert_eq!(
        names(tmp.path()),
        ["pkg"],
        "no partial or moved-aside directory left"
    );
    // Someone's file inside the package: the package is no longer only ours.
    std::fs::write(pkg.join("sign-off.pdf"), b"%PDF- signed").unwrap();
    report(&pkg, &["--force", "--format", "json", SCENARIO])
        .code(2)
        .stderr(predicate::str::contains("sign-off.pdf"));
    assert!(pkg.join("sign-off.pdf").exists() && pkg.join("logins.csv").exists());
}

#[test]
fn compare_out_into_a_report_package_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("pkg");
    report(&pkg, &["--format", "json", SCENARIO]).success();
    let before = contents(&pkg);
    let compare = |out: &Path, extra: &[&str]| {
        let mut c = cmd();
        c.args(["compare", "--format", "csv", "--out"])
            .arg(out)
            .args(extra)
            .args([
                "--baseline-period",
                "2026-09",
                "--current-period",
                "2026-10",
                "samples/compare",
            ]);
        c.assert()
    };
    compare(&pkg, &[])
        .code(2)
        .stderr(predicate::str::contains("--force"));
    compare(&pkg, &["--force"])
        .code(2)
        .stderr(predicate::str::contains(
            "holds an auditrail report package",
        ));
    assert_eq!(contents(&pkg), before, "the report package is untouched");

    // Its own package: written with a manifest, replaced with --force only.
    let cmp = tmp.path().join("cmp");
    compare(&cmp, &[])
        .success()
        .stdout(predicate::str::contains("manifest.json"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(cmp.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "compare");
    compare(&cmp, &[]).code(2);
    compare(&cmp, &["--force"]).success();
    // A summary it reads is never its --out.
    cmd()
        .args(["compare", "--format", "csv", "--force", "--out"])
        .arg(&pkg)
        .arg(pkg.join("summary.json"))
        .arg(pkg.join("summary.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("an input of this run"));
    assert_eq!(contents(&pkg), before);
}

#[test]
fn one_file_out_needs_force_and_is_never_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("pkg");
    report(&pkg, &["--format", "json", SCENARIO]).success();
    let summary = pkg.join("summary.json");
    let before = std::fs::read(&summary).unwrap();
    let trend = |out: &Path, extra: &[&str]| {
        let mut c = cmd();
        c.args(["trend", "--format", "json", "--out"])
            .arg(out)
            .args(extra)
            .args([&summary, &summary]);
        c.assert()
    };
    trend(&summary, &["--force"])
        .code(2)
        .stderr(predicate::str::contains("is an input of this run"));
    assert_eq!(std::fs::read(&summary).unwrap(), before);
    let out = tmp.path().join("trend.json");
    std::fs::write(&out, b"someone's notes").unwrap();
    trend(&out, &[])
        .code(2)
        .stderr(predicate::str::contains("exists"));
    assert_eq!(std::fs::read(&out).unwrap(), b"someone's notes");
    trend(&out, &["--force"]).success();
    assert!(std::fs::read(&out).unwrap().starts_with(b"{"));
    assert_eq!(
        names(tmp.path()),
        ["pkg", "trend.json"],
        "no temporary file left"
    );
}

#[test]
fn a_stale_partial_directory_is_swept_and_a_foreign_one_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    // Left by a killed run (pid above the kernel's pid_max: no such process).
    let stale = tmp.path().join(".pkg.partial-4194305");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(
        stale.join(".auditrail-partial"),
        b"auditrail partial package: removed when complete, or by the next run\n",
    )
    .unwrap();
    std::fs::write(stale.join("report.pdf"), vec![0u8; 4096]).unwrap();
    // Someone else's directory with a similar name.
    let foreign = tmp.path().join(".pkg.partial-4194306");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), b"mine").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for d in [&stale, &foreign] {
        std::fs::File::open(d).unwrap().set_modified(old).unwrap();
    }
    report(&tmp.path().join("pkg"), &["--format", "json", SCENARIO])
        .success()
        .stderr(predicate::str::contains(".pkg.partial-4194305"));
    assert!(!stale.exists(), "swept");
    assert_eq!(std::fs::read(foreign.join("keep.txt")).unwrap(), b"mine");
    assert_eq!(names(tmp.path()), [".pkg.partial-4194306", "pkg"]);
}

/// SIGTERM while the package is being written: the partial directory is removed, no
/// package appears, and the exit status says which signal (128 + 15).
#[cfg(unix)]
#[test]
fn an_interrupted_report_leaves_nothing_behind() {
    use std::time::{Duration, Instant};
    let Some(generate) = generator() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    // A larger log renders for longer; retried in the unlikely case that the run finished
    // between seeing its partial directory and the signal.
    for size in ["8M", "32M"] {
        let log = tmp.path().join("gen.log");
        let made = std::process::Command::new(&generate)
            .args(["--size", size, "--hosts", "40", "--seed", "3"])
            .args(["--start", "2026-10-01", "--gap-ms", "20000", "--out"])
            .arg(&log)
            .output()
            .unwrap();
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("auditrail"))
            .args(["report", "-q", "--period", "2026-10", "--out"])
            .arg(&out)
            .arg(&log)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(300);
        let partial = loop {
            let found = names(tmp.path())
                .into_iter()
                .find(|n| n.starts_with(".pkg.partial-"));
            if found.is_some() || Instant::now() > deadline {
                break found;
            }
            if child.try_wait().unwrap().is_some() {
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        assert!(
            partial.is_some(),
            "the run never started writing its package"
        );
        std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        std::fs::remove_file(&log).unwrap();
        if out.exists() {
            eprintln!("the run finished before the signal; again with a larger log");
            std::fs::remove_dir_all(&out).unwrap();
            continue;
        }
        assert_eq!(status.code(), Some(143), "{stderr}");
        assert!(stderr.contains("removed the partial output"), "{stderr}");
        assert_eq!(names(tmp.path()), Vec::<String>::new(), "nothing left");
        return;
    }
    panic!("every run finished before the signal");
}
