//! Decoding field values: hex for the fields auditd encodes, and nothing else.
//!
//! auditd writes an "untrusted" string quoted when it is safe and as unquoted uppercase hex
//! otherwise (`audit_value_needs_encoding` in audit-userspace `lib/audit_logging.c`). Only
//! those fields are ever hex-decoded: a numeric id such as
//! `id=1501` is all hex digits of even length but is a number, and stays one.

use crate::model::RecordType;
use crate::parse::fields::{Field, Quote};
use std::borrow::Cow;

/// Fields whose values auditd hex-encodes when they hold unsafe bytes (auparse `typetab.h`
/// ESCAPED plus the AppArmor strings).
const ENCODED: &[&[u8]] = &[
    b"acct",
    b"cgroup",
    b"cmd",
    b"comm",
    b"cwd",
    b"data",
    b"device",
    b"dir",
    b"exe",
    b"file",
    b"grp",
    b"info",
    b"invalid_context",
    b"key",
    b"name",
    b"new-chardev",
    b"new-disk",
    b"new-fs",
    b"new-net",
    b"new-rng",
    b"new_group",
    b"ocomm",
    b"old-chardev",
    b"old-disk",
    b"old-fs",
    b"old-net",
    b"old-rng",
    b"operation",
    b"path",
    b"peer",
    b"profile",
    b"proctitle",
    b"root_dir",
    b"sw",
    b"vm",
    b"watch",
];

/// True when `key` is hex-encoded by auditd in a record of type `rtype`. EXECVE arguments
/// (`a0`, `a1[2]`) are encoded only in EXECVE records; elsewhere `a0..a3` are numbers.
pub fn is_encoded(key: &[u8], rtype: RecordType) -> bool {
    if rtype == RecordType::EXECVE && is_execve_arg(key).is_some() {
        return true;
    }
    ENCODED.contains(&key)
}

/// For an EXECVE argument key `aN` or `aN[i]`, returns (N, chunk index if any).
/// `aN_len` and `argc` are not arguments.
pub fn is_execve_arg(key: &[u8]) -> Option<(u32, Option<u32>)> {
    let rest = key.strip_prefix(b"a")?;
    let (num, chunk) = match memchr::memchr(b'[', rest) {
        Some(i) => {
            let idx = rest[i + 1..].strip_suffix(b"]")?;
            (&rest[..i], Some(crate::model::parse_u32(idx)?))
        }
        None => (rest, None),
    };
    Some((crate::model::parse_u32(num)?, chunk))
}

/// True when `v` is an even-length string of uppercase hex digits.
pub fn looks_hex(v: &[u8]) -> bool {
    !v.is_empty()
        && v.len().is_multiple_of(2)
        && v.iter().all(|b| matches!(b, b'0'..=b'9' | b'A'..=b'F'))
}

/// Decodes hex digits into bytes; `None` if `v` is not valid hex.
pub fn hex_decode(v: &[u8]) -> Option<Vec<u8>> {
    if !v.len().is_multiple_of(2) {
        return None;
    }
    v.chunks_exact(2)
        .map(|p| Some(hex_digit(p[0])? << 4 | hex_digit(p[1])?))
        .collect()
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// The value of `field` as the program meant it: hex-decoded when the field is an encoded one
/// written unquoted as hex, otherwise the bytes as written.
pub fn decoded<'a>(field: &Field<'a>, rtype: RecordType) -> Cow<'a, [u8]> {
    if field.quote == Quote::None && looks_hex(field.value) && is_encoded(field.key, rtype) {
        if let Some(bytes) = hex_decode(field.value) {
            return Cow::Owned(bytes);
        }
    }
    Cow::Borrowed(field.value)
}

/// True when the field was hex-encoded (so its decoded form differs from the raw value).
pub fn was_encoded(field: &Field<'_>, rtype: RecordType) -> bool {
    field.quote == Quote::None && looks_hex(field.value) && is_encoded(field.key, rtype)
}

