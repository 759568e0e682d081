//! Physical-line framing shared by the readers: bounded line length, line/offset tracking,
//! json-seq record separators, and pretty-printed JSON objects spanning several lines.

use std::io::BufRead;

use crate::error::{Limit, Location, Snippet};
use crate::{Error, Settings, Stats};

/// What the framer produced.
#[derive(Debug)]
pub(crate) enum Frame {
    /// A line is in [`LineReader::line`].
    Line,
    /// A multi-line JSON object is in [`LineReader::joined`].
    Joined,
    /// The line could not be framed (too long, I/O).
    Error(Error),
}

/// What [`LineReader::frame_in_place`] found.
pub(crate) enum InPlace<'b, T> {
    /// A line read by the reader's function, with its location and the counters (the record
    /// not yet counted).
    Read(T, Location, &'b mut Stats),
    /// Not a line the function reads: frame it with [`LineReader::next_frame`].
    No,
    /// The input failed (what [`LineReader::next_frame`] returns for it).
    Error(Error),
}

/// Reads `\n`-terminated lines with a length cap; no allocation per line.
#[derive(Debug)]
pub(crate) struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    joined: Vec<u8>,
    /// Location of the frame last returned.
    pub loc: Location,
    next_offset: u64,
    line_no: u64,
    /// Counters.
    pub stats: Stats,
    settings: Settings,
    pushed: Option<(Vec<u8>, usize, bool)>,
    /// Whether the last physical line ended with `\n` (a follower holds back the rest).
    pub terminated: bool,
    /// Join pretty-printed JSON objects.
    pub multiline_json: bool,
    /// The current line was framed in place: it is the first `held - 1` bytes of `inner`'s
    /// buffer (its `\n` included in `held`), consumed when the next frame is read. Nearly
    /// every line is complete in the buffer, and is then parsed without a copy.
    held: usize,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, settings: Settings) -> Self {
        LineReader {
            inner,
            buf: Vec::with_capacity(512),
            joined: Vec::new(),
            loc: Location::default(),
            next_offset: 0,
            line_no: 0,
            stats: Stats::default(),
            settings,
            pushed: None,
            terminated: true,
            multiline_json: true,
            held: 0,
        }
    }

    /// Reads one physical line into `buf` (without `\n`). `Ok(None)` at end of input,
    /// `Ok(Some(n))` with the full length `n` (the stored part is capped).
    fn read_physical(&mut self) -> std::io::Result<Option<usize>> {
        self.read_line(false)
    }

    /// Consumes the line framed in place, if any.
    fn release(&mut self) {
        if self.held > 0 {
            self.inner.consume(self.held);
            self.held = 0;
        }
    }

    /// Moves a line framed in place into `buf` (for the paths that keep or join lines).
    fn materialize(&mut self) -> std::io::Result<()> {
        if self.held > 0 {
            let len = self.held - 1;
            let avail = self.inner.fill_buf()?;
            let line = avail.get(..len).ok_or_else(buffer_changed)?;
            self.buf.clear();
            self.buf.extend_from_slice(line);
            self.release();
        }
        Ok(())
    }

    /// The current line (without `\n`): in `inner`'s buffer when framed in place, else `buf`.
    fn line(&mut self) -> std::io::Result<&[u8]> {
        line_of(&mut self.inner, self.held, &self.buf)
    }

    /// Like [`LineReader::read_physical`]; with `in_place`, a line found complete (and within
    /// the length cap) in `inner`'s buffer is left there (see `held`) instead of copied.
    fn read_line(&mut self, in_place: bool) -> std::io::Result<Option<usize>> {
        self.release();
        self.buf.clear();
        let mut total = 0usize;
        let cap = self.settings.max_line_bytes;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                if total == 0 {
                    return Ok(None);
                }
                self.terminated = false;
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            if in_place && done && total == 0 && take <= cap {
                self.held = take;
                self.terminated = true;
                self.count_line(take);
                return Ok(Some(take - 1));
            }
            let content = if done { take - 1 } else { take };
            let room = cap.saturating_add(1).saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&avail[..content.min(room)]);
            total += take;
            self.inner.consume(take);
            if done {
                self.terminated = true;
                break;
            }
        }
        self.count_line(total);
        Ok(Some(total - usize::from(self.terminated)))
    }

    /// Frames and reads the next line in one step when `read`, given the unread buffered
    /// input, reads a line from its start and returns it with the line's length including
    /// its `\n` (the framer's own search for the `\n` is then not needed). The line is then
    /// the current one, as [`LineReader::next_frame`] would have framed it ([`Frame::Line`],
    /// framed in place: `read` must only accept a line without a `\n` before its end that
    /// is neither blank nor opens a JSON object across lines). [`InPlace::No`] when `read`
    /// declines, the line is over the length cap, or a line given back by the JSON joiner
    /// is pending; [`InPlace::Error`] for an input error.
    #[inline(always)]
    pub fn frame_in_place<'s, T>(
        &'s mut self,
        read: impl FnOnce(&'s [u8]) -> Option<(T, usize)>,
    ) -> InPlace<'s, T> {
        if self.pushed.is_some() {
            return InPlace::No;
        }
        self.release();
        self.buf.clear();
        let LineReader {
            inner,
            loc,
            next_offset,
            line_no,
            stats,
            settings,
            terminated,
            held,
            ..
        } = self;
        let avail = match inner.fill_buf() {
            Ok(b) => b,
            // `next_frame` reads again.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return InPlace::No,
            Err(source) => return InPlace::Error(Error::Io { at: *loc, source }),
        };
        match read(avail) {
            Some((t, take)) if take <= settings.max_line_bytes => {
                *held = take;
                *terminated = true;
                count_line(loc, line_no, next_offset, stats, take);
                InPlace::Read(t, *loc, stats)
            }
            _ => InPlace::No,
        }
    }

    fn count_line(&mut self, total: usize) {
        count_line(
            &mut self.loc,
            &mut self.line_no,
            &mut self.next_offset,
            &mut self.stats,
            total,
        );
    }

    /// The next frame, skipping blank lines (counted) when `skip_blank`.
    pub fn next_frame(&mut self, skip_blank: bool) -> Option<Frame> {
        loop {
            let len = if let Some((line, total, terminated)) = self.pushed.take() {
                self.release();
                self.buf = line;
                self.terminated = terminated;
                self.count_line(total);
                total - usize::from(terminated)
            } else {
                match self.read_line(true) {
                    Ok(None) => return None,
                    Ok(Some(n)) => n,
                    Err(source) => {
                        return Some(Frame::Error(Error::Io {
                            at: self.loc,
                            source,
                        }));
                    }
                }
            };
            if len > self.settings.max_line_bytes {
                self.stats.limited += 1;
                return Some(Frame::Error(Error::Limit {
                    at: self.loc,
                    limit: Limit::LineBytes,
                    actual: len,
                    max: self.settings.max_line_bytes,
                    snippet: Snippet::of(&self.buf),
                }));
            }
            let multiline_json = self.multiline_json;
            let (blank, opens) = match self.line() {
                Ok(line) => {
                    let body = trim(line);
                    (
                        body.is_empty() || body == [0x1e],
                        multiline_json && starts_open_object(body),
                    )
                }
                Err(source) => {
                    self.release();
                    return Some(Frame::Error(Error::Io {
                        at: self.loc,
                        source,
                    }));
                }
            };
            if skip_blank && blank {
                self.stats.skipped += 1;
                continue;
            }
            if opens {
                if let Err(source) = self.materialize() {
                    self.release();
                    return Some(Frame::Error(Error::Io {
                        at: self.loc,
                        source,
                    }));
                }
                return Some(self.join_json());
            }
            return Some(Frame::Line);
        }
    }

    /// A line that opens a JSON object but does not close it: join the following indented
    /// lines until the object is complete.
    fn join_json(&mut self) -> Frame {
        let start = self.loc;
        self.joined.clear();
        self.joined.extend_from_slice(&self.buf);
        let mut extra = 0u64;
        loop {
            if extra as usize >= self.settings.max_json_lines {
                self.stats.limited += 1;
                self.stats.continuation += extra;
                self.loc = start;
                return Frame::Error(Error::Limit {
                    at: start,
                    limit: Limit::JsonLines,
                    actual: extra as usize + 1,
                    max: self.settings.max_json_lines,
                    snippet: Snippet::of(&self.joined),
                });
            }
            let n = match self.read_physical() {
                Ok(Some(n)) => n,
                Ok(None) => break,
                Err(source) => {
                    self.stats.continuation += extra;
                    return Frame::Error(Error::Io { at: start, source });
                }
            };
            let first = self.buf.first().copied();
            let continues = n <= self.settings.max_line_bytes
                && matches!(first, Some(b' ' | b'\t' | b'}' | b']' | b'"' | b'\r'));
            if !continues {
                // Not part of this object: give the line back and report the opener.
                let total = n + usize::from(self.terminated);
                self.stats.lines -= 1;
                self.stats.bytes -= total as u64;
                self.line_no -= 1;
                self.next_offset -= total as u64;
                self.pushed = Some((std::mem::take(&mut self.buf), total, self.terminated));
                break;
            }
            extra += 1;
            self.joined.push(b'\n');
            self.joined.extend_from_slice(&self.buf);
            if first == Some(b'}') && complete_json(&self.joined) {
                self.stats.continuation += extra;
                self.loc = start;
                return Frame::Joined;
            }
        }
        self.stats.continuation += extra;
        self.loc = start;
        Frame::Joined
    }

    /// Marks the current frame as an error.
    pub fn error(&mut self) {
        self.stats.errors += 1;
    }

    /// The current frame's bytes (an I/O error when a line framed in place is gone), with
    /// the counters, so a caller can count the outcome while the bytes are borrowed.
    pub fn frame(&mut self, joined: bool) -> (Result<&[u8], Error>, &mut Stats) {
        let loc = self.loc;
        let LineReader {
            inner,
            held,
            buf,
            joined: joined_buf,
            stats,
            ..
        } = self;
        let b = if joined {
            Ok(&joined_buf[..])
        } else {
            line_of(inner, *held, buf).map_err(|source| Error::Io { at: loc, source })
        };
        (b, stats)
    }

    /// Parses the current frame with `f`, counting the outcome and locating errors.
    pub fn parse_frame<'s, T>(
        &'s mut self,
        joined: bool,
        f: impl FnOnce(&'s [u8]) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let loc = self.loc;
        let (b, stats) = self.frame(joined);
        let r = b.and_then(f);
        match &r {
            Ok(_) => stats.records += 1,
            Err(_) => stats.errors += 1,
        }
        r.map_err(|e| e.at(loc))
    }
}

