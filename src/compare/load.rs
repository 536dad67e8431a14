//! Reading one side of a comparison: a `summary.json` file, a `report` package directory
//! holding one, or a [`Summary`] built just now, all through [`from_reader`] so they give
//! the same value.
//!
//! A summary.json of a busy month is tens of MB, nearly all of it fact lists a comparison
//! never reads; parsed whole into a `serde_json::Value` it took about 15 times its size in
//! memory. So the file is streamed through a `BufReader` and only the parts named in
//! [`READ_PATHS`] are built; everything else is skipped as it is parsed. Only
//! `schema_version` 1 is accepted, so a summary of a future shape is refused by name
//! instead of being compared wrongly, and the parts read must have their documented types
//! and ranges ([`super::schema`]), so a crafted or damaged file is refused by file and key.

use crate::aggregate::Summary;
use anyhow::Context;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The summary schema versions this build reads.
pub const READABLE_VERSION: u64 = crate::aggregate::SCHEMA_VERSION as u64;

/// The parts of `summary.json` a comparison or a trend reads: dotted paths, `*` for any
/// key; a path goes through an array into each of its elements. A value at a listed path
/// is kept whole; objects on the way keep only the keys that lead to one (so
/// `mac.signatures.*.lsm` keeps every signature's key but not its denials). Code that
/// starts reading another part must add its path here: the test
/// `pruned_summaries_compare_like_whole_ones` fails otherwise.
pub const READ_PATHS: &[&str] = &[
    "schema_version",
    "period",
    "metrics",
    // `Comparison`: hosts, accounts, signatures.
    "hosts.*.events",
    "hosts.*.lost_events",
    "hosts.*.silences",
    "accounts.by_target.*.created",
    "accounts.by_target.*.deleted",
    "logins.login_breakdown.by_account",
    "logins.auth_breakdown.by_account",
    "logins.failed_logins.count.by_host",
    "mac.signatures.*.lsm",
    // `--baseline`: whether the signature list above is whole.
    "limits_reached",
    // `daily`: per-day series.
    "hosts.*.by_day",
    "logins.logins.count.by_day",
    "logins.failed_logins.count.by_day",
    "privilege.commands.count.by_day",
    "mac.denials.by_day",
    // `grants`: group additions and role assignments.
    "accounts.modified.omitted",
    "accounts.modified.items.op",
    "accounts.modified.items.detail.group",
    "accounts.modified.items.time_ms",
    "accounts.modified.items.node",
    "accounts.modified.items.auid",
    "accounts.modified.items.target",
    "accounts.roles.omitted",
    "accounts.roles.items.kind",
    "accounts.roles.items.detail.context",
    "accounts.roles.items.time_ms",
    "accounts.roles.items.node",
    "accounts.roles.items.auid",
    "accounts.roles.items.target",
];

/// The file to read for `path`: `path/summary.json` for a directory, else `path`.
pub fn summary_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join("summary.json")
    } else {
        path.to_path_buf()
    }
}

/// Reads and checks a summary (the parts in [`READ_PATHS`]).
pub fn read(path: &Path) -> anyhow::Result<Value> {
    let file = summary_path(path);
    let f = std::fs::File::open(&file).with_context(|| {
        format!(
            "cannot read {} (give a summary.json or a report package directory)",
            file.display()
        )
    })?;
    let value = from_reader(std::io::BufReader::with_capacity(1 << 16, f)).with_context(|| {
        format!(
            "{} is not JSON (write one with `auditrail summary --format json`)",
            file.display()
        )
    })?;
    check(&value, &file)?;
    Ok(value)
}

/// A summary built now, as [`read`] would read it back from its `summary.json`.
pub fn of_summary(summary: &Summary) -> anyhow::Result<Value> {
    let bytes = serde_json::to_vec(summary)?;
    Ok(from_reader(bytes.as_slice())?)
}

