//! Normalization into `tripline_schema::Event` (feature `schema`).
//!
//! One mapping serves both JSON schemas: it reads arguments through [`ArgLookup`], which
//! [`TraceEvent`] and [`V1Event`] implement. Whatever the schema does not model goes under
//! `unmapped.tracee`: the unconsumed args, namespaces, cgroup, entity ids, policies.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use tripline_schema::{
    Attack, Container, ContainerLifecycle, Direction, Endpoint, Event, EventKind, File, FileAccess,
    FileOp, Finding, Host, Image, Location, NetworkActivity, NetworkOp, Orchestrator, Other,
    ParentProcess, Process, ProcessAccess, ProcessAccessOp, ProcessEvent, Product, Raw, Rule,
    Severity, Source, User,
};
use tripline_schema::{Field, Fields, ObjectWriter, Text};

use crate::arg::{Arg, Sockaddr};
use crate::json::{self, RawMap};
use crate::scan::{DEPTH_LIMIT, Res, Scanner, find_special};
use crate::{Origin, Record, Settings, TraceEvent, V1Event};

/// Supplies container context known elsewhere (a Docker inspect cache, a CRI client),
/// by container id. Implemented for closures `Fn(&str, &mut Container)`.
pub trait Enrich {
    /// Fills in what is known about container `id`; fields already set come from the event.
    fn enrich(&self, id: &str, container: &mut Container);
}

impl<F: Fn(&str, &mut Container)> Enrich for F {
    fn enrich(&self, id: &str, container: &mut Container) {
        self(id, container);
    }
}

/// Argument access shared by both event schemas, so one mapping serves both.
pub trait ArgLookup<'a> {
    /// A string argument.
    fn lookup_str(&self, name: &str) -> Option<Cow<'a, str>>;
    /// An integer argument.
    fn lookup_i64(&self, name: &str) -> Option<i64>;
    /// A string-list argument.
    fn lookup_str_list(&self, name: &str) -> Option<Vec<Cow<'a, str>>>;
    /// A socket-address argument.
    fn lookup_sockaddr(&self, name: &str) -> Option<Sockaddr<'a>>;
    /// All arguments as `(name, raw JSON)`, in order.
    fn raw_args(&self) -> Vec<(Cow<'a, str>, &'a str)>;
    /// Calls `f` with each argument's `(name, raw JSON)`, in order, without collecting them.
    fn for_each_raw_arg(&self, f: &mut dyn FnMut(&str, &'a str)) {
        for (k, v) in self.raw_args() {
            f(&k, v);
        }
    }
    /// Number of arguments.
    fn arg_count(&self) -> usize {
        self.raw_args().len()
    }
}

impl<'a> ArgLookup<'a> for TraceEvent<'a> {
    fn lookup_str(&self, name: &str) -> Option<Cow<'a, str>> {
        self.arg_str(name)
    }
    fn lookup_i64(&self, name: &str) -> Option<i64> {
        self.arg_i64(name)
    }
    fn lookup_str_list(&self, name: &str) -> Option<Vec<Cow<'a, str>>> {
        self.arg_str_list(name)
    }
    fn lookup_sockaddr(&self, name: &str) -> Option<Sockaddr<'a>> {
        self.arg_sockaddr(name)
    }
    fn raw_args(&self) -> Vec<(Cow<'a, str>, &'a str)> {
        self.args
            .iter()
            .map(|a| (a.name.clone(), a.raw()))
            .collect()
    }
    fn for_each_raw_arg(&self, f: &mut dyn FnMut(&str, &'a str)) {
        for a in &self.args {
            f(&a.name, a.raw());
        }
    }
    fn arg_count(&self) -> usize {
        self.args.len()
    }
}

impl<'a> ArgLookup<'a> for V1Event<'a> {
    fn lookup_str(&self, name: &str) -> Option<Cow<'a, str>> {
        self.data_str(name)
    }
    fn lookup_i64(&self, name: &str) -> Option<i64> {
        self.data_i64(name)
    }
    fn lookup_str_list(&self, name: &str) -> Option<Vec<Cow<'a, str>>> {
        self.data_str_list(name)
    }
    fn lookup_sockaddr(&self, name: &str) -> Option<Sockaddr<'a>> {
        let raw = self.data(name)?.1;
        let m = RawMap::parse(raw)?;
        Sockaddr::from_map(&m)
    }
    fn raw_args(&self) -> Vec<(Cow<'a, str>, &'a str)> {
        self.data
            .iter()
            .flatten()
            .filter_map(|d| {
                let name = d.str("name")?;
                let (_, v) = d.0.iter().find(|(k, _)| k != "name")?;
                Some((name, v.get()))
            })
            .collect()
    }
}

/// Turns records into normalized events.
///
/// ```
/// use tripline_tracee::{from_str, Normalizer, Settings};
/// use tripline_schema::{Container, EventKind};
///
/// let line = r#"{"timestamp":1700000000000000000,"processId":1,"hostProcessId":4321,"processName":"sh","containerId":"abc123","container":{"id":"abc123"},"kubernetes":{},"eventId":"707","eventName":"sched_process_exec","args":[{"name":"pathname","type":"const char*","value":"/bin/sh"},{"name":"argv","type":"const char**","value":["sh","-c","id"]}]}"#;
/// let cache = |id: &str, c: &mut Container| if id == "abc123" { c.name = Some("web".into()) };
/// let n = Normalizer::new(Settings::default()).with_enricher(&cache);
/// let ev = n.normalize(&from_str(line)?);
/// assert!(matches!(ev.kind, EventKind::ProcessExec(_)));
/// assert_eq!(ev.container.unwrap().name.as_deref(), Some("web"));
/// # Ok::<(), tripline_tracee::Error>(())
/// ```
#[derive(Clone)]
pub struct Normalizer<'e> {
    settings: Settings,
    enricher: Option<&'e dyn Enrich>,
    keep_raw: bool,
    keep_unmapped: bool,
    file: Option<Text>,
}

impl std::fmt::Debug for Normalizer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normalizer")
            .field("settings", &self.settings)
            .field("enricher", &self.enricher.is_some())
            .field("keep_raw", &self.keep_raw)
            .field("keep_unmapped", &self.keep_unmapped)
            .field("file", &self.file)
            .finish()
    }
}

impl Default for Normalizer<'_> {
    fn default() -> Self {
        Normalizer::new(Settings::default())
    }
}

