//! A hand-written JSON scanner for one Tracee line.
//!
//! It accepts and rejects exactly what `serde_json` does for the same targets: strings read
//! into a field are decoded strictly (escapes checked, UTF-16 surrogates paired), values kept
//! raw are validated as `serde_json` skips them (escape syntax checked, surrogates not paired,
//! no depth limit), numbers follow the JSON grammar, whitespace is space, tab, CR and LF.
//! Strings borrow from the input unless they contain an escape; nothing is allocated while
//! scanning except the decoded copy of an escaped string.

use std::borrow::Cow;

use crate::json::RawJson;

/// Where and why scanning failed.
#[derive(Debug, Clone)]
pub(crate) struct ScanError {
    /// Byte position in the scanned text.
    pub pos: usize,
    /// What was wrong.
    pub msg: Cow<'static, str>,
}

pub(crate) type Res<T> = Result<T, ScanError>;

/// Nesting at which serde_json's typed decoding gives up (`RecursionLimitExceeded`).
#[cfg(feature = "schema")]
pub(crate) const DEPTH_LIMIT: usize = 128;

/// A cursor over one JSON text.
pub(crate) struct Scanner<'a> {
    s: &'a str,
    b: &'a [u8],
    /// Byte position of the next unread byte.
    pub pos: usize,
}

/// The JSON type of the value at a position, for error messages.
fn type_name(c: Option<u8>) -> &'static str {
    match c {
        Some(b'"') => "string",
        Some(b'{') => "map",
        Some(b'[') => "sequence",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "number",
        None => "end of input",
        Some(_) => "invalid value",
    }
}

const ONES: u64 = u64::MAX / 255;
const HIGH: u64 = ONES << 7;

/// Index of the first `"`, `\` or control byte (< 0x20): the bytes a JSON string body stops
/// at. Eight bytes per step (Mycroft's zero-byte test; the lowest flagged byte is exact).
#[inline]
pub(crate) fn find_special(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        let q = w ^ (ONES * u64::from(b'"'));
        let s = w ^ (ONES * u64::from(b'\\'));
        let hit = (q.wrapping_sub(ONES) & !q
            | s.wrapping_sub(ONES) & !s
            | w.wrapping_sub(ONES * 0x20) & !w)
            & HIGH;
        if hit != 0 {
            return Some(i + hit.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|j| i + j)
}

/// Equality of two short byte strings, eight bytes at a time, inline (keys are a few bytes:
/// a `memcmp` call costs more than the comparison). The bytes past the last whole chunk
/// are compared as one overlapping load, not byte by byte, so the work does not branch on
/// the length.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let load8 = |s: &[u8], i: usize| {
        s.get(i..i + 8)
            .and_then(|c| c.first_chunk::<8>())
            .map(|c| u64::from_le_bytes(*c))
    };
    let load4 = |s: &[u8], i: usize| {
        s.get(i..i + 4)
            .and_then(|c| c.first_chunk::<4>())
            .map(|c| u32::from_le_bytes(*c))
    };
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if load8(a, i) != load8(b, i) {
                return false;
            }
            i += 8;
        }
        return load8(a, n - 8) == load8(b, n - 8);
    }
    if n >= 4 {
        return load4(a, 0) == load4(b, 0) && load4(a, n - 4) == load4(b, n - 4);
    }
    // Zero to three bytes: first, middle and last cover them all.
    n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1])
}

fn hex4(b: &[u8]) -> Option<u16> {
    let mut v = 0u16;
    for &c in b.get(..4)? {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return None,
        };
        v = v << 4 | u16::from(d);
    }
    Some(v)
}

/// Decodes the body of a JSON string whose escapes were validated syntactically; `None` for
/// unpaired surrogates (as `serde_json` refuses them when reading a `str`).
pub(crate) fn unescape(body: &str) -> Option<String> {
    let b = body.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let Some(j) = memchr::memchr(b'\\', &b[i..]) else {
            out.push_str(&body[i..]);
            break;
        };
        out.push_str(&body[i..i + j]);
        i += j + 1;
        let c = *b.get(i)?;
        i += 1;
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
                let n = hex4(&b[i..])?;
                i += 4;
                match n {
                    0xD800..=0xDBFF => {
                        if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
                            return None;
                        }
                        let lo = hex4(&b[i + 2..])?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return None;
                        }
                        i += 6;
                        let cp =
                            0x10000 + ((u32::from(n) - 0xD800) << 10) + (u32::from(lo) - 0xDC00);
                        char::from_u32(cp)?
                    }
                    0xDC00..=0xDFFF => return None,
                    _ => char::from_u32(u32::from(n))?,
                }
            }
            _ => return None,
        };
        out.push(ch);
    }
    Some(out)
}

