//! Facts from keyed kernel events: a SYSCALL that an audit rule tagged with a key
//! (`key="identity"`, hex with 0x01 between several keys), with its PATH, CWD, PROCTITLE and
//! EXECVE records.
//!
//! Compliance hosts log millions of these, so they are read in two steps. [`read`] looks
//! at the event once without allocating (the keys of a plain `key="..."` are borrowed) and
//! gives a [`WatchView`]: keys, syscall, result, ids, object paths. The aggregator counts
//! from the view and calls [`WatchView::fact`] only for the events it keeps in a list
//! (the first ones, and those a finding rule reads), which decodes the command line and
//! names the ids.
//!
//! The *operation* is derived from the syscall and the PATH records' `nametype`: `exec`
//! (execve), `read`/`write`/`create`/`open` (the open flags: `O_WRONLY`/`O_RDWR`/`O_TRUNC`
//! write; a `CREATE` item creates; `openat2` hides its flags: `open`), `delete`, `rename`
//! (the `DELETE` item is the old name, the `CREATE` item the new one), `link`, `chmod`,
//! `chown`, `setxattr` (and removexattr), `mount`, `umount`, `module-load`, `module-unload`,
//! `time-change`, `set-hostname`, `set-id` (setuid and friends); else `other` with the
//! syscall named. Relative PATH names are joined to the CWD record's directory.

use super::command::{execve_args, text_of};
pub use super::command::{module_from_command, COMMAND_MAX};
use super::errno;
use super::fact::{Detail, Fact, Principal, Text};
use super::kernel_fields::{kernel_fields, only_field};
use super::kind::{Kind, Outcome};
use super::names::NameResolver;
pub use super::operation::Operation;
use super::operation::{class_of, class_of_number, OpClass};
pub use super::paths::{is_identity_file, is_sudoers, is_under, normalize, IDENTITY_FILES};
use super::rules::{principal, IdKind};
use super::syscalls::Arch;
use crate::model::{RecordType, Source};
use crate::parse::decode::{decoded, hex_decode, looks_hex, split_list, to_text};
use crate::parse::{Event, Field, Fields};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A file or directory an event names (one PATH record).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    /// The path, joined to the working directory when the log gave a relative name.
    pub path: Text,
    /// `NORMAL`, `CREATE`, `DELETE`, `PARENT`, `UNKNOWN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nametype: Option<Text>,
}

/// The details of a keyed kernel event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watch {
    /// The rule keys, decoded.
    pub keys: Vec<String>,
    /// Their meanings (see [`super::meaning`]), filled in by the aggregator.
    pub meanings: Vec<String>,
    /// `x86_64`, `aarch64`, or the `arch=` value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<Text>,
    /// The syscall's name (its number when the architecture is not known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syscall: Option<Text>,
    /// What it did.
    pub operation: Operation,
    /// The `exit=` value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit: Option<i64>,
    /// The error name of a negative exit (`EACCES`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "errno::deserialize"
    )]
    pub errno: Option<errno::Name>,
    /// The effective user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub euid: Option<Principal>,
    /// The command name (`comm=`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comm: Option<Text>,
    /// The command line (EXECVE arguments, else PROCTITLE).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Text>,
    /// The working directory (CWD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<Text>,
    /// The objects (PATH records), in item order.
    pub objects: Vec<Object>,
    /// For a module load or unload: the module, from the command line (`modprobe wireguard`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<Text>,
}

impl Watch {
    /// The object that matters: the first that is not a `PARENT` directory; for a module
    /// load without one (`init_module` names no file), the module.
    pub fn object(&self) -> Option<&str> {
        self.objects
            .iter()
            .find(|o| o.nametype.as_deref() != Some("PARENT"))
            .or(self.objects.first())
            .map(|o| o.path.as_str())
            .or(self.module.as_deref())
    }

    /// For a rename: (old name, new name).
    pub fn rename_pair(&self) -> Option<(&str, &str)> {
        if self.operation != Operation::Rename {
            return None;
        }
        let of = |t: &str| {
            self.objects
                .iter()
                .find(|o| o.nametype.as_deref() == Some(t))
                .map(|o| o.path.as_str())
        };
        Some((of("DELETE")?, of("CREATE")?))
    }

