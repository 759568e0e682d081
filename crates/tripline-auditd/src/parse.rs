//! The line grammar: header (with nom) and the body tokenizer (hand-written byte scanner).
//!
//! Everything here works on byte offsets into the line so that parsed records can be kept
//! either borrowed ([`Record`](crate::Record)) or owned ([`RecordBuf`](crate::RecordBuf))
//! without re-parsing.

use nom::IResult;
use nom::Parser;
use nom::bytes::complete::{tag, take_till1, take_while1};
use nom::character::complete::{char, digit1};
use nom::combinator::opt;

use crate::error::{Error, ErrorKind, Warning, WarningKind};
use crate::record::{Meta, Scope, Span, TEXT_SIG, Token, ValueKind, key_sig};
use crate::value::{is_encoded_field, is_hex};

const GS: u8 = 0x1d;

struct Header<'a> {
    node: Option<&'a str>,
    legacy_host: bool,
    type_name: &'a str,
    missing_msg: bool,
    secs: &'a str,
    msec: &'a str,
    serial: &'a str,
    colon: bool,
}

fn space1(i: &str) -> IResult<&str, &str> {
    take_while1(|c| c == ' ').parse(i)
}

fn node_prefix(i: &str) -> IResult<&str, (bool, &str)> {
    let (i, key) = nom::branch::alt((tag("node="), tag("host="))).parse(i)?;
    let (i, name) = take_till1(|c| c == ' ').parse(i)?;
    let (i, _) = space1(i)?;
    Ok((i, (key == "host=", name)))
}

/// Parses the header up to (and including) `):`. Errors carry the failing kind.
fn header(i: &str) -> Result<(&str, Header<'_>), ErrorKind> {
    let fail = |k: ErrorKind| move |_e: nom::Err<nom::error::Error<&str>>| k;
    let (i, n) = opt(node_prefix)
        .parse(i)
        .map_err(fail(ErrorKind::NotARecord))?;
    let (i, n2) = opt(node_prefix)
        .parse(i)
        .map_err(fail(ErrorKind::NotARecord))?;
    let n = n2.or(n);
    let (i, _) = tag("type=").parse(i).map_err(fail(ErrorKind::NotARecord))?;
    let (i, type_name) = take_till1(|c| c == ' ' || c == '\x1d')
        .parse(i)
        .map_err(fail(ErrorKind::EmptyType))?;
    let (i, _) = space1(i).map_err(fail(ErrorKind::MissingEventId))?;
    let (i, with_msg) = opt(tag("msg="))
        .parse(i)
        .map_err(fail(ErrorKind::MissingEventId))?;
    let (i, _) = tag("audit(")
        .parse(i)
        .map_err(fail(ErrorKind::MissingEventId))?;
    let mut id = (digit1, char('.'), digit1, char(':'), digit1, char(')'));
    let (i, (secs, _, msec, _, serial, _)) =
        id.parse_complete(i).map_err(fail(ErrorKind::BadEventId))?;
    let (i, colon) = opt(char(':'))
        .parse(i)
        .map_err(fail(ErrorKind::BadEventId))?;
    Ok((
        i,
        Header {
            node: n.map(|(_, name)| name),
            legacy_host: n.is_some_and(|(h, _)| h),
            type_name,
            missing_msg: with_msg.is_none(),
            secs,
            msec,
            serial,
            colon: colon.is_some(),
        },
    ))
}

