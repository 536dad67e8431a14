//! Generates large, realistic, deterministic Linux Audit logs for benchmarks and soak tests.
//!
//! ```text
//! cargo run --release --example generate -- --size 1G --start 2026-10-01 --seed 7 > /tmp/big.log
//! cargo run --release --example generate -- --size 100M --out /tmp/100m.log
//! ```
//!
//! Options:
//! - `--size N[K|M|G]`  stop after about N bytes (binary units: 1M = 1048576). Default 100M.
//!   The last event is written whole, so the output ends at most a few KB past N.
//! - `--hosts N`        number of hosts, 1-250: `web-01`, `db-01`, `app-01`, `bastion-01`,
//!   `cache-01`, `mq-01`, `ci-01`, `mon-01`, `web-02`, ... Default 20.
//! - `--start DATE`     `YYYY-MM-DD`: the log starts at that UTC midnight. Default 2026-10-01.
//! - `--seed N`         PRNG seed; the same arguments always give the same bytes. Default 7.
//! - `--gap-ms N`       mean log time between two draws from the event mix. Default 1850:
//!   1G then spans about three weeks (20 days), 100M about two days.
//! - `--out FILE`       write to FILE instead of stdout.
//! - `--keys SET`       rule keys of the kernel events: `plain` (`exec`, `priv-cmd`,
//!   `identity`, `sudoers`, ...), or the keys of a published rule set: `cis` (the default; CIS
//!   Benchmark: `scope`, `access`, `perm_mod`, `delete`, `user_emulation`, ...), `pci` (audit-userspace
//!   `30-pci-dss-v31.rules`: `10.2.2-priv-config-changes`, `10.2.5.c-accounts`, ...; commands
//!   run through sudo carry two keys, hex-encoded with 0x01 between them, as auditd writes
//!   them) or `stig` (`30-stig.rules`: `actions`, `identity`, `access`, ...). Only the key
//!   values change: with the same seed the events are the same.
//!
//! A summary (bytes, events, time span, speed) goes to stderr.
//!
//! What is written. Every line has a `node=` prefix, events are in time order, and each host
//! has its own kernel serial counter that grows by one per event (auditd's own DAEMON_*
//! records use a separate counter, as real auditd does, so the kernel serials have no holes
//! and `summary` reports no serial gaps):
//! - about 65% of the events, and with the defaults 76% of the records, are SYSCALL, PATH,
//!   CWD, PROCTITLE and EXECVE records of kernel syscall events (15% more are their EOE),
//!   as on a host configured by a published rule set: an execve (SYSCALL + EXECVE + CWD +
//!   PATH x2 + PROCTITLE in hex + EOE), a file access (SYSCALL + CWD + PATH x1-2 +
//!   PROCTITLE + EOE), some denied with EACCES, with rule keys such as `exec`, `identity`,
//!   `scope`, `user_emulation`, or chronyd's `adjtimex` under the `time-change` rule;
//! - PAM sessions of cron and sshd (USER_ACCT, CRED_ACQ, LOGIN, USER_START, CRED_REFR,
//!   USER_LOGIN, later USER_END, USER_LOGOUT, CRED_DISP), sshd password failures from
//!   varied users and addresses, now and then a brute-force burst from one address;
//! - sudo (USER_CMD with the command quoted or in hex, then its execve as root), su, and
//!   their failures;
//! - now and then ADD_USER, DEL_USER, ADD_GROUP, USER_MGMT, USER_CHAUTHTOK, SELinux AVC
//!   denials (one in four starts a burst of 3-24 more, seconds apart), SERVICE_START/STOP,
//!   DAEMON_START/END/ROTATE/CONFIG (log rotations, auditd restarts), CONFIG_CHANGE, ANOM_ABEND.
//!   While a host's auditd is stopped (DAEMON_END until DAEMON_START) it logs nothing;
//! - about 30% of the events carry an ENRICHED section: 0x1d, then `ARCH=x86_64
//!   SYSCALL=openat AUID="alice" UID="root" ...`.
//!
//! Interactive activity (ssh logins, sudo, su, account changes) is five times rarer between
//! 20:00 and 06:00 UTC. Only std is used, with a small xorshift PRNG. Lines are assembled
//! byte by byte in a reused buffer and written through an 8 MB `BufWriter`: over 1 GB/s
//! into /dev/null; writing a file is usually bound by the disk.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

// ------------------------------------------------------------------------------------ PRNG

/// xorshift64* (Vigna): fast, good enough for test data, fully deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // splitmix64 of the seed, so that small seeds give well-mixed states.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `pct` percent.
    fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

// ------------------------------------------------------------------------------------ data

const UNSET: u32 = 4_294_967_295;
const SUBJ_USER: &[u8] = b"unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023";
const SUBJ_SSHD: &[u8] = b"system_u:system_r:sshd_t:s0-s0:c0.c1023";
const SUBJ_CRON: &[u8] = b"system_u:system_r:crond_t:s0-s0:c0.c1023";
const SUBJ_INIT: &[u8] = b"system_u:system_r:init_t:s0";
const SUBJ_AUDITD: &[u8] = b"system_u:system_r:auditd_t:s0";

/// Accounts: (name, uid). Index 0 is root.
#[rustfmt::skip]
const USERS: &[(&str, u32)] = &[
    ("root", 0), ("alice", 1001), ("bob", 1002), ("carol", 1003), ("dave", 1004),
    ("erin", 1005), ("frank", 1006), ("grace", 1007), ("heidi", 1008), ("ivan", 1009),
    ("judy", 1011), ("karl", 1012), ("lena", 1013), ("deploy", 1500), ("ansible", 1501),
];
/// Indexes into USERS of the accounts that log in and run commands.
const PEOPLE: &[usize] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
/// Indexes into USERS of the people allowed to manage accounts.
const ADMINS: &[usize] = &[1, 2, 14];
/// What brute-force bursts try: an index into USERS, or NO_USER for a name that does not exist.
const NO_USER: u8 = u8::MAX;
const TARGETS: &[u8] = &[0, 1, 13, NO_USER, NO_USER, NO_USER];
const ROLES: &[&str] = &["web", "db", "app", "bastion", "cache", "mq", "ci", "mon"];
#[rustfmt::skip]
const UNITS: &[&str] = &[
    "nginx", "postgresql", "redis", "sysstat-collect", "dnf-makecache", "logrotate",
    "app-worker", "node_exporter", "chronyd", "firewalld",
];
const GROUPS: &[&str] = &["wheel", "docker", "developers", "dba", "backup", "adm"];
#[rustfmt::skip]
const NEW_ACCOUNTS: &[&str] = &[
    "tmp.contractor", "svc-report", "audit.reviewer", "qa-runner", "intern01", "svc-sync",
];

/// Commands people run (argv). Arguments with spaces are hex-encoded in EXECVE.
#[rustfmt::skip]
const COMMANDS: &[&[&str]] = &[
    &["ls", "-la", "/var/log"], &["systemctl", "status", "nginx"],
    &["systemctl", "restart", "app-worker"], &["grep", "-r", "connection refused", "/var/log/app"],
    &["ps", "aux"], &["cat", "/etc/hosts"], &["tar", "czf", "/backup/etc.tgz", "/etc"],
    &["python3", "/opt/app/manage.py", "migrate"], &["curl", "-s", "http://10.20.1.11:8080/health"],
    &["df", "-h"], &["journalctl", "-u", "sshd", "--since", "today"], &["vim", "/etc/nginx/nginx.conf"],
    &["git", "pull", "--ff-only"], &["find", "/tmp", "-mtime", "+7", "-delete"],
    &["rsync", "-a", "/srv/data/", "backup-01:/srv/backup/"], &["id"], &["uname", "-a"],
    &["crontab", "-l"], &["ssh", "db-01"], &["psql", "-c", "select count(*) from orders"],
    &["awk", "{print $1}", "/var/log/nginx/access.log"], &["tail", "-n", "200", "/var/log/messages"],
    &["dnf", "check-update"], &["ss", "-tlnp"], &["chmod", "640", "/srv/app/config.yml"],
];
/// Commands run by cron jobs and services.
#[rustfmt::skip]
const SYSTEM_COMMANDS: &[&[&str]] = &[
    &["/usr/lib64/sa/sa1", "1", "1"], &["/usr/sbin/logrotate", "/etc/logrotate.conf"],
    &["/usr/local/bin/backup.sh", "--nightly"], &["run-parts", "/etc/cron.hourly"],
    &["/usr/bin/python3", "/opt/app/worker.py", "--queue", "default"],
    &["/usr/bin/certbot", "renew", "--quiet"],
];

