//! The inputs a report package's `manifest.json` records, written by `report` and read back
//! by the F-AUD-11 check. Each input has the SHA-256 and size of its bytes as read; a gzip
//! file also those of its decompressed bytes (so it can be recognised once a rotation
//! compresses or decompresses it); and the times of its earliest and latest record (so a
//! newer file that took an archived file's name after a rotation is not mistaken for it).
//!
//! Reading validates every value it uses and names the file and key of the first that is
//! wrong (`manifest.json: inputs[2].sha256: ...`): a hash that is not 64 lowercase hex
//! digits would otherwise match nothing and turn every input into a false finding.

use crate::model::format_ms;
use anyhow::Context;
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::path::Path;

/// A manifest larger than this is not a report package's.
const MAX_BYTES: u64 = 256 << 20;

/// The part of a package's `manifest.json` the check reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// When the package was generated (`generated_at`), epoch ms: for manifests written
    /// before inputs carried their record times, the bound on their records.
    pub generated_ms: Option<i64>,
    /// The input files the package was built from.
    pub inputs: Vec<ManifestInput>,
}

/// One input file of a manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ManifestInput {
    /// The path as given then (`-` for standard input).
    pub path: String,
    /// Its size then, as read (before decompression).
    pub bytes: u64,
    /// The SHA-256 of those bytes, lowercase hex (`-` when unknown).
    pub sha256: String,
    /// A gzip file's decompressed size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decompressed_bytes: Option<u64>,
    /// A gzip file's decompressed SHA-256.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decompressed_sha256: Option<String>,
    /// Its earliest record's time, epoch ms (RFC 3339 in the file).
    #[serde(
        rename = "first_record",
        serialize_with = "opt_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub first_ms: Option<i64>,
    /// Its latest record's time, epoch ms.
    #[serde(
        rename = "last_record",
        serialize_with = "opt_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_ms: Option<i64>,
}

fn opt_time<S: Serializer>(ms: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match ms {
        Some(ms) => s.serialize_str(&format_ms(*ms)),
        None => s.serialize_none(),
    }
}

impl ManifestInput {
    /// The hash of its content (decompressed for gzip); `None` for a gzip file recorded
    /// before manifests carried the decompressed hash.
    pub fn content(&self) -> Option<(&str, u64)> {
        match (&self.decompressed_sha256, self.decompressed_bytes) {
            (Some(h), Some(n)) => Some((h, n)),
            _ if self.maybe_compressed() => None,
            _ => Some((&self.sha256, self.bytes)),
        }
    }

    /// True when it was (or, for older manifests, may have been) gzip-compressed.
    pub fn compressed(&self) -> bool {
        self.decompressed_sha256.is_some()
    }

    fn maybe_compressed(&self) -> bool {
        self.path.ends_with(".gz")
    }
}

/// True for 64 lowercase hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A value for an error message: JSON, cut short, control characters escaped.
fn shown(v: &Value) -> String {
    let mut s = v.to_string();
    if s.len() > 80 {
        let mut end = 77;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push_str("...");
    }
    s.escape_default().to_string()
}

fn time_ms(v: &Value) -> Option<i64> {
    let t = chrono::DateTime::parse_from_rfc3339(v.as_str()?).ok()?;
    Some(t.timestamp_millis())
}

/// One input entry, validated; `key` is `inputs[i]`.
fn input(v: &Value, key: &str) -> Result<ManifestInput, String> {
    let field = |name: &str| (&v[name], format!("{key}.{name}"));
    if !v.is_object() {
        return Err(format!("{key}: expected an object, found {}", shown(v)));
    }
    let (path, k) = field("path");
    let path = match path.as_str() {
        Some(p) if !p.is_empty() => p.to_string(),
        _ => return Err(format!("{k}: expected a path, found {}", shown(path))),
    };
    let size = |(v, k): (&Value, String), required: bool| match v {
        Value::Null if !required => Ok(None),
        v => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("{k}: expected a size in bytes, found {}", shown(v))),
    };
    let hash = |(v, k): (&Value, String), required: bool, stdin: bool| match v {
        Value::Null if !required => Ok(None),
        Value::String(s) if is_sha256(s) || (stdin && s == "-") => Ok(Some(s.clone())),
        v => Err(format!(
            "{k}: expected a SHA-256 (64 lowercase hex digits), found {}",
            shown(v)
        )),
    };
    let time = |(v, k): (&Value, String)| match v {
        Value::Null => Ok(None),
        v => time_ms(v)
            .map(Some)
            .ok_or_else(|| format!("{k}: expected an RFC 3339 time, found {}", shown(v))),
    };
    let item = ManifestInput {
        bytes: size(field("bytes"), true)?.unwrap_or(0),
        sha256: hash(field("sha256"), true, true)?.unwrap_or_default(),
        decompressed_bytes: size(field("decompressed_bytes"), false)?,
        decompressed_sha256: hash(field("decompressed_sha256"), false, false)?,
        first_ms: time(field("first_record"))?,
        last_ms: time(field("last_record"))?,
        path,
    };
    if item.decompressed_bytes.is_some() != item.decompressed_sha256.is_some() {
        return Err(format!(
            "{key}: decompressed_bytes and decompressed_sha256 go together"
        ));
    }
    if let (Some(a), Some(b)) = (item.first_ms, item.last_ms) {
        if a > b {
            return Err(format!("{key}: first_record is after last_record"));
        }
    }
    Ok(item)
}

