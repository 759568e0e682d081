//! Event assembly: records grouped by `(node, time, serial)`, completed like libauparse.
//!
//! Completion: a closing record (EOE, PROCTITLE, a user-space record joining kernel records),
//! a single-record type, the end-of-event timeout measured in **log time** (so replaying a
//! file is deterministic), the in-flight limit, the records-per-event limit, or the end of
//! input. Records of different events may interleave and arrive out of order.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::BufRead;

use crate::RecordType;
use crate::error::Error;
use crate::event::{AuditEvent, Completion, EventId};
use crate::reader::{Reader, ReaderStats, StrRecords};
use crate::record::{EventTime, Record, RecordBuf};
use crate::settings::Settings;

/// Counts kept by the [`Assembler`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AssemblerStats {
    /// Records pushed.
    pub records: u64,
    /// Events emitted.
    pub events: u64,
    /// Events closed by a closing record.
    pub terminated: u64,
    /// Single-record events.
    pub single: u64,
    /// Events closed by the end-of-event timeout.
    pub timed_out: u64,
    /// Events evicted by [`Settings::max_in_flight`].
    pub evicted: u64,
    /// Events split by [`Settings::max_records_per_event`].
    pub record_limit: u64,
    /// Events flushed at end of input.
    pub flushed: u64,
    /// EOE records with no open event (ausearch drops them too); counted, not emitted.
    pub orphan_eoe: u64,
    /// User-space records merged with kernel records of the same id.
    pub merged: u64,
    /// Events missing according to serial-number gaps, per node, with u32 rollover.
    pub lost: u64,
    /// Most events in flight at once.
    pub peak_in_flight: u64,
}

/// A multiply-rotate hasher for the small integer keys of the in-flight table (SipHash's
/// HashDoS resistance buys nothing here: the table is bounded by `max_in_flight`).
#[derive(Debug, Default, Clone, Copy)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    node: u32,
    secs: u64,
    msec: u16,
    serial: u32,
}

/// (secs, msec, serial, sequence, key) of an open event.
type AgeEntry = (u64, u16, u32, u64, Key);

#[derive(Debug)]
struct Open {
    seq: u64,
    id: EventId,
    records: Vec<RecordBuf>,
    merged: bool,
}

/// Groups records into [`AuditEvent`]s.
///
/// ```
/// use tripline_auditd::{Assembler, Record, Completion};
/// let mut asm = Assembler::default();
/// asm.push(Record::parse("type=SYSCALL msg=audit(10.000:5): syscall=59 key=(null)").unwrap());
/// asm.push(Record::parse("type=PROCTITLE msg=audit(10.000:5): proctitle=6C73").unwrap());
/// let ev = asm.pop().unwrap();
/// assert_eq!(ev.len(), 2);
/// assert_eq!(ev.completion(), Completion::Terminator);
/// ```
#[derive(Debug)]
pub struct Assembler {
    settings: Settings,
    open: IdMap<Key, Open>,
    /// Open events by (time, serial): expiry pops them in the order ausearch prints them.
    by_age: BinaryHeap<Reverse<AgeEntry>>,
    ready: VecDeque<AuditEvent>,
    pending: std::collections::BTreeMap<(u64, u16, u32, u64), AuditEvent>,
    held: Option<(Key, AuditEvent)>,
    nodes: HashMap<Box<str>, u32>,
    last_serial: IdMap<u32, u32>,
    seq: u64,
    stats: AssemblerStats,
}

impl Default for Assembler {
    fn default() -> Self {
        Assembler::new(Settings::default())
    }
}

impl Assembler {
    /// An assembler with these settings.
    pub fn new(settings: Settings) -> Self {
        Assembler {
            settings,
            open: IdMap::default(),
            by_age: BinaryHeap::new(),
            ready: VecDeque::new(),
            pending: std::collections::BTreeMap::new(),
            held: None,
            nodes: HashMap::new(),
            last_serial: IdMap::default(),
            seq: 0,
            stats: AssemblerStats::default(),
        }
    }

    /// Counts so far.
    pub fn stats(&self) -> AssemblerStats {
        self.stats
    }

