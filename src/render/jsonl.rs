//! `auditrail export --format jsonl`: the export rows (shared with [`super::parquet`]) and
//! their JSON Lines writer, one object per row, written as each row comes (bounded memory).
//!
//! Values are the log's exact text (serde_json escapes quotes, backslashes and control
//! characters as JSON requires); they are not made inert: a consumer that shows them must
//! escape them itself (docs/export.md).

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;

/// The version of the export's row shapes (docs/export.md); the first JSON line and the
/// Parquet file's key/value metadata carry it.
pub const SCHEMA_VERSION: u32 = 1;

/// Which rows a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    /// [`RecordRow`]s.
    Records,
    /// [`EventRow`]s.
    Events,
    /// [`FactRow`]s.
    Facts,
}

impl Rows {
    /// The name written in the schema line or metadata (`what`).
    pub fn name(self) -> &'static str {
        match self {
            Rows::Records => "records",
            Rows::Events => "events",
            Rows::Facts => "facts",
        }
    }
}

/// Ordered key/value pairs written as one JSON object (a Parquet map); the builder gives
/// repeated keys a `#2`, `#3` suffix, so keys are unique.
#[derive(Debug, Default)]
pub struct Map<'a>(pub Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl Serialize for Map<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// One audit record.
#[derive(Debug, Serialize)]
pub struct RecordRow<'a> {
    /// `node=`, when the log names one.
    pub node: Option<Cow<'a, str>>,
    /// UTC, RFC 3339 with milliseconds.
    pub time: String,
    /// The same, epoch milliseconds (Parquet's timestamp).
    #[serde(skip)]
    pub time_ms: i64,
    /// Event serial.
    pub serial: u32,
    /// Record type name (`SYSCALL`, `USER_LOGIN`, `UNKNOWN[1234]`).
    #[serde(rename = "type")]
    pub rtype: String,
    /// Input file.
    pub file: Cow<'a, str>,
    /// Line in that file (1-based).
    pub line: u64,
    /// The body's fields as written (quotes removed), with the `msg='...'` payload's.
    pub fields: Map<'a>,
    /// The fields auditd hex-encoded, decoded.
    pub decoded: Map<'a>,
    /// The ENRICHED section.
    pub enriched: Map<'a>,
}

/// One assembled event.
#[derive(Debug, Serialize)]
pub struct EventRow<'a> {
    /// `node=`, when the log names one.
    pub node: Option<Cow<'a, str>>,
    /// UTC, RFC 3339 with milliseconds.
    pub time: String,
    /// The same, epoch milliseconds (Parquet's timestamp).
    #[serde(skip)]
    pub time_ms: i64,
    /// Event serial.
    pub serial: u32,
    /// Number of records.
    pub records: u32,
    /// The records' types, in order.
    pub types: Vec<String>,
    /// The first record's file.
    pub file: Cow<'a, str>,
    /// The first record's line.
    pub line: u64,
}

/// One classified fact.
#[derive(Debug, Serialize)]
pub struct FactRow<'a> {
    /// The summary section (`logins`, `privilege`, ...).
    pub category: String,
    /// What happened (`login`, `sudo`, ...).
    pub kind: String,
    /// `success`, `failed` or `unset`.
    pub result: String,
    /// Record type name.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The login identity (auid) name.
    pub auid: Option<String>,
    /// The process identity (uid) name.
    pub uid: Option<String>,
    /// The account acted upon.
    pub target: Option<String>,
    /// The rule key, when the fact has one.
    pub key: Option<String>,
    /// The path or object, when the fact has one.
    pub path: Option<String>,
    /// `node=`.
    pub host: Option<String>,
    /// UTC, RFC 3339 with milliseconds.
    pub time: String,
    /// The same, epoch milliseconds (Parquet's timestamp).
    #[serde(skip)]
    pub time_ms: i64,
    /// Event serial.
    pub serial: u32,
    /// Input file.
    pub file: Cow<'a, str>,
    /// Line in that file.
    pub line: u64,
}

/// A JSON Lines writer: the schema line, then one row per line.
pub struct JsonlWriter<W: Write> {
    out: W,
    rows: u64,
}

impl<W: Write> JsonlWriter<W> {
    /// Writes the first line: `{"schema": "auditrail-export", "schema_version": 1, "what": ...}`.
    pub fn new(mut out: W, what: Rows) -> std::io::Result<Self> {
        let head = serde_json::json!({
            "schema": "auditrail-export",
            "schema_version": SCHEMA_VERSION,
            "what": what.name(),
        });
        serde_json::to_writer(&mut out, &head)?;
        out.write_all(b"\n")?;
        Ok(JsonlWriter { out, rows: 0 })
    }

    /// Writes one row.
    pub fn row<T: Serialize>(&mut self, row: &T) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, row)?;
        self.out.write_all(b"\n")?;
        self.rows = self.rows.saturating_add(1);
        Ok(())
    }

    /// Flushes and gives back the writer and the rows written.
    pub fn finish(mut self) -> std::io::Result<(W, u64)> {
        self.out.flush()?;
        Ok((self.out, self.rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_line_then_rows_with_exact_escaped_strings() {
        let mut w = JsonlWriter::new(Vec::new(), Rows::Records).unwrap();
        let row = RecordRow {
            node: None,
            time: "2026-10-01T00:00:00.000Z".into(),
            time_ms: 0,
            serial: 7,
            rtype: "USER_LOGIN".into(),
            file: "a.log".into(),
            line: 3,
            fields: Map(vec![("acct".into(), "b\"\u{1b}".into())]),
            decoded: Map::default(),
            enriched: Map::default(),
        };
        w.row(&row).unwrap();
        let (bytes, n) = w.finish().unwrap();
        assert_eq!(n, 1);
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("\"schema_version\":1"));
        assert!(lines[1].contains(r#""acct":"b\"\u001b""#), "{}", lines[1]);
        let back: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(back["fields"]["acct"], "b\"\u{1b}");
    }
}
