//! Docker events and container logs in every shape they reach disk or a pipe.
//!
//! ```
//! use tripline_docker::{Action, EventRecord, EventType, MessageReader};
//!
//! // An event of any API era, JSON or json-seq or the `docker events` text line.
//! let ev = EventRecord::from_str(r#"{"Type":"container","Action":"exec_start: sh -c id",
//!     "Actor":{"ID":"abc123","Attributes":{"image":"alpine","name":"web","execID":"e1"}},
//!     "scope":"local","time":1700000000,"timeNano":1700000000123456789}"#).unwrap();
//! assert_eq!(ev.event_type, EventType::Container);
//! assert_eq!(ev.verb(), Action::ExecStart);
//! assert_eq!(ev.detail(), Some("sh -c id"));
//! assert_eq!(ev.timestamp.unwrap().nanos, 123_456_789);
//!
//! // json-file lines: a 16 KiB split (no trailing `\n`) is joined per (container, stream).
//! let log = concat!(
//!     r#"{"log":"hello ","stream":"stdout","time":"2024-01-01T00:00:00.5Z"}"#, "\n",
//!     r#"{"log":"oops\n","stream":"stderr","time":"2024-01-01T00:00:00.6Z"}"#, "\n",
//!     r#"{"log":"world\n","stream":"stdout","time":"2024-01-01T00:00:00.5Z"}"#, "\n",
//! );
//! let msgs: Vec<_> = MessageReader::new(log.as_bytes(), "abc123")
//!     .collect::<Result<_, _>>().unwrap();
//! assert_eq!(msgs[0].text, b"oops");
//! assert_eq!(msgs[1].text, b"hello world");
//! assert_eq!(msgs[1].chunks, 2);
//! ```
//!
//! Docker's `local` log driver (and the dual-logging cache `container-cached.log`) writes
//! binary frames — `[u32 BE length][protobuf LogEntry][u32 BE length]` — instead of lines;
//! [`LocalReader`] reads them from any `Read` into the same [`LogLine`]s, resynchronising
//! after damage (format and damage handling in [`logs::local`]), and [`LocalFollower`]
//! follows a live one across rotations as [`Follower`] follows json-file logs.
//!
//! Layers: [`events`] (records, text lines, filters), [`logs`] (line formats — json-file, CRI,
//! journald entries, `docker logs -t`, compose — detection, the `local` driver's binary
//! frames ([`LocalReader`], format in [`logs::local`]),
//! [`Reassembler`], rotated files), [`inspect`] ([`ContainerInfo`], [`EnrichmentCache`]),
//! and with the default `schema` feature, normalization into `tripline_schema::Event` and
//! `FieldSource` for raw events.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod attrs;
mod error;
pub mod events;
#[cfg(feature = "schema")]
mod fields;
pub mod inspect;
mod lines;
pub mod logs;
#[cfg(feature = "schema")]
pub mod normalize;
mod settings;
pub mod time;

pub use attrs::Attributes;
pub use error::{Error, FrameDamage, HEX_SNIPPET_MAX, Limit, Location, SNIPPET_MAX, Snippet};
pub use events::filter::{EventFilter, strip_tag};
pub use events::kind::{Action, EventType, split_action};
pub use events::reader::{EventReader, parse_event};
pub use events::record::{DAEMON_KEYS, Era, EventRecord, Trust};
pub use events::text::{parse_text_event, render_text_event};
pub use inspect::{ContainerInfo, EnrichmentCache, Mount, parse_inspect};
pub use logs::compose::{parse_compose, render_compose};
pub use logs::cri::{parse_cri, render_cri};
pub use logs::detect::{Detect, LogParser, detect_line, parse_log_line};
pub use logs::journald::parse_journald;
pub use logs::jsonfile::{parse_json_log, render_json_log};
pub use logs::line::{LogFormat, LogLine, Stream};
pub use logs::local::{
    LocalFollower, LocalMessageReader, LocalReader, LocalStats, is_local_frame,
    local_log_container, parse_local_entry,
};
pub use logs::partial::{Flush, Message, Reassembler, ReassemblyStats};
pub use logs::reader::{LogReader, MessageReader};
pub use logs::rotation::{
    Checkpoint, Follower, LogDirReader, Start, container_log_path, rotated_files,
};
pub use logs::timestamped::parse_timestamped;
#[cfg(feature = "schema")]
pub use normalize::{NormalizeOptions, container_entity};
pub use settings::{Settings, Stats};
pub use time::{Timestamp, parse_time_arg};
