//! The columns of each category's lists: what matters about a fact of that category, so a
//! kernel module row names the module and its loader, an anomaly row its kind, signal or
//! device, a configuration row what changed from what to what, a daemon row auditd's
//! version and the reason, and a watched-file row the key, object and operation. Every list
//! also has time, host and `file:line`, which are not columns here.
//!
//! One place decides the columns for the report (HTML, PDF, CSV) and the `summary` text, so
//! they cannot disagree. `brief` columns are shown in the HTML and PDF tables; the CSV
//! files have every column.

use crate::classify::{Detail, Fact, Text};
use serde::Serialize;

/// Which columns a list has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// Accounts, logins, credentials, privilege, MAC: who did what to which account.
    People,
    /// auditd lifecycle, audit configuration, system state.
    Daemon,
    /// System configuration: time, kernel modules, software, firewall, other settings.
    Config,
    /// Anomalies, responses, seccomp.
    Anomalies,
    /// Keyed kernel events: watched files and system calls.
    Watches,
}

/// A column: its heading, and whether the HTML and PDF tables show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Heading.
    pub name: String,
    /// Shown in the HTML and PDF tables (all columns are in the CSV).
    pub brief: bool,
}

impl Columns {
    /// The headings, `(name, brief)`.
    pub fn spec(self) -> &'static [(&'static str, bool)] {
        match self {
            Columns::People => &[
                ("actor", true),
                ("action", true),
                ("target", true),
                ("result", true),
                ("detail", true),
                ("exe", false),
                ("origin", false),
            ],
            Columns::Daemon => &[
                ("event", true),
                ("by (auid)", true),
                ("result", true),
                ("version", true),
                ("reason", true),
                ("change", true),
                ("exe", false),
            ],
            Columns::Config => &[
                ("what", true),
                ("change", true),
                ("by (auid)", true),
                ("exe", true),
                ("result", true),
                ("key", false),
            ],
            Columns::Anomalies => &[
                ("kind", true),
                ("signal / device", true),
                ("comm", true),
                ("exe", true),
                ("by (auid)", true),
                ("result", false),
            ],
            Columns::Watches => &[
                ("key", true),
                ("meaning", false),
                ("by (auid)", true),
                ("uid / euid", false),
                ("operation", true),
                ("object", true),
                ("result", true),
                ("syscall", false),
                ("exe", true),
                ("comm", false),
                ("command", false),
            ],
        }
    }

    /// The columns as the report states them.
    pub fn columns(self) -> Vec<Column> {
        self.spec()
            .iter()
            .map(|&(name, brief)| Column {
                name: name.to_string(),
                brief,
            })
            .collect()
    }

    /// The cells of `f`, one per column of [`Columns::spec`].
    pub fn cells(self, f: &Fact) -> Vec<String> {
        let mut cells = match self {
            Columns::People => people(f),
            Columns::Daemon => daemon(f),
            Columns::Config => config(f),
            Columns::Anomalies => anomaly(f),
            Columns::Watches => watch(f),
        };
        cells.resize(self.spec().len(), String::new());
        cells
    }
}

/// The serde name of a unit enum (`user-added`).
pub(crate) fn label<T: Serialize>(k: &T) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn text(s: &Option<Text>) -> String {
    s.as_deref().unwrap_or_default().to_string()
}

fn people(f: &Fact) -> Vec<String> {
    vec![
        f.auid_name().to_string(),
        f.op.as_deref().map_or_else(|| label(&f.kind), String::from),
        f.target_name().to_string(),
        label(&f.result),
        detail(&f.detail),
        text(&f.exe),
        f.origin().unwrap_or_default().to_string(),
    ]
}

fn old_new(old: &Option<Text>, new: &Option<Text>) -> String {
    format!(
        "{} -> {}",
        old.as_deref().unwrap_or("?"),
        new.as_deref().unwrap_or("?")
    )
}

