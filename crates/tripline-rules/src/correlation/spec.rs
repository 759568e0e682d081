//! [`CorrelationSpec`]: what the correlation engine executes, independent of how the rule
//! document was loaded.
//!
//! Built from a rule loaded by [`RuleSet`](crate::RuleSet) (`TryFrom<&Correlation>`), or from
//! a Sigma correlation rule document given as a `serde_json::Value` or as YAML text — all
//! three through the loader's one parser of correlation documents.

use std::collections::BTreeMap;
use std::fmt;

use crate::Error;
use crate::error::snippet as short;

/// The correlation type (Sigma spec 2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CorrelationKind {
    /// `event_count`: matched events per group within the timespan.
    EventCount,
    /// `value_count`: distinct values of `condition.field` per group.
    ValueCount,
    /// `temporal`: all referenced rules matched, any order, within the timespan.
    Temporal,
    /// `temporal_ordered`: as `temporal`, in the order the rules are listed.
    TemporalOrdered,
    /// `value_sum`: sum of a numeric field.
    ValueSum,
    /// `value_avg`: average of a numeric field.
    ValueAvg,
    /// `value_percentile`: a percentile of a numeric field (see [`CorrelationSpec::percentile`]).
    ValuePercentile,
}

impl CorrelationKind {
    /// Parses the `type` value.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "event_count" => CorrelationKind::EventCount,
            "value_count" => CorrelationKind::ValueCount,
            "temporal" => CorrelationKind::Temporal,
            "temporal_ordered" => CorrelationKind::TemporalOrdered,
            "value_sum" => CorrelationKind::ValueSum,
            "value_avg" => CorrelationKind::ValueAvg,
            "value_percentile" => CorrelationKind::ValuePercentile,
            _ => return None,
        })
    }

    /// The spec's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            CorrelationKind::EventCount => "event_count",
            CorrelationKind::ValueCount => "value_count",
            CorrelationKind::Temporal => "temporal",
            CorrelationKind::TemporalOrdered => "temporal_ordered",
            CorrelationKind::ValueSum => "value_sum",
            CorrelationKind::ValueAvg => "value_avg",
            CorrelationKind::ValuePercentile => "value_percentile",
        }
    }

    /// Whether the type aggregates `condition.field`.
    pub fn needs_field(self) -> bool {
        !matches!(
            self,
            CorrelationKind::EventCount
                | CorrelationKind::Temporal
                | CorrelationKind::TemporalOrdered
        )
    }

    /// Whether the type checks several rules together (`temporal*`).
    pub fn is_temporal(self) -> bool {
        matches!(
            self,
            CorrelationKind::Temporal | CorrelationKind::TemporalOrdered
        )
    }
}

impl fmt::Display for CorrelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A comparison operator of a correlation condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cmp {
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

impl Cmp {
    /// Parses `gt`, `gte`, `lt`, `lte`, `eq`, `neq`.
    pub fn parse(s: &str) -> Option<Cmp> {
        Some(match s {
            "gt" => Cmp::Gt,
            "gte" => Cmp::Gte,
            "lt" => Cmp::Lt,
            "lte" => Cmp::Lte,
            "eq" => Cmp::Eq,
            "neq" => Cmp::Neq,
            _ => return None,
        })
    }

    /// Whether `lhs <op> rhs` holds.
    pub fn test(self, lhs: f64, rhs: f64) -> bool {
        match self {
            Cmp::Gt => lhs > rhs,
            Cmp::Gte => lhs >= rhs,
            Cmp::Lt => lhs < rhs,
            Cmp::Lte => lhs <= rhs,
            Cmp::Eq => lhs == rhs,
            Cmp::Neq => lhs != rhs,
        }
    }
}

/// A correlation condition: every comparison must hold (several keys form a range).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Condition {
    /// The comparisons, all of which must hold; empty means "always".
    pub checks: Vec<(Cmp, f64)>,
}

impl Condition {
    /// A condition of one comparison.
    pub fn single(cmp: Cmp, value: f64) -> Self {
        Condition {
            checks: vec![(cmp, value)],
        }
    }

    /// Whether `value` satisfies every comparison.
    pub fn test(&self, value: f64) -> bool {
        self.checks.iter().all(|&(c, v)| c.test(value, v))
    }
}

