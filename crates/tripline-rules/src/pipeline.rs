//! Logsource pipelines: data that maps rule field names (and a few literal values) onto the
//! names events expose. The built-in pipeline is `pipelines/default.yml` in this crate.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Error, Location};
use crate::rule::LogSource;

const DEFAULT_YAML: &str = include_str!("../pipelines/default.yml");

/// The routing keys of a pipeline entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSourceMatch {
    /// Product the rule must have.
    #[serde(default)]
    pub product: Option<String>,
    /// Category the rule must have.
    #[serde(default)]
    pub category: Option<String>,
    /// Service the rule must have.
    #[serde(default)]
    pub service: Option<String>,
}

impl LogSourceMatch {
    fn applies_to(&self, rule: &LogSource) -> bool {
        let ok = |m: &Option<String>, r: &Option<String>| m.is_none() || m == r;
        ok(&self.product, &rule.product)
            && ok(&self.category, &rule.category)
            && ok(&self.service, &rule.service)
    }
}

/// One pipeline entry: the field (and value) mappings for rules of matching logsources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Which rules the entry applies to.
    pub logsource: LogSourceMatch,
    /// Rule field → event field names tried in order (before the rule's own name).
    #[serde(default)]
    pub fields: BTreeMap<String, Vec<String>>,
    /// Rule field → (rule value, lowercase → equivalent event value).
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

/// A pipeline: ordered mappings plus the fallback fields for keyword search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// A name for messages.
    #[serde(default)]
    pub name: String,
    /// Fields keyword searches read when the event has no raw text, first present wins.
    #[serde(default)]
    pub keyword_fields: Vec<String>,
    /// Mappings in order.
    #[serde(default)]
    pub logsources: Vec<Mapping>,
}

impl Pipeline {
    /// The built-in pipeline (Sysmon taxonomy → ECS, raw auditd and Kubernetes names, and the
    /// Falco, Tracee and Docker logsources).
    pub fn builtin() -> Pipeline {
        Pipeline::from_yaml(DEFAULT_YAML, "pipelines/default.yml").unwrap_or_default()
    }

    /// A pipeline with no mappings (rule field names used as-is; keyword fallback `message`).
    pub fn identity() -> Pipeline {
        Pipeline {
            name: "identity".into(),
            keyword_fields: vec!["message".into()],
            logsources: Vec::new(),
        }
    }

    /// Reads a pipeline from YAML of the built-in file's shape.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Pipeline, Error> {
        serde_saphyr::from_str::<Pipeline>(text).map_err(|e| Error::Yaml {
            at: Location {
                file: origin.to_string(),
                line: e.location().map(|l| l.line()).unwrap_or(0),
                offset: 0,
            },
            message: e.to_string().lines().next().unwrap_or("").to_string(),
            snippet: String::new(),
        })
    }

    /// Appends another pipeline's mappings (they add candidates after this one's) and its
    /// keyword fields.
    pub fn extend(&mut self, other: Pipeline) -> &mut Self {
        for k in other.keyword_fields {
            if !self.keyword_fields.contains(&k) {
                self.keyword_fields.push(k);
            }
        }
        self.logsources.extend(other.logsources);
        self
    }

    /// Event field names to try, in order, for `field` of a rule with logsource `ls`; the
    /// rule's own name always comes last.
    pub fn field_names(&self, ls: &LogSource, field: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in self
            .logsources
            .iter()
            .filter(|m| m.logsource.applies_to(ls))
        {
            if let Some(names) = m.fields.get(field) {
                for n in names {
                    if !out.contains(n) {
                        out.push(n.clone());
                    }
                }
            }
        }
        if !out.iter().any(|n| n == field) {
            out.push(field.to_string());
        }
        out
    }

    /// The equivalent event value for a literal rule value, if the pipeline maps one.
    pub fn value_alias(&self, ls: &LogSource, field: &str, value: &str) -> Option<&str> {
        let v = value.to_lowercase();
        self.logsources
            .iter()
            .filter(|m| m.logsource.applies_to(ls))
            .find_map(|m| m.values.get(field)?.get(&v).map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_maps() {
        let p = Pipeline::builtin();
        assert!(p.logsources.len() >= 8, "{p:?}");
        let ls = LogSource::new("linux", "process_creation", "");
        assert_eq!(
            p.field_names(&ls, "Image"),
            vec!["process.executable", "Image"]
        );
        assert_eq!(
            p.field_names(&ls, "process.executable"),
            vec!["process.executable"]
        );
        let a = LogSource::new("linux", "", "auditd");
        assert_eq!(p.field_names(&a, "a0"), vec!["a0"]);
        let pa = LogSource::new("linux", "process_access", "");
        assert_eq!(
            p.field_names(&pa, "TargetImage"),
            vec!["tripline.target_process.executable", "TargetImage"]
        );
        assert_eq!(
            p.field_names(&pa, "GrantedAccess"),
            vec!["tripline.process_access.request", "GrantedAccess"]
        );
        let n = LogSource::new("linux", "network_connection", "");
        assert_eq!(p.value_alias(&n, "Initiated", "true"), Some("egress"));
    }
}