impl<'e> Normalizer<'e> {
    /// A normalizer keeping the raw line, without enrichment.
    pub fn new(settings: Settings) -> Self {
        Normalizer {
            settings,
            enricher: None,
            keep_raw: true,
            keep_unmapped: true,
            file: None,
        }
    }

    /// Whether to copy Tracee's unmodelled fields (unconsumed args, namespaces, cgroup,
    /// entity ids, signature properties) into `unmapped.tracee` (default `true`). Turning it
    /// off saves the vendor map (about a third of parse+normalize on busy-host lines); the raw
    /// line still holds everything.
    pub fn keep_unmapped(mut self, keep: bool) -> Self {
        self.keep_unmapped = keep;
        self
    }

    /// The settings in use (clock, epoch offset).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Names the input file in every event's raw location.
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(Text::from(file.into()));
        self
    }

    /// Adds a container enrichment hook.
    pub fn with_enricher(mut self, enricher: &'e dyn Enrich) -> Self {
        self.enricher = Some(enricher);
        self
    }

    /// Whether to keep the raw line in `Event::raw` (default `true`).
    pub fn keep_raw(mut self, keep: bool) -> Self {
        self.keep_raw = keep;
        self
    }

    /// Normalizes either kind of record.
    pub fn normalize(&self, record: &Record<'_>) -> Event {
        match record {
            Record::Trace(e) => self.trace(e),
            Record::V1(e) => self.v1(e),
        }
    }

    /// Normalizes a `trace.Event`.
    pub fn trace(&self, ev: &TraceEvent<'_>) -> Event {
        // `unmapped.tracee` is assembled at the end in key order (see `TraceLeftovers`):
        // appending to the sorted map never shifts entries.
        let mut own = TraceLeftovers::default();
        let time = match ev.timestamp {
            Some(raw) => match self.settings.epoch_ns(raw) {
                Some(ns) => DateTime::from_timestamp_nanos(ns),
                None => {
                    // Relative time without an offset: keep the value, flag it.
                    own.relative_time = true;
                    DateTime::from_timestamp_nanos(raw)
                }
            },
            None => {
                own.timestamp_missing = true;
                DateTime::<Utc>::UNIX_EPOCH
            }
        };
        let process = trace_process(ev);
        let mut container = None;
        if let Some(id) = ev.container_id() {
            let mut c = Container {
                id: Some(Text::from(id)),
                name: ev.container_name().map(Text::from),
                ..Container::default()
            };
            if let Some(img) = ev.container_image() {
                let mut image = Image::parse_reference(img);
                if let Some(d) = ev.container_image_digest() {
                    image.digest.get_or_insert_with(|| Text::from(d));
                }
                c.image = Some(image);
            }
            container = Some(c);
        }
        let orchestrator = orchestrator(ev.pod_name(), ev.pod_namespace(), ev.pod_uid());
        let signature = ev.is_signature().then_some(ev);
        let origin = ev.origin();
        let host = origin == Origin::Host && !ev.host_name.is_empty();
        if self.keep_unmapped && !host && !ev.host_name.is_empty() {
            own.host_name = Some(&ev.host_name);
        }
        let (mut event, consumed, runtime) = self.build(
            "tracee-json",
            ev,
            &ev.event_name,
            time,
            process,
            container,
            orchestrator,
            signature,
        );
        // Every member of `unmapped.tracee` in key order, into one `Vec`.
        let unmapped = own.into_fields(self.keep_unmapped.then_some(TraceExtra {
            ev,
            origin,
            consumed,
            runtime,
        }));
        event.source.event_code = ev.event_id.map(num_text);
        event.source.version = Some(shape(ev).into());
        if host {
            event.host = Some(Host {
                name: Some(Text::from(ev.host_name.as_ref())),
                ..Host::default()
            });
        }
        if !matches!(event.kind, EventKind::Finding(_))
            && let Some(rv) = ev.return_value
        {
            event.outcome = if rv < 0 {
                tripline_schema::Outcome::Failure
            } else {
                tripline_schema::Outcome::Success
            };
        }
        if self.keep_raw {
            event.raw = Some(self.raw(ev.raw, ev.line, ev.offset));
        }
        if !unmapped.is_empty() {
            put_vendor(&mut event, unmapped);
        }
        event
    }

    /// Normalizes a v1beta1 event.
    pub fn v1(&self, ev: &V1Event<'_>) -> Event {
        let mut unmapped = Fields::new();
        let time = match ev.time_ns() {
            Some(ns) => DateTime::from_timestamp_nanos(ns),
            None => {
                unmapped.insert("timestamp_missing", true);
                DateTime::<Utc>::UNIX_EPOCH
            }
        };
        let u32_of = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
        let process = Process {
            pid: u32_of(ev.host_pid()),
            vpid: u32_of(ev.pid()),
            tid: u32_of(ev.tid()),
            entity_id: ev.process_unique_id().map(num_text),
            name: ev.process_name().map(Text::from),
            executable: ev.executable_path().map(Text::from),
            user: u32_of(ev.uid()).map(User::from_id),
            parent: ev
                .parent_pid()
                .and_then(|p| u32::try_from(p).ok())
                .map(|pid| {
                    Box::new(ParentProcess {
                        pid: Some(pid),
                        ..ParentProcess::default()
                    })
                }),
            ..Process::default()
        };
        let container = ev.container_id().map(|id| Container {
            id: Some(Text::from(id)),
            name: ev.container_name().map(Text::from),
            image: ev.container_image().map(|i| Image::parse_reference(&i)),
            ..Container::default()
        });
        let pod = ev.pod_name();
        let ns = ev.pod_namespace();
        let orchestrator = orchestrator(pod.as_deref(), ns.as_deref(), None);
        let signature = ev.threat.as_ref().map(|_| ev);
        let (mut event, consumed, runtime) = self.build(
            "tracee-v1beta1",
            ev,
            &ev.name,
            time,
            process,
            container,
            orchestrator,
            signature,
        );
        event.source.event_code = ev
            .id
            .map(|r| json::raw_str(r).map_or_else(|| Text::from(r.get()), Text::from));
        event.source.version = Some("v1beta1".into());
        if self.keep_unmapped {
            if let Some(p) = runtime.and_then(|p| serde_json::to_value(p).ok()) {
                unmapped.insert("process", Field::from(p));
            }
            if let Some(p) = ev.threat.as_ref().and_then(|t| t.properties.as_ref()) {
                let m: Fields =
                    p.0.iter()
                        .map(|(k, v)| (k.as_ref(), raw_json(v.get())))
                        .collect();
                unmapped.insert("threat_properties", m);
            }
            if let Some(rest) = leftover_args(ev, consumed) {
                unmapped.insert("args", rest);
            }
            if let Some(s) = ev.syscall().filter(|s| !s.is_empty()) {
                unmapped.insert("syscall", s);
            }
            if !ev.matched_policies().is_empty() {
                unmapped.insert(
                    "matchedPolicies",
                    Field::List(
                        ev.matched_policies()
                            .iter()
                            .map(|p| Field::Str(Text::from(p.as_ref())))
                            .collect(),
                    ),
                );
            }
            if let Some(d) = ev.detected_from {
                unmapped.insert("detected_from", raw_json(d.get()));
            }
        }
        if self.keep_raw {
            event.raw = Some(self.raw(ev.raw, ev.line, ev.offset));
        }
        if !unmapped.is_empty() {
            event.unmapped.insert("tracee", unmapped);
        }
        event
    }

    fn raw(&self, text: &str, line: u64, offset: u64) -> Raw {
        Raw {
            text: Text::from(text),
            location: Some(Location {
                file: self.file.clone(),
                line: Some(line),
                offset: Some(offset),
            }),
            ..Raw::default()
        }
    }

    /// The shared part: kind by event name, container enrichment, finding data. Returns
    /// the event, the args its mapping consumed and (container events, with `unmapped`
    /// kept) the runtime process that reported it; the caller assembles `unmapped`.
    #[allow(clippy::too_many_arguments)]
    fn build<'a, A: ArgLookup<'a> + FindingSource<'a>>(
        &self,
        format: &str,
        args: &A,
        name: &str,
        time: DateTime<Utc>,
        process: Process,
        mut container: Option<Container>,
        orchestrator: Option<Orchestrator>,
        signature: Option<&A>,
    ) -> (Event, &'static [&'static str], Option<Process>) {
        let runtime_process = name.starts_with("container_").then(|| process.clone());
        let (kind, consumed, event_container) = match signature {
            Some(sig) => (
                EventKind::Finding(Box::new(sig.finding(name, process))),
                sig.envelope_args(),
                None,
            ),
            None => map_kind(args, name, process),
        };
        let mut runtime = None;
        if let Some(c) = event_container {
            // container_create/remove: the event is about the container in its args; the
            // process that reported it is the runtime, kept under unmapped.
            container = Some(c);
            runtime = runtime_process.filter(|_| self.keep_unmapped);
        }
        if let (Some(c), Some(enricher)) = (container.as_mut(), self.enricher)
            && let Some(id) = c.id.clone()
        {
            enricher.enrich(&id, c);
        }
        let mut event = Event::new(time, Source::new(Product::Tracee, format), kind);
        event.action = Some(Text::from(name));
        event.container = container;
        event.orchestrator = orchestrator.map(Box::new);
        if let Some(sig) = signature {
            sig.finding_envelope(&mut event);
        }
        (event, consumed, runtime)
    }
}

