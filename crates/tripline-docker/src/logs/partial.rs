//! Partial-line reassembly keyed by (container, stream).
//!
//! json-file splits lines longer than 16 KiB into chunks whose `log` lacks the final `\n`;
//! CRI marks chunks `P` until an `F`. stdout and stderr are copied by separate goroutines and
//! interleave, so each (container, stream) has its own buffer. A buffer is flushed when its
//! line completes, grows past the size cap, idles (by event time), the input ends, or the
//! container dies; whatever was not completed is emitted flagged, never dropped.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::jsonfile::FastParts;
use super::line::{LogFormat, LogLine, Stream};
use crate::attrs::Attributes;
use crate::error::Location;
use crate::{Settings, Timestamp};

/// Why a message was emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Flush {
    /// The line completed normally (`\n` / `F`).
    Complete,
    /// The buffer reached `max_message_bytes` or `max_chunks`; the rest follows as a new message.
    SizeCap,
    /// No chunk arrived for `partial_idle_ns` of event time.
    Idle,
    /// The input ended with the line still open (a dangling partial).
    EndOfInput,
    /// The container died or was destroyed with the line still open.
    ContainerExit,
    /// Too many open partials; the oldest was pushed out.
    Evicted,
}

/// A reassembled log message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The container key (id, compose name or file-derived id).
    pub container: Arc<str>,
    /// The stream.
    pub stream: Stream,
    /// The first chunk's time.
    pub time: Option<Timestamp>,
    /// The text, chunks joined, without the line terminator (a trailing `\r` of TTY output
    /// removed).
    pub text: Vec<u8>,
    /// How many physical lines were joined.
    pub chunks: u32,
    /// Why it was emitted; anything but [`Flush::Complete`] means the line was not completed.
    pub flush: Flush,
    /// The layout of the chunks.
    pub format: LogFormat,
    /// Where the first chunk was.
    pub location: Location,
    /// The file the first chunk came from, when reading files.
    pub file: Option<Arc<std::path::Path>>,
    /// The first chunk's attributes (json-file `attrs`, `--details`).
    pub attrs: Attributes<'static>,
    /// The compose prefix name.
    pub source: Option<Box<str>>,
}

impl Message {
    /// The text as UTF-8 (lossy).
    pub fn text_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.text)
    }

    /// Whether this is a dangling partial (not completed by the runtime).
    pub fn is_dangling(&self) -> bool {
        self.flush != Flush::Complete
    }

    /// Whether chunks were merged into it.
    pub fn merged(&self) -> bool {
        self.chunks > 1
    }
}

#[derive(Debug)]
struct Pending {
    msg: Message,
    last_ns: Option<i64>,
    seq: u64,
}

/// Counts of the reassembler's decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReassemblyStats {
    /// Chunks received that were partial.
    pub partial_chunks: u64,
    /// Messages emitted.
    pub messages: u64,
    /// Messages emitted with more than one chunk.
    pub merged: u64,
    /// Messages emitted because of the size or chunk cap.
    pub size_capped: u64,
    /// Messages emitted by the idle timeout.
    pub idle: u64,
    /// Dangling partials emitted at end of input.
    pub end_of_input: u64,
    /// Partials flushed by a container exit.
    pub container_exit: u64,
    /// Partials evicted by `max_pending`.
    pub evicted: u64,
}

/// Joins partial chunks into messages.
#[derive(Debug)]
pub struct Reassembler {
    settings: Settings,
    pending: HashMap<(Arc<str>, Stream), Pending>,
    seq: u64,
    newest_ns: Option<i64>,
    stats: ReassemblyStats,
}

impl Default for Reassembler {
    fn default() -> Self {
        Self::new(Settings::default())
    }
}

fn strip_cr(mut m: Message) -> Message {
    if m.text.last() == Some(&b'\r') {
        m.text.pop();
    }
    m
}

impl Reassembler {
    /// A reassembler with the given limits.
    pub fn new(settings: Settings) -> Self {
        Reassembler {
            settings,
            pending: HashMap::new(),
            seq: 0,
            newest_ns: None,
            stats: ReassemblyStats::default(),
        }
    }

