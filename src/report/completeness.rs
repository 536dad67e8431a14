//! Completeness per host in the view model: each host's row (coverage, silences, serial
//! gaps, lost events, events per day), which hosts the tables show when there are many, and
//! which get their own chart (decided here so HTML and PDF agree).

use super::{sections, FleetChart, GapRow, HostRow, SilenceRow, HOSTS_SHOWN, HOST_CHARTS};
use crate::aggregate::HostCoverage;
use crate::model::{format_ms, format_opt_ms};
use crate::period::Period;

pub(super) fn host_row(
    name: &str,
    h: &HostCoverage,
    p: &Period,
    ctx: &sections::Ctx<'_>,
) -> HostRow {
    let silences: Vec<SilenceRow> = h
        .silences()
        .iter()
        .map(|si| SilenceRow {
            from: format_ms(si.from.time_ms),
            to: format_ms(si.to.time_ms),
            hours: format!("{:.1}", si.duration_ms as f64 / 3_600_000.0),
            ends: format!("{} -> {}", si.from.rtype, si.to.rtype),
            source: ctx.source(si.from.source),
        })
        .collect();
    let gaps: Vec<GapRow> = h
        .serial_gaps()
        .iter()
        .map(|g| GapRow {
            after_serial: g.after_serial,
            before_serial: g.before_serial,
            missing: g.missing,
            source: ctx.source(g.before),
        })
        .collect();
    let coverage = match (p.duration_ms(), h.first_ms(), h.last_ms()) {
        (Some(total), Some(first), Some(last)) if total > 0 => {
            let silent = h
                .silences()
                .iter()
                .fold(0i64, |t, s| t.saturating_add(s.duration_ms));
            let covered = last
                .min(p.end_ms)
                .saturating_sub(first.max(p.start_ms))
                .saturating_sub(silent)
                .max(0);
            format!("{:.1}%", covered as f64 * 100.0 / total as f64)
        }
        _ => "-".to_string(),
    };
    HostRow {
        name: name.to_string(),
        events: h.events(),
        coverage,
        first: format_opt_ms(h.first_ms()),
        last: format_opt_ms(h.last_ms()),
        missing_serials: gaps.iter().map(|g| g.missing).sum(),
        silences,
        serial_gaps: gaps,
        lost_events: h.lost_events(),
        per_day: ctx.align(h.by_day()),
        charted: true,
        limit_reached: serde_json::to_value(h.limited())
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default(),
    }
}

/// Which hosts the HTML and PDF tables show when there are more than [`HOSTS_SHOWN`]:
/// those with silences, serial gaps or lost events first, then the busiest (ties by
/// name); returned in table order (by name). All of them otherwise.
pub fn hosts_shown(hosts: &[HostRow]) -> Vec<usize> {
    if hosts.len() <= HOSTS_SHOWN {
        return (0..hosts.len()).collect();
    }
    let mut order = attention_order(hosts);
    order.truncate(HOSTS_SHOWN);
    order.sort_unstable();
    order
}

/// Host indices, those with silences, serial gaps or lost events first, then the busiest,
/// ties by name.
fn attention_order(hosts: &[HostRow]) -> Vec<usize> {
    let trouble =
        |h: &HostRow| !h.silences.is_empty() || !h.serial_gaps.is_empty() || h.lost_events > 0;
    let mut order: Vec<usize> = (0..hosts.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&hosts[a], &hosts[b]);
        trouble(y)
            .cmp(&trouble(x))
            .then(y.events.cmp(&x.events))
            .then(x.name.cmp(&y.name))
    });
    order
}

/// Chooses the hosts charted one by one when there are more than [`HOST_CHARTS`]: those
/// with silences, serial gaps or lost events first, then the busiest (ties by name).
pub(super) fn choose_charts(hosts: &mut [HostRow]) -> Option<FleetChart> {
    if hosts.len() <= HOST_CHARTS {
        return None;
    }
    let trouble =
        |h: &HostRow| !h.silences.is_empty() || !h.serial_gaps.is_empty() || h.lost_events > 0;
    let order = attention_order(hosts);
    for h in hosts.iter_mut() {
        h.charted = false;
    }
    for &i in order.iter().take(HOST_CHARTS) {
        hosts[i].charted = true;
    }
    let days = hosts.first().map_or(0, |h| h.per_day.len());
    let mut per_day = vec![0u64; days];
    for h in hosts.iter() {
        for (t, v) in per_day.iter_mut().zip(&h.per_day) {
            *t += v;
        }
    }
    let troubled = hosts.iter().filter(|h| trouble(h)).count();
    let which = match troubled {
        0 => format!("the {HOST_CHARTS} busiest hosts"),
        t if t >= HOST_CHARTS => format!(
            "{HOST_CHARTS} of the {t} hosts with silences, serial gaps or lost events (the \
             busiest)"
        ),
        t => format!(
            "the {t} host(s) with silences, serial gaps or lost events, then the busiest, \
             {HOST_CHARTS} in all"
        ),
    };
    Some(FleetChart {
        per_day,
        note: format!(
            "{} hosts: the first chart is all of them together, then {which}. Every host's \
             events per day are in report.json (completeness.hosts[].per_day).",
            hosts.len()
        ),
    })
}

#[cfg(test)]
mod chart_tests {
    use super::*;

    fn host(name: &str, events: u64, lost: u64) -> HostRow {
        HostRow {
            name: name.into(),
            events,
            coverage: "-".into(),
            first: String::new(),
            last: String::new(),
            silences: Vec::new(),
            serial_gaps: Vec::new(),
            missing_serials: 0,
            lost_events: lost,
            per_day: vec![events, 1],
            charted: true,
            limit_reached: Vec::new(),
        }
    }

    #[test]
    fn small_fleets_chart_every_host() {
        let mut hosts: Vec<HostRow> = (0..HOST_CHARTS)
            .map(|i| host(&format!("h{i}"), 1, 0))
            .collect();
        assert!(choose_charts(&mut hosts).is_none());
        assert!(hosts.iter().all(|h| h.charted));
    }

    #[test]
    fn large_fleets_chart_troubled_hosts_first_then_the_busiest() {
        let mut hosts: Vec<HostRow> = (0..30)
            .map(|i| host(&format!("h{i:02}"), 100 + i, 0))
            .collect();
        hosts[0].lost_events = 5; // the quietest host, but it lost events
        let fleet = choose_charts(&mut hosts).expect("more hosts than charts");
        let charted: Vec<&str> = hosts
            .iter()
            .filter(|h| h.charted)
            .map(|h| h.name.as_str())
            .collect();
        assert_eq!(charted.len(), HOST_CHARTS);
        assert!(charted.contains(&"h00"), "troubled host charted");
        // The busiest 23 others: h07..h29.
        assert!(!charted.contains(&"h06") && charted.contains(&"h07"));
        let total: u64 = (0..30).map(|i| 100 + i).sum();
        assert_eq!(fleet.per_day, vec![total, 30]);
        assert!(fleet.note.starts_with("30 hosts:"), "{}", fleet.note);
    }
}
