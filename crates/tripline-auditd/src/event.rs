//! An assembled event: the records sharing one `(node, time, serial)` id.

use std::borrow::Cow;
use std::fmt;

use crate::record::{EventTime, Position, Record, RecordBuf, ValueKind};
use crate::value;

/// The identity of an event: node, log time and serial.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId {
    /// The `node=` name, if the records carry one.
    pub node: Option<Box<str>>,
    /// Log time.
    pub time: EventTime,
    /// Serial number.
    pub serial: u32,
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(n) = &self.node {
            write!(f, "{n}:")?;
        }
        write!(f, "{}:{}", self.time, self.serial)
    }
}

/// Why an event was emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Completion {
    /// A record that closes kernel events arrived (EOE, PROCTITLE, or a user-space record
    /// joining kernel records).
    Terminator,
    /// A record type that forms an event alone (user-space, daemon, single kernel records).
    SingleRecord,
    /// No closing record within the end-of-event timeout (log time). Normal for kernel
    /// events without PROCTITLE in `audit.log`, which never contains EOE.
    Timeout,
    /// Evicted because too many events were in flight.
    Evicted,
    /// Still open at the end of input.
    EndOfInput,
    /// Reached the maximum number of records per event; later records start a new event.
    RecordLimit,
}

impl Completion {
    /// Whether the event ended normally (closing record or single-record type).
    pub fn is_complete(self) -> bool {
        matches!(self, Completion::Terminator | Completion::SingleRecord)
    }
}

/// An assembled event owning its records (in arrival order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub(crate) id: EventId,
    pub(crate) records: Vec<RecordBuf>,
    pub(crate) completion: Completion,
    pub(crate) merged: bool,
}

/// The arguments of an execve, rebuilt from its EXECVE records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ExecveArgs {
    /// `argc` as logged, if present.
    pub argc: Option<usize>,
    /// The arguments, decoded; split arguments (`aN_len`, `aN[k]`) joined.
    pub args: Vec<String>,
    /// Arguments counted by `argc` but absent (old kernels drop empty arguments).
    pub missing: usize,
    /// Whether a split argument's chunks did not add up to its `aN_len`.
    pub truncated: bool,
}

impl ExecveArgs {
    /// The arguments joined by spaces (as a shell would show them, without quoting).
    pub fn command_line(&self) -> String {
        self.args.join(" ")
    }
}

fn arg_index(key: &str) -> Option<(usize, Option<usize>, bool)> {
    let rest = key.strip_prefix('a')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n: usize = rest[..digits].parse().ok()?;
    let tail = &rest[digits..];
    if tail.is_empty() {
        Some((n, None, false))
    } else if tail == "_len" {
        Some((n, None, true))
    } else {
        let k = tail.strip_prefix('[')?.strip_suffix(']')?.parse().ok()?;
        Some((n, Some(k), false))
    }
}

/// Most arguments rebuilt per execve (guards against a hostile `aN` index).
const MAX_ARGS: usize = 1 << 16;

impl AuditEvent {
    /// Builds an event from records (for tests and tools); all records should share `id`.
    pub fn new(id: EventId, records: Vec<RecordBuf>, completion: Completion) -> Self {
        AuditEvent {
            id,
            records,
            completion,
            merged: false,
        }
    }

    /// The event id.
    pub fn id(&self) -> &EventId {
        &self.id
    }

    /// Why the event was emitted.
    pub fn completion(&self) -> Completion {
        self.completion
    }

    /// Whether a single user-space record was merged with kernel records of the same id.
    pub fn merged_userspace(&self) -> bool {
        self.merged
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the event has no records (never true for assembled events).
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Where the event's first record was read (`None` when its records were parsed alone).
    pub fn position(&self) -> Option<Position> {
        self.records.first().and_then(RecordBuf::position)
    }

    /// The line numbers of the records, in record order, each line once (records spliced
    /// on one line share it); empty when the records carry no position.
    ///
    /// ```
    /// let log = "type=SYSCALL msg=audit(1.000:9): syscall=2 key=(null)\n\
    ///            type=CWD msg=audit(1.000:9): cwd=\"/\"\n\
    ///            type=PROCTITLE msg=audit(1.000:9): proctitle=6C73\n";
    /// let ev = tripline_auditd::StrEvents::new(log).next().unwrap().unwrap();
    /// assert_eq!(ev.line_numbers(), [1, 2, 3]);
    /// assert_eq!(ev.position().unwrap().offset, 0);
    /// ```
    pub fn line_numbers(&self) -> Vec<u64> {
        let mut out: Vec<u64> = Vec::with_capacity(self.records.len());
        for p in self.records.iter().filter_map(RecordBuf::position) {
            if !out.contains(&p.line) {
                out.push(p.line);
            }
        }
        out
    }

    /// The records in arrival order.
    pub fn records(&self) -> impl DoubleEndedIterator<Item = Record<'_>> + ExactSizeIterator {
        self.records.iter().map(RecordBuf::record)
    }

