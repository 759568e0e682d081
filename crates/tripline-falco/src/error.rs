//! The crate's error type: every variant says where (line, byte offset) and shows a bounded
//! snippet of the input.

use std::fmt;

/// Maximum bytes of input kept in an error snippet.
pub const SNIPPET_MAX: usize = 80;

/// Where in the input an error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    /// 1-based line number (1 for single-record entry points).
    pub line: u64,
    /// Byte offset of the start of the line in the stream.
    pub offset: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} (byte {})", self.line, self.offset)
    }
}

/// A bounded, lossy-UTF-8 excerpt of the input (at most [`SNIPPET_MAX`] bytes).
pub(crate) fn snippet(bytes: &[u8]) -> String {
    let end = bytes.len().min(SNIPPET_MAX);
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// Everything that can go wrong reading Falco output. A bad line never stops a [`Reader`];
/// it becomes one `Err` for that line.
///
/// [`Reader`]: crate::Reader
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The line starts like JSON but is not valid JSON, or a key has the wrong JSON type.
    #[error("{at}: invalid JSON at column {column}: {message}: `{snippet}`")]
    Json {
        /// Where.
        at: Location,
        /// 1-based column within the line reported by the JSON parser.
        column: usize,
        /// The JSON parser's message.
        message: String,
        /// The start of the line.
        snippet: String,
    },
    /// A JSON object lacks a key every alert has (`time`, `rule` or `priority`).
    #[error("{at}: alert has no `{key}`: `{snippet}`")]
    MissingKey {
        /// Where.
        at: Location,
        /// The missing key.
        key: &'static str,
        /// The start of the line.
        snippet: String,
    },
    /// `time` is not an RFC 3339 time, a `{seconds,nanos}` object or an integer of ns.
    #[error("{at}: bad time `{snippet}`")]
    BadTime {
        /// Where.
        at: Location,
        /// The time as written.
        snippet: String,
    },
    /// `priority` is not a Falco priority name or number.
    #[error("{at}: unknown priority `{snippet}`")]
    BadPriority {
        /// Where.
        at: Location,
        /// The priority as written.
        snippet: String,
    },
    /// A line longer than [`Settings::max_line_bytes`](crate::Settings::max_line_bytes).
    #[error("{at}: line of {len} bytes exceeds the limit of {limit}: `{snippet}`")]
    LineTooLong {
        /// Where.
        at: Location,
        /// The line length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
        /// The start of the line.
        snippet: String,
    },
    /// More `output_fields` than [`Settings::max_output_fields`](crate::Settings::max_output_fields).
    #[error("{at}: {count} output fields exceed the limit of {limit}: `{snippet}`")]
    TooManyFields {
        /// Where.
        at: Location,
        /// The number of fields.
        count: usize,
        /// The limit.
        limit: usize,
        /// The start of the line.
        snippet: String,
    },
    /// A pretty-printed JSON alert whose object does not close: the input ended, or it ran
    /// past [`Settings::max_document_lines`](crate::Settings::max_document_lines).
    #[error("{at}: JSON alert not closed after {lines} lines: `{snippet}`")]
    Unterminated {
        /// Where the alert starts.
        at: Location,
        /// The lines read.
        lines: usize,
        /// The start of the alert.
        snippet: String,
    },
    /// Reading the underlying stream failed.
    #[error("{at}: read error: {source}")]
    Io {
        /// Where.
        at: Location,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Where the error happened.
    pub fn location(&self) -> Location {
        match self {
            Error::Json { at, .. }
            | Error::MissingKey { at, .. }
            | Error::BadTime { at, .. }
            | Error::BadPriority { at, .. }
            | Error::LineTooLong { at, .. }
            | Error::TooManyFields { at, .. }
            | Error::Unterminated { at, .. }
            | Error::Io { at, .. } => *at,
        }
    }

    /// Moves the error to another location (the reader knows the line; parsers do not).
    pub(crate) fn relocate(mut self, to: Location) -> Self {
        match &mut self {
            Error::Json { at, .. }
            | Error::MissingKey { at, .. }
            | Error::BadTime { at, .. }
            | Error::BadPriority { at, .. }
            | Error::LineTooLong { at, .. }
            | Error::TooManyFields { at, .. }
            | Error::Unterminated { at, .. }
            | Error::Io { at, .. } => *at = to,
        }
        self
    }
}
