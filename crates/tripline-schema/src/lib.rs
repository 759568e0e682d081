//! The normalized Tripline event.
//!
//! Every parser crate (`tripline-auditd`, `-docker`, `-falco`, `-tracee`) turns its records
//! into one owned [`Event`]: an envelope (time with nanoseconds, source, host, container,
//! outcome, [`Severity`], raw original, vendor leftovers in `unmapped`) around an
//! [`EventKind`] whose variants carry the payload, built from shared entities ([`Process`],
//! [`User`], [`File`], [`Endpoint`], [`Container`], [`Rule`], [`Attack`]).
//!
//! Rules read events through [`Event::get`] with ECS 8.17 dotted paths (all listed in
//! [`paths`]); anything else a rule can see implements [`FieldSource`].
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use tripline_schema::{Event, EventKind, Process, ProcessEvent, Product, Source, Value, paths};
//!
//! let process = Process {
//!     pid: Some(4242),
//!     executable: Some("/usr/bin/docker".into()),
//!     args: vec!["docker".into(), "exec".into(), "-it".into(), "web".into(), "sh".into()],
//!     ..Process::default()
//! };
//! let event = Event::new(
//!     Utc.timestamp_opt(1_700_000_000, 123_456_789).unwrap(),
//!     Source::new(Product::Auditd, "audit-log"),
//!     EventKind::ProcessExec(ProcessEvent { process, ..ProcessEvent::default() }),
//! );
//! assert_eq!(event.get(paths::PROCESS_EXECUTABLE), Some(Value::str("/usr/bin/docker")));
//! assert_eq!(event.get(paths::PROCESS_PID), Some(Value::Int(4242)));
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod access;
pub mod attack;
pub mod canonical;
pub mod classify;
mod doc;
pub mod ecs;
pub mod entity;
mod error;
pub mod event;
pub mod kind;
mod native;
pub mod ocsf;
pub mod paths;
pub mod severity;
pub mod value;

pub use attack::{Attack, Tactic, Technique};
pub use classify::Classification;
pub use ecs::EcsOptions;
pub use entity::{
    Container, Endpoint, File, FileType, Group, Host, Image, Orchestrator, ParentProcess, Process,
    Rule, User,
};
pub use error::Error;
pub use event::{Event, Location, Outcome, Product, Raw, Source};
pub use kind::{
    AccountChange, AccountOp, AuthOp, Authentication, ContainerLifecycle, Direction, EventKind,
    FileAccess, FileOp, Finding, IdentityChange, IdentityOp, LogLine, NetworkActivity, NetworkOp,
    Other, PartialInfo, ProcessEvent, Stream, UserCommand,
};
pub use native::NATIVE_SCHEMA;
pub use ocsf::OcsfOptions;
pub use severity::{Severity, SeverityLevel};
pub use value::{FieldSource, Value};
