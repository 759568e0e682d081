//! Streaming readers: [`LogReader`] yields one [`LogLine`] per physical line,
//! [`MessageReader`] yields reassembled [`Message`]s.

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use super::detect::{Detect, LogParser};
use super::jsonfile::{FastParts, fast_parts, fast_parts_framed};
use super::line::{LogFormat, LogLine};
use super::partial::{Message, Reassembler, ReassemblyStats};
use crate::error::Location;
use crate::lines::{Frame, InPlace, LineReader};
use crate::{Error, Settings, Stats, Timestamp};

/// Reads log lines of any supported layout from a `BufRead`.
#[derive(Debug)]
pub struct LogReader<R> {
    lines: LineReader<R>,
    parser: LogParser,
}

impl<R: BufRead> LogReader<R> {
    /// A reader with format auto-detection and default [`Settings`].
    pub fn new(inner: R) -> Self {
        Self::with_parser(inner, LogParser::default(), Settings::default())
    }

    /// A reader with an explicit parser (detection policy, `--details`) and limits.
    pub fn with_parser(inner: R, parser: LogParser, settings: Settings) -> Self {
        let mut lines = LineReader::new(inner, settings);
        lines.multiline_json =
            !matches!(parser.detect, Detect::Fixed(f) if f != LogFormat::JsonFile);
        LogReader { lines, parser }
    }

    /// The next line borrowing the reader's buffer, or `None` at end of input.
    pub fn next_record(&mut self) -> Option<Result<LogLine<'_>, Error>> {
        self.next_located().map(|(_, r)| r)
    }

    /// Like [`LogReader::next_record`], with the line's location.
    pub fn next_located(&mut self) -> Option<(Location, Result<LogLine<'_>, Error>)> {
        let joined = match self.lines.next_frame(true)? {
            Frame::Error(e) => {
                self.lines.error();
                return Some((self.lines.loc, Err(e)));
            }
            Frame::Line => false,
            Frame::Joined => true,
        };
        let loc = self.lines.loc;
        let parser = &mut self.parser;
        Some((loc, self.lines.parse_frame(joined, |b| parser.parse(b))))
    }

    /// Where the last record or error started.
    pub fn location(&self) -> Location {
        self.lines.loc
    }

    /// Counters (`lines == records + errors + skipped + continuation`).
    pub fn stats(&self) -> Stats {
        self.lines.stats
    }

    /// The detection state.
    pub fn parser(&self) -> &LogParser {
        &self.parser
    }
}

impl<R: BufRead> Iterator for LogReader<R> {
    type Item = Result<LogLine<'static>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().map(|r| r.map(LogLine::into_owned))
    }
}

