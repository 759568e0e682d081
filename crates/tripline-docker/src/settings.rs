//! Limits and reader options, each with a documented default; every exceeded case is counted.

/// Limits applied by the readers and the partial-line reassembler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Longest accepted line in bytes (default 1 MiB); longer lines become [`Error::Limit`]
    /// and are counted in [`Stats::limited`].
    ///
    /// [`Error::Limit`]: crate::Error::Limit
    pub max_line_bytes: usize,
    /// Most lines one pretty-printed JSON object may span (default 4096).
    pub max_json_lines: usize,
    /// Largest reassembled message in bytes (default 1 MiB, the OTel default); a partial that
    /// grows past it is flushed early and flagged [`Flush::SizeCap`](crate::Flush::SizeCap).
    pub max_message_bytes: usize,
    /// Most chunks joined into one message (default 1024).
    pub max_chunks: usize,
    /// Event-time idle timeout for a pending partial in nanoseconds (default 5 s): a partial
    /// whose last chunk is older than the newest line seen by this much is flushed
    /// flagged [`Flush::Idle`](crate::Flush::Idle).
    pub partial_idle_ns: i64,
    /// Most (container, stream) partials held at once (default 4096); the oldest is flushed
    /// flagged [`Flush::Evicted`](crate::Flush::Evicted).
    pub max_pending: usize,
    /// Largest protobuf entry of a `local` log driver frame in bytes (default 1,000,000,
    /// moby's `maxMsgLen`); a frame announcing a longer one becomes [`Error::Limit`]
    /// ([`Limit::EntryBytes`](crate::Limit::EntryBytes)) and the reader resynchronises.
    ///
    /// [`Error::Limit`]: crate::Error::Limit
    pub max_entry_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_line_bytes: 1 << 20,
            max_json_lines: 4096,
            max_message_bytes: 1 << 20,
            max_chunks: 1024,
            partial_idle_ns: 5_000_000_000,
            max_pending: 4096,
            max_entry_bytes: 1_000_000,
        }
    }
}

/// What a reader has seen so far.
///
/// Every physical line is accounted for exactly once:
/// `lines == records + errors + skipped + continuation`, where `continuation` counts the
/// extra lines of a pretty-printed JSON object (its first line counts as the record or error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Physical lines read.
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Records produced.
    pub records: u64,
    /// Lines that produced an error.
    pub errors: u64,
    /// Blank / separator lines skipped on purpose.
    pub skipped: u64,
    /// Extra lines consumed by multi-line JSON objects.
    pub continuation: u64,
    /// Errors caused by a limit (also counted in `errors`).
    pub limited: u64,
}

impl Stats {
    /// Whether the line-accounting invariant holds.
    pub fn balanced(&self) -> bool {
        self.lines == self.records + self.errors + self.skipped + self.continuation
    }
}
