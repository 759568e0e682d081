//! Severity normalized to the OCSF `severity_id` scale, keeping the source's own value.
//!
//! One table for every source (documented in ARCHITECTURE.md):
//!
//! | OCSF id | Falco priority | Tracee | Sigma level |
//! |---|---|---|---|
//! | 1 Informational | Debug, Informational (`info`) | 0 / INFO | informational |
//! | 2 Low | Notice | 1 / LOW | low |
//! | 3 Medium | Warning | 2 / MEDIUM | medium |
//! | 4 High | Error | 3 / HIGH | high |
//! | 5 Critical | Critical | 4 / CRITICAL | critical |
//! | 6 Fatal | Alert, Emergency | — | — |
//!
//! Falco's Alert and Emergency map to Fatal as falcosidekick's Security Lake output does; this
//! keeps the ordering of Falco's eight priorities.

use crate::fields::Text;
use serde::{Deserialize, Serialize};

/// The OCSF `severity_id` scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[non_exhaustive]
pub enum SeverityLevel {
    /// 0: not known.
    #[default]
    Unknown,
    /// 1: informational.
    Informational,
    /// 2: low.
    Low,
    /// 3: medium.
    Medium,
    /// 4: high.
    High,
    /// 5: critical.
    Critical,
    /// 6: fatal.
    Fatal,
    /// 99: a value outside the scale.
    Other,
}

impl SeverityLevel {
    /// The OCSF `severity_id`.
    pub fn id(self) -> u8 {
        match self {
            SeverityLevel::Unknown => 0,
            SeverityLevel::Informational => 1,
            SeverityLevel::Low => 2,
            SeverityLevel::Medium => 3,
            SeverityLevel::High => 4,
            SeverityLevel::Critical => 5,
            SeverityLevel::Fatal => 6,
            SeverityLevel::Other => 99,
        }
    }

    /// From an OCSF `severity_id` (unknown ids become [`SeverityLevel::Other`]).
    pub fn from_id(id: u8) -> SeverityLevel {
        match id {
            0 => SeverityLevel::Unknown,
            1 => SeverityLevel::Informational,
            2 => SeverityLevel::Low,
            3 => SeverityLevel::Medium,
            4 => SeverityLevel::High,
            5 => SeverityLevel::Critical,
            6 => SeverityLevel::Fatal,
            _ => SeverityLevel::Other,
        }
    }

    /// The OCSF caption (`"Medium"`).
    pub fn caption(self) -> &'static str {
        match self {
            SeverityLevel::Unknown => "Unknown",
            SeverityLevel::Informational => "Informational",
            SeverityLevel::Low => "Low",
            SeverityLevel::Medium => "Medium",
            SeverityLevel::High => "High",
            SeverityLevel::Critical => "Critical",
            SeverityLevel::Fatal => "Fatal",
            SeverityLevel::Other => "Other",
        }
    }
}

impl Serialize for SeverityLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.id())
    }
}

impl<'de> Deserialize<'de> for SeverityLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        u8::deserialize(d).map(SeverityLevel::from_id)
    }
}

/// A normalized severity plus the value the source wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Severity {
    /// Normalized level.
    pub level: SeverityLevel,
    /// The source's own word or number, verbatim (`"Warning"`, `"3"`, `"high"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<Text>,
}

impl Severity {
    /// A severity with no original value.
    pub fn new(level: SeverityLevel) -> Self {
        Severity {
            level,
            original: None,
        }
    }

    /// From a Falco priority (`Emergency` … `Debug`, case-insensitive, `info` alias).
    pub fn from_falco_priority(priority: &str) -> Option<Severity> {
        let p = priority.trim();
        use SeverityLevel as L;
        let level = lookup(
            p,
            &[
                ("emergency", L::Fatal),
                ("alert", L::Fatal),
                ("critical", L::Critical),
                ("error", L::High),
                ("warning", L::Medium),
                ("notice", L::Low),
                ("informational", L::Informational),
                ("info", L::Informational),
                ("debug", L::Informational),
            ],
        )?;
        Some(Severity {
            level,
            original: Some(Text::from(p)),
        })
    }

