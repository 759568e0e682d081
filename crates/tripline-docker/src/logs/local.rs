//! Docker's `local` log driver (moby `daemon/logger/local`) and the dual-logging cache
//! (`<data-root>/containers/<id>/container-cached.log`, which `docker logs` reads for every
//! driver but json-file and journald): binary frames, not lines.
//!
//! Each record is `[u32 big-endian length][protobuf LogEntry][u32 big-endian length]`; the
//! trailing copy of the length lets Docker read the file backwards. `LogEntry` (moby
//! `daemon/logger/internal/logdriver/entry.proto`, proto3) holds `source` = 1 (`"stdout"` /
//! `"stderr"`), `time_nano` = 2 (Unix nanoseconds), `line` = 3 (raw bytes without the `\n`),
//! `partial` = 4 and `partial_log_metadata` = 5 (`last` = 1, `id` = 2, `ordinal` = 3). Fields
//! this decoder does not know (a newer Docker's) are skipped; fields left at their default
//! are absent from the encoding and read as their default.
//!
//! Each entry becomes a [`LogLine`] of format [`LogFormat::Local`]: its stream, time and
//! content exactly as stored (bytes, losslessly). Partial chunks are told the way the
//! journald driver tells them, so the same reassembly joins them: [`LogLine::partial`] is set
//! on every chunk of a long line but its last, and a chunk's metadata is kept as the
//! attributes `CONTAINER_PARTIAL_ID`, `CONTAINER_PARTIAL_ORDINAL` and
//! `CONTAINER_PARTIAL_LAST` (`"true"`/`"false"`), the names journald entries carry.
//!
//! A damaged frame (cut short, lengths that disagree, an entry that is not a `LogEntry`, a
//! length over [`Settings::max_entry_bytes`]) is one error carrying its byte offset and a hex
//! snippet; the reader then scans forward to the next offset where a plausible frame starts
//! (a length within the limit, the same length as its trailer, an entry that decodes; a
//! candidate whose first fields already cannot decode is passed over at once) and goes on.
//! The bytes passed over are counted: [`LocalStats::balanced`].
//!
//! [`LocalFollower`] follows a live file across rotations (`docker logs --follow`) with the
//! same decoder, fed the bytes as the file grows: a frame cut short at the end of the live
//! file is one Docker is still writing, held back until it is whole; only a file that has
//! ended (rotated away, truncated, or the follower finished) makes a short tail damage.
//!
//! ```
//! use tripline_docker::{LocalReader, LogFormat, Stream};
//!
//! // One frame: source "stdout", time_nano 1_700_000_000_123_456_789, line "hello".
//! let entry = [
//!     &[0x0a, 6][..], b"stdout",
//!     &[0x10, 0x95, 0x9a, 0x97, 0xec, 0xe3, 0x9f, 0xe7, 0xcb, 0x17],
//!     &[0x1a, 5], b"hello",
//! ].concat();
//! let len = (entry.len() as u32).to_be_bytes();
//! let file = [&len[..], &entry, &len].concat();
//!
//! let mut r = LocalReader::from_slice(&file);
//! let line = r.next_record().unwrap().unwrap();
//! assert_eq!(line.format, LogFormat::Local);
//! assert_eq!((line.stream.clone(), &*line.content), (Stream::Stdout, &b"hello"[..]));
//! assert_eq!(line.time.unwrap().unix_nanos(), Some(1_700_000_000_123_456_789));
//! assert!(r.next_record().is_none());
//! assert!(r.stats().balanced());
//! ```

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::line::{LogFormat, LogLine, Stream};
use super::partial::{Message, ReassemblyStats};
use super::reader::Assembly;
use super::rotation::{Checkpoint, Counts, Feed, Start, Tail};
use crate::attrs::Attributes;
use crate::error::{FrameDamage, HEX_SNIPPET_MAX, Location, Snippet};
use crate::{Error, Limit, Settings, Stats, Timestamp};

/// The attribute holding a partial chunk's id (as journald entries name it).
pub const PARTIAL_ID: &str = "CONTAINER_PARTIAL_ID";
/// The attribute holding a partial chunk's ordinal (1-based, decimal).
pub const PARTIAL_ORDINAL: &str = "CONTAINER_PARTIAL_ORDINAL";
/// The attribute telling whether a partial chunk is its line's last (`"true"`/`"false"`).
pub const PARTIAL_LAST: &str = "CONTAINER_PARTIAL_LAST";

/// Bytes of each length field of a frame.
const LEN: usize = 4;
/// Bytes read from the input at a time.
const CHUNK: usize = 64 * 1024;
/// Decoding budget: entry bytes a reader may decode up front beyond one entry of the maximum
/// size, and per byte of input consumed. Decoding a candidate frame costs its length; damage
/// crafted so that frame after overlapping frame decodes until its last byte would otherwise
/// cost time quadratic in its size (a 512 KiB region: 10 s). Docker's frames always fit.
const BUDGET_BASE: u64 = 64 * 1024;
/// See [`BUDGET_BASE`].
const BUDGET_PER_BYTE: u64 = 4;
/// Fields of a candidate entry a resynchronisation scan looks at first ([`ruled_out`], not
/// charged to the budget: a bounded cost per offset) before it waits for, checks and decodes
/// the candidate whole. Random damage almost always fails within them, so a follower passing
/// over damage rarely waits for the bytes a bogus length points at.
const PREFIX_FIELDS: usize = 16;

/// The partial metadata of an entry, as ranges of the entry.
#[derive(Debug, Clone, Default)]
struct Meta {
    last: bool,
    id: Range<usize>,
    ordinal: i32,
}

