//! `report.json`: the view model as it is, for programs (the same values every other
//! format shows). Field order is the struct order; lists are already sorted.

use crate::report::Report;

/// The report as JSON (see [`write_pretty`]) with a trailing newline.
pub fn render(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_pretty(report, &mut out)?;
    Ok(out)
}

/// [`render`] streamed to `w`.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> anyhow::Result<()> {
    write_pretty(report, w)
}

/// Any document as indented JSON with a trailing newline, streamed to `w`: objects and
/// arrays indented as `serde_json`'s pretty printer does, except that each element of an
/// array nested at least [`ROW_DEPTH`] levels deep that is itself an object or an array (a
/// fact, a row, a segment) is written on one line. A list of thousands of facts reads (and
/// diffs) one fact per line, at about two thirds of the size; the document's top-level
/// parts (a report's sections) stay indented.
///
/// The serializer writes many small pieces; a buffer of a known type in front of `w` takes
/// them without a dynamic call each, and hands `w` large writes.
pub fn write_pretty<T: serde::Serialize + ?Sized>(
    doc: &T,
    w: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    write_with(doc, w, RowsPerLine::default())
}

/// A summary (summary.json, `merge`'s output) as [`write_pretty`] writes any document, with
/// every `=` inside its strings (keys too) written `\u003d`: the file then holds no `=` at
/// all, so no line of it reads as an audit record when it is given as a log, whatever text
/// the logs put in its facts (a command line that quotes a record). Every JSON reader reads
/// the strings back unchanged.
pub fn write_summary<T: serde::Serialize + ?Sized>(
    doc: &T,
    w: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let formatter = RowsPerLine {
        equals_escaped: true,
        ..RowsPerLine::default()
    };
    write_with(doc, w, formatter)
}

fn write_with<T: serde::Serialize + ?Sized>(
    doc: &T,
    w: &mut dyn std::io::Write,
    formatter: RowsPerLine,
) -> anyhow::Result<()> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, w);
    let mut ser = serde_json::Serializer::with_formatter(&mut buffered, formatter);
    doc.serialize(&mut ser)?;
    std::io::Write::write_all(&mut buffered, b"\n")?;
    std::io::Write::flush(&mut buffered)?;
    Ok(())
}

/// How deep (in containers, the document itself being the first) an array must be for its
/// elements to take one line each: `{"sections": [{...}]}` keeps its sections indented,
/// `{"logins": {"items": [{...}]}}` writes a fact per line.
const ROW_DEPTH: usize = 3;

/// The formatter of [`write_pretty`]: indented, with the elements of deep arrays that are
/// containers written compact on one line each.
#[derive(Default)]
struct RowsPerLine {
    /// Indentation level of the indented part.
    indent: usize,
    /// Whether the current indented container has a value yet.
    has_value: bool,
    /// Containers open inside the current one-line element (0: not in one).
    compact: usize,
    /// The next value is an element of an indented array.
    element: bool,
    /// `=` in strings written `\u003d` ([`write_summary`]).
    equals_escaped: bool,
}

impl RowsPerLine {
    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.indent {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// A container begins: one-line when it is an array element or inside one.
    fn begin<W: ?Sized + std::io::Write>(&mut self, w: &mut W, open: &[u8]) -> std::io::Result<()> {
        if self.compact > 0 || std::mem::take(&mut self.element) {
            self.compact += 1;
        } else {
            self.indent += 1;
            self.has_value = false;
        }
        w.write_all(open)
    }

    fn end<W: ?Sized + std::io::Write>(&mut self, w: &mut W, close: &[u8]) -> std::io::Result<()> {
        if self.compact > 0 {
            self.compact -= 1;
        } else {
            self.indent -= 1;
            if self.has_value {
                self.newline(w)?;
            }
        }
        w.write_all(close)
    }

    /// Before an element or a key of an indented container (or a compact one).
    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if self.compact > 0 {
            return if first { Ok(()) } else { w.write_all(b",") };
        }
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for RowsPerLine {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment.as_bytes();
        if self.equals_escaped {
            while let Some(i) = memchr::memchr(b'=', rest) {
                w.write_all(&rest[..i])?;
                w.write_all(b"\\u003d")?;
                rest = &rest[i + 1..];
            }
        }
        w.write_all(rest)
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)?;
        self.element = self.compact == 0 && self.indent >= ROW_DEPTH;
        Ok(())
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.element = false;
        if self.compact == 0 {
            self.has_value = true;
        }
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(if self.compact > 0 { b":" } else { b": " })
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        if self.compact == 0 {
            self.has_value = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::write_pretty;
    use serde_json::json;

    fn text(v: &serde_json::Value) -> String {
        let mut out = Vec::new();
        write_pretty(v, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn elements_of_deep_arrays_that_are_containers_take_one_line_each() {
        let v = json!({
            "n": 1,
            "empty": {},
            "none": [],
            "sections": [{"id": "a", "rows": [[1, 2], [3]]}],
            "logins": {
                "keys": ["a", "b"],
                "items": [{"x": 1, "y": {"z": [1, 2]}}, {"x": 2, "y": {}}],
                "by_day": {"2026-10-01": 3}
            }
        });
        let expected = r#"{
  "empty": {},
  "logins": {
    "by_day": {
      "2026-10-01": 3
    },
    "items": [
      {"x":1,"y":{"z":[1,2]}},
      {"x":2,"y":{}}
    ],
    "keys": [
      "a",
      "b"
    ]
  },
  "n": 1,
  "none": [],
  "sections": [
    {
      "id": "a",
      "rows": [
        [1,2],
        [3]
      ]
    }
  ]
}
"#;
        assert_eq!(text(&v), expected);
        let back: serde_json::Value = serde_json::from_str(&text(&v)).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn a_summary_holds_no_equals_sign() {
        let v = json!({"a=b": ["type=USER_LOGIN msg=audit(1.1:1): res=failed", "x"]});
        let mut out = Vec::new();
        super::write_summary(&v, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('='), "{text}");
        assert!(text.contains(r#""a\u003db""#), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn scalars_and_top_level_arrays() {
        assert_eq!(text(&json!(5)), "5\n");
        assert_eq!(
            text(&json!([[1], {"a": []}])),
            "[\n  [\n    1\n  ],\n  {\n    \"a\": []\n  }\n]\n"
        );
    }
}
