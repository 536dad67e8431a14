//! `--color`: `always` puts ANSI styles around severities and statuses, and takes nothing
//! else away (the text without the styles is the plain text byte for byte); `never`,
//! `NO_COLOR` and a pipe (`auto`, these tests' standard output) give the plain text.

use crate::common::root;
use assert_cmd::Command;

/// Standard output of a successful run of auditrail in the repository root.
fn run(args: &[&str], no_color: bool) -> String {
    let mut cmd = Command::cargo_bin("auditrail").unwrap();
    cmd.current_dir(root())
        .env_remove("AUDITRAIL_TZ")
        .env_remove("AUDITRAIL_CONFIG")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("NO_COLOR")
        .args(args);
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "auditrail {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `text` without its SGR sequences (`ESC [ ... m`).
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let m = rest[at..].find('m').expect("an SGR sequence ends with m");
        rest = &rest[at + m + 1..];
    }
    out.push_str(rest);
    out
}

/// The plain text of `args` the three ways, and the coloured text, which must be the plain
/// text with styles added.
fn coloured(args: &[&str]) -> String {
    let plain = run(args, false);
    assert!(!plain.contains('\x1b'), "{plain}");
    let with = |when: &'static str| [args, &["--color", when]].concat();
    assert!(run(&with("never"), false) == plain, "--color never differs");
    assert!(run(&with("auto"), true) == plain, "NO_COLOR differs");
    let always = run(&with("always"), false);
    assert!(always != plain, "--color always styled nothing");
    assert!(strip(&always) == plain, "--color always changed the text");
    // An explicit --color always wins over NO_COLOR (no-color.org).
    assert!(
        run(&with("always"), true) == always,
        "NO_COLOR overrode --color"
    );
    always
}

#[test]
fn findings_colours_severities_and_statuses() {
    let t = coloured(&[
        "findings",
        "samples/scenarios",
        "--period",
        "2026-10",
        "--exceptions",
        "samples/exceptions.toml",
    ]);
    for styled in [
        "\x1b[1;31mcritical\x1b[0m",
        "\x1b[31mhigh\x1b[0m",
        "\x1b[33mmedium\x1b[0m",
        "\x1b[36mlow\x1b[0m",
        "\x1b[32mevidence-ok\x1b[0m",
        "\x1b[31mno-evidence\x1b[0m",
        "\x1b[32maccepted\x1b[0m",
        "\x1b[1;31mEXPIRED\x1b[0m",
    ] {
        assert!(
            t.contains(styled),
            "{styled:?} not in the coloured findings"
        );
    }
    // A word inside a log value or a rule id is left alone.
    assert!(!t.contains("=\x1b["), "a key=value was styled");
}

#[test]
fn summary_check_and_compare_colour_only_when_asked() {
    let summary = coloured(&["summary", "samples/scenarios", "--period", "2026-10"]);
    assert!(
        summary.contains("  \x1b[31mfailed\x1b[0m  "),
        "no failed result styled"
    );
    let check = coloured(&["check", "samples"]);
    assert!(
        check.contains("accounted for: \x1b[32myes\x1b[0m\n"),
        "{check}"
    );
    let compare = coloured(&[
        "compare",
        "samples/compare",
        "--baseline-period",
        "2026-09",
        "--current-period",
        "2026-10",
    ]);
    assert!(compare.contains("  \x1b[1;33mFLAG\x1b[0m\n"), "{compare}");
}

#[test]
fn report_and_verify_colour_their_verdicts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    let out = out.to_str().unwrap();
    let report = |colour: &str| {
        run(
            &[
                "report",
                "samples/scenarios",
                "--period",
                "2026-10",
                "--format",
                "json",
                "--force",
                "--out",
                out,
                "--color",
                colour,
            ],
            false,
        )
    };
    let plain = report("never");
    let always = report("always");
    assert!(!plain.contains('\x1b'));
    assert!(always.contains("\x1b[1;31mcritical\x1b[0m"), "{always}");
    assert_eq!(strip(&always), plain);
    let verify = coloured(&["verify", out]);
    assert!(verify.ends_with("\x1b[32mintact\x1b[0m\n"), "{verify}");
}