/// Counts a physical line of `total` bytes (its `\n` included) starting at `next_offset`.
#[inline(always)]
fn count_line(
    loc: &mut Location,
    line_no: &mut u64,
    next_offset: &mut u64,
    stats: &mut Stats,
    total: usize,
) {
    *loc = Location {
        line: *line_no + 1,
        offset: *next_offset,
    };
    *line_no += 1;
    *next_offset += total as u64;
    stats.lines += 1;
    stats.bytes += total as u64;
}

/// The current line of a [`LineReader`]: the first `held - 1` bytes of `inner`'s buffer when
/// framed in place (`held > 0`), else `buf`.
fn line_of<'b, R: BufRead>(
    inner: &'b mut R,
    held: usize,
    buf: &'b [u8],
) -> std::io::Result<&'b [u8]> {
    if held > 0 {
        let avail = inner.fill_buf()?;
        avail.get(..held - 1).ok_or_else(buffer_changed)
    } else {
        Ok(buf)
    }
}

/// A `BufRead` whose buffer no longer holds a line it returned, not yet consumed (its
/// `fill_buf` must return the unconsumed data).
fn buffer_changed() -> std::io::Error {
    std::io::Error::other("reader buffer changed under an unconsumed line")
}

pub(crate) fn trim(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |i| i + 1);
    &b[s..e.max(s)]
}

