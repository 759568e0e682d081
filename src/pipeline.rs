//! The whole flow: inputs → time-ordered merge → enrichment → Sigma detection → correlation →
//! findings lifecycle (de-duplication, suppression, metrics).
//!
//! Every stateful part is keyed and bounded: the merge buffers `lookahead` events per input,
//! the enrichment tables and the correlation groups have capacities, the de-duplicator keeps at
//! most `max_findings`, and the evidence store (events that findings point at, kept so a
//! correlation finding can take its user, container and process from them) holds at most
//! `max_evidence_events`. Each eviction is counted in the stats.
//!
//! Which rules see an event (the logsource passed to the engine):
//!
//! | event | logsources |
//! |---|---|
//! | Falco alert | `product: falco, service: alerts` |
//! | Tracee event | `product: tracee, service: events` (+ its category below) |
//! | Docker event / container log | `product: docker, service: events` / `service: logs` |
//! | process exec (auditd, Tracee) | `product: linux, category: process_creation` |
//! | process access (ptrace) | `product: linux, category: process_access` |
//! | file open/read | `product: linux, category: file_access` |
//! | file create/write/rename/attributes | `product: linux, category: file_event` |
//! | file delete | `product: linux, category: file_delete` |
//! | connect / accept | `product: linux, category: network_connection` |
//! | authentication (auditd PAM records) | `product: linux, category: authentication` |
//! | each raw audit record | `product: linux, service: auditd` (when such rules are loaded) |
//!
//! ```
//! use tripline::pipeline::{Pipeline, PipelineSettings};
//! use tripline::rules::{RuleSet, Settings};
//! use tripline::source::Sources;
//!
//! let mut rules = RuleSet::new(Settings::default());
//! rules.add_str(tripline::pipeline::ATTRIBUTION_PACK[0].1, "pack.yml");
//! let mut sources = Sources::new();
//! let log = "type=USER_AUTH msg=audit(1700000000.000:1): pid=1 uid=1001 auid=1001 ses=4 msg='op=PAM:authentication acct=\"bob\" exe=\"/usr/bin/sudo\" hostname=? addr=? terminal=/dev/pts/1 res=failed'\n";
//! sources.add_reader("auth.log", Box::new(std::io::Cursor::new(log)), None);
//! let (inputs, cache) = sources.into_parts();
//! let mut pipeline = Pipeline::new(&rules, cache, PipelineSettings::default());
//! pipeline.run(inputs, |_| {});
//! let report = pipeline.finish();
//! assert_eq!(report.stats.events, 1);
//! ```

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tripline_docker::EnrichmentCache;
use tripline_rules::correlation::{self, CorrelationMatch, CorrelationSpec, Detection, Evidence};
use tripline_rules::findings::{
    DedupSettings, DedupStats, Deduplicator, Metrics, SuppressionReport, SuppressionSet,
    from_correlation,
};
use tripline_rules::{Engine, LogSource, Match, RuleSet, Scratch};
use tripline_schema::{Event, EventKind, FieldSource, FileOp, NetworkOp, Product};

use crate::enrich::{EnrichSettings, EnrichStats, Enricher};
use crate::merge::{Merge, MergeSettings, MergeStats};
use crate::source::{Input, InputCounts, InputError};

/// The attribution pack shipped in `rules/tripline/` (file name, YAML), enabled by default in
/// the main example.
pub const ATTRIBUTION_PACK: &[(&str, &str)] = &[
    (
        "auth_failure.yml",
        include_str!("../rules/tripline/auth_failure.yml"),
    ),
    (
        "docker_cli_exec.yml",
        include_str!("../rules/tripline/docker_cli_exec.yml"),
    ),
    (
        "docker_exec_start.yml",
        include_str!("../rules/tripline/docker_exec_start.yml"),
    ),
    (
        "container_shell.yml",
        include_str!("../rules/tripline/container_shell.yml"),
    ),
    (
        "attributed_shell.yml",
        include_str!("../rules/tripline/attributed_shell.yml"),
    ),
    (
        "privileged_sensitive_read.yml",
        include_str!("../rules/tripline/privileged_sensitive_read.yml"),
    ),
    (
        "repeated_auth_failure.yml",
        include_str!("../rules/tripline/repeated_auth_failure.yml"),
    ),
    (
        "many_destinations.yml",
        include_str!("../rules/tripline/many_destinations.yml"),
    ),
    (
        "etc_write_after_exec.yml",
        include_str!("../rules/tripline/etc_write_after_exec.yml"),
    ),
];