/// Sets `unmapped.tracee` on an event whose vendor map is still empty (the usual case) as
/// a one-entry map, else inserts it.
fn put_vendor(event: &mut Event, tracee: Fields) {
    let value = Field::Map(tracee);
    if event.unmapped.is_empty() {
        event.unmapped = Fields::from_sorted(vec![(const { Text::const_new("tracee") }, value)]);
    } else {
        event
            .unmapped
            .insert(const { Text::const_new("tracee") }, value);
    }
}

/// The args a mapping did not consume, as a map (`None` when none is left). Args come in
/// Tracee's order, not key order: they collect on the member stack and are sorted once
/// there (see [`take_sorted`]), their values read with the same stack.
fn leftover_args<'a, A: ArgLookup<'a>>(args: &A, consumed: &[&str]) -> Option<Fields> {
    with_scratch(|scratch| {
        let mut sorted = true;
        args.for_each_raw_arg(&mut |k, v| {
            if consumed.contains(&k) {
                return;
            }
            let value = raw_json_in(v, scratch);
            let key = Text::from(k);
            if sorted && let Some((last, _)) = scratch.last() {
                sorted = key_order(last, &key).is_lt();
            }
            scratch.push((key, value));
        });
        (!scratch.is_empty()).then(|| take_sorted(scratch, 0, sorted))
    })
}

/// What a signature event contributes to a finding.
pub trait FindingSource<'a> {
    /// The finding payload.
    fn finding(&self, name: &str, process: Process) -> Finding;
    /// Severity, message and tags on the envelope (the leftovers under `unmapped` are the
    /// normalizer's, written with the rest of the event's).
    fn finding_envelope(&self, event: &mut Event);
    /// Args the normalizer keeps elsewhere under `unmapped`, left out of `unmapped.args`.
    fn envelope_args(&self) -> &'static [&'static str] {
        &[]
    }
}

impl<'a> FindingSource<'a> for TraceEvent<'a> {
    /// `triggeredBy` is kept once, at `unmapped.tracee.triggeredBy`.
    fn envelope_args(&self) -> &'static [&'static str] {
        &["triggeredBy"]
    }

    fn finding(&self, name: &str, process: Process) -> Finding {
        let props = self.properties();
        let p = |k: &str| props.and_then(|p| p.str(k)).filter(|s| !s.is_empty());
        let rule = Rule {
            id: p("signatureID").map(Text::from),
            name: p("signatureName")
                .map(Text::from)
                .or_else(|| Some(Text::from(name))),
            description: self
                .metadata
                .as_ref()
                .and_then(|m| m.description.as_deref())
                .map(Text::from),
            ruleset: Some("tracee-signatures".into()),
            category: p("Category").map(Text::from),
            version: self
                .metadata
                .as_ref()
                .and_then(|m| m.version.as_deref())
                .map(Text::from),
            ..Rule::default()
        };
        let attacks = Attack::from_tracee(
            p("Category").as_deref(),
            p("external_id").as_deref(),
            p("Technique").as_deref(),
        )
        .into_iter()
        .collect();
        // The firing event's args first, then the signature's own.
        let trigger = self.trigger_parts();
        let trigger_arg = |k: &str| {
            trigger
                .as_ref()
                .and_then(|(_, args)| args.iter().find(|a| a.name == k))
        };
        let file = ["pathname", "path", "file_path"]
            .iter()
            .find_map(|k| {
                trigger_arg(k)
                    .and_then(Arg::as_str)
                    .or_else(|| self.arg_str(k))
            })
            .filter(|s| !s.is_empty())
            .map(File::from_path);
        let destination = trigger_arg("remote_addr")
            .and_then(Arg::as_sockaddr)
            .or_else(|| self.arg_sockaddr("remote_addr"))
            .map(endpoint);
        Finding {
            rule,
            attacks,
            event_type: Some(
                trigger
                    .as_ref()
                    .map_or_else(|| Text::from(name), |(t, _)| Text::from(t.as_ref())),
            ),
            user: process.user.clone(),
            process: Some(process),
            file,
            destination,
            ..Finding::default()
        }
    }

    fn finding_envelope(&self, event: &mut Event) {
        let props = self.properties();
        if let Some(s) = props.and_then(|p| p.severity()) {
            event.severity = Severity::from_tracee(s).unwrap_or_else(|| Severity {
                original: Some(num_text(s)),
                ..Severity::new(tripline_schema::SeverityLevel::Other)
            });
        }
        if let Some(m) = &self.metadata {
            event.message = m.description.as_deref().map(Text::from);
            if let Some(tags) = &m.tags {
                event.tags = tags.iter().map(|t| Text::from(t.as_ref())).collect();
            }
        }
    }
}

