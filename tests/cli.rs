//! The binary: exit codes, error text, formats.

use crate::common::{root, write};
use assert_cmd::Command;
use predicates::prelude::*;

fn cmd() -> Command {
    crate::common::auditrail()
}

const LOG: &str = "node=web-01 type=SYSCALL msg=audit(1790812800.000:1): syscall=59 success=yes\n\
node=web-01 type=EOE msg=audit(1790812800.000:1): \n\
node=web-01 type=USER_LOGIN msg=audit(1790812801.000:2): pid=1 uid=0 msg='op=login acct=\"\x1b[31mroot\" res=failed'\n\
not an audit line\n";

#[test]
fn check_reports_counts_and_rejections() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "audit.log", LOG.as_bytes());
    cmd()
        .arg("check")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 file(s), 4 lines, 3 records, 2 events, 1 rejected line(s)",
        ))
        .stdout(predicate::str::contains("every line accounted for: yes"))
        .stdout(predicate::str::contains("audit.log:4"))
        .stdout(predicate::str::contains("web-01"));
}

#[test]
fn check_json_has_the_documented_keys() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "audit.log", LOG.as_bytes());
    let out = cmd()
        .args(["check", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["lines", "records", "events", "rejected", "nodes", "files"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["lines"], 4);
    assert_eq!(v["rejected"]["total"], 1);
    assert_eq!(v["nodes"][0]["node"], "web-01");
    assert_eq!(v["nodes"][0]["first"], "2026-10-01T00:00:00.000Z");
}

#[test]
fn strict_fails_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "audit.log", LOG.as_bytes());
    cmd()
        .args(["check", "--strict"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("audit.log:4"));
}

#[test]
fn events_jsonl_one_valid_object_per_line_and_stdin() {
    let out = cmd()
        .args(["events", "-"])
        .write_stdin(LOG)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    for l in &lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["node"], "web-01");
        assert_eq!(v["records"][0]["source"]["file"], "-");
    }
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("1 line(s) were not audit records"));
}

#[test]
fn events_text_strips_terminal_escapes() {
    let out = cmd()
        .args(["events", "--format", "text", "-"])
        .write_stdin(LOG)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2026-10-01T00:00:00.000Z web-01 serial=1 SYSCALL,EOE -:1"));
    assert!(!text.contains('\x1b'));
}

#[test]
fn missing_input_is_a_clear_error() {
    cmd()
        .args(["check", "/nonexistent/audit.log"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "auditrail: cannot read /nonexistent/audit.log",
        ))
        .stderr(predicate::str::contains("check the path"));
}

#[test]
fn directory_without_logs_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", b"x");
    cmd()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no audit log files found"));
}

#[test]
fn xz_input_is_refused_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "audit.log.1.xz", b"\xfd7zXZ\x00rest");
    cmd()
        .arg("check")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("xz-compressed"));
}

#[test]
fn rotated_files_on_the_command_line_are_read_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let live = write(
        dir.path(),
        "audit.log",
        b"type=USER_END msg=audit(30.0:3): x=1\n",
    );
    let one = write(
        dir.path(),
        "audit.log.1",
        b"type=USER_END msg=audit(20.0:2): x=1\n",
    );
    let two = write(
        dir.path(),
        "audit.log.2",
        b"type=USER_END msg=audit(10.0:1): x=1\n",
    );
    let out = cmd()
        .args(["events", "--format", "text"])
        .args([&live, &one, &two])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let serials: Vec<&str> = text.lines().map(|l| l.split(' ').nth(2).unwrap()).collect();
    assert_eq!(serials, vec!["serial=1", "serial=2", "serial=3"]);
}

#[test]
fn samples_directory_checks_clean() {
    let samples = root().join("samples");
    if !samples.is_dir() {
        return;
    }
    let out = cmd()
        .args(["check", "--format", "json"])
        .arg(&samples)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["records"].as_u64().unwrap() > 100);
    // Only the deliberate noise samples under records/quirks are rejected.
    for reason in v["rejected"]["reasons"].as_array().unwrap() {
        for s in reason["samples"].as_array().unwrap() {
            assert!(
                s.as_str().unwrap().contains("quirks"),
                "unexpected rejection {s}"
            );
        }
    }
}

fn summary_json(args: &[&str]) -> serde_json::Value {
    let out = cmd()
        .arg("summary")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn summary_json_of_the_scenarios() {
    let scen = root().join("samples/scenarios");
    let f = |n: &str| scen.join(n).to_string_lossy().into_owned();
    let (a, b, c) = (
        f("account-lifecycle.log"),
        f("auditd-health.log"),
        f("ssh-brute-force.log"),
    );
    let v = summary_json(&[&a, &b, &c, "--period", "2026-10"]);
    for key in ["schema_version", "period", "hosts", "input", "metrics"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let m = &v["metrics"];
    // account-lifecycle.log: tmp.contractor created and deleted on web-01, svc-backup on db-01.
    assert_eq!(m["accounts.created"], 2);
    assert_eq!(m["accounts.deleted"], 1);
    // auditd-health.log: `lost=0 old=2318` on web-01.
    assert_eq!(m["audit.lost_events"], 2318);
    assert_eq!(v["hosts"]["web-01"]["lost_events"], 2318);
    // ssh-brute-force.log: 30 failed logins for admin from 203.0.113.50 on bastion.
    let failed = v["logins"]["failed_logins"]["items"].as_array().unwrap();
    let brute = failed
        .iter()
        .filter(|f| {
            f["node"] == "bastion" && f["addr"] == "203.0.113.50" && f["target"]["name"] == "admin"
        })
        .count();
    assert_eq!(brute, 30);
    // Every list item points at a file and line that exists.
    let files = v["input"]["files"].as_array().unwrap();
    let item = &failed[0];
    let file = files[item["source"]["file"].as_u64().unwrap() as usize]["path"]
        .as_str()
        .unwrap();
    let line = item["source"]["line"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(file).unwrap();
    let raw = text.lines().nth(line - 1).unwrap();
    assert!(
        raw.contains("type=USER_LOGIN") && raw.contains("res=failed"),
        "{raw}"
    );
}

#[test]
fn summary_counts_events_outside_the_period() {
    let scen = root().join("samples/scenarios");
    let all = summary_json(&[scen.to_str().unwrap()]);
    let nov = summary_json(&[scen.to_str().unwrap(), "--period", "2026-11"]);
    assert_eq!(nov["metrics"]["events"], 0);
    assert_eq!(nov["metrics"]["outside_period"], all["metrics"]["events"]);
    let day = summary_json(&[
        scen.to_str().unwrap(),
        "--from",
        "2026-10-12",
        "--to",
        "2026-10-13",
    ]);
    assert!(day["metrics"]["logins.failed"].as_u64().unwrap() >= 30);
}

#[test]
fn summary_text_is_aligned_and_sanitized() {
    let out = cmd()
        .args(["summary", "--by-host", "-"])
        .write_stdin(LOG)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Key figures by host"));
    assert!(text.contains("web-01"));
    assert!(
        !text.contains('\x1b'),
        "terminal escapes from log values must be neutralised"
    );
}

#[test]
fn summary_rejects_a_bad_period_clearly() {
    cmd()
        .args(["summary", "--period", "2026-13", "-"])
        .write_stdin(LOG)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("2026-13"));
    cmd()
        .args(["summary", "--tz", "Mars/Olympus", "-"])
        .write_stdin(LOG)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Mars/Olympus"));
}
