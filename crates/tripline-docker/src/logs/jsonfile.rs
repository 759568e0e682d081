//! json-file driver lines: `{"log":"…\n","stream":"stdout","attrs":{…},"time":"…"}`.

use std::borrow::Cow;

use serde::Deserialize;

use super::line::{LogFormat, LogLine, Stream};
use crate::attrs::{Attributes, CowStr};
use crate::{Error, Timestamp};

#[derive(Deserialize)]
struct RawJsonLog<'a> {
    #[serde(borrow)]
    log: CowStr<'a>,
    #[serde(default, borrow)]
    stream: Option<CowStr<'a>>,
    #[serde(default, borrow)]
    attrs: Option<Attributes<'a>>,
    #[serde(default, borrow)]
    time: Option<CowStr<'a>>,
}

/// Parses one json-file line. Keys may come in any order; `log` is required, `stream`,
/// `attrs` and `time` are optional (minimal writers omit them) but must have the right type.
/// A `log` without a trailing `\n` is a partial chunk.
pub fn parse_json_log(b: &[u8]) -> Result<LogLine<'_>, Error> {
    if let Some(line) = fast_path(b) {
        return Ok(line);
    }
    serde_path(b)
}

fn serde_path(b: &[u8]) -> Result<LogLine<'_>, Error> {
    let raw: RawJsonLog<'_> = match serde_json::from_slice(b) {
        Ok(r) => r,
        Err(e) => {
            if b.contains(&0) {
                return Err(Error::corrupt("NUL bytes", b));
            }
            return Err(Error::json(&e, b));
        }
    };
    let time = match raw.time {
        Some(t) => Some(Timestamp::parse(&t.0)?),
        None => None,
    };
    let log = raw.log.0;
    let partial = !log.ends_with('\n');
    let content: Cow<'_, [u8]> = match log {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_suffix('\n').unwrap_or(s).as_bytes()),
        Cow::Owned(mut s) => {
            if !partial {
                s.pop();
            }
            Cow::Owned(s.into_bytes())
        }
    };
    Ok(LogLine {
        format: LogFormat::JsonFile,
        time,
        stream: raw.stream.map_or(Stream::Unknown, |s| Stream::parse(&s.0)),
        content,
        partial,
        tags: None,
        attrs: raw.attrs.unwrap_or_default(),
        source: None,
        container: None,
    })
}

/// A JSON string body up to its closing quote, when it holds no escape (bytes: the callers
/// match them against ASCII, so only an unknown stream name is checked for UTF-8).
fn plain_string(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = crate::lines::plain_string_end(b)?;
    Some((&b[..i], &b[i + 1..]))
}

/// The stream name from its JSON bytes; `None` when an unknown name is not UTF-8.
fn stream_of(b: &[u8]) -> Option<Stream> {
    Some(match b {
        b"stdout" => Stream::Stdout,
        b"stderr" => Stream::Stderr,
        other => Stream::parse(std::str::from_utf8(other).ok()?),
    })
}

/// The exact shape the json-file writer produces (`log, stream, time`, no escape in `log`
/// but the final `\n`) read without a JSON parser and without copying; anything else goes
/// through serde_json.
fn fast_path(b: &[u8]) -> Option<LogLine<'_>> {
    Some(fast_parts(b)?.into_line())
}

/// What [`fast_parts`] reads from a line of the writer's shape: the fields of its
/// [`LogLine`] that vary (the format is json-file; no tags, attributes or source).
pub(crate) struct FastParts<'a> {
    /// `log` without its final `\n`, decoded.
    pub content: Cow<'a, [u8]>,
    /// `log` had no final `\n`.
    pub partial: bool,
    /// `stream`.
    pub stream: Stream,
    /// `time`.
    pub time: Timestamp,
}

impl<'a> FastParts<'a> {
    /// The [`LogLine`] these parts are of.
    #[inline(always)]
    pub(crate) fn into_line(self) -> LogLine<'a> {
        LogLine {
            format: LogFormat::JsonFile,
            time: Some(self.time),
            stream: self.stream,
            content: self.content,
            partial: self.partial,
            tags: None,
            attrs: Attributes::default(),
            source: None,
            container: None,
        }
    }
}

/// The fast path's reading of a line, as parts (the message reader builds a complete line's
/// message from them directly, without the intermediate [`LogLine`]). Every line it accepts
/// parses to the same [`LogLine`] through [`parse_json_log`].
#[inline(always)]
pub(crate) fn fast_parts(b: &[u8]) -> Option<FastParts<'_>> {
    let (parts, time, rest) = fast_fields(b, true)?;
    if rest != b"}" && crate::lines::trim(rest) != b"}" {
        return None;
    }
    Some(FastParts {
        time: resolve_time(time)?,
        ..parts
    })
}

