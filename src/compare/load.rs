//! Reading one side of a comparison: a `summary.json` file or a `report` package directory
//! holding one, as a [`SummaryView`] (a summary built just now gives the same value
//! through [`SummaryView::of`]).
//!
//! A summary.json of a busy month is tens of MB, nearly all of it fact lists a comparison
//! never reads; parsed whole into a `serde_json::Value` it took about 15 times its size in
//! memory. So the file is streamed through a `BufReader` into the view, whose fields are
//! only the parts read: serde skips everything else as it is parsed. Only
//! `schema_version` 1 is accepted, so a summary of a future shape is refused by name
//! instead of being compared wrongly (the rest of such a file is skipped, not judged), and
//! the parts read must have their documented types and ranges ([`super::schema`]), so a
//! crafted or damaged file is refused by file and key.

use super::schema::{self, Invalid};
use super::view::SummaryView;
use super::view::{AccountsView, HostView, LoginsView, MacView, PeriodView, PrivilegeView};
use anyhow::Context;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
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

/// Why a summary was not read.
#[derive(Debug)]
pub enum Refused {
    /// Not JSON (or not readable).
    NotJson(serde_json::Error),
    /// `schema_version` missing, not a number, or not one this build reads.
    Version(Version),
    /// A read part without its documented shape.
    Invalid(Invalid),
}

/// What a file says of its `schema_version`.
#[derive(Debug, Clone, PartialEq)]
pub enum Version {
    /// None (or `null`, or the file is not a JSON object).
    Missing,
    /// A whole number other than [`READABLE_VERSION`].
    Unsupported(u64),
    /// Something else: the value.
    NotANumber(Value),
}

/// Reads and checks a summary (the parts [`SummaryView`] holds).
pub fn read(path: &Path) -> anyhow::Result<SummaryView> {
    let file = summary_path(path);
    let f = std::fs::File::open(&file).with_context(|| {
        format!(
            "cannot read {} (give a summary.json or a report package directory)",
            file.display()
        )
    })?;
    let shown = file.display();
    let buffered = |f| std::io::BufReader::with_capacity(1 << 16, f);
    // Keeping the path costs time on every key of the file, so it is kept only in a
    // second read, which names the key of the value the first read refused.
    let first = parse(serde_json::Deserializer::from_reader(buffered(f)), false);
    let result = match first {
        Err(Refused::Invalid(_)) => {
            let again =
                std::fs::File::open(&file).with_context(|| format!("cannot read {shown} again"))?;
            from_reader(buffered(again))
        }
        other => other,
    };
    match result {
        Ok(view) => Ok(view),
        Err(Refused::NotJson(e)) => Err(anyhow::Error::from(e).context(format!(
            "{shown} is not JSON (write one with `auditrail summary --format json`)"
        ))),
        Err(Refused::Version(Version::Unsupported(v))) => anyhow::bail!(
            "{shown}: summary schema_version {v} is not supported (this auditrail reads \
             version {READABLE_VERSION}); summarise the logs again with this version"
        ),
        Err(Refused::Version(Version::NotANumber(v))) => anyhow::bail!(
            "{shown}: key `schema_version`: {} is not a version number (this auditrail reads \
             version {READABLE_VERSION})",
            crate::inert::escape(&v.to_string())
        ),
        Err(Refused::Version(Version::Missing)) => anyhow::bail!(
            "{shown}: no schema_version, so not an auditrail summary.json (write one with \
             `auditrail summary --format json`)"
        ),
        Err(Refused::Invalid(e)) => anyhow::bail!(
            "{shown}: {e}; not a summary as auditrail writes it (write one with `auditrail \
             summary --format json`)"
        ),
    }
}

/// Parses summary JSON into its view, checking the version and each part read.
pub fn from_reader(reader: impl std::io::Read) -> Result<SummaryView, Refused> {
    parse(serde_json::Deserializer::from_reader(reader), true)
}

/// [`from_reader`]; a refused value's key is named only `with_keys` (else it is empty).
fn parse<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    with_keys: bool,
) -> Result<SummaryView, Refused> {
    let mut track = serde_path_to_error::Track::new();
    let parsed = match with_keys {
        true => File::deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track)),
        false => File::deserialize(&mut de),
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) if e.classify() == serde_json::error::Category::Data => {
            return Err(Refused::Invalid(invalid(&track.path(), &e)));
        }
        Err(e) => return Err(Refused::NotJson(e)),
    };
    de.end().map_err(Refused::NotJson)?;
    parsed.checked()
}

/// A data error at `path`: the key, and serde_json's message without its position.
fn invalid(path: &serde_path_to_error::Path, e: &serde_json::Error) -> Invalid {
    use serde_path_to_error::Segment;
    let key: Vec<String> = path
        .iter()
        .map(|s| match s {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => crate::inert::escape(key).into_owned(),
            Segment::Enum { variant } => crate::inert::escape(variant).into_owned(),
            Segment::Unknown => "?".to_string(),
        })
        .collect();
    let text = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    Invalid {
        key: key.join("."),
        problem: text.strip_suffix(&at).unwrap_or(&text).to_string(),
    }
}

/// `period` as the file holds it: its label may be missing.
#[derive(Default, Deserialize)]
struct PeriodFile {
    #[serde(default, deserialize_with = "schema::label")]
    label: Option<String>,
    #[serde(default, deserialize_with = "schema::zone")]
    tz: Option<String>,
    #[serde(default, deserialize_with = "schema::bound")]
    start_ms: Option<i64>,
    #[serde(default, deserialize_with = "schema::bound")]
    end_ms: Option<i64>,
}

