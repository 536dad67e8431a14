//! Operations: the monthly run as installed (the systemd service's own command line, the
//! cron line), configuration found without --config, completions and man pages.

use crate::common::{auditrail, root};
use std::path::{Path, PathBuf};

/// The `ExecStart=` command line of the installed service, split into words (the unit
/// quotes nothing, which this checks, so splitting on blanks is what systemd does).
fn exec_start() -> Vec<String> {
    let unit =
        std::fs::read_to_string(root().join("packaging/systemd/auditrail-report.service")).unwrap();
    let lines: Vec<&str> = unit
        .lines()
        .filter_map(|l| l.strip_prefix("ExecStart="))
        .collect();
    assert_eq!(lines.len(), 1, "one ExecStart= line");
    assert!(
        !lines[0].contains(['"', '\'', '\\', '$', '%']),
        "{}",
        lines[0]
    );
    lines[0].split_whitespace().map(str::to_string).collect()
}

/// The service's command line with the host's paths replaced: the logs by `logs`, the
/// reports directory by `reports`, and the clock set to 2026-11-01 02:00 UTC (the timer's
/// run after October).
fn service_run(logs: &Path, reports: &Path) -> assert_cmd::Command {
    let words = exec_start();
    assert_eq!(words[0], "/usr/bin/auditrail");
    let mut cmd = auditrail();
    for w in &words[1..] {
        if w == "/var/log/audit" {
            cmd.arg(logs);
        } else if let Some(rest) = w.strip_prefix("/var/lib/auditrail/reports/") {
            cmd.arg(reports.join(rest));
        } else {
            cmd.arg(w);
        }
    }
    cmd.args(["--now", "2026-11-01T02:00:00Z"]);
    cmd
}

fn scope_option(package: &Path, name: &str) -> String {
    let text = std::fs::read_to_string(package.join("report.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    report["scope"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .map(|o| o["value"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no option {name} in {}", package.display()))
}

#[test]
fn the_timer_is_monthly_and_catches_up() {
    let timer =
        std::fs::read_to_string(root().join("packaging/systemd/auditrail-report.timer")).unwrap();
    assert!(timer.lines().any(|l| l == "OnCalendar=monthly"), "{timer}");
    assert!(timer.lines().any(|l| l == "Persistent=true"), "{timer}");
}

#[test]
fn the_cron_line_runs_the_service_command() {
    let cron = std::fs::read_to_string(root().join("packaging/cron/auditrail-report")).unwrap();
    let line = cron.lines().find(|l| !l.starts_with('#')).unwrap();
    assert!(line.contains(&exec_start().join(" ")), "{line}");
}

#[test]
fn the_service_writes_last_month_with_the_previous_package_as_baseline() {
    let tmp = tempfile::tempdir().unwrap();
    let reports = tmp.path().join("reports");
    // September's package, as the previous month's run would have left it.
    auditrail()
        .args(["report", "--period", "2026-09", "--format", "json", "--out"])
        .arg(reports.join("2026-09"))
        .arg(root().join("samples/compare/2026-09.log"))
        .assert()
        .success();
    let out = service_run(&root().join("samples/scenarios"), &reports)
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let october = reports.join("2026-10");
    assert!(
        stdout.contains(&format!("to {}", october.display())),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(" open finding(s) at or above high: F-AUD-01 web-01, ")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(october.join("SHA256SUMS").is_file());
    let baseline = scope_option(&october, "Previous period (--baseline)");
    assert!(
        baseline.starts_with(&format!("{} (2026-09", reports.join("2026-09").display()))
            && baseline.contains("found by --baseline auto: the newest package of 2026-09"),
        "{baseline}"
    );
    assert_eq!(scope_option(&october, "Site configuration"), "defaults");
}

#[test]
fn the_first_service_run_says_no_baseline_was_found() {
    let tmp = tempfile::tempdir().unwrap();
    let reports = tmp.path().join("reports");
    service_run(&root().join("samples/scenarios"), &reports)
        .assert()
        .code(1);
    let baseline = scope_option(&reports.join("2026-10"), "Previous period (--baseline)");
    assert!(
        baseline.starts_with("none found by --baseline auto: "),
        "{baseline}"
    );
}

#[test]
fn baseline_auto_is_for_report_only() {
    auditrail()
        .args(["findings", "--baseline", "auto", "--period", "2026-10"])
        .arg(root().join("samples/scenarios/ssh-brute-force.log"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--baseline auto: only `report` finds the previous package",
        ));
}

#[test]
fn a_missing_previous_month_fails_the_service_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let reports = tmp.path().join("reports");
    auditrail()
        .args([
            "report",
            "--period",
            "2026-08",
            "--format",
            "json",
            "--allow-empty",
            "--out",
        ])
        .arg(reports.join("2026-08"))
        .arg(root().join("samples/compare/2026-09.log"))
        .assert()
        .success();
    let out = service_run(&root().join("samples/scenarios"), &reports)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("--baseline auto: no report package for the period before 2026-10")
            && stderr.contains("it holds packages of 2026-08"),
        "{stderr}"
    );
    assert!(!reports.join("2026-10").exists());
}

