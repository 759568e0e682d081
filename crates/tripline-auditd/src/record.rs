//! One audit record (one line): header, borrowed fields, enriched tail, warnings.

use std::borrow::Cow;
use std::fmt;

use crate::RecordType;
use crate::error::{Error, Warning};
use crate::value::{self, Number, Radix};

/// A byte range inside a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl Span {
    #[inline]
    pub(crate) fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    #[inline]
    fn of(self, s: &str) -> &str {
        s.get(self.start as usize..self.end as usize).unwrap_or("")
    }
}

/// How a value was written in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueKind {
    /// Unquoted text or number (`pid=42`, `key=(null)`, `subj=unconfined`).
    Bare,
    /// Double-quoted text (`comm="bash"`); the value excludes the quotes.
    Quoted,
    /// Unquoted hex of a string-typed field (`proctitle=2F62696E…`), decoded on access.
    Hex,
    /// The single-quoted nested list of a user-space message (`msg='op=… res=success'`);
    /// its fields are also available with [`Scope::Msg`].
    Nested,
    /// A braced ENRICHED value (`SADDR={ fam=inet laddr=… }`), braces included.
    Braced,
}

/// Which part of the record a field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// The record body.
    Body,
    /// Inside the body's `msg='…'` (user-space records).
    Msg,
    /// The ENRICHED tail after `0x1D` (UPPERCASE keys).
    Enriched,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) key: Span,
    pub(crate) value: Span,
    pub(crate) kind: ValueKind,
    pub(crate) scope: Scope,
    /// [`key_sig`] of the key, or [`TEXT_SIG`] for free text (not `key=value`: a prefix like
    /// `avc:  denied  { read } for`, or words that could not be tokenized). A lookup passes
    /// over the tokens of other keys, and text, by comparing it, without reading the line.
    pub(crate) sig: u32,
}

impl Token {
    /// Whether this is free text, not a `key=value` field.
    #[inline]
    pub(crate) fn is_text(&self) -> bool {
        self.sig == TEXT_SIG
    }
}

/// The [`Token::sig`] of free text: no key's ([`key_sig`] of a valid UTF-8 key is never all
/// ones: its first byte would be `0xFF`).
pub(crate) const TEXT_SIG: u32 = u32::MAX;

/// A key's length (low byte, saturated) and its first three bytes.
#[inline]
pub(crate) fn key_sig(k: &[u8]) -> u32 {
    let at = |i: usize| u32::from(k.get(i).copied().unwrap_or(0));
    (k.len().min(255) as u32) | at(0) << 8 | at(1) << 16 | at(2) << 24
}

/// Everything parsed from a line, as offsets into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Meta {
    pub(crate) node: Option<Span>,
    pub(crate) type_name: Span,
    pub(crate) type_code: Option<u16>,
    pub(crate) secs: u64,
    pub(crate) msec: u16,
    pub(crate) serial: u32,
    pub(crate) body: Span,
    pub(crate) enriched_start: Option<u32>,
    pub(crate) tokens: Vec<Token>,
    pub(crate) warnings: Vec<Warning>,
    pub(crate) spliced_at: Option<u32>,
    /// A 128-bit filter of the field keys present (see [`key_bits`]): a lookup of a key
    /// whose bit is clear answers "absent" without scanning the tokens.
    pub(crate) keys: [u64; 2],
    /// Where the record was read (set by the readers, or [`Record::at`]); line 0 (not
    /// `Option`, which would cost 8 more bytes per kept record) when unknown.
    pub(crate) position: Position,
}

/// Where a record was read in its stream: the 1-based line number and the byte offset of
/// the record's first byte (the line's start, or later for a record spliced into a line).
/// Kept through assembly so an event can point back at its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Position {
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the record in the stream.
    pub offset: u64,
}

impl Position {
    /// A position from a 1-based line number and a byte offset.
    pub fn new(line: u64, offset: u64) -> Self {
        Position { line, offset }
    }
}

