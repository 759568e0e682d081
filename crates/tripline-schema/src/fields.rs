//! Vendor fields the schema does not model: a small JSON-like tree with compact strings.
//!
//! `Event::unmapped` used to be a `serde_json::Map`; every key and every string value then cost
//! a heap allocation, and building the vendor maps was most of what normalization spent.
//! [`Fields`] keeps its entries in a `Vec` sorted by key (vendor maps are small, so a binary
//! search beats a tree, and the serialized order is the sorted order a `BTreeMap` gave), and
//! [`Text`] keeps strings of up to 24 bytes inline. The JSON shape is unchanged.
//!
//! A map can also stay JSON text until it is first read ([`Fields::lazy`], written with
//! [`ObjectWriter`](crate::ObjectWriter)): sources keep their leftovers that way, because most consumers never
//! read them, and building their tree was what normalizing a Tracee event spent most on.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A string that stores up to 24 bytes inline (no allocation) and derefs to `str`.
pub type Text = compact_str::CompactString;

/// A map of vendor fields, sorted by key.
///
/// Either built entry by entry, or kept as the JSON object text it was written as
/// ([`Fields::lazy`]) and parsed the first time anything reads it; the two compare,
/// serialize and read alike.
#[derive(Clone, Default)]
pub struct Fields(Repr);

/// How a [`Fields`] holds its entries.
#[derive(Clone)]
enum Repr {
    /// Entries sorted by key, unique.
    Built(Vec<(Text, Field)>),
    /// JSON object text, parsed into entries on first read (boxed: the rare case keeps
    /// `Fields` the size of a `Vec`).
    Lazy(Box<Lazy>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Built(Vec::new())
    }
}

/// A map still in JSON text.
#[derive(Clone)]
struct Lazy {
    json: String,
    parsed: OnceLock<Vec<(Text, Field)>>,
}

/// Key under which a lazy map that is not valid JSON object text keeps that text, so
/// nothing is lost (sources only write valid text; this is a guard, not a format).
pub const INVALID_JSON_KEY: &str = "_invalid_json";

/// The entries of JSON object text: sorted, the last of repeated keys kept, as
/// [`Deserialize`] reads them.
///
/// Text a source copied from its input can be valid JSON syntax that still does not parse
/// into values (a number out of range, a lone surrogate escape, nesting past the parser's
/// limit). Then the members are read one by one and a value that does not parse keeps
/// its JSON text as a string, at the deepest object or array it stands in; text that is
/// not a JSON object at all becomes one entry, [`INVALID_JSON_KEY`].
fn parse_object(json: &str) -> Vec<(Text, Field)> {
    match lenient_value(json) {
        Field::Map(m) => m.into_entries(),
        _ => vec![(
            Text::const_new(INVALID_JSON_KEY),
            Field::Str(Text::from(json)),
        )],
    }
}

/// A value of valid JSON syntax: parsed, or (when it does not parse) an object or array
/// read member by member, or a scalar kept as its text.
fn lenient_value(json: &str) -> Field {
    if let Ok(f) = serde_json::from_str::<Field>(json) {
        return f;
    }
    match json
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .as_bytes()
        .first()
    {
        Some(b'{') => {
            if let Ok(m) = serde_json::from_str::<RawMembers<'_>>(json) {
                return Field::Map(Fields::from_entries(
                    m.0.into_iter()
                        .map(|(k, v)| (k, lenient_value(v.get())))
                        .collect(),
                ));
            }
        }
        Some(b'[') => {
            if let Ok(items) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(json) {
                return Field::List(items.into_iter().map(|v| lenient_value(v.get())).collect());
            }
        }
        _ => {}
    }
    Field::Str(Text::from(json))
}

/// An object's members with their values as raw JSON text (syntax checked, not parsed).
struct RawMembers<'a>(Vec<(Text, &'a serde_json::value::RawValue)>);