/// A configuration directory holding `auditrail.toml` with `uid_min = 1234`.
fn site_dir(tmp: &Path, name: &str) -> PathBuf {
    let dir = tmp.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("auditrail.toml"), "uid_min = 1234\n").unwrap();
    dir
}

#[test]
fn the_configuration_found_is_named_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let etc = site_dir(tmp.path(), "etc");
    let file = etc.join("auditrail.toml");
    let log = root().join("samples/scenarios/ssh-brute-force.log");
    let text = |args: &[&str], sysconf: Option<&Path>| {
        let mut c = auditrail();
        if let Some(d) = sysconf {
            c.env("AUDITRAIL_SYSCONFDIR", d);
        }
        let out = c.args(args).arg(&log).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    for cmd in ["summary", "findings"] {
        let found = text(&[cmd, "--period", "2026-10"], Some(&etc));
        assert!(
            found.contains(&format!("\nConfiguration: {}\n", file.display())),
            "{cmd}: {found}"
        );
        let none = text(&[cmd, "--period", "2026-10"], None);
        assert!(
            none.contains("\nConfiguration: defaults\n"),
            "{cmd}: {none}"
        );
    }
    let json = text(
        &["findings", "--period", "2026-10", "--format", "json"],
        Some(&etc),
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["config_file"], file.display().to_string());
    assert_eq!(doc["config"]["uid_min"], 1234);
    // The report: in its scope (HTML, PDF, report.json) and hashed into the manifest.
    let pkg = tmp.path().join("pkg");
    auditrail()
        .env("AUDITRAIL_SYSCONFDIR", &etc)
        .args([
            "report",
            "--period",
            "2026-10",
            "--format",
            "json,html",
            "--out",
        ])
        .arg(&pkg)
        .arg(&log)
        .assert()
        .success();
    assert_eq!(
        scope_option(&pkg, "Site configuration"),
        file.display().to_string()
    );
    let html = std::fs::read_to_string(pkg.join("report.html")).unwrap();
    assert!(html.contains(&format!(
        "<tr><th>Site configuration</th><td>{}</td></tr>",
        file.display()
    )));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pkg.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["config"]["path"], file.display().to_string());
}

#[test]
fn the_user_configuration_is_found_after_the_system_one() {
    let tmp = tempfile::tempdir().unwrap();
    let xdg = tmp.path().join("xdg");
    site_dir(&xdg, "auditrail");
    let log = root().join("samples/scenarios/ssh-brute-force.log");
    let out = auditrail()
        .env("XDG_CONFIG_HOME", &xdg)
        .args(["summary", "--period", "2026-10"])
        .arg(&log)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let expected = xdg.join("auditrail/auditrail.toml");
    assert!(
        stdout.contains(&format!("Configuration: {}\n", expected.display())),
        "{stdout}"
    );
    // AUDITRAIL_CONFIG naming a file that is not there: an error, not the defaults.
    auditrail()
        .env("AUDITRAIL_CONFIG", tmp.path().join("typo.toml"))
        .args(["summary"])
        .arg(&log)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("typo.toml"));
}

#[test]
fn completions_and_man_pages_come_from_the_binary() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = auditrail().args(["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(
            script.contains("baseline") && script.contains("allow-empty"),
            "{shell}"
        );
    }
    auditrail()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "possible values: bash, elvish, fish, powershell, zsh",
        ));
    auditrail()
        .args(["man", "report"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(".ie"))
        .stdout(predicates::str::contains(".TH auditrail-report 1"));
}

/// The README's run command (`cargo run --release -- report ...`), as its arguments.
fn readme_run_command() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find_map(|l| l.strip_prefix("cargo run --release -- "))
        .expect("the README's run command");
    line.split_whitespace().map(str::to_string).collect()
}

/// Regression: the README's run command run a second time failed ("--out ... exists and is
/// not empty"); it replaces its own package, and only that.
#[test]
fn the_readme_run_command_can_run_again() {
    let tmp = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root().join("samples"), tmp.path().join("samples")).unwrap();
    let args = readme_run_command();
    for _ in 0..2 {
        auditrail()
            .current_dir(tmp.path())
            .args(&args)
            .assert()
            .success();
    }
    let package = tmp.path().join("auditrail-report-2026-10");
    assert!(package.join("SHA256SUMS").is_file());
    // A file someone added: no longer only our package, so it is left alone.
    std::fs::write(package.join("notes.txt"), "mine").unwrap();
    auditrail()
        .current_dir(tmp.path())
        .args(&args)
        .assert()
        .code(2);
    assert_eq!(std::fs::read(package.join("notes.txt")).unwrap(), b"mine");
}

/// The progress bar is for terminals: with standard error a pipe (cron, systemd, CI), a
/// read big enough for a bar writes nothing there.
#[test]
fn no_progress_bar_off_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let one = std::fs::read(root().join("samples/scenarios/ssh-brute-force.log")).unwrap();
    let big: Vec<u8> = one
        .iter()
        .copied()
        .cycle()
        .take(one.len() * ((9 << 20) / one.len() + 1))
        .collect();
    let log = tmp.path().join("audit.log");
    std::fs::write(&log, big).unwrap();
    for command in ["check", "summary"] {
        auditrail()
            .arg(command)
            .arg(&log)
            .assert()
            .success()
            .stderr("");
    }
}
