//! JSON alerts: Falco's own JSON of every version, falcosidekick payloads and the gRPC
//! rendering, read by key (never by position) into one borrowed [`Alert`].

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;

use crate::error::{Error, Location, snippet};
use crate::json::{self, Cursor};
use crate::priority::Priority;
use crate::settings::Settings;
use crate::time::Timestamp;
use crate::value::{FieldValue, OutputFields};

/// Which producer shaped a JSON alert, told apart by what only that producer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Flavor {
    /// Falco's own JSON (stdout, file, program or http output), any version.
    Falco,
    /// A falcosidekick payload: has a `uuid`, or the sidekick default `source: "syscalls"`.
    Sidekick,
    /// The gRPC `outputs.response` rendered by a client: `time` as `{seconds,nanos}`, a numeric
    /// priority, or `evt.time` as a clock string. Every output field is a string and missing
    /// values are `"<NA>"`.
    Grpc,
}

/// A JSON value kept as its raw text (validated), borrowed from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawJson<'a>(Cow<'a, str>);

impl RawJson<'_> {
    /// The JSON text.
    pub fn get(&self) -> &str {
        &self.0
    }
}

impl Serialize for RawJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match RawValue::from_string(self.0.to_string()) {
            Ok(raw) => raw.serialize(s),
            Err(_) => s.serialize_unit(),
        }
    }
}

/// What kind of internal message an alert with source `internal` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Internal {
    /// `Falco internal: syscall event drop`: the kernel dropped events, a detection blind spot.
    SyscallDrop,
    /// `Falco internal: metrics snapshot`.
    MetricsSnapshot,
    /// Another `Falco internal: …` message.
    Other,
}

impl Internal {
    /// Classifies a rule name or message that starts with `Falco internal:`.
    pub fn classify(rule_or_message: &str) -> Option<Internal> {
        let rest = rule_or_message.strip_prefix("Falco internal:")?;
        Some(if rest.contains("event drop") {
            Internal::SyscallDrop
        } else if rest.contains("metrics") {
            Internal::MetricsSnapshot
        } else {
            Internal::Other
        })
    }
}

/// One JSON alert, borrowing from the input line.
///
/// Only `time`, `rule` and `priority` are always present; every other key depends on the
/// Falco version and configuration (`json_include_output_property`,
/// `json_include_tags_property`, `json_include_message_property`,
/// `json_include_output_fields_property`) and so is an `Option`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert<'a> {
    /// `time`, exact to the nanosecond.
    pub time: Timestamp,
    /// `rule`, the rule name.
    pub rule: Cow<'a, str>,
    /// `priority`.
    pub priority: Priority,
    /// `source`: `syscall`, `k8s_audit`, a plugin source (`aws_cloudtrail`, `gcp_auditlog`,
    /// `okta`…), `internal`, or sidekick's `syscalls`. Absent before Falco 0.30.
    pub source: Option<Cow<'a, str>>,
    /// `hostname` (Falco 0.33+).
    pub hostname: Option<Cow<'a, str>>,
    /// `output`: the whole text line, with time and priority prefix.
    pub output: Option<Cow<'a, str>>,
    /// `message`: the output without time and priority (Falco 0.39+, off by default).
    pub message: Option<Cow<'a, str>>,
    /// `tags`, sorted by Falco; `Some(vec![])` when the rule has none.
    pub tags: Option<Vec<Cow<'a, str>>>,
    /// `output_fields`, a flat map.
    pub output_fields: Option<OutputFields<'a>>,
    /// `uuid`, added by falcosidekick.
    pub uuid: Option<Cow<'a, str>>,
    /// Any other top-level key (`source_deprecated`, re-shaper additions), as raw JSON.
    pub extra: Vec<(Cow<'a, str>, RawJson<'a>)>,
    /// Which producer shaped the line.
    pub flavor: Flavor,
}

impl<'a> Alert<'a> {
    /// An alert with only the keys every alert has.
    pub fn new(time: Timestamp, rule: impl Into<Cow<'a, str>>, priority: Priority) -> Self {
        Alert {
            time,
            rule: rule.into(),
            priority,
            source: None,
            hostname: None,
            output: None,
            message: None,
            tags: None,
            output_fields: None,
            uuid: None,
            extra: Vec::new(),
            flavor: Flavor::Falco,
        }
    }

