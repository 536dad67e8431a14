//! The host names of events, built once per host: a log of many interleaved hosts switches
//! host on nearly every event, so the name is looked up by the event's (input group, node
//! bytes) in a hash map instead of being built again or searched for.

use super::host_name;
use crate::parse::Event;
use rustc_hash::FxHashMap;

/// Hosts whose names are kept; the names of further hosts are built per event (the
/// summary's own host limit, [`crate::limits::HOSTS`], is what bounds their breakdowns).
const KEPT: usize = crate::limits::NODES;

/// A host kept: its input group, node bytes and name.
type Host = (u32, Option<Box<[u8]>>, String);

/// One input group's hosts: the index of each node's, and of the one without a node.
type Group = (FxHashMap<Box<[u8]>, usize>, Option<usize>);

/// Host names by (input group, node bytes), and which one the last event had.
#[derive(Debug, Default)]
pub(super) struct HostNames {
    /// Each host kept, in the order first seen.
    hosts: Vec<Host>,
    /// Per input group, where its hosts are in `hosts`.
    groups: FxHashMap<u32, Group>,
    /// The last event's host: an index into `hosts`.
    current: Option<usize>,
    /// The last event's host when it is past [`KEPT`].
    spare: Option<String>,
}

impl HostNames {
    /// Makes the host of `event` the current one.
    pub(super) fn note(&mut self, event: &Event, labels: &[String]) {
        let (group, node) = (event.group(), event.node());
        if let Some(i) = self.current {
            let (g, n, _) = &self.hosts[i];
            if *g == group && n.as_deref() == node {
                return;
            }
        }
        let (nodes, none) = self.groups.entry(group).or_default();
        let found = match node {
            Some(n) => nodes.get(n).copied(),
            None => *none,
        };
        if let Some(i) = found {
            self.current = Some(i);
            self.spare = None;
            return;
        }
        let name = host_name(event, labels);
        if self.hosts.len() >= KEPT {
            self.current = None;
            self.spare = Some(name);
            return;
        }
        let i = self.hosts.len();
        match node {
            Some(n) => {
                nodes.insert(n.into(), i);
            }
            None => *none = Some(i),
        }
        self.hosts.push((group, node.map(Into::into), name));
        self.current = Some(i);
        self.spare = None;
    }

    /// The current host's name (empty before the first event).
    pub(super) fn current(&self) -> &str {
        match (self.current, &self.spare) {
            (Some(i), _) => &self.hosts[i].2,
            (None, Some(name)) => name,
            (None, None) => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::testing::each_event;

    fn names(log: &str, labels: &[String]) -> Vec<String> {
        let mut h = HostNames::default();
        let mut out = Vec::new();
        each_event(log, 0, |ev| {
            h.note(ev, labels);
            out.push(h.current().to_string());
        });
        out
    }

    #[test]
    fn each_event_gets_its_hosts_name() {
        let log = "node=a type=USER_LOGIN msg=audit(1.000:1): res=success\n\
                   node=bb type=USER_LOGIN msg=audit(1.000:2): res=success\n\
                   type=USER_LOGIN msg=audit(1.000:3): res=success\n\
                   node=a type=USER_LOGIN msg=audit(1.000:4): res=success\n\
                   node=bb type=USER_LOGIN msg=audit(1.000:5): res=success\n\
                   type=USER_LOGIN msg=audit(1.000:6): res=success\n";
        assert_eq!(
            names(log, &[]),
            ["a", "bb", "(local)", "a", "bb", "(local)"]
        );
        assert_eq!(names(log, &["web.log".to_string()])[2], "web.log");
    }

    #[test]
    fn hosts_past_the_limit_are_named_per_event() {
        let log: String = (0..KEPT + 3)
            .map(|i| format!("node=h{i} type=USER_LOGIN msg=audit(1.000:{i}): res=success\n"))
            .chain(["node=h0 type=USER_LOGIN msg=audit(2.000:1): res=success\n".to_string()])
            .collect();
        let got = names(&log, &[]);
        assert_eq!(got.len(), KEPT + 4);
        assert_eq!(got[KEPT + 1], format!("h{}", KEPT + 1));
        assert_eq!(got[KEPT + 2], format!("h{}", KEPT + 2));
        assert_eq!(got[KEPT + 3], "h0");
    }
}
