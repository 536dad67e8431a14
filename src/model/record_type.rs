//! Audit record types: numbers, names and the grouping rules that follow from them.
//!
//! Names and numbers come from the kernel's `linux/audit.h` and audit-userspace's
//! `lib/msg_typetab.h`. A log may name a type (`type=USER_LOGIN`), number it
//! (`type=1112`, printk form) or write `type=UNKNOWN[1334]` when the writer did not know the
//! name; all three map to the same [`RecordType`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::LazyLock;

/// The table by name, for lookups by name (one per line read, so it must be fast).
static BY_NAME: LazyLock<rustc_hash::FxHashMap<&'static [u8], u32>> =
    LazyLock::new(|| TABLE.iter().map(|&(n, s)| (s.as_bytes(), n)).collect());

/// A record type, kept as its number so that unknown types survive intact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordType(pub u32);

/// (number, name) for every type we can name, sorted by number.
const TABLE: &[(u32, &str)] = &[
    (1005, "USER"),
    (1006, "LOGIN"),
    (1100, "USER_AUTH"),
    (1101, "USER_ACCT"),
    (1102, "USER_MGMT"),
    (1103, "CRED_ACQ"),
    (1104, "CRED_DISP"),
    (1105, "USER_START"),
    (1106, "USER_END"),
    (1107, "USER_AVC"),
    (1108, "USER_CHAUTHTOK"),
    (1109, "USER_ERR"),
    (1110, "CRED_REFR"),
    (1111, "USYS_CONFIG"),
    (1112, "USER_LOGIN"),
    (1113, "USER_LOGOUT"),
    (1114, "ADD_USER"),
    (1115, "DEL_USER"),
    (1116, "ADD_GROUP"),
    (1117, "DEL_GROUP"),
    (1118, "DAC_CHECK"),
    (1119, "CHGRP_ID"),
    (1120, "TEST"),
    (1121, "TRUSTED_APP"),
    (1122, "USER_SELINUX_ERR"),
    (1123, "USER_CMD"),
    (1124, "USER_TTY"),
    (1125, "CHUSER_ID"),
    (1126, "GRP_AUTH"),
    (1127, "SYSTEM_BOOT"),
    (1128, "SYSTEM_SHUTDOWN"),
    (1129, "SYSTEM_RUNLEVEL"),
    (1130, "SERVICE_START"),
    (1131, "SERVICE_STOP"),
    (1132, "GRP_MGMT"),
    (1133, "GRP_CHAUTHTOK"),
    (1134, "MAC_CHECK"),
    (1135, "ACCT_LOCK"),
    (1136, "ACCT_UNLOCK"),
    (1137, "USER_DEVICE"),
    (1138, "SOFTWARE_UPDATE"),
    (1200, "DAEMON_START"),
    (1201, "DAEMON_END"),
    (1202, "DAEMON_ABORT"),
    (1203, "DAEMON_CONFIG"),
    (1204, "DAEMON_RECONFIG"),
    (1205, "DAEMON_ROTATE"),
    (1206, "DAEMON_RESUME"),
    (1207, "DAEMON_ACCEPT"),
    (1208, "DAEMON_CLOSE"),
    (1209, "DAEMON_ERR"),
    (1300, "SYSCALL"),
    (1302, "PATH"),
    (1303, "IPC"),
    (1304, "SOCKETCALL"),
    (1305, "CONFIG_CHANGE"),
    (1306, "SOCKADDR"),
    (1307, "CWD"),
    (1309, "EXECVE"),
    (1311, "IPC_SET_PERM"),
    (1312, "MQ_OPEN"),
    (1313, "MQ_SENDRECV"),
    (1314, "MQ_NOTIFY"),
    (1315, "MQ_GETSETATTR"),
    (1316, "KERNEL_OTHER"),
    (1317, "FD_PAIR"),
    (1318, "OBJ_PID"),
    (1319, "TTY"),
    (1320, "EOE"),
    (1321, "BPRM_FCAPS"),
    (1322, "CAPSET"),
    (1323, "MMAP"),
    (1324, "NETFILTER_PKT"),
    (1325, "NETFILTER_CFG"),
    (1326, "SECCOMP"),
    (1327, "PROCTITLE"),
    (1328, "FEATURE_CHANGE"),
    (1329, "REPLACE"),
    (1330, "KERN_MODULE"),
    (1331, "FANOTIFY"),
    (1332, "TIME_INJOFFSET"),
    (1333, "TIME_ADJNTPVAL"),
    (1334, "BPF"),
    (1335, "EVENT_LISTENER"),
    (1336, "URINGOP"),
    (1337, "OPENAT2"),
    (1338, "DM_CTRL"),
    (1339, "DM_EVENT"),
    (1400, "AVC"),
    (1401, "SELINUX_ERR"),
    (1402, "AVC_PATH"),
    (1403, "MAC_POLICY_LOAD"),
    (1404, "MAC_STATUS"),
    (1405, "MAC_CONFIG_CHANGE"),
    (1406, "MAC_UNLBL_ALLOW"),
    (1407, "MAC_CIPSOV4_ADD"),
    (1408, "MAC_CIPSOV4_DEL"),
    (1409, "MAC_MAP_ADD"),
    (1410, "MAC_MAP_DEL"),
    (1411, "MAC_IPSEC_ADDSA"),
    (1412, "MAC_IPSEC_DELSA"),
    (1413, "MAC_IPSEC_ADDSPD"),
    (1414, "MAC_IPSEC_DELSPD"),
    (1415, "MAC_IPSEC_EVENT"),
    (1416, "MAC_UNLBL_STCADD"),
    (1417, "MAC_UNLBL_STCDEL"),
    (1418, "MAC_CALIPSO_ADD"),
    (1419, "MAC_CALIPSO_DEL"),
    (1420, "IPE_ACCESS"),
    (1421, "IPE_CONFIG_CHANGE"),
    (1422, "IPE_POLICY_LOAD"),
    (1423, "LANDLOCK_ACCESS"),
    (1424, "LANDLOCK_DOMAIN"),
    (1500, "APPARMOR"),
    (1501, "APPARMOR_AUDIT"),
    (1502, "APPARMOR_ALLOWED"),
    (1503, "APPARMOR_DENIED"),
    (1504, "APPARMOR_HINT"),
    (1505, "APPARMOR_STATUS"),
    (1506, "APPARMOR_ERROR"),
    (1507, "APPARMOR_KILL"),
    (1600, "FIRST_KERN_CRYPTO_MSG"),
    (1700, "ANOM_PROMISCUOUS"),
    (1701, "ANOM_ABEND"),
    (1702, "ANOM_LINK"),
    (1703, "ANOM_CREAT"),
    (1800, "INTEGRITY_DATA"),
    (1801, "INTEGRITY_METADATA"),
    (1802, "INTEGRITY_STATUS"),
    (1803, "INTEGRITY_HASH"),
    (1804, "INTEGRITY_PCR"),
    (1805, "INTEGRITY_RULE"),
    (1806, "INTEGRITY_EVM_XATTR"),
    (1807, "INTEGRITY_POLICY_RULE"),
    (2000, "KERNEL"),
    (2100, "ANOM_LOGIN_FAILURES"),
    (2101, "ANOM_LOGIN_TIME"),
    (2102, "ANOM_LOGIN_SESSIONS"),
    (2103, "ANOM_LOGIN_ACCT"),
    (2104, "ANOM_LOGIN_LOCATION"),
    (2105, "ANOM_MAX_DAC"),
    (2106, "ANOM_MAX_MAC"),
    (2107, "ANOM_AMTU_FAIL"),
    (2108, "ANOM_RBAC_FAIL"),
    (2109, "ANOM_RBAC_INTEGRITY_FAIL"),
    (2110, "ANOM_CRYPTO_FAIL"),
    (2111, "ANOM_ACCESS_FS"),
    (2112, "ANOM_EXEC"),
    (2113, "ANOM_MK_EXEC"),
    (2114, "ANOM_ADD_ACCT"),
    (2115, "ANOM_DEL_ACCT"),
    (2116, "ANOM_MOD_ACCT"),
    (2117, "ANOM_ROOT_TRANS"),
    (2118, "ANOM_LOGIN_SERVICE"),
    (2119, "ANOM_LOGIN_ROOT"),
    (2120, "ANOM_ORIGIN_FAILURES"),
    (2121, "ANOM_SESSION"),
    (2200, "RESP_ANOMALY"),
    (2201, "RESP_ALERT"),
    (2202, "RESP_KILL_PROC"),
    (2203, "RESP_TERM_ACCESS"),
    (2204, "RESP_ACCT_REMOTE"),
    (2205, "RESP_ACCT_LOCK_TIMED"),
    (2206, "RESP_ACCT_UNLOCK_TIMED"),
    (2207, "RESP_ACCT_LOCK"),
    (2208, "RESP_TERM_LOCK"),
    (2209, "RESP_SEBOOL"),
    (2210, "RESP_EXEC"),
    (2211, "RESP_SINGLE"),
    (2212, "RESP_HALT"),
    (2213, "RESP_ORIGIN_BLOCK"),
    (2214, "RESP_ORIGIN_BLOCK_TIMED"),
    (2215, "RESP_ORIGIN_UNBLOCK_TIMED"),
    (2300, "USER_ROLE_CHANGE"),
    (2301, "ROLE_ASSIGN"),
    (2302, "ROLE_REMOVE"),
    (2303, "LABEL_OVERRIDE"),
    (2304, "LABEL_LEVEL_CHANGE"),
    (2305, "USER_LABELED_EXPORT"),
    (2306, "USER_UNLABELED_EXPORT"),
    (2307, "DEV_ALLOC"),
    (2308, "DEV_DEALLOC"),
    (2309, "FS_RELABEL"),
    (2310, "USER_MAC_POLICY_LOAD"),
    (2311, "ROLE_MODIFY"),
    (2312, "USER_MAC_CONFIG_CHANGE"),
    (2313, "USER_MAC_STATUS"),
    (2400, "CRYPTO_TEST_USER"),
    (2401, "CRYPTO_PARAM_CHANGE_USER"),
    (2402, "CRYPTO_LOGIN"),
    (2403, "CRYPTO_LOGOUT"),
    (2404, "CRYPTO_KEY_USER"),
    (2405, "CRYPTO_FAILURE_USER"),
    (2406, "CRYPTO_REPLAY_USER"),
    (2407, "CRYPTO_SESSION"),
    (2408, "CRYPTO_IKE_SA"),
    (2409, "CRYPTO_IPSEC_SA"),
    (2500, "VIRT_CONTROL"),
    (2501, "VIRT_RESOURCE"),
    (2502, "VIRT_MACHINE_ID"),
    (2503, "VIRT_INTEGRITY_CHECK"),
    (2504, "VIRT_CREATE"),
    (2505, "VIRT_DESTROY"),
    (2506, "VIRT_MIGRATE_IN"),
    (2507, "VIRT_MIGRATE_OUT"),
];

