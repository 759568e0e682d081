//! [`FlatEvent`]: a JSON object flattened to dotted keys in three contiguous buffers.
//!
//! A `serde_json::Value` object scatters every key and value over its own heap allocation and
//! B-tree node; a rules engine reading a stream of them spends more time waiting for those
//! cache lines than matching. A `FlatEvent` keeps the same fields in one text buffer, one
//! entry table and a small open-addressing hash index, so an event is a few adjacent cache
//! lines and a lookup is one probe (none to hash when the caller passes a [`FieldName`]). It
//! answers [`FieldSource`] exactly as the `serde_json::Value` it was built from does (tested
//! field by field).

use std::borrow::Cow;

use crate::value::{FieldName, FieldSource, Value, field_hash};

/// A generic JSON event (one NDJSON line) in a compact form for field lookups.
///
/// Keys are the object's dotted paths (`{"a": {"b": 1}}` holds `a` and `a.b`); an exact key
/// containing dots wins over the nested path, as in the `serde_json::Value` lookup. Nested
/// objects are also readable whole, as their compact JSON text.
///
/// ```
/// use tripline_schema::{FieldSource, FlatEvent, Value};
///
/// let ev = FlatEvent::from_str(r#"{"Image":"/usr/bin/curl","proc":{"pid":7,"args":["-s"]}}"#)?;
/// assert_eq!(ev.field("Image"), Some(Value::str("/usr/bin/curl")));
/// assert_eq!(ev.field("proc.pid"), Some(Value::Int(7)));
/// assert_eq!(ev.field("proc.args"), Some(Value::List(vec![Value::str("-s")])));
/// assert_eq!(ev.field("missing"), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct FlatEvent {
    /// Every key and string value, back to back.
    text: String,
    /// `entries[..keys]`: one per key path, in input order; the rest: list items.
    entries: Vec<Entry>,
    keys: u32,
    /// Hash index of the reachable keys: entry index + 1, `0` for a free place; a power of
    /// two at least twice their number (linear probing).
    index: Vec<u32>,
}

/// A byte range of [`FlatEvent::text`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    at: u32,
    len: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(Span),
    /// Items at `entries[at..at + len]`.
    List(Span),
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    /// [`field_hash`] of the key.
    hash: u64,
    key: Span,
    val: Slot,
    /// Whether it is a top-level key.
    top: bool,
    /// Whether a dotted lookup reaches it (no segment below the top holds a dot).
    reachable: bool,
    /// Whether it is a leaf (not an object), i.e. listed by `field_names`.
    leaf: bool,
}

/// Positions are `u32`: an event's text, keys and list items stay below 4 Gi each, or it is
/// rejected ([`TOO_LARGE`]).
const TOO_LARGE: &str = "event too large for a FlatEvent (4 GiB of text or 4 Gi entries)";

/// Collects entries while walking the object.
#[derive(Default)]
struct Builder {
    text: String,
    keys: Vec<Entry>,
    items: Vec<Slot>,
    /// A position did not fit in `u32`.
    too_large: bool,
}

impl Builder {
    /// Room for the text of a JSON document of `len` bytes (its keys and strings fit unless
    /// nested keys repeat their prefixes) and a typical number of keys.
    fn with_capacity(len: usize) -> Builder {
        Builder {
            text: String::with_capacity(len),
            keys: Vec::with_capacity(16),
            items: Vec::new(),
            too_large: false,
        }
    }

    /// `n` as a position, noting when it does not fit.
    fn pos(&mut self, n: usize) -> u32 {
        u32::try_from(n).unwrap_or_else(|_| {
            self.too_large = true;
            u32::MAX
        })
    }

    fn span(&mut self, at: usize, len: usize) -> Span {
        Span {
            at: self.pos(at),
            len: self.pos(len),
        }
    }

    fn push_text(&mut self, s: &str) -> Span {
        let at = self.text.len();
        self.text.push_str(s);
        self.span(at, s.len())
    }

