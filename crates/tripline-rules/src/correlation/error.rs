//! Errors of building correlation specs and engines.

/// Why a correlation rule could not be built or installed.
///
/// Snippets of user text in messages are cut to 80 bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The document is not a YAML/JSON mapping.
    #[error("correlation rule is not a mapping")]
    NotAMapping,
    /// The YAML text did not parse.
    #[error("correlation rule YAML: {0}")]
    Yaml(String),
    /// A required key is absent.
    #[error("correlation rule: missing {0}")]
    Missing(&'static str),
    /// A key has an unusable value.
    #[error("correlation rule: {key}: {why}")]
    Invalid {
        /// The key.
        key: &'static str,
        /// What is wrong.
        why: String,
    },
    /// Two correlations share an id or name.
    #[error("correlation {0}: id or name defined twice")]
    Duplicate(String),
    /// Correlations reference each other in a cycle.
    #[error("correlation {0}: reference cycle")]
    Cycle(String),
    /// The chain of correlations over correlations is deeper than the settings allow.
    #[error("correlation {0}: chain deeper than max_chain_depth")]
    TooDeep(String),
}
