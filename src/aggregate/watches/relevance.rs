//! Which rule lists a keyed event belongs in.

use super::WatchConfig;
use crate::classify::errno;
use crate::classify::paths::{has_dot_or_double_slash, is_identity_file, is_sudoers, is_under};
use crate::classify::{Operation, WatchView};
use crate::parse::Quote;

/// Which rule lists an event belongs in.
#[derive(Default)]
pub(super) struct Relevance {
    pub(super) identity: bool,
    pub(super) privilege_config: bool,
    pub(super) audit_log: bool,
    pub(super) denied_sensitive: bool,
    pub(super) modules: bool,
}

/// The rule lists an event belongs in, from its meanings, operation and objects. Object
/// names are decoded only when they may matter: a plain absolute name outside `/etc/` and
/// the audit log directories is passed over on its bytes.
pub(super) fn relevance(
    v: &WatchView<'_>,
    cfg: &WatchConfig,
    ids: &[u16],
    op: Option<Operation>,
    module: bool,
) -> Relevance {
    let has = |m: u16| ids.contains(&m);
    let s = cfg.ids;
    let mut r = Relevance {
        identity: has(s.identity),
        privilege_config: has(s.privilege_config),
        audit_log: has(s.audit_log_access) || has(s.audit_log_change),
        denied_sensitive: false,
        modules: module || op == Some(Operation::ModuleUnload),
    };
    let denied = v.result().is_failed() && v.exit().is_some_and(errno::is_denial);
    // Paths put an event in a rule list only when it changed a file or was denied
    // (reads of protected files are listed by their keys' meanings).
    if !denied && !v.may_change() {
        return r;
    }
    for (i, name) in v.names() {
        let raw = name.value;
        let plain = name.quote == Quote::Double
            && raw.first() == Some(&b'/')
            && !has_dot_or_double_slash(raw);
        let may_matter = denied
            || raw.starts_with(b"/etc/")
            || cfg
                .audit_log_dirs
                .iter()
                .any(|d| raw.starts_with(d.trim_end_matches('/').as_bytes()));
        if (plain && !may_matter) || v.nametype(i) == b"PARENT" {
            continue;
        }
        let path = v.path_of(&name);
        let identity = is_identity_file(&path);
        let sudoers = is_sudoers(&path);
        let audit = cfg.audit_log_dirs.iter().any(|d| is_under(&path, d));
        r.identity |= identity;
        r.privilege_config |= sudoers;
        r.audit_log |= audit;
        r.denied_sensitive |= denied
            && (identity
                || sudoers
                || audit
                || cfg
                    .sensitive_paths
                    .iter()
                    .any(|p| path.starts_with(p.as_str())));
    }
    r
}
