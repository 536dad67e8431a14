//! The watched files and system calls section: the keyed kernel events by key, meaning and
//! host, the population, and the lists the file rules read.

use super::{counted, Ctx, TOP};
use crate::aggregate::watches::{Group, Watches};
use crate::aggregate::{metrics, Summary};
use crate::report::brief::{self, Brief, Part, View};
use crate::report::columns::Columns;
use crate::report::{Section, TopList, TopRow};

/// Watched files and system calls: the keyed kernel events by key, meaning and host, the
/// population, and the lists the file rules read.
pub(super) fn watches<'s>(
    s: &'s Summary,
    c: &Ctx<'_>,
    metric: &dyn Fn(&str) -> u64,
) -> Section<'s> {
    let w = s.watches();
    let by_key = |k: &str, g: &Group| TopRow {
        key: k.to_string(),
        success: g.events,
        failed: g.failed,
    };
    let mut keys: Vec<TopRow> = w
        .by_key()
        .items()
        .iter()
        .map(|(k, st)| {
            let label = match &st.meaning {
                Some(m) => format!("{k} ({m})"),
                None => k.clone(),
            };
            by_key(&label, &st.group)
        })
        .collect();
    if let Some(o) = w.by_key().overflow() {
        keys.push(by_key(
            &format!("(keys past the first {} by name)", o.limit),
            &o.other.group,
        ));
    }
    let meanings: Vec<TopRow> = w.by_meaning().iter().map(|(m, g)| by_key(m, g)).collect();
    let mut hosts: Vec<TopRow> = w
        .by_host()
        .items()
        .iter()
        .map(|(h, x)| by_key(h, &x.group))
        .collect();
    if let Some(o) = w.by_host().overflow() {
        hosts.push(by_key(
            &format!("(hosts past the first {} by name)", o.limit),
            &o.other.group,
        ));
    }
    let ranked_top = |title: &str, key: &str, mut rows: Vec<TopRow>| {
        rows.sort_by(|a, b| b.success.cmp(&a.success).then_with(|| a.key.cmp(&b.key)));
        rows.truncate(TOP);
        TopList {
            title: title.to_string(),
            key: key.to_string(),
            success_label: "events".into(),
            failed_label: "failed".into(),
            rows,
        }
    };
    let pop = w.population();
    let cols = Columns::Watches;
    Section {
        id: "watches".into(),
        columns: cols.columns(),
        title: "Watched files and system calls".into(),
        csv: "watches.csv".into(),
        // All keyed and failed events, the watched-files figures, events without a key.
        counts: ["watches.events", "watches.failed"]
            .iter()
            .chain(metrics::WATCH_METRICS)
            .chain(&["watches.keyless"])
            .map(|id| counted(id, metric(id)))
            .collect(),
        series: vec![c.series("keyed events per day", &[w.events()])],
        top: vec![
            ranked_top("Events by rule key (meaning)", "key", keys),
            ranked_top("Events by meaning", "meaning", meanings),
            ranked_top("Keyed events by host", "host", hosts),
        ],
        tables: vec![
            c.table("watches.identity", "Identity files", w.identity(), cols),
            c.table("watches.sudoers", "Sudoers", w.privilege_config(), cols),
            c.table("watches.audit_log", "Audit logs", w.audit_log(), cols),
            c.table(
                "watches.denied_sensitive",
                "Denied access to sensitive files",
                w.denied_sensitive(),
                cols,
            ),
            c.table("watches.modules", "Kernel module events", w.modules(), cols),
            c.table_of(
                "watches.events",
                "All keyed events",
                w.events().total(),
                pop.omitted(),
                pop.items(),
                cols,
            ),
        ],
        brief: Some(Brief {
            title: "Watched files and system calls (keyed kernel events)".into(),
            parts: watches_brief(w, c, metric),
        }),
    }
}

/// The keyed events by key and meaning, then the first of each list the file rules read.
fn watches_brief(w: &Watches, c: &Ctx<'_>, metric: &dyn Fn(&str) -> u64) -> Vec<Part> {
    let mut parts = vec![
        Part::Note(format!(
            "keyed events {} ({} failed), on {} key(s); SYSCALL events without a key \
             (counted, not listed) {}",
            w.events().total(),
            w.failed(),
            w.by_key().items().len(),
            w.keyless().total()
        )),
        brief::metrics(metrics::WATCH_METRICS, metric),
    ];
    parts.extend(c.keys(w));
    let lists = [
        ("Identity files", w.identity()),
        ("Sudoers", w.privilege_config()),
        ("Audit logs", w.audit_log()),
        ("Denied access to sensitive files", w.denied_sensitive()),
        ("Kernel module events", w.modules()),
    ];
    let view = View::Brief(Columns::Watches);
    parts.extend(lists.iter().map(|(title, l)| c.facts(title, l, view)));
    parts
}
