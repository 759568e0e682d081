//! [`FieldSource`] for raw events, so Sigma rules with a `docker` logsource can match Docker's
//! own field names: `Type`, `Action`, `Actor.ID`, `Actor.Attributes.<key>`, `status`, `id`,
//! `from`, `scope`, `time`, `timeNano`.

use std::borrow::Cow;

use tripline_schema::{FieldSource, Value};

use crate::events::record::EventRecord;

impl FieldSource for EventRecord<'_> {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match name {
            "Type" | "type" => Some(Value::str(self.event_type.as_str())),
            "Action" | "action" => Some(Value::str(&self.action)),
            "Actor.ID" => Some(Value::str(&self.actor_id)),
            "status" => self.status.as_deref().map(Value::str),
            "id" => self.id.as_deref().map(Value::str),
            "from" => self.from.as_deref().map(Value::str),
            "scope" => self.scope.as_deref().map(Value::str),
            "service" => self.service.as_deref().map(Value::str),
            "time" => self.time.map(Value::Int),
            "timeNano" => self.time_nano.map(Value::Int),
            _ => {
                let key = name.strip_prefix("Actor.Attributes.")?;
                self.attr(key).map(Value::str)
            }
        }
    }

    /// The record does not keep its input line, so keyword searches run over the `Action`
    /// text (which holds the exec command and health status).
    fn raw_text(&self) -> Option<&str> {
        Some(&self.action)
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        let mut v: Vec<Cow<'_, str>> = vec!["Type".into(), "Action".into(), "Actor.ID".into()];
        for (k, opt) in [
            ("status", &self.status),
            ("id", &self.id),
            ("from", &self.from),
            ("scope", &self.scope),
            ("service", &self.service),
        ] {
            if opt.is_some() {
                v.push(k.into());
            }
        }
        if self.time.is_some() {
            v.push("time".into());
        }
        if self.time_nano.is_some() {
            v.push("timeNano".into());
        }
        v.extend(
            self.attributes
                .iter()
                .map(|(k, _)| Cow::Owned(format!("Actor.Attributes.{k}"))),
        );
        v
    }
}
