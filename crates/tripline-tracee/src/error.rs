//! The crate's one error type: every variant says where (line, byte offset) and shows a
//! bounded snippet, so a bad line in a large file can be found and fixed.

use std::borrow::Cow;

/// Longest snippet of input quoted in an error, in bytes.
pub const SNIPPET_MAX: usize = 80;

/// Everything that can go wrong reading Tracee output.
///
/// Lines are 1-based; `offset` is the byte offset of the start of the line in the stream.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The line is not valid JSON, or a JSON value has the wrong type for its key.
    #[error(
        "line {line} (byte {offset}): invalid JSON at column {column}: {message}; near `{snippet}`"
    )]
    Json {
        /// Line number.
        line: u64,
        /// Byte offset of the line.
        offset: u64,
        /// Column (1-based) reported by the JSON decoder.
        column: usize,
        /// The decoder's message.
        message: String,
        /// The input around the error.
        snippet: String,
    },
    /// A JSON object that is neither a Tracee event, a v1beta1 event, nor a logger line.
    #[error(
        "line {line} (byte {offset}): JSON object is not a Tracee event (no eventName/name); near `{snippet}`"
    )]
    NotAnEvent {
        /// Line number.
        line: u64,
        /// Byte offset of the line.
        offset: u64,
        /// Start of the line.
        snippet: String,
    },
    /// A text line that is none of the known non-event lines (table output, log lines).
    #[error("line {line} (byte {offset}): unrecognized text line; near `{snippet}`")]
    NotJson {
        /// Line number.
        line: u64,
        /// Byte offset of the line.
        offset: u64,
        /// Start of the line.
        snippet: String,
    },
    /// The line (or multi-line JSON document) exceeds [`Settings::max_line_bytes`](crate::Settings::max_line_bytes).
    #[error(
        "line {line} (byte {offset}): record of {len} bytes exceeds the limit of {limit}; near `{snippet}`"
    )]
    TooLong {
        /// Line number.
        line: u64,
        /// Byte offset of the line.
        offset: u64,
        /// Bytes seen (at least `limit + 1`).
        len: u64,
        /// The configured limit.
        limit: usize,
        /// Start of the line.
        snippet: String,
    },
    /// The event has more arguments than [`Settings::max_args`](crate::Settings::max_args).
    #[error(
        "line {line} (byte {offset}): {count} args exceed the limit of {limit}; near `{snippet}`"
    )]
    TooManyArgs {
        /// Line number.
        line: u64,
        /// Byte offset of the line.
        offset: u64,
        /// Number of args in the event.
        count: usize,
        /// The configured limit.
        limit: usize,
        /// Start of the line.
        snippet: String,
    },
    /// A pretty-printed JSON document was still open at end of input or after
    /// [`Settings::max_record_lines`](crate::Settings::max_record_lines) lines.
    #[error(
        "line {line} (byte {offset}): JSON document not closed after {lines} lines; near `{snippet}`"
    )]
    Unterminated {
        /// Line number of the document's first line.
        line: u64,
        /// Byte offset of the document.
        offset: u64,
        /// Lines consumed.
        lines: u64,
        /// Start of the document.
        snippet: String,
    },
    /// The line is not UTF-8.
    #[error(
        "line {line} (byte {offset}): invalid UTF-8 at byte {valid_up_to} of the line; near `{snippet}`"
    )]
    Utf8 {
        /// Line number.
        line: u64,
        /// Byte offset of the line.
        offset: u64,
        /// Length of the valid prefix.
        valid_up_to: usize,
        /// The line, lossily decoded.
        snippet: String,
    },
    /// An argument value could not be decoded as requested (for example a malformed
    /// `triggeredBy` object).
    #[error("argument `{name}`: {message}")]
    Arg {
        /// The argument's name.
        name: String,
        /// What was wrong.
        message: String,
    },
    /// Reading the underlying stream failed.
    #[error("line {line} (byte {offset}): read error: {source}")]
    Io {
        /// Line number being read.
        line: u64,
        /// Byte offset reached.
        offset: u64,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The 1-based line number the error refers to (0 when it has none, as for [`Error::Arg`]).
    pub fn line(&self) -> u64 {
        match self {
            Error::Json { line, .. }
            | Error::NotAnEvent { line, .. }
            | Error::NotJson { line, .. }
            | Error::TooLong { line, .. }
            | Error::TooManyArgs { line, .. }
            | Error::Unterminated { line, .. }
            | Error::Utf8 { line, .. }
            | Error::Io { line, .. } => *line,
            Error::Arg { .. } => 0,
        }
    }

    /// The byte offset of the line the error refers to (0 when it has none).
    pub fn offset(&self) -> u64 {
        match self {
            Error::Json { offset, .. }
            | Error::NotAnEvent { offset, .. }
            | Error::NotJson { offset, .. }
            | Error::TooLong { offset, .. }
            | Error::TooManyArgs { offset, .. }
            | Error::Unterminated { offset, .. }
            | Error::Utf8 { offset, .. }
            | Error::Io { offset, .. } => *offset,
            Error::Arg { .. } => 0,
        }
    }

    /// Moves a line-local error to its place in a stream.
    pub(crate) fn at(mut self, at_line: u64, at_offset: u64) -> Self {
        match &mut self {
            Error::Json { line, offset, .. }
            | Error::NotAnEvent { line, offset, .. }
            | Error::NotJson { line, offset, .. }
            | Error::TooLong { line, offset, .. }
            | Error::TooManyArgs { line, offset, .. }
            | Error::Unterminated { line, offset, .. }
            | Error::Utf8 { line, offset, .. }
            | Error::Io { line, offset, .. } => {
                *line = at_line;
                *offset = at_offset;
            }
            Error::Arg { .. } => {}
        }
        self
    }

    /// A JSON error for `text`, with the snippet taken around the decoder's position.
    pub(crate) fn json(text: &str, e: &serde_json::Error) -> Self {
        let column = e.column();
        // serde_json counts columns in bytes on the error's line; single-line input is the norm.
        let line_start = if e.line() > 1 {
            text.match_indices('\n')
                .nth(e.line() - 2)
                .map_or(0, |(i, _)| i + 1)
        } else {
            0
        };
        let pos = line_start + column.saturating_sub(1);
        Self::json_at(text, pos, column, e.to_string())
    }

    /// A JSON error from the crate's own scanner (byte position in `text`).
    pub(crate) fn scan(text: &str, e: &crate::scan::ScanError) -> Self {
        let pos = e.pos.min(text.len());
        let line_start = memchr::memrchr(b'\n', &text.as_bytes()[..pos]).map_or(0, |i| i + 1);
        let line = 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..line_start]).count();
        let column = pos - line_start + 1;
        let message = if line > 1 {
            format!("{} at line {line} column {column}", e.msg)
        } else {
            format!("{} at column {column}", e.msg)
        };
        Self::json_at(text, pos, column, message)
    }

    fn json_at(text: &str, pos: usize, column: usize, message: String) -> Self {
        let start = pos.saturating_sub(SNIPPET_MAX / 2);
        Error::Json {
            line: 1,
            offset: 0,
            column,
            message,
            snippet: snippet(text.as_bytes().get(start..).unwrap_or_default()),
        }
    }
}

/// At most [`SNIPPET_MAX`] bytes of `bytes`, lossily decoded, cut on a char boundary.
pub(crate) fn snippet(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(SNIPPET_MAX)];
    match String::from_utf8_lossy(cut) {
        Cow::Borrowed(s) => s.to_owned(),
        Cow::Owned(mut s) => {
            // A cut inside a multibyte char yields a trailing U+FFFD: harmless, but keep ≤ 80 bytes.
            while s.len() > SNIPPET_MAX {
                s.pop();
            }
            s
        }
    }
}