/// Loads the [`ATTRIBUTION_PACK`] into a rule set.
pub fn load_attribution_pack(set: &mut RuleSet) {
    for (name, text) in ATTRIBUTION_PACK {
        set.add_str(text, &format!("rules/tripline/{name}"));
    }
}

/// Limits and options of a [`Pipeline`].
#[derive(Debug, Clone)]
pub struct PipelineSettings {
    /// Merge look-ahead per input.
    pub merge: MergeSettings,
    /// Correlation limits (groups, events per group, lateness).
    pub correlation: correlation::Settings,
    /// De-duplication limits.
    pub dedup: DedupSettings,
    /// Enrichment table limits.
    pub enrich: EnrichSettings,
    /// Events held for correlations to cite (oldest dropped first, counted; events older
    /// than the longest correlation window are dropped anyway). Default 16 384.
    pub max_evidence_events: usize,
    /// Evidence events copied into the report for the findings' timelines (past it, findings
    /// show evidence ids only; counted). Default 4096.
    pub max_report_evidence: usize,
    /// Width of the metrics' time buckets in seconds. Default 3600.
    pub metrics_bucket_secs: u64,
    /// Input errors kept for the report (all are counted). Default 1000.
    pub max_errors_kept: usize,
    /// With a findings sink ([`Pipeline::stream_findings`]): release the held findings once
    /// this many distinct ones are held, so memory stays flat on any input size (a repeat
    /// after a release starts a new finding). Default 2000.
    pub release_findings_at: usize,
    /// Only events at or after this time are detected on (an investigation window). Events
    /// before it still teach the enricher (container names, `docker exec` targets) and are
    /// counted in [`PipelineStats::outside_window`]. Default none.
    pub since: Option<DateTime<Utc>>,
    /// Only events before this time are detected on; later ones are counted in
    /// [`PipelineStats::outside_window`]. Default none.
    pub until: Option<DateTime<Utc>>,
}

impl Default for PipelineSettings {
    fn default() -> Self {
        PipelineSettings {
            merge: MergeSettings::default(),
            correlation: correlation::Settings::default(),
            dedup: DedupSettings::default(),
            enrich: EnrichSettings::default(),
            max_evidence_events: 16_384,
            max_report_evidence: 4096,
            metrics_bucket_secs: 3600,
            max_errors_kept: 1000,
            release_findings_at: 2_000,
            since: None,
            until: None,
        }
    }
}

