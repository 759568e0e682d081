//! Small borrowed JSON helpers: ordered raw maps, lazily decoded scalars, and the tolerant
//! number reading Tracee needs (numbers that arrive as strings, hex pointers, `{value:n}`
//! wrappers from protobuf JSON).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// A JSON object kept as ordered `(key, raw value)` pairs; values are decoded on demand.
#[derive(Debug, Clone, Default)]
pub struct RawMap<'a>(pub Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'a> RawMap<'a> {
    /// The raw value of `key` (first occurrence).
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
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
                    let v: &'de RawValue = m.next_value()?;
                    out.push((k, v));
                }
                Ok(RawMap(out))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Deserializes a raw value that may be absent (`None`) or `null` (`Some("null")`).
pub(crate) fn raw_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&'de RawValue>::deserialize(d).map(Some)
}

/// A JSON string decoded, borrowed when it has no escapes.
pub fn raw_str(raw: &RawValue) -> Option<Cow<'_, str>> {
    let s = raw.get();
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<Cow<'_, str>>(s).ok()
}

/// Whether the raw value is JSON `null`.
pub fn raw_is_null(raw: &RawValue) -> bool {
    raw.get() == "null"
}

/// An integer from a JSON number, a numeric string (decimal, `0x` hex, `-` sign), or a
/// protobuf wrapper object `{"value": n}`.
pub fn flex_i64(raw: &RawValue) -> Option<i64> {
    let s = raw.get();
    match s.as_bytes().first()? {
        b'"' => parse_int_text(&raw_str(raw)?),
        b'{' => {
            let m: RawMap<'_> = serde_json::from_str(s).ok()?;
            flex_i64(m.get("value")?)
        }
        b'-' | b'0'..=b'9' => s.parse::<i64>().ok().or_else(|| {
            // Float forms (`1e3`, `5.0`) of integral values.
            let f = s.parse::<f64>().ok()?;
            (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
        }),
        _ => None,
    }
}

/// Like [`flex_i64`] but unsigned, so values above `i64::MAX` survive.
pub fn flex_u64(raw: &RawValue) -> Option<u64> {
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
pub fn flex_bool(raw: &RawValue) -> Option<bool> {
    match raw.get() {
        "true" | "\"true\"" | "1" => Some(true),
        "false" | "\"false\"" | "0" => Some(false),
        _ => None,
    }
}

/// Strings of a JSON array of strings; `None` unless every element is a string.
pub fn raw_str_list(raw: &RawValue) -> Option<Vec<Cow<'_, str>>> {
    serde_json::from_str::<Vec<BorrowedStr<'_>>>(raw.get())
        .ok()
        .map(|v| v.into_iter().map(|b| b.0).collect())
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

/// Deserializes a string or an integer into `Option<i64>` (Tracee writes `eventId` as a string).
pub(crate) fn int_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let raw = <&'de RawValue>::deserialize(d)?;
    if raw_is_null(raw) {
        return Ok(None);
    }
    flex_i64(raw).map(Some).ok_or_else(|| {
        de::Error::custom(format_args!(
            "expected an integer or numeric string, got {}",
            clip(raw.get())
        ))
    })
}

fn clip(s: &str) -> &str {
    let mut end = s.len().min(40);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> &RawValue {
        serde_json::from_str(s).unwrap()
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
