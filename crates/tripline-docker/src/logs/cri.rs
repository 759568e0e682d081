//! CRI log lines (containerd, CRI-O): `<RFC3339Nano> <stdout|stderr> <F|P[:tag…]> <content>`.
//! Content is raw bytes (not escaped, possibly not UTF-8). Very old runtimes wrote no tag
//! field; such lines are read as full lines.

use std::borrow::Cow;

use super::line::{LogFormat, LogLine, Stream};
use crate::attrs::Attributes;
use crate::time::parse_rfc3339;
use crate::{Error, Timestamp};

fn split_space(b: &[u8]) -> (&[u8], Option<&[u8]>) {
    match memchr::memchr(b' ', b) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    }
}

/// Parses the leading timestamp and stream of a CRI line, if it has them.
pub(crate) fn cri_head(b: &[u8]) -> Option<(Timestamp, Stream, Option<&[u8]>)> {
    let (ts, rest) = split_space(b);
    let ts = parse_rfc3339(ts)?;
    let (stream, rest) = split_space(rest?);
    let stream = match stream {
        b"stdout" => Stream::Stdout,
        b"stderr" => Stream::Stderr,
        _ => return None,
    };
    Some((ts, stream, rest))
}

/// Parses one CRI line (without its `\n`; a trailing `\r` is content).
pub fn parse_cri(b: &[u8]) -> Result<LogLine<'_>, Error> {
    let (time, stream, rest) = cri_head(b).ok_or_else(|| Error::format("CRI", b))?;
    let rest = rest.unwrap_or(b"");
    let (tag, after) = split_space(rest);
    let first = tag.split(|c| *c == b':').next().unwrap_or(b"");
    let (tags, partial, content) = match first {
        b"F" | b"P" => (
            Some(Cow::Borrowed(
                std::str::from_utf8(tag).map_err(|_| Error::format("CRI", b))?,
            )),
            first == b"P",
            after.unwrap_or(b""),
        ),
        _ => (None, false, rest),
    };
    Ok(LogLine {
        format: LogFormat::Cri,
        time: Some(time),
        stream,
        content: Cow::Borrowed(content),
        partial,
        tags,
        attrs: Attributes::default(),
        source: None,
        container: None,
    })
}

/// Writes a line in CRI layout (tag `F`/`P` unless the line carries its own tag field).
pub fn render_cri(line: &LogLine<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.content.len() + 48);
    if let Some(t) = line.time {
        out.extend_from_slice(t.to_rfc3339_nano().as_bytes());
    }
    out.push(b' ');
    out.extend_from_slice(line.stream.as_str().as_bytes());
    out.push(b' ');
    match &line.tags {
        Some(t) => out.extend_from_slice(t.as_bytes()),
        None => out.push(if line.partial { b'P' } else { b'F' }),
    }
    out.push(b' ');
    out.extend_from_slice(&line.content);
    out
}
