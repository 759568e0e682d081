//! Tracee events: every `trace.Event` JSON shape (v0.8 … v0.24.1), the v1beta1 JSON of
//! Tracee main, signature events as findings, and the non-event lines that share the stream.
//!
//! ```
//! use tripline_tracee::{from_str, Record};
//!
//! let line = r#"{"timestamp":1696255674450496178,"processId":7,"processName":"curl","containerId":"","container":{},"kubernetes":{},"eventId":"731","eventName":"security_socket_connect","args":[{"name":"sockfd","type":"int","value":3},{"name":"remote_addr","type":"struct sockaddr*","value":{"sa_family":"AF_INET","sin_addr":"10.0.0.1","sin_port":"443"}}]}"#;
//! let Record::Trace(ev) = from_str(line)? else { unreachable!() };
//! assert_eq!(ev.event_name, "security_socket_connect");
//! assert_eq!(ev.event_id, Some(731));
//! let addr = ev.arg_sockaddr("remote_addr").unwrap();
//! assert_eq!((addr.ip.unwrap().to_string(), addr.port), ("10.0.0.1".to_string(), Some(443)));
//! # Ok::<(), tripline_tracee::Error>(())
//! ```
//!
//! Overview:
//! - [`TraceEvent`]: one `trace.Event`, borrowed; args stay raw JSON until a typed accessor
//!   ([`TraceEvent::arg_str`], [`TraceEvent::arg_i64`], [`TraceEvent::arg_sockaddr`], …) reads
//!   them, since the value's JSON type does not follow the declared `type`.
//! - Signatures: [`TraceEvent::properties`] (`Severity`, `signatureID`, ATT&CK) and
//!   [`TraceEvent::triggered_by`], the firing event decoded as an event of its own.
//! - [`V1Event`]: Tracee main's `v1beta1.Event` JSON.
//! - [`Reader`]: a stream of [`Record`]s with [`Counts`]; logger and `table` lines are
//!   skipped and counted ([`SkipKind`]).
//! - [`Settings`]: limits and the clock (epoch or relative-time with an epoch offset).
//! - With the default `schema` feature: normalization into `tripline_schema::Event`
//!   ([`Normalizer`], with an [`Enrich`] hook for container context) and
//!   `tripline_schema::FieldSource` for raw events (`eventName`, `args.pathname`, …).

mod arg;
mod error;
mod event;
#[cfg(feature = "schema")]
mod fields;
pub mod json;
mod line;
#[cfg(feature = "schema")]
mod normalize;
mod reader;
mod scan;
mod settings;
mod v1beta1;

pub use arg::{Arg, ArgValue, Sockaddr};
pub use error::{Error, SNIPPET_MAX};
pub use event::{
    ContainerInfo, ContextFlags, Executable, KubernetesInfo, Metadata, Origin, Properties,
    SIGNATURE_ID_MAX, SIGNATURE_ID_MIN, TraceEvent,
};
pub use json::{RawJson, RawMap};
pub use line::{
    Line, Record, SkipKind, Sniff, from_slice, from_str, parse_line, parse_line_with, sniff,
};
#[cfg(feature = "schema")]
pub use normalize::{ArgLookup, Enrich, FindingSource, Normalizer};
pub use reader::{Counts, Reader};
pub use settings::{Clock, Settings};
/// The schema crate this crate normalizes into (feature `schema`).
#[cfg(feature = "schema")]
pub use tripline_schema as schema;
pub use v1beta1::{Policies, Threat, V1Event, Workload};
