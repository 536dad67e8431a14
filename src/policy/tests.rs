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
