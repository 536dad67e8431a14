//! `compare` and `trend` as HTML and PDF: the compare page over samples/compare (snapshot,
//! self-contained, every section), its PDF (pdftotext), hostile values, byte-identical
//! reruns, `--fail-on`, template overrides, and F-TRD-01 through the CLI.

use crate::common::{pdf_pages, pdf_text, root, tool, write};
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const AT: &str = "2026-11-02T00:00:00Z";

fn cmd() -> Command {
    crate::common::auditrail()
}

fn logs() -> PathBuf {
    root().join("samples/compare")
}

/// `compare` of September against October from the logs, with `extra` arguments.
fn compare_logs(extra: &[&str]) -> Command {
    let mut c = cmd();
    c.args([
        "compare",
        "--baseline-period",
        "2026-09",
        "--current-period",
        "2026-10",
        "--generated-at",
        AT,
    ])
    .arg(logs())
    .args(extra);
    c
}

/// Writes the compare document in `format` to `dir/name` and returns its path.
fn compare_file(dir: &Path, format: &str, name: &str) -> PathBuf {
    let out = dir.join(name);
    let o = compare_logs(&["--format", format, "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        out.to_str().unwrap()
    );
    out
}

#[test]
fn compare_html_snapshot_and_self_contained() {
    let tmp = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(compare_file(tmp.path(), "html", "c.html")).unwrap();
    assert!(!html.contains("<script"));
    // The only URL is the SVG namespace, which nothing loads.
    let urls = html.matches("http").count();
    assert_eq!(
        urls,
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(html.contains("<svg class=\"chart\""));
    for needle in [
        "2026-09 (UTC) (baseline) → 2026-10 (UTC) (current)",
        "generated 2026-11-02T00:00:00Z",
        "<tr class=\"flag\"><td>logins.failed</td>",
        "apparmor:/usr/local/bin/backup-agent:open:r",
        "added to group wheel",
        "F-PRIV-01 web-01",
        "went silent",
        "Events per day",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
    insta::assert_snapshot!("compare_html", html);
}

#[test]
#[cfg_attr(
    not(auditrail_pdftotext),
    ignore = "needs pdftotext (apt-get install poppler-utils)"
)]
fn compare_pdf_text_pages_and_metadata() {
    if !tool("pdftotext") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let pdf = compare_file(tmp.path(), "pdf", "c.pdf");
    let text = pdf_text(&pdf);
    let pages = pdf_pages(&pdf);
    assert!(text.contains("logins.failed"), "a metric");
    let created = text
        .lines()
        .find(|l| l.contains("created (current)"))
        .unwrap();
    assert!(created.contains("erin"), "an account created: {created}");
    assert!(text.contains("apparmor:/usr/local/bin/backup-agent:open:r"));
    assert!(text.contains("added to group wheel"), "a privilege grant");
    assert!(text.contains("F-AUTH-01 bastion"), "a resolved finding");
    assert!(text.contains(&format!("Page 1 of {pages}")));
    assert!(text.contains(&format!("Page {pages} of {pages}")));
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("Title:           Comparison 2026-09 (UTC) -> 2026-10 (UTC)"),
        "{info}"
    );
    assert!(
        info.contains("Nov  2 00:00:00 2026"),
        "creation date from --generated-at: {info}"
    );
    assert!(info.contains("A4"), "{info}");
}

#[test]
fn compare_html_and_pdf_are_byte_identical_across_runs() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["html", "pdf"] {
        let a = std::fs::read(compare_file(tmp.path(), format, &format!("a.{format}"))).unwrap();
        let b = std::fs::read(compare_file(tmp.path(), format, &format!("b.{format}"))).unwrap();
        assert!(a == b, "{format} differs between runs");
    }
    // SOURCE_DATE_EPOCH instead of --generated-at (1793577600 = 2026-11-02T00:00:00Z).
    let o = cmd()
        .env("SOURCE_DATE_EPOCH", "1793577600")
        .args([
            "compare",
            "--baseline-period",
            "2026-09",
            "--current-period",
            "2026-10",
        ])
        .args(["--format", "html"])
        .arg(logs())
        .output()
        .unwrap();
    assert!(o.status.success());
    let a = std::fs::read(compare_file(tmp.path(), "html", "c")).unwrap();
    assert_eq!(o.stdout, a, "HTML on stdout equals --out, same stamp");
}

