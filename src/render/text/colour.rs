//! Colour on a terminal: whether to colour (`--color`, `NO_COLOR`, whether standard output
//! is a terminal) and the styles of severities and statuses.
//!
//! Colour is applied to the finished, sanitized text of a renderer, so that the text
//! without colour is exactly what the renderers write to a pipe or a file, and so that
//! widths and wrapping are computed on what is seen. Sanitizing first means the only
//! escape bytes in the output are the ones added here: a log value cannot bring its own.
//! Only whole words of a fixed vocabulary are styled (a severity, a control or
//! exception status, a failed result, a verdict); a word inside a path, a `key=value` or a hyphenated
//! name is not.

use std::borrow::Cow;
use std::ffi::OsStr;

/// `--color`: never, when standard output is a terminal and `NO_COLOR` is unset, always.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Plain text.
    Never,
    /// Colour on a terminal unless `NO_COLOR` is set (to anything but the empty string).
    Auto,
    /// Colour even into a pipe or a file.
    Always,
}

/// Whether text is coloured, decided once per run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    on: bool,
}

impl Palette {
    /// Plain text.
    pub const OFF: Palette = Palette { on: false };

    /// The palette for `when`, given whether standard output is a terminal and the value of
    /// `NO_COLOR` (<https://no-color.org>: set and not empty means no colour).
    pub fn decide(when: When, stdout_is_terminal: bool, no_color: Option<&OsStr>) -> Palette {
        let on = match when {
            When::Never => false,
            When::Always => true,
            When::Auto => stdout_is_terminal && no_color.is_none_or(OsStr::is_empty),
        };
        Palette { on }
    }

    /// Whether this palette colours.
    pub fn is_on(self) -> bool {
        self.on
    }

    /// `text` with its severities and statuses styled; unchanged (borrowed) when off.
    pub fn paint(self, text: &str) -> Cow<'_, str> {
        if !self.on {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut rest = text;
        let mut prev: Option<char> = None;
        while let Some(c) = rest.chars().next() {
            if is_word(c) && prev.is_none_or(|p| !joins(p)) {
                let (word, after) = rest.split_at(word_len(rest));
                let alone = after.chars().next().is_none_or(|n| !joins(n));
                if let Some(style) = style(word).filter(|_| alone) {
                    out.push_str("\x1b[");
                    out.push_str(style);
                    out.push('m');
                    out.push_str(word);
                    out.push_str(RESET);
                } else {
                    out.push_str(word);
                }
                prev = word.chars().last();
                rest = after;
            } else {
                out.push(c);
                prev = Some(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        Cow::Owned(out)
    }
}

const RESET: &str = "\x1b[0m";

/// Characters of a styled word (letters and the hyphen of `evidence-ok`).
fn is_word(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '-'
}

/// Characters that make a word part of something larger (`actor=high`, `/var/low`,
/// `F-AUD-01`, `high_water`): such a word is not styled.
fn joins(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '=' | '_' | '/' | '.' | '-' | '\\' | '"' | '\'')
}

/// The length of the word at the start of `rest`, taking the verdicts of two words
/// (`NOT INTACT`, `NOTHING FOUND`) as one.
fn word_len(rest: &str) -> usize {
    let len = rest.find(|c| !is_word(c)).unwrap_or(rest.len());
    for (first, second) in [("NOT", " INTACT"), ("NOTHING", " FOUND")] {
        if &rest[..len] == first && rest[len..].starts_with(second) {
            return len + second.len();
        }
    }
    len
}

/// The SGR parameters of a word of the vocabulary.
fn style(word: &str) -> Option<&'static str> {
    Some(match word {
        "critical" => "1;31",
        "high" | "no-evidence" | "failed" => "31",
        "medium" | "exceptions" | "WARNING" => "33",
        "low" => "36",
        "info" | "unmatched" => "2",
        "not-provable" => "35",
        "evidence-ok" | "accepted" | "intact" | "pass" | "resolved" | "yes" => "32",
        "FLAG" => "1;33",
        "expired" | "EXPIRED" | "MISMATCH" | "NOT INTACT" | "NOTHING FOUND" | "NO" => "1;31",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    #[test]
    fn auto_colours_a_terminal_without_no_color() {
        let set = OsString::from("1");
        let empty = OsString::new();
        assert!(Palette::decide(When::Auto, true, None).is_on());
        assert!(Palette::decide(When::Auto, true, Some(&empty)).is_on());
        assert!(!Palette::decide(When::Auto, true, Some(&set)).is_on());
        assert!(!Palette::decide(When::Auto, false, None).is_on());
        assert!(!Palette::decide(When::Never, true, None).is_on());
        assert!(Palette::decide(When::Always, false, Some(&set)).is_on());
    }

    #[test]
    fn off_leaves_the_text_as_it_is() {
        let t = "F-AUD-01   critical auditd stopped\nNOT INTACT\n";
        assert!(matches!(Palette::OFF.paint(t), Cow::Borrowed(s) if s == t));
    }

    #[test]
    fn severities_and_statuses_are_styled_as_whole_words() {
        let on = Palette { on: true };
        assert_eq!(
            on.paint("F-AUD-01   critical x: high 2, low 1\n"),
            "F-AUD-01   \x1b[1;31mcritical\x1b[0m x: \x1b[31mhigh\x1b[0m 2, \x1b[36mlow\x1b[0m 1\n"
        );
        assert_eq!(
            on.paint("10.2.1  evidence-ok  t\nNOT INTACT: x\n"),
            "10.2.1  \x1b[32mevidence-ok\x1b[0m  t\n\x1b[1;31mNOT INTACT\x1b[0m: x\n"
        );
        for inside in [
            "actor=high",
            "/var/log/low",
            "high-volume",
            "highly",
            "critical_path",
            "\"info\"",
            "NOT intact",
        ] {
            let painted = on.paint(inside);
            assert!(
                painted == inside || inside == "NOT intact",
                "{inside:?} -> {painted:?}"
            );
        }
        assert_eq!(on.paint("NOT intact"), "NOT \x1b[32mintact\x1b[0m");
    }
}
