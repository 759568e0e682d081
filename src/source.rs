//! Inputs: a file, a directory or stdin, read by its detected (or declared) format and
//! yielding normalized events.
//!
//! Every input is a stream (`Iterator<Item = Result<Event, InputError>>`): audit logs are
//! assembled into events by `tripline-auditd`, Docker events and container logs (json-file,
//! CRI, compose, journald exports, the `local` driver's binary frames; partial lines
//! reassembled) by `tripline-docker`, Falco alerts and Tracee events
//! by their crates. `docker inspect` JSON is not a stream: [`Sources`] loads it into the
//! [`EnrichmentCache`] that the pipeline's enrichment step reads. Every event carries
//! `raw.location` (file, 1-based line, byte offset) and an id; every error names file, line and
//! byte offset. Per-input [`InputCounts`] keep the readers' accounting:
//! `lines = records + errors + skipped + continuation`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tripline_docker::{
    EnrichmentCache, EventReader, LocalMessageReader, LocalReader, MessageReader,
};
use tripline_schema::{Event, Location, Raw};

use crate::detect::{Format, detect};

/// Bytes of an input's start used for format detection.
const SAMPLE_BYTES: usize = 64 * 1024;
/// Largest inspect document loaded whole into the enrichment cache.
const MAX_INSPECT_BYTES: u64 = 64 * 1024 * 1024;

/// An input could not be read, or one of its lines could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file could not be opened or read.
    #[error("{file}: {message}")]
    Io {
        /// File name (`-` for stdin).
        file: String,
        /// The I/O error.
        message: String,
    },
    /// No known format was recognized in the input's first lines.
    #[error("{file}: input format not recognized")]
    UnknownFormat {
        /// File name.
        file: String,
    },
    /// One line (or record) could not be parsed; the input goes on.
    #[error("{file}:{line} (byte {offset}): {message}")]
    Parse {
        /// File name.
        file: String,
        /// 1-based line (0 when unknown).
        line: u64,
        /// Byte offset of the line.
        offset: u64,
        /// What went wrong (the source crate's error, with its snippet when it has one).
        message: String,
    },
}

/// What an input read: `lines = records + errors + skipped + continuation`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct InputCounts {
    /// The input's name.
    pub file: String,
    /// The format it was read as (`auditd`, `docker-events`…).
    pub format: String,
    /// Physical lines read.
    pub lines: u64,
    /// Lines that were records (audit records, alerts, events, log lines).
    pub records: u64,
    /// Lines that were an error.
    pub errors: u64,
    /// Non-record lines skipped on purpose (blank lines, banners, logger lines).
    pub skipped: u64,
    /// Extra lines of multi-line records (pretty-printed JSON).
    pub continuation: u64,
    /// Normalized events produced (audit records assemble into fewer events; partial log
    /// lines join into one).
    pub events: u64,
    /// Bytes read.
    pub bytes: u64,
}

impl InputCounts {
    /// Whether every line is accounted for.
    pub fn balanced(&self) -> bool {
        self.lines == self.records + self.errors + self.skipped + self.continuation
    }
}

/// A reader that adds what it reads to shared counters (for progress bars and stats).
struct Counting<R> {
    inner: R,
    mine: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.mine.fetch_add(n as u64, Ordering::Relaxed);
        self.total.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

type Buf = BufReader<Counting<Box<dyn Read + Send>>>;

/// The open-per-format reader of one input.
enum State {
    Audit(Box<AuditState>),
    DockerEvents(EventReader<Buf>),
    Logs(MessageReader<Buf>),
    /// Container logs in the `local` driver's binary frames.
    LocalLogs(LocalMessageReader<Buf>),
    Falco(
        tripline_falco::Reader<Buf>,
        tripline_falco::NormalizeOptions,
    ),
    Tracee(
        tripline_tracee::Reader<Buf>,
        tripline_tracee::Normalizer<'static>,
    ),
}

/// One input stream of normalized events.
pub struct Input {
    name: String,
    format: Format,
    state: State,
    bytes: Arc<AtomicU64>,
    events: u64,
    done: bool,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("name", &self.name)
            .field("format", &self.format)
            .field("events", &self.events)
            .finish_non_exhaustive()
    }
}

fn container_key_from_path(name: &str) -> String {
    // `/var/lib/docker/containers/<id>/<id>-json.log[.N]`: the id names the container.
    let base = Path::new(name)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = base.split("-json.log").next().unwrap_or(&base);
    if stem.len() == 64 && stem.bytes().all(|b| b.is_ascii_hexdigit()) {
        stem.to_string()
    } else {
        String::new()
    }
}

/// The container a `local` driver log belongs to, by its place (`""` when it does not say).
fn local_container_key(name: &str) -> String {
    tripline_docker::local_log_container(Path::new(name))
        .unwrap_or_default()
        .to_string()
}

