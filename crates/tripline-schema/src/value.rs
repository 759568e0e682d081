//! Borrowed, typed field values and the [`FieldSource`] trait rules evaluate against.
//!
//! Every record type that detection rules can see (a normalized [`Event`](crate::Event), a raw
//! audit record, a generic JSON object) implements [`FieldSource`], so the rules engine needs no
//! knowledge of where a value came from.

use std::borrow::Cow;
use std::net::IpAddr;

use chrono::{DateTime, Utc};

/// A field value borrowed from a record, typed as precisely as the source allows.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value<'a> {
    /// Explicit null / absent-but-present value (`null` in JSON, `(null)` in audit).
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer that does not fit `i64` or is naturally unsigned (ids, nanoseconds).
    UInt(u64),
    /// A floating-point number.
    Float(f64),
    /// Text, borrowed when possible.
    Str(Cow<'a, str>),
    /// An IP address.
    Ip(IpAddr),
    /// A point in time.
    Time(DateTime<Utc>),
    /// A list; rules match when any element matches.
    List(Vec<Value<'a>>),
}

impl<'a> Value<'a> {
    /// A borrowed string value.
    pub fn str(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }

    /// The text of a string value, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as `i64` when it is an integer (or an unsigned integer that fits).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Int(i) => Some(i),
            Value::UInt(u) => i64::try_from(u).ok(),
            _ => None,
        }
    }

    /// Whether this is [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Renders scalars as text (integers in decimal, times in RFC 3339); `None` for lists and null.
    pub fn to_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Value::Null | Value::List(_) => None,
            Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::UInt(u) => Some(Cow::Owned(u.to_string())),
            Value::Float(f) => Some(Cow::Owned(f.to_string())),
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Ip(ip) => Some(Cow::Owned(ip.to_string())),
            Value::Time(t) => Some(Cow::Owned(
                t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            )),
        }
    }

    /// Converts into an owned value (`'static`).
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Int(i) => Value::Int(i),
            Value::UInt(u) => Value::UInt(u),
            Value::Float(f) => Value::Float(f),
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Ip(ip) => Value::Ip(ip),
            Value::Time(t) => Value::Time(t),
            Value::List(l) => Value::List(l.into_iter().map(Value::into_owned).collect()),
        }
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::str(s)
    }
}

/// A field name with its lookup hash computed once: a rules engine asks every event for the
/// same few names, and a source with a hash index ([`FlatEvent`](crate::FlatEvent)) then skips
/// hashing them again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldName {
    name: Box<str>,
    hash: u64,
}

impl FieldName {
    /// The name and its [`field_hash`].
    pub fn new(name: &str) -> FieldName {
        FieldName {
            name: name.into(),
            hash: field_hash(name),
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Its [`field_hash`].
    pub fn hash(&self) -> u64 {
        self.hash
    }
}

/// The hash [`FieldName`] carries: the length and eight bytes at a time, multiplied through
/// (a fixed function, so tables built with it can be compared across runs).
pub fn field_hash(name: &str) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let b = name.as_bytes();
    let mut h = (b.len() as u64 ^ crate::fields::prefix(b)).wrapping_mul(K);
    if b.len() > 8 {
        let mut rest = &b[8..];
        while let Some((w, tail)) = rest.split_first_chunk::<8>() {
            if tail.is_empty() {
                break;
            }
            h = (h.rotate_left(26) ^ u64::from_le_bytes(*w)).wrapping_mul(K);
            rest = tail;
        }
        // The last eight bytes (overlapping what came before).
        if let Some(w) = b.last_chunk::<8>() {
            h = (h.rotate_left(26) ^ u64::from_le_bytes(*w)).wrapping_mul(K);
        }
    }
    h ^ (h >> 29)
}

/// Something detection rules can read fields from.
///
/// `field` takes the name a rule uses after its logsource mapping was applied: an ECS dotted
/// path for normalized events (`process.executable`), or the source's own field name for raw
/// records (`exe`, `SYSCALL`, `type` for audit records). Absent fields return `None`;
/// fields present with a null value return `Some(Value::Null)` — Sigma distinguishes them.
pub trait FieldSource {
    /// The value of the named field, if present.
    fn field(&self, name: &str) -> Option<Value<'_>>;

    /// The value of the named field, looked up by a name whose hash is already known. The
    /// default asks [`FieldSource::field`]; sources with a hash index override it.
    fn field_by(&self, name: &FieldName) -> Option<Value<'_>> {
        self.field(name.as_str())
    }

    /// The whole raw message, which Sigma keyword searches run over.
    fn raw_text(&self) -> Option<&str>;

    /// The names of all fields present, for `|fieldref`, debugging and generic exporters.
    /// The default lists nothing.
    fn field_names(&self) -> Vec<Cow<'_, str>> {
        Vec::new()
    }
}

impl FieldSource for serde_json::Value {
    /// Dotted names reach into nested objects; an exact key containing dots wins first.
    fn field(&self, name: &str) -> Option<Value<'_>> {
        let obj = self.as_object()?;
        if let Some(v) = obj.get(name) {
            return Some(json_value(v));
        }
        // An undotted name was fully answered by the lookup above.
        if !name.contains('.') {
            return None;
        }
        let mut cur = self;
        for part in name.split('.') {
            cur = cur.as_object()?.get(part)?;
        }
        Some(json_value(cur))
    }

    fn raw_text(&self) -> Option<&str> {
        None
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        // `prefix` is `None` at the top level: a top-level key `""` still prefixes its
        // children (`.x`, the name `field` finds them by).
        fn walk<'v>(prefix: Option<&str>, v: &'v serde_json::Value, out: &mut Vec<Cow<'v, str>>) {
            if let Some(obj) = v.as_object() {
                for (k, child) in obj {
                    let name = match prefix {
                        None => k.clone(),
                        Some(p) => format!("{p}.{k}"),
                    };
                    if child.is_object() {
                        walk(Some(&name), child, out);
                    } else {
                        out.push(Cow::Owned(name));
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(None, self, &mut out);
        out
    }
}

/// A JSON number as the most precise [`Value`]: `Int`, then `UInt` past `i64`, else `Float`.
pub(crate) fn number_value(n: &serde_json::Number) -> Value<'static> {
    if let Some(i) = n.as_i64() {
        Value::Int(i)
    } else if let Some(u) = n.as_u64() {
        Value::UInt(u)
    } else {
        Value::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Borrows a JSON value as a [`Value`] (objects become their compact JSON text).
pub fn json_value(v: &serde_json::Value) -> Value<'_> {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => number_value(n),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::List(a.iter().map(json_value).collect()),
        serde_json::Value::Object(_) => Value::Str(Cow::Owned(v.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_dotted_lookup_prefers_exact_key() {
        let v: serde_json::Value = serde_json::json!({
            "proc.name": "bash",
            "proc": {"name": "sh"},
            "a": {"b": {"c": 3}},
            "n": null
        });
        assert_eq!(v.field("proc.name"), Some(Value::str("bash")));
        assert_eq!(v.field("a.b.c"), Some(Value::Int(3)));
        assert_eq!(v.field("n"), Some(Value::Null));
        assert_eq!(v.field("missing"), None);
        assert_eq!(v.field("a.b.x"), None);
    }

    #[test]
    fn text_rendering() {
        assert_eq!(
            Value::UInt(u64::MAX).to_text().unwrap(),
            "18446744073709551615"
        );
        assert_eq!(Value::Bool(true).to_text().unwrap(), "true");
        assert!(Value::Null.to_text().is_none());
    }
}
