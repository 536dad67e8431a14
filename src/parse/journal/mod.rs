//! Audit records kept by systemd-journald: `journalctl -o json` lines and `journalctl -o export`
//! entries, mixed freely with raw log lines.
//!
//! journald's audit transport (`journald-audit.c`) reads each kernel audit message
//! `audit(SEC.MMM:SERIAL): BODY` and stores an entry with `_TRANSPORT=audit`,
//! `_AUDIT_TYPE=<number>`, `_AUDIT_TYPE_NAME=<name>` (`AUDIT<nnnn>` when systemd has no name),
//! `_AUDIT_ID=<serial>`, `_SOURCE_REALTIME_TIMESTAMP=<SEC*10^6 + MMM*10^3>` (so the
//! milliseconds are exact), `_HOSTNAME`, and `MESSAGE=<name> <BODY>`: the stamp is not in
//! MESSAGE. It also copies fields into `_PID`, `_AUDIT_FIELD_*`, ... (ignored here: the body
//! holds them all). It drops messages with an empty body (EOE) and the types below 1100
//! except USER (so LOGIN 1006 never reaches the journal); auditd's own DAEMON_* records are
//! written by auditd only. Events therefore complete by the log-time timeout instead of EOE.
//!
//! Each audit entry becomes the raw line auditd would have written,
//! `[node=HOST ]type=NAME msg=audit(SEC.MMM:SERIAL): BODY` (newlines in the body replaced by
//! spaces, as auditd does), built in a buffer reused for every entry and parsed by
//! [`parse_record`]; from there on a journal record is an ordinary record. Its source is the
//! JSON line, or the first line of the export entry, so evidence read back from the file
//! shows the journal's own text. A `MESSAGE` that still starts with `audit(...)` (written by
//! some other forwarder) gives the stamp itself.
//!
//! Entries of other transports are skipped and counted ([`Skip`]); an audit entry that cannot
//! be read is a counted rejection with its reason. A JSON line without any journal field (or,
//! when it is not valid JSON, without `"__CURSOR"` or `"_TRANSPORT"`) is no journal entry and
//! is read as an ordinary line.

mod export;
mod json;

use crate::model::{parse_u32, parse_u64, RecordType};
use crate::parse::record::{parse_record, Record, Reject};
use serde::Serialize;
use std::io::Write as _;

pub use export::{starts_export_entry, ExportStep};

/// Why a journal entry was skipped: not an error, it holds no audit record of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Skip {
    /// An entry of another transport (syslog, journal, stdout, kernel, driver).
    JournalNotAudit,
    /// An entry of another transport whose MESSAGE is an audit record: the kernel's printk
    /// copy (`audit: type=1400 audit(...)`) or an audisp-syslog copy. The audit transport
    /// carries the same records, so reading both would count them twice.
    JournalAuditCopy,
}

impl Skip {
    /// A short phrase for people.
    pub fn describe(self) -> &'static str {
        match self {
            Skip::JournalNotAudit => "journal entry of another transport (not audit)",
            Skip::JournalAuditCopy => {
                "journal entry of another transport copying an audit record (kernel printk or \
                 syslog); only _TRANSPORT=audit entries are read"
            }
        }
    }
}

/// What one journal entry turned out to be.
#[derive(Debug)]
pub enum Entry<'a> {
    /// An audit record: its header and the rebuilt raw line it borrows from.
    Record(Record<'a>, &'a [u8]),
    /// Not an audit record; counted, not an error.
    Skipped(Skip),
    /// An audit entry that cannot be read.
    Rejected(Reject),
}

/// What a line that may start a journal entry turned out to be.
#[derive(Debug)]
pub enum Started<'a> {
    /// A JSON line: the whole entry.
    Json(Entry<'a>),
    /// The first line of an export entry: the entry is counted when it ends, at this line.
    Export,
    /// No journal entry: read the line as an ordinary line.
    NotJournal,
}

/// The fields read from an entry; the others are ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Cursor,
    Transport,
    AuditType,
    TypeName,
    AuditId,
    SourceTime,
    Hostname,
    Message,
}

impl Field {
    fn of(name: &[u8]) -> Option<Field> {
        Some(match name {
            b"__CURSOR" => Field::Cursor,
            b"_TRANSPORT" => Field::Transport,
            b"_AUDIT_TYPE" => Field::AuditType,
            b"_AUDIT_TYPE_NAME" => Field::TypeName,
            b"_AUDIT_ID" => Field::AuditId,
            b"_SOURCE_REALTIME_TIMESTAMP" => Field::SourceTime,
            b"_HOSTNAME" => Field::Hostname,
            b"MESSAGE" => Field::Message,
            _ => return None,
        })
    }
}

