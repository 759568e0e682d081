//! The ECS 8.17 view of an [`Event`]: a nested JSON document for Elasticsearch/OpenSearch.
//!
//! Mapping choices (the research notes §2 and §5 give the background):
//!
//! * `@timestamp` is RFC 3339 with nine fractional digits; `ecs.version` is `8.17.0`.
//! * Categorization (`event.kind/category/type`) comes from [`Event::classification`], the
//!   same table the OCSF view uses.
//! * Ids (`user.id`, `process.user.id`, `file.uid`, `file.inode`) are keyword strings.
//! * `event.module` is the product (`auditd`), `event.dataset` the wire format (`audit-log`),
//!   `observer.vendor/product/version` the producer, as `Event::get` answers them.
//! * `event.severity` is the normalized OCSF `severity_id` (0–6, 99; always written, 0 for
//!   Unknown), not the source's scale;
//!   the source's own word or number goes to `log.level`. Findings also get
//!   `event.risk_score_norm` (Informational 0, Low 21, Medium 47, High 73, Critical 99,
//!   Fatal 100: Kibana's defaults plus our two ends).
//! * `user.*` is the acting human (auditd `auid`, the login user) when known, else the
//!   kind's actor, else the process's effective user; `user.effective` is the account acted
//!   as (the authenticated account, sudo's run-as user, the process's effective user);
//!   `user.target` is the account changed or assumed; `group.*` the group changed or assumed.
//! * `event.original` carries the raw record text and `log.file.path` its file
//!   ([`EcsOptions`] can leave both out). `log.offset` is a Beats field outside ECS 8.17, so the
//!   byte offset and line go to `tripline.log.offset` / `tripline.log.line` unless
//!   [`EcsOptions::beats_log_offset`] asks for Beats' `log.offset`.
//! * What ECS has no field for goes under `tripline.*` with the names in [`crate::paths`]
//!   (operations, tty, session id, Docker object/action/attributes, log stream and partial
//!   info, finding evidence), so `Event::get` and this view agree.
//! * Vendor leftovers in `unmapped` go to their namespace (`auditd.*`, `falco.*`, `tracee.*`,
//!   `docker.*`); any other vendor key goes under `tripline.unmapped.<key>` so it can never
//!   collide with an ECS field set.
//! * Absent values are omitted, never written as `null`.

use std::net::IpAddr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::access::op_name;
use crate::doc::{Doc, str_list};
use crate::entity::{Endpoint, File, FileType, Group, Process, User};
use crate::event::{Event, Outcome};
use crate::fields::Text;
use crate::kind::{Direction, EventKind};
use crate::paths as p;
use crate::severity::SeverityLevel;

/// The ECS version this view follows.
pub const VERSION: &str = "8.17.0";

/// Vendor namespaces written at the top level of the ECS document.
pub const VENDOR_NAMESPACES: &[&str] = &["auditd", "falco", "tracee", "docker"];

/// ECS 8.17's expected `event.type` values per `event.category` (`allowed_values[].
/// expected_event_types` of `event.category` in `ecs_flat.yml`; a test checks it against the
/// corpus copy when present).
pub const EXPECTED_EVENT_TYPES: &[(&str, &[&str])] = &[
    (
        "api",
        &[
            "access", "admin", "allowed", "change", "creation", "deletion", "denied", "end",
            "info", "start", "user",
        ],
    ),
    ("authentication", &["start", "end", "info"]),
    (
        "configuration",
        &["access", "change", "creation", "deletion", "info"],
    ),
    ("database", &["access", "change", "info", "error"]),
    ("driver", &["change", "end", "info", "start"]),
    ("email", &["info"]),
    (
        "file",
        &["access", "change", "creation", "deletion", "info"],
    ),
    ("host", &["access", "change", "end", "info", "start"]),
    (
        "iam",
        &[
            "admin", "change", "creation", "deletion", "group", "info", "user",
        ],
    ),
    ("intrusion_detection", &["allowed", "denied", "info"]),
    ("library", &["start"]),
    ("malware", &["info"]),
    (
        "network",
        &[
            "access",
            "allowed",
            "connection",
            "denied",
            "end",
            "info",
            "protocol",
            "start",
        ],
    ),
    (
        "package",
        &[
            "access",
            "change",
            "deletion",
            "info",
            "installation",
            "start",
        ],
    ),
    ("process", &["access", "change", "end", "info", "start"]),
    ("registry", &["access", "change", "creation", "deletion"]),
    ("session", &["start", "end", "info"]),
    ("threat", &["indicator"]),
    ("vulnerability", &["info"]),
    ("web", &["access", "error", "info"]),
];

