//! A small JSON document builder shared by the ECS and OCSF views: dotted-path insertion that
//! omits absent values, so neither view ever writes `null` or empty objects for missing data.

use serde_json::{Map, Value};

use crate::fields::Field;

/// A JSON object under construction.
#[derive(Debug, Default, Clone)]
pub(crate) struct Doc(pub(crate) Map<String, Value>);

/// Whether a value carries nothing (null, empty string list/object).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

impl Doc {
    pub(crate) fn new() -> Self {
        Doc(Map::new())
    }

    /// Sets `path` (dotted) to `value` unless the value is absent or empty; intermediate
    /// objects are created, an existing object at the leaf is merged into.
    pub(crate) fn put(&mut self, path: &str, value: impl Into<Option<Value>>) {
        let Some(value) = value.into() else { return };
        if is_empty(&value) {
            return;
        }
        let mut cur = &mut self.0;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                match (cur.get_mut(part), value) {
                    (Some(Value::Object(existing)), Value::Object(new)) => {
                        for (k, v) in new {
                            existing.insert(k, v);
                        }
                    }
                    (_, value) => {
                        cur.insert(part.to_string(), value);
                    }
                }
                return;
            }
            let slot = cur
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            let Value::Object(next) = slot else { return };
            cur = next;
        }
    }

    /// Sets a string value.
    pub(crate) fn str(&mut self, path: &str, value: Option<&str>) {
        self.put(path, value.map(|s| Value::String(s.to_string())));
    }

    /// Sets a nested document.
    pub(crate) fn doc(&mut self, path: &str, value: Option<Doc>) {
        self.put(path, value.map(Doc::into_value));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn into_value(self) -> Value {
        Value::Object(self.0)
    }

    /// `None` when nothing was set.
    pub(crate) fn non_empty(self) -> Option<Doc> {
        (!self.0.is_empty()).then_some(self)
    }
}

/// A list of strings as a JSON array (`None` when empty).
pub(crate) fn str_list<'a>(items: impl IntoIterator<Item = &'a str>) -> Option<Value> {
    let v: Vec<Value> = items
        .into_iter()
        .map(|s| Value::String(s.to_string()))
        .collect();
    (!v.is_empty()).then_some(Value::Array(v))
}

/// Removes JSON nulls (object members and array elements) recursively.
pub(crate) fn strip_nulls(v: &Field) -> Option<Value> {
    match v {
        Field::Null => None,
        Field::Map(m) => Some(Value::Object(
            m.iter()
                .filter_map(|(k, v)| strip_nulls(v).map(|v| (k.to_string(), v)))
                .collect(),
        )),
        Field::List(a) => Some(Value::Array(a.iter().filter_map(strip_nulls).collect())),
        other => Some(other.to_json()),
    }
}
