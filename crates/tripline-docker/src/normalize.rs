//! Normalization into `tripline_schema::Event` (feature `schema`).
//!
//! Events become [`EventKind::ContainerLifecycle`] for every object type (container, image,
//! volume, network, daemon…); reassembled log messages become [`EventKind::LogLine`]. What
//! the schema does not model goes under `unmapped.docker`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use tripline_schema::{
    Container, ContainerLifecycle, Event, EventKind, Field, Fields, Image,
    LogLine as SchemaLogLine, Outcome, PartialInfo, Process, Product, Raw, Severity, Source,
    Stream as SchemaStream, Text, kind::TextMap,
};

use crate::events::kind::{Action, EventType, split_action};
use crate::events::record::{Era, EventRecord, Trust};
use crate::events::text::{head_len, render_text_event, write_attrs, write_head};
use crate::inspect::{ContainerInfo, EnrichmentCache};
use crate::logs::line::{LogFormat, Stream};
use crate::logs::partial::{Flush, Message};
use crate::{Location, Timestamp};

/// Context for normalization.
#[derive(Debug, Clone, Copy, Default)]
pub struct NormalizeOptions<'o> {
    /// Container details to enrich from (and to check label-overwritten attributes).
    pub cache: Option<&'o EnrichmentCache>,
    /// The original text of the record, kept as `raw.text` (events get a `raw` only when
    /// this or `location` is given; without it the modern JSON rendering is used).
    pub raw: Option<&'o str>,
    /// Where the record was read.
    pub location: Option<Location>,
    /// The file it was read from.
    pub file: Option<&'o str>,
}

