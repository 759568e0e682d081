//! One Docker event as borrowed fields, from the JSON of every API era.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, Visitor};

use super::kind::{Action, EventType, split_action};
use crate::attrs::{Attributes, CowStr};
use crate::{Error, Timestamp};

/// Which generation of the event message a record came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Era {
    /// API < 1.22: only `status`, `id`, `from`, `time`, `timeNano`.
    Legacy,
    /// API 1.22–1.51 (and newer daemons answering old clients): both the modern fields and
    /// the legacy `status`/`id`/`from`.
    Transition,
    /// API ≥ 1.52 / `docker events --format json`: `Type`, `Action`, `Actor`, `scope`, times.
    Modern,
    /// `docker compose events --json`: lowercase `type`, `action`, `id`, `service`, `attributes`.
    Compose,
    /// The plain-text line printed by `docker events`.
    Text,
}

impl Era {
    /// A short lowercase name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Era::Legacy => "legacy",
            Era::Transition => "transition",
            Era::Modern => "modern",
            Era::Compose => "compose",
            Era::Text => "text",
        }
    }
}

/// How far an attribute value can be believed.
///
/// Docker copies container labels over the event attributes (`maps.Copy` in
/// `LogContainerEventWithAttributes`) and sets only `image` and `name` afterwards, so a label
/// named `exitCode` or `execID` replaces the daemon's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Trust {
    /// Set by the daemon after labels were copied (`image`, `name`), or an event type whose
    /// attributes do not carry labels.
    Daemon,
    /// Could have been overwritten by a label; no label set was available to check.
    Unverified,
    /// Checked against the container's labels: no label has this key.
    Verified,
    /// A label has this key and it is a key the daemon sets: the value is the label's.
    Overwritten,
    /// The attribute is one of the container's labels.
    Label,
}

/// Attribute keys the daemon sets per action before labels are copied over them.
pub const DAEMON_KEYS: &[&str] = &[
    "exitCode",
    "execDuration",
    "signal",
    "execID",
    "oldName",
    "height",
    "width",
    "comment",
    "imageID",
    "imageRef",
    "reclaimed",
];

/// One Docker event, borrowing its text from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord<'a> {
    /// The message generation.
    pub era: Era,
    /// `Type` (inferred for legacy messages: `from` present → container, image verbs → image).
    pub event_type: EventType,
    /// Whether `event_type` was inferred rather than read.
    pub type_inferred: bool,
    /// The whole `Action` (or legacy `status`), detail included.
    pub action: Cow<'a, str>,
    /// `Actor.ID` (or legacy `id`); may be empty (prune, daemon events of mocks).
    pub actor_id: Cow<'a, str>,
    /// `Actor.Attributes`, input order.
    pub attributes: Attributes<'a>,
    /// `scope` (`local` or `swarm`) when present.
    pub scope: Option<Cow<'a, str>>,
    /// The `time` field as sent (seconds; may be absent).
    pub time: Option<i64>,
    /// The `timeNano` field as sent.
    pub time_nano: Option<i64>,
    /// The event time: `timeNano` preferred, else `time` seconds, else the text/compose time.
    pub timestamp: Option<Timestamp>,
    /// Legacy `status`.
    pub status: Option<Cow<'a, str>>,
    /// Legacy `id`.
    pub id: Option<Cow<'a, str>>,
    /// Legacy `from` (the image of a container event).
    pub from: Option<Cow<'a, str>>,
    /// Compose `service`.
    pub service: Option<Cow<'a, str>>,
    /// Podman's top-level `HealthStatus`.
    pub health_status: Option<Cow<'a, str>>,
    /// Podman's `containerExitCode`.
    pub container_exit_code: Option<i64>,
}

/// A number that may come as an integer, a float (Docker 29's compat path) or a string.
#[derive(Debug, Clone)]
enum Num<'a> {
    Int(i64),
    Float(f64),
    Text(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Num<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or time string")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Num::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(Num::Int)
                    .map_err(|_| E::custom("time out of range"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Num::Float(v))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Num::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Num::Text(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_any(V)
    }
}

impl Num<'_> {
    fn as_i64(&self) -> Option<i64> {
        match self {
            Num::Int(i) => Some(*i),
            Num::Float(f) if f.is_finite() && f.abs() < 9.2e18 => Some(*f as i64),
            Num::Text(t) => t.parse().ok(),
            Num::Float(_) => None,
        }
    }
}