impl<'a> FindingSource<'a> for V1Event<'a> {
    fn finding(&self, name: &str, process: Process) -> Finding {
        let t = self.threat.as_ref();
        let prop = |k: &str| t.and_then(|t| t.properties.as_ref()).and_then(|p| p.str(k));
        let rule = Rule {
            id: prop("signatureID").map(Text::from),
            name: t
                .and_then(|t| t.name.as_deref())
                .map(Text::from)
                .or_else(|| Some(Text::from(name))),
            description: t.and_then(|t| t.description.as_deref()).map(Text::from),
            ruleset: Some("tracee-signatures".into()),
            category: t.and_then(|t| t.tactic()).map(Text::from),
            ..Rule::default()
        };
        let attacks = t
            .and_then(|t| {
                Attack::from_tracee(
                    t.tactic().as_deref(),
                    t.technique_id().as_deref(),
                    t.technique_name().as_deref(),
                )
            })
            .into_iter()
            .collect();
        Finding {
            rule,
            attacks,
            event_type: Some(Text::from(name)),
            user: process.user.clone(),
            process: Some(process),
            ..Finding::default()
        }
    }

    fn finding_envelope(&self, event: &mut Event) {
        let Some(t) = &self.threat else { return };
        if let Some(sev) = t.severity_num().and_then(Severity::from_tracee) {
            event.severity = sev;
        }
        event.message = t.description.as_deref().map(Text::from);
    }
}

fn orchestrator(pod: Option<&str>, ns: Option<&str>, uid: Option<&str>) -> Option<Orchestrator> {
    if pod.is_none() && ns.is_none() && uid.is_none() {
        return None;
    }
    Some(Orchestrator {
        pod_name: pod.map(Text::from),
        namespace: ns.map(Text::from),
        pod_uid: uid.map(Text::from),
        ..Orchestrator::default()
    })
}