/// The common header `type=T msg=audit(S.M:N): ` without nom; anything else (node=,
/// host=, missing `msg=`, malformed ids) goes through [`header`].
fn fast_header(i: &str) -> Option<(&str, Header<'_>)> {
    let b = i.as_bytes();
    let rest = b.strip_prefix(b"type=")?;
    let sp = rest.iter().position(|&c| c == b' ' || c == 0x1d)?;
    if sp == 0 || rest[sp] != b' ' {
        return None;
    }
    let after = rest[sp + 1..].strip_prefix(b"msg=audit(")?;
    let digits = |from: usize| -> usize {
        after[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let n1 = digits(0);
    if n1 == 0 || after.get(n1) != Some(&b'.') {
        return None;
    }
    let n2 = digits(n1 + 1);
    if n2 == 0 || after.get(n1 + 1 + n2) != Some(&b':') {
        return None;
    }
    let s3 = n1 + 2 + n2;
    let n3 = digits(s3);
    if n3 == 0 || after.get(s3 + n3) != Some(&b')') {
        return None;
    }
    let colon = after.get(s3 + n3 + 1) == Some(&b':');
    let base = 5 + sp + 1 + 10;
    let end = base + s3 + n3 + 1 + usize::from(colon);
    Some((
        &i[end..],
        Header {
            node: None,
            legacy_host: false,
            type_name: &i[5..5 + sp],
            missing_msg: false,
            secs: &i[base..base + n1],
            msec: &i[base + n1 + 1..base + n1 + 1 + n2],
            serial: &i[base + s3..base + s3 + n3],
            colon,
        },
    ))
}

fn span(base: &str, part: &str) -> Span {
    let start = part.as_ptr() as usize - base.as_ptr() as usize;
    Span::new(start, start + part.len())
}

/// Finds where the record header starts: the line start, or a later `node=`/`type=` word
/// (syslog prefixes, YAML indentation).
fn header_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    if b.starts_with(b"type=") || b.starts_with(b"node=") || b.starts_with(b"host=") {
        return Some(0);
    }
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&b[from..], b"type=") {
        let at = from + p;
        if at == 0 || b[at - 1] == b' ' || b[at - 1] == b'\t' {
            // Include a `node=X ` word right before it.
            let before = line[..at].trim_end_matches([' ', '\t']);
            let word_start = before.rfind([' ', '\t']).map_or(0, |w| w + 1);
            let word = &before[word_start..];
            if word.starts_with("node=") || word.starts_with("host=") {
                return Some(word_start);
            }
            return Some(at);
        }
        from = at + 5;
    }
    None
}

/// Parses one line (without its line terminator) into record metadata.
pub(crate) fn parse_meta(line: &str) -> Result<Meta, Error> {
    let bytes = line.as_bytes();
    let Some(start) = header_start(line) else {
        return Err(Error::parse(ErrorKind::NotARecord, 0, bytes));
    };
    let (rest, h) = match fast_header(&line[start..]) {
        Some(x) => x,
        None => header(&line[start..]).map_err(|k| Error::parse(k, start, bytes))?,
    };
    let mut warnings = Vec::new();
    if start > 0 {
        warnings.push(Warning {
            kind: WarningKind::LeadingText,
            start: 0,
            end: start as u32,
        });
    }
    let hstart = start as u32;
    let hdr_end = (line.len() - rest.len()) as u32;
    if h.legacy_host {
        warnings.push(Warning {
            kind: WarningKind::LegacyHost,
            start: hstart,
            end: hdr_end,
        });
    }
    if h.missing_msg {
        warnings.push(Warning {
            kind: WarningKind::MissingMsgKey,
            start: hstart,
            end: hdr_end,
        });
    }
    if !h.colon {
        warnings.push(Warning {
            kind: WarningKind::MissingColon,
            start: hstart,
            end: hdr_end,
        });
    }
    let secs: u64 = h.secs.parse().map_err(|_| {
        Error::parse(
            ErrorKind::BadEventId,
            span(line, h.secs).start as usize,
            bytes,
        )
    })?;
    let msec: u16 = match h.msec.parse() {
        Ok(m) if m < 1000 => m,
        _ => {
            return Err(Error::parse(
                ErrorKind::BadEventId,
                span(line, h.msec).start as usize,
                bytes,
            ));
        }
    };
    let serial: u32 = h.serial.parse().map_err(|_| {
        Error::parse(
            ErrorKind::BadEventId,
            span(line, h.serial).start as usize,
            bytes,
        )
    })?;
    let type_span = span(line, h.type_name);
    let type_code = crate::record::type_code(h.type_name);
    let is_execve = h.type_name == "EXECVE";
    let is_avc = h.type_name == "AVC" || h.type_name == "USER_AVC";

    let body_start = hdr_end as usize;
    let gs = memchr::memchr(GS, &bytes[body_start..]).map(|p| body_start + p);
    let body_end = gs.unwrap_or(bytes.len());
    let mut tok = Tokenizer {
        b: bytes,
        tokens: Vec::with_capacity(32),
        warnings,
        is_execve,
        is_avc,
        spliced_at: None,
        last_key: std::cell::Cell::new((usize::MAX, 0, None)),
    };
    tok.run(body_start, body_end, Scope::Body);
    let body_end = tok.spliced_at.map_or(body_end, |s| s as usize);
    let mut enriched_start = None;
    if tok.spliced_at.is_none()
        && let Some(g) = gs
    {
        enriched_start = Some((g + 1) as u32);
        tok.run(g + 1, bytes.len(), Scope::Enriched);
    }
    let keys = crate::record::key_bits(line, &tok.tokens);
    Ok(Meta {
        keys,
        node: h.node.map(|n| span(line, n)),
        type_name: type_span,
        type_code,
        secs,
        msec,
        serial,
        body: Span::new(body_start, body_end),
        enriched_start,
        tokens: tok.tokens,
        warnings: tok.warnings,
        spliced_at: tok.spliced_at,
        position: crate::record::Position::default(),
    })
}