    /// Events currently being assembled.
    pub fn in_flight(&self) -> usize {
        self.open.len() + usize::from(self.held.is_some())
    }

    /// The next finished event, if any.
    pub fn pop(&mut self) -> Option<AuditEvent> {
        self.ready.pop_front()
    }

    fn node_id(&mut self, node: Option<&str>) -> u32 {
        match node {
            None => 0,
            Some(n) => {
                if let Some(&id) = self.nodes.get(n) {
                    return id;
                }
                let id = self.nodes.len() as u32 + 1;
                self.nodes.insert(n.into(), id);
                id
            }
        }
    }

    /// Whether a record starting an event forms it alone.
    ///
    /// A PROCTITLE arriving first (some plugins reorder it) waits for the rest of its event
    /// when closing records are honoured; ausearch 3.0.9 makes it an event alone.
    fn single(&self, t: Option<RecordType>) -> bool {
        match t {
            Some(t) if self.settings.close_on_terminator && t == RecordType::PROCTITLE => false,
            Some(t) if self.settings.login_is_multipart => t.completes_event(),
            Some(t) => t.completes_event_ausearch_3_0_9(),
            None => false,
        }
    }

    /// Whether a record joining an open event closes it.
    fn closes(&self, t: Option<RecordType>) -> bool {
        self.settings.close_on_terminator && t.is_some_and(|t| t.completes_event())
    }

    fn emit(&mut self, ev: AuditEvent) {
        self.stats.events += 1;
        match ev.completion {
            Completion::Terminator => self.stats.terminated += 1,
            Completion::SingleRecord => self.stats.single += 1,
            Completion::Timeout => self.stats.timed_out += 1,
            Completion::Evicted => self.stats.evicted += 1,
            Completion::EndOfInput => self.stats.flushed += 1,
            Completion::RecordLimit => self.stats.record_limit += 1,
        }
        if self.settings.ordered_output {
            self.seq += 1;
            let t = ev.id.time;
            self.pending
                .insert((t.secs, t.msec, ev.id.serial, self.seq), ev);
        } else {
            self.ready.push_back(ev);
        }
    }

    /// Releases finished events that are older than every open event (ordered output).
    fn release(&mut self) {
        while let Some((&pk, _)) = self.pending.first_key_value() {
            // The oldest open event, dropping heap entries of closed events on the way.
            let oldest = loop {
                match self.by_age.peek().copied() {
                    None => break None,
                    Some(Reverse((secs, msec, serial, seq, key))) => {
                        if self.open.get(&key).is_some_and(|o| o.seq == seq) {
                            break Some((secs, msec, serial));
                        }
                        self.by_age.pop();
                    }
                }
            };
            if oldest.is_some_and(|o| o <= (pk.0, pk.1, pk.2)) {
                break;
            }
            if let Some((_, ev)) = self.pending.pop_first() {
                self.ready.push_back(ev);
            }
        }
    }

    fn close(&mut self, key: Key, completion: Completion) {
        if let Some(o) = self.open.remove(&key) {
            self.emit(AuditEvent {
                id: o.id,
                records: o.records,
                completion,
                merged: o.merged,
            });
        }
    }

    fn flush_held(&mut self) {
        if let Some((_, ev)) = self.held.take() {
            self.emit(ev);
        }
    }

    /// Closes events whose time is at least the timeout before `now`.
    /// Entries of closed events stay in the age heap until they are old enough to pop, so
    /// the common case (nothing expired) costs one peek and no lookup.
    fn expire(&mut self, now: u64) {
        while let Some(Reverse((secs, _, _, seq, key))) = self.by_age.peek().copied() {
            if now.saturating_sub(secs) < self.settings.eoe_timeout_secs {
                break;
            }
            self.by_age.pop();
            if self.open.get(&key).is_some_and(|o| o.seq == seq) {
                self.close(key, Completion::Timeout);
            }
        }
    }

    fn evict_oldest(&mut self) {
        while let Some(Reverse((_, _, _, seq, key))) = self.by_age.pop() {
            if self.open.get(&key).is_some_and(|o| o.seq == seq) {
                self.close(key, Completion::Evicted);
                return;
            }
        }
    }

