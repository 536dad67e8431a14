//! Rule tests over the scenario logs (`samples/scenarios/`, described in
//! `samples/README.md`): for every rule one case that triggers it and one at the boundary of
//! its threshold (or on a scenario without the pattern) that does not.

mod account;
mod audit;
mod auth;
mod bounds;
mod privilege;
mod system;

use super::*;
use crate::aggregate::{Aggregator, Summary};
use crate::classify::NameResolver;
use crate::model::{FileId, Source};
use crate::parse::{each_event, each_event_of_lines, AssembleOptions};
use crate::period::Period;
use crate::site::SiteConfig;

/// Summarises a scenario as `auditrail findings` does (silence threshold = `silent_hours`).
pub(crate) fn summary(name: &str, period: Option<&str>, site: &SiteConfig) -> Summary {
    let path = format!(
        "{}/samples/scenarios/{name}.log",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).expect("scenario readable");
    summary_of(&bytes, period, site)
}

/// Summarises log text as `auditrail findings` does.
pub(crate) fn summary_of(bytes: &[u8], period: Option<&str>, site: &SiteConfig) -> Summary {
    let period = match period {
        Some(spec) => {
            let now = chrono::DateTime::parse_from_rfc3339("2026-11-15T00:00:00Z").unwrap();
            Period::parse(spec, chrono_tz::UTC, now.into()).unwrap()
        }
        None => Period::unbounded(chrono_tz::UTC),
    };
    let silence = crate::model::duration_ms(site.thresholds.silent_hours, crate::model::HOUR_MS);
    let mut agg = Aggregator::with_silence_threshold(period, NameResolver::empty(), silence);
    let mut sink = |ev: &crate::parse::Event| agg.add_event(ev);
    each_event(bytes, AssembleOptions::default(), &mut sink);
    agg.into_summary()
}

fn outcome_with(
    rule: &str,
    name: &str,
    period: Option<&str>,
    tune: impl FnOnce(&mut SiteConfig),
    terminations: &[(String, chrono::NaiveDate)],
) -> RuleOutcome {
    let mut site = SiteConfig::default();
    tune(&mut site);
    let s = summary(name, period, &site);
    evaluate(&s, &site, terminations)
        .into_iter()
        .find(|o| o.id == rule)
        .unwrap_or_else(|| panic!("no rule {rule}"))
}

fn outcome(rule: &str, name: &str, tune: impl FnOnce(&mut SiteConfig)) -> RuleOutcome {
    outcome_with(rule, name, None, tune, &[])
}

/// Findings of `rule` on scenario `name` with the site tuned by `tune`; panics when the
/// rule was not evaluated.
fn found(rule: &str, name: &str, tune: impl FnOnce(&mut SiteConfig)) -> Vec<Finding> {
    let o = outcome(rule, name, tune);
    assert_ne!(
        o.status,
        Status::NotEvaluated,
        "{rule} on {name}: {:?}",
        o.reason
    );
    o.findings
}

fn none(_: &mut SiteConfig) {}

fn against(rule: &str, name: &str, baseline: &Baseline) -> RuleOutcome {
    let site = SiteConfig::default();
    let s = summary(name, None, &site);
    evaluate_against(&s, &site, &[], Some(baseline))
        .into_iter()
        .find(|o| o.id == rule)
        .unwrap_or_else(|| panic!("no rule {rule}"))
}
