//! Just enough JSON for one line of `journalctl -o json`: a flat object whose values are
//! strings, `null` (a field journalctl left out), arrays of byte numbers (a value that is not
//! printable UTF-8) or arrays of those (a field with several values).
//!
//! Wanted values are decoded into the caller's buffer, the others are skipped but still
//! checked, so a damaged line is told apart from a good one. Nothing here allocates once the
//! buffers have grown, and nothing panics: every failure is [`Malformed`].

/// The line is not a well-formed JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Malformed;

/// What a wanted value turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Value {
    /// A string or an array of bytes, decoded into the buffer from `start` to its end.
    Bytes { start: usize },
    /// `null`: journalctl leaves out values of 4096 bytes or more unless run with `--all`.
    Null,
    /// An array of strings or byte arrays: the field has several values.
    Many,
    /// A number, `true` or `false`: journalctl never writes one.
    Other,
}

/// Nesting deeper than this is not a journal entry (and would only cost stack).
const MAX_DEPTH: u32 = 16;

/// Reads the members of one object, in order.
pub(super) struct ObjectReader<'a> {
    s: &'a [u8],
    i: usize,
    first: bool,
}

impl<'a> ObjectReader<'a> {
    /// Starts at the `{` of `line` (after spaces and the record separator of `-o json-seq`).
    pub(super) fn new(line: &'a [u8]) -> Result<Self, Malformed> {
        let mut r = ObjectReader {
            s: line,
            i: 0,
            first: true,
        };
        r.ws();
        if r.peek() == Some(0x1e) {
            r.i += 1;
            r.ws();
        }
        r.expect(b'{')?;
        Ok(r)
    }

