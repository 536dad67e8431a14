//! The exceptions register in terminal text: a mark on each accepted finding and a short
//! register (one line per entry: what it matched, its owner and expiry) after the rules.
//! Values come from the exceptions file and the logs, so the caller sanitizes every line.

use crate::findings::exceptions::{EntryStatus, Register};
use crate::findings::Finding;

/// ` [accepted: exception #N, expires YYYY-MM-DD]` for an accepted finding, else empty.
pub fn mark(f: &Finding) -> String {
    match &f.exception {
        Some(e) => format!(" [accepted: exception #{}, expires {}]", e.entry, e.expires),
        None => String::new(),
    }
}

/// The register: a heading with the counts, then one line per entry.
pub fn register(r: &Register) -> String {
    let day = r
        .period_last_day
        .map_or_else(|| "no period end".to_string(), |d| d.to_string());
    let mut o = format!(
        "\n== Exceptions register ({}, sha256 {}; expiries compared with {day})\n",
        r.file, r.sha256
    );
    o += &format!(
        "{} finding(s) accepted; {} entry(ies) expired; {} entry(ies) matched nothing\n",
        r.accepted, r.expired, r.unmatched
    );
    for e in &r.entries {
        let x = &e.exception;
        let scope = x.scope(|k, v| format!("{k}={v:?}"));
        // An expired entry stands out: its findings are open again.
        let flag = match e.status {
            EntryStatus::Expired => "EXPIRED",
            status => status.as_str(),
        };
        let ticket = x
            .ticket
            .as_ref()
            .map(|t| format!(", ticket {t}"))
            .unwrap_or_default();
        o += &format!(
            "  #{:<3} {:<9} {}: {} (owner {}, expires {}{ticket})\n",
            x.entry,
            flag,
            scope.join(" "),
            e.note,
            x.owner,
            x.expires
        );
    }
    o
}
