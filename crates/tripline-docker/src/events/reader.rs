//! Streaming reader over `docker events` output: NDJSON, `application/json-seq` (records
//! prefixed with `0x1E`), pretty-printed JSON, and the plain-text format, mixed freely.

use std::io::BufRead;

use super::record::EventRecord;
use super::text::parse_text_event;
use crate::error::Location;
use crate::lines::{Frame, LineReader, trim};
use crate::{Error, Settings, Stats};

/// Parses one event in any supported shape: JSON (with or without a `0x1E` prefix) or a
/// text line.
pub fn parse_event(b: &[u8]) -> Result<EventRecord<'_>, Error> {
    let body = trim(b);
    let body = body.strip_prefix(&[0x1e]).unwrap_or(body);
    if body.first() == Some(&b'{') {
        return EventRecord::from_slice(body);
    }
    if body.contains(&0) {
        return Err(Error::corrupt("NUL bytes", body));
    }
    let s = std::str::from_utf8(body).map_err(|_| Error::corrupt("invalid UTF-8", body))?;
    parse_text_event(s)
}

/// Reads events one per line (or per pretty-printed object) from a `BufRead`.
///
/// Blank lines and bare `0x1E` separators are skipped and counted; a bad line yields an
/// `Err` with its location and the reader goes on.
#[derive(Debug)]
pub struct EventReader<R> {
    lines: LineReader<R>,
}

impl<R: BufRead> EventReader<R> {
    /// A reader with default [`Settings`].
    pub fn new(inner: R) -> Self {
        Self::with_settings(inner, Settings::default())
    }

    /// A reader with explicit limits.
    pub fn with_settings(inner: R, settings: Settings) -> Self {
        EventReader {
            lines: LineReader::new(inner, settings),
        }
    }

    /// The next event borrowing the reader's buffer (no allocation for unescaped text), or
    /// `None` at end of input.
    pub fn next_record(&mut self) -> Option<Result<EventRecord<'_>, Error>> {
        let joined = match self.lines.next_frame(true)? {
            Frame::Error(e) => {
                self.lines.error();
                return Some(Err(e));
            }
            Frame::Line => false,
            Frame::Joined => true,
        };
        Some(self.lines.parse_frame(joined, parse_event))
    }

    /// Where the last record or error started.
    pub fn location(&self) -> Location {
        self.lines.loc
    }

    /// Counters (`lines == records + errors + skipped + continuation`).
    pub fn stats(&self) -> Stats {
        self.lines.stats
    }
}

impl<R: BufRead> Iterator for EventReader<R> {
    type Item = Result<EventRecord<'static>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().map(|r| r.map(EventRecord::into_owned))
    }
}
