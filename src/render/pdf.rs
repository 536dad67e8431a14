//! `report.pdf`: the same report on A4 for signing and archiving, drawn with printpdf's ops
//! API and a small layout layer of our own (cursor, page breaks, tables with repeated
//! headers, truncation to column width, bar charts from rectangles, "Page X of N").
//!
//! printpdf's HTML layout and SVG features are not used (they cost minutes of build and do
//! not repeat table headers). DejaVu Sans is embedded (subset) so any user name renders.
//! Output is byte-identical for the same report: fonts get fixed resource ids, metadata
//! dates come from the report's generation time, and the trailer's random `/ID` is replaced
//! by one derived from the content.

use crate::report::{FactTable, Report};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};
use sha2::{Digest, Sha256};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Rows of a population shown in the PDF; the CSV holds all of them.
pub const ROWS_SHOWN: usize = 60;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 40.0;
const RIGHT: f32 = PAGE_W - 40.0;
const TOP: f32 = PAGE_H - 45.0;
const BOTTOM: f32 = 50.0;
const ROW_H: f32 = 13.0;
const SIZE: f32 = 7.5;

fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color::Rgb(Rgb::new(
        f32::from(r) / 255.0,
        f32::from(g) / 255.0,
        f32::from(b) / 255.0,
        None,
    ))
}

/// A table column: heading, width in pt, alignment.
struct Col<'a>(&'a str, f32, Align);

/// How a column places and cuts its text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    /// Left-aligned, cut at the end.
    Left,
    /// Right-aligned (numbers).
    Right,
    /// Left-aligned, cut at the start (paths: the file name and line matter most).
    Tail,
}
use Align::{Left as L, Right as R, Tail as T};

/// `2026-10-12T03:14:05.222Z` as `2026-10-12 03:14:05` (the report states UTC).
fn short_time(s: &str) -> String {
    let s = s.split('.').next().unwrap_or(s).trim_end_matches('Z');
    s.replacen('T', " ", 1)
}

struct Layout {
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
    fonts: [(FontId, ParsedFont); 2],
    units: [f32; 2],
    /// Advance widths (font units) of code points below [`WIDTH_TABLE`], per font: text
    /// is measured for every cell, and the font's cmap lookup is the cost.
    widths: [Vec<u16>; 2],
}

/// Code points whose widths are tabulated (Latin, Greek, Cyrillic, ...).
const WIDTH_TABLE: u32 = 0x800;

/// Advance width of code point `c` in font units (1000 when the font has no glyph).
fn glyph_units(f: &ParsedFont, c: u32) -> u16 {
    f.lookup_glyph_index(c)
        .and_then(|g| f.get_glyph_width(g))
        .unwrap_or(1000)
}

/// Control characters (terminal escapes) as visible `?`; nothing else changes.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

impl Layout {
    fn new() -> anyhow::Result<Self> {
        let mut warnings = Vec::new();
        let parse = |b: &[u8], w: &mut Vec<_>| {
            ParsedFont::from_bytes(b, 0, w).ok_or_else(|| anyhow::anyhow!("embedded font"))
        };
        let reg = parse(REGULAR, &mut warnings)?;
        let bold = parse(BOLD, &mut warnings)?;
        let units = [
            f32::from(reg.pdf_font_metrics.units_per_em.max(1)),
            f32::from(bold.pdf_font_metrics.units_per_em.max(1)),
        ];
        let table =
            |f: &ParsedFont| -> Vec<u16> { (0..WIDTH_TABLE).map(|c| glyph_units(f, c)).collect() };
        let widths = [table(&reg), table(&bold)];
        Ok(Layout {
            pages: Vec::new(),
            ops: Vec::new(),
            y: TOP,
            fonts: [(FontId("F1".into()), reg), (FontId("F2".into()), bold)],
            units,
            widths,
        })
    }

    /// Advance width of `c` in font units.
    #[inline]
    fn char_units(&self, c: char, bold: bool) -> u32 {
        let i = usize::from(bold);
        match self.widths[i].get(c as usize) {
            Some(&w) => u32::from(w),
            None => u32::from(glyph_units(&self.fonts[i].1, c as u32)),
        }
    }

    /// Font units as points at `size`.
    fn pt(&self, units: u32, size: f32, bold: bool) -> f32 {
        units as f32 / self.units[usize::from(bold)] * size
    }

    fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        self.pt(self.units_of(s, bold), size, bold)
    }

    fn units_of(&self, s: &str, bold: bool) -> u32 {
        s.chars().map(|c| self.char_units(c, bold)).sum()
    }

    /// `s` cut to fit `w` with an ellipsis.
    fn fit(&self, s: &str, w: f32, size: f32, bold: bool) -> String {
        let s = printable(s);
        // One pass: where the cut goes if it does not fit, stopping once it cannot fit.
        let ellipsis = self.width("…", size, bold);
        let (mut total, mut used, mut cut) = (0u32, ellipsis, None);
        for (i, c) in s.char_indices() {
            let units = self.char_units(c, bold);
            if cut.is_none() {
                let cw = self.pt(units, size, bold);
                if used + cw > w {
                    cut = Some(i);
                } else {
                    used += cw;
                }
            }
            total += units;
            if cut.is_some() && self.pt(total, size, bold) > w {
                break;
            }
        }
        match cut {
            Some(i) if self.pt(total, size, bold) > w => format!("{}…", &s[..i]),
            _ => s,
        }
    }

    /// `s` cut to fit `w`, keeping its end.
    fn fit_tail(&self, s: &str, w: f32, size: f32) -> String {
        let s = printable(s);
        if self.width(&s, size, false) <= w {
            return s;
        }
        let mut kept = Vec::new();
        let mut used = self.width("…", size, false);
        for c in s.chars().rev() {
            let cw = self.pt(self.char_units(c, false), size, false);
            if used + cw > w {
                break;
            }
            used += cw;
            kept.push(c);
        }
        std::iter::once('…').chain(kept.into_iter().rev()).collect()
    }

    /// Places `cell` in a column starting at `x`.
    fn cell(&mut self, x: f32, col: &Col<'_>, cell: &str, bold: bool) {
        let t = match col.2 {
            Align::Tail if !bold => self.fit_tail(cell, col.1 - 4.0, SIZE),
            _ => self.fit(cell, col.1 - 4.0, SIZE, bold),
        };
        let tx = if col.2 == Align::Right {
            x + col.1 - 2.0 - self.width(&t, SIZE, bold)
        } else {
            x + 2.0
        };
        self.text(tx, self.y, SIZE, bold, &t);
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, s: &str) {
        if s.is_empty() {
            return;
        }
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(self.fonts[usize::from(bold)].0.clone()),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point { x: Pt(x), y: Pt(y) },
            },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, col: Color) {
        self.ops.push(Op::SetFillColor { col });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(y),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
        self.ops.push(Op::SetFillColor { col: rgb(0, 0, 0) });
    }

    fn hline(&mut self, y: f32, col: Color) {
        self.ops.push(Op::SetOutlineColor { col });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: Point {
                            x: Pt(LEFT),
                            y: Pt(y),
                        },
                        bezier: false,
                    },
                    LinePoint {
                        p: Point {
                            x: Pt(RIGHT),
                            y: Pt(y),
                        },
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = TOP;
    }

    /// Starts a new page unless `h` more points fit.
    fn ensure(&mut self, h: f32) -> bool {
        if self.y - h < BOTTOM {
            self.new_page();
            return true;
        }
        false
    }

    fn heading(&mut self, s: &str, size: f32) {
        self.ensure(size * 2.0 + 3.0 * ROW_H);
        self.y -= size * 1.6;
        let t = self.fit(s, RIGHT - LEFT, size, true);
        self.text(LEFT, self.y, size, true, &t);
        self.y -= size * 0.6;
    }

    /// Wrapped paragraph.
    fn para(&mut self, s: &str, size: f32) {
        let s = printable(s);
        let mut line = String::new();
        let mut line_units = 0u32;
        let space = self.char_units(' ', false);
        let max = RIGHT - LEFT;
        let mut lines = Vec::new();
        for word in s.split(' ') {
            let word_units = self.units_of(word, false);
            let cand_units = if line.is_empty() {
                word_units
            } else {
                line_units + space + word_units
            };
            if self.pt(cand_units, size, false) > max && !line.is_empty() {
                lines.push(std::mem::replace(&mut line, word.to_string()));
                line_units = word_units;
            } else {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_units = cand_units;
            }
        }
        lines.push(line);
        for l in lines {
            self.ensure(size * 1.5);
            self.y -= size * 1.45;
            let l = self.fit(&l, max, size, false);
            self.text(LEFT, self.y, size, false, &l);
        }
        self.y -= size * 0.5;
    }

    fn table_header(&mut self, cols: &[Col<'_>]) {
        self.y -= ROW_H;
        self.fill(
            LEFT,
            self.y - 3.5,
            RIGHT - LEFT,
            ROW_H,
            rgb(0xe9, 0xed, 0xf3),
        );
        let mut x = LEFT;
        for c in cols {
            self.cell(x, c, c.0, true);
            x += c.1;
        }
    }

    /// A table; the header repeats after every page break.
    fn table(&mut self, cols: &[Col<'_>], rows: &[Vec<String>]) {
        self.ensure(3.0 * ROW_H);
        self.table_header(cols);
        for (i, row) in rows.iter().enumerate() {
            if self.ensure(ROW_H) {
                self.table_header(cols);
            }
            self.y -= ROW_H;
            if i % 2 == 1 {
                self.fill(
                    LEFT,
                    self.y - 3.5,
                    RIGHT - LEFT,
                    ROW_H,
                    rgb(0xf5, 0xf7, 0xfa),
                );
            }
            let mut x = LEFT;
            for (c, cell) in cols.iter().zip(row) {
                self.cell(x, c, cell, false);
                x += c.1;
            }
        }
        self.y -= 8.0;
    }

    /// A per-day bar chart.
    fn chart(&mut self, title: &str, days: &[String], values: &[u64]) {
        let h = 60.0;
        self.ensure(h + 40.0);
        self.y -= 14.0;
        let t = self.fit(title, RIGHT - LEFT, 8.5, true);
        self.text(LEFT, self.y, 8.5, true, &t);
        let base = self.y - h - 6.0;
        let max = values.iter().copied().max().unwrap_or(0);
        let left = LEFT + 30.0;
        // Bars at most 24 pt wide, so a short period does not draw one slab.
        let slot = ((RIGHT - left) / values.len().max(1) as f32).min(30.0);
        self.text(LEFT, base + h - 6.0, 6.5, false, &max.to_string());
        self.text(LEFT, base, 6.5, false, "0");
        for (i, v) in values.iter().enumerate() {
            let bh = if max == 0 || *v == 0 {
                0.8
            } else {
                (*v as f32 / max as f32 * h).max(1.0)
            };
            let col = if *v == 0 {
                rgb(0xc9, 0xce, 0xd6)
            } else {
                rgb(0x1f, 0x5f, 0xa8)
            };
            self.fill(left + i as f32 * slot, base, (slot * 0.8).max(0.5), bh, col);
        }
        self.hline(base, rgb(0x9a, 0xa3, 0xaf));
        if let (Some(a), Some(b)) = (days.first(), days.last()) {
            self.text(left, base - 9.0, 6.5, false, a);
            if days.len() > 1 {
                let w = self.width(b, 6.5, false);
                let end = left + slot * days.len() as f32;
                self.text((end - w).max(left + 60.0), base - 9.0, 6.5, false, b);
            }
        }
        self.y = base - 16.0;
    }

    /// Closes the last page and adds the footer to every page.
    fn finish(mut self, footer: &str) -> (Vec<Vec<Op>>, [(FontId, ParsedFont); 2]) {
        self.pages.push(std::mem::take(&mut self.ops));
        let n = self.pages.len();
        let mut pages = std::mem::take(&mut self.pages);
        for (i, page) in pages.iter_mut().enumerate() {
            let label = format!("Page {} of {n}", i + 1);
            let w = self.width(&label, 7.0, false);
            let foot = self.fit(footer, RIGHT - LEFT - w - 20.0, 7.0, false);
            self.ops.clear();
            self.hline(BOTTOM - 12.0, rgb(0xd6, 0xda, 0xe1));
            self.text(LEFT, BOTTOM - 24.0, 7.0, false, &foot);
            self.text(RIGHT - w, BOTTOM - 24.0, 7.0, false, &label);
            page.append(&mut self.ops);
        }
        (pages, self.fonts)
    }
}

fn fact_rows(t: &FactTable) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .take(ROWS_SHOWN)
        .map(|r| {
            vec![
                short_time(&r.time),
                r.host.clone(),
                r.actor.clone(),
                r.action.clone(),
                r.target.clone(),
                r.result.clone(),
                r.detail.clone(),
                r.source.clone(),
            ]
        })
        .collect()
}