/// The filter bit of a field key: a hash of its length and first, second and last bytes.
#[inline]
pub(crate) fn key_bit(k: &[u8]) -> (usize, u64) {
    let (Some(&first), Some(&last)) = (k.first(), k.last()) else {
        return (0, 1);
    };
    let second = k.get(1).copied().unwrap_or(0);
    let x =
        (k.len() as u64) | u64::from(first) << 16 | u64::from(second) << 24 | u64::from(last) << 32;
    let h = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 57;
    ((h >> 6) as usize, 1 << (h & 63))
}

/// The key filter of a token list: every field key, and for split EXECVE arguments
/// (`a1[0]`) also the joined name (`a1`).
pub(crate) fn key_bits(line: &str, tokens: &[Token]) -> [u64; 2] {
    let mut keys = [0u64; 2];
    let line = line.as_bytes();
    for t in tokens.iter().filter(|t| !t.is_text()) {
        let k = line
            .get(t.key.start as usize..t.key.end as usize)
            .unwrap_or_default();
        let (w, b) = key_bit(k);
        keys[w] |= b;
        // Only a key ending in `]` can be a split argument: no byte scan for the others.
        if k.last() == Some(&b']')
            && let Some(open) = k.iter().position(|&c| c == b'[')
        {
            let (w, b) = key_bit(&k[..open]);
            keys[w] |= b;
        }
    }
    keys
}

/// Whether `line[span]` is exactly `k` (an inline byte loop: keys are a few bytes, shorter
/// than a `memcmp` call's setup).
#[inline]
fn key_is(line: &[u8], span: Span, k: &[u8]) -> bool {
    (span.end - span.start) as usize == k.len()
        && line
            .get(span.start as usize..span.end as usize)
            .is_some_and(|x| x.first() == k.first() && x.iter().zip(k).all(|(a, b)| a == b))
}

/// The record type number for a header name, through a small per-thread cache (a log uses a
/// handful of type names over and over; the table lookup is a binary search of strings).
pub(crate) fn type_code(name: &str) -> Option<u16> {
    use std::cell::RefCell;
    const SLOTS: usize = 64;
    type Slot = Option<(Box<str>, Option<u16>)>;
    thread_local! {
        static CACHE: RefCell<Vec<Slot>> = RefCell::new(vec![None; SLOTS]);
    }
    let b = name.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return None;
    };
    let slot = (b.len() * 31
        + usize::from(first) * 7
        + usize::from(last) * 3
        + usize::from(b[b.len() / 2]))
        % SLOTS;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some((n, code)) = &c[slot]
            && **n == *name
        {
            return *code;
        }
        let code = RecordType::from_name(name).map(|t| t.0);
        if name.len() <= 64 {
            c[slot] = Some((name.into(), code));
        }
        code
    })
}

/// Log time of a record: seconds since the epoch and milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct EventTime {
    /// Seconds since the Unix epoch.
    pub secs: u64,
    /// Milliseconds (0–999).
    pub msec: u16,
}

impl EventTime {
    /// Milliseconds since the Unix epoch.
    pub fn as_millis(&self) -> u64 {
        self.secs
            .saturating_mul(1000)
            .saturating_add(u64::from(self.msec))
    }

    /// As a UTC date-time (`None` if out of chrono's range).
    pub fn to_datetime(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::DateTime::from_timestamp(
            i64::try_from(self.secs).ok()?,
            u32::from(self.msec) * 1_000_000,
        )
    }
}

impl fmt::Display for EventTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}", self.secs, self.msec)
    }
}

/// One `key=value` field of a record, borrowed from the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The key as written (lowercase in the body, UPPERCASE in the enriched tail).
    pub key: &'a str,
    /// The value as written, without surrounding quotes.
    pub raw: &'a str,
    /// How the value was written.
    pub kind: ValueKind,
    /// Where the field sits.
    pub scope: Scope,
}

