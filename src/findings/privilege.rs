//! Privilege rules (F-PRIV-*): grants of administrative rights, sudo by people who are not
//! administrators, denied elevations, root shells, and elevation nobody can be held to.

use super::ctx::{base, complete, is_set, present, sorted, Ctx};
use super::{Eval, Finding, Rule, Severity};
use crate::classify::{Detail, Fact, Kind};
use std::collections::BTreeMap;

/// The privilege rules.
pub static RULES: &[Rule] = &[
    Rule {
        id: "F-PRIV-01",
        title: "privilege granted: user added to an admin group, role assigned, or sudoers changed",
        severity: Severity::High,
        params: &["admin_groups"],
        eval: grants,
    },
    Rule {
        id: "F-PRIV-02",
        title: "sudo command by someone not in admin_users",
        severity: Severity::High,
        params: &["admin_users"],
        eval: non_admin_sudo,
    },
    Rule {
        id: "F-PRIV-03",
        title: "repeated denied elevation (failed sudo/su) by one user in a day",
        severity: Severity::Medium,
        params: &["denied_elevations_daily"],
        eval: denied,
    },
    Rule {
        id: "F-PRIV-04",
        title: "root shell via sudo or su (per-command attribution lost)",
        severity: Severity::Medium,
        params: &[],
        eval: root_shell,
    },
    Rule {
        id: "F-PRIV-05",
        title: "elevation from a terminal without a login identity (auid unset)",
        severity: Severity::Medium,
        params: &[],
        eval: unattributed,
    },
];

const SHELLS: &[&str] = &["sh", "bash", "zsh", "ksh", "csh", "tcsh", "fish", "dash"];
const ELEVATION: &[&str] = &["sudo", "su", "sudoedit", "runuser", "ksu", "doas"];

fn grants(ctx: &Ctx<'_>) -> Eval {
    let a = ctx.summary.accounts();
    let sudoers = ctx.summary.watches().privilege_config().total();
    present(
        a.modified().total() + a.roles().total() + sudoers,
        "account modification, role or sudoers watch",
        "",
    )?;
    complete(&[("account modification", a.modified()), ("role", a.roles())])?;
    let groups = &ctx.site.admin_groups;
    let added = a.modified().items().iter().filter(|f| {
        let op = f.op.as_deref().unwrap_or("");
        op.starts_with("add")
            && op.contains("group")
            && !op.contains("shadow")
            && matches!(&f.detail, Detail::Account { group: Some(g) } if groups.iter().any(|x| *x == *g))
    });
    let roles = a
        .roles()
        .items()
        .iter()
        .filter(|f| f.kind == Kind::RoleAssigned);
    let mut out: Vec<Finding> = sorted(added.chain(roles))
        .into_iter()
        .map(|f| {
            let host = ctx.host(f);
            let what = match &f.detail {
                Detail::Account { group: Some(g) } => format!("added to group {g}"),
                Detail::Role { context: Some(c) } => format!("role assigned: {c}"),
                _ => "role assigned".to_string(),
            };
            Finding::new(
                "F-PRIV-01",
                Severity::High,
                format!(
                    "{} {what} on {host} by {} (needs an approval reference)",
                    f.target_name(),
                    f.auid_name()
                ),
                Some(host),
                vec![ctx.evidence(f, what)],
            )
        })
        .collect();
    out.extend(sudoers_changes(ctx)?);
    Ok(out)
}

/// Changes to /etc/sudoers and /etc/sudoers.d/ (keyed kernel events): one finding per host,
/// person, file and day, every event its evidence.
fn sudoers_changes(ctx: &Ctx<'_>) -> Eval {
    use super::files::watch;
    use crate::classify::watch::is_sudoers;
    let list = ctx.summary.watches().privilege_config();
    complete(&[("sudoers", list)])?;
    let mut by: BTreeMap<(String, String, String, chrono::NaiveDate), Vec<super::Evidence>> =
        BTreeMap::new();
    for f in sorted(list.items()) {
        let Some(w) = watch(f) else { continue };
        if f.result.is_failed() || !w.operation.changes() {
            continue;
        }
        let file = w
            .objects
            .iter()
            .map(|o| o.path.as_str())
            .find(|p| is_sudoers(p))
            .or_else(|| {
                w.meanings
                    .iter()
                    .any(|m| m == "privilege-config")
                    .then(|| w.object())
                    .flatten()
            });
        let Some(file) = file else { continue };
        let what = format!(
            "{} {} ({})",
            w.operation.as_str(),
            w.object_text(),
            base(f.exe.as_deref())
        );
        by.entry((
            ctx.host(f),
            f.auid_name().to_string(),
            file.to_string(),
            ctx.day(f.time_ms),
        ))
        .or_default()
        .push(ctx.evidence(f, what));
    }
    Ok(by
        .into_iter()
        .map(|((host, who, file, _), evidence)| {
            Finding::new(
                "F-PRIV-01",
                Severity::High,
                format!(
                    "sudoers changed: {file} on {host} by {who}, {} event(s) (needs an approval \
                     reference)",
                    evidence.len()
                ),
                Some(host),
                evidence,
            )
        })
        .collect())
}

