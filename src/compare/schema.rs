//! What the parts of a `summary.json` that `compare`, `trend` and `--baseline` read
//! ([`super::view`]) must hold, checked while the file is read: the deserializers the
//! view's fields name (`deserialize_with`), each of one shape.
//!
//! A summary.json is an input like a log: it may come from anyone and be edited by hand.
//! Read leniently, a negative count became 0, a count past `i64::MAX` wrapped into a
//! negative change, a misspelt time zone silently became UTC and a metric written as a
//! string counted as 0: every one a wrong comparison that looked right. So a value of the
//! wrong type or out of range is an error naming the file and the key
//! (`hosts.web-01.events`: [`super::load`] adds the key's path), and only a summary that
//! passes reaches the comparison.
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
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;

/// The largest count accepted: 2^53 - 1.
pub const MAX_COUNT: u64 = crate::limits::MAX_COUNT;

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

/// A value as the error shows it: JSON text, hidden characters escaped, cut at 60 chars.
fn shown(v: &Value) -> String {
    let text = inert::escape(&v.to_string()).into_owned();
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

/// `v is not WHAT`.
fn found(v: &Value, what: &str) -> String {
    format!("{} is not {what}", shown(v))
}

/// One shape of value: what it accepts of each JSON kind; everything else is an error
/// naming the value found ("an array is not a count ...").
trait Shape<'de>: Sized {
    type Out;
    /// What the value should be (`a count (...)`).
    fn what(&self) -> String;
    fn null(self) -> Result<Self::Out, String> {
        Err(found(&Value::Null, &self.what()))
    }
    fn scalar(self, v: Value) -> Result<Self::Out, String> {
        Err(found(&v, &self.what()))
    }
    fn map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Out, A::Error> {
        Err(de::Error::custom(format!(
            "an object is not {}",
            self.what()
        )))
    }
    fn seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Out, A::Error> {
        Err(de::Error::custom(format!(
            "an array is not {}",
            self.what()
        )))
    }
}

/// Deserializes one value of shape `S`.
struct Seed<S>(S);

