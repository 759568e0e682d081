//! Reading a container's rotated json-file logs (`<id>-json.log.N[.gz]` … `<id>-json.log`)
//! in time order, and following the live file across rotations without losing or
//! duplicating lines. The `local` driver's files rotate the same way and are followed by
//! [`LocalFollower`](super::local::LocalFollower), which shares the file handling here.
//!
//! Docker rotates by rename (`.log` → `.log.1`, `.1` → `.2` …) and may gzip `.1` to
//! `.1.gz` in the background. One [`Reassembler`] spans all files, so a partial line that
//! straddles a rotation is joined.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::detect::LogParser;
use super::partial::{Message, Reassembler};
use crate::error::{Limit, Location, Snippet};
use crate::{Error, Settings, Stats};

/// The files of a rotated log, oldest first, the live file last (if it exists).
pub fn rotated_files(base: &Path) -> io::Result<Vec<PathBuf>> {
    let dir = base
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = base
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "log path has no file name"))?;
    let prefix = format!("{name}.");
    let mut rotated: Vec<(u64, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let fname = entry.file_name();
        let Some(f) = fname.to_str() else { continue };
        let Some(rest) = f.strip_prefix(&prefix) else {
            continue;
        };
        let num = rest.strip_suffix(".gz").unwrap_or(rest);
        if let Ok(n) = num.parse::<u64>() {
            // If both `.N` and `.N.gz` exist (compression in progress), read the plain one.
            if rotated.iter().any(|(m, _)| *m == n) {
                if !rest.ends_with(".gz") {
                    rotated.retain(|(m, _)| *m != n);
                } else {
                    continue;
                }
            }
            rotated.push((n, entry.path()));
        }
    }
    rotated.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut files: Vec<PathBuf> = rotated.into_iter().map(|(_, p)| p).collect();
    if base.exists() {
        files.push(base.to_path_buf());
    }
    Ok(files)
}

/// The json-file log (`*-json.log`) inside a container directory.
pub fn container_log_path(dir: &Path) -> io::Result<Option<PathBuf>> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with("-json.log"))
        {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

fn open_any(path: &Path) -> io::Result<Box<dyn Read>> {
    let f = File::open(path)?;
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(
            io::BufReader::new(f),
        )))
    } else {
        Ok(Box::new(f))
    }
}

fn container_from_path(base: &Path) -> Arc<str> {
    let name = base.file_name().and_then(|n| n.to_str()).unwrap_or("");
    Arc::from(name.split("-json.log").next().unwrap_or(name))
}

/// Splits fed bytes into lines, parses and reassembles them.
#[derive(Debug)]
struct Core {
    parser: LogParser,
    reasm: Reassembler,
    settings: Settings,
    container: Arc<str>,
    carry: Vec<u8>,
    discarding: Option<usize>,
    line_no: u64,
    offset: u64,
    file: Option<Arc<Path>>,
    stats: Stats,
    scratch: Vec<Message>,
}

impl Core {
    fn new(parser: LogParser, settings: Settings, container: Arc<str>) -> Self {
        Core {
            parser,
            reasm: Reassembler::new(settings.clone()),
            settings,
            container,
            carry: Vec::new(),
            discarding: None,
            line_no: 0,
            offset: 0,
            file: None,
            stats: Stats::default(),
            scratch: Vec::new(),
        }
    }

    fn start_file(&mut self, path: &Path, offset: u64) {
        self.file = Some(Arc::from(path));
        self.line_no = 0;
        self.offset = offset;
        self.carry.clear();
        self.discarding = None;
    }

    fn line(
        &mut self,
        line_start: u64,
        total: usize,
        body: &[u8],
        out: &mut VecDeque<Result<Message, Error>>,
    ) {
        self.line_no += 1;
        self.stats.lines += 1;
        self.stats.bytes += total as u64;
        let loc = Location {
            line: self.line_no,
            offset: line_start,
        };
        if crate::lines::trim(body).is_empty() {
            self.stats.skipped += 1;
            return;
        }
        match self.parser.parse(body) {
            Ok(l) => {
                self.stats.records += 1;
                let key: Arc<str> = match l.own_key() {
                    Some(s) => Arc::from(s),
                    None => self.container.clone(),
                };
                self.reasm
                    .push(&key, &l, loc, self.file.as_ref(), &mut self.scratch);
                out.extend(self.scratch.drain(..).map(Ok));
            }
            Err(e) => {
                self.stats.errors += 1;
                out.push_back(Err(e.at(loc)));
            }
        }
    }