    /// From a Tracee signature severity 0–4 (legacy `metadata.Properties.Severity`).
    pub fn from_tracee(severity: i64) -> Option<Severity> {
        let level = match severity {
            0 => SeverityLevel::Informational,
            1 => SeverityLevel::Low,
            2 => SeverityLevel::Medium,
            3 => SeverityLevel::High,
            4 => SeverityLevel::Critical,
            _ => return None,
        };
        Some(Severity {
            level,
            original: Some(compact_str::format_compact!("{severity}")),
        })
    }

    /// From a Tracee v1beta1 severity name (`INFO`, `LOW`, `MEDIUM`, `HIGH`, `CRITICAL`) or its
    /// number written as text.
    pub fn from_tracee_name(name: &str) -> Option<Severity> {
        let n = name.trim();
        use SeverityLevel as L;
        let level = lookup(
            n,
            &[
                ("INFO", L::Informational),
                ("0", L::Informational),
                ("LOW", L::Low),
                ("1", L::Low),
                ("MEDIUM", L::Medium),
                ("2", L::Medium),
                ("HIGH", L::High),
                ("3", L::High),
                ("CRITICAL", L::Critical),
                ("4", L::Critical),
            ],
        )?;
        Some(Severity {
            level,
            original: Some(Text::from(n)),
        })
    }

    /// From a Sigma `level` (`informational`, `low`, `medium`, `high`, `critical`).
    pub fn from_sigma_level(level: &str) -> Option<Severity> {
        let l = level.trim();
        use SeverityLevel as L;
        let norm = lookup(
            l,
            &[
                ("informational", L::Informational),
                ("low", L::Low),
                ("medium", L::Medium),
                ("high", L::High),
                ("critical", L::Critical),
            ],
        )?;
        Some(Severity {
            level: norm,
            original: Some(Text::from(l)),
        })
    }
}

/// The level of the first name equal to `word` ignoring ASCII case (no lowercase copy).
fn lookup(word: &str, table: &[(&str, SeverityLevel)]) -> Option<SeverityLevel> {
    table
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map(|(_, level)| *level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SeverityLevel::*;

    #[test]
    fn falco_table() {
        let rows = [
            ("Emergency", Fatal),
            ("ALERT", Fatal),
            ("Critical", Critical),
            ("Error", High),
            ("warning", Medium),
            ("Notice", Low),
            ("Informational", Informational),
            ("info", Informational),
            ("Debug", Informational),
        ];
        for (word, level) in rows {
            let s = Severity::from_falco_priority(word).unwrap();
            assert_eq!(s.level, level, "{word}");
            assert_eq!(s.original.as_deref(), Some(word));
        }
        assert!(Severity::from_falco_priority("loud").is_none());
    }

    #[test]
    fn tracee_table() {
        let rows = [
            (0, Informational),
            (1, Low),
            (2, Medium),
            (3, High),
            (4, Critical),
        ];
        for (n, level) in rows {
            assert_eq!(Severity::from_tracee(n).unwrap().level, level);
        }
        assert!(Severity::from_tracee(5).is_none());
        assert!(Severity::from_tracee(-1).is_none());
        let names = [
            ("INFO", Informational),
            ("low", Low),
            ("MEDIUM", Medium),
            ("HIGH", High),
            ("CRITICAL", Critical),
        ];
        for (n, level) in names {
            assert_eq!(Severity::from_tracee_name(n).unwrap().level, level);
        }
    }

    #[test]
    fn sigma_table() {
        let rows = [
            ("informational", Informational),
            ("low", Low),
            ("medium", Medium),
            ("high", High),
            ("critical", Critical),
        ];
        for (n, level) in rows {
            assert_eq!(Severity::from_sigma_level(n).unwrap().level, level);
        }
        assert!(Severity::from_sigma_level("urgent").is_none());
    }

    #[test]
    fn ids_round_trip() {
        for id in [0u8, 1, 2, 3, 4, 5, 6, 99] {
            assert_eq!(SeverityLevel::from_id(id).id(), id);
        }
        assert_eq!(SeverityLevel::from_id(42), Other);
        assert!(Critical > High && High > Medium);
    }
}