fn shape(ev: &TraceEvent<'_>) -> &'static str {
    if ev.process_entity_id.is_some() || ev.executable.is_some() {
        "v0.18-v0.24"
    } else if ev.container.is_some() || ev.kubernetes.is_some() {
        "v0.13-v0.17"
    } else {
        "v0.8-v0.12"
    }
}

/// Parses raw JSON into a value; raw text is valid JSON by construction. Plain strings
/// and integers, most args, skip the generic decoder.
fn raw_json(text: &str) -> Field {
    with_scratch(|scratch| raw_json_in(text, scratch))
}

/// [`raw_json`] with the member stack passed in (objects collect their members above
/// what `scratch` holds and take them off again).
fn raw_json_in(text: &str, scratch: &mut Vec<(Text, Field)>) -> Field {
    let b = text.as_bytes();
    // A string whose first quote, backslash or control byte is its closing quote (eight
    // bytes per step).
    if b.len() >= 2
        && b[0] == b'"'
        && b[b.len() - 1] == b'"'
        && find_special(&b[1..]) == Some(b.len() - 2)
    {
        return Field::Str(Text::from(&text[1..text.len() - 1]));
    }
    if let Some(i) = short_int(b) {
        return Field::from(i);
    }
    if let Ok(i) = text.parse::<i64>() {
        return Field::from(i);
    }
    let mut sc = Scanner::new(text);
    let base = scratch.len();
    let out = field_value(&mut sc, 0, scratch).and_then(|f| sc.end().map(|()| f));
    // An error can leave members of an unfinished object behind.
    scratch.truncate(base);
    match out {
        Ok(f) => f,
        Err(_) => Field::Str(Text::from(text)),
    }
}

/// Digits with an optional `-`, at most 18 of them (below 10^18, so no overflow check):
/// the integer `str::parse::<i64>` reads from them; `None` for anything else.
#[inline]
fn short_int(b: &[u8]) -> Option<i64> {
    let (neg, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v = 0i64;
    for &c in digits {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    Some(if neg { -v } else { v })
}

/// Runs `f` with the per-thread member stack: an event's args, DNS answer, trigger and
/// signature properties then cost no scratch allocation each. A huge stack is not kept.
fn with_scratch<T>(f: impl FnOnce(&mut Vec<(Text, Field)>) -> T) -> T {
    let mut scratch = SCRATCH.take();
    let out = f(&mut scratch);
    scratch.clear();
    if scratch.capacity() <= SCRATCH_KEEP {
        SCRATCH.set(scratch);
    }
    out
}

/// Largest member stack [`with_scratch`] keeps for the next call.
const SCRATCH_KEEP: usize = 1024;

thread_local! {
    /// The member stack [`with_scratch`] lends out (empty between calls).
    static SCRATCH: std::cell::Cell<Vec<(Text, Field)>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The first (up to) eight bytes of `key`, big-endian, zero-padded: for keys whose
/// prefixes differ, comparing these gives the keys' byte order (a shorter key that is a
/// prefix of the other has a zero where the other has a byte, which is then non-zero).
/// Short keys are read with two overlapping loads, not byte by byte.
#[inline]
fn key_prefix(key: &str) -> u64 {
    let b = key.as_bytes();
    let n = b.len();
    if let Some(head) = b.first_chunk::<8>() {
        return u64::from_be_bytes(*head);
    }
    if n >= 4 {
        let hi = u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
        let lo = u64::from(u32::from_be_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]));
        // `lo` ends with bytes 4..n (its low n - 4 bytes); they go right after `hi`.
        let tail = lo & ((1u64 << (8 * (n - 4))) - 1);
        return hi << 32 | tail << (8 * (8 - n));
    }
    if n == 0 {
        return 0;
    }
    // One to three bytes: first, middle and last cover them all.
    u64::from(b[0]) << 56
        | u64::from(b[n / 2]) << (56 - 8 * (n / 2))
        | u64::from(b[n - 1]) << (64 - 8 * n)
}

/// Byte order of two keys (`a.cmp(b)` on `str`), mostly decided by their prefixes.
#[inline]
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    match key_prefix(a).cmp(&key_prefix(b)) {
        std::cmp::Ordering::Equal => a.as_bytes().cmp(b.as_bytes()),
        o => o,
    }
}

/// Most members [`take_sorted`] orders by index; larger objects sort in place.
const SORT_INLINE: usize = 64;

/// The members `scratch[start..]` as a map, taken off the stack: sorted by key, the last
/// of equal keys kept (as JSON readers and [`Fields::insert`] keep it), in one allocation
/// at its final size. `sorted`: the keys are already strictly increasing (no sort).
/// Otherwise an array of (key prefix, index) is sorted, each prefix computed once, instead
/// of moving 56-byte members and comparing whole keys.
fn take_sorted(scratch: &mut Vec<(Text, Field)>, start: usize, sorted: bool) -> Fields {
    let n = scratch.len() - start;
    if sorted || n < 2 {
        let mut out = Vec::with_capacity(n);
        out.extend(scratch.drain(start..));
        return Fields::from_sorted(out);
    }
    if n > SORT_INLINE {
        // Stable: equal keys keep input order, so `insert` keeps the last one.
        scratch[start..].sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        let mut out = Fields::with_capacity(n);
        for (k, v) in scratch.drain(start..) {
            // In key order now: each member appends (a repeated key replaces).
            out.insert(k, v);
        }
        return out;
    }
    let members = &mut scratch[start..];
    let mut order = [(0u64, 0u32); SORT_INLINE];
    for (slot, (i, (k, _))) in order.iter_mut().zip(members.iter().enumerate()) {
        // `i` is below SORT_INLINE.
        *slot = (key_prefix(k), i as u32);
    }
    let order = &mut order[..n];
    let key = |o: (u64, u32)| members[o.1 as usize].0.as_bytes();
    let less = |a: (u64, u32), b: (u64, u32)| a.0 < b.0 || (a.0 == b.0 && key(a) < key(b));
    // Insertion sort, stable: a member moves before another only when its key is smaller.
    for i in 1..n {
        let cur = order[i];
        let mut j = i;
        while j > 0 && less(cur, order[j - 1]) {
            order[j] = order[j - 1];
            j -= 1;
        }
        order[j] = cur;
    }
    let mut out = Vec::with_capacity(n);
    for w in 0..n {
        let o = order[w];
        // Of equal keys (adjacent now, in input order) the last one is kept.
        if let Some(&next) = order.get(w + 1)
            && next.0 == o.0
            && members[next.1 as usize].0 == members[o.1 as usize].0
        {
            continue;
        }
        out.push(std::mem::take(&mut members[o.1 as usize]));
    }
    scratch.truncate(start);
    Fields::from_sorted(out)
}

/// One JSON value read straight into a [`Field`], as `Field::from_json_str` would read it
/// (strict strings, object keys sorted with the last duplicate kept, exact numbers, the
/// same nesting limit) without a generic decoder in between. Members of every object
/// collect on one `scratch` stack and are ordered there (see [`take_sorted`]), so each
/// object allocates once, at its final size.
fn field_value(sc: &mut Scanner<'_>, depth: usize, scratch: &mut Vec<(Text, Field)>) -> Res<Field> {
    sc.ws();
    match sc.peek() {
        Some(b'"') => Ok(Field::Str(cow_text(sc.string()?))),
        Some(b'{') => {
            if depth + 1 >= DEPTH_LIMIT {
                return sc.err("recursion limit exceeded");
            }
            sc.obj_start()?;
            let start = scratch.len();
            if scratch.capacity() == 0 {
                scratch.reserve(32);
            }
            let mut first = true;
            let mut sorted = true;
            while let Some(k) = sc.obj_key(&mut first)? {
                let v = field_value(sc, depth + 1, scratch)?;
                // Nested members are off the stack again: the top is this object's last.
                if sorted && scratch.len() > start {
                    sorted = scratch
                        .last()
                        .is_some_and(|(p, _)| key_order(p, &k).is_lt());
                }
                scratch.push((cow_text(k), v));
            }
            Ok(Field::Map(take_sorted(scratch, start, sorted)))
        }
        Some(b'[') => {
            if depth + 1 >= DEPTH_LIMIT {
                return sc.err("recursion limit exceeded");
            }
            sc.arr_start()?;
            let mut out = Vec::new();
            let mut first = true;
            while sc.arr_next(&mut first)? {
                out.push(field_value(sc, depth + 1, scratch)?);
            }
            Ok(Field::List(out))
        }
        Some(b'n') => {
            sc.null()?;
            Ok(Field::Null)
        }
        Some(b't' | b'f') => Ok(sc.opt_bool()?.map_or(Field::Null, Field::Bool)),
        Some(b'-' | b'0'..=b'9') => {
            let start = sc.pos;
            Ok(match sc.int_number()? {
                Ok(u) => Field::Number(u.into()),
                Err(Some(i)) => Field::Number(i.into()),
                // Floats (and integers past 64 bits) as serde_json reads them.
                Err(None) => match serde_json::from_str::<f64>(sc.since(start)) {
                    Ok(f) => Field::from(f),
                    Err(_) => return sc.err("number out of range"),
                },
            })
        }
        _ => sc.invalid_type("a JSON value"),
    }
}

/// A decoded string as [`Text`]; an owned decode hands over its buffer.
fn cow_text(s: Cow<'_, str>) -> Text {
    match s {
        Cow::Borrowed(b) => Text::from(b),
        Cow::Owned(o) => Text::from(o),
    }
}

/// A number as text (`itoa`: no `fmt` machinery, no UTF-8 check; it always fits inline).
fn num_text<N: itoa::Integer>(n: N) -> Text {
    Text::from(itoa::Buffer::new().format(n))
}

/// `args` joined by single spaces, built in place.
fn join_text(args: &[Text]) -> Text {
    let len = args
        .iter()
        .map(|a| a.len() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    let mut t = Text::with_capacity(len);
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            t.push(' ');
        }
        t.push_str(a);
    }
    t
}