/// A member key read by [`Scanner::obj_key_guess`].
pub(crate) enum Key<'a> {
    /// The guessed key.
    Guess,
    /// Another key, decoded.
    Other(Cow<'a, str>),
}

/// Open containers of [`Scanner::skip_value`]: a bit per level (object or array), spilling
/// to the heap only past 128 levels.
struct Stack {
    bits: u128,
    len: usize,
    spill: Vec<bool>,
}

impl Stack {
    fn push(&mut self, obj: bool) {
        if self.len < 128 {
            if obj {
                self.bits |= 1 << self.len;
            } else {
                self.bits &= !(1 << self.len);
            }
        } else {
            self.spill.push(obj);
        }
        self.len += 1;
    }

    fn top(&self) -> Option<bool> {
        let i = self.len.checked_sub(1)?;
        if i < 128 {
            Some(self.bits >> i & 1 == 1)
        } else {
            self.spill.last().copied()
        }
    }

    fn pop(&mut self) {
        if self.len > 128 {
            self.spill.pop();
        }
        self.len = self.len.saturating_sub(1);
    }
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `s`.
    pub fn new(s: &'a str) -> Self {
        Scanner {
            s,
            b: s.as_bytes(),
            pos: 0,
        }
    }

    /// An error at the current position.
    pub fn err<T>(&self, msg: impl Into<Cow<'static, str>>) -> Res<T> {
        Err(ScanError {
            pos: self.pos,
            msg: msg.into(),
        })
    }

    /// An "expected X" error naming the JSON type found.
    pub fn invalid_type<T>(&self, expected: &'static str) -> Res<T> {
        self.err(format!(
            "invalid type: {}, expected {expected}",
            type_name(self.peek())
        ))
    }

    /// Skips JSON whitespace.
    #[inline]
    pub fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if c == b' ' || c == b'\n' || c == b'\t' || c == b'\r' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// The next byte, if any.
    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// Only whitespace may follow.
    pub fn end(&mut self) -> Res<()> {
        self.ws();
        if self.pos < self.b.len() {
            return self.err("trailing characters");
        }
        Ok(())
    }

    fn expect(&mut self, c: u8, what: &'static str) -> Res<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else if self.pos >= self.b.len() {
            self.err(format!("EOF while parsing, expected {what}"))
        } else {
            self.err(format!("expected {what}"))
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Res<()> {
        if self.b[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            self.err("expected ident")
        }
    }

    /// At `"`: validates the string up to its closing quote. Returns the body's bounds and
    /// whether it has escapes. Inlined for the common string (no escape, closed by the
    /// first special byte); anything else takes [`Self::scan_str_escaped`].
    #[inline]
    fn scan_str(&mut self) -> Res<(usize, usize, bool)> {
        let start = self.pos + 1;
        if let Some(j) = self.b.get(start..).and_then(find_special) {
            let i = start + j;
            if self.b[i] == b'"' {
                self.pos = i + 1;
                return Ok((start, i, false));
            }
        }
        self.scan_str_escaped(start)
    }

    /// [`Self::scan_str`] for a string body starting at `start` that holds an escape or a
    /// control byte, or is not closed.
    #[inline(never)]
    fn scan_str_escaped(&mut self, start: usize) -> Res<(usize, usize, bool)> {
        let mut i = start;
        let mut esc = false;
        loop {
            let Some(j) = self.b.get(i..).and_then(find_special) else {
                self.pos = self.b.len();
                return self.err("EOF while parsing a string");
            };
            i += j;
            match self.b[i] {
                b'"' => {
                    self.pos = i + 1;
                    return Ok((start, i, esc));
                }
                b'\\' => {
                    esc = true;
                    i += 1;
                    match self.b.get(i) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 1,
                        Some(b'u') => {
                            if hex4(&self.b[i + 1..]).is_none() {
                                self.pos = i;
                                return self.err("invalid escape");
                            }
                            i += 5;
                        }
                        None => {
                            self.pos = i;
                            return self.err("EOF while parsing a string");
                        }
                        Some(_) => {
                            self.pos = i;
                            return self.err("invalid escape");
                        }
                    }
                }
                _ => {
                    self.pos = i;
                    return self
                        .err("control character (\\u0000-\\u001F) found while parsing a string");
                }
            }
        }
    }

