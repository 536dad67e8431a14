//! What the aggregator needs to know about keys and paths.

use crate::classify::KeyMeanings;
use crate::rules_text::DeclaredRule;

/// Path prefixes whose failed accesses are kept for the denial rule when the site names
/// none (the path entries of the default `sensitive_targets`).
pub const DEFAULT_SENSITIVE_PATHS: &[&str] = &[
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/sudoers",
    "/etc/ssh/ssh_host_",
    "/var/log/audit",
    "/etc/audit",
];

/// What the aggregator needs to know about keys and paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchConfig {
    pub(super) meanings: KeyMeanings,
    pub(super) audit_log_dirs: Vec<String>,
    pub(super) sensitive_paths: Vec<String>,
    pub(super) ids: Special,
    declared: Vec<DeclaredRule>,
}

/// Ids of the meanings the aggregator treats specially (`u16::MAX` when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Special {
    pub(super) identity: u16,
    pub(super) privilege_config: u16,
    pub(super) audit_log_access: u16,
    pub(super) audit_log_change: u16,
    pub(super) mounts: u16,
    pub(super) modules: u16,
}

impl WatchConfig {
    /// A configuration: the key table, the directories holding the audit logs (F-AUD-12/13)
    /// and the path prefixes whose denied accesses are kept (F-FILE-01).
    pub fn new(
        meanings: KeyMeanings,
        audit_log_dirs: Vec<String>,
        sensitive_paths: Vec<String>,
    ) -> Self {
        let id = |m: &str| meanings.resolve_id(m).unwrap_or(u16::MAX);
        let ids = Special {
            identity: id("identity-files"),
            privilege_config: id("privilege-config"),
            audit_log_access: id("audit-log-access"),
            audit_log_change: id("audit-log-change"),
            mounts: id("mounts"),
            modules: id("modules"),
        };
        WatchConfig {
            meanings,
            audit_log_dirs,
            sensitive_paths,
            ids,
            declared: Vec::new(),
        }
    }

    /// The same with the rules `--rules` files declare loaded.
    pub fn with_declared(mut self, rules: Vec<DeclaredRule>) -> Self {
        self.declared = rules;
        self
    }

    /// The key table.
    pub fn meanings(&self) -> &KeyMeanings {
        &self.meanings
    }

    /// The rules `--rules` files declare loaded.
    pub fn declared(&self) -> &[DeclaredRule] {
        &self.declared
    }
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig::new(
            KeyMeanings::builtin(),
            vec!["/var/log/audit/".to_string()],
            DEFAULT_SENSITIVE_PATHS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )
    }
}