/// A summary.json whose names try to break the page, the PDF and a spreadsheet.
fn hostile_summary(label: &str, start_ms: i64) -> Value {
    let user = "<script>alert(1)</script>";
    let formula = "=HYPERLINK(\"x\")";
    json!({
        "schema_version": 1,
        "period": {"label": label, "tz": "UTC", "start_ms": start_ms, "end_ms": start_ms + 86_400_000},
        "metrics": {"events": 3, "logins.success": 1},
        "hosts": {"<img src=x onerror=alert(2)>": {"events": 3, "by_day": {"2026-10-01": 3}}},
        "accounts": {
            "by_target": {formula: {"created": 1}, user: {"deleted": 1}},
            "modified": {"items": [{"op": "add-user-to-group", "time_ms": start_ms, "node": "\u{1b}[2Jweb",
                "auid": {"id": 0, "name": user}, "target": {"id": 1, "name": formula},
                "detail": {"type": "account", "group": "<b>wheel</b>"}}], "omitted": 0},
        },
        "logins": {"login_breakdown": {"by_account": {user: 1}}},
        "mac": {"signatures": {"apparmor:\"><svg onload=alert(3)>": {}}},
    })
}

#[test]
fn hostile_values_render_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let b = write(
        tmp.path(),
        "b.json",
        hostile_summary("2026-09-30", 1790726400000)
            .to_string()
            .as_bytes(),
    );
    let c = write(
        tmp.path(),
        "c.json",
        hostile_summary("<i>2026-10-01</i>", 1790812800000)
            .to_string()
            .as_bytes(),
    );
    let html = cmd()
        .args(["compare", "--format", "html", "--generated-at", AT])
        .args([&b, &c])
        .output()
        .unwrap();
    assert!(
        html.status.success(),
        "{}",
        String::from_utf8_lossy(&html.stderr)
    );
    let html = String::from_utf8(html.stdout).unwrap();
    for live in [
        "<script",
        "<img",
        "<svg onload",
        "<b>wheel",
        "<i>2026",
        "\u{1b}",
    ] {
        assert!(!html.contains(live), "live markup {live:?}");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "shown as text"
    );
    assert!(html.contains("=HYPERLINK(&quot;x&quot;)"));
    assert!(html.contains("\\x1b[2Jweb"), "control characters shown");

    let pdf = tmp.path().join("h.pdf");
    cmd()
        .args(["compare", "--format", "pdf", "--generated-at", AT, "--out"])
        .arg(&pdf)
        .args([&b, &c])
        .assert()
        .success();
    if tool("pdftotext") {
        let text = pdf_text(&pdf);
        assert!(
            text.contains("<script>alert(1)</script>"),
            "as text in the PDF"
        );
        assert!(text.contains("=HYPERLINK(\"x\")"));
        assert!(!text.contains('\u{1b}'));
    }
    // The CSV files neutralise the formula.
    let dir = tmp.path().join("csv");
    cmd()
        .args(["compare", "--format", "csv", "--out"])
        .arg(&dir)
        .args([&b, &c])
        .assert()
        .success();
    let accounts = std::fs::read_to_string(dir.join("accounts.csv")).unwrap();
    assert!(accounts.contains("'=HYPERLINK"), "{accounts}");
    let grants = std::fs::read_to_string(dir.join("grants.csv")).unwrap();
    assert!(
        grants.contains("'=HYPERLINK") && !grants.contains(",=HYPERLINK"),
        "{grants}"
    );
}

#[test]
fn compare_fail_on_new_findings() {
    // October brings a new F-PRIV-01 (high) on web-01; nothing new is critical.
    compare_logs(&["--fail-on", "high"]).assert().code(1);
    compare_logs(&["--fail-on", "critical"]).assert().code(0);
    compare_logs(&["--format", "json"]).assert().code(0);
    // Summaries carry no findings: nothing to fail on.
    let tmp = tempfile::tempdir().unwrap();
    let side = |period: &str| {
        let o = cmd()
            .args(["summary", "--format", "json", "--period", period])
            .arg(logs())
            .output()
            .unwrap();
        write(tmp.path(), &format!("{period}.json"), &o.stdout)
    };
    cmd()
        .args(["compare", "--fail-on", "info"])
        .args([side("2026-09"), side("2026-10")])
        .assert()
        .code(0);
}