/// The top of the file: the version first, then the parts read.
#[derive(Default)]
struct File {
    version: Option<Value>,
    period: Option<PeriodFile>,
    metrics: Option<BTreeMap<String, u64>>,
    hosts: BTreeMap<String, HostView>,
    accounts: AccountsView,
    logins: LoginsView,
    privilege: PrivilegeView,
    mac: MacView,
    signatures_cut: bool,
}

impl File {
    /// The view, or what is missing or wrong in what was read.
    fn checked(self) -> Result<SummaryView, Refused> {
        match &self.version {
            None | Some(Value::Null) => return Err(Refused::Version(Version::Missing)),
            Some(v) => check_version(v)?,
        }
        let bad = |key: &str, problem: String| {
            Refused::Invalid(Invalid {
                key: key.to_string(),
                problem,
            })
        };
        let Some(p) = self.period else {
            return Err(bad(
                "period",
                "missing (an object with the period's label, tz and bounds)".into(),
            ));
        };
        let Some(label) = p.label else {
            return Err(bad("period.label", "missing".into()));
        };
        if let (Some(s), Some(e)) = (p.start_ms, p.end_ms) {
            if s >= e {
                return Err(bad(
                    "period.end_ms",
                    format!("{e} is not after start_ms {s} (a period is [start, end))"),
                ));
            }
        }
        let Some(metrics) = self.metrics else {
            return Err(bad(
                "metrics",
                "missing (an object of metric id -> count)".into(),
            ));
        };
        Ok(SummaryView {
            period: PeriodView {
                label,
                tz: p.tz,
                start_ms: p.start_ms,
                end_ms: p.end_ms,
            },
            metrics,
            hosts: self.hosts,
            accounts: self.accounts,
            logins: self.logins,
            privilege: self.privilege,
            mac: self.mac,
            signatures_cut: self.signatures_cut,
        })
    }
}

/// Accepts [`READABLE_VERSION`] only.
fn check_version(v: &Value) -> Result<(), Refused> {
    match v.as_u64() {
        Some(READABLE_VERSION) => Ok(()),
        Some(n) => Err(Refused::Version(Version::Unsupported(n))),
        None => Err(Refused::Version(Version::NotANumber(v.clone()))),
    }
}

// The top-level parts, each read with the deserializer its view names.

#[derive(Deserialize)]
#[serde(transparent)]
struct Period(#[serde(deserialize_with = "schema::opt_object")] Option<PeriodFile>);

#[derive(Deserialize)]
#[serde(transparent)]
struct Metrics(#[serde(deserialize_with = "schema::counts")] Option<BTreeMap<String, u64>>);

#[derive(Deserialize)]
#[serde(transparent)]
struct Hosts(#[serde(deserialize_with = "schema::objects")] BTreeMap<String, HostView>);

#[derive(Deserialize)]
#[serde(transparent, bound = "T: Deserialize<'de> + Default")]
struct Part<T>(#[serde(deserialize_with = "schema::object")] T);

#[derive(Deserialize)]
#[serde(transparent)]
struct SignaturesCut(#[serde(deserialize_with = "signatures_cut")] bool);

fn signatures_cut<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    schema::names_limit(d, "mac.signatures")
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<File, D::Error> {
        d.deserialize_any(Top)
    }
}

/// The top-level visitor.
struct Top;

impl<'de> Visitor<'de> for Top {
    type Value = File;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a summary (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<File, A::Error> {
        let mut f = File::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "schema_version" => {
                    let v: Value = map.next_value()?;
                    let stop = !v.is_null() && check_version(&v).is_err();
                    f.version = Some(v);
                    if stop {
                        // Another version's shape is not judged by this one's rules.
                        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                        return Ok(f);
                    }
                }
                "period" => f.period = map.next_value::<Period>()?.0,
                "metrics" => f.metrics = map.next_value::<Metrics>()?.0,
                "hosts" => f.hosts = map.next_value::<Hosts>()?.0,
                "accounts" => f.accounts = map.next_value::<Part<_>>()?.0,
                "logins" => f.logins = map.next_value::<Part<_>>()?.0,
                "privilege" => f.privilege = map.next_value::<Part<_>>()?.0,
                "mac" => f.mac = map.next_value::<Part<_>>()?.0,
                "limits_reached" => f.signatures_cut = map.next_value::<SignaturesCut>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(f)
    }

    // Not an object: no schema_version (the value is still read to its end).
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<File, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(File::default())
    }

    fn visit_bool<E>(self, _: bool) -> Result<File, E> {
        Ok(File::default())
    }

    fn visit_i64<E>(self, _: i64) -> Result<File, E> {
        Ok(File::default())
    }

    fn visit_u64<E>(self, _: u64) -> Result<File, E> {
        Ok(File::default())
    }

    fn visit_f64<E>(self, _: f64) -> Result<File, E> {
        Ok(File::default())
    }

    fn visit_str<E>(self, _: &str) -> Result<File, E> {
        Ok(File::default())
    }

    fn visit_unit<E>(self) -> Result<File, E> {
        Ok(File::default())
    }
}

/// The view of a summary.json value for tests: missing `schema_version`, `period` and
/// `metrics` are filled in (`{"label": "?"}`, `{}`).
#[cfg(test)]
pub(crate) fn view_of(mut v: Value) -> SummaryView {
    let o = v.as_object_mut().expect("a JSON object");
    o.entry("schema_version").or_insert(READABLE_VERSION.into());
    o.entry("period")
        .or_insert(serde_json::json!({"label": "?"}));
    o.entry("metrics").or_insert(serde_json::json!({}));
    match from_reader(v.to_string().as_bytes()) {
        Ok(view) => view,
        Err(e) => panic!("{e:?}"),
    }
}
