//! The PDF layout layer shared by `report.pdf` and the `compare`/`trend` PDFs: a cursor on
//! A4 pages, page breaks, tables whose header repeats after every break and whose cells wrap
//! (a table of items is declared once, each column with its cell: [`Field`],
//! [`Layout::table_of`]), per-day bar charts from rectangles, "Page X of N" footers. The
//! pages are saved by [`super::save`].
//!
//! DejaVu Sans (regular and bold) is embedded whole, not subset (printpdf subsets fonts only
//! with its `text_layout` feature), so any user name renders; control characters are shown
//! as `\x1b`, never sent to the viewer.

use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, ParsedFont, PdfFontHandle, Point, Pt, Rect, Rgb,
    TextItem,
};

pub(crate) const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub(crate) const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;
pub(crate) const LEFT: f32 = 40.0;
pub(crate) const RIGHT: f32 = PAGE_W - 40.0;
pub(crate) const TOP: f32 = PAGE_H - 45.0;
pub(crate) const BOTTOM: f32 = 50.0;
pub(crate) const ROW_H: f32 = 13.0;
pub(crate) const SIZE: f32 = 7.5;
/// Height of each further line of a wrapped table row.
pub(crate) const LINE_H: f32 = 9.5;
/// Text size of a detail line (a row of one cell) and of a one-column table.
pub(crate) const SPAN_SIZE: f32 = 6.8;
/// Height of each line of a detail row.
pub(crate) const SPAN_LINE_H: f32 = 8.3;
/// Indent of a detail line under a table row (a row of one cell).
pub(crate) const SPAN_INDENT: f32 = 16.0;
/// Ends each piece of a word broken across lines.
pub(crate) const CONTINUED: &str = "↩";

pub(crate) fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color::Rgb(Rgb::new(
        f32::from(r) / 255.0,
        f32::from(g) / 255.0,
        f32::from(b) / 255.0,
        None,
    ))
}

/// A table column: heading, width in pt, alignment.
pub(crate) struct Col<'a>(pub &'a str, pub f32, pub Align);

/// A table column and the cell it shows of each item: heading, width in pt, alignment,
/// cell ([`Layout::table_of`]).
pub(crate) struct Field<'a, T>(
    pub &'a str,
    pub f32,
    pub Align,
    pub &'a dyn Fn(&T) -> String,
);

/// How a column places and cuts its text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Left-aligned.
    Left,
    /// Right-aligned (numbers).
    Right,
}

/// `2026-10-12T03:14:05.222Z` as `2026-10-12 03:14:05` (the report states UTC).
pub(crate) fn short_time(s: &str) -> String {
    let s = s.split('.').next().unwrap_or(s).trim_end_matches('Z');
    s.replacen('T', " ", 1)
}

/// Height of a bar chart's plot area.
pub(crate) const CHART_H: f32 = 60.0;

/// Height of the plot area of the charts two to a row.
pub(crate) const GRID_CHART_H: f32 = 30.0;

/// One run of bars in a chart: a period's days and values, in one colour.
pub(crate) struct Part<'a> {
    /// Day (or period) labels, one per value; the first and last are printed.
    pub days: &'a [String],
    /// The values.
    pub values: &'a [u64],
    /// Colour of the non-zero bars.
    pub colour: Color,
}

pub(crate) struct Layout {
    pub(crate) pages: Vec<Vec<Op>>,
    pub(crate) ops: Vec<Op>,
    pub(crate) y: f32,
    pub(crate) fonts: [(FontId, ParsedFont); 2],
    pub(crate) units: [f32; 2],
    /// Advance widths (font units) of code points below [`WIDTH_TABLE`], per font: text
    /// is measured for every cell, and the font's cmap lookup is the cost.
    widths: [Vec<u16>; 2],
    /// Internal links ([`super::links`]).
    pub(crate) links: super::links::Links,
}

/// Code points whose widths are tabulated (Latin, Greek, Cyrillic, ...).
const WIDTH_TABLE: u32 = 0x800;

/// Advance width of code point `c` in font units (1000 when the font has no glyph).
fn glyph_units(f: &ParsedFont, c: u32) -> u16 {
    f.lookup_glyph_index(c)
        .and_then(|g| f.get_glyph_width(g))
        .unwrap_or(1000)
}

