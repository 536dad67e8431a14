//! What a keyed event did: the [`Operation`] derived from its syscall (x86_64 and aarch64
//! numbers, see [`super::syscalls`]), the open flags and the PATH records' nametypes.

use super::syscalls::Arch;
use serde::{Deserialize, Serialize};

/// What a keyed event did, derived from its syscall and PATH records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operation {
    /// An open for reading; also ausearch-style reads.
    Read,
    /// An open whose flags the log does not show (`openat2`).
    Open,
    /// An open for writing or truncation, truncate.
    Write,
    /// creat, mkdir, mknod, an open that created the file.
    Create,
    /// unlink, rmdir.
    Delete,
    /// rename (the pair is in the objects: `DELETE` old, `CREATE` new).
    Rename,
    /// link, symlink.
    Link,
    /// chmod and friends.
    Chmod,
    /// chown and friends.
    Chown,
    /// setxattr, removexattr and friends.
    Setxattr,
    /// execve, execveat.
    Exec,
    /// mount, fsmount, move_mount, mount_setattr.
    Mount,
    /// umount, umount2.
    Umount,
    /// init_module, finit_module.
    ModuleLoad,
    /// delete_module.
    ModuleUnload,
    /// adjtimex, settimeofday, clock_settime, clock_adjtime, stime.
    TimeChange,
    /// sethostname, setdomainname.
    SetHostname,
    /// setuid, setresuid, setgid, setgroups and friends.
    SetId,
    /// Anything else (the syscall is named in the fact).
    Other,
}

impl Operation {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        use Operation::*;
        match self {
            Read => "read",
            Open => "open",
            Write => "write",
            Create => "create",
            Delete => "delete",
            Rename => "rename",
            Link => "link",
            Chmod => "chmod",
            Chown => "chown",
            Setxattr => "setxattr",
            Exec => "exec",
            Mount => "mount",
            Umount => "umount",
            ModuleLoad => "module-load",
            ModuleUnload => "module-unload",
            TimeChange => "time-change",
            SetHostname => "set-hostname",
            SetId => "set-id",
            Other => "other",
        }
    }

    /// True for operations that change a file's content, name or existence (not its
    /// metadata): write, create, delete, rename, link.
    pub fn modifies(self) -> bool {
        use Operation::*;
        matches!(self, Write | Create | Delete | Rename | Link)
    }

    /// True for [`Operation::modifies`] and the metadata changes (chmod, chown, setxattr).
    pub fn changes(self) -> bool {
        use Operation::*;
        self.modifies() || matches!(self, Chmod | Chown | Setxattr)
    }
}

/// How a syscall's operation is found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OpClass {
    /// Always this operation.
    Fixed(Operation),
    /// An open whose flags are in `a1` (`open`).
    OpenA1,
    /// An open whose flags are in `a2` (`openat`, `open_by_handle_at`).
    OpenA2,
    /// An open whose flags the log does not show (`openat2`).
    OpenHidden,
    /// Unknown: from the PATH records' nametypes.
    ByNametype,
}

/// The operation class of a syscall name.
pub(crate) fn class_of(name: Option<&str>) -> OpClass {
    use Operation::*;
    OpClass::Fixed(match name {
        Some("execve" | "execveat") => Exec,
        Some("open") => return OpClass::OpenA1,
        Some("openat" | "open_by_handle_at") => return OpClass::OpenA2,
        Some("openat2") => return OpClass::OpenHidden,
        Some("creat" | "mkdir" | "mkdirat" | "mknod" | "mknodat") => Create,
        Some("truncate" | "ftruncate") => Write,
        Some("unlink" | "unlinkat" | "rmdir") => Delete,
        Some("rename" | "renameat" | "renameat2") => Rename,
        Some("link" | "linkat" | "symlink" | "symlinkat") => Link,
        Some("chmod" | "fchmod" | "fchmodat" | "fchmodat2") => Chmod,
        Some("chown" | "fchown" | "lchown" | "fchownat") => Chown,
        Some(
            "setxattr" | "lsetxattr" | "fsetxattr" | "removexattr" | "lremovexattr"
            | "fremovexattr",
        ) => Setxattr,
        Some("mount" | "fsmount" | "move_mount" | "mount_setattr") => Mount,
        Some("umount" | "umount2") => Umount,
        Some("init_module" | "finit_module") => ModuleLoad,
        Some("delete_module") => ModuleUnload,
        Some("adjtimex" | "settimeofday" | "clock_settime" | "clock_adjtime" | "stime") => {
            TimeChange
        }
        Some("sethostname" | "setdomainname") => SetHostname,
        Some(
            "setuid" | "setreuid" | "setresuid" | "setfsuid" | "setgid" | "setregid" | "setresgid"
            | "setfsgid" | "setgroups",
        ) => SetId,
        _ => return OpClass::ByNametype,
    })
}

/// Highest syscall number the class tables cover (the rest go by name).
const CLASS_TABLE_LEN: u32 = 512;

/// The operation class by number, from tables built once per architecture.
pub(crate) fn class_of_number(arch: Arch, nr: u32) -> OpClass {
    use std::sync::LazyLock;
    fn build(arch: Arch) -> Vec<OpClass> {
        (0..CLASS_TABLE_LEN)
            .map(|nr| class_of(arch.syscall(nr)))
            .collect()
    }
    static X86_64: LazyLock<Vec<OpClass>> = LazyLock::new(|| build(Arch::X86_64));
    static AARCH64: LazyLock<Vec<OpClass>> = LazyLock::new(|| build(Arch::Aarch64));
    let table = match arch {
        Arch::X86_64 => &X86_64,
        Arch::Aarch64 => &AARCH64,
    };
    table
        .get(nr as usize)
        .copied()
        .unwrap_or_else(|| class_of(arch.syscall(nr)))
}
