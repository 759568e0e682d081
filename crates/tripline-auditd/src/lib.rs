//! tripline-auditd (under construction; see the crate's issue).
