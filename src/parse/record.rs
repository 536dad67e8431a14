//! One line of text -> one [`Record`] header, borrowing from the line.
//!
//! The header is everything needed to group records into events: an optional node name,
//! the record type and the stamp `audit(SEC.MMM:SERIAL)`. The body and the ENRICHED
//! section are located here but tokenised lazily by [`crate::parse::fields`], so that
//! commands which only count and group never pay for field splitting.
//!
//! Accepted line shapes (auditd writes the first, audit-userspace `src/auditd-event.c`):
//! - `[node=NAME ]type=NAME|UNKNOWN[n]|N msg=audit(SEC[.MMM][:SERIAL]): BODY[<0x1d>ENRICHED]`
//! - a syslog or audispd prefix before `node=`/`type=` (`Feb 22 14:25:25 host audit: type=...`,
//!   `audispd: node=...`); the syslog host becomes the node when the line has no `node=`
//! - the kernel printk form `audit: type=1400 audit(SEC.MMM:SERIAL): BODY` (no `msg=`)
//! - rsyslog's `#035` escape standing for the 0x1d separator
//!
//! Nothing here panics or allocates; every failure is a [`Reject`] reason.

use crate::model::{parse_u32, parse_u64, RecordType, Stamp, MAX_STAMP_SEC};
use memchr::memmem::{self, Finder};
use serde::Serialize;
use std::fmt;
use std::sync::LazyLock;

// Searchers built once: building a memmem searcher per line costs more than the search.
static AUDIT_PAREN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"audit("));
static SPACE_TYPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b" type="));
static RSYSLOG_GS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"#035"));

/// The separator auditd writes before the ENRICHED section (`AUDIT_INTERP_SEPARATOR`).
pub const ENRICHED_SEPARATOR: u8 = 0x1d;

/// Why a line is not an audit record. Every rejected line is counted under one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reject {
    /// The line has no `type=` anywhere: not an audit record (log noise, other programs).
    NoType,
    /// A `#` comment line (some fixture files and hand-edited logs have them).
    Comment,
    /// `type=` names no record type and is not `UNKNOWN[n]` or a number.
    BadType,
    /// No `audit(` stamp after the type.
    NoStamp,
    /// The stamp is malformed: not `SEC[.MMM][:SERIAL]`, milliseconds over 999, a serial
    /// that does not fit 32 bits, or seconds after 9999-12-31T23:59:59Z
    /// ([`MAX_STAMP_SEC`]), whose milliseconds no report could state.
    BadStamp,
    /// The line is longer than the reader's limit; it was skipped up to its newline.
    TooLong,
    /// A journal entry (`journalctl -o json` line or `-o export` entry) that is not
    /// well-formed: bad JSON, or an export field that cannot be read.
    JournalMalformed,
    /// A journal audit entry without MESSAGE, a type, `_AUDIT_ID` or
    /// `_SOURCE_REALTIME_TIMESTAMP`.
    JournalIncomplete,
    /// A journal field written as `null`: `journalctl -o json` leaves out values of 4096
    /// bytes or more unless run with `--all`.
    JournalOmitted,
    /// A journal audit field with several values, a number that is not one, or a host name
    /// with spaces or control characters.
    JournalBadField,
}

impl Reject {
    /// A short phrase for people.
    pub fn describe(self) -> &'static str {
        match self {
            Reject::NoType => "no type= field (not an audit record)",
            Reject::Comment => "comment line",
            Reject::BadType => "unrecognised record type",
            Reject::NoStamp => "no audit(...) stamp",
            Reject::BadStamp => "malformed or out-of-range audit(...) stamp",
            Reject::TooLong => "line longer than the limit",
            Reject::JournalMalformed => "malformed journal entry (JSON or export format)",
            Reject::JournalIncomplete => {
                "journal audit entry without MESSAGE, _AUDIT_TYPE, _AUDIT_ID or \
                 _SOURCE_REALTIME_TIMESTAMP"
            }
            Reject::JournalOmitted => {
                "journal field left out as null (journalctl -o json omits values of 4096 bytes \
                 or more: export with journalctl --all)"
            }
            Reject::JournalBadField => {
                "journal audit field unusable (several values, not a number, or a bad host name)"
            }
        }
    }
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Where the node name of a record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeSource {
    /// `node=NAME` written by auditd (`name_format`).
    Node,
    /// The host field of a syslog header before the record.
    Syslog,
}