/// A correlation rule as the engine executes it.
///
/// `rules` name the referenced rules by id or `name`; `group_by` entries are field names or
/// alias names (see `aliases`).
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationSpec {
    /// Rule `id`.
    pub id: Option<String>,
    /// Rule `name` (other correlations may reference this one by it).
    pub name: Option<String>,
    /// Rule `title`.
    pub title: String,
    /// `level` as written (`high`), if any.
    pub level: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `author`, kept for attribution (Detection Rule License).
    pub author: Option<String>,
    /// `references`.
    pub references: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// The correlation type.
    pub kind: CorrelationKind,
    /// Referenced rules (ids or names), detection rules or correlations.
    pub rules: Vec<String>,
    /// `group-by` field or alias names.
    pub group_by: Vec<String>,
    /// `timespan` in nanoseconds.
    pub timespan_ns: i64,
    /// The condition; for `temporal` without one, "all rules seen" is used.
    pub condition: Condition,
    /// pySigma's extended temporal condition: a boolean expression over the referenced rule
    /// names (`recon_a and recon_b and not cleanup`), each true when that rule matched in the
    /// window. `temporal` only; replaces `condition`.
    pub expression: Option<crate::Condition>,
    /// `condition.field` (one or more fields; several are combined into one value).
    pub fields: Vec<String>,
    /// Percentile (1–100) for `value_percentile`: the `percentile` key of the condition,
    /// default 50 (the median). The condition then compares the value at that percentile.
    pub percentile: f64,
    /// `aliases`: alias name → (rule name or id → field in that rule's events).
    pub aliases: BTreeMap<String, BTreeMap<String, String>>,
    /// `generate`: also emit the referenced rules' own matches.
    pub generate: bool,
}

impl CorrelationSpec {
    /// A spec with the given identity, type, rules and timespan; no group-by, no condition.
    pub fn new(
        title: impl Into<String>,
        kind: CorrelationKind,
        rules: Vec<String>,
        timespan_ns: i64,
    ) -> Self {
        CorrelationSpec {
            id: None,
            name: None,
            title: title.into(),
            level: None,
            tags: Vec::new(),
            author: None,
            references: Vec::new(),
            description: None,
            kind,
            rules,
            group_by: Vec::new(),
            timespan_ns,
            condition: Condition::default(),
            expression: None,
            fields: Vec::new(),
            percentile: 50.0,
            aliases: BTreeMap::new(),
            generate: false,
        }
    }

    /// The id, else the name, else the title (for messages and fingerprints).
    pub fn ident(&self) -> &str {
        self.id
            .as_deref()
            .or(self.name.as_deref())
            .unwrap_or(&self.title)
    }

    /// Whether a reference string names this correlation (by id or name).
    pub fn is_named(&self, reference: &str) -> bool {
        self.id.as_deref() == Some(reference) || self.name.as_deref() == Some(reference)
    }

    /// Parses one YAML correlation rule document, with the rule loader's parser (as
    /// [`RuleSet::add_str`](crate::RuleSet::add_str) would) and default
    /// [`Settings`](crate::Settings) budgets.
    pub fn from_yaml_str(text: &str) -> Result<Self, Error> {
        let settings = crate::Settings::default();
        let (doc, at) = crate::load::one_yaml_doc(text, "<string>", &settings)?;
        Self::try_from(&crate::load::correlation_doc(&doc, at, &settings)?)
    }

    /// Builds a spec from a correlation rule document (the whole document, with `title`,
    /// `correlation:` and so on) as a JSON value, with the rule loader's parser.
    pub fn from_json_value(doc: &serde_json::Value) -> Result<Self, Error> {
        let at = crate::Location {
            file: "<json>".into(),
            ..crate::Location::default()
        };
        Self::try_from(&crate::load::correlation_doc(
            doc,
            at,
            &crate::Settings::default(),
        )?)
    }

    /// Checks the per-type requirements of the spec (and of the JSON schema).
    pub fn validate(&self) -> Result<(), Error> {
        self.check().map_err(|e| for_rule(e, self.ident()))
    }

    fn check(&self) -> Result<(), Error> {
        if self.timespan_ns <= 0 {
            return Err(invalid("correlation.timespan", "must be positive".into()));
        }
        if self.kind.needs_field() && self.fields.is_empty() {
            return Err(missing("correlation.condition.field"));
        }
        if let Some(expr) = &self.expression {
            if self.kind != CorrelationKind::Temporal {
                return Err(invalid(
                    "correlation.condition",
                    "an expression condition needs type temporal".into(),
                ));
            }
            let mut unknown = None;
            expression_idents(expr, &mut |name| {
                if !self.rules.iter().any(|r| r == name) {
                    unknown.get_or_insert_with(|| name.to_string());
                }
            });
            if let Some(name) = unknown {
                return Err(invalid(
                    "correlation.condition",
                    format!("{} is not one of the correlation's rules", short(&name)),
                ));
            }
        }
        if !self.kind.is_temporal() && self.condition.checks.is_empty() {
            return Err(missing("correlation.condition"));
        }
        if !(self.percentile > 0.0 && self.percentile <= 100.0) {
            return Err(invalid(
                "correlation.condition.percentile",
                "must be in (0, 100]".into(),
            ));
        }
        Ok(())
    }
}

