//! The typed fact: one classified record, with everything a report row needs and the
//! file:line it came from.

use super::kind::{Category, Kind, Outcome};
use crate::model::{RecordType, Source};
use serde::{Deserialize, Serialize};

/// Text a fact keeps: up to 24 bytes inline (names, hosts, terminals, addresses, most
/// executables), longer on the heap. The facts lists hold thousands of facts, each with a
/// dozen such texts; kept inline they cost no allocation each.
pub type Text = compact_str::CompactString;

/// A user or group as a report shows it: the number (when there is one) and the name to
/// show (the ENRICHED name, else the `--passwd`/`--group` name, else the number as text,
/// or `unset` for 4294967295/-1).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Principal {
    /// The numeric id; `None` when unset or when the log gave only a name (`acct=`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    /// The name to show.
    pub name: Text,
    /// True for the unset id (no login user: daemons, boot, cron before login).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unset: bool,
}

impl Principal {
    /// The unset principal.
    pub fn unset() -> Self {
        Principal {
            id: None,
            name: Text::const_new("unset"),
            unset: true,
        }
    }

    /// A principal known only by name (`acct="bob"`).
    pub fn named(name: Text) -> Self {
        Principal {
            id: None,
            name,
            unset: false,
        }
    }
}

/// Which LSM wrote a denial.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lsm {
    /// SELinux (`avc:  denied  { perms }`).
    Selinux,
    /// AppArmor (`apparmor="DENIED"`).
    Apparmor,
}

/// A MAC denial, with the fields needed to group it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denial {
    /// Which LSM.
    pub lsm: Lsm,
    /// The grouping key: `selinux:STYPE:TTYPE:TCLASS:PERMS` or
    /// `apparmor:PROFILE:OPERATION:DENIED_MASK`.
    pub signature: Text,
    /// `Some(true)` when the denial was not enforced (`permissive=1`, AppArmor `ALLOWED` in
    /// complain mode); `Some(false)` when enforced; `None` when the record does not say.
    pub permissive: Option<bool>,
    /// SELinux source context.
    pub scontext: Option<Text>,
    /// SELinux target context.
    pub tcontext: Option<Text>,
    /// SELinux target class.
    pub tclass: Option<Text>,
    /// SELinux permissions (`read write`).
    pub perms: Option<Text>,
    /// AppArmor profile.
    pub profile: Option<Text>,
    /// AppArmor operation.
    pub operation: Option<Text>,
    /// AppArmor denied mask.
    pub denied_mask: Option<Text>,
    /// The command name of the process.
    pub comm: Option<Text>,
    /// The object name (path, socket) when logged.
    pub name: Option<Text>,
}