/// The `event.type` values ECS expects with an `event.category` (`None` for an unknown
/// category).
pub fn expected_event_types(category: &str) -> Option<&'static [&'static str]> {
    EXPECTED_EVENT_TYPES
        .iter()
        .find(|(c, _)| *c == category)
        .map(|(_, t)| *t)
}

/// Whether a categorization is consistent with ECS: every category is known and has at least
/// one of the types expected, and every type is expected by at least one of the categories.
pub fn categorization_is_expected(categories: &[&str], types: &[&str]) -> bool {
    let known: Option<Vec<&[&str]>> = categories.iter().map(|c| expected_event_types(c)).collect();
    let Some(known) = known else { return false };
    if categories.is_empty() {
        return types.is_empty();
    }
    known
        .iter()
        .all(|exp| types.iter().any(|t| exp.contains(t)))
        && types
            .iter()
            .all(|t| known.iter().any(|exp| exp.contains(t)))
}

/// What the ECS view includes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EcsOptions {
    /// Write `event.original` (the raw record). Default `true`.
    pub original: bool,
    /// Write `log.file.path` and the offset/line of the raw record. Default `true`.
    pub location: bool,
    /// Write the byte offset as Beats' non-ECS `log.offset` instead of `tripline.log.offset`.
    /// Default `false` (keeps documents valid against ECS 8.17).
    pub beats_log_offset: bool,
    /// Write the vendor namespaces from `unmapped`. Default `true`.
    pub vendor: bool,
}

impl Default for EcsOptions {
    fn default() -> Self {
        EcsOptions {
            original: true,
            location: true,
            beats_log_offset: false,
            vendor: true,
        }
    }
}

impl EcsOptions {
    /// Leaves out `event.original`.
    pub fn without_original(mut self) -> Self {
        self.original = false;
        self
    }

    /// Leaves out `log.file.path` and the offset/line.
    pub fn without_location(mut self) -> Self {
        self.location = false;
        self
    }
}

/// RFC 3339 with nanoseconds, `Z` suffix.
pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

fn s(v: &Option<Text>) -> Option<&str> {
    v.as_deref()
}

fn id_str(v: Option<u32>) -> Option<Value> {
    v.map(|n| Value::String(n.to_string()))
}

fn user(d: &mut Doc, prefix: &str, u: Option<&User>) {
    let Some(u) = u else { return };
    d.put(&format!("{prefix}.id"), id_str(u.id));
    d.str(&format!("{prefix}.name"), s(&u.name));
}

fn group(d: &mut Doc, prefix: &str, g: Option<&Group>) {
    let Some(g) = g else { return };
    d.put(&format!("{prefix}.id"), id_str(g.id));
    d.str(&format!("{prefix}.name"), s(&g.name));
}

fn file_type(t: FileType) -> &'static str {
    match t {
        FileType::Dir => "dir",
        FileType::Symlink => "symlink",
        _ => "file",
    }
}

fn file(d: &mut Doc, f: &File) {
    d.str(p::FILE_PATH, s(&f.path));
    d.str(p::FILE_NAME, f.name());
    d.str(p::FILE_DIRECTORY, f.directory());
    d.str(p::FILE_EXTENSION, f.extension());
    d.str(p::FILE_TYPE, f.file_type.map(file_type));
    d.put(p::FILE_INODE, f.inode.map(|i| Value::String(i.to_string())));
    d.str(p::FILE_DEVICE, s(&f.device));
    d.put(
        p::FILE_MODE,
        f.mode.map(|m| Value::String(format!("{:o}", m & 0o7777))),
    );
    let owner = f.owner();
    d.put(p::FILE_UID, id_str(owner.and_then(|o| o.id)));
    d.str(p::FILE_OWNER, owner.and_then(|o| s(&o.name)));
    let g = f.group();
    d.put(p::FILE_GID, id_str(g.and_then(|o| o.id)));
    d.str(p::FILE_GROUP, g.and_then(|o| s(&o.name)));
    d.put(p::FILE_SIZE, f.size().map(|n| json!(n)));
    d.str(p::FILE_TARGET_PATH, s(&f.target_path));
}

