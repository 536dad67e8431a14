//! Policy loading and validation.

use super::*;

#[test]
fn every_builtin_policy_loads() {
    for (name, text) in BUILTIN {
        let p = Policy::parse(text, name, name).unwrap_or_else(|e| panic!("{e}"));
        assert!(!p.controls.is_empty(), "{name}");
    }
}

#[test]
fn every_shipped_file_is_builtin_and_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            let p = load_file(&path).unwrap();
            assert!(
                BUILTIN.iter().any(|(b, _)| *b == p.name),
                "{} not built in",
                p.name
            );
            n += 1;
        }
    }
    assert_eq!(n, BUILTIN.len());
}

const GOOD: &str = r#"
framework = "x"
version = "1"
title = "X"
[[controls]]
id = "1"
title = "a"
coverage = "direct"
evidence = ["logins.failed"]
findings = ["F-AUTH-01"]
"#;

#[test]
fn unknown_metric_names_file_and_key() {
    let text = GOOD.replace("\"logins.failed\"", "\"logins.failed\", \"logins.fail\"");
    let err = Policy::parse(&text, "policies/x.toml", "x")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "policies/x.toml: controls[0].evidence[1]: unknown metric \"logins.fail\""
    );
}

#[test]
fn unknown_rule_names_file_and_key() {
    let text = GOOD.replace("F-AUTH-01", "F-AUTH-99");
    let err = Policy::parse(&text, "p.toml", "x").unwrap_err().to_string();
    assert_eq!(
        err,
        "p.toml: controls[0].findings[0]: unknown finding rule \"F-AUTH-99\""
    );
}

#[test]
fn unknown_key_and_bad_coverage_name_file_and_line() {
    let err = Policy::parse(
        &GOOD.replace("coverage = \"direct\"", "coverage = \"full\""),
        "p.toml",
        "x",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("p.toml: line 8: controls[0].coverage: "),
        "{err}"
    );
    assert!(err.contains("full"), "{err}");
    let err = Policy::parse(&format!("{GOOD}colour = 1\n"), "p.toml", "x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn select_builtin_and_override() {
    let all = select(&[]).unwrap();
    assert_eq!(all.len(), BUILTIN.len());
    let one = select(&["pci-dss-4.0.1".to_string()]).unwrap();
    assert_eq!(one.len(), 1);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pci-dss-4.0.1.toml");
    std::fs::write(&file, GOOD).unwrap();
    let over = select(&[file.display().to_string()]).unwrap();
    assert_eq!(over.len(), BUILTIN.len());
    let pci = over.iter().find(|p| p.name == "pci-dss-4.0.1").unwrap();
    assert_eq!(pci.framework, "x");
    let err = select(&["nope".to_string()]).unwrap_err().to_string();
    assert!(err.starts_with("--policy nope: no such file"), "{err}");
}

#[test]
fn control_status_covers_the_four_cases() {
    let text = r#"
framework = "x"
version = "1"
title = "X"
[[controls]]
id = "design"
title = "a"
coverage = "not-provable"
[[controls]]
id = "failures"
title = "b"
coverage = "direct"
evidence = ["logins.failed"]
findings = ["F-AUTH-01"]
[[controls]]
id = "mac"
title = "c"
coverage = "direct"
evidence = ["mac.denials"]
[[controls]]
id = "new-signatures"
title = "d"
coverage = "partial"
evidence = ["events"]
findings = ["F-MAC-03"]
[[controls]]
id = "shared"
title = "e"
coverage = "partial"
evidence = ["logins.success"]
findings = ["F-AUTH-09"]
threshold = "high"
"#;
    let p = Policy::parse(text, "x.toml", "x").unwrap();
    let site = crate::site::SiteConfig::default();
    let s = crate::findings::tests::summary("ssh-brute-force", None, &site);
    let a = assess(&s, &site, &[], None, &[p]);
    let status: Vec<(&str, ControlStatus)> = a.policies[0]
        .controls
        .iter()
        .map(|c| (c.id.as_str(), c.status))
        .collect();
    assert_eq!(
        status,
        vec![
            ("design", ControlStatus::NotProvable),
            ("failures", ControlStatus::Exceptions),
            ("mac", ControlStatus::NoEvidence),
            ("new-signatures", ControlStatus::NoEvidence),
            ("shared", ControlStatus::EvidenceOk),
        ]
    );
    let failures = &a.policies[0].controls[1];
    assert_eq!(failures.exceptions[0].rule, "F-AUTH-01");
    assert_eq!(failures.exceptions[0].evidence[0].source.line, 9);
    assert!(a.policies[0].controls[3]
        .not_evaluated
        .contains_key("F-MAC-03"));
}

#[test]
fn unknown_key_meaning_names_file_and_key() {
    let text = format!("{GOOD}key_meanings = [\"identity-files\", \"mounts|audit-log-reads\"]\n");
    let err = Policy::parse(&text, "p.toml", "x").unwrap_err().to_string();
    assert!(
        err.starts_with(
            "p.toml: controls[0].key_meanings[1]: unknown key meaning \"audit-log-reads\""
        ),
        "{err}"
    );
}

/// PCI DSS 10.2.1.3 on watched-files.log: evidence from keyed events, exceptions from
/// F-AUD-13, and the hosts without an audit-log read rule named with the rule to add.
#[test]
fn pci_audit_log_access_shows_keyed_evidence_and_missing_rules() {
    let site = crate::site::SiteConfig::default();
    let s = crate::findings::tests::summary("watched-files", None, &site);
    let pci = builtin("pci-dss-4.0.1").unwrap();
    let a = assess(&s, &site, &[], None, &[pci]);
    let row = |id: &str| {
        a.policies[0]
            .controls
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .clone()
    };
    let c = row("10.2.1.3");
    assert_eq!(c.evidence["files.audit_log_reads"], 4);
    assert_eq!(c.status, ControlStatus::Exceptions);
    let lines = coverage::lines(&c.rule_coverage, &|s| format!("log:{}", s.line));
    assert_eq!(
        lines,
        vec![
            "audit-log-access: events on db-01; no rule loaded on arm-01, web-01: add \
              `-a always,exit -F dir=/var/log/audit/ -F perm=r -F auid>=1000 -F auid!=unset \
              -k audit-log-access`"
        ]
    );
    // 10.2.1.7: modules and mounts: logged on db-01, loaded and silent on web-01.
    let c = row("10.2.1.7");
    assert_eq!(c.evidence["system.modules_loaded"], 1);
    assert_eq!(c.evidence["system.mounts"], 1);
    let lines = coverage::lines(&c.rule_coverage, &|s| format!("log:{}", s.line));
    assert!(
        lines[0].starts_with(
            "modules: events on db-01; rule loaded and silent on web-01 (key modules, log:29)"
        ),
        "{lines:?}"
    );
    // 10.6.3 on a host set where every host has the time rule loaded and none fired:
    // evidence of absence, not "no evidence".
    let mut time_only = builtin("pci-dss-4.0.1").unwrap();
    time_only.controls.retain(|c| c.id == "10.6.3");
    time_only.controls[0].findings.clear();
    let only_web = crate::findings::tests::summary_of(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/scenarios/watched-files.log"),
        )
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("node=web-01 "))
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes(),
        None,
        &site,
    );
    let a = assess(&only_web, &site, &[], None, &[time_only.clone()]);
    assert_eq!(a.policies[0].controls[0].evidence["config.time_changes"], 0);
    assert_eq!(a.policies[0].controls[0].status, ControlStatus::EvidenceOk);
    // The same without the rule loaded: no evidence, with the rule to add.
    let a = assess(&s, &site, &[], None, &[time_only]);
    assert_eq!(a.policies[0].controls[0].status, ControlStatus::NoEvidence);
}

