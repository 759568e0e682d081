//! A small zero-copy JSON reader specialised for alert lines.
//!
//! Alert lines are mostly long strings (`output`, command lines); scanning them with `memchr`
//! for the closing quote and borrowing them when they hold no escape is what makes parsing
//! cheaper than building a `serde_json::Value`. Integers stay exact (`i64`, else `u64`);
//! other numbers are parsed with correct rounding. Raw control characters inside strings are
//! accepted (Falco never writes them; rejecting them would only lose alerts).

use std::borrow::Cow;

use crate::value::FieldValue;

/// Deepest nesting accepted (objects and arrays).
pub(crate) const MAX_DEPTH: usize = 128;

/// A syntax or type error at a byte position.
#[derive(Debug)]
pub(crate) struct JsonError {
    pub pos: usize,
    pub msg: Cow<'static, str>,
}

pub(crate) type Result<T> = std::result::Result<T, JsonError>;

/// Bytes scanned eight at a time before handing over to `memchr` (keys and most values end
/// within them, where setting up SIMD costs more than it saves).
const SWAR_BYTES: usize = 64;

/// The high bit of every byte of `w` that is `"` or `\\`; the lowest one is exact (Mycroft's
/// zero-byte test: borrows only run upward).
#[inline(always)]
fn quote_or_backslash_bits(w: u64) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let q = w ^ (ONES * u64::from(b'"'));
    let s = w ^ (ONES * u64::from(b'\\'));
    (q.wrapping_sub(ONES) & !q | s.wrapping_sub(ONES) & !s) & HIGH
}

