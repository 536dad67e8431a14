//! Tokenising a record body into fields, without allocating.
//!
//! The audit format is "key=value separated by spaces" only in the common case
//! (auditd's `format_raw`/`format_enrich`, audit-userspace `src/auditd-event.c`). This
//! tokeniser also handles:
//! - runs of spaces (`avc:  denied  {`), values `"..."`, `'...'`, `{ ... }` with nesting;
//! - the user-space payload `msg='...'`, whose fields are yielded with [`Scope::Msg`] and whose
//!   unquoted values may contain spaces (`op=adding user`): they run to the next ` key=`;
//! - a payload that starts with a space (`msg=' comm=...'`);
//! - legacy shapes: bare words (`user pid=`, `auditd start, ver=`, `PAM: ... acct=root :`),
//!   `(hostname=?, addr=?, terminal=tty3 res=success)`, `uid=848:`;
//! - SELinux AVC text `avc:  denied  { read write } for`, yielded as the synthetic fields
//!   `seresult=denied` and `seperms=read write`;
//! - AppArmor's unquoted `subj=/usr/sbin/ntpd (enforce)`.
//!
//! Bare words are yielded with an empty key so that nothing in a line is lost.

use serde::Serialize;

/// How a value was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quote {
    /// Unquoted: a word, a number, or hex when the field is an encoded one.
    None,
    /// `"..."`: a literal string.
    Double,
    /// `'...'`.
    Single,
    /// `{ ... }`: a list (AVC permissions, enriched `SADDR`).
    Braces,
}

/// Which part of the line a field comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The record body proper.
    Body,
    /// Inside the user-space `msg='...'` payload.
    Msg,
    /// The ENRICHED section (interpreted values with uppercase names).
    Enriched,
}

/// One field of a record, borrowing from the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The name before `=`; empty for a bare word.
    pub key: &'a [u8],
    /// The value without its quotes, braces or legacy trailing punctuation.
    pub value: &'a [u8],
    /// How the value was written.
    pub quote: Quote,
    /// Where the field was found.
    pub scope: Scope,
    /// True when a quote, brace or payload was not closed before the end of the line (a
    /// truncated record); the value then runs to the end.
    pub unterminated: bool,
}

impl<'a> Field<'a> {
    /// True for values that mean "nothing here": empty, `?`, `(null)`, `(none)`.
    pub fn is_absent(&self) -> bool {
        self.quote == Quote::None
            && matches!(self.value, b"" | b"?" | b"(null)" | b"(none)" | b"\"\"")
    }
}

/// Iterator over the fields of a body (and its payload).
#[derive(Clone, Debug)]
pub struct Fields<'a> {
    text: &'a [u8],
    pos: usize,
    scope: Scope,
    /// When inside `msg='...'`: where the payload ends and where the body resumes.
    payload: Option<(usize, usize)>,
    /// Pending synthetic AVC state: after `avc:` the result word, then `{ perms }`.
    avc: AvcState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AvcState {
    Idle,
    ExpectResult,
    ExpectPerms,
}

impl<'a> Fields<'a> {
    /// Fields of a record body (`Scope::Body`, with the payload as `Scope::Msg`).
    pub fn body(body: &'a [u8]) -> Self {
        Fields {
            text: body,
            pos: 0,
            scope: Scope::Body,
            payload: None,
            avc: AvcState::Idle,
        }
    }

    /// Fields of an ENRICHED section.
    pub fn enriched(enriched: &'a [u8]) -> Self {
        Fields {
            scope: Scope::Enriched,
            ..Fields::body(enriched)
        }
    }

    fn end(&self) -> usize {
        self.payload.map_or(self.text.len(), |(end, _)| end)
    }

    fn in_payload(&self) -> bool {
        self.payload.is_some()
    }