/// File accesses: (syscall nr, name, path, key, SELinux type, mode, root only, has PARENT).
type FileOp = (
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    bool,
);
#[rustfmt::skip]
const FILE_OPS: &[FileOp] = &[
    (257, "openat", "/etc/sudoers", "sudoers", "etc_t", "0100440", true, false),
    (257, "openat", "/etc/shadow", "access", "shadow_t", "0100000", true, false),
    (257, "openat", "/etc/passwd", "identity", "passwd_file_t", "0100644", true, false),
    (257, "openat", "/etc/ssh/sshd_config", "sshd_config", "etc_t", "0100600", true, false),
    (263, "unlinkat", "/tmp/report-cache.json", "delete", "user_tmp_t", "0100644", false, true),
    (268, "fchmodat", "/srv/app/config.yml", "perm_mod", "var_t", "0100640", false, false),
    (82, "rename", "/etc/group", "identity", "passwd_file_t", "0100644", true, true),
    (257, "openat", "/var/log/audit/audit.log", "audit-log", "auditd_log_t", "0100600", true, false),
];
#[rustfmt::skip]
const FILE_PROGS: &[(&str, &str)] = &[
    ("vim", "/usr/bin/vim"), ("cat", "/usr/bin/cat"), ("rm", "/usr/bin/rm"),
    ("chmod", "/usr/bin/chmod"), ("python3", "/usr/bin/python3.9"), ("sed", "/usr/bin/sed"),
];
/// SELinux denials: (comm, exe, domain, file name, target type, uid).
#[rustfmt::skip]
const DENIALS: &[(&str, &str, &str, &str, &str, u32)] = &[
    ("nginx", "/usr/sbin/nginx", "httpd_t", "index.html", "user_home_t", 986),
    ("postgres", "/usr/bin/postgres", "postgresql_t", "pg_hba.conf", "admin_home_t", 26),
    ("sshd", "/usr/sbin/sshd", "sshd_t", "authorized_keys", "var_t", 0),
    ("php-fpm", "/usr/sbin/php-fpm", "httpd_t", "config.php", "user_tmp_t", 48),
];

/// Which ids a user-space record carries: (uid, auid, ses) = (0, unset, unset) before the
/// login, (0, person, ses) in a session owned by root, (person, person, ses) as the person.
#[derive(Clone, Copy, PartialEq)]
enum Ids {
    Unset,
    Root,
    Person,
}

/// One user-space record of a PAM conversation: type, op, grantors, ids, and whether
/// `acct=` names root (sudo's target) rather than the person.
type Step = (&'static [u8], &'static [u8], &'static [u8], Ids, bool);

const SSHD_SESSION: &[u8] = b"pam_selinux,pam_loginuid,pam_selinux,pam_namespace,pam_keyinit,pam_limits,pam_systemd,pam_unix,pam_umask,pam_lastlog";
const SUDO_SESSION: &[u8] = b"pam_keyinit,pam_limits,pam_keyinit,pam_limits,pam_systemd,pam_unix";
const CRON_SESSION: &[u8] = b"pam_loginuid,pam_keyinit,pam_limits,pam_systemd";
const SU_SESSION: &[u8] = b"pam_keyinit,pam_limits,pam_systemd,pam_unix,pam_xauth";

#[rustfmt::skip]
const SSHD_OPEN: &[Step] = &[
    (b"USER_ACCT", b"PAM:accounting", b"pam_unix,pam_localuser", Ids::Unset, false),
    (b"CRED_ACQ", b"PAM:setcred", b"pam_unix", Ids::Unset, false),
    (b"LOGIN", b"", b"", Ids::Root, false),
    (b"USER_START", b"PAM:session_open", SSHD_SESSION, Ids::Root, false),
    (b"CRED_REFR", b"PAM:setcred", b"pam_unix", Ids::Root, false),
    (b"USER_LOGIN", b"login", b"", Ids::Root, false),
];
#[rustfmt::skip]
const SSHD_CLOSE: &[Step] = &[
    (b"USER_END", b"PAM:session_close", SSHD_SESSION, Ids::Root, false),
    (b"USER_LOGOUT", b"login", b"", Ids::Root, false),
    (b"CRED_DISP", b"PAM:setcred", b"pam_unix", Ids::Root, false),
];
const SSHD_AUTH: &[Step] = &[(
    b"USER_AUTH",
    b"PAM:authentication",
    b"pam_unix",
    Ids::Unset,
    false,
)];
#[rustfmt::skip]
const SSHD_FAIL: &[Step] = &[
    (b"USER_AUTH", b"PAM:authentication", b"?", Ids::Unset, false),
    (b"USER_LOGIN", b"login", b"", Ids::Unset, false),
];
#[rustfmt::skip]
const CRON_OPEN: &[Step] = &[
    (b"USER_ACCT", b"PAM:accounting", b"pam_access,pam_unix,pam_localuser", Ids::Unset, true),
    (b"CRED_ACQ", b"PAM:setcred", b"pam_env,pam_unix", Ids::Unset, true),
    (b"LOGIN", b"", b"", Ids::Root, true),
    (b"USER_START", b"PAM:session_open", CRON_SESSION, Ids::Root, true),
    (b"CRED_REFR", b"PAM:setcred", b"pam_env,pam_unix", Ids::Root, true),
];
#[rustfmt::skip]
const CRON_CLOSE: &[Step] = &[
    (b"CRED_DISP", b"PAM:setcred", b"pam_env,pam_unix", Ids::Root, true),
    (b"USER_END", b"PAM:session_close", CRON_SESSION, Ids::Root, true),
];
const SUDO_AUTH: &[Step] = &[(
    b"USER_AUTH",
    b"PAM:authentication",
    b"pam_unix",
    Ids::Person,
    false,
)];
const SUDO_BAD: &[Step] = &[(
    b"USER_AUTH",
    b"PAM:authentication",
    b"?",
    Ids::Person,
    false,
)];
const SUDO_DENIED: &[Step] = &[(b"USER_CMD", b"", b"", Ids::Person, false)];
#[rustfmt::skip]
const SUDO_OPEN: &[Step] = &[
    (b"USER_ACCT", b"PAM:accounting", b"pam_unix,pam_localuser", Ids::Person, false),
    (b"USER_CMD", b"", b"", Ids::Person, false),
    (b"CRED_REFR", b"PAM:setcred", b"pam_env,pam_unix", Ids::Root, true),
    (b"USER_START", b"PAM:session_open", SUDO_SESSION, Ids::Root, true),
];
#[rustfmt::skip]
const SUDO_CLOSE: &[Step] = &[
    (b"USER_END", b"PAM:session_close", SUDO_SESSION, Ids::Root, true),
    (b"CRED_DISP", b"PAM:setcred", b"pam_env,pam_unix", Ids::Root, true),
];
const SU_BAD: &[Step] = &[(b"USER_AUTH", b"PAM:authentication", b"?", Ids::Person, true)];
#[rustfmt::skip]
const SU_OPEN: &[Step] = &[
    (b"USER_AUTH", b"PAM:authentication", b"pam_rootok,pam_unix", Ids::Person, true),
    (b"USER_ACCT", b"PAM:accounting", b"pam_succeed_if,pam_unix", Ids::Person, true),
    (b"CRED_ACQ", b"PAM:setcred", b"pam_unix", Ids::Person, true),
    (b"USER_START", b"PAM:session_open", SU_SESSION, Ids::Person, true),
];
#[rustfmt::skip]
const SU_CLOSE: &[Step] = &[
    (b"USER_END", b"PAM:session_close", SU_SESSION, Ids::Person, true),
    (b"CRED_DISP", b"PAM:setcred", b"pam_unix", Ids::Person, true),
];

// ------------------------------------------------------------------------------ byte output

fn put_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

fn put_hex(out: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 16];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b"0123456789abcdef"[(v & 15) as usize];
        v >>= 4;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

fn put_ip(out: &mut Vec<u8>, ip: [u8; 4]) {
    for (i, o) in ip.iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        put_u64(out, u64::from(*o));
    }
}

fn put_hex_upper(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        out.push(b"0123456789ABCDEF"[(b >> 4) as usize]);
        out.push(b"0123456789ABCDEF"[(b & 15) as usize]);
    }
}

/// An untrusted string as auditd writes it: `"text"`, or uppercase hex when it holds a
/// space, a quote or a byte outside printable ASCII.
fn put_encoded(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|&c| !(0x21..=0x7e).contains(&c) || c == b'"') {
        put_hex_upper(out, s);
    } else {
        out.push(b'"');
        out.extend_from_slice(s);
        out.push(b'"');
    }
}

