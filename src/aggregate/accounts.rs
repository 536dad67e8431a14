//! Account lifecycle evidence (Q-ACCT-CREATE, Q-ACCT-DELETE, Q-ACCT-MODIFY, Q-PRIV-GRANT
//! roles): who created, deleted, changed, locked which account, and what failed.
//!
//! A record that failed is listed under `failed` only, so `created` means accounts that were
//! created. One `useradd` writes ADD_USER and usually USER_MGMT (`add-home-dir`) too: each
//! record counts where its type puts it.

use super::capped::Capped;
use super::tally::{At, Listed};
use crate::classify::{Fact, Kind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Per-account history counts (for short-lived accounts and use after removal).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountHistory {
    /// Successful creations (ADD_USER/ADD_GROUP).
    pub created: u64,
    /// Successful deletions.
    pub deleted: u64,
    /// Successful modifications, locks, unlocks, role changes.
    pub modified: u64,
    /// Failed account-management records.
    pub failed: u64,
}

/// Account lifecycle aggregate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    created: Listed,
    deleted: Listed,
    groups_created: Listed,
    groups_deleted: Listed,
    modified: Listed,
    groups_modified: Listed,
    roles: Listed,
    failed: Listed,
    anomalies: Listed,
    by_target: Capped<AccountHistory>,
}

impl Accounts {
    /// Adds one Accounts fact.
    pub fn add(&mut self, fact: Fact, at: At<'_>) {
        use Kind::*;
        let failed = fact.result.is_failed();
        let mut spare = AccountHistory::default();
        let (keys, distinct) = (at.limits.keys, at.limits.distinct);
        // Past the limit the history is counted nowhere but in the lists' totals.
        let history = self
            .by_target
            .slot(fact.target_name(), keys, distinct)
            .unwrap_or(&mut spare);
        if fact.kind == AccountAnomaly {
            self.anomalies.add(fact, at);
            return;
        }
        if failed {
            history.failed += 1;
            self.failed.add(fact, at);
            return;
        }
        match fact.kind {
            UserAdded | GroupAdded => history.created += 1,
            UserDeleted | GroupDeleted => history.deleted += 1,
            _ => history.modified += 1,
        }
        let list = match fact.kind {
            UserAdded => &mut self.created,
            UserDeleted => &mut self.deleted,
            GroupAdded => &mut self.groups_created,
            GroupDeleted => &mut self.groups_deleted,
            GroupModified => &mut self.groups_modified,
            RoleAssigned | RoleRemoved | RoleModified => &mut self.roles,
            _ => &mut self.modified,
        };
        list.add(fact, at);
    }

    /// Adds `other` after `self`.
    pub fn merge(&mut self, other: &Accounts) {
        for (mine, theirs) in self.lists_mut().into_iter().zip(other.lists()) {
            mine.merge(theirs);
        }
        self.by_target.merge(
            &other.by_target,
            crate::limits::DISTINCT,
            |h, v| {
                h.created += v.created;
                h.deleted += v.deleted;
                h.modified += v.modified;
                h.failed += v.failed;
            },
            |v| v.created + v.deleted + v.modified + v.failed,
        );
    }

    fn lists(&self) -> [&Listed; 9] {
        [
            &self.created,
            &self.deleted,
            &self.groups_created,
            &self.groups_deleted,
            &self.modified,
            &self.groups_modified,
            &self.roles,
            &self.failed,
            &self.anomalies,
        ]
    }

    fn lists_mut(&mut self) -> [&mut Listed; 9] {
        [
            &mut self.created,
            &mut self.deleted,
            &mut self.groups_created,
            &mut self.groups_deleted,
            &mut self.modified,
            &mut self.groups_modified,
            &mut self.roles,
            &mut self.failed,
            &mut self.anomalies,
        ]
    }

    /// Users created (ADD_USER, success).
    pub fn created(&self) -> &Listed {
        &self.created
    }
    /// Users deleted (DEL_USER, success).
    pub fn deleted(&self) -> &Listed {
        &self.deleted
    }
    /// Groups created (ADD_GROUP, success).
    pub fn groups_created(&self) -> &Listed {
        &self.groups_created
    }
    /// Groups deleted (DEL_GROUP, success).
    pub fn groups_deleted(&self) -> &Listed {
        &self.groups_deleted
    }
    /// Users modified: USER_MGMT, ACCT_LOCK, ACCT_UNLOCK (success). Locks and unlocks are
    /// the items of kind `AccountLocked`/`AccountUnlocked`.
    pub fn modified(&self) -> &Listed {
        &self.modified
    }
    /// Groups modified (GRP_MGMT, success).
    pub fn groups_modified(&self) -> &Listed {
        &self.groups_modified
    }
    /// SELinux user/role mappings (ROLE_ASSIGN/REMOVE/MODIFY, success).
    pub fn roles(&self) -> &Listed {
        &self.roles
    }
    /// Account-management records that failed, any kind.
    pub fn failed(&self) -> &Listed {
        &self.failed
    }
    /// ANOM_ADD_ACCT/DEL_ACCT/MOD_ACCT.
    pub fn anomalies(&self) -> &Listed {
        &self.anomalies
    }
    /// Counts per target account.
    pub fn by_target(&self) -> &BTreeMap<String, AccountHistory> {
        self.by_target.map()
    }

    /// The per-account history when it reached its limit.
    pub(crate) fn limits_reached(&self, out: &mut Vec<crate::limits::LimitReached>) {
        out.extend(
            self.by_target
                .reached("accounts.by_target", "accounts", "records"),
        );
    }
    /// Successful locks (ACCT_LOCK).
    pub fn locked(&self) -> u64 {
        self.count_kind(Kind::AccountLocked)
    }
    /// Successful unlocks (ACCT_UNLOCK).
    pub fn unlocked(&self) -> u64 {
        self.count_kind(Kind::AccountUnlocked)
    }

    fn count_kind(&self, kind: Kind) -> u64 {
        self.modified
            .items()
            .iter()
            .filter(|f| f.kind == kind)
            .count() as u64
    }
}
