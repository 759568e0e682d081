//! `FieldSource` for raw alerts, so Sigma rules with a Falco logsource match Falco's own
//! names: `rule`, `priority`, `source`, `tags`, `hostname`, `output`, and every output field
//! (`proc.cmdline`, `container.id`, `proc.aname[2]`).

use std::borrow::Cow;

use tripline_schema::{FieldSource, Value};

use crate::alert::Alert;
use crate::record::Record;
use crate::text::TextAlert;
use crate::value::FieldValue;

/// A field value as rules see it: `<NA>` (the gRPC and text rendering of a missing value) is
/// null, objects are their compact JSON text.
pub fn rule_value<'v>(v: &'v FieldValue<'_>) -> Value<'v> {
    match v {
        FieldValue::Null => Value::Null,
        FieldValue::Str(_) if v.is_missing() => Value::Null,
        FieldValue::Bool(b) => Value::Bool(*b),
        FieldValue::Int(i) => Value::Int(*i),
        FieldValue::UInt(u) => Value::UInt(*u),
        FieldValue::Float(f) => Value::Float(*f),
        FieldValue::Str(s) => Value::Str(Cow::Borrowed(s)),
        FieldValue::List(l) => Value::List(l.iter().map(rule_value).collect()),
        FieldValue::Object(_) => {
            Value::Str(Cow::Owned(serde_json::to_string(v).unwrap_or_default()))
        }
    }
}

fn opt<'v>(s: &'v Option<Cow<'_, str>>) -> Option<Value<'v>> {
    s.as_deref().map(Value::str)
}

impl FieldSource for Alert<'_> {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match name {
            "rule" => Some(Value::str(&self.rule)),
            "priority" => Some(Value::str(self.priority.as_str())),
            "time" => Some(Value::Time(self.time.to_datetime())),
            "source" => opt(&self.source),
            "hostname" => opt(&self.hostname),
            "output" => opt(&self.output),
            "message" => opt(&self.message),
            "uuid" => opt(&self.uuid),
            "tags" => self
                .tags
                .as_ref()
                .map(|t| Value::List(t.iter().map(|s| Value::str(s)).collect())),
            _ => {
                let fields = self.output_fields.as_ref()?;
                fields
                    .get(name)
                    .or_else(|| fields.get(name.strip_prefix("output_fields.")?))
                    .map(rule_value)
            }
        }
    }

    fn raw_text(&self) -> Option<&str> {
        self.output.as_deref().or(self.message.as_deref())
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        let mut names: Vec<Cow<'_, str>> = vec![Cow::Borrowed("rule"), Cow::Borrowed("priority")];
        names.push(Cow::Borrowed("time"));
        for (n, present) in [
            ("source", self.source.is_some()),
            ("hostname", self.hostname.is_some()),
            ("output", self.output.is_some()),
            ("message", self.message.is_some()),
            ("uuid", self.uuid.is_some()),
            ("tags", self.tags.is_some()),
        ] {
            if present {
                names.push(Cow::Borrowed(n));
            }
        }
        if let Some(f) = &self.output_fields {
            names.extend(f.iter().map(|(k, _)| Cow::Borrowed(k)));
        }
        names
    }
}

impl FieldSource for TextAlert<'_> {
    /// `priority`, `rule` (the title hint), `output` (the whole line), `message`, and the
    /// recovered pairs by their printed labels (`command`, `container_id`).
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match name {
            "rule" => Some(Value::str(self.rule_hint())),
            "priority" => Some(Value::str(self.priority.as_str())),
            "output" => Some(Value::str(&self.line)),
            "message" => Some(Value::str(&self.message)),
            "hostname" => opt(&self.host),
            _ => self.get(name).map(|v| {
                if v == crate::value::NA {
                    Value::Null
                } else {
                    Value::str(v)
                }
            }),
        }
    }

    fn raw_text(&self) -> Option<&str> {
        Some(&self.line)
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        let mut names: Vec<Cow<'_, str>> = ["rule", "priority", "output", "message"]
            .into_iter()
            .map(Cow::Borrowed)
            .collect();
        names.extend(self.pairs.iter().map(|(k, _)| Cow::Borrowed(k.as_ref())));
        names
    }
}

impl FieldSource for Record<'_> {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match self {
            Record::Json(a) => FieldSource::field(a, name),
            Record::Text(t) => t.field(name),
        }
    }

    fn raw_text(&self) -> Option<&str> {
        match self {
            Record::Json(a) => a.raw_text(),
            Record::Text(t) => t.raw_text(),
        }
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        match self {
            Record::Json(a) => a.field_names(),
            Record::Text(t) => t.field_names(),
        }
    }
}