    /// Counters.
    pub fn stats(&self) -> ReassemblyStats {
        self.stats
    }

    /// How many (container, stream) partials are open.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    fn emit(&mut self, m: Message, out: &mut Vec<Message>) {
        self.stats.messages += 1;
        if m.chunks > 1 {
            self.stats.merged += 1;
        }
        match m.flush {
            Flush::SizeCap => self.stats.size_capped += 1,
            Flush::Idle => self.stats.idle += 1,
            Flush::EndOfInput => self.stats.end_of_input += 1,
            Flush::ContainerExit => self.stats.container_exit += 1,
            Flush::Evicted => self.stats.evicted += 1,
            Flush::Complete => {}
        }
        out.push(strip_cr(m));
    }

    /// Whether `line` passes through whole: it is complete and no partial is open (nearly
    /// every line). Then the reassembler's state is updated as [`Reassembler::push`] would
    /// (newest time, message count; no partial can idle out) and the caller builds the
    /// message itself with [`Reassembler::whole_line`], in place.
    pub(crate) fn passes_through(&mut self, line: &LogLine<'_>) -> bool {
        !line.partial && self.complete_passes_through(line.time)
    }

    /// [`Reassembler::passes_through`] for a complete line with time `time`.
    #[inline]
    pub(crate) fn complete_passes_through(&mut self, time: Option<Timestamp>) -> bool {
        if !self.pending.is_empty() {
            return false;
        }
        if let Some(ns) = time.map(|t| t.unix_nanos_saturating())
            && self.newest_ns.is_none_or(|n| ns > n)
        {
            self.newest_ns = Some(ns);
        }
        self.stats.messages += 1;
        true
    }

    /// The message of a line that [`Reassembler::passes_through`]: what `push` emits for
    /// it (one chunk, complete, a trailing `\r` removed, naming `file`).
    #[inline]
    pub(crate) fn whole_line(
        container: &Arc<str>,
        line: &LogLine<'_>,
        location: Location,
        file: Option<&Arc<std::path::Path>>,
    ) -> Message {
        let content: &[u8] = &line.content;
        Message {
            container: container.clone(),
            stream: line.stream.clone(),
            time: line.time,
            text: content.strip_suffix(b"\r").unwrap_or(content).to_vec(),
            chunks: 1,
            flush: Flush::Complete,
            format: line.format,
            location,
            file: file.cloned(),
            attrs: if line.attrs.is_empty() {
                Attributes::default()
            } else {
                line.attrs.clone().into_owned()
            },
            source: line.source.as_deref().map(Into::into),
        }
    }

    /// [`Reassembler::whole_line`] for a complete json-file line read by the fast path: the
    /// same message, built from its parts (decoded text moved, not copied).
    #[inline]
    pub(crate) fn whole_json_line(
        container: &Arc<str>,
        parts: FastParts<'_>,
        location: Location,
    ) -> Message {
        let text = match parts.content {
            Cow::Borrowed(c) => c.strip_suffix(b"\r").unwrap_or(c).to_vec(),
            Cow::Owned(mut c) => {
                if c.last() == Some(&b'\r') {
                    c.pop();
                }
                c
            }
        };
        Message {
            container: container.clone(),
            stream: parts.stream,
            time: Some(parts.time),
            text,
            chunks: 1,
            flush: Flush::Complete,
            format: LogFormat::JsonFile,
            location,
            file: None,
            attrs: Attributes::default(),
            source: None,
        }
    }

    fn first_chunk(
        container: &Arc<str>,
        line: &LogLine<'_>,
        location: Location,
        file: Option<&Arc<std::path::Path>>,
    ) -> Message {
        Message {
            container: container.clone(),
            stream: line.stream.clone(),
            time: line.time,
            text: line.content.to_vec(),
            chunks: 1,
            flush: Flush::Complete,
            format: line.format,
            location,
            file: file.cloned(),
            attrs: if line.attrs.is_empty() {
                Attributes::default()
            } else {
                line.attrs.clone().into_owned()
            },
            source: line.source.as_deref().map(Into::into),
        }
    }

    /// Adds one line of `container`; completed messages are appended to `out`.
    pub fn push(
        &mut self,
        container: &Arc<str>,
        line: &LogLine<'_>,
        location: Location,
        file: Option<&Arc<std::path::Path>>,
        out: &mut Vec<Message>,
    ) {
        let ns = line.time.map(|t| t.unix_nanos_saturating());
        if let Some(ns) = ns
            && self.newest_ns.is_none_or(|n| ns > n)
        {
            self.newest_ns = Some(ns);
            self.flush_idle_at(ns, out);
        }
        if line.partial {
            self.stats.partial_chunks += 1;
        }
        if !self.pending.is_empty() {
            let key = (container.clone(), line.stream.clone());
            if let Some(p) = self.pending.get_mut(&key) {
                p.msg.text.extend_from_slice(&line.content);
                p.msg.chunks += 1;
                p.last_ns = ns.or(p.last_ns);
                let over = p.msg.text.len() >= self.settings.max_message_bytes
                    || p.msg.chunks as usize >= self.settings.max_chunks;
                if !line.partial || over {
                    let mut p = self.pending.remove(&key).expect("present");
                    p.msg.flush = if line.partial {
                        Flush::SizeCap
                    } else {
                        Flush::Complete
                    };
                    self.emit(p.msg, out);
                }
                return;
            }
        }
        let msg = Self::first_chunk(container, line, location, file);
        if !line.partial {
            self.emit(msg, out);
            return;
        }
        if msg.text.len() >= self.settings.max_message_bytes {
            let mut msg = msg;
            msg.flush = Flush::SizeCap;
            self.emit(msg, out);
            return;
        }
        if self.pending.len() >= self.settings.max_pending {
            self.evict_oldest(out);
        }
        self.seq += 1;
        self.pending.insert(
            (container.clone(), line.stream.clone()),
            Pending {
                msg,
                last_ns: ns,
                seq: self.seq,
            },
        );
    }

    fn evict_oldest(&mut self, out: &mut Vec<Message>) {
        if let Some(k) = self
            .pending
            .iter()
            .min_by_key(|(_, p)| p.seq)
            .map(|(k, _)| k.clone())
        {
            let mut p = self.pending.remove(&k).expect("present");
            p.msg.flush = Flush::Evicted;
            self.emit(p.msg, out);
        }
    }

    fn drain_where(
        &mut self,
        flush: Flush,
        out: &mut Vec<Message>,
        pred: impl Fn(&(Arc<str>, Stream), &Pending) -> bool,
    ) {
        let mut keys: Vec<_> = self
            .pending
            .iter()
            .filter(|(k, p)| pred(k, p))
            .map(|(k, p)| (p.seq, k.clone()))
            .collect();
        keys.sort();
        for (_, k) in keys {
            let mut p = self.pending.remove(&k).expect("present");
            p.msg.flush = flush;
            self.emit(p.msg, out);
        }
    }

    fn flush_idle_at(&mut self, now_ns: i64, out: &mut Vec<Message>) {
        let idle = self.settings.partial_idle_ns;
        if self.pending.is_empty() {
            return;
        }
        self.drain_where(Flush::Idle, out, |_, p| {
            p.last_ns.is_some_and(|l| now_ns.saturating_sub(l) > idle)
        });
    }

    /// Flushes partials idle for longer than the timeout at event time `now`.
    pub fn flush_idle(&mut self, now: Timestamp, out: &mut Vec<Message>) {
        self.flush_idle_at(now.unix_nanos_saturating(), out);
    }

    /// Flushes the open partials of a container (its `die`/`destroy` event). `container`
    /// may be any unique prefix (≥ 12 chars) of the key used when pushing, or equal to it.
    pub fn container_exit(&mut self, container: &str, out: &mut Vec<Message>) {
        self.drain_where(Flush::ContainerExit, out, |(c, _), _| {
            c.as_ref() == container || (container.len() >= 12 && c.starts_with(container))
        });
    }

    /// Emits every open partial flagged [`Flush::EndOfInput`].
    pub fn finish(&mut self, out: &mut Vec<Message>) {
        self.drain_where(Flush::EndOfInput, out, |_, _| true);
    }
}