impl Input {
    fn new(name: String, format: Format, mut reader: Buf, bytes: Arc<AtomicU64>) -> Input {
        // Container logs in binary frames: the sample says (a read error recurs when read).
        let local = format == Format::ContainerLogs
            && reader.fill_buf().is_ok_and(crate::detect::is_local_log);
        let state = match format {
            Format::AuditLog => State::Audit(Box::new(AuditState::new(reader, name.clone()))),
            Format::DockerEventsJson | Format::DockerEventsText => {
                State::DockerEvents(EventReader::new(reader))
            }
            Format::FalcoJson | Format::FalcoText => {
                let mut opts = tripline_falco::NormalizeOptions::default();
                opts.file = Some(name.clone());
                State::Falco(tripline_falco::Reader::new(reader), opts)
            }
            Format::TraceeJson => State::Tracee(
                tripline_tracee::Reader::new(reader),
                tripline_tracee::Normalizer::default().with_file(name.clone()),
            ),
            _ if local => {
                State::LocalLogs(LocalReader::new(reader).messages(&local_container_key(&name)))
            }
            // Inspect files are loaded by `Sources`; anything else is a container log.
            _ => State::Logs(MessageReader::new(reader, &container_key_from_path(&name))),
        };
        Input {
            name,
            format,
            state,
            bytes,
            events: 0,
            done: false,
        }
    }

    /// The input's name (file path, or `-` for stdin).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The format it is read as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Line accounting so far (complete once the input is exhausted).
    pub fn counts(&self) -> InputCounts {
        let mut c = InputCounts {
            file: self.name.clone(),
            format: self.format.name().to_string(),
            events: self.events,
            bytes: self.bytes.load(Ordering::Relaxed),
            ..InputCounts::default()
        };
        match &self.state {
            State::Audit(a) => {
                (c.lines, c.records, c.errors, c.skipped) = a.counts();
            }
            State::DockerEvents(r) => {
                let s = r.stats();
                (c.lines, c.records, c.errors, c.skipped, c.continuation) =
                    (s.lines, s.records, s.errors, s.skipped, s.continuation);
            }
            State::Logs(r) => {
                let s = r.stats();
                (c.lines, c.records, c.errors, c.skipped, c.continuation) =
                    (s.lines, s.records, s.errors, s.skipped, s.continuation);
            }
            State::LocalLogs(r) => {
                // Each frame or damaged region counts as a line.
                let s = r.stats().to_stats();
                (c.lines, c.records, c.errors) = (s.lines, s.records, s.errors);
            }
            State::Falco(r, _) => {
                let s = r.stats();
                (c.lines, c.records, c.errors, c.skipped, c.continuation) =
                    (s.lines, s.records, s.errors, s.skipped, s.continuation);
            }
            State::Tracee(r, _) => {
                let s = r.counts();
                (c.lines, c.records, c.errors, c.skipped, c.continuation) = (
                    s.lines,
                    s.records,
                    s.errors,
                    s.skipped_total(),
                    s.continuation_lines,
                );
            }
        }
        c
    }

    fn next_raw(&mut self) -> Option<Result<Event, InputError>> {
        let name = self.name.as_str();
        let perr = |line: u64, offset: u64, message: String| InputError::Parse {
            file: name.to_string(),
            line,
            offset,
            message,
        };
        match &mut self.state {
            State::Audit(a) => a.next(),
            State::DockerEvents(r) => {
                let res = r.next()?;
                let loc = r.location();
                Some(match res {
                    Ok(rec) => {
                        let opts = tripline_docker::NormalizeOptions {
                            location: Some(loc),
                            file: Some(name),
                            ..tripline_docker::NormalizeOptions::default()
                        };
                        Ok(rec.normalize_with(&opts))
                    }
                    Err(e) => Err(perr(loc.line, loc.offset, e.to_string())),
                })
            }
            State::Logs(r) => Some(log_event(r.next()?, name, perr)),
            State::LocalLogs(r) => Some(log_event(r.next()?, name, perr)),
            State::Falco(r, opts) => Some(match r.next_event(opts)? {
                Ok(ev) => Ok(ev),
                Err(e) => {
                    let loc = e.location();
                    Err(perr(loc.line, loc.offset, e.to_string()))
                }
            }),
            State::Tracee(r, n) => Some(match r.next_event(n)? {
                Ok(ev) => Ok(ev),
                Err(e) => Err(perr(e.line(), e.offset(), e.to_string())),
            }),
        }
    }
}

/// The event of a container log message (of any layout), or its error located.
fn log_event(
    item: Result<tripline_docker::Message, tripline_docker::Error>,
    name: &str,
    perr: impl Fn(u64, u64, String) -> InputError,
) -> Result<Event, InputError> {
    match item {
        Ok(msg) => {
            // A sensor running as a container: its alert or event, not a log line.
            if let Some(ev) = crate::embedded::sensor_event(&msg, name) {
                return Ok(ev);
            }
            let opts = tripline_docker::NormalizeOptions {
                file: Some(name),
                ..tripline_docker::NormalizeOptions::default()
            };
            // The message is ours: its text moves into the event, not copied.
            Ok(msg.into_event_with(&opts))
        }
        Err(e) => {
            let (line, offset) = e.location().map_or((0, 0), |l| (l.line, l.offset));
            Err(perr(line, offset, e.to_string()))
        }
    }
}