    /// The object as a report shows it: `old -> new` for a rename, else [`Watch::object`].
    pub fn object_text(&self) -> String {
        match self.rename_pair() {
            Some((from, to)) => format!("{from} -> {to}"),
            None => self.object().unwrap_or("").to_string(),
        }
    }
}

/// Most PATH records read per event (an event names one to five; a rename four).
const MAX_PATHS: usize = 6;

/// A keyed event as read from its records, borrowing from the event. Only what every
/// event is counted by is read at once (keys, syscall, result, exit, auid, where the PATH,
/// CWD and PROCTITLE records are); the rest is read when asked for, which for most events
/// it never is.
pub struct WatchView<'e> {
    event: &'e Event,
    sys: usize,
    body: &'e [u8],
    enriched: &'e [u8],
    keys: Cow<'e, [u8]>,
    arch: Option<Arch>,
    nr: Option<u32>,
    success: Option<bool>,
    exit: Option<i64>,
    a1: &'e [u8],
    a2: &'e [u8],
    auid: &'e [u8],
    /// Record indices of the PATH records (the first [`MAX_PATHS`]).
    paths: [u32; MAX_PATHS],
    npaths: usize,
    cwd: Option<u32>,
    proctitle: Option<u32>,
    has_execve: bool,
}

/// The SYSCALL fields only a fact needs.
#[derive(Default)]
struct Details<'e> {
    arch: &'e [u8],
    uid: &'e [u8],
    euid: &'e [u8],
    comm: Option<Field<'e>>,
    exe: Option<Field<'e>>,
}

/// What [`read`] found.
pub enum Watched<'e> {
    /// No SYSCALL record.
    NotSyscall,
    /// A SYSCALL without a key (`key=(null)`).
    Keyless,
    /// A keyed SYSCALL.
    Keyed(WatchView<'e>),
}

/// Reads the SYSCALL of `event` and, when it carries a key, where its other records are.
pub fn read(event: &Event) -> Watched<'_> {
    let meta = event.record_meta();
    let Some(sys) = meta.iter().position(|m| m.rtype == RecordType::SYSCALL) else {
        return Watched::NotSyscall;
    };
    let Some(rec) = event.record(sys) else {
        return Watched::NotSyscall;
    };
    // Cheap first: most keyless events stop here.
    let Some(keys) = key_field(rec.body) else {
        return Watched::Keyless;
    };
    let mut v = WatchView {
        event,
        sys,
        body: rec.body,
        enriched: rec.enriched,
        keys,
        arch: None,
        nr: None,
        success: None,
        exit: None,
        a1: b"",
        a2: b"",
        auid: b"",
        paths: [0; MAX_PATHS],
        npaths: 0,
        cwd: None,
        proctitle: None,
        has_execve: false,
    };
    v.read_head();
    for (i, m) in meta.iter().enumerate() {
        let i = i as u32;
        match m.rtype {
            RecordType::PATH if v.npaths < MAX_PATHS => {
                v.paths[v.npaths] = i;
                v.npaths += 1;
            }
            RecordType::CWD => v.cwd = Some(i),
            RecordType::PROCTITLE => v.proctitle = Some(i),
            RecordType::EXECVE => v.has_execve = true,
            _ => {}
        }
    }
    Watched::Keyed(v)
}
/// The decoded key value of a SYSCALL body (several keys joined by 0x01), or `None` for
/// `key=(null)` and a missing key. A value written as `key=x` (some plugins) loses the
/// prefix.
fn key_field(body: &[u8]) -> Option<Cow<'_, [u8]>> {
    static KEY: std::sync::LazyLock<memchr::memmem::FinderRev<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::FinderRev::new(b" key="));
    // The key is the last field: search from the end.
    let at = KEY.rfind(body)? + 5;
    let v = &body[at..];
    let value: Cow<'_, [u8]> = if let Some(q) = v.strip_prefix(b"\"") {
        let end = memchr::memchr(b'"', q).unwrap_or(q.len());
        Cow::Borrowed(&q[..end])
    } else {
        let end = memchr::memchr2(b' ', 0x1d, v).unwrap_or(v.len());
        let raw = &v[..end];
        if !looks_hex(raw) {
            return None; // (null), or not a value auditd writes
        }
        Cow::Owned(hex_decode(raw)?)
    };
    let value = match value {
        Cow::Borrowed(b) => Cow::Borrowed(b.strip_prefix(b"key=").unwrap_or(b)),
        Cow::Owned(b) => match b.strip_prefix(b"key=") {
            Some(rest) => Cow::Owned(rest.to_vec()),
            None => Cow::Owned(b),
        },
    };
    value
        .split(|&b| b == 1)
        .any(|k| !k.is_empty())
        .then_some(value)
}

