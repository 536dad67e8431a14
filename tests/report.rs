//! `auditrail report`: the evidence package, its snapshots, determinism, hostile input.

use crate::common::{pdf_pages, pdf_text, root, tool};
use std::path::{Path, PathBuf};

const SCENARIO: &str = "samples/scenarios/ssh-brute-force.log";
const AT: &str = "2026-11-02T00:00:00Z";

fn report(inputs: &[&str], out: &Path, extra: &[&str]) {
    let mut cmd = crate::common::auditrail();
    cmd.current_dir(root())
        .arg("report")
        .args(inputs)
        .args(["--period", "2026-10", "--generated-at", AT, "--quiet"])
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn package() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    report(&[SCENARIO], &out, &["--reviewer", "Ann Reviewer"]);
    (tmp, out)
}

#[test]
fn standard_input_is_hashed_as_read() {
    let log = std::fs::read(root().join(SCENARIO)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    crate::common::auditrail()
        .args(["report", "-", "--period", "2026-10", "--generated-at", AT])
        .args(["--quiet", "--format", "json", "--out"])
        .arg(&out)
        .write_stdin(log.clone())
        .assert()
        .success();
    let manifest: serde_json::Value = serde_json::from_str(&read(&out, "manifest.json")).unwrap();
    let input = &manifest["inputs"][0];
    assert_eq!(input["path"], "-");
    assert_eq!(input["sha256"], auditrail::digest::sha256(&log));
    assert_eq!(input["bytes"], log.len() as u64);
}

#[test]
fn package_has_every_file_and_checksums_match() {
    let (_tmp, out) = package();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for want in [
        "SHA256SUMS",
        "accounts.csv",
        "controls.csv",
        "daemon.csv",
        "findings.csv",
        "hosts.csv",
        "logins.csv",
        "mac-denials.csv",
        "manifest.json",
        "privilege.csv",
        "report.html",
        "report.json",
        "report.pdf",
        "summary.json",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} missing: {names:?}");
    }
    for line in read(&out, "SHA256SUMS").lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert_eq!(hash, auditrail::digest::sha256(&bytes), "{name}");
    }
    let manifest: serde_json::Value = serde_json::from_str(&read(&out, "manifest.json")).unwrap();
    let input = &manifest["inputs"][0];
    assert_eq!(input["path"], SCENARIO);
    let log = std::fs::read(root().join(SCENARIO)).unwrap();
    assert_eq!(input["sha256"], auditrail::digest::sha256(&log));
    // No temporary directory is left next to the package.
    let left: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn summary_json_is_what_summary_prints() {
    let (_tmp, out) = package();
    let printed = crate::common::auditrail()
        .current_dir(root())
        .args([
            "summary", SCENARIO, "--period", "2026-10", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(read(&out, "summary.json").as_bytes(), printed.stdout);
}

#[test]
fn snapshots_of_json_csv_and_html() {
    let (_tmp, out) = package();
    insta::assert_snapshot!("report_json", read(&out, "report.json"));
    insta::assert_snapshot!("logins_csv", read(&out, "logins.csv"));
    insta::assert_snapshot!("hosts_csv", read(&out, "hosts.csv"));
    insta::assert_snapshot!("controls_csv", read(&out, "controls.csv"));
    insta::assert_snapshot!("report_html", read(&out, "report.html"));
}

#[test]
fn controls_and_findings_come_from_the_policies_with_raw_lines() {
    let (_tmp, out) = package();
    let json: serde_json::Value = serde_json::from_str(&read(&out, "report.json")).unwrap();
    assert_eq!(json["policy"]["evaluated"], true);
    let controls = json["controls"].as_array().unwrap();
    // All six built-in policies by default.
    let pci = controls
        .iter()
        .find(|c| c["id"] == "10.2.1.4" && c["framework"].as_str().unwrap().contains("PCI"))
        .expect("PCI DSS 10.2.1.4 in the control table");
    assert_eq!(pci["status"], "exceptions");
    // ssh-brute-force.log: 30 failed logins for admin from 203.0.113.50 on bastion.
    let findings = json["findings"].as_array().unwrap();
    let brute = findings
        .iter()
        .find(|f| f["rule"] == "F-AUTH-01")
        .expect("brute force finding");
    assert!(pci["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|id| *id == brute["id"]));
    assert_eq!(brute["host"], "bastion");
    let ev = &brute["evidence"][0];
    let (file, line) = ev["source"].as_str().unwrap().rsplit_once(':').unwrap();
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let raw = text
        .lines()
        .nth(line.parse::<usize>().unwrap() - 1)
        .unwrap();
    assert_eq!(ev["raw_line"], raw, "the raw line is the line at file:line");
    assert!(raw.contains("res=failed"));
    let html = read(&out, "report.html");
    assert!(!html.contains("No policy was evaluated in this run"));
    assert!(html.contains("F-AUTH-01"));
    let csv = read(&out, "findings.csv");
    assert!(csv.contains("F-AUTH-01"));
    assert!(read(&out, "controls.csv").lines().count() > 10);
}

#[test]
fn html_is_self_contained() {
    let (_tmp, out) = package();
    let html = read(&out, "report.html");
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http"));
    assert!(!html.contains("href=\"http"));
    assert!(html.contains("<svg class=\"chart\""));
    assert!(html.contains("Ann Reviewer"));
}

#[test]
fn shipped_templates_never_use_safe() {
    for entry in std::fs::read_dir(root().join("report-templates")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            !text.contains("| safe") && !text.contains("|safe"),
            "{}",
            p.display()
        );
    }
}

#[test]
fn template_override_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let tpl = tmp.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    std::fs::write(tpl.join("style.css"), "body { color: rebeccapurple; }").unwrap();
    let out = tmp.path().join("pkg");
    report(
        &[SCENARIO],
        &out,
        &["--format", "html", "--templates", tpl.to_str().unwrap()],
    );
    let html = read(&out, "report.html");
    assert!(html.contains("rebeccapurple"));
    assert!(!out.join("report.pdf").exists());
}

/// A template that cannot be read, and one tera cannot parse, fail with their cause kept in
/// the error chain (the I/O error, tera's error), not flattened into a string.
#[test]
fn template_errors_keep_their_cause() {
    use auditrail::render::html;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("report.html"), b"\xff\xfe not UTF-8").unwrap();
    let err = html::templates(Some(tmp.path())).unwrap_err();
    assert!(
        err.chain()
            .any(|e| e.downcast_ref::<std::io::Error>().is_some()),
        "{err:#}"
    );
    assert!(
        format!("{err:#}").starts_with("cannot read template "),
        "{err:#}"
    );
    std::fs::write(tmp.path().join("report.html"), "{% if %}").unwrap();
    let templates = html::templates(Some(tmp.path())).unwrap();
    let err = html::engine(&templates).unwrap_err();
    assert!(err.downcast_ref::<tera::Error>().is_some(), "{err:#}");
    assert!(format!("{err:#}").contains("report.html:1:7"), "{err:#}");
}

#[test]
fn refuses_to_overwrite_a_non_empty_out_without_force() {
    let (_tmp, out) = package();
    crate::common::auditrail()
        .current_dir(root())
        .args([
            "report", SCENARIO, "--period", "2026-10", "--quiet", "--format", "json",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    report(&[SCENARIO], &out, &["--format", "json", "--force"]);
    assert!(
        !out.join("report.pdf").exists(),
        "the old package was replaced"
    );
}

#[test]
fn same_inputs_give_byte_identical_packages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    let inputs = [
        "samples/scenarios/normal-month.log",
        "samples/scenarios/mac-denials.log",
        SCENARIO,
    ];
    report(&inputs, &out, &[]);
    let first = tmp.path().join("first");
    std::fs::rename(&out, &first).unwrap();
    report(&inputs, &out, &[]);
    let mut n = 0;
    for e in std::fs::read_dir(&first).unwrap() {
        let name = e.unwrap().file_name();
        let a = std::fs::read(first.join(&name)).unwrap();
        let b = std::fs::read(out.join(&name)).unwrap();
        assert!(a == b, "{} differs between runs", name.to_string_lossy());
        n += 1;
    }
    assert!(n >= 15);
}

#[test]
#[cfg_attr(
    not(auditrail_pdftotext),
    ignore = "needs pdftotext (apt-get install poppler-utils)"
)]
fn pdf_text_has_metrics_hosts_and_page_numbers() {
    if !tool("pdftotext") {
        return;
    }
    let (_tmp, out) = package();
    let pdf = out.join("report.pdf");
    let text = pdf_text(&pdf);
    let pages = pdf_pages(&pdf);
    assert!(pages >= 2);
    assert!(text.contains("logins.failed"));
    assert!(text.contains("bastion"), "host name");
    assert!(text.contains(&format!("Page 1 of {pages}")));
    assert!(text.contains(&format!("Page {pages} of {pages}")));
    assert!(text.contains("10.2.1.4"), "a control id");
    assert!(text.contains("F-AUTH-01"), "a finding");
    assert!(text.contains("Ann Reviewer"));
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Title:           Audit log review"), "{info}");
    assert!(
        info.contains("2026"),
        "creation date from --generated-at: {info}"
    );
}

