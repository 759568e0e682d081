//! The crate's error type and the typed warnings a record can carry.
//!
//! A line that cannot become a record is an [`Error`] for that line (the stream goes on). A
//! line that becomes a record but could not be understood completely carries [`Warning`]s
//! instead, so nothing is dropped silently.

use std::fmt;

/// The longest snippet of input quoted in an error, in bytes.
pub const SNIPPET_MAX: usize = 80;

/// A bounded, lossy-UTF-8 excerpt of the input that caused an error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet(pub String);

impl Snippet {
    /// The first [`SNIPPET_MAX`] bytes of `bytes` (cut on a character boundary), lossily decoded.
    pub fn new(bytes: &[u8]) -> Self {
        let mut end = bytes.len().min(SNIPPET_MAX);
        let text = loop {
            match std::str::from_utf8(&bytes[..end]) {
                Ok(s) => break s.to_owned(),
                Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
                    end = e.valid_up_to();
                }
                Err(_) => break String::from_utf8_lossy(&bytes[..end]).into_owned(),
            }
        };
        Snippet(text)
    }
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// Where in the input an error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    /// 1-based line number (0 when parsing a single record without a stream).
    pub line: u64,
    /// Byte offset of the start of the line in the stream.
    pub offset: u64,
    /// Byte offset of the problem inside the line.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} (byte {}), column {}",
            self.line, self.offset, self.column
        )
    }
}

/// Why a line could not become a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No `type=` header was found: the line is not an audit record.
    NotARecord,
    /// The header has no `audit(SECS.MSEC:SERIAL)` event id (e.g. `type=UNKNOWN[1329] msg=?`).
    MissingEventId,
    /// The `audit(…)` event id is malformed (bad digits, overflow, missing `)`).
    BadEventId,
    /// The record type after `type=` is empty.
    EmptyType,
    /// The line is longer than [`Settings::max_line_len`](crate::Settings::max_line_len).
    LineTooLong,
    /// Reading the underlying stream failed.
    Io,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::NotARecord => "not an audit record (no type= header)",
            ErrorKind::MissingEventId => "record header has no audit(SECS.MSEC:SERIAL) event id",
            ErrorKind::BadEventId => "malformed audit(SECS.MSEC:SERIAL) event id",
            ErrorKind::EmptyType => "empty record type",
            ErrorKind::LineTooLong => "line longer than the configured maximum",
            ErrorKind::Io => "I/O error",
        }
    }
}

/// A line that could not be parsed into a record, with its location and a bounded snippet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The line is not a usable audit record.
    #[error("{}: {} at {location}: {snippet}", kind.describe(), detail.unwrap_or(""))]
    Parse {
        /// What went wrong.
        kind: ErrorKind,
        /// Optional extra detail.
        detail: Option<&'static str>,
        /// Where.
        location: Location,
        /// The start of the offending text.
        snippet: Snippet,
    },
    /// The input could not be read.
    #[error("I/O error at {location}: {message}")]
    Io {
        /// Where reading stopped.
        location: Location,
        /// The I/O error text.
        message: String,
    },
}

impl Error {
    pub(crate) fn parse(kind: ErrorKind, column: usize, line: &[u8]) -> Self {
        let from = column.min(line.len());
        Error::Parse {
            kind,
            detail: None,
            location: Location {
                line: 0,
                offset: 0,
                column,
            },
            snippet: Snippet::new(&line[from..]),
        }
    }

    /// The error category.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Parse { kind, .. } => *kind,
            Error::Io { .. } => ErrorKind::Io,
        }
    }

    /// Where the error happened.
    pub fn location(&self) -> Location {
        match self {
            Error::Parse { location, .. } | Error::Io { location, .. } => *location,
        }
    }

    pub(crate) fn at(mut self, line: u64, offset: u64) -> Self {
        match &mut self {
            Error::Parse { location, .. } | Error::Io { location, .. } => {
                location.line = line;
                location.offset = offset;
            }
        }
        self
    }
}

/// Something the parser could not fully understand in a record it still produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// Text before the `node=`/`type=` header (syslog prefix, YAML indentation…) was skipped.
    LeadingText,
    /// The header used the legacy `host=` instead of `node=`.
    LegacyHost,
    /// The header had `audit(…)` without `msg=`.
    MissingMsgKey,
    /// The header's `audit(…)` was not followed by `:`.
    MissingColon,
    /// Words that are not `key=value` after the fields started; kept as text.
    UnparsedText,
    /// A double-quoted value has no closing quote; the value runs to the end.
    UnterminatedQuote,
    /// A `msg='…'` value has no closing single quote; the value runs to the end.
    UnterminatedMsg,
    /// A second record header (`type=… msg=audit(`) was found inside this line; the rest of
    /// the line was parsed as its own record.
    SplicedRecord,
    /// The line was not valid UTF-8 and was decoded lossily.
    InvalidUtf8,
    /// The line had a carriage return before its newline.
    CarriageReturn,
}

/// A warning with the byte range of the line it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Warning {
    /// What happened.
    pub kind: WarningKind,
    /// Byte offset in the line where it starts.
    pub start: u32,
    /// Byte offset in the line where it ends.
    pub end: u32,
}
