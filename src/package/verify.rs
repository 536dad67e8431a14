//! `auditrail verify DIR`: is a report package what was written?
//!
//! - `SHA256SUMS`: every file it lists is present with that SHA-256; a file of the package it
//!   does not list (other than `SHA256SUMS.sig`) is named too.
//! - `manifest.json` (itself listed in SHA256SUMS): every output it lists is present with its
//!   hash; every input log, configuration, exceptions and policy file it lists is checked
//!   when a file is at that path (relative paths from the current directory, as `report`
//!   was given them), and named as absent otherwise: absent is not a mismatch, since logs
//!   are archived elsewhere. An input whose first bytes are still the ones recorded and
//!   that grew since (a live `audit.log`) is named as grown, not a mismatch.
//! - `SHA256SUMS.sig` when present ([`super::sign`]): a valid sshsig signature of
//!   SHA256SUMS in the namespace `auditrail`, by a key of `--allowed-signers` or `--key`
//!   when given (without either, valid for the key it names, which proves nothing about who
//!   signed: the text says so). A signer given for an unsigned package is a mismatch.
//!
//! Every check is collected, not stopped at the first: the command names each file.

use super::manifest::{read_manifest, MANIFEST};
use super::sign::{NAMESPACE, SIGNATURE, SUMS};
use crate::digest::sha256_file;
use anyhow::Context;
use ssh_key::{HashAlg, PublicKey, SshSig};
use std::path::{Path, PathBuf};

/// How the manifest names a built-in policy (`policies/NAME.toml (built-in)`).
const BUILTIN: &str = " (built-in)";

/// Largest SHA256SUMS, signature or key file read, in bytes.
const MAX_SMALL_FILE: u64 = 16 << 20;

/// What a file listed with a hash turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// Present with the listed hash.
    Ok,
    /// Present with another hash (the one found).
    Differs(String),
    /// Listed as part of the package but missing.
    Missing,
    /// An input, configuration or policy not at its path: not checked.
    Absent,
    /// An input log that grew: its first bytes are the ones recorded (their count), then
    /// more were appended (the file's size now). Not a mismatch: a live log grows.
    Appended(u64, u64),
    /// Cannot be checked (not a file name of the package, unreadable): why.
    Bad(String),
}

/// One file checked against a listed hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileCheck {
    /// Where it is listed: `SHA256SUMS`, `output`, `input`, `config`, `exceptions`, `policy`.
    pub list: &'static str,
    /// The path as listed.
    pub path: String,
    /// The SHA-256 listed.
    pub expected: String,
    /// What was found.
    pub state: State,
}

impl FileCheck {
    /// True when this check fails verification.
    pub fn failed(&self) -> bool {
        matches!(
            self.state,
            State::Differs(_) | State::Missing | State::Bad(_)
        )
    }
}

/// The signature check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signature {
    /// No SHA256SUMS.sig and no signer required.
    Unsigned,
    /// A signer was given but the package has no SHA256SUMS.sig.
    Required,
    /// Valid; `signer` names the allowed_signers principals or `--key`, `None` when no
    /// trusted key was given. `fingerprint` is the signing key's.
    Valid {
        /// The signing key (`SHA256:...`).
        fingerprint: String,
        /// Who the trusted list says it is.
        signer: Option<String>,
    },
    /// Present but not valid: why.
    Invalid(String),
}

/// Everything `verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// The package directory.
    pub dir: PathBuf,
    /// The files SHA256SUMS lists, then the hashes manifest.json lists.
    pub files: Vec<FileCheck>,
    /// Files in the directory that SHA256SUMS does not list.
    pub unlisted: Vec<String>,
    /// Built-in policies manifest.json lists (part of the program, not files to check).
    pub builtin_policies: usize,
    /// The signature.
    pub signature: Signature,
}

impl Verification {
    /// True when nothing failed.
    pub fn intact(&self) -> bool {
        self.unlisted.is_empty()
            && !self.files.iter().any(FileCheck::failed)
            && matches!(
                self.signature,
                Signature::Unsigned | Signature::Valid { .. }
            )
    }
}

/// Who may have signed: `--allowed-signers FILE` or `--key FILE.pub`.
pub enum Trusted {
    /// Any key (the signature is checked against the key it names).
    Any,
    /// The entries of an allowed_signers file: principals and key.
    Signers(Vec<(String, PublicKey)>),
    /// One public key.
    Key(PublicKey),
}

