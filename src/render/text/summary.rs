//! `summary`'s text, read top-down: scope and input quality, key figures (per host with
//! `--by-host`), host coverage, then one section per category with the first rows of each
//! list and where the rest is.

use crate::aggregate::metrics::{self, BY_HOST_METRICS, KEY_METRICS, WATCH_METRICS};
use crate::aggregate::{Listed, Summary};
use crate::classify::Fact;
use crate::model::format_ms;
use crate::model::format_opt_ms;
use crate::parse::InputQuality;
use crate::period::Period;
use crate::render::terminal::{sanitize, table};
use crate::report::columns::label;
use crate::report::Columns;
use std::collections::BTreeMap;

/// The period as the text's first line names it.
pub fn describe(p: &Period) -> String {
    if p.is_unbounded() {
        format!(
            "all records in the input (no period given; times in {})",
            p.tz.name()
        )
    } else {
        p.describe()
    }
}

/// What the summary text shows.
pub struct Text<'a> {
    /// The summary of the period.
    pub summary: &'a Summary,
    /// What was read.
    pub quality: &'a InputQuality,
    /// Input paths by file id.
    pub paths: &'a [std::path::PathBuf],
    /// Rows shown per list.
    pub rows: usize,
    /// What the input held instead, when the period holds no event.
    pub nothing_found: Option<&'a str>,
    /// The site configuration used (`--config`, found, or the defaults).
    pub config: &'a crate::site::ConfigSource,
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "-".to_string())
}

