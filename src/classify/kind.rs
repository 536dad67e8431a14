//! The vocabulary of facts: categories, kinds, outcomes.

use serde::{Deserialize, Serialize};

/// A report section. Every [`Kind`] belongs to exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Account and group lifecycle: creation, deletion, modification, locks, roles.
    Accounts,
    /// Logins, authentication, account checks, login sessions, lockouts.
    Logins,
    /// Credentials: PAM credentials, password changes, crypto keys and sessions.
    Credentials,
    /// Privilege use: sudo commands, su/sudo sessions, role and identity changes.
    Privilege,
    /// Mandatory access control: SELinux/AppArmor denials, errors, MAC configuration.
    Mac,
    /// The audit subsystem itself: auditd lifecycle, audit configuration, system state.
    Daemon,
    /// System configuration changes: time, kernel modules, software, netfilter, USYS_CONFIG.
    Config,
    /// Anomalies and responses that no other section claims.
    Anomalies,
    /// Keyed kernel events: watched files and system calls, by rule key.
    Watches,
}

/// What a fact records. The doc of each variant names the record types it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// ADD_USER.
    UserAdded,
    /// DEL_USER.
    UserDeleted,
    /// ADD_GROUP.
    GroupAdded,
    /// DEL_GROUP.
    GroupDeleted,
    /// USER_MGMT (usermod, add-user-to-group, changing-shell, add-home-dir, ...).
    UserModified,
    /// GRP_MGMT.
    GroupModified,
    /// ACCT_LOCK (`passwd -l`, `usermod -L`).
    AccountLocked,
    /// ACCT_UNLOCK.
    AccountUnlocked,
    /// ROLE_ASSIGN.
    RoleAssigned,
    /// ROLE_REMOVE.
    RoleRemoved,
    /// ROLE_MODIFY.
    RoleModified,
    /// ANOM_ADD_ACCT, ANOM_DEL_ACCT, ANOM_MOD_ACCT.
    AccountAnomaly,

    /// USER_LOGIN.
    Login,
    /// USER_LOGOUT.
    Logout,
    /// LOGIN (the kernel setting a login uid).
    LoginUidSet,
    /// USER_AUTH.
    Authentication,
    /// USER_ACCT (PAM account management: expiry, access rules).
    AccountCheck,
    /// GRP_AUTH (group password authentication: newgrp, sg).
    GroupAuthentication,
    /// USER_ERR (PAM errors such as `bad_ident`).
    AuthError,
    /// USER_START of a login service (not su/sudo).
    SessionOpen,
    /// USER_END of a login service (not su/sudo).
    SessionClose,
    /// ANOM_LOGIN_* (failures, time, sessions, account, location, service, root).
    LoginAnomaly,
    /// RESP_ACCT_LOCK, RESP_ACCT_LOCK_TIMED (pam_faillock/pam_tally lockouts).
    Lockout,
    /// RESP_ACCT_UNLOCK_TIMED.
    LockoutEnded,

    /// CRED_ACQ of a login service.
    CredentialAcquired,
    /// CRED_REFR of a login service.
    CredentialRefreshed,
    /// CRED_DISP of a login service.
    CredentialDisposed,
    /// USER_CHAUTHTOK (passwd, chpasswd, chage).
    PasswordChanged,
    /// GRP_CHAUTHTOK (gpasswd).
    GroupPasswordChanged,
    /// CRYPTO_KEY_USER.
    CryptoKey,
    /// CRYPTO_SESSION.
    CryptoSession,
    /// CRYPTO_LOGIN, CRYPTO_LOGOUT.
    CryptoLogin,
    /// Other CRYPTO_* and kernel crypto records.
    CryptoOther,

    /// USER_CMD (sudo and other command loggers).
    Command,
    /// USER_START of su, sudo, runuser (an elevated session).
    ElevatedSessionOpen,
    /// USER_END of su, sudo, runuser.
    ElevatedSessionClose,
    /// CRED_ACQ/CRED_REFR/CRED_DISP of su, sudo, runuser.
    ElevatedCredential,
    /// USER_ROLE_CHANGE (newrole, pam_selinux context selection).
    RoleChange,
    /// ANOM_ROOT_TRANS.
    RootTransition,
    /// CHUSER_ID.
    UserIdChange,
    /// CHGRP_ID (newgrp, sg).
    GroupIdChange,

    /// AVC/USER_AVC `denied`, AppArmor `DENIED`/`ALLOWED` (complain mode).
    MacDenial,
    /// SELINUX_ERR, USER_SELINUX_ERR, AppArmor `ERROR`.
    MacError,
    /// MAC_STATUS, USER_MAC_STATUS (enforcing changes).
    MacStatus,
    /// MAC_POLICY_LOAD, USER_MAC_POLICY_LOAD, AppArmor `STATUS` (profile loads).
    MacPolicyLoad,
    /// MAC_CONFIG_CHANGE, USER_MAC_CONFIG_CHANGE (booleans).
    MacConfigChange,
    /// MAC_UNLBL_*, MAC_CIPSOV4_*, MAC_MAP_*, MAC_IPSEC_*, MAC_CALIPSO_* (labelled networking).
    MacNetworkConfig,

    /// DAEMON_START.
    DaemonStart,
    /// DAEMON_END.
    DaemonEnd,
    /// DAEMON_ABORT.
    DaemonAbort,
    /// DAEMON_CONFIG, DAEMON_RECONFIG.
    DaemonConfig,
    /// DAEMON_ROTATE.
    DaemonRotate,
    /// DAEMON_RESUME (logging had been suspended).
    DaemonResume,
    /// DAEMON_ERR.
    DaemonError,
    /// DAEMON_ACCEPT, DAEMON_CLOSE (remote logging connections).
    DaemonRemote,
    /// CONFIG_CHANGE adding, removing or updating audit rules.
    AuditRuleChange,
    /// CONFIG_CHANGE setting audit_enabled, audit_failure, backlog, rate, pid, ...
    AuditSetting,
    /// CONFIG_CHANGE resetting the lost-events counter (`lost=0 old=N`).
    AuditLostReset,
    /// SERVICE_START.
    ServiceStart,
    /// SERVICE_STOP.
    ServiceStop,
    /// SYSTEM_BOOT.
    SystemBoot,
    /// SYSTEM_SHUTDOWN.
    SystemShutdown,
    /// SYSTEM_RUNLEVEL.
    SystemRunlevel,

    /// USYS_CONFIG.
    SystemConfig,
    /// NETFILTER_CFG.
    NetfilterConfig,
    /// KERN_MODULE, or a SYSCALL whose rule key names module loading.
    KernelModule,
    /// SOFTWARE_UPDATE.
    SoftwareUpdate,
    /// TIME_ADJNTPVAL, TIME_INJOFFSET, or a SYSCALL whose rule key names time changes.
    TimeChange,
    /// FEATURE_CHANGE.
    FeatureChange,
    /// USER_DEVICE.
    DeviceChange,

    /// ANOM_* not claimed above (ABEND, PROMISCUOUS, LINK, CREAT, EXEC, ...).
    Anomaly,
    /// RESP_* not claimed above.
    Response,
    /// SECCOMP.
    Seccomp,

    /// A SYSCALL tagged with a rule key, with its PATH, CWD, PROCTITLE and EXECVE records.
    Watch,
}

