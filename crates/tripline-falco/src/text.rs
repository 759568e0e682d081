//! Falco's text output line, `<time>: <Priority> <message>`, with the `k=v` pairs of the
//! message recovered best-effort, and the classification of the non-alert lines that share
//! Falco's stdout (banner, logger lines, the `Events detected` summary).

use std::borrow::Cow;

use crate::alert::Internal;
use crate::priority::Priority;
use crate::time::{TextTime, parse_clock, parse_iso_prefix};

/// One text alert line, borrowing from the input.
#[derive(Debug, Clone, PartialEq)]
pub struct TextAlert<'a> {
    /// The time prefix: local time of day, or an absolute ISO 8601 time.
    pub time: TextTime,
    /// The priority word.
    pub priority: Priority,
    /// The rule output after the priority (with a glued `Events detected: N` removed).
    pub message: Cow<'a, str>,
    /// The leading prose of the message, before the first `k=v` pair or its `(` / `|`.
    pub title: Cow<'a, str>,
    /// The `k=v` pairs recovered from the message, in order; values as printed (`<NA>` kept).
    pub pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// Set for `Falco internal: …` lines (syscall drops, metrics).
    pub internal: Option<Internal>,
    /// The shutdown summary `Events detected: N` when stdout glued it onto this line.
    pub events_detected: Option<u64>,
    /// The host of a syslog / journal prefix (`Nov 27 02:12:01 host falco[1]: …`), if any.
    pub host: Option<Cow<'a, str>>,
    /// The whole Falco line (without any syslog prefix).
    pub line: Cow<'a, str>,
}

impl<'a> TextAlert<'a> {
    /// The first recovered value for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    /// A rule name for the line: text output does not print the rule, so this is the
    /// title, cut at the first `. ` for internal messages (`Falco internal: syscall event drop`).
    pub fn rule_hint(&self) -> &str {
        match self.internal {
            Some(_) => self.message.split(". ").next().unwrap_or(&self.message),
            None => &self.title,
        }
    }

    /// Converts into an owned alert.
    pub fn into_owned(self) -> TextAlert<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        TextAlert {
            time: self.time,
            priority: self.priority,
            message: own(self.message),
            title: own(self.title),
            pairs: self
                .pairs
                .into_iter()
                .map(|(k, v)| (own(k), own(v)))
                .collect(),
            internal: self.internal,
            events_detected: self.events_detected,
            host: self.host.map(own),
            line: own(self.line),
        }
    }
}

/// Why a line was skipped rather than parsed: it is not an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipKind {
    /// Empty or whitespace only.
    Blank,
    /// A Falco logger line (`Tue May  7 18:54:19 2024: …`, `2024-05-07T18:54:19+0000: …`)
    /// or a journal line of a program other than an alert.
    Logger,
    /// The startup banner (`Falco version: …`, `Loading rules from file …`).
    Banner,
    /// The shutdown summary (`Events detected: N`, `Rule counts by severity:` and its lines).
    Summary,
    /// Any other line that is neither an alert nor JSON.
    Other,
}

/// What a line is, decided without borrowing it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LineClass {
    /// Not an alert.
    Skip(SkipKind),
    /// An alert (or a line that claims to be one).
    Alert(AlertClass),
}

/// The kind of an alert line, decided without borrowing it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum AlertClass {
    /// JSON starting at this byte (after whitespace or a syslog prefix).
    Json(usize),
    /// A text alert.
    Text(TextHead),
    /// Has a nanosecond time prefix but the word after it is not a priority.
    BadPriority { start: usize, end: usize },
}

/// The parsed head of a text alert line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextHead {
    time: TextTime,
    priority: Priority,
    /// Start of the Falco line (after a syslog prefix).
    line_start: usize,
    /// Start of the message.
    message_start: usize,
    /// The syslog host, as a byte range.
    host: Option<(usize, usize)>,
}

const BANNER_PREFIXES: &[&str] = &[
    "Falco version",
    "Falco initialized",
    "Falco driver",
    "Loading rules from",
    "Loaded event sources",
    "Loading plugin",
    "Enabled event sources",
    "Enabled event collection",
    "Opening ",
    "Starting ",
    "System info:",
    "Hostname:",
    "Rules match ignored syscall",
    "The chosen syscall buffer",
    "Configured rules filenames",
    "Setting metrics interval",
    "Using ",
    "Falco ",
];