impl Iterator for Input {
    type Item = Result<Event, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_raw() {
            None => {
                self.done = true;
                None
            }
            Some(Ok(mut ev)) => {
                self.events += 1;
                locate(&mut ev, &self.name, self.format);
                Some(Ok(ev))
            }
            Some(Err(e)) => Some(Err(e)),
        }
    }
}

/// Sets `raw.location.file` and an event id (`<format>:<file>:<line>`) where the source crate
/// left them out.
fn locate(ev: &mut Event, file: &str, format: Format) {
    let raw = ev.raw.get_or_insert_with(Raw::default);
    let loc = raw.location.get_or_insert_with(Location::default);
    if loc.file.is_none() {
        loc.file = Some(file.into());
    }
    if ev.id.is_none() {
        let line = loc.line.unwrap_or(0);
        let base = Path::new(file)
            .file_name()
            .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
        ev.id = Some(format!("{}:{base}:{line}", format.name()).into());
    }
}

/// Audit log reading: `tripline-auditd`'s [`Events`](tripline_auditd::Events) (bounded lines,
/// records assembled into events, each record remembering its line and offset) normalized
/// with the file name, so an event's location is its first record's line.
struct AuditState {
    events: tripline_auditd::Events<Buf>,
    file: String,
}

impl AuditState {
    fn new(mut reader: Buf, file: String) -> AuditState {
        // Default limits: lines up to 64 KiB (the kernel writes at most ~9 KB per record). A
        // kernel log (the kernel's own `audit: type=1300 audit(…)` printing, between other
        // kernel messages) skips and counts the other messages instead of reporting each.
        let kernel_log = reader.fill_buf().is_ok_and(|b| {
            String::from_utf8_lossy(b)
                .lines()
                .any(crate::detect::is_kernel_audit_line)
        });
        let settings = tripline_auditd::Settings::default().skip_foreign_lines(kernel_log);
        AuditState {
            events: tripline_auditd::Events::with_settings(reader, settings),
            file,
        }
    }

    fn next(&mut self) -> Option<Result<Event, InputError>> {
        Some(match self.events.next()? {
            Ok(ev) => Ok(tripline_auditd::normalize_in(&ev, &self.file)),
            Err(tripline_auditd::Error::Io { message, .. }) => Err(InputError::Io {
                file: self.file.clone(),
                message,
            }),
            Err(e) => {
                let loc = e.location();
                Err(InputError::Parse {
                    file: self.file.clone(),
                    line: loc.line,
                    offset: loc.offset,
                    message: e.to_string(),
                })
            }
        })
    }

    /// Lines as the facade counts them: a record (or a failed record) spliced into another's
    /// line is not a line.
    fn counts(&self) -> (u64, u64, u64, u64) {
        let s = self.events.reader_stats();
        (
            s.lines,
            s.records
                .saturating_sub(s.spliced.saturating_sub(s.spliced_errors)),
            s.errors.saturating_sub(s.spliced_errors),
            s.skipped,
        )
    }
}

/// Collects inputs: files, directories (their files, sorted, recursively), stdin; loads
/// `docker inspect` documents into the enrichment cache.
#[derive(Debug)]
pub struct Sources {
    inputs: Vec<Input>,
    cache: EnrichmentCache,
    errors: Vec<InputError>,
    inspect_files: Vec<String>,
    bytes_read: Arc<AtomicU64>,
    total_bytes: u64,
}

impl Default for Sources {
    fn default() -> Self {
        Sources::new()
    }
}

impl Sources {
    /// No inputs yet, an empty cache.
    pub fn new() -> Sources {
        Sources {
            inputs: Vec::new(),
            cache: EnrichmentCache::default(),
            errors: Vec::new(),
            inspect_files: Vec::new(),
            bytes_read: Arc::new(AtomicU64::new(0)),
            total_bytes: 0,
        }
    }

    /// Adds a file or a directory (every regular file below it, in sorted order). `format`
    /// declares the format; `None` detects it from the first 64 KiB of each file. Files whose
    /// format is not recognized are recorded in [`Sources::errors`] (a directory may hold
    /// unrelated files).
    pub fn add_path(&mut self, path: impl AsRef<Path>, format: Option<Format>) -> &mut Self {
        for f in files_under(path.as_ref()) {
            self.add_file(&f, format);
        }
        self
    }