    fn feed(&mut self, mut data: &[u8], out: &mut VecDeque<Result<Message, Error>>) {
        while !data.is_empty() {
            let nl = memchr::memchr(b'\n', data);
            let take = nl.map_or(data.len(), |i| i + 1);
            if let Some(seen) = self.discarding.as_mut() {
                *seen += take;
                if nl.is_some() {
                    let total = *seen;
                    self.discarding = None;
                    self.line_no += 1;
                    self.stats.lines += 1;
                    self.stats.bytes += total as u64;
                    self.stats.errors += 1;
                    self.stats.limited += 1;
                    out.push_back(Err(Error::Limit {
                        at: Location {
                            line: self.line_no,
                            offset: self.offset,
                        },
                        limit: Limit::LineBytes,
                        actual: total - 1,
                        max: self.settings.max_line_bytes,
                        snippet: Snippet::of(&self.carry),
                    }));
                    self.carry.clear();
                    self.offset += total as u64;
                }
                data = &data[take..];
                continue;
            }
            match nl {
                Some(i) => {
                    let start = self.offset;
                    let total = self.carry.len() + i + 1;
                    if self.carry.is_empty() {
                        self.line(start, total, &data[..i], out);
                    } else {
                        let mut line = std::mem::take(&mut self.carry);
                        line.extend_from_slice(&data[..i]);
                        self.line(start, total, &line, out);
                        line.clear();
                        self.carry = line;
                    }
                    self.offset = start + total as u64;
                }
                None => {
                    self.carry.extend_from_slice(data);
                    if self.carry.len() > self.settings.max_line_bytes {
                        self.discarding = Some(self.carry.len());
                        self.carry.truncate(crate::error::SNIPPET_MAX);
                    }
                }
            }
            data = &data[take..];
        }
    }

    /// An unterminated tail at the end of a finished file is a (damaged) line of its own.
    fn end_file(&mut self, out: &mut VecDeque<Result<Message, Error>>) {
        if let Some(seen) = self.discarding.take() {
            self.line_no += 1;
            self.stats.lines += 1;
            self.stats.bytes += seen as u64;
            self.stats.errors += 1;
            self.stats.limited += 1;
            out.push_back(Err(Error::Limit {
                at: Location {
                    line: self.line_no,
                    offset: self.offset,
                },
                limit: Limit::LineBytes,
                actual: seen,
                max: self.settings.max_line_bytes,
                snippet: Snippet::of(&self.carry),
            }));
            self.offset += seen as u64;
        } else if !self.carry.is_empty() {
            let line = std::mem::take(&mut self.carry);
            let start = self.offset;
            self.line(start, line.len(), &line, out);
            self.offset += line.len() as u64;
        }
        self.carry.clear();
    }

    fn finish(&mut self, out: &mut VecDeque<Result<Message, Error>>) {
        self.reasm.finish(&mut self.scratch);
        out.extend(self.scratch.drain(..).map(Ok));
    }
}

/// Reads every file of a rotated log once, oldest first, yielding reassembled messages.
#[derive(Debug)]
pub struct LogDirReader {
    files: VecDeque<PathBuf>,
    core: Core,
    ready: VecDeque<Result<Message, Error>>,
    buf: Vec<u8>,
    done: bool,
}

impl LogDirReader {
    /// Reads `base` (`<id>-json.log`) and its rotated siblings; the container key is the
    /// file's `<id>`.
    pub fn open(base: &Path) -> io::Result<Self> {
        Self::with_parser(base, LogParser::default(), Settings::default())
    }

    /// Reads the json-file log found in a container directory.
    pub fn open_container_dir(dir: &Path) -> io::Result<Self> {
        let base = container_log_path(dir)?
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no *-json.log in directory"))?;
        Self::open(&base)
    }