fn commands<'a>(ctx: &Ctx<'a>) -> Result<Vec<&'a Fact>, String> {
    let p = ctx.summary.privilege();
    complete(&[
        ("privileged command", p.commands()),
        ("elevated session", p.sessions()),
    ])?;
    if p.commands().total() + p.sessions().total() == 0 {
        return Err("no sudo/su records in the input".into());
    }
    Ok(sorted(p.commands().items()))
}

fn non_admin_sudo(ctx: &Ctx<'_>) -> Eval {
    if ctx.site.admin_users.is_empty() {
        return Err("admin_users is not configured in auditrail.toml".into());
    }
    let admins = &ctx.site.admin_users;
    Ok(commands(ctx)?
        .into_iter()
        .filter(|f| !f.result.is_failed() && !is_listed(admins, f.auid.as_ref()))
        .map(|f| {
            let host = ctx.host(f);
            Finding::new(
                "F-PRIV-02",
                Severity::High,
                format!("{} ran a privileged command on {host}", f.auid_name()),
                Some(host),
                vec![ctx.evidence(f, command(f))],
            )
        })
        .collect())
}

/// True when `p` is in `list` by name or by number.
pub(crate) fn is_listed(list: &[String], p: Option<&crate::classify::Principal>) -> bool {
    p.is_some_and(|p| {
        list.iter()
            .any(|a| *a == p.name || p.id.is_some_and(|id| a.parse() == Ok(id)))
    })
}

fn command(f: &Fact) -> String {
    match &f.detail {
        Detail::Command {
            command: Some(c), ..
        } => c.to_string(),
        _ => base(f.exe.as_deref()).to_string(),
    }
}

fn denied(ctx: &Ctx<'_>) -> Eval {
    let cmds = commands(ctx)?;
    let auths = ctx.summary.logins().failed_auths();
    complete(&[("failed authentication", auths)])?;
    let failed_auths = auths
        .items()
        .iter()
        .filter(|f| ELEVATION.contains(&base(f.exe.as_deref())));
    let mut by: BTreeMap<(String, chrono::NaiveDate), Vec<&Fact>> = BTreeMap::new();
    for f in sorted(
        cmds.into_iter()
            .filter(|f| f.result.is_failed())
            .chain(failed_auths),
    ) {
        let who = if is_set(f.auid.as_ref()) {
            f.auid_name()
        } else {
            f.target_name()
        };
        by.entry((who.to_string(), ctx.day(f.time_ms)))
            .or_default()
            .push(f);
    }
    let min = ctx.site.thresholds.denied_elevations_daily;
    Ok(by
        .into_iter()
        .filter(|(_, v)| v.len() as u64 >= min)
        .map(|((who, day), v)| {
            Finding::new(
                "F-PRIV-03",
                Severity::Medium,
                format!("{} denied elevations by {who} on {day}", v.len()),
                None,
                v.iter()
                    .map(|f| ctx.evidence(f, format!("failed {}", base(f.exe.as_deref()))))
                    .collect(),
            )
        })
        .collect())
}

fn is_shell_command(cmd: &str) -> bool {
    let mut words = cmd.split_whitespace();
    let first = words.next().unwrap_or("");
    let prog = first.rsplit('/').next().unwrap_or(first);
    SHELLS.contains(&prog) && words.all(|w| w.starts_with('-') && w != "-c")
}

fn root_shell(ctx: &Ctx<'_>) -> Eval {
    let cmds = commands(ctx)?;
    let shells = cmds
        .into_iter()
        .filter(|f| !f.result.is_failed() && is_shell_command(&command(f)));
    let su = ctx
        .summary
        .privilege()
        .sessions()
        .items()
        .iter()
        .filter(|f| {
            base(f.exe.as_deref()) == "su"
                && !f.result.is_failed()
                && f.target
                    .as_ref()
                    .is_some_and(|t| t.id == Some(0) || t.name == "root")
        });
    Ok(sorted(shells.chain(su))
        .into_iter()
        .map(|f| {
            let host = ctx.host(f);
            let what = if f.kind == Kind::Command {
                format!("sudo {}", command(f))
            } else {
                "su to root".into()
            };
            Finding::new(
                "F-PRIV-04",
                Severity::Medium,
                format!("{} opened a root shell on {host} ({what})", f.auid_name()),
                Some(host),
                vec![ctx.evidence(f, what)],
            )
        })
        .collect())
}

fn unattributed(ctx: &Ctx<'_>) -> Eval {
    let cmds = commands(ctx)?;
    let sessions = ctx.summary.privilege().sessions().items();
    Ok(sorted(cmds.into_iter().chain(sessions))
        .into_iter()
        .filter(|f| !is_set(f.auid.as_ref()))
        .filter(|f| {
            f.terminal
                .as_deref()
                .is_some_and(|t| t != "?" && t != "cron" && !t.is_empty())
        })
        .map(|f| {
            let host = ctx.host(f);
            let what = format!(
                "{} on {}",
                base(f.exe.as_deref()),
                f.terminal.as_deref().unwrap_or("?")
            );
            Finding::new(
                "F-PRIV-05",
                Severity::Medium,
                format!("elevation with no login identity on {host} ({what})"),
                Some(host),
                vec![ctx.evidence(f, what)],
            )
        })
        .collect())
}
