//! The engine's input (a detection match) and output (a correlation match).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tripline_schema::{FieldSource, Value};

use super::spec::CorrelationKind;

/// A caller-chosen handle that points back at an event: its id, or where it was read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Evidence {
    /// The event's id (`Event::id`).
    EventId(Arc<str>),
    /// A file (when known) and 1-based line.
    Line {
        /// The file, when known.
        file: Option<Arc<str>>,
        /// 1-based line.
        line: u64,
    },
}

impl Evidence {
    /// Evidence by event id.
    pub fn id(id: impl Into<Arc<str>>) -> Self {
        Evidence::EventId(id.into())
    }

    /// Evidence by line, without a file.
    pub fn line(line: u64) -> Self {
        Evidence::Line { file: None, line }
    }

    /// Evidence by file and line.
    pub fn at(file: impl Into<Arc<str>>, line: u64) -> Self {
        Evidence::Line {
            file: Some(file.into()),
            line,
        }
    }

    /// The line, for line evidence.
    pub fn line_number(&self) -> Option<u64> {
        match self {
            Evidence::Line { line, .. } => Some(*line),
            Evidence::EventId(_) => None,
        }
    }
}

impl fmt::Display for Evidence {
    /// `id`, `file:line` or `line`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::EventId(id) => f.write_str(id),
            Evidence::Line {
                file: Some(file),
                line,
            } => write!(f, "{file}:{line}"),
            Evidence::Line { file: None, line } => write!(f, "{line}"),
        }
    }
}

/// One input: detection rule R (by id and/or name) matched event E at time T.
///
/// E's fields are read through [`FieldSource`] only for the group-by and value fields of the
/// correlations that reference R, so the caller keeps ownership of the event.
#[derive(Clone, Copy)]
pub struct Detection<'a> {
    /// The matching rule's `id`.
    pub rule_id: Option<&'a str>,
    /// The matching rule's `name`.
    pub rule_name: Option<&'a str>,
    /// Event time (correlation windows run on event time, never wall clock).
    pub time: DateTime<Utc>,
    /// The event's fields.
    pub event: &'a dyn FieldSource,
    /// What to report as evidence for this event.
    pub evidence: Option<&'a Evidence>,
}

impl fmt::Debug for Detection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detection")
            .field("rule_id", &self.rule_id)
            .field("rule_name", &self.rule_name)
            .field("time", &self.time)
            .field("evidence", &self.evidence)
            .finish_non_exhaustive()
    }
}

impl<'a> Detection<'a> {
    /// A detection of the rule with this id on `event` at `time`.
    pub fn new(rule_id: &'a str, time: DateTime<Utc>, event: &'a dyn FieldSource) -> Self {
        Detection {
            rule_id: Some(rule_id),
            rule_name: None,
            time,
            event,
            evidence: None,
        }
    }

    /// Sets the rule name.
    pub fn with_name(mut self, name: &'a str) -> Self {
        self.rule_name = Some(name);
        self
    }

    /// Sets the evidence handle.
    pub fn with_evidence(mut self, evidence: &'a Evidence) -> Self {
        self.evidence = Some(evidence);
        self
    }
}

/// A correlation rule fired for one group.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationMatch {
    /// Index of the correlation in the engine (the order the specs were given).
    pub index: usize,
    /// The correlation's `id`.
    pub rule_id: Option<String>,
    /// The correlation's `name`.
    pub rule_name: Option<String>,
    /// The correlation's `title`.
    pub title: String,
    /// The correlation's `level`.
    pub level: Option<String>,
    /// The correlation type.
    pub kind: CorrelationKind,
    /// Group-by values in `group-by` order: (group-by entry — the alias name where aliased —,
    /// value).
    pub group: Vec<(String, String)>,
    /// The value the condition was tested on: event count, distinct count, number of rules
    /// seen, sum, average or percentile.
    pub value: f64,
    /// Events in the matching window.
    pub count: u64,
    /// Time of the earliest event in the window.
    pub first_seen: DateTime<Utc>,
    /// Time of the latest event in the window.
    pub last_seen: DateTime<Utc>,
    /// Evidence of the events in the window (for temporal types: the events that satisfied
    /// each referenced rule), in time order, at most `Settings::max_evidence`.
    pub evidence: Vec<Evidence>,
    /// Evidence handles left out because of `Settings::max_evidence`.
    pub evidence_omitted: u64,
    /// For temporal types, the referenced rules seen in the window (as written in `rules`).
    pub rules_seen: Vec<String>,
}

impl CorrelationMatch {
    /// The group value for a group-by entry (or alias) name.
    pub fn group_value(&self, name: &str) -> Option<&str> {
        self.group
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// One JSON object for line-oriented output: `rule_id`, `rule_name`, `rule_title`,
    /// `level`, `correlation: true`, `type`, `group` (group-by entry — alias names where
    /// aliased — → value), `value`, `count`, `first_seen`, `last_seen`, `evidence` (strings),
    /// `lines` (1-based lines of the line evidence, in evidence order), `rules_seen` for
    /// temporal types, and `evidence_omitted` when evidence was capped.
    pub fn to_json(&self) -> serde_json::Value {
        let group: serde_json::Map<String, serde_json::Value> = self
            .group
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        let mut v = serde_json::json!({
            "rule_id": self.rule_id,
            "rule_name": self.rule_name,
            "rule_title": self.title,
            "level": self.level,
            "correlation": true,
            "type": self.kind.as_str(),
            "group": group,
            "value": self.value,
            "count": self.count,
            "first_seen": self.first_seen.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            "last_seen": self.last_seen.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            "evidence": self.evidence.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "lines": self.evidence.iter().filter_map(Evidence::line_number).collect::<Vec<_>>(),
        });
        if !self.rules_seen.is_empty() {
            v["rules_seen"] = serde_json::json!(self.rules_seen);
        }
        if self.evidence_omitted > 0 {
            v["evidence_omitted"] = serde_json::json!(self.evidence_omitted);
        }
        v
    }

    /// The id, else the name, else the title.
    pub fn ident(&self) -> &str {
        self.rule_id
            .as_deref()
            .or(self.rule_name.as_deref())
            .unwrap_or(&self.title)
    }
}

/// A match seen as an event by correlations chained on it: its group values are its fields.
impl FieldSource for CorrelationMatch {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        self.group_value(name).map(|v| Value::Str(Cow::Borrowed(v)))
    }

    fn raw_text(&self) -> Option<&str> {
        None
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        self.group
            .iter()
            .map(|(k, _)| Cow::Borrowed(k.as_str()))
            .collect()
    }
}