/// `{` at the start, not closed on the same line (a pretty-printed object's first line).
fn starts_open_object(body: &[u8]) -> bool {
    let body = body.strip_prefix(&[0x1e]).unwrap_or(body);
    body.first() == Some(&b'{') && body.last() != Some(&b'}')
}

fn complete_json(b: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(b).is_ok()
}

/// The index of the `"` that closes a JSON string body starting at `b[0]`, when the body has
/// no escape and no control byte; `None` otherwise (or when there is no closing quote).
///
/// One pass, eight bytes at a time: most strings on the hot paths (ids, names, times) are
/// short, where `memchr` plus a separate control-byte pass cost more than the scan.
pub(crate) fn plain_string_end(b: &[u8]) -> Option<usize> {
    let i = first_special(b)?;
    (b[i] == b'"').then_some(i)
}

/// The index of the first `"`, `\` or control byte (< 0x20) in `b`.
pub(crate) fn first_special(b: &[u8]) -> Option<usize> {
    first_flagged(
        b,
        |x| {
            let q = x ^ (LO * u64::from(b'"'));
            let s = x ^ (LO * u64::from(b'\\'));
            // The lowest flagged byte of each term is exact (borrows only run upwards), so
            // the lowest flagged byte overall is the first quote, backslash or control byte.
            (q.wrapping_sub(LO) & !q) | (s.wrapping_sub(LO) & !s) | (x.wrapping_sub(LO * 0x20) & !x)
        },
        |c| c == b'"' || c == b'\\' || c < 0x20,
    )
}