/// The position of the first `"` or `\\` in `b`: sixteen bytes (two words) per step while
/// they last, then eight, then the odd bytes at the end of the input.
#[inline(always)]
fn find_quote_or_backslash(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < SWAR_BYTES {
        let Some(Ok(w)) = b.get(i..i + 16).map(<[u8; 16]>::try_from) else {
            break;
        };
        let w = u128::from_le_bytes(w);
        let lo = quote_or_backslash_bits(w as u64);
        let hi = quote_or_backslash_bits((w >> 64) as u64);
        if lo | hi != 0 {
            // One 128-bit count instead of a branch on which half hit (data-dependent, so
            // mispredicted about half the time).
            let at = (u128::from(hi) << 64 | u128::from(lo)).trailing_zeros();
            return Some(i + at as usize / 8);
        }
        i += 16;
    }
    if i >= SWAR_BYTES {
        return memchr::memchr2(b'"', b'\\', b.get(i..)?).map(|j| j + i);
    }
    // Fewer than sixteen bytes left: the end of the input.
    if let Some(Ok(w)) = b.get(i..i + 8).map(<[u8; 8]>::try_from) {
        let hit = quote_or_backslash_bits(u64::from_le_bytes(w));
        if hit != 0 {
            return Some(i + hit.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    b.get(i..)?
        .iter()
        .position(|&c| c == b'"' || c == b'\\')
        .map(|j| i + j)
}

/// The entries of an `output_fields` object, and what was noted while reading them.
pub(crate) struct ParsedFields<'a> {
    pub entries: Vec<(Cow<'a, str>, FieldValue<'a>)>,
    /// Whether the last `evt.time` holds a string (the gRPC rendering).
    pub str_time: bool,
}

/// A cursor over one JSON text.
pub(crate) struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    pub pos: usize,
    depth: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(s: &'a str) -> Self {
        Cursor {
            s,
            b: s.as_bytes(),
            pos: 0,
            depth: 0,
        }
    }

    #[cold]
    #[inline(never)]
    pub fn err<T>(&self, msg: impl Into<Cow<'static, str>>) -> Result<T> {
        Err(JsonError {
            pos: self.pos,
            msg: msg.into(),
        })
    }

    #[inline]
    pub fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// The next byte after whitespace. Compact JSON (what Falco writes) has none, so the
    /// byte under the cursor is tried first.
    #[inline(always)]
    pub fn peek(&mut self) -> Option<u8> {
        match self.b.get(self.pos) {
            Some(&c) if c > b' ' => Some(c),
            _ => {
                self.ws();
                self.b.get(self.pos).copied()
            }
        }
    }

    #[inline]
    pub fn expect(&mut self, c: u8) -> Result<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(format!("expected `{}`", c as char))
        }
    }

    /// Whether only whitespace remains.
    pub fn at_end(&mut self) -> bool {
        self.ws();
        self.pos == self.b.len()
    }

    /// A string without escapes, borrowed; `None` (cursor unmoved past whitespace) for
    /// anything else. Returned in registers: the hot path of keys and values.
    #[inline(always)]
    pub fn plain_string(&mut self) -> Option<&'a str> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos + 1;
        let i = find_quote_or_backslash(&self.b[start..])?;
        if self.b[start + i] != b'"' {
            return None;
        }
        let s = self.s.get(start..start + i)?;
        self.pos = start + i + 1;
        Some(s)
    }

    /// Parses a string (the cursor is on its opening quote), borrowing when unescaped.
    #[inline]
    pub fn string(&mut self) -> Result<Cow<'a, str>> {
        if let Some(s) = self.plain_string() {
            return Ok(Cow::Borrowed(s));
        }
        if self.peek() != Some(b'"') {
            return self.err("expected a string");
        }
        let start = self.pos + 1;
        match find_quote_or_backslash(&self.b[start..]) {
            Some(i) if self.b[start + i] == b'"' => {
                self.pos = start + i + 1;
                Ok(Cow::Borrowed(&self.s[start..start + i]))
            }
            Some(i) => self.escaped(start, start + i),
            None => {
                self.pos = start;
                self.err("unterminated string")
            }
        }
    }

    /// The rest of a string that holds escapes: `start` is its first byte, `at` its first
    /// backslash.
    #[inline(never)]
    fn escaped(&mut self, start: usize, mut at: usize) -> Result<Cow<'a, str>> {
        let mut out = String::with_capacity(at - start + 16);
        let mut seg = start;
        loop {
            out.push_str(&self.s[seg..at]);
            if self.b[at] == b'"' {
                self.pos = at + 1;
                return Ok(Cow::Owned(out));
            }
            self.pos = at + 1;
            self.escape(&mut out)?;
            seg = self.pos;
            match memchr::memchr2(b'"', b'\\', &self.b[seg..]) {
                Some(j) => at = seg + j,
                None => return self.err("unterminated string"),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let Some(h) = self.b.get(self.pos..self.pos + 4) else {
            return self.err("truncated \\u escape");
        };
        let mut v = 0u32;
        for &c in h {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return self.err("bad \\u escape"),
            };
            v = v * 16 + u32::from(d);
        }
        self.pos += 4;
        Ok(v)
    }

    /// Decodes one escape; the cursor is after the backslash.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let Some(&c) = self.b.get(self.pos) else {
            return self.err("truncated escape");
        };
        self.pos += 1;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    if self.b.get(self.pos..self.pos + 2) == Some(b"\\u") {
                        self.pos += 2;
                        let lo = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&lo) {
                            return self.err("unpaired surrogate");
                        }
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    } else {
                        return self.err("unpaired surrogate");
                    }
                } else {
                    hi
                };
                match char::from_u32(code) {
                    Some(ch) => ch,
                    None => return self.err("unpaired surrogate"),
                }
            }
            _ => {
                self.pos -= 1;
                return self.err("bad escape");
            }
        };
        out.push(ch);
        Ok(())
    }

    /// A string or `null`.
    pub fn opt_string(&mut self) -> Result<Option<Cow<'a, str>>> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(None);
        }
        self.string().map(Some)
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        if self.b.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(())
        } else {
            self.err("bad literal")
        }
    }

    /// Parses a number; integers stay exact.
    pub fn number(&mut self) -> Result<FieldValue<'a>> {
        let start = self.pos;
        let b = self.b;
        let mut i = start;
        let negative = b.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        let (i, acc) = digit_run(b, i);
        let int_len = i - int_start;
        if int_len == 0 || (int_len > 1 && b[int_start] == b'0') {
            return self.err("bad number");
        }
        if !matches!(b.get(i), Some(b'.' | b'e' | b'E')) && int_len <= 19 {
            if !negative {
                self.pos = i;
                return Ok(match i64::try_from(acc) {
                    Ok(v) => FieldValue::Int(v),
                    Err(_) => FieldValue::UInt(acc),
                });
            }
            if acc <= i64::MAX as u64 + 1 {
                self.pos = i;
                return Ok(FieldValue::Int((acc as i64).wrapping_neg()));
            }
        }
        self.number_slow(start, int_start, i)
    }

    /// The rest of [`Cursor::number`]: fractions, exponents and integers of 20 digits or
    /// more. `i` is the end of the integer digits.
    #[inline(never)]
    fn number_slow(
        &mut self,
        start: usize,
        int_start: usize,
        mut i: usize,
    ) -> Result<FieldValue<'a>> {
        let b = self.b;
        let mut acc: u64 = 0;
        let mut overflow = false;
        for &d in &b[int_start..i] {
            match acc
                .checked_mul(10)
                .and_then(|a| a.checked_add(u64::from(d - b'0')))
            {
                Some(a) => acc = a,
                None => overflow = true,
            }
        }
        let mut float = false;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let f = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == f {
                self.pos = i;
                return self.err("bad number");
            }
            float = true;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let e = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == e {
                self.pos = i;
                return self.err("bad number");
            }
            float = true;
        }
        self.pos = i;
        let text = &self.s[start..i];
        if !float && !overflow {
            let negative = int_start > start;
            if !negative {
                return Ok(match i64::try_from(acc) {
                    Ok(v) => FieldValue::Int(v),
                    Err(_) => FieldValue::UInt(acc),
                });
            }
            if acc <= i64::MAX as u64 + 1 {
                return Ok(FieldValue::Int((acc as i64).wrapping_neg()));
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(FieldValue::Float(f)),
            _ => self.err("number out of range"),
        }
    }

    /// Parses any value.
    #[inline]
    pub fn value(&mut self) -> Result<FieldValue<'a>> {
        match self.peek() {
            Some(b'"') => self.string().map(FieldValue::Str),
            Some(b'{') => self.object().map(FieldValue::Object),
            Some(b'[') => self.list(),
            Some(b't') => self.literal(b"true").map(|()| FieldValue::Bool(true)),
            Some(b'f') => self.literal(b"false").map(|()| FieldValue::Bool(false)),
            Some(b'n') => self.literal(b"null").map(|()| FieldValue::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.err("expected a value"),
            None => self.err("unexpected end of input"),
        }
    }

    #[inline(never)]
    fn list(&mut self) -> Result<FieldValue<'a>> {
        let mut out = Vec::new();
        self.each_element(|c| {
            out.push(c.value()?);
            Ok(())
        })?;
        Ok(FieldValue::List(out))
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("nesting too deep");
        }
        Ok(())
    }

    /// Iterates the elements of an array: calls `f` with the cursor on each element, and `f`
    /// must consume it.
    pub fn each_element(&mut self, mut f: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        self.expect(b'[')?;
        self.enter()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            f(self)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return self.err("expected `,` or `]`"),
            }
        }
    }

    /// Iterates the keys of an object: calls `f` with each key, the cursor on its value,
    /// and `f` must consume the value.
    pub fn each_key(
        &mut self,
        mut f: impl FnMut(&mut Self, Cow<'a, str>) -> Result<()>,
    ) -> Result<()> {
        self.expect(b'{')?;
        self.enter()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            let key = match self.plain_string() {
                Some(k) => Cow::Borrowed(k),
                None => self.string()?,
            };
            self.expect(b':')?;
            f(self, key)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return self.err("expected `,` or `}`"),
            }
        }
    }

    /// Parses an object into entries (in order).
    pub fn object(&mut self) -> Result<Vec<(Cow<'a, str>, FieldValue<'a>)>> {
        self.object_with_capacity(4)
    }

    /// [`Cursor::object`] with room for `n` entries up front.
    pub fn object_with_capacity(
        &mut self,
        n: usize,
    ) -> Result<Vec<(Cow<'a, str>, FieldValue<'a>)>> {
        self.fields_with_capacity(n).map(|f| f.entries)
    }

    /// [`Cursor::object_with_capacity`] for `output_fields`: also notes what the alert
    /// parser would otherwise search the entries for afterwards.
    pub fn fields_with_capacity(&mut self, n: usize) -> Result<ParsedFields<'a>> {
        let mut out = Vec::with_capacity(n);
        let mut str_time = false;
        self.each_key(|c, k| {
            // One push per kind, each value built from registers rather than returned through
            // memory and copied.
            match c.peek() {
                Some(b'"') => {
                    if let Some(s) = c.plain_string() {
                        str_time |= is_time(&k);
                        out.push((k, FieldValue::Str(Cow::Borrowed(s))));
                        return Ok(());
                    }
                }
                Some(b'-' | b'0'..=b'9') => {
                    if let Some(n) = c.small_int() {
                        if str_time && is_time(&k) {
                            str_time = false;
                        }
                        out.push((k, FieldValue::Int(n)));
                        return Ok(());
                    }
                }
                _ => {}
            }
            let v = c.value()?;
            if is_time(&k) {
                str_time = matches!(v, FieldValue::Str(_));
            }
            out.push((k, v));
            Ok(())
        })?;
        Ok(ParsedFields {
            entries: out,
            str_time,
        })
    }

    /// An integer of at most 19 digits that fits an `i64` (pids, ports, `evt.time` in ns),
    /// read in registers; `None` (cursor unmoved) for anything else, which
    /// [`Cursor::number`] reads.
    #[inline(always)]
    fn small_int(&mut self) -> Option<i64> {
        let b = self.b;
        let mut i = self.pos;
        let negative = b.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        let (i, acc) = digit_run(b, i);
        let len = i - int_start;
        let acc = i64::try_from(acc).ok()?;
        if len == 0
            || len > 19
            || (len > 1 && b[int_start] == b'0')
            || matches!(b.get(i), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        self.pos = i;
        Some(if negative { -acc } else { acc })
    }

    /// Skips a value, returning its raw text.
    pub fn raw(&mut self) -> Result<&'a str> {
        self.ws();
        let start = self.pos;
        self.value()?;
        Ok(&self.s[start..self.pos])
    }
}

