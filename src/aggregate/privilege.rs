//! Privilege-use evidence (Q-PRIVCMD): sudo commands, su/sudo sessions, role and identity
//! changes, root transitions; per invoking login identity (auid).

use super::capped::Capped;
use super::tally::{merge_okfail, okfail, At, Counter, Listed, OkFail};
use crate::classify::{Fact, Kind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Privilege-use aggregate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privilege {
    commands: Listed,
    sessions: Listed,
    identity_changes: Listed,
    failed: Counter,
    failed_other: Listed,
    session_closes: Counter,
    credentials: Counter,
    commands_by_actor: Capped<OkFail>,
}

impl Privilege {
    /// Adds one Privilege fact.
    pub fn add(&mut self, fact: Fact, at: At<'_>) {
        use Kind::*;
        let failed = fact.result.is_failed();
        if failed {
            self.failed.add(at);
        }
        match fact.kind {
            Command => {
                okfail(
                    &mut self.commands_by_actor,
                    fact.auid_name(),
                    fact.result,
                    at,
                );
                self.commands.add(fact, at);
            }
            ElevatedSessionOpen => self.sessions.add(fact, at),
            RoleChange | RootTransition | UserIdChange | GroupIdChange => {
                self.identity_changes.add(fact, at)
            }
            _ if failed => self.failed_other.add(fact, at),
            ElevatedSessionClose => self.session_closes.add(at),
            _ => self.credentials.add(at),
        }
    }

    /// Adds `other` after `self`.
    pub fn merge(&mut self, o: &Privilege) {
        self.commands.merge(&o.commands);
        self.sessions.merge(&o.sessions);
        self.identity_changes.merge(&o.identity_changes);
        self.failed.merge(&o.failed);
        self.failed_other.merge(&o.failed_other);
        self.session_closes.merge(&o.session_closes);
        self.credentials.merge(&o.credentials);
        merge_okfail(&mut self.commands_by_actor, &o.commands_by_actor);
    }

    /// USER_CMD records, any result.
    pub fn commands(&self) -> &Listed {
        &self.commands
    }
    /// su/sudo/runuser sessions opened (USER_START), any result.
    pub fn sessions(&self) -> &Listed {
        &self.sessions
    }
    /// USER_ROLE_CHANGE, ANOM_ROOT_TRANS, CHUSER_ID, CHGRP_ID.
    pub fn identity_changes(&self) -> &Listed {
        &self.identity_changes
    }
    /// Failed privilege records of any kind; the items are the failed entries of the other
    /// lists plus [`Privilege::failed_other`].
    pub fn failed(&self) -> &Counter {
        &self.failed
    }
    /// Failed su/sudo session closes and credentials.
    pub fn failed_other(&self) -> &Listed {
        &self.failed_other
    }
    /// USER_CMD per login identity.
    pub fn commands_by_actor(&self) -> &BTreeMap<String, OkFail> {
        self.commands_by_actor.map()
    }

    /// The breakdown by actor when it reached its limit.
    pub(crate) fn limits_reached(&self, out: &mut Vec<crate::limits::LimitReached>) {
        out.extend(self.commands_by_actor.reached(
            "privilege.commands_by_actor",
            "actors",
            "commands",
        ));
    }
}