#[derive(Deserialize)]
struct RawActor<'a> {
    #[serde(rename = "ID", default, borrow)]
    id: Option<CowStr<'a>>,
    #[serde(rename = "Attributes", default, borrow)]
    attributes: Option<Attributes<'a>>,
}

#[derive(Deserialize, Default)]
struct RawEvent<'a> {
    #[serde(rename = "Type", default, borrow)]
    ty: Option<CowStr<'a>>,
    #[serde(rename = "Action", default, borrow)]
    action: Option<CowStr<'a>>,
    #[serde(rename = "Actor", default, borrow)]
    actor: Option<RawActor<'a>>,
    #[serde(rename = "type", default, borrow)]
    compose_type: Option<CowStr<'a>>,
    #[serde(rename = "action", default, borrow)]
    compose_action: Option<CowStr<'a>>,
    #[serde(rename = "attributes", default, borrow)]
    compose_attributes: Option<Attributes<'a>>,
    #[serde(default, borrow)]
    service: Option<CowStr<'a>>,
    #[serde(default, borrow)]
    scope: Option<CowStr<'a>>,
    #[serde(default, borrow)]
    status: Option<CowStr<'a>>,
    #[serde(default, borrow)]
    id: Option<CowStr<'a>>,
    #[serde(default, borrow)]
    from: Option<CowStr<'a>>,
    #[serde(default, borrow)]
    time: Option<Num<'a>>,
    #[serde(rename = "timeNano", default, borrow)]
    time_nano: Option<Num<'a>>,
    #[serde(rename = "HealthStatus", default, borrow)]
    health_status: Option<CowStr<'a>>,
    #[serde(rename = "containerExitCode", default)]
    container_exit_code: Option<i64>,
}

const IMAGE_VERBS: &[&str] = &[
    "pull", "push", "tag", "untag", "delete", "import", "load", "save",
];