/// The parsed header of one audit record, borrowing from its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// Node name, if the line names one.
    pub node: Option<&'a [u8]>,
    /// Where `node` came from.
    pub node_source: Option<NodeSource>,
    /// The record type.
    pub rtype: RecordType,
    /// Time and serial: the event identity together with `node`.
    pub stamp: Stamp,
    /// The raw body after `): `, without the ENRICHED section and trailing CR/spaces.
    pub body: &'a [u8],
    /// The ENRICHED section (uppercase names, interpreted values); empty when absent.
    pub enriched: &'a [u8],
    /// Bytes before the record proper (`node=`/`type=`): a syslog header or kernel tag.
    pub prefix: &'a [u8],
}

/// Parses the header of one line. The line may end in `\n` or `\r\n`; both are ignored.
pub fn parse_record(line: &[u8]) -> Result<Record<'_>, Reject> {
    let line = trim_line_end(line);
    let start = skip_spaces(line, 0);
    if line.get(start) == Some(&b'#') {
        return Err(Reject::Comment);
    }
    let (prefix_end, node, node_source, type_at) = locate_header(line)?;
    let after_type = type_at + 5;
    let type_end = line[after_type..]
        .iter()
        .position(|&b| b == b' ')
        .map_or(line.len(), |p| after_type + p);
    let rtype = RecordType::from_name(&line[after_type..type_end]).ok_or(Reject::BadType)?;

    // `msg=audit(` normally follows; the printk form has a bare `audit(`; old kernels wrote
    // the stamp first: `audit(SEC.MMM:SERIAL): type=1503 ...`.
    let rest = &line[type_end..];
    let paren = if rest.starts_with(b" msg=audit(") {
        Some(5)
    } else {
        AUDIT_PAREN.find(rest)
    };
    let stamp_start = match paren {
        Some(paren) if is_stamp_lead(&rest[..paren]) => type_end + paren + 6,
        _ => {
            let stamp = stamp_before(&line[..type_at]).ok_or(Reject::NoStamp)?;
            let stamp = parse_stamp(stamp)?;
            let (body, enriched) = split_enriched(&line[type_end..]);
            return Ok(Record {
                node,
                node_source,
                rtype,
                stamp,
                body: trim_spaces(body),
                enriched: trim_spaces(enriched),
                prefix: &line[..prefix_end],
            });
        }
    };
    let close = line[stamp_start..]
        .iter()
        .position(|&b| b == b')')
        .ok_or(Reject::BadStamp)?;
    let stamp = parse_stamp(&line[stamp_start..stamp_start + close])?;
    let mut body_start = stamp_start + close + 1;
    if line.get(body_start) == Some(&b':') {
        body_start += 1;
    }
    let (body, enriched) = split_enriched(&line[body_start..]);
    Ok(Record {
        node,
        node_source,
        rtype,
        stamp,
        body: trim_spaces(body),
        enriched: trim_spaces(enriched),
        prefix: &line[..prefix_end],
    })
}

/// Finds where the record proper starts. Returns (prefix length, node, node source, offset
/// of `type=`).
#[allow(clippy::type_complexity)]
fn locate_header(line: &[u8]) -> Result<(usize, Option<&[u8]>, Option<NodeSource>, usize), Reject> {
    let start = skip_spaces(line, 0);
    if line[start..].starts_with(b"node=") {
        let (node, type_at) = node_then_type(line, start)?;
        return Ok((start, Some(node), Some(NodeSource::Node), type_at));
    }
    if line[start..].starts_with(b"type=") {
        return Ok((start, None, None, start));
    }
    // A prefix: find the first `type=` that starts a token, and a `node=` before it.
    let type_at = find_token(line, b"type=", start).ok_or(Reject::NoType)?;
    let prefix = &line[..type_at];
    if let Some(node_at) = find_token(prefix, b"node=", start) {
        let (node, type_at) = node_then_type(line, node_at)?;
        return Ok((node_at, Some(node), Some(NodeSource::Node), type_at));
    }
    let host = syslog_host(prefix);
    let source = host.map(|_| NodeSource::Syslog);
    Ok((type_at, host, source, type_at))
}

/// Reads `node=NAME ` at `at` and the `type=` that follows. A node name may contain
/// spaces (audit-userspace#161), so the name runs up to the ` type=` that follows it.
fn node_then_type(line: &[u8], at: usize) -> Result<(&[u8], usize), Reject> {
    let name_start = at + 5;
    // Fast path: a node name without spaces, directly followed by ` type=`.
    if let Some(sp) = memchr::memchr(b' ', &line[name_start..]) {
        let type_at = name_start + sp + 1;
        if line[type_at..].starts_with(b"type=") {
            return Ok((&line[name_start..name_start + sp], type_at));
        }
    }
    let rel = SPACE_TYPE.find(&line[name_start..]).ok_or(Reject::NoType)?;
    let name = &line[name_start..name_start + rel];
    let type_at = skip_spaces(line, name_start + rel);
    Ok((trim_spaces(name), type_at))
}