    /// The owned records.
    pub fn record_bufs(&self) -> &[RecordBuf] {
        &self.records
    }

    /// The first record of a type (canonical name, `PROCTITLE` also matches `UNKNOWN[1327]`).
    pub fn first(&self, type_name: &str) -> Option<Record<'_>> {
        self.records()
            .find(|r| r.canonical_type_name() == type_name)
    }

    /// All records of a type.
    pub fn all<'s>(&'s self, type_name: &'s str) -> impl Iterator<Item = Record<'s>> + 's {
        self.records()
            .filter(move |r| r.canonical_type_name() == type_name)
    }

    /// The first record's type name (canonical).
    pub fn primary_type(&self) -> &str {
        self.records
            .first()
            .map(|r| r.record().canonical_type_name())
            .unwrap_or("")
    }

    /// A field's text from the first record that has it.
    pub fn text(&self, key: &str) -> Option<Cow<'_, str>> {
        self.records().find_map(|r| r.text(key))
    }

    /// The audit rule keys of the event, deduplicated: every record's `key=` written quoted or
    /// hex (a bare number, like the IPC key of an SELinux AVC, is not a rule key).
    pub fn keys(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in self.records() {
            for k in r.keys() {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
        out
    }

    /// The execve arguments from the EXECVE records (`None` without EXECVE records).
    pub fn execve_args(&self) -> Option<ExecveArgs> {
        let mut out = ExecveArgs::default();
        let mut whole: Vec<Option<Vec<u8>>> = Vec::new();
        let mut chunks: Vec<Vec<(usize, Vec<u8>)>> = Vec::new();
        let mut lens: Vec<Option<usize>> = Vec::new();
        let mut any = false;
        for r in self.all("EXECVE") {
            any = true;
            for f in r.fields() {
                if f.key == "argc" {
                    out.argc = f.raw.parse().ok();
                    continue;
                }
                let Some((n, chunk, is_len)) = arg_index(f.key) else {
                    continue;
                };
                if n >= MAX_ARGS {
                    out.truncated = true;
                    continue;
                }
                if whole.len() <= n {
                    whole.resize(n + 1, None);
                    chunks.resize(n + 1, Vec::new());
                    lens.resize(n + 1, None);
                }
                if is_len {
                    lens[n] = f.raw.parse().ok();
                } else if let Some(k) = chunk {
                    chunks[n].push((k, f.bytes().into_owned()));
                } else {
                    whole[n] = Some(f.bytes().into_owned());
                }
            }
        }
        if !any {
            return None;
        }
        for n in 0..whole.len() {
            let bytes = if let Some(b) = whole[n].take() {
                Some(b)
            } else if !chunks[n].is_empty() {
                chunks[n].sort_by_key(|c| c.0);
                let joined: Vec<u8> = chunks[n].iter().flat_map(|c| c.1.iter().copied()).collect();
                if let Some(l) = lens[n] {
                    // aN_len counts the encoded length when the chunks are hex.
                    if joined.len() != l && joined.len() * 2 != l {
                        out.truncated = true;
                    }
                }
                Some(joined)
            } else {
                None
            };
            match bytes {
                Some(b) => out.args.push(value::bytes_to_text(b).into_owned()),
                None => out.missing += 1,
            }
        }
        if let Some(argc) = out.argc
            && argc > out.args.len() + out.missing
        {
            out.missing += argc - out.args.len() - out.missing;
        }
        Some(out)
    }

    /// Whether any record of the event has a field written as hex.
    pub fn has_hex(&self) -> bool {
        self.records()
            .any(|r| r.fields().any(|f| f.kind == ValueKind::Hex))
    }
}