fn process(d: &mut Doc, pr: &Process) {
    d.put(p::PROCESS_PID, pr.pid.map(|n| json!(n)));
    d.put(p::PROCESS_VPID, pr.vpid.map(|n| json!(n)));
    d.put(p::PROCESS_THREAD_ID, pr.tid.map(|n| json!(n)));
    d.str(p::PROCESS_ENTITY_ID, s(&pr.entity_id));
    d.str(p::PROCESS_EXECUTABLE, s(&pr.executable));
    d.str(p::PROCESS_NAME, s(&pr.name));
    d.put(
        p::PROCESS_ARGS,
        str_list(pr.args.iter().map(|s| s.as_str())),
    );
    if !pr.args.is_empty() {
        d.put(p::PROCESS_ARGS_COUNT, json!(pr.args.len()));
    }
    d.str(p::PROCESS_COMMAND_LINE, s(&pr.command_line));
    d.str(p::PROCESS_TITLE, s(&pr.extra().title));
    d.str(p::PROCESS_WORKING_DIRECTORY, s(&pr.cwd));
    d.put(
        p::PROCESS_START,
        pr.start().map(|t| Value::String(rfc3339(t))),
    );
    d.put(p::PROCESS_EXIT_CODE, pr.exit_code.map(|n| json!(n)));
    user(d, "process.user", pr.user.as_ref());
    user(d, "process.real_user", pr.real_user());
    user(d, "process.saved_user", pr.saved_user());
    user(d, p::TRIPLINE_PROCESS_FS_USER, pr.fs_user());
    group(d, "process.group", pr.group.as_ref());
    group(d, "process.real_group", pr.real_group());
    group(d, "process.saved_group", pr.saved_group());
    group(d, p::TRIPLINE_PROCESS_FS_GROUP, pr.fs_group());
    d.str(p::TRIPLINE_PROCESS_TTY, s(&pr.tty));
    d.put(
        p::TRIPLINE_PROCESS_SESSION_ID,
        pr.session_id().map(|n| json!(n)),
    );
    let parent = pr.parent.as_deref();
    d.put(
        p::PROCESS_PARENT_PID,
        pr.ppid.or(parent.and_then(|x| x.pid)).map(|n| json!(n)),
    );
    if let Some(x) = parent {
        d.str(p::PROCESS_PARENT_EXECUTABLE, s(&x.executable));
        d.str(p::PROCESS_PARENT_NAME, s(&x.name));
        d.str(p::PROCESS_PARENT_COMMAND_LINE, s(&x.command_line));
        d.str(p::PROCESS_PARENT_ENTITY_ID, s(&x.entity_id));
    }
}

fn endpoint(d: &mut Doc, prefix: &str, e: Option<&Endpoint>) {
    let Some(e) = e else { return };
    d.put(
        &format!("{prefix}.ip"),
        e.ip.map(|ip| Value::String(ip.to_string())),
    );
    d.put(&format!("{prefix}.port"), e.port.map(|n| json!(n)));
    d.str(&format!("{prefix}.domain"), s(&e.domain));
    let address =
        e.ip.map(|ip| ip.to_string())
            .or_else(|| e.path.as_ref().map(|p| p.to_string()))
            .or_else(|| e.domain.as_ref().map(|d| d.to_string()));
    d.put(&format!("{prefix}.address"), address.map(Value::String));
}

/// IANA protocol number of a transport name, as ECS writes it (a keyword).
fn iana_number(transport: &str) -> Option<&'static str> {
    Some(match transport.to_ascii_lowercase().as_str() {
        "icmp" => "1",
        "tcp" => "6",
        "udp" => "17",
        "ipv6-icmp" | "icmpv6" => "58",
        "sctp" => "132",
        _ => return None,
    })
}

