//! A package's `manifest.json`: one [`Manifest`] type, written by `report` (its inputs,
//! policies, configuration and outputs) and `compare --format csv` (the two periods and its
//! outputs), and read back by `--force` (is this a package of ours, of which kind, listing
//! which files: [`super::replace`]) and by F-AUD-11 (which inputs did it record:
//! [`crate::integrity`]).
//!
//! Each input has the SHA-256 and size of its bytes as read; a gzip file also those of its
//! decompressed bytes (so it can be recognised once a rotation compresses or decompresses
//! it); and the times of its earliest and latest record (so a newer file that took an
//! archived file's name after a rotation is not mistaken for it).
//!
//! Reading validates every value a reader uses (tool, kind, generation time, inputs, output
//! names) and names the key of the first that is wrong (`inputs[2].sha256: ...`): a hash
//! that is not 64 lowercase hex digits would otherwise match nothing and turn every input
//! into a false finding. The parts no check reads (command line, period, policies,
//! configuration, exceptions file, compared periods) are kept when they have the shape written, else left
//! empty.

use crate::model::format_ms;
use anyhow::Context;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::path::Path;

/// The manifest's file name in a package.
pub const MANIFEST: &str = "manifest.json";

/// A manifest larger than this is not a report package's.
const MAX_BYTES: u64 = 256 << 20;

/// The package kind `report` writes (and that manifests written before `kind` existed are).
pub const REPORT: &str = "report";
/// The package kind `compare --format csv` writes.
pub const COMPARE: &str = "compare";

/// A package's `manifest.json`. Report-only parts are empty in a compare package's
/// manifest and the other way round; the serialization writes each kind's fields in the
/// order that kind has always had (a compare manifest's keys sorted).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Version of the package layout.
    pub schema_version: u64,
    /// [`REPORT`] or [`COMPARE`]: with `tool.name`, what `--force` checks before it
    /// replaces a directory.
    pub kind: String,
    /// The program that wrote it.
    pub tool: Tool,
    /// The command line of the run (report).
    pub command_line: Vec<String>,
    /// When the package was generated, RFC 3339.
    pub generated_at: Option<String>,
    /// The reporting period (report).
    pub period: Option<ManifestPeriod>,
    /// The input files the package was built from (report).
    pub inputs: Vec<ManifestInput>,
    /// The policy files used (report).
    pub policies: Vec<ManifestPolicy>,
    /// The site configuration file (report), when one was given.
    pub config: Option<ManifestFile>,
    /// The exceptions register file (report), when one was used; absent from the JSON
    /// otherwise.
    pub exceptions: Option<ManifestFile>,
    /// The baseline period's label (compare).
    pub baseline: Option<String>,
    /// The current period's label (compare).
    pub current: Option<String>,
    /// The files of the package (except the manifest and checksums).
    pub outputs: Vec<ManifestFile>,
}

/// The program that wrote a package.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `auditrail`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// A report package's period, as its report shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestPeriod {
    /// Canonical spec (`2026-10`).
    pub spec: String,
    /// Local description with zone.
    pub description: String,
    /// IANA zone.
    pub tz: String,
    /// Inclusive start (UTC), when bounded.
    pub start: Option<String>,
    /// Exclusive end (UTC), when bounded.
    pub end: Option<String>,
}

/// A policy file a report used.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestPolicy {
    /// Path as given.
    pub path: String,
    /// Framework and version as the file states it.
    pub version: String,
    /// SHA-256 of the file.
    pub sha256: String,
}

/// One file of the package (or the configuration file) as the manifest lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Path (a file name inside the package for outputs).
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

impl Serialize for Manifest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.kind == COMPARE {
            // Written as a JSON object since compare packages exist: keys sorted.
            let mut st = s.serialize_struct("Manifest", 7)?;
            st.serialize_field("baseline", &self.baseline)?;
            st.serialize_field("current", &self.current)?;
            st.serialize_field("generated_at", &self.generated_at)?;
            st.serialize_field("kind", &self.kind)?;
            st.serialize_field("outputs", &SortedFiles(&self.outputs))?;
            st.serialize_field("schema_version", &self.schema_version)?;
            st.serialize_field("tool", &self.tool)?;
            return st.end();
        }
        let mut st = s.serialize_struct("Manifest", 11)?;
        st.serialize_field("schema_version", &self.schema_version)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("tool", &self.tool)?;
        st.serialize_field("command_line", &self.command_line)?;
        st.serialize_field("generated_at", &self.generated_at)?;
        st.serialize_field("period", &self.period)?;
        st.serialize_field("inputs", &self.inputs)?;
        st.serialize_field("policies", &self.policies)?;
        st.serialize_field("config", &self.config)?;
        if self.exceptions.is_some() {
            st.serialize_field("exceptions", &self.exceptions)?;
        } else {
            st.skip_field("exceptions")?;
        }
        st.serialize_field("outputs", &self.outputs)?;
        st.end()
    }
}

