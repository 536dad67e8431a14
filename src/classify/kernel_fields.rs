//! The fields of a kernel record body (SYSCALL, PATH, CWD, PROCTITLE) as the kernel writes
//! them, read without the general tokeniser's cost.

use crate::parse::{Field, Quote};

/// The `key=value` fields of a kernel record body, as the kernel writes them: separated by
/// spaces. A kernel value never holds a space (`comm`, `exe`, `name`, `key` and the like are
/// written as hex when they would), so a quoted value is simply a word in quotes. Words
/// without `=` (AppArmor's `(enforce)`) are skipped. Much cheaper than [`Fields`], which
/// also handles the user-space payload and legacy shapes kernel records never have.
pub(crate) struct KernelFields<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for KernelFields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        let t = self.text;
        while self.pos < t.len() {
            let start = self.pos;
            let end = find_space(t, start);
            self.pos = end + 1;
            // Field names are short: `=` is near the start of the word.
            let Some(eq) = t[start..end].iter().position(|&b| b == b'=') else {
                continue;
            };
            return Some(field(&t[start..start + eq], &t[start + eq + 1..end]));
        }
        None
    }
}

/// The index of the first space in `t` at or after `from`, else `t.len()`. Reads eight
/// bytes at a time: kernel words are too short for a search call to pay off.
pub(crate) fn find_space(t: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let mut i = from;
    while let Some(chunk) = t.get(i..i + 8) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let x = u64::from_le_bytes(bytes) ^ SPACES;
        // The lowest zero byte of x is exactly the first space.
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < t.len() && t[i] != b' ' {
        i += 1;
    }
    i
}

/// A field from its name and raw value (`"text"` or a bare word).
fn field<'a>(key: &'a [u8], raw: &'a [u8]) -> Field<'a> {
    let (value, quote, unterminated) = match raw.strip_prefix(b"\"") {
        Some(q) => match q.strip_suffix(b"\"") {
            Some(v) => (v, Quote::Double, false),
            None => (q, Quote::Double, true),
        },
        None => (raw, Quote::None, false),
    };
    Field {
        key,
        value,
        quote,
        scope: crate::parse::Scope::Body,
        unterminated,
    }
}

/// The only field of a one-field kernel record (`cwd=...`, `proctitle=...`): the value is
/// the rest of the body.
pub(crate) fn only_field<'a>(body: &'a [u8], name: &'a [u8]) -> Option<Field<'a>> {
    let rest = body.strip_prefix(name)?.strip_prefix(b"=")?;
    let end = rest.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
    Some(field(name, &rest[..end]))
}

impl KernelFields<'_> {
    /// Moves to the field `finder` finds (its pattern starts with the space before the
    /// name), when it lies ahead; else stays.
    pub(crate) fn skip_to(&mut self, finder: &memchr::memmem::Finder<'_>) {
        if let Some(at) = self.text.get(self.pos..).and_then(|t| finder.find(t)) {
            self.pos += at + 1;
        }
    }
}

pub(crate) fn kernel_fields(body: &[u8]) -> KernelFields<'_> {
    KernelFields { text: body, pos: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_space_in_any_position() {
        let text = b"abcdefghijklmnopqrstuvwxyz0123456789";
        for at in 0..text.len() {
            let mut t = text.to_vec();
            t[at] = b' ';
            for from in 0..=at {
                assert_eq!(find_space(&t, from), at, "space at {at} from {from}");
            }
            assert_eq!(find_space(&t, at + 1), t.len());
        }
        assert_eq!(find_space(b"", 0), 0);
        let fields: Vec<_> = kernel_fields(b"arch=c000003e  x (enforce) comm=\"a\" k=").collect();
        assert_eq!(fields.len(), 3);
        assert_eq!(
            (fields[1].value, fields[1].quote),
            (&b"a"[..], Quote::Double)
        );
        assert_eq!(fields[2].value, b"");
        let cwd = only_field(b"cwd=\"/root\"  ", b"cwd").unwrap();
        assert_eq!((cwd.value, cwd.quote), (&b"/root"[..], Quote::Double));
        assert!(only_field(b"cwdx=1", b"cwd").is_none());
    }
}
