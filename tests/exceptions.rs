//! The exceptions register (`--exceptions`, `exceptions =` in auditrail.toml): accepted,
//! expired and never-matching entries, `--fail-on` ignoring accepted findings, and the
//! validation errors naming the file and the entry.

use crate::common::root;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

const SCENARIO: &str = "samples/scenarios/ssh-brute-force.log";

fn cmd() -> Command {
    let mut c = crate::common::auditrail();
    c.current_dir(root());
    c
}

fn findings_json(args: &[&str]) -> Value {
    let out = cmd()
        .args(["findings", "--format", "json", "--period", "2026-10"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{out:?}"
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every finding of the run, as (rule, host, exception entry).
fn marks(v: &Value) -> Vec<(String, String, Option<u64>)> {
    let mut out = Vec::new();
    for r in v["rules"].as_array().unwrap() {
        for f in r["findings"].as_array().unwrap() {
            assert!(
                f.get("exception").is_some(),
                "every finding says `exception`"
            );
            out.push((
                f["rule"].as_str().unwrap().to_string(),
                f["host"].as_str().unwrap_or("").to_string(),
                f["exception"]["entry"].as_u64(),
            ));
        }
    }
    out
}

/// The sample register on the scenarios: one entry accepts the sudoers change, one expired
/// before the end of October, one matches nothing; each says so in the JSON.
#[test]
fn sample_register_accepts_expires_and_matches_nothing() {
    let v = findings_json(&[
        "samples/scenarios/",
        "--exceptions",
        "samples/exceptions.toml",
    ]);
    let accepted: Vec<_> = marks(&v).into_iter().filter(|m| m.2.is_some()).collect();
    assert_eq!(accepted, [("F-PRIV-01".into(), "web-01".into(), Some(1))]);
    let reg = &v["exceptions"];
    assert_eq!(reg["file"], "samples/exceptions.toml");
    assert_eq!(reg["period_last_day"], "2026-10-31");
    let entries: Vec<(&str, &str)> = reg["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["status"].as_str().unwrap(), e["note"].as_str().unwrap()))
        .collect();
    assert_eq!(
        entries,
        [
            ("accepted", "accepted 1 finding(s)"),
            ("expired", "expired 2026-09-30; 1 finding(s) left open"),
            ("unmatched", "matched nothing this period"),
        ]
    );
    // The expired entry's finding stays open.
    assert!(marks(&v).contains(&("F-AUTH-08".into(), "bastion".into(), None)));
    // Without a register there is no `exceptions` key and every finding is open.
    let plain = findings_json(&["samples/scenarios/"]);
    assert!(plain.get("exceptions").is_none());
    assert!(marks(&plain).iter().all(|m| m.2.is_none()));
}

/// Accepts every high finding of the brute-force scenario.
const ACCEPT_HIGH: &str = r#"
[[exception]]
rule = "F-AUTH-01"
host = "bastion"
owner = "Ops"
reason = "red-team exercise"
expires = 2026-10-31
ticket = "PT-7"

[[exception]]
rule = "F-AUTH-04"
owner = "Ops"
reason = "red-team exercise"
expires = 2026-10-31

[[exception]]
rule = "F-AUD-09"
match = "no records from bastion"
owner = "Ops"
reason = "bastion powered off during the exercise"
expires = "2026-12-31"
"#;

#[test]
fn fail_on_ignores_accepted_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let exc = tmp.path().join("exc.toml");
    std::fs::write(&exc, ACCEPT_HIGH).unwrap();
    let findings = |extra: &[&str]| {
        cmd()
            .args([
                "findings",
                "--period",
                "2026-10",
                SCENARIO,
                "--fail-on",
                "high",
            ])
            .args(extra)
            .assert()
    };
    findings(&[]).code(1);
    findings(&["--exceptions", exc.to_str().unwrap()]).code(0);

    // report: exit 1 after writing the package, one line on stderr naming the findings.
    let out = tmp.path().join("pkg");
    let report = |extra: &[&str], dir: &Path| {
        cmd()
            .args([
                "report", "-q", "--period", "2026-10", "--format", "csv,json",
            ])
            .args([SCENARIO, "--fail-on", "high", "--out"])
            .arg(dir)
            .args(extra)
            .assert()
    };
    report(&[], &out).code(1).stderr(
        predicate::str::is_match(
            "^3 open finding\\(s\\) at or above high: F-AUD-09 bastion, F-AUTH-01 bastion, \
             F-AUTH-04 bastion\n$",
        )
        .unwrap(),
    );
    assert!(
        out.join("SHA256SUMS").is_file(),
        "the package is written first"
    );
    let accepted = tmp.path().join("pkg2");
    report(&["--exceptions", exc.to_str().unwrap()], &accepted)
        .code(0)
        .stderr("");
    let csv = std::fs::read_to_string(accepted.join("exceptions.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.contains(",accepted,1,accepted 1 finding(s)"), "{csv}");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(accepted.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["exceptions"]["sha256"].as_str().unwrap(),
        auditrail::digest::sha256(ACCEPT_HIGH.as_bytes())
    );
    let report_json: Value =
        serde_json::from_slice(&std::fs::read(accepted.join("report.json")).unwrap()).unwrap();
    assert_eq!(report_json["exceptions"]["accepted"], 3);
    let statuses: Vec<&str> = report_json["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"exceptions (accepted)"), "{statuses:?}");

    // The HTML register shows who accepted it and until when.
    let html = tmp.path().join("pkg3");
    cmd()
        .args([
            "report", "-q", "--period", "2026-10", "--format", "html", SCENARIO,
        ])
        .arg("--exceptions")
        .arg(&exc)
        .arg("--out")
        .arg(&html)
        .assert()
        .success();
    let page = std::fs::read_to_string(html.join("report.html")).unwrap();
    assert!(
        page.contains("exception #1: Ops, red-team exercise, expires 2026-10-31, ticket PT-7"),
        "the accepted row is missing"
    );
}

#[test]
fn the_configuration_names_the_register_relative_to_itself() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("exc.toml"), ACCEPT_HIGH).unwrap();
    let config = tmp.path().join("auditrail.toml");
    std::fs::write(&config, "exceptions = \"exc.toml\"\n").unwrap();
    let v = findings_json(&[SCENARIO, "--config", config.to_str().unwrap()]);
    assert_eq!(
        v["exceptions"]["file"].as_str().unwrap(),
        tmp.path().join("exc.toml").display().to_string()
    );
    assert_eq!(v["exceptions"]["accepted"], 3);
    // `config --check` reads the register too.
    cmd()
        .args(["config", "--check"])
        .arg(&config)
        .assert()
        .success();
    std::fs::write(
        tmp.path().join("exc.toml"),
        "[[exception]]\nrule = \"F-AUTH-01\"\n",
    )
    .unwrap();
    cmd()
        .args(["config", "--check"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "exc.toml: exception #1 (rule F-AUTH-01): missing field `owner`",
        ));
}

#[test]
fn invalid_entries_are_errors_naming_file_and_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let exc = tmp.path().join("exc.toml");
    let cases = [
        (
            ACCEPT_HIGH.replace("F-AUTH-04", "F-AUTH-99"),
            "exception #2 (rule F-AUTH-99): unknown rule `F-AUTH-99`",
        ),
        (
            ACCEPT_HIGH.replace("ticket = \"PT-7\"", "tickets = \"PT-7\""),
            "exception #1 (rule F-AUTH-01): unknown field `tickets`",
        ),
        (
            ACCEPT_HIGH.replace("expires = \"2026-12-31\"", "expires = \"soon\""),
            "exception #3 (rule F-AUD-09): key `expires`: \"soon\" is not a date",
        ),
        (
            ACCEPT_HIGH.replace(
                "owner = \"Ops\"\nreason = \"red-team exercise\"\nexpires = 2026-10-31\n\n",
                "\n",
            ),
            "exception #2 (rule F-AUTH-04): missing field `owner`",
        ),
    ];
    for (text, want) in cases {
        std::fs::write(&exc, text).unwrap();
        cmd()
            .args(["findings", SCENARIO, "--exceptions"])
            .arg(&exc)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(exc.display().to_string()))
            .stderr(predicate::str::contains(want));
    }
}

/// The document's register and executive summary carry each finding's status: the sample's
/// accepted sudoers change is its own `accepted` entry naming the exception, the finding of
/// the expired entry an `expired` one, and the severity counts say so.
#[test]
fn the_register_and_the_summary_show_accepted_and_expired_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    cmd()
        .args([
            "report",
            "-q",
            "--period",
            "2026-10",
            "--format",
            "json",
            "samples/scenarios/",
            "--exceptions",
            "samples/exceptions.toml",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let r: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let entry = |rule: &str, host: &str, status: &str| {
        r["register"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["rule"] == rule && e["host"] == host && e["status"] == status)
            .cloned()
    };
    let accepted = entry("F-PRIV-01", "web-01", "accepted").expect("an accepted entry");
    assert_eq!(
        accepted["accepted_by"][0],
        "exception #1: Alice Martin (Linux team lead), sudoers rollout for the on-call group, \
         reviewed in CAB, expires 2027-03-31, ticket CHG-2291"
    );
    let expired = entry("F-AUTH-08", "bastion", "expired").expect("an expired entry");
    assert_eq!(expired["accepted_by"], serde_json::json!([]));
    assert!(entry("F-AUTH-08", "bastion", "open").is_none());
    let sum = |k: &str| -> u64 {
        r["executive"]["severities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[k].as_u64().unwrap())
            .sum()
    };
    assert_eq!((sum("accepted"), sum("expired")), (1, 1));
}

/// The report package of samples/scenarios for 2026-10 with samples/exceptions.toml, in
/// `formats`.
fn sample_package(dir: &Path, formats: &str) -> std::path::PathBuf {
    let out = dir.join("pkg");
    cmd()
        .args([
            "report",
            "-q",
            "--period",
            "2026-10",
            "--format",
            formats,
            "samples/scenarios/",
            "--exceptions",
            "samples/exceptions.toml",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    out
}

/// The HTML report has an exceptions register after the findings register: every entry
/// with its status, scope, owner, reason, ticket, approver, expiry and note.
#[test]
fn the_html_report_has_the_exceptions_register() {
    let tmp = tempfile::tempdir().unwrap();
    let html =
        std::fs::read_to_string(sample_package(tmp.path(), "html").join("report.html")).unwrap();
    let at = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("{s:?} not in report.html"))
    };
    assert!(at("<h2 id=\"findings\"") < at("<h2 id=\"exceptions\">Exceptions register</h2>"));
    assert!(html.contains("<a href=\"#exceptions\">Exceptions register</a>"));
    let section = &html[at("<h2 id=\"exceptions\"")..];
    let section = &section[..section.find("</table>").unwrap()];
    for s in [
        "sha256 <span class=\"mono\">c97a563a",
        "Expiries compared with 2026-10-31",
        "<tr id=\"X1\"><td class=\"num\">1</td><td class=\"xs-accepted\">accepted</td>",
        "Alice Martin (Linux team lead)",
        "sudoers rollout for the on-call group, reviewed in CAB",
        "CHG-2291",
        "CISO",
        "2027-03-31",
        "<td class=\"xs-expired\">expired</td>",
        "expired 2026-09-30; 1 finding(s) left open",
        "<td class=\"xs-unmatched\">unmatched</td>",
        "matched nothing this period",
    ] {
        assert!(section.contains(s), "{s:?} not in the exceptions register");
    }
}

/// The PDF has the same register (pdftotext), and its control table links each register
/// entry id to the entry.
#[test]
#[cfg_attr(
    not(auditrail_pdftotext),
    ignore = "needs pdftotext (apt-get install poppler-utils)"
)]
fn the_pdf_report_has_the_exceptions_register() {
    if !crate::common::tool("pdftotext") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = sample_package(tmp.path(), "json,pdf");
    let text = crate::common::pdf_text(&out.join("report.pdf"));
    let section = &text[text.rfind("\nExceptions register\n").expect("a register")..];
    for s in [
        "c97a563a27c19c07c4ab53a21209455c004047363560e9eda363a751fa3f9c15",
        "#1",
        "accepted",
        "CHG-2291",
        "CISO",
        "expired",
        "RISK-118",
        "unmatched",
        "2027-01-31",
    ] {
        assert!(
            section.contains(s),
            "{s:?} not in the PDF's register:\n{section}"
        );
    }
    // Every register entry id the control table cites links to its entry.
    let r: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let cited: usize = r["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["entries"].as_array().unwrap().len())
        .sum();
    let pdf = std::fs::read(out.join("report.pdf")).unwrap();
    let mark: &[u8] = b"/Subtype/Link/Rect[";
    let links = pdf.windows(mark.len()).filter(|w| *w == mark).count();
    assert!(cited > 0);
    assert_eq!(links, cited);
}