impl<'de> Deserialize<'de> for RawMembers<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawMembers<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawMembers<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<KeyText>()? {
                    out.push((k.0, map.next_value()?));
                }
                Ok(RawMembers(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Whether JSON text is `{}` (whitespace aside): an empty lazy map, known without a parse.
fn is_empty_object(json: &str) -> bool {
    json.bytes()
        .filter(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .eq(*b"{}")
}

/// One vendor field value: the JSON data model with [`Text`] strings.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub enum Field {
    /// JSON `null`.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, exact as JSON carries it (64-bit integers stay integers).
    Number(serde_json::Number),
    /// A string.
    Str(Text),
    /// An array.
    List(Vec<Field>),
    /// An object.
    Map(Fields),
}

static NULL: Field = Field::Null;

/// The first (up to) eight bytes of `b`, big-endian, zero-padded.
///
/// For two byte strings whose prefixes differ, comparing these integers gives their
/// byte-lexicographic order: at the first differing position both bytes are real (the
/// order of those bytes), or the shorter string has ended there (a zero pad against a
/// byte that is then non-zero, since the padded prefixes differ) and is a proper prefix
/// of the other, so it sorts first either way.
#[inline]
pub(crate) fn prefix(b: &[u8]) -> u64 {
    if let Some(head) = b.first_chunk::<8>() {
        return u64::from_be_bytes(*head);
    }
    // Shorter keys: two overlapping loads that together cover every byte (an overlap
    // ORs a byte with itself), instead of a loop per byte.
    let n = b.len();
    if let (Some(head), Some(tail)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        let at = |w: &[u8; 4]| u64::from(u32::from_be_bytes(*w));
        return at(head) << 32 | at(tail) << (8 * (8 - n));
    }
    match b {
        [] => 0,
        [first, ..] => {
            let byte = |i: usize| u64::from(b[i]) << (56 - 8 * i);
            u64::from(*first) << 56 | byte(n / 2) | byte(n - 1)
        }
    }
}

/// Byte-lexicographic order of two keys (exactly `a.cmp(b)` on `str`), deciding most
/// pairs of short keys from their first eight bytes without a `memcmp` call.
#[inline]
fn key_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match prefix(a).cmp(&prefix(b)) {
        Ordering::Equal => a.cmp(b),
        o => o,
    }
}

/// Where `key` is (or would go) in entries sorted by [`key_cmp`]: the binary search behind
/// [`Fields`] and [`crate::TextMap`].
#[inline]
pub(crate) fn sorted_position<V>(entries: &[(Text, V)], key: &str) -> Result<usize, usize> {
    // The needle's prefix once, not per probe.
    let (needle, head) = (key.as_bytes(), prefix(key.as_bytes()));
    entries.binary_search_by(|(k, _)| {
        let k = k.as_bytes();
        match prefix(k).cmp(&head) {
            Ordering::Equal => k.cmp(needle),
            o => o,
        }
    })
}

/// Sets `key` to `value` in entries sorted by key, returning the value replaced. Inserts
/// mostly come in key order, so appending is tried first with one comparison.
#[inline]
pub(crate) fn sorted_insert<V>(entries: &mut Vec<(Text, V)>, key: Text, value: V) -> Option<V> {
    if entries
        .last()
        .is_none_or(|(k, _)| key_cmp(k, &key) == Ordering::Less)
    {
        entries.push((key, value));
        return None;
    }
    sorted_insert_searched(entries, key, value)
}

/// The general case of [`sorted_insert`]: binary search, then replace or shift.
#[cold]
#[inline(never)]
fn sorted_insert_searched<V>(entries: &mut Vec<(Text, V)>, key: Text, value: V) -> Option<V> {
    match sorted_position(entries, &key) {
        Ok(i) => Some(std::mem::replace(&mut entries[i].1, value)),
        Err(i) => {
            entries.insert(i, (key, value));
            None
        }
    }
}

impl Fields {
    /// An empty map.
    pub const fn new() -> Self {
        Fields(Repr::Built(Vec::new()))
    }

    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Fields(Repr::Built(Vec::with_capacity(n)))
    }

    /// A map kept as JSON object text and parsed when first read: its keys then sort, and
    /// a key given twice keeps its last value, exactly as deserializing the text gives.
    /// Text that is not a JSON object becomes one entry, [`INVALID_JSON_KEY`], holding it;
    /// a value of valid syntax that does not parse (a number out of range) keeps its text
    /// as a string.
    ///
    /// ```
    /// use tripline_schema::Fields;
    ///
    /// let m = Fields::lazy(r#"{"b":1,"a":{"x":"y"},"b":2}"#.to_string());
    /// assert_eq!(m["a"]["x"], "y");
    /// assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"a":{"x":"y"},"b":2}"#);
    /// ```
    pub fn lazy(json: String) -> Fields {
        Fields(Repr::Lazy(Box::new(Lazy {
            json,
            parsed: OnceLock::new(),
        })))
    }

    /// The entries, sorted (a lazy map is parsed here, once).
    #[inline]
    fn entries(&self) -> &[(Text, Field)] {
        match &self.0 {
            Repr::Built(v) => v,
            Repr::Lazy(l) => l.parsed.get_or_init(|| parse_object(&l.json)),
        }
    }

    /// The entries to change (a lazy map becomes a built one).
    #[inline]
    fn entries_mut(&mut self) -> &mut Vec<(Text, Field)> {
        if let Repr::Lazy(l) = &mut self.0 {
            let v = l.parsed.take().unwrap_or_else(|| parse_object(&l.json));
            self.0 = Repr::Built(v);
        }
        match &mut self.0 {
            Repr::Built(v) => v,
            Repr::Lazy(_) => unreachable!("made a built map above"),
        }
    }

    /// The entries, taken out.
    fn into_entries(self) -> Vec<(Text, Field)> {
        match self.0 {
            Repr::Built(v) => v,
            Repr::Lazy(l) => {
                let Lazy { json, parsed } = *l;
                parsed.into_inner().unwrap_or_else(|| parse_object(&json))
            }
        }
    }

    /// Whether the map is still unparsed JSON text ([`Fields::lazy`], not read yet).
    pub fn is_unparsed(&self) -> bool {
        matches!(&self.0, Repr::Lazy(l) if l.parsed.get().is_none())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    /// Whether the map has no entries (an unparsed map answers without parsing).
    pub fn is_empty(&self) -> bool {
        match &self.0 {
            Repr::Built(v) => v.is_empty(),
            Repr::Lazy(l) => match l.parsed.get() {
                Some(v) => v.is_empty(),
                None => is_empty_object(&l.json),
            },
        }
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        sorted_position(self.entries(), key)
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Field> {
        let e = self.entries();
        sorted_position(e, key).ok().map(|i| &e[i].1)
    }

    /// The value under `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Field> {
        let e = self.entries_mut();
        sorted_position(e, key).ok().map(|i| &mut e[i].1)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`, returning the previous value. A key that sorts after every key
    /// present is appended with one comparison, so building a map from entries that mostly
    /// arrive in key order is cheap; any order gives the same map.
    ///
    /// ```
    /// use tripline_schema::{Field, Fields};
    ///
    /// let mut m = Fields::new();
    /// for (k, v) in [("a", 1u64), ("b", 2), ("b", 3), ("A", 4)] {
    ///     m.insert(k, v);
    /// }
    /// assert_eq!(m.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["A", "a", "b"]);
    /// assert_eq!(m["b"], 3u64);
    /// ```
    pub fn insert(&mut self, key: impl Into<Text>, value: impl Into<Field>) -> Option<Field> {
        self.insert_text(key.into(), value.into())
    }

    #[inline]
    fn insert_text(&mut self, key: Text, value: Field) -> Option<Field> {
        sorted_insert(self.entries_mut(), key, value)
    }

    /// A map from entries expected in strictly increasing key order, taking the `Vec` as
    /// it is (no copy, no search) when they are; entries in any other order give the map
    /// [`Fields::from_entries`] gives (sorted, the last of equal keys kept).
    pub fn from_sorted(entries: Vec<(Text, Field)>) -> Fields {
        if entries
            .windows(2)
            .all(|w| key_cmp(&w[0].0, &w[1].0) == Ordering::Less)
        {
            Fields(Repr::Built(entries))
        } else {
            Fields::from_entries(entries)
        }
    }

    /// A map from entries in any order; a key given twice keeps its last value (as JSON
    /// readers do). One sort instead of a sorted insert per entry.
    pub fn from_entries(mut entries: Vec<(Text, Field)>) -> Fields {
        // Stable: equal keys keep their input order, so the last one is the one kept below.
        // A sort compares each key many times: one `memcmp` each beats recomputing prefixes.
        entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        // In place: of a run of equal keys the first slot stays, holding the last value.
        entries.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                std::mem::swap(&mut later.1, &mut kept.1);
                true
            } else {
                false
            }
        });
        Fields(Repr::Built(entries))
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Field> {
        let e = self.entries_mut();
        sorted_position(e, key).ok().map(|i| e.remove(i).1)
    }

    /// The value under `key`, inserting `default()` first when missing.
    pub fn entry_or_insert_with(
        &mut self,
        key: &str,
        default: impl FnOnce() -> Field,
    ) -> &mut Field {
        let e = self.entries_mut();
        let i = match sorted_position(e, key) {
            Ok(i) => i,
            Err(i) => {
                e.insert(i, (Text::from(key), default()));
                i
            }
        };
        &mut e[i].1
    }

    /// The object under `key`, created when missing; a non-object value found there is kept
    /// as `{"value": old}` so nothing is lost.
    pub fn map_mut(&mut self, key: &str) -> &mut Fields {
        let slot = self.entry_or_insert_with(key, || Field::Map(Fields::new()));
        if !matches!(slot, Field::Map(_)) {
            let old = std::mem::take(slot);
            let mut m = Fields::new();
            m.insert("value", old);
            *slot = Field::Map(m);
        }
        match slot {
            Field::Map(m) => m,
            _ => unreachable!("just made a map"),
        }
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Text, &Field)> + '_ {
        self.entries().iter().map(|(k, v)| (k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Text> + '_ {
        self.entries().iter().map(|(k, _)| k)
    }

    /// The map as a `serde_json` object.
    pub fn to_json_map(&self) -> serde_json::Map<String, serde_json::Value> {
        self.entries()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_json()))
            .collect()
    }
}