fn user_name(uid: u32) -> &'static [u8] {
    match USERS.iter().find(|u| u.1 == uid) {
        Some(u) => u.0.as_bytes(),
        None if uid == UNSET => b"unset",
        None => b"unknown",
    }
}

/// A command with its record texts precomputed.
struct Cmd {
    exe: Vec<u8>,
    comm: Vec<u8>,
    /// `argc=N a0=... a1=...`
    execve: Vec<u8>,
    /// `proctitle=...` (argv joined by NUL, cut at 128 bytes like the kernel does)
    proctitle: Vec<u8>,
    /// sudo's `cmd=` value
    sudo_cmd: Vec<u8>,
    inode: u64,
}

fn build_cmd(argv: &[&str], n: u64) -> Cmd {
    let exe = match argv[0] {
        a if a.starts_with('/') => a.to_string(),
        "python3" => "/usr/bin/python3.9".to_string(),
        a @ ("ss" | "nginx") => format!("/usr/sbin/{a}"),
        a => format!("/usr/bin/{a}"),
    };
    let comm = exe.rsplit('/').next().unwrap_or_default().as_bytes();
    let mut execve = format!("argc={}", argv.len()).into_bytes();
    for (i, a) in argv.iter().enumerate() {
        execve.extend_from_slice(format!(" a{i}=").as_bytes());
        put_encoded(&mut execve, a.as_bytes());
    }
    let title = argv.join("\0");
    let mut proctitle = b"proctitle=".to_vec();
    put_encoded(&mut proctitle, &title.as_bytes()[..title.len().min(128)]);
    let mut sudo_cmd = Vec::new();
    put_encoded(&mut sudo_cmd, argv.join(" ").as_bytes());
    Cmd {
        comm: comm[..comm.len().min(15)].to_vec(),
        exe: exe.into_bytes(),
        execve,
        proctitle,
        sudo_cmd,
        inode: 1_048_576 + n.wrapping_mul(2_654_435_761) % 8_000_000,
    }
}

// ----------------------------------------------------------------------------------- state

struct Host {
    /// `node=NAME type=`
    prefix: Vec<u8>,
    serial: u32,
    /// auditd numbers its own DAEMON_* records with a counter of its own.
    daemon_serial: u32,
    ses: u32,
    pid: u32,
    bastion: bool,
    /// auditd is stopped until this time (ms): nothing is logged.
    down_until: u64,
}

/// The party of a user-space conversation (sshd, cron, sudo, su, an admin tool).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Actor {
    host: u8,
    /// Index into USERS, or NO_USER.
    user: u8,
    pid: u32,
    ses: u32,
    /// Remote address for sshd; `None` writes `hostname=? addr=?`.
    addr: Option<[u8; 4]>,
    /// 0 sshd, 1 cron, 2 sudo, 3 su, 4 shadow-utils.
    prog: u8,
    /// /dev/pts/N of the session.
    tty: u8,
    /// Index into COMMANDS: what sudo runs.
    cmd: u8,
}

impl Actor {
    /// The person's uid; unset for a name that does not exist.
    fn uid(&self) -> u32 {
        USERS.get(usize::from(self.user)).map_or(UNSET, |u| u.1)
    }
}

/// A process as the kernel reports it in SYSCALL.
struct Proc<'a> {
    pid: u32,
    ppid: u32,
    uid: u32,
    auid: u32,
    ses: u32,
    comm: &'a [u8],
    exe: &'a [u8],
    subj: &'a [u8],
    key: &'static [u8],
}

/// Why a command runs: picks the command table, the rule key and the SELinux domain.
#[derive(Clone, Copy, PartialEq)]
enum Why {
    /// A cron job (system command, key `cron-job`).
    Cron,
    /// A service (system command, no key).
    Service,
    /// A person's shell (key `exec`).
    Shell,
    /// Run through sudo (key `priv-cmd`).
    Sudo,
}

/// Something due later: the end of a session, a service stop, the next brute-force attempt.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Later {
    Close(Actor),
    ServiceStop {
        host: u8,
        unit: u8,
    },
    SshFail {
        actor: Actor,
        left: u8,
    },
    DaemonStart {
        host: u8,
    },
    /// The next denial of an AVC burst (a confined service retrying what policy denies).
    Avc {
        host: u8,
        denial: u8,
        left: u8,
    },
}

struct Gen {
    rng: Rng,
    hosts: Vec<Host>,
    cmds: Rc<[Cmd]>,
    sys_cmds: Rc<[Cmd]>,
    /// The event being assembled (several lines for kernel events).
    ev: Vec<u8>,
    /// `msg=audit(SEC.MMM:SERIAL):` of the current event.
    stamp: Vec<u8>,
    /// Host of the current event.
    host: usize,
    enriched: bool,
    /// Log time of the last event, ms since the epoch.
    clock: u64,
    later: BinaryHeap<Reverse<(u64, u64, Later)>>,
    seq: u64,
    written: u64,
    /// Events written: [user-space, kernel].
    counts: [u64; 2],
    /// Which rule set's keys the kernel events carry.
    keys: KeySet,
}

/// The rule keys written on kernel events (`--keys`).
#[derive(Clone, Copy, PartialEq)]
enum KeySet {
    Plain,
    Cis,
    Pci,
    Stig,
}

impl KeySet {
    fn parse(s: &str) -> Option<KeySet> {
        Some(match s {
            "plain" => KeySet::Plain,
            "cis" => KeySet::Cis,
            "pci" => KeySet::Pci,
            "stig" => KeySet::Stig,
            _ => return None,
        })
    }

    /// The key this set's rules give the event the plain set calls `key`.
    fn map(self, key: &'static [u8]) -> &'static [u8] {
        #[rustfmt::skip]
        const TABLE: &[(&[u8], [&[u8]; 3])] = &[
            // plain            cis                   pci                                          stig
            (b"priv-cmd",    [b"user_emulation",     b"10.2.5.b-elevated-privs-setuid\x01priv-cmd", b"privileged"]),
            (b"sudoers",     [b"scope",              b"10.2.2-priv-config-changes",                b"actions"]),
            (b"identity",    [b"identity",           b"10.2.5.c-accounts",                         b"identity"]),
            (b"access",      [b"access",             b"access",                                    b"access"]),
            (b"delete",      [b"delete",             b"delete",                                    b"delete"]),
            (b"perm_mod",    [b"perm_mod",           b"perm_mod",                                  b"perm_mod"]),
            (b"audit-log",   [b"access-audit-trail", b"10.2.3-access-audit-trail",                 b"access-audit-trail"]),
        ];
        let column = match self {
            KeySet::Plain => return key,
            KeySet::Cis => 0,
            KeySet::Pci => 1,
            KeySet::Stig => 2,
        };
        TABLE
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, v)| v[column])
    }
}

impl Gen {
    fn new(seed: u64, nhosts: usize, start_ms: u64, keys: KeySet) -> Self {
        let mut rng = Rng::new(seed);
        let hosts = (0..nhosts)
            .map(|i| {
                let role = ROLES[i % ROLES.len()];
                Host {
                    prefix: format!("node={role}-{:02} type=", i / ROLES.len() + 1).into_bytes(),
                    serial: rng.range(1_000, 900_000) as u32,
                    daemon_serial: rng.range(1, 1_000) as u32,
                    ses: rng.range(1, 400) as u32,
                    pid: rng.range(2_000, 60_000) as u32,
                    bastion: role == "bastion",
                    down_until: 0,
                }
            })
            .collect();
        let build = |table: &[&[&str]], base: u64| -> Rc<[Cmd]> {
            let cmds: Vec<Cmd> = table
                .iter()
                .zip(base..)
                .map(|(a, n)| build_cmd(a, n))
                .collect();
            cmds.into()
        };
        Gen {
            rng,
            hosts,
            cmds: build(COMMANDS, 11),
            sys_cmds: build(SYSTEM_COMMANDS, 101),
            ev: Vec::with_capacity(1 << 16),
            stamp: Vec::with_capacity(64),
            host: 0,
            enriched: false,
            clock: start_ms,
            later: BinaryHeap::new(),
            seq: 0,
            written: 0,
            counts: [0; 2],
            keys,
        }
    }

    fn new_pid(&mut self, h: usize) -> u32 {
        let step = self.rng.range(2, 80) as u32;
        let host = &mut self.hosts[h];
        host.pid = if host.pid > 4_000_000 {
            1_200
        } else {
            host.pid + step
        };
        host.pid
    }