/// A decoded `LogEntry`, its byte fields as ranges of the entry (so a reader can decide what
/// to do before borrowing its buffer).
#[derive(Debug, Clone, Default)]
pub(crate) struct RawEntry {
    source: Range<usize>,
    time_nano: i64,
    line: Range<usize>,
    partial: bool,
    meta: Option<Meta>,
}

impl RawEntry {
    /// The line, borrowing `b` (the entry these ranges were read from).
    fn to_line<'a>(&self, b: &'a [u8]) -> LogLine<'a> {
        let bytes = |r: &Range<usize>| b.get(r.clone()).unwrap_or_default();
        let stream = match bytes(&self.source) {
            b"stdout" => Stream::Stdout,
            b"stderr" => Stream::Stderr,
            other => Stream::parse(&String::from_utf8_lossy(other)),
        };
        let mut attrs = Attributes::default();
        let mut last = false;
        if self.partial || self.meta.is_some() {
            let meta = self.meta.clone().unwrap_or_default();
            last = meta.last;
            attrs.push(PARTIAL_ID, String::from_utf8_lossy(bytes(&meta.id)));
            attrs.push(PARTIAL_ORDINAL, meta.ordinal.to_string());
            attrs.push(PARTIAL_LAST, if meta.last { "true" } else { "false" });
        }
        LogLine {
            format: LogFormat::Local,
            time: Some(Timestamp::from_unix_nanos(self.time_nano)),
            stream,
            content: Cow::Borrowed(bytes(&self.line)),
            partial: self.partial && !last,
            tags: None,
            attrs,
            source: None,
            container: None,
        }
    }
}

/// A protobuf decoding failure: why, and where in the entry.
type PbError = (Fault, usize);

/// Why a protobuf entry does not decode. The three "past the end" kinds are the only ones
/// the start of an entry cannot be sure of ([`ruled_out`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    VarintPastEnd,
    VarintTooLong,
    FieldZero,
    FixedPastEnd,
    /// A length-delimited field running past the entry, with the end its length declares
    /// (`None`: beyond `usize`).
    BytesPastEnd(Option<usize>),
    StartGroup,
    EndGroup,
    UndefinedWireType,
    MetaWireType,
    EntryWireType,
}

impl Fault {
    /// The text of `FrameDamage::Protobuf`'s `reason`.
    fn reason(self) -> &'static str {
        match self {
            Fault::VarintPastEnd => "varint runs past the end of the entry",
            Fault::VarintTooLong => "varint longer than 10 bytes",
            Fault::FieldZero => "field number 0",
            Fault::FixedPastEnd => "fixed-size field runs past the end of the entry",
            Fault::BytesPastEnd(_) => "length-delimited field runs past the end of the entry",
            Fault::StartGroup => "wire type 3 (start group)",
            Fault::EndGroup => "wire type 4 (end group)",
            Fault::UndefinedWireType => "wire type 6 or 7 (undefined)",
            Fault::MetaWireType => "wrong wire type for a partial metadata field",
            Fault::EntryWireType => "wrong wire type for a LogEntry field",
        }
    }
}

/// Reads a base-128 varint at `*i` (at most 10 bytes; bits past the 64th are dropped, as
/// Go's decoder does).
fn varint(b: &[u8], i: &mut usize) -> Result<u64, PbError> {
    let start = *i;
    let mut v = 0u64;
    for k in 0..10 {
        let Some(&c) = b.get(*i) else {
            return Err((Fault::VarintPastEnd, start));
        };
        *i += 1;
        v |= u64::from(c & 0x7f) << (7 * k);
        if c < 0x80 {
            return Ok(v);
        }
    }
    Err((Fault::VarintTooLong, start))
}

/// One field's tag and its value (a varint value, or the range of a length-delimited or
/// fixed-size one).
enum Value {
    Varint(u64),
    Bytes(Range<usize>),
    Fixed,
}

/// Reads the field at `*i`: its number and value. Unknown wire types (3 and 4, the deprecated
/// groups, and 6, 7) are errors.
fn field(b: &[u8], i: &mut usize) -> Result<(u64, Value), PbError> {
    let at = *i;
    let value = field_value(b, i);
    value.map_err(|(reason, _)| (reason, at))
}

/// [`field`], its errors located anywhere in the field.
fn field_value(b: &[u8], i: &mut usize) -> Result<(u64, Value), PbError> {
    let at = *i;
    let tag = varint(b, i)?;
    let number = tag >> 3;
    if number == 0 {
        return Err((Fault::FieldZero, at));
    }
    let value = match tag & 7 {
        0 => Value::Varint(varint(b, i)?),
        1 | 5 => {
            let n = if tag & 7 == 1 { 8 } else { 4 };
            if b.len() - *i < n {
                return Err((Fault::FixedPastEnd, at));
            }
            *i += n;
            Value::Fixed
        }
        2 => {
            let n = varint(b, i)?;
            let end = usize::try_from(n).ok().and_then(|n| i.checked_add(n));
            let end = end
                .filter(|&e| e <= b.len())
                .ok_or((Fault::BytesPastEnd(end), at))?;
            let r = *i..end;
            *i = end;
            Value::Bytes(r)
        }
        3 => return Err((Fault::StartGroup, at)),
        4 => return Err((Fault::EndGroup, at)),
        _ => return Err((Fault::UndefinedWireType, at)),
    };
    Ok((number, value))
}

/// Decodes `b[range]` as a `PartialLogEntryMetadata` into `meta` (repeated occurrences merge,
/// as protobuf's embedded messages do).
fn decode_meta(b: &[u8], range: Range<usize>, meta: &mut Meta) -> Result<(), PbError> {
    let mut i = range.start;
    let end = range.end;
    let sub = b.get(..end).unwrap_or_default();
    while i < end {
        let at = i;
        match field(sub, &mut i)? {
            (1, Value::Varint(v)) => meta.last = v != 0,
            (2, Value::Bytes(r)) => meta.id = r,
            // int32: the low 32 bits, as Go's decoder keeps them.
            (3, Value::Varint(v)) => meta.ordinal = v as i32,
            (1..=3, _) => return Err((Fault::MetaWireType, at)),
            _ => {}
        }
    }
    Ok(())
}