impl Trusted {
    /// Reads `--allowed-signers` (entries for the namespace `auditrail`) or `--key`.
    pub fn load(allowed: Option<&Path>, key: Option<&Path>) -> anyhow::Result<Trusted> {
        if let Some(p) = allowed {
            let text = small_text(p)?;
            let signers =
                allowed_signers(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            return Ok(Trusted::Signers(signers));
        }
        if let Some(p) = key {
            let text = small_text(p)?;
            let k = PublicKey::from_openssh(text.trim())
                .map_err(|e| anyhow::anyhow!("{}: not an OpenSSH public key ({e})", p.display()))?;
            return Ok(Trusted::Key(k));
        }
        Ok(Trusted::Any)
    }
}

fn small_text(p: &Path) -> anyhow::Result<String> {
    let len = std::fs::metadata(p)
        .with_context(|| format!("cannot read {}", p.display()))?
        .len();
    if len > MAX_SMALL_FILE {
        anyhow::bail!("{}: {len} bytes, too large", p.display());
    }
    std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))
}

/// Splits an allowed_signers line into fields, keeping quoted option values whole.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The entries of an allowed_signers file (`principals [options] keytype key [comment]`,
/// see ssh-keygen(1)) that may sign in the namespace `auditrail`: `cert-authority` lines
/// and lines whose `namespaces=` list leaves it out are skipped; `valid-after` and
/// `valid-before` are not read.
pub fn allowed_signers(text: &str) -> Result<Vec<(String, PublicKey)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let f = fields(line);
        if f.is_empty() || f[0].starts_with('#') {
            continue;
        }
        let at = (1..f.len().saturating_sub(1))
            .find_map(|k| {
                PublicKey::from_openssh(&format!("{} {}", f[k], f[k + 1]))
                    .ok()
                    .map(|key| (k, key))
            })
            .ok_or_else(|| format!("line {}: no public key (principals [options] key)", i + 1))?;
        let options = f[1..at.0].join(",").to_ascii_lowercase();
        if options.contains("cert-authority") {
            continue;
        }
        if let Some(at) = options.find("namespaces=") {
            let rest = &options[at + "namespaces=".len()..];
            let list = match rest.strip_prefix('"') {
                Some(q) => q.split('"').next().unwrap_or(""),
                None => rest.split(',').next().unwrap_or(""),
            };
            if !list.split(',').any(|n| n == NAMESPACE || n == "*") {
                continue;
            }
        }
        out.push((f[0].clone(), at.1));
    }
    Ok(out)
}

/// `hash  name` lines of SHA256SUMS (`*name` for binary mode accepted).
fn parse_sums(text: &str) -> Result<Vec<(String, String)>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| {
            let (hash, name) = l
                .split_once(' ')
                .ok_or_else(|| format!("line {}: expected `SHA256  NAME`", i + 1))?;
            let name = name
                .strip_prefix(' ')
                .or_else(|| name.strip_prefix('*'))
                .unwrap_or(name);
            if !super::manifest::is_sha256(hash) || name.is_empty() {
                return Err(format!("line {}: expected `SHA256  NAME`", i + 1));
            }
            Ok((hash.to_string(), name.to_string()))
        })
        .collect()
}

/// True for a plain file name inside the package (no directory part).
fn package_name(name: &str) -> bool {
    !name.contains('/') && !name.contains('\\') && name != "." && name != ".."
}

/// The file's size when its first `bytes` bytes hash to `expected` and it is longer.
fn appended(path: &Path, bytes: u64, expected: &str) -> Option<u64> {
    use sha2::Digest;
    use std::io::Read;
    let len = std::fs::metadata(path).ok()?.len();
    if len <= bytes {
        return None;
    }
    let mut h = sha2::Sha256::new();
    let mut f = std::fs::File::open(path).ok()?.take(bytes);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    (crate::digest::hex(&h.finalize()) == expected).then_some(len)
}

fn check(list: &'static str, path: &Path, shown: &str, expected: &str, absent: State) -> FileCheck {
    let state = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => absent,
        Ok(m) if !m.is_file() => State::Bad("not a regular file".to_string()),
        Err(e) => State::Bad(e.to_string()),
        Ok(_) => match sha256_file(path) {
            Ok(h) if h == expected => State::Ok,
            Ok(h) => State::Differs(h),
            Err(e) => State::Bad(e.to_string()),
        },
    };
    FileCheck {
        list,
        path: shown.to_string(),
        expected: expected.to_string(),
        state,
    }
}