impl<'e> WatchView<'e> {
    /// arch, syscall, success, exit and the arguments holding open flags (the kernel writes
    /// them first), then auid.
    fn read_head(&mut self) {
        use std::sync::LazyLock;
        static AUID: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new(b" auid="));
        let mut fields = kernel_fields(self.body);
        while let Some(f) = fields.next() {
            match f.key {
                b"arch" => self.arch = Arch::from_field(f.value),
                b"syscall" => self.nr = crate::model::parse_u32(f.value),
                b"success" => self.success = Some(f.value == b"yes"),
                b"exit" => self.exit = parse_i64(f.value),
                b"a1" => self.a1 = f.value,
                b"a2" => {
                    self.a2 = f.value;
                    // a3 .. pid say nothing here: go on at auid (the kernel's order).
                    fields.skip_to(&AUID);
                }
                b"auid" => {
                    self.auid = f.value;
                    return;
                }
                _ => {}
            }
        }
    }

    /// The SYSCALL fields a fact needs besides those read at once.
    fn details(&self) -> Details<'e> {
        let mut d = Details::default();
        for f in kernel_fields(self.body) {
            match f.key {
                b"arch" => d.arch = f.value,
                b"uid" => d.uid = f.value,
                b"euid" => d.euid = f.value,
                b"comm" => d.comm = Some(f),
                b"exe" => {
                    d.exe = Some(f);
                    break;
                }
                _ => {}
            }
        }
        d
    }

    fn body_of(&self, i: u32) -> &'e [u8] {
        self.event
            .record(i as usize)
            .map(|r| r.body)
            .unwrap_or_default()
    }

    /// The `name=` of each PATH record, with its record index.
    pub(crate) fn names(&self) -> impl Iterator<Item = (u32, Field<'e>)> + '_ {
        self.paths[..self.npaths].iter().filter_map(|&i| {
            kernel_fields(self.body_of(i))
                .take(3)
                .find(|f| f.key == b"name")
                .filter(|f| !f.is_absent())
                .map(|f| (i, f))
        })
    }

    /// The `nametype=` of the PATH record at index `i`.
    pub(crate) fn nametype(&self, i: u32) -> &'e [u8] {
        use std::sync::LazyLock;
        static NAMETYPE: LazyLock<memchr::memmem::FinderRev<'static>> =
            LazyLock::new(|| memchr::memmem::FinderRev::new(b" nametype="));
        let b = self.body_of(i);
        NAMETYPE
            .rfind(b)
            .and_then(|at| kernel_fields(&b[at + 1..]).next())
            .map_or(&b""[..], |f| f.value)
    }

    /// The rule keys, decoded (never empty).
    pub fn keys(&self) -> impl Iterator<Item = &[u8]> {
        self.keys.split(|&b| b == 1).filter(|k| !k.is_empty())
    }

    /// The record's result: `success=yes` succeeded, anything else failed.
    pub fn result(&self) -> Outcome {
        match self.success {
            Some(true) => Outcome::Success,
            Some(false) => Outcome::Failed,
            None => Outcome::Unset,
        }
    }

    /// The `exit=` value.
    pub fn exit(&self) -> Option<i64> {
        self.exit
    }

    /// The login id, when set (`None` for unset, absent or not a number).
    pub fn auid(&self) -> Option<u32> {
        if crate::parse::decode::is_unset_id(self.auid) {
            return None;
        }
        crate::model::parse_u32(self.auid)
    }

    /// The syscall's name, when known (for other architectures, ENRICHED's `SYSCALL=`).
    pub fn syscall_name(&self) -> Option<&'e str> {
        match (self.arch, self.nr) {
            (Some(a), Some(nr)) => a.syscall(nr),
            _ => Fields::enriched(self.enriched)
                .find(|f| f.key == b"SYSCALL")
                .and_then(|f| std::str::from_utf8(f.value).ok()),
        }
    }

    fn class(&self) -> OpClass {
        match (self.arch, self.nr) {
            (Some(a), Some(nr)) => class_of_number(a, nr),
            _ => class_of(self.syscall_name()),
        }
    }

    /// The operation when the syscall alone decides it (mount, module load, exec, ...);
    /// `None` for opens and syscalls the tables do not know.
    pub fn fixed_operation(&self) -> Option<Operation> {
        match self.class() {
            OpClass::Fixed(op) => Some(op),
            _ => None,
        }
    }

    /// False only when the event surely changed nothing (an exec, a read, an open without
    /// write, create or truncate flags): such events need not have their objects read to
    /// know whether they changed a protected file.
    pub fn may_change(&self) -> bool {
        let flags = |f: &[u8]| u64::from_str_radix(&to_text(f), 16).ok();
        // O_WRONLY, O_RDWR, O_CREAT, O_TRUNC.
        let writes = |f: Option<u64>| f.is_none_or(|f| f & (3 | 0o100 | 0o1000) != 0);
        match self.class() {
            OpClass::Fixed(op) => op.changes() || op == Operation::Other,
            OpClass::OpenA1 => writes(flags(self.a1)),
            OpClass::OpenA2 => writes(flags(self.a2)),
            OpClass::OpenHidden | OpClass::ByNametype => true,
        }
    }

    /// What the event did.
    pub fn operation(&self) -> Operation {
        use Operation::*;
        let nametype = |t: &[u8]| {
            self.paths[..self.npaths]
                .iter()
                .any(|&i| self.nametype(i) == t)
        };
        let open = |flags: &[u8]| {
            if nametype(b"CREATE") {
                return Create;
            }
            match u64::from_str_radix(&to_text(flags), 16) {
                // O_WRONLY, O_RDWR or O_TRUNC.
                Ok(f) if f & 3 != 0 || f & 0o1000 != 0 => Write,
                Ok(_) => Read,
                Err(_) => Open,
            }
        };
        match self.class() {
            OpClass::Fixed(op) => op,
            OpClass::OpenA1 => open(self.a1),
            OpClass::OpenA2 => open(self.a2),
            OpClass::OpenHidden if nametype(b"CREATE") => Create,
            OpClass::OpenHidden => Open,
            OpClass::ByNametype => {
                if nametype(b"CREATE") && nametype(b"DELETE") {
                    Rename
                } else if nametype(b"CREATE") {
                    Create
                } else if nametype(b"DELETE") {
                    Delete
                } else {
                    Other
                }
            }
        }
    }

    /// The object paths (PATH names, relative ones joined to the CWD), with their
    /// nametypes, in item order.
    pub fn objects(&self) -> impl Iterator<Item = (Cow<'e, str>, &'e [u8])> + '_ {
        self.names()
            .map(|(i, name)| (self.path_of(&name), self.nametype(i)))
    }

    /// The path a PATH `name=` field names: decoded, joined to the CWD when relative,
    /// normalised.
    pub(crate) fn path_of(&self, name: &Field<'e>) -> Cow<'e, str> {
        let text = text_of(name, RecordType::PATH);
        if text.starts_with('/') {
            return match normalize(&text) {
                Cow::Borrowed(_) => text,
                Cow::Owned(n) => Cow::Owned(n),
            };
        }
        match self.cwd_field() {
            Some(cwd) => {
                let dir = text_of(&cwd, RecordType::CWD);
                let joined = format!("{}/{text}", dir.trim_end_matches('/'));
                Cow::Owned(normalize(&joined).into_owned())
            }
            None => text,
        }
    }

    fn cwd_field(&self) -> Option<Field<'e>> {
        only_field(self.body_of(self.cwd?), b"cwd").filter(|f| !f.is_absent())
    }

    /// The executable, decoded.
    pub fn exe(&self) -> Option<Cow<'e, str>> {
        self.details()
            .exe
            .filter(|f| !f.is_absent())
            .map(|f| text_of(&f, RecordType::SYSCALL))
    }

    /// The fact for this event, with ids named by the log's ENRICHED values or `names`.
    /// `meanings` are the keys' meanings (the aggregator resolves them).
    pub fn fact(&self, names: &NameResolver, meanings: Vec<String>) -> Fact {
        let d = self.details();
        let en = |k: &[u8]| {
            Fields::enriched(self.enriched)
                .find(|f| f.key == k)
                .map(|f| Text::from(to_text(f.value)))
        };
        let id = |raw: &[u8], k: &[u8]| principal(raw, en(k), names, IdKind::User);
        let stamp = self.event.stamp();
        let source: Source = self.event.record_meta()[self.sys].source;
        let operation = self.operation();
        let watch = Watch {
            keys: self.keys().map(|k| to_text(k).into_owned()).collect(),
            meanings,
            arch: match self.arch {
                Some(a) => Some(Text::from(a.name())),
                None => (!d.arch.is_empty()).then(|| Text::from(to_text(d.arch))),
            },
            syscall: self
                .syscall_name()
                .map(Text::from)
                .or_else(|| self.nr.map(|n| compact_str::format_compact!("{n}"))),
            operation,
            exit: self.exit,
            errno: self.exit.and_then(errno::name),
            euid: id(d.euid, b"EUID"),
            comm: d
                .comm
                .as_ref()
                .filter(|f| !f.is_absent())
                .map(|f| Text::from(text_of(f, RecordType::SYSCALL))),
            command: self.command().map(Text::from),
            cwd: self
                .cwd_field()
                .map(|f| Text::from(text_of(&f, RecordType::CWD))),
            objects: self
                .objects()
                .map(|(path, t)| Object {
                    path: Text::from(path),
                    nametype: (!t.is_empty()).then(|| Text::from(to_text(t))),
                })
                .collect(),
            module: matches!(operation, Operation::ModuleLoad | Operation::ModuleUnload)
                .then(|| {
                    self.kern_module_name()
                        .or_else(|| module_from_command(self.event))
                })
                .flatten()
                .map(Text::from),
        };
        Fact {
            category: Kind::Watch.category(),
            kind: Kind::Watch,
            rtype: RecordType::SYSCALL,
            time_ms: stamp.time_ms(),
            serial: stamp.serial,
            node: self.event.node().map(|n| Text::from(to_text(n))),
            result: self.result(),
            auid: id(self.auid, b"AUID"),
            uid: id(d.uid, b"UID"),
            target: None,
            op: Some(Text::from(operation.as_str())),
            exe: d
                .exe
                .filter(|f| !f.is_absent())
                .map(|f| Text::from(text_of(&f, RecordType::SYSCALL))),
            terminal: None,
            addr: None,
            hostname: None,
            source,
            detail: Detail::Watch(Box::new(watch)),
        }
    }

    /// The module a KERN_MODULE record of the event names (`name=`).
    fn kern_module_name(&self) -> Option<String> {
        let meta = self.event.record_meta();
        (0..meta.len())
            .filter(|&i| meta[i].rtype == RecordType::KERN_MODULE)
            .find_map(|i| {
                let rec = self.event.record(i)?;
                Fields::body(rec.body)
                    .find(|f| f.key == b"name")
                    .filter(|f| !f.is_absent())
                    .map(|f| text_of(&f, RecordType::KERN_MODULE).into_owned())
            })
    }

    /// The command line: the EXECVE arguments (chunks joined), else the PROCTITLE.
    fn command(&self) -> Option<String> {
        let mut out = String::new();
        if self.has_execve {
            execve_args(self.event, &mut out);
        }
        if out.is_empty() {
            let title = self
                .proctitle
                .and_then(|i| only_field(self.body_of(i), b"proctitle"));
            if let Some(p) = title.filter(|f| !f.is_absent()) {
                let bytes = decoded(&p, RecordType::PROCTITLE);
                for (i, arg) in split_list(&bytes, 0).into_iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(&to_text(arg));
                }
            }
        }
        if out.is_empty() {
            return None;
        }
        if out.len() > COMMAND_MAX {
            let mut cut = COMMAND_MAX;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            let more = out.len() - cut;
            out.truncate(cut);
            out.push_str(&format!(" [... {more} more bytes]"));
        }
        Some(out)
    }
}