impl<'a> Field<'a> {
    /// The value's bytes: hex decoded for [`ValueKind::Hex`], else the raw text.
    pub fn bytes(&self) -> Cow<'a, [u8]> {
        match self.kind {
            ValueKind::Hex => Cow::Owned(value::decode_hex(self.raw)),
            _ => Cow::Borrowed(self.raw.as_bytes()),
        }
    }

    /// The value as text: hex decoded (lossy UTF-8) for [`ValueKind::Hex`], else borrowed.
    pub fn text(&self) -> Cow<'a, str> {
        match self.kind {
            ValueKind::Hex => value::bytes_to_text(value::decode_hex(self.raw)),
            _ => Cow::Borrowed(self.raw),
        }
    }

    /// The value as a number in `radix` (`None` when it is not one).
    pub fn number_in(&self, radix: Radix) -> Option<Number> {
        if self.kind == ValueKind::Hex || self.kind == ValueKind::Nested {
            return None;
        }
        value::parse_number(self.raw, radix)
    }

    /// Whether the value is written as absent: `(null)`, `(none)`, `?` or empty.
    pub fn is_null(&self) -> bool {
        self.kind != ValueKind::Quoted && matches!(self.raw, "(null)" | "(none)" | "?" | "")
    }
}

/// One parsed audit record, borrowing its line.
///
/// Build one with [`Record::parse`] (or [`from_str`](crate::from_str)), or get them from a
/// [`Reader`](crate::Reader) or [`StrRecords`](crate::StrRecords). Nothing is allocated per
/// field; hex values are decoded on access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    line: &'a str,
    meta: Cow<'a, Meta>,
}

impl<'a> Record<'a> {
    /// Parses one line (trailing `\n`/`\r` line terminators are ignored).
    pub fn parse(line: &'a str) -> Result<Record<'a>, Error> {
        let (line, cr) = trim_eol(line);
        let mut meta = crate::parse::parse_meta(line)?;
        if cr {
            meta.warnings.push(Warning {
                kind: crate::error::WarningKind::CarriageReturn,
                start: line.len() as u32,
                end: line.len() as u32,
            });
        }
        Ok(Record {
            line,
            meta: Cow::Owned(meta),
        })
    }

    /// Attaches the position the record was read at (for callers that read lines
    /// themselves; [`Reader`](crate::Reader) and [`StrRecords`](crate::StrRecords) set it).
    /// Line numbers are 1-based: line 0 means unknown.
    ///
    /// ```
    /// let r = tripline_auditd::from_str("type=CWD msg=audit(1.000:2): cwd=\"/\"").unwrap();
    /// assert_eq!(r.position(), None);
    /// let r = r.at(7, 512);
    /// assert_eq!(r.position(), Some(tripline_auditd::Position::new(7, 512)));
    /// ```
    pub fn at(mut self, line: u64, offset: u64) -> Self {
        self.meta.to_mut().position = Position { line, offset };
        self
    }

    /// Where the record was read (`None` for a record parsed alone).
    pub fn position(&self) -> Option<Position> {
        let p = self.meta.position;
        (p.line > 0).then_some(p)
    }

    pub(crate) fn push_warning(&mut self, w: Warning) {
        self.meta.to_mut().warnings.push(w);
    }

    /// The whole line as read, without its line terminator.
    pub fn line(&self) -> &'a str {
        self.line
    }