/// Finds `needle` at `from` or later where it starts the line or follows a space (or the
/// `FILE:` that `grep` puts before each line of several files).
fn find_token(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let mut pos = from;
    while pos <= hay.len() {
        let rel = memmem::find(&hay[pos..], needle)?;
        let at = pos + rel;
        if at == 0 || hay[at - 1] == b' ' || (hay[at - 1] == b':' && !hay[..at].contains(&b' ')) {
            return Some(at);
        }
        pos = at + 1;
    }
    None
}

/// The host of a syslog header in `prefix`, if it has one:
/// `Mon DD HH:MM:SS host tag: ` (RFC 3164) or `YYYY-MM-DDTHH:MM:SS... host tag: ` (RFC 5424
/// style timestamps written by rsyslog). Kernel tags (`audit:`, `[ 12.3] audit:`) have no host.
fn syslog_host(prefix: &[u8]) -> Option<&[u8]> {
    let mut words = prefix.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let first = words.next()?;
    let host = if first.len() >= 10 && first[4] == b'-' && first[..4].iter().all(u8::is_ascii_digit)
    {
        // `2026-10-01T10:00:00Z host` or `2026-10-01 10:00:00 host`
        let next = words.next()?;
        if next.len() >= 5 && next[2] == b':' && next[..2].iter().all(u8::is_ascii_digit) {
            words.next()?
        } else {
            next
        }
    } else if first.len() == 3 && first.iter().all(u8::is_ascii_alphabetic) {
        let _day = words.next()?;
        let time = words.next()?;
        if time.len() < 8 || time[2] != b':' {
            return None;
        }
        words.next()?
    } else {
        return None;
    };
    // The host is followed by the program tag; a host ending in ':' is really a tag.
    if host.ends_with(b":") || host.is_empty() {
        return None;
    }
    words.next()?; // there must be a tag after the host
    Some(host)
}

/// Parses `SEC[.MMM][:SERIAL]`.
pub fn parse_stamp(s: &[u8]) -> Result<Stamp, Reject> {
    let (time, serial) = match memchr::memchr(b':', s) {
        Some(i) => (&s[..i], parse_u32(&s[i + 1..]).ok_or(Reject::BadStamp)?),
        None => (s, 0),
    };
    let (sec, ms) = match memchr::memchr(b'.', time) {
        Some(i) => {
            let frac = &time[i + 1..];
            if frac.is_empty() || frac.len() > 3 {
                return Err(Reject::BadStamp);
            }
            let ms = parse_u32(frac).ok_or(Reject::BadStamp)?;
            // "123" is 123 ms; a short fraction such as ".5" is 500 ms.
            let ms = ms * 10u32.pow(3 - frac.len() as u32);
            (&time[..i], ms as u16)
        }
        None => (time, 0),
    };
    let sec = parse_u64(sec).ok_or(Reject::BadStamp)?;
    if sec > MAX_STAMP_SEC {
        return Err(Reject::BadStamp);
    }
    Ok(Stamp { sec, ms, serial })
}

/// Splits a body into the raw part and the ENRICHED part. The separator is 0x1d, its
/// rsyslog escape `#035`, or (ENRICHED written with a space) the first token whose name is
/// all uppercase outside the `msg='...'` payload.
pub fn split_enriched(body: &[u8]) -> (&[u8], &[u8]) {
    if let Some(i) = memchr::memchr(ENRICHED_SEPARATOR, body) {
        return (&body[..i], &body[i + 1..]);
    }
    if let Some(i) = RSYSLOG_GS.find(body) {
        return (&body[..i], &body[i + 4..]);
    }
    // ENRICHED written with a space: only worth a careful scan when some `=` follows an
    // uppercase letter.
    let maybe = memchr::memchr_iter(b'=', body).any(|i| i > 0 && body[i - 1].is_ascii_uppercase());
    if !maybe {
        return (body, &[]);
    }
    match first_uppercase_key(body) {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, &[]),
    }
}