const SUMMARY_PREFIXES: &[&str] = &[
    "Events detected:",
    "Rule counts by severity:",
    "Triggered rules by rule name:",
    "Syscall event drop monitoring:",
];

/// Strips a syslog / journal prefix: `Mmm dd HH:MM:SS host ident[pid]: ` or the short-iso
/// `YYYY-MM-DDTHH:MM:SS+ZZZZ host ident[pid]: `. Returns the host range and the rest's start.
fn syslog_prefix(b: &[u8]) -> Option<((usize, usize), usize)> {
    let after_stamp = if b.len() > 16
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_lowercase()
        && b[2].is_ascii_lowercase()
        && b[3] == b' '
        && (b[4] == b' ' || b[4].is_ascii_digit())
        && b[5].is_ascii_digit()
        && b[6] == b' '
        && matches!(parse_clock(&b[7..]), Some((_, false, 8)))
        && b[15] == b' '
    {
        16
    } else {
        let (_, rest) = parse_iso_prefix(b)?;
        let at = b.len() - rest.len();
        if rest.first() != Some(&b' ') {
            return None;
        }
        at + 1
    };
    let host_end = after_stamp + b[after_stamp..].iter().position(|&c| c == b' ')?;
    if host_end == after_stamp {
        return None;
    }
    let ident_start = host_end + 1;
    let ident_len = b[ident_start..].iter().position(|&c| c == b' ')?;
    let ident_end = ident_start + ident_len;
    if ident_len < 2 || b[ident_end - 1] != b':' {
        return None;
    }
    Some(((after_stamp, host_end), ident_end + 1))
}

/// `Www Mmm dd HH:MM:SS YYYY: ` (Falco's default logger prefix).
fn is_ctime_logger(b: &[u8]) -> bool {
    b.len() >= 26
        && b[3] == b' '
        && b[7] == b' '
        && parse_clock(&b[11..]).is_some_and(|(_, f, u)| !f && u == 8)
        && b[19] == b' '
        && b[20..24].iter().all(u8::is_ascii_digit)
        && b[24] == b':'
}

/// Classifies one line (without its newline).
pub(crate) fn classify(line: &str) -> LineClass {
    let b = line.as_bytes();
    // A UTF-8 byte order mark at the start of a file is not content.
    let bom = if b.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    let start = b[bom..]
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .map(|i| i + bom);
    let Some(start) = start else {
        return LineClass::Skip(SkipKind::Blank);
    };
    if b[start] == b'{' {
        return LineClass::Alert(AlertClass::Json(start));
    }
    // `kubectl logs --timestamps` / `docker logs -t`: an RFC 3339 stamp and a space.
    if let Some((_, rest)) = parse_iso_prefix(&b[start..])
        && rest.first() == Some(&b' ')
    {
        let at = b.len() - rest.len() + 1;
        match b.get(at) {
            Some(b'{') => return LineClass::Alert(AlertClass::Json(at)),
            Some(c) if c.is_ascii_digit() => {
                if let class @ LineClass::Alert(_) = classify_falco(b, at, None) {
                    return class;
                }
            }
            _ => {}
        }
    }
    if let Some((host, rest)) = syslog_prefix(&b[start..]) {
        let rest = start + rest;
        let host = Some((start + host.0, start + host.1));
        return match b.get(rest) {
            Some(b'{') => LineClass::Alert(AlertClass::Json(rest)),
            _ => match classify_falco(b, rest, host) {
                LineClass::Skip(_) => LineClass::Skip(SkipKind::Logger),
                other => other,
            },
        };
    }
    classify_falco(b, start, None)
}