/// True for an id meaning "unset": 4294967295, or -1 in auditd's own records.
pub fn is_unset_id(v: &[u8]) -> bool {
    v == b"4294967295" || v == b"-1"
}

/// Bytes as text: valid UTF-8 as is; each byte of an invalid sequence as `\xNN`, so that the
/// text is lossless and readable.
pub fn to_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 8);
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            Cow::Owned(out)
        }
    }
}

/// Splits a decoded value on a separator byte: NUL between proctitle arguments, 0x01 between
/// the keys of a multi-key rule. A trailing separator does not make an empty item.
pub fn split_list(bytes: &[u8], sep: u8) -> Vec<&[u8]> {
    let trimmed = bytes.strip_suffix(&[sep]).unwrap_or(bytes);
    trimmed.split(|&b| b == sep).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fields::{Fields, Scope};

    fn field<'a>(key: &'a [u8], value: &'a [u8], quote: Quote) -> Field<'a> {
        Field {
            key,
            value,
            quote,
            scope: Scope::Body,
            unterminated: false,
        }
    }

    #[test]
    fn decodes_only_encoded_fields() {
        let t = RecordType::USER_CMD;
        assert_eq!(
            &*decoded(&field(b"cmd", b"6C73202D6C", Quote::None), t),
            b"ls -l"
        );
        assert_eq!(
            &*decoded(&field(b"cmd", b"6C73", Quote::Double), t),
            b"6C73"
        );
        assert_eq!(
            &*decoded(&field(b"id", b"1501", Quote::None), RecordType::ADD_USER),
            b"1501"
        );
        assert_eq!(&*decoded(&field(b"acct", b"root", Quote::None), t), b"root");
        assert_eq!(
            &*decoded(&field(b"acct", b"1234", Quote::None), t),
            b"\x12\x34"
        );
        // Lowercase hex is a number (SYSCALL a0..a3, arch), never text.
        assert_eq!(&*decoded(&field(b"comm", b"6c73", Quote::None), t), b"6c73");
    }

    #[test]
    fn execve_arguments_decode_only_in_execve() {
        let e = RecordType::EXECVE;
        assert_eq!(&*decoded(&field(b"a1", b"2D6C", Quote::None), e), b"-l");
        assert_eq!(&*decoded(&field(b"a1[0]", b"2D6C", Quote::None), e), b"-l");
        assert_eq!(&*decoded(&field(b"a1_len", b"10", Quote::None), e), b"10");
        assert_eq!(&*decoded(&field(b"argc", b"12", Quote::None), e), b"12");
        assert_eq!(
            &*decoded(&field(b"a0", b"10", Quote::None), RecordType::SYSCALL),
            b"10"
        );
        assert_eq!(is_execve_arg(b"a12[3]"), Some((12, Some(3))));
        assert_eq!(is_execve_arg(b"a12_len"), None);
        assert_eq!(is_execve_arg(b"arch"), None);
    }

    #[test]
    fn lists_text_and_unset() {
        assert_eq!(split_list(b"a\0b\0", 0), vec![&b"a"[..], b"b"]);
        assert_eq!(split_list(b"k1\x01k2", 1), vec![&b"k1"[..], b"k2"]);
        assert_eq!(to_text(b"ok"), "ok");
        assert_eq!(to_text(b"a\xffb"), "a\\xffb");
        assert!(is_unset_id(b"-1") && is_unset_id(b"4294967295") && !is_unset_id(b"0"));
    }

    #[test]
    fn decodes_fields_from_a_line() {
        let f: Vec<_> = Fields::body(b"proctitle=2F62696E2F7368002D63006C73").collect();
        let d = decoded(&f[0], RecordType::PROCTITLE);
        assert_eq!(split_list(&d, 0), vec![&b"/bin/sh"[..], b"-c", b"ls"]);
    }
}