/// Offset of the first token of the form `UPPER=` that is outside quotes, braces and the
/// `msg='...'` payload, and preceded by a space.
fn first_uppercase_key(body: &[u8]) -> Option<usize> {
    // Cheap exit: most lines have no uppercase letter followed by '=' at all.
    let mut quote: Option<u8> = None;
    let mut depth = 0u32;
    let mut token_start = true;
    for (i, &b) in body.iter().enumerate() {
        match quote {
            Some(q) => {
                if b == q {
                    quote = None;
                }
                continue;
            }
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'{' => depth += 1,
            None if b == b'}' => depth = depth.saturating_sub(1),
            None => {}
        }
        if depth == 0 && token_start && b.is_ascii_uppercase() && i > 0 {
            let key_len = body[i..]
                .iter()
                .position(|&c| {
                    !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'-' || c == b'_')
                })
                .unwrap_or(body.len() - i);
            if key_len >= 2 && body.get(i + key_len) == Some(&b'=') {
                return Some(i);
            }
        }
        token_start = b == b' ';
    }
    None
}

/// True when the text between the type and `audit(` is nothing or `msg=`.
fn is_stamp_lead(between: &[u8]) -> bool {
    let t = trim_spaces(between);
    t.is_empty() || t == b"msg="
}

/// The stamp of the old kernel form `... audit(SEC.MMM:SERIAL): type=N`: the text just
/// before `type=` must end with `audit(...):`.
fn stamp_before(prefix: &[u8]) -> Option<&[u8]> {
    let p = trim_spaces(prefix);
    let p = p.strip_suffix(b":").unwrap_or(p);
    let p = p.strip_suffix(b")")?;
    let open = memmem::rfind(p, b"audit(")?;
    Some(&p[open + 6..])
}

fn trim_line_end(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., b'\n' | b'\r'] = line {
        line = rest;
    }
    line
}

pub(crate) fn trim_spaces(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r' | b'\n'] = s {
        s = rest;
    }
    s
}