/// Whether an entry of `len` bytes starting with `known` (all of it, or what is buffered so
/// far) cannot decode, judged by its first [`PREFIX_FIELDS`] fields: `Some(true)` when they
/// show a failure no later byte can undo (a field number 0, a group or undefined wire type, a
/// known field of the wrong wire type, a varint over 10 bytes, a field running past `len`),
/// `Some(false)` when they decode (the partial metadata's contents are not looked at), `None`
/// when more bytes are needed to tell. With more bytes the answer only firms up: a candidate
/// ruled out by a prefix is ruled out by the whole entry.
fn ruled_out(known: &[u8], len: usize) -> Option<bool> {
    let whole = known.len() >= len;
    let mut i = 0;
    for _ in 0..PREFIX_FIELDS {
        if i >= known.len() {
            return if whole { Some(false) } else { None };
        }
        match field(known, &mut i) {
            Ok((1 | 3 | 5, Value::Bytes(_)) | (2 | 4, Value::Varint(_))) => {}
            Ok((1..=5, _)) => return Some(true),
            Ok(_) => {}
            Err(_) if whole => return Some(true),
            // Its length read, the field's end is known: past the entry, or later.
            Err((Fault::BytesPastEnd(end), _)) => {
                return match end {
                    Some(end) if end <= len => None,
                    _ => Some(true),
                };
            }
            Err((Fault::VarintPastEnd | Fault::FixedPastEnd, _)) => return None,
            Err(_) => return Some(true),
        }
    }
    Some(false)
}

/// Decodes a whole `LogEntry`.
fn decode(b: &[u8]) -> Result<RawEntry, PbError> {
    let mut e = RawEntry::default();
    let mut i = 0;
    while i < b.len() {
        let at = i;
        match field(b, &mut i)? {
            (1, Value::Bytes(r)) => e.source = r,
            (2, Value::Varint(v)) => e.time_nano = v as i64,
            (3, Value::Bytes(r)) => e.line = r,
            (4, Value::Varint(v)) => e.partial = v != 0,
            (5, Value::Bytes(r)) => decode_meta(b, r, e.meta.get_or_insert_default())?,
            (1..=5, _) => return Err((Fault::EntryWireType, at)),
            _ => {}
        }
    }
    Ok(e)
}

/// The damage of a protobuf failure.
fn protobuf_error((fault, position): PbError) -> FrameDamage {
    FrameDamage::Protobuf {
        reason: fault.reason(),
        position: position as u64,
    }
}

/// Decodes one `LogEntry` protobuf message (a frame's payload, without its lengths; also the
/// log-plugin FIFO's payload) into a line borrowing `b`.
///
/// ```
/// use tripline_docker::{Error, FrameDamage, parse_local_entry};
///
/// let line = parse_local_entry(b"\x0a\x06stderr\x1a\x02hi").unwrap();
/// assert_eq!((line.stream.as_str(), &*line.content), ("stderr", &b"hi"[..]));
/// // A length-delimited field longer than the entry.
/// assert!(matches!(
///     parse_local_entry(b"\x1a\x09hi"),
///     Err(Error::Frame { damage: FrameDamage::Protobuf { position: 0, .. }, .. })
/// ));
/// ```
pub fn parse_local_entry(b: &[u8]) -> Result<LogLine<'_>, Error> {
    match decode(b) {
        Ok(e) => Ok(e.to_line(b)),
        Err(p) => Err(Error::Frame {
            at: Location::default(),
            damage: protobuf_error(p),
            skipped: b.len() as u64,
            snippet: Snippet::hex(b),
        }),
    }
}

/// The container a `local` driver file belongs to, by its place in Docker's data root:
/// `containers/<id>/local-logs/container.log[.N[.gz]]` or `containers/<id>/container-cached.log`
/// (the 64-hex directory above the file or above its `local-logs`).
///
/// ```
/// use std::path::Path;
/// use tripline_docker::local_log_container;
///
/// let id = "5f2c0c6f2b1e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c";
/// let p = format!("/var/lib/docker/containers/{id}/local-logs/container.log.1.gz");
/// assert_eq!(local_log_container(Path::new(&p)), Some(id));
/// assert_eq!(local_log_container(Path::new("/tmp/container.log")), None);
/// ```
pub fn local_log_container(path: &std::path::Path) -> Option<&str> {
    path.ancestors()
        .skip(1)
        .take(2)
        .filter_map(|d| d.file_name()?.to_str())
        .find(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `b` starts with a plausible `local` driver frame: a length of 1 to `max` bytes, the
/// same length after the entry, and an entry that decodes and starts with a `source` or
/// `time_nano` field (as every entry Docker writes does). For format detection.
pub fn is_local_frame(b: &[u8], max: usize) -> bool {
    frame_at(b, max).is_some_and(|e| matches!(e.first(), Some(0x0a | 0x10)))
}

/// The entry of the plausible frame at the start of `b`, if any.
fn frame_at(b: &[u8], max: usize) -> Option<&[u8]> {
    agreeing_entry(b, max).filter(|e| decode(e).is_ok())
}

/// The entry of the frame at the start of `b` when its lengths agree: a header of 1 to `max`,
/// the same length after the entry (the cheap half of [`frame_at`], without decoding).
fn agreeing_entry(b: &[u8], max: usize) -> Option<&[u8]> {
    let len = be32(b)? as usize;
    if len == 0 || len > max {
        return None;
    }
    let entry = b.get(LEN..LEN + len)?;
    (be32(b.get(LEN + len..)?)? as usize == len).then_some(entry)
}

fn be32(b: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(..LEN)?.try_into().ok()?))
}

