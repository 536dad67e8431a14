//! The coverage budget shared by every host of a summary ([`Budget`], see "Limits" in
//! [`super`]) and what a host lost to it ([`Limited`]).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Coverage entries left for all hosts of a summary (see "Limits" above). Two budgets are
/// equal when they have the same limit and both or neither refused an entry: how many
/// entries were used depends on how the input was split, what they hold does not.
#[derive(Clone, Debug)]
pub struct Budget {
    left: usize,
    limit: usize,
    refused: u64,
}

impl PartialEq for Budget {
    fn eq(&self, o: &Budget) -> bool {
        self.limit == o.limit && self.is_spent() == o.is_spent()
    }
}

impl Eq for Budget {}

impl Budget {
    /// A budget of `limit` entries.
    pub fn new(limit: usize) -> Self {
        Budget {
            left: limit,
            limit,
            refused: 0,
        }
    }

    /// Takes one entry; false (and counted) when none is left.
    pub(super) fn take(&mut self) -> bool {
        if self.left > 0 {
            self.left -= 1;
            true
        } else {
            self.refused += 1;
            false
        }
    }

    /// What to report when entries were refused.
    pub fn reached(&self) -> Option<crate::limits::LimitReached> {
        (self.refused > 0).then(|| crate::limits::LimitReached {
            what: "coverage",
            noun: "per-host coverage entries (days, activity buckets, serial runs, timeline, \
                   clock steps)",
            unit: "entries",
            limit: self.limit as u64,
            listed: (self.limit - self.left) as u64,
            distinct: (self.limit - self.left) as u64 + self.refused,
            at_least: false,
            beyond: self.refused,
        })
    }

    /// True when an entry was refused.
    pub fn is_spent(&self) -> bool {
        self.refused > 0
    }
}

/// What a host lost to the coverage budget.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limited {
    /// Some per-day counts are missing (the events are in `events`).
    pub days: bool,
    /// Activity buckets are missing: silences are not computed.
    pub activity: bool,
    /// Serial runs or segments are missing: serial gaps are not computed.
    pub serials: bool,
    /// Clock steps are missing (the first ones are kept).
    pub clock_steps: bool,
    /// Timeline entries are missing (the first ones are kept).
    pub timeline: bool,
}

impl Limited {
    /// True when nothing was lost.
    pub fn is_none(&self) -> bool {
        *self == Limited::default()
    }

    pub(super) fn or(&mut self, o: Limited) {
        self.days |= o.days;
        self.activity |= o.activity;
        self.serials |= o.serials;
        self.clock_steps |= o.clock_steps;
        self.timeline |= o.timeline;
    }
}

impl Serialize for Limited {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let parts = [
            (self.days, "days"),
            (self.activity, "silences"),
            (self.serials, "serial_gaps"),
            (self.clock_steps, "clock_steps"),
            (self.timeline, "timeline"),
        ];
        let names: Vec<&str> = parts.iter().filter(|p| p.0).map(|p| p.1).collect();
        names.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Limited {
    /// The names [`Serialize`] writes.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut l = Limited::default();
        for name in Vec::<String>::deserialize(d)? {
            let part = match name.as_str() {
                "days" => &mut l.days,
                "silences" => &mut l.activity,
                "serial_gaps" => &mut l.serials,
                "clock_steps" => &mut l.clock_steps,
                "timeline" => &mut l.timeline,
                other => {
                    return Err(serde::de::Error::custom(format!(
                        "{:?} is not a part of a host's coverage",
                        other.escape_debug()
                    )))
                }
            };
            *part = true;
        }
        Ok(l)
    }
}
