//! One container log line in any of the supported shapes.

use std::borrow::Cow;
use std::fmt;

use crate::Timestamp;
use crate::attrs::Attributes;

/// The output stream a line was written to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
    /// The format does not say (compose output, `docker logs`, minimal json-file lines).
    Unknown,
    /// Any other name (moby's tests write `src1`…), kept verbatim.
    Other(Box<str>),
}

impl Stream {
    /// Maps the wire name.
    pub fn parse(s: &str) -> Self {
        match s {
            "stdout" => Stream::Stdout,
            "stderr" => Stream::Stderr,
            "" => Stream::Unknown,
            o => Stream::Other(o.into()),
        }
    }

    /// The wire name (`""` for unknown).
    pub fn as_str(&self) -> &str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
            Stream::Unknown => "",
            Stream::Other(s) => s,
        }
    }
}

impl fmt::Display for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which layout a line was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LogFormat {
    /// `<id>-json.log` of the json-file driver: `{"log","stream","attrs","time"}`.
    JsonFile,
    /// containerd / CRI-O: `<ts> <stream> <F|P[:tags]> <content>`.
    Cri,
    /// `docker logs -t [--details]`: `<ts> [k=v,…] <content>`.
    Timestamped,
    /// `docker compose logs/up`: `<name> | <content>` (ANSI colours allowed).
    Compose,
    /// A compose status line without `|` (`Attaching to …`, `x exited with code 0`).
    ComposeStatus,
    /// Anything else (plain `docker logs` output).
    Plain,
    /// A `journalctl -o json` entry of the journald log driver.
    Journald,
    /// A binary frame of the `local` log driver (or the dual-logging cache
    /// `container-cached.log`), see [`local`](crate::logs::local).
    Local,
}

impl LogFormat {
    /// A short name.
    pub fn as_str(&self) -> &'static str {
        match self {
            LogFormat::JsonFile => "json-file",
            LogFormat::Cri => "cri",
            LogFormat::Timestamped => "docker-logs-t",
            LogFormat::Compose => "compose",
            LogFormat::ComposeStatus => "compose-status",
            LogFormat::Plain => "plain",
            LogFormat::Journald => "journald",
            LogFormat::Local => "local",
        }
    }
}

/// One physical log line, borrowing from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine<'a> {
    /// The layout.
    pub format: LogFormat,
    /// The time the runtime stamped (json-file `time`, CRI/`-t` prefix).
    pub time: Option<Timestamp>,
    /// stdout / stderr when known.
    pub stream: Stream,
    /// The payload without its line terminator: UTF-8 for json-file (U+FFFD where Docker
    /// replaced bad bytes), raw bytes for CRI.
    pub content: Cow<'a, [u8]>,
    /// Whether this is a chunk of a longer line, not its last (json-file: no trailing `\n`;
    /// CRI: `P`; journald and `local`: a partial chunk not marked last).
    pub partial: bool,
    /// The raw CRI tag field (`F`, `P`, `P:TAG1:TAG2`).
    pub tags: Option<Cow<'a, str>>,
    /// json-file `attrs` or `--details` attributes.
    pub attrs: Attributes<'a>,
    /// The compose prefix name (`web-1`, `web_1`).
    pub source: Option<Cow<'a, str>>,
    /// The container the line names itself (journald's `CONTAINER_ID_FULL`): its partials
    /// are keyed by it instead of by the reader's container.
    pub container: Option<Cow<'a, str>>,
}

impl<'a> LogLine<'a> {
    /// A line with only content.
    pub fn plain(format: LogFormat, content: &'a [u8]) -> Self {
        LogLine {
            format,
            time: None,
            stream: Stream::Unknown,
            content: Cow::Borrowed(content),
            partial: false,
            tags: None,
            attrs: Attributes::default(),
            source: None,
            container: None,
        }
    }

    /// What keys this line's partials when not the reader's container: the container the
    /// line names (journald), else its compose service.
    pub fn own_key(&self) -> Option<&str> {
        self.container.as_deref().or(self.source.as_deref())
    }

    /// The content as text (lossy for non-UTF-8 CRI bytes).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.content)
    }

    /// Copies borrowed data so the line outlives the input.
    pub fn into_owned(self) -> LogLine<'static> {
        LogLine {
            format: self.format,
            time: self.time,
            stream: self.stream,
            content: Cow::Owned(self.content.into_owned()),
            partial: self.partial,
            tags: self.tags.map(|t| Cow::Owned(t.into_owned())),
            attrs: self.attrs.into_owned(),
            source: self.source.map(|t| Cow::Owned(t.into_owned())),
            container: self.container.map(|t| Cow::Owned(t.into_owned())),
        }
    }
}
