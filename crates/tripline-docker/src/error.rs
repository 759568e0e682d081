//! The one error type of the crate: every variant says where (line, byte offset) and shows a
//! bounded snippet of the offending input.

use std::fmt;

/// Longest snippet kept in an error, in bytes of input.
pub const SNIPPET_MAX: usize = 80;

/// A bounded excerpt of the input that caused an error: lossy UTF-8 for text formats, a hex
/// dump for binary ones (the `local` driver's frames).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet(pub String);

impl Snippet {
    /// The first [`SNIPPET_MAX`] bytes of `bytes`, lossily decoded (NULs shown as `\0`).
    pub fn of(bytes: &[u8]) -> Self {
        let cut = &bytes[..bytes.len().min(SNIPPET_MAX)];
        let text = String::from_utf8_lossy(cut).replace('\0', "\\0");
        Snippet(text)
    }
}

impl Snippet {
    /// The first [`HEX_SNIPPET_MAX`] bytes of `bytes` in hex (`00 00 01 0a …`), `…` marking
    /// a cut.
    pub fn hex(bytes: &[u8]) -> Self {
        let cut = &bytes[..bytes.len().min(HEX_SNIPPET_MAX)];
        let mut text = String::with_capacity(cut.len() * 3 + 4);
        for (i, b) in cut.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            text.push(char::from(HEX[usize::from(b >> 4)]));
            text.push(char::from(HEX[usize::from(b & 15)]));
        }
        if bytes.len() > cut.len() {
            text.push_str(" …");
        }
        Snippet(text)
    }
}

/// Longest hex snippet kept in an error, in bytes of input.
pub const HEX_SNIPPET_MAX: usize = 32;

const HEX: &[u8; 16] = b"0123456789abcdef";

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// Where in the input an error happened: 1-based line, byte offset of the line start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    /// 1-based line number (0 when parsing a lone record outside a reader).
    pub line: u64,
    /// Byte offset of the start of the line in the stream (or the file when known).
    pub offset: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} (byte {})", self.line, self.offset)
    }
}

/// Which fixed-size limit of [`Settings`](crate::Settings) a line exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// `max_line_bytes`.
    LineBytes,
    /// `max_attributes`.
    Attributes,
    /// `max_json_lines` (a pretty-printed object spanning too many lines).
    JsonLines,
    /// `max_entry_bytes` (a `local` driver frame whose header announces a longer entry).
    EntryBytes,
}

/// What is wrong with a damaged frame of the `local` log driver (see [`Error::Frame`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameDamage {
    /// The input ended inside the frame: `needed` bytes of frame (4 for the length header,
    /// else header + entry + trailer) but only `available` were left.
    Truncated {
        /// Bytes the frame needs.
        needed: u64,
        /// Bytes left in the input.
        available: u64,
    },
    /// The trailing length differs from the leading one.
    TrailerMismatch {
        /// The length in the header.
        header: u32,
        /// The length in the trailer.
        trailer: u32,
    },
    /// A zero-length entry: what a run of NUL bytes (a crash, a preallocated file) reads as;
    /// Docker never writes one, its entries always name their stream.
    Empty,
    /// A frame whose lengths agree but which the reader's decoding budget cannot pay for
    /// (see `LocalStats::decoded_bytes`): only after damage crafted to make the reader decode
    /// candidate after candidate; Docker's own frames always fit.
    OverBudget,
    /// The entry is not a decodable `LogEntry` protobuf message.
    Protobuf {
        /// What is wrong (`"varint runs past the end"`, `"wire type 3 (group)"`, …).
        reason: &'static str,
        /// Byte position of the offending field inside the entry.
        position: u64,
    },
}

impl fmt::Display for FrameDamage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameDamage::Truncated { needed, available } => {
                write!(f, "truncated: {needed} bytes needed, {available} left")
            }
            FrameDamage::TrailerMismatch { header, trailer } => {
                write!(
                    f,
                    "trailer length {trailer} differs from header length {header}"
                )
            }
            FrameDamage::Empty => f.write_str("zero-length entry"),
            FrameDamage::OverBudget => {
                f.write_str("frame not decoded: over the decoding budget after damage")
            }
            FrameDamage::Protobuf { reason, position } => {
                write!(f, "bad protobuf at entry byte {position}: {reason}")
            }
        }
    }
}

