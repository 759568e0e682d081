//! The journald log driver (Docker's, and Podman's default on systemd hosts), read back as
//! `journalctl -o json` lines.
//!
//! Each line is one journal entry, every value a string: `MESSAGE` (an array of byte values
//! instead when it is not clean UTF-8, such as a TTY's trailing `\r`), `PRIORITY` 6 for
//! stdout and 3 for stderr, `CONTAINER_ID` (12 characters) and `CONTAINER_ID_FULL`,
//! `CONTAINER_NAME`, `IMAGE_NAME`, `CONTAINER_TAG`, `SYSLOG_IDENTIFIER`,
//! `CONTAINER_PARTIAL_MESSAGE=true` on every chunk but the last of a long line, since Docker
//! 24 `SYSLOG_TIMESTAMP` (RFC 3339 with nanoseconds); the journal adds `__REALTIME_TIMESTAMP`
//! (microseconds since the epoch) and its own `_`-prefixed fields. A field written twice
//! becomes an array of its values.
//!
//! ```
//! use tripline_docker::{LogFormat, Stream, parse_journald};
//!
//! let line = br#"{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1700000000123456","MESSAGE":"GET / 200","PRIORITY":"6","CONTAINER_ID_FULL":"3f4e8a1c9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f","CONTAINER_NAME":"web"}"#;
//! let l = parse_journald(line).unwrap();
//! assert_eq!(l.format, LogFormat::Journald);
//! assert_eq!((l.stream, &*l.content), (Stream::Stdout, &b"GET / 200"[..]));
//! assert_eq!(l.container.as_deref().map(str::len), Some(64));
//! assert_eq!(l.attrs.get("CONTAINER_NAME"), Some("web"));
//! assert_eq!(l.time.unwrap().unix_nanos(), Some(1_700_000_000_123_456_000));
//! ```

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::line::{LogFormat, LogLine, Stream};
use crate::attrs::Attributes;
use crate::{Error, Timestamp};

