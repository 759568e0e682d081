//! tripline-tracee (under construction; see the crate's issue).
