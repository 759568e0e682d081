//! tripline-docker (under construction; see the crate's issue).
