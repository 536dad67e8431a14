//! Text for a terminal: log values are attacker-controlled (a failed login's user name is
//! whatever was typed), so control characters are never written raw. An escape sequence in
//! a user name must not be able to recolour, move the cursor or retitle the terminal.

use std::borrow::Cow;
use std::fmt::Write;

/// Replaces control characters (C0, DEL, C1 and the line/paragraph separators) with a
/// visible `\xNN` / `\u{NNNN}` escape. Everything else passes through.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            if (c as u32) < 0x100 {
                let _ = write!(out, "\\x{:02x}", c as u32);
            } else {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Pads `s` on the right to `width` characters (no truncation).
pub fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// Formats a table: a header row and data rows, columns aligned, numbers right-aligned.
/// Cells are sanitised.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| sanitize(c).into_owned()).collect())
        .collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let numeric: Vec<bool> = (0..cols)
        .map(|i| {
            !rows.is_empty()
                && rows.iter().all(|r| {
                    r.get(i)
                        .is_some_and(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()))
                })
        })
        .collect();
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let mut parts = Vec::with_capacity(cols);
        for (i, c) in cells.iter().enumerate() {
            let pad_n = width[i].saturating_sub(c.chars().count());
            if numeric[i] {
                parts.push(format!("{}{c}", " ".repeat(pad_n)));
            } else if i + 1 == cols {
                parts.push(c.to_string());
            } else {
                parts.push(format!("{c}{}", " ".repeat(pad_n)));
            }
        }
        out.push_str("  ");
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(header.to_vec(), &mut out);
    for r in &rows {
        line(r.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(sanitize("alice"), "alice");
        assert_eq!(sanitize("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(sanitize("x\ny\u{7f}\u{9b}"), "x\\x0ay\\x7f\\x9b");
        assert_eq!(sanitize("rtl\u{202e}x"), "rtl\\u{202e}x");
    }

    #[test]
    fn tables_align_and_sanitize() {
        let t = table(
            &["name", "count"],
            &[
                vec!["a\x07".into(), "5".into()],
                vec!["bbbbbb".into(), "12".into()],
            ],
        );
        assert_eq!(t, "  name    count\n  a\\x07       5\n  bbbbbb     12\n");
    }
}
