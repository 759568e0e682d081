//! Stable finding fingerprints and de-duplication.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};
use tripline_schema::{Event, EventKind, paths};

use crate::correlation::{Fnv, to_ns};

/// A finding's identity across repeats: 64-bit FNV-1a, written as 16 hex digits.
///
/// Input, in this order, each part as `name=value\n`:
/// 1. `rule` = the rule id, else the rule name (empty for non-findings);
/// 2. when the finding has group-by values: every `group.<key>=<value>`, keys sorted;
/// 3. otherwise the entities, each when present: `container.id` (else `container.name`),
///    `user.name` (else `user.id`), `process.executable`, `file.path`, `destination.ip`,
///    `destination.port`.
///
/// Times, counts and evidence are left out, so repeats of the same rule on the same group or
/// entities share a fingerprint. FNV-1a is fixed, so fingerprints are stable across runs,
/// platforms and versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub u64);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// Computes the fingerprint of a finding (see [`Fingerprint`]).
pub fn fingerprint(event: &Event) -> Fingerprint {
    let mut h = Fnv::new();
    let mut part = |k: &str, v: &str| {
        h.write(k.as_bytes());
        h.write(b"=");
        h.write(v.as_bytes());
        h.write(b"\n");
    };
    let finding = match &event.kind {
        EventKind::Finding(f) => Some(f),
        _ => None,
    };
    let rule = finding
        .and_then(|f| f.rule.id.as_deref().or(f.rule.name.as_deref()))
        .unwrap_or("");
    part("rule", rule);
    if let Some(f) = finding
        && !f.group.is_empty()
    {
        for (k, v) in &f.group {
            part(&format!("group.{k}"), v);
        }
    } else {
        let text = |p: &str| {
            event
                .get(p)
                .and_then(|v| v.to_text().map(|t| t.into_owned()))
        };
        let pairs = [
            (
                "container",
                text(paths::CONTAINER_ID).or_else(|| text(paths::CONTAINER_NAME)),
            ),
            ("user", text(paths::USER_NAME).or_else(|| text("user.id"))),
            ("process.executable", text(paths::PROCESS_EXECUTABLE)),
            ("file.path", text(paths::FILE_PATH)),
            ("destination.ip", text("destination.ip")),
            ("destination.port", text("destination.port")),
        ];
        for (k, v) in pairs {
            if let Some(v) = v {
                part(k, &v);
            }
        }
    }
    Fingerprint(h.finish())
}

/// Limits of the [`Deduplicator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DedupSettings {
    /// Distinct fingerprints kept. When a new one would exceed it, the least recently seen is
    /// evicted and counted in [`DedupStats::evicted`]. Default 100 000.
    pub max_findings: usize,
    /// Evidence handles kept per finding; more are counted in [`DedupStats::evidence_dropped`].
    /// Default 64.
    pub max_evidence: usize,
}

impl Default for DedupSettings {
    fn default() -> Self {
        DedupSettings {
            max_findings: 100_000,
            max_evidence: 64,
        }
    }
}

/// Counters of the [`Deduplicator`]: `observed = new + repeats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DedupStats {
    /// Findings observed.
    pub observed: u64,
    /// Observations with a new fingerprint.
    pub new: u64,
    /// Observations merged into an existing finding.
    pub repeats: u64,
    /// Findings evicted under [`DedupSettings::max_findings`].
    pub evicted: u64,
    /// Evidence handles not kept under [`DedupSettings::max_evidence`].
    pub evidence_dropped: u64,
}

/// What [`Deduplicator::observe`] did with a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Observed {
    /// First time this fingerprint was seen.
    New(Fingerprint),
    /// Merged into an existing finding, which now has this count.
    Repeat(Fingerprint, u64),
}

#[derive(Debug)]
struct Slot {
    event: Event,
    order: u64,
    last_update: u64,
}

/// Merges repeats of the same finding (same [`Fingerprint`]) into one with a count and
/// first/last seen times.
///
/// The first occurrence's event is kept; each repeat adds its count (its `Finding::count`, or
/// 1), widens first/last seen and appends its evidence ids.
#[derive(Debug, Default)]
pub struct Deduplicator {
    settings: DedupSettings,
    slots: HashMap<Fingerprint, Slot>,
    seq: u64,
    stats: DedupStats,
}

