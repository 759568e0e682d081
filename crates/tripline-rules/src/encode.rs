//! Value transformations done at compile time: `windash`, `utf16*`, `base64`, `base64offset`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Dash-like characters `windash` makes interchangeable (pySigma's set).
const DASHES: [char; 5] = ['-', '/', '\u{2013}', '\u{2014}', '\u{2015}'];

/// Most `-`/`/` positions expanded by `windash` (5ⁿ variants).
pub(crate) const MAX_WINDASH_POSITIONS: usize = 5;

/// All variants of `s` where each `-` or `/` that starts a word (pySigma `\B[-/]\b`) is
/// replaced by each dash character. `None` when there are too many positions.
pub(crate) fn windash(s: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = s.chars().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let positions: Vec<usize> = (0..chars.len())
        .filter(|&i| {
            let c = chars[i];
            let prev_word = i > 0 && is_word(chars[i - 1]);
            let next_word = chars.get(i + 1).is_some_and(|&n| is_word(n));
            (c == '-' || c == '/') && !prev_word && next_word
        })
        .collect();
    if positions.len() > MAX_WINDASH_POSITIONS {
        return None;
    }
    let mut out = vec![chars.clone()];
    for &p in &positions {
        let mut next = Vec::with_capacity(out.len() * DASHES.len());
        for v in &out {
            for d in DASHES {
                let mut w = v.clone();
                w[p] = d;
                next.push(w);
            }
        }
        out = next;
    }
    Some(out.into_iter().map(|v| v.into_iter().collect()).collect())
}

/// UTF-16 little endian bytes.
pub(crate) fn utf16le(s: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(s)
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect()
}

/// UTF-16 big endian bytes.
pub(crate) fn utf16be(s: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(s)
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect()
}

/// UTF-16 with a little-endian byte-order mark.
pub(crate) fn utf16bom(s: &[u8]) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    v.extend(utf16le(s));
    v
}

/// Standard base64 with padding (pySigma `base64`).
pub(crate) fn base64(b: &[u8]) -> String {
    STANDARD.encode(b)
}

/// The three base64 renderings of `b` at offsets 0, 1, 2 inside a longer blob, with the
/// boundary characters that depend on the neighbouring bytes trimmed (pySigma's
/// start offsets `(0, 2, 3)` and end offsets `(None, -3, -2)` by `(len + i) % 3`).
pub(crate) fn base64offset(b: &[u8]) -> Vec<String> {
    const START: [usize; 3] = [0, 2, 3];
    const END: [usize; 3] = [0, 3, 2];
    let mut out = Vec::with_capacity(3);
    for i in 0..3 {
        let mut buf = vec![b' '; i];
        buf.extend_from_slice(b);
        let enc = STANDARD.encode(&buf);
        let cut = END[(b.len() + i) % 3];
        let end = enc.len().saturating_sub(cut);
        let start = START[i].min(end);
        out.push(enc[start..end].to_string());
    }
    out
}

/// Bytes as a string with one char per byte (Latin-1), so UTF-16 text can be matched
/// against haystacks that carry such bytes verbatim.
pub(crate) fn bytes_as_text(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&x| x as char).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64offset_matches_pysigma() {
        // Same output as pySigma 0.x for base64offset("http://").
        assert_eq!(
            base64offset(b"http://"),
            vec!["aHR0cDovL", "h0dHA6Ly", "odHRwOi8v"]
        );
        assert_eq!(base64(b"abc"), "YWJj");
    }

    #[test]
    fn windash_variants() {
        let v = windash("-a /b c-d").unwrap();
        assert_eq!(v.len(), 25);
        assert!(v.contains(&"/a -b c-d".to_string()));
        assert!(v.contains(&"\u{2013}a \u{2015}b c-d".to_string()));
        assert_eq!(windash("x").unwrap(), vec!["x".to_string()]);
    }
}