    fn new_ses(&mut self, h: usize) -> u32 {
        self.hosts[h].ses += 1;
        self.hosts[h].ses
    }

    fn schedule(&mut self, after_ms: (u64, u64), what: Later) {
        let at = self.clock + self.rng.range(after_ms.0, after_ms.1);
        self.seq += 1;
        self.later.push(Reverse((at, self.seq, what)));
    }

    // ------------------------------------------------------------------- event framing

    /// Starts an event on host `h`, a few ms after the previous one or at `t` if later.
    fn begin(&mut self, h: usize, t: u64) {
        self.begin_with(h, t, false);
    }

    /// Starts an event; `daemon` events take auditd's own serial counter, as real auditd's
    /// DAEMON_* records do (the kernel's serials then continue without a hole).
    fn begin_with(&mut self, h: usize, t: u64, daemon: bool) {
        self.clock = t.max(self.clock + self.rng.range(1, 20));
        self.host = h;
        let host = &mut self.hosts[h];
        let serial = if daemon {
            host.daemon_serial = host.daemon_serial.wrapping_add(1);
            host.daemon_serial
        } else {
            host.serial = host.serial.wrapping_add(1);
            host.serial
        };
        let (sec, ms) = (self.clock / 1000, self.clock % 1000);
        self.stamp.clear();
        self.stamp.extend_from_slice(b"msg=audit(");
        put_u64(&mut self.stamp, sec);
        self.stamp
            .extend_from_slice(&[b'.', b'0' + (ms / 100) as u8, b'0' + (ms / 10 % 10) as u8]);
        self.stamp
            .extend_from_slice(&[b'0' + (ms % 10) as u8, b':']);
        put_u64(&mut self.stamp, u64::from(serial));
        self.stamp.extend_from_slice(b"):");
        self.enriched = self.rng.pct(30);
        self.ev.clear();
    }

    fn finish<W: Write>(&mut self, out: &mut W, kernel: bool) -> io::Result<()> {
        out.write_all(&self.ev)?;
        self.written += self.ev.len() as u64;
        self.counts[usize::from(kernel)] += 1;
        Ok(())
    }

    /// Starts a record line: `node=H type=T msg=audit(...): `.
    fn rec(&mut self, rtype: &[u8]) -> &mut Vec<u8> {
        self.ev.extend_from_slice(&self.hosts[self.host].prefix);
        self.ev.extend_from_slice(rtype);
        self.ev.push(b' ');
        self.ev.extend_from_slice(&self.stamp);
        self.ev.push(b' ');
        &mut self.ev
    }

    /// Ends a record line, with the ENRICHED section when the event has one: `pre` (ARCH=,
    /// SYSCALL=) then each (NAME, uid) as `NAME="user"`.
    fn end(&mut self, pre: &[u8], ids: &[(&[u8], u32)]) {
        if self.enriched {
            self.ev.push(0x1d);
            self.ev.extend_from_slice(pre);
            for (i, (name, uid)) in ids.iter().enumerate() {
                if i > 0 || !pre.is_empty() {
                    self.ev.push(b' ');
                }
                self.ev.extend_from_slice(name);
                self.ev.extend_from_slice(b"=\"");
                self.ev.extend_from_slice(user_name(*uid));
                self.ev.push(b'"');
            }
        }
        self.ev.push(b'\n');
    }

    /// A record line without ENRICHED data: `rtype` and `body`.
    fn plain(&mut self, rtype: &[u8], body: &[u8]) {
        self.rec(rtype).extend_from_slice(body);
        self.ev.push(b'\n');
    }

    fn eoe(&mut self) {
        self.ev.extend_from_slice(&self.hosts[self.host].prefix);
        self.ev.extend_from_slice(b"EOE ");
        self.ev.extend_from_slice(&self.stamp);
        self.ev.push(b'\n');
    }

    // --------------------------------------------------------------------- user space

    /// Writes `steps` as consecutive one-record events of `a`; `ok` sets `res=`.
    fn steps<W: Write>(
        &mut self,
        out: &mut W,
        a: &Actor,
        steps: &[Step],
        ok: bool,
    ) -> io::Result<()> {
        for step in steps {
            self.begin(usize::from(a.host), 0);
            self.user_record(a, step, ok);
            self.finish(out, false)?;
        }
        Ok(())
    }

    fn user_record(&mut self, a: &Actor, &(rtype, op, grantors, ids, root_acct): &Step, ok: bool) {
        let person = a.uid();
        let (uid, auid, ses) = match ids {
            Ids::Unset => (0, UNSET, UNSET),
            Ids::Root => (0, person, a.ses),
            Ids::Person => (person, person, a.ses),
        };
        let (exe, subj, term): (&[u8], &[u8], &[u8]) = match a.prog {
            0 => (b"/usr/sbin/sshd", SUBJ_SSHD, b"ssh"),
            1 => (b"/usr/sbin/crond", SUBJ_CRON, b"cron"),
            2 => (b"/usr/bin/sudo", SUBJ_USER, b"/dev/pts/0"),
            3 => (b"/usr/bin/su", SUBJ_USER, b"/dev/pts/1"),
            _ => (b"/usr/sbin/usermod", SUBJ_USER, b"pts/0"),
        };
        if rtype == b"LOGIN" {
            let e = self.rec(rtype);
            e.extend_from_slice(b"pid=");
            put_u64(e, u64::from(a.pid));
            e.extend_from_slice(b" uid=0 subj=");
            e.extend_from_slice(subj);
            e.extend_from_slice(b" old-auid=4294967295 auid=");
            put_u64(e, u64::from(auid));
            e.extend_from_slice(b" tty=(none) old-ses=4294967295 ses=");
            put_u64(e, u64::from(ses));
            e.extend_from_slice(b" res=1");
            return self.end(b"", &[(b"UID", 0), (b"OLD-AUID", UNSET), (b"AUID", auid)]);
        }
        let cmds = Rc::clone(&self.cmds);
        let e = self.rec(rtype);
        for (k, v) in [
            (&b"pid="[..], a.pid),
            (b" uid=", uid),
            (b" auid=", auid),
            (b" ses=", ses),
        ] {
            e.extend_from_slice(k);
            put_u64(e, u64::from(v));
        }
        e.extend_from_slice(b" subj=");
        e.extend_from_slice(subj);
        if rtype == b"USER_CMD" {
            e.extend_from_slice(b" msg='cwd=\"/home/");
            e.extend_from_slice(user_name(person));
            e.extend_from_slice(b"\" cmd=");
            e.extend_from_slice(&cmds[usize::from(a.cmd)].sudo_cmd);
            e.extend_from_slice(b" exe=\"/usr/bin/sudo\" terminal=pts/0");
        } else if op == b"login" && ids == Ids::Root {
            // sshd after the login: the account is known by its id
            e.extend_from_slice(b" msg='op=login id=");
            put_u64(e, u64::from(person));
            e.extend_from_slice(b" exe=\"/usr/sbin/sshd\" hostname=");
            put_ip(e, a.addr.unwrap_or([127, 0, 0, 1]));
            e.extend_from_slice(b" addr=");
            put_ip(e, a.addr.unwrap_or([127, 0, 0, 1]));
            e.extend_from_slice(b" terminal=/dev/pts/");
            put_u64(e, u64::from(a.tty));
        } else {
            e.extend_from_slice(b" msg='op=");
            e.extend_from_slice(op);
            if !grantors.is_empty() {
                e.extend_from_slice(b" grantors=");
                e.extend_from_slice(grantors);
            }
            e.extend_from_slice(b" acct=");
            if a.user == NO_USER {
                // sshd does not pass unknown names on to the log
                e.extend_from_slice(if rtype == b"USER_AUTH" {
                    b"\"?\""
                } else {
                    b"\"(invalid user)\""
                });
            } else {
                put_encoded(
                    e,
                    if root_acct {
                        b"root"
                    } else {
                        user_name(person)
                    },
                );
            }
            e.extend_from_slice(b" exe=\"");
            e.extend_from_slice(exe);
            match a.addr {
                Some(ip) => {
                    e.extend_from_slice(b"\" hostname=");
                    put_ip(e, ip);
                    e.extend_from_slice(b" addr=");
                    put_ip(e, ip);
                }
                None => e.extend_from_slice(b"\" hostname=? addr=?"),
            }
            e.extend_from_slice(b" terminal=");
            e.extend_from_slice(term);
        }
        e.extend_from_slice(if ok {
            b" res=success'"
        } else {
            b" res=failed'"
        });
        if op == b"login" && ids == Ids::Root {
            self.end(b"", &[(b"UID", 0), (b"AUID", auid), (b"ID", person)]);
        } else {
            self.end(b"", &[(b"UID", uid), (b"AUID", auid)]);
        }
    }