/// Counters of a pipeline run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PipelineStats {
    /// Events processed.
    pub events: u64,
    /// Events per source product.
    pub by_product: BTreeMap<String, u64>,
    /// Input errors (bad lines), all counted; the first ones are kept in the report.
    pub input_errors: u64,
    /// Raw audit records evaluated by `service: auditd` rules.
    pub audit_records: u64,
    /// Detection rule matches.
    pub detections: u64,
    /// Detection matches fed to correlations.
    pub correlated: u64,
    /// Findings produced by detection rules (not referenced by a correlation, or `generate`).
    pub detection_findings: u64,
    /// Findings that came from the sources (Falco alerts, Tracee signatures).
    pub source_findings: u64,
    /// Findings produced by correlation rules.
    pub correlation_findings: u64,
    /// Evidence events dropped from the bounded store.
    pub evidence_evicted: u64,
    /// Correlation evidence no longer in the store when the finding was built.
    pub evidence_missing: u64,
    /// Evidence events not copied into the report because of `max_report_evidence`.
    pub evidence_not_reported: u64,
    /// Findings handed to the findings sink (suppressed ones excluded).
    pub findings_streamed: u64,
    /// Times the held findings were released to the sink before the end.
    pub releases: u64,
    /// Events outside the [`PipelineSettings::since`]/[`PipelineSettings::until`] window,
    /// not detected on (not in `events`).
    pub outside_window: u64,
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct Report {
    /// De-duplicated findings that were not suppressed, in time order.
    pub findings: Vec<Event>,
    /// Suppressed findings (all counted in `suppressions`; the first ones kept here).
    pub suppressed: Vec<Event>,
    /// Per-suppression counts.
    pub suppressions: Vec<SuppressionReport>,
    /// Finding metrics (by rule, severity, source, container, user; per bucket).
    pub metrics: Metrics,
    /// Pipeline counters.
    pub stats: PipelineStats,
    /// Enrichment counters.
    pub enrich: EnrichStats,
    /// Correlation counters (evictions, late drops…).
    pub correlation: correlation::Stats,
    /// De-duplication counters.
    pub dedup: DedupStats,
    /// Merge counters.
    pub merge: MergeStats,
    /// Per-input line accounting.
    pub inputs: Vec<InputCounts>,
    /// The first input errors.
    pub errors: Vec<InputError>,
    /// Rules and correlations that could not be used, with the reason.
    pub rejected: Vec<String>,
    /// The evidence events the findings reference (by event id), when still held.
    pub evidence: HashMap<String, Event>,
}

impl Report {
    /// The evidence events of a finding that are still held, in time order.
    pub fn evidence_of(&self, finding: &Event) -> Vec<Event> {
        let EventKind::Finding(f) = &finding.kind else {
            return Vec::new();
        };
        let mut v: Vec<Event> = f
            .evidence
            .iter()
            .filter_map(|id| self.evidence.get(id.as_str()).cloned())
            .collect();
        v.sort_by_key(|e| e.time);
        v
    }
}

/// Longest raw text kept on an evidence event.
const EVIDENCE_RAW_BYTES: usize = 1024;

/// An evidence copy of an event: vendor leftovers dropped and the raw text cut, so holding
/// many costs little (findings and reports use the modelled fields and the location).
fn slim(mut ev: Event) -> Event {
    ev.unmapped = tripline_schema::Fields::new();
    if let Some(raw) = ev.raw.as_mut()
        && raw.text.len() > EVIDENCE_RAW_BYTES
    {
        let mut cut = EVIDENCE_RAW_BYTES;
        while !raw.text.is_char_boundary(cut) {
            cut -= 1;
        }
        raw.text.truncate(cut);
        raw.text.push('…');
    }
    ev
}

/// Events that correlations may still cite, by id: bounded by count and by event time (an
/// event older than the longest correlation window plus the allowed lateness can no longer
/// be evidence of a new match).
#[derive(Debug, Default)]
struct EvidenceStore {
    by_id: HashMap<Arc<str>, Event>,
    order: VecDeque<(Arc<str>, i64)>,
    capacity: usize,
    horizon_ns: i64,
    evicted: u64,
}

fn ns(t: DateTime<Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(i64::MAX)
}

impl EvidenceStore {
    fn insert(&mut self, id: Arc<str>, ev: Event) {
        let t = ns(ev.time);
        let cutoff = t.saturating_sub(self.horizon_ns);
        while self.order.front().is_some_and(|(_, ft)| *ft < cutoff) {
            if let Some((old, _)) = self.order.pop_front() {
                self.by_id.remove(&old);
            }
        }
        if self.by_id.contains_key(&id) {
            return;
        }
        while self.by_id.len() >= self.capacity.max(1) {
            let Some((old, _)) = self.order.pop_front() else {
                break;
            };
            self.by_id.remove(&old);
            self.evicted += 1;
        }
        self.order.push_back((id.clone(), t));
        self.by_id.insert(id, ev);
    }

    fn get(&self, id: &str) -> Option<&Event> {
        self.by_id.get(id)
    }
}

