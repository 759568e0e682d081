//! The loaded (uncompiled) rule documents: detection rules, meta filters and correlations.

use std::collections::BTreeMap;
use std::fmt;

use crate::condition::Condition;
use crate::error::Location;
use crate::modifier::Modifier;

/// A rule's `logsource` (only the three routing keys; `definition` and extras are kept in
/// [`LogSource::extra`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LogSource {
    /// `product` (`linux`, `kubernetes`, `falco`…).
    pub product: Option<String>,
    /// `category` (`process_creation`, `file_event`…).
    pub category: Option<String>,
    /// `service` (`auditd`, `audit`, `sshd`…).
    pub service: Option<String>,
    /// Other keys (`definition`, custom), as text.
    pub extra: BTreeMap<String, String>,
}

impl LogSource {
    /// A logsource from the three routing keys (empty strings mean "not set").
    pub fn new(product: &str, category: &str, service: &str) -> Self {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_ascii_lowercase());
        LogSource {
            product: opt(product),
            category: opt(category),
            service: opt(service),
            extra: BTreeMap::new(),
        }
    }

    /// Parses `product=linux,category=process_creation,service=auditd` (any subset).
    pub fn parse_spec(spec: &str) -> Result<Self, String> {
        let mut ls = LogSource::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not key=value"))?;
            let v = Some(v.trim().to_ascii_lowercase());
            match k.trim() {
                "product" => ls.product = v,
                "category" => ls.category = v,
                "service" => ls.service = v,
                other => return Err(format!("unknown logsource key `{other}`")),
            }
        }
        Ok(ls)
    }

    /// Whether a rule with this logsource applies to events of `event`'s logsource: every key
    /// the rule sets must equal the event's.
    pub fn covers(&self, event: &LogSource) -> bool {
        let ok = |r: &Option<String>, e: &Option<String>| r.is_none() || r == e;
        ok(&self.product, &event.product)
            && ok(&self.category, &event.category)
            && ok(&self.service, &event.service)
    }

    /// The routing key without extras.
    pub fn key(&self) -> LogSource {
        LogSource {
            product: self.product.clone(),
            category: self.category.clone(),
            service: self.service.clone(),
            extra: BTreeMap::new(),
        }
    }
}

impl fmt::Display for LogSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (k, v) in [
            ("product", &self.product),
            ("category", &self.category),
            ("service", &self.service),
        ] {
            if let Some(v) = v {
                if !first {
                    f.write_str(",")?;
                }
                write!(f, "{k}={v}")?;
                first = false;
            }
        }
        if first {
            f.write_str("*")?;
        }
        Ok(())
    }
}

/// Sigma `level`. Unknown levels survive as [`Level::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Level {
    /// `informational`.
    Informational,
    /// `low`.
    Low,
    /// `medium`.
    Medium,
    /// `high`.
    High,
    /// `critical`.
    Critical,
    /// Anything else, kept verbatim.
    Other(String),
}

impl Level {
    /// Parses a level name (case-insensitive).
    pub fn parse(s: &str) -> Level {
        match s.to_ascii_lowercase().as_str() {
            "informational" => Level::Informational,
            "low" => Level::Low,
            "medium" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => Level::Other(s.to_string()),
        }
    }

    /// The level's name.
    pub fn as_str(&self) -> &str {
        match self {
            Level::Informational => "informational",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
            Level::Other(s) => s,
        }
    }
}

/// Metadata shared by every document kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// `title`.
    pub title: String,
    /// `id`.
    pub id: Option<String>,
    /// `name` (correlations may reference rules by it).
    pub name: Option<String>,
    /// `status`.
    pub status: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `author` — keep and show it with matches (Detection Rule License attribution).
    pub author: Option<String>,
    /// `references`.
    pub references: Vec<String>,
    /// `tags` (`attack.t1059.004`, `attack.execution`, `cve.2021-4034`…).
    pub tags: Vec<String>,
    /// `date`.
    pub date: Option<String>,
    /// `modified`.
    pub modified: Option<String>,
    /// `falsepositives`.
    pub falsepositives: Vec<String>,
    /// `level`.
    pub level: Option<Level>,
    /// `license`.
    pub license: Option<String>,
}

impl Meta {
    /// The id, else the name, else `-` (for messages).
    pub fn ident(&self) -> &str {
        self.id.as_deref().or(self.name.as_deref()).unwrap_or("-")
    }
}

/// A literal value in a detection, as written in YAML.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SigmaValue {
    /// A string (may hold wildcards).
    Str(String),
    /// An integer (matches its decimal text too: `a1: 777` matches `"777"`).
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// `null`: the field is absent or null.
    Null,
}

impl SigmaValue {
    /// The value as text (`None` for null).
    pub fn text(&self) -> Option<String> {
        match self {
            SigmaValue::Str(s) => Some(s.clone()),
            SigmaValue::Int(i) => Some(i.to_string()),
            SigmaValue::Float(f) => Some(f.to_string()),
            SigmaValue::Bool(b) => Some(b.to_string()),
            SigmaValue::Null => None,
        }
    }

