//! Limits and assembly behaviour, each with a documented default.

/// Parser and assembler limits. Every exceeded limit is counted in
/// [`ReaderStats`](crate::ReaderStats) or [`AssemblerStats`](crate::AssemblerStats); none
/// causes a panic or unbounded growth.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// Longest accepted line in bytes (default 65 536; auditd itself writes at most 8 970).
    /// Longer lines become [`ErrorKind::LineTooLong`](crate::ErrorKind::LineTooLong) errors
    /// and are skipped without being buffered whole.
    pub max_line_len: usize,
    /// Most records kept in one event (default 2 048; the largest real execve in the corpus has
    /// 46). An event reaching it is emitted with [`Completion::RecordLimit`](crate::Completion)
    /// and later records with the same id start a new event.
    pub max_records_per_event: usize,
    /// Most events assembled at once (default 16 384). When exceeded the oldest in-flight event
    /// is emitted with [`Completion::Evicted`](crate::Completion).
    pub max_in_flight: usize,
    /// End-of-event timeout in whole seconds of **log time** (default 2, like ausearch's
    /// `--eoe-timeout`): an unfinished event is emitted once a record arrives whose time is
    /// at least this many seconds after the event's time.
    pub eoe_timeout_secs: u64,
    /// Whether `LOGIN` records wait for the kernel records of their syscall (audit ≥ 4.0,
    /// default `true`) or form an event alone (ausearch 3.0.9).
    pub login_is_multipart: bool,
    /// Whether a single-record user-space message followed by kernel records with the same
    /// event id is merged with them into one event (default `true`; ausearch emits two).
    pub merge_userspace_with_kernel: bool,
    /// Whether a closing record (EOE, PROCTITLE, a user-space record) that joins an open event
    /// completes it (default `true`, like libauparse). ausearch 3.0.9 reading a file only
    /// closes multi-record events by timeout or at end of input.
    pub close_on_terminator: bool,
    /// Whether finished events are held back until they are older than every open event, so
    /// events come out ordered by (time, serial) like ausearch prints them (default `false`:
    /// each event is emitted as soon as it is finished).
    pub ordered_output: bool,
    /// Whether a record joining an open event also expires old events (default `true`).
    /// ausearch 3.0.9 checks the timeout only when a record starts a new event, so in a
    /// file whose log time jumps, an old event stays open while records join other events.
    pub expire_on_join: bool,
    /// Whether lines that are not audit records (no `type=` and `audit(` header: the other
    /// messages of a kernel log or syslog file that also carries the kernel's own printing
    /// of audit records) are skipped and counted in
    /// [`ReaderStats::foreign`](crate::ReaderStats::foreign) instead of being errors (default
    /// `false`: in an audit log such a line is damage and is reported).
    pub skip_foreign_lines: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_line_len: 65_536,
            max_records_per_event: 2_048,
            max_in_flight: 16_384,
            eoe_timeout_secs: 2,
            login_is_multipart: true,
            merge_userspace_with_kernel: true,
            close_on_terminator: true,
            ordered_output: false,
            expire_on_join: true,
            skip_foreign_lines: false,
        }
    }
}

impl Settings {
    /// Sets [`Settings::skip_foreign_lines`].
    pub fn skip_foreign_lines(mut self, skip: bool) -> Self {
        self.skip_foreign_lines = skip;
        self
    }

    /// Event grouping exactly like ausearch 3.0.9 (Debian 12's `auditd` package): `LOGIN`
    /// alone, user-space messages never merged with kernel records, multi-record events closed
    /// only by the timeout (checked when a record starts a new event) or the end of input,
    /// output ordered by (time, serial).
    pub fn ausearch_3_0_9() -> Self {
        Settings {
            login_is_multipart: false,
            merge_userspace_with_kernel: false,
            close_on_terminator: false,
            ordered_output: true,
            expire_on_join: false,
            ..Settings::default()
        }
    }
}