fn daemon(f: &Fact) -> Vec<String> {
    let (version, reason, change) = match &f.detail {
        Detail::Daemon { version, state, .. } => {
            let reason = match (&f.op, state) {
                (Some(op), Some(st)) => format!("{op} ({st})"),
                (Some(op), None) => op.to_string(),
                (None, Some(st)) => st.to_string(),
                (None, None) => String::new(),
            };
            (text(version), reason, String::new())
        }
        Detail::Service { unit } => (String::new(), text(&f.op), text(unit)),
        d => (String::new(), text(&f.op), detail(d)),
    };
    vec![
        label(&f.kind),
        f.auid_name().to_string(),
        label(&f.result),
        version,
        reason,
        change,
        text(&f.exe),
    ]
}

fn config(f: &Fact) -> Vec<String> {
    let (what, change, key) = match &f.detail {
        Detail::Module { name, key } => (
            format!("module {}", name.as_deref().unwrap_or("?")),
            f.op.as_deref().unwrap_or("load or unload").to_string(),
            text(key),
        ),
        Detail::Software { package, kind } => (
            text(package),
            match kind {
                Some(k) => format!("{} ({k})", f.op.as_deref().unwrap_or("change")),
                None => text(&f.op),
            },
            String::new(),
        ),
        Detail::Time {
            key,
            syscall,
            changes,
        } => (
            format!(
                "clock{}",
                syscall
                    .as_ref()
                    .map_or(String::new(), |s| format!(" ({s})"))
            ),
            changes.join(" "),
            text(key),
        ),
        Detail::Setting { name, value, old } => {
            (name.to_string(), old_new(old, value), String::new())
        }
        d => (text(&f.op), detail(d), String::new()),
    };
    vec![
        what,
        change,
        f.auid_name().to_string(),
        text(&f.exe),
        label(&f.result),
        key,
    ]
}

