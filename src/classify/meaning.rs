//! Rule keys -> meanings: what the audit rule that tagged an event was written to record.
//!
//! The same evidence arrives under different keys depending on the rule set a host loaded:
//! `/etc/sudoers` changes are `scope` (CIS Benchmark), `actions`
//! (audit-userspace `30-stig.rules`) or `10.2.2-priv-config-changes` (`30-pci-dss-v31.rules`).
//! Reports, metrics, policies and finding rules speak of *meanings* (`privilege-config`);
//! [`BUILTIN_KEYS`] maps the keys of the published rule sets to them, and a site adds or
//! overrides entries in `auditrail.toml` (`[keys]`). A pattern may hold `*` (any text), e.g.
//! `10.2.5.b-elevated-privs-*`; an exact key wins over a pattern, a longer pattern over a
//! shorter one. Matching ignores ASCII case. Keys with no meaning are still counted and
//! listed by key.
//!
//! Every meaning is also a key of itself, so `-k audit-log-access` needs no entry. Each
//! meaning names an audit rule that produces it ([`MeaningInfo::rule`]): what a report
//! suggests adding when a control's evidence is missing on a host.

use std::collections::HashMap;

/// A meaning: its name, what it records, and a rule that produces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeaningInfo {
    /// The name (`identity-files`).
    pub name: &'static str,
    /// What events of this meaning record.
    pub about: &'static str,
    /// An audit rule (auditctl syntax) that produces events of this meaning.
    pub rule: &'static str,
}

