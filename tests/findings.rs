//! `auditrail findings` and `auditrail config`: exit codes with `--fail-on`, policy and
//! configuration errors, sanitized text, JSON shape.

use crate::common::{root, write};
use assert_cmd::Command;
use predicates::prelude::*;

fn cmd() -> Command {
    crate::common::auditrail()
}

fn scenario(name: &str) -> std::path::PathBuf {
    root().join("samples/scenarios").join(format!("{name}.log"))
}

#[test]
fn fail_on_high_exits_1_when_a_high_finding_exists() {
    cmd()
        .args(["findings", "--policy", "pci-dss-4.0.1", "--fail-on", "high"])
        .arg(scenario("ssh-brute-force"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("F-AUTH-01"))
        .stdout(predicate::str::contains("ssh-brute-force.log:9"));
}

#[test]
fn fail_on_high_exits_0_when_findings_are_below_it() {
    // normal-month with quiet thresholds: only info (software updates) and medium remain.
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "auditrail.toml",
        b"[thresholds]\nsilent_hours = 48\nserial_gap_max = 1\n",
    );
    cmd()
        .args(["findings", "--fail-on", "high", "--config"])
        .arg(&config)
        .arg(scenario("normal-month"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("F-SYS-02"));
    cmd()
        .args(["findings", "--fail-on", "info", "--config"])
        .arg(&config)
        .arg(scenario("normal-month"))
        .assert()
        .code(1);
}

#[test]
fn without_fail_on_findings_exit_0() {
    cmd()
        .arg("findings")
        .arg(scenario("auditd-health"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("exceptions"));
}

#[test]
fn malformed_policy_is_an_error_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "x.toml",
        b"framework = \"x\"\nversion = \"1\"\ntitle = \"X\"\n[[controls]]\nid = \"1\"\n\
          title = \"t\"\ncoverage = \"direct\"\nevidence = [\"logins.fail\"]\n",
    );
    cmd()
        .args(["findings", "--policy"])
        .arg(&p)
        .arg(scenario("normal-month"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "x.toml: controls[0].evidence[0]: unknown metric \"logins.fail\"",
        ));
}

#[test]
fn unknown_policy_name_and_bad_config_exit_2() {
    cmd()
        .args(["findings", "--policy", "pci-dss-9"])
        .arg(scenario("normal-month"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("built-ins: pci-dss-4.0.1"));
    let dir = tempfile::tempdir().unwrap();
    let c = write(dir.path(), "site.toml", b"[thresholds]\nbrute_force = 3\n");
    cmd()
        .args(["findings", "--config"])
        .arg(&c)
        .arg(scenario("normal-month"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("site.toml: "))
        .stderr(predicate::str::contains("brute_force"));
}

/// A window of 0 minutes panicked in F-AUTH-01 (exit 101); a percentage over 100 or a
/// duration past `u64` milliseconds was used as given. Each is now an error (exit 2) naming
/// the file, the key and its line, from `findings` and from `config --check`.
#[test]
fn out_of_range_thresholds_are_errors_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    for (setting, message) in [
        (
            "brute_force_minutes = 0",
            "key `thresholds.brute_force_minutes` (line 2): 0 is out of range (1 to 52560000 minutes)",
        ),
        (
            "short_lived_hours = 18446744073709551615",
            "key `thresholds.short_lived_hours` (line 2): 18446744073709551615 is out of range",
        ),
        (
            "missing_fields_percent = 250.0",
            "key `thresholds.missing_fields_percent` (line 2): 250 is not a percentage",
        ),
        (
            "spray_minutes = -5",
            "invalid value: integer `-5`, expected u64 (line 2, key `spray_minutes`)",
        ),
    ] {
        let c = write(dir.path(), "site.toml", format!("[thresholds]\n{setting}\n").as_bytes());
        let expected = format!("site.toml: {message}");
        cmd()
            .args(["findings", "--config"])
            .arg(&c)
            .arg(scenario("ssh-brute-force"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected.as_str()));
        cmd()
            .args(["config", "--check"])
            .arg(&c)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected.as_str()));
    }
    // compare's own threshold is a percentage too.
    cmd()
        .args(["compare", "--threshold", "NaN", "a.json", "b.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NaN is not a percentage"));
}

#[test]
fn config_print_defaults_round_trips() {
    let out = cmd().args(["config", "--print-defaults"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("brute_force_failures = 10"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "auditrail.toml", text.as_bytes());
    cmd().args(["config", "--check"]).arg(&p).assert().success();
}

#[test]
fn text_output_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::new();
    for i in 0..10 {
        log += &format!(
            "node=h type=USER_LOGIN msg=audit(1790812{i:03}.000:{}): pid=1 uid=0 auid=4294967295 \
             msg='op=login acct=\"\x1b[31mroot\" exe=\"/usr/sbin/sshd\" addr=192.0.2.1 \
             terminal=ssh res=failed'\n",
            i + 1
        );
    }
    let p = write(dir.path(), "audit.log", log.as_bytes());
    cmd()
        .arg("findings")
        .arg(&p)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\\x1b[31mroot"))
        .stdout(predicate::str::contains("\x1b").not());
}

#[test]
fn json_has_rules_and_policies() {
    let out = cmd()
        .args(["findings", "--format", "json", "--policy", "soc2-2017"])
        .arg(scenario("mac-denials"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rules"].as_array().unwrap().len(), 46);
    assert_eq!(v["policies"][0]["name"], "soc2-2017");
    let mac03 = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "F-MAC-03")
        .unwrap();
    assert_eq!(mac03["status"], "not-evaluated");
    assert!(v["files"][0].as_str().unwrap().ends_with("mac-denials.log"));
}
