//! tripline-rules (under construction; see the crate's issue).