    /// With an explicit parser and limits.
    pub fn with_parser(base: &Path, parser: LogParser, settings: Settings) -> io::Result<Self> {
        Ok(LogDirReader {
            files: rotated_files(base)?.into(),
            core: Core::new(parser, settings, container_from_path(base)),
            ready: VecDeque::new(),
            buf: vec![0; 64 * 1024],
            done: false,
        })
    }

    /// Line counters over all files.
    pub fn stats(&self) -> Stats {
        self.core.stats
    }

    /// Reassembly counters.
    pub fn reassembly_stats(&self) -> super::partial::ReassemblyStats {
        self.core.reasm.stats()
    }

    fn read_file(&mut self, path: &Path) -> Result<(), Error> {
        let io_err = |source| Error::Io {
            at: Location::default(),
            source,
        };
        let mut r = open_any(path).map_err(io_err)?;
        self.core.start_file(path, 0);
        loop {
            let n = match r.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.core.end_file(&mut self.ready);
                    return Err(io_err(e));
                }
            };
            let (core, buf, ready) = (&mut self.core, &self.buf, &mut self.ready);
            core.feed(&buf[..n], ready);
        }
        self.core.end_file(&mut self.ready);
        Ok(())
    }
}

impl Iterator for LogDirReader {
    type Item = Result<Message, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(m) = self.ready.pop_front() {
                return Some(m);
            }
            if self.done {
                return None;
            }
            match self.files.pop_front() {
                Some(p) => {
                    if let Err(e) = self.read_file(&p) {
                        self.ready.push_back(Err(e));
                    }
                }
                None => {
                    self.done = true;
                    self.core.finish(&mut self.ready);
                }
            }
        }
    }
}

/// Where a follower stopped: the file identity and the offset of the first byte not yet
/// consumed (complete lines only). Store it to resume after a restart.
///
/// A partial message still open in the reassembler is not part of the checkpoint: call
/// [`Follower::finish`] (which emits it flagged) before storing one, or accept that its
/// chunks are emitted as a dangling message now and the rest as another after resuming.
/// Resuming inside a file that was already gzipped is not possible (the inode changed);
/// the follower then starts at the live file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Checkpoint {
    /// Device number of the file.
    pub dev: u64,
    /// Inode number of the file.
    pub ino: u64,
    /// Byte offset to resume at.
    pub offset: u64,
}

/// Where a [`Follower`] starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Start {
    /// All rotated history, oldest first, then the live file.
    Beginning,
    /// Only lines written after opening.
    End,
    /// Resume exactly after a checkpoint: the file it names is found among the live and
    /// rotated (uncompressed) files and read from the offset, then every newer file.
    Checkpoint(Checkpoint),
}

