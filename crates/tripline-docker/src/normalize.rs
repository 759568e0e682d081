//! Normalization into `tripline_schema::Event` (feature `schema`).
//!
//! Events become [`EventKind::ContainerLifecycle`] for every object type (container, image,
//! volume, network, daemon…); reassembled log messages become [`EventKind::LogLine`]. What
//! the schema does not model goes under `unmapped.docker`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use tripline_schema::{
    Container, ContainerLifecycle, Event, EventKind, Fields, Image, LogLine as SchemaLogLine,
    Outcome, PartialInfo, Process, Product, Raw, Source, Stream as SchemaStream, Text,
};

use crate::events::kind::{Action, EventType};
use crate::events::record::{DAEMON_KEYS, EventRecord, Trust};
use crate::events::text::render_text_event;
use crate::inspect::{ContainerInfo, EnrichmentCache};
use crate::logs::line::Stream;
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
fn exec_process(cmd: &str, user: Option<&str>) -> Process {
    let args: Vec<Text> = cmd.split_whitespace().map(Text::from).collect();
    let executable = args.first().cloned();
    let _ = user;
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

fn trust_name(t: Trust) -> &'static str {
    match t {
        Trust::Daemon => "daemon",
        Trust::Unverified => "unverified",
        Trust::Verified => "verified",
        Trust::Overwritten => "overwritten",
        Trust::Label => "label",
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
        let verb = self.verb();
        let container_key = match self.event_type {
            EventType::Container => Some(self.actor_id.as_ref()).filter(|s| !s.is_empty()),
            EventType::Network | EventType::Volume => self.attr("container"),
            _ => None,
        };
        let info = container_key.and_then(|k| opts.cache.and_then(|c| c.get(k)));
        let labels = info.map(|i| &i.labels);

        let mut trust_map = Fields::new();
        let mut trusted = true;
        for (k, _) in self.attributes.iter() {
            if DAEMON_KEYS.contains(&k) {
                let t = self.attribute_trust(k, labels);
                trusted &= !matches!(t, Trust::Overwritten | Trust::Unverified);
                trust_map.insert(k, trust_name(t));
            }
        }
        let mut exit_code = self.exit_code();
        if let Some(i) = info
            && self.attribute_trust("exitCode", labels) == Trust::Overwritten
        {
            exit_code = (!i.running).then_some(i.exit_code);
        }
        let exec = match verb {
            Action::ExecCreate | Action::ExecStart => self.detail().map(|d| exec_process(d, None)),
            _ => None,
        };
        let attributes: BTreeMap<Text, Text> = self
            .attributes
            .iter()
            .map(|(k, v)| (Text::from(k), Text::from(v)))
            .collect();
        let lifecycle = ContainerLifecycle {
            object_type: Text::from(self.event_type.as_str()),
            action: Text::from(self.verb_str()),
            detail: self.detail().map(Text::from),
            actor_id: Some(Text::from(self.actor_id.as_ref())).filter(|s| !s.is_empty()),
            attributes,
            exit_code: if matches!(verb, Action::Die | Action::ExecDie) {
                exit_code
            } else {
                None
            },
            signal: self.attr("signal").map(Text::from),
            exec_id: self.attr("execID").map(Text::from),
            exec,
            trusted,
        };
        let mut source = Source::new(Product::Docker, "docker-events");
        source.event_code = Some(format!("{}/{}", self.event_type, self.verb_str()).into());
        let mut ev = Event::new(
            time_of(self.timestamp),
            source,
            EventKind::ContainerLifecycle(lifecycle),
        );
        ev.action = Some(Text::from(self.verb_str()));
        ev.message = Some(render_text_event(self).into());
        ev.outcome = match (&verb, exit_code) {
            (Action::Die | Action::ExecDie, Some(0)) => Outcome::Success,
            (Action::Die | Action::ExecDie, Some(_)) | (Action::Oom, _) => Outcome::Failure,
            _ => Outcome::Unknown,
        };
        ev.container = match (info, container_key) {
            (Some(i), _) => Some(container_entity(i)),
            (None, Some(id)) => Some(Container {
                id: Some(Text::from(id)),
                name: if self.event_type == EventType::Container {
                    self.name().map(Text::from)
                } else {
                    None
                },
                image: if self.event_type == EventType::Container {
                    self.image().map(Image::parse_reference)
                } else {
                    None
                },
                runtime: Some("docker".into()),
                ..Container::default()
            }),
            (None, None) => None,
        };
        if opts.raw.is_some() || opts.location.is_some() {
            ev.raw = Some(raw_of(opts, || self.to_json()));
        }
        let d = ev.vendor_mut("docker");
        d.insert("era", format!("{:?}", self.era).to_lowercase());
        if let Some(s) = &self.scope {
            d.insert("scope", s.as_ref());
        }
        if self.type_inferred {
            d.insert("type_inferred", true);
        }
        if !trust_map.is_empty() {
            d.insert("attribute_trust", trust_map);
        }
        for (k, v) in [
            ("status", &self.status),
            ("from", &self.from),
            ("service", &self.service),
            ("health_status", &self.health_status),
        ] {
            if let Some(v) = v {
                d.insert(k, v.as_ref());
            }
        }
        if self.timestamp.is_none() {
            d.insert("time_missing", true);
        }
        if matches!(verb, Action::Oom) {
            d.insert("oom", true);
        }
        if let Some(i) = info
            && self.attribute_trust("exitCode", labels) == Trust::Overwritten
        {
            d.insert("exit_code_from_inspect", i.exit_code);
        }
        ev
    }
}

