//! No evidence is never a pass: `findings`, `report` and `compare` from logs stop (exit 2)
//! when the period holds no audit record, naming the inputs, the period and what was found
//! instead; `--allow-empty` writes the output with every rule not evaluated and says so
//! first; a host silent in the period is F-AUD-10.

use crate::common::{pdf_text, root, stdout_ok, tool, write};
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn cmd() -> Command {
    crate::common::auditrail()
}

const AT: &str = "--generated-at=2026-11-01T00:00:00Z";

/// The two sample months (September and October 2026).
fn months() -> PathBuf {
    root().join("samples/compare")
}

/// `findings`, `report` and `compare` over `inputs` for October (compare: September against
/// October, so the message names the baseline period): each must exit 2 with a message
/// containing every one of `says`, and `report` must leave nothing behind.
fn refused(inputs: &[&Path], says: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("package");
    let runs: [Vec<String>; 4] = [
        vec!["findings".into(), "--period".into(), "2026-10".into()],
        vec![
            "findings".into(),
            "--period".into(),
            "2026-10".into(),
            "--fail-on".into(),
            "info".into(),
        ],
        vec![
            "report".into(),
            "--quiet".into(),
            "--period".into(),
            "2026-10".into(),
            "--out".into(),
            out.display().to_string(),
        ],
        vec![
            "compare".into(),
            "--baseline-period".into(),
            "2026-09".into(),
            "--current-period".into(),
            "2026-10".into(),
        ],
    ];
    for args in runs {
        let o = cmd().args(&args).args(inputs).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?} wrote output");
        for s in says {
            assert!(err.contains(s), "{args:?}: {s:?} not in {err}");
        }
        assert!(err.contains("--allow-empty"), "{err}");
    }
    assert!(!out.exists(), "a refused report wrote {}", out.display());
}

#[test]
fn an_empty_file_is_no_evidence_not_twenty_passes() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "audit.log", b"");
    refused(
        &[&log],
        &[
            "no audit records in the",
            "period 2026-",
            "audit.log",
            "the input is empty (0 lines)",
        ],
    );
}

#[test]
fn a_directory_of_syslog_files_is_refused_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("log");
    std::fs::create_dir(&logs).unwrap();
    let syslog =
        "Oct  1 10:00:00 web-01 sshd[812]: Accepted publickey for alice from 198.51.100.9\n\
                  Oct  1 10:00:01 web-01 CRON[900]: (root) CMD (run-parts /etc/cron.hourly)\n";
    for name in ["auth.log", "kern.log", "syslog"] {
        write(&logs, name, syslog.repeat(3).as_bytes());
    }
    refused(
        &[&logs],
        &[
            "period 2026-",
            "auth.log",
            "kern.log",
            "12 line(s), none an audit record (12 no-type): is this a syslog file?",
            "1 other file(s) skipped",
        ],
    );
}

#[test]
fn a_summary_json_given_as_a_log_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.json");
    let o = cmd()
        .args(["summary", "--format", "json", "--period", "2026-10"])
        .arg(months())
        .output()
        .unwrap();
    assert!(o.status.success());
    // Its raw lines are audit lines, written so that none reads as a record.
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"raw_lines\""));
    std::fs::write(&summary, &o.stdout).unwrap();
    refused(
        &[&summary],
        &[
            "summary.json",
            "none an audit record",
            "is this a summary.json or report.json?",
        ],
    );
}

/// A fact's text can quote a whole record (here a sudo command line); summary.json writes
/// every `=` of its strings as `\u003d`, so even then none of its lines reads as one.
#[test]
fn a_summary_json_whose_facts_quote_a_record_holds_none() {
    let dir = tempfile::tempdir().unwrap();
    let quoted = "echo node=x type=ADD_USER msg=audit(1790812800.000:1): pid=1 uid=0 auid=0 \
                  ses=1 msg='op=add-user id=1500 exe=\"/usr/sbin/useradd\" res=success'";
    let hex: String = quoted.bytes().map(|b| format!("{b:02X}")).collect();
    let log = write(
        dir.path(),
        "audit.log",
        format!(
            "type=USER_CMD msg=audit(1790812801.000:2): pid=1 uid=1000 auid=1000 ses=1 \
             msg='cwd=\"/\" cmd={hex} exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'\n"
        )
        .as_bytes(),
    );
    let text = stdout_ok(
        cmd()
            .args(["summary", "--format", "json", "--period", "all"])
            .arg(&log),
    );
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("type\\u003dADD_USER"),
        "the command is listed"
    );
    assert!(!text.contains('='));
    let summary = write(dir.path(), "summary.json", text.as_bytes());
    let check = cmd()
        .args(["check", "--format", "json"])
        .arg(&summary)
        .output()
        .unwrap();
    let q: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(q["records"], 0, "{q}");
}

#[test]
fn a_log_whose_every_line_is_rejected_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(
        dir.path(),
        "audit.log",
        b"type=USER_LOGIN msg=audit(99999999999999.000:1): res=failed\n\
          type=USER_LOGIN msg=audit(1790812800.1234:2): res=failed\n\
          type=NOT_A_TYPE msg=audit(1790812800.000:3): x=1\n",
    );
    refused(
        &[&log],
        &["3 line(s), none an audit record (2 bad-stamp, 1 bad-type)"],
    );
}

#[test]
fn logs_of_other_months_are_refused_naming_their_range() {
    // The samples hold September and October: nothing in August.
    let o = cmd()
        .args(["findings", "--period", "2026-08"])
        .arg(months())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "65 event(s), all outside 2026-08 (UTC) (first record 2026-09-01T09:00:00.001Z, \
             last 2026-10-28T09:10:00.020Z)"
        ),
        "{err}"
    );
    // compare names the side that is empty.
    cmd()
        .args(["compare", "--baseline-period", "2026-08"])
        .args(["--current-period", "2026-10"])
        .arg(months())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no audit records in the baseline period 2026-08 (UTC)",
        ));
}

