//! Streaming over many lines: a zero-copy iterator over a `&str` and a `BufRead` reader.
//!
//! Accounting invariant (asserted in the tests): `lines = records − spliced + errors +
//! skipped`, where `skipped` are blank and `#` comment lines and `spliced` counts the extra
//! items (records, or errors) found inside another record's line.

use std::io::BufRead;

use crate::error::{Error, ErrorKind, Location, Snippet, Warning, WarningKind};
use crate::record::{Record, RecordBuf, trim_eol};
use crate::settings::Settings;

/// Line and record counts of a reader.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReaderStats {
    /// Lines read (a final line without newline counts).
    pub lines: u64,
    /// Records produced (including spliced ones).
    pub records: u64,
    /// Lines that produced an error instead of a record.
    pub errors: u64,
    /// Blank and `#` comment lines, skipped (and the `foreign` lines).
    pub skipped: u64,
    /// Lines that are not audit records, skipped under
    /// [`Settings::skip_foreign_lines`] (also counted in `skipped`).
    pub foreign: u64,
    /// Extra items found spliced inside another line: records, and records that failed to
    /// parse (those also in `errors` and `spliced_errors`).
    pub spliced: u64,
    /// Spliced parts that failed to parse (counted in `spliced` and `errors`).
    pub spliced_errors: u64,
    /// Lines longer than [`Settings::max_line_len`] (also counted in `errors`).
    pub too_long: u64,
    /// Lines that were not valid UTF-8 and were decoded lossily (still records or errors).
    pub invalid_utf8: u64,
    /// Records that carry at least one warning.
    pub records_with_warnings: u64,
}

impl ReaderStats {
    /// Whether every line is accounted for (`lines = records − spliced + errors + skipped`).
    pub fn balanced(&self) -> bool {
        self.lines + self.spliced == self.records + self.errors + self.skipped
    }
}

fn is_skippable(line: &str) -> bool {
    let t = line.trim_matches([' ', '\t', '\r']);
    t.is_empty() || t.starts_with('#')
}

fn is_skippable_bytes(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    t.is_empty() || t.starts_with(b"#")
}

/// Whether a line cannot be an audit record: it lacks a `type=` or an `audit(` header. Only
/// asked under [`Settings::skip_foreign_lines`].
fn is_foreign(line: &[u8]) -> bool {
    memchr::memmem::find(line, b"type=").is_none()
        || memchr::memmem::find(line, b"audit(").is_none()
}

fn too_long(line_no: u64, offset: u64, head: &[u8]) -> Error {
    Error::Parse {
        kind: ErrorKind::LineTooLong,
        detail: None,
        location: Location {
            line: line_no,
            offset,
            column: 0,
        },
        snippet: Snippet::new(head),
    }
}

/// Parses a record that starts at byte `from` of `line` (0, or a splice point).
fn parse_at<'a>(
    line: &'a str,
    from: usize,
    stats: &mut ReaderStats,
    line_no: u64,
    offset: u64,
) -> Result<Record<'a>, Error> {
    match Record::parse(&line[from..]) {
        Ok(r) => {
            let r = r.at(line_no, offset + from as u64);
            stats.records += 1;
            if from > 0 {
                stats.spliced += 1;
            }
            if !r.warnings().is_empty() {
                stats.records_with_warnings += 1;
            }
            Ok(r)
        }
        Err(e) => {
            stats.errors += 1;
            if from > 0 {
                // The line is already counted by its first record.
                stats.spliced += 1;
                stats.spliced_errors += 1;
            }
            Err(e.at(line_no, offset))
        }
    }
}

