//! A population's rows made from the summary's facts as a renderer reads them
//! ([`FactRows`]): the report holds each fact once, in its summary, not again as strings
//! (a month of a busy fleet lists hundreds of thousands of facts). Renderers see only
//! [`FactRow`]s, each built when it is written.

use super::columns::Columns;
use super::FactRow;
use crate::classify::Fact;
use crate::model::{format_ms, Source};
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// How rows cite their facts' sources: `file:line`, or `host:file:line` (a report from
/// summaries, whose hosts' logs may share a path).
#[derive(Clone, Debug)]
pub(super) struct Citing {
    /// File id -> path.
    pub paths: Arc<[String]>,
    /// Sources cited with their host.
    pub with_host: bool,
}

impl Citing {
    /// `path:line` of a source.
    pub fn source(&self, s: Source) -> String {
        let file = self
            .paths
            .get(s.file.0 as usize)
            .map_or("?", String::as_str);
        format!("{file}:{}", s.line)
    }

    /// `f`'s time, host and source with `cells`.
    pub fn row(&self, f: &Fact, cells: Vec<String>) -> FactRow {
        let host = f.node.as_deref().unwrap_or("-");
        let source = if self.with_host {
            format!("{host}:{}", self.source(f.source))
        } else {
            self.source(f.source)
        };
        FactRow {
            time: format_ms(f.time_ms),
            host: host.to_string(),
            cells,
            source,
        }
    }
}

/// The facts behind a population: a list of the summary, or facts gathered from several.
#[derive(Clone, Debug)]
enum Facts<'a> {
    Listed(&'a [Fact]),
    Gathered(Vec<&'a Fact>),
}

/// The rows of a population, in input order: one [`FactRow`] per fact, with the cells of
/// its section's columns, built as they are read ([`FactRows::iter`]) or written (its
/// `Serialize` is that of the rows as a list).
#[derive(Clone, Debug)]
pub struct FactRows<'a> {
    facts: Facts<'a>,
    cols: Columns,
    cite: Citing,
}

impl<'a> FactRows<'a> {
    /// The rows of `facts`.
    pub(super) fn listed(facts: &'a [Fact], cols: Columns, cite: &Citing) -> Self {
        FactRows {
            facts: Facts::Listed(facts),
            cols,
            cite: cite.clone(),
        }
    }

    /// The rows of `facts` gathered from several lists.
    pub(super) fn gathered(facts: Vec<&'a Fact>, cols: Columns, cite: &Citing) -> Self {
        FactRows {
            facts: Facts::Gathered(facts),
            cols,
            cite: cite.clone(),
        }
    }

    /// Rows.
    pub fn len(&self) -> usize {
        match &self.facts {
            Facts::Listed(l) => l.len(),
            Facts::Gathered(g) => g.len(),
        }
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every row, each built as it is taken.
    pub fn iter(&self) -> impl Iterator<Item = FactRow> + '_ {
        let (listed, gathered): (&[Fact], &[&Fact]) = match &self.facts {
            Facts::Listed(l) => (l, &[]),
            Facts::Gathered(g) => (&[], g),
        };
        listed
            .iter()
            .chain(gathered.iter().copied())
            .map(|f| self.cite.row(f, self.cols.cells(f)))
    }

    /// The first row.
    pub fn first(&self) -> Option<FactRow> {
        self.iter().next()
    }
}

impl Serialize for FactRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::testing::facts;

    #[test]
    fn rows_are_made_as_read_and_written_as_a_list_of_them() {
        let f = facts(
            "node=h1 type=USER_LOGIN msg=audit(1.0:1): pid=1 uid=0 auid=1000 ses=1 msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=failed'\n\
             type=USER_LOGIN msg=audit(2.0:2): pid=1 uid=0 auid=1001 ses=2 msg='op=login acct=\"bob\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.2 terminal=ssh res=success'\n",
        );
        assert_eq!(f.len(), 2);
        let cite = Citing {
            paths: vec!["a.log".to_string()].into(),
            with_host: true,
        };
        let rows = FactRows::listed(&f, Columns::People, &cite);
        let made: Vec<FactRow> = rows.iter().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(made[0].source, "h1:a.log:1");
        assert_eq!(made[1].host, "-");
        assert_eq!(made[1].source, "-:a.log:2");
        assert_eq!(made[0].cells, Columns::People.cells(&f[0]));
        assert_eq!(
            serde_json::to_string_pretty(&rows).unwrap(),
            serde_json::to_string_pretty(&made).unwrap()
        );
        let gathered = FactRows::gathered(vec![&f[1]], Columns::People, &cite);
        assert_eq!(gathered.first().map(|r| r.source), Some("-:a.log:2".into()));
        let none = FactRows::listed(&f[..0], Columns::People, &cite);
        assert!(none.is_empty() && none.first().is_none());
        assert_eq!(serde_json::to_string_pretty(&none).unwrap(), "[]");
    }
}