impl Message {
    /// Normalizes a reassembled log message into a log-line event.
    pub fn normalize(&self) -> Event {
        self.normalize_with(&NormalizeOptions::default())
    }

    /// Normalizes, enriching the container from the cache (looked up by the message's
    /// container key: file id, compose name).
    pub fn normalize_with(&self, opts: &NormalizeOptions<'_>) -> Event {
        let text = String::from_utf8_lossy(&self.text);
        let lossy = matches!(text, std::borrow::Cow::Owned(_));
        let partial = (self.chunks > 1 || self.flush != Flush::Complete).then(|| PartialInfo {
            chunks: self.chunks,
            complete: self.flush == Flush::Complete,
            flush_reason: (self.flush != Flush::Complete)
                .then(|| format!("{:?}", self.flush).to_lowercase().into()),
        });
        let stream = match &self.stream {
            Stream::Stdout => SchemaStream::Stdout,
            Stream::Stderr => SchemaStream::Stderr,
            other => SchemaStream::Other(Text::from(other.as_str())),
        };
        let kind = EventKind::LogLine(SchemaLogLine {
            stream,
            text: Text::from(text.as_ref()),
            partial,
        });
        let mut ev = Event::new(
            time_of(self.time),
            Source::new(Product::Docker, self.format.as_str()),
            kind,
        );
        ev.action = Some("log".into());
        // `message` reads through to the log line's text; no second copy.
        let info = opts.cache.and_then(|c| c.get(&self.container));
        ev.container = match info {
            Some(i) => Some(container_entity(i)),
            None if self.container.is_empty() => None,
            None => {
                let key = Text::from(self.container.as_ref());
                let is_id = key.len() >= 12 && key.bytes().all(|c| c.is_ascii_hexdigit());
                Some(Container {
                    id: is_id.then(|| key.clone()),
                    name: (!is_id).then_some(key),
                    ..Container::default()
                })
            }
        };
        let file = opts
            .file
            .map(Text::from)
            .or_else(|| self.file.as_ref().map(|p| p.display().to_string().into()));
        // The payload is the log line's text; `raw.text` holds the original line only when the
        // caller passes it, so the payload is not copied a second time.
        ev.raw = Some(Raw {
            text: opts.raw.map(Text::from).unwrap_or_default(),
            lossy,
            location: Some(tripline_schema::Location {
                file,
                line: Some(self.location.line).filter(|n| *n > 0),
                offset: Some(self.location.offset),
            }),
            ..Raw::default()
        });
        let mut d = Fields::new();
        if !self.attrs.is_empty() {
            let m: Fields = self.attrs.iter().collect();
            d.insert("attrs", m);
        }
        if let Some(s) = &self.source {
            d.insert("compose_name", s.as_ref());
        }
        if self.time.is_none() {
            d.insert("time_missing", true);
        }
        if !d.is_empty() {
            ev.unmapped.insert("docker", d);
        }
        ev
    }
}