    /// An output field by its Falco name.
    pub fn output_field(&self, name: &str) -> Option<&FieldValue<'a>> {
        self.output_fields.as_ref()?.get(name)
    }

    /// Whether this is a Falco internal message (drops, metrics), and which.
    pub fn internal(&self) -> Option<Internal> {
        Internal::classify(&self.rule)
    }

    /// The event time from the output fields (`evt.time` or `evt.time.iso8601`, integer ns),
    /// falling back to `time`. Both come from the same event timestamp in Falco.
    pub fn event_time(&self) -> Timestamp {
        ["evt.time", "evt.time.iso8601"]
            .iter()
            .find_map(|k| match self.output_field(k) {
                Some(FieldValue::Int(n)) => Some(Timestamp::from_unix_nanos(*n)),
                _ => None,
            })
            .unwrap_or(self.time)
    }

    /// Renders the alert as one line of JSON in Falco 0.39+ key order.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Converts into an owned alert that outlives the input.
    pub fn into_owned(self) -> Alert<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        Alert {
            time: self.time,
            rule: own(self.rule),
            priority: self.priority,
            source: self.source.map(own),
            hostname: self.hostname.map(own),
            output: self.output.map(own),
            message: self.message.map(own),
            tags: self.tags.map(|t| t.into_iter().map(own).collect()),
            output_fields: self.output_fields.map(OutputFields::into_owned),
            uuid: self.uuid.map(own),
            extra: self
                .extra
                .into_iter()
                .map(|(k, v)| (own(k), RawJson(own(v.0))))
                .collect(),
            flavor: self.flavor,
        }
    }
}

impl Serialize for Alert<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(h) = &self.hostname {
            m.serialize_entry("hostname", h)?;
        }
        if let Some(v) = &self.message {
            m.serialize_entry("message", v)?;
        }
        if let Some(v) = &self.output {
            m.serialize_entry("output", v)?;
        }
        if let Some(v) = &self.output_fields {
            m.serialize_entry("output_fields", v)?;
        }
        m.serialize_entry("priority", self.priority.as_str())?;
        m.serialize_entry("rule", &self.rule)?;
        if let Some(v) = &self.source {
            m.serialize_entry("source", v)?;
        }
        if let Some(v) = &self.tags {
            m.serialize_entry("tags", v)?;
        }
        m.serialize_entry("time", &self.time.to_string())?;
        if let Some(v) = &self.uuid {
            m.serialize_entry("uuid", v)?;
        }
        for (k, v) in &self.extra {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `time` as written: a string, a protobuf `{seconds,nanos}` object, or integer ns.
enum TimeRepr<'a> {
    Str(Cow<'a, str>),
    Parts(Option<i64>, Option<i64>),
    Nanos(i64),
}

/// `priority` as written: a name or the gRPC enum number.
enum PriorityRepr<'a> {
    Name(Cow<'a, str>),
    Number(i64),
}

/// Every key as found, before validation.
#[derive(Default)]
struct RawAlert<'a> {
    time: Option<TimeRepr<'a>>,
    rule: Option<Cow<'a, str>>,
    priority: Option<PriorityRepr<'a>>,
    source: Option<Cow<'a, str>>,
    hostname: Option<Cow<'a, str>>,
    output: Option<Cow<'a, str>>,
    message: Option<Cow<'a, str>>,
    tags: Option<Vec<Cow<'a, str>>>,
    output_fields: Option<OutputFields<'a>>,
    uuid: Option<Cow<'a, str>>,
    extra: Vec<(Cow<'a, str>, RawJson<'a>)>,
    /// Whether `output_fields` has `evt.time` as a string (the gRPC rendering).
    str_time: bool,
}

fn read_time<'a>(c: &mut Cursor<'a>) -> json::Result<TimeRepr<'a>> {
    match c.peek() {
        Some(b'"') => c.string().map(TimeRepr::Str),
        Some(b'{') => {
            let (mut secs, mut nanos) = (None, None);
            c.each_key(|c, k| {
                let v = c.value()?.to_i64();
                match k.as_ref() {
                    "seconds" => secs = v,
                    "nanos" => nanos = v,
                    _ => {}
                }
                Ok(())
            })?;
            Ok(TimeRepr::Parts(secs, nanos))
        }
        _ => match c.number()? {
            FieldValue::Int(n) => Ok(TimeRepr::Nanos(n)),
            _ => c.err("`time` must be a string, {seconds,nanos} or integer nanoseconds"),
        },
    }
}

fn read_priority<'a>(c: &mut Cursor<'a>) -> json::Result<PriorityRepr<'a>> {
    match c.value()? {
        FieldValue::Str(s) => Ok(PriorityRepr::Name(s)),
        FieldValue::Int(i) => Ok(PriorityRepr::Number(i)),
        _ => c.err("`priority` must be a string or a number"),
    }
}

fn read_tags<'a>(c: &mut Cursor<'a>) -> json::Result<Option<Vec<Cow<'a, str>>>> {
    match c.peek() {
        Some(b'n') => {
            c.value()?;
            Ok(None)
        }
        Some(b'[') => {
            let mut out = Vec::with_capacity(TAGS_CAPACITY);
            c.each_element(|c| {
                if c.peek() != Some(b'"') {
                    return c.err("`tags` must hold strings");
                }
                out.push(c.string()?);
                Ok(())
            })?;
            Ok(Some(out))
        }
        _ => c.err("`tags` must be an array"),
    }
}

/// Room for the tags of a typical rule (the stock rules carry up to 8).
const TAGS_CAPACITY: usize = 8;

