//! Sigma correlation rules (spec 2.1) over a stream of detection matches.
//!
//! The engine's input is "detection rule R (id and/or name) matched event E at time T", with
//! E's fields read through [`FieldSource`](tripline_schema::FieldSource); its output is a
//! [`CorrelationMatch`] with the rule's id and title, the group-by values (alias names for
//! aliased fields), the evidence handles the caller attached to each input, and the count and
//! first/last time of the window.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use tripline_rules::correlation::{CorrelationSpec, Detection, Engine, Evidence, Settings};
//!
//! let spec = CorrelationSpec::from_yaml_str(r#"
//! title: Many failed sudo attempts
//! id: 6a7c3f4e-0000-4000-8000-000000000001
//! level: high
//! correlation:
//!   type: event_count
//!   rules: [sudo_auth_failure]
//!   group-by: [user.name]
//!   timespan: 5m
//!   condition: {gte: 3}
//! "#).unwrap();
//! let mut engine = Engine::new(vec![spec], Settings::default()).unwrap();
//!
//! let event = serde_json::json!({"user": {"name": "alice"}});
//! let mut found = Vec::new();
//! for (line, sec) in [(10, 0), (11, 60), (12, 120)] {
//!     let evidence = Evidence::at("auth.log", line);
//!     let time = Utc.timestamp_opt(1_700_000_000 + sec, 0).unwrap();
//!     let d = Detection::new("sudo_auth_failure", time, &event).with_evidence(&evidence);
//!     engine.process(&d, &mut found);
//! }
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].group_value("user.name"), Some("alice"));
//! assert_eq!(found[0].count, 3);
//! assert_eq!(found[0].evidence[2].to_string(), "auth.log:12");
//! // By default the referenced rule's own matches are not reported (`generate: false`).
//! assert!(!engine.emits_detection(Some("sudo_auth_failure"), None));
//! ```
//!
//! Semantics chosen where the specification leaves room (each pinned by a test in
//! `tests/correlation.rs`):
//! - **Window**: sliding over event time; for an event at `t` the window is the closed interval
//!   `[t - timespan, t]`, so an event exactly `timespan` earlier still counts.
//! - **When conditions are tested**: a condition that can only turn true as events are added
//!   (`gt`/`gte` on `event_count`, `value_count`, `value_sum` and `temporal`; every
//!   `temporal_ordered`) is tested as each event arrives, over the window ending at that event,
//!   so matches come as early as possible; after a match the group's window is cleared
//!   ([`Settings::reset_on_match`]). Any other condition (one with `lt`, `lte`, `eq` or `neq`,
//!   and every `value_avg` / `value_percentile`) is tested once per window when it closes: such
//!   windows start at a group's first event, span `timespan`, and close when the watermark
//!   minus the allowed lateness passes their end (or on [`Engine::flush`] at end of input);
//!   the next window starts at the group's next event.
//! - **Out of order**: inputs up to [`Settings::allowed_lateness_ns`] behind the newest time
//!   seen are inserted at their place in the window; older ones are dropped and counted in
//!   [`Stats::late_dropped`].
//! - **group-by**: an input whose group-by field is absent or null is skipped for that
//!   correlation (counted); list values are joined with `,`. An `aliases` entry maps the
//!   group-by name to a field per referenced rule (by name, else id); rules without an entry
//!   read the field of the alias's own name.
//! - **temporal**: every referenced rule matched in the window (or, with a condition, the
//!   number of distinct rules seen satisfies it). **temporal_ordered**: a chain of matches of
//!   the rules in their listed order (equal times ordered by arrival) within the window.
//! - **value_count** counts distinct values (several fields: distinct combinations);
//!   **value_sum/avg** use numbers or numeric strings (others counted in
//!   [`Stats::non_numeric`]); **value_percentile** compares the nearest-rank percentile
//!   given by `condition.percentile` (default 50, the median) — pySigma's reading, since the
//!   spec's own example is not computable per group.
//! - **Chaining**: a correlation's match is an input to the correlations that reference it (by
//!   id or name), at the time of its newest event, with its group values as fields. Only
//!   correlations that no other correlation references are reported, unless a referencer has
//!   `generate: true`; [`Engine::emits_detection`] gives the same answer for detection rules.

mod convert;
mod engine;
mod settings;
mod spec;
mod types;

pub use engine::Engine;
pub use settings::{Settings, Stats};
pub use spec::{Cmp, Condition, CorrelationKind, CorrelationSpec, parse_timespan};
pub use types::{CorrelationMatch, Detection, Evidence};

pub(crate) use engine::{Fnv, to_ns};
