//! Watched files and system calls on generated keyed logs: per-key event counts equal the
//! SYSCALL records carrying each key, counted here independently from the raw lines; every
//! listed event points at its SYSCALL line; `--rules` declares rules the logs never show.

use crate::common::{generator, root};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Hex digits to bytes (the generator writes keys with 0x01 in them as hex).
fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

/// Per key, the SYSCALL records carrying it; and the SYSCALL records without a key.
fn count_keys(log: &str) -> (BTreeMap<String, u64>, u64) {
    let mut keys = BTreeMap::new();
    let mut keyless = 0;
    for line in log.lines().filter(|l| l.contains(" type=SYSCALL ")) {
        let at = line.rfind(" key=").expect("every SYSCALL has a key field") + 5;
        let value = line[at..].split([' ', '\x1d']).next().unwrap();
        let bytes = match value.strip_prefix('"') {
            Some(q) => q.trim_end_matches('"').as_bytes().to_vec(),
            None if value == "(null)" => {
                keyless += 1;
                continue;
            }
            None => unhex(value),
        };
        for k in bytes.split(|&b| b == 1).filter(|k| !k.is_empty()) {
            *keys
                .entry(String::from_utf8(k.to_vec()).unwrap())
                .or_default() += 1;
        }
    }
    (keys, keyless)
}

fn summary_json(log: &Path, extra: &[&str]) -> Value {
    let out = crate::common::auditrail()
        .args(["summary", "--format", "json"])
        .args(extra)
        .arg(log)
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
fn per_key_counts_equal_the_syscall_records_of_each_key() {
    let Some(generate) = generator() else { return };
    let dir = tempfile::tempdir().unwrap();
    for set in ["cis", "pci", "stig"] {
        let log = dir.path().join(format!("{set}.log"));
        let out = std::process::Command::new(&generate)
            .args([
                "--size", "3M", "--hosts", "3", "--seed", "5", "--keys", set, "--out",
            ])
            .arg(&log)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&log).unwrap();
        let (want, keyless) = count_keys(&text);
        assert!(want.len() >= 8, "{set}: {want:?}");
        let v = summary_json(&log, &[]);
        let w = &v["watches"];
        let got: BTreeMap<String, u64> = w["by_key"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, s)| (k.clone(), s["events"].as_u64().unwrap()))
            .collect();
        assert_eq!(got, want, "{set}");
        assert_eq!(
            v["metrics"]["watches.keyless"].as_u64(),
            Some(keyless),
            "{set}"
        );
        // One event per SYSCALL record here (each event has one): events = keyed records.
        let keyed = text
            .lines()
            .filter(|l| l.contains(" type=SYSCALL "))
            .count() as u64
            - keyless;
        assert_eq!(
            v["metrics"]["watches.events"].as_u64(),
            Some(keyed),
            "{set}"
        );
        if set == "pci" {
            assert!(
                want.contains_key("10.2.5.b-elevated-privs-setuid")
                    && want.contains_key("priv-cmd")
            );
            assert_eq!(
                w["by_key"]["10.2.2-priv-config-changes"]["meaning"],
                "privilege-config"
            );
            assert!(v["metrics"]["files.audit_log_reads"].as_u64() > Some(0));
        }
        // Every listed fact points at its own SYSCALL line.
        let lines: Vec<&str> = text.lines().collect();
        for list in [
            "population",
            "identity",
            "privilege_config",
            "audit_log",
            "denied_sensitive",
        ] {
            for item in w[list]["items"].as_array().unwrap() {
                let line = item["source"]["line"].as_u64().unwrap() as usize;
                let raw = lines[line - 1];
                assert!(raw.contains(" type=SYSCALL "), "{set} {list}: {raw}");
                assert!(
                    raw.contains(&format!(":{})", item["serial"])),
                    "{set} {list}: {raw}"
                );
            }
        }
    }
}

#[test]
fn rules_files_declare_what_the_logs_never_show() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("audit.rules");
    std::fs::write(
        &rules,
        "-a always,exit -F arch=b64 -F dir=/var/log/audit/ -F perm=r -F auid>=1000 -F auid!=unset -F key=10.2.3-access-audit-trail\n",
    )
    .unwrap();
    let scenario = root().join("samples/scenarios/watched-files.log");
    let run = |extra: &[&str]| {
        let out = crate::common::auditrail()
            .args(["findings", "--policy", "pci-dss-4.0.1"])
            .args(extra)
            .arg(&scenario)
            .output()
            .unwrap();
        // The text wraps at 100 columns: compare it as words.
        let text = String::from_utf8(out.stdout).unwrap();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let without = run(&[]);
    assert!(
        without.contains("audit-log-access: events on db-01; no rule loaded on arm-01, web-01: add `-a always,exit -F dir=/var/log/audit/ -F perm=r"),
        "{without}"
    );
    let arg = format!("web-01={}", rules.display());
    let with = run(&["--rules", &arg]);
    assert!(
        with.contains(
            "rule declared loaded (--rules) and silent on web-01 (key 10.2.3-access-audit-trail"
        ),
        "{with}"
    );
    assert!(with.contains("no rule loaded on arm-01: add"), "{with}");
    let missing = crate::common::auditrail()
        .args(["findings", "--rules", "/nonexistent/audit.rules"])
        .arg(&scenario)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&missing.get_output().stderr).to_string();
    assert!(err.contains("--rules /nonexistent/audit.rules: "), "{err}");
}
