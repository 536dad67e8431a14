//! F-AUD-11 (manifest integrity): an input file listed in a baseline package's
//! `manifest.json` that is an input again now must still hash to the SHA-256 the package
//! recorded. A file that only grew (its first `bytes` bytes still hash to the recorded
//! value, as a live `audit.log` does) is reported as appended, not as a finding; any other
//! difference is critical: evidence already signed off no longer matches its logs.

use anyhow::Context;
use serde::Serialize;
use serde_json::Value;
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

/// Hex SHA-256 of the whole file and of its first `prefix` bytes.
fn hashes(path: &Path, prefix: u64) -> std::io::Result<(String, String)> {
    let mut f = std::fs::File::open(path)?;
    let (mut whole, mut head) = (Sha256::new(), Sha256::new());
    let mut buf = vec![0u8; 1 << 20];
    let mut seen = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        whole.update(&buf[..n]);
        let take = usize::try_from(prefix.saturating_sub(seen)).map_or(n, |t| t.min(n));
        head.update(&buf[..take]);
        seen += n as u64;
    }
    let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    Ok((hex(&whole.finalize()), hex(&head.finalize())))
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The manifest of a package directory (or the file itself).
pub fn read_manifest(path: &Path) -> anyhow::Result<Value> {
    let file = if path.is_dir() {
        path.join("manifest.json")
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read(&file)
        .with_context(|| format!("cannot read {} (give a report package)", file.display()))?;
    serde_json::from_slice(&text).with_context(|| format!("{} is not JSON", file.display()))
}

/// Checks every manifest input that is among `inputs`.
pub fn check(manifest: &Value, inputs: &[PathBuf]) -> anyhow::Result<Vec<InputCheck>> {
    let mut out = Vec::new();
    for item in manifest["inputs"].as_array().into_iter().flatten() {
        let (Some(path), Some(sha)) = (item["path"].as_str(), item["sha256"].as_str()) else {
            continue;
        };
        let Some(now) = inputs.iter().find(|p| same_file(Path::new(path), p)) else {
            continue;
        };
        let bytes = item["bytes"].as_u64().unwrap_or(u64::MAX);
        let (whole, head) =
            hashes(now, bytes).with_context(|| format!("cannot hash {}", now.display()))?;
        let status = if whole == sha {
            "unchanged"
        } else if head == sha && std::fs::metadata(now)?.len() > bytes {
            "appended"
        } else {
            "changed"
        };
        out.push(InputCheck {
            path: path.to_string(),
            status,
            finding: (status == "changed").then_some("F-AUD-11 critical"),
            baseline_sha256: sha.to_string(),
            current_sha256: whole,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
