//! The streaming reader: one result per alert line (or pretty-printed JSON alert), non-alert
//! lines skipped and counted.

use std::io::{self, BufRead};

use crate::error::{Error, Location, snippet};
use crate::record::{Record, parse_alert};
use crate::settings::Settings;
use crate::text::{AlertClass, LineClass, SkipKind, classify};

/// Counters of a [`Reader`]. Always `lines == records + errors + skipped + continuation`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Lines read.
    pub lines: u64,
    /// Alerts returned.
    pub records: u64,
    /// JSON alerts among `records`.
    pub json: u64,
    /// Text alerts among `records`.
    pub text: u64,
    /// Lines that were an `Err`.
    pub errors: u64,
    /// Non-alert lines skipped.
    pub skipped: u64,
    /// Skipped blank lines.
    pub skipped_blank: u64,
    /// Skipped logger and foreign journal lines.
    pub skipped_logger: u64,
    /// Skipped banner lines.
    pub skipped_banner: u64,
    /// Skipped summary lines.
    pub skipped_summary: u64,
    /// Skipped unrecognized lines.
    pub skipped_other: u64,
    /// Lines after the first of a pretty-printed JSON alert (`jq .` output): the alert is
    /// one record, or one error, at its first line.
    pub continuation: u64,
    /// Lines over [`Settings::max_line_bytes`] (also counted in `errors`).
    pub lines_too_long: u64,
    /// Alerts over [`Settings::max_output_fields`] (also counted in `errors`).
    pub too_many_fields: u64,
    /// `k=v` pairs not recovered because of [`Settings::max_text_pairs`].
    pub text_pairs_truncated: u64,
    /// Lines with invalid UTF-8, read with replacement characters.
    pub invalid_utf8: u64,
    /// The last `Events detected: N` seen (alone or glued onto an alert line).
    pub events_detected: Option<u64>,
}

impl Stats {
    fn skip(&mut self, k: SkipKind) {
        self.skipped += 1;
        match k {
            SkipKind::Blank => self.skipped_blank += 1,
            SkipKind::Logger => self.skipped_logger += 1,
            SkipKind::Banner => self.skipped_banner += 1,
            SkipKind::Summary => self.skipped_summary += 1,
            SkipKind::Other => self.skipped_other += 1,
        }
    }
}