struct Tokenizer<'b> {
    b: &'b [u8],
    tokens: Vec<Token>,
    warnings: Vec<Warning>,
    is_execve: bool,
    /// In SELinux AVCs `key=` is an IPC key number, not an encoded audit key.
    is_avc: bool,
    spliced_at: Option<u32>,
    last_key: std::cell::Cell<(usize, usize, Option<usize>)>,
}

/// Bytes allowed in a key: `[A-Za-z0-9_.\[\]-]` (`a1[0]`, `old-auid`), as a lookup table.
static KEY_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'[' | b']' | b'.');
        c += 1;
    }
    t
};

/// A space or tab; one comparison for the common (printable) byte.
#[inline]
fn is_blank(c: u8) -> bool {
    c <= b' ' && (c == b' ' || c == b'\t')
}

#[inline]
fn is_key_byte(c: u8) -> bool {
    KEY_BYTE[c as usize]
}

impl Tokenizer<'_> {
    /// The end of a `key` (the offset of its `=`) when a field starts at `pos`.
    /// [`Self::scan_key_uncached`], remembering the last answer: the bare-value lookahead and
    /// the main loop ask about the same position.
    #[inline]
    fn scan_key(&self, pos: usize, end: usize) -> Option<usize> {
        let (p, e, r) = self.last_key.get();
        if p == pos && e == end {
            return r;
        }
        let r = self.scan_key_uncached(pos, end);
        self.last_key.set((pos, end, r));
        r
    }

    #[inline]
    fn scan_key_uncached(&self, pos: usize, end: usize) -> Option<usize> {
        let b = self.b;
        let w = self.bytes_in(pos, end);
        let i = pos + w.iter().position(|&c| !is_key_byte(c)).unwrap_or(w.len());
        (i > pos && i < end && b[i] == b'=' && (b[pos].is_ascii_alphanumeric() || b[pos] == b'_'))
            .then_some(i)
    }

    /// `b[pos..end]`. Every caller keeps `pos <= end <= b.len()`: scans start at or
    /// before their end and every value ends at or before it (proptest and fuzzing check
    /// that no input breaks this).
    #[inline]
    fn bytes_in(&self, pos: usize, end: usize) -> &[u8] {
        &self.b[pos..end]
    }

    #[inline]
    fn skip_spaces(&self, pos: usize, end: usize) -> usize {
        let w = self.bytes_in(pos, end);
        pos + w.iter().position(|&c| !is_blank(c)).unwrap_or(w.len())
    }

    #[inline]
    fn word_end(&self, pos: usize, end: usize) -> usize {
        // Values are short: a plain loop beats a SIMD search's setup.
        let w = self.bytes_in(pos, end);
        pos + w.iter().position(|&c| is_blank(c)).unwrap_or(w.len())
    }

    fn warn(&mut self, kind: WarningKind, start: usize, end: usize) {
        self.warnings.push(Warning {
            kind,
            start: start as u32,
            end: end as u32,
        });
    }

    /// Whether a complete record header starts at `pos` (two records spliced on one line).
    fn header_at(&self, pos: usize, end: usize) -> bool {
        let rest = &self.b[pos..end];
        if !(rest.starts_with(b"type=") || rest.starts_with(b"node=")) {
            return false;
        }
        match std::str::from_utf8(rest) {
            Ok(s) => header(s).is_ok(),
            Err(_) => false,
        }
    }

    fn run(&mut self, start: usize, end: usize, scope: Scope) {
        let b = self.b;
        let mut pos = self.skip_spaces(start, end);
        let mut text: Option<(usize, usize)> = None;
        let mut seen_field = false;
        while pos < end {
            // Legacy bodies put fields in parentheses: `(hostname=?, addr=?, …)`.
            if b[pos] == b'(' && self.scan_key(pos + 1, end).is_some() {
                pos += 1;
            }
            let Some(eq) = self.scan_key(pos, end) else {
                let we = self.word_end(pos, end);
                text = Some(match text {
                    Some((s, _)) => (s, we),
                    None => (pos, we),
                });
                pos = self.skip_spaces(we, end);
                continue;
            };
            if scope == Scope::Body && self.header_at(pos, end) {
                self.flush_text(&mut text, scope, seen_field);
                self.spliced_at = Some(pos as u32);
                self.warn(WarningKind::SplicedRecord, pos, end);
                return;
            }
            self.flush_text(&mut text, scope, seen_field);
            seen_field = true;
            let key = Span::new(pos, eq);
            let v = eq + 1;
            let (value, kind, next) = if v < end && b[v] == b'"' {
                match memchr::memchr(b'"', &b[v + 1..end]) {
                    Some(q) => (Span::new(v + 1, v + 1 + q), ValueKind::Quoted, v + 2 + q),
                    None => {
                        self.warn(WarningKind::UnterminatedQuote, v, end);
                        (Span::new(v + 1, end), ValueKind::Quoted, end)
                    }
                }
            } else if v < end && b[v] == b'\'' && scope == Scope::Body {
                let (close, found) = self.msg_close(v + 1, end);
                if !found {
                    self.warn(WarningKind::UnterminatedMsg, v, end);
                }
                let tok_index = self.tokens.len();
                self.tokens.push(Token {
                    key,
                    value: Span::new(v + 1, close),
                    kind: ValueKind::Nested,
                    scope,
                    sig: key_sig(&b[key.start as usize..key.end as usize]),
                });
                self.run(v + 1, close, Scope::Msg);
                debug_assert!(self.tokens.len() > tok_index);
                pos = self.skip_spaces(if found { close + 1 } else { end }, end);
                continue;
            } else if v < end && b[v] == b'{' && scope == Scope::Enriched {
                match self.brace_close(v, end) {
                    Some(c) => (Span::new(v, c + 1), ValueKind::Braced, c + 1),
                    None => self.bare(v, end, scope, key),
                }
            } else {
                self.bare(v, end, scope, key)
            };
            self.tokens.push(Token {
                key,
                value,
                kind,
                scope,
                sig: key_sig(&b[key.start as usize..key.end as usize]),
            });
            pos = self.skip_spaces(next, end);
        }
        self.flush_text(&mut text, scope, seen_field);
    }

    /// A bare value: one word, extended over following words that are not `key=value`
    /// (`op=adding group to /etc/group`, `subj==/usr/sbin/ntpd (enforce)`).
    fn bare(&self, v: usize, end: usize, scope: Scope, key: Span) -> (Span, ValueKind, usize) {
        // One pass finds the word's end and whether it is a number: numbers never contain
        // spaces (`login pid=1 uid=0 old auid=…`), so they need no lookahead.
        let mut ve = v;
        let mut digits = true;
        for &c in self.bytes_in(v, end) {
            if is_blank(c) {
                break;
            }
            digits &= c.is_ascii_digit();
            ve += 1;
        }
        let numeric = ve > v && digits;
        if !numeric {
            loop {
                let n = self.skip_spaces(ve, end);
                if n >= end
                    || self.scan_key(n, end).is_some()
                    || (self.b[n] == b'(' && self.scan_key(n + 1, end).is_some())
                {
                    break;
                }
                ve = self.word_end(n, end);
            }
        }
        let value = Span::new(v, ve);
        let k = &self.b[key.start as usize..key.end as usize];
        let kind = if scope != Scope::Enriched
            && is_encoded_field(k, self.is_execve)
            && is_hex(&self.b[v..ve])
            && !(self.is_avc && k == b"key")
        {
            ValueKind::Hex
        } else {
            ValueKind::Bare
        };
        (value, kind, ve)
    }

    /// The `}` matching the `{` at `open` (nested braces counted).
    fn brace_close(&self, open: usize, end: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (i, &c) in self.b[open..end].iter().enumerate() {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(open + i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The closing `'` of a `msg='…'` value: the first `'` outside double quotes that ends
    /// the line or is followed by a space. Returns (offset, found).
    fn msg_close(&self, from: usize, end: usize) -> (usize, bool) {
        let b = self.b;
        let mut in_dq = false;
        let mut i = from;
        while i < end {
            match b[i] {
                b'"' => in_dq = !in_dq,
                b'\'' if !in_dq && (i + 1 == end || b[i + 1] == b' ') => return (i, true),
                _ => {}
            }
            i += 1;
        }
        // Fall back to the last single quote, ignoring double quotes (unbalanced quotes).
        match memchr::memrchr(b'\'', &b[from..end]) {
            Some(p) => (from + p, true),
            None => (end, false),
        }
    }

    fn flush_text(&mut self, text: &mut Option<(usize, usize)>, scope: Scope, seen_field: bool) {
        if let Some((s, e)) = text.take() {
            if seen_field {
                self.warn(WarningKind::UnparsedText, s, e);
            }
            self.tokens.push(Token {
                key: Span::new(s, s),
                value: Span::new(s, e),
                kind: ValueKind::Bare,
                scope,
                sig: TEXT_SIG,
            });
        }
    }
}