    /// The slot of a value as the `serde_json::Value` lookup renders it (objects as compact
    /// JSON text, arrays as lists). List items go to `items`; their spans index it for now.
    fn slot(&mut self, v: &serde_json::Value) -> Slot {
        match v {
            serde_json::Value::Null => Slot::Null,
            serde_json::Value::Bool(b) => Slot::Bool(*b),
            serde_json::Value::Number(n) => match crate::value::number_value(n) {
                Value::Int(i) => Slot::Int(i),
                Value::UInt(u) => Slot::UInt(u),
                Value::Float(f) => Slot::Float(f),
                _ => Slot::Null,
            },
            serde_json::Value::String(s) => Slot::Str(self.push_text(s)),
            serde_json::Value::Object(_) => Slot::Str(self.push_text(&v.to_string())),
            serde_json::Value::Array(a) => {
                // Items of nested lists are laid out before their parent's run.
                let slots: Vec<Slot> = a.iter().map(|x| self.slot(x)).collect();
                let at = self.items.len();
                self.items.extend(slots);
                Slot::List(self.span(at, a.len()))
            }
        }
    }

    /// Adds one member of an object under `prefix` (`None` at the top level) and, for an
    /// object, its members; `reachable`: whether a dotted lookup can walk down to `prefix`.
    fn member(&mut self, prefix: Option<&str>, k: &str, reachable: bool, v: &serde_json::Value) {
        let key = match prefix {
            None => Cow::Borrowed(k),
            Some(p) => Cow::Owned(format!("{p}.{k}")),
        };
        // A dotted segment cannot be reached by splitting the name, except as a whole
        // top-level key; nothing below a dotted segment can be either.
        let top = prefix.is_none();
        let reach = top || (reachable && !k.contains('.'));
        let val = self.slot(v);
        self.push_key(&key, val, top, reach, !v.is_object());
        if let Some(inner) = v.as_object() {
            let below = reachable && !k.contains('.');
            for (k2, v2) in inner {
                self.member(Some(&key), k2, below, v2);
            }
        }
    }

    fn push_key(&mut self, key: &str, val: Slot, top: bool, reachable: bool, leaf: bool) {
        let key_span = self.push_text(key);
        self.keys.push(Entry {
            hash: field_hash(key),
            key: key_span,
            val,
            top,
            reachable,
            leaf,
        });
    }

    /// Lays out list items after the keys and builds the hash index. `Ok(None)` when
    /// `unique` is asked and two top-level keys are equal; an error when a position does not
    /// fit. `compact` shrinks the buffers to fit.
    fn finish(
        mut self,
        unique: bool,
        compact: bool,
    ) -> Result<Option<FlatEvent>, serde_json::Error> {
        let keys = self.pos(self.keys.len());
        self.pos(self.keys.len() + self.items.len());
        if self.too_large {
            return Err(serde::de::Error::custom(TOO_LARGE));
        }
        // List spans move from `items` indices to entry indices after the keys.
        let shift = |s: Slot| match s {
            Slot::List(sp) => Slot::List(Span {
                at: sp.at.saturating_add(keys),
                len: sp.len,
            }),
            other => other,
        };
        let mut entries = self.keys;
        for e in &mut entries {
            e.val = shift(e.val);
        }
        let text = self.text.as_bytes();
        let key_of = |e: &Entry| &text[e.key.at as usize..][..e.key.len as usize];
        let reachable = entries.iter().filter(|e| e.reachable).count();
        let size = (reachable * 2).max(4).next_power_of_two();
        let mut index = vec![0u32; size];
        // Top-level keys first, then nested paths: along a probe run an exact top-level key
        // comes before the nested path spelled the same, as the `serde_json::Value` lookup
        // prefers (at most one nested path per spelling is reachable).
        for top in [true, false] {
            for (i, e) in entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.reachable && e.top == top)
            {
                let mut at = e.hash as usize & (size - 1);
                while let Some(o) = index[at].checked_sub(1) {
                    let o = &entries[o as usize];
                    if unique && top && o.hash == e.hash && key_of(o) == key_of(e) {
                        return Ok(None);
                    }
                    at = (at + 1) & (size - 1);
                }
                // Below `keys + 1`, which fits.
                index[at] = i as u32 + 1;
            }
        }
        entries.extend(self.items.into_iter().map(|s| Entry {
            hash: 0,
            key: Span { at: 0, len: 0 },
            val: shift(s),
            top: false,
            reachable: false,
            leaf: false,
        }));
        let mut text = self.text;
        if compact {
            text.shrink_to_fit();
            entries.shrink_to_fit();
        }
        Ok(Some(FlatEvent {
            text,
            entries,
            keys,
            index,
        }))
    }
}

