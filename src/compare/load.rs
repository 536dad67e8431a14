//! Reading one side of a comparison from disk: a `summary.json` file, or a `report`
//! package directory holding one. The file is read as JSON without a `Deserialize` on
//! [`crate::aggregate::Summary`]; only `schema_version` 1 is accepted, so a summary of a
//! future shape is refused by name instead of being compared wrongly.

use anyhow::Context;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The summary schema versions this build reads.
pub const READABLE_VERSION: u64 = crate::aggregate::SCHEMA_VERSION as u64;

/// The file to read for `path`: `path/summary.json` for a directory, else `path`.
pub fn summary_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join("summary.json")
    } else {
        path.to_path_buf()
    }
}

/// Reads and checks a summary.
pub fn read(path: &Path) -> anyhow::Result<Value> {
    let file = summary_path(path);
    let text = std::fs::read(&file).with_context(|| {
        format!(
            "cannot read {} (give a summary.json or a report package directory)",
            file.display()
        )
    })?;
    let value: Value = serde_json::from_slice(&text).with_context(|| {
        format!(
            "{} is not JSON (write one with `auditrail summary --format json`)",
            file.display()
        )
    })?;
    check(&value, &file)?;
    Ok(value)
}

/// Accepts a summary of a version this build reads.
pub fn check(value: &Value, file: &Path) -> anyhow::Result<()> {
    match value.get("schema_version").and_then(Value::as_u64) {
        Some(READABLE_VERSION) => Ok(()),
        Some(v) => anyhow::bail!(
            "{}: summary schema_version {v} is not supported (this auditrail reads version \
             {READABLE_VERSION}); summarise the logs again with this version",
            file.display()
        ),
        None => anyhow::bail!(
            "{}: no schema_version, so not an auditrail summary.json (write one with \
             `auditrail summary --format json`)",
            file.display()
        ),
    }
}