impl Deduplicator {
    /// An empty deduplicator.
    pub fn new(settings: DedupSettings) -> Self {
        Deduplicator {
            settings,
            ..Deduplicator::default()
        }
    }

    /// Adds one finding.
    pub fn observe(&mut self, event: Event) -> Observed {
        self.stats.observed += 1;
        self.seq += 1;
        let fp = fingerprint(&event);
        let (count, first, last, evidence) = occurrence(&event);
        if let Some(slot) = self.slots.get_mut(&fp) {
            self.stats.repeats += 1;
            slot.last_update = self.seq;
            let max_ev = self.settings.max_evidence;
            let mut dropped = 0;
            let total = if let EventKind::Finding(f) = &mut slot.event.kind {
                let c = f.count.unwrap_or(1) + count;
                f.count = Some(c);
                f.first_seen = Some(f.first_seen.map_or(first, |x| x.min(first)));
                f.last_seen = Some(f.last_seen.map_or(last, |x| x.max(last)));
                for e in evidence {
                    if f.evidence.iter().any(|x| *x == e) {
                        continue;
                    }
                    if f.evidence.len() < max_ev {
                        f.evidence.push(e.into());
                    } else {
                        dropped += 1;
                    }
                }
                c
            } else {
                count
            };
            if last > slot.event.time {
                slot.event.time = last;
            }
            self.stats.evidence_dropped += dropped;
            return Observed::Repeat(fp, total);
        }
        self.stats.new += 1;
        if self.slots.len() >= self.settings.max_findings.max(1) {
            // Evict the least recently updated finding (O(n), only when full).
            if let Some(old) = self
                .slots
                .iter()
                .min_by_key(|(_, s)| s.last_update)
                .map(|(k, _)| *k)
            {
                self.slots.remove(&old);
                self.stats.evicted += 1;
            }
        }
        let mut event = event;
        if let EventKind::Finding(f) = &mut event.kind {
            f.count = Some(count);
            f.first_seen = Some(first);
            f.last_seen = Some(last);
            if f.evidence.len() > self.settings.max_evidence {
                self.stats.evidence_dropped +=
                    (f.evidence.len() - self.settings.max_evidence) as u64;
                f.evidence.truncate(self.settings.max_evidence);
            }
        }
        self.slots.insert(
            fp,
            Slot {
                event,
                order: self.seq,
                last_update: self.seq,
            },
        );
        Observed::New(fp)
    }

    /// Counters so far.
    pub fn stats(&self) -> &DedupStats {
        &self.stats
    }

    /// Distinct findings held.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no finding is held.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The merged finding for a fingerprint.
    pub fn get(&self, fp: Fingerprint) -> Option<&Event> {
        self.slots.get(&fp).map(|s| &s.event)
    }

    /// The merged findings, in order of first appearance.
    pub fn findings(&self) -> Vec<(Fingerprint, &Event)> {
        let mut v: Vec<_> = self.slots.iter().collect();
        v.sort_by_key(|(_, s)| s.order);
        v.into_iter().map(|(k, s)| (*k, &s.event)).collect()
    }

    /// Consumes the deduplicator, returning the merged findings in order of first appearance.
    pub fn into_findings(self) -> Vec<Event> {
        let mut v: Vec<_> = self.slots.into_values().collect();
        v.sort_by_key(|s| s.order);
        v.into_iter().map(|s| s.event).collect()
    }
}

/// (count, first seen, last seen, evidence) of one observation.
fn occurrence(event: &Event) -> (u64, DateTime<Utc>, DateTime<Utc>, Vec<String>) {
    match &event.kind {
        EventKind::Finding(f) => {
            let first = f.first_seen.unwrap_or(event.time);
            let last = f.last_seen.unwrap_or(event.time);
            // Keep first <= last even for odd inputs.
            let (first, last) = if to_ns(first) <= to_ns(last) {
                (first, last)
            } else {
                (last, first)
            };
            (
                f.count.unwrap_or(1).max(1),
                first,
                last,
                f.evidence.iter().map(|e| e.to_string()).collect(),
            )
        }
        _ => (1, event.time, event.time, Vec::new()),
    }
}