fn trace_process(ev: &TraceEvent<'_>) -> Process {
    let u32_of = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    let pid = u32_of(ev.host_process_id);
    let tid = u32_of(ev.host_thread_id).filter(|t| Some(*t) != pid);
    let parent = if ev.host_parent_process_id.is_some() || ev.parent_entity_id.is_some() {
        Some(Box::new(ParentProcess {
            pid: u32_of(ev.host_parent_process_id),
            entity_id: ev.parent_entity_id.map(num_text),
            ..ParentProcess::default()
        }))
    } else {
        None
    };
    Process {
        pid,
        ppid: u32_of(ev.host_parent_process_id),
        tid,
        vpid: u32_of(ev.process_id),
        entity_id: ev.process_entity_id.map(num_text),
        executable: ev.executable_path().map(Text::from),
        name: (!ev.process_name.is_empty()).then(|| Text::from(ev.process_name.as_ref())),
        user: u32_of(ev.user_id).map(User::from_id),
        parent,
        ..Process::default()
    }
}

/// What a `trace.Event` leaves under `unmapped.tracee` that the record does not say by
/// itself: the clock flags and a host name kept as a leftover.
#[derive(Default)]
struct TraceLeftovers<'t> {
    relative_time: bool,
    timestamp_missing: bool,
    host_name: Option<&'t str>,
}

/// The rest of `unmapped.tracee` (kept only with `keep_unmapped`): the event's members
/// the schema does not model, the args the mapping did not consume, the runtime process
/// of a container event, a signature's leftover properties and its trigger.
struct TraceExtra<'e, 'a> {
    ev: &'e TraceEvent<'a>,
    origin: Origin,
    consumed: &'static [&'static str],
    runtime: Option<Process>,
}

/// Signature properties a finding maps; the others stay under `unmapped`.
const MAPPED_PROPERTIES: &[&str] = &[
    "signatureID",
    "signatureName",
    "Severity",
    "Category",
    "external_id",
    "Technique",
];

impl TraceLeftovers<'_> {
    /// `unmapped.tracee` (`extra`: everything; `None`: only the clock flags). Each member
    /// is pushed in key order straight into the map's `Vec`, its key a constant (no
    /// search, no shifting, no key built byte by byte), and the `Vec` taken as it is.
    fn into_fields(self, extra: Option<TraceExtra<'_, '_>>) -> Fields {
        let Some(x) = extra else {
            let mut out = Vec::new();
            if self.relative_time {
                out.push((
                    const { Text::const_new("relative_time") },
                    Field::Bool(true),
                ));
            }
            if self.timestamp_missing {
                out.push((
                    const { Text::const_new("timestamp_missing") },
                    Field::Bool(true),
                ));
            }
            return Fields::from_sorted(out);
        };
        let ev = x.ev;
        // Written as JSON text and parsed only if something reads it (most consumers never
        // do): raw arg values are copied as they were read, scalars printed. Key order does
        // not matter, reading sorts.
        let mut w = ObjectWriter::with_capacity(256 + ev.raw.len() / 4);
        let mut args_open = false;
        ev.for_each_raw_arg(&mut |k, v| {
            if x.consumed.contains(&k) {
                return;
            }
            if !args_open {
                w.open("args");
                args_open = true;
            }
            w.raw(k, v);
        });
        if args_open {
            w.close();
        }
        if let Some(v) = ev.cgroup_id {
            w.u64("cgroupId", v);
        }
        if let Some(v) = self.host_name {
            w.str("hostName", v);
        }
        if ev.context_flags.and_then(|f| f.is_compat) == Some(true) {
            w.bool("isCompat", true);
        }
        if let Some(p) = &ev.matched_policies {
            w.str_list("matchedPolicies", p.iter().map(|s| s.as_ref()));
        }
        if let Some(v) = ev.matched_scopes {
            w.u64("matchedScopes", v);
        }
        if let Some(v) = ev.mount_namespace {
            w.u64("mountNamespace", v);
        }
        w.str(
            "origin",
            match x.origin {
                Origin::Host => "host",
                Origin::ContainerInit => "container-init",
                Origin::Container => "container",
            },
        );
        if let Some(v) = ev.pid_namespace {
            w.u64("pidNamespace", v);
        }
        if let Some(v) = ev.pod_sandbox() {
            w.bool("podSandbox", v);
        }
        if let Some(p) = &x.runtime {
            w.serialized("process", p);
        }
        if let Some(v) = ev.processor_id {
            w.i64("processorId", v);
        }
        let signature = ev.is_signature();
        if signature && let Some(props) = ev.properties() {
            let mut open = false;
            for (k, v) in &props.raw().0 {
                if MAPPED_PROPERTIES.contains(&k.as_ref()) {
                    continue;
                }
                if !open {
                    w.open("properties");
                    open = true;
                }
                w.raw(k, v.get());
            }
            if open {
                w.close();
            }
        }
        if self.relative_time {
            w.bool("relative_time", true);
        }
        if let Some(v) = ev.return_value {
            w.i64("returnValue", v);
        }
        if let Some(a) = ev
            .stack_addresses
            .as_ref()
            .filter(|a| a.iter().any(|x| *x != 0))
        {
            w.u64_list("stackAddresses", a.iter().copied());
        }
        if let Some(v) = ev.syscall.as_deref().filter(|s| !s.is_empty()) {
            w.str("syscall", v);
        }
        if let Some(v) = ev.thread_entity_id {
            w.u64("threadEntityId", v);
        }
        if let Some(v) = ev.thread_start_time {
            w.i64("threadStartTime", v);
        }
        if self.timestamp_missing {
            w.bool("timestamp_missing", true);
        }
        if signature && let Some(t) = ev.arg("triggeredBy") {
            w.raw("triggeredBy", t.raw());
        }
        w.finish()
    }
}

fn endpoint(s: Sockaddr<'_>) -> Endpoint {
    Endpoint {
        ip: s.ip,
        port: s.port,
        path: s.path.filter(|p| !p.is_empty()).map(Text::from),
        ..Endpoint::default()
    }
}

fn transport(s: &Sockaddr<'_>, sock_type: Option<&str>) -> Option<Text> {
    if s.family == "AF_UNIX" {
        return Some("unix".into());
    }
    match sock_type? {
        t if t.contains("SOCK_STREAM") => Some("tcp".into()),
        t if t.contains("SOCK_DGRAM") => Some("udp".into()),
        _ => None,
    }
}

