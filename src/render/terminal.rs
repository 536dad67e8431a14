//! Text for a terminal: log values are attacker-controlled (a failed login's user name is
//! whatever was typed), so control characters are never written raw. An escape sequence in
//! a user name must not be able to recolour, move the cursor or retitle the terminal.

use std::borrow::Cow;

/// Replaces control, bidi and zero-width characters with a visible `\x1b` / `\u202e`
/// escape ([`crate::render::inert`]). Everything else passes through.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    super::inert::escape(s)
}

/// [`sanitize`] line by line, keeping the line breaks of text this program wrote (an error
/// message that quotes a value still shows that value's own controls escaped).
pub fn sanitize_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&sanitize(line));
    }
    out
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
/// Cells and headers are sanitised (a header can be a period label from a summary.json).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let header: Vec<Cow<'_, str>> = header.iter().map(|h| sanitize(h)).collect();
    let header: Vec<&str> = header.iter().map(|h| h.as_ref()).collect();
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
        assert_eq!(sanitize("rtl\u{202e}x"), "rtl\\u202ex");
        assert_eq!(sanitize_text("a\x1b\nb\n"), "a\\x1b\nb\n");
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