#[test]
fn compare_out_names_a_file_for_html_and_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    compare_logs(&["--format", "html", "--out", tmp.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is a directory: give the file to write",
        ));
    // A failed render leaves nothing behind; a good one leaves only the file.
    compare_file(tmp.path(), "pdf", "c.pdf");
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["c.pdf"]);
    // Text and JSON take a file too.
    let json = compare_file(tmp.path(), "json", "c.json");
    let v: Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    assert_eq!(v["grants"]["current"][0]["what"], "added to group wheel");
}

#[test]
fn compare_template_override_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("compare.html"),
        "<p>{{ c.baseline }} vs {{ c.current }}: {{ metrics_flagged }} flagged</p>",
    )
    .unwrap();
    compare_logs(&[
        "--format",
        "html",
        "--templates",
        tmp.path().to_str().unwrap(),
    ])
    .assert()
    .success()
    .stdout("<p>2026-09 (UTC) vs 2026-10 (UTC): 1 flagged</p>");
}

/// `n` summaries whose `logins.failed` takes `values`, labelled p0, p1, ...
fn series(dir: &Path, values: &[u64]) -> Vec<PathBuf> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let s = json!({"schema_version": 1, "period": {"label": format!("p{i}"), "tz": "UTC"},
                           "metrics": {"logins.failed": v, "events": 100}});
            write(dir, &format!("p{i}.json"), s.to_string().as_bytes())
        })
        .collect()
}

fn trend_json(files: &[PathBuf]) -> Value {
    let o = cmd()
        .args(["trend", "--format", "json"])
        .args(files)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn trend_f_trd_01_triggers_on_a_jump() {
    let tmp = tempfile::tempdir().unwrap();
    let files = series(tmp.path(), &[10, 12, 11, 30]);
    let v = trend_json(&files);
    let r = &v["rules"][0];
    assert_eq!(r["id"], "F-TRD-01");
    assert_eq!(r["status"], "findings");
    assert_eq!(
        r["findings"].as_array().unwrap().len(),
        1,
        "events never moved"
    );
    let f = &r["findings"][0];
    assert_eq!(
        (&f["metric"], &f["period"], &f["value"], &f["severity"]),
        (
            &json!("logins.failed"),
            &json!("p3"),
            &json!(30),
            &json!("info")
        )
    );
    cmd()
        .arg("trend")
        .args(&files)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "logins.failed was 30 in p3: +172.7% against the mean 11.0 (σ 1.0)",
        ));
    cmd()
        .args(["trend", "--fail-on", "info"])
        .args(&files)
        .assert()
        .code(1);
    cmd()
        .args(["trend", "--fail-on", "low"])
        .args(&files)
        .assert()
        .code(0);
}

#[test]
fn trend_f_trd_01_boundaries() {
    let tmp = tempfile::tempdir().unwrap();
    // Exactly +50 % (σ 0) is not a finding; +60 % is.
    let v = trend_json(&series(tmp.path(), &[10, 10, 10, 15]));
    assert_eq!(v["rules"][0]["status"], "pass");
    let v = trend_json(&series(tmp.path(), &[10, 10, 10, 16]));
    assert_eq!(v["rules"][0]["status"], "findings");
    // Mean 10, σ 10: exactly 2σ (+200 %) is not a finding.
    let v = trend_json(&series(tmp.path(), &[0, 10, 20, 30]));
    assert_eq!(v["rules"][0]["status"], "pass");
    // Three periods: not evaluated, never a pass.
    let files = series(tmp.path(), &[1, 100, 1]);
    let v = trend_json(&files);
    assert_eq!(v["rules"][0]["status"], "not-evaluated");
    cmd()
        .args(["trend", "--fail-on", "info"])
        .args(&files)
        .assert()
        .code(0);
}