    fn field(&self, key: &'a [u8], value: &'a [u8], quote: Quote, unterminated: bool) -> Field<'a> {
        Field {
            key,
            value,
            quote,
            scope: if self.in_payload() {
                Scope::Msg
            } else {
                self.scope
            },
            unterminated,
        }
    }

    /// Skips spaces; leaves the payload when its end is reached.
    fn skip_separators(&mut self) {
        loop {
            let end = self.end();
            while self.pos < end && matches!(self.text[self.pos], b' ' | b'\t') {
                self.pos += 1;
            }
            match self.payload {
                Some((pend, resume)) if self.pos >= pend => {
                    self.payload = None;
                    self.pos = resume;
                }
                _ => return,
            }
        }
    }

    /// Reads a quoted value starting at the opening quote; returns (value, unterminated).
    fn quoted(&mut self, q: u8) -> (&'a [u8], bool) {
        let end = self.end();
        let start = self.pos + 1;
        match memchr::memchr(q, &self.text[start.min(end)..end]) {
            Some(rel) => {
                self.pos = start + rel + 1;
                (&self.text[start..start + rel], false)
            }
            None => {
                self.pos = end;
                (&self.text[start.min(end)..end], true)
            }
        }
    }

    /// Reads a `{ ... }` value (nested braces allowed); returns (inner, unterminated).
    fn braced(&mut self) -> (&'a [u8], bool) {
        let end = self.end();
        let start = self.pos + 1;
        let mut depth = 1u32;
        let mut i = start;
        while i < end {
            match self.text[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos = i + 1;
                        return (trim(&self.text[start..i]), false);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.pos = end;
        (trim(&self.text[start.min(end)..end]), true)
    }

    /// End of the unquoted word at `from` (next space or scope end).
    fn word_end(&self, from: usize) -> usize {
        let end = self.end();
        memchr::memchr2(b' ', b'\t', &self.text[from..end]).map_or(end, |p| from + p)
    }

    /// Reads an unquoted value at `self.pos`.
    fn unquoted(&mut self) -> &'a [u8] {
        let start = self.pos;
        let mut stop = self.word_end(start);
        if self.in_payload() {
            // Payload values may contain spaces: run on until a word that starts a field.
            let end = self.end();
            let mut next = stop;
            loop {
                while next < end && matches!(self.text[next], b' ' | b'\t') {
                    next += 1;
                }
                if next >= end || starts_key(&self.text[next..end]) {
                    break;
                }
                next = self.word_end(next);
                stop = next;
            }
        } else {
            // AppArmor writes `subj=/usr/sbin/ntpd (enforce)`: a parenthesised word with no
            // '=' continues the value.
            let mut next = stop;
            while matches!(self.text.get(next), Some(b' ' | b'\t')) {
                next += 1;
            }
            if self.text.get(next) == Some(&b'(') {
                let wend = self.word_end(next);
                let word = &self.text[next..wend];
                if word.ends_with(b")") && !word.contains(&b'=') {
                    stop = wend;
                }
            }
        }
        self.pos = stop;
        legacy_trim(trim(&self.text[start..stop]))
    }
}

/// True when `s` begins with `key=` (optionally after a legacy `(`).
fn starts_key(s: &[u8]) -> bool {
    let s = s.strip_prefix(b"(").unwrap_or(s);
    let n = s
        .iter()
        .position(|&b| {
            !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']'))
        })
        .unwrap_or(s.len());
    n > 0 && s.get(n) == Some(&b'=')
}

fn trim(s: &[u8]) -> &[u8] {
    crate::parse::record::trim_spaces(s)
}

