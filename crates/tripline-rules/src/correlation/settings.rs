//! Limits of the correlation engine and the counters that report every time one was hit.

/// Limits and behaviour of the [`Engine`](super::Engine). Every limit that drops data has a
/// counter in [`Stats`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Live groups kept per correlation rule. When a new group would exceed it, groups whose
    /// window has passed are dropped first, then the least recently updated sixteenth of the
    /// groups is evicted ([`Stats::groups_evicted`]). Default 100 000.
    pub max_groups: usize,
    /// Window entries (matched events) kept per group. The oldest entry is evicted when a new
    /// one would exceed it ([`Stats::entries_evicted`]), so a count can never exceed this.
    /// Default 4 096.
    pub max_events_per_group: usize,
    /// Evidence handles reported per correlation match: the earliest half and the latest half
    /// of the window are kept, the rest counted in [`CorrelationMatch::evidence_omitted`](super::CorrelationMatch::evidence_omitted).
    /// Default 32.
    pub max_evidence: usize,
    /// How far behind the newest event time seen (the watermark) an input may be and still
    /// count, in nanoseconds. Older inputs are dropped and counted in [`Stats::late_dropped`].
    /// Default 60 s.
    pub allowed_lateness_ns: i64,
    /// Longest chain of correlations over correlations. Default 10.
    pub max_chain_depth: usize,
    /// Whether a group's window is cleared after a condition tested on arrival matched (one
    /// match per burst). When false, every further event that keeps the condition true matches
    /// again. Conditions tested at window close match at most once per window anyway.
    /// Default true.
    pub reset_on_match: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_groups: 100_000,
            max_events_per_group: 4_096,
            max_evidence: 32,
            allowed_lateness_ns: 60_000_000_000,
            max_chain_depth: 10,
            reset_on_match: true,
        }
    }
}

/// What the engine did, including everything it dropped and why.
///
/// `inputs = late_dropped + unreferenced + accepted`; an accepted input may still be skipped by
/// one correlation for a missing group-by or value field (counted per skip).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Detection matches handed to [`Engine::process`](super::Engine::process).
    pub inputs: u64,
    /// Inputs that reached at least one correlation.
    pub accepted: u64,
    /// Inputs no correlation references.
    pub unreferenced: u64,
    /// Inputs older than the watermark minus the allowed lateness, dropped.
    pub late_dropped: u64,
    /// Inputs that arrived out of order but within the allowed lateness (counted normally).
    pub reordered: u64,
    /// (input, correlation) pairs skipped because a group-by field was absent or null.
    pub missing_group_field: u64,
    /// (input, correlation) pairs skipped because `condition.field` was absent or null.
    pub missing_value_field: u64,
    /// (input, correlation) pairs skipped because a `value_sum/avg/percentile` field was not
    /// numeric.
    pub non_numeric: u64,
    /// Groups evicted under [`Settings::max_groups`] while their window was still open.
    pub groups_evicted: u64,
    /// Window entries evicted under [`Settings::max_events_per_group`].
    pub entries_evicted: u64,
    /// Groups dropped because their whole window passed (normal cleanup, no data lost).
    pub groups_expired: u64,
    /// Correlation matches produced, chained ones included.
    pub matches: u64,
    /// Matches returned to the caller (the rest only fed other correlations; see `generate`).
    pub emitted: u64,
    /// Groups currently held over all correlations.
    pub live_groups: u64,
    /// Largest number of groups ever held at once by one correlation.
    pub peak_groups: u64,
}