/// What a [`LocalReader`] has seen so far; every byte is accounted for once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LocalStats {
    /// Bytes consumed.
    pub bytes: u64,
    /// Entries decoded.
    pub entries: u64,
    /// Bytes of the frames those entries came from (lengths included).
    pub entry_bytes: u64,
    /// Errors returned: one per damaged region, plus an I/O error that ended the input.
    pub errors: u64,
    /// Bytes passed over in damaged regions, from each damage to where reading resumed.
    pub skipped_bytes: u64,
    /// Errors caused by [`Settings::max_entry_bytes`] (also counted in `errors`).
    pub limited: u64,
    /// Entry bytes decoded, read entries and candidates tried while resynchronising alike:
    /// at most `max_entry_bytes` + 64 KiB + 4 per input byte (a frame the budget cannot
    /// pay for is damage, [`FrameDamage::OverBudget`]).
    pub decoded_bytes: u64,
}

impl LocalStats {
    /// Whether the accounting holds: `bytes == entry_bytes + skipped_bytes`, and skipped bytes
    /// were reported by at least one error.
    pub fn balanced(&self) -> bool {
        self.bytes == self.entry_bytes + self.skipped_bytes
            && (self.skipped_bytes == 0 || self.errors > 0)
    }

    /// The counts in the line readers' terms: every entry and every error is one "line".
    pub fn to_stats(&self) -> Stats {
        Stats {
            lines: self.entries + self.errors,
            bytes: self.bytes,
            records: self.entries,
            errors: self.errors,
            limited: self.limited,
            ..Stats::default()
        }
    }
}

/// What a damaged region is reported as, once its end is known.
#[derive(Debug, Clone, Copy)]
enum Cause {
    /// [`Error::Frame`] with this damage.
    Frame(FrameDamage),
    /// [`Error::Limit`]: a header announcing an entry of this many bytes.
    Limit(usize),
}

/// A damaged region being passed over: reported when the next plausible frame (or the end of
/// the input) is found.
#[derive(Debug)]
struct Damage {
    cause: Cause,
    /// Bytes consumed at the damage before the scan starts.
    skip: usize,
    /// Stream offset of the damage.
    from: u64,
    /// The hex snippet at the damage, once enough bytes are buffered for it.
    snippet: Option<Snippet>,
}

/// What [`Frames::step`] found.
#[derive(Debug)]
pub(crate) enum Step {
    /// An entry decoded and its frame consumed; its bytes are `buf[at..at + len]`, until the
    /// next push or fill ([`Frames::line`]).
    Entry {
        /// The decoded entry.
        entry: RawEntry,
        /// Start of the entry in the buffer.
        at: usize,
        /// Entry length.
        len: usize,
    },
    /// A damaged region (or an over-limit frame), consumed.
    Error(Error),
    /// Nothing can be decided before the buffer holds at least this many bytes (or the input
    /// is known to have ended).
    Need(usize),
    /// The input has ended and every byte of it is consumed.
    End,
}

/// The frame decoder shared by [`LocalReader`] (which fills it from a [`Read`]) and
/// [`LocalFollower`] (which pushes the bytes a growing file gains): buffered bytes in,
/// entries and located errors out.
///
/// It never decides on bytes it does not have: a frame or a resynchronisation scan that runs
/// past the buffered bytes waits ([`Step::Need`]) until more arrive, or until the caller says
/// the input has ended, and only then is a short tail damage. So the items and counters do not
/// depend on how the input was cut into pieces.
#[derive(Debug)]
pub(crate) struct Frames {
    settings: Settings,
    buf: Vec<u8>,
    /// Start of the unconsumed bytes in `buf`.
    pos: usize,
    /// End of the bytes in `buf`.
    end: usize,
    /// Stream offset of `buf[pos]`.
    offset: u64,
    /// Items (entries and errors) of the current stream, for locations.
    items: u64,
    /// Where the current item started.
    loc: Location,
    stats: LocalStats,
    /// Entry bytes that may still be decoded ([`BUDGET_BASE`]).
    budget: u64,
    /// The damaged region being passed over, if any.
    damage: Option<Damage>,
}

impl Frames {
    pub(crate) fn new(settings: Settings) -> Self {
        Frames {
            budget: (settings.max_entry_bytes as u64).saturating_add(BUDGET_BASE),
            settings,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            offset: 0,
            items: 0,
            loc: Location::default(),
            stats: LocalStats::default(),
            damage: None,
        }
    }

    /// Starts another stream (a file read from `offset`): the buffer is emptied, locations
    /// restart; the counters and the decoding budget go on.
    pub(crate) fn restart(&mut self, offset: u64) {
        self.pos = 0;
        self.end = 0;
        self.offset = offset;
        self.items = 0;
        self.damage = None;
    }

    /// Counters. The bytes of a damaged region whose end is not known yet are not counted
    /// before its error is reported (so the counters balance between items).
    pub(crate) fn stats(&self) -> LocalStats {
        let mut stats = self.stats;
        stats.bytes -= self.offset - self.resume_offset();
        stats
    }

    /// Where the last item started.
    pub(crate) fn location(&self) -> Location {
        self.loc
    }

    /// The stream offset of the first byte no item has reported yet: after the last whole
    /// frame, or at the damage whose end is still unknown.
    pub(crate) fn resume_offset(&self) -> u64 {
        self.damage.as_ref().map_or(self.offset, |d| d.from)
    }