/// Control, bidi and zero-width characters as visible `\x1b` / `\u202e` text
/// ([`crate::render::inert`]): a font has no glyph for them, so they would be tofu or
/// nothing, and a viewer could apply a bidi override; nothing else changes.
pub(crate) fn printable(s: &str) -> String {
    crate::render::inert::escape(s).into_owned()
}

impl Layout {
    pub(crate) fn new() -> anyhow::Result<Self> {
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
            links: Default::default(),
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

    fn units_of(&self, s: &str, bold: bool) -> u32 {
        s.chars().map(|c| self.char_units(c, bold)).sum()
    }

    pub(crate) fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        self.pt(self.units_of(s, bold), size, bold)
    }

    /// `s` cut to fit `w` with an ellipsis.
    pub(crate) fn fit(&self, s: &str, w: f32, size: f32, bold: bool) -> String {
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

    /// `s` as lines at most `w` points wide: broken at spaces; a word wider than `w` is
    /// broken at any character, each piece but the last ending in [`CONTINUED`]. Nothing
    /// is cut: every character of `s` (control characters shown, [`printable`]) is on
    /// some line.
    pub(crate) fn wrap(&self, s: &str, w: f32, size: f32, bold: bool) -> Vec<String> {
        let s = printable(s);
        let max = (w.max(size) / size * self.units[usize::from(bold)]) as u32;
        let space = self.char_units(' ', bold);
        let mark = self.units_of(CONTINUED, bold);
        let mut lines = Vec::new();
        let (mut line, mut used) = (String::new(), 0u32);
        for word in s.split(' ') {
            let units = self.units_of(word, bold);
            let with = if line.is_empty() {
                units
            } else {
                used + space + units
            };
            if with <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                used = with;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            used = 0;
            if units <= max {
                line.push_str(word);
                used = units;
                continue;
            }
            // Pieces end after a `/` or `,` (paths, lists) where one fits, else at any
            // character.
            for piece in word.split_inclusive(['/', ',']) {
                let pu = self.units_of(piece, bold);
                if used + pu + mark > max && !line.is_empty() && pu + mark <= max {
                    line.push_str(CONTINUED);
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                for c in piece.chars() {
                    let cu = self.char_units(c, bold);
                    if used + cu + mark > max && !line.is_empty() {
                        line.push_str(CONTINUED);
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used += cu;
                }
            }
        }
        lines.push(line);
        lines
    }

    /// The lines of `cell` in `col` (its width less the padding).
    fn cell_lines(&self, col: &Col<'_>, cell: &str, bold: bool) -> Vec<String> {
        self.wrap(cell, col.1 - 4.0, SIZE, bold)
    }

    /// Places one line of a cell in a column starting at `x`.
    fn cell_line(&mut self, x: f32, col: &Col<'_>, t: &str, bold: bool) {
        let tx = if col.2 == Align::Right {
            x + col.1 - 2.0 - self.width(t, SIZE, bold)
        } else {
            x + 2.0
        };
        self.text(tx, self.y, SIZE, bold, t);
    }

    /// Draws `s` at (x, y). Every string drawn passes here, so none reaches the page with
    /// a hidden character ([`printable`]; already-fitted text is unchanged by it).
    pub(crate) fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, s: &str) {
        if s.is_empty() {
            return;
        }
        let s = crate::render::inert::escape(s);
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

    pub(crate) fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, col: Color) {
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

    pub(crate) fn hline(&mut self, y: f32, col: Color) {
        self.hline_from(LEFT, RIGHT, y, col);
    }

    /// A thin horizontal line from `x0` to `x1`.
    pub(crate) fn hline_from(&mut self, x0: f32, x1: f32, y: f32, col: Color) {
        self.ops.push(Op::SetOutlineColor { col });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        let at = |x: f32| LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier: false,
        };
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![at(x0), at(x1)],
                is_closed: false,
            },
        });
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = TOP;
    }

    /// Starts a new page unless `h` more points fit.
    pub(crate) fn ensure(&mut self, h: f32) -> bool {
        if self.y - h < BOTTOM {
            self.new_page();
            return true;
        }
        false
    }

    /// A bold heading, wrapped; kept with at least three table rows below it.
    pub(crate) fn heading(&mut self, s: &str, size: f32) {
        let lines = self.wrap(s, RIGHT - LEFT, size, true);
        self.ensure(size * (1.0 + lines.len() as f32) + 3.0 * ROW_H);
        for (i, t) in lines.iter().enumerate() {
            self.y -= if i == 0 { size * 1.4 } else { size * 1.25 };
            self.text(LEFT, self.y, size, true, t);
        }
        self.y -= size * 0.6;
    }

    /// A document title: bold, wrapped, from the top of the page.
    pub(crate) fn title(&mut self, s: &str, size: f32) {
        self.y -= 20.0 - size;
        for t in self.wrap(s, RIGHT - LEFT, size, true) {
            self.y -= size;
            self.text(LEFT, self.y, size, true, &t);
            self.y -= size * 0.25;
        }
    }

    /// Wrapped paragraph.
    pub(crate) fn para(&mut self, s: &str, size: f32) {
        self.para_at(LEFT, s, size, false);
    }

    /// Wrapped paragraph from `x` to the right margin.
    pub(crate) fn para_at(&mut self, x: f32, s: &str, size: f32, bold: bool) {
        for l in self.wrap(s, RIGHT - x, size, bold) {
            self.ensure(size * 1.5);
            self.y -= size * 1.45;
            self.text(x, self.y, size, bold, &l);
        }
        self.y -= size * 0.5;
    }

    /// The header row: every heading wrapped to its column, on a shaded band.
    pub(crate) fn table_header(&mut self, cols: &[Col<'_>]) {
        // A table whose columns have no headings has no header row.
        if cols.iter().all(|c| c.0.is_empty()) {
            return;
        }
        let lines: Vec<Vec<String>> = cols.iter().map(|c| self.cell_lines(c, c.0, true)).collect();
        let n = lines.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..n {
            self.y -= if k == 0 { ROW_H } else { LINE_H };
            let h = if k == 0 { ROW_H } else { LINE_H };
            self.fill(LEFT, self.y - 3.5, RIGHT - LEFT, h, rgb(0xe9, 0xed, 0xf3));
            let mut x = LEFT;
            for (c, l) in cols.iter().zip(&lines) {
                if let Some(t) = l.get(k) {
                    self.cell_line(x, c, t, true);
                }
                x += c.1;
            }
        }
    }

    /// A table; the header repeats after every page break.
    pub(crate) fn table(&mut self, cols: &[Col<'_>], rows: &[Vec<String>]) {
        self.table_marked(cols, rows, &[]);
    }

    /// A table of `items`, one row each, its columns and cells from `fields`.
    pub(crate) fn table_of<'t, T: 't>(
        &mut self,
        fields: &[Field<'_, T>],
        items: impl IntoIterator<Item = &'t T>,
    ) {
        self.table_of_marked(fields, items, |_| false);
    }

    /// [`Layout::table_of`] with the rows of the items `mark` picks highlighted
    /// ([`Layout::table_marked`]).
    pub(crate) fn table_of_marked<'t, T: 't>(
        &mut self,
        fields: &[Field<'_, T>],
        items: impl IntoIterator<Item = &'t T>,
        mark: impl Fn(&T) -> bool,
    ) {
        let cols: Vec<Col<'_>> = fields.iter().map(|f| Col(f.0, f.1, f.2)).collect();
        let mut marked = Vec::new();
        let rows: Vec<Vec<String>> = items
            .into_iter()
            .map(|x| {
                marked.push(mark(x));
                fields.iter().map(|f| (f.3)(x)).collect()
            })
            .collect();
        self.table_marked(&cols, &rows, &marked);
    }

    /// A table whose rows with `marked[i]` are highlighted (light red, a red bar on the
    /// left). Cells wrap ([`Layout::wrap`]), nothing is cut; a row taller than what is
    /// left of the page continues on the next, and the header repeats after every break.
    pub(crate) fn table_marked(&mut self, cols: &[Col<'_>], rows: &[Vec<String>], marked: &[bool]) {
        self.ensure(3.0 * ROW_H);
        self.table_header(cols);
        let mut stripe = 0usize;
        for (i, row) in rows.iter().enumerate() {
            // A row of one cell in a table of several columns is a detail line under the
            // row before it: across the whole width, indented, same shading.
            // A one-column table's rows (raw lines, coverage) are set the same way.
            let span = row.len() == 1;
            let indent = if cols.len() > 1 { SPAN_INDENT } else { 0.0 };
            let span_col = Col("", RIGHT - LEFT - indent, Align::Left);
            let lines: Vec<Vec<String>> = if span {
                vec![self.wrap(&row[0], span_col.1 - 4.0, SPAN_SIZE, false)]
            } else {
                stripe += 1;
                cols.iter()
                    .zip(row)
                    .map(|(c, cell)| self.cell_lines(c, cell, false))
                    .collect()
            };
            let n = lines.iter().map(Vec::len).max().unwrap_or(1);
            // A row of a few lines is kept whole; a longer one may split.
            let (first_h, line_h) = if span {
                (SPAN_LINE_H + 1.5, SPAN_LINE_H)
            } else {
                (ROW_H, LINE_H)
            };
            let whole = first_h + line_h * (n.min(4) as f32 - 1.0);
            if self.ensure(whole) {
                self.table_header(cols);
            }
            for k in 0..n {
                let h = if k == 0 { first_h } else { line_h };
                if k > 0 && self.ensure(h) {
                    self.table_header(cols);
                }
                self.y -= h;
                let y = self.y - 3.5;
                if marked.get(i) == Some(&true) {
                    self.fill(LEFT, y, RIGHT - LEFT, h, rgb(0xfd, 0xec, 0xea));
                    self.fill(LEFT, y, 2.5, h, rgb(0xc0, 0x39, 0x2b));
                } else if stripe.is_multiple_of(2) {
                    self.fill(LEFT, y, RIGHT - LEFT, h, rgb(0xf5, 0xf7, 0xfa));
                }
                if span {
                    if let Some(t) = lines[0].get(k) {
                        self.text(LEFT + indent + 2.0, self.y, SPAN_SIZE, false, t);
                    }
                    continue;
                }
                let mut x = LEFT;
                for (j, (c, l)) in cols.iter().zip(&lines).enumerate() {
                    if let Some(t) = l.get(k) {
                        self.cell_line(x, c, t, false);
                        self.link_words(j, x + 2.0, t);
                    }
                    x += c.1;
                }
            }
        }
        self.y -= 5.0;
    }

    /// Per-day bar charts `per_row` to a row.
    pub(crate) fn chart_grid(
        &mut self,
        days: &[String],
        charts: &[(String, &[u64])],
        per_row: usize,
    ) {
        let gap = 20.0;
        let n = per_row.max(1);
        let w = (RIGHT - LEFT - gap * (n as f32 - 1.0)) / n as f32;
        for pair in charts.chunks(n) {
            self.ensure(GRID_CHART_H + 40.0);
            self.y -= 14.0;
            let top = self.y;
            let mut below = top;
            for (i, (title, values)) in pair.iter().enumerate() {
                let part = Part {
                    days,
                    values,
                    colour: rgb(0x1f, 0x5f, 0xa8),
                };
                let x = LEFT + i as f32 * (w + gap);
                below = below.min(self.bars_h(x, w, top, title, &[part], GRID_CHART_H));
            }
            self.y = below;
        }
    }

    /// One bar chart across the text width with `parts` side by side (two periods), one
    /// empty slot between parts, all on one scale.
    pub(crate) fn charts(&mut self, title: &str, parts: &[Part<'_>]) {
        self.ensure(CHART_H + 40.0);
        self.y -= 14.0;
        self.y = self.bars(LEFT, RIGHT - LEFT, self.y, title, parts);
    }

    /// Draws a bar chart in the box from `x0`, `w` wide, its title on the line `top`
    /// (no page break: the caller made room); returns the y below its labels.
    pub(crate) fn bars(
        &mut self,
        x0: f32,
        w: f32,
        top: f32,
        title: &str,
        parts: &[Part<'_>],
    ) -> f32 {
        self.bars_h(x0, w, top, title, parts, CHART_H)
    }

    /// [`Layout::bars`] with a plot area `h` high.
    pub(crate) fn bars_h(
        &mut self,
        x0: f32,
        w: f32,
        top: f32,
        title: &str,
        parts: &[Part<'_>],
        h: f32,
    ) -> f32 {
        // The title wraps (nothing is cut); the plot moves down by its extra lines.
        let lines = self.wrap(title, w, 8.5, true);
        for (i, t) in lines.iter().enumerate() {
            self.text(x0, top - i as f32 * 10.0, 8.5, true, t);
        }
        let base = top - (lines.len() as f32 - 1.0) * 10.0 - h - 6.0;
        let max = parts
            .iter()
            .flat_map(|p| p.values.iter().copied())
            .max()
            .unwrap_or(0);
        let left = x0 + 30.0;
        let n: usize = parts.iter().map(|p| p.values.len()).sum::<usize>() + parts.len().max(1) - 1;
        // Bars at most 24 pt wide, so a short period does not draw one slab.
        let slot = ((x0 + w - left) / n.max(1) as f32).min(30.0);
        self.text(x0, base + h - 6.0, 6.5, false, &max.to_string());
        self.text(x0, base, 6.5, false, "0");
        let mut i = 0;
        let mut spans = Vec::new();
        for p in parts {
            let start = left + i as f32 * slot;
            for v in p.values {
                let bh = if max == 0 || *v == 0 {
                    0.8
                } else {
                    (*v as f32 / max as f32 * h).max(1.0)
                };
                let col = if *v == 0 {
                    rgb(0xc9, 0xce, 0xd6)
                } else {
                    p.colour.clone()
                };
                self.fill(left + i as f32 * slot, base, (slot * 0.8).max(0.5), bh, col);
                i += 1;
            }
            spans.push((start, p.days));
            i += 1;
        }
        self.hline_from(x0, x0 + w, base, rgb(0x9a, 0xa3, 0xaf));
        for (start, days) in spans {
            if let (Some(a), Some(b)) = (days.first(), days.last()) {
                self.text(start, base - 9.0, 6.5, false, a);
                if days.len() > 1 {
                    let w = self.width(b, 6.5, false);
                    let end = start + slot * days.len() as f32;
                    self.text((end - w).max(start + 60.0), base - 9.0, 6.5, false, b);
                }
            }
        }
        base - 16.0
    }

    /// Closes the last page and adds the footer to every page.
    pub(crate) fn finish(mut self, footer: &str) -> (Vec<Vec<Op>>, [(FontId, ParsedFont); 2]) {
        self.pages.push(std::mem::take(&mut self.ops));
        let n = self.pages.len();
        let mut pages = std::mem::take(&mut self.pages);
        self.links.resolve(&mut pages);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(printable("\u{1b}[31mred"), "\\x1b[31mred");
        assert_eq!(printable("a\u{202e}b\u{feff}"), "a\\u202eb\\ufeff");
    }

    #[test]
    fn long_cells_wrap_and_keep_every_character() {
        let l = Layout::new().unwrap();
        let long = "A".repeat(1_000);
        let lines = l.wrap(&long, 50.0, SIZE, false);
        assert!(lines.len() > 10);
        for t in &lines {
            assert!(l.width(t, SIZE, false) <= 50.0, "{t}");
        }
        let joined: String = lines.concat().replace(CONTINUED, "");
        assert_eq!(joined, long);
        // Words stay whole when they fit: a path and a raw line's last field.
        let raw = "node=db-01 type=USER_LOGIN msg=audit(1.2:3): acct=\"alice\" res=success'";
        let lines = l.wrap(raw, 120.0, SIZE, false);
        assert!(lines.len() > 1);
        assert!(
            lines.iter().any(|t| t.ends_with("res=success'")),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), raw);
        // A path too long for its column breaks after a `/`.
        let path = "samples/scenarios/account-lifecycle.log";
        let lines = l.wrap(path, 110.0, SIZE, false);
        assert_eq!(
            lines[0],
            format!("samples/scenarios/{CONTINUED}"),
            "{lines:?}"
        );
        assert_eq!(lines.concat().replace(CONTINUED, ""), path);
    }

    #[test]
    fn the_continuation_mark_has_a_glyph() {
        let l = Layout::new().unwrap();
        for c in CONTINUED.chars() {
            assert!(l.fonts[0].1.lookup_glyph_index(c as u32).is_some());
        }
    }
}