/// The logsources an event is evaluated under (see the module table).
pub fn logsources(ev: &Event) -> Vec<LogSource> {
    let mut v = Vec::with_capacity(2);
    match ev.source.product {
        Product::Falco => v.push(LogSource::new("falco", "", "alerts")),
        Product::Tracee => v.push(LogSource::new("tracee", "", "events")),
        Product::Docker => v.push(match ev.kind {
            EventKind::LogLine(_) => LogSource::new("docker", "", "logs"),
            _ => LogSource::new("docker", "", "events"),
        }),
        _ => {}
    }
    let category = match &ev.kind {
        EventKind::ProcessExec(_) => Some("process_creation"),
        EventKind::ProcessAccess(_) => Some("process_access"),
        EventKind::FileAccess(f) => match f.op {
            FileOp::Open | FileOp::Read => Some("file_access"),
            FileOp::Delete => Some("file_delete"),
            FileOp::Create
            | FileOp::Write
            | FileOp::Rename
            | FileOp::Link
            | FileOp::Chmod
            | FileOp::Chown
            | FileOp::SetAttributes => Some("file_event"),
            _ => None,
        },
        EventKind::Network(n) => match n.op {
            NetworkOp::Connect | NetworkOp::Accept => Some("network_connection"),
            _ => None,
        },
        EventKind::Authentication(_) => Some("authentication"),
        _ => None,
    };
    if let Some(c) = category {
        v.push(LogSource::new("linux", c, ""));
    }
    v
}

/// A loaded correlation rule as the correlation engine's spec (the rules crate's conversion,
/// with its error as text).
pub fn spec_of(c: &tripline_rules::Correlation) -> Result<CorrelationSpec, String> {
    CorrelationSpec::try_from(c).map_err(|e| e.to_string())
}

/// Builds the correlation engine from the specs that it accepts (a spec it rejects, such as
/// one referencing an unknown correlation, is left out with its reason).
fn build_correlation(
    specs: Vec<CorrelationSpec>,
    settings: &correlation::Settings,
    rejected: &mut Vec<String>,
) -> (correlation::Engine, Vec<CorrelationSpec>) {
    if let Ok(e) = correlation::Engine::new(specs.clone(), settings.clone()) {
        return (e, specs);
    }
    let mut ok: Vec<CorrelationSpec> = Vec::new();
    for s in specs {
        let mut trial = ok.clone();
        trial.push(s.clone());
        match correlation::Engine::new(trial, settings.clone()) {
            Ok(_) => ok.push(s),
            Err(e) => rejected.push(format!("correlation {}: {e}", s.ident())),
        }
    }
    let engine = correlation::Engine::new(ok.clone(), settings.clone())
        .unwrap_or_else(|_| correlation::Engine::new(Vec::new(), settings.clone()).expect("empty"));
    (engine, ok)
}

/// Detection, correlation and findings over a stream of events (see the module docs).
pub struct Pipeline {
    engine: Engine,
    corr: correlation::Engine,
    specs: Vec<CorrelationSpec>,
    rejected: Vec<String>,
    enricher: Enricher,
    dedup: Deduplicator,
    evidence: EvidenceStore,
    reported: HashMap<String, Event>,
    scratch: Scratch,
    matches: Vec<Match>,
    corr_out: Vec<CorrelationMatch>,
    audit_rules: bool,
    stats: PipelineStats,
    errors: Vec<InputError>,
    merge: MergeStats,
    inputs: Vec<InputCounts>,
    settings: PipelineSettings,
    seq: u64,
    sink: Option<FindingSink>,
    suppressions: Option<SuppressionSet>,
    now: DateTime<Utc>,
    metrics: Metrics,
    dedup_total: DedupStats,
    suppressed: Vec<Event>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("rules", &self.engine.stats().rules)
            .field("correlations", &self.specs.len())
            .field("stats", &self.stats)
            .field("streaming", &self.sink.is_some())
            .finish_non_exhaustive()
    }
}

/// Receives each released finding with its evidence events (those still held, time order).
pub type FindingSink = Box<dyn FnMut(&Event, &[Event]) + Send>;