/// Nesting depth of JSON text read a line at a time: brackets outside strings, with the
/// string state carried from one line to the next.
#[derive(Default)]
struct Nesting {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl Nesting {
    /// Takes in one more piece of the document; `true` once the top-level value is closed.
    fn closed_after(&mut self, text: &[u8]) -> bool {
        for &c in text {
            match (self.in_string, self.escaped, c) {
                (true, true, _) => self.escaped = false,
                (true, false, b'\\') => self.escaped = true,
                (true, false, b'"') | (false, _, b'"') => self.in_string = !self.in_string,
                (false, _, b'{' | b'[') => self.depth += 1,
                (false, _, b'}' | b']') => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }
}

/// Reads Falco output line by line from any `BufRead`, auto-detecting JSON vs text per line.
/// A JSON alert pretty-printed over several lines (`jq .` of the alert file, webhook dumps)
/// is read whole when its first line is a lone `{`.
///
/// [`Reader::next_record`] lends records borrowing the reader's line buffer (no allocation
/// per field); the `Iterator` impl yields owned records.
///
/// ```
/// let input = "Falco version: 0.38.0\n{\"time\":\"2024-05-07T18:54:19.341081180Z\",\"rule\":\"R\",\"priority\":\"Warning\"}\n12:00:00.000000001: Notice x (a=b)\nEvents detected: 2\n";
/// let mut r = tripline_falco::Reader::new(input.as_bytes());
/// let mut n = 0;
/// while let Some(rec) = r.next_record() {
///     rec.unwrap();
///     n += 1;
/// }
/// assert_eq!(n, 2);
/// assert_eq!(r.stats().skipped, 2);
/// assert_eq!(r.stats().events_detected, Some(2));
/// ```
#[derive(Debug)]
pub struct Reader<R> {
    inner: R,
    settings: Settings,
    /// The bytes of the line being read.
    buf: Vec<u8>,
    /// The current line as text, validated once: the buffer itself moved in when it is
    /// UTF-8 (no copy), else its lossy replacement.
    line: String,
    line_no: u64,
    offset: u64,
    stats: Stats,
    failed: bool,
}

impl<R: BufRead> Reader<R> {
    /// A reader with default [`Settings`].
    pub fn new(inner: R) -> Self {
        Self::with_settings(inner, Settings::default())
    }

    /// A reader with explicit [`Settings`].
    pub fn with_settings(inner: R, settings: Settings) -> Self {
        Reader {
            inner,
            settings,
            buf: Vec::with_capacity(4096),
            line: String::new(),
            line_no: 0,
            offset: 0,
            stats: Stats::default(),
            failed: false,
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Reads one line into `buf`, keeping at most `max_line_bytes + 1` bytes of it.
    /// Returns the full line length and whether a newline ended it.
    fn read_line(&mut self) -> io::Result<Option<(usize, bool)>> {
        if self.buf.capacity() == 0 {
            // The previous line's buffer became `line`: take its allocation back.
            self.buf = std::mem::take(&mut self.line).into_bytes();
        }
        self.buf.clear();
        let mut total = 0usize;
        let mut any = false;
        let cap = self.settings.max_line_bytes.saturating_add(1);
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(any.then_some((total, false)));
            }
            any = true;
            let (chunk, used, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (&avail[..i], i + 1, true),
                None => (avail, avail.len(), false),
            };
            let room = cap.saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
            total += chunk.len();
            self.inner.consume(used);
            if done {
                return Ok(Some((total, true)));
            }
        }
    }

    /// The next alert, borrowing from the reader; `None` at the end of input.
    pub fn next_record(&mut self) -> Option<Result<Record<'_>, Error>> {
        let (class, at) = match self.advance()? {
            Ok(x) => x,
            Err(e) => return Some(Err(e)),
        };
        Some(self.parse_current(class, at).map(|(r, _)| r))
    }

    /// The next alert normalized into a finding (keeping the raw line and its location);
    /// `None` at the end of input.
    #[cfg(feature = "schema")]
    pub fn next_event(
        &mut self,
        opts: &crate::NormalizeOptions,
    ) -> Option<Result<tripline_schema::Event, Error>> {
        let (class, at) = match self.advance()? {
            Ok(x) => x,
            Err(e) => return Some(Err(e)),
        };
        let (record, line) = match self.parse_current(class, at) {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        // The line goes into the event once, straight from the reader's buffer (not through
        // a `String` in a cloned `opts`).
        Some(Ok(record.normalize_raw(opts, Some((line, at)))))
    }

    /// Reads lines until one that is (or claims to be) an alert, counting skipped lines.
    fn advance(&mut self) -> Option<Result<(AlertClass, Location), Error>> {
        loop {
            if self.failed {
                return None;
            }
            let at = Location {
                line: self.line_no + 1,
                offset: self.offset,
            };
            let (total, newline) = match self.read_line() {
                Ok(Some(x)) => x,
                Ok(None) => return None,
                Err(source) => {
                    self.failed = true;
                    self.stats.lines += 1;
                    self.stats.errors += 1;
                    return Some(Err(Error::Io { at, source }));
                }
            };
            self.line_no += 1;
            self.offset += total as u64 + u64::from(newline);
            self.stats.lines += 1;
            if total > self.settings.max_line_bytes {
                self.stats.errors += 1;
                self.stats.lines_too_long += 1;
                return Some(Err(Error::LineTooLong {
                    at,
                    len: total,
                    limit: self.settings.max_line_bytes,
                    snippet: snippet(&self.buf),
                }));
            }
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
            if self.buf.trim_ascii() == b"{"
                && self.next_line_continues_document()
                && let Err(e) = self.read_document(at)
            {
                self.stats.errors += 1;
                return Some(Err(e));
            }
            match String::from_utf8(std::mem::take(&mut self.buf)) {
                Ok(line) => self.line = line,
                Err(e) => {
                    self.buf = e.into_bytes();
                    self.stats.invalid_utf8 += 1;
                    self.line = String::from_utf8_lossy(&self.buf).into_owned();
                }
            }
            let text = self.line.as_str();
            match classify(text) {
                LineClass::Skip(kind) => {
                    if kind == SkipKind::Summary
                        && let Some(n) = text.trim().strip_prefix("Events detected:")
                    {
                        self.stats.events_detected = n.trim().parse().ok();
                    }
                    self.stats.skip(kind);
                }
                LineClass::Alert(class) => return Some(Ok((class, at))),
            }
        }
    }

    /// Whether the next buffered line looks like the inside of a pretty-printed object: a
    /// key, an indented line or the closing brace, never a new compact alert (`{"`).
    fn next_line_continues_document(&mut self) -> bool {
        let Ok(next) = self.inner.fill_buf() else {
            return false;
        };
        matches!(next.first(), Some(b' ' | b'\t' | b'"' | b'}'))
    }

    /// Appends the lines of a pretty-printed alert whose first line (`{`) is in `buf`, until
    /// its object closes. Each appended line counts in `lines` and `continuation`. The whole
    /// document is bounded by [`Settings::max_line_bytes`] and
    /// [`Settings::max_document_lines`]; past either, or at the end of input, it is one
    /// error at its first line, and what follows is read line by line again.
    fn read_document(&mut self, at: Location) -> Result<(), Error> {
        let mut doc = std::mem::take(&mut self.buf);
        let mut nesting = Nesting::default();
        nesting.closed_after(&doc);
        let mut lines = 1usize;
        let unterminated = |doc: &[u8], lines: usize| Error::Unterminated {
            at,
            lines,
            snippet: snippet(doc),
        };
        loop {
            if lines >= self.settings.max_document_lines {
                return Err(unterminated(&doc, lines));
            }
            let (total, newline) = match self.read_line() {
                Ok(Some(x)) => x,
                Ok(None) => return Err(unterminated(&doc, lines)),
                Err(source) => {
                    self.failed = true;
                    let at = Location {
                        line: self.line_no + 1,
                        offset: self.offset,
                    };
                    return Err(Error::Io { at, source });
                }
            };
            self.line_no += 1;
            self.offset += total as u64 + u64::from(newline);
            self.stats.lines += 1;
            self.stats.continuation += 1;
            lines += 1;
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
            if doc.len() + 1 + total > self.settings.max_line_bytes {
                self.stats.lines_too_long += 1;
                return Err(Error::LineTooLong {
                    at,
                    len: doc.len() + 1 + total,
                    limit: self.settings.max_line_bytes,
                    snippet: snippet(&doc),
                });
            }
            doc.push(b'\n');
            doc.extend_from_slice(&self.buf);
            if nesting.closed_after(&self.buf) {
                self.buf = doc;
                return Ok(());
            }
        }
    }

    /// Parses the current line (classified as an alert) and counts the outcome.
    fn parse_current(
        &mut self,
        class: AlertClass,
        at: Location,
    ) -> Result<(Record<'_>, &str), Error> {
        let text = self.line.as_str();
        match parse_alert(text, class, &self.settings) {
            Ok((r, dropped)) => {
                self.stats.records += 1;
                self.stats.text_pairs_truncated += dropped as u64;
                match &r {
                    Record::Json(_) => self.stats.json += 1,
                    Record::Text(t) => {
                        self.stats.text += 1;
                        if t.events_detected.is_some() {
                            self.stats.events_detected = t.events_detected;
                        }
                    }
                }
                Ok((r, text))
            }
            Err(e) => {
                self.stats.errors += 1;
                if matches!(e, Error::TooManyFields { .. }) {
                    self.stats.too_many_fields += 1;
                }
                Err(e.relocate(at))
            }
        }
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Record<'static>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().map(|r| r.map(Record::into_owned))
    }
}