/// Parses summary JSON keeping only [`READ_PATHS`].
pub fn from_reader(reader: impl std::io::Read) -> serde_json::Result<Value> {
    let paths: Vec<Vec<&str>> = READ_PATHS.iter().map(|p| p.split('.').collect()).collect();
    let wanted: Vec<&[&str]> = paths.iter().map(Vec::as_slice).collect();
    let mut de = serde_json::Deserializer::from_reader(reader);
    let value = Pruned(&wanted).deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Accepts a summary of a version this build reads whose read parts have their documented
/// shape ([`super::schema`]); the error names the file and the key.
pub fn check(value: &Value, file: &Path) -> anyhow::Result<()> {
    match value.get("schema_version") {
        Some(v) if v.as_u64() == Some(READABLE_VERSION) => {}
        Some(v) if v.is_u64() => anyhow::bail!(
            "{}: summary schema_version {v} is not supported (this auditrail reads version \
             {READABLE_VERSION}); summarise the logs again with this version",
            file.display()
        ),
        Some(v) if !v.is_null() => anyhow::bail!(
            "{}: key `schema_version`: {} is not a version number (this auditrail reads \
             version {READABLE_VERSION})",
            file.display(),
            crate::inert::escape(&v.to_string())
        ),
        _ => anyhow::bail!(
            "{}: no schema_version, so not an auditrail summary.json (write one with \
             `auditrail summary --format json`)",
            file.display()
        ),
    }
    super::schema::validate(value).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}; not a summary as auditrail writes it (write one \
             with `auditrail summary --format json`)",
            file.display()
        )
    })
}

/// A value whose wanted parts are the rest of these paths (an empty rest: all of it).
struct Pruned<'a, 'p>(&'a [&'p [&'p str]]);

impl<'de> DeserializeSeed<'de> for Pruned<'_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        if self.0.iter().any(|p| p.is_empty()) {
            return serde::Deserialize::deserialize(de);
        }
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Pruned<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("summary JSON")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut rest: Vec<&[&str]> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            rest.clear();
            rest.extend(
                self.0
                    .iter()
                    .filter(|p| p[0] == "*" || p[0] == key)
                    .map(|&p| &p[1..]),
            );
            if rest.is_empty() {
                map.next_value::<IgnoredAny>()?;
            } else {
                let v = map.next_value_seed(Pruned(&rest))?;
                out.insert(key, v);
            }
        }
        Ok(Value::Object(out))
    }

    // The paths go on into each element.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Pruned(self.0))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_only_the_listed_paths() {
        let text = json!({
            "schema_version": 1,
            "metrics": {"events": 3},
            "hosts": {"web": {"events": 3, "by_day": {"2026-10-01": 3}, "silences": [{"a": 1}]}},
            "mac": {"signatures": {"sig": {"lsm": "selinux", "items": [{"big": "fact"}]}}},
            "logins": {"failed_logins": {"count": {"total": 1, "by_host": {"web": 1}},
                       "items": [{"x": 1}]}},
            "accounts": {"by_target": {"bob": {"created": 1, "modified": 2}},
                         "modified": {"omitted": 0, "items": [
                             {"op": "add-user-to-group", "detail": {"group": "wheel", "x": 1},
                              "exe": "/usr/sbin/usermod"}]}},
            "daemon": {"lifecycle": {"items": []}},
        })
        .to_string();
        let v = from_reader(text.as_bytes()).unwrap();
        assert_eq!(
            v,
            json!({
                "schema_version": 1,
                "metrics": {"events": 3},
                "hosts": {"web": {"events": 3, "by_day": {"2026-10-01": 3}, "silences": [{"a": 1}]}},
                "mac": {"signatures": {"sig": {"lsm": "selinux"}}},
                "logins": {"failed_logins": {"count": {"by_host": {"web": 1}}}},
                "accounts": {"by_target": {"bob": {"created": 1}},
                             "modified": {"omitted": 0, "items": [
                                 {"op": "add-user-to-group", "detail": {"group": "wheel"}}]}},
            })
        );
        assert!(from_reader(&b"{\"metrics\": {} } x"[..]).is_err());
    }
}