fn cover(l: &mut Layout, r: &Report) {
    l.y -= 20.0;
    let t = l.fit(&r.title, RIGHT - LEFT, 20.0, true);
    l.text(LEFT, l.y, 20.0, true, &t);
    l.y -= 10.0;
    if let Some(org) = &r.organization {
        l.para(org, 11.0);
    }
    l.para(&r.scope.period.description, 10.0);
    let rows = vec![
        vec![
            "Period (UTC)".to_string(),
            format!(
                "{} .. {}",
                r.scope.period.start.as_deref().unwrap_or("unbounded"),
                r.scope.period.end.as_deref().unwrap_or("unbounded")
            ),
        ],
        vec!["Time zone".into(), r.scope.period.tz.clone()],
        vec![
            format!("Hosts ({})", r.scope.hosts.len()),
            r.scope.hosts.join(", "),
        ],
        vec![
            "Policies".into(),
            if r.scope.policies.is_empty() {
                "none".into()
            } else {
                r.scope
                    .policies
                    .iter()
                    .map(|p| format!("{} sha256:{}", p.version, p.sha256))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ],
        vec![
            "Tool".into(),
            format!("{} {}", r.scope.tool.name, r.scope.tool.version),
        ],
        vec!["Generated".into(), r.scope.generated_at.clone()],
    ];
    let mut rows = rows;
    rows.extend(
        r.scope
            .options
            .iter()
            .map(|o| vec![o.name.clone(), o.value.clone()]),
    );
    l.table(&[Col("Scope", 130.0, L), Col("", 385.0, L)], &rows);
    l.para(&r.policy.statement, 9.0);
    l.heading("Key figures", 12.0);
    let rows: Vec<Vec<String>> = r
        .key_figures
        .iter()
        .map(|m| vec![m.id.clone(), m.value.to_string()])
        .collect();
    l.table(&[Col("metric", 200.0, L), Col("value", 80.0, R)], &rows);
}

fn completeness(l: &mut Layout, r: &Report) {
    l.new_page();
    l.heading("Completeness per host", 14.0);
    let i = &r.completeness.input;
    l.para(
        &format!(
            "Input: {} file(s), {} lines, {} records, {} events; {} line(s) were not audit records.",
            i.files, i.lines, i.records, i.events, i.rejected
        ),
        9.0,
    );
    let rows: Vec<Vec<String>> = r
        .completeness
        .hosts
        .iter()
        .map(|h| {
            vec![
                h.name.clone(),
                h.events.to_string(),
                h.coverage.clone(),
                short_time(&h.first),
                short_time(&h.last),
                h.silences.len().to_string(),
                h.serial_gaps.len().to_string(),
                h.lost_events.to_string(),
            ]
        })
        .collect();
    l.table(
        &[
            Col("host", 110.0, L),
            Col("events", 55.0, R),
            Col("coverage", 45.0, R),
            Col("first event", 95.0, L),
            Col("last event", 95.0, L),
            Col("silences", 40.0, R),
            Col("gaps", 35.0, R),
            Col("lost", 40.0, R),
        ],
        &rows,
    );
    for h in &r.completeness.hosts {
        l.chart(&format!("{}: events per day", h.name), &r.days, &h.per_day);
    }
}

/// The HTML report's severity colours.
fn severity_colour(severity: &str) -> Color {
    match severity {
        "critical" => rgb(0x8e, 0x1b, 0x1b),
        "high" => rgb(0xc0, 0x39, 0x2b),
        "medium" => rgb(0xd6, 0x89, 0x10),
        "low" => rgb(0x2e, 0x86, 0xc1),
        _ => rgb(0x5b, 0x64, 0x74),
    }
}

fn controls(l: &mut Layout, r: &Report) {
    l.heading("Controls", 14.0);
    if !r.policy.evaluated {
        l.para(&r.policy.statement, 9.0);
    } else {
        let rows: Vec<Vec<String>> = r
            .controls
            .iter()
            .map(|c| {
                vec![
                    c.framework.clone(),
                    c.id.clone(),
                    c.title.clone(),
                    c.status.clone(),
                    c.findings.join(" "),
                    c.note.clone(),
                ]
            })
            .collect();
        l.table(
            &[
                Col("framework", 70.0, L),
                Col("control", 50.0, L),
                Col("title", 150.0, L),
                Col("status", 65.0, L),
                Col("findings", 70.0, L),
                Col("note", 110.0, L),
            ],
            &rows,
        );
    }
    l.heading("Findings register", 14.0);
    if !r.policy.evaluated {
        l.para(&r.policy.statement, 9.0);
        return;
    }
    if r.findings.is_empty() {
        l.para("No findings were raised.", 9.0);
    }
    for f in &r.findings {
        // Break first, so the colour lands on the page that shows the heading.
        l.ensure(10.0 * 2.0 + 3.0 * ROW_H);
        l.ops.push(Op::SetFillColor {
            col: severity_colour(&f.severity),
        });
        l.heading(&format!("[{}] {} {}", f.severity, f.id, f.title), 10.0);
        l.ops.push(Op::SetFillColor { col: rgb(0, 0, 0) });
        l.para(
            &format!(
                "rule {} · host {} · {} · actor {} · target {} · {}",
                f.rule, f.host, f.time, f.actor, f.target, f.summary
            ),
            8.0,
        );
        let rows: Vec<Vec<String>> = f
            .evidence
            .iter()
            .map(|e| vec![short_time(&e.time), e.source.clone(), e.raw_line.clone()])
            .collect();
        if !rows.is_empty() {
            l.table(
                &[
                    Col("time", 95.0, L),
                    Col("source", 120.0, T),
                    Col("raw line", 300.0, L),
                ],
                &rows,
            );
        }
    }
}

fn sections(l: &mut Layout, r: &Report) {
    let cols = [
        Col("time", 86.0, L),
        Col("host", 48.0, L),
        Col("actor", 44.0, L),
        Col("action", 48.0, L),
        Col("target", 56.0, L),
        Col("result", 32.0, L),
        Col("detail", 96.0, L),
        Col("source", 105.0, T),
    ];
    for s in &r.sections {
        let empty = s.tables.iter().all(|t| t.total == 0) && s.counts.iter().all(|c| c.value == 0);
        if empty {
            // A category without events takes three lines, not a page.
            l.heading(&s.title, 14.0);
            l.para("No events of this category in the period.", 9.0);
            continue;
        }
        l.new_page();
        l.heading(&s.title, 14.0);
        let rows: Vec<Vec<String>> = s
            .counts
            .iter()
            .map(|c| vec![c.label.clone(), c.value.to_string()])
            .collect();
        l.table(&[Col("count", 200.0, L), Col("", 80.0, R)], &rows);
        for x in &s.series {
            let mut title = x.label.clone();
            if let Some(c) = title.get(..1) {
                title = c.to_uppercase() + &title[1..];
            }
            l.chart(&title, &r.days, &x.values);
        }
        for t in &s.top {
            if t.rows.is_empty() {
                continue;
            }
            l.heading(&t.title, 10.0);
            let rows: Vec<Vec<String>> = t
                .rows
                .iter()
                .map(|x| vec![x.key.clone(), x.success.to_string(), x.failed.to_string()])
                .collect();
            l.table(
                &[
                    Col(&t.key, 300.0, L),
                    Col(&t.success_label, 70.0, R),
                    Col(&t.failed_label, 70.0, R),
                ],
                &rows,
            );
        }
        for t in s.tables.iter().filter(|t| t.total > 0) {
            l.heading(&format!("{}: {}", t.title, t.total), 10.0);
            l.table(&cols, &fact_rows(t));
            let more = t.rows.len().saturating_sub(ROWS_SHOWN) as u64 + t.omitted;
            if more > 0 {
                l.para(&format!("{more} more row(s) in {}.", s.csv), 8.0);
            }
        }
    }
}

fn integrity_and_signoff(l: &mut Layout, r: &Report) {
    l.new_page();
    l.heading("Integrity", 14.0);
    l.para(
        "SHA-256 of every input file as read. auditd does not sign its logs: these hashes \
         identify the copies examined. The package's own files are hashed in manifest.json \
         and SHA256SUMS.",
        9.0,
    );
    let rows: Vec<Vec<String>> = r
        .integrity
        .iter()
        .map(|f| {
            vec![
                f.path.clone(),
                f.bytes.to_string(),
                f.records.to_string(),
                f.sha256.clone(),
            ]
        })
        .collect();
    l.table(
        &[
            Col("file", 150.0, T),
            Col("bytes", 60.0, R),
            Col("records", 50.0, R),
            Col("sha256", 255.0, L),
        ],
        &rows,
    );
    l.heading("Review and sign-off", 14.0);
    l.para(
        &format!(
            "I have reviewed this report, the completeness of the evidence per host and every \
             exception listed, for the period {}.",
            r.scope.period.description
        ),
        9.0,
    );
    for (role, name) in [
        ("Reviewer", &r.signoff.reviewer),
        ("Approver", &r.signoff.approver),
    ] {
        l.ensure(60.0);
        l.y -= 36.0;
        if let Some(n) = name {
            let t = l.fit(n, 230.0, 10.0, false);
            l.text(LEFT, l.y + 4.0, 10.0, false, &t);
        }
        l.ops.push(Op::SetOutlineColor {
            col: rgb(0x1d, 0x23, 0x30),
        });
        for (x0, x1) in [(LEFT, LEFT + 240.0), (LEFT + 280.0, RIGHT)] {
            l.ops.push(Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(x0),
                                y: Pt(l.y),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(x1),
                                y: Pt(l.y),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            });
        }
        l.y -= 11.0;
        l.text(LEFT, l.y, 8.0, false, &format!("{role} (name, role)"));
        l.text(LEFT + 280.0, l.y, 8.0, false, "Date");
    }
}