fn risk_score_norm(level: SeverityLevel) -> Option<f64> {
    Some(match level {
        SeverityLevel::Informational => 0.0,
        SeverityLevel::Low => 21.0,
        SeverityLevel::Medium => 47.0,
        SeverityLevel::High => 73.0,
        SeverityLevel::Critical => 99.0,
        SeverityLevel::Fatal => 100.0,
        _ => return None,
    })
}

/// Pushes a value once, keeping first-seen order.
fn push_unique(list: &mut Vec<String>, v: String) {
    if !list.contains(&v) {
        list.push(v);
    }
}

/// The ECS 8.17 document for `event`.
pub fn to_ecs(event: &Event, opts: &EcsOptions) -> Value {
    let mut d = Doc::new();
    let cls = event.classification();
    let kind = &event.kind;

    d.put(p::TIMESTAMP, Value::String(rfc3339(event.time)));
    d.str("ecs.version", Some(VERSION));

    // event.* and log.*
    d.str(p::EVENT_KIND, Some(cls.ecs_kind));
    d.put(
        p::EVENT_CATEGORY,
        str_list(cls.ecs_category.iter().copied()),
    );
    d.put(p::EVENT_TYPE, str_list(cls.ecs_type.iter().copied()));
    d.str(p::EVENT_ACTION, s(&event.action));
    d.str(
        p::EVENT_OUTCOME,
        match event.outcome {
            Outcome::Success => Some("success"),
            Outcome::Failure => Some("failure"),
            _ => None,
        },
    );
    d.str(p::EVENT_ID, s(&event.id));
    d.str(p::EVENT_CODE, s(&event.source.event_code));
    d.put(
        p::EVENT_SEQUENCE,
        event
            .source
            .sequence
            .filter(|n| i64::try_from(*n).is_ok())
            .map(|n| json!(n)),
    );
    d.str(p::EVENT_MODULE, Some(event.source.product.name()));
    d.str(p::EVENT_DATASET, Some(&event.source.format));
    let sev = &event.severity;
    // Always written, 0 meaning Unknown (as `Event::get` answers).
    d.put(p::EVENT_SEVERITY, json!(sev.level.id()));
    d.str(p::LOG_LEVEL, s(&sev.original));
    d.put(
        p::EVENT_CREATED,
        event.observed.map(|t| Value::String(rfc3339(t))),
    );
    if let Some(raw) = &event.raw {
        if opts.original {
            d.str(p::EVENT_ORIGINAL, Some(&raw.text));
        }
        if opts.location
            && let Some(loc) = &raw.location
        {
            d.str(p::LOG_FILE_PATH, s(&loc.file));
            let offset_path = if opts.beats_log_offset {
                p::LOG_OFFSET
            } else {
                p::TRIPLINE_LOG_OFFSET
            };
            d.put(
                offset_path,
                loc.offset
                    .filter(|n| i64::try_from(*n).is_ok())
                    .map(|n| json!(n)),
            );
            d.put(p::TRIPLINE_LOG_LINE, loc.line.map(|n| json!(n)));
        }
    }
    d.str("observer.vendor", Some(event.source.product.vendor()));
    d.str("observer.product", Some(event.source.product.name()));
    d.str("observer.version", s(&event.source.version));

    let message = event.message.as_deref().or(match kind {
        EventKind::LogLine(l) => Some(l.text.as_str()),
        _ => None,
    });
    d.str(p::MESSAGE, message);
    d.put(p::TAGS, str_list(event.tags.iter().map(|s| s.as_str())));
    d.put(
        p::LABELS,
        Value::Object(
            event
                .labels
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
        ),
    );

    // host, container, orchestrator
    if let Some(h) = &event.host {
        d.str(p::HOST_NAME, s(&h.name));
        d.str("host.hostname", s(&h.name));
        d.str(p::HOST_ID, s(&h.id));
        d.put(
            p::HOST_IP,
            Value::Array(h.ip.iter().map(|i| Value::String(i.to_string())).collect()),
        );
        d.str(p::HOST_ARCHITECTURE, s(&h.architecture));
    }
    if let Some(c) = &event.container {
        d.str(p::CONTAINER_ID, s(&c.id));
        d.str(p::CONTAINER_NAME, s(&c.name));
        if let Some(i) = &c.image {
            d.str(p::CONTAINER_IMAGE_NAME, s(&i.name));
            d.put(p::CONTAINER_IMAGE_TAG, str_list(i.tag.as_deref()));
            d.put(p::CONTAINER_IMAGE_HASH_ALL, str_list(i.digest.as_deref()));
            d.str(p::TRIPLINE_CONTAINER_IMAGE_ID, s(&i.id));
        }
        d.str(p::CONTAINER_RUNTIME, s(&c.runtime));
        d.put(
            p::CONTAINER_LABELS,
            Value::Object(
                c.labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                    .collect(),
            ),
        );
        d.put(p::CONTAINER_PRIVILEGED, c.privileged.map(Value::Bool));
    }
    if let Some(o) = &event.orchestrator {
        d.str(p::ORCHESTRATOR_NAMESPACE, s(&o.namespace));
        d.str(p::ORCHESTRATOR_RESOURCE_NAME, s(&o.pod_name));
        d.str(p::ORCHESTRATOR_RESOURCE_ID, s(&o.pod_uid));
        if o.pod_name.is_some() || o.pod_uid.is_some() {
            d.str("orchestrator.resource.type", Some("pod"));
        }
        d.str(p::ORCHESTRATOR_CLUSTER_NAME, s(&o.cluster));
        if **o != crate::Orchestrator::default() {
            d.str("orchestrator.type", Some("kubernetes"));
        }
    }

    // process
    if let Some(pr) = kind.process() {
        process(&mut d, pr);
    }
    match kind {
        EventKind::ProcessExec(e) | EventKind::ProcessExit(e) => {
            d.str(p::TRIPLINE_PROCESS_INTERPRETER, s(&e.interpreter));
            d.put(p::TRIPLINE_PROCESS_SIGNAL, e.signal.map(|n| json!(n)));
            if matches!(kind, EventKind::ProcessExit(_)) {
                d.put("process.end", Value::String(rfc3339(event.time)));
            }
        }
        EventKind::ProcessFork(e) => {
            d.put(p::TRIPLINE_PROCESS_SIGNAL, e.signal.map(|n| json!(n)));
        }
        EventKind::ProcessAccess(a) => {
            d.str(p::TRIPLINE_PROCESS_ACCESS_OPERATION, Some(&op_name(&a.op)));
            d.str(p::TRIPLINE_PROCESS_ACCESS_REQUEST, s(&a.request));
            d.put(
                p::TRIPLINE_TARGET_PROCESS_PID,
                a.target.pid.map(|n| json!(n)),
            );
            d.str(
                p::TRIPLINE_TARGET_PROCESS_EXECUTABLE,
                s(&a.target.executable),
            );
            d.str(p::TRIPLINE_TARGET_PROCESS_NAME, s(&a.target.name));
        }
        EventKind::UserCommand(c) => {
            d.str(p::PROCESS_COMMAND_LINE, Some(&c.command));
            d.str(p::PROCESS_WORKING_DIRECTORY, s(&c.cwd));
            d.str(p::TRIPLINE_USER_COMMAND_TERMINAL, s(&c.terminal));
        }
        _ => {}
    }

    // users and groups
    user(&mut d, "user", event.actor_user());
    user(&mut d, "user.effective", event.effective_user());
    user(&mut d, "user.target", event.target_user());
    let target_group = match kind {
        EventKind::AccountChange(a) => a.target_group.as_ref(),
        EventKind::IdentityChange(i) => i.target_group.as_ref(),
        _ => None,
    };
    group(&mut d, "group", target_group);

    // file
    if let Some(f) = kind.file() {
        file(&mut d, f);
    }

    // network
    endpoint(&mut d, "source", event.source_endpoint());
    endpoint(&mut d, "destination", event.destination_endpoint());
    if let EventKind::Network(n) = kind {
        if let Some(t) = &n.transport {
            d.str(p::NETWORK_TRANSPORT, Some(&t.to_ascii_lowercase()));
            d.str("network.iana_number", iana_number(t));
        }
        d.str(
            p::NETWORK_DIRECTION,
            n.direction.map(|dir| match dir {
                Direction::Inbound => "ingress",
                Direction::Outbound => "egress",
                Direction::Local => "internal",
            }),
        );
        let ip = n
            .destination
            .as_ref()
            .and_then(|e| e.ip)
            .or(n.source.as_ref().and_then(|e| e.ip));
        d.str(
            "network.type",
            ip.map(|ip| match ip {
                IpAddr::V4(_) => "ipv4",
                IpAddr::V6(_) => "ipv6",
            }),
        );
    }

    // kind-specific extras without an ECS home
    d.str(p::TRIPLINE_KIND, Some(kind.name()));
    match kind {
        EventKind::FileAccess(f) => {
            d.str(p::TRIPLINE_FILE_OPERATION, Some(&op_name(&f.op)));
            if let Some(t) = &f.target {
                // ECS has no old/new pair: the new name of a rename or link is the target.
                d.str(p::FILE_TARGET_PATH, s(&t.path));
            }
        }
        EventKind::Network(n) => {
            d.str(p::TRIPLINE_NETWORK_OPERATION, Some(&op_name(&n.op)));
        }
        EventKind::Authentication(a) => {
            d.str(p::TRIPLINE_AUTH_OPERATION, Some(&op_name(&a.op)));
            d.str(p::TRIPLINE_AUTH_TERMINAL, s(&a.terminal));
            d.put(p::TRIPLINE_AUTH_SESSION_ID, a.session_id.map(|n| json!(n)));
            d.str(p::TRIPLINE_AUTH_METHOD, s(&a.method));
        }
        EventKind::AccountChange(a) => {
            d.str(p::TRIPLINE_ACCOUNT_OPERATION, Some(&op_name(&a.op)));
        }
        EventKind::IdentityChange(i) => {
            d.str(p::TRIPLINE_IDENTITY_OPERATION, Some(&op_name(&i.op)));
        }
        EventKind::LogLine(l) => {
            d.str(p::TRIPLINE_LOG_STREAM, Some(&op_name(&l.stream)));
            if let Some(part) = &l.partial {
                d.put(p::TRIPLINE_LOG_PARTIAL_CHUNKS, json!(part.chunks));
                d.put(p::TRIPLINE_LOG_PARTIAL_COMPLETE, json!(part.complete));
                d.str(p::TRIPLINE_LOG_PARTIAL_FLUSH_REASON, s(&part.flush_reason));
            }
        }
        EventKind::ContainerLifecycle(c) => {
            d.str(p::TRIPLINE_DOCKER_OBJECT_TYPE, Some(&c.object_type));
            d.str(p::TRIPLINE_DOCKER_ACTION, Some(&c.action));
            d.str(p::TRIPLINE_DOCKER_DETAIL, s(&c.detail));
            d.str(p::TRIPLINE_DOCKER_ACTOR_ID, s(&c.actor_id));
            d.str(p::TRIPLINE_DOCKER_EXEC_ID, s(&c.exec_id));
            d.str(p::TRIPLINE_DOCKER_SIGNAL, s(&c.signal));
            d.put(
                p::TRIPLINE_DOCKER_ATTRIBUTES,
                Value::Object(
                    c.attributes
                        .iter()
                        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                        .collect(),
                ),
            );
            if !c.trusted {
                d.put(p::TRIPLINE_DOCKER_TRUSTED, Value::Bool(false));
            }
            let exec_exit = c.exec.as_ref().and_then(|e| e.exit_code);
            d.put(
                p::PROCESS_EXIT_CODE,
                exec_exit.or(c.exit_code).map(|n| json!(n)),
            );
        }
        EventKind::Finding(f) => finding(&mut d, f, sev.level),
        EventKind::Other(o) => d.str(p::TRIPLINE_OTHER_NAME, Some(&o.name)),
        _ => {}
    }

    // related.*
    let mut users = Vec::new();
    let process_users = kind.process().into_iter().flat_map(|pr| {
        [
            pr.login_user.as_ref(),
            pr.user.as_ref(),
            pr.real_user(),
            pr.saved_user(),
        ]
        .into_iter()
        .flatten()
    });
    let users_seen = [
        event.actor_user(),
        event.effective_user(),
        event.target_user(),
    ]
    .into_iter()
    .flatten()
    .chain(process_users);
    for u in users_seen {
        if let Some(v) = u
            .name
            .as_ref()
            .map(|n| n.to_string())
            .or(u.id.map(|i| i.to_string()))
        {
            push_unique(&mut users, v.to_string());
        }
    }
    d.put(p::RELATED_USER, str_list(users.iter().map(|s| s.as_str())));
    let mut ips = Vec::new();
    for e in [event.source_endpoint(), event.destination_endpoint()]
        .into_iter()
        .flatten()
    {
        if let Some(ip) = e.ip {
            push_unique(&mut ips, ip.to_string());
        }
    }
    d.put(p::RELATED_IP, str_list(ips.iter().map(|s| s.as_str())));

    // vendor namespaces
    if opts.vendor {
        for (k, v) in &event.unmapped {
            if VENDOR_NAMESPACES.contains(&k.as_str()) {
                // A namespace is an object; a bare value goes under `<vendor>.value`.
                let v = if v.is_map() {
                    v.to_json()
                } else {
                    json!({ "value": v.to_json() })
                };
                d.put(k, v);
            } else {
                let mut m = serde_json::Map::new();
                m.insert(k.to_string(), v.to_json());
                d.put(p::TRIPLINE_UNMAPPED, Value::Object(m));
            }
        }
    }
    d.into_value()
}

