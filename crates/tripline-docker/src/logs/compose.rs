//! `docker compose logs` / `up` console output: `<name padded> | <payload>` with optional
//! ANSI colour around the prefix (v2 `web-1  | `, v1 `web_1  | `), an optional `-t`
//! timestamp after the prefix, and status lines without `|`.

use std::borrow::Cow;

use super::line::{LogFormat, LogLine, Stream};
use crate::Error;
use crate::attrs::Attributes;
use crate::time::parse_rfc3339;

/// Skips ANSI CSI sequences (`ESC [ … letter`) at the start of `b`.
fn skip_ansi(mut b: &[u8]) -> &[u8] {
    while b.len() >= 2 && b[0] == 0x1b && b[1] == b'[' {
        match b[2..].iter().position(|c| c.is_ascii_alphabetic()) {
            Some(i) => b = &b[2 + i + 1..],
            None => return b,
        }
    }
    b
}

fn name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// Splits a compose-prefixed line into (name, payload).
pub(crate) fn compose_prefix(b: &[u8]) -> Option<(&str, &[u8])> {
    let s = skip_ansi(b);
    let n = s.iter().take_while(|c| name_byte(**c)).count();
    if n == 0 {
        return None;
    }
    let spaces = s[n..].iter().take_while(|c| **c == b' ').count();
    if spaces == 0 || s.get(n + spaces) != Some(&b'|') {
        return None;
    }
    let after = &s[n + spaces + 1..];
    let payload = match after.first() {
        None => after,
        Some(b' ') => &after[1..],
        Some(0x1b) => after,
        Some(_) => return None,
    };
    let payload = skip_ansi(payload);
    let name = std::str::from_utf8(&s[..n]).ok()?;
    Some((name, payload))
}

const STATUS_MARKERS: &[&str] = &[
    "Attaching to ",
    "Creating ",
    "Recreating ",
    "Starting ",
    "Stopping ",
    "Gracefully stopping",
    "Removing ",
    " exited with code ",
    " is up-to-date",
    "⦿ ",
    "Container ",
    "Network ",
    "Volume ",
];

/// Whether a line without `|` looks like a compose status line.
pub(crate) fn looks_like_status(b: &[u8]) -> bool {
    let s = String::from_utf8_lossy(skip_ansi(b));
    let t = s.trim_start();
    STATUS_MARKERS.iter().any(|m| {
        if m.starts_with(' ') {
            t.contains(m)
        } else {
            t.starts_with(m)
        }
    })
}

/// Parses one compose line; lines without a prefix are [`LogFormat::ComposeStatus`].
pub fn parse_compose(b: &[u8]) -> Result<LogLine<'_>, Error> {
    let b = b.strip_suffix(b"\r").unwrap_or(b);
    let Some((name, payload)) = compose_prefix(b) else {
        return Ok(LogLine::plain(LogFormat::ComposeStatus, skip_ansi(b)));
    };
    // `compose logs -t`: the daemon's fixed 9-digit UTC stamp follows the prefix.
    let (time, content) = match payload.get(30) {
        Some(b' ') if payload[19] == b'.' && payload[29] == b'Z' => {
            match parse_rfc3339(&payload[..30]) {
                Some(t) => (Some(t), &payload[31..]),
                None => (None, payload),
            }
        }
        _ => (None, payload),
    };
    Ok(LogLine {
        format: LogFormat::Compose,
        time,
        stream: Stream::Unknown,
        content: Cow::Borrowed(content),
        partial: false,
        tags: None,
        attrs: Attributes::default(),
        source: Some(Cow::Borrowed(name)),
        container: None,
    })
}

/// Writes a compose line with the name padded to `width` (v2 style), optionally coloured.
pub fn render_compose(name: &str, width: usize, payload: &[u8], colour: Option<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(c) = colour {
        out.extend_from_slice(format!("\x1b[{c}m").as_bytes());
    }
    out.extend_from_slice(format!("{name:<w$}| ", w = width.max(name.len() + 1)).as_bytes());
    if colour.is_some() {
        out.extend_from_slice(b"\x1b[0m");
    }
    out.extend_from_slice(payload);
    out
}
