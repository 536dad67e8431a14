//! One pass over a record's fields, keeping the few that classification reads.
//!
//! Tokenising is the expensive part of looking at a record, so each record is tokenised once
//! and the fields we know about are kept by slot. The first occurrence of a key wins, with
//! two exceptions that follow the record layout (libaudit's payload, audit-userspace
//! `lib/audit_logging.c`): `uid` inside the
//! user-space payload is the *login id* of legacy USER_LOGIN records (`msg='uid=500: ...'`),
//! not the process uid, so it gets its own slot; and `res` inside the payload beats a `res`
//! in the body.
//!
//! Legacy records name their operation with bare words (`msg='PAM: authentication acct=...'`,
//! `auditd start, ver=...`, `policy loaded auid=...`); the leading bare words are kept as
//! [`Rec::words`] so that an `op` can be derived from them.

use super::fact::Text;
use crate::model::RecordType;
use crate::parse::decode::{decoded, to_text};
use crate::parse::{Field, Fields, Record, Scope};

macro_rules! keys {
    ($($name:ident = $lit:literal),* $(,)?) => {
        /// The field slots classification reads.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(non_camel_case_types)]
        pub(crate) enum K { $($name,)* MsgUid }

        const NKEYS: usize = [$(K::$name,)* K::MsgUid].len();

        fn lookup(key: &[u8]) -> Option<K> {
            match key { $($lit => Some(K::$name),)* _ => None }
        }
    };
}

keys! {
    auid = b"auid", uid = b"uid", ses = b"ses", op = b"op", acct = b"acct", id = b"id",
    exe = b"exe", comm = b"comm", terminal = b"terminal", addr = b"addr",
    hostname = b"hostname", res = b"res", result = b"result", grp = b"grp", cmd = b"cmd",
    cwd = b"cwd", key = b"key", success = b"success", syscall = b"syscall",
    seresult = b"seresult", seperms = b"seperms", scontext = b"scontext",
    tcontext = b"tcontext", tclass = b"tclass", permissive = b"permissive",
    apparmor = b"apparmor", operation = b"operation", profile = b"profile", name = b"name",
    denied_mask = b"denied_mask", requested_mask = b"requested_mask", info = b"info",
    unit = b"unit", lost = b"lost", audit_lost = b"audit_lost", old = b"old",
    audit_enabled = b"audit_enabled", audit_failure = b"audit_failure",
    audit_backlog_limit = b"audit_backlog_limit",
    audit_backlog_wait_time = b"audit_backlog_wait_time",
    audit_rate_limit = b"audit_rate_limit", audit_pid = b"audit_pid", list = b"list",
    path = b"path", enforcing = b"enforcing", old_enforcing = b"old_enforcing",
    bool_ = b"bool", val = b"val", old_val = b"old_val", sw = b"sw", sw_type = b"sw_type",
    new_level = b"new-level", old_level = b"old-level", sig = b"sig", dev = b"dev",
    prom = b"prom", old_prom = b"old_prom", reason = b"reason", new_gid = b"new_gid",
    code = b"code", ver = b"ver", format = b"format", state = b"state",
    grantors = b"grantors", new_context = b"new-context",
    selected_context = b"selected-context", new_role = b"new-role",
    new_seuser = b"new-seuser", table = b"table", family = b"family", entries = b"entries",
    sec = b"sec", nsec = b"nsec", new = b"new", feature = b"feature", arch = b"arch",
}

/// The fields of one record that classification reads, borrowing from the event.
pub(crate) struct Rec<'a> {
    pub rtype: RecordType,
    slots: [Option<Field<'a>>; NKEYS],
    /// Leading bare words of the payload (or of the body when there is no payload), joined
    /// by spaces, with legacy punctuation removed: `PAM authentication`, `auditd start`.
    pub words: String,
    /// The ENRICHED section, tokenised on demand.
    pub enriched: &'a [u8],
}

impl<'a> Rec<'a> {
    /// Tokenises `rec` once.
    pub fn read(rec: &Record<'a>) -> Rec<'a> {
        let mut slots: [Option<Field<'a>>; NKEYS] = [None; NKEYS];
        let mut words = String::new();
        // Bare words count only before the first key=value of their scope.
        let (mut body_keyed, mut msg_keyed, mut saw_msg) = (false, false, false);
        for f in Fields::body(rec.body) {
            let in_msg = f.scope == Scope::Msg;
            if in_msg && !saw_msg {
                saw_msg = true;
                words.clear();
            }
            if f.key.is_empty() {
                let collect = if in_msg {
                    !msg_keyed
                } else {
                    !body_keyed && !saw_msg
                };
                if collect && f.quote == crate::parse::Quote::None && words.len() < 64 {
                    push_word(&mut words, f.value);
                }
                continue;
            }
            if in_msg {
                msg_keyed = true;
            } else {
                body_keyed = true;
            }
            let Some(k) = lookup(f.key) else { continue };
            let k = if k == K::uid && in_msg { K::MsgUid } else { k };
            let slot = &mut slots[k as usize];
            let payload_res = k == K::res && in_msg && slot.is_some_and(|s| s.scope != Scope::Msg);
            if slot.is_none() || payload_res {
                *slot = Some(f);
            }
        }
        Rec {
            rtype: rec.rtype,
            slots,
            words,
            enriched: rec.enriched,
        }
    }

    /// The raw field in slot `k`.
    pub fn field(&self, k: K) -> Option<&Field<'a>> {
        self.slots[k as usize].as_ref()
    }

    /// The raw bytes of slot `k`, absent markers (`?`, `(null)`, ...) included.
    pub fn raw(&self, k: K) -> Option<&'a [u8]> {
        self.slots[k as usize].map(|f| f.value)
    }