fn skip_spaces(s: &[u8], mut i: usize) -> usize {
    while s.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(line: &str) -> Record<'_> {
        parse_record(line.as_bytes()).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    #[test]
    fn plain_header() {
        let r =
            rec("type=USER_LOGIN msg=audit(1700000000.123:42): pid=1 uid=0 msg='res=success'\n");
        assert_eq!(r.rtype, RecordType::USER_LOGIN);
        assert_eq!(
            r.stamp,
            Stamp {
                sec: 1_700_000_000,
                ms: 123,
                serial: 42
            }
        );
        assert_eq!(r.node, None);
        assert_eq!(r.body, b"pid=1 uid=0 msg='res=success'");
        assert!(r.enriched.is_empty());
    }

    #[test]
    fn node_prefix_and_numeric_and_unknown_types() {
        let r = rec("node=web-01 type=1112 msg=audit(1.002:3): x=1");
        assert_eq!(r.node, Some(&b"web-01"[..]));
        assert_eq!(r.node_source, Some(NodeSource::Node));
        assert_eq!(r.rtype, RecordType::USER_LOGIN);
        let r = rec("type=UNKNOWN[1334] msg=audit(1.002:3): prog-id=1");
        assert_eq!(r.rtype, RecordType(1334));
        let r = rec("node=my host type=EOE msg=audit(1.002:3): ");
        assert_eq!(r.node, Some(&b"my host"[..]));
    }

    #[test]
    fn stamps() {
        assert_eq!(
            parse_stamp(b"10:5"),
            Ok(Stamp {
                sec: 10,
                ms: 0,
                serial: 5
            })
        );
        assert_eq!(parse_stamp(b"10.5:5").unwrap().ms, 500);
        assert_eq!(
            parse_stamp(b"10"),
            Ok(Stamp {
                sec: 10,
                ms: 0,
                serial: 0
            })
        );
        assert_eq!(parse_stamp(b"10.1234:5"), Err(Reject::BadStamp));
        assert_eq!(parse_stamp(b"10.12:99999999999"), Err(Reject::BadStamp));
        assert_eq!(parse_stamp(b"x.1:1"), Err(Reject::BadStamp));
        assert_eq!(parse_stamp(b".1:1"), Err(Reject::BadStamp));
        assert_eq!(parse_stamp(b"99999999999999999:1"), Err(Reject::BadStamp));
    }

    #[test]
    fn stamps_past_year_9999_are_rejected() {
        // The last second of 9999 is a time; the next one is not, nor i64::MAX / 1000.
        let last = parse_stamp(b"253402300799.999:1").unwrap();
        assert_eq!(last.time_ms(), 253_402_300_799_999);
        assert_eq!(parse_stamp(b"253402300800.000:1"), Err(Reject::BadStamp));
        assert_eq!(
            parse_stamp(b"9223372036854775.999:2"),
            Err(Reject::BadStamp)
        );
        assert_eq!(
            parse_record(b"type=USER_LOGIN msg=audit(9223372036854775.999:2): res=success"),
            Err(Reject::BadStamp)
        );
        // The old-kernel form goes through the same check.
        assert_eq!(
            parse_record(b"audit(9223372036854775.999:2): type=1503 x=1"),
            Err(Reject::BadStamp)
        );
    }

    #[test]
    fn rejections() {
        assert_eq!(parse_record(b"hello world"), Err(Reject::NoType));
        assert_eq!(parse_record(b"# comment type=X"), Err(Reject::Comment));
        assert_eq!(
            parse_record(b"type=NOPE msg=audit(1.0:1): "),
            Err(Reject::BadType)
        );
        assert_eq!(parse_record(b"type=EOE"), Err(Reject::NoStamp));
        assert_eq!(
            parse_record(b"type=EOE x=audit(1.0:1)"),
            Err(Reject::NoStamp)
        );
        assert_eq!(
            parse_record(b"type=EOE msg=audit(1.0:1"),
            Err(Reject::BadStamp)
        );
        assert_eq!(parse_record(b""), Err(Reject::NoType));
        assert_eq!(
            parse_record(b"subtype=EOE msg=audit(1.0:1):"),
            Err(Reject::NoType)
        );
    }

    #[test]
    fn syslog_and_kernel_prefixes() {
        let r = rec("Feb 22 14:25:25 db1 audit: type=USER_AUTH msg=audit(1.0:7): pid=1");
        assert_eq!(r.node, Some(&b"db1"[..]));
        assert_eq!(r.node_source, Some(NodeSource::Syslog));
        assert_eq!(r.prefix, b"Feb 22 14:25:25 db1 audit: ");
        let r = rec("Feb 22 14:25:25 db1 audispd: node=db2 type=USER_AUTH msg=audit(1.0:7): pid=1");
        assert_eq!(r.node, Some(&b"db2"[..]));
        let r =
            rec("2026-10-01T10:00:00.123+02:00 app3 audisp-syslog: type=EOE msg=audit(1.0:7): ");
        assert_eq!(r.node, Some(&b"app3"[..]));
        let r = rec("audit: type=1400 audit(1529517046.911:8): apparmor=\"DENIED\"");
        assert_eq!(r.rtype, RecordType::AVC);
        assert_eq!(r.node, None);
        assert_eq!(r.stamp.serial, 8);
        let r = rec("[   12.345678] audit: type=1400 audit(1529517046.911:8): x=1");
        assert_eq!(r.node, None);
        let r =
            rec("Sep  7 17:47:53 gw kernel: audit(1189201672.746:537): type=1503 operation=\"x\"");
        assert_eq!(r.rtype, RecordType(1503));
        assert_eq!(r.stamp.serial, 537);
        assert_eq!(r.body, b"operation=\"x\"");
        assert_eq!(r.node, Some(&b"gw"[..]));
        let r = rec("2013-01-01 15:09:04.5+08:00 lh kernel: [ 1.5] type=1400 audit(1.2:3): x=1");
        assert_eq!(r.node, Some(&b"lh"[..]));
        let r = rec("audit.log:type=AVC msg=audit(1.2:3): x=1");
        assert_eq!(r.rtype, RecordType::AVC);
    }

    #[test]
    fn enriched_sections() {
        let r = rec(
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e key=(null)\x1dARCH=x86_64 AUID=\"root\"",
        );
        assert_eq!(r.body, b"arch=c000003e key=(null)");
        assert_eq!(r.enriched, b"ARCH=x86_64 AUID=\"root\"");
        let r = rec("type=SYSCALL msg=audit(1.0:1): arch=c000003e key=(null)#035ARCH=x86_64");
        assert_eq!(r.enriched, b"ARCH=x86_64");
        let r =
            rec("type=SYSCALL msg=audit(1.0:1): arch=c000003e key=(null) ARCH=x86_64 UID=\"root\"");
        assert_eq!(r.body, b"arch=c000003e key=(null)");
        assert_eq!(r.enriched, b"ARCH=x86_64 UID=\"root\"");
        // Uppercase inside the payload or quotes is not enrichment.
        let r = rec("type=USER_AUTH msg=audit(1.0:1): pid=1 msg='op=X acct=\"A B=\" res=success'");
        assert!(r.enriched.is_empty());
    }

    #[test]
    fn line_endings_and_bytes() {
        let r = rec("type=EOE msg=audit(1.0:1): \r\n");
        assert_eq!(r.body, b"");
        let line = b"type=USER_AUTH msg=audit(1.0:1): acct=\xff\x00\xfe";
        assert!(parse_record(line).is_ok());
    }
}