    /// The `node=` (or legacy `host=`) name, if any.
    pub fn node(&self) -> Option<&'a str> {
        self.meta.node.map(|s| s.of(self.line))
    }

    /// The record type as written (`SYSCALL`, `UNKNOWN[1334]`).
    pub fn type_name(&self) -> &'a str {
        self.meta.type_name.of(self.line)
    }

    /// The record type number, when the name is known or written as `UNKNOWN[n]`.
    pub fn record_type(&self) -> Option<RecordType> {
        self.meta.type_code.map(RecordType)
    }

    /// The record type's canonical name (`UNKNOWN[1327]` becomes `PROCTITLE`), else as written.
    pub fn canonical_type_name(&self) -> &'a str {
        match self.record_type().and_then(|t| t.name()) {
            Some(n) => n,
            None => self.type_name(),
        }
    }

    /// The log time from the header.
    pub fn time(&self) -> EventTime {
        EventTime {
            secs: self.meta.secs,
            msec: self.meta.msec,
        }
    }

    /// The event serial number from the header.
    pub fn serial(&self) -> u32 {
        self.meta.serial
    }

    /// The body text (after the header, before any enriched tail), as written.
    pub fn body_text(&self) -> &'a str {
        self.meta.body.of(self.line)
    }

    /// The ENRICHED tail after `0x1D`, as written.
    pub fn enriched_text(&self) -> Option<&'a str> {
        self.meta
            .enriched_start
            .map(|s| self.line.get(s as usize..).unwrap_or(""))
    }

    /// Free text before the first field (`avc:  denied  { read } for`, `user`, `policy loaded`).
    pub fn prefix(&self) -> Option<&'a str> {
        self.meta
            .tokens
            .first()
            .filter(|t| t.is_text() && t.scope == Scope::Body)
            .map(|t| t.value.of(self.line))
    }

    /// Warnings about parts of the line that could not be fully understood.
    pub fn warnings(&self) -> &[Warning] {
        &self.meta.warnings
    }

    /// Text of a second record found spliced into this line, if any (parse it separately).
    pub fn spliced_rest(&self) -> Option<&'a str> {
        self.meta
            .spliced_at
            .map(|s| self.line.get(s as usize..).unwrap_or(""))
    }

    fn field_of(&self, t: &Token) -> Field<'a> {
        Field {
            key: t.key.of(self.line),
            raw: t.value.of(self.line),
            kind: t.kind,
            scope: t.scope,
        }
    }

    /// Every field, in order: body fields, the fields inside `msg='…'` right after the `msg`
    /// field itself, then enriched fields.
    pub fn fields(&self) -> impl Iterator<Item = Field<'a>> + '_ {
        self.meta
            .tokens
            .iter()
            .filter(|t| !t.is_text())
            .map(|t| self.field_of(t))
    }

    /// Free-text pieces (prefixes and untokenizable words) with their scope.
    pub fn texts(&self) -> impl Iterator<Item = (Scope, &'a str)> + '_ {
        self.meta
            .tokens
            .iter()
            .filter(|t| t.is_text())
            .map(|t| (t.scope, t.value.of(self.line)))
    }

    /// Whether the record may hold a field `key` (`false`: it certainly does not; for split
    /// EXECVE arguments the joined name `aN` counts as held).
    #[inline]
    pub(crate) fn may_have(&self, key: &str) -> bool {
        let (w, b) = key_bit(key.as_bytes());
        self.meta.keys[w] & b != 0
    }

    fn find(&self, key: &str, scope: Scope) -> Option<Field<'a>> {
        if !self.may_have(key) {
            return None;
        }
        let (line, kb) = (self.line.as_bytes(), key.as_bytes());
        let sig = key_sig(kb);
        self.meta
            .tokens
            .iter()
            .find(|t| t.sig == sig && t.scope == scope && key_is(line, t.key, kb))
            .map(|t| self.field_of(t))
    }

    /// A body field, else the same key inside `msg='…'`, else the ENRICHED one: what Sigma
    /// reads by name. One pass over the tokens, so a field a record lacks (the common case
    /// when many rules ask every record) costs one scan, not three.
    pub(crate) fn find_any(&self, key: &str) -> Option<Field<'a>> {
        self.lookup(key, true)
    }

    /// A body field, else the same key inside `msg='…'`.
    pub fn get(&self, key: &str) -> Option<Field<'a>> {
        self.lookup(key, false)
    }

    /// One pass over the tokens: the first body match wins, else the first `msg='…'` match,
    /// else (with `enriched`) the first ENRICHED match.
    fn lookup(&self, key: &str, enriched: bool) -> Option<Field<'a>> {
        if !self.may_have(key) {
            return None;
        }
        let (line, kb) = (self.line.as_bytes(), key.as_bytes());
        let sig = key_sig(kb);
        let (mut in_msg, mut in_enriched) = (None, None);
        for t in &self.meta.tokens {
            if t.sig != sig || !key_is(line, t.key, kb) {
                continue;
            }
            match t.scope {
                Scope::Body => return Some(self.field_of(t)),
                Scope::Msg if in_msg.is_none() => in_msg = Some(t),
                Scope::Enriched if enriched && in_enriched.is_none() => in_enriched = Some(t),
                _ => {}
            }
        }
        in_msg.or(in_enriched).map(|t| self.field_of(t))
    }

    /// A field of one scope.
    pub fn get_in(&self, key: &str, scope: Scope) -> Option<Field<'a>> {
        self.find(key, scope)
    }

    /// An ENRICHED field (`UID`, `SYSCALL`, `SADDR`…).
    pub fn enriched(&self, key: &str) -> Option<Field<'a>> {
        self.meta.enriched_start?;
        self.find(key, Scope::Enriched)
    }

    /// A field's text, hex decoded when it was written as hex.
    pub fn text(&self, key: &str) -> Option<Cow<'a, str>> {
        self.get(key).map(|f| f.text())
    }

    /// A field's number in the radix the field is written in (hex for `a0`, octal for `mode`).
    pub fn number(&self, key: &str) -> Option<Number> {
        let f = self.get(key)?;
        f.number_in(value::field_radix(key, self.canonical_type_name()))
    }

    /// The audit rule keys (`key=` split on `\x01`; none for `(null)` or a bare number).
    pub fn keys(&self) -> Vec<String> {
        match self.get("key") {
            Some(f) if f.kind == ValueKind::Quoted || f.kind == ValueKind::Hex => {
                value::split_keys(&f.text())
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The proctitle arguments (PROCTITLE records; hex split on NUL).
    pub fn proctitle_args(&self) -> Option<Vec<String>> {
        let f = self.get("proctitle")?;
        let b = f.bytes();
        Some(
            value::split_proctitle(&b)
                .into_iter()
                .map(Cow::into_owned)
                .collect(),
        )
    }

    /// Copies the record into an owned [`RecordBuf`].
    pub fn to_owned_buf(&self) -> RecordBuf {
        RecordBuf {
            line: self.line.into(),
            meta: self.meta.clone().into_owned(),
        }
    }

    /// Converts into an owned [`RecordBuf`], reusing the parsed metadata.
    pub fn into_owned_buf(self) -> RecordBuf {
        RecordBuf {
            line: self.line.into(),
            meta: self.meta.into_owned(),
        }
    }

    /// Renders the record back to a raw audit line from its parsed parts: header, fields
    /// quoted as they were written (single spaces between tokens), enriched tail after `0x1D`.
    /// Parsing the result gives an equal record (compare with [`Record::same_content`]).
    pub fn render_raw(&self) -> String {
        let mut out = String::with_capacity(self.line.len() + 8);
        if let Some(n) = self.node() {
            out.push_str("node=");
            out.push_str(n);
            out.push(' ');
        }
        out.push_str("type=");
        out.push_str(self.type_name());
        out.push_str(&format!(
            " msg=audit({}.{:03}:{}):",
            self.meta.secs, self.meta.msec, self.meta.serial
        ));
        let mut in_enriched = false;
        for t in self.meta.tokens.iter() {
            match t.scope {
                Scope::Msg => continue,
                Scope::Enriched if !in_enriched => {
                    in_enriched = true;
                    out.push('\x1d');
                }
                _ => out.push(' '),
            }
            let v = t.value.of(self.line);
            if t.is_text() {
                out.push_str(v);
                continue;
            }
            if t.key.start > 0 && self.line.as_bytes()[t.key.start as usize - 1] == b'(' {
                out.push('(');
            }
            out.push_str(t.key.of(self.line));
            out.push('=');
            match t.kind {
                ValueKind::Quoted => {
                    out.push('"');
                    out.push_str(v);
                    out.push('"');
                }
                ValueKind::Nested => {
                    out.push('\'');
                    out.push_str(v);
                    out.push('\'');
                }
                _ => out.push_str(v),
            }
        }
        out
    }

    /// Whether two records have the same header and the same fields and texts (spacing and
    /// the raw line itself aside).
    pub fn same_content(&self, other: &Record<'_>) -> bool {
        let toks = |r: &Record<'_>| -> Vec<(Scope, bool, String, String, ValueKind)> {
            r.meta
                .tokens
                .iter()
                .map(|t| {
                    (
                        t.scope,
                        t.is_text(),
                        t.key.of(r.line).to_owned(),
                        t.value.of(r.line).to_owned(),
                        t.kind,
                    )
                })
                .collect()
        };
        self.node() == other.node()
            && self.type_name() == other.type_name()
            && self.time() == other.time()
            && self.serial() == other.serial()
            && toks(self) == toks(other)
    }
}

/// An owned record: the line plus its parsed offsets (no re-parsing to read it back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordBuf {
    line: Box<str>,
    meta: Meta,
}