#[cfg(unix)]
fn identity(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn identity(_m: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// What a followed file's bytes go through: the line splitter and parser of json-file and
/// the other line layouts ([`Follower`]), or the `local` driver's frame decoder
/// ([`LocalFollower`](super::local::LocalFollower)). [`Tail`] hands it the bytes of each file
/// in order.
pub(crate) trait Feed {
    /// The bytes that follow are `path`'s from `offset` on.
    fn start_file(&mut self, path: &Path, offset: u64);
    /// More bytes of the current file.
    fn feed(&mut self, data: &[u8], out: &mut VecDeque<Result<Message, Error>>);
    /// The current file has ended (read to its end after a rotation, truncated, or the
    /// follower finishes): a tail held back is damage or a line of its own now.
    fn end_file(&mut self, out: &mut VecDeque<Result<Message, Error>>);
    /// The offset in the current file to resume at, `pos` bytes of it having been fed:
    /// after the last item reported.
    fn resume_offset(&self, pos: u64) -> u64;
}

impl Feed for Core {
    fn start_file(&mut self, path: &Path, offset: u64) {
        Core::start_file(self, path, offset);
    }

    fn feed(&mut self, data: &[u8], out: &mut VecDeque<Result<Message, Error>>) {
        Core::feed(self, data, out);
    }

    fn end_file(&mut self, out: &mut VecDeque<Result<Message, Error>>) {
        Core::end_file(self, out);
    }

    fn resume_offset(&self, pos: u64) -> u64 {
        pos - self.carry.len() as u64
    }
}

/// The files of a followed log: the rotated backlog still to read, and the live file, held
/// open by handle across renames. Shared by [`Follower`] and
/// [`LocalFollower`](super::local::LocalFollower), which bring their own [`Feed`].
#[derive(Debug)]
pub(crate) struct Tail {
    base: PathBuf,
    backlog: VecDeque<(PathBuf, u64)>,
    live: Option<(File, (u64, u64))>,
    pos: u64,
    buf: Vec<u8>,
}

/// What a [`Tail`] counts, kept by its follower (public fields there).
pub(crate) struct Counts<'a> {
    /// Rotations followed.
    pub(crate) rotations: &'a mut u64,
    /// Times the live file shrank under us.
    pub(crate) truncations: &'a mut u64,
}

impl Tail {
    /// Starts following `base` at `start`, feeding `core`.
    pub(crate) fn open(base: &Path, start: Start, core: &mut impl Feed) -> io::Result<Self> {
        let mut f = Tail {
            base: base.to_path_buf(),
            backlog: VecDeque::new(),
            live: None,
            pos: 0,
            buf: vec![0; 64 * 1024],
        };
        match start {
            Start::Beginning => {
                let files = rotated_files(base)?;
                for p in files.into_iter().filter(|p| p != base) {
                    f.backlog.push_back((p, 0));
                }
                f.open_live(0, core)?;
            }
            Start::End => {
                let len = std::fs::metadata(base).map(|m| m.len()).unwrap_or(0);
                f.open_live(len, core)?;
            }
            Start::Checkpoint(cp) => {
                let files = rotated_files(base)?;
                let mut found = None;
                for (i, p) in files.iter().enumerate() {
                    if p.extension().is_some_and(|e| e == "gz") {
                        continue;
                    }
                    if let Ok(m) = std::fs::metadata(p)
                        && identity(&m) == (cp.dev, cp.ino)
                    {
                        found = Some(i);
                    }
                }
                match found {
                    Some(i) if files[i] == base => f.open_live(cp.offset, core)?,
                    Some(i) => {
                        f.backlog.push_back((files[i].clone(), cp.offset));
                        for p in &files[i + 1..] {
                            if p != base {
                                f.backlog.push_back((p.clone(), 0));
                            }
                        }
                        f.open_live(0, core)?;
                    }
                    None => f.open_live(0, core)?,
                }
            }
        }
        Ok(f)
    }

    fn open_live(&mut self, offset: u64, core: &mut impl Feed) -> io::Result<()> {
        match File::open(&self.base) {
            Ok(mut file) => {
                let id = identity(&file.metadata()?);
                file.seek(SeekFrom::Start(offset))?;
                self.pos = offset;
                self.live = Some((file, id));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.live = None;
                self.pos = 0;
            }
            Err(e) => return Err(e),
        }
        if self.backlog.is_empty() {
            core.start_file(&self.base, self.pos);
        }
        Ok(())
    }

    /// Reads everything new, handling rotation; returns how many items were appended.
    pub(crate) fn poll(
        &mut self,
        core: &mut impl Feed,
        counts: Counts<'_>,
        out: &mut Vec<Result<Message, Error>>,
    ) -> io::Result<usize> {
        let mut ready = VecDeque::new();
        while let Some((p, off)) = self.backlog.pop_front() {
            let mut r = open_any(&p)?;
            if off > 0 {
                io::copy(&mut r.by_ref().take(off), &mut io::sink())?;
            }
            core.start_file(&p, off);
            loop {
                let n = r.read(&mut self.buf)?;
                if n == 0 {
                    break;
                }
                core.feed(&self.buf[..n], &mut ready);
            }
            core.end_file(&mut ready);
            if self.backlog.is_empty() {
                core.start_file(&self.base, self.pos);
            }
        }
        loop {
            self.drain_live(core, &mut ready)?;
            // Rotated (renamed away) or recreated?
            let now = std::fs::metadata(&self.base).ok();
            let rotated = match (&self.live, &now) {
                (Some((_, id)), Some(m)) => identity(m) != *id,
                (Some(_), None) => false,
                (None, Some(_)) => true,
                (None, None) => false,
            };
            if !rotated {
                if let (Some((_, _)), Some(m)) = (&self.live, &now)
                    && m.len() < self.pos
                {
                    *counts.truncations += 1;
                    core.end_file(&mut ready);
                    self.open_live(0, core)?;
                    core.start_file(&self.base, 0);
                    continue;
                }
                break;
            }
            // The old handle is drained; a tail it left unfinished ends that file.
            if self.live.is_some() {
                *counts.rotations += 1;
                self.drain_live(core, &mut ready)?;
                core.end_file(&mut ready);
            }
            self.open_live(0, core)?;
        }
        let n = ready.len();
        out.extend(ready);
        Ok(n)
    }

    fn drain_live(
        &mut self,
        core: &mut impl Feed,
        ready: &mut VecDeque<Result<Message, Error>>,
    ) -> io::Result<()> {
        let Some((file, _)) = self.live.as_mut() else {
            return Ok(());
        };
        loop {
            let n = match file.read(&mut self.buf) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                return Ok(());
            }
            self.pos += n as u64;
            core.feed(&self.buf[..n], ready);
        }
    }

    /// The resume point: the live file and the offset `core` resumes at.
    pub(crate) fn checkpoint(&self, core: &impl Feed) -> Option<Checkpoint> {
        let (_, (dev, ino)) = self.live.as_ref()?;
        Some(Checkpoint {
            dev: *dev,
            ino: *ino,
            offset: core.resume_offset(self.pos),
        })
    }
}