/// The meanings the built-in table, the metrics, the policies and the finding rules use.
#[rustfmt::skip]
pub const MEANINGS: &[MeaningInfo] = &[
    MeaningInfo { name: "identity-files", about: "writes to /etc/passwd, group, shadow, gshadow, security/opasswd",
        rule: "-w /etc/passwd -p wa -k identity (and /etc/group, /etc/shadow, /etc/gshadow, /etc/security/opasswd)" },
    MeaningInfo { name: "privilege-config", about: "writes to /etc/sudoers and /etc/sudoers.d/",
        rule: "-w /etc/sudoers -p wa -k scope (and -w /etc/sudoers.d/ -p wa -k scope)" },
    MeaningInfo { name: "audit-log-access", about: "reads of the audit logs, runs of ausearch/aureport",
        rule: "-a always,exit -F dir=/var/log/audit/ -F perm=r -F auid>=1000 -F auid!=unset -k audit-log-access" },
    MeaningInfo { name: "audit-log-change", about: "writes, renames and deletions under the audit log directory",
        rule: "-w /var/log/audit/ -p wa -k audit-log-change" },
    MeaningInfo { name: "audit-config", about: "writes to the audit configuration (/etc/audit/)",
        rule: "-w /etc/audit/ -p wa -k audit-config" },
    MeaningInfo { name: "permission-change", about: "chmod, chown, setxattr and removexattr",
        rule: "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat,chown,fchown,lchown,fchownat,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F auid>=1000 -F auid!=unset -k perm_mod" },
    MeaningInfo { name: "file-deletion", about: "unlink, rmdir and rename by people",
        rule: "-a always,exit -F arch=b64 -S unlink,unlinkat,rename,renameat -F auid>=1000 -F auid!=unset -k delete" },
    MeaningInfo { name: "access-denied", about: "opens and truncates refused with EACCES or EPERM",
        rule: "-a always,exit -F arch=b64 -S open,openat,creat,truncate,ftruncate -F exit=-EACCES -F auid>=1000 -F auid!=unset -k access (and the same with -F exit=-EPERM)" },
    MeaningInfo { name: "file-access", about: "successful opens (OSPP successful-access)",
        rule: "-a always,exit -F arch=b64 -S open,openat -F success=1 -F auid>=1000 -F auid!=unset -k successful-access" },
    MeaningInfo { name: "file-creation", about: "successful file creation (OSPP successful-create)",
        rule: "-a always,exit -F arch=b64 -S creat -F success=1 -F auid>=1000 -F auid!=unset -k successful-create" },
    MeaningInfo { name: "file-modification", about: "opens for writing and truncates",
        rule: "-a always,exit -F arch=b64 -S truncate,ftruncate -F success=1 -F auid>=1000 -F auid!=unset -k successful-modification" },
    MeaningInfo { name: "mounts", about: "mount and umount by people (export to media)",
        rule: "-a always,exit -F arch=b64 -S mount,umount2 -F auid>=1000 -F auid!=unset -k mounts" },
    MeaningInfo { name: "system-objects", about: "creation and deletion of system-level objects: mount, umount, mknod, landlock",
        rule: "-a always,exit -F arch=b64 -S mount,umount2,mknod,mknodat -F auid>=1000 -F auid!=unset -k 10.2.7-system-objects" },
    MeaningInfo { name: "modules", about: "kernel module loads and unloads, runs of insmod/rmmod/modprobe",
        rule: "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k modules" },
    MeaningInfo { name: "privileged-exec", about: "runs of setuid programs and commands run as root by a person",
        rule: "-a always,exit -F arch=b64 -S execve -C uid!=euid -F euid=0 -F auid>=1000 -F auid!=unset -k privileged" },
    MeaningInfo { name: "time-change", about: "clock changes and writes to /etc/localtime",
        rule: "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change (and -w /etc/localtime -p wa -k time-change)" },
    MeaningInfo { name: "session", about: "writes to utmp, wtmp and btmp",
        rule: "-w /var/run/utmp -p wa -k session (and /var/log/wtmp, /var/log/btmp)" },
    MeaningInfo { name: "logins", about: "writes to lastlog, faillock and tallylog",
        rule: "-w /var/log/lastlog -p wa -k logins (and /var/run/faillock/)" },
    MeaningInfo { name: "network-config", about: "changes to the network configuration",
        rule: "-w /etc/NetworkManager/ -p wa -k network-config (and /etc/sysconfig/network)" },
    MeaningInfo { name: "system-locale", about: "host and domain name changes, writes to /etc/hosts, /etc/hostname, /etc/issue",
        rule: "-a always,exit -F arch=b64 -S sethostname,setdomainname -k system-locale (and -w /etc/hosts -p wa -k system-locale)" },
    MeaningInfo { name: "mac-policy", about: "writes to the SELinux or AppArmor configuration",
        rule: "-w /etc/selinux/ -p wa -k MAC-policy" },
    MeaningInfo { name: "software", about: "runs of package managers and other installers",
        rule: "-a always,exit -F perm=x -F path=/usr/bin/dnf -k software-installer" },
    MeaningInfo { name: "cardholder-data", about: "reads of cardholder data stores (site paths)",
        rule: "-a always,exit -F dir=<cardholder data directory> -F perm=r -F auid>=1000 -F auid!=unset -k cardholder-data" },
];