    fn ssh_login<W: Write>(&mut self, out: &mut W, h: usize) -> io::Result<()> {
        let addr = if self.hosts[h].bastion {
            [192, 0, 2, self.rng.range(10, 60) as u8]
        } else if self.rng.pct(80) {
            [10, 20, 0, 5]
        } else {
            [10, 8, 0, self.rng.range(2, 250) as u8]
        };
        let mut a = self.actor(h, 0, Some(addr));
        a.ses = UNSET;
        if self.rng.pct(40) {
            self.steps(out, &a, SSHD_AUTH, true)?;
        }
        a.ses = self.new_ses(h);
        self.steps(out, &a, SSHD_OPEN, true)?;
        for _ in 0..self.rng.range(0, 3) {
            self.clock += self.rng.range(500, 20_000);
            let c = self.rng.below(self.cmds.len() as u64) as usize;
            let (uid, ses) = (a.uid(), a.ses);
            self.execve(out, h, (uid, uid, ses), a.pid + 1, c, Why::Shell)?;
        }
        self.schedule((60_000, 3 * 3_600_000), Later::Close(a));
        Ok(())
    }

    fn ssh_failure<W: Write>(&mut self, out: &mut W, h: usize) -> io::Result<()> {
        let mut a = self.actor(h, 0, None);
        a.addr = Some(if self.rng.pct(50) {
            [203, 0, 113, self.rng.range(1, 254) as u8]
        } else {
            [198, 51, 100, self.rng.range(1, 254) as u8]
        });
        a.ses = UNSET;
        if self.rng.pct(50) {
            a.user = self.rng.pick(TARGETS);
        }
        self.steps(out, &a, SSHD_FAIL, false)?;
        if self.rng.pct(4) {
            // a brute-force burst from this address: an attempt every few seconds
            let left = self.rng.range(10, 40) as u8;
            self.schedule((2_000, 10_000), Later::SshFail { actor: a, left });
        }
        Ok(())
    }

    fn cron<W: Write>(&mut self, out: &mut W, h: usize) -> io::Result<()> {
        let mut a = self.actor(h, 1, None);
        a.user = 0;
        a.ses = self.new_ses(h);
        self.steps(out, &a, CRON_OPEN, true)?;
        let job = self.rng.below(self.sys_cmds.len() as u64) as usize;
        self.execve(out, h, (0, 0, a.ses), a.pid, job, Why::Cron)?;
        self.schedule((2_000, 90_000), Later::Close(a));
        Ok(())
    }

    fn sudo<W: Write>(&mut self, out: &mut W, h: usize) -> io::Result<()> {
        let a = self.actor(h, 2, None);
        if self.rng.pct(8) {
            // wrong passwords, then sudo gives up
            for _ in 0..self.rng.range(1, 3) {
                self.steps(out, &a, SUDO_BAD, false)?;
                self.clock += self.rng.range(1_500, 6_000);
            }
            return self.steps(out, &a, SUDO_DENIED, false);
        }
        if self.rng.pct(50) {
            self.steps(out, &a, SUDO_AUTH, true)?;
        }
        self.steps(out, &a, SUDO_OPEN, true)?;
        let (uid, ses) = (a.uid(), a.ses);
        self.execve(out, h, (0, uid, ses), a.pid, usize::from(a.cmd), Why::Sudo)?;
        self.clock += self.rng.range(20, 4_000);
        self.steps(out, &a, SUDO_CLOSE, true)
    }

    fn su<W: Write>(&mut self, out: &mut W, h: usize) -> io::Result<()> {
        let a = self.actor(h, 3, None);
        if self.rng.pct(25) {
            return self.steps(out, &a, SU_BAD, false);
        }
        self.steps(out, &a, SU_OPEN, true)?;
        self.schedule((5_000, 600_000), Later::Close(a));
        Ok(())
    }

    /// A new actor on host `h` for program `prog`, with a random person and command.
    fn actor(&mut self, h: usize, prog: u8, addr: Option<[u8; 4]>) -> Actor {
        Actor {
            host: h as u8,
            user: self.rng.pick(PEOPLE) as u8,
            pid: self.new_pid(h),
            ses: self.rng.range(1, 5_000) as u32,
            addr,
            prog,
            tty: self.rng.below(8) as u8,
            cmd: self.rng.below(self.cmds.len() as u64) as u8,
        }
    }

    fn account_change<W: Write>(&mut self, out: &mut W, h: usize) -> io::Result<()> {
        let mut a = self.actor(h, 4, None);
        a.user = self.rng.pick(ADMINS) as u8;
        let ok = self.rng.pct(92);
        let id = self.rng.range(1_600, 1_999);
        let name = self.rng.pick(NEW_ACCOUNTS).as_bytes();
        let group = self.rng.pick(GROUPS).as_bytes();
        let kind = self.rng.below(4);
        let mut op = Vec::with_capacity(64);
        if kind == 0 && self.rng.pct(50) {
            op.extend_from_slice(b"add-group id=");
            put_u64(&mut op, id);
            self.account_record(out, &a, b"ADD_GROUP", &op, b"", ok)?;
            op.clear();
        }
        let (rtype, acct): (&[u8], &[u8]) = match kind {
            0 => (b"ADD_USER", b""),
            1 => (b"DEL_USER", b""),
            2 => (b"USER_MGMT", name),
            _ => (b"USER_CHAUTHTOK", name),
        };
        match kind {
            0 | 1 => {
                op.extend_from_slice(if kind == 0 {
                    b"add-user id="
                } else {
                    b"delete-user id="
                });
                put_u64(&mut op, id);
            }
            2 => {
                op.extend_from_slice(b"add-user-to-group grp=\"");
                op.extend_from_slice(group);
                op.push(b'"');
            }
            _ => op.extend_from_slice(b"PAM:chauthtok grantors=pam_pwquality,pam_unix"),
        }
        self.account_record(out, &a, rtype, &op, acct, ok)
    }

    fn account_record<W: Write>(
        &mut self,
        out: &mut W,
        a: &Actor,
        rtype: &[u8],
        op: &[u8],
        acct: &[u8],
        ok: bool,
    ) -> io::Result<()> {
        self.begin(usize::from(a.host), 0);
        let uid = a.uid();
        let exe: &[u8] = match rtype {
            b"ADD_USER" | b"ADD_GROUP" => b"/usr/sbin/useradd",
            b"DEL_USER" => b"/usr/sbin/userdel",
            b"USER_CHAUTHTOK" => b"/usr/bin/passwd",
            _ => b"/usr/sbin/usermod",
        };
        let e = self.rec(rtype);
        e.extend_from_slice(b"pid=");
        put_u64(e, u64::from(a.pid));
        e.extend_from_slice(b" uid=0 auid=");
        put_u64(e, u64::from(uid));
        e.extend_from_slice(b" ses=");
        put_u64(e, u64::from(a.ses));
        e.extend_from_slice(b" subj=");
        e.extend_from_slice(SUBJ_USER);
        e.extend_from_slice(b" msg='op=");
        e.extend_from_slice(op);
        if !acct.is_empty() {
            e.extend_from_slice(b" acct=");
            put_encoded(e, acct);
        }
        e.extend_from_slice(b" exe=\"");
        e.extend_from_slice(exe);
        e.extend_from_slice(b"\" hostname=? addr=? terminal=pts/0");
        e.extend_from_slice(if ok {
            b" res=success'"
        } else {
            b" res=failed'"
        });
        self.end(b"", &[(b"UID", 0), (b"AUID", uid)]);
        self.finish(out, false)
    }

    fn service<W: Write>(
        &mut self,
        out: &mut W,
        h: usize,
        t: u64,
        unit: usize,
        start: bool,
    ) -> io::Result<()> {
        self.begin(h, t);
        let e = self.rec(if start {
            b"SERVICE_START"
        } else {
            b"SERVICE_STOP"
        });
        e.extend_from_slice(b"pid=1 uid=0 auid=4294967295 ses=4294967295 subj=");
        e.extend_from_slice(SUBJ_INIT);
        e.extend_from_slice(b" msg='unit=");
        e.extend_from_slice(UNITS[unit].as_bytes());
        e.extend_from_slice(b" comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'");
        self.end(b"", &[(b"UID", 0), (b"AUID", UNSET)]);
        self.finish(out, false)
    }

