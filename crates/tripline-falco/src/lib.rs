//! tripline-falco (under construction; see the crate's issue).
