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
//! use tripline_schema::{
//!     EcsOptions, Event, EventKind, OcsfOptions, Process, ProcessEvent, Product, Source, Value,
//!     paths,
//! };
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
//!     EventKind::ProcessExec(Box::new(ProcessEvent { process, ..ProcessEvent::default() })),
//! );
//! assert_eq!(event.get(paths::PROCESS_EXECUTABLE), Some(Value::str("/usr/bin/docker")));
//! assert_eq!(event.get(paths::PROCESS_PID), Some(Value::Int(4242)));
//!
//! // The same event as ECS 8.17, OCSF 1.8.0 and the lossless native form.
//! let ecs = event.to_ecs(&EcsOptions::default());
//! assert_eq!(ecs["event"]["category"][0], "process");
//! assert_eq!(ecs["process"]["args_count"], 5);
//! let ocsf = event.to_ocsf(&OcsfOptions::default());
//! assert_eq!(ocsf["type_uid"], 100701); // Process Activity: Launch
//! let native = event.to_native_json();
//! assert_eq!(Event::from_native_json(&native).unwrap(), event);
//! ```
//!
//! # Views
//!
//! An [`Event`] is stored once and viewed three ways:
//!
//! * **Native JSON** ([`Event::to_native_json`] / [`Event::from_native_json`]): the lossless,
//!   versioned form (`{"schema": "tripline/1", …}`) for storage and replay; it round-trips
//!   exactly.
//! * **ECS 8.17** ([`ecs::to_ecs`], [`Event::to_ecs`]): a nested document with
//!   `event.kind/category/type`, `event.original`, `log.file.path`, users by role, `threat.*`
//!   for ATT&CK, vendor leftovers under `auditd.*`, `falco.*`, `tracee.*`, `docker.*`, and
//!   what ECS lacks under `tripline.*` ([`EcsOptions`] leaves out the raw text or location).
//! * **OCSF 1.8.0** ([`ocsf::to_ocsf`], [`Event::to_ocsf`]): the class each kind maps to
//!   (Process Activity, File System Activity, Network Activity, Authentication, Account
//!   Change, Group Management, Detection Finding, API Activity, Base Event) with the objects
//!   it requires, declared profiles and `raw_data`; never a `null`.
//!
//! Both standard views take their categorization from one table ([`classify`]), so they can
//! never disagree; [`canonical`] writes JSON with sorted keys for byte-stable output. The
//! golden files under `tests/golden/` show every kind in all three forms and pass the official
//! ECS and OCSF validators.

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
pub mod fields;
mod flat;
pub mod kind;
mod native;
mod object_writer;
pub mod ocsf;
pub mod paths;
pub mod severity;
#[cfg(test)]
mod testgen;
pub mod value;

pub use attack::{Attack, Tactic, Technique};
pub use classify::Classification;
pub use ecs::EcsOptions;
pub use entity::{
    Container, Endpoint, File, FileExtra, FileType, Group, Host, Image, Orchestrator,
    ParentProcess, Process, ProcessExtra, Rule, User,
};
pub use error::Error;
pub use event::{Event, Location, Outcome, Product, Raw, Source};
pub use fields::{Field, Fields, Text};
pub use flat::FlatEvent;
pub use kind::{
    AccountChange, AccountOp, AuthOp, Authentication, ContainerLifecycle, Direction, EventKind,
    FileAccess, FileOp, Finding, IdentityChange, IdentityOp, LogLine, NetworkActivity, NetworkOp,
    Other, PartialInfo, ProcessAccess, ProcessAccessOp, ProcessEvent, Stream, TextMap, UserCommand,
};
pub use native::NATIVE_SCHEMA;
pub use object_writer::ObjectWriter;
pub use ocsf::OcsfOptions;
pub use severity::{Severity, SeverityLevel};
pub use value::{FieldName, FieldSource, Value, field_hash};
