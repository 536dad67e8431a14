//! What the parts of a `summary.json` that `compare`, `trend` and `--baseline` read
//! ([`super::load::READ_PATHS`]) must hold, checked once when the file is read.
//!
//! A summary.json is an input like a log: it may come from anyone and be edited by hand.
//! Read leniently, a negative count became 0, a count past `i64::MAX` wrapped into a
//! negative change, a misspelt time zone silently became UTC and a metric written as a
//! string counted as 0: every one a wrong comparison that looked right. So a value of the
//! wrong type or out of range is an error naming the file and the key
//! (`hosts.web-01.events`), and only a summary that passes reaches the comparison.
//!
//! The rules:
//! - a count is a whole number from 0 to [`MAX_COUNT`] (2^53 - 1: exact in every JSON
//!   reader, and sums and differences of a few of them cannot overflow);
//! - a time is whole milliseconds since 1970 that fit in an `i64` (a listed fact keeps its
//!   log stamp, whatever year that is); a period's bounds are dates a calendar can hold and
//!   a bounded period starts before it ends;
//! - a day (a `by_day` key) is a calendar date as auditrail writes it: `YYYY-MM-DD`, with
//!   a sign past year 9999 (`+10000-01-01`);
//! - `period` (with its `label`) and `metrics` must be there; the other parts may be
//!   missing or `null` (nothing of that kind), but when present have their documented shape.

use crate::inert;
use serde_json::{Map, Value};

/// The largest count accepted: 2^53 - 1.
pub const MAX_COUNT: u64 = (1 << 53) - 1;

/// A value that does not have its documented shape: where, and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Dotted path of the key (`hosts.web-01.events`), hidden characters escaped.
    pub key: String,
    /// What is wrong, with the value found.
    pub problem: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "key `{}`: {}", self.key, self.problem)
    }
}

type Check = Result<(), Invalid>;

/// A path being walked, joined only when an error is reported.
#[derive(Clone, Copy)]
struct At<'a> {
    parent: Option<&'a At<'a>>,
    key: &'a str,
}

impl<'a> At<'a> {
    fn root(key: &'a str) -> At<'a> {
        At { parent: None, key }
    }

    fn at(&'a self, key: &'a str) -> At<'a> {
        At {
            parent: Some(self),
            key,
        }
    }

    fn path(&self) -> String {
        let own = inert::escape(self.key);
        match self.parent {
            Some(p) => format!("{}.{own}", p.path()),
            None => own.into_owned(),
        }
    }

    fn bad(&self, problem: impl Into<String>) -> Invalid {
        Invalid {
            key: self.path(),
            problem: problem.into(),
        }
    }

    fn found(&self, v: &Value, what: &str) -> Invalid {
        self.bad(format!("{} is not {what}", shown(v)))
    }
}

/// A value as the error shows it: JSON text, hidden characters escaped, cut at 60 chars.
fn shown(v: &Value) -> String {
    let text = match v {
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
        v => v.to_string(),
    };
    let text = inert::escape(&text).into_owned();
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

/// `v` as an object; `None` when missing or null.
fn object<'v>(v: &'v Value, at: &At<'_>) -> Result<Option<&'v Map<String, Value>>, Invalid> {
    match v {
        Value::Null => Ok(None),
        Value::Object(o) => Ok(Some(o)),
        v => Err(at.found(v, "an object")),
    }
}

fn count(v: &Value, at: &At<'_>) -> Check {
    match v {
        Value::Null => Ok(()),
        v if v.as_u64().is_some_and(|n| n <= MAX_COUNT) => Ok(()),
        v => Err(at.found(
            v,
            &format!("a count (a whole number from 0 to {MAX_COUNT})"),
        )),
    }
}

fn time(v: &Value, at: &At<'_>) -> Result<Option<i64>, Invalid> {
    match v {
        Value::Null => Ok(None),
        v => match v.as_i64() {
            Some(t) => Ok(Some(t)),
            None => Err(at.found(v, "a time (whole milliseconds since 1970)")),
        },
    }
}

/// A period bound: a [`time`] that is a calendar date.
fn bound(v: &Value, at: &At<'_>) -> Result<Option<i64>, Invalid> {
    let t = time(v, at)?;
    if t.is_some_and(|t| chrono::DateTime::from_timestamp_millis(t).is_none()) {
        return Err(at.found(v, "a date a calendar can hold"));
    }
    Ok(t)
}

fn text(v: &Value, at: &At<'_>) -> Check {
    match v {
        Value::Null | Value::String(_) => Ok(()),
        v => Err(at.found(v, "a string")),
    }
}

/// Each value of the object at `v` checked by `each`.
fn each(v: &Value, at: &At<'_>, each: fn(&Value, &At<'_>) -> Check) -> Check {
    for (k, x) in object(v, at)?.into_iter().flatten() {
        each(x, &at.at(k))?;
    }
    Ok(())
}

