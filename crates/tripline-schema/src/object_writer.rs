//! Writing a vendor map as JSON text for [`Fields::lazy`], without building its tree.
//!
//! Sources copy the leftover members of a record into one string (raw JSON values as they
//! were read, scalars printed), and the map is parsed only if something reads it.

use std::fmt::Write as _;

use serde::Serialize;

use crate::fields::Fields;

/// Writes one JSON object, member by member, into a single string.
///
/// Keys may repeat and come in any order: the map a reader sees is sorted and keeps the
/// last value of a repeated key. Values given as raw JSON ([`ObjectWriter::raw`]) must be
/// one valid JSON value each (the caller read them as such); anything else ends up under
/// [`crate::fields::INVALID_JSON_KEY`] when the map is read, never lost.
///
/// ```
/// use tripline_schema::ObjectWriter;
///
/// let mut w = ObjectWriter::with_capacity(64);
/// w.u64("pid", 42);
/// w.open("args");
/// w.raw("flags", r#""O_RDONLY""#);
/// w.str("path", "/etc/\"x\"");
/// w.close();
/// let m = w.finish();
/// assert_eq!(m["args"]["path"], "/etc/\"x\"");
/// assert_eq!(
///     serde_json::to_string(&m).unwrap(),
///     r#"{"args":{"flags":"O_RDONLY","path":"/etc/\"x\""},"pid":42}"#
/// );
/// ```
#[derive(Debug, Clone)]
pub struct ObjectWriter {
    /// The text so far: every member is followed by a `,`, which closing an object
    /// replaces (no "first member" test per member).
    buf: String,
    /// Objects opened and not yet closed, the outer one included.
    depth: usize,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        ObjectWriter::with_capacity(0)
    }
}

impl ObjectWriter {
    /// A writer with room for `n` bytes of text.
    pub fn with_capacity(n: usize) -> Self {
        let mut buf = String::with_capacity(n.max(2));
        buf.push('{');
        ObjectWriter { buf, depth: 1 }
    }

    /// Starts a member: its key. Inlined so that a literal key is copied with a known
    /// length (no `memcpy` call) and its escape test folds away.
    #[inline(always)]
    fn key(&mut self, key: &str) {
        self.buf.push('"');
        if needs_escape(key.as_bytes()) {
            push_escaped(&mut self.buf, key);
        } else {
            self.buf.push_str(key);
        }
        self.buf.push_str("\":");
    }

    /// A member whose value is raw JSON text, copied as it is.
    #[inline(always)]
    pub fn raw(&mut self, key: &str, json: &str) {
        self.key(key);
        self.buf.push_str(json);
        self.buf.push(',');
    }

    /// A string member.
    #[inline(always)]
    pub fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        push_json_str(&mut self.buf, value);
        self.buf.push(',');
    }

    /// An unsigned integer member.
    #[inline(always)]
    pub fn u64(&mut self, key: &str, value: u64) {
        self.key(key);
        self.buf.push_str(itoa::Buffer::new().format(value));
        self.buf.push(',');
    }

    /// A signed integer member.
    #[inline(always)]
    pub fn i64(&mut self, key: &str, value: i64) {
        self.key(key);
        self.buf.push_str(itoa::Buffer::new().format(value));
        self.buf.push(',');
    }

    /// A boolean member.
    #[inline(always)]
    pub fn bool(&mut self, key: &str, value: bool) {
        self.key(key);
        self.buf.push_str(if value { "true," } else { "false," });
    }

    /// A `null` member.
    #[inline(always)]
    pub fn null(&mut self, key: &str) {
        self.key(key);
        self.buf.push_str("null,");
    }

    /// A member holding any serializable value as its JSON (for the rare values a source
    /// has as a typed struct or an already built [`Field`](crate::Field)).
    pub fn serialized<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.key(key);
        match serde_json::to_string(value) {
            Ok(json) => self.buf.push_str(&json),
            // A value serde_json cannot write (a map with non-string keys; never a schema
            // type) leaves the serializer's error message in its place, so it shows.
            Err(e) => push_json_str(&mut self.buf, &e.to_string()),
        }
        self.buf.push(',');
    }

    /// A member holding an array of strings.
    pub fn str_list<'s>(&mut self, key: &str, values: impl IntoIterator<Item = &'s str>) {
        self.key(key);
        self.buf.push('[');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            push_json_str(&mut self.buf, v);
        }
        self.buf.push_str("],");
    }

    /// A member holding an array of unsigned integers.
    pub fn u64_list(&mut self, key: &str, values: impl IntoIterator<Item = u64>) {
        self.key(key);
        self.buf.push('[');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            self.buf.push_str(itoa::Buffer::new().format(v));
        }
        self.buf.push_str("],");
    }

    /// Opens an object member; its members follow until [`ObjectWriter::close`].
    pub fn open(&mut self, key: &str) {
        self.key(key);
        self.buf.push('{');
        self.depth += 1;
    }

    /// Ends the innermost object: the trailing `,` of its last member (if any) becomes
    /// the closing brace.
    fn end_object(&mut self) {
        if self.buf.ends_with(',') {
            self.buf.pop();
        }
        self.buf.push('}');
    }

    /// Closes the innermost object [`ObjectWriter::open`] opened (the outer object is
    /// closed by [`ObjectWriter::finish`]; an extra `close` does nothing).
    pub fn close(&mut self) {
        if self.depth > 1 {
            self.end_object();
            self.buf.push(',');
            self.depth -= 1;
        }
    }

    /// Whether no member was written yet.
    pub fn is_empty(&self) -> bool {
        self.buf.len() <= 1
    }

    /// The map: lazy when it has members, an ordinary empty map otherwise. Objects still
    /// open are closed.
    pub fn finish(mut self) -> Fields {
        if self.is_empty() {
            return Fields::new();
        }
        while self.depth > 1 {
            self.close();
        }
        self.end_object();
        Fields::lazy(self.buf)
    }
}