impl RecordBuf {
    /// Parses one line into an owned record.
    pub fn parse(line: &str) -> Result<RecordBuf, Error> {
        Record::parse(line).map(Record::into_owned_buf)
    }

    /// Borrows it as a [`Record`].
    pub fn record(&self) -> Record<'_> {
        Record {
            line: &self.line,
            meta: Cow::Borrowed(&self.meta),
        }
    }

    /// The raw line.
    pub fn line(&self) -> &str {
        &self.line
    }

    /// Where the record was read (`None` for a record parsed alone).
    pub fn position(&self) -> Option<Position> {
        let p = self.meta.position;
        (p.line > 0).then_some(p)
    }

    pub(crate) fn type_code(&self) -> Option<u16> {
        self.meta.type_code
    }

    pub(crate) fn time(&self) -> EventTime {
        EventTime {
            secs: self.meta.secs,
            msec: self.meta.msec,
        }
    }
}

impl<'a> From<&'a RecordBuf> for Record<'a> {
    fn from(b: &'a RecordBuf) -> Self {
        b.record()
    }
}

/// Strips the trailing run of `\n` and `\r` (line terminators: the kernel hex-encodes a value
/// holding control characters, so none ends a record's text); reports whether a `\r` was
/// among them. One `\n` alone would leave a line ending `\n\r` with a `\n` that its rendering
/// then ends on and a second parse strips: fuzzing found the two parses differing.
pub(crate) fn trim_eol(line: &str) -> (&str, bool) {
    let text = line.trim_end_matches(['\n', '\r']);
    (text, line[text.len()..].contains('\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_signatures_tell_keys_apart_and_never_match_text() {
        // Same length and first three bytes: the same signature, told apart by the full
        // compare below.
        assert_eq!(key_sig(b"auid"), key_sig(b"auie"));
        assert_ne!(key_sig(b"au"), key_sig(b"auid"));
        assert_ne!(key_sig(b"uid"), key_sig(b"gid"));
        for k in ["", "a", "auid", "\u{e9}t\u{e9}", &"k".repeat(300)] {
            assert_ne!(key_sig(k.as_bytes()), TEXT_SIG);
        }
        // Keys sharing their first bytes and length past the signature still compare whole.
        let long_a = format!("{}a", "x".repeat(300));
        let long_b = format!("{}b", "x".repeat(300));
        assert_eq!(key_sig(long_a.as_bytes()), key_sig(long_b.as_bytes()));
        let line = format!(
            "type=USER_CMD msg=audit(1.0:1): free text here auid=1 auie=2 au=3 {long_a}=4 {long_b}=5"
        );
        let r = Record::parse(&line).unwrap_or_else(|e| panic!("{e}"));
        let text = |k: &str| r.get(k).map(|f| f.text().into_owned());
        assert_eq!(text("auid").as_deref(), Some("1"));
        assert_eq!(text("auie").as_deref(), Some("2"));
        assert_eq!(text("au").as_deref(), Some("3"));
        assert_eq!(text(&long_a).as_deref(), Some("4"));
        assert_eq!(text(&long_b).as_deref(), Some("5"));
        assert_eq!(text("free"), None);
        assert_eq!(text(""), None);
    }

    #[test]
    fn trailing_terminators_are_not_text() {
        for (line, text, cr) in [
            ("a=1", "a=1", false),
            ("a=1\n", "a=1", false),
            ("a=1\r\n", "a=1", true),
            ("a=1\n\r", "a=1", true),
            ("a=1\r\r\n\n", "a=1", true),
            ("a=\n1\n", "a=\n1", false),
            ("\n\r", "", true),
        ] {
            assert_eq!(trim_eol(line), (text, cr), "{line:?}");
        }
        // A record ending `\n\r` renders to a line that parses to the same content.
        let r = Record::parse("type=USER msg=audit(1.0:2): msg='x\n\r")
            .unwrap_or_else(|e| panic!("{e}"));
        let raw = r.render_raw();
        let again = Record::parse(&raw).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.same_content(&again), "{raw:?}");
    }
}