/// Zero-copy records of a whole string, like serde_json's `StreamDeserializer`.
///
/// ```
/// let log = "type=CWD msg=audit(1.000:7): cwd=\"/\"\n\ntype=EOE msg=audit(1.000:7):\n";
/// let mut it = tripline_auditd::StrRecords::new(log);
/// assert_eq!(it.next().unwrap().unwrap().type_name(), "CWD");
/// assert_eq!(it.next().unwrap().unwrap().type_name(), "EOE");
/// assert!(it.next().is_none());
/// assert_eq!(it.stats().skipped, 1);
/// ```
#[derive(Debug)]
pub struct StrRecords<'a> {
    rest: &'a str,
    offset: u64,
    line_no: u64,
    max_line_len: usize,
    skip_foreign: bool,
    splice: Option<(&'a str, usize, u64)>,
    stats: ReaderStats,
}

impl<'a> StrRecords<'a> {
    /// Iterates over the records of `input` with default [`Settings`].
    pub fn new(input: &'a str) -> Self {
        Self::with_settings(input, &Settings::default())
    }

    /// Iterates with explicit settings (only `max_line_len` and `skip_foreign_lines` apply
    /// here).
    pub fn with_settings(input: &'a str, settings: &Settings) -> Self {
        StrRecords {
            rest: input,
            offset: 0,
            line_no: 0,
            max_line_len: settings.max_line_len,
            skip_foreign: settings.skip_foreign_lines,
            splice: None,
            stats: ReaderStats::default(),
        }
    }

    /// Counts so far.
    pub fn stats(&self) -> ReaderStats {
        self.stats
    }
}

impl<'a> Iterator for StrRecords<'a> {
    type Item = Result<Record<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some((line, at, off)) = self.splice.take() {
            let r = parse_at(line, at, &mut self.stats, self.line_no, off);
            if let Ok(rec) = &r
                && let Some(rest) = rec.spliced_rest()
            {
                let next_at = rest.as_ptr() as usize - line.as_ptr() as usize;
                self.splice = Some((line, next_at, off));
            }
            return Some(r);
        }
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let end =
                memchr::memchr(b'\n', self.rest.as_bytes()).map_or(self.rest.len(), |p| p + 1);
            let raw = &self.rest[..end];
            self.rest = &self.rest[end..];
            let off = self.offset;
            self.offset += end as u64;
            self.line_no += 1;
            self.stats.lines += 1;
            let (line, _) = trim_eol(raw);
            if line.len() > self.max_line_len {
                self.stats.errors += 1;
                self.stats.too_long += 1;
                return Some(Err(too_long(self.line_no, off, line.as_bytes())));
            }
            if is_skippable(line) {
                self.stats.skipped += 1;
                continue;
            }
            if self.skip_foreign && is_foreign(line.as_bytes()) {
                self.stats.skipped += 1;
                self.stats.foreign += 1;
                continue;
            }
            let r = parse_at(raw, 0, &mut self.stats, self.line_no, off);
            if let Ok(rec) = &r
                && let Some(rest) = rec.spliced_rest()
            {
                let at = rest.as_ptr() as usize - raw.as_ptr() as usize;
                self.splice = Some((raw, at, off));
            }
            return Some(r);
        }
    }
}

/// Records from any [`BufRead`], reusing one line buffer.
///
/// [`Reader::next_record`] lends a zero-copy [`Record`] borrowing the buffer; the
/// [`Iterator`] implementation yields owned [`RecordBuf`]s. Invalid UTF-8 is decoded lossily
/// (the record gets a [`WarningKind::InvalidUtf8`] warning); over-long lines are skipped
/// without being buffered whole.
#[derive(Debug)]
pub struct Reader<R> {
    inner: R,
    bytes: Vec<u8>,
    text: String,
    settings: Settings,
    stats: ReaderStats,
    line_no: u64,
    offset: u64,
    line_offset: u64,
    splice: Option<usize>,
    lossy: bool,
    done: bool,
}

