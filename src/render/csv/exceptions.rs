//! `exceptions.csv`: the exceptions register, one row per entry of the exceptions file with
//! what it did this period (accepted N findings, expired, matched nothing). Written only when
//! the run had an exceptions file.

use super::Sheet;
use crate::findings::exceptions::Register;
use crate::render::OutputFile;

/// The register as a CSV file.
pub fn render(r: &Register, raw: bool) -> anyhow::Result<OutputFile> {
    let mut s = Sheet::new(
        &[
            "entry",
            "rule",
            "host",
            "actor",
            "target",
            "match",
            "owner",
            "reason",
            "expires",
            "ticket",
            "approved_by",
            "status",
            "findings",
            "note",
        ],
        raw,
    )?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    for e in &r.entries {
        let x = &e.exception;
        s.row(&[
            x.entry.to_string(),
            x.rule.clone(),
            opt(&x.host),
            opt(&x.actor),
            opt(&x.target),
            opt(&x.matches),
            x.owner.clone(),
            x.reason.clone(),
            x.expires.to_string(),
            opt(&x.ticket),
            opt(&x.approved_by),
            e.status.as_str().to_string(),
            e.findings.to_string(),
            e.note.clone(),
        ])?;
    }
    s.finish("exceptions.csv")
}

/// `#N (owner, expires YYYY-MM-DD)` for a finding's `exception` cell, empty when open.
pub fn accepted_cell(e: Option<&crate::site::exceptions::Exception>) -> String {
    e.map(|e| format!("#{} ({}, expires {})", e.entry, e.owner, e.expires))
        .unwrap_or_default()
}