/// The built-in key table: (key or pattern, meaning). Sources: audit-userspace
/// `30-pci-dss-v31.rules`, `30-stig.rules`, `30-ospp-v42*.rules`, `30-nispom.rules`,
/// `31-privileged.rules`, `43-module-load.rules`, `44-installers.rules`; the CIS Benchmark
/// keys; ComplianceAsCode's `audit_rules_*` keys. `auditrail.toml` `[keys]` adds to it.
#[rustfmt::skip]
pub const BUILTIN_KEYS: &[(&str, &str)] = &[
    // CIS Benchmark (Linux distributions)
    ("identity", "identity-files"),
    ("scope", "privilege-config"),
    ("actions", "privilege-config"),
    ("sudo_log_file", "privilege-config"),
    ("user_emulation", "privileged-exec"),
    ("privileged", "privileged-exec"),
    ("privileged-*", "privileged-exec"),
    ("usermod", "privileged-exec"),
    ("perm_mod", "permission-change"),
    ("perm_chng", "permission-change"),
    ("access", "access-denied"),
    ("delete", "file-deletion"),
    ("mounts", "mounts"),
    ("export", "mounts"),
    ("modules", "modules"),
    ("kernel_modules", "modules"),
    ("time-change", "time-change"),
    ("time_change", "time-change"),
    ("system-locale", "system-locale"),
    ("MAC-policy", "mac-policy"),
    ("session", "session"),
    ("logins", "logins"),
    // audit-userspace 30-pci-dss-v31.rules (PCI DSS 3.x numbering)
    ("10.2.1-cardholder-access", "cardholder-data"),
    ("10.2.2-priv-config-changes", "privilege-config"),
    ("10.2.3-access-audit-trail", "audit-log-access"),
    ("10.2.5.b-elevated-privs-*", "privileged-exec"),
    ("10.2.5.c-accounts", "identity-files"),
    ("10.2.7-system-objects", "system-objects"),
    ("10.4.2b-time-change", "time-change"),
    ("10.5.5-modification-audit", "audit-log-change"),
    ("maybe-escalation", "privileged-exec"),
    // 30-ospp-v42*.rules
    ("unsuccessful-create", "access-denied"),
    ("unsuccessful-modification", "access-denied"),
    ("unsuccessful-access", "access-denied"),
    ("unsuccessful-delete", "file-deletion"),
    ("successful-create", "file-creation"),
    ("successful-modification", "file-modification"),
    ("successful-access", "file-access"),
    ("successful-delete", "file-deletion"),
    ("*-perm-change", "permission-change"),
    ("*-owner-change", "permission-change"),
    ("user-modify", "identity-files"),
    ("group-modify", "identity-files"),
    ("special-config-changes", "privileged-exec"),
    ("access-audit-trail", "audit-log-access"),
    // 30-nispom.rules
    ("auth", "identity-files"),
    ("audit-logs", "audit-log-access"),
    ("creation", "access-denied"),
    ("open", "access-denied"),
    ("mods", "access-denied"),
    // 43-module-load.rules, 44-installers.rules
    ("module-load", "modules"),
    ("module-unload", "modules"),
    ("software-installer", "software"),
    // ComplianceAsCode (SCAP Security Guide) keys
    ("audit_rules_usergroup_modification", "identity-files"),
    ("audit_rules_networkconfig_modification", "network-config"),
    ("audit_time_rules", "time-change"),
    ("audit_rules_kernel_module_loading*", "modules"),
    ("audit_rules_privileged_commands*", "privileged-exec"),
    ("audit_rules_mac_modification", "mac-policy"),
    ("audit_rules_sysadmin_actions", "privilege-config"),
    ("audit_rules_dac_modification*", "permission-change"),
    ("audit_rules_unsuccessful_file_modification*", "access-denied"),
    ("audit_rules_file_deletion_events*", "file-deletion"),
    ("audit_rules_media_export", "mounts"),
    // Common site keys
    ("sudoers", "privilege-config"),
    ("auditconfig", "audit-config"),
    ("audit_config", "audit-config"),
    ("audit-logs-change", "audit-log-change"),
    ("software_mgmt", "software"),
    ("pkg_mgmt", "software"),
];

/// The meaning of `name`, when it is one of [`MEANINGS`].
pub fn info(name: &str) -> Option<&'static MeaningInfo> {
    MEANINGS.iter().find(|m| m.name == name)
}

/// A key table, ready to resolve keys. Meanings are interned: [`KeyMeanings::resolve_id`]
/// gives a small number, [`KeyMeanings::name`] its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyMeanings {
    /// The distinct meanings.
    names: Vec<String>,
    /// Exact keys, lowercased.
    exact: HashMap<String, u16>,
    /// Patterns (lowercased, split at `*`), longest first, then in text order.
    patterns: Vec<(Vec<String>, u16, usize)>,
}

impl KeyMeanings {
    /// The built-in table.
    pub fn builtin() -> Self {
        KeyMeanings::from_pairs(BUILTIN_KEYS.iter().map(|&(k, m)| (k, m)))
    }

