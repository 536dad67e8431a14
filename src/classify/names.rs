//! Numeric ids -> names, for actors and targets that the log gives only as numbers.
//!
//! The ENRICHED section of a record (`AUID="alice"`) is the best source: it reflects the
//! name database at logging time. When a log is RAW, the user may pass copies of the host's
//! `/etc/passwd` and `/etc/group` (`--passwd`, `--group`); this resolver reads them. Without
//! either, the number itself is shown. The resolver never consults the machine running
//! auditrail: its accounts say nothing about the host that wrote the log.

use std::collections::HashMap;

/// Maps uids and gids to names, read from passwd- and group-format text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameResolver {
    users: HashMap<u32, String>,
    groups: HashMap<u32, String>,
}

impl NameResolver {
    /// A resolver that knows no names (numbers are shown as numbers).
    pub fn empty() -> Self {
        NameResolver::default()
    }

    /// Reads passwd-format text (`name:x:uid:gid:gecos:home:shell`) and group-format text
    /// (`name:x:gid:members`). Lines that do not have a name and a numeric id in the third
    /// column (comments, NIS `+` entries, blanks) are skipped; the first entry for an id wins,
    /// as in `getpwuid`.
    pub fn from_text(passwd: Option<&str>, group: Option<&str>) -> Self {
        NameResolver {
            users: passwd.map(parse_db).unwrap_or_default(),
            groups: group.map(parse_db).unwrap_or_default(),
        }
    }

    /// Reads the files at `passwd` and `group` (either may be absent).
    pub fn from_files(
        passwd: Option<&std::path::Path>,
        group: Option<&std::path::Path>,
    ) -> std::io::Result<Self> {
        let read = |p: Option<&std::path::Path>| -> std::io::Result<Option<String>> {
            p.map(|p| std::fs::read(p).map(|b| String::from_utf8_lossy(&b).into_owned()))
                .transpose()
        };
        let (p, g) = (read(passwd)?, read(group)?);
        Ok(NameResolver::from_text(p.as_deref(), g.as_deref()))
    }

    /// The user name of `uid`, if the passwd text had one.
    pub fn user(&self, uid: u32) -> Option<&str> {
        self.users.get(&uid).map(String::as_str)
    }

    /// The group name of `gid`, if the group text had one.
    pub fn group(&self, gid: u32) -> Option<&str> {
        self.groups.get(&gid).map(String::as_str)
    }

    /// Number of users and groups known.
    pub fn len(&self) -> (usize, usize) {
        (self.users.len(), self.groups.len())
    }
}

fn parse_db(text: &str) -> HashMap<u32, String> {
    let mut map = HashMap::new();
    for line in text.lines() {
        let mut cols = line.split(':');
        let (Some(name), Some(_), Some(id)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || name.starts_with('#') || name.starts_with('+') {
            continue;
        }
        if let Ok(id) = id.trim().parse::<u32>() {
            map.entry(id).or_insert_with(|| name.to_string());
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_passwd_and_group_text() {
        let r = NameResolver::from_text(
            Some("# comment\nroot:x:0:0:root:/root:/bin/bash\nalice:x:1001:1001::/home/alice:/bin/sh\nbad line\n+nis::::::\ndup:x:1001:1::/:/bin/false\n"),
            Some("wheel:x:10:alice\nstaff:x:50:\n"),
        );
        assert_eq!(r.user(0), Some("root"));
        assert_eq!(r.user(1001), Some("alice"));
        assert_eq!(r.user(7), None);
        assert_eq!(r.group(10), Some("wheel"));
        assert_eq!(r.len(), (2, 2));
        assert_eq!(NameResolver::empty().user(0), None);
    }

    #[test]
    fn reads_files_and_reports_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let passwd = dir.path().join("passwd");
        std::fs::write(&passwd, "bob:x:1002:1002::/home/bob:/bin/sh\n").unwrap();
        let r = NameResolver::from_files(Some(&passwd), None).unwrap();
        assert_eq!(r.user(1002), Some("bob"));
        assert!(NameResolver::from_files(Some(&dir.path().join("nope")), None).is_err());
    }
}
