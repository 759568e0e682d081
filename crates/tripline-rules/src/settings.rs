//! Limits and options for loading and compiling rules, with documented defaults.

use std::collections::BTreeMap;

/// Limits applied while loading and compiling rules. Every exceeded limit rejects the file or
/// rule concerned (never the whole load) and is counted in [`LoadStats`](crate::LoadStats).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest rule file read, in bytes. Default 4 MiB (the largest SigmaHQ rule is ~30 KiB).
    pub max_file_bytes: usize,
    /// Deepest YAML nesting accepted. Default 32 (Sigma rules nest at most ~6 levels).
    pub max_yaml_depth: usize,
    /// Most YAML documents in one file. Default 1,024.
    pub max_documents: usize,
    /// Most YAML nodes in one file. Default 200,000.
    pub max_yaml_nodes: usize,
    /// Deepest condition nesting (parentheses and `not`). Default 64.
    pub max_condition_depth: usize,
    /// Longest condition string in bytes. Default 8 KiB.
    pub max_condition_bytes: usize,
    /// Compiled size limit per regular expression, in bytes (`regex::RegexBuilder::size_limit`).
    /// Default 1 MiB.
    pub max_regex_bytes: usize,
    /// Deepest directory recursion. Default 32.
    pub max_dir_depth: usize,
    /// Reject the Sigma 1 date form `YYYY/MM/DD` in `date`/`modified` (Sigma 2 requires
    /// `YYYY-MM-DD`). Default `true`.
    pub reject_v1_dates: bool,
    /// Values for `|expand` placeholders, by name without `%` (`Servers` → list). A rule using a
    /// placeholder missing here is rejected, as the specification requires. Default empty.
    pub placeholders: BTreeMap<String, Vec<String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_file_bytes: 4 << 20,
            max_yaml_depth: 32,
            max_documents: 1024,
            max_yaml_nodes: 200_000,
            max_condition_depth: 64,
            max_condition_bytes: 8 << 10,
            max_regex_bytes: 1 << 20,
            max_dir_depth: 32,
            reject_v1_dates: true,
            placeholders: BTreeMap::new(),
        }
    }
}
