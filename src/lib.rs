//! Tripline: container-security telemetry in Rust.
//!
//! This facade re-exports the workspace crates under short names and adds what joins them:
//! input [`detect`]ion and a time-ordered [`merge`] of several streams.
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
pub mod merge;

pub use tripline_auditd as auditd;
pub use tripline_docker as docker;
pub use tripline_falco as falco;
pub use tripline_rules as rules;
pub use tripline_schema as schema;
pub use tripline_tracee as tracee;
