//! Conversion from the rule loader's parsed correlation documents ([`crate::Correlation`]).

use super::spec::{Cmp, Condition, CorrelationKind, CorrelationSpec};
use crate::Error;
use crate::{CmpOp, Correlation, CorrelationType};

impl TryFrom<&Correlation> for CorrelationSpec {
    type Error = Error;

    /// Converts a loaded correlation rule. pySigma's `value_median` becomes
    /// `value_percentile` at 50; extended temporal conditions (boolean expressions over rule
    /// names) are kept as [`CorrelationSpec::expression`].
    fn try_from(c: &Correlation) -> Result<Self, Error> {
        let kind = match c.kind {
            CorrelationType::EventCount => CorrelationKind::EventCount,
            CorrelationType::ValueCount => CorrelationKind::ValueCount,
            CorrelationType::Temporal => CorrelationKind::Temporal,
            CorrelationType::TemporalOrdered => CorrelationKind::TemporalOrdered,
            CorrelationType::ValueSum => CorrelationKind::ValueSum,
            CorrelationType::ValueAvg => CorrelationKind::ValueAvg,
            CorrelationType::ValuePercentile | CorrelationType::ValueMedian => {
                CorrelationKind::ValuePercentile
            }
        };
        let mut spec =
            CorrelationSpec::new(c.meta.title.clone(), kind, c.rules.clone(), c.timespan_ns);
        spec.id = c.meta.id.clone();
        spec.name = c.meta.name.clone();
        spec.level = c.meta.level.as_ref().map(|l| l.as_str().to_string());
        spec.tags = c.meta.tags.clone();
        spec.author = c.meta.author.clone();
        spec.references = c.meta.references.clone();
        spec.description = c.meta.description.clone();
        spec.group_by = c.group_by.clone();
        spec.condition = Condition {
            checks: c
                .condition
                .iter()
                .map(|&(op, v)| {
                    let cmp = match op {
                        CmpOp::Gt => Cmp::Gt,
                        CmpOp::Gte => Cmp::Gte,
                        CmpOp::Lt => Cmp::Lt,
                        CmpOp::Lte => Cmp::Lte,
                        CmpOp::Eq => Cmp::Eq,
                        CmpOp::Neq => Cmp::Neq,
                    };
                    (cmp, v)
                })
                .collect(),
        };
        spec.fields = c.fields.clone();
        spec.percentile = if c.kind == CorrelationType::ValueMedian {
            50.0
        } else {
            c.percentile
        };
        spec.aliases = c.aliases.clone();
        spec.generate = c.generate;
        spec.expression = c.expression.clone();
        spec.validate()?;
        Ok(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_loaded_rule_set() {
        let yaml = r#"
title: Brute force then success
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
level: high
author: Florian Roth
correlation:
  type: temporal_ordered
  rules: [multiple_failed_login, successful_login]
  group-by: [User]
  timespan: 10m
---
title: Multiple failed logons
name: multiple_failed_login
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [User]
  timespan: 10m
  condition: {gte: 10}
---
title: median
correlation:
  type: value_median
  rules: [r]
  group-by: [h]
  timespan: 1h
  condition: {field: bytes, gt: 5}
"#;
        let mut set = crate::RuleSet::new(crate::Settings::default());
        set.add_str(yaml, "mr_test.yml");
        assert_eq!(set.correlations.len(), 3, "{:?}", set.rejected);
        let specs: Vec<CorrelationSpec> = set
            .correlations
            .iter()
            .map(|c| CorrelationSpec::try_from(c).unwrap())
            .collect();
        assert_eq!(specs[0].kind, CorrelationKind::TemporalOrdered);
        assert_eq!(specs[0].timespan_ns, 600_000_000_000);
        assert_eq!(specs[0].level.as_deref(), Some("high"));
        assert_eq!(specs[0].author.as_deref(), Some("Florian Roth"));
        assert_eq!(specs[1].name.as_deref(), Some("multiple_failed_login"));
        assert_eq!(specs[1].condition, Condition::single(Cmp::Gte, 10.0));
        assert_eq!(specs[2].kind, CorrelationKind::ValuePercentile);
        assert_eq!(specs[2].percentile, 50.0);
        assert_eq!(specs[2].fields, vec!["bytes"]);
        // The converted specs build a chained engine.
        assert!(super::super::Engine::new(specs, Default::default()).is_ok());
    }
}
