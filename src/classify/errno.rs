//! Error names for the negative `exit=` of a failed system call (`exit=-13` is EACCES).
//! Written from the kernel's public numbering (`include/uapi/asm-generic/errno-base.h`,
//! `errno.h`), which x86_64 and aarch64 share.

/// Names of errors 1..=133 (index 0 unused).
#[rustfmt::skip]
const NAMES: &[&str] = &[
    "", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
    "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV",
    "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG",
    "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK",
    "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP", "", "ENOMSG", "EIDRM", "ECHRNG",
    "EL2NSYNC", "EL3HLT", "EL3RST", "ELNRNG", "EUNATCH", "ENOCSI", "EL2HLT", "EBADE", "EBADR",
    "EXFULL", "ENOANO", "EBADRQC", "EBADSLT", "", "EBFONT", "ENOSTR", "ENODATA", "ETIME",
    "ENOSR", "ENONET", "ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT", "ECOMM", "EPROTO",
    "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW", "ENOTUNIQ", "EBADFD", "EREMCHG",
    "ELIBACC", "ELIBBAD", "ELIBSCN", "ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE",
    "EUSERS", "ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT",
    "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT", "EAFNOSUPPORT",
    "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED",
    "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT",
    "ECONNREFUSED", "EHOSTDOWN", "EHOSTUNREACH", "EALREADY", "EINPROGRESS", "ESTALE",
    "EUCLEAN", "ENOTNAM", "ENAVAIL", "EISNAM", "EREMOTEIO", "EDQUOT", "ENOMEDIUM",
    "EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED", "EKEYREVOKED", "EKEYREJECTED",
    "EOWNERDEAD", "ENOTRECOVERABLE", "ERFKILL", "EHWPOISON",
];

/// The name of the error an `exit=` value reports: `-13` is `EACCES`; `None` for zero,
/// positive values (results, not errors) and numbers without a name.
pub fn name(exit: i64) -> Option<&'static str> {
    let n = usize::try_from(exit.checked_neg()?).ok()?;
    NAMES.get(n).copied().filter(|s| !s.is_empty())
}

/// An error name of the table. An alias rather than `&'static str` written out, because
/// serde's derive would borrow a field spelt `&str` from the input (which a `'static`
/// name cannot), while [`deserialize`] looks the name up instead.
pub type Name = &'static str;

/// The table's own name for `name` (an error name read back from a summary.json).
pub fn by_name(name: &str) -> Option<&'static str> {
    NAMES.iter().copied().find(|n| !n.is_empty() && *n == name)
}

/// Reads an error name written by [`name`]: one of the table's.
pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Name>, D::Error> {
    let name: Option<String> = serde::Deserialize::deserialize(d)?;
    name.map(|n| {
        by_name(&n).ok_or_else(|| {
            serde::de::Error::custom(format!("{:?} is not an error name", n.escape_debug()))
        })
    })
    .transpose()
}

/// True for the errors a denied access reports (EACCES, EPERM).
pub fn is_denial(exit: i64) -> bool {
    exit == -13 || exit == -1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_errors_access_rules_select() {
        assert_eq!(name(-13), Some("EACCES"));
        assert_eq!(name(-1), Some("EPERM"));
        assert_eq!(name(-2), Some("ENOENT"));
        assert_eq!(name(-30), Some("EROFS"));
        assert_eq!(name(-95), Some("EOPNOTSUPP"));
        assert_eq!(name(-133), Some("EHWPOISON"));
        assert_eq!(name(-41), None, "no error 41");
        assert_eq!(name(0), None);
        assert_eq!(name(3), None);
        assert_eq!(name(-134), None);
        assert_eq!(name(i64::MIN), None);
        assert!(is_denial(-13) && is_denial(-1) && !is_denial(-2));
    }
}