    fn add_file(&mut self, path: &Path, format: Option<Format>) {
        let name = path.display().to_string();
        let opened = File::open(path).and_then(|mut f| {
            // Rotated logs are often gzipped (`audit.log.1.gz`, logrotate `compress`): the
            // magic bytes decide, not the name.
            let mut magic = [0u8; 2];
            let n = read_up_to(&mut f, &mut magic)?;
            io::Seek::rewind(&mut f)?;
            Ok((f, n == 2 && magic == GZIP_MAGIC))
        });
        match opened {
            Ok((f, gzipped)) => {
                self.total_bytes += f.metadata().map(|m| m.len()).unwrap_or(0);
                if gzipped {
                    // Progress counts the compressed bytes read, so it still ends at
                    // `total_bytes`; the input's own count is of decompressed bytes.
                    let compressed = Counting {
                        inner: f,
                        mine: Arc::new(AtomicU64::new(0)),
                        total: self.bytes_read.clone(),
                    };
                    let reader = flate2::read::MultiGzDecoder::new(compressed);
                    self.add_counted(name, Box::new(reader), format, None);
                } else {
                    self.add_reader(name, Box::new(f), format);
                }
            }
            Err(e) => self.errors.push(InputError::Io {
                file: name,
                message: e.to_string(),
            }),
        }
    }

    /// Adds an already open reader (stdin: name it `-`).
    pub fn add_reader(
        &mut self,
        name: impl Into<String>,
        reader: Box<dyn Read + Send>,
        format: Option<Format>,
    ) -> &mut Self {
        let total = self.bytes_read.clone();
        self.add_counted(name.into(), reader, format, Some(total))
    }

    /// Adds a reader whose bytes count towards `total` (progress) when given.
    fn add_counted(
        &mut self,
        name: String,
        reader: Box<dyn Read + Send>,
        format: Option<Format>,
        total: Option<Arc<AtomicU64>>,
    ) -> &mut Self {
        let mine = Arc::new(AtomicU64::new(0));
        let counting = Counting {
            inner: reader,
            mine: mine.clone(),
            total: total.unwrap_or_default(),
        };
        let mut buf = BufReader::with_capacity(SAMPLE_BYTES, counting);
        let format = match format {
            Some(f) => Some(f),
            None => match buf.fill_buf() {
                Ok(sample) => detect_sample(sample),
                Err(e) => {
                    self.errors.push(InputError::Io {
                        file: name,
                        message: e.to_string(),
                    });
                    return self;
                }
            },
        };
        match format {
            None => {
                if buf.fill_buf().is_ok_and(|b| !b.is_empty()) {
                    self.errors.push(InputError::UnknownFormat { file: name });
                }
            }
            Some(Format::DockerInspect) => self.load_inspect(name, buf),
            Some(f) => self.inputs.push(Input::new(name, f, buf, mine)),
        }
        self
    }

    fn load_inspect(&mut self, name: String, buf: Buf) {
        let mut text = String::new();
        let mut limited = buf.take(MAX_INSPECT_BYTES + 1);
        if let Err(e) = limited.read_to_string(&mut text) {
            self.errors.push(InputError::Io {
                file: name,
                message: e.to_string(),
            });
            return;
        }
        if text.len() as u64 > MAX_INSPECT_BYTES {
            self.errors.push(InputError::Parse {
                file: name,
                line: 0,
                offset: 0,
                message: format!("inspect document over {MAX_INSPECT_BYTES} bytes"),
            });
            return;
        }
        match self.cache.insert_inspect(&text) {
            Ok(_) => self.inspect_files.push(name),
            Err(e) => self.errors.push(InputError::Parse {
                file: name,
                line: 0,
                offset: 0,
                message: e.to_string(),
            }),
        }
    }

    /// The event inputs collected.
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }

    /// Files that could not be opened or recognized.
    pub fn errors(&self) -> &[InputError] {
        &self.errors
    }

    /// Inspect files loaded into the cache.
    pub fn inspect_files(&self) -> &[String] {
        &self.inspect_files
    }

    /// The enrichment cache built from inspect files.
    pub fn cache(&self) -> &EnrichmentCache {
        &self.cache
    }

    /// A shared counter of bytes read so far over all inputs (for progress bars).
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        self.bytes_read.clone()
    }

    /// Total size of the files added (stdin not included).
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// Splits into the inputs and the enrichment cache.
    pub fn into_parts(self) -> (Vec<Input>, EnrichmentCache) {
        (self.inputs, self.cache)
    }
}

