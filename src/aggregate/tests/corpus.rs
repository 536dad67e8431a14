//! Runs the classifier and aggregator over every `*.log` of the shared corpus
//! (`../shared/corpus` beside the repository, or `$AUDITRAIL_CORPUS`): no panic, and totals that hang together.
//! Skips, saying so, when the corpus is absent.

use super::utc;
use crate::aggregate::{aureport_equivalent, Aggregator, Summary};
use crate::classify::NameResolver;
use crate::parse::{each_event, AssembleOptions};
use std::path::{Path, PathBuf};

pub(crate) fn corpus_dir() -> PathBuf {
    std::env::var_os("AUDITRAIL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

pub(crate) fn logs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            logs(&p, out);
        } else if p.extension().is_some_and(|x| x == "log") {
            out.push(p);
        }
    }
}

/// Summarises one file with the real assembler, byte lines as read.
pub(crate) fn summarize_file(path: &Path) -> Summary {
    let bytes = std::fs::read(path).expect("corpus file readable");
    let mut agg = Aggregator::new(utc(), NameResolver::empty());
    let mut sink = |ev: &crate::parse::Event| agg.add_event(ev);
    each_event(&bytes, AssembleOptions::default(), &mut sink);
    agg.into_summary()
}

#[test]
#[cfg_attr(
    not(auditrail_corpus),
    ignore = "needs ../shared/corpus (developers' machines and CI)"
)]
fn corpus_runs_without_panics_and_totals_add_up() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!(
            "skipped: corpus directory {} not found (set AUDITRAIL_CORPUS)",
            dir.display()
        );
        return;
    }
    let mut files = Vec::new();
    logs(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no .log files under {}", dir.display());
    let mut all = 0;
    for path in &files {
        let s = summarize_file(path);
        let m = s.metrics();
        let a = aureport_equivalent(&s);
        all += s.events();
        // aureport drops some events and splits LOGIN/PROCTITLE-first ones.
        assert!(a.events <= 2 * s.events(), "{}", path.display());
        let host_events: u64 = s.hosts().values().map(|h| h.events()).sum();
        assert_eq!(host_events, s.events(), "{}", path.display());
        assert!(m["logins.success"] + m["logins.failed"] <= s.events());
        assert!(m["mac.denials.enforced"] + m["mac.denials.permissive"] == m["mac.denials"]);
        assert!(m["logins.invalid_user"] <= s.events());
        // Every item is traceable: a line number inside the file.
        for f in s.logins().failed_logins().items() {
            assert!(f.source.line >= 1);
        }
        serde_json::to_string(&s).expect("summary serialises");
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        eprintln!(
            "{name}: events={} logins={}/{} auth={}/{} acct+={} acct-={} acctmod={} cmds={} denials={} daemon={}/{}/{} auditcfg={} lost={} gaps={} anomalies={} | aureport cfg={} acct={} login={}/{} auth={}/{} avc={} anom={} events={}",
            s.events(), m["logins.success"], m["logins.failed"], m["auth.success"], m["auth.failed"],
            m["accounts.created"], m["accounts.deleted"], m["accounts.modified"], m["privilege.commands"],
            m["mac.denials"], m["daemon.starts"], m["daemon.stops"], m["daemon.aborts"],
            m["audit.config_changes"], m["audit.lost_events"], m["audit.serial_gaps"], m["anomalies"],
            a.config_changes, a.account_changes, a.logins, a.failed_logins, a.authentications,
            a.failed_authentications, a.avcs, a.anomalies, a.events,
        );
    }
    assert!(all > 0);
}

/// Debugging aid for `docs/aureport-differences.md`: prints the events aureport's summary
/// would count for `$AUDITRAIL_DUMP` (a log file), as `SEC.MS:SERIAL FIRST_TYPE`.
#[test]
#[ignore]
fn dump_aureport_events() {
    let Some(path) = std::env::var_os("AUDITRAIL_DUMP") else {
        return;
    };
    let bytes = std::fs::read(path).expect("readable");
    let mut sink = |ev: &crate::parse::Event| {
        if std::env::var_os("AUDITRAIL_DUMP_ALL").is_some()
            || !crate::aggregate::aureport::dropped(ev)
        {
            let s = ev.stamp();
            println!(
                "{}.{:03}:{} {}",
                s.sec,
                s.ms,
                s.serial,
                ev.record_meta()[0].rtype
            );
        }
    };
    each_event(&bytes, AssembleOptions::default(), &mut sink);
}

/// Debugging aid for `docs/aureport-differences.md`: one line per corpus file with our
/// metrics and the aureport-equivalent counts, as JSON.
#[test]
#[ignore]
fn dump_corpus_metrics() {
    let dir = corpus_dir();
    let mut files = Vec::new();
    logs(&dir, &mut files);
    files.sort();
    for path in &files {
        let s = summarize_file(path);
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        println!(
            "{name}\t{}\t{}",
            serde_json::to_string(&s.metrics()).unwrap(),
            serde_json::to_string(&aureport_equivalent(&s)).unwrap()
        );
    }
}
