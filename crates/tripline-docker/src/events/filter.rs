//! `docker events --filter` semantics (moby `daemon/events/filter.go`): values of the same
//! key OR, different keys AND; `label` values AND; `event=` becomes a prefix match when any
//! value is `exec_create`, `exec_start` or `health_status`; object keys (container, network,
//! volume…) match the actor ID or the `name` attribute by prefix; `image=` also matches the
//! tag-stripped reference.

use std::collections::BTreeMap;

use super::kind::EventType;
use super::record::EventRecord;
use crate::{Error, Timestamp};

/// Keys the daemon accepts.
pub const FILTER_KEYS: &[&str] = &[
    "config",
    "container",
    "daemon",
    "event",
    "image",
    "label",
    "network",
    "node",
    "plugin",
    "scope",
    "secret",
    "service",
    "type",
    "volume",
];

/// A set of `key=value` event filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    terms: BTreeMap<String, Vec<String>>,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
}

impl EventFilter {
    /// An empty filter (matches everything).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one term; unknown keys are rejected like the daemon does.
    pub fn add(&mut self, key: &str, value: &str) -> Result<&mut Self, Error> {
        if !FILTER_KEYS.contains(&key) {
            return Err(Error::argument(key, "unknown filter key"));
        }
        self.terms
            .entry(key.to_owned())
            .or_default()
            .push(value.to_owned());
        Ok(self)
    }

    /// Adds a `--filter key=value` argument.
    pub fn add_arg(&mut self, arg: &str) -> Result<&mut Self, Error> {
        let (k, v) = arg
            .split_once('=')
            .ok_or_else(|| Error::argument(arg, "expected key=value"))?;
        self.add(k.trim(), v)
    }

    /// Builds a filter from `--filter` arguments.
    pub fn from_args<'s>(args: impl IntoIterator<Item = &'s str>) -> Result<Self, Error> {
        let mut f = Self::new();
        for a in args {
            f.add_arg(a)?;
        }
        Ok(f)
    }

    /// Parses the API's `filters` query value: `{"key":["v1","v2"]}` or the legacy
    /// `{"key":{"v1":true}}`.
    pub fn from_json(s: &str) -> Result<Self, Error> {
        let v: serde_json::Value =
            serde_json::from_str(s).map_err(|_| Error::argument(s, "filters is not JSON"))?;
        let obj = v
            .as_object()
            .ok_or_else(|| Error::argument(s, "filters is not an object"))?;
        let mut f = Self::new();
        for (k, vals) in obj {
            match vals {
                serde_json::Value::Array(a) => {
                    for x in a {
                        let x = x
                            .as_str()
                            .ok_or_else(|| Error::argument(s, "filter value is not a string"))?;
                        f.add(k, x)?;
                    }
                }
                serde_json::Value::Object(m) => {
                    for (x, on) in m {
                        if on.as_bool() == Some(true) {
                            f.add(k, x)?;
                        }
                    }
                }
                _ => return Err(Error::argument(s, "filter values must be a list")),
            }
        }
        Ok(f)
    }

    /// Keeps events at or after `since` (the daemon replays buffered events with
    /// `timeNano >= since`); see [`parse_time_arg`](crate::parse_time_arg) for the CLI forms.
    pub fn since(&mut self, t: Timestamp) -> &mut Self {
        self.since = Some(t);
        self
    }

    /// Keeps events at or before `until`. `until < since` is rejected, as the daemon does.
    pub fn until(&mut self, t: Timestamp) -> Result<&mut Self, Error> {
        if self.since.is_some_and(|s| t < s) {
            return Err(Error::argument(
                &t.to_rfc3339_nano(),
                "until is before since",
            ));
        }
        self.until = Some(t);
        Ok(self)
    }

    /// Whether no term or time bound is set.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.since.is_none() && self.until.is_none()
    }

    fn in_window(&self, ev: &EventRecord<'_>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(t) = ev.timestamp else { return false };
        let key = |x: &Timestamp| (x.secs, x.nanos);
        self.since.is_none_or(|s| key(&t) >= key(&s))
            && self.until.is_none_or(|u| key(&t) <= key(&u))
    }

    fn values(&self, key: &str) -> Option<&[String]> {
        self.terms.get(key).map(Vec::as_slice)
    }

    fn exact(&self, key: &str, source: &str) -> bool {
        self.values(key)
            .is_none_or(|vs| vs.iter().any(|v| v == source))
    }

    fn fuzzy(&self, key: &str, source: &str) -> bool {
        self.values(key)
            .is_none_or(|vs| vs.iter().any(|v| source.starts_with(v.as_str())))
    }

    fn fuzzy_name(&self, ev: &EventRecord<'_>, ty: EventType) -> bool {
        let key = ty.as_str();
        if self.values(key).is_none() {
            return true;
        }
        self.fuzzy(key, &ev.actor_id) || ev.name().is_some_and(|n| self.fuzzy(key, n))
    }

    /// Whether the event passes every key.
    pub fn matches(&self, ev: &EventRecord<'_>) -> bool {
        if !self.in_window(ev) {
            return false;
        }
        if self.terms.is_empty() {
            return true;
        }
        let event_ok = match self.values("event") {
            None => true,
            Some(vs)
                if vs.iter().any(|v| {
                    matches!(v.as_str(), "health_status" | "exec_create" | "exec_start")
                }) =>
            {
                self.fuzzy("event", &ev.action)
            }
            Some(_) => self.exact("event", &ev.action),
        };
        event_ok
            && self.exact("type", ev.event_type.as_str())
            && ev
                .scope
                .as_deref()
                .map_or(self.values("scope").is_none(), |s| self.exact("scope", s))
            && self.fuzzy_name(ev, EventType::Daemon)
            && self.fuzzy_name(ev, EventType::Container)
            && self.fuzzy_name(ev, EventType::Plugin)
            && self.fuzzy_name(ev, EventType::Volume)
            && self.fuzzy_name(ev, EventType::Network)
            && self.match_image(ev)
            && self.fuzzy_name(ev, EventType::Node)
            && self.fuzzy_name(ev, EventType::Service)
            && self.fuzzy_name(ev, EventType::Secret)
            && self.fuzzy_name(ev, EventType::Config)
            && self.match_labels(ev)
    }

    fn match_image(&self, ev: &EventRecord<'_>) -> bool {
        if self.values("image").is_none() {
            return true;
        }
        let name = if ev.event_type == EventType::Image {
            ev.name()
        } else {
            ev.image()
        }
        .unwrap_or("");
        let id = ev.actor_id.as_ref();
        self.exact("image", id)
            || self.exact("image", name)
            || self.exact("image", &strip_tag(id))
            || self.exact("image", &strip_tag(name))
    }

    fn match_labels(&self, ev: &EventRecord<'_>) -> bool {
        let Some(vs) = self.values("label") else {
            return true;
        };
        vs.iter().all(|t| match t.split_once('=') {
            Some((k, v)) => ev.attr(k) == Some(v),
            None => ev.attr(t).is_some(),
        })
    }
}