/// Detects the format of an input from its first bytes: a `local` log driver file by its
/// first frame ([`is_local_log`](crate::detect::is_local_log)), else line by line ([`detect`]), else as
/// JSON documents (pretty-printed: a `docker inspect` array, `jq .` output of alerts or
/// events), by the keys of the first one.
pub fn detect_sample(sample: &[u8]) -> Option<Format> {
    // Binary frames of the `local` log driver, not lines.
    if crate::detect::is_local_log(sample) {
        return Some(Format::ContainerLogs);
    }
    let text = String::from_utf8_lossy(sample);
    // Drop a partial last line (the sample is cut at a buffer boundary).
    let cut = if sample.len() >= SAMPLE_BYTES {
        text.rfind('\n').map_or(&text[..], |i| &text[..i])
    } else {
        &text[..]
    };
    if let Some(f) = detect(cut) {
        return Some(f);
    }
    let t = cut.trim_start();
    if t.starts_with('[') || t.starts_with('{') {
        let first = serde_json::Deserializer::from_str(t)
            .into_iter::<serde_json::Value>()
            .next();
        if let Some(Ok(v)) = first {
            return crate::detect::detect_json(&v);
        }
        // A document longer than the sample: an inspect array is the one that large.
        let looks_inspect = t.contains("\"Id\"") && t.contains("\"State\"");
        if looks_inspect {
            return Some(Format::DockerInspect);
        }
    }
    None
}

/// The files [`Sources::add_path`] reads for `path`: the path itself, or for a directory
/// every regular file below it (hidden ones left out) in sorted order.
pub fn files_under(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut files = Vec::new();
    collect_files(path, &mut files, 0);
    files.sort();
    files
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 16 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in rd.filter_map(Result::ok) {
        let p = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            collect_files(&p, out, depth + 1);
        } else if p.is_file() && is_data_file(&name) {
            out.push(p);
        }
    }
}