    fn count_serial(&mut self, node: u32, serial: u32) {
        match self.last_serial.get_mut(&node) {
            None => {
                self.last_serial.insert(node, serial);
            }
            Some(last) => {
                let diff = serial.wrapping_sub(*last);
                if diff == 0 {
                } else if diff < 1 << 31 {
                    self.stats.lost += u64::from(diff - 1);
                    *last = serial;
                } else {
                    // An older serial: out of order. If it filled a counted gap, un-count it.
                    self.stats.lost = self.stats.lost.saturating_sub(1);
                }
            }
        }
    }

    /// Adds a record; finished events become available through [`Assembler::pop`].
    pub fn push(&mut self, record: Record<'_>) {
        self.push_buf(record.into_owned_buf());
    }

    /// Adds an owned record.
    pub fn push_buf(&mut self, buf: RecordBuf) {
        self.push_inner(buf);
        if self.settings.ordered_output {
            self.release();
        }
    }

    fn push_inner(&mut self, buf: RecordBuf) {
        self.stats.records += 1;
        let rec = buf.record();
        let node = self.node_id(rec.node());
        let time = buf.time();
        let key = Key {
            node,
            secs: time.secs,
            msec: time.msec,
            serial: rec.serial(),
        };
        let rtype = buf.type_code().map(RecordType);
        let single = self.single(rtype);
        let is_eoe = rtype == Some(RecordType::EOE);

        // A held single user-space event is merged when kernel records of its id follow.
        if let Some((hkey, _)) = &self.held {
            if *hkey == key && self.settings.merge_userspace_with_kernel && !single {
                let (_, ev) = self.held.take().unwrap_or_else(|| unreachable!());
                self.stats.merged += 1;
                self.seq += 1;
                self.open.insert(
                    key,
                    Open {
                        seq: self.seq,
                        id: ev.id,
                        records: ev.records,
                        merged: true,
                    },
                );
                self.by_age
                    .push(Reverse((time.secs, time.msec, key.serial, self.seq, key)));
            } else {
                self.flush_held();
            }
        }

        if self.settings.expire_on_join || !self.open.contains_key(&key) {
            self.expire(time.secs);
        }

        if let Some(o) = self.open.get_mut(&key) {
            o.records.push(buf);
            let full = o.records.len() >= self.settings.max_records_per_event;
            if self.closes(rtype) {
                self.close(key, Completion::Terminator);
            } else if full {
                self.close(key, Completion::RecordLimit);
            }
            return;
        }
        if is_eoe {
            self.stats.orphan_eoe += 1;
            return;
        }
        self.count_serial(node, key.serial);
        let id = EventId {
            node: rec.node().map(Box::from),
            time: EventTime {
                secs: time.secs,
                msec: time.msec,
            },
            serial: key.serial,
        };
        if single || self.settings.max_records_per_event <= 1 {
            let ev = AuditEvent {
                id,
                records: vec![buf],
                completion: if single {
                    Completion::SingleRecord
                } else {
                    Completion::RecordLimit
                },
                merged: false,
            };
            let user = rtype.is_some_and(|t| t.is_user_space());
            if single && user && self.settings.merge_userspace_with_kernel {
                self.held = Some((key, ev));
            } else {
                self.emit(ev);
            }
            return;
        }
        if self.open.len() >= self.settings.max_in_flight {
            self.evict_oldest();
        }
        self.seq += 1;
        self.open.insert(
            key,
            Open {
                seq: self.seq,
                id,
                records: {
                    let mut v = Vec::with_capacity(8);
                    v.push(buf);
                    v
                },
                merged: false,
            },
        );
        self.by_age
            .push(Reverse((time.secs, time.msec, key.serial, self.seq, key)));
        if self.by_age.len() > 2 * self.open.len() + 1024 {
            // Drop the entries of closed events (log time standing still keeps them).
            self.by_age = self
                .open
                .iter()
                .map(|(k, o)| Reverse((k.secs, k.msec, k.serial, o.seq, *k)))
                .collect();
        }
        self.stats.peak_in_flight = self.stats.peak_in_flight.max(self.open.len() as u64);
    }