fn finding(d: &mut Doc, f: &crate::Finding, level: SeverityLevel) {
    let r = &f.rule;
    d.str(p::RULE_ID, s(&r.id));
    d.str(p::RULE_NAME, s(&r.name));
    d.str(p::RULE_DESCRIPTION, s(&r.description));
    d.put(
        p::RULE_AUTHOR,
        str_list(r.authors.iter().map(|s| s.as_str())),
    );
    d.str(p::RULE_RULESET, s(&r.ruleset));
    d.str(p::RULE_CATEGORY, s(&r.category));
    d.str(p::RULE_VERSION, s(&r.version));
    d.str(p::RULE_LICENSE, s(&r.license));
    d.put(
        p::RULE_REFERENCE,
        str_list(r.references.iter().map(|s| s.as_str())),
    );
    if !f.attacks.is_empty() {
        d.str(p::THREAT_FRAMEWORK, Some("MITRE ATT&CK"));
        let tactics = f.attacks.iter().filter_map(|a| a.tactic.as_ref());
        d.put(
            p::THREAT_TACTIC_ID,
            str_list(tactics.clone().map(|t| t.id.as_str())),
        );
        d.put(
            p::THREAT_TACTIC_NAME,
            str_list(tactics.map(|t| t.name.as_str())),
        );
        let techniques = f.attacks.iter().filter_map(|a| a.technique.as_ref());
        d.put(
            p::THREAT_TECHNIQUE_ID,
            str_list(techniques.clone().map(|t| t.id.as_str())),
        );
        d.put(
            p::THREAT_TECHNIQUE_NAME,
            str_list(techniques.filter_map(|t| t.name.as_deref())),
        );
        let subs = f.attacks.iter().filter_map(|a| a.sub_technique.as_ref());
        d.put(
            p::THREAT_SUBTECHNIQUE_ID,
            str_list(subs.clone().map(|t| t.id.as_str())),
        );
        d.put(
            p::THREAT_SUBTECHNIQUE_NAME,
            str_list(subs.filter_map(|t| t.name.as_deref())),
        );
    }
    d.put(
        p::EVENT_RISK_SCORE_NORM,
        risk_score_norm(level).map(|n| json!(n)),
    );
    d.put(
        p::EVENT_START,
        f.first_seen.map(|t| Value::String(rfc3339(t))),
    );
    d.put(p::EVENT_END, f.last_seen.map(|t| Value::String(rfc3339(t))));
    d.put(
        p::TRIPLINE_FINDING_EVIDENCE,
        str_list(f.evidence.iter().map(|s| s.as_str())),
    );
    d.str(p::TRIPLINE_FINDING_EVENT_TYPE, s(&f.event_type));
    d.put(p::TRIPLINE_FINDING_COUNT, f.count.map(|n| json!(n)));
    d.put(
        p::TRIPLINE_FINDING_GROUP,
        Value::Object(
            f.group
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
        ),
    );
}

impl Event {
    /// The ECS 8.17 document for this event (see [`crate::ecs`]).
    pub fn to_ecs(&self, opts: &EcsOptions) -> Value {
        to_ecs(self, opts)
    }
}