    /// The value of slot `k` as text, hex-decoded when the field is an encoded one; `None`
    /// when the field is missing or absent (`?`, `(null)`, `(none)`, empty).
    pub fn text(&self, k: K) -> Option<Text> {
        let f = self.field(k)?;
        if f.is_absent() {
            return None;
        }
        Some(to_text(&decoded(f, self.rtype)).into())
    }

    /// Like [`Rec::text`] but keeps absent markers, decoded (`acct="?"` stays `?`).
    pub fn text_raw(&self, k: K) -> Option<Text> {
        let f = self.field(k)?;
        Some(to_text(&decoded(f, self.rtype)).into())
    }

    /// Slot `k` as an unsigned number (`None` if missing or not a number).
    pub fn num(&self, k: K) -> Option<u64> {
        std::str::from_utf8(self.raw(k)?).ok()?.parse().ok()
    }

    /// The ENRICHED value for `name` (an uppercase field name such as `AUID`).
    pub fn enriched(&self, name: &[u8]) -> Option<Text> {
        Fields::enriched(self.enriched)
            .find(|f| f.key == name)
            .map(|f| to_text(f.value).into())
    }

    /// The operation: `op=` when present, else the legacy leading words with `PAM ` turned
    /// into the modern `PAM:` prefix (`PAM: authentication` -> `PAM:authentication`).
    pub fn op(&self) -> Option<Text> {
        if let Some(op) = self.text(K::op) {
            return Some(op);
        }
        if self.words.is_empty() {
            return None;
        }
        Some(match self.words.strip_prefix("PAM ") {
            Some(rest) => compact_str::format_compact!("PAM:{rest}"),
            None => self.words.as_str().into(),
        })
    }
}

fn push_word(words: &mut String, w: &[u8]) {
    let w = to_text(w);
    let w = w.trim_matches(|c| matches!(c, ':' | ',' | '(' | ')'));
    if w.is_empty() {
        return;
    }
    if !words.is_empty() {
        words.push(' ');
    }
    words.push_str(w);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_record;

    fn rec(line: &str) -> Rec<'_> {
        Rec::read(&parse_record(line.as_bytes()).unwrap())
    }

    #[test]
    fn keeps_known_fields_and_legacy_words() {
        let r = rec("type=USER_AUTH msg=audit(1.0:1): user pid=1 uid=500 auid=500 msg='PAM: authentication acct=root : exe=\"/bin/su\" (hostname=?, addr=?, terminal=pts/1 res=success)'");
        assert_eq!(r.op().as_deref(), Some("PAM:authentication"));
        assert_eq!(r.text(K::acct).as_deref(), Some("root"));
        assert_eq!(r.text(K::uid).as_deref(), Some("500"));
        assert_eq!(r.text(K::hostname), None);
        assert_eq!(r.text(K::terminal).as_deref(), Some("pts/1"));
        assert_eq!(r.text(K::res).as_deref(), Some("success"));

        let r = rec("type=USER_LOGIN msg=audit(1.0:1): user pid=1 uid=0 auid=500 msg='uid=500: exe=\"/usr/sbin/sshd\" (hostname=h, addr=1.2.3.4, terminal=/dev/pts/8 res=success)'");
        assert_eq!(r.text(K::MsgUid).as_deref(), Some("500"));
        assert_eq!(r.text(K::uid).as_deref(), Some("0"));
        assert_eq!(r.op(), None);

        let r = rec("type=DAEMON_START msg=audit(1.0:1): auditd start, ver=2.4.1 format=raw auid=4294967295 pid=1 res=success");
        assert_eq!(r.op().as_deref(), Some("auditd start"));
    }

    #[test]
    fn decodes_hex_and_reads_enriched() {
        let r = rec("type=USER_LOGIN msg=audit(1.0:1): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct=28696E76616C6964207573657229 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.9 terminal=sshd res=failed'\u{1d}UID=\"root\" AUID=\"unset\"");
        assert_eq!(r.text(K::acct).as_deref(), Some("(invalid user)"));
        assert_eq!(r.enriched(b"AUID").as_deref(), Some("unset"));
        assert_eq!(r.num(K::auid), Some(4294967295));
    }
}