/// Calls `f` with every plain identifier of an expression.
fn expression_idents(c: &crate::Condition, f: &mut dyn FnMut(&str)) {
    match c {
        crate::Condition::Ident(n) => f(n),
        crate::Condition::Not(x) => expression_idents(x, f),
        crate::Condition::And(v) | crate::Condition::Or(v) => {
            v.iter().for_each(|x| expression_idents(x, f))
        }
        crate::Condition::OneOf(_) | crate::Condition::AllOf(_) => {}
    }
}

/// Evaluates an extended temporal condition; bit `i` of `seen` tells whether `rules[i]`
/// matched in the window. `them` means every rule not starting with `_`; patterns use `*`/`?`.
pub(crate) fn eval_expression(c: &crate::Condition, rules: &[String], seen: u64) -> bool {
    use crate::condition::Target;
    let is_seen = |i: usize| seen & (1u64 << i) != 0;
    let targets = |t: &Target| -> Vec<usize> {
        (0..rules.len())
            .filter(|&i| match t {
                Target::Them => !rules[i].starts_with('_'),
                Target::Pattern(p) => crate::findings::Matcher::parse(p).matches(&rules[i]),
            })
            .collect()
    };
    match c {
        crate::Condition::Ident(n) => rules.iter().position(|r| r == n).is_some_and(is_seen),
        crate::Condition::Not(x) => !eval_expression(x, rules, seen),
        crate::Condition::And(v) => v.iter().all(|x| eval_expression(x, rules, seen)),
        crate::Condition::Or(v) => v.iter().any(|x| eval_expression(x, rules, seen)),
        crate::Condition::OneOf(t) => targets(t).into_iter().any(is_seen),
        crate::Condition::AllOf(t) => {
            let t = targets(t);
            !t.is_empty() && t.into_iter().all(is_seen)
        }
    }
}

/// Whether an expression contains `not` (then it can turn false as events are added).
pub(crate) fn has_not(c: &crate::Condition) -> bool {
    match c {
        crate::Condition::Not(_) => true,
        crate::Condition::And(v) | crate::Condition::Or(v) => v.iter().any(has_not),
        _ => false,
    }
}

/// An [`Error::Correlation`] for a key with an unusable value (the rule is named later).
fn invalid(key: &str, why: String) -> Error {
    Error::Correlation {
        rule: "-".into(),
        reason: format!("{key}: {why}"),
    }
}

/// An [`Error::Correlation`] for a required key that is absent.
fn missing(key: &str) -> Error {
    Error::Correlation {
        rule: "-".into(),
        reason: format!("missing {key}"),
    }
}

/// Names the rule in a correlation error that does not name one yet.
fn for_rule(e: Error, ident: &str) -> Error {
    match e {
        Error::Correlation { rule, reason } if rule == "-" => Error::Correlation {
            rule: short(ident),
            reason,
        },
        other => other,
    }
}

/// Parses a Sigma timespan to nanoseconds: `<number><unit>` with unit `ms`, `s`, `m`, `h`,
/// `d`, `w`, `M` (30 days) or `y` (365 days), as pySigma reads them; positive, no overflow.
pub fn parse_timespan(s: &str) -> Option<i64> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = num.parse().ok()?;
    let unit_ns: i64 = match unit {
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        "d" => 86_400_000_000_000,
        "w" => 7 * 86_400_000_000_000,
        "M" => 30 * 86_400_000_000_000,
        "y" => 365 * 86_400_000_000_000,
        _ => return None,
    };
    n.checked_mul(unit_ns).filter(|&v| v > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timespans() {
        assert_eq!(parse_timespan("5m"), Some(300_000_000_000));
        assert_eq!(parse_timespan("90m"), Some(5_400_000_000_000));
        assert_eq!(parse_timespan("1d"), Some(86_400_000_000_000));
        assert_eq!(parse_timespan("10"), None);
        assert_eq!(parse_timespan("m"), None);
        assert_eq!(parse_timespan("5M"), Some(5 * 30 * 86_400_000_000_000));
        assert_eq!(parse_timespan("1y"), Some(365 * 86_400_000_000_000));
        assert_eq!(parse_timespan("500ms"), Some(500_000_000));
        assert_eq!(parse_timespan("5x"), None);
        assert_eq!(parse_timespan("0s"), None);
        assert_eq!(parse_timespan("99999999999999999d"), None);
    }

    #[test]
    fn range_condition() {
        let c = Condition {
            checks: vec![(Cmp::Gt, 100.0), (Cmp::Lte, 200.0)],
        };
        assert!(!c.test(100.0));
        assert!(c.test(101.0));
        assert!(c.test(200.0));
        assert!(!c.test(201.0));
    }
}