/// Files with their keys sorted, as a compare manifest has always listed them.
struct SortedFiles<'a>(&'a [ManifestFile]);

impl Serialize for SortedFiles<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted<'a> {
            bytes: u64,
            path: &'a str,
            sha256: &'a str,
        }
        s.collect_seq(self.0.iter().map(|f| Sorted {
            bytes: f.bytes,
            path: &f.path,
            sha256: &f.sha256,
        }))
    }
}

impl Manifest {
    /// True when `tool.name` is auditrail.
    pub fn is_ours(&self) -> bool {
        self.tool.name == "auditrail"
    }

    /// When the package was generated, epoch ms (validated when read): for manifests
    /// written before inputs carried their record times, the bound on their records.
    pub fn generated_ms(&self) -> Option<i64> {
        time_ms(&Value::String(self.generated_at.clone()?))
    }

    /// Reads a manifest's JSON value, validating what readers use (errors name the key);
    /// a missing list of inputs or outputs reads as empty.
    pub fn from_value(v: &Value) -> Result<Manifest, String> {
        if !v.is_object() {
            return Err(format!("expected an object, found {}", shown(v)));
        }
        let kind = match &v["kind"] {
            Value::Null => REPORT.to_string(),
            Value::String(k) => k.clone(),
            k => return Err(format!("kind: expected a name, found {}", shown(k))),
        };
        let generated_at = match &v["generated_at"] {
            Value::Null => None,
            g => match time_ms(g) {
                Some(_) => g.as_str().map(str::to_string),
                None => {
                    return Err(format!(
                        "generated_at: expected an RFC 3339 time, found {}",
                        shown(g)
                    ))
                }
            },
        };
        let inputs = match &v["inputs"] {
            Value::Null => Vec::new(),
            Value::Array(list) => list
                .iter()
                .enumerate()
                .map(|(i, item)| input(item, &format!("inputs[{i}]")))
                .collect::<Result<_, _>>()?,
            x => return Err(format!("inputs: expected a list, found {}", shown(x))),
        };
        let outputs = match &v["outputs"] {
            Value::Null => Vec::new(),
            Value::Array(list) => list
                .iter()
                .enumerate()
                .map(|(i, item)| output(item, &format!("outputs[{i}]")))
                .collect::<Result<_, _>>()?,
            x => return Err(format!("outputs: expected a list, found {}", shown(x))),
        };
        let lenient = |key: &str| v.get(key).cloned().unwrap_or(Value::Null);
        Ok(Manifest {
            schema_version: v["schema_version"].as_u64().unwrap_or(0),
            kind,
            tool: Tool {
                name: text(&v["tool"]["name"]),
                version: text(&v["tool"]["version"]),
            },
            command_line: serde_json::from_value(lenient("command_line")).unwrap_or_default(),
            generated_at,
            period: serde_json::from_value(lenient("period")).unwrap_or_default(),
            inputs,
            policies: serde_json::from_value(lenient("policies")).unwrap_or_default(),
            config: serde_json::from_value(lenient("config")).unwrap_or_default(),
            exceptions: serde_json::from_value(lenient("exceptions")).unwrap_or_default(),
            baseline: v["baseline"].as_str().map(str::to_string),
            current: v["current"].as_str().map(str::to_string),
            outputs,
        })
    }
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
    /// A summary.json read by `report --summaries`, not a log: F-AUD-11 does not follow it
    /// into a later period (written only when true).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub summary: bool,
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
        summary: match field("summary") {
            (Value::Null, _) => false,
            (Value::Bool(b), _) => *b,
            (v, k) => return Err(format!("{k}: expected true or false, found {}", shown(v))),
        },
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

/// A string value, or empty.
fn text(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_default()
}

/// A listed output: a file name (with its size and hash when given).
fn output(v: &Value, key: &str) -> Result<ManifestFile, String> {
    match v["path"].as_str() {
        Some(p) if is_plain_name(p) => Ok(ManifestFile {
            path: p.to_string(),
            bytes: v["bytes"].as_u64().unwrap_or(0),
            sha256: text(&v["sha256"]),
        }),
        _ => Err(format!(
            "{key}.path: expected a file name, found {}",
            shown(&v["path"])
        )),
    }
}

/// A single file name: no separator, not `.` or `..`.
pub fn is_plain_name(p: &str) -> bool {
    !p.is_empty() && p != "." && p != ".." && !p.contains(['/', '\\'])
}

/// Validates a report package manifest's JSON value for F-AUD-11 (errors name the key):
/// written by auditrail, listing its inputs.
pub fn from_value(v: &Value) -> Result<Manifest, String> {
    if v["tool"]["name"] != "auditrail" {
        return Err(format!(
            "tool.name: expected \"auditrail\", found {} (not an auditrail report package)",
            shown(&v["tool"]["name"])
        ));
    }
    if !v["inputs"].is_array() {
        return Err(format!(
            "inputs: expected a list, found {}",
            shown(&v["inputs"])
        ));
    }
    Manifest::from_value(v)
}

/// The manifest of a package directory (or the file itself).
pub fn read_manifest(path: &Path) -> anyhow::Result<Manifest> {
    let file = if path.is_dir() {
        path.join(MANIFEST)
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
    from_value(&v).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
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
            summary: false,
        };
        let v = with_input(serde_json::to_value(&item).unwrap());
        assert_eq!(v["inputs"][0]["first_record"], "2026-09-21T14:13:20.000Z");
        let m = from_value(&v).unwrap();
        assert_eq!(m.inputs, vec![item]);
        assert_eq!(m.generated_ms(), Some(1_793_577_600_000));
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
    fn a_written_manifest_reads_back_whole() {
        let file = |path: &str| ManifestFile {
            path: path.into(),
            bytes: 3,
            sha256: H.into(),
        };
        let report = Manifest {
            schema_version: 2,
            kind: REPORT.into(),
            tool: Tool {
                name: "auditrail".into(),
                version: "1.0.0".into(),
            },
            command_line: vec!["auditrail".into(), "report".into()],
            generated_at: Some("2026-11-02T00:00:00Z".into()),
            period: Some(ManifestPeriod {
                spec: "2026-10".into(),
                description: "October 2026".into(),
                tz: "UTC".into(),
                start: Some("2026-10-01T00:00:00Z".into()),
                end: None,
            }),
            inputs: vec![ManifestInput {
                path: "a.log".into(),
                bytes: 3,
                sha256: H.into(),
                first_ms: Some(1_790_000_000_000),
                ..ManifestInput::default()
            }],
            policies: vec![ManifestPolicy {
                path: "pci".into(),
                version: "PCI DSS 4.0".into(),
                sha256: H.into(),
            }],
            config: Some(file("site.toml")),
            exceptions: Some(file("exceptions.toml")),
            baseline: None,
            current: None,
            outputs: vec![file("report.html")],
        };
        let compare = Manifest {
            schema_version: 1,
            kind: COMPARE.into(),
            tool: report.tool.clone(),
            generated_at: report.generated_at.clone(),
            baseline: Some("2026-09".into()),
            current: Some("2026-10".into()),
            outputs: vec![file("metrics.csv")],
            ..Manifest::default()
        };
        for m in [report, compare] {
            let v = serde_json::to_value(&m).unwrap();
            assert_eq!(Manifest::from_value(&v).unwrap(), m);
        }
        // A compare manifest keeps the sorted keys it was first written with.
        let text = serde_json::to_string(&Manifest {
            kind: COMPARE.into(),
            outputs: vec![file("m.csv")],
            ..Manifest::default()
        })
        .unwrap();
        assert!(
            text.starts_with(r#"{"baseline":null,"current":null,"generated_at":null,"kind""#)
                && text.contains(r#""outputs":[{"bytes":3,"path":"m.csv","sha256""#),
            "{text}"
        );
        let e = Manifest::from_value(&json!({"outputs": [{"path": "../x"}]})).unwrap_err();
        assert!(
            e.starts_with("outputs[0].path: expected a file name"),
            "{e}"
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
