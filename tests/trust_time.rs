//! Times from the log are attacker-controlled: a stamp whose milliseconds do not fit is a
//! rejected line (`bad-stamp`, file:line), and no window, duration or offset overflows.

use crate::common::write;
use assert_cmd::Command;
use predicates::prelude::*;

fn cmd() -> Command {
    crate::common::auditrail()
}

/// A login in September, a failed login in October, and the line of the crash: a successful
/// login stamped `audit(9223372036854775.999:2)`, sent through `logger` into a syslog file.
const CRAFTED: &str = "\
node=web-01 type=USER_LOGIN msg=audit(1788220800.000:10): pid=1 uid=0 auid=1001 ses=1 msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=198.51.100.9 addr=198.51.100.9 terminal=ssh res=success'
node=web-01 type=USER_LOGIN msg=audit(1790812800.000:11): pid=1 uid=0 auid=1001 ses=1 msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=198.51.100.9 addr=198.51.100.9 terminal=ssh res=failed'
Oct  1 00:00:05 web-01 logger: type=USER_LOGIN msg=audit(9223372036854775.999:2): pid=1 uid=0 auid=1001 ses=1 msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=198.51.100.9 addr=198.51.100.9 terminal=ssh res=success'
";

#[test]
fn one_crafted_stamp_crashes_neither_findings_nor_report_nor_compare() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "audit.log", CRAFTED.as_bytes());
    // Before the fix each of these panicked (exit 101) computing the login's time.
    cmd()
        .args(["findings", "--period", "all"])
        .arg(&log)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("F-AUTH-04"));
    cmd()
        .args([
            "report", "--quiet", "--period", "2026-10", "--format", "json",
        ])
        .arg("--generated-at=2026-11-01T00:00:00Z")
        .arg("--out")
        .arg(dir.path().join("package"))
        .arg(&log)
        .assert()
        .code(0);
    cmd()
        .args(["compare", "--baseline-period", "2026-09"])
        .args(["--current-period", "2026-10"])
        .arg(&log)
        .assert()
        .code(0);
}

#[test]
fn a_stamp_past_year_9999_is_a_bad_stamp_rejection_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "audit.log", CRAFTED.as_bytes());
    let out = cmd()
        .args(["check", "--format", "json"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(out.status.success());
    let q: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (q["records"].as_u64(), q["rejected"]["total"].as_u64()),
        (Some(2), Some(1))
    );
    let reason = &q["rejected"]["reasons"][0];
    assert_eq!(reason["reason"], "bad-stamp");
    let sample = reason["samples"][0].as_str().unwrap();
    assert!(sample.ends_with("audit.log:3"), "{sample}");
    // The input quality of the report says the same.
    let package = dir.path().join("package");
    cmd()
        .args([
            "report", "--quiet", "--period", "2026-10", "--format", "json",
        ])
        .arg("--generated-at=2026-11-01T00:00:00Z")
        .arg("--out")
        .arg(&package)
        .arg(&log)
        .assert()
        .code(0);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(package.join("report.json")).unwrap()).unwrap();
    let rejections = &report["completeness"]["input"]["rejections"];
    assert_eq!(rejections[0]["reason"], "bad-stamp", "{rejections}");
    assert_eq!(rejections[0]["count"], 1);
}

/// Serials 1, 2 and 5 in October: 3 and 4 are missing (F-AUD-08).
fn gap_log() -> String {
    [
        (1, "1790812800.000"),
        (2, "1790816400.500"),
        (5, "1790820000.250"),
    ]
    .iter()
    .map(|(serial, t)| {
        format!(
            "node=h type=SYSCALL msg=audit({t}:{serial}): arch=c000003e syscall=2 \
                 success=yes exit=3 items=0 ppid=1 pid=2 auid=1001 uid=0 comm=\"x\" \
                 exe=\"/x\" key=(null)\nnode=h type=EOE msg=audit({t}:{serial}): \n"
        )
    })
    .collect()
}

#[test]
fn f_aud_08_evidence_shows_the_events_times_not_epoch_0() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "audit.log", gap_log().as_bytes());
    let package = dir.path().join("package");
    cmd()
        .args([
            "report", "--quiet", "--period", "2026-10", "--format", "json",
        ])
        .arg("--generated-at=2026-11-01T00:00:00Z")
        .arg("--out")
        .arg(&package)
        .arg(&log)
        .assert()
        .code(0);
    let text = std::fs::read_to_string(package.join("report.json")).unwrap();
    assert!(!text.contains("1970-01-01"), "epoch 0 as a placeholder");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "F-AUD-08")
        .expect("F-AUD-08 in the register");
    let times: Vec<&str> = finding["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["time"].as_str().unwrap())
        .collect();
    assert_eq!(
        times,
        ["2026-10-01T01:00:00.500Z", "2026-10-01T02:00:00.250Z"]
    );
    assert_eq!(finding["time"], "2026-10-01T01:00:00.500Z");
    // The text output of `findings` shows the same times.
    cmd()
        .args(["findings", "--period", "2026-10"])
        .arg(&log)
        .assert()
        .stdout(predicate::str::contains(
            "2026-10-01T02:00:00.250Z h actor=- target=- result=- first serial after the gap",
        ))
        .stdout(predicate::str::contains("1970").not());
}