/// A `by_day` map: `YYYY-MM-DD` -> count.
fn by_day(v: &Value, at: &At<'_>) -> Check {
    for (day, n) in object(v, at)?.into_iter().flatten() {
        let at = at.at(day);
        let parsed = day.parse::<chrono::NaiveDate>();
        if parsed.map_or(true, |d| d.to_string() != *day) {
            return Err(at.bad("the key is not a day (YYYY-MM-DD)"));
        }
        count(n, &at)?;
    }
    Ok(())
}

fn period(v: &Value, at: &At<'_>) -> Check {
    let Some(p) = object(v, at)? else {
        return Err(at.bad("missing (an object with the period's label, tz and bounds)"));
    };
    let label = at.at("label");
    match p.get("label") {
        Some(Value::String(_)) => {}
        Some(v) => return Err(label.found(v, "a string")),
        None => return Err(label.bad("missing")),
    }
    if let Some(tz) = p.get("tz").filter(|v| !v.is_null()) {
        let at = at.at("tz");
        let name = tz
            .as_str()
            .ok_or_else(|| at.found(tz, "a time zone name"))?;
        crate::period::parse_tz(name).map_err(|_| at.found(tz, "a known time zone (IANA name)"))?;
    }
    let start = bound(
        p.get("start_ms").unwrap_or(&Value::Null),
        &at.at("start_ms"),
    )?;
    let end = bound(p.get("end_ms").unwrap_or(&Value::Null), &at.at("end_ms"))?;
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            return Err(at.at("end_ms").bad(format!(
                "{e} is not after start_ms {s} (a period is [start, end))"
            )));
        }
    }
    Ok(())
}

fn host(v: &Value, at: &At<'_>) -> Check {
    let h = object(v, at)?;
    let field = |k: &str| h.and_then(|h| h.get(k)).unwrap_or(&Value::Null);
    count(field("events"), &at.at("events"))?;
    count(field("lost_events"), &at.at("lost_events"))?;
    match field("silences") {
        Value::Null | Value::Array(_) => {}
        v => return Err(at.at("silences").found(v, "an array")),
    }
    by_day(field("by_day"), &at.at("by_day"))
}

fn account_counts(v: &Value, at: &At<'_>) -> Check {
    let a = object(v, at)?;
    for k in ["created", "deleted"] {
        count(a.and_then(|a| a.get(k)).unwrap_or(&Value::Null), &at.at(k))?;
    }
    Ok(())
}

/// `auid` / `target` of a listed fact: `{id, name}`, either may be missing.
fn principal(v: &Value, at: &At<'_>) -> Check {
    let p = object(v, at)?;
    let field = |k: &str| p.and_then(|p| p.get(k)).unwrap_or(&Value::Null);
    count(field("id"), &at.at("id"))?;
    text(field("name"), &at.at("name"))
}

/// One item of `accounts.modified` or `accounts.roles`.
fn item(v: &Value, at: &At<'_>) -> Check {
    let Some(f) = object(v, at)? else {
        return Err(at.found(v, "an object"));
    };
    let field = |k: &str| f.get(k).unwrap_or(&Value::Null);
    for k in ["op", "kind", "node"] {
        text(field(k), &at.at(k))?;
    }
    let detail = at.at("detail");
    let d = object(field("detail"), &detail)?;
    for k in ["group", "context"] {
        text(
            d.and_then(|d| d.get(k)).unwrap_or(&Value::Null),
            &detail.at(k),
        )?;
    }
    time(field("time_ms"), &at.at("time_ms"))?;
    principal(field("auid"), &at.at("auid"))?;
    principal(field("target"), &at.at("target"))
}