/// What one top-level member's value deserializes to: a scalar read straight into the
/// builder, or (objects and arrays, whose rendering follows `serde_json::Value`) the value.
enum Member {
    Scalar(Slot),
    Tree(serde_json::Value),
}

/// Deserializes a member value, copying strings into the builder's text.
struct MemberSeed<'b>(&'b mut Builder);

impl<'de> serde::de::DeserializeSeed<'de> for MemberSeed<'_> {
    type Value = Member;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Member, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for MemberSeed<'_> {
    type Value = Member;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Member, E> {
        Ok(Member::Scalar(Slot::Null))
    }
    fn visit_bool<E>(self, b: bool) -> Result<Member, E> {
        Ok(Member::Scalar(Slot::Bool(b)))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Member, E> {
        Ok(Member::Scalar(Slot::Int(i)))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Member, E> {
        // As `serde_json::Number::as_i64` then `as_u64`.
        Ok(Member::Scalar(match i64::try_from(u) {
            Ok(i) => Slot::Int(i),
            Err(_) => Slot::UInt(u),
        }))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Member, E> {
        // `serde_json::Value` turns a non-finite float into `null`.
        Ok(Member::Scalar(if f.is_finite() {
            Slot::Float(f)
        } else {
            Slot::Null
        }))
    }
    fn visit_str<E>(self, s: &str) -> Result<Member, E> {
        Ok(Member::Scalar(Slot::Str(self.0.push_text(s))))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Member, A::Error> {
        use serde::Deserialize as _;
        let v = serde_json::Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(Member::Tree(v))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Member, A::Error> {
        use serde::Deserialize as _;
        let v = serde_json::Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Member::Tree(v))
    }
}

/// Reads the top level: an object's members straight into the builder; anything else is
/// read through (and checked) and gives no fields.
struct TopSeed<'b>(&'b mut Builder);

impl<'de> serde::de::Visitor<'de> for TopSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        // Read as a value, not skipped: skipping would not check that strings are UTF-8.
        use serde::Deserialize as _;
        serde_json::Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let b = self.0;
        while let Some(k) = map.next_key::<Cow<'de, str>>()? {
            match map.next_value_seed(MemberSeed(b))? {
                Member::Scalar(val) => b.push_key(&k, val, true, true, true),
                Member::Tree(v) => b.member(None, &k, true, &v),
            }
        }
        Ok(())
    }
}

/// Parses a JSON text with `read` straight into the flat form; `Ok(None)` when a top-level
/// key repeats. `len`: the text's length.
fn parse<'de, R: serde_json::de::Read<'de>>(
    read: R,
    len: usize,
) -> Result<Option<FlatEvent>, serde_json::Error> {
    let mut de = serde_json::Deserializer::new(read);
    let mut b = Builder::with_capacity(len);
    serde::Deserializer::deserialize_any(&mut de, TopSeed(&mut b))?;
    de.end()?;
    b.finish(true, false)
}

impl FlatEvent {
    /// Flattens a JSON value. Anything but an object gives an event without fields, as the
    /// `serde_json::Value` lookup answers nothing for it. The buffers are shrunk to fit, for
    /// events held in memory (batches, windows). The one error: a value too large for the
    /// form's 32-bit positions (4 GiB of text, 4 Gi keys and list items).
    pub fn from_value(v: &serde_json::Value) -> Result<FlatEvent, serde_json::Error> {
        let mut b = Builder::default();
        for (k, v) in v.as_object().into_iter().flatten() {
            b.member(None, k, true, v);
        }
        Ok(b.finish(false, true)?.unwrap_or_default())
    }