impl Text<'_> {
    fn source(&self, f: &Fact) -> String {
        let file = self
            .paths
            .get(f.source.file.0 as usize)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "?".to_string());
        format!("{file}:{}", f.source.line)
    }

    /// The whole text; `period` is [`describe`]'s.
    pub fn render(&self, period: &str, by_host: bool) -> String {
        let mut o = String::new();
        let s = self.summary;
        let q = self.quality;
        o += &format!("Period: {}\n", sanitize(period));
        o += &format!("Configuration: {}\n", sanitize(&self.config.to_string()));
        o += &format!(
            "Input: {} file(s), {} lines, {} records, {} events",
            q.files.len(),
            q.lines,
            q.records,
            q.events
        );
        if q.rejected.total > 0 {
            o += &format!(
                "; {} line(s) not audit records (see `auditrail check`)",
                q.rejected.total
            );
        }
        if q.skipped_entries.total > 0 {
            o += &format!(
                "; journal entries of other transports skipped: {}",
                q.skipped_entries.total
            );
        }
        o += "\n";
        o += &format!(
            "In period: {} events on {} host(s); {} events outside the period\n",
            s.events(),
            s.distinct_hosts(),
            s.outside_period()
        );
        if let Some(found) = self.nothing_found {
            // Describing nothing is fine; looking like a quiet month is not.
            o += &format!("NOTHING FOUND: no audit records in the period: {found}\n");
        }
        for l in crate::report::limit_sentences(q, s) {
            o += &format!("{}\n", sanitize(&l));
        }
        for w in q.warnings() {
            o += &format!("WARNING: {}\n", sanitize(&w));
        }
        o += &self.key_figures(by_host);
        o += &self.hosts();
        o += &self.accounts();
        o += &self.logins();
        o += &self.privilege();
        o += &self.mac();
        o += &self.daemon();
        o += &self.config();
        o += &self.watches();
        o += &self.anomalies();
        o
    }

    /// One row per metric id: the id and its value.
    fn metric_rows(&self, ids: &[&str]) -> Vec<Vec<String>> {
        let metrics = self.summary.metrics();
        ids.iter()
            .map(|m| {
                let n = metrics.get(m).copied().unwrap_or(0);
                vec![m.to_string(), n.to_string()]
            })
            .collect()
    }

    fn key_figures(&self, by_host: bool) -> String {
        let mut o = String::from("\nKey figures\n");
        o += &table(&["metric", "total"], &self.metric_rows(KEY_METRICS));
        if by_host {
            o += &self.per_host();
        }
        o
    }

    /// Key figures per host: one row per host, so that many hosts stay readable.
    fn per_host(&self) -> String {
        let per_host = metrics::by_host(self.summary);
        let mut header = vec!["host"];
        header.extend(BY_HOST_METRICS.iter().map(|m| metrics::short_label(m)));
        let rows: Vec<Vec<String>> = self
            .summary
            .hosts()
            .keys()
            .map(|h| {
                let mut row = vec![h.clone()];
                for metric in BY_HOST_METRICS {
                    let v = per_host
                        .get(metric)
                        .and_then(|by| by.get(h))
                        .copied()
                        .unwrap_or(0);
                    row.push(v.to_string());
                }
                row
            })
            .collect();
        format!("\nKey figures by host\n{}", table(&header, &rows))
    }

    fn hosts(&self) -> String {
        let mut o = String::from("\nHosts (log completeness)\n");
        let rows: Vec<Vec<String>> = self
            .summary
            .hosts()
            .iter()
            .map(|(name, h)| {
                vec![
                    name.clone(),
                    h.events().to_string(),
                    format_opt_ms(h.first_ms()),
                    format_opt_ms(h.last_ms()),
                    h.silences().len().to_string(),
                    h.lost_events().to_string(),
                    h.serial_gaps().len().to_string(),
                ]
            })
            .collect();
        o += &table(
            &[
                "host",
                "events",
                "first event",
                "last event",
                "silences",
                "lost",
                "serial gaps",
            ],
            &rows,
        );
        for (name, h) in self.summary.hosts() {
            for si in h.silences() {
                o += &format!(
                    "  {}: silent {:.1} h from {} ({}) to {} ({})\n",
                    sanitize(name),
                    si.duration_ms as f64 / 3_600_000.0,
                    format_ms(si.from.time_ms),
                    si.from.rtype,
                    format_ms(si.to.time_ms),
                    si.to.rtype
                );
            }
        }
        o
    }

    /// A section listing facts with its category's columns (the brief ones; see
    /// [`Columns`]): time, host, those, source.
    fn category_table(&self, title: &str, list: &Listed, cols: Columns) -> String {
        let (items, total) = (list.items(), list.total());
        let mut o = format!("\n{title}: {total}\n");
        if items.is_empty() {
            return o;
        }
        let spec = cols.spec();
        let mut header = vec!["time", "node"];
        header.extend(spec.iter().filter(|c| c.1).map(|c| c.0));
        header.push("source");
        let rows: Vec<Vec<String>> = items
            .iter()
            .take(self.rows)
            .map(|f| {
                let mut row = vec![format_ms(f.time_ms), opt(&f.node)];
                row.extend(
                    cols.cells(f)
                        .into_iter()
                        .zip(spec)
                        .filter(|(_, c)| c.1)
                        .map(|(v, _)| v),
                );
                row.push(self.source(f));
                row
            })
            .collect();
        o += &table(&header, &rows);
        let shown = rows.len() as u64;
        if total > shown {
            o += &format!("  ... {} more (all in --format json)\n", total - shown);
        }
        o
    }

    /// A section listing facts: time, host, who, what, target, result, source.
    fn fact_table(&self, title: &str, list: &Listed) -> String {
        let (items, total) = (list.items(), list.total());
        let mut o = format!("\n{title}: {total}\n");
        if items.is_empty() {
            return o;
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .take(self.rows)
            .map(|f| {
                vec![
                    format_ms(f.time_ms),
                    opt(&f.node),
                    f.auid_name().to_string(),
                    f.op.clone().unwrap_or_else(|| label(&f.kind)),
                    f.target_name().to_string(),
                    label(&f.result),
                    self.source(f),
                ]
            })
            .collect();
        o += &table(
            &[
                "time",
                "node",
                "by (auid)",
                "operation",
                "account",
                "result",
                "source",
            ],
            &rows,
        );
        let shown = rows.len() as u64;
        if total > shown {
            o += &format!("  ... {} more (all in --format json)\n", total - shown);
        }
        o
    }

    fn accounts(&self) -> String {
        let a = self.summary.accounts();
        let mut o = String::from("\n== Accounts and groups");
        let lists = [
            ("Accounts created", a.created()),
            ("Accounts deleted", a.deleted()),
            ("Accounts modified", a.modified()),
            ("Groups created", a.groups_created()),
            ("Groups deleted", a.groups_deleted()),
            ("Groups modified", a.groups_modified()),
            ("Failed account changes", a.failed()),
        ];
        for (title, list) in lists {
            o += &self.fact_table(title, list);
        }
        o
    }

    fn ok_fail_table(
        &self,
        title: &str,
        map: &BTreeMap<String, crate::aggregate::OkFail>,
    ) -> String {
        let mut entries: Vec<(&String, &crate::aggregate::OkFail)> = map.iter().collect();
        entries.sort_by(|a, b| {
            b.1.failed
                .cmp(&a.1.failed)
                .then(b.1.success.cmp(&a.1.success))
                .then(a.0.cmp(b.0))
        });
        let rows: Vec<Vec<String>> = entries
            .iter()
            .take(self.rows)
            .map(|(k, v)| vec![(*k).clone(), v.failed.to_string(), v.success.to_string()])
            .collect();
        let mut o = format!("\n{title}\n");
        if rows.is_empty() {
            o += "  none\n";
            return o;
        }
        o += &table(&["", "failed", "success"], &rows);
        if entries.len() > rows.len() {
            o += &format!("  ... {} more\n", entries.len() - rows.len());
        }
        o
    }

    fn logins(&self) -> String {
        let l = self.summary.logins();
        let mut o = String::from("\n== Logins and authentication\n");
        o += &format!(
            "  logins {} ok / {} failed; authentications {} ok / {} failed; invalid-user attempts {}; sessions {}\n",
            l.logins().total(),
            l.failed_logins().total(),
            l.auths().total(),
            l.failed_auths().total(),
            l.invalid_user().total(),
            l.sessions().total()
        );
        o += &self.ok_fail_table("Authentication by account", l.auth_breakdown().by_account());
        o += &self.ok_fail_table("Authentication by origin", l.auth_breakdown().by_origin());
        o += &self.ok_fail_table("Logins by account", l.login_breakdown().by_account());
        o += &self.fact_table("Failed logins", l.failed_logins());
        o += &self.fact_table("Lockouts", l.lockouts());
        o
    }

    fn privilege(&self) -> String {
        let p = self.summary.privilege();
        let mut o = String::from("\n== Privilege use");
        let items = p.commands().items();
        o += &format!(
            "\nCommands run with sudo: {} ({} failed)\n",
            p.commands().total(),
            p.failed().total()
        );
        let rows: Vec<Vec<String>> = items
            .iter()
            .take(self.rows)
            .map(|f| {
                let cmd = match &f.detail {
                    crate::classify::Detail::Command { command, .. } => {
                        command.clone().unwrap_or_default()
                    }
                    _ => String::new(),
                };
                vec![
                    format_ms(f.time_ms),
                    opt(&f.node),
                    f.auid_name().to_string(),
                    cmd,
                    label(&f.result),
                    self.source(f),
                ]
            })
            .collect();
        if !rows.is_empty() {
            o += &table(
                &["time", "node", "by (auid)", "command", "result", "source"],
                &rows,
            );
        }
        if p.commands().total() > rows.len() as u64 {
            o += &format!(
                "  ... {} more (all in --format json)\n",
                p.commands().total() - rows.len() as u64
            );
        }
        o += &self.fact_table("su/sudo sessions", p.sessions());
        o
    }

    fn mac(&self) -> String {
        let m = self.summary.mac();
        let mut o = String::from("\n== SELinux / AppArmor denials\n");
        o += &format!(
            "  denials {} (enforced {}, permissive {}), {} signature(s)\n",
            m.denials().total(),
            m.enforced().total(),
            m.permissive().total(),
            m.signatures().len()
        );
        let mut sigs: Vec<_> = m.signatures().iter().collect();
        sigs.sort_by(|a, b| {
            b.1.count()
                .total()
                .cmp(&a.1.count().total())
                .then(a.0.cmp(b.0))
        });
        let rows: Vec<Vec<String>> = sigs
            .iter()
            .take(self.rows)
            .map(|(sig, g)| {
                vec![
                    (*sig).clone(),
                    g.count().total().to_string(),
                    g.permissive().to_string(),
                ]
            })
            .collect();
        if !rows.is_empty() {
            o += &table(&["signature", "denials", "permissive"], &rows);
        }
        o
    }

    fn daemon(&self) -> String {
        let d = self.summary.daemon();
        let mut o = String::from("\n== Audit daemon and audit configuration");
        o += &self.category_table("auditd lifecycle", d.lifecycle(), Columns::Daemon);
        o += &self.category_table(
            "Audit configuration changes",
            d.audit_config(),
            Columns::Daemon,
        );
        o += &format!("\nEvents lost by the kernel (lost=): {}\n", d.lost_events());
        o
    }

    fn config(&self) -> String {
        let c = self.summary.config();
        let mut o = String::from("\n== System configuration");
        o += &self.category_table(
            "Time changes (not by a time daemon)",
            c.time_changes(),
            Columns::Config,
        );
        o += &format!(
            "  routine time-daemon adjustments: {}\n",
            c.routine_time_count().total()
        );
        o += &self.category_table("Kernel modules", c.kernel_modules(), Columns::Config);
        o += &self.category_table("Software updates", c.software(), Columns::Config);
        o += &self.category_table("Other configuration", c.other(), Columns::Config);
        o
    }

    fn watches(&self) -> String {
        let w = self.summary.watches();
        let mut o = String::from("\n== Watched files and system calls (keyed kernel events)\n");
        o += &format!(
            "  keyed events {} ({} failed), on {} key(s); SYSCALL events without a key (counted, not listed) {}\n",
            w.events().total(),
            w.failed(),
            w.by_key().items().len(),
            w.keyless().total()
        );
        o += &table(&["metric", "events"], &self.metric_rows(WATCH_METRICS));
        o += "\n";
        let mut keys: Vec<(&String, &crate::aggregate::watches::KeyStats)> =
            w.by_key().items().iter().collect();
        keys.sort_by(|a, b| b.1.group.events.cmp(&a.1.group.events).then(a.0.cmp(b.0)));
        let rows: Vec<Vec<String>> = keys
            .iter()
            .take(self.rows)
            .map(|(k, st)| {
                vec![
                    (*k).clone(),
                    st.meaning.clone().unwrap_or_else(|| "-".into()),
                    st.group.events.to_string(),
                    st.group.failed.to_string(),
                    actors(&st.group.actors),
                ]
            })
            .collect();
        if !rows.is_empty() {
            o += &table(&["key", "meaning", "events", "failed", "actors"], &rows);
        }
        if keys.len() > rows.len() {
            o += &format!("  ... {} more key(s)\n", keys.len() - rows.len());
        }
        if let Some(over) = w.by_key().overflow() {
            o += &format!(
                "  limit reached: keys past the first {} by name counted together: {} events\n",
                over.limit, over.other.group.events
            );
        }
        let rows: Vec<Vec<String>> = w
            .by_meaning()
            .iter()
            .map(|(m, g)| {
                vec![
                    m.clone(),
                    g.events.to_string(),
                    g.failed.to_string(),
                    actors(&g.actors),
                ]
            })
            .collect();
        if !rows.is_empty() {
            o += "\nBy meaning\n";
            o += &table(&["meaning", "events", "failed", "actors"], &rows);
        }
        for (title, list) in [
            ("Identity files", w.identity()),
            ("Sudoers", w.privilege_config()),
            ("Audit logs", w.audit_log()),
            ("Denied access to sensitive files", w.denied_sensitive()),
            ("Kernel module events", w.modules()),
        ] {
            o += &self.category_table(title, list, Columns::Watches);
        }
        o
    }

    fn anomalies(&self) -> String {
        let a = self.summary.anomalies();
        let mut o = String::from("\n== Anomalies");
        o += &self.category_table("Anomalies", a.anomalies(), Columns::Anomalies);
        o += &self.category_table("Responses", a.responses(), Columns::Anomalies);
        o
    }
}

/// A distinct-actor count, `N+` when the set was capped.
fn actors(a: &crate::aggregate::folded::ActorSet) -> String {
    if a.capped() {
        format!("{}+", a.len())
    } else {
        a.len().to_string()
    }
}
