//! The exceptions register file (`--exceptions FILE`, or `exceptions = "FILE"` in
//! `auditrail.toml`): findings the organisation has accepted, each with an owner, a reason
//! and an expiry, so an accepted finding is shown as accepted every month instead of coming
//! back as open (or being hidden by an allow-list).
//!
//! ```toml
//! [[exception]]
//! rule = "F-PRIV-01"          # required: a rule id
//! host = "db01"               # optional: the finding's host
//! actor = "alice"             # optional: every evidence item naming an actor names this one
//! target = "root"             # optional: likewise for the target
//! match = "sudo"              # optional: a substring of the finding's summary
//! owner = "Alice Martin"      # required
//! reason = "break-glass account, reviewed weekly"   # required
//! expires = 2027-03-31        # required: a date, the last day the acceptance holds
//! ticket = "CHG-1234"         # optional
//! approved_by = "CISO"        # optional
//! ```
//!
//! Unknown keys, a missing required key, an empty value, an unknown rule id or a value that
//! is not a date are errors naming the file and the entry (its number and rule). Which
//! findings an entry accepts is decided by `findings::exceptions`.

use crate::digest::sha256;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Most entries in one file (the register is matched against every finding).
pub const MAX_ENTRIES: usize = 10_000;

/// Largest file read, in bytes.
pub const MAX_BYTES: u64 = 4 << 20;

/// One `[[exception]]` entry, validated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exception {
    /// Its number in the file, from 1.
    pub entry: usize,
    /// The rule id.
    pub rule: String,
    /// The finding's host, when the entry names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The actor every evidence item that names one must name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The target every evidence item that names one must name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// A substring of the finding's summary.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub matches: Option<String>,
    /// Who owns the risk.
    pub owner: String,
    /// Why it is accepted.
    pub reason: String,
    /// The last day the acceptance holds.
    pub expires: NaiveDate,
    /// A change or risk ticket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// Who approved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// A read, validated exceptions file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExceptionsFile {
    /// The file.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256 (lowercase hex), for the manifest.
    pub sha256: String,
    /// The entries in file order.
    pub entries: Vec<Exception>,
}

/// An exceptions file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ExceptionsError {
    /// The file could not be read.
    #[error("cannot read the exceptions file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file or one entry is invalid.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the entry.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    exception: Vec<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    rule: String,
    host: Option<String>,
    actor: Option<String>,
    target: Option<String>,
    #[serde(rename = "match")]
    matches: Option<String>,
    owner: String,
    reason: String,
    expires: toml::Value,
    ticket: Option<String>,
    approved_by: Option<String>,
}

impl Exception {
    /// The conditions it states beside its rule, in the file's order of keys: (`host`,
    /// value), (`actor`, ...), (`target`, ...), (`match`, ...), absent ones left out.
    pub fn conditions(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("host", &self.host),
            ("actor", &self.actor),
            ("target", &self.target),
            ("match", &self.matches),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
    }

    /// What it accepts, as the registers state it: its rule, then each of its
    /// [`Exception::conditions`] as `condition` writes it.
    pub fn scope(&self, condition: impl Fn(&str, &str) -> String) -> Vec<String> {
        std::iter::once(self.rule.clone())
            .chain(self.conditions().map(|(k, v)| condition(k, v)))
            .collect()
    }
}

impl ExceptionsFile {
    /// Reads and validates `path`; `known` says whether a rule id exists.
    pub fn load(path: &Path, known: &dyn Fn(&str) -> bool) -> Result<Self, ExceptionsError> {
        let read = |source| ExceptionsError::Read {
            path: path.to_path_buf(),
            source,
        };
        let bytes = std::fs::metadata(path).map_err(read)?.len();
        if bytes > MAX_BYTES {
            return Err(ExceptionsError::Invalid {
                path: path.to_path_buf(),
                message: format!(
                    "{bytes} bytes, more than the {MAX_BYTES} an exceptions file may hold"
                ),
            });
        }
        let raw = std::fs::read(path).map_err(read)?;
        let text = String::from_utf8(raw).map_err(|_| ExceptionsError::Invalid {
            path: path.to_path_buf(),
            message: "not UTF-8 text".to_string(),
        })?;
        let entries = parse(&text, known).map_err(|message| ExceptionsError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(ExceptionsFile {
            path: path.to_path_buf(),
            bytes: text.len() as u64,
            sha256: sha256(text.as_bytes()),
            entries,
        })
    }
}

/// Parses the entries of an exceptions file; the error names the entry.
pub fn parse(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Vec<Exception>, String> {
    let file: RawFile = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| {
                format!(
                    " (line {})",
                    text[..s.start.min(text.len())].matches('\n').count() + 1
                )
            })
            .unwrap_or_default();
        format!(
            "{}{line}; expected `[[exception]]` entries",
            e.message().trim_end()
        )
    })?;
    if file.exception.len() > MAX_ENTRIES {
        return Err(format!(
            "{} entries, more than the {MAX_ENTRIES} an exceptions file may hold",
            file.exception.len()
        ));
    }
    file.exception
        .into_iter()
        .enumerate()
        .map(|(i, table)| {
            let n = i + 1;
            let name = match table.get("rule").and_then(|r| r.as_str()) {
                Some(r) => format!("exception #{n} (rule {r})"),
                None => format!("exception #{n}"),
            };
            entry(n, table, known).map_err(|m| format!("{name}: {m}"))
        })
        .collect()
}

