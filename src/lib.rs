//! Tripline: container-security telemetry in Rust.
//!
//! This facade re-exports the workspace crates under short names and adds what joins them:
//! input [`detect`]ion, [`source`]s that read any supported file as normalized events (Falco
//! and Tracee output inside container logs included: both usually run as containers), a
//! time-ordered [`merge`] of several streams, the [`enrich`]ment step (Docker inspect cache,
//! the container argument of a `docker exec` command line) and the [`pipeline`] that runs
//! detection, correlation and the findings lifecycle over the merged stream.
//!
//! ```
//! use tripline::detect::{detect, Format};
//!
//! let sample = "type=USER_CMD msg=audit(1700000000.123:42): pid=7 uid=0 auid=1000 msg='cmd=6C73 res=success'\n";
//! assert_eq!(detect(sample), Some(Format::AuditLog));
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod detect;
mod embedded;
pub mod enrich;
pub mod merge;
pub mod output;
pub mod pipeline;
pub mod run;
pub mod source;

pub use tripline_auditd as auditd;
pub use tripline_docker as docker;
pub use tripline_falco as falco;
pub use tripline_rules as rules;
pub use tripline_schema as schema;
pub use tripline_tracee as tracee;

// The README's Rust snippets are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
