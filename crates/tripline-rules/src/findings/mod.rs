//! The findings lifecycle: build, fingerprint and de-duplicate, suppress, export, count.
//!
//! A finding is a [`tripline_schema::Event`] with [`EventKind::Finding`](tripline_schema::EventKind::Finding),
//! whatever produced it (a Sigma rule, a correlation, Falco, Tracee).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use tripline_rules::findings::{Deduplicator, DedupSettings, Format, Metrics, SuppressionSet, Verdict};
//! use tripline_schema::{Event, EventKind, Finding, Product, Rule, Source, User};
//!
//! let finding = |sec: i64, user: &str| {
//!     let kind = EventKind::Finding(Box::new(Finding {
//!         rule: Rule { id: Some("r-1".into()), name: Some("Shell in container".into()), ..Rule::default() },
//!         user: Some(User::from_name(user)),
//!         ..Finding::default()
//!     }));
//!     Event::new(Utc.timestamp_opt(1_700_000_000 + sec, 0).unwrap(), Source::new(Product::Falco, "falco-json"), kind)
//! };
//!
//! // De-duplicate: same rule, same user → one finding with a count.
//! let mut dedup = Deduplicator::new(DedupSettings::default());
//! for (sec, user) in [(0, "alice"), (5, "alice"), (9, "bob")] {
//!     dedup.observe(finding(sec, user));
//! }
//! let findings = dedup.into_findings();
//! assert_eq!(findings.len(), 2);
//!
//! // Suppress bob's (a known admin task), counted against the suppression.
//! let mut sup = SuppressionSet::from_yaml_str(r#"
//! - id: admin-bob
//!   reason: bob runs the maintenance shell
//!   author: secops
//!   match: {rule.id: r-1, user.name: [bob, carol]}
//! "#).unwrap();
//! let now = Utc.timestamp_opt(1_700_000_100, 0).unwrap();
//! let (kept, suppressed) = sup.partition(findings, now);
//! assert_eq!((kept.len(), suppressed.len()), (1, 1));
//! assert_eq!(sup.report(None)[0].suppressed, 1);
//!
//! // Export and count.
//! let mut out = Vec::new();
//! tripline_rules::findings::write_ndjson(&mut out, &kept, Format::Ecs).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("\"Shell in container\""));
//! let mut m = Metrics::new(3600);
//! m.extend(&kept);
//! assert_eq!(m.overall.by_user["alice"], 1);
//! assert_eq!(m.overall.occurrences, 2);
//! # let _ = Verdict::Keep;
//! ```

mod build;
mod export;
mod fingerprint;
mod metrics;
mod suppress;

pub use build::{from_correlation, from_detection};
pub use export::{Format, to_json, to_markdown, write_ndjson};
pub use fingerprint::{
    DedupSettings, DedupStats, Deduplicator, Fingerprint, Observed, fingerprint,
};
pub use metrics::{Counts, Metrics};
pub use suppress::{Matcher, Suppression, SuppressionReport, SuppressionSet, Verdict};