/// Room for the output fields of a typical alert (stock rules print 10 to 30): 18 entries
/// of 56 bytes stay under the 1 KiB that glibc's allocator serves from its per-thread cache
/// (32 took its slower general path on every alert); longer alerts grow the buffer once.
const FIELDS_CAPACITY: usize = 18;

/// Reads every key into `r` (filled in place: a returned `RawAlert` would be copied through
/// the `Result`).
fn read_raw<'a>(c: &mut Cursor<'a>, r: &mut RawAlert<'a>) -> json::Result<()> {
    c.each_key(|c, k| {
        match k.as_ref() {
            "time" => r.time = Some(read_time(c)?),
            "rule" => r.rule = c.opt_string()?,
            "priority" => r.priority = Some(read_priority(c)?),
            "source" => r.source = c.opt_string()?,
            "hostname" => r.hostname = c.opt_string()?,
            "output" => r.output = c.opt_string()?,
            "message" => r.message = c.opt_string()?,
            "uuid" => r.uuid = c.opt_string()?,
            "tags" => r.tags = read_tags(c)?,
            "output_fields" => {
                r.output_fields = if c.peek() == Some(b'n') {
                    c.value()?;
                    None
                } else {
                    let f = c.fields_with_capacity(FIELDS_CAPACITY)?;
                    r.str_time = f.str_time;
                    Some(OutputFields::from_entries(f.entries))
                }
            }
            _ => {
                let raw = c.raw()?;
                r.extra.push((k, RawJson(Cow::Borrowed(raw))));
            }
        }
        Ok(())
    })?;
    if !c.at_end() {
        return c.err("trailing characters");
    }
    Ok(())
}

fn json_error(e: &json::JsonError, text: &str) -> Error {
    // Alerts are one line, but `from_str` may be handed pretty-printed JSON.
    let before = &text.as_bytes()[..e.pos.min(text.len())];
    let line = 1 + memchr::memchr_iter(b'\n', before).count() as u64;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = e.pos - line_start + 1;
    Error::Json {
        at: Location { line, offset: 0 },
        column,
        message: format!("{} (line {line}, column {column})", e.msg),
        snippet: snippet(text.as_bytes()),
    }
}

/// Parses one JSON alert (the whole input is the alert).
pub(crate) fn parse_json<'a>(line: &'a str, settings: &Settings) -> Result<Alert<'a>, Error> {
    let mut cursor = Cursor::new(line);
    let mut raw = RawAlert::default();
    if let Err(e) = read_raw(&mut cursor, &mut raw) {
        return Err(json_error(&e, line));
    }
    let at = Location { line: 1, offset: 0 };
    let missing = |key| Error::MissingKey {
        at,
        key,
        snippet: snippet(line.as_bytes()),
    };
    let mut flavor = Flavor::Falco;
    let time = match raw.time.ok_or_else(|| missing("time"))? {
        TimeRepr::Str(s) => Timestamp::parse(&s).ok_or_else(|| Error::BadTime {
            at,
            snippet: snippet(s.as_bytes()),
        })?,
        TimeRepr::Nanos(n) => Timestamp::from_unix_nanos(n),
        TimeRepr::Parts(secs, nanos) => {
            flavor = Flavor::Grpc;
            Timestamp::from_parts(secs.unwrap_or(0), nanos.unwrap_or(0)).ok_or_else(|| {
                Error::BadTime {
                    at,
                    snippet: format!("{{seconds:{secs:?},nanos:{nanos:?}}}"),
                }
            })?
        }
    };
    let rule = raw.rule.ok_or_else(|| missing("rule"))?;
    let priority = match raw.priority.ok_or_else(|| missing("priority"))? {
        PriorityRepr::Name(s) => Priority::parse(s.trim()).ok_or_else(|| Error::BadPriority {
            at,
            snippet: snippet(s.as_bytes()),
        })?,
        PriorityRepr::Number(n) => {
            flavor = Flavor::Grpc;
            Priority::from_level(n).ok_or_else(|| Error::BadPriority {
                at,
                snippet: n.to_string(),
            })?
        }
    };
    if let Some(f) = &raw.output_fields {
        if f.len() > settings.max_output_fields {
            return Err(Error::TooManyFields {
                at,
                count: f.len(),
                limit: settings.max_output_fields,
                snippet: snippet(line.as_bytes()),
            });
        }
        if raw.str_time {
            flavor = Flavor::Grpc;
        }
    }
    if flavor == Flavor::Falco && (raw.uuid.is_some() || raw.source.as_deref() == Some("syscalls"))
    {
        flavor = Flavor::Sidekick;
    }
    Ok(Alert {
        time,
        rule,
        priority,
        source: raw.source,
        hostname: raw.hostname,
        output: raw.output,
        message: raw.message,
        tags: raw.tags,
        output_fields: raw.output_fields,
        uuid: raw.uuid,
        extra: raw.extra,
        flavor,
    })
}
