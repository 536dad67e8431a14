//! Credential evidence (Q-CRED): password and group-password changes, PAM credential
//! handling, crypto keys and sessions.
//!
//! Password changes and every failure are listed; PAM `setcred` and crypto records, which
//! every session writes, are counted per host and day and per account.

use super::capped::Capped;
use super::tally::{At, Counter, Listed};
use crate::classify::{Fact, Kind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Credentials aggregate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    password_changes: Listed,
    failed: Listed,
    acquired: Counter,
    refreshed: Counter,
    disposed: Counter,
    crypto: Counter,
    acquired_by_account: Capped<u64>,
}

impl Credentials {
    /// Adds one Credentials fact.
    pub fn add(&mut self, fact: Fact, at: At<'_>) {
        use Kind::*;
        if fact.result.is_failed() {
            self.failed.add(fact, at);
            return;
        }
        match fact.kind {
            PasswordChanged | GroupPasswordChanged => self.password_changes.add(fact, at),
            CredentialAcquired => {
                let (keys, distinct) = (at.limits.keys, at.limits.distinct);
                if let Some(n) = self
                    .acquired_by_account
                    .slot(fact.target_name(), keys, distinct)
                {
                    *n += 1;
                }
                self.acquired.add(at);
            }
            CredentialRefreshed => self.refreshed.add(at),
            CredentialDisposed => self.disposed.add(at),
            _ => self.crypto.add(at),
        }
    }

    /// Adds `other` after `self`.
    pub fn merge(&mut self, o: &Credentials) {
        self.password_changes.merge(&o.password_changes);
        self.failed.merge(&o.failed);
        self.acquired.merge(&o.acquired);
        self.refreshed.merge(&o.refreshed);
        self.disposed.merge(&o.disposed);
        self.crypto.merge(&o.crypto);
        self.acquired_by_account.merge(
            &o.acquired_by_account,
            crate::limits::DISTINCT,
            |a, b| *a += b,
            |v| *v,
        );
    }

    /// Password and group-password changes (USER_CHAUTHTOK, GRP_CHAUTHTOK), not failed.
    pub fn password_changes(&self) -> &Listed {
        &self.password_changes
    }
    /// Failed credential records of any kind.
    pub fn failed(&self) -> &Listed {
        &self.failed
    }
    /// CRED_ACQ of login services.
    pub fn acquired(&self) -> &Counter {
        &self.acquired
    }
    /// CRED_REFR of login services.
    pub fn refreshed(&self) -> &Counter {
        &self.refreshed
    }
    /// CRED_DISP of login services.
    pub fn disposed(&self) -> &Counter {
        &self.disposed
    }
    /// CRYPTO_* records.
    pub fn crypto(&self) -> &Counter {
        &self.crypto
    }
    /// CRED_ACQ per account.
    pub fn acquired_by_account(&self) -> &BTreeMap<String, u64> {
        self.acquired_by_account.map()
    }

    /// The breakdown by account when it reached its limit.
    pub(crate) fn limits_reached(&self, out: &mut Vec<crate::limits::LimitReached>) {
        out.extend(self.acquired_by_account.reached(
            "credentials.acquired_by_account",
            "accounts",
            "records",
        ));
    }
}