impl<'de, S: Shape<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Out;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Out, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: Shape<'de>> Visitor<'de> for Seed<S> {
    type Value = S::Out;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0.what())
    }

    fn visit_unit<E: de::Error>(self) -> Result<S::Out, E> {
        self.0.null().map_err(E::custom)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<S::Out, E> {
        self.0.scalar(Value::Bool(v)).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S::Out, E> {
        self.0.scalar(Value::from(v)).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S::Out, E> {
        self.0.scalar(Value::from(v)).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S::Out, E> {
        self.0.scalar(Value::from(v)).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<S::Out, E> {
        self.0
            .scalar(Value::String(v.to_string()))
            .map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<S::Out, A::Error> {
        self.0.map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<S::Out, A::Error> {
        self.0.seq(seq)
    }
}

/// A count; `None` when null.
#[derive(Clone, Copy)]
struct Count;

impl Shape<'_> for Count {
    type Out = Option<u64>;
    fn what(&self) -> String {
        format!("a count (a whole number from 0 to {MAX_COUNT})")
    }
    fn null(self) -> Result<Option<u64>, String> {
        Ok(None)
    }
    fn scalar(self, v: Value) -> Result<Option<u64>, String> {
        match v.as_u64() {
            Some(n) if n <= MAX_COUNT => Ok(Some(n)),
            _ => Err(found(&v, &self.what())),
        }
    }
}

/// A time; with `calendar`, a period bound (a time that is a calendar date).
struct Time {
    calendar: bool,
}

impl Shape<'_> for Time {
    type Out = Option<i64>;
    fn what(&self) -> String {
        "a time (whole milliseconds since 1970)".into()
    }
    fn null(self) -> Result<Option<i64>, String> {
        Ok(None)
    }
    fn scalar(self, v: Value) -> Result<Option<i64>, String> {
        let t = v.as_i64().ok_or_else(|| found(&v, &self.what()))?;
        if self.calendar && chrono::DateTime::from_timestamp_millis(t).is_none() {
            return Err(found(&v, "a date a calendar can hold"));
        }
        Ok(Some(t))
    }
}

/// A string; `None` when null, unless `required`.
struct Text {
    required: bool,
}

impl Shape<'_> for Text {
    type Out = Option<String>;
    fn what(&self) -> String {
        "a string".into()
    }
    fn null(self) -> Result<Option<String>, String> {
        match self.required {
            true => Err(found(&Value::Null, &self.what())),
            false => Ok(None),
        }
    }
    fn scalar(self, v: Value) -> Result<Option<String>, String> {
        match v {
            Value::String(s) => Ok(Some(s)),
            v => Err(found(&v, &self.what())),
        }
    }
}

/// A time zone name this build knows.
struct Zone;

impl Shape<'_> for Zone {
    type Out = Option<String>;
    fn what(&self) -> String {
        "a time zone name".into()
    }
    fn null(self) -> Result<Option<String>, String> {
        Ok(None)
    }
    fn scalar(self, v: Value) -> Result<Option<String>, String> {
        let Value::String(name) = &v else {
            return Err(found(&v, &self.what()));
        };
        match crate::period::parse_tz(name) {
            Ok(_) => Ok(Some(name.clone())),
            Err(_) => Err(found(&v, "a known time zone (IANA name)")),
        }
    }
}

/// An object read as `T`; `None` when null, unless `required`.
struct Object<T> {
    required: bool,
    of: PhantomData<T>,
}

impl<T> Object<T> {
    fn new(required: bool) -> Self {
        Object {
            required,
            of: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> Shape<'de> for Object<T> {
    type Out = Option<T>;
    fn what(&self) -> String {
        "an object".into()
    }
    fn null(self) -> Result<Option<T>, String> {
        match self.required {
            true => Err(found(&Value::Null, &self.what())),
            false => Ok(None),
        }
    }
    fn map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
}

/// An object of name -> value of shape `S`; `None` when null.
struct Entries<S>(S);

impl<'de, S: Shape<'de> + Copy> Shape<'de> for Entries<S> {
    type Out = Option<BTreeMap<String, S::Out>>;
    fn what(&self) -> String {
        "an object".into()
    }
    fn null(self) -> Result<Self::Out, String> {
        Ok(None)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Out, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(Seed(self.0))?;
            out.insert(k, v);
        }
        Ok(Some(out))
    }
}

/// An object read as `T`, `T::default()` when null (the values of [`objects`]).
struct Each<T>(PhantomData<T>);

impl<T> Clone for Each<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Each<T> {}

impl<'de, T: Deserialize<'de> + Default> Shape<'de> for Each<T> {
    type Out = T;
    fn what(&self) -> String {
        "an object".into()
    }
    fn null(self) -> Result<T, String> {
        Ok(T::default())
    }
    fn map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}

/// An object whose keys only are read.
struct Keys;

impl<'de> Shape<'de> for Keys {
    type Out = BTreeSet<String>;
    fn what(&self) -> String {
        "an object".into()
    }
    fn null(self) -> Result<Self::Out, String> {
        Ok(BTreeSet::new())
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Out, A::Error> {
        let mut out = BTreeSet::new();
        while let Some(k) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            out.insert(k);
        }
        Ok(out)
    }
}

/// A `by_day` object: `YYYY-MM-DD` -> count.
struct Days;

/// A day's count, the day's key already judged.
struct DayCount {
    is_day: bool,
}

impl<'de> DeserializeSeed<'de> for DayCount {
    type Value = u64;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        if !self.is_day {
            return Err(de::Error::custom("the key is not a day (YYYY-MM-DD)"));
        }
        Ok(Seed(Count).deserialize(d)?.unwrap_or(0))
    }
}

impl<'de> Shape<'de> for Days {
    type Out = BTreeMap<String, u64>;
    fn what(&self) -> String {
        "an object".into()
    }
    fn null(self) -> Result<Self::Out, String> {
        Ok(BTreeMap::new())
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Out, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(day) = map.next_key::<String>()? {
            let parsed = day.parse::<chrono::NaiveDate>();
            let is_day = parsed.is_ok_and(|d| d.to_string() == day);
            let n = map.next_value_seed(DayCount { is_day })?;
            out.insert(day, n);
        }
        Ok(out)
    }
}

/// An array of `S`; with `S` = [`Skip`], only its length is kept.
struct Array<S>(S);

impl<'de, S: Shape<'de> + Copy> Shape<'de> for Array<S> {
    type Out = Vec<S::Out>;
    fn what(&self) -> String {
        "an array".into()
    }
    fn null(self) -> Result<Self::Out, String> {
        Ok(Vec::new())
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Out, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed(self.0))? {
            out.push(v);
        }
        Ok(out)
    }
}

/// The array elements whose content is not read.
struct Length;