/// auparse's rule for legacy values: drop trailing `,` `:` `'` and, unless the value holds a
/// `(` (as in `(null)`, `(none)`, `(enforce)`), a trailing `)`.
fn legacy_trim(mut v: &[u8]) -> &[u8] {
    loop {
        match v {
            [rest @ .., b',' | b':' | b'\''] => v = trim(rest),
            [rest @ .., b')'] if !rest.contains(&b'(') => v = trim(rest),
            _ => return v,
        }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        self.skip_separators();
        let end = self.end();
        if self.pos >= end {
            return None;
        }
        let text = self.text;
        let b = text[self.pos];

        // AVC text: `avc:  denied  { read write } for ...`
        match self.avc {
            AvcState::ExpectResult => {
                let wend = self.word_end(self.pos);
                let word = &text[self.pos..wend];
                if !word.contains(&b'=') && b != b'{' {
                    self.pos = wend;
                    self.avc = AvcState::ExpectPerms;
                    return Some(self.field(b"seresult", word, Quote::None, false));
                }
                self.avc = AvcState::Idle;
            }
            AvcState::ExpectPerms => {
                self.avc = AvcState::Idle;
                if b == b'{' {
                    let (v, unterminated) = self.braced();
                    return Some(self.field(b"seperms", v, Quote::Braces, unterminated));
                }
            }
            AvcState::Idle => {}
        }

        if b == b'{' {
            let (v, unterminated) = self.braced();
            return Some(self.field(b"", v, Quote::Braces, unterminated));
        }
        if b == b'"' || b == b'\'' {
            let (v, unterminated) = self.quoted(b);
            return Some(self.field(b"", v, quote_of(b), unterminated));
        }

        // A token: `key=value` or a bare word.
        let wend = self.word_end(self.pos);
        let eq = text[self.pos..wend].iter().position(|&c| c == b'=');
        let Some(eq) = eq else {
            let word = &text[self.pos..wend];
            self.pos = wend;
            if word == b"avc:" {
                self.avc = AvcState::ExpectResult;
            }
            return Some(self.field(b"", legacy_trim(word), Quote::None, false));
        };
        let mut key = &text[self.pos..self.pos + eq];
        if let [b'(', rest @ ..] = key {
            key = rest;
        }
        self.pos += eq + 1;
        if self.pos >= end || matches!(text[self.pos], b' ' | b'\t') {
            return Some(self.field(key, b"", Quote::None, false));
        }
        match text[self.pos] {
            b'\'' if key == b"msg" && !self.in_payload() => {
                // The user-space payload: its closing quote is the last `'` of the body.
                let start = self.pos + 1;
                let close = memchr::memrchr(b'\'', &text[start..]).map(|r| start + r);
                let (pend, resume, unterminated) = match close {
                    Some(c) => (c, c + 1, false),
                    None => (text.len(), text.len(), true),
                };
                self.pos = start;
                self.payload = Some((pend, resume));
                if unterminated {
                    // Report the damage once, as an empty marker field, then read on.
                    return Some(Field {
                        key: b"msg",
                        value: b"",
                        quote: Quote::Single,
                        scope: Scope::Body,
                        unterminated: true,
                    });
                }
                self.next()
            }
            q @ (b'"' | b'\'') => {
                let (v, unterminated) = self.quoted(q);
                Some(self.field(key, v, quote_of(q), unterminated))
            }
            b'{' => {
                let (v, unterminated) = self.braced();
                Some(self.field(key, v, Quote::Braces, unterminated))
            }
            _ => {
                let v = self.unquoted();
                Some(self.field(key, v, Quote::None, false))
            }
        }
    }
}