/// `accounts.modified` / `accounts.roles`: `{items: [...], omitted}`.
fn fact_list(v: &Value, at: &At<'_>) -> Check {
    let Some(l) = object(v, at)? else {
        return Ok(());
    };
    count(l.get("omitted").unwrap_or(&Value::Null), &at.at("omitted"))?;
    let items = at.at("items");
    match l.get("items").unwrap_or(&Value::Null) {
        Value::Null => Ok(()),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                item(x, &items.at(&i.to_string()))?;
            }
            Ok(())
        }
        v => Err(items.found(v, "an array")),
    }
}

/// Runs `check` on the value at `path` (a missing part on the way: null), after checking
/// that each part on the way is an object.
fn walk(v: &Value, path: &[&str], check: impl FnOnce(&Value, &At<'_>) -> Check) -> Check {
    fn go(
        v: &Value,
        at: &At<'_>,
        rest: &[&str],
        check: impl FnOnce(&Value, &At<'_>) -> Check,
    ) -> Check {
        match rest.split_first() {
            None => check(v, at),
            Some((k, rest)) => {
                let next = object(v, at)?
                    .and_then(|o| o.get(*k))
                    .unwrap_or(&Value::Null);
                go(next, &at.at(k), rest, check)
            }
        }
    }
    match path.split_first() {
        Some((first, rest)) => go(
            v.get(*first).unwrap_or(&Value::Null),
            &At::root(first),
            rest,
            check,
        ),
        None => check(v, &At::root("")),
    }
}

/// Checks the read parts of a summary (see the module documentation for the rules).
pub fn validate(summary: &Value) -> Check {
    let top = At::root("");
    if object(summary, &top)?.is_none() {
        return Err(top.found(summary, "a summary (a JSON object)"));
    }
    period(&summary["period"], &At::root("period"))?;
    let metrics = At::root("metrics");
    if summary["metrics"].is_null() {
        return Err(metrics.bad("missing (an object of metric id -> count)"));
    }
    each(&summary["metrics"], &metrics, count)?;
    each(&summary["hosts"], &At::root("hosts"), host)?;
    walk(summary, &["accounts", "by_target"], |v, at| {
        each(v, at, account_counts)
    })?;
    for list in ["modified", "roles"] {
        walk(summary, &["accounts", list], fact_list)?;
    }
    for path in [
        &["logins", "login_breakdown", "by_account"][..],
        &["logins", "auth_breakdown", "by_account"],
        &["mac", "signatures"],
    ] {
        walk(summary, path, |v, at| object(v, at).map(|_| ()))?;
    }
    walk(
        summary,
        &["logins", "failed_logins", "count", "by_host"],
        |v, at| each(v, at, count),
    )?;
    for path in [
        &["logins", "logins", "count", "by_day"][..],
        &["logins", "failed_logins", "count", "by_day"],
        &["privilege", "commands", "count", "by_day"],
        &["mac", "denials", "by_day"],
    ] {
        walk(summary, path, by_day)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok() -> Value {
        json!({
            "schema_version": 1,
            "period": {"label": "2026-10 (UTC)", "tz": "UTC",
                       "start_ms": 1790812800000i64, "end_ms": 1793491200000i64},
            "metrics": {"events": 3},
            "hosts": {"web": {"events": 3, "lost_events": 0, "silences": [],
                              "by_day": {"2026-10-01": 3}}},
            "accounts": {"by_target": {"bob": {"created": 1, "deleted": 0}},
                         "modified": {"omitted": 0, "items": [
                             {"op": "add-user-to-group", "detail": {"group": "wheel"},
                              "time_ms": 1791195000026i64, "node": "web",
                              "auid": {"id": 1001, "name": "alice"}, "target": {"name": "erin"}}]}},
            "logins": {"login_breakdown": {"by_account": {"alice": {}}},
                       "failed_logins": {"count": {"by_host": {"web": 2}, "by_day": {}}}},
            "mac": {"signatures": {}, "denials": {"by_day": {"2026-10-02": 1}}},
        })
    }

    fn err(edit: impl FnOnce(&mut Value)) -> String {
        let mut v = ok();
        edit(&mut v);
        validate(&v).unwrap_err().to_string()
    }

    #[test]
    fn a_summary_of_the_documented_shape_passes() {
        assert_eq!(validate(&ok()), Ok(()));
        let minimal = json!({"schema_version": 1, "period": {"label": "p"}, "metrics": {}});
        assert_eq!(validate(&minimal), Ok(()));
        // Days and times past year 9999 are written by auditrail for such log stamps.
        let mut far = ok();
        far["hosts"]["web"]["by_day"]["+10000-01-01"] = json!(1);
        far["accounts"]["modified"]["items"][0]["time_ms"] = json!(i64::MAX);
        assert_eq!(validate(&far), Ok(()));
    }

    #[test]
    fn out_of_range_and_mistyped_values_name_their_key() {
        let count = "is not a count (a whole number from 0 to 9007199254740991)";
        assert_eq!(
            err(|v| v["metrics"]["events"] = json!(-3)),
            format!("key `metrics.events`: -3 {count}")
        );
        assert_eq!(
            err(|v| v["hosts"]["web"]["events"] = json!(u64::MAX)),
            format!("key `hosts.web.events`: 18446744073709551615 {count}")
        );
        assert_eq!(
            err(|v| v["metrics"]["events"] = json!("3")),
            format!("key `metrics.events`: \"3\" {count}")
        );
        assert_eq!(
            err(|v| v["metrics"]["events"] = json!(1.5)),
            format!("key `metrics.events`: 1.5 {count}")
        );
        assert_eq!(
            err(|v| v["hosts"]["web"]["by_day"]["2026-13-01"] = json!(1)),
            "key `hosts.web.by_day.2026-13-01`: the key is not a day (YYYY-MM-DD)"
        );
        assert_eq!(
            err(|v| v["logins"]["failed_logins"]["count"]["by_host"]["web"] = json!(-1)),
            format!("key `logins.failed_logins.count.by_host.web`: -1 {count}")
        );
        assert_eq!(
            err(|v| v["accounts"]["by_target"]["bob"]["created"] = json!(-1)),
            format!("key `accounts.by_target.bob.created`: -1 {count}")
        );
        assert_eq!(
            err(|v| v["accounts"]["modified"]["items"][0]["time_ms"] = json!(u64::MAX)),
            "key `accounts.modified.items.0.time_ms`: 18446744073709551615 is not a time \
             (whole milliseconds since 1970)"
        );
        assert_eq!(
            err(|v| v["period"]["start_ms"] = json!(i64::MIN)),
            "key `period.start_ms`: -9223372036854775808 is not a date a calendar can hold"
        );
        assert_eq!(
            err(|v| v["hosts"]["web"]["by_day"]["2026-1-5"] = json!(1)),
            "key `hosts.web.by_day.2026-1-5`: the key is not a day (YYYY-MM-DD)"
        );
        assert_eq!(
            err(|v| v["accounts"]["modified"]["omitted"] = json!(-2)),
            format!("key `accounts.modified.omitted`: -2 {count}")
        );
        assert_eq!(
            err(|v| v["period"]["tz"] = json!("Mars/Olympus")),
            "key `period.tz`: \"Mars/Olympus\" is not a known time zone (IANA name)"
        );
        assert_eq!(
            err(|v| v["period"]["end_ms"] = json!(1790812800000i64)),
            "key `period.end_ms`: 1790812800000 is not after start_ms 1790812800000 \
             (a period is [start, end))"
        );
        assert_eq!(
            err(|v| v["period"]["label"] = json!(7)),
            "key `period.label`: 7 is not a string"
        );
        assert_eq!(
            err(|v| v["hosts"] = json!([1])),
            "key `hosts`: an array is not an object"
        );
        assert_eq!(
            err(|v| v["metrics"] = Value::Null),
            "key `metrics`: missing (an object of metric id -> count)"
        );
    }

    #[test]
    fn keys_in_errors_show_hidden_characters_escaped() {
        assert_eq!(
            err(|v| v["metrics"]["x\u{1b}]0;t\u{7}"] = json!(-1)),
            "key `metrics.x\\x1b]0;t\\x07`: -1 is not a count (a whole number from 0 to \
             9007199254740991)"
        );
        assert_eq!(
            err(|v| v["period"]["label"] = json!(["\u{202e}"])),
            "key `period.label`: an array is not a string"
        );
    }
}
