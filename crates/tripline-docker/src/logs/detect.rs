//! Format detection per line, made sticky per file once a structured format is seen.

use super::compose::{compose_prefix, looks_like_status, parse_compose};
use super::cri::{cri_head, parse_cri};
use super::journald::{is_journal_entry, parse_journald};
use super::jsonfile::parse_json_log;
use super::line::{LogFormat, LogLine};
use super::timestamped::parse_timestamped;
use crate::Error;
use crate::time::parse_rfc3339;

/// How a [`LogParser`] picks the format of each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detect {
    /// Detect per line; once a json-file or CRI line was seen, later lines must have that
    /// format (a damaged line becomes an error instead of plain text), and once a compose
    /// prefix was seen, unprefixed lines are status lines. The default.
    Auto,
    /// Detect every line independently.
    PerLine,
    /// Every line must have this format.
    Fixed(LogFormat),
}

/// Guesses the layout of one line: `{"__CURSOR"` → a journald entry; `{` → json-file; `<ts>
/// stdout|stderr` → CRI; `<ts> ` → `docker logs -t`; `name | ` → compose; otherwise plain.
pub fn detect_line(b: &[u8]) -> LogFormat {
    match b.iter().find(|c| !c.is_ascii_whitespace()) {
        Some(b'{') if is_journal_entry(b) => return LogFormat::Journald,
        Some(b'{') => return LogFormat::JsonFile,
        Some(c) if c.is_ascii_digit() => {
            if cri_head(b).is_some() {
                return LogFormat::Cri;
            }
            let end = memchr::memchr(b' ', b).unwrap_or(b.len());
            if parse_rfc3339(&b[..end]).is_some() {
                return LogFormat::Timestamped;
            }
        }
        _ => {}
    }
    if compose_prefix(b).is_some() {
        LogFormat::Compose
    } else if looks_like_status(b) {
        LogFormat::ComposeStatus
    } else {
        LogFormat::Plain
    }
}

/// Parses log lines of any supported layout.
#[derive(Debug, Clone)]
pub struct LogParser {
    /// The detection policy.
    pub detect: Detect,
    /// Read a `k=v,…` token after a `docker logs -t` timestamp as `--details` attributes.
    pub details: bool,
    sticky: Option<LogFormat>,
}

impl Default for LogParser {
    fn default() -> Self {
        Self::new(Detect::Auto)
    }
}

impl LogParser {
    /// A parser with the given policy.
    pub fn new(detect: Detect) -> Self {
        LogParser {
            detect,
            details: false,
            sticky: None,
        }
    }

    /// The format this parser settled on, if any.
    pub fn settled(&self) -> Option<LogFormat> {
        match self.detect {
            Detect::Fixed(f) => Some(f),
            _ => self.sticky,
        }
    }

    /// Forgets the sticky format (a new file starts).
    pub fn reset(&mut self) {
        self.sticky = None;
    }

    /// Parses one line (without its `\n`).
    pub fn parse<'a>(&mut self, b: &'a [u8]) -> Result<LogLine<'a>, Error> {
        if b.first() == Some(&0) {
            return Err(Error::corrupt("NUL run", b));
        }
        let detected = detect_line(b);
        let format = match (self.detect, self.sticky) {
            (Detect::Fixed(f), _) => f,
            (
                Detect::Auto,
                Some(s @ (LogFormat::JsonFile | LogFormat::Cri | LogFormat::Journald)),
            ) => s,
            (Detect::Auto, Some(LogFormat::Compose)) => LogFormat::Compose,
            _ => detected,
        };
        if self.detect == Detect::Auto
            && self.sticky.is_none()
            && matches!(
                detected,
                LogFormat::JsonFile | LogFormat::Cri | LogFormat::Compose | LogFormat::Journald
            )
        {
            self.sticky = Some(detected);
        }
        match format {
            LogFormat::JsonFile => {
                if detected != LogFormat::JsonFile {
                    let reason = if b.contains(&0) {
                        "NUL bytes"
                    } else {
                        "json-file record does not start with `{`"
                    };
                    return Err(Error::corrupt(reason, b));
                }
                parse_json_log(b)
            }
            LogFormat::Cri => parse_cri(b),
            LogFormat::Journald => parse_journald(b),
            LogFormat::Timestamped => parse_timestamped(b, self.details),
            LogFormat::Compose | LogFormat::ComposeStatus => parse_compose(b),
            // Binary frames, not lines: `LocalReader` reads them.
            LogFormat::Local => Err(Error::format("local-driver frame (read by LocalReader)", b)),
            _ => {
                let b = b.strip_suffix(b"\r").unwrap_or(b);
                Ok(LogLine::plain(LogFormat::Plain, b))
            }
        }
    }
}

/// Parses one line with per-line detection (no state).
pub fn parse_log_line(b: &[u8]) -> Result<LogLine<'_>, Error> {
    LogParser::new(Detect::PerLine).parse(b)
}
