//! The account rules (F-ACCT-*).

use super::*;

#[test]
fn acct_01_short_lived_account() {
    let f = found("F-ACCT-01", "account-lifecycle", none);
    assert_eq!(
        (f.len(), f[0].severity),
        (1, Severity::High),
        "it logged in meanwhile"
    );
    assert!(found("F-ACCT-01", "account-lifecycle", |s| s
        .thresholds
        .short_lived_hours =
        32)
    .is_empty());
}

#[test]
fn acct_02_03_uid_zero_and_use_after_removal() {
    assert_eq!(found("F-ACCT-02", "system-changes", none).len(), 1);
    assert!(found("F-ACCT-02", "account-lifecycle", none).is_empty());
    let f = found("F-ACCT-03", "system-changes", none);
    assert_eq!((f.len(), f[0].evidence[1].source.line), (1, 14));
    assert!(found("F-ACCT-03", "account-lifecycle", none).is_empty());
}

#[test]
fn acct_03_terminations_file() {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let early = [("carol".to_string(), day("2026-10-19"))];
    let o = outcome_with("F-ACCT-03", "normal-month", None, none, &early);
    assert_eq!(o.findings.len(), 1, "{:?}", o.findings);
    let late = [("carol".to_string(), day("2026-10-20"))];
    let o = outcome_with("F-ACCT-03", "normal-month", None, none, &late);
    assert!(
        o.findings.is_empty(),
        "a login on the termination day is not after it"
    );
}

#[test]
fn acct_04_termination_not_actioned() {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let run = |who: &str, d: &str, days: u64| {
        let list = [(who.to_string(), day(d))];
        outcome_with(
            "F-ACCT-04",
            "account-lifecycle",
            Some("2026-10"),
            |s| s.thresholds.termination_days = days,
            &list,
        )
    };
    let o = outcome_with("F-ACCT-04", "account-lifecycle", Some("2026-10"), none, &[]);
    assert_eq!(o.status, Status::NotEvaluated, "no terminations list");
    // tmp.contractor is deleted on web-01 on 2026-10-07 (line 277).
    assert!(
        run("tmp.contractor", "2026-10-06", 1).findings.is_empty(),
        "on the deadline day"
    );
    let late = run("tmp.contractor", "2026-10-05", 1).findings;
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0].evidence[0].source.line, 277);
    assert!(
        late[0].summary.contains("due by 2026-10-06"),
        "{}",
        late[0].summary
    );
    assert!(
        run("tmp.contractor", "2026-10-05", 2).findings.is_empty(),
        "two days allowed"
    );
    // Never removed: a finding without evidence, dated at the end of the deadline day.
    let never = run("ghost", "2026-10-10", 1).findings;
    assert_eq!(never.len(), 1);
    assert!(never[0].evidence.is_empty());
    assert_eq!(
        crate::model::format_ms(never[0].first_ms),
        "2026-10-12T00:00:00.000Z"
    );
    // Not yet due within the period, or terminated before it: not judged.
    assert!(run("ghost", "2026-10-31", 1).findings.is_empty());
    assert_eq!(
        run("ghost", "2026-10-30", 1).findings.len(),
        1,
        "deadline 10-31, in period"
    );
    assert!(run("ghost", "2026-09-20", 1).findings.is_empty());
}

#[test]
fn acct_05_dormant_needs_history() {
    let o = outcome("F-ACCT-05", "normal-month", none);
    assert_eq!(o.status, Status::NotEvaluated);
    assert!(o.reason.unwrap().starts_with("insufficient history"));
    // carol's last login is 2026-10-20T15:02Z; the input ends 2026-10-31.
    let f = found("F-ACCT-05", "normal-month", |s| {
        s.thresholds.dormant_days = 10
    });
    let who: Vec<&str> = f
        .iter()
        .filter_map(|f| f.evidence[0].target.as_deref())
        .collect();
    assert_eq!(who, vec!["carol"]);
    assert!(
        found("F-ACCT-05", "normal-month", |s| s.thresholds.dormant_days =
            12)
        .is_empty()
    );
}

#[test]
fn acct_06_08_failed_and_unattributed_changes() {
    let f = found("F-ACCT-06", "account-lifecycle", none);
    assert_eq!((f.len(), f[0].evidence[0].source.line), (1, 163));
    assert!(found("F-ACCT-06", "system-changes", none).is_empty());
    // No account record at all: nothing was looked at, so no pass.
    let o = outcome("F-ACCT-06", "normal-month", none);
    assert_eq!(o.status, Status::NotEvaluated);
    assert_eq!(
        o.reason.as_deref(),
        Some("no account management records in the period")
    );
    assert_eq!(found("F-ACCT-08", "system-changes", none).len(), 1);
    assert!(found("F-ACCT-08", "account-lifecycle", none).is_empty());
}

#[test]
fn acct_07_identity_files_edited_by_hand() {
    let f = found("F-ACCT-07", "watched-files", none);
    assert_eq!(f.len(), 1, "vim, not useradd: {f:#?}");
    assert_eq!(f[0].evidence[0].source.line, 48);
    assert!(
        f[0].summary.contains("/etc/passwd with vim by alice"),
        "{}",
        f[0].summary
    );
    assert!(found("F-ACCT-07", "watched-files", |s| s
        .account_tools
        .push("vim".into()))
    .is_empty());
    // useradd's identity events in account-lifecycle are not hand edits.
    assert!(found("F-ACCT-07", "account-lifecycle", none).is_empty());
}
