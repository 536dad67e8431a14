//! What `summary`'s terminal text shows of each category: a brief view of the section's
//! lists and counts, built by the section's own function in [`super::sections`], so the
//! choice of what an auditor sees per category is made in one place for every format. The
//! terminal shows sentences of counts and the first rows of a few lists; the report's
//! formats show the whole section. Not serialized: `report.json` is the whole section.

use super::columns::Columns;
use super::sections::Ctx;
use super::{FactRow, Section, TopRow};
use crate::aggregate::folded::ActorSet;
use crate::aggregate::watches::Watches;
use crate::aggregate::{Listed, OkFail, Summary};
use crate::classify::{Detail, Fact};
use crate::parse::InputQuality;
use crate::period::Period;
use std::collections::BTreeMap;

/// A category as the terminal shows it: its heading, then its parts in order.
#[derive(Clone, Debug)]
pub struct Brief {
    /// Heading.
    pub title: String,
    /// What follows the heading.
    pub parts: Vec<Part>,
}

/// One part of a [`Brief`].
#[derive(Clone, Debug)]
pub enum Part {
    /// A sentence of counts (`denials 13 (enforced 10, permissive 3), 4 signature(s)`).
    Note(String),
    /// A count under a heading of its own (`Events lost by the kernel (lost=)`).
    Count(String, u64),
    /// The first rows of a list of facts.
    Facts(Facts),
    /// The first rows of a table of keys and numbers (ranked lists, metrics).
    Table(Table),
}

/// The first rows of a list of facts, under `title: total`.
#[derive(Clone, Debug)]
pub struct Facts {
    /// Title.
    pub title: String,
    /// Facts counted (exact).
    pub total: u64,
    /// Failures among them, when the heading states them.
    pub failed: Option<u64>,
    /// Whether the column headings are shown: for a list that keeps facts, even when no
    /// row is (`--rows 0`); for the privileged commands, only over rows.
    pub headings: bool,
    /// Headings of the columns between time and host and `file:line`.
    pub columns: Vec<String>,
    /// The first rows (at most the terminal's rows per list).
    pub rows: Vec<FactRow>,
}

/// The first rows of a table of keys and numbers.
#[derive(Clone, Debug)]
pub struct Table {
    /// Title, on a line of its own above the table.
    pub title: Option<String>,
    /// Headings.
    pub columns: Vec<String>,
    /// The rows shown.
    pub rows: Vec<Vec<String>>,
    /// Said under the title when no row is shown (`none`); without it such a table is left
    /// out, title and all.
    pub empty: Option<&'static str>,
    /// Rows not shown and what they are (`key(s)`, or nothing), when the terminal says so.
    pub more: Option<(usize, &'static str)>,
}

/// Every category section with its brief view of `rows` rows per list, for `summary`'s
/// text: the sections the report holds, their tables without rows (the terminal shows only
/// the brief views).
pub fn sections<'s>(s: &'s Summary, q: &InputQuality, p: &Period, rows: usize) -> Vec<Section<'s>> {
    let paths: std::sync::Arc<[String]> = q
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let days = super::day_list(p, s);
    let ctx = Ctx {
        cite: super::rows::Citing {
            paths,
            with_host: false,
        },
        days: &days,
        rows: Some(rows),
    };
    super::sections::all(s, &ctx)
}

/// How the terminal shows a category's facts.
#[derive(Clone, Copy)]
pub(super) enum View {
    /// Who did what to which account, and the result: the first four of
    /// [`Columns::People`], under the terminal's headings.
    People,
    /// The columns the HTML and PDF tables show ([`super::Column::brief`]).
    Brief(Columns),
}

/// Headings of [`View::People`].
const PEOPLE: [&str; 4] = ["by (auid)", "operation", "account", "result"];