    /// Emits every open event (end of input), ordered by time then serial like ausearch.
    pub fn finish(&mut self) {
        self.flush_held();
        let mut keys: Vec<AgeEntry> = self
            .open
            .iter()
            .map(|(k, o)| (k.secs, k.msec, k.serial, o.seq, *k))
            .collect();
        keys.sort_unstable();
        for (_, _, _, _, k) in keys {
            self.close(k, Completion::EndOfInput);
        }
        self.by_age.clear();
        while let Some((_, ev)) = self.pending.pop_first() {
            self.ready.push_back(ev);
        }
    }
}

/// Events from a [`BufRead`]: a [`Reader`] feeding an [`Assembler`]. Line errors are
/// yielded in between events (the stream goes on).
#[derive(Debug)]
pub struct Events<R> {
    reader: Reader<R>,
    asm: Assembler,
    finished: bool,
}

impl<R: BufRead> Events<R> {
    /// Events with default settings.
    pub fn new(inner: R) -> Self {
        Self::with_settings(inner, Settings::default())
    }

    /// Events with explicit settings.
    pub fn with_settings(inner: R, settings: Settings) -> Self {
        Events {
            reader: Reader::with_settings(inner, settings.clone()),
            asm: Assembler::new(settings),
            finished: false,
        }
    }

    /// Line counts.
    pub fn reader_stats(&self) -> ReaderStats {
        self.reader.stats()
    }

    /// Assembly counts.
    pub fn assembler_stats(&self) -> AssemblerStats {
        self.asm.stats()
    }
}

impl<R: BufRead> Iterator for Events<R> {
    type Item = Result<AuditEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let reader = &mut self.reader;
        pump(&mut self.asm, &mut self.finished, |asm| {
            reader.next_record().map(|r| r.map(|r| asm.push(r)))
        })
    }
}

/// Drives an event iterator: pops a finished event, else feeds the next record (`feed` pushes
/// it into the assembler; `None` at end of input), flushing everything once input ends. Line
/// errors are returned in between events.
fn pump(
    asm: &mut Assembler,
    finished: &mut bool,
    mut feed: impl FnMut(&mut Assembler) -> Option<Result<(), Error>>,
) -> Option<Result<AuditEvent, Error>> {
    loop {
        if let Some(ev) = asm.pop() {
            return Some(Ok(ev));
        }
        if *finished {
            return None;
        }
        match feed(asm) {
            Some(Ok(())) => {}
            Some(Err(e)) => return Some(Err(e)),
            None => {
                asm.finish();
                *finished = true;
            }
        }
    }
}

/// Events from a whole string (records parsed zero-copy, copied only while in flight).
///
/// ```
/// let log = "type=USER_CMD msg=audit(1.000:1): pid=1 uid=0 msg='cmd=6C73 res=success'\n";
/// let events: Vec<_> = tripline_auditd::StrEvents::new(log).collect::<Result<_, _>>().unwrap();
/// assert_eq!(events.len(), 1);
/// ```
#[derive(Debug)]
pub struct StrEvents<'a> {
    records: StrRecords<'a>,
    asm: Assembler,
    finished: bool,
}

impl<'a> StrEvents<'a> {
    /// Events with default settings.
    pub fn new(input: &'a str) -> Self {
        Self::with_settings(input, Settings::default())
    }

    /// Events with explicit settings.
    pub fn with_settings(input: &'a str, settings: Settings) -> Self {
        StrEvents {
            records: StrRecords::with_settings(input, &settings),
            asm: Assembler::new(settings),
            finished: false,
        }
    }

    /// Line counts.
    pub fn reader_stats(&self) -> ReaderStats {
        self.records.stats()
    }

    /// Assembly counts.
    pub fn assembler_stats(&self) -> AssemblerStats {
        self.asm.stats()
    }
}

impl Iterator for StrEvents<'_> {
    type Item = Result<AuditEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let records = &mut self.records;
        pump(&mut self.asm, &mut self.finished, |asm| {
            records.next().map(|r| r.map(|r| asm.push(r)))
        })
    }
}
