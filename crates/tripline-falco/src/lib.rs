//! Falco alerts in every shape Falco and its ecosystem write them, read zero-copy and
//! normalized into findings.
//!
//! - **JSON alerts** of every Falco version (0.28 → 0.44), read by key: `time` exact to the
//!   nanosecond, `priority` in any case, every `source`, and `output_fields` as a flat map of
//!   typed values with exact 64-bit integers ([`Alert`], [`from_str`]).
//! - **falcosidekick payloads** and the **gRPC rendering** (all strings, `<NA>` for missing)
//!   in the same [`Alert`], told apart by [`Flavor`].
//! - **Text output lines** (`HH:MM:SS.nnnnnnnnn: Priority message`, ISO 8601 with `+0000`,
//!   internal drop lines) with their `k=v` pairs recovered ([`TextAlert`]).
//! - A streaming [`Reader`] that auto-detects JSON vs text per line and skips and counts the
//!   non-alert lines of Falco's stdout (banner, logger lines, `Events detected: N`), also
//!   behind journal (`Nov 27 … falco[812]: `) and `kubectl logs --timestamps` prefixes.
//! - With the default `schema` feature: normalization into a `tripline_schema::Event` finding
//!   (`Alert::normalize`, `TextAlert::normalize`, `Reader::next_event`) and
//!   `tripline_schema::FieldSource` for raw alerts, so Sigma rules with a Falco logsource
//!   match Falco's own names (`rule`, `priority`, `proc.cmdline`, `proc.aname[2]`).
//!   With `default-features = false` the crate is a pure parser.
//!
//! ```
//! use tripline_falco::{FieldValue, Priority, Reader, Record};
//!
//! let log = r#"Tue May  7 18:54:19 2024: Falco version: 0.38.0 (x86_64)
//! {"hostname":"node1","output":"…","output_fields":{"container.id":"ee97d9c4186f","evt.time":1685022245478445995,"proc.aname[2]":null,"proc.cmdline":"sh -c ls"},"priority":"Critical","rule":"Terminal shell in container","source":"syscall","tags":["container","mitre_execution","T1059"],"time":"2023-05-25T13:44:05.478445995Z"}
//! 13:44:05.478445995: Critical A shell was spawned (user=root container_id=ee97d9c4186f)
//! Events detected: 2
//! "#;
//! let mut reader = Reader::new(log.as_bytes());
//! let Some(Ok(Record::Json(alert))) = reader.next_record() else { panic!() };
//! assert_eq!(alert.priority, Priority::Critical);
//! assert_eq!(alert.output_field("evt.time"), Some(&FieldValue::Int(1685022245478445995)));
//! assert_eq!(alert.output_field("proc.aname[2]"), Some(&FieldValue::Null));
//! assert_eq!(alert.time.unix_nanos(), 1685022245478445995);
//! let Some(Ok(Record::Text(text))) = reader.next_record() else { panic!() };
//! assert_eq!(text.get("container_id"), Some("ee97d9c4186f"));
//! assert!(reader.next_record().is_none());
//! let stats = reader.stats();
//! assert_eq!((stats.lines, stats.records, stats.skipped), (4, 2, 2));
//! ```

#![forbid(unsafe_code)]

mod alert;
mod error;
#[cfg(feature = "schema")]
mod fields;
mod json;
#[cfg(feature = "schema")]
mod normalize;
mod priority;
mod reader;
mod record;
mod settings;
mod text;
mod time;
mod value;

pub use alert::{Alert, Flavor, Internal, RawJson};
pub use error::{Error, Location, SNIPPET_MAX};
#[cfg(feature = "schema")]
pub use fields::rule_value;
#[cfg(feature = "schema")]
pub use normalize::{NormalizeOptions, attacks_from_tags};
pub use priority::Priority;
pub use reader::{Reader, Stats};
pub use record::{Line, Record, from_slice, from_str, from_str_with, parse_line, parse_line_with};
pub use settings::Settings;
pub use text::{SkipKind, TextAlert};
pub use time::{TextTime, Timestamp};
pub use value::{FieldValue, NA, OutputFields};