/// Appends `s` as a JSON string literal: quotes, `"` and `\` escaped, control characters
/// as `\u00XX` (a reader decodes any valid escape alike).
#[inline]
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    if needs_escape(s.as_bytes()) {
        push_escaped(out, s);
    } else {
        out.push_str(s);
    }
    out.push('"');
}

/// Whether a byte is `"`, `\` or a control character.
#[inline]
fn special(c: u8) -> bool {
    (c == b'"') | (c == b'\\') | (c < 0x20)
}

/// Whether any byte of a word is `"`, `\` or below 0x20 (bit tricks: a byte is zero after
/// the XOR, or borrows when 0x20 is subtracted; exact for "any", which is all we ask).
#[inline]
fn word_special(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    (zero(w ^ (LO * u64::from(b'"'))) | zero(w ^ (LO * u64::from(b'\\'))) | zero_below(w, 0x20))
        != 0
}

/// The high bit of each byte of `w` below `n` (for `n` <= 128; exact for "any").
#[inline]
fn zero_below(w: u64, n: u8) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    w.wrapping_sub(LO * u64::from(n)) & !w & HI
}

/// Whether `b` holds a byte JSON must escape, a word per step; short strings (most keys)
/// take two overlapping loads instead of a loop.
#[inline]
fn needs_escape(b: &[u8]) -> bool {
    let word = |c: &[u8; 8]| word_special(u64::from_le_bytes(*c));
    if let Some(last) = b.last_chunk::<8>() {
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            if c.first_chunk::<8>().is_some_and(word) {
                return true;
            }
        }
        return word(last);
    }
    if let (Some(head), Some(tail)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        let [a, b2, c, d] = *head;
        let [e, f, g, h] = *tail;
        return word(&[a, b2, c, d, e, f, g, h]);
    }
    b.iter().any(|&c| special(c))
}

/// The escaping path of [`push_json_str`].
#[cold]
fn push_escaped(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if special(c) {
            out.push_str(&s[start..i]);
            match c {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                _ => {
                    let _ = write!(out, "\\u{:04x}", c);
                }
            }
            start = i + 1;
        }
    }
    out.push_str(&s[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Field;

    #[test]
    fn members_of_every_kind_read_back_as_a_parsed_map() {
        let mut w = ObjectWriter::with_capacity(0);
        w.str("s", "a\"b\\c\n\u{1}é");
        w.i64("n", -7);
        w.bool("t", true);
        w.null("z");
        w.str_list("l", ["x", "y\""]);
        w.u64_list("u", [1, 18_446_744_073_709_551_615]);
        w.open("o");
        w.open("p");
        w.u64("q", 1);
        // `p` and `o` left open: finish closes them.
        let m = w.finish();
        assert!(m.is_unparsed());
        let want = Field::from_json_str(
            r#"{"s":"a\"b\\c\n\u0001é","n":-7,"t":true,"z":null,"l":["x","y\""],
                "u":[1,18446744073709551615],"o":{"p":{"q":1}}}"#,
        )
        .unwrap();
        assert_eq!(Some(&m), want.as_map());
        assert!(!m.is_unparsed());
    }

    #[test]
    fn needs_escape_finds_every_special_byte_at_every_position() {
        for len in 0..40 {
            let plain = "x".repeat(len);
            assert!(!needs_escape(plain.as_bytes()));
            for at in 0..len {
                for c in [b'"', b'\\', 0, 0x1f, b'\n'] {
                    let mut b = plain.clone().into_bytes();
                    b[at] = c;
                    assert!(needs_escape(&b), "{len} {at} {c}");
                }
                let mut b = plain.clone().into_bytes();
                b[at] = 0x20;
                assert!(!needs_escape(&b));
            }
        }
    }

    #[test]
    fn an_empty_writer_gives_an_ordinary_empty_map() {
        let m = ObjectWriter::default().finish();
        assert!(m.is_empty() && !m.is_unparsed());
        let mut w = ObjectWriter::default();
        w.open("a");
        w.close();
        w.close();
        let m = w.finish();
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"a":{}}"#);
    }
}
