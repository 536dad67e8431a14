//! The comparison as CSV files (`metrics.csv`, `hosts.csv`, `accounts.csv`, `grants.csv`,
//! `signatures.csv`, and `findings.csv` when findings were compared). Host, account and
//! signature names come from the logs (or from a summary.json anyone could have written),
//! so every cell is written like the report's CSV ([`crate::render::csv::cell`]): control
//! characters shown escaped, formulas neutralised.

use super::Sheet;
use crate::compare::{Comparison, HostFigures, SetChange};
use crate::render::OutputFile;

/// Reads one figure of a host.
type Figure = fn(&HostFigures) -> u64;

fn opt(f: &Option<HostFigures>, get: Figure) -> String {
    f.as_ref().map_or_else(String::new, |f| get(f).to_string())
}

fn set(sheet: &mut Sheet, kind: &str, s: &SetChange, vanished: &str) -> anyhow::Result<()> {
    for (change, list) in [
        ("new", &s.new),
        (vanished, &s.vanished),
        ("persisting", &s.persisting),
    ] {
        for n in list {
            sheet.row(&[kind, change, n.as_str()])?;
        }
    }
    Ok(())
}

/// Every CSV file of the comparison, in a fixed order.
pub fn render(c: &Comparison) -> anyhow::Result<Vec<OutputFile>> {
    let mut out = Vec::new();
    let mut s = Sheet::with_numbers(&[
        "metric",
        "baseline",
        "current",
        "change",
        "change_pct",
        "flagged",
    ])?;
    for (id, m) in &c.metrics {
        s.row(&[
            id.clone(),
            m.baseline.to_string(),
            m.current.to_string(),
            m.change.to_string(),
            m.change_pct.map_or_else(String::new, |p| p.to_string()),
            m.flagged.to_string(),
        ])?;
    }
    out.push(s.finish("metrics.csv")?);

    let mut s = Sheet::with_numbers(&["host", "presence", "figure", "baseline", "current"])?;
    let figures: [(&str, Figure); 4] = [
        ("events", |f| f.events),
        ("logins_failed", |f| f.logins_failed),
        ("lost_events", |f| f.lost_events),
        ("silences", |f| f.silences),
    ];
    for (name, h) in &c.hosts {
        let presence = match (&h.baseline, &h.current) {
            (Some(_), Some(_)) => "both",
            (None, _) => "appeared",
            (_, None) => "went-silent",
        };
        for (figure, get) in figures {
            s.row(&[
                name.as_str(),
                presence,
                figure,
                &opt(&h.baseline, get),
                &opt(&h.current, get),
            ])?;
        }
    }
    out.push(s.finish("hosts.csv")?);

    let mut s = Sheet::with_numbers(&["list", "change", "account"])?;
    let a = &c.accounts;
    for (list, period, names) in [
        ("created", "baseline", &a.created_baseline),
        ("created", "current", &a.created_current),
        ("deleted", "baseline", &a.deleted_baseline),
        ("deleted", "current", &a.deleted_current),
    ] {
        for n in names {
            s.row(&[list, period, n.as_str()])?;
        }
    }
    set(&mut s, "seen", &a.seen, "vanished")?;
    out.push(s.finish("accounts.csv")?);

    let mut s = Sheet::with_numbers(&["period", "time", "host", "actor", "account", "grant"])?;
    for (period, list) in [
        ("baseline", &c.grants.baseline),
        ("current", &c.grants.current),
    ] {
        for g in list {
            s.row(&[period, &g.time, &g.host, &g.actor, &g.target, &g.what])?;
        }
    }
    out.push(s.finish("grants.csv")?);

    let mut s = Sheet::with_numbers(&["list", "change", "signature"])?;
    set(&mut s, "mac-signature", &c.signatures, "vanished")?;
    out.push(s.finish("signatures.csv")?);

    if let Some(f) = &c.findings {
        let mut s = Sheet::with_numbers(&["list", "change", "finding"])?;
        set(&mut s, "finding", f, "resolved")?;
        out.push(s.finish("findings.csv")?);
    }
    if let Some(checks) = &c.integrity {
        let mut s = Sheet::with_numbers(&[
            "input",
            "status",
            "finding",
            "baseline_sha256",
            "current_sha256",
            "current_path",
        ])?;
        for i in checks {
            s.row(&[
                i.path.as_str(),
                i.status,
                i.finding.unwrap_or(""),
                &i.baseline_sha256,
                &i.current_sha256,
                i.current_path.as_deref().unwrap_or(""),
            ])?;
        }
        out.push(s.finish("integrity.csv")?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_numbers_and_names_are_neutralised() {
        let mut s = Sheet::with_numbers(&["a", "b", "c", "d"]).unwrap();
        s.row(&["-12", "-33.3", "=HYPERLINK(\"x\")", "-x"]).unwrap();
        s.row(&["1", "2", "web\x1b]0;x\x07", "\u{202e}3"]).unwrap();
        let f = s.finish("t.csv").unwrap();
        assert_eq!(
            String::from_utf8(f.bytes).unwrap(),
            "a,b,c,d\n-12,-33.3,\"'=HYPERLINK(\"\"x\"\")\",'-x\n1,2,web\\x1b]0;x\\x07,\\u202e3\n"
        );
    }
}
