//! What one line of Tracee output is: an event (trace.Event or v1beta1), or one of the
//! non-event lines that share the stream (logger JSON, text logs, `table` output), which are
//! skipped and counted rather than reported as errors.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem;
use serde::Deserialize;

use crate::error::snippet;
use crate::{Error, Settings, TraceEvent, V1Event};

/// A decoded event of either JSON schema.
#[derive(Debug, Clone)]
// Boxing the larger variant would cost an allocation per line; records are moved rarely.
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum Record<'a> {
    /// A `trace.Event` (v0.8 … v0.24.1).
    Trace(TraceEvent<'a>),
    /// A `v1beta1.Event` (Tracee main after v0.24.1).
    V1(V1Event<'a>),
}

impl<'a> Record<'a> {
    /// The event name.
    pub fn event_name(&self) -> &str {
        match self {
            Record::Trace(e) => &e.event_name,
            Record::V1(e) => &e.name,
        }
    }

    /// The input text of the record.
    pub fn raw(&self) -> &'a str {
        match self {
            Record::Trace(e) => e.raw,
            Record::V1(e) => e.raw,
        }
    }

    /// Where the record starts: (1-based line, byte offset).
    pub fn location(&self) -> (u64, u64) {
        match self {
            Record::Trace(e) => (e.line, e.offset),
            Record::V1(e) => (e.line, e.offset),
        }
    }

    pub(crate) fn set_location(&mut self, line: u64, offset: u64) {
        match self {
            Record::Trace(e) => (e.line, e.offset) = (line, offset),
            Record::V1(e) => (e.line, e.offset) = (line, offset),
        }
    }

    /// The trace.Event, if this is one.
    pub fn as_trace(&self) -> Option<&TraceEvent<'a>> {
        match self {
            Record::Trace(e) => Some(e),
            Record::V1(_) => None,
        }
    }

    /// The v1beta1 event, if this is one.
    pub fn as_v1(&self) -> Option<&V1Event<'a>> {
        match self {
            Record::V1(e) => Some(e),
            Record::Trace(_) => None,
        }
    }

    /// Event time in epoch ns (see [`TraceEvent::time_ns`]).
    pub fn time_ns(&self, settings: &Settings) -> Option<i64> {
        match self {
            Record::Trace(e) => e.time_ns(settings),
            Record::V1(e) => e.time_ns(),
        }
    }

    /// The container id, if the event happened in a container.
    pub fn container_id(&self) -> Option<Cow<'_, str>> {
        match self {
            Record::Trace(e) => e.container_id().map(Cow::Borrowed),
            Record::V1(e) => e.container_id(),
        }
    }
}

/// A non-event line that is skipped and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipKind {
    /// Empty or whitespace-only.
    Blank,
    /// Tracee's JSON logger: `{"level":…,"ts":…,"msg":…}`.
    LoggerJson,
    /// A text log line (`INFO: starting tracee...`).
    LoggerText,
    /// The `table` / `table-verbose` header (`TIME  UID  COMM …`).
    TableHeader,
    /// A `table` event row (`11:21:51:254199  1000  exa …`).
    TableRow,
    /// The table epilogue (`End of events stream`, `Stats: {…}`).
    TableEpilogue,
}

impl SkipKind {
    /// Every kind, in index order.
    pub const ALL: [SkipKind; 6] = [
        SkipKind::Blank,
        SkipKind::LoggerJson,
        SkipKind::LoggerText,
        SkipKind::TableHeader,
        SkipKind::TableRow,
        SkipKind::TableEpilogue,
    ];

    pub(crate) fn index(self) -> usize {
        match self {
            SkipKind::Blank => 0,
            SkipKind::LoggerJson => 1,
            SkipKind::LoggerText => 2,
            SkipKind::TableHeader => 3,
            SkipKind::TableRow => 4,
            SkipKind::TableEpilogue => 5,
        }
    }
}

/// One classified line.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum Line<'a> {
    /// An event.
    Record(Record<'a>),
    /// A non-event line.
    Skipped(SkipKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Skip(SkipKind),
    Trace,
    V1,
    OtherJson,
    Text,
}

#[derive(Deserialize)]
struct LoggerProbe<'a> {
    #[serde(borrow)]
    #[allow(dead_code)]
    level: Cow<'a, str>,
    #[serde(borrow)]
    #[allow(dead_code)]
    msg: Cow<'a, str>,
}