macro_rules! consts {
    ($($name:ident = $n:expr),* $(,)?) => {
        impl RecordType { $(pub const $name: RecordType = RecordType($n);)* }
    };
}

consts! {
    USER = 1005, LOGIN = 1006, USER_AUTH = 1100, USER_ACCT = 1101, USER_MGMT = 1102,
    CRED_ACQ = 1103, CRED_DISP = 1104, USER_START = 1105, USER_END = 1106, USER_AVC = 1107,
    USER_CHAUTHTOK = 1108, USER_ERR = 1109, CRED_REFR = 1110, USYS_CONFIG = 1111,
    USER_LOGIN = 1112, USER_LOGOUT = 1113, ADD_USER = 1114, DEL_USER = 1115, ADD_GROUP = 1116,
    DEL_GROUP = 1117, CHGRP_ID = 1119, USER_SELINUX_ERR = 1122, USER_CMD = 1123, USER_TTY = 1124,
    CHUSER_ID = 1125, GRP_AUTH = 1126, SYSTEM_BOOT = 1127, SYSTEM_SHUTDOWN = 1128,
    SYSTEM_RUNLEVEL = 1129, SERVICE_START = 1130, SERVICE_STOP = 1131, GRP_MGMT = 1132,
    GRP_CHAUTHTOK = 1133, ACCT_LOCK = 1135, ACCT_UNLOCK = 1136, USER_DEVICE = 1137,
    SOFTWARE_UPDATE = 1138,
    DAEMON_START = 1200, DAEMON_END = 1201, DAEMON_ABORT = 1202, DAEMON_CONFIG = 1203,
    DAEMON_RECONFIG = 1204, DAEMON_ROTATE = 1205, DAEMON_RESUME = 1206, DAEMON_ACCEPT = 1207,
    DAEMON_CLOSE = 1208, DAEMON_ERR = 1209,
    SYSCALL = 1300, PATH = 1302, CONFIG_CHANGE = 1305, SOCKADDR = 1306, CWD = 1307, EXECVE = 1309,
    TTY = 1319, EOE = 1320, NETFILTER_CFG = 1325, SECCOMP = 1326, PROCTITLE = 1327,
    FEATURE_CHANGE = 1328, KERN_MODULE = 1330, TIME_INJOFFSET = 1332, TIME_ADJNTPVAL = 1333,
    URINGOP = 1336,
    AVC = 1400, SELINUX_ERR = 1401, MAC_POLICY_LOAD = 1403, MAC_STATUS = 1404,
    MAC_CONFIG_CHANGE = 1405,
    ANOM_PROMISCUOUS = 1700, ANOM_ABEND = 1701, ANOM_LINK = 1702,
    KERNEL = 2000, ANOM_ADD_ACCT = 2114, ANOM_DEL_ACCT = 2115, ANOM_MOD_ACCT = 2116,
    ANOM_ROOT_TRANS = 2117,
    RESP_ACCT_LOCK_TIMED = 2205, RESP_ACCT_LOCK = 2207,
    USER_ROLE_CHANGE = 2300, ROLE_ASSIGN = 2301, ROLE_REMOVE = 2302, ROLE_MODIFY = 2311,
    USER_MAC_CONFIG_CHANGE = 2312,
    CRYPTO_LOGIN = 2402, CRYPTO_KEY_USER = 2404, CRYPTO_SESSION = 2407,
}

