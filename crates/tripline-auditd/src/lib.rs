//! Zero-copy Linux audit (`audit.log`) parser: records, event assembly, ausearch-style
//! interpretation and queries, normalization.
//!
//! ```
//! use tripline_auditd::{StrEvents, Query};
//!
//! let log = "\
//! type=SYSCALL msg=audit(1615114232.375:15558): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=42 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"whoami\" exe=\"/usr/bin/whoami\" key=\"docker-daemon\"
//! type=EXECVE msg=audit(1615114232.375:15558): argc=1 a0=\"whoami\"
//! type=PROCTITLE msg=audit(1615114232.375:15558): proctitle=77686F616D69
//! ";
//! let query = Query::new().key("docker-daemon");
//! let events: Vec<_> = StrEvents::new(log).filter_map(Result::ok).filter(|e| query.matches(e)).collect();
//! assert_eq!(events.len(), 1);
//! assert_eq!(events[0].execve_args().unwrap().args, ["whoami"]);
//! assert_eq!(events[0].first("SYSCALL").unwrap().text("exe").unwrap(), "/usr/bin/whoami");
//! ```
//!
//! Layers: [`Record`] (one line, borrowed, [`from_str`]) → [`StrRecords`] / [`Reader`] (many
//! lines, counted) → [`Assembler`] / [`StrEvents`] / [`Events`] ([`AuditEvent`]s) →
//! [`Query`] (ausearch filters) → normalization (feature `schema`: `normalize`, and
//! `tripline_schema::FieldSource` on records for Sigma `service: auditd` rules).
//!
//! Grouping: [`Settings::default`] groups like libauparse 4.x (LOGIN with its syscall, EOE or
//! PROCTITLE close an event, a user-space message merged with kernel records of the same id);
//! [`Settings::ausearch_3_0_9`] reproduces ausearch 3.0.9 exactly, output order included
//! (checked against it on the whole corpus). Either way events expire by **log time**, so
//! replaying a file is deterministic, and every limit is counted ([`ReaderStats`],
//! [`AssemblerStats`]).
#![forbid(unsafe_code)]

pub mod interpret;
pub mod record_type;
pub use record_type::RecordType;

mod assemble;
mod error;
mod event;
#[cfg(feature = "schema")]
mod fields;
mod interp_support;
#[cfg(feature = "schema")]
mod normalize;
mod parse;
mod query;
mod reader;
mod record;
mod settings;
pub mod value;

pub use assemble::{Assembler, AssemblerStats, Events, StrEvents};
pub use error::{Error, ErrorKind, Location, SNIPPET_MAX, Snippet, Warning, WarningKind};
pub use event::{AuditEvent, Completion, EventId, ExecveArgs};
pub use query::{Query, TimeBound};
pub use reader::{Reader, ReaderStats, StrRecords};
pub use record::{EventTime, Field, Position, Record, RecordBuf, Scope, ValueKind};
pub use settings::Settings;

#[cfg(feature = "schema")]
pub use normalize::{normalize, normalize_in};

/// Parses one record from a line (a trailing newline is ignored).
///
/// ```
/// let e = tripline_auditd::from_str("type=CWD msg=audit(1.000:x):").unwrap_err();
/// assert_eq!(e.kind(), tripline_auditd::ErrorKind::BadEventId);
/// let r = tripline_auditd::from_str("node=web1 type=CWD msg=audit(1.500:3):  cwd=\"/root\"").unwrap();
/// assert_eq!((r.node(), r.type_name(), r.serial()), (Some("web1"), "CWD", 3));
/// assert_eq!(r.text("cwd").unwrap(), "/root");
/// ```
pub fn from_str(line: &str) -> Result<Record<'_>, Error> {
    Record::parse(line)
}

/// Parses one record from bytes; invalid UTF-8 is an error here (use [`Reader`] for lossy
/// decoding).
pub fn from_slice(line: &[u8]) -> Result<Record<'_>, Error> {
    match std::str::from_utf8(line) {
        Ok(s) => Record::parse(s),
        Err(e) => Err(Error::Parse {
            kind: ErrorKind::NotARecord,
            detail: Some("invalid UTF-8"),
            location: Location {
                line: 0,
                offset: 0,
                column: e.valid_up_to(),
            },
            snippet: Snippet::new(line),
        }),
    }
}
