//! The lossless native JSON form of an [`Event`]: the derived serde shape of `Event` with a
//! leading `"schema": "tripline/1"` marker, for storage and replay.
//!
//! Unlike the ECS and OCSF views it keeps everything: numeric ids stay numbers, `unmapped`
//! keeps JSON `null`s, the raw original keeps its location and line list, operations that the
//! source named (`Other("…")`) keep their names. `from_native_json(to_native_json(e)) == e`
//! for every event (tested with proptest).

use serde::Serialize;

use crate::error::{Error, offset_of, snippet};
use crate::event::Event;

/// The `schema` marker this build writes and reads.
pub const NATIVE_SCHEMA: &str = "tripline/1";

#[derive(Serialize)]
struct NativeRef<'a> {
    schema: &'static str,
    #[serde(flatten)]
    event: &'a Event,
}

impl Event {
    /// The native JSON form, compact, `"schema"` first.
    pub fn to_native_json(&self) -> String {
        // Event has only string map keys and derived impls, so serialization cannot fail.
        serde_json::to_string(&self.native_ref()).unwrap_or_default()
    }

    /// The native JSON form, pretty-printed.
    pub fn to_native_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.native_ref()).unwrap_or_default()
    }

    /// The native form as a JSON value.
    pub fn to_native_value(&self) -> serde_json::Value {
        serde_json::to_value(self.native_ref()).unwrap_or_default()
    }

    fn native_ref(&self) -> NativeRef<'_> {
        NativeRef {
            schema: NATIVE_SCHEMA,
            event: self,
        }
    }

    /// Reads an event back from its native JSON form.
    ///
    /// Fails when the text is not JSON, has no `"schema": "tripline/1"` marker, or does not
    /// have the shape of an event.
    pub fn from_native_json(text: &str) -> Result<Event, Error> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| json_error(text, &e))?;
        Event::from_native_value(value).map_err(|e| match e {
            Error::Json {
                line: 0, message, ..
            } => Error::Json {
                line: 0,
                column: 0,
                offset: 0,
                message,
                snippet: snippet(text, 0, 80),
            },
            other => other,
        })
    }

    /// Reads an event back from its native form as a JSON value.
    pub fn from_native_value(mut value: serde_json::Value) -> Result<Event, Error> {
        let marker = value
            .as_object_mut()
            .and_then(|m| m.remove("schema"))
            .ok_or(Error::MissingSchema)?;
        match marker.as_str() {
            Some(NATIVE_SCHEMA) => {}
            Some(other) => {
                return Err(Error::UnsupportedSchema {
                    found: snippet(other, 0, 80),
                    expected: NATIVE_SCHEMA,
                });
            }
            None => {
                return Err(Error::UnsupportedSchema {
                    found: snippet(&marker.to_string(), 0, 80),
                    expected: NATIVE_SCHEMA,
                });
            }
        }
        serde_json::from_value(value).map_err(|e| Error::Json {
            line: 0,
            column: 0,
            offset: 0,
            message: e.to_string(),
            snippet: String::new(),
        })
    }
}

fn json_error(text: &str, e: &serde_json::Error) -> Error {
    let at = offset_of(text, e.line(), e.column());
    Error::Json {
        line: e.line(),
        column: e.column(),
        offset: at,
        message: e.to_string(),
        snippet: snippet(text, at, 80),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EventKind, LogLine, Product, Source, Stream};
    use chrono::{TimeZone, Utc};

    fn event() -> Event {
        Event::new(
            Utc.timestamp_opt(1_700_000_000, 1).unwrap(),
            Source::new(Product::Docker, "docker-json-file"),
            EventKind::LogLine(LogLine {
                stream: Stream::Stderr,
                text: "boom".into(),
                partial: None,
            }),
        )
    }

    #[test]
    fn marker_first_and_round_trip() {
        let e = event();
        let text = e.to_native_json();
        assert!(text.starts_with("{\"schema\":\"tripline/1\","), "{text}");
        assert_eq!(Event::from_native_json(&text).unwrap(), e);
        assert_eq!(
            Event::from_native_json(&e.to_native_json_pretty()).unwrap(),
            e
        );
        assert_eq!(Event::from_native_value(e.to_native_value()).unwrap(), e);
    }

    #[test]
    fn errors() {
        let e = event();
        let plain = serde_json::to_string(&e).unwrap();
        assert_eq!(Event::from_native_json(&plain), Err(Error::MissingSchema));
        let v2 = e.to_native_json().replace("tripline/1", "tripline/2");
        assert!(matches!(
            Event::from_native_json(&v2),
            Err(Error::UnsupportedSchema { found, .. }) if found == "tripline/2"
        ));
        let bad = "{\"schema\":\"tripline/1\",\n  \"time\": nope}";
        match Event::from_native_json(bad) {
            Err(Error::Json {
                line,
                offset,
                snippet: s,
                ..
            }) => {
                assert_eq!(line, 2);
                // serde_json points at the first unexpected byte: the `o` of `nope`.
                assert_eq!(&bad[offset..offset + 3], "ope");
                assert!(s.contains("nope"), "{s}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Event::from_native_json("{\"schema\":\"tripline/1\",\"time\":\"x\"}"),
            Err(Error::Json { line: 0, .. })
        ));
        assert_eq!(Event::from_native_json("[1]"), Err(Error::MissingSchema));
    }
}