/// Kind-specific details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Detail {
    /// Nothing beyond the common fields.
    None,
    /// Account management: the group named by `grp=` (add-user-to-group).
    Account {
        /// The group (`grp=`), decoded.
        group: Option<Text>,
    },
    /// Login, authentication and session records.
    Login {
        /// The attempt named no existing account (`(invalid user)`, `?`, `(unknown)`).
        invalid_user: bool,
        /// PAM modules that granted (`grantors=`).
        grantors: Option<Text>,
        /// The audit session id (`ses=`), when set.
        session: Option<u32>,
    },
    /// A logged command (USER_CMD).
    Command {
        /// The decoded command line.
        command: Option<Text>,
        /// The working directory.
        cwd: Option<Text>,
    },
    /// A MAC denial.
    Denial(Box<Denial>),
    /// An audit rule change.
    Rule {
        /// `add`, `remove`, `update`, or the op as written.
        action: Text,
        /// The rule key(s), decoded.
        key: Option<Text>,
        /// The filter list number.
        list: Option<Text>,
        /// The watched path for `updated_rules`.
        path: Option<Text>,
    },
    /// A setting changed from `old` to `value` (audit_enabled, enforcing, a boolean,
    /// new_gid, runlevel, NTP values).
    Setting {
        /// The setting's name.
        name: Text,
        /// The new value.
        value: Option<Text>,
        /// The previous value.
        old: Option<Text>,
    },
    /// The lost-events counter was reset; `lost` events had been lost since the last reset.
    Lost {
        /// Events lost (`old=`).
        lost: u64,
    },
    /// A systemd unit (SERVICE_START/STOP).
    Service {
        /// The unit.
        unit: Option<Text>,
    },
    /// auditd lifecycle details.
    Daemon {
        /// auditd version (`ver=`).
        version: Option<Text>,
        /// Log format (`format=`).
        format: Option<Text>,
        /// `state=` of a reconfigure.
        state: Option<Text>,
    },
    /// A time change.
    Time {
        /// The rule key of the SYSCALL, when one named the change.
        key: Option<Text>,
        /// The syscall (name if ENRICHED, else number).
        syscall: Option<Text>,
        /// The kernel's TIME_* values: `freq 1->2`, `offset 0.000000000`.
        changes: Vec<Text>,
    },
    /// A kernel module load or unload.
    Module {
        /// The module name (KERN_MODULE `name=`).
        name: Option<Text>,
        /// The rule key, when a SYSCALL key named it.
        key: Option<Text>,
    },
    /// A software package change.
    Software {
        /// The package (`sw=`).
        package: Option<Text>,
        /// The package kind (`sw_type=`).
        kind: Option<Text>,
    },
    /// An anomaly.
    Anomaly {
        /// Command name.
        comm: Option<Text>,
        /// Signal (ABEND, SECCOMP).
        signal: Option<Text>,
        /// Reason text, device, or SECCOMP code.
        reason: Option<Text>,
    },
    /// A security context change (USER_ROLE_CHANGE).
    Role {
        /// The new or selected context.
        context: Option<Text>,
    },
    /// A keyed kernel event (see [`super::watch`]).
    Watch(Box<super::watch::Watch>),
}

/// One classified record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// The section.
    pub category: Category,
    /// What happened.
    pub kind: Kind,
    /// The record type it came from.
    pub rtype: RecordType,
    /// Event time, epoch milliseconds UTC.
    pub time_ms: i64,
    /// Event serial.
    pub serial: u32,
    /// The node name, when the log names one.
    pub node: Option<Text>,
    /// The record's result.
    pub result: Outcome,
    /// The login identity (`auid`): who, attributed across su/sudo.
    pub auid: Option<Principal>,
    /// The process identity (`uid`).
    pub uid: Option<Principal>,
    /// The account acted upon (`acct`, or `id` for account records).
    pub target: Option<Principal>,
    /// The operation (`op=`, or derived from legacy words).
    pub op: Option<Text>,
    /// The executable.
    pub exe: Option<Text>,
    /// The terminal.
    pub terminal: Option<Text>,
    /// The remote address (`addr=`).
    pub addr: Option<Text>,
    /// The remote host name (`hostname=`).
    pub hostname: Option<Text>,
    /// Where the record is: file and line.
    pub source: Source,
    /// Kind-specific details.
    pub detail: Detail,
}

impl Fact {
    /// Where the action came from: `addr`, else `hostname`.
    pub fn origin(&self) -> Option<&str> {
        self.addr.as_deref().or(self.hostname.as_deref())
    }

    /// True when the fact names an attempt on a non-existent account.
    pub fn is_invalid_user(&self) -> bool {
        matches!(
            self.detail,
            Detail::Login {
                invalid_user: true,
                ..
            }
        )
    }

    /// The target's display name, else `?`.
    pub fn target_name(&self) -> &str {
        self.target.as_ref().map_or("?", |p| p.name.as_str())
    }

    /// The login identity's display name, else `?`.
    pub fn auid_name(&self) -> &str {
        self.auid.as_ref().map_or("?", |p| p.name.as_str())
    }
}