impl RecordType {
    /// Looks a type up by the name written after `type=` (`USER_LOGIN`, `UNKNOWN[1334]`, `1112`).
    pub fn from_name(name: &[u8]) -> Option<RecordType> {
        if let Some(inner) = name
            .strip_prefix(b"UNKNOWN[")
            .and_then(|r| r.strip_suffix(b"]"))
        {
            return parse_u32(inner).map(RecordType);
        }
        if name.first().is_some_and(u8::is_ascii_digit) {
            return parse_u32(name).map(RecordType);
        }
        BY_NAME.get(name).map(|&n| RecordType(n))
    }

    /// The canonical name, or `None` for a number no table knows.
    pub fn name(self) -> Option<&'static str> {
        TABLE
            .binary_search_by_key(&self.0, |&(n, _)| n)
            .ok()
            .map(|i| TABLE[i].1)
    }

    /// True when a record of this type is an event on its own: user-space, daemon and
    /// other records that the kernel never follows with more records of the same event
    /// (`audit_is_last_record` in audit-userspace: USER 1005, 1007-1299, 1406-1419, KERNEL
    /// 2000, 2100 and up).
    /// LOGIN 1006 is not: it groups with the SYSCALL of the same event.
    pub fn is_standalone(self) -> bool {
        matches!(self.0, 1005 | 1007..=1299 | 1406..=1419 | 2000 | 2100..)
    }

    /// True for EOE, the record that closes a multi-record kernel event.
    pub fn is_eoe(self) -> bool {
        self == RecordType::EOE
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "UNKNOWN[{}]", self.0),
        }
    }
}

