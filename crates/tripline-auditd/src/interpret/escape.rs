//! Untrusted-string decoding as ausearch does it: quoted text, `(null)`-style markers and
//! hex, then "tty" escaping of control bytes (`\ooo` octal) for the terminal.

use std::borrow::Cow;

fn nibble(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// Decodes the leading run of hex digits of `raw` like libauparse's `au_unescape`: pairs of
/// digits become bytes, a trailing odd digit becomes its high nibble, and the result stops at
/// the first NUL. `None` when fewer than two hex digits lead the text.
pub fn unhex(raw: &str) -> Option<Vec<u8>> {
    let digits = raw.bytes().take_while(u8::is_ascii_hexdigit).count();
    if digits < 2 {
        return None;
    }
    let hex = &raw.as_bytes()[..digits];
    let mut out = Vec::with_capacity(digits.div_ceil(2));
    for (i, pair) in hex.chunks(2).enumerate() {
        let hi = nibble(pair[0]);
        let lo = pair.get(1).map_or(0, |b| nibble(*b));
        let byte = (hi << 4) | lo;
        if byte == 0 {
            // One leading NUL (abstract socket paths) is skipped; a lone `00` stays as is.
            if i == 0 {
                if digits == 2 {
                    return None;
                }
                continue;
            }
            break;
        }
        out.push(byte);
    }
    Some(out)
}

/// Strict hex decoding of a whole value (even length, hex digits only), for callers that
/// need the exact bytes (sockaddr, proctitle, key).
pub fn unhex_all(raw: &str) -> Option<Vec<u8>> {
    let b = raw.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len().div_ceil(2));
    for pair in b.chunks(2) {
        let hi = nibble(pair[0]);
        let lo = pair.get(1).map_or(0, |c| nibble(*c));
        out.push((hi << 4) | lo);
    }
    Some(out)
}

/// Escapes control bytes (< 0x20) as `\ooo`; other bytes pass through (lossy UTF-8).
pub fn tty_escape(bytes: &[u8]) -> Cow<'_, str> {
    if !bytes.iter().any(|b| *b < 0x20) {
        return String::from_utf8_lossy(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() + 8);
    for &b in bytes {
        if b < 0x20 {
            out.extend_from_slice(format!("\\{b:03o}").as_bytes());
        } else {
            out.push(b);
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Interprets an "escaped" (untrusted string) value as written in the log: `"text"` loses
/// its quotes, `(null)`/`(none)` stay, hex is decoded; the result is tty-escaped. A value
/// that is none of these is returned unchanged.
pub fn escaped(raw: &str) -> Cow<'_, str> {
    if let Some(rest) = raw.strip_prefix('"') {
        return match rest.find('"') {
            Some(end) => tty_escape(&rest.as_bytes()[..end]),
            None => Cow::Borrowed(" "),
        };
    }
    if raw.starts_with('(') {
        return Cow::Borrowed(raw);
    }
    match unhex(raw) {
        Some(bytes) => Cow::Owned(tty_escape(&bytes).into_owned()),
        None => Cow::Borrowed(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_matches_ausearch_probes() {
        assert_eq!(escaped("41424344"), "ABCD");
        assert_eq!(escaped("41014142"), "A\\001AB");
        assert_eq!(escaped("410A4142"), "A\\012AB");
        assert_eq!(escaped("415C4142"), "A\\AB");
        assert_eq!(escaped("4100410042"), "A");
        assert_eq!(escaped("41424"), "AB@");
        assert_eq!(escaped("413"), "A0");
        assert_eq!(escaped("41g4"), "A");
        assert_eq!(escaped("4g41"), "4g41");
        assert_eq!(escaped("0"), "0");
        assert_eq!(escaped("-2"), "-2");
        assert_eq!(escaped("\"a\\b\""), "a\\b");
        assert_eq!(escaped("\"a\u{1}b\""), "a\\001b");
        assert_eq!(escaped("(null)"), "(null)");
        assert_eq!(escaped("?"), "?");
    }
}
