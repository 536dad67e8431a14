//! Audit rules as text: the output of `auditctl -l` and the files of
//! `/etc/audit/rules.d/` (`--rules FILE`), read for their keys, so that a report can say
//! per host which rules are loaded even when the logs never show them being loaded
//! (rules loaded at boot before the oldest log) or when a loaded rule never fired.
//!
//! Each line that adds a rule (`-w PATH ...`, `-a LIST,ACTION ...`, `-A ...`) and names a
//! key (`-k KEY`, `-F key=KEY`, several keys allowed) gives one [`DeclaredRule`]; control
//! lines (`-D`, `-b 8192`, `-e 2`, `-f 1`), comments and blank lines give none, and so does
//! a rule without a key (it cannot be matched to events or meanings). `--rules HOST=FILE`
//! applies a file to one host; a plain `--rules FILE` to every host.

use serde::Serialize;
use std::path::Path;

/// One keyed rule read from a rules file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct DeclaredRule {
    /// The host the file was given for; `None` for every host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The key.
    pub key: String,
    /// The rule as written.
    pub rule: String,
    /// Where: `FILE:LINE`.
    pub source: String,
}

/// Most rules read from one file (a rules file holds hundreds at most).
pub const MAX_RULES: usize = 100_000;

/// A rules file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file cannot be read.
    #[error("--rules {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file has more rules than [`MAX_RULES`].
    #[error("--rules {0}: more than {MAX_RULES} rules: is this an audit rules file?")]
    TooMany(String),
}

/// Reads `--rules` arguments: `FILE` or `HOST=FILE` (when the whole argument is not itself
/// a file).
pub fn read_args(args: &[String]) -> Result<Vec<DeclaredRule>, RulesError> {
    let mut out = Vec::new();
    for arg in args {
        let (host, path) = match arg.split_once('=') {
            Some((h, p)) if !Path::new(arg).exists() && !h.is_empty() => (Some(h), p),
            _ => (None, arg.as_str()),
        };
        let text = std::fs::read(path).map_err(|source| RulesError::Read {
            path: path.to_string(),
            source,
        })?;
        let rules = parse(&String::from_utf8_lossy(&text), path, host);
        if rules.len() > MAX_RULES {
            return Err(RulesError::TooMany(path.to_string()));
        }
        out.extend(rules);
    }
    Ok(out)
}

/// The keyed rules of a rules text; `origin` names it in sources.
pub fn parse(text: &str, origin: &str, host: Option<&str>) -> Vec<DeclaredRule> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        let words: Vec<&str> = line.split_whitespace().collect();
        let adds = matches!(words.first(), Some(&("-w" | "-a" | "-A")));
        if !adds {
            continue;
        }
        for key in keys(&words) {
            out.push(DeclaredRule {
                host: host.map(str::to_string),
                key,
                rule: line.to_string(),
                source: format!("{origin}:{}", i + 1),
            });
        }
    }
    out
}

/// The keys of a rule's words: `-k KEY` and `-F key=KEY` (`auditctl -l` writes the latter).
fn keys(words: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        let key = match *w {
            "-k" => it.next().map(|k| k.to_string()),
            "-F" => it
                .next()
                .and_then(|f| f.strip_prefix("key="))
                .map(str::to_string),
            w => w
                .strip_prefix("-F")
                .and_then(|f| f.strip_prefix("key="))
                .map(str::to_string),
        };
        if let Some(k) = key.filter(|k| !k.is_empty()) {
            // Quotes are the shell's, not the key's.
            out.push(k.trim_matches('"').to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_of_rules_d_and_auditctl_l_forms() {
        let text = "\
## 30-pci-dss-v31.rules, in part
-D
-b 8192
-a always,exit -F arch=b64 -F dir=/var/log/audit/ -F perm=r -F auid>=1000 -F auid!=unset -F key=10.2.3-access-audit-trail
-w /etc/sudoers -p wa -k scope
-w /etc/passwd -p wa -k identity -k 10.2.5.c-accounts
-a always,exit -F arch=b64 -S mount
-e 2
";
        let r = parse(text, "pci.rules", Some("db-01"));
        let keys: Vec<&str> = r.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "10.2.3-access-audit-trail",
                "scope",
                "identity",
                "10.2.5.c-accounts"
            ]
        );
        assert_eq!(r[1].source, "pci.rules:5");
        assert_eq!(r[1].host.as_deref(), Some("db-01"));
        assert_eq!(r[1].rule, "-w /etc/sudoers -p wa -k scope");
    }

    #[test]
    fn host_prefix_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("audit.rules");
        std::fs::write(&f, "-w /etc/shadow -p wa -k identity\n").unwrap();
        let all = read_args(&[f.display().to_string()]).unwrap();
        assert_eq!((all.len(), all[0].host.clone()), (1, None));
        let one = read_args(&[format!("web-01={}", f.display())]).unwrap();
        assert_eq!(one[0].host.as_deref(), Some("web-01"));
        let err = read_args(&["/nonexistent/x.rules".into()]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--rules /nonexistent/x.rules: "),
            "{err}"
        );
    }
}