/// The first two bytes of a gzip member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Reads until `buf` is full or the reader ends; the number of bytes read.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Files of a directory that are not data (documentation, scripts). Gzipped files are data:
/// they are decompressed when read.
fn is_data_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ![".md", ".py", ".sh", ".txt", ".yml", ".yaml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tripline_schema::{EventKind, Product};

    fn input(text: &str, format: Option<Format>) -> Sources {
        let mut s = Sources::new();
        s.add_reader(
            "mem.log",
            Box::new(io::Cursor::new(text.as_bytes().to_vec())),
            format,
        );
        s
    }

    #[test]
    fn audit_events_carry_their_first_line() {
        let log = "\
type=SYSCALL msg=audit(1700000000.100:7): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=42 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"id\" exe=\"/usr/bin/id\" key=(null)

garbage line
type=EXECVE msg=audit(1700000000.100:7): argc=1 a0=\"id\"
type=EOE msg=audit(1700000000.100:7): 
";
        let s = input(log, None);
        let (mut inputs, _) = s.into_parts();
        assert_eq!(inputs.len(), 1);
        let mut it = inputs.remove(0);
        let items: Vec<_> = it.by_ref().collect();
        assert_eq!(items.len(), 2);
        let err = items.iter().find_map(|r| r.as_ref().err()).unwrap();
        assert!(matches!(err, InputError::Parse { line: 3, .. }), "{err}");
        let ev = items.iter().find_map(|r| r.as_ref().ok()).unwrap();
        let loc = ev.location().unwrap();
        assert_eq!(
            (loc.file.as_deref(), loc.line, loc.offset),
            (Some("mem.log"), Some(1), Some(0))
        );
        assert_eq!(ev.raw.as_ref().unwrap().lines, vec![1, 4, 5]);
        let c = it.counts();
        assert_eq!((c.lines, c.records, c.errors, c.skipped), (5, 3, 1, 1));
        assert!(c.balanced());
        assert_eq!(c.events, 1);
    }

    #[test]
    fn gzipped_files_are_decompressed_and_progress_ends_at_their_size() {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("tripline-gz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let alert = r#"{"hostname":"h","output":"o","priority":"Warning","rule":"Terminal shell in container","source":"syscall","time":"2024-05-01T10:00:00.123456789Z","output_fields":{"container.id":"3f4e8a1c9b2d","proc.cmdline":"sh -i"}}"#;
        let plain = format!("{alert}\n{alert}\n");
        let path = dir.join("falco.json.1.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(plain.as_bytes()).unwrap();
        let compressed = gz.finish().unwrap();
        std::fs::write(&path, &compressed).unwrap();

        let mut s = Sources::new();
        s.add_path(&dir, None);
        assert!(s.errors().is_empty(), "{:?}", s.errors());
        assert_eq!(s.total_bytes(), compressed.len() as u64);
        let progress = s.bytes_read();
        let (mut inputs, _) = s.into_parts();
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].format(), Format::FalcoJson);
        let events: Vec<_> = inputs.remove(0).collect::<Result<_, _>>().unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].location().unwrap().line, Some(2));
        assert_eq!(
            events[0].container.as_ref().unwrap().id.as_deref(),
            Some("3f4e8a1c9b2d")
        );
        assert_eq!(progress.load(Ordering::Relaxed), compressed.len() as u64);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A rotation moby's `local` driver gzipped itself (`container.log.1.gz`) reads through
    /// the gzip path like the live file: 40 entries over the two files, each once.
    #[test]
    fn a_gzipped_local_driver_rotation_reads_as_container_logs() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/tripline-docker/tests/fixtures/local-driver");
        let id = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
        let root = std::env::temp_dir().join(format!("tripline-localgz-{}", std::process::id()));
        let dir = root.join("containers").join(id).join("local-logs");
        std::fs::create_dir_all(&dir).unwrap();
        for (from, to) in [
            ("rotated-gz.log.1.gz", "container.log.1.gz"),
            ("rotated-gz.log", "container.log"),
        ] {
            std::fs::copy(fixtures.join(from), dir.join(to)).unwrap();
        }
        let mut sources = Sources::new();
        sources.add_path(&dir, None);
        assert!(sources.errors().is_empty(), "{:?}", sources.errors());
        let (inputs, _) = sources.into_parts();
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(inputs.len(), 2);
        let mut texts = Vec::new();
        for mut input in inputs {
            assert_eq!(input.format(), Format::ContainerLogs, "{}", input.name());
            for ev in input.by_ref() {
                let ev = ev.unwrap();
                assert_eq!(ev.container.as_ref().unwrap().id.as_deref(), Some(id));
                match &ev.kind {
                    EventKind::LogLine(l) => texts.push(l.text.clone()),
                    other => panic!("{other:?}"),
                }
            }
            assert!(input.counts().balanced());
        }
        texts.sort();
        let want: Vec<String> = (0..40)
            .map(|i| format!("line {i:02} of a rotating log, padded to grow the file quickly ...."))
            .collect();
        assert_eq!(texts, want);
    }

    #[test]
    fn unknown_input_is_reported() {
        let s = input("hello\nworld\n", None);
        assert!(s.inputs().is_empty());
        assert!(matches!(s.errors()[0], InputError::UnknownFormat { .. }));
    }

    #[test]
    fn pretty_inspect_is_detected_as_a_document() {
        let doc = "[\n  {\n    \"Id\": \"ab\",\n    \"State\": {}\n  }\n]\n";
        assert_eq!(detect_sample(doc.as_bytes()), Some(Format::DockerInspect));
    }

    #[test]
    fn pretty_printed_alerts_and_events_are_detected_by_their_keys() {
        let falco = "{\n  \"output_fields\": {\n    \"proc.pid\": 1\n  },\n  \"priority\": \"Warning\",\n  \"rule\": \"R\",\n  \"time\": \"2024-05-07T18:54:19.341081180Z\"\n}\n";
        assert_eq!(detect_sample(falco.as_bytes()), Some(Format::FalcoJson));
        let tracee = "{\n  \"timestamp\": 1,\n  \"eventName\": \"execve\",\n  \"args\": []\n}\n";
        assert_eq!(detect_sample(tracee.as_bytes()), Some(Format::TraceeJson));
        // Unknown keys stay unknown; a truncated document is not guessed from.
        assert_eq!(detect_sample(b"{\n  \"level\": \"info\"\n}\n"), None);
        assert_eq!(detect_sample(b"{\n  \"rule\": \"R\",\n"), None);
    }

    #[test]
    fn a_pretty_printed_falco_file_reads_through_the_facade() {
        let alert = r#"{"output_fields":{"container.id":"3f4e8a1c9b2d","proc.cmdline":"sh -i"},"priority":"Warning","rule":"Terminal shell in container","time":"2024-05-01T10:00:00.123456789Z"}"#;
        let v: serde_json::Value = serde_json::from_str(alert).unwrap();
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        let s = input(&format!("{pretty}\n{pretty}\n"), None);
        let (mut inputs, _) = s.into_parts();
        assert_eq!(inputs[0].format(), Format::FalcoJson);
        let mut input = inputs.remove(0);
        let events: Vec<_> = input.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].location().unwrap().line, Some(10));
        let c = input.counts();
        assert_eq!((c.lines, c.records, c.continuation), (18, 2, 16));
        assert!(c.balanced());
    }

    #[test]
    fn sensor_output_in_container_logs_becomes_the_sensors_events() {
        let falco_json = r#"{"hostname":"h","output":"o","output_fields":{"container.id":"3f4e8a1c9b2d","proc.cmdline":"sh -i"},"priority":"Warning","rule":"Terminal shell in container","source":"syscall","time":"2024-05-01T10:00:00.123456789Z"}"#;
        let falco_text = "23:59:58.500000000: Critical Shell spawned (user=root command=sh -i container_id=3f4e8a1c9b2d)";
        let tracee =
            std::fs::read_to_string("crates/tripline-tracee/tests/fixtures/v0.19_events.jsonl")
                .unwrap();
        let tracee = tracee.lines().next().unwrap();
        let app = r#"{"level":"warn","rule":"r1","priority":"high","output":"not falco"}"#;
        let wrap = |text: &str, time: &str| {
            serde_json::json!({"log": format!("{text}\n"), "stream": "stdout", "time": time})
                .to_string()
        };
        let log = [
            wrap(falco_json, "2024-05-01T10:00:00.2Z"),
            wrap(falco_text, "2024-05-02T00:00:01Z"),
            wrap(tracee, "2023-11-14T22:13:20.1Z"),
            wrap(app, "2024-05-01T10:00:03Z"),
            wrap("plain text", "2024-05-01T10:00:04Z"),
        ]
        .join("\n");
        let id = "3f4e8a1c9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
        let mut s = Sources::new();
        s.add_reader(
            format!("/var/lib/docker/containers/{id}/{id}-json.log"),
            Box::new(io::Cursor::new(log.into_bytes())),
            None,
        );
        let (mut inputs, _) = s.into_parts();
        assert_eq!(inputs[0].format(), Format::ContainerLogs);
        let events: Vec<Event> = inputs.remove(0).collect::<Result<_, _>>().unwrap();
        assert_eq!(events.len(), 5);
        let finding = |e: &Event| match &e.kind {
            EventKind::Finding(f) => f.rule.name.as_deref().map(str::to_string),
            _ => None,
        };
        // The JSON alert: a Falco finding of the monitored container, at its log line, with
        // the sensor's own container kept as the carrier.
        assert_eq!(events[0].source.product, Product::Falco);
        assert_eq!(
            finding(&events[0]).as_deref(),
            Some("Terminal shell in container")
        );
        assert_eq!(
            events[0].container.as_ref().unwrap().id.as_deref(),
            Some("3f4e8a1c9b2d")
        );
        assert_eq!(events[0].location().unwrap().line, Some(1));
        let carrier = &events[0].unmapped["docker"]["carrier"];
        assert_eq!(carrier["container"], id);
        assert_eq!(carrier["stream"], "stdout");
        assert_eq!(carrier["time"], "2024-05-01T10:00:00.2Z");
        // The text alert: its time of day dated by the log line (just after midnight, so
        // the alert is from the day before).
        assert_eq!(events[1].source.product, Product::Falco);
        assert_eq!(events[1].time.to_rfc3339(), "2024-05-01T23:59:58.500+00:00");
        assert_eq!(events[1].location().unwrap().line, Some(2));
        // The Tracee event.
        assert_eq!(events[2].source.product, Product::Tracee);
        assert_eq!(events[2].action.as_deref(), Some("sched_process_exec"));
        assert_eq!(events[2].location().unwrap().line, Some(3));
        // Application JSON that only looks like an alert, and plain text: log lines.
        for e in &events[3..] {
            assert_eq!(e.source.product, Product::Docker);
            assert!(matches!(e.kind, EventKind::LogLine(_)), "{:?}", e.kind);
        }
    }

    #[test]
    fn a_kernel_log_reads_its_audit_records_and_skips_the_rest() {
        let log = "\
Nov 27 09:59:59 web1 kernel: [12344.0] eth0: link becomes ready
Nov 27 10:00:00 web1 kernel: [12345.6] audit: type=1300 audit(1764237600.123:4242): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=1000 pid=1001 auid=1000 uid=0 tty=pts0 ses=3 comm=\"docker\" exe=\"/usr/bin/docker\" key=\"docker-daemon\"
Nov 27 10:00:00 web1 kernel: [12345.6] audit: type=1309 audit(1764237600.123:4242): argc=3 a0=\"docker\" a1=\"exec\" a2=\"web\"
Nov 27 10:00:00 web1 kernel: [12345.6] audit: type=1320 audit(1764237600.123:4242):
Nov 27 10:00:01 web1 systemd[1]: Started Session 3 of user alice.
";
        let (mut inputs, _) = input(log, None).into_parts();
        assert_eq!(inputs[0].format(), Format::AuditLog);
        let mut audit = inputs.remove(0);
        let events: Vec<Event> = audit.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action.as_deref(), Some("execve"));
        let c = audit.counts();
        assert_eq!((c.lines, c.records, c.errors, c.skipped), (5, 3, 0, 2));
        // An audit.log keeps reporting such a line as damage.
        let damaged = "type=SYSCALL msg=audit(1.0:1): syscall=59 pid=1\n\
            Nov 27 10:00:01 web1 systemd[1]: Started Session 3 of user alice.\n\
            type=EOE msg=audit(1.0:1):\n";
        let (mut inputs, _) = input(damaged, None).into_parts();
        assert_eq!(inputs[0].format(), Format::AuditLog);
        let errors = inputs.remove(0).filter(Result::is_err).count();
        assert_eq!(errors, 1);
    }

    #[test]
    fn a_journal_export_reads_container_lines_and_falco_alerts() {
        let alert = r#"{"output_fields":{"container.id":"3f4e8a1c9b2d","proc.cmdline":"sh -i"},"priority":"Warning","rule":"Terminal shell in container","time":"2024-05-01T10:00:00.123456789Z"}"#;
        let entries = [
            serde_json::json!({"__CURSOR": "s=1;i=1", "__REALTIME_TIMESTAMP": "1714557600100000",
                "MESSAGE": "GET / 200", "PRIORITY": "6", "CONTAINER_ID": "3f4e8a1c9b2d",
                "CONTAINER_ID_FULL": "3f4e8a1c9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f",
                "CONTAINER_NAME": "web", "IMAGE_NAME": "nginx:1.27"}),
            serde_json::json!({"__CURSOR": "s=1;i=2", "__REALTIME_TIMESTAMP": "1714557600200000",
                "MESSAGE": alert, "PRIORITY": "6", "_SYSTEMD_UNIT": "falco.service",
                "SYSLOG_IDENTIFIER": "falco"}),
        ];
        let text: String = entries.iter().map(|e| format!("{e}\n")).collect();
        let (mut inputs, _) = input(&text, None).into_parts();
        assert_eq!(inputs[0].format(), Format::ContainerLogs);
        let events: Vec<Event> = inputs.remove(0).collect::<Result<_, _>>().unwrap();
        assert_eq!(events.len(), 2);
        assert!(matches!(events[0].kind, EventKind::LogLine(_)));
        assert_eq!(
            events[0].container.as_ref().unwrap().name.as_deref(),
            Some("web")
        );
        assert_eq!(events[1].source.product, Product::Falco);
        assert_eq!(events[1].location().unwrap().line, Some(2));
        assert_eq!(
            events[1].unmapped["docker"]["carrier"]["format"],
            "journald"
        );
    }

    #[test]
    fn a_local_driver_log_reads_as_container_logs() {
        // Written by moby 20.10.24's own `local` driver (the docker crate's fixture).
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/tripline-docker/tests/fixtures/local-driver/basic.log");
        let bytes = std::fs::read(&fixture).unwrap();
        assert_eq!(detect_sample(&bytes), Some(Format::ContainerLogs));
        let id = "5f2c0c6f2b1e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c";
        let root = std::env::temp_dir().join(format!("tripline-local-{}", std::process::id()));
        let dir = root.join("containers").join(id).join("local-logs");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("container.log"), &bytes).unwrap();
        let mut sources = Sources::new();
        sources.add_path(dir.join("container.log"), None);
        std::fs::remove_dir_all(&root).unwrap();
        let (mut inputs, _) = sources.into_parts();
        assert_eq!(inputs[0].format(), Format::ContainerLogs);
        let mut logs = inputs.remove(0);
        let events: Vec<Event> = logs.by_ref().collect::<Result<_, _>>().unwrap();
        let texts: Vec<&str> = events
            .iter()
            .map(|e| match &e.kind {
                EventKind::LogLine(l) => l.text.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(texts.len(), 10, "{texts:?}");
        assert_eq!(texts[0], "hello from web");
        assert_eq!(texts[6], "part-A part-B part-C");
        assert!(
            events
                .iter()
                .all(|e| e.container.as_ref().unwrap().id.as_deref() == Some(id))
        );
        assert_eq!(events[1].location().unwrap().offset, Some(42));
        let c = logs.counts();
        assert_eq!((c.lines, c.records, c.errors, c.events), (12, 12, 0, 10));
        assert!(c.balanced());
        assert_eq!(c.bytes, bytes.len() as u64);

        // Declared as container logs, from a reader, with damage: one located error, the
        // rest read.
        let mut damaged = bytes[..42].to_vec();
        damaged.extend_from_slice(b"\x00\x00\x00\x09garbage");
        damaged.extend_from_slice(&bytes[42..]);
        let mut sources = Sources::new();
        sources.add_reader(
            "-",
            Box::new(io::Cursor::new(damaged)),
            Some(Format::ContainerLogs),
        );
        let (mut inputs, _) = sources.into_parts();
        let mut logs = inputs.remove(0);
        let items: Vec<_> = logs.by_ref().collect();
        let errors: Vec<_> = items.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(items.len(), 11);
        match errors[..] {
            [
                InputError::Parse {
                    line: 2,
                    offset: 42,
                    message,
                    ..
                },
            ] => {
                assert!(message.contains("00 00 00 09 67 61"), "{message}")
            }
            _ => panic!("{errors:?}"),
        }
        let c = logs.counts();
        assert_eq!((c.lines, c.records, c.errors), (13, 12, 1));
        assert!(c.balanced());
    }

    #[test]
    fn container_key_from_json_file_name() {
        let id = "3f4e8a1c9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
        assert_eq!(
            container_key_from_path(&format!("/x/{id}/{id}-json.log.1")),
            id
        );
        assert_eq!(container_key_from_path("/x/app.log"), "");
        assert_eq!(
            local_container_key(&format!("/x/containers/{id}/local-logs/container.log.1")),
            id
        );
        assert_eq!(
            local_container_key(&format!("/x/containers/{id}/container-cached.log")),
            id
        );
        assert_eq!(local_container_key("/x/local-logs/container.log"), "");
    }
}