/// One field's value: where it is in the scratch buffer, or why there is none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Slot {
    #[default]
    Absent,
    At(usize, usize),
    /// journalctl wrote `null`: the value was 4096 bytes or more (no `--all`).
    Null,
    /// Several values, or a value of the wrong JSON kind.
    Bad,
}

/// The wanted fields of one entry.
#[derive(Clone, Copy, Debug, Default)]
struct Fields([Slot; 8]);

impl Fields {
    fn set(&mut self, f: Field, v: Slot) {
        let slot = &mut self.0[f as usize];
        *slot = if *slot == Slot::Absent { v } else { Slot::Bad };
    }

    fn get(&self, f: Field) -> Slot {
        self.0[f as usize]
    }

    fn present(&self, f: Field) -> bool {
        self.get(f) != Slot::Absent
    }
}

/// Reads journal entries with buffers reused from one entry to the next. One per reading
/// loop; an export entry may span many lines, so the reader keeps its state between calls.
#[derive(Debug)]
pub struct JournalReader {
    /// Decoded values of the wanted fields of the current entry.
    scratch: Vec<u8>,
    /// The current JSON member name.
    key: Vec<u8>,
    /// The rebuilt raw line.
    line: Vec<u8>,
    fields: Fields,
    export: export::ExportState,
    /// Largest value kept (export binary fields are refused past it).
    max_value: usize,
}

impl JournalReader {
    /// A reader refusing values longer than `max_value` bytes.
    pub fn new(max_value: usize) -> Self {
        JournalReader {
            scratch: Vec::new(),
            key: Vec::new(),
            line: Vec::new(),
            fields: Fields::default(),
            export: export::ExportState::default(),
            max_value,
        }
    }

    /// True for a line that may start a journal entry: `{` or the record separator
    /// (`journalctl -o json`, `-o json-seq`) or `_` (`-o export`). Raw audit lines never
    /// start so, which keeps their cost to this one comparison.
    #[inline]
    pub fn may_start_entry(line: &[u8]) -> bool {
        matches!(line.first(), Some(b'{' | 0x1e | b'_'))
    }

    /// Reads a line for which [`Self::may_start_entry`] holds (and no export entry is open).
    #[inline(never)]
    pub fn start_line(&mut self, line: &[u8], number: u64) -> Started<'_> {
        if matches!(line.first(), Some(b'{' | 0x1e)) {
            return match self.json_line(line) {
                Some(entry) => Started::Json(entry),
                None => Started::NotJournal,
            };
        }
        if starts_export_entry(line) {
            self.start_export(number);
            self.export_line(line, false);
            return Started::Export;
        }
        Started::NotJournal
    }

    /// Reads one JSON line; `None` when it is no journal entry (read it as an ordinary line).
    pub fn json_line(&mut self, line: &[u8]) -> Option<Entry<'_>> {
        self.fields = Fields::default();
        self.scratch.clear();
        match self.read_json(line) {
            Ok(()) if self.is_journal() => Some(self.finish_entry()),
            Ok(()) => None,
            Err(json::Malformed) => {
                let journal = memchr::memmem::find(line, b"\"__CURSOR\"").is_some()
                    || memchr::memmem::find(line, b"\"_TRANSPORT\"").is_some();
                journal.then_some(Entry::Rejected(Reject::JournalMalformed))
            }
        }
    }

    fn read_json(&mut self, line: &[u8]) -> Result<(), json::Malformed> {
        let mut obj = json::ObjectReader::new(line)?;
        while obj.next_key(&mut self.key)? {
            let Some(field) = Field::of(&self.key) else {
                obj.skip()?;
                continue;
            };
            let slot = match obj.value_into(&mut self.scratch)? {
                json::Value::Bytes { start } => Slot::At(start, self.scratch.len()),
                json::Value::Null => Slot::Null,
                json::Value::Many | json::Value::Other => Slot::Bad,
            };
            self.fields.set(field, slot);
        }
        Ok(())
    }

    /// True when the fields read make a journal entry (journalctl always writes `__CURSOR`;
    /// `--output-fields` may leave only the audit fields).
    fn is_journal(&self) -> bool {
        [
            Field::Cursor,
            Field::Transport,
            Field::AuditType,
            Field::TypeName,
        ]
        .iter()
        .any(|&f| self.fields.present(f))
    }

    /// Turns the fields read into an entry.
    fn finish_entry(&mut self) -> Entry<'_> {
        match build(&self.fields, &self.scratch, &mut self.line) {
            Ok(None) => match parse_record(&self.line) {
                Ok(rec) => Entry::Record(rec, &self.line),
                Err(reason) => Entry::Rejected(reason),
            },
            Ok(Some(skip)) => Entry::Skipped(skip),
            Err(reason) => Entry::Rejected(reason),
        }
    }
}