/// Parses `2026-11-02T00:00:00Z`-style text into the PDF date type (UTC seconds).
fn pdf_date(rfc3339: &str) -> printpdf::OffsetDateTime {
    let secs = chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.timestamp())
        .unwrap_or(0);
    printpdf::OffsetDateTime::from_unix_timestamp(secs)
        .unwrap_or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0).expect("epoch"))
}

/// Replaces the random trailer `/ID` strings with ones derived from the rest of the file.
fn fix_trailer_id(mut pdf: Vec<u8>) -> Vec<u8> {
    let Some(at) = memchr::memmem::rfind(&pdf, b"/ID") else {
        return pdf;
    };
    let digest = Sha256::digest(&pdf[..at]);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut i = at;
    let mut k = 0;
    // Overwrite the characters inside the next two literal strings (same length, so the
    // cross-reference offsets stay valid).
    while i < pdf.len() && k < 2 {
        if pdf[i] == b'(' {
            let mut j = i + 1;
            let mut n = 0;
            while j < pdf.len() && pdf[j] != b')' {
                pdf[j] = hex.as_bytes()[(n + 32 * k) % hex.len()];
                j += 1;
                n += 1;
            }
            k += 1;
            i = j;
        }
        i += 1;
    }
    pdf
}

/// Renders the report as PDF bytes.
pub fn render(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut l = Layout::new()?;
    cover(&mut l, report);
    completeness(&mut l, report);
    controls(&mut l, report);
    sections(&mut l, report);
    integrity_and_signoff(&mut l, report);
    let footer = format!(
        "{} · {} · generated {}",
        report.title, report.scope.period.spec, report.scope.generated_at
    );
    let (pages, fonts) = l.finish(&footer);

    let mut doc = PdfDocument::new(&printable(&report.title));
    for (id, font) in fonts {
        doc.resources.fonts.map.insert(id, PdfFont::new(font));
    }
    let date = pdf_date(&report.scope.generated_at);
    let info = &mut doc.metadata.info;
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    info.creator = format!("{} {}", report.scope.tool.name, report.scope.tool.version);
    info.producer = info.creator.clone();
    info.subject = printable(&format!(
        "Audit log evidence, {}",
        report.scope.period.description
    ));
    info.author = report
        .organization
        .clone()
        .map(|o| printable(&o))
        .unwrap_or_default();
    let pages = pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops))
        .collect();
    doc.with_pages(pages);
    let mut warnings = Vec::new();
    let bytes = doc.save(&PdfSaveOptions::default(), &mut warnings);
    Ok(fix_trailer_id(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(printable("\u{1b}[31mred"), "?[31mred");
    }

    #[test]
    fn long_cells_are_cut_to_the_column() {
        let l = Layout::new().unwrap();
        let long = "A".repeat(10_000);
        let cut = l.fit(&long, 50.0, SIZE, false);
        assert!(l.width(&cut, SIZE, false) <= 50.0);
        assert!(cut.ends_with('…'));
        let tail = l.fit_tail("samples/scenarios/ssh-brute-force.log:9", 60.0, SIZE);
        assert!(tail.starts_with('…') && tail.ends_with(".log:9"), "{tail}");
    }

    #[test]
    fn short_time_drops_millis_and_zone() {
        assert_eq!(
            short_time("2026-10-12T03:14:05.222Z"),
            "2026-10-12 03:14:05"
        );
        assert_eq!(short_time("-"), "-");
    }
}