#[test]
#[cfg_attr(
    not(auditrail_pdftotext),
    ignore = "needs pdftotext (apt-get install poppler-utils)"
)]
fn pdf_cuts_nothing_and_starts_with_the_verdict() {
    if !tool("pdftotext") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    report(&["samples/scenarios"], &out, &[]);
    let pdf = out.join("report.pdf");
    let text = pdf_text(&pdf);
    assert!(!text.contains('…'), "nothing is cut with an ellipsis");
    // The longest HIPAA control id, whole.
    assert!(text.contains("164.308(a)(1)(ii)(D)"), "a full control id");
    // Every input's full SHA-256 and every policy's.
    let manifest: serde_json::Value = serde_json::from_str(&read(&out, "manifest.json")).unwrap();
    for key in ["inputs", "policies"] {
        for f in manifest[key].as_array().unwrap() {
            let hash = f["sha256"].as_str().unwrap();
            assert_eq!(hash.len(), 64);
            assert!(text.contains(hash), "{key} hash {hash} whole in the PDF");
        }
    }
    assert_eq!(manifest["policies"].as_array().unwrap().len(), 6);
    // The raw lines the register shows end with their result field.
    let json: serde_json::Value = serde_json::from_str(&read(&out, "report.json")).unwrap();
    let mut ends = 0;
    for e in json["register"].as_array().unwrap() {
        for x in e["evidence"].as_array().unwrap() {
            let raw = x["raw_line"].as_str().unwrap();
            if let Some(at) = raw.rfind(" res=") {
                let end = raw[at + 1..].split(['\x1d', ' ']).next().unwrap();
                assert!(text.contains(end), "{end} of {raw}");
                ends += 1;
            }
        }
    }
    assert!(ends > 10, "{ends} raw lines checked");
    // Page 1: the verdict per framework and the severity counts.
    let page1 = std::process::Command::new("pdftotext")
        .args(["-f", "1", "-l", "1", "-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let page1 = String::from_utf8_lossy(&page1.stdout);
    for want in [
        "Executive summary",
        "with exceptions",
        "not provable",
        "HIPAA Security Rule",
        "expired acceptance",
        "critical",
        "What limits the evidence",
        "Read first",
    ] {
        assert!(page1.contains(want), "page 1 has {want}:\n{page1}");
    }
}

fn hexs(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02X}")).collect()
}

/// A log whose account names, commands and hosts try to break every format.
fn hostile_log() -> String {
    let long = "A".repeat(10 * 1024);
    let names = [
        "<script>alert(1)</script>",
        "=HYPERLINK(\"http://x\")",
        "\u{1b}[31mred\u{1b}[0m",
        "+cmd|' /C calc'!A0",
        "jürgen-ünïcødé",
        long.as_str(),
    ];
    let mut log = String::new();
    let t0 = 1_791_774_845u64;
    for (i, n) in names.iter().enumerate() {
        let t = t0 + i as u64 * 10;
        let serial = 100 + i * 2;
        log += &format!(
            "node=evil-host type=USER_LOGIN msg=audit({t}.000:{serial}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct={} exe=\"/usr/sbin/sshd\" hostname=203.0.113.9 addr=203.0.113.9 terminal=ssh res=failed'\n",
            hexs(n)
        );
        log += &format!(
            "node=evil-host type=USER_CMD msg=audit({t}.500:{}): pid=2 uid=1001 auid=1001 ses=9 msg='cwd=\"/tmp\" cmd={} exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'\n",
            serial + 1,
            hexs(n)
        );
    }
    log
}

#[test]
fn hostile_values_produce_no_markup_no_formulas_and_a_sane_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("audit.log");
    std::fs::write(&log, hostile_log()).unwrap();
    let out = tmp.path().join("pkg");
    report(&[log.to_str().unwrap()], &out, &[]);

    let html = read(&out, "report.html");
    assert!(!html.contains("<script"), "live markup in HTML");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(!html.contains('\u{1b}'), "terminal escape in HTML");

    for name in ["logins.csv", "privilege.csv"] {
        let mut r = csv::Reader::from_path(out.join(name)).unwrap();
        let mut rows = 0;
        for rec in r.records() {
            let rec = rec.unwrap();
            rows += 1;
            for cell in rec.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{name}: formula cell {cell:?}"
                );
            }
        }
        assert!(rows >= 6, "{name}: {rows} rows");
    }
    let logins = read(&out, "logins.csv");
    assert!(logins.contains("'=HYPERLINK"));

    if tool("pdftotext") {
        let text = pdf_text(&out.join("report.pdf"));
        assert!(text.contains("jürgen-ünïcødé"), "unicode name in PDF");
        assert!(!text.contains('\u{1b}'));
        // The 10 KB value is cut to its column: no line of the PDF is that long.
        assert!(text.lines().all(|l| l.chars().count() < 400));
    }

    // --csv-raw writes values as they are.
    let raw = tmp.path().join("raw");
    report(
        &[log.to_str().unwrap()],
        &raw,
        &["--format", "csv", "--csv-raw"],
    );
    assert!(
        read(&raw, "logins.csv").contains("\n=HYPERLINK")
            || read(&raw, "logins.csv").contains(",=HYPERLINK")
            || read(&raw, "logins.csv").contains(",\"=HYPERLINK")
    );
}

