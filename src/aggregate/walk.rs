//! A walk over what a [`Summary`] writes to its summary.json, without writing it: every
//! [`Source`] it states (the file:line of each listed fact, coverage entry, outside range,
//! rule load, ...), and every count (each `u64`) with, on request, its key.
//!
//! It walks the summary's own `Serialize`, so a list added later is walked without being
//! named here: the raw lines a summary.json carries ([`super::raw`]) are those of the
//! sources this walk finds, and the range check of a summary read back
//! ([`super::read`]) covers every count the file states.

use super::Summary;
use crate::model::{FileId, Source};
use serde::ser::{self, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// Every source `s` states (not those of its raw lines, which are keyed by them).
pub(super) fn sources(s: &Summary) -> BTreeSet<Source> {
    let mut w = Walker {
        sources: Some(BTreeSet::new()),
        ..Walker::default()
    };
    // Cannot fail: the walker refuses nothing, and a summary's parts serialize.
    let _ = s.serialize(&mut w);
    w.sources.unwrap_or_default()
}

/// The largest count `s` states, or the first one past `max` with its key
/// (`accounts.created.count.total`).
pub(super) fn largest_count(s: &Summary, max: u64) -> Result<u64, (String, u64)> {
    let mut w = Walker {
        max,
        ..Walker::default()
    };
    let _ = s.serialize(&mut w);
    if w.past.is_none() {
        return Ok(w.largest);
    }
    // Again with the keys kept (it costs an allocation per key), to name the count.
    let mut w = Walker {
        max,
        path: Some(Vec::new()),
        ..Walker::default()
    };
    let _ = s.serialize(&mut w);
    Err(w.past.unwrap_or_default())
}

#[derive(Default)]
struct Walker {
    /// Sources found, when collecting them.
    sources: Option<BTreeSet<Source>>,
    /// Counts above this are reported in `past`.
    max: u64,
    largest: u64,
    /// The first count past `max`: its key (when `path` is kept) and value.
    past: Option<(String, u64)>,
    /// The keys down to the current value, when kept.
    path: Option<Vec<String>>,
    /// Inside a `Source`: the number its field serialized.
    grabbing: bool,
    grabbed: Option<u64>,
}

impl Walker {
    fn count(&mut self, v: u64) {
        if self.grabbing {
            self.grabbed = Some(v);
            return;
        }
        self.largest = self.largest.max(v);
        if v > self.max && self.past.is_none() {
            let key = self.path.as_ref().map(|p| p.join(".")).unwrap_or_default();
            self.past = Some((key, v));
        }
    }

    fn push(&mut self, key: impl FnOnce() -> String) {
        if let Some(p) = &mut self.path {
            p.push(key());
        }
    }

    fn pop(&mut self) {
        if let Some(p) = &mut self.path {
            p.pop();
        }
    }

    fn child<T: Serialize + ?Sized>(
        &mut self,
        key: impl FnOnce() -> String,
        v: &T,
    ) -> Result<(), Never> {
        self.push(key);
        let r = v.serialize(&mut *self);
        self.pop();
        r
    }
}

/// A map key as the file writes it.
fn key_text<T: Serialize + ?Sized>(key: &T) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(s)) => s.escape_debug().to_string(),
        Ok(v) => v.to_string(),
        Err(_) => "?".to_string(),
    }
}

/// The walker's error type (it never returns one itself).
#[derive(Debug)]
struct Never(String);

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Never(msg.to_string())
    }
}

/// A compound value being walked: a `Source` (its two numbers), or anything else (with the
/// index or pending key of the next element).
struct Compound<'a> {
    w: &'a mut Walker,
    source: Option<(Option<u64>, Option<u64>)>,
    index: usize,
    key: Option<String>,
}

impl<'a> Compound<'a> {
    fn new(w: &'a mut Walker) -> Self {
        Compound {
            w,
            source: None,
            index: 0,
            key: None,
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        let i = self.index;
        self.index += 1;
        self.w.child(|| i.to_string(), v)
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, v: &T) -> Result<(), Never> {
        let Some((file, line)) = &mut self.source else {
            return self.w.child(|| name.to_string(), v);
        };
        self.w.grabbing = true;
        let r = v.serialize(&mut *self.w);
        self.w.grabbing = false;
        let n = self.w.grabbed.take();
        match name {
            "file" => *file = n,
            "line" => *line = n,
            _ => {}
        }
        r
    }

    fn finish(self) -> Result<(), Never> {
        if let Some((Some(file), Some(line))) = self.source {
            if let (Some(set), Ok(file)) = (&mut self.w.sources, u32::try_from(file)) {
                set.insert(Source {
                    file: FileId(file),
                    line,
                });
            }
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Walker {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, _: bool) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Never> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Never> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Never> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Never> {
        self.count(v);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.child(|| variant.to_string(), v)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Compound<'a>, Never> {
        let mut c = Compound::new(self);
        if name == "Source" {
            c.source = Some((None, None));
        }
        Ok(c)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self))
    }
}

/// The sequence-like compounds (sequence, tuple, tuple struct, tuple variant) walk each
/// element in turn; they differ only in the trait's and the method's names.
macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
                self.element(v)
            }
            fn end(self) -> Result<(), Never> {
                self.finish()
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        if self.w.path.is_some() {
            self.key = Some(key_text(key));
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        let key = self.key.take().unwrap_or_default();
        self.w.child(|| key, v)
    }
    fn end(self) -> Result<(), Never> {
        self.finish()
    }
}

/// The struct-like compounds walk each named field; they differ only in the trait's name.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                v: &T,
            ) -> Result<(), Never> {
                self.field(name, v)
            }
            fn end(self) -> Result<(), Never> {
                self.finish()
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);
