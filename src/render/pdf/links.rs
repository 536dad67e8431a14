//! Internal links of a PDF: the control table's register entry ids (`R3`) jump to their
//! entry. Targets are laid out after the table that cites them, so cited words and
//! targets are collected while laying out and joined when the pages are finished
//! (`Op::LinkAnnotation` with a `GoTo` to the target's page and height).

use super::layout::{Layout, SIZE};
use printpdf::{Actions, ColorArray, Destination, HighlightingMode, LinkAnnotation, Op, Pt, Rect};
use std::collections::BTreeMap;

/// The links of one document.
#[derive(Default)]
pub(crate) struct Links {
    /// The column of the table being laid out whose words are link sources.
    pub(crate) col: Option<usize>,
    /// Targets by name: page index and height of their top.
    anchors: BTreeMap<String, (usize, f32)>,
    /// Sources: page index, rectangle (x, y, w, h) and the target's name.
    sources: Vec<(usize, [f32; 4], String)>,
}

impl Links {
    /// Joins sources to targets: one annotation on each source's page; a source whose
    /// target was never laid out (an entry past the register's limit) stays plain text.
    pub(crate) fn resolve(&self, pages: &mut [Vec<Op>]) {
        for (page, [x, y, w, h], name) in &self.sources {
            let (Some(&(to, top)), Some(ops)) = (self.anchors.get(name), pages.get_mut(*page))
            else {
                continue;
            };
            let link = LinkAnnotation::new(
                Rect::from_xywh(Pt(*x), Pt(*y), Pt(*w), Pt(*h)),
                Actions::go_to(Destination::Xyz {
                    page: to + 1,
                    left: None,
                    top: Some(top),
                    zoom: None,
                }),
                Some(printpdf::BorderArray::Solid([0.0, 0.0, 0.0])),
                Some(ColorArray::Transparent),
                Some(HighlightingMode::Invert),
            );
            ops.push(Op::LinkAnnotation { link });
        }
    }
}

impl Layout {
    /// Marks the current position as the target `name`.
    pub(crate) fn anchor(&mut self, name: &str) {
        let page = self.pages.len();
        self.links.anchors.insert(name.to_string(), (page, self.y));
    }

    /// Records the words of `text`, drawn at (`x`, the current line) in column `col`, as
    /// link sources when `col` is the linked column.
    pub(crate) fn link_words(&mut self, col: usize, x: f32, text: &str) {
        if self.links.col != Some(col) {
            return;
        }
        let page = self.pages.len();
        let mut at = x;
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                at += self.width(" ", SIZE, false);
            }
            let w = self.width(word, SIZE, false);
            if !word.is_empty() {
                let rect = [at, self.y - 2.5, w, SIZE + 3.0];
                self.links.sources.push((page, rect, word.to_string()));
            }
            at += w;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::layout::{Align, Col};
    use super::*;

    #[test]
    fn cited_ids_link_to_their_targets_on_later_pages() {
        let mut l = Layout::new().unwrap();
        l.links.col = Some(1);
        let rows = vec![vec!["10.2.1".to_string(), "R1 R2 R9".to_string()]];
        l.table(
            &[
                Col("id", 100.0, Align::Left),
                Col("entries", 200.0, Align::Left),
            ],
            &rows,
        );
        l.links.col = None;
        l.table(
            &[
                Col("id", 100.0, Align::Left),
                Col("entries", 200.0, Align::Left),
            ],
            &rows,
        );
        l.new_page();
        l.anchor("R2");
        l.new_page();
        l.anchor("R1");
        let (pages, _) = l.finish("footer");
        let links: Vec<&LinkAnnotation> = pages[0]
            .iter()
            .filter_map(|op| match op {
                Op::LinkAnnotation { link } => Some(link),
                _ => None,
            })
            .collect();
        // R9 has no target, the second table links nothing, the targets' pages none.
        assert_eq!(links.len(), 2);
        assert!(pages[1..]
            .iter()
            .flatten()
            .all(|op| !matches!(op, Op::LinkAnnotation { .. })));
        let page = |l: &LinkAnnotation| match &l.actions {
            Actions::Goto(Destination::Xyz { page, .. }) => *page,
            _ => 0,
        };
        assert_eq!((page(links[0]), page(links[1])), (3, 2));
        assert!(links[0].rect.x.0 < links[1].rect.x.0);
    }
}