impl Serialize for RecordType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RecordType {
    /// A name as [`Serialize`] writes it (`USER_LOGIN`, `UNKNOWN[1334]`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        RecordType::from_name(name.as_bytes()).ok_or_else(|| {
            serde::de::Error::custom(format!("{:?} is not a record type", name.escape_debug()))
        })
    }
}

/// Parses an unsigned decimal that fits in `u32`; `None` on anything else.
pub(crate) fn parse_u32(s: &[u8]) -> Option<u32> {
    parse_u64(s).and_then(|v| u32::try_from(v).ok())
}

/// Parses an unsigned decimal of at most 19 digits; `None` on anything else.
pub(crate) fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 19 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn names_numbers_and_unknown_forms_agree() {
        assert_eq!(
            RecordType::from_name(b"USER_LOGIN"),
            Some(RecordType::USER_LOGIN)
        );
        assert_eq!(RecordType::from_name(b"1112"), Some(RecordType::USER_LOGIN));
        assert_eq!(
            RecordType::from_name(b"UNKNOWN[1334]"),
            RecordType::from_name(b"BPF")
        );
        assert_eq!(
            RecordType::from_name(b"UNKNOWN[9999]"),
            Some(RecordType(9999))
        );
        assert_eq!(RecordType(9999).to_string(), "UNKNOWN[9999]");
        assert_eq!(RecordType::from_name(b"NOT_A_TYPE"), None);
        assert_eq!(RecordType::from_name(b"UNKNOWN[]"), None);
        assert_eq!(RecordType::from_name(b"99999999999"), None);
    }

    #[test]
    fn grouping_rules_follow_auparse() {
        assert!(RecordType::USER_LOGIN.is_standalone());
        assert!(RecordType::DAEMON_START.is_standalone());
        assert!(RecordType::KERNEL.is_standalone());
        assert!(RecordType::ANOM_ROOT_TRANS.is_standalone());
        assert!(RecordType(1406).is_standalone());
        assert!(!RecordType::LOGIN.is_standalone());
        assert!(!RecordType::SYSCALL.is_standalone());
        assert!(!RecordType::AVC.is_standalone());
        assert!(!RecordType::PROCTITLE.is_standalone());
        assert!(!RecordType::ANOM_ABEND.is_standalone());
    }
}