    /// Unconsumed bytes buffered.
    fn avail(&self) -> usize {
        self.end - self.pos
    }

    /// The unconsumed bytes.
    fn data(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    /// Room after the buffered bytes, so that `need` bytes in all can be buffered. The buffer
    /// is zeroed only when it grows, never per read (a source handing out a few bytes at a
    /// time).
    fn room(&mut self, need: usize) -> &mut [u8] {
        if self.buf.len() - self.pos < need.max(CHUNK / 2) && self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.buf.len() - self.pos < need {
            // Room for twice what is needed: the next compaction then comes only after
            // `need` more bytes are consumed (a scan asking for a large frame at every
            // offset would otherwise move the buffer once per byte).
            let grown = (self.pos + need.saturating_mul(2))
                .max(self.buf.len() * 2)
                .max(CHUNK);
            self.buf.resize(grown, 0);
        }
        &mut self.buf[self.end..]
    }

    /// Marks `n` bytes of [`Frames::room`] as filled.
    fn filled(&mut self, n: usize) {
        self.end += n.min(self.buf.len() - self.end);
    }

    /// Appends bytes the input gained.
    pub(crate) fn push(&mut self, data: &[u8]) {
        let need = self.avail().saturating_add(data.len());
        let room = self.room(need);
        room[..data.len()].copy_from_slice(data);
        self.filled(data.len());
    }

    /// Consumes `n` buffered bytes.
    fn consume(&mut self, n: usize) {
        self.pos += n;
        self.offset += n as u64;
        self.stats.bytes += n as u64;
        self.budget = self
            .budget
            .saturating_add(BUDGET_PER_BYTE.saturating_mul(n as u64));
    }

    /// Whether decoding an entry of `len` bytes fits the budget (then charged).
    fn afford(&mut self, len: usize) -> bool {
        let len = len as u64;
        if len > self.budget {
            return false;
        }
        self.budget -= len;
        self.stats.decoded_bytes += len;
        true
    }

    /// The line of an entry [`Frames::step`] returned, borrowing the buffer.
    #[inline]
    pub(crate) fn line(&self, entry: &RawEntry, at: usize, len: usize) -> LogLine<'_> {
        entry.to_line(&self.buf[at..at + len])
    }

    /// Locates the next item.
    fn begin(&mut self) -> Location {
        self.loc = Location {
            line: self.items + 1,
            offset: self.offset,
        };
        self.loc
    }

    /// An I/O error of the input, reported as the next item.
    pub(crate) fn io_error(&mut self, source: io::Error) -> Error {
        let at = self.begin();
        self.items += 1;
        self.stats.errors += 1;
        Error::Io { at, source }
    }

    /// The next entry or error. `ended` tells that no byte will follow those buffered: only
    /// then is a short tail damage; before, the decoder asks for more ([`Step::Need`]).
    #[inline]
    pub(crate) fn step(&mut self, ended: bool) -> Step {
        if self.damage.is_some()
            && let Some(d) = self.damage.take()
        {
            return self.scan(d, ended);
        }
        self.begin();
        let avail = self.avail();
        if avail < LEN {
            if !ended {
                return Step::Need(LEN);
            }
            if avail == 0 {
                return Step::End;
            }
            let damage = FrameDamage::Truncated {
                needed: LEN as u64,
                available: avail as u64,
            };
            return self.damaged(Cause::Frame(damage), avail, ended);
        }
        let len = be32(self.data()).unwrap_or_default() as usize;
        if len > self.settings.max_entry_bytes {
            self.stats.limited += 1;
            return self.damaged(Cause::Limit(len), 1, ended);
        }
        if len == 0 {
            return self.damaged(Cause::Frame(FrameDamage::Empty), 1, ended);
        }
        let frame = LEN + len + LEN;
        if avail < frame {
            if !ended {
                return Step::Need(frame);
            }
            let damage = FrameDamage::Truncated {
                needed: frame as u64,
                available: avail as u64,
            };
            return self.damaged(Cause::Frame(damage), 1, ended);
        }
        let at = self.pos + LEN;
        let trailer = be32(&self.buf[at + len..]).unwrap_or_default();
        if trailer as usize != len {
            let damage = FrameDamage::TrailerMismatch {
                header: len as u32,
                trailer,
            };
            return self.damaged(Cause::Frame(damage), 1, ended);
        }
        if !self.afford(len) {
            return self.damaged(Cause::Frame(FrameDamage::OverBudget), 1, ended);
        }
        match decode(&self.buf[at..at + len]) {
            Ok(entry) => {
                self.consume(frame);
                self.items += 1;
                self.stats.entries += 1;
                self.stats.entry_bytes += frame as u64;
                Step::Entry { entry, at, len }
            }
            // Lengths that agree may be a coincidence of damage (a corrupted length that
            // points at another frame's): the frame's end is not trusted, the decoder scans.
            Err(p) => self.damaged(Cause::Frame(protobuf_error(p)), 1, ended),
        }
    }

    /// Damage at the current position: the region from it to the next plausible frame
    /// (scanning from `skip` bytes on) is passed over, then reported.
    fn damaged(&mut self, cause: Cause, skip: usize, ended: bool) -> Step {
        let d = Damage {
            cause,
            skip,
            from: self.offset,
            snippet: None,
        };
        self.scan(d, ended)
    }