fn classify_falco(b: &[u8], start: usize, host: Option<(usize, usize)>) -> LineClass {
    let s = &b[start..];
    let head = if s.first().is_some_and(u8::is_ascii_digit) {
        if let Some((iso, rest)) = parse_iso_prefix(s) {
            Some((TextTime::Absolute(iso.0), iso.1, s.len() - rest.len()))
        } else {
            parse_clock(s).map(|(n, f, used)| (TextTime::LocalTimeOfDay(n as u64), f, used))
        }
    } else {
        None
    };
    if let Some((time, frac, used)) = head {
        if !s[used..].starts_with(b": ") {
            return LineClass::Skip(SkipKind::Other);
        }
        if !frac {
            return LineClass::Skip(SkipKind::Logger);
        }
        let word_start = used + 2;
        let word_len = s[word_start..]
            .iter()
            .position(|&c| c == b' ')
            .unwrap_or(s.len() - word_start);
        let word = &s[word_start..word_start + word_len];
        return match std::str::from_utf8(word).ok().and_then(Priority::parse) {
            Some(priority) => LineClass::Alert(AlertClass::Text(TextHead {
                time,
                priority,
                line_start: start,
                message_start: start + (word_start + word_len + 1).min(s.len()),
                host,
            })),
            None => LineClass::Alert(AlertClass::BadPriority {
                start: start + word_start,
                end: start + word_start + word_len,
            }),
        };
    }
    if is_ctime_logger(s) {
        return LineClass::Skip(SkipKind::Logger);
    }
    let text = std::str::from_utf8(s).unwrap_or("");
    if SUMMARY_PREFIXES.iter().any(|p| text.starts_with(p)) || (start > 0 && host.is_none()) {
        // The summary's detail lines are indented (`   Warning: 3`, `   - event drop …`).
        return LineClass::Skip(SkipKind::Summary);
    }
    if BANNER_PREFIXES.iter().any(|p| text.starts_with(p)) {
        return LineClass::Skip(SkipKind::Banner);
    }
    LineClass::Skip(SkipKind::Other)
}

/// Builds the text alert from a classified head. Returns the alert and the number of pairs
/// not recovered because of `max_pairs`.
pub(crate) fn build<'a>(line: &'a str, head: TextHead, max_pairs: usize) -> (TextAlert<'a>, usize) {
    let mut message = &line[head.message_start..];
    let mut events_detected = None;
    if let Some(pos) = message.rfind("Events detected: ") {
        let n = &message[pos + "Events detected: ".len()..];
        if pos > 0 && !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) {
            events_detected = n.parse().ok();
            message = &message[..pos];
        }
    }
    let message = message.trim_end();
    let (title, pairs, dropped) = recover_pairs(message, max_pairs);
    let alert = TextAlert {
        time: head.time,
        priority: head.priority,
        message: Cow::Borrowed(message),
        title: Cow::Borrowed(title),
        pairs,
        internal: Internal::classify(message),
        events_detected,
        host: head.host.map(|(s, e)| Cow::Borrowed(&line[s..e])),
        line: Cow::Borrowed(line[head.line_start..].trim_end()),
    };
    (alert, dropped)
}

fn is_key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'[' | b']')
}