impl Field {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Field::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as `i64`, if it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Field::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The number as `u64`, if it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Field::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The number as `f64`, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Field::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_map(&self) -> Option<&Fields> {
        match self {
            Field::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The object, mutably, if this is one.
    pub fn as_map_mut(&mut self) -> Option<&mut Fields> {
        match self {
            Field::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_list(&self) -> Option<&[Field]> {
        match self {
            Field::List(l) => Some(l),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// Whether this is an object.
    pub fn is_map(&self) -> bool {
        matches!(self, Field::Map(_))
    }

    /// The value under `key` when this is an object.
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.as_map()?.get(key)
    }

    /// The value as `serde_json`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Field::Null => J::Null,
            Field::Bool(b) => J::Bool(*b),
            Field::Number(n) => J::Number(n.clone()),
            Field::Str(s) => J::String(s.to_string()),
            Field::List(l) => J::Array(l.iter().map(Field::to_json).collect()),
            Field::Map(m) => J::Object(m.to_json_map()),
        }
    }

    /// Parses JSON text into a field (keys sorted, strings compact).
    pub fn from_json_str(s: &str) -> serde_json::Result<Field> {
        serde_json::from_str(s)
    }
}

// ---- conversions -------------------------------------------------------------------------

impl From<serde_json::Value> for Field {
    fn from(v: serde_json::Value) -> Self {
        use serde_json::Value as J;
        match v {
            J::Null => Field::Null,
            J::Bool(b) => Field::Bool(b),
            J::Number(n) => Field::Number(n),
            J::String(s) => Field::Str(s.into()),
            J::Array(a) => Field::List(a.into_iter().map(Field::from).collect()),
            J::Object(o) => Field::Map(o.into_iter().collect()),
        }
    }
}

impl From<&serde_json::Value> for Field {
    fn from(v: &serde_json::Value) -> Self {
        use serde_json::Value as J;
        match v {
            J::Null => Field::Null,
            J::Bool(b) => Field::Bool(*b),
            J::Number(n) => Field::Number(n.clone()),
            J::String(s) => Field::Str(s.as_str().into()),
            J::Array(a) => Field::List(a.iter().map(Field::from).collect()),
            J::Object(o) => Field::Map(o.iter().map(|(k, v)| (k.as_str(), v)).collect()),
        }
    }
}

impl From<&str> for Field {
    fn from(s: &str) -> Self {
        Field::Str(s.into())
    }
}

impl From<String> for Field {
    fn from(s: String) -> Self {
        Field::Str(s.into())
    }
}

impl From<&String> for Field {
    fn from(s: &String) -> Self {
        Field::Str(s.as_str().into())
    }
}

impl From<Text> for Field {
    fn from(s: Text) -> Self {
        Field::Str(s)
    }
}

impl From<&Text> for Field {
    fn from(s: &Text) -> Self {
        Field::Str(s.clone())
    }
}

impl From<std::borrow::Cow<'_, str>> for Field {
    fn from(s: std::borrow::Cow<'_, str>) -> Self {
        Field::Str(s.into())
    }
}

impl From<bool> for Field {
    fn from(b: bool) -> Self {
        Field::Bool(b)
    }
}

macro_rules! from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Field {
            fn from(n: $t) -> Self {
                Field::Number(n.into())
            }
        }
    )*};
}
from_number!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl From<f64> for Field {
    /// Non-finite numbers become `null`, as in JSON.
    fn from(f: f64) -> Self {
        serde_json::Number::from_f64(f).map_or(Field::Null, Field::Number)
    }
}