impl<'de> Shape<'de> for Length {
    type Out = u64;
    fn what(&self) -> String {
        "an array".into()
    }
    fn null(self) -> Result<u64, String> {
        Ok(0)
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let mut n = 0u64;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(n)
    }
}

impl<T> Clone for Object<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Object<T> {}

// The deserializers the view's fields name.

/// A count, 0 when null.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(Seed(Count).deserialize(d)?.unwrap_or(0))
}

/// A count, `None` when null.
pub fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Seed(Count).deserialize(d)
}

/// An object of counts; `None` when null.
pub fn counts<'de, D: Deserializer<'de>>(d: D) -> Result<Option<BTreeMap<String, u64>>, D::Error> {
    let m = Seed(Entries(Count)).deserialize(d)?;
    Ok(m.map(|m| m.into_iter().map(|(k, v)| (k, v.unwrap_or(0))).collect()))
}

/// An object of counts, empty when null.
pub fn count_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, u64>, D::Error> {
    Ok(counts(d)?.unwrap_or_default())
}

/// A time, `None` when null.
pub fn time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Seed(Time { calendar: false }).deserialize(d)
}

/// A period bound: a time that is a calendar date, `None` when null.
pub fn bound<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Seed(Time { calendar: true }).deserialize(d)
}

/// A string, `None` when null.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Seed(Text { required: false }).deserialize(d)
}

/// A string that may not be null (`None` is left for a missing key).
pub fn label<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Seed(Text { required: true }).deserialize(d)
}

/// A known time zone name, `None` when null.
pub fn zone<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Seed(Zone).deserialize(d)
}

/// An object read as `T`, `T::default()` when null.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    d: D,
) -> Result<T, D::Error> {
    Ok(Seed(Object::<T>::new(false))
        .deserialize(d)?
        .unwrap_or_default())
}

/// An object read as `T`, `None` when null.
pub fn opt_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Seed(Object::<T>::new(false)).deserialize(d)
}

/// An object of name -> object read as `T` (`T::default()` when null), empty when null.
pub fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    d: D,
) -> Result<BTreeMap<String, T>, D::Error> {
    Ok(Seed(Entries(Each::<T>(PhantomData)))
        .deserialize(d)?
        .unwrap_or_default())
}

/// The keys of an object (its values are not read), empty when null.
pub fn keys<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<String>, D::Error> {
    Seed(Keys).deserialize(d)
}

/// A `by_day` object, empty when null.
pub fn days<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, u64>, D::Error> {
    Seed(Days).deserialize(d)
}

/// The length of an array (its elements are not read), 0 when null.
pub fn length<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Seed(Length).deserialize(d)
}

/// An array of objects (none may be null) read as `T`, empty when null.
pub fn items<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    let items = Seed(Array(Object::<T>::new(true))).deserialize(d)?;
    Ok(items.into_iter().flatten().collect())
}

/// Whether `limits_reached` (a list of `{what, ...}`) names `what`; anything else in it,
/// of any shape, is not read (the list is what a summary states, not what it counts).
pub fn names_limit<'de, D: Deserializer<'de>>(d: D, what: &str) -> Result<bool, D::Error> {
    d.deserialize_any(Lenient { what, depth: 0 })
}

/// Looks for `{"what": WHAT}` among an array's objects, accepting any value.
struct Lenient<'a> {
    what: &'a str,
    /// 0: the list, 1: an entry, 2: an entry's `what`.
    depth: u8,
}

impl<'de> DeserializeSeed<'de> for Lenient<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lenient<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_str<E>(self, v: &str) -> Result<bool, E> {
        Ok(self.depth == 2 && v == self.what)
    }

    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut hit = false;
        if self.depth == 0 {
            while let Some(h) = seq.next_element_seed(Lenient {
                what: self.what,
                depth: 1,
            })? {
                hit |= h;
            }
        } else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
        }
        Ok(hit)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        // The last `what` of an entry is its value, as a JSON reader keeps it.
        let mut hit = false;
        while let Some(k) = map.next_key::<String>()? {
            if self.depth == 1 && k == "what" {
                hit = map.next_value_seed(Lenient {
                    what: self.what,
                    depth: 2,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(hit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::load::{from_reader, Refused};
    use serde_json::json;

    /// Reads `summary` as a file is read: its first problem.
    fn validate(summary: &Value) -> Result<(), Invalid> {
        match from_reader(summary.to_string().as_bytes()) {
            Ok(_) => Ok(()),
            Err(Refused::Invalid(e)) => Err(e),
            Err(e) => panic!("{e:?}"),
        }
    }

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