impl Ctx<'_> {
    /// The first facts of `l` under `title`, as `view` shows them.
    pub(super) fn facts(&self, title: &str, l: &Listed, view: View) -> Part {
        let columns: Vec<&str> = match view {
            View::People => PEOPLE.to_vec(),
            View::Brief(cols) => cols.spec().iter().filter(|c| c.1).map(|c| c.0).collect(),
        };
        let cells = |f: &Fact| match view {
            View::People => {
                let mut cells = Columns::People.cells(f);
                cells.truncate(PEOPLE.len());
                cells
            }
            View::Brief(cols) => {
                let all = cols.cells(f).into_iter().zip(cols.spec());
                all.filter(|(_, c)| c.1).map(|(v, _)| v).collect()
            }
        };
        Part::Facts(self.facts_with(title, l, None, &columns, &cells))
    }

    /// The first facts of `l` with the cells `cells` gives under `columns`.
    fn facts_with(
        &self,
        title: &str,
        l: &Listed,
        failed: Option<u64>,
        columns: &[&str],
        cells: &dyn Fn(&Fact) -> Vec<String>,
    ) -> Facts {
        Facts {
            title: title.to_string(),
            total: l.total(),
            failed,
            headings: !l.items().is_empty(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: l
                .items()
                .iter()
                .take(self.brief_rows())
                .map(|f| self.row_with(f, cells(f)))
                .collect(),
        }
    }

    /// Commands run with sudo: who, the command line itself and the result, under how many
    /// failed.
    pub(super) fn commands(&self, commands: &Listed, failed: u64) -> Part {
        let cells = |f: &Fact| {
            let command = match &f.detail {
                Detail::Command { command, .. } => command.as_deref().unwrap_or_default(),
                _ => "",
            };
            let people = Columns::People.cells(f);
            vec![people[0].clone(), command.to_string(), people[3].clone()]
        };
        let columns = ["by (auid)", "command", "result"];
        let title = "Commands run with sudo";
        let mut f = self.facts_with(title, commands, Some(failed), &columns, &cells);
        f.headings = !f.rows.is_empty();
        Part::Facts(f)
    }

    /// The first entries of an ok/fail map, most failures first (`none` when empty).
    pub(super) fn ok_fail(&self, title: &str, map: &BTreeMap<String, OkFail>) -> Part {
        let all = super::sections::ranked(map);
        let rows: Vec<Vec<String>> = all
            .iter()
            .take(self.brief_rows())
            .map(|r| vec![r.key.clone(), r.failed.to_string(), r.success.to_string()])
            .collect();
        Part::Table(Table {
            title: Some(title.to_string()),
            columns: ["", "failed", "success"].map(String::from).to_vec(),
            more: Some((all.len() - rows.len(), "")),
            rows,
            empty: Some("none"),
        })
    }

    /// The first denial signatures, most denials first, and how many are not shown.
    pub(super) fn signatures(&self, sigs: &[TopRow]) -> Part {
        let rows: Vec<Vec<String>> = sigs
            .iter()
            .take(self.brief_rows())
            .map(|r| vec![r.key.clone(), r.success.to_string(), r.failed.to_string()])
            .collect();
        Part::Table(Table {
            title: None,
            columns: ["signature", "denials", "permissive"]
                .map(String::from)
                .to_vec(),
            more: Some((sigs.len() - rows.len(), "signature(s)")),
            rows,
            empty: None,
        })
    }

    /// The keyed events: by key (the first, most events first) and by meaning (all).
    pub(super) fn keys(&self, w: &Watches) -> Vec<Part> {
        let mut keys: Vec<_> = w.by_key().items().iter().collect();
        keys.sort_by(|a, b| b.1.group.events.cmp(&a.1.group.events).then(a.0.cmp(b.0)));
        let rows: Vec<Vec<String>> = keys
            .iter()
            .take(self.brief_rows())
            .map(|(k, st)| {
                vec![
                    (*k).clone(),
                    st.meaning.clone().unwrap_or_else(|| "-".into()),
                    st.group.events.to_string(),
                    st.group.failed.to_string(),
                    actors(&st.group.actors),
                ]
            })
            .collect();
        let mut parts = vec![Part::Table(Table {
            title: None,
            columns: ["key", "meaning", "events", "failed", "actors"]
                .map(String::from)
                .to_vec(),
            more: Some((keys.len() - rows.len(), "key(s)")),
            rows,
            empty: None,
        })];
        if let Some(over) = w.by_key().overflow() {
            parts.push(Part::Note(format!(
                "limit reached: keys past the first {} by name counted together: {} events",
                over.limit, over.other.group.events
            )));
        }
        let rows = w
            .by_meaning()
            .iter()
            .map(|(m, g)| {
                vec![
                    m.clone(),
                    g.events.to_string(),
                    g.failed.to_string(),
                    actors(&g.actors),
                ]
            })
            .collect();
        parts.push(Part::Table(Table {
            title: Some("By meaning".into()),
            columns: ["meaning", "events", "failed", "actors"]
                .map(String::from)
                .to_vec(),
            rows,
            empty: None,
            more: None,
        }));
        parts
    }
}