impl Pipeline {
    /// Compiles `rules` (detection and correlation) and prepares the stages; `cache` is the
    /// inspect enrichment cache (see [`crate::source::Sources::into_parts`]).
    pub fn new(rules: &RuleSet, cache: EnrichmentCache, settings: PipelineSettings) -> Pipeline {
        let engine = Engine::new(rules);
        let mut rejected: Vec<String> = rules
            .rejected
            .iter()
            .chain(engine.rejected())
            .map(ToString::to_string)
            .collect();
        let mut specs = Vec::new();
        for c in &rules.correlations {
            match spec_of(c) {
                Ok(s) => specs.push(s),
                Err(e) => rejected.push(format!("correlation {}: {e}", c.meta.ident())),
            }
        }
        let (corr, specs) = build_correlation(specs, &settings.correlation, &mut rejected);
        let horizon = specs
            .iter()
            .map(|s| s.timespan_ns)
            .max()
            .unwrap_or(0)
            .saturating_add(settings.correlation.allowed_lateness_ns);
        let audit_rules = engine
            .rules()
            .any(|r| r.logsource.service.as_deref() == Some("auditd"));
        Pipeline {
            engine,
            corr,
            specs,
            rejected,
            enricher: Enricher::new(cache, settings.enrich),
            dedup: Deduplicator::new(settings.dedup.clone()),
            evidence: EvidenceStore {
                capacity: settings.max_evidence_events,
                horizon_ns: horizon,
                ..EvidenceStore::default()
            },
            reported: HashMap::new(),
            scratch: Scratch::new(),
            matches: Vec::new(),
            corr_out: Vec::new(),
            audit_rules,
            stats: PipelineStats::default(),
            errors: Vec::new(),
            merge: MergeStats::default(),
            inputs: Vec::new(),
            metrics: Metrics::new(settings.metrics_bucket_secs),
            settings,
            seq: 0,
            sink: None,
            suppressions: None,
            now: Utc::now(),
            dedup_total: DedupStats::default(),
            suppressed: Vec::new(),
        }
    }

    /// Suppressions applied to findings when they are released; `now` decides which have
    /// expired.
    pub fn set_suppressions(&mut self, suppressions: SuppressionSet, now: DateTime<Utc>) {
        self.suppressions = Some(suppressions);
        self.now = now;
    }

    /// Streams findings: instead of holding every finding until [`Pipeline::finish`], the
    /// held findings are released to `sink` whenever
    /// [`PipelineSettings::release_findings_at`] distinct ones are held, and the rest at the
    /// end (suppressed ones are counted, not passed). The report then has no `findings`, but
    /// its metrics count every released finding.
    pub fn stream_findings(&mut self, sink: impl FnMut(&Event, &[Event]) + Send + 'static) {
        self.sink = Some(Box::new(sink));
    }

    /// Rules and correlations that could not be loaded, compiled or wired, with reasons.
    pub fn rejected(&self) -> &[String] {
        &self.rejected
    }

    /// The compiled detection engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The correlation specs in use.
    pub fn correlations(&self) -> &[CorrelationSpec] {
        &self.specs
    }

    /// Counters so far.
    pub fn stats(&self) -> &PipelineStats {
        &self.stats
    }

    /// Merges the inputs by event time and processes every event; `progress` is called every
    /// 4096 events and at the end. Input errors are counted (and the first ones kept).
    pub fn run(&mut self, inputs: Vec<Input>, mut progress: impl FnMut(&PipelineStats)) {
        let mut merge = Merge::new(
            inputs,
            |r: &Result<Event, InputError>| r.as_ref().ok().map(|e| e.time),
            self.settings.merge,
        );
        for item in merge.by_ref() {
            match item {
                Ok(ev) => self.process(ev),
                Err(e) => self.input_error(e),
            }
            if self.stats.events.is_multiple_of(4096) {
                progress(&self.stats);
            }
        }
        progress(&self.stats);
        let stats = merge.stats();
        self.merge.emitted += stats.emitted;
        self.merge.out_of_order += stats.out_of_order;
        self.merge.untimed += stats.untimed;
        self.inputs
            .extend(merge.into_inputs().iter().map(Input::counts));
    }