    /// A table from (key or pattern, meaning) pairs; a later pair for the same key replaces
    /// an earlier one. Every meaning of [`MEANINGS`] is also a key of itself.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut t = KeyMeanings::default();
        for m in MEANINGS {
            let id = t.intern(m.name);
            t.exact.insert(m.name.to_string(), id);
        }
        for (key, meaning) in pairs {
            let id = t.intern(meaning);
            let k = key.to_ascii_lowercase();
            if k.contains('*') {
                let parts: Vec<String> = k.split('*').map(str::to_string).collect();
                t.patterns.retain(|(p, _, _)| p.join("*") != k);
                t.patterns.push((parts, id, k.len()));
            } else {
                t.exact.insert(k, id);
            }
        }
        // Longest pattern first; equal lengths keep their order (a stable sort).
        t.patterns.sort_by_key(|p| std::cmp::Reverse(p.2));
        t
    }

    fn intern(&mut self, meaning: &str) -> u16 {
        match self.names.iter().position(|n| n == meaning) {
            Some(i) => i as u16,
            None => {
                self.names.push(meaning.to_string());
                (self.names.len() - 1) as u16
            }
        }
    }

    /// The meaning id of `key`, if the table has one.
    pub fn resolve_id(&self, key: &str) -> Option<u16> {
        let lower;
        let k = if key.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = key.to_ascii_lowercase();
            lower.as_str()
        } else {
            key
        };
        if let Some(&id) = self.exact.get(k) {
            return Some(id);
        }
        self.patterns
            .iter()
            .find(|(parts, _, _)| glob(parts, k))
            .map(|&(_, id, _)| id)
    }

    /// The meaning of `key`, if the table has one.
    pub fn resolve(&self, key: &str) -> Option<&str> {
        self.resolve_id(key).map(|id| self.name(id))
    }

    /// The text of a meaning id.
    pub fn name(&self, id: u16) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// True when `text` matches the pattern split at its `*`s.
fn glob(parts: &[String], text: &str) -> bool {
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() == 1 {
        return text == first;
    }
    if !text.starts_with(first.as_str()) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle.as_str()) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_the_published_rule_sets_have_meanings() {
        let t = KeyMeanings::builtin();
        for (key, meaning) in [
            ("identity", "identity-files"),
            ("10.2.5.c-accounts", "identity-files"),
            ("scope", "privilege-config"),
            ("actions", "privilege-config"),
            ("10.2.2-priv-config-changes", "privilege-config"),
            ("10.2.3-access-audit-trail", "audit-log-access"),
            ("10.5.5-modification-audit", "audit-log-change"),
            ("10.2.5.b-elevated-privs-session", "privileged-exec"),
            ("10.2.5.b-elevated-privs-setuid", "privileged-exec"),
            ("privileged-passwd", "privileged-exec"),
            ("unsuccessful-perm-change", "permission-change"),
            ("successful-owner-change", "permission-change"),
            ("mac-policy", "mac-policy"),
            ("MAC-policy", "mac-policy"),
            ("module-load", "modules"),
            ("audit-log-access", "audit-log-access"),
        ] {
            assert_eq!(t.resolve(key), Some(meaning), "{key}");
        }
        assert_eq!(t.resolve("exec"), None);
        assert_eq!(t.resolve("cron-job"), None);
    }

    #[test]
    fn site_entries_override_and_patterns_prefer_the_longest() {
        let t = KeyMeanings::from_pairs(BUILTIN_KEYS.iter().copied().chain([
            ("access", "file-access"),
            ("chd-*", "cardholder-data"),
            ("chd-db-*", "db"),
        ]));
        assert_eq!(t.resolve("access"), Some("file-access"));
        assert_eq!(t.resolve("chd-files"), Some("cardholder-data"));
        assert_eq!(t.resolve("chd-db-orders"), Some("db"));
        assert!(glob(&["a".into(), "b".into(), "c".into()], "a-b-c"));
        assert!(
            !glob(&["ab".into(), "ba".into()], "aba"),
            "parts must not overlap"
        );
        assert!(glob(&["".into(), "".into()], ""));
    }

    #[test]
    fn every_builtin_meaning_is_documented() {
        for (key, meaning) in BUILTIN_KEYS {
            assert!(info(meaning).is_some(), "{key} -> {meaning}");
        }
    }
}