enum Fill {
    Line,
    TooLong,
    Eof,
    Io(std::io::Error),
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
            bytes: Vec::with_capacity(1024),
            text: String::with_capacity(1024),
            settings,
            stats: ReaderStats::default(),
            line_no: 0,
            offset: 0,
            line_offset: 0,
            splice: None,
            lossy: false,
            done: false,
        }
    }

    /// Counts so far.
    pub fn stats(&self) -> ReaderStats {
        self.stats
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Reads one line into `self.bytes` (without the newline), bounded by `max_line_len`.
    fn fill_line(&mut self) -> Fill {
        self.bytes.clear();
        let max = self.settings.max_line_len.saturating_add(2);
        let mut over = false;
        let mut any = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Fill::Io(e),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, found) = match memchr::memchr(b'\n', chunk) {
                Some(p) => (p + 1, true),
                None => (chunk.len(), false),
            };
            if !over {
                let room = max.saturating_sub(self.bytes.len());
                if take > room {
                    over = true;
                    self.bytes.extend_from_slice(&chunk[..room.min(take)]);
                } else {
                    self.bytes.extend_from_slice(&chunk[..take]);
                }
            }
            self.offset += take as u64;
            self.inner.consume(take);
            if found {
                break;
            }
        }
        if !any {
            return Fill::Eof;
        }
        if over {
            return Fill::TooLong;
        }
        if self.bytes.last() == Some(&b'\n') {
            self.bytes.pop();
        }
        if self.bytes.len() > self.settings.max_line_len {
            return Fill::TooLong;
        }
        Fill::Line
    }

    /// The next record, borrowing the reader's line buffer (`None` at end of input).
    pub fn next_record(&mut self) -> Option<Result<Record<'_>, Error>> {
        if let Some(at) = self.splice.take() {
            return Some(self.emit(at));
        }
        loop {
            if self.done {
                return None;
            }
            self.line_offset = self.offset;
            match self.fill_line() {
                Fill::Eof => {
                    self.done = true;
                    return None;
                }
                Fill::Io(e) => {
                    self.done = true;
                    self.stats.errors += 1;
                    return Some(Err(Error::Io {
                        location: Location {
                            line: self.line_no + 1,
                            offset: self.line_offset,
                            column: 0,
                        },
                        message: e.to_string(),
                    }));
                }
                Fill::TooLong => {
                    self.line_no += 1;
                    self.stats.lines += 1;
                    self.stats.errors += 1;
                    self.stats.too_long += 1;
                    return Some(Err(too_long(self.line_no, self.line_offset, &self.bytes)));
                }
                Fill::Line => {}
            }
            self.line_no += 1;
            self.stats.lines += 1;
            // Valid UTF-8 (the norm) is parsed in place; only invalid lines are copied.
            self.lossy = std::str::from_utf8(&self.bytes).is_err();
            if self.lossy {
                self.stats.invalid_utf8 += 1;
                self.text.clear();
                self.text.push_str(&String::from_utf8_lossy(&self.bytes));
                if is_skippable(&self.text) {
                    self.stats.skipped += 1;
                    continue;
                }
            } else if is_skippable_bytes(&self.bytes) {
                self.stats.skipped += 1;
                continue;
            }
            if self.settings.skip_foreign_lines && is_foreign(&self.bytes) {
                self.stats.skipped += 1;
                self.stats.foreign += 1;
                continue;
            }
            return Some(self.emit(0));
        }
    }

    fn emit(&mut self, at: usize) -> Result<Record<'_>, Error> {
        let text: &str = if self.lossy {
            &self.text
        } else {
            std::str::from_utf8(&self.bytes).unwrap_or_default()
        };
        let mut r = parse_at(text, at, &mut self.stats, self.line_no, self.line_offset);
        if let Ok(rec) = &mut r {
            if let Some(rest) = rec.spliced_rest() {
                self.splice = Some(rest.as_ptr() as usize - text.as_ptr() as usize);
            }
            if self.lossy {
                rec.push_warning(Warning {
                    kind: WarningKind::InvalidUtf8,
                    start: 0,
                    end: rec.line().len() as u32,
                });
            }
        }
        r
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<RecordBuf, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().map(|r| r.map(Record::into_owned_buf))
    }
}