#[test]
fn pdf_is_identical_when_rendered_twice_in_one_process() {
    // printpdf draws random ids from a process-wide counter; the renderer must not let
    // them reach the file.
    use clap::Parser;
    let tmp = tempfile::tempdir().unwrap();
    let log = root().join(SCENARIO);
    let mut pdfs = Vec::new();
    for name in ["a", "b"] {
        let out = tmp.path().join(name);
        let cli = auditrail::cli::Cli::parse_from([
            "auditrail",
            "report",
            log.to_str().unwrap(),
            "--period",
            "2026-10",
            "--generated-at",
            AT,
            "--quiet",
            "--format",
            "pdf",
            "--out",
            out.to_str().unwrap(),
        ]);
        auditrail::cmd::run(cli.command, &mut std::io::sink()).unwrap();
        pdfs.push(std::fs::read(out.join("report.pdf")).unwrap());
    }
    assert!(pdfs[0] == pdfs[1]);
}

#[test]
fn policies_are_hashed_and_the_default_out_names_the_period() {
    let tmp = tempfile::tempdir().unwrap();
    let policy = tmp.path().join("site-pci.toml");
    let text = auditrail::policy::BUILTIN
        .iter()
        .find(|(n, _)| *n == "pci-dss-4.0.1")
        .unwrap()
        .1;
    std::fs::write(&policy, text).unwrap();
    crate::common::auditrail()
        .current_dir(tmp.path())
        .arg("report")
        .arg(root().join(SCENARIO))
        .args(["--now", "2026-11-15T00:00:00Z", "--generated-at", AT])
        .args(["--quiet", "--format", "json", "--policy", "site-pci.toml"])
        .assert()
        .success();
    let out = tmp.path().join("auditrail-report-2026-10");
    let manifest: serde_json::Value = serde_json::from_str(&read(&out, "manifest.json")).unwrap();
    assert_eq!(manifest["period"]["spec"], "2026-10");
    let mine = manifest["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "site-pci.toml")
        .expect("the given policy file is in the manifest");
    assert_eq!(mine["sha256"], auditrail::digest::sha256(text.as_bytes()));
    assert!(mine["version"].as_str().unwrap().contains("4.0.1"));
    let report: serde_json::Value = serde_json::from_str(&read(&out, "report.json")).unwrap();
    assert_eq!(report["policy"]["evaluated"], true);
}

/// The rows the findings engine will pass, rendered by every format.
#[test]
fn controls_and_findings_render_in_every_format() {
    use auditrail::report::{
        build_report, ControlRow, EvidenceRow, FindingRow, ReportInputs, ReportMeta,
    };
    use clap::Parser;
    let cli = auditrail::cli::Cli::parse_from([
        "auditrail",
        "summary",
        root().join(SCENARIO).to_str().unwrap(),
    ]);
    let auditrail::cli::Command::Summary(args) = cli.command else {
        unreachable!()
    };
    let tz = auditrail::period::parse_tz("UTC").unwrap();
    let period = auditrail::period::Period::parse(
        "2026-10",
        tz,
        chrono::DateTime::parse_from_rfc3339(AT).unwrap().into(),
    )
    .unwrap();
    let (summary, quality, _, _) =
        auditrail::cmd::summary::summarize(&args, period.clone()).unwrap();
    let controls = vec![ControlRow {
        framework: "PCI DSS 4.0.1".into(),
        id: "10.2.1.4".into(),
        title: "Invalid logical access attempts are logged".into(),
        status: "exceptions".into(),
        provability: "D".into(),
        evidence: vec!["34 failed logins".into()],
        findings: vec!["F-0001".into()],
        entries: Vec::new(),
        note: "faillock configuration is separate evidence".into(),
        coverage: Vec::new(),
    }];
    let findings = vec![FindingRow {
        id: "F-0001".into(),
        rule: "F-AUTH-01".into(),
        title: "Brute force against admin".into(),
        severity: "high".into(),
        status: "open".into(),
        entry: String::new(),
        host: "bastion".into(),
        time: "2026-10-12T03:14:05.222Z".into(),
        last: "2026-10-12T03:14:05.222Z".into(),
        actor: "unset".into(),
        target: "<b>admin</b>".into(),
        summary: "30 failed logins from 203.0.113.50 in 5 minutes".into(),
        evidence: vec![EvidenceRow {
            host: "bastion".into(),
            time: "2026-10-12T03:14:05.222Z".into(),
            actor: "unset".into(),
            target: "admin".into(),
            result: "failed".into(),
            source: format!("{SCENARIO}:9"),
            raw_line: "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)>".into(),
        }],
        exception: None,
    }];
    let report = build_report(ReportInputs {
        summary: &summary,
        quality: &quality,
        period: &period,
        input_hashes: &[None],
        meta: ReportMeta {
            title: "Audit log review".into(),
            generated_at: AT.into(),
            ..ReportMeta::default()
        },
        controls: Some(controls),
        findings,
        sources_with_host: false,
    });
    assert!(report.policy.evaluated);

    let templates = auditrail::render::html::templates(None).unwrap();
    let html =
        String::from_utf8(auditrail::render::html::render(&report, &templates).unwrap()).unwrap();
    assert!(html.contains("class=\"st-exceptions\""));
    assert!(html.contains("sev sev-high"));
    assert!(html.contains("F-0001"));
    assert!(html.contains("&lt;b&gt;admin&lt;/b&gt;"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("No policy was evaluated"));

    let csvs = auditrail::render::csv::render(&report, false).unwrap();
    let findings_csv = csvs.iter().find(|f| f.name == "findings.csv").unwrap();
    let text = String::from_utf8(findings_csv.bytes.clone()).unwrap();
    assert!(text.contains("'=cmd|"), "{text}");
    let controls_csv = csvs.iter().find(|f| f.name == "controls.csv").unwrap();
    assert_eq!(
        String::from_utf8_lossy(&controls_csv.bytes).lines().count(),
        2
    );

    let pdf = auditrail::render::pdf::render(&report).unwrap();
    if tool("pdftotext") {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("r.pdf");
        std::fs::write(&p, pdf).unwrap();
        let text = pdf_text(&p);
        assert!(text.contains("10.2.1.4"));
        assert!(text.contains("F-0001"));
        assert!(text.contains("exceptions"));
    }
}

#[test]
fn a_failed_run_leaves_no_package() {
    let tmp = tempfile::tempdir().unwrap();
    let tpl = tmp.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    std::fs::write(tpl.join("report.html"), "{{ r.no_such_field.x }}").unwrap();
    let out = tmp.path().join("pkg");
    crate::common::auditrail()
        .current_dir(root())
        .args(["report", SCENARIO, "--period", "2026-10", "--quiet"])
        .arg("--templates")
        .arg(&tpl)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("report.html"));
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("tpl")]);
}