    /// auditd's own records: 0 rotate, 1 stop (and a start later), 2 start, 3 reconfigure.
    fn daemon<W: Write>(&mut self, out: &mut W, h: usize, t: u64, kind: u64) -> io::Result<()> {
        self.begin_with(h, t, true);
        let pid = self.new_pid(h);
        let auid = if kind == 3 {
            USERS[self.rng.pick(PEOPLE)].1
        } else {
            0
        };
        let e = self.rec(
            [
                &b"DAEMON_ROTATE"[..],
                b"DAEMON_END",
                b"DAEMON_START",
                b"DAEMON_CONFIG",
            ][kind as usize],
        );
        e.extend_from_slice(
            [
                &b"op=rotate-logs"[..],
                b"op=terminate",
                b"op=start",
                b"op=reconfigure",
            ][kind as usize],
        );
        if kind == 2 {
            e.extend_from_slice(b" ver=3.1.5 format=enriched kernel=5.14.0-503.14.1.el9_5.x86_64");
        } else if kind == 3 {
            e.extend_from_slice(b" state=changed");
        }
        e.extend_from_slice(b" auid=");
        put_u64(e, u64::from(if kind == 2 { UNSET } else { auid }));
        e.extend_from_slice(b" pid=");
        put_u64(e, u64::from(if kind == 1 { 1 } else { pid }));
        if kind == 2 {
            e.extend_from_slice(b" uid=0 ses=4294967295");
        }
        e.extend_from_slice(b" subj=");
        e.extend_from_slice([SUBJ_INIT, SUBJ_INIT, SUBJ_AUDITD, SUBJ_USER][kind as usize]);
        e.extend_from_slice(b" res=success");
        self.end(b"", &[(b"AUID", if kind == 2 { UNSET } else { auid })]);
        if kind == 1 {
            let back = self.clock + self.rng.range(3_000, 1_800_000);
            self.hosts[h].down_until = back;
            self.seq += 1;
            self.later.push(Reverse((
                back,
                self.seq,
                Later::DaemonStart { host: h as u8 },
            )));
        }
        self.finish(out, false)
    }

    // ------------------------------------------------------------------------- kernel

    fn syscall(&mut self, p: &Proc, (nr, name): (u32, &[u8]), exit: i64, items: u32, tty: &[u8]) {
        let key = self.keys.map(p.key);
        let a0 = self.rng.range(0x5500_0000_0000, 0x56ff_ffff_ffff);
        let a1 = self.rng.range(0x5500_0000_0000, 0x56ff_ffff_ffff);
        let a2 = self.rng.range(0x5500_0000_0000, 0x56ff_ffff_ffff);
        let a3 = self.rng.range(0x7ff0_0000_0000, 0x7fff_ffff_ffff);
        let e = self.rec(b"SYSCALL");
        e.extend_from_slice(b"arch=c000003e syscall=");
        put_u64(e, u64::from(nr));
        e.extend_from_slice(if exit < 0 {
            b" success=no exit=-"
        } else {
            b" success=yes exit="
        });
        put_u64(e, exit.unsigned_abs());
        for (k, v) in [
            (&b" a0="[..], a0),
            (b" a1=", a1),
            (b" a2=", a2),
            (b" a3=", a3),
        ] {
            e.extend_from_slice(k);
            put_hex(e, v);
        }
        for (k, v) in [
            (&b" items="[..], items),
            (b" ppid=", p.ppid),
            (b" pid=", p.pid),
            (b" auid=", p.auid),
        ] {
            e.extend_from_slice(k);
            put_u64(e, u64::from(v));
        }
        for k in [
            &b" uid="[..],
            b" gid=",
            b" euid=",
            b" suid=",
            b" fsuid=",
            b" egid=",
            b" sgid=",
            b" fsgid=",
        ] {
            e.extend_from_slice(k);
            put_u64(e, u64::from(p.uid));
        }
        e.extend_from_slice(b" tty=");
        e.extend_from_slice(tty);
        e.extend_from_slice(b" ses=");
        put_u64(e, u64::from(p.ses));
        e.extend_from_slice(b" comm=");
        put_encoded(e, p.comm);
        e.extend_from_slice(b" exe=");
        put_encoded(e, p.exe);
        e.extend_from_slice(b" subj=");
        e.extend_from_slice(p.subj);
        e.extend_from_slice(b" key=");
        if key.is_empty() {
            e.extend_from_slice(b"(null)");
        } else {
            put_encoded(e, key);
        }
        let mut pre = [0u8; 40];
        let n = 20 + name.len().min(20);
        pre[..20].copy_from_slice(b"ARCH=x86_64 SYSCALL=");
        pre[20..n].copy_from_slice(&name[..n - 20]);
        let (u, au) = (p.uid, p.auid);
        #[rustfmt::skip]
        let ids: [(&[u8], u32); 9] = [
            (b"AUID", au), (b"UID", u), (b"GID", u), (b"EUID", u), (b"SUID", u),
            (b"FSUID", u), (b"EGID", u), (b"SGID", u), (b"FSGID", u),
        ];
        self.end(&pre[..n], &ids);
    }

    fn path(
        &mut self,
        item: u64,
        name: &[u8],
        inode: u64,
        (mode, obj): (&[u8], &[u8]),
        nametype: &[u8],
    ) {
        let e = self.rec(b"PATH");
        e.extend_from_slice(b"item=");
        put_u64(e, item);
        e.extend_from_slice(b" name=");
        put_encoded(e, name);
        e.extend_from_slice(b" inode=");
        put_u64(e, inode);
        e.extend_from_slice(b" dev=fd:00 mode=");
        e.extend_from_slice(mode);
        e.extend_from_slice(b" ouid=0 ogid=0 rdev=00:00 obj=system_u:object_r:");
        e.extend_from_slice(obj);
        e.extend_from_slice(b":s0 nametype=");
        e.extend_from_slice(nametype);
        e.extend_from_slice(b" cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0");
        self.end(b"", &[(b"OUID", 0), (b"OGID", 0)]);
    }

    fn cwd(&mut self, uid: u32) {
        let e = self.rec(b"CWD");
        e.extend_from_slice(b"cwd=\"");
        match uid {
            UNSET => {}
            0 => e.extend_from_slice(b"/root"),
            _ => {
                e.extend_from_slice(b"/home/");
                e.extend_from_slice(user_name(uid));
            }
        }
        e.extend_from_slice(b"/\"\n");
    }

    /// An execve event of command `c` run by `(uid, auid, ses)`, a few ms after the clock.
    fn execve<W: Write>(
        &mut self,
        out: &mut W,
        h: usize,
        (uid, auid, ses): (u32, u32, u32),
        ppid: u32,
        c: usize,
        why: Why,
    ) -> io::Result<()> {
        self.begin(h, 0);
        let system = matches!(why, Why::Cron | Why::Service);
        let table = Rc::clone(if system { &self.sys_cmds } else { &self.cmds });
        let c = &table[c % table.len()];
        let subj = if system { SUBJ_CRON } else { SUBJ_USER };
        let key: &[u8] = match why {
            Why::Cron => b"cron-job",
            Why::Service => b"",
            Why::Shell => b"exec",
            Why::Sudo => b"priv-cmd",
        };
        let pid = self.new_pid(h);
        let p = Proc {
            pid,
            ppid,
            uid,
            auid,
            ses,
            comm: &c.comm,
            exe: &c.exe,
            subj,
            key,
        };
        self.syscall(
            &p,
            (59, b"execve"),
            0,
            2,
            if ses == UNSET { b"(none)" } else { b"pts0" },
        );
        self.plain(b"EXECVE", &c.execve);
        self.cwd(if auid == UNSET { UNSET } else { uid });
        self.path(0, &c.exe, c.inode, (b"0100755", b"bin_t"), b"NORMAL");
        self.path(
            1,
            b"/lib64/ld-linux-x86-64.so.2",
            1_052_841,
            (b"0100755", b"ld_so_t"),
            b"NORMAL",
        );
        self.plain(b"PROCTITLE", &c.proctitle);
        self.eoe();
        self.finish(out, true)
    }

