//! Falco rule priorities.

use std::fmt;

/// A Falco priority. The discriminants are Falco's own numbers, which are also the syslog
/// severities and the gRPC `falco.schema.priority` enum values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Priority {
    /// 0, the most severe.
    Emergency = 0,
    /// 1.
    Alert = 1,
    /// 2.
    Critical = 2,
    /// 3.
    Error = 3,
    /// 4.
    Warning = 4,
    /// 5.
    Notice = 5,
    /// 6; written `Informational`, also parsed from `info`.
    Informational = 6,
    /// 7, the least severe.
    Debug = 7,
}

impl Priority {
    /// Every priority, most severe first.
    pub const ALL: [Priority; 8] = [
        Priority::Emergency,
        Priority::Alert,
        Priority::Critical,
        Priority::Error,
        Priority::Warning,
        Priority::Notice,
        Priority::Informational,
        Priority::Debug,
    ];

    /// Parses a priority name in any case; `info` is accepted for `Informational`, as Falco's
    /// rule loader does.
    pub fn parse(s: &str) -> Option<Self> {
        let p = match s.len() {
            4 if s.eq_ignore_ascii_case("info") => Priority::Informational,
            5 if s.eq_ignore_ascii_case("alert") => Priority::Alert,
            5 if s.eq_ignore_ascii_case("error") => Priority::Error,
            5 if s.eq_ignore_ascii_case("debug") => Priority::Debug,
            6 if s.eq_ignore_ascii_case("notice") => Priority::Notice,
            7 if s.eq_ignore_ascii_case("warning") => Priority::Warning,
            8 if s.eq_ignore_ascii_case("critical") => Priority::Critical,
            9 if s.eq_ignore_ascii_case("emergency") => Priority::Emergency,
            13 if s.eq_ignore_ascii_case("informational") => Priority::Informational,
            _ => return None,
        };
        Some(p)
    }

    /// The priority with Falco's number (0 = Emergency … 7 = Debug).
    pub fn from_level(level: i64) -> Option<Self> {
        usize::try_from(level)
            .ok()
            .and_then(|i| Self::ALL.get(i))
            .copied()
    }

    /// Falco's number (0 = Emergency … 7 = Debug), equal to the syslog severity.
    pub fn level(self) -> u8 {
        self as u8
    }

    /// The name as Falco writes it (`Informational`, not `Info`).
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Emergency => "Emergency",
            Priority::Alert => "Alert",
            Priority::Critical => "Critical",
            Priority::Error => "Error",
            Priority::Warning => "Warning",
            Priority::Notice => "Notice",
            Priority::Informational => "Informational",
            Priority::Debug => "Debug",
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_any_case() {
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
            assert_eq!(Priority::parse(&p.as_str().to_uppercase()), Some(p));
            assert_eq!(Priority::parse(&p.as_str().to_lowercase()), Some(p));
            assert_eq!(Priority::from_level(i64::from(p.level())), Some(p));
        }
        assert_eq!(Priority::parse("INFO"), Some(Priority::Informational));
        assert_eq!(Priority::parse("Warn"), None);
        assert_eq!(Priority::from_level(8), None);
        assert_eq!(Priority::from_level(-1), None);
    }
}
