//! Policies: one file per framework (`policies/*.toml`) mapping each control to the metrics
//! that evidence it, the finding rules that raise exceptions against it, and how far logs
//! can prove it. `policies/README.md` documents the schema.
//!
//! Built-in policies are compiled in ([`BUILTIN`]); `--policy FILE|DIR` loads others, and a
//! loaded file whose name (file stem) equals a built-in's overrides it. Every file is
//! validated on load: unknown keys, metric ids and rule ids are errors naming the file and
//! the key (`policies/x.toml: controls[3].evidence[0]: unknown metric "logins.fail"`).
//! [`assess`] turns a summary, the site configuration and policies into control rows.

mod assess;
pub mod coverage;

pub use assess::{assess, assess_with, Assessment, ControlRow, ControlStatus, PolicyResult};

use crate::aggregate::Summary;
use crate::findings::{self, Severity};
use crate::period::Period;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Built-in policies: (name, text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "pci-dss-4.0.1",
        include_str!("../../policies/pci-dss-4.0.1.toml"),
    ),
    ("soc2-2017", include_str!("../../policies/soc2-2017.toml")),
    (
        "iso27001-2022",
        include_str!("../../policies/iso27001-2022.toml"),
    ),
    (
        "nist-800-53r5",
        include_str!("../../policies/nist-800-53r5.toml"),
    ),
    (
        "hipaa-security",
        include_str!("../../policies/hipaa-security.toml"),
    ),
    ("cis-v8.1", include_str!("../../policies/cis-v8.1.toml")),
];

/// How far the logs can prove a control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// The logs are the evidence the control asks for.
    Direct,
    /// The logs prove part of it; other evidence is needed.
    Partial,
    /// The logs give a reviewer material, not proof.
    SupportsReview,
    /// Logs cannot prove it (design, approvals, policy text).
    NotProvable,
}

/// One control.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// The framework's control id (`10.2.1.4`).
    pub id: String,
    /// Our own short description of the control.
    pub title: String,
    /// How far logs can prove it.
    pub coverage: Coverage,
    /// Metric ids ([`Summary::metrics`]) that evidence it.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Finding rules (`F-AUTH-01`) whose findings are exceptions to it.
    #[serde(default)]
    pub findings: Vec<String>,
    /// Findings at or above this severity are exceptions (default `low`).
    #[serde(default = "default_threshold")]
    pub threshold: Severity,
    /// Which audit rule or record source produces the evidence (shown when there is none).
    #[serde(default)]
    pub produced_by: String,
    /// What the logs cannot show (the auditor needs other evidence for it).
    #[serde(default)]
    pub cannot_show: String,
    /// Key meanings whose audit rules the control needs on every host (`"a|b"`: either).
    /// A host without them is named with the rule to add; hosts with them loaded but
    /// silent are evidence that nothing happened (see `policies/README.md`).
    #[serde(default)]
    pub key_meanings: Vec<String>,
}

fn default_threshold() -> Severity {
    Severity::Low
}

/// One framework's mapping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The name it is selected by: the file stem (`pci-dss-4.0.1`). Not in the file.
    #[serde(skip_deserializing)]
    pub name: String,
    /// Stable framework key (`pci-dss`).
    pub framework: String,
    /// Framework version (`4.0.1`).
    pub version: String,
    /// Title shown in reports.
    pub title: String,
    /// Where the framework is published.
    #[serde(default)]
    pub source: String,
    /// The controls, in report order.
    pub controls: Vec<Control>,
    /// Where it was read from (a path, or `policies/NAME.toml (built-in)`). Not in the file.
    #[serde(skip)]
    pub origin: String,
    /// SHA-256 (hex) of the policy text as read, for the evidence manifest. Not in the file.
    #[serde(skip)]
    pub sha256: String,
}

/// A policy file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// Not readable.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not valid, or a key is wrong.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, starting with the key.
        message: String,
    },
    /// `--policy NAME` names no built-in policy and no file.
    #[error("--policy {0}: no such file, directory or built-in policy (built-ins: {1})")]
    Unknown(String, String),
}

impl Policy {
    /// Parses and validates a policy; `path` names it in errors, `name` selects it.
    pub fn parse(text: &str, path: &str, name: &str) -> Result<Policy, PolicyError> {
        let invalid = |message: String| PolicyError::Invalid {
            path: path.to_string(),
            message,
        };
        let mut p: Policy = toml::from_str(text)
            .map_err(|e| invalid(format!("{}: {}", toml_key(&e, text), e.message())))?;
        p.name = name.to_string();
        p.origin = path.to_string();
        p.sha256 = crate::digest::sha256(text.as_bytes());
        p.validate().map_err(invalid)?;
        Ok(p)
    }