/// Checks the package in `dir`. An error (exit 2) is a directory that is not a package:
/// no readable SHA256SUMS or manifest.json, or one that does not parse.
pub fn verify(dir: &Path, trusted: &Trusted) -> anyhow::Result<Verification> {
    if !dir.is_dir() {
        anyhow::bail!("{}: not a directory (give a report package)", dir.display());
    }
    let sums_path = dir.join(SUMS);
    let sums_text = small_text(&sums_path)?;
    let sums =
        parse_sums(&sums_text).map_err(|e| anyhow::anyhow!("{}: {e}", sums_path.display()))?;
    let manifest = read_manifest(&dir.join(MANIFEST))?;

    let mut files = Vec::new();
    for (hash, name) in &sums {
        if package_name(name) {
            files.push(check(SUMS, &dir.join(name), name, hash, State::Missing));
        } else {
            files.push(FileCheck {
                list: SUMS,
                path: name.clone(),
                expected: hash.clone(),
                state: State::Bad("not a file name of the package".to_string()),
            });
        }
    }
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name != SUMS && name != SIGNATURE && !sums.iter().any(|(_, n)| *n == name) {
            unlisted.push(name);
        }
    }
    unlisted.sort();

    for o in &manifest.outputs {
        let state = if package_name(&o.path) {
            check(
                "output",
                &dir.join(&o.path),
                &o.path,
                &o.sha256,
                State::Missing,
            )
        } else {
            FileCheck {
                list: "output",
                path: o.path.clone(),
                expected: o.sha256.clone(),
                state: State::Bad("not a file name of the package".to_string()),
            }
        };
        files.push(state);
    }
    for i in &manifest.inputs {
        if i.path == "-" || !super::manifest::is_sha256(&i.sha256) {
            continue;
        }
        let mut c = check(
            "input",
            Path::new(&i.path),
            &i.path,
            &i.sha256,
            State::Absent,
        );
        if let State::Differs(_) = c.state {
            if let Some(now) = appended(Path::new(&i.path), i.bytes, &i.sha256) {
                c.state = State::Appended(i.bytes, now);
            }
        }
        files.push(c);
    }
    let outside = std::iter::empty()
        .chain(
            manifest
                .config
                .iter()
                .map(|c| ("config", &c.path, &c.sha256)),
        )
        .chain(
            manifest
                .exceptions
                .iter()
                .map(|c| ("exceptions", &c.path, &c.sha256)),
        )
        .chain(
            manifest
                .policies
                .iter()
                .filter(|p| !p.path.ends_with(BUILTIN))
                .map(|p| ("policy", &p.path, &p.sha256)),
        );
    let builtin_policies = manifest
        .policies
        .iter()
        .filter(|p| p.path.ends_with(BUILTIN))
        .count();
    for (list, path, hash) in outside {
        files.push(check(list, Path::new(path), path, hash, State::Absent));
    }

    let signature = signature(dir, sums_text.as_bytes(), trusted)?;
    Ok(Verification {
        dir: dir.to_path_buf(),
        files,
        unlisted,
        builtin_policies,
        signature,
    })
}

fn signature(dir: &Path, sums: &[u8], trusted: &Trusted) -> anyhow::Result<Signature> {
    let path = dir.join(SIGNATURE);
    if !path.exists() {
        return Ok(match trusted {
            Trusted::Any => Signature::Unsigned,
            _ => Signature::Required,
        });
    }
    let text = small_text(&path)?;
    let sig = match SshSig::from_pem(text.trim()) {
        Ok(s) => s,
        Err(e) => return Ok(Signature::Invalid(format!("not an sshsig signature ({e})"))),
    };
    let key = PublicKey::from(sig.public_key().clone());
    let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
    if let Err(e) = key.verify(NAMESPACE, sums, &sig) {
        return Ok(Signature::Invalid(format!(
            "does not match SHA256SUMS for key {fingerprint} in namespace \"{NAMESPACE}\" ({e})"
        )));
    }
    let signer = match trusted {
        Trusted::Any => None,
        Trusted::Key(k) if k.key_data() == key.key_data() => Some("--key".to_string()),
        Trusted::Key(_) => {
            return Ok(Signature::Invalid(format!(
                "signed by key {fingerprint}, not by --key"
            )))
        }
        Trusted::Signers(list) => match list.iter().find(|(_, k)| k.key_data() == key.key_data()) {
            Some((principals, _)) => Some(principals.clone()),
            None => {
                return Ok(Signature::Invalid(format!(
                    "signed by key {fingerprint}, which --allowed-signers does not list for \
                     the namespace \"{NAMESPACE}\""
                )))
            }
        },
    };
    Ok(Signature::Valid {
        fingerprint,
        signer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_lines_parse_and_bad_ones_are_named() {
        let h = "a".repeat(64);
        let ok = parse_sums(&format!("{h}  report.html\n{h} *b.csv\n")).unwrap();
        assert_eq!(ok[1].1, "b.csv");
        assert!(parse_sums("xyz  a\n").unwrap_err().starts_with("line 1"));
        assert!(!package_name("../x") && !package_name("a/b") && package_name("a.csv"));
    }

    #[test]
    fn allowed_signers_keep_the_namespace_and_skip_cas() {
        let key =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICeAqzbBPPpdTV2f5J2X0PbSe7eP+JJ8RjMIW3Ss/e/J";
        let text = format!(
            "# comment\nalice {key} laptop\nbob namespaces=\"git,auditrail\" {key}\n\
             carol namespaces=\"git\" {key}\nca cert-authority {key}\n"
        );
        let list = allowed_signers(&text).unwrap();
        let names: Vec<&str> = list.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, ["alice", "bob"]);
        assert!(allowed_signers("alice nothing\n")
            .unwrap_err()
            .contains("line 1"));
    }
}