/// A table of metric ids and their values.
pub(super) fn metrics(ids: &[&str], metric: &dyn Fn(&str) -> u64) -> Part {
    Part::Table(Table {
        title: None,
        columns: vec!["metric".into(), "events".into()],
        rows: ids
            .iter()
            .map(|id| vec![id.to_string(), metric(id).to_string()])
            .collect(),
        empty: None,
        more: None,
    })
}

/// A distinct-actor count, `N+` when the set was capped.
fn actors(a: &ActorSet) -> String {
    if a.capped() {
        format!("{}+", a.len())
    } else {
        a.len().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::Aggregator;
    use crate::classify::NameResolver;
    use crate::parse::{each_event, AssembleOptions, Event};

    fn sections_of(s: &Summary, rows: Option<usize>) -> Vec<Section<'_>> {
        let ctx = Ctx {
            cite: crate::report::rows::Citing {
                paths: vec!["login-policy.log".to_string()].into(),
                with_host: false,
            },
            days: &[],
            rows,
        };
        super::super::sections::all(s, &ctx)
    }

    fn facts<'a>(sections: &'a [Section], title: &str) -> &'a Facts {
        let parts = sections.iter().filter_map(|s| s.brief.as_ref());
        parts
            .flat_map(|b| &b.parts)
            .find_map(|p| match p {
                Part::Facts(f) if f.title == title => Some(f),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no list {title}"))
    }

    #[test]
    fn the_terminal_shows_the_first_rows_of_the_reports_lists() {
        let log = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/scenarios/login-policy.log"
        ))
        .unwrap();
        let mut agg = Aggregator::new(Period::unbounded(chrono_tz::UTC), NameResolver::empty());
        let mut sink = |ev: &Event| agg.add_event(ev);
        each_event(&log, AssembleOptions::default(), &mut sink);
        let s = agg.into_summary();
        let report = sections_of(&s, None);
        let terminal = sections_of(&s, Some(2));
        let table = report
            .iter()
            .flat_map(|s| &s.tables)
            .find(|t| t.id == "logins.failed")
            .unwrap();
        assert!(table.total > 2 && table.rows.len() as u64 == table.total);
        // The same list: its count, and its first rows with the report's first cells.
        let failed = facts(&terminal, "Failed logins");
        assert_eq!(failed.total, table.total);
        assert_eq!(failed.rows.len(), 2);
        for (brief, full) in failed.rows.iter().zip(table.rows.iter()) {
            assert_eq!(
                (&brief.time, &brief.host, &brief.source),
                (&full.time, &full.host, &full.source)
            );
            assert_eq!(brief.cells[..], full.cells[..4]);
        }
        // The terminal's sections keep only the rows it shows; the report's brief views none.
        assert!(terminal
            .iter()
            .flat_map(|s| &s.tables)
            .all(|t| t.rows.is_empty()));
        assert!(facts(&report, "Failed logins").rows.is_empty());
        // Every category has its brief view, credentials too.
        assert!(terminal.iter().all(|s| s.brief.is_some()));
    }
}
