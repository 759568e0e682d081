//! Small borrowed JSON helpers: raw values, ordered raw maps, lazily decoded scalars, and the
//! tolerant number reading Tracee needs (numbers that arrive as strings, hex pointers,
//! `{value:n}` wrappers from protobuf JSON).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::scan::Scanner;

/// The text of one JSON value, validated when it was read and decoded only on demand.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RawJson<'a>(&'a str);

impl<'a> RawJson<'a> {
    /// Text the caller has already validated as one JSON value.
    pub(crate) fn new_unchecked(text: &'a str) -> Self {
        RawJson(text)
    }

    /// `text` as a raw value when it is exactly one valid JSON value (surrounding whitespace
    /// is trimmed).
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut sc = Scanner::new(text);
        let raw = sc.raw().ok()?;
        sc.end().ok()?;
        Some(raw)
    }

    /// The JSON text.
    pub fn get(&self) -> &'a str {
        self.0
    }
}

impl fmt::Debug for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawJson").field(&self.0).finish()
    }
}

impl fmt::Display for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawJson<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de RawValue>::deserialize(d).map(|r| RawJson(r.get()))
    }
}

/// A JSON object kept as ordered `(key, raw value)` pairs; values are decoded on demand.
#[derive(Debug, Clone, Default)]
pub struct RawMap<'a>(pub Vec<(Cow<'a, str>, RawJson<'a>)>);

impl<'a> RawMap<'a> {
    /// The raw value of `key` (first occurrence).
    pub fn get(&self, key: &str) -> Option<RawJson<'a>> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The members of a raw JSON object; `None` when it is not one (or a key does not
    /// decode).
    pub fn parse(raw: RawJson<'a>) -> Option<Self> {
        let mut sc = Scanner::new(raw.get());
        sc.ws();
        let mut out = Vec::new();
        let mut first = true;
        sc.obj_start().ok()?;
        while let Some(k) = sc.obj_key(&mut first).ok()? {
            out.push((k, sc.raw().ok()?));
        }
        Some(RawMap(out))
    }

    /// The string value of `key`; `None` when absent, null or not a string.
    pub fn str(&self, key: &str) -> Option<Cow<'a, str>> {
        self.get(key).and_then(raw_str)
    }

    /// The keys, in input order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for RawMap<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = RawMap<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(RawMap::default())
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::with_capacity(m.size_hint().unwrap_or(8).min(64));
                while let Some(Key(k)) = m.next_key::<Key<'de>>()? {
                    let v: RawJson<'de> = m.next_value()?;
                    out.push((k, v));
                }
                Ok(RawMap(out))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Deserializes a raw value that may be absent (`None`) or `null` (`Some("null")`).
pub(crate) fn raw_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RawJson<'de>>, D::Error> {
    RawJson::deserialize(d).map(Some)
}

/// A JSON string decoded, borrowed when it has no escapes.
pub fn raw_str(raw: RawJson<'_>) -> Option<Cow<'_, str>> {
    let s = raw.get();
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    if memchr::memchr(b'\\', inner.as_bytes()).is_none() {
        return Some(Cow::Borrowed(inner));
    }
    crate::scan::unescape(inner).map(Cow::Owned)
}

/// Whether the raw value is JSON `null`.
pub fn raw_is_null(raw: RawJson<'_>) -> bool {
    raw.get() == "null"
}

/// An integer from a JSON number, a numeric string (decimal, `0x` hex, `-` sign), or a
/// protobuf wrapper object `{"value": n}`.
pub fn flex_i64(raw: RawJson<'_>) -> Option<i64> {
    let s = raw.get();
    match s.as_bytes().first()? {
        b'"' => parse_int_text(&raw_str(raw)?),
        b'{' => flex_i64(RawMap::parse(raw)?.get("value")?),
        b'-' | b'0'..=b'9' => s.parse::<i64>().ok().or_else(|| {
            // Float forms (`1e3`, `5.0`) of integral values.
            let f = s.parse::<f64>().ok()?;
            (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
        }),
        _ => None,
    }
}

/// Like [`flex_i64`] but unsigned, so values above `i64::MAX` survive.
pub fn flex_u64(raw: RawJson<'_>) -> Option<u64> {
    let s = raw.get();
    match s.as_bytes().first()? {
        b'0'..=b'9' => s.parse::<u64>().ok(),
        b'"' => {
            let t = raw_str(raw)?;
            let t = t.trim();
            if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                u64::from_str_radix(h, 16).ok()
            } else {
                t.parse::<u64>().ok()
            }
        }
        _ => flex_i64(raw).and_then(|i| u64::try_from(i).ok()),
    }
}

/// Parses decimal or `0x` hex text, with an optional sign.
pub fn parse_int_text(t: &str) -> Option<i64> {
    let t = t.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::try_from(u64::from_str_radix(h, 16).ok()?).ok()?
    } else {
        body.parse::<i64>().ok()?
    };
    Some(if neg { v.checked_neg()? } else { v })
}