/// A framed line as [`MessageReader`] sees it.
enum Parsed<'b> {
    /// Read by the json-file fast path.
    Fast(FastParts<'b>),
    /// For the parser.
    Other(&'b [u8]),
    /// Not readable.
    Failed(Error),
}

/// Reads log lines and yields reassembled messages (partials joined per
/// (container, stream); dangling partials emitted flagged at end of input).
#[derive(Debug)]
pub struct MessageReader<R> {
    reader: LogReader<R>,
    out: Assembly,
    done: bool,
}

/// The reassembly side of a [`MessageReader`] (and of the `local` driver's
/// [`LocalMessageReader`](super::local::LocalMessageReader)), apart from its line reader
/// (whose buffer the lines it is given borrow).
#[derive(Debug)]
pub(crate) struct Assembly {
    reasm: Reassembler,
    container: Arc<str>,
    /// The file the lines come from, named in their messages.
    file: Option<Arc<Path>>,
    ready: VecDeque<Result<Message, Error>>,
    scratch: Vec<Message>,
}

impl Assembly {
    /// Reassembly of the lines of `container` (the key of lines that do not name their own).
    pub(crate) fn new(container: &str, settings: Settings) -> Self {
        Assembly {
            reasm: Reassembler::new(settings),
            container: container.into(),
            file: None,
            ready: VecDeque::new(),
            scratch: Vec::new(),
        }
    }

    /// The next message already complete, queued.
    #[inline]
    pub(crate) fn ready(&mut self) -> Option<Result<Message, Error>> {
        self.ready.pop_front()
    }

    /// End of input: the open partials, flushed flagged; the first returned, the rest queued.
    pub(crate) fn finish(&mut self) -> Option<Result<Message, Error>> {
        self.reasm.finish(&mut self.scratch);
        self.emit()
    }

    /// Flushes the open partials of `container` into the queue.
    pub(crate) fn container_exit(&mut self, container: &str) {
        self.reasm.container_exit(container, &mut self.scratch);
        self.ready.extend(self.scratch.drain(..).map(Ok));
    }

    /// Flushes the partials idle (by event time) as of `now` into the queue.
    pub(crate) fn flush_idle(&mut self, now: Timestamp) {
        self.reasm.flush_idle(now, &mut self.scratch);
        self.ready.extend(self.scratch.drain(..).map(Ok));
    }

    /// The lines that follow come from `file` (their messages name it).
    pub(crate) fn set_file(&mut self, file: Option<Arc<Path>>) {
        self.file = file;
    }

    /// Reassembly counters.
    pub(crate) fn stats(&self) -> ReassemblyStats {
        self.reasm.stats()
    }

    /// Takes a line read by the json-file fast path: its message, or the first of those it
    /// completed (the rest queued in `ready`), or `None`.
    #[inline(always)]
    fn fast(&mut self, p: FastParts<'_>, loc: Location) -> Option<Result<Message, Error>> {
        // The common case: a complete line of the writer's shape, no partial open: its
        // message is built from the parts (what `push` would emit), no `LogLine`.
        if !p.partial && self.reasm.complete_passes_through(Some(p.time)) {
            return Some(Ok(Reassembler::whole_json_line(&self.container, p, loc)));
        }
        self.line(&p.into_line(), loc)
    }

    /// Takes a line: its message, or the first of those it completed (the rest queued in
    /// `ready`), or `None`.
    #[inline(always)]
    pub(crate) fn line(
        &mut self,
        line: &LogLine<'_>,
        loc: Location,
    ) -> Option<Result<Message, Error>> {
        let named;
        let key = match line.own_key() {
            Some(s) => {
                named = Arc::from(s);
                &named
            }
            None => &self.container,
        };
        // One complete line in, its message out, built where it is returned (no queue, no
        // moves of the message).
        if self.reasm.passes_through(line) {
            return Some(Ok(Reassembler::whole_line(
                key,
                line,
                loc,
                self.file.as_ref(),
            )));
        }
        self.reasm
            .push(key, line, loc, self.file.as_ref(), &mut self.scratch);
        self.emit()
    }

    /// The messages the reassembler just put in `scratch`: a single one returned, several
    /// queued in `ready` (`None` then, and for none).
    #[inline(always)]
    fn emit(&mut self) -> Option<Result<Message, Error>> {
        if self.scratch.len() == 1 {
            return self.scratch.pop().map(Ok);
        }
        self.ready.extend(self.scratch.drain(..).map(Ok));
        None
    }
}

impl<R: BufRead> MessageReader<R> {
    /// Messages of one container (`container` keys the partial buffers; compose lines use
    /// their prefix name instead).
    pub fn new(inner: R, container: &str) -> Self {
        Self::with_parser(inner, container, LogParser::default(), Settings::default())
    }

    /// With an explicit parser and limits.
    pub fn with_parser(inner: R, container: &str, parser: LogParser, settings: Settings) -> Self {
        MessageReader {
            reader: LogReader::with_parser(inner, parser, settings.clone()),
            out: Assembly::new(container, settings),
            done: false,
        }
    }

    /// Flushes the open partials of `container` (call on its `die`/`destroy` event).
    pub fn container_exit(&mut self, container: &str) {
        self.out.container_exit(container);
    }

    /// Line counters.
    pub fn stats(&self) -> Stats {
        self.reader.stats()
    }

    /// Reassembly counters.
    pub fn reassembly_stats(&self) -> ReassemblyStats {
        self.out.stats()
    }
}

impl<R: BufRead> Iterator for MessageReader<R> {
    type Item = Result<Message, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(m) = self.out.ready() {
                return Some(m);
            }
            if self.done {
                return None;
            }
            // Once json-file is settled, a line of the writer's shape parses to what
            // `fast_parts` reads (it starts with `{`, so detection and the NUL check agree).
            let json = self.reader.parser.settled() == Some(LogFormat::JsonFile);
            // Such a line complete in the reader's buffer is framed and read in one pass,
            // with no search for its end first.
            if json {
                match self.reader.lines.frame_in_place(fast_parts_framed) {
                    InPlace::Read(p, loc, stats) => {
                        stats.records += 1;
                        match self.out.fast(p, loc) {
                            Some(m) => return Some(m),
                            None => continue,
                        }
                    }
                    InPlace::Error(e) => {
                        self.reader.lines.error();
                        return Some(Err(e));
                    }
                    InPlace::No => {}
                }
            }
            // `LogReader::next_located`, inlined so that the common message is built where it
            // is returned.
            let joined = match self.reader.lines.next_frame(true) {
                None => {
                    self.done = true;
                    match self.out.finish() {
                        Some(m) => return Some(m),
                        None => continue,
                    }
                }
                Some(Frame::Error(e)) => {
                    self.reader.lines.error();
                    return Some(Err(e));
                }
                Some(Frame::Line) => false,
                Some(Frame::Joined) => true,
            };
            let loc = self.reader.lines.loc;
            let (bytes, stats) = self.reader.lines.frame(joined);
            let parsed = match bytes {
                Ok(b) => match if json { fast_parts(b) } else { None } {
                    Some(p) => Parsed::Fast(p),
                    None => Parsed::Other(b),
                },
                Err(e) => Parsed::Failed(e),
            };
            let line = match parsed {
                Parsed::Fast(p) => {
                    stats.records += 1;
                    match self.out.fast(p, loc) {
                        Some(m) => return Some(m),
                        None => continue,
                    }
                }
                Parsed::Other(b) => self.reader.parser.parse(b),
                Parsed::Failed(e) => Err(e),
            };
            let line = match line {
                Ok(l) => {
                    stats.records += 1;
                    l
                }
                Err(e) => {
                    stats.errors += 1;
                    return Some(Err(e.at(loc)));
                }
            };
            if let Some(m) = self.out.line(&line, loc) {
                return Some(m);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of the writer's shape read in place obeys the line length cap as a framed
    /// line does: accepted up to the cap, a `Limit` error one byte over it.
    #[test]
    fn in_place_lines_obey_the_length_cap() {
        let line = r#"{"log":"hello\n","stream":"stdout","time":"2024-01-01T00:00:00Z"}"#;
        let text = [line; 4].join("\n") + "\n";
        for (max, ok) in [
            (line.len() - 1, false),
            (line.len(), true),
            (line.len() + 1, true),
        ] {
            let settings = Settings {
                max_line_bytes: max,
                ..Settings::default()
            };
            let mut r = MessageReader::with_parser(
                text.as_bytes(),
                "c",
                LogParser::new(Detect::Fixed(LogFormat::JsonFile)),
                settings,
            );
            let got: Vec<_> = r.by_ref().collect();
            assert_eq!(got.len(), 4, "{max}");
            for m in &got {
                match m {
                    Ok(m) => assert!(ok && m.text == b"hello", "{max} {m:?}"),
                    Err(e) => assert!(!ok && matches!(e, Error::Limit { .. }), "{max} {e:?}"),
                }
            }
            let s = r.stats();
            assert_eq!(
                (s.lines, s.records, s.errors),
                (4, if ok { 4 } else { 0 }, 4 - s.records)
            );
            assert_eq!(s.limited, if ok { 0 } else { 4 });
        }
    }
}