    fn file_access<W: Write>(&mut self, out: &mut W, h: usize, t: u64) -> io::Result<()> {
        let (nr, name, path, key, obj, mode, root_only, parent) = self.rng.pick(FILE_OPS);
        let (comm, exe) = self.rng.pick(FILE_PROGS);
        let auid = USERS[self.rng.pick(PEOPLE)].1;
        let uid = if self.rng.pct(40) { 0 } else { auid };
        let ses = self.rng.range(1, 5_000) as u32;
        self.begin(h, t);
        let pid = self.new_pid(h);
        let exit = match (root_only && uid != 0, nr) {
            (true, _) => -13,
            (false, 257) => 3,
            _ => 0,
        };
        let (comm, exe, key) = (comm.as_bytes(), exe.as_bytes(), key.as_bytes());
        let p = Proc {
            pid,
            ppid: pid - 9,
            uid,
            auid,
            ses,
            comm,
            exe,
            subj: SUBJ_USER,
            key,
        };
        self.syscall(
            &p,
            (nr, name.as_bytes()),
            exit,
            1 + u32::from(parent),
            b"pts1",
        );
        self.cwd(uid);
        let inode = 2_000_000 + path.len() as u64 * 7_919;
        let (mode, obj) = (mode.as_bytes(), obj.as_bytes());
        if parent {
            let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            self.path(0, dir.as_bytes(), inode - 17, (b"040755", obj), b"PARENT");
            let nametype: &[u8] = if nr == 82 { b"CREATE" } else { b"DELETE" };
            self.path(1, path.as_bytes(), inode, (mode, obj), nametype);
        } else {
            self.path(0, path.as_bytes(), inode, (mode, obj), b"NORMAL");
        }
        let e = self.rec(b"PROCTITLE");
        e.extend_from_slice(b"proctitle=");
        put_hex_upper(e, comm);
        e.extend_from_slice(b"00");
        put_hex_upper(e, path.as_bytes());
        e.push(b'\n');
        self.eoe();
        self.finish(out, true)
    }

    /// An SELinux denial; one in four starts a burst of 3-24 more of the same denial, as a
    /// confined service retrying what policy denies does.
    fn avc<W: Write>(&mut self, out: &mut W, h: usize, t: u64) -> io::Result<()> {
        let d = self.rng.below(DENIALS.len() as u64) as u8;
        self.avc_of(out, h, t, d)?;
        if self.rng.pct(25) {
            let left = self.rng.range(3, 24) as u8;
            self.schedule(
                (50, 2_000),
                Later::Avc {
                    host: h as u8,
                    denial: d,
                    left,
                },
            );
        }
        Ok(())
    }

    fn avc_of<W: Write>(&mut self, out: &mut W, h: usize, t: u64, d: u8) -> io::Result<()> {
        let (comm, exe, domain, name, target, uid) = DENIALS[usize::from(d)];
        let permissive = self.rng.pct(20);
        self.begin(h, t);
        let pid = self.new_pid(h);
        let inode = self.rng.range(3_000_000, 3_900_000);
        let e = self.rec(b"AVC");
        e.extend_from_slice(b"avc:  denied  { read } for  pid=");
        put_u64(e, u64::from(pid));
        e.extend_from_slice(b" comm=\"");
        e.extend_from_slice(comm.as_bytes());
        e.extend_from_slice(b"\" name=\"");
        e.extend_from_slice(name.as_bytes());
        e.extend_from_slice(b"\" dev=\"dm-0\" ino=");
        put_u64(e, inode);
        e.extend_from_slice(b" scontext=system_u:system_r:");
        e.extend_from_slice(domain.as_bytes());
        e.extend_from_slice(b":s0 tcontext=unconfined_u:object_r:");
        e.extend_from_slice(target.as_bytes());
        e.extend_from_slice(if permissive {
            b":s0 tclass=file permissive=1\n"
        } else {
            b":s0 tclass=file permissive=0\n"
        });
        let subj = [&b"system_u:system_r:"[..], domain.as_bytes(), b":s0"].concat();
        let (comm, exe) = (comm.as_bytes(), exe.as_bytes());
        let p = Proc {
            pid,
            ppid: 1,
            uid,
            auid: UNSET,
            ses: UNSET,
            comm,
            exe,
            subj: &subj,
            key: b"",
        };
        self.syscall(
            &p,
            (257, b"openat"),
            if permissive { 14 } else { -13 },
            1,
            b"(none)",
        );
        let e = self.rec(b"PROCTITLE");
        e.extend_from_slice(b"proctitle=");
        put_encoded(e, comm);
        e.push(b'\n');
        self.eoe();
        self.finish(out, true)
    }

    /// chronyd steering the clock (adjtimex or clock_settime): the CIS, PCI and STIG rule
    /// sets all watch these calls (`time-change`), so such hosts log one every few minutes.
    fn time_change<W: Write>(&mut self, out: &mut W, h: usize, t: u64) -> io::Result<()> {
        self.begin(h, t);
        let settime = self.rng.pct(5);
        let p = Proc {
            pid: 700 + h as u32,
            ppid: 1,
            uid: 998,
            auid: UNSET,
            ses: UNSET,
            comm: b"chronyd",
            exe: b"/usr/sbin/chronyd",
            subj: b"system_u:system_r:chronyd_t:s0",
            key: b"time-change",
        };
        let call: (u32, &[u8]) = if settime {
            (227, b"clock_settime")
        } else {
            (159, b"adjtimex")
        };
        self.syscall(&p, call, if settime { 0 } else { 5 }, 0, b"(none)");
        self.plain(
            b"PROCTITLE",
            b"proctitle=2F7573722F7362696E2F6368726F6E7964002D46002D31",
        );
        self.eoe();
        self.finish(out, true)
    }

    /// An audit rule added or removed with auditctl by a person.
    fn config_change<W: Write>(&mut self, out: &mut W, h: usize, t: u64) -> io::Result<()> {
        let auid = USERS[self.rng.pick(ADMINS)].1;
        let ses = self.rng.range(1, 5_000) as u32;
        let add = self.rng.pct(60);
        let key = self
            .rng
            .pick(&["identity", "exec", "sudoers", "time-change", "perm_mod"]);
        self.begin(h, t);
        let pid = self.new_pid(h);
        let e = self.rec(b"CONFIG_CHANGE");
        e.extend_from_slice(b"auid=");
        put_u64(e, u64::from(auid));
        e.extend_from_slice(b" ses=");
        put_u64(e, u64::from(ses));
        e.extend_from_slice(b" subj=");
        e.extend_from_slice(SUBJ_USER);
        e.extend_from_slice(if add {
            b" op=add_rule key=\""
        } else {
            b" op=remove_rule key=\""
        });
        e.extend_from_slice(key.as_bytes());
        e.extend_from_slice(b"\" list=4 res=1");
        self.end(b"", &[(b"AUID", auid)]);
        let (comm, exe) = (&b"auditctl"[..], &b"/usr/sbin/auditctl"[..]);
        let p = Proc {
            pid,
            ppid: pid - 3,
            uid: 0,
            auid,
            ses,
            comm,
            exe,
            subj: SUBJ_USER,
            key: b"",
        };
        self.syscall(&p, (44, b"sendto"), 1_072, 0, b"pts0");
        let title: &[u8] = if add {
            b"auditctl\0-R\0/etc/audit/audit.rules"
        } else {
            b"auditctl\0-D"
        };
        let e = self.rec(b"PROCTITLE");
        e.extend_from_slice(b"proctitle=");
        put_hex_upper(e, title);
        e.push(b'\n');
        self.eoe();
        self.finish(out, true)
    }

    fn abend<W: Write>(&mut self, out: &mut W, h: usize, t: u64) -> io::Result<()> {
        let uid = USERS[self.rng.pick(PEOPLE)].1;
        let ses = self.rng.range(1, 5_000);
        self.begin(h, t);
        let pid = self.new_pid(h);
        let e = self.rec(b"ANOM_ABEND");
        for (k, v) in [
            (&b"auid="[..], u64::from(uid)),
            (b" uid=", u64::from(uid)),
            (b" gid=", u64::from(uid)),
            (b" ses=", ses),
        ] {
            e.extend_from_slice(k);
            put_u64(e, v);
        }
        e.extend_from_slice(b" subj=");
        e.extend_from_slice(SUBJ_USER);
        e.extend_from_slice(b" pid=");
        put_u64(e, u64::from(pid));
        e.extend_from_slice(b" comm=\"reportgen\" exe=\"/opt/reports/bin/reportgen\" sig=11 res=1");
        self.end(b"", &[(b"AUID", uid), (b"UID", uid), (b"GID", uid)]);
        self.finish(out, true)
    }

    // ------------------------------------------------------------------------- driver