/// [`fast_parts`] of the line at the start of `buf`, unread input that may hold more lines
/// (a reader's buffer), without looking for the line's end first: a line of the writer's
/// exact shape, `}` and its `\n` right after the time, is read with its length including
/// the `\n`. `buf` has no `\n` before that one (a raw `\n` stops every scan), so the line
/// is the one a framer finds, and its parts are what [`fast_parts`] reads from it. Anything
/// else (escapes inside the text, a `\r` or blank before the `\n`, no `\n` in `buf`) is
/// `None`, for the framer and [`fast_parts`].
#[inline(always)]
pub(crate) fn fast_parts_framed(buf: &[u8]) -> Option<(FastParts<'_>, usize)> {
    let (parts, time, rest) = fast_fields(buf, false)?;
    if !rest.starts_with(b"}\n") {
        return None;
    }
    let take = buf.len() - rest.len() + 2;
    let parts = FastParts {
        time: resolve_time(time)?,
        ..parts
    };
    Some((parts, take))
}

/// A time the fast path read at its fixed offsets, or the text of one of another shape.
type FastTime<'a> = Result<Timestamp, &'a [u8]>;

/// The time of a [`FastTime`]: read already, or parsed from its text now (after the caller
/// checked the line's end, so a line that fails that check never pays for it).
#[inline(always)]
fn resolve_time(time: FastTime<'_>) -> Option<Timestamp> {
    time.or_else(|t| crate::time::parse_rfc3339(t).ok_or(()))
        .ok()
}