    /// Parses one JSON text (an NDJSON line) straight into the flat form: top-level scalars
    /// never become a `serde_json::Value` (nested objects and arrays still do, to render them
    /// as it does). Errors are `serde_json`'s, with line and column. Built for a stream (parse,
    /// evaluate, drop): the text buffer keeps the capacity of the input's length, not shrunk.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Result<FlatEvent, serde_json::Error> {
        match parse(serde_json::de::StrRead::new(s), s.len())? {
            Some(f) => Ok(f),
            None => FlatEvent::from_value(&serde_json::from_str(s)?),
        }
    }

    /// [`FlatEvent::from_str`] for bytes (which must be UTF-8 JSON).
    pub fn from_slice(v: &[u8]) -> Result<FlatEvent, serde_json::Error> {
        match parse(serde_json::de::SliceRead::new(v), v.len())? {
            Some(f) => Ok(f),
            None => FlatEvent::from_value(&serde_json::from_slice(v)?),
        }
    }

    /// Number of key paths (leaves and nested objects).
    pub fn len(&self) -> usize {
        self.keys as usize
    }

    /// Whether the event has no fields.
    pub fn is_empty(&self) -> bool {
        self.keys == 0
    }

    fn text_of(&self, s: Span) -> &str {
        self.text
            .get(s.at as usize..(s.at as usize).saturating_add(s.len as usize))
            .unwrap_or("")
    }

    fn value(&self, s: Slot) -> Value<'_> {
        match s {
            Slot::Null => Value::Null,
            Slot::Bool(b) => Value::Bool(b),
            Slot::Int(i) => Value::Int(i),
            Slot::UInt(u) => Value::UInt(u),
            Slot::Float(f) => Value::Float(f),
            Slot::Str(sp) => Value::str(self.text_of(sp)),
            Slot::List(sp) => {
                let items = self
                    .entries
                    .get(sp.at as usize..(sp.at as usize).saturating_add(sp.len as usize))
                    .unwrap_or(&[]);
                Value::List(items.iter().map(|e| self.value(e.val)).collect())
            }
        }
    }

    /// The reachable entry keyed `name` (hash `h`).
    fn find(&self, name: &[u8], h: u64) -> Option<&Entry> {
        let mask = self.index.len().checked_sub(1)?;
        let mut at = h as usize & mask;
        loop {
            let slot = *self.index.get(at)? as usize;
            let e = self.entries.get(slot.checked_sub(1)?)?;
            if e.hash == h
                && self
                    .text
                    .as_bytes()
                    .get(e.key.at as usize..)?
                    .get(..e.key.len as usize)
                    == Some(name)
            {
                return Some(e);
            }
            at = (at + 1) & mask;
        }
    }
}

