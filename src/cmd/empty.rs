//! No evidence is never a pass: what to say when a run found no audit record in its period.
//!
//! An empty file, a directory of syslog files, a `summary.json` given as a log, a log whose
//! every line was rejected, or logs of another month all give a summary with no event. The
//! rules would then "pass" over empty lists, and a clean report from the wrong input is
//! worse than none. So `findings`, `report` and `compare` from logs stop (exit 2) with a
//! message naming the inputs, the period and what was found instead ([`require_records`]);
//! `--allow-empty` writes the output anyway, with the [`verdict`] stated first and every
//! rule not evaluated (see [`crate::findings::NO_RECORDS`]). `summary` and `check` describe
//! what is there and say plainly that it holds nothing ([`what_was_found`]).

use crate::aggregate::Summary;
use crate::limits::thousands;
use crate::model::format_opt_ms;
use crate::parse::record::Reject;
use crate::parse::InputQuality;

/// Paths named in a message before "and N more".
const PATHS_NAMED: usize = 3;

/// Stops a run whose period holds no event: `Ok(None)` when it holds some; with
/// `allow_empty`, `Ok(Some(verdict))` to state in the output; else an error naming the
/// inputs, the period (`side`, `baseline` or `current` for `compare`, else empty) and what
/// was found instead.
pub fn require_records(
    quality: &InputQuality,
    summary: &Summary,
    side: &str,
    allow_empty: bool,
) -> anyhow::Result<Option<String>> {
    if summary.events() > 0 {
        return Ok(None);
    }
    if allow_empty {
        return Ok(Some(verdict(quality, summary, side)));
    }
    let (within, give) = match period(summary, side).as_str() {
        "the input" => (inputs(quality), "Give audit logs"),
        p => (
            format!("{p} in {}", inputs(quality)),
            "Give the audit logs of that period",
        ),
    };
    anyhow::bail!(
        "no audit records in {within}: {} {give} (auditd writes them to /var/log/audit/), or \
         pass --allow-empty to write the output anyway with every rule not evaluated",
        sentence(what_was_found(quality, Some(summary)))
    )
}

/// The statement an output made with `--allow-empty` opens with.
pub fn verdict(quality: &InputQuality, summary: &Summary, side: &str) -> String {
    format!(
        "No audit records in {}: {} No rule is evaluated on a period without records: \
         nothing here is a pass.",
        period(summary, side),
        sentence(what_was_found(quality, Some(summary)))
    )
}

/// `text` ending in a full stop unless it ends in a question mark.
fn sentence(mut text: String) -> String {
    if !text.ends_with('?') {
        text.push('.');
    }
    text
}

/// `the period 2026-10 (UTC)` (`the current period ...` with a `side`), or `the input`
/// when no period was given.
fn period(summary: &Summary, side: &str) -> String {
    let p = summary.period();
    if p.start_ms.is_none() && p.end_ms.is_none() {
        "the input".to_string()
    } else if side.is_empty() {
        format!("the period {}", p.label)
    } else {
        format!("the {side} period {}", p.label)
    }
}

/// The files read (as given), the first few by name.
fn inputs(q: &InputQuality) -> String {
    let mut names: Vec<String> = q
        .files
        .iter()
        .take(PATHS_NAMED)
        .map(|f| f.path.display().to_string())
        .collect();
    if q.files.len() > PATHS_NAMED {
        names.push(format!("{} more file(s)", q.files.len() - PATHS_NAMED));
    }
    let mut out = match names.len() {
        0 => "no input file".to_string(),
        _ => names.join(", "),
    };
    if !q.skipped_files.is_empty() {
        out += &format!(
            " ({} other file(s) skipped: not audit log names)",
            q.skipped_files.len()
        );
    }
    crate::render::terminal::sanitize(&out).into_owned()
}

/// What the input held instead of audit records (in the period, when `summary` is given),
/// for people: `2,314 lines, none an audit record (2,314 no-type): is this a syslog file?`.
pub fn what_was_found(q: &InputQuality, summary: Option<&Summary>) -> String {
    let content = q.lines - q.blank_lines;
    if q.lines == 0 {
        return match q.files.len() {
            0 => "no file was read".to_string(),
            _ => "the input is empty (0 lines)".to_string(),
        };
    }
    if content == 0 {
        return format!("{} line(s), all blank", thousands(q.lines));
    }
    if q.records == 0 {
        let mut out = format!(
            "{} line(s), none an audit record ({})",
            thousands(content),
            reasons(q)
        );
        out += hint(q);
        return out;
    }
    let rejected = match q.rejected.total {
        0 => String::new(),
        n => format!("; {} other line(s) rejected ({})", thousands(n), reasons(q)),
    };
    let outside = summary.map_or(0, Summary::outside_period);
    let (first, last) = record_range(q);
    let label = match summary.map(Summary::period) {
        Some(p) if p.start_ms.is_some() || p.end_ms.is_some() => p.label.clone(),
        _ => "the input".to_string(),
    };
    if outside > 0 {
        format!(
            "{} event(s), all outside {label} (first record {first}, last {last}){rejected}",
            thousands(outside)
        )
    } else {
        let eoe = match summary.map_or(0, Summary::orphan_eoe) {
            0 => String::new(),
            n => format!(
                " ({} lone EOE record(s): tails of events, not events)",
                thousands(n)
            ),
        };
        format!(
            "{} record(s) from {first} to {last}, none completing an event in \
             {label}{eoe}{rejected}",
            thousands(q.records)
        )
    }
}