const TEXT_LOG_PREFIXES: [&str; 7] = [
    "INFO:", "WARN:", "WARNING:", "ERROR:", "DEBUG:", "FATAL:", "PANIC:",
];

static EVENT_NAME: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"\"eventName\""));

/// Classifies a line cheaply; only logger candidates are decoded here.
pub(crate) fn classify(text: &str) -> Kind {
    // Fast path: a compact trace.Event line starts with `{"timestamp":`.
    if text.starts_with("{\"timestamp\":") && EVENT_NAME.find(text.as_bytes()).is_some() {
        return Kind::Trace;
    }
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return Kind::Skip(SkipKind::Blank);
    }
    let b = t.as_bytes();
    if b[0] == b'{' {
        let has = |k: &str| memmem::find(b, k.as_bytes()).is_some();
        if EVENT_NAME.find(b).is_some() {
            return Kind::Trace;
        }
        if has("\"workload\"") || has("\"policies\"") || has("\"detected_from\"") {
            return Kind::V1;
        }
        if has("\"level\"") && has("\"msg\"") && serde_json::from_str::<LoggerProbe<'_>>(t).is_ok()
        {
            return Kind::Skip(SkipKind::LoggerJson);
        }
        if has("\"name\"") {
            return Kind::V1;
        }
        return Kind::OtherJson;
    }
    if t.starts_with("TIME ") && t.contains(" EVENT ") {
        return Kind::Skip(SkipKind::TableHeader);
    }
    if is_table_time(b) {
        return Kind::Skip(SkipKind::TableRow);
    }
    if t == "End of events stream" || t.starts_with("Stats: {") {
        return Kind::Skip(SkipKind::TableEpilogue);
    }
    if TEXT_LOG_PREFIXES.iter().any(|p| t.starts_with(p)) {
        return Kind::Skip(SkipKind::LoggerText);
    }
    Kind::Text
}

/// `HH:MM:SS:micro` followed by whitespace: the table printer's time column.
fn is_table_time(b: &[u8]) -> bool {
    const SHAPE: &[u8] = b"00:00:00:000000";
    b.len() > SHAPE.len()
        && b[SHAPE.len()].is_ascii_whitespace()
        && SHAPE.iter().zip(b).all(|(s, c)| {
            if *s == b':' {
                *c == b':'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A compact `trace.Event` line decoded without [`classify`] searching it for
/// `"eventName"` first: `None` unless it starts with `{"timestamp":`, decodes, and spells
/// its `eventName` key without escapes, so that the line holds `"eventName"` and
/// [`classify`] would call it a trace event; the record (or the too-many-args error) is
/// then the one classify + [`decode`] give. Anything else takes that path.
pub(crate) fn decode_compact_trace<'a>(
    text: &'a str,
    settings: &Settings,
) -> Option<Result<Record<'a>, Error>> {
    if !text.starts_with("{\"timestamp\":") {
        return None;
    }
    // Decoded in place, inside the record handed back (not moved into it afterwards).
    let mut record = Record::Trace(TraceEvent::empty(text));
    let Record::Trace(ev) = &mut record else {
        return None;
    };
    match ev.parse_into(text) {
        Ok(false) if ev.args.len() > settings.max_args => {
            Some(Err(too_many_args(text, ev, settings)))
        }
        Ok(false) => Some(Ok(record)),
        _ => None,
    }
}

/// The error for an event with more args than `settings` allow.
#[cold]
fn too_many_args(text: &str, ev: &TraceEvent<'_>, settings: &Settings) -> Error {
    Error::TooManyArgs {
        line: 1,
        offset: 0,
        count: ev.args.len(),
        limit: settings.max_args,
        snippet: snippet(text.as_bytes()),
    }
}

/// A decoded trace event as a record, within the argument limit.
fn trace_record<'a>(
    text: &'a str,
    ev: TraceEvent<'a>,
    settings: &Settings,
) -> Result<Record<'a>, Error> {
    if ev.args.len() > settings.max_args {
        return Err(too_many_args(text, &ev, settings));
    }
    Ok(Record::Trace(ev))
}

