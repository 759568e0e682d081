//! Tripline: container-security telemetry in Rust.
//!
//! This facade re-exports the workspace crates under short names.

pub use tripline_auditd as auditd;
pub use tripline_docker as docker;
pub use tripline_falco as falco;
pub use tripline_rules as rules;
pub use tripline_schema as schema;
pub use tripline_tracee as tracee;