/// Everything that can go wrong parsing Docker events, logs and inspect output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The line is not valid JSON, or JSON of the wrong shape (missing `log`, numeric `time`…).
    #[error("{at}: invalid JSON: {message}; input {snippet}")]
    Json {
        /// Location.
        at: Location,
        /// serde_json's description.
        message: String,
        /// Excerpt.
        snippet: Snippet,
    },
    /// A timestamp that is not RFC 3339 with 0–9 fraction digits (or the stated alternative).
    #[error("{at}: bad timestamp: {snippet}")]
    Timestamp {
        /// Location.
        at: Location,
        /// Excerpt (the timestamp text).
        snippet: Snippet,
    },
    /// The line is damaged: NUL bytes (crash / disk full) or a JSON record without its `{`.
    #[error("{at}: corrupted line ({reason}); input {snippet}")]
    Corrupt {
        /// Location.
        at: Location,
        /// What is wrong.
        reason: &'static str,
        /// Excerpt.
        snippet: Snippet,
    },
    /// The line matches no shape of the expected format (e.g. a non-CRI line in a CRI file).
    #[error("{at}: not a {expected} line; input {snippet}")]
    Format {
        /// Location.
        at: Location,
        /// The expected format.
        expected: &'static str,
        /// Excerpt.
        snippet: Snippet,
    },
    /// A configured limit was exceeded; the line was dropped as a whole.
    #[error("{at}: limit {limit:?} exceeded ({actual} > {max}); input {snippet}")]
    Limit {
        /// Location.
        at: Location,
        /// Which limit.
        limit: Limit,
        /// The observed size.
        actual: usize,
        /// The configured maximum.
        max: usize,
        /// Excerpt.
        snippet: Snippet,
    },
    /// A damaged frame of the `local` log driver (a truncated frame, mismatched lengths, an
    /// undecodable entry). `at.offset` is the byte where the damage starts; the reader went on
    /// at the next plausible frame, `skipped` bytes further.
    #[error(
        "{at}: damaged local-driver frame ({damage}); {skipped} bytes skipped; bytes {snippet}"
    )]
    Frame {
        /// Location (`line` is the index of the item in the stream).
        at: Location,
        /// What is wrong.
        damage: FrameDamage,
        /// Bytes skipped, from the damage to where reading resumed.
        skipped: u64,
        /// Hex dump of the first bytes at the damage.
        snippet: Snippet,
    },
    /// A `--since`/`--until`/`--filter` argument that cannot be parsed.
    #[error("bad argument {arg:?}: {reason}")]
    Argument {
        /// The argument text (bounded).
        arg: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// Reading the underlying input failed.
    #[error("{at}: I/O error: {source}")]
    Io {
        /// Location reached when the error happened.
        at: Location,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The location of the error (`None` for argument errors).
    pub fn location(&self) -> Option<Location> {
        match self {
            Error::Json { at, .. }
            | Error::Timestamp { at, .. }
            | Error::Corrupt { at, .. }
            | Error::Format { at, .. }
            | Error::Limit { at, .. }
            | Error::Frame { at, .. }
            | Error::Io { at, .. } => Some(*at),
            Error::Argument { .. } => None,
        }
    }

    /// The same error moved to another location (readers relocate single-record errors).
    pub fn at(mut self, loc: Location) -> Self {
        match &mut self {
            Error::Json { at, .. }
            | Error::Timestamp { at, .. }
            | Error::Corrupt { at, .. }
            | Error::Format { at, .. }
            | Error::Limit { at, .. }
            | Error::Frame { at, .. }
            | Error::Io { at, .. } => *at = loc,
            Error::Argument { .. } => {}
        }
        self
    }

    pub(crate) fn json(e: &serde_json::Error, input: &[u8]) -> Self {
        Error::Json {
            at: Location::default(),
            message: e.to_string(),
            snippet: Snippet::of(input),
        }
    }

    pub(crate) fn timestamp(input: &[u8]) -> Self {
        Error::Timestamp {
            at: Location::default(),
            snippet: Snippet::of(input),
        }
    }

    pub(crate) fn format(expected: &'static str, input: &[u8]) -> Self {
        Error::Format {
            at: Location::default(),
            expected,
            snippet: Snippet::of(input),
        }
    }

    pub(crate) fn corrupt(reason: &'static str, input: &[u8]) -> Self {
        Error::Corrupt {
            at: Location::default(),
            reason,
            snippet: Snippet::of(input),
        }
    }

    pub(crate) fn argument(arg: &str, reason: &'static str) -> Self {
        Error::Argument {
            arg: Snippet::of(arg.as_bytes()).0,
            reason,
        }
    }
}