/// Rejections by reason, most frequent first: `2,314 no-type, 3 bad-stamp`.
fn reasons(q: &InputQuality) -> String {
    let mut r: Vec<_> = q.rejected.reasons.iter().collect();
    r.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    r.iter()
        .map(|r| format!("{} {}", thousands(r.count), reason_id(r.reason)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The reason's id as the input quality names it (`no-type`).
fn reason_id(r: Reject) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{r:?}"))
}

/// A guess at what the input is, when no line was an audit record.
fn hint(q: &InputQuality) -> &'static str {
    let json = q.files.iter().any(|f| {
        f.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    });
    let no_type = q
        .rejected
        .reasons
        .iter()
        .find(|r| r.reason == Reject::NoType)
        .map_or(0, |r| r.count);
    if json {
        ": is this a summary.json or report.json?"
    } else if no_type * 2 > q.rejected.total {
        ": is this a syslog file?"
    } else {
        ""
    }
}

/// Earliest and latest record time over every file, for people.
fn record_range(q: &InputQuality) -> (String, String) {
    let first = q.files.iter().filter_map(|f| f.first).min();
    let last = q.files.iter().filter_map(|f| f.last).max();
    (format_opt_ms(first), format_opt_ms(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::quality::{FileStats, RejectedLines, Rejection};
    use crate::period::Period;
    use std::path::PathBuf;

    fn quality(path: &str, lines: u64, records: u64, rejected: &[(Reject, u64)]) -> InputQuality {
        let total = rejected.iter().map(|(_, n)| n).sum();
        InputQuality {
            files: vec![FileStats {
                path: PathBuf::from(path),
                lines,
                records,
                rejected: total,
                first: (records > 0).then_some(1_788_220_800_000),
                last: (records > 0).then_some(1_790_812_799_000),
                ..FileStats::default()
            }],
            lines,
            records,
            rejected: RejectedLines {
                total,
                reasons: rejected
                    .iter()
                    .map(|&(reason, count)| Rejection {
                        reason,
                        description: reason.describe(),
                        count,
                        samples: Vec::new(),
                    })
                    .collect(),
            },
            ..InputQuality::default()
        }
    }

    fn october() -> Summary {
        let p = Period::parse("2026-10", chrono_tz::UTC, chrono::Utc::now()).unwrap();
        Summary::new(&p, 3_600_000)
    }

    #[test]
    fn says_what_was_found_instead() {
        let s = october();
        let q = quality("/var/log/syslog", 2314, 0, &[(Reject::NoType, 2314)]);
        assert_eq!(
            what_was_found(&q, Some(&s)),
            "2,314 line(s), none an audit record (2,314 no-type): is this a syslog file?"
        );
        let q = quality("out/summary.json", 40, 0, &[(Reject::NoType, 40)]);
        assert!(what_was_found(&q, Some(&s)).contains("is this a summary.json"));
        let q = quality(
            "audit.log",
            5,
            0,
            &[(Reject::BadStamp, 4), (Reject::NoType, 1)],
        );
        assert_eq!(
            what_was_found(&q, Some(&s)),
            "5 line(s), none an audit record (4 bad-stamp, 1 no-type)"
        );
        let q = quality("audit.log", 0, 0, &[]);
        assert_eq!(what_was_found(&q, Some(&s)), "the input is empty (0 lines)");
        // Records, but all outside the period: their range is named.
        let q = quality("audit.log", 1200, 1200, &[]);
        let text = what_was_found(&q, Some(&s));
        assert!(
            text.contains("all outside 2026-10 (UTC)")
                || text.contains("none completing an event in 2026-10 (UTC)"),
            "{text}"
        );
        assert!(text.contains("2026-09-01T00:00:00.000Z"), "{text}");
        assert!(text.contains("2026-09-30T23:59:59.000Z"), "{text}");
    }

    #[test]
    fn stops_unless_allowed() {
        let s = october();
        let q = quality("/var/log/syslog", 3, 0, &[(Reject::NoType, 3)]);
        let err = require_records(&q, &s, "", false).unwrap_err().to_string();
        assert!(
            err.starts_with("no audit records in the period 2026-10 (UTC) in /var/log/syslog: "),
            "{err}"
        );
        assert!(err.contains("--allow-empty"), "{err}");
        let verdict = require_records(&q, &s, "", true).unwrap().unwrap();
        assert!(
            verdict.starts_with("No audit records in the period 2026-10 (UTC): 3 line(s)"),
            "{verdict}"
        );
        assert!(verdict.contains("nothing here is a pass"), "{verdict}");
        // No period given: the input as a whole is named.
        let all = Summary::new(&Period::unbounded(chrono_tz::UTC), 3_600_000);
        let err = require_records(&q, &all, "", false)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("no audit records in /var/log/syslog: 3 line(s)"),
            "{err}"
        );
        assert!(err.contains("Give audit logs"), "{err}");
    }
}