fn time_of(t: Option<Timestamp>) -> DateTime<Utc> {
    t.and_then(|t| t.to_datetime())
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// A schema container entity from an inspect record.
pub fn container_entity(info: &ContainerInfo) -> Container {
    let mut image = Image::parse_reference(&info.image);
    if !info.image_id.is_empty() {
        image.id = Some(Text::from(info.image_id.as_str()));
    }
    Container {
        id: Some(Text::from(info.id.as_str())),
        name: Some(Text::from(info.name.as_str())).filter(|n| !n.is_empty()),
        image: Some(image),
        runtime: Some("docker".into()),
        labels: info
            .labels
            .iter()
            .map(|(k, v)| (Text::from(k.as_str()), Text::from(v.as_str())))
            .collect(),
        privileged: Some(info.privileged),
    }
}

/// Splits an exec command the way a reader expects (whitespace; Docker joins the argv with
/// spaces, so quoting is already lost).
fn exec_process(cmd: &str) -> Process {
    let args: Vec<Text> = cmd.split_whitespace().map(Text::from).collect();
    let executable = args.first().cloned();
    Process {
        name: executable
            .as_deref()
            .map(|e| Text::from(e.rsplit('/').next().unwrap_or(e))),
        executable,
        command_line: Some(Text::from(cmd.trim_end())),
        args,
        ..Process::default()
    }
}

fn raw_of(opts: &NormalizeOptions<'_>, fallback: impl FnOnce() -> String) -> Raw {
    Raw {
        text: opts.raw.map_or_else(|| fallback().into(), Text::from),
        location: opts.location.map(|l| tripline_schema::Location {
            file: opts.file.map(Text::from),
            line: Some(l.line).filter(|n| *n > 0),
            offset: Some(l.offset),
        }),
        ..Raw::default()
    }
}

fn trust_text(t: Trust) -> Text {
    match t {
        Trust::Daemon => const { Text::const_new("daemon") },
        Trust::Unverified => const { Text::const_new("unverified") },
        Trust::Verified => const { Text::const_new("verified") },
        Trust::Overwritten => const { Text::const_new("overwritten") },
        Trust::Label => const { Text::const_new("label") },
    }
}

impl EventRecord<'_> {
    /// Normalizes with no enrichment.
    pub fn normalize(&self) -> Event {
        self.normalize_with(&NormalizeOptions::default())
    }

    /// Normalizes, enriching the container from the cache and checking attributes that a
    /// label may have overwritten against its labels.
    pub fn normalize_with(&self, opts: &NormalizeOptions<'_>) -> Event {
        let (verb_str, detail) = split_action(&self.action);
        let verb = Action::parse(verb_str);
        let is_container = self.event_type == EventType::Container;
        let container_key = match self.event_type {
            EventType::Container => Some(self.actor_id.as_ref()).filter(|s| !s.is_empty()),
            EventType::Network | EventType::Volume => self.attr("container"),
            _ => None,
        };
        let info = container_key.and_then(|k| opts.cache.and_then(|c| c.get(k)));
        let labels = info.map(|i| &i.labels);

        // One pass over the attributes: the schema's copy, the daemon keys' trust, and the
        // few values normalization reads (last one wins when a key repeats, as in `attr`).
        // The same pass sizes the rendered attribute list (`k=v` plus `, `).
        let mut attributes = TextMap::with_capacity(self.attributes.len());
        let mut attrs_len = 0;
        let mut trust_map: Option<Fields> = None;
        let mut trusted = true;
        let (mut signal, mut exec_id, mut exit_attr) = (None, None, None);
        for (k, v) in self.attributes.iter() {
            attrs_len += k.len() + v.len() + 3;
            attributes.insert(attribute_key(k), Text::from(v));
            let Some(daemon_key) = daemon_key(k) else {
                continue;
            };
            match k {
                "signal" => signal = Some(v),
                "execID" => exec_id = Some(v),
                "exitCode" => exit_attr = Some(v),
                _ => {}
            }
            let t = self.attribute_trust(k, labels);
            trusted &= !matches!(t, Trust::Overwritten | Trust::Unverified);
            trust_map
                .get_or_insert_with(|| Fields::with_capacity(2))
                .insert(daemon_key, trust_text(t));
        }
        let mut exit_code = exit_attr
            .and_then(|v| v.parse().ok())
            .or(self.container_exit_code);
        let exit_overwritten =
            info.is_some() && self.attribute_trust("exitCode", labels) == Trust::Overwritten;
        if let Some(i) = info
            && exit_overwritten
        {
            exit_code = (!i.running).then_some(i.exit_code);
        }
        let is_exit = matches!(verb, Action::Die | Action::ExecDie);
        let object_type = self.event_type.as_str();
        let mut source = Source::new(Product::Docker, const { Text::const_new("docker-events") });
        let mut code = Text::with_capacity(object_type.len() + 1 + verb_str.len());
        code.push_str(object_type);
        code.push('/');
        code.push_str(verb_str);
        source.event_code = Some(code);
        // Built once: an inline `Text` clones without allocating.
        let action = Text::from(verb_str);
        let outcome = match (&verb, exit_code) {
            (Action::Die | Action::ExecDie, Some(0)) => Outcome::Success,
            (Action::Die | Action::ExecDie, Some(_)) | (Action::Oom, _) => Outcome::Failure,
            _ => Outcome::Unknown,
        };
        let raw = (opts.raw.is_some() || opts.location.is_some())
            .then(|| raw_of(opts, || self.to_json()));
        // Built in key order with its final size and taken as it is by `Fields::from_sorted`
        // (one order check instead of a sorted insert per entry).
        let extra = [
            &self.status,
            &self.from,
            &self.service,
            &self.health_status,
            &self.scope,
        ]
        .iter()
        .filter(|v| v.is_some())
        .count();
        let mut d: Vec<(Text, Field)> = Vec::with_capacity(
            1 + extra
                + usize::from(trust_map.is_some())
                + usize::from(exit_overwritten)
                + usize::from(self.type_inferred)
                + usize::from(self.timestamp.is_none())
                + usize::from(matches!(verb, Action::Oom)),
        );
        if let Some(t) = trust_map {
            d.push((const { Text::const_new("attribute_trust") }, t.into()));
        }
        d.push((const { Text::const_new("era") }, era_text(self.era).into()));
        if let Some(i) = info
            && exit_overwritten
        {
            d.push((
                const { Text::const_new("exit_code_from_inspect") },
                i.exit_code.into(),
            ));
        }
        if let Some(v) = &self.from {
            d.push((const { Text::const_new("from") }, v.as_ref().into()));
        }
        if let Some(v) = &self.health_status {
            d.push((
                const { Text::const_new("health_status") },
                v.as_ref().into(),
            ));
        }
        if matches!(verb, Action::Oom) {
            d.push((const { Text::const_new("oom") }, true.into()));
        }
        if let Some(v) = &self.scope {
            d.push((const { Text::const_new("scope") }, v.as_ref().into()));
        }
        if let Some(v) = &self.service {
            d.push((const { Text::const_new("service") }, v.as_ref().into()));
        }
        if let Some(v) = &self.status {
            d.push((const { Text::const_new("status") }, v.as_ref().into()));
        }
        if self.timestamp.is_none() {
            d.push((const { Text::const_new("time_missing") }, true.into()));
        }
        if self.type_inferred {
            d.push((const { Text::const_new("type_inferred") }, true.into()));
        }
        let mut unmapped = Fields::with_capacity(1);
        unmapped.insert(const { Text::const_new("docker") }, Fields::from_sorted(d));
        // One struct expression, built in the caller's slot: `Event::new` plus assignments
        // moved the event (0.8 KB) three times per record.
        Event {
            id: None,
            time: time_of(self.timestamp),
            observed: None,
            source,
            action: Some(action.clone()),
            host: None,
            // Built in place: a separate binding moved the 200-byte container.
            container: match (info, container_key) {
                (Some(i), _) => Some(container_entity(i)),
                (None, Some(id)) => Some(Container {
                    id: Some(Text::from(id)),
                    name: if is_container {
                        self.name().map(Text::from)
                    } else {
                        None
                    },
                    image: if is_container {
                        self.image().map(Image::parse_reference)
                    } else {
                        None
                    },
                    runtime: Some(const { Text::const_new("docker") }),
                    ..Container::default()
                }),
                (None, None) => None,
            },
            orchestrator: None,
            outcome,
            severity: Severity::default(),
            message: Some(Text::from(self.render_message(&attributes, attrs_len))),
            tags: Vec::new(),
            labels: BTreeMap::new(),
            kind: EventKind::ContainerLifecycle(Box::new(ContainerLifecycle {
                object_type: Text::from(object_type),
                action,
                detail: detail.map(Text::from),
                actor_id: (!self.actor_id.is_empty()).then(|| Text::from(self.actor_id.as_ref())),
                attributes,
                exit_code: if is_exit { exit_code } else { None },
                signal: signal.map(Text::from),
                exec_id: exec_id.map(Text::from),
                exec: match verb {
                    Action::ExecCreate | Action::ExecStart => detail.map(exec_process),
                    _ => None,
                },
                trusted,
            })),
            raw,
            unmapped,
        }
    }
}