/// Whether a line is a `journalctl -o json` entry: it has the journal's own
/// `__REALTIME_TIMESTAMP` key (journalctl writes `__CURSOR` first; a re-serializer may sort
/// the keys). The key cannot occur inside a JSON string, where its quotes are escaped.
pub(crate) fn is_journal_entry(b: &[u8]) -> bool {
    b.starts_with(br#"{"__CURSOR""#)
        || memchr::memmem::find(b, br#""__REALTIME_TIMESTAMP":"#).is_some()
}

/// The fields the line itself is built from; every other field is kept as an attribute.
const CONSUMED: &[&str] = &[
    "MESSAGE",
    "PRIORITY",
    "CONTAINER_ID",
    "CONTAINER_ID_FULL",
    "CONTAINER_PARTIAL_MESSAGE",
    "SYSLOG_TIMESTAMP",
    "__REALTIME_TIMESTAMP",
];

/// Parses one `journalctl -o json` line. The entry's time is the driver's own
/// (`SYSLOG_TIMESTAMP`), else the sender's (`_SOURCE_REALTIME_TIMESTAMP`), else the
/// journal's (`__REALTIME_TIMESTAMP`). Fields other than the message, priority, container
/// id, partial marker and those times are kept as attributes (arrays as their JSON text).
pub fn parse_journald(b: &[u8]) -> Result<LogLine<'static>, Error> {
    let entry: Map<String, Value> = serde_json::from_slice(b).map_err(|e| {
        if b.contains(&0) {
            Error::corrupt("NUL bytes", b)
        } else {
            Error::json(&e, b)
        }
    })?;
    let text = |k: &str| match entry.get(k) {
        Some(Value::String(s)) => Some(s.as_str()),
        // A field written several times: its last value, as for attributes.
        Some(Value::Array(a)) => a.iter().rev().find_map(Value::as_str),
        _ => None,
    };
    let container = text("CONTAINER_ID_FULL")
        .or_else(|| text("CONTAINER_ID"))
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let stream = match (&container, text("PRIORITY")) {
        (Some(_), Some("6")) => Stream::Stdout,
        (Some(_), Some("3")) => Stream::Stderr,
        _ => Stream::Unknown,
    };
    let micros = |k: &str| {
        text(k)
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(|us| us.checked_mul(1000))
            .map(Timestamp::from_unix_nanos)
    };
    let time = text("SYSLOG_TIMESTAMP")
        .and_then(|s| Timestamp::parse(s).ok())
        .or_else(|| micros("_SOURCE_REALTIME_TIMESTAMP"))
        .or_else(|| micros("__REALTIME_TIMESTAMP"));
    let partial = text("CONTAINER_PARTIAL_MESSAGE") == Some("true");
    // The entry is ours: the message and the attributes move out of it, uncopied.
    let mut entry = entry;
    let content = match entry.remove("MESSAGE") {
        Some(v) => message_bytes(v).ok_or_else(|| Error::corrupt("MESSAGE is not text", b))?,
        None => Vec::new(),
    };
    let mut attrs = Attributes::default();
    for (k, v) in entry {
        if CONSUMED.contains(&k.as_str()) {
            continue;
        }
        let v = match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        attrs.push(k, v);
    }
    Ok(LogLine {
        format: LogFormat::Journald,
        time,
        stream,
        content: Cow::Owned(content),
        partial,
        tags: None,
        attrs,
        source: None,
        container: container.map(Cow::Owned),
    })
}

/// A `MESSAGE` value: a string, an array of byte values, or (written several times) the
/// last of an array of either.
fn message_bytes(v: Value) -> Option<Vec<u8>> {
    match v {
        Value::String(s) => Some(s.into_bytes()),
        Value::Array(a) if a.iter().all(Value::is_u64) => a
            .iter()
            .map(|n| n.as_u64().and_then(|n| u8::try_from(n).ok()))
            .collect(),
        Value::Array(a) => a.into_iter().last().and_then(message_bytes),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_messages_partials_and_driver_times() {
        let line = br#"{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1700000000123456","MESSAGE":[104,105,13],"PRIORITY":"3","CONTAINER_ID":"3f4e8a1c9b2d","CONTAINER_PARTIAL_MESSAGE":"true","SYSLOG_TIMESTAMP":"2023-11-14T22:13:20.123456789Z","_PID":"812"}"#;
        let l = parse_journald(line).unwrap();
        assert_eq!(&*l.content, b"hi\r");
        assert_eq!(l.stream, Stream::Stderr);
        assert!(l.partial);
        assert_eq!(l.container.as_deref(), Some("3f4e8a1c9b2d"));
        assert_eq!(
            l.time.unwrap().unix_nanos(),
            Some(1_700_000_000_123_456_789)
        );
        assert_eq!(l.attrs.get("_PID"), Some("812"));
        assert_eq!(l.attrs.get("__CURSOR"), Some("s=1"));
        assert_eq!(l.attrs.get("MESSAGE"), None);
    }

    #[test]
    fn entries_of_other_units_have_no_stream_or_container() {
        let line = br#"{"__REALTIME_TIMESTAMP":"1700000000000000","MESSAGE":["a","b"],"PRIORITY":"6","_SYSTEMD_UNIT":"falco.service"}"#;
        let l = parse_journald(line).unwrap();
        assert_eq!(&*l.content, b"b");
        assert_eq!(l.stream, Stream::Unknown);
        assert_eq!(l.container, None);
        assert_eq!(l.attrs.get("_SYSTEMD_UNIT"), Some("falco.service"));
    }

    #[test]
    fn broken_entries_are_typed_errors() {
        assert!(matches!(
            parse_journald(br#"{"__CURSOR":"s=1","MESSAGE":[300]}"#),
            Err(Error::Corrupt { .. })
        ));
        assert!(matches!(
            parse_journald(br#"{"__CURSOR":"s=1","#),
            Err(Error::Json { .. })
        ));
    }
}
