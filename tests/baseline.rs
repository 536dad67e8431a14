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
    crate::common::auditrail()
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

/// Logs named as auditd names them (September in `audit.log.1`, October live in
/// `audit.log`) and the September package built from them.
fn rotated_package(dir: &Path) -> (PathBuf, PathBuf) {
    let logs = dir.join("audit");
    std::fs::create_dir(&logs).unwrap();
    let src = root().join("samples/compare");
    std::fs::copy(src.join("2026-09.log"), logs.join("audit.log.1")).unwrap();
    std::fs::copy(src.join("2026-10.log"), logs.join("audit.log")).unwrap();
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

fn gzip(path: &Path) {
    use std::io::Write;
    let bytes = std::fs::read(path).unwrap();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(&bytes).unwrap();
    let mut name = path.as_os_str().to_owned();
    name.push(".gz");
    std::fs::write(&name, e.finish().unwrap()).unwrap();
    std::fs::remove_file(path).unwrap();
}

/// auditd rotates: the live log grows and becomes `audit.log.1`, the old `audit.log.1`
/// becomes `audit.log.2` and is compressed, a new `audit.log` starts.
fn rotate(logs: &Path) {
    let live = logs.join("audit.log");
    let mut text = std::fs::read_to_string(&live).unwrap();
    let last = text.lines().last().unwrap().to_string();
    text.push_str(&last.replace("1793178600.020:520020", "1793179000.000:520021"));
    text.push('\n');
    std::fs::write(&live, text).unwrap();
    std::fs::rename(logs.join("audit.log.1"), logs.join("audit.log.2")).unwrap();
    gzip(&logs.join("audit.log.2"));
    std::fs::rename(&live, logs.join("audit.log.1")).unwrap();
    std::fs::write(
        &live,
        format!(
            "{}\n",
            last.replace("1793178600.020:520020", "1793180000.000:520099")
        ),
    )
    .unwrap();
}

fn integrity_of(v: &Value) -> Vec<(String, String)> {
    let aud = rule(v, "F-AUD-11").unwrap();
    aud["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["summary"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn rotation_is_not_a_finding_and_the_monthly_job_passes() {
    let dir = tempfile::tempdir().unwrap();
    let (logs, pkg) = rotated_package(dir.path());
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(pkg.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["inputs"][0]["first_record"],
        "2026-09-01T09:00:00.001Z"
    );
    rotate(&logs);
    let pkg = pkg.to_str().unwrap();
    let v = findings_json(&logs, &["--baseline", pkg]);
    assert_eq!(rule(&v, "F-AUD-11").unwrap()["status"], "pass", "{v:#}");
    let out = cmd()
        .args(["findings", "--period", "2026-10", "--fail-on", "critical"])
        .args(["--baseline", pkg])
        .arg(&logs)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("2 archived input(s) checked: 1 compressed, 1 appended"),
        "{text}"
    );
    assert!(
        text.contains("audit.log.2.gz") && text.contains("appended"),
        "{text}"
    );

    // The October package records both hashes of the compressed file, and the next
    // month's check follows it again.
    let oct = dir.path().join("pkg-2026-10");
    cmd()
        .args(["report", "-q", "--format", "json", "--period", "2026-10"])
        .args(["--baseline", pkg, "--out"])
        .arg(&oct)
        .arg(&logs)
        .assert()
        .success();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(oct.join("manifest.json")).unwrap()).unwrap();
    let gz = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("audit.log.2.gz"))
        .unwrap();
    let plain = std::fs::read(root().join("samples/compare/2026-09.log")).unwrap();
    assert_eq!(gz["decompressed_sha256"], auditrail::digest::sha256(&plain));
    assert_eq!(gz["decompressed_bytes"], plain.len() as u64);
    std::fs::rename(logs.join("audit.log.2.gz"), logs.join("audit.log.3.gz")).unwrap();
    std::fs::rename(logs.join("audit.log.1"), logs.join("audit.log.2")).unwrap();
    gzip(&logs.join("audit.log.2"));
    let v = findings_json(&logs, &["--baseline", oct.to_str().unwrap()]);
    assert_eq!(rule(&v, "F-AUD-11").unwrap()["status"], "pass", "{v:#}");
}

#[test]
fn an_edited_or_missing_archive_is_a_finding_after_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let (logs, pkg) = rotated_package(dir.path());
    rotate(&logs);
    let pkg = pkg.to_str().unwrap();
    // September's archive, now audit.log.2.gz, edited.
    let gz = logs.join("audit.log.2.gz");
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap()),
        &mut text,
    )
    .unwrap();
    std::fs::remove_file(&gz).unwrap();
    std::fs::write(
        logs.join("audit.log.2"),
        text.replacen("203.0.113.50", "203.0.113.51", 1),
    )
    .unwrap();
    gzip(&logs.join("audit.log.2"));
    let v = findings_json(&logs, &["--baseline", pkg]);
    let found = integrity_of(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "critical");
    assert!(
        found[0]
            .1
            .contains("audit.log.1 changed since the package of 2026-09 (UTC)")
            && found[0].1.contains("found as")
            && found[0].1.contains("audit.log.2.gz, sha256"),
        "{found:?}"
    );
    // Gone altogether: missing, high; --fail-on critical passes, --fail-on high fails.
    std::fs::remove_file(&gz).unwrap();
    let v = findings_json(&logs, &["--baseline", pkg]);
    let found = integrity_of(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "high");
    assert!(found[0].1.contains("audit.log.1 is missing"), "{found:?}");
    for (level, code) in [("critical", 0), ("high", 1)] {
        cmd()
            .args(["findings", "--period", "2026-10", "--fail-on", level])
            .args(["--baseline", pkg])
            .arg(&logs)
            .assert()
            .code(code);
    }
}

#[test]
fn a_manifest_with_a_malformed_hash_is_an_error_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let (logs, pkg) = rotated_package(dir.path());
    let path = pkg.join("manifest.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m["inputs"][1]["sha256"] = "ABC".into();
    std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
    cmd()
        .args(["findings", "--period", "2026-10", "--baseline"])
        .arg(&pkg)
        .arg(&logs)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("manifest.json: inputs[1].sha256"))
        .stderr(predicate::str::contains("64 lowercase hex digits"));
}