/// Characters a terminal, a browser or a viewer would act on or hide, each with the visible
/// form every output must show instead (issue 10 item 6).
const HIDDEN: &[(&str, &str)] = &[
    ("\u{1b}", "\\x1b"),
    ("\u{7}", "\\x07"),
    ("\u{0}", "\\x00"),
    ("\u{9b}", "\\x9b"),
    ("\u{202e}", "\\u202e"),
    ("\u{2066}", "\\u2066"),
    ("\u{200b}", "\\u200b"),
    ("\u{feff}", "\\ufeff"),
];

/// Twelve failed logins (F-AUTH-01, so findings.csv cites them with their raw lines) for an
/// account typed with every [`HIDDEN`] character (hex-encoded, as auditd writes it), each
/// line also carrying them raw after the payload, as a forwarder could.
fn log_with_hidden_characters() -> Vec<u8> {
    let name: String = HIDDEN.iter().map(|(c, _)| format!("{c}x")).collect();
    let raw: Vec<u8> = HIDDEN.iter().flat_map(|(c, _)| c.bytes()).collect();
    let mut log = Vec::new();
    for i in 0..12u64 {
        log.extend_from_slice(
            format!(
                "node=web-01 type=USER_LOGIN msg=audit({}.000:{}): pid=1 uid=0 auid=4294967295 \
                 ses=4294967295 msg='op=login acct={} exe=\"/usr/sbin/sshd\" hostname=? \
                 addr=203.0.113.9 terminal=ssh res=failed' junk=",
                1_791_774_845 + i * 10,
                100 + i,
                hexs(&name)
            )
            .as_bytes(),
        );
        log.extend_from_slice(&raw);
        log.push(b'\n');
    }
    log
}

