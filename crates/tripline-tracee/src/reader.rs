//! Streaming over `BufRead`: one result per event line, every other line counted, so that
//! `lines = records + errors + skipped + continuation_lines` always holds.

use std::io::{self, BufRead};

use memchr::memchr;

use crate::error::snippet;
use crate::line::{Kind, Record, SkipKind, classify, decode};
use crate::{Error, Settings};

/// What a [`Reader`] has seen so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// Lines read (a final line without `\n` counts).
    pub lines: u64,
    /// Events returned as `Ok`.
    pub records: u64,
    /// Lines (or documents) returned as `Err`.
    pub errors: u64,
    /// Skipped non-event lines, by [`SkipKind`] index order (see [`Counts::skipped`]).
    pub skipped_by_kind: [u64; 6],
    /// Lines after the first of a pretty-printed JSON document.
    pub continuation_lines: u64,
    /// Errors that were [`Error::TooLong`].
    pub too_long: u64,
    /// Errors that were [`Error::TooManyArgs`].
    pub too_many_args: u64,
    /// Events whose timestamp was relative to Tracee's start.
    pub relative_time: u64,
}

impl Counts {
    /// Skipped lines of one kind.
    pub fn skipped(&self, kind: SkipKind) -> u64 {
        self.skipped_by_kind[kind.index()]
    }

    /// All skipped lines.
    pub fn skipped_total(&self) -> u64 {
        self.skipped_by_kind.iter().sum()
    }

    /// Whether `lines = records + errors + skipped + continuation_lines`.
    pub fn balanced(&self) -> bool {
        self.lines == self.records + self.errors + self.skipped_total() + self.continuation_lines
    }
}

/// Reads Tracee output line by line: trace.Event and v1beta1 JSON lines become records;
/// logger, text-log and table lines are skipped and counted; a pretty-printed JSON document
/// (first line exactly `{`) is read as one record. A bad line is an `Err` and reading goes on.
///
/// Records borrow the reader's buffer, so iterate with [`Reader::next_record`]
/// (`while let Some(r) = reader.next_record() { … }`).
#[derive(Debug)]
pub struct Reader<R> {
    inner: R,
    settings: Settings,
    buf: Vec<u8>,
    /// The current line once validated as UTF-8: `buf`'s allocation, lent as a `String` so
    /// the line is validated once (it goes back to `buf` for the next line).
    text: String,
    line: u64,
    offset: u64,
    counts: Counts,
    done: bool,
}

struct LineRead {
    len: u64,
    truncated: bool,
}

/// Brace depth of JSON text, tracked across lines, ignoring braces inside strings.
#[derive(Default)]
struct Depth {
    depth: i64,
    in_str: bool,
    esc: bool,
}

impl Depth {
    fn feed(&mut self, bytes: &[u8]) {
        for &c in bytes {
            if self.in_str {
                if self.esc {
                    self.esc = false;
                } else if c == b'\\' {
                    self.esc = true;
                } else if c == b'"' {
                    self.in_str = false;
                }
            } else {
                match c {
                    b'"' => self.in_str = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => self.depth -= 1,
                    _ => {}
                }
            }
        }
    }
}

impl<R: BufRead> Reader<R> {
    /// A reader with default [`Settings`].
    pub fn new(inner: R) -> Self {
        Self::with_settings(inner, Settings::default())
    }

    /// A reader with explicit settings.
    pub fn with_settings(inner: R, settings: Settings) -> Self {
        Reader {
            inner,
            settings,
            buf: Vec::new(),
            text: String::new(),
            line: 0,
            offset: 0,
            counts: Counts::default(),
            done: false,
        }
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Counts so far.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// Lines consumed so far.
    pub fn line_number(&self) -> u64 {
        self.line
    }

    /// Appends one line (without its `\n`) to `buf`, keeping at most `max_line_bytes` in it.
    fn read_line(&mut self) -> io::Result<Option<LineRead>> {
        let limit = self.settings.max_line_bytes;
        let mut any = false;
        let mut len = 0u64;
        let mut truncated = false;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                break;
            }
            any = true;
            let nl = memchr(b'\n', avail);
            let chunk = &avail[..nl.unwrap_or(avail.len())];
            let room = limit.saturating_sub(self.buf.len());
            if chunk.len() > room {
                truncated = true;
                self.buf.extend_from_slice(&chunk[..room]);
            } else {
                self.buf.extend_from_slice(chunk);
            }
            len += chunk.len() as u64;
            let used = nl.map_or(chunk.len(), |i| i + 1);
            self.inner.consume(used);
            self.offset += used as u64;
            if nl.is_some() {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Some(LineRead { len, truncated }))
    }