/// A boolean from `true`/`false`, `"true"`/`"false"`, or 0/1.
pub fn flex_bool(raw: RawJson<'_>) -> Option<bool> {
    match raw.get() {
        "true" | "\"true\"" | "1" => Some(true),
        "false" | "\"false\"" | "0" => Some(false),
        _ => None,
    }
}

/// Strings of a JSON array of strings; `None` unless every element is a string.
pub fn raw_str_list(raw: RawJson<'_>) -> Option<Vec<Cow<'_, str>>> {
    let mut sc = Scanner::new(raw.get());
    let mut out = Vec::new();
    let mut first = true;
    sc.arr_start().ok()?;
    while sc.arr_next(&mut first).ok()? {
        out.push(sc.string().ok()?);
    }
    Some(out)
}

#[derive(Deserialize)]
struct BorrowedStr<'a>(#[serde(borrow)] Cow<'a, str>);

/// Deserializes an optional string borrowed from the input when it has no escapes.
///
/// serde borrows a `Cow<str>` only when the field's type is exactly `Cow<str>`; inside an
/// `Option` or a `Vec` it always allocates an owned copy, so those fields come through here.
pub(crate) fn opt_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    Ok(Option::<BorrowedStr<'de>>::deserialize(d)?.map(|b| b.0))
}

/// Deserializes an optional list of strings, each borrowed when it has no escapes.
pub(crate) fn opt_str_vec<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<Cow<'de, str>>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Vec<Cow<'de, str>>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of strings or null")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_seq(self)
        }
        fn visit_seq<S: de::SeqAccess<'de>>(self, mut s: S) -> Result<Self::Value, S::Error> {
            let mut out = Vec::with_capacity(s.size_hint().unwrap_or(0).min(64));
            while let Some(BorrowedStr(v)) = s.next_element()? {
                out.push(v);
            }
            Ok(Some(out))
        }
    }
    d.deserialize_option(V)
}

/// Clips text for an error message (at most 40 bytes, on a char boundary).
pub(crate) fn clip(s: &str) -> &str {
    let mut end = s.len().min(40);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> RawJson<'_> {
        RawJson::parse(s).unwrap()
    }

    #[test]
    fn flexible_integers() {
        assert_eq!(flex_i64(raw("42")), Some(42));
        assert_eq!(flex_i64(raw("\"42\"")), Some(42));
        assert_eq!(flex_i64(raw("\"0x10\"")), Some(16));
        assert_eq!(flex_i64(raw("{\"value\":7}")), Some(7));
        assert_eq!(flex_i64(raw("-3")), Some(-3));
        assert_eq!(flex_i64(raw("\"O_RDONLY\"")), None);
        assert_eq!(flex_u64(raw("18446744073709551615")), Some(u64::MAX));
        assert_eq!(flex_u64(raw("\"0x7fd7ce0d3a10\"")), Some(0x7fd7ce0d3a10));
    }

    #[test]
    fn strings_borrow_without_escapes() {
        assert!(matches!(
            raw_str(raw("\"abc\"")),
            Some(Cow::Borrowed("abc"))
        ));
        assert_eq!(raw_str(raw("\"a\\\"b\"")).as_deref(), Some("a\"b"));
        assert_eq!(raw_str(raw("3")), None);
    }
}
