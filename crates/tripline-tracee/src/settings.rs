//! Limits and interpretation choices, each with a documented default.

/// Which clock the `timestamp` and `threadStartTime` fields use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Clock {
    /// Decide per value: below [`Settings::relative_below_ns`] it is relative, else epoch.
    #[default]
    Auto,
    /// Nanoseconds since the Unix epoch (Tracee's default).
    Epoch,
    /// Nanoseconds since Tracee started (`--output option:relative-time`, Helm default).
    Relative,
}

/// Reader and decoder settings. `Settings::default()` documents every default.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// Longest accepted line (or pretty-printed document), in bytes. Default 1 MiB; longer
    /// input is an [`Error::TooLong`](crate::Error::TooLong) and counted in `too_long`.
    pub max_line_bytes: usize,
    /// Most lines a pretty-printed JSON document may span. Default 10 000.
    pub max_record_lines: usize,
    /// Most `args` entries per event. Default 4096; more is
    /// [`Error::TooManyArgs`](crate::Error::TooManyArgs), counted in `too_many_args`.
    pub max_args: usize,
    /// How to read timestamps. Default [`Clock::Auto`].
    pub clock: Clock,
    /// Epoch nanoseconds of Tracee's start, added to relative timestamps to make them
    /// absolute. Default `None`: relative times stay relative (see
    /// [`TraceEvent::time_ns`](crate::TraceEvent::time_ns)).
    pub epoch_offset_ns: Option<i64>,
    /// Under [`Clock::Auto`], values below this are relative. Default 10^17 ns (1973-03-03),
    /// far above any uptime and far below any real event.
    pub relative_below_ns: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_line_bytes: 1 << 20,
            max_record_lines: 10_000,
            max_args: 4096,
            clock: Clock::Auto,
            epoch_offset_ns: None,
            relative_below_ns: 100_000_000_000_000_000,
        }
    }
}

impl Settings {
    /// Whether a raw timestamp value is relative under these settings.
    pub fn is_relative(&self, raw_ns: i64) -> bool {
        match self.clock {
            Clock::Auto => raw_ns < self.relative_below_ns,
            Clock::Epoch => false,
            Clock::Relative => true,
        }
    }

    /// The epoch nanoseconds for a raw timestamp, or `None` when it is relative and no
    /// [`epoch_offset_ns`](Self::epoch_offset_ns) is set.
    pub fn epoch_ns(&self, raw_ns: i64) -> Option<i64> {
        if self.is_relative(raw_ns) {
            self.epoch_offset_ns.and_then(|o| o.checked_add(raw_ns))
        } else {
            Some(raw_ns)
        }
    }
}