impl From<Fields> for Field {
    fn from(m: Fields) -> Self {
        Field::Map(m)
    }
}

impl<T: Into<Field>> From<Vec<T>> for Field {
    fn from(v: Vec<T>) -> Self {
        Field::List(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Field>> From<Option<T>> for Field {
    fn from(v: Option<T>) -> Self {
        v.map_or(Field::Null, Into::into)
    }
}

impl<K: Into<Text>, V: Into<Field>> FromIterator<(K, V)> for Fields {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut m = Fields::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl<K: Into<Text>, V: Into<Field>> Extend<(K, V)> for Fields {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a Text, &'a Field);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Text, Field)>,
        fn(&'a (Text, Field)) -> (&'a Text, &'a Field),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries().iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for Fields {
    type Item = (Text, Field);
    type IntoIter = std::vec::IntoIter<(Text, Field)>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_entries().into_iter()
    }
}

impl PartialEq for Fields {
    /// Equal entries, however each map holds them (a lazy map is parsed to compare).
    fn eq(&self, other: &Fields) -> bool {
        self.entries() == other.entries()
    }
}

// ---- indexing and comparisons (mirror serde_json::Value, so tests read the same) ----------

impl std::ops::Index<&str> for Fields {
    type Output = Field;
    /// The value under `key`, or `null` when missing.
    fn index(&self, key: &str) -> &Field {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<&str> for Field {
    type Output = Field;
    /// The value under `key` of an object, or `null`.
    fn index(&self, key: &str) -> &Field {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Field {
    type Output = Field;
    /// The element of an array, or `null`.
    fn index(&self, i: usize) -> &Field {
        self.as_list().and_then(|l| l.get(i)).unwrap_or(&NULL)
    }
}

impl PartialEq<str> for Field {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Field {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<bool> for Field {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl PartialEq<i64> for Field {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl PartialEq<u64> for Field {
    fn eq(&self, other: &u64) -> bool {
        self.as_u64() == Some(*other)
    }
}

impl PartialEq<i32> for Field {
    fn eq(&self, other: &i32) -> bool {
        self.as_i64() == Some(i64::from(*other))
    }
}

impl PartialEq<serde_json::Value> for Field {
    fn eq(&self, other: &serde_json::Value) -> bool {
        use serde_json::Value as J;
        match (self, other) {
            (Field::Null, J::Null) => true,
            (Field::Bool(a), J::Bool(b)) => a == b,
            (Field::Number(a), J::Number(b)) => a == b,
            (Field::Str(a), J::String(b)) => a == b,
            (Field::List(a), J::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Field::Map(a), J::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k.as_str()).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

// ---- formatting ----------------------------------------------------------------------------

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Null => f.write_str("Null"),
            Field::Bool(b) => write!(f, "{b}"),
            Field::Number(n) => write!(f, "{n}"),
            Field::Str(s) => write!(f, "{:?}", s.as_str()),
            Field::List(l) => f.debug_list().entries(l).finish(),
            Field::Map(m) => m.fmt(f),
        }
    }
}

impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries().iter().map(|(k, v)| (k.as_str(), v)))
            .finish()
    }
}

impl fmt::Display for Field {
    /// Compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&s)
    }
}

// ---- serde --------------------------------------------------------------------------------

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.entries();
        let mut m = s.serialize_map(Some(e.len()))?;
        for (k, v) in e {
            m.serialize_entry(k.as_str(), v)?;
        }
        m.end()
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Null => s.serialize_unit(),
            Field::Bool(b) => s.serialize_bool(*b),
            Field::Number(n) => n.serialize(s),
            Field::Str(t) => s.serialize_str(t),
            Field::List(l) => {
                let mut q = s.serialize_seq(Some(l.len()))?;
                for v in l {
                    q.serialize_element(v)?;
                }
                q.end()
            }
            Field::Map(m) => m.serialize(s),
        }
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Field, E> {
        Ok(Field::Null)
    }
    fn visit_none<E>(self) -> Result<Field, E> {
        Ok(Field::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field, D::Error> {
        Field::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Field, E> {
        Ok(Field::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Field, E> {
        Ok(Field::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Field, E> {
        Ok(Field::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Field, E> {
        Ok(Field::from(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Field, E> {
        Ok(Field::Str(s.into()))
    }
    fn visit_string<E>(self, s: String) -> Result<Field, E> {
        Ok(Field::Str(s.into()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element::<Field>()? {
            out.push(v);
        }
        Ok(Field::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Field, A::Error> {
        FieldsVisitor.visit_map(map).map(Field::Map)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(k) = map.next_key::<KeyText>()? {
            let v = map.next_value::<Field>()?;
            entries.push((k.0, v));
        }
        Ok(Fields::from_entries(entries))
    }
}

/// A map key deserialized straight into [`Text`] (borrowed or not).
struct KeyText(Text);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<KeyText, E> {
                Ok(KeyText(s.into()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<KeyText, E> {
                Ok(KeyText(s.into()))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fields, D::Error> {
        d.deserialize_map(FieldsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_the_zero_padded_big_endian_head() {
        let bytes = b"\x01\x80abcdefghij\xff";
        for start in 0..bytes.len() {
            for end in start..=bytes.len() {
                let b = &bytes[start..end];
                let mut pad = [0u8; 8];
                let n = b.len().min(8);
                pad[..n].copy_from_slice(&b[..n]);
                assert_eq!(prefix(b), u64::from_be_bytes(pad), "{b:?}");
            }
        }
    }

    #[test]
    fn sorted_insert_replace_and_json_round_trip() {
        let mut m = Fields::new();
        assert_eq!(m.insert("b", 1u64), None);
        m.insert("a", "x");
        m.insert("c", vec![Field::Null, true.into()]);
        assert_eq!(m.insert("b", 2u64), Some(Field::from(1u64)));
        assert_eq!(
            m.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(text, r#"{"a":"x","b":2,"c":[null,true]}"#);
        let back: Fields = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m);
        assert_eq!(m["a"], "x");
        assert!(m["missing"].is_null());
        assert_eq!(
            Field::Map(m.clone()),
            serde_json::json!({"a":"x","b":2,"c":[null,true]})
        );
    }

    #[test]
    fn exact_integers_and_nested_objects_survive() {
        let f = Field::from_json_str(r#"{"t":1700000000123456789,"n":{"k":-3,"f":1.5}}"#).unwrap();
        assert_eq!(f["t"].as_u64(), Some(1_700_000_000_123_456_789));
        assert_eq!(f["n"]["k"], -3i64);
        assert_eq!(f["n"]["f"].as_f64(), Some(1.5));
        assert_eq!(
            f.to_json()["t"],
            serde_json::json!(1_700_000_000_123_456_789u64)
        );
    }

    #[test]
    fn unsorted_input_and_duplicate_keys_keep_the_last_value() {
        let f: Fields = serde_json::from_str(r#"{"b":1,"a":2,"b":3,"c":{"z":1,"y":2}}"#).unwrap();
        assert_eq!(
            f.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(f["b"], 3u64);
        assert_eq!(serde_json::to_string(&f["c"]).unwrap(), r#"{"y":2,"z":1}"#);
        let mut m = Fields::new();
        for (k, v) in [("a", 1u64), ("c", 3), ("b", 2), ("c", 4), ("d", 5)] {
            m.insert(k, v);
        }
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"a":1,"b":2,"c":4,"d":5}"#
        );
    }

    #[test]
    fn a_lazy_value_that_does_not_parse_keeps_its_text_after_leading_space() {
        let m = Fields::lazy(" \n{\"a\":1e999,\"b\":[2,1e999]}".to_string());
        assert_eq!(m["a"], "1e999");
        assert_eq!(m["b"][0], 2u64);
        assert_eq!(m["b"][1], "1e999");
        let bad = Fields::lazy("{\"a\":".to_string());
        assert_eq!(bad[INVALID_JSON_KEY], "{\"a\":");
    }

    #[test]
    fn map_mut_keeps_a_scalar_it_replaces() {
        let mut m = Fields::new();
        m.insert("v", 7u64);
        m.map_mut("v").insert("k", "x");
        assert_eq!(m["v"]["value"], 7u64);
        assert_eq!(m["v"]["k"], "x");
    }

    #[test]
    fn key_order_is_byte_order_at_the_prefix_edges() {
        let keys = [
            "",
            "\0",
            "\0\0",
            "a",
            "a\0",
            "a\0\0\0\0\0\0\0",
            "a\0\0\0\0\0\0\0\0",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefgha",
            "abcdefghb",
            "abcdefgi",
            "abcdefg",
            "\u{ff}",
            "\u{7f}",
            "Z",
            "é",
            "ID",
            "QR",
            "opCode",
        ];
        for a in keys {
            for b in keys {
                assert_eq!(key_cmp(a, b), a.as_bytes().cmp(b.as_bytes()), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn from_sorted_and_from_entries_match_insert() {
        let entries = [
            ("b", 1u64),
            ("a", 2),
            ("c", 3),
            ("b", 4),
            ("d", 5),
            ("d", 6),
        ];
        let mut want = Fields::new();
        for (k, v) in entries {
            want.insert(k, v);
        }
        let list = entries
            .iter()
            .map(|(k, v)| (Text::from(*k), Field::from(*v)))
            .collect::<Vec<_>>();
        assert_eq!(Fields::from_sorted(list.clone()), want);
        assert_eq!(Fields::from_entries(list), want);
        let sorted = vec![
            (Text::from("a"), Field::Null),
            (Text::from("b"), true.into()),
        ];
        assert_eq!(
            Fields::from_sorted(sorted)
                .keys()
                .map(|k| k.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn key() -> impl Strategy<Value = String> {
            prop_oneof![
                "[ab\u{0}]{0,10}",
                "[a-zA-Z_]{0,12}",
                ".{0,10}",
                Just("abcdefgh".to_string()),
            ]
        }

        fn json_tree() -> impl Strategy<Value = serde_json::Value> {
            crate::testgen::json_tree(key().boxed(), ".{0,6}")
        }

        /// JSON object text with repeated keys and whitespace a writer may leave.
        fn object_text() -> impl Strategy<Value = String> {
            prop::collection::vec((key(), json_tree(), any::<bool>()), 0..6).prop_map(|members| {
                let body: Vec<String> = members
                    .iter()
                    .map(|(k, v, spaced)| {
                        let (k, v) = (serde_json::to_string(k).unwrap(), v.to_string());
                        if *spaced {
                            format!(" {k} : {v} ")
                        } else {
                            format!("{k}:{v}")
                        }
                    })
                    .collect();
                format!("{{{}}}", body.join(","))
            })
        }

        proptest! {
            #[test]
            fn a_lazy_map_reads_as_the_deserialized_text(text in object_text(), mutate in any::<bool>()) {
                let built: Fields = serde_json::from_str(&text).unwrap();
                let mut lazy = Fields::lazy(text.clone());
                prop_assert!(lazy.is_unparsed());
                prop_assert_eq!(lazy.is_empty(), built.is_empty());
                prop_assert!(lazy.is_unparsed());
                if mutate {
                    let mut b = built.clone();
                    b.insert("zz", 1u64);
                    lazy.insert("zz", 1u64);
                    prop_assert_eq!(&lazy, &b);
                } else {
                    prop_assert_eq!(
                        serde_json::to_string(&lazy).unwrap(),
                        serde_json::to_string(&built).unwrap()
                    );
                    prop_assert_eq!(lazy.len(), built.len());
                    for (k, v) in built.iter() {
                        prop_assert_eq!(lazy.get(k), Some(v));
                    }
                    prop_assert_eq!(lazy.clone().into_iter().collect::<Fields>(), built);
                }
            }

            #[test]
            fn a_written_map_reads_as_inserting_its_members(
                members in prop::collection::vec((key(), ".{0,8}", any::<i64>(), 0u8..4), 0..8),
            ) {
                let mut w = crate::ObjectWriter::with_capacity(0);
                let mut want = Fields::new();
                for (k, s, n, kind) in &members {
                    match kind {
                        0 => { w.str(k, s); want.insert(k.as_str(), s.as_str()); }
                        1 => { w.i64(k, *n); want.insert(k.as_str(), *n); }
                        2 => { w.raw(k, &serde_json::to_string(s).unwrap()); want.insert(k.as_str(), s.as_str()); }
                        _ => { w.open(k); w.str(s, k); w.close(); want.insert(k.as_str(), Fields::from_iter([(s.as_str(), k.as_str())])); }
                    }
                }
                prop_assert_eq!(w.finish(), want);
            }

            #[test]
            fn values_that_do_not_parse_keep_their_text(
                members in prop::collection::btree_map(key(), json_tree(), 0..5),
                at in any::<prop::sample::Index>(),
            ) {
                // Unique keys, so no later member hides the one changed below.
                let text = serde_json::Value::Object(members.into_iter().collect()).to_string();
                // Give one object (the outer one or a nested one) a member whose number is
                // out of range; a `{` inside a string breaks the syntax, and is skipped.
                let spots: Vec<usize> = text.match_indices('{').map(|(i, _)| i + 1).collect();
                let i = spots[at.index(spots.len())];
                let sep = if text[i..].starts_with('}') { "" } else { "," };
                let text = format!("{}\"~bad\":1e999999{sep}{}", &text[..i], &text[i..]);
                let m = Fields::lazy(text.clone());
                if serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok() {
                    let out = serde_json::to_string(&m).unwrap();
                    prop_assert!(out.contains(r#""~bad":"1e999999""#), "{} -> {}", text, out);
                    prop_assert!(!m.contains_key(INVALID_JSON_KEY));
                }
            }

            #[test]
            fn arbitrary_text_as_a_lazy_map_never_loses_it(text in ".{0,40}") {
                let m = Fields::lazy(text.clone());
                match serde_json::from_str::<Fields>(&text) {
                    Ok(b) => prop_assert_eq!(m, b),
                    // Not an object of valid syntax: kept whole. (Valid syntax whose values
                    // do not parse is read member by member, tested above.)
                    Err(_) if serde_json::from_str::<RawMembers<'_>>(&text).is_err() => {
                        prop_assert_eq!(m.len(), 1);
                        prop_assert_eq!(&m[INVALID_JSON_KEY], text.as_str());
                    }
                    Err(_) => prop_assert!(!m.contains_key(INVALID_JSON_KEY)),
                }
            }

            #[test]
            fn key_cmp_is_byte_order(a in key(), b in key()) {
                prop_assert_eq!(key_cmp(&a, &b), a.as_bytes().cmp(b.as_bytes()));
            }

            #[test]
            fn every_build_path_gives_the_insert_map(
                entries in proptest::collection::vec((key(), 0u64..4), 0..24),
                presort in any::<bool>(),
            ) {
                let mut entries = entries;
                if presort {
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                }
                let mut want = Fields::new();
                for (k, v) in &entries {
                    want.insert(k.as_str(), *v);
                }
                // Sorted, unique, and the last value of each key (a BTreeMap's view).
                let oracle: std::collections::BTreeMap<&[u8], u64> =
                    entries.iter().map(|(k, v)| (k.as_bytes(), *v)).collect();
                let got: Vec<(&[u8], u64)> = want
                    .iter()
                    .map(|(k, v)| (k.as_bytes(), v.as_u64().unwrap_or(u64::MAX)))
                    .collect();
                prop_assert_eq!(got, oracle.into_iter().collect::<Vec<_>>());
                let list: Vec<(Text, Field)> = entries
                    .iter()
                    .map(|(k, v)| (Text::from(k.as_str()), Field::from(*v)))
                    .collect();
                prop_assert_eq!(&Fields::from_sorted(list.clone()), &want);
                prop_assert_eq!(&Fields::from_entries(list), &want);
            }
        }
    }
}