/// The familiar image name without tag or digest (`docker.io/library/alpine:3` → `alpine`).
pub fn strip_tag(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last_slash = no_digest.rfind('/').map_or(0, |i| i + 1);
    let name = match no_digest[last_slash..].find(':') {
        Some(c) => &no_digest[..last_slash + c],
        None => no_digest,
    };
    let name = name.strip_prefix("docker.io/").unwrap_or(name);
    name.strip_prefix("library/").unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(json: &str) -> EventRecord<'_> {
        EventRecord::from_str(json).unwrap()
    }

    #[test]
    fn docker_filter_semantics() {
        let e = ev(
            r#"{"Type":"container","Action":"exec_start: sh -c ls","Actor":{"ID":"0123456789abcdef","Attributes":{"image":"docker.io/library/alpine:3.19","name":"web","com.x":"1"}},"scope":"local","time":1,"timeNano":1000000001}"#,
        );
        let f = |a: &[&str]| {
            EventFilter::from_args(a.iter().copied())
                .unwrap()
                .matches(&e)
        };
        assert!(f(&[]));
        assert!(f(&["event=exec_start"]));
        assert!(!f(&["event=exec_create"]));
        assert!(f(&["event=die", "event=exec_start"]));
        assert!(!f(&["event=die"]));
        assert!(f(&["type=container", "container=0123"]));
        assert!(f(&["container=we"]));
        assert!(!f(&["container=db"]));
        assert!(!f(&["type=image", "container=web"]));
        assert!(f(&["image=alpine"]));
        assert!(f(&["image=docker.io/library/alpine:3.19"]));
        assert!(!f(&["image=busybox"]));
        assert!(f(&["label=com.x", "label=com.x=1"]));
        assert!(!f(&["label=com.x", "label=com.y"]));
        assert!(f(&["scope=local"]));
        assert!(!f(&["scope=swarm"]));
        assert!(EventFilter::from_args(["bogus=1"]).is_err());
        assert!(EventFilter::from_args(["nokey"]).is_err());
        let j = EventFilter::from_json(r#"{"type":["container"],"event":{"die":true}}"#).unwrap();
        assert!(!j.matches(&e));
        assert_eq!(
            strip_tag("registry:5000/a/b:1@sha256:ff"),
            "registry:5000/a/b"
        );
    }
}