/// Whether open flags (text like `O_WRONLY|O_CREAT` or a number) ask for writing.
fn open_op<'a, A: ArgLookup<'a>>(args: &A) -> FileOp {
    if let Some(s) = args.lookup_str("flags") {
        if s.contains("O_WRONLY") || s.contains("O_RDWR") {
            return FileOp::Write;
        }
        if let Some(n) = json::parse_int_text(&s) {
            return if n & 3 != 0 {
                FileOp::Write
            } else {
                FileOp::Open
            };
        }
        return FileOp::Open;
    }
    match args.lookup_i64("flags") {
        Some(n) if n & 3 != 0 => FileOp::Write,
        _ => FileOp::Open,
    }
}

fn file_from<'a, A: ArgLookup<'a>>(args: &A, path_key: &str) -> File {
    let mut f = File {
        path: args
            .lookup_str(path_key)
            .filter(|p| !p.is_empty())
            .map(Text::from),
        ..File::default()
    };
    f.inode = args.lookup_i64("inode").and_then(|i| u64::try_from(i).ok());
    f.device = args.lookup_i64("dev").map(num_text);
    if let Some(mode) = args
        .lookup_i64("inode_mode")
        .and_then(|m| u32::try_from(m).ok())
    {
        f.mode = Some(mode);
        f.file_type = tripline_schema::FileType::from_mode(mode);
    }
    f
}

type Mapped = (EventKind, &'static [&'static str], Option<Container>);

