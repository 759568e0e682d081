//! Container logs: json-file, CRI, `docker logs -t`, compose output, journald entries, the
//! `local` driver's binary frames;
//! detection, partial reassembly, rotated files.

pub mod compose;
pub mod cri;
pub mod detect;
pub mod journald;
pub mod jsonfile;
pub mod line;
pub mod local;
pub mod partial;
pub mod reader;
pub mod rotation;
pub mod timestamped;
