//! Limits, each with a documented default; exceeding one is reported, never a crash.

/// Limits applied while parsing. Each exceeded case is an [`Error`](crate::Error) for that
/// line or a counter in [`Stats`](crate::Stats).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// Longest line accepted, in bytes. Default 1 MiB: Falco alerts are a few KiB, plugin
    /// alerts with embedded audit payloads tens of KiB. Longer lines are an
    /// [`Error::LineTooLong`](crate::Error::LineTooLong) and are not buffered whole.
    pub max_line_bytes: usize,
    /// Most `output_fields` entries per alert. Default 4096 (rules print a few dozen).
    /// More is an [`Error::TooManyFields`](crate::Error::TooManyFields).
    pub max_output_fields: usize,
    /// Most `k=v` pairs recovered from one text line. Default 256; further pairs are not
    /// recovered and counted in [`Stats::text_pairs_truncated`](crate::Stats::text_pairs_truncated).
    pub max_text_pairs: usize,
    /// Most lines a pretty-printed JSON alert may span. Default 10 000 (an alert printed by
    /// `jq .` takes a line per output field); longer is an
    /// [`Error::Unterminated`](crate::Error::Unterminated).
    pub max_document_lines: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_line_bytes: 1 << 20,
            max_output_fields: 4096,
            max_text_pairs: 256,
            max_document_lines: 10_000,
        }
    }
}

impl Settings {
    /// Sets [`Settings::max_line_bytes`].
    pub fn max_line_bytes(mut self, n: usize) -> Self {
        self.max_line_bytes = n;
        self
    }

    /// Sets [`Settings::max_output_fields`].
    pub fn max_output_fields(mut self, n: usize) -> Self {
        self.max_output_fields = n;
        self
    }

    /// Sets [`Settings::max_text_pairs`].
    pub fn max_text_pairs(mut self, n: usize) -> Self {
        self.max_text_pairs = n;
        self
    }

    /// Sets [`Settings::max_document_lines`].
    pub fn max_document_lines(mut self, n: usize) -> Self {
        self.max_document_lines = n;
        self
    }
}
