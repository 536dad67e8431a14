//! Record-content rule (F-FLD-01): user-space records that do not say who acted, whether it
//! worked, or (for logins) from where. Measured over the listed user-space facts (logins,
//! authentications, account changes, password changes, privileged commands); routine
//! records the summary only counts are not examined.

use super::ctx::{complete, Ctx};
use super::{Eval, Finding, Rule, Severity};
use crate::classify::{Category, Fact, Outcome};

/// The field rule.
pub static RULES: &[Rule] = &[Rule {
    id: "F-FLD-01",
    title: "user-space records missing actor, result or origin above the threshold",
    severity: Severity::Low,
    params: &["missing_fields_percent"],
    eval: missing,
}];

fn gap(f: &Fact) -> Option<&'static str> {
    if f.auid.is_none() {
        Some("no auid")
    } else if f.result == Outcome::Unset {
        Some("no result")
    } else if f.category == Category::Logins && f.origin().is_none() && f.terminal.is_none() {
        Some("no origin or terminal")
    } else {
        None
    }
}

fn missing(ctx: &Ctx<'_>) -> Eval {
    let s = ctx.summary;
    let (l, a) = (s.logins(), s.accounts());
    let lists = [
        ("login", l.logins()),
        ("failed login", l.failed_logins()),
        ("authentication", l.auths()),
        ("failed authentication", l.failed_auths()),
        ("account creation", a.created()),
        ("account deletion", a.deleted()),
        ("account modification", a.modified()),
        ("password change", s.credentials().password_changes()),
        ("privileged command", s.privilege().commands()),
    ];
    complete(&lists)?;
    let facts: Vec<&Fact> = lists.iter().flat_map(|(_, l)| l.items()).collect();
    if facts.is_empty() {
        return Err("no user-space login, account or command records in the input".into());
    }
    let bad: Vec<(&Fact, &str)> = facts
        .iter()
        .filter_map(|f| gap(f).map(|g| (*f, g)))
        .collect();
    let pct = bad.len() as f64 * 100.0 / facts.len() as f64;
    if pct <= ctx.site.thresholds.missing_fields_percent {
        return Ok(Vec::new());
    }
    let mut ev: Vec<_> = bad.iter().map(|(f, g)| ctx.evidence(f, *g)).collect();
    ev.sort_by_key(|e| (e.time_ms, e.source));
    Ok(vec![Finding::new(
        "F-FLD-01",
        Severity::Low,
        format!(
            "{} of {} user-space records ({pct:.1} %) lack actor, result or origin",
            bad.len(),
            facts.len()
        ),
        None,
        ev,
    )])
}