impl FieldSource for FlatEvent {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        let e = self.find(name.as_bytes(), field_hash(name))?;
        Some(self.value(e.val))
    }

    fn field_by(&self, name: &FieldName) -> Option<Value<'_>> {
        let e = self.find(name.as_str().as_bytes(), name.hash())?;
        Some(self.value(e.val))
    }

    fn raw_text(&self) -> Option<&str> {
        None
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        self.entries[..self.keys as usize]
            .iter()
            .filter(|e| e.leaf)
            .map(|e| Cow::Borrowed(self.text_of(e.key)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn same(v: &serde_json::Value, names: &[String]) {
        same_as(v, &FlatEvent::from_value(v).unwrap(), names);
        // Parsed straight from text, compact and pretty, against `serde_json` parsing the
        // same text (its float parsing need not round-trip `v` exactly).
        let compact = v.to_string();
        let parsed: serde_json::Value = serde_json::from_str(&compact).unwrap();
        same_as(&parsed, &FlatEvent::from_str(&compact).unwrap(), names);
        let pretty = serde_json::to_vec_pretty(v).unwrap();
        let parsed: serde_json::Value = serde_json::from_slice(&pretty).unwrap();
        same_as(&parsed, &FlatEvent::from_slice(&pretty).unwrap(), names);
    }

    fn same_as(v: &serde_json::Value, f: &FlatEvent, names: &[String]) {
        for n in names {
            assert_eq!(f.field(n), v.field(n), "field {n:?} of {v}");
            assert_eq!(
                f.field_by(&FieldName::new(n)),
                v.field(n),
                "field {n:?} of {v}"
            );
        }
        let mut a: Vec<String> = f.field_names().into_iter().map(Cow::into_owned).collect();
        let mut b: Vec<String> = v.field_names().into_iter().map(Cow::into_owned).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "field names of {v}");
    }

    #[test]
    fn answers_like_the_json_value() {
        let v = json!({
            "proc.name": "bash",
            "proc": {"name": "sh", "pid": 7, "sub.key": {"x": 1}, "tags": ["a", {"b": 2}, [1, 2.5]]},
            "a": {"b": {"c": u64::MAX}},
            "n": null,
            "t": true,
            "e": "",
            "": {"": 3},
            "neg": -4,
        });
        let names: Vec<String> = [
            "proc.name",
            "proc",
            "proc.pid",
            "proc.sub.key",
            "proc.sub.key.x",
            "proc.tags",
            "a",
            "a.b",
            "a.b.c",
            "n",
            "t",
            "e",
            "",
            ".",
            "neg",
            "missing",
            "a.b.x",
            "proc.name.x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        same(&v, &names);
        let f = FlatEvent::from_value(&v).unwrap();
        assert_eq!(f.field("proc.name"), Some(Value::str("bash")));
        assert_eq!(f.field("proc.sub.key.x"), None);
        assert_eq!(f.field("a.b.c"), Some(Value::UInt(u64::MAX)));
    }

    #[test]
    fn repeated_keys_keep_the_last_as_serde_json_does() {
        for text in [
            r#"{"a":1,"a":{"b":2}}"#,
            r#"{"a":{"x":1},"a":2,"c":"s"}"#,
            r#"{"a":{"x":1},"a":{"y":[1,{"z":null}]}}"#,
        ] {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            let f = FlatEvent::from_str(text).unwrap();
            let names: Vec<String> = ["a", "a.b", "a.x", "a.y", "c", "a.y.z"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            same_as(&v, &f, &names);
        }
        assert_eq!(
            FlatEvent::from_str(r#"{"a":{"x":1},"a":2}"#)
                .unwrap()
                .field("a.x"),
            None
        );
    }

    #[test]
    fn text_errors_carry_line_and_column() {
        for text in ["{\n  \"a\": tru\n}", "{\"a\":1,\n\"b\" 2}", "{\"a\":[1,}"] {
            let e = FlatEvent::from_str(text).unwrap_err();
            let want = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
            assert_eq!(
                (e.line(), e.column()),
                (want.line(), want.column()),
                "{text}"
            );
            assert!(e.line() > 0);
        }
        assert!(FlatEvent::from_str(r#"{"a":1} x"#).is_err());
        assert!(FlatEvent::from_str("").is_err());
        assert!(FlatEvent::from_slice(b"{\"a\":\"\xff\"}").is_err());
        assert_eq!(FlatEvent::from_str("[1,{\"a\":2}]").unwrap().len(), 0);
        assert_eq!(
            FlatEvent::from_str(r#"{"big":18446744073709551615,"neg":-1,"f":1.0}"#)
                .unwrap()
                .field("big"),
            Some(Value::UInt(u64::MAX))
        );
    }

    #[test]
    fn positions_past_u32_are_an_error_not_a_wrong_span() {
        let mut b = Builder::default();
        assert_eq!(b.pos(u32::MAX as usize), u32::MAX);
        assert!(b.finish(false, true).is_ok());
        let mut b = Builder::default();
        b.pos(u32::MAX as usize + 1);
        let e = b.finish(false, true).unwrap_err();
        assert!(e.to_string().contains("too large"), "{e}");
    }

    #[test]
    fn non_objects_have_no_fields() {
        for v in [json!(null), json!([1, 2]), json!("x"), json!(3)] {
            let f = FlatEvent::from_value(&v).unwrap();
            assert!(f.is_empty());
            assert_eq!(f.field("x"), None);
            assert!(f.field_names().is_empty());
        }
        assert!(FlatEvent::from_str("{").is_err());
        assert_eq!(FlatEvent::from_slice(b"{\"k\":1}").unwrap().len(), 1);
    }

    fn json_tree() -> impl Strategy<Value = serde_json::Value> {
        crate::testgen::json_tree("[a-c.]{0,3}".boxed(), "[a-zA-Z0-9 ./]{0,6}")
    }

    proptest! {
        #[test]
        fn every_lookup_agrees_with_the_json_value(
            v in json_tree(),
            extra in prop::collection::vec("[a-c.]{0,7}", 0..12),
        ) {
            let mut names: Vec<String> = v.field_names().into_iter().map(Cow::into_owned).collect();
            names.extend(extra);
            same(&v, &names);
        }

        #[test]
        fn arbitrary_bytes_parse_as_serde_json_does(data in prop::collection::vec(any::<u8>(), 0..64)) {
            let flat = FlatEvent::from_slice(&data);
            prop_assert_eq!(flat.is_ok(), serde_json::from_slice::<serde_json::Value>(&data).is_ok());
        }
    }
}