    fn fail(&mut self, e: Error) -> Option<Result<Record<'_>, Error>> {
        Some(Err(count_error(&mut self.counts, e)))
    }

    /// Peeks at the buffered input: does the next line look like the inside of a
    /// pretty-printed document (indented, or a key, or the closing brace)?
    fn next_line_continues_document(&mut self) -> bool {
        let Ok(buf) = self.inner.fill_buf() else {
            return false;
        };
        match buf.iter().find(|&&c| c != b' ' && c != b'\t') {
            Some(b'"' | b'}') => true,
            Some(_) => buf.first().is_some_and(|&c| c == b' ' || c == b'\t'),
            None => false,
        }
    }

    /// Whether the next buffered line starts a new compact record (`{"` at column 0), which
    /// no pretty-printed continuation line does.
    fn next_line_starts_record(&mut self) -> bool {
        self.inner.fill_buf().is_ok_and(|b| b.starts_with(b"{\""))
    }

    /// Reads a pretty-printed document whose first line (`{`) is in `buf`.
    fn read_document(&mut self, line: u64, offset: u64) -> Result<(), Error> {
        let mut depth = Depth::default();
        depth.feed(&self.buf);
        let mut lines = 1u64;
        while depth.depth > 0 {
            if lines >= self.settings.max_record_lines as u64 || self.next_line_starts_record() {
                return Err(Error::Unterminated {
                    line,
                    offset,
                    lines,
                    snippet: snippet(&self.buf),
                });
            }
            self.buf.push(b'\n');
            let start = self.buf.len();
            let read = self.read_line().map_err(|source| Error::Io {
                line: self.line + 1,
                offset: self.offset,
                source,
            })?;
            let Some(read) = read else {
                self.buf.pop();
                return Err(Error::Unterminated {
                    line,
                    offset,
                    lines,
                    snippet: snippet(&self.buf),
                });
            };
            self.line += 1;
            self.counts.lines += 1;
            self.counts.continuation_lines += 1;
            lines += 1;
            if read.truncated {
                return Err(Error::TooLong {
                    line,
                    offset,
                    len: (self.buf.len() as u64).max(read.len),
                    limit: self.settings.max_line_bytes,
                    snippet: snippet(&self.buf),
                });
            }
            depth.feed(&self.buf[start..]);
        }
        Ok(())
    }

    /// The next event, skipping and counting non-event lines; `None` at end of input.
    pub fn next_record(&mut self) -> Option<Result<Record<'_>, Error>> {
        let (kind, line, offset) = loop {
            if self.done {
                return None;
            }
            if self.buf.capacity() == 0 {
                self.buf = std::mem::take(&mut self.text).into_bytes();
            }
            self.buf.clear();
            let line = self.line + 1;
            let offset = self.offset;
            let read = match self.read_line() {
                Ok(Some(r)) => r,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(source) => {
                    // The stream is unusable after an I/O error; report it once and stop.
                    self.done = true;
                    self.counts.lines += 1;
                    return self.fail(Error::Io {
                        line,
                        offset,
                        source,
                    });
                }
            };
            self.line += 1;
            self.counts.lines += 1;
            if read.truncated {
                let e = Error::TooLong {
                    line,
                    offset,
                    len: read.len,
                    limit: self.settings.max_line_bytes,
                    snippet: snippet(&self.buf),
                };
                return self.fail(e);
            }
            if self.buf.trim_ascii() == b"{"
                && self.next_line_continues_document()
                && let Err(e) = self.read_document(line, offset)
            {
                return self.fail(e);
            }
            let kind = match String::from_utf8(std::mem::take(&mut self.buf)) {
                Ok(text) => {
                    self.text = text;
                    classify(&self.text)
                }
                Err(e) => {
                    let valid_up_to = e.utf8_error().valid_up_to();
                    self.buf = e.into_bytes();
                    let e = Error::Utf8 {
                        line,
                        offset,
                        valid_up_to,
                        snippet: snippet(&self.buf),
                    };
                    return self.fail(e);
                }
            };
            if let Kind::Skip(k) = kind {
                self.counts.skipped_by_kind[k.index()] += 1;
                continue;
            }
            break (kind, line, offset);
        };
        let text = self.text.as_str();
        match decode(text, kind, &self.settings) {
            Ok(mut r) => {
                r.set_location(line, offset);
                self.counts.records += 1;
                if let Record::Trace(ev) = &r
                    && ev.is_relative_time(&self.settings)
                {
                    self.counts.relative_time += 1;
                }
                Some(Ok(r))
            }
            Err(e) => Some(Err(count_error(&mut self.counts, e.at(line, offset)))),
        }
    }
}

/// Counts an error by kind and hands it back.
fn count_error(counts: &mut Counts, e: Error) -> Error {
    counts.errors += 1;
    match e {
        Error::TooLong { .. } => counts.too_long += 1,
        Error::TooManyArgs { .. } => counts.too_many_args += 1,
        _ => {}
    }
    e
}

#[cfg(feature = "schema")]
impl<R: BufRead> Reader<R> {
    /// The next event, normalized; `None` at end of input.
    ///
    /// ```
    /// use tripline_tracee::{Normalizer, Reader};
    ///
    /// let input = "INFO: starting tracee...\n{\"timestamp\":1700000000000000000,\"eventName\":\"sched_process_exit\",\"args\":[{\"name\":\"exit_code\",\"type\":\"long\",\"value\":0}]}\n";
    /// let mut reader = Reader::new(input.as_bytes());
    /// let n = Normalizer::default().with_file("tracee.json");
    /// let ev = reader.next_event(&n).unwrap()?;
    /// assert_eq!(ev.action.as_deref(), Some("sched_process_exit"));
    /// assert_eq!(ev.location().and_then(|l| l.line), Some(2));
    /// assert!(reader.next_event(&n).is_none());
    /// assert_eq!(reader.counts().skipped_total(), 1);
    /// # Ok::<(), tripline_tracee::Error>(())
    /// ```
    pub fn next_event(
        &mut self,
        normalizer: &crate::Normalizer<'_>,
    ) -> Option<Result<tripline_schema::Event, Error>> {
        Some(self.next_record()?.map(|r| normalizer.normalize(&r)))
    }
}
