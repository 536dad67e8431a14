//! Paths the rules care about: identity files, sudoers, directories; lexical
//! normalisation of the names PATH records give.

use std::borrow::Cow;

/// The identity files: account and group databases, their shadows, old passwords.
pub const IDENTITY_FILES: &[&str] = &[
    "/etc/passwd",
    "/etc/shadow",
    "/etc/group",
    "/etc/gshadow",
    "/etc/security/opasswd",
];

/// True for an identity file.
pub fn is_identity_file(path: &str) -> bool {
    IDENTITY_FILES.contains(&path)
}

/// True for `/etc/sudoers` and the files of `/etc/sudoers.d/`.
pub fn is_sudoers(path: &str) -> bool {
    path == "/etc/sudoers" || path.starts_with("/etc/sudoers.d/")
}

/// True when `path` is `dir` or lies under it (`dir` with or without a trailing `/`).
pub fn is_under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// True when a path holds `/.` or `//` (it may change under [`normalize`]).
pub fn has_dot_or_double_slash(path: &[u8]) -> bool {
    path.windows(2)
        .any(|w| w[0] == b'/' && (w[1] == b'/' || w[1] == b'.'))
}

/// `path` with `.` and `..` components and repeated `/` resolved (lexically: links are not
/// followed), so `/etc/./passwd` and `/etc//passwd` are `/etc/passwd`.
pub fn normalize(path: &str) -> Cow<'_, str> {
    if !path.starts_with('/') || !has_dot_or_double_slash(path.as_bytes()) {
        return Cow::Borrowed(path);
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let mut out = String::with_capacity(path.len());
    for c in &parts {
        out.push('/');
        out.push_str(c);
    }
    if out.is_empty() {
        out.push('/');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_after_normalising() {
        assert_eq!(normalize("/etc/./passwd"), "/etc/passwd");
        assert_eq!(
            normalize("/var/log/audit/../audit//audit.log"),
            "/var/log/audit/audit.log"
        );
        assert_eq!(normalize("/.."), "/");
        assert!(matches!(normalize("/etc/shadow"), Cow::Borrowed(_)));
        assert!(is_identity_file("/etc/gshadow") && !is_identity_file("/etc/passwd-"));
        assert!(is_sudoers("/etc/sudoers.d/90-admins") && !is_sudoers("/etc/sudoers.bak"));
        assert!(is_under("/var/log/audit/audit.log", "/var/log/audit/"));
        assert!(is_under("/var/log/audit", "/var/log/audit/"));
        assert!(!is_under("/var/log/auditx/a", "/var/log/audit"));
        assert!(has_dot_or_double_slash(b"/a/./b") && has_dot_or_double_slash(b"//a"));
        assert!(!has_dot_or_double_slash(b"/lib64/ld-linux-x86-64.so.2"));
    }
}
