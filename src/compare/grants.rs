//! Privilege grants in each period (Q-PRIV-GRANT): additions of an account to a group and
//! role assignments, read from a summary's `accounts.modified` and `accounts.roles` lists.
//!
//! A summary does not carry the site's `admin_groups`, so every group addition is listed
//! (F-PRIV-01 narrows them to admin groups when findings are compared from logs). The lists
//! are the summary's, so they stop at its list limit; `omitted` says how many more there were.

use super::view::{FactList, FactView, PrincipalView, SummaryView};
use crate::model::format_ms;
use serde::Serialize;

/// One grant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// When (UTC).
    pub time: String,
    /// The host (`node=`), `-` without one.
    pub host: String,
    /// Who granted (login identity).
    pub actor: String,
    /// Who received it.
    pub target: String,
    /// `added to group wheel`, `role assigned: staff_r`.
    pub what: String,
}

/// The grants of both periods.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GrantChange {
    /// Grants in the baseline period, in time order.
    pub baseline: Vec<Grant>,
    /// Grants in the current period.
    pub current: Vec<Grant>,
    /// Account-modification or role records the summaries did not list (beyond their list
    /// limit), baseline and current: grants among them are not shown.
    pub omitted: [u64; 2],
}

fn name(p: Option<&PrincipalView>) -> String {
    p.and_then(|p| p.name.clone().or_else(|| p.id.map(|i| i.to_string())))
        .unwrap_or_else(|| "?".to_string())
}

fn grant(f: &FactView, what: String) -> Grant {
    Grant {
        time: f.time_ms.map_or_else(|| "?".into(), format_ms),
        host: f.node.clone().unwrap_or_else(|| "-".to_string()),
        actor: name(f.auid.as_ref()),
        target: name(f.target.as_ref()),
        what,
    }
}

/// The grants in one summary, and how many records its lists left out.
pub fn of(summary: &SummaryView) -> (Vec<Grant>, u64) {
    let a = &summary.accounts;
    let mut out: Vec<Grant> = a
        .modified
        .items
        .iter()
        .filter_map(|f| {
            let op = f.op.as_deref().unwrap_or("");
            let group = f.detail.group.as_deref()?;
            (op.starts_with("add") && op.contains("group") && !op.contains("shadow"))
                .then(|| grant(f, format!("added to group {group}")))
        })
        .collect();
    out.extend(
        a.roles
            .items
            .iter()
            .filter(|f| f.role_assigned)
            .map(|f| match &f.detail.context {
                Some(c) => grant(f, format!("role assigned: {c}")),
                None => grant(f, "role assigned".into()),
            }),
    );
    out.sort_by(|x, y| (&x.time, &x.host, &x.target).cmp(&(&y.time, &y.host, &y.target)));
    let omitted = |l: &FactList| l.omitted;
    (out, omitted(&a.modified) + omitted(&a.roles))
}

/// The grants of both summaries.
pub fn change(baseline: &SummaryView, current: &SummaryView) -> GrantChange {
    let (b, bo) = of(baseline);
    let (c, co) = of(current);
    GrantChange {
        baseline: b,
        current: c,
        omitted: [bo, co],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn group_additions_and_role_assignments_only() {
        let s = json!({"accounts": {
            "modified": {"items": [
                {"op": "add-user-to-group", "time_ms": 2000, "node": "web-01",
                 "auid": {"id": 1001, "name": "alice"}, "target": {"id": 1005, "name": "erin"},
                 "detail": {"type": "account", "group": "wheel"}},
                {"op": "add-user-to-shadow-group", "time_ms": 2000,
                 "detail": {"type": "account", "group": "wheel"}},
                {"op": "changing-shell", "time_ms": 1000, "detail": {"type": "account", "group": null}},
            ], "omitted": 3},
            "roles": {"items": [
                {"kind": "role-assigned", "time_ms": 1000, "auid": {"id": 0},
                 "target": {"id": 1002, "name": "bob"}, "detail": {"type": "role", "context": "staff_r"}},
                {"kind": "role-removed", "time_ms": 1500},
            ], "omitted": 0},
        }});
        let (g, omitted) = of(&crate::compare::load::view_of(s));
        assert_eq!(omitted, 3);
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(g[0].what, "role assigned: staff_r");
        assert_eq!((g[0].actor.as_str(), g[0].host.as_str()), ("0", "-"));
        assert_eq!(g[1].what, "added to group wheel");
        assert_eq!(
            (g[1].actor.as_str(), g[1].target.as_str()),
            ("alice", "erin")
        );
    }
}