    /// The next member's name, decoded into `key` (cleared first); `false` at the closing `}`,
    /// after which only spaces may follow.
    pub(super) fn next_key(&mut self, key: &mut Vec<u8>) -> Result<bool, Malformed> {
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.ws();
            return if self.i == self.s.len() {
                Ok(false)
            } else {
                Err(Malformed)
            };
        }
        if !self.first {
            self.expect(b',')?;
            self.ws();
        }
        self.first = false;
        key.clear();
        self.string(Some(key))?;
        self.ws();
        self.expect(b':')?;
        Ok(true)
    }

    /// Reads the current member's value into `out` (appending).
    pub(super) fn value_into(&mut self, out: &mut Vec<u8>) -> Result<Value, Malformed> {
        self.ws();
        let start = out.len();
        match self.peek().ok_or(Malformed)? {
            b'"' => {
                self.string(Some(out))?;
                Ok(Value::Bytes { start })
            }
            b'[' => {
                self.i += 1;
                self.ws();
                match self.peek().ok_or(Malformed)? {
                    b']' => {
                        self.i += 1;
                        Ok(Value::Bytes { start })
                    }
                    b'0'..=b'9' => {
                        self.byte_array(out)?;
                        Ok(Value::Bytes { start })
                    }
                    _ => {
                        self.array_rest(1)?;
                        Ok(Value::Many)
                    }
                }
            }
            b'n' => {
                self.literal(b"null")?;
                Ok(Value::Null)
            }
            _ => {
                self.skip_value(0)?;
                Ok(Value::Other)
            }
        }
    }

    /// Skips the current member's value, checking it.
    pub(super) fn skip(&mut self) -> Result<(), Malformed> {
        self.skip_value(0)
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), Malformed> {
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(Malformed)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Malformed> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Malformed)
        }
    }

    /// A string at `"`: decoded into `out` when given, else only checked.
    fn string(&mut self, mut out: Option<&mut Vec<u8>>) -> Result<(), Malformed> {
        self.expect(b'"')?;
        loop {
            let rest = &self.s[self.i..];
            let stop = memchr::memchr2(b'"', b'\\', rest).ok_or(Malformed)?;
            let plain = &rest[..stop];
            if plain.iter().any(|&b| b < 0x20) {
                return Err(Malformed);
            }
            if let Some(out) = out.as_deref_mut() {
                out.extend_from_slice(plain);
            }
            self.i += stop + 1;
            if rest[stop] == b'"' {
                return Ok(());
            }
            let esc = self.peek().ok_or(Malformed)?;
            self.i += 1;
            let byte = match esc {
                b'"' => b'"',
                b'\\' => b'\\',
                b'/' => b'/',
                b'b' => 0x08,
                b'f' => 0x0c,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'u' => {
                    let c = self.unicode_escape()?;
                    if let Some(out) = out.as_deref_mut() {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    continue;
                }
                _ => return Err(Malformed),
            };
            if let Some(out) = out.as_deref_mut() {
                out.push(byte);
            }
        }
    }

    /// The character of `\uXXXX` (after the `u`), joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, Malformed> {
        let hi = self.hex4()?;
        if !(0xd800..0xdc00).contains(&hi) {
            return char::from_u32(hi).ok_or(Malformed);
        }
        if !self.s[self.i..].starts_with(b"\\u") {
            return Err(Malformed);
        }
        self.i += 2;
        let lo = self.hex4()?;
        if !(0xdc00..0xe000).contains(&lo) {
            return Err(Malformed);
        }
        char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)).ok_or(Malformed)
    }

    fn hex4(&mut self) -> Result<u32, Malformed> {
        let digits = self.s.get(self.i..self.i + 4).ok_or(Malformed)?;
        let mut v = 0u32;
        for &d in digits {
            let n = (d as char).to_digit(16).ok_or(Malformed)?;
            v = v * 16 + n;
        }
        self.i += 4;
        Ok(v)
    }

    /// The rest of `[n, n, ...]` after `[`: each a byte 0..=255.
    fn byte_array(&mut self, out: &mut Vec<u8>) -> Result<(), Malformed> {
        loop {
            self.ws();
            let digits = self.s[self.i..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 || digits > 3 {
                return Err(Malformed);
            }
            let mut v = 0u32;
            for &d in &self.s[self.i..self.i + digits] {
                v = v * 10 + u32::from(d - b'0');
            }
            out.push(u8::try_from(v).map_err(|_| Malformed)?);
            self.i += digits;
            if self.separator(b']')? {
                return Ok(());
            }
        }
    }

    /// The rest of an array whose first element starts here.
    fn array_rest(&mut self, depth: u32) -> Result<(), Malformed> {
        loop {
            self.skip_value(depth)?;
            if self.separator(b']')? {
                return Ok(());
            }
        }
    }

    /// After an element (whitespace allowed): `,` (false: another follows) or `close`
    /// (true: the container ends); both are consumed.
    fn separator(&mut self, close: u8) -> Result<bool, Malformed> {
        self.ws();
        match self.peek() {
            Some(b',') => self.i += 1,
            Some(b) if b == close => {
                self.i += 1;
                return Ok(true);
            }
            _ => return Err(Malformed),
        }
        Ok(false)
    }

    fn skip_value(&mut self, depth: u32) -> Result<(), Malformed> {
        if depth > MAX_DEPTH {
            return Err(Malformed);
        }
        self.ws();
        match self.peek().ok_or(Malformed)? {
            b'"' => self.string(None),
            b'n' => self.literal(b"null"),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'[' => {
                self.i += 1;
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Ok(());
                }
                self.array_rest(depth + 1)
            }
            b'{' => {
                self.i += 1;
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.ws();
                    self.string(None)?;
                    self.ws();
                    self.expect(b':')?;
                    self.skip_value(depth + 1)?;
                    if self.separator(b'}')? {
                        return Ok(());
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let n = self.s[self.i..]
                    .iter()
                    .take_while(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                    .count();
                self.i += n;
                Ok(())
            }
            _ => Err(Malformed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every member as (key, value, decoded bytes).
    fn members(line: &str) -> Result<Vec<(String, Value, Vec<u8>)>, Malformed> {
        let mut r = ObjectReader::new(line.as_bytes())?;
        let mut key = Vec::new();
        let mut out = Vec::new();
        let mut all = Vec::new();
        while r.next_key(&mut key)? {
            out.clear();
            let v = r.value_into(&mut out)?;
            all.push((String::from_utf8(key.clone()).unwrap(), v, out.clone()));
        }
        Ok(all)
    }

    #[test]
    fn strings_escapes_and_bytes() {
        let m = members(
            r#"{"A":"x\"y\\z\/\n\t\u0041\u00e9\ud83d\ude00","B":[ 104, 105 ],"C":null,"D":["a","b"],"E":[],"F":1}"#,
        )
        .unwrap();
        assert_eq!(m[0].2, "x\"y\\z/\n\tAé😀".as_bytes());
        assert_eq!(m[0].1, Value::Bytes { start: 0 });
        assert_eq!(m[1].2, b"hi");
        assert_eq!(m[2].1, Value::Null);
        assert_eq!(m[3].1, Value::Many);
        assert_eq!(m[4].1, Value::Bytes { start: 0 });
        assert!(m[4].2.is_empty());
        assert_eq!(m[5].1, Value::Other);
    }

    #[test]
    fn json_seq_and_spaces() {
        let m = members("\u{1e}{ \"A\" : \"b\" }  ").unwrap();
        assert_eq!(m.len(), 1);
        assert!(members("{}").unwrap().is_empty());
    }

    #[test]
    fn malformed_lines() {
        for bad in [
            r#"{"A":"b""#,
            r#"{"A":"b",}"#,
            r#"{"A":"b"} x"#,
            r#"{"A" "b"}"#,
            r#"{"A":"\x"}"#,
            r#"{"A":"\u12"}"#,
            r#"{"A":"\ud800"}"#,
            r#"{"A":"\ud800\u0041"}"#,
            r#"{"A":[1,256]}"#,
            r#"{"A":[1,,2]}"#,
            r#"{"A":["a",]}"#,
            r#"{"A":nul}"#,
            "{\"A\":\"tab\there\"}",
            r#"{"A":{"b":"#,
            r#"["A"]"#,
            "",
        ] {
            assert_eq!(members(bad).err(), Some(Malformed), "{bad}");
        }
        let deep = format!("{{\"A\":{}{}}}", "[".repeat(40), "]".repeat(40));
        assert_eq!(members(&deep).err(), Some(Malformed));
    }

    #[test]
    fn skipping_checks_nested_values() {
        let mut r = ObjectReader::new(br#"{"A":{"x":[1,{"y":true}],"z":false},"B":"c"}"#).unwrap();
        let mut key = Vec::new();
        assert!(r.next_key(&mut key).unwrap());
        r.skip().unwrap();
        assert!(r.next_key(&mut key).unwrap());
        assert_eq!(key, b"B");
        r.skip().unwrap();
        assert!(!r.next_key(&mut key).unwrap());
    }
}