fn cow(v: Option<CowStr<'_>>) -> Option<Cow<'_, str>> {
    v.map(|c| c.0)
}

impl<'a> EventRecord<'a> {
    /// Parses one JSON event message of any era (surrounding whitespace and a leading
    /// json-seq `0x1E` are tolerated).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &'a str) -> Result<Self, Error> {
        let t = s.trim_start_matches('\u{1e}').trim();
        // Filled in place and read by reference: the 300-byte raw record is not moved.
        let mut raw = RawEvent::default();
        if fast::scan(t, &mut raw).is_some() {
            return Self::from_raw(&mut raw, t.as_bytes());
        }
        Self::from_str_serde(t)
    }

    fn from_str_serde(t: &'a str) -> Result<Self, Error> {
        let mut raw: RawEvent<'a> =
            serde_json::from_str(t).map_err(|e| Error::json(&e, t.as_bytes()))?;
        Self::from_raw(&mut raw, t.as_bytes())
    }

    /// [`EventRecord::from_str`] over bytes (must be UTF-8 JSON).
    pub fn from_slice(b: &'a [u8]) -> Result<Self, Error> {
        let s = std::str::from_utf8(b).map_err(|_| Error::corrupt("invalid UTF-8", b))?;
        Self::from_str(s)
    }

    fn from_raw(raw: &mut RawEvent<'a>, input: &[u8]) -> Result<Self, Error> {
        let status = cow(raw.status.take());
        let compose = raw.compose_action.is_some() || raw.compose_type.is_some();
        let modern = raw.action.is_some() || raw.ty.is_some() || raw.actor.is_some();
        let action = cow(raw.action.take())
            .or(cow(raw.compose_action.take()))
            .or_else(|| status.clone())
            .ok_or_else(|| Error::format("docker event (no Action/status)", input))?;
        let era = if compose && !modern {
            Era::Compose
        } else if !modern {
            Era::Legacy
        } else if status.is_some() || raw.id.is_some() || raw.from.is_some() {
            Era::Transition
        } else {
            Era::Modern
        };
        let id = cow(raw.id.take());
        let from = cow(raw.from.take());
        let (actor_id, attributes) = match raw.actor.take() {
            Some(a) => (cow(a.id), a.attributes.unwrap_or_default()),
            None => (None, raw.compose_attributes.take().unwrap_or_default()),
        };
        let actor_id = actor_id.or_else(|| id.clone()).unwrap_or(Cow::Borrowed(""));
        let (event_type, type_inferred) = match cow(raw.ty.take()).or(cow(raw.compose_type.take()))
        {
            Some(t) => (EventType::parse(&t), false),
            None => {
                let verb = split_action(&action).0;
                let t = if from.is_some() {
                    EventType::Container
                } else if IMAGE_VERBS.contains(&verb) {
                    EventType::Image
                } else {
                    EventType::Container
                };
                (t, true)
            }
        };
        let time = raw.time.as_ref().and_then(Num::as_i64);
        let time_nano = raw.time_nano.as_ref().and_then(Num::as_i64);
        let timestamp = match (&raw.time_nano, &raw.time) {
            (Some(n), _) if time_nano.is_some() => {
                let _ = n;
                time_nano.map(Timestamp::from_unix_nanos)
            }
            (_, Some(Num::Text(t))) => Some(Timestamp::parse(t)?),
            (_, Some(_)) => time.map(|s| Timestamp::from_unix(s, 0)),
            _ => None,
        };
        Ok(EventRecord {
            era,
            event_type,
            type_inferred,
            action,
            actor_id,
            attributes,
            scope: cow(raw.scope.take()),
            time,
            time_nano,
            timestamp,
            status,
            id,
            from,
            service: cow(raw.service.take()),
            health_status: cow(raw.health_status.take()),
            container_exit_code: raw.container_exit_code,
        })
    }

    /// The verb of `Action` as an open enum.
    pub fn verb(&self) -> Action {
        Action::parse(self.verb_str())
    }

    /// The verb of `Action` as text (`exec_start` of `exec_start: sh -c ls`).
    pub fn verb_str(&self) -> &str {
        split_action(&self.action).0
    }

    /// The detail after `": "` in `Action` (exec command, health status).
    pub fn detail(&self) -> Option<&str> {
        split_action(&self.action).1
    }

    /// An attribute value.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attributes.get(key)
    }

    /// The object's name (`name` attribute).
    pub fn name(&self) -> Option<&str> {
        self.attr("name")
    }

    /// The image reference: `image` attribute, else legacy `from`.
    pub fn image(&self) -> Option<&str> {
        self.attr("image")
            .or(self.from.as_deref().filter(|s| !s.is_empty()))
    }

    /// `exitCode` as a number (untrusted: see [`EventRecord::attribute_trust`]), else Podman's
    /// `containerExitCode`.
    pub fn exit_code(&self) -> Option<i64> {
        self.attr("exitCode")
            .and_then(|v| v.parse().ok())
            .or(self.container_exit_code)
    }

    /// How far the attribute `key` can be believed, given the container's labels if known
    /// (from `docker inspect`, see [`ContainerInfo::labels`](crate::ContainerInfo::labels)).
    pub fn attribute_trust(&self, key: &str, labels: Option<&BTreeMap<String, String>>) -> Trust {
        let carries_labels = matches!(self.event_type, EventType::Container | EventType::Image)
            && self.era != Era::Legacy;
        if !carries_labels
            || key == "name"
            || (key == "image" && self.event_type == EventType::Container)
        {
            return Trust::Daemon;
        }
        let daemon_key = DAEMON_KEYS.contains(&key);
        match labels {
            Some(l) if l.contains_key(key) => {
                if daemon_key {
                    Trust::Overwritten
                } else {
                    Trust::Label
                }
            }
            Some(_) => Trust::Verified,
            None => Trust::Unverified,
        }
    }

    /// Copies borrowed text so the record outlives the input.
    pub fn into_owned(self) -> EventRecord<'static> {
        fn o(c: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
            c.map(|c| Cow::Owned(c.into_owned()))
        }
        EventRecord {
            era: self.era,
            event_type: self.event_type,
            type_inferred: self.type_inferred,
            action: Cow::Owned(self.action.into_owned()),
            actor_id: Cow::Owned(self.actor_id.into_owned()),
            attributes: self.attributes.into_owned(),
            scope: o(self.scope),
            time: self.time,
            time_nano: self.time_nano,
            timestamp: self.timestamp,
            status: o(self.status),
            id: o(self.id),
            from: o(self.from),
            service: o(self.service),
            health_status: o(self.health_status),
            container_exit_code: self.container_exit_code,
        }
    }

    /// Writes the record as the modern JSON message (`Type, Action, Actor, scope, time,
    /// timeNano`), the shape of `docker events --format json`.
    pub fn to_json(&self) -> String {
        let mut attrs = serde_json::Map::new();
        for (k, v) in self.attributes.iter() {
            attrs.insert(k.to_owned(), v.into());
        }
        let mut o = serde_json::Map::new();
        o.insert("Type".into(), self.event_type.as_str().into());
        o.insert("Action".into(), self.action.as_ref().into());
        o.insert(
            "Actor".into(),
            serde_json::json!({"ID": self.actor_id.as_ref(), "Attributes": attrs}),
        );
        if let Some(s) = &self.scope {
            o.insert("scope".into(), s.as_ref().into());
        }
        if let Some(t) = self.time {
            o.insert("time".into(), t.into());
        }
        if let Some(t) = self.time_nano {
            o.insert("timeNano".into(), t.into());
        }
        serde_json::Value::Object(o).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn val() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            "[ -~\u{e9}]{0,12}".prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            Just(serde_json::Value::Null),
            (0.0f64..1e12).prop_map(serde_json::Value::from),
        ]
    }

    #[test]
    fn integer_times_at_the_i64_edges() {
        // (text, expected timeNano): the scanner's answer must equal serde_json's.
        for (n, expected) in [
            ("9223372036854775807", Some(Some(i64::MAX))),
            ("-9223372036854775808", Some(Some(i64::MIN))),
            ("1700000000123456789", Some(Some(1_700_000_000_123_456_789))),
            // Out of range as an integer: serde_json reads it as a float, which is dropped.
            ("-9223372036854775809", Some(None)),
            ("9223372036854775808", None),
            ("9999999999999999999", None),
        ] {
            let text = format!(r#"{{"Type":"container","Action":"start","timeNano":{n}}}"#);
            let fast = EventRecord::from_str(&text).ok();
            let slow = EventRecord::from_str_serde(&text).ok();
            assert_eq!(fast, slow, "{n}");
            assert_eq!(fast.map(|r| r.time_nano), expected, "{n}");
        }
    }

    proptest! {
        /// The scanner and serde_json agree on every document the scanner accepts.
        #[test]
        fn fast_scan_agrees_with_serde(
            fields in proptest::collection::vec((prop_oneof![
                Just("Type"), Just("Action"), Just("scope"), Just("status"), Just("id"), Just("from"),
                Just("time"), Just("timeNano"), Just("other")], val()), 0..7),
            actor_id in proptest::option::of(val()),
            attrs in proptest::option::of(proptest::collection::vec(("[a-z\\\\\"]{1,4}", val()), 0..3)),
            pretty: bool,
        ) {
            let mut text = String::from("{");
            let mut parts = Vec::new();
            for (k, v) in &fields {
                parts.push(format!("\"{k}\":{v}"));
            }
            let mut actor = Vec::new();
            if let Some(id) = actor_id {
                actor.push(format!("\"ID\":{id}"));
            }
            if let Some(a) = attrs {
                let body: Vec<String> = a.iter().map(|(k, v)| format!("{}:{v}", serde_json::Value::from(k.as_str()))).collect();
                actor.push(format!("\"Attributes\":{{{}}}", body.join(",")));
            }
            parts.push(format!("\"Actor\":{{{}}}", actor.join(",")));
            text.push_str(&parts.join(if pretty { ",\n  " } else { "," }));
            text.push('}');
            let mut raw = RawEvent::default();
            if fast::scan(&text, &mut raw).is_some() {
                let fast = EventRecord::from_raw(&mut raw, text.as_bytes());
                let slow = EventRecord::from_str_serde(&text);
                match (fast, slow) {
                    (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                    (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => prop_assert!(false, "fast {a:?} vs serde {b:?} on {text}"),
                }
            }
        }
    }
}

/// A zero-copy scanner for the shapes the daemon and CLI write (known keys, strings without
/// escapes, integer times); anything else returns `None` and goes through serde_json, so
/// both paths accept exactly the same documents.
mod fast {
    use super::{CowStr, RawActor, RawEvent};
    use crate::attrs::Attributes;
    use std::borrow::Cow;

    /// The keys the scanner reads.
    #[derive(Clone, Copy)]
    enum Key {
        Type,
        Action,
        Actor,
        Scope,
        Time,
        TimeNano,
        Status,
        LegacyId,
        From,
        Id,
        Attributes,
    }

    /// A top-level key at the start of `b` with its closing quote, and that length.
    /// Literal compares of constant length (no string scan, no `memcmp` call).
    fn top_key(b: &[u8]) -> Option<(Key, usize)> {
        Some(match b.first()? {
            b'T' if b.starts_with(b"Type\"") => (Key::Type, 5),
            b'A' if b.starts_with(b"Action\"") => (Key::Action, 7),
            b'A' if b.starts_with(b"Actor\"") => (Key::Actor, 6),
            b's' if b.starts_with(b"scope\"") => (Key::Scope, 6),
            b's' if b.starts_with(b"status\"") => (Key::Status, 7),
            // `time"` cannot match `timeNano"`.
            b't' if b.starts_with(b"time\"") => (Key::Time, 5),
            b't' if b.starts_with(b"timeNano\"") => (Key::TimeNano, 9),
            b'i' if b.starts_with(b"id\"") => (Key::LegacyId, 3),
            b'f' if b.starts_with(b"from\"") => (Key::From, 5),
            _ => return None,
        })
    }

    /// An `Actor` key at the start of `b` with its closing quote, and that length.
    fn actor_key(b: &[u8]) -> Option<(Key, usize)> {
        Some(match b.first()? {
            b'I' if b.starts_with(b"ID\"") => (Key::Id, 3),
            b'A' if b.starts_with(b"Attributes\"") => (Key::Attributes, 11),
            _ => return None,
        })
    }

    struct Scan<'a> {
        s: &'a str,
        i: usize,
    }

    impl<'a> Scan<'a> {
        fn ws(&mut self) {
            let b = self.s.as_bytes();
            // Docker writes compact JSON: the next byte is nearly always the token itself.
            if b.get(self.i).is_some_and(|&c| c > b' ') {
                return;
            }
            while self.i < b.len() && matches!(b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            }
        }

        fn peek(&mut self) -> Option<u8> {
            self.ws();
            self.s.as_bytes().get(self.i).copied()
        }

        fn byte(&mut self, c: u8) -> Option<()> {
            (self.peek()? == c).then(|| self.i += 1)
        }

        fn string(&mut self) -> Option<&'a str> {
            self.byte(b'"')?;
            let end = crate::lines::plain_string_end(&self.s.as_bytes()[self.i..])?;
            let out = &self.s[self.i..self.i + end];
            self.i += end + 1;
            Some(out)
        }

        fn cow(&mut self) -> Option<Option<CowStr<'a>>> {
            Some(Some(CowStr(Cow::Borrowed(self.string()?))))
        }

        fn null(&mut self) -> bool {
            if self.peek() == Some(b'n') && self.s[self.i..].starts_with("null") {
                self.i += 4;
                true
            } else {
                false
            }
        }

        fn int(&mut self) -> Option<i64> {
            self.ws();
            let b = &self.s.as_bytes()[self.i..];
            let neg = b.first() == Some(&b'-');
            // One pass: count the digits and accumulate the first 19 (up to 19 digits fit in
            // a u64; `timeNano` has 19), then check the i64 range.
            let mut v: u64 = 0;
            let mut digits = 0usize;
            let body = &b[usize::from(neg)..];
            // Eight digits per step while they fit in the first 19 (`time` has 10 digits,
            // `timeNano` 19), then one at a time.
            while digits + 8 <= 19
                && let Some(x) = body.get(digits..).and_then(crate::time::eight_digits)
            {
                v = v * 100_000_000 + u64::from(x);
                digits += 8;
            }
            for &c in &body[digits..] {
                let d = c.wrapping_sub(b'0');
                if d >= 10 {
                    break;
                }
                if digits < 19 {
                    v = v * 10 + u64::from(d);
                }
                digits += 1;
            }
            let n = usize::from(neg) + digits;
            if digits == 0
                || matches!(b.get(n), Some(b'.' | b'e' | b'E'))
                || (digits > 1 && b[usize::from(neg)] == b'0')
            {
                return None;
            }
            if digits > 19 {
                let v = self.s[self.i..self.i + n].parse().ok()?;
                self.i += n;
                return Some(v);
            }
            let v = if neg {
                0i64.checked_sub_unsigned(v)?
            } else {
                i64::try_from(v).ok()?
            };
            self.i += n;
            Some(v)
        }

        /// `,` → true (more), `}` → false (done).
        fn more(&mut self) -> Option<bool> {
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    Some(true)
                }
                b'}' => {
                    self.i += 1;
                    Some(false)
                }
                _ => None,
            }
        }

        fn object_start(&mut self) -> Option<bool> {
            self.byte(b'{')?;
            if self.peek()? == b'}' {
                self.i += 1;
                return Some(false);
            }
            Some(true)
        }

        /// One of `keys`, matched on its raw bytes with the closing quote, and the `:`
        /// after it. Any other key, or a known one spelled with an escape, is `None` (the
        /// document goes to serde_json), as when the key was read as a string and compared.
        fn known_key(&mut self, keys: impl Fn(&[u8]) -> Option<(Key, usize)>) -> Option<Key> {
            self.byte(b'"')?;
            let (key, len) = keys(&self.s.as_bytes()[self.i..])?;
            self.i += len;
            self.byte(b':')?;
            Some(key)
        }

        fn key(&mut self) -> Option<&'a str> {
            let k = self.string()?;
            self.byte(b':')?;
            Some(k)
        }

        fn attributes(&mut self) -> Option<Option<Attributes<'a>>> {
            if self.null() {
                return Some(None);
            }
            let mut out = Vec::new();
            if self.object_start()? {
                // Room for the usual attribute count: growing from 4 to 8 reallocated on
                // events with five attributes.
                out.reserve_exact(8);
                loop {
                    let k = self.key()?;
                    let v = self.string()?;
                    out.push((Cow::Borrowed(k), Cow::Borrowed(v)));
                    if !self.more()? {
                        break;
                    }
                }
            }
            Some(Some(Attributes(out)))
        }

        fn actor(&mut self) -> Option<RawActor<'a>> {
            let mut a = RawActor {
                id: None,
                attributes: None,
            };
            if self.object_start()? {
                loop {
                    match self.known_key(actor_key)? {
                        Key::Id if a.id.is_none() => a.id = self.cow()?,
                        Key::Attributes if a.attributes.is_none() => {
                            a.attributes = self.attributes()?
                        }
                        _ => return None,
                    }
                    if !self.more()? {
                        break;
                    }
                }
            }
            Some(a)
        }
    }

    fn set<T>(slot: &mut Option<T>, v: Option<T>) -> Option<()> {
        if slot.is_some() {
            return None;
        }
        *slot = v;
        Some(())
    }

    /// Scans `s` into `r` (all `None` on entry); `None` when `s` needs the serde path.
    pub(super) fn scan<'a>(s: &'a str, r: &mut RawEvent<'a>) -> Option<()> {
        let mut p = Scan { s, i: 0 };
        if p.object_start()? {
            loop {
                match p.known_key(top_key)? {
                    Key::Type => set(&mut r.ty, p.cow()?)?,
                    Key::Action => set(&mut r.action, p.cow()?)?,
                    Key::Scope => set(&mut r.scope, p.cow()?)?,
                    Key::Status => set(&mut r.status, p.cow()?)?,
                    Key::LegacyId => set(&mut r.id, p.cow()?)?,
                    Key::From => set(&mut r.from, p.cow()?)?,
                    Key::Time => set(&mut r.time, Some(super::Num::Int(p.int()?)))?,
                    Key::TimeNano => set(&mut r.time_nano, Some(super::Num::Int(p.int()?)))?,
                    Key::Actor if r.actor.is_none() => r.actor = Some(p.actor()?),
                    _ => return None,
                }
                if !p.more()? {
                    break;
                }
            }
        }
        p.ws();
        (p.i == s.len()).then_some(())
    }
}
