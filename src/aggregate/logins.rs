//! Login and authentication evidence (Q-AUTH-OK, Q-AUTH-FAIL, Q-LOCKOUT): logins and
//! authentications with per-account, origin, terminal and exe breakdowns; invalid-user
//! attempts; login sessions; lockouts.
//!
//! Lists hold every login (USER_LOGIN), every authentication (USER_AUTH, GRP_AUTH), every
//! failure of any login record, and every lockout. Routine successes that every cron job and
//! session writes (USER_ACCT, USER_START/END, USER_LOGOUT, LOGIN) are counted, not listed, so
//! memory follows logins rather than raw events.

use super::tally::{At, Breakdown, Counter, Listed};
use crate::classify::{Fact, Kind};
use serde::{Deserialize, Serialize};

/// Login and authentication aggregate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logins {
    logins: Listed,
    failed_logins: Listed,
    auths: Listed,
    failed_auths: Listed,
    login_breakdown: Breakdown,
    auth_breakdown: Breakdown,
    account_denied: Listed,
    errors: Listed,
    invalid_user: Counter,
    sessions: Counter,
    failed_other: Listed,
    account_checks: Counter,
    logouts: Counter,
    login_uid_set: Counter,
    anomalies: Listed,
    lockouts: Listed,
    lockouts_ended: Listed,
}

impl Logins {
    /// Adds one Logins fact.
    pub fn add(&mut self, fact: Fact, at: At<'_>) {
        use Kind::*;
        let failed = fact.result.is_failed();
        if fact.is_invalid_user() {
            self.invalid_user.add(at);
        }
        match fact.kind {
            Login => {
                self.login_breakdown.add(&fact, at);
                let list = if failed {
                    &mut self.failed_logins
                } else {
                    &mut self.logins
                };
                list.add(fact, at);
            }
            Authentication | GroupAuthentication => {
                self.auth_breakdown.add(&fact, at);
                let list = if failed {
                    &mut self.failed_auths
                } else {
                    &mut self.auths
                };
                list.add(fact, at);
            }
            AccountCheck if failed => self.account_denied.add(fact, at),
            AuthError => self.errors.add(fact, at),
            LoginAnomaly => self.anomalies.add(fact, at),
            Lockout => self.lockouts.add(fact, at),
            LockoutEnded => self.lockouts_ended.add(fact, at),
            _ if failed => self.failed_other.add(fact, at),
            AccountCheck => self.account_checks.add(at),
            SessionOpen => self.sessions.add(at),
            Logout | SessionClose => self.logouts.add(at),
            LoginUidSet => self.login_uid_set.add(at),
            _ => {}
        }
    }

    /// Adds `other` after `self`.
    pub fn merge(&mut self, o: &Logins) {
        self.logins.merge(&o.logins);
        self.failed_logins.merge(&o.failed_logins);
        self.auths.merge(&o.auths);
        self.failed_auths.merge(&o.failed_auths);
        self.login_breakdown.merge(&o.login_breakdown);
        self.auth_breakdown.merge(&o.auth_breakdown);
        self.account_denied.merge(&o.account_denied);
        self.errors.merge(&o.errors);
        self.invalid_user.merge(&o.invalid_user);
        self.sessions.merge(&o.sessions);
        self.failed_other.merge(&o.failed_other);
        self.account_checks.merge(&o.account_checks);
        self.logouts.merge(&o.logouts);
        self.login_uid_set.merge(&o.login_uid_set);
        self.anomalies.merge(&o.anomalies);
        self.lockouts.merge(&o.lockouts);
        self.lockouts_ended.merge(&o.lockouts_ended);
    }

    /// Successful logins (USER_LOGIN not failed).
    pub fn logins(&self) -> &Listed {
        &self.logins
    }
    /// Failed logins (USER_LOGIN `res=failed`).
    pub fn failed_logins(&self) -> &Listed {
        &self.failed_logins
    }
    /// Successful authentications (USER_AUTH, GRP_AUTH).
    pub fn auths(&self) -> &Listed {
        &self.auths
    }
    /// Failed authentications (USER_AUTH, GRP_AUTH).
    pub fn failed_auths(&self) -> &Listed {
        &self.failed_auths
    }
    /// USER_LOGIN per account, origin, terminal, exe.
    pub fn login_breakdown(&self) -> &Breakdown {
        &self.login_breakdown
    }
    /// USER_AUTH/GRP_AUTH per account, origin, terminal, exe.
    pub fn auth_breakdown(&self) -> &Breakdown {
        &self.auth_breakdown
    }
    /// PAM account checks that refused (USER_ACCT failed: expired, access rules).
    pub fn account_denied(&self) -> &Listed {
        &self.account_denied
    }
    /// PAM errors (USER_ERR).
    pub fn errors(&self) -> &Listed {
        &self.errors
    }
    /// Login-category records naming a non-existent account; the items are those of the
    /// other lists with `invalid_user` set.
    pub fn invalid_user(&self) -> &Counter {
        &self.invalid_user
    }
    /// Login sessions opened (USER_START of login services, not failed).
    pub fn sessions(&self) -> &Counter {
        &self.sessions
    }
    /// Other failed records: sessions, logouts, LOGIN.
    pub fn failed_other(&self) -> &Listed {
        &self.failed_other
    }
    /// ANOM_LOGIN_*.
    pub fn anomalies(&self) -> &Listed {
        &self.anomalies
    }
    /// RESP_ACCT_LOCK, RESP_ACCT_LOCK_TIMED.
    pub fn lockouts(&self) -> &Listed {
        &self.lockouts
    }
    /// RESP_ACCT_UNLOCK_TIMED.
    pub fn lockouts_ended(&self) -> &Listed {
        &self.lockouts_ended
    }
    /// Successful USER_ACCT checks (counted only).
    pub fn account_checks(&self) -> &Counter {
        &self.account_checks
    }
    /// USER_LOGOUT and USER_END of login services (counted only).
    pub fn logouts(&self) -> &Counter {
        &self.logouts
    }
}
