//! The event envelope: when, where, from which source, how it ended, and the raw original.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::entity::{Container, Host, Orchestrator};
use crate::fields::{Fields, Text};
use crate::kind::EventKind;
use crate::severity::Severity;

/// The product that produced the record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Product {
    /// Linux audit (auditd / kernel audit).
    Auditd,
    /// Falco.
    Falco,
    /// Tracee.
    Tracee,
    /// The Docker daemon or CLI.
    Docker,
    /// Tripline itself (findings of our own rules).
    Tripline,
    /// Another product, by name.
    Other(Text),
}

impl Product {
    /// Lowercase name, also the `unmapped` vendor key (`"auditd"`).
    pub fn name(&self) -> &str {
        match self {
            Product::Auditd => "auditd",
            Product::Falco => "falco",
            Product::Tracee => "tracee",
            Product::Docker => "docker",
            Product::Tripline => "tripline",
            Product::Other(s) => s,
        }
    }

    /// The vendor as ECS `observer.vendor` / OCSF `metadata.product.vendor_name` name it.
    pub fn vendor(&self) -> &str {
        match self {
            Product::Auditd => "Linux",
            Product::Falco => "Falcosecurity",
            Product::Tracee => "Aqua Security",
            Product::Docker => "Docker",
            Product::Tripline => "Tripline",
            Product::Other(s) => s,
        }
    }
}

/// Where a record came from and how it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Producing product.
    pub product: Product,
    /// Wire format (`audit-log`, `falco-json`, `falco-text`, `tracee-json`, `tracee-v1beta1`,
    /// `docker-events-json`, `docker-events-text`, `docker-json-file`, `cri`, `compose`).
    pub format: Text,
    /// Product or schema version, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Text>,
    /// The source's own event code (audit record type number, Tracee event id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_code: Option<Text>,
    /// The source's sequence number (audit serial, Falco `evt.num`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<u64>,
}

impl Source {
    /// A source of the given product and format.
    pub fn new(product: Product, format: impl Into<Text>) -> Self {
        Source {
            product,
            format: format.into(),
            version: None,
            event_code: None,
            sequence: None,
        }
    }
}

/// Whether the action succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// It succeeded.
    Success,
    /// It failed.
    Failure,
    /// Not known or not applicable.
    #[default]
    Unknown,
}

/// Where the raw record sits in its input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// File path, when read from a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<Text>,
    /// 1-based line of the (first) record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Byte offset of the (first) record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// The raw original text of an event and where it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Raw {
    /// The exact text (multi-record audit events: records joined by `\n`). Invalid UTF-8 is
    /// replaced with U+FFFD and `lossy` is set.
    pub text: Text,
    /// Whether `text` lost bytes to UTF-8 replacement.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lossy: bool,
    /// Location of the first line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// 1-based line numbers of every record, when the event spans several lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<u64>,
}

/// One normalized event.
///
/// Owned so it can outlive the input buffer (correlation keeps events). Source-specific data
/// that the schema does not model sits in `unmapped` under the vendor's name (`auditd`,
/// `falco`, `tracee`, `docker`), never lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// A stable id for this event (evidence references point at it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Text>,
    /// When it happened, with nanoseconds.
    pub time: DateTime<Utc>,
    /// When we read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<DateTime<Utc>>,
    /// Which product and format.
    pub source: Source,
    /// The source's verb (`execve`, `USER_CMD`, `exec_start`, a Falco `evt.type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Text>,
    /// Host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Host>,
    /// Container context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Container>,
    /// Kubernetes context (boxed: only Kubernetes hosts have one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orchestrator: Option<Box<Orchestrator>>,
    /// Success or failure.
    #[serde(default)]
    pub outcome: Outcome,
    /// Normalized severity with the source's original value.
    #[serde(default)]
    pub severity: Severity,
    /// Human-readable message (Falco `output`, a log line's text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Text>,
    /// Free-form tags (Falco tags, audit keys).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Text>,
    /// Key/value labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<Text, Text>,
    /// What happened.
    pub kind: EventKind,
    /// The raw original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<Raw>,
    /// Vendor fields the schema does not model, under the vendor's name.
    #[serde(default, skip_serializing_if = "Fields::is_empty")]
    pub unmapped: Fields,
}

impl Event {
    /// An event with the given time, source and kind; everything else empty.
    pub fn new(time: DateTime<Utc>, source: Source, kind: EventKind) -> Self {
        Event {
            id: None,
            time,
            observed: None,
            source,
            action: None,
            host: None,
            container: None,
            orchestrator: None,
            outcome: Outcome::Unknown,
            severity: Severity::default(),
            message: None,
            tags: Vec::new(),
            labels: BTreeMap::new(),
            kind,
            raw: None,
            unmapped: Fields::new(),
        }
    }

    /// The vendor map for `vendor` in `unmapped`, created when missing.
    pub fn vendor_mut(&mut self, vendor: &str) -> &mut Fields {
        self.unmapped.map_mut(vendor)
    }

    /// The file and line of the raw record, when known (`"audit.log:12"`).
    pub fn location(&self) -> Option<&crate::Location> {
        self.raw.as_ref()?.location.as_ref()
    }
}