/// Whether an output field name is `evt.time`.
#[inline(always)]
fn is_time(k: &str) -> bool {
    k.len() == 8 && k == "evt.time"
}

/// The ASCII digits of `b` from `i`: where they end and their value, which is exact for up to
/// 19 digits (they cannot overflow a `u64`), so the common integers (pids, ports, `evt.time`
/// in ns) are read without checked arithmetic; longer runs wrap and callers re-read them.
#[inline(always)]
fn digit_run(b: &[u8], mut i: usize) -> (usize, u64) {
    let mut acc: u64 = 0;
    while let Some(&d) = b.get(i) {
        let d = d.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        acc = acc.wrapping_mul(10).wrapping_add(u64::from(d));
        i += 1;
    }
    (i, acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> FieldValue<'_> {
        let mut c = Cursor::new(s);
        let v = c.value().unwrap();
        assert!(c.at_end(), "{s}");
        v
    }

    #[test]
    fn agrees_with_serde_json_on_values() {
        for s in [
            r#"{"a":[1,-2,3.5,1e3,true,false,null,"x\u00e9\ud83d\ude00\n"],"b":{}}"#,
            r#"[18446744073709551615, -9223372036854775808, 0, 0.1, 2.5E-3]"#,
            r#"{"a":9999999999999999999,"b":-9999999999999999999,"c":9223372036854775807,"d":-9223372036854775807,"e":-9223372036854775808,"g":1764209521000000000,"h":-1,"i":1e5,"j":12.5}"#,
            r#""\"\\\/\b\f\n\r\t""#,
        ] {
            let ours = serde_json::to_value(v(s)).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(s).unwrap();
            assert_eq!(ours, theirs, "{s}");
        }
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "{",
            "[1,]",
            "01",
            "1.",
            "-",
            "1e",
            "\"abc",
            "\"\\x\"",
            "\"\\ud800\"",
            "tru",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "[1 2]",
        ] {
            let mut c = Cursor::new(s);
            assert!(c.value().is_err() || !c.at_end(), "{s:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(Cursor::new(&deep).value().is_err());
    }

    #[test]
    fn quote_scan_agrees_with_a_plain_search() {
        for len in 0..150 {
            for at in 0..=len {
                for c in [b'"', b'\\'] {
                    let mut b = vec![b'a'; len];
                    // Bytes that trip naive zero-byte tests: 0x01, 0x80, and neighbours of the
                    // searched characters.
                    for (i, x) in b.iter_mut().enumerate() {
                        *x = [b'a', 0x01, 0x80, b'#', b'!', b']', b'[', 0xff][i % 8];
                    }
                    if at < len {
                        b[at] = c;
                    }
                    let plain = b.iter().position(|&x| x == b'"' || x == b'\\');
                    assert_eq!(find_quote_or_backslash(&b), plain, "{len} {at}");
                }
            }
        }
    }

    #[test]
    fn borrows_unescaped_strings() {
        assert!(matches!(
            v(r#""plain""#),
            FieldValue::Str(Cow::Borrowed("plain"))
        ));
        assert!(matches!(v(r#""a\"b""#), FieldValue::Str(Cow::Owned(_))));
    }
}
