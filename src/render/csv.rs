//! CSV files of the evidence package: one row per item, each with its `file:line`, so an
//! auditor can filter, sample and trace in a spreadsheet.
//!
//! Log values are attacker-controlled (user names, commands), and a spreadsheet runs a
//! cell that starts with `=`, `+`, `-`, `@`, tab or CR as a formula. By default such cells
//! are neutralised with a leading `'` ([`neutralise`]); `--csv-raw` turns that off.
//! Control, bidi and zero-width characters (except the tab) are always shown escaped
//! ([`crate::render::inert`]), so `cat logins.csv` cannot run a terminal escape; [`cell`]
//! does both and is what every CSV writer (the report's, `compare`'s, `trend`'s) uses.

pub mod compare;
pub mod exceptions;
pub mod trend;

use super::OutputFile;
use crate::report::{Column, FactTable, Report};
use anyhow::Context;

/// Prefixes `'` to a cell a spreadsheet would take as a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A cell as written: hidden characters escaped (the tab kept), then neutralised unless
/// `raw`.
pub fn cell(value: &str, raw: bool) -> std::borrow::Cow<'_, str> {
    let shown = super::inert::escape_except(value, Some('\t'));
    if raw {
        return shown;
    }
    match shown {
        std::borrow::Cow::Borrowed(s) => neutralise(s),
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(neutralise(&s).into_owned()),
    }
}

/// One CSV file being written: the header as given, then rows whose every cell goes through
/// [`cell`] (`raw`: `--csv-raw`, formulas not neutralised). With `numbers` (the comparison's
/// sheets), a cell that is a number we computed (`-12`, `-33.3`, see [`is_number`]) is
/// written as it is so a spreadsheet still sees a number.
pub(crate) struct Sheet {
    w: csv::Writer<Vec<u8>>,
    raw: bool,
    numbers: bool,
}

impl Sheet {
    /// A sheet of the report: every cell escaped (and neutralised unless `raw`).
    pub(crate) fn new(header: &[&str], raw: bool) -> anyhow::Result<Self> {
        Self::start(header, raw, false)
    }

    /// A sheet of the comparison: numbers as they are, every other cell escaped and
    /// neutralised.
    pub(crate) fn with_numbers(header: &[&str]) -> anyhow::Result<Self> {
        Self::start(header, false, true)
    }

    fn start(header: &[&str], raw: bool, numbers: bool) -> anyhow::Result<Self> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header)?;
        Ok(Sheet { w, raw, numbers })
    }

    pub(crate) fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> anyhow::Result<()> {
        for c in cells {
            let c = c.as_ref();
            if self.numbers && is_number(c) {
                self.w.write_field(c.as_bytes())?;
            } else {
                self.w.write_field(cell(c, self.raw).as_bytes())?;
            }
        }
        self.w.write_record(None::<&[u8]>)?;
        Ok(())
    }

    pub(crate) fn finish(self, name: &str) -> anyhow::Result<OutputFile> {
        Ok(OutputFile {
            name: name.to_string(),
            bytes: self
                .w
                .into_inner()
                .map_err(csv::IntoInnerError::into_error)
                .with_context(|| format!("cannot write {name}"))?,
        })
    }
}

