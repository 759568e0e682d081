//! Counts of findings by rule, severity, source product, container and user, overall and per
//! time bucket.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use tripline_schema::{Event, EventKind};

use crate::correlation::to_ns;

/// Counts in one bucket (or overall).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Findings counted.
    pub total: u64,
    /// Occurrences: the sum of the findings' counts (a de-duplicated finding counts its repeats).
    pub occurrences: u64,
    /// By rule title (else id).
    pub by_rule: BTreeMap<String, u64>,
    /// By normalized severity caption (`High`).
    pub by_severity: BTreeMap<String, u64>,
    /// By source product (`falco`, `tripline`…).
    pub by_source: BTreeMap<String, u64>,
    /// By container name (else short id); findings without a container are not counted here.
    pub by_container: BTreeMap<String, u64>,
    /// By user name (else `uid N`); findings without a user are not counted here.
    pub by_user: BTreeMap<String, u64>,
}

impl Counts {
    fn add(&mut self, k: &Keys, occurrences: u64) {
        self.total += 1;
        self.occurrences += occurrences;
        *self.by_rule.entry(k.rule.clone()).or_default() += 1;
        *self.by_severity.entry(k.severity.clone()).or_default() += 1;
        *self.by_source.entry(k.source.clone()).or_default() += 1;
        if let Some(c) = &k.container {
            *self.by_container.entry(c.clone()).or_default() += 1;
        }
        if let Some(u) = &k.user {
            *self.by_user.entry(u.clone()).or_default() += 1;
        }
    }
}

struct Keys {
    rule: String,
    severity: String,
    source: String,
    container: Option<String>,
    user: Option<String>,
}

/// Finding metrics with time buckets of a fixed width (aligned to the Unix epoch).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Metrics {
    /// Bucket width in seconds.
    pub bucket_secs: u64,
    /// Over all findings.
    pub overall: Counts,
    /// Per bucket, keyed by the bucket's start time (RFC 3339).
    pub buckets: BTreeMap<DateTime<Utc>, Counts>,
}

impl Metrics {
    /// Empty metrics with buckets `bucket_secs` wide (at least 1 s; 3600 for hourly).
    pub fn new(bucket_secs: u64) -> Self {
        Metrics {
            bucket_secs: bucket_secs.max(1),
            overall: Counts::default(),
            buckets: BTreeMap::new(),
        }
    }

    /// Counts one finding, in the bucket of its last-seen time (else its time).
    pub fn add(&mut self, event: &Event) {
        let f = match &event.kind {
            EventKind::Finding(f) => Some(f),
            _ => None,
        };
        let rule = f
            .and_then(|f| f.rule.name.clone().or_else(|| f.rule.id.clone()))
            .unwrap_or_else(|| "-".into());
        let user = event.actor_user().and_then(|u| {
            u.name
                .as_ref()
                .map(|n| n.to_string())
                .or_else(|| u.id.map(|id| format!("uid {id}")))
        });
        let container = event.container.as_ref().and_then(|c| {
            c.name
                .as_deref()
                .or_else(|| c.short_id())
                .map(str::to_string)
        });
        let keys = Keys {
            rule: rule.to_string(),
            severity: event.severity.level.caption().to_string(),
            source: event.source.product.name().to_string(),
            container,
            user,
        };
        let occurrences = f.and_then(|f| f.count).unwrap_or(1);
        self.overall.add(&keys, occurrences);
        let t = f.and_then(|f| f.last_seen).unwrap_or(event.time);
        let width = i64::try_from(self.bucket_secs)
            .unwrap_or(i64::MAX / 1_000_000_000)
            .saturating_mul(1_000_000_000);
        let start = to_ns(t).div_euclid(width).saturating_mul(width);
        self.buckets
            .entry(DateTime::from_timestamp_nanos(start))
            .or_default()
            .add(&keys, occurrences);
    }

    /// Counts many findings.
    pub fn extend<'e>(&mut self, events: impl IntoIterator<Item = &'e Event>) {
        for e in events {
            self.add(e);
        }
    }

    /// The metrics as a JSON value.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}