    /// A text the value matches as written (no modifiers): wildcards `*` dropped and `?`
    /// filled with `x`, escapes resolved. What tests and benchmarks put in an event to make
    /// a rule fire.
    ///
    /// ```
    /// use tripline_rules::SigmaValue;
    ///
    /// let v = SigmaValue::Str(r"wget * - http?\*".into());
    /// assert_eq!(v.example().as_deref(), Some("wget  - httpx*"));
    /// assert_eq!(SigmaValue::Null.example(), None);
    /// ```
    pub fn example(&self) -> Option<String> {
        let t = self.text()?;
        let mut out = String::with_capacity(t.len());
        let mut it = t.chars().peekable();
        while let Some(c) = it.next() {
            match c {
                '\\' if matches!(it.peek(), Some('*' | '?' | '\\')) => {
                    out.extend(it.next());
                }
                '*' => {}
                '?' => out.push('x'),
                c => out.push(c),
            }
        }
        Some(out)
    }
}

/// One `field|modifiers: values` entry; `field == None` is a keyword search over the raw
/// message (a plain list selection, or the `'|all'` keyword map).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldItem {
    /// The field name as written in the rule (before logsource mapping).
    pub field: Option<String>,
    /// Modifiers in order.
    pub modifiers: Vec<Modifier>,
    /// Values (OR, or AND with `all`).
    pub values: Vec<SigmaValue>,
}

impl FieldItem {
    /// Whether the item has the modifier.
    pub fn has(&self, m: Modifier) -> bool {
        self.modifiers.contains(&m)
    }
}

/// A search identifier: OR of alternatives, each an AND of items.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The identifier.
    pub name: String,
    /// Alternatives (a list of maps), each an AND of items.
    pub alternatives: Vec<Vec<FieldItem>>,
}

/// A `detection` section.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// Search identifiers in file order.
    pub selections: Vec<Selection>,
    /// Conditions (a list is an OR of its entries).
    pub conditions: Vec<Condition>,
}

/// A detection rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Metadata.
    pub meta: Meta,
    /// The rule's logsource.
    pub logsource: LogSource,
    /// The detection.
    pub detection: Detection,
    /// Where the rule's YAML document starts.
    pub at: Location,
}

/// A meta filter (`filter:` document): `and not <filter>` appended to the referenced rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// Metadata (title, id…).
    pub meta: Meta,
    /// The filter's logsource.
    pub logsource: LogSource,
    /// Referenced rule ids or names.
    pub rules: Vec<String>,
    /// The filter's selections and condition.
    pub detection: Detection,
    /// Where the document starts.
    pub at: Location,
}

/// Correlation type (spec 2.1 plus pySigma's `value_median`); unknown types are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CorrelationType {
    /// `event_count`.
    EventCount,
    /// `value_count`.
    ValueCount,
    /// `temporal`.
    Temporal,
    /// `temporal_ordered`.
    TemporalOrdered,
    /// `value_sum`.
    ValueSum,
    /// `value_avg`.
    ValueAvg,
    /// `value_percentile`.
    ValuePercentile,
    /// `value_median` (pySigma extension).
    ValueMedian,
}

impl CorrelationType {
    /// Parses the `type` value.
    pub fn parse(s: &str) -> Option<Self> {
        use CorrelationType::*;
        Some(match s {
            "event_count" => EventCount,
            "value_count" => ValueCount,
            "temporal" => Temporal,
            "temporal_ordered" => TemporalOrdered,
            "value_sum" => ValueSum,
            "value_avg" => ValueAvg,
            "value_percentile" => ValuePercentile,
            "value_median" => ValueMedian,
            _ => return None,
        })
    }

    /// Whether the type aggregates a field (`value_*`), which then needs `condition.field`.
    pub fn needs_field(self) -> bool {
        !matches!(
            self,
            CorrelationType::EventCount
                | CorrelationType::Temporal
                | CorrelationType::TemporalOrdered
        )
    }
}

/// Comparison operator of a correlation condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CmpOp {
    /// `gt`.
    Gt,
    /// `gte`.
    Gte,
    /// `lt`.
    Lt,
    /// `lte`.
    Lte,
    /// `eq`.
    Eq,
    /// `neq`.
    Neq,
}

impl CmpOp {
    /// Applies the comparison.
    pub fn test(self, lhs: f64, rhs: f64) -> bool {
        match self {
            CmpOp::Gt => lhs > rhs,
            CmpOp::Gte => lhs >= rhs,
            CmpOp::Lt => lhs < rhs,
            CmpOp::Lte => lhs <= rhs,
            CmpOp::Eq => lhs == rhs,
            CmpOp::Neq => lhs != rhs,
        }
    }
}

/// A correlation rule, parsed and validated (executed by the correlation stage).
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// Metadata.
    pub meta: Meta,
    /// The correlation type.
    pub kind: CorrelationType,
    /// Referenced rule ids or names (detection or correlation rules).
    pub rules: Vec<String>,
    /// `group-by` fields.
    pub group_by: Vec<String>,
    /// `timespan` in nanoseconds (`500ms`, `30s`, `5m`, `1h`, `2d`, `1w`, `1M` = 30 days,
    /// `1y` = 365 days).
    pub timespan_ns: i64,
    /// Conditions (all must hold); empty for a plain `temporal`.
    pub condition: Vec<(CmpOp, f64)>,
    /// `condition.field` for `value_*` types (one or more fields; several are combined into
    /// one value).
    pub fields: Vec<String>,
    /// `condition.percentile` for `value_percentile` (default 50, the median).
    pub percentile: f64,
    /// Extended temporal condition (`rule_a and not rule_b`), when given as a string.
    pub expression: Option<Condition>,
    /// `aliases`: alias → (rule name → field in that rule's events).
    pub aliases: BTreeMap<String, BTreeMap<String, String>>,
    /// `generate`: also emit the referenced rules' own matches.
    pub generate: bool,
    /// Where the document starts.
    pub at: Location,
}
