//! The crate's error type: reading the native JSON form back.

/// Why a native JSON document could not be read back into an [`Event`](crate::Event).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not valid JSON or does not have the shape of an event.
    #[error("invalid native event JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line (0 when the problem is not tied to a position, e.g. a missing field).
        line: usize,
        /// 1-based column, in bytes.
        column: usize,
        /// Byte offset of the position in the input.
        offset: usize,
        /// serde_json's message.
        message: String,
        /// Up to 80 bytes of the input around the position (lossy UTF-8).
        snippet: String,
    },
    /// The document has no `"schema"` marker.
    #[error("native event JSON has no \"schema\" marker")]
    MissingSchema,
    /// The `"schema"` marker names a version this build cannot read.
    #[error("unsupported native schema {found:?} (this build reads {expected:?})")]
    UnsupportedSchema {
        /// The marker found (at most 80 bytes).
        found: String,
        /// The marker this build writes and reads.
        expected: &'static str,
    },
}

/// At most `max` bytes of `s` starting near byte `at`, cut on character boundaries.
pub(crate) fn snippet(s: &str, at: usize, max: usize) -> String {
    let mut start = at.saturating_sub(max / 2).min(s.len());
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + max).min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[start..end].to_string()
}

/// Byte offset of a 1-based (line, column) position.
pub(crate) fn offset_of(s: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let line_start: usize = s.split_inclusive('\n').take(line - 1).map(str::len).sum();
    (line_start + column.saturating_sub(1)).min(s.len())
}