#[test]
fn csv_html_and_pdf_show_control_bidi_and_zero_width_characters_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("audit.log");
    std::fs::write(&log, log_with_hidden_characters()).unwrap();
    let out = tmp.path().join("pkg");
    report(&[log.to_str().unwrap()], &out, &[]);
    let findings = read(&out, "findings.csv");
    assert!(findings.contains("F-AUTH-01"), "{findings}");
    for name in ["logins.csv", "findings.csv", "report.html"] {
        let text = read(&out, name);
        for (c, shown) in HIDDEN {
            assert!(!text.contains(c), "{name}: raw {c:?}");
            assert!(text.contains(shown), "{name}: no {shown}");
        }
    }
    // The name in logins.csv: every character escaped, nothing else changed.
    let name: String = HIDDEN.iter().map(|(_, s)| format!("{s}x")).collect();
    assert!(read(&out, "logins.csv").contains(&name), "{name}");
    // --csv-raw keeps formulas, not hidden characters.
    let raw = tmp.path().join("raw");
    report(
        &[log.to_str().unwrap()],
        &raw,
        &["--format", "csv", "--csv-raw"],
    );
    assert!(read(&raw, "logins.csv").contains(&name));
    if tool("pdftotext") {
        let text = pdf_text(&out.join("report.pdf"));
        assert!(text.contains("\\x1b"), "escape shown in the PDF");
        for (c, _) in HIDDEN {
            assert!(!text.contains(c), "PDF: raw {c:?}");
        }
    }
}