impl Kind {
    /// The section this kind is reported in.
    pub fn category(self) -> Category {
        use Kind::*;
        match self {
            UserAdded | UserDeleted | GroupAdded | GroupDeleted | UserModified | GroupModified
            | AccountLocked | AccountUnlocked | RoleAssigned | RoleRemoved | RoleModified
            | AccountAnomaly => Category::Accounts,
            Login | Logout | LoginUidSet | Authentication | AccountCheck | GroupAuthentication
            | AuthError | SessionOpen | SessionClose | LoginAnomaly | Lockout | LockoutEnded => {
                Category::Logins
            }
            CredentialAcquired | CredentialRefreshed | CredentialDisposed | PasswordChanged
            | GroupPasswordChanged | CryptoKey | CryptoSession | CryptoLogin | CryptoOther => {
                Category::Credentials
            }
            Command | ElevatedSessionOpen | ElevatedSessionClose | ElevatedCredential
            | RoleChange | RootTransition | UserIdChange | GroupIdChange => Category::Privilege,
            MacDenial | MacError | MacStatus | MacPolicyLoad | MacConfigChange
            | MacNetworkConfig => Category::Mac,
            DaemonStart | DaemonEnd | DaemonAbort | DaemonConfig | DaemonRotate | DaemonResume
            | DaemonError | DaemonRemote | AuditRuleChange | AuditSetting | AuditLostReset
            | ServiceStart | ServiceStop | SystemBoot | SystemShutdown | SystemRunlevel => {
                Category::Daemon
            }
            SystemConfig | NetfilterConfig | KernelModule | SoftwareUpdate | TimeChange
            | FeatureChange | DeviceChange => Category::Config,
            Anomaly | Response | Seccomp => Category::Anomalies,
            Watch => Category::Watches,
        }
    }
}

/// The result of one record, by the per-record rules aureport applies (audit-userspace
/// `src/ausearch-parse.c`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// `res=success`, `res=1`, `success=yes`, AVC `granted`.
    Success,
    /// `res=failed`, `res=0`, `success=no`, AVC `denied`.
    Failed,
    /// The record states no result (SECCOMP, most kernel records).
    Unset,
}

impl Outcome {
    /// True for [`Outcome::Failed`].
    pub fn is_failed(self) -> bool {
        self == Outcome::Failed
    }
}