#[test]
fn policies_come_from_the_option_then_the_site_then_all_builtins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auditrail.toml");
    let load = |text: &str| {
        std::fs::write(&path, text).unwrap();
        crate::site::SiteConfig::load(&path)
    };
    let site = load("policies = [\"hipaa-security\", \"pci-dss-4.0.1\"]\n").unwrap();
    let c = choose(&[], &site).unwrap();
    assert_eq!(c.args, ["hipaa-security", "pci-dss-4.0.1"]);
    assert!(c.why.contains("auditrail.toml"), "{}", c.why);
    assert_eq!(select(&c.args).unwrap().len(), 2);
    let given = choose(&["cis-v8.1".to_string()], &site).unwrap();
    assert_eq!(given.args, ["cis-v8.1"]);
    let all = choose(&[], &crate::site::SiteConfig::default()).unwrap();
    assert!(
        all.args.is_empty() && all.why.starts_with("all 6 built-in"),
        "{}",
        all.why
    );
    // An unknown name: the file, the key and its line.
    let site = load("uid_min = 1000\npolicies = [\"pci-dss-9\"]\n").unwrap();
    let e = choose(&[], &site).unwrap_err().to_string();
    assert!(
        e.contains("auditrail.toml") && e.contains("key `policies` (line 2)"),
        "{e}"
    );
    assert!(e.contains("\"pci-dss-9\""), "{e}");
    // A name twice is an error of the site configuration.
    let e = load("policies = [\"cis-v8.1\", \"cis-v8.1\"]\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("key `policies` (line 1)") && e.contains("listed twice"),
        "{e}"
    );
}

/// A control whose only findings are accepted by an unexpired exception says so; the same
/// exception expired before the period's last day leaves the control with open exceptions.
#[test]
fn a_control_with_only_accepted_findings_is_exceptions_accepted() {
    let site = crate::site::SiteConfig::default();
    let s = crate::findings::tests::summary("ssh-brute-force", Some("2026-10"), &site);
    let p = Policy::parse(GOOD, "p.toml", "x").unwrap();
    let file = |expires: &str| {
        let text = format!(
            "[[exception]]\nrule = \"F-AUTH-01\"\nhost = \"bastion\"\nowner = \"Ops\"\n\
             reason = \"pen test\"\nexpires = {expires}\n"
        );
        crate::site::exceptions::ExceptionsFile {
            path: "e.toml".into(),
            bytes: 0,
            sha256: String::new(),
            entries: crate::site::exceptions::parse(&text, &|_| true).unwrap(),
        }
    };
    let a = assess_with(
        &s,
        &site,
        &[],
        None,
        std::slice::from_ref(&p),
        Some(&file("2026-10-31")),
    );
    let c = &a.policies[0].controls[0];
    assert_eq!(c.status, ControlStatus::ExceptionsAccepted);
    assert_eq!(c.status.as_str(), "exceptions (accepted)");
    assert!(c.exceptions.iter().all(|f| f.exception.is_some()));
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(
        json["policies"][0]["controls"][0]["status"],
        "exceptions-accepted"
    );
    assert_eq!(json["exceptions"]["entries"][0]["status"], "accepted");

    let a = assess_with(&s, &site, &[], None, &[p], Some(&file("2026-10-30")));
    assert_eq!(a.policies[0].controls[0].status, ControlStatus::Exceptions);
    let reg = a.exceptions.unwrap();
    assert_eq!(
        reg.entries[0].note,
        "expired 2026-10-30; 1 finding(s) left open"
    );
    let open = a
        .rules
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.rule == "F-AUTH-01");
    assert!(open.clone().count() > 0 && open.clone().all(|f| f.exception.is_none()));
}