/// Like [`first_special`], stopping at a non-ASCII byte (>= 0x80) too: a caller that finds
/// ASCII up to the special byte needs no UTF-8 check.
pub(crate) fn first_special_or_non_ascii(b: &[u8]) -> Option<usize> {
    // The first quote or backslash, 32 bytes at a time (a log line's text is long enough
    // for `memchr2` to beat the word loop), then the first control or non-ASCII byte before
    // it, a word at a time with three operations instead of eleven.
    let end = memchr::memchr2(b'"', b'\\', b).unwrap_or(b.len());
    first_flagged(
        &b[..end],
        // A byte below 0x20 borrows (its high bit is set after subtracting 0x20), one at or
        // above 0x80 has it set already; a borrow only runs upwards from a flagged byte.
        |x| x.wrapping_sub(LO * 0x20) | x,
        |c| !(0x20..0x80).contains(&c),
    )
    .or((end < b.len()).then_some(end))
}

/// Every byte's lowest bit.
const LO: u64 = 0x0101_0101_0101_0101;

/// The index of the first byte of `b` that `byte` flags, read a word at a time: `word` sets
/// the high bit of the lowest byte of a word that `byte` flags and of no byte below it.
#[inline(always)]
fn first_flagged(b: &[u8], word: impl Fn(u64) -> u64, byte: impl Fn(u8) -> bool) -> Option<usize> {
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let m = word(u64::from_le_bytes(w)) & HI;
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| byte(c))
        .map(|j| i + j)
}

#[cfg(test)]
mod framing_tests {
    use super::*;

    /// Every frame (kind, bytes, location) and the counters, for `input` read through a
    /// `BufReader` of `cap` bytes (`0`: the slice itself, every line in place).
    fn frames(input: &[u8], cap: usize) -> (Vec<String>, Stats) {
        let settings = Settings {
            max_line_bytes: 40,
            max_json_lines: 4,
            ..Settings::default()
        };
        let inner: Box<dyn BufRead + '_> = if cap == 0 {
            Box::new(input)
        } else {
            Box::new(std::io::BufReader::with_capacity(cap, input))
        };
        let mut r = LineReader::new(inner, settings);
        let mut out = Vec::new();
        while let Some(f) = r.next_frame(true) {
            let joined = match f {
                Frame::Error(e) => {
                    r.error();
                    out.push(format!("error {e}"));
                    continue;
                }
                Frame::Line => false,
                Frame::Joined => true,
            };
            let loc = r.loc;
            let text = r.parse_frame(joined, |b| Ok(String::from_utf8_lossy(b).into_owned()));
            out.push(format!("{joined} {loc:?} {text:?}"));
        }
        (out, r.stats)
    }

    /// Lines framed in place in the reader's buffer are the lines the copying path frames,
    /// whatever the buffer size (lines across refills, over the cap, joined, unterminated).
    #[test]
    fn in_place_framing_matches_copying() {
        let input: &[u8] = b"first line\n\n  \n\x1e\nsecond\r\n{\"a\":1,\n  \"b\": 2\n}\n\
            a line that is longer than the forty byte cap of these settings\n\
            {\"open\":\nnot a continuation\n{\"x\":\n \"1\"\n \"2\"\n \"3\"\n \"4\"\n \"5\"\n}\n\
            exactly forty bytes long, the cap itself\nlast without newline";
        let reference = frames(input, 1);
        assert!(reference.0.len() > 8, "{:?}", reference.0);
        assert!(reference.1.balanced());
        for cap in [0, 2, 5, 16, 41, 64, 4096] {
            assert_eq!(frames(input, cap), reference, "cap {cap}");
        }
    }
}

#[cfg(test)]
mod scan_tests {
    use super::plain_string_end;
    use proptest::prelude::*;

    fn reference(b: &[u8]) -> Option<usize> {
        let i = b
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
        (b[i] == b'"').then_some(i)
    }

    #[test]
    fn examples() {
        assert_eq!(plain_string_end(b"abc\"x"), Some(3));
        assert_eq!(plain_string_end(b"0123456789abcdef\"rest"), Some(16));
        assert_eq!(plain_string_end(b"01234567\\89\"x"), None);
        assert_eq!(plain_string_end(b"0123456789\nabcdef\""), None);
        assert_eq!(plain_string_end(b"\xc3\xa9\xff\x80\x7f!\""), Some(6));
        assert_eq!(plain_string_end(b"no quote at all, long enough"), None);
        assert_eq!(plain_string_end(b""), None);
    }

    proptest! {
        #[test]
        fn agrees_with_bytewise_scan(b in proptest::collection::vec(prop_oneof![
            Just(b'"'), Just(b'\\'), Just(0x1fu8), Just(0x20u8), Just(0x21u8), Just(0x80u8),
            Just(0xffu8), Just(0x00u8), any::<u8>()], 0..40)) {
            prop_assert_eq!(plain_string_end(&b), reference(&b));
            prop_assert_eq!(
                super::first_special_or_non_ascii(&b),
                b.iter().position(|&c| c == b'"' || c == b'\\' || !(0x20..0x80).contains(&c))
            );
        }
    }
}