type Pairs<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// Recovers `k=v` pairs from a rule output, both the `Msg (k=v k=v)` style of rules ≤ 3.x
/// and the `Msg | k=v k=v` style of rules 4.x. Values run to the next `key=` and may contain
/// spaces; a `)` closing the pair list is not part of the last value.
pub(crate) fn recover_pairs(msg: &str, max_pairs: usize) -> (&str, Pairs<'_>, usize) {
    let b = msg.as_bytes();
    // (key start, '=' position) of every key candidate.
    let mut keys: Vec<(usize, usize)> = Vec::new();
    for eq in memchr::memchr_iter(b'=', b) {
        let mut j = eq;
        while j > 0 && is_key_byte(b[j - 1]) {
            j -= 1;
        }
        if j == eq || !(b[j].is_ascii_alphabetic() || b[j] == b'_') {
            continue;
        }
        if j > 0 && !matches!(b[j - 1], b' ' | b'(' | b'|' | b',' | b'\t') {
            continue;
        }
        if keys.last().is_some_and(|&(_, e)| e >= j) {
            continue;
        }
        keys.push((j, eq));
    }
    let title_end = keys.first().map_or(msg.len(), |&(s, _)| s);
    let mut title = msg[..title_end].trim_end_matches([' ', '(', '|', ',', ':', '\t']);
    // A label with a space (`(requesting user=bob)`) leaves an unclosed `(` in the title.
    if let Some(open) = title.rfind('(')
        && title_end < msg.len()
        && !title[open..].contains(')')
    {
        title = title[..open].trim_end();
    }
    let dropped = keys.len().saturating_sub(max_pairs);
    let mut pairs = Vec::with_capacity(keys.len().min(max_pairs));
    for (i, &(ks, eq)) in keys.iter().enumerate().take(max_pairs) {
        let end = keys.get(i + 1).map_or(msg.len(), |&(s, _)| s);
        let mut v = msg[eq + 1..end].trim_end_matches([' ', '\t', ',', '|', '(']);
        let opens = v.bytes().filter(|&c| c == b'(').count();
        let mut closes = v.bytes().filter(|&c| c == b')').count();
        while closes > opens && v.ends_with(')') {
            v = v[..v.len() - 1].trim_end();
            closes -= 1;
        }
        pairs.push((Cow::Borrowed(&msg[ks..eq]), Cow::Borrowed(v)));
    }
    (title, pairs, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(msg: &str) -> Vec<(String, String)> {
        recover_pairs(msg, 100)
            .1
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn paren_style() {
        let p = pairs("Sensitive file opened (user=root command=cat /etc/shadow file=/etc/shadow)");
        assert_eq!(
            p,
            [
                ("user".into(), "root".into()),
                ("command".into(), "cat /etc/shadow".into()),
                ("file".into(), "/etc/shadow".into())
            ]
        );
        let p = pairs("x (cmdline=sh -c clear; (bash || ash) terminal=1 image=a) k8s.ns=default");
        assert_eq!(p[0].1, "sh -c clear; (bash || ash)");
        assert_eq!(p[2].1, "a");
        assert_eq!(p[3], ("k8s.ns".into(), "default".into()));
        assert_eq!(pairs("K (reason=)")[0].1, "");
        assert_eq!(
            pairs("k (path=/x oldpath=<NA> host (id=host))")[2].1,
            "host"
        );
    }

    #[test]
    fn pipe_style_and_title() {
        let (title, p, _) =
            recover_pairs("Shell spawned | evt_type=execve user=root process=sh", 100);
        assert_eq!(title, "Shell spawned");
        assert_eq!(p.len(), 3);
        assert_eq!(p[2].1, "sh");
    }

    #[test]
    fn limit_counts_dropped_pairs() {
        let (_, p, dropped) = recover_pairs("a=1 b=2 c=3", 2);
        assert_eq!(p.len(), 2);
        assert_eq!(dropped, 1);
    }

    #[test]
    fn classifies_non_alert_lines() {
        for (line, kind) in [
            ("", SkipKind::Blank),
            ("Events detected: 12", SkipKind::Summary),
            ("   Warning: 3", SkipKind::Summary),
            (
                "Tue May  7 18:54:19 2024: Falco version: 0.38.0",
                SkipKind::Logger,
            ),
            (
                "2024-05-07T18:54:19+0000: Loading rules from file x",
                SkipKind::Logger,
            ),
            ("Falco version: 0.38.0 (x86_64)", SkipKind::Banner),
            ("hello", SkipKind::Other),
            ("\u{feff}", SkipKind::Blank),
        ] {
            assert_eq!(classify(line), LineClass::Skip(kind), "{line}");
        }
    }

    #[test]
    fn syslog_prefix_is_stripped() {
        let line = "Nov 27 02:12:01 node1 falco[812]: 02:12:01.123456789: Warning Hi (a=b)";
        let LineClass::Alert(AlertClass::Text(head)) = classify(line) else {
            panic!("{:?}", classify(line));
        };
        let (a, _) = build(line, head, 10);
        assert_eq!(a.host.as_deref(), Some("node1"));
        assert_eq!(a.get("a"), Some("b"));
        assert_eq!(
            classify("\u{feff}{\"a\":1}"),
            LineClass::Alert(AlertClass::Json(3))
        );
        let k = "2025-11-27T02:12:01.5Z {\"a\":1}";
        assert_eq!(classify(k), LineClass::Alert(AlertClass::Json(23)));
        let k = "2025-11-27T02:12:01.5Z 02:12:01.123456789: Notice x";
        assert!(matches!(classify(k), LineClass::Alert(AlertClass::Text(_))));
        let json = "Nov 27 02:12:01 node1 falco[812]: {\"rule\":1}";
        assert_eq!(classify(json), LineClass::Alert(AlertClass::Json(34)));
    }
}
