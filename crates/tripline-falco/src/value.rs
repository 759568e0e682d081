//! Typed `output_fields` values and the flat field map.
//!
//! Values keep the JSON type Falco gave them (libsinsp field type): exact 64-bit integers
//! (`evt.time` in nanoseconds is beyond 2^53, so never go through `f64`), strings borrowed from
//! the input when they hold no escapes, booleans, `null` and lists.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// The text Falco prints for a missing value; the gRPC rendering sends it as a string.
pub const NA: &str = "<NA>";

/// One value of `output_fields`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FieldValue<'a> {
    /// JSON `null`: the field had no value (`<NA>` in text output).
    Null,
    /// A boolean field (`evt.failed`, `container.privileged`).
    Bool(bool),
    /// An integer that fits `i64` (pids, ports, `evt.time` in ns).
    Int(i64),
    /// A non-negative integer above `i64::MAX`.
    UInt(u64),
    /// A non-integer number.
    Float(f64),
    /// A string, borrowed from the input when it contains no escapes.
    Str(Cow<'a, str>),
    /// A list field (`fd.types`, plugin list fields).
    List(Vec<FieldValue<'a>>),
    /// An object (not produced by Falco itself; kept from hand-edited or re-shaped payloads).
    Object(Vec<(Cow<'a, str>, FieldValue<'a>)>),
}

impl<'a> FieldValue<'a> {
    /// The string, if this is a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            FieldValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether the value is missing: `null`, or the string `<NA>` of text and gRPC renderings.
    pub fn is_missing(&self) -> bool {
        match self {
            FieldValue::Null => true,
            FieldValue::Str(s) => s == NA,
            _ => false,
        }
    }

    /// The value as an integer: JSON integers, and decimal strings (the gRPC rendering sends
    /// every value as a string).
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            FieldValue::Int(i) => Some(*i),
            FieldValue::UInt(u) => i64::try_from(*u).ok(),
            FieldValue::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as a non-missing string: strings other than `<NA>`, and scalars rendered as
    /// text (as Falco's text output would show them).
    pub fn to_text(&self) -> Option<Cow<'_, str>> {
        match self {
            FieldValue::Null | FieldValue::List(_) | FieldValue::Object(_) => None,
            FieldValue::Str(s) if s == NA => None,
            FieldValue::Str(s) => Some(Cow::Borrowed(s)),
            FieldValue::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            FieldValue::Int(i) => Some(Cow::Owned(i.to_string())),
            FieldValue::UInt(u) => Some(Cow::Owned(u.to_string())),
            FieldValue::Float(f) => Some(Cow::Owned(f.to_string())),
        }
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> FieldValue<'static> {
        match self {
            FieldValue::Null => FieldValue::Null,
            FieldValue::Bool(b) => FieldValue::Bool(b),
            FieldValue::Int(i) => FieldValue::Int(i),
            FieldValue::UInt(u) => FieldValue::UInt(u),
            FieldValue::Float(f) => FieldValue::Float(f),
            FieldValue::Str(s) => FieldValue::Str(Cow::Owned(s.into_owned())),
            FieldValue::List(l) => {
                FieldValue::List(l.into_iter().map(FieldValue::into_owned).collect())
            }
            FieldValue::Object(o) => FieldValue::Object(
                o.into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect(),
            ),
        }
    }
}

impl Serialize for FieldValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::Null => s.serialize_unit(),
            FieldValue::Bool(b) => s.serialize_bool(*b),
            FieldValue::Int(i) => s.serialize_i64(*i),
            FieldValue::UInt(u) => s.serialize_u64(*u),
            FieldValue::Float(f) => s.serialize_f64(*f),
            FieldValue::Str(v) => s.serialize_str(v),
            FieldValue::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for v in l {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            FieldValue::Object(o) => serialize_entries(o, s),
        }
    }
}

fn serialize_entries<S: Serializer>(
    entries: &[(Cow<'_, str>, FieldValue<'_>)],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        m.serialize_entry(k.as_ref(), v)?;
    }
    m.end()
}

/// The flat `output_fields` map, in input order.
///
/// Keys are Falco field names kept verbatim (`proc.aname[2]`, `ka.uri.param[command]`): dots
/// are never expanded, because names are dotted prefixes of each other
/// (`container.image` / `container.image.repository`). When a key repeats, the last value
/// wins, as in `serde_json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutputFields<'a> {
    entries: Vec<(Cow<'a, str>, FieldValue<'a>)>,
}

impl<'a> OutputFields<'a> {
    /// A map from entries (kept in order).
    pub fn from_entries(entries: Vec<(Cow<'a, str>, FieldValue<'a>)>) -> Self {
        OutputFields { entries }
    }

    /// The value of a field by its Falco name.
    pub fn get(&self, name: &str) -> Option<&FieldValue<'a>> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// The non-missing text of a field (see [`FieldValue::to_text`]).
    pub fn text(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name).and_then(FieldValue::to_text)
    }

    /// Every `(name, value)` pair in input order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldValue<'a>)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in input order.
    pub fn entries(&self) -> &[(Cow<'a, str>, FieldValue<'a>)] {
        &self.entries
    }

    /// Converts into an owned map.
    pub fn into_owned(self) -> OutputFields<'static> {
        OutputFields {
            entries: self
                .entries
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                .collect(),
        }
    }
}

impl Serialize for OutputFields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_entries(&self.entries, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &str) -> OutputFields<'_> {
        OutputFields::from_entries(crate::json::Cursor::new(s).object().unwrap())
    }

    #[test]
    fn integers_stay_exact() {
        let f = fields(
            r#"{"evt.time":1685022245478445995,"big":18446744073709551615,"neg":-1,"f":1.5}"#,
        );
        assert_eq!(
            f.get("evt.time"),
            Some(&FieldValue::Int(1_685_022_245_478_445_995))
        );
        assert_eq!(f.get("big"), Some(&FieldValue::UInt(u64::MAX)));
        assert_eq!(f.get("neg"), Some(&FieldValue::Int(-1)));
        assert_eq!(f.get("f"), Some(&FieldValue::Float(1.5)));
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let f = fields(r#"{"a":"plain","b":"es\"c"}"#);
        assert!(matches!(
            f.get("a"),
            Some(FieldValue::Str(Cow::Borrowed("plain")))
        ));
        assert!(matches!(f.get("b"), Some(FieldValue::Str(Cow::Owned(_)))));
    }

    #[test]
    fn missing_values() {
        assert!(FieldValue::Null.is_missing());
        assert!(FieldValue::Str(Cow::Borrowed(NA)).is_missing());
        assert!(!FieldValue::Str(Cow::Borrowed("")).is_missing());
        assert_eq!(FieldValue::Str(Cow::Borrowed("42")).to_i64(), Some(42));
        assert_eq!(FieldValue::Str(Cow::Borrowed(NA)).to_text(), None);
    }
}