/// The fields of a line of the writer's shape from its start: the parts (time still
/// unset), the time (read, or its text when not of the fixed shape), and what follows the
/// time's closing quote. Escapes inside the text are decoded with `decode`, else `None`.
#[inline(always)]
fn fast_fields(b: &[u8], decode: bool) -> Option<(FastParts<'_>, FastTime<'_>, &[u8])> {
    let rest = b.strip_prefix(br#"{"log":""#)?;
    // The first quote, backslash or control byte: only `"` or a final `\n"` keep the fast
    // path. The scan stops at a non-ASCII byte too, so ASCII text (nearly every line) needs
    // no UTF-8 check; other text is scanned on and checked.
    let (i, ascii) = match crate::lines::first_special_or_non_ascii(rest)? {
        i if rest[i] < 0x80 => (i, true),
        i => (i + crate::lines::first_special(&rest[i..])?, false),
    };
    let (content, partial, rest) = if rest[i] == b'"' {
        (Cow::Borrowed(&rest[..i]), true, &rest[i + 1..])
    } else if rest[i] == b'\\' && rest.get(i + 1) == Some(&b'n') && rest.get(i + 2) == Some(&b'"') {
        (Cow::Borrowed(&rest[..i]), false, &rest[i + 3..])
    } else if rest[i] == b'\\' && decode {
        // Escapes inside the text (`\"`, `\t`, `\u003c` — Go escapes `<`, `>`, `&`):
        // decoded here instead of sending the whole line through serde_json.
        let (mut text, used) = unescape(rest)?;
        let partial = !text.ends_with('\n');
        if !partial {
            text.pop();
        }
        (Cow::Owned(text.into_bytes()), partial, &rest[used..])
    } else {
        return None;
    };
    // Decoded text is UTF-8 already; borrowed text is when it was all ASCII.
    if !ascii && matches!(content, Cow::Borrowed(c) if std::str::from_utf8(c).is_err()) {
        return None;
    }
    // The writer's two stream names with the keys around them in one literal compare each;
    // any other name is read as a string.
    const STDOUT: &[u8] = br#","stream":"stdout","time":""#;
    const STDERR: &[u8] = br#","stream":"stderr","time":""#;
    let (stream, rest) = if let Some(r) = rest.strip_prefix(STDOUT) {
        (Stream::Stdout, r)
    } else if let Some(r) = rest.strip_prefix(STDERR) {
        (Stream::Stderr, r)
    } else {
        let (stream, rest) = plain_string(rest.strip_prefix(br#","stream":""#)?)?;
        (stream_of(stream)?, rest.strip_prefix(br#","time":""#)?)
    };
    // The time read where it starts (its shape bounds it: no search for its closing quote
    // first); a time of another shape is read from its string.
    let (time, rest) = match crate::time::rfc3339_prefix(rest) {
        Some((t, n)) if rest.get(n) == Some(&b'"') => (Ok(t), &rest[n + 1..]),
        _ => {
            let (time, rest) = plain_string(rest)?;
            (Err(time), rest)
        }
    };
    let parts = FastParts {
        content,
        partial,
        stream,
        time: Timestamp::default(),
    };
    Some((parts, time, rest))
}

/// Decodes a JSON string body starting at `b[0]` up to its closing quote: the text and the
/// index after the quote. `None` for anything serde_json must judge (a control byte, an
/// unknown escape, a surrogate `\u` escape, invalid UTF-8, no closing quote); every string
/// this accepts, serde_json decodes to the same text.
fn unescape(b: &[u8]) -> Option<(String, usize)> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    loop {
        let j = i + crate::lines::first_special(&b[i..])?;
        out.extend_from_slice(&b[i..j]);
        match b[j] {
            b'"' => return Some((String::from_utf8(out).ok()?, j + 1)),
            b'\\' => {
                let byte = match *b.get(j + 1)? {
                    c @ (b'"' | b'\\' | b'/') => c,
                    b'b' => 0x08,
                    b'f' => 0x0c,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'u' => {
                        let mut v = 0u32;
                        for &h in b.get(j + 2..j + 6)? {
                            v = v * 16 + char::from(h).to_digit(16)?;
                        }
                        // Surrogates (pairs or lone) are left to serde_json.
                        let c = char::from_u32(v)?;
                        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        i = j + 6;
                        continue;
                    }
                    _ => return None,
                };
                out.push(byte);
                i = j + 2;
            }
            _ => return None,
        }
    }
}

/// Writes a line the way the json-file driver does (`log, stream, attrs, time`; `<`, `>`,
/// `&` escaped as `\u003c`…). Non-UTF-8 content becomes U+FFFD, as in Docker.
pub fn render_json_log(line: &LogLine<'_>) -> String {
    let mut log = String::from_utf8_lossy(&line.content).into_owned();
    if !line.partial {
        log.push('\n');
    }
    let mut s = String::with_capacity(log.len() + 64);
    s.push_str("{\"log\":");
    push_go_json_string(&mut s, &log);
    s.push_str(",\"stream\":");
    push_go_json_string(&mut s, line.stream.as_str());
    if !line.attrs.is_empty() {
        s.push_str(",\"attrs\":{");
        for (i, (k, v)) in line.attrs.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            push_go_json_string(&mut s, k);
            s.push(':');
            push_go_json_string(&mut s, v);
        }
        s.push('}');
    }
    if let Some(t) = line.time {
        s.push_str(",\"time\":\"");
        s.push_str(&t.to_rfc3339_nano());
        s.push('"');
    }
    s.push('}');
    s
}

fn push_go_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The no-parser fast path agrees with serde_json on every line it accepts.
        #[test]
        fn fast_path_agrees_with_serde(
            log in "([ -~\u{80}-\u{2FF}]|\\\\[\"\\\\/bfnrtx]|\\\\u[0-9a-fA-F]{4}|\\\\u[dD][89abAB][0-9a-f]{2}|\\\\u00[0-3][0-9a-f]){0,30}(\\\\n|\\\\t|\\\\u000a|)",
            stream in "(stdout|stderr|x\\\\y)",
            time in "(2024-01-01T00:00:0[0-9](\\.[0-9]{1,9})?Z|bad|)",
            tail in "(\\}| \\}|\\},|)",
        ) {
            let line = format!(r#"{{"log":"{log}","stream":"{stream}","time":"{time}"{tail}"#);
            let b = line.as_bytes();
            if let Some(fast) = fast_path(b) {
                let slow = serde_path(b).unwrap();
                prop_assert_eq!(fast, slow);
            }
        }
    }

    #[test]
    fn fast_path_taken_for_writer_shape() {
        let b = br#"{"log":"hi there\n","stream":"stderr","time":"2024-01-01T00:00:00.5Z"}"#;
        let l = fast_path(b).unwrap();
        assert!(matches!(l.content, Cow::Borrowed(b"hi there")));
        assert!(!l.partial);
        assert_eq!(l, serde_path(b).unwrap());
        // Escapes are decoded on the fast path (the text is then owned).
        let b = br#"{"log":"a\tb \u003cok\u003e \"q\"\n","stream":"stdout","time":"2024-01-01T00:00:00Z"}"#;
        let l = fast_path(b).unwrap();
        assert_eq!(&l.content[..], b"a\tb <ok> \"q\"");
        assert!(!l.partial);
        assert_eq!(l, serde_path(b).unwrap());
        // Surrogate escapes and unknown escapes are left to serde_json.
        for b in [
            &br#"{"log":"\ud83d\ude00\n","stream":"stdout","time":"2024-01-01T00:00:00Z"}"#[..],
            br#"{"log":"\q\n","stream":"stdout","time":"2024-01-01T00:00:00Z"}"#,
        ] {
            assert!(fast_path(b).is_none());
        }
    }
}
