//! The crate's one error type: every rejected file, rule or condition says where and why.

use std::fmt;

/// Maximum bytes of offending input quoted in an error.
pub const SNIPPET_MAX: usize = 80;

/// Cuts `s` to at most [`SNIPPET_MAX`] bytes on a character boundary (input is already UTF-8).
pub fn snippet(s: &str) -> String {
    if s.len() <= SNIPPET_MAX {
        return s.to_string();
    }
    let mut end = SNIPPET_MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// Cuts raw bytes to a bounded, lossily decoded snippet.
pub fn snippet_bytes(b: &[u8]) -> String {
    let cut = &b[..b.len().min(SNIPPET_MAX)];
    snippet(&String::from_utf8_lossy(cut))
}

/// Where a problem was found: the file (or the origin name given to `add_str`), the 1-based
/// line of the YAML document (or of the YAML error), and the byte offset in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// File path or caller-supplied origin name.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u64,
    /// Byte offset of the document or error in the file.
    pub offset: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Everything that can go wrong while loading, parsing or compiling Sigma rules, building
/// correlation engines, or loading suppression files.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read.
    #[error("{path}: cannot read: {message}")]
    Io {
        /// The path.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The YAML text is malformed or exceeds a budget (depth, size, node count).
    #[error("{at}: YAML: {message} (near `{snippet}`)")]
    Yaml {
        /// Where.
        at: Location,
        /// What the YAML reader said.
        message: String,
        /// Bounded quote of the input near the error.
        snippet: String,
    },
    /// A whole input exceeds a size limit of [`Settings`](crate::Settings).
    #[error("{at}: {what} is {actual} bytes, over the limit of {limit}")]
    TooLarge {
        /// Where.
        at: Location,
        /// What was measured.
        what: &'static str,
        /// The size seen.
        actual: usize,
        /// The configured limit.
        limit: usize,
    },
    /// A rule, correlation or filter document is not valid Sigma 2.1 or cannot be compiled.
    #[error("{at}: rule {title:?} ({id}): {reason}")]
    Rule {
        /// Where.
        at: Location,
        /// The rule's title (empty when missing).
        title: String,
        /// The rule's id or name (`-` when missing).
        id: String,
        /// What is wrong, in words.
        reason: String,
    },
    /// A condition expression does not parse.
    #[error("condition: {reason} at byte {offset} (near `{snippet}`)")]
    Condition {
        /// Byte offset in the condition string.
        offset: usize,
        /// What is wrong.
        reason: String,
        /// Bounded quote of the condition from the offset on.
        snippet: String,
    },
    /// A correlation rule cannot be built or installed in the correlation engine: a missing
    /// or invalid key, an id or name defined twice, a reference cycle, a chain deeper than
    /// the settings allow.
    #[error("correlation {rule}: {reason}")]
    Correlation {
        /// The rule's id, else name, else title (`-` when none is known); at most
        /// [`SNIPPET_MAX`] bytes.
        rule: String,
        /// What is wrong, in words (user text quoted in at most [`SNIPPET_MAX`] bytes).
        reason: String,
    },
    /// A suppression file is not valid YAML/JSON, or one of its entries is malformed.
    #[error("{at}: suppression{}: {reason}", entry_label(*.index))]
    Suppression {
        /// Where: the path (or `<string>`) and the 1-based line when known.
        at: Location,
        /// 0-based index of the offending entry; `None` when the whole file is at fault.
        index: Option<usize>,
        /// What is wrong (user text quoted in at most [`SNIPPET_MAX`] bytes).
        reason: String,
    },
}

fn entry_label(index: Option<usize>) -> String {
    index.map(|i| format!(" #{i}")).unwrap_or_default()
}

impl Error {
    /// A [`Error::Yaml`] (or, with `suppression`, an [`Error::Suppression`]) for a parser
    /// message about 1-based `line` (0 when unknown) of `text` read from `file`.
    pub(crate) fn parse(
        file: &str,
        text: &str,
        line: u64,
        message: &str,
        suppression: bool,
    ) -> Error {
        let offset = if line <= 1 {
            0
        } else {
            text.match_indices('\n')
                .nth(line as usize - 2)
                .map_or(text.len(), |(i, _)| i + 1)
        };
        let at = Location {
            file: file.to_string(),
            line,
            offset: offset as u64,
        };
        let message = snippet(message.lines().next().unwrap_or(""));
        if suppression {
            return Error::Suppression {
                at,
                index: None,
                reason: message,
            };
        }
        let near = text
            .get(offset..)
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("");
        Error::Yaml {
            at,
            message,
            snippet: snippet(near),
        }
    }

    /// The human reason without location (the `reason` of a rule error, the message otherwise).
    pub fn reason(&self) -> String {
        match self {
            Error::Rule { reason, .. }
            | Error::Correlation { reason, .. }
            | Error::Suppression { reason, .. } => reason.clone(),
            other => other.to_string(),
        }
    }
}
