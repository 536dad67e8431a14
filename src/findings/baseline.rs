//! The previous period (`--baseline`), as the rules that compare with it read it: its MAC
//! denial signatures (F-MAC-03, in [`super::mac`]) and, when it is a report package with a
//! `manifest.json`, the check of its inputs against the inputs now (F-AUD-11, here).
//!
//! F-AUD-11 is run only when a baseline is given: without one there is no manifest to
//! compare with, and listing the rule as not evaluated in every run would say nothing new.

use super::ctx::Ctx;
use super::{Eval, Finding, Rule, Severity};
use crate::integrity::InputCheck;
use std::collections::BTreeSet;

/// The previous period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    /// Where it was read from, as given.
    pub path: String,
    /// Its period label (`2026-09 (UTC)`).
    pub label: String,
    /// Its MAC denial signatures (the keys of `mac.signatures`), enforced or not.
    pub signatures: BTreeSet<String>,
    /// True when its signatures went past the signature limit: `signatures` is not all of
    /// them, so a signature missing from it may not be new.
    pub signatures_cut: bool,
    /// Its package's inputs that are inputs now, checked; `None` when the baseline has no
    /// `manifest.json` (a bare summary.json).
    pub integrity: Option<Vec<InputCheck>>,
}

/// F-AUD-11, run only with a baseline (see the module docs).
pub static INTEGRITY: Rule = Rule {
    id: "F-AUD-11",
    title: "an archived input file changed or went missing since the previous period's \
            package recorded its hash",
    severity: Severity::Critical,
    params: &[],
    eval: integrity,
};

fn integrity(ctx: &Ctx<'_>) -> Eval {
    let Some(b) = ctx.baseline else {
        return Err("needs the previous period's report package (--baseline)".into());
    };
    let Some(checks) = &b.integrity else {
        return Err(format!(
            "the baseline {} has no manifest.json (give the report package directory)",
            b.path
        ));
    };
    if checks.is_empty() {
        return Err(format!(
            "none of the logs listed in {}'s manifest.json is in a directory this run reads \
             (a package built from summaries lists none)",
            b.path
        ));
    }
    let at = ctx.summary.period().start_ms.unwrap_or(0);
    Ok(checks
        .iter()
        .filter_map(|c| {
            let severity = Severity::parse(c.severity()?)?;
            let summary = match (c.current_path.as_deref(), c.moved_to()) {
                (Some(_), None) => format!(
                    "{} changed since the package of {} recorded it (sha256 then {}, now {})",
                    c.path, b.label, c.baseline_sha256, c.current_sha256
                ),
                (Some(_), Some(now)) => format!(
                    "{} changed since the package of {} recorded it (sha256 then {}; found \
                     as {now}, sha256 {})",
                    c.path, b.label, c.baseline_sha256, c.current_sha256
                ),
                (None, _) => format!(
                    "{} is missing since the package of {} recorded it (sha256 {}): no input \
                     has its content, and no input under its name or a rotated name holds it",
                    c.path, b.label, c.baseline_sha256
                ),
            };
            let mut f = Finding::new("F-AUD-11", severity, summary, None, Vec::new());
            (f.first_ms, f.last_ms, f.count) = (at, at, 1);
            Some(f)
        })
        .collect())
}

/// What the check found, for people: `12 archived input(s) checked: 9 unchanged, ...`.
pub fn integrity_note(b: &Baseline) -> String {
    match &b.integrity {
        Some(checks) if checks.is_empty() => {
            "no archived input in a directory this run reads".to_string()
        }
        Some(checks) => format!(
            "{} archived input(s) checked: {}",
            checks.len(),
            crate::integrity::tally(checks)
        ),
        None => "no manifest: archive integrity not checked".to_string(),
    }
}