fn quote_of(b: u8) -> Quote {
    if b == b'"' {
        Quote::Double
    } else {
        Quote::Single
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(body: &str) -> Vec<(String, String, Scope)> {
        Fields::body(body.as_bytes())
            .map(|f| {
                (
                    String::from_utf8_lossy(f.key).into_owned(),
                    String::from_utf8_lossy(f.value).into_owned(),
                    f.scope,
                )
            })
            .collect()
    }

    fn pairs(body: &str) -> Vec<(String, String)> {
        kv(body).into_iter().map(|(k, v, _)| (k, v)).collect()
    }

    fn p(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn simple_pairs_and_double_spaces() {
        assert_eq!(
            pairs("arch=c000003e  syscall=59 success=yes  exe=\"/bin/ls\" key=(null)"),
            p(&[
                ("arch", "c000003e"),
                ("syscall", "59"),
                ("success", "yes"),
                ("exe", "/bin/ls"),
                ("key", "(null)")
            ])
        );
    }

    #[test]
    fn payload_fields_with_spaces_and_commas() {
        let got = kv("pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=adding user acct=\"bob\" id=1501 grantors=pam_unix,pam_faillock exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'");
        assert_eq!(got[3], ("ses".into(), "4294967295".into(), Scope::Body));
        assert_eq!(got[4], ("op".into(), "adding user".into(), Scope::Msg));
        assert_eq!(got[5].1, "bob");
        assert_eq!(got[6].1, "1501");
        assert_eq!(got[7].1, "pam_unix,pam_faillock");
        assert_eq!(
            got.last().unwrap(),
            &("res".into(), "success".into(), Scope::Msg)
        );
    }

    #[test]
    fn payload_starting_with_space_and_fields_after_it() {
        let got = kv(
            "pid=1 msg=' comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" res=success' extra=1",
        );
        assert_eq!(got[1], ("comm".into(), "systemd".into(), Scope::Msg));
        assert_eq!(got[3], ("res".into(), "success".into(), Scope::Msg));
        assert_eq!(got[4], ("extra".into(), "1".into(), Scope::Body));
    }

    #[test]
    fn legacy_forms() {
        assert_eq!(
            pairs("user pid=2027 uid=0 msg='uid=848: exe=\"/bin/login\" (hostname=?, addr=?, terminal=tty3 res=success)'"),
            p(&[("", "user"), ("pid", "2027"), ("uid", "0"), ("uid", "848"), ("exe", "/bin/login"), ("hostname", "?"), ("addr", "?"), ("terminal", "tty3"), ("res", "success")])
        );
        assert_eq!(
            pairs("auditd start, ver=2.4 format=raw kernel=2.6.32 auid=-1 res=success"),
            p(&[
                ("", "auditd"),
                ("", "start"),
                ("ver", "2.4"),
                ("format", "raw"),
                ("kernel", "2.6.32"),
                ("auid", "-1"),
                ("res", "success")
            ])
        );
        assert_eq!(
            pairs("pid=1 msg='PAM: session open acct=root : exe=\"/bin/su\" res=success'"),
            p(&[
                ("pid", "1"),
                ("", "PAM"),
                ("", "session"),
                ("", "open"),
                ("acct", "root"),
                ("exe", "/bin/su"),
                ("res", "success")
            ])
        );
    }

    #[test]
    fn avc_forms() {
        assert_eq!(
            pairs(
                "avc:  denied  { read write } for  pid=1 comm=\"httpd\" tclass=file permissive=0"
            ),
            p(&[
                ("", "avc"),
                ("seresult", "denied"),
                ("seperms", "read write"),
                ("", "for"),
                ("pid", "1"),
                ("comm", "httpd"),
                ("tclass", "file"),
                ("permissive", "0")
            ])
        );
        let got = kv("pid=1 msg='avc:  received policyload notice (seqno=2)  exe=\"/usr/bin/dbus-daemon\" sauid=81'");
        assert_eq!(got[2], ("seresult".into(), "received".into(), Scope::Msg));
        assert!(got
            .iter()
            .any(|(k, v, _)| k == "exe" && v == "/usr/bin/dbus-daemon"));
        assert_eq!(
            pairs("apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/cupsd\" name=\"/etc/x\" comm=cupsd subj=/usr/sbin/ntpd (enforce) x=1"),
            p(&[("apparmor", "DENIED"), ("operation", "open"), ("profile", "/usr/sbin/cupsd"), ("name", "/etc/x"), ("comm", "cupsd"), ("subj", "/usr/sbin/ntpd (enforce)"), ("x", "1")])
        );
    }

    #[test]
    fn braces_nested_and_enriched_scope() {
        let got: Vec<_> =
            Fields::enriched(b"SADDR={ saddr_fam=inet laddr=1.2.3.4 lport=22 { x } } UID=\"root\"")
                .collect();
        assert_eq!(got[0].key, b"SADDR");
        assert_eq!(got[0].value, b"saddr_fam=inet laddr=1.2.3.4 lport=22 { x }");
        assert_eq!(got[0].scope, Scope::Enriched);
        assert_eq!(got[1].value, b"root");
    }

    #[test]
    fn truncated_values_are_marked() {
        let got: Vec<_> = Fields::body(b"a=\"abc b={x msg='op=1").collect();
        assert!(got[0].unterminated);
        let got: Vec<_> = Fields::body(b"b={x").collect();
        assert!(got[0].unterminated);
        let got: Vec<_> = Fields::body(b"msg='op=1 res=ok").collect();
        assert!(got[0].unterminated);
        assert_eq!(got[2].value, b"ok");
    }

    /// Regression: a tab after a payload value made the value scan stop advancing (found by
    /// the arbitrary-bytes property test hanging).
    #[test]
    fn tabs_inside_a_payload_terminate() {
        let got = pairs("msg='op=a\tb\tc=1 d=\t'");
        assert_eq!(got, p(&[("op", "a\tb"), ("c", "1"), ("d", "")]));
        let got: Vec<_> = Fields::body(b"msg='x=\t\t\t").collect();
        assert!(got.len() <= 3);
    }

    #[test]
    fn empty_values_and_absent_markers() {
        let got: Vec<_> = Fields::body(b"a= b=? c=(null) d=(none) e=x").collect();
        assert_eq!(got.len(), 5);
        assert!(got[..4].iter().all(Field::is_absent));
        assert!(!got[4].is_absent());
    }
}