fn entry(n: usize, table: toml::Table, known: &dyn Fn(&str) -> bool) -> Result<Exception, String> {
    let raw: RawEntry = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| e.message().trim_end().to_string())?;
    if !known(&raw.rule) {
        return Err(format!(
            "unknown rule `{}` (the rule ids are listed by `auditrail findings --format json`)",
            raw.rule
        ));
    }
    let expires = match &raw.expires {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d
            .date
            .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())),
        toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        _ => None,
    }
    .ok_or_else(|| format!("key `expires`: {} is not a date (YYYY-MM-DD)", raw.expires))?;
    for (key, value) in [
        ("rule", Some(&raw.rule)),
        ("owner", Some(&raw.owner)),
        ("reason", Some(&raw.reason)),
        ("host", raw.host.as_ref()),
        ("actor", raw.actor.as_ref()),
        ("target", raw.target.as_ref()),
        ("match", raw.matches.as_ref()),
        ("ticket", raw.ticket.as_ref()),
        ("approved_by", raw.approved_by.as_ref()),
    ] {
        if value.is_some_and(|v| v.trim().is_empty()) {
            return Err(format!("key `{key}` is empty"));
        }
    }
    Ok(Exception {
        entry: n,
        rule: raw.rule,
        host: raw.host,
        actor: raw.actor,
        target: raw.target,
        matches: raw.matches,
        owner: raw.owner,
        reason: raw.reason,
        expires,
        ticket: raw.ticket,
        approved_by: raw.approved_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(r: &str) -> bool {
        r == "F-AUTH-01" || r == "F-PRIV-01"
    }

    const OK: &str = "[[exception]]\nrule = \"F-AUTH-01\"\nhost = \"web01\"\nowner = \"Ops\"\n\
                      reason = \"scanner\"\nexpires = 2027-01-31\nticket = \"CHG-1\"\n";

    #[test]
    fn a_valid_entry_reads_with_its_date() {
        let e = parse(OK, &known).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].entry, 1);
        assert_eq!(e[0].host.as_deref(), Some("web01"));
        assert_eq!(e[0].expires, NaiveDate::from_ymd_opt(2027, 1, 31).unwrap());
        let quoted = OK.replace("2027-01-31", "\"2027-01-31\"");
        assert_eq!(parse(&quoted, &known).unwrap(), e);
    }

    #[test]
    fn errors_name_the_entry_and_the_key() {
        let two = format!("{OK}\n{}", OK.replace("F-AUTH-01", "F-PRIV-01"));
        let cases = [
            (
                two.replace("ticket = \"CHG-1\"\n\n[[", "tiket = \"x\"\n\n[["),
                "exception #1 (rule F-AUTH-01): unknown field `tiket`",
            ),
            (
                format!("{OK}\n{}", OK.replace("F-AUTH-01", "F-NOPE-01")),
                "exception #2 (rule F-NOPE-01): unknown rule `F-NOPE-01`",
            ),
            (
                OK.replace("owner = \"Ops\"\n", ""),
                "exception #1 (rule F-AUTH-01): missing field `owner`",
            ),
            (
                OK.replace("2027-01-31", "\"next year\""),
                "exception #1 (rule F-AUTH-01): key `expires`: \"next year\" is not a date",
            ),
            (
                OK.replace("2027-01-31", "2027-01-31T10:00:00Z"),
                "key `expires`",
            ),
            (OK.replace("\"Ops\"", "\" \""), "key `owner` is empty"),
            (
                OK.replace("rule = \"F-AUTH-01\"\n", ""),
                "exception #1: missing field `rule`",
            ),
            (format!("owner = \"x\"\n{OK}"), "unknown field `owner`"),
        ];
        for (text, want) in cases {
            let err = parse(&text, &known).unwrap_err();
            assert!(err.contains(want), "{err:?} should contain {want:?}");
        }
    }

    #[test]
    fn load_names_the_file_and_hashes_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("exceptions.toml");
        std::fs::write(&p, OK).unwrap();
        let f = ExceptionsFile::load(&p, &known).unwrap();
        assert_eq!(f.sha256, sha256(OK.as_bytes()));
        std::fs::write(&p, OK.replace("F-AUTH-01", "F-X")).unwrap();
        let err = ExceptionsFile::load(&p, &known).unwrap_err().to_string();
        assert!(err.starts_with(&p.display().to_string()), "{err}");
        assert!(err.contains("exception #1 (rule F-X)"), "{err}");
    }
}