    fn validate(&self) -> Result<(), String> {
        let metrics = known_metrics();
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in self.controls.iter().enumerate() {
            if !seen.insert(&c.id) {
                return Err(format!("controls[{i}].id: duplicate control \"{}\"", c.id));
            }
            for (j, m) in c.evidence.iter().enumerate() {
                if !metrics.contains(&m.as_str()) {
                    return Err(format!(
                        "controls[{i}].evidence[{j}]: unknown metric \"{m}\""
                    ));
                }
            }
            for (j, r) in c.findings.iter().enumerate() {
                if findings::rule(r).is_none() {
                    return Err(format!(
                        "controls[{i}].findings[{j}]: unknown finding rule \"{r}\""
                    ));
                }
            }
            for (j, group) in c.key_meanings.iter().enumerate() {
                for m in group.split('|') {
                    if crate::classify::meaning::info(m).is_none() {
                        return Err(format!(
                            "controls[{i}].key_meanings[{j}]: unknown key meaning \"{m}\" \
                             (see `auditrail config --print-defaults`, [keys])"
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Where a toml error is, as `line N` plus the key on that line, prefixed with
/// `controls[i].` inside the i-th control.
fn toml_key(e: &toml::de::Error, text: &str) -> String {
    let Some(span) = e.span() else {
        return "(file)".to_string();
    };
    let before = &text[..span.start.min(text.len())];
    let line_no = before.matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty());
    let table = match before.matches("[[controls]]").count() {
        0 => String::new(),
        n => format!("controls[{}].", n - 1),
    };
    match key {
        Some(k) => format!("line {line_no}: {table}{k}"),
        None => format!("line {line_no}"),
    }
}

/// Every metric id a summary has.
pub fn known_metrics() -> Vec<&'static str> {
    let period = Period::unbounded(chrono_tz::UTC);
    Summary::new(&period, 0).metrics().into_keys().collect()
}

/// The built-in policy called `name`.
pub fn builtin(name: &str) -> Option<Policy> {
    let (n, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
    let path = format!("policies/{n}.toml (built-in)");
    Some(Policy::parse(text, &path, n).expect("built-in policies are valid (tested)"))
}

/// Loads a policy file.
pub fn load_file(path: &Path) -> Result<Policy, PolicyError> {
    let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    Policy::parse(&text, &path.display().to_string(), &name)
}

/// The policies `--policy` selects: built-in names pick built-ins; files and directories
/// (every `*.toml` in it, sorted) are loaded. Without any built-in name, all built-ins are
/// used; a loaded file with a built-in's name replaces it.
pub fn select(args: &[String]) -> Result<Vec<Policy>, PolicyError> {
    let mut picked: Vec<Policy> = Vec::new();
    let mut loaded: Vec<Policy> = Vec::new();
    for a in args {
        let path = Path::new(a);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|source| PolicyError::Read {
                    path: path.to_path_buf(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for f in files {
                loaded.push(load_file(&f)?);
            }
        } else if path.is_file() {
            loaded.push(load_file(path)?);
        } else if let Some(p) = builtin(a) {
            picked.push(p);
        } else {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            return Err(PolicyError::Unknown(a.clone(), names.join(", ")));
        }
    }
    if picked.is_empty() {
        picked = BUILTIN.iter().filter_map(|(n, _)| builtin(n)).collect();
    }
    for p in loaded {
        match picked.iter_mut().find(|q| q.name == p.name) {
            Some(q) => *q = p,
            None => picked.push(p),
        }
    }
    Ok(picked)
}

/// Which policies a run evaluates, and why (stated in the report).
#[derive(Clone, Debug)]
pub struct Choice {
    /// What [`select`] reads: built-in names, files, directories.
    pub args: Vec<String>,
    /// Why these, for people.
    pub why: String,
}

/// The policies of a run: `--policy` when given, else the site configuration's `policies`
/// (built-in names, or files relative to the configuration's directory), else every
/// built-in. A configured name that is neither is an error naming the file and the key.
pub fn choose(given: &[String], site: &crate::site::SiteConfig) -> Result<Choice, PolicyError> {
    if !given.is_empty() {
        return Ok(Choice {
            args: given.to_vec(),
            why: format!("chosen with --policy {}", given.join(", ")),
        });
    }
    if site.policies.is_empty() {
        return Ok(Choice {
            args: Vec::new(),
            why: format!(
                "all {} built-in policies: none chosen with --policy or `policies` in the site \
                 configuration ({})",
                BUILTIN.len(),
                site.source
            ),
        });
    }
    let file = site.source.path();
    let name = file.map_or_else(|| site.source.to_string(), |p| p.display().to_string());
    let mut args = Vec::new();
    for p in &site.policies {
        if builtin(p).is_some() {
            args.push(p.clone());
            continue;
        }
        let path = match file.and_then(Path::parent) {
            Some(dir) if Path::new(p).is_relative() => dir.join(p),
            _ => PathBuf::from(p),
        };
        if path.exists() {
            args.push(path.display().to_string());
            continue;
        }
        let line = file
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|t| crate::site::key_line(&t, "policies"))
            .map_or_else(String::new, |n| format!(" (line {n})"));
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        return Err(PolicyError::Invalid {
            path: name,
            message: format!(
                "key `policies`{line}: \"{p}\" is no built-in policy and no file (built-ins: {})",
                names.join(", ")
            ),
        });
    }
    Ok(Choice {
        args,
        why: format!("from `policies` in {name}: {}", site.policies.join(", ")),
    })
}

#[cfg(test)]
mod tests;