/// The value of a field that must be usable when present.
fn value<'s>(fields: &Fields, f: Field, scratch: &'s [u8]) -> Result<Option<&'s [u8]>, Reject> {
    match fields.get(f) {
        Slot::Absent => Ok(None),
        Slot::At(a, b) => Ok(scratch.get(a..b)),
        Slot::Null => Err(Reject::JournalOmitted),
        Slot::Bad => Err(Reject::JournalBadField),
    }
}

/// Writes the raw line of an audit entry into `line`; `Ok(Some(skip))` for an entry of
/// another transport.
fn build(fields: &Fields, scratch: &[u8], line: &mut Vec<u8>) -> Result<Option<Skip>, Reject> {
    let message = value(fields, Field::Message, scratch);
    match fields.get(Field::Transport) {
        Slot::At(a, b) if scratch.get(a..b) == Some(b"audit") => {}
        // No transport (fields chosen with --output-fields): the audit fields decide.
        Slot::Absent if fields.present(Field::AuditType) || fields.present(Field::TypeName) => {}
        _ => {
            let copy = matches!(message, Ok(Some(m)) if parse_record(m).is_ok());
            return Ok(Some(if copy {
                Skip::JournalAuditCopy
            } else {
                Skip::JournalNotAudit
            }));
        }
    }
    let message = message?.ok_or(Reject::JournalIncomplete)?;
    let type_name = value(fields, Field::TypeName, scratch)?;
    let rtype = match value(fields, Field::AuditType, scratch)? {
        Some(n) => RecordType(parse_u32(n).ok_or(Reject::JournalBadField)?),
        None => {
            let name = type_name.ok_or(Reject::JournalIncomplete)?;
            type_from_name(name).ok_or(Reject::JournalBadField)?
        }
    };
    let (stamp, body) = split_message(message, type_name);
    let host = value(fields, Field::Hostname, scratch)?;
    if host.is_some_and(|h| h.is_empty() || h.iter().any(|&b| b <= b' ' || b == 0x7f)) {
        return Err(Reject::JournalBadField);
    }

    line.clear();
    if let Some(host) = host {
        line.extend_from_slice(b"node=");
        line.extend_from_slice(host);
        line.push(b' ');
    }
    // Writing into a Vec cannot fail.
    let _ = write!(line, "type={rtype} msg=audit(");
    match stamp {
        Some(stamp) => line.extend_from_slice(stamp),
        None => {
            let usec =
                value(fields, Field::SourceTime, scratch)?.ok_or(Reject::JournalIncomplete)?;
            let usec = parse_u64(usec).ok_or(Reject::JournalBadField)?;
            let serial =
                value(fields, Field::AuditId, scratch)?.ok_or(Reject::JournalIncomplete)?;
            let serial = parse_u32(serial).ok_or(Reject::JournalBadField)?;
            let _ = write!(
                line,
                "{}.{:03}:{serial}",
                usec / 1_000_000,
                usec % 1_000_000 / 1000
            );
        }
    }
    line.extend_from_slice(b"): ");
    line.extend(body.iter().map(|&b| if b == b'\n' { b' ' } else { b }));
    Ok(None)
}

/// A type from `_AUDIT_TYPE_NAME`: an auditd name, a number, or systemd's `AUDIT<nnnn>`.
fn type_from_name(name: &[u8]) -> Option<RecordType> {
    RecordType::from_name(name).or_else(|| {
        name.strip_prefix(b"AUDIT")
            .and_then(parse_u32)
            .map(RecordType)
    })
}

/// Splits MESSAGE (`NAME BODY`) into the stamp, when MESSAGE carries `audit(...)`, and the
/// body. The leading type name is the one in `_AUDIT_TYPE_NAME`, or, without that field,
/// a first word of capitals, digits and `_`.
fn split_message<'m>(message: &'m [u8], type_name: Option<&[u8]>) -> (Option<&'m [u8]>, &'m [u8]) {
    let mut body = message;
    let named = type_name.filter(|n| !n.is_empty()).and_then(|n| {
        body.strip_prefix(n)
            .filter(|rest| rest.is_empty() || rest[0] == b' ')
    });
    if let Some(rest) = named {
        body = rest;
    } else {
        let word = body
            .iter()
            .take_while(|&&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            .count();
        if word > 0 && matches!(body.get(word), None | Some(b' ')) {
            body = &body[word..];
        }
    }
    let body = trim_start(body);
    if let Some(inner) = body.strip_prefix(b"audit(") {
        if let Some(close) = memchr::memchr(b')', inner) {
            let rest = &inner[close + 1..];
            let rest = rest.strip_prefix(b":").unwrap_or(rest);
            return (Some(&inner[..close]), trim_start(rest));
        }
    }
    (None, body)
}

fn trim_start(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    s
}

#[cfg(test)]
mod tests;