    /// Goes on passing over the damaged region: consumes every byte up to the next plausible
    /// frame (or the end of the input), then reports the region as one error.
    fn scan(&mut self, mut d: Damage, ended: bool) -> Step {
        let max = self.settings.max_entry_bytes;
        if d.snippet.is_none() {
            // As many bytes as a snippet shows, and whether more follow.
            if self.avail() <= HEX_SNIPPET_MAX && !ended {
                self.damage = Some(d);
                return Step::Need(HEX_SNIPPET_MAX + 1);
            }
            self.start_scan(&mut d);
        }
        loop {
            let avail = self.avail();
            if avail < LEN {
                if !ended {
                    self.damage = Some(d);
                    return Step::Need(LEN);
                }
                self.consume(avail);
                break;
            }
            let len = be32(self.data()).unwrap_or_default() as usize;
            if len != 0 && len <= max {
                // The entry's first fields, as far as they are buffered, may rule it out at
                // once (then whatever the rest and its trailer, as a decode would).
                let known = (avail - LEN).min(len);
                match ruled_out(&self.data()[LEN..LEN + known], len) {
                    Some(true) => {
                        self.consume(1);
                        continue;
                    }
                    None if !ended => {
                        self.damage = Some(d);
                        return Step::Need(avail + 1);
                    }
                    _ => {}
                }
                if avail < LEN + len + LEN && !ended {
                    self.damage = Some(d);
                    return Step::Need(LEN + len + LEN);
                }
                // Lengths that agree first (cheap), then a decode the budget can pay for.
                if agreeing_entry(self.data(), max).is_some()
                    && self.afford(len)
                    && agreeing_entry(self.data(), max).is_some_and(|e| decode(e).is_ok())
                {
                    break;
                }
            }
            self.consume(1);
        }
        Step::Error(self.report(d))
    }

    /// Takes the snippet at the damage and consumes the bytes its scan starts after.
    fn start_scan(&mut self, d: &mut Damage) {
        d.snippet = Some(Snippet::hex(self.data()));
        self.consume(d.skip.min(self.avail()));
    }

    /// Ends the damaged region being passed over where the scan stands (the input failed):
    /// its error, now.
    pub(crate) fn cut_damage(&mut self) -> Option<Error> {
        let mut d = self.damage.take()?;
        if d.snippet.is_none() {
            self.start_scan(&mut d);
        }
        Some(self.report(d))
    }

    /// The error for the damaged region `d`, from its start to the current position (counted
    /// as skipped).
    fn report(&mut self, d: Damage) -> Error {
        let skipped = self.offset - d.from;
        self.stats.skipped_bytes += skipped;
        self.stats.errors += 1;
        self.items += 1;
        let snippet = d.snippet.unwrap_or_default();
        match d.cause {
            Cause::Frame(damage) => Error::Frame {
                at: self.loc,
                damage,
                skipped,
                snippet,
            },
            Cause::Limit(actual) => Error::Limit {
                at: self.loc,
                limit: Limit::EntryBytes,
                actual,
                max: self.settings.max_entry_bytes,
                snippet,
            },
        }
    }
}

/// Reads the frames of a `local` driver file (or `container-cached.log`) from any
/// [`Read`], one [`LogLine`] per entry.
///
/// Each record's [`Location`] has the frame's byte offset and, as `line`, its 1-based index
/// among the items (entries and errors) of the stream.
#[derive(Debug)]
pub struct LocalReader<R> {
    inner: R,
    frames: Frames,
    eof: bool,
    done: bool,
    /// An I/O error met while resynchronising, returned after the damage error.
    pending_io: Option<io::Error>,
}

impl<'s> LocalReader<&'s [u8]> {
    /// A reader over bytes in memory.
    pub fn from_slice(b: &'s [u8]) -> Self {
        Self::new(b)
    }
}

impl<R: Read> LocalReader<R> {
    /// A reader with default [`Settings`].
    pub fn new(inner: R) -> Self {
        Self::with_settings(inner, Settings::default())
    }

    /// A reader with explicit limits ([`Settings::max_entry_bytes`]).
    pub fn with_settings(inner: R, settings: Settings) -> Self {
        LocalReader {
            inner,
            frames: Frames::new(settings),
            eof: false,
            done: false,
            pending_io: None,
        }
    }

    /// Counters.
    pub fn stats(&self) -> LocalStats {
        self.frames.stats()
    }

    /// Where the last record or error started.
    pub fn location(&self) -> Location {
        self.frames.location()
    }