    fn run_later<W: Write>(&mut self, out: &mut W, at: u64, what: Later) -> io::Result<()> {
        match what {
            Later::Close(a) => {
                self.clock = self.clock.max(at);
                let steps =
                    [SSHD_CLOSE, CRON_CLOSE, SUDO_CLOSE, SU_CLOSE][usize::from(a.prog.min(3))];
                self.steps(out, &a, steps, true)
            }
            Later::ServiceStop { host, unit } => {
                self.service(out, usize::from(host), at, usize::from(unit), false)
            }
            Later::DaemonStart { host } => self.daemon(out, usize::from(host), at, 2),
            Later::Avc { host, denial, left } => {
                self.avc_of(out, usize::from(host), at, denial)?;
                if left > 1 {
                    let left = left - 1;
                    self.schedule((50, 2_000), Later::Avc { host, denial, left });
                }
                Ok(())
            }
            Later::SshFail { actor, left } => {
                self.clock = self.clock.max(at);
                self.steps(out, &actor, SSHD_FAIL, false)?;
                if left > 1 {
                    self.schedule(
                        (2_000, 10_000),
                        Later::SshFail {
                            actor,
                            left: left - 1,
                        },
                    );
                }
                Ok(())
            }
        }
    }

    /// Writes events until `size` bytes have been written.
    fn run<W: Write>(&mut self, out: &mut W, size: u64, gap_ms: u64) -> io::Result<()> {
        // (weight, interactive): interactive kinds are five times rarer at night.
        #[rustfmt::skip]
        const KINDS: &[(u64, bool)] = &[
            (700, false), // 0 execve
            (320, false), // 1 file access
            (15, false),  // 2 AVC denial
            (25, false),  // 3 cron session
            (20, true),   // 4 ssh login
            (25, false),  // 5 failed ssh attempt
            (40, true),   // 6 sudo
            (30, false),  // 7 service start (stop later)
            (10, true),   // 8 su
            (3, true),    // 9 account change
            (3, false),   // 10 CONFIG_CHANGE
            (3, false),   // 11 ANOM_ABEND
            (2, false),   // 12 auditd
            (90, false),  // 13 time-change (chronyd)
        ];
        let weight = |k: &(u64, bool), night: bool| if night && k.1 { k.0 } else { k.0 * 5 };
        let total = |night: bool| KINDS.iter().map(|k| weight(k, night)).sum::<u64>();
        let (total_day, total_night) = (total(false), total(true));
        let mut now = self.clock;
        while self.written < size {
            now += self.rng.below(2 * gap_ms + 1);
            while let Some(&Reverse((at, _, what))) = self.later.peek() {
                if at > now {
                    break;
                }
                self.later.pop();
                let host = match what {
                    Later::Close(a) | Later::SshFail { actor: a, .. } => a.host,
                    Later::ServiceStop { host, .. }
                    | Later::DaemonStart { host }
                    | Later::Avc { host, .. } => host,
                };
                let down = self.hosts[usize::from(host)].down_until;
                if at >= down || matches!(what, Later::DaemonStart { .. }) {
                    self.run_later(out, at, what)?;
                }
            }
            let h = self.rng.below(self.hosts.len() as u64) as usize;
            if now < self.hosts[h].down_until {
                continue; // auditd is not running there: nothing reaches the log
            }
            let night = !(6..20).contains(&((now / 3_600_000) % 24));
            let mut r = self.rng.below(if night { total_night } else { total_day });
            let mut kind = 0;
            while r >= weight(&KINDS[kind], night) {
                r -= weight(&KINDS[kind], night);
                kind += 1;
            }
            match kind {
                0 => {
                    let system = self.rng.pct(25);
                    let uid = USERS[self.rng.pick(PEOPLE)].1;
                    let ses = self.rng.range(1, 5_000) as u32;
                    let ids = if system {
                        (0, UNSET, UNSET)
                    } else {
                        (uid, uid, ses)
                    };
                    let c = self.rng.below(64) as usize;
                    let ppid = self.hosts[h].pid.saturating_sub(7);
                    let why = if system { Why::Service } else { Why::Shell };
                    self.begin_at(now).execve(out, h, ids, ppid, c, why)?;
                }
                1 => self.file_access(out, h, now)?,
                2 => self.avc(out, h, now)?,
                3 => self.begin_at(now).cron(out, h)?,
                4 => self.begin_at(now).ssh_login(out, h)?,
                5 => self.begin_at(now).ssh_failure(out, h)?,
                6 => self.begin_at(now).sudo(out, h)?,
                7 => {
                    let unit = self.rng.below(UNITS.len() as u64) as u8;
                    self.service(out, h, now, usize::from(unit), true)?;
                    self.schedule(
                        (500, 600_000),
                        Later::ServiceStop {
                            host: h as u8,
                            unit,
                        },
                    );
                }
                8 => self.begin_at(now).su(out, h)?,
                9 => self.begin_at(now).account_change(out, h)?,
                10 => self.config_change(out, h, now)?,
                11 => self.abend(out, h, now)?,
                13 => self.time_change(out, h, now)?,
                _ => {
                    let kind = self.rng.pick(&[0, 0, 1, 3]);
                    self.daemon(out, h, now, kind)?;
                }
            }
            now = now.max(self.clock);
        }
        Ok(())
    }

    /// Moves the clock to `t` (if later) before a multi-event conversation starts.
    fn begin_at(&mut self, t: u64) -> &mut Self {
        self.clock = self.clock.max(t);
        self
    }
}

// ------------------------------------------------------------------------------------- CLI

struct Args {
    size: u64,
    hosts: usize,
    start_ms: u64,
    seed: u64,
    gap_ms: u64,
    out: Option<String>,
    keys: KeySet,
}

fn parse_size(s: &str) -> Option<u64> {
    let (num, shift) = match s.as_bytes().last()? {
        b'K' | b'k' => (&s[..s.len() - 1], 10),
        b'M' | b'm' => (&s[..s.len() - 1], 20),
        b'G' | b'g' => (&s[..s.len() - 1], 30),
        _ => (s, 0),
    };
    num.parse::<u64>().ok()?.checked_mul(1 << shift)
}

/// `YYYY-MM-DD` to ms since the epoch (UTC midnight), by H. Hinnant's days-from-civil.
fn parse_date(s: &str) -> Option<u64> {
    let mut it = s.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    if y < 1970 || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let (era, yoe) = (y / 400, y % 400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some(days as u64 * 86_400_000)
}

const USAGE: &str = "usage: generate [--size N[K|M|G]] [--hosts N] [--start YYYY-MM-DD] [--seed N] [--gap-ms N] [--out FILE] [--keys plain|cis|pci|stig]";

/// The options, or `None` for `--help`.
fn parse_args() -> Result<Option<Args>, String> {
    let mut a = Args {
        size: 100 << 20,
        hosts: 20,
        start_ms: parse_date("2026-10-01").unwrap_or(0),
        seed: 7,
        gap_ms: 1_850,
        out: None,
        keys: KeySet::Cis,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = || format!("bad value for {flag}: {value}\n{USAGE}");
        match flag.as_str() {
            "--size" => a.size = parse_size(&value).ok_or_else(bad)?,
            "--hosts" => {
                a.hosts = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=250).contains(n))
                    .ok_or_else(bad)?
            }
            "--start" => a.start_ms = parse_date(&value).ok_or_else(bad)?,
            "--seed" => a.seed = value.parse().map_err(|_| bad())?,
            "--gap-ms" => a.gap_ms = value.parse().ok().filter(|n| *n > 0).ok_or_else(bad)?,
            "--out" => a.out = Some(value),
            "--keys" => a.keys = KeySet::parse(&value).ok_or_else(bad)?,
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    Ok(Some(a))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let sink: Box<dyn Write> = match &args.out {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("error: cannot create {path}: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(8 << 20, sink);
    let mut gen = Gen::new(args.seed, args.hosts, args.start_ms, args.keys);
    match gen
        .run(&mut out, args.size, args.gap_ms)
        .and_then(|()| out.flush())
    {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let span_days = (gen.clock - args.start_ms) as f64 / 86_400_000.0;
    eprintln!(
        "generate: {} bytes, {} events ({} kernel), {} hosts, {:.1} days of log time from {}, {:.2} s, {:.0} MB/s",
        gen.written,
        gen.counts[0] + gen.counts[1],
        gen.counts[1],
        gen.hosts.len(),
        span_days,
        args.start_ms / 1000,
        secs,
        gen.written as f64 / 1e6 / secs.max(1e-9),
    );
    ExitCode::SUCCESS
}