impl EventRecord<'_> {
    /// [`render_text_event`], from the schema's copy of the attributes when it holds them
    /// all: with no key repeated, its key order is the order the CLI prints (the record's
    /// own order when sorted, else sorted), so the line is written in one pass into a buffer
    /// of its exact size, with no sortedness check. `attrs_len` is the sum of
    /// `k.len() + v.len() + 3` over the record's attributes.
    fn render_message(&self, attributes: &TextMap, attrs_len: usize) -> String {
        if attributes.len() != self.attributes.len() {
            return render_text_event(self);
        }
        let mut s = String::with_capacity(head_len(self) + attrs_len + 1);
        write_head(self, &mut s);
        write_attrs(
            attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &mut s,
        );
        s
    }
}

/// A `match` from each listed name to itself as a static `Text` (neither allocated nor
/// copied), each name written once; the list itself for the tests.
macro_rules! static_names {
    ($(#[$m:meta])* fn $f:ident, $list:ident = [$($name:literal),* $(,)?]) => {
        $(#[$m])*
        fn $f(k: &str) -> Option<Text> {
            match k {
                $($name => Some(const { Text::const_new($name) }),)*
                _ => None,
            }
        }
        #[cfg(test)]
        const $list: &[&str] = &[$($name),*];
    };
}

static_names! {
    /// The well-known label keys longer than `Text`'s 24 inline bytes: Compose's and the
    /// OCI image annotations, on nearly every event of a Compose container.
    fn long_label_key,
    LONG_LABEL_KEYS = [
        "com.docker.compose.project",
        "com.docker.compose.service",
        "com.docker.compose.version",
        "com.docker.compose.oneoff",
        "com.docker.compose.config-hash",
        "com.docker.compose.container-number",
        "com.docker.compose.depends_on",
        "com.docker.compose.project.config_files",
        "com.docker.compose.project.working_dir",
        "org.opencontainers.image.authors",
        "org.opencontainers.image.created",
        "org.opencontainers.image.description",
        "org.opencontainers.image.documentation",
        "org.opencontainers.image.licenses",
        "org.opencontainers.image.ref.name",
        "org.opencontainers.image.revision",
        "org.opencontainers.image.source",
        "org.opencontainers.image.title",
        "org.opencontainers.image.url",
        "org.opencontainers.image.vendor",
        "org.opencontainers.image.version",
    ]
}

/// `k` as the static name ([`DAEMON_KEYS`](crate::DAEMON_KEYS)) when the daemon sets it
/// itself: a `Text` of a `&'static str` is neither allocated nor copied from `k`.
fn daemon_key(k: &str) -> Option<Text> {
    let name: &'static str = crate::DAEMON_KEYS.iter().find(|d| **d == k)?;
    Some(Text::const_new(name))
}

/// An attribute key as a `Text`: a well-known long label key is static, others are copied.
fn attribute_key(k: &str) -> Text {
    if k.len() <= 24 {
        return Text::from(k);
    }
    long_label_key(k).unwrap_or_else(|| Text::from(k))
}

impl Message {
    /// Normalizes a reassembled log message into a log-line event.
    pub fn normalize(&self) -> Event {
        self.normalize_with(&NormalizeOptions::default())
    }

    /// Normalizes, enriching the container from the cache (looked up by the message's
    /// container key: file id, compose name).
    pub fn normalize_with(&self, opts: &NormalizeOptions<'_>) -> Event {
        // `from_utf8` is much faster than the lossy scan on the valid text nearly all lines
        // carry; only invalid bytes take the replacing path.
        let (text, lossy) = match std::str::from_utf8(&self.text) {
            Ok(s) => (Text::from(s), false),
            Err(_) => (Text::from(String::from_utf8_lossy(&self.text)), true),
        };
        self.event_with_text(text, lossy, opts)
    }

    /// Like [`Message::normalize`], consuming the message: its text buffer becomes the
    /// event's text without a copy (the same event as `normalize` builds).
    pub fn into_event(self) -> Event {
        self.into_event_with(&NormalizeOptions::default())
    }

    /// Like [`Message::normalize_with`], consuming the message: its text buffer becomes the
    /// event's text without a copy (the same event as `normalize_with` builds).
    pub fn into_event_with(mut self, opts: &NormalizeOptions<'_>) -> Event {
        let (text, lossy) = match String::from_utf8(std::mem::take(&mut self.text)) {
            Ok(s) => (Text::from(s), false),
            Err(e) => (Text::from(String::from_utf8_lossy(e.as_bytes())), true),
        };
        self.event_with_text(text, lossy, opts)
    }

    /// The container of a journald entry without an inspect record: the driver names it and
    /// its image in every entry (out of line: the json-file path is measured per line).
    #[cold]
    #[inline(never)]
    fn journald_container(&self, key: &str, is_id: bool) -> Container {
        Container {
            id: is_id.then(|| Text::from(key)),
            name: self
                .attrs
                .get("CONTAINER_NAME")
                .or((!is_id).then_some(key))
                .map(Text::from),
            image: self.attrs.get("IMAGE_NAME").map(Image::parse_reference),
            ..Container::default()
        }
    }

    fn event_with_text(&self, text: Text, lossy: bool, opts: &NormalizeOptions<'_>) -> Event {
        let partial = (self.chunks > 1 || self.flush != Flush::Complete).then(|| PartialInfo {
            chunks: self.chunks,
            complete: self.flush == Flush::Complete,
            flush_reason: (self.flush != Flush::Complete).then(|| flush_text(self.flush)),
        });
        let stream = match &self.stream {
            Stream::Stdout => SchemaStream::Stdout,
            Stream::Stderr => SchemaStream::Stderr,
            other => SchemaStream::Other(Text::from(other.as_str())),
        };
        let info = opts.cache.and_then(|c| c.get(&self.container));
        let container = match info {
            Some(i) => Some(container_entity(i)),
            None if self.container.is_empty() => None,
            None => {
                // The key is copied straight into its field: a `Text` built first and then
                // moved through an `(id, name)` pair stalled on store forwarding (perf).
                let key: &str = &self.container;
                let is_id = key.len() >= 12 && key.bytes().all(|c| c.is_ascii_hexdigit());
                if self.format == LogFormat::Journald {
                    Some(self.journald_container(key, is_id))
                } else {
                    Some(Container {
                        id: is_id.then(|| Text::from(key)),
                        name: (!is_id).then(|| Text::from(key)),
                        ..Container::default()
                    })
                }
            }
        };
        let file = opts
            .file
            .map(Text::from)
            .or_else(|| self.file.as_ref().map(|p| p.display().to_string().into()));
        let mut unmapped = Fields::new();
        if !self.attrs.is_empty() || self.source.is_some() || self.time.is_none() {
            let mut d = Fields::new();
            if !self.attrs.is_empty() {
                let m: Fields = self.attrs.iter().collect();
                d.insert(const { Text::const_new("attrs") }, m);
            }
            if let Some(s) = &self.source {
                d.insert(const { Text::const_new("compose_name") }, s.as_ref());
            }
            if self.time.is_none() {
                d.insert(const { Text::const_new("time_missing") }, true);
            }
            unmapped.insert(const { Text::const_new("docker") }, d);
        }
        // One struct expression, built in the caller's slot: `Event::new` plus assignments
        // moved the event (816 bytes) twice per line.
        Event {
            id: None,
            time: time_of(self.time),
            observed: None,
            source: Source::new(Product::Docker, format_text(self.format)),
            action: Some(const { Text::const_new("log") }),
            host: None,
            container,
            orchestrator: None,
            outcome: Outcome::Unknown,
            severity: Severity::default(),
            // `message` reads through to the log line's text; no second copy.
            message: None,
            tags: Vec::new(),
            labels: BTreeMap::new(),
            kind: EventKind::LogLine(SchemaLogLine {
                stream,
                text,
                partial,
            }),
            // The payload is the log line's text; `raw.text` holds the original line only
            // when the caller passes it, so the payload is not copied a second time.
            raw: Some(Raw {
                text: opts.raw.map(Text::from).unwrap_or_default(),
                lossy,
                location: Some(tripline_schema::Location {
                    file,
                    line: Some(self.location.line).filter(|n| *n > 0),
                    offset: Some(self.location.offset),
                }),
                ..Raw::default()
            }),
            unmapped,
        }
    }
}

/// The flush reason as `format!("{:?}").to_lowercase()` wrote it, without formatting.
fn flush_text(f: Flush) -> Text {
    match f {
        Flush::Complete => const { Text::const_new("complete") },
        Flush::SizeCap => const { Text::const_new("sizecap") },
        Flush::Idle => const { Text::const_new("idle") },
        Flush::EndOfInput => const { Text::const_new("endofinput") },
        Flush::ContainerExit => const { Text::const_new("containerexit") },
        Flush::Evicted => const { Text::const_new("evicted") },
    }
}

/// The log format's name as a prebuilt `Text`.
fn format_text(f: LogFormat) -> Text {
    match f {
        LogFormat::JsonFile => const { Text::const_new("json-file") },
        LogFormat::Cri => const { Text::const_new("cri") },
        LogFormat::Timestamped => const { Text::const_new("docker-logs-t") },
        LogFormat::Compose => const { Text::const_new("compose") },
        LogFormat::ComposeStatus => const { Text::const_new("compose-status") },
        LogFormat::Plain => const { Text::const_new("plain") },
        LogFormat::Journald => const { Text::const_new("journald") },
        LogFormat::Local => const { Text::const_new("local") },
    }
}

/// The era's name as a prebuilt `Text`.
fn era_text(e: Era) -> Text {
    match e {
        Era::Legacy => const { Text::const_new("legacy") },
        Era::Transition => const { Text::const_new("transition") },
        Era::Modern => const { Text::const_new("modern") },
        Era::Compose => const { Text::const_new("compose") },
        Era::Text => const { Text::const_new("text") },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message is the CLI line whatever the attribute order, with repeated keys too.
    #[test]
    fn message_is_the_rendered_line() {
        for line in [
            r#"{"Type":"container","Action":"start","Actor":{"ID":"abc123abc123","Attributes":{"name":"web","image":"nginx","exitCode":"0"}},"time":1700000000,"timeNano":1700000000000000001}"#,
            r#"{"Type":"container","Action":"start","Actor":{"ID":"abc123abc123","Attributes":{"b":"2","a":"9","b":"1"}},"time":1700000000,"timeNano":1700000000000000001}"#,
            r#"{"Type":"container","Action":"start","Actor":{"ID":"abc123abc123","Attributes":{"a":"1","b":"2"}},"time":1700000000}"#,
            r#"{"Type":"image","Action":"delete","Actor":{"ID":"sha256:abc","Attributes":{}},"time":1700000000}"#,
            r#"{"Type":"image","Action":"delete","Actor":{"ID":""}}"#,
        ] {
            let rec = EventRecord::from_str(line).unwrap();
            let ev = rec.normalize();
            assert_eq!(
                ev.message.as_deref(),
                Some(render_text_event(&rec).as_str()),
                "{line}"
            );
            let EventKind::ContainerLifecycle(c) = &ev.kind else {
                panic!("{line}")
            };
            let keys: Vec<&str> = c.attributes.keys().map(Text::as_str).collect();
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(keys, sorted);
        }
        let rec = EventRecord::from_str(
            r#"{"Type":"container","Action":"start","Actor":{"ID":"x","Attributes":{"b":"2","a":"9","b":"1"}},"time":1}"#,
        )
        .unwrap();
        let EventKind::ContainerLifecycle(c) = &rec.normalize().kind else {
            panic!()
        };
        assert_eq!(c.attributes.get("b").map(Text::as_str), Some("1"));
        for k in [
            "com.docker.compose.project",
            "org.opencontainers.image.version",
            "a.label.longer.than.24.bytes",
            "short",
        ] {
            assert_eq!(attribute_key(k), k);
        }
        assert_eq!(c.attributes.len(), 2);
    }

    /// The static key tables: every long label is past the inline size (else it would be
    /// pointless) and maps to itself; each daemon key maps to itself.
    #[test]
    fn static_key_tables() {
        for k in LONG_LABEL_KEYS {
            assert!(k.len() > 24, "{k}");
            assert_eq!(long_label_key(k).as_deref(), Some(*k));
            assert_eq!(attribute_key(k), *k);
        }
        for k in crate::DAEMON_KEYS {
            assert_eq!(daemon_key(k).as_deref(), Some(*k));
        }
        assert_eq!(daemon_key("exitcode"), None);
        assert_eq!(long_label_key("com.docker.compose.projec"), None);
    }
}