    /// A string decoded strictly (as `serde_json` reads a `str`); borrowed without escapes.
    pub fn string(&mut self) -> Res<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return self.invalid_type("a string");
        }
        let (start, end, esc) = self.scan_str()?;
        let body = &self.s[start..end];
        if !esc {
            return Ok(Cow::Borrowed(body));
        }
        match unescape(body) {
            Some(s) => Ok(Cow::Owned(s)),
            None => Err(ScanError {
                pos: start,
                msg: "lone surrogate in hex escape".into(),
            }),
        }
    }

    /// `null`, or a strictly decoded string.
    pub fn opt_string(&mut self) -> Res<Option<Cow<'a, str>>> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(None);
        }
        self.string().map(Some)
    }

    /// `null` or a list of strictly decoded strings.
    pub fn opt_string_list(&mut self) -> Res<Option<Vec<Cow<'a, str>>>> {
        match self.peek() {
            Some(b'n') => {
                self.literal(b"null")?;
                Ok(None)
            }
            Some(b'[') => {
                let mut out = Vec::new();
                let mut first = true;
                self.arr_start()?;
                while self.arr_next(&mut first)? {
                    out.push(self.string()?);
                }
                Ok(Some(out))
            }
            _ => self.invalid_type("a list of strings or null"),
        }
    }

    /// Scans a number per the JSON grammar. Returns its start and whether it is an integer.
    fn scan_number(&mut self) -> Res<(usize, bool)> {
        let start = self.pos;
        let b = self.b;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => {
                i += 1;
                if b.get(i).is_some_and(u8::is_ascii_digit) {
                    self.pos = i;
                    return self.err("invalid number");
                }
            }
            Some(b'1'..=b'9') => {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return self.err("invalid number");
            }
        }
        let mut integer = true;
        if b.get(i) == Some(&b'.') {
            integer = false;
            i += 1;
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                self.pos = i;
                return self.err("invalid number");
            }
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            integer = false;
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                self.pos = i;
                return self.err("invalid number");
            }
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        self.pos = i;
        Ok((start, integer))
    }

    /// A number as `serde_json` classifies it: `Ok(Ok(u))` for a non-negative integer that
    /// fits `u64`, `Ok(Err(Some(i)))` for a negative one that fits `i64`, `Ok(Err(None))` for
    /// anything it reads as a float (fractions, exponents, overflow, `-0`).
    pub fn int_number(&mut self) -> Res<Result<u64, Option<i64>>> {
        // One pass over the digits; anything but a plain integer goes through the grammar.
        let b = self.b;
        let start = self.pos;
        let neg = b.get(start) == Some(&b'-');
        let first = start + usize::from(neg);
        let mut i = first;
        let mut v = 0u64;
        let mut overflow = false;
        // Nineteen digits cannot overflow a u64 (< 10^19 < 2^64): no checks for those.
        let unchecked = b.len().min(first + 19);
        while i < unchecked {
            let d = b[i].wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            v = v * 10 + u64::from(d);
            i += 1;
        }
        while let Some(&c) = b.get(i) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            match v.checked_mul(10).and_then(|v| v.checked_add(u64::from(d))) {
                Some(n) => v = n,
                None => overflow = true,
            }
            i += 1;
        }
        let plain = i > first
            && (i == first + 1 || b[first] != b'0')
            && !matches!(b.get(i), Some(b'.' | b'e' | b'E'));
        if !plain {
            self.pos = start;
            let (_, integer) = self.scan_number()?;
            if !integer {
                return Ok(Err(None));
            }
        }
        self.pos = i;
        if overflow {
            return Ok(Err(None));
        }
        if !neg {
            return Ok(Ok(v));
        }
        // serde_json reads `-0` and magnitudes past `i64::MIN` as floats.
        let n = (v as i64).wrapping_neg();
        Ok(Err((n < 0).then_some(n)))
    }

    /// A JSON integer that fits `i64` (serde's `i64`).
    pub fn i64(&mut self) -> Res<i64> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return self.invalid_type("i64");
        }
        let start = self.pos;
        match self.int_number()? {
            Ok(u) => i64::try_from(u).or_else(|_| {
                self.pos = start;
                self.err(format!("invalid value: integer `{u}`, expected i64"))
            }),
            Err(Some(i)) => Ok(i),
            Err(None) => {
                self.pos = start;
                self.err("invalid type: floating point, expected i64")
            }
        }
    }

    /// A JSON integer that fits `u64` (serde's `u64`).
    pub fn u64(&mut self) -> Res<u64> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return self.invalid_type("u64");
        }
        let start = self.pos;
        match self.int_number()? {
            Ok(u) => Ok(u),
            Err(Some(i)) => {
                self.pos = start;
                self.err(format!("invalid value: integer `{i}`, expected u64"))
            }
            Err(None) => {
                self.pos = start;
                self.err("invalid type: floating point, expected u64")
            }
        }
    }

    /// `null` or an `i64`.
    pub fn opt_i64(&mut self) -> Res<Option<i64>> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(None);
        }
        self.i64().map(Some)
    }

    /// `null` or a `u64`.
    pub fn opt_u64(&mut self) -> Res<Option<u64>> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(None);
        }
        self.u64().map(Some)
    }

    /// `null` or a boolean.
    pub fn opt_bool(&mut self) -> Res<Option<bool>> {
        match self.peek() {
            Some(b'n') => self.literal(b"null").map(|()| None),
            Some(b't') => self.literal(b"true").map(|()| Some(true)),
            Some(b'f') => self.literal(b"false").map(|()| Some(false)),
            _ => self.invalid_type("a boolean"),
        }
    }

    /// Whether the next value is `null`; consumes it if so.
    pub fn null(&mut self) -> Res<bool> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// At `{`: enters the object.
    pub fn obj_start(&mut self) -> Res<()> {
        if self.peek() != Some(b'{') {
            return self.invalid_type("a map");
        }
        self.pos += 1;
        Ok(())
    }

    /// The separator before the next element of an object or array closed by `close`:
    /// `false` after the closing byte, else `true` with the scanner at the element (after
    /// its `,` unless it is the first).
    #[inline(always)]
    fn separated(
        &mut self,
        first: &mut bool,
        close: u8,
        eof: &'static str,
        expected: &'static str,
    ) -> Res<bool> {
        self.ws();
        match self.peek() {
            Some(c) if c == close => {
                self.pos += 1;
                return Ok(false);
            }
            Some(b',') if !*first => {
                self.pos += 1;
                self.ws();
            }
            _ if *first => {}
            None => return self.err(eof),
            _ => return self.err(expected),
        }
        *first = false;
        Ok(true)
    }

    /// Moves to the next member of an object: `false` after the closing `}`, else `true`
    /// with the scanner at the member's key.
    fn member(&mut self, first: &mut bool) -> Res<bool> {
        if !self.separated(
            first,
            b'}',
            "EOF while parsing an object",
            "expected `,` or `}`",
        )? {
            return Ok(false);
        }
        if self.peek() != Some(b'"') {
            return self.err("key must be a string");
        }
        Ok(true)
    }

    /// After a key: the `:` and the whitespace before the value.
    #[inline]
    fn colon(&mut self) -> Res<()> {
        if self.peek() == Some(b':') {
            self.pos += 1;
        } else {
            self.ws();
            self.expect(b':', "`:`")?;
        }
        self.ws();
        Ok(())
    }

    /// The next member's key (strictly decoded) with the scanner at its value, or `None`
    /// after the closing `}`. `first` starts `true` for each object.
    pub fn obj_key(&mut self, first: &mut bool) -> Res<Option<Cow<'a, str>>> {
        if !self.member(first)? {
            return Ok(None);
        }
        let key = self.string()?;
        self.colon()?;
        Ok(Some(key))
    }

    /// As [`Scanner::obj_key`], but a key spelled exactly `guess` (the member a writer puts
    /// next) is recognized by one comparison, without scanning or decoding it. An empty
    /// `guess` guesses nothing.
    pub fn obj_key_guess(&mut self, first: &mut bool, guess: &str) -> Res<Option<Key<'a>>> {
        if !self.member(first)? {
            return Ok(None);
        }
        let g = guess.as_bytes();
        let end = self.pos + 1 + g.len();
        let key = if !g.is_empty()
            && self.b.get(end) == Some(&b'"')
            && same_bytes(&self.b[self.pos + 1..end], g)
        {
            self.pos = end + 1;
            Key::Guess
        } else {
            Key::Other(self.string()?)
        };
        self.colon()?;
        Ok(Some(key))
    }

    /// At `[`: enters the array.
    pub fn arr_start(&mut self) -> Res<()> {
        if self.peek() != Some(b'[') {
            return self.invalid_type("a sequence");
        }
        self.pos += 1;
        Ok(())
    }

    /// Whether another element follows (the scanner is then at it); `false` after the
    /// closing `]`. `first` starts `true` for each array.
    pub fn arr_next(&mut self, first: &mut bool) -> Res<bool> {
        if !self.separated(
            first,
            b']',
            "EOF while parsing a list",
            "expected `,` or `]`",
        )? {
            return Ok(false);
        }
        if self.peek() == Some(b']') {
            return self.err("trailing comma");
        }
        Ok(true)
    }

    /// Skips one value, validating it as `serde_json` does when it ignores a value (escape
    /// syntax, numbers, literals, structure; no depth limit, no recursion).
    pub fn skip_value(&mut self) -> Res<()> {
        let mut stack = Stack {
            bits: 0,
            len: 0,
            spill: Vec::new(),
        };
        'value: loop {
            self.ws();
            match self.peek() {
                Some(b'{') => {
                    self.pos += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                    } else {
                        stack.push(true);
                        self.skip_key()?;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                    } else {
                        stack.push(false);
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    self.scan_str()?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.scan_number()?;
                }
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                None => return self.err("EOF while parsing a value"),
                Some(_) => return self.err("expected value"),
            }
            // After a value: close containers or move to the next member.
            loop {
                let Some(obj) = stack.top() else {
                    return Ok(());
                };
                self.ws();
                match (self.peek(), obj) {
                    (Some(b','), true) => {
                        self.pos += 1;
                        self.ws();
                        self.skip_key()?;
                        continue 'value;
                    }
                    (Some(b','), false) => {
                        self.pos += 1;
                        continue 'value;
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => {
                        self.pos += 1;
                        stack.pop();
                    }
                    (None, _) => return self.err("EOF while parsing a value"),
                    (_, true) => return self.err("expected `,` or `}`"),
                    (_, false) => return self.err("expected `,` or `]`"),
                }
            }
        }
    }

    /// A member key in a skipped object (not decoded), and its `:`.
    fn skip_key(&mut self) -> Res<()> {
        if self.peek() != Some(b'"') {
            return self.err("key must be a string");
        }
        self.scan_str()?;
        self.ws();
        self.expect(b':', "`:`")
    }

    /// Consumes `bytes` when the input continues with exactly them.
    #[inline]
    pub fn lit(&mut self, bytes: &[u8]) -> bool {
        let end = self.pos + bytes.len();
        match self.b.get(self.pos..end) {
            Some(have) if same_bytes(have, bytes) => {
                self.pos = end;
                true
            }
            _ => false,
        }
    }

    /// One value kept as its raw text.
    pub fn raw(&mut self) -> Res<RawJson<'a>> {
        self.ws();
        let start = self.pos;
        // Scalars directly; containers through the general skipper.
        match self.peek() {
            Some(b'"') => {
                self.scan_str()?;
            }
            Some(b'-' | b'0'..=b'9') => {
                self.scan_number()?;
            }
            _ => self.skip_value()?,
        }
        Ok(RawJson::new_unchecked(&self.s[start..self.pos]))
    }

    /// The text from `start` to the current position.
    #[cfg(feature = "schema")]
    pub fn since(&self, start: usize) -> &'a str {
        &self.s[start..self.pos]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_is_slice_equality() {
        let words: Vec<Vec<u8>> = (0..=20)
            .flat_map(|n| {
                let base: Vec<u8> = (0..n).map(|i| b'a' + i as u8).collect();
                let mut out = vec![base.clone()];
                for k in 0..n {
                    let mut w = base.clone();
                    w[k] ^= 0x20;
                    out.push(w);
                }
                out
            })
            .collect();
        for a in &words {
            for b in &words {
                assert_eq!(same_bytes(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    fn skip(s: &str) -> bool {
        let mut sc = Scanner::new(s);
        sc.skip_value().is_ok() && sc.end().is_ok()
    }

    #[test]
    fn skipping_validates_like_serde() {
        for s in [
            "1",
            "-0",
            "1.5e-3",
            "\"a\\u00e9\\ud800\"",
            "[]",
            "{}",
            "[1,[2,{\"a\":[null,true,false]}]]",
            " { \"a\" : 1 , \"b\" : [ ] } ",
        ] {
            assert!(skip(s), "{s}");
            assert!(
                serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok(),
                "{s}"
            );
        }
        for s in [
            "01",
            "1.",
            "-",
            "+1",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\"}",
            "\"\\x\"",
            "\"\u{1}\"",
            "tru",
            "[1 2]",
            "{1:2}",
            "\"abc",
            "[",
            "1e",
            "nul",
        ] {
            assert!(!skip(s), "{s}");
            assert!(
                serde_json::from_str::<serde::de::IgnoredAny>(s).is_err(),
                "{s}"
            );
        }
        let deep = "[".repeat(500) + &"]".repeat(500);
        assert!(skip(&deep));
    }

    #[test]
    fn strings_decode_strictly() {
        let mut sc = Scanner::new(r#""plain""#);
        assert!(matches!(sc.string(), Ok(Cow::Borrowed("plain"))));
        let mut sc = Scanner::new(r#""a\n\u00e9\ud83d\ude00\/""#);
        assert_eq!(sc.string().unwrap(), "a\né😀/");
        let mut sc = Scanner::new(r#""\ud800""#);
        assert!(sc.string().is_err());
        let mut sc = Scanner::new(r#""\udc00x""#);
        assert!(sc.string().is_err());
    }

    #[test]
    fn integers_follow_serde() {
        let i = |s: &str| Scanner::new(s).i64().ok();
        let u = |s: &str| Scanner::new(s).u64().ok();
        assert_eq!(i("42"), Some(42));
        assert_eq!(i("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(i("9223372036854775808"), None);
        assert_eq!(i("-0"), None);
        assert_eq!(i("1.0"), None);
        assert_eq!(i("\"1\""), None);
        assert_eq!(u("18446744073709551615"), Some(u64::MAX));
        assert_eq!(u("18446744073709551616"), None);
        assert_eq!(u("-1"), None);
    }

    proptest::proptest! {
        #[test]
        fn validity_agrees_with_serde(s in r#"[\[\]{}",:0-9eE.+\-tralsfnu\\ \x01]{0,24}"#) {
            let mut sc = Scanner::new(&s);
            let ours = sc.skip_value().and_then(|()| sc.end()).is_ok();
            let theirs = serde_json::from_str::<serde::de::IgnoredAny>(&s).is_ok();
            proptest::prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn decoding_agrees_with_serde(s in r#""([a-z0-9"/\\]|\\[nu"/\\]|\\u[dD][89abcAB][0-9a-f]{2}|\\u00[0-9a-f]{2}){0,10}""#) {
            let mut sc = Scanner::new(&s);
            let ours = sc.string().and_then(|v| sc.end().map(|()| v.into_owned())).ok();
            let theirs = serde_json::from_str::<String>(&s).ok();
            proptest::prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn integers_agree_with_serde(s in "-?[0-9]{1,21}(\\.[0-9])?") {
            let ours = Scanner::new(&s).i64().ok();
            proptest::prop_assert_eq!(ours, serde_json::from_str::<i64>(&s).ok());
            let ours = Scanner::new(&s).u64().ok();
            proptest::prop_assert_eq!(ours, serde_json::from_str::<u64>(&s).ok());
        }
    }

    #[test]
    fn special_bytes_found_in_any_lane() {
        for n in 0..20 {
            for c in [b'"', b'\\', 0x1f, 0] {
                let mut v = vec![b'a'; 20];
                v[n] = c;
                assert_eq!(find_special(&v), Some(n));
            }
        }
        assert_eq!(find_special(&[0x20, 0x7f, 0xff, b'#']), None);
    }
}