    /// Counts an input error (and keeps it when under the limit).
    pub fn input_error(&mut self, e: InputError) {
        self.stats.input_errors += 1;
        if self.errors.len() < self.settings.max_errors_kept {
            self.errors.push(e);
        }
    }

    /// Processes one event (events should arrive in time order; see [`Pipeline::run`]).
    pub fn process(&mut self, mut ev: Event) {
        self.enricher.apply(&mut ev);
        let s = &self.settings;
        if s.since.is_some_and(|t| ev.time < t) || s.until.is_some_and(|t| ev.time >= t) {
            self.stats.outside_window += 1;
            return;
        }
        self.seq += 1;
        self.stats.events += 1;
        *self
            .stats
            .by_product
            .entry(ev.source.product.name().to_string())
            .or_default() += 1;
        if ev.id.is_none() {
            ev.id = Some(format!("event:{}", self.seq).into());
        }
        let id: Arc<str> = ev.id.as_deref().unwrap_or_default().into();
        let mut keep = false;
        let mut pending: Vec<Event> = Vec::new();

        let mut matches = std::mem::take(&mut self.matches);
        matches.clear();
        for ls in logsources(&ev) {
            self.engine
                .evaluate(&ls, &ev, &mut self.scratch, &mut matches);
        }
        matches.sort_by_key(|m| m.rule);
        matches.dedup_by_key(|m| m.rule);
        for m in &matches {
            keep |= self.on_match(m, &ev, &ev, &id, &mut pending);
        }
        if self.audit_rules && ev.source.product == Product::Auditd {
            let ls = LogSource::new("linux", "", "auditd");
            let text = ev.raw.as_ref().map(|r| r.text.clone()).unwrap_or_default();
            for line in text.lines() {
                let Ok(rec) = tripline_auditd::from_str(line) else {
                    continue;
                };
                self.stats.audit_records += 1;
                matches.clear();
                self.engine
                    .evaluate(&ls, &rec, &mut self.scratch, &mut matches);
                for m in &matches {
                    keep |= self.on_match(m, &rec, &ev, &id, &mut pending);
                }
            }
        }
        self.matches = matches;
        if let EventKind::Finding(_) = ev.kind {
            self.stats.source_findings += 1;
            self.dedup.observe(ev.clone());
        }
        if keep {
            self.evidence.insert(id.clone(), slim(ev));
        }
        for f in pending {
            self.report_evidence(&f);
            self.dedup.observe(f);
        }
        let out = std::mem::take(&mut self.corr_out);
        for m in &out {
            self.correlation_finding(m);
        }
        self.corr_out = out;
        self.corr_out.clear();
        if self.sink.is_some() && self.dedup.len() >= self.settings.release_findings_at.max(1) {
            self.stats.releases += 1;
            self.release();
        }
    }