#[test]
fn trend_html_and_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let files = series(tmp.path(), &[10, 12, 11, 30, 9]);
    let o = cmd()
        .args(["trend", "--format", "html", "--generated-at", AT])
        .args(&files)
        .output()
        .unwrap();
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(
        html.contains("<figcaption>logins.failed</figcaption>"),
        "a chart per key metric"
    );
    assert!(
        html.contains("<td class=\"num flag\">30</td>"),
        "the flagged cell"
    );
    assert!(!html.contains("<script"));
    let pdf = tmp.path().join("t.pdf");
    cmd()
        .args(["trend", "--format", "pdf", "--generated-at", AT, "--out"])
        .arg(&pdf)
        .args(&files)
        .assert()
        .success();
    let again = tmp.path().join("t2.pdf");
    cmd()
        .args(["trend", "--format", "pdf", "--generated-at", AT, "--out"])
        .arg(&again)
        .args(&files)
        .assert()
        .success();
    assert!(std::fs::read(&pdf).unwrap() == std::fs::read(&again).unwrap());
    if tool("pdftotext") {
        let text = pdf_text(&pdf);
        assert!(text.contains("F-TRD-01"));
        assert!(text.contains("30 *"), "the flagged value starred");
        assert!(text.contains("Page 1 of"));
    }
}

/// A summary whose labels and names (not its numbers) are hostile: a label, a metric id and
/// a host name each with a formula, a terminal escape and a bidi override.
fn crafted_labels(i: usize, failed: u64) -> Value {
    let evil = "\u{1b}]0;pwn\u{7}\u{1b}[2J\u{202e}";
    json!({
        "schema_version": 1,
        "period": {"label": format!("=cmd|'/C calc'!A0{evil}p{i}"), "tz": "UTC"},
        "metrics": {"events": 100, "logins.failed": failed, format!("@SUM(A1){evil}"): 1},
        "hosts": {format!("web{evil}"): {"events": 100}},
    })
}

#[test]
fn crafted_summary_labels_reach_text_and_csv_escaped_and_neutralised() {
    let tmp = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = [10, 12, 11, 30]
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let s = crafted_labels(i, n).to_string();
            write(tmp.path(), &format!("p{i}.json"), s.as_bytes())
        })
        .collect();
    let run = |args: &[&str], files: &[PathBuf]| {
        let o = cmd().args(args).args(files).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    for text in [
        run(&["compare"], &files[..2]),
        run(&["trend"], &files),
        run(&["trend", "--format", "csv"], &files),
    ] {
        for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(!text.contains(raw), "raw {raw:?} in\n{text}");
        }
        assert!(text.contains("\\x1b]0;pwn\\x07\\x1b[2J\\u202e"), "{text}");
    }
    let csv = run(&["trend", "--format", "csv"], &files);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    for rec in r.records() {
        for cell in rec.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r']),
                "formula cell {cell:?} in\n{csv}"
            );
        }
    }
    assert!(csv.contains("'=cmd|") && csv.contains("'@SUM(A1)"), "{csv}");
}

#[test]
fn out_of_range_summary_values_are_errors_naming_file_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let good = json!({"schema_version": 1, "period": {"label": "p", "tz": "UTC"},
                      "metrics": {"events": 1}, "hosts": {"web": {"events": 1}}});
    let a = write(tmp.path(), "good.json", good.to_string().as_bytes());
    let cases: &[(&str, &[&str], Value, &str)] = &[
        (
            "negative",
            &["metrics", "events"],
            json!(-5),
            "key `metrics.events`: -5 is not a count",
        ),
        (
            "overflowing",
            &["hosts", "web", "events"],
            json!(u64::MAX),
            "key `hosts.web.events`: 18446744073709551615 is not a count",
        ),
        (
            "string",
            &["metrics", "events"],
            json!("7"),
            "key `metrics.events`: \"7\" is not a count",
        ),
        (
            "version",
            &["schema_version"],
            json!("1"),
            "key `schema_version`: \"1\" is not a version number",
        ),
        (
            "zone",
            &["period", "tz"],
            json!("Mars/Base"),
            "key `period.tz`: \"Mars/Base\" is not a known time zone",
        ),
        (
            "day",
            &["hosts", "web", "by_day"],
            json!({"yesterday": 1}),
            "key `hosts.web.by_day.yesterday`: the key is not a day",
        ),
    ];
    for (name, path, value, message) in cases {
        let mut v = good.clone();
        let (last, parents) = path.split_last().unwrap();
        let mut at = &mut v;
        for k in parents {
            at = &mut at[*k];
        }
        at[*last] = value.clone();
        let file = format!("{name}.json");
        let b = write(tmp.path(), &file, v.to_string().as_bytes());
        for args in [&["compare"][..], &["trend"]] {
            cmd()
                .args(args)
                .args([&a, &b])
                .assert()
                .code(2)
                .stderr(predicate::str::contains(format!("{file}: {message}")));
        }
    }
}