    /// Buffers until `need` bytes are available or the input ends.
    fn fill(&mut self, need: usize) -> io::Result<()> {
        while self.frames.avail() < need && !self.eof {
            match self.inner.read(self.frames.room(need)) {
                Ok(0) => self.eof = true,
                Ok(n) => self.frames.filled(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The next entry borrowing the reader's buffer, or `None` at end of input.
    pub fn next_record(&mut self) -> Option<Result<LogLine<'_>, Error>> {
        self.next_located().map(|(_, r)| r)
    }

    /// Like [`LocalReader::next_record`], with the entry's location.
    #[inline]
    pub fn next_located(&mut self) -> Option<(Location, Result<LogLine<'_>, Error>)> {
        if self.done {
            return None;
        }
        if let Some(source) = self.pending_io.take() {
            return Some(self.io_error(source));
        }
        let (entry, at, len) = loop {
            match self.frames.step(self.eof) {
                Step::Entry { entry, at, len } => break (entry, at, len),
                Step::Error(e) => return Some((self.frames.location(), Err(e))),
                Step::End => {
                    self.done = true;
                    return None;
                }
                Step::Need(need) => {
                    if let Err(source) = self.fill(need) {
                        // Damage being passed over ends where the input failed; the I/O
                        // error comes next.
                        if let Some(e) = self.frames.cut_damage() {
                            self.pending_io = Some(source);
                            return Some((self.frames.location(), Err(e)));
                        }
                        return Some(self.io_error(source));
                    }
                }
            }
        };
        let loc = self.frames.location();
        Some((loc, Ok(self.frames.line(&entry, at, len))))
    }

    /// An I/O error ends the input.
    fn io_error(&mut self, source: io::Error) -> (Location, Result<LogLine<'static>, Error>) {
        self.done = true;
        let e = self.frames.io_error(source);
        (self.frames.location(), Err(e))
    }

    /// Joins partial chunks into messages of `container`, as [`MessageReader`] does for
    /// lines (the same reassembly).
    ///
    /// [`MessageReader`]: super::reader::MessageReader
    pub fn messages(self, container: &str) -> LocalMessageReader<R> {
        LocalMessageReader {
            out: Assembly::new(container, self.frames.settings.clone()),
            reader: self,
            done: false,
        }
    }
}

impl<R: Read> Iterator for LocalReader<R> {
    type Item = Result<LogLine<'static>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().map(|r| r.map(LogLine::into_owned))
    }
}

/// The entries of a `local` driver file as reassembled [`Message`]s (partial chunks joined by
/// their stream, as for every other layout; dangling chunks emitted flagged at the end).
#[derive(Debug)]
pub struct LocalMessageReader<R> {
    reader: LocalReader<R>,
    out: Assembly,
    done: bool,
}

impl<R: Read> LocalMessageReader<R> {
    /// Frame counters.
    pub fn stats(&self) -> LocalStats {
        self.reader.stats()
    }

    /// Reassembly counters.
    pub fn reassembly_stats(&self) -> ReassemblyStats {
        self.out.stats()
    }

    /// Flushes the open partials of `container` (call on its `die`/`destroy` event).
    pub fn container_exit(&mut self, container: &str) {
        self.out.container_exit(container);
    }
}

impl<R: Read> Iterator for LocalMessageReader<R> {
    type Item = Result<Message, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(m) = self.out.ready() {
                return Some(m);
            }
            if self.done {
                return None;
            }
            let m = match self.reader.next_located() {
                None => {
                    self.done = true;
                    self.out.finish()
                }
                Some((_, Err(e))) => return Some(Err(e)),
                Some((loc, Ok(line))) => self.out.line(&line, loc),
            };
            if m.is_some() {
                return m;
            }
        }
    }
}

/// The frame decoder and the reassembly of a followed `local` driver log: what
/// [`LocalMessageReader`] does over one `Read`, over the pieces of the files a [`Tail`]
/// hands it.
#[derive(Debug)]
struct LocalCore {
    frames: Frames,
    out: Assembly,
}

impl LocalCore {
    /// Every item the buffered bytes decide (all of them when the file has `ended`).
    fn drain(&mut self, ended: bool, out: &mut VecDeque<Result<Message, Error>>) {
        loop {
            match self.frames.step(ended) {
                Step::Entry { entry, at, len } => {
                    let loc = self.frames.location();
                    let line = self.frames.line(&entry, at, len);
                    if let Some(m) = self.out.line(&line, loc) {
                        out.push_back(m);
                    }
                    self.ready(out);
                }
                Step::Error(e) => out.push_back(Err(e)),
                Step::Need(_) | Step::End => return,
            }
        }
    }

    /// The messages the assembly queued.
    fn ready(&mut self, out: &mut VecDeque<Result<Message, Error>>) {
        while let Some(m) = self.out.ready() {
            out.push_back(m);
        }
    }
}

impl Feed for LocalCore {
    fn start_file(&mut self, path: &Path, offset: u64) {
        self.frames.restart(offset);
        self.out.set_file(Some(Arc::from(path)));
    }

    fn feed(&mut self, data: &[u8], out: &mut VecDeque<Result<Message, Error>>) {
        self.frames.push(data);
        self.drain(false, out);
    }

    fn end_file(&mut self, out: &mut VecDeque<Result<Message, Error>>) {
        self.drain(true, out);
    }

    fn resume_offset(&self, _pos: u64) -> u64 {
        self.frames.resume_offset()
    }
}

/// Follows a growing `local` driver log (`containers/<id>/local-logs/container.log`, or the
/// dual-logging `container-cached.log`) across rotations, like `docker logs --follow`: the
/// counterpart of [`Follower`](super::rotation::Follower) for binary frames, with the same [`Start`], [`Checkpoint`]
/// and rotation handling, yielding reassembled [`Message`]s as [`LocalMessageReader`] does.
///
/// - A frame cut short at the end of the live file is one Docker is still writing: it is held
///   back (not an error) until the rest arrives. Only when its file ends — renamed away by a
///   rotation and drained, truncated, or at [`LocalFollower::finish`] — is a leftover tail
///   damage: one located [`Error::Frame`] ([`FrameDamage::Truncated`]).
/// - Damage inside the data is reported as [`LocalReader`] reports it (one located error per
///   damaged region, then the next plausible frame), once the bytes that decide where the
///   region ends have arrived. The items and [`LocalStats`] do not depend on how the file
///   grew: finished, they equal [`LocalReader`]'s over the same bytes. The price is a wait:
///   a length at a frame boundary announces a frame that may still be being written, and a
///   resynchronisation candidate whose first fields decode may still turn out whole, so
///   either waits for its bytes (at most [`Settings::max_entry_bytes`] and its lengths);
///   candidates that random damage makes are nearly always ruled out by their first fields.
/// - Docker rotates by rename (`container.log` → `container.log.1` …, gzipped to `.N.gz`
///   when `compress=true`): the live file stays open by handle, is drained after the rename,
///   then the new live file is read from offset 0; a file that shrinks (copy-truncate) is
///   read again from 0 and counted in `truncations`. One reassembler spans all files.
/// - [`Start::Beginning`] reads the rotated history oldest first (gzipped files included),
///   [`Start::End`] only what is written after opening (Docker writes a frame with one
///   write, so the end of the file is a frame boundary), [`Start::Checkpoint`] resumes
///   after the last frame or error reported ([`LocalFollower::checkpoint`]).
///
/// Messages are keyed by the container the path names ([`local_log_container`]), else by the
/// file name; each names its file and, as its location, the frame's offset in that file and
/// its index among the file's items.
///
/// ```
/// use std::io::Write;
/// use tripline_docker::{LocalFollower, Start};
///
/// // A frame: source "stdout", line "hi".
/// let entry = [&[0x0a, 6][..], b"stdout", &[0x1a, 2], b"hi"].concat();
/// let len = (entry.len() as u32).to_be_bytes();
/// let frame = [&len[..], &entry, &len].concat();
///
/// let dir = std::env::temp_dir().join(format!("tripline-doc-follow-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("container.log");
/// let mut file = std::fs::File::create(&path)?;
/// let mut follower = LocalFollower::open(&path, Start::Beginning)?;
/// let mut out = Vec::new();
/// // Half a frame: held back, no error.
/// file.write_all(&frame[..7])?;
/// follower.poll(&mut out)?;
/// assert!(out.is_empty());
/// file.write_all(&frame[7..])?;
/// follower.poll(&mut out)?;
/// assert_eq!(out.pop().unwrap().unwrap().text, b"hi");
/// assert_eq!(follower.checkpoint().unwrap().offset, frame.len() as u64);
/// assert!(follower.stats().balanced());
/// std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct LocalFollower {
    tail: Tail,
    core: LocalCore,
    /// How many rotations were followed.
    pub rotations: u64,
    /// How many times the live file shrank under us.
    pub truncations: u64,
}