/// Follows a growing json-file log across rotations (`docker logs --follow` on files; the
/// `local` driver's binary files are followed by
/// [`LocalFollower`](super::local::LocalFollower)).
///
/// The live file stays open by handle: after Docker renames it to `.1` the follower drains
/// it to its end, then opens the new live file from offset 0, so nothing is read twice or
/// skipped. A shrinking file (copy-truncate) is re-read from 0 and counted in `truncations`.
#[derive(Debug)]
pub struct Follower {
    tail: Tail,
    core: Core,
    /// How many rotations were followed.
    pub rotations: u64,
    /// How many times the live file shrank under us.
    pub truncations: u64,
}

impl Follower {
    /// Starts following `base`.
    pub fn open(base: &Path, start: Start) -> io::Result<Self> {
        Self::with_parser(base, start, LogParser::default(), Settings::default())
    }

    /// With an explicit parser and limits.
    pub fn with_parser(
        base: &Path,
        start: Start,
        parser: LogParser,
        settings: Settings,
    ) -> io::Result<Self> {
        let mut core = Core::new(parser, settings, container_from_path(base));
        let tail = Tail::open(base, start, &mut core)?;
        Ok(Follower {
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

    /// Flushes open partials of a container (its `die`/`destroy` event).
    pub fn container_exit(&mut self, container: &str, out: &mut Vec<Result<Message, Error>>) {
        let mut v = Vec::new();
        self.core.reasm.container_exit(container, &mut v);
        out.extend(v.into_iter().map(Ok));
    }

    /// Flushes partials idle (by event time) as of `now`.
    pub fn flush_idle(&mut self, now: crate::Timestamp, out: &mut Vec<Result<Message, Error>>) {
        let mut v = Vec::new();
        self.core.reasm.flush_idle(now, &mut v);
        out.extend(v.into_iter().map(Ok));
    }

    /// Ends following: the unterminated tail and open partials are emitted flagged.
    pub fn finish(&mut self, out: &mut Vec<Result<Message, Error>>) {
        let mut ready = VecDeque::new();
        self.core.end_file(&mut ready);
        self.core.finish(&mut ready);
        out.extend(ready);
    }

    /// The resume point: the live file and the offset after the last complete line.
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        self.tail.checkpoint(&self.core)
    }

    /// Line counters.
    pub fn stats(&self) -> Stats {
        self.core.stats
    }
}