fn anomaly(f: &Fact) -> Vec<String> {
    let (comm, signal) = match &f.detail {
        Detail::Anomaly {
            comm,
            signal,
            reason,
        } => (
            text(comm),
            [
                signal.as_ref().map(|s| format!("sig {s}")),
                reason.as_deref().map(String::from),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
        ),
        d => (String::new(), detail(d)),
    };
    vec![
        f.rtype.to_string(),
        signal,
        comm,
        text(&f.exe),
        f.auid_name().to_string(),
        label(&f.result),
    ]
}

fn watch(f: &Fact) -> Vec<String> {
    let Detail::Watch(w) = &f.detail else {
        return people(f);
    };
    let ids = format!(
        "{} / {}",
        f.uid.as_ref().map_or("?", |p| p.name.as_str()),
        w.euid.as_ref().map_or("?", |p| p.name.as_str())
    );
    let result = match (f.result.is_failed(), w.errno) {
        (true, Some(e)) => format!("failed {e}"),
        _ => label(&f.result),
    };
    vec![
        w.keys.join(","),
        w.meanings.join(","),
        f.auid_name().to_string(),
        ids,
        w.operation.as_str().to_string(),
        w.object_text(),
        result,
        text(&w.syscall),
        text(&f.exe),
        text(&w.comm),
        text(&w.command),
    ]
}

fn opt(parts: &[(&str, &Option<Text>)]) -> String {
    parts
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref().map(|v| {
                if k.is_empty() {
                    v.to_string()
                } else {
                    format!("{k}={v}")
                }
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One line of kind-specific detail.
pub(crate) fn detail(d: &Detail) -> String {
    match d {
        Detail::None => String::new(),
        Detail::Account { group } => opt(&[("group", group)]),
        Detail::Login {
            invalid_user,
            grantors,
            ..
        } => {
            let mut s = opt(&[("grantors", grantors)]);
            if *invalid_user {
                s.insert_str(
                    0,
                    if s.is_empty() {
                        "invalid user"
                    } else {
                        "invalid user "
                    },
                );
            }
            s
        }
        Detail::Command { command, cwd } => opt(&[("", command), ("cwd", cwd)]),
        Detail::Denial(x) => {
            let mut s = x.signature.clone();
            if let Some(n) = &x.name {
                s += &format!(" name={n}");
            }
            if x.permissive == Some(true) {
                s += " (permissive)";
            }
            s.to_string()
        }
        Detail::Rule {
            action,
            key,
            list,
            path,
        } => format!(
            "{action} {}",
            opt(&[("key", key), ("list", list), ("path", path)])
        )
        .trim_end()
        .to_string(),
        Detail::Setting { name, value, old } => format!("{name}: {}", old_new(old, value)),
        Detail::Lost { lost } => format!("lost {lost}"),
        Detail::Service { unit } => opt(&[("", unit)]),
        Detail::Daemon {
            version,
            format,
            state,
        } => opt(&[("ver", version), ("format", format), ("state", state)]),
        Detail::Time {
            key,
            syscall,
            changes,
        } => {
            let mut s = opt(&[("key", key), ("syscall", syscall)]);
            for c in changes {
                if !s.is_empty() {
                    s.push(' ');
                }
                s += c;
            }
            s
        }
        Detail::Module { name, key } => opt(&[("", name), ("key", key)]),
        Detail::Software { package, kind } => opt(&[("", package), ("type", kind)]),
        Detail::Anomaly {
            comm,
            signal,
            reason,
        } => opt(&[("comm", comm), ("sig", signal), ("", reason)]),
        Detail::Role { context } => opt(&[("", context)]),
        Detail::Watch(w) => format!("key={} {}", w.keys.join(","), w.object_text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::testing::facts;

    #[test]
    fn each_category_has_its_own_cells() {
        let f = facts("node=h type=KERN_MODULE msg=audit(1.0:1): name=\"wireguard\"\nnode=h type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=313 success=yes exit=0 items=0 auid=1001 uid=0 comm=\"modprobe\" exe=\"/usr/bin/kmod\" key=\"modules\"\nnode=h type=EOE msg=audit(1.0:1):\n");
        let m = f
            .iter()
            .find(|f| matches!(f.detail, Detail::Module { .. }))
            .unwrap();
        assert_eq!(
            Columns::Config.cells(m),
            vec![
                "module wireguard",
                "load",
                "1001",
                "/usr/bin/kmod",
                "success",
                "modules"
            ]
        );
        let a = facts("node=h type=ANOM_ABEND msg=audit(1.0:2): auid=1000 uid=1000 gid=1000 ses=1 pid=1 comm=\"reportgen\" exe=\"/opt/reportgen\" sig=11 res=1\n");
        assert_eq!(
            Columns::Anomalies.cells(&a[0])[..3],
            [
                "ANOM_ABEND".to_string(),
                "sig 11".into(),
                "reportgen".into()
            ]
        );
        let d = facts("node=h type=DAEMON_START msg=audit(1.0:3): op=start ver=3.1.5 format=raw kernel=6.1 auid=4294967295 pid=1 uid=0 ses=4294967295 res=success\n");
        assert_eq!(
            Columns::Daemon.cells(&d[0])[..5],
            [
                "daemon-start".to_string(),
                "unset".into(),
                "success".into(),
                "3.1.5".into(),
                "start".into()
            ]
        );
        let c = facts("node=h type=CONFIG_CHANGE msg=audit(1.0:4): op=set audit_enabled=0 old=1 auid=1002 ses=1 res=1\n");
        assert_eq!(Columns::Daemon.cells(&c[0])[5], "audit_enabled: 1 -> 0");
        for cols in [
            Columns::People,
            Columns::Daemon,
            Columns::Config,
            Columns::Anomalies,
            Columns::Watches,
        ] {
            assert_eq!(cols.cells(&c[0]).len(), cols.spec().len(), "{cols:?}");
        }
    }
}
