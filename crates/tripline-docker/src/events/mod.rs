//! Docker events: the JSON message of every API era, json-seq, the text line, filters.

pub mod filter;
pub mod kind;
pub mod reader;
pub mod record;
pub mod text;