#[test]
fn allow_empty_writes_findings_with_every_rule_not_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "audit.log", b"");
    let text = cmd()
        .args(["findings", "--period", "2026-10", "--allow-empty"])
        .args(["--fail-on", "info"])
        .arg(&log)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.starts_with("No audit records in the period 2026-10 (UTC): the input is empty"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Rules: 0 with findings, 0 pass, {} not evaluated",
            auditrail::findings::rules().len()
        )),
        "{text}"
    );
    assert!(!text.contains(": pass"), "{text}");
    let json = cmd()
        .args(["findings", "--period", "2026-10", "--allow-empty"])
        .args(["--format", "json"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(json.status.success());
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(v["no_evidence"]
        .as_str()
        .unwrap()
        .contains("nothing here is a pass"));
    for r in v["rules"].as_array().unwrap() {
        assert_eq!(r["status"], "not-evaluated", "{r}");
        assert_eq!(r["reason"], "no audit records in the period", "{r}");
    }
    for p in v["policies"].as_array().unwrap() {
        for c in p["controls"].as_array().unwrap() {
            assert_ne!(c["status"], "evidence-ok", "{c}");
        }
    }
}

#[test]
fn allow_empty_report_states_the_verdict_on_its_first_page() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "audit.log", b"");
    let out = dir.path().join("package");
    let o = cmd()
        .args([
            "report",
            "--quiet",
            "--period",
            "2026-10",
            "--allow-empty",
            AT,
        ])
        .arg("--out")
        .arg(&out)
        .arg(&log)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.starts_with("No audit records in the period 2026-10 (UTC)"),
        "{said}"
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    assert!(report["no_evidence"]
        .as_str()
        .unwrap()
        .contains("the input is empty"));
    assert_eq!(report["findings"], serde_json::json!([]));
    let statement = report["policy"]["statement"].as_str().unwrap();
    assert!(statement.contains("none evidenced"), "{statement}");
    for c in report["controls"].as_array().unwrap() {
        assert_ne!(c["status"], "evidence-ok", "{c}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let verdict = html.find("id=\"verdict\"").expect("verdict in the HTML");
    assert!(
        verdict < html.find("id=\"scope\"").unwrap(),
        "before the scope"
    );
    if tool("pdftotext") {
        let page_1 = pdf_text(&out.join("report.pdf"));
        let page_1 = page_1.split('\x0c').next().unwrap();
        assert!(
            page_1.contains("No audit records in the period: nothing here is a pass"),
            "{page_1}"
        );
        assert!(page_1.contains("the input is empty"), "{page_1}");
    }
}

#[test]
fn allow_empty_compare_compares_no_findings_and_says_why() {
    let o = cmd()
        .args(["compare", "--baseline-period", "2026-08"])
        .args(["--current-period", "2026-10", "--allow-empty"])
        .args(["--format", "json"])
        .arg(months())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    // Against an empty August every October finding would be "new".
    assert!(v.get("findings").is_none(), "{}", v["findings"]);
    let notes = v["no_evidence"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0]
        .as_str()
        .unwrap()
        .starts_with("No audit records in the baseline period 2026-08 (UTC)"));
    cmd()
        .args(["compare", "--baseline-period", "2026-08"])
        .args(["--current-period", "2026-10", "--allow-empty"])
        .arg(months())
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "No audit records in the baseline period 2026-08 (UTC)",
        ));
}

#[test]
fn a_host_silent_in_the_period_is_f_aud_10() {
    // lab-02 logged in September only: in October it is a finding, not a pass.
    let o = cmd()
        .args(["findings", "--period", "2026-10", "--format", "json"])
        .arg(months())
        .output()
        .unwrap();
    assert!(o.status.success());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rule = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "F-AUD-10")
        .unwrap();
    let lab_02: Vec<&Value> = rule["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["host"] == "lab-02")
        .collect();
    assert_eq!(lab_02.len(), 1, "{rule}");
    assert_eq!(lab_02[0]["severity"], "high");
    assert!(lab_02[0]["summary"]
        .as_str()
        .unwrap()
        .starts_with("lab-02 has no records in the period"));
    // Its evidence is its first and last record in the input, with file:line.
    let ev = lab_02[0]["evidence"].as_array().unwrap();
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[0]["source"]["line"], 3);
    // With every host silent (all records outside the period) and --allow-empty, F-AUD-10
    // still names them and --fail-on sees it; every other rule is not evaluated.
    cmd()
        .args(["findings", "--period", "2026-11", "--allow-empty"])
        .args(["--fail-on", "high"])
        .arg(months())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("exceptions: F-AUD-10 (3, high)"))
        .stdout(predicate::str::contains(
            "high     lab-02 has no records in the period",
        ))
        .stdout(predicate::str::contains(format!(
            "Rules: 1 with findings, 0 pass, {} not evaluated",
            auditrail::findings::rules().len() - 1
        )));
}

#[test]
fn summary_and_check_describe_an_empty_input_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "audit.log", b"not an audit line\n");
    cmd()
        .arg("check")
        .arg(&log)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "NOTHING FOUND: no audit records: 1 line(s), none an audit record (1 no-type)",
        ));
    cmd()
        .args(["summary", "--period", "2026-08"])
        .arg(months())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "NOTHING FOUND: no audit records in the period: 65 event(s), all outside 2026-08",
        ));
}