/// The kind for an event name, the args it consumed, and (for container events) the
/// container the event is about.
fn map_kind<'a, A: ArgLookup<'a>>(args: &A, name: &str, mut process: Process) -> Mapped {
    let file_access = |op: FileOp, file: File, target: Option<File>, process: Process| {
        EventKind::FileAccess(Box::new(FileAccess {
            op,
            file,
            target,
            process: Some(process),
        }))
    };
    match name {
        "sched_process_exec" | "execve" | "execveat" => {
            if let Some(p) = args.lookup_str("pathname").filter(|p| !p.is_empty()) {
                process.executable = Some(Text::from(p));
            }
            if let Some(argv) = args.lookup_str_list("argv") {
                process.args = argv.into_iter().map(Text::from).collect();
                if !process.args.is_empty() {
                    process.command_line = Some(join_text(&process.args));
                }
            }
            let interpreter = args
                .lookup_str("interpreter_pathname")
                .filter(|p| !p.is_empty())
                .map(Text::from);
            (
                EventKind::ProcessExec(Box::new(ProcessEvent {
                    process,
                    interpreter,
                    ..ProcessEvent::default()
                })),
                &["pathname", "argv", "interpreter_pathname"],
                None,
            )
        }
        "sched_process_exit" => {
            process.exit_code = args.lookup_i64("exit_code");
            (
                EventKind::ProcessExit(Box::new(ProcessEvent {
                    process,
                    ..ProcessEvent::default()
                })),
                &["exit_code"],
                None,
            )
        }
        "sched_process_fork" => {
            // The event's own process is the parent (its host pid wins over the args, which
            // some builds fill from the namespace); the child runs the same program.
            let u32_arg = |k: &str| args.lookup_i64(k).and_then(|n| u32::try_from(n).ok());
            let parent = ParentProcess {
                pid: process.pid.or(u32_arg("parent_pid")),
                executable: process.executable.clone(),
                name: process.name.clone(),
                command_line: process.command_line.clone(),
                entity_id: process.entity_id.clone(),
            };
            let child = Process {
                pid: u32_arg("child_pid"),
                tid: u32_arg("child_tid"),
                vpid: u32_arg("child_ns_pid"),
                ppid: parent.pid,
                executable: process.executable.take(),
                name: process.name.take(),
                args: std::mem::take(&mut process.args),
                command_line: process.command_line.take(),
                cwd: process.cwd.take(),
                user: process.user.take(),
                group: process.group.take(),
                parent: Some(Box::new(parent)),
                ..Process::default()
            };
            (
                EventKind::ProcessFork(Box::new(ProcessEvent {
                    process: child,
                    ..ProcessEvent::default()
                })),
                &[
                    "parent_tid",
                    "parent_ns_tid",
                    "parent_pid",
                    "parent_ns_pid",
                    "child_tid",
                    "child_ns_tid",
                    "child_pid",
                    "child_ns_pid",
                ],
                None,
            )
        }
        "ptrace" => {
            // `request` is a name with parse-arguments, a number without.
            let request = args
                .lookup_str("request")
                .map(|r| Text::from(r.as_ref()))
                .or_else(|| args.lookup_i64("request").map(num_text));
            let op = request.as_deref().map_or_else(
                || ProcessAccessOp::Other(Text::from("?")),
                ProcessAccessOp::from_ptrace_request,
            );
            // The pid is as the tracer passed it: in its own pid namespace.
            let pid = args.lookup_i64("pid").and_then(|n| u32::try_from(n).ok());
            let namespaced = process.vpid.is_some() && process.vpid != process.pid;
            let target = Process {
                pid: if namespaced { None } else { pid },
                vpid: if namespaced { pid } else { None },
                ..Process::default()
            };
            (
                EventKind::ProcessAccess(Box::new(ProcessAccess {
                    op,
                    request,
                    process: Some(process),
                    target,
                })),
                &["request", "pid"],
                None,
            )
        }
        "security_file_open" | "openat" | "open" | "openat2" => {
            let op = open_op(args);
            let mut file = file_from(args, "pathname");
            if file.path.is_none() {
                file.path = args
                    .lookup_str("syscall_pathname")
                    .filter(|p| !p.is_empty())
                    .map(Text::from);
            }
            (
                file_access(op, file, None, process),
                &["pathname", "dev", "inode"],
                None,
            )
        }
        "security_inode_unlink" | "unlink" | "unlinkat" => (
            file_access(FileOp::Delete, file_from(args, "pathname"), None, process),
            &["pathname", "dev", "inode"],
            None,
        ),
        "security_inode_rename" => {
            let file = file_from(args, "old_path");
            let target = args
                .lookup_str("new_path")
                .filter(|p| !p.is_empty())
                .map(File::from_path);
            (
                file_access(FileOp::Rename, file, target, process),
                &["old_path", "new_path"],
                None,
            )
        }
        "magic_write" => (
            file_access(FileOp::Write, file_from(args, "pathname"), None, process),
            &["pathname", "dev", "inode"],
            None,
        ),
        "security_sb_mount" => {
            let file = File {
                path: args
                    .lookup_str("path")
                    .filter(|p| !p.is_empty())
                    .map(Text::from),
                ..File::default()
            };
            (
                file_access(FileOp::Mount, file, None, process),
                &["path"],
                None,
            )
        }
        "security_socket_connect" | "security_socket_bind" | "security_socket_accept" => {
            let (op, key, direction) = match name {
                "security_socket_connect" => {
                    (NetworkOp::Connect, "remote_addr", Some(Direction::Outbound))
                }
                "security_socket_bind" => (NetworkOp::Bind, "local_addr", None),
                _ => (NetworkOp::Accept, "local_addr", Some(Direction::Inbound)),
            };
            let addr = args.lookup_sockaddr(key);
            let sock_type = args.lookup_str("type");
            let transport = addr
                .as_ref()
                .and_then(|a| transport(a, sock_type.as_deref()));
            let ep = addr.map(endpoint);
            let (source, destination) = match op {
                NetworkOp::Connect => (None, ep),
                NetworkOp::Bind => (ep, None),
                // accept: the peer initiated; the local address is the destination.
                _ => (args.lookup_sockaddr("remote_addr").map(endpoint), ep),
            };
            (
                EventKind::Network(Box::new(NetworkActivity {
                    op,
                    transport,
                    source,
                    destination,
                    direction,
                    process: Some(process),
                })),
                &["remote_addr", "local_addr"],
                None,
            )
        }
        "container_create" | "container_remove" => {
            let id = args.lookup_str("container_id").filter(|s| !s.is_empty());
            let action = if name == "container_create" {
                "create"
            } else {
                "remove"
            };
            let mut attributes = tripline_schema::kind::TextMap::new();
            for key in [
                "runtime",
                "container_image",
                "container_image_digest",
                "container_name",
                "pod_name",
                "pod_namespace",
                "pod_uid",
            ] {
                if let Some(v) = args.lookup_str(key).filter(|v| !v.is_empty()) {
                    attributes.insert(Text::from(key), Text::from(v));
                }
            }
            let container = id.as_ref().map(|id| {
                let image = attributes.get("container_image").map(|i| {
                    let mut img = Image::parse_reference(i);
                    if let Some(d) = attributes.get("container_image_digest") {
                        img.digest.get_or_insert_with(|| d.clone());
                    }
                    img
                });
                Container {
                    id: Some(Text::from(id.as_ref())),
                    name: attributes.get("container_name").cloned(),
                    image,
                    runtime: attributes.get("runtime").cloned(),
                    ..Container::default()
                }
            });
            (
                EventKind::ContainerLifecycle(Box::new(ContainerLifecycle {
                    object_type: "container".into(),
                    action: action.into(),
                    actor_id: id.map(Text::from),
                    attributes,
                    ..ContainerLifecycle::default()
                })),
                &[
                    "container_id",
                    "runtime",
                    "container_image",
                    "container_image_digest",
                    "container_name",
                    "pod_name",
                    "pod_namespace",
                    "pod_uid",
                ],
                container,
            )
        }
        _ => (
            EventKind::Other(Box::new(Other {
                name: Text::from(name),
                process: Some(process),
            })),
            &[],
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_values_read_as_from_json_str_reads_them() {
        let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let mut cases: Vec<String> = [
            r#"{"b":1,"a":[true,null,{"z":"x","y":-0}],"b":2}"#,
            r#"{"ID":1,"QR":0,"opCode":"query","questions":[{"name":"a.b","type":"A"}],"answers":[]}"#,
            r#"[1.5,-2,18446744073709551615,18446744073709551616,1e400,-9223372036854775808]"#,
            r#""a\u00e9\"b""#,
            r#""\ud800""#,
            r#"{"k\u0041":"v","kA":"w"}"#,
            "[-0]",
            "{}",
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
        cases.extend((125..=130).map(deep));
        for c in &cases {
            let want =
                Field::from_json_str(c).unwrap_or_else(|_| Field::Str(Text::from(c.as_str())));
            assert_eq!(raw_json(c), want, "{c}");
        }
    }

    #[test]
    fn key_order_is_byte_order() {
        let keys = [
            "",
            "a",
            "b",
            "ab",
            "aa",
            "a\u{0}",
            "abc",
            "abd",
            "ab\u{0}",
            "abcd",
            "abce",
            "abcde",
            "abcdf",
            "abcdef",
            "abcdeg",
            "abcdefg",
            "abcdefh",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "ID",
            "QR",
            "opCode",
            "AA",
            "zz\u{e9}",
            "z\u{e9}",
            "\u{e9}",
            "\u{10348}x",
            "x\u{7f}",
        ];
        for a in keys {
            assert_eq!(
                key_prefix(a) == 0,
                a.bytes().take(8).all(|c| c == 0),
                "{a:?}"
            );
            for b in keys {
                assert_eq!(key_order(a, b), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn members_sort_and_keep_the_last_duplicate() {
        let mut scratch: Vec<(Text, Field)> = vec![(Text::from("keep"), Field::Null)];
        for (k, v) in [("b", 1i64), ("a", 2), ("b", 3), ("abcdefghij", 4), ("a", 5)] {
            scratch.push((Text::from(k), Field::from(v)));
        }
        let m = take_sorted(&mut scratch, 1, false);
        assert_eq!(scratch.len(), 1);
        let got: Vec<(String, Field)> = m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let want: Vec<(String, Field)> = [("a", 5i64), ("abcdefghij", 4), ("b", 3)]
            .iter()
            .map(|(k, v)| ((*k).to_string(), Field::from(*v)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn short_integers_read_as_parse_reads_them() {
        for t in [
            "0",
            "-0",
            "7",
            "007",
            "-12",
            "123456789012345678",
            "-123456789012345678",
            "1234567890123456789",
            "",
            "-",
            "+1",
            "1.5",
            "1e3",
            "12a",
            "--1",
            " 1",
        ] {
            if let Some(i) = short_int(t.as_bytes()) {
                assert_eq!(Ok(i), t.parse::<i64>(), "{t:?}");
            } else {
                assert!(
                    t.len() > 18 || t.parse::<i64>().is_err() || t.starts_with('+'),
                    "{t:?}"
                );
            }
        }
    }

    #[test]
    fn numbers_as_text() {
        assert_eq!(num_text(0i64), "0");
        assert_eq!(num_text(-42i64), "-42");
        assert_eq!(num_text(i64::MIN), "-9223372036854775808");
        assert_eq!(num_text(u64::MAX), "18446744073709551615");
    }
}