/// Decodes a line already classified as an event kind; errors are at line 1, offset 0.
pub(crate) fn decode<'a>(
    text: &'a str,
    kind: Kind,
    settings: &Settings,
) -> Result<Record<'a>, Error> {
    // A byte-order mark may start a file; JSON decoders reject it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match kind {
        Kind::Trace => {
            let ev = TraceEvent::parse(text).map_err(|e| Error::scan(text, &e))?;
            trace_record(text, ev, settings)
        }
        Kind::V1 => {
            let mut ev: V1Event<'a> =
                serde_json::from_str(text).map_err(|e| Error::json(text, &e))?;
            ev.raw = text;
            ev.line = 1;
            Ok(Record::V1(ev))
        }
        Kind::Skip(_) | Kind::OtherJson => {
            // Report a syntax error as such; valid JSON of another shape is NotAnEvent.
            serde_json::from_str::<serde::de::IgnoredAny>(text)
                .map_err(|e| Error::json(text, &e))?;
            Err(Error::NotAnEvent {
                line: 1,
                offset: 0,
                snippet: snippet(text.as_bytes()),
            })
        }
        Kind::Text => Err(Error::NotJson {
            line: 1,
            offset: 0,
            snippet: snippet(text.as_bytes()),
        }),
    }
}

/// What a line looks like, for format auto-detection: `None` when it is not Tracee output.
///
/// ```
/// use tripline_tracee::{Sniff, sniff};
///
/// assert_eq!(sniff(r#"{"timestamp":1,"eventName":"openat","args":[]}"#), Some(Sniff::TraceEvent));
/// assert_eq!(sniff(r#"{"level":"info","ts":1.5,"msg":"starting"}"#), Some(Sniff::NonEvent));
/// assert_eq!(sniff(r#"{"time":"2024-01-01T00:00:00Z","rule":"x"}"#), None);
/// ```
pub fn sniff(line: &str) -> Option<Sniff> {
    match classify(line) {
        Kind::Trace => Some(Sniff::TraceEvent),
        Kind::V1 => {
            // `"name"` alone is too weak a signal: require a v1beta1-only key too.
            let b = line.as_bytes();
            [
                "\"workload\"",
                "\"policies\"",
                "\"detected_from\"",
                "\"data\"",
            ]
            .iter()
            .any(|k| memmem::find(b, k.as_bytes()).is_some())
            .then_some(Sniff::V1Beta1)
        }
        Kind::Skip(SkipKind::Blank) | Kind::OtherJson | Kind::Text => None,
        Kind::Skip(_) => Some(Sniff::NonEvent),
    }
}

/// The answer of [`sniff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sniff {
    /// A `trace.Event` JSON line.
    TraceEvent,
    /// A `v1beta1.Event` JSON line.
    V1Beta1,
    /// A Tracee logger line or `table` output line.
    NonEvent,
}

/// Classifies and decodes one line (or one whole JSON document) with default settings.
///
/// # Errors
/// When the text is neither an event nor a known non-event line, or fails to decode.
pub fn parse_line(text: &str) -> Result<Line<'_>, Error> {
    parse_line_with(text, &Settings::default())
}

/// [`parse_line`] with explicit settings.
///
/// # Errors
/// As [`parse_line`]; also [`Error::TooLong`] and [`Error::TooManyArgs`] past the limits.
pub fn parse_line_with<'a>(text: &'a str, settings: &Settings) -> Result<Line<'a>, Error> {
    check_len(text, settings)?;
    if let Some(r) = decode_compact_trace(text, settings) {
        return r.map(Line::Record);
    }
    match classify(text) {
        Kind::Skip(k) => Ok(Line::Skipped(k)),
        kind => decode(text, kind, settings).map(Line::Record),
    }
}

fn check_len(text: &str, settings: &Settings) -> Result<(), Error> {
    if text.len() > settings.max_line_bytes {
        return Err(Error::TooLong {
            line: 1,
            offset: 0,
            len: text.len() as u64,
            limit: settings.max_line_bytes,
            snippet: snippet(text.as_bytes()),
        });
    }
    Ok(())
}