/// `-?digits(.digits)?`: a number, never a formula.
fn is_number(c: &str) -> bool {
    let digits = c.strip_prefix('-').unwrap_or(c);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    [int, frac]
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The header of a section's CSV: `list,time,host`, the section's columns, `source`.
fn fact_header(columns: &[Column]) -> Vec<&str> {
    let mut h = vec!["list", "time", "host"];
    h.extend(columns.iter().map(|c| c.name.as_str()));
    h.push("source");
    h
}

fn facts(sheet: &mut Sheet, t: &FactTable) -> anyhow::Result<()> {
    for r in t.rows.iter() {
        let mut cells: Vec<&str> = vec![&t.id, &r.time, &r.host];
        cells.extend(r.cells.iter().map(String::as_str));
        cells.push(&r.source);
        sheet.row(&cells)?;
    }
    Ok(())
}

/// Every CSV file of the package, in a fixed order. `raw` disables formula neutralisation.
pub fn render(report: &Report, raw: bool) -> anyhow::Result<Vec<OutputFile>> {
    let mut out = Vec::new();
    render_each(report, raw, &mut |f| {
        out.push(f);
        Ok(())
    })?;
    Ok(out)
}

/// [`render`], handing each file to `emit` as soon as it is complete, so that only one is
/// held in memory at a time.
pub fn render_each(
    report: &Report,
    raw: bool,
    emit: &mut dyn FnMut(OutputFile) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut s = Sheet::new(
        &[
            "framework",
            "control",
            "title",
            "status",
            "provability",
            "evidence",
            "findings",
            "note",
        ],
        raw,
    )?;
    for c in &report.controls {
        s.row(&[
            &c.framework,
            &c.id,
            &c.title,
            &c.status,
            &c.provability,
            &c.evidence.join("; "),
            &c.findings.join(" "),
            &with_coverage(&c.note, &c.coverage),
        ])?;
    }
    emit(s.finish("controls.csv")?)?;

    let mut s = Sheet::new(
        &[
            "finding",
            "entry",
            "rule",
            "title",
            "severity",
            "status",
            "host",
            "time",
            "actor",
            "target",
            "summary",
            "result",
            "source",
            "raw_line",
            "exception",
        ],
        raw,
    )?;
    for f in &report.findings {
        let accepted = exceptions::accepted_cell(f.exception.as_ref());
        // The finding's own cells, then where and who (its evidence's, else its own), then
        // whether it is accepted.
        let finding = [
            f.id.as_str(),
            &f.entry,
            &f.rule,
            &f.title,
            &f.severity,
            &f.status,
        ];
        if f.evidence.is_empty() {
            let at = [
                f.host.as_str(),
                &f.time,
                &f.actor,
                &f.target,
                &f.summary,
                "",
                "",
                "",
            ];
            s.row(&[&finding[..], &at, &[accepted.as_str()]].concat())?;
        }
        for e in &f.evidence {
            let at = [
                e.host.as_str(),
                &e.time,
                &e.actor,
                &e.target,
                &f.summary,
                &e.result,
                &e.source,
                &e.raw_line,
            ];
            s.row(&[&finding[..], &at, &[accepted.as_str()]].concat())?;
        }
    }
    emit(s.finish("findings.csv")?)?;
    if let Some(r) = &report.exceptions {
        emit(exceptions::render(r, raw)?)?;
    }

    for section in &report.sections {
        let mut s = Sheet::new(&fact_header(&section.columns), raw)?;
        for t in &section.tables {
            facts(&mut s, t)?;
        }
        emit(s.finish(&section.csv)?)?;
    }

    let mut s = Sheet::new(
        &[
            "host",
            "events",
            "coverage",
            "first",
            "last",
            "silences",
            "serial_gaps",
            "missing_serials",
            "lost_events",
        ],
        raw,
    )?;
    for h in &report.completeness.hosts {
        s.row(&[
            h.name.clone(),
            h.events.to_string(),
            h.coverage.clone(),
            h.first.clone(),
            h.last.clone(),
            h.silences.len().to_string(),
            h.serial_gaps.len().to_string(),
            h.missing_serials.to_string(),
            h.lost_events.to_string(),
        ])?;
    }
    emit(s.finish("hosts.csv")?)
}

/// A control's note with its rule coverage after it (`Rule coverage: ...`).
pub fn with_coverage(note: &str, coverage: &[String]) -> String {
    if coverage.is_empty() {
        return note.to_string();
    }
    let sep = match note.chars().last() {
        None => "",
        Some('.') => " ",
        Some(_) => ". ",
    };
    format!("{note}{sep}Rule coverage: {}.", coverage.join("; "))
}

#[cfg(test)]
mod tests {
    use super::{cell, neutralise};

    #[test]
    fn formula_cells_get_a_quote() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        for cell in ["alice", "", "1-2", "a=b"] {
            assert_eq!(neutralise(cell), cell);
        }
    }

    #[test]
    fn cells_show_controls_and_keep_tabs() {
        assert_eq!(
            cell("a\x1b[2Jb\x07\0\u{9b}", false),
            "a\\x1b[2Jb\\x07\\x00\\x9b"
        );
        assert_eq!(cell("x\ty\r\n", false), "x\ty\\x0d\\x0a");
        assert_eq!(cell("\u{202e}=1", false), "\\u202e=1");
        assert_eq!(cell("=1\x1b", false), "'=1\\x1b");
        assert_eq!(
            cell("=1\x1b", true),
            "=1\\x1b",
            "--csv-raw keeps formulas, not controls"
        );
    }
}
