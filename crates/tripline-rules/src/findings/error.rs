//! Errors of loading findings-lifecycle inputs (suppression files).

/// Why a suppression file could not be loaded.
///
/// Messages carry the location (file, 1-based line when known, entry index) and a snippet of
/// at most 80 bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FindingsError {
    /// The file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The path.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not valid YAML or JSON.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// The path, or `<string>`.
        file: String,
        /// 1-based line, 0 when unknown.
        line: u64,
        /// The parser's message (≤ 80 bytes).
        message: String,
    },
    /// A suppression entry is malformed.
    #[error("{file}: suppression #{index}: {why}")]
    Invalid {
        /// The path, or `<string>`.
        file: String,
        /// 0-based index of the entry.
        index: usize,
        /// What is wrong (≤ 80 bytes of user text quoted).
        why: String,
    },
}
