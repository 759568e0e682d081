//! tripline-auditd (under construction; see the crate's issue).

pub mod record_type;
pub use record_type::RecordType;