/// A signed decimal number (`exit=-13`).
fn parse_i64(v: &[u8]) -> Option<i64> {
    let (neg, digits) = match v.strip_prefix(b"-") {
        Some(d) => (true, d),
        None => (false, v),
    };
    let n = i64::try_from(crate::model::parse_u64(digits)?).ok()?;
    Some(if neg { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::testing::each_event;

    fn view_of(log: &str, check: impl Fn(&WatchView<'_>)) {
        let mut seen = 0;
        each_event(log, 0, |ev| {
            if let Watched::Keyed(v) = read(ev) {
                check(&v);
                seen += 1;
            }
        });
        assert_eq!(seen, 1, "one keyed event in {log}");
    }

    const RENAME: &str = "\
type=SYSCALL msg=audit(1791195906.244:922350): arch=c000003e syscall=82 success=yes exit=0 a0=7ffd1 a1=7ffd2 a2=0 a3=0 items=4 ppid=1 pid=2 auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=5 comm=\"useradd\" exe=\"/usr/sbin/useradd\" key=6964656E746974790131302E322E352E632D6163636F756E7473
type=CWD msg=audit(1791195906.244:922350): cwd=\"/root\"
type=PATH msg=audit(1791195906.244:922350): item=0 name=\"/etc/\" inode=1 dev=fd:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT
type=PATH msg=audit(1791195906.244:922350): item=1 name=\"/etc/\" inode=1 dev=fd:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT
type=PATH msg=audit(1791195906.244:922350): item=2 name=\"passwd+\" inode=2 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=DELETE
type=PATH msg=audit(1791195906.244:922350): item=3 name=\"/etc/passwd\" inode=3 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE
type=PROCTITLE msg=audit(1791195906.244:922350): proctitle=75736572616464002D6D00746D702E636F6E74726163746F72
type=EOE msg=audit(1791195906.244:922350):
";

    #[test]
    fn reads_keys_syscall_objects_and_the_rename_pair() {
        view_of(RENAME, |v| {
            let keys: Vec<&[u8]> = v.keys().collect();
            assert_eq!(keys, vec![&b"identity"[..], b"10.2.5.c-accounts"]);
            assert_eq!(v.syscall_name(), Some("rename"));
            assert_eq!(v.operation(), Operation::Rename);
            assert_eq!(v.auid(), Some(1001));
            let f = v.fact(&NameResolver::empty(), vec!["identity-files".into()]);
            let Detail::Watch(w) = &f.detail else {
                panic!("{f:?}")
            };
            assert_eq!(w.rename_pair(), Some(("/root/passwd+", "/etc/passwd")));
            assert_eq!(w.command.as_deref(), Some("useradd -m tmp.contractor"));
            assert_eq!(w.cwd.as_deref(), Some("/root"));
            assert_eq!(f.source.line, 1);
            assert_eq!(f.exe.as_deref(), Some("/usr/sbin/useradd"));
            assert_eq!(f.op.as_deref(), Some("rename"));
        });
    }

    #[test]
    fn open_flags_decide_read_or_write_and_exit_names_the_error() {
        let open = |flags: &str, success: &str, exit: &str| {
            format!(
                "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=257 success={success} exit={exit} a0=ffffff9c a1=55d0 a2={flags} a3=0 items=1 ppid=1 pid=2 auid=1003 uid=1003 gid=1003 euid=1003 suid=1003 fsuid=1003 egid=1003 sgid=1003 fsgid=1003 tty=pts1 ses=9 comm=\"cat\" exe=\"/usr/bin/cat\" key=\"access\"\ntype=PATH msg=audit(1.0:1): item=0 name=\"/etc/shadow\" inode=5 dev=fd:00 mode=0100000 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\ntype=EOE msg=audit(1.0:1):\n"
            )
        };
        view_of(&open("0", "no", "-13"), |v| {
            assert_eq!(v.operation(), Operation::Read);
            assert_eq!(v.result(), Outcome::Failed);
            let f = v.fact(&NameResolver::empty(), Vec::new());
            let Detail::Watch(w) = &f.detail else {
                panic!()
            };
            assert_eq!(w.errno, Some("EACCES"));
            assert_eq!(w.object(), Some("/etc/shadow"));
        });
        view_of(&open("241", "yes", "3"), |v| {
            assert_eq!(v.operation(), Operation::Write); // O_WRONLY|O_CREAT|O_TRUNC
        });
        view_of(&open("80000", "yes", "3"), |v| {
            assert_eq!(v.operation(), Operation::Read); // O_CLOEXEC only
        });
    }

    #[test]
    fn keyless_and_absent_keys_are_not_keyed() {
        let keyless = "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59 success=yes exit=0 items=0 auid=1 uid=1 comm=\"x\" exe=\"/x\" key=(null)\n";
        let mut n = 0;
        each_event(keyless, 0, |ev| {
            assert!(matches!(read(ev), Watched::Keyless));
            n += 1;
        });
        assert_eq!(n, 1);
        assert!(key_field(b"a=1 key=\"key=net\"").is_some_and(|k| &*k == b"net"));
        assert!(key_field(b"a=1 key=\"\"").is_none());
        assert!(key_field(b"a=1").is_none());
    }

    #[test]
    fn aarch64_numbers_and_execve_arguments() {
        let log = "\
type=SYSCALL msg=audit(1.0:7): arch=c00000b7 syscall=221 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=1 pid=2 auid=1001 uid=1001 gid=1001 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"sudo\" exe=\"/usr/bin/sudo\" key=\"privileged\"
type=EXECVE msg=audit(1.0:7): argc=3 a0=\"sudo\" a1=\"-i\" a2=6120620A
type=PATH msg=audit(1.0:7): item=0 name=\"/usr/bin/sudo\" inode=1 dev=fd:00 mode=0104111 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL
type=EOE msg=audit(1.0:7):
";
        view_of(log, |v| {
            assert_eq!(v.syscall_name(), Some("execve"));
            assert_eq!(v.operation(), Operation::Exec);
            let f = v.fact(&NameResolver::empty(), Vec::new());
            let Detail::Watch(w) = &f.detail else {
                panic!()
            };
            assert_eq!(w.command.as_deref(), Some("sudo -i a b\n"));
            assert_eq!(w.arch.as_deref(), Some("aarch64"));
            assert_eq!(w.euid.as_ref().map(|p| p.id), Some(Some(0)));
        });
    }

    #[test]
    fn a_module_load_names_the_module_from_its_command_line() {
        let log = "\
type=SYSCALL msg=audit(1.0:8): arch=c000003e syscall=313 success=yes exit=0 a0=3 a1=5621 a2=0 a3=0 items=0 ppid=1 pid=2 auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"modprobe\" exe=\"/usr/bin/kmod\" key=\"modules\"
type=PROCTITLE msg=audit(1.0:8): proctitle=6D6F6470726F626500776972656775617264
type=EOE msg=audit(1.0:8):
";
        view_of(log, |v| {
            assert_eq!(v.operation(), Operation::ModuleLoad);
            let f = v.fact(&NameResolver::empty(), Vec::new());
            let Detail::Watch(w) = &f.detail else {
                panic!()
            };
            assert_eq!(w.module.as_deref(), Some("wireguard"));
            assert_eq!(w.object_text(), "wireguard");
        });
        // The KERN_MODULE record's name wins over the command line.
        let with_record = log.replace(
            "type=EOE",
            "type=KERN_MODULE msg=audit(1.0:8): name=\"wg\"\ntype=EOE",
        );
        view_of(&with_record, |v| {
            let f = v.fact(&NameResolver::empty(), Vec::new());
            let Detail::Watch(w) = &f.detail else {
                panic!()
            };
            assert_eq!(w.module.as_deref(), Some("wg"));
        });
    }
}
