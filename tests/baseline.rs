//! `--baseline PKG` on `findings` and `report`: F-MAC-03 against the previous period's
//! denial signatures, F-AUD-11 against its package manifest (samples/compare: September is
//! the baseline, October adds the AppArmor signature of backup-agent on web-01).

use crate::common::root;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const NEW_SIG: &str = "apparmor:/usr/local/bin/backup-agent:open:r";

fn cmd() -> Command {
    Command::cargo_bin("auditrail").unwrap()
}

/// Copies of both months' logs and the September package built from them.
fn september_package(dir: &Path) -> (PathBuf, PathBuf) {
    let logs = dir.join("logs");
    std::fs::create_dir(&logs).unwrap();
    for n in ["2026-09.log", "2026-10.log"] {
        std::fs::copy(root().join("samples/compare").join(n), logs.join(n)).unwrap();
    }
    let pkg = dir.join("pkg-2026-09");
    cmd()
        .args([
            "report", "-q", "--format", "json", "--period", "2026-09", "--out",
        ])
        .arg(&pkg)
        .arg(&logs)
        .assert()
        .success();
    (logs, pkg)
}

fn findings_json(logs: &Path, extra: &[&str]) -> Value {
    let out = cmd()
        .args(["findings", "--format", "json", "--period", "2026-10"])
        .args(["--policy", "nist-800-53r5"])
        .args(extra)
        .arg(logs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn rule<'a>(v: &'a Value, id: &str) -> Option<&'a Value> {
    v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
}

fn control<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["policies"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn findings_without_baseline_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (logs, _) = september_package(dir.path());
    let v = findings_json(&logs, &[]);
    assert_eq!(rule(&v, "F-MAC-03").unwrap()["status"], "not-evaluated");
    assert!(rule(&v, "F-AUD-11").is_none());
    assert!(control(&v, "AU-9")["rules"].get("F-AUD-11").is_none());
}

#[test]
fn findings_with_a_baseline_package_evaluate_mac_03_and_aud_11() {
    let dir = tempfile::tempdir().unwrap();
    let (logs, pkg) = september_package(dir.path());
    let pkg = pkg.to_str().unwrap();

    // Nothing changed since the package: F-AUD-11 passes; the new signature is F-MAC-03.
    let v = findings_json(&logs, &["--baseline", pkg]);
    let mac = rule(&v, "F-MAC-03").unwrap();
    assert_eq!(mac["status"], "findings");
    let found = mac["findings"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["host"], "web-01");
    assert!(found[0]["summary"].as_str().unwrap().contains(NEW_SIG));
    assert_eq!(rule(&v, "F-AUD-11").unwrap()["status"], "pass");
    for c in ["AC-3", "SI-4"] {
        assert_eq!(control(&v, c)["status"], "exceptions", "{c}");
        assert_eq!(control(&v, c)["rules"]["F-MAC-03"], "findings", "{c}");
    }
    assert_eq!(control(&v, "AU-9")["rules"]["F-AUD-11"], "pass");

    // September's log is edited after sign-off: F-AUD-11, critical, under AU-9.
    let sep = logs.join("2026-09.log");
    let text = std::fs::read_to_string(&sep).unwrap();
    std::fs::write(&sep, text.replacen("203.0.113.50", "203.0.113.51", 1)).unwrap();
    let v = findings_json(&logs, &["--baseline", pkg]);
    let aud = rule(&v, "F-AUD-11").unwrap();
    assert_eq!(aud["status"], "findings");
    assert_eq!(aud["findings"][0]["severity"], "critical");
    assert!(aud["findings"][0]["summary"]
        .as_str()
        .unwrap()
        .contains("2026-09.log changed since the package of 2026-09 (UTC)"));
    let au9 = control(&v, "AU-9");
    assert_eq!(au9["status"], "exceptions");
    assert_eq!(au9["exceptions"][0]["rule"], "F-AUD-11");
    cmd()
        .args(["findings", "--period", "2026-10", "--fail-on", "critical"])
        .args(["--baseline", pkg])
        .arg(&logs)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "Baseline: {pkg} (2026-09 (UTC))"
        )));

    // A bare summary.json has no manifest: F-MAC-03 still runs, F-AUD-11 cannot.
    let alone = dir.path().join("sep-summary.json");
    std::fs::copy(Path::new(pkg).join("summary.json"), &alone).unwrap();
    let v = findings_json(&logs, &["--baseline", alone.to_str().unwrap()]);
    assert_eq!(rule(&v, "F-MAC-03").unwrap()["status"], "findings");
    let aud = rule(&v, "F-AUD-11").unwrap();
    assert_eq!(aud["status"], "not-evaluated");
    assert!(aud["reason"].as_str().unwrap().contains("no manifest.json"));
}

#[test]
fn report_with_a_baseline_lists_the_findings_under_their_controls() {
    let dir = tempfile::tempdir().unwrap();
    let (logs, pkg) = september_package(dir.path());
    let sep = logs.join("2026-09.log");
    let text = std::fs::read_to_string(&sep).unwrap();
    std::fs::write(&sep, text.replacen("203.0.113.50", "203.0.113.51", 1)).unwrap();
    let out = dir.path().join("pkg-2026-10");
    cmd()
        .args(["report", "-q", "--format", "json", "--period", "2026-10"])
        .arg("--baseline")
        .arg(&pkg)
        .arg("--out")
        .arg(&out)
        .arg(&logs)
        .assert()
        .success();
    let r: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let register: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(register.contains(&"F-MAC-03#1"), "{register:?}");
    assert!(register.contains(&"F-AUD-11#1"), "{register:?}");
    let row = |framework: &str, id: &str| {
        r["controls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id && c["framework"].as_str().unwrap().starts_with(framework))
            .unwrap()
            .clone()
    };
    let au9 = row("NIST", "AU-9");
    assert_eq!(au9["status"], "exceptions");
    assert_eq!(au9["findings"], serde_json::json!(["F-AUD-11#1"]));
    let ac3 = row("NIST", "AC-3");
    assert!(ac3["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "F-MAC-03#1"));
}

#[test]
fn a_missing_baseline_is_an_error_before_reading() {
    // In an empty directory of its own: `report` without --out writes beside the working
    // directory, which must not depend on what the README's run command left there.
    let tmp = tempfile::tempdir().unwrap();
    for command in ["findings", "report"] {
        cmd()
            .current_dir(tmp.path())
            .arg(command)
            .args(["--baseline", "no-such-package", "--period", "2026-10"])
            .arg(root().join("samples/compare"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--baseline no-such-package: no no-such-package",
            ));
    }
}
