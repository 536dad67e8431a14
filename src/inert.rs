//! The one rule every output follows for text it did not write itself: characters that a
//! terminal, a spreadsheet, a browser or a PDF viewer would act on, or that would hide or
//! reorder what is shown, are written as a visible escape instead of raw.
//!
//! Log values are attacker-controlled (a failed login's user name is whatever was typed),
//! and so is any `summary.json` handed to `compare` or `trend`. An ESC in a user name must
//! not recolour or retitle the terminal of whoever runs `cat logins.csv`; a right-to-left
//! override must not make `exe=/tmp/gpj.sh` read as something else in the report.
//!
//! Escaped ([`is_hidden`]):
//! - C0 controls U+0000..U+001F, DEL U+007F, C1 controls U+0080..U+009F: `\x1b`, `\x7f`, `\x9b`;
//! - bidirectional controls (Unicode's `Bidi_Control`: U+061C, U+200E, U+200F,
//!   U+202A..U+202E, U+2066..U+2069): `\u202e`;
//! - zero-width characters U+200B..U+200D, U+2060, U+FEFF: `\u200b`;
//! - the line and paragraph separators U+2028, U+2029.
//!
//! Everything else passes through unchanged (including `\`, so the escape is for people,
//! not a reversible encoding; the exact bytes are in the log at the cited `file:line`).
//! Terminal text ([`crate::render::terminal::sanitize`]), CSV cells
//! ([`crate::render::csv::cell`], which keeps the tab), HTML ([`crate::render::html::escape`])
//! and PDF text all go through [`escape`].

use std::borrow::Cow;
use std::fmt::Write;

/// True for a character that is never written raw (see the module documentation).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Appends the visible form of `c`: `\xNN` below U+0100, else `\uNNNN`.
pub fn push_escape(out: &mut String, c: char) {
    let n = u32::from(c);
    let _ = if n < 0x100 {
        write!(out, "\\x{n:02x}")
    } else {
        write!(out, "\\u{n:04x}")
    };
}

/// `s` with every hidden character escaped; borrowed when there is none.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_except(s, None)
}

/// [`escape`] that leaves `keep` as it is (CSV keeps the tab: it is data inside a cell, and
/// a cell starting with one is neutralised as a formula anyway).
pub fn escape_except(s: &str, keep: Option<char>) -> Cow<'_, str> {
    let hidden = |c: char| is_hidden(c) && Some(c) != keep;
    // Printable ASCII (nearly every cell) holds nothing hidden: one pass over the bytes.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(s);
    }
    let Some(first) = s.find(hidden) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if hidden(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_zero_width_are_shown() {
        assert_eq!(escape("alice"), "alice");
        assert!(matches!(escape("ünïcødé ✓"), Cow::Borrowed(_)));
        assert_eq!(escape("a\x1b[31mb\x07"), "a\\x1b[31mb\\x07");
        assert_eq!(escape("\0\t\n\r\u{7f}"), "\\x00\\x09\\x0a\\x0d\\x7f");
        assert_eq!(escape("\u{85}\u{9b}"), "\\x85\\x9b");
        assert_eq!(escape("gpj\u{202e}.sh"), "gpj\\u202e.sh");
        for (c, shown) in [
            ('\u{061c}', "\\u061c"),
            ('\u{200b}', "\\u200b"),
            ('\u{200e}', "\\u200e"),
            ('\u{200f}', "\\u200f"),
            ('\u{2028}', "\\u2028"),
            ('\u{2029}', "\\u2029"),
            ('\u{202a}', "\\u202a"),
            ('\u{2060}', "\\u2060"),
            ('\u{2066}', "\\u2066"),
            ('\u{2069}', "\\u2069"),
            ('\u{feff}', "\\ufeff"),
        ] {
            assert_eq!(escape(&format!("x{c}y")), format!("x{shown}y"), "{c:?}");
        }
        // Neighbours of the ranges are ordinary text.
        for c in [
            '\u{a0}', '\u{2027}', '\u{202f}', '\u{2065}', '\u{206a}', '\u{fefe}',
        ] {
            assert!(!is_hidden(c), "{c:?}");
        }
    }

    #[test]
    fn tab_can_be_kept() {
        assert_eq!(escape_except("a\tb\x1b", Some('\t')), "a\tb\\x1b");
    }
}