/// Validates a manifest's JSON value (errors name the key).
pub fn from_value(v: &Value) -> Result<Manifest, String> {
    if v["tool"]["name"] != "auditrail" {
        return Err(format!(
            "tool.name: expected \"auditrail\", found {} (not an auditrail report package)",
            shown(&v["tool"]["name"])
        ));
    }
    let generated_ms = match &v["generated_at"] {
        Value::Null => None,
        g => Some(time_ms(g).ok_or_else(|| {
            format!(
                "generated_at: expected an RFC 3339 time, found {}",
                shown(g)
            )
        })?),
    };
    let list = v["inputs"]
        .as_array()
        .ok_or_else(|| format!("inputs: expected a list, found {}", shown(&v["inputs"])))?;
    let inputs = list
        .iter()
        .enumerate()
        .map(|(i, item)| input(item, &format!("inputs[{i}]")))
        .collect::<Result<_, _>>()?;
    Ok(Manifest {
        generated_ms,
        inputs,
    })
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
    if f.metadata().is_ok_and(|m| m.len() > MAX_BYTES) {
        anyhow::bail!("{}: too large for a manifest.json", file.display());
    }
    let v: Value = serde_json::from_reader(std::io::BufReader::new(f))
        .with_context(|| format!("{} is not a report package's manifest.json", file.display()))?;
    from_value(&v)
        .map_err(anyhow::Error::msg)
        .with_context(|| file.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const H: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    fn with_input(item: Value) -> Value {
        json!({"tool": {"name": "auditrail"}, "generated_at": "2026-11-02T00:00:00Z", "inputs": [item]})
    }

    #[test]
    fn written_entries_read_back() {
        let item = ManifestInput {
            path: "logs/audit.log.1.gz".into(),
            bytes: 10,
            sha256: H.into(),
            decompressed_bytes: Some(40),
            decompressed_sha256: Some(H.into()),
            first_ms: Some(1_790_000_000_000),
            last_ms: Some(1_790_000_060_000),
        };
        let v = with_input(serde_json::to_value(&item).unwrap());
        assert_eq!(v["inputs"][0]["first_record"], "2026-09-21T14:13:20.000Z");
        let m = from_value(&v).unwrap();
        assert_eq!(m.inputs, vec![item]);
        assert_eq!(m.generated_ms, Some(1_793_577_600_000));
        // An older entry: no decompressed hash, no record times.
        let old = json!({"path": "a.log", "bytes": 3, "sha256": H});
        let m = from_value(&with_input(old)).unwrap();
        assert_eq!(m.inputs[0].content(), Some((H, 3)));
        let old_gz = json!({"path": "a.log.1.gz", "bytes": 3, "sha256": H});
        assert_eq!(
            from_value(&with_input(old_gz)).unwrap().inputs[0].content(),
            None
        );
    }

    #[test]
    fn wrong_values_are_errors_naming_the_key() {
        let entry = |k: &str, v: Value| {
            let mut e = json!({"path": "a.log", "bytes": 3, "sha256": H});
            e[k] = v;
            from_value(&with_input(e)).unwrap_err()
        };
        for bad in [
            json!("ABC"),
            json!(H.to_uppercase()),
            json!(format!("{H}0")),
            json!(7),
        ] {
            let e = entry("sha256", bad);
            assert!(e.starts_with("inputs[0].sha256: expected a SHA-256"), "{e}");
        }
        let stdin = json!({"path": "-", "bytes": 3, "sha256": "-"});
        assert!(from_value(&with_input(stdin)).is_ok(), "standard input");
        assert!(entry("bytes", json!(-1)).starts_with("inputs[0].bytes: expected a size"));
        assert!(entry("bytes", json!(1.5)).starts_with("inputs[0].bytes"));
        assert!(
            entry("decompressed_sha256", json!("x")).starts_with("inputs[0].decompressed_sha256")
        );
        assert!(entry("decompressed_sha256", json!(H)).contains("go together"));
        assert!(entry("first_record", json!("yesterday")).starts_with("inputs[0].first_record"));
        assert!(entry("path", json!("")).starts_with("inputs[0].path"));
        let e = entry("sha256", json!("\u{1b}[2J"));
        assert!(!e.contains('\u{1b}'), "escaped: {e}");
        let e = from_value(&json!({"tool": {"name": "x"}, "inputs": []})).unwrap_err();
        assert!(e.starts_with("tool.name"), "{e}");
        let e = from_value(&json!({"tool": {"name": "auditrail"}})).unwrap_err();
        assert!(e.starts_with("inputs:"), "{e}");
        let e =
            from_value(&json!({"tool": {"name": "auditrail"}, "generated_at": 5, "inputs": []}))
                .unwrap_err();
        assert!(e.starts_with("generated_at"), "{e}");
    }
}