impl LocalFollower {
    /// Starts following `base` (`container.log`) with default [`Settings`].
    pub fn open(base: &Path, start: Start) -> io::Result<Self> {
        Self::with_settings(base, start, Settings::default())
    }

    /// With explicit limits ([`Settings::max_entry_bytes`] and the reassembly's).
    pub fn with_settings(base: &Path, start: Start, settings: Settings) -> io::Result<Self> {
        let name = base.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let container = local_log_container(base).unwrap_or(name);
        let mut core = LocalCore {
            out: Assembly::new(container, settings.clone()),
            frames: Frames::new(settings),
        };
        let tail = Tail::open(base, start, &mut core)?;
        Ok(LocalFollower {
            tail,
            core,
            rotations: 0,
            truncations: 0,
        })
    }

    /// Reads everything new, handling rotation; returns how many items were appended.
    pub fn poll(&mut self, out: &mut Vec<Result<Message, Error>>) -> io::Result<usize> {
        let counts = Counts {
            rotations: &mut self.rotations,
            truncations: &mut self.truncations,
        };
        self.tail.poll(&mut self.core, counts, out)
    }

    /// Flushes the open partials of a container (its `die`/`destroy` event).
    pub fn container_exit(&mut self, container: &str, out: &mut Vec<Result<Message, Error>>) {
        self.core.out.container_exit(container);
        out.extend(std::iter::from_fn(|| self.core.out.ready()));
    }

    /// Flushes the partials idle (by event time) as of `now`.
    pub fn flush_idle(&mut self, now: Timestamp, out: &mut Vec<Result<Message, Error>>) {
        self.core.out.flush_idle(now);
        out.extend(std::iter::from_fn(|| self.core.out.ready()));
    }

    /// Ends following: a frame left unfinished at the end of the file is one truncation error,
    /// and the open partials are emitted flagged [`Flush::EndOfInput`](crate::Flush::EndOfInput).
    pub fn finish(&mut self, out: &mut Vec<Result<Message, Error>>) {
        let mut ready = VecDeque::new();
        self.core.end_file(&mut ready);
        if let Some(m) = self.core.out.finish() {
            ready.push_back(m);
        }
        self.core.ready(&mut ready);
        out.extend(ready);
    }

    /// The resume point: the live file and the offset after the last frame (or damaged
    /// region) reported. A frame still being written, or damage whose end is not known yet,
    /// is read again after resuming. As for [`Follower`](super::rotation::Follower), a
    /// partial message still open in the reassembler is not part of it (see [`Checkpoint`]).
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        self.tail.checkpoint(&self.core)
    }

    /// Frame counters over all files.
    pub fn stats(&self) -> LocalStats {
        self.core.frames.stats()
    }

    /// Reassembly counters.
    pub fn reassembly_stats(&self) -> ReassemblyStats {
        self.core.out.stats()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_wire_types() {
        let mut i = 0;
        assert_eq!(varint(&[0xac, 0x02], &mut i), Ok(300));
        assert_eq!(i, 2);
        let mut i = 0;
        assert!(varint(&[0xff; 11], &mut i).is_err());
        let mut i = 0;
        assert!(varint(&[0x80, 0x80], &mut i).is_err());
        // A negative int64 is a 10-byte varint.
        let mut b = vec![0x10];
        b.extend([0xff; 9]);
        b.push(0x01);
        assert_eq!(decode(&b).map(|e| e.time_nano), Ok(-1));
        for wt in [3u8, 4, 6, 7] {
            assert!(decode(&[(9 << 3) | wt, 0]).is_err(), "{wt}");
        }
        // Unknown fields of every valid wire type are skipped.
        let b = [
            &[0x48, 0x01][..],
            &[0x51, 1, 2, 3, 4, 5, 6, 7, 8],
            &[0x5a, 0x01, 0xff],
            &[0x65, 1, 2, 3, 4],
            &[0x1a, 0x01, b'x'],
        ]
        .concat();
        let e = decode(&b).unwrap();
        assert_eq!(&b[e.line], b"x");
        // A known field with another wire type is damage.
        assert!(decode(&[0x08, 0x01]).is_err());
        assert!(decode(&[0x00]).is_err());
    }
}
