//! Evidence integrity (F-AUD-11): an input file listed in a previous report package's
//! `manifest.json` that is an input again now must still hash to the SHA-256 the package
//! recorded. A file that only grew (its first `bytes` bytes still hash to the recorded
//! value, as a live `audit.log` does) is reported as appended, not as a finding; any other
//! difference is critical: evidence already signed off no longer matches its logs.
//!
//! It sits next to [`crate::input`] because it is about input files and nothing else, so
//! both the finding rules (`report --baseline`, `findings --baseline`) and
//! `compare --baseline-manifest` use it.

use crate::digest::hex;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input of the baseline package that is an input again now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputCheck {
    /// The path as the manifest states it.
    pub path: String,
    /// `unchanged`, `appended` or `changed`.
    pub status: &'static str,
    /// `F-AUD-11 critical` for `changed`, else `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<&'static str>,
    /// SHA-256 the manifest recorded.
    pub baseline_sha256: String,
    /// SHA-256 of the file now.
    pub current_sha256: String,
}

/// The part of a package's `manifest.json` the check reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Manifest {
    /// The input files the package was built from.
    #[serde(default)]
    pub inputs: Vec<ManifestInput>,
}

/// One input file of a manifest.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ManifestInput {
    /// The path as given then.
    pub path: Option<String>,
    /// Its size then.
    pub bytes: Option<u64>,
    /// Its SHA-256 then (`-` for standard input).
    pub sha256: Option<String>,
}

/// Hex SHA-256 of the whole file (unless `whole` is already known) and of its first
/// `prefix` bytes.
fn digest_file(path: &Path, prefix: u64, whole: Option<&str>) -> std::io::Result<(String, String)> {
    let mut f = std::fs::File::open(path)?;
    let (mut all, mut head) = (Sha256::new(), Sha256::new());
    let mut buf = vec![0u8; 1 << 20];
    let mut seen = 0u64;
    loop {
        if whole.is_some() && seen >= prefix {
            break;
        }
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        all.update(&buf[..n]);
        let take = usize::try_from(prefix.saturating_sub(seen)).map_or(n, |t| t.min(n));
        head.update(&buf[..take]);
        seen += n as u64;
    }
    let all = whole.map_or_else(|| hex(&all.finalize()), str::to_string);
    Ok((all, hex(&head.finalize())))
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The manifest of a package directory (or the file itself).
pub fn read_manifest(path: &Path) -> anyhow::Result<Manifest> {
    let file = if path.is_dir() {
        path.join("manifest.json")
    } else {
        path.to_path_buf()
    };
    let f = std::fs::File::open(&file)
        .with_context(|| format!("cannot read {} (give a report package)", file.display()))?;
    serde_json::from_reader(std::io::BufReader::new(f))
        .with_context(|| format!("{} is not a report package's manifest.json", file.display()))
}

/// Checks every manifest input that is among `inputs`, hashing them.
pub fn check(manifest: &Manifest, inputs: &[PathBuf]) -> anyhow::Result<Vec<InputCheck>> {
    check_hashed(manifest, inputs, &[])
}

/// [`check`] where `hashes[i]`, when present, is the SHA-256 of `inputs[i]` computed while
/// it was read: a file whose hash matches is not read again, and one that differs only up
/// to the recorded size.
pub fn check_hashed(
    manifest: &Manifest,
    inputs: &[PathBuf],
    hashes: &[Option<String>],
) -> anyhow::Result<Vec<InputCheck>> {
    let mut out = Vec::new();
    for item in &manifest.inputs {
        let (Some(path), Some(sha)) = (&item.path, &item.sha256) else {
            continue;
        };
        if path == "-" || sha == "-" {
            continue; // standard input: nothing to read again
        }
        let Some(i) = inputs.iter().position(|p| same_file(Path::new(path), p)) else {
            continue;
        };
        let now = &inputs[i];
        let bytes = item.bytes.unwrap_or(u64::MAX);
        let known = hashes.get(i).and_then(Option::as_deref);
        let (whole, head) = match known {
            Some(h) if h == sha => (h.to_string(), h.to_string()),
            _ => digest_file(now, bytes, known)
                .with_context(|| format!("cannot hash {}", now.display()))?,
        };
        let status = if whole == *sha {
            "unchanged"
        } else if head == *sha && std::fs::metadata(now)?.len() > bytes {
            "appended"
        } else {
            "changed"
        };
        out.push(InputCheck {
            path: path.clone(),
            status,
            finding: (status == "changed").then_some("F-AUD-11 critical"),
            baseline_sha256: sha.clone(),
            current_sha256: whole,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(b: &[u8]) -> String {
        crate::digest::sha256(b)
    }

    #[test]
    fn unchanged_appended_and_changed_with_or_without_known_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("a"),
            dir.path().join("b"),
            dir.path().join("c"),
        );
        std::fs::write(&a, b"one\n").unwrap();
        std::fs::write(&b, b"two\nmore\n").unwrap();
        std::fs::write(&c, b"thrEe\n").unwrap();
        let item = |p: &Path, then: &[u8]| ManifestInput {
            path: Some(p.display().to_string()),
            bytes: Some(then.len() as u64),
            sha256: Some(sha(then)),
        };
        let manifest = Manifest {
            inputs: vec![item(&a, b"one\n"), item(&b, b"two\n"), item(&c, b"three\n")],
        };
        let inputs = vec![a.clone(), b.clone(), c.clone()];
        let known: Vec<Option<String>> = inputs
            .iter()
            .map(|p| Some(sha(&std::fs::read(p).unwrap())))
            .collect();
        for hashes in [&[][..], &known] {
            let got = check_hashed(&manifest, &inputs, hashes).unwrap();
            let status: Vec<_> = got.iter().map(|c| c.status).collect();
            assert_eq!(status, ["unchanged", "appended", "changed"]);
            assert_eq!(got[2].current_sha256, sha(b"thrEe\n"));
            assert_eq!(got[1].current_sha256, sha(b"two\nmore\n"));
        }
        // Only inputs of this run are checked.
        assert_eq!(check(&manifest, &inputs[..1]).unwrap().len(), 1);
    }
}
