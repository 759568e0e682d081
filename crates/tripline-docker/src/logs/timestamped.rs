//! `docker logs -t [--details]` output: `<ts> [k=v,k2=v2 ]<content>`, the timestamp in the
//! fixed layout `2006-01-02T15:04:05.000000000Z07:00`, details keys sorted and
//! URL-query-escaped.

use std::borrow::Cow;

use super::line::{LogFormat, LogLine, Stream};
use crate::Error;
use crate::attrs::Attributes;
use crate::time::parse_rfc3339;

fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains(['%', '+']) {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(b[i + 1]), hex(b[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Parses a `docker logs -t` line; with `details`, a `k=v,…` token after the timestamp is
/// read as the log attributes.
pub fn parse_timestamped(b: &[u8], details: bool) -> Result<LogLine<'_>, Error> {
    let b = b.strip_suffix(b"\r").unwrap_or(b);
    let sp = memchr::memchr(b' ', b);
    let ts_end = sp.unwrap_or(b.len());
    let time = parse_rfc3339(&b[..ts_end]).ok_or_else(|| Error::format("docker logs -t", b))?;
    let mut content = sp.map_or(&b[b.len()..], |i| &b[i + 1..]);
    let mut attrs = Attributes::default();
    if details {
        let end = memchr::memchr(b' ', content).unwrap_or(content.len());
        let tok = &content[..end];
        if let Ok(tok) = std::str::from_utf8(tok)
            && !tok.is_empty()
            && tok.split(',').all(|kv| kv.contains('='))
        {
            for kv in tok.split(',') {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                attrs.push(unescape(k), unescape(v));
            }
            content = content.get(end + 1..).unwrap_or(&content[end..]);
        }
    }
    Ok(LogLine {
        format: LogFormat::Timestamped,
        time: Some(time),
        stream: Stream::Unknown,
        content: Cow::Borrowed(content),
        partial: false,
        tags: None,
        attrs,
        source: None,
        container: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_prefix() {
        let l = parse_timestamped(
            b"2024-01-02T03:04:05.000000000Z com.x=a+b%2Cc,env=1 hello world",
            true,
        )
        .unwrap();
        assert_eq!(l.attrs.get("com.x"), Some("a b,c"));
        assert_eq!(l.attrs.get("env"), Some("1"));
        assert_eq!(&*l.content, b"hello world");
        let l = parse_timestamped(b"2024-01-02T03:04:05.000000000+01:00 hello", false).unwrap();
        assert_eq!(l.time.unwrap().offset_secs, 3600);
        assert_eq!(&*l.content, b"hello");
        assert!(parse_timestamped(b"nope", false).is_err());
        assert_eq!(unescape("%zz%4"), "%zz%4");
    }
}
