//! One parsed line: a JSON alert, a text alert, or a skipped non-alert line; and the
//! single-line entry points that auto-detect which.

use crate::alert::{Alert, Internal, parse_json};
use crate::error::{Error, Location, snippet};
use crate::priority::Priority;
use crate::settings::Settings;
use crate::text::{AlertClass, LineClass, SkipKind, TextAlert, build, classify};

/// An alert in either rendering.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Record<'a> {
    /// A JSON alert (Falco, falcosidekick or gRPC rendering).
    Json(Alert<'a>),
    /// A text output line.
    Text(TextAlert<'a>),
}

impl<'a> Record<'a> {
    /// The priority.
    pub fn priority(&self) -> Priority {
        match self {
            Record::Json(a) => a.priority,
            Record::Text(t) => t.priority,
        }
    }

    /// The rule name (for text lines, the best available hint: see [`TextAlert::rule_hint`]).
    pub fn rule(&self) -> &str {
        match self {
            Record::Json(a) => &a.rule,
            Record::Text(t) => t.rule_hint(),
        }
    }

    /// The absolute time, when the rendering has one (JSON always; text only with
    /// ISO 8601 times, see [`TextTime::resolve`](crate::TextTime::resolve) otherwise).
    pub fn timestamp(&self) -> Option<crate::Timestamp> {
        match self {
            Record::Json(a) => Some(a.time),
            Record::Text(t) => t.time.absolute(),
        }
    }

    /// Whether this is a Falco internal message, and which.
    pub fn internal(&self) -> Option<Internal> {
        match self {
            Record::Json(a) => a.internal(),
            Record::Text(t) => t.internal,
        }
    }

    /// Converts into an owned record.
    pub fn into_owned(self) -> Record<'static> {
        match self {
            Record::Json(a) => Record::Json(a.into_owned()),
            Record::Text(t) => Record::Text(t.into_owned()),
        }
    }
}

/// What one line of Falco output turned out to be.
// Skipped lines are rare and carry nothing; boxing the record would cost every alert.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Line<'a> {
    /// An alert.
    Record(Record<'a>),
    /// A line that is not an alert (banner, logger line, summary, blank).
    Skipped(SkipKind),
}

/// Parses one JSON alert (`serde_json::from_str` style).
///
/// ```
/// let a = tripline_falco::from_str(
///     r#"{"time":"2024-05-07T18:54:19.341081180Z","rule":"R","priority":"info","output_fields":{"evt.time":1715108059341081180}}"#,
/// ).unwrap();
/// assert_eq!(a.priority, tripline_falco::Priority::Informational);
/// assert_eq!(a.event_time().unix_nanos(), 1715108059341081180);
/// ```
pub fn from_str(s: &str) -> Result<Alert<'_>, Error> {
    parse_json(s, &Settings::default())
}

/// Parses one JSON alert with explicit [`Settings`].
pub fn from_str_with<'a>(s: &'a str, settings: &Settings) -> Result<Alert<'a>, Error> {
    parse_json(s, settings)
}

/// Parses one JSON alert from bytes; invalid UTF-8 is replaced (as Falco 0.44 does) and the
/// result is then owned.
pub fn from_slice(b: &[u8]) -> Result<Alert<'_>, Error> {
    match std::str::from_utf8(b) {
        Ok(s) => from_str(s),
        Err(_) => from_str(&String::from_utf8_lossy(b)).map(Alert::into_owned),
    }
}

/// Parses one line of Falco output of any kind, auto-detecting JSON vs text.
///
/// ```
/// use tripline_falco::{Line, Record, parse_line};
/// let line = "13:44:05.478445995: Critical Shell (user=root cmdline=sh -c ls)";
/// let Ok(Line::Record(Record::Text(t))) = parse_line(line) else { panic!() };
/// assert_eq!(t.get("cmdline"), Some("sh -c ls"));
/// assert!(matches!(parse_line("Events detected: 3"), Ok(Line::Skipped(_))));
/// ```
pub fn parse_line(line: &str) -> Result<Line<'_>, Error> {
    parse_line_with(line, &Settings::default())
}

/// [`parse_line`] with explicit [`Settings`].
pub fn parse_line_with<'a>(line: &'a str, settings: &Settings) -> Result<Line<'a>, Error> {
    let at = Location { line: 1, offset: 0 };
    if line.len() > settings.max_line_bytes {
        return Err(Error::LineTooLong {
            at,
            len: line.len(),
            limit: settings.max_line_bytes,
            snippet: snippet(line.as_bytes()),
        });
    }
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    match classify(line) {
        LineClass::Skip(k) => Ok(Line::Skipped(k)),
        LineClass::Alert(class) => parse_alert(line, class, settings).map(|(r, _)| Line::Record(r)),
    }
}

/// Parses a line classified as an alert; also returns the number of text pairs not recovered.
pub(crate) fn parse_alert<'a>(
    line: &'a str,
    class: AlertClass,
    settings: &Settings,
) -> Result<(Record<'a>, usize), Error> {
    match class {
        AlertClass::Json(start) => {
            parse_json(line[start..].trim_end(), settings).map(|a| (Record::Json(a), 0))
        }
        AlertClass::Text(head) => {
            let (t, dropped) = build(line, head, settings.max_text_pairs);
            Ok((Record::Text(t), dropped))
        }
        AlertClass::BadPriority { start, end } => Err(Error::BadPriority {
            at: Location { line: 1, offset: 0 },
            snippet: snippet(&line.as_bytes()[start..end]),
        }),
    }
}