    /// Takes the held findings out of the de-duplicator (in time order), applies the
    /// suppressions and counts them; with a sink, passes them on and returns nothing.
    fn release(&mut self) -> Vec<Event> {
        let dedup = std::mem::replace(
            &mut self.dedup,
            Deduplicator::new(self.settings.dedup.clone()),
        );
        let d = dedup.stats();
        self.dedup_total.observed += d.observed;
        self.dedup_total.new += d.new;
        self.dedup_total.repeats += d.repeats;
        self.dedup_total.evicted += d.evicted;
        self.dedup_total.evidence_dropped += d.evidence_dropped;
        let mut findings = dedup.into_findings();
        findings.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)));
        let findings = match self.suppressions.as_mut() {
            Some(s) => {
                let (kept, sup) = s.partition(findings, self.now);
                for (_, e) in sup {
                    if self.suppressed.len() < self.settings.max_errors_kept {
                        self.suppressed.push(e);
                    }
                }
                kept
            }
            None => findings,
        };
        self.metrics.extend(&findings);
        let Some(sink) = self.sink.as_mut() else {
            return findings;
        };
        // Several findings can share an evidence event (the same `exec_start` opens two
        // correlations): each gets it, and the copies are let go after the whole batch.
        for f in &findings {
            let mut evidence: Vec<Event> = Vec::new();
            if let EventKind::Finding(x) = &f.kind {
                for id in &x.evidence {
                    if let Some(e) = self.reported.get(id.as_str()) {
                        evidence.push(e.clone());
                    }
                }
            }
            evidence.sort_by_key(|e| e.time);
            sink(f, &evidence);
            self.stats.findings_streamed += 1;
        }
        for f in &findings {
            if let EventKind::Finding(x) = &f.kind {
                for id in &x.evidence {
                    self.reported.remove(id.as_str());
                }
            }
        }
        Vec::new()
    }

    /// Handles one detection match on `fields` (the event, or one of its raw audit records);
    /// returns whether the event must be kept as evidence.
    fn on_match(
        &mut self,
        m: &Match,
        fields: &dyn FieldSource,
        ev: &Event,
        id: &Arc<str>,
        pending: &mut Vec<Event>,
    ) -> bool {
        let Some(rule) = self.engine.rule(m.rule) else {
            return false;
        };
        self.stats.detections += 1;
        let (rid, rname) = (rule.meta.id.as_deref(), rule.meta.name.as_deref());
        let mut keep = false;
        if self.corr.references(rid, rname) {
            self.stats.correlated += 1;
            keep = true;
            let evidence = Evidence::id(id.clone());
            let d = Detection {
                rule_id: rid,
                rule_name: rname,
                time: ev.time,
                event: fields,
                evidence: Some(&evidence),
            };
            self.corr.process(&d, &mut self.corr_out);
        }
        if self.corr.emits_detection(rid, rname)
            && let Some(f) = self.engine.finding(m, fields)
        {
            keep = true;
            self.stats.detection_findings += 1;
            pending.push(tripline_rules::findings::from_detection(f, rule, ev));
        }
        keep
    }

    fn correlation_finding(&mut self, m: &CorrelationMatch) {
        let Some(spec) = self.specs.get(m.index) else {
            return;
        };
        let mut evs = Vec::with_capacity(m.evidence.len());
        for e in &m.evidence {
            match e {
                Evidence::EventId(id) => match self.evidence.get(id) {
                    Some(ev) => evs.push(ev.clone()),
                    None => self.stats.evidence_missing += 1,
                },
                _ => self.stats.evidence_missing += 1,
            }
        }
        let finding = from_correlation(m, spec, &evs);
        self.stats.correlation_findings += 1;
        self.report_evidence(&finding);
        self.dedup.observe(finding);
    }

    /// Copies a new finding's evidence events into the report (bounded).
    fn report_evidence(&mut self, finding: &Event) {
        let EventKind::Finding(f) = &finding.kind else {
            return;
        };
        for id in &f.evidence {
            if self.reported.contains_key(id.as_str()) {
                continue;
            }
            let Some(ev) = self.evidence.get(id) else {
                continue;
            };
            if self.reported.len() >= self.settings.max_report_evidence {
                self.stats.evidence_not_reported += 1;
                continue;
            }
            self.reported.insert(id.to_string(), ev.clone());
        }
    }

    /// Ends the run: the remaining findings de-duplicated, suppressed (see
    /// [`Pipeline::set_suppressions`]) and counted; with a sink they go to the sink.
    pub fn finish(mut self) -> Report {
        let findings = self.release();
        let mut stats = self.stats;
        stats.evidence_evicted = self.evidence.evicted;
        let reports = self
            .suppressions
            .as_ref()
            .map(|s| s.report(Some(self.now)))
            .unwrap_or_default();
        Report {
            findings,
            suppressed: self.suppressed,
            suppressions: reports,
            metrics: self.metrics,
            stats,
            enrich: self.enricher.stats().clone(),
            correlation: self.corr.stats(),
            dedup: self.dedup_total,
            merge: self.merge,
            inputs: self.inputs,
            errors: self.errors,
            rejected: self.rejected,
            evidence: self.reported,
        }
    }
}