/// Decodes one event from text: a trace.Event or v1beta1 JSON object.
///
/// # Errors
/// When the text is not an event (a logger or table line is [`Error::NotAnEvent`] here).
pub fn from_str(text: &str) -> Result<Record<'_>, Error> {
    // As `parse_line`, without wrapping the record in a `Line` only to unwrap it again
    // (a record is close to a kilobyte; every wrapper is a copy).
    let settings = Settings::default();
    check_len(text, &settings)?;
    if let Some(r) = decode_compact_trace(text, &settings) {
        return r;
    }
    match classify(text) {
        Kind::Skip(_) => Err(Error::NotAnEvent {
            line: 1,
            offset: 0,
            snippet: snippet(text.as_bytes()),
        }),
        kind => decode(text, kind, &settings),
    }
}

/// [`from_str`] over bytes, which must be UTF-8.
///
/// # Errors
/// [`Error::Utf8`] for invalid UTF-8; otherwise as [`from_str`].
pub fn from_slice(bytes: &[u8]) -> Result<Record<'_>, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Utf8 {
        line: 1,
        offset: 0,
        valid_up_to: e.valid_up_to(),
        snippet: snippet(bytes),
    })?;
    from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_non_event_lines() {
        assert_eq!(classify("  "), Kind::Skip(SkipKind::Blank));
        assert_eq!(
            classify(r#"{"level":"info","ts":1680000000.1,"msg":"starting"}"#),
            Kind::Skip(SkipKind::LoggerJson)
        );
        assert_eq!(
            classify("INFO: starting tracee..."),
            Kind::Skip(SkipKind::LoggerText)
        );
        assert_eq!(
            classify(
                "TIME             UID    COMM             PID     TID     RET              EVENT                ARGS"
            ),
            Kind::Skip(SkipKind::TableHeader)
        );
        assert_eq!(
            classify(
                "11:21:51:254199  1000   exa              1639459 1639459 3                openat"
            ),
            Kind::Skip(SkipKind::TableRow)
        );
        assert_eq!(
            classify("End of events stream"),
            Kind::Skip(SkipKind::TableEpilogue)
        );
        assert_eq!(classify("hello"), Kind::Text);
        assert_eq!(classify(r#"{"a":1}"#), Kind::OtherJson);
    }

    #[test]
    fn compact_lines_decode_as_classify_and_decode_read_them() {
        let settings = Settings {
            max_args: 2,
            ..Settings::default()
        };
        let slow = |t: &str| match classify(t) {
            Kind::Skip(k) => format!("skipped {k:?}"),
            kind => format!("{:?}", decode(t, kind, &settings)),
        };
        let cases = [
            r#"{"timestamp":1,"eventName":"openat","args":[]}"#,
            r#"{"timestamp":1,"processId":7,"eventId":"257","eventName":"openat"}"#,
            r#"{"timestamp":1,"event\u004eame":"openat","args":[]}"#,
            r#"{"timestamp":1,"eventName":"openat","process\u0049d":3}"#,
            r#"{"timestamp":1,"level":"info","msg":"starting"}"#,
            r#"{"timestamp":1,"eventName":"x","args":[],"args":[]}"#,
            r#"{"timestamp":1,"syscall":"\"eventName\""}"#,
            r#"{"timestamp":1,"name":"x","eventName":1}"#,
            r#"{"timestamp":1,"eventName":"a","args":[{"name":"a","type":"int","value":1},{"name":"b","type":"int","value":2},{"name":"c","type":"int","value":3}]}"#,
            r#"{"timestamp":1,"eventName":"a"} x"#,
            r#"{"timestamp": 1,"eventName":"a"}"#,
        ];
        for c in cases {
            let fast = decode_compact_trace(c, &settings).map(|r| format!("{r:?}"));
            assert_eq!(fast.unwrap_or_else(|| slow(c)), slow(c), "{c}");
        }
        assert!(decode_compact_trace(cases[0], &settings).is_some());
        assert!(decode_compact_trace(cases[2], &settings).is_none());
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(matches!(
            from_str(r#"{"a":1}"#),
            Err(Error::NotAnEvent { .. })
        ));
        assert!(matches!(
            from_str(r#"{"eventName":"x","#),
            Err(Error::Json { .. })
        ));
        assert!(matches!(from_str("garbage"), Err(Error::NotJson { .. })));
        assert!(matches!(from_slice(b"\xff{}"), Err(Error::Utf8 { .. })));
    }
}
